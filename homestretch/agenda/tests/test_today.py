"""Today: who needs a touch, why and since when; overdue first, then the riskiest."""

from datetime import timedelta

from homestretch.agenda.today import build_agenda
from homestretch.cadence.due import due_reasons
from homestretch.cadence.rules import DEFAULT_CADENCE, Cadence
from homestretch.risk.engine import assess_many
from homestretch.risk.tests.builders import TODAY, competing, contacts, days_ago, facts, in_days, offer


def default_cadence(_team_id):
    return DEFAULT_CADENCE


def codes(reasons):
    return [reason.code for reason in reasons]


def test_a_fresh_contact_puts_nothing_on_the_agenda():
    assert due_reasons(facts(), TODAY, DEFAULT_CADENCE) == []


def test_an_overdue_check_in_says_how_late_and_since_when():
    late = facts(stage="final_interview", contacts=contacts(last_contact_at=days_ago(5)))
    [due] = due_reasons(late, TODAY, DEFAULT_CADENCE)
    assert due.code == "contact_overdue"
    assert due.overdue_days == 3
    assert due.since == TODAY - timedelta(days=3)
    assert due.reason == "Last contact 5 days ago; at final interview check in every 2 days"


def test_a_check_in_due_today_is_not_overdue():
    [due] = due_reasons(facts(stage="interviewing", contacts=contacts(last_contact_at=days_ago(3))), TODAY,
                        DEFAULT_CADENCE)
    assert (due.code, due.overdue_days, due.since) == ("contact_due", 0, TODAY)


def test_competition_never_asked_about_is_due_a_week_after_entering_the_stage():
    quiet = facts(stage_entered_at=days_ago(9), contacts=contacts(last_competition_asked_at=None,
                                                                  last_competition_answer=""))
    [due] = due_reasons(quiet, TODAY, DEFAULT_CADENCE)
    assert due.code == "ask_competition"
    assert due.reason == "Competition never asked about"
    assert due.overdue_days == 2


def test_a_close_competing_deadline_puts_the_application_on_the_agenda():
    pressed = facts(competing=(competing("Initech", deadline=in_days(2)),))
    [due] = due_reasons(pressed, TODAY, DEFAULT_CADENCE)
    assert due.code == "competing_deadline"
    assert "Initech" in due.reason and in_days(2).isoformat() in due.reason
    assert due.overdue_days == -2  # a warning ahead of the date, not a late task


def test_a_passed_or_far_competing_deadline_does_not():
    for deadline in (in_days(-1), in_days(10)):
        assert due_reasons(facts(competing=(competing(deadline=deadline),)), TODAY, DEFAULT_CADENCE) == []


def test_an_offer_about_to_expire_is_due():
    [due] = due_reasons(facts(offers=(offer(expires_on=in_days(1)),)), TODAY, DEFAULT_CADENCE)
    assert due.code == "offer_expiring" and "in 1 day" in due.reason


def test_the_day_before_the_start_is_a_check_in_even_after_a_recent_call():
    starting = facts(stage="accepted", accepted_at=days_ago(20),
                     offers=(offer(status="accepted", start_date=in_days(1)),),
                     contacts=contacts(last_contact_at=days_ago(1)))
    reasons = due_reasons(starting, TODAY, DEFAULT_CADENCE)
    assert codes(reasons) == ["contact_due", "start_tomorrow"]


def test_the_most_overdue_reason_leads():
    both = facts(stage="offer", contacts=contacts(last_contact_at=days_ago(4), last_competition_asked_at=days_ago(20)))
    reasons = due_reasons(both, TODAY, DEFAULT_CADENCE)
    assert codes(reasons) == ["ask_competition", "contact_overdue"]
    assert reasons[0].overdue_days == 13 and reasons[1].overdue_days == 2


def test_a_team_cadence_changes_what_is_due():
    relaxed = Cadence().with_overrides(offer=6)
    three_days = facts(stage="offer", contacts=contacts(last_contact_at=days_ago(3)))
    assert codes(due_reasons(three_days, TODAY, DEFAULT_CADENCE)) == ["contact_overdue"]
    assert due_reasons(three_days, TODAY, relaxed) == []


def test_overdue_comes_first_then_the_riskiest():
    calm_but_late = facts(application_id=1, stage="interviewing", contacts=contacts(last_contact_at=days_ago(4)))
    risky_due_today = facts(application_id=2, stage="interviewing", contacts=contacts(last_contact_at=days_ago(3)),
                            competing=(competing("Acme", base=120000, deadline=in_days(3)),))
    risky_late = facts(application_id=3, stage="offer", contacts=contacts(last_contact_at=days_ago(5)),
                       competing=(competing("Acme", base=120000, deadline=in_days(2)),))
    calm_today = facts(application_id=4, stage="interviewing", contacts=contacts(last_contact_at=days_ago(3)))
    all_facts = [calm_but_late, risky_due_today, risky_late, calm_today]
    risks = assess_many(all_facts, days_ago(0), default_cadence)
    assert risks[3].probability > risks[1].probability
    assert risks[2].probability > risks[4].probability
    agenda = build_agenda(all_facts, TODAY, default_cadence, risks)
    assert [item.facts.application_id for item in agenda] == [3, 1, 2, 4]


def test_an_agenda_item_has_the_json_shape_of_the_issue():
    late = facts(stage="final_interview", contacts=contacts(last_contact_at=days_ago(5)),
                 competing=(competing("Acme", base=95000, deadline=in_days(2)),))
    risks = assess_many([late], days_ago(0), default_cadence)
    [item] = build_agenda([late], TODAY, default_cadence, risks)
    data = item.as_dict()
    assert {"application_id", "candidate", "job", "client", "stage", "recruiter", "due", "risk", "actions"} <= set(data)
    assert set(data["due"]) >= {"reason", "since", "overdue_days"}
    assert set(data["risk"]) >= {"probability", "score", "band", "reasons"}
    assert "actions" not in data["risk"]
    assert all(set(reason) >= {"code", "text", "share"} for reason in data["risk"]["reasons"])
    assert data["actions"] and all(set(action) == {"code", "text"} for action in data["actions"])
    assert data["due"]["since"] == (TODAY - timedelta(days=3)).isoformat()
