"""The benchmarks keep working as the code changes: each in-process benchmark runs once on the small
demo data and reports a positive figure beside its reference. (No timing is asserted here.)"""

from __future__ import annotations

import pytest

import benchmarks
from benchmarks import BenchContext
from benchmarks.runner import DATASET_NOW, discover

IN_PROCESS = ["application_history", "risk_and_agenda", "pages"]


@pytest.fixture
def demo_data(db):
    from homestretch.demo.generator import generate

    return generate("small", 1, now=DATASET_NOW)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_benchmark_reports_figures_beside_their_reference(demo_data, name):
    discover()
    context = BenchContext(scale="small", seed=1, database_vendor="test", repeat=1)
    figures = benchmarks.REGISTRY[name](context)
    assert figures
    for figure in figures:
        assert figure.value > 0, figure
        assert figure.benchmark == name
    assert any(figure.reference_value for figure in figures)
