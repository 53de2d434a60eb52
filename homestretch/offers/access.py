"""Who may read and change our offers, competing offers and priorities (roles: homestretch.accounts.access)."""

from __future__ import annotations

from homestretch.accounts.access import get_or_404, require, require_reader
from homestretch.accounts.models import User
from homestretch.pipeline.access import can_change_application, can_change_candidate_facts

from .models import CompetingOffer, Offer, Priorities


def get_offer_for_user(user: User, pk: int, *, for_change: bool = False) -> Offer:
    require_reader(user)
    offer = get_or_404(Offer.objects.select_related("application__recruiter"), pk, "offer")
    if for_change:
        require(can_change_application(user, offer.application), "offer")
    return offer


def get_competing_offer_for_user(user: User, pk: int, *, for_change: bool = False) -> CompetingOffer:
    require_reader(user)
    competing = get_or_404(CompetingOffer.objects.select_related("candidate"), pk, "competing offer")
    if for_change:
        require(can_change_candidate_facts(user, competing.candidate), "competing offer")
    return competing


def get_priorities_for_user(user: User, pk: int, *, for_change: bool = False) -> Priorities:
    require_reader(user)
    priorities = get_or_404(Priorities.objects.select_related("candidate"), pk, "priorities")
    if for_change:
        require(can_change_candidate_facts(user, priorities.candidate), "candidate's priorities")
    return priorities
