"""How well a history of past outcomes predicts losses, and from what: `evaluate(...)`, a pure function.

Measured honestly: stratified K-fold cross-validation, where each outer fold chooses between a
regularised logistic regression (the risk engine's form) and gradient-boosted trees by an inner
cross-validation on its own training rows, calibrates the chosen model's probabilities by another
inner cross-validation on those rows, and only then predicts the held-out fold. Every figure
reported (AUC, Brier, calibration, fairness) comes from those out-of-fold predictions.

Reusable by the live-model training: `prepare_features`, `cross_validated_report`,
`calibration_table`, `logistic_pipeline`, `fit_logistic`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

from .columns import ColumnProfile, EvaluationError, Kind, clean_strings, profile_column, read_csv
from .leaks import dates_after_decision, leak_evidence, why_leak
from .protected import audit_groups, protected_attribute, why_protected

LOGISTIC = "logistic"
GRADIENT_BOOSTING = "gradient_boosting"

# Inner cross-validation (model choice and calibration) uses this many folds of the training rows.
INNER_FOLDS = 3
# Trees replace the logistic model only when they beat it by this much inner AUC: the logistic
# model is the risk engine's own form and explains itself, so a tie goes to it.
TREES_MUST_WIN_BY = 0.005
# Logistic regression strength (scikit-learn's C, inverse of the L2 penalty on standardised inputs).
LOGISTIC_C = 1.0
# A category value seen in fewer rows is pooled with the other rare ones: a coefficient learned
# from a handful of rows is noise. At most this many values per column get their own weight.
MIN_CATEGORY_ROWS = 5
MAX_CATEGORIES = 30
MISSING_CATEGORY = "(missing)"
# The calibration table has at most this many equal-count bins, and at least this many rows per bin.
CALIBRATION_BINS = 10
CALIBRATION_MIN_BIN_ROWS = 20
TOP_PREDICTORS = 5
# Rows used to read the direction of the trees' predictors: enough for a stable ranking, cheap.
PERMUTATION_ROWS = 2_000
DECIMALS = 4
# Outer folds fitted at once, one core each: the machines we run on have two.
DEFAULT_JOBS = 2

ISSUE_KEYS = (
    "n", "positive_rate", "auc", "auc_std", "brier", "brier_baseline", "model", "used_columns",
    "excluded_columns", "top_predictors", "calibration", "fairness",
)


# ---------------------------------------------------------------- errors


class UnknownColumn(EvaluationError):
    pass


class PositiveValueNotFound(EvaluationError):
    pass


class OneClassOnly(EvaluationError):
    pass


class TooFewRows(EvaluationError):
    pass


class NoUsableColumn(EvaluationError):
    pass


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class FittedLogistic:
    """The logistic model fitted on every row: log-odds = intercept + sum(coefficient * input).

    Inputs are standardised (numbers, yes/no, dates and their missing indicators: (x - mean) / scale,
    missing values imputed with the median) or one-hot (category values, `column\\x1fvalue`).
    """

    intercept: float
    coefficients: dict[str, float]
    means: dict[str, float]
    scales: dict[str, float]
    pipeline: Pipeline = field(repr=False, compare=False)


@dataclass(frozen=True)
class CrossValidatedReport:
    """Out-of-fold figures for one feature matrix and outcome."""

    predicted: np.ndarray  # calibrated out-of-fold probability of the positive outcome, per row
    baseline: np.ndarray  # the training folds' base rate, per row
    fold_auc: list[float]
    fold_models: list[str]
    inner_auc: list[dict[str, float]]
    auc: float
    auc_std: float
    brier: float
    brier_baseline: float
    model: str
    calibration: list[dict[str, float]]
    # Mean fall of held-out AUC when a column is shuffled, over the folds that chose trees.
    trees_importance: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    n: int
    positive_rate: float
    auc: float
    auc_std: float
    brier: float
    brier_baseline: float
    model: str
    used_columns: list[str]
    excluded_columns: list[dict[str, Any]]
    top_predictors: list[dict[str, str]]
    calibration: list[dict[str, float]]
    fairness: list[dict[str, Any]]
    rows_without_target: int
    target: str
    positive: str
    folds: int
    kept_columns: list[dict[str, Any]]
    seed: int
    column_kinds: dict[str, str]
    report: CrossValidatedReport = field(repr=False, compare=False)
    logistic: FittedLogistic = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of issue 8, plus `rows_without_target` (rows left out because their target is missing)
        and `kept_columns` (columns with evidence of a leak that --keep brought back); each excluded or kept
        column carries its `evidence`: [{"kind", "detail"}] (issue 22)."""
        return {
            "n": self.n,
            "positive_rate": _round(self.positive_rate),
            "auc": _round(self.auc),
            "auc_std": _round(self.auc_std),
            "brier": _round(self.brier),
            "brier_baseline": _round(self.brier_baseline),
            "model": self.model,
            "used_columns": list(self.used_columns),
            "excluded_columns": [_with_evidence(item) for item in self.excluded_columns],
            "top_predictors": [dict(item) for item in self.top_predictors],
            "calibration": [{key: _round(value) if key != "n" else value for key, value in row.items()}
                            for row in self.calibration],
            "fairness": [{key: _round(value) if isinstance(value, float) else value for key, value in row.items()}
                         for row in self.fairness],
            "rows_without_target": self.rows_without_target,
            "kept_columns": [_with_evidence(item) for item in self.kept_columns],
        }


def _with_evidence(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "evidence": [dict(piece) for piece in item.get("evidence", ())]}


def _round(value: float) -> float:
    return round(float(value), DECIMALS)


# ---------------------------------------------------------------- models


def _one_hot_name(column: str, category: object) -> str:
    # A separator no column name contains, so that a name maps back to its column unambiguously.
    return f"{column}\x1f{category}"


def logistic_pipeline(numeric: Sequence[str], categorical: Sequence[str], seed: int = 0) -> Pipeline:
    """Standardised numbers with missing indicators, one-hot categories, L2-regularised logistic regression."""
    prepare = ColumnTransformer([
        ("numbers", Pipeline([
            ("impute", SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]), list(numeric)),
        ("categories", OneHotEncoder(
            handle_unknown="infrequent_if_exist", min_frequency=MIN_CATEGORY_ROWS, max_categories=MAX_CATEGORIES,
            sparse_output=False, feature_name_combiner=_one_hot_name,
        ), list(categorical)),
    ])
    return Pipeline([
        ("prepare", prepare),
        ("model", LogisticRegression(C=LOGISTIC_C, max_iter=2_000, random_state=seed)),
    ])


def trees_pipeline(numeric: Sequence[str], categorical: Sequence[str], seed: int = 0) -> Pipeline:
    """Gradient-boosted trees: numbers as they are (missing handled by the trees), categories as codes."""
    prepare = ColumnTransformer([
        ("numbers", "passthrough", list(numeric)),
        ("categories", OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=np.nan, min_frequency=MIN_CATEGORY_ROWS,
            max_categories=MAX_CATEGORIES,
        ), list(categorical)),
    ])
    categorical_mask = [False] * len(numeric) + [True] * len(categorical)
    return Pipeline([
        ("prepare", prepare),
        ("model", HistGradientBoostingClassifier(
            max_iter=100, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=20, l2_regularization=1.0,
            early_stopping=False, categorical_features=categorical_mask if any(categorical_mask) else None,
            random_state=seed,
        )),
    ])


def _pipeline(name: str, numeric: Sequence[str], categorical: Sequence[str], seed: int) -> Pipeline:
    factory = logistic_pipeline if name == LOGISTIC else trees_pipeline
    return factory(numeric, categorical, seed)


def _split_kinds(features: pd.DataFrame) -> tuple[list[str], list[str]]:
    numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
    return numeric, [c for c in features.columns if c not in numeric]


def calibration_table(outcome: np.ndarray, predicted: np.ndarray, max_bins: int = CALIBRATION_BINS) -> list[dict]:
    """Equal-count bins of the predictions, lowest first: mean predicted, observed rate, rows.

    Deciles when there are enough rows, fewer bins (at least CALIBRATION_MIN_BIN_ROWS rows each,
    and never fewer than two bins) on a short history.
    """
    outcome = np.asarray(outcome, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    bins = max(2, min(max_bins, len(predicted) // CALIBRATION_MIN_BIN_ROWS))
    bins = min(bins, len(predicted))
    order = np.argsort(predicted, kind="stable")
    table = []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            table.append({
                "predicted": float(predicted[chunk].mean()), "observed": float(outcome[chunk].mean()), "n": len(chunk),
            })
    return table


def _inner_folds(outcome: np.ndarray) -> int:
    return int(min(INNER_FOLDS, np.bincount(outcome.astype(int), minlength=2).min()))


def choose_model(
    features: pd.DataFrame, outcome: np.ndarray, numeric: Sequence[str], categorical: Sequence[str], seed: int
) -> tuple[str, dict[str, float]]:
    """Logistic or trees, by inner cross-validated AUC on these (training) rows only."""
    inner = _inner_folds(outcome)
    if inner < 2:
        return LOGISTIC, {}
    splitter = StratifiedKFold(inner, shuffle=True, random_state=seed)
    scores = {
        name: float(np.mean(cross_val_score(_pipeline(name, numeric, categorical, seed), features, outcome,
                                            cv=splitter, scoring="roc_auc")))
        for name in (LOGISTIC, GRADIENT_BOOSTING)
    }
    chosen = GRADIENT_BOOSTING if scores[GRADIENT_BOOSTING] > scores[LOGISTIC] + TREES_MUST_WIN_BY else LOGISTIC
    return chosen, scores


def calibrated_model(
    name: str, features: pd.DataFrame, outcome: np.ndarray, numeric: Sequence[str], categorical: Sequence[str],
    seed: int,
):
    """The named model fitted with sigmoid calibration by inner cross-validation (plain fit when too few rows)."""
    inner = _inner_folds(outcome)
    estimator = _pipeline(name, numeric, categorical, seed)
    if inner < 2:
        return estimator.fit(features, outcome)
    # Sigmoid (Platt) rather than isotonic: two parameters, stable on histories of a few hundred rows.
    calibrated = CalibratedClassifierCV(
        estimator, method="sigmoid", cv=StratifiedKFold(inner, shuffle=True, random_state=seed),
    )
    return calibrated.fit(features, outcome)


@dataclass(frozen=True)
class _Fold:
    test: np.ndarray
    predicted: np.ndarray
    baseline: float
    model: str
    inner_auc: dict[str, float]
    importance: dict[str, float] | None


def _one_fold(
    features: pd.DataFrame, outcome: np.ndarray, train: np.ndarray, test: np.ndarray, numeric: Sequence[str],
    categorical: Sequence[str], seed: int, explain_trees: bool,
) -> _Fold:
    # One OpenMP thread per tree fit: on a shared two-core machine OpenMP's busy-waiting threads made
    # a tree fit 100 times slower; the folds run side by side instead (see `jobs`). OpenMP's limit is
    # per thread; BLAS's is process-wide and set once by the caller (cross_validated_report).
    with threadpool_limits(limits=1, user_api="openmp"):
        train_x, train_y = features.iloc[train], outcome[train]
        name, scores = choose_model(train_x, train_y, numeric, categorical, seed)
        model = calibrated_model(name, train_x, train_y, numeric, categorical, seed)
        test_x = features.iloc[test]
        predicted = model.predict_proba(test_x)[:, 1]
        importance = None
        if explain_trees and name == GRADIENT_BOOSTING and len(set(outcome[test])) == 2:
            # Measured on the held-out fold: on the training rows trees find importance in noise.
            trees = trees_pipeline(numeric, categorical, seed).fit(train_x, train_y)
            importance = held_out_importance(trees, test_x, outcome[test], seed)
    return _Fold(test, predicted, float(train_y.mean()), name, scores, importance)


def held_out_importance(
    trees: Pipeline, test_x: pd.DataFrame, test_y: np.ndarray, seed: int, repeats: int = 3
) -> dict[str, float]:
    """Permutation importance of fitted trees on held-out rows: mean fall of AUC when a column is shuffled.

    Shuffles the prepared matrix (one input per column in the trees' pipeline: numbers, then
    category codes), so that the preparation runs once rather than once per shuffle.
    """
    prepare, model = trees.named_steps["prepare"], trees.named_steps["model"]
    prepared = np.asarray(prepare.transform(test_x), dtype=float)
    columns = list(prepare.transformers_[0][2]) + list(prepare.transformers_[1][2])
    reference = roc_auc_score(test_y, model.predict_proba(prepared)[:, 1])
    generator = np.random.default_rng(seed)
    importance = {}
    for index, column in enumerate(columns):
        falls = []
        for _ in range(repeats):
            shuffled = prepared.copy()
            shuffled[:, index] = generator.permutation(shuffled[:, index])
            falls.append(reference - roc_auc_score(test_y, model.predict_proba(shuffled)[:, 1]))
        importance[column] = float(np.mean(falls))
    return importance


def cross_validated_report(
    features: pd.DataFrame, outcome: np.ndarray, *, folds: int = 5, seed: int = 0,
    numeric: Sequence[str] | None = None, categorical: Sequence[str] | None = None, jobs: int = DEFAULT_JOBS,
    explain_trees: bool = True,
) -> CrossValidatedReport:
    """Nested cross-validation of logistic vs trees on a prepared feature frame and a 0/1 outcome.

    `features`: numeric columns as floats (NaN = missing), the others as strings. Each outer fold
    chooses its model and calibrates it on its training rows only, then predicts its test rows.
    `jobs` outer folds run at once (threads, one core each). With `explain_trees`, folds that chose
    trees also measure each column's permutation importance on their test rows.
    """
    outcome = np.asarray(outcome, dtype=int)
    if numeric is None or categorical is None:
        numeric, categorical = _split_kinds(features)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    with threadpool_limits(limits=1):
        results: list[_Fold] = Parallel(n_jobs=jobs, prefer="threads")(
            delayed(_one_fold)(features, outcome, train, test, numeric, categorical, seed * 1_000 + number,
                               explain_trees)
            for number, (train, test) in enumerate(splitter.split(features, outcome))
        )
    predicted = np.zeros(len(outcome))
    baseline = np.zeros(len(outcome))
    for fold in results:
        predicted[fold.test] = fold.predicted
        baseline[fold.test] = fold.baseline
    fold_auc = [float(roc_auc_score(outcome[fold.test], fold.predicted)) for fold in results]
    fold_models = [fold.model for fold in results]
    counts = Counter(fold_models)
    # The model most folds chose; a tie goes to the logistic model (see TREES_MUST_WIN_BY).
    model = GRADIENT_BOOSTING if counts[GRADIENT_BOOSTING] > counts[LOGISTIC] else LOGISTIC
    measured = [fold.importance for fold in results if fold.importance is not None]
    importance = {column: float(np.mean([fold[column] for fold in measured])) for column in features.columns} \
        if measured else {}
    return CrossValidatedReport(
        predicted=predicted, baseline=baseline, fold_auc=fold_auc, fold_models=fold_models,
        inner_auc=[fold.inner_auc for fold in results], auc=float(np.mean(fold_auc)), auc_std=float(np.std(fold_auc)),
        brier=float(brier_score_loss(outcome, predicted)), brier_baseline=float(brier_score_loss(outcome, baseline)),
        model=model, calibration=calibration_table(outcome, predicted), trees_importance=importance,
    )


def fit_logistic(
    features: pd.DataFrame, outcome: np.ndarray, numeric: Sequence[str], categorical: Sequence[str], seed: int = 0
) -> FittedLogistic:
    """The logistic model on every row, with its coefficients by input name (for explanations and the risk engine)."""
    pipeline = logistic_pipeline(numeric, categorical, seed).fit(features, np.asarray(outcome, dtype=int))
    model: LogisticRegression = pipeline.named_steps["model"]
    names = pipeline.named_steps["prepare"].get_feature_names_out()
    means, scales = {}, {}
    if numeric:
        scaler: StandardScaler = pipeline.named_steps["prepare"].named_transformers_["numbers"].named_steps["scale"]
        number_names = [name for name in names if name.startswith("numbers__")]
        means = dict(zip(number_names, scaler.mean_.tolist(), strict=True))
        scales = dict(zip(number_names, scaler.scale_.tolist(), strict=True))
    return FittedLogistic(
        intercept=float(model.intercept_[0]),
        coefficients=dict(zip(names, model.coef_[0].tolist(), strict=True)),
        means=means, scales=scales, pipeline=pipeline,
    )


# ---------------------------------------------------------------- predictors in words


def _odds(log_odds: float) -> str:
    return f"×{np.exp(log_odds):.2f}"


def _amount(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _column_of(input_name: str) -> tuple[str, str]:
    """'numbers__Age' -> ('Age', ''), 'numbers__missingindicator_Age' -> ('Age', 'missing'),
    'categories__Source\\x1fAgency' -> ('Source', 'Agency')."""
    part, name = input_name.split("__", 1)
    if part == "numbers":
        if name.startswith("missingindicator_"):
            return name.removeprefix("missingindicator_"), "missing"
        return name, ""
    column, value = name.split("\x1f", 1)
    return column, "other values" if value == "infrequent_sklearn" else value


def logistic_predictors(
    fitted: FittedLogistic, features: pd.DataFrame, kinds: dict[str, Kind], limit: int = TOP_PREDICTORS
) -> list[dict[str, str]]:
    """The columns that move the log-odds most across rows (spread of their contribution), in words."""
    inputs = fitted.pipeline.named_steps["prepare"].transform(features)
    names = list(fitted.coefficients)
    coefficients = np.array([fitted.coefficients[name] for name in names])
    by_column: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        by_column.setdefault(_column_of(name)[0], []).append(index)
    spread = {column: float(np.std(inputs[:, idx] @ coefficients[idx])) for column, idx in by_column.items()}
    ranked = [column for column in sorted(spread, key=lambda c: (-spread[c], c)) if spread[column] > 0.01][:limit]
    predictors = []
    for column in ranked:
        parts = {_column_of(names[i])[1]: fitted.coefficients[names[i]] for i in by_column[column]}
        predictors.append({"column": column, "effect": _logistic_effect(column, kinds[column], parts, fitted)})
    return predictors


def _logistic_effect(column: str, kind: Kind, parts: dict[str, float], fitted: FittedLogistic) -> str:
    if kind == Kind.category:
        levels = {value: weight for value, weight in parts.items()}
        highest = max(levels, key=lambda v: (levels[v], v))
        lowest = min(levels, key=lambda v: (levels[v], v))
        between = _odds(levels[highest] - levels[lowest])
        return (f"{column} = {highest}: raises the risk of a loss the most; {column} = {lowest}: the least "
                f"(odds {between} between them)")
    weight = parts.get("", 0.0)
    scale = fitted.scales.get(f"numbers__{column}", 1.0) or 1.0
    if kind == Kind.yes_no:
        per_unit = weight / scale
        raising, other = ("yes", "no") if per_unit > 0 else ("no", "yes")
        sentence = f"{raising} raises the risk of a loss (odds {_odds(abs(per_unit))} against {other})"
    elif kind == Kind.date:
        direction = "later" if weight > 0 else "earlier"
        sentence = (f"{direction} dates raise the risk of a loss "
                    f"(odds {_odds(abs(weight))} for every {_amount(scale)} days {direction})")
    else:
        direction, change = ("higher", "more") if weight > 0 else ("lower", "less")
        sentence = (f"{direction} values raise the risk of a loss "
                    f"(odds {_odds(abs(weight))} for every {_amount(scale)} {change})")
    missing = parts.get("missing")
    if missing is not None and abs(missing) >= max(0.1, abs(weight) / 2):
        sentence += "; a missing value " + ("raises" if missing > 0 else "lowers") + " it"
    return sentence


def trees_predictors(
    pipeline: Pipeline, features: pd.DataFrame, importance: dict[str, float], kinds: dict[str, Kind], seed: int,
    limit: int = TOP_PREDICTORS,
) -> list[dict[str, str]]:
    """Columns ranked by held-out permutation importance (fall of AUC when shuffled), the direction
    read off the trees fitted on every row (how their prediction moves with the column)."""
    sample = np.sort(np.random.default_rng(seed).permutation(len(features))[:PERMUTATION_ROWS])
    sample_x = features.iloc[sample]
    probability = pd.Series(pipeline.predict_proba(sample_x)[:, 1], index=sample_x.index)
    ranked = sorted(importance, key=lambda column: (-importance[column], column))
    predictors = []
    for column in ranked[:limit]:
        if importance[column] <= 0.001:
            break
        values = sample_x[column]
        fall = f"AUC falls by {importance[column]:.3f} without it"
        if kinds[column] in (Kind.category, Kind.yes_no):
            labels = values.map({1.0: "yes", 0.0: "no"}) if kinds[column] == Kind.yes_no else values
            means = probability.groupby(labels).mean()
            highest, lowest = means.idxmax(), means.idxmin()
            effect = (f"{column} = {highest}: raises the risk of a loss the most "
                      f"(mean predicted {means.max():.0%}), {column} = {lowest}: the least ({means.min():.0%}); "
                      f"{fall}")
        else:
            filled = values.notna()
            correlation = values[filled].rank().corr(probability[filled].rank()) if filled.sum() > 2 else 0.0
            higher = not (correlation < 0)
            if kinds[column] == Kind.date:
                effect = f"{'later' if higher else 'earlier'} dates raise the risk of a loss; {fall}"
            else:
                effect = f"{'higher' if higher else 'lower'} values raise the risk of a loss; {fall}"
        predictors.append({"column": column, "effect": effect})
    return predictors


# ---------------------------------------------------------------- evaluate


def _as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame.astype(object).where(frame.notna(), None)
    return clean_strings(text.map(lambda value: value if value is None else str(value)))


def _check_columns(names: Iterable[str], columns: list[str], option: str) -> None:
    for name in names:
        if name not in columns:
            raise UnknownColumn(f"{option} {name!r} is not a column of the file; columns: {', '.join(columns)}")


def _outcome(target_values: pd.Series, target: str, positive: str, folds: int) -> tuple[np.ndarray, pd.Series, str]:
    """0/1 outcome of the rows that have a target, their mask, and the positive value as spelled in the file."""
    has_target = target_values.notna()
    seen = target_values[has_target].value_counts()
    spelled = positive.strip()
    if spelled not in seen.index:
        folded = [value for value in seen.index if value.casefold() == spelled.casefold()]
        if len(folded) != 1:
            listed = ", ".join(f"{value!r} ({count})" for value, count in list(seen.items())[:20])
            raise PositiveValueNotFound(
                f"no row has {target} = {positive!r}; values seen in {target!r}: {listed or 'none'}"
            )
        spelled = folded[0]
    outcome = (target_values[has_target] == spelled).to_numpy(dtype=int)
    positives, negatives = int(outcome.sum()), int(len(outcome) - outcome.sum())
    if negatives == 0:
        raise OneClassOnly(f"every row with a {target} has {target} = {spelled!r}: there is nothing to compare it with")
    if positives == 0:  # pragma: no cover - the value was found above, so it has rows
        raise OneClassOnly(f"no row has {target} = {spelled!r}")
    if folds < 2:
        raise TooFewRows(f"--folds must be at least 2, not {folds}")
    for label, count in ((f"{target} = {spelled!r}", positives), (f"{target} other than {spelled!r}", negatives)):
        if count < folds:
            raise TooFewRows(
                f"only {count} row(s) with {label}; "
                f"{folds}-fold cross-validation needs at least {folds} of each outcome"
            )
    return outcome, has_target, spelled


@dataclass(frozen=True)
class PreparedHistory:
    """A history's rows with a target, read into what the models take, and what was left out and why."""

    features: pd.DataFrame  # used columns: numbers/yes-no/dates as float (NaN missing), categories as strings
    outcome: np.ndarray  # 1 = the positive value (a loss), 0 = any other value
    numeric: list[str]
    categorical: list[str]
    kinds: dict[str, Kind]  # of the used columns
    excluded: list[dict[str, str]]
    audited: list[ColumnProfile]  # protected attributes, for the fairness audit
    profiles: dict[str, ColumnProfile]
    rows_without_target: int
    positive: str  # as spelled in the file
    # Columns with evidence against them that --keep brought back, reported as excluded ones are.
    kept: list[dict[str, Any]] = field(default_factory=list)


def prepare_history(
    path_or_frame: str | Path | pd.DataFrame, target: str, positive: str, folds: int = 5,
    keep: Sequence[str] = (), protected: Sequence[str] = (),
) -> PreparedHistory:
    """Read, type and screen the columns (identifiers, leaks, protected attributes); raise on bad input."""
    text = read_csv(path_or_frame) if not isinstance(path_or_frame, pd.DataFrame) else _as_strings(path_or_frame)
    columns = [str(column) for column in text.columns]
    _check_columns([target], columns, "target")
    _check_columns(keep, columns, "--keep")
    _check_columns(protected, columns, "--protected")
    outcome, has_target, spelled = _outcome(text[target], target, positive, folds)
    rows = text[has_target].reset_index(drop=True)

    profiles: dict[str, ColumnProfile] = {
        column: profile_column(column, rows[column]) for column in columns if column != target
    }
    after_decision = dates_after_decision(profiles)
    excluded: list[dict[str, str]] = []
    used: list[str] = []
    audited: list[ColumnProfile] = []
    kept_leaks: list[dict[str, Any]] = []
    for column, profile in profiles.items():
        attribute = protected_attribute(column)
        if column in protected or attribute:
            # --keep never brings a protected attribute back: that is the point of the list.
            why = why_protected(attribute or "", named=column in protected)
            excluded.append(_excluded(column, why, "protected"))
            audited.append(profile)
            continue
        if profile.kind in (Kind.empty, Kind.constant):
            excluded.append(_excluded(column, profile.why_unusable, str(profile.kind)))
            continue
        item: dict[str, Any] | None
        if profile.kind == Kind.identifier:
            item = _excluded(column, profile.why_unusable, "identifier")
        else:
            evidence = leak_evidence(profile, outcome, after_decision)
            item = {"column": column, "why": why_leak(evidence), "evidence": [e.as_dict() for e in evidence]} \
                if evidence else None
        if item is not None and column not in keep:
            excluded.append(item)
            continue
        if item is not None:
            kept_leaks.append(item)
        used.append(column)
    if not used:
        listed = "; ".join(f"{item['column']}: {item['why']}" for item in excluded) or "the file has only the target"
        raise NoUsableColumn(f"no column is left to learn from ({listed})")

    kinds = {column: profiles[column].kind for column in used}
    for column in used:  # a kept identifier is learned from as what it looks like
        if kinds[column] == Kind.identifier:
            kinds[column] = Kind.number if pd.api.types.is_float_dtype(profiles[column].values) else Kind.category
    numeric = [column for column in used if kinds[column] in (Kind.number, Kind.yes_no, Kind.date)]
    categorical = [column for column in used if column not in numeric]
    features = pd.DataFrame({
        column: profiles[column].values.astype(float) if column in numeric
        else profiles[column].values.astype(object).where(profiles[column].values.notna(), MISSING_CATEGORY).astype(str)
        for column in used
    })
    return PreparedHistory(
        features=features, outcome=outcome, numeric=numeric, categorical=categorical, kinds=kinds,
        excluded=excluded, audited=audited, profiles=profiles, rows_without_target=int((~has_target).sum()),
        positive=spelled, kept=kept_leaks,
    )


def _excluded(column: str, why: str, kind: str) -> dict[str, Any]:
    """An excluded column as reported: its reason in one line and the evidence, one piece here."""
    return {"column": column, "why": why, "evidence": [{"kind": kind, "detail": why}]}


def evaluate(
    path_or_frame: str | Path | pd.DataFrame, target: str, positive: str, folds: int = 5, seed: int = 0,
    keep: Sequence[str] = (), protected: Sequence[str] = (), jobs: int = DEFAULT_JOBS,
) -> Evaluation:
    """Evaluate what predicts `target == positive` in a CSV (or a frame of its cells) of past outcomes.

    Every other value of the target is the negative class; rows without a target are left out
    (the only rows left out) and counted. Raises an `EvaluationError` (a ValueError) naming the
    column or value for bad input. The same seed gives the same figures.
    """
    history = prepare_history(path_or_frame, target, positive, folds, keep, protected)
    features, outcome, numeric, categorical = history.features, history.outcome, history.numeric, history.categorical
    report = cross_validated_report(
        features, outcome, folds=folds, seed=seed, numeric=numeric, categorical=categorical, jobs=jobs,
    )
    with threadpool_limits(limits=1):
        logistic = fit_logistic(features, outcome, numeric, categorical, seed)
        if report.model == LOGISTIC:
            top = logistic_predictors(logistic, features, history.kinds)
        else:
            trees = trees_pipeline(numeric, categorical, seed).fit(features, outcome)
            top = trees_predictors(trees, features, report.trees_importance, history.kinds, seed)

    fairness = []
    for profile in history.audited:
        groups, order = audit_groups(profile)
        for group in order:
            mask = (groups == group).to_numpy()
            fairness.append({
                "attribute": profile.name, "group": group, "n": int(mask.sum()),
                "observed_rate": float(outcome[mask].mean()), "mean_predicted": float(report.predicted[mask].mean()),
            })

    return Evaluation(
        n=len(outcome), positive_rate=float(outcome.mean()), auc=report.auc, auc_std=report.auc_std,
        brier=report.brier, brier_baseline=report.brier_baseline, model=report.model,
        used_columns=list(features.columns), excluded_columns=history.excluded, top_predictors=top,
        calibration=report.calibration, fairness=fairness, rows_without_target=history.rows_without_target,
        target=target, positive=history.positive, folds=folds, seed=seed, kept_columns=history.kept,
        column_kinds={column: str(profile.kind) for column, profile in history.profiles.items()},
        report=report, logistic=logistic,
    )
