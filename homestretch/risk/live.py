"""The weights the risk engine scores with for people to read: the live trained model's, else the experts'.

    assess(facts, now, cadence, live_weights())

One cheap query (the live row, by a partial unique index), kept in this process for LIVE_CACHE_SECONDS;
one more when the live model weighs the organisation's track record (homestretch.risk.track_record),
which is read with it: every decided application, answering "as of the start of the day" at scoring.
Why a cache of a minute is safe: a model changes only when an operator runs `homestretch model train`,
a rare, deliberate act; for up to a minute some server processes still score with the previous weights,
which were live a moment earlier and are every bit as valid — no request ever mixes two models, since
each reads the weights once. `train` clears the cache of its own process; tests clear it with
`clear_live_cache()`.
"""

from __future__ import annotations

import threading
import time

from .weights import EXPERT_WEIGHTS, FEATURE_NAMES, HISTORY_FEATURE_NAMES, Weights

LIVE_CACHE_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, Weights] | None = None  # (monotonic time read, weights)


def read_live_weights() -> Weights:
    """The live model's weights straight from the database (one query), or EXPERT_WEIGHTS."""
    from homestretch.risk.loader import load_track_record
    from homestretch.risk.models import TrainedModel

    row = TrainedModel.objects.filter(live=True).values_list("version", "base_log_odds", "weights").first()
    if row is None:
        return EXPERT_WEIGHTS
    version, base, weights = row
    main = {name: weights[name] for name in FEATURE_NAMES}
    history = {name: weights[name] for name in HISTORY_FEATURE_NAMES if weights.get(name)}
    # A model weighing the track record reads it too: one more query, every decided application.
    track_record = load_track_record() if history else None
    return Weights(base_log_odds=base, weights=main, source=f"model v{version}", history=history,
                   track_record=track_record)


def live_weights() -> Weights:
    """The weights to score with now: cached in this process for LIVE_CACHE_SECONDS."""
    global _cached
    cached = _cached
    now = time.monotonic()
    if cached is not None and now - cached[0] < LIVE_CACHE_SECONDS:
        return cached[1]
    weights = read_live_weights()
    with _lock:
        _cached = (now, weights)
    return weights


def clear_live_cache() -> None:
    """Forget the cached weights: the next `live_weights()` reads the database."""
    global _cached
    with _lock:
        _cached = None


def weights_label(weights: Weights) -> str:
    """"expert weights" or "model v3", for a page or a report."""
    return "expert weights" if weights.source == "expert" else weights.source


def remember_live_weights(weights: Weights) -> None:
    """Cache `weights` as just read: tests start every test as a process that has just read them."""
    global _cached
    with _lock:
        _cached = (time.monotonic(), weights)
