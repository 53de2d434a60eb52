"""Spreadsheets in and out (issue 16): `homestretch import` of 100,000 application rows, and the export
of every application of the data set.

**Import** (`spreadsheet_import`). A CSV shaped like another ATS's pipeline export is generated once
per size and seed: one row an application, each with a candidate of its own (name, e-mail, phone,
current company, current pay with its € sign), its client (200) and job (2,000 in all), a stage under
another system's name ("Offer Extended", "Phone Screen"…) and a day-first date. Each run imports it
into a fresh SQLite file (WAL, as `homestretch run` uses it) in a subprocess, with the machinery of
`benchmarks/history_import.py`: peak resident memory from `os.wait4`, and meanwhile another writer
posting one row every 50 ms on the same file, whose longest wait is issue 16's rule ("no write waits
more than a second"). Then the same file again, which must change nothing. The reference is a bare
insert of the same rows (clients, jobs, candidates, applications and their first stage changes) with
`sqlite3.executemany` in one transaction: what writing them costs with no reading, checking,
matching or batching. The import runs on a fresh database, not the large data set: building the
large set takes longer than this machine's budget, and what the import costs a row does not depend
on what else the tables hold beyond the lookups by indexed e-mail and (candidate, job).

**Export** (`spreadsheet_export`), in process on the data set (the large one holds 50,000
applications): `export_table(applications)` written as CSV and as XLSX, beside the bare SQL that
reads the same columns.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sqlite3
import subprocess
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from benchmarks import BenchContext, Figure, median_seconds, register
from benchmarks.history_import import WRITER_TIMEOUT, OtherWriter, _environment, _homestretch, migrated_database

ROWS = 100_000
CLIENTS = 200
JOBS_PER_CLIENT = 10
RECRUITER = "bench.recruiter@example.com"
HEADER = ["Candidate Name", "Email", "Phone", "Current Company", "Current Salary", "Client", "Job Title",
          "Status", "Stage Date"]
STAGE_NAMES = ["New", "Phone Screen", "Interview", "Final Round", "Reference Check", "Offer Extended",
               "Offer Accepted", "On Hold"]


def write_pipeline_file(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for n in range(rows):
            client = n % CLIENTS
            day, month = rng.randint(1, 28), rng.randint(1, 10)
            writer.writerow([
                f"Candidate {n}", f"candidate.{n}@example.org", f"+49 151 {n:08d}", rng.choice(["Acme", "Initech"]),
                f"€ {rng.randint(40, 120)}.{rng.choice(['000', '500'])}", f"Client {client}",
                f"Job {rng.randrange(JOBS_PER_CLIENT)}", rng.choice(STAGE_NAMES), f"{day:02d}/{month:02d}/2026",
            ])


def template_with_recruiter(directory: Path) -> Path:
    template = migrated_database(directory)
    subprocess.run(  # noqa: S603 - our own command
        [_homestretch(), "createuser", "--email", RECRUITER, "--team", "Bench"],
        env={**_environment(template, directory), "HOMESTRETCH_PASSWORD": "bench password 12345"}, check=True,
        timeout=300, capture_output=True)
    return template


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    longest_wait: float
    failed_writes: int
    summary: dict


def _fresh_copy(template: Path, directory: Path) -> Path:
    database = directory / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, database)
    with closing(sqlite3.connect(database, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    return database


def import_once(database: Path, directory: Path, file: Path, *options: str) -> Run:
    """`homestretch import` of the file on `database`, in a subprocess, another writer writing meanwhile."""
    import os

    writer = OtherWriter(database)
    writer.start()
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [_homestretch(), "import", str(file), "--recruiter", RECRUITER, "--format", "json", *options],
        env=_environment(database, directory), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    writer.stopped.set()
    writer.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the import failed: {output[-2000:]}")
    return Run(seconds=seconds, cpu_seconds=usage.ru_utime + usage.ru_stime, peak_mb=usage.ru_maxrss / 1024,
               longest_wait=max(writer.waits, default=0.0), failed_writes=len(writer.failures),
               summary=json.loads(output))


def bare_insert_seconds(template: Path, directory: Path, file: Path) -> float:
    """The same rows inserted with executemany in one transaction: no reading rules, no matching."""
    database = _fresh_copy(template, directory)
    started = time.perf_counter()
    with closing(sqlite3.connect(database, isolation_level=None)) as db, file.open(newline="",
                                                                                 encoding="utf-8") as text:
        rows = list(csv.reader(text, delimiter=";"))[1:]
        recruiter = db.execute("SELECT id FROM accounts_user WHERE email = ?", (RECRUITER,)).fetchone()[0]
        db.execute("BEGIN")
        now = "2026-11-20 09:00:00"
        clients = {name: i + 1 for i, name in enumerate(sorted({row[5] for row in rows}))}
        db.executemany("INSERT INTO pipeline_client (id, name, industry, size, website, notes, created_at) "
                       "VALUES (?, ?, '', '', '', '', ?)", [(pk, name, now) for name, pk in clients.items()])
        jobs = {key: i + 1 for i, key in enumerate(sorted({(row[5], row[6]) for row in rows}))}
        db.executemany(
            "INSERT INTO pipeline_job (id, client_id, title, seniority, skills, location, currency, period, "
            "remote_policy, perks, status, lessons, created_at, updated_at) VALUES "
            "(?, ?, ?, 'mid', '', '', 'EUR', 'year', 'hybrid', '', 'open', '', ?, ?)",
            [(pk, clients[client], title, now, now) for (client, title), pk in jobs.items()])
        # Any other text column the table requires (one added since) gets its empty default.
        named = {"id", "name", "email", "phone", "location", "current_employer", "current_title", "current_base",
                 "current_currency", "current_period", "skills", "source", "notes", "consent_to_contact",
                 "created_at", "updated_at"}
        others = [column for _, column, _, not_null, default, _ in db.execute("PRAGMA table_info(pipeline_candidate)")
                  if not_null and default is None and column not in named]
        db.executemany(
            "INSERT INTO pipeline_candidate (id, name, email, phone, location, current_employer, current_title, "
            "current_base, current_currency, current_period, skills, source, notes, consent_to_contact, "
            f"created_at, updated_at{''.join(', ' + c for c in others)}) VALUES "
            f"(?, ?, ?, ?, '', ?, '', ?, 'EUR', 'year', '', '', '', 0, ?, ?{', ' * bool(others)}"
            f"{', '.join(chr(39) * 2 for _ in others)})",
            [(n + 1, row[0], row[1], row[2], row[3], row[4].replace("€ ", "").replace(".", ""), now, now)
             for n, row in enumerate(rows)])
        db.executemany(
            "INSERT INTO pipeline_application (id, candidate_id, job_id, recruiter_id, stage, stage_entered_at, "
            "stage_before_hold, created_at, updated_at, lessons, generation) "
            "VALUES (?, ?, ?, ?, 'screening', ?, '', ?, ?, '', 0)",
            [(n + 1, n + 1, jobs[(row[5], row[6])], recruiter, now, now, now) for n, row in enumerate(rows)])
        db.executemany("INSERT INTO pipeline_stagechange (application_id, from_stage, to_stage, at, reason, "
                       "loss_reason) VALUES (?, '', 'screening', ?, '', '')",
                       [(n + 1, now) for n in range(len(rows))])
        db.execute("COMMIT")
    return time.perf_counter() - started


def measure_import(rows: int = ROWS, seed: int = 1) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-sheet-") as scratch:
        directory = Path(scratch)
        file = directory / f"pipeline-{rows}.csv"
        write_pipeline_file(file, rows, seed)
        template = template_with_recruiter(directory)
        bare = bare_insert_seconds(template, directory, file)
        database = _fresh_copy(template, directory)
        first = import_once(database, directory, file)
        again = import_once(database, directory, file)
        megabytes = file.stat().st_size / 1_000_000
    created = first.summary["applications"]["created"]
    changed = sum(again.summary[name][state] for name in ("candidates", "clients", "jobs", "applications")
                  for state in ("created", "updated"))
    size = f"{rows:,}-row ({megabytes:.1f} MB) applications file"
    bare_name = "a bare executemany insert of the same rows, one transaction"

    def figure(name: str, value: float, unit: str, reference_name: str = "", reference: float | None = None,
               notes: str = "") -> Figure:
        return Figure(benchmark="spreadsheet_import", name=name, value=value, unit=unit,
                      reference_name=reference_name, reference_value=reference, runs=1, notes=notes)

    return [
        figure(f"import a {size}: rows per second", rows / first.seconds, "rows/s", bare_name, rows / bare,
               f"{first.seconds:.1f} s, {created:,} applications created with their candidates, jobs and clients; "
               "fresh SQLite database; issue 16: under a minute"),
        figure(f"import a {size}: time", first.seconds, "s", bare_name, bare),
        figure(f"import a {size}: CPU time of the import process", first.cpu_seconds, "s", bare_name, bare),
        figure(f"import a {size}: peak memory", first.peak_mb, "MB", notes="issue 16: under 300 MB"),
        figure("another writer's longest wait during the import", first.longest_wait, "s",
               "its longest wait during the re-import", again.longest_wait,
               f"{first.failed_writes + again.failed_writes} writes refused after {WRITER_TIMEOUT} s; "
               "issue 16: at most a second"),
        figure(f"re-import the same {size}: time", again.seconds, "s", "the first import", first.seconds,
               f"records created or updated: {changed} (a re-import changes nothing)"),
    ]


@register("spreadsheet_import")
def spreadsheet_import(ctx: BenchContext) -> list[Figure]:
    return measure_import(ROWS, seed=ctx.seed)


@register("spreadsheet_export")
def spreadsheet_export(ctx: BenchContext) -> list[Figure]:
    from django.db import connection
    from django.utils import timezone

    from homestretch.pipeline.models import Application
    from homestretch.spreadsheets.exporter import ExportKind, export_table, write_csv, write_xlsx

    now = timezone.now()
    count = Application.objects.count()
    export_table(ExportKind.APPLICATIONS, user=None, at=now)  # the risk snapshots made fresh once, not timed

    def as_csv() -> None:
        write_csv(export_table(ExportKind.APPLICATIONS, user=None, at=now), io.StringIO())

    def as_xlsx() -> None:
        write_xlsx(export_table(ExportKind.APPLICATIONS, user=None, at=now), io.BytesIO())

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.id, c.name, c.email, k.name, j.title, a.stage, a.stage_entered_at, u.email, t.name, "
                "a.created_at, a.closed_at, r.probability, r.band FROM pipeline_application a "
                "JOIN pipeline_candidate c ON c.id = a.candidate_id JOIN pipeline_job j ON j.id = a.job_id "
                "JOIN pipeline_client k ON k.id = j.client_id JOIN accounts_user u ON u.id = a.recruiter_id "
                "LEFT JOIN accounts_team t ON t.id = u.team_id "
                "LEFT JOIN risk_risksnapshot r ON r.application_id = a.id")
            while cursor.fetchmany(2000):
                pass

    repeat = max(1, min(ctx.repeat, 3))
    reference = median_seconds(bare, repeat)
    name = f"export {count:,} applications with stage and risk"
    return [
        Figure(benchmark="spreadsheet_export", name=f"{name} as CSV", value=median_seconds(as_csv, repeat),
               unit="s", reference_name="the bare SQL reading the same columns", reference_value=reference,
               runs=repeat),
        Figure(benchmark="spreadsheet_export", name=f"{name} as XLSX", value=median_seconds(as_xlsx, repeat),
               unit="s", reference_name="the bare SQL reading the same columns", reference_value=reference,
               runs=repeat),
    ]

