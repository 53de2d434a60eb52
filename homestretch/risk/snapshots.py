"""Risk snapshots: each open application's risk and Today status, stored for the day, so that pages
over everyone's pipeline rank in SQL and load and score only the rows they show.

Everyone's Today and pipeline need the risk of every open application to rank them (some 6,700 on
the large demo), and loading and scoring them all takes about 0.4 s. The risk only changes when what
it is computed from changes, or when the day changes (every feature counts whole days). So:

- `ensure_fresh(scope, now, scorer)` recomputes the snapshots of the applications in `scope` that
  are not valid at `now` (a fixed number of queries, whatever their number) and the pages then rank
  and count with `due_ranking` and `stage_ranking`, one query each;
- every write of what the risk is computed from (the application, its stage changes, touchpoints,
  offers and their events, competing offers, priorities, the job, the team's cadence) adds one to the
  `generation` of the applications concerned, on the application itself: the writer calls
  homestretch.pipeline.changes (`count_change`, `touches_changed`) in its own transaction. The
  services do, and the pages, the API, the back office and the demo's bulk loader write through
  them or call it; nothing listens to saves (docs/architecture.md, Derived tables);
- a snapshot is valid while it was computed from its application's current generation, for the team
  its recruiter is in now (a change of team changes the cadence; accounts sits below the pipeline and
  counts nothing, so the snapshot is checked against it when read), for today, before it expires (the
  next local midnight, or earlier when a record is dated ahead, such as a meeting logged for this
  afternoon) and with the weights and rules that score now (`scoring_key`).

Why a generation counter rather than deleting stale rows: a page recomputing a snapshot reads the
generation before the facts, so a change committed while it computes leaves the snapshot invalid
instead of being overwritten by the values from before it. An application without a row (new, or
from a bulk load) is stale like any other, so a row is made on first read and never needed before.

The shown rows are always loaded and scored afresh; the snapshot only chooses and counts them. The
worker (`homestretch worker`) refreshes everyone's snapshots on each run, so that the day's first
page does not pay for the night's expiry.

The next day. Every snapshot expires at midnight, so without a worker the day's first view of everyone's
pages would recompute all of them: some 6,700 applications loaded and scored, half a second on the large
demo, whatever changed overnight. So a snapshot also carries the values of the next working day
(settings.WORKING_DAYS: Friday's carry Monday's), scored from the same facts as of that day's start when
it is computed, and that day's first `ensure_fresh` promotes them in one UPDATE (`_promote`) for every
snapshot whose application did not change since, whose recruiter is in the same team and that was scored
with the same weights; only the others are recomputed. The carried values are the engine's at that day's
start because nothing it reads moved: a change adds to the generation, and a record dated between the
computation and that start (a meeting logged for tonight) means nothing is carried (`next_expires_at` is
then that start, so the values never hold); one dated during the day carried ends them then, as
`expires_at` does today. A trained model with track-record features also reads the decisions made before
the day's start: a decision closed after the snapshot was computed blocks the promotion. Promoted rows
carry nothing further; `ensure_fresh` carries them again a few hundred at a time (`CARRY_BATCH`), and the
worker all at once. A view on a day that is not a working day finds nothing carried for it, and
recomputes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from homestretch.cadence.due import due_reasons
from homestretch.cadence.rules import DEFAULT_CADENCE
from homestretch.pipeline.models import Application

from .loader import ID_LIST_LIMIT as LOADER_ID_LIST_LIMIT
from .loader import SCORED_STAGES, applications_as_of, load_facts
from .models import RiskSnapshot
from .scoring import Scorer, current_scorer
from .track_record import DECIDED_STAGES
from .weights import Weights

# Add one when the engine's or the agenda's rules change what a snapshot holds: every snapshot
# computed under the previous rules is then recomputed on its next read.
RULES_REVISION = 2  # 2: pay compared like with like and one earliest-start rule (homestretch.situation)

# Above this many stale applications, the recompute loads the whole scope by subquery instead of a list
# of ids: the loader's own limit (risk/loader.py), up to which a list costs no more per application than
# the scope's subquery (the 730 changed overnight on the large demo: 37 ms against 333 for all 6,769).
ID_LIST_LIMIT = LOADER_ID_LIST_LIMIT

# At most this many snapshots that hold but carry no next day (promoted this morning) get it per call of
# `ensure_fresh`: a bounded addition to a page (about 40 ms for 300 on the large demo), so that the next day's
# first view finds them carried after a day of views. The worker carries every one.
CARRY_BATCH = 300

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
    scored_with: tuple = (weights.base_log_odds, weights.vector, DEFAULT_CADENCE, settings.TIME_ZONE)
    if weights.history_vector:
        # A trained model's track-record weights; the record itself is read as of the start of the
        # snapshot's day, so the day in the snapshot's key covers it. Absent for the experts: their key
        # is what it was before history features existed.
        scored_with += (weights.history_vector,)
    fingerprint = hashlib.sha256(repr(scored_with).encode()).hexdigest()[:16]
    return f"{weights.source[:80]}|r{RULES_REVISION}|{fingerprint}"


def _next_midnight(now: datetime) -> datetime:
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def _holds(now: datetime, scorer: Scorer, *, snapshot: str, application: str) -> Q:
    """The condition for a snapshot to hold at `now`, its fields reached through `snapshot` and its
    application's through `application` (lookup prefixes: the same rule from either side)."""
    team, recruiter_team = f"{snapshot}team", f"{application}recruiter__team"
    return Q(
        Q(**{team: F(recruiter_team)}) | Q(**{f"{team}__isnull": True, f"{recruiter_team}__isnull": True}),
        **{f"{snapshot}computed_generation": F(f"{application}generation"),
           f"{snapshot}day": timezone.localtime(now).date(), f"{snapshot}computed_at__lte": now,
           f"{snapshot}expires_at__gt": now, f"{snapshot}scoring": scoring_key(scorer.weights)},
    )


def valid_at(now: datetime, scorer: Scorer) -> QuerySet[RiskSnapshot]:
    """The snapshots that hold at `now` when scored by `scorer`."""
    return RiskSnapshot.objects.filter(_holds(now, scorer, snapshot="", application="application__"))


def ensure_fresh(
    scope: QuerySet[Application], now: datetime, scorer: Scorer, *, carry_batch: int | None = CARRY_BATCH,
) -> int:
    """Recompute the snapshots of the applications in `scope` (open at `now`) that are not valid at
    `now`; returns how many were recomputed.

    The values carried for today are promoted first where they hold (one statement, at the first call of
    the day in each process). The next working day's values are carried by every snapshot computed, and by
    snapshots that hold without them, computed again, up to `carry_batch` snapshots in all (None: no limit);
    when more than that are stale (the day's first view), none carries them and later calls do.
    One query when nothing is to do; about fifteen more otherwise, whatever their number."""
    today = timezone.localtime(now).date()
    promoted_first = _promoted_on.get(connection.alias) != today
    if promoted_first:
        # This process's first call of the day promotes first (a statement that finds nothing once another
        # process has promoted), so that the day's first view reads what is stale once.
        _promote(now, scorer)
        _promoted_on[connection.alias] = today
    stale, uncarried, promotable = _stale(scope, now, scorer, carry_batch)
    # Values carried for today that appeared since this process promoted (written by a server whose clock
    # is behind): rare. Right after promoting, those left are the ones that no longer hold.
    if promotable and not promoted_first and _promote(now, scorer):
        stale, uncarried, _ = _stale(scope, now, scorer, carry_batch)
    carry = carry_batch is None or len(stale) <= carry_batch
    if carry_batch is not None:
        # They hold: computed again from the generation read above, their values for today are the same.
        uncarried = dict(list(uncarried.items())[:carry_batch - len(stale)]) if carry else {}
    computed = {**stale, **uncarried}
    if computed:
        # Few: by their ids. Many (a new model, everyone's carried by the worker): the whole scope by
        # subquery, writing only those computed.
        load_scope: Iterable[int] | QuerySet = (
            list(computed) if len(computed) <= ID_LIST_LIMIT else scope.values("id"))
        _recompute(computed, load_scope, now, scorer, carry=carry)
    return len(stale)


# The day each database was last promoted by this process (see ensure_fresh).
_promoted_on: dict[str, date] = {}


def _stale(
    scope: QuerySet[Application], now: datetime, scorer: Scorer, carry_batch: int | None,
) -> tuple[dict[int, int], dict[int, int], bool]:
    """The generations of the applications of `scope` whose snapshot does not hold at `now`, those of up
    to `carry_batch` (None: all) whose snapshot holds but carries nothing for the next working day, and
    whether any stale one carries values for today. One query."""
    # A condition on the joined row, not NOT IN (valid snapshots): that would read every valid
    # snapshot of the organisation to check one recruiter's hundred applications. A missing row
    # (LEFT JOIN: NULLs) does not hold. The generation is read here, before the facts.
    holds = _holds(now, scorer, snapshot="risk_snapshot__", application="")
    today = timezone.localtime(now).date()
    carried_day = _carried_day(today)
    rows = (
        scope.annotate(holds=Case(When(holds, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .filter(Q(holds=False) | Q(risk_snapshot__next_day__isnull=True) | ~Q(risk_snapshot__next_day=carried_day))
    )
    if carry_batch is not None:
        # Every stale one, but only the first `carry_batch` of those that hold: after the day's promotion
        # nearly all hold uncarried, and reading thousands of rows to carry three hundred cost each page
        # of the morning more than the carrying.
        rows = rows.annotate(
            rank=Window(RowNumber(), partition_by=[F("holds")], order_by=F("id").asc()),
            cap=Case(When(holds=True, then=Value(carry_batch)), default=Value(None)),
        ).filter(Q(cap__isnull=True) | Q(rank__lte=F("cap")))
    stale: dict[int, int] = {}
    uncarried: dict[int, int] = {}
    promotable = False
    for app_id, generation, held, next_day in rows.values_list(
            "id", "generation", "holds", "risk_snapshot__next_day").order_by():
        if not held:
            stale[app_id] = generation
            promotable = promotable or next_day == today
        else:
            uncarried[app_id] = generation
    return stale, uncarried, promotable


def _promote(now: datetime, scorer: Scorer) -> int:
    """Make the values carried for today the snapshots' own, where they still hold: the application's
    generation and its recruiter's team as when they were computed, the same weights, and not past
    `next_expires_at`. One statement; returns how many; the rows promoted carry nothing further."""
    today = timezone.localtime(now).date()
    start = _start_of(today)
    key = scoring_key(scorer.weights)
    promoted = RiskSnapshot.objects.filter(
        Q(team=F("application__recruiter__team"))
        | Q(team__isnull=True, application__recruiter__team__isnull=True),
        next_day=today, next_expires_at__gt=now, computed_at__lt=start, scoring=key,
        computed_generation=F("application__generation"),
    )
    if scorer.weights.history_vector:
        # The track record is read as of the day's start: a decision made after the snapshot was
        # computed (and before today) changes what today's values would have been.
        promoted = promoted.exclude(Exists(Application.objects.filter(
            stage__in=DECIDED_STAGES, closed_at__gte=OuterRef("computed_at"), closed_at__lt=start)))
    return promoted.update(
        day=F("next_day"), computed_at=start, expires_at=F("next_expires_at"), probability=F("next_probability"),
        band=F("next_band"), due=F("next_due"), overdue_days=F("next_overdue_days"),
        next_day=None, next_expires_at=None, next_probability=None, next_band="", next_due=False,
        next_overdue_days=None,
    )


def _recompute(generations: dict[int, int], load_scope, now: datetime, scorer: Scorer, *, carry: bool = True) -> None:
    facts = load_facts(now, application_ids=load_scope, scored_only=False)
    cadence_for_team = scorer.cadence_for_team
    facts = [fact for fact in facts if fact.application_id in generations]
    risks = scorer.risks(facts, now)
    on = timezone.localtime(now).date()
    midnight = _next_midnight(now)
    carried_day = _carried_day(on)
    carried_start = _start_of(carried_day)
    expires, not_carried, carried_until = _expiries(load_scope, now, carried_start)
    # The next working day's values, from the same facts as of its start, for the applications with nothing
    # dated before it (their facts then are not these).
    carried = [fact for fact in facts
               if fact.application_id not in expires and fact.application_id not in not_carried] if carry else []
    next_risks = scorer.risks(carried, carried_start)
    key = scoring_key(scorer.weights)
    rows = []
    carried_values: tuple[date | None, datetime | None, float | None, str, bool, int | None]
    for fact in facts:
        app_id = fact.application_id
        risk = risks[app_id]
        scored = fact.stage in SCORED_STAGES
        cadence = cadence_for_team(fact.team_id)
        reasons = due_reasons(fact, on, cadence) if scored else []
        expires_at = expires.get(app_id, midnight)
        if app_id in next_risks:
            next_risk = next_risks[app_id]
            next_reasons = due_reasons(fact, carried_day, cadence) if scored else []
            carried_values = (carried_day, carried_until.get(app_id, carried_until[None]), next_risk.probability,
                              next_risk.band or "", bool(next_reasons),
                              next_reasons[0].overdue_days if next_reasons else None)
        elif carry:  # nothing can be carried: the values end as their day starts
            carried_values = (carried_day, carried_start, None, "", False, None)
        else:  # not carried yet: a later call carries them
            carried_values = (None, None, None, "", False, None)
        rows.append((
            app_id, generations[app_id], fact.team_id, on, now, expires_at, key,
            fact.stage, risk.probability, risk.band or "", bool(reasons),
            reasons[0].overdue_days if reasons else None, *carried_values,
        ))
    _upsert(rows)


def _carried_day(on: date) -> date:
    """The day whose values a snapshot computed on `on` carries: the next working day (settings.WORKING_DAYS),
    so that Friday's snapshots carry Monday's."""
    working = settings.WORKING_DAYS
    day = on + timedelta(days=1)
    while day.weekday() not in working:
        day += timedelta(days=1)
    return day


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _expiries(
    load_scope, now: datetime, carried_start: datetime,
) -> tuple[dict[int, datetime], set[int], dict[int | None, datetime]]:
    """When snapshots stop holding, from the records dated after `now`: (1) by application, those that
    expire before the next local midnight or at it because of a record dated then; (2) the applications with
    a record dated after that and up to `carried_start`, the start of the day carried; neither carries
    anything (their facts at that start are not those read now); (3) until when the values carried hold:
    the end of their day (key None), or earlier for a record dated during it.

    One query when nothing is dated between now and the end of the day carried (the usual morning): a probe
    of each dated column's own index. Read from the applications' side, each of the ten lookups joined
    every open application to its records, some 100 ms for everyone's pipeline; the probe reads a few
    index entries. One more query (a union) over the kinds of records the probe found."""
    midnight = _next_midnight(now)
    carried_end = _next_midnight(carried_start)
    expires: dict[int, datetime] = {}
    not_carried: set[int] = set()
    carried_until: dict[int | None, datetime] = {None: carried_end}
    ahead = _dated_between(now, carried_end)
    if not ahead:
        return expires, not_carried, carried_until
    firsts = [
        Application.objects.filter(pk__in=load_scope, **{f"{lookup}__gt": now, f"{lookup}__lt": carried_end})
        .values("id").annotate(first=Min(lookup)).values_list("id", "first").order_by()
        for lookup in ahead
    ]
    for app_id, first in firsts[0].union(*firsts[1:], all=True):
        if first <= midnight:
            if app_id not in expires or first < expires[app_id]:
                expires[app_id] = first
        elif first <= carried_start:
            not_carried.add(app_id)
        elif first < carried_until.get(app_id, carried_end):
            carried_until[app_id] = first
    return expires, not_carried, carried_until


def _dated_column(lookup: str) -> tuple[type[Model], str]:
    """The model and field a DATED_AHEAD lookup ends at: "candidate__touchpoints__at" -> (Touchpoint, "at")."""
    *relations, field = lookup.split("__")
    model: type[Model] = Application
    for name in relations:
        related = model._meta.get_field(name).related_model
        assert isinstance(related, type), f"{lookup}: {name} names a relation"
        model = related
    return model, field


def _dated_between(start: datetime, end: datetime) -> list[str]:
    """The lookups of DATED_AHEAD whose column holds a moment strictly between `start` and `end`, whatever
    the application: one statement of EXISTS probes, each served by its column's index."""
    probes: list[str] = []
    params: list[Any] = []
    for lookup in DATED_AHEAD:
        model, field = _dated_column(lookup)
        sql, probe_params = (model._default_manager.filter(**{f"{field}__gt": start, f"{field}__lt": end})
                             .values("pk").query.sql_with_params())
        probes.append(f"EXISTS ({sql})")
        params.extend(probe_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(probes), params)  # only our own compiled queries
        found = cursor.fetchone()
    return [lookup for lookup, dated in zip(DATED_AHEAD, found, strict=True) if dated]


_COLUMNS = ("application_id", "computed_generation", "team_id", "day", "computed_at", "expires_at", "scoring",
            "stage", "probability", "band", "due", "overdue_days",
            "next_day", "next_expires_at", "next_probability", "next_band", "next_due", "next_overdue_days")


def _upsert(rows: list[tuple]) -> None:
    """Write the recomputed values in one statement run for every row (one query, whatever the count;
    on PostgreSQL three, see `_upsert_copied`). A change counted meanwhile is on the application, past
    the generation written here: the snapshot stays stale."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _upsert_copied(rows)
        return
    ops, quote = connection.ops, connection.ops.quote_name
    # Every row of a recompute shares its day and moment, and nearly all the same expiry (midnight): each
    # distinct value is adapted for the database once, not once a row (a sixth of the day's first view).
    moments: dict[datetime, Any] = {}
    days: dict[date, Any] = {}

    def moment(value: datetime) -> Any:
        adapted = moments.get(value)
        if adapted is None:
            adapted = moments[value] = ops.adapt_datetimefield_value(value)
        return adapted

    def day_of(value: date) -> Any:
        adapted = days.get(value)
        if adapted is None:
            adapted = days[value] = ops.adapt_datefield_value(value)
        return adapted

    adapted = [
        (app_id, computed, team_id, day_of(day), moment(computed_at), moment(expires_at), key, stage, probability,
         band, due, overdue, day_of(next_day), moment(next_expires_at), *carried)
        for (app_id, computed, team_id, day, computed_at, expires_at, key, stage, probability, band, due, overdue,
             next_day, next_expires_at, *carried) in rows
    ]
    updated = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in _COLUMNS[1:])
    # Only this module's table and column names are formatted in; every value is a parameter.
    table, columns = quote(RiskSnapshot._meta.db_table), ", ".join(quote(c) for c in _COLUMNS)
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
        f"ON CONFLICT ({quote('application_id')}) DO UPDATE SET {updated}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, adapted)


# The incoming rows' table on PostgreSQL: the session's own, dropped at the end of each write.
_INCOMING = "risk_snapshot_incoming"


def _upsert_copied(rows: list[tuple]) -> None:
    """PostgreSQL: COPY the rows (binary) into a temporary table, then one INSERT ... SELECT ... ON CONFLICT.

    The upsert run once a row cost about 360 ms for the 6,769 snapshots of the day's first view, nearly
    all of it on our side of the connection: Django's psycopg cursor binds on the client, so every row's
    twelve values were quoted into its own statement text, and the server parsed and planned each one
    (one statement of 1,000 rows quoted the same values). The same rows as one statement over unnested
    arrays took 120 ms, of which the server's work 37 ms (EXPLAIN ANALYZE) and the rest adapting the
    arrays' values; COPY in binary sends each value in its column's type, adapted in psycopg's C: 33 ms
    in all (benchmarks/README.md, Where the API's time goes)."""
    quote = connection.ops.quote_name
    fields = [RiskSnapshot._meta.get_field(column.removesuffix("_id")) for column in _COLUMNS]
    # The binary format needs each column's type by name: varchar(120) is sent as varchar.
    types = [field.db_type(connection).split("(")[0] for field in fields]  # type: ignore[union-attr]
    table, columns = quote(RiskSnapshot._meta.db_table), ", ".join(quote(c) for c in _COLUMNS)
    updated = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in _COLUMNS[1:])
    with transaction.atomic(), connection.cursor() as cursor:
        # Only this module's table and column names are formatted in; every value is copied as data.
        cursor.execute(f"CREATE TEMPORARY TABLE {_INCOMING} (LIKE {table})")
        # COPY through psycopg's own cursor: Django's wrapper does not expose it (nor log it).
        with cursor.cursor.copy(f"COPY {_INCOMING} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_INCOMING} "  # noqa: S608
            f"ON CONFLICT ({quote('application_id')}) DO UPDATE SET {updated}"
        )
        # Dropped here rather than ON COMMIT: a write inside a caller's transaction may be followed by another.
        cursor.execute(f"DROP TABLE {_INCOMING}")


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


# --- The worker's round ---------------------------------------------------------------------------


def refresh_everyone(now: datetime) -> int:
    """Recompute every stale snapshot of the applications open at `now`, and carry the next day for every
    one that holds without it (the worker's round)."""
    return ensure_fresh(applications_as_of(now), now, current_scorer(), carry_batch=None)
