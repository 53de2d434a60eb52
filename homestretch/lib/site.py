"""The address links start with: HOMESTRETCH_SITE_URL when set, else the request's own.

A page or feed answering a request builds its absolute links from the address the request came to
(scheme and host, the host checked against ALLOWED_HOSTS by Django), so that an app served on port
8765, or behind a proxy under its own name, never hands out links to another address. What is sent
without a request — the daily digest, the command line — needs HOMESTRETCH_SITE_URL; without it,
it falls back to DEFAULT_SITE_URL, the address `homestretch run` serves on by default.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def configured_site_url() -> str:
    """HOMESTRETCH_SITE_URL without its trailing slash, or '' when it is not set."""
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/")


def site_url(request: HttpRequest | None = None) -> str:
    """The scheme and host (and any path prefix) links start with, without a trailing slash."""
    configured = configured_site_url()
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEFAULT_SITE_URL
