"""Every feature of the risk model, computed as of a fixed moment from hand-built facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from homestretch.cadence.rules import DEFAULT_CADENCE
from homestretch.risk.features import compute_features
from homestretch.risk.weights import FEATURE_NAMES

from .builders import NOW, competing, contacts, days_ago, facts, in_days, job, offer, priorities


def features_of(application, cadence=DEFAULT_CADENCE):
    return compute_features(application, NOW, cadence)


def test_every_feature_is_computed_and_zero_when_nothing_is_wrong():
    values = features_of(facts()).values
    assert tuple(values) == FEATURE_NAMES
    assert all(value == 0 for value in values.values())


# --- Competing pay against ours.

def test_competing_pay_gap_is_the_best_offer_over_our_total():
    application = facts(
        offers=(offer(base=80000, total=85000),),
        competing=(competing("Acme", total=93500), competing("Initech", total=88000)),
    )
    features = features_of(application)
    # Totals, all known: Acme 93,500 / 85,000 - 1 = 10 %; Initech 88,000 / 85,000 - 1 = 3.5 %.
    assert features["competing_pay_gap"] == pytest.approx(0.10)
    best = features.situation.best
    assert best.label == "Acme"
    assert best.comparison.measure == "total"
    assert features.situation.ours.source == "offer"


def test_a_base_told_alone_is_compared_with_our_base_not_our_total():
    # Ours 81,500 + 14,500 equity = 96,000; Acme's base 95,000, bonus and equity not known. Comparing
    # their base with our total said Acme pays less; bases: 95,000 / 81,500 - 1 = 16.6 % more.
    application = facts(offers=(offer(base=81500, total=96000),),
                        competing=(competing("Acme", base=95000, total=None),))
    features = features_of(application)
    assert features["competing_pay_gap"] == pytest.approx(95000 / 81500 - 1)
    comparison = features.situation.best.comparison
    assert comparison.measure == "base"
    assert comparison.gap == Decimal(13500)
    assert comparison.unknown == ("bonus", "equity")


def test_a_bonus_of_zero_is_known_and_totals_compare():
    # Acme's base 90,000 with bonus and equity 0 (known) against ours 81,500 + 14,500 = 96,000: in total Acme
    # pays 6,000 less, so it is no pay gap although its base is higher.
    application = facts(offers=(offer(base=81500, total=96000),),
                        competing=(competing("Acme", base=90000, bonus=Decimal(0), equity=Decimal(0)),))
    features = features_of(application)
    assert features["competing_pay_gap"] == 0
    assert features.situation.best is None
    comparison = features.situation.competitors[0].comparison
    assert comparison.measure == "total"
    assert comparison.gap == Decimal(-6000)


def test_competing_pay_gap_compares_bases_with_the_band_midpoint_when_no_offer_yet():
    application = facts(
        stage="final_interview", offers=(), job=job(base_min=Decimal(70000), base_max=Decimal(90000)),
        competing=(competing("Acme", base=84000, total=99000),),
    )
    features = features_of(application)
    # Bases: 84,000 / 80,000 (the middle of 70,000-90,000) - 1 = 5 %; Acme's total is not used.
    assert features["competing_pay_gap"] == pytest.approx(0.05)
    assert features.situation.ours.source == "band"
    assert features.situation.best.comparison.measure == "base"


def test_competing_pay_gap_never_compares_other_currencies_or_periods_and_says_so():
    application = facts(competing=(
        competing("Acme", total=120000, currency="USD"),
        competing("Initech", total=9000, period="month"),
    ))
    features = features_of(application)
    assert features["competing_pay_gap"] == 0
    assert any("Acme" in line and "USD" in line for line in features.missing)
    assert any("Initech" in line and "month" in line for line in features.missing)


def test_competing_pay_gap_is_capped_and_zero_when_we_pay_more():
    assert features_of(facts(competing=(competing(total=200000),)))["competing_pay_gap"] == 0.30
    assert features_of(facts(competing=(competing(total=70000),)))["competing_pay_gap"] == 0


def test_processes_still_interviewing_are_not_offers_to_compare_pay_with():
    application = facts(competing=(competing(stage="final", total=120000),))
    assert features_of(application)["competing_pay_gap"] == 0


def test_an_offer_whose_pay_is_unknown_is_reported_missing():
    features = features_of(facts(competing=(competing(base=None, total=None),)))
    assert features["competing_pay_gap"] == 0
    assert any("what Acme's offer pays is not known" in line for line in features.missing)


def test_competing_learned_after_the_moment_is_ignored():
    application = facts(competing=(competing(learned_at=NOW + timedelta(hours=1), total=120000),))
    features = features_of(application)
    assert features["competing_pay_gap"] == 0
    assert features["competing_stage"] == 0


# --- How far the competition has gone; counteroffers.

@pytest.mark.parametrize(("stage", "level"), [
    ("applied", 0.5), ("interviewing", 1), ("final", 2), ("offer", 3), ("accepted", 4), ("closed", 0),
])
def test_competing_stage_is_the_furthest_open_process(stage, level):
    application = facts(competing=(competing("Acme", stage=stage), competing("Initech", stage="applied")))
    assert features_of(application)["competing_stage"] == max(level, 0.5)


def test_counteroffers_do_not_count_as_competing_processes():
    application = facts(competing=(competing("Initech", kind="counteroffer", stage="offer"),))
    features = features_of(application)
    assert features["competing_stage"] == 0
    assert features["counteroffer"] == 1
    assert features.situation.counteroffer.label == "Initech"
    assert features.situation.furthest is None


@pytest.mark.parametrize(("stage", "level"), [
    ("interviewing", 0.5), ("offer", 1), ("accepted", 1.5), ("closed", 0),
])
def test_counteroffer_levels(stage, level):
    application = facts(competing=(competing("Initech", kind="counteroffer", stage=stage),))
    assert features_of(application)["counteroffer"] == level


def test_a_better_paid_counteroffer_counts_in_the_pay_gap():
    application = facts(competing=(competing("Initech", kind="counteroffer", total=88000),))
    assert features_of(application)["competing_pay_gap"] == pytest.approx(0.10)


# --- Competing deadlines.

@pytest.mark.parametrize(("days_left", "pressure"), [
    (0, 2.0), (1, 13 / 7), (2, 12 / 7), (7, 1.0), (13, 1 / 7), (14, 0.0), (30, 0.0),
])
def test_deadline_pressure_grows_as_the_earliest_deadline_nears(days_left, pressure):
    application = facts(competing=(competing("Acme", deadline=in_days(days_left)),
                                   competing("Initech", deadline=in_days(days_left + 5))))
    features = features_of(application)
    assert features["competing_deadline"] == pytest.approx(pressure)
    deadline = features.situation.deadline
    assert deadline.competitor.label == "Acme"
    assert deadline.on == in_days(days_left)
    assert deadline.days_left == days_left
    assert not deadline.accepted_elsewhere


def test_a_passed_deadline_is_no_pressure_but_a_question_to_ask():
    features = features_of(facts(competing=(competing("Acme", deadline=in_days(-2)),)))
    assert features["competing_deadline"] == 0
    assert any("Acme's deadline passed on 2026-11-18" in line for line in features.missing)


def test_deadlines_of_closed_processes_do_not_count():
    application = facts(competing=(competing("Acme", stage="closed", deadline=in_days(1)),))
    assert features_of(application)["competing_deadline"] == 0


def test_an_accepted_competing_offer_is_the_highest_pressure_whatever_its_deadline():
    application = facts(competing=(competing("Acme", deadline=in_days(3)),
                                   competing("Initech", stage="accepted", deadline=in_days(-5))))
    features = features_of(application)
    assert features["competing_deadline"] == 2.0
    deadline = features.situation.deadline
    assert deadline.competitor.label == "Initech"
    assert deadline.days_left == 0
    assert deadline.accepted_elsewhere


# --- Contact against the cadence.

@pytest.mark.parametrize(("stage", "last_contact_days", "overdue"), [
    ("offer", 1, 0), ("offer", 2, 0), ("offer", 4, 2), ("interviewing", 4, 1), ("screening", 5, 0),
    ("accepted", 10, 6), ("offer", 40, 14),
])
def test_overdue_days_against_the_cadence_of_the_stage(stage, last_contact_days, overdue):
    application = facts(stage=stage, contacts=contacts(last_contact_at=days_ago(last_contact_days)),
                        offers=(offer(status="accepted" if stage == "accepted" else "extended",
                                      start_date=in_days(60)),),
                        accepted_at=days_ago(20) if stage == "accepted" else None)
    features = features_of(application)
    assert features["overdue_days"] == overdue
    assert features.last_contact_days == last_contact_days


def test_overdue_counts_from_entering_the_stage_when_nobody_called():
    application = facts(stage_entered_at=days_ago(5), contacts=contacts(touchpoints=0, last_contact_at=None))
    features = features_of(application)
    assert features["overdue_days"] == 3
    assert "no contact recorded yet — call to learn where the candidate stands" in features.missing


def test_overdue_follows_a_team_cadence():
    relaxed = DEFAULT_CADENCE.with_overrides(offer=5)
    application = facts(contacts=contacts(last_contact_at=days_ago(4)))
    assert features_of(application, relaxed)["overdue_days"] == 0


def test_the_day_before_the_start_is_a_check_in_after_acceptance():
    application = facts(stage="accepted", accepted_at=days_ago(20), contacts=contacts(last_contact_at=days_ago(3)),
                        offers=(offer(status="accepted", start_date=in_days(-1) + timedelta(days=1)),))
    # Start today, last contact three days ago: the day before (yesterday) was due and missed.
    assert features_of(application)["overdue_days"] == 1


# --- Asking about the competition.

def test_competition_unasked_counts_days_beyond_the_ask_interval():
    assert features_of(facts(contacts=contacts(last_competition_asked_at=days_ago(7))))[
        "competition_unasked_days"] == 0
    features = features_of(facts(contacts=contacts(last_competition_asked_at=days_ago(12))))
    assert features["competition_unasked_days"] == 5
    assert features.competition_asked_days == 12
    assert features_of(facts(contacts=contacts(last_competition_asked_at=days_ago(90))))[
        "competition_unasked_days"] == 21


def test_never_asked_counts_from_the_start_of_the_application():
    application = facts(created_at=days_ago(20), contacts=contacts(last_competition_asked_at=None,
                                                                   last_competition_answer=""))
    features = features_of(application)
    assert features["competition_unasked_days"] == 13
    assert features.competition_asked_days is None
    assert any(line.startswith("competition never asked about") for line in features.missing)


def test_declined_to_say_is_a_trust_signal():
    declined = facts(contacts=contacts(last_competition_answer="declined_to_say"))
    assert features_of(declined)["declined_to_say"] == 1
    assert features_of(facts(contacts=contacts(last_competition_answer="none")))["declined_to_say"] == 0


# --- Priorities our offer misses.

def test_pay_below_minimum_is_the_fraction_short():
    application = facts(offers=(offer(base=76000, total=90000),),
                        priorities=priorities(base_min=Decimal(80000)))
    assert features_of(application)["pay_below_minimum"] == pytest.approx(0.05)


def test_pay_below_minimum_uses_the_band_midpoint_without_an_offer_and_ignores_other_currencies():
    without_offer = facts(stage="interviewing", offers=(), priorities=priorities(base_min=Decimal(88000)))
    assert features_of(without_offer)["pay_below_minimum"] == pytest.approx(1 - 80000 / 88000)
    other_currency = facts(priorities=priorities(base_min=Decimal(95000), currency="CHF"))
    features = features_of(other_currency)
    assert features["pay_below_minimum"] == 0
    assert any("CHF" in line for line in features.missing)


@pytest.mark.parametrize(("preference", "wanted_days", "policy", "offered_days", "importance", "mismatch"), [
    ("remote", None, "onsite", None, 3, 1.0),
    ("remote", None, "hybrid", 2, 3, 0.6),
    ("remote", None, "hybrid", 2, 5, 1.0),
    ("hybrid", 3, "hybrid", 2, 3, 0.2),
    ("hybrid", 3, "onsite", None, 3, 0.6),
    ("hybrid", 2, "remote", None, 3, 0.0),
    ("onsite", None, "remote", None, 3, 0.0),
    ("any", None, "onsite", None, 5, 0.0),
])
def test_remote_mismatch(preference, wanted_days, policy, offered_days, importance, mismatch):
    application = facts(
        offers=(offer(remote_policy=policy, remote_days=offered_days),),
        priorities=priorities(remote_preference=preference, remote_days=wanted_days,
                              importance={"remote": importance}),
    )
    assert features_of(application)["remote_mismatch"] == pytest.approx(mismatch)


def test_remote_mismatch_uses_the_job_policy_without_an_offer():
    application = facts(stage="interviewing", offers=(), job=job(remote_policy="onsite", remote_days=None),
                        priorities=priorities(remote_preference="remote"))
    assert features_of(application)["remote_mismatch"] == pytest.approx(1.0)


def test_start_later_than_the_candidate_can_start_in_weeks():
    # Free from Monday 2026-12-14 (stated, ahead), the start to propose; ours 2027-01-04: 21 days, 3 weeks.
    application = facts(offers=(offer(start_date=in_days(45)),),
                        priorities=priorities(earliest_start=in_days(24)))
    features = features_of(application)
    assert features["start_later_than_available"] == pytest.approx(3.0)
    assert features.situation.proposed_start == in_days(24)
    assert features.situation.start_fit.days == 21
    earlier = facts(offers=(offer(start_date=in_days(10)),), priorities=priorities(earliest_start=in_days(24)))
    assert features_of(earlier)["start_later_than_available"] == 0


def test_start_late_is_measured_against_the_first_monday_the_candidate_is_free():
    # Free from Wednesday 2026-12-02 -> proposed Monday 2026-12-07; ours 2027-01-04: 28 days, 4 weeks
    # (not 33 days from the Wednesday).
    application = facts(offers=(offer(start_date=in_days(45)),), priorities=priorities(earliest_start=in_days(12)))
    features = features_of(application)
    assert features.situation.proposed_start == in_days(17)
    assert features["start_later_than_available"] == pytest.approx(4.0)
    # Our start on the Friday before that Monday is not late (it comes after the candidate is free).
    friday = facts(offers=(offer(start_date=in_days(14)),), priorities=priorities(earliest_start=in_days(12)))
    assert features_of(friday)["start_later_than_available"] == 0


# --- Interest and the candidate's own messages.

@pytest.mark.parametrize(("previous", "latest", "low", "drop"), [
    (None, 5, 0, 0), (None, 4, 0, 0), (None, 3, 1, 0), (None, 1, 3, 0), (4, 2, 2, 2), (2, 4, 0, 0), (5, 5, 0, 0),
])
def test_interest_level_and_trend(previous, latest, low, drop):
    values = features_of(facts(contacts=contacts(latest_interest=latest, previous_interest=previous))).values
    assert values["interest_low"] == low
    assert values["interest_drop"] == drop


def test_inbound_silence_counts_beyond_a_week():
    assert features_of(facts(contacts=contacts(last_inbound_at=days_ago(7))))["inbound_silence_days"] == 0
    assert features_of(facts(contacts=contacts(last_inbound_at=days_ago(12))))["inbound_silence_days"] == 5
    assert features_of(facts(contacts=contacts(last_inbound_at=days_ago(60))))["inbound_silence_days"] == 21
    never = facts(created_at=days_ago(10), contacts=contacts(last_inbound_at=None))
    assert features_of(never)["inbound_silence_days"] == 3


# --- A stalling process.

@pytest.mark.parametrize(("stage", "days", "stall"), [
    ("screening", 9, 2), ("interviewing", 14, 0), ("interviewing", 20, 6), ("final_interview", 12, 5),
    ("offer", 5, 0), ("offer", 8, 3), ("offer", 90, 28), ("accepted", 40, 0),
])
def test_stage_stall_beyond_the_usual_time_at_the_stage(stage, days, stall):
    application = facts(stage=stage, stage_entered_at=days_ago(days), created_at=days_ago(days + 10),
                        accepted_at=days_ago(days) if stage == "accepted" else None,
                        contacts=contacts(last_contact_at=days_ago(0)))
    assert features_of(application)["stage_stall_days"] == stall


def test_on_hold_is_scored_as_the_stage_before_the_hold():
    application = facts(stage="on_hold", stage_before_hold="offer", stage_entered_at=days_ago(9))
    features = features_of(application)
    assert features.stage == "offer"
    assert features.on_hold
    assert features["stage_stall_days"] == 4
    # Contact follows the hold's own cadence (7 days), as the agenda does.
    assert features["overdue_days"] == 0


def test_on_hold_without_the_stage_before_has_no_stall_norm():
    application = facts(stage="on_hold", stage_entered_at=days_ago(30))
    assert features_of(application)["stage_stall_days"] == 0


# --- After acceptance.

def accepted(**changes):
    base = dict(
        stage="accepted", stage_entered_at=days_ago(10), accepted_at=days_ago(10),
        offers=(offer(status="accepted", start_date=in_days(40), sent_at=days_ago(12),
                      responded_at=days_ago(10)),),
    )
    base.update(changes)
    return facts(**base)


def test_a_stated_start_already_past_counts_the_notice_from_acceptance_never_a_past_date():
    # Stated 2026-11-15, already past; accepted 2026-11-10 with a 30-day notice: free from 2026-12-10
    # (Thursday) -> proposed Monday 2026-12-14; ours 2027-01-04: 21 days, 3 weeks (not 50 days from the
    # past date).
    application = accepted(offers=(offer(status="accepted", start_date=in_days(45)),),
                           priorities=priorities(earliest_start=in_days(-5), notice_days=30))
    features = features_of(application)
    assert features.situation.earliest_start.on == in_days(20)
    assert features.situation.proposed_start == in_days(24)
    assert features["start_later_than_available"] == pytest.approx(3.0)
    # Without a notice period a passed date means free now: the start to propose is next Monday, 2026-11-23.
    free_now = facts(offers=(offer(start_date=in_days(45)),), priorities=priorities(earliest_start=in_days(-5)))
    features = features_of(free_now)
    assert features.situation.earliest_start.on == in_days(0)
    assert features.situation.proposed_start == in_days(3)
    # 2027-01-04 - 2026-11-23 = 42 days, 6 weeks.
    assert features["start_later_than_available"] == pytest.approx(6.0)


def test_after_acceptance_features_are_zero_before_acceptance():
    before = facts(priorities=priorities(notice_days=90))
    values = features_of(before).values
    assert values["notice_weeks"] == values["start_pushed_weeks"] == values["acceptance_delay_days"] == 0


def test_notice_weeks_beyond_four():
    assert features_of(accepted(priorities=priorities(notice_days=28)))["notice_weeks"] == 0
    assert features_of(accepted(priorities=priorities(notice_days=90)))["notice_weeks"] == pytest.approx(62 / 7)
    assert features_of(accepted(priorities=priorities(notice_days=180)))["notice_weeks"] == 12


def test_notice_falls_back_to_the_wait_from_acceptance_to_the_start():
    features = features_of(accepted(priorities=None))
    assert features.notice_days == 50
    assert features["notice_weeks"] == pytest.approx(22 / 7)


def test_start_pushed_back_against_the_start_agreed_at_acceptance():
    features = features_of(accepted(start_date_at_acceptance=in_days(26)))
    assert features["start_pushed_weeks"] == pytest.approx(2.0)
    assert features.start_pushed_from == in_days(26)


def test_start_pushed_back_against_earlier_revisions():
    application = accepted(offers=(
        offer(status="superseded", start_date=in_days(33)),
        offer(revision=2, status="accepted", start_date=in_days(40), sent_at=days_ago(12),
              responded_at=days_ago(10)),
    ))
    assert features_of(application)["start_pushed_weeks"] == pytest.approx(1.0)
    assert features_of(accepted())["start_pushed_weeks"] == 0


def test_acceptance_delay_beyond_three_days():
    assert features_of(accepted())["acceptance_delay_days"] == 0
    slow = accepted(offers=(offer(status="accepted", start_date=in_days(40), sent_at=days_ago(19),
                                  responded_at=days_ago(10)),))
    features = features_of(slow)
    assert features.acceptance_days == 9
    assert features["acceptance_delay_days"] == 6


def test_offer_revisions_created_after_the_moment_are_ignored():
    later = offer(revision=2, base=99000, created_at=NOW + timedelta(minutes=5))
    application = facts(offers=(offer(), later), competing=(competing(total=88000),))
    assert features_of(application)["competing_pay_gap"] == pytest.approx(0.10)


def test_features_do_not_depend_on_the_facts_being_built_twice():
    application = facts(competing=(competing(deadline=in_days(3)),))
    assert features_of(application).values == features_of(replace(application)).values
