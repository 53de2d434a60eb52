"""Who may read and change our offers, competing offers and priorities (roles: homestretch.accounts.access).

A competing offer or a version of priorities is what the candidate told one team. Every signed-in user
reads them all; a recruiter whose team has the candidate in its pipeline (or a candidate in nobody's
yet) may add their own (homestretch.pipeline.access.can_change_candidate_facts); only the team that
recorded one, or an admin, may change it, delete it or say it is no longer confidential. A record
whose team is not known (recorded before teams were kept, or by an admin with no team) is nobody's:
any team that may add facts about the candidate may change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from homestretch.accounts.access import can_change_team, get_or_404, require, require_reader
from homestretch.accounts.choices import Role
from homestretch.accounts.models import User
from homestretch.pipeline.access import can_change_application, can_change_candidate_facts

from .models import CompetingOffer, Offer, Priorities

_RECORDED = ("candidate", "recorded_by", "recorded_by_team")  # what the rule and the refusal read


def get_offer_for_user(user: User, pk: int, *, for_change: bool = False) -> Offer:
    require_reader(user)
    offer = get_or_404(Offer.objects.select_related("application__recruiter"), pk, "offer")
    if for_change:
        require(can_change_application(user, offer.application), "offer")
    return offer


def can_change_candidate_fact(user: User, fact: CompetingOffer | Priorities, *, may_add: bool | None = None) -> bool:
    """May `user` change, delete or un-confidential this competing offer or version of priorities?

    `may_add`: can_change_candidate_facts(user, fact.candidate) when the caller knows it already (a
    page listing one candidate's facts asks once, not once per fact)."""
    if fact.recorded_by_team_id is not None:
        return can_change_team(user, fact.recorded_by_team_id)
    return may_add if may_add is not None else can_change_candidate_facts(user, fact.candidate)


def _require_change(user: User, fact: CompetingOffer | Priorities, what: str) -> None:
    if can_change_candidate_fact(user, fact):
        return
    team = fact.recorded_by_team
    if team is not None and user.role == Role.RECRUITER:  # a viewer changes nothing, whoever recorded it
        raise PermissionDenied(f"You may read this {what} but not change it: {team.name} recorded it, and only "
                               f"{team.name} or an admin may change or delete it. Record your own instead.")
    require(False, what)


def get_competing_offer_for_user(user: User, pk: int, *, for_change: bool = False) -> CompetingOffer:
    require_reader(user)
    competing = get_or_404(CompetingOffer.objects.select_related(*_RECORDED), pk, "competing offer")
    if for_change:
        _require_change(user, competing, "competing offer")
    return competing


def get_priorities_for_user(user: User, pk: int, *, for_change: bool = False) -> Priorities:
    require_reader(user)
    priorities = get_or_404(Priorities.objects.select_related(*_RECORDED), pk, "priorities")
    if for_change:
        _require_change(user, priorities, "candidate's priorities")
    return priorities
