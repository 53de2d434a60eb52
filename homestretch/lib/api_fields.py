"""Field types shared by the API's request schemas: bounded ids, text the databases accept,
money as the models store it, dates and times the databases can hold.

Every bound here exists because something past it would otherwise reach the database and fail
there (an id beyond 64 bits, a NUL character in PostgreSQL text, a year 1 date shifted to year 0).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from homestretch.lib.limits import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT, MAX_NOTICE_DAYS, amount_ceiling_in_words
from homestretch.lib.money import CURRENCY_CODES, DECIMAL_PLACES

MAX_ID = 2**63 - 1
# The year range in the document, for clients and generators: what `_in_years` checks.
YEARS_PATTERN = "^(20[0-9]{2}|2100)-"
assert (FIRST_YEAR, LAST_YEAR) == (2000, 2100), "YEARS_PATTERN says the years; change both together"


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


def _in_utc(value: datetime) -> datetime:
    # Python reads offsets up to ±23:59; PostgreSQL refuses any beyond ±15:59 ("time zone displacement
    # out of range"). The same moment in UTC is what every query compares anyway.
    return value.astimezone(UTC)


def _iso_text(value: object) -> object:
    # Pydantic would read a number as a Unix time; the API speaks ISO 8601 only.
    if isinstance(value, int | float | bool):
        raise ValueError("must be an ISO 8601 string such as 2026-11-25 or 2026-11-25T09:00:00+01:00")
    return value


def _at_most_the_ceiling(value: Decimal) -> Decimal:
    # In words, as the forms and the models say it; the document states the same `maximum`.
    if value > MAX_AMOUNT:
        raise ValueError(f"an amount is {amount_ceiling_in_words()}")
    return value


def _json_integer(value: object) -> object:
    # A JSON integer, which JSON Schema counts 3.0 among; never a string ("3") or a boolean.
    if isinstance(value, str | bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError("must be a whole number (a JSON integer such as 3)")
    return value


def _currency(value: str) -> str:
    if value not in CURRENCY_CODES:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code such as EUR or USD")
    return value


def not_null(schema: dict[str, Any]) -> None:
    """`json_schema_extra` of a PATCH field that may be left out but not set to null (a name, a
    status): the document says it is not nullable, as `refuse_nulls` answers (422)."""
    branches = [branch for branch in schema.pop("anyOf", []) if branch != {"type": "null"}]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches


# Type aliases, so that a schema's annotations are types to the checker as well as to pydantic.
Id: TypeAlias = Annotated[int, Field(ge=1, le=MAX_ID)]  # in paths and queries, where everything arrives as text
# In bodies: a JSON number, not "12"; 12.0 is the integer 12 to JSON Schema, and so to us.
RefId: TypeAlias = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_json_integer)]
Flag: TypeAlias = Annotated[bool, Field(strict=True)]  # in bodies: true or false, not "yes" or 1

# Text both databases can store, by the longest the field takes.
Text40: TypeAlias = Annotated[str, Field(max_length=40), AfterValidator(_clean_text)]
Text100: TypeAlias = Annotated[str, Field(max_length=100), AfterValidator(_clean_text)]
Text200: TypeAlias = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
Text254: TypeAlias = Annotated[str, Field(max_length=254), AfterValidator(_clean_text)]  # an e-mail address
Text500: TypeAlias = Annotated[str, Field(max_length=500), AfterValidator(_clean_text)]
LongText: TypeAlias = Annotated[str, Field(max_length=20_000), AfterValidator(_clean_text)]

def _above_zero(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("give an amount above zero")
    return value


_WHOLE_DIGITS = len(str(MAX_AMOUNT))


def _amount_schema(*, above_zero: bool) -> WithJsonSchema:
    """What an amount is, said exactly in the document: a number or a decimal string, at most
    MAX_AMOUNT, with at most two decimals (above zero for our offer's base)."""
    bound = {"exclusiveMinimum": 0} if above_zero else {"minimum": 0}
    text = (rf"^([1-9][0-9]{{0,{_WHOLE_DIGITS - 1}}}(\.[0-9]{{1,{DECIMAL_PLACES}}})?|0\.(0[1-9]|[1-9][0-9]?))$"
            if above_zero else rf"^[0-9]{{1,{_WHOLE_DIGITS}}}(\.[0-9]{{1,{DECIMAL_PLACES}}})?$")
    return WithJsonSchema({
        "anyOf": [
            {"type": "number", **bound, "maximum": int(MAX_AMOUNT), "multipleOf": 0.01},
            {"type": "string", "pattern": text},
        ],
        "description": f"{'Above 0' if above_zero else '0'} to {MAX_AMOUNT:,}, at most {DECIMAL_PLACES} decimals: "
                       "a number or a decimal string such as \"90000.50\".",
    })


_AMOUNT = Field(ge=0, decimal_places=DECIMAL_PLACES, allow_inf_nan=False)
Amount: TypeAlias = Annotated[Decimal, _AMOUNT, AfterValidator(_at_most_the_ceiling), _amount_schema(above_zero=False)]
# Our offer's base: an offer of nothing is no offer (Offer.clean says the same).
PositiveAmount: TypeAlias = Annotated[
    Decimal, _AMOUNT, AfterValidator(_above_zero), AfterValidator(_at_most_the_ceiling), _amount_schema(above_zero=True)
]
# The document lists the codes, so that a client (and a fuzzer) knows "XXX" is refused before sending it.
Currency: TypeAlias = Annotated[
    str, Field(min_length=3, max_length=3, examples=["EUR"], json_schema_extra={"enum": sorted(CURRENCY_CODES)}),
    AfterValidator(_currency),
]
_YEARS = Field(json_schema_extra={"pattern": YEARS_PATTERN},
               description=f"Between the years {FIRST_YEAR} and {LAST_YEAR}.")
Day: TypeAlias = Annotated[date, BeforeValidator(_iso_text), AfterValidator(_in_years), _YEARS]
Moment: TypeAlias = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_years),
                              AfterValidator(_in_utc), _YEARS]

# Whole numbers in bodies: a JSON integer, not "3" or 3.0.
Level: TypeAlias = Annotated[int, Field(ge=1, le=5), BeforeValidator(_json_integer)]  # importance, interest: 1 to 5
RemoteDays: TypeAlias = Annotated[int, Field(ge=0, le=5), BeforeValidator(_json_integer)]
YearsOfExperience: TypeAlias = Annotated[int, Field(ge=0, le=80), BeforeValidator(_json_integer)]
NoticeDays: TypeAlias = Annotated[int, Field(ge=0, le=MAX_NOTICE_DAYS), BeforeValidator(_json_integer)]

# In responses: always a decimal string with two places, "90000.00", whether just saved or read back.
MoneyOut: TypeAlias = Annotated[
    Decimal, PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str, when_used="always")
]
