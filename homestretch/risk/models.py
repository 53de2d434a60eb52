"""The weights the engine may score with (TrainedModel, trained by homestretch.learning) and the stored
risk snapshot of each application (see homestretch.risk.snapshots for how it is kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homestretch.pipeline.choices import Stage


class RiskSnapshot(models.Model):
    """An application's risk and Today status as computed on one day, so that everyone's Today and
    pipeline rank thousands of applications in SQL and score only the rows they show.

    Derived data, never edited: a row is valid while `computed_generation` equals its application's
    `generation` (every change to what the risk is computed from adds one to it, homestretch.pipeline.
    changes), while its recruiter is still in `team` (whose cadence it was judged by), on the day it
    was computed for, before `expires_at`, and with the weights and rules of `scoring`. An application
    without a row is stale like any other.

    A row also carries the values of the next working day (`next_*`, settings.WORKING_DAYS), scored from
    the same facts as of that day's start: on that day they replace the row's own, in one statement, if
    nothing the risk is computed from changed meanwhile (homestretch.risk.snapshots, The next day).
    """

    application = models.OneToOneField(
        "pipeline.Application", on_delete=models.CASCADE, primary_key=True, related_name="risk_snapshot"
    )
    computed_generation = models.PositiveIntegerField(
        null=True, blank=True, help_text="The application's generation the values below were computed from"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The recruiter's team when computed (its cadence was used)",
    )
    day = models.DateField(null=True, blank=True, help_text="The local day the values hold for")
    computed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The next local midnight, or earlier when a record is dated ahead"
    )
    scoring = models.CharField(max_length=120, blank=True, help_text="The weights, rules and time zone used")
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True,
                             help_text="The stage at the moment computed")
    probability = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=8, blank=True)
    due = models.BooleanField(default=False, help_text="On the day's agenda")
    overdue_days = models.IntegerField(null=True, blank=True, help_text="Of the most pressing reason, when due")
    next_day = models.DateField(
        null=True, blank=True, help_text="The next working day after `day`, once its values are carried")
    next_expires_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Until when that day's values hold: its end, earlier for a record dated then; "
                  "`next_day`'s own start when nothing could be carried",
    )
    next_probability = models.FloatField(null=True, blank=True)
    next_band = models.CharField(max_length=8, blank=True)
    next_due = models.BooleanField(default=False)
    next_overdue_days = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "risk snapshot"

    def __str__(self) -> str:
        return f"Risk snapshot of application {self.application_id}"


class TrainedModel(models.Model):
    """One training run: the weights it produced, how it did in backtest, and whether the engine uses it.

    `weights` are the live (shrunk) ones, by feature name; `fitted_weights` are the fit before
    shrinking toward the expert weights (None when nothing could be fitted). At most one row is live:
    the risk engine scores with it (homestretch.risk.live), else with the expert weights.
    """

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField()
    as_of = models.DateTimeField(help_text="Outcomes decided up to this moment were used")
    n_applications = models.PositiveIntegerField(help_text="Own closed applications used")
    n_imported = models.PositiveIntegerField(help_text="Imported past outcomes used")
    n_lost = models.PositiveIntegerField(help_text="Of those, candidates lost")
    base_log_odds = models.FloatField()
    weights = models.JSONField()
    fitted_base_log_odds = models.FloatField(null=True, blank=True)
    fitted_weights = models.JSONField(null=True, blank=True)
    shrinkage = models.FloatField(help_text="λ: live = λ·fitted + (1−λ)·expert")
    evaluation = models.JSONField(default=dict)
    live = models.BooleanField(default=False)
    not_live_because = models.TextField(blank=True)
    seed = models.IntegerField(default=0)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["live"], condition=models.Q(live=True), name="one_live_model"),
        ]

    def __str__(self) -> str:
        return f"model v{self.version}{' (live)' if self.live else ''}"

    @property
    def n_outcomes(self) -> int:
        return self.n_applications + self.n_imported
