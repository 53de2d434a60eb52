"""How fast the demo generator fills the database, beside how fast the database takes bare rows.

Measured: the generator's own rate, ``rows_per_second`` of the DemoSummary the runner kept when it
built the data set (``ctx.dataset``): every row written to every table, divided by the whole
``generate()`` time (planning in Python, building the tuples, inserting, committing). It is measured
once, when the data set is built; a cached data set reports the run that built it.

Reference: the database's raw insert rate for rows as wide as a touchpoint (the bulk of the data):
the same number of columns and types, one typical note, the same constant row over and over, into a
TEMP table without index, constraint or foreign key, through the generator's own path (``executemany``
in batches of 10,000 on SQLite, ``COPY FROM STDIN`` on PostgreSQL), in a transaction rolled back
afterwards. 200,000 rows, the median of several runs, scaled to rows per second.

The ratio (ours / raw) is the share of the database's bare speed that the generator keeps: what
planning, tuple building, indexes, constraints and foreign keys cost together.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from benchmarks import BenchContext, Figure, median_seconds, register
from homestretch.demo.bulk import BATCH_SIZE
from homestretch.pipeline.models import Touchpoint

REFERENCE_ROWS = 200_000
SCRATCH_TABLE = "bench_demo_touchpoint_raw"


def _constant_row(vendor: str) -> tuple:
    moment = "2026-03-02 09:30:00" + ("+00:00" if vendor == "postgresql" else "")
    note = ("Debrief after the technical interview: went well; Priya found the Python questions fair. Keen. "
            "Asked about other processes: none at the moment.")
    # id, candidate, application, recruiter, at, channel, direction, notes, interest,
    # competition asked, answer, status update given, created at
    return (1, 1, 1, 1, moment, "call", "outbound", note, 4, True, "none", False, moment)


def _insert_raw(rows: list[tuple], columns: list[str]) -> None:
    """Fill the scratch table the way the generator fills the real ones, then roll back."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {SCRATCH_TABLE} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {SCRATCH_TABLE} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(sql, rows[start:start + BATCH_SIZE])
        transaction.set_rollback(True)


def raw_insert_rate(repeat: int, rows: int = REFERENCE_ROWS) -> float:
    """Rows per second of a bare insert of touchpoint-wide rows into a TEMP table."""
    columns = [field.column for field in Touchpoint._meta.concrete_fields if field.column]  # all have one
    source = connection.ops.quote_name(Touchpoint._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE {SCRATCH_TABLE} (LIKE {source})")  # types only, no constraints
        else:
            cursor.execute(f"CREATE TEMP TABLE {SCRATCH_TABLE} AS SELECT * FROM {source} WHERE 0")
    batch = [_constant_row(connection.vendor)] * rows
    try:
        seconds = median_seconds(lambda: _insert_raw(batch, columns), repeat, warmup=1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
    return rows / seconds


@register("demo_generation")
def demo_generation(ctx: BenchContext) -> list[Figure]:
    dataset = ctx.dataset
    rate = dataset.get("rows_per_second")
    if not rate:
        return []  # a data set built without a summary: nothing measured to report
    repeat = max(3, min(ctx.repeat, 5))
    started = time.perf_counter()
    raw = raw_insert_rate(repeat)
    spent = time.perf_counter() - started
    return [
        Figure(
            benchmark="demo_generation",
            name=f"demo generation, {dataset.get('scale', ctx.scale)} ({dataset.get('rows', 0):,} rows)",
            value=float(rate), unit="rows/s",
            reference_name=f"bare {'COPY' if connection.vendor == 'postgresql' else 'executemany'}, "
            "touchpoint rows, TEMP table",
            reference_value=raw, runs=repeat,
            notes=f"generator: one run of {dataset.get('seconds', 0):.1f} s when the data set was built; "
            f"reference: median of {repeat} runs of {REFERENCE_ROWS:,} rows ({spent:.1f} s in all)",
        )
    ]
