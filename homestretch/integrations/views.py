"""The notification settings page and the calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.access import can_read
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.lib.site import site_url

from . import services
from .calendar import recruiter_feed
from .forms import NotificationSettingsForm
from .models import CalendarFeed, NotificationSettings, TeamWebhook


def _require_signed_in(request: AuthenticatedHttpRequest) -> None:
    if not can_read(request.user):
        raise PermissionDenied("Sign in to see this.")


@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each user changes only their own settings: there is no id in the URL to tamper with."""
    _require_signed_in(request)
    current = NotificationSettings.objects.filter(user=request.user).first() or NotificationSettings(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved.")
        return redirect("notification-settings")
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    team_webhook = request.user.team_id is not None and TeamWebhook.objects.filter(
        team_id=request.user.team_id, enabled=True).exists()
    feed_url = feed.full_url(request) if feed is not None else ""
    return render(request, "integrations/settings.html", {"form": form, "feed": feed, "feed_url": feed_url,
                                                          "team_webhook": team_webhook},
                  status=400 if form.errors else 200)


@require_POST
def calendar_feed_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create (action=create) or revoke (action=revoke) the signed-in user's calendar feed."""
    _require_signed_in(request)
    action = request.POST.get("action")
    if action == "create":
        services.create_feed(request.user)
        messages.success(request, "Your calendar feed is ready: add its address to your calendar.")
    elif action == "revoke":
        if services.revoke_feed(request.user, timezone.now()):
            messages.success(request, "Your calendar feed is revoked: its address no longer works.")
    else:
        return HttpResponse("Say action=create or action=revoke.", status=400, content_type="text/plain")
    return redirect("notification-settings")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed at its secret address: no sign-in (calendars cannot), 404 for an unknown or revoked token."""
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True, user__is_active=True).select_related(
        "user").first()
    if feed is None:
        raise Http404("No such calendar feed.")
    body = recruiter_feed(feed.user, timezone.now(), site_url(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="homestretch.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
