from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.audit.choices import Kind
from homestretch.audit.trail import record_request
from homestretch.pipeline.access import get_application_for_user

from .build import AUDIENCE_ERROR, AUDIENCES, INTERNAL
from .render import as_html, as_markdown, title_of
from .services import brief_for


def brief(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    """The brief of one application; ?audience=client for what may be shared with the hiring manager."""
    application = get_application_for_user(request.user, application_id)
    audience = request.GET.get("audience", INTERNAL)
    if audience not in AUDIENCES:
        return HttpResponseBadRequest(f"{AUDIENCE_ERROR}, not {audience[:40]!r}.", content_type="text/plain")
    built = brief_for(application_id, audience=audience, now=timezone.now())
    record_request(Kind.VIEWED_BRIEF, request, application, detail={"audience": audience, "format": "page"})
    return render(request, "briefs/brief.html", {
        "title": title_of(built), "audience": audience, "markdown": as_markdown(built),
        "body": as_html(built),  # a SafeString: rendered by a template, escaped there
        "replaced": built.replaced,  # outside the document: what the recruiter should know before sending
    })
