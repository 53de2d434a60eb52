"""The model page: which weights score the risks, on how much history, how they did in backtest."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from homestretch.accounts.access import require_reader
from homestretch.accounts.requests import AuthenticatedHttpRequest

from .train import status_report

# The calibration chart's geometry, in SVG user units: a square plot inside margins for the axes.
CHART_SIZE = 260
CHART_MARGIN = 40


def _chart(backtest: dict[str, Any]) -> dict[str, Any] | None:
    """Points of the calibration chart (predicted on x, observed on y), sized by the bin's count."""
    if not backtest.get("possible"):
        return None
    largest = max([row["n"] for key in ("model", "expert") for row in backtest[key]["calibration"]] or [1])

    def position(value: float) -> float:
        return round(CHART_MARGIN + value * CHART_SIZE, 1)

    def height(value: float) -> float:
        return round(CHART_MARGIN + (1 - value) * CHART_SIZE, 1)

    series = []
    for key, label in (("model", "Trained"), ("expert", "Expert")):
        points = [{"x": position(row["predicted"]), "y": height(row["observed"]),
                   "r": round(3 + 7 * math.sqrt(row["n"] / largest), 1), **row}
                  for row in backtest[key]["calibration"]]
        series.append({"key": key, "label": label, "points": points})
    ticks = [{"value": f"{tick / 4:.0%}", "x": position(tick / 4), "y": height(tick / 4)} for tick in range(5)]
    low, high = CHART_MARGIN, CHART_MARGIN + CHART_SIZE
    return {"series": series, "ticks": ticks, "low": low, "high": high, "size": CHART_SIZE, "width": high + 10,
            "height": high + 34, "label_x": CHART_MARGIN + CHART_SIZE / 2, "label_y": high + 30}


def model_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Any signed-in user reads it; training is an operator's job on the command line."""
    require_reader(request.user)
    report = status_report()
    shown = report["live_model"] or report["latest_model"]
    calibration_rows = []
    if shown is not None and shown["backtest"].get("possible"):
        model_bins = {row["bin"]: row for row in shown["backtest"]["model"]["calibration"]}
        expert_bins = {row["bin"]: row for row in shown["backtest"]["expert"]["calibration"]}
        calibration_rows = [{"bin": name, "model": model_bins.get(name), "expert": expert_bins.get(name)}
                            for name in sorted(set(model_bins) | set(expert_bins))]
    return render(request, "learning/model.html", {
        "report": report,
        "shown": shown,
        "chart": _chart(shown["backtest"]) if shown is not None else None,
        "calibration_rows": calibration_rows,
    })
