"""Today, the landing page: the signed-in recruiter's agenda, their team's or everyone's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from homestretch.front.tests.pages import application_at, many_applications, pages_at_now  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


@pytest.fixture
def day(job, alice, bob, charlie, now):
    """Alice's overdue final interview and fresh one, Bob's overdue one, Charlie's (other team) overdue one."""
    entered = now - timedelta(days=10)
    return {
        "late": application_at("Lena Late", job, alice, "final_interview", entered=entered,
                               last_call=now - timedelta(days=4)),
        "fresh": application_at("Fred Fresh", job, alice, "final_interview", entered=entered,
                                last_call=now - timedelta(hours=3)),
        "bob": application_at("Bea Bobs", job, bob, "verification", entered=entered, last_call=now - timedelta(days=6)),
        "other": application_at("Olga Other", job, charlie, "offer", entered=entered,
                                last_call=now - timedelta(days=3)),
    }


def _names(response) -> list[str]:
    return [item.facts.candidate_name for item in response.context["items"]]


def test_today_is_the_landing_page_and_lists_my_due_touches(client, alice, day):
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["scope"] == "mine"
    assert _names(response) == ["Lena Late"]
    page = response.content.decode()
    assert "Lena Late" in page and "Fred Fresh" not in page
    assert "Last contact 4 days ago" in page
    assert reverse("application", kwargs={"application_id": day["late"].pk}) + "#log-touch" in page


def test_the_switch_shows_my_team_then_everyone(client, alice, day):
    client.force_login(alice)
    assert set(_names(client.get("/?scope=team"))) == {"Lena Late", "Bea Bobs"}
    everyone = client.get("/?scope=everyone")
    assert set(_names(everyone)) == {"Lena Late", "Bea Bobs", "Olga Other"}
    assert "Charlie Chen" in everyone.content.decode()  # whose candidate it is, once not all mine


def test_an_unknown_scope_falls_back_to_mine(client, alice, day):
    client.force_login(alice)
    assert client.get("/?scope=nonsense").context["scope"] == "mine"


def test_each_row_shows_the_risk_band_in_words_and_its_top_reason(client, alice, day):
    client.force_login(alice)
    response = client.get("/")
    item = response.context["items"][0]
    assert item.risk is not None and item.risk.band in {"low", "medium", "high"}
    page = response.content.decode()
    assert f"band-{item.risk.band}" in page
    assert f"{item.risk.band.capitalize()} risk" in page  # colour is never the only signal
    assert escape(item.risk.reasons[0].text) in page


def test_a_viewer_without_applications_sees_everyone(client, victor, day):
    client.force_login(victor)
    response = client.get("/")
    assert response.context["scope"] == "everyone"
    assert len(response.context["items"]) == 3


def test_nobody_due_says_so(client, alice, job, now):
    application_at("Fred Fresh", job, alice, "final_interview", entered=now - timedelta(days=10),
                   last_call=now - timedelta(hours=3))
    client.force_login(alice)
    assert "Nobody to contact today" in client.get("/").content.decode()


def test_today_queries_do_not_grow_with_the_agenda(client, alice, job, now, django_assert_max_num_queries):
    client.force_login(alice)
    many_applications(job, alice, 5, now, "Few")
    with CaptureQueriesContext(connection) as first:  # every risk snapshot computed
        assert len(client.get("/").context["items"]) == 5
    with CaptureQueriesContext(connection) as again:  # every one still valid
        client.get("/")
    many_applications(job, alice, 30, now, "Many")
    with django_assert_max_num_queries(len(first)):
        response = client.get("/")
    assert len(response.context["items"]) == 35
    with django_assert_max_num_queries(len(again)):
        client.get("/")
    # One of them the legal bases to renew. On PostgreSQL the snapshots are written in three statements, not
    # one: a temporary table filled by COPY, the upsert from it, its drop (risk/snapshots.py).
    assert len(first) <= (34 if connection.vendor == "postgresql" else 32) and len(again) <= 17


def test_a_long_day_shows_the_most_pressing_rows_and_counts_the_rest(client, alice, job, now, monkeypatch):
    from homestretch.front import views

    monkeypatch.setattr(views, "ROWS_SHOWN", 4)
    many_applications(job, alice, 6, now, "Busy")
    client.force_login(alice)
    response = client.get("/")
    assert len(response.context["items"]) == 4
    page = response.content.decode()
    assert "6 to contact" in page and "And 2 more" in page
