"""`homestretch brief APPLICATION_ID`: the brief for the hiring manager, as Markdown, HTML or JSON."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from homestretch.lib.console import fail, parse_moment, print_json, setup_django


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


class BriefAudience(StrEnum):
    internal = "internal"
    client = "client"


STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "homestretch" / "brief.css"


def _standalone_html(title: str, body: str) -> str:
    """A page that stands alone (opened from disk, attached to an e-mail): the brief's stylesheet inline."""
    from django.utils.html import escape

    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>\n{STYLESHEET.read_text(encoding='utf-8')}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def brief(
    application_id: Annotated[int, typer.Argument(help="The application's id.")],
    audience: Annotated[BriefAudience, typer.Option(
        help="internal (everything, for the recruiter) or client (what may be shared with the hiring manager).",
    )] = BriefAudience.internal,
    output: Annotated[BriefFormat, typer.Option("--format", help="md, html or json.")] = BriefFormat.md,
    to_file: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.",
                                                 dir_okay=False)] = None,
    at: Annotated[str | None, typer.Option(help="The moment, ISO 8601; default now.")] = None,
) -> None:
    """The brief for the hiring manager: what the candidate wants, what we offer, the competition, the risk
    and the levers that win, with numbers."""
    moment = parse_moment(at, "--at")
    setup_django()
    from homestretch.audit.choices import Kind
    from homestretch.audit.context import command_line_label
    from homestretch.audit.trail import record
    from homestretch.pipeline.models import Application

    from .render import as_html, as_json, as_markdown, title_of
    from .services import brief_for

    try:
        built = brief_for(application_id, audience=audience.value, now=moment)
    except Application.DoesNotExist as exc:
        raise fail(str(exc) or f"no application with id {application_id}", code=2) from None
    record(Kind.VIEWED_BRIEF, actor=command_line_label(), address=None, object_type="application",
           object_id=application_id, detail={"audience": audience.value, "format": output.value})
    if built.replaced:
        # On stderr, beside the document: the recruiter sees what was replaced before sending it.
        typer.echo("Replaced before sharing (told in confidence; not in the document):", err=True)
        for item in built.replaced:
            typer.echo(f"  in the {item.where}: {item.found!r} -> {item.replaced_by!r}", err=True)
    if output == BriefFormat.json:
        if to_file is None:
            print_json(as_json(built))
            return
        import json

        text = json.dumps(as_json(built), indent=2, ensure_ascii=False) + "\n"
    elif output == BriefFormat.html:
        text = _standalone_html(title_of(built), as_html(built))
    else:
        text = as_markdown(built)
    if to_file is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        to_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {to_file}: {exc.strerror}", code=2) from None
    typer.echo(f"Wrote the {audience.value} brief of application {application_id} to {to_file}.", err=True)
