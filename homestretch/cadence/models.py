from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from homestretch.pipeline.choices import Stage

from .rules import DEFAULT_CADENCE, DEFAULT_MAX_GAP_DAYS, Cadence

# Stage -> the field of TeamCadence that overrides its longest gap.
GAP_FIELDS: dict[str, str] = {stage: f"{stage}_days" for stage in DEFAULT_MAX_GAP_DAYS}


def _gap_field(stage: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=f"Longest gap between contacts at {Stage(stage).label.lower()}, in days "
        f"(default {DEFAULT_MAX_GAP_DAYS[stage]}). Empty keeps the default.",
    )


class TeamCadence(models.Model):
    """A team's own contact cadence; every empty field keeps the default of cadence/rules.py."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="cadence")
    screening_days = _gap_field(Stage.SCREENING)
    interviewing_days = _gap_field(Stage.INTERVIEWING)
    final_interview_days = _gap_field(Stage.FINAL_INTERVIEW)
    verification_days = _gap_field(Stage.VERIFICATION)
    offer_days = _gap_field(Stage.OFFER)
    accepted_days = _gap_field(Stage.ACCEPTED)
    on_hold_days = _gap_field(Stage.ON_HOLD)
    competition_ask_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=f"Ask about competing processes at least this often, in days "
        f"(default {DEFAULT_CADENCE.competition_ask_days}).",
    )

    class Meta:
        verbose_name = "team cadence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True}) | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 60}),
                name=f"teamcadence_{name}_1_to_60",
                violation_error_message="A gap between contacts is 1 to 60 days.",
            )
            for name in [*GAP_FIELDS.values(), "competition_ask_days"]
        ]

    def __str__(self) -> str:
        return f"Cadence of {self.team}"

    def as_cadence(self) -> Cadence:
        cadence = DEFAULT_CADENCE.with_overrides(**{stage: getattr(self, name) for stage, name in GAP_FIELDS.items()})
        if self.competition_ask_days:
            cadence = replace(cadence, competition_ask_days=self.competition_ask_days)
        return cadence


def cadences_by_team() -> dict[int, Cadence]:
    """Every team's cadence that differs from the default, in one query."""
    return {row.team_id: row.as_cadence() for row in TeamCadence.objects.all()}


def cadence_lookup() -> Callable[[int | None], Cadence]:
    """Each team's cadence (its overrides over the defaults), read once."""
    overrides = cadences_by_team()
    return lambda team_id: overrides.get(team_id, DEFAULT_CADENCE) if team_id is not None else DEFAULT_CADENCE
