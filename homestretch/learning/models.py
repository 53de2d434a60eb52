"""Versioned risk models trained on the organisation's history (`homestretch model train`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TrainedModel(models.Model):
    """One training run: the weights it produced, how it did in backtest, and whether the engine uses it.

    `weights` are the live (shrunk) ones, by feature name; `fitted_weights` are the fit before
    shrinking toward the expert weights (None when nothing could be fitted). At most one row is live:
    the risk engine scores with it (homestretch.learning.live), else with the expert weights.
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
