"""The live model's history features (per client, role family and candidate source) as of each decision
moment, and the go-live rule: a trained model replaces the weights that score only when its backtest
beats them (issue 22, item 4)."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

import pytest

from homestretch.learning import train as training
from homestretch.learning.train import beats_current, decision_moment, local_day, training_set
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Client, Job, Touchpoint
from homestretch.risk.live import clear_live_cache, read_live_weights
from homestretch.risk.scoring import current_scorer, risk_of
from homestretch.risk.track_record import CLIENT, PRIOR_OUTCOMES, SOURCE
from homestretch.risk.weights import ALL_FEATURE_NAMES

from .planted_history import plant_history


@pytest.fixture
def other_job(db):
    client = Client.objects.create(name="Initech", industry="Software", size="large")
    return Job.objects.create(client=client, title="Senior Backend Engineer", seniority="senior",
                              base_min=Decimal("70000"), base_max=Decimal("90000"), currency="EUR")


def _client_value(example) -> float:
    return dict(zip(ALL_FEATURE_NAMES, example.values, strict=True))[CLIENT]


def _expected_client_value(application_id: int) -> float:
    """The client feature recomputed here from the database: decisions before the start of the decision day."""
    application = Application.objects.select_related("job__client").get(pk=application_id)
    assert application.closed_at is not None
    moment = decision_moment(local_day(application.closed_at))
    decided = Application.objects.filter(stage__in=("started", "declined", "reneged", "withdrawn"),
                                         closed_at__lt=moment)
    total, total_lost = decided.count(), decided.exclude(stage="started").count()
    mine = decided.filter(job__client=application.job.client)
    n, lost = mine.count(), mine.exclude(stage="started").count()
    if not total or not n:
        return 0.0
    overall = total_lost / total
    rate = (lost + PRIOR_OUTCOMES * overall) / (n + PRIOR_OUTCOMES)
    return math.log(rate / (1 - rate)) - math.log(overall / (1 - overall))


def test_an_applications_own_outcome_and_later_ones_never_reach_its_history_features(job, other_job, alice, now):
    plant_history(job, alice, n=60, days=12, seed=1, base_log_odds=1.0)
    plant_history(other_job, alice, n=60, days=12, seed=2, base_log_odds=-3.0)
    examples = {example.key: example for example in training_set(now).examples}
    ordered = list(Application.objects.filter(job=job).order_by("closed_at", "id"))
    middle = ordered[len(ordered) // 2]
    example = examples[f"application:{middle.id}"]
    assert example.decided_at == decision_moment(local_day(middle.closed_at))
    # Recomputed independently: only decisions before the start of its decision day.
    assert _client_value(example) == pytest.approx(_expected_client_value(middle.id))
    assert _client_value(examples[f"application:{ordered[0].id}"]) == 0.0  # nothing decided before the first day

    # Turn its own outcome and every later one of the client around: its features do not move; a later
    # application's do.
    later = [app for app in ordered if app.closed_at >= example.decided_at]
    later_kept = Application.objects.filter(pk__in=[app.id for app in later], stage="started")
    later_lost = Application.objects.filter(pk__in=[app.id for app in later]).exclude(stage="started")
    kept_ids, lost_ids = list(later_kept.values_list("id", flat=True)), list(later_lost.values_list("id", flat=True))
    Application.objects.filter(pk__in=kept_ids).update(stage="declined")
    Application.objects.filter(pk__in=lost_ids).update(stage="started")
    again = {item.key: item for item in training_set(now).examples}
    assert again[f"application:{middle.id}"].values == example.values
    last = ordered[-1]
    if local_day(last.closed_at) > local_day(middle.closed_at):
        assert _client_value(again[f"application:{last.id}"]) != pytest.approx(
            _client_value(examples[f"application:{last.id}"]))


def test_a_client_that_loses_more_is_learnt_and_scores_open_applications_with_its_reason(
    job, other_job, alice, candidate, now,
):
    # Acme loses candidates far more often than Initech, whatever the planted factors say.
    plant_history(job, alice, n=250, days=30, seed=3, base_log_odds=0.5, source="linkedin")
    plant_history(other_job, alice, n=250, days=30, seed=4, base_log_odds=-3.5, source="linkedin")
    model = training.train(now=now, seed=1)
    assert model.fitted_weights[CLIENT] > 0.3
    assert model.live, model.not_live_because
    go_live = model.evaluation["go_live"]
    assert go_live["beats"] and go_live["current"] == "expert weights"
    assert go_live["why"].startswith("its backtest beats the weights live when it was trained (expert weights): Brier")
    backtest = model.evaluation["backtest"]
    assert backtest["model"]["brier"] < backtest["current"]["brier"] == backtest["expert"]["brier"]

    clear_live_cache()
    weights = read_live_weights()
    assert weights.source == f"model v{model.version}" and dict(weights.history)[CLIENT] == model.weights[CLIENT]
    assert weights.track_record is not None and weights.track_record.size == 500
    application = services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=now,
                                             stage="final_interview")
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=now - timedelta(days=1),
                                       channel="call", direction="outbound", interest=4), now=now)
    clear_live_cache()
    assert current_scorer().weights.history
    _, risk = risk_of(application.id, now)
    assert risk.probability is not None and risk.features[CLIENT] > 0
    reason = next(reason for reason in risk.reasons if reason.code == CLIENT)
    assert reason.text.startswith("Candidates for Acme Cloud were lost in ")
    assert "overall" in reason.text
    assert SOURCE in model.weights


def test_a_model_that_does_not_beat_the_live_weights_stays_out(job, alice, now):
    plant_history(job, alice, n=300, days=30, signal=False)  # nothing to learn: outcomes at random
    model = training.train(now=now, seed=1)
    backtest = model.evaluation["backtest"]
    beats = backtest["model"]["brier"] < backtest["current"]["brier"]
    assert model.live == beats
    assert model.evaluation["go_live"]["beats"] == beats


def _report(model_brier: float, current_brier: float, model_auc: float | None = 0.7,
            current_auc: float | None = 0.65) -> dict:
    return {"possible": True, "n_test": 60, "model": {"brier": model_brier, "auc": model_auc},
            "current": {"label": "model v2", "brier": current_brier, "auc": current_auc}}


def test_the_go_live_rule_needs_a_lower_brier_score_than_the_weights_live_at_training():
    assert beats_current(_report(0.150, 0.160)) == (True, (
        "its backtest beats the weights live when it was trained (model v2): Brier 0.150 against 0.160 "
        "(ROC AUC 0.700 against 0.650) on the newest 60 outcomes"))
    live, why = beats_current(_report(0.160, 0.160))
    assert not live and why.endswith("; model v2 stays live")  # a tie keeps what scores now
    assert not beats_current(_report(0.170, 0.160, model_auc=0.9))[0]  # a better ranking alone is not enough
    assert beats_current({"possible": False, "why": "5 outcomes: too few to hold any out"}) == (
        False, "no backtest (5 outcomes: too few to hold any out)")
