"""Protected attributes: the one list, recognised by column name, and the groups of the fairness audit.

Recruiting models are high-risk: what draws a recruiter's attention must not differ by who the
candidate is. A column recognised here is never a predictor; it only splits the rows into groups
so that an organisation can see whether the model's predicted risk differs between them.
The list follows the characteristics protected in EU and US employment law (sex and gender,
age, racial or ethnic origin, nationality, religion or belief, disability, sexual orientation,
marital, family and pregnancy status) plus their usual proxies in a spreadsheet (date of birth,
title such as Mr/Mrs, photo). Health is left out on purpose: "health insurance" is a perk of the offer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from .columns import ColumnProfile, Kind, normalise_name

# (attribute, pattern over the normalised column name). Word boundaries, so that "Agency" is not
# "age" and "Percentage" is not either; compact forms such as "birthdate" or "dob" are listed.
PROTECTED_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("gender", r"\b(gender|sex|male|female)\b"),
    ("age", r"\b(age|ages|age group|age band|aged)\b"),
    ("date of birth", r"\b(dob|d o b|birth\w*|date of birth|year of birth|birth year|born)\b"),
    ("ethnicity", r"\b(ethnic\w*|race|racial|colou?r of skin|skin colou?r|caste)\b"),
    ("nationality", r"\b(nationality|citizenship|citizen|national origin|country of origin|country of birth)\b"),
    ("religion", r"\b(religion|religious|belief|beliefs|faith)\b"),
    ("disability", r"\b(disabilit\w*|disabled|handicap\w*|impairment)\b"),
    ("marital status", r"\b(marital\w*|married|spouse|civil status|relationship status)\b"),
    ("family status", r"\b(family status|children|child|kids|dependants|dependents|pregnan\w*|maternity|paternity)\b"),
    ("sexual orientation", r"\b(sexual orientation|sexuality|lgbt\w*)\b"),
    ("salutation", r"\b(salutation|honorific|title of address)\b"),
    ("photo", r"\b(photo|photograph|picture)\b"),
    ("political opinion", r"\b(political\w*|trade union\w*|union member\w*)\b"),
    ("genetic information", r"\b(genetic\w*)\b"),
    ("veteran status", r"\b(veteran\w*|military status)\b"),
)

_COMPILED = tuple((attribute, re.compile(pattern)) for attribute, pattern in PROTECTED_ATTRIBUTES)

# At most this many groups for a numeric attribute such as age: enough to see a trend, few enough
# that each group holds rows.
MAX_NUMERIC_GROUPS = 5
MISSING_GROUP = "missing"
YES_NO: dict[Hashable, str] = {1.0: "yes", 0.0: "no"}  # a yes/no column as the audit shows it


def protected_attribute(column: str) -> str | None:
    """Which protected attribute a column name stands for ('Candidate Gender' -> 'gender'), or None."""
    name = normalise_name(column)
    for attribute, pattern in _COMPILED:
        if pattern.search(name):
            return attribute
    return None


def why_protected(attribute: str, named: bool = False) -> str:
    how = "named with --protected" if named else f"protected attribute ({attribute})"
    return f"{how}: never a predictor, used only in the fairness audit"


def _edges(low: float, high: float, whole: bool) -> list[float]:
    """Round edges between `low` and `high`: the finest step of 1, 2, 5, 10, 20, 50… (times a power
    of ten) that gives at most MAX_NUMERIC_GROUPS groups (edges + 1)."""
    span = max(high - low, 1e-9)
    magnitude = 10 ** math.floor(math.log10(span / MAX_NUMERIC_GROUPS))
    for multiple in (1, 2, 5, 10, 20, 50, 100):
        step = multiple * magnitude
        if whole and step < 1:  # whole numbers (ages, years) are never cut between two integers
            continue
        first = math.ceil(low / step) * step
        edges = [first + i * step for i in range(int((high - first) // step) + 1)]
        if len(edges) <= MAX_NUMERIC_GROUPS - 1:
            return [float(edge) for edge in edges] or [float(first)]
    return [float(low)]  # pragma: no cover - a step of 100 magnitudes always fits


def _number(value: float) -> str:
    return f"{value:g}"


def numeric_groups(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Readable bins for a numeric attribute: '<30', '30–39', '40–49', '50+' (edges on round numbers).

    Edges sit at multiples of a round step between the 10th and 90th percentiles, so that the
    outer groups are not a handful of rows each. Returns the group of every row and the groups in order.
    """
    filled = values.dropna()
    integers = bool((filled == filled.round()).all())
    low, high = np.quantile(filled, [0.1, 0.9])
    edges = _edges(float(low), float(high), integers)
    labels = [f"<{_number(edges[0])}"]
    for lower, upper in zip(edges, edges[1:], strict=False):
        if integers and upper - lower == 1:
            labels.append(_number(lower))
        elif integers:
            labels.append(f"{_number(lower)}–{_number(upper - 1)}")
        else:
            labels.append(f"{_number(lower)}–<{_number(upper)}")
    labels.append(f"{_number(edges[-1])}+")
    positions = np.searchsorted(np.asarray(edges, dtype=float), filled.to_numpy(), side="right")
    groups = pd.Series([labels[p] for p in positions], index=filled.index, dtype=object)
    return groups.reindex(values.index), labels


def audit_groups(profile: ColumnProfile) -> tuple[pd.Series, list[str]]:
    """The fairness-audit group of every row (missing is its own group) and the groups in display order."""
    order: Sequence[Hashable]
    if profile.kind in (Kind.number, Kind.identifier) and pd.api.types.is_float_dtype(profile.values):
        groups, order = numeric_groups(profile.values)
    elif profile.kind == Kind.date:
        # A date of birth is shown as birth-year groups, the readable way to see generations.
        years = (pd.Timestamp("1970-01-01") + pd.to_timedelta(profile.values, unit="D")).dt.year.astype(float)
        groups, order = numeric_groups(years.where(profile.values.notna()))
    else:
        groups = profile.values.astype(object)
        counts = groups.value_counts()
        order = [group for group, _ in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))]
        if profile.kind == Kind.yes_no:
            groups = groups.map(YES_NO)
            order = [YES_NO[group] for group in order]
    groups = groups.astype(object).where(groups.notna(), MISSING_GROUP)
    shown = [str(group) for group in order if (groups == group).any()]
    if (groups == MISSING_GROUP).any():
        shown.append(MISSING_GROUP)
    return groups.astype(str), shown
