"""The fast inserter: rows as plain tuples, straight into the tables, no ORM object per row.

SQLite gets ``executemany`` in one transaction; PostgreSQL gets ``COPY ... FROM STDIN`` through
psycopg 3, then its sequences are moved past the ids we assigned. (Measured and left out on
SQLite: ``synchronous=OFF`` and a bigger page cache gain nothing in WAL mode with one commit, and
dropping secondary indexes during the load saves about 2 of 11 seconds per million touchpoints,
the foreign-key and CHECK evaluation being the larger cost. On PostgreSQL the deferred foreign-key
checks run at COMMIT, about a sixth of the time for the large data set.)

Columns come from the models' ``_meta``: the caller names the fields it fills (attnames such as
``candidate_id``), and a field the caller does not know about is filled with its constant default
or NULL, so that a new optional field does not break the demo. A new required field, a field with
a callable default (the clock) or an ``auto_now`` field the caller leaves out is refused with a
message that says so: those the generator must fill itself, to stay deterministic.

Values must already be what the database stores: ints, strs, bools, None; date-times as text in
the connection's format (see ``generator.Clock``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection as default_connection
from django.db import models, transaction

Progress = Callable[[str, int, int], None]

BATCH_SIZE = 10_000


def _column(field: models.Field) -> str:
    """The column of a concrete field: every one has a column (only relations without one have none)."""
    assert field.column is not None, f"{field} is stored in no column"
    return field.column


class Table:
    """One table being filled: its column list, its buffer and how many rows went in."""

    def __init__(self, loader: BulkLoader, model: type[models.Model], fields: Sequence[str], *,
                 label: str, total: int) -> None:
        self.loader = loader
        self.model = model
        self.label = label
        self.total = total
        self.done = 0
        self.fields = tuple(fields)
        self.tail = self._constant_tail()
        concrete = {field.attname: field for field in model._meta.concrete_fields}  # checked by the tail
        self.columns = [_column(concrete[name]) for name in self.fields] + [_column(field) for field, _ in self.tail]
        self.tail_values = tuple(value for _, value in self.tail)
        self.width = len(self.columns)
        self.buffer: list[tuple] = []

    def _constant_tail(self) -> list[tuple[models.Field, Any]]:
        concrete = {field.attname: field for field in self.model._meta.concrete_fields}
        unknown = [name for name in self.fields if name not in concrete]
        if unknown:
            raise ValueError(f"{self.model.__name__} has no field(s) {', '.join(unknown)}")
        if len(set(self.fields)) != len(self.fields):
            raise ValueError(f"{self.model.__name__}: a field is named twice")
        tail = []
        for attname, field in concrete.items():
            if attname in self.fields:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                raise ValueError(f"{self.model.__name__}.{attname} is set by the clock: fill it explicitly")
            if field.primary_key:
                raise ValueError(f"{self.model.__name__}: assign the primary key {attname} explicitly")
            if field.has_default() and not callable(field.default):
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise ValueError(
                    f"{self.model.__name__}.{attname} is required and has no constant default: "
                    "the demo generator must fill it"
                )
            tail.append((field, field.get_db_prep_save(value, self.loader.connection)))
        return tail

    def add(self, row: tuple) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.loader.batch_size:
            self.flush()

    def extend(self, rows: Iterable[tuple]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.loader.batch_size:
            self.flush()

    def flush_when_full(self) -> None:
        """For callers that append to ``buffer`` directly (the hot path): flush a full batch."""
        if len(self.buffer) >= self.loader.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        rows = self.buffer
        if self.tail_values:
            tail = self.tail_values
            rows = [row + tail for row in rows]
        if len(rows[0]) != self.width:
            raise ValueError(f"{self.label}: rows have {len(rows[0])} values for {self.width} columns")
        self.loader.write(self, rows)
        self.done += len(rows)
        self.buffer.clear()  # the same list: callers may hold its append method
        if self.loader.progress is not None:
            self.loader.progress(self.label, self.done, max(self.total, self.done))


class BulkLoader:
    """Fill tables in one transaction: ``with BulkLoader(progress) as loader: loader.table(...)``.

    Leaving the block flushes every table, resets PostgreSQL's sequences and commits (or, inside
    an outer transaction such as a test's, releases the savepoint). An exception rolls it all back.
    """

    def __init__(self, progress: Progress | None = None, *, connection=None, batch_size: int = BATCH_SIZE):
        self.connection = connection or default_connection
        self.progress = progress
        self.batch_size = batch_size
        self.vendor = self.connection.vendor
        self.tables: list[Table] = []
        self._atomic = transaction.atomic(using=self.connection.alias)

    def table(self, model: type[models.Model], fields: Sequence[str], *, label: str, total: int) -> Table:
        table = Table(self, model, fields, label=label, total=total)
        self.tables.append(table)
        return table

    @property
    def counts(self) -> dict[str, int]:
        return {table.label: table.done for table in self.tables}

    def __enter__(self) -> BulkLoader:
        self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool | None:
        if exc_type is None:
            try:
                for table in self.tables:
                    table.flush()
                self._reset_sequences()
            except BaseException as error:
                self._atomic.__exit__(type(error), error, error.__traceback__)
                raise
        self._atomic.__exit__(exc_type, exc, tb)
        return None

    # -- writing ----------------------------------------------------------------------------------

    def write(self, table: Table, rows: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        # Table and column names come from the models' _meta, quoted; the values travel as parameters.
        name = quote(table.model._meta.db_table)
        columns = ", ".join(quote(column) for column in table.columns)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
            else:
                placeholders = ", ".join(["%s"] * table.width)
                cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608

    def _reset_sequences(self) -> None:
        statements = self.connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables])
        if statements:
            with self.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
