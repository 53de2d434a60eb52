"""`homestretch mailin`: the SMTP drop address, or the IMAP mailbox poller (`--imap`), until SIGTERM.

Registered by homestretch/cli.py. Django is set up inside the command.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from homestretch.lib.console import console, fail, print_json, setup_django


def _clock() -> datetime:
    return datetime.now(UTC)


def mailin(
    host: Annotated[str, typer.Option(help="Address the SMTP drop listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the SMTP drop listens on.")] = 2525,
    imap: Annotated[str | None, typer.Option(
        help="Read this mailbox instead, e.g. imaps://user@mail.example.com/INBOX; the password comes from "
             "HOMESTRETCH_IMAP_PASSWORD.")] = None,
    interval: Annotated[float, typer.Option(min=5, help="IMAP: seconds between reads (waiting with IDLE where "
                                                        "the server offers it).")] = 60,
    once: Annotated[bool, typer.Option("--once", help="IMAP: read what is new once, print it and stop.")] = False,
    eml: Annotated[list[Path] | None, typer.Option(
        "--eml", help="Take in these .eml files (or - for standard input) through the same pipeline, and stop.",
    )] = None,
) -> None:
    """Take e-mail in: each message with a candidate becomes a touch, the rest waits in Unmatched mail.

    By default an SMTP receiver for the drop address (HOMESTRETCH_MAILIN_ADDRESSES) on 127.0.0.1:2525, to
    put behind the organisation's mail server (docs/mail-in.md); with --imap, a mailbox read without
    changing it (nothing deleted, nothing marked read).
    """
    setup_django()
    from django.conf import settings

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    if eml:
        from .choices import Via
        from .services import receive

        results = []
        for path in eml:
            raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
            result = receive(raw, via=Via.API, now=_clock())
            results.append({"file": str(path), **result.as_dict()})
        print_json(results)
        return

    if imap:
        from .imap import PASSWORD_VARIABLE, MailboxUrl, MailboxUrlRefused, poll

        try:
            url = MailboxUrl.parse(imap)
        except MailboxUrlRefused as error:
            raise fail(str(error)) from error
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise fail(f"Set {PASSWORD_VARIABLE} to the mailbox's password.")
        if once:
            print_json(poll(url, password, now=_clock).as_dict())
            return
        console.print(f"Reading {url.key} every {interval:g} s (IDLE where offered); Ctrl+C or SIGTERM stops.")
        while not stop.is_set():
            started = time.monotonic()
            try:
                report = poll(url, password, now=_clock, idle_seconds=interval)
                if report.taken or report.refused:
                    console.print(f"Taken in {report.taken}, already had {report.duplicates}, refused "
                                  f"{sum(report.refused.values())}.")
            except Exception as error:  # the server away, a network blip: try again at the next interval
                console.print(f"[yellow]Mailbox not read:[/] {type(error).__name__}; trying again in {interval:g} s.")
            # Without IDLE (or after an error) the read returns at once: wait out the rest of the interval.
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
        return

    from .smtp import start_drop, take_in_by_smtp

    controller = start_drop(host, port, take_in=take_in_by_smtp(_clock), addresses=settings.MAILIN_ADDRESSES)
    accepted = ", ".join(settings.MAILIN_ADDRESSES) or "any recipient"
    console.print(f"Taking mail in on {host}:{port} for {accepted}; Ctrl+C or SIGTERM stops.")
    try:
        stop.wait()
    finally:
        controller.stop()
