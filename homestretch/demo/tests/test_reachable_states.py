"""The demo holds only states the services could have reached (issue 14).

The generator writes rows straight into the tables, for speed, so nothing but this test stops it
from writing a state that no sequence of service calls could produce (a job Filled while its
candidates are still interviewing). The small demo is generated once for the module, every rule
below is checked over every row, and each broken rule names its rows and says why in words.

The rules are those of the workflows and the models:

- every row passes its model's ``full_clean()`` (choices, validators, ``clean()``; the constraints
  and foreign keys asked of the database at once rather than row by row), and no moment is after now;
- ``pipeline.services.open_application`` and ``move_stage`` with ``pipeline.stages``: a stage
  history starts at an open stage (not on hold) when the application is created, each move is one
  ``check_transition`` allows (reasons and loss reasons included), never dated before the move
  before it nor after now, and the application's stage, stage date, stage before the hold,
  acceptance and closing dates are what the history leaves; lessons are noted only on a close;
- ``pipeline.services.close_job``: a closed job was closed on its ``closed_on`` day at a moment
  when, for Filled, someone had accepted or started and nobody else was still in the process
  (the accepted may stay), and for Closed, nobody at all was; an open job has no closing day;
- ``offers.services``: revisions are numbered 1, 2, ... in the order recorded, only while the
  application is open; each offer's audit trail starts at its creation with an open status, moves
  only as ``OFFER_TRANSITIONS`` allow (or to Superseded, when the next revision is recorded), ends
  at the offer's status; ``sent_at`` and ``responded_at`` are the moments of the first extension
  and of the answer; a winner is named only on a lost offer;
- ``offers.services.record_competing_offer``: a competing offer's history starts when it was
  learned and ends saying what the offer says;
- the access rules (``can_change_application``): a stage is moved by an admin or by a recruiter of
  the team of the application's recruiter.

Beyond what the services refuse, the demo keeps to what its stories say (so that the pages and the
history tell one story): once a job is closed only its hires move on (they start or renege) and a
Filled job keeps its hire, our offer follows the application (accepted by whoever accepted, lost by
whoever declined or reneged), and no touch on an application is dated before the application was
opened.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone

from conftest import CURRENT_TIME
from homestretch.accounts.choices import Role
from homestretch.demo.generator import demo_tables, generate
from homestretch.offers.choices import LOST_OFFER_STATUSES, OPEN_OFFER_STATUSES, OfferStatus
from homestretch.offers.models import COMPETING_SNAPSHOT_FIELDS, CompetingOffer, CompetingOfferChange, Offer
from homestretch.offers.services import OFFER_TRANSITIONS
from homestretch.pipeline import stages
from homestretch.pipeline.choices import JobStatus, Stage
from homestretch.pipeline.models import Application, Job, StageChange, Touchpoint

# The tests read no database themselves; the mark makes pytest-django set up the test database
# that the module's fixture fills.
pytestmark = pytest.mark.django_db
NOW = CURRENT_TIME
EXAMPLES = 15  # rows named per broken rule; the count says how many there are in all

Violations = dict[str, list[str]]


# ---------------------------------------------------------------------------------------------
# The demo, generated once, and every rule checked over it


@pytest.fixture(scope="module")
def violations(django_db_setup, django_db_blocker) -> Violations:
    """Each rule's broken rows, in words; the demo is rolled back once they are known."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate("small", 1, now=NOW)
        history = History.load()
        found = {rule.__name__: list(rule(history)) for rule in RULES}
        transaction.set_rollback(True)
    return found


def assert_kept(violations: Violations, rule: Callable) -> None:
    broken = violations[rule.__name__]
    if broken:
        shown = "\n  ".join(broken[:EXAMPLES])
        more = f"\n  ... and {len(broken) - EXAMPLES} more" if len(broken) > EXAMPLES else ""
        pytest.fail(f"{len(broken)} broken: {(rule.__doc__ or '').strip()}\n  {shown}{more}", pytrace=False)


# ---------------------------------------------------------------------------------------------
# Stage histories replayed


@dataclass
class Replay:
    """An application as move_stage leaves it after each of its stage changes (in the order recorded)."""

    changes: list[StageChange]
    states: list[stages.StageRules]  # after each change
    accepted_at: datetime | None  # as move_stage sets it: a resume from a hold keeps the first date

    def stage_at(self, moment: datetime) -> str | None:
        rules = self.rules_at(moment)
        return rules.stage if rules is not None else None

    def rules_at(self, moment: datetime) -> stages.StageRules | None:
        """Where the application stood at `moment` (a change dated then has happened); None before it
        was opened."""
        rules = None
        for change, state in zip(self.changes, self.states, strict=True):
            if change.at > moment:
                break
            rules = state
        return rules


def replay(changes: list[StageChange]) -> tuple[Replay, list[str]]:
    """Replay a history through the stage rules; returns the replay and what the rules refused."""
    refused: list[str] = []
    first = changes[0]
    if first.from_stage != "" or first.to_stage not in stages.OPEN or first.to_stage == Stage.ON_HOLD:
        refused.append(f"starts {first.from_stage or '-'} -> {first.to_stage}: an application opens at an "
                       "open stage other than on hold")
    rules = stages.StageRules(stage=first.to_stage)
    states = [rules]
    accepted_at = first.at if first.to_stage == Stage.ACCEPTED else None
    for previous, change in zip(changes, changes[1:], strict=False):
        where = f"change {change.pk} ({change.from_stage} -> {change.to_stage})"
        if change.from_stage != rules.stage:
            refused.append(f"{where} starts from {change.from_stage}, yet the application was at {rules.stage}")
        if change.at < previous.at:
            refused.append(f"{where} is dated {change.at:%Y-%m-%d %H:%M}, before the move before it "
                           f"({previous.at:%Y-%m-%d %H:%M})")
        if change.loss_reason and change.to_stage not in stages.LOSSES:
            refused.append(f"{where} gives a loss reason on a move that loses nobody")
        reopen = rules.stage in stages.CLOSED
        if reopen and not (change.by is not None and change.by.is_admin):
            refused.append(f"{where} reopens a closed application, which only an admin can do")
        try:
            stages.check_transition(rules, change.to_stage, reason=change.reason,
                                    loss_reason=change.loss_reason or None, reopen=reopen)
        except stages.TransitionRefused as refusal:
            refused.append(f"{where}: {refusal}")
        resumed = rules.stage == Stage.ON_HOLD and change.to_stage == rules.stage_before_hold
        if change.to_stage == Stage.ACCEPTED and not resumed:
            accepted_at = change.at
        if change.to_stage == Stage.ON_HOLD:
            before_hold = rules.stage
        elif rules.stage == Stage.ON_HOLD:
            before_hold = None
        else:
            before_hold = rules.stage_before_hold
        rules = stages.StageRules(
            stage=change.to_stage, stage_before_hold=before_hold,
            was_accepted=rules.was_accepted or change.to_stage == Stage.ACCEPTED,
        )
        states.append(rules)
    return Replay(changes, states, accepted_at), refused


@dataclass
class History:
    """The demo as plain objects: each application's replayed history, each job's applications."""

    applications: dict[int, Application]
    replays: dict[int, Replay]
    refusals: dict[int, list[str]]
    by_job: dict[int, list[int]]

    @classmethod
    def load(cls) -> History:
        applications = {a.pk: a for a in Application.objects.select_related("job")}
        changes: dict[int, list[StageChange]] = defaultdict(list)
        for change in StageChange.objects.select_related("by").order_by("application_id", "id"):
            changes[change.application_id].append(change)
        replays, refusals = {}, {}
        for pk in applications:
            if changes[pk]:
                replays[pk], refusals[pk] = replay(changes[pk])
        by_job: dict[int, list[int]] = defaultdict(list)
        for application in applications.values():
            by_job[application.job_id].append(application.pk)
        return cls(applications, replays, refusals, by_job)


def label(application: Application) -> str:
    return f"application {application.pk} ({application.get_stage_display()}, job {application.job_id})"


def counted(stage_names: Iterable[str]) -> str:
    counts = Counter(stage_names)
    ordered = sorted(counts, key=lambda s: (stages.SEQUENCE.get(s, 99), s))
    return ", ".join(f"{counts[s]} {Stage(s).label.lower()}" for s in ordered)


# ---------------------------------------------------------------------------------------------
# The rules


def every_row_passes_full_clean(history: History) -> Iterable[str]:
    """rows that their model's full_clean() refuses (choices, validators, clean()) or that break a
    foreign key"""
    # What full_clean would ask the database row by row (seven queries a touchpoint) is asked once:
    # the constraints (CHECK and UNIQUE, partial ones too) are in the schema, so the database refused
    # any row breaking one when the demo was written, and the foreign keys are checked below, at once.
    related = {"Touchpoint": ("application",), "CompetingOffer": ("learned_in",), "Job": ("hiring_manager",)}
    for _, model in demo_tables():
        foreign_keys = [field.name for field in model._meta.concrete_fields if field.is_relation]
        for row in model._default_manager.select_related(*related.get(model.__name__, ())).order_by("pk"):
            try:
                row.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                said = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
                yield f"{model.__name__} {row.pk}: {said}"
    try:
        connection.check_constraints()
    except IntegrityError as error:  # the database says which row points at nothing
        yield f"foreign keys: {error}"


def nothing_is_dated_after_now(history: History) -> Iterable[str]:
    """moments after the demo's now (every date-time of every row; dates such as deadlines may be ahead)"""
    for _, model in demo_tables():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                late = model._default_manager.filter(**{f"{field.attname}__gte": NOW}).values_list("pk", flat=True)
                for pk in late[:EXAMPLES]:
                    yield f"{model.__name__} {pk}: {field.attname} is not before now ({NOW:%Y-%m-%d %H:%M})"


def stage_histories_are_moves_the_rules_allow(history: History) -> Iterable[str]:
    """stage histories that open_application and move_stage could not have written"""
    for pk, application in history.applications.items():
        if pk not in history.replays:
            yield f"{label(application)} has no stage history"
            continue
        first = history.replays[pk].changes[0]
        if first.at != application.created_at:
            yield f"{label(application)} was created {application.created_at:%Y-%m-%d %H:%M} but its first stage " \
                  f"is dated {first.at:%Y-%m-%d %H:%M}"
        for refusal in history.refusals[pk]:
            yield f"{label(application)}: {refusal}"


def applications_are_where_their_history_leaves_them(history: History) -> Iterable[str]:
    """applications whose stage, stage date, stage before the hold, acceptance or closing date is not
    what move_stage leaves after their history"""
    for pk, application in history.applications.items():
        if pk not in history.replays:
            continue
        played = history.replays[pk]
        last, rules = played.changes[-1], played.states[-1]
        expected = {
            "stage": rules.stage,
            "stage_entered_at": last.at,
            "stage_before_hold": rules.stage_before_hold or "",
            "accepted_at": played.accepted_at,
            "closed_at": last.at if rules.stage in stages.CLOSED else None,
        }
        for field, value in expected.items():
            if getattr(application, field) != value:
                yield f"{label(application)}: {field} is {getattr(application, field)!r}, its history leaves {value!r}"


def lessons_are_noted_on_a_close(history: History) -> Iterable[str]:
    """applications with lessons that never closed (move_stage takes lessons only on a closing move)"""
    closing = StageChange.objects.filter(application=OuterRef("pk"), to_stage__in=stages.CLOSED)
    for pk in Application.objects.exclude(lessons="").filter(~Exists(closing)).values_list("pk", flat=True):
        yield f"{label(history.applications[pk])} has lessons but was never closed"


def _open_stages_at(history: History, job: Job, moment: datetime) -> list[str]:
    stages_then = (history.replays[pk].stage_at(moment) for pk in history.by_job[job.pk] if pk in history.replays)
    return [stage for stage in stages_then if stage is not None]


def _closing_moments(history: History, job: Job) -> list[datetime]:
    """The moments of the job's closing day (before now) at which close_job would see a different state:
    the day's start and each stage change of the job's applications on that day."""
    tz = timezone.get_current_timezone()
    assert job.closed_on is not None, "only closed jobs are asked about"
    day_start = datetime.combine(job.closed_on, datetime.min.time(), tzinfo=tz)
    day_end = min(day_start + timedelta(days=1), NOW)
    moments = [day_start] if day_start < NOW else []
    for pk in history.by_job[job.pk]:
        if pk in history.replays:
            moments.extend(c.at for c in history.replays[pk].changes if day_start <= c.at < day_end)
    return sorted(set(moments))


def _close_job_refuses(status: str, stages_then: list[str]) -> str:
    """Why close_job refuses to close a job as `status` with its applications at `stages_then`, or ''."""
    hired = any(stage in (Stage.ACCEPTED, Stage.STARTED) for stage in stages_then)
    if status == JobStatus.FILLED and not hired:
        return "nobody had accepted or started"
    still_open = [stage for stage in stages_then if stage in stages.OPEN
                  and not (status == JobStatus.FILLED and stage == Stage.ACCEPTED)]
    if still_open:
        return f"{len(still_open)} still in the process ({counted(still_open)})"
    return ""


def jobs_closed_when_close_job_allows(history: History) -> Iterable[str]:
    """jobs whose status close_job could not have given: Filled needs someone accepted or started and
    nobody else left in the process, Closed needs nobody left in the process, on the closing day"""
    today = timezone.localdate(NOW)
    for job in Job.objects.order_by("pk"):
        what = f"job {job.pk} ({job.get_status_display()}, {len(history.by_job[job.pk])} applications)"
        if job.status == JobStatus.OPEN:
            if job.closed_on is not None:
                yield f"{what} is open yet has a closing day, {job.closed_on}"
            continue
        if job.closed_on is None:
            yield f"{what} has no closing day"
            continue
        if job.closed_on > today or (job.opened_on is not None and job.closed_on < job.opened_on):
            yield f"{what} closed on {job.closed_on}, outside its search ({job.opened_on} to today, {today})"
            continue
        moments = _closing_moments(history, job)
        if not any(not _close_job_refuses(job.status, _open_stages_at(history, job, m)) for m in moments):
            at = moments[-1] if moments else NOW
            why = _close_job_refuses(job.status, _open_stages_at(history, job, at))
            yield f"{what} closed on {job.closed_on}, but close_job would have refused all that day: " \
                  f"at its end {why}"


def closed_jobs_move_only_their_hires(history: History) -> Iterable[str]:
    """closed jobs with applications opened, or moved other than by a hire starting or reneging, after
    the job closed (the demo's own standard: services would allow it, a story would not)"""
    for job in Job.objects.exclude(status=JobStatus.OPEN).exclude(closed_on=None).order_by("pk"):
        allowed = [m for m in _closing_moments(history, job)
                   if not _close_job_refuses(job.status, _open_stages_at(history, job, m))]
        if not allowed:
            continue  # reported by jobs_closed_when_close_job_allows
        closed = allowed[-1]
        for pk in history.by_job[job.pk]:
            played = history.replays.get(pk)
            if played is None:
                continue
            application = history.applications[pk]
            then = played.rules_at(closed)
            if then is None:
                yield f"{label(application)} was opened after its job {job.pk} closed ({closed:%Y-%m-%d %H:%M})"
                continue
            hire = then.stage == Stage.ACCEPTED or (then.stage == Stage.ON_HOLD and then.was_accepted)
            later = [c for c in played.changes if c.at > closed]
            if later and not hire:
                moves = ", ".join(f"{c.from_stage} -> {c.to_stage} on {c.at:%Y-%m-%d}" for c in later)
                yield f"{label(application)} moved after its job {job.pk} closed on {job.closed_on}: {moves}"


def filled_jobs_keep_their_hire(history: History) -> Iterable[str]:
    """Filled jobs where nobody is accepted or started any more (the demo's own standard: a hire may
    renege after the job was filled, but then the story would have reopened the search)"""
    hired = Application.objects.filter(job=OuterRef("pk"), stage__in=[Stage.ACCEPTED, Stage.STARTED])
    for pk in Job.objects.filter(status=JobStatus.FILLED).filter(~Exists(hired)).values_list("pk", flat=True):
        yield f"job {pk} is Filled, yet nobody in it is accepted or started"


def offers_are_recorded_while_the_application_is_open(history: History) -> Iterable[str]:
    """offers that record_offer would have refused: revisions out of order, or made on a closed application"""
    revisions: dict[int, list[Offer]] = defaultdict(list)
    for offer in Offer.objects.order_by("application_id", "revision"):
        revisions[offer.application_id].append(offer)
    for pk, offers in revisions.items():
        application = history.applications[pk]
        if [o.revision for o in offers] != list(range(1, len(offers) + 1)):
            yield f"{label(application)}: offer revisions {[o.revision for o in offers]} are not 1, 2, ..."
        for previous, offer in zip(offers, offers[1:], strict=False):
            if offer.created_at < previous.created_at:
                yield f"{label(application)}: revision {offer.revision} was recorded before revision " \
                      f"{previous.revision}"
        played = history.replays.get(pk)
        for offer in offers:
            stage = played.stage_at(offer.created_at) if played else None
            if stage is None:
                yield f"{label(application)}: offer {offer.pk} was recorded before the application was opened"
            elif stage in stages.CLOSED:
                yield f"{label(application)}: offer {offer.pk} (revision {offer.revision}) was recorded on " \
                      f"{offer.created_at:%Y-%m-%d}, when the application was closed ({Stage(stage).label})"


def offer_trails_are_possible(history: History) -> Iterable[str]:
    """offers whose audit trail set_offer_status and record_offer could not have written, or whose
    sent, answered or winner fields disagree with it"""
    created = {(o.application_id, o.revision): o.created_at for o in Offer.objects.all()}
    offers = Offer.objects.prefetch_related("events").order_by("pk")
    for offer in offers:
        what = f"offer {offer.pk} (application {offer.application_id}, revision {offer.revision}, {offer.status})"
        events = sorted(offer.events.all(), key=lambda e: e.pk)  # in the order recorded
        if not events:
            yield f"{what} has no audit trail"
            continue
        first = events[0]
        if first.from_status != "" or first.to_status not in OPEN_OFFER_STATUSES:
            yield f"{what} starts {first.from_status or '-'} -> {first.to_status}: a new offer is draft, " \
                  "approved or extended"
        if first.at != offer.created_at:
            yield f"{what} was created {offer.created_at:%Y-%m-%d %H:%M} but its trail starts {first.at:%Y-%m-%d %H:%M}"
        for previous, event in zip(events, events[1:], strict=False):
            move = f"{what}: {event.from_status} -> {event.to_status}"
            if event.from_status != previous.to_status:
                yield f"{move} follows a move to {previous.to_status}"
            if event.at < previous.at:
                yield f"{move} is dated before the move before it"
            if event.to_status == OfferStatus.SUPERSEDED:
                following = created.get((offer.application_id, offer.revision + 1))
                if previous.to_status not in OPEN_OFFER_STATUSES:
                    yield f"{move}: only an open offer is superseded"
                elif following != event.at:
                    yield f"{move}: superseded at {event.at:%Y-%m-%d %H:%M}, yet the next revision was recorded " \
                          f"{'never' if following is None else f'{following:%Y-%m-%d %H:%M}'}"
            elif event.to_status not in OFFER_TRANSITIONS.get(previous.to_status, frozenset()):
                yield f"{move} is not a move an offer may make"
        if events[-1].to_status != offer.status:
            yield f"{what}: its trail ends at {events[-1].to_status}"
        extended = next((e.at for e in events if e.to_status == OfferStatus.EXTENDED), None)
        if offer.sent_at != extended:
            yield f"{what}: sent_at is {offer.sent_at}, the trail says it was extended at {extended}"
        answers = [e.at for e in events if e.to_status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED)]
        answered = answers[-1] if answers else None
        if offer.responded_at != answered:
            yield f"{what}: responded_at is {offer.responded_at}, the trail says it was answered at {answered}"
        if offer.won_by and offer.status not in LOST_OFFER_STATUSES:
            yield f"{what} names a winner ({offer.won_by}) but was not lost"


def offers_follow_the_application(history: History) -> Iterable[str]:
    """offers that tell another story than their application (the demo's own standard): whoever
    accepted has an accepted offer, whoever declined or reneged has our offer lost, and an offer is
    accepted only by someone who accepted"""
    accepted = Offer.objects.filter(application=OuterRef("pk"), status__in=[OfferStatus.ACCEPTED, OfferStatus.RENEGED])
    reached = StageChange.objects.filter(application=OuterRef("pk"), to_stage=Stage.ACCEPTED)
    for pk in Application.objects.filter(Exists(reached)).filter(~Exists(accepted)).values_list("pk", flat=True):
        yield f"{label(history.applications[pk])} accepted, yet no offer of it was accepted"
    for pk in Application.objects.filter(~Exists(reached)).filter(Exists(accepted)).values_list("pk", flat=True):
        yield f"{label(history.applications[pk])} has an accepted offer but never accepted"
    lost = Offer.objects.filter(application=OuterRef("pk"), status__in=LOST_OFFER_STATUSES)
    losing = Application.objects.filter(stage__in=[Stage.DECLINED, Stage.RENEGED])
    for pk in losing.filter(~Exists(lost)).values_list("pk", flat=True):
        yield f"{label(history.applications[pk])}, yet no offer of it is declined or reneged"


def competing_histories_start_when_learned(history: History) -> Iterable[str]:
    """competing offers whose dated history record_competing_offer could not have written: it starts when
    the offer was learned and its latest change says what the offer says"""
    changes: dict[int, list[CompetingOfferChange]] = defaultdict(list)
    for change in CompetingOfferChange.objects.order_by("competing_id", "id"):
        changes[change.competing_id].append(change)
    first_change = CompetingOffer.objects.annotate(first=Min("changes__at"))
    for pk in first_change.exclude(first=F("learned_at")).values_list("pk", flat=True):
        yield f"competing offer {pk}: its history does not start when it was learned"
    for competing in CompetingOffer.objects.order_by("pk"):
        history_of = changes[competing.pk]
        if not history_of:
            yield f"competing offer {competing.pk} has no history"
            continue
        if any(b.at < a.at for a, b in zip(history_of, history_of[1:], strict=False)):
            yield f"competing offer {competing.pk}: its history is not in date order"
        latest = max(history_of, key=lambda c: (c.at, c.pk))
        differ = [n for n in COMPETING_SNAPSHOT_FIELDS if getattr(latest, n) != getattr(competing, n)]
        if differ:
            yield f"competing offer {competing.pk}: its latest change says another {', '.join(differ)}"


def touches_follow_their_application(history: History) -> Iterable[str]:
    """touchpoints logged on an application before it was opened (the demo's own standard)"""
    early = Touchpoint.objects.filter(application__isnull=False, at__lt=F("application__created_at"))
    for pk, application_id in early.values_list("pk", "application_id")[:EXAMPLES * 2]:
        yield f"touchpoint {pk} is dated before {label(history.applications[application_id])} was opened"


def moves_are_made_by_who_may_make_them(history: History) -> Iterable[str]:
    """stage moves by someone the access rules would not let change the application: a viewer, or a
    recruiter of another team than the application's recruiter (admins change everything)"""
    allowed = Q(by__isnull=True) | Q(by__role=Role.ADMIN) | Q(by__is_superuser=True) | Q(
        by__role=Role.RECRUITER, by__team_id=F("application__recruiter__team_id"))
    for pk, by in StageChange.objects.exclude(allowed).values_list("pk", "by__email")[:EXAMPLES * 2]:
        yield f"stage change {pk} was made by {by}, who may not change that application"


RULES: tuple[Callable[[History], Iterable[str]], ...] = (
    every_row_passes_full_clean, nothing_is_dated_after_now, stage_histories_are_moves_the_rules_allow,
    applications_are_where_their_history_leaves_them, lessons_are_noted_on_a_close,
    jobs_closed_when_close_job_allows, closed_jobs_move_only_their_hires, filled_jobs_keep_their_hire,
    offers_are_recorded_while_the_application_is_open, offer_trails_are_possible, offers_follow_the_application,
    competing_histories_start_when_learned, touches_follow_their_application, moves_are_made_by_who_may_make_them,
)


# ---------------------------------------------------------------------------------------------
# One test per rule


def test_every_row_passes_its_models_full_clean(violations):
    assert_kept(violations, every_row_passes_full_clean)


def test_nothing_is_dated_after_now(violations):
    assert_kept(violations, nothing_is_dated_after_now)


def test_stage_histories_are_moves_the_stage_rules_allow(violations):
    assert_kept(violations, stage_histories_are_moves_the_rules_allow)


def test_applications_are_where_their_history_leaves_them(violations):
    assert_kept(violations, applications_are_where_their_history_leaves_them)


def test_application_lessons_come_with_a_close(violations):
    assert_kept(violations, lessons_are_noted_on_a_close)


def test_a_job_is_filled_or_closed_only_when_close_job_allows(violations):
    assert_kept(violations, jobs_closed_when_close_job_allows)


def test_after_a_job_closes_only_its_hires_move(violations):
    assert_kept(violations, closed_jobs_move_only_their_hires)


def test_a_filled_job_keeps_its_hire(violations):
    assert_kept(violations, filled_jobs_keep_their_hire)


def test_offers_are_recorded_in_order_while_the_application_is_open(violations):
    assert_kept(violations, offers_are_recorded_while_the_application_is_open)


def test_offer_audit_trails_are_moves_an_offer_may_make(violations):
    assert_kept(violations, offer_trails_are_possible)


def test_our_offer_tells_the_applications_story(violations):
    assert_kept(violations, offers_follow_the_application)


def test_competing_offer_histories_start_when_learned(violations):
    assert_kept(violations, competing_histories_start_when_learned)


def test_touches_are_not_dated_before_their_application(violations):
    assert_kept(violations, touches_follow_their_application)


def test_stage_moves_are_made_by_who_may_make_them(violations):
    assert_kept(violations, moves_are_made_by_who_may_make_them)


def test_the_rules_name_the_rows_that_break_them():
    """The rules above are not vacuous: rows broken on purpose are named, with why."""
    generate("small", 1, now=NOW)
    filled = Job.objects.filter(status=JobStatus.FILLED).order_by("pk").first()
    Job.objects.filter(pk=filled.pk).update(closed_on=filled.opened_on)  # nobody had accepted yet
    skip = StageChange.objects.filter(to_stage=Stage.FINAL_INTERVIEW, from_stage=Stage.INTERVIEWING).first()
    StageChange.objects.filter(pk=skip.pk).update(to_stage=Stage.ACCEPTED)  # accepted without an offer
    accepted = Offer.objects.filter(status=OfferStatus.ACCEPTED).first()
    accepted.events.filter(to_status=OfferStatus.ACCEPTED).update(to_status=OfferStatus.DRAFT)

    history = History.load()
    said = "\n".join(jobs_closed_when_close_job_allows(history))
    assert f"job {filled.pk} (Filled" in said and "nobody had accepted or started" in said
    said = "\n".join(stage_histories_are_moves_the_rules_allow(history))
    assert f"change {skip.pk} (interviewing -> accepted): A candidate accepts only from the Offer stage." in said
    said = "\n".join(offer_trails_are_possible(history))
    assert f"offer {accepted.pk} " in said and "extended -> draft is not a move an offer may make" in said
