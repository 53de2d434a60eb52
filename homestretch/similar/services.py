"""Similar past searches: for a job, the closed jobs most like it and what each of them taught.

`similar_jobs(job_id)` ranks the closed jobs (status Filled or Closed) with the TF-IDF index of
`search.py`, then reads what the best ones taught in a fixed number of set-based queries, whatever the
number of jobs or applications: the cache key (1), the closed jobs' text when the index must be
(re)built (1), and for the top jobs together: the jobs (1), their applications (1), the loss reasons
(1), our offers (1) and the competing offers (1). Seven at most, plus one when given a job id, plus one
for the rate table when some pay was seen in another currency than the job's (similar.rates).

What counts as "relevant to an application of this job" for a competing offer: competing offers
belong to the candidate, not to an application, so a competing offer counts for an application when
it was learned in one of the application's touchpoints, or while the application was open (from its
creation up to `WINNER_GRACE` after it closed: the company a candidate took is often learned in the
call after the loss). A candidate's competing offers from another search, before or long after, do not
count.
"""

from __future__ import annotations

import statistics
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from homestretch.offers.choices import CompetingKind, CompetingStage
from homestretch.offers.models import Offer
from homestretch.pipeline import stages
from homestretch.pipeline.choices import JobStatus, LossReason, Seniority, Stage
from homestretch.pipeline.models import Application, Job, StageChange

from .models import ExchangeRate
from .rates import Conversion, StatedRate, conversion
from .search import JobText, SimilarityIndex

CLOSED_JOB_STATUSES = (JobStatus.FILLED, JobStatus.CLOSED)
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
WINNER_GRACE = timedelta(days=14)
# Outcome keys in the order a recruiter reads them: the hires, then each way out, then what is left open.
OUTCOME_STAGES = (Stage.STARTED, Stage.DECLINED, Stage.RENEGED, Stage.WITHDRAWN, Stage.REJECTED)


@dataclass(frozen=True, slots=True)
class PaySeen:
    """Amounts seen in one currency and period (never mixed). In another currency than the job searched,
    `converted` gives them in the job's currency at a stated, dated rate, or `not_converted_because` says
    why not (similar.rates)."""

    currency: str
    period: str
    n: int
    min: Decimal
    median: Decimal
    max: Decimal
    conversion: Conversion | None = None
    not_converted_because: str = ""

    @property
    def converted(self) -> dict[str, Decimal] | None:
        if self.conversion is None:
            return None
        return {"min": self.conversion.convert(self.min), "median": self.conversion.convert(self.median),
                "max": self.conversion.convert(self.max)}

    def as_dict(self) -> dict[str, Any]:
        converted = self.converted
        return {"currency": self.currency, "period": self.period, "n": self.n,
                "min": f"{self.min:.2f}", "median": f"{self.median:.2f}", "max": f"{self.max:.2f}",
                "converted": None if converted is None or self.conversion is None else {
                    "currency": self.conversion.to_currency,
                    **{key: f"{value:.2f}" for key, value in converted.items()},
                    "rate": self.conversion.as_dict()},
                "not_converted_because": self.not_converted_because}


@dataclass(frozen=True, slots=True)
class ReasonCount:
    code: str
    label: str
    n: int


@dataclass(frozen=True, slots=True)
class Winner:
    """A company whose offer a candidate took instead of ours, and how many times."""

    company: str
    wins: int
    counteroffer: bool = False  # the candidate stayed with the current employer
    confidential: bool = False  # known only from competing offers told in confidence: never for a client


@dataclass(frozen=True, slots=True)
class Lesson:
    text: str
    application_id: int | None = None  # None: the job's own lessons note


@dataclass(frozen=True, slots=True)
class SimilarJob:
    job_id: int
    score: float
    client: str
    title: str
    seniority: str
    location: str
    status: str
    closed_on: date | None
    outcomes: dict[str, int]  # applications, started, declined, reneged, withdrawn, rejected, open
    decline_reasons: tuple[ReasonCount, ...] = ()
    our_offers: tuple[PaySeen, ...] = ()
    competing_offers: tuple[PaySeen, ...] = ()
    competitors_won: tuple[Winner, ...] = ()
    lessons: tuple[Lesson, ...] = field(default=())

    @property
    def seniority_label(self) -> str:
        return Seniority(self.seniority).label if self.seniority in Seniority.values else self.seniority

    @property
    def status_label(self) -> str:
        return JobStatus(self.status).label if self.status in JobStatus.values else self.status

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id, "score": self.score, "client": self.client, "title": self.title,
            "seniority": self.seniority, "location": self.location, "status": self.status,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "outcomes": dict(self.outcomes),
            "decline_reasons": [asdict(reason) for reason in self.decline_reasons],
            "pay_seen": {"our_offers": [pay.as_dict() for pay in self.our_offers],
                         "competing_offers": [pay.as_dict() for pay in self.competing_offers]},
            "competitors_won": [asdict(winner) for winner in self.competitors_won],
            "lessons": [asdict(lesson) for lesson in self.lessons],
        }


# --- Pure arithmetic over plain rows.

def pay_seen(amounts: Iterable[tuple[str, str, Decimal | None]]) -> tuple[PaySeen, ...]:
    """min / median / max per (currency, period), ordered by the number of amounts then by currency."""
    by_money: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for currency, period, amount in amounts:
        if amount is not None and currency:
            by_money[(currency, period)].append(Decimal(amount))
    seen = [
        PaySeen(currency=currency, period=period, n=len(values), min=min(values),
                median=Decimal(statistics.median(values)).quantize(Decimal("0.01")), max=max(values))
        for (currency, period), values in by_money.items()
    ]
    return tuple(sorted(seen, key=lambda pay: (-pay.n, pay.currency, pay.period)))


def outcome_counts(stages_of_applications: Iterable[str]) -> dict[str, int]:
    counts = Counter(stages_of_applications)
    outcomes = {"applications": sum(counts.values())}
    outcomes.update({str(stage): counts.get(stage, 0) for stage in OUTCOME_STAGES})
    outcomes["open"] = outcomes["applications"] - sum(outcomes[str(stage)] for stage in OUTCOME_STAGES)
    return outcomes


def winners(claims: Iterable[tuple[int, str, bool, bool]]) -> tuple[Winner, ...]:
    """Companies that won lost applications, from (application id, company, counteroffer, confidential).

    A company counts once per application however many records name it (our offer's `won_by` and an
    accepted competing offer often both do); it is confidential only if every record that names it is.
    """
    per_application: dict[tuple[int, str], list[tuple[str, bool, bool]]] = defaultdict(list)
    for application_id, company, counteroffer, confidential in claims:
        name = " ".join(company.split())
        if name:
            per_application[(application_id, name.casefold())].append((name, counteroffer, confidential))
    wins: dict[str, list] = {}
    for (_, key), records in per_application.items():
        entry = wins.setdefault(key, [records[0][0], 0, False, True])
        entry[1] += 1
        entry[2] = entry[2] or any(counter for _, counter, _ in records)
        entry[3] = entry[3] and all(secret for _, _, secret in records)
    ranked = [Winner(company=name, wins=n, counteroffer=counter, confidential=secret)
              for name, n, counter, secret in wins.values()]
    return tuple(sorted(ranked, key=lambda winner: (-winner.wins, winner.company.casefold())))


# --- The index of closed jobs, cached in the process.

_index_lock = threading.Lock()
_cached: dict[str, tuple[tuple, SimilarityIndex]] = {}


def _closed_jobs():
    return Job.objects.filter(status__in=CLOSED_JOB_STATUSES)


def _index_key(using: str) -> tuple:
    """What identifies the closed jobs' text: one cheap aggregate query.

    Safe because every way the index's input changes moves one of these: a job closing or reopening
    changes the count and, being a save(), `updated_at` (auto_now); an edit of a closed job's title,
    skills, seniority or location is a save() that moves `updated_at` to the newest; a deleted closed
    job lowers the count, and the highest id tells a delete plus a create apart. Only a bare
    QuerySet.update() that leaves `updated_at` alone would slip past, and no workflow writes jobs so
    (services.close_job lists `updated_at` in its update_fields). The database's name is in the key, so
    two databases in one process (tests, benchmarks) never share an index. Each process checks the key
    at every search, so several app servers over one PostgreSQL each see a change at their next search.
    """
    totals = _closed_jobs().using(using).aggregate(n=Count("id"), changed=Max("updated_at"), last=Max("id"))
    return (connections[using].settings_dict["NAME"], totals["n"], totals["changed"], totals["last"])


def closed_jobs_index(using: str = "default") -> SimilarityIndex:
    """The TF-IDF index of every closed job, rebuilt only when the closed jobs changed."""
    key = _index_key(using)
    cached = _cached.get(using)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _index_lock:
        cached = _cached.get(using)
        if cached is not None and cached[0] == key:
            return cached[1]
        rows = _closed_jobs().using(using).order_by("id").values_list("id", "title", "skills", "seniority", "location")
        index = SimilarityIndex([JobText(*row) for row in rows])
        _cached[using] = (key, index)
        return index


def forget_index() -> None:
    """Drop the cached index (for benchmarks measuring a cold search)."""
    _cached.clear()


def job_text(job: Job) -> JobText:
    return JobText(job_id=job.pk, title=job.title, skills=job.skills, seniority=job.seniority,
                   location=job.location)


# --- Searching and summarising.

def similar_jobs(job_id: int, *, limit: int = DEFAULT_LIMIT) -> list[SimilarJob]:
    """The closed jobs most like job `job_id`, best first, with what each taught.

    Raises Job.DoesNotExist for an unknown id and ValueError for a limit outside 1..MAX_LIMIT.
    """
    try:
        job = Job.objects.only("id", "title", "skills", "seniority", "location", "currency").get(pk=job_id)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Job.DoesNotExist(f"No job with id {job_id}.") from None
    return similar_to(job, limit=limit)


def similar_to(job: Job, *, limit: int = DEFAULT_LIMIT) -> list[SimilarJob]:
    """As `similar_jobs`, for a job already loaded (the job page has it)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    matches = closed_jobs_index().most_similar(job_text(job), limit=limit)
    if not matches:
        return []
    found = summarise([match.job_id for match in matches], {match.job_id: match.score for match in matches})
    return in_currency(found, job.currency)


def in_currency(found: list[SimilarJob], currency: str) -> list[SimilarJob]:
    """The pay lines in another currency than `currency` converted at the admin's stated, dated rates (one
    query, only when there is such a line), or marked with why not; each at the rate of its job's closing day."""
    foreign = {pay.currency for past in found for pay in (*past.our_offers, *past.competing_offers)} - {currency}
    if not currency or not foreign:
        return found
    rates = [StatedRate(*row) for row in ExchangeRate.objects.filter(
        Q(from_currency=currency, to_currency__in=foreign) | Q(to_currency=currency, from_currency__in=foreign),
    ).values_list("from_currency", "to_currency", "rate", "valid_from", "source")]

    def converted(lines: tuple[PaySeen, ...], on: date | None) -> tuple[PaySeen, ...]:
        result = []
        for pay in lines:
            if pay.currency == currency:
                result.append(pay)
                continue
            rate, why_not = conversion(rates, pay.currency, currency, on)
            result.append(replace(pay, conversion=rate, not_converted_because=why_not))
        return tuple(result)

    return [replace(past, our_offers=converted(past.our_offers, past.closed_on),
                    competing_offers=converted(past.competing_offers, past.closed_on)) for past in found]


def summarise(job_ids: list[int], scores: dict[int, float]) -> list[SimilarJob]:
    """What the jobs `job_ids` taught, in that order: five set-based queries for all of them together."""
    jobs = {
        row["id"]: row for row in Job.objects.filter(pk__in=job_ids).values(
            "id", "title", "seniority", "location", "status", "closed_on", "lessons", client_name=F("client__name"),
        )
    }
    applications = list(
        Application.objects.filter(job_id__in=job_ids).order_by("job_id", "closed_at", "id")
        .values_list("id", "job_id", "stage", "lessons", "created_at", "closed_at")
    )
    job_of = {application_id: job_id for application_id, job_id, *_ in applications}
    lost_to_candidate = {application_id for application_id, _, stage, *_ in applications
                         if stage in stages.CANDIDATE_LOSSES}

    reasons: dict[int, list[ReasonCount]] = defaultdict(list)
    for lost_job_id, code, n in (
        StageChange.objects.filter(application__job_id__in=job_ids, to_stage__in=sorted(stages.LOSSES))
        .exclude(loss_reason="").values("application__job_id", "loss_reason")
        .annotate(n=Count("application_id", distinct=True)).order_by("application__job_id", "-n", "loss_reason")
        .values_list("application__job_id", "loss_reason", "n")
    ):
        label = str(LossReason(code).label) if code in LossReason.values else code
        reasons[lost_job_id].append(ReasonCount(code=code, label=label, n=n))

    # Our offers: the latest revision of each application's offer (earlier revisions were superseded).
    our_amounts: dict[int, list] = defaultdict(list)
    claims: dict[int, list] = defaultdict(list)
    latest_offers = (
        Offer.objects.filter(application__job_id__in=job_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("application_id")], order_by=[F("revision").desc()]))
        .filter(rank=1).values_list("application_id", "base", "currency", "period", "won_by")
    )
    for application_id, base, currency, period, won_by in latest_offers:
        job_id = job_of.get(application_id)
        if job_id is None:  # an application opened between the two queries: it taught nothing yet
            continue
        our_amounts[job_id].append((currency, period, base))
        if won_by and application_id in lost_to_candidate:
            claims[job_id].append((application_id, won_by, False, False))

    competing_amounts: dict[int, list] = defaultdict(list)
    for application_id, company, kind, stage, base, currency, period, confidential in _relevant_competing(job_ids):
        job_id = job_of.get(application_id)
        if job_id is None:
            continue
        competing_amounts[job_id].append((currency, period, base))
        if stage == CompetingStage.ACCEPTED and application_id in lost_to_candidate:
            claims[job_id].append((application_id, company, kind == CompetingKind.COUNTEROFFER, confidential))

    stages_by_job: dict[int, list[str]] = defaultdict(list)
    lessons_by_job: dict[int, list[Lesson]] = defaultdict(list)
    for application_id, job_id, stage, lessons, _, _ in applications:
        stages_by_job[job_id].append(stage)
        if lessons.strip():
            lessons_by_job[job_id].append(Lesson(text=lessons.strip(), application_id=application_id))

    similar = []
    for job_id in job_ids:
        row = jobs.get(job_id)
        if row is None:  # deleted between the ranking and now
            continue
        job_lessons = [Lesson(text=row["lessons"].strip())] if row["lessons"].strip() else []
        similar.append(SimilarJob(
            job_id=job_id, score=scores[job_id], client=row["client_name"], title=row["title"],
            seniority=row["seniority"], location=row["location"], status=row["status"], closed_on=row["closed_on"],
            outcomes=outcome_counts(stages_by_job[job_id]),
            decline_reasons=tuple(reasons[job_id]),
            our_offers=pay_seen(our_amounts[job_id]),
            competing_offers=pay_seen(competing_amounts[job_id]),
            competitors_won=winners(claims[job_id]),
            lessons=tuple(job_lessons + lessons_by_job[job_id]),
        ))
    return similar


def _relevant_competing(job_ids: list[int]) -> QuerySet:
    """(application id, company, kind, stage, base, currency, period, confidential) of each competing offer
    relevant to an application of these jobs, in one query over applications joined to competing offers.

    The conditions sit in one filter() call, so they all bind the same joined competing offer.
    """
    prefix = "candidate__competing_offers__"
    learned_at = F(f"{prefix}learned_at")
    return (
        Application.objects.filter(
            Q(job_id__in=job_ids),
            Q(**{f"{prefix}learned_in__application_id": F("id")})
            | (Q(**{f"{prefix}learned_at__gte": F("created_at")})
               & (Q(closed_at__isnull=True) | Q(closed_at__gte=learned_at - WINNER_GRACE))),
        )
        .order_by("id", f"{prefix}learned_at", f"{prefix}id")
        .values_list("id", f"{prefix}company", f"{prefix}kind", f"{prefix}stage", f"{prefix}base",
                     f"{prefix}currency", f"{prefix}period", f"{prefix}confidential")
    )
