"""A spreadsheet file as a header and numbered records, streamed: CSV (UTF-8 or Windows-1252, with
or without a BOM, ',' ';' or tab between values) and XLSX (the first sheet, read with openpyxl's
read-only mode, which streams the sheet's XML instead of loading it).

CSV goes through the history import's reader (`history.importer.records`), so both imports take the
same files the same way: a record cut at 1,000,000 characters, a value over csv's field limit, a
quote never closed are bad rows by line, never a crash. Lines are numbered as a spreadsheet numbers
them (the header is line 1); blank records are left out and keep their numbers.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

from homestretch.history.importer import ImportRefused
from homestretch.history.importer import _Lines as Lines  # the history import's bounded line reader
from homestretch.history.importer import records as csv_records

Numbered = Iterator[tuple[int, list[str] | None, str]]  # (line, values or None, why unreadable)
XLSX_MAGIC = b"PK\x03\x04"


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(4) == XLSX_MAGIC


def text_encoding(path: Path) -> str:
    """'utf-8-sig' when the whole file decodes as UTF-8 (a BOM or not), else 'cp1252', as Excel on
    Windows saves "CSV" (refused when even that fails: a binary file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as raw:
        try:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    windows = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as raw:
        try:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                windows.decode(chunk)
        except UnicodeDecodeError:
            raise ImportRefused(f"{path.name} is neither CSV text (UTF-8 or Windows-1252) nor an XLSX workbook; "
                                "save it as CSV UTF-8 or as Excel Workbook (.xlsx).") from None
    return "cp1252"


def cell_text(value: object) -> str:
    """A cell's value as the text an import reads: dates as ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@contextmanager
def open_sheet(path: Path) -> Iterator[tuple[list[str], Numbered]]:
    """The header (names stripped) and the numbered records of the file (CSV or XLSX)."""
    if is_xlsx(path):
        with _open_xlsx(path) as opened:
            yield opened
        return
    encoding = text_encoding(path)
    with path.open("r", encoding=encoding, newline="") as text:
        yield csv_records(Lines(text))


@contextmanager
def _open_xlsx(path: Path) -> Iterator[tuple[list[str], Numbered]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise ImportRefused(f"{path.name} cannot be read as an XLSX workbook ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        header: list[str] = []
        for _, values in rows:  # blank rows above the header are skipped
            header = [cell_text(value).strip() for value in values]
            if any(header):
                break
        while header and not header[-1]:
            header.pop()
        if not header:
            raise ImportRefused("The first sheet is empty: its first row should name the columns.")

        def numbered() -> Numbered:
            for line, values in rows:
                record = [cell_text(value) for value in values]
                if not any(value.strip() for value in record):
                    continue
                extra = record[len(header):]
                if any(value.strip() for value in extra):
                    yield line, None, f"has values beyond the {len(header)} named columns"
                    continue
                yield line, (record + [""] * len(header))[: len(header)], ""

        yield header, numbered()
    finally:
        workbook.close()


def sniff_first_lines(path: Path, count: int = 6) -> list[list[str]]:
    """The header and the first records, for a preview (an upload page)."""
    with open_sheet(path) as (header, numbered):
        found = [header]
        for _, record, _ in numbered:
            if record is not None:
                found.append(record)
            if len(found) > count:
                break
    return found


__all__ = ["ImportRefused", "Numbered", "cell_text", "is_xlsx", "open_sheet", "text_encoding"]
