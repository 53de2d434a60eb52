"""Reading a CSV of past outcomes and deciding what each column is.

Every cell is read as a string first, so that nothing is guessed by the CSV reader; then each
column is classified once, here, as a number, a category, a yes/no, a date, an identifier, or a
column with nothing to learn from (empty, or the same value everywhere). Placeholder values that
people type for "unknown" are treated as missing before anything else looks at the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd

from homestretch.lib.placeholders import PLACEHOLDERS  # one list with the history importer


class EvaluationError(ValueError):
    """Bad input to `homestretch model evaluate`: the message says what was wrong and where."""


class UnreadableFile(EvaluationError):
    pass


# A column is of a type when at least this share of its non-missing values reads as that type:
# a stray typo ("12,5x") should not turn a number column into 300 categories, but a column where
# one value in ten is text is not a number column.
TYPE_SHARE = 0.95

# Identifier columns: a text column whose values are unique in at least this share of its filled
# rows tells one row from another and nothing about the outcome.
IDENTIFIER_UNIQUE_SHARE = 0.95
# ... provided there are enough rows for uniqueness to mean something.
IDENTIFIER_MIN_ROWS = 20

# Names that say "this is a reference number" (normalised tokens).
IDENTIFIER_NAME = re.compile(r"\b(id|ids|ref|reference|slno|sl no|s no|sno|serial|number|no|nr|code|key|uuid)\b")

YES_NO_PAIRS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"yes", "y"}), frozenset({"no", "n"})),
    (frozenset({"true", "t"}), frozenset({"false", "f"})),
    (frozenset({"1", "1.0"}), frozenset({"0", "0.0"})),
    (frozenset({"oui"}), frozenset({"non"})),
    (frozenset({"ja"}), frozenset({"nein"})),
)

# Tried in this order; the first format that reads enough of the column wins. Day-first before
# month-first: histories from outside the United States outnumber those from inside.
DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d",
    "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%m/%d/%y",
    "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y",
)


class Kind(StrEnum):
    number = "number"
    category = "category"
    yes_no = "yes/no"
    date = "date"
    identifier = "identifier"
    empty = "empty"
    constant = "constant"


@dataclass(frozen=True)
class ColumnProfile:
    """One column as understood: its kind, its values in usable form, and why it is unusable if it is.

    `values` is float for numbers, yes/no (1.0 = yes) and dates (days since 1970-01-01); for
    categories it holds the stripped strings; missing is NaN / None in every case.
    """

    name: str
    kind: Kind
    values: pd.Series
    missing: int
    why_unusable: str = ""
    date_format: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.number, Kind.yes_no, Kind.date)


def normalise_name(name: str) -> str:
    """'Candidate  Gender', 'candidate_gender', 'CandidateGender' -> 'candidate gender'."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", spaced.casefold()).split())


def read_csv(path: str | Path) -> pd.DataFrame:
    """Every cell as a stripped string (missing as None); UTF-8 with or without BOM; `,` `;` or tab."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{path} is not UTF-8 text (byte {error.start}); save it as CSV UTF-8 and try again"
        ) from None
    if not text.strip():
        raise UnreadableFile(f"{path} is empty")
    try:
        delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        reason = " ".join(str(error).split())  # the parser's message ends with a newline
        raise UnreadableFile(f"{path} is not a readable CSV file: {reason}") from None
    return clean_strings(frame)


def clean_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip every cell and turn placeholders into None; column names stripped too."""
    cleaned = {}
    for column in frame.columns:
        text = frame[column].astype("string").str.strip()
        is_placeholder = text.isna() | text.str.casefold().isin(PLACEHOLDERS)
        cleaned[str(column).strip()] = text.mask(is_placeholder).astype(object).where(~is_placeholder, None)
    return pd.DataFrame(cleaned, index=frame.index)


_THOUSANDS_COMMA = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_THOUSANDS_DOT = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"
_DECIMAL_COMMA = r"[+-]?\d*,\d+"


def parse_numbers(text: pd.Series) -> pd.Series:
    """Numbers as people write them: '12.5', '12,5', '1,200', '1.200,50', '45%', '€ 3 000'. NaN if not.

    Commas are read one way for the whole column: as decimal marks when some value can only be
    read that way ('12,5') and no value has a decimal point, otherwise as thousands separators.
    """
    filled = text.dropna().astype(str)
    compact = filled.str.replace(r"[\s\u00a0\u202f'_]", "", regex=True).str.replace(r"^[€$£¥]|[€$£¥%]$", "", regex=True)
    compact = compact.str.replace(r"^(EUR|USD|GBP|CHF|INR)|(EUR|USD|GBP|CHF|INR|k)$", "", regex=True, case=False)
    thousands_comma = compact.str.fullmatch(_THOUSANDS_COMMA)
    decimal_comma = compact.str.fullmatch(_DECIMAL_COMMA) & ~thousands_comma
    thousands_dot = compact.str.fullmatch(_THOUSANDS_DOT) & compact.str.contains(",", regex=False)
    has_point = compact.str.contains(".", regex=False) & ~thousands_dot
    if decimal_comma.any() and not has_point.any():
        converted = compact.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        european = compact.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        converted = compact.where(~thousands_dot, european)
        converted = converted.where(thousands_dot, converted.str.replace(",", "", regex=False))
    numbers = pd.to_numeric(converted, errors="coerce")
    return pd.Series(numbers, index=filled.index, dtype=float).reindex(text.index)


def parse_yes_no(text: pd.Series) -> pd.Series | None:
    """1.0 / 0.0 when every filled value is one of a known yes/no pair, else None."""
    folded = text.dropna().astype(str).str.casefold()
    seen = set(folded.unique())
    if not seen:
        return None
    for yes, no in YES_NO_PAIRS:
        if seen <= yes | no and seen & yes and seen & no:
            return pd.Series(np.where(folded.isin(yes), 1.0, 0.0), index=folded.index).reindex(text.index)
    return None


def parse_dates(text: pd.Series) -> tuple[pd.Series, str] | None:
    """Days since 1970-01-01 (float) and the format, when one format reads the column, else None."""
    filled = text.dropna().astype(str)
    if filled.empty or not filled.str.contains(r"\d", regex=True).all():
        return None
    best: tuple[int, str, pd.Series] | None = None
    for date_format in DATE_FORMATS:
        parsed = pd.to_datetime(filled, format=date_format, errors="coerce")
        read = int(parsed.notna().sum())
        if best is None or read > best[0]:
            best = (read, date_format, parsed)
        if read == len(filled):
            break
    assert best is not None
    read, date_format, parsed = best
    if read < TYPE_SHARE * len(filled):
        return None
    days = (parsed - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
    return pd.Series(days.astype(float), index=filled.index).reindex(text.index), date_format


def _is_serial(numbers: pd.Series) -> bool:
    """Integers that count rows: each one more than the one before, in file order or once sorted."""
    filled = numbers.dropna()
    if len(filled) < IDENTIFIER_MIN_ROWS or not (filled == filled.round()).all() or filled.duplicated().any():
        return False
    steps_in_file = np.diff(filled.to_numpy())
    steps_sorted = np.diff(np.sort(filled.to_numpy()))
    return bool(max((steps_in_file == 1).mean(), (steps_sorted == 1).mean()) >= IDENTIFIER_UNIQUE_SHARE)


def _is_reference_number(name: str, numbers: pd.Series) -> bool:
    """Distinct whole numbers that are named like a reference or grow with every row (a row counter)."""
    filled = numbers.dropna()
    if len(filled) < IDENTIFIER_MIN_ROWS or not (filled == filled.round()).all():
        return False
    if filled.nunique() < IDENTIFIER_UNIQUE_SHARE * len(filled):
        return False
    return bool(IDENTIFIER_NAME.search(normalise_name(name)) or (np.diff(filled.to_numpy()) > 0).all())


def profile_column(name: str, text: pd.Series) -> ColumnProfile:
    """Classify one column of cleaned strings (None = missing)."""
    missing = int(text.isna().sum())
    filled = text.dropna()
    if filled.empty:
        return ColumnProfile(name, Kind.empty, text, missing, "empty: no value in any row")
    distinct = filled.nunique()
    if distinct == 1:
        return ColumnProfile(
            name, Kind.constant, text, missing, f"the same value ({filled.iloc[0]!r}) in every filled row"
        )
    yes_no = parse_yes_no(text)
    if yes_no is not None:
        return ColumnProfile(name, Kind.yes_no, yes_no, missing)
    numbers = parse_numbers(text)
    if numbers.notna().sum() >= TYPE_SHARE * len(filled):
        if _is_serial(numbers):
            why = "identifier: a serial number (one more each row)"
            return ColumnProfile(name, Kind.identifier, numbers, missing, why)
        if _is_reference_number(name, numbers):
            why = "identifier: a different reference number in every row"
            return ColumnProfile(name, Kind.identifier, numbers, missing, why)
        return ColumnProfile(name, Kind.number, numbers, missing)
    dates = parse_dates(text)
    if dates is not None:
        return ColumnProfile(name, Kind.date, dates[0], missing, date_format=dates[1])
    if len(filled) >= IDENTIFIER_MIN_ROWS and distinct >= IDENTIFIER_UNIQUE_SHARE * len(filled):
        return ColumnProfile(
            name, Kind.identifier, text, missing,
            f"identifier: {distinct:,} different values in {len(filled):,} rows",
        )
    return ColumnProfile(name, Kind.category, text.astype(object), missing)


def profile_columns(frame: pd.DataFrame) -> dict[str, ColumnProfile]:
    return {str(column): profile_column(str(column), frame[column]) for column in frame.columns}
