"""`homestretch model train` and `homestretch model status`: fit the live risk model, and say how it stands."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.table import Table

from homestretch.lib.console import OutputFormat, console, err, fail, parse_moment, print_json, setup_django


def train(
    now: Annotated[str | None, typer.Option("--now", help="Train on outcomes decided up to this moment, ISO 8601; "
                                                          "default now.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the cross-validation folds: same seed, same model.")] = 0,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """Fit the live risk model on the organisation's closed applications and imported history."""
    moment = parse_moment(now, "--now")
    setup_django()
    from django.db import IntegrityError

    from .train import model_report
    from .train import train as train_model

    started = time.perf_counter()
    err.print("Loading outcomes as of each decision moment and fitting…")
    try:
        model = train_model(now=moment, seed=seed)
    except IntegrityError:
        raise fail("another training run saved a model at the same time; run `homestretch model train` again") \
            from None
    report = model_report(model)
    report["seconds"] = round(time.perf_counter() - started, 1)
    if output == OutputFormat.json:
        print_json(report)
        return
    _print_model(report, heading=f"Trained model v{model.version} in {report['seconds']} s")


def status(
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
) -> None:
    """Which weights are live, on how much history, and how they did in backtest."""
    setup_django()
    from .train import status_report

    report = status_report()
    if output == OutputFormat.json:
        print_json(report)
        return
    console.print(f"[bold]Live weights:[/] {report['live_weights']}")
    thresholds = report["thresholds"]
    console.print(
        f"A trained model goes live from {thresholds['min_outcomes']} outcomes with at least "
        f"{thresholds['min_per_class']} lost and {thresholds['min_per_class']} kept; its weights are "
        f"λ·fitted + (1−λ)·expert with λ = n/(n + {thresholds['shrinkage_n0']})."
    )
    console.print(f"Decision moment: {report['decision_moment']}.")
    if report["live_model"] is None and report["latest_model"] is None:
        console.print("No model trained yet: run `homestretch model train`.")
    if report["live_model"] is not None:
        _print_model(report["live_model"], heading=f"Live: model v{report['live_model']['version']}")
    if report["latest_model"] is not None:
        _print_model(report["latest_model"], heading=f"Latest, not live: model v{report['latest_model']['version']}")


def _figure(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _print_model(report: dict[str, Any], *, heading: str) -> None:
    console.print()
    console.print(f"[bold]{heading}[/] (trained {report['trained_at'][:16]}, outcomes up to {report['as_of'][:16]})")
    n = report["n_applications"] + report["n_imported"]
    console.print(
        f"History: {n} outcomes — {report['n_applications']} own applications, {report['n_imported']} imported; "
        f"{report['n_lost']} lost, {report['n_kept']} kept. Shrinkage λ = {report['shrinkage']:.2f}, "
        f"C = {report['C']}."
    )
    if report["not_live_because"]:
        console.print(f"[yellow]Not live:[/] {report['not_live_because']}.")
    for why, count in report["skipped"].items():
        console.print(f"  [dim]left out: {count} — {why}[/]")
    if report.get("go_live"):
        met = "met" if report["go_live"]["beats"] else "not met"
        console.print(f"Go-live rule (a lower Brier score than the weights live when trained): {met}, "
                      f"{report['go_live']['why']}.")
    backtest = report["backtest"]
    if not backtest.get("possible"):
        console.print(f"Backtest: not possible ({backtest.get('why', 'no data')}).")
    else:
        console.print(
            f"Backtest: fitted on the older {backtest['n_train']}, scored on the newest {backtest['n_test']} "
            f"({backtest['test_lost']} lost, {backtest['test_from'][:10]} to {backtest['test_to'][:10]})."
        )
        table = Table("", "ROC AUC", "Brier")
        table.add_row("Trained (shrunk)", _figure(backtest["model"]["auc"]), _figure(backtest["model"]["brier"]))
        table.add_row("Expert weights", _figure(backtest["expert"]["auc"]), _figure(backtest["expert"]["brier"]))
        current = backtest.get("current")
        if current is not None and current["label"] != "expert weights":
            table.add_row(f"Live when trained ({current['label']})", _figure(current["auc"]), _figure(current["brier"]))
        table.add_row(f"Base rate ({backtest['base_rate']:.0%})", "0.500", _figure(backtest["brier_base_rate"]))
        console.print(table)
        calibration = Table("Predicted bin", "Trained: predicted", "observed", "n",
                            "Expert: predicted", "observed", "n", title="Calibration on the held-out outcomes")
        model_bins = {row["bin"]: row for row in backtest["model"]["calibration"]}
        expert_bins = {row["bin"]: row for row in backtest["expert"]["calibration"]}
        for name in sorted(set(model_bins) | set(expert_bins)):
            cells = []
            for bins in (model_bins, expert_bins):
                row = bins.get(name)
                cells += [f"{row['predicted']:.0%}", f"{row['observed']:.0%}", str(row["n"])] if row else ["", "", "0"]
            calibration.add_row(name, *cells)
        console.print(calibration)
    weights = Table("Feature", "Expert", "Fitted", "Live", title="Weights (log-odds per unit of the feature)")
    for row in report["weights"]:
        weights.add_row(row["feature"], _figure(row["expert"]), _figure(row["fitted"]), _figure(row["live"]))
    console.print(weights)
    if report["differences"]:
        console.print("Where the history disagrees most with the experts:")
        for sentence in report["differences"]:
            console.print(f"  • {sentence}")
