"""Columns that leak the outcome: excluded by default, each with its reason; `--keep` brings one back.

Two signs, both cheap and explainable:

1. The name says the column can only be known after the outcome ("date of joining", "status",
   "reason for declining", "actual …"), or a date column falls after the decision date in
   nearly every row where both are known.
2. The values give the outcome away: values that occur with only one outcome cover a large
   share of the rows. A genuine predictor shifts the odds; it does not decide them for a third of
   the history.

The thresholds live here, once, with their reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import ColumnProfile, Kind, normalise_name

# Names of things known only after the outcome (patterns over the normalised column name).
AFTER_OUTCOME_NAMES = re.compile(
    r"\b("
    r"joined|joining date|date of joining|joining status|actual\w*|"
    r"reasons? (for |of )?(leaving|left|declin\w*|reject\w*|refus\w*|loss|losing|withdraw\w*|reneg\w*|drop\w*)|"
    r"decline reason|loss reason|status|outcome|outcomes|result|results|hired|hire date|date of hire|"
    r"exit\w*|reneg\w*|declined|accepted on|start date actual|withdrawn|terminat\w*|no show|noshow"
    r")\b"
)
# Names of the decision's own date (when the candidate said yes or no), when a file has one: dates
# after it cannot be predictors. Not the offer date: a planned start date after it is known in advance.
DECISION_DATE_NAMES = re.compile(
    r"\b(decision date|date of decision|decided on|decision on|outcome date|date of outcome|closed on|close date)\b"
)

# A value "occurs with only one outcome" when at most this share of its rows have the other one
# (room for a typo or two in a long history).
PURE_VALUE_TOLERANCE = 0.01
# ... and only counts when chance alone would have put at least this many rows of the other
# outcome there (base rate times the value's rows): five rows of one value all joining prove nothing.
PURE_VALUE_MIN_EXPECTED = 5.0
# The column leaks when such values cover at least this share of the rows. A strong honest
# predictor moves the loss rate of a group; it rarely settles a third of all rows outright.
LEAK_ROW_SHARE = 0.30
# Numbers with many distinct values are cut into this many equal-count bins for the check above.
NUMBER_BINS = 10
# A date column is "after the decision" when it is later than the decision date in this share of
# the rows where both are known.
AFTER_DECISION_SHARE = 0.95


@dataclass(frozen=True)
class Leak:
    column: str
    why: str


def after_outcome_by_name(column: str) -> str | None:
    match = AFTER_OUTCOME_NAMES.search(normalise_name(column))
    if match is None:
        return None
    return f"leaks the outcome: the name ({match.group(0)!r}) says it is known only after the outcome"


def _bins(profile: ColumnProfile) -> pd.Series:
    """The values compared for purity: categories as they are, many-valued numbers as deciles; missing is a value."""
    values = profile.values
    if profile.numeric and values.nunique() > NUMBER_BINS * 2:
        ranks = values.rank(method="first")
        binned = pd.qcut(ranks, NUMBER_BINS, labels=False, duplicates="drop").astype(object)
        binned = binned.where(values.notna(), "(missing)")
        return binned.map(lambda value: f"decile {int(value) + 1}" if value != "(missing)" else value)
    return values.astype(object).where(values.notna(), "(missing)").astype(str)


def pure_value_leak(profile: ColumnProfile, outcome: np.ndarray) -> str | None:
    """The reason the column gives the outcome away, or None. `outcome` is 1 for the positive value."""
    values = _bins(profile)
    table = pd.crosstab(values, outcome)
    for label in (0, 1):
        if label not in table.columns:
            return None
    rows = table[0] + table[1]
    base_rate = float(outcome.mean())
    pure_positive = (table[0] <= PURE_VALUE_TOLERANCE * rows) & (rows * (1 - base_rate) >= PURE_VALUE_MIN_EXPECTED)
    pure_negative = (table[1] <= PURE_VALUE_TOLERANCE * rows) & (rows * base_rate >= PURE_VALUE_MIN_EXPECTED)
    pure = pure_positive | pure_negative
    share = float(rows[pure].sum() / rows.sum())
    if share < LEAK_ROW_SHARE:
        return None
    biggest = rows[pure].sort_values(ascending=False).index[0]
    which = "the loss" if pure_positive[biggest] else "no loss"
    return (
        f"leaks the outcome: {share:.0%} of rows have a value seen with only one outcome "
        f"(e.g. {biggest!r} always with {which})"
    )


def dates_after_decision(profiles: dict[str, ColumnProfile]) -> dict[str, str]:
    """Date columns that fall after the file's decision date (when one is identifiable by name)."""
    decisions = [
        profile for profile in profiles.values()
        if profile.kind == Kind.date and DECISION_DATE_NAMES.search(normalise_name(profile.name))
    ]
    if len(decisions) != 1:
        return {}
    decision = decisions[0]
    found = {}
    for profile in profiles.values():
        if profile.kind != Kind.date or profile is decision:
            continue
        both = profile.values.notna() & decision.values.notna()
        if both.sum() == 0:
            continue
        later = float((profile.values[both] > decision.values[both]).mean())
        if later >= AFTER_DECISION_SHARE:
            found[profile.name] = (
                f"leaks the outcome: later than {decision.name!r} in {later:.0%} of rows, "
                "so known only after the decision"
            )
    return found
