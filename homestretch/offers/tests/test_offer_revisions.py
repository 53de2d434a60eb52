"""Our offers over time: `services.record_offer` (a revision supersedes the open offer) and
`services.set_offer_status`, each change audited with an OfferEvent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from homestretch.offers import services
from homestretch.offers.choices import LOST_OFFER_STATUSES, OfferStatus
from homestretch.offers.models import Offer, OfferEvent
from homestretch.pipeline.choices import LossReason

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def new_offer(application, base: str = "90000", **values) -> Offer:
    return Offer(**{"application": application, "base": Decimal(base), "currency": "EUR", "period": "year",
                    **values})


def events(offer: Offer) -> list[tuple[str, str]]:
    return list(offer.events.values_list("from_status", "to_status"))


def stored_offers(application) -> list[tuple[int, str]]:
    return list(Offer.objects.filter(application=application).order_by("revision").values_list("revision", "status"))


@contextmanager
def writes_nothing(application) -> Iterator[None]:
    """Around a refused change: offers and their audit trail stay exactly as they were."""
    offers = list(Offer.objects.filter(application=application).order_by("pk").values())
    event_count = OfferEvent.objects.count()
    yield
    assert list(Offer.objects.filter(application=application).order_by("pk").values()) == offers
    assert OfferEvent.objects.count() == event_count


# --- Recording offers and revisions ---------------------------------------------------------


def test_the_first_offer_is_revision_one_with_its_audit_event(application, alice, now):
    offer = services.record_offer(new_offer(application), by=alice, at=now)
    assert (offer.revision, offer.status, offer.created_by, offer.created_at) == (1, OfferStatus.DRAFT, alice, now)
    event = offer.events.get()
    assert (event.from_status, event.to_status, event.by, event.at) == ("", OfferStatus.DRAFT, alice, now)


def test_an_offer_recorded_as_extended_is_sent_then(application, alice, now):
    offer = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    assert offer.sent_at == now


def test_a_revision_supersedes_the_open_offer_which_stays_in_the_history(application, alice, bob, now):
    first = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    second = services.record_offer(new_offer(application, "95000", status=OfferStatus.EXTENDED), by=bob,
                                   at=now + DAY)
    first.refresh_from_db()
    assert first.status == OfferStatus.SUPERSEDED
    assert first.base == Decimal("90000")
    assert (second.revision, second.status) == (2, OfferStatus.EXTENDED)
    superseded = first.events.last()
    assert (superseded.from_status, superseded.to_status, superseded.by, superseded.at) == (
        OfferStatus.EXTENDED, OfferStatus.SUPERSEDED, bob, now + DAY,
    )
    assert superseded.note == "Superseded by revision 2"
    assert events(first) == [("", OfferStatus.EXTENDED), (OfferStatus.EXTENDED, OfferStatus.SUPERSEDED)]


def test_revisions_are_numbered_one_two_three(application, alice, now):
    for days, base in enumerate(["88000", "91000", "94000"]):
        services.record_offer(new_offer(application, base), by=alice, at=now + days * DAY)
    assert stored_offers(application) == [
        (1, OfferStatus.SUPERSEDED), (2, OfferStatus.SUPERSEDED), (3, OfferStatus.DRAFT),
    ]


def test_a_revision_after_a_declined_offer_continues_the_numbering(application, alice, now):
    first = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    services.set_offer_status(first.pk, OfferStatus.DECLINED, decline_reason=LossReason.COMPENSATION, by=alice,
                              at=now + DAY)
    second = services.record_offer(new_offer(application, "99000"), by=alice, at=now + 2 * DAY)
    assert second.revision == 2
    assert stored_offers(application) == [(1, OfferStatus.DECLINED), (2, OfferStatus.DRAFT)]
    assert events(first) == [("", OfferStatus.EXTENDED), (OfferStatus.EXTENDED, OfferStatus.DECLINED)]


def test_revisions_of_one_application_leave_another_alone(application, alice, job, now):
    from homestretch.pipeline.models import Candidate
    from homestretch.pipeline.services import open_application

    other = open_application(candidate=Candidate.objects.create(name="Tomas Berg"), job=job, recruiter=alice,
                             by=alice, at=now, stage="offer")
    theirs = services.record_offer(new_offer(other), by=alice, at=now)
    services.record_offer(new_offer(application), by=alice, at=now)
    services.record_offer(new_offer(application, "92000"), by=alice, at=now + DAY)
    theirs.refresh_from_db()
    assert (theirs.revision, theirs.status) == (1, OfferStatus.DRAFT)


@pytest.mark.parametrize("status", sorted(set(OfferStatus.values) - {"draft", "approved", "extended"}))
def test_a_new_offer_starts_open(application, alice, now, status):
    services.record_offer(new_offer(application), by=alice, at=now)
    with writes_nothing(application), pytest.raises(ValidationError) as refused:
        services.record_offer(new_offer(application, status=status), by=alice, at=now + DAY)
    assert refused.value.message_dict["status"] == ["A new offer starts as draft, approved or extended."]


def test_record_offer_only_records_new_offers(application, alice, now):
    offer = services.record_offer(new_offer(application), by=alice, at=now)
    with pytest.raises(ValueError, match="use set_offer_status"):
        services.record_offer(offer, by=alice, at=now + DAY)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"currency": "XYZ"}, "currency", "Value 'XYZ' is not a valid choice."),
        ({"period": "week"}, "period", "Value 'week' is not a valid choice."),
        ({"bonus": Decimal("-500")}, "__all__", "Bonus cannot be negative."),
        ({"decline_reason": LossReason.COMPENSATION}, "__all__",
         "A declined or reneged offer needs its reason; other offers have none."),
    ],
)
def test_a_refused_revision_writes_nothing_and_supersedes_nothing(application, alice, now, values, field, message):
    services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    with writes_nothing(application), pytest.raises(ValidationError) as refused:
        services.record_offer(new_offer(application, "95000", **values), by=alice, at=now + DAY)
    assert message in refused.value.message_dict[field]
    assert stored_offers(application) == [(1, OfferStatus.EXTENDED)]


# --- Changing an offer's status -------------------------------------------------------------


def test_an_offer_goes_from_draft_to_accepted_with_its_dates_and_audit(application, alice, now):
    offer = services.record_offer(new_offer(application), by=alice, at=now)
    services.set_offer_status(offer.pk, OfferStatus.APPROVED, by=alice, at=now + DAY)
    services.set_offer_status(offer.pk, OfferStatus.EXTENDED, by=alice, at=now + 2 * DAY, note="Sent by e-mail")
    accepted = services.set_offer_status(offer.pk, OfferStatus.ACCEPTED, by=alice, at=now + 4 * DAY)
    assert (accepted.sent_at, accepted.responded_at) == (now + 2 * DAY, now + 4 * DAY)
    assert events(offer) == [
        ("", OfferStatus.DRAFT),
        (OfferStatus.DRAFT, OfferStatus.APPROVED),
        (OfferStatus.APPROVED, OfferStatus.EXTENDED),
        (OfferStatus.EXTENDED, OfferStatus.ACCEPTED),
    ]
    assert offer.events.get(to_status=OfferStatus.EXTENDED).note == "Sent by e-mail"


def test_a_declined_offer_keeps_its_reason_and_the_winner(application, alice, now):
    offer = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    declined = services.set_offer_status(
        offer.pk, OfferStatus.DECLINED, decline_reason=LossReason.COMPETING_OFFER, won_by="Globex", by=alice,
        at=now + DAY,
    )
    declined.refresh_from_db()
    assert (declined.status, declined.decline_reason, declined.won_by, declined.responded_at) == (
        OfferStatus.DECLINED, LossReason.COMPETING_OFFER, "Globex", now + DAY,
    )


def test_an_accepted_offer_can_be_reneged_with_a_reason(application, alice, now):
    offer = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    services.set_offer_status(offer.pk, OfferStatus.ACCEPTED, by=alice, at=now + DAY)
    reneged = services.set_offer_status(offer.pk, OfferStatus.RENEGED, decline_reason=LossReason.COUNTEROFFER,
                                        by=alice, at=now + 9 * DAY)
    assert (reneged.status, reneged.decline_reason, reneged.responded_at) == (
        OfferStatus.RENEGED, LossReason.COUNTEROFFER, now + DAY,
    )


def test_a_reason_is_dropped_where_the_offer_was_not_lost(application, alice, now):
    offer = services.record_offer(new_offer(application), by=alice, at=now)
    withdrawn = services.set_offer_status(offer.pk, OfferStatus.WITHDRAWN, decline_reason=LossReason.OTHER,
                                          won_by="Globex", by=alice, at=now + DAY)
    assert (withdrawn.decline_reason, withdrawn.won_by) == ("", "")


@pytest.mark.parametrize("status", LOST_OFFER_STATUSES)
def test_a_lost_offer_needs_a_reason(application, alice, now, status):
    offer = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    if status == OfferStatus.RENEGED:
        services.set_offer_status(offer.pk, OfferStatus.ACCEPTED, by=alice, at=now)
    with writes_nothing(application), pytest.raises(ValidationError) as refused:
        services.set_offer_status(offer.pk, status, by=alice, at=now + DAY)
    assert refused.value.message_dict["decline_reason"] == ["Say why the candidate said no."]


def test_an_unknown_decline_reason_writes_nothing(application, alice, now):
    offer = services.record_offer(new_offer(application, status=OfferStatus.EXTENDED), by=alice, at=now)
    with writes_nothing(application), pytest.raises(ValidationError) as refused:
        services.set_offer_status(offer.pk, OfferStatus.DECLINED, decline_reason="bored", by=alice, at=now + DAY)
    assert refused.value.message_dict["decline_reason"] == ["Value 'bored' is not a valid choice."]


# Every (from, to) pair: allowed exactly when the product says so.
ALLOWED = {
    (OfferStatus.DRAFT, OfferStatus.APPROVED), (OfferStatus.DRAFT, OfferStatus.EXTENDED),
    (OfferStatus.DRAFT, OfferStatus.WITHDRAWN),
    (OfferStatus.APPROVED, OfferStatus.EXTENDED), (OfferStatus.APPROVED, OfferStatus.WITHDRAWN),
    (OfferStatus.EXTENDED, OfferStatus.ACCEPTED), (OfferStatus.EXTENDED, OfferStatus.DECLINED),
    (OfferStatus.EXTENDED, OfferStatus.WITHDRAWN), (OfferStatus.EXTENDED, OfferStatus.EXPIRED),
    (OfferStatus.ACCEPTED, OfferStatus.RENEGED),
}
PAIRS = [(src, dst) for src in OfferStatus.values for dst in OfferStatus.values]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{s}-to-{d}" for s, d in PAIRS])
def test_offer_status_moves(application, alice, now, from_status, to_status):
    offer = services.record_offer(new_offer(application), by=alice, at=now)
    lost = from_status in LOST_OFFER_STATUSES
    Offer.objects.filter(pk=offer.pk).update(status=from_status, decline_reason=LossReason.OTHER if lost else "")
    if (from_status, to_status) in ALLOWED:
        moved = services.set_offer_status(offer.pk, to_status, decline_reason=LossReason.COMPENSATION, by=alice,
                                          at=now + DAY)
        assert moved.status == to_status
        assert events(offer)[-1] == (from_status, to_status)
        return
    with writes_nothing(application), pytest.raises(ValidationError) as refused:
        services.set_offer_status(offer.pk, to_status, decline_reason=LossReason.COMPENSATION, by=alice,
                                  at=now + DAY)
    label = OfferStatus(from_status).label.lower()
    assert refused.value.message_dict["status"] == [f"An offer that is {label} cannot become '{to_status}'."]


def test_a_superseded_offer_is_final(application, alice, now):
    first = services.record_offer(new_offer(application), by=alice, at=now)
    services.record_offer(new_offer(application, "95000"), by=alice, at=now + DAY)
    with writes_nothing(application), pytest.raises(ValidationError) as refused:
        services.set_offer_status(first.pk, OfferStatus.EXTENDED, by=alice, at=now + 2 * DAY)
    assert refused.value.message_dict["status"] == [
        "An offer that is superseded by a revision cannot become 'extended'."
    ]
