"""Dates typed in a spreadsheet: ISO, day first or month first, told apart per file from its values.

`03/04/2025` is the 3rd of April in Europe and March the 4th in the US; the value alone cannot say.
A file can: a value whose first number is above 12 (`31/03/2025`) is day first, one whose second is
(`03/31/2025`) is month first, and a file uses one order throughout. Both imports (the spreadsheet
import and the history import) gather every date of a file in `DateOrders`, then `decide` the order
for the whole file, or ask for `--date-format` when the values cannot tell (every one of them could
be either, or they contradict each other). ISO dates (2025-03-31, 2025/03/31) are always year,
month, day. A time after the date is ignored.

Excel serial day numbers (45747 for 2025-03-31, what a date cell becomes in a CSV saved from some
sheets) are read as dates too, between 1982 and 2119 (serials 30000 to 80000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class DateOrder(StrEnum):
    ISO = "iso"  # 2025-03-31
    DAY_FIRST = "day-first"  # 31/03/2025, 31.03.2025
    MONTH_FIRST = "month-first"  # 03/31/2025


class BadDate(ValueError):
    """A value that is no date (the message says what a date looks like)."""


class DateOrderUnknown(ValueError):
    """The file's dates could be day first or month first: the person importing must say."""


DATE_FORMAT_HELP = "--date-format day-first (31/03/2025) or --date-format month-first (03/31/2025)"
LOOKS_LIKE = "is not a date such as 2025-03-31 or 31/03/2025"

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, past its 1900 leap-year bug


def _date_part(text: str) -> str:
    return text.strip().split("T")[0].split(" ")[0]


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def parse_date(text: str, order: DateOrder | None) -> date:
    """The date `text` stands for, read in `order` when it is not ISO. `order=None` reads only what
    needs no order: ISO dates, Excel serials, and numeric dates whose order the value itself shows
    (a number above 12) or that read the same both ways (01/01/2025)."""
    part = _date_part(text)
    try:
        if match := _ISO.fullmatch(part):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.fullmatch(part):
            first, second, year = int(match[1]), int(match[2]), _year(match[3])
            if order is None:
                order = _shown_order(first, second)
            if order is None:
                raise BadDate(f"could be day first or month first; say which with {DATE_FORMAT_HELP}")
            if order == DateOrder.MONTH_FIRST:
                return date(year, first, second)
            return date(year, second, first)
        if _SERIAL.fullmatch(part) and 30_000 <= float(part) < 80_000:
            return _EXCEL_EPOCH + timedelta(days=int(float(part)))
    except ValueError as error:
        if isinstance(error, BadDate):
            raise
        raise BadDate(f"is not a date ({error})") from None
    raise BadDate(LOOKS_LIKE)


def _shown_order(first: int, second: int) -> DateOrder | None:
    if first == second:
        return DateOrder.DAY_FIRST  # reads the same either way
    if first > 12 >= second:
        return DateOrder.DAY_FIRST
    if second > 12 >= first:
        return DateOrder.MONTH_FIRST
    return None


@dataclass(slots=True)
class DateOrders:
    """What a file's dates say about their order, gathered value by value (`see`), then `decide`d."""

    day_first: int = 0  # values only day first can read (31/03/2025)
    month_first: int = 0  # values only month first can read (03/31/2025)
    either: int = 0  # values both orders read, as different dates (03/04/2025)
    first_day_first: str = ""
    first_month_first: str = ""
    first_either: str = ""

    def see(self, text: str) -> None:
        match = _NUMERIC.fullmatch(_date_part(text))
        if match is None:
            return  # ISO, a serial, or no date: the order does not matter
        first, second = int(match[1]), int(match[2])
        if first == second:
            return
        shown = _shown_order(first, second)
        if shown == DateOrder.DAY_FIRST:
            self.day_first += 1
            self.first_day_first = self.first_day_first or text.strip()
        elif shown == DateOrder.MONTH_FIRST:
            self.month_first += 1
            self.first_month_first = self.first_month_first or text.strip()
        elif first <= 12 and second <= 12:
            self.either += 1
            self.first_either = self.first_either or text.strip()

    def decide(self, given: DateOrder | None) -> DateOrder:
        """The order to read this file's dates in: `given` when the person said, else what the
        values show. Raises DateOrderUnknown when they show nothing or contradict each other."""
        if given is not None:
            return given
        if self.day_first and self.month_first:
            raise DateOrderUnknown(
                f"The dates mix orders: '{self.first_day_first}' is day first and '{self.first_month_first}' "
                f"month first. Say how the file writes them with {DATE_FORMAT_HELP}; the others are then bad rows.")
        if self.month_first:
            return DateOrder.MONTH_FIRST
        if self.day_first or not self.either:
            return DateOrder.DAY_FIRST  # day first shown, or no value where the order matters
        raise DateOrderUnknown(
            f"The dates cannot tell day from month: every one, such as '{self.first_either}', could be either. "
            f"Say which with {DATE_FORMAT_HELP}, or write them as 2025-03-31.")
