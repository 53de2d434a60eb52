"""The risk engine in a recruiter's week: scenarios, what is not scored, and the output's shape."""

from __future__ import annotations

import json
import math
import pickle
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from homestretch.cadence.rules import DEFAULT_CADENCE
from homestretch.risk.engine import Risk, assess, assess_many
from homestretch.risk.weights import (
    BAND_HIGH_FROM,
    BAND_MEDIUM_FROM,
    BANDS,
    EXPERT_WEIGHTS,
    FEATURE_NAMES,
    FEATURES,
    Weights,
    band_for,
)

from .builders import NOW, competing, contacts, days_ago, facts, in_days, offer, priorities


def codes(items):
    return [item.code for item in items]


# --- Scenarios.

def dana_on_monday():
    """Dana has our offer (80,000 EUR); Acme offers 89,600 EUR with an answer due in two days; our last
    call was four days ago, when she told us about Acme."""
    return facts(
        offers=(offer(base=80000),),
        competing=(competing("Acme", total=89600, deadline=in_days(2), learned_at=days_ago(4)),),
        contacts=contacts(last_contact_at=days_ago(4), last_competition_asked_at=days_ago(4),
                          last_inbound_at=days_ago(4), last_status_update_at=days_ago(4)),
    )


def test_a_better_competing_offer_with_a_close_deadline_and_a_late_call_is_high():
    risk = assess(dana_on_monday(), NOW)
    assert risk.band == "high"
    assert risk.score >= 50
    assert set(codes(risk.reasons)) == {"competing_stage", "competing_deadline", "competing_pay_gap", "overdue_days"}
    texts = [reason.text for reason in risk.reasons]
    # Totals (no bonus on either side): 89,600 - 80,000 = 9,600 more, 9,600 / 80,000 = 12 %.
    assert "A competing offer from Acme pays 9,600 EUR more in total than ours" in texts
    assert risk.features["competing_pay_gap"] == pytest.approx(0.12)
    assert "Acme wants an answer by 2026-11-22, in 2 days" in texts
    assert "Last contact 4 days ago, 2 days overdue (due every 2 days at the offer stage)" in texts
    assert sum(reason.share for reason in risk.reasons) == pytest.approx(1.0)
    actions = {action.code: action.text for action in risk.actions}
    # Acme's base of 89,600 x 1.03 = 92,288 -> 93,000.
    assert actions["raise_base"] == (
        "Ask the hiring manager for a base of at least 93,000 EUR: Acme's offer pays a base of 89,600 EUR "
        "(beaten by 3 %)"
    )
    assert actions["beat_deadline"] == (
        "Talk the candidate through our offer before 2026-11-22, when Acme's offer must be answered"
    )
    assert actions["call_today"].startswith("Call today — last contact 4 days ago")


def test_after_a_call_about_the_competition_and_a_better_offer_the_risk_drops():
    before = assess(dana_on_monday(), NOW)
    later = NOW + timedelta(hours=3)
    after_call = replace(
        dana_on_monday(),
        offers=(offer(base=80000, status="superseded"),
                offer(revision=2, base=92000, created_at=later - timedelta(hours=1), sent_at=later)),
        contacts=contacts(last_contact_at=later, last_competition_asked_at=later, last_inbound_at=days_ago(4),
                          last_status_update_at=later),
    )
    after = assess(after_call, later)
    assert (before.score, before.band) == (61, "high")
    assert (after.score, after.band) == (37, "medium")  # Acme's offer and deadline still stand
    assert "competing_pay_gap" not in codes(after.reasons)
    assert "overdue_days" not in codes(after.reasons)
    assert "raise_base" not in codes(after.actions)
    assert "call_today" not in codes(after.actions)


def test_a_quiet_candidate_with_no_competition_is_low():
    risk = assess(facts(), NOW)
    assert risk.band == "low"
    assert risk.score == 10
    assert risk.reasons == ()
    assert risk.missing == ()


def test_a_week_of_silence_at_the_offer_stage_raises_the_risk_to_medium_and_asks_for_a_call():
    silent = facts(contacts=contacts(last_contact_at=days_ago(9), last_competition_asked_at=days_ago(9),
                                     last_inbound_at=days_ago(9), last_status_update_at=days_ago(9)))
    risk = assess(silent, NOW)
    assert risk.band == "medium"
    assert codes(risk.reasons)[0] == "overdue_days"
    assert codes(risk.actions)[0] == "call_today"
    assert "give_status_update" in codes(risk.actions)


def test_a_counteroffer_after_acceptance_with_a_pushed_start():
    application = facts(
        stage="accepted", stage_entered_at=days_ago(12), accepted_at=days_ago(12),
        offers=(offer(status="accepted", start_date=in_days(50), sent_at=days_ago(14), responded_at=days_ago(12)),),
        start_date_at_acceptance=in_days(29),
        competing=(competing("Initech", kind="counteroffer", stage="offer", total=86000, learned_at=days_ago(2)),),
        priorities=priorities(notice_days=90),
    )
    risk = assess(application, NOW)
    assert risk.band == "high"
    assert {"counteroffer", "start_pushed_weeks", "notice_weeks", "competing_pay_gap"} <= set(codes(risk.reasons))
    texts = [reason.text for reason in risk.reasons]
    assert "The current employer, Initech, has made a counteroffer" in texts
    assert "The start date moved from 2026-12-19 to 2027-01-09" in texts
    assert {"counter_counteroffer", "ask_start_change"} <= set(codes(risk.actions))


# --- Not scored.

@pytest.mark.parametrize("stage", ["started", "declined", "reneged", "withdrawn", "rejected"])
def test_a_closed_application_is_not_scored(stage):
    risk = assess(facts(stage=stage), NOW)
    assert (risk.probability, risk.score, risk.band) == (None, None, None)
    assert risk.missing == (f"the application is closed ({stage})",)
    assert risk.reasons == risk.actions == ()


def test_a_sourced_candidate_is_not_on_the_home_stretch():
    risk = assess(facts(stage="sourced"), NOW)
    assert risk.probability is None
    assert risk.missing == ("the candidate is only sourced, not on the home stretch yet",)


def test_on_hold_from_a_closed_stage_is_not_scored_but_on_hold_from_the_offer_is():
    assert assess(facts(stage="on_hold", stage_before_hold="sourced"), NOW).probability is None
    assert assess(facts(stage="on_hold", stage_before_hold="offer"), NOW).probability is not None
    assert assess(facts(stage="on_hold"), NOW).probability is not None


def test_too_little_known_says_what_to_learn_instead_of_guessing():
    thin = facts(stage="screening", offers=(), competing=(), priorities=None,
                 contacts=contacts(touchpoints=0, last_contact_at=None, last_inbound_at=None,
                                   last_competition_asked_at=None, last_competition_answer="",
                                   latest_interest=None, previous_interest=None, last_status_update_at=None))
    risk = assess(thin, NOW)
    assert (risk.probability, risk.score, risk.band) == (None, None, None)
    assert risk.missing == (
        "no contact recorded yet — call to learn where the candidate stands",
        "competition never asked about — ask which other processes and offers the candidate has",
        "no priorities recorded — ask what matters most: pay, remote days, start date",
    )
    assert risk.reasons == ()
    assert codes(risk.actions) == ["call_today", "ask_competition", "learn_priorities"]
    assert risk.as_dict()["probability"] is None


def test_one_thing_known_is_enough_to_score():
    known_competitor = facts(stage="screening", offers=(), priorities=None,
                             contacts=contacts(touchpoints=0, last_contact_at=None),
                             competing=(competing(stage="interviewing"),))
    assert assess(known_competitor, NOW).probability is not None


# --- Output.

def test_as_dict_is_exactly_the_documented_json():
    data = assess(dana_on_monday(), NOW).as_dict()
    assert set(data) == {"probability", "score", "band", "reasons", "actions", "missing"}
    assert data["probability"] == round(data["probability"], 3)
    assert all(set(reason) == {"code", "text", "share"} for reason in data["reasons"])
    assert all(reason["share"] == round(reason["share"], 2) for reason in data["reasons"])
    assert all(set(action) == {"code", "text"} for action in data["actions"])
    json.dumps(data)


def test_reasons_are_ordered_by_their_share():
    risk = assess(dana_on_monday(), NOW)
    shares = [reason.share for reason in risk.reasons]
    assert shares == sorted(shares, reverse=True)
    assert all(0 < share <= 1 for share in shares)


def test_score_is_the_probability_in_percent_and_features_are_exposed():
    risk = assess(dana_on_monday(), NOW)
    assert risk.score == round(risk.probability * 100)
    assert tuple(risk.features) == FEATURE_NAMES
    assert risk.features["competing_stage"] == 3


def test_a_risk_survives_pickling_and_replace_as_a_plain_risk():
    risk = assess(dana_on_monday(), NOW)
    copied = pickle.loads(pickle.dumps(risk))  # noqa: S301 - our own bytes, never untrusted
    assert type(copied) is Risk
    assert copied == risk
    assert risk == copied
    assert repr(risk) == repr(copied)
    assert replace(risk, score=1).reasons == risk.reasons
    assert replace(risk, score=1) != risk


def test_assess_many_matches_assess_and_asks_each_team_cadence_once():
    asked = []

    def cadence_for_team(team_id):
        asked.append(team_id)
        return DEFAULT_CADENCE.with_overrides(offer=5) if team_id == 2 else DEFAULT_CADENCE

    many = [replace(dana_on_monday(), application_id=i, team_id=i % 3) for i in range(1, 10)]
    risks = assess_many(many, NOW, cadence_for_team)
    assert sorted(risks) == list(range(1, 10))
    assert sorted(asked) == [0, 1, 2]
    assert risks[1].as_dict() == assess(many[0], NOW).as_dict()
    assert risks[2].features["overdue_days"] == 0  # team 2 calls every 5 days at the offer stage
    assert risks[1].features["overdue_days"] == 2


# --- Weights and bands.

def test_weights_replace_the_expert_ones_without_touching_anything_else():
    fitted = Weights(base_log_odds=-1.0, weights={name: 0.0 for name in FEATURE_NAMES} | {"overdue_days": 0.5},
                     source="model-2027-01")
    risk = assess(dana_on_monday(), NOW, weights=fitted)
    assert risk.probability == pytest.approx(1 / (1 + math.exp(-(-1.0 + 0.5 * 2))))
    assert codes(risk.reasons) == ["overdue_days"]
    assert risk.reasons[0].share == 1.0


def test_a_negative_fitted_weight_lowers_the_risk_and_is_not_listed_as_a_reason():
    fitted = Weights(base_log_odds=0.0, weights={name: 0.0 for name in FEATURE_NAMES}
                     | {"overdue_days": 0.5, "competing_stage": -0.1}, source="model-x")
    risk = assess(dana_on_monday(), NOW, weights=fitted)
    assert risk.probability == pytest.approx(1 / (1 + math.exp(-(1.0 - 0.3))))
    assert codes(risk.reasons) == ["overdue_days"]


def test_weights_must_name_exactly_the_features():
    with pytest.raises(ValueError, match="missing"):
        Weights(base_log_odds=0.0, weights={"overdue_days": 1.0}, source="bad")
    with pytest.raises(ValueError, match="unknown"):
        Weights(base_log_odds=0.0, weights=dict(EXPERT_WEIGHTS.weights) | {"zodiac_sign": 1.0}, source="bad")
    with pytest.raises(ValueError, match="finite"):
        Weights(base_log_odds=float("nan"), weights=dict(EXPERT_WEIGHTS.weights), source="bad")


def test_expert_weights_are_written_down_with_reasons_and_never_lower_the_risk():
    assert EXPERT_WEIGHTS.source == "expert"
    assert set(EXPERT_WEIGHTS.weights) == set(FEATURE_NAMES)
    assert all(weight >= 0 for weight in EXPERT_WEIGHTS.weights.values())
    assert all(spec.reason_one_line and spec.citation for spec in FEATURES)
    # No untraceable counteroffer statistic is relied on.
    assert not any("80 % of those" in spec.citation for spec in FEATURES)


def test_no_signal_means_the_expert_base_rate_below_the_market_average():
    assert 1 / (1 + math.exp(-EXPERT_WEIGHTS.base_log_odds)) == pytest.approx(0.10, abs=0.005)


@pytest.mark.parametrize(("probability", "band"), [
    (0.0, "low"), (0.199, "low"), (BAND_MEDIUM_FROM, "medium"), (0.399, "medium"), (BAND_HIGH_FROM, "high"),
    (1.0, "high"),
])
def test_bands(probability, band):
    assert band_for(probability) == band
    assert [name for name, _ in BANDS] == ["low", "medium", "high"]


def test_money_in_sentences_is_formatted_with_its_currency():
    application = facts(offers=(offer(base=Decimal("76000"), total=Decimal("76000")),),
                        priorities=priorities(base_min=Decimal(80000)))
    risk = assess(application, NOW)
    # 80,000 - 76,000 = 4,000 short; 1 - 76,000 / 80,000 = 5 %.
    assert "Our offer's base of 76,000 EUR is 4,000 EUR (5%) below the candidate's minimum of 80,000 EUR" in [
        r.text for r in risk.reasons]


def test_a_base_told_alone_is_a_base_gap_that_says_what_is_not_known():
    # Ours 81,500 + 14,500 equity = 96,000; Acme's base 95,000, its bonus and equity not known. Bases are
    # compared, not their base with our total: 95,000 - 81,500 = 13,500 more, 95,000 / 81,500 - 1 = 16.6 %.
    application = facts(offers=(offer(base=81500, total=96000),),
                        competing=(competing("Acme", base=95000, total=None),))
    risk = assess(application, NOW)
    assert risk.features["competing_pay_gap"] == pytest.approx(95000 / 81500 - 1)
    assert ("A competing offer from Acme pays 13,500 EUR more base than ours (their bonus and equity are not "
            "known)") in [r.text for r in risk.reasons]
    # 95,000 x 1.03 = 97,850 -> 98,000.
    assert {a.code: a.text for a in risk.actions}["raise_base"] == (
        "Ask the hiring manager for a base of at least 98,000 EUR: Acme's offer pays a base of 95,000 EUR "
        "(beaten by 3 %)"
    )


def test_a_start_later_than_the_first_free_monday_says_both_dates():
    # Stated earliest start Wednesday 2026-12-02 -> first Monday 2026-12-07; ours 2027-01-04: 28 days later.
    application = facts(offers=(offer(start_date=in_days(45)),), priorities=priorities(earliest_start=in_days(12)))
    risk = assess(application, NOW)
    assert risk.features["start_later_than_available"] == pytest.approx(4.0)
    assert ("Our start date, 2027-01-04, is 28 days later than 2026-12-07, the first Monday the candidate is "
            "free (the candidate can start from 2026-12-02)") in [r.text for r in risk.reasons]
