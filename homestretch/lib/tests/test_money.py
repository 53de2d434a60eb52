"""Money: an amount with its ISO 4217 currency and period, never compared across either."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homestretch.lib.money import (
    COMMON_CURRENCIES,
    CURRENCY_CODES,
    CurrencyMismatch,
    Money,
    Period,
    currency_choices,
    format_amount,
)


def eur(amount: str, period: str = Period.YEAR) -> Money:
    return Money(Decimal(amount), "EUR", period)


def test_money_carries_its_currency_and_a_yearly_period_by_default():
    salary = Money(Decimal("92000"), "EUR")
    assert (salary.amount, salary.currency, salary.period) == (Decimal("92000"), "EUR", Period.YEAR)


def test_zero_is_an_amount():
    assert Money(Decimal("0"), "USD").amount == 0


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        Money(Decimal("-0.01"), "EUR")


@pytest.mark.parametrize("currency", ["XYZ", "eur", "EURO", "", "DEM"])
def test_an_unknown_currency_is_refused(currency):
    with pytest.raises(ValueError, match="is not an ISO 4217 currency code"):
        Money(Decimal("100"), currency)


@pytest.mark.parametrize("period", ["week", "YEAR", ""])
def test_an_unknown_period_is_refused(period):
    with pytest.raises(ValueError, match="is not a pay period"):
        Money(Decimal("100"), "EUR", period)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "sNaN"])
def test_an_amount_that_is_not_a_number_is_refused(amount):
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal(amount), "EUR")


def test_money_is_a_value():
    assert eur("90000") == eur("90000.00")
    assert eur("90000") != eur("90000", Period.MONTH)
    with pytest.raises(AttributeError):
        eur("1").amount = Decimal("2")


def test_compare_to_says_how_much_more_the_other_pays():
    ours = eur("80000")
    assert ours.compare_to(eur("92000")) == Decimal("0.15")
    assert ours.compare_to(eur("72000")) == Decimal("-0.1")
    assert ours.compare_to(eur("80000")) == 0


def test_compare_to_refuses_another_currency():
    with pytest.raises(CurrencyMismatch, match="cannot compare EUR year with USD year"):
        eur("80000").compare_to(Money(Decimal("90000"), "USD"))


def test_compare_to_refuses_another_period():
    with pytest.raises(CurrencyMismatch, match="cannot compare EUR year with EUR month"):
        eur("80000").compare_to(eur("7000", Period.MONTH))


def test_a_mismatch_is_a_value_error_callers_can_catch():
    assert issubclass(CurrencyMismatch, ValueError)


def test_compare_to_refuses_a_zero_base():
    with pytest.raises(ZeroDivisionError):
        eur("0").compare_to(eur("1000"))


def test_same_basis_needs_currency_and_period():
    assert eur("1").same_basis(eur("2"))
    assert not eur("1").same_basis(Money(Decimal("1"), "GBP"))
    assert not eur("1").same_basis(eur("1", Period.DAY))


def test_money_reads_as_amount_and_currency():
    assert str(eur("92000")) == "92,000 EUR"
    assert str(Money(Decimal("65.50"), "GBP", Period.HOUR)) == "65.50 GBP"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("92000"), "92,000"),
        (Decimal("92000.00"), "92,000"),
        (Decimal("92000.5"), "92,000.50"),
        (Decimal("1234567.89"), "1,234,567.89"),
        (Decimal("0"), "0"),
        (Decimal("999"), "999"),
        (Decimal("1E+3"), "1,000"),
        (85000, "85,000"),
        (12.5, "12.50"),
    ],
)
def test_format_amount_shows_cents_only_when_there_are_some(amount, text):
    assert format_amount(amount) == text


def test_currency_choices_offer_the_common_ones_first_and_every_code_once():
    codes = [code for code, _label in currency_choices()]
    assert tuple(codes[: len(COMMON_CURRENCIES)]) == COMMON_CURRENCIES
    assert sorted(codes) == sorted(CURRENCY_CODES)
    assert len(codes) == len(set(codes))


def test_every_currency_code_is_three_capital_letters():
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in CURRENCY_CODES)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2)


@given(base=amounts, other=amounts)
def test_compare_to_is_the_relative_difference(base, other):
    ratio = Money(base, "EUR").compare_to(Money(other, "EUR"))
    assert (ratio > 0) == (other > base)
    assert (ratio == 0) == (other == base)


@given(amount=amounts)
def test_format_amount_keeps_the_value(amount):
    assert Decimal(format_amount(amount).replace(",", "")) == amount
