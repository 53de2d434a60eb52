"""The organisation's figures about losing candidates: one definition each, here and nowhere else.

Every page, endpoint, command and export that says one of these figures reads it from `insights()`
(docs/insights.md says the same in a recruiter's words).

Who is counted
--------------
**Offers extended** in a period: applications whose *first* offer was extended in the period, by the
local day (the organisation's time zone) of the earliest `sent_at` of its offers (set when an offer
is extended). An application with several offers or revisions counts once, in the month of its
first extension; a reopened application too. The filters narrow these applications: team (of the
application's recruiter), recruiter, client, job seniority, candidate source, currency (of the job).

Its answer, from where the application stands now (on hold: where it was put on hold):
- *accepted or later*: Accepted, Started or Reneged; answered at `accepted_at`;
- *declined*: Declined; answered when it closed;
- no answer: still at the offer, or out another way (withdrawn, rejected by the client).

Figures
-------
- **Acceptance rate**: accepted or later ÷ (accepted or later + declined), with its 95 % Wilson
  interval and n, the answered applications.
- **Renege rate**: reneged ÷ accepted or later, among those whose start date has passed (the start
  date of the accepted offer before today, or Started): an acceptance whose start is still ahead
  may yet renege, so it is not counted either way.
- **Time to answer**: days (fractional) from the first extension to the answer; median and 90th
  percentile (nearest rank).
- **Reasons**: the loss reason of the stage change that closed each declined or reneged application;
  counts by reason and their share of those losses.
- **Competitors that won**: `won_by` of the latest declined or reneged offer of a lost application,
  grouped by name as written (case and spaces folded). A name the candidate told us in confidence
  (the client brief's rule, `situation.redact.named_in_confidence`) is marked confidential, and only
  counted, without its name, for viewers and in every export.
- **Counteroffers**: the applications whose candidate had a counteroffer recorded (learned before
  the answer, or by now with no answer) and their share of offers extended; the **loss rate**
  ((declined + reneged) ÷ answered) with and without one.
- **The practice, tested**: for each answered application, the share of the days of two windows
  that were within its team's cadence (homestretch.cadence): from the first day it reached the final
  interview (or any later stage; a reopened application: in its last round) to its answer, and from
  its acceptance to its start (or its renege, or today). A day is within cadence when, by the end of
  it, the next contact was not overdue by the cadence of the stage it was at
  (`cadence.rules.next_contact_due`, counting the touches logged on the application and on its
  candidate alone). Loss rate by band (below 50 %, 50–80 %, over 80 %) and by whether competition
  was asked at more than half of the touches in those windows. Each band with its n and Wilson
  interval, and a sentence saying whether the difference between the extremes is larger than the
  uncertainty (the two 95 % intervals do not overlap). An observational comparison: candidates who
  were called often may differ in other ways.
- **By month**: the same figures for each month of first extension.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from homestretch.cadence.models import cadence_lookup
from homestretch.cadence.rules import DEFAULT_CADENCE, Cadence, next_contact_due
from homestretch.offers.choices import CompetingKind, OfferStatus
from homestretch.offers.models import CompetingOffer, Offer
from homestretch.pipeline import stages
from homestretch.pipeline.choices import LossReason, Stage
from homestretch.pipeline.models import Application, StageChange, Touchpoint
from homestretch.situation.redact import named_in_confidence

from . import stored

ACCEPTED_OR_LATER = frozenset({Stage.ACCEPTED, Stage.STARTED, Stage.RENEGED})
LOST = frozenset({Stage.DECLINED, Stage.RENEGED})
# The window of "the practice" opens the first time the application reached one of these.
FINAL_STRETCH = frozenset({Stage.FINAL_INTERVIEW, Stage.VERIFICATION, Stage.OFFER, Stage.ACCEPTED})
Z_95 = 1.959963984540054
CONFIDENTIAL_COMPANIES = "Confidential companies"
# Practice measures remembered in this process at most (a year of the large demo holds about 3,000); past
# it they are all forgotten and read again.
REMEMBER_AT_MOST = 100_000
# Add one when the practice's rules change what a measure holds: every kept measure is then measured again.
PRACTICE_REVISION = 1
_remembered: dict[str, tuple[int, int, int, int]] = {}


def forget_practice(*, stored_too: bool = False) -> None:
    """Forget every practice measure remembered in this process, and with `stored_too` those kept in the
    database (tests and benchmarks; an operator after raw SQL, like everything_changed)."""
    _remembered.clear()
    if stored_too:
        stored.forget()

ADHERENCE_BANDS: tuple[tuple[str, str], ...] = (
    ("below_50", "below 50 %"),
    ("50_to_80", "50–80 %"),
    ("over_80", "over 80 %"),
)
OBSERVATIONAL = ("An observational comparison of the organisation's own applications, not an experiment: "
                 "candidates who were called more often may differ in other ways.")


@dataclass(frozen=True, slots=True)
class Filters:
    """The period (local days, both included) and what narrows it; None is "any"."""

    date_from: date
    date_to: date
    team_id: int | None = None
    recruiter_id: int | None = None
    client_id: int | None = None
    seniority: str | None = None
    source: str | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class Rate:
    """k of n, with its 95 % Wilson interval; value, low and high are None when n is 0."""

    k: int
    n: int
    value: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high), "n": self.n}


def wilson(k: int, n: int, z: float = Z_95) -> Rate:
    """The Wilson score interval of k successes in n (Wilson 1927): it stays within 0..1 and is honest
    for small n and for rates near 0 or 1, where the normal approximation is not."""
    if n <= 0:
        return Rate(k, 0, None, None, None)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Rate(k, n, p, max(0.0, centre - half), min(1.0, centre + half))


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank q-th quantile (0 < q ≤ 1): the smallest value with at least q of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# --- One row per application: what the figures are computed from. -----------------------------------


@dataclass(slots=True)
class OfferedApplication:
    """An application with an extended offer, as the figures read it (plain data, local date-times)."""

    application_id: int
    candidate_id: int
    team_id: int | None
    stage: str
    effective_stage: str
    first_extended_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    start_date: date | None
    loss_reason: str
    won_by: str
    generation: int = 0  # Application.generation: raised by every write the practice reads
    created_at: datetime | None = None
    won_by_confidential: bool = False
    counteroffer: bool = False
    days_in_cadence: int = 0
    days_measured: int = 0
    touches: int = 0
    touches_asking: int = 0

    @property
    def answer(self) -> str | None:
        if self.effective_stage in ACCEPTED_OR_LATER:
            return "accepted"
        if self.stage == Stage.DECLINED:
            return "declined"
        return None

    @property
    def answered_at(self) -> datetime | None:
        if self.answer == "accepted":
            return self.accepted_at
        if self.answer == "declined":
            return self.closed_at
        return None

    @property
    def lost(self) -> bool:
        return self.stage in LOST

    @property
    def month(self) -> str:
        return self.first_extended_at.strftime("%Y-%m")

    def start_has_passed(self, today: date) -> bool:
        return self.stage == Stage.STARTED or (self.start_date is not None and self.start_date < today)

    @property
    def adherence(self) -> float | None:
        return self.days_in_cadence / self.days_measured if self.days_measured else None

    @property
    def adherence_band(self) -> str | None:
        share = self.adherence
        if share is None:
            return None
        if share < 0.5:
            return "below_50"
        return "50_to_80" if share <= 0.8 else "over_80"

    @property
    def competition_asked_most(self) -> bool:
        return self.touches > 0 and self.touches_asking * 2 > self.touches


def period_bounds(filters: Filters) -> tuple[datetime, datetime]:
    """The first moment of the first day and of the day after the last, in the organisation's time zone."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(filters.date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(filters.date_to + timedelta(days=1), time.min), zone)
    return start, end


def offered_applications(filters: Filters) -> QuerySet[Application]:
    """The applications whose first offer was extended in the period, narrowed by the filters, each
    annotated with `first_extended_at` (one aggregate over the offers)."""
    start, end = period_bounds(filters)
    narrowed = Q()
    if filters.team_id is not None:
        narrowed &= Q(recruiter__team_id=filters.team_id)
    if filters.recruiter_id is not None:
        narrowed &= Q(recruiter_id=filters.recruiter_id)
    if filters.client_id is not None:
        narrowed &= Q(job__client_id=filters.client_id)
    if filters.seniority:
        narrowed &= Q(job__seniority=filters.seniority)
    if filters.source:
        narrowed &= Q(candidate__source=filters.source)
    if filters.currency:
        narrowed &= Q(job__currency=filters.currency)
    # The offers table is small beside the applications: find the first extensions there, then narrow.
    first_in_period = (Offer.objects.filter(sent_at__isnull=False).values("application_id")
                       .annotate(first=Min("sent_at")).filter(first__gte=start, first__lt=end)
                       .values("application_id"))
    first_sent = (Offer.objects.filter(application=OuterRef("pk"), sent_at__isnull=False).order_by("sent_at")
                  .values("sent_at")[:1])
    return (Application.objects.filter(narrowed, pk__in=first_in_period)
            .annotate(first_extended_at=Subquery(first_sent)))


def load_offered(filters: Filters, now: datetime, *, measure: bool = True) -> list[OfferedApplication]:
    """Every application counted for `filters`, with what the practice figures need, in six queries
    whatever their number (set-based: no query per application)."""
    offers = Offer.objects.filter(application=OuterRef("pk"))
    closing_change = StageChange.objects.filter(application=OuterRef("pk"), to_stage=OuterRef("stage"))
    rows = (offered_applications(filters).annotate(
        start_date=Subquery(offers.filter(status__in=[OfferStatus.ACCEPTED, OfferStatus.RENEGED])
                            .order_by("-revision").values("start_date")[:1]),
        won_by=Subquery(offers.filter(status__in=[OfferStatus.DECLINED, OfferStatus.RENEGED])
                        .order_by("-revision").values("won_by")[:1]),
        loss_reason=Subquery(closing_change.order_by("-at", "-id").values("loss_reason")[:1]),
    ).values_list("id", "candidate_id", "recruiter__team_id", "stage", "stage_before_hold", "first_extended_at",
                  "accepted_at", "closed_at", "start_date", "won_by", "loss_reason", "generation", "created_at")
        .order_by("id"))
    zone = timezone.get_default_timezone()

    def local(moment: datetime) -> datetime:
        return moment.astimezone(zone)

    applications = [
        OfferedApplication(
            application_id=pk, candidate_id=candidate_id, team_id=team_id, stage=stage,
            effective_stage=(before or stage) if stage == Stage.ON_HOLD else stage,
            first_extended_at=local(first), accepted_at=local(accepted) if accepted else None,
            closed_at=local(closed) if closed else None, start_date=start_date,
            loss_reason=(loss_reason or "") if stage in LOST else "",
            won_by=(won_by or "").strip() if stage in LOST else "", generation=generation,
            created_at=created_at,
        )
        for (pk, candidate_id, team_id, stage, before, first, accepted, closed, start_date, won_by, loss_reason,
             generation, created_at) in rows
    ]
    if not applications:
        return applications
    if measure:
        _read_competing(applications, offered_applications(filters), now)
        _read_practice(applications, now)
    return applications


def _chunks(ids: Sequence[int], size: int = 20_000) -> Iterable[Sequence[int]]:
    """Ids in slices, so that a whole organisation's history stays under a database's parameter limit."""
    for begin in range(0, len(ids), size):
        yield ids[begin:begin + size]


def _read_competing(applications: list[OfferedApplication], candidates: QuerySet[Application], now: datetime,
                    ) -> None:
    """Counteroffers and the companies told in confidence, of the candidates concerned (`candidates`: the
    counted applications' query, read as a subquery) in one query."""
    counteroffers: dict[int, list[datetime]] = defaultdict(list)
    secrets: dict[int, list[str]] = defaultdict(list)
    for candidate_id, kind, company, confidential, learned_at in (
        CompetingOffer.objects.filter(candidate_id__in=candidates.values("candidate_id")).order_by()
        .filter(Q(kind=CompetingKind.COUNTEROFFER) | Q(confidential=True))
        .values_list("candidate_id", "kind", "company", "confidential", "learned_at")
    ):
        if kind == CompetingKind.COUNTEROFFER:
            counteroffers[candidate_id].append(learned_at)
        if confidential:
            secrets[candidate_id].append(company)
    for application in applications:
        until = application.answered_at or now
        application.counteroffer = any(learned <= until for learned in counteroffers.get(application.candidate_id, ()))
        told = secrets.get(application.candidate_id)
        if application.won_by and told:
            application.won_by_confidential = named_in_confidence(application.won_by, told)


def _windows(application: OfferedApplication, reached_final: datetime | None, today_end: datetime,
             ) -> list[tuple[datetime, datetime]]:
    """The practice's windows of an answered application: final interview -> answer, acceptance -> start."""
    windows: list[tuple[datetime, datetime]] = []
    answered_at = application.answered_at
    if reached_final is not None and answered_at is not None and reached_final <= answered_at:
        windows.append((reached_final, answered_at))
    if application.answer == "accepted" and application.accepted_at is not None:
        ends = [today_end]
        if application.stage in (Stage.STARTED, Stage.RENEGED) and application.closed_at is not None:
            ends.append(application.closed_at)
        if application.start_date is not None:
            ends.append(timezone.make_aware(datetime.combine(application.start_date, time.min),
                                            timezone.get_default_timezone()))
        end = min(ends)
        if end >= application.accepted_at:
            windows.append((application.accepted_at, end))
    return windows


def reached_final_stretch(stage_history: Sequence[tuple[datetime, str]], answered_at: datetime | None,
                          ) -> datetime | None:
    """When the round that led to the answer reached the final interview (or a later stage): the first such
    move after the application's last close before its answer (a reopened application's last round)."""
    reached: datetime | None = None
    for at, stage in stage_history:
        if answered_at is not None and at >= answered_at:
            break
        if stage in stages.CLOSED:
            reached = None
        elif stage in FINAL_STRETCH and reached is None:
            reached = at
    return reached


def _read_practice(applications: list[OfferedApplication], now: datetime) -> int:
    """Days within cadence and touches asking about the competition, for every answered application:
    its stage changes and the touches of its windows in two queries, the teams' cadences in one.

    Reading the touches is most of the figures' cost (a year of the large demo: 140,000 touches), and
    an application's measure changes only when something is written about it: each measure is kept
    under its key (`_practice_key`: its application's change counter among others) in the process and
    in the database (homestretch.insights.stored, one query for all), so that a view reads the touches
    of only the applications changed since, or never measured (the worker measures them: `refresh`).
    Returns how many were measured afresh."""
    today = timezone.localtime(now).date()
    rules = _practice_rules()
    keys = {a.application_id: _practice_key(a, today, rules) for a in applications if a.answer is not None}
    measures: dict[int, stored.Measure] = {}
    missing: dict[int, str] = {}
    for application_id, key in keys.items():
        if key in _remembered:
            measures[application_id] = _remembered[key]
        else:
            missing[application_id] = key
    measures.update(stored.read(missing) if missing else {})
    answered = [a for a in applications if a.application_id in missing and a.application_id not in measures]
    if answered:
        _measure_practice(answered, now)
        fresh = [(a.application_id, keys[a.application_id],
                  (a.days_in_cadence, a.days_measured, a.touches, a.touches_asking)) for a in answered]
        stored.write(fresh, now)
        measures.update({application_id: measure for application_id, _, measure in fresh})
    if len(_remembered) + len(missing) > REMEMBER_AT_MOST:
        _remembered.clear()
    _remembered.update({key: measures[application_id] for application_id, key in missing.items()})
    for application in applications:
        measure = measures.get(application.application_id)
        if measure is not None:
            (application.days_in_cadence, application.days_measured, application.touches,
             application.touches_asking) = measure
    return len(answered)


def _practice_rules() -> str:
    """What else a kept measure was computed with: the rules' revision, the default cadence and the time
    zone of the days (a stored measure outlives the process; a deploy may change any of them)."""
    said = f"{PRACTICE_REVISION}:{DEFAULT_CADENCE!r}:{settings.TIME_ZONE}"
    return hashlib.sha256(said.encode()).hexdigest()[:12]


def _practice_key(application: OfferedApplication, today: date, rules: str = "") -> str:
    """What an application's practice measure depends on: its change counter (raised by every write to its
    stages, offers, touches and its team's cadence: pipeline/changes.py), its team (a recruiter may move),
    and, while its acceptance still waits for the start, the day; and `rules` (`_practice_rules`). The
    candidate and the creation time make an id reused after a delete another key."""
    waiting = application.answer == "accepted" and application.stage not in (Stage.STARTED, Stage.RENEGED)
    day = today.isoformat() if waiting else ""
    created = application.created_at.timestamp() if application.created_at is not None else ""
    return (f"insights:practice:v1:{application.application_id}:{application.candidate_id}:{created}:"
            f"{application.generation}:{application.team_id}:{day}:{rules}")


def refresh(now: datetime) -> int:
    """Measure and store every practice measure the default view (the whole organisation, the year up to
    today) needs that is not stored yet or no longer holds; the worker calls it on each run, so that the
    day's first view reads them all in one query. Returns how many were measured."""
    date_from, date_to = default_period(timezone.localtime(now).date())
    applications = load_offered(Filters(date_from, date_to), now, measure=False)
    return _read_practice(applications, now) if applications else 0


def _measure_practice(answered: list[OfferedApplication], now: datetime) -> None:
    """The practice's measure of these answered applications, read from the database."""
    ids = [a.application_id for a in answered]
    zone = timezone.get_default_timezone()
    stage_history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for chunk in _chunks(ids):
        for application_id, at, to_stage in (StageChange.objects.filter(application_id__in=chunk)
                                             .values_list("application_id", "at", "to_stage").order_by("at", "id")):
            stage_history[application_id].append((at.astimezone(zone), to_stage))
    today_end = now.astimezone(zone)
    windows: dict[int, list[tuple[datetime, datetime]]] = {}
    for application in answered:
        reached = reached_final_stretch(stage_history[application.application_id], application.answered_at)
        windows[application.application_id] = _windows(application, reached, today_end)
    if not any(windows.values()):
        return
    latest = max(end for spans in windows.values() for _, end in spans)
    # Only the touches from the first window's opening to the close (or now): the final stretch.
    reached_final = (StageChange.objects.filter(application_id=OuterRef("application_id"), to_stage__in=FINAL_STRETCH)
                     .order_by("at").values("at")[:1])
    touches = (Touchpoint.objects.filter(at__lte=latest).order_by()
               .filter(Q(application__closed_at__isnull=True) | Q(at__lte=F("application__closed_at"))))
    by_application: dict[int, list[tuple[datetime, bool]]] = defaultdict(list)
    for chunk in _chunks(ids):
        for application_id, at, asked in (touches.filter(application_id__in=chunk, at__gte=Subquery(reached_final))
                                          .values_list("application_id", "at", "competition_asked")):
            by_application[application_id].append((at.astimezone(zone), asked))
    # Touches logged on the candidate alone (a call about all their processes) count for each application.
    by_candidate: dict[int, list[tuple[datetime, bool]]] = defaultdict(list)
    earliest = min(start for spans in windows.values() for start, _ in spans)
    for chunk in _chunks(sorted({a.candidate_id for a in answered})):
        for candidate_id, at, asked in (Touchpoint.objects.order_by().filter(
                application__isnull=True, candidate_id__in=chunk, at__gte=earliest, at__lte=latest)
                .values_list("candidate_id", "at", "competition_asked")):
            by_candidate[candidate_id].append((at.astimezone(zone), asked))
    cadence_of = cadence_lookup()
    for application in answered:
        spans = windows[application.application_id]
        if not spans:
            continue
        contacts = sorted(by_application.get(application.application_id, []) +
                          by_candidate.get(application.candidate_id, []))
        cadence = cadence_of(application.team_id)
        history = stage_history[application.application_id]
        for start, end in spans:
            in_cadence, days = days_within_cadence(start, end, contacts, history, cadence, application.start_date)
            application.days_in_cadence += in_cadence
            application.days_measured += days
            for at, asked in contacts:
                if start <= at <= end:
                    application.touches += 1
                    application.touches_asking += asked


def days_within_cadence(
    start: datetime, end: datetime, contacts: Sequence[tuple[datetime, bool]],
    stage_history: Sequence[tuple[datetime, str]], cadence: Cadence, start_date: date | None = None,
) -> tuple[int, int]:
    """(days within cadence, days counted) for the local days after `start`'s day up to `end`'s day.

    A day is within cadence when, by its end, the next contact was not overdue: `next_contact_due`
    with the last contact (sorted `contacts`, local date-times) and the stage (sorted `stage_history`
    of (moment, stage)) as they stood at the end of that day. The days between two events share one
    due date, so the cadence is asked once per event, not once per day."""
    first = start.date() + timedelta(days=1)
    last = end.date()
    if last < first:
        return 0, 0
    contact_days = [at.date() for at, _ in contacts]
    contact_moments = [at for at, _ in contacts]
    # A move to a stage without a cadence (the close that answered) leaves the cadence of the stage before.
    stage_history = [(at, stage) for at, stage in stage_history if cadence.gap_for(stage) is not None]
    stage_days = [at.date() for at, _ in stage_history]
    breaks = sorted({d for d in contact_days if first < d <= last} | {d for d in stage_days if first < d <= last})
    starts = [first, *breaks]
    ends = [d - timedelta(days=1) for d in breaks] + [last]
    within = 0
    for segment_start, segment_end in zip(starts, ends, strict=True):
        length = (segment_end - segment_start).days + 1
        contact_index = bisect.bisect_right(contact_days, segment_start)
        last_contact = contact_moments[contact_index - 1] if contact_index else None
        stage_index = bisect.bisect_right(stage_days, segment_start)
        if not stage_index:
            within += length  # before its first recorded stage: nothing was due yet
            continue
        entered, stage = stage_history[stage_index - 1]
        due = next_contact_due(cadence, stage, last_contact, entered, segment_start, start_date=start_date)
        if due is None:
            within += length  # a stage without a cadence (closed): nothing overdue
            continue
        overdue_from = max(segment_start, due.due_on + timedelta(days=1))
        within += length - max(0, (segment_end - overdue_from).days + 1)
    return within, (last - first).days + 1


# --- The figures. ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BandRow:
    band: str
    label: str
    n: int
    lost: int
    loss_rate: Rate

    def as_dict(self) -> dict[str, Any]:
        return {"band": self.band, "label": self.label, "n": self.n, "lost": self.lost,
                "loss_rate": _round(self.loss_rate.value), "low": _round(self.loss_rate.low),
                "high": _round(self.loss_rate.high)}


@dataclass(frozen=True, slots=True)
class ReasonRow:
    reason: str
    label: str
    declined: int
    reneged: int
    n: int
    share: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "label": self.label, "declined": self.declined, "reneged": self.reneged,
                "n": self.n, "share": _round(self.share)}


@dataclass(frozen=True, slots=True)
class CompetitorRow:
    """A company that won `n` candidates from us, `confidential` of them named to us in confidence."""

    company: str
    n: int
    confidential: int

    def as_dict(self) -> dict[str, Any]:
        return {"company": self.company, "n": self.n, "confidential": self.confidential}


@dataclass(frozen=True, slots=True)
class Summary:
    """Every figure over one set of applications (the period, or one month of it)."""

    offers_extended: int
    acceptance_rate: Rate
    renege_rate: Rate
    time_to_answer_median: float | None
    time_to_answer_p90: float | None
    time_to_answer_n: int
    adherence_mean: float | None


@dataclass(frozen=True)
class Insights:
    filters: Filters
    summary: Summary
    reasons: tuple[ReasonRow, ...]
    competitors_won: tuple[CompetitorRow, ...]
    counteroffers_recorded: int
    counteroffer_share: float | None
    with_counteroffer: BandRow
    without_counteroffer: BandRow
    cadence_adherence: tuple[BandRow, ...]
    adherence_not_measured: int
    competition_asked: tuple[BandRow, ...]
    cadence_finding: str
    competition_finding: str
    by_month: tuple[tuple[str, Summary], ...] = field(default_factory=tuple)

    def shareable(self) -> Insights:
        """The figures as viewers and every export read them: each competitor named in confidence counted
        in one row without a name."""
        named = tuple(CompetitorRow(row.company, row.n - row.confidential, 0) for row in self.competitors_won
                      if row.n > row.confidential)
        hidden = sum(row.confidential for row in self.competitors_won)
        rows = tuple(sorted(named, key=lambda r: (-r.n, r.company.casefold())))
        return _replace_competitors(self, rows + ((CompetitorRow(CONFIDENTIAL_COMPANIES, hidden, hidden),)
                                                  if hidden else ()))

    def as_dict(self) -> dict[str, Any]:
        """The API's JSON: the definitions' names as keys (docs/insights.md)."""
        summary = self.summary
        return {
            "period": {"from": self.filters.date_from.isoformat(), "to": self.filters.date_to.isoformat()},
            "offers_extended": summary.offers_extended,
            "acceptance_rate": summary.acceptance_rate.as_dict(),
            "renege_rate": summary.renege_rate.as_dict(),
            "time_to_answer_days": _time_to_answer(summary),
            "reasons": [row.as_dict() for row in self.reasons],
            "competitors_won": [row.as_dict() for row in self.competitors_won],
            "counteroffers": {
                "recorded": self.counteroffers_recorded,
                "share": _round(self.counteroffer_share),
                "with_counteroffer": self.with_counteroffer.as_dict(),
                "without_counteroffer": self.without_counteroffer.as_dict(),
            },
            "cadence_adherence": [row.as_dict() for row in self.cadence_adherence],
            "competition_asked": [row.as_dict() for row in self.competition_asked],
            "findings": {
                "cadence_adherence": self.cadence_finding,
                "competition_asked": self.competition_finding,
                "not_measured": self.adherence_not_measured,
                "caveat": OBSERVATIONAL,
            },
            "by_month": [_month_dict(month, month_summary) for month, month_summary in self.by_month],
        }


def _replace_competitors(insights: Insights, rows: tuple[CompetitorRow, ...]) -> Insights:
    return dataclasses.replace(insights, competitors_won=rows)


def _time_to_answer(summary: Summary) -> dict[str, Any]:
    return {"median": _round(summary.time_to_answer_median, 2), "p90": _round(summary.time_to_answer_p90, 2),
            "n": summary.time_to_answer_n}


def _month_dict(month: str, summary: Summary) -> dict[str, Any]:
    return {
        "month": month,
        "offers_extended": summary.offers_extended,
        "acceptance_rate": summary.acceptance_rate.as_dict(),
        "renege_rate": summary.renege_rate.as_dict(),
        "time_to_answer_days": _time_to_answer(summary),
        "cadence_adherence": _round(summary.adherence_mean),
    }


def summarise(applications: Sequence[OfferedApplication], today: date) -> Summary:
    """The headline figures over these applications (pure)."""
    answered = [a for a in applications if a.answer is not None]
    accepted = [a for a in answered if a.answer == "accepted"]
    due_to_start = [a for a in accepted if a.start_has_passed(today)]
    days = [(a.answered_at - a.first_extended_at).total_seconds() / 86400 for a in answered
            if a.answered_at is not None and a.answered_at >= a.first_extended_at]
    shares = [share for a in answered if (share := a.adherence) is not None]
    return Summary(
        offers_extended=len(applications),
        acceptance_rate=wilson(len(accepted), len(answered)),
        renege_rate=wilson(sum(1 for a in due_to_start if a.stage == Stage.RENEGED), len(due_to_start)),
        time_to_answer_median=statistics.median(days) if days else None,
        time_to_answer_p90=percentile(days, 0.9),
        time_to_answer_n=len(days),
        adherence_mean=statistics.fmean(shares) if shares else None,
    )


def _loss_row(band: str, label: str, applications: Sequence[OfferedApplication]) -> BandRow:
    lost = sum(1 for a in applications if a.lost)
    return BandRow(band, label, len(applications), lost, wilson(lost, len(applications)))


def finding(higher: BandRow, lower: BandRow, what: str) -> str:
    """Whether the difference in loss rate between two groups is larger than its uncertainty, in words."""
    a, b = higher.loss_rate, lower.loss_rate
    if a.value is None or b.value is None or a.low is None or a.high is None or b.low is None or b.high is None:
        return f"Not enough answered offers to compare {what}."
    first = f"“{higher.label}” ({a.value:.0%} of {a.n} lost)"
    second = f"“{lower.label}” ({b.value:.0%} of {b.n} lost)"
    if a.low > b.high or b.low > a.high:
        more, fewer = (first, second) if a.value > b.value else (second, first)
        return (f"{what.capitalize()}: more candidates were lost in the group {more} than in the group {fewer}, "
                "a difference larger than its uncertainty (the 95 % intervals do not overlap).")
    return (f"{what.capitalize()}: the loss rates of the groups {first} and {second} differ by less than their "
            "uncertainty (the 95 % intervals overlap); these figures cannot tell them apart.")


def _extremes_finding(bands: Sequence[BandRow], what: str) -> str:
    """The finding between the lowest and the highest band that hold any answered offer."""
    held = [band for band in bands if band.n]
    if len(held) < 2:
        return f"Not enough answered offers in two bands to compare {what}."
    return finding(held[0], held[-1], what)


def insights(filters: Filters, *, now: datetime) -> Insights:
    """Every figure for `filters` as of `now`: the applications read in a fixed number of queries, the
    arithmetic in Python over plain rows."""
    applications = load_offered(filters, now)
    return figures_of(applications, filters, today=timezone.localtime(now).date())


def figures_of(applications: Sequence[OfferedApplication], filters: Filters, *, today: date) -> Insights:
    """The figures of already loaded applications (pure)."""
    answered = [a for a in applications if a.answer is not None]
    lost = [a for a in applications if a.lost]
    reasons = _reasons(lost)
    winners: Counter[str] = Counter()
    in_confidence: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for application in lost:
        if application.won_by:
            key = " ".join(application.won_by.casefold().split())
            winners[key] += 1
            in_confidence[key] += application.won_by_confidential
            spelling.setdefault(key, application.won_by)
    competitors = tuple(sorted((CompetitorRow(spelling[key], n, in_confidence[key]) for key, n in winners.items()),
                               key=lambda row: (-row.n, row.company.casefold())))
    with_counter = _loss_row("with_counteroffer", "with a counteroffer", [a for a in answered if a.counteroffer])
    without_counter = _loss_row("without_counteroffer", "without a counteroffer",
                                [a for a in answered if not a.counteroffer])
    bands = tuple(_loss_row(band, label, [a for a in answered if a.adherence_band == band])
                  for band, label in ADHERENCE_BANDS)
    asked = (_loss_row("yes", "asked at most touches", [a for a in answered if a.competition_asked_most]),
             _loss_row("no", "not asked at most touches",
                       [a for a in answered if not a.competition_asked_most]))
    by_month: dict[str, list[OfferedApplication]] = defaultdict(list)
    for application in applications:
        by_month[application.month].append(application)
    recorded = sum(1 for a in applications if a.counteroffer)
    return Insights(
        filters=filters,
        summary=summarise(applications, today),
        reasons=reasons,
        competitors_won=competitors,
        counteroffers_recorded=recorded,
        counteroffer_share=recorded / len(applications) if applications else None,
        with_counteroffer=with_counter,
        without_counteroffer=without_counter,
        cadence_adherence=bands,
        adherence_not_measured=sum(1 for a in answered if a.adherence is None),
        competition_asked=asked,
        cadence_finding=_extremes_finding(bands, "contact cadence"),
        competition_finding=finding(asked[1], asked[0], "asking about the competition"),
        by_month=tuple((month, summarise(by_month[month], today)) for month in _months(filters)),
    )


def _reasons(lost: Sequence[OfferedApplication]) -> tuple[ReasonRow, ...]:
    declined: Counter[str] = Counter(a.loss_reason for a in lost if a.stage == Stage.DECLINED)
    reneged: Counter[str] = Counter(a.loss_reason for a in lost if a.stage == Stage.RENEGED)
    total = len(lost)
    rows = []
    for reason in sorted(set(declined) | set(reneged), key=lambda r: (-(declined[r] + reneged[r]), r)):
        n = declined[reason] + reneged[reason]
        label = LossReason(reason).label if reason in LossReason.values else (reason or "Not recorded")
        rows.append(ReasonRow(reason, label, declined[reason], reneged[reason], n, n / total if total else None))
    return tuple(rows)


def _months(filters: Filters) -> list[str]:
    """Every month of the period, "YYYY-MM", so that a month without offers shows as one."""
    months = []
    year, month = filters.date_from.year, filters.date_from.month
    while (year, month) <= (filters.date_to.year, filters.date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_period(today: date) -> tuple[date, date]:
    """The year up to today: the twelve months before it and today."""
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
    return start, today
