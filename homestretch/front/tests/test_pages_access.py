"""Controls only for those who may use them, and refusals in the app's own words (issue 17, item 4):
no "Log touch" on another team's or a viewer's Today, the app's 403 and 404 pages with the navigation
and the reason, and a refused request logged as one line without a traceback."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from homestretch.front.tests.pages import application_at, pages_at_now  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


@pytest.fixture
def due(job, alice, charlie, now):
    entered = now - timedelta(days=10)
    return {
        "alices": application_at("Lena Late", job, alice, "final_interview", entered=entered,
                                 last_call=now - timedelta(days=4)),
        "charlies": application_at("Olga Other", job, charlie, "offer", entered=entered,
                                   last_call=now - timedelta(days=3)),
    }


def _log_touch_links(page: str) -> int:
    return page.count("#log-touch\">Log touch</a>")


def test_today_offers_log_touch_only_on_the_users_own_teams_applications(client, alice, due):
    client.force_login(alice)
    page = client.get("/?scope=everyone").content.decode()
    assert "Lena Late" in page and "Olga Other" in page
    assert _log_touch_links(page) == 1
    assert f'/applications/{due["alices"].pk}/#log-touch' in page
    assert f'/applications/{due["charlies"].pk}/#log-touch' not in page
    assert page.count(">Read only<") == 1


def test_a_viewer_gets_no_log_touch_anywhere(client, victor, due):
    client.force_login(victor)
    page = client.get("/?scope=everyone").content.decode()
    assert "Lena Late" in page and _log_touch_links(page) == 0 and page.count(">Read only<") == 2
    page = client.get(f"/applications/{due['alices'].pk}/").content.decode()
    assert 'id="log-touch"' not in page and "/move/" not in page and "You can read this application" in page


def test_a_refused_change_is_the_apps_403_page_with_the_reason_and_one_log_line(client, charlie, due, caplog):
    client.force_login(charlie)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(f"/applications/{due['alices'].pk}/move/", {"to_stage": "verification"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may read this application but not change it." in page
    assert 'aria-label="Main"' in page and "/static/homestretch/app.css" in page  # the app's page, its navigation
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None  # no traceback
    assert record.getMessage() == (f"Forbidden (Permission denied): /applications/{due['alices'].pk}/move/ "
                                   "(You may read this application but not change it.)")
    # Formatted by the console handler's formatter: one line.
    assert "\n" not in logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    due["alices"].refresh_from_db()
    assert due["alices"].stage == "final_interview"


def test_not_found_is_the_apps_404_page_saying_what_was_not_found(client, alice):
    client.force_login(alice)
    response = client.get("/applications/987654/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "No application with id 987654." in page and 'aria-label="Main"' in page
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is no page at this address." in response.content.decode()


def test_the_user_menu_links_notifications_and_api_tokens_and_every_page_has_an_icon(client, alice):
    """Issue 17, item 7: the API tokens page was linked from nowhere and /favicon.ico was a 404."""
    client.force_login(alice)
    page = client.get("/").content.decode()
    menu = page[page.index('<details class="user-menu">'):page.index("</details>", page.index('class="user-menu"'))]
    assert 'href="/settings/notifications/"' in menu and 'href="/settings/tokens/"' in menu and "Sign out" in menu
    # Not every day's work, so in the menu: the bar keeps to one line at 1280 px (the browser test measures it).
    assert 'href="/spreadsheets/"' in menu and 'href="/model/"' in menu
    assert 'rel="icon" href="/static/homestretch/favicon.svg"' in page
    client.logout()
    icon = client.get("/favicon.ico")  # asked before signing in too
    assert icon.status_code == 301 and icon["Location"] == "/static/homestretch/favicon.svg"


def test_a_form_refused_by_the_csrf_check_is_the_apps_403_page_saying_what_to_do(alice, due):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.post(f"/applications/{due['alices'].pk}/touch/", {"channel": "call"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "reload the page and send the form again" in page and 'aria-label="Main"' in page
