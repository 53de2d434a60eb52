"""The mail-in blocks of the application and candidate pages: the proposals read from mail, and the
.eml upload form (homestretch.front.mail)."""

from __future__ import annotations

from django import template

from homestretch.front.mail import UploadForm, proposals_context

register = template.Library()


@register.inclusion_tag("mailin/_proposals.html", takes_context=True)
def mail_proposals(context, application):
    return {**proposals_context(context["request"].user, application), "request": context["request"],
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("mailin/_upload.html", takes_context=True)
def mail_upload_candidate(context, candidate):
    user = context["request"].user
    return {"action": "candidate", "candidate": candidate, "upload_form": UploadForm(),
            "can_upload": user.team_id is not None, "csrf_token": context.get("csrf_token")}
