"""The notification settings page: each user's own digest choices and calendar address."""

from __future__ import annotations

import pytest

from homestretch.integrations.models import CalendarFeed, NotificationSettings, TeamWebhook

pytestmark = pytest.mark.django_db
URL = "/settings/notifications/"


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_recruiter_sees_the_defaults_and_no_feed_yet(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Daily digest" in page and 'value="8" selected' in page
    assert "Create my calendar address" in page
    assert "your team has no chat webhook yet" in page


def test_saving_the_settings_keeps_them_for_that_user_only(client, alice, bob, teams):
    TeamWebhook.objects.create(team=teams["north"], url="https://chat.example.com/hook")
    client.force_login(alice)
    response = client.post(URL, {"digest_enabled": "on", "digest_hour": "7", "time_zone": "Europe/Berlin",
                                 "by_chat": "on"})
    assert response.status_code == 302
    saved = NotificationSettings.objects.get(user=alice)
    assert (saved.digest_enabled, saved.digest_hour, saved.time_zone, saved.by_email, saved.by_chat) == (
        True, 7, "Europe/Berlin", False, True)
    assert not NotificationSettings.objects.filter(user=bob).exists()
    page = client.get(URL).content.decode()
    assert "Your notification settings are saved." in page
    assert "no chat webhook yet" not in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("digest_hour", "24", "Ensure this value is less than or equal to 23."),
    ("digest_hour", "nine", "Enter a whole number."),
    ("time_zone", "Mars/Olympus_Mons", "Select a valid choice"),
])
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(client, alice, field, value, message):
    client.force_login(alice)
    data = {"digest_enabled": "on", "digest_hour": "8", "time_zone": "", "by_email": "on", field: value}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_the_calendar_address_is_created_shown_and_revoked_from_the_page(client, alice, settings):
    settings.SITE_URL = "https://hs.example.com"
    client.force_login(alice)
    assert client.post("/settings/notifications/calendar/", {"action": "create"}).status_code == 302
    feed = CalendarFeed.objects.get(user=alice)
    page = client.get(URL).content.decode()
    assert f"https://hs.example.com/calendar/{feed.token}.ics" in page

    client.post("/settings/notifications/calendar/", {"action": "revoke"})
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert feed.token not in client.get(URL).content.decode()
    assert client.post("/settings/notifications/calendar/", {"action": "steal"}).status_code == 400


def test_only_a_post_changes_the_calendar_address(client, alice):
    client.force_login(alice)
    assert client.get("/settings/notifications/calendar/?action=create").status_code == 405
    assert not CalendarFeed.objects.exists()


def test_one_users_page_never_shows_anothers_address(client, alice, bob):
    client.force_login(alice)
    client.post("/settings/notifications/calendar/", {"action": "create"})
    client.force_login(bob)
    page = client.get(URL).content.decode()
    assert CalendarFeed.objects.get(user=alice).token not in page
    assert "Create my calendar address" in page
