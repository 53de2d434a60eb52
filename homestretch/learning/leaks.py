"""Columns that leak the outcome: excluded by default, each with its evidence; `--keep` brings one back.

A column's name can fool a rule ("Relocation" is the same column as "Candidate relocate actual"),
so what the data does is the main evidence, and the name is only one more sign:

1. **Values** (`pure_values`): one of its values has an outcome rate of 0 % or 100 % (within
   PURE_VALUE_TOLERANCE, room for a typo) in more rows than chance explains — a one-sided binomial
   test against the base rate, Bonferroni-corrected for the values tested, at LEAK_P_VALUE. Three
   rows of a value in a small file, all joining, prove nothing; 1,200 rows none of which was lost,
   against 19 % overall, do.
2. **Separation** (`separation`): the column alone tells the outcomes apart with an AUC above
   SEPARATION_AUC. Honest predictors of human decisions rarely pass 0.75 alone.
3. **After the decision** (`dates_after_decision`): a date that falls after the file's decision date
   in nearly every row where both are known (AFTER_DECISION_SHARE).
4. **Name** (`after_outcome_by_name`): the name says it is known only after the outcome ("date of
   joining", "status", "actual …").

Every piece of evidence is kept and reported, so that the report says which excluded each column.
The thresholds live here, once, with their reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

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

# A value "has an outcome rate of 0 % or 100 %" when at most this share of its rows have the other
# outcome: room for a typo or two in a long history.
PURE_VALUE_TOLERANCE = 0.01
# ... and it counts only when chance cannot explain it: the probability of seeing that few rows of
# the other outcome among the value's rows, at the file's base rate (one-sided binomial), times the
# number of tests made on the column (each value, both ways: Bonferroni), is below this. A value seen
# in three rows of a small file is then never a leak; 1,200 rows with none lost at a 19 % base rate is.
LEAK_P_VALUE = 0.001
# A column that alone separates the outcomes with an AUC above this gives the outcome away: the
# strongest honest single predictors in hiring histories (pay gap, a competing offer) reach 0.6-0.75.
SEPARATION_AUC = 0.90
# The separation is measured only with at least this many rows of each outcome (below, an AUC of
# 0.9 happens by chance), categories by out-of-fold loss rates over this many folds.
SEPARATION_MIN_PER_CLASS = 10
SEPARATION_FOLDS = 5
# Out-of-fold loss rates of a category value are shrunk toward the base rate as if it had this many
# more rows at that rate, so that a value seen once does not claim a rate of 0 % or 100 %.
SEPARATION_PRIOR_ROWS = 10
# A date column is "after the decision" when it is later than the decision date in this share of
# the rows where both are known: a date known in advance (an interview, the offer) falls before it.
AFTER_DECISION_SHARE = 0.95

NAME, VALUES, SEPARATION, AFTER_DECISION = "name", "values", "separation", "after_decision"


@dataclass(frozen=True)
class Evidence:
    """One sign that a column gives the outcome away: its kind (name, values, separation,
    after_decision) and what was seen, in words."""

    kind: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail}


def why_leak(evidence: list[Evidence]) -> str:
    """The one-line reason of an excluded column: every piece of evidence, the name first."""
    return "leaks the outcome: " + "; ".join(item.detail for item in evidence)


def after_outcome_by_name(column: str) -> str | None:
    match = AFTER_OUTCOME_NAMES.search(normalise_name(column))
    if match is None:
        return None
    return f"the name ({match.group(0)!r}) says it is known only after the outcome"


def _values(profile: ColumnProfile) -> pd.Series:
    """The values compared, missing as a value of its own, each as it reads.

    Numbers are compared by their exact values, not by ranges: the far tail of a strong honest
    predictor (the largest pay gaps) is naturally of one outcome, while a number that leaks does it
    through a value (0 days, missing) or by separating the outcomes, which `separation` measures.
    """
    values = profile.values
    if profile.kind == Kind.yes_no:
        shown = values.map({1.0: "yes", 0.0: "no"})
    elif profile.numeric:
        distinct = {value: _number(value, profile) for value in values.dropna().unique()}
        shown = values.map(distinct)
    else:
        shown = values
    return shown.astype(object).where(values.notna(), "missing").astype(str)


def _number(value: float, profile: ColumnProfile) -> str:
    if profile.kind == Kind.date:
        return (pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(value))).strftime("%Y-%m-%d")
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.3g}"


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def pure_values(profile: ColumnProfile, outcome: np.ndarray) -> Evidence | None:
    """A value whose rows are (nearly) all of one outcome, more than chance explains; None otherwise.

    `outcome` is 1 for the positive value (a loss). The strongest such value is named.
    """
    values = _values(profile)
    outcome = np.asarray(outcome, dtype=int)
    base_rate = float(outcome.mean())
    if base_rate in (0.0, 1.0):
        return None
    table = pd.crosstab(values, outcome).reindex(columns=[0, 1], fill_value=0)
    lost, kept = table[1].to_numpy(), table[0].to_numpy()
    rows = lost + kept
    tests = 2 * len(rows)
    # One-sided: P(at most this many losses | its rows, base rate), and the same for kept rows.
    p_none_lost = binom.cdf(lost, rows, base_rate) * tests
    p_none_kept = binom.cdf(kept, rows, 1.0 - base_rate) * tests
    found = []
    for index, label in enumerate(table.index):
        if lost[index] <= PURE_VALUE_TOLERANCE * rows[index] and p_none_lost[index] < LEAK_P_VALUE:
            found.append((p_none_lost[index], -rows[index], label, index, "lost"))
        if kept[index] <= PURE_VALUE_TOLERANCE * rows[index] and p_none_kept[index] < LEAK_P_VALUE:
            found.append((p_none_kept[index], -rows[index], label, index, "kept"))
    if not found:
        return None
    _, _, label, index, which = min(found)
    n, other = int(rows[index]), int(lost[index] if which == "lost" else kept[index])
    subject = f"{profile.name} missing" if label == "missing" else f"{profile.name} = {label}"
    if which == "lost":
        seen = f"none of its {_rows(n)} was lost" if other == 0 else f"only {other} of its {_rows(n)} lost"
    else:
        seen = f"every one of its {_rows(n)} was lost" if other == 0 else f"all but {other} of its {_rows(n)} lost"
    return Evidence(VALUES, f"{subject}: {seen}, against {base_rate:.0%} overall")


def _separation_auc(profile: ColumnProfile, outcome: np.ndarray, seed: int) -> float:
    """How well the column alone orders the outcomes: AUC folded above 0.5 (a reversed order counts)."""
    values = profile.values
    if profile.numeric:
        numbers = values.to_numpy(dtype=float)
        filled = ~np.isnan(numbers)
        if filled.all():
            auc = roc_auc_score(outcome, numbers)
            return max(auc, 1.0 - auc)
        # Missing put below and above every value: whichever separates better.
        low, high = np.nanmin(numbers) - 1.0, np.nanmax(numbers) + 1.0
        aucs = [roc_auc_score(outcome, np.where(filled, numbers, fill)) for fill in (low, high)]
        return max(max(auc, 1.0 - auc) for auc in aucs)
    # Categories: each row scored by its value's loss rate in the other folds, so that a value seen
    # in one row cannot predict itself.
    labels = values.astype(object).where(values.notna(), "missing").astype(str).to_numpy()
    base_rate = float(outcome.mean())
    scores = np.full(len(outcome), base_rate)
    splitter = StratifiedKFold(SEPARATION_FOLDS, shuffle=True, random_state=seed)
    for train, test in splitter.split(labels, outcome):
        frame = pd.DataFrame({"value": labels[train], "lost": outcome[train]})
        grouped = frame.groupby("value")["lost"].agg(["sum", "count"])
        rate = (grouped["sum"] + SEPARATION_PRIOR_ROWS * base_rate) / (grouped["count"] + SEPARATION_PRIOR_ROWS)
        scores[test] = pd.Series(labels[test]).map(rate).fillna(base_rate).to_numpy()
    auc = roc_auc_score(outcome, scores)
    return max(auc, 1.0 - auc)


def separation(profile: ColumnProfile, outcome: np.ndarray, seed: int = 0) -> Evidence | None:
    """The column alone separates the outcomes with an AUC above SEPARATION_AUC; None otherwise."""
    outcome = np.asarray(outcome, dtype=int)
    if min(int(outcome.sum()), int(len(outcome) - outcome.sum())) < max(SEPARATION_MIN_PER_CLASS, SEPARATION_FOLDS):
        return None
    auc = _separation_auc(profile, outcome, seed)
    if auc <= SEPARATION_AUC:
        return None
    return Evidence(
        SEPARATION, f"alone it tells the outcomes apart with an AUC of {auc:.2f} (above {SEPARATION_AUC:.2f})"
    )


def dates_after_decision(profiles: dict[str, ColumnProfile]) -> dict[str, Evidence]:
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
            found[profile.name] = Evidence(
                AFTER_DECISION,
                f"later than {decision.name!r} in {later:.0%} of the {_rows(int(both.sum()))} where both are known, "
                "so known only after the decision",
            )
    return found


def leak_evidence(
    profile: ColumnProfile, outcome: np.ndarray, after_decision: dict[str, Evidence], seed: int = 0,
) -> list[Evidence]:
    """Every sign that the column gives the outcome away, the name first; empty for an honest column."""
    evidence = []
    by_name = after_outcome_by_name(profile.name)
    if by_name:
        evidence.append(Evidence(NAME, by_name))
    if profile.name in after_decision:
        evidence.append(after_decision[profile.name])
    for check in (pure_values(profile, outcome), separation(profile, outcome, seed)):
        if check is not None:
            evidence.append(check)
    return evidence
