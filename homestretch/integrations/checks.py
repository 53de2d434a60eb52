"""Start-up checks of the reminders' settings (`manage.py check`, and every command that starts Django)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning

from .models import CLAIM_LEASE


def email_timeout_within_lease(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """EMAIL_TIMEOUT bounds each SMTP step, well under the outbox's claim lease (a tenth of it at most)."""
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    if timeout is not None and 0 < timeout <= CLAIM_LEASE.total_seconds() / 10:
        return []
    return [Warning(
        f"EMAIL_TIMEOUT is {timeout!r}: each step of a digest's SMTP conversation should be bounded, "
        f"well under the outbox's claim lease of {CLAIM_LEASE.total_seconds() / 60:.0f} minutes.",
        hint=f"Set EMAIL_TIMEOUT to a few seconds (20 by default), at most {CLAIM_LEASE.total_seconds() / 10:.0f}.",
        id="homestretch.W001",
    )]
