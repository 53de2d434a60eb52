"""The live weights: read from the live model, cached, and used where risks are scored for people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homestretch.learning import train as training
from homestretch.pipeline import services
from homestretch.pipeline.models import Touchpoint
from homestretch.risk import live
from homestretch.risk.live import clear_live_cache, live_weights
from homestretch.risk.models import TrainedModel
from homestretch.risk.scoring import risk_of
from homestretch.risk.weights import EXPERT_WEIGHTS, FEATURE_NAMES

from .planted_history import plant_history


@pytest.fixture(autouse=True)
def _read_the_database():
    clear_live_cache()
    yield
    clear_live_cache()


def test_without_a_live_model_the_expert_weights_score(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert live_weights() is EXPERT_WEIGHTS
    with django_assert_num_queries(0):  # cached in the process
        assert live_weights() is EXPERT_WEIGHTS


def test_the_live_model_replaces_the_expert_weights(db, now):
    weights = {name: 0.5 for name in FEATURE_NAMES}
    TrainedModel.objects.create(version=1, trained_at=now, as_of=now, n_applications=0, n_imported=0, n_lost=0,
                                base_log_odds=-1.0, weights=weights, shrinkage=0.0, live=False)
    TrainedModel.objects.create(version=2, trained_at=now, as_of=now, n_applications=0, n_imported=0, n_lost=0,
                                base_log_odds=-1.5, weights=weights, shrinkage=0.0, live=True)
    found = live_weights()
    assert found.source == "model v2" and found.base_log_odds == -1.5 and dict(found.weights) == weights
    assert live.weights_label(found) == "model v2" and live.weights_label(EXPERT_WEIGHTS) == "expert weights"


def test_the_cache_expires_after_a_minute(db, now, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    assert live_weights() is EXPERT_WEIGHTS
    TrainedModel.objects.create(version=1, trained_at=now, as_of=now, n_applications=0, n_imported=0, n_lost=0,
                                base_log_odds=-1.0, weights=dict(EXPERT_WEIGHTS.weights), shrinkage=0.0, live=True)
    clock[0] += live.LIVE_CACHE_SECONDS - 1
    assert live_weights() is EXPERT_WEIGHTS  # another process's training is not seen yet
    clock[0] += 2
    assert live_weights().source == "model v1"


def test_at_most_one_model_is_live(db, now):
    from django.db import IntegrityError, transaction

    fields = dict(trained_at=now, as_of=now, n_applications=0, n_imported=0, n_lost=0, base_log_odds=-1.0,
                  weights=dict(EXPERT_WEIGHTS.weights), shrinkage=0.0, live=True)
    TrainedModel.objects.create(version=1, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainedModel.objects.create(version=2, **fields)


def test_training_changes_the_risk_the_pages_show(job, alice, application, now):
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=now - timedelta(days=12),
                                       channel="call", direction="outbound", interest=3))
    _, before = risk_of(application.id, now)
    plant_history(job, alice, n=300, days=30)
    model = training.train(now=now, seed=1)
    assert model.live
    _, after = risk_of(application.id, now)  # train cleared this process's cache
    assert live_weights().source == f"model v{model.version}"
    assert before.probability != pytest.approx(after.probability, abs=1e-3)
    assert after.features["overdue_days"] > 0  # the planted factor, which the model weighs more


def test_the_application_page_says_which_weights_scored(client, alice, application, now, settings):
    settings.HOMESTRETCH_PAGES_NOW = now
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=now - timedelta(days=2),
                                       channel="call", direction="outbound", interest=4))
    client.force_login(alice)
    url = f"/applications/{application.pk}/"
    page = client.get(url).content.decode()
    assert "scored with <a" in page and "expert weights</a>" in page
    TrainedModel.objects.create(version=7, trained_at=now, as_of=now, n_applications=0, n_imported=0, n_lost=0,
                                base_log_odds=-1.5, weights={name: 0.1 for name in FEATURE_NAMES}, shrinkage=1.0,
                                live=True)
    clear_live_cache()
    assert "model v7</a>" in client.get(url).content.decode()
