"""Who may read and change what. Pages, the API and the command line all go through these helpers.

One organisation per installation:
- admin: everything, users and settings included;
- recruiter: reads everything in the organisation; changes the applications, touchpoints, offers,
  competing offers and priorities of their own team's candidates; creates and edits the shared
  records (clients, hiring managers, jobs, candidates); deletes nothing but their team's records;
- viewer: reads only.

Each `get_<object>_for_user` returns the object or raises Http404 when it does not exist and
PermissionDenied when the user may not do what `for_change` asks.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.models import Application, Candidate, Client, HiringManager, Job, Touchpoint

from .choices import Role
from .models import User


def can_read(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_edit_shared_records(user: User) -> bool:
    """Clients, hiring managers, jobs and candidates are the organisation's, not one team's."""
    return can_read(user) and (user.is_admin or user.role == Role.RECRUITER)


def can_change_team(user: User, team_id: int | None) -> bool:
    """May the user change the pipeline records owned by this team?"""
    if not can_read(user):
        return False
    if user.is_admin:
        return True
    return user.role == Role.RECRUITER and team_id is not None and user.team_id == team_id


def can_change_application(user: User, application: Application) -> bool:
    return can_change_team(user, application.recruiter.team_id)


def candidate_team_ids(candidate_id: int) -> set[int]:
    return set(
        Application.objects.filter(candidate_id=candidate_id).values_list("recruiter__team_id", flat=True)
    )


def can_change_candidate_facts(user: User, candidate: Candidate) -> bool:
    """Competing offers and priorities belong to the candidate: a team may change them when it has
    the candidate in its pipeline, or when nobody has yet (a newly sourced candidate)."""
    if not can_read(user):
        return False
    if user.is_admin:
        return True
    if user.role != Role.RECRUITER:
        return False
    teams = candidate_team_ids(candidate.pk)
    return not teams or user.team_id in teams


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(f"You may read this {what} but not change it.")


def _get(queryset, pk, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {what} with id {pk}.") from None


def require_reader(user: User) -> None:
    """Every signed-in, active user reads everything in the organisation; nobody else reads anything."""
    if not can_read(user):
        raise PermissionDenied("Sign in to see this.")


def get_client_for_user(user: User, pk: int, *, for_change: bool = False) -> Client:
    require_reader(user)
    client = _get(Client.objects.all(), pk, "client")
    if for_change:
        _require(can_edit_shared_records(user), "client")
    return client


def get_hiring_manager_for_user(user: User, pk: int, *, for_change: bool = False) -> HiringManager:
    require_reader(user)
    hiring_manager = _get(HiringManager.objects.select_related("client"), pk, "hiring manager")
    if for_change:
        _require(can_edit_shared_records(user), "hiring manager")
    return hiring_manager


def get_job_for_user(user: User, pk: int, *, for_change: bool = False) -> Job:
    require_reader(user)
    job = _get(Job.objects.select_related("client", "hiring_manager"), pk, "job")
    if for_change:
        _require(can_edit_shared_records(user), "job")
    return job


def get_candidate_for_user(user: User, pk: int, *, for_change: bool = False) -> Candidate:
    require_reader(user)
    candidate = _get(Candidate.objects.all(), pk, "candidate")
    if for_change:
        _require(can_edit_shared_records(user), "candidate")
    return candidate


def get_candidate_facts_for_user(user: User, pk: int, *, for_change: bool = False) -> Candidate:
    """The candidate, for reading or changing their competing offers and priorities."""
    candidate = get_candidate_for_user(user, pk)
    if for_change:
        _require(can_change_candidate_facts(user, candidate), "candidate's offers and priorities")
    return candidate


def get_application_for_user(user: User, pk: int, *, for_change: bool = False) -> Application:
    require_reader(user)
    application = _get(
        Application.objects.select_related("candidate", "job__client", "recruiter__team"), pk, "application"
    )
    if for_change:
        _require(can_change_application(user, application), "application")
    return application


def get_touchpoint_for_user(user: User, pk: int, *, for_change: bool = False) -> Touchpoint:
    require_reader(user)
    touchpoint = _get(Touchpoint.objects.select_related("application__recruiter", "candidate"), pk, "touchpoint")
    if for_change:
        if touchpoint.application_id:
            allowed = can_change_application(user, touchpoint.application)
        else:
            allowed = can_change_candidate_facts(user, touchpoint.candidate)
        _require(allowed, "touchpoint")
    return touchpoint


def get_offer_for_user(user: User, pk: int, *, for_change: bool = False) -> Offer:
    require_reader(user)
    offer = _get(Offer.objects.select_related("application__recruiter"), pk, "offer")
    if for_change:
        _require(can_change_application(user, offer.application), "offer")
    return offer


def get_competing_offer_for_user(user: User, pk: int, *, for_change: bool = False) -> CompetingOffer:
    require_reader(user)
    competing = _get(CompetingOffer.objects.select_related("candidate"), pk, "competing offer")
    if for_change:
        _require(can_change_candidate_facts(user, competing.candidate), "competing offer")
    return competing


def get_priorities_for_user(user: User, pk: int, *, for_change: bool = False) -> Priorities:
    require_reader(user)
    priorities = _get(Priorities.objects.select_related("candidate"), pk, "priorities")
    if for_change:
        _require(can_change_candidate_facts(user, priorities.candidate), "candidate's priorities")
    return priorities


def visible_applications(user: User):
    """Everything in the organisation is readable by every signed-in user."""
    require_reader(user)
    return Application.objects.all()
