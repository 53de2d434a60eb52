"""Reading a shared or personal mailbox over IMAP (imap-tools) into the one pipeline.

The folder is opened read-only (EXAMINE) and messages are fetched with BODY.PEEK, so nothing in the
mailbox changes: no message is deleted, moved or even marked as read. What was read is remembered by
UID in MailboxCursor; a new UIDVALIDITY (the server renumbered the folder) reads it again, and the
fingerprints keep that from making any touch twice. A message over the size limit is refused from its
RFC822.SIZE, without downloading it. The password comes from the environment, never the URL.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted

from . import parsing

logger = logging.getLogger("homestretch.mailin")

PASSWORD_VARIABLE = "HOMESTRETCH_IMAP_PASSWORD"  # noqa: S105  # the name of the variable, not a password
BATCH = 50


class MailboxUrlRefused(ValueError):
    """An IMAP address that cannot be used; the message says why."""


@dataclass(frozen=True)
class MailboxUrl:
    """`imaps://user@host[:port]/FOLDER` (TLS, port 993), or `imap://…` (plain, port 143) to this machine
    only: a password is never sent in clear across a network."""

    secure: bool
    user: str
    host: str
    port: int
    folder: str

    @classmethod
    def parse(cls, url: str) -> MailboxUrl:
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps"):
            raise MailboxUrlRefused("The mailbox is an imaps:// address, e.g. imaps://user@mail.example.com/INBOX.")
        if parts.password:
            raise MailboxUrlRefused(f"Put the password in {PASSWORD_VARIABLE}, not in the address.")
        if not parts.username or not parts.hostname:
            raise MailboxUrlRefused("The address names the user and the host: imaps://user@host/INBOX.")
        secure = parts.scheme == "imaps"
        if not secure and not _is_loopback(parts.hostname):
            raise MailboxUrlRefused("Plain imap:// is for a server on this machine only; use imaps://.")
        folder = unquote(parts.path.lstrip("/")) or "INBOX"
        return cls(secure=secure, user=unquote(parts.username), host=parts.hostname,
                   port=parts.port or (993 if secure else 143), folder=folder)

    @property
    def key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"

    def mailbox(self, *, timeout: float = 60, ssl_context: ssl.SSLContext | None = None) -> BaseMailBox:
        if self.secure:
            context = ssl_context or ssl.create_default_context()
            return MailBox(self.host, self.port, timeout=timeout, ssl_context=context)
        return MailBoxUnencrypted(self.host, self.port, timeout=timeout)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class PollReport:
    taken: int = 0
    duplicates: int = 0
    refused: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"taken": self.taken, "duplicates": self.duplicates, "refused": self.refused}


def _fetch_items(client, uids: str, item: str) -> list[tuple[int, int, bytes | None]]:
    """(uid, size, body) for each message of a UID FETCH of RFC822.SIZE (and the body when asked)."""
    typ, data = client.uid("FETCH", uids, item)
    if typ != "OK":
        return []
    found = []
    for entry in data:
        head, body = (entry[0], entry[1]) if isinstance(entry, tuple) else (entry, None)
        if not isinstance(head, bytes):
            continue
        uid = re.search(rb"UID (\d+)", head)
        size = re.search(rb"RFC822\.SIZE (\d+)", head)
        if uid:
            found.append((int(uid.group(1)), int(size.group(1)) if size else 0, body))
    return found


def read_new(box: BaseMailBox, url: MailboxUrl, *, take_in: Callable[[bytes], str], now: Callable[[], datetime],
             report: PollReport | None = None) -> PollReport:
    """Read the messages that arrived since the last read of this folder (already opened read-only)."""
    from .models import MailboxCursor

    report = report or PollReport()
    status = box.folder.status(url.folder, ["UIDVALIDITY", "UIDNEXT"])
    cursor, _ = MailboxCursor.objects.get_or_create(mailbox=url.key[:500])
    if cursor.uid_validity != status["UIDVALIDITY"]:
        cursor.uid_validity, cursor.last_uid = status["UIDVALIDITY"], 0
    # "N:*" answers the last message even when none is newer than N: keep only the new ones.
    sizes = [item for item in _fetch_items(box.client, f"{cursor.last_uid + 1}:*", "(UID RFC822.SIZE)")
             if item[0] > cursor.last_uid]
    sizes.sort()
    for start in range(0, len(sizes), BATCH):
        batch = sizes[start:start + BATCH]
        small = [uid for uid, size, _ in batch if size <= parsing.MAX_MESSAGE_BYTES]
        for _uid, size, _ in batch:
            if size > parsing.MAX_MESSAGE_BYTES:
                logger.warning("mail refused: via=imap reason=%s bytes=%d", parsing.TOO_LARGE, size)
                report.refused[parsing.TOO_LARGE] = report.refused.get(parsing.TOO_LARGE, 0) + 1
        bodies = {uid: body for uid, _, body in _fetch_items(box.client, ",".join(map(str, small)),
                                                               "(UID BODY.PEEK[])")} if small else {}
        for uid, _, _ in batch:
            body = bodies.get(uid)
            if body is not None:
                refused = take_in(body)
                if refused == "duplicate":
                    report.duplicates += 1
                elif refused:
                    report.refused[refused] = report.refused.get(refused, 0) + 1
                else:
                    report.taken += 1
            cursor.last_uid = max(cursor.last_uid, uid)
        cursor.polled_at = now()
        cursor.save()
    if not sizes:
        cursor.polled_at = now()
        cursor.save()
    return report


def take_in_by_imap(now: Callable[[], datetime]) -> Callable[[bytes], str]:
    """The pipeline as the poller calls it: "" when taken in, "duplicate", or the refusal's code."""

    def take_in(raw: bytes) -> str:
        from .choices import Via
        from .services import receive

        try:
            result = receive(raw, via=Via.IMAP, now=now())
        except Exception as error:
            # Logged by its kind only (an exception's words may quote the message) and passed over, so that
            # one message the pipeline cannot take does not stop the mailbox; it stays in the mailbox, and
            # deleting the mailbox's cursor in the back office reads it again.
            logger.error("mail not taken in: via=imap reason=error error=%s", type(error).__name__)
            return "error"
        if result.refused:
            return result.refused
        if result.duplicates and not result.messages:
            return "duplicate"
        return ""

    return take_in


def poll(url: MailboxUrl, password: str, *, now: Callable[[], datetime], idle_seconds: float = 0,
         ssl_context: ssl.SSLContext | None = None) -> PollReport:
    """Log in, read what is new, and (with `idle_seconds`, where the server offers IDLE) wait up to that
    long for new mail and read it too; then log out."""
    take_in = take_in_by_imap(now)
    with url.mailbox(ssl_context=ssl_context).login(url.user, password) as box:
        box.folder.set(url.folder, readonly=True)
        report = read_new(box, url, take_in=take_in, now=now)
        if idle_seconds > 0 and "IDLE" in box.client.capabilities and box.idle.wait(timeout=idle_seconds):
            read_new(box, url, take_in=take_in, now=now, report=report)
    return report
