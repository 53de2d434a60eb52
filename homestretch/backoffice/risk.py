"""Risk snapshots and trained models in the back office: read-only, both are written by the app
(snapshots when read, checked against the generation the writes count on each application; models
only by `homestretch model train`)."""

from django.contrib import admin

from homestretch.risk.models import RiskSnapshot, TrainedModel

from .base import HistoryAdmin


@admin.register(RiskSnapshot)
class RiskSnapshotAdmin(HistoryAdmin):
    """Derived and kept by the app (docs/risk-and-today.md, Speed): viewable, to see what everyone's
    Today and pipeline ranked by, never edited by hand."""

    list_display = ("application", "day", "stage", "band", "probability", "due", "overdue_days",
                    "application__generation", "computed_generation", "team", "computed_at", "expires_at")
    list_select_related = ("application__candidate", "application__job__client", "team")
    list_filter = ("day", "band", "due", "stage")
    search_fields = ("application__candidate__name",)
    raw_id_fields = ("application",)
    show_full_result_count = False


@admin.register(TrainedModel)
class TrainedModelAdmin(HistoryAdmin):
    list_display = ("version", "trained_at", "live", "n_applications", "n_imported", "n_lost", "shrinkage")
    list_filter = ("live",)
    search_fields = ("not_live_because",)
    ordering = ("-version",)
