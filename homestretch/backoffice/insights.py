"""The Insights' practice measures in the back office: read-only, derived and kept by the app (measured
when a view finds one missing or stale, and by `homestretch worker`)."""

from django.contrib import admin

from homestretch.insights.models import PracticeMeasure

from .base import HistoryAdmin


@admin.register(PracticeMeasure)
class PracticeMeasureAdmin(HistoryAdmin):
    """Derived (docs/insights.md, Speed): viewable, to see what the practice figure counted of an
    application, never edited by hand; a row holds only while its key is the one computed now."""

    list_display = ("application", "days_in_cadence", "days_measured", "touches", "touches_asking",
                    "application__generation", "key", "computed_at")
    list_select_related = ("application__candidate", "application__job__client")
    search_fields = ("application__candidate__name",)
    raw_id_fields = ("application",)
    show_full_result_count = False
