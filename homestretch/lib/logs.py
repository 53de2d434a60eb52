"""Secrets that travel in URLs and headers, kept out of every log line.

Two secrets can reach a log through a request: a calendar feed's token, which is its address
(`/calendar/<token>.ics`, homestretch.integrations.urls), and a personal API token (`hs_<prefix>_<secret>`,
homestretch.accounts.tokens), sent as `Authorization: Bearer …` and sometimes, by mistake, in a URL.
`redact` replaces them; `RedactSecrets` is the logging filter that settings.LOGGING puts on Django's
request loggers and on the console, and homestretch.lib.gunicorn_logger applies it to gunicorn's
access log.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # The feed's address: any segment after /calendar/, up to ".ics" or the end of the path.
    (re.compile(r"(/calendar/)[^/?#\s\"'<>]+?(?=\.ics\b|[/?#\s\"'<>]|$)"), rf"\g<1>{REDACTED}"),
    # A personal API token: its prefix is shown in the app to tell tokens apart; the rest is secret.
    (re.compile(r"\b(hs_[0-9a-f]{8}_)[A-Za-z0-9_\-]+"), rf"\g<1>{REDACTED}"),
    # Whatever follows "Bearer", and a token given as a query parameter.
    (re.compile(r"(?i)\b(bearer\s+)(?!\[redacted\])[^\s\"',]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"(?i)([?&](?:token|access_token|api_key|key)=)(?!\[redacted\])[^&#\s\"']+"), rf"\g<1>{REDACTED}"),
)


def redact(text: str) -> str:
    """`text` with every feed token and API token replaced by [redacted]; the rest as it was."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message with its secrets redacted; never drops a record.

    On a logger, it changes the record for every handler (and for pytest's caplog); on a handler,
    only for that handler.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not fit its format is left as it is
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RefusalsInOneLine(logging.Filter):
    """A refused request (403, 404) is one warning line with its reason, never a traceback.

    Django logs "Forbidden (Permission denied): /path" with the PermissionDenied's traceback; a refusal
    is the app working as meant, and its reason ("You may read this application but not change it.")
    is what an operator needs. The access helpers' reasons name the kind of record and its id, never a
    person (homestretch.accounts.access)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.levelno >= logging.ERROR:
            return True
        exception = record.exc_info[1]
        reason = exception.args[0] if exception is not None and exception.args else ""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not fit its format is left as it is
            return True
        if isinstance(reason, str) and reason:
            message = f"{message} ({reason})"
        record.msg, record.args = redact(message), ()
        record.exc_info, record.exc_text = None, None
        return True
