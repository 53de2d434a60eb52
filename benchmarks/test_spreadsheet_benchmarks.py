"""The spreadsheet benchmarks in a small configuration: the figures come, beside their references."""

from __future__ import annotations

import os

import pytest

import benchmarks
from benchmarks import BenchContext
from benchmarks.runner import DATASET_NOW, discover


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="uses its own SQLite files; exercised in the SQLite run")
def test_spreadsheet_import_runs_on_a_small_file():
    """The 100,000-row import of `spreadsheet_import`, cut to 300 rows: created, then nothing changed."""
    from benchmarks.spreadsheets import measure_import

    figures = measure_import(rows=300)
    assert figures[0].name.startswith("import a 300-row") and figures[0].reference_value
    assert all(figure.benchmark == "spreadsheet_import" and figure.value > 0 for figure in figures[:4])
    assert "300 applications created" in figures[0].notes
    assert "records created or updated: 0" in figures[-1].notes
    assert "0 writes refused" in figures[-2].notes


@pytest.mark.django_db
def test_spreadsheet_export_reports_figures_beside_the_bare_sql():
    from homestretch.demo.generator import generate

    generate("small", 1, now=DATASET_NOW)
    discover()
    figures = benchmarks.REGISTRY["spreadsheet_export"](BenchContext(scale="small", seed=1, database_vendor="test",
                                                                     repeat=1))
    assert [figure.name.rsplit(" ", 1)[-1] for figure in figures] == ["CSV", "XLSX"]
    assert all(figure.value > 0 and figure.reference_value for figure in figures)
