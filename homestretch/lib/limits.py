"""What a recruiter may record: the bounds of dates, amounts and notice periods, in one place.

Models (`clean`), services, the API's schemas (`lib/api_fields.py`), the forms, the command line
and the history import read these, so that every entry point refuses the same value with the same
field, words and code (`Refused(field, message, OUT_OF_RANGE)`: bad input, 422 in the API).

Two kinds of bound:

- fixed ones, which the OpenAPI document states: dates and times within the years
  `FIRST_YEAR`–`LAST_YEAR`, amounts at most `MAX_AMOUNT`, a notice period at most
  `MAX_NOTICE_DAYS` days;
- bounds relative to the moment of the write, which a schema cannot state and is never given at
  import time: the service that writes passes its `now` (or the `at` it dates the write with). A
  touch is at most `TOUCH_AHEAD` ahead of now; the dates of a live record (an offer's start and
  expiry, a competing deadline, an earliest start) lie between `LIVE_YEARS_BACK` years back and
  `LIVE_YEARS_AHEAD` years ahead. Imported history may be older: it checks the fixed bounds only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from .money import format_amount
from .refusals import OUT_OF_RANGE, Refused

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_AMOUNT = Decimal("9999999999")
MAX_NOTICE_DAYS = 365
TOUCH_AHEAD = timedelta(days=1)
LIVE_YEARS_BACK, LIVE_YEARS_AHEAD = 2, 3

NOTICE_TOO_LONG = f"A notice period is at most {MAX_NOTICE_DAYS} days."


def amount_ceiling_in_words(currency: str = "") -> str:
    """'at most 9,999,999,999 EUR' (or without the currency when none is given)."""
    return f"at most {format_amount(MAX_AMOUNT)}{' ' + currency if currency else ''}"


def amount_over_ceiling(currency: str = "") -> str:
    """'An amount is at most 9,999,999,999 EUR.': the one sentence for an amount over the ceiling."""
    return f"An amount is {amount_ceiling_in_words(currency)}."


def check_years(field: str, value: date | datetime | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise Refused(field, f"Give a date between the years {FIRST_YEAR} and {LAST_YEAR}.", OUT_OF_RANGE)


def check_amount(field: str, amount: Decimal | None, currency: str = "") -> None:
    if amount is not None and amount > MAX_AMOUNT:
        raise Refused(field, amount_over_ceiling(currency), OUT_OF_RANGE)


def check_amounts(amounts: dict[str, Decimal | None], currency: str = "") -> None:
    """Every amount of a record at most the ceiling; each one over it refused on its own field."""
    errors = {}
    for field, amount in amounts.items():
        try:
            check_amount(field, amount, currency)
        except Refused as refused:
            errors[field] = refused.error_dict[field]
    if errors:
        raise ValidationError(errors)


def check_positive(field: str, amount: Decimal | None) -> None:
    # A negative amount is refused by the models' not-negative constraints, in their own words.
    if amount is not None and amount == 0:
        raise Refused(field, "Give an amount above zero.", OUT_OF_RANGE)


def check_notice_days(field: str, days: int | None) -> None:
    if days is not None and days > MAX_NOTICE_DAYS:
        raise Refused(field, NOTICE_TOO_LONG, OUT_OF_RANGE)


def check_touch_at(field: str, at: datetime | None, *, now: datetime) -> None:
    """A touch happened, or is about to (a call booked for tomorrow morning): at most a day ahead."""
    if at is not None and at > now + TOUCH_AHEAD:
        raise Refused(field, "A touch is dated at most a day ahead of now.", OUT_OF_RANGE)


def live_date_range(now: datetime | date) -> tuple[date, date]:
    """The first and last day a live record's date may take, as of `now`."""
    today = now.date() if isinstance(now, datetime) else now
    return _years_from(today, -LIVE_YEARS_BACK), _years_from(today, LIVE_YEARS_AHEAD)


def check_live_date(field: str, day: date | None, *, now: datetime | date) -> None:
    """An offer's start or expiry, a competing deadline, an earliest start: within the live range."""
    if day is None:
        return
    first, last = live_date_range(now)
    if not first <= day <= last:
        raise Refused(field, (
            f"Give a date between {first.isoformat()} and {last.isoformat()} "
            f"({LIVE_YEARS_BACK} years back, {LIVE_YEARS_AHEAD} years ahead)."
        ), OUT_OF_RANGE)


def check_live_dates(days: dict[str, date | None], *, now: datetime | date) -> None:
    """Every date of a live record within the live range; each one outside refused on its own field."""
    errors = {}
    for field, day in days.items():
        try:
            check_live_date(field, day, now=now)
        except Refused as refused:
            errors[field] = refused.error_dict[field]
    if errors:
        raise ValidationError(errors)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)
