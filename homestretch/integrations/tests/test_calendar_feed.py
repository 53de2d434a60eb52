"""The calendar feed: parsed back with icalendar event by event; secret, revocable, in fixed queries."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.integrations.calendar import recruiter_feed
from homestretch.integrations.models import CalendarFeed
from homestretch.integrations.services import create_feed, revoke_feed

from .factories import accepted_offer, application_at, competing, extended_offer

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def pipeline(job, alice, charlie, now):
    """Alice: an overdue final interview with two competing deadlines (one confidential), an extended
    offer, an accepted one with a start date; Charlie: an application of his own."""
    entered = now - timedelta(days=10)
    late = application_at("Lena Late", job, alice, "final_interview", entered, now - timedelta(days=4))
    competing(late, "Initech", date(2026, 11, 23), now - timedelta(days=2))
    competing(late, "Hooli", date(2026, 11, 25), now - timedelta(days=1), confidential=True)
    offered = application_at("Omar Offer", job, alice, "offer", entered, now - timedelta(hours=5))
    extended_offer(offered, alice, now - timedelta(days=1), expires_on=date(2026, 11, 24))
    starting = application_at("Sara Start", job, alice, "accepted", entered, now - timedelta(days=1))
    accepted_offer(starting, alice, now - timedelta(days=2), start_date=date(2026, 12, 1))
    application_at("Carl Other", job, charlie, "final_interview", entered, now - timedelta(days=4))
    return {"late": late, "offered": offered, "starting": starting}


def events_of(body: bytes) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_the_feed_has_check_ins_competing_deadlines_expiries_and_start_dates(pipeline, alice, now, settings):
    settings.SITE_URL = "https://hs.example.com"
    body = recruiter_feed(alice, now)
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["version"]) == "2.0" and "Alice Archer" in str(calendar["x-wr-calname"])
    events = events_of(body)
    late, offered, starting = pipeline["late"].id, pipeline["offered"].id, pipeline["starting"].id

    check_in = events[f"check-in-{late}"]
    assert check_in.decoded("dtstart") == date(2026, 11, 20)  # due on the 18th: shown today, where it can be done
    assert check_in.decoded("dtend") == date(2026, 11, 21)
    assert str(check_in["summary"]) == "Check in: Lena Late (Senior Backend Engineer, Acme Cloud) (2 d late)"
    assert str(check_in["url"]).startswith("https://hs.example.com/")
    assert check_in.decoded("dtstamp") == now

    deadlines = sorted((e for uid, e in events.items() if uid.startswith(f"competing-{late}-")),
                       key=lambda e: e.decoded("dtstart"))
    assert [e.decoded("dtstart") for e in deadlines] == [date(2026, 11, 23), date(2026, 11, 25)]
    assert "must answer Initech by 2026-11-23" in str(deadlines[0]["description"])
    assert "Hooli" not in body.decode()  # told in confidence: the company stays out of the calendar
    assert "must answer confidential company A by 2026-11-25" in str(deadlines[1]["description"])

    expiry = events[f"offer-expiry-{offered}"]
    assert expiry.decoded("dtstart") == date(2026, 11, 24)
    assert str(expiry["summary"]) == "Our offer expires: Omar Offer (Senior Backend Engineer, Acme Cloud)"
    assert events[f"check-in-{offered}"].decoded("dtstart") == date(2026, 11, 22)  # called 5 hours ago, every 2 days

    start = events[f"start-{starting}"]
    assert start.decoded("dtstart") == date(2026, 12, 1)
    assert str(start["summary"]) == "First day: Sara Start (Senior Backend Engineer, Acme Cloud)"

    assert "Carl Other" not in body.decode()  # Charlie's candidate is in Charlie's feed
    assert len(events) == 7


def test_the_feed_url_serves_the_calendar_without_sign_in_in_a_fixed_number_of_queries(
    pipeline, alice, client, now, django_assert_max_num_queries,
):
    feed = create_feed(alice)
    with django_assert_max_num_queries(14) as few:
        response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    few_body = response.content
    assert len(events_of(few_body)) > 0

    for n in range(5):
        application_at(f"More Candidate{n}", pipeline["late"].job, alice, "interviewing", now - timedelta(days=9),
                       now - timedelta(days=3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert len(events_of(response.content)) > len(events_of(few_body))


def test_an_unknown_or_revoked_token_gets_404(alice, client, now):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    feed = create_feed(alice)
    assert client.get(feed.get_absolute_url()).status_code == 200
    assert revoke_feed(alice, now) == 1
    assert client.get(feed.get_absolute_url()).status_code == 404
    renewed = create_feed(alice)
    assert renewed.token != feed.token
    assert client.get(renewed.get_absolute_url()).status_code == 200


def test_a_deactivated_users_feed_stops(alice, client):
    feed = create_feed(alice)
    alice.is_active = False
    alice.save()
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_feed_create_prints_the_url_and_feed_revoke_ends_it(alice, client, settings):
    settings.SITE_URL = "https://hs.example.com"
    result = runner.invoke(app, ["feed", "create", "--user", "ALICE@example.com"])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    feed = CalendarFeed.objects.get(user=alice, revoked_at__isnull=True)
    assert url == f"https://hs.example.com/calendar/{feed.token}.ics"
    assert runner.invoke(app, ["feed", "create", "--user", "alice@example.com"]).output.strip() == url

    result = runner.invoke(app, ["feed", "revoke", "--user", "alice@example.com"])
    assert result.exit_code == 0 and "Revoked the calendar feed of alice@example.com" in result.output
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert "had no calendar feed" in runner.invoke(app, ["feed", "revoke", "--user", "alice@example.com"]).output


def test_feed_commands_name_an_unknown_user(db):
    result = runner.invoke(app, ["feed", "create", "--user", "nobody@example.com"])
    assert result.exit_code == 2 and "no user with the e-mail nobody@example.com" in result.output
    assert not CalendarFeed.objects.exists()


def test_without_a_site_url_the_feeds_links_and_address_are_the_requests_own(pipeline, alice, client, settings):
    """The app served on port 8765 hands out links to port 8765, not to the default 8000 (issue 17,
    item 6); the UIDs keep their domain whatever the address, so that calendars do not see new events."""
    settings.SITE_URL = ""
    feed = create_feed(alice)
    body = client.get(feed.get_absolute_url(), HTTP_HOST="127.0.0.1:8765").content
    events = events_of(body)
    assert events
    for event in events.values():
        assert str(event["url"]).startswith("http://127.0.0.1:8765/applications/")
        assert "http://127.0.0.1:8765/applications/" in str(event["description"])
    uids = {str(event["uid"]).split("@")[1] for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert uids == {"127.0.0.1"}
    client.force_login(alice)
    page = client.get("/settings/notifications/", HTTP_HOST="localhost:8765").content.decode()
    assert f'value="http://localhost:8765/calendar/{feed.token}.ics"' in page
    settings.SITE_URL = "https://hs.example.com/"
    page = client.get("/settings/notifications/", HTTP_HOST="localhost:8765").content.decode()
    assert f'value="https://hs.example.com/calendar/{feed.token}.ics"' in page
