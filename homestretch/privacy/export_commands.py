"""`homestretch candidate export ID [-o FILE] [--format json|html]`: everything held about a candidate, for the
operator who answers a request for access by e-mail. Registered by homestretch/privacy/commands.py."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from homestretch.lib.console import console, fail, setup_django


class ExportFormat(StrEnum):
    JSON = "json"
    HTML = "html"


def export(
    candidate_id: Annotated[int, typer.Argument(help="The candidate's id.", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (standard output "
                                                 "when left out); a name ending in .html gets the readable "
                                                 "version.", show_default=False)] = None,
    format: Annotated[ExportFormat | None, typer.Option(
        "--format", help="json (the document) or html (its readable version); by default from -o's suffix, "
                         "else json.", show_default=False)] = None,
) -> None:
    """Export everything held about a candidate: one JSON document (or its readable HTML version) with their
    details and legal basis, applications and stage history, touches and notes, offers, competing offers,
    priorities, mail kept, proposals and the audit entries about them. Recorded in the audit."""
    setup_django()
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils import timezone

    from homestretch.audit.choices import Kind
    from homestretch.audit.trail import record

    from .export import CandidateNotFound, export_candidate
    from .export_render import as_html

    chosen = format or (ExportFormat.HTML if output is not None and output.suffix.lower() in (".html", ".htm")
                        else ExportFormat.JSON)
    try:
        document = export_candidate(candidate_id, now=timezone.now())
    except CandidateNotFound:
        raise fail(f"no candidate with id {candidate_id}", code=2) from None
    text = (as_html(document) if chosen == ExportFormat.HTML
            else json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n")
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise fail(f"{output} cannot be written: {error.strerror}.", code=2) from None
    # The command line's actor and no address: whoever runs the command (audit/context.py).
    record(Kind.VIEWED_EXPORT, actor=None, address=None, object_type="candidate", object_id=candidate_id,
           detail={"format": str(chosen), "to": "file" if output is not None else "standard output"})
    if output is not None:
        console.print(f"Exported candidate {candidate_id} ({chosen}) to {output}.")
