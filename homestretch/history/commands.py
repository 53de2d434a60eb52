"""`homestretch history import FILE.csv`: past outcomes from another ATS or a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

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

history_app = typer.Typer(help="Past outcomes from another ATS or a spreadsheet.", no_args_is_help=True)

# Files shorter than this import in a blink: no progress bar.
PROGRESS_FROM_ROWS = 5_000


@history_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A CSV file (UTF-8, ',' or ';' between values), one row per past "
                                              "offer or application, with its outcome.")],
    map_options: Annotated[list[str] | None, typer.Option(
        "--map", help='"CSV column=field": which field a column feeds (repeatable); "COLUMN=extra" keeps it as an '
                      "extra attribute. Common column names are recognised without it.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be imported; write nothing.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows even when some are bad "
                                                              "(the bad ones are reported).")] = False,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
    date_format: Annotated[DateOrder | None, typer.Option(
        "--date-format", help="How the file writes dates when its values cannot tell: day-first (31/03/2025) or "
                              "month-first (03/31/2025).")] = None,
) -> None:
    """Import past outcomes. Known columns (pay, raises, notice, days to accept, source, location, outcome...)
    fill Homestretch's fields, every other column is kept as an extra attribute. Rows already imported are
    counted, never duplicated. A file with bad rows imports nothing unless --skip-bad is given."""
    if not file.is_file():
        raise fail(f"{file} is not a file.", code=2)
    setup_django()
    from django.utils import timezone

    from .importer import ImportInterrupted, ImportRefused, import_history

    bar = progress_bar()  # started only for a long file: a short one imports in a blink

    def progress(phase: str, total_rows: int) -> Callable[[int], None]:
        if total_rows < PROGRESS_FROM_ROWS:
            return lambda rows: None
        bar.start()
        task = bar.add_task(phase, total=total_rows)
        return lambda rows: bar.advance(task, rows)

    try:
        reading = import_history(file, map_options=map_options or (), dry_run=dry_run, skip_bad=skip_bad,
                                 at=timezone.now(), progress=progress, date_format=date_format)
    except ImportRefused as refusal:
        raise fail(str(refusal), code=2) from None
    except ImportInterrupted as interrupted:
        raise fail(str(interrupted), code=3) from None
    except OSError as error:
        raise fail(f"{file} cannot be read: {error.strerror}.", code=2) from None
    finally:
        bar.stop()

    refused = bool(reading.bad) and not skip_bad
    if output == OutputFormat.json:
        print_json(summary(reading, dry_run=dry_run, refused=refused))
    else:
        print_summary(reading, dry_run=dry_run, refused=refused)
    if refused:
        raise typer.Exit(1)


def summary(reading, *, dry_run: bool, refused: bool) -> dict:
    written = reading.batch is not None
    return {
        "file": reading.file_name, "dry_run": dry_run, "refused": refused,
        "rows_read": reading.rows_read,
        "new": reading.new, "imported": reading.imported,
        "already_imported": reading.already_there, "repeated_in_file": reading.repeated,
        "bad_rows": reading.bad_rows, "bad": [str(bad) for bad in reading.bad],
        "batch_id": reading.batch.pk if written else None,
        "mapping": reading.mapping, "extra_columns": reading.extra_columns,
    }


def print_summary(reading, *, dry_run: bool, refused: bool) -> None:
    rows = f"{reading.rows_read} row{'s' if reading.rows_read != 1 else ''}"
    console.print(f"[bold]{escape(reading.file_name)}[/]: {rows} read.")
    print_mapping("Columns recognised:", reading.mapping)
    if reading.extra_columns:
        console.print("Kept as extra attributes: " + escape(", ".join(reading.extra_columns)), highlight=False)
    print_bad_rows(reading.bad, reading.bad_rows)
    repeated = f" ({reading.repeated} repeated in the file)" if reading.repeated else ""
    already = reading.already_there + reading.repeated
    if dry_run:
        verb = "would be imported" if not refused else "would be imported with --skip-bad"
        console.print(f"Dry run, nothing written: {reading.new} new {verb}, {already} already "
                      f"imported{repeated}, {reading.bad_rows} bad.")
    elif refused:
        bad = f"{reading.bad_rows} bad row{'s' if reading.bad_rows != 1 else ''}"
        rest = (f"fix them, or import the {reading.new} good new rows with --skip-bad" if reading.new
                else "fix them; every good row is imported already")
        console.print(f"[bold red]Nothing imported[/]: {bad} ({rest}).")
    else:
        imported = reading.imported
        skipped = f", {reading.bad_rows} skipped as bad" if reading.bad else ""
        batch = f" as batch {reading.batch.pk}" if reading.batch is not None else ""
        console.print(f"Imported {imported}{batch}, {already} already imported{repeated}{skipped}.")
