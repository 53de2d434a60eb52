"""What every writer calls, in its own transaction, so that the derived tables stay true.

Two tables are derived from what the services write (docs/architecture.md, Derived tables):

- the touch summaries (`TouchSummary`, homestretch.pipeline.touch_summaries): what each application's
  touches, and each candidate's lone touches, add up to. Whoever writes touchpoints calls
  `touches_changed` with their owners;
- the risk snapshots (homestretch.risk.snapshots), each valid while computed from its application's
  current `generation`. Whoever writes what the risk is computed from calls `count_change` with what
  the write concerns: it adds one to the generation of every application concerned.

Both take lists of ids or querysets of ids (a bulk loader names everything it wrote by subquery),
each in a fixed number of queries whatever their number. Nothing here listens to saves: a write that
does not call them (raw SQL, `QuerySet.update()`, a partial restore) leaves the derived tables
behind until `everything_changed()` is called. The recruiter's team is not counted here: a snapshot
stores the team it was computed for and is stale under another (homestretch.risk.snapshots).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q, QuerySet

from . import candidate_count, touch_summaries
from .models import Application

Ids = Iterable[int | None] | QuerySet


def count_change(*, application_ids: Ids = (), candidate_ids: Ids = (), job_ids: Ids = (),
                 team_ids: Ids = ()) -> int:
    """Add one to the generation of these applications, of every application of these candidates
    (competing offers, priorities and touches are about the candidate, not one search), of every
    application to these jobs (the pay band, remote policy) and of every application owned by these
    teams' recruiters (the team's cadence): their risk snapshots no longer hold. One UPDATE; returns
    how many applications it counted on."""
    conditions = Q()
    for lookup, ids in (("pk", application_ids), ("candidate_id", candidate_ids), ("job_id", job_ids),
                        ("recruiter__team_id", team_ids)):
        scope = _scope(ids)
        if scope is not None:
            conditions |= Q(**{f"{lookup}__in": scope})
    return _count(conditions)


def touches_changed(*, application_ids: Ids = (), candidate_ids: Ids = ()) -> None:
    """Touchpoints were added, edited, moved or deleted: `application_ids` are the applications they
    were (or are now) logged on, `candidate_ids` the candidates of those logged on a candidate alone.
    Recomputes those owners' touch summaries and counts a change on every application of the
    candidates concerned (a call counts for all of a candidate's searches)."""
    applications, candidates = _scope(application_ids), _scope(candidate_ids)
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        touch_summaries.refresh(application_ids=applications if applications is not None else (),
                                candidate_ids=candidates if candidates is not None else ())
        conditions = Q()
        if applications is not None:
            conditions |= Q(candidate_id__in=Application.objects.filter(pk__in=applications).values("candidate_id"))
        if candidates is not None:
            conditions |= Q(candidate_id__in=candidates)
        _count(conditions)


def everything_changed() -> int:
    """After data was written around the services (a bulk load, raw SQL, a partial restore): every
    touch summary recomputed, a change counted on every application and, on PostgreSQL, the candidates
    counted again (candidate_count.py: its triggers see raw SQL too, not a restore that disabled them).
    Returns the application count."""
    with transaction.atomic(savepoint=False):
        candidate_count.recount()
        touch_summaries.rebuild_all()
        return Application.objects.update(generation=F("generation") + 1)


def _scope(ids: Ids) -> list[int] | QuerySet | None:
    """A queryset as it is (a subquery), other ids as a sorted list without None; None when empty."""
    if isinstance(ids, QuerySet):
        return ids
    listed = sorted({pk for pk in ids if pk is not None})
    return listed or None


def _count(conditions: Q) -> int:
    if not conditions:
        return 0
    return Application.objects.filter(conditions).update(generation=F("generation") + 1)
