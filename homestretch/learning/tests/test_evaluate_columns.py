"""Reading a history: column types, placeholders, identifiers, protected names, leaks, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from homestretch.learning.columns import (
    Kind,
    UnreadableFile,
    clean_strings,
    parse_numbers,
    profile_column,
    read_csv,
)
from homestretch.learning.evaluate import (
    NoUsableColumn,
    OneClassOnly,
    PositiveValueNotFound,
    TooFewRows,
    UnknownColumn,
    evaluate,
    prepare_history,
)
from homestretch.learning.leaks import AFTER_DECISION, after_outcome_by_name, dates_after_decision, pure_values
from homestretch.learning.protected import audit_groups, protected_attribute


def column(*values) -> pd.Series:
    return clean_strings(pd.DataFrame({"c": [str(v) for v in values]}))["c"]


def test_placeholders_become_missing_whatever_their_case():
    cleaned = column("", "NA", "n/a", "N.A.", "-", "?", "null", "None", "UNKNOWN", "#N/A", " 12 ", "nan")
    assert cleaned.isna().tolist() == [True] * 10 + [False, True]
    assert cleaned.iloc[10] == "12"


@pytest.mark.parametrize(("values", "expected"), [
    (["12,5", "3,25", "7"], [12.5, 3.25, 7.0]),
    (["1,200", "15,000", "950"], [1200.0, 15000.0, 950.0]),
    (["1.200,50", "3,5", "12"], [1200.5, 3.5, 12.0]),
    (["45%", "12.5 %", "-3%"], [45.0, 12.5, -3.0]),
    (["€ 3 000", "2 500", "EUR 1000"], [3000.0, 2500.0, 1000.0]),
])
def test_numbers_as_people_write_them(values, expected):
    assert parse_numbers(column(*values)).tolist() == expected


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_numbers_with_thousands_separators_read_back(number):
    assert parse_numbers(column(f"{number:,}", "0.5")).iloc[0] == number


@given(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False))
def test_decimal_commas_read_back(number):
    written = f"{number:.2f}".replace(".", ",")
    assert parse_numbers(column(written, "1")).iloc[0] == pytest.approx(float(number))


@pytest.mark.parametrize(("values", "kind"), [
    (["Yes", "no", "YES", "", "No"], Kind.yes_no),
    (["y", "n", "n"], Kind.yes_no),
    (["TRUE", "false"], Kind.yes_no),
    (["1", "0", "0", "1"], Kind.yes_no),
    (["1", "0", "2"], Kind.number),
    (["2025-01-31", "2024-12-01", "NA"], Kind.date),
    (["31/01/2025", "13/12/2024"], Kind.date),
    (["Agency", "Direct", "Agency", "?"], Kind.category),
    (["", "NA", "-"], Kind.empty),
    (["Chennai", "Chennai", "n/a"], Kind.constant),
])
def test_column_kinds(values, kind):
    assert profile_column("c", column(*values)).kind == kind


def test_dates_become_days_and_day_first_is_preferred_when_both_read():
    profile = profile_column("Offer sent", column("02/03/2025", "04/05/2025", "31/12/2024"))
    assert profile.date_format == "%d/%m/%Y"
    assert profile.values.iloc[0] == (pd.Timestamp("2025-03-02") - pd.Timestamp("1970-01-01")).days


def test_identifiers_unique_strings_serials_and_references_but_not_amounts():
    rng = np.random.default_rng(0)
    assert profile_column("Candidate", column(*[f"C{n}" for n in rng.permutation(50)])).kind == Kind.identifier
    assert profile_column("No", column(*rng.permutation(np.arange(100, 150)))).kind == Kind.identifier
    assert profile_column("Ref", column(*rng.choice(10**6, 50, replace=False))).kind == Kind.identifier
    salaries = rng.choice(np.arange(40_000, 90_000), 50, replace=False)
    assert profile_column("Base salary", column(*salaries)).kind == Kind.number
    assert profile_column("Pay", column(*rng.normal(0, 1, 50).round(4))).kind == Kind.number


@pytest.mark.parametrize(("name", "attribute"), [
    ("Candidate Gender", "gender"), ("SEX", "gender"), ("Age", "age"), ("age_band", "age"),
    ("DOB", "date of birth"), ("Date of Birth", "date of birth"), ("birthYear", "date of birth"),
    ("marital_status", "marital status"), ("Ethnicity", "ethnicity"), ("Nationality", "nationality"),
    ("Religion", "religion"), ("Disability", "disability"), ("Number of children", "family status"),
    ("Agency", None), ("Percentage", None), ("Stage", None), ("Notice period", None), ("Health insurance", None),
])
def test_protected_attributes_are_recognised_by_name(name, attribute):
    assert protected_attribute(name) == attribute


@pytest.mark.parametrize(("name", "leaks"), [
    ("Date of joining", True), ("Joining date", True), ("Joined", True), ("Status", True), ("Outcome", True),
    ("Reason for declining", True), ("Exit date", True), ("Reneged", True), ("Hired", True),
    ("Candidate relocate actual", True), ("DOJ Extended", False), ("Duration to accept offer", False),
    ("Hiring manager", False), ("Notice period", False),
])
def test_names_known_only_after_the_outcome(name, leaks):
    assert (after_outcome_by_name(name) is not None) == leaks


def test_a_strong_honest_predictor_is_not_a_leak_but_a_giveaway_is():
    rng = np.random.default_rng(1)
    outcome = (rng.random(400) < 0.3).astype(int)
    honest = np.where(rng.random(400) < np.where(outcome == 1, 0.7, 0.3), "Agency", "Direct")
    assert pure_values(profile_column("Source", column(*honest)), outcome) is None
    # Filled only for the candidates who started: missing says "lost" in 30 % of rows.
    started_on = np.where(outcome == 0, "2025-01-0" + pd.Series(rng.integers(1, 9, 400)).astype(str), "")
    assert pure_values(profile_column("Start", column(*started_on)), outcome) is not None


def test_dates_after_the_decision_date_leak_but_planned_dates_do_not():
    decided = [f"2025-03-{day:02d}" for day in range(1, 29)]
    profiles = {
        "Decision date": profile_column("Decision date", column(*decided)),
        "First payslip": profile_column("First payslip", column(*[f"2025-05-{day:02d}" for day in range(1, 29)])),
        "Offer sent": profile_column("Offer sent", column(*[f"2025-02-{day:02d}" for day in range(1, 29)])),
    }
    found = dates_after_decision(profiles)
    assert list(found) == ["First payslip"]
    assert found["First payslip"].kind == AFTER_DECISION
    assert found["First payslip"].detail == (
        "later than 'Decision date' in 100% of the 28 rows where both are known, so known only after the decision"
    )


def test_age_groups_are_readable_and_missing_is_its_own_group():
    profile = profile_column("Age", column(*range(22, 62), "", "?"))
    groups, order = audit_groups(profile)
    assert order == ["<30", "30–39", "40–49", "50+", "missing"]
    assert groups.value_counts().to_dict() == {"<30": 8, "30–39": 10, "40–49": 10, "50+": 12, "missing": 2}


def test_read_csv_tolerates_a_bom_and_semicolons(tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_bytes("\ufeffStatus;Hike\nJoined;12,5\nNot Joined;NA\n".encode())
    frame = read_csv(path)
    assert list(frame.columns) == ["Status", "Hike"]
    assert frame["Hike"].tolist() == ["12,5", None]


def small(tmp_path, **columns) -> str:
    path = tmp_path / "small.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    return str(path)


def test_unknown_target_lists_the_columns(tmp_path):
    path = small(tmp_path, Status=["Joined", "Lost"], Pay=[1, 2])
    with pytest.raises(UnknownColumn, match=r"target 'Outcome' is not a column of the file; columns: Status, Pay"):
        evaluate(path, "Outcome", "Lost")


def test_unknown_keep_or_protected_column_is_named(tmp_path):
    path = small(tmp_path, Status=["Joined", "Lost"], Pay=[1, 2])
    with pytest.raises(UnknownColumn, match=r"--keep 'Bonus' is not a column"):
        evaluate(path, "Status", "Lost", keep=("Bonus",))
    with pytest.raises(UnknownColumn, match=r"--protected 'Religion' is not a column"):
        evaluate(path, "Status", "Lost", protected=("Religion",))


def test_positive_value_not_found_lists_the_values_seen(tmp_path):
    path = small(tmp_path, Status=["Joined", "Not Joined", "Joined", "NA"], Pay=[1, 2, 3, 4])
    with pytest.raises(PositiveValueNotFound, match=r"values seen in 'Status': 'Joined' \(2\), 'Not Joined' \(1\)"):
        evaluate(path, "Status", "Declined")


def test_positive_value_matches_whatever_its_case(tmp_path):
    path = small(tmp_path, Status=["Joined", "Not Joined"] * 6, Pay=list(range(12)))
    assert prepare_history(path, "Status", "not joined", folds=3).positive == "Not Joined"


def test_only_one_class(tmp_path):
    path = small(tmp_path, Status=["Lost"] * 10, Pay=list(range(10)))
    with pytest.raises(OneClassOnly, match=r"every row with a Status has Status = 'Lost'"):
        evaluate(path, "Status", "Lost")


def test_fewer_rows_of_a_class_than_folds(tmp_path):
    path = small(tmp_path, Status=["Lost"] * 3 + ["Won"] * 20, Pay=list(range(23)))
    with pytest.raises(TooFewRows, match=r"only 3 row\(s\) with Status = 'Lost'; 5-fold cross-validation needs"):
        evaluate(path, "Status", "Lost", folds=5)


def test_unreadable_file(tmp_path):
    with pytest.raises(UnreadableFile, match=r"cannot read .*missing\.csv"):
        evaluate(tmp_path / "missing.csv", "Status", "Lost")
    binary = tmp_path / "sheet.csv"
    binary.write_bytes(b"PK\x03\x04\xff\xfe\x00binary")
    with pytest.raises(UnreadableFile, match=r"is not UTF-8 text"):
        evaluate(binary, "Status", "Lost")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("Status,Pay\nLost,1\nWon,2,3\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"ragged\.csv is not a readable CSV file: .*Expected 2 fields in line 3"):
        evaluate(ragged, "Status", "Lost")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"empty\.csv is empty"):
        evaluate(empty, "Status", "Lost")


def test_no_usable_column_left_says_why_each_went(tmp_path):
    path = small(tmp_path, Status=["Lost", "Won"] * 15, Gender=["F", "M"] * 15, Row=list(range(1, 31)),
                 Region=["North"] * 30)
    with pytest.raises(NoUsableColumn, match=(
        r"no column is left to learn from \(Gender: protected attribute \(gender\): never a predictor, used only "
        r"in the fairness audit; Row: identifier: a serial number \(one more each row\); "
        r"Region: the same value \('North'\)"
    )):
        evaluate(path, "Status", "Lost", folds=2)
