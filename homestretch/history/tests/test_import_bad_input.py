"""No file makes the history import crash, and it takes only what the API and the forms take
(issue 15, item 11): every bad row is reported by its line, with the model's rules and the bounds of
lib/limits.py; history may be older than live records (from 1970), never further ahead than them."""

from __future__ import annotations

import csv
import io
import string
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homestretch.history import importer
from homestretch.history.importer import ImportRefused, Reading, import_history
from homestretch.history.models import ImportBatch, PastOutcome, check_decided_on

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # three years ahead: 2029-11-20

HEADER = ["Ref", "Status", "Currency", "Expected Salary", "Decision Date", "Notice period", "Source", "Mood"]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def test_values_the_api_refuses_are_bad_rows_reported_by_line_and_column(tmp_path):
    path = write_rows(tmp_path / "past.csv", [
        HEADER,
        ["A-1", "Joined", "EUR", "85000", "2025-03-31", "30", "Agency", "good"],
        ["A-2", "Joined", "XXX", "85000", "", "", "", ""],
        ["A-3", "Joined", "", "", "0001-01-01", "", "", ""],
        ["A-4", "Joined", "", "", "9999-12-31", "", "", ""],
        ["A-5", "Joined", "", "", "", "99999", "", ""],
        ["A-6", "Joined", "EUR", "1e30", "", "", "", ""],
        ["A-7", "Joined", "EUR", "10000000000", "", "", "", ""],
        ["A-8", "Joined", "", "", "", "", "Age\x00ncy", ""],
        ["A-9", "Joined", "", "", "", "", "", "te\x00nse"],
        ["A-10", "Joined", "EUR", "9999999999", "1970-01-01", "365", "", ""],
        ["A-11", "Joined", "", "", "2029-11-20", "", "", ""],
        ["A-12", "Joined", "", "", "2029-11-21", "", "", ""],
        ["A-13", "Joined", "", "", "1969-12-31", "366", "", ""],
    ])
    reading = import_history(path, skip_bad=True, at=AT)
    assert [(bad.line, bad.column) for bad in reading.bad] == [
        (3, "Currency"), (4, "Decision Date"), (5, "Decision Date"), (6, "Notice period"),
        (7, "Expected Salary"), (8, "Expected Salary"), (9, "Source"), (10, "Mood"), (13, "Decision Date"),
        (14, "Notice period"), (14, "Decision Date"),
    ]
    said = [str(bad) for bad in reading.bad]
    assert said[0] == "line 3, Currency: 'XXX' is not an ISO 4217 currency code such as EUR or USD"
    assert said[1].startswith("line 4, Decision Date: '0001-01-01' is refused: Give a date between 1970-01-01 "
                              "and 2029-11-20")
    assert "A notice period is at most 365 days" in said[3]
    assert said[4] == "line 7, Expected Salary: '1e30' is too large"
    assert "An amount is at most 9,999,999,999" in said[5]
    assert said[6] == "line 9, Source: 'Age\x00ncy' holds a NUL character, which cannot be stored"
    assert reading.bad_rows == 10
    imported = dict(PastOutcome.objects.values_list("row_key", "decided_on"))
    assert imported == {"A-1": date(2025, 3, 31), "A-10": date(1970, 1, 1), "A-11": date(2029, 11, 20)}
    assert PastOutcome.objects.get(row_key="A-10").expected_pay == Decimal("9999999999")
    assert ImportBatch.objects.values_list("rows_read", "rows_imported", "rows_skipped").get() == (13, 3, 10)


def test_a_value_over_the_csv_field_limit_is_a_bad_row_and_the_lines_after_it_keep_their_numbers(tmp_path):
    huge = "x" * 200_000  # csv's field limit is 131,072 characters
    path = tmp_path / "past.csv"
    path.write_text(f'Status,Notes\njoined,{huge}\nlost,"{huge}"\njoined,short\nnope,x\n')
    reading = import_history(path, skip_bad=True, at=AT)
    assert [str(bad) for bad in reading.bad] == [
        "line 2: has a value longer than 131,072 characters",
        "line 3: has a value longer than 131,072 characters",
        "line 5, Status: 'nope' is not an outcome (hired: joined, hired, started...; lost: not joined, declined...)",
    ]
    assert list(PastOutcome.objects.values_list("extra", flat=True)) == [{"Notes": "short"}]


def test_a_record_past_the_record_limit_is_a_bad_row_never_held_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_RECORD_CHARS", 1_000)
    path = tmp_path / "past.csv"
    many_values = ",".join(["1"] * 800)
    path.write_text(f"Status,Notes\njoined,{many_values}\nlost,fine\njoined,\"never closed\n" + "x\n" * 600)
    reading = import_history(path, skip_bad=True, at=AT)
    assert [str(bad) for bad in reading.bad][:2] == [
        "line 2: is longer than 1,000 characters", "line 4: is longer than 1,000 characters",
    ]
    assert PastOutcome.objects.get().extra == {"Notes": "fine"}


def test_a_header_with_a_nul_character_refuses_the_file(tmp_path):
    path = tmp_path / "past.csv"
    path.write_bytes(b"Status,No\x00tes\njoined,x\n")
    with pytest.raises(ImportRefused, match="holds a NUL character"):
        import_history(path, at=AT)


def test_bad_values_are_listed_up_to_a_bound_and_every_bad_row_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BAD_KEPT", 5)
    path = write_rows(tmp_path / "past.csv", [["Status", "Notice period"], *[["maybe", "soon"]] * 4])
    reading = import_history(path, at=AT)
    assert (reading.bad_rows, len(reading.bad)) == (4, 5)
    assert [bad.line for bad in reading.bad] == [2, 2, 3, 3, 4]


# --- Any file at all ------------------------------------------------------------------------------

# Lines that make the file reach the rows (a header naming the outcome), or not.
HEADERS = ["", "Status\n", "Ref,Status,Notice period,Decision Date,Currency,Offered Pay,Mood\n",
           "Candidate Ref;Status;Rex in Yrs;Percent hike offered in CTC\n", "\ufeffOutcome\tCity\n"]
CSV_ALPHABET = string.printable + "\x00\u00a0\u202f€é\u2028\ufeff\ud7ff"


def checked(reading: Reading, lines: int) -> None:
    """What every import says of a file, whatever it holds."""
    assert all(2 <= bad.line <= lines + 1 for bad in reading.bad), reading.bad
    assert reading.bad_rows + reading.new + reading.already_there + reading.repeated == reading.rows_read
    assert reading.bad_rows == len({bad.line for bad in reading.bad})
    assert PastOutcome.objects.count() == reading.imported == (reading.new if reading.batch else 0)
    for outcome in PastOutcome.objects.all():
        outcome.full_clean(exclude=["batch"], validate_unique=False, validate_constraints=False)
        check_decided_on(outcome.decided_on, now=AT)


def import_anything(path: Path, data: bytes, *, skip_bad: bool) -> None:
    path.write_bytes(data)
    with transaction.atomic():
        try:
            reading = import_history(path, skip_bad=skip_bad, at=AT)
        except ImportRefused:
            assert not PastOutcome.objects.exists()
        else:
            checked(reading, data.count(b"\n") + data.count(b"\r") + 1)
        transaction.set_rollback(True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from(HEADERS), body=st.binary(max_size=600) | st.text(CSV_ALPHABET, max_size=600).map(
    str.encode), skip_bad=st.booleans())
def test_any_bytes_import_or_are_refused_never_a_crash(tmp_path, header, body, skip_bad):
    import_anything(tmp_path / "any.csv", header.encode() + body, skip_bad=skip_bad)


# Values as they come in spreadsheets, good and bad, and the ones that used to crash or slip through.
EDGES = ["", "NA", "?", "1e30", "-1e30", "1e999999999", "1e-999999999", "0e999999999", "NaN", "Infinity", "sNaN",
         "9999999999", "10000000000", "99999", "365", "366", "-3", "12,5", "1.234,56", "85 000", "0001-01-01",
         "9999-12-31", "1970-01-01", "1969-12-31", "2029-11-20", "2029-11-21", "29/02/2028", "31.04.2025", "XXX",
         "eur", "DEM", "joined", "Not Joined", "maybe", "yes", "x" * 250, "a\x00b", '"', "\n", "\r", "\ufeff"]
cells = st.sampled_from(EDGES) | st.text(CSV_ALPHABET, max_size=12) | st.integers(-10**6, 10**6).map(str)
ROW_HEADER = ["Ref", "Status", "Notice period", "Decision Date", "Currency", "Offered Pay", "Rex in Yrs",
              "Joining Bonus", "Source", "Mood"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=len(ROW_HEADER) - 1, max_size=len(ROW_HEADER) + 1), max_size=25),
       with_id=st.booleans())
def test_any_rows_import_the_good_and_report_the_bad_by_line(tmp_path, rows, with_id):
    header = ROW_HEADER if with_id else ROW_HEADER[1:]
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    import_anything(tmp_path / "rows.csv", text.getvalue().encode(), skip_bad=True)
