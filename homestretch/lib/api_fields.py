"""Field types shared by the API's request schemas: bounded ids, text the databases accept,
money as the models store it, dates and times the databases can hold.

Every bound here exists because something past it would otherwise reach the database and fail
there (an id beyond 64 bits, a NUL character in PostgreSQL text, a year 1 date shifted to year 0).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, PlainSerializer

from homestretch.lib.money import CURRENCY_CODES, DECIMAL_PLACES, MAX_DIGITS

MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


def _in_years(value: date | datetime) -> date | datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _iso_text(value: object) -> object:
    # Pydantic would read a number as a Unix time; the API speaks ISO 8601 only.
    if isinstance(value, int | float | bool):
        raise ValueError("must be an ISO 8601 string such as 2026-11-25 or 2026-11-25T09:00:00+01:00")
    return value


def _currency(value: str) -> str:
    if value not in CURRENCY_CODES:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code such as EUR or USD")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]  # in paths and queries, where everything arrives as text
RefId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]  # in bodies: a JSON number, not "12"
Flag = Annotated[bool, Field(strict=True)]  # in bodies: true or false, not "yes" or 1


def text(max_length: int) -> type[str]:
    """A string of at most `max_length` characters that both databases can store."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_clean_text)]  # type: ignore[return-value]


LongText = text(20_000)
Amount = Annotated[Decimal, Field(ge=0, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, allow_inf_nan=False)]
Currency = Annotated[str, Field(min_length=3, max_length=3, examples=["EUR"]), AfterValidator(_currency)]
Day = Annotated[date, BeforeValidator(_iso_text), AfterValidator(_in_years)]
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_years)]
Level = Annotated[int, Field(ge=1, le=5, strict=True)]
RemoteDays = Annotated[int, Field(ge=0, le=5, strict=True)]


def whole(low: int, high: int) -> type[int]:
    """A JSON integer in a body, between `low` and `high`."""
    return Annotated[int, Field(ge=low, le=high, strict=True)]  # type: ignore[return-value]

# In responses: always a decimal string with two places, "90000.00", whether just saved or read back.
MoneyOut = Annotated[Decimal, PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str, when_used="always")]
