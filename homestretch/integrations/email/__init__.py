"""The digest by e-mail, through Django's e-mail framework (SMTP from the environment, files by default).

What went wrong decides what the outbox does next (homestretch.integrations.delivery): until the
connection is open, or while the server answers with a refusal, nothing was taken (`DeliveryFailed`,
a later run may try again); a timeout or a dropped connection once the message is on its way leaves
the outcome unknown (`OutcomeUnknown`: it may have arrived, and is never sent again).
"""

from __future__ import annotations

import contextlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string

from homestretch.integrations.delivery import DeliveryFailed, OutcomeUnknown
from homestretch.integrations.digest import Digest

# Answers in which the server said no: the message was not taken.
REFUSALS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The digest e-mail: subject, plain text and HTML from templates/emails/digest-*.

    Its Message-ID is the delivery's key, the same at every attempt: a mail system that drops
    duplicates by Message-ID drops a repeat.
    """
    context = digest.as_context()
    subject = " ".join(render_to_string("emails/digest-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("emails/digest-body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[digest.recruiter_email],
        headers={"Message-ID": f"<digest-{digest.delivery_key(EmailTransport.channel)}@{DNS_NAME}>"},
    )
    message.attach_alternative(render_to_string("emails/digest-body.html", context), "text/html")
    return message


class EmailTransport:
    """Sends one digest as one e-mail; raises DeliveryFailed or OutcomeUnknown when it did not plainly go."""

    channel = "email"

    def __init__(self, connection: BaseEmailBackend | None = None) -> None:
        self.connection = connection

    def send(self, digest: Digest) -> None:
        message = digest_message(digest)
        connection = self.connection or get_connection(fail_silently=False)
        try:  # Connect, greet, STARTTLS, log in: nothing of the message has left yet.
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"could not reach the mail server ({type(exc).__name__})") from exc
        try:
            connection.send_messages([message])
        except REFUSALS as exc:
            raise DeliveryFailed(f"the mail server refused the message ({_code(exc)})") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise OutcomeUnknown(f"the mail server stopped answering once the message was on its way "
                                 f"({type(exc).__name__}): it may have arrived, so it is not sent again") from exc
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):  # the outcome is decided above
                connection.close()


def _code(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "SMTP " + ", ".join(str(code) for code, _ in exc.recipients.values())
    return type(exc).__name__
