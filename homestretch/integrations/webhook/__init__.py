"""The digest to a Slack-compatible incoming webhook (Mattermost, Rocket.Chat and Discord's /slack accept it).

A failed post is retried a bounded number of times with exponential backoff, then the error is
raised for the outbox to record. Logs carry the team id, the attempt and the HTTP status — never
the URL (it is a secret) nor the candidates' names.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from homestretch.integrations.digest import Digest

logger = logging.getLogger(__name__)

ATTEMPTS = 3
TIMEOUT_SECONDS = 5.0
BACKOFF_SECONDS = 1.0  # then 2, 4, ... between attempts


class WebhookError(Exception):
    """The chat did not take the post after every attempt; the message says why, without the URL."""


def slack_text(digest: Digest) -> str:
    """The digest in Slack's mrkdwn: one line per candidate, linked to the application.

    A team channel may have readers beyond the recruiter: each line is written from the redacted situation,
    so no competitor named in confidence and none of its figures appear.
    """
    day = digest.day.strftime("%a %d %b")
    head = f"*Homestretch — {_escape(digest.recruiter_name)}'s agenda for {day}: {len(digest.entries)} to contact*"
    if digest.overdue:
        head += f" ({digest.overdue} overdue)"
    lines = [head]
    for entry in digest.entries:
        band = f" · risk {_escape(entry.band)}" if entry.band else ""
        late = f" ({entry.overdue_days} d late)" if entry.overdue_days > 0 else ""
        line = f"• <{_escape(entry.url)}|{_escape(entry.candidate)}> — {_escape(entry.job)}, " \
               f"{_escape(entry.client)}{band}\n    {_escape(entry.shared_why)}{late}"
        if entry.shared_action:
            line += f"\n    → {_escape(entry.shared_action)}"
        lines.append(line)
    return "\n".join(lines)


def _escape(text: str) -> str:
    # Slack's three control characters in mrkdwn: every value we did not write ourselves goes through
    # here, or a name such as "<!channel>" would ping the whole channel (and "<url|…>" make a link).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WebhookTransport:
    """Posts one digest as JSON {"text": ...} to one URL, retrying 5xx, 429 and network errors."""

    channel = "chat"

    def __init__(
        self, url: str, *, team_id: int | None = None, attempts: int = ATTEMPTS, timeout: float = TIMEOUT_SECONDS,
        backoff: float = BACKOFF_SECONDS, sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("A webhook URL starts with https:// or http://")
        self.url = url
        self.team_id = team_id
        self.attempts = max(1, attempts)
        self.timeout = timeout
        self.backoff = backoff
        self.sleep = sleep

    def post(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        problem = ""
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
                self.url, data=body, method="POST", headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read()
                return
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}"
                retry = exc.code >= 500 or exc.code == 429
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                problem = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) \
                    else f"network error ({type(reason).__name__})"
                retry = True
            logger.warning("chat webhook of team %s: attempt %d of %d failed: %s",
                           self.team_id, attempt, self.attempts, problem)
            if not retry or attempt == self.attempts:
                break
            self.sleep(self.backoff * 2 ** (attempt - 1))
        raise WebhookError(f"the chat webhook refused the post: {problem}")

    def send(self, digest: Digest) -> None:
        self.post({"text": slack_text(digest)})
