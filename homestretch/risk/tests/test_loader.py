"""The loader: ApplicationFacts from the database, as of a moment, in a fixed number of queries."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, CompetingOfferChange, Offer, Priorities
from homestretch.pipeline import services
from homestretch.pipeline.models import Candidate, Touchpoint
from homestretch.risk.loader import load_facts

pytestmark = pytest.mark.django_db


def touch(application, at, **fields):
    defaults = {"channel": "call", "direction": "outbound"}
    return services.log_touchpoint(Touchpoint(application=application, recruiter=application.recruiter, at=at,
                                              **{**defaults, **fields}))


def open_app(name, job, recruiter, at, stage="interviewing"):
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.org")
    return services.open_application(candidate=candidate, job=job, recruiter=recruiter, by=recruiter, at=at,
                                      stage=stage)


def test_only_applications_on_the_home_stretch_are_scored(job, alice, now):
    start = now - timedelta(days=10)
    on_stretch = open_app("Ana Lima", job, alice, start, "final_interview")
    open_app("Ben Ode", job, alice, start, "sourced")
    closed = open_app("Cy Roe", job, alice, start, "screening")
    services.move_stage(closed.id, services.StageMove("withdrawn", reason="Moved abroad", loss_reason="personal"),
                        by=alice, at=start + timedelta(days=1))
    facts = load_facts(now)
    assert [f.application_id for f in facts] == [on_stretch.id]
    assert facts[0].stage == "final_interview"
    assert facts[0].job.client == "Acme Cloud" and facts[0].job.band_midpoint == Decimal("87500")
    assert facts[0].recruiter_name == "Alice Archer" and facts[0].team_id == alice.team_id


def test_contact_summary_reads_the_latest_touches(application, now):
    base = now - timedelta(days=9)
    touch(application, base, interest=4, competition_asked=True, competition_answer="disclosed")
    touch(application, base + timedelta(days=2), direction="inbound", interest=5)
    touch(application, base + timedelta(days=4), interest=2, competition_asked=True,
          competition_answer="declined_to_say", status_update_given=True)
    touch(application, base + timedelta(days=5), channel="email")  # no interest recorded
    contacts = load_facts(now)[0].contacts
    assert contacts.touchpoints == 4
    assert contacts.last_contact_at == base + timedelta(days=5)
    assert contacts.last_inbound_at == base + timedelta(days=2)
    assert contacts.last_competition_asked_at == base + timedelta(days=4)
    assert contacts.last_competition_answer == "declined_to_say"
    assert (contacts.latest_interest, contacts.previous_interest) == (2, 5)
    assert contacts.last_status_update_at == base + timedelta(days=4)


def test_a_touch_logged_on_the_candidate_alone_counts_as_contact(application, now):
    touch(application, now - timedelta(days=6), interest=4)
    services.log_touchpoint(Touchpoint(candidate=application.candidate, at=now - timedelta(days=1), channel="message",
                                       direction="inbound", competition_asked=True, competition_answer="none"))
    contacts = load_facts(now)[0].contacts
    assert contacts.touchpoints == 2
    assert contacts.last_contact_at == now - timedelta(days=1)
    assert contacts.last_inbound_at == now - timedelta(days=1)
    assert contacts.last_competition_answer == "none"
    assert contacts.latest_interest == 4  # interest is about this job: only its own touches


def test_the_past_is_read_as_it_was_then(job, alice, now):
    application = open_app("Ana Lima", job, alice, now - timedelta(days=10), "final_interview")
    before = now - timedelta(days=3)
    touch(application, now - timedelta(days=5), interest=4)
    touch(application, now - timedelta(days=1), interest=1)  # after the moment: ignored
    services.move_stage(application.id, services.StageMove("verification"), by=alice, at=now - timedelta(days=2))
    offer = offer_services.record_offer(
        Offer(application=application, base=Decimal("85000"), currency="EUR", status="extended"),
        by=alice, at=now - timedelta(days=4))
    offer_services.set_offer_status(offer.id, "accepted", by=alice, at=now - timedelta(hours=2))
    CompetingOffer.objects.create(candidate=application.candidate, company="Later Inc", learned_at=now)

    then = load_facts(before)[0]
    assert then.stage == "final_interview"
    assert then.contacts.latest_interest == 4 and then.contacts.touchpoints == 1
    assert [(o.revision, o.status) for o in then.offers] == [(1, "extended")]
    assert then.offers[0].responded_at is None
    assert then.competing == ()

    current = load_facts(now)[0]
    assert current.stage == "verification"
    assert current.offers[0].status == "accepted"
    assert [c.company for c in current.competing] == ["Later Inc"]


def _day(now, n: int):
    return now - timedelta(days=10) + timedelta(days=n)


@pytest.fixture
def told_later(job, alice, now):
    """A rival process learned on day 1 at the interviews, pay not told; on day 5 it is an offer of 95,000 EUR."""
    application = open_app("Ana Lima", job, alice, _day(now, 0), "final_interview")
    touch(application, _day(now, 1), interest=4, competition_asked=True, competition_answer="disclosed")
    rival = offer_services.record_competing_offer(
        CompetingOffer(candidate=application.candidate, company="Initech", stage="interviewing",
                       learned_at=_day(now, 1)), by=alice)
    rival.stage, rival.base, rival.currency = "offer", Decimal("95000"), "EUR"
    offer_services.record_competing_offer(rival, by=alice, at=_day(now, 5))
    return application


def test_a_competing_offer_is_read_as_it_was_known_at_the_moment(told_later, now):
    (then,) = load_facts(_day(now, 3))[0].competing
    assert (then.company, then.stage, then.base, then.currency) == ("Initech", "interviewing", None, "")
    assert then.learned_at == _day(now, 1)
    (later,) = load_facts(_day(now, 6))[0].competing
    assert (later.stage, later.base, later.currency) == ("offer", Decimal("95000"), "EUR")
    assert later.learned_at == _day(now, 1) and later.competing_id == then.competing_id
    (current,) = load_facts(now)[0].competing  # the present: the row as it stands
    assert current == later


def test_the_risk_command_scores_a_past_moment_with_the_competing_offer_as_known_then(told_later, now):
    from typer.testing import CliRunner

    from homestretch.cli import app

    def reasons_at(moment) -> set[str]:
        result = CliRunner().invoke(app, ["risk", str(told_later.pk), "--at", moment.isoformat(), "--format", "json"])
        assert result.exit_code == 0, result.output
        return {reason["code"] for reason in json.loads(result.stdout)["reasons"]}

    assert "competing_pay_gap" not in reasons_at(_day(now, 3))  # an interview elsewhere, pay not told
    assert "competing_pay_gap" in reasons_at(_day(now, 6))  # 95,000 against the band's 87,500


def test_an_offer_whose_history_starts_after_the_moment_is_left_out(job, alice, now):
    """Edited in place before changes were kept: its one change is dated from its last edit (the backfill),
    and what it said before is not known."""
    application = open_app("Ana Lima", job, alice, _day(now, 0), "final_interview")
    rival = CompetingOffer.objects.create(candidate=application.candidate, company="Initech", stage="offer",
                                          learned_at=_day(now, 1))
    CompetingOfferChange.objects.create(competing=rival, at=_day(now, 5), kind="external", company="Initech",
                                        stage="offer", period="year", confidential=False)
    assert load_facts(_day(now, 3))[0].competing == ()
    assert [c.stage for c in load_facts(_day(now, 6))[0].competing] == ["offer"]


def test_priorities_are_the_latest_as_of_the_moment(job, alice, now):
    application = open_app("Ana Lima", job, alice, now - timedelta(days=30))
    for days, base_min in ((20, "70000"), (5, "80000")):
        offer_services.set_priorities(
            Priorities(candidate=application.candidate, base_min=Decimal(base_min), currency="EUR", notice_days=30),
            by=alice, at=now - timedelta(days=days))
    assert load_facts(now)[0].priorities.base_min == Decimal("80000")
    assert load_facts(now - timedelta(days=10))[0].priorities.base_min == Decimal("70000")


def test_facts_filter_by_recruiter_and_team(job, alice, bob, charlie, now):
    start = now - timedelta(days=3)
    mine = open_app("Ana Lima", job, alice, start)
    teammates = open_app("Ben Ode", job, bob, start)
    others = open_app("Cy Roe", job, charlie, start)
    assert {f.application_id for f in load_facts(now, recruiter_id=alice.id)} == {mine.id}
    assert {f.application_id for f in load_facts(now, team_id=alice.team_id)} == {mine.id, teammates.id}
    assert {f.application_id for f in load_facts(now)} == {mine.id, teammates.id, others.id}


def _queries_for(now) -> int:
    with CaptureQueriesContext(connection) as captured:
        load_facts(now)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_applications(job, alice, now):
    start = now - timedelta(days=8)

    def add(n, offset):
        for i in range(n):
            app = open_app(f"Person {offset + i}", job, alice, start)
            touch(app, start + timedelta(days=1), interest=3, competition_asked=True, competition_answer="none")
            CompetingOffer.objects.create(candidate=app.candidate, company="Rival", learned_at=start)
            offer_services.record_offer(Offer(application=app, base=Decimal("80000"), currency="EUR"),
                                        by=alice, at=start)

    add(2, 0)
    few = _queries_for(now)
    add(15, 100)
    assert _queries_for(now) == few
    # The present: the touches come reduced from their stored summaries, the competing offers read as
    # their rows stand (the probe for a change dated later rides in the same query). On PostgreSQL the
    # nine reads after the applications' go as one statement's text, in one round trip (prepared_many).
    assert few == (2 if connection.vendor == "postgresql" else 10)


def test_competing_offers_changed_after_the_moment_cost_one_query_whatever_their_number(job, alice, now):
    start = now - timedelta(days=8)

    def add(n, offset):
        for i in range(n):
            app = open_app(f"Person {offset + i}", job, alice, start)
            rival = offer_services.record_competing_offer(
                CompetingOffer(candidate=app.candidate, company="Rival", learned_at=start), by=alice)
            rival.stage = "offer"
            offer_services.record_competing_offer(rival, by=alice, at=start + timedelta(days=4))

    add(2, 0)
    present, past = _queries_for(now), _queries_for(start + timedelta(days=2))
    add(15, 100)
    assert (_queries_for(now), _queries_for(start + timedelta(days=2))) == (present, past)
    assert past == present + 1  # the changes of the offers, to find each one's as of the moment
