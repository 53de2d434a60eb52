"""Imported history in the back office: read-only, since rows come only from `homestretch history import`."""

from __future__ import annotations

from django.contrib import admin

from homestretch.history.models import ImportBatch, PastOutcome

from .base import HistoryAdmin


@admin.register(ImportBatch)
class ImportBatchAdmin(HistoryAdmin):
    list_display = ("file_name", "imported_at", "rows_read", "rows_imported", "rows_skipped")
    list_filter = ("imported_at",)
    search_fields = ("file_name", "file_sha256")
    readonly_fields = ("file_name", "file_sha256", "imported_at", "rows_read", "rows_imported", "rows_skipped",
                       "mapping")


@admin.register(PastOutcome)
class PastOutcomeAdmin(HistoryAdmin):
    list_display = ("row_key", "outcome", "outcome_raw", "decided_on", "source", "location", "business_line",
                    "batch")
    list_filter = ("outcome", "batch", "business_line", "source")
    list_select_related = ("batch",)
    search_fields = ("row_key", "outcome_raw", "location", "source")
    list_per_page = 100
    show_full_result_count = False  # counting a large history on every page is slow; the batch says it
