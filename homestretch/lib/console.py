"""What every `homestretch` command shares: the consoles, Django set-up, errors and parsing of
times and formats. Commands live in homestretch/cli.py and in each app's commands.py."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError

console = Console()
err = Console(stderr=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestretch.settings")
    import django

    django.setup()


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(code)


def refused(error: ValidationError, code: int = 1) -> typer.Exit:
    """A rule's refusal (a ValidationError, lib/refusals.py): one line per error, `field: message`, the
    field left out when the refusal is about the whole request."""
    from homestretch.lib.refusals import NON_FIELD, field_errors, with_constraint_fields

    for field, message, _ in field_errors(with_constraint_fields(error)):
        err.print(f"[bold red]Error:[/] {message if field == NON_FIELD else f'{field}: {message}'}", highlight=False)
    return typer.Exit(code)


def parse_moment(value: str | None, option: str) -> datetime:
    """An ISO 8601 date-time from the command line; naive means UTC. None means now."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not an ISO 8601 date-time such as 2026-11-25T09:00+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=False,
    )


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date such as 2026-11-25", code=2) from None


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


# The bad rows an import prints; the rest are counted (the JSON output and the page list them all).
SHOWN_BAD_ROWS = 20


def print_mapping(title: str, mapping: dict[str, str]) -> None:
    """An import's columns and the field each is read as, aligned."""
    from rich.markup import escape

    console.print(title)
    width = max((len(column) for column in mapping), default=0)
    for column, field in mapping.items():
        console.print(f"  {escape(column.ljust(width))} → {field}", highlight=False)


def print_bad_rows(bad: Sequence[object], total: int) -> None:
    """An import's bad rows by line, the first SHOWN_BAD_ROWS of them; `total` counts the rest
    (a line may carry several refusals, so the rest is counted by line)."""
    from rich.markup import escape

    if not bad:
        return
    console.print(f"Bad rows ({total}):")
    shown = bad[:SHOWN_BAD_ROWS]
    for row in shown:
        console.print(f"  {escape(str(row))}", highlight=False)
    more = total - len({getattr(row, "line", None) for row in shown})
    if more > 0:
        console.print(f"  … and {more} more bad row{'s' if more != 1 else ''}.")
