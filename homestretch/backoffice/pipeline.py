"""Back office for the pipeline: clients, hiring managers, jobs, candidates, applications, touchpoints.

Candidates, applications and touchpoints are the big tables (tens of thousands of applications,
a million touchpoints): foreign keys to them are autocompletes or raw ids, never a select listing
the table; changelists join what they show and skip the unfiltered count. An application's stage
moves only through `services.move_stage`, from the actions and the "Move stage" page, so that every
move is checked against the stage rules and written to the history. Jobs, applications and
touchpoints are saved and deleted through the services, which keep the touch summaries and count
the change for the risk snapshots in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from homestretch.accounts.requests import signed_in_user
from homestretch.lib.refusals import place_on_form
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import records, stages
from homestretch.pipeline.choices import LossReason, Outcome, Stage
from homestretch.pipeline.models import (
    Application,
    Candidate,
    CandidateCountPart,
    Client,
    HiringManager,
    Job,
    StageChange,
    Touchpoint,
    TouchSummary,
)
from homestretch.pipeline.services import (
    StageMove,
    StageMoveRefused,
    change_application,
    delete_application,
    delete_touchpoint,
    delete_touchpoints,
    log_touchpoint,
    move_stage,
    open_application,
    save_job,
)

from .base import (
    HistoryAdmin,
    HomestretchInline,
    HomestretchModelAdmin,
    ReadOnlyInline,
    render_intermediate_form,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Moving more at once is a job for the command line, not for a page that lists every one of them.
MAX_APPLICATIONS_PER_MOVE = 100

APPLICATION_RELATED = ("candidate", "job__client", "recruiter__team")


# --- Clients, hiring managers, jobs ---------------------------------------------------------


class JobCount(TypedDict):
    """What ClientAdmin.get_queryset annotates on each client."""

    job_count: int


class HiringManagerInline(HomestretchInline):
    model = HiringManager
    fields = ("name", "title", "email", "phone")


class JobInline(HomestretchInline):
    model = Job
    # The hiring manager and the pay band are set on the job's own page, where the manager list
    # is this client's only.
    fields = ("title", "seniority", "status", "location", "opened_on", "closed_on")
    show_change_link = True


@admin.register(Client)
class ClientAdmin(HomestretchModelAdmin):
    list_display = ("name", "industry", "size", "job_count", "website", "created_at")
    list_filter = ("size",)
    search_fields = ("name", "industry")
    readonly_fields = ("created_at",)
    inlines = (HiringManagerInline, JobInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Client]:
        return super().get_queryset(request).annotate(job_count=Count("jobs"))

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset, change: bool) -> None:
        if formset.model is not Job:
            super().save_formset(request, form, formset, change)
            return
        # Jobs edited on their client's page are saved like any other job.
        for job in formset.save(commit=False):
            save_job(job)
        for job in formset.deleted_objects:
            job.delete()  # a job with applications is protected; one without concerns no risk
        formset.save_m2m()

    @admin.display(description="Jobs", ordering="job_count")
    def job_count(self, client: WithAnnotations[Client, JobCount]) -> int:
        return client.job_count


@admin.register(HiringManager)
class HiringManagerAdmin(HomestretchModelAdmin):
    list_display = ("name", "client", "title", "email", "phone")
    list_select_related = ("client",)
    search_fields = ("name", "email", "title", "client__name")
    autocomplete_fields = ("client",)


@admin.register(Job)
class JobAdmin(HomestretchModelAdmin):
    list_display = (
        "title", "client", "hiring_manager", "seniority", "status", "location",
        "base_min", "base_max", "currency", "period", "remote_policy", "opened_on",
    )
    list_select_related = ("client", "hiring_manager__client")
    list_filter = ("status", "seniority", "remote_policy", "currency", "period")
    search_fields = ("title", "skills", "location", "client__name", "hiring_manager__name")
    date_hierarchy = "opened_on"
    autocomplete_fields = ("client", "hiring_manager")
    readonly_fields = ("created_at", "updated_at")
    view_on_site = False  # Job.get_absolute_url is this admin page already
    fieldsets = (
        (None, {"fields": ("client", "hiring_manager", "title", "seniority", "skills", "location", "status")}),
        ("Pay and perks", {"fields": ("base_min", "base_max", "currency", "period", "remote_policy",
                                      "remote_days", "perks")}),
        ("Dates", {"fields": ("opened_on", "closed_on", "created_at", "updated_at")}),
        ("Learning", {"fields": ("lessons",)}),
    )

    def save_model(self, request: HttpRequest, obj: Job, form: forms.ModelForm, change: bool) -> None:
        save_job(obj)


# --- Candidates -------------------------------------------------------------------------------


class CandidateApplicationInline(ReadOnlyInline):
    model = Application
    fields = ("job", "recruiter", "stage", "stage_entered_at", "closed_at")
    readonly_fields = fields
    ordering = ("-created_at",)
    select_related = ("candidate", "job__client", "recruiter")


class PrioritiesInline(ReadOnlyInline):
    model = Priorities
    fields = (
        "as_of", "base_min", "base_target", "currency", "period", "remote_preference", "remote_days",
        "notice_days", "earliest_start", "must_haves",
    )
    readonly_fields = fields
    select_related = ("candidate",)  # in each row's name


class CompetingOfferInline(ReadOnlyInline):
    model = CompetingOffer
    fields = (
        "company", "kind", "stage", "base", "currency", "period", "remote_policy", "deadline",
        "learned_at", "confidential",
    )
    readonly_fields = fields


def touchpoints_link(**filters: int) -> str:
    url = reverse("admin:pipeline_touchpoint_changelist")
    return format_html('<a href="{}?{}">See the touchpoints</a>', url, urlencode(filters))


@admin.register(Candidate)
class CandidateAdmin(HomestretchModelAdmin):
    list_display = (
        "name", "email", "current_employer", "current_title", "location", "source", "legal_basis",
        "basis_renew_by", "created_at",
    )
    list_filter = ("source", "legal_basis", "current_currency")
    search_fields = ("name", "email", "current_employer", "current_title", "skills", "location")
    date_hierarchy = "created_at"
    show_full_result_count = False
    # Consent to contact follows the legal basis (pipeline/consent.py): shown, not edited.
    readonly_fields = ("touchpoints", "created_at", "updated_at", "consent_to_contact", "consent_given_at")
    fieldsets = (
        (None, {"fields": ("name", "email", "phone", "location")}),
        ("Current job", {"fields": ("current_employer", "current_title", "current_base", "current_currency",
                                    "current_period", "skills", "years_experience")}),
        ("Source and legal basis", {"fields": (
            "source", "legal_basis", "basis_obtained_at", "basis_obtained_how", "basis_renew_by",
            "consent_to_contact", "consent_given_at", "objected_at", "objection_note", "notes")}),
        ("Record", {"fields": ("touchpoints", "created_at", "updated_at")}),
    )
    inlines = (CandidateApplicationInline, PrioritiesInline, CompetingOfferInline)

    def get_inlines(self, request: HttpRequest, obj: Candidate | None):
        return self.inlines if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Candidate, form, change: bool) -> None:
        # The basis's defaults and an objection's count of change, as every entry point saves a candidate.
        records.save_candidate(obj, at=timezone.now())

    @admin.display(description="Touchpoints")
    def touchpoints(self, candidate: Candidate) -> str:
        return touchpoints_link(candidate__id__exact=candidate.pk) if candidate.pk else "—"


# --- Applications and their stages ---------------------------------------------------------------


class ApplicationAddForm(forms.ModelForm):
    """A new application starts at a stage of the process; `open_application` records it."""

    stage = forms.ChoiceField(
        choices=[(stage.value, stage.label) for stage in stages.PROCESS], initial=Stage.SOURCED
    )

    class Meta:
        model = Application
        fields = ("candidate", "job", "recruiter", "stage")


class OutcomeFilter(admin.SimpleListFilter):
    """Open, hired or lost: the derived status beside the stage."""

    title = "outcome"
    parameter_name = "outcome"
    STAGES: dict[str, frozenset[str]] = {
        Outcome.ONGOING: stages.OPEN,
        Outcome.HIRED: frozenset({Stage.STARTED}),
        Outcome.LOST: stages.LOSSES,
    }

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return Outcome.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Application]) -> QuerySet[Application]:
        value = self.value()
        chosen = self.STAGES.get(value) if value is not None else None
        return queryset if chosen is None else queryset.filter(stage__in=sorted(chosen))


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="New stage", choices=Stage.choices)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), required=False,
        help_text="Required when the application closes (started or lost).",
    )
    loss_reason = forms.ChoiceField(
        label="Why the candidate was lost", choices=[("", "—"), *LossReason.choices], required=False,
        help_text="Required when the candidate declines, reneges or withdraws.",
    )

    def stage_move(self) -> StageMove:
        return StageMove(
            to_stage=self.cleaned_data["to_stage"], reason=self.cleaned_data["reason"],
            loss_reason=self.cleaned_data["loss_reason"],
        )


class ReopenForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="Reopen at", choices=[(stage.value, stage.label) for stage in stages.PROCESS]
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), help_text="Why it is reopened.")

    def stage_move(self) -> StageMove:
        return StageMove(to_stage=self.cleaned_data["to_stage"], reason=self.cleaned_data["reason"], reopen=True)


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ("at", "from_stage", "to_stage", "by", "reason", "loss_reason")
    readonly_fields = fields
    select_related = ("by",)


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ("revision", "status", "base", "bonus", "equity", "currency", "period", "sent_at", "expires_on",
              "responded_at", "decline_reason")
    readonly_fields = fields


class TouchpointInline(ReadOnlyInline):
    model = Touchpoint
    fields = ("at", "channel", "direction", "recruiter", "interest", "competition_asked", "competition_answer",
              "status_update_given", "notes")
    readonly_fields = fields
    select_related = ("recruiter",)


@admin.register(Application)
class ApplicationAdmin(HomestretchModelAdmin):
    list_display = (
        "__str__", "client", "recruiter", "team", "stage", "stage_entered_at", "created_at", "closed_at",
    )
    list_select_related = APPLICATION_RELATED
    list_filter = (OutcomeFilter, "stage", "recruiter__team", "recruiter")
    search_fields = ("candidate__name", "candidate__email", "job__title", "job__client__name")
    date_hierarchy = "created_at"
    show_full_result_count = False
    autocomplete_fields = ("candidate", "job")
    actions = ("move_to_stage", "reopen")
    fieldsets = (
        (None, {"fields": ("candidate", "job", "recruiter")}),
        ("Stage", {"fields": ("stage", "stage_actions", "stage_entered_at", "stage_before_hold", "accepted_at",
                              "closed_at")}),
        ("Learning", {"fields": ("lessons",)}),
        ("Record", {"fields": ("touchpoints", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"fields": ("candidate", "job", "recruiter", "stage")}),)
    # The stage and its dates are the services' to write; the candidate and job are what the
    # application is, and never change.
    readonly_fields = (
        "candidate", "job", "stage", "stage_actions", "stage_entered_at", "stage_before_hold", "accepted_at",
        "closed_at", "touchpoints", "created_at", "updated_at",
    )
    inlines = (StageChangeInline, OfferInline, TouchpointInline)
    delete_service = staticmethod(delete_application)

    def get_fieldsets(self, request: HttpRequest, obj: Application | None = None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Application | None = None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request: HttpRequest, obj: Application | None = None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = ApplicationAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Application | None):
        return self.inlines if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Application, form: forms.ModelForm, change: bool) -> None:
        if change:
            # Only what the form changed: a full save would write back the stage as it was loaded,
            # undoing a move made meanwhile.
            change_application(obj, form.changed_data)
            return
        opened = open_application(
            candidate=obj.candidate, job=obj.job, recruiter=obj.recruiter, by=signed_in_user(request),
            at=timezone.now(), stage=obj.stage,
        )
        # The admin goes on with `obj` (the message, the log, the redirect): make it the saved row.
        for field in Application._meta.concrete_fields:
            setattr(obj, field.attname, getattr(opened, field.attname))
        obj._state.adding = False

    @admin.display(description="Client", ordering="job__client__name")
    def client(self, application: Application) -> Client:
        return application.job.client

    @admin.display(description="Team", ordering="recruiter__team__name")
    def team(self, application: Application):
        return application.recruiter.team

    @admin.display(description="Move stage")
    def stage_actions(self, application: Application) -> str:
        url = reverse("admin:pipeline_application_stage", args=[application.pk])
        label = "Reopen…" if application.is_closed else "Move to another stage…"
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    @admin.display(description="Touchpoints")
    def touchpoints(self, application: Application) -> str:
        log_url = reverse("admin:pipeline_touchpoint_add") + "?" + urlencode(
            {"application": application.pk, "candidate": application.candidate_id}
        )
        return format_html(
            '{} · <a href="{}">Log a touchpoint</a>', touchpoints_link(application__id__exact=application.pk),
            log_url,
        )

    # Stage moves: one application from its page, several from the changelist.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/stage/",
                self.admin_site.admin_view(self.stage_view),
                name="pipeline_application_stage",
            ),
            *super().get_urls(),
        ]

    def stage_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        application = self.get_object(request, unquote(object_id))
        if application is None:
            # Django's own not-found redirect: a private ModelAdmin method django-stubs leave out.
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        form_class = ReopenForm if application.is_closed else StageMoveForm
        form = form_class(request.POST if request.method == "POST" else None)
        change_url = reverse("admin:pipeline_application_change", args=[application.pk])
        if form.is_bound and form.is_valid():
            try:
                self._move(request, application, form.stage_move())
            except StageMoveRefused as refused:
                place_on_form(form, refused)
            else:
                self.message_user(request, f"{application} moved to {Stage(form.cleaned_data['to_stage']).label}.")
                return HttpResponseRedirect(change_url)
        return render_intermediate_form(
            self, request, title="Reopen" if application.is_closed else "Move to another stage", form=form,
            rows=[(application, application.get_stage_display())],
            submit_label="Reopen" if application.is_closed else "Move", cancel_url=change_url,
            original=application,
        )

    @admin.action(description="Move to another stage…", permissions=["change"])
    def move_to_stage(self, request: HttpRequest, queryset: QuerySet[Application]) -> HttpResponse | None:
        return self._bulk_move(request, queryset, StageMoveForm, action="move_to_stage",
                               title="Move to another stage", submit_label="Move")

    @admin.action(description="Reopen closed applications…", permissions=["reopen"])
    def reopen(self, request: HttpRequest, queryset: QuerySet[Application]) -> HttpResponse | None:
        return self._bulk_move(request, queryset, ReopenForm, action="reopen", title="Reopen",
                               submit_label="Reopen")

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        """Only an admin reopens a closed application (move_stage says so too)."""
        return bool(getattr(request.user, "is_admin", False)) and self.has_change_permission(request)

    def _bulk_move(
        self, request: HttpRequest, queryset: QuerySet[Application], form_class: type[StageMoveForm | ReopenForm], *,
        action: str, title: str, submit_label: str,
    ) -> HttpResponse | None:
        applications = list(queryset.order_by("pk")[: MAX_APPLICATIONS_PER_MOVE + 1])
        if len(applications) > MAX_APPLICATIONS_PER_MOVE:
            self.message_user(
                request, f"Choose at most {MAX_APPLICATIONS_PER_MOVE} applications at a time.", messages.ERROR
            )
            return None
        form = form_class(request.POST if "post" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return render_intermediate_form(
                self, request, title=title, form=form,
                rows=[(application, application.get_stage_display()) for application in applications],
                submit_label=submit_label, cancel_url=request.get_full_path(), action=action,
            )
        move = form.stage_move()
        moved = 0
        for application in applications:
            try:
                self._move(request, application, move)
            except StageMoveRefused as refused:
                self.message_user(request, f"{application}: {' '.join(refused.messages)}", messages.WARNING)
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} moved to {Stage(move.to_stage).label}.", messages.SUCCESS)
        return None

    def _move(self, request: HttpRequest, application: Application, move: StageMove) -> None:
        from_label = application.get_stage_display()
        move_stage(application.pk, move, by=signed_in_user(request), at=timezone.now())
        verb = "Reopened" if move.reopen else "Moved"
        self.log_change(request, application, f"{verb} from {from_label} to {Stage(move.to_stage).label}.")


@admin.register(StageChange)
class StageChangeAdmin(HistoryAdmin):
    list_display = ("at", "application", "from_stage", "to_stage", "by", "loss_reason")
    list_select_related = ("application__candidate", "application__job__client", "by")
    list_filter = ("to_stage", "from_stage", "loss_reason", ("at", admin.DateFieldListFilter))
    search_fields = ("application__candidate__name", "application__job__client__name", "reason")
    ordering = ("-at", "-id")
    show_full_result_count = False


# --- Touchpoints ---------------------------------------------------------------------------------


class InterestFilter(admin.SimpleListFilter):
    """The five levels, listed without Django's default SELECT DISTINCT over a million touchpoints."""

    title = "interest"
    parameter_name = "interest"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [(str(level), str(level)) for level in range(1, 6)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Touchpoint]) -> QuerySet[Touchpoint]:
        value = self.value()
        return queryset.filter(interest=int(value)) if value in {"1", "2", "3", "4", "5"} else queryset


@admin.register(Touchpoint)
class TouchpointAdmin(HomestretchModelAdmin):
    list_display = (
        "at", "candidate", "application__job", "recruiter", "channel", "direction", "interest",
        "competition_asked", "competition_answer", "status_update_given",
    )
    list_select_related = ("candidate", "application__job__client", "recruiter")
    # No date hierarchy: its first/last date scans the whole table on every page; these don't.
    list_filter = (
        ("at", admin.DateFieldListFilter), "channel", "direction", "competition_asked", "competition_answer",
        "status_update_given", InterestFilter, "recruiter",
    )
    search_fields = ("candidate__name", "candidate__email")
    show_full_result_count = False
    autocomplete_fields = ("candidate", "application")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("candidate", "application", "recruiter", "at", "channel", "direction")}),
        ("What was said", {"fields": ("notes", "interest", "competition_asked", "competition_answer",
                                      "status_update_given")}),
        ("Record", {"fields": ("created_at",)}),
    )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"recruiter": request.user.pk, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "application":
            # The chosen application is shown by name: candidate, job and client in one query.
            kwargs["queryset"] = Application.objects.select_related("candidate", "job__client")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Touchpoint, form: forms.ModelForm, change: bool) -> None:
        log_touchpoint(obj)

    delete_service = staticmethod(delete_touchpoint)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Touchpoint]) -> None:
        delete_touchpoints(queryset)  # the selection at once: one refresh of what they added up to


@admin.register(TouchSummary)
class TouchSummaryAdmin(HistoryAdmin):
    """Derived from the touchpoints and kept by the app (docs/risk-and-today.md, Speed): viewable, to
    check a candidate's figures, never edited by hand."""

    list_display = ("application", "candidate", "touchpoints", "last_contact_at", "last_competition_answer",
                    "latest_interest")
    list_select_related = ("application__candidate", "application__job__client", "candidate")
    list_filter = ("last_competition_answer", "latest_interest")
    search_fields = ("application__candidate__name", "candidate__name")
    raw_id_fields = ("application", "candidate")
    show_full_result_count = False


@admin.register(CandidateCountPart)
class CandidateCountPartAdmin(HistoryAdmin):
    """The parts of the number of candidates that PostgreSQL keeps (pipeline/candidate_count.py): viewable,
    to check that they add up, never edited by hand. Empty on SQLite."""

    list_display = ("id", "delta")
