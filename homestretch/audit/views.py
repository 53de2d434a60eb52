"""The audit page: admins read the trail, newest first, a page at a time; nothing here writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from homestretch.accounts.models import User
from homestretch.accounts.requests import AuthenticatedHttpRequest

from .forms import AuditFilterForm
from .reading import EntryView, Filters, entries, view_of, with_links

PAGE_SIZE = 50


def require_admin(user: User) -> None:
    """The audit is read by admins alone: it holds every change, confidential ones included."""
    if not (user.is_active and user.is_admin):
        raise PermissionDenied("Only admins read the audit trail.")


@require_safe  # GET and HEAD: the trail is read here, never changed
def audit_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_admin(request.user)
    form = AuditFilterForm(request.GET or None)
    views: list[EntryView] = []
    older = ""
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else Filters()
        found = entries(filters)
        before = form.cleaned_data.get("before") if form.is_bound else None
        if before:
            found = found.filter(id__lt=before)
        # Keyset paging: "older than this id", one more row than shown to know whether there is more.
        page = list(found[:PAGE_SIZE + 1])
        views = with_links([view_of(entry) for entry in page[:PAGE_SIZE]])
        if len(page) > PAGE_SIZE:
            query = request.GET.copy()
            query["before"] = str(page[PAGE_SIZE - 1].pk)
            older = query.urlencode()
    newest = request.GET.copy()
    newest.pop("before", None)
    return render(request, "audit/entries.html", {
        "form": form, "entries": views, "older": older, "newest": newest.urlencode(),
        "paged": "before" in request.GET,
    })
