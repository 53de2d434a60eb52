"""Erasures and the de-identified outcomes they keep, in the back office: read only. An erasure is made
through its confirmation page, the API or the command line (homestretch.privacy.erasure), never here: it must
reach every place the person's data lives, in one transaction, and the audit."""

from __future__ import annotations

from django.contrib import admin

from homestretch.privacy.models import ErasedOutcome, Erasure

from .base import HistoryAdmin


@admin.register(Erasure)
class ErasureAdmin(HistoryAdmin):
    list_display = ("candidate_id", "erased_at", "cause", "erased_by", "applications")
    list_filter = ("cause",)
    list_select_related = ("erased_by",)
    ordering = ("-erased_at",)


@admin.register(ErasedOutcome)
class ErasedOutcomeAdmin(HistoryAdmin):
    list_display = ("application_id", "job", "client", "stage", "outcome", "opened_month", "closed_month",
                    "offer_base_band_from", "offer_base_band_to", "currency")
    list_filter = ("outcome", "stage")
    list_select_related = ("job", "client")
    ordering = ("-erasure_id", "application_id")
