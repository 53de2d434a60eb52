"""`homestretch model evaluate`: how well a CSV of past outcomes predicts losses, and from what.

Reads only the file: no database, no Django set-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from homestretch.lib.console import OutputFormat, console, fail, print_json


def evaluate(
    csv_file: Annotated[Path, typer.Option("--csv", help="The CSV of past outcomes (UTF-8, one row per offer).",
                                           dir_okay=False)],
    target: Annotated[str, typer.Option(help="The column holding the outcome, e.g. Status.")],
    positive: Annotated[str, typer.Option(help="The outcome value that is a loss, e.g. 'Not Joined'.")],
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-validation folds.")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the fold split and models: the same seed, the same figures.")] = 0,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.table,
    keep: Annotated[list[str] | None, typer.Option(
        "--keep", help="Use this column even though it looks like a leak or an identifier (repeatable).",
    )] = None,
    protected: Annotated[list[str] | None, typer.Option(
        "--protected", help="Treat this column as a protected attribute: audited, never a predictor (repeatable).",
    )] = None,
) -> None:
    """Evaluate what predicts losses in a CSV of past outcomes: cross-validated AUC and Brier score,
    calibration, the columns used and left out (identifiers, leaks, protected attributes) and a
    fairness audit by protected attribute."""
    from .columns import EvaluationError
    from .evaluate import evaluate as run_evaluation

    try:
        evaluation = run_evaluation(
            csv_file, target, positive, folds=folds, seed=seed, keep=tuple(keep or ()),
            protected=tuple(protected or ()),
        )
    except EvaluationError as error:
        message = str(error)
        raise fail(message if str(csv_file) in message else f"{csv_file}: {message}", code=2) from None
    if output == OutputFormat.json:
        print_json(evaluation.as_dict())
        return
    print_tables(evaluation, csv_file)


def print_tables(evaluation, csv_file: Path) -> None:
    from rich.table import Table

    data = evaluation.as_dict()
    model = {"logistic": "regularised logistic regression", "gradient_boosting": "gradient-boosted trees"}
    console.print(
        f"[bold]{csv_file.name}[/]: {data['n']:,} rows, loss = {evaluation.target} is {evaluation.positive!r} "
        f"in {data['positive_rate']:.1%}"
        + (f" ({data['rows_without_target']:,} rows without a {evaluation.target} left out)"
           if data["rows_without_target"] else "")
    )
    console.print(
        f"ROC AUC [bold]{data['auc']:.3f}[/] ± {data['auc_std']:.3f} over {evaluation.folds} folds "
        f"(0.5 = no better than chance); Brier score {data['brier']:.4f} against {data['brier_baseline']:.4f} "
        f"for always predicting the base rate (lower is better)."
    )
    console.print(f"Model chosen by inner cross-validation: {model[data['model']]} "
                  f"(folds: {', '.join(evaluation.report.fold_models)}).")
    console.print(f"Columns used ({len(data['used_columns'])}): {', '.join(data['used_columns'])}")

    if data["excluded_columns"]:
        excluded = Table(title="Columns left out")
        excluded.add_column("column")
        excluded.add_column("why")
        for item in data["excluded_columns"]:
            excluded.add_row(item["column"], item["why"])
        console.print(excluded)
    for item in data["kept_columns"]:
        console.print(f"Kept with --keep although it may leak the outcome: {item['column']} "
                      f"({item['why'].removeprefix('leaks the outcome: ')})")

    predictors = Table(title="Strongest predictors")
    predictors.add_column("column")
    predictors.add_column("effect")
    for item in data["top_predictors"]:
        predictors.add_row(item["column"], item["effect"])
    console.print(predictors)

    calibration = Table(title="Calibration (out-of-fold predictions, equal-count bins)")
    for column in ("predicted", "observed", "rows"):
        calibration.add_column(column, justify="right")
    for row in data["calibration"]:
        calibration.add_row(f"{row['predicted']:.1%}", f"{row['observed']:.1%}", f"{row['n']:,}")
    console.print(calibration)

    if data["fairness"]:
        fairness = Table(title="Fairness audit (protected attributes: observed and predicted loss rate per group)")
        for column in ("attribute", "group", "rows", "observed", "mean predicted"):
            fairness.add_column(column, justify="right" if column in ("rows", "observed", "mean predicted") else "left")
        for row in data["fairness"]:
            fairness.add_row(row["attribute"], row["group"], f"{row['n']:,}", f"{row['observed_rate']:.1%}",
                             f"{row['mean_predicted']:.1%}")
        console.print(fairness)
