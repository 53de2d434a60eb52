"""`homestretch bench`: build the data set once per database and seed, run every benchmark, print
and save the figures.

The data set is cached in the database itself: a small table records which scale, seed and
generator version filled it. A database filled by the same generator is reused as it is; anything
else is flushed and filled afresh. Without --database the data lives in var/bench/<scale>-seed<N>.sqlite3.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

import benchmarks

MARKER_TABLE = "homestretch_bench_dataset"
# Bump when the demo generator changes what it builds, so that cached data sets are rebuilt.
DATASET_VERSION = 4  # 2: touch summaries, closing reasons on every closed application; 3: competing-offer history;
# 4: jobs close when the last other candidate has been told (only reachable states)
# The anchor of every benchmark data set: fixed, so that a cached data set means the same thing.
DATASET_NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def default_database_url(scale: str, seed: int) -> str:
    var_dir = Path(os.environ.get("HOMESTRETCH_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    path = (var_dir / "bench" / f"{scale}-seed{seed}.sqlite3").resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _read_marker(scale: str, seed: int) -> dict[str, Any] | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
            "(scale VARCHAR(16), seed INTEGER, version INTEGER, summary TEXT)"
        )
        cursor.execute(f"SELECT scale, seed, version, summary FROM {MARKER_TABLE}")
        rows = cursor.fetchall()
    if len(rows) == 1 and tuple(rows[0][:3]) == (scale, seed, DATASET_VERSION):
        return json.loads(rows[0][3])
    return None


def _write_marker(scale: str, seed: int, summary: dict[str, Any]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (scale, seed, version, summary) VALUES (%s, %s, %s, %s)",
            [scale, seed, DATASET_VERSION, json.dumps(summary, default=str)],
        )


def summary_as_dict(summary) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(summary)
    data["rows"] = summary.rows
    data["rows_per_second"] = summary.rows_per_second
    return data


def ensure_dataset(scale: str, seed: int, console, load_demo: Callable) -> dict[str, Any]:
    """The generator's summary of the data set in the database, building it when needed."""
    from django.core.management import call_command

    cached = _read_marker(scale, seed)
    if cached is not None:
        console.print(f"Reusing the cached {scale} data set (seed {seed}).")
        return cached
    console.print(f"Building the {scale} data set (seed {seed}); it is cached for the next runs.")
    call_command("flush", interactive=False, verbosity=0)
    summary = summary_as_dict(load_demo(scale, seed, DATASET_NOW))
    _write_marker(scale, seed, summary)
    return summary


def discover() -> None:
    """Import every module of the benchmarks package so that its benchmarks register."""
    for module in pkgutil.iter_modules(benchmarks.__path__):
        if module.name not in {"runner"} and not module.name.startswith("test"):
            importlib.import_module(f"benchmarks.{module.name}")


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    return f"{value:,.0f} {unit}"


def run_benchmarks(
    *, scale: str, database_url: str | None, seed: int, repeat: int, only: list[str], json_path: str | None,
    console, progress_factory: Callable, load_demo: Callable, setup_django: Callable,
) -> list[benchmarks.Figure]:
    from rich.table import Table

    if scale not in {"small", "large"}:
        console.print(f"[red]--scale must be small or large, not {scale!r}[/]")
        raise typer.Exit(2)
    os.environ["DATABASE_URL"] = database_url or default_database_url(scale, seed)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    dataset = ensure_dataset(scale, seed, console, load_demo)
    discover()
    unknown = sorted(set(only) - set(benchmarks.REGISTRY))
    if unknown:
        console.print(f"[red]Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(benchmarks.REGISTRY)}[/]")
        raise typer.Exit(2)
    context = benchmarks.BenchContext(
        scale=scale, seed=seed, database_vendor=connection.vendor, repeat=repeat, dataset=dataset
    )
    figures: list[benchmarks.Figure] = []
    for name, function in benchmarks.REGISTRY.items():
        if only and name not in only:
            continue
        console.print(f"Running {name}…")
        figures.extend(function(context))

    table = Table(title=f"Benchmarks on {connection.vendor}, {scale} data set (seed {seed}), median of {repeat}")
    for column in ("benchmark", "figure", "value", "reference", "reference value", "ratio"):
        table.add_column(column, justify="right" if "value" in column or column == "ratio" else "left")
    for figure in figures:
        ratio = figure.ratio
        table.add_row(
            figure.benchmark, figure.name, format_value(figure.value, figure.unit), figure.reference_name,
            format_value(figure.reference_value, figure.unit), f"{ratio:,.2f}×" if ratio is not None else "-",
        )
    console.print(table, width=max(console.width, 150))

    var_dir = Path(default_database_url(scale, seed).removeprefix("sqlite:///")).parent
    out = Path(json_path) if json_path else var_dir / f"results-{connection.vendor}-{scale}-seed{seed}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "database": connection.vendor, "scale": scale, "seed": seed, "repeat": repeat,
        "measured_at": datetime.now(UTC).isoformat(), "figures": [f.as_dict() for f in figures],
    }, indent=2))
    console.print(f"Figures written to {out}")
    return figures
