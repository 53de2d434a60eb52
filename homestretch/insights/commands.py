"""`homestretch insights` (the organisation's figures, as tables or JSON) and `homestretch report client ID`
(the report for a client, Markdown or HTML). The command line is an export: a competitor told in confidence
is counted without its name, as for viewers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from homestretch.lib.console import fail, parse_day, parse_moment, print_json, setup_django


class InsightsFormat(StrEnum):
    table = "table"
    json = "json"


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "homestretch" / "app.css"


def insights(
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD; a year before --to.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD; today.")] = None,
    team: Annotated[str | None, typer.Option(help="A team's id or name; the whole organisation when left out.")] = None,
    output: Annotated[InsightsFormat, typer.Option("--format", help="table or json.")] = InsightsFormat.table,
    at: Annotated[str | None, typer.Option(help="What counts as now, ISO 8601; default now.")] = None,
) -> None:
    """Offers extended, acceptance and renege rates, time to answer, reasons, competitors that won,
    counteroffers and the practice tested (docs/insights.md), for a period by the first offer's extension."""
    moment = parse_moment(at, "--at")
    first, last = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    setup_django()
    from homestretch.accounts.models import Team

    from .figures import Filters, default_period
    from .figures import insights as figures_of
    from .services import MAX_PERIOD_DAYS
    from .tables import tables

    team_id = None
    if team:
        found = Team.objects.filter(pk=int(team)) if team.isdigit() else Team.objects.filter(name__iexact=team)
        team_id = found.values_list("pk", flat=True).first()
        if team_id is None:
            raise fail(f"no team {team!r}", code=2)
    end = last or default_period(moment.date())[1]
    start = first or default_period(end)[0]
    if start > end:
        raise fail("--from is after --to", code=2)
    if (end - start).days > MAX_PERIOD_DAYS:
        raise fail("the period is at most ten years", code=2)
    figures = figures_of(Filters(start, end, team_id=team_id), now=moment).shareable()
    if output == InsightsFormat.json:
        print_json(figures.as_dict())
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"Insights from {start.isoformat()} to {end.isoformat()}"
                  f"{'' if team_id is None else f' (team {team})'}")
    for table in tables(figures):
        shown = Table(title=table.title)
        for column in table.columns:
            shown.add_column(column.title, justify="left" if column.kind == "text" else "right")
        for row in table.rows:
            shown.add_row(*(_cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)))
        console.print(shown)
    console.print(figures.cadence_finding)
    console.print(figures.competition_finding)


def _cell(value: object, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "rate" and isinstance(value, float):
        return f"{value * 100:.1f} %"
    return f"{value:,}" if isinstance(value, int) else str(value)


report_app = typer.Typer(help="Reports to share: `report client ID`.", no_args_is_help=True)


@report_app.command("client")
def client_report(
    client_id: Annotated[int, typer.Argument(help="The client's id.")],
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD; a year before --to.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD; today.")] = None,
    output: Annotated[ReportFormat, typer.Option("--format", help="md or html.")] = ReportFormat.md,
    at: Annotated[str | None, typer.Option(help="What counts as now, ISO 8601; default now.")] = None,
) -> None:
    """The report for a client: searches, candidates presented, offers, reasons that may be shared, time
    from brief to offer and competing pay as bands. Nothing told in confidence is in it."""
    moment = parse_moment(at, "--at")
    first, last = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    setup_django()
    from django.template.loader import render_to_string
    from django.utils.html import escape

    from homestretch.audit.choices import Kind
    from homestretch.audit.context import command_line_label
    from homestretch.audit.trail import record
    from homestretch.pipeline.models import Client

    from .client_report import build_client_report, render_markdown
    from .figures import default_period

    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise fail(f"no client with id {client_id}", code=2)
    end = last or default_period(moment.date())[1]
    start = first or default_period(end)[0]
    if start > end:
        raise fail("--from is after --to", code=2)
    report = build_client_report(client, start, end, now=moment)
    record(Kind.VIEWED_CLIENT_REPORT, actor=command_line_label(), address=None, obj=client,
           detail={"from": start.isoformat(), "to": end.isoformat(), "format": output.value})
    if output == ReportFormat.md:
        typer.echo(render_markdown(report), nl=False)
        return
    body = render_to_string("insights/client_report_body.html", {"report": report})
    typer.echo(f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
               f"<title>{escape(report.client)}: report</title>\n<style>\n{STYLESHEET.read_text(encoding='utf-8')}"
               f"</style>\n</head>\n<body>\n<main class=\"page\">{body}</main>\n</body>\n</html>")
