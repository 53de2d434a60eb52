"""The daily digest by e-mail: its content, who gets it when, and that no run ever sends it twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.integrations.email import EmailTransport
from homestretch.integrations.models import CLAIM_LEASE, MAX_DELIVERY_ATTEMPTS, DigestDelivery, NotificationSettings
from homestretch.integrations.services import remind

from .factories import application_at, competing

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def day(job, alice, bob, charlie, now):
    """Alice: one overdue final interview and one with a competing deadline; Bob: one overdue; Charlie: nothing."""
    entered = now - timedelta(days=10)
    late = application_at("Lena Late", job, alice, "final_interview", entered, now - timedelta(days=4))
    racing = application_at("Rita Race", job, alice, "interviewing", entered, now - timedelta(hours=2))
    competing(racing, "Initech", (now + timedelta(days=1)).date(), now - timedelta(days=1))
    bobs = application_at("Bruno Behind", job, bob, "offer", entered, now - timedelta(days=5))
    application_at("Carla Calm", job, charlie, "screening", now - timedelta(days=1), now - timedelta(hours=1))
    return {"late": late, "racing": racing, "bobs": bobs}


def outbox_by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_each_recruiter_gets_their_own_agenda_with_reasons_risk_action_and_links(day, alice, bob, now, settings):
    settings.SITE_URL = "https://hs.example.com"
    report = remind(now)

    assert (report.emails, report.posts, report.empty) == (2, 0, 1)  # Charlie has nothing due
    messages = outbox_by_recipient()
    assert set(messages) == {"alice@example.com", "bob@example.com"}
    alices = messages["alice@example.com"]
    assert alices.subject == "Homestretch: 2 to contact on Fri 20 Nov (1 overdue)"
    text = alices.body
    assert "Lena Late — Senior Backend Engineer, Acme Cloud" in text
    assert "Last contact 4 days ago; at final interview check in every 2 days (2 d late)" in text
    assert "A competing deadline (Initech) is in 1 day, 2026-11-21" in text
    assert "Bruno Behind" not in text  # Bob's candidate is not on Alice's agenda
    assert text.index("Lena Late") < text.index("Rita Race")  # overdue first
    assert f"https://hs.example.com/admin/pipeline/application/{day['late'].id}/change/" in text or \
        f"https://hs.example.com/applications/{day['late'].id}/" in text
    assert "Risk: " in text and "First: " in text
    html, mimetype = alices.alternatives[0]
    assert mimetype == "text/html"
    assert "Lena Late" in html and "risk " in html and "https://hs.example.com" in html
    assert "https://hs.example.com/settings/notifications/" in text


def test_the_link_goes_to_the_application_page_once_it_exists(day, now, settings):
    from django.urls import NoReverseMatch, reverse

    from homestretch.integrations.digest import application_url

    settings.SITE_URL = "https://hs.example.com/"
    try:
        expected = reverse("application", kwargs={"application_id": day["late"].id})
    except NoReverseMatch:
        expected = reverse("admin:pipeline_application_change", args=[day["late"].id])
    assert application_url(day["late"].id) == "https://hs.example.com" + expected


def test_running_twice_sends_nothing_twice(day, now):
    first = remind(now)
    second = remind(now + timedelta(minutes=5))

    assert first.emails == 2
    assert (second.emails, second.planned, second.empty) == (0, 0, 0)
    assert len(mail.outbox) == 2
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent", "empty"}


class FailsAfter(EmailTransport):
    """The real e-mail transport that breaks after `good` digests, as a mail server going down would."""

    def __init__(self, good: int, error: type[BaseException] = ConnectionError) -> None:
        super().__init__()
        self.good = good
        self.error = error

    def send(self, digest) -> None:
        if self.good <= 0:
            raise self.error("mail server closed the connection")
        self.good -= 1
        super().send(digest)


def test_a_run_that_breaks_half_way_is_resumed_by_the_next_without_repeating_or_skipping(day, now):
    broken = remind(now, email_transport=FailsAfter(good=1))
    assert (broken.emails, broken.failed) == (1, 1)
    assert len(mail.outbox) == 1
    first_recipient = mail.outbox[0].to[0]
    waiting = DigestDelivery.objects.get(status="pending")
    assert waiting.attempts == 1 and "ConnectionError" in waiting.last_error

    resumed = remind(now + timedelta(minutes=1))
    assert (resumed.emails, resumed.failed) == (1, 0)
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == ["alice@example.com", "bob@example.com"]
    assert recipients[0] == first_recipient
    assert DigestDelivery.objects.filter(status="sent").count() == 2


def test_a_process_killed_while_sending_leaves_the_rest_for_the_next_run_and_never_sends_that_one_twice(day, now):
    # KeyboardInterrupt is not an Exception: nothing in `remind` catches it, like a kill mid-send.
    with pytest.raises(KeyboardInterrupt):
        remind(now, email_transport=FailsAfter(good=1, error=KeyboardInterrupt))
    assert len(mail.outbox) == 1
    interrupted = DigestDelivery.objects.get(status="sending")
    assert DigestDelivery.objects.filter(status="pending").count() == 1  # Charlie's, not reached

    soon = remind(now + timedelta(minutes=1))  # the claim may still be alive elsewhere: leave it
    assert soon.emails == 0 and len(mail.outbox) == 1
    assert DigestDelivery.objects.get(pk=interrupted.pk).status == "sending"

    # Past the lease: the send had begun, so the message may have reached the mail server: not sent again.
    later = remind(now + CLAIM_LEASE + timedelta(minutes=1))
    assert later.emails == 0 and len(mail.outbox) == 1
    interrupted.refresh_from_db()
    assert (interrupted.status, interrupted.last_error) == (
        "unknown", "interrupted while sending: it may have arrived, so it is not sent again")
    assert not DigestDelivery.objects.filter(status__in=["pending", "sending"]).exists()


def test_a_digest_that_keeps_failing_is_given_up_after_the_last_attempt(day, now):
    for minute in range(MAX_DELIVERY_ATTEMPTS + 1):
        remind(now + timedelta(minutes=minute), email_transport=FailsAfter(good=0))
    assert len(mail.outbox) == 0
    rows = DigestDelivery.objects.filter(channel="email").exclude(status="empty")
    assert {(row.status, row.attempts) for row in rows} == {("failed", MAX_DELIVERY_ATTEMPTS)}
    assert all(row.last_error == "ConnectionError: mail server closed the connection" for row in rows)


def test_the_digest_waits_for_the_hour_chosen_in_the_recruiters_time_zone(day, alice, bob, now):
    # 09:30 UTC is 18:30 in Tokyo and 04:30 in New York.
    NotificationSettings.objects.create(user=alice, digest_hour=18, time_zone="Asia/Tokyo")
    NotificationSettings.objects.create(user=bob, digest_hour=7, time_zone="America/New_York")

    remind(now)
    assert [message.to[0] for message in mail.outbox] == ["alice@example.com"]
    assert DigestDelivery.objects.get(recruiter=alice, channel="email").day.isoformat() == "2026-11-20"

    remind(now.replace(hour=12, minute=5))  # 07:05 in New York
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.com", "bob@example.com"]


def test_no_digest_for_those_who_turned_it_off_or_chose_no_channel(day, alice, bob, now):
    NotificationSettings.objects.create(user=alice, digest_enabled=False)
    NotificationSettings.objects.create(user=bob, by_email=False)
    report = remind(now)
    assert report.emails == 0 and mail.outbox == []
    assert not DigestDelivery.objects.filter(recruiter__in=[alice, bob]).exists()


def test_dry_run_records_and_sends_nothing(day, now):
    report = remind(now, dry_run=True)
    assert sorted((r, c) for r, _, c in report.due) == sorted(
        (u.id, "email") for u in day["late"].recruiter.__class__.objects.filter(role="recruiter")
    )
    assert mail.outbox == [] and not DigestDelivery.objects.exists()


def test_remind_on_the_command_line_prints_what_it_sent(day, now):
    moment = now.isoformat()
    result = runner.invoke(app, ["remind", "--now", moment, "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["due"]) == 3 and mail.outbox == []

    result = runner.invoke(app, ["remind", "--now", moment])
    assert result.exit_code == 0, result.output
    assert "Sent 2 digest e-mails and 0 chat posts" in result.output
    result = runner.invoke(app, ["remind", "--now", moment])
    assert "Sent 0 digest e-mails and 0 chat posts" in result.output
    assert len(mail.outbox) == 2


def test_remind_refuses_a_moment_it_cannot_read(db):
    result = runner.invoke(app, ["remind", "--now", "yesterday at nine"])
    assert result.exit_code == 1
    assert "is not an ISO 8601 date-time" in result.output


def test_dry_run_after_a_run_shows_nothing_left(day, now):
    remind(now)
    assert remind(now + timedelta(minutes=1), dry_run=True).due == []
