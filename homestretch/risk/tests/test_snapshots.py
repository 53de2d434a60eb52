"""Risk snapshots: what everyone's Today and pipeline rank by always equals what the engine says now,
whatever is saved, and a change made while a snapshot is being computed is never lost."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homestretch.cadence.due import due_reasons
from homestretch.cadence.models import TeamCadence, cadence_lookup
from homestretch.cadence.services import save_team_cadence
from homestretch.demo.generator import generate
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import changes, records, services
from homestretch.pipeline.models import Application, Candidate, Job, Touchpoint
from homestretch.risk import snapshots
from homestretch.risk.engine import assess_many
from homestretch.risk.live import live_weights
from homestretch.risk.loader import SCORED_STAGES, applications_as_of, load_facts
from homestretch.risk.models import RiskSnapshot
from homestretch.risk.scoring import Scorer, current_scorer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def every_day_a_working_day(settings):
    """`now` is a Friday: the tests of the next day carried mean the very next day, as for an organisation
    that works every day; the weekend's own tests set the working days back to Monday to Friday."""
    settings.WORKING_DAYS = frozenset(range(7))


def engine_says(at) -> dict[int, tuple]:
    """(stage, probability, band, due, overdue days) of every open application, from the engine itself."""
    facts = load_facts(at, scored_only=False)
    cadence_for_team = cadence_lookup()
    risks = assess_many(facts, at, cadence_for_team, live_weights())
    on = timezone.localtime(at).date()
    said = {}
    for fact in facts:
        reasons = due_reasons(fact, on, cadence_for_team(fact.team_id)) if fact.stage in SCORED_STAGES else []
        risk = risks[fact.application_id]
        said[fact.application_id] = (fact.stage, risk.probability, risk.band or "", bool(reasons),
                                     reasons[0].overdue_days if reasons else None)
    return said


def snapshots_say(at) -> dict[int, list]:
    """The same, from the snapshots valid at `at`."""
    return {
        app_id: rest for app_id, *rest in snapshots.valid_at(at, current_scorer())
        .filter(application__in=applications_as_of(at).values("id"))
        .values_list("application_id", "stage", "probability", "band", "due", "overdue_days")
    }


def as_tuples(said: Mapping[int, Sequence[object]]) -> dict[int, tuple]:
    return {key: tuple(value) for key, value in said.items()}


def refresh(at) -> int:
    return snapshots.ensure_fresh(applications_as_of(at), at, current_scorer())


def valid_ids(at) -> set[int]:
    return set(snapshots.valid_at(at, current_scorer()).values_list("application_id", flat=True))


def test_the_demo_gives_no_application_a_valid_snapshot_and_the_snapshots_equal_the_engine(now):
    generate("small", 1, now=now)
    at = now + timedelta(hours=1)
    # No row yet: each is made on first read, and an application without one is stale.
    assert valid_ids(at) == set()
    open_now = applications_as_of(at).count()
    assert refresh(at) == open_now > 50
    assert RiskSnapshot.objects.count() == open_now
    said = engine_says(at)
    assert as_tuples(snapshots_say(at)) == said
    assert any(due for _, _, _, due, _ in said.values()) and any(p for _, p, _, _, _ in said.values())
    # Nothing changed: one query finds nothing stale, whatever the number of applications.
    with CaptureQueriesContext(connection) as queries:
        assert refresh(at) == 0
    assert len(queries) == 1


# --- Every change to what the risk is computed from makes exactly the applications concerned stale ----


@pytest.fixture
def world(alice, bob, charlie, job, now):
    """Priya in two searches (alice's), Quentin in one (bob's, alice's team), Rosa in one (charlie's)."""
    other_job = Job.objects.create(client=job.client, title="Data Engineer", base_min=Decimal("70000"),
                                   base_max=Decimal("90000"), currency="EUR")
    people = {name: Candidate.objects.create(name=name, email=f"{name.lower()}@example.org")
              for name in ("Priya", "Quentin", "Rosa")}
    entered = now - timedelta(days=9)
    apps = {
        "priya": services.open_application(candidate=people["Priya"], job=job, recruiter=alice, by=alice,
                                           at=entered, stage="final_interview"),
        "priya_data": services.open_application(candidate=people["Priya"], job=other_job, recruiter=alice,
                                                by=alice, at=entered, stage="interviewing"),
        "quentin": services.open_application(candidate=people["Quentin"], job=job, recruiter=bob, by=bob,
                                             at=entered, stage="offer"),
        "rosa": services.open_application(candidate=people["Rosa"], job=other_job, recruiter=charlie, by=charlie,
                                          at=entered, stage="verification"),
    }
    for app in apps.values():
        services.log_touchpoint(Touchpoint(application=app, recruiter=app.recruiter, at=now - timedelta(days=3),
                                           channel="call", direction="outbound", interest=4))
    offer_services.record_offer(Offer(application=apps["quentin"], base=Decimal("80000"), currency="EUR"),
                                by=bob, at=now - timedelta(days=2))
    return {"apps": apps, "other_job": other_job, "people": people}


def _ids(world, *names: str) -> set[int]:
    return {world["apps"][name].pk for name in names}


def touch_on_application(world, users, at):
    services.log_touchpoint(Touchpoint(application=world["apps"]["priya"], recruiter=users["alice"], at=at,
                                       channel="call", direction="inbound", interest=2, competition_asked=True,
                                       competition_answer="disclosed"))
    return _ids(world, "priya", "priya_data")  # a call with the candidate counts for both her searches


def touch_on_the_candidate_alone(world, users, at):
    services.log_touchpoint(Touchpoint(candidate=world["people"]["Rosa"], recruiter=users["charlie"], at=at,
                                       channel="email", direction="outbound"))
    return _ids(world, "rosa")


def touch_deleted(world, users, at):
    services.delete_touchpoints(Touchpoint.objects.filter(application=world["apps"]["quentin"]))
    return _ids(world, "quentin")


def touch_moved_to_another_candidate(world, users, at):
    touch = Touchpoint.objects.get(application=world["apps"]["rosa"])
    touch.application, touch.candidate = world["apps"]["quentin"], world["people"]["Quentin"]
    services.log_touchpoint(touch)
    return _ids(world, "rosa", "quentin")


def competing_offer(world, users, at):
    offer_services.record_competing_offer(CompetingOffer(
        candidate=world["people"]["Priya"], company="Initech", base=Decimal("99000"), currency="EUR",
        deadline=(at + timedelta(days=2)).date()), by=users["alice"])
    return _ids(world, "priya", "priya_data")


def priorities(world, users, at):
    offer_services.set_priorities(Priorities(candidate=world["people"]["Quentin"], base_min=Decimal("95000"),
                                             currency="EUR"), by=users["bob"], at=at)
    return _ids(world, "quentin")


def our_offer(world, users, at):
    offer_services.record_offer(Offer(application=world["apps"]["priya"], base=Decimal("85000"), currency="EUR"),
                                by=users["alice"], at=at)
    return _ids(world, "priya")


def offer_status(world, users, at):
    offer = Offer.objects.get(application=world["apps"]["quentin"])
    offer_services.set_offer_status(offer.pk, "extended", by=users["bob"], at=at)
    return _ids(world, "quentin")


def stage_move(world, users, at):
    services.move_stage(world["apps"]["priya_data"].pk, services.StageMove(to_stage="final_interview"),
                        by=users["alice"], at=at)
    return _ids(world, "priya_data")


def job_edited(world, users, at):
    job = world["other_job"]
    job.base_max = Decimal("120000")
    services.save_job(job)
    return _ids(world, "priya_data", "rosa")


def recruiter_changes_team(world, users, at):
    bob = users["bob"]
    bob.team = users["charlie"].team
    bob.save()
    return _ids(world, "quentin")


def team_cadence(world, users, at):
    save_team_cadence(TeamCadence(team=users["alice"].team, final_interview_days=1))
    return _ids(world, "priya", "priya_data", "quentin")  # alice's and bob's


def sign_in(world, users, at):
    alice = users["alice"]
    alice.last_login = at
    alice.save(update_fields=["last_login"])
    return set()  # nothing the risk is computed from


def candidate_objects(world, users, at):
    # An objection takes the candidate off what is due (cadence.due), which the snapshots rank.
    priya = world["people"]["Priya"]
    priya.objected_at, priya.objection_note = at, "Asked by e-mail not to be contacted"
    records.save_candidate(priya, at=at)
    return _ids(world, "priya", "priya_data")


CHANGES = [touch_on_application, touch_on_the_candidate_alone, touch_deleted, touch_moved_to_another_candidate,
           competing_offer, priorities, our_offer, offer_status, stage_move, job_edited, recruiter_changes_team,
           team_cadence, sign_in, candidate_objects]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_change_makes_exactly_its_applications_stale_and_the_refresh_catches_up(
    world, alice, bob, charlie, now, change,
):
    assert refresh(now) == 4
    users = {"alice": alice, "bob": bob, "charlie": charlie}
    expected_stale = change(world, users, now - timedelta(minutes=5))
    all_ids = _ids(world, *world["apps"])
    assert all_ids - valid_ids(now) == expected_stale
    assert refresh(now) == len(expected_stale)
    assert as_tuples(snapshots_say(now)) == engine_says(now)


def test_a_change_counted_while_a_snapshot_is_computed_leaves_it_stale(world, alice, now, monkeypatch):
    """The refresh reads the generation, then the facts; a call logged after the facts were read (by
    another request, say) must not be hidden by the values written from before it."""
    priya = world["apps"]["priya"]
    real_load_facts = snapshots.load_facts

    def load_then_someone_calls(*args, **kwargs):
        facts = real_load_facts(*args, **kwargs)
        services.log_touchpoint(Touchpoint(application=priya, recruiter=alice, at=now - timedelta(minutes=1),
                                           channel="call", direction="inbound", interest=1))
        return facts

    monkeypatch.setattr(snapshots, "load_facts", load_then_someone_calls)
    assert refresh(now) == 4
    monkeypatch.setattr(snapshots, "load_facts", real_load_facts)
    assert valid_ids(now) == _ids(world, "quentin", "rosa")  # Priya's two, computed before her call, are not
    assert refresh(now) == 2
    assert as_tuples(snapshots_say(now)) == engine_says(now)


# --- Time and weights ----------------------------------------------------------------------------------


def test_snapshots_hold_for_their_day_only(world, now, monkeypatch):
    refresh(now)
    monkeypatch.setattr(snapshots, "ID_LIST_LIMIT", 1)  # the whole scope by subquery, as on a large pipeline
    assert refresh(now + timedelta(hours=3)) == 0
    tomorrow = now + timedelta(days=1)
    assert valid_ids(tomorrow) == set()
    # Nothing changed overnight: the values carried for tomorrow become the snapshots' own, none is
    # recomputed, and they are what the engine says then.
    assert refresh(tomorrow) == 0
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)
    # A day skipped: nothing was carried for it.
    two_days_later = now + timedelta(days=3)
    assert valid_ids(two_days_later) == set()
    assert refresh(two_days_later) == 4
    assert as_tuples(snapshots_say(two_days_later)) == engine_says(two_days_later)


# --- The next day: carried when computed, promoted the next morning, always the engine's ----------------------


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_change_after_the_snapshots_makes_exactly_its_applications_recomputed_the_next_morning(
    world, alice, bob, charlie, now, change,
):
    assert refresh(now) == 4
    expected_stale = change(world, {"alice": alice, "bob": bob, "charlie": charlie}, now + timedelta(hours=3))
    tomorrow = now + timedelta(days=1)
    assert refresh(tomorrow) == len(expected_stale)
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)


def test_the_day_s_first_refresh_promotes_in_two_statements_and_carries_the_next_day_again(world, now):
    refresh(now)
    tomorrow = now + timedelta(days=1)
    with CaptureQueriesContext(connection) as promoting:
        snapshots._promote(tomorrow, current_scorer())
    assert len(promoting) == 1
    assert set(RiskSnapshot.objects.values_list("next_day", flat=True)) == {None}
    # Promoted rows carry nothing further: the next refresh carries the day after again, in a fixed number of
    # statements, and that day's first refresh promotes them in turn.
    assert refresh(tomorrow) == 0
    day_after = tomorrow + timedelta(days=1)
    assert set(RiskSnapshot.objects.values_list("next_day", flat=True)) == {day_after.date()}
    assert refresh(day_after) == 0
    assert as_tuples(snapshots_say(day_after)) == engine_says(day_after)


def test_the_day_s_first_refresh_promotes_once_even_when_some_carried_values_no_longer_hold(world, alice, now):
    refresh(now)
    touch_on_application(world, {"alice": alice}, now + timedelta(hours=2))  # both of Priya's: stale tomorrow
    tomorrow = now + timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        assert refresh(tomorrow) == 2
    updates = [query["sql"] for query in queries if query["sql"].startswith('UPDATE "risk_risksnapshot"')]
    assert len(updates) == 1, updates
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)


def test_a_process_that_promoted_today_still_promotes_values_carried_for_today_since(world, now, monkeypatch):
    """Another server whose clock is behind may write values carried for today after this one promoted."""
    refresh(now)
    tomorrow = now + timedelta(days=1)
    monkeypatch.setitem(snapshots._promoted_on, connection.alias, tomorrow.date())
    with CaptureQueriesContext(connection) as queries:
        assert refresh(tomorrow) == 0
    assert [query["sql"].split()[0] for query in queries[:3]] == ["SELECT", "UPDATE", "SELECT"]
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)


def test_a_few_snapshots_are_carried_again_per_refresh_and_the_worker_carries_them_all(world, now):
    refresh(now)
    tomorrow = now + timedelta(days=1)
    scope, scorer = applications_as_of(tomorrow), current_scorer()
    carried_for_the_day_after = RiskSnapshot.objects.filter(next_day=(tomorrow + timedelta(days=1)).date())
    assert snapshots.ensure_fresh(scope, tomorrow, scorer, carry_batch=1) == 0
    assert carried_for_the_day_after.count() == 1
    assert snapshots.ensure_fresh(scope, tomorrow, scorer, carry_batch=2) == 0
    assert carried_for_the_day_after.count() == 3
    with CaptureQueriesContext(connection) as nothing_to_do:
        assert snapshots.refresh_everyone(tomorrow) == 0
    assert carried_for_the_day_after.count() == 4
    assert len(nothing_to_do) > 1  # the last one carried
    with CaptureQueriesContext(connection) as nothing_to_do:
        assert snapshots.refresh_everyone(tomorrow) == 0
    assert len(nothing_to_do) == 1
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)


def test_when_more_are_stale_than_the_batch_none_carries_tomorrow_and_later_calls_carry_them(world, now):
    """The day's first view pays for the stale snapshots only; the next views carry them a batch at a time."""
    scope, scorer = applications_as_of(now), current_scorer()
    carried = RiskSnapshot.objects.filter(next_day=(now + timedelta(days=1)).date())
    assert snapshots.ensure_fresh(scope, now, scorer, carry_batch=3) == 4
    assert set(RiskSnapshot.objects.values_list("next_day", flat=True)) == {None}
    assert snapshots.ensure_fresh(scope, now, scorer, carry_batch=3) == 0
    assert carried.count() == 3
    assert snapshots.ensure_fresh(scope, now, scorer, carry_batch=3) == 0
    assert carried.count() == 4
    tomorrow = now + timedelta(days=1)
    assert refresh(tomorrow) == 0
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)


def test_a_record_dated_during_the_next_day_ends_the_carried_values_at_its_moment(world, alice, now):
    meeting = snapshots._next_midnight(now) + timedelta(hours=14)  # booked today for tomorrow afternoon
    _meeting_ahead(world, alice, meeting)
    refresh(now)
    rosa = RiskSnapshot.objects.get(application=world["apps"]["rosa"])
    assert (rosa.expires_at, rosa.next_expires_at) == (snapshots._next_midnight(now), meeting)
    morning = now + timedelta(days=1)
    assert refresh(morning) == 0
    assert as_tuples(snapshots_say(morning)) == engine_says(morning)
    after = meeting + timedelta(minutes=1)
    assert valid_ids(after) == _ids(world, "priya", "priya_data", "quentin")
    assert refresh(after) == 1
    assert as_tuples(snapshots_say(after)) == engine_says(after)


@pytest.fixture
def monday_to_friday(settings):
    settings.WORKING_DAYS = frozenset(range(5))


def test_friday_s_snapshots_carry_monday_s_values_and_a_weekend_view_recomputes(world, now, monday_to_friday):
    assert now.weekday() == 4  # a Friday
    refresh(now)
    monday = now + timedelta(days=3)
    assert set(RiskSnapshot.objects.values_list("next_day", flat=True)) == {monday.date()}
    assert refresh(monday) == 0
    assert as_tuples(snapshots_say(monday)) == engine_says(monday)


def test_a_view_on_saturday_recomputes_and_carries_monday(world, now, monday_to_friday):
    saturday, monday = now + timedelta(days=1), now + timedelta(days=3)
    refresh(now)
    assert refresh(saturday) == 4
    assert as_tuples(snapshots_say(saturday)) == engine_says(saturday)
    assert set(RiskSnapshot.objects.values_list("next_day", flat=True)) == {monday.date()}
    assert refresh(monday) == 0
    assert as_tuples(snapshots_say(monday)) == engine_says(monday)


def test_a_record_dated_over_the_weekend_carries_nothing_to_monday(world, alice, now, monday_to_friday):
    _meeting_ahead(world, alice, now + timedelta(days=1, hours=2))  # a call booked for Saturday
    refresh(now)
    monday = now + timedelta(days=3)
    assert refresh(monday) == 1
    assert as_tuples(snapshots_say(monday)) == engine_says(monday)


@pytest.mark.parametrize("before_midnight", [timedelta(hours=1), timedelta(0)], ids=["tonight", "at midnight"])
def test_a_record_dated_before_the_next_day_starts_carries_nothing(world, alice, now, before_midnight):
    """The facts at the next day's start include it and the facts read now do not: its values are not carried."""
    _meeting_ahead(world, alice, snapshots._next_midnight(now) - before_midnight)
    refresh(now)
    rosa = RiskSnapshot.objects.get(application=world["apps"]["rosa"])
    assert rosa.next_expires_at == snapshots._next_midnight(now)  # held until the start of its own day: never
    tomorrow = now + timedelta(days=1)
    assert refresh(tomorrow) == 1
    assert as_tuples(snapshots_say(tomorrow)) == engine_says(tomorrow)


def test_other_weights_overnight_promote_nothing(world, now):
    refresh(now)
    weights = live_weights()
    doubled = replace(weights, weights={name: 2 * value for name, value in weights.weights.items()},
                      source="model v99")
    tomorrow = now + timedelta(days=1)
    assert snapshots.ensure_fresh(applications_as_of(tomorrow), tomorrow, Scorer(cadence_lookup(), doubled)) == 4


@pytest.mark.parametrize("decided_overnight", [False, True], ids=["no decision", "a decision"])
def test_a_model_reading_the_track_record_promotes_only_if_no_decision_was_made_since(
    world, alice, job, now, decided_overnight,
):
    from homestretch.risk.loader import load_track_record
    from homestretch.risk.track_record import CLIENT

    past = Candidate.objects.create(name="Past", email="past@example.org")
    closed = services.open_application(candidate=past, job=job, recruiter=alice, by=alice,
                                       at=now - timedelta(days=60), stage="offer")
    Application.objects.filter(pk=closed.pk).update(stage="declined", closed_at=now - timedelta(days=30))
    weights = replace(live_weights(), history={CLIENT: 1.5}, track_record=load_track_record(), source="model v7")
    scorer = Scorer(cadence_lookup(), weights)
    assert snapshots.ensure_fresh(applications_as_of(now), now, scorer) == 4
    if decided_overnight:  # another candidate declined this evening: tomorrow's track record has one more loss
        another = Candidate.objects.create(name="Another", email="another@example.org")
        other = services.open_application(candidate=another, job=job, recruiter=alice, by=alice,
                                          at=now - timedelta(days=20), stage="offer")
        Application.objects.filter(pk=other.pk).update(stage="declined", closed_at=now + timedelta(hours=5))
        weights = replace(weights, track_record=load_track_record())
        scorer = Scorer(cadence_lookup(), weights)
    tomorrow = now + timedelta(days=1)
    assert snapshots.ensure_fresh(applications_as_of(tomorrow), tomorrow, scorer) == (4 if decided_overnight else 0)
    facts = load_facts(tomorrow, application_ids=_ids(world, *world["apps"]), scored_only=False)
    engine = {app_id: risk.probability for app_id, risk in scorer.risks(facts, tomorrow).items()}
    assert dict(RiskSnapshot.objects.filter(application__in=engine).values_list("application_id", "probability")) \
        == engine


def _meeting_ahead(world, alice, at):
    services.log_touchpoint(Touchpoint(application=world["apps"]["rosa"], recruiter=alice, at=at,
                                       channel="meeting", direction="outbound", interest=1))


def _rival_learned_ahead(world, alice, at):
    CompetingOffer.objects.create(candidate=world["people"]["Rosa"], company="Initech", base=Decimal("150000"),
                                  currency="EUR", stage="offer", learned_at=at)


def _priorities_ahead(world, alice, at):
    Priorities.objects.create(candidate=world["people"]["Rosa"], base_min=Decimal("200000"), currency="EUR",
                              as_of=at)


@pytest.mark.parametrize("record", [_meeting_ahead, _rival_learned_ahead, _priorities_ahead],
                         ids=["touch", "competing offer", "priorities"])
def test_a_record_dated_ahead_expires_its_snapshot_when_its_moment_comes(world, alice, now, record):
    ahead = now + timedelta(hours=2)  # logged this morning for this afternoon
    record(world, alice, ahead)
    refresh(now)
    assert RiskSnapshot.objects.get(application=world["apps"]["rosa"]).expires_at == ahead
    assert refresh(ahead - timedelta(minutes=1)) == 0
    after = ahead + timedelta(minutes=1)
    assert valid_ids(after) == _ids(world, "priya", "priya_data", "quentin")
    assert refresh(after) == 1
    assert as_tuples(snapshots_say(after)) == engine_says(after)


def test_other_weights_make_every_snapshot_stale(world, now):
    refresh(now)
    weights = live_weights()
    doubled = replace(weights, weights={name: 2 * value for name, value in weights.weights.items()},
                      source="model v99")
    scope = applications_as_of(now)
    assert snapshots.ensure_fresh(scope, now, Scorer(cadence_lookup(), doubled)) == 4
    assert snapshots.ensure_fresh(scope, now, Scorer(cadence_lookup(), doubled)) == 0
    assert snapshots.ensure_fresh(scope, now, Scorer(cadence_lookup(), weights)) == 4


def test_a_snapshot_computed_later_than_the_moment_asked_is_not_used(world, now):
    refresh(now)
    earlier = now - timedelta(hours=1)
    assert valid_ids(earlier) == set()


def test_deleting_an_application_deletes_its_snapshot(world, now):
    refresh(now)
    rosa = world["apps"]["rosa"].pk
    Application.objects.filter(pk=rosa).delete()
    assert not RiskSnapshot.objects.filter(application_id=rosa).exists()
    assert refresh(now) == 0


# --- The pages rank as scoring everything would ----------------------------------------------------


@pytest.fixture
def demo_morning(settings, client, now):
    """The small demo an hour after it was drawn, its admin signed in."""
    from homestretch.accounts.models import User

    summary = generate("small", 1, now=now)
    client.force_login(User.objects.get(email=summary.admin_email))
    settings.HOMESTRETCH_PAGES_NOW = now + timedelta(hours=1)
    return settings.HOMESTRETCH_PAGES_NOW


def test_everyones_today_shows_the_first_rows_of_the_whole_agenda(client, demo_morning, monkeypatch):
    from homestretch.agenda.services import agenda
    from homestretch.front import views

    whole = agenda(timezone.localtime(demo_morning).date(), now=demo_morning)
    overdue = sum(1 for item in whole if item.due.overdue_days > 0)
    # The overdue rows and a few due today, fewer than are due: the order and the cut both matter.
    shown_rows = overdue + 5
    assert overdue > 5 and shown_rows < len(whole)
    monkeypatch.setattr(views, "ROWS_SHOWN", shown_rows)
    response = client.get("/?scope=everyone")
    shown = response.context["items"]
    assert [item.as_dict() for item in shown] == [item.as_dict() for item in whole[:shown_rows]]
    assert response.context["total"] == len(whole)
    assert response.context["overdue"] == overdue


def test_everyones_board_shows_the_riskiest_cards_of_each_column(client, demo_morning, monkeypatch):
    from homestretch.front import views

    monkeypatch.setattr(views, "CARDS_PER_COLUMN", 5)
    facts = load_facts(demo_morning, scored_only=False)
    risks = assess_many(facts, demo_morning, cadence_lookup(), live_weights())
    expected: dict[str, list[int]] = {}
    for fact in facts:  # newest first, then the riskiest first (a stable sort), as the board draws them
        expected.setdefault(fact.stage, []).append(fact.application_id)
    for ids in expected.values():
        ids.sort(key=lambda app_id: -(risks[app_id].probability or 0))
    columns = client.get("/pipeline/?recruiter=&early=1").context["columns"]  # every column, early ones too
    assert sum(column["count"] for column in columns) > 5 * 3
    for column in columns:
        ids = expected.get(column["stage"], [])
        assert column["count"] == len(ids), column["stage"]
        assert [card.facts.application_id for card in column["cards"]] == ids[:5], column["stage"]
        assert [card.risk for card in column["cards"]] == [risks[app_id] for app_id in ids[:5]]


def test_everything_changed_makes_every_snapshot_stale_and_gives_missing_rows(world, now):
    refresh(now)
    rosa = world["apps"]["rosa"].pk
    RiskSnapshot.objects.filter(application_id=rosa).delete()  # as after a raw load
    assert changes.everything_changed() == 4
    assert valid_ids(now) == set()
    assert refresh(now) == 4
    assert as_tuples(snapshots_say(now)) == engine_says(now)


def test_the_snapshots_are_written_in_a_fixed_number_of_statements_twice_in_one_transaction(world, now):
    """The write is one statement on SQLite and, on PostgreSQL, a temporary table filled by COPY, one
    upsert from it and its drop: a second write in the same transaction (a caller's atomic block) finds
    no table left over, and both land their values."""
    tomorrow = now.date() + timedelta(days=1)
    carried = (tomorrow, now + timedelta(days=1), 0.3, "medium", True, 1)
    rows = [(app.pk, 0, None, now.date(), now, now + timedelta(hours=1), "k", "offer", 0.25, "high", True, 3, *carried)
            for app in world["apps"].values()]
    with CaptureQueriesContext(connection) as first:
        snapshots._upsert(rows)
    # SQLite: the upsert; PostgreSQL: create, upsert, drop (the COPY is not logged). Savepoints aside.
    statements = [q["sql"] for q in first.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == (3 if connection.vendor == "postgresql" else 1), statements
    nothing_carried = (tomorrow, now + timedelta(hours=20), None, "", False, None)
    snapshots._upsert([(*row[:7], "accepted", 0.5, "low", False, None, *nothing_carried) for row in rows])
    assert set(RiskSnapshot.objects.values_list(*snapshots._COLUMNS)) == {
        (app.pk, 0, None, now.date(), now, now + timedelta(hours=1), "k", "accepted", 0.5, "low", False, None,
         *nothing_carried)
        for app in world["apps"].values()
    }


def test_the_working_days_setting_is_validated(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import homestretch.settings as project_settings

    for bad in ("", "monday,funday", "1,2,3", " , ", "montag"):
        monkeypatch.setenv("HOMESTRETCH_WORKING_DAYS", bad)
        with pytest.raises(ImproperlyConfigured, match="HOMESTRETCH_WORKING_DAYS"):
            importlib.reload(project_settings)
    monkeypatch.setenv("HOMESTRETCH_WORKING_DAYS", "Mon, Tuesday,wed,thu,fri,sat")
    six_days = importlib.reload(project_settings).WORKING_DAYS
    assert six_days == {0, 1, 2, 3, 4, 5}
    monkeypatch.delenv("HOMESTRETCH_WORKING_DAYS")
    default = importlib.reload(project_settings).WORKING_DAYS
    assert default == {0, 1, 2, 3, 4}
