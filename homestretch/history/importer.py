"""Import past outcomes from a CSV file: read, check every row, then write the new ones in bulk.

`import_history` is the one entry point (the command calls it). Everything happens in one
transaction: a file is refused whole (a bad `--map`, an unreadable file, bad rows without
`--skip-bad`) or imported whole, and a crash half-way leaves nothing. A row already imported
(same `row_key`) is counted, never written again, so importing the same file twice changes nothing.
The number of queries grows with the file only by one lookup per 2,000 rows (999 on SQLite) and
one insert per batch of new rows (1,000, or as many as SQLite takes in one statement, about 45).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import connection, transaction

from homestretch.lib.placeholders import is_missing

from . import columns
from .models import ImportBatch, PastOutcome

LOOKUP_CHUNK = 2_000
INSERT_BATCH = 1_000
DELIMITERS = (",", ";", "\t")


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int  # as a spreadsheet numbers it: the header is line 1
    column: str  # the column in the file, or "" when the row as a whole is wrong
    value: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return f"line {self.line}: {self.reason}"
        return f"line {self.line}, {self.column}: '{self.value}' {self.reason}"


@dataclass(slots=True)
class Reading:
    """What a file holds, checked against the database; nothing written yet."""

    file_name: str
    file_sha256: str
    mapping: dict[str, str]  # CSV column -> field, for the known fields only
    extra_columns: list[str]
    rows_read: int = 0
    new: list[PastOutcome] = field(default_factory=list)
    already_there: int = 0  # imported before (same row key)
    repeated: int = 0  # the same row twice in this file (no id column): imported once
    bad: list[BadRow] = field(default_factory=list)
    batch: ImportBatch | None = None  # set once written

    @property
    def bad_rows(self) -> int:
        """Rows refused (a row with two bad values is one row)."""
        return len({bad.line for bad in self.bad})


# --- The file -------------------------------------------------------------------------------------


def decode(data: bytes, file_name: str) -> str:
    """UTF-8 text, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            f"{file_name} is not UTF-8 text (first odd byte on line {line}); save it as CSV UTF-8 and try again."
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """The header decides: the delimiter it holds most of. (csv.Sniffer looks at the data rows too,
    where decimal commas in a ';' file mislead it.)"""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def records(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the data records with their line number as a spreadsheet shows it (a value
    spanning several lines inside quotes is still one row)."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    header = next(reader, None)
    if not header or not any(name.strip() for name in header):
        raise ImportRefused("The file is empty: the first line should name the columns.")
    header = [name.strip() for name in header]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        for index, record in enumerate(reader, start=2):
            if record and any(value.strip() for value in record):
                yield index, record

    return header, numbered()


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


def read_rows(reading: Reading, header: list[str], numbered: Iterator[tuple[int, list[str]]],
              advance: Callable[[int], None]) -> list[tuple[str, int, PastOutcome]]:
    """Check every row; the good ones as (row key, line, unsaved PastOutcome), bad ones into `reading.bad`."""
    field_at = [(i, name, reading.mapping[name]) for i, name in enumerate(header) if name in reading.mapping]
    extra_at = [(i, name or f"column {i + 1}") for i, name in enumerate(header) if name not in reading.mapping]
    readers = {name: columns.FIELD_BY_NAME[name].read for name in reading.mapping.values()}
    has_id = "row_id" in reading.mapping.values()
    outcome_at = next(i for i, _, target in field_at if target == "outcome")
    good: list[tuple[str, int, PastOutcome]] = []
    for line, record in numbered:
        reading.rows_read += 1
        if reading.rows_read % 1000 == 0:
            advance(1000)
        if len(record) != len(header):
            reading.bad.append(BadRow(line, "", "", f"has {len(record)} values where the header has "
                                                    f"{len(header)} columns"))
            continue
        values: dict[str, object] = {}
        problems = []
        for i, column, target in field_at:
            text = record[i]
            if is_missing(text) and target != "outcome":
                continue  # a missing value ("", "NA", "?", …) stays missing: learning handles it
            try:
                values[target] = readers[target](text)
            except columns.BadValue as bad:
                problems.append(BadRow(line, column, text.strip(), str(bad)))
        if has_id and not problems and not values.get("row_id"):
            column = next(c for c, t in reading.mapping.items() if t == "row_id")
            problems.append(BadRow(line, column, "", "is empty: the id column needs a value on every row"))
        if problems:
            reading.bad.extend(problems)
            continue
        row_key = str(values.pop("row_id")) if has_id else hash_key(header, record)
        extra = {name: record[i] for i, name in extra_at if record[i] or header[i]}
        outcome = values.pop("outcome")
        assert isinstance(outcome, str), "every row has an outcome, read by columns.read_outcome"
        good.append((row_key, line, PastOutcome(
            row_key=row_key, outcome=outcome, outcome_raw=record[outcome_at].strip()[:200], extra=extra, **values,
        )))
    advance(reading.rows_read % 1000)
    return good


def sort_out(reading: Reading, good: list[tuple[str, int, PastOutcome]], has_id: bool) -> None:
    """New rows into `reading.new`; rows imported before counted; the same key twice in the file is
    a bad row when it is an id (two rows claim it), and one row imported once when it is a hash."""
    first_line: dict[str, int] = {}
    unique: list[PastOutcome] = []
    for row_key, line, outcome in good:
        if row_key in first_line:
            if has_id:
                column = next(c for c, t in reading.mapping.items() if t == "row_id")
                reading.bad.append(BadRow(line, column, row_key, f"is also the id of line {first_line[row_key]}"))
            else:
                reading.repeated += 1
            continue
        first_line[row_key] = line
        unique.append(outcome)
    keys = [outcome.row_key for outcome in unique]
    existing: set[str] = set()
    chunk = min(LOOKUP_CHUNK, connection.features.max_query_params or LOOKUP_CHUNK)
    for start in range(0, len(keys), chunk):
        existing.update(PastOutcome.objects.filter(row_key__in=keys[start:start + chunk])
                        .values_list("row_key", flat=True))
    reading.already_there = len(existing)
    reading.new = [outcome for outcome in unique if outcome.row_key not in existing]
    reading.bad.sort(key=lambda bad: bad.line)


# --- The whole import -----------------------------------------------------------------------------


def import_history(path: Path, *, map_options: Sequence[str] = (), dry_run: bool = False, skip_bad: bool = False,
                   at: datetime, progress: Callable[[int], Callable[[int], None]] | None = None) -> Reading:
    """Read `path` and import its new rows as one ImportBatch, or refuse.

    Raises ImportRefused for a file that cannot be read or mapped (before any row is read).
    Returns the Reading; when it has bad rows and `skip_bad` is false, or on a dry run, nothing was
    written (`reading.batch` is None). `progress(total_rows_estimate)` returns a function that is
    told how many rows were read since its last call.
    """
    overrides = parse_map(map_options)
    data = path.read_bytes()
    text = decode(data, path.name)
    header, numbered = records(text)
    reading = Reading(
        file_name=path.name, file_sha256=hashlib.sha256(data).hexdigest(),
        mapping=resolve_mapping(header, overrides), extra_columns=[],
    )
    reading.extra_columns = [name for name in header if name and name not in reading.mapping]
    advance = progress(text.count("\n")) if progress is not None else (lambda rows: None)
    with transaction.atomic():
        good = read_rows(reading, header, numbered, advance)
        sort_out(reading, good, has_id="row_id" in reading.mapping.values())
        if dry_run or (reading.bad and not skip_bad) or not reading.new:
            return reading
        batch = ImportBatch.objects.create(
            file_name=reading.file_name[:255], file_sha256=reading.file_sha256, imported_at=at,
            rows_read=reading.rows_read, rows_imported=len(reading.new), rows_skipped=reading.bad_rows,
            mapping=reading.mapping,
        )
        for outcome in reading.new:
            outcome.batch = batch
        PastOutcome.objects.bulk_create(reading.new, batch_size=INSERT_BATCH)
        reading.batch = batch
    return reading
