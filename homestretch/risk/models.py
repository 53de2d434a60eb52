"""The stored risk snapshot of each application (see homestretch.risk.snapshots for how it is kept)."""

from __future__ import annotations

from django.db import models

from homestretch.pipeline.choices import Stage


class RiskSnapshot(models.Model):
    """An application's risk and Today status as computed on one day, so that everyone's Today and
    pipeline rank thousands of applications in SQL and score only the rows they show.

    Derived data, never edited: a row is valid while `computed_generation` equals `generation` (every
    change to what the risk is computed from adds one to `generation`), on the day it was computed
    for, before `expires_at`, and with the weights and rules of `scoring`.
    """

    application = models.OneToOneField(
        "pipeline.Application", on_delete=models.CASCADE, primary_key=True, related_name="risk_snapshot"
    )
    generation = models.PositiveIntegerField(default=0, help_text="Changes to the application's risk inputs")
    computed_generation = models.PositiveIntegerField(
        null=True, blank=True, help_text="The generation the values below were computed from (empty: never)"
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

    class Meta:
        verbose_name = "risk snapshot"

    def __str__(self) -> str:
        return f"Risk snapshot of application {self.application_id}"
