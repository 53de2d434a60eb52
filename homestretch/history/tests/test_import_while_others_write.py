"""A history import never keeps other writers waiting (issue 15, item 10): it reads the whole file
outside any transaction, writes in short transactions of WRITE_BATCH rows, and a dry run opens no
transaction at all. (How long another writer waits on a real 50 MB import is measured in
benchmarks/history_import.py.)"""

from __future__ import annotations

import math
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homestretch.history import importer
from homestretch.history.importer import import_history
from homestretch.history.models import ImportBatch, PastOutcome

# Transactions are what is tested: no test-wide transaction around them.
pytestmark = pytest.mark.django_db(transaction=True)
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ROWS = 3_200  # the progress hook is called every 1,000 rows read


def write_file(path: Path, rows: int = ROWS) -> Path:
    lines = ["Candidate Ref,Status,Notice period,City"]
    lines += [f"R-{n},{'Joined' if n % 3 else 'Not Joined'},{n % 90},Pune" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def another_writer_gets_the_lock() -> bool:
    """Whether a second connection to the same SQLite database could start writing right now,
    without waiting (a busy timeout of 0): what a touch posted from the web app would meet."""
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # "database is locked", "database table is locked"
        return False
    finally:
        other.close()


def watch(phases: dict[str, list[tuple[bool, bool]]], probe: bool):
    """A progress hook that notes, at every call, whether a transaction is open and (SQLite) whether
    another writer could write."""
    def progress(phase: str, total: int):
        seen = phases.setdefault(phase, [])

        def advance(rows: int) -> None:
            seen.append((connection.in_atomic_block, another_writer_gets_the_lock() if probe else True))
        return advance
    return progress


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock; the structure is tested on both")
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_another_writer_can_write_while_the_file_is_read_and_between_write_batches(tmp_path, monkeypatch, dry_run):
    monkeypatch.setattr(importer, "WRITE_BATCH", 1_000)
    connection.ensure_connection()
    inside_a_batch = []
    bulk_create = PastOutcome.objects.bulk_create

    def write_and_probe(outcomes, **kwargs):
        created = bulk_create(outcomes, **kwargs)
        inside_a_batch.append(another_writer_gets_the_lock())
        return created

    monkeypatch.setattr(PastOutcome.objects, "bulk_create", write_and_probe)
    phases: dict[str, list[tuple[bool, bool]]] = {}
    reading = import_history(write_file(tmp_path / "past.csv"), dry_run=dry_run, at=AT,
                             progress=watch(phases, probe=True))
    assert reading.rows_read == ROWS and not reading.bad
    assert phases["Reading rows"] == [(False, True)] * 4  # at 1,000, 2,000, 3,000 and the end: never locked
    if dry_run:
        assert "Writing rows" not in phases and not inside_a_batch and not PastOutcome.objects.exists()
        return
    # Between two batches the lock is free; inside one it is held (the probe does see a lock).
    assert phases["Writing rows"] == [(False, True)] * 4
    assert inside_a_batch == [False] * 4
    assert PastOutcome.objects.count() == ROWS == ImportBatch.objects.get().rows_imported


def test_rows_are_read_outside_any_transaction_and_written_in_short_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "WRITE_BATCH", 1_000)
    statements: list[tuple[str, bool]] = []
    rows_by_transaction: dict[int, int] = {}
    bulk_create = PastOutcome.objects.bulk_create

    def note(execute, sql, params, many, context):
        statements.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    def count_rows(outcomes, **kwargs):
        transaction_id = id(connection.atomic_blocks[0])  # the outermost block: the transaction
        rows_by_transaction[transaction_id] = rows_by_transaction.get(transaction_id, 0) + len(outcomes)
        return bulk_create(outcomes, **kwargs)

    monkeypatch.setattr(PastOutcome.objects, "bulk_create", count_rows)
    phases: dict[str, list[tuple[bool, bool]]] = {}
    with connection.execute_wrapper(note):
        import_history(write_file(tmp_path / "past.csv"), at=AT, progress=watch(phases, probe=False))
    assert [in_transaction for in_transaction, _ in phases["Reading rows"]] == [False] * 4
    lookups = [in_transaction for sql, in_transaction in statements if sql.startswith("SELECT")]
    assert len(lookups) >= math.ceil(ROWS / importer.LOOKUP_CHUNK) and not any(lookups)
    assert all(in_transaction for sql, in_transaction in statements if sql.startswith("INSERT"))
    # One transaction for each batch of 1,000 rows, not one for the file.
    assert sorted(rows_by_transaction.values()) == [200, 1_000, 1_000, 1_000]


def test_a_dry_run_opens_no_transaction_and_writes_nothing(tmp_path):
    path = write_file(tmp_path / "past.csv")
    import_history(path, at=AT)
    more = write_file(tmp_path / "more.csv", ROWS + 700)
    in_transaction = []

    def note(execute, sql, params, many, context):
        in_transaction.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(note):
        reading = import_history(more, dry_run=True, at=AT)
    assert (reading.new, reading.already_there, reading.batch) == (700, ROWS, None)
    assert queries.captured_queries and all(query["sql"].startswith("SELECT") for query in queries.captured_queries)
    assert not any(in_transaction)  # on SQLite a transaction takes the write lock at BEGIN
    assert PastOutcome.objects.count() == ROWS and ImportBatch.objects.count() == 1
