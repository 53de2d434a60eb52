"""Messages shaped like real ones, built with the standard library as mail clients build them."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

DEFAULT_DATE = "Thu, 19 Nov 2026 16:05:00 +0100"


def plain(*, sender: str, to: str | list[str], body: str, subject: str = "Re: Senior Backend Engineer",
          message_id: str = "<m1@mail.example.org>", date: str | datetime = DEFAULT_DATE, cc: str = "",
          html: str = "", headers: dict[str, str] | None = None, charset: str = "utf-8") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = date if isinstance(date, str) else format_datetime(date)
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    if body:
        message.set_content(body, charset=charset)
        if html:
            message.add_alternative(html, subtype="html")
    elif html:
        message.set_content(html, subtype="html")
    return bytes(message)


def with_attachment(raw: bytes, data: bytes, filename: str = "cv.pdf", maintype: str = "application",
                    subtype: str = "pdf") -> bytes:
    from email import message_from_bytes, policy

    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)
