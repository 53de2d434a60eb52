"""Who may read and change clients, hiring managers, jobs, candidates, applications and touchpoints.

The roles are in homestretch.accounts.access; this module applies them to the pipeline's records.
"""

from __future__ import annotations

from django.db.models import QuerySet

from homestretch.accounts.access import (
    can_change_team,
    can_edit_shared_records,
    can_read,
    get_or_404,
    require,
    require_reader,
)
from homestretch.accounts.choices import Role
from homestretch.accounts.models import User

from .models import Application, Candidate, Client, HiringManager, Job, Touchpoint


def can_change_application(user: User, application: Application) -> bool:
    return can_change_team(user, application.recruiter.team_id)


def candidate_team_ids(candidate_id: int) -> set[int]:
    return set(
        Application.objects.filter(candidate_id=candidate_id).values_list("recruiter__team_id", flat=True)
    )


def can_change_candidate_facts(user: User, candidate: Candidate) -> bool:
    """Competing offers and priorities are about the candidate: a team may add them when it has the
    candidate in its pipeline, or when nobody has yet (a newly sourced candidate). Changing one is for
    the team that recorded it (homestretch.offers.access.can_change_candidate_fact)."""
    if not can_read(user):
        return False
    if user.is_admin:
        return True
    if user.role != Role.RECRUITER:
        return False
    teams = candidate_team_ids(candidate.pk)
    return not teams or user.team_id in teams


def get_client_for_user(user: User, pk: int, *, for_change: bool = False) -> Client:
    require_reader(user)
    client = get_or_404(Client.objects.all(), pk, "client")
    if for_change:
        require(can_edit_shared_records(user), "client")
    return client


def get_hiring_manager_for_user(user: User, pk: int, *, for_change: bool = False) -> HiringManager:
    require_reader(user)
    hiring_manager = get_or_404(HiringManager.objects.select_related("client"), pk, "hiring manager")
    if for_change:
        require(can_edit_shared_records(user), "hiring manager")
    return hiring_manager


def get_job_for_user(user: User, pk: int, *, for_change: bool = False) -> Job:
    require_reader(user)
    job = get_or_404(Job.objects.select_related("client", "hiring_manager"), pk, "job")
    if for_change:
        require(can_edit_shared_records(user), "job")
    return job


def get_candidate_for_user(user: User, pk: int, *, for_change: bool = False) -> Candidate:
    require_reader(user)
    candidate = get_or_404(Candidate.objects.all(), pk, "candidate")
    if for_change:
        require(can_edit_shared_records(user), "candidate")
    return candidate


def get_candidate_facts_for_user(user: User, pk: int, *, for_change: bool = False) -> Candidate:
    """The candidate, for reading their competing offers and priorities or adding to them."""
    candidate = get_candidate_for_user(user, pk)
    if for_change:
        require(can_change_candidate_facts(user, candidate), "candidate's offers and priorities")
    return candidate


def get_application_for_user(user: User, pk: int, *, for_change: bool = False) -> Application:
    require_reader(user)
    application = get_or_404(
        Application.objects.select_related("candidate", "job__client", "recruiter__team"), pk, "application"
    )
    if for_change:
        require(can_change_application(user, application), "application")
    return application


def get_touchpoint_for_user(user: User, pk: int, *, for_change: bool = False) -> Touchpoint:
    require_reader(user)
    touchpoint = get_or_404(Touchpoint.objects.select_related("application__recruiter", "candidate"), pk, "touchpoint")
    if for_change:
        if touchpoint.application is not None:
            allowed = can_change_application(user, touchpoint.application)
        else:
            allowed = can_change_candidate_facts(user, touchpoint.candidate)
        require(allowed, "touchpoint")
    return touchpoint


def visible_applications(user: User) -> QuerySet[Application]:
    """Everything in the organisation is readable by every signed-in user."""
    require_reader(user)
    return Application.objects.all()
