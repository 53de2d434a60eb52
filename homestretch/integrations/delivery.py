"""What a transport tells the outbox when a digest did not plainly go, and the key each delivery carries.

Two kinds of failure, because they call for opposite answers:

- `DeliveryFailed`: the message certainly did not arrive (no connection, refused, an answer saying
  no): a later run may send it again;
- `OutcomeUnknown`: the message was handed over and the answer never came (a timeout after sending, a
  connection dropped, a gateway's 504): it may have arrived, so it is never sent again, and the row
  says so in the back office.
"""

from __future__ import annotations

from datetime import date

from django.utils.crypto import salted_hmac

KEY_PURPOSE = "homestretch.integrations.digest-delivery"


class DeliveryFailed(Exception):
    """The digest did not go; the message says why, without the address or any content."""


class OutcomeUnknown(Exception):
    """The digest was handed over and may have arrived; the message says why, without the address."""


def delivery_key(recruiter_id: int, day: date, channel: str) -> str:
    """The stable key of one outbox row (one recruiter, day and channel), opaque outside this installation.

    Sent with every attempt of that delivery (the chat post's Idempotency-Key header, the e-mail's
    Message-ID), so a receiver that keeps them can drop a repeat.
    """
    return salted_hmac(KEY_PURPOSE, f"{recruiter_id}|{day.isoformat()}|{channel}", algorithm="sha256").hexdigest()[:32]
