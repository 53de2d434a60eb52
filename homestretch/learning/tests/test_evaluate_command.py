"""`homestretch model evaluate --csv FILE --target COLUMN --positive VALUE …`: output and errors.

No `db` fixture anywhere here: pytest-django refuses database access, so these tests also prove
that the command never touches the database.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.learning.evaluate import ISSUE_KEYS

from .histories import hr_analytics_history, write

runner = CliRunner()


@pytest.fixture(scope="module")
def hr_csv(tmp_path_factory):
    return write(hr_analytics_history(rows=240), tmp_path_factory.mktemp("hr") / "hr.csv")


def run(*args: str):
    return runner.invoke(app, ["model", "evaluate", *args])


def test_json_output(hr_csv):
    result = run("--csv", str(hr_csv), "--target", "Status", "--positive", "Not Joined", "--folds", "3",
                 "--format", "json", "--keep", "Candidate relocate actual")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [*ISSUE_KEYS, "rows_without_target", "kept_columns"]
    assert data["n"] == 240
    assert "Candidate relocate actual" in data["used_columns"]
    assert {item["column"] for item in data["excluded_columns"]} == {"SLNO", "Candidate Ref", "Gender", "Age"}


def test_table_output_reads_as_a_summary(hr_csv):
    result = run("--csv", str(hr_csv), "--target", "Status", "--positive", "Not Joined", "--folds", "3",
                 "--protected", "Location")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "240 rows, loss = Status is 'Not Joined'" in out
    assert "ROC AUC" in out and "Brier score" in out
    for title in ("Columns left out", "Strongest predictors", "Calibration", "Fairness audit"):
        assert title in out
    assert "named with --protected" in out
    assert "Location" in out.split("Fairness audit")[1]


@pytest.mark.parametrize(("args", "message"), [
    (["--target", "Outcome", "--positive", "Lost"], "target 'Outcome' is not a column of the file; columns: SLNO"),
    (["--target", "Status", "--positive", "Lost"], "no row has Status = 'Lost'; values seen in 'Status': 'Joined'"),
    (["--target", "Status", "--positive", "Joined", "--keep", "Bonus"], "--keep 'Bonus' is not a column"),
])
def test_bad_input_fails_clearly_on_stderr(hr_csv, args, message):
    result = run("--csv", str(hr_csv), *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_only_one_class_and_too_few_rows(tmp_path):
    one_class = write(pd.DataFrame({"Status": ["Joined"] * 12, "Pay": range(12)}), tmp_path / "one.csv")
    result = run("--csv", str(one_class), "--target", "Status", "--positive", "joined")
    assert result.exit_code == 2
    assert "every row with a Status has Status = 'Joined'" in " ".join(result.stderr.split())

    few = write(pd.DataFrame({"Status": ["Lost"] * 2 + ["Won"] * 10, "Pay": range(12)}), tmp_path / "few.csv")
    result = run("--csv", str(few), "--target", "Status", "--positive", "Lost")
    assert result.exit_code == 2
    assert "only 2 row(s) with Status = 'Lost'; 5-fold cross-validation needs at least 5" in " ".join(
        result.stderr.split())


def test_unreadable_file(tmp_path):
    result = run("--csv", str(tmp_path / "nowhere.csv"), "--target", "Status", "--positive", "Lost")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "nowhere.csv" in result.stderr


def test_folds_below_two_are_refused_by_the_option(hr_csv):
    result = run("--csv", str(hr_csv), "--target", "Status", "--positive", "Joined", "--folds", "1")
    assert result.exit_code == 2
    assert "--folds" in result.stderr
