"""Import past outcomes from a CSV file: read and check every row, then write the new ones in short batches.

`import_history` is the one entry point (the command calls it). It works in two phases.

Reading streams the file record by record, never whole in memory: every value is checked by its
column's reader (`columns.py`) and by the model's rules (`Refusals`: each value through its model
field's own validation, the bounds of lib/limits.py that `PastOutcome.clean` holds, the decision
date's `check_decided_on`); the keys are looked up in the database a chunk at a time, and kept on
disk to tell a repeated one; the good new rows go to a spool file as they are found. Memory does
not grow with the file. No transaction is open while reading: on SQLite a transaction takes the
write lock at BEGIN (settings.py), and reading a long file must not keep every other writer
waiting. A dry run stops after reading: it writes and locks nothing.

Writing happens only once the whole file is read and may be imported (no bad row, or `--skip-bad`):
the spooled rows are inserted WRITE_BATCH at a time, each batch its own short transaction, so that
another writer (a touch posted from the web app) waits for one batch at most, never for the file.

A file is refused whole before anything is written: a bad `--map`, a file that is not UTF-8 text
(`ImportRefused`), or bad rows without `--skip-bad`. A failure half-way through writing (the
database gone, the disk full, the process killed) leaves the batches that committed: their
ImportBatch, whose `rows_imported` counts exactly the rows written. Running the same import again
imports the rest as a new batch, since a row already imported (same `row_key`) is counted and never
written again; importing the same file twice changes nothing.

The number of queries grows with the file by one lookup per LOOKUP_CHUNK rows (999 on SQLite), one
insert per INSERT_BATCH rows (as many as SQLite takes in one statement, about 45) and two per batch
of WRITE_BATCH rows (the batch's count, its transaction) — never one a row.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import pickle
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F

from homestretch.audit import trail as audit_trail
from homestretch.audit.choices import Kind as AuditKind
from homestretch.lib.file_dates import DateOrder, DateOrders, DateOrderUnknown
from homestretch.lib.placeholders import is_missing

from . import columns
from .models import ImportBatch, PastOutcome, check_bounds, check_decided_on

LOOKUP_CHUNK = 2_000  # keys a lookup asks for (SQLite takes 999 parameters a statement)
INSERT_BATCH = 1_000  # rows an INSERT statement holds (SQLite: fewer, its parameter limit decides)
# Rows a write transaction holds: on the development machine (2 shared cores, SQLite in WAL mode)
# 500 rows take 50 ms to insert when it is quiet and 200 ms under a load of 7; fewer rows a
# transaction cost no speed (see docs/history-import.md, "Long files").
WRITE_BATCH = 500
# On SQLite, a writer waiting for the lock retries every 100 ms at most (SQLite's busy handler) and
# gets it only if it is free at that moment: after holding it for SQLITE_HOLD seconds, transactions
# back to back, the import leaves it free for SQLITE_PAUSE, longer than one retry. No writer waits
# much longer than SQLITE_HOLD plus one transaction.
SQLITE_HOLD = 0.5
SQLITE_PAUSE = 0.12
# The most characters one record may take (a line of millions of values, a quote never closed):
# past it the record is a bad row, and it is never held whole.
MAX_RECORD_CHARS = 1_000_000
# Bad values kept to report (every bad row is counted): a file of nothing but bad rows stays small.
MAX_BAD_KEPT = 1_000
DELIMITERS = (",", ";", "\t")


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do. Nothing was written."""


class ImportInterrupted(RuntimeError):
    """Writing stopped half-way (the database failed): the rows of the batches that committed stay,
    counted on their ImportBatch; importing the same file again imports the rest."""

    def __init__(self, reading: Reading, error: Exception) -> None:
        self.reading = reading
        batch = f" as batch {reading.batch.pk}" if reading.batch is not None else ""
        super().__init__(
            f"Stopped after importing {reading.imported} of {reading.new} new rows{batch}: {error}. Run the same "
            "import again to import the rest (rows already imported are skipped)."
        )


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int  # as a spreadsheet numbers it: the header is line 1
    column: str  # the column in the file, or "" when the row as a whole is wrong
    value: str  # as in the file, cut to SHOWN_CHARS
    reason: str

    SHOWN_CHARS = 80

    def __post_init__(self) -> None:
        if len(self.value) > self.SHOWN_CHARS:
            object.__setattr__(self, "value", self.value[: self.SHOWN_CHARS - 1] + "…")

    def __str__(self) -> str:
        if not self.column:
            return f"line {self.line}: {self.reason}"
        return f"line {self.line}, {self.column}: '{self.value}' {self.reason}"


@dataclass(slots=True)
class Reading:
    """What a file holds, checked against the database, and what was written of it."""

    file_name: str
    mapping: dict[str, str]  # CSV column -> field, for the known fields only
    extra_columns: list[str]
    file_sha256: str = ""  # known once the whole file is read
    rows_read: int = 0
    new: int = 0  # rows not imported before: what the import writes, or a dry run would
    imported: int = 0  # rows written
    already_there: int = 0  # imported before (same row key)
    repeated: int = 0  # the same row twice in this file (no id column): imported once
    bad_rows: int = 0  # rows refused (a row with two bad values is one row)
    bad: list[BadRow] = field(default_factory=list)  # the first MAX_BAD_KEPT bad values, by line
    batch: ImportBatch | None = None  # set once rows are written

    def refuse(self, problems: list[BadRow]) -> None:
        self.bad_rows += 1
        self.bad.extend(problems[: max(0, MAX_BAD_KEPT - len(self.bad))])


# --- The file -------------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """The file's bytes, hashed as they are read: one pass gives the rows and the SHA-256."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self.sha256.update(memoryview(buffer)[:count])
        return count


class _RecordTooLong(Exception):
    pass


class _Lines:
    """The text's lines for csv.reader, cut off once one record passes MAX_RECORD_CHARS: the rest of
    that line is skipped and the record reported, never held whole."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.record_chars = 0  # set to 0 by the caller before each record

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        # One more than the limit: a line cut there is too long (csv.reader takes each string it is
        # given for a whole line, so a cut line can never be passed on).
        line = self.text.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self.record_chars += len(line)
        if self.record_chars > MAX_RECORD_CHARS:
            while line and not line.endswith(("\n", "\r")):
                line = self.text.readline(MAX_RECORD_CHARS + 1)
            raise _RecordTooLong
        return line


def sniff_delimiter(header_line: str) -> str:
    """The header decides: the delimiter it holds most of. (csv.Sniffer looks at the data rows too,
    where decimal commas in a ';' file mislead it.)"""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _unreadable(error: Exception) -> str:
    if isinstance(error, _RecordTooLong):
        return f"is longer than {MAX_RECORD_CHARS:,} characters"
    if "field larger than field limit" in str(error):
        return f"has a value longer than {csv.field_size_limit():,} characters"
    return f"cannot be read as CSV ({error})"


def records(lines: _Lines) -> tuple[list[str], Iterator[tuple[int, list[str] | None, str]]]:
    """The header, and the data records with their line number as a spreadsheet shows it (a value
    spanning several lines inside quotes is still one row); a record that cannot be read comes as
    None with the reason. Blank records are left out but keep their line number."""
    try:
        first_line = next(lines, "")
    except _RecordTooLong:
        raise ImportRefused(f"The first line is longer than {MAX_RECORD_CHARS:,} characters: "
                            "it should name the columns.") from None
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=sniff_delimiter(first_line))
    try:
        header = next(reader, None)
    except (csv.Error, _RecordTooLong) as error:
        raise ImportRefused(f"The first line, which names the columns, {_unreadable(error)}.") from None
    if not header or not any(name.strip() for name in header):
        raise ImportRefused("The file is empty: the first line should name the columns.")
    if any("\x00" in name for name in header):
        raise ImportRefused("The first line, which names the columns, holds a NUL character: is this a CSV file?")
    header = [name.strip() for name in header]

    def numbered() -> Iterator[tuple[int, list[str] | None, str]]:
        for line in itertools.count(2):
            lines.record_chars = 0
            try:
                record = next(reader)
            except StopIteration:
                return
            except (csv.Error, _RecordTooLong) as error:
                yield line, None, _unreadable(error)
                continue
            if record and any(value.strip() for value in record):
                yield line, record, ""

    return header, numbered()


def _first_odd_byte_line(path: Path) -> int:
    """The line of the first byte that is not UTF-8 (lines end at b"\\n", which no UTF-8 character holds)."""
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _count_lines(path: Path) -> int:
    with path.open("rb") as raw:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))


# --- Which column is which field ------------------------------------------------------------------


def parse_map(options: Sequence[str]) -> dict[str, str]:
    """`--map "CSV column=field"` options as {column: field}; the last '=' separates (a column
    name may hold one)."""
    overrides: dict[str, str] = {}
    for option in options:
        column, sep, target = option.rpartition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise ImportRefused(f'--map "{option}" should read "CSV column=field", e.g. --map "Notice=notice_days".')
        if target != columns.EXTRA and target not in columns.FIELD_BY_NAME:
            known = ", ".join(f.name for f in columns.FIELDS)
            raise ImportRefused(f'--map "{option}": {target!r} is not a field; the fields are {known}, or extra.')
        overrides[column] = target
    return overrides


def resolve_mapping(header: list[str], overrides: dict[str, str]) -> dict[str, str]:
    """{CSV column: field} for every column that feeds a known field; every other column is extra.

    A `--map` wins over recognised names: a column it names gets that field, and a column
    recognised for a field that `--map` gave to another column stays an extra.
    """
    by_normal: dict[str, str] = {}
    for name in header:
        key = columns.normalise(name)
        if key and key in by_normal:
            raise ImportRefused(f"Two columns are named alike: '{by_normal[key]}' and '{name}'; rename one.")
        by_normal[key] = name
    mapping: dict[str, str] = {}
    for column, target in overrides.items():
        actual = by_normal.get(columns.normalise(column))
        if actual is None:
            raise ImportRefused(f"--map names the column '{column}', which is not in the file; "
                                f"its columns are: {', '.join(h for h in header if h)}.")
        mapping[actual] = target
    claimed = {target for target in mapping.values() if target != columns.EXTRA}
    for target in claimed:
        named = [column for column, t in mapping.items() if t == target]
        if len(named) > 1:
            raise ImportRefused(f"--map gives the field {target} to two columns: {' and '.join(named)}.")
    recognised: dict[str, list[str]] = {}
    for name in header:
        if name in mapping or not name:
            continue
        looks_like = columns.recognise(name)
        if looks_like is not None and looks_like not in claimed:
            recognised.setdefault(looks_like, []).append(name)
    for target, names in recognised.items():
        if len(names) > 1:
            raise ImportRefused(f"The columns {' and '.join(names)} both look like {target}; "
                                f'say which with --map "{names[0]}={target}".')
        mapping[names[0]] = target
    mapping = {column: target for column, target in mapping.items() if target != columns.EXTRA}
    if "outcome" not in mapping.values():
        raise ImportRefused('No column holds the outcome (such as Status or Outcome); name it with '
                            '--map "COLUMN=outcome".')
    return mapping


# --- The rows -------------------------------------------------------------------------------------


def hash_key(header: list[str], record: list[str]) -> str:
    """The key of a row without an id: its values by normalised column name, so that a file saved
    again with its columns in another order, or with other spacing, keeps its keys."""
    pairs = sorted((columns.normalise(name) or f"#{i}", value.strip())
                   for i, (name, value) in enumerate(zip(header, record, strict=True)))
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()


class Refusals:
    """What the model's rules say against a row's values, by field, before any model is built: each
    value through its model field's own validation (`Field.clean`: validators, choices, length, NUL
    characters), then the bounds every entry point shares (`check_bounds`, as `PastOutcome.clean`)
    and the decision date as of `at`. A file repeats its values, and a field's verdict on a value
    never changes: each verdict is kept (up to FIELD_VERDICTS of them), which makes the checks cheap."""

    FIELD_VERDICTS = 50_000

    def __init__(self, *, at: datetime) -> None:
        self.at = at
        self.fields = {f.name: f for f in PastOutcome._meta.concrete_fields}
        self.verdicts: dict[tuple[str, str], list[str]] = {}

    def of_field(self, name: str, value: Any) -> list[str]:
        key = (name, repr(value))  # repr, not the value: Decimal("1.000") == Decimal("1.00"), True == 1
        verdict = self.verdicts.get(key)
        if verdict is None:
            if len(self.verdicts) >= self.FIELD_VERDICTS:
                self.verdicts.clear()
            try:
                self.fields[name].clean(value, None)
                verdict = []
            except ValidationError as error:
                verdict = error.messages
            self.verdicts[key] = verdict
        return verdict

    def of_row(self, row: dict[str, Any]) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for name, value in row.items():
            # The extra attributes are text by text, the file's own: only their validators (no need to
            # encode them as JSON to know they can be).
            messages = self.of_extra(value) if name == "extra" else self.of_field(name, value)
            if messages:
                errors[name] = messages
        for check in (
            lambda: check_bounds(expected_pay=row.get("expected_pay"), offered_pay=row.get("offered_pay"),
                                 currency=row.get("currency", ""), notice_days=row.get("notice_days")),
            lambda: check_decided_on(row.get("decided_on"), now=self.at),
        ):
            try:
                check()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
        return errors

    def of_extra(self, extra: dict[str, str]) -> list[str]:
        try:
            self.fields["extra"].run_validators(extra)
        except ValidationError as error:
            return error.messages
        return []


class _SeenKeys:
    """The keys of the rows read so far, each with the line it was first seen on: in a private
    temporary SQLite database (on disk, a 2 MB cache), so that memory does not grow with the file."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)  # "": deleted when closed
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                              "CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID; BEGIN;")

    def first_line(self, key: str, line: int) -> int:
        """`line` when `key` is new, else the line it was first seen on."""
        if self.db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, line)).rowcount:
            return line
        return self.db.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()[0]

    def close(self) -> None:
        self.db.close()


class _Rows:
    """Reads the data records into `reading`: bad ones reported, the good ones' keys looked up a
    chunk at a time, the new ones spooled for writing (when `spool` is given)."""

    def __init__(self, reading: Reading, header: list[str], *, at: datetime, spool: Spool | None,
                 skip_bad: bool) -> None:
        self.reading, self.header, self.spool, self.skip_bad = reading, header, spool, skip_bad
        mapping = reading.mapping
        self.field_at = [(i, name, mapping[name]) for i, name in enumerate(header) if name in mapping]
        self.extra_at = [(i, name or f"column {i + 1}") for i, name in enumerate(header) if name not in mapping]
        self.readers = {name: columns.FIELD_BY_NAME[name].read for name in mapping.values()}
        self.id_column = next((column for column, target in mapping.items() if target == "row_id"), None)
        outcome_column = next(column for column, target in mapping.items() if target == "outcome")
        self.outcome_at = header.index(outcome_column)
        # Where the model's fields come from in the file, to report a refusal by its column.
        self.column_of = {target: column for column, target in mapping.items()}
        self.column_of.update(row_key=self.id_column or "", outcome_raw=outcome_column, extra="")
        self.index_of = {name: i for i, name in enumerate(header)}
        self.seen = _SeenKeys()
        self.pending: list[tuple[str, dict[str, Any]]] = []
        self.chunk = min(LOOKUP_CHUNK, connection.features.max_query_params or LOOKUP_CHUNK)
        self.refusals = Refusals(at=at)

    def read(self, numbered: Iterable[tuple[int, list[str] | None, str]], advance: Callable[[int], None]) -> None:
        reading = self.reading
        try:
            for line, record, unreadable in numbered:
                reading.rows_read += 1
                if reading.rows_read % 1000 == 0:
                    advance(1000)
                if record is None:
                    reading.refuse([BadRow(line, "", "", unreadable)])
                elif len(record) != len(self.header):
                    reading.refuse([BadRow(line, "", "", f"has {len(record)} values where the header has "
                                                         f"{len(self.header)} columns")])
                else:
                    self.check(line, record)
        finally:
            self.seen.close()
        self.sort_out()
        advance(reading.rows_read % 1000)

    def check(self, line: int, record: list[str]) -> None:
        values: dict[str, Any] = {}
        problems: list[BadRow] = []
        for i, column, target in self.field_at:
            text = record[i]
            if is_missing(text) and target != "outcome":
                continue  # a missing value ("", "NA", "?", …) stays missing: learning handles it
            try:
                values[target] = self.readers[target](text)
            except columns.BadValue as bad:
                problems.append(BadRow(line, column, text.strip(), str(bad)))
        extra: dict[str, str] = {}
        for i, name in self.extra_at:
            try:
                value = columns.storable(record[i])
            except columns.BadValue as bad:
                problems.append(BadRow(line, name, record[i], str(bad)))
                continue
            if value or self.header[i]:
                extra[name] = value
        if self.id_column is not None and not problems and not values.get("row_id"):
            problems.append(BadRow(line, self.id_column, "", "is empty: the id column needs a value on every row"))
        if problems:
            self.reading.refuse(problems)
            return
        row_key = str(values.pop("row_id")) if self.id_column is not None else hash_key(self.header, record)
        row = {"row_key": row_key, "outcome_raw": record[self.outcome_at].strip()[:200], "extra": extra, **values}
        for name, messages in self.refusals.of_row(row).items():
            column = self.column_of.get(name, "")
            value = record[self.index_of[column]].strip() if column else ""
            problems.extend(BadRow(line, column, value, f"is refused: {message}") for message in messages)
        if problems:
            self.reading.refuse(problems)
            return
        first = self.seen.first_line(row_key, line)
        if first != line and self.id_column is not None:
            self.reading.refuse([BadRow(line, self.id_column, row_key, f"is also the id of line {first}")])
            return
        if first != line:
            self.reading.repeated += 1
            return
        self.pending.append((row_key, row))
        if len(self.pending) >= self.chunk:
            self.sort_out()

    def sort_out(self) -> None:
        """The pending rows imported before counted, the others counted new and spooled."""
        keys = [row_key for row_key, _ in self.pending]
        existing = set(PastOutcome.objects.filter(row_key__in=keys).values_list("row_key", flat=True))
        # Once a row is bad without --skip-bad nothing will be written: no need to spool more.
        spool = self.spool if self.skip_bad or not self.reading.bad_rows else None
        for row_key, row in self.pending:
            if row_key in existing:
                self.reading.already_there += 1
                continue
            self.reading.new += 1
            if spool is not None:
                spool.add(row)
        self.pending.clear()


class Spool:
    """The new rows, read and checked, waiting to be written: on disk, one pickled tuple of the
    model's values a row (their names once, here)."""

    def __init__(self, file: IO[bytes], mapping: dict[str, str]) -> None:
        self.file = file
        self.fields = ("row_key", "outcome", "outcome_raw", "extra",
                       *(target for target in mapping.values() if target not in {"row_id", "outcome"}))

    def add(self, row: dict[str, Any]) -> None:
        pickle.dump(tuple(row.get(name) for name in self.fields), self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def rows(self) -> Iterator[dict[str, Any]]:
        self.file.seek(0)
        while True:
            try:
                values = pickle.load(self.file)  # noqa: S301 - our own spool file, written by this import
            except EOFError:
                return
            yield {name: value for name, value in zip(self.fields, values, strict=True) if value is not None}


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _others_may_wait() -> bool:
    """SQLite on a file: other processes' writers wait for the lock this import holds."""
    return connection.vendor == "sqlite" and not connection.is_in_memory_db()  # type: ignore[attr-defined]


def write(reading: Reading, spool: Spool, *, at: datetime, advance: Callable[[int], None]) -> None:
    """Insert the spooled rows, WRITE_BATCH a transaction; the ImportBatch comes with the first."""
    paused = time.monotonic()
    try:
        for rows in _batches(spool.rows(), WRITE_BATCH):
            outcomes = [PastOutcome(**row) for row in rows]  # built before the transaction: it stays short
            with transaction.atomic():
                batch = reading.batch or ImportBatch.objects.create(
                    file_name=reading.file_name[:255], file_sha256=reading.file_sha256, imported_at=at,
                    rows_read=reading.rows_read, rows_imported=0, rows_skipped=reading.bad_rows,
                    mapping=reading.mapping,
                )
                for outcome in outcomes:
                    outcome.batch = batch
                PastOutcome.objects.bulk_create(outcomes, batch_size=INSERT_BATCH)
                ImportBatch.objects.filter(pk=batch.pk).update(rows_imported=F("rows_imported") + len(outcomes))
            batch.rows_imported += len(outcomes)
            reading.batch = batch
            reading.imported += len(outcomes)
            advance(len(outcomes))
            if _others_may_wait() and time.monotonic() - paused >= SQLITE_HOLD and reading.imported < reading.new:
                time.sleep(SQLITE_PAUSE)
                paused = time.monotonic()
    except DatabaseError as error:
        raise ImportInterrupted(reading, error) from error


# --- The whole import -----------------------------------------------------------------------------


def date_order_of(path: Path, header: list[str], mapping: dict[str, str], given: DateOrder | None) -> DateOrder:
    """The order the file writes its decision dates in: `given`, or what its values show (one pass over the
    date column; lib/file_dates.py, as the spreadsheet import decides it). Refused when they cannot tell."""
    column = next((c for c, target in mapping.items() if target == "decided_on"), None)
    if column is None:
        return given or DateOrder.DAY_FIRST
    at = header.index(column)
    orders = DateOrders()
    with path.open("r", encoding="utf-8-sig", newline="") as text:
        _, numbered = records(_Lines(text))
        for _, record, _ in numbered:
            if record is not None and len(record) == len(header):
                orders.see(record[at])
    try:
        return orders.decide(given)
    except DateOrderUnknown as unknown:
        raise ImportRefused(str(unknown)) from None


def import_history(path: Path, *, map_options: Sequence[str] = (), dry_run: bool = False, skip_bad: bool = False,
                   at: datetime, progress: Callable[[str, int], Callable[[int], None]] | None = None,
                   date_format: DateOrder | None = None) -> Reading:
    """Read `path` and import its new rows as one ImportBatch, or refuse.

    Raises ImportRefused for a file that cannot be read or mapped (nothing written), and
    ImportInterrupted when the database fails while writing (the batches written stay). Returns the
    Reading; when it has bad rows and `skip_bad` is false, or on a dry run, nothing was written
    (`reading.batch` is None). `progress(phase, total)` is called when reading starts (with the
    file's number of lines) and when writing starts (with the number of new rows), and returns a
    function told how many rows were done since its last call. Decision dates are read in the order
    the file shows (ISO, day first or month first), or in `date_format`; a file whose dates cannot
    tell is refused (ImportRefused) before anything is read.
    """
    def track(phase: str, total: Callable[[], int]) -> Callable[[int], None]:
        return progress(phase, total()) if progress is not None else (lambda rows: None)

    overrides = parse_map(map_options)
    with path.open("rb") as raw, tempfile.TemporaryFile(prefix="homestretch-import-") as spool_file:
        hashing = _HashingReader(raw)
        with io.TextIOWrapper(io.BufferedReader(hashing, 1 << 16), encoding="utf-8-sig", newline="") as text:
            try:
                header, numbered = records(_Lines(text))
                mapping = resolve_mapping(header, overrides)
                order = date_order_of(path, header, mapping, date_format)
                reading = Reading(file_name=path.name, mapping=mapping,
                                  extra_columns=[name for name in header if name and name not in mapping])
                spool = Spool(spool_file, mapping)
                rows = _Rows(reading, header, at=at, spool=None if dry_run else spool, skip_bad=skip_bad)
                if "decided_on" in rows.readers:
                    rows.readers["decided_on"] = functools.partial(columns.read_date, order=order)
                rows.read(numbered, track("Reading rows", lambda: _count_lines(path)))
            except UnicodeDecodeError:
                raise ImportRefused(f"{path.name} is not UTF-8 text (first odd byte on line "
                                    f"{_first_odd_byte_line(path)}); save it as CSV UTF-8 and try again.") from None
        reading.file_sha256 = hashing.sha256.hexdigest()
        if dry_run or (reading.bad_rows and not skip_bad) or not reading.new:
            return reading
        write(reading, spool, at=at, advance=track("Writing rows", lambda: reading.new))
        # Written in bulk, which the audit does not see row by row: one entry says what came in, and who brought
        # it; in a short transaction of its own, as every write of the import.
        with transaction.atomic():
            audit_trail.record(AuditKind.IMPORTED, actor=None, address=None, detail={
                "import": "history", "file": reading.file_name, "rows": reading.imported})
    return reading
