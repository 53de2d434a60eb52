"""Our offers, the candidate's competing processes and offers (each change of one dated), and the candidate's
priorities."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from homestretch.lib import limits
from homestretch.lib.money import DECIMAL_PLACES, MAX_DIGITS, Period, currency_choices, money_constraints
from homestretch.lib.refusals import NOT_FOUND, Refused, on_field
from homestretch.pipeline.choices import LossReason, RemotePolicy

from .choices import (
    LOST_OFFER_STATUSES,
    OPEN_OFFER_STATUSES,
    CompetingKind,
    CompetingStage,
    OfferStatus,
    RemotePreference,
)

if TYPE_CHECKING:
    from homestretch.accounts.models import User

P = TypeVar("P")


def _money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


def _recorded_by_team() -> models.ForeignKey:
    # PROTECT, like a user's team: a team that recorded what a candidate told it cannot vanish and
    # leave its records (its confidential ones included) open to every other team.
    return models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The team that recorded it: only that team (or an admin) may change or delete it. "
                  "None when not known (recorded before teams were kept, or by an admin with no team).",
    )


def recorder_label(user: User | None, team_name: str | None) -> str:
    """Who recorded a candidate's fact, as the pages say it: "Alice Archer (North)"."""
    if user is None:
        return team_name or "someone not recorded"  # recorded before who recorded it was kept
    return f"{user.display_name} ({team_name})" if team_name else user.display_name


def _period_known(prefix: str) -> models.CheckConstraint:
    return on_field("period", models.CheckConstraint(
        condition=models.Q(period__in=Period.values),
        name=f"{prefix}_period_known",
        violation_error_message="Choose a pay period: year, month, day or hour.",
    ))


class Offer(models.Model):
    """Our offer to the candidate. A revision supersedes the open offer, which stays in the history."""

    application = models.ForeignKey("pipeline.Application", on_delete=models.CASCADE, related_name="offers")
    revision = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    base = _money_field()
    bonus = _money_field(null=True, blank=True)
    equity = _money_field(null=True, blank=True, help_text="Yearly value of equity, in the same currency")
    currency = models.CharField(max_length=3, choices=currency_choices(), default="EUR")
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.YEAR)
    remote_policy = models.CharField(max_length=8, choices=RemotePolicy.choices, default=RemotePolicy.HYBRID)
    remote_days = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(5)])
    start_date = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=24, choices=LossReason.choices, blank=True)
    won_by = models.CharField(max_length=200, blank=True, help_text="The company whose offer won, on a loss")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "-revision"]
        constraints = [
            *money_constraints("offer", ["base", "bonus", "equity"], "currency", required=True),
            _period_known("offer"),
            models.UniqueConstraint(
                fields=["application", "revision"],
                name="offer_revision_unique",
                violation_error_message="This revision of the offer exists already.",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=OPEN_OFFER_STATUSES),
                name="offer_one_open_per_application",
                violation_error_message="The application has an open offer already; record a revision instead.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OfferStatus.values),
                name="offer_status_known",
                violation_error_message="Unknown offer status.",
            ),
            models.CheckConstraint(
                condition=(models.Q(status__in=LOST_OFFER_STATUSES) & ~models.Q(decline_reason=""))
                | (~models.Q(status__in=LOST_OFFER_STATUSES) & models.Q(decline_reason="")),
                name="offer_decline_reason_iff_lost",
                violation_error_message="A declined or reneged offer needs its reason; other offers have none.",
            ),
            on_field("remote_days", models.CheckConstraint(
                condition=models.Q(remote_days__isnull=True) | models.Q(remote_days__lte=5),
                name="offer_remote_days_le_5",
                violation_error_message="Remote days are days a week: 0 to 5.",
            )),
        ]

    def __str__(self) -> str:
        return f"Offer r{self.revision} ({self.get_status_display()})"

    def clean(self) -> None:
        # The dates relative to now (start, expiry) are checked by services.record_offer, against
        # the moment it writes; these hold whenever.
        limits.check_amounts({"base": self.base, "bonus": self.bonus, "equity": self.equity}, self.currency)
        limits.check_positive("base", self.base)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OFFER_STATUSES

    @property
    def total(self):
        return self.base + (self.bonus or 0) + (self.equity or 0)


class OfferEvent(models.Model):
    """The audit trail of an offer: every creation and status change, who and when."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=OfferStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OfferStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        # The risk snapshots' expiry probe: offer events dated later today, whatever the offer.
        indexes = [models.Index(fields=["at"], name="offerevent_at")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class CompetingOffer(models.Model):
    """Another process or offer of the candidate, a counteroffer from the current employer included."""

    candidate = models.ForeignKey(
        "pipeline.Candidate", on_delete=models.CASCADE, related_name="competing_offers"
    )
    kind = models.CharField(max_length=12, choices=CompetingKind.choices, default=CompetingKind.EXTERNAL)
    company = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    stage = models.CharField(max_length=12, choices=CompetingStage.choices, default=CompetingStage.INTERVIEWING)
    base = _money_field(null=True, blank=True)
    bonus = _money_field(null=True, blank=True)
    equity = _money_field(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.YEAR)
    remote_policy = models.CharField(max_length=8, choices=RemotePolicy.choices, blank=True)
    remote_days = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(5)])
    deadline = models.DateField(null=True, blank=True, help_text="When the candidate must answer it")
    learned_at = models.DateTimeField(default=timezone.now)
    learned_in = models.ForeignKey(
        "pipeline.Touchpoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="competing_offers",
        help_text="The touchpoint in which we learned of it",
    )
    confidential = models.BooleanField(default=False, help_text="Told in confidence: never shared with the client")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_team = _recorded_by_team()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-learned_at", "-id"]
        indexes = [
            models.Index(fields=["candidate", "learned_at"], name="competing_candidate_learned"),
            # The risk snapshots' expiry probe: offers learned of later today, whoever they concern.
            models.Index(fields=["learned_at"], name="competing_learned_at"),
        ]
        constraints = [
            *money_constraints("competing", ["base", "bonus", "equity"], "currency", required=False),
            _period_known("competing"),
            on_field("remote_days", models.CheckConstraint(
                condition=models.Q(remote_days__isnull=True) | models.Q(remote_days__lte=5),
                name="competing_remote_days_le_5",
                violation_error_message="Remote days are days a week: 0 to 5.",
            )),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_stage_display()})"

    def clean(self) -> None:
        if self.candidate_id and self.learned_in is not None and self.learned_in.candidate_id != self.candidate_id:
            raise Refused("learned_in", "This touchpoint is with another candidate.", NOT_FOUND)
        limits.check_amounts({"base": self.base, "bonus": self.bonus, "equity": self.equity}, self.currency)

    @property
    def is_counteroffer(self) -> bool:
        return self.kind == CompetingKind.COUNTEROFFER

    @property
    def recorded_by_label(self) -> str:
        """Who recorded it (select recorded_by and recorded_by_team related when listing)."""
        return recorder_label(self.recorded_by, self.recorded_by_team.name if self.recorded_by_team else None)

    @property
    def total(self):
        """Base + bonus + equity, or None while any of them is not known (a blank is "not known", 0 is none)."""
        if self.base is None or self.bonus is None or self.equity is None:
            return None
        return self.base + self.bonus + self.equity


# What the risk engine reads of a competing offer, and so what each change keeps as it was then.
COMPETING_SNAPSHOT_FIELDS = (
    "kind", "company", "stage", "base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
    "deadline", "confidential",
)


class CompetingOfferChange(models.Model):
    """A competing offer as it was known from `at` on: written by `services.record_competing_offer`
    when the offer is recorded (at its `learned_at`) and whenever an edit changes what it says.

    A competing offer is edited in place (a process becomes an offer, the pay is told later), yet
    scoring a past moment (a backtest, `homestretch risk --at`, the learning history) must see it as
    it was known then, not its latest stage and pay. The loader reads the latest change at or before
    the moment. The snapshot holds every field the risk engine reads; the notes, the role and how we
    learned of it are not kept.
    """

    competing = models.ForeignKey(CompetingOffer, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=CompetingKind.choices)
    company = models.CharField(max_length=200)
    stage = models.CharField(max_length=12, choices=CompetingStage.choices)
    base = _money_field(null=True, blank=True)
    bonus = _money_field(null=True, blank=True)
    equity = _money_field(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    period = models.CharField(max_length=8, choices=Period.choices)
    remote_policy = models.CharField(max_length=8, choices=RemotePolicy.choices, blank=True)
    remote_days = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    confidential = models.BooleanField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["competing", "at"], name="competingchange_competing_at"),
            # "Is any change dated after the moment?": the loader's probe before it reads the rows as they are.
            models.Index(fields=["at"], name="competingchange_at"),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_stage_display()}) from {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def of(cls, competing: CompetingOffer, *, at: datetime, by: User | None = None) -> CompetingOfferChange:
        """The change that says what `competing` says now, dated `at`."""
        return cls(competing=competing, at=at, by=by,
                   **{name: getattr(competing, name) for name in COMPETING_SNAPSHOT_FIELDS})


def _importance(help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=help_text
    )


IMPORTANCE_FIELDS = (
    "importance_pay", "importance_remote", "importance_speed",
    "importance_title", "importance_growth", "importance_stack",
)


class Priorities(models.Model):
    """What matters to the candidate, as of a date. Priorities change; earlier ones are kept."""

    candidate = models.ForeignKey("pipeline.Candidate", on_delete=models.CASCADE, related_name="priorities")
    as_of = models.DateTimeField(default=timezone.now)
    base_min = _money_field(null=True, blank=True, help_text="Below this the candidate will not move")
    base_target = _money_field(null=True, blank=True, help_text="What the candidate hopes for")
    currency = models.CharField(max_length=3, choices=currency_choices(), blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.YEAR)
    remote_preference = models.CharField(
        max_length=8, choices=RemotePreference.choices, default=RemotePreference.ANY
    )
    remote_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(5)], help_text="Days a week from home wanted"
    )
    notice_days = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Notice period in days")
    earliest_start = models.DateField(null=True, blank=True)
    must_haves = models.TextField(blank=True)
    importance_pay = _importance("How much pay matters, 1 to 5")
    importance_remote = _importance("How much remote work matters, 1 to 5")
    importance_speed = _importance("How much a quick process matters, 1 to 5")
    importance_title = _importance("How much the title matters, 1 to 5")
    importance_growth = _importance("How much growth matters, 1 to 5")
    importance_stack = _importance("How much the tech stack matters, 1 to 5")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_team = _recorded_by_team()

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["-as_of", "-id"]
        get_latest_by = "as_of"
        indexes = [
            models.Index(fields=["candidate", "as_of"], name="priorities_candidate_as_of"),
            # The risk snapshots' expiry probe: priorities dated later today, whoever they concern.
            models.Index(fields=["as_of"], name="priorities_as_of"),
        ]
        constraints = [
            *money_constraints("priorities", ["base_min", "base_target"], "currency", required=False),
            _period_known("priorities"),
            on_field("base_min", models.CheckConstraint(
                condition=models.Q(base_min__isnull=True)
                | models.Q(base_target__isnull=True)
                | models.Q(base_min__lte=models.F("base_target")),
                name="priorities_min_le_target",
                violation_error_message="The minimum base cannot exceed the target base.",
            )),
            *[
                on_field(name, models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"priorities_{name}_1_to_5",
                    violation_error_message=f"{name.replace('_', ' ').capitalize()} is a level from 1 to 5.",
                ))
                for name in IMPORTANCE_FIELDS
            ],
            on_field("remote_days", models.CheckConstraint(
                condition=models.Q(remote_days__isnull=True) | models.Q(remote_days__lte=5),
                name="priorities_remote_days_le_5",
                violation_error_message="Remote days are days a week: 0 to 5.",
            )),
        ]

    def __str__(self) -> str:
        return f"Priorities of {self.candidate} as of {self.as_of:%Y-%m-%d}"

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # A notice past the limit gets the limit's one message (clean): on PostgreSQL the column's own
        # range (a smallint, at most 32,767) would add a second, in a database's words.
        if self.notice_days is not None and self.notice_days > limits.MAX_NOTICE_DAYS:
            exclude = {*(exclude or ()), "notice_days"}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        # The earliest start, relative to now, is checked by services.set_priorities.
        limits.check_amounts({"base_min": self.base_min, "base_target": self.base_target}, self.currency)
        limits.check_notice_days("notice_days", self.notice_days)

    @property
    def recorded_by_label(self) -> str:
        """Who recorded them (select recorded_by and recorded_by_team related when listing)."""
        return recorder_label(self.recorded_by, self.recorded_by_team.name if self.recorded_by_team else None)


def priorities_for_team(newest_first: Iterable[tuple[int | None, P]], team_id: int | None) -> P | None:
    """Which of a candidate's priorities an application of team `team_id` reads, given every version
    newest first with the team that recorded it: the newest its own team recorded, else the newest.

    Each team's priorities are what the candidate told that team: a newer version recorded by another
    team does not replace them in this team's risk, brief and page (a team cannot rewrite what another
    team's client is told). A team that has recorded none reads what the others learned rather than
    nothing. The risk loader, the brief, the application page and the API all choose through here.
    """
    newest: P | None = None
    for recorded_by_team_id, version in newest_first:
        if team_id is not None and recorded_by_team_id == team_id:
            return version
        if newest is None:
            newest = version
    return newest
