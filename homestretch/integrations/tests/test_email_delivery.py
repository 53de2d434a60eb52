"""The digest e-mail against a real SMTP server on 127.0.0.1 that goes wrong: a bounded timeout, and a
recruiter never gets two e-mails for one digest — not when the server takes the message and goes
silent, not when a second run comes along while the first is still sending."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail

from homestretch.integrations import services
from homestretch.integrations.checks import email_timeout_within_lease
from homestretch.integrations.delivery import DeliveryFailed, OutcomeUnknown
from homestretch.integrations.digest import Digest
from homestretch.integrations.email import EmailTransport
from homestretch.integrations.models import CLAIM_LEASE, DigestDelivery
from homestretch.integrations.services import RemindReport, remind

from .factories import application_at
from .smtp_server import SMTPServer, closed_port

DIGEST = Digest(recruiter_id=1, recruiter_email="alice@example.com", recruiter_name="Alice Archer",
                day=date(2026, 11, 20), entries=())


@pytest.fixture
def smtp_to(settings):
    """Points Django's SMTP backend at a port on 127.0.0.1, with a short timeout so the tests stay quick."""

    def point(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 0.5

    return point


@pytest.fixture
def alices_day(job, alice, now):
    application_at("Lena Late", job, alice, "final_interview", now - timedelta(days=10), now - timedelta(days=4))


def test_the_smtp_timeout_is_bounded_and_well_under_the_claim_lease(settings):
    assert django_settings.EMAIL_TIMEOUT is not None
    assert 0 < django_settings.EMAIL_TIMEOUT * 10 <= CLAIM_LEASE.total_seconds()
    assert email_timeout_within_lease() == []
    settings.EMAIL_TIMEOUT = None  # an installation that takes the timeout away is told at start-up
    assert [warning.id for warning in email_timeout_within_lease()] == ["homestretch.W001"]


# --- What the transport can tell: certainly not sent, or perhaps sent


def test_a_message_taken_is_sent_with_its_delivery_key_as_message_id(smtp_to):
    with SMTPServer("ok") as server:
        smtp_to(server.port)
        EmailTransport().send(DIGEST)
    [message] = server.messages
    assert f"Message-ID: <digest-{DIGEST.delivery_key('email')}@".encode() in message


@pytest.mark.parametrize("behaviour", ["silent", "refuse", "closed"])
def test_a_server_that_never_took_the_message_is_a_failure(smtp_to, behaviour):
    with SMTPServer("ok" if behaviour == "closed" else behaviour) as server:
        smtp_to(closed_port() if behaviour == "closed" else server.port)
        with pytest.raises(DeliveryFailed):
            EmailTransport().send(DIGEST)
    assert server.messages == []


def test_a_server_that_took_the_message_and_went_silent_is_an_unknown_outcome(smtp_to):
    with SMTPServer("stall") as server:
        smtp_to(server.port)
        with pytest.raises(OutcomeUnknown, match="may have arrived"):
            EmailTransport().send(DIGEST)
    assert len(server.messages) == 1


# --- The outbox: never twice


@pytest.mark.django_db
def test_a_stalled_mail_server_gets_the_digest_once_however_many_runs_follow(alices_day, alice, now, smtp_to):
    with SMTPServer("stall") as server:
        smtp_to(server.port)
        report = remind(now)
        assert (report.emails, report.unknown) == (0, 1)
        for later in (timedelta(minutes=10), CLAIM_LEASE + timedelta(minutes=1), CLAIM_LEASE * 3):
            remind(now + later)
    assert len(server.messages) == 1
    row = DigestDelivery.objects.get(recruiter=alice, channel="email")
    assert (row.status, row.attempts) == ("unknown", 1)
    assert "may have arrived" in row.last_error


class SecondRunMidSend(EmailTransport):
    """While this run is handing its first digest to the mail server, a second run starts, after the
    claim's lease: the issue's stalled server that a later run took over."""

    def __init__(self, later) -> None:
        super().__init__()
        self.later = later
        self.second: RemindReport | None = None

    def send(self, digest: Digest) -> None:
        if self.second is None:
            self.second = remind(self.later)
        super().send(digest)


@pytest.mark.django_db
def test_a_second_run_never_sends_a_digest_the_first_is_still_sending(alices_day, alice, now):
    first = SecondRunMidSend(now + CLAIM_LEASE + timedelta(minutes=1))
    report = remind(now, email_transport=first)
    assert [message.to[0] for message in mail.outbox] == ["alice@example.com"]
    assert first.second.emails == 0
    assert report.emails == 1
    # The first run's word is the last: the message went.
    assert DigestDelivery.objects.get(recruiter=alice, channel="email").status == "sent"


@pytest.mark.django_db
def test_a_claim_interrupted_before_anything_was_sent_is_sent_by_a_later_run(alices_day, alice, now, monkeypatch):
    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # not an Exception: like a kill while the digest was being built

    with monkeypatch.context() as patch:
        patch.setattr(services, "_digest_for", killed)
        with pytest.raises(KeyboardInterrupt):
            remind(now)
    assert remind(now + timedelta(minutes=1)).emails == 0  # the claim may still be alive: left alone
    assert remind(now + CLAIM_LEASE + timedelta(minutes=1)).emails == 1
    assert [message.to[0] for message in mail.outbox] == ["alice@example.com"]
