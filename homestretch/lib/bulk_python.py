"""Helpers for code that builds many small objects at once (a whole organisation's pipeline)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a loop allocates many acyclic objects (rows, facts, risks).

    Left on, it rescans every object allocated so far each time a few hundred more appear: loading
    and scoring 7,000 applications triggered enough full scans to cost about a third of the time.
    Nothing allocated in such a loop forms a cycle, so nothing is missed; reference counting still
    frees everything as usual, and the collector is switched back on as found, whatever happens.

    Switched back on, the collector would scan everything allocated meanwhile at the next allocation
    (the young generation's count is far past its threshold): some 10 ms after loading a whole
    organisation's facts, and again after scoring them. Instead, what is alive then is moved to the oldest
    generation (`freeze` then `unfreeze`, which also restarts the young count), where only a full
    collection looks at it; a cycle among those objects is still found there. Nothing in Homestretch
    freezes objects for good, which `unfreeze` would undo.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def value_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list()` queryset, exactly as `list(queryset)` gives them, converted column by
    column rather than value by value.

    Django converts each value read from SQLite through a chain of calls per value: a datetime passes
    through `convert_datetimefield_value`, which reads `settings.USE_TZ` through the lazy settings object
    and checks awareness before attaching the connection's time zone. A whole organisation's pipeline
    reads some 60,000 datetimes, and that chain cost more than the database's own work (benchmarks/
    README.md, issue 18). Here every datetime column is made aware in one comprehension, the same zone
    attached the same way; every other converter (decimals, booleans, dates) is Django's own, applied as
    Django applies it. On PostgreSQL the same holds of psycopg's loader: Django registers its own for
    `timestamptz`, a Python subclass of psycopg's Python loader, so the C loader of psycopg-binary goes
    unused and the day's first view spent about 180 ms parsing 44,000 datetimes; here the C loader reads
    them (in the session's time zone, the connection's) and the connection's zone is attached in one
    comprehension, as Django's loader attaches it. On other databases, or for a queryset with extra columns,
    it is `list(queryset)`."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    connection = compiler.connection
    # An annotation is a column like any other: its converters come from its output field, as Django takes
    # them (the risk loader's competing offers carry one: whether any changed after the moment).
    if (connection.vendor not in ("sqlite", "postgresql") or not settings.USE_TZ or query.extra_select
            or queryset._iterable_class is not ValuesListIterable):
        return list(queryset)
    if connection.vendor == "postgresql":
        return _postgresql_rows(compiler, connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # an empty result known without a query
        return []
    # One fetchall, as the replayed statements read: `execute_sql` fetches 100 rows at a time and copies
    # each row to cut it to the selected columns, which a values_list() query has no more of anyway.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    count = compiler.col_count
    if rows and len(rows[0]) != count:
        rows = [row[:count] for row in rows]
    fields = [selected[0] for selected in compiler.select[0:count]]
    return converted_rows(rows, compiler.get_converters(fields), connection)


def converted_rows(rows: list[Any], converters: dict[int, tuple[list[Any], Any]], connection) -> list[tuple[Any, ...]]:
    """The rows as read by a cursor, each column through the converters Django's compiler names for it
    (`get_converters`), a datetime column on SQLite in one comprehension (see `value_rows`)."""
    if not rows:
        return []
    if not converters:
        return [tuple(row) for row in rows]
    columns: list[Any] = list(zip(*rows, strict=True))
    zone = connection.timezone
    fast = connection.vendor == "sqlite" and settings.USE_TZ
    # The zone is attached by `combine`, not `replace(tzinfo=...)`: the same moment (fold included), but
    # `replace` parses its keywords on every call and cost about four times as much (~640 against ~150 ns;
    # a whole organisation's agenda attaches some 44,000).
    combine = datetime.combine
    for position, (column_converters, expression) in converters.items():
        column = columns[position]
        if fast and column_converters == [connection.ops.convert_datetimefield_value]:
            columns[position] = [
                combine(value, value.time(), zone) if value.__class__ is datetime and value.tzinfo is None
                else None if value is None else column_converters[0](value, expression, connection)
                for value in column
            ]
            continue
        if _converted_once_per_value(expression):
            # Pay amounts, days and yes/no repeat (a few hundred distinct among thousands of rows) and what
            # they convert to is immutable: each distinct value is converted once (Django's decimal converter
            # quantizes through a context every time, and each value passes through a chain of calls).
            made: dict[Any, Any] = {}
            for value in column:
                if value not in made:
                    result = value
                    for converter in column_converters:
                        result = converter(result, expression, connection)
                    made[value] = result
            columns[position] = [made[value] for value in column]
            continue
        converted = []
        for value in column:
            for converter in column_converters:
                value = converter(value, expression, connection)
            converted.append(value)
        columns[position] = converted
    return list(zip(*columns, strict=True))


# Fields whose converters make an immutable value from the value read alone.
_IMMUTABLE_VALUES = frozenset({"DecimalField", "DateField", "BooleanField"})


def _converted_once_per_value(expression) -> bool:
    field = getattr(expression, "output_field", None)
    return field is not None and field.get_internal_type() in _IMMUTABLE_VALUES


def _postgresql_rows(compiler, connection) -> list[tuple[Any, ...]]:
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # an empty result known without a query
        return []
    with connection.cursor() as cursor:
        _read_moments_in_c(cursor)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _postgresql_converted(rows, compiler, connection)


def _read_moments_in_c(cursor) -> None:
    from psycopg import adapters
    from psycopg.pq import Format

    # On this cursor only (Django checks the connection's own loader when it makes a cursor).
    cursor.cursor.adapters.register_loader("timestamptz", adapters.get_loader(
        adapters.types["timestamptz"].oid, Format.TEXT))


def _postgresql_converted(rows, compiler, connection) -> list[tuple[Any, ...]]:
    fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
    rows = converted_rows(rows, compiler.get_converters(fields), connection)
    moments = tuple(position for position, field in enumerate(fields)
                    if field.output_field.get_internal_type() == "DateTimeField")
    return with_zone(rows, moments, connection)


@dataclass(frozen=True)
class KeptTotal:
    """A statement that reads, as one number, the total a count of a list's rows would give, from where the
    database keeps it up to date (pipeline/candidate_count.py): read with the page instead of counting."""

    sql: str


def value_rows_and_count(page: QuerySet[Any], counted: QuerySet[Any] | KeptTotal,
                         ) -> tuple[list[tuple[Any, ...]], int | None]:
    """The rows of `page` (a sliced `values_list()` queryset) as `value_rows` gives them, and on PostgreSQL
    how many rows `counted` has, both read in one round trip: the two statements sent as one text, each
    bound on the client as Django's cursor binds it, read back one result set each. On the benchmarks'
    machine a round trip cost a list about as much as a third of its own work (benchmarks/README.md,
    Sixth pass). `counted` may instead be a total the database keeps (`KeptTotal`), read in its place. The
    count is None on other databases (no round trip to save there: the caller counts when it needs to) and
    for a page not read this way (then `value_rows`, and the caller counts)."""
    query = page.query
    compiler = query.get_compiler(using=page.db)
    connection = compiler.connection
    if (connection.vendor != "postgresql" or not settings.USE_TZ or query.extra_select
            or page._iterable_class is not ValuesListIterable
            or (not isinstance(counted, KeptTotal) and counted.db != page.db)):
        return value_rows(page), None
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return [], 0
    if isinstance(counted, KeptTotal):
        total_sql, total_params = counted.sql, []
    else:
        try:
            # The rows counted as Django counts them: COUNT(*) over the same rows, with no ordering to keep.
            inner, total_params = counted.order_by().values("pk").query.get_compiler(using=counted.db).as_sql()
        except EmptyResultSet:
            return value_rows(page), 0
        total_sql = f"SELECT COUNT(*) FROM ({inner}) AS counted"  # noqa: S608 - Django's compiled SQL
    with connection.cursor() as cursor:
        _read_moments_in_c(cursor)
        cursor.execute(f"{sql};\n{total_sql}", [*params, *total_params])
        rows = cursor.fetchall()
        cursor.nextset()
        (total,) = cursor.fetchone()
    return _postgresql_converted(rows, compiler, connection), total


def with_zone(rows: list[tuple[Any, ...]], moments: tuple[int, ...], connection) -> list[tuple[Any, ...]]:
    """The connection's zone attached to each moment (the columns at `moments`) read by psycopg's C loader,
    as Django's own loader attaches it; column by column."""
    if not rows or not moments:
        return rows
    zone = connection.timezone
    combine = datetime.combine
    columns: list[Any] = list(zip(*rows, strict=True))
    for position in moments:
        columns[position] = [None if value is None else combine(value, value.time(), zone)
                             for value in columns[position]]
    return list(zip(*columns, strict=True))
