"""Past outcomes imported from another ATS or a spreadsheet, for learning what predicts losses.

One `ImportBatch` per imported file; one `PastOutcome` per row. Known columns land in typed fields,
every other column (protected attributes such as gender or age included) is kept as text in `extra`:
the learning code decides what to use, and never uses protected attributes as predictors.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from homestretch.lib import limits
from homestretch.lib.money import currency_choices
from homestretch.lib.refusals import INVALID, Refused
from homestretch.pipeline.choices import Outcome

# Imported history may be older than live records (lib/limits.py): decisions from this day on.
FIRST_DECISION = date(1970, 1, 1)


def validate_extra(extra: object) -> None:
    """Extra attributes are text by text, which both databases store (PostgreSQL refuses NUL characters)."""
    if not isinstance(extra, dict) or not all(
        isinstance(name, str) and isinstance(value, str) and "\x00" not in name and "\x00" not in value
        for name, value in extra.items()
    ):
        raise ValidationError("Extra attributes are names and values of text, without NUL characters.",
                              code=INVALID)


class ImportBatch(models.Model):
    """One run of `homestretch history import` that wrote rows."""

    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    imported_at = models.DateTimeField()
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, help_text="CSV column → Homestretch field")

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


# An outcome of the past is decided: hired or lost, never ongoing.
PAST_OUTCOMES = [(Outcome.HIRED.value, Outcome.HIRED.label), (Outcome.LOST.value, Outcome.LOST.label)]


class PastOutcome(models.Model):
    """One past offer or application with its outcome, as read from an imported file."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="outcomes")
    # The row's own id when the file has one (mapped to `row_id`), else the SHA-256 of its values:
    # what makes re-importing the same file change nothing.
    row_key = models.CharField(max_length=64, unique=True)
    outcome = models.CharField(max_length=8, choices=PAST_OUTCOMES)
    outcome_raw = models.CharField(max_length=200, blank=True, help_text="The outcome as written in the file")
    decided_on = models.DateField(null=True, blank=True)
    expected_pay = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    offered_pay = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    expected_raise_percent = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    offered_raise_percent = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    notice_days = models.PositiveIntegerField(null=True, blank=True)
    start_date_extended = models.BooleanField(null=True, blank=True)
    days_to_accept = models.PositiveIntegerField(null=True, blank=True)
    joining_bonus = models.BooleanField(null=True, blank=True)
    relocation = models.BooleanField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    business_line = models.CharField(max_length=200, blank=True)
    years_experience = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="Every other column, by its name in the file",
                             validators=[validate_extra])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=[Outcome.HIRED, Outcome.LOST]),
                name="pastoutcome_outcome_decided",
                violation_error_message="A past outcome is hired or lost.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.row_key[:12]}: {self.get_outcome_display()}"

    def clean(self) -> None:
        # The decision date's upper bound moves with the moment of the import: check_decided_on.
        check_bounds(expected_pay=self.expected_pay, offered_pay=self.offered_pay, currency=self.currency,
                     notice_days=self.notice_days)


def check_bounds(*, expected_pay: Decimal | None, offered_pay: Decimal | None, currency: str,
                 notice_days: int | None) -> None:
    """The bounds every entry point holds (lib/limits.py) on a past outcome's values, each refused on its
    own field: `PastOutcome.clean`, and the import on a row before it builds the model."""
    errors: dict[str, list[ValidationError]] = {}
    checks = (
        lambda: limits.check_amounts({"expected_pay": expected_pay, "offered_pay": offered_pay}, currency),
        lambda: limits.check_notice_days("notice_days", notice_days),
    )
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for field, field_errors in error.error_dict.items():
                errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


def check_decided_on(day: date | None, *, now: datetime) -> None:
    """A past decision from FIRST_DECISION (history is older than live records) to as far ahead as a
    live record's dates may go as of `now` (lib/limits.py)."""
    if day is None:
        return
    last = limits.live_date_range(now)[1]
    if not FIRST_DECISION <= day <= last:
        raise Refused("decided_on", f"Give a date between {FIRST_DECISION.isoformat()} and {last.isoformat()} "
                                    f"(history from {FIRST_DECISION.year}, at most {limits.LIVE_YEARS_AHEAD} "
                                    "years ahead).", INVALID)

