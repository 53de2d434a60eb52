"""The web app's error pages that Django would otherwise answer in its own words (urls.py wires them)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
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
