"""Field types shared by the API's request schemas: bounded ids, text the databases accept,
money as the models store it, dates and times the databases can hold.

Every bound here exists because something past it would otherwise reach the database and fail
there (an id beyond 64 bits, a NUL character in PostgreSQL text, a year 1 date shifted to year 0).
"""

from __future__ import annotations

import re
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

# Text both databases can store, by the longest the field takes; the document says "no NUL" as a pattern.
NO_NUL = {"pattern": "^[^\\x00]*$"}
Text40: TypeAlias = Annotated[str, Field(max_length=40, json_schema_extra=NO_NUL), AfterValidator(_clean_text)]
Text100: TypeAlias = Annotated[str, Field(max_length=100, json_schema_extra=NO_NUL), AfterValidator(_clean_text)]
Text200: TypeAlias = Annotated[str, Field(max_length=200, json_schema_extra=NO_NUL), AfterValidator(_clean_text)]
Text254: TypeAlias = Annotated[str, Field(max_length=254, json_schema_extra=NO_NUL), AfterValidator(_clean_text)]
Text500: TypeAlias = Annotated[str, Field(max_length=500, json_schema_extra=NO_NUL), AfterValidator(_clean_text)]
LongText: TypeAlias = Annotated[str, Field(max_length=20_000, json_schema_extra=NO_NUL), AfterValidator(_clean_text)]

# An e-mail address and a web address (or "" for none), as patterns the document states and the API holds
# to: within what Django's EmailValidator and URLValidator (the models' own checks) take, so that what
# matches is stored. Spaces around an address are trimmed (and an e-mail lower-cased) before it is stored.
_HOST = r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_SPACES = r"[ \t\r\n]*"
EMAIL_PATTERN = rf"^({_SPACES}[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@{_HOST}{_SPACES})?$"
WEB_ADDRESS_PATTERN = rf"^(https?://{_HOST}(:[0-9]{{1,5}})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?)?$"


def _matching(pattern: str, words: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(words)
        return value

    return AfterValidator(check)


Email: TypeAlias = Annotated[
    str, Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN}, examples=["ana@example.org"]),
    _matching(EMAIL_PATTERN, "must be an e-mail address such as ana@example.org, or empty"),
]
WebAddress: TypeAlias = Annotated[
    str, Field(max_length=200, json_schema_extra={"pattern": WEB_ADDRESS_PATTERN}, examples=["https://example.org"]),
    _matching(WEB_ADDRESS_PATTERN, "must be a web address such as https://example.org, or empty"),
]

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


# --- Rules across fields, stated in the document (JSON Schema `if`/`then` under `allOf`)
#
# A rule the body alone breaks is the client's to know before it sends: the document says it, so that
# a generated client, a form built from the document or a fuzzer sends what the API takes. Rules that
# depend on the records as they stand (the stage an application is at, a currency already stored)
# are conflicts (409), which no document can state. Each schema attaches its rules with
# `model_config = ConfigDict(json_schema_extra=rules(...))`; the API's own checks stay in the
# services and models, and the fuzz test holds the two to each other.

WHITESPACE_ONLY = r"^\s*$"


def is_set(field: str) -> dict[str, Any]:
    """The body gives `field` a value (not null; text not empty)."""
    return {"required": [field], "properties": {field: {"not": {"anyOf": [{"type": "null"}, {"const": ""}]}}}}


def has_text(field: str) -> dict[str, Any]:
    """The body gives `field` text that is not only spaces (what `.strip()` keeps)."""
    return {"required": [field], "properties": {field: {"type": "string", "not": {"pattern": WHITESPACE_ONLY}}}}


def is_one_of(field: str, values: Any) -> dict[str, Any]:
    return {"required": [field], "properties": {field: {"enum": sorted(values)}}}


def is_true(field: str) -> dict[str, Any]:
    return {"required": [field], "properties": {field: {"const": True}}}


def when(condition: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    return {"if": condition, "then": then}


def any_of(*conditions: dict[str, Any]) -> dict[str, Any]:
    return conditions[0] if len(conditions) == 1 else {"anyOf": list(conditions)}


def amounts_need_currency(amounts: tuple[str, ...], currency: str, *, patch: bool = False) -> dict[str, Any]:
    """Any amount sent needs its currency: in the same body (a new record), or not cleared in it (a PATCH,
    where a currency already stored counts; a record stored without one answers 409)."""
    if patch:
        then: dict[str, Any] = {"properties": {currency: {"not": {"anyOf": [{"type": "null"}, {"const": ""}]}}}}
    else:
        then = {"required": [currency], "properties": {currency: {"enum": sorted(CURRENCY_CODES)}}}
    return when(any_of(*(is_set(amount) for amount in amounts)), then)


def rules(*statements: dict[str, Any]) -> dict[str, Any]:
    """`json_schema_extra` of a schema whose fields depend on each other."""
    return {"allOf": list(statements)}
