"""What is kept when a candidate is erased: that the erasure happened (`Erasure`) and, for each of their
applications, a de-identified outcome for the statistics and the learning (`ErasedOutcome`).

Neither holds the person's identifying data: no name, contact, free text or exact pay; dates to the month
(docs/data-rights.md, Erasure and retention).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homestretch.lib.money import Period, currency_choices
from homestretch.pipeline.choices import CandidateSource, LossReason, Outcome, Stage

from .choices import ErasureCause


class Erasure(models.Model):
    """One candidate erased: when, by whom, why. The candidate's row stays as a tombstone with nothing that
    identifies them (so that the organisation's figures keep counting their applications); `candidate_id` is
    a plain number, not a foreign key, so that this record outlives even a later delete of the tombstone.
    `reason` is the operator's, checked at erasure not to name the person."""

    candidate_id = models.PositiveIntegerField(unique=True)
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Empty for the worker's erasures after the retention period",
    )
    cause = models.CharField(max_length=12, choices=ErasureCause.choices)
    reason = models.CharField(max_length=500)
    applications = models.PositiveIntegerField(default=0, help_text="Applications kept as de-identified outcomes")

    class Meta:
        ordering = ["-erased_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cause__in=ErasureCause.values), name="erasure_cause_known",
                violation_error_message="Unknown cause of erasure.",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure of candidate {self.candidate_id} on {self.erased_at:%Y-%m-%d}"


class ErasedOutcome(models.Model):
    """One application of an erased candidate as the statistics need it: the job and client (the
    organisation's records), the stages reached with their months, the outcome and its coded reasons, our
    offer's base as a band, and whether a counteroffer or another company competed. No free text; the
    competitor that won only when it was not told in confidence."""

    erasure = models.ForeignKey(Erasure, on_delete=models.CASCADE, related_name="outcomes")
    application_id = models.PositiveIntegerField(help_text="The application's id (its row stays, de-identified)")
    job = models.ForeignKey("pipeline.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client = models.ForeignKey("pipeline.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=16, choices=CandidateSource.choices, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, help_text="Where the application ended")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    stage_months = models.JSONField(default=dict, blank=True,
                                    help_text='Each stage reached -> the month first reached, "YYYY-MM"')
    opened_month = models.DateField(help_text="The first of the month the application was opened")
    accepted_month = models.DateField(null=True, blank=True)
    closed_month = models.DateField(null=True, blank=True)
    loss_reason = models.CharField(max_length=24, choices=LossReason.choices, blank=True)
    offer_status = models.CharField(max_length=12, blank=True, help_text="Our latest offer's status")
    offer_decline_reason = models.CharField(max_length=24, choices=LossReason.choices, blank=True)
    offer_base_band_from = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    offer_base_band_to = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, blank=True)
    counteroffer = models.BooleanField(default=False, help_text="A counteroffer from the current employer was known")
    competing_offers = models.PositiveSmallIntegerField(default=0, help_text="Other companies' processes known")
    competitor_won = models.CharField(max_length=200, blank=True,
                                      help_text="The company whose offer won; empty when told in confidence")

    class Meta:
        ordering = ["erasure", "application_id"]
        constraints = [
            models.UniqueConstraint(fields=["application_id"], name="erasedoutcome_once_per_application",
                                    violation_error_message="This application's outcome is already kept."),
        ]

    def __str__(self) -> str:
        return f"Erased outcome of application {self.application_id}"
