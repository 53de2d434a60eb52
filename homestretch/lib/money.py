"""Money: a decimal amount with its ISO 4217 currency and the period it is paid for.

Amounts in different currencies or periods are never compared here without a stated rate:
`Money.compare_to` refuses, and callers say what they want instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from .refusals import on_field

# Active ISO 4217 codes (list of 2024). Historical codes (DEM, FRF, ...) are refused on purpose:
# an offer is never paid in them.
CURRENCY_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG
    XOF XPF YER ZAR ZMW ZWG
    """.split()
)

# The currencies offered first in forms; any code above is accepted.
COMMON_CURRENCIES = ("EUR", "USD", "GBP", "INR", "CHF", "PLN", "SEK", "CAD", "AUD")

MAX_DIGITS = 14
DECIMAL_PLACES = 2


class Period(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"
    DAY = "day", "per day"
    HOUR = "hour", "per hour"


def currency_choices() -> list[tuple[str, str]]:
    common = [(c, c) for c in COMMON_CURRENCIES]
    rest = [(c, c) for c in sorted(CURRENCY_CODES - set(COMMON_CURRENCIES))]
    return common + rest


class CurrencyMismatch(ValueError):
    """Two amounts cannot be compared: different currency or period, and no rate was stated."""


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str
    period: str = Period.YEAR

    def __post_init__(self) -> None:
        if self.currency not in CURRENCY_CODES:
            raise ValueError(f"{self.currency!r} is not an ISO 4217 currency code")
        if self.period not in Period.values:
            raise ValueError(f"{self.period!r} is not a pay period: year, month, day or hour")
        # NaN would otherwise slip through (or blow up in) the comparison below.
        if not Decimal(self.amount).is_finite():
            raise ValueError("an amount of money must be a finite number")
        if self.amount < 0:
            raise ValueError("an amount of money cannot be negative")

    def same_basis(self, other: Money) -> bool:
        return self.currency == other.currency and self.period == other.period

    def compare_to(self, other: Money) -> Decimal:
        """other / self - 1: how much more (positive) or less `other` pays than `self`."""
        if not self.same_basis(other):
            raise CurrencyMismatch(
                f"cannot compare {self.currency} {self.period} with {other.currency} {other.period}"
            )
        if self.amount == 0:
            raise ZeroDivisionError("cannot compare against a zero amount")
        return other.amount / self.amount - 1

    def __str__(self) -> str:
        return f"{format_amount(self.amount)} {self.currency}"


def format_amount(amount: Decimal | int | float) -> str:
    """92000 -> '92,000'; cents only when there are some."""
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def money_constraints(prefix: str, amount_fields: list[str], currency_field: str, *, required: bool):
    """Database constraints shared by every model that carries money.

    Amounts are never negative; the currency is a known ISO 4217 code; when any amount is
    present its currency must be too. With `required`, the currency is always present.
    Each one is about one field (lib/refusals.py `on_field`): a form says it beside that field.
    """
    constraints = []
    for name in amount_fields:
        constraints.append(on_field(
            name,
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True}) | models.Q(**{f"{name}__gte": 0}),
                name=f"{prefix}_{name}_not_negative",
                violation_error_message=f"{name.replace('_', ' ').capitalize()} cannot be negative.",
            ),
        ))
    known = models.Q(**{f"{currency_field}__in": sorted(CURRENCY_CODES)})
    if required:
        currency_ok = known
    else:
        no_amount = models.Q()
        for name in amount_fields:
            no_amount &= models.Q(**{f"{name}__isnull": True})
        currency_ok = known | (models.Q(**{currency_field: ""}) & no_amount)
    constraints.append(on_field(
        currency_field,
        models.CheckConstraint(
            condition=currency_ok,
            name=f"{prefix}_{currency_field}_known",
            violation_error_message="Choose a known ISO 4217 currency (such as EUR, USD, GBP or INR) "
            "for the amounts.",
        ),
    ))
    return constraints
