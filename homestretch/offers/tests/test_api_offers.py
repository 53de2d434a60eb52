"""Offers over HTTP: our offers and revisions, competing offers, the candidate's priorities."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homestretch.offers.models import CompetingOffer, Offer, OfferEvent, Priorities
from homestretch.tests.api_client import ApiClient, assert_problem


@pytest.fixture
def as_alice(alice):
    return ApiClient(alice)


def test_posting_an_offer_while_one_is_open_records_a_revision(as_alice, application, now):
    first = as_alice.post(f"/applications/{application.pk}/offers",
                          {"base": "85000", "currency": "EUR", "status": "extended", "at": now.isoformat()})
    assert first.status_code == 201, first.content
    second = as_alice.post(f"/applications/{application.pk}/offers",
                           {"base": 90000, "bonus": "5000.50", "currency": "EUR",
                            "at": (now + timedelta(days=1)).isoformat()})
    assert second.status_code == 201
    body = second.json()
    assert body["revision"] == 2 and body["base"] == "90000.00" and body["bonus"] == "5000.50"
    history = as_alice.get(f"/applications/{application.pk}/offers").json()
    assert [(o["revision"], o["status"]) for o in history] == [(2, "draft"), (1, "superseded")]
    assert OfferEvent.objects.filter(to_status="superseded").count() == 1


def test_offer_status_moves_and_refusals(as_alice, application, now):
    offer_id = as_alice.post(f"/applications/{application.pk}/offers", {"base": "85000"}).json()["id"]
    assert_problem(as_alice.post(f"/offers/{offer_id}/status", {"status": "accepted"}), 409, "status")
    assert as_alice.post(f"/offers/{offer_id}/status", {"status": "extended"}).json()["status"] == "extended"
    assert_problem(as_alice.post(f"/offers/{offer_id}/status", {"status": "declined"}), 422, "decline_reason")
    declined = as_alice.post(f"/offers/{offer_id}/status", {"status": "declined", "decline_reason": "counteroffer"})
    assert declined.json()["decline_reason"] == "counteroffer"


def test_offer_input_is_validated_and_nothing_saved(as_alice, application):
    for payload, field in (({}, "base"), ({"base": "-1"}, "base"), ({"base": "1", "currency": "eur"}, "currency"),
                           ({"base": "1", "status": "accepted"}, "status"),
                           ({"base": "1", "expires_on": "10000-01-01"}, "expires_on")):
        assert_problem(as_alice.post(f"/applications/{application.pk}/offers", payload), 422, field)
    assert not Offer.objects.exists()


def test_other_team_cannot_make_an_offer(charlie, application):
    assert_problem(ApiClient(charlie).post(f"/applications/{application.pk}/offers", {"base": "1"}), 403)


def test_no_offer_on_a_closed_application(as_alice, application):
    as_alice.post(f"/applications/{application.pk}/stage", {"stage": "rejected", "reason": "client said no"})
    assert_problem(as_alice.post(f"/applications/{application.pk}/offers", {"base": "1"}), 409)


def test_competing_offer_record_update_delete(as_alice, application, now):
    candidate_id = application.candidate_id
    created = as_alice.post(f"/candidates/{candidate_id}/competing-offers", {
        "company": "Globex", "kind": "external", "stage": "offer", "base": "90000", "bonus": None,
        "currency": "EUR", "period": "year", "remote_policy": "remote", "deadline": "2026-11-27",
        "confidential": True, "notes": "Told in confidence", "learned_at": now.isoformat(),
    })
    assert created.status_code == 201, created.content
    competing_id = created.json()["id"]
    assert CompetingOffer.objects.get().recorded_by_id == application.recruiter_id
    updated = as_alice.patch(f"/competing-offers/{competing_id}", {"stage": "accepted"})
    assert updated.json()["stage"] == "accepted" and updated.json()["company"] == "Globex"
    assert as_alice.delete(f"/competing-offers/{competing_id}").status_code == 204
    assert not CompetingOffer.objects.exists()


def test_competing_offer_pay_needs_its_currency(as_alice, application):
    response = as_alice.post(f"/candidates/{application.candidate_id}/competing-offers",
                             {"company": "Globex", "base": "90000"})
    assert_problem(response, 422)
    assert not CompetingOffer.objects.exists()


def test_a_patch_that_leaves_amounts_without_a_currency_is_a_conflict_with_the_record(as_alice, application):
    url = f"/candidates/{application.candidate_id}/competing-offers"
    no_pay = as_alice.post(url, {"company": "Globex"}).json()
    # Amounts sent to a record that has no currency: the body is fine, the record is what lacks it.
    body = assert_problem(as_alice.patch(f"/competing-offers/{no_pay['id']}", {"base": "90000"}), 409, "currency")
    assert body["errors"][0]["message"] == "This record has no currency: send `currency` with the amounts."
    # The currency cleared while the stored amounts stay.
    paid = as_alice.post(url, {"company": "Initech", "base": "80000", "currency": "EUR"}).json()
    assert_problem(as_alice.patch(f"/competing-offers/{paid['id']}", {"currency": ""}), 409, "currency")
    # The body's own fault, which the document states: bad input.
    assert_problem(as_alice.patch(f"/competing-offers/{no_pay['id']}", {"base": "90000", "currency": ""}), 422)
    # Both in one request: taken.
    cleared = as_alice.patch(f"/competing-offers/{paid['id']}", {"base": None, "bonus": None, "equity": None,
                                                                 "currency": ""})
    assert cleared.status_code == 200, cleared.content
    paid_now = as_alice.patch(f"/competing-offers/{no_pay['id']}", {"base": "90000", "currency": "GBP"})
    assert paid_now.status_code == 200 and paid_now.json()["currency"] == "GBP"
    assert CompetingOffer.objects.get(pk=no_pay["id"]).base == 90000


def test_other_team_cannot_record_competing_offers_of_our_candidate(charlie, application):
    response = ApiClient(charlie).post(f"/candidates/{application.candidate_id}/competing-offers",
                                       {"company": "Globex"})
    assert_problem(response, 403)


def test_put_priorities_keeps_the_earlier_ones(as_alice, application, now):
    url = f"/candidates/{application.candidate_id}/priorities"
    first = as_alice.put(url, {"base_min": "80000", "base_target": "95000", "currency": "EUR",
                               "remote_preference": "hybrid", "notice_days": 90, "as_of": now.isoformat()})
    assert first.status_code == 200, first.content
    later = (now + timedelta(days=3)).isoformat()
    as_alice.put(url, {"base_min": "85000", "currency": "EUR", "importance_pay": 5, "as_of": later})
    body = as_alice.get(url).json()
    assert body["current"]["base_min"] == "85000.00" and body["current"]["importance_pay"] == 5
    assert [p["base_min"] for p in body["history"]] == ["85000.00", "80000.00"]
    assert Priorities.objects.count() == 2


def test_priorities_refused_when_minimum_above_target(as_alice, application):
    url = f"/candidates/{application.candidate_id}/priorities"
    assert_problem(as_alice.put(url, {"base_min": "99000", "base_target": "90000", "currency": "EUR"}), 422)
    assert_problem(as_alice.put(url, {"importance_pay": 6}), 422, "importance_pay")
    assert as_alice.get(url).json() == {"current": None, "history": []}


def test_a_database_constraint_about_one_field_is_answered_on_that_field(as_alice, application):
    url = f"/candidates/{application.candidate_id}/priorities"
    body = assert_problem(as_alice.put(url, {"base_min": "95000", "base_target": "80000", "currency": "EUR"}), 422,
                          "base_min")
    assert [error["field"] for error in body["errors"]] == ["base_min"]
    assert not Priorities.objects.exists()
