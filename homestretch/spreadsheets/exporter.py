"""Export the lists the app shows as CSV or XLSX: candidates, applications with their stage and risk,
the pipeline board's filter, Today, our offers and competing offers.

`export_table(kind, filters, user=…, at=…)` gives the columns and the rows (streamed from the
database a chunk at a time, never the whole list in memory); `write_csv` and `write_xlsx` write them.
Every cell goes through `lib/spreadsheet_safety.neutralise_cell`, so a name such as `=HYPERLINK(…)`
opens as text, never as a formula.

Who exports what (`team_scope`): an admin, or the command line without `--as`, the organisation's
lists; a recruiter, their own team's (applications owned by the team's recruiters, their candidates,
offers and competing offers); a viewer, their team's when they belong to one, else the
organisation's, as the pages show it to them. Competing offers told in confidence are internal: they
are exported with their company, as the app's pages show them, marked confidential (never to a
client: no client-facing export exists).

The risk is the one the pages show: each open application's risk snapshot, made fresh first
(`risk.snapshots.ensure_fresh`, with `risk.scoring.current_scorer()`), so the column says what the
board and Today rank by. Today is the agenda's own (`agenda.services.todays_agenda_page`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from homestretch.accounts.choices import Role
from homestretch.accounts.models import User
from homestretch.agenda.services import todays_agenda_page
from homestretch.lib.spreadsheet_safety import neutralise_row
from homestretch.offers.models import CompetingOffer, Offer
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application, Candidate
from homestretch.risk import snapshots
from homestretch.risk.loader import applications_as_of
from homestretch.risk.scoring import current_scorer

CHUNK = 2_000  # rows read from the database at once
TODAY_LIMIT = 100_000  # every application due today (the page shows the first 100)


class ExportKind(StrEnum):
    CANDIDATES = "candidates"
    APPLICATIONS = "applications"
    BOARD = "board"  # the open applications, as the pipeline board filters them
    TODAY = "today"
    OFFERS = "offers"
    COMPETING = "competing"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


FILTERS = ("recruiter", "team", "client", "job", "stage", "q")


@dataclass(frozen=True, slots=True)
class Filters:
    """What narrows a list, as the pages take it (ids), plus the candidates page's search `q`."""

    recruiter_id: int | None = None
    team_id: int | None = None
    client_id: int | None = None
    job_id: int | None = None
    stage: str = ""
    q: str = ""


@dataclass(slots=True)
class Table:
    title: str
    columns: list[str]
    rows: Iterable[list[Any]] = field(default_factory=list)


def team_scope(user: User | None) -> int | None | bool:
    """The team whose records `user` exports, None for the organisation's; False when they export
    nothing (a recruiter without a team, an inactive user)."""
    if user is None or (user.is_active and user.is_admin):
        return None
    if not user.is_active:
        return False
    if user.role == Role.RECRUITER:
        return user.team_id or False
    return user.team_id  # a viewer: their team's, or the organisation's as the pages show it


def _applications(user: User | None, filters: Filters) -> QuerySet[Application]:
    scope = team_scope(user)
    found = Application.objects.all()
    if scope is False:
        return found.none()
    if scope is not None:
        found = found.filter(recruiter__team_id=scope)
    if filters.team_id is not None:
        found = found.filter(recruiter__team_id=filters.team_id)
    if filters.recruiter_id is not None:
        found = found.filter(recruiter_id=filters.recruiter_id)
    if filters.client_id is not None:
        found = found.filter(job__client_id=filters.client_id)
    if filters.job_id is not None:
        found = found.filter(job_id=filters.job_id)
    if filters.stage:
        found = found.filter(stage=filters.stage)
    return found


def _day(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment is not None else ""


def _percent(probability: float | None) -> int | None:
    return None if probability is None else round(probability * 100)


def export_table(kind: ExportKind, filters: Filters = Filters(), *, user: User | None, at: datetime) -> Table:
    """The columns and rows of `kind` as `user` may export them at `at`."""
    if kind == ExportKind.CANDIDATES:
        return _candidates(user, filters)
    if kind in (ExportKind.APPLICATIONS, ExportKind.BOARD):
        return _application_table(user, filters, at, board=kind == ExportKind.BOARD)
    if kind == ExportKind.TODAY:
        return _today(user, filters, at)
    if kind == ExportKind.OFFERS:
        return _offers(user, filters)
    return _competing(user, filters)


def _candidates(user: User | None, filters: Filters) -> Table:
    found = Candidate.objects.order_by("name", "pk")
    scope = team_scope(user)
    if scope is not None or any((filters.team_id, filters.recruiter_id, filters.client_id, filters.job_id,
                                 filters.stage)):
        found = found.filter(pk__in=_applications(user, filters).values("candidate_id"))
    if filters.q:
        found = found.search(filters.q)  # as the candidates page finds them: whatever the accents and case
    columns = ["Name", "E-mail", "Phone", "Location", "Current company", "Current title", "Current pay",
               "Currency", "Period", "Skills", "Years of experience", "Source", "Consent to contact"]
    values = found.values_list("name", "email", "phone", "location", "current_employer", "current_title",
                               "current_base", "current_currency", "current_period", "skills", "years_experience",
                               "source", "consent_to_contact")

    def rows() -> Iterator[list[Any]]:
        for row in values.iterator(chunk_size=CHUNK):
            *rest, consent = row
            yield [*rest, "yes" if consent else "no"]
    return Table("Candidates", columns, rows())


def _application_table(user: User | None, filters: Filters, at: datetime, *, board: bool) -> Table:
    found = _applications(user, filters)
    if board:
        found = found.filter(pk__in=applications_as_of(at).values("id"))
    # The risks the pages show: each open application's snapshot, made fresh for `at`.
    open_now = applications_as_of(at).filter(pk__in=found.values("id"))
    snapshots.ensure_fresh(open_now, at, current_scorer())
    labels = dict(Stage.choices)
    values = found.order_by("job__client__name", "job__title", "candidate__name", "pk").values_list(
        "pk", "candidate__name", "candidate__email", "job__client__name", "job__title", "stage",
        "stage_entered_at", "recruiter__email", "recruiter__team__name", "created_at", "closed_at",
        "risk_snapshot__probability", "risk_snapshot__band")
    columns = ["Application", "Candidate", "E-mail", "Client", "Job", "Stage", "At the stage since", "Recruiter",
               "Team", "Opened", "Closed", "Risk (%)", "Risk band"]

    def rows() -> Iterator[list[Any]]:
        for (pk, name, email, client, title, stage, since, recruiter, team, opened, closed, probability,
             band) in values.iterator(chunk_size=CHUNK):
            is_open = closed is None or closed > at
            yield [pk, name, email, client, title, labels.get(stage, stage), _day(since), recruiter, team or "",
                   _day(opened), _day(closed), _percent(probability) if is_open else None,
                   band if is_open else ""]
    return Table("Pipeline" if board else "Applications", columns, rows())


def _today(user: User | None, filters: Filters, at: datetime) -> Table:
    scope = team_scope(user)
    columns = ["Application", "Candidate", "Client", "Job", "Stage", "Recruiter", "Why today", "Since",
               "Overdue (days)", "Risk (%)", "Risk band", "Next step"]
    if scope is False:
        return Table("Today", columns, [])
    team_id = filters.team_id if scope is None else scope
    page = todays_agenda_page(at, TODAY_LIMIT, recruiter_id=filters.recruiter_id, team_id=team_id)
    labels = dict(Stage.choices)

    def rows() -> Iterator[list[Any]]:
        for item in page.items:
            data = item.as_dict()
            risk = data["risk"] or {}
            actions = data["actions"]
            yield [data["application_id"], data["candidate"], data["client"], data["job"],
                   labels.get(data["stage"], data["stage"]), data["recruiter"], data["due"]["reason"],
                   data["due"]["since"], data["due"]["overdue_days"], _percent(risk.get("probability")),
                   risk.get("band", ""), actions[0].get("text", "") if actions else ""]
    return Table("Today", columns, rows())


def _offers(user: User | None, filters: Filters) -> Table:
    found = Offer.objects.filter(application__in=_applications(user, filters)).order_by(
        "application__job__client__name", "application__candidate__name", "application_id", "revision")
    columns = ["Application", "Candidate", "Client", "Job", "Revision", "Status", "Base", "Bonus", "Equity",
               "Currency", "Period", "Start date", "Sent", "Expires", "Responded", "Decline reason", "Won by"]
    values = found.values_list("application_id", "application__candidate__name", "application__job__client__name",
                               "application__job__title", "revision", "status", "base", "bonus", "equity",
                               "currency", "period", "start_date", "sent_at", "expires_on", "responded_at",
                               "decline_reason", "won_by")

    def rows() -> Iterator[list[Any]]:
        for row in values.iterator(chunk_size=CHUNK):
            *head, start, sent, expires, responded, reason, won_by = row
            yield [*head, start, _day(sent), expires, _day(responded), reason, won_by]
    return Table("Offers", columns, rows())


def _competing(user: User | None, filters: Filters) -> Table:
    found = CompetingOffer.objects.all()
    if team_scope(user) is not None or any((filters.team_id, filters.recruiter_id, filters.client_id,
                                            filters.job_id, filters.stage)):
        found = found.filter(candidate_id__in=_applications(user, filters).values("candidate_id"))
    columns = ["Candidate", "Company", "Confidential", "Kind", "Role", "Stage", "Base", "Currency", "Period",
               "Deadline", "Learned on", "Recorded by team"]
    values = found.order_by("candidate__name", "-learned_at", "pk").values_list(
        "candidate__name", "company", "confidential", "kind", "role", "stage", "base", "currency", "period",
        "deadline", "learned_at", "recorded_by_team__name")

    def rows() -> Iterator[list[Any]]:
        for name, company, confidential, *rest, deadline, learned, team in values.iterator(chunk_size=CHUNK):
            yield [name, company, "yes" if confidential else "no", *rest, deadline, _day(learned), team or ""]
    return Table("Competing offers", columns, rows())


# --- Writing --------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns what it is given: csv.writer as a generator of lines."""

    def write(self, text: str) -> str:
        return text


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines (UTF-8 with a BOM first, so that Excel reads it as UTF-8), each cell
    neutralised: what a file and a streamed download both write."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(neutralise_row(table.columns))
    for row in table.rows:
        yield writer.writerow(neutralise_row(row))


def write_csv(table: Table, out: IO[str]) -> int:
    """The table as CSV; returns the rows written."""
    count = -2  # the BOM and the header
    for line in csv_lines(table):
        out.write(line)
        count += 1
    return count


def write_xlsx(table: Table, out: Path | IO[bytes]) -> int:
    """The table as an XLSX workbook of one sheet, written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    sheet.append(neutralise_row(table.columns))
    count = 0
    for row in table.rows:
        sheet.append(neutralise_row(row))
        count += 1
    book.save(out)
    return count
