"""The chat webhook against a real HTTP server on 127.0.0.1: success, a 500 then success, a timeout."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail

from homestretch.integrations.models import DigestDelivery, NotificationSettings, TeamWebhook
from homestretch.integrations.services import remind
from homestretch.integrations.webhook import WebhookError, WebhookTransport

from .chat_server import ChatServer
from .factories import application_at, competing


@pytest.fixture(autouse=True)
def local_chat_allowed(settings):
    """The chat server here listens on 127.0.0.1 over http, which the webhook refuses by default: these
    tests allow it as an operator testing locally would (the address check still runs on every post)."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_a_post_that_succeeds_is_sent_once_as_slack_json():
    with ChatServer([200]) as chat:
        WebhookTransport(chat.url, sleep=Sleeps()).post({"text": "hello"})
    assert chat.bodies == [{"text": "hello"}]


def test_a_500_is_retried_after_a_backoff_and_then_succeeds(caplog):
    sleeps = Sleeps()
    with ChatServer([500, 503, 200]) as chat, caplog.at_level(logging.WARNING):
        WebhookTransport(chat.url, team_id=7, attempts=3, backoff=0.5, sleep=sleeps).post({"text": "hello"})
    assert len(chat.bodies) == 3
    assert sleeps.waits == [0.5, 1.0]
    assert "attempt 1 of 3 failed: HTTP 500" in caplog.text
    assert "secret" not in caplog.text  # the URL is a credential: never logged


def test_a_timeout_is_retried_and_reported_after_the_last_attempt(caplog):
    sleeps = Sleeps()
    with ChatServer(["hang", "hang"]) as chat, caplog.at_level(logging.WARNING):
        transport = WebhookTransport(chat.url, attempts=2, timeout=0.3, backoff=0.01, sleep=sleeps)
        with pytest.raises(WebhookError, match="timed out"):
            transport.post({"text": "hello"})
    assert len(chat.bodies) == 2
    assert sleeps.waits == [0.01]
    assert caplog.text.count("timed out") == 2


def test_a_refused_post_is_not_retried():
    with ChatServer([404]) as chat, pytest.raises(WebhookError, match="HTTP 404"):
        WebhookTransport(chat.url, sleep=Sleeps()).post({"text": "hello"})
    assert len(chat.bodies) == 1


def test_a_webhook_url_must_be_http():
    with pytest.raises(WebhookError, match="must start with https:// or http://"):
        WebhookTransport("file:///etc/passwd").post({"text": "hello"})


@pytest.fixture
def chat_day(job, alice, bob, teams, now):
    entered = now - timedelta(days=10)
    application_at("Lena Late", job, alice, "final_interview", entered, now - timedelta(days=4))
    application_at("Bruno Behind", job, bob, "offer", entered, now - timedelta(days=5))
    NotificationSettings.objects.create(user=alice, by_chat=True)
    NotificationSettings.objects.create(user=bob, by_chat=False)


def quick(url: str, team_id: int) -> WebhookTransport:
    return WebhookTransport(url, team_id=team_id, attempts=3, timeout=0.5, backoff=0, sleep=Sleeps())


@pytest.mark.django_db
def test_remind_posts_the_digest_to_the_team_chat_of_those_who_chose_it(chat_day, teams, now):
    with ChatServer([200]) as chat:
        TeamWebhook.objects.create(team=teams["north"], url=chat.url)
        report = remind(now, webhook_factory=quick)
        again = remind(now + timedelta(minutes=1), webhook_factory=quick)
    assert (report.emails, report.posts) == (2, 1)
    assert (again.emails, again.posts) == (0, 0)
    [body] = chat.bodies
    assert body["text"].startswith("*Homestretch — Alice Archer's agenda for Fri 20 Nov: 1 to contact* (1 overdue)")
    assert "|Lena Late> — Senior Backend Engineer, Acme Cloud · risk low" in body["text"]
    assert "Bruno Behind" not in body["text"]


@pytest.mark.django_db
def test_a_chat_that_is_down_never_holds_back_the_email_and_is_tried_again_later(chat_day, alice, teams, now):
    with ChatServer([500, 500, 500]) as chat:
        TeamWebhook.objects.create(team=teams["north"], url=chat.url)
        report = remind(now, webhook_factory=quick)
        assert (report.emails, report.posts, report.failed) == (2, 0, 1)
        assert len(mail.outbox) == 2
        row = DigestDelivery.objects.get(recruiter=alice, channel="chat")
        assert (row.status, row.attempts, row.last_error) == (
            "pending", 1, "WebhookError: the chat webhook refused the post: HTTP 500")

        later = remind(now + timedelta(minutes=10), webhook_factory=quick)
    assert (later.emails, later.posts) == (0, 1)
    assert len(chat.bodies) == 4 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_competitor_named_in_confidence_stays_out_of_the_team_chat_but_not_the_recruiters_email(
    job, alice, teams, now,
):
    racing = application_at("Rita Race", job, alice, "interviewing", now - timedelta(days=10), now - timedelta(hours=2))
    competing(racing, "Hooli", (now + timedelta(days=1)).date(), now - timedelta(days=1), confidential=True)
    NotificationSettings.objects.create(user=alice, by_chat=True)
    with ChatServer([200]) as chat:
        TeamWebhook.objects.create(team=teams["north"], url=chat.url)
        report = remind(now, webhook_factory=quick)
    assert report.posts == 1
    [body] = chat.bodies
    assert "Rita Race" in body["text"] and "Hooli" not in body["text"]
    assert "A competing deadline (confidential company A) is in 1 day" in body["text"]
    assert "Hooli" in mail.outbox[0].body  # her own inbox: she knows
