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
import subprocess
import sys
import tempfile
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
# Not a registered benchmark: the soak runs on a PostgreSQL database of its own (benchmarks/soak.py).
SOAK = "soak"
SOAK_FLOOR = "read: ping (API), the floor"  # the soak's own floor: the ping, sent among the other requests
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
        _vacuumed()
        return cached
    console.print(f"Building the {scale} data set (seed {seed}); it is cached for the next runs.")
    call_command("flush", interactive=False, verbosity=0)
    summary = summary_as_dict(load_demo(scale, seed, DATASET_NOW))
    _write_marker(scale, seed, summary)
    return summary


def _vacuumed() -> None:
    """A cached PostgreSQL data set as autovacuum would have left it: vacuumed and analysed. A data set
    built before the generator vacuumed (or on a server with autovacuum off, as on the benchmarks' machine)
    had every table's pages unmarked and its load's dead rows in place, and the lists' counts read all of
    them (benchmarks/README.md, Third pass). Quick when there is nothing to do: VACUUM skips pages already
    all-visible."""
    from django.db import connection

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


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


def soak_figures(*, database_url: str, seconds: int, users: int, console) -> list[benchmarks.Figure]:
    """Run the soak of two app servers in its own process (it sets Django up on its own database) and
    turn its result into figures: requests per second, p50 and p99 of each kind beside the ping's during
    the same soak, errors and the checks' problems (each printed)."""
    with tempfile.TemporaryDirectory(prefix="hs-soak-result-") as scratch:
        out = Path(scratch) / "soak.json"
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "benchmarks.soak", "--database", database_url, "--seconds", str(seconds),
             "--users", str(users), "--json", str(out)],
            stdout=subprocess.DEVNULL, text=True, timeout=seconds + 900, cwd=Path(__file__).resolve().parent.parent,
        )
        if not out.exists():
            console.print(f"[red]The soak wrote no result (exit {completed.returncode}).[/]")
            raise typer.Exit(1)
        result = json.loads(out.read_text())
    figures_in = result["figures"]
    kinds = figures_in["kinds"]
    floor = kinds.get(SOAK_FLOOR, {})
    notes = (f"{result['servers']} app servers (`homestretch run`, {result['server_processes']} processes each) and "
             f"{result['workers']} workers over one PostgreSQL database, {result['users']} locust users, "
             f"{result['seconds']} s, loopback; logs in {result['logs']}")
    reference = "GET /api/v1/ping during the soak"
    figures = [
        benchmarks.Figure(benchmark=SOAK, name="all requests: requests/s", value=figures_in["requests_per_second"],
                          unit="req/s", notes=notes),
        benchmarks.Figure(benchmark=SOAK, name="server errors (5xx or broken connections)",
                          value=figures_in["errors"], unit="", notes=notes),
        benchmarks.Figure(benchmark=SOAK, name="problems found by the checks", value=len(result["problems"]),
                          unit="", notes="; ".join(result["problems"][:20])),
    ]
    for kind, values in kinds.items():
        if kind == SOAK_FLOOR:
            continue
        for measure in ("p50", "p99"):
            figures.append(benchmarks.Figure(
                benchmark=SOAK, name=f"{kind}: {measure} latency ({values['count']} requests)", value=values[measure],
                unit="s", reference_name=reference, reference_value=floor.get(measure), notes=notes))
    for problem in result["problems"]:
        console.print(f"[red]soak: {problem}[/]")
    counts = ", ".join(f"{key} {value}" for key, value in result["counts"].items() if not isinstance(value, dict))
    console.print(f"soak: {counts}")
    return figures


def print_figures(figures: list[benchmarks.Figure], title: str, console) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in ("benchmark", "figure", "value", "reference", "reference value", "ratio"):
        table.add_column(column, justify="right" if "value" in column or column == "ratio" else "left")
    for figure in figures:
        ratio = figure.ratio
        table.add_row(
            figure.benchmark, figure.name, format_value(figure.value, figure.unit), figure.reference_name,
            format_value(figure.reference_value, figure.unit), f"{ratio:,.2f}×" if ratio is not None else "-",
        )
    console.print(table, width=max(console.width, 150))


def run_benchmarks(
    *, scale: str, database_url: str | None, seed: int, repeat: int, only: list[str], json_path: str | None,
    console, progress_factory: Callable, load_demo: Callable, setup_django: Callable,
    soak_database: str | None = None, soak_seconds: int = 150, soak_users: int = 12,
) -> list[benchmarks.Figure]:
    if scale not in {"small", "large"}:
        console.print(f"[red]--scale must be small or large, not {scale!r}[/]")
        raise typer.Exit(2)
    if SOAK in only and not soak_database:
        console.print("[red]--only soak needs --soak-database: a PostgreSQL database of the soak's own, "
                      "dropped and made afresh (e.g. postgres://postgres@127.0.0.1:5432/h_soak)[/]")
        raise typer.Exit(2)
    # The soak runs when its database is given, in a whole run or when named by --only.
    with_soak = bool(soak_database) and (not only or SOAK in only)
    soak_alone = only == [SOAK]
    only = [name for name in only if name != SOAK]
    soak: list[benchmarks.Figure] = []
    if with_soak:
        assert soak_database is not None
        console.print(f"Running {SOAK} ({soak_seconds} s of load)…")
        soak = soak_figures(database_url=soak_database, seconds=soak_seconds, users=soak_users, console=console)
    if soak_alone:
        print_figures(soak, f"The soak of two app servers on PostgreSQL, {soak_seconds} s", console)
        var_dir = Path(default_database_url(scale, seed).removeprefix("sqlite:///")).parent
        out = Path(json_path) if json_path else var_dir / "results-soak.json"
        out.write_text(json.dumps({"database": "postgresql", "measured_at": datetime.now(UTC).isoformat(),
                                   "figures": [f.as_dict() for f in soak]}, indent=2))
        console.print(f"Figures written to {out}")
        return soak
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

    figures.extend(soak)
    print_figures(figures, f"Benchmarks on {connection.vendor}, {scale} data set (seed {seed}), median of {repeat}",
                  console)

    var_dir = Path(default_database_url(scale, seed).removeprefix("sqlite:///")).parent
    out = Path(json_path) if json_path else var_dir / f"results-{connection.vendor}-{scale}-seed{seed}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "database": connection.vendor, "scale": scale, "seed": seed, "repeat": repeat,
        "measured_at": datetime.now(UTC).isoformat(), "figures": [f.as_dict() for f in figures],
    }, indent=2))
    console.print(f"Figures written to {out}")
    return figures
