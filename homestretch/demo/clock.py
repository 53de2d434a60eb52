"""Time in the demo: whole minutes relative to an anchor, and the text the database stores.

Every moment is an int: minutes since the *epoch*, a Monday 00:00 UTC some years before ``now``.
Stories are simulated in *working minutes* of a city (Monday to Friday, 08:30-18:30 local time,
600 a day), so that calls and stage moves happen in office hours; ``WorkCalendar.wall`` turns a
working minute into a UTC minute. Both maps are monotonic, so the order of events survives them.

Formatting is table lookups and one string concatenation, because a million touchpoints each need
two date-times: SQLite stores naive UTC text (``2026-11-20 09:30:00``, what Django writes with
USE_TZ), PostgreSQL parses ``2026-11-20 09:30:00+00:00``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias

MINUTES_PER_DAY = 1440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
WORK_START = 8 * 60 + 30  # 08:30 local
WORK_MINUTES_PER_DAY = 600  # 08:30-18:30
WORK_MINUTES_PER_WEEK = 5 * WORK_MINUTES_PER_DAY
# Calendar days of history before now (candidates known for years) and of dates after it
# (offer expiries, start dates, competing deadlines).
DAYS_BACK = 1500
DAYS_AHEAD = 400

# The date type, for annotations inside Clock, where the method `Clock.date` (a day's text) hides it.
CalendarDate: TypeAlias = date


class Clock:
    """The anchor ``now`` and the formatting of minutes and days for one database vendor."""

    def __init__(self, now: datetime, vendor: str) -> None:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        now_utc = now.astimezone(UTC)
        first = now_utc.date() - timedelta(days=DAYS_BACK)
        first -= timedelta(days=first.weekday())  # a Monday, so that weeks line up with the epoch
        self.first_date = first
        self.epoch = datetime.combine(first, time(0), tzinfo=UTC)
        self.now = int((now_utc - self.epoch).total_seconds() // 60)
        self.latest = self.now - 1  # the last minute anything may happen: strictly before now
        self.today = self.now // MINUTES_PER_DAY
        days = self.today + DAYS_AHEAD + 1
        self._date = [(first + timedelta(days=d)).isoformat() for d in range(days)]
        # A moment's text is day_text[minute // 1440] + minute_text[minute % 1440].
        self.day_text = [f"{d} " for d in self._date]
        suffix = "+00:00" if vendor == "postgresql" else ""
        self.minute_text = [f"{m // 60:02d}:{m % 60:02d}:00{suffix}" for m in range(MINUTES_PER_DAY)]

    def ts(self, minute: int) -> str:
        """The database text of a moment given in minutes since the epoch."""
        if minute < 0:
            raise ValueError(f"{minute} is before the demo's epoch")
        return self.day_text[minute // MINUTES_PER_DAY] + self.minute_text[minute % MINUTES_PER_DAY]

    def date(self, day: int) -> str:
        if day < 0:
            raise ValueError(f"day {day} is before the demo's epoch")
        return self._date[day]

    def as_datetime(self, minute: int) -> datetime:
        return self.epoch + timedelta(minutes=minute)

    def as_date(self, day: int) -> CalendarDate:
        return self.first_date + timedelta(days=day)

    def day_of(self, d: CalendarDate) -> int:
        return (d - self.first_date).days

    def minutes_ago(self, days: float) -> int:
        """The minute `days` calendar days before now."""
        return self.now - int(days * MINUTES_PER_DAY)

    def weekday(self, day: int) -> int:
        return day % 7  # the epoch is a Monday

    def first_of_next_month(self, day: int) -> int:
        d = self.as_date(day)
        following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return self.day_of(following)


class WorkCalendar:
    """Working minutes of one city: Monday to Friday, 08:30 to 18:30 local (standard) time."""

    __slots__ = ("offset",)

    def __init__(self, utc_offset_minutes: int) -> None:
        self.offset = utc_offset_minutes

    def wall(self, work: int) -> int:
        """The UTC minute (since the epoch) of a working minute."""
        week, rest = divmod(work, WORK_MINUTES_PER_WEEK)
        day, minute = divmod(rest, WORK_MINUTES_PER_DAY)
        return week * MINUTES_PER_WEEK + day * MINUTES_PER_DAY + WORK_START + minute - self.offset

    def work(self, wall: int) -> int:
        """The last working minute at or before a UTC minute."""
        week, rest = divmod(wall + self.offset, MINUTES_PER_WEEK)
        day, minute = divmod(rest, MINUTES_PER_DAY)
        base = week * WORK_MINUTES_PER_WEEK
        if day >= 5:
            return base + WORK_MINUTES_PER_WEEK - 1
        minute -= WORK_START
        if minute < 0:
            return base + day * WORK_MINUTES_PER_DAY - 1
        if minute >= WORK_MINUTES_PER_DAY:
            return base + day * WORK_MINUTES_PER_DAY + WORK_MINUTES_PER_DAY - 1
        return base + day * WORK_MINUTES_PER_DAY + minute


def work_days(calendar_days: float) -> float:
    """Calendar days as working days (five in seven)."""
    return calendar_days * 5 / 7
