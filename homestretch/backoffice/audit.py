"""The audit trail in the back office: read-only, like every history (nothing added, changed or deleted).

Admins read it on its own page (/audit/, homestretch.audit.views), with filters and links to the objects;
this list is the back office's view of the same table. auditlog registers an admin of its own for the entry
model; it is replaced here so that the back office's roles and read-only history rules apply.
"""

from __future__ import annotations

from django.contrib import admin

from homestretch.audit.models import Entry

from .base import HistoryAdmin

if admin.site.is_registered(Entry):
    admin.site.unregister(Entry)


@admin.register(Entry)
class EntryAdmin(HistoryAdmin):
    list_display = ("timestamp", "kind", "actor_label", "remote_addr", "object_repr")
    list_filter = ("kind",)
    list_select_related = ("actor", "content_type")
    # The table may hold millions of entries: no full count under the filters, no search through the changes.
    show_full_result_count = False
    ordering = ("-id",)
    fields = ("timestamp", "kind", "actor", "actor_label", "remote_addr", "content_type", "object_id",
              "object_repr", "candidate_id", "changes", "additional_data")
    readonly_fields = fields
