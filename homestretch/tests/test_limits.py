"""The limits of lib/limits.py, refused the same way (field, words, code) by the services the pages,
back office and command line call, by the forms and by the API (issue 15, item 13)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from homestretch.front.forms import CompetingOfferForm, OfferForm, PrioritiesForm, TouchpointForm
from homestretch.lib import limits
from homestretch.lib.refusals import OUT_OF_RANGE, field_errors
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.offers.services import record_competing_offer, record_offer, set_priorities
from homestretch.pipeline import services
from homestretch.pipeline.models import Touchpoint
from homestretch.tests.api_client import ApiClient


def refused(call) -> list[tuple[str, str, str | None]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return field_errors(caught.value)


# --- The services: every entry point's one place


def test_a_touch_dated_years_ahead_is_refused_against_the_moment_of_the_write(application, now):
    touch = Touchpoint(application=application, at=now.replace(year=2999), channel="call", direction="outbound")
    [(field, message, code)] = refused(lambda: services.log_touchpoint(touch, now=now))
    assert (field, code) == ("at", OUT_OF_RANGE)
    assert "at most a day ahead" in message
    assert not Touchpoint.objects.exists()


def test_a_touch_booked_for_tomorrow_morning_is_taken(application, now):
    touch = Touchpoint(application=application, at=now + timedelta(hours=23), channel="call", direction="outbound")
    services.log_touchpoint(touch, now=now)
    assert Touchpoint.objects.count() == 1


def test_a_competing_deadline_of_1901_is_refused(candidate, alice, now):
    rival = CompetingOffer(candidate=candidate, company="Globex", deadline=date(1901, 1, 1), learned_at=now)
    [(field, message, code)] = refused(lambda: record_competing_offer(rival, by=alice))
    assert (field, code) == ("deadline", OUT_OF_RANGE)
    assert "2024-11-20 and 2029-11-20" in message


def test_an_old_competing_deadline_may_stay_when_other_fields_change(candidate, alice, now):
    rival = record_competing_offer(CompetingOffer(candidate=candidate, company="Globex", deadline=date(2026, 12, 1),
                                                  learned_at=now), by=alice)
    rival.notes = "Still waiting"
    record_competing_offer(rival, by=alice, at=now.replace(year=2030))  # the deadline is four years back then
    rival.deadline = date(2027, 1, 1)
    [(field, _, _)] = refused(lambda: record_competing_offer(rival, by=alice, at=now.replace(year=2030)))
    assert field == "deadline"


def test_an_offer_starting_in_year_one_or_of_nothing_is_refused(application, alice, now):
    start = Offer(application=application, base=Decimal("80000"), start_date=date(1, 1, 1))
    errors = refused(lambda: record_offer(start, by=alice, at=now))
    assert [(f, c) for f, _, c in errors] == [("start_date", OUT_OF_RANGE)]
    nothing = Offer(application=application, base=Decimal("0"))
    [(field, message, code)] = refused(lambda: record_offer(nothing, by=alice, at=now))
    assert (field, message, code) == ("base", "Give an amount above zero.", OUT_OF_RANGE)
    assert not Offer.objects.exists()


def test_an_offer_expiring_more_than_three_years_ahead_is_refused(application, alice, now):
    offer = Offer(application=application, base=Decimal("80000"), expires_on=date(2030, 1, 1))
    assert [f for f, _, _ in refused(lambda: record_offer(offer, by=alice, at=now))] == ["expires_on"]


def test_a_notice_of_100000_days_and_a_start_in_2300_are_refused(candidate, alice, now):
    notice = Priorities(candidate=candidate, notice_days=100_000)
    [(field, message, code)] = refused(lambda: set_priorities(notice, by=alice, at=now))
    assert (field, message, code) == ("notice_days", "A notice period is at most 365 days.", OUT_OF_RANGE)
    start = Priorities(candidate=candidate, earliest_start=date(2300, 1, 1))
    assert [f for f, _, _ in refused(lambda: set_priorities(start, by=alice, at=now))] == ["earliest_start"]


def test_an_amount_over_the_ceiling_is_refused_in_words(candidate, alice, now):
    rival = CompetingOffer(candidate=candidate, company="Globex", base=Decimal("10000000000"), currency="EUR",
                           learned_at=now)
    errors = refused(lambda: record_competing_offer(rival, by=alice))
    assert ("base", "An amount is at most 9,999,999,999 EUR.", OUT_OF_RANGE) in errors


def test_the_live_range_is_relative_to_now_not_fixed():
    assert limits.live_date_range(date(2026, 11, 20)) == (date(2024, 11, 20), date(2029, 11, 20))
    assert limits.live_date_range(date(2028, 2, 29)) == (date(2026, 2, 28), date(2031, 2, 28))


# --- The forms: beside the field, in the same words


def test_the_forms_say_the_ceiling_in_words_not_in_digits(db):
    for form_class, field in ((CompetingOfferForm, "base"), (OfferForm, "base"), (PrioritiesForm, "base_min"),
                              (TouchpointForm, "rival_base")):
        form = form_class(data={field: "1000000000000000"})
        assert not form.is_valid()
        assert form.errors[field] == ["An amount is at most 9,999,999,999."], form_class


def test_the_forms_refuse_a_notice_of_100000_days_and_an_offer_of_nothing(db):
    priorities = PrioritiesForm(data={"notice_days": "100000", "currency": "EUR", "period": "year",
                                      "remote_preference": "any", **{f"importance_{n}": "3" for n in
                                      ("pay", "remote", "speed", "title", "growth", "stack")}})
    assert not priorities.is_valid()
    assert "A notice period is at most 365 days." in priorities.errors["notice_days"]
    offer = OfferForm(data={"status": "draft", "base": "0", "currency": "EUR", "period": "year",
                            "remote_policy": "hybrid"})
    assert not offer.is_valid()
    assert "Give an amount above zero." in offer.errors["base"]


# --- The API: 422 on the field


def test_the_api_refuses_absurd_dates_and_amounts_on_their_fields(application, candidate, alice):
    api = ApiClient(alice)
    cases = [
        (f"/applications/{application.pk}/touchpoints", {"channel": "call", "direction": "outbound",
                                                         "at": "2999-01-01T09:00:00Z"}, "at"),
        (f"/applications/{application.pk}/touchpoints", {"channel": "call", "direction": "outbound",
                                                         "at": "2099-01-01T09:00:00Z"}, "at"),
        (f"/candidates/{candidate.pk}/competing-offers", {"company": "Globex", "deadline": "1901-01-01"},
         "deadline"),
        (f"/applications/{application.pk}/offers", {"base": "80000", "start_date": "0001-01-01"}, "start_date"),
        (f"/applications/{application.pk}/offers", {"base": "0"}, "base"),
        (f"/applications/{application.pk}/offers", {"base": "1e30"}, "base"),
    ]
    for path, body, field in cases:
        response = api.post(path, body)
        assert response.status_code == 422, (body, response.content)
        assert [e["field"] for e in response.json()["errors"]] == [field], (body, response.json())
    response = api.put(f"/candidates/{candidate.pk}/priorities", {"notice_days": 100_000})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["notice_days"]
    response = api.post(f"/applications/{application.pk}/offers", {"base": "10000000000", "currency": "EUR"})
    assert "at most 9,999,999,999" in response.json()["errors"][0]["message"]


def test_the_document_states_the_fixed_limits(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    base = schemas["OfferIn"]["properties"]["base"]
    assert base["anyOf"][0]["exclusiveMinimum"] == 0 and base["anyOf"][0]["maximum"] == 9_999_999_999
    notice = schemas["PrioritiesIn"]["properties"]["notice_days"]["anyOf"][0]
    assert notice["maximum"] == 365
    deadline = schemas["CompetingOfferIn"]["properties"]["deadline"]["anyOf"][0]
    assert deadline["format"] == "date" and deadline["pattern"] == "^(20[0-9]{2}|2100)-"
