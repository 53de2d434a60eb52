"""Workflows over offers: record our offer (a revision supersedes the open one), change its status,
record a competing offer, set a candidate's priorities. Every change of an offer is audited."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from homestretch.accounts.models import User
from homestretch.pipeline.models import Application

from .choices import LOST_OFFER_STATUSES, OPEN_OFFER_STATUSES, OfferStatus
from .models import CompetingOffer, Offer, OfferEvent, Priorities

# Where an offer may go from each status. Closed statuses are final: a new revision is the way on.
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OfferStatus.DRAFT: frozenset({OfferStatus.APPROVED, OfferStatus.EXTENDED, OfferStatus.WITHDRAWN}),
    OfferStatus.APPROVED: frozenset({OfferStatus.EXTENDED, OfferStatus.WITHDRAWN}),
    OfferStatus.EXTENDED: frozenset({
        OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN, OfferStatus.EXPIRED,
    }),
    OfferStatus.ACCEPTED: frozenset({OfferStatus.RENEGED}),
}


def record_offer(offer: Offer, *, by: User | None, at: datetime) -> Offer:
    """Save a new offer for its application. An open offer there becomes superseded and is kept."""
    if offer.pk is not None:
        raise ValueError("record_offer records a new offer; use set_offer_status to change one")
    if offer.status not in OPEN_OFFER_STATUSES:
        raise ValidationError({"status": "A new offer starts as draft, approved or extended."})
    offer.created_by = by
    offer.created_at = at
    with transaction.atomic():
        # Lock the application so that two revisions recorded at once get distinct numbers.
        application = Application.objects.select_for_update().filter(pk=offer.application_id).first()
        if application is not None and application.is_closed:
            raise ValidationError(
                {"application": f"The application is closed ({application.get_stage_display()}); "
                 "reopen it before making a new offer."}
            )
        latest = Offer.objects.filter(application_id=offer.application_id).aggregate(n=Max("revision"))["n"]
        offer.revision = (latest or 0) + 1
        offer.full_clean(validate_constraints=False)
        superseded = list(
            Offer.objects.filter(application_id=offer.application_id, status__in=OPEN_OFFER_STATUSES)
        )
        for previous in superseded:
            OfferEvent.objects.create(
                offer=previous, at=at, by=by, from_status=previous.status, to_status=OfferStatus.SUPERSEDED,
                note=f"Superseded by revision {offer.revision}",
            )
        Offer.objects.filter(pk__in=[p.pk for p in superseded]).update(status=OfferStatus.SUPERSEDED)
        if offer.status == OfferStatus.EXTENDED and offer.sent_at is None:
            offer.sent_at = at
        offer.validate_constraints()
        offer.save()
        OfferEvent.objects.create(offer=offer, at=at, by=by, from_status="", to_status=offer.status)
    return offer


def set_offer_status(
    offer_id: int, status: str, *, by: User | None, at: datetime,
    decline_reason: str = "", won_by: str = "", note: str = "",
) -> Offer:
    """Move an offer to another status, refusing moves that make no sense."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer_id)
        allowed = OFFER_TRANSITIONS.get(offer.status, frozenset())
        if status not in allowed:
            raise ValidationError(
                {"status": f"An offer that is {offer.get_status_display().lower()} cannot become '{status}'."}
            )
        if status in LOST_OFFER_STATUSES and not decline_reason:
            raise ValidationError({"decline_reason": "Say why the candidate said no."})
        previous = offer.status
        offer.status = status
        offer.decline_reason = decline_reason if status in LOST_OFFER_STATUSES else ""
        offer.won_by = won_by if status in LOST_OFFER_STATUSES else ""
        if status == OfferStatus.EXTENDED and offer.sent_at is None:
            offer.sent_at = at
        if status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
            offer.responded_at = at
        offer.full_clean()
        offer.save()
        OfferEvent.objects.create(offer=offer, at=at, by=by, from_status=previous, to_status=status, note=note)
    return offer


def record_competing_offer(competing: CompetingOffer, *, by: User | None) -> CompetingOffer:
    """Save a new or changed competing process or offer after checking every rule on it."""
    if competing.pk is None:
        competing.recorded_by = by
    competing.full_clean()
    competing.save()
    return competing


def set_priorities(priorities: Priorities, *, by: User | None, at: datetime) -> Priorities:
    """Record the candidate's priorities as of `at`; earlier ones stay in the history."""
    if priorities.pk is not None:
        raise ValueError("priorities are recorded anew each time, never changed in place")
    priorities.as_of = at
    priorities.recorded_by = by
    priorities.full_clean()
    priorities.save()
    return priorities
