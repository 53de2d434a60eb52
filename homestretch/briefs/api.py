"""GET /applications/{id}/brief?audience=&format=: the brief as JSON (one key per section), Markdown or HTML."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.audit.choices import Kind
from homestretch.audit.trail import record_request
from homestretch.lib.api import READ, errors_of
from homestretch.lib.api_fields import Id, Moment
from homestretch.pipeline.access import get_application_for_user

from .render import as_html, as_json, as_markdown
from .services import brief_for

router = Router()


class BriefQuery(Schema):
    audience: Literal["internal", "client"] = Field(
        "internal", description="internal: everything, for the recruiter; client: what may be shared with the "
        "hiring manager (nothing told in confidence, no notes).")
    format: Literal["json", "md", "html"] = Field("json", description="json, md (text/markdown) or html (the body).")
    at: Moment | None = Field(None, description="The moment, ISO 8601 with a time zone; now when left out.")


@router.get("/applications/{application_id}/brief", response=errors_of(READ, 200, dict[str, Any]), tags=["briefs"])
def read_brief(request: AuthenticatedApiRequest, application_id: Id, query: Query[BriefQuery]):
    """The brief for the hiring manager. JSON keys: application, priorities, our_offer, competing_offers, risk,
    levers (each with its amount or date and the sentence that explains it), talking_points, missing."""
    application = get_application_for_user(request.auth, application_id)
    built = brief_for(application.pk, audience=query.audience, now=query.at or timezone.now())
    record_request(Kind.VIEWED_BRIEF, request, application, detail={"audience": query.audience, "format": query.format})
    if query.format == "md":
        return HttpResponse(as_markdown(built), content_type="text/markdown; charset=utf-8")
    if query.format == "html":
        return HttpResponse(as_html(built), content_type="text/html; charset=utf-8")
    return as_json(built)
