"""The next best actions: concrete amounts, ISO dates, the most risk-lowering first."""

from __future__ import annotations

from decimal import Decimal

import pytest

from homestretch.cadence.rules import DEFAULT_CADENCE
from homestretch.risk.actions import MAX_ACTIONS, next_best_actions, round_up
from homestretch.risk.engine import assess
from homestretch.risk.features import compute_features
from homestretch.situation.build import build_situation

from .builders import NOW, competing, contacts, days_ago, facts, in_days, job, offer, priorities


def actions_of(application):
    return {action.code: action.text for action in assess(application, NOW).actions}


def ask_for(application):
    ask = build_situation(application, NOW).ask
    return None if ask is None else ask.amount


# --- How much to ask the hiring manager for.

@pytest.mark.parametrize(("amount", "period", "rounded"), [
    ("91352", "year", "92000"), ("92000", "year", "92000"), ("92000.01", "year", "93000"),
    ("6120", "month", "6200"), ("455", "day", "460"), ("61.2", "hour", "62"),
])
def test_pay_asks_round_up_to_a_step_for_the_period(amount, period, rounded):
    assert round_up(Decimal(amount), period) == Decimal(rounded)


def test_the_ask_beats_the_best_competing_total_by_three_percent_keeping_our_bonus():
    # Ours 80,000 + 5,000 bonus = 85,000; Acme 85,000 + 10,000 bonus = 95,000 in total.
    # Total: 95,000 x 1.03 = 97,850, less our 5,000 bonus = a base of 92,850; their base: 85,000 x 1.03 =
    # 87,550. The larger, 92,850, rounds up to 93,000.
    application = facts(offers=(offer(base=80000, total=85000),),
                        competing=(competing("Acme", base=85000, total=95000),))
    assert ask_for(application) == Decimal(93000)
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 93,000 EUR: Acme's offer pays 95,000 EUR in total "
        "(beaten by 3 %, keeping our bonus and equity)"
    )


def test_the_ask_is_never_below_a_competing_base():
    # Ours 80,000 + 5,000 bonus; Acme a base of 95,000, no bonus. By totals alone the ask would be
    # 95,000 x 1.03 - 5,000 = 92,850 -> 93,000, below Acme's base; their base x 1.03 = 97,850 -> 98,000.
    application = facts(offers=(offer(base=80000, total=85000),), competing=(competing("Acme", total=95000),))
    assert ask_for(application) == Decimal(98000)
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 98,000 EUR: Acme's offer pays a base of 95,000 EUR "
        "(beaten by 3 %)"
    )


def test_a_base_told_alone_is_compared_with_our_base_not_our_total():
    # Ours 81,500 + 14,500 equity = 96,000; Acme a base of 95,000, bonus and equity not known. Bases
    # compare: 95,000 - 81,500 = 13,500 more; the ask is 95,000 x 1.03 = 97,850 -> 98,000.
    application = facts(offers=(offer(base=81500, total=96000),),
                        competing=(competing("Acme", base=95000, total=None),))
    assert ask_for(application) == Decimal(98000)
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 98,000 EUR: Acme's offer pays a base of 95,000 EUR "
        "(beaten by 3 %)"
    )


def test_the_ask_is_at_least_the_candidates_minimum_and_mentions_the_target():
    # Acme 88,000 (no bonus) x 1.03 = 90,640, below the minimum of 95,000: the minimum drives the ask.
    application = facts(offers=(offer(base=80000),), competing=(competing("Acme", total=88000),),
                        priorities=priorities(base_min=Decimal(95000), base_target=Decimal(100000)))
    assert ask_for(application) == Decimal(95000)
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 95,000 EUR: the candidate's minimum is 95,000 EUR "
        "(the candidate hopes for 100,000 EUR)"
    )


def test_below_the_minimum_without_competition_asks_for_the_minimum():
    application = facts(offers=(offer(base=76000),), priorities=priorities(base_min=Decimal(80500)))
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 81,000 EUR: the candidate's minimum is 80,500 EUR"
    )


def test_before_an_offer_the_ask_beats_the_competing_base_against_the_band():
    # The band's middle, 80,000, is a base: Acme's base of 90,000 x 1.03 = 92,700 -> 93,000.
    application = facts(stage="final_interview", offers=(), competing=(competing("Acme", base=90000, total=99000),))
    assert ask_for(application) == Decimal(93000)
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 93,000 EUR: Acme's offer pays a base of 90,000 EUR "
        "(beaten by 3 %)"
    )


def test_no_pay_ask_when_we_pay_more_or_pay_cannot_be_compared():
    assert ask_for(facts(offers=(offer(base=95000),), competing=(competing(total=90000),))) is None
    assert ask_for(facts(competing=(competing(total=120000, currency="USD"),))) is None


def test_monthly_pay_is_asked_for_in_months():
    # 6,500 x 1.03 = 6,695 -> 6,700 (a step of 100 a month).
    application = facts(offers=(offer(base=6000, period="month"),),
                        competing=(competing(total=6500, period="month"),))
    assert actions_of(application)["raise_base"] == (
        "Ask the hiring manager for a base of at least 6,700 EUR per month: Acme's offer pays a base of "
        "6,500 EUR per month (beaten by 3 %)"
    )


def test_a_better_counteroffer_is_named_as_such():
    # Initech's base of 90,000 x 1.03 = 92,700 -> 93,000.
    application = facts(competing=(competing("Initech", kind="counteroffer", total=90000),))
    actions = actions_of(application)
    assert actions["raise_base"] == (
        "Ask the hiring manager for a base of at least 93,000 EUR: Initech's counteroffer pays a base of "
        "90,000 EUR (beaten by 3 %)"
    )
    assert actions["counter_counteroffer"].startswith("Talk through the counteroffer from Initech")


# --- Speed: the competing deadline.

def test_before_our_offer_is_out_get_it_to_the_candidate_two_days_before_the_deadline():
    # Deadline 2026-11-30 (in 10 days), less 2 days: 2026-11-28, in 8 days.
    application = facts(stage="final_interview", offers=(),
                        competing=(competing("Acme", base=None, total=None, deadline=in_days(10)),))
    assert actions_of(application)["beat_deadline"] == (
        "Get our offer to the candidate by 2026-11-28 (in 8 days): Acme expects an answer by 2026-11-30"
    )
    # A draft: deadline 2026-11-23, less 2 days: 2026-11-21, tomorrow.
    draft = facts(offers=(offer(status="draft", sent_at=None),), competing=(competing(deadline=in_days(3)),))
    assert actions_of(draft)["beat_deadline"] == (
        "Get our offer to the candidate by 2026-11-21 (in 1 day): Acme expects an answer by 2026-11-23"
    )


def test_when_the_lead_time_is_gone_our_offer_goes_out_today():
    # Deadline 2026-11-21, less 2 days is 2026-11-19, already past: today, 2026-11-20.
    draft = facts(offers=(offer(status="draft", sent_at=None),), competing=(competing(deadline=in_days(1)),))
    assert actions_of(draft)["beat_deadline"] == (
        "Get our offer to the candidate by 2026-11-20 (today): Acme expects an answer by 2026-11-21"
    )


def test_after_acceptance_check_in_before_a_competing_deadline():
    application = facts(stage="accepted", accepted_at=days_ago(5), stage_entered_at=days_ago(5),
                        offers=(offer(status="accepted", start_date=in_days(30)),),
                        competing=(competing("Acme", deadline=in_days(4)),))
    assert actions_of(application)["beat_deadline"].startswith("Check in before 2026-11-24: Acme expects an answer")


def test_a_candidate_who_said_yes_elsewhere_is_to_be_won_back_today():
    application = facts(competing=(competing("Acme", stage="accepted", deadline=in_days(3)),))
    actions = actions_of(application)
    assert actions["win_back"] == (
        "Call today: the candidate has said yes to Acme's offer — learn what decided it and what, if anything, "
        "would change their mind"
    )
    assert "beat_deadline" not in actions
    reasons = [reason.text for reason in assess(application, NOW).reasons]
    assert "No time left: the candidate has already said yes to Acme" in reasons
    assert "The candidate has accepted an offer from Acme" in reasons


def test_an_accepted_counteroffer_is_won_back_not_talked_through():
    application = facts(competing=(competing("Initech", kind="counteroffer", stage="accepted", total=None,
                                             base=None),))
    actions = actions_of(application)
    assert actions["win_back"].startswith("Call today: the candidate has said yes to Initech's counteroffer")
    assert "counter_counteroffer" not in actions


def test_no_deadline_action_for_a_far_deadline():
    assert "beat_deadline" not in actions_of(facts(competing=(competing(deadline=in_days(30)),)))


# --- Contact and the competition.

def test_call_today_says_how_late_and_the_cadence():
    application = facts(contacts=contacts(last_contact_at=days_ago(5)))
    assert actions_of(application)["call_today"] == (
        "Call today — last contact 5 days ago; due every 2 days at the offer stage"
    )
    assert "call_today" not in actions_of(facts())


def test_call_today_without_any_contact_names_the_stage_and_date():
    application = facts(stage_entered_at=days_ago(6), contacts=contacts(touchpoints=0, last_contact_at=None))
    assert actions_of(application)["call_today"] == (
        "Call today — no contact since the application reached offer on 2026-11-14"
    )


def test_ask_about_the_competition_when_it_is_overdue_or_never_asked():
    assert actions_of(facts(contacts=contacts(last_competition_asked_at=days_ago(10))))["ask_competition"] == (
        "Ask which other processes and offers the candidate has — last asked 10 days ago"
    )
    never = facts(contacts=contacts(last_competition_asked_at=None, last_competition_answer=""))
    assert actions_of(never)["ask_competition"].endswith("never asked yet")
    assert "ask_competition" not in actions_of(facts())


def test_declined_to_say_calls_for_trust_not_another_question():
    actions = actions_of(facts(contacts=contacts(last_competition_answer="declined_to_say",
                                                 last_competition_asked_at=days_ago(10))))
    assert actions["rebuild_trust"].startswith(
        "Rebuild trust: the candidate declined to say what else is on the table on 2026-11-10"
    )
    assert "ask_competition" not in actions


def test_a_status_update_is_due_after_a_week_without_one():
    application = facts(contacts=contacts(last_status_update_at=days_ago(9)))
    assert actions_of(application)["give_status_update"] == (
        "Give the candidate news of the process — the last status update was 9 days ago"
    )


# --- What the candidate wants.

def test_offer_remote_days_when_the_job_allows_more_than_our_offer():
    application = facts(job=job(remote_policy="hybrid", remote_days=3),
                        offers=(offer(remote_policy="hybrid", remote_days=1),),
                        priorities=priorities(remote_preference="hybrid", remote_days=3))
    assert actions_of(application)["offer_remote_days"] == (
        "Offer 3 remote days a week: the candidate wants 3, the job allows up to 3, our offer has 1"
    )


def test_ask_for_an_exception_when_the_job_does_not_allow_remote():
    application = facts(job=job(remote_policy="onsite", remote_days=None),
                        offers=(offer(remote_policy="onsite", remote_days=None),),
                        priorities=priorities(remote_preference="remote", importance={"remote": 5}))
    assert actions_of(application)["ask_remote_exception"] == (
        "Ask the hiring manager for remote days: the candidate wants 5 a week, the job allows 0"
    )


def test_propose_an_earlier_start_when_ours_is_later_than_possible():
    # The candidate can start on Monday 2026-11-30 (stated, ahead): that is the start to propose.
    application = facts(offers=(offer(start_date=in_days(45)),), priorities=priorities(earliest_start=in_days(10)))
    assert actions_of(application)["earlier_start"] == (
        "Propose an earlier start, on 2026-11-30: the candidate can start from 2026-11-30; our offer says 2027-01-04"
    )


def test_the_earlier_start_proposed_is_the_first_monday_the_candidate_is_free():
    # Stated earliest start Wednesday 2026-12-02: the first Monday on or after it is 2026-12-07.
    application = facts(offers=(offer(start_date=in_days(45)),), priorities=priorities(earliest_start=in_days(12)))
    assert actions_of(application)["earlier_start"] == (
        "Propose an earlier start, on 2026-12-07: the candidate can start from 2026-12-02; our offer says 2027-01-04"
    )


def test_a_stated_start_already_past_gives_way_to_the_notice_counted_from_today():
    # Stated 2026-11-15, already past; a 30-day notice from today (2026-11-20) ends on Sunday 2026-12-20:
    # the start to propose is Monday 2026-12-21, never the past date.
    application = facts(offers=(offer(start_date=in_days(45)),),
                        priorities=priorities(earliest_start=in_days(-5), notice_days=30))
    assert actions_of(application)["earlier_start"] == (
        "Propose an earlier start, on 2026-12-21: a 30-day notice counted from today (2026-11-20) ends on "
        "2026-12-20; our offer says 2027-01-04"
    )


def test_move_a_start_that_comes_before_the_candidate_is_free():
    # Our start Monday 2026-11-30; the candidate is free from Monday 2026-12-14: 14 days too early.
    application = facts(offers=(offer(start_date=in_days(10)),), priorities=priorities(earliest_start=in_days(24)))
    actions = actions_of(application)
    assert actions["later_start"] == (
        "Move our offer's start to 2026-12-14: the candidate can start from 2026-12-14; our offer says "
        "2026-11-30, 14 days too early"
    )
    assert "earlier_start" not in actions


def test_learn_the_priorities_when_none_are_recorded():
    assert actions_of(facts(priorities=None))["learn_priorities"] == (
        "Ask what matters most — pay, remote days, start date — and record it"
    )


@pytest.mark.parametrize(("previous", "latest", "text"), [
    (4, 2, "Ask what changed: interest fell from 4 to 2 of 5"),
    (None, 3, "Ask what would make this job a yes: interest is 3 of 5"),
])
def test_ask_what_changed_when_interest_falls_or_is_low(previous, latest, text):
    application = facts(contacts=contacts(previous_interest=previous, latest_interest=latest))
    assert actions_of(application)["ask_what_changed"] == text


# --- The process and the start.

def test_push_for_a_decision_when_the_stage_stalls():
    application = facts(stage="final_interview", offers=(), stage_entered_at=days_ago(12))
    assert actions_of(application)["push_for_decision"] == (
        "Ask the hiring manager for a decision: 12 days at final interview, usually 7"
    )


def test_keep_the_accepted_candidate_warm_until_the_start():
    application = facts(stage="accepted", accepted_at=days_ago(3), stage_entered_at=days_ago(3),
                        offers=(offer(status="accepted", start_date=in_days(30)),))
    assert actions_of(application)["keep_warm_until_start"] == (
        "Confirm the start on 2026-12-20 and keep in touch every 4 days until then, and on 2026-12-19, "
        "the day before"
    )


def test_agree_on_a_start_date_when_the_accepted_offer_has_none():
    application = facts(stage="accepted", accepted_at=days_ago(3), stage_entered_at=days_ago(3),
                        offers=(offer(status="accepted", start_date=None),))
    assert "set_start_date" in actions_of(application)


def test_ask_why_the_start_moved():
    application = facts(stage="accepted", accepted_at=days_ago(3), stage_entered_at=days_ago(3),
                        offers=(offer(status="accepted", start_date=in_days(30)),),
                        start_date_at_acceptance=in_days(16))
    assert actions_of(application)["ask_start_change"].startswith(
        "Ask why the start moved from 2026-12-06 to 2026-12-20"
    )


# --- Ranking.

def test_actions_are_few_and_the_most_risk_lowering_first():
    application = facts(
        stage_entered_at=days_ago(12),
        offers=(offer(base=80000, start_date=in_days(60)),),
        competing=(competing("Acme", total=100000, deadline=in_days(1)),),
        contacts=contacts(last_contact_at=days_ago(3), last_competition_asked_at=days_ago(20), latest_interest=3,
                          previous_interest=5, last_status_update_at=days_ago(12)),
        priorities=priorities(remote_preference="remote", earliest_start=in_days(5)),
    )
    actions = assess(application, NOW).actions
    assert len(actions) == MAX_ACTIONS
    assert actions[0].code == "raise_base"  # the 25 % pay gap is the largest contribution


def test_next_best_actions_without_contributions_still_lists_what_applies():
    application = facts(contacts=contacts(last_contact_at=days_ago(6)))
    features = compute_features(application, NOW, DEFAULT_CADENCE)
    assert [action.code for action in next_best_actions(application, features, DEFAULT_CADENCE)] == ["call_today"]
