"""`evaluate(...)` on histories with planted structure: what it must find, leave out and audit."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from homestretch.learning.evaluate import (
    GRADIENT_BOOSTING,
    ISSUE_KEYS,
    LOGISTIC,
    calibration_table,
    cross_validated_report,
    evaluate,
    prepare_history,
)

from .histories import hr_analytics_history, noise_history, planted_history, write


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    frame = planted_history()
    path = write(frame, tmp_path_factory.mktemp("planted") / "history.csv", bom=True)
    return frame, path, evaluate(path, "Outcome", "Lost", folds=3, seed=1)


def why(evaluation, column: str) -> str:
    return next(item["why"] for item in evaluation.excluded_columns if item["column"] == column)


def test_identifier_and_serial_number_are_left_out_and_said_so(planted):
    _, _, evaluation = planted
    assert why(evaluation, "Row").startswith("identifier: a serial number")
    assert why(evaluation, "Candidate ID").startswith("identifier: 295 different values in 295 rows")
    assert "Row" not in evaluation.used_columns and "Candidate ID" not in evaluation.used_columns


def test_planted_leaks_are_left_out_with_their_reason(planted):
    _, _, evaluation = planted
    # 90 % of rows copy the outcome ("lost" / "kept"); the other 10 % say "pending".
    assert re.fullmatch(r"leaks the outcome: Echo = (lost: every one|kept: none) of its \d+ rows was lost, "
                        r"against 33% overall; alone it tells the outcomes apart with an AUC of 0\.9\d "
                        r"\(above 0\.90\)", why(evaluation, "Echo"))
    assert why(evaluation, "Date of joining").startswith(
        "leaks the outcome: the name ('date of joining') says it is known only after the outcome; "
        "Date of joining missing: every one of its"
    )
    evidence = next(item["evidence"] for item in evaluation.excluded_columns if item["column"] == "Date of joining")
    assert [piece["kind"] for piece in evidence] == ["name", "values", "separation"]


def test_keep_brings_leaks_back(planted):
    frame, path, _ = planted
    kept = evaluate(path, "Outcome", "Lost", folds=3, seed=1, keep=("Echo", "Date of joining"))
    assert {"Echo", "Date of joining"} <= set(kept.used_columns)
    assert {item["column"] for item in kept.excluded_columns} == {"Row", "Candidate ID", "Candidate Gender", "Age"}
    assert {item["column"] for item in kept.as_dict()["kept_columns"]} == {"Echo", "Date of joining"}
    assert kept.auc > 0.95  # the leak gives the outcome away: the very reason it is left out by default


def test_protected_attributes_are_never_predictors_but_are_audited(planted):
    frame, _, evaluation = planted
    assert why(evaluation, "Candidate Gender") == (
        "protected attribute (gender): never a predictor, used only in the fairness audit"
    )
    assert why(evaluation, "Age").startswith("protected attribute (age)")
    assert not {"Candidate Gender", "Age"} & set(evaluation.used_columns)

    with_outcome = frame[frame["Outcome"] != "N/A"]
    lost = with_outcome["Outcome"] == "Lost"
    audit = {(row["attribute"], row["group"]): row for row in evaluation.fairness}
    gender = with_outcome["Candidate Gender"].replace("unknown", "missing")
    assert [group for attribute, group in audit if attribute == "Candidate Gender"][-1] == "missing"
    for group in ("F", "M", "missing"):
        row = audit[("Candidate Gender", group)]
        assert row["n"] == (gender == group).sum()
        assert row["observed_rate"] == pytest.approx(lost[gender == group].mean())
        assert 0 < row["mean_predicted"] < 1

    age_groups = [group for attribute, group in audit if attribute == "Age"]
    assert age_groups[0].startswith("<") and age_groups[-1].endswith("+")
    assert sum(audit[("Age", group)]["n"] for group in age_groups) == len(with_outcome)
    under_30 = with_outcome["Age"] < 30
    assert age_groups[0] == "<30"
    assert audit[("Age", "<30")]["n"] == under_30.sum()
    assert audit[("Age", "<30")]["observed_rate"] == pytest.approx(lost[under_30].mean())
    assert audit[("Age", "30–39")]["n"] == ((with_outcome["Age"] >= 30) & (with_outcome["Age"] <= 39)).sum()


def test_the_planted_signal_is_found_in_the_right_direction(planted):
    _, _, evaluation = planted
    assert evaluation.auc > 0.75
    assert evaluation.brier < evaluation.brier_baseline
    first = evaluation.top_predictors[0]
    assert first["column"] == "Offer gap"
    assert first["effect"].startswith("higher values raise the risk of a loss")
    assert set(evaluation.used_columns) == {"Offer gap", "Noise", "Team"}


def test_missing_values_keep_their_rows_and_rows_without_target_are_counted(planted):
    frame, _, evaluation = planted
    assert evaluation.n == 295 == len(frame) - 5
    assert evaluation.rows_without_target == 5
    assert evaluation.positive_rate == pytest.approx((frame["Outcome"] == "Lost").sum() / 295)
    assert sum(row["n"] for row in evaluation.calibration) == 295
    assert len(evaluation.report.predicted) == 295


def test_json_has_exactly_the_keys_of_the_issue(planted):
    _, _, evaluation = planted
    data = json.loads(json.dumps(evaluation.as_dict()))
    assert list(data) == [*ISSUE_KEYS, "rows_without_target", "kept_columns"]
    assert data["model"] in (LOGISTIC, GRADIENT_BOOSTING)
    assert all(set(item) == {"column", "why", "evidence"} for item in data["excluded_columns"])
    assert all(set(item) == {"column", "effect"} for item in data["top_predictors"])
    assert all(set(item) == {"predicted", "observed", "n"} for item in data["calibration"])
    assert all(set(item) == {"attribute", "group", "n", "observed_rate", "mean_predicted"} for item in data["fairness"])
    # 295 rows: 10 bins of 29 or 30, lowest predictions first.
    assert len(data["calibration"]) == 10
    predicted = [row["predicted"] for row in data["calibration"]]
    assert predicted == sorted(predicted)


def test_same_seed_same_figures_other_seed_other_split(tmp_path):
    path = write(planted_history(rows=150, seed=2), tmp_path / "history.csv")
    first = evaluate(path, "Outcome", "Lost", folds=3, seed=5).as_dict()
    again = evaluate(path, "Outcome", "Lost", folds=3, seed=5, jobs=1).as_dict()  # folds one after the other
    other = evaluate(path, "Outcome", "Lost", folds=3, seed=6).as_dict()
    assert json.dumps(first) == json.dumps(again)
    assert (first["auc"], first["brier"]) != (other["auc"], other["brier"])


def test_pure_noise_gives_auc_near_one_half(tmp_path):
    path = write(noise_history(), tmp_path / "noise.csv")
    evaluation = evaluate(path, "Outcome", "Lost", folds=3, seed=0)
    assert abs(evaluation.auc - 0.5) < 0.1
    # Nothing to learn: the calibrated predictions stay close to the base rate.
    assert evaluation.brier == pytest.approx(evaluation.brier_baseline, abs=0.01)


def test_trees_win_when_the_signal_is_not_a_straight_line():
    rng = np.random.default_rng(4)
    distance = rng.normal(0, 1, 400)
    lost = rng.random(400) < np.where(np.abs(distance) > 1, 0.8, 0.1)  # both extremes are lost
    frame = pd.DataFrame({"Distance": distance.round(3), "Noise": rng.normal(0, 1, 400).round(3),
                          "Outcome": np.where(lost, "Lost", "Won")})
    evaluation = evaluate(frame, "Outcome", "Lost", folds=3, seed=0)
    assert evaluation.model == GRADIENT_BOOSTING
    assert evaluation.auc > 0.75
    assert evaluation.top_predictors[0]["column"] == "Distance"
    assert "AUC falls by" in evaluation.top_predictors[0]["effect"]


def test_hr_analytics_shaped_history(tmp_path):
    frame = hr_analytics_history()
    evaluation = evaluate(write(frame, tmp_path / "hr.csv"), "Status", "Not Joined", folds=3, seed=0)
    excluded = {item["column"]: item["why"] for item in evaluation.excluded_columns}
    assert excluded["SLNO"].startswith("identifier: a serial number")
    assert excluded["Candidate Ref"].startswith("identifier: a different reference number")
    assert excluded["Gender"].startswith("protected attribute (gender)")
    assert excluded["Age"].startswith("protected attribute (age)")
    assert excluded["Candidate relocate actual"].startswith("leaks the outcome: the name ('actual')")
    assert "Candidate Source" in evaluation.used_columns and "DOJ Extended" in evaluation.used_columns
    assert evaluation.column_kinds["DOJ Extended"] == "yes/no"
    assert evaluation.auc > 0.6
    audited = {row["attribute"] for row in evaluation.fairness}
    assert audited == {"Gender", "Age"}
    gender = {row["group"]: row["n"] for row in evaluation.fairness if row["attribute"] == "Gender"}
    assert gender == frame["Gender"].value_counts().to_dict()
    source = next(item for item in evaluation.top_predictors if item["column"] == "Candidate Source")
    assert "Candidate Source = Agency: raises the risk of a loss the most" in source["effect"]


def test_logistic_weights_are_exposed_in_the_risk_engines_form(planted):
    _, _, evaluation = planted
    fitted = evaluation.logistic
    assert fitted.coefficients["numbers__Offer gap"] > 0.5
    assert {"numbers__missingindicator_Offer gap", "categories__Team\x1fNorth"} <= set(fitted.coefficients)
    prepare = fitted.pipeline.named_steps["prepare"]
    history = prepare_history(planted[1], "Outcome", "Lost", folds=3)
    inputs = prepare.transform(history.features)
    log_odds = fitted.intercept + inputs @ np.array(list(fitted.coefficients.values()))
    expected = fitted.pipeline.predict_proba(history.features)[:, 1]
    assert np.allclose(1 / (1 + np.exp(-log_odds)), expected)


def test_cross_validated_report_is_reusable_on_a_prepared_matrix():
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"pay_gap": rng.normal(0, 1, 200), "source": rng.choice(["a", "b"], 200)})
    outcome = (rng.random(200) < 1 / (1 + np.exp(-2 * features["pay_gap"]))).astype(int)
    report = cross_validated_report(features, outcome, folds=3, seed=0, jobs=1)
    assert report.auc > 0.75 and len(report.fold_auc) == 3
    assert report.brier < report.brier_baseline
    assert sum(row["n"] for row in report.calibration) == 200


def test_calibration_table_uses_fewer_bins_on_a_short_history():
    outcome = np.array([0, 1] * 30)
    predicted = np.linspace(0.1, 0.9, 60)
    table = calibration_table(outcome, predicted)
    assert [row["n"] for row in table] == [20, 20, 20]
    assert table[0]["predicted"] == pytest.approx(predicted[:20].mean())
    assert table[0]["observed"] == pytest.approx(0.5)
    assert len(calibration_table(np.zeros(1000), np.linspace(0, 1, 1000))) == 10
