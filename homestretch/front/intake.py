"""Bringing work in from the web app (recruiters of the team and admins): a new application in one
page, with the candidate, job, client and hiring manager it needs; the edits of a candidate, a job, a
client and its hiring managers; handing an application to another recruiter of the team; and the
small JSON search the new-application page finds candidates and jobs with as one types.

Thin, like front/views.py: every record comes through the access helpers of pipeline/access.py and
every write goes through pipeline/records.py or pipeline/services.py, as the API's do. A refusal is
shown beside its field with everything typed kept; a viewer gets the 403 page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from homestretch.accounts.access import can_edit_shared_records
from homestretch.accounts.models import User
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.pipeline import records, services
from homestretch.pipeline.access import (
    get_application_for_user,
    get_candidate_for_user,
    get_client_for_user,
    get_job_for_user,
)
from homestretch.pipeline.models import Candidate, Client, HiringManager, Job

from .forms import attach_errors
from .intake_forms import (
    CandidateForm,
    ClientForm,
    HandOverForm,
    HiringManagerFormSet,
    JobForm,
    NewApplicationForm,
    place_refusal,
)
from .views import page_now


def require_editor(user: User) -> None:
    if not can_edit_shared_records(user):
        raise PermissionDenied("Viewers read only; recruiters and admins add and correct candidates, jobs and "
                               "clients.")


# --- The search as one types -----------------------------------------------------------------------


def candidate_label(candidate: Candidate) -> str:
    return candidate.name + (f" · {candidate.email}" if candidate.email else "") + (
        f" · {candidate.phone}" if candidate.phone and not candidate.email else "")


def candidate_detail(candidate: Candidate) -> str:
    return " at ".join(part for part in (candidate.current_title, candidate.current_employer) if part)


def job_label(job: Job) -> str:
    return f"{job.client.name} · {job.title}"


@require_GET
def search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """`?kind=candidate|job&q=…`: at most records.PICK_LIMIT matches, as {id, label, detail}; the
    candidates in the user's team's pipeline first. For those who may open applications only."""
    require_editor(request.user)
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind")
    if kind == "candidate":
        results = [{"id": c.pk, "label": candidate_label(c), "detail": candidate_detail(c)}
                   for c in records.find_candidates(query, team_id=request.user.team_id)]
    elif kind == "job":
        results = [{"id": j.pk, "label": job_label(j), "detail": j.location}
                   for j in records.find_jobs(query)]
    else:
        return JsonResponse({"error": "kind is candidate or job"}, status=400)
    return JsonResponse({"results": results})


# --- A new application -----------------------------------------------------------------------------


def _id(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _stage_moment(day: date, now: datetime) -> datetime:
    """Today is now; an earlier day is its start in the organisation's time zone (the stage date says
    the day, not the hour); a day ahead stays ahead, for the rule to refuse."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time.min))


def _new_application_form(request: AuthenticatedHttpRequest, data: Any = None,
                          initial: dict[str, Any] | None = None) -> NewApplicationForm:
    """The form with its pickers filled: the records found by what was typed in the searches, the
    ones picked (or offered as duplicates), every client, and whom the user may give it to."""
    values = data if data is not None else (initial or {})
    candidates = records.find_candidates(values.get("candidate_query") or "", team_id=request.user.team_id)
    candidate_id = _id(values.get("candidate"))
    if candidate_id is not None and candidate_id not in {c.pk for c in candidates}:
        candidates = list(Candidate.objects.filter(pk=candidate_id)) + candidates
    jobs = records.find_jobs(values.get("job_query") or "")
    job_id = _id(values.get("job"))
    if job_id is not None and job_id not in {j.pk for j in jobs}:
        jobs = list(Job.objects.select_related("client").filter(pk=job_id)) + jobs
    clients = Client.objects.order_by("name").values_list("id", "name")
    return NewApplicationForm(
        data, initial=initial,
        candidate_choices=[(c.pk, candidate_label(c)) for c in candidates],
        job_choices=[(j.pk, job_label(j)) for j in jobs],
        client_choices=list(clients),
        recruiter_choices=[(u.pk, u.display_name) for u in records.assignable_recruiters(request.user)],
    )


def new_application(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form, with `?candidate=ID` or `?job=ID` already picked (from a candidate's or a job's
    page). POST with `find`: the pickers searched again, nothing written (the form without script).
    POST: the records written and the application opened, or every refusal beside its field."""
    require_editor(request.user)
    now = page_now()
    if request.method != "POST":
        initial = {"stage_since": timezone.localdate(now), "recruiter": request.user.pk}
        for name in ("candidate", "job"):
            if _id(request.GET.get(name)) is not None:
                initial[name] = _id(request.GET.get(name))
        return _render_new(request, _new_application_form(request, initial=initial))

    data = request.POST.copy()
    if "use_candidate" in data:  # "use this one" beside a duplicate: the existing candidate, picked
        data["candidate"] = data.get("use_candidate", "")
    if "find" in data:
        return _render_new(request, _new_application_form(request, initial=data.dict()))
    form = _new_application_form(request, data)
    if not form.is_valid():
        return _render_new(request, form, status=422)
    try:
        new = _gather(request.user, form.cleaned_data, now)
        application = records.open_new_application(new, by=request.user, now=now)
    except records.NewApplicationRefused as refused:
        place_refusal(form, refused)
        form.offer_candidates([(c.pk, candidate_label(c)) for c in refused.duplicates])
        return _render_new(request, form, duplicates=refused.duplicates, status=422)
    except ValidationError as refused:
        place_refusal(form, refused)
        return _render_new(request, form, status=422)
    messages.success(request, f"{application.candidate.name} is in the process for {application.job.title} at "
                              f"{application.job.client.name}.")
    return redirect("application", application_id=application.pk)


def _gather(user: User, data: dict[str, Any], now: datetime) -> records.NewApplication:
    """The records the form names: the picked ones through the access helpers (an unknown id is a
    refusal beside its picker), the new ones built, unsaved, from what was typed."""
    errors: dict[str, list[ValidationError]] = {}

    def picked(getter, pk, field):
        try:
            return getter(user, pk)
        except Http404 as missing:
            errors[field] = [ValidationError(str(missing), code="invalid")]
            return None

    candidate = picked(get_candidate_for_user, data["candidate"], "candidate") if data["candidate"] else Candidate(
        name=data["candidate_name"].strip(), email=data["candidate_email"], phone=data["candidate_phone"].strip(),
        current_title=data["candidate_current_title"], current_employer=data["candidate_current_employer"],
        location=data["candidate_location"], consent_to_contact=data["candidate_consent_to_contact"],
    )
    new_client = new_manager = None
    if data["job"]:
        job = picked(get_job_for_user, data["job"], "job")
    else:
        client = picked(get_client_for_user, data["client"], "client") if data["client"] else None
        if client is None and not data["client"]:
            client = new_client = Client(name=data["client_name"].strip())
        job = Job(
            client=client if new_client is None else None, title=data["job_title"].strip(),
            seniority=data["job_seniority"], location=data["job_location"], remote_policy=data["job_remote_policy"],
            base_min=data["job_base_min"], base_max=data["job_base_max"], currency=data["job_currency"],
            period=data["job_period"], opened_on=timezone.localdate(now),
        )
        manager_name = data["hiring_manager_name"].strip()
        if manager_name:
            known = (HiringManager.objects.filter(client=client, name__iexact=manager_name).first()
                     if new_client is None and client is not None else None)
            if known is not None:
                job.hiring_manager = known
            else:
                new_manager = HiringManager(name=manager_name, title=data["hiring_manager_title"],
                                            email=data["hiring_manager_email"])
    try:
        recruiter = records.recruiter_for(user, data["recruiter"])
    except ValidationError as refused:
        errors.update(refused.error_dict)
        recruiter = None
    if errors or candidate is None or job is None or recruiter is None:
        raise ValidationError(errors)
    return records.NewApplication(
        candidate=candidate, job=job, recruiter=recruiter, stage=data["stage"],
        at=_stage_moment(data["stage_since"], now), new_client=new_client, new_hiring_manager=new_manager,
    )


def _render_new(request: AuthenticatedHttpRequest, form: NewApplicationForm, *,
                duplicates: Sequence[Candidate] = (), status: int = 200) -> HttpResponse:
    return render(request, "intake/new_application.html", {
        "form": form, "duplicates": [(c, candidate_label(c), candidate_detail(c)) for c in duplicates],
        "pick_min_chars": records.PICK_MIN_CHARS,
    }, status=status)


# --- Edits -----------------------------------------------------------------------------------------


def edit_candidate(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, candidate_id, for_change=True)
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            records.save_candidate(form.instance, at=page_now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"{candidate.name}'s details saved.")
            return redirect("candidate", candidate_id=candidate.pk)
    return render(request, "intake/edit_candidate.html", {"candidate": candidate, "form": form},
                  status=422 if form.errors else 200)


def edit_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = get_job_for_user(request.user, job_id, for_change=True)
    form = JobForm(request.POST or None, instance=job)
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        try:
            services.change_job(form.instance, status=status, by=request.user, at=page_now())
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"{job.title} saved.")
            return redirect("job", job_id=job.pk)
    return render(request, "intake/edit_job.html", {"job": job, "form": form},
                  status=422 if form.errors else 200)


def edit_client(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_id, for_change=True)
    managers = HiringManager.objects.filter(client=client).order_by("name")
    form = ClientForm(request.POST or None, instance=client)
    formset = HiringManagerFormSet(request.POST or None, queryset=managers, prefix="managers")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        deleted = formset.deleted_forms
        kept: list[HiringManager] = [f.instance for f in formset.forms
                                     if f.has_changed() and f not in deleted and f.cleaned_data.get("name")]
        removed: list[HiringManager] = [f.instance for f in deleted]
        removed = [manager for manager in removed if manager.pk is not None]
        try:
            records.save_client(form.instance, hiring_managers=kept, removed_managers=removed)
        except ValidationError as refused:
            _place_client_refusal(form, formset, kept, refused)
        else:
            messages.success(request, f"{client.name} saved.")
            return redirect("client", client_id=client.pk)
    failed = bool(form.errors) or any(f.errors for f in formset.forms) or bool(formset.non_form_errors())
    return render(request, "intake/edit_client.html", {"client": client, "form": form, "formset": formset},
                  status=422 if request.method == "POST" and failed else 200)


def _place_client_refusal(form, formset, kept: list[HiringManager], refused: ValidationError) -> None:
    """`hiring_managers.N.field` beside that field of the N-th manager saved; the rest on the client."""
    forms_of = {id(f.instance): f for f in formset.forms}
    rest: dict[str, list[ValidationError]] = {}
    for name, items in getattr(refused, "error_dict", {"__all__": refused.error_list}).items():
        if name.startswith("hiring_managers."):
            _, position, field = name.split(".", 2)
            manager_form = forms_of[id(kept[int(position)])]
            place_refusal(manager_form, ValidationError({field: items}))
        else:
            rest[name] = items
    if rest:
        attach_errors(form, ValidationError(rest))


def hand_over(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    """Give an application to another recruiter of the team (an admin: to anyone)."""
    application = get_application_for_user(request.user, application_id, for_change=True)
    form = HandOverForm(request.POST or None, initial={"recruiter": application.recruiter_id},
                        recruiters=records.assignable_recruiters(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            recruiter = records.recruiter_for(request.user, form.cleaned_data["recruiter"])
            records.hand_over(application, recruiter)
        except ValidationError as refused:
            attach_errors(form, refused)
        else:
            messages.success(request, f"{application.candidate.name}'s application is now {recruiter.display_name}'s.")
            return redirect("application", application_id=application.pk)
    return render(request, "intake/hand_over.html", {"application": application, "form": form},
                  status=422 if form.errors else 200)
