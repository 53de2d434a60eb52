"""The spreadsheet import: odd files read right, re-imports change nothing, bad rows refuse the file."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from homestretch.history.importer import ImportRefused
from homestretch.lib.file_dates import DateOrder
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application, Candidate, Client, Job, StageChange
from homestretch.spreadsheets.fields import Kind
from homestretch.spreadsheets.importer import import_sheet
from homestretch.spreadsheets.models import StageName

pytestmark = pytest.mark.django_db

# A file as a spreadsheet saves it: a BOM, semicolons, odd headers, a blank line, currency symbols,
# day-first dates, the same row twice, the same candidate on two jobs.
ODD_CSV = (
    "\ufeffCandidate Full Name ; E-Mail Address;Mobile;Current Company;Current Salary;Client;Job Title;"
    "Pipeline Stage;Date Moved;Recruiter E-mail\r\n"
    "Ana Lima;Ana.Lima@Example.org;+351 91 000 0001;Acme;€ 61.500,00;Globex;Backend Engineer;"
    "Offer Extended;31/10/2026;alice@example.com\r\n"
    "\r\n"
    ";;;;;;;;;\r\n"
    "Ben Okafor;ben@example.org;;Initech;$85,000;Globex;Backend Engineer;Phone Screen;02/11/2026;\r\n"
    "Ana Lima;ana.lima@example.org;+351 91 000 0001;Acme;€ 61.500,00;Umbrella;Data Engineer;Final Round;"
    "01/11/2026;bob@example.com\r\n"
    "Ben Okafor;ben@example.org;;Initech;$85,000;Globex;Backend Engineer;Phone Screen;02/11/2026;\r\n"
)


def write(tmp_path: Path, text: str, name: str = "pipeline.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_file_saved_from_a_spreadsheet_imports_as_it_reads(tmp_path, alice, bob, now):
    result = import_sheet(write(tmp_path, ODD_CSV), at=now, recruiter=alice)
    assert (result.kind, result.bad, result.rows_read, result.repeated) == (Kind.APPLICATIONS, [], 4, 1)
    assert result.date_order == DateOrder.DAY_FIRST
    assert result.mapping["Candidate Full Name"] == "candidate_name" and result.mapping["Date Moved"] == "stage_date"
    assert result.counts["candidates"] == {"created": 2} and result.counts["clients"] == {"created": 2}
    assert result.counts["jobs"] == {"created": 2} and result.counts["applications"] == {"created": 3}
    ana = Candidate.objects.get(email="ana.lima@example.org")
    assert (ana.name, ana.phone, ana.current_employer, ana.current_base, ana.current_currency) == (
        "Ana Lima", "+351 91 000 0001", "Acme", Decimal("61500.00"), "EUR")
    assert Candidate.objects.get(email="ben@example.org").current_currency == "USD"
    offer = Application.objects.get(candidate=ana, job__client__name="Globex")
    assert (offer.stage, offer.recruiter, offer.stage_entered_at.date()) == (Stage.OFFER, alice, date(2026, 10, 31))
    assert Application.objects.get(candidate=ana, job__client__name="Umbrella").recruiter == bob
    assert Application.objects.get(candidate__email="ben@example.org").stage == Stage.SCREENING
    assert StageChange.objects.count() == 3


def test_importing_the_same_file_again_changes_nothing(tmp_path, alice, bob, now):
    path = write(tmp_path, ODD_CSV)
    import_sheet(path, at=now, recruiter=alice)
    before = [list(model.objects.order_by("pk").values()) for model in (Candidate, Job, Application, StageChange)]
    again = import_sheet(path, at=now, recruiter=alice)
    assert not again.written and again.bad == []
    assert again.counts["candidates"] == {"unchanged": 2} and again.counts["applications"] == {"unchanged": 3}
    assert [list(model.objects.order_by("pk").values()) for model in (Candidate, Job, Application, StageChange)] \
        == before


def test_a_changed_row_updates_its_record_and_moves_its_stage_through_the_rules(tmp_path, alice, bob, now):
    import_sheet(write(tmp_path, ODD_CSV), at=now, recruiter=alice)
    changed = ODD_CSV.replace("Offer Extended;31/10/2026", "Offer Accepted;13/11/2026").replace("Initech", "Hooli")
    result = import_sheet(write(tmp_path, changed, "v2.csv"), at=now, recruiter=alice)
    assert result.bad == [] and result.written
    assert result.counts["candidates"] == {"updated": 1, "unchanged": 1}
    assert result.counts["applications"] == {"updated": 1, "unchanged": 2}
    assert Candidate.objects.get(email="ben@example.org").current_employer == "Hooli"
    accepted = Application.objects.get(candidate__email="ana.lima@example.org", job__client__name="Globex")
    assert accepted.stage == Stage.ACCEPTED and accepted.accepted_at is not None
    assert list(accepted.stage_changes.values_list("to_stage", flat=True)) == [Stage.OFFER, Stage.ACCEPTED]
    assert Candidate.objects.count() == 2 and Application.objects.count() == 3


def test_a_file_with_a_bad_row_imports_nothing_unless_told_to_skip_it(tmp_path, alice, bob, now):
    text = ODD_CSV + "Cy Rex;not-an-email;;;;Globex;Backend Engineer;Nowhere Stage;99/99/2026;\r\n"
    result = import_sheet(write(tmp_path, text), at=now, recruiter=alice)
    assert not result.written and result.bad_rows == 1
    assert [str(bad) for bad in result.bad] == [
        "line 8, E-Mail Address: 'not-an-email' is not an e-mail address",
        "line 8, Pipeline Stage: 'Nowhere Stage' is not a stage Homestretch knows; add it to the stage names "
        "(back office, Spreadsheet import › Stage names) or fix the cell",
        "line 8, Date Moved: '99/99/2026' is not a date (month must be in 1..12)",
    ]
    assert not Candidate.objects.exists() and not Client.objects.exists()
    skipped = import_sheet(write(tmp_path, text), at=now, recruiter=alice, skip_bad=True)
    assert skipped.written and skipped.bad_rows == 1 and Application.objects.count() == 3


def test_a_move_the_rules_refuse_is_a_bad_row_and_nothing_is_written(tmp_path, alice, bob, now):
    import_sheet(write(tmp_path, ODD_CSV), at=now, recruiter=alice)
    back = ODD_CSV.replace("Offer Extended;31/10/2026", "Phone Screen;13/11/2026").replace("Initech", "Hooli")
    result = import_sheet(write(tmp_path, back, "back.csv"), at=now, recruiter=alice)
    assert not result.written and result.bad_rows == 1
    assert "cannot go back to Screening" in str(result.bad[0]) and str(result.bad[0]).startswith("line 2, Pipeline")
    assert Candidate.objects.get(email="ben@example.org").current_employer == "Initech"


def test_two_rows_that_disagree_about_a_candidate_are_bad(tmp_path, alice, now):
    text = ("Name,Email,Current Company\nAna,ana@example.org,Acme\nAna,ana@example.org,Globex\n")
    result = import_sheet(write(tmp_path, text), at=now, kind=Kind.CANDIDATES)
    assert [str(bad) for bad in result.bad] == [
        "line 3: gives this candidate other values than line 2 does; make them agree"]


def test_stage_names_of_the_table_win_over_the_defaults(tmp_path, alice, bob, now):
    StageName.objects.create(name="Offer Extended", normalised="offerextended", stage=Stage.VERIFICATION)
    import_sheet(write(tmp_path, ODD_CSV), at=now, recruiter=alice)
    assert Application.objects.get(job__client__name="Globex", candidate__name="Ana Lima").stage == Stage.VERIFICATION


def test_month_first_dates_are_read_month_first_and_ambiguous_ones_ask(tmp_path, alice, now):
    us = ("Name,Email,Client,Job,Stage,Stage Date\n"
          "Ana,a@x.org,Globex,Dev,Screen,10/31/2026\nBo,b@x.org,Globex,Dev,New,11/02/2026\n")
    result = import_sheet(write(tmp_path, us), at=now, recruiter=alice)
    assert result.date_order == DateOrder.MONTH_FIRST and result.bad == []
    assert Application.objects.get(candidate__email="b@x.org").stage_entered_at.date() == date(2026, 11, 2)
    ambiguous = us.replace("10/31/2026", "10/03/2026")
    with pytest.raises(ImportRefused, match="--date-format"):
        import_sheet(write(tmp_path, ambiguous, "a.csv"), at=now, recruiter=alice, dry_run=True)
    told = import_sheet(write(tmp_path, ambiguous, "a.csv"), at=now, recruiter=alice, dry_run=True,
                        date_format=DateOrder.DAY_FIRST)
    assert told.bad == [] and told.counts["applications"] == {"unchanged": 2}


def test_an_xlsx_workbook_with_excel_dates_and_a_dry_run(tmp_path, alice, now):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([])
    sheet.append(["First Name", "Last Name", "Email", "Company", "Title", "Status", "Applied On", "Salary"])
    sheet.append(["Ana", "Lima", "ana@example.org", "Globex", "Backend Engineer", "Interview",
                  datetime(2026, 10, 1), "61500 EUR"])
    sheet.append([None] * 8)
    sheet.append(["Bo", "Ek", "bo@example.org", "Globex", "Backend Engineer", "Hired", datetime(2026, 9, 1), None])
    book.save(tmp_path / "pipeline.xlsx")
    dry = import_sheet(tmp_path / "pipeline.xlsx", at=now, recruiter=alice, dry_run=True)
    assert dry.bad == [] and not dry.written and not Candidate.objects.exists()
    assert dry.counts["applications"] == {"created": 2} and dry.counts["jobs"] == {"created": 1}
    result = import_sheet(tmp_path / "pipeline.xlsx", at=now, recruiter=alice)
    assert result.written
    ana = Application.objects.get(candidate__name="Ana Lima")
    assert (ana.stage, ana.created_at.date()) == (Stage.INTERVIEWING, date(2026, 10, 1))
    hired = Application.objects.get(candidate__name="Bo Ek")
    assert hired.stage == Stage.STARTED and hired.closed_at is not None


def test_a_jobs_file_updates_by_client_and_title(tmp_path, now):
    first = "Client;Job Title;Salary Min;Salary Max\nGlobex;Backend Engineer;€60.000;€80.000\n"
    import_sheet(write(tmp_path, first), at=now)
    job = Job.objects.get()
    assert (job.base_min, job.base_max, job.currency) == (Decimal("60000"), Decimal("80000"), "EUR")
    result = import_sheet(write(tmp_path, first.replace("80.000", "85.000").replace("Globex", "GLOBEX")), at=now)
    assert result.counts["jobs"] == {"updated": 1} and Job.objects.get().base_max == Decimal("85000")


def test_a_bad_map_or_a_missing_column_refuses_the_file(tmp_path, now):
    path = write(tmp_path, "Mail,Company\nx@y.org,Acme\n")
    with pytest.raises(ImportRefused, match="candidate's name"):
        import_sheet(path, at=now, kind=Kind.CANDIDATES)
    with pytest.raises(ImportRefused, match="'nope' is not a field"):
        import_sheet(path, at=now, map_options=["Mail=nope"])


def test_an_admin_adds_a_stage_name_in_the_back_office_and_a_same_name_is_refused(client, ada):
    ada.is_staff = True
    ada.save()
    client.force_login(ada)
    url = "/admin/spreadsheets/stagename/add/"
    assert client.post(url, {"name": "  Offer   Extended ", "stage": "verification"}).status_code == 302
    assert StageName.objects.get().normalised == "offerextended"
    again = client.post(url, {"name": "offer-extended", "stage": "offer"})
    assert again.status_code == 200 and "is the same name" in again.content.decode()


def test_a_candidate_stored_with_capitals_in_the_e_mail_is_matched_not_duplicated(tmp_path, now):
    # Matched by e-mail as the unique index and pipeline.records.duplicates_of read it: without case.
    stored = Candidate.objects.create(name="Priya Raman", email="Priya.Raman@Example.org")
    text = "Name,Email,Phone\nPriya Raman,priya.raman@example.org,+49 151 1234\n"
    result = import_sheet(write(tmp_path, text), at=now, kind=Kind.CANDIDATES)
    assert result.bad == [] and result.counts["candidates"]["created"] == 0
    assert Candidate.objects.get().pk == stored.pk
    assert Candidate.objects.get().phone == "+49 151 1234"
