"""The risk model's weights and bands, written down in one place with their reasons and sources.

Form: a logistic model.

    log-odds = base_log_odds + sum(weight[name] * feature[name] for name in FEATURES)
    probability = 1 / (1 + exp(-log-odds))

Every feature (homestretch.risk.features) is 0 when it does not apply and grows with the risk,
capped so that no single factor dominates absurdly. With non-negative weights the probability
therefore never falls when a feature grows; the expert weights below are all >= 0.

Replacing the expert weights: a learned model fits the same features (same names, same values,
same caps, computed by the same `compute_features`) on the organisation's history of won and lost
offers, and hands its result over as another `Weights` instance with exactly the names of
`FEATURES` and `source` set to the fitted model's id. `assess(..., weights=fitted)` then scores with
it; nothing else changes. A fitted weight may come out negative (the data say a factor lowers the
risk); the engine accepts that, explains only the risk-raising contributions, and the monotonicity
guarantee holds for the expert weights.

Bands (BANDS, the only place the thresholds live):

    low     probability < 0.20   around or below the market's average loss at the offer stage (16 %)
    medium  0.20 <= p < 0.40     above average: keep the cadence tight and close the gaps found
    high    p >= 0.40            2.5 times the average or more, near a coin flip: act today

The expert base rate sits below the 16 % average on purpose: the average includes candidates who
had competing offers, silence and slow processes, which the features add back. A candidate with no
risk signal at all is scored at 10 %.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .track_record import TRACK_RECORD_FEATURES, TrackRecord


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """One feature of the model: its name, why it raises the risk (one line), and the source."""

    name: str
    reason_one_line: str
    citation: str


# The features, in the order the engine computes and explains them. The one place that lists them.
FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(
        "competing_pay_gap",
        "A better-paid competing offer (fraction more than ours, same currency and period; cap 0.30) "
        "is the first reason candidates decline or renege.",
        "McQuaig 2014: pay is the most cited reason to decline (~40 %), 70 % of HR staff name money first; "
        "Robert Half 2019: 44 % of those who backed out after accepting had a better offer.",
    ),
    FeatureSpec(
        "competing_stage",
        "The further another process has gone (applied 0.5, interviewing 1, final 2, offer 3, accepted 4), "
        "the closer the candidate is to choosing it.",
        "Robert Half 2019: 44 % of those who backed out had a better offer; Gartner 2023: half of candidates "
        "had accepted an offer and then reneged.",
    ),
    FeatureSpec(
        "counteroffer",
        "A counteroffer from the current employer (0.5 talked about, 1 made, 1.5 accepted) keeps candidates "
        "where they are.",
        "Robert Half 2019: 27 % of those who backed out after accepting took a counteroffer "
        "(the '80 % leave within six months' figure has no traceable source and is not used).",
    ),
    FeatureSpec(
        "competing_deadline",
        "A competing deadline forces a decision: 0 at 14 days or more, growing by 1 a week to 2 on the day "
        "(2 once the candidate has accepted another offer).",
        "Robert Half 2016: an offer three to four weeks after the first interview is turned down 19 % more "
        "often than one after one to two weeks; speed decides close races.",
    ),
    FeatureSpec(
        "overdue_days",
        "Days the next contact is overdue against the stage's cadence (cap 14): silence loses candidates.",
        "Robert Half 2016: 23 % lose interest with no news a week after the first interview, 46 % after "
        "one to two weeks without a status update.",
    ),
    FeatureSpec(
        "competition_unasked_days",
        "Days since competition was last asked about (or since the application began), beyond the "
        "team's ask interval (cap 21): an unseen competitor cannot be countered.",
        "Recruiting practice (PRODUCT.md, 'Know the competition'); no published effect size, weight kept low.",
    ),
    FeatureSpec(
        "declined_to_say",
        "The candidate declined to say what else is on the table (1): a trust signal and often a hidden offer.",
        "Recruiting practice (PRODUCT.md, 'Build trust'); no published effect size, weight kept moderate.",
    ),
    FeatureSpec(
        "pay_below_minimum",
        "Our base (or the band midpoint) below the candidate's stated minimum, as a fraction short (cap 0.30).",
        "McQuaig 2014: pay is the most cited reason to decline (~40 %).",
    ),
    FeatureSpec(
        "remote_mismatch",
        "Less remote work than the candidate wants (0 to 1), scaled by how much remote matters to them (x 1/3 "
        "to 5/3).",
        "Recruiting practice: remote days are among the first levers asked for after pay; no effect size.",
    ),
    FeatureSpec(
        "start_later_than_available",
        "Weeks our start date is later than the candidate can start (cap 8): a longer wait is more time for "
        "other offers and counteroffers.",
        "Robert Half 2019: 44 % better offer, 27 % counteroffer among those who backed out, which needs time.",
    ),
    FeatureSpec(
        "interest_low",
        "Latest interest level below 4 of 5, in levels (0 to 3).",
        "Recruiting practice: the recruiter's own read of the candidate; no effect size, weight moderate.",
    ),
    FeatureSpec(
        "interest_drop",
        "Drop in interest since the previous touch, in levels (0 to 4).",
        "Recruiting practice: a falling trend precedes a withdrawal; no effect size, weight moderate.",
    ),
    FeatureSpec(
        "inbound_silence_days",
        "Days since the candidate last reached out (or since the application began), beyond a week (cap 21).",
        "Robert Half 2016: interest fades within one to two weeks; a candidate who stops writing is cooling.",
    ),
    FeatureSpec(
        "stage_stall_days",
        "Days in the current stage beyond what is usual for it (cap 28): a stalled process loses candidates.",
        "Robert Half 2016: offers three to four weeks after the first interview are declined 19 % more often "
        "than after one to two weeks (about +0.2 log-odds over two weeks).",
    ),
    FeatureSpec(
        "notice_weeks",
        "After acceptance: weeks of notice (or of wait from acceptance to start) beyond four (cap 12).",
        "Robert Half 2019: reneging needs a better offer (44 %) or a counteroffer (27 %), both need time.",
    ),
    FeatureSpec(
        "start_pushed_weeks",
        "After acceptance: weeks the start date moved later than first planned (cap 8).",
        "Recruiting practice: a moving start often hides a counteroffer or a second process.",
    ),
    FeatureSpec(
        "acceptance_delay_days",
        "After acceptance: days the candidate took to accept beyond three (cap 14): hesitation.",
        "Gartner 2023: half of candidates had accepted and then reneged; hesitant acceptances are the fragile ones.",
    ),
)

FEATURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in FEATURES)

# The organisation's own track record (homestretch.risk.track_record): only a trained model weighs
# these; the experts have no view of one organisation's clients, so their weight is 0 and the expert
# scores are exactly what they were without them.
HISTORY_FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(
        "client_loss_rate",
        "How much more (or less) often candidates for this client were lost than overall, as of the start "
        "of the day (log-odds, shrunk toward the overall rate while the client has few decided applications).",
        "The organisation's own history (issue 22).",
    ),
    FeatureSpec(
        "role_family_loss_rate",
        "The same for the job's role family (security, data, backend…, read from the title).",
        "The organisation's own history (issue 22).",
    ),
    FeatureSpec(
        "source_loss_rate",
        "The same for how the candidate was found (referral, LinkedIn, a job board…).",
        "The organisation's own history (issue 22).",
    ),
)
HISTORY_FEATURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in HISTORY_FEATURES)
assert HISTORY_FEATURE_NAMES == TRACK_RECORD_FEATURES, "one list of history features"
# Every feature a trained model may weigh, in the order of its fitted vector.
ALL_FEATURE_NAMES: tuple[str, ...] = FEATURE_NAMES + HISTORY_FEATURE_NAMES


@dataclass(frozen=True)
class Weights:
    """A base log-odds and one weight per feature name of FEATURES; `source` is "expert" or a model id.

    A trained model may also weigh the HISTORY_FEATURES (`history`, by name; none is 0): the engine
    then reads them from `track_record`, the decided applications as of each moment scored. Without a
    track record the history weights score nothing.
    """

    base_log_odds: float
    weights: Mapping[str, float]
    source: str
    history: Mapping[str, float] = field(default_factory=dict)
    track_record: TrackRecord | None = field(default=None, repr=False, compare=False)
    # The weights in FEATURES order, for the scoring loop (derived, not compared).
    vector: tuple[tuple[str, float], ...] = field(init=False, repr=False, compare=False)
    # The non-zero history weights in HISTORY_FEATURES order; empty for the experts (derived).
    history_vector: tuple[tuple[str, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = set(self.weights)
        missing = [name for name in FEATURE_NAMES if name not in names]
        unknown = sorted(names.difference(FEATURE_NAMES))
        if missing or unknown:
            raise ValueError(f"weights must name exactly the model's features; missing {missing}, unknown {unknown}")
        unknown_history = sorted(set(self.history).difference(HISTORY_FEATURE_NAMES))
        if unknown_history:
            raise ValueError(f"unknown history features {unknown_history}")
        values = [self.base_log_odds, *self.weights.values(), *self.history.values()]
        if not all(math.isfinite(float(value)) for value in values):
            raise ValueError("weights must be finite numbers")
        object.__setattr__(self, "vector", tuple((name, float(self.weights[name])) for name in FEATURE_NAMES))
        object.__setattr__(self, "history_vector", tuple(
            (name, float(self.history[name])) for name in HISTORY_FEATURE_NAMES if float(self.history.get(name, 0.0))
        ))

    def all_weights(self) -> dict[str, float]:
        """Every weight by name, ALL_FEATURE_NAMES order, the history ones 0 when not weighed."""
        return {**{name: float(self.weights[name]) for name in FEATURE_NAMES},
                **{name: float(self.history.get(name, 0.0)) for name in HISTORY_FEATURE_NAMES}}


# Base: a candidate with no risk signal is lost 10 % of the time (log-odds -2.2). Saratoga / PwC:
# offer acceptance in the US averaged 84 % in 2022 (74 % to almost 100 % by industry), a 16 % loss
# rate at the offer stage on average, risky candidates included.
EXPERT_BASE_LOG_ODDS = -2.2

EXPERT_WEIGHTS = Weights(
    base_log_odds=EXPERT_BASE_LOG_ODDS,
    weights={
        # Per unit of fraction: 12 % more -> +0.72. Pay is the most cited reason (McQuaig 2014, ~40 %).
        "competing_pay_gap": 6.0,
        # Per step: an offer elsewhere (3) -> +0.9 (21 % alone), accepted elsewhere (4) -> +1.2
        # (Robert Half 2019: 44 % of those who backed out had a better offer).
        "competing_stage": 0.3,
        # A counteroffer made -> +0.6: 27 % against 44 % for better offers (Robert Half 2019), scaled from 0.9.
        "counteroffer": 0.6,
        # Deadline in two days (1.71) -> +0.77: a forced decision where we are slower loses (Robert Half 2016).
        "competing_deadline": 0.45,
        # A week overdue -> +0.84: 23 % lose interest after a week of silence, 46 % after two (Robert Half 2016).
        "overdue_days": 0.12,
        # Three weeks blind -> +0.84 at the cap: practice, no published effect size.
        "competition_unasked_days": 0.04,
        # Declined to say -> +0.5: trust signal from practice, no published effect size.
        "declined_to_say": 0.5,
        # 10 % below the minimum -> +0.5; same source as the pay gap (McQuaig 2014).
        "pay_below_minimum": 5.0,
        # Full mismatch that matters a lot (5/5) -> +1.0; at average importance -> +0.6. Practice.
        "remote_mismatch": 0.6,
        # A month later than possible -> +0.43 (Robert Half 2019: other offers and counteroffers need time).
        "start_later_than_available": 0.1,
        # Interest 2 of 5 -> +0.8. Practice.
        "interest_low": 0.4,
        # A drop of two levels -> +0.6. Practice.
        "interest_drop": 0.3,
        # Three weeks without a word from the candidate -> +0.42 at the cap (Robert Half 2016).
        "inbound_silence_days": 0.02,
        # Two weeks beyond the usual -> +0.28, matching the 19 % more declines (Robert Half 2016).
        "stage_stall_days": 0.02,
        # A three-month notice (8.9 weeks beyond four) -> +0.71 (Robert Half 2019: time for rival offers).
        "notice_weeks": 0.08,
        # A start pushed back a month -> +1.07. Practice: a moving start is a classic warning.
        "start_pushed_weeks": 0.25,
        # Ten days to accept (7 beyond three) -> +0.28 (Gartner 2023: fragile acceptances).
        "acceptance_delay_days": 0.04,
    },
    source="expert",
)

# The band thresholds: the lower bounds of medium and high (see the module docstring for why).
BAND_MEDIUM_FROM = 0.20
BAND_HIGH_FROM = 0.40
# Each band with the probability it starts at, low to high.
BANDS: tuple[tuple[str, float], ...] = (("low", 0.0), ("medium", BAND_MEDIUM_FROM), ("high", BAND_HIGH_FROM))


def band_for(probability: float) -> str:
    """The band of a probability: "low", "medium" or "high"."""
    if probability >= BAND_HIGH_FROM:
        return "high"
    if probability >= BAND_MEDIUM_FROM:
        return "medium"
    return "low"
