"""Synthetic histories with planted structure, written as CSV files the way people write them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def planted_history(rows: int = 300, seed: int = 7) -> pd.DataFrame:
    """A history where "Offer gap" drives the loss, with an identifier, a serial number, two leaks,
    protected attributes, noise, missing values written as placeholders, and a few rows without outcome.

    Outcome: "Lost" (the positive value) or one of "Started" / "Accepted" (both negative).
    """
    rng = np.random.default_rng(seed)
    gap = rng.normal(0, 1, rows)
    lost = rng.random(rows) < 1 / (1 + np.exp(-(-0.8 + 2.0 * gap)))
    outcome = np.where(lost, "Lost", rng.choice(["Started", "Accepted"], rows))
    echo = np.where(lost, "lost", "kept").astype(object)
    echo[rng.random(rows) < 0.1] = "pending"
    joined_on = pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.integers(0, 200, rows), unit="D")
    frame = pd.DataFrame({
        "Row": np.arange(1, rows + 1),
        "Candidate ID": [f"CAND-{n:05d}" for n in rng.permutation(rows) * 7 + 11],
        "Offer gap": [f"{value:.2f}".replace(".", ",") for value in gap],  # decimal commas, as in Europe
        "Noise": rng.normal(50, 10, rows).round(1),
        "Team": rng.choice(["North", "South", "East"], rows),
        "Echo": echo,
        "Date of joining": np.where(lost, "", joined_on.strftime("%d/%m/%Y")),
        "Candidate Gender": rng.choice(["F", "M"], rows),
        "Age": rng.integers(22, 61, rows),
        "Outcome": outcome,
    })
    frame["Offer gap"] = frame["Offer gap"].astype(object)
    holes = rng.random(rows) < 0.12
    frame.loc[holes, "Offer gap"] = rng.choice(["", "NA", "?", "n/a"], int(holes.sum()))
    frame["Candidate Gender"] = frame["Candidate Gender"].astype(object)
    frame.loc[:9, "Candidate Gender"] = "unknown"
    frame["Outcome"] = frame["Outcome"].astype(object)
    frame.loc[rows - 5:, "Outcome"] = "N/A"
    return frame


def noise_history(rows: int = 300, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "Score": rng.normal(0, 1, rows).round(3),
        "Days": rng.integers(0, 60, rows),
        "Source": rng.choice(["Agency", "Direct", "Referral"], rows),
        "Remote": rng.choice(["yes", "no"], rows),
        "Outcome": rng.choice(["Lost", "Won"], rows, p=[0.3, 0.7]),
    })


def hr_analytics_history(rows: int = 300, seed: int = 11) -> pd.DataFrame:
    """Shaped like the public "HR analytics: candidates joining" data set (Status: Joined / Not Joined),
    "Candidate relocate actual" "Yes" only for candidates who joined, as in the real file."""
    rng = np.random.default_rng(seed)
    hike_offered = rng.normal(40, 15, rows).round(2)
    hike_expected = (hike_offered + rng.normal(3, 10, rows)).round(2)
    source = rng.choice(["Agency", "Direct", "Employee Referral"], rows, p=[0.3, 0.5, 0.2])
    log_odds = -1.4 + 0.06 * (hike_expected - hike_offered) + np.where(source == "Agency", 1.2, 0.0)
    not_joined = rng.random(rows) < 1 / (1 + np.exp(-log_odds))
    return pd.DataFrame({
        "SLNO": np.arange(1, rows + 1),
        "Candidate Ref": 2_110_000 + np.cumsum(rng.integers(1, 900, rows)),
        "DOJ Extended": rng.choice(["Yes", "No"], rows),
        "Duration to accept offer": rng.integers(0, 60, rows),
        "Notice period": rng.choice([0, 30, 45, 60, 90], rows),
        "Offered band": rng.choice(["E0", "E1", "E2", "E3"], rows),
        "Pecent hike expected in CTC": hike_expected,
        "Percent hike offered in CTC": hike_offered,
        "Percent difference CTC": ((hike_offered - hike_expected) / (100 + hike_expected) * 100).round(2),
        "Joining Bonus": rng.choice(["Yes", "No"], rows, p=[0.1, 0.9]),
        # As in the real file: relocated only when joined (what happened, not what was planned).
        "Candidate relocate actual": np.where(~not_joined & (rng.random(rows) < 0.2), "Yes", "No"),
        "Gender": rng.choice(["Male", "Female"], rows, p=[0.8, 0.2]),
        "Candidate Source": source,
        "Rex in Yrs": rng.integers(0, 15, rows),
        "LOB": rng.choice(["ERS", "INFRA", "BFSI", "CSMP"], rows),
        "Location": rng.choice(["Chennai", "Noida", "Bangalore", "Hyderabad"], rows),
        "Age": rng.integers(21, 50, rows),
        "Status": np.where(not_joined, "Not Joined", "Joined"),
    })


def write(frame: pd.DataFrame, path: Path, bom: bool = False) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8-sig" if bom else "utf-8")
    return path
