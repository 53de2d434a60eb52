"""The model page and `homestretch model status` / `train` on the command line."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.learning import train as training
from homestretch.risk.live import clear_live_cache

from .planted_history import plant_history

runner = CliRunner()


@pytest.fixture(autouse=True)
def _read_the_database():
    clear_live_cache()
    yield
    clear_live_cache()


@pytest.fixture
def trained(job, alice, now):
    plant_history(job, alice, n=300, days=30)
    return training.train(now=now, seed=1)


def test_the_page_needs_a_signed_in_user(client, db):
    response = client.get(reverse("model"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_before_any_training_the_page_says_the_experts_score(client, victor):
    client.force_login(victor)
    page = client.get(reverse("model")).content.decode()
    assert "<strong>expert weights</strong>" in page
    assert "No model trained yet" in page
    assert "homestretch model train" in page


def test_the_page_shows_the_live_model_its_backtest_chart_and_weights(client, alice, trained):
    client.force_login(alice)
    response = client.get(reverse("model"))
    assert response.status_code == 200
    page = response.content.decode()
    backtest = trained.evaluation["backtest"]
    assert f"<strong>model v{trained.version}</strong>" in page
    assert "<svg" in page and "<title id=\"cal-title\">" in page and "<desc id=\"cal-desc\">" in page
    assert page.count("<circle") >= len(backtest["model"]["calibration"]) + len(backtest["expert"]["calibration"])
    assert f">{backtest['model']['auc']}<" in page and f">{backtest['expert']['auc']}<" in page
    assert f">{backtest['brier_base_rate']}<" in page
    assert "300 own applications" in page
    assert "<code>competing_pay_gap</code>" in page and "first reason candidates decline" in page
    assert "on the command line" in page
    assert 'href="/model/" aria-current="page">Model<' in page


def test_status_json_says_which_weights_are_live_and_how_they_did(trained):
    result = runner.invoke(app, ["model", "status", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["live_weights"] == f"model v{trained.version}"
    assert report["thresholds"] == training.THRESHOLDS
    live = report["live_model"]
    assert (live["n_applications"], live["n_imported"], live["n_lost"]) == (300, 0, trained.n_lost)
    assert live["backtest"]["model"]["auc"] == trained.evaluation["backtest"]["model"]["auc"]
    assert live["backtest"]["expert"]["brier"] == trained.evaluation["backtest"]["expert"]["brier"]
    assert [row["feature"] for row in live["weights"]][1:4] == ["competing_pay_gap", "competing_stage",
                                                                   "counteroffer"]
    assert live["differences"] and all("than the experts thought" in text for text in live["differences"])
    assert report["latest_model"] is None


def test_status_table_reads_like_the_page(trained):
    result = runner.invoke(app, ["model", "status"])
    assert result.exit_code == 0, result.output
    assert f"Live weights: model v{trained.version}" in result.stdout
    assert "from 200 outcomes with at least 40 lost" in result.stdout
    assert "300 own applications" in result.stdout and "Expert weights" in result.stdout


def test_status_without_a_model(db):
    result = runner.invoke(app, ["model", "status"])
    assert result.exit_code == 0
    assert "Live weights: expert weights" in result.stdout and "No model trained yet" in result.stdout


def test_train_on_the_command_line_says_why_a_thin_model_is_not_live(job, alice, now):
    plant_history(job, alice, n=50, days=5)
    result = runner.invoke(app, ["model", "train", "--now", now.isoformat(), "--seed", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["version"] == 1 and report["live"] is False
    assert "fewer than the 200 needed" in report["not_live_because"]


def test_train_refuses_a_bad_moment_and_saves_nothing(db):
    from homestretch.risk.models import TrainedModel

    result = runner.invoke(app, ["model", "train", "--now", "yesterday"])
    assert result.exit_code == 1
    assert "--now 'yesterday' is not an ISO 8601 date-time" in result.output
    assert not TrainedModel.objects.exists()


def test_the_page_says_why_the_latest_model_did_or_did_not_go_live(client, alice, trained, now):
    """The live model with the rule it met, and a newer one that did not beat it, beside each other."""
    newer = training.train(now=now, seed=1)  # the same history: it cannot beat v1, fitted on all of it
    assert not newer.live
    client.force_login(alice)
    page = client.get(reverse("model")).content.decode()
    assert f"<strong>model v{trained.version}</strong>" in page
    assert 'id="go-live"' in page
    assert "met, its backtest beats the weights live when it was trained (expert weights)" in page
    assert f"Latest training: model v{newer.version} — not live" in page
    assert f"does not beat the weights live when it was trained (model v{trained.version})" in page
    current = newer.evaluation["backtest"]["current"]
    assert f"Live when trained (model v{trained.version})" in page and f">{current['brier']}<" in page
