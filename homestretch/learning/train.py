"""Fit the risk engine's weights on the organisation's own outcomes, honestly measured.

Training set
------------
- **Own applications** closed as Started (kept: 0) or lost by the candidate — Declined, Reneged,
  Withdrawn (lost: 1). Rejected is left out: it is the client's decision, and the risk predicts
  losing the candidate, not the client saying no.
- **Imported history** (homestretch.history PastOutcome rows, "hired" = 0, "lost" = 1), mapped onto
  the engine's features by `features_of_past` below.

The decision moment
-------------------
An application's features are computed **as of the start of the local day on which it closed**
(00:00 in the organisation's time zone). Why that moment:

- it is before the closing stage change and before everything recorded on the closing day — the
  call in which the candidate declines, the note "accepted elsewhere" — which are the outcome
  itself, not a warning of it;
- it is the moment the engine last scored the application for a recruiter's morning (Today and the
  pipeline are read from the start of the day on);
- (its limit: a close recorded days after the candidate said no leaves that call before the moment;)
- moments at day granularity let the loader work set-based: one `load_facts(moment, application_ids=…)`
  per distinct closing day, so the number of queries grows with the number of days, not of
  applications.

An application opened and closed on the same day has no moment before its decision and is left out;
so is one that was not on the home stretch at the moment (closed from Sourced), and one with too
little recorded to be scored (the engine gives those no probability either). `skipped` counts them.

What the loader rolls back to the moment: stages (through StageChange), offer revisions and their
statuses (OfferEvent), acceptance, touchpoints (`at`), priorities (`as_of`), and competing offers
(CompetingOfferChange): each as it was known at the moment, its latest change at or before it, so
what became true only later — "accepted elsewhere", a higher amount, a new deadline — is not seen,
while what was known before (a process still at the interviews) still counts. An offer whose history
starts after the moment (one edited in place before changes were kept, dated from its last edit by
the migration that started the history) is left out for that moment: what it said then is not known.
So is one recorded after the moment with an earlier `learned_at` (`created_at`, one query for the
whole set): told after the decision, it may be the outcome itself, "she had accepted their offer".
Both can only weaken the competing features' signal, never inflate it.

Fit
---
L2-regularised logistic regression on **standardised** features (so that the penalty treats a
fraction and a count of days alike), converted back to weights per unit of each raw feature, as
`Weights` needs: w = w_std / sd, base = b_std − Σ w_std·mean / sd. The regularisation strength C is
chosen from `C_GRID` by stratified cross-validated log loss on the training data only (the backtest's
held-out outcomes never take part). The live weights are shrunk toward the expert ones while history
is thin: live = λ·fitted + (1−λ)·expert with λ = n / (n + SHRINKAGE_N0), for the base and for each
weight (a blend of the two log-odds). The engine uses a trained model only when THRESHOLDS are met.

Track record
------------
Each own application also carries the organisation's track record as of its decision moment: the loss
rate of its client, its role family and its candidate's source among the applications decided before
the start of its decision day (homestretch.risk.track_record, the same record the live weights read), so
that its own outcome and later ones never reach it. The experts weigh these 0; imported rows have 0.

Backtest
--------
The newest HOLDOUT_FRACTION of outcomes by decision moment are held out; the model is fitted (C chosen,
λ from the older count) on the older ones, and the held-out ones are scored by the shrunk fit and by the
expert weights: ROC AUC, Brier score, the Brier score of always predicting the training base rate, and
a calibration table. Then everything is refitted for the live model. Same data and seed ⇒ same result.
The weights live when training score the held-out outcomes too: the new model goes live only when its
backtest beats them (`beats_current`), besides THRESHOLDS.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any, TypedDict

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from homestretch.cadence.models import cadence_lookup
from homestretch.history.models import PastOutcome
from homestretch.offers.models import CompetingOffer
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application
from homestretch.risk.engine import _too_thin, not_scored_because
from homestretch.risk.features import (
    ACCEPTANCE_GRACE_DAYS,
    CAP_ACCEPTANCE_DELAY_DAYS,
    CAP_NOTICE_WEEKS,
    CAP_PAY_FRACTION,
    CAP_START_PUSHED_WEEKS,
    NOTICE_GRACE_DAYS,
    _clamp,
    compute_features,
)
from homestretch.risk.live import clear_live_cache, read_live_weights, weights_label
from homestretch.risk.loader import load_facts, load_track_record
from homestretch.risk.models import TrainedModel
from homestretch.risk.track_record import DECIDED_STAGES, KEPT_STAGES, LOST_STAGES
from homestretch.risk.weights import (
    ALL_FEATURE_NAMES,
    EXPERT_WEIGHTS,
    FEATURE_NAMES,
    FEATURES,
    HISTORY_FEATURE_NAMES,
    HISTORY_FEATURES,
    Weights,
)

# --- The thresholds and settings, in one place with their reasons. ------------------------------------

# The engine uses a fitted model only from MIN_OUTCOMES outcomes with at least MIN_PER_CLASS of each
# class (lost and kept). 17 features: the usual "10 events per variable" for an unpenalised logistic
# model would ask for ~170 losses; the L2 penalty and the shrinkage below make fewer enough, but under
# 40 losses the fit and its backtest (20 % held out: ~8 losses) say too little to replace judgement.
MIN_OUTCOMES = 200
MIN_PER_CLASS = 40
# λ = n / (n + SHRINKAGE_N0): at 400 outcomes the live weights are half fitted, half expert; at 200
# (the minimum) one third fitted; at 4,000 about 90 % fitted. The expert weights encode published
# effect sizes; a few hundred outcomes of one agency should move them, not replace them.
SHRINKAGE_N0 = 400
# The newest fifth of outcomes by decision moment is the backtest's held-out set: the model is judged on
# the future it did not see, as it will be used.
HOLDOUT_FRACTION = 0.2
# Regularisation strengths tried by cross-validation (inverse of the L2 penalty, on standardised features).
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
CV_FOLDS = 5
# Calibration: predicted probabilities in ten equal bins of 0.1.
CALIBRATION_BINS = 10
# An imported row with "start date extended" set is taken as a start pushed back four weeks: the file
# says that it moved, not by how much, and a month is the common extension (the expert weight's own
# example). Unknown or "no" is 0.
ASSUMED_START_PUSH_WEEKS = 4.0

THRESHOLDS = {
    "min_outcomes": MIN_OUTCOMES,
    "min_per_class": MIN_PER_CLASS,
    "shrinkage_n0": SHRINKAGE_N0,
    "holdout_fraction": HOLDOUT_FRACTION,
}

# Kept and lost: the one list, in homestretch.risk.track_record (the track record counts the same outcomes).
TRAINING_STAGES = DECIDED_STAGES
__all__ = ["KEPT_STAGES", "LOST_STAGES", "TRAINING_STAGES"]

DECISION_MOMENT = "the start of the local day on which the application closed (imported rows: of decided_on)"


@dataclass(frozen=True, slots=True)
class Example:
    """One outcome as the model sees it: the features at the decision moment and whether it was lost."""

    key: str  # "application:12" or "imported:7": for ordering ties and for reading a report
    decided_at: datetime | None  # None: an imported row without a decision date
    lost: bool
    values: tuple[float, ...]  # in ALL_FEATURE_NAMES order: the engine's features, then the track record's
    source: str  # "application" or "imported"


@dataclass
class TrainingSet:
    examples: list[Example] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # why -> how many left out
    days: int = 0  # distinct decision days loaded

    def skip(self, why: str, n: int = 1) -> None:
        if n:
            self.skipped[why] = self.skipped.get(why, 0) + n


class TrainingRefused(ValueError):
    """Training cannot run as asked; the message says why."""


# --- The decision moment and the training set. -----------------------------------------------------

def decision_moment(day: date) -> datetime:
    """The start of `day` in the organisation's time zone (see the module docstring)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if settings.USE_TZ else moment.date()


def application_examples(until: datetime, into: TrainingSet) -> None:
    """Append the organisation's closed applications (decided by `until`) to `into`, features as of decision."""
    closed = Application.objects.filter(stage__in=TRAINING_STAGES, closed_at__lte=until)
    rows = list(closed.order_by("closed_at", "id").values_list("id", "stage", "closed_at", "candidate__source"))
    into.skip("rejected by the client: not a candidate's decision, not what the risk predicts",
              Application.objects.filter(stage=Stage.REJECTED, closed_at__lte=until).count())
    if not rows:
        return
    by_day: dict[date, list[int]] = defaultdict(list)
    lost: dict[int, bool] = {}
    source: dict[int, str] = {}
    for app_id, stage, closed_at, candidate_source in rows:
        assert closed_at is not None, "closed_at__lte matches no application without one"
        by_day[local_day(closed_at)].append(app_id)
        lost[app_id] = stage != Stage.STARTED
        source[app_id] = candidate_source or ""
    # The same decided applications, as the track record the live model reads: each example sees only
    # those decided before the start of its own decision day (its own outcome and later ones never).
    record = load_track_record(until)
    recorded_at = _competing_recorded_at(closed.values("candidate_id"))
    cadence_for_team = cadence_lookup()
    into.days += len(by_day)
    for day in sorted(by_day):
        moment = decision_moment(day)
        ids = by_day[day]
        loaded = load_facts(moment, application_ids=ids, scored_only=False)
        into.skip("opened and closed on the same day: no moment before the decision", len(ids) - len(loaded))
        for facts in loaded:
            if not_scored_because(facts) is not None:
                into.skip("not on the home stretch at the decision moment (e.g. closed from Sourced)")
                continue
            facts = replace(facts, competing=tuple(
                fact for fact in facts.competing
                if fact.competing_id is None or recorded_at.get(fact.competing_id, moment) <= moment
            ))
            features = compute_features(facts, moment, cadence_for_team(facts.team_id))
            if _too_thin(facts, features):
                into.skip("too little recorded at the decision moment to be scored")
                continue
            past = record.as_of(moment, client=facts.job.client, title=facts.job.title,
                                source=source[facts.application_id])
            into.examples.append(Example(
                key=f"application:{facts.application_id}", decided_at=moment, lost=lost[facts.application_id],
                values=(*(features.values[name] for name in FEATURE_NAMES),
                        *(past.values[name] for name in HISTORY_FEATURE_NAMES)),
                source="application",
            ))


def _competing_recorded_at(candidates_scope) -> dict[int, datetime]:
    """When each competing offer of the candidates was recorded, by id: one query for the whole set.

    The loader gives each offer as it was known at the moment, from when it was learned; one recorded
    only after the decision (learned earlier, told afterwards) is left out, see the module docstring.
    """
    return dict(CompetingOffer.objects.filter(candidate_id__in=candidates_scope).values_list("id", "created_at"))


def features_of_past(row: Any) -> dict[str, float]:
    """The engine's features an imported past outcome can inform, with the engine's own caps.

    - pay_below_minimum: how far the offered pay fell short of the expected pay (same row, same
      currency), else of the expected raise: 1 − (1 + offered %)/(1 + expected %); cap 0.30.
    - notice_weeks: weeks of notice beyond the four-week norm; cap 12. (In the engine this counts only
      after acceptance; a file does not say whether a loss came before or after it, so it counts always.)
    - start_pushed_weeks: ASSUMED_START_PUSH_WEEKS when the start date was extended; cap 8.
    - acceptance_delay_days: days taken to accept beyond three; cap 14.

    Every other feature is 0: the file has no signal for it (no contacts, no competing processes, no
    client, role or source of the organisation's own: the track-record features are 0 too). In
    the fit those rows say "this outcome happened without that factor", which pulls the other weights
    toward zero and the base rate toward the imported loss rate — the more imported rows beside own
    applications, the more the contact and competition weights lean on the expert ones (through the
    shrinkage) rather than on the data.
    """
    values = dict.fromkeys(ALL_FEATURE_NAMES, 0.0)
    expected, offered = _number(row.expected_pay), _number(row.offered_pay)
    expected_raise, offered_raise = _number(row.expected_raise_percent), _number(row.offered_raise_percent)
    if expected and offered is not None and expected > 0:
        values["pay_below_minimum"] = _clamp(1.0 - offered / expected, CAP_PAY_FRACTION)
    elif expected_raise is not None and offered_raise is not None and expected_raise > -100:
        values["pay_below_minimum"] = _clamp(
            1.0 - (1.0 + offered_raise / 100.0) / (1.0 + expected_raise / 100.0), CAP_PAY_FRACTION
        )
    notice = _number(row.notice_days)
    if notice is not None:
        values["notice_weeks"] = _clamp((notice - NOTICE_GRACE_DAYS) / 7.0, CAP_NOTICE_WEEKS)
    if row.start_date_extended:
        values["start_pushed_weeks"] = _clamp(ASSUMED_START_PUSH_WEEKS, CAP_START_PUSHED_WEEKS)
    days_to_accept = _number(row.days_to_accept)
    if days_to_accept is not None:
        values["acceptance_delay_days"] = _clamp(days_to_accept - ACCEPTANCE_GRACE_DAYS, CAP_ACCEPTANCE_DELAY_DAYS)
    return values


def _number(value) -> float | None:
    return None if value is None else float(value)


def imported_examples(until: datetime, into: TrainingSet) -> None:
    """Append imported past outcomes (homestretch.history) decided by `until`, in one query."""
    last_day = local_day(until)
    rows = PastOutcome.objects.filter(Q(decided_on__lte=last_day) | Q(decided_on__isnull=True))
    for row in rows.order_by("decided_on", "pk").iterator(2000):
        if row.outcome not in ("hired", "lost"):
            into.skip(f"imported row with outcome {row.outcome!r}: neither hired nor lost")
            continue
        moment = decision_moment(row.decided_on) if row.decided_on is not None else None
        if moment is not None and moment > until:
            continue
        values = features_of_past(row)
        into.examples.append(Example(
            key=f"imported:{row.pk}", decided_at=moment, lost=row.outcome == "lost",
            values=tuple(values[name] for name in ALL_FEATURE_NAMES), source="imported",
        ))


def training_set(until: datetime) -> TrainingSet:
    into = TrainingSet()
    application_examples(until, into)
    imported_examples(until, into)
    # Undated imported rows count as older than every dated outcome: fitted on, never held out.
    # Ties by source and then id as a number ("application:99" before "application:100"): the order
    # decides the cross-validation folds, so it must follow the data, not how many digits ids have.
    into.examples.sort(key=lambda example: (example.decided_at is not None, example.decided_at or until,
                                            example.source, int(example.key.rpartition(":")[2])))
    return into


# --- Fitting. -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fit:
    base_log_odds: float
    weights: dict[str, float]
    C: float
    folds: int


def fit_weights(X: np.ndarray, y: np.ndarray, seed: int) -> Fit:
    """L2 logistic regression on standardised features, C by cross-validation, weights per raw unit."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def model(C: float):
        return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))

    minority = int(min(y.sum(), len(y) - y.sum()))
    if minority < 1:
        raise TrainingRefused("every outcome is of one kind (all lost or all kept): nothing to learn from")
    folds = min(CV_FOLDS, minority)
    best_C = 1.0
    if folds >= 2:
        splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(X, y))
        best_loss = math.inf
        for C in C_GRID:  # ascending: on a tie the stronger penalty wins
            loss = 0.0
            for train_rows, test_rows in splits:
                fitted = model(C).fit(X[train_rows], y[train_rows])
                loss += log_loss(y[test_rows], fitted.predict_proba(X[test_rows])[:, 1], labels=[0, 1])
            if loss < best_loss - 1e-12:
                best_loss, best_C = loss, C
    pipeline = model(best_C).fit(X, y)
    scaler, logistic = pipeline[0], pipeline[1]
    w_std = logistic.coef_[0]
    scale = scaler.scale_  # 1 for a constant column, whose standardised value is 0 and weight 0
    weights = w_std / scale
    base = float(logistic.intercept_[0] - np.sum(w_std * scaler.mean_ / scale))
    return Fit(base, {name: float(w) for name, w in zip(ALL_FEATURE_NAMES, weights, strict=True)}, best_C, folds)


def shrinkage(n: int) -> float:
    """λ = n / (n + SHRINKAGE_N0)."""
    return n / (n + SHRINKAGE_N0) if n > 0 else 0.0


def shrink(fit: Fit, lam: float, expert: Weights = EXPERT_WEIGHTS) -> tuple[float, dict[str, float]]:
    """λ·fitted + (1−λ)·expert for the base and every weight; the experts weigh the track record 0."""
    base = lam * fit.base_log_odds + (1 - lam) * expert.base_log_odds
    experts = expert.all_weights()
    return base, {name: lam * fit.weights[name] + (1 - lam) * experts[name] for name in ALL_FEATURE_NAMES}


def probabilities(base: float, weights: dict[str, float] | Any, X: np.ndarray) -> np.ndarray:
    """The engine's probability for each row of X (ALL_FEATURE_NAMES columns; a weight not named is 0),
    log-odds clipped at ±35 as the engine does."""
    vector = np.array([float(weights.get(name, 0.0)) for name in ALL_FEATURE_NAMES])
    return 1.0 / (1.0 + np.exp(-np.clip(base + X @ vector, -35.0, 35.0)))


class CalibrationRow(TypedDict):
    """One bin of a calibration table: the mean predicted and observed loss rate of its `n` outcomes."""

    bin: str
    predicted: float
    observed: float
    n: int


def calibration(p: np.ndarray, y: np.ndarray) -> list[CalibrationRow]:
    bins = np.minimum((p * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    table: list[CalibrationRow] = []
    for b in range(CALIBRATION_BINS):
        rows = bins == b
        if rows.any():
            table.append({"bin": f"{b / CALIBRATION_BINS:.1f}–{(b + 1) / CALIBRATION_BINS:.1f}",
                          "predicted": round(float(p[rows].mean()), 4), "observed": round(float(y[rows].mean()), 4),
                          "n": int(rows.sum())})
    return table


def scores(p: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    both = 0 < y.sum() < len(y)
    return {
        "auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "brier": round(float(brier_score_loss(y, p)), 4),
        "calibration": calibration(p, y),
    }


def backtest(examples: list[Example], seed: int, current: Weights = EXPERT_WEIGHTS) -> dict[str, Any]:
    """Fit on the older outcomes, score the newest HOLDOUT_FRACTION by the shrunk fit, by the experts and by
    the `current` weights (those live when training: the experts or the live model)."""
    n = len(examples)
    n_test = round(n * HOLDOUT_FRACTION)
    if n_test < 1 or n - n_test < 2:
        return {"possible": False, "why": f"{n} outcome{'s' if n != 1 else ''}: too few to hold any out"}
    older, newest = examples[: n - n_test], examples[n - n_test:]
    X_train, y_train = _matrix(older)
    X_test, y_test = _matrix(newest)
    try:
        fit = fit_weights(X_train, y_train, seed)
    except TrainingRefused as refused:
        return {"possible": False, "why": f"the older {len(older)} outcomes: {refused}"}
    lam = shrinkage(len(older))
    base, weights = shrink(fit, lam)
    base_rate = float(y_train.mean())
    model_p = probabilities(base, weights, X_test)
    expert_p = probabilities(EXPERT_WEIGHTS.base_log_odds, EXPERT_WEIGHTS.weights, X_test)
    fitted_p = probabilities(fit.base_log_odds, fit.weights, X_test)
    current_p = probabilities(current.base_log_odds, current.all_weights(), X_test)
    model_scores = scores(model_p, y_test)
    report = {
        "possible": True,
        "n_train": len(older),
        "n_test": len(newest),
        "test_lost": int(y_test.sum()),
        "test_from": _iso(newest[0].decided_at),
        "test_to": _iso(newest[-1].decided_at),
        "shrinkage": round(lam, 4),
        "C": fit.C,
        "base_rate": round(base_rate, 4),
        "brier_base_rate": round(float(np.mean((base_rate - y_test) ** 2)), 4),
        "model": model_scores,
        "expert": scores(expert_p, y_test),
        "fitted_unshrunk": {key: value for key, value in scores(fitted_p, y_test).items() if key != "calibration"},
        "current": {"label": weights_label(current),
                    **{key: value for key, value in scores(current_p, y_test).items() if key != "calibration"}},
    }
    if model_scores["auc"] is None:
        report["auc_note"] = "the held-out outcomes are all of one kind: no AUC"
    return report


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _matrix(examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    X = np.array([example.values for example in examples], dtype=float).reshape(len(examples), len(ALL_FEATURE_NAMES))
    y = np.array([1 if example.lost else 0 for example in examples], dtype=int)
    return X, y


def typical_values(examples: list[Example]) -> dict[str, float]:
    """Each feature's mean where it is not 0: the amount at which a weight is put in words."""
    X, _ = _matrix(examples)
    typical = {}
    for index, name in enumerate(ALL_FEATURE_NAMES):
        nonzero = X[:, index][X[:, index] != 0]
        # The track record's features are signed (a client better than average is below 0): their
        # typical size is the mean absolute value.
        typical[name] = round(float(np.abs(nonzero).mean() if name in HISTORY_FEATURE_NAMES else nonzero.mean()), 4) \
            if len(nonzero) else 0.0
    return typical


def beats_current(report: dict[str, Any]) -> tuple[bool, str]:
    """The go-live rule: on the backtest's held-out outcomes (the newest, never fitted on), the trained
    (shrunk) weights must have a lower Brier score than the weights live when training. The sentence says why.

    The Brier score, not the AUC: it is a proper score, rewarding a model both for ranking the losses
    first and for saying how likely they are, which is what the bands and Today read; on a few dozen
    held-out outcomes the AUC of two good models differs by noise (it is shown beside). A live model
    trained earlier may have been fitted on some of the held-out outcomes, which flatters it: the rule
    errs toward keeping what scores now, and a tie keeps it too.
    """
    if not report.get("possible"):
        return False, f"no backtest ({report.get('why', 'too few outcomes')})"
    model, current = report["model"], report["current"]
    figures = (f"Brier {model['brier']:.3f} against {current['brier']:.3f}"
               + (f" (ROC AUC {model['auc']:.3f} against {current['auc']:.3f})"
                  if model["auc"] is not None and current["auc"] is not None else "")
               + f" on the newest {report['n_test']} outcomes")
    if model["brier"] < current["brier"]:
        return True, f"its backtest beats the weights live when it was trained ({current['label']}): {figures}"
    return False, (f"its backtest does not beat the weights live when it was trained ({current['label']}): "
                   f"{figures}; {current['label']} {'stay' if current['label'] == 'expert weights' else 'stays'} live")


def not_live_because(n: int, n_lost: int) -> str:
    """Why a model on this much history may not be live, or "" when it may."""
    kept = n - n_lost
    reasons = []
    if n < MIN_OUTCOMES:
        reasons.append(f"{n} outcome{'s' if n != 1 else ''}, fewer than the {MIN_OUTCOMES} needed")
    if n_lost < MIN_PER_CLASS:
        reasons.append(f"{n_lost} lost, fewer than the {MIN_PER_CLASS} needed")
    if kept < MIN_PER_CLASS:
        reasons.append(f"{kept} kept, fewer than the {MIN_PER_CLASS} needed")
    if reasons:
        return "; ".join(reasons) + ": the expert weights stay live"
    return ""


# --- Training and saving. ---------------------------------------------------------------------------

def train(*, now: datetime, seed: int = 0, by=None):
    """Fit on every outcome decided by `now`, backtest, save a new TrainedModel version; live if allowed.

    A new version that may not be live leaves the current live model (if any) live.
    """
    data = training_set(now)
    examples = data.examples
    current = read_live_weights()  # from the database, not this process's cache
    n = len(examples)
    n_lost = sum(1 for example in examples if example.lost)
    n_applications = sum(1 for example in examples if example.source == "application")
    why_not = not_live_because(n, n_lost)
    X, y = _matrix(examples)
    fit = None
    if n and 0 < n_lost < n:
        fit = fit_weights(X, y, seed)
    elif not why_not:  # pragma: no cover - the thresholds already require both classes
        why_not = "every outcome is of one kind: nothing to learn from"
    lam = shrinkage(n) if fit is not None else 0.0
    if fit is not None:
        base, weights = shrink(fit, lam)
    else:
        base, weights = EXPERT_WEIGHTS.base_log_odds, dict(EXPERT_WEIGHTS.weights)
        why_not = why_not or "nothing could be fitted: the expert weights stay live"
    backtest_report = backtest(examples, seed, current)
    evaluation: dict[str, Any] = {
        "decision_moment": DECISION_MOMENT,
        "thresholds": THRESHOLDS,
        "seed": seed,
        "days_loaded": data.days,
        "skipped": data.skipped,
        "C": fit.C if fit is not None else None,
        "cv_folds": fit.folds if fit is not None else None,
        "typical_values": typical_values(examples) if examples else {},
        "backtest": backtest_report,
    }
    beats, go_live_why = beats_current(backtest_report)
    evaluation["go_live"] = {"current": weights_label(current), "beats": beats, "why": go_live_why}
    if not why_not and not beats:
        why_not = go_live_why
    with transaction.atomic():
        version = (TrainedModel.objects.aggregate(last=Max("version"))["last"] or 0) + 1
        live = not why_not
        if live:
            TrainedModel.objects.filter(live=True).update(live=False)
        saved = TrainedModel.objects.create(
            version=version, trained_at=timezone.now(), as_of=now, n_applications=n_applications,
            n_imported=n - n_applications, n_lost=n_lost, base_log_odds=base, weights=weights,
            fitted_base_log_odds=fit.base_log_odds if fit is not None else None,
            fitted_weights=fit.weights if fit is not None else None, shrinkage=lam, evaluation=evaluation,
            live=live, not_live_because=why_not, seed=seed, trained_by=by,
        )
    clear_live_cache()
    return saved


# --- Reading a model back, for `model status` and the page. ----------------------------------------------

REASON_BY_FEATURE = {spec.name: spec.reason_one_line for spec in (*FEATURES, *HISTORY_FEATURES)}


def weights_table(model) -> list[dict[str, Any]]:
    """Feature, expert, fitted, live weight and the feature's reason, in FEATURES order."""
    fitted = model.fitted_weights or {}
    rows = [{"feature": "(base log-odds)", "expert": EXPERT_WEIGHTS.base_log_odds,
             "fitted": model.fitted_base_log_odds, "live": model.base_log_odds,
             "reason": "The log-odds of a loss when no risk signal is present."}]
    experts = EXPERT_WEIGHTS.all_weights()
    for name in ALL_FEATURE_NAMES:
        # A model trained before the track-record features existed weighs them 0.
        rows.append({"feature": name, "expert": experts[name], "fitted": fitted.get(name),
                     "live": model.weights.get(name, 0.0), "reason": REASON_BY_FEATURE[name]})
    return rows


def _odds_factor(log_odds: float) -> str:
    factor = math.exp(max(-50.0, min(50.0, log_odds)))
    if factor >= 100:
        return "×100 or more"
    if factor < 0.01:
        return "×0.01 or less"
    return f"×{factor:.2f}"


def biggest_differences(model, top: int = 5) -> list[str]:
    """The weights that differ most from the expert ones, in words, judged at each feature's typical value."""
    typical = (model.evaluation or {}).get("typical_values", {})
    ranked = []
    experts = EXPERT_WEIGHTS.all_weights()
    for name in ALL_FEATURE_NAMES:
        amount = typical.get(name) or 0.0
        live, expert = float(model.weights.get(name, 0.0)), experts[name]
        if not amount or math.isclose(live, expert):
            continue
        ranked.append((abs(live - expert) * amount, name, amount, live, expert))
    ranked.sort(reverse=True)
    sentences = []
    for _, name, amount, live, expert in ranked[:top]:
        more = "more" if live > expert else "less"
        sentences.append(
            f"{name} weighs {more} than the experts thought: at a typical {amount:.3g}, the odds of a loss "
            f"{_odds_factor(live * amount)} instead of {_odds_factor(expert * amount)}"
        )
    return sentences


def model_report(model) -> dict[str, Any]:
    """Everything `model status` and the page say about one trained model, JSON-ready."""
    evaluation = model.evaluation or {}
    return {
        "version": model.version,
        "live": model.live,
        "not_live_because": model.not_live_because,
        "trained_at": model.trained_at.isoformat(),
        "as_of": model.as_of.isoformat(),
        "trained_by": model.trained_by.email if model.trained_by_id else None,
        "seed": model.seed,
        "n_applications": model.n_applications,
        "n_imported": model.n_imported,
        "n_lost": model.n_lost,
        "n_kept": model.n_outcomes - model.n_lost,
        "shrinkage": round(model.shrinkage, 4),
        "C": evaluation.get("C"),
        "skipped": evaluation.get("skipped", {}),
        "backtest": evaluation.get("backtest", {}),
        "go_live": evaluation.get("go_live"),
        "weights": weights_table(model),
        "differences": biggest_differences(model),
    }


def status_report() -> dict[str, Any]:
    """Which weights are live, the thresholds, and the live and latest models (two queries)."""
    live = TrainedModel.objects.select_related("trained_by").filter(live=True).first()
    latest = TrainedModel.objects.select_related("trained_by").order_by("-version").first()
    return {
        "live_weights": f"model v{live.version}" if live is not None else "expert weights",
        "decision_moment": DECISION_MOMENT,
        "thresholds": THRESHOLDS,
        "live_model": model_report(live) if live is not None else None,
        "latest_model": model_report(latest) if latest is not None and latest != live else None,
    }
