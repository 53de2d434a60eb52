"""Decision dates as the file writes them: US month-first files are read month first (they were read
day first, or refused), and a file whose dates cannot tell asks for --date-format (issue 16, item 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from homestretch.history.importer import ImportRefused, import_history
from homestretch.history.models import PastOutcome
from homestretch.lib.file_dates import DateOrder

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def write(path: Path, *dates: str) -> Path:
    path.write_text("Ref,Status,Decision Date\n" + "".join(f"R{n},Joined,{day}\n" for n, day in enumerate(dates)))
    return path


def decided(path: Path, **options) -> list[date | None]:
    reading = import_history(path, at=AT, **options)
    assert not reading.bad, reading.bad
    return list(PastOutcome.objects.order_by("row_key").values_list("decided_on", flat=True))


def test_a_us_file_is_read_month_first(tmp_path):
    assert decided(write(tmp_path / "us.csv", "03/04/2025", "12/31/2024")) == [date(2025, 3, 4), date(2024, 12, 31)]


def test_a_european_file_is_read_day_first(tmp_path):
    assert decided(write(tmp_path / "eu.csv", "03/04/2025", "31/12/2024")) == [date(2025, 4, 3), date(2024, 12, 31)]


def test_dates_that_cannot_tell_ask_for_the_format_and_are_read_as_told(tmp_path):
    path = write(tmp_path / "x.csv", "03/04/2025", "05/06/2025")
    with pytest.raises(ImportRefused, match="--date-format"):
        import_history(path, at=AT)
    assert not PastOutcome.objects.exists()
    assert decided(path, date_format=DateOrder.MONTH_FIRST) == [date(2025, 3, 4), date(2025, 5, 6)]
