"""Offers over HTTP: our offers and their revisions, competing offers, the candidate's priorities."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router, Status

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import (
    READ,
    WRITE,
    amounts_keep_their_currency,
    empty_strings,
    errors_of,
    fields_as_sent,
    referenced,
    refuse_nulls,
)
from homestretch.lib.api_fields import Id
from homestretch.offers.access import get_competing_offer_for_user, get_offer_for_user
from homestretch.pipeline.access import get_application_for_user, get_candidate_facts_for_user, get_touchpoint_for_user

from . import services
from .models import CompetingOffer, Offer, Priorities, priorities_for_team
from .schemas import (
    CompetingOfferIn,
    CompetingOfferOut,
    CompetingOfferPatch,
    OfferIn,
    OfferOut,
    OfferStatusIn,
    PrioritiesHistoryOut,
    PrioritiesIn,
    PrioritiesOut,
)

router = Router()


# --- Our offers


@router.get("/applications/{application_id}/offers", response=errors_of(READ, 200, list[OfferOut]), tags=["offers"])
def list_offers(request: AuthenticatedApiRequest, application_id: Id):
    """Every offer of the application, the newest revision first; superseded ones stay in the history."""
    application = get_application_for_user(request.auth, application_id)
    return list(Offer.objects.filter(application=application).order_by("-revision"))


@router.post("/applications/{application_id}/offers", response=errors_of(WRITE, 201, OfferOut), tags=["offers"])
def record_offer(request: AuthenticatedApiRequest, application_id: Id, payload: OfferIn):
    application = get_application_for_user(request.auth, application_id, for_change=True)
    data = payload.dict()
    at = data.pop("at") or timezone.now()
    offer = Offer(application=application, **data)
    return Status(201, services.record_offer(offer, by=request.auth, at=at))


@router.get("/offers/{offer_id}", response=errors_of(READ, 200, OfferOut), tags=["offers"])
def read_offer(request: AuthenticatedApiRequest, offer_id: Id):
    return get_offer_for_user(request.auth, offer_id)


@router.post("/offers/{offer_id}/status", response=errors_of(WRITE, 200, OfferOut), tags=["offers"])
def set_offer_status(request: AuthenticatedApiRequest, offer_id: Id, payload: OfferStatusIn):
    """Move the offer on (extended, accepted, declined…); 409 when its status does not allow the move."""
    offer = get_offer_for_user(request.auth, offer_id, for_change=True)
    return services.set_offer_status(
        offer.pk, payload.status, by=request.auth, at=payload.at or timezone.now(),
        decline_reason=payload.decline_reason, won_by=payload.won_by, note=payload.note,
    )


# --- Competing offers


def _learned_in(request: AuthenticatedApiRequest, touchpoint_id: int | None) -> None:
    """The touchpoint named must be one the caller may read (whose candidate it is, CompetingOffer.clean
    says)."""
    if touchpoint_id is not None:
        referenced(get_touchpoint_for_user, request.auth, touchpoint_id, "learned_in_id")


@router.get("/candidates/{candidate_id}/competing-offers", response=errors_of(READ, 200, list[CompetingOfferOut]),
            tags=["competing offers"])
def list_competing_offers(request: AuthenticatedApiRequest, candidate_id: Id):
    candidate = get_candidate_facts_for_user(request.auth, candidate_id)
    return list(CompetingOffer.objects.filter(candidate=candidate).order_by("-learned_at", "-id"))


@router.post("/candidates/{candidate_id}/competing-offers", response=errors_of(WRITE, 201, CompetingOfferOut),
             tags=["competing offers"])
def record_competing_offer(request: AuthenticatedApiRequest, candidate_id: Id, payload: CompetingOfferIn):
    candidate = get_candidate_facts_for_user(request.auth, candidate_id, for_change=True)
    data = payload.dict()
    data["learned_at"] = data["learned_at"] or timezone.now()
    _learned_in(request, data["learned_in_id"])
    competing = CompetingOffer(candidate=candidate, **data)
    with fields_as_sent(learned_in="learned_in_id"):
        return Status(201, services.record_competing_offer(competing, by=request.auth))


@router.get("/competing-offers/{competing_offer_id}", response=errors_of(READ, 200, CompetingOfferOut),
            tags=["competing offers"])
def read_competing_offer(request: AuthenticatedApiRequest, competing_offer_id: Id):
    return get_competing_offer_for_user(request.auth, competing_offer_id)


@router.patch("/competing-offers/{competing_offer_id}", response=errors_of(WRITE, 200, CompetingOfferOut),
              tags=["competing offers"])
def update_competing_offer(request: AuthenticatedApiRequest, competing_offer_id: Id, payload: CompetingOfferPatch):
    competing = get_competing_offer_for_user(request.auth, competing_offer_id, for_change=True)
    changes = payload.dict(exclude_unset=True)
    refuse_nulls(changes, ("company", "kind", "stage", "period", "confidential"))
    changes = empty_strings(changes, ("role", "currency", "remote_policy", "notes"))
    amounts_keep_their_currency(competing, changes, ("base", "bonus", "equity"), "currency")
    if "learned_in_id" in changes:
        _learned_in(request, changes["learned_in_id"])
    for name, value in changes.items():
        setattr(competing, name, value)
    with fields_as_sent(learned_in="learned_in_id"):
        return services.record_competing_offer(competing, by=request.auth)


@router.delete("/competing-offers/{competing_offer_id}", response=errors_of(WRITE, 204, None),
               tags=["competing offers"])
def delete_competing_offer(request: AuthenticatedApiRequest, competing_offer_id: Id):
    competing = get_competing_offer_for_user(request.auth, competing_offer_id, for_change=True)
    services.delete_competing_offer(competing)
    return Status(204, None)


# --- Priorities


@router.get("/candidates/{candidate_id}/priorities", response=errors_of(READ, 200, PrioritiesHistoryOut),
            tags=["priorities"])
def read_priorities(request: AuthenticatedApiRequest, candidate_id: Id):
    """The candidate's current priorities for your team (null until some are recorded): the newest your
    team recorded, else the newest of any team, as your team's risk and briefs read them; and every
    version, each with the team that recorded it."""
    candidate = get_candidate_facts_for_user(request.auth, candidate_id)
    history = list(Priorities.objects.filter(candidate=candidate).order_by("-as_of", "-id"))
    current = priorities_for_team(((p.recorded_by_team_id, p) for p in history), request.auth.team_id)
    return {"current": current, "history": history}


@router.put("/candidates/{candidate_id}/priorities", response=errors_of(WRITE, 200, PrioritiesOut),
            tags=["priorities"])
def set_priorities(request: AuthenticatedApiRequest, candidate_id: Id, payload: PrioritiesIn):
    """Record the candidate's current priorities as your team's, dated; the earlier ones, and other
    teams' (which their own risk and briefs keep reading), stay in the history."""
    candidate = get_candidate_facts_for_user(request.auth, candidate_id, for_change=True)
    data = payload.dict()
    at = data.pop("as_of") or timezone.now()
    return services.set_priorities(Priorities(candidate=candidate, **data), by=request.auth, at=at)
