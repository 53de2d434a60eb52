"""Leaks found by what the data does, whatever the column is called (issue 22).

Planted under neutral names: a value that is never lost (category purity), a score written after the
outcome (near-perfect on its own), a date after the decision. None of the honest columns beside them
may be flagged, and a value seen in a handful of rows is not a leak.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.model_evaluation import PLANTED_LEAKS, synthetic_history
from homestretch.learning.columns import profile_column
from homestretch.learning.evaluate import evaluate, prepare_history
from homestretch.learning.leaks import SEPARATION, VALUES, pure_values, separation

from .histories import hr_analytics_history, noise_history, planted_history


def flagged(history) -> dict[str, set[str]]:
    """Columns left out as leaks, with the kinds of evidence against each."""
    return {item["column"]: {piece["kind"] for piece in item["evidence"]} for item in history.excluded
            if item["why"].startswith("leaks the outcome")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_leaks_under_neutral_names_are_all_caught_and_nothing_else(seed):
    history = prepare_history(synthetic_history(1_500, seed), "Status", "Not Joined")
    found = flagged(history)
    assert set(found) == set(PLANTED_LEAKS)
    for column, kind in PLANTED_LEAKS.items():
        assert kind in found[column], (column, found[column])
    # Neutral names: no name rule could have caught them.
    assert all("name" not in kinds for kinds in found.values())
    shortlisted = next(item["why"] for item in history.excluded if item["column"] == "Shortlisted")
    assert "Shortlisted = yes: none of its" in shortlisted and "rows was lost, against" in shortlisted


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_false_alarm_on_honest_columns(seed):
    """The benchmark's honest history (a strong pay-gap signal, a competing offer, categories with many
    values, skewed numbers, placeholders) and pure noise: nothing flagged as a leak."""
    assert flagged(prepare_history(synthetic_history(2_000, seed, leaks=False), "Status", "Not Joined")) == {}
    assert flagged(prepare_history(noise_history(seed=seed), "Outcome", "Lost")) == {}


def test_a_strong_honest_number_is_not_a_leak_because_its_tail_is_of_one_outcome():
    # "Offer gap" moves the log-odds by 2 per standard deviation: its lowest tenth is almost never lost.
    history = prepare_history(planted_history(), "Outcome", "Lost")
    assert "Offer gap" in history.features.columns
    assert set(flagged(history)) == {"Echo", "Date of joining"}


def test_a_value_seen_in_a_few_rows_of_a_small_file_is_not_a_leak():
    rng = np.random.default_rng(0)
    outcome = (rng.random(60) < 0.25).astype(int)
    team = np.where(rng.random(60) < 0.5, "North", "South").astype(object)
    kept_rows = np.flatnonzero(outcome == 0)[:3]
    team[kept_rows] = "Island"  # three rows, none lost: chance explains it (0.75³ ≈ 0.42)
    profile = profile_column("Team", pd.Series(team, dtype=object))
    assert pure_values(profile, outcome) is None


def test_purity_is_judged_against_chance_with_the_numbers_in_words():
    outcome = np.array([1] * 190 + [0] * 810)
    values = np.array(["No"] * 190 + ["Yes"] * 400 + ["No"] * 410, dtype=object)  # every loss says No
    evidence = pure_values(profile_column("Flag", pd.Series(values, dtype=object)), outcome)
    assert evidence is not None and evidence.kind == VALUES
    assert evidence.detail == "Flag = yes: none of its 400 rows was lost, against 19% overall"


def test_a_near_perfect_single_column_is_flagged_and_a_strong_honest_one_is_not():
    rng = np.random.default_rng(2)
    outcome = (rng.random(500) < 0.3).astype(int)
    written_after = np.where(outcome == 1, rng.normal(0, 1, 500), rng.normal(3.5, 1, 500)).round(3)
    honest = np.where(outcome == 1, rng.normal(0, 1, 500), rng.normal(1, 1, 500)).round(3)  # AUC about 0.76
    leak = separation(profile_column("Score", pd.Series(written_after.astype(str), dtype=object)), outcome)
    assert leak is not None and leak.kind == SEPARATION and "AUC of 0.9" in leak.detail
    assert separation(profile_column("Gap", pd.Series(honest.astype(str), dtype=object)), outcome) is None
    # A category with a value per handful of rows cannot predict itself: out-of-fold rates only.
    many = pd.Series([f"R{n}" for n in rng.integers(0, 200, 500)], dtype=object)
    assert separation(profile_column("Recruiter", many), outcome) is None


def test_a_renamed_after_the_fact_column_is_caught_by_its_values():
    """The issue's case: 'Candidate relocate actual' renamed 'Relocation' was evaluated with it."""
    frame = hr_analytics_history(rows=600)
    named = prepare_history(frame, "Status", "Not Joined")
    renamed = prepare_history(frame.rename(columns={"Candidate relocate actual": "Relocation"}), "Status", "Not Joined")
    assert flagged(named)["Candidate relocate actual"] == {"name", "values"}
    assert flagged(renamed) == {"Relocation": {"values"}}
    why = next(item["why"] for item in renamed.excluded if item["column"] == "Relocation")
    assert why.startswith("leaks the outcome: Relocation = yes: none of its")


def test_keep_brings_a_column_flagged_by_its_values_back_and_reports_the_evidence():
    frame = hr_analytics_history(rows=600).rename(columns={"Candidate relocate actual": "Relocation"})
    kept = evaluate(frame, "Status", "Not Joined", folds=3, seed=0, keep=("Relocation",))
    assert "Relocation" in kept.used_columns
    data = kept.as_dict()
    assert [item["column"] for item in data["kept_columns"]] == ["Relocation"]
    assert data["kept_columns"][0]["evidence"][0]["kind"] == "values"
    left_out = evaluate(frame, "Status", "Not Joined", folds=3, seed=0)
    assert kept.auc > left_out.auc  # the leak flatters the model: the reason it is left out
