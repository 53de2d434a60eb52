"""Back office for our offers, their audit trail, competing offers and candidates' priorities.

An offer is recorded through `services.record_offer` (a new one supersedes the open one and is
numbered as the next revision) and changes status only through `services.set_offer_status`, from
the action and the "Change status" page, so that the audit trail misses nothing. Its terms are
read-only once recorded: new terms are a new revision. A competing offer is saved through
`services.record_competing_offer`, which dates each change of it (shown read-only under it).
Priorities are recorded anew, never changed. Deletes go through the services too: each counts the
change for the risk snapshots of the applications concerned.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from homestretch.accounts.requests import signed_in_user
from homestretch.lib.refusals import place_on_form
from homestretch.offers.choices import OPEN_OFFER_STATUSES, OfferStatus
from homestretch.offers.models import (
    COMPETING_SNAPSHOT_FIELDS,
    CompetingOffer,
    CompetingOfferChange,
    Offer,
    OfferEvent,
    Priorities,
)
from homestretch.offers.services import (
    OFFER_TRANSITIONS,
    delete_competing_offer,
    delete_offer,
    delete_priorities,
    record_competing_offer,
    record_offer,
    set_offer_status,
    set_priorities,
)
from homestretch.pipeline.choices import LossReason

from .base import (
    HistoryAdmin,
    HomestretchModelAdmin,
    ReadOnlyInline,
    render_intermediate_form,
)

MAX_OFFERS_PER_CHANGE = 100

OFFER_RELATED = ("application__candidate", "application__job__client", "created_by")


# --- Our offers ----------------------------------------------------------------------------------


class OfferAddForm(forms.ModelForm):
    """The terms of a new offer and the status it starts at; revision and audit are the service's."""

    # Not the model's `status` field: the open-offer and revision rules are checked by
    # record_offer, after it has superseded the application's open offer.
    initial_status = forms.ChoiceField(
        label="Status", choices=[(status.value, status.label) for status in OPEN_OFFER_STATUSES],
        initial=OfferStatus.DRAFT,
    )

    class Meta:
        model = Offer
        fields = (
            "application", "base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
            "start_date", "expires_on", "notes",
        )


class OfferStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        choices=[(s.value, s.label) for s in OfferStatus if s not in (OfferStatus.DRAFT, OfferStatus.SUPERSEDED)],
    )
    decline_reason = forms.ChoiceField(
        choices=[("", "—"), *LossReason.choices], required=False,
        help_text="Required when the candidate declines or reneges.",
    )
    won_by = forms.CharField(
        max_length=200, required=False, help_text="The company whose offer won, when the candidate said no."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), required=False)


class OfferEventInline(ReadOnlyInline):
    model = OfferEvent
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    show_change_link = False
    select_related = ("by",)


@admin.register(Offer)
class OfferAdmin(HomestretchModelAdmin):
    list_display = (
        "application", "revision", "status", "base", "bonus", "equity", "currency", "period", "sent_at",
        "expires_on", "responded_at", "created_by",
    )
    list_select_related = OFFER_RELATED
    list_filter = ("status", "currency", "period", "decline_reason", "remote_policy")
    search_fields = (
        "application__candidate__name", "application__candidate__email", "application__job__title",
        "application__job__client__name", "won_by",
    )
    date_hierarchy = "created_at"
    show_full_result_count = False
    autocomplete_fields = ("application",)
    actions = ("change_status",)
    fieldsets = (
        (None, {"fields": ("application", "revision", "status", "status_actions")}),
        ("Terms", {"fields": ("base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
                              "start_date", "expires_on")}),
        ("Answer", {"fields": ("sent_at", "responded_at", "decline_reason", "won_by")}),
        ("Notes", {"fields": ("notes",)}),
        ("Record", {"fields": ("created_by", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"fields": ("application", "initial_status")}),
        ("Terms", {"fields": ("base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
                              "start_date", "expires_on")}),
        ("Notes", {"fields": ("notes",)}),
    )
    inlines = (OfferEventInline,)
    delete_service = staticmethod(delete_offer)

    def get_fieldsets(self, request: HttpRequest, obj: Offer | None = None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Offer | None = None):
        if obj is None:
            return ()
        # Everything but the notes: new terms are a new revision, a new status goes through the service.
        return [name for name in ("status_actions", *(f.name for f in Offer._meta.fields)) if name != "notes"]

    def get_form(self, request: HttpRequest, obj: Offer | None = None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = OfferAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Offer | None):
        return self.inlines if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "application":
            kwargs["queryset"] = db_field.related_model.objects.select_related("candidate", "job__client")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Offer, form: forms.ModelForm, change: bool) -> None:
        if change:
            # The notes only, so that a status set meanwhile by the service is not written back. The
            # risk does not read them: no change to count.
            obj.save(update_fields=[*form.changed_data, "updated_at"])
            return
        obj.status = form.cleaned_data["initial_status"]
        record_offer(obj, by=signed_in_user(request), at=timezone.now())

    @admin.display(description="")
    def status_actions(self, offer: Offer) -> str:
        if offer.status not in OFFER_TRANSITIONS:
            return "Final: record a new offer to go on."
        url = reverse("admin:offers_offer_status", args=[offer.pk])
        return format_html('<a class="button" href="{}">Change status…</a>', url)

    # Status changes: one offer from its page, several from the changelist.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="offers_offer_status",
            ),
            *super().get_urls(),
        ]

    def status_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        offer = self.get_object(request, unquote(object_id))
        if offer is None:
            # Django's own not-found redirect: a private ModelAdmin method django-stubs leave out.
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        if not self.has_change_permission(request, offer):
            raise PermissionDenied
        form = OfferStatusForm(request.POST if request.method == "POST" else None)
        change_url = reverse("admin:offers_offer_change", args=[offer.pk])
        if form.is_bound and form.is_valid():
            try:
                self._set_status(request, offer, form.cleaned_data)
            except ValidationError as refused:
                place_on_form(form, refused)
            else:
                self.message_user(request, f"{offer.application}: offer now {offer.get_status_display().lower()}.")
                return HttpResponseRedirect(change_url)
        return render_intermediate_form(
            self, request, title="Change the offer's status", form=form,
            rows=[(offer, "")], submit_label="Change status", cancel_url=change_url, original=offer,
        )

    @admin.action(description="Change status…", permissions=["change"])
    def change_status(self, request: HttpRequest, queryset: QuerySet[Offer]) -> HttpResponse | None:
        offers = list(queryset.order_by("pk")[: MAX_OFFERS_PER_CHANGE + 1])
        if len(offers) > MAX_OFFERS_PER_CHANGE:
            self.message_user(request, f"Choose at most {MAX_OFFERS_PER_CHANGE} offers at a time.", messages.ERROR)
            return None
        form = OfferStatusForm(request.POST if "post" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return render_intermediate_form(
                self, request, title="Change the offers' status", form=form,
                rows=[(offer, str(offer.application)) for offer in offers], submit_label="Change status",
                cancel_url=request.get_full_path(), action="change_status",
            )
        changed = 0
        for offer in offers:
            try:
                self._set_status(request, offer, form.cleaned_data)
            except ValidationError as refused:
                self.message_user(request, f"{offer.application}, {offer}: {' '.join(refused.messages)}",
                                  messages.WARNING)
            else:
                changed += 1
        if changed:
            label = OfferStatus(form.cleaned_data["status"]).label.lower()
            self.message_user(request, f"{changed} offer(s) now {label}.", messages.SUCCESS)
        return None

    def _set_status(self, request: HttpRequest, offer: Offer, data: dict) -> None:
        previous = offer.get_status_display().lower()
        updated = set_offer_status(
            offer.pk, data["status"], by=signed_in_user(request), at=timezone.now(),
            decline_reason=data["decline_reason"], won_by=data["won_by"], note=data["note"],
        )
        offer.status = updated.status
        self.log_change(request, offer, f"Status changed from {previous} to {updated.get_status_display().lower()}.")


@admin.register(OfferEvent)
class OfferEventAdmin(HistoryAdmin):
    list_display = ("at", "offer", "offer__application", "from_status", "to_status", "by")
    list_select_related = ("offer__application__candidate", "offer__application__job__client", "by")
    list_filter = ("to_status", "from_status", ("at", admin.DateFieldListFilter))
    search_fields = ("offer__application__candidate__name", "offer__application__job__client__name", "note")
    ordering = ("-at", "-id")
    show_full_result_count = False


# --- What the candidate told us: competing offers and priorities --------------------------------


class CompetingOfferChangeInline(ReadOnlyInline):
    """What the competing offer said from each moment on: written by the service, never edited."""

    model = CompetingOfferChange
    fields = ("at", "by", *COMPETING_SNAPSHOT_FIELDS)
    readonly_fields = fields
    show_change_link = False
    select_related = ("by",)
    verbose_name = "change"
    verbose_name_plural = "changes, as known from each moment on"


@admin.register(CompetingOffer)
class CompetingOfferAdmin(HomestretchModelAdmin):
    list_display = (
        "company", "candidate", "kind", "stage", "base", "currency", "period", "deadline", "confidential",
        "learned_at", "recorded_by", "recorded_by_team",
    )
    list_select_related = ("candidate", "recorded_by", "recorded_by_team")
    list_filter = ("confidential", "kind", "stage", "currency", "period", "remote_policy", "recorded_by_team")
    search_fields = ("company", "role", "candidate__name", "candidate__email")
    date_hierarchy = "learned_at"
    show_full_result_count = False
    autocomplete_fields = ("candidate",)
    raw_id_fields = ("learned_in",)  # a million touchpoints: an id, with the lookup popup
    # Who recorded it is kept whoever edits it: an admin's edit does not make the record the admin's.
    readonly_fields = ("recorded_by", "recorded_by_team", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("candidate", "confidential", "kind", "company", "role", "stage", "deadline")}),
        ("Pay and remote work", {"fields": ("base", "bonus", "equity", "currency", "period", "remote_policy",
                                            "remote_days")}),
        ("How we learned of it", {"fields": ("learned_at", "learned_in", "notes")}),
        ("Record", {"fields": ("recorded_by", "recorded_by_team", "created_at", "updated_at")}),
    )

    inlines = (CompetingOfferChangeInline,)
    delete_service = staticmethod(delete_competing_offer)

    def get_inlines(self, request: HttpRequest, obj: CompetingOffer | None):
        return self.inlines if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: CompetingOffer, form: forms.ModelForm, change: bool) -> None:
        record_competing_offer(obj, by=signed_in_user(request), at=timezone.now())


@admin.register(CompetingOfferChange)
class CompetingOfferChangeAdmin(HistoryAdmin):
    list_display = ("at", "competing", "competing__candidate", "kind", "stage", "base", "currency", "deadline", "by")
    list_select_related = ("competing__candidate", "by")
    list_filter = ("stage", "kind", ("at", admin.DateFieldListFilter))
    search_fields = ("company", "competing__candidate__name")
    ordering = ("-at", "-id")
    show_full_result_count = False


@admin.register(Priorities)
class PrioritiesAdmin(HomestretchModelAdmin):
    list_display = (
        "candidate", "as_of", "base_min", "base_target", "currency", "period", "remote_preference", "remote_days",
        "notice_days", "earliest_start", "recorded_by", "recorded_by_team",
    )
    list_select_related = ("candidate", "recorded_by", "recorded_by_team")
    list_filter = ("remote_preference", "currency", "period", "recorded_by_team")
    search_fields = ("candidate__name", "candidate__email", "must_haves")
    date_hierarchy = "as_of"
    show_full_result_count = False
    autocomplete_fields = ("candidate",)
    readonly_fields = ("as_of", "recorded_by", "recorded_by_team")
    fieldsets = (
        (None, {"fields": ("candidate", "as_of", "recorded_by", "recorded_by_team")}),
        ("Pay", {"fields": ("base_min", "base_target", "currency", "period")}),
        ("Remote work and start", {"fields": ("remote_preference", "remote_days", "notice_days",
                                              "earliest_start", "must_haves")}),
        ("What matters, 1 to 5", {"fields": ("importance_pay", "importance_remote", "importance_speed",
                                             "importance_title", "importance_growth", "importance_stack")}),
    )

    delete_service = staticmethod(delete_priorities)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # priorities change by recording new ones; the earlier stay as they were

    def save_model(self, request: HttpRequest, obj: Priorities, form: forms.ModelForm, change: bool) -> None:
        set_priorities(obj, by=signed_in_user(request), at=timezone.now())
