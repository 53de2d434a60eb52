"""Read queries compiled once per process and shape, then run with fresh values.

Building a queryset (`filter()` resolving every lookup) and compiling it to SQL cost Django far more
than SQLite or PostgreSQL spend running it when the query reads a few dozen rows: one recruiter's
agenda ran eleven such queries, 7.5 ms of CPU in the loader against about 1.5 ms of SQL (benchmarks/
README.md, Where the API's time goes). The statement only depends on the query's shape (which query,
how many ids in each list, which arguments are None), so `prepared_rows` compiles each shape once and
then runs the same SQL with the new values bound as parameters, never formatted into the text. A list
of ids is filled up to the next power of two with its last id, so that the shapes a process keeps stay
few (a dozen per query) whatever the numbers of ids it is asked for.

How the values find their places: the query is built twice with stand-in values (distinct ids, distinct
moments) and compiled; each parameter that equals a stand-in, adapted for the database the way Django
adapts it, takes that argument's place. The second build, with other stand-ins, must give exactly the
parameters the first predicts, or the shape is never cached and runs through the ORM every time (a
value transformed on its way to the SQL, a constant that happens to equal a stand-in).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.signals import setting_changed
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.dispatch import receiver
from psycopg import abc, adapters
from psycopg.adapt import Transformer
from psycopg.pq import Format

from .bulk_python import converted_rows, value_rows, with_zone

# Two sets of stand-ins: within a 32-bit integer (Django turns an out-of-range integer lookup into an empty
# result) and far from any id or moment the application writes. The two sets' moments differ in every part
# (year, month, day, weekday, hour, minute, second), so that a value reduced on its way (to its date, its
# year) differs between the builds and is never taken for a constant.
_STAND_INS = (
    (1_987_600_000, datetime(1901, 3, 7, 5, 11, 13, tzinfo=UTC)),
    (1_876_500_000, datetime(1904, 10, 22, 18, 47, 52, tzinfo=UTC)),
)


# The placeholders of Django's compiled SQL: `%s` for a value, `%%` for a literal percent sign.
_PLACEHOLDER = re.compile(r"%%|%s")


@dataclass(frozen=True)
class _Prepared:
    sql: str
    # Per parameter: (argument's position, element's position or None for a scalar), or (None, constant).
    sources: tuple[tuple[int | None, Any], ...]
    converters: dict[int, tuple[list[Any], Any]]
    # The columns that hold a moment (DateTimeField): read by psycopg's C loader on PostgreSQL (prepared_many).
    moments: tuple[int, ...] = ()
    # The text between the placeholders (`_pieces`), for binding on PostgreSQL without parsing it again.
    pieces: tuple[str, ...] = ()


# Per connection (one per thread): its converters are bound to it. A shape that cannot be prepared is None.
_CACHE: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[Hashable, _Prepared | None]] = (
    weakref.WeakKeyDictionary())


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    # A setting may change how a value is adapted or a column converted (the time zone): compile afresh.
    _CACHE.clear()


def prepared_rows(key: str, build: Callable[..., QuerySet[Any]], *arguments: Any) -> list[tuple[Any, ...]]:
    """The rows of `build(*arguments)`, a `values_list()` queryset, exactly as `value_rows` gives them.

    Each argument is an int, a datetime, None, or a list of ints (duplicates dropped: the query's `IN`
    ignores them). `key` names the query; with the arguments' shape it names the statement. An empty list
    or a queryset among the arguments runs through the ORM, uncached."""
    return prepared_many((key, build, *arguments))[0]


def prepared_many(*queries: tuple[Any, ...]) -> list[list[tuple[Any, ...]]]:
    """The rows of each `(key, build, *arguments)`, as `prepared_rows` gives them, in the same order.

    On PostgreSQL the prepared statements are sent together in one round trip: Django's psycopg cursor
    binds on the client, so several statements and their values go as one text and come back as one
    result set each (`nextset`). On the loaded machine of the benchmarks each round trip cost one
    recruiter's agenda about 0.3 ms of waiting, more than most of its queries cost the server (benchmarks/
    README.md, Third pass). A query that is not prepared runs alone, through the ORM, as in `prepared_rows`."""
    results: list[list[tuple[Any, ...]] | None] = [None] * len(queries)
    batch: list[tuple[int, _Prepared, list[Any]]] = []
    connection = connections["default"]
    for index, (key, build, *given) in enumerate(queries):
        arguments = tuple(_padded(list(dict.fromkeys(a))) if isinstance(a, list | tuple) else a for a in given)
        if any(isinstance(a, QuerySet) or (isinstance(a, list) and not a) for a in arguments):
            results[index] = value_rows(build(*arguments))
            continue
        shape = (key, tuple(len(a) if isinstance(a, list) else type(a) for a in arguments))
        queryset = None
        known = _CACHE.setdefault(connection, {})
        if shape not in known:
            queryset = build(*arguments)
            if queryset.db != connection.alias:  # not the default database: uncached, as the ORM runs it
                results[index] = value_rows(queryset)
                continue
            known[shape] = _prepare(build, arguments, connection)
        prepared = known[shape]
        if prepared is None:
            results[index] = value_rows(queryset if queryset is not None else build(*arguments))
            continue
        ops = connection.ops
        params = [
            constant if position is None
            else _adapt(ops, arguments[position] if constant is None else arguments[position][constant])
            for position, constant in prepared.sources
        ]
        batch.append((index, prepared, params))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and batch:
            # Each statement bound on its own, between the pieces of its text split once when prepared
            # (`_bound`), then the bound texts sent as one, without parameters: nothing in them is read as
            # one. The moments read by psycopg's C loader, on this cursor only, as value_rows reads them.
            cursor.cursor.adapters.register_loader("timestamptz", adapters.get_loader(
                adapters.types["timestamptz"].oid, Format.TEXT))
            literals = Transformer.from_context(cursor.cursor)
            encoding = cursor.cursor.connection.info.encoding
            cursor.execute(";\n".join(_bound(prepared, params, literals, encoding) for _, prepared, params in batch))
            for position, (index, prepared, _) in enumerate(batch):
                if position:
                    cursor.cursor.nextset()
                results[index] = with_zone(converted_rows(cursor.fetchall(), prepared.converters, connection),
                                            prepared.moments, connection)
        else:
            for index, prepared, params in batch:
                cursor.execute(prepared.sql, params)
                results[index] = converted_rows(cursor.fetchall(), prepared.converters, connection)
    return results  # type: ignore[return-value]


def _pieces(sql: str) -> tuple[str, ...]:
    """A compiled statement's text between its placeholders (one more piece than parameters), Django's
    `%%` read as `%`: split once per shape, where psycopg would parse the text again at every bind."""
    pieces, start = [""], 0
    for placeholder in _PLACEHOLDER.finditer(sql):
        pieces[-1] += sql[start:placeholder.start()]
        if placeholder.group() == "%%":
            pieces[-1] += "%"
        else:
            pieces.append("")
        start = placeholder.end()
    pieces[-1] += sql[start:]
    return tuple(pieces)


def _bound(prepared: _Prepared, params: list[Any], literals: abc.Transformer, encoding: str) -> str:
    """The statement with its values written in as PostgreSQL literals, exactly as psycopg's `mogrify`
    writes them (lib/tests/test_prepared_rows.py compares the two). `mogrify` parses the text's placeholders
    at every call and keeps its parse only for texts under 4 kB with 50 parameters at most; a list of a
    thousand ids made that parse 33 ms of the 730 named applications' reads on the day's first view."""
    pieces = prepared.pieces
    bound = [pieces[0]]
    for param, piece in zip(params, pieces[1:], strict=True):
        bound.append("NULL" if param is None else literals.as_literal(param).decode(encoding))
        bound.append(piece)
    return "".join(bound)


def _padded(ids: list[Any]) -> list[Any]:
    """The list filled up to the next power of two with its last id (an `IN` ignores repeats): lists of
    37 and 60 ids share one statement, so that a process keeps at most a dozen shapes of each query
    whatever the number of ids it is asked for (up to a few thousand: risk/loader.py ID_LIST_LIMIT),
    not one per number."""
    if not ids:
        return ids
    return ids + ids[-1:] * ((1 << (len(ids) - 1).bit_length()) - len(ids))


def _adapt(ops, value: Any) -> Any:
    return ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value


def _stand_ins(arguments: tuple[Any, ...], which: int, ops) -> tuple[list[Any], dict[Any, tuple[int, int | None]]]:
    """Distinct stand-ins for the arguments, and where each came from, keyed by what the database gets."""
    values: list[Any] = []
    origin: dict[Any, tuple[int, int | None]] = {}
    int_base, moment_base = _STAND_INS[which]
    counter = 0

    def stand_in(value: Any, place: tuple[int, int | None]) -> Any:
        nonlocal counter
        counter += 1
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            origin[_key(counter + int_base)] = place
            return counter + int_base
        if isinstance(value, datetime):
            moment = moment_base + timedelta(microseconds=counter)
            origin[_key(_adapt(ops, moment))] = place
            return moment
        raise TypeError(f"prepared_rows: argument {place[0]} is a {type(value).__name__}; "
                        "expected an int, a datetime, None or a list of ints")

    for position, value in enumerate(arguments):
        if isinstance(value, list):
            values.append([stand_in(element, (position, index)) for index, element in enumerate(value)])
        else:
            values.append(stand_in(value, (position, None)))
    return values, origin


def _key(param: Any) -> Any:
    # 1 == True and 1.0 == 1 in a dict: the type is part of the key.
    return (type(param), param)


def _compile(build: Callable[..., QuerySet[Any]], values: list[Any]):
    queryset = build(*values)
    query = queryset.query
    if queryset._iterable_class is not ValuesListIterable or query.extra_select:
        return None
    # values_list() reorders the columns when annotations are not last; only the plain order is prepared.
    names = [*query.values_select, *query.annotation_select]
    if list(queryset._fields) != names:  # type: ignore[attr-defined]
        return None
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return None
    fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
    moments = tuple(position for position, field in enumerate(fields)
                    if field.output_field.get_internal_type() == "DateTimeField")
    return sql, list(params), compiler.get_converters(fields), moments


def _prepare(build, arguments: tuple[Any, ...], connection) -> _Prepared | None:
    ops = connection.ops
    first_values, origin = _stand_ins(arguments, 0, ops)
    second_values, _ = _stand_ins(arguments, 1, ops)
    first, second = _compile(build, first_values), _compile(build, second_values)
    if first is None or second is None or first[0] != second[0]:
        return None
    sql, params, converters, moments = first
    sources: list[tuple[int | None, Any]] = []
    for param in params:
        try:
            place = origin.get(_key(param))
        except TypeError:  # an unhashable constant (a list bound as an array)
            place = None
        sources.append(place if place is not None else (None, param))
    # The second build, with other stand-ins, must give exactly what the places found predict.
    predicted = [
        constant if position is None
        else _adapt(ops, second_values[position] if constant is None else second_values[position][constant])
        for position, constant in sources
    ]
    if predicted != second[1]:
        return None
    pieces = _pieces(sql)
    if len(pieces) != len(sources) + 1:  # a placeholder this split does not know: never cached
        return None
    return _Prepared(sql=sql, sources=tuple(sources), converters=converters, moments=moments, pieces=pieces)
