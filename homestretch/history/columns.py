"""What an imported column means: the known fields, the column names that name them, the words for
an outcome, and how each field's text is read. One table of each, in this one place.

Column names are compared without case, spaces or punctuation ("Notice period", "notice_period"
and "NOTICE-PERIOD" are the same name). Protected attributes (gender, age...) are deliberately not
known fields: they are kept in `extra` like any other column, and the learning code decides what
they may serve (a fairness audit, never a predictor).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from homestretch.lib.file_dates import BadDate, DateOrder, parse_date
from homestretch.lib.money import CURRENCY_CODES, DECIMAL_PLACES, MAX_DIGITS
from homestretch.pipeline.choices import Outcome


class BadValue(ValueError):
    """A value that does not fit its field; the message says why, in words for the person importing."""


def normalise(name: str) -> str:
    """A column name or a word without case, spaces or punctuation: 'Notice period' -> 'noticeperiod'."""
    return re.sub(r"[\W_]+", "", name.casefold())


# --- Reading one value ----------------------------------------------------------------------------

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 85,000 or 1,234.50: commas group thousands


def read_decimal(text: str) -> Decimal:
    """A number as people type it in spreadsheets: '12.5', '12,5' (decimal comma), '85,000' or
    '85 000' (grouped thousands), '1.234,56' and '1,234.56', with an optional % or currency sign."""
    cleaned = re.sub(r"[\s\u00a0\u202f%€$£]", "", text)
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned and "." in cleaned:
        # Both separators: the last one is the decimal mark, the other groups thousands.
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(grouping, "").replace(decimal_mark, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # not a number, or an exponent past what decimal represents (1e99999999999999999999)
        raise BadValue("is not a number") from None
    if not number.is_finite():
        raise BadValue("is not a number")
    return number


def _bounded(number: Decimal, whole_digits: int) -> Decimal:
    """Rounded to cents, refused when it has more than `whole_digits` digits before the point. The
    size is checked first: rounding 1e30 to cents needs more digits than decimal's context holds."""
    if number and number.adjusted() >= whole_digits:
        raise BadValue("is too large")
    rounded = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(rounded) >= Decimal(10) ** whole_digits:  # 999.999 rounds up to 1000.00
        raise BadValue("is too large")
    return rounded


def read_amount(text: str) -> Decimal:
    number = _bounded(read_decimal(text), MAX_DIGITS - DECIMAL_PLACES)
    if number < 0:
        raise BadValue("is a negative amount")
    return number


def read_percent(text: str) -> Decimal:
    # A raise may be negative (a candidate taking a pay cut for remote work).
    try:
        return _bounded(read_decimal(text), 7)
    except BadValue as bad:
        raise BadValue(f"{bad} (a percentage such as 15 or 12.5)") from None


def read_years(text: str) -> Decimal:
    try:
        number = _bounded(read_decimal(text), 3)
    except BadValue:
        raise BadValue("is not a number of years") from None
    if number < 0:
        raise BadValue("is not a number of years")
    return number


def read_days(text: str) -> int:
    """Whole days; how many at most is the model's rule (PastOutcome.clean: lib/limits.py)."""
    try:
        number = read_decimal(text)
    except BadValue:
        raise BadValue("is not a number of days") from None
    if number and number.adjusted() >= 9:  # before int(): 1e999999999 would be a billion digits
        raise BadValue("is too large")
    if number != number.to_integral_value() or number < 0:
        raise BadValue("is not a number of days")
    return int(number)


YES = frozenset({"yes", "y", "true", "t", "1", "ja", "oui", "si"})
NO = frozenset({"no", "n", "false", "f", "0", "nein", "non"})


def read_yes_no(text: str) -> bool:
    word = normalise(text)
    if word in YES:
        return True
    if word in NO:
        return False
    raise BadValue("is not yes or no")


def read_date(text: str, order: DateOrder | None = DateOrder.DAY_FIRST) -> date:
    """ISO dates (2025-03-31), or day first (31.03.2025) or month first (03/31/2025) as the file writes
    them: the import decides `order` for the whole file from its values (`lib/file_dates.py`, shared
    with the spreadsheet import), or is told with --date-format. A time after the date is ignored."""
    try:
        return parse_date(text, order)
    except BadDate as bad:
        raise BadValue(str(bad)) from None


def read_currency(text: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise BadValue("is not a three-letter currency code such as EUR")
    if code not in CURRENCY_CODES:  # the codes the API and the forms take (XXX, DEM... are not)
        raise BadValue("is not an ISO 4217 currency code such as EUR or USD")
    return code


def storable(text: str) -> str:
    """Text both databases store: PostgreSQL refuses NUL characters, in text and in JSON alike."""
    if "\x00" in text:
        raise BadValue("holds a NUL character, which cannot be stored")
    return text


def read_text(text: str) -> str:
    value = " ".join(storable(text).split())
    if len(value) > 200:
        raise BadValue("is longer than 200 characters")
    return value


def read_row_id(text: str) -> str:
    value = storable(text).strip()
    if len(value) > 64:
        raise BadValue("is longer than 64 characters, too long for an id")
    return value


# --- Outcomes -------------------------------------------------------------------------------------

# Words for how it ended, compared without case, spaces or punctuation. Anything else is a bad row.
OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    Outcome.HIRED: (
        "joined", "hired", "started", "accepted", "offer accepted", "yes", "won", "placed", "placement",
        "signed", "success", "successful",
    ),
    Outcome.LOST: (
        "not joined", "did not join", "didn't join", "declined", "offer declined", "reneged", "withdrew",
        "withdrawn", "no show", "no-show", "lost", "not hired", "rejected", "offer rejected", "dropped",
        "dropped out", "backed out", "no", "failed", "unsuccessful",
    ),
}
_OUTCOME_BY_WORD: dict[str, str] = {
    normalise(word): str(outcome) for outcome, words in OUTCOME_WORDS.items() for word in words
}


def read_outcome(text: str) -> str:
    storable(text)  # the words are kept as written (PastOutcome.outcome_raw)
    if not text.strip():
        raise BadValue("is empty: every row needs its outcome")
    outcome = _OUTCOME_BY_WORD.get(normalise(text))
    if outcome is None:
        raise BadValue("is not an outcome (hired: joined, hired, started...; lost: not joined, declined...)")
    return outcome


# --- The known fields -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    read: Callable[[str], object]
    column_names: tuple[str, ...]  # names it goes by, including the HR-analytics data set's


FIELDS: tuple[Field, ...] = (
    Field("row_id", read_row_id, ("Candidate Ref", "Candidate ID", "Candidate Reference", "Application ID",
                                  "Row ID", "Record ID", "ID", "Ref", "Reference")),
    Field("outcome", read_outcome, ("Status", "Outcome", "Result", "Final Status", "Offer Status", "Joined")),
    Field("decided_on", read_date, ("Decided On", "Decision Date", "Outcome Date", "Closed On", "Close Date")),
    Field("expected_pay", read_amount, ("Expected Pay", "Expected Salary", "Expected CTC", "Expected Base",
                                        "Salary Expectation", "Asked Salary")),
    Field("offered_pay", read_amount, ("Offered Pay", "Offered Salary", "Offered CTC", "Offered Base",
                                       "Offer Salary", "Offer Amount")),
    Field("currency", read_currency, ("Currency", "Currency Code")),
    Field("expected_raise_percent", read_percent, ("Pecent hike expected in CTC", "Percent hike expected in CTC",
                                                   "Expected Hike", "Expected Raise", "Expected Raise Percent")),
    Field("offered_raise_percent", read_percent, ("Percent hike offered in CTC", "Pecent hike offered in CTC",
                                                  "Offered Hike", "Offered Raise", "Offered Raise Percent")),
    Field("notice_days", read_days, ("Notice period", "Notice Days", "Notice Period Days", "Notice")),
    Field("start_date_extended", read_yes_no, ("DOJ Extended", "Start Date Extended", "Joining Date Extended")),
    Field("days_to_accept", read_days, ("Duration to accept offer", "Days to Accept", "Time to Accept")),
    Field("joining_bonus", read_yes_no, ("Joining Bonus", "Signing Bonus", "Sign-on Bonus")),
    Field("relocation", read_yes_no, ("Candidate relocate actual", "Relocation", "Relocate", "Relocated")),
    Field("source", read_text, ("Candidate Source", "Source", "Sourcing Channel")),
    Field("location", read_text, ("Location", "City", "Office")),
    Field("business_line", read_text, ("LOB", "Line of Business", "Business Line", "Business Unit")),
    Field("years_experience", read_years, ("Rex in Yrs", "Years Experience", "Years of Experience",
                                           "Experience Years", "YOE")),
)
FIELD_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
FIELD_BY_COLUMN: dict[str, str] = {
    normalise(column): field.name for field in FIELDS for column in (field.name, *field.column_names)
}
# `--map "COLUMN=extra"` keeps a column as an extra attribute even when its name looks known.
EXTRA = "extra"


def recognise(column: str) -> str | None:
    """The known field a column's name stands for, or None (it is then an extra attribute)."""
    return FIELD_BY_COLUMN.get(normalise(column))
