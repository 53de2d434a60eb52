"""Today: the recruiter's agenda as the landing page, for them, their team or everyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from homestretch.accounts import access
from homestretch.accounts.choices import Role
from homestretch.pipeline.views import page_now

from .services import todays_agenda_page

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
    # Only today's agenda is drawn here, and only its first rows: the risk snapshots choose them, so
    # everyone's day (thousands of applications) is not loaded and scored whole on every visit.
    if scope == "mine":
        page = todays_agenda_page(now, ROWS_SHOWN, recruiter_id=user.pk)
    elif scope == "team":
        page = todays_agenda_page(now, ROWS_SHOWN, team_id=user.team_id)
    else:
        page = todays_agenda_page(now, ROWS_SHOWN)
    scopes = [(key, label) for key, label in SCOPES if key != "team" or user.team_id]
    return render(request, "agenda/today.html", {
        "items": page.items, "total": page.total, "hidden": max(0, page.total - len(page.items)),
        "scope": scope, "scopes": scopes, "on": timezone.localtime(now).date(), "overdue": page.overdue,
        "show_recruiter": scope != "mine",
    })
