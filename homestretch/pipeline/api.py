"""The pipeline over HTTP: clients, jobs, candidates, applications, stage moves and touchpoints.

Thin: each endpoint checks access with the helpers of pipeline/access.py, then calls the model
rules (full_clean) or the services, exactly as the pages and the command line do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import CharField
from django.utils import timezone
from ninja import Query, Router, Status

from homestretch.accounts.access import can_edit_shared_records, require_reader
from homestretch.accounts.models import User
from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import (
    READ,
    WRITE,
    Page,
    PageQuery,
    amounts_keep_their_currency,
    bounds_keep_their_order,
    empty_strings,
    errors_of,
    fields_as_sent,
    ordered_by,
    paginate_values,
    referenced,
    refuse_nulls,
)
from homestretch.lib.api_fields import Id
from homestretch.lib.planner import ComparedAsAValue
from homestretch.pipeline.access import (
    get_application_for_user,
    get_candidate_for_user,
    get_client_for_user,
    get_hiring_manager_for_user,
    get_job_for_user,
    get_touchpoint_for_user,
    visible_applications,
)

from . import candidate_count, records, services, stages
from .models import Candidate, Client, Job, StageChange, Touchpoint
from .schemas import (
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    CandidateFilters,
    CandidateIn,
    CandidateOut,
    CandidatePatch,
    ClientFilters,
    ClientIn,
    ClientOut,
    ClientPatch,
    JobCloseIn,
    JobFilters,
    JobIn,
    JobOut,
    JobPatch,
    StageChangeOut,
    StageMoveIn,
    TouchpointIn,
    TouchpointOut,
)

router = Router()

def require_shared_editor(user: User) -> None:
    if not can_edit_shared_records(user):
        raise PermissionDenied("Viewers read only; recruiters and admins change clients, jobs and candidates.")


def require_admin(user: User, what: str) -> None:
    if not user.is_admin:
        raise PermissionDenied(f"Only an admin deletes a {what}.")


# --- Clients


@router.get("/clients", response=errors_of(READ, 200, Page[ClientOut]), tags=["clients"])
def list_clients(request: AuthenticatedApiRequest, filters: Query[ClientFilters]):
    require_reader(request.auth)
    clients = Client.objects.order_by(*ordered_by(filters.ordering))
    if filters.q:
        clients = clients.filter(name__icontains=filters.q)
    return paginate_values(request, clients, filters, ClientOut)


@router.post("/clients", response=errors_of(WRITE, 201, ClientOut), tags=["clients"])
def create_client(request: AuthenticatedApiRequest, payload: ClientIn):
    require_shared_editor(request.auth)
    return Status(201, records.save_client(Client(**payload.dict())))


@router.get("/clients/{client_id}", response=errors_of(READ, 200, ClientOut), tags=["clients"])
def read_client(request: AuthenticatedApiRequest, client_id: Id):
    return get_client_for_user(request.auth, client_id)


@router.patch("/clients/{client_id}", response=errors_of(WRITE, 200, ClientOut), tags=["clients"])
def update_client(request: AuthenticatedApiRequest, client_id: Id, payload: ClientPatch):
    client = get_client_for_user(request.auth, client_id, for_change=True)
    changes = empty_strings(payload.dict(exclude_unset=True), ("industry", "size", "website", "notes"))
    for name, value in changes.items():
        setattr(client, name, value)
    return records.save_client(client)


@router.delete("/clients/{client_id}", response=errors_of(WRITE, 204, None), tags=["clients"])
def delete_client(request: AuthenticatedApiRequest, client_id: Id):
    client = get_client_for_user(request.auth, client_id, for_change=True)
    require_admin(request.auth, "client")
    client.delete()
    return Status(204, None)


# --- Jobs


def _job_references(user: User, job: Job) -> None:
    if job.client_id is not None:
        referenced(get_client_for_user, user, job.client_id, "client_id")
    if job.hiring_manager_id is not None:
        referenced(get_hiring_manager_for_user, user, job.hiring_manager_id, "hiring_manager_id")


@router.get("/jobs", response=errors_of(READ, 200, Page[JobOut]), tags=["jobs"])
def list_jobs(request: AuthenticatedApiRequest, filters: Query[JobFilters]):
    require_reader(request.auth)
    jobs = Job.objects.order_by(*ordered_by(filters.ordering))
    if filters.client_id is not None:
        jobs = jobs.filter(client_id=filters.client_id)
    if filters.status is not None:
        jobs = jobs.filter(status=filters.status)
    if filters.q:
        jobs = jobs.filter(title__icontains=filters.q)
    return paginate_values(request, jobs, filters, JobOut)


@router.post("/jobs", response=errors_of(WRITE, 201, JobOut), tags=["jobs"])
def create_job(request: AuthenticatedApiRequest, payload: JobIn):
    require_shared_editor(request.auth)
    job = Job(**payload.dict())
    _job_references(request.auth, job)
    return Status(201, services.save_job(job))


@router.get("/jobs/{job_id}", response=errors_of(READ, 200, JobOut), tags=["jobs"])
def read_job(request: AuthenticatedApiRequest, job_id: Id):
    return get_job_for_user(request.auth, job_id)


@router.patch("/jobs/{job_id}", response=errors_of(WRITE, 200, JobOut), tags=["jobs"])
def update_job(request: AuthenticatedApiRequest, job_id: Id, payload: JobPatch):
    job = get_job_for_user(request.auth, job_id, for_change=True)
    changes = payload.dict(exclude_unset=True)
    refuse_nulls(changes, ("client_id", "title", "seniority", "currency", "period", "remote_policy", "status"))
    changes = empty_strings(changes, ("skills", "location", "perks", "lessons"))
    status = changes.pop("status", job.status)  # moves only as closing the job lets it (services.change_job)
    bounds_keep_their_order(job, changes, "base_min", "base_max", "The pay band's minimum")
    for name, value in changes.items():
        setattr(job, name, value)
    _job_references(request.auth, job)
    return services.change_job(job, status=status, by=request.auth, at=timezone.now())


@router.post("/jobs/{job_id}/close", response=errors_of(WRITE, 200, JobOut), tags=["jobs"])
def close_job(request: AuthenticatedApiRequest, job_id: Id, payload: JobCloseIn):
    """Close an open job as filled or closed with its lessons; 409 when the rules refuse (already
    closed, filled with nobody hired, applications still open)."""
    get_job_for_user(request.auth, job_id, for_change=True)
    return services.close_job(job_id, status=payload.status, lessons=payload.lessons, by=request.auth,
                              at=payload.at or timezone.now())


@router.delete("/jobs/{job_id}", response=errors_of(WRITE, 204, None), tags=["jobs"])
def delete_job(request: AuthenticatedApiRequest, job_id: Id):
    job = get_job_for_user(request.auth, job_id, for_change=True)
    require_admin(request.auth, "job")
    job.delete()
    return Status(204, None)


# --- Candidates

CANDIDATE_TEXTS = ("email", "phone", "location", "current_employer", "current_title", "current_currency",
                   "skills", "source", "notes", "basis_obtained_how", "objection_note")


@router.get("/candidates", response=errors_of(READ, 200, Page[CandidateOut]), tags=["candidates"])
def list_candidates(request: AuthenticatedApiRequest, filters: Query[CandidateFilters]):
    require_reader(request.auth)
    candidates = Candidate.objects.order_by(*ordered_by(filters.ordering))
    if filters.q:
        candidates = candidates.filter(name__icontains=filters.q)
    if filters.email:
        candidates = candidates.filter(email__iexact=filters.email.strip())
    return paginate_values(request, candidates, filters, CandidateOut,
                           kept_total=candidate_count.kept_total(candidates))


@router.post("/candidates", response=errors_of(WRITE, 201, CandidateOut), tags=["candidates"])
def create_candidate(request: AuthenticatedApiRequest, payload: CandidateIn):
    require_shared_editor(request.auth)
    return Status(201, records.save_candidate(Candidate(**payload.dict()), at=timezone.now(),
                                              sent=payload.dict(exclude_unset=True)))


@router.get("/candidates/{candidate_id}", response=errors_of(READ, 200, CandidateOut), tags=["candidates"])
def read_candidate(request: AuthenticatedApiRequest, candidate_id: Id):
    return get_candidate_for_user(request.auth, candidate_id)


@router.patch("/candidates/{candidate_id}", response=errors_of(WRITE, 200, CandidateOut), tags=["candidates"])
def update_candidate(request: AuthenticatedApiRequest, candidate_id: Id, payload: CandidatePatch):
    candidate = get_candidate_for_user(request.auth, candidate_id, for_change=True)
    changes = payload.dict(exclude_unset=True)
    refuse_nulls(changes, ("name", "current_period", "consent_to_contact", "legal_basis"))
    changes = empty_strings(changes, CANDIDATE_TEXTS)
    amounts_keep_their_currency(candidate, changes, ("current_base",), "current_currency")
    for name, value in changes.items():
        setattr(candidate, name, value)
    return records.save_candidate(candidate, at=timezone.now(), sent=changes)


# DELETE /candidates/{candidate_id} is in homestretch/privacy/api.py: a deletion erases the person first
# (the audit's entries, mentions, mail files...), which is above the pipeline.


# --- Applications

# What a page of applications says of each beside its columns: the outcome its stage means (the model's rule).
OUTCOME = {"outcome": lambda row: str(stages.outcome_of(row["stage"]))}


@router.get("/applications", response=errors_of(READ, 200, Page[ApplicationOut]), tags=["applications"])
def list_applications(request: AuthenticatedApiRequest, filters: Query[ApplicationFilters]):
    applications = visible_applications(request.auth).order_by(*ordered_by(filters.ordering))
    for name in ("stage", "recruiter_id", "job_id", "candidate_id"):
        value = getattr(filters, name)
        if value is not None:
            applications = applications.filter(**{name: value})
    if filters.is_open is not None:
        # The stages named, not excluded. Compared as a value: on SQLite, which keeps no statistics, the
        # (stage, recruiter) index would otherwise fetch every open application (or every closed one) and
        # sort them all for a page, where walking the ordering's index stops at the page (0.03 ms against
        # 2.9 ms for the newest open ones). The total still counts through the stage index.
        named = sorted(stages.OPEN if filters.is_open else stages.CLOSED)
        counted = applications.filter(stage__in=named)
        applications = applications.alias(stage_value=ComparedAsAValue("stage", CharField())).filter(
            stage_value__in=named)
        return paginate_values(request, applications, filters, ApplicationOut, derived=OUTCOME, counted=counted)
    return paginate_values(request, applications, filters, ApplicationOut, derived=OUTCOME)


@router.post("/applications", response=errors_of(WRITE, 201, ApplicationOut), tags=["applications"])
def create_application(request: AuthenticatedApiRequest, payload: ApplicationIn):
    user = request.auth
    recruiter = records.recruiter_for(user, payload.recruiter_id if payload.recruiter_id is not None else user.pk,
                                      field_name="recruiter_id")
    candidate = referenced(get_candidate_for_user, user, payload.candidate_id, "candidate_id")
    job = referenced(get_job_for_user, user, payload.job_id, "job_id")
    application = services.open_application(
        candidate=candidate, job=job, recruiter=recruiter, by=user, at=payload.created_at or timezone.now(),
        stage=payload.stage, lessons=payload.lessons,
    )
    return Status(201, application)


@router.get("/applications/{application_id}", response=errors_of(READ, 200, ApplicationOut),
            tags=["applications"])
def read_application(request: AuthenticatedApiRequest, application_id: Id):
    return get_application_for_user(request.auth, application_id)


@router.patch("/applications/{application_id}", response=errors_of(WRITE, 200, ApplicationOut),
              tags=["applications"])
def update_application(request: AuthenticatedApiRequest, application_id: Id, payload: ApplicationPatch):
    """Hand the application to another recruiter or note what it taught us; stages move with /stage."""
    application = get_application_for_user(request.auth, application_id, for_change=True)
    changes = payload.dict(exclude_unset=True)
    fields = []
    if changes.get("recruiter_id") is not None:
        application.recruiter = records.recruiter_for(request.auth, changes["recruiter_id"], field_name="recruiter_id")
        fields.append("recruiter")
    if "lessons" in changes:
        application.lessons = changes["lessons"] or ""
        fields.append("lessons")
    return services.change_application(application, fields)


@router.delete("/applications/{application_id}", response=errors_of(WRITE, 204, None), tags=["applications"])
def delete_application(request: AuthenticatedApiRequest, application_id: Id):
    """Remove an application recorded by mistake, with its history (its team or an admin)."""
    application = get_application_for_user(request.auth, application_id, for_change=True)
    services.delete_application(application)
    return Status(204, None)


@router.post("/applications/{application_id}/stage", response=errors_of(WRITE, 200, ApplicationOut),
             tags=["applications"])
def move_stage(request: AuthenticatedApiRequest, application_id: Id, payload: StageMoveIn):
    """Move the application to another stage: 409 when its stage does not allow the move, 422 when a
    field is missing or has no place on this move (a reason on a close, lessons on a move that does
    not close)."""
    get_application_for_user(request.auth, application_id, for_change=True)
    move = services.StageMove(
        to_stage=payload.stage, reason=payload.reason, loss_reason=payload.loss_reason, reopen=payload.reopen,
        lessons=payload.lessons,
    )
    with fields_as_sent(to_stage="stage"):
        return services.move_stage(application_id, move, by=request.auth, at=payload.at or timezone.now())


@router.get("/applications/{application_id}/stage-changes", response=errors_of(READ, 200, list[StageChangeOut]),
            tags=["applications"])
def list_stage_changes(request: AuthenticatedApiRequest, application_id: Id):
    application = get_application_for_user(request.auth, application_id)
    return list(StageChange.objects.filter(application=application).order_by("at", "id"))


# --- Touchpoints


@router.get("/applications/{application_id}/touchpoints", response=errors_of(READ, 200, Page[TouchpointOut]),
            tags=["touchpoints"])
def list_touchpoints(request: AuthenticatedApiRequest, application_id: Id, page: Query[PageQuery]):
    require_reader(request.auth)
    touches = Touchpoint.objects.filter(application_id=application_id).order_by("-at", "-id")
    # The application is looked up only when the page is empty (it may not exist: 404 as before); a page
    # with touches says it exists, one round trip fewer for the usual request.
    return paginate_values(request, touches, page, TouchpointOut,
                           when_empty=lambda: get_application_for_user(request.auth, application_id))


@router.post("/applications/{application_id}/touchpoints", response=errors_of(WRITE, 201, TouchpointOut),
             tags=["touchpoints"])
def log_touchpoint(request: AuthenticatedApiRequest, application_id: Id, payload: TouchpointIn):
    application = get_application_for_user(request.auth, application_id, for_change=True)
    data = payload.dict()
    data["at"] = data["at"] or timezone.now()
    touchpoint = Touchpoint(application=application, candidate_id=application.candidate_id,
                            recruiter=request.auth, **data)
    services.log_touchpoint(touchpoint)
    return Status(201, touchpoint)


@router.get("/touchpoints/{touchpoint_id}", response=errors_of(READ, 200, TouchpointOut), tags=["touchpoints"])
def read_touchpoint(request: AuthenticatedApiRequest, touchpoint_id: Id):
    return get_touchpoint_for_user(request.auth, touchpoint_id)


@router.delete("/touchpoints/{touchpoint_id}", response=errors_of(WRITE, 204, None), tags=["touchpoints"])
def delete_touchpoint(request: AuthenticatedApiRequest, touchpoint_id: Id):
    touchpoint = get_touchpoint_for_user(request.auth, touchpoint_id, for_change=True)
    services.delete_touchpoint(touchpoint)
    return Status(204, None)
