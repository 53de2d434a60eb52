"""Today: the recruiter's agenda as the landing page, for them, their team or everyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from homestretch.accounts import access
from homestretch.accounts.choices import Role
from homestretch.pipeline.views import page_now

from .services import agenda

SCOPES = (("mine", "Mine"), ("team", "My team"), ("everyone", "Everyone"))
# Rows shown at once: a team's or everyone's day can hold thousands; the most pressing come first.
ROWS_SHOWN = 100


def today(request: HttpRequest) -> HttpResponse:
    """Who must be contacted today and why, overdue first, then the riskiest."""
    access.require_reader(request.user)
    user = request.user
    default = "mine" if user.role == Role.RECRUITER else ("team" if user.team_id else "everyone")
    scope = request.GET.get("scope", default)
    if scope not in dict(SCOPES) or (scope == "team" and not user.team_id):
        scope = default
    now = page_now()
    on = timezone.localtime(now).date()
    if scope == "mine":
        items = agenda(on, now=now, recruiter_id=user.pk)
    elif scope == "team":
        items = agenda(on, now=now, team_id=user.team_id)
    else:
        items = agenda(on, now=now)
    overdue = sum(1 for item in items if item.due.overdue_days > 0)
    scopes = [(key, label) for key, label in SCOPES if key != "team" or user.team_id]
    return render(request, "agenda/today.html", {
        "items": items[:ROWS_SHOWN], "total": len(items), "hidden": max(0, len(items) - ROWS_SHOWN),
        "scope": scope, "scopes": scopes, "on": on, "overdue": overdue,
        "show_recruiter": scope != "mine",
    })
