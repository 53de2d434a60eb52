"""The admin's download of everything held about a candidate, from the candidate page (JSON, or ?format=html)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.audit.choices import Kind
from homestretch.audit.trail import record_request

from .export import CandidateNotFound, export_candidate
from .export_render import as_html


@require_safe
def candidate_export(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    """A download: candidate-<id>.json, or the readable version with ?format=html. Admins only: it holds
    what the candidate told in confidence. Recorded in the audit ("viewed export")."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_admin):
        raise PermissionDenied("Only an admin exports a candidate's data.")
    as_page = request.GET.get("format") == "html"
    try:
        document = export_candidate(candidate_id, now=timezone.now())
    except CandidateNotFound as missing:
        raise Http404(str(missing)) from None
    record_request(Kind.VIEWED_EXPORT, request, object_type="candidate", object_id=candidate_id,
                   detail={"format": "html" if as_page else "json"})
    if as_page:
        return HttpResponse(as_html(document), content_type="text/html; charset=utf-8")
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="candidate-{candidate_id}.json"'
    return response
