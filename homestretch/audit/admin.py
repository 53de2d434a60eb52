"""The back office does not show the audit: admins read it on its own page (/audit/), which pages through
millions of entries by index and links to the objects, where auditlog's admin page would search the changes
by a full scan. auditlog is installed before this app, so its admin module has registered the entry already."""

from django.contrib import admin

from .models import Entry

if admin.site.is_registered(Entry):
    admin.site.unregister(Entry)
