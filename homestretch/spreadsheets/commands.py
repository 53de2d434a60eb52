"""`homestretch import FILE` and `homestretch export KIND -o FILE`: spreadsheets in and out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from homestretch.lib.console import (
    OutputFormat,
    console,
    fail,
    print_bad_rows,
    print_json,
    print_mapping,
    progress_bar,
    setup_django,
)
from homestretch.lib.file_dates import DateOrder

from .fields import Kind

if TYPE_CHECKING:
    from .exporter import Filters
    from .importer import Result

PROGRESS_FROM_ROWS = 5_000
RECORDS = ("candidates", "clients", "jobs", "applications")


def import_command(
    file: Annotated[Path, typer.Argument(help="A CSV (UTF-8 or Windows-1252; ',' ';' or tab between values) or "
                                              "XLSX file (its first sheet), the first row naming the columns.")],
    kind: Annotated[Kind | None, typer.Option("--kind", help="What a row is; guessed from the headers when left "
                                                             "out (a Stage column: applications).")] = None,
    map_options: Annotated[list[str] | None, typer.Option(
        "--map", help='"Column=field": which field a column feeds (repeatable); "Column=ignore" leaves it out. '
                      "Common headers are recognised without it.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows even when some are bad "
                                                              "(the bad ones are reported).")] = False,
    date_format: Annotated[DateOrder | None, typer.Option(
        "--date-format", help="How the file writes dates when its values cannot tell: day-first (31/03/2025) or "
                              "month-first (03/31/2025).")] = None,
    recruiter: Annotated[str | None, typer.Option(
        "--recruiter", help="E-mail of the recruiter who owns the applications of rows that name none.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """Import candidates, jobs (with their clients) or applications from a spreadsheet. A row that matches a
    record (by e-mail; client + title; candidate + job) updates it; importing the same file again changes
    nothing. A file with bad rows imports nothing unless --skip-bad is given. Exit codes: 1 bad rows,
    2 the file refused, 3 stopped half-way (run it again)."""
    if not file.is_file():
        raise fail(f"{file} is not a file.", code=2)
    setup_django()
    from django.utils import timezone

    from homestretch.accounts.models import User

    from .importer import ImportInterrupted, ImportRefused, import_sheet

    owner = None
    if recruiter:
        owner = User.objects.filter(email__iexact=recruiter.strip(), is_active=True).first()
        if owner is None:
            raise fail(f"--recruiter: no user with the e-mail {recruiter.strip()}", code=2)
    bar = progress_bar()

    def progress(step: str, total_rows: int) -> Callable[[int], None]:
        if total_rows < PROGRESS_FROM_ROWS:
            return lambda rows: None
        bar.start()
        task = bar.add_task(step, total=total_rows)
        return lambda rows: bar.advance(task, rows)

    try:
        result = import_sheet(file, kind=kind, map_options=map_options or (), dry_run=dry_run, skip_bad=skip_bad,
                              date_format=date_format, recruiter=owner, at=timezone.now(), progress=progress)
    except ImportRefused as refusal:
        raise fail(str(refusal), code=2) from None
    except ImportInterrupted as interrupted:
        raise fail(str(interrupted), code=3) from None
    except OSError as error:
        raise fail(f"{file} cannot be read: {error.strerror}.", code=2) from None
    finally:
        bar.stop()
    if output == OutputFormat.json:
        print_json(result.summary())
    else:
        print_summary(result)
    if result.bad_rows and not skip_bad:
        raise typer.Exit(1)


def print_summary(result: Result) -> None:
    console.print(f"[bold]{escape(result.file_name)}[/]: {result.rows_read} rows of {result.kind} read"
                  + (f", dates {result.date_order}" if result.date_order else "") + ".")
    print_mapping("Columns:", result.mapping)
    if result.ignored_columns:
        console.print("Left out: " + escape(", ".join(result.ignored_columns)), highlight=False)
    print_bad_rows(result.bad, result.bad_rows)
    verb = "Would" if not result.written else "Done"
    for name in RECORDS:
        counts = result.counts[name]
        if any(counts.values()):
            console.print(f"  {name}: {counts['created']} created, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged")
    repeated = f"; {result.repeated} row{'s' if result.repeated != 1 else ''} repeated in the file, read once" \
        if result.repeated else ""
    if result.dry_run:
        console.print(f"Dry run, nothing written{repeated}." if not result.bad_rows else
                      f"Dry run, nothing written: {result.bad_rows} bad rows (fix them, or import with "
                      f"--skip-bad){repeated}.")
    elif result.bad_rows and not result.written:
        console.print(f"[bold red]Nothing imported[/]: {result.bad_rows} bad row{'s' if result.bad_rows != 1 else ''} "
                      f"(fix them, or import the good rows with --skip-bad){repeated}.")
    else:
        console.print(f"{verb}{repeated}." if result.written else f"Nothing to change{repeated}.")


def export_command(
    kind: Annotated[str, typer.Argument(help="candidates, applications, board, today, offers or competing.")],
    out: Annotated[Path, typer.Option("-o", "--output", help="The file to write: .csv or .xlsx (by its suffix), "
                                                            "or - for CSV on standard output.")],
    filter_options: Annotated[list[str] | None, typer.Option(
        "--filter", help='"name=value", repeatable: recruiter=E-MAIL, team=NAME, client=NAME, job=ID, stage=STAGE, '
                         "q=TEXT (candidates: name, e-mail or skill).")] = None,
    as_user: Annotated[str | None, typer.Option(
        "--as", help="Export what this user may (a recruiter: their team's); the organisation's when left out.")]
        = None,
) -> None:
    """Export a list the app shows as CSV or XLSX. Cells a spreadsheet would run as a formula (=, +, -, @) are
    written as text."""
    setup_django()
    from django.utils import timezone

    from homestretch.accounts.models import User

    from .exporter import ExportKind, write_csv, write_xlsx

    try:
        export_kind = ExportKind(kind)
    except ValueError:
        raise fail(f"{kind!r} is not a list to export: {', '.join(k.value for k in ExportKind)}.", code=2) from None
    user = None
    if as_user:
        user = User.objects.filter(email__iexact=as_user.strip()).first()
        if user is None:
            raise fail(f"--as: no user with the e-mail {as_user.strip()}", code=2)
    filters = parse_filters(filter_options or ())
    from .exporter import export_table

    table = export_table(export_kind, filters, user=user, at=timezone.now())
    if str(out) == "-":
        count = write_csv(table, sys.stdout)
    elif out.suffix.lower() == ".xlsx":
        count = write_xlsx(table, out)
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            count = write_csv(table, handle)
    if str(out) != "-":
        console.print(f"{count} row{'s' if count != 1 else ''} of {export_kind} written to {escape(str(out))}.")


def parse_filters(options: list[str] | tuple[str, ...]) -> Filters:
    """--filter options as Filters, names looked up (a recruiter by e-mail, a team or client by name)."""
    from homestretch.accounts.models import Team, User
    from homestretch.pipeline.choices import Stage
    from homestretch.pipeline.models import Client

    from .exporter import FILTERS, Filters

    filters = Filters()
    for option in options:
        name, sep, value = option.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or name not in FILTERS or not value:
            raise fail(f'--filter "{option}" should read name=value, the names being {", ".join(FILTERS)}.', code=2)
        if name == "recruiter":
            user = User.objects.filter(email__iexact=value).first()
            if user is None:
                raise fail(f"--filter recruiter: no user with the e-mail {value}", code=2)
            filters = replace(filters, recruiter_id=user.pk)
        elif name == "team":
            team = Team.objects.filter(name__iexact=value).first()
            if team is None:
                raise fail(f"--filter team: no team named {value}", code=2)
            filters = replace(filters, team_id=team.pk)
        elif name == "client":
            client = Client.objects.filter(name__iexact=value).first()
            if client is None:
                raise fail(f"--filter client: no client named {value}", code=2)
            filters = replace(filters, client_id=client.pk)
        elif name == "job":
            if not value.isdigit():
                raise fail("--filter job: give the job's id (a number).", code=2)
            filters = replace(filters, job_id=int(value))
        elif name == "stage":
            if value not in Stage.values:
                raise fail(f"--filter stage: {value!r} is not a stage ({', '.join(Stage.values)}).", code=2)
            filters = replace(filters, stage=value)
        else:
            filters = replace(filters, q=value)
    return filters


