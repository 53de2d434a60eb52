"""Touch summaries: what the touchpoints of each application, and of each candidate alone, add up to.

Two ways to the same numbers:
- `aggregate(...)` reduces the touchpoints themselves, as of any moment (five set-based queries);
- the `TouchSummary` table holds the same reduction over every touchpoint. Reading it is one query of
  one row per application. It is derived data, kept by explicit calls, never by signals: every writer
  of touchpoints (the services, hence the pages, the API and the back office; the demo's bulk loader)
  calls `homestretch.pipeline.changes.touches_changed` with the owners it wrote, in its transaction,
  which calls `refresh` here (and counts the change for the risk snapshots).

The risk loader reads the table when no touchpoint is dated after the moment it scores (the usual
case: now), and aggregates otherwise (the past, or a touch logged ahead of time). A test checks that
both ways give the same facts on the demo data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from homestretch.lib.frozen import quick_init
from homestretch.lib.prepared import prepared_rows

from .models import Application, Candidate, Touchpoint, TouchSummary

SUMMARY_FIELDS = (
    "touchpoints", "last_contact_at", "last_inbound_at", "last_competition_asked_at", "last_competition_answer",
    "latest_interest", "previous_interest", "last_status_update_at",
)


@quick_init
@dataclass(frozen=True, slots=True)
class Totals:
    """One owner's touches reduced; the same fields as TouchSummary, times in UTC as stored."""

    touchpoints: int
    last_contact_at: datetime
    last_inbound_at: datetime | None
    last_competition_asked_at: datetime | None
    last_competition_answer: str
    latest_interest: int | None
    previous_interest: int | None
    last_status_update_at: datetime | None


# Keys: an application id (int), or ("candidate", id) for the touches logged on a candidate alone.
Owner = int | tuple[str, int]


def aggregate(application_scope, candidate_scope, *, at: datetime | None = None) -> dict[Owner, Totals]:
    """Reduce the touchpoints of the applications in `application_scope` and those logged on the
    candidates of `candidate_scope` without an application, counting only touches up to `at` (all when
    None). Scopes are subqueries or lists of ids. Five queries whatever their size."""
    app_touches = Touchpoint.objects.filter(application_id__in=application_scope)
    lone_touches = Touchpoint.objects.filter(candidate_id__in=candidate_scope, application__isnull=True)
    if at is not None:
        app_touches = app_touches.filter(at__lte=at)
        lone_touches = lone_touches.filter(at__lte=at)
    aggregates = dict(
        inbound=Max("at", filter=Q(direction="inbound")),
        asked=Max("at", filter=Q(competition_asked=True)),
        updated=Max("at", filter=Q(status_update_given=True)),
    )
    # A side given as an empty list of ids (a touch saved on an application) costs no query.
    sides = [(key, touches) for key, touches, scope in (("application_id", app_touches, application_scope),
                                                         ("candidate_id", lone_touches, candidate_scope))
             if not _no_ids(scope)]
    totals: dict[Owner, list] = {}
    for key, touches in sides:
        for owner, count, last, inbound, asked, updated in (
            touches.values(key).annotate(n=Count("id"), last=Max("at"), **aggregates).order_by()
            .values_list(key, "n", "last", "inbound", "asked", "updated")
        ):
            totals[_owner(key, owner)] = [count, last, inbound, asked, updated]

    # The latest answer to "other processes?" and the two latest interest levels, by window function.
    answers: dict[Owner, str] = {}
    for key, touches in sides:
        ranked = touches.filter(competition_asked=True).annotate(
            rank=Window(RowNumber(), partition_by=[F(key)], order_by=[F("at").desc(), F("id").desc()])
        ).filter(rank=1)
        for owner, answer in ranked.values_list(key, "competition_answer"):
            answers[_owner(key, owner)] = answer
    # Interest is about one job: only the application's own touches carry it.
    interests: dict[Owner, list[tuple[int, int]]] = defaultdict(list)
    if not _no_ids(application_scope):
        ranked = app_touches.filter(interest__isnull=False).annotate(
            rank=Window(RowNumber(), partition_by=[F("application_id")], order_by=[F("at").desc(), F("id").desc()])
        ).filter(rank__lte=2)
        for owner, rank, interest in ranked.values_list("application_id", "rank", "interest").order_by():
            assert interest is not None, "interest__isnull=False"
            interests[owner].append((rank, interest))

    reduced: dict[Owner, Totals] = {}
    for owner, (count, last, inbound, asked, updated) in totals.items():
        levels = [level for _, level in sorted(interests.get(owner, []))]
        reduced[owner] = Totals(
            touchpoints=count, last_contact_at=last, last_inbound_at=inbound, last_competition_asked_at=asked,
            last_competition_answer=answers.get(owner, ""),
            latest_interest=levels[0] if levels else None,
            previous_interest=levels[1] if len(levels) > 1 else None,
            last_status_update_at=updated,
        )
    return reduced


def _no_ids(scope) -> bool:
    return isinstance(scope, list | tuple) and not scope


def _owner(key: str, owner: int) -> Owner:
    return owner if key == "application_id" else ("candidate", owner)


def stored(application_scope, candidate_scope) -> dict[Owner, Totals]:
    """The stored summaries of the same owners as `aggregate`, over every touchpoint; one query."""
    return stored_from_rows(prepared_rows(*stored_query(application_scope, candidate_scope)))


def stored_query(application_scope, candidate_scope) -> tuple:
    """`stored`'s query as `prepared_many` takes it, to be sent with others."""
    return ("touch_summaries.stored", _stored_rows, application_scope, candidate_scope)


def stored_from_rows(rows) -> dict[Owner, Totals]:
    """What `stored` makes of its query's rows."""
    reduced: dict[Owner, Totals] = {}
    for application_id, candidate_id, *values in rows:
        reduced[application_id if application_id is not None else ("candidate", candidate_id)] = Totals(*values)
    return reduced


def as_stored_rows(reduced: dict[Owner, Totals]) -> list[tuple]:
    """`aggregate`'s totals in the shape of the stored summaries' rows (`stored_query`): the application id
    (None for a candidate's lone touches), the candidate id (None for an application's), then SUMMARY_FIELDS."""
    values = attrgetter(*SUMMARY_FIELDS)
    return [(owner, None, *values(totals)) if isinstance(owner, int) else (None, owner[1], *values(totals))
            for owner, totals in reduced.items()]


def _stored_rows(application_scope, candidate_scope):
    # Built from its arguments alone: prepared_rows compiles it once per shape (lib/prepared.py).
    return TouchSummary.objects.filter(
        Q(application_id__in=application_scope) | Q(candidate_id__in=candidate_scope)
    ).values_list("application_id", "candidate_id", *SUMMARY_FIELDS)


def any_touch_after(at: datetime) -> bool:
    """Is any touchpoint dated after `at`? Then the stored summaries (over every touch) are ahead of
    the moment and the touches must be aggregated as of it. One probe of the newest-first index."""
    return bool(prepared_rows(*touch_after_query(at)))


def touch_after_query(at: datetime) -> tuple:
    """`any_touch_after`'s probe as `prepared_many` takes it: a row if any touchpoint is dated after `at`."""
    return ("touch_summaries.any_touch_after", _touches_after, at)


def _touches_after(at: datetime):
    return Touchpoint.objects.filter(at__gt=at).values_list("id")[:1]


def refresh(*, application_ids: Iterable[int] | QuerySet = (), candidate_ids: Iterable[int] | QuerySet = ()) -> int:
    """Recompute the stored summaries of these applications and of these candidates' lone touches;
    an owner left without touches loses its row. Each side is a list of ids or a queryset of ids (a
    bulk load names everything by subquery). A handful of queries for any number of owners; returns
    how many rows were written. Writers call it through homestretch.pipeline.changes.touches_changed,
    which also counts the change for the risk snapshots."""
    if not isinstance(application_ids, QuerySet):
        application_ids = sorted({pk for pk in application_ids if pk is not None})
    if not isinstance(candidate_ids, QuerySet):
        candidate_ids = sorted({pk for pk in candidate_ids if pk is not None})
    if _no_ids(application_ids) and _no_ids(candidate_ids):
        return 0
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        reduced = aggregate(application_ids, candidate_ids)
        owners = Q()
        if not _no_ids(application_ids):
            owners |= Q(application_id__in=application_ids)
        if not _no_ids(candidate_ids):
            owners |= Q(candidate_id__in=candidate_ids)
        TouchSummary.objects.filter(owners).delete()
        # Owners deleted in the same transaction (a cascade) have no touches left, hence no row.
        TouchSummary.objects.bulk_create(_rows(reduced), batch_size=2000)
    return len(reduced)


def rebuild_all() -> int:
    """Recompute every stored summary from the touchpoints; returns the row count. For migrations,
    which may not count changes (homestretch.pipeline.changes.everything_changed does both)."""
    return refresh(application_ids=Application.objects.values("id"), candidate_ids=Candidate.objects.values("id"))


def _rows(reduced: dict[Owner, Totals]) -> list[TouchSummary]:
    rows = []
    for owner, totals in reduced.items():
        keys = {"candidate_id": owner[1]} if isinstance(owner, tuple) else {"application_id": owner}
        rows.append(TouchSummary(**keys, **{name: getattr(totals, name) for name in SUMMARY_FIELDS}))
    return rows
