"""gunicorn's logger with secrets redacted: `homestretch run` starts gunicorn with `--logger-class` naming it.

Every atom of the access log (the request line, path, query, referrer, each header, whatever the
format prints) goes through homestretch.lib.logs.redact, so the line shows `/calendar/[redacted].ics`
and never a feed's or an API token; the error log ("Error handling request /calendar/…") is filtered too.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from homestretch.lib.logs import RedactSecrets, redact


class RedactingLogger(Logger):
    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        self.error_log.addFilter(RedactSecrets())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
