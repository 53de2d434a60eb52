"""GET /insights: exactly the figures' JSON, scoped by who asks, with its refusals."""

from __future__ import annotations

import pytest

from homestretch.insights.figures import insights
from homestretch.tests.api_client import ApiClient, assert_problem

from .builders import SECRET_COMPANY, build
from .test_figures import PERIOD

ASKED = {"from": "2026-01-01", "to": "2026-11-20"}


@pytest.fixture
def org(alice, bob, charlie):
    return build(alice, bob, charlie)


def test_the_endpoint_answers_the_figures_json(org, alice, now, django_assert_max_num_queries):
    # Nothing stored yet: the figures' six, the stored measures' read and their write back (in a transaction).
    with django_assert_max_num_queries(16):
        response = ApiClient(alice).get("/insights", team="all", at=now.isoformat(), **ASKED)
    assert response.status_code == 200
    assert response.json() == insights(PERIOD, now=now).as_dict()
    body = response.json()
    assert set(body) >= {"offers_extended", "acceptance_rate", "renege_rate", "time_to_answer_days", "reasons",
                         "competitors_won", "counteroffers", "cadence_adherence", "competition_asked", "by_month"}
    assert set(body["acceptance_rate"]) == {"value", "low", "high", "n"}
    assert set(body["cadence_adherence"][0]) >= {"band", "n", "loss_rate", "low", "high"}


def test_a_recruiter_sees_their_team_by_default(org, alice, teams, now):
    body = ApiClient(alice).get("/insights", at=now.isoformat(), **ASKED).json()
    from dataclasses import replace

    assert body == insights(replace(PERIOD, team_id=teams["north"].pk), now=now).as_dict()
    assert body["offers_extended"] == 9


def test_a_viewer_never_reads_a_name_told_in_confidence(org, victor, alice, now):
    viewer = ApiClient(victor).get("/insights", at=now.isoformat(), **ASKED)
    assert viewer.status_code == 200
    assert SECRET_COMPANY not in viewer.text
    assert {"company": "Confidential companies", "n": 1, "confidential": 1} in viewer.json()["competitors_won"]
    assert SECRET_COMPANY in ApiClient(alice).get("/insights", team="all", at=now.isoformat(), **ASKED).text


def test_refusals(org, alice, now):
    api = ApiClient(alice)
    assert_problem(api.get("/insights", **{"from": "2026-05-01", "to": "2026-04-01"}), 422)
    assert_problem(api.get("/insights", team=999_999), 404)
    assert_problem(api.get("/insights", client=999_999), 404)
    assert_problem(api.get("/insights", seniority="wizard"), 422)
    assert ApiClient().get("/insights").status_code == 401
