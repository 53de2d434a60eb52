"""GET /applications/{id}/risk returns exactly Risk.as_dict()."""

from __future__ import annotations

from datetime import timedelta

from homestretch.risk.scoring import risk_of
from homestretch.tests.api_client import ApiClient, assert_problem


def test_risk_is_exactly_the_risk_json(victor, application, now, django_assert_max_num_queries):
    at = now + timedelta(days=4)
    api = ApiClient(victor)
    with django_assert_max_num_queries(25):
        response = api.get(f"/applications/{application.pk}/risk", at=at.isoformat())
    assert response.status_code == 200
    assert response.json() == risk_of(application.pk, at)[1].as_dict()
    assert set(response.json()) == {"probability", "score", "band", "reasons", "actions", "missing"}


def test_risk_before_the_application_existed_is_409(alice, application, now):
    body = assert_problem(ApiClient(alice).get(f"/applications/{application.pk}/risk",
                                               at=(now - timedelta(days=1)).isoformat()), 409)
    assert "did not exist yet" in body["detail"]


def test_risk_bad_input(alice, application):
    api = ApiClient(alice)
    assert_problem(api.get("/applications/987654/risk"), 404)
    assert_problem(api.get(f"/applications/{application.pk}/risk", at="2026-11-20T09:30:00"), 422, "at")
    assert_problem(api.get(f"/applications/{application.pk}/risk", at="0001-01-01T00:00:00+01:00"), 422, "at")
