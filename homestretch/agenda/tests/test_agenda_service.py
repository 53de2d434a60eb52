"""The agenda from the database: a recruiter's, a team's or everyone's day, and the CLI around it."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from homestretch.agenda.services import agenda
from homestretch.cli import app
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Offer
from homestretch.pipeline import services
from homestretch.pipeline.models import Candidate, Touchpoint

pytestmark = pytest.mark.django_db
runner = CliRunner()


def candidate_at(name, job, recruiter, stage, entered, last_call):
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.org")
    application = services.open_application(candidate=candidate, job=job, recruiter=recruiter, by=recruiter,
                                            at=entered, stage=stage)
    services.log_touchpoint(Touchpoint(application=application, recruiter=recruiter, at=last_call, channel="call",
                                       direction="outbound", interest=4, competition_asked=True,
                                       competition_answer="none"))
    return application


@pytest.fixture
def week(job, alice, bob, charlie, now):
    """Alice's overdue final interview, Bob's fresh one, Charlie's (other team) overdue offer stage."""
    entered = now - timedelta(days=10)
    late = candidate_at("Lena Late", job, alice, "final_interview", entered, now - timedelta(days=4))
    fresh = candidate_at("Fred Fresh", job, bob, "final_interview", entered, now - timedelta(hours=3))
    other = candidate_at("Olga Other", job, charlie, "offer", entered, now - timedelta(days=3))
    CompetingOffer.objects.create(candidate=other.candidate, company="Initech", stage="offer", base=Decimal(99000),
                                  currency="EUR", deadline=(now + timedelta(days=2)).date(),
                                  learned_at=now - timedelta(days=3))
    offer_services.record_offer(Offer(application=other, base=Decimal(90000), currency="EUR", status="extended"),
                                by=charlie, at=now - timedelta(days=3))
    return {"late": late, "fresh": fresh, "other": other}


def test_everyone_sees_every_due_touch_overdue_and_riskiest_first(week, now):
    items = agenda(now.date(), now=now)
    assert [item.facts.application_id for item in items] == [week["other"].id, week["late"].id]
    riskier, calmer = items
    assert riskier.risk.probability > calmer.risk.probability
    assert riskier.due.code in {"contact_overdue", "competing_deadline"}
    assert any(reason.code.startswith("competing") for reason in riskier.risk.reasons)


def test_a_recruiter_or_a_team_sees_only_theirs(week, alice, now):
    assert [i.facts.application_id for i in agenda(now.date(), now=now, recruiter_id=alice.id)] == [week["late"].id]
    team = agenda(now.date(), now=now, team_id=alice.team_id)
    assert [i.facts.application_id for i in team] == [week["late"].id]


def test_a_call_today_takes_the_candidate_off_the_agenda(week, alice, now):
    services.log_touchpoint(Touchpoint(application=week["late"], recruiter=alice, at=now, channel="call",
                                       direction="outbound"))
    assert week["late"].id not in {i.facts.application_id for i in agenda(now.date(), now=now)}


def test_a_past_day_is_drawn_as_it_stood_that_morning(week, alice, now):
    services.log_touchpoint(Touchpoint(application=week["late"], recruiter=alice, at=now, channel="call",
                                       direction="outbound"))
    yesterday = agenda((now - timedelta(days=1)).date(), now=now)
    assert week["late"].id in {i.facts.application_id for i in yesterday}


def test_the_agenda_takes_the_same_number_of_queries_for_more_applications(week, job, alice, now):
    with CaptureQueriesContext(connection) as few:
        agenda(now.date(), now=now)
    for i in range(12):
        candidate_at(f"Extra {i} Person", job, alice, "interviewing", now - timedelta(days=9), now - timedelta(days=5))
    with CaptureQueriesContext(connection) as many:
        assert len(agenda(now.date(), now=now)) == 14
    assert len(many) == len(few)


def test_cli_agenda_prints_the_issue_json(week, alice, now):
    result = runner.invoke(app, ["agenda", "--recruiter", "ALICE@example.com", "--now", now.isoformat(),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [item["application_id"] for item in items] == [week["late"].id]
    item = items[0]
    assert item["candidate"] == "Lena Late" and item["client"] == "Acme Cloud" and item["stage"] == "final_interview"
    assert item["recruiter"] == "Alice Archer"
    assert item["due"]["reason"].startswith("Last contact")
    assert item["risk"]["band"] in {"low", "medium", "high"} and 0 <= item["risk"]["score"] <= 100
    assert item["actions"][0]["code"]


def test_cli_agenda_table_and_bad_input(week, now):
    table = runner.invoke(app, ["agenda", "--now", now.isoformat()])
    assert table.exit_code == 0, table.output
    assert "2 to contact" in table.stdout
    rows = [line for line in table.stdout.splitlines() if line.startswith("│ ")]
    assert rows[0].split("│")[1].strip() == str(week["other"].id)
    unknown = runner.invoke(app, ["agenda", "--recruiter", "nobody@example.com"])
    assert unknown.exit_code == 2 and "no user" in unknown.output
    bad_day = runner.invoke(app, ["agenda", "--on", "2026-13-45"])
    assert bad_day.exit_code == 2 and "2026-13-45" in bad_day.output


def test_cli_risk_prints_the_risk_with_its_actions(week, now):
    result = runner.invoke(app, ["risk", str(week["other"].id), "--at", now.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    risk = json.loads(result.stdout)
    assert set(risk) >= {"probability", "score", "band", "reasons", "actions"}
    assert any("Initech" in reason["text"] for reason in risk["reasons"])
    table = runner.invoke(app, ["risk", str(week["other"].id), "--at", now.isoformat()])
    assert table.exit_code == 0 and "Olga Other" in table.stdout and "Next best actions" in table.stdout


def test_cli_risk_explains_what_it_cannot_score(week, alice, now):
    services.move_stage(week["late"].id, services.StageMove("withdrawn", reason="Took a job elsewhere",
                                                            loss_reason="competing_offer"), by=alice, at=now)
    closed = runner.invoke(app, ["risk", str(week["late"].id), "--at", (now + timedelta(hours=1)).isoformat()])
    assert closed.exit_code == 1 and "closed" in closed.output
    missing = runner.invoke(app, ["risk", "999999"])
    assert missing.exit_code == 2 and "no application" in missing.output
    bad_moment = runner.invoke(app, ["risk", str(week["late"].id), "--at", "yesterday"])
    assert bad_moment.exit_code == 1 and "ISO 8601" in bad_moment.output
