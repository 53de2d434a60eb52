"""Training the live model: planted structure found, thresholds, shrinkage, as-of guarantee, query bound."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homestretch.learning import train as training
from homestretch.learning.train import (
    MIN_OUTCOMES,
    MIN_PER_CLASS,
    decision_moment,
    features_of_past,
    shrinkage,
    training_set,
)
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Priorities
from homestretch.pipeline import services
from homestretch.pipeline.models import Candidate, Touchpoint
from homestretch.risk.models import TrainedModel
from homestretch.risk.weights import ALL_FEATURE_NAMES, EXPERT_WEIGHTS, FEATURE_NAMES

from .planted_history import FIRST_CLOSE, plant_history

NOISE = ("interest_low", "declined_to_say")
SIGNAL = ("competing_pay_gap", "overdue_days")


@pytest.fixture
def planted(job, alice):
    return plant_history(job, alice, n=300, days=30)


def test_planted_losses_are_found_and_noise_is_not(job, alice, now):
    # 800 outcomes, not the 300 of the other tests: at 300 a pure-noise feature's fitted effect swings
    # by ±0.4 with the cross-validation folds, as much as a third of the planted signal's.
    # Closing from 08:00, a minute apart, so that none closes on the stroke of midnight (its own moment).
    planted = plant_history(job, alice, n=800, days=40, first_close=FIRST_CLOSE.replace(hour=8))
    model = training.train(now=now, seed=1)
    typical = model.evaluation["typical_values"]
    effect = {name: model.fitted_weights[name] * typical[name] for name in (*SIGNAL, *NOISE)}
    for name in SIGNAL:
        assert model.fitted_weights[name] > 0, name
        assert effect[name] > 1.0, (name, effect)  # planted: +2.2 log-odds
        assert effect[name] > 3 * max(abs(effect[noise]) for noise in NOISE), effect
    assert model.n_applications == 800
    assert model.n_lost == planted.lost


def test_the_backtest_holds_out_the_newest_and_compares_with_the_experts(planted, now):
    model = training.train(now=now, seed=1)
    backtest = model.evaluation["backtest"]
    assert backtest["possible"]
    assert (backtest["n_train"], backtest["n_test"]) == (240, 60)
    # The held-out outcomes are the newest by decision moment.
    assert backtest["test_from"] >= decision_moment(datetime(2026, 6, 24).date()).isoformat()
    assert backtest["model"]["auc"] > 0.75
    assert backtest["model"]["brier"] < backtest["brier_base_rate"]
    assert backtest["expert"]["auc"] is not None and backtest["expert"]["brier"] > 0
    assert sum(row["n"] for row in backtest["model"]["calibration"]) == 60
    assert sum(row["n"] for row in backtest["expert"]["calibration"]) == 60


def test_enough_history_makes_the_model_live_with_shrunk_weights(planted, now):
    model = training.train(now=now, seed=1)
    assert model.live and model.not_live_because == ""
    lam = 300 / (300 + training.SHRINKAGE_N0)
    assert model.shrinkage == pytest.approx(lam)
    for name in FEATURE_NAMES:
        expected = lam * model.fitted_weights[name] + (1 - lam) * EXPERT_WEIGHTS.weights[name]
        assert model.weights[name] == pytest.approx(expected)
    assert model.base_log_odds == pytest.approx(
        lam * model.fitted_base_log_odds + (1 - lam) * EXPERT_WEIGHTS.base_log_odds)


def test_same_seed_same_model(planted, now):
    first = training.train(now=now, seed=3)
    second = training.train(now=now, seed=3)
    assert second.version == first.version + 1
    assert first.weights == second.weights and first.fitted_weights == second.fitted_weights
    # The same but for the weights each was compared with (go-live rule): the experts, then model v1.
    assert {k: v for k, v in first.evaluation.items() if k not in ("go_live", "backtest")} == \
        {k: v for k, v in second.evaluation.items() if k not in ("go_live", "backtest")}
    assert {k: v for k, v in first.evaluation["backtest"].items() if k != "current"} == \
        {k: v for k, v in second.evaluation["backtest"].items() if k != "current"}
    assert first.live and second.evaluation["go_live"]["current"] == "model v1"
    # v1 was fitted on the held-out outcomes too: the same recipe does not beat it, and v1 stays live.
    assert not second.live and "model v1 stays live" in second.not_live_because
    assert list(TrainedModel.objects.filter(live=True).values_list("version", flat=True)) == [first.version]


def test_too_little_history_keeps_the_expert_weights_and_says_why(job, alice, now):
    plant_history(job, alice, n=60, days=10)
    model = training.train(now=now, seed=1)
    assert not model.live
    assert f"60 outcomes, fewer than the {MIN_OUTCOMES} needed" in model.not_live_because
    assert "the expert weights stay live" in model.not_live_because
    assert model.fitted_weights is not None  # fitted and reported all the same
    assert not TrainedModel.objects.filter(live=True).exists()


def test_a_thin_model_does_not_replace_a_live_one(planted, job, alice, now):
    live = training.train(now=now, seed=1)
    thin = training.train(now=datetime(2026, 6, 5, tzinfo=UTC), seed=1)  # only the first days' outcomes
    assert not thin.live and thin.n_applications < MIN_OUTCOMES
    live.refresh_from_db()
    assert live.live


def test_no_history_at_all_saves_a_report_and_fits_nothing(db, now):
    model = training.train(now=now)
    assert not model.live and model.fitted_weights is None
    assert model.weights == dict(EXPERT_WEIGHTS.weights)
    assert not model.evaluation["backtest"]["possible"]


def test_thresholds_need_both_classes():
    assert training.not_live_because(MIN_OUTCOMES, MIN_PER_CLASS) == ""
    assert "39 lost" in training.not_live_because(1000, MIN_PER_CLASS - 1)
    assert "kept" in training.not_live_because(1000, 1000 - MIN_PER_CLASS + 1)


def test_shrinkage_grows_with_the_history():
    values = [shrinkage(n) for n in (0, 50, 200, 400, 2000, 20000)]
    assert values[0] == 0.0
    assert values == sorted(values) and len(set(values)) == len(values)
    assert values[3] == pytest.approx(0.5)
    assert values[-1] > 0.97


def test_rejected_and_unfinished_applications_are_left_out(job, alice, candidate, now):
    day = now - timedelta(days=10)
    rejected = services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=day,
                                         stage="offer")
    Touchpoint.objects.create(candidate=candidate, application=rejected, recruiter=alice, at=day + timedelta(hours=1),
                              channel="call", direction="outbound")
    services.move_stage(rejected.id, services.StageMove("rejected", reason="Client chose another"), by=alice,
                        at=day + timedelta(days=3))
    other = Candidate.objects.create(name="Same Day")
    same_day = services.open_application(candidate=other, job=job, recruiter=alice, by=alice, at=day, stage="offer")
    services.move_stage(same_day.id, services.StageMove("declined", reason="Took another offer",
                                                        loss_reason="competing_offer"), by=alice,
                        at=day + timedelta(hours=2))
    data = training_set(now)
    assert data.examples == []
    assert data.skipped == {
        "rejected by the client: not a candidate's decision, not what the risk predicts": 1,
        "opened and closed on the same day: no moment before the decision": 1,
    }


# --- The as-of guarantee. -----------------------------------------------------------------------------

def _closed_application(job, alice, name: str, closes: datetime, *, events_after: bool):
    """An accepted application that reneges at `closes`; the telling events are planted after the decision
    moment (the start of that day) or, as a control, the day before it."""
    candidate = Candidate.objects.create(name=name)
    opened = closes - timedelta(days=30)
    application = services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=opened,
                                            stage="offer")
    services.move_stage(application.id, services.StageMove("accepted"), by=alice, at=opened + timedelta(days=5))
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=closes - timedelta(days=3),
                                       channel="call", direction="inbound", interest=5))
    offer_services.set_priorities(Priorities(candidate=candidate, base_min=Decimal("80000"), currency="EUR",
                                             period="year"), by=alice, at=opened)
    rival = CompetingOffer(candidate=candidate, company="Rival GmbH", stage="interviewing",
                           learned_at=closes - timedelta(days=6))
    offer_services.record_competing_offer(rival, by=alice)
    CompetingOffer.objects.filter(pk=rival.pk).update(created_at=rival.learned_at, updated_at=rival.learned_at)

    planted_at = closes.replace(hour=9) if events_after else closes - timedelta(days=1)
    # The candidate says on the phone they are out (interest 1), the rival turns out accepted, and new
    # priorities ask for far more than the band.
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=planted_at, channel="call",
                                       direction="inbound", interest=1))
    rival.refresh_from_db()
    rival.stage, rival.base, rival.currency = "accepted", Decimal("120000"), "EUR"
    offer_services.record_competing_offer(rival, by=alice, at=planted_at)
    offer_services.set_priorities(Priorities(candidate=candidate, base_min=Decimal("110000"), currency="EUR",
                                             period="year"), by=alice, at=planted_at)
    services.move_stage(application.id, services.StageMove("reneged", reason="Accepted the rival",
                                                           loss_reason="competing_offer"), by=alice, at=closes)
    return application


def test_features_of_a_closed_application_never_use_events_after_its_decision(job, alice, now):
    closes = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    after = _closed_application(job, alice, "Events After", closes, events_after=True)
    before = _closed_application(job, alice, "Events Before", closes, events_after=False)
    examples = {example.key: dict(zip(ALL_FEATURE_NAMES, example.values, strict=True))
                for example in training_set(now).examples}
    leaked = examples[f"application:{after.id}"]
    control = examples[f"application:{before.id}"]

    # Planted the day before, the same events are seen: the test can tell.
    assert control["interest_low"] == 3.0 and control["interest_drop"] == 4.0
    assert control["competing_stage"] == 4.0 and control["competing_deadline"] > 0
    assert control["pay_below_minimum"] > 0

    # Planted after the decision moment: none of them counts. The rival is seen as it was known then, at the
    # interviews with its pay not told, not as accepted at 120,000.
    assert leaked["interest_low"] == 0.0 and leaked["interest_drop"] == 0.0
    assert leaked["competing_stage"] == 1.0 and leaked["competing_deadline"] == 0.0
    assert leaked["competing_pay_gap"] == 0.0
    assert leaked["pay_below_minimum"] == 0.0  # 80,000 minimum against an 87,500 midpoint
    assert leaked["inbound_silence_days"] == 0.0  # last word 3 days before the decision, not on the day


def test_an_unchanged_competing_offer_known_before_the_decision_counts(job, alice, now):
    closes = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    candidate = Candidate.objects.create(name="Known Rival")
    application = services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice,
                                            at=closes - timedelta(days=20), stage="offer")
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=closes - timedelta(days=2),
                                       channel="call", direction="outbound"))
    rival = offer_services.record_competing_offer(CompetingOffer(
        candidate=candidate, company="Rival GmbH", stage="offer", base=Decimal("100000"), currency="EUR",
        learned_at=closes - timedelta(days=4)), by=alice)
    CompetingOffer.objects.filter(pk=rival.pk).update(created_at=rival.learned_at, updated_at=rival.learned_at)
    services.move_stage(application.id, services.StageMove("declined", reason="Took the rival",
                                                           loss_reason="competing_offer"), by=alice, at=closes)
    (example,) = training_set(now).examples
    values = dict(zip(ALL_FEATURE_NAMES, example.values, strict=True))
    assert example.lost and example.decided_at == decision_moment(closes.date())
    assert values["competing_stage"] == 3.0
    assert values["competing_pay_gap"] == pytest.approx(100000 / 87500 - 1)


def test_a_competing_offer_changed_after_the_decision_is_seen_as_it_was_then(job, alice, now):
    closes = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    candidate = Candidate.objects.create(name="Rival Improved")
    application = services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice,
                                            at=closes - timedelta(days=20), stage="offer")
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=closes - timedelta(days=2),
                                       channel="call", direction="outbound"))
    rival = offer_services.record_competing_offer(CompetingOffer(
        candidate=candidate, company="Rival GmbH", stage="offer", base=Decimal("100000"), currency="EUR",
        learned_at=closes - timedelta(days=4)), by=alice)
    CompetingOffer.objects.filter(pk=rival.pk).update(created_at=rival.learned_at)
    rival.refresh_from_db()
    # The evening after the decision, the recruiter hears the rival's final terms: more, and accepted.
    rival.stage, rival.base = "accepted", Decimal("130000")
    offer_services.record_competing_offer(rival, by=alice, at=closes.replace(hour=20))
    services.move_stage(application.id, services.StageMove("declined", reason="Took the rival",
                                                           loss_reason="competing_offer"), by=alice, at=closes)
    (example,) = training_set(now).examples
    values = dict(zip(ALL_FEATURE_NAMES, example.values, strict=True))
    assert values["competing_stage"] == 3.0  # an offer then, not yet accepted
    assert values["competing_pay_gap"] == pytest.approx(100000 / 87500 - 1)


def test_a_competing_offer_recorded_after_the_decision_is_left_out(job, alice, now):
    """Learned (so it says) before the decision but told after it: it may be the outcome itself."""
    closes = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    candidate = Candidate.objects.create(name="Told Afterwards")
    application = services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice,
                                            at=closes - timedelta(days=20), stage="offer")
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=closes - timedelta(days=2),
                                       channel="call", direction="outbound"))
    services.move_stage(application.id, services.StageMove("declined", reason="Took the rival",
                                                           loss_reason="competing_offer"), by=alice, at=closes)
    rival = offer_services.record_competing_offer(CompetingOffer(
        candidate=candidate, company="Rival GmbH", stage="accepted", base=Decimal("100000"), currency="EUR",
        learned_at=closes - timedelta(days=4)), by=alice)
    CompetingOffer.objects.filter(pk=rival.pk).update(created_at=closes + timedelta(hours=2))
    (example,) = training_set(now).examples
    values = dict(zip(ALL_FEATURE_NAMES, example.values, strict=True))
    assert values["competing_stage"] == 0.0 and values["competing_pay_gap"] == 0.0


# --- Queries. -----------------------------------------------------------------------------------------

def _queries_of_training_set(now) -> int:
    with CaptureQueriesContext(connection) as captured:
        training_set(now)
    return len(captured)


def test_loading_the_training_set_costs_queries_by_distinct_day_not_by_application(job, alice, now):
    plant_history(job, alice, n=40, days=4, seed=1)
    few = _queries_of_training_set(now)
    plant_history(job, alice, n=160, days=4, seed=2)  # four times as many, closing on the same four days
    many = _queries_of_training_set(now)
    assert many == few
    assert many <= 4 * 15 + 6  # a fixed number per day (the loader's) and a few for the whole set


# --- Imported history. --------------------------------------------------------------------------------

def _past(**fields):
    row = dict(outcome="lost", decided_on=datetime(2026, 3, 1).date(), expected_pay=None, offered_pay=None,
               currency="EUR", expected_raise_percent=None, offered_raise_percent=None, notice_days=None,
               start_date_extended=None, days_to_accept=None)
    row.update(fields)
    return SimpleNamespace(**row)


def test_an_imported_row_maps_onto_the_features_it_can_inform_with_the_engines_caps():
    values = features_of_past(_past(expected_pay=Decimal("100000"), offered_pay=Decimal("90000"), notice_days=56,
                                    start_date_extended=True, days_to_accept=10))
    assert values["pay_below_minimum"] == pytest.approx(0.10)
    assert values["notice_weeks"] == pytest.approx(4.0)  # 8 weeks, 4 beyond the norm
    assert values["start_pushed_weeks"] == training.ASSUMED_START_PUSH_WEEKS
    assert values["acceptance_delay_days"] == 7.0
    assert {name for name, value in values.items() if value} == {
        "pay_below_minimum", "notice_weeks", "start_pushed_weeks", "acceptance_delay_days"}

    capped = features_of_past(_past(expected_pay=100000, offered_pay=50000, notice_days=365, days_to_accept=60))
    assert capped["pay_below_minimum"] == 0.30 and capped["notice_weeks"] == 12.0
    assert capped["acceptance_delay_days"] == 14.0

    by_raise = features_of_past(_past(expected_raise_percent=20, offered_raise_percent=8))
    assert by_raise["pay_below_minimum"] == pytest.approx(1 - 1.08 / 1.20)
    assert features_of_past(_past(expected_pay=90000, offered_pay=100000, start_date_extended=False)) == dict.fromkeys(
        ALL_FEATURE_NAMES, 0.0)


def test_imported_outcomes_join_the_training_set_undated_ones_oldest(db, now):
    from homestretch.history.models import ImportBatch, PastOutcome

    batch = ImportBatch.objects.create(file_name="past.csv", file_sha256="0" * 64, imported_at=now)
    common = dict(batch=batch, expected_pay=Decimal("100000"), offered_pay=Decimal("90000"), currency="EUR",
                  notice_days=56, days_to_accept=10)
    PastOutcome.objects.create(row_key="a", outcome="lost", decided_on=datetime(2026, 3, 1).date(), **common)
    PastOutcome.objects.create(row_key="b", outcome="hired", decided_on=datetime(2026, 2, 1).date(), **common)
    PastOutcome.objects.create(row_key="c", outcome="hired", decided_on=None, **common)
    PastOutcome.objects.create(row_key="d", outcome="lost", decided_on=(now + timedelta(days=2)).date(), **common)
    data = training_set(now)
    assert [(example.source, example.lost, example.decided_at) for example in data.examples] == [
        ("imported", False, None),
        ("imported", False, decision_moment(datetime(2026, 2, 1).date())),
        ("imported", True, decision_moment(datetime(2026, 3, 1).date())),
    ]
    values = dict(zip(ALL_FEATURE_NAMES, data.examples[-1].values, strict=True))
    assert math.isclose(values["pay_below_minimum"], 0.1) and values["acceptance_delay_days"] == 7.0
