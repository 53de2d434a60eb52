"""The digest to a Slack-compatible incoming webhook (Mattermost, Rocket.Chat and Discord's /slack accept it).

A failed post is retried a bounded number of times with exponential backoff, then the error is
raised for the outbox to record. Logs carry the team id, the attempt and the HTTP status — never
the URL (it is a secret) nor the candidates' names.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import urllib3

from homestretch.integrations import outbound
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
    """Posts one digest as JSON {"text": ...} to one URL, retrying 5xx, 429 and network errors.

    The URL is checked at every post (homestretch.integrations.outbound): its host is resolved once,
    every address checked, and the connection made to the checked address, with TLS verified against
    the URL's own host; a redirect is an answer, not followed; only the status of the answer is read.
    """

    channel = "chat"

    def __init__(
        self, url: str, *, team_id: int | None = None, attempts: int = ATTEMPTS, timeout: float = TIMEOUT_SECONDS,
        backoff: float = BACKOFF_SECONDS, sleep: Callable[[float], None] = time.sleep, ca_certs: str | None = None,
    ) -> None:
        self.url = url
        self.team_id = team_id
        self.attempts = max(1, attempts)
        self.timeout = timeout
        self.backoff = backoff
        self.sleep = sleep
        self.ca_certs = ca_certs  # the system's certificate authorities unless a test names its own

    def _pool(self, target: outbound.Target, address: str) -> urllib3.HTTPConnectionPool:
        # The pool connects to `address`, never to the name again: DNS cannot change it after the check.
        timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
        if target.scheme == "https":
            return urllib3.HTTPSConnectionPool(
                address, target.port, timeout=timeout, retries=False, maxsize=1, cert_reqs="CERT_REQUIRED",
                ca_certs=self.ca_certs, server_hostname=target.host, assert_hostname=target.host,
            )
        return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)

    def _post_once(self, body: bytes) -> int:
        """One POST; the answer's status. Raises RefusedURL, OSError (no address) or urllib3's errors."""
        target = outbound.parse(self.url)
        address = outbound.public_addresses(target)[0]
        pool = self._pool(target, address)
        try:
            response = pool.urlopen(
                "POST", target.path, body=body, retries=False, redirect=False, assert_same_host=False,
                preload_content=False, release_conn=False,
                headers={"Host": target.host_header, "Content-Type": "application/json", "User-Agent": "Homestretch"},
            )
            response.close()  # the status is all we need: the body, however long, is never read
            return response.status
        finally:
            pool.close()

    def post(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        problem = ""
        for attempt in range(1, self.attempts + 1):
            try:
                status = self._post_once(body)
            except outbound.RefusedURL as refused:
                problem, retry = str(refused), False
            except (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ConnectTimeoutError) as exc:
                timed_out = not isinstance(exc, urllib3.exceptions.NewConnectionError)
                problem = "timed out" if timed_out else f"network error ({type(exc).__name__})"
                retry = True
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                problem, retry = f"network error ({type(exc).__name__})", True
            else:
                if 200 <= status < 300:
                    return
                problem = f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
                retry = status >= 500 or status == 429
            logger.warning("chat webhook of team %s: attempt %d of %d failed: %s",
                           self.team_id, attempt, self.attempts, problem)
            if not retry or attempt == self.attempts:
                break
            self.sleep(self.backoff * 2 ** (attempt - 1))
        raise WebhookError(f"the chat webhook refused the post: {problem}")

    def send(self, digest: Digest) -> None:
        self.post({"text": slack_text(digest)})
