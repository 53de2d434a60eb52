"""Import candidates, jobs (with their clients) or applications from a CSV or XLSX file.

`import_sheet` is the one entry point (the command and the upload page call it). It works as the
history import does (`history/importer.py`, whose file reader, bad-row reports, write batch and
SQLite pauses it reuses), in four steps, none of which holds the file in memory:

1. **Dates.** When date columns are mapped, one pass over them decides the file's date order
   (`lib/file_dates.py`): ISO, day first or month first, from the values; a file whose values cannot
   tell is refused, asking for `--date-format`.
2. **Reading.** Every row is read and checked by its fields' readers and by the models' own rules
   (`clean_fields` and `clean` of Candidate, Client, Job and Application: the validation the API
   runs, with lib/limits.py bounds). The same candidate (e-mail, else name + phone), job (client +
   title) or application (candidate + job) met twice with other values is a bad row; the same row
   twice is counted as repeated and read once. Good rows are spooled to disk.
3. **Planning.** The spooled rows are matched with the database a chunk at a time: what is new, what
   changes, what is already as the file says. A change the rules refuse (an application moved back
   from an offer) is a bad row. No transaction is open while reading or planning; a dry run stops
   here and says what would happen.
4. **Writing**, only when no row is bad (or with `skip_bad`): WRITE_BATCH rows a transaction, the
   SQLite lock left free between batches, every record written as its service writes it
   (`save_job`, `move_stage`, `change_application`; new candidates and applications inserted in bulk
   as the architecture lets bulk loaders, then named to `pipeline.changes`).

Re-importing a file changes nothing: every record is matched, compared field by field, and left as
is when equal. Blank cells never blank a stored value.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import pickle
import sqlite3
import tempfile
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.audit import trail as audit_trail
from homestretch.audit.choices import Kind as AuditKind
from homestretch.history.columns import BadValue, normalise
from homestretch.history.importer import (
    MAX_BAD_KEPT,
    SQLITE_HOLD,
    SQLITE_PAUSE,
    WRITE_BATCH,
    BadRow,
    ImportRefused,
    _others_may_wait,
)
from homestretch.lib import limits
from homestretch.lib.file_dates import BadDate, DateOrder, DateOrders, DateOrderUnknown, parse_date
from homestretch.lib.placeholders import is_missing
from homestretch.pipeline import changes, stages
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application, Candidate, Client, Job, StageChange
from homestretch.pipeline.records import NEEDS_EMAIL_OR_PHONE, phone_digits
from homestretch.pipeline.services import StageMove, change_application, move_stage, save_job

from . import fields
from .fields import IGNORE, Kind
from .files import open_sheet
from .inserts import insert_new
from .models import StageName

CHUNK = WRITE_BATCH  # rows matched with the database at once when planning (500)
# Rows written in one transaction: each writes a candidate, an application and its stage change, so
# 200 rows are some 600 inserts, about the history import's 500 (whose rows are one insert each).
WRITE_CHUNK = 200
SPOOL_ROWS = 500  # good rows pickled to the spool at once
RECORDS = ("candidates", "clients", "jobs", "applications")
CANDIDATE_FIELDS = ("name", "email", "phone", "location", "current_employer", "current_title", "current_base",
                    "current_currency", "skills", "years_experience")
JOB_FIELDS = ("location", "seniority", "base_min", "base_max", "currency")


class ImportInterrupted(RuntimeError):
    """The database failed while writing: the batches that committed stay; importing the same file
    again imports the rest (what is there already is matched and left as is)."""


@dataclass(slots=True)
class Result:
    """What a file holds and what the import did (or, on a dry run or a refusal, would do) with it."""

    file_name: str
    kind: Kind
    mapping: dict[str, str]  # column -> field
    ignored_columns: list[str]
    date_order: str = ""
    dry_run: bool = False
    rows_read: int = 0
    repeated: int = 0  # the same row again in the file: read once
    bad_rows: int = 0
    bad: list[BadRow] = field(default_factory=list)  # the first MAX_BAD_KEPT, by line
    # {"candidates": {"created": n, "updated": n, "unchanged": n}, "clients": …, "jobs": …, "applications": …}
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {name: Counter() for name in RECORDS})
    written: bool = False

    def refuse(self, problems: list[BadRow]) -> None:
        self.bad_rows += 1
        self.bad.extend(problems[: max(0, MAX_BAD_KEPT - len(self.bad))])

    @property
    def refused(self) -> bool:
        """Nothing was written because rows are bad (without skip_bad)."""
        return bool(self.bad_rows) and not self.written

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.file_name, "kind": str(self.kind), "dry_run": self.dry_run, "written": self.written,
            "rows_read": self.rows_read, "repeated_in_file": self.repeated, "bad_rows": self.bad_rows,
            "bad": [str(bad) for bad in self.bad], "date_order": self.date_order,
            "mapping": self.mapping, "ignored_columns": self.ignored_columns,
            **{name: {state: self.counts[name][state] for state in ("created", "updated", "unchanged")}
               for name in RECORDS},
        }


# --- Which column is which field ------------------------------------------------------------------


def parse_map(options: Sequence[str], kind: Kind | None) -> dict[str, str]:
    """`--map "Column=field"` options as {column: field} (the last '=' separates)."""
    known = fields.FIELDS_OF[kind] if kind is not None else tuple(fields.FIELD_BY_NAME.values())
    names = {f.name for f in known}
    overrides: dict[str, str] = {}
    for option in options:
        column, sep, target = option.rpartition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise ImportRefused(f'--map "{option}" should read "Column=field", e.g. --map "Mail=email".')
        if target != IGNORE and target not in names:
            raise ImportRefused(f'--map "{option}": {target!r} is not a field; the fields are '
                                f"{', '.join(sorted(names))}, or ignore.")
        overrides[column] = target
    return overrides


def resolve_mapping(header: list[str], kind: Kind, overrides: dict[str, str]) -> dict[str, str]:
    """{column: field} for the columns that feed a field of `kind`; `--map` wins over the headers."""
    by_normal: dict[str, str] = {}
    for name in header:
        key = normalise(name)
        if key and key in by_normal:
            raise ImportRefused(f"Two columns are named alike: '{by_normal[key]}' and '{name}'; rename one.")
        by_normal[key] = name
    mapping: dict[str, str] = {}
    for column, target in overrides.items():
        actual = by_normal.get(normalise(column))
        if actual is None:
            raise ImportRefused(f"--map names the column '{column}', which is not in the file; its columns are: "
                                f"{', '.join(h for h in header if h)}.")
        mapping[actual] = target
    claimed = {target for target in mapping.values() if target != IGNORE}
    for target in claimed:
        named = [column for column, t in mapping.items() if t == target]
        if len(named) > 1:
            raise ImportRefused(f"--map gives the field {target} to two columns: {' and '.join(named)}.")
    recognised: dict[str, list[str]] = {}
    for name in header:
        if name and name not in mapping:
            looks_like = fields.recognise(name, kind)
            if looks_like is not None and looks_like not in claimed:
                recognised.setdefault(looks_like, []).append(name)
    for target, names in recognised.items():
        if len(names) > 1:
            raise ImportRefused(f"The columns {' and '.join(names)} both look like {target}; say which with "
                                f'--map "{names[0]}={target}" (and --map "{names[1]}=ignore").')
        mapping[names[0]] = target
    mapping = {column: target for column, target in mapping.items() if target != IGNORE}
    found = set(mapping.values())
    needs = {
        Kind.CANDIDATES: [({"candidate_name", "first_name", "last_name"}, "the candidate's name (Name)")],
        Kind.JOBS: [({"client"}, "the client (Client)"), ({"job_title"}, "the job's title (Job Title)")],
        Kind.APPLICATIONS: [({"candidate_name", "first_name", "last_name"}, "the candidate's name (Name)"),
                            ({"client"}, "the client (Client)"), ({"job_title"}, "the job's title (Job Title)")],
    }[kind]
    for any_of, what in needs:
        if not any_of & found:
            raise ImportRefused(f"No column holds {what}; name it with --map \"COLUMN={sorted(any_of)[0]}\".")
    return mapping


# --- One row --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One good row: what it says of each record (only what the file gives: blank cells are left out)."""

    line: int
    candidate: dict[str, Any]
    candidate_key: str  # "e:<e-mail>" or "n:<name>|<phone's digits>"
    client: str  # the client's name as written ("" for a candidates file)
    job: dict[str, Any]
    job_key: str  # "<client>|<title>", normalised
    application: dict[str, Any]


def _name_and_phone(name: str, phone: str) -> str:
    return f"n:{name.strip().lower()}|{phone_digits(phone)}"


def _fingerprint(values: dict[str, Any]) -> str:
    # repr, not the value: Decimal("1.0") == Decimal("1.00"), and a date's repr is stable.
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=8).hexdigest()


class _Seen:
    """Keys met so far, with the line and the values each was first met with: in a private temporary
    SQLite database on disk (as the history import keeps its keys), so memory does not grow with the file."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; CREATE TABLE seen "
                              "(key TEXT PRIMARY KEY, line INTEGER, print TEXT) WITHOUT ROWID; BEGIN;")

    def first(self, key: str, line: int, fingerprint: str) -> tuple[int, bool]:
        """(the line `key` was first met on, whether with the same values)."""
        if self.db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (key, line, fingerprint)).rowcount:
            return line, True
        first_line, first_print = self.db.execute("SELECT line, print FROM seen WHERE key = ?", (key,)).fetchone()
        return first_line, first_print == fingerprint

    def close(self) -> None:
        self.db.close()


class _Reader:
    """Turns records into Rows, reporting bad values by line and column."""

    def __init__(self, result: Result, header: list[str], *, order: DateOrder, at: datetime,
                 default_recruiter: User | None) -> None:
        self.result, self.order, self.at = result, order, at
        self.columns = [(header.index(column), column, target) for column, target in result.mapping.items()]
        self.index_of = {column: i for i, column in enumerate(header)}
        self.column_of = {target: column for column, target in result.mapping.items()}
        self.stage_names = fields.stage_names(StageName.objects.values_list("name", "stage"))
        self.recruiters = {user.email.lower(): user for user in User.objects.filter(is_active=True)}
        self.default_recruiter = default_recruiter
        self.seen = _Seen()
        self.checked_jobs: set[tuple[str, str]] = set()
        self.today = timezone.localdate(at)

    def read(self, line: int, record: list[str]) -> Row | None:
        values: dict[str, Any] = {}
        problems: list[BadRow] = []
        for i, column, target in self.columns:
            text = record[i]
            if is_missing(text):
                continue
            try:
                values[target] = self.value(target, text)
            except (BadValue, BadDate) as bad:
                problems.append(BadRow(line, column, text.strip(), str(bad)))
        if problems:
            self.result.refuse(problems)
            return None
        try:
            row = self.build(line, values)
        except ValidationError as error:
            self.result.refuse(self.placed(line, record, error))
            return None
        return self.deduplicated(row)

    def value(self, target: str, text: str) -> Any:
        if target in fields.DATE_FIELDS:
            day = parse_date(text, self.order)
            if not limits.FIRST_YEAR <= day.year <= limits.LAST_YEAR:
                raise BadDate(f"is not between {limits.FIRST_YEAR} and {limits.LAST_YEAR}")
            if day > self.today:
                raise BadDate("is after today")
            return day
        if target == "stage":
            stage = self.stage_names.get(normalise(text))
            if stage is None:
                raise BadValue("is not a stage Homestretch knows; add it to the stage names (back office, "
                               "Spreadsheet import › Stage names) or fix the cell")
            return stage
        reader = fields.FIELD_BY_NAME[target].read
        assert reader is not None, "every field but dates and stages has its reader"
        value = reader(text)
        if target in {"current_base", "base_min", "base_max"}:
            return value, fields.currency_in(text)
        return value

    def build(self, line: int, values: dict[str, Any]) -> Row:
        kind = self.result.kind
        candidate: dict[str, Any] = {}
        candidate_key = ""
        if kind != Kind.JOBS:
            name = values.get("candidate_name") or " ".join(
                part for part in (values.get("first_name"), values.get("last_name")) if part)
            if not name:
                raise ValidationError({"candidate_name": "is empty: every row needs the candidate's name"})
            candidate = {"name": name, **{key: values[key] for key in CANDIDATE_FIELDS if key in values}}
            if "current_base" in candidate:
                amount, symbol = candidate["current_base"]
                candidate["current_base"] = amount
                if symbol:
                    candidate.setdefault("current_currency", symbol)
            if candidate.get("email"):
                candidate_key = "e:" + candidate["email"]
            elif phone_digits(candidate.get("phone", "")):
                candidate_key = _name_and_phone(name, candidate["phone"])
            else:
                raise ValidationError({"email": f"is empty, and so is the phone. {NEEDS_EMAIL_OR_PHONE}"})
            if candidate.get("current_base") is not None and not candidate.get("current_currency"):
                # What the money constraint says (checked here: Model.validate_constraints asks the database).
                raise ValidationError({"current_base": "has no currency: add a Currency column, or write it "
                                                       "with its symbol or code (€ 61.500, 85,000 USD)"})
            record = Candidate(**candidate)
            with _renamed({"name": "candidate_name"}):
                record.clean_fields()
                record.clean()
            candidate["email"] = record.email
        client, job, job_key = "", {}, ""
        if kind != Kind.CANDIDATES:
            client = values.get("client", "")
            if not client:
                raise ValidationError({"client": "is empty: every row needs the client"})
            title = values.get("job_title", "")
            if not title:
                raise ValidationError({"job_title": "is empty: every row needs the job's title"})
            job = {"title": title}
            for key in JOB_FIELDS:
                source = "job_location" if key == "location" else key
                if source in values:
                    job[key] = values[source]
            for key in ("base_min", "base_max"):
                if key in job:
                    amount, symbol = job[key]
                    job[key] = amount
                    if symbol:
                        job.setdefault("currency", symbol)
            job_key = f"{normalise(client)}|{normalise(title)}"
            # A file names the same few jobs on thousands of rows: each job's values checked once.
            checked = (client, _fingerprint(job))
            if checked not in self.checked_jobs:
                with _renamed({"name": "client"}):
                    Client(name=client).clean_fields()
                record_job = Job(**job)
                with _renamed({"title": "job_title", "location": "job_location"}):
                    record_job.clean_fields(exclude=["client", "hiring_manager"])
                    record_job.clean()
                if len(self.checked_jobs) >= 50_000:
                    self.checked_jobs.clear()
                self.checked_jobs.add(checked)
        application: dict[str, Any] = {}
        if kind == Kind.APPLICATIONS:
            application = self.application(values)
        return Row(line, candidate, candidate_key, client, job, job_key, application)

    def application(self, values: dict[str, Any]) -> dict[str, Any]:
        stage = values.get("stage")
        if stage is None:
            raise ValidationError({"stage": "is empty: every row needs the stage the application is at"})
        email = values.get("recruiter_email")
        recruiter = self.recruiters.get(email) if email else self.default_recruiter
        if recruiter is None:
            raise ValidationError({"recruiter_email": "is not the e-mail of a user of Homestretch" if email else
                                   "is empty, and no recruiter was chosen for rows that name none (--recruiter)"})
        if not (recruiter.is_admin or recruiter.role == "recruiter"):
            raise ValidationError({"recruiter_email": "is a viewer's, who cannot own applications"})
        loss_reason = values.get("loss_reason", "")
        if loss_reason and stage not in stages.LOSSES:
            raise ValidationError({"loss_reason": "is given, but the stage is no loss"})
        if stage in stages.CANDIDATE_LOSSES and not loss_reason:
            raise ValidationError({"stage": f"is {Stage(stage).label}: say why the candidate was lost in a "
                                            "Loss reason column"})
        stage_day: date | None = values.get("stage_date")
        opened_day: date | None = values.get("applied_on")
        if stage_day and opened_day and opened_day > stage_day:
            raise ValidationError({"applied_on": "is after the date it got to its stage"})
        return {"stage": stage, "stage_day": stage_day, "opened_day": opened_day,
                "recruiter_id": recruiter.pk, "loss_reason": loss_reason}

    def placed(self, line: int, record: list[str], error: ValidationError) -> list[BadRow]:
        """A refusal of the models' rules as bad values, each by the column it is about."""
        found: list[BadRow] = []
        for target, messages in error.message_dict.items():
            column = self.column_of.get(target, "")
            if not column and target == "candidate_name":
                column = self.column_of.get("first_name", "") or self.column_of.get("last_name", "")
            value = record[self.index_of[column]].strip() if column else ""
            found.extend(BadRow(line, column, value, message if message.startswith("is ") else
                                f"is refused: {message}") for message in messages)
        return found

    def deduplicated(self, row: Row) -> Row | None:
        """The row, or None when it repeats an earlier one (counted) or contradicts one (a bad row):
        the same candidate, job or application met again must come with the same values."""
        application_key = f"{row.candidate_key}#{row.job_key}" if row.application else ""
        checks = [(what, key, values) for what, key, values in (
            ("candidate", row.candidate_key, row.candidate), ("job", row.job_key, row.job),
            ("application", application_key, row.application)) if key]
        main = {Kind.CANDIDATES: "candidate", Kind.JOBS: "job", Kind.APPLICATIONS: "application"}[self.result.kind]
        repeated = False
        for what, key, values in checks:
            first, same = self.seen.first(f"{what}:{key}", row.line, _fingerprint(values))
            if not same:
                self.result.refuse([BadRow(row.line, "", "", f"gives this {what} other values than line {first} "
                                                             "does; make them agree")])
                return None
            repeated = repeated or (what == main and first != row.line)
        if repeated:
            self.result.repeated += 1
            return None
        return row

    def close(self) -> None:
        self.seen.close()


@contextmanager
def _renamed(names: dict[str, str]) -> Iterator[None]:
    """A model's refusals under the names of the fields of the file (Candidate.name is candidate_name)."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError({names.get(name, name): messages
                               for name, messages in error.message_dict.items()}) from None


class _Spool:
    """The good rows, pickled to a temporary file SPOOL_ROWS at a time (one pickle a row cost as much
    as the rest of reading it back), read back once per step."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.pending: list[tuple[Any, ...]] = []

    def add(self, row: Row) -> None:
        self.pending.append((row.line, row.candidate, row.candidate_key, row.client, row.job, row.job_key,
                             row.application))
        if len(self.pending) >= SPOOL_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.file.seek(0, 2)
            pickle.dump(self.pending, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.pending = []

    def rows(self) -> Iterator[Row]:
        self.flush()
        self.file.seek(0)
        while True:
            try:
                rows = pickle.load(self.file)  # noqa: S301 - our own spool file, written by this import
            except EOFError:
                return
            for values in rows:
                yield Row(*values)


# --- Matching with the database, and writing ------------------------------------------------------


def _moment(day: date | None, at: datetime, zone: zoneinfo.ZoneInfo | None = None) -> datetime:
    """A day of the file as a moment: 09:00 that day in the app's time zone (`at` when no day)."""
    if day is None:
        return at
    return _nine_am(day, zone or timezone.get_current_timezone())


@functools.lru_cache(maxsize=4_096)  # a file's dates are a few hundred days, met on thousands of rows
def _nine_am(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time(9)), zone)


# What a candidate created by the file stands as while planning: a row with no id (so no application of
# theirs can exist yet), one for all of them rather than a model instance each.
_NOT_YET_WRITTEN = Candidate()


def _differs(record: Any, values: dict[str, Any], names: Sequence[str]) -> list[str]:
    return [name for name in names if name in values and values[name] != "" and getattr(record, name) != values[name]]


class _Plan:
    """Matches spooled rows with the database a chunk at a time and, when `write`, writes them."""

    def __init__(self, result: Result, *, at: datetime, write: bool, skip_lines: set[int], file_name: str) -> None:
        self.result, self.at, self.write, self.skip_lines = result, at, write, skip_lines
        self.reason = f"Imported from {file_name[:120]}"
        self.zone = timezone.get_current_timezone()
        self.clients: dict[str, Client] = {}  # normalised name -> client (created, when planning, as unsaved)
        self.jobs: dict[str, Job] = {}
        self.done: set[str] = set()  # keys of candidates, clients, jobs already counted
        self.planned: set[str] = set()  # when planning: the keys of the candidates the file creates
        self.writes: list[Callable[[], object]] = []  # the current chunk's, when writing
        # When planning: (stage, stage's day, opening day) -> the model's refusal of a new application
        # with them (None: accepted); a file holds a few thousand such triples over its rows.
        self.checked_applications: dict[tuple[str, date | None, date | None], ValidationError | None] = {}

    def run(self, rows: Iterator[Row], advance: Callable[[int], None]) -> None:
        paused = time.monotonic()
        size = WRITE_CHUNK if self.write else CHUNK
        for chunk in iter(lambda: list(itertools.islice(rows, size)), []):
            chunk = [row for row in chunk if row.line not in self.skip_lines]
            if self.write:
                try:
                    self.chunk(chunk)
                except (DatabaseError, ValidationError) as error:  # the database, or its rows changed meanwhile
                    raise ImportInterrupted(f"Stopped at line {chunk[0].line if chunk else '?'}: {error}. Run the "
                                            "same import again to import the rest.") from error
                if _others_may_wait() and time.monotonic() - paused >= SQLITE_HOLD:
                    time.sleep(SQLITE_PAUSE)
                    paused = time.monotonic()
            else:
                self.chunk(chunk)
            advance(len(chunk))

    def count(self, what: str, state: str, key: str) -> None:
        if key not in self.done:
            self.done.add(key)
            self.result.counts[what][state] += 1

    def chunk(self, rows: list[Row]) -> None:
        """Match the rows with the database; when writing, then write what they change in one short
        transaction: the lookups and checks happen before it, so SQLite's lock is held for the writes
        alone (a transaction takes it at BEGIN)."""
        self.writes = []
        candidates = self.candidates(rows) if self.result.kind != Kind.JOBS else {}
        jobs = self.jobs_of(rows) if self.result.kind != Kind.CANDIDATES else {}
        if self.result.kind == Kind.APPLICATIONS:
            self.applications(rows, candidates, jobs)
        if self.writes:
            with transaction.atomic():
                for write in self.writes:
                    write()

    def later(self, write: Callable[[], object]) -> None:
        """A write of this chunk, done in its transaction once every row of the chunk is matched."""
        if self.write:
            self.writes.append(write)

    # Candidates -----------------------------------------------------------------------------------

    def candidates(self, rows: list[Row]) -> dict[str, Candidate]:
        wanted = {row.candidate_key: row for row in rows}
        emails = [key[2:] for key in wanted if key.startswith("e:")]
        names = {row.candidate["name"].lower() for key, row in wanted.items() if key.startswith("n:")}
        found: dict[str, Candidate] = {}
        # Read as pipeline.records.duplicates_of reads them: through the e-mail's lower-case unique index
        # (`exclude(email="")` is its condition; a plain `email IN` reads the whole table, every chunk).
        for by_email in Candidate.objects.exclude(email="").alias(lower_email=Lower("email")).filter(
                lower_email__in=emails):
            found.setdefault("e:" + by_email.email.lower(), by_email)
        if names:
            # The same person as pipeline.records.duplicates_of says: the same name (any case) and phone digits.
            for stored in Candidate.objects.annotate(lowered=Lower("name")).filter(lowered__in=names).exclude(phone=""):
                found.setdefault(_name_and_phone(stored.name, stored.phone), stored)
        new: list[Candidate] = []
        changed: list[tuple[Candidate, list[str]]] = []
        for key, row in wanted.items():
            candidate = found.get(key)
            if candidate is None and key in self.planned:
                found[key] = _NOT_YET_WRITTEN  # created by an earlier row, when planning
                continue
            if candidate is None:
                # When planning, a new candidate needs no row of its own: only that it has no id yet.
                candidate = Candidate(**row.candidate, created_at=self.at) if self.write else _NOT_YET_WRITTEN
                new.append(candidate)
                found[key] = candidate
                self.count("candidates", "created", "c:" + key)
                continue
            found[key] = candidate
            differing = _differs(candidate, row.candidate, CANDIDATE_FIELDS)
            if differing and candidate.pk is not None:
                for name in differing:
                    setattr(candidate, name, row.candidate[name])
                changed.append((candidate, differing))
                self.count("candidates", "updated", "c:" + key)
            else:
                self.count("candidates", "unchanged", "c:" + key)
        if self.write:
            for candidate, _ in changed:
                candidate.full_clean(validate_unique=False)
                candidate.updated_at = self.at
            self.later(functools.partial(self.write_candidates, new, changed))
        else:
            self.planned.update(key for key in wanted if found[key].pk is None)
        return found

    @staticmethod
    def write_candidates(new: list[Candidate], changed: list[tuple[Candidate, list[str]]]) -> None:
        insert_new(new)
        if changed:
            written = sorted({name for _, changed_names in changed for name in changed_names} | {"updated_at"})
            Candidate.objects.bulk_update([candidate for candidate, _ in changed], written)
            # Pay and skills feed the risk of each of the candidate's applications.
            changes.count_change(candidate_ids=[candidate.pk for candidate, _ in changed])

    # Clients and jobs -----------------------------------------------------------------------------

    def jobs_of(self, rows: list[Row]) -> dict[str, Job]:
        """The jobs of these rows, and their clients: found, updated or created. New ones are
        inserted in bulk (checked by their models' rules when the rows were read; a new job has no
        application whose risk it could change); a changed job is saved through `save_job`."""
        names = {normalise(row.client): row.client for row in rows}
        missing = [name for name in names if name not in self.clients]
        if missing:
            for stored_client in Client.objects.annotate(lowered=Lower("name")).filter(
                    lowered__in=[names[n].lower() for n in missing]):
                self.clients.setdefault(normalise(stored_client.name), stored_client)
        new_clients = []
        for key, name in names.items():
            if key not in self.clients:
                self.clients[key] = Client(name=name)
                new_clients.append(self.clients[key])
                self.count("clients", "created", "k:" + key)
            else:
                self.count("clients", "unchanged", "k:" + key)
        if new_clients:
            self.later(functools.partial(Client.objects.bulk_create, new_clients))
        wanted = {row.job_key: row for row in rows}
        missing_jobs = [key for key in wanted if key not in self.jobs]
        stored = {self.clients[normalise(wanted[key].client)].pk for key in missing_jobs} - {None}
        if missing_jobs and stored:
            titles = {wanted[key].job["title"].lower() for key in missing_jobs}
            for stored_job in Job.objects.select_related("client").annotate(lowered=Lower("title")).filter(
                    client_id__in=stored, lowered__in=titles):
                self.jobs.setdefault(f"{normalise(stored_job.client.name)}|{normalise(stored_job.title)}", stored_job)
        new_jobs = []
        for key, row in wanted.items():
            job = self.jobs.get(key)
            if job is None:
                job = Job(client=self.clients[normalise(row.client)], **row.job)
                new_jobs.append(job)
                self.jobs[key] = job
                self.count("jobs", "created", "j:" + key)
                continue
            differing = _differs(job, row.job, JOB_FIELDS)
            if differing and job.pk is not None and "j:" + key not in self.done:
                for name in differing:
                    setattr(job, name, row.job[name])
                self.later(functools.partial(save_job, job))
                self.count("jobs", "updated", "j:" + key)
            else:
                self.count("jobs", "unchanged", "j:" + key)
        if new_jobs:
            # Each takes its client's id when written, a new client being written before it.
            self.later(functools.partial(Job.objects.bulk_create, new_jobs))
        return self.jobs

    # Applications ---------------------------------------------------------------------------------

    def applications(self, rows: list[Row], candidates: dict[str, Candidate], jobs: dict[str, Job]) -> None:
        pairs = {(candidates[row.candidate_key].pk, jobs[row.job_key].pk) for row in rows}
        stored = {pair for pair in pairs if None not in pair}
        existing: dict[tuple[int, int], Application] = {}
        if stored:
            # The chunk's candidates and jobs crossed, then kept by pair: one query, not one a pair.
            found = Application.objects.filter(candidate_id__in={c for c, _ in stored},
                                               job_id__in={j for _, j in stored})
            existing = {(a.candidate_id, a.job_id): a for a in found if (a.candidate_id, a.job_id) in stored}
        new: list[tuple[Application, Row]] = []
        for row in rows:
            candidate, job = candidates[row.candidate_key], jobs[row.job_key]
            values = row.application
            application = existing.get((candidate.pk, job.pk)) if candidate.pk and job.pk else None
            if application is None:
                application = self.new_application(row, candidate, job)
                if application is not None:
                    new.append((application, row))
                continue
            self.changed_application(row, application, values)
        if new:
            self.later(functools.partial(self.write_applications, new))

    def write_applications(self, new: list[tuple[Application, Row]]) -> None:
        insert_new([application for application, _ in new])
        insert_new([
            StageChange(application=application, from_stage="", to_stage=application.stage,
                        at=application.stage_entered_at, reason=self.reason if application.is_closed else "",
                        loss_reason=row.application["loss_reason"])
            for application, row in new])

    def new_application(self, row: Row, candidate: Candidate, job: Job) -> Application | None:
        values = row.application
        stage = values["stage"]
        if not self.write:
            # Checked when planning (rows refused then are skipped when writing), by the model's rules,
            # once for each stage and dates: a new application's other fields are the candidate, the
            # job and the recruiter (found when the row was read), which its rules leave out here.
            checked = (stage, values["stage_day"], values["opened_day"])
            if checked not in self.checked_applications:
                self.checked_applications[checked] = self.check_new_application(row, candidate, job)
            if (error := self.checked_applications[checked]) is not None:
                self.bad(row, error)
                return None
            self.result.counts["applications"]["created"] += 1
            return None
        application = self.unsaved_application(row, candidate, job)
        self.result.counts["applications"]["created"] += 1
        return application

    def check_new_application(self, row: Row, candidate: Candidate, job: Job) -> ValidationError | None:
        application = self.unsaved_application(row, candidate, job)
        try:
            application.clean_fields(exclude=["candidate", "job", "recruiter"])
            application.clean()
        except ValidationError as error:
            return error
        return None

    def unsaved_application(self, row: Row, candidate: Candidate, job: Job) -> Application:
        values = row.application
        stage = values["stage"]
        entered = _moment(values["stage_day"], self.at, self.zone)
        application = Application(
            candidate=candidate, job=job, recruiter_id=values["recruiter_id"], stage=stage,
            stage_entered_at=entered,
            created_at=_moment(values["opened_day"] or values["stage_day"], self.at, self.zone),
            accepted_at=entered if stage in (Stage.ACCEPTED, Stage.STARTED) else None,
            closed_at=entered if stage in stages.CLOSED else None,
        )
        if stage == Stage.ON_HOLD:
            application.stage_before_hold = Stage.SOURCED
        return application

    def changed_application(self, row: Row, application: Application, values: dict[str, Any]) -> None:
        changed = False
        if values["stage"] != application.stage:
            at = _moment(values["stage_day"], self.at, self.zone)
            try:
                stages.check_transition(application.stage_rules(), values["stage"], reason=self.reason,
                                        loss_reason=values["loss_reason"] or None)
                if at < application.stage_entered_at:
                    raise ValidationError({"stage_date": "is before the day the application got to its stage "
                                                         f"here ({application.stage_entered_at:%Y-%m-%d})"})
            except ValidationError as error:
                self.bad(row, error)
                return
            self.later(functools.partial(move_stage, application.pk, StageMove(
                to_stage=values["stage"], reason=self.reason, loss_reason=values["loss_reason"]), by=None, at=at))
            changed = True
        if values["recruiter_id"] != application.recruiter_id and "recruiter_email" in self.result.mapping.values():
            self.later(functools.partial(self.hand_over, application.pk, values["recruiter_id"]))
            changed = True
        self.result.counts["applications"]["updated" if changed else "unchanged"] += 1

    @staticmethod
    def hand_over(application_id: int, recruiter_id: int) -> None:
        application = Application.objects.get(pk=application_id)  # after a stage move of the same chunk
        application.recruiter_id = recruiter_id
        change_application(application, ["recruiter"])

    def bad(self, row: Row, error: ValidationError) -> None:
        self.skip_lines.add(row.line)
        column_of = {target: column for column, target in self.result.mapping.items()}
        messages: list[BadRow] = []
        for name, texts in error.message_dict.items():
            target = {"to_stage": "stage", "reason": "stage"}.get(name, name)
            messages.extend(BadRow(row.line, column_of.get(target, ""), "", text if text.startswith("is ")
                                   else f"is refused: {text}") for text in texts)
        self.result.refuse(messages)


# --- The whole import -----------------------------------------------------------------------------


def import_sheet(path: Path, *, kind: Kind | None = None, map_options: Sequence[str] = (), dry_run: bool = False,
                 skip_bad: bool = False, date_format: DateOrder | None = None, recruiter: User | None = None,
                 at: datetime, progress: Callable[[str, int], Callable[[int], None]] | None = None,
                 file_name: str | None = None) -> Result:
    """Read `path` (CSV or XLSX) and import its rows, or refuse; see the module's docstring.

    Raises ImportRefused for a file that cannot be read, mapped or dated (nothing written), and
    ImportInterrupted when the database fails while writing (the batches written stay). `recruiter`
    owns the applications of rows that name none. `progress(step, total)` is called when a step
    starts and returns a function told how many rows were done since its last call.
    """
    def track(step: str, total: int) -> Callable[[int], None]:
        return progress(step, total) if progress is not None else (lambda rows: None)

    parse_map(map_options, kind)  # a mistyped --map is refused before the file is opened
    with open_sheet(path) as (header, _):
        kind = kind or fields.guess_kind(header)
        mapping = resolve_mapping(header, kind, parse_map(map_options, kind))
    result = Result(file_name=file_name or path.name, kind=kind, mapping=mapping, dry_run=dry_run,
                    ignored_columns=[name for name in header if name and name not in mapping])
    date_columns = [header.index(c) for c, target in mapping.items() if target in fields.DATE_FIELDS]
    order = date_format or DateOrder.DAY_FIRST
    if date_columns:
        orders = DateOrders()
        with open_sheet(path) as (_, numbered):
            for _, record, _ in numbered:
                if record is not None and len(record) == len(header):
                    for i in date_columns:
                        orders.see(record[i])
        try:
            order = orders.decide(date_format)
        except DateOrderUnknown as unknown:
            raise ImportRefused(str(unknown)) from None
        result.date_order = str(order)
    reader = _Reader(result, header, order=order, at=at, default_recruiter=recruiter)
    with tempfile.TemporaryFile(prefix="homestretch-sheet-") as spool_file:
        spool = _Spool(spool_file)
        good = 0
        advance = track("Reading rows", 0)
        try:
            with open_sheet(path) as (_, numbered):
                for line, record, unreadable in numbered:
                    result.rows_read += 1
                    if result.rows_read % 1000 == 0:
                        advance(1000)
                    if record is None:
                        result.refuse([BadRow(line, "", "", unreadable)])
                    elif len(record) != len(header):
                        result.refuse([BadRow(line, "", "", f"has {len(record)} values where the header has "
                                                             f"{len(header)} columns")])
                    elif (row := reader.read(line, record)) is not None:
                        spool.add(row)
                        good += 1
        finally:
            reader.close()
        skip_lines: set[int] = set()
        _Plan(result, at=at, write=False, skip_lines=skip_lines, file_name=result.file_name).run(
            spool.rows(), track("Checking with the database", good))
        if dry_run or (result.bad_rows and not skip_bad):
            return result
        if not any(result.counts[name][state] for name in RECORDS for state in ("created", "updated")):
            return result
        result.counts = {name: Counter() for name in RECORDS}
        _Plan(result, at=at, write=True, skip_lines=skip_lines, file_name=result.file_name).run(
            spool.rows(), track("Writing rows", good))
        result.written = True
        # Written in bulk, which the audit does not see row by row: one entry says what came in, and who brought it.
        audit_trail.record(AuditKind.IMPORTED, actor=None, address=None, detail={
            "import": "spreadsheet", "file": result.file_name, "kind": str(result.kind),
            **{name: {state: result.counts[name][state] for state in ("created", "updated")} for name in RECORDS}})
    return result


__all__ = ["ImportInterrupted", "ImportRefused", "Kind", "Result", "import_sheet"]
