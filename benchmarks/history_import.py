"""`homestretch history import` on a generated 50 MB file: peak memory, time, and how long another
writer waits meanwhile.

Needs no demo data. A file shaped like the HR analytics "candidates joining" data set (18 columns,
an id, every known field of that set, protected attributes among the extras) is generated once per
size and seed; each run imports it into a fresh SQLite file (WAL, as `homestretch run` uses it) in
a subprocess, whose peak resident memory comes from `os.wait4`. Meanwhile this process writes one
row every 50 ms on the same file, the way a touch posted from the web app would (BEGIN IMMEDIATE,
busy timeout 20 s), and records how long each write waited: the longest wait is the figure of
issue 15's rule "no other writer waits more than a second".

References: the memory of the same command on a one-row file (the interpreter, Django and the
libraries: what any command costs), and the time of a bare `csv.reader` pass over the file (the
floor of any import that reads every value). Always on its own SQLite files, whatever --database says.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from benchmarks import BenchContext, Figure, register

MEGABYTES = 50
MAX_REPEAT = 3
WRITER_TABLE = "bench_other_writer"
WRITER_INTERVAL = 0.05  # seconds between two writes of the other writer
WRITER_TIMEOUT = 20  # as the app's SQLite connections (settings.py)

HEADER = ["SLNO", "Candidate Ref", "DOJ Extended", "Duration to accept offer", "Notice period", "Offered band",
          "Pecent hike expected in CTC", "Percent hike offered in CTC", "Percent difference CTC", "Joining Bonus",
          "Candidate relocate actual", "Gender", "Candidate Source", "Rex in Yrs", "LOB", "Location", "Age",
          "Status"]


def write_history_file(path: Path, megabytes: float, seed: int = 1) -> int:
    """Write an HR-analytics-shaped CSV of about `megabytes` MB, row by row; the number of data rows."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        while out.tell() < target:
            expected = round(rng.uniform(-20, 80), 2)
            offered = round(expected + rng.uniform(-15, 30), 2)
            writer.writerow([
                rows + 1, 2_110_000 + rows, rng.choice(["Yes", "No"]), rng.randint(0, 60),
                rng.choice([0, 30, 45, 60, 75]), rng.choice(["E0", "E1", "E2", "E3"]), expected, offered,
                round(offered - expected, 2), rng.choice(["Yes", "No"]), rng.choice(["Yes", "No"]),
                rng.choice(["Male", "Female"]), rng.choice(["Agency", "Employee Referral", "Direct"]),
                rng.randint(0, 20), rng.choice(["ERS", "INFRA", "BFSI", "CSMP", "ETS"]),
                rng.choice(["Noida", "Chennai", "Bangalore"]), rng.randint(21, 55),
                rng.choice(["Joined", "Joined", "Not Joined"]),
            ])
            rows += 1
    return rows


def _environment(database: Path, var_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "HOMESTRETCH_VAR_DIR": str(var_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _homestretch() -> str:
    return str(Path(sys.executable).with_name("homestretch"))


def migrated_database(directory: Path) -> Path:
    """A fresh database with every table, and the other writer's table: the template of every run."""
    template = directory / "template.sqlite3"
    subprocess.run([_homestretch(), "manage", "migrate", "-v", "0"],  # noqa: S603 - our own command
                   env=_environment(template, directory), check=True, timeout=300)
    # Closed, not just committed: the last connection to close folds the WAL into the file we copy.
    with closing(sqlite3.connect(template, isolation_level=None)) as connection:
        connection.execute(f"CREATE TABLE {WRITER_TABLE} (id INTEGER PRIMARY KEY, waited REAL)")
    return template


class OtherWriter(threading.Thread):
    """Writes one row every WRITER_INTERVAL on the database until stopped; keeps how long each write took."""

    def __init__(self, database: Path) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.waits: list[float] = []
        self.failures: list[str] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=WRITER_TIMEOUT, isolation_level=None,
                                     check_same_thread=False)
        try:
            while not self.stopped.is_set():
                started = time.perf_counter()
                try:
                    connection.execute("BEGIN IMMEDIATE")
                    connection.execute(f"INSERT INTO {WRITER_TABLE} (waited) VALUES (0)")  # noqa: S608
                    connection.execute("COMMIT")
                except sqlite3.OperationalError as error:  # "database is locked" after the busy timeout
                    self.failures.append(str(error))
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                self.waits.append(time.perf_counter() - started)
                self.stopped.wait(WRITER_INTERVAL)
        finally:
            connection.close()


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # the import process's own, user and system: steadier than wall time on a shared machine
    peak_mb: float
    longest_wait: float  # seconds the other writer waited at most
    writes: int  # writes the other writer made during the import
    failed_writes: int  # "database is locked" after the 20 s timeout
    output: str


def import_once(template: Path, directory: Path, file: Path, *options: str, with_writer: bool = True) -> Run:
    """One `homestretch history import` on a copy of the template, in a subprocess."""
    database = directory / "run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, database)
    with closing(sqlite3.connect(database, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    writer = OtherWriter(database) if with_writer else None
    if writer is not None:
        writer.start()
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [_homestretch(), "history", "import", str(file), "--format", "json", *options],
        env=_environment(database, directory), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if writer is not None:
        writer.stopped.set()
        writer.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"the import failed ({process.returncode}): {output[-2000:]}")
    waits = writer.waits if writer is not None else [0.0]
    return Run(seconds=seconds, cpu_seconds=usage.ru_utime + usage.ru_stime, peak_mb=usage.ru_maxrss / 1024,
               longest_wait=max(waits, default=0.0), writes=len(waits),
               failed_writes=len(writer.failures) if writer is not None else 0, output=output)


def bare_read_seconds(file: Path) -> float:
    """A csv.reader pass over every value of the file, nothing else."""
    started = time.perf_counter()
    with file.open(newline="", encoding="utf-8") as text:
        for _ in csv.reader(text):
            pass
    return time.perf_counter() - started


def _runs(runs: list[Run], value: str, digits: int = 2) -> str:
    return ", ".join(f"{getattr(run, value):.{digits}f}" for run in runs)


def measure(megabytes: float = MEGABYTES, repeat: int = MAX_REPEAT, seed: int = 1) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-history-") as scratch:
        directory = Path(scratch)
        file = directory / f"history-{megabytes:g}mb.csv"
        rows = write_history_file(file, megabytes, seed)
        one_row = directory / "one-row.csv"
        write_history_file(one_row, 0.000_001, seed)
        template = migrated_database(directory)
        floor = import_once(template, directory, one_row, with_writer=False)
        runs = [import_once(template, directory, file) for _ in range(repeat)]
        dry_runs = [import_once(template, directory, file, "--dry-run") for _ in range(repeat)]
        bare = statistics.median(bare_read_seconds(file) for _ in range(max(repeat, 3)))
    size = f"{megabytes:g} MB, {rows:,}-row"
    median = statistics.median
    bare_name = "a bare csv.reader pass over the file"

    def figure(name: str, of: list[Run], value: str, unit: str, reference_name: str, reference: float | None,
               notes: str = "") -> Figure:
        runs_of = f"runs: {_runs(of, value)}"
        return Figure(benchmark="history_import", name=name, value=median(getattr(run, value) for run in of),
                      unit=unit, reference_name=reference_name, reference_value=reference, runs=len(of),
                      notes=f"{runs_of}; {notes}" if notes else runs_of)

    refused = sum(run.failed_writes for run in runs + dry_runs)
    return [
        figure(f"import a {size} file: peak memory", runs, "peak_mb", "MB", "the same command on a one-row file",
               floor.peak_mb, "issue 15: under 300 MB"),
        figure(f"import a {size} file: time", runs, "seconds", "s", bare_name, bare),
        figure(f"import a {size} file: CPU time of the import process", runs, "cpu_seconds", "s", bare_name, bare),
        figure(f"--dry-run on a {size} file: peak memory", dry_runs, "peak_mb", "MB",
               "the same command on a one-row file", floor.peak_mb),
        figure(f"--dry-run on a {size} file: time", dry_runs, "seconds", "s", bare_name, bare),
        figure(f"--dry-run on a {size} file: CPU time of the import process", dry_runs, "cpu_seconds", "s",
               bare_name, bare),
        figure("another writer's longest wait during the import", runs, "longest_wait", "s",
               "its longest wait during a dry run", median(run.longest_wait for run in dry_runs),
               f"dry runs: {_runs(dry_runs, 'longest_wait')}; {refused} writes refused after "
               f"{WRITER_TIMEOUT} s; issue 15: at most a second"),
    ]


@register("history_import")
def history_import(ctx: BenchContext) -> list[Figure]:
    return measure(MEGABYTES, repeat=min(ctx.repeat, MAX_REPEAT), seed=ctx.seed)
