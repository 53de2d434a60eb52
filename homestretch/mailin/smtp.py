"""The drop address: an SMTP receiver (aiosmtpd) that takes in mail sent or forwarded (or BCC'd) to the
installation's drop address(es) and hands each message to the one pipeline (services.receive).

It is meant to listen on 127.0.0.1 behind the organisation's mail server, which does the TLS, the
spam filtering and the sender checks and relays the drop address here (docs/mail-in.md). It refuses:
recipients that are not a drop address (550), more than MAX_ENVELOPE_RECIPIENTS of them (452), a
message over the size limit (552, discarded as it streams in, never held in memory) and a message the
pipeline refuses (550 with the reason). Every refusal is logged with its reason, never an address.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import AnyStr

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import connections

from . import parsing

logger = logging.getLogger("homestretch.mailin")

# One delivery names the drop address once or twice (a BCC and a forward); never hundreds.
MAX_ENVELOPE_RECIPIENTS = 10
# What take_in answers when the pipeline failed (the database away): the sending server tries again later.
TRY_AGAIN_LATER = "a server error; try again later"


class _LoggedSMTP(SMTP):
    """aiosmtpd's SMTP, logging the refusals it makes itself (the size limit) as ours are logged."""

    async def push(self, status: AnyStr) -> None:
        if (status if isinstance(status, str) else status.decode("ascii", "replace")).startswith("552"):
            logger.warning("mail refused: via=smtp reason=%s bytes=%d", parsing.TOO_LARGE, parsing.MAX_MESSAGE_BYTES)
        await super().push(status)


class DropHandler:
    """aiosmtpd handler: `take_in(raw bytes)` runs the pipeline (in a worker thread: it uses the
    database) and returns "" when taken in, else the reason in words."""

    def __init__(self, take_in: Callable[[bytes], str], addresses: list[str]):
        self.take_in = take_in
        self.addresses = {a.lower() for a in addresses}

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if self.addresses and address.lower() not in self.addresses:
            logger.warning("mail refused: via=smtp reason=not_a_drop_address")
            return "550 5.1.1 Not a drop address of this server"
        if len(envelope.rcpt_tos) >= MAX_ENVELOPE_RECIPIENTS:
            logger.warning("mail refused: via=smtp reason=too_many_envelope_recipients")
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        refused = await asyncio.get_running_loop().run_in_executor(None, self.take_in, raw)
        if refused == TRY_AGAIN_LATER:
            return f"451 4.3.0 {TRY_AGAIN_LATER}"
        if refused:
            code = "552 5.3.4" if refused == parsing.REFUSAL_REASONS[parsing.TOO_LARGE] else "550 5.7.1"
            return f"{code} Refused: {refused}"
        return "250 OK: taken in"


class DropController(Controller):
    def factory(self) -> SMTP:
        return _LoggedSMTP(self.handler, data_size_limit=parsing.MAX_MESSAGE_BYTES, hostname=self.hostname,
                           **self.SMTP_kwargs)


def take_in_by_smtp(now: Callable[[], datetime]) -> Callable[[bytes], str]:
    """The pipeline as the SMTP receiver calls it: "" when taken in (or already had), else why not."""

    def take_in(raw: bytes) -> str:
        from .choices import Via
        from .services import receive

        try:
            result = receive(raw, via=Via.SMTP, now=now())
        except Exception as error:
            # The kind of error only: an exception's words may quote the message.
            logger.error("mail not taken in: via=smtp reason=error error=%s", type(error).__name__)
            return TRY_AGAIN_LATER
        finally:
            # Each message runs in a worker thread of the event loop: its connection is closed after it,
            # so none is left open between messages (nor across a restart of the database).
            connections.close_all()
        return result.refused_words

    return take_in


def start_drop(host: str, port: int, *, take_in: Callable[[bytes], str], addresses: list[str]) -> DropController:
    """Start the SMTP receiver in its own thread; `.stop()` ends it."""
    # aiosmtpd logs every command of a session at INFO, senders and recipients included: personal data,
    # kept out of the logs (ours say what was refused and why).
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    controller = DropController(DropHandler(take_in, addresses), hostname=host, port=port)
    controller.start()
    return controller
