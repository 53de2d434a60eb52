"""Benchmarks: one module per measured thing, one runner (`homestretch bench`).

A benchmark module registers functions with `@register("name")`. Each is called once with a
`BenchContext` (the database is already filled with the data set, Django is set up) and returns
`Figure`s: a measured median beside its reference, the bare SQL that reads the same rows or the
framework's empty request, so that our own overhead shows as a ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeAlias

# One SQL statement as the driver takes it: the text and its parameters.
Statement: TypeAlias = tuple[str, Sequence[Any] | Mapping[str, Any] | None]


@dataclass(frozen=True)
class BenchContext:
    scale: str
    seed: int
    database_vendor: str
    repeat: int = 7
    dataset: dict[str, Any] = field(default_factory=dict)  # what the demo generator reported


@dataclass(frozen=True)
class Figure:
    """One measured thing: the median of several runs, beside its reference."""

    benchmark: str
    name: str
    value: float
    unit: str  # "s", "ms", "rows/s", "req/s"
    reference_name: str = ""
    reference_value: float | None = None
    runs: int = 1
    notes: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference_value in (None, 0):
            return None
        return self.value / self.reference_value

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


BenchFunction = Callable[[BenchContext], list[Figure]]
REGISTRY: dict[str, BenchFunction] = {}


def register(name: str) -> Callable[[BenchFunction], BenchFunction]:
    def decorator(function: BenchFunction) -> BenchFunction:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = function
        return function

    return decorator


def median_seconds(action: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of `action` over `repeat` runs after `warmup` uncounted ones."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def capture_statements(action: Callable[[], object]) -> list[Statement]:
    """The SQL statements (with their parameters) that `action` sends, in order."""
    from django.db import connection

    statements: list[Statement] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return statements


class _RolledBack(Exception):
    pass


def rolled_back(write: Callable[[], object]) -> Callable[[], None]:
    """`write` in a transaction that is undone, so that each run of a write's benchmark starts from the same rows."""
    from django.db import transaction

    def run() -> None:
        try:
            with transaction.atomic():
                write()
                raise _RolledBack
        except _RolledBack:
            pass
    return run


def replay(statements: Sequence[Statement]) -> int:
    """Run statements with a plain cursor and fetch every row: the database's share of the work."""
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
            # Several statements sent as one text (lib/prepared.py, prepared_many, on PostgreSQL) come back
            # as one result set each: every one is read, as our code reads them.
            while connection.vendor == "postgresql" and cursor.nextset():
                rows += len(cursor.fetchall())
    return rows
