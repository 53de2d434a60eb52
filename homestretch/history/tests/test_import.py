"""`homestretch history import FILE.csv [--map "CSV column=field" ...] [--dry-run] [--skip-bad]`."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.history import importer
from homestretch.history.columns import OUTCOME_WORDS
from homestretch.history.importer import ImportInterrupted, ImportRefused, import_history
from homestretch.history.models import ImportBatch, PastOutcome

pytestmark = pytest.mark.django_db
runner = CliRunner()
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def write_csv(path: Path, rows: list[list[object]], *, delimiter: str = ",", bom: bool = False) -> Path:
    text = "\n".join(delimiter.join(str(value) for value in row) for row in rows) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def stored() -> list[dict[str, object]]:
    """Every past outcome as stored, for comparing before and after."""
    return [dict(row) for row in PastOutcome.objects.order_by("row_key").values()]


def run(path: Path, *options: str) -> tuple[int, str]:
    result = runner.invoke(app, ["history", "import", str(path), *options])
    return result.exit_code, " ".join(result.output.split())  # as words: the console wraps long lines


SIMPLE = [
    ["Ref", "Expected Salary", "Offered Salary", "Currency", "Notice Days", "Status", "Team mood"],
    ["A-1", "85000", "82000", "EUR", "30", "Joined", "good"],
    ["A-2", "90 000", "84000.50", "eur", "60", "Declined", "tense"],
]


# --- Columns and values ---------------------------------------------------------------------------


def test_known_columns_fill_their_fields_and_the_others_are_kept_as_extras(tmp_path):
    reading = import_history(write_csv(tmp_path / "past.csv", SIMPLE), at=AT)
    assert reading.mapping == {"Ref": "row_id", "Expected Salary": "expected_pay", "Offered Salary": "offered_pay",
                               "Currency": "currency", "Notice Days": "notice_days", "Status": "outcome"}
    first, second = PastOutcome.objects.order_by("row_key")
    assert (first.row_key, first.outcome, first.outcome_raw, first.expected_pay, first.offered_pay, first.currency,
            first.notice_days) == ("A-1", "hired", "Joined", Decimal("85000"), Decimal("82000"), "EUR", 30)
    assert (second.outcome, second.expected_pay, second.offered_pay, second.currency) == (
        "lost", Decimal("90000"), Decimal("84000.50"), "EUR")
    assert first.extra == {"Team mood": "good"} and second.extra == {"Team mood": "tense"}
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.rows_read, batch.rows_imported, batch.rows_skipped, batch.imported_at) == (
        "past.csv", 2, 2, 0, AT)
    assert batch.mapping == reading.mapping and len(batch.file_sha256) == 64
    assert first.batch == batch


def test_names_are_recognised_without_case_spacing_or_punctuation(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["  notice_PERIOD ", "days-to-accept", "OUTCOME", "years of experience"],
                                          ["30", "4", "hired", "6,5"]], delimiter=";")
    reading = import_history(path, at=AT)
    assert set(reading.mapping.values()) == {"notice_days", "days_to_accept", "outcome", "years_experience"}
    assert PastOutcome.objects.values_list("notice_days", "days_to_accept", "years_experience").get() == (
        30, 4, Decimal("6.50"))


@pytest.mark.parametrize(("outcome", "words"), list(OUTCOME_WORDS.items()))
def test_outcome_words(tmp_path, outcome, words):
    rows = [["Status", "n"], *[[word, i] for i, word in enumerate(words)]]
    import_history(write_csv(tmp_path / "o.csv", rows), at=AT)
    assert set(PastOutcome.objects.values_list("outcome", flat=True)) == {outcome}
    assert PastOutcome.objects.count() == len(words)


def test_joined_and_not_joined_are_told_apart(tmp_path):
    import_history(write_csv(tmp_path / "o.csv", [["Status", "n"], ["Joined", 1], ["Not Joined", 2],
                                                  ["NOT  JOINED", 3], ["no-show", 4]]), at=AT)
    assert list(PastOutcome.objects.order_by("extra__n").values_list("outcome", flat=True)) == [
        "hired", "lost", "lost", "lost"]


def test_semicolons_decimal_commas_and_a_byte_order_mark(tmp_path):
    path = write_csv(tmp_path / "excel.csv", [["Candidate Ref", "Percent hike offered in CTC", "Status"],
                                              ["7", "13,16", "Joined"], ["8", "-20,79", "Not Joined"]],
                     delimiter=";", bom=True)
    reading = import_history(path, at=AT)
    assert reading.mapping == {"Candidate Ref": "row_id", "Percent hike offered in CTC": "offered_raise_percent",
                               "Status": "outcome"}
    assert list(PastOutcome.objects.order_by("row_key").values_list("offered_raise_percent", flat=True)) == [
        Decimal("13.16"), Decimal("-20.79")]


def test_yes_no_dates_and_blanks(tmp_path):
    path = write_csv(tmp_path / "p.csv", [
        ["Status", "Joining Bonus", "Relocation", "DOJ Extended", "Decision Date", "Notice period", "Source"],
        ["hired", "Yes", "no", "TRUE", "2025-03-31", "", "  Employee   Referral "],
        ["lost", "", "", "", "31.12.2024", "", ""],
    ])
    import_history(path, at=AT)
    first, second = PastOutcome.objects.order_by("decided_on")
    assert (second.joining_bonus, second.relocation, second.start_date_extended, second.decided_on,
            second.source) == (True, False, True, date(2025, 3, 31), "Employee Referral")
    assert (first.joining_bonus, first.relocation, first.notice_days, first.decided_on) == (
        None, None, None, date(2024, 12, 31))


def test_placeholders_for_unknown_values_import_as_missing_not_as_bad_rows(tmp_path):
    path = write_csv(tmp_path / "p.csv", [
        ["Status", "Notice period", "Duration to accept offer", "Joining Bonus", "Percent hike offered in CTC"],
        ["Joined", "NA", "?", "n/a", "unknown"],
        ["Not Joined", "30", " N/A ", "#N/A", "-"],
    ])
    import_history(path, at=AT)
    assert list(PastOutcome.objects.order_by("outcome").values_list(
        "outcome", "notice_days", "days_to_accept", "joining_bonus", "offered_raise_percent")) == [
        ("hired", None, None, None, None), ("lost", 30, None, None, None)]


# --- --map ----------------------------------------------------------------------------------------


def test_map_overrides_a_recognised_name(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Status", "Result", "Notice"], ["active", "Declined", "14"]])
    reading = import_history(path, map_options=["Result=outcome", "Status=extra"], at=AT)
    assert reading.mapping == {"Result": "outcome", "Notice": "notice_days"}
    row = PastOutcome.objects.get()
    assert (row.outcome, row.extra) == ("lost", {"Status": "active"})


def test_map_gives_an_unrecognised_column_its_field(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Fate", "Kündigungsfrist"], ["joined", "90"]])
    import_history(path, map_options=["fate=outcome", "Kündigungsfrist=notice_days"], at=AT)
    assert PastOutcome.objects.values_list("outcome", "notice_days", "extra").get() == ("hired", 90, {})


@pytest.mark.parametrize(("options", "message"), [
    (["Notice=notice_weeks"], "'notice_weeks' is not a field; the fields are row_id, outcome"),
    (["Nope=notice_days"], "--map names the column 'Nope', which is not in the file"),
    (["Notice"], 'should read "CSV column=field"'),
    (["Status=outcome", "Notice=outcome"], "--map gives the field outcome to two columns: Status and Notice"),
])
def test_a_bad_map_is_refused_before_anything_is_read(tmp_path, options, message):
    path = write_csv(tmp_path / "p.csv", [["Status", "Notice"], ["joined", "30"]])
    with pytest.raises(ImportRefused) as refused:
        import_history(path, map_options=options, at=AT)
    assert message in str(refused.value)
    assert not PastOutcome.objects.exists()
    code, output = run(path, *[part for option in options for part in ("--map", option)])
    assert code == 2 and "Error:" in output


def test_two_columns_looking_like_one_field_ask_for_a_map(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Status", "Outcome"], ["joined", "joined"]])
    with pytest.raises(ImportRefused, match='both look like outcome; say which with --map "Status=outcome"'):
        import_history(path, at=AT)
    import_history(path, map_options=["Outcome=outcome"], at=AT)
    assert PastOutcome.objects.get().extra == {"Status": "joined"}


def test_a_file_without_an_outcome_column_is_refused(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Name", "Notice"], ["x", "30"]])
    with pytest.raises(ImportRefused, match='No column holds the outcome.*--map "COLUMN=outcome"'):
        import_history(path, at=AT)


def test_a_file_that_is_not_utf8_is_refused_with_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Status,City\njoined,Köln\n".encode("latin-1"))
    with pytest.raises(ImportRefused, match="not UTF-8 text \\(first odd byte on line 2\\)"):
        import_history(path, at=AT)


# --- Bad rows -------------------------------------------------------------------------------------

WITH_BAD_ROWS = [
    ["Candidate Ref", "Notice period", "Status", "Currency"],
    ["1", "30", "Joined", "EUR"],
    ["2", "soon", "Joined", "EUR"],
    ["3", "30", "maybe", "EUR"],
    ["4", "45", "Not Joined", "euros"],
    ["5", "60", "Not Joined", "EUR"],
]


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_imported(tmp_path):
    path = write_csv(tmp_path / "bad.csv", WITH_BAD_ROWS)
    reading = import_history(path, at=AT)
    assert [str(bad) for bad in reading.bad] == [
        "line 3, Notice period: 'soon' is not a number of days",
        "line 4, Status: 'maybe' is not an outcome (hired: joined, hired, started...; lost: not joined, declined...)",
        "line 5, Currency: 'euros' is not a three-letter currency code such as EUR",
    ]
    assert reading.batch is None and not PastOutcome.objects.exists() and not ImportBatch.objects.exists()
    code, output = run(path)
    assert code == 1
    assert "line 3, Notice period: 'soon' is not a number of days" in output
    assert "Nothing imported: 3 bad rows (fix them, or import the 2 good new rows with --skip-bad)." in output
    assert not PastOutcome.objects.exists()


def test_skip_bad_imports_the_good_rows_and_reports_the_bad(tmp_path):
    path = write_csv(tmp_path / "bad.csv", WITH_BAD_ROWS)
    code, output = run(path, "--skip-bad")
    assert code == 0, output
    assert sorted(PastOutcome.objects.values_list("row_key", flat=True)) == ["1", "5"]
    assert ImportBatch.objects.values_list("rows_read", "rows_imported", "rows_skipped").get() == (5, 2, 3)
    assert "line 5, Currency: 'euros'" in output
    assert "Imported 2 as batch" in output and "3 skipped as bad" in output


def test_a_row_with_too_few_values_an_empty_id_or_a_repeated_id_is_bad(tmp_path):
    path = write_csv(tmp_path / "p.csv", [["Candidate Ref", "Status", "City"], ["1", "joined", "Pune"],
                                          ["2", "joined"], [" ", "joined", "Pune"], ["1", "lost", "Pune"]])
    reading = import_history(path, at=AT)
    assert [str(bad) for bad in reading.bad] == [
        "line 3: has 2 values where the header has 3 columns",
        "line 4, Candidate Ref: '' is empty: the id column needs a value on every row",
        "line 5, Candidate Ref: '1' is also the id of line 2",
    ]


def test_a_quoted_value_over_two_lines_keeps_the_spreadsheet_line_numbers(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('Status,Notes\njoined,"two\nlines"\nlost,\nnope,x\n')
    reading = import_history(path, at=AT)
    assert [bad.line for bad in reading.bad] == [4]


# --- Dry run and re-import ------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "p.csv", SIMPLE)
    import_history(path, at=AT)
    before = stored()
    more = write_csv(tmp_path / "more.csv", [*SIMPLE, ["A-3", "70000", "", "EUR", "x", "Joined", ""],
                                             ["A-4", "70000", "", "EUR", "", "Joined", ""]])
    code, output = run(more, "--dry-run")
    assert code == 1  # it would be refused: a bad row without --skip-bad
    assert "Dry run, nothing written: 1 new would be imported with --skip-bad, 2 already imported, 1 bad." in output
    code, output = run(more, "--dry-run", "--skip-bad", "--format", "json")
    assert code == 0
    summary = json.loads(runner.invoke(app, ["history", "import", str(more), "--dry-run", "--skip-bad",
                                             "--format", "json"]).stdout)
    assert (summary["new"], summary["imported"], summary["already_imported"], summary["bad_rows"]) == (1, 0, 2, 1)
    assert stored() == before and ImportBatch.objects.count() == 1


@pytest.mark.parametrize("with_id", [True, False], ids=["id column", "no id column"])
def test_importing_the_same_file_again_changes_nothing(tmp_path, with_id):
    rows = SIMPLE if with_id else [row[1:] for row in SIMPLE]
    path = write_csv(tmp_path / "p.csv", rows)
    first = import_history(path, at=AT)
    before = stored()
    assert len(before) == 2 and first.new == 2
    again = import_history(path, at=datetime(2026, 11, 21, tzinfo=UTC))
    assert (again.new, again.already_there, again.batch) == (0, 2, None)
    assert stored() == before and ImportBatch.objects.count() == 1
    code, output = run(path)
    assert code == 0 and "Imported 0, 2 already imported." in output


def test_without_an_id_the_key_ignores_column_order_and_spacing_but_not_values(tmp_path):
    import_history(write_csv(tmp_path / "a.csv", [["Status", "City"], ["joined", "Pune"], ["lost", "Pune"]]), at=AT)
    reordered = write_csv(tmp_path / "b.csv", [["city", "STATUS"], [" Pune", "joined "], ["Delhi", "lost"]])
    reading = import_history(reordered, at=AT)
    assert (reading.already_there, reading.new) == (1, 1)
    assert PastOutcome.objects.count() == 3


def test_without_an_id_a_row_repeated_in_the_file_is_imported_once(tmp_path):
    reading = import_history(write_csv(tmp_path / "a.csv", [["Status"], ["joined"], ["joined"], ["lost"]]), at=AT)
    assert (reading.new, reading.repeated) == (2, 1)


def test_an_id_already_imported_is_never_altered(tmp_path):
    import_history(write_csv(tmp_path / "a.csv", [["Ref", "Status"], ["X", "joined"]]), at=AT)
    reading = import_history(write_csv(tmp_path / "b.csv", [["Ref", "Status"], ["X", "lost"]]), at=AT)
    assert reading.already_there == 1
    assert PastOutcome.objects.get().outcome == "hired"


def test_a_failure_half_way_keeps_the_batches_written_and_importing_again_imports_the_rest(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "p.csv", [["Status", "n"], *[["joined", i] for i in range(50)]])
    monkeypatch.setattr(importer, "WRITE_BATCH", 10)
    original = PastOutcome.objects.bulk_create
    calls, failing = [], [3]

    def fail_in_the_third_batch(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) in failing:
            original(objs[:5], **kwargs)  # part of the batch written, then the database fails
            raise OperationalError("disk I/O error")
        return original(objs, **kwargs)

    monkeypatch.setattr(PastOutcome.objects, "bulk_create", fail_in_the_third_batch)
    with pytest.raises(ImportInterrupted, match="Stopped after importing 20 of 50 new rows as batch .*: disk I/O "
                                                "error. Run the same import again to import the rest"):
        import_history(path, at=AT)
    # The third batch's transaction rolled back whole; the two before it stay, and their batch says so.
    assert PastOutcome.objects.count() == 20 == ImportBatch.objects.get().rows_imported
    calls.clear()
    failing[:] = [1]
    code, output = run(path)
    assert code == 3 and "Error: Stopped after importing 0 of 30 new rows: disk I/O error." in output
    monkeypatch.undo()
    again = import_history(path, at=AT)
    assert (again.already_there, again.imported) == (20, 30)
    assert sorted(int(n) for n in PastOutcome.objects.values_list("extra__n", flat=True)) == list(range(50))
    assert list(ImportBatch.objects.order_by("id").values_list("rows_imported", flat=True)) == [20, 30]


# --- The HR analytics data set's shape, and a large file ------------------------------------------

HR_HEADER = ["SLNO", "Candidate Ref", "DOJ Extended", "Duration to accept offer", "Notice period", "Offered band",
             "Pecent hike expected in CTC", "Percent hike offered in CTC", "Percent difference CTC", "Joining Bonus",
             "Candidate relocate actual", "Gender", "Candidate Source", "Rex in Yrs", "LOB", "Location", "Age",
             "Status"]


def hr_rows(n: int, seed: int = 8) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = [list(HR_HEADER)]
    for i in range(n):
        expected = round(rng.uniform(-20, 80), 2)
        offered = round(expected + rng.uniform(-15, 30), 2)
        rows.append([
            i + 1, 2_110_000 + i, rng.choice(["Yes", "No"]), rng.randint(0, 60), rng.choice([0, 30, 45, 60, 75]),
            rng.choice(["E0", "E1", "E2", "E3"]), expected, offered, round(offered - expected, 2),
            rng.choice(["Yes", "No"]), rng.choice(["Yes", "No"]), rng.choice(["Male", "Female"]),
            rng.choice(["Agency", "Employee Referral", "Direct"]), rng.randint(0, 20),
            rng.choice(["ERS", "INFRA", "BFSI", "CSMP", "ETS"]), rng.choice(["Noida", "Chennai", "Bangalore"]),
            rng.randint(21, 55), rng.choice(["Joined", "Joined", "Not Joined"]),
        ])
    return rows


def test_the_hr_analytics_file_imports_with_every_column_recognised(tmp_path):
    rows = hr_rows(50)
    reading = import_history(write_csv(tmp_path / "hr.csv", rows), at=AT)
    assert reading.mapping == {
        "Candidate Ref": "row_id", "DOJ Extended": "start_date_extended", "Duration to accept offer": "days_to_accept",
        "Notice period": "notice_days", "Pecent hike expected in CTC": "expected_raise_percent",
        "Percent hike offered in CTC": "offered_raise_percent", "Joining Bonus": "joining_bonus",
        "Candidate relocate actual": "relocation", "Candidate Source": "source", "Rex in Yrs": "years_experience",
        "LOB": "business_line", "Location": "location", "Status": "outcome",
    }
    # Protected attributes are kept as any other column, in extra; learning decides what they serve.
    assert reading.extra_columns == ["SLNO", "Offered band", "Percent difference CTC", "Gender", "Age"]
    assert PastOutcome.objects.count() == 50 and not reading.bad
    first = PastOutcome.objects.get(row_key=str(rows[1][1]))
    line = dict(zip(HR_HEADER, rows[1], strict=True))
    assert first.outcome == ("hired" if line["Status"] == "Joined" else "lost")
    assert first.expected_raise_percent == Decimal(str(line["Pecent hike expected in CTC"])).quantize(Decimal("0.01"))
    assert (first.notice_days, first.days_to_accept, first.start_date_extended) == (
        line["Notice period"], line["Duration to accept offer"], line["DOJ Extended"] == "Yes")
    assert (first.source, first.business_line, first.location, first.years_experience) == (
        line["Candidate Source"], line["LOB"], line["Location"], Decimal(line["Rex in Yrs"]))
    assert first.extra == {"SLNO": "1", "Offered band": line["Offered band"],
                           "Percent difference CTC": str(line["Percent difference CTC"]),
                           "Gender": line["Gender"], "Age": str(line["Age"])}


def test_a_large_file_imports_with_a_bounded_number_of_queries(tmp_path, django_assert_max_num_queries):
    n = 20_000
    path = write_csv(tmp_path / "large.csv", hr_rows(n))
    sample = [PastOutcome(row_key="x", outcome="hired", extra={})]
    fields = [f for f in PastOutcome._meta.concrete_fields if not f.primary_key]
    per_insert = min(importer.INSERT_BATCH, connection.ops.bulk_batch_size(fields, sample))
    per_lookup = min(importer.LOOKUP_CHUNK, connection.features.max_query_params or importer.LOOKUP_CHUNK)
    # Per write batch, its inserts (45 rows each on SQLite), the batch's count and its transaction (a
    # savepoint in a test); one lookup per chunk of keys; a few more: about 170 queries on PostgreSQL,
    # about 590 on SQLite. One a row would be 20,000.
    batches = math.ceil(n / importer.WRITE_BATCH)
    bound = batches * (math.ceil(importer.WRITE_BATCH / per_insert) + 3) + math.ceil(n / per_lookup) + 10
    with django_assert_max_num_queries(bound):
        reading = import_history(path, at=AT)
    assert reading.new == n and PastOutcome.objects.count() == n
    with django_assert_max_num_queries(math.ceil(n / per_lookup) + 5):
        again = import_history(path, at=AT)
    assert again.already_there == n and PastOutcome.objects.count() == n
