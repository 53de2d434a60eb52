"""A spreadsheet import never keeps other writers waiting (issue 16, item 5): the file is read and
matched with the database outside any transaction, the rows are written in short transactions of
WRITE_CHUNK rows, and a dry run opens no transaction at all. A second, real SQLite connection tries to
write at every step. (How long another writer waits on a 100,000-row import is measured in
benchmarks/spreadsheet_import.py.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from homestretch.pipeline.models import Application, Candidate, StageChange
from homestretch.spreadsheets import importer
from homestretch.spreadsheets.importer import import_sheet

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 2_400


def write_file(path: Path, rows: int = ROWS) -> Path:
    lines = ["Name,Email,Client,Job Title,Stage,Stage Date"]
    lines += [f"Person {n},p{n}@example.org,Client {n % 7},Job {n % 5},{'Interview' if n % 2 else 'New'},2026-11-02"
              for n in range(rows)]
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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_another_writer_can_write_while_the_file_is_read_checked_and_between_batches(tmp_path, monkeypatch, alice,
                                                                                      now, dry_run):
    monkeypatch.setattr(importer, "CHUNK", 500)
    connection.ensure_connection()
    seen: dict[str, list[tuple[bool, bool]]] = {}

    def progress(step: str, total: int):
        def advance(rows: int) -> None:
            seen.setdefault(step, []).append((connection.in_atomic_block, another_writer_gets_the_lock()))
        return advance

    inside_a_batch = []
    insert_new = importer.insert_new

    def write_and_probe(objs):
        insert_new(objs)
        if objs and isinstance(objs[0], StageChange):  # a batch's last insert
            inside_a_batch.append(another_writer_gets_the_lock())

    monkeypatch.setattr(importer, "insert_new", write_and_probe)
    result = import_sheet(write_file(tmp_path / "pipeline.csv"), at=now, recruiter=alice, dry_run=dry_run,
                          progress=progress)
    assert result.bad == [] and result.counts["applications"]["created"] == ROWS
    assert seen["Reading rows"] == [(False, True)] * 2  # at 1,000 and 2,000 rows: never locked
    assert seen["Checking with the database"] == [(False, True)] * 5  # 500 rows a step, no transaction
    if dry_run:
        assert "Writing rows" not in seen and not inside_a_batch and not Candidate.objects.exists()
        return
    # Between two batches of WRITE_CHUNK rows the lock is free; inside one it is held (the probe does
    # see a lock).
    batches = -(-ROWS // importer.WRITE_CHUNK)
    assert seen["Writing rows"] == [(False, True)] * batches
    assert inside_a_batch == [False] * batches
    assert Application.objects.count() == ROWS == StageChange.objects.count()


def test_lookups_happen_before_the_write_transactions_which_hold_inserts_alone(tmp_path, alice, now):
    statements: list[tuple[str, bool]] = []

    def note(execute, sql, params, many, context):
        statements.append((sql.split(" ", 1)[0], connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        result = import_sheet(write_file(tmp_path / "pipeline.csv", 900), at=now, recruiter=alice)
    assert result.written and Application.objects.count() == 900
    assert {verb for verb, in_transaction in statements if in_transaction} <= {"INSERT", "SAVEPOINT", "RELEASE"}
    assert any(verb == "SELECT" for verb, in_transaction in statements if not in_transaction)
