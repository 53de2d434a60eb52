"""The figures as tables: one list of rows per chart, read by the page (under each chart), its CSV exports
and the command line's table. The numbers are the figures' own (fractions for rates, days for times);
each reader formats them, none computes one."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from homestretch.lib.spreadsheet_safety import neutralise_row

from .figures import BandRow, Insights, Rate

# How a cell is shown: "count", "rate" (a fraction shown as %), "days", "text".
Kind = str


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    def as_csv(self) -> str:
        """The table as CSV, every cell formula-safe (lib/spreadsheet_safety.py)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(neutralise_row(column.title for column in self.columns))
        for row in self.rows:
            writer.writerow(neutralise_row("" if value is None else value for value in row))
        return out.getvalue()


def _c(key: str, title: str, kind: Kind) -> Column:
    return Column(key, title, kind)


RATE_COLUMNS = (_c("value", "Rate", "rate"), _c("low", "95 % low", "rate"), _c("high", "95 % high", "rate"),
                _c("n", "n", "count"))
BAND_COLUMNS = (_c("label", "Group", "text"), _c("n", "Answered", "count"), _c("lost", "Lost", "count"),
                _c("loss_rate", "Loss rate", "rate"), _c("low", "95 % low", "rate"), _c("high", "95 % high", "rate"))


def _rate(rate: Rate) -> tuple[Any, ...]:
    return (_r(rate.value), _r(rate.low), _r(rate.high), rate.n)


def _r(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _band(row: BandRow) -> tuple[Any, ...]:
    return (row.label, row.n, row.lost, _r(row.loss_rate.value), _r(row.loss_rate.low), _r(row.loss_rate.high))


def tables(figures: Insights) -> tuple[Table, ...]:
    """Every table of the page, in its order."""
    summary = figures.summary
    return (
        Table("figures", "The figures", (_c("figure", "Figure", "text"), *RATE_COLUMNS), (
            ("Acceptance rate", *_rate(summary.acceptance_rate)),
            ("Renege rate", *_rate(summary.renege_rate)),
        )),
        Table("offers", "Offers extended and time to answer", (
            _c("offers_extended", "Offers extended", "count"), _c("median", "Median days to answer", "days"),
            _c("p90", "90th percentile days", "days"), _c("n", "Answered", "count")), (
            (summary.offers_extended, _r(summary.time_to_answer_median, 2), _r(summary.time_to_answer_p90, 2),
             summary.time_to_answer_n),
        )),
        Table("by_month", "By month of the first offer", (
            _c("month", "Month", "text"), _c("offers_extended", "Offers extended", "count"),
            _c("acceptance_rate", "Acceptance rate", "rate"), _c("low", "95 % low", "rate"),
            _c("high", "95 % high", "rate"), _c("n", "Answered", "count"), _c("renege_rate", "Renege rate", "rate"),
            _c("median", "Median days to answer", "days"), _c("cadence_adherence", "Days within cadence", "rate")),
            tuple((month, s.offers_extended, *_rate(s.acceptance_rate), _r(s.renege_rate.value),
                   _r(s.time_to_answer_median, 2), _r(s.adherence_mean)) for month, s in figures.by_month)),
        Table("reasons", "Why candidates declined or reneged", (
            _c("label", "Reason", "text"), _c("declined", "Declined", "count"), _c("reneged", "Reneged", "count"),
            _c("n", "Total", "count"), _c("share", "Share", "rate")),
            tuple((row.label, row.declined, row.reneged, row.n, _r(row.share)) for row in figures.reasons)),
        Table("competitors_won", "Competitors that won", (
            _c("company", "Company", "text"), _c("n", "Candidates won", "count"),
            _c("confidential", "Of which told in confidence", "count")),
            tuple((row.company, row.n, row.confidential) for row in figures.competitors_won)),
        Table("counteroffers", "Counteroffers", BAND_COLUMNS,
              (_band(figures.with_counteroffer), _band(figures.without_counteroffer))),
        Table("cadence_adherence", "Loss rate by days within the team's cadence", BAND_COLUMNS,
              tuple(_band(row) for row in figures.cadence_adherence)),
        Table("competition_asked", "Loss rate by asking about the competition", BAND_COLUMNS,
              tuple(_band(row) for row in figures.competition_asked)),
    )


def table_named(figures: Insights, key: str) -> Table | None:
    return next((table for table in tables(figures) if table.key == key), None)


TABLE_KEYS = ("figures", "offers", "by_month", "reasons", "competitors_won", "counteroffers", "cadence_adherence",
              "competition_asked")
