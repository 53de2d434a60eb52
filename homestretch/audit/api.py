"""GET /audit: the audit trail, for admins; read-only, as everywhere (no endpoint changes an entry)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Query, Router

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import READ, Page, errors_of, paginate
from homestretch.lib.refusals import INVALID, Refused

from .reading import Filters, entries, view_of
from .schemas import AuditEntryOut, AuditFilters

router = Router(tags=["audit"])


@router.get("/audit", response=errors_of(READ, 200, Page[AuditEntryOut]))
def list_audit_entries(request: AuthenticatedApiRequest, filters: Query[AuditFilters]) -> dict[str, Any]:
    """The audit trail, newest first: sign-ins, role and token changes, every change to candidates,
    applications, offers, competing offers and priorities with the values before and after, views of briefs,
    exports and client reports, erasures. Admins only (403 for everyone else)."""
    if not request.auth.is_admin:
        raise PermissionDenied("Only admins read the audit trail.")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise Refused("from", "The period starts after it ends: give a `from` on or before `to`.", INVALID)
    found = entries(Filters(actor_id=filters.actor_id, object_type=filters.object_type,
                            object_id=filters.object_id, kind=filters.kind, date_from=filters.date_from,
                            date_to=filters.date_to))
    if filters.before_id is not None:
        found = found.filter(id__lt=filters.before_id)
    page = paginate(found, filters)
    page["items"] = [view_of(entry) for entry in page["items"]]
    return page
