"""Workflows over offers: record our offer (a revision supersedes the open one), change its status,
record a competing offer, set a candidate's priorities. Every change of an offer is audited, and
every change of a competing offer dated. Each counts, in its transaction, a change on the
applications whose risk it moves (homestretch.pipeline.changes): an offer is its application's, a
competing offer or priorities are the candidate's, so all of the candidate's applications."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.lib import limits
from homestretch.lib.refusals import CLOSED, INVALID_CHOICE, MISSING, NON_FIELD, TRANSITION, Refused
from homestretch.pipeline import changes
from homestretch.pipeline.models import Application

from .choices import LOST_OFFER_STATUSES, OPEN_OFFER_STATUSES, OfferStatus
from .models import COMPETING_SNAPSHOT_FIELDS, CompetingOffer, CompetingOfferChange, Offer, OfferEvent, Priorities

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
        raise Refused("status", "A new offer starts as draft, approved or extended.", INVALID_CHOICE)
    offer.created_by = by
    offer.created_at = at
    with transaction.atomic():
        # Lock the application so that two revisions recorded at once get distinct numbers.
        application = Application.objects.select_for_update().filter(pk=offer.application_id).first()
        if application is not None and application.is_closed:
            raise Refused(NON_FIELD, f"The application is closed ({application.get_stage_display()}); "
                          "reopen it before making a new offer.", CLOSED)
        if application is not None:
            offer.application = application  # loaded already: the audit reads the candidate from it, not again
        latest = Offer.objects.filter(application_id=offer.application_id).aggregate(n=Max("revision"))["n"]
        offer.revision = (latest or 0) + 1
        offer.full_clean(validate_constraints=False)
        limits.check_live_dates({"start_date": offer.start_date, "expires_on": offer.expires_on}, now=at)
        superseded = list(
            Offer.objects.filter(application_id=offer.application_id, status__in=OPEN_OFFER_STATUSES)
        )
        for previous in superseded:
            OfferEvent.objects.create(
                offer=previous, at=at, by=by, from_status=previous.status, to_status=OfferStatus.SUPERSEDED,
                note=f"Superseded by revision {offer.revision}",
            )
            # Saved row by row (one open offer at most), so that the audit records each one's change of status.
            previous.status = OfferStatus.SUPERSEDED
            if application is not None:
                previous.application = application
            previous.save(update_fields=["status", "updated_at"])
        if offer.status == OfferStatus.EXTENDED and offer.sent_at is None:
            offer.sent_at = at
        offer.validate_constraints()
        offer.save()
        OfferEvent.objects.create(offer=offer, at=at, by=by, from_status="", to_status=offer.status)
        changes.count_change(application_ids=[offer.application_id])
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
            raise Refused(
                "status", f"An offer that is {offer.get_status_display().lower()} cannot become '{status}'.",
                TRANSITION,
            )
        if status in LOST_OFFER_STATUSES and not decline_reason:
            raise Refused("decline_reason", "Say why the candidate said no.", MISSING)
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
        changes.count_change(application_ids=[offer.application_id])
    return offer


def record_competing_offer(
    competing: CompetingOffer, *, by: User | None, at: datetime | None = None,
) -> CompetingOffer:
    """Save a new or changed competing process or offer after checking every rule on it, and keep
    what it says, dated, in its changes (so that a past moment is scored as it was known then).

    A new offer's first change is dated when it was learned (`learned_at`); an edit's, `at` (the
    clock when not given, never before the offer's latest change), and an edit that changes none of
    the fields the risk engine reads writes none. Every save of a competing offer goes through here:
    the API, the pages and the back office. A new one is recorded by `by` and `by`'s team; an edit
    keeps who recorded it (access to the edit is checked before: homestretch.offers.access).
    """
    competing.full_clean()  # also turns what was typed into the fields' types, so that it compares
    with transaction.atomic():
        if competing.pk is None:
            limits.check_live_dates({"deadline": competing.deadline}, now=at or competing.learned_at)
            competing.recorded_by, competing.recorded_by_team_id = by, _team_of(by)
            competing.save()
            CompetingOfferChange.of(competing, at=competing.learned_at, by=by).save()
            changes.count_change(candidate_ids=[competing.candidate_id])
            return competing
        # Locked, so that two edits at once each compare with the change the other wrote.
        stored = CompetingOffer.objects.select_for_update().get(pk=competing.pk)
        if competing.deadline != stored.deadline:  # an old record's deadline may stay as it was
            limits.check_live_dates({"deadline": competing.deadline}, now=at or timezone.now())
        # Who recorded it stays, whoever edits it (an admin in the back office included).
        competing.recorded_by_id, competing.recorded_by_team_id = stored.recorded_by_id, stored.recorded_by_team_id
        latest = competing.changes.order_by("-at", "-id").first()
        if latest is None:
            # Recorded before changes were kept, or written around the services: its history starts
            # with what it said until this edit, from when it was learned.
            latest = CompetingOfferChange.of(stored, at=stored.learned_at)
            latest.by_id = stored.recorded_by_id
            latest.save()
        competing.save()
        if _says(competing) != _says(latest):
            # Never before the latest change: what the row says now is what the history ends with.
            CompetingOfferChange.of(competing, at=max(at or timezone.now(), latest.at), by=by).save()
        # The back office may move it to another candidate: both are concerned.
        changes.count_change(candidate_ids=[competing.candidate_id, stored.candidate_id])
    return competing


def _team_of(by: User | None) -> int | None:
    """The team a new competing offer or version of priorities belongs to: its recorder's. Only that
    team (or an admin) may change it (homestretch.offers.access); an edit keeps it, whoever edits."""
    return by.team_id if by is not None else None


def _says(record: CompetingOffer | CompetingOfferChange) -> tuple:
    return tuple(getattr(record, name) for name in COMPETING_SNAPSHOT_FIELDS)


def set_priorities(priorities: Priorities, *, by: User | None, at: datetime) -> Priorities:
    """Record the candidate's priorities as of `at`; earlier ones stay in the history."""
    if priorities.pk is not None:
        raise ValueError("priorities are recorded anew each time, never changed in place")
    priorities.as_of = at
    priorities.recorded_by, priorities.recorded_by_team_id = by, _team_of(by)
    priorities.full_clean()
    limits.check_live_dates({"earliest_start": priorities.earliest_start}, now=at)
    with transaction.atomic():
        priorities.save()
        changes.count_change(candidate_ids=[priorities.candidate_id])
    return priorities


def delete_offer(offer: Offer) -> None:
    """Remove an offer recorded by mistake, with its audit trail (the back office, admins only)."""
    with transaction.atomic():
        offer.delete()
        changes.count_change(application_ids=[offer.application_id])


def delete_competing_offer(competing: CompetingOffer) -> None:
    """Remove a competing process recorded by mistake, with its dated changes."""
    with transaction.atomic():
        competing.delete()
        changes.count_change(candidate_ids=[competing.candidate_id])


def delete_priorities(priorities: Priorities) -> None:
    """Remove one recorded version of a candidate's priorities (the back office, admins only)."""
    with transaction.atomic():
        priorities.delete()
        changes.count_change(candidate_ids=[priorities.candidate_id])
