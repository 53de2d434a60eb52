"""The retention period: candidates with no open application and no activity for HOMESTRETCH_RETENTION_MONTHS
(default 24) are erased by the worker, once a day, with the reason "retention period".

One rule, `due_for_erasure`, decides who is due at a moment; the worker, `homestretch retention` and the admins'
page of those due within a week all read it. A candidate's activity is the latest of:
- the candidate's own record written (created or changed);
- a touch with them (its date);
- one of their applications written: opened, moved (a stage move writes the application), closed;
- one of our offers to them written, a competing offer or priorities of theirs recorded or changed;
- mail from or about them taken in.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from homestretch.audit.context import acting
from homestretch.mailin.models import MailMessage
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import stages
from homestretch.pipeline.models import Application, Candidate, Touchpoint

from .choices import ErasureCause
from .erasure import erase_candidate
from .models import Erasure

logger = logging.getLogger(__name__)

RETENTION_REASON = "retention period"
WORKER = "retention worker"  # who erased, in the audit
NOTICE = timedelta(days=7)  # how far ahead admins see who will be erased


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier (the month's last day when it has fewer days)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(moment: datetime, months: int) -> datetime:
    return months_before(moment, -months)


def _activity_sources() -> list[tuple[QuerySet, str, str]]:
    """Each kind of record that counts as activity: its rows of the candidate (OuterRef("pk")), the path to
    the candidate and the moment that dates it."""
    here = OuterRef("pk")
    return [
        (Touchpoint.objects.filter(candidate_id=here), "candidate_id", "at"),
        (Application.objects.filter(candidate_id=here), "candidate_id", "updated_at"),
        (Offer.objects.filter(application__candidate_id=here), "application__candidate_id", "updated_at"),
        (CompetingOffer.objects.filter(candidate_id=here), "candidate_id", "updated_at"),
        (Priorities.objects.filter(candidate_id=here), "candidate_id", "as_of"),
        (MailMessage.objects.filter(candidate_id=here), "candidate_id", "received_at"),
    ]


def with_last_activity(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """The candidates annotated with `last_activity` (one query, a subquery per kind of record)."""
    latest = [
        Coalesce(Subquery(queryset.order_by().values(owner).annotate(latest=Max(moment)).values("latest")[:1]),
                 F("updated_at"))
        for queryset, owner, moment in _activity_sources()
    ]
    return candidates.annotate(last_activity=Greatest(F("updated_at"), F("created_at"), *latest))


def due_for_erasure(at: datetime, months: int | None = None) -> QuerySet[Candidate]:
    """The candidates due for erasure at `at`: not erased yet, no open application, and nothing of theirs
    written or dated after the cut-off (`months` before `at`, HOMESTRETCH_RETENTION_MONTHS by default).
    Set-based: NOT EXISTS per kind of record, on the indexes by candidate; annotated with `last_activity`."""
    months = settings.RETENTION_MONTHS if months is None else months
    cutoff = months_before(at, months)
    here = OuterRef("pk")
    recent = [queryset.filter(**{f"{moment}__gt": cutoff}) for queryset, _, moment in _activity_sources()]
    due = (Candidate.objects.filter(updated_at__lte=cutoff, created_at__lte=cutoff)
           .exclude(Exists(Application.objects.filter(candidate_id=here, stage__in=sorted(stages.OPEN))))
           .exclude(Exists(Erasure.objects.filter(candidate_id=here))))
    for queryset in recent:
        due = due.exclude(Exists(queryset))
    return with_last_activity(due).order_by(F("last_activity"), "pk")


@dataclass(frozen=True)
class Due:
    """One candidate due for erasure: the operator and the admins are entitled to see who."""

    candidate_id: int
    name: str
    last_activity: datetime
    due_on: datetime

    def as_dict(self) -> dict[str, object]:
        return {"candidate_id": self.candidate_id, "name": self.name,
                "last_activity": self.last_activity.isoformat(), "due_on": self.due_on.isoformat()}


def due_list(at: datetime, months: int | None = None, *, limit: int | None = None) -> list[Due]:
    """Who is due at `at`, with the last activity and the moment each became (or becomes) due."""
    months = settings.RETENTION_MONTHS if months is None else months
    rows = due_for_erasure(at, months).values_list("pk", "name", F("last_activity"))
    if limit is not None:
        rows = rows[:limit]
    return [Due(candidate_id=pk, name=name, last_activity=last, due_on=months_after(last, months))
            for pk, name, last in rows]


def due_within_notice(at: datetime, months: int | None = None) -> list[Due]:
    """Who the worker will erase within NOTICE (a week) if nothing happens: what admins see ahead."""
    return due_list(at + NOTICE, months)


def erase_due(at: datetime, months: int | None = None, *, limit: int | None = None) -> int:
    """Erase everyone due at `at` (at most `limit`, the oldest first); returns how many. Each erasure is its
    own transaction: one refused (erased meanwhile by an admin) does not undo the others."""
    erased = 0
    due = due_for_erasure(at, months).values_list("pk", flat=True)
    for candidate_id in list(due[:limit] if limit else due):
        if erase_one(candidate_id, at):
            erased += 1
    if erased:
        logger.info("retention: %s candidates erased", erased)
    return erased


def erase_one(candidate_id: int, at: datetime) -> bool:
    try:
        erase_candidate(candidate_id, reason=RETENTION_REASON, by=None, at=at, cause=ErasureCause.RETENTION)
    except (ValidationError, Http404):  # erased or deleted meanwhile: nothing left to do
        return False
    return True


# Erasures per run of the worker. An erasure reads every touch's notes for mentions of the person (4.6 s on
# the large data set, benchmarks/README.md): a backlog, on the first day of retention, erased in one run would
# hold the digests due in the same loop for hours. In batches, it goes on at the next run until none is due.
WORKER_BATCH = 10


def daily() -> Callable[[datetime], int]:
    """The worker's daily job: erase those due, once per UTC day per worker process (a second process erasing
    the same day finds nobody due, or is refused per candidate), WORKER_BATCH at a run until the day's are done."""
    last_day: list[date] = []

    def erase_due_today(at: datetime) -> int:
        day = at.date()
        if last_day and last_day[0] == day:
            return 0
        with acting(None, label=WORKER):
            count = erase_due(at, limit=WORKER_BATCH)
        if count < WORKER_BATCH:  # none left today (or the rest refused: erased meanwhile)
            last_day[:] = [day]
        return count

    return erase_due_today
