"""Helpers for code that builds many small objects at once (a whole organisation's pipeline)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql.constants import MULTI


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a loop allocates many acyclic objects (rows, facts, risks).

    Left on, it rescans every object allocated so far each time a few hundred more appear: loading
    and scoring 7,000 applications triggered enough full scans to cost about a third of the time.
    Nothing allocated in such a loop forms a cycle, so nothing is missed; reference counting still
    frees everything as usual, and the collector is switched back on as found, whatever happens.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
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
    comprehension, as Django's loader attaches it. On other databases, or for a queryset with annotations
    or extra columns, it is `list(queryset)`."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    connection = compiler.connection
    if (connection.vendor not in ("sqlite", "postgresql") or not settings.USE_TZ or query.extra_select
            or query.annotation_select or queryset._iterable_class is not ValuesListIterable):
        return list(queryset)
    if connection.vendor == "postgresql":
        return _postgresql_rows(compiler, connection)
    chunks = compiler.execute_sql(MULTI)
    if chunks is None:  # an empty result known without a query
        return []
    rows = [row for chunk in chunks for row in chunk]
    fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
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
    for position, (column_converters, expression) in converters.items():
        column = columns[position]
        if fast and column_converters == [connection.ops.convert_datetimefield_value]:
            columns[position] = [
                value.replace(tzinfo=zone) if value.__class__ is datetime and value.tzinfo is None
                else None if value is None else column_converters[0](value, expression, connection)
                for value in column
            ]
            continue
        converted = []
        for value in column:
            for converter in column_converters:
                value = converter(value, expression, connection)
            converted.append(value)
        columns[position] = converted
    return list(zip(*columns, strict=True))


def _postgresql_rows(compiler, connection) -> list[tuple[Any, ...]]:
    from django.core.exceptions import EmptyResultSet
    from psycopg import adapters
    from psycopg.pq import Format

    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # an empty result known without a query
        return []
    with connection.cursor() as cursor:
        # On this cursor only (Django checks the connection's own loader when it makes a cursor).
        cursor.cursor.adapters.register_loader("timestamptz", adapters.get_loader(
            adapters.types["timestamptz"].oid, Format.TEXT))
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
    rows = converted_rows(rows, compiler.get_converters(fields), connection)
    moments = tuple(position for position, field in enumerate(fields)
                    if field.output_field.get_internal_type() == "DateTimeField")
    return with_zone(rows, moments, connection)


def with_zone(rows: list[tuple[Any, ...]], moments: tuple[int, ...], connection) -> list[tuple[Any, ...]]:
    """The connection's zone attached to each moment (the columns at `moments`) read by psycopg's C loader,
    as Django's own loader attaches it; column by column."""
    if not rows or not moments:
        return rows
    zone = connection.timezone
    columns: list[Any] = list(zip(*rows, strict=True))
    for position in moments:
        columns[position] = [None if value is None else value.replace(tzinfo=zone) for value in columns[position]]
    return list(zip(*columns, strict=True))
