"""The digest by e-mail, through Django's e-mail framework (SMTP from the environment, files by default)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from homestretch.integrations.digest import Digest


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The digest e-mail: subject, plain text and HTML from templates/emails/digest-*."""
    context = digest.as_context()
    subject = " ".join(render_to_string("emails/digest-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("emails/digest-body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[digest.recruiter_email],
    )
    message.attach_alternative(render_to_string("emails/digest-body.html", context), "text/html")
    return message


class EmailTransport:
    """Sends one digest as one e-mail; raises when the backend refuses it."""

    channel = "email"

    def __init__(self, connection=None) -> None:
        self.connection = connection

    def send(self, digest: Digest) -> None:
        message = digest_message(digest)
        message.connection = self.connection or get_connection(fail_silently=False)
        message.send(fail_silently=False)
