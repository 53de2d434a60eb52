"""The web app's error pages that Django would otherwise answer in its own words (urls.py wires them).

Each is the app's own page, with the navigation and the reason in the recruiter's words: a 403 says
what the user may not do ("You may read this application but not change it."), a 404 what was not
found. homestretch.lib.logs.RefusalsInOneLine keeps their log lines to one line each."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from homestretch.lib.request_size import body_limit_in_words


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 for a suspicious request; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 of its own.

    Django turns RequestDataTooBig (a SuspiciousOperation) into this handler's 400 wherever the body is
    read: the CSRF check, a form, the sign-in page. The API answers its own 413 problem document
    (homestretch/api.py)."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", {"limit": body_limit_in_words()}, status=413)
    return defaults.bad_request(request, exception)


def _reason(exception: Exception | None) -> str:
    """The sentence an access helper raised with (homestretch.accounts.access), or ''."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


def permission_denied(request: HttpRequest, exception: PermissionDenied | None = None) -> HttpResponse:
    """403: what the user may not do, with the way back."""
    return render(request, "403.html", {"exception": _reason(exception)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: what was not found ("No application with id 12."), or that no page has this address."""
    return render(request, "404.html", {"exception": _reason(exception), "request_path": request.path}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (a page open across a sign-out, a cookie lost): the app's 403 page
    saying what to do, not Django's bare one. Django logs the reason ("CSRF token missing.") itself."""
    return render(request, "403.html", {
        "exception": "This form could not be accepted: the page was open too long, or you signed out and in "
                     "again meanwhile. Nothing was saved. Go back, reload the page and send the form again."},
        status=403)
