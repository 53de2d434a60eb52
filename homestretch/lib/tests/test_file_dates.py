"""Dates of a file: the order told from the values, or asked for."""

from __future__ import annotations

from datetime import date

import pytest

from homestretch.lib.file_dates import BadDate, DateOrder, DateOrders, DateOrderUnknown, parse_date


def orders_of(*values: str) -> DateOrders:
    orders = DateOrders()
    for value in values:
        orders.see(value)
    return orders


@pytest.mark.parametrize(("values", "order"), [
    (("31/03/2025", "03/04/2025"), DateOrder.DAY_FIRST),
    (("03/31/2025", "03/04/2025"), DateOrder.MONTH_FIRST),
    (("2025-03-31", "01/01/2025", "45747"), DateOrder.DAY_FIRST),  # nothing where the order matters
    (("31.03.2025 10:00", "4.5.25"), DateOrder.DAY_FIRST),
])
def test_the_values_tell_the_order(values, order):
    assert orders_of(*values).decide(None) == order


def test_values_that_cannot_tell_or_contradict_ask_for_the_format():
    with pytest.raises(DateOrderUnknown, match="could be either"):
        orders_of("03/04/2025", "05/06/2025").decide(None)
    with pytest.raises(DateOrderUnknown, match="mix orders"):
        orders_of("31/03/2025", "03/31/2025").decide(None)
    assert orders_of("03/04/2025").decide(DateOrder.MONTH_FIRST) == DateOrder.MONTH_FIRST


def test_reading_in_an_order():
    assert parse_date("03/04/2025", DateOrder.MONTH_FIRST) == date(2025, 3, 4)
    assert parse_date("03/04/2025", DateOrder.DAY_FIRST) == date(2025, 4, 3)
    assert parse_date("2025-04-03T10:00:00", DateOrder.MONTH_FIRST) == date(2025, 4, 3)
    assert parse_date("45747", None) == date(2025, 3, 31)  # an Excel serial
    assert parse_date("31/03/2025", None) == date(2025, 3, 31)
    with pytest.raises(BadDate, match="day first or month first"):
        parse_date("03/04/2025", None)
    with pytest.raises(BadDate, match="not a date"):
        parse_date("31/03/2025", DateOrder.MONTH_FIRST)
    with pytest.raises(BadDate):
        parse_date("yesterday", DateOrder.DAY_FIRST)
