"""The drop address over a real SMTP session (aiosmtpd on a free loopback port, smtplib as the client)
and a real IMAP server (Dovecot on loopback, see dovecot.py): the same message by both makes one touch."""

from __future__ import annotations

import logging
import os
import shutil
import smtplib

import pytest
from imap_tools import MailBoxUnencrypted

from homestretch.mailin import imap, smtp
from homestretch.mailin.models import MailboxCursor, MailMessage
from homestretch.mailin.parsing import MAX_MESSAGE_BYTES

from .dovecot import DOVECOT, OPENSSL, PASSWORD, USER, Dovecot, free_port
from .messages import plain, with_attachment

DROP = "log@homestretch.example"


@pytest.fixture
def drop(transactional_db, now):
    controller = smtp.start_drop("127.0.0.1", free_port(), take_in=smtp.take_in_by_smtp(lambda: now),
                                 addresses=[DROP])
    yield controller
    controller.stop()


@pytest.fixture(scope="module")
def dovecot():
    if not os.path.exists(DOVECOT) and not shutil.which("dovecot"):
        pytest.skip("needs Debian's dovecot-imapd: `make test` installs it (apt-get install dovecot-imapd)")
    server = Dovecot().start()
    yield server
    server.stop()


def send(controller, raw: bytes, *, rcpt: str = DROP, sender: str = "alice@example.com"):
    with smtplib.SMTP(controller.hostname, controller.port, timeout=30) as client:
        return client.sendmail(sender, [rcpt], raw)


def test_a_bcc_to_the_drop_address_becomes_a_touch(drop, application):
    raw = plain(sender="alice@example.com", to="priya@example.org", body="Hi Priya, any other processes?")
    assert send(drop, raw) == {}
    [touch] = application.touchpoints.all()
    assert (touch.channel, touch.direction) == ("email", "outbound")


def test_the_drop_refuses_other_recipients_and_huge_messages(drop, application, caplog):
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(drop, plain(sender="alice@example.com", to="priya@example.org", body="x"), rcpt="someone@else.example")
    huge = with_attachment(plain(sender="priya@example.org", to="alice@example.com", body="big"),
                           os.urandom(MAX_MESSAGE_BYTES + 1024))
    with caplog.at_level(logging.WARNING, logger="homestretch.mailin"), pytest.raises(
            (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as refused:
        send(drop, huge)
    assert refused.value.smtp_code == 552
    assert "reason=too_large" in caplog.text and "priya" not in caplog.text
    assert application.touchpoints.count() == 0


def test_a_refusal_of_the_pipeline_is_an_smtp_refusal_with_its_reason(drop, db):
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(drop, plain(sender="a@example.net", to="b@example.net", body="spam"))
    assert refused.value.smtp_code == 550 and b"recruiter" in refused.value.smtp_error


def _append(server: Dovecot, raw: bytes) -> None:
    with MailBoxUnencrypted("127.0.0.1", server.port).login(USER, PASSWORD) as box:
        box.append(raw, "INBOX")


def test_imap_mailbox_read_without_changing_it_and_remembered(dovecot, transactional_db, application, now):
    url = imap.MailboxUrl.parse(dovecot.url)
    first = plain(sender="priya@example.org", to="alice@example.com", body="I'm in.", message_id="<imap1@x>")
    _append(dovecot, first)

    report = imap.poll(url, PASSWORD, now=lambda: now)
    assert report.taken >= 1  # 1 when this test runs first; the mailbox is the module's
    assert application.touchpoints.filter(notes__contains="I'm in.").count() == 1
    assert imap.poll(url, PASSWORD, now=lambda: now).taken == 0  # remembered what it read
    assert MailboxCursor.objects.get(mailbox=url.key).last_uid >= 1

    with MailBoxUnencrypted("127.0.0.1", dovecot.port).login(USER, PASSWORD) as box:
        flags = [message.flags for message in box.fetch(mark_seen=False)]
    assert flags and all("\\Seen" not in f and "\\Deleted" not in f for f in flags)  # nothing changed


def test_same_message_by_smtp_and_by_imap_makes_one_touch(dovecot, drop, application, now):
    raw = plain(sender="priya@example.org", to="alice@example.com", body="Both ways", message_id="<both@x>")
    send(drop, raw, sender="priya@example.org")
    _append(dovecot, b"Received: from mx.example by imap; Thu, 19 Nov 2026 16:06:00 +0100\r\n" + raw)
    report = imap.poll(imap.MailboxUrl.parse(dovecot.url), PASSWORD, now=lambda: now)
    assert report.duplicates == 1
    assert application.touchpoints.filter(notes__contains="Both ways").count() == 1
    assert MailMessage.objects.filter(message_id="both@x").count() == 1


def test_imap_refuses_a_huge_message_from_its_size_alone(dovecot, transactional_db, application, now, caplog):
    url = imap.MailboxUrl.parse(dovecot.url)
    imap.poll(url, PASSWORD, now=lambda: now)  # whatever the other tests left is read
    _append(dovecot, with_attachment(plain(sender="priya@example.org", to="alice@example.com", body="big",
                                           message_id="<big@x>"), os.urandom(MAX_MESSAGE_BYTES + 1024)))
    with caplog.at_level(logging.WARNING, logger="homestretch.mailin"):
        report = imap.poll(url, PASSWORD, now=lambda: now)
    assert report.refused == {"too_large": 1}
    assert "via=imap reason=too_large" in caplog.text


def test_imap_idle_waits_for_new_mail(dovecot, transactional_db, application, now):
    import threading
    import time

    url = imap.MailboxUrl.parse(dovecot.url)
    imap.poll(url, PASSWORD, now=lambda: now)
    later = plain(sender="priya@example.org", to="alice@example.com", body="Arrived while idle",
                  message_id="<idle@x>")
    threading.Timer(1.0, _append, args=(dovecot, later)).start()
    started = time.monotonic()
    report = imap.poll(url, PASSWORD, now=lambda: now, idle_seconds=20)
    assert report.taken == 1 and time.monotonic() - started < 15


@pytest.mark.parametrize(("url", "words"), [
    ("imap://u@mail.example.com/INBOX", "this machine only"),
    ("imaps://u:secret@mail.example.com/INBOX", "HOMESTRETCH_IMAP_PASSWORD"),
    ("pop3://u@mail.example.com/", "imaps://"),
])
def test_mailbox_addresses_refused(url, words):
    with pytest.raises(imap.MailboxUrlRefused, match=words):
        imap.MailboxUrl.parse(url)


def test_a_failure_of_the_pipeline_is_a_temporary_refusal_logged_without_content(db, now, caplog):
    def failing(raw: bytes) -> str:
        with smtp_failure():
            return smtp.take_in_by_smtp(lambda: now)(raw)

    controller = smtp.start_drop("127.0.0.1", free_port(), take_in=failing, addresses=[DROP])
    try:
        with caplog.at_level(logging.WARNING, logger="homestretch.mailin"), pytest.raises(
                smtplib.SMTPDataError) as refused:
            send(controller, plain(sender="priya@example.org", to="alice@example.com", body="secret words"))
    finally:
        controller.stop()
    assert refused.value.smtp_code == 451  # the sending server keeps the message and tries again
    assert "reason=error error=RuntimeError" in caplog.text and "secret" not in caplog.text


def smtp_failure():
    """The pipeline failing as a lost database would make it fail (its words quote the message)."""
    from unittest import mock

    return mock.patch("homestretch.mailin.services.receive", side_effect=RuntimeError("secret words"))


def test_imaps_checks_the_servers_certificate(dovecot, transactional_db, application, now):
    import ssl

    if not OPENSSL:
        pytest.skip("needs openssl to make the test's certificate")
    url = imap.MailboxUrl.parse(dovecot.tls_url)
    assert url.secure and url.port == dovecot.tls_port
    _append(dovecot, plain(sender="priya@example.org", to="alice@example.com", body="Over TLS",
                           message_id="<tls@x>"))
    with pytest.raises(ssl.SSLCertVerificationError):  # the machine's trust store does not know the test's CA
        imap.poll(url, PASSWORD, now=lambda: now)
    trusted = ssl.create_default_context(cafile=str(dovecot.certificate))
    imap.poll(url, PASSWORD, now=lambda: now, ssl_context=trusted)
    assert application.touchpoints.filter(notes__contains="Over TLS").count() == 1
