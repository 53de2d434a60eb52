"""GET /candidates/{id}/export?format=: everything held about a candidate, as JSON or readable HTML (admins only)."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from homestretch.accounts.access import require_reader
from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.audit.choices import Kind
from homestretch.audit.trail import record_request
from homestretch.lib.api import READ, errors_of
from homestretch.lib.api_fields import Id

from .export import CandidateNotFound, export_candidate
from .export_render import as_html

router = Router(tags=["candidates"])


class ExportQuery(Schema):
    format: Literal["json", "html"] = Field("json", description="json (the document) or html (its readable version).")


@router.get("/candidates/{candidate_id}/export", response=errors_of(READ, 200, dict[str, Any]))
def export(request: AuthenticatedApiRequest, candidate_id: Id, query: Query[ExportQuery]):
    """Everything held about the candidate (right of access): details with the legal basis, applications with
    their stage history and offers (with events), touchpoints with notes, competing offers with their changes,
    priorities, mail kept, proposals, and the audit entries about them. Admins only; recorded in the audit
    ("viewed export"). Confidential facts included: it is the person's own data, never for a client."""
    require_reader(request.auth)
    if not request.auth.is_admin:
        raise PermissionDenied("Only an admin exports a candidate's data.")
    now = timezone.now()
    try:
        document = export_candidate(candidate_id, now=now)
    except CandidateNotFound as missing:
        raise Http404(str(missing)) from None
    record_request(Kind.VIEWED_EXPORT, request, object_type="candidate", object_id=candidate_id,
                   detail={"format": query.format})
    if query.format == "html":
        return HttpResponse(as_html(document), content_type="text/html; charset=utf-8")
    return document
