"""Risk snapshots: each open application's risk and Today status, stored for the day, so that pages
over everyone's pipeline rank in SQL and load and score only the rows they show.

Everyone's Today and pipeline need the risk of every open application to rank them (some 6,700 on
the large demo), and loading and scoring them all takes about 0.4 s. The risk only changes when what
it is computed from changes, or when the day changes (every feature counts whole days). So:

- `ensure_fresh(scope, now, scorer)` recomputes the snapshots of the applications in `scope` that
  are not valid at `now` (a fixed number of queries, whatever their number) and the pages then rank
  and count with `due_ranking` and `stage_ranking`, one query each;
- every save and delete of what the risk is computed from (the application, its stage changes,
  touchpoints, offers and their events, competing offers, priorities, the job, the recruiter's team,
  the team's cadence) adds one to `generation` of the applications concerned, by signal, in the
  writer's own transaction, so the admin, the API, the pages and the services all keep it;
- a snapshot is valid while it was computed from the current generation, for today, before it
  expires (the next local midnight, or earlier when a record is dated ahead, such as a meeting
  logged for this afternoon) and with the weights and rules that score now (`scoring_key`).

Why a generation counter rather than deleting stale rows: a page recomputing a snapshot reads the
generation before the facts, so a change committed while it computes leaves the snapshot invalid
instead of being overwritten by the values from before it. Every application gets its row when it
is created (in the same transaction), so a change always finds a row to count on.

The shown rows are always loaded and scored afresh; the snapshot only chooses and counts them. The
worker (`homestretch worker`) refreshes everyone's snapshots on each run, so that the day's first
page does not pay for the night's expiry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, Min, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from homestretch.cadence.due import due_reasons
from homestretch.cadence.rules import DEFAULT_CADENCE
from homestretch.pipeline.models import Application

from .loader import SCORED_STAGES, applications_as_of, load_facts
from .models import RiskSnapshot
from .scoring import Scorer, current_scorer
from .weights import Weights

# Add one when the engine's or the agenda's rules change what a snapshot holds: every snapshot
# computed under the previous rules is then recomputed on its next read.
RULES_REVISION = 2  # 2: pay compared like with like and one earliest-start rule (homestretch.situation)

# Above this many stale applications, the recompute loads the whole scope by subquery instead of a
# list of ids (a list this long would be slower to send, and SQLite caps the parameters of a query).
ID_LIST_LIMIT = 500

# Records that can be dated ahead of the moment a snapshot is computed; when that moment passes,
# the risk changes without a write, so the snapshot expires then. Each is a lookup from Application.
DATED_AHEAD = (
    "candidate__touchpoints__at",  # the candidate's touches, lone ones and other applications' included
    "candidate__competing_offers__learned_at",
    "candidate__competing_offers__changes__at",  # an edit dated ahead: the offer says it from then on
    "candidate__priorities__as_of",
    "stage_changes__at",
    "offers__created_at",
    "offers__sent_at",
    "offers__responded_at",
    "offers__events__at",
    "accepted_at",
)


def scoring_key(weights: Weights) -> str:
    """What the snapshot was scored with: the weights, the rules, the default cadence and the time zone."""
    fingerprint = hashlib.sha256(
        repr((weights.base_log_odds, weights.vector, DEFAULT_CADENCE, settings.TIME_ZONE)).encode()
    ).hexdigest()[:16]
    return f"{weights.source[:80]}|r{RULES_REVISION}|{fingerprint}"


def _next_midnight(now: datetime) -> datetime:
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def valid_at(now: datetime, scorer: Scorer) -> QuerySet[RiskSnapshot]:
    """The snapshots that hold at `now` when scored by `scorer`."""
    return RiskSnapshot.objects.filter(
        computed_generation=F("generation"), day=timezone.localtime(now).date(), computed_at__lte=now,
        expires_at__gt=now, scoring=scoring_key(scorer.weights),
    )


def ensure_fresh(scope: QuerySet[Application], now: datetime, scorer: Scorer) -> int:
    """Recompute the snapshots of the applications in `scope` (open at `now`) that are not valid at
    `now`; returns how many were recomputed. One query when all are valid; about fifteen more otherwise,
    whatever their number."""
    # A condition on the joined row, not NOT IN (valid snapshots): that would read every valid
    # snapshot of the organisation to check one recruiter's hundred applications.
    holds = Q(risk_snapshot__computed_generation=F("risk_snapshot__generation"),
              risk_snapshot__day=timezone.localtime(now).date(), risk_snapshot__computed_at__lte=now,
              risk_snapshot__expires_at__gt=now, risk_snapshot__scoring=scoring_key(scorer.weights))
    stale = dict(
        scope.annotate(holds=Case(When(holds, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .filter(holds=False).values_list("id", "risk_snapshot__generation").order_by()
    )
    if not stale:
        return 0
    # Few: by their ids. Many (the day's first page, a new model): the whole scope by subquery,
    # writing only the stale ones.
    load_scope: Iterable[int] | QuerySet = list(stale) if len(stale) <= ID_LIST_LIMIT else scope.values("id")
    _recompute(stale, load_scope, now, scorer)
    return len(stale)


def _recompute(generations: dict[int, int | None], load_scope, now: datetime, scorer: Scorer) -> None:
    facts = load_facts(now, application_ids=load_scope, scored_only=False)
    cadence_for_team = scorer.cadence_for_team
    risks = scorer.risks((fact for fact in facts if fact.application_id in generations), now)
    on = timezone.localtime(now).date()
    expires = _expiries(load_scope, now)
    key = scoring_key(scorer.weights)
    rows = []
    for fact in facts:
        app_id = fact.application_id
        if app_id not in generations:
            continue
        risk = risks[app_id]
        reasons = due_reasons(fact, on, cadence_for_team(fact.team_id)) if fact.stage in SCORED_STAGES else []
        generation = generations[app_id] or 0
        rows.append((
            app_id, generation, generation, on, now, expires.get(app_id, expires[None]), key, fact.stage,
            risk.probability, risk.band or "", bool(reasons), reasons[0].overdue_days if reasons else None,
        ))
    _upsert(rows)


def _expiries(load_scope, now: datetime) -> dict[int | None, datetime]:
    """When each application's snapshot stops holding: the next local midnight (key None), or the
    first moment after `now` at which a record of it is dated, if earlier. One query (a union)."""
    midnight = _next_midnight(now)
    firsts = [
        Application.objects.filter(pk__in=load_scope, **{f"{lookup}__gt": now, f"{lookup}__lt": midnight})
        .values("id").annotate(first=Min(lookup)).values_list("id", "first").order_by()
        for lookup in DATED_AHEAD
    ]
    expires: dict[int | None, datetime] = {None: midnight}
    for app_id, first in firsts[0].union(*firsts[1:], all=True):
        if first < expires.get(app_id, midnight):
            expires[app_id] = first
    return expires


_COLUMNS = ("application_id", "generation", "computed_generation", "day", "computed_at", "expires_at", "scoring",
            "stage", "probability", "band", "due", "overdue_days")


def _upsert(rows: list[tuple]) -> None:
    """Write the recomputed values in one statement run for every row (one query, whatever the count).
    `generation` is written only when the row is new: a change counted meanwhile is kept, and with it
    the snapshot's staleness."""
    if not rows:
        return
    ops, quote = connection.ops, connection.ops.quote_name
    adapted = [
        (app_id, generation, computed, ops.adapt_datefield_value(day), ops.adapt_datetimefield_value(computed_at),
         ops.adapt_datetimefield_value(expires_at), key, stage, probability, band, due, overdue)
        for app_id, generation, computed, day, computed_at, expires_at, key, stage, probability, band, due, overdue
        in rows
    ]
    updated = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in _COLUMNS[2:])
    # Only this module's table and column names are formatted in; every value is a parameter.
    table, columns = quote(RiskSnapshot._meta.db_table), ", ".join(quote(c) for c in _COLUMNS)
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
        f"ON CONFLICT ({quote('application_id')}) DO UPDATE SET {updated}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, adapted)


# --- Ranking for the pages -------------------------------------------------------------------------


def _of(scope: QuerySet[Application]) -> QuerySet[RiskSnapshot]:
    return RiskSnapshot.objects.filter(application_id__in=scope.values("id"))


def due_ranking(scope: QuerySet[Application], limit: int) -> tuple[list[int], int, int]:
    """The ids of the `limit` most pressing applications due today in `scope` — overdue first, then the
    riskiest, then the longest overdue: the agenda's own order (homestretch.agenda.today.build_agenda)
    — with how many are due and how many overdue in all. One query."""
    rows = list(
        _of(scope).filter(due=True)
        .annotate(on_time=Case(When(overdue_days__gt=0, then=Value(0)), default=Value(1)),
                  risk=Coalesce("probability", 0.0),
                  total=Window(Count("pk")),
                  overdue=Window(Sum(Case(When(overdue_days__gt=0, then=Value(1)), default=Value(0)))))
        .order_by("on_time", F("risk").desc(), F("overdue_days").desc(), "application_id")
        .values_list("application_id", "total", "overdue")[:limit]
    )
    if not rows:
        return [], 0, 0
    return [app_id for app_id, _, _ in rows], rows[0][1], rows[0][2]


def stage_ranking(
    scope: QuerySet[Application], stages: Iterable[str], per_stage: int,
) -> tuple[list[int], dict[str, int]]:
    """The ids of the `per_stage` riskiest applications of `scope` at each of `stages`, newest first
    among equals (the board's own order), with how many there are at each stage. One query."""
    by_stage = [F("stage")]
    ranked = _of(scope).filter(stage__in=list(stages)).annotate(
        rank=Window(RowNumber(), partition_by=by_stage, order_by=[
            Coalesce("probability", 0.0).desc(), F("application__created_at").desc(), F("application_id").desc()]),
        count=Window(Count("pk"), partition_by=by_stage),
    )
    ids, counts = [], {}
    for app_id, stage, count in ranked.filter(rank__lte=per_stage).values_list("application_id", "stage", "count"):
        ids.append(app_id)
        counts[stage] = count
    return ids, counts


# --- Counting changes ------------------------------------------------------------------------------


def count_change(*, application_ids: Iterable[int] = (), candidate_ids: Iterable[int] = (),
                 job_ids: Iterable[int] = (), offer_ids: Iterable[int] = (), recruiter_ids: Iterable[int] = (),
                 team_ids: Iterable[int] = ()) -> None:
    """Add one to the generation of every application concerned: their snapshots no longer hold."""
    conditions = Q()
    for lookup, ids in (("application_id", application_ids), ("application__candidate_id", candidate_ids),
                        ("application__job_id", job_ids), ("application__offers__id", offer_ids),
                        ("application__recruiter_id", recruiter_ids),
                        ("application__recruiter__team_id", team_ids)):
        ids = [pk for pk in ids if pk is not None]
        if ids:
            conditions |= Q(**{f"{lookup}__in": ids})
    if conditions:
        RiskSnapshot.objects.filter(conditions).update(generation=F("generation") + 1)


def _cascading(origin) -> bool:
    """Is this delete part of deleting an application or a candidate? Then their snapshots go too."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model.__name__ in ("Application", "Candidate") and model._meta.app_label == "pipeline"


def _application_saved(sender, instance, created: bool, **kwargs) -> None:
    if created:
        # Its row from the start, in the creating transaction: every later change finds it.
        RiskSnapshot.objects.bulk_create([RiskSnapshot(application_id=instance.pk)], ignore_conflicts=True)
    else:
        count_change(application_ids=[instance.pk])


def _by_application(sender, instance, origin=None, **kwargs) -> None:
    if origin is None or not _cascading(origin):
        count_change(application_ids=[instance.application_id])


def _by_candidate(sender, instance, origin=None, **kwargs) -> None:
    if origin is None or not _cascading(origin):
        count_change(candidate_ids=[instance.candidate_id])


def _touch_changed(sender, instance, origin=None, **kwargs) -> None:
    if origin is not None and _cascading(origin):
        return
    # An edit can move a touch to another application or candidate: where it was counts too
    # (remembered before the save by homestretch.pipeline.touch_summaries).
    application_before, candidate_before = getattr(instance, "_owners_before", None) or (None, None)
    count_change(application_ids=[application_before], candidate_ids=[instance.candidate_id, candidate_before])


def _offer_event_changed(sender, instance, origin=None, **kwargs) -> None:
    if origin is None or not _cascading(origin):
        count_change(offer_ids=[instance.offer_id])


def _job_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created:
        count_change(job_ids=[instance.pk])


def _user_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    # A sign-in saves only last_login; a change of team changes the cadence the user's applications
    # are judged by.
    if not created and (update_fields is None or "team" in update_fields or "team_id" in update_fields):
        count_change(recruiter_ids=[instance.pk])


def _cadence_changed(sender, instance, **kwargs) -> None:
    count_change(team_ids=[instance.team_id])


def connect_signals() -> None:
    from homestretch.accounts.models import User
    from homestretch.cadence.models import TeamCadence
    from homestretch.offers.models import CompetingOffer, Offer, OfferEvent, Priorities
    from homestretch.pipeline.models import Job, StageChange, Touchpoint

    def connect(signal, receiver, sender) -> None:
        signal.connect(receiver, sender=sender, dispatch_uid=f"risk_snapshot_{sender.__name__}_{receiver.__name__}")

    connect(post_save, _application_saved, Application)
    for model in (StageChange, Offer):
        connect(post_save, _by_application, model)
        connect(post_delete, _by_application, model)
    # CompetingOfferChange needs no receiver: services.record_competing_offer writes a change only
    # together with a save of its CompetingOffer (counted here, in the same transaction), and changes
    # are deleted only with their offer (a cascade, counted by its post_delete).
    for model in (CompetingOffer, Priorities):
        connect(post_save, _by_candidate, model)
        connect(post_delete, _by_candidate, model)
    connect(post_save, _touch_changed, Touchpoint)
    connect(post_delete, _touch_changed, Touchpoint)
    connect(post_save, _offer_event_changed, OfferEvent)
    connect(post_delete, _offer_event_changed, OfferEvent)
    connect(post_save, _job_saved, Job)
    connect(post_save, _user_saved, User)
    connect(post_save, _cadence_changed, TeamCadence)
    connect(post_delete, _cadence_changed, TeamCadence)


def add_missing_rows() -> int:
    """Give every application without one its snapshot row (after a bulk load that bypassed the
    saves); returns how many were added."""
    missing = Application.objects.filter(risk_snapshot__isnull=True).values_list("id", flat=True).order_by("id")
    created = RiskSnapshot.objects.bulk_create((RiskSnapshot(application_id=pk) for pk in missing.iterator()),
                                               batch_size=2000, ignore_conflicts=True)
    return len(created)


def refresh_everyone(now: datetime) -> int:
    """Recompute every stale snapshot of the applications open at `now` (the worker's round)."""
    return ensure_fresh(applications_as_of(now), now, current_scorer())


def everything_changed() -> int:
    """Count a change on every application (after data was written around the application, by raw
    SQL or a partial restore): every snapshot is recomputed on its next read. Returns the row count."""
    add_missing_rows()
    return RiskSnapshot.objects.update(generation=F("generation") + 1)
