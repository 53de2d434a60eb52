"""Mail in: the messages taken in and the proposals read from them (written by the pipeline, viewable),
recruiters' other addresses (kept by an admin, through the service's checks), and where each IMAP
mailbox was read up to (deleting a cursor reads that mailbox again; the fingerprints keep any touch from
being made twice)."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from homestretch.mailin import services
from homestretch.mailin.models import MailboxCursor, MailMessage, Proposal, RecruiterAddress

from .base import HistoryAdmin, HomestretchModelAdmin


@admin.register(MailMessage)
class MailMessageAdmin(HistoryAdmin):
    list_display = ["received_at", "via", "status", "unmatched_reason", "direction", "team", "recruiter", "candidate"]
    list_filter = ["status", "via", "direction", "unmatched_reason"]
    search_fields = ["subject", "from_address", "candidate__name", "message_id"]
    list_select_related = ["team", "recruiter", "candidate"]
    raw_id_fields = ["candidate", "touchpoints"]
    date_hierarchy = "received_at"


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):
    list_display = ["said_at", "kind", "status", "company", "base", "currency", "deadline", "candidate", "team"]
    list_filter = ["kind", "status"]
    search_fields = ["company", "candidate__name", "evidence"]
    list_select_related = ["candidate", "team"]
    raw_id_fields = ["candidate", "message", "touchpoint", "competing_offer"]


@admin.register(RecruiterAddress)
class RecruiterAddressAdmin(HomestretchModelAdmin):
    list_display = ["address", "user", "created_at"]
    search_fields = ["address", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: RecruiterAddress, form: forms.ModelForm, change: bool) -> None:
        if change:
            obj.save()  # an address corrected in place keeps its owner; the unique constraint still holds
            return
        added = services.add_address(obj.user, obj.address, now=timezone.now())
        obj.pk, obj.created_at = added.pk, added.created_at


@admin.register(MailboxCursor)
class MailboxCursorAdmin(HomestretchModelAdmin):
    """Added by hand, it starts a mailbox after a UID (older mail is not read); deleted, the mailbox is
    read again from its first message."""

    list_display = ["mailbox", "uid_validity", "last_uid", "polled_at"]
    search_fields = ["mailbox"]
