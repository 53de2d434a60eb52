"""Converting pay seen in another currency, only at a stated, dated rate: pure, no database.

A past search's pay lines are in the currencies they were offered in. To read them beside the job
searched, a line in another currency is converted to the job's currency only when the admin's rate
table (similar.models.ExchangeRate) states a rate for the pair, dated on or before the day the pay was
seen (the past job's closing day) and at most MAX_RATE_AGE_DAYS before it; the inverse of the
opposite pair counts as stated too. Otherwise the line stays as it is, and says why it was not
converted. Never a guess, never today's market rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# A rate stated more than this long before the pay was seen is too old to convert it: exchange rates
# between the currencies recruiters meet move by 5-15 % in a year.
MAX_RATE_AGE_DAYS = 366
CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class StatedRate:
    """1 `from_currency` = `rate` `to_currency` from `valid_from` (a row of the admin's table)."""

    from_currency: str
    to_currency: str
    rate: Decimal
    valid_from: date
    source: str = ""


@dataclass(frozen=True, slots=True)
class Conversion:
    """The rate used to convert from one currency to another, as stated (possibly the inverse of a row)."""

    from_currency: str
    to_currency: str
    rate: Decimal  # units of to_currency per unit of from_currency
    valid_from: date
    source: str
    inverse: bool  # stated as 1 to_currency = x from_currency

    def convert(self, amount: Decimal) -> Decimal:
        return (amount * self.rate).quantize(CENTS, rounding=ROUND_HALF_UP)

    @property
    def stated(self) -> str:
        """'1 USD = 0.92 EUR (rate of 2026-01-02, ECB reference rate)', as the admin stated it."""
        if self.inverse:
            shown = f"1 {self.to_currency} = {_number(1 / self.rate)} {self.from_currency}"
        else:
            shown = f"1 {self.from_currency} = {_number(self.rate)} {self.to_currency}"
        return f"{shown} (rate of {self.valid_from.isoformat()}{', ' + self.source if self.source else ''})"

    def as_dict(self) -> dict[str, str | bool]:
        return {"from_currency": self.from_currency, "to_currency": self.to_currency, "rate": f"{self.rate:.8f}",
                "rate_date": self.valid_from.isoformat(), "source": self.source, "inverse": self.inverse,
                "stated": self.stated}


def _number(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.000001')).normalize():f}"


def conversion(rates: Iterable[StatedRate], from_currency: str, to_currency: str, on: date | None,
               ) -> tuple[Conversion | None, str]:
    """The stated rate to convert `from_currency` into `to_currency` for pay seen on `on`, or None and why not.

    The newest row for the pair (or its opposite, inverted) dated on or before `on` and at most
    MAX_RATE_AGE_DAYS before it; a direct row wins a tie with an inverse one.
    """
    if on is None:
        return None, f"the day this pay was seen is not known, so no {from_currency}→{to_currency} rate applies"
    oldest = on - timedelta(days=MAX_RATE_AGE_DAYS)
    best: tuple[date, int, StatedRate] | None = None
    for row in rates:
        if (row.from_currency, row.to_currency) == (from_currency, to_currency):
            preference = 1
        elif (row.from_currency, row.to_currency) == (to_currency, from_currency):
            preference = 0
        else:
            continue
        if not oldest <= row.valid_from <= on or row.rate <= 0:
            continue
        if best is None or (row.valid_from, preference) > best[:2]:
            best = (row.valid_from, preference, row)
    if best is None:
        return None, (f"no {from_currency}→{to_currency} rate in the rate table dated between "
                      f"{oldest.isoformat()} and {on.isoformat()}")
    _, direct, row = best
    rate = row.rate if direct else 1 / row.rate
    return Conversion(from_currency, to_currency, rate, row.valid_from, row.source, inverse=not direct), ""
