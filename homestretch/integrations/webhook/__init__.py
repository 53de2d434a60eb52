"""The digest to a Slack-compatible incoming webhook (Mattermost, Rocket.Chat and Discord's /slack accept it).

One POST per delivery and run, never retried inside the run. What went wrong decides what the outbox
does next (homestretch.integrations.delivery): a post that certainly did not arrive (no connection, a
429, a 5xx from the chat itself, any other refusal) is a `WebhookError` that a later run may try again,
with the same Idempotency-Key header; a post that was sent and got no answer (a timeout, a dropped
connection, a gateway's 502 or 504) is `OutcomeUnknown` and is never posted again. Logs carry the team
id and what happened — never the URL (it is a secret) nor the candidates' names.
"""

from __future__ import annotations

import json
import logging

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.util.ssl_match_hostname import CertificateError

from homestretch.integrations import outbound
from homestretch.integrations.delivery import DeliveryFailed, OutcomeUnknown
from homestretch.integrations.digest import Digest

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0
# Statuses a gateway answers for a chat server it lost track of: the post may have gone through.
GATEWAY_STATUSES = {502, 504}


class WebhookError(DeliveryFailed):
    """The chat did not take the post; the message says why, without the URL."""


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
    """Posts one digest as JSON {"text": ...} to one URL, once.

    The URL is checked at every post (homestretch.integrations.outbound): its host is resolved once,
    every address checked, and the connection made to the checked address, with TLS verified for the
    URL's own host; a redirect is an answer, not followed; only the status of the answer is read.
    """

    channel = "chat"

    def __init__(
        self, url: str, *, team_id: int | None = None, timeout: float = TIMEOUT_SECONDS, ca_certs: str | None = None,
    ) -> None:
        self.url = url
        self.team_id = team_id
        self.timeout = timeout
        self.ca_certs = ca_certs  # the system's certificate authorities unless a test names its own

    def _connection(self, target: outbound.Target, address: str) -> HTTPConnection:
        # Connects to `address`, never to the name again: DNS cannot change it after the check.
        if target.scheme == "https":
            return HTTPSConnection(address, target.port, timeout=self.timeout, cert_reqs="CERT_REQUIRED",
                                   ca_certs=self.ca_certs, server_hostname=target.host, assert_hostname=target.host)
        return HTTPConnection(address, target.port, timeout=self.timeout)

    def _fail(self, problem: str) -> WebhookError:
        logger.warning("chat webhook of team %s: %s", self.team_id, problem)
        return WebhookError(f"the chat webhook did not take the post: {problem}")

    def _unknown(self, problem: str) -> OutcomeUnknown:
        logger.warning("chat webhook of team %s: %s; not posted again", self.team_id, problem)
        return OutcomeUnknown(f"the post was sent and {problem}: it may have been posted, so it is not sent again")

    def post(self, payload: dict, *, delivery_key: str = "") -> None:
        """POST once; returns when the chat answered 2xx. Raises WebhookError or OutcomeUnknown."""
        body = json.dumps(payload).encode()
        try:
            target = outbound.parse(self.url)
            address = outbound.public_addresses(target)[0]
        except outbound.RefusedURL as refused:
            raise self._fail(str(refused)) from refused
        except OSError as exc:
            raise self._fail(f"its host could not be resolved ({type(exc).__name__})") from exc
        connection = self._connection(target, address)
        try:
            try:  # Until the connection (and TLS) is up, nothing has been sent.
                connection.connect()
            except (urllib3.exceptions.HTTPError, OSError, CertificateError) as exc:
                cause = "timed out" if isinstance(exc, TimeoutError | urllib3.exceptions.ConnectTimeoutError) \
                    and not isinstance(exc, urllib3.exceptions.NewConnectionError) else type(exc).__name__
                raise self._fail(f"could not connect ({cause})") from exc
            headers = {"Host": target.host_header, "Content-Type": "application/json", "User-Agent": "Homestretch"}
            if delivery_key:
                headers["Idempotency-Key"] = delivery_key
            try:
                connection.request("POST", target.path, body=body, headers=headers, preload_content=False)
                response = connection.getresponse()
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                timed_out = isinstance(exc, TimeoutError | urllib3.exceptions.TimeoutError)
                raise self._unknown("timed out waiting for the answer" if timed_out
                                    else f"the connection broke ({type(exc).__name__})") from exc
            status = response.status  # the body, however long, is never read
        finally:
            connection.close()
        if 200 <= status < 300:
            return
        if status in GATEWAY_STATUSES:
            raise self._unknown(f"a gateway answered HTTP {status}")
        raise self._fail(f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else ""))

    def send(self, digest: Digest) -> None:
        self.post({"text": slack_text(digest)}, delivery_key=digest.delivery_key(self.channel))
