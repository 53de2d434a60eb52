"""The chat webhook against a real HTTP server on 127.0.0.1: one post per delivery and run, a definite
failure tried again by a later run with the same delivery key, an unknown outcome never posted again."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest
from django.core import mail

from homestretch.integrations.delivery import OutcomeUnknown
from homestretch.integrations.models import CLAIM_LEASE, DigestDelivery, NotificationSettings, TeamWebhook
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


def test_a_post_that_succeeds_is_sent_once_as_slack_json_with_its_delivery_key():
    with ChatServer([200]) as chat:
        WebhookTransport(chat.url).post({"text": "hello"}, delivery_key="d-1")
    assert chat.bodies == [{"text": "hello"}]
    assert chat.headers[0]["Idempotency-Key"] == "d-1"


def test_a_500_is_a_failure_posted_once(caplog):
    with ChatServer([500, 200]) as chat, caplog.at_level(logging.WARNING), pytest.raises(WebhookError, match="500"):
        WebhookTransport(chat.url, team_id=7).post({"text": "hello"})
    assert len(chat.bodies) == 1
    assert "chat webhook of team 7: HTTP 500" in caplog.text
    assert "secret" not in caplog.text  # the URL is a credential: never logged


def test_a_timeout_after_the_post_went_is_an_unknown_outcome_posted_once(caplog):
    with ChatServer(["hang", "hang"]) as chat, caplog.at_level(logging.WARNING), \
            pytest.raises(OutcomeUnknown, match="timed out"):
        WebhookTransport(chat.url, timeout=0.3).post({"text": "hello"})
    assert len(chat.bodies) == 1
    assert caplog.text.count("timed out") == 1


def test_a_gateway_timeout_is_an_unknown_outcome():
    # A proxy's 504 (or 502) speaks for a chat server that may well have posted the digest.
    with ChatServer([504]) as chat, pytest.raises(OutcomeUnknown, match="HTTP 504"):
        WebhookTransport(chat.url).post({"text": "hello"})
    assert len(chat.bodies) == 1


def test_a_server_that_cannot_be_reached_is_a_failure_nothing_was_sent():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound and not listening: the connection is refused
        with pytest.raises(WebhookError, match="could not connect"):
            WebhookTransport(f"http://127.0.0.1:{port}/hook").post({"text": "hello"})


def test_a_refused_post_is_a_failure():
    with ChatServer([404]) as chat, pytest.raises(WebhookError, match="HTTP 404"):
        WebhookTransport(chat.url).post({"text": "hello"})
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
    return WebhookTransport(url, team_id=team_id, timeout=0.5)


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
    with ChatServer([500]) as chat:
        TeamWebhook.objects.create(team=teams["north"], url=chat.url)
        report = remind(now, webhook_factory=quick)
        assert (report.emails, report.posts, report.failed) == (2, 0, 1)
        assert len(mail.outbox) == 2
        row = DigestDelivery.objects.get(recruiter=alice, channel="chat")
        assert (row.status, row.attempts, row.last_error) == (
            "pending", 1, "WebhookError: the chat webhook did not take the post: HTTP 500")

        later = remind(now + timedelta(minutes=10), webhook_factory=quick)
    assert (later.emails, later.posts) == (0, 1)
    assert len(chat.bodies) == 2 and len(mail.outbox) == 2  # one post per run
    # The same delivery key both times: a receiver that keeps them can drop a repeat.
    assert chat.headers[0]["Idempotency-Key"] == chat.headers[1]["Idempotency-Key"] == row.delivery_key


@pytest.mark.django_db
def test_a_slow_chat_server_gets_the_digest_once_however_many_runs_follow(chat_day, alice, teams, now):
    with ChatServer(["hang", "hang", "hang", "hang"]) as chat:
        TeamWebhook.objects.create(team=teams["north"], url=chat.url)
        report = remind(now, webhook_factory=quick)
        assert (report.posts, report.unknown) == (0, 1)
        for later in (timedelta(minutes=10), timedelta(minutes=20), CLAIM_LEASE + timedelta(minutes=30)):
            remind(now + later, webhook_factory=quick)
    assert len(chat.bodies) == 1
    row = DigestDelivery.objects.get(recruiter=alice, channel="chat")
    assert (row.status, row.attempts) == ("unknown", 1)
    assert "may have been posted" in row.last_error and "timed out" in row.last_error


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
