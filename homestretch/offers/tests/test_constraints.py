"""Rules on offers, competing offers and priorities held by the database itself, and reported in
words by `full_clean()`.

Each rule is checked twice: once bypassing Python (`QuerySet.update()` / `bulk_create`), where the
database must refuse with IntegrityError, and once through `full_clean()`, the one validation
place that forms, the API and the command line use, where the message must say what is wrong.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus
from homestretch.offers.models import IMPORTANCE_FIELDS, CompetingOffer, Offer, Priorities
from homestretch.pipeline.choices import LossReason
from homestretch.tests.constraints import clean_errors, database_refuses, database_refuses_new

pytestmark = pytest.mark.django_db

NEGATIVE = Decimal("-1")
NOT_A_CHOICE = "Value '{}' is not a valid choice."
UNKNOWN_CURRENCY = "Choose a known ISO 4217 currency (such as EUR, USD, GBP or INR) for the amounts."
ONE_OPEN_OFFER = "The application has an open offer already; record a revision instead."
DECLINE_REASON = "A declined or reneged offer needs its reason; other offers have none."


@pytest.fixture
def offer(application, alice, now) -> Offer:
    return Offer.objects.create(
        application=application, revision=1, status=OfferStatus.EXTENDED, base=Decimal("90000"),
        bonus=Decimal("9000"), currency="EUR", period="year", sent_at=now, created_by=alice, created_at=now,
    )


@pytest.fixture
def competing_offer(candidate, alice, now) -> CompetingOffer:
    return CompetingOffer.objects.create(
        candidate=candidate, kind=CompetingKind.EXTERNAL, company="Globex", stage=CompetingStage.OFFER,
        base=Decimal("95000"), currency="EUR", learned_at=now, recorded_by=alice,
    )


@pytest.fixture
def priorities(candidate, alice, now) -> Priorities:
    return Priorities.objects.create(
        candidate=candidate, as_of=now, base_min=Decimal("85000"), base_target=Decimal("95000"), currency="EUR",
        recorded_by=alice,
    )


# (fixture, changes, field the message is on, message)
RULES = {
    "offer_base_negative": ("offer", {"base": NEGATIVE}, NON_FIELD_ERRORS, "Base cannot be negative."),
    "offer_bonus_negative": ("offer", {"bonus": NEGATIVE}, NON_FIELD_ERRORS, "Bonus cannot be negative."),
    "offer_equity_negative": ("offer", {"equity": NEGATIVE}, NON_FIELD_ERRORS, "Equity cannot be negative."),
    "offer_currency_unknown": ("offer", {"currency": "XYZ"}, "currency", NOT_A_CHOICE.format("XYZ")),
    "offer_currency_lowercase": ("offer", {"currency": "eur"}, "currency", NOT_A_CHOICE.format("eur")),
    "offer_period_unknown": ("offer", {"period": "week"}, "period", NOT_A_CHOICE.format("week")),
    "offer_status_unknown": ("offer", {"status": "pending"}, "status", NOT_A_CHOICE.format("pending")),
    "offer_declined_without_reason": ("offer", {"status": OfferStatus.DECLINED}, NON_FIELD_ERRORS, DECLINE_REASON),
    "offer_reneged_without_reason": ("offer", {"status": OfferStatus.RENEGED}, NON_FIELD_ERRORS, DECLINE_REASON),
    "offer_open_with_a_decline_reason": (
        "offer", {"decline_reason": LossReason.COMPENSATION}, NON_FIELD_ERRORS, DECLINE_REASON,
    ),
    "offer_accepted_with_a_decline_reason": (
        "offer", {"status": OfferStatus.ACCEPTED, "decline_reason": LossReason.COMPENSATION}, NON_FIELD_ERRORS,
        DECLINE_REASON,
    ),
    "offer_remote_days_over_5": (
        "offer", {"remote_days": 6}, "remote_days", "Ensure this value is less than or equal to 5.",
    ),
    "competing_base_negative": ("competing_offer", {"base": NEGATIVE}, NON_FIELD_ERRORS, "Base cannot be negative."),
    "competing_currency_unknown": ("competing_offer", {"currency": "XYZ"}, "currency", NOT_A_CHOICE.format("XYZ")),
    "competing_amount_without_currency": ("competing_offer", {"currency": ""}, NON_FIELD_ERRORS, UNKNOWN_CURRENCY),
    "competing_period_unknown": ("competing_offer", {"period": "week"}, "period", NOT_A_CHOICE.format("week")),
    "priorities_min_above_target": (
        "priorities", {"base_min": Decimal("96000")}, NON_FIELD_ERRORS,
        "The minimum base cannot exceed the target base.",
    ),
    "priorities_base_min_negative": (
        "priorities", {"base_min": NEGATIVE}, NON_FIELD_ERRORS, "Base min cannot be negative.",
    ),
    "priorities_currency_lowercase": ("priorities", {"currency": "eur"}, "currency", NOT_A_CHOICE.format("eur")),
    "priorities_amount_without_currency": ("priorities", {"currency": ""}, NON_FIELD_ERRORS, UNKNOWN_CURRENCY),
    **{
        f"priorities_{name}_{level}": (
            "priorities", {name: level}, name,
            "Ensure this value is greater than or equal to 1." if level < 1
            else "Ensure this value is less than or equal to 5.",
        )
        for name in IMPORTANCE_FIELDS
        for level in (0, 6)
    },
}


@pytest.mark.parametrize(("fixture", "changes", "field", "message"), RULES.values(), ids=RULES.keys())
def test_the_database_refuses_a_broken_rule(request, fixture, changes, field, message):
    obj = request.getfixturevalue(fixture)
    database_refuses(type(obj).objects.filter(pk=obj.pk), **changes)
    fresh = type(obj).objects.get(pk=obj.pk)
    assert all(getattr(fresh, name) == getattr(obj, name) for name in changes)


@pytest.mark.parametrize(("fixture", "changes", "field", "message"), RULES.values(), ids=RULES.keys())
def test_full_clean_says_what_is_wrong(request, fixture, changes, field, message):
    obj = request.getfixturevalue(fixture)
    assert message in clean_errors(obj, **changes).get(field, [])


def test_the_fixtures_keep_every_rule(offer, competing_offer, priorities):
    for obj in (offer, competing_offer, priorities):
        obj.full_clean()


@pytest.mark.parametrize("status", [OfferStatus.DECLINED, OfferStatus.RENEGED])
def test_a_lost_offer_with_its_reason_is_valid(offer, status):
    Offer.objects.filter(pk=offer.pk).update(status=status, decline_reason=LossReason.COUNTEROFFER)
    Offer.objects.get(pk=offer.pk).full_clean()


def test_a_competing_process_without_pay_needs_no_currency(candidate, now):
    CompetingOffer(candidate=candidate, company="Initech", learned_at=now).full_clean()


def test_priorities_may_have_a_minimum_equal_to_the_target(priorities):
    priorities.base_min = priorities.base_target
    priorities.full_clean()


# --- One open offer per application, one row per revision -----------------------------------


def _second_offer(offer: Offer, **values) -> Offer:
    return Offer(**{"application": offer.application, "revision": 2, "status": OfferStatus.DRAFT,
                    "base": Decimal("95000"), "currency": "EUR", "created_at": offer.created_at, **values})


def test_the_database_refuses_a_second_open_offer(offer):
    database_refuses_new(Offer, _second_offer(offer))
    assert Offer.objects.count() == 1


def test_full_clean_reports_a_second_open_offer(offer):
    assert clean_errors(_second_offer(offer))[NON_FIELD_ERRORS] == [ONE_OPEN_OFFER]


@pytest.mark.parametrize("status", [OfferStatus.SUPERSEDED, OfferStatus.WITHDRAWN, OfferStatus.EXPIRED])
def test_closed_offers_stay_beside_the_open_one(offer, status):
    closed = _second_offer(offer, status=status)
    closed.full_clean()
    Offer.objects.bulk_create([closed])
    assert Offer.objects.filter(application=offer.application).count() == 2


def test_the_database_refuses_a_revision_number_twice(offer):
    database_refuses_new(Offer, _second_offer(offer, revision=1, status=OfferStatus.WITHDRAWN))


def test_full_clean_reports_a_revision_number_twice(offer):
    duplicate = _second_offer(offer, revision=1, status=OfferStatus.WITHDRAWN)
    assert clean_errors(duplicate)[NON_FIELD_ERRORS] == ["This revision of the offer exists already."]
