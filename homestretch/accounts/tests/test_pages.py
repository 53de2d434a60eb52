"""The pages around the pipeline: everything needs signing in but the sign-in page and the health
check; signing in and out; the landing page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

# Pages anybody may open: signing in, and the health check for load balancers; the calendar feed,
# whose secret token is its key (calendars cannot sign in; an unknown token gets 404).
PUBLIC_PATHS = {"/login/", "/healthz", "/admin/login/", "/calendar/1.ics", "/favicon.ico"}


@pytest.fixture(autouse=True)
def _pages_drawn_at_the_tests_now(settings, now):
    settings.HOMESTRETCH_PAGES_NOW = now
PASSWORD = "correct horse battery"


def _sample_path(prefix: str, pattern) -> str:
    """A concrete path for one URL pattern: each parameter filled with a plausible value."""
    if isinstance(pattern, RoutePattern):
        return prefix + re.sub(r"<(?:\w+:)?\w+>", "1", str(pattern))
    assert isinstance(pattern, RegexPattern)
    regex = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
    # Named groups take their first alternative (the admin's app list: accounts|pipeline|...) or 1.
    regex = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", regex)
    regex = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex)
    return prefix + regex.replace("\\", "")


def all_paths(patterns=None, prefix: str = "/") -> Iterator[str]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from all_paths(entry.url_patterns, _sample_path(prefix, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield _sample_path(prefix, entry.pattern)


ALL_PATHS = sorted(set(all_paths()))


def test_the_url_walk_covers_the_pages_and_the_admin():
    assert {"/", "/admin/", "/login/", "/logout/", "/healthz", "/admin/pipeline/application/"} <= set(ALL_PATHS)
    assert "/admin/pipeline/application/1/change/" in ALL_PATHS
    assert len(ALL_PATHS) > 50


# The REST API answers 401 problem documents itself (no sign-in redirect for machines); its OpenAPI
# document and docs page are open.
API_PATHS = {path for path in ALL_PATHS if path.startswith("/api/v1/")}
API_PUBLIC_PATHS = {"/api/v1/openapi.json", "/api/v1/docs"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(API_PATHS))
def test_every_api_endpoint_refuses_an_anonymous_caller_with_401_but_the_docs(client, path):
    response = client.get(path)
    if path in API_PUBLIC_PATHS:
        assert response.status_code == 200, path
    else:
        assert response.status_code in {401, 404, 405}, path  # 404: no endpoint there; 405: one without GET
        assert response.status_code == 405 or response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(set(ALL_PATHS) - PUBLIC_PATHS - API_PATHS))
def test_every_page_sends_an_anonymous_visitor_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302, path
    # Django's admin sends its own site-wide pages (index, app lists, autocomplete...) to its own
    # sign-in page, which admits staff only; everything else goes to ours.
    target = urlsplit(response["Location"])
    assert target.path in {reverse("login"), reverse("admin:login")}, response["Location"]
    assert parse_qs(target.query)["next"] == [path]


@pytest.mark.django_db
def test_sign_in_page_is_open(client):
    assert client.get("/login/").status_code == 200


@pytest.mark.django_db
def test_the_back_office_signs_in_through_the_same_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"


@pytest.mark.django_db
def test_sign_in_keeps_where_the_visitor_was_going(client):
    response = client.get("/?stage=offer")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/%3Fstage%3Doffer"


@pytest.mark.django_db
def test_health_check_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


# --- Signing in and out ---------------------------------------------------------------------------


def test_sign_in_with_email_and_password(client, alice):
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert home.context["user"] == alice
    assert "Alice Archer" in home.content.decode()


def test_sign_in_accepts_the_email_in_any_case(client, alice):
    response = client.post(reverse("login"), {"username": "Alice@Example.COM", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == alice


def test_sign_in_goes_on_to_the_page_asked_for(client, alice):
    response = client.post(reverse("login") + "?next=/admin/", {
        "username": "alice@example.com", "password": PASSWORD, "next": "/admin/",
    })
    assert response["Location"] == "/admin/"


def test_wrong_password_shows_an_error_and_keeps_the_email(client, alice):
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Please enter a correct e-mail address and password" in page
    assert 'value="alice@example.com"' in page
    assert 'type="password"' in page and 'value="wrong"' not in page
    assert not response.context["user"].is_authenticated


def test_inactive_user_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_signed_in_user_skips_the_sign_in_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_out_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405  # a link cannot sign anybody out
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_pages_show_the_sign_out_button_and_the_back_office_link_to_staff_only(client, alice, ada):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert f'action="{reverse("logout")}"' in page
    assert reverse("admin:index") not in page
    client.force_login(ada)
    assert reverse("admin:index") in client.get("/").content.decode()


# --- The landing page ------------------------------------------------------------------------------
# Today replaced the counts by stage as the landing page: its tests are in
# homestretch/agenda/tests/test_pages_today.py, the pipeline board's in pipeline/tests/test_pages_board.py.


def test_the_landing_page_is_today(client, alice):
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.url_name == "home"
    assert "<h1>Today</h1>" in response.content.decode()
