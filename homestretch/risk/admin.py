from django.contrib import admin

from homestretch.accounts.admin import HistoryAdmin

from .models import RiskSnapshot


@admin.register(RiskSnapshot)
class RiskSnapshotAdmin(HistoryAdmin):
    """Derived and kept by the app (docs/risk-and-today.md, Speed): viewable, to see what everyone's
    Today and pipeline ranked by, never edited by hand."""

    list_display = ("application", "day", "stage", "band", "probability", "due", "overdue_days", "generation",
                    "computed_generation", "computed_at", "expires_at")
    list_select_related = ("application__candidate", "application__job__client")
    list_filter = ("day", "band", "due", "stage")
    search_fields = ("application__candidate__name",)
    raw_id_fields = ("application",)
    show_full_result_count = False
