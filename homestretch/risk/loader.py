"""Turn the database into ApplicationFacts for many applications at once, as of a moment.

A fixed number of queries whatever the number of applications, each filtered by the same subquery
of applications (or, for a few hundred at most, by their ids: cheaper to build than the subquery),
so no query runs per application: ten
for the present, when the touches come reduced from their stored summaries
(homestretch.pipeline.touch_summaries) and the competing offers are read as their rows stand;
fourteen for a moment with touches after it, when they are reduced as of the moment; one more when
stages changed since the moment, and one more when competing offers did.

"As of a moment" means as known then: rows recorded after it are ignored, and what changed after it
is rolled back through the history tables. The stage at the moment is the `from_stage` of the first
change after it (StageChange), an offer's status likewise (OfferEvent), and a competing offer is its
latest CompetingOfferChange at or before the moment (its stage, pay and deadline as the candidate had
told them then).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import overload

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import DateTimeField, Exists, Max, Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.lib.bulk_python import cycle_collector_paused
from homestretch.lib.planner import ComparedAsAValue
from homestretch.lib.prepared import prepared_many, prepared_rows
from homestretch.offers.models import (
    COMPETING_SNAPSHOT_FIELDS,
    CompetingOffer,
    CompetingOfferChange,
    Offer,
    OfferEvent,
    Priorities,
    priorities_for_team,
)
from homestretch.pipeline import stages, touch_summaries
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application, Job, StageChange
from homestretch.situation.facts import (
    ApplicationFacts,
    CompetingFact,
    ContactSummary,
    JobFact,
    OfferFact,
    PrioritiesFact,
)

from .track_record import DECIDED_STAGES, LOST_STAGES, PastDecision, TrackRecord, role_family

# Applications the engine scores: the home stretch (screening up to accepted) and those on hold.
SCORED_STAGES = frozenset({*stages.HOME_STRETCH, Stage.ON_HOLD})

# Up to this many applications, the loader's queries name them by their ids rather than by subquery:
# compiled once per power of two (lib/prepared.py), a list costs no more per application than the
# subquery (large demo, SQLite: 300 ids 17 ms, 2,048 ids 92 ms, everyone's 6,769 by subquery 333 ms),
# and stays well under SQLite's 32,766 parameters for the ten queries' lists.
ID_LIST_LIMIT = 2048


@overload
def _local(moment: datetime) -> datetime: ...
@overload
def _local(moment: datetime | None) -> datetime | None: ...
def _local(moment: datetime | None) -> datetime | None:
    """Dates are judged in the organisation's time zone (a call at 23:30 counts for that day)."""
    if moment is None or _zone_is_utc():
        return moment
    return timezone.localtime(moment)


@cache
def _zone_is_utc() -> bool:
    # Read once, not once per date: reading a setting costs a lazy-object lookup, and a load of
    # everyone's pipeline localises some 50,000 dates.
    return settings.TIME_ZONE == "UTC"


@receiver(setting_changed)
def _time_zone_changed(setting: str, **kwargs) -> None:
    if setting == "TIME_ZONE":
        _zone_is_utc.cache_clear()


def applications_as_of(
    at: datetime, *, application_ids: Iterable[int] | None = None, recruiter_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[Application]:
    """Applications that existed and were not closed at `at`, narrowed by the given filters."""
    # The open ones are found through the closing time's index (a few thousand of 50,000); the creation
    # time is compared as a value, so that SQLite, which keeps no statistics, does not walk the list
    # orderings' (created_at, id) index over nearly every application instead: 3 ms against 9 ms, in each
    # of the loader's queries.
    created = ComparedAsAValue("created_at", DateTimeField())
    queryset = (Application.objects.alias(created=created).filter(created__lte=at)
                .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=at)))
    if application_ids is not None:
        # A queryset stays a subquery; any other iterable of ids becomes a list of parameters.
        queryset = queryset.filter(
            pk__in=application_ids if isinstance(application_ids, QuerySet) else list(application_ids))
    if recruiter_id is not None:
        queryset = queryset.filter(recruiter_id=recruiter_id)
    if team_id is not None:
        queryset = queryset.filter(recruiter__team_id=team_id)
    return queryset


def load_facts(
    at: datetime, *, application_ids: Iterable[int] | None = None, recruiter_id: int | None = None,
    team_id: int | None = None, scored_only: bool = True,
) -> list[ApplicationFacts]:
    """ApplicationFacts of the applications open at `at`, newest application first.

    With `scored_only`, only those whose stage at `at` is on the home stretch or on hold.
    `application_ids` narrows to these ids; a queryset of ids is kept as a subquery.
    """
    with cycle_collector_paused():
        return _load_facts(at, application_ids=application_ids, recruiter_id=recruiter_id, team_id=team_id,
                           scored_only=scored_only)


def _load_facts(
    at: datetime, *, application_ids: Iterable[int] | None, recruiter_id: int | None, team_id: int | None,
    scored_only: bool,
) -> list[ApplicationFacts]:
    named = application_ids if application_ids is None or isinstance(application_ids, QuerySet) else list(
        application_ids)
    rows = prepared_rows("loader.applications", _application_rows, at, named, recruiter_id, team_id)
    if not rows:
        return []
    # The other queries read the rows of these applications. A few (one recruiter's, a page's) are named
    # by their ids: building and compiling the scope's subquery into each of eleven queries cost several
    # times what the database spends on them. Many (everyone's) stay a subquery, which no list of
    # parameters could beat (and SQLite caps their number).
    ids_scope: Iterable[int]
    candidates_scope: Iterable[int]
    job_ids: Iterable[int]
    recruiter_ids: Iterable[int]
    # For the subquery, each read is compiled once per process too (`_over_open`), unless the caller named
    # the applications by a queryset of its own.
    subquery: _OpenAt | None = None
    if len(rows) <= ID_LIST_LIMIT:
        ids_scope = [row[0] for row in rows]
        candidates_scope = sorted({row[1] for row in rows})
        job_ids = sorted({row[4] for row in rows})
        recruiter_ids = sorted({row[3] for row in rows})
    else:
        scope = applications_as_of(at, application_ids=named, recruiter_id=recruiter_id, team_id=team_id)
        ids_scope = scope.values_list("id", flat=True)
        candidates_scope = scope.values_list("candidate_id", flat=True)
        job_ids = scope.values_list("job_id", flat=True)
        recruiter_ids = scope.values_list("recruiter_id", flat=True)
        if named is None:
            subquery = _OpenAt(at, recruiter_id, team_id)

    def query(key: str, build, *arguments) -> tuple:
        return _over_open(subquery, key, build, *arguments) if subquery is not None else (key, build, *arguments)

    # Jobs and recruiters once each, not once per application: a search has dozens of candidates
    # and a recruiter hundreds, and every column read costs a conversion per row. The reads below
    # depend only on the applications' rows: on PostgreSQL they go in one round trip (prepared_many).
    # The stored touch summaries go with them when the applications are named (a few hundred rows, not
    # needed only if a touch is dated after `at`); for everyone's, only once the probe says they serve.
    few = isinstance(ids_scope, list)
    stored_query = query(*touch_summaries.stored_query(ids_scope, candidates_scope))
    (job_rows, recruiter_rows, change_rows, offer_rows, event_rows, competing_rows, priority_rows, touch_after_rows,
     *stored_rows) = prepared_many(
        query("loader.jobs", _job_rows, job_ids),
        query("loader.recruiters", _recruiter_rows, recruiter_ids),
        query("loader.stage_changes_after", _stage_changes_after, ids_scope, at),
        query("loader.offers", _offer_rows, ids_scope, at),
        query("loader.offer_events_after", _offer_events_after, ids_scope, at),
        query("loader.competing", _competing_rows, candidates_scope, at),
        query("loader.priorities", _priority_rows, candidates_scope, at),
        touch_summaries.touch_after_query(at),
        *([stored_query] if few else []),
    )
    jobs = {
        job_id: JobFact(title=title, client=client, base_min=band_min, base_max=band_max, currency=currency,
                        period=period, remote_policy=remote, remote_days=remote_days)
        for job_id, title, client, band_min, band_max, currency, period, remote, remote_days in job_rows
    }
    recruiters = {
        user_id: (f"{first} {last}".strip() or email, team)
        for user_id, first, last, email, team in recruiter_rows
    }

    # Stages changed after the moment: roll back to the stage the application had then. (For a
    # moment of "now" this finds nothing, cheaply, through the (application, at) index.)
    stage_then: dict[int, tuple[str, datetime]] = {}
    first_change_after: dict[int, str] = {}
    for app_id, from_stage in change_rows:
        first_change_after.setdefault(app_id, from_stage)
    if first_change_after:
        entered_then = dict(
            StageChange.objects.filter(application_id__in=list(first_change_after), at__lte=at)
            .values_list("application_id").annotate(last=Max("at")).order_by()
        )
        for app_id, from_stage in first_change_after.items():
            stage_then[app_id] = (from_stage, entered_then.get(app_id, at))

    offers = _offers_as_of(at, offer_rows, event_rows)
    competing = _competing_as_of(at, competing_rows)
    contacts, lone_contacts = _contact_summaries(at, ids_scope, candidates_scope, bool(touch_after_rows),
                                                 stored_rows[0] if stored_rows else None, stored_query)
    priorities = _priorities_as_of(priority_rows)

    # Each application's offers and competing offers as the tuples its facts hold, made once per key.
    offers_of = {app_id: tuple(revisions) for app_id, revisions in offers.items()}
    competing_of = {candidate_id: tuple(known) for candidate_id, known in competing.items()}
    utc = _zone_is_utc()  # then `_local` changes nothing: some 16,000 calls saved for everyone's
    facts: list[ApplicationFacts] = []
    for (app_id, candidate_id, candidate_name, recruiter_id_, job_id, stage, entered, created, accepted, before_hold,
         source, objected_at) in rows:
        if app_id in stage_then:
            stage, entered = stage_then[app_id]
        if accepted is not None and accepted > at:
            accepted = None
        if scored_only and stage not in SCORED_STAGES:
            continue
        recruiter_name, team = recruiters[recruiter_id_]
        own = contacts.get(app_id)
        lone = lone_contacts.get(candidate_id)
        # Positionally, in ApplicationFacts' order (a test holds these facts to the ORM's): 17 keywords cost
        # a whole organisation's load about 3 ms.
        facts.append(ApplicationFacts(
            app_id, candidate_name, recruiter_id_, recruiter_name, team, stage,
            entered if utc else _local(entered),  # stage_entered_at
            created if utc else _local(created),  # created_at
            accepted if utc else _local(accepted),  # accepted_at
            jobs[job_id],
            offers_of.get(app_id, ()),
            competing_of.get(candidate_id, ()),
            (own or EMPTY_CONTACTS) if lone is None else _merge_contacts(own, lone),
            priorities_for_team(priorities.get(candidate_id, ()), team),
            before_hold or None,  # stage_before_hold
            None,  # start_date_at_acceptance: not read here
            source or "",  # candidate_source
            objected_at is not None and objected_at <= at,  # candidate_objected
        ))
    return facts


@dataclass(frozen=True, slots=True)
class _OpenAt:
    """The applications open at a moment, narrowed to a recruiter's or a team's: the loader's subquery."""

    at: datetime
    recruiter_id: int | None
    team_id: int | None


def _over_open(scope: _OpenAt, key: str, build, *arguments) -> tuple:
    """`(key, build, *arguments)` for `prepared_many`, each argument that is one of the scope's subqueries
    (`applications_as_of(...).values_list(column, flat=True)`) replaced by the scope's own three values, so
    that the statement, subquery included, is compiled once per process like the others rather than on each
    load (about 5 ms of a whole organisation's agenda). The subqueries' columns are part of the key."""
    columns = tuple(_subquery_column(argument) for argument in arguments)
    if not any(columns):
        return (key, build, *arguments)

    def build_over_open(at: datetime, recruiter_id: int | None, team_id: int | None, *values):
        subquery = applications_as_of(at, recruiter_id=recruiter_id, team_id=team_id)
        rest = iter(values)
        return build(*(subquery.values_list(column, flat=True) if column else next(rest) for column in columns))

    rest = (argument for argument, column in zip(arguments, columns, strict=True) if not column)
    return (f"{key} over open({','.join(column or '_' for column in columns)})", build_over_open,
            scope.at, scope.recruiter_id, scope.team_id, *rest)


def _subquery_column(argument) -> str | None:
    if isinstance(argument, QuerySet):
        (column,) = argument.query.values_select
        return column
    return None


def _offers_as_of(at: datetime, rows, event_rows) -> dict[int, list[OfferFact]]:
    """The offers' rows (`_offer_rows`) as of `at`, their statuses rolled back by `_offer_events_after`'s rows."""
    # Statuses changed after the moment roll back to the status before the first such change.
    status_then: dict[int, str] = {}
    for offer_id, from_status in event_rows:
        status_then.setdefault(offer_id, from_status)
    by_application: dict[int, list[OfferFact]] = defaultdict(list)
    for (offer_id, app_id, revision, status, base, bonus, equity, currency, period, remote, remote_days, start,
         sent, expires, responded, created) in rows:
        by_application[app_id].append(OfferFact(
            revision=revision,
            status=status_then.get(offer_id, status),
            base=base,
            total=base + (bonus or 0) + (equity or 0),
            currency=currency,
            period=period,
            remote_policy=remote,
            remote_days=remote_days,
            start_date=start,
            sent_at=_local(sent) if sent and sent <= at else None,
            expires_on=expires,
            responded_at=_local(responded) if responded and responded <= at else None,
            created_at=_local(created),
        ))
    return by_application


_COMPETING_COLUMNS = (
    "kind", "company", "stage", "base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
    "deadline", "confidential",
)
assert frozenset(_COMPETING_COLUMNS) == frozenset(COMPETING_SNAPSHOT_FIELDS), "a change keeps what is read here"


def _competing_as_of(at: datetime, rows) -> dict[int, list[CompetingFact]]:
    """The competing offers learned by `at`, each as it was known then: its latest change at or before
    `at`. An offer whose changes all came later is left out (what it said then is not known); one
    without any change (written around the services) is read as its row stands.

    One query for the present: the rows as they stand, with one probe of the changes' `at` index
    (evaluated once, not per row) saying whether any change is dated after `at`. While none is, every
    offer's latest change says what its row says. One more when one is: the changes of these offers.
    """
    with_history: set[int] = set()
    known_then: dict[int, tuple] = {}
    if rows and rows[0][-1]:
        for competing_id, changed, *values in (
            CompetingOfferChange.objects.filter(competing__in=[row[0] for row in rows])
            .order_by("competing_id", "at", "id").values_list("competing_id", "at", *_COMPETING_COLUMNS)
        ):
            with_history.add(competing_id)
            if changed <= at:
                known_then[competing_id] = values
    by_candidate: dict[int, list[CompetingFact]] = defaultdict(list)
    for competing_id, candidate_id, learned, *values, _changed_later in rows:
        if competing_id in with_history:
            if competing_id not in known_then:
                continue
            values = known_then[competing_id]
        by_candidate[candidate_id].append(_competing_fact(competing_id, learned, values))
    return by_candidate


def _competing_fact(competing_id: int, learned: datetime, values) -> CompetingFact:
    kind, company, stage, base, bonus, equity, currency, period, remote, remote_days, deadline, confidential = values
    return CompetingFact(
        company=company, kind=kind, stage=stage, base=base, bonus=bonus, equity=equity, currency=currency,
        period=period, remote_policy=remote, deadline=deadline, learned_at=_local(learned),
        confidential=confidential, remote_days=remote_days, competing_id=competing_id,
    )


def _contact_summaries(
    at: datetime, application_scope, candidate_scope, touched_after: bool, stored_rows, stored_query: tuple,
) -> tuple[dict[int, ContactSummary], dict[int, ContactSummary]]:
    """ContactSummary per application id, and per candidate id for the touches logged on the candidate
    alone (merged into each of that candidate's applications by `_merge_contacts`).

    Read from the stored summaries when no touch is dated after the moment (they then count exactly the
    touches up to it), else aggregated as of it.
    """
    if touched_after:  # touch_summaries.touch_after_query's rows: the stored summaries are ahead of `at`
        rows = touch_summaries.as_stored_rows(touch_summaries.aggregate(application_scope, candidate_scope, at=at))
    elif stored_rows is not None:  # already read, with the loader's other reads
        rows = stored_rows
    else:
        rows = prepared_rows(*stored_query)
    # Straight from the rows (application id, candidate id, then SUMMARY_FIELDS, ContactSummary's own order):
    # for everyone's, some 7,500 summaries, each built once rather than through touch_summaries.Totals.
    own: dict[int, ContactSummary] = {}
    lone: dict[int, ContactSummary] = {}
    utc = _zone_is_utc()
    for application_id, candidate_id, count, last, inbound, asked, answer, latest, previous, updated in rows:
        summary = ContactSummary(count, last, inbound, asked, answer, latest, previous, updated) if utc else \
            ContactSummary(count, _local(last), _local(inbound), _local(asked), answer, latest, previous,
                           _local(updated))
        if application_id is not None:
            own[application_id] = summary
        else:
            lone[candidate_id] = summary
    return own, lone


assert tuple(field.name for field in fields(ContactSummary)) == touch_summaries.SUMMARY_FIELDS, \
    "the stored summaries' columns are read into ContactSummary in their order"


def _latest(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


def _merge_contacts(own: ContactSummary | None, lone: ContactSummary | None) -> ContactSummary:
    """An application's touches plus those logged on its candidate alone (a call about all processes).

    Interest levels are about one job, so they come from the application's own touches only.
    """
    if lone is None:
        return own or EMPTY_CONTACTS
    if own is None:
        return ContactSummary(
            touchpoints=lone.touchpoints, last_contact_at=lone.last_contact_at, last_inbound_at=lone.last_inbound_at,
            last_competition_asked_at=lone.last_competition_asked_at,
            last_competition_answer=lone.last_competition_answer, last_status_update_at=lone.last_status_update_at,
        )
    lone_answer_is_newer = lone.last_competition_asked_at is not None and (
        own.last_competition_asked_at is None or lone.last_competition_asked_at > own.last_competition_asked_at
    )
    return ContactSummary(
        touchpoints=own.touchpoints + lone.touchpoints,
        last_contact_at=_latest(own.last_contact_at, lone.last_contact_at),
        last_inbound_at=_latest(own.last_inbound_at, lone.last_inbound_at),
        last_competition_asked_at=_latest(own.last_competition_asked_at, lone.last_competition_asked_at),
        last_competition_answer=lone.last_competition_answer if lone_answer_is_newer else own.last_competition_answer,
        latest_interest=own.latest_interest,
        previous_interest=own.previous_interest,
        last_status_update_at=_latest(own.last_status_update_at, lone.last_status_update_at),
    )


EMPTY_CONTACTS = ContactSummary()


def _priorities_as_of(rows) -> dict[int, list[tuple[int | None, PrioritiesFact]]]:
    """Each candidate's priorities as of `at`: the newest version each team recorded, newest first, with
    that team; each application reads its own team's, else the newest (offers.models.priorities_for_team)."""
    newest: dict[int, list[tuple[int | None, PrioritiesFact]]] = {}
    for (candidate_id, base_min, base_target, currency, period, remote_preference, remote_days, notice_days,
         earliest_start, pay, remote, speed, title, growth, stack, as_of, priorities_id, team_id) in rows:
        # _priority_rows', newest first: a team's first version is its newest.
        versions = newest.get(candidate_id)
        if versions is None:
            versions = newest[candidate_id] = []
        elif any(recorded_by == team_id for recorded_by, _ in versions):
            continue
        versions.append((team_id, PrioritiesFact(
            base_min, base_target, currency, period, remote_preference, remote_days, notice_days, earliest_start,
            {"pay": pay, "remote": remote, "speed": speed, "title": title, "growth": growth, "stack": stack},
            _local(as_of), priorities_id,
        )))
    return newest


# The loader's read queries, each built from its arguments alone so that `prepared_rows` compiles each shape
# once per process (lib/prepared.py): for one recruiter's agenda, building and compiling them cost Django
# several times what the database spends running them.


def _application_rows(at, application_ids, recruiter_id, team_id):
    return applications_as_of(
        at, application_ids=application_ids, recruiter_id=recruiter_id, team_id=team_id,
    ).order_by("-created_at", "-id").values_list(
        "id", "candidate_id", "candidate__name", "recruiter_id", "job_id", "stage", "stage_entered_at",
        "created_at", "accepted_at", "stage_before_hold", "candidate__source", "candidate__objected_at",
    )


def _job_rows(job_ids):
    return Job.objects.filter(pk__in=job_ids).values_list(
        "id", "title", "client__name", "base_min", "base_max", "currency", "period", "remote_policy", "remote_days")


def _recruiter_rows(recruiter_ids):
    return User.objects.filter(pk__in=recruiter_ids).values_list("id", "first_name", "last_name", "email", "team_id")


def _stage_changes_after(ids_scope, at):
    return (StageChange.objects.filter(application_id__in=ids_scope, at__gt=at)
            .order_by("application_id", "at", "id").values_list("application_id", "from_stage"))


def _offer_rows(ids_scope, at):
    return (Offer.objects.filter(application_id__in=ids_scope, created_at__lte=at)
            .order_by("application_id", "revision")
            .values_list("id", "application_id", "revision", "status", "base", "bonus", "equity", "currency",
                         "period", "remote_policy", "remote_days", "start_date", "sent_at", "expires_on",
                         "responded_at", "created_at"))


def _offer_events_after(ids_scope, at):
    return (OfferEvent.objects.filter(offer__application_id__in=ids_scope, at__gt=at)
            .order_by("offer_id", "at", "id").values_list("offer_id", "from_status"))


def _competing_rows(candidates_scope, at):
    return (CompetingOffer.objects.filter(candidate_id__in=candidates_scope, learned_at__lte=at)
            .annotate(changed_later=Exists(CompetingOfferChange.objects.filter(at__gt=at)))
            .order_by("candidate_id", "learned_at", "id")
            .values_list("id", "candidate_id", "learned_at", *_COMPETING_COLUMNS, "changed_later"))


def _priority_rows(candidates_scope, at):
    return (Priorities.objects.filter(candidate_id__in=candidates_scope, as_of__lte=at)
            .order_by("candidate_id", "-as_of", "-id")
            .values_list("candidate_id", "base_min", "base_target", "currency", "period", "remote_preference",
                         "remote_days", "notice_days", "earliest_start", "importance_pay", "importance_remote",
                         "importance_speed", "importance_title", "importance_growth", "importance_stack", "as_of",
                         "id", "recorded_by_team_id"))


def load_track_record(until: datetime | None = None) -> TrackRecord:
    """The decided applications (kept or lost by the candidate) closed by `until` (all when None), one
    query, as a TrackRecord in the organisation's time zone (see homestretch.risk.track_record)."""
    decided = Application.objects.filter(stage__in=DECIDED_STAGES, closed_at__isnull=False)
    if until is not None:
        decided = decided.filter(closed_at__lte=until)
    lost_stages = frozenset(str(stage) for stage in LOST_STAGES)
    decisions = [
        PastDecision(closed_at, stage in lost_stages, client, role_family(title), source or "")
        for closed_at, stage, client, title, source in decided.values_list(
            "closed_at", "stage", "job__client__name", "job__title", "candidate__source").iterator(chunk_size=5000)
        if closed_at is not None  # filtered above; said again for the type checker
    ]
    return TrackRecord(decisions, timezone.get_default_timezone())
