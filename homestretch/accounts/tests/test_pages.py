"""The pages around the pipeline: everything needs signing in but the sign-in page and the health
check; signing in and out; the home page's counts by stage, at a fixed number of queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Candidate, Job
from homestretch.pipeline.services import StageMove

# Pages anybody may open: signing in, and the health check for load balancers.
PUBLIC_PATHS = {"/login/", "/healthz", "/admin/login/"}
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


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(set(ALL_PATHS) - PUBLIC_PATHS))
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


# --- The home page: counts by stage ---------------------------------------------------------------


def _open(candidate_name: str, job: Job, recruiter, stage: str, at) -> Application:
    candidate = Candidate.objects.create(name=candidate_name)
    return services.open_application(candidate=candidate, job=job, recruiter=recruiter, by=recruiter, at=at,
                                     stage=stage)


def _counts(response) -> dict[str, tuple[int, int]]:
    return {row["stage"]: (row["mine"], row["everyone"]) for row in response.context["rows"]}


def test_home_counts_applications_by_stage_for_the_user_and_for_everyone(client, alice, bob, charlie, job, now):
    _open("A1", job, alice, "screening", now)
    _open("A2", job, alice, "screening", now)
    lost = _open("A3", job, alice, "interviewing", now)
    services.move_stage(lost.pk, StageMove("withdrawn", reason="Took another job", loss_reason="competing_offer"),
                        by=alice, at=now + timedelta(hours=1))
    _open("B1", job, bob, "screening", now)
    _open("C1", job, charlie, "offer", now)
    client.force_login(alice)
    counts = _counts(client.get("/"))
    assert counts["screening"] == (2, 3)
    assert counts["offer"] == (0, 1)
    assert counts["withdrawn"] == (1, 1)
    assert counts["interviewing"] == (0, 0)
    client.force_login(charlie)
    assert _counts(client.get("/"))["offer"] == (1, 1)


def test_home_lists_every_stage_once_in_the_order_of_the_process(client, alice):
    from homestretch.pipeline.choices import Stage

    client.force_login(alice)
    stages = [row["stage"] for row in client.get("/").context["rows"]]
    assert sorted(stages) == sorted(Stage.values)
    assert stages[:3] == ["sourced", "screening", "interviewing"]


def test_home_shows_the_counts_in_the_page(client, alice, bob, job, now):
    for i in range(3):
        _open(f"B{i}", job, bob, "offer", now)
    _open("A0", job, alice, "offer", now)
    client.force_login(alice)
    page = client.get("/").content.decode()
    row = re.search(r'stage-offer">Offer</span></th>\s*<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>', page)
    assert row is not None and row.groups() == ("1", "4")


def test_viewer_sees_zero_of_their_own(client, victor, alice, job, now):
    _open("A0", job, alice, "sourced", now)
    client.force_login(victor)
    assert _counts(client.get("/"))["sourced"] == (0, 1)


def test_home_queries_are_few_and_do_not_grow_with_the_pipeline(
    client, alice, bob, job, now, django_assert_max_num_queries
):
    client.force_login(alice)
    client.get("/")
    for i in range(3):
        _open(f"A{i}", job, alice, "screening", now)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(30):
        _open(f"B{i}", job, bob if i % 2 else alice, ["sourced", "offer", "verification"][i % 3], now)
    with django_assert_max_num_queries(5):  # the session, the user, their team (in the top bar), two counts
        response = client.get("/")
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)
