"""The probability of losing a candidate, as of a moment, with its reasons and next best actions.

    risk = assess(facts, now, cadence, weights)       # one application
    risks = assess_many(facts, now, cadence_for_team)  # many, by application id

The score is the logistic model of homestretch.risk.weights over the features of
homestretch.risk.features; weights are a parameter, so fitted weights replace the expert ones by
passing another Weights instance.

When no risk is computed (probability, score and band are None), `missing` says why:

- the application is not on the home stretch: closed (started, declined, reneged, withdrawn,
  rejected), only sourced, or on hold from one of those;
- the data is too thin to say anything: no contact recorded at all (no touchpoint, no last contact),
  no competing process known and no offer of ours. Then every feature would be 0 for want of data,
  and the base rate would pass for a judgement. `missing` lists what to learn first and the actions
  say how (call, ask about the competition, learn the priorities).

An application on hold is scored as at the stage before the hold (facts.stage_before_hold); without
it, as on hold: no stall norm, no after-acceptance features, the hold's contact cadence.

Reasons are the risk-raising contributions (weight x feature > 0), largest first; each one's share
is its part of their sum, so the shares of the listed reasons add up to 1. `missing` also lists, for
a computed risk, what could not be compared or is unknown (a competing offer in another currency,
no priorities recorded...): the estimate is made without it, and the recruiter sees what to ask.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from homestretch.cadence.rules import DEFAULT_CADENCE, Cadence
from homestretch.lib.bulk_python import cycle_collector_paused
from homestretch.offers.choices import CompetingStage
from homestretch.pipeline import stages
from homestretch.pipeline.choices import Stage
from homestretch.situation.build import Situation
from homestretch.situation.facts import ApplicationFacts
from homestretch.situation.pay import money
from homestretch.situation.redact import redact

from .actions import STAGE_LABELS, Action, next_best_actions
from .features import FeatureValues, compute_features
from .track_record import TrackRecordValues
from .weights import EXPERT_WEIGHTS, Weights, band_for

__all__ = ["Action", "Reason", "Risk", "assess", "assess_many", "shared_explanation"]

# Stages the engine scores: the home stretch from screening up to accepted (and on hold from one),
# as plain strings (a Stage's str() is its value).
SCORED_STAGES: frozenset[str] = frozenset(str(stage) for stage in stages.HOME_STRETCH)
_ON_HOLD = Stage.ON_HOLD.value
_SOURCED = Stage.SOURCED.value


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the risk is what it is: a code (the feature's name), a sentence, its share of the score."""

    code: str
    text: str
    share: float  # of the risk-raising contributions, 0..1


@dataclass(frozen=True, slots=True)
class Risk:
    """The risk of losing one candidate; probability, score and band are None when not computed."""

    probability: float | None
    score: int | None
    band: str | None
    reasons: tuple[Reason, ...] = ()
    actions: tuple[Action, ...] = ()
    missing: tuple[str, ...] = ()
    features: Mapping[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: probability to 3 decimals, shares to 2."""
        return {
            "probability": None if self.probability is None else round(self.probability, 3),
            "score": self.score,
            "band": self.band,
            "reasons": [{"code": r.code, "text": r.text, "share": round(r.share, 2)} for r in self.reasons],
            "actions": [{"code": a.code, "text": a.text} for a in self.actions],
            "missing": list(self.missing),
        }


# --- Sentences a recruiter would say, one per feature.

def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _percent(fraction: float) -> str:
    return f"{max(1, round(fraction * 100))}%"


def _text_competing_pay_gap(fv: FeatureValues) -> str:
    best = fv.situation.best
    assert best is not None and best.comparison is not None
    opening = f"The counteroffer from {best.label}" if best.is_counteroffer else f"A competing offer from {best.label}"
    if best.band is not None:  # a redacted situation: where its band lies, never a figure
        return f"{opening} pays more than {'ours' if best.comparison.ours_source == 'offer' else 'our band'}"
    return f"{opening} {best.comparison.sentence()}"


_COMPETING_STAGE_TEXT: dict[str, str] = {
    CompetingStage.APPLIED: "The candidate has applied to {company}",
    CompetingStage.INTERVIEWING: "The candidate is interviewing with {company}",
    CompetingStage.FINAL: "The candidate is at the final interview with {company}",
    CompetingStage.OFFER: "The candidate has an offer from {company}",
    CompetingStage.ACCEPTED: "The candidate has accepted an offer from {company}",
}


def _text_competing_stage(fv: FeatureValues) -> str:
    situation = fv.situation
    furthest = situation.furthest
    assert furthest is not None
    text = _COMPETING_STAGE_TEXT[furthest.fact.stage].format(company=furthest.label)
    others = max(0, situation.open_external - 1)
    if others:
        text += f", and {others} other process{'es' if others > 1 else ''}"
    return text


def _text_counteroffer(fv: FeatureValues) -> str:
    counteroffer = fv.situation.counteroffer
    assert counteroffer is not None
    if counteroffer.fact.stage == CompetingStage.ACCEPTED:
        return f"The candidate has accepted a counteroffer from {counteroffer.label}"
    if counteroffer.fact.stage == CompetingStage.OFFER:
        return f"The current employer, {counteroffer.label}, has made a counteroffer"
    return f"The current employer, {counteroffer.label}, is talking about a counteroffer"


def _text_competing_deadline(fv: FeatureValues) -> str:
    deadline = fv.situation.deadline
    assert deadline is not None
    company = deadline.competitor.label
    if deadline.accepted_elsewhere or deadline.on is None:
        return f"No time left: the candidate has already said yes to {company}"
    return f"{company} wants an answer by {deadline.on.isoformat()}, {deadline.when()}"


def _text_overdue_days(fv: FeatureValues) -> str:
    where = "while on hold" if fv.on_hold else f"at the {STAGE_LABELS.get(fv.stage, fv.stage)} stage"
    cadence = f"every {_days(fv.gap_days)} {where}" if fv.gap_days else "by the cadence"
    if fv.last_contact_days is None:
        return f"No contact yet, {_days(fv.overdue_days)} overdue (due {cadence})"
    return f"Last contact {_days(fv.last_contact_days)} ago, {_days(fv.overdue_days)} overdue (due {cadence})"


def _text_competition_unasked_days(fv: FeatureValues) -> str:
    if fv.competition_asked_days is None:
        return "Nobody has asked the candidate about other processes and offers yet"
    return f"Competition last asked about {_days(fv.competition_asked_days)} ago"


def _text_declined_to_say(fv: FeatureValues) -> str:
    return "The candidate declined to say what other offers they have — a trust signal"


def _text_pay_below_minimum(fv: FeatureValues) -> str:
    situation = fv.situation
    minimum = situation.minimum
    ours = "Our offer's base" if situation.offer is not None else "The middle of the job's band"
    if minimum is None:
        # Only in a redacted situation (a team's chat, a digest's shared line): the minimum was left out
        # for being within 2.5 % of pay told in confidence (homestretch.situation.redact). The reason
        # keeps its place in the ranking; its figures, which would pin that pay, are not said.
        return f"{ours} is below the candidate's minimum"
    return (f"{ours} of {money(minimum.ours, minimum.currency, minimum.period)} is "
            f"{money(minimum.gap, minimum.currency, minimum.period)} ({_percent(minimum.fraction)}) below the "
            f"candidate's minimum of {money(minimum.wanted, minimum.currency, minimum.period)}")


def _text_remote_mismatch(fv: FeatureValues) -> str:
    remote = fv.situation.remote
    assert remote is not None
    return (f"The candidate wants {remote.wanted} remote day{'s' if remote.wanted != 1 else ''} "
            f"a week; we offer {remote.offered}")


def _text_start_later_than_available(fv: FeatureValues) -> str:
    situation = fv.situation
    fit, earliest = situation.start_fit, situation.earliest_start
    assert fit is not None and earliest is not None and situation.proposed_start is not None
    return (f"Our start date, {fit.ours.isoformat()}, is {_days(fit.days)} later than "
            f"{situation.proposed_start.isoformat()}, the first Monday the candidate is free ({earliest.why})")


def _text_interest_low(fv: FeatureValues) -> str:
    return f"Interest is {4 - int(fv.values['interest_low'])} of 5 at the last touch"


def _text_interest_drop(fv: FeatureValues) -> str:
    drop = int(fv.values["interest_drop"])
    return f"Interest dropped by {drop} level{'s' if drop != 1 else ''} since the previous touch"


def _text_inbound_silence_days(fv: FeatureValues) -> str:
    if fv.inbound_days is None:
        return "The candidate has never reached out on their own"
    return f"The candidate last reached out {_days(fv.inbound_days)} ago"


def _text_stage_stall_days(fv: FeatureValues) -> str:
    return (f"{_days(fv.stage_days)} at {STAGE_LABELS.get(fv.stage, fv.stage)}, "
            f"where {fv.usual_stage_days} is usual")


def _text_notice_weeks(fv: FeatureValues) -> str:
    if fv.notice_is_wait:
        return f"{_days(fv.notice_days or 0)} from acceptance to the start: time for other offers and a counteroffer"
    return f"A {fv.notice_days}-day notice period: time for other offers and a counteroffer"


def _text_start_pushed_weeks(fv: FeatureValues) -> str:
    start = fv.situation.offer.start_date if fv.situation.offer is not None else None
    moved_to = f" to {start.isoformat()}" if start is not None else ""
    moved_from = fv.start_pushed_from.isoformat() if fv.start_pushed_from is not None else "the first date"
    return f"The start date moved from {moved_from}{moved_to}"


def _text_acceptance_delay_days(fv: FeatureValues) -> str:
    return f"The candidate took {_days(fv.acceptance_days or 0)} to accept"


REASON_TEXTS: dict[str, Callable[[FeatureValues], str]] = {
    "competing_pay_gap": _text_competing_pay_gap,
    "competing_stage": _text_competing_stage,
    "counteroffer": _text_counteroffer,
    "competing_deadline": _text_competing_deadline,
    "overdue_days": _text_overdue_days,
    "competition_unasked_days": _text_competition_unasked_days,
    "declined_to_say": _text_declined_to_say,
    "pay_below_minimum": _text_pay_below_minimum,
    "remote_mismatch": _text_remote_mismatch,
    "start_later_than_available": _text_start_later_than_available,
    "interest_low": _text_interest_low,
    "interest_drop": _text_interest_drop,
    "inbound_silence_days": _text_inbound_silence_days,
    "stage_stall_days": _text_stage_stall_days,
    "notice_weeks": _text_notice_weeks,
    "start_pushed_weeks": _text_start_pushed_weeks,
    "acceptance_delay_days": _text_acceptance_delay_days,
}


# --- Scoring.

def not_scored_because(facts: ApplicationFacts) -> str | None:
    """Why the application is not scored at all, or None when it is on the home stretch."""
    stage = facts.stage
    if stage in SCORED_STAGES:
        return None
    if stage == _ON_HOLD:
        before = facts.stage_before_hold
        if before is None or before in SCORED_STAGES:
            return None
        stage = before
    if stage == _SOURCED:
        return "the candidate is only sourced, not on the home stretch yet"
    if stage in stages.CLOSED:
        return f"the application is closed ({STAGE_LABELS[stage]})"
    return f"unknown stage {stage!r}"


def _too_thin(facts: ApplicationFacts, features: FeatureValues) -> bool:
    contacts = facts.contacts
    return (contacts.touchpoints == 0 and contacts.last_contact_at is None and not facts.competing
            and features.offer is None)


_NO_TEXTS: Mapping[str, str] = MappingProxyType({})

# The slots of Risk's two explanation fields, read and written directly by the lazy subclass below.
_REASONS_SLOT = Risk.__dict__["reasons"]
_ACTIONS_SLOT = Risk.__dict__["actions"]
_RISK_SLOTS = tuple(Risk.__dict__[name] for name in ("probability", "score", "band", "missing", "features"))


def _as_tuple(risk: Risk) -> tuple:
    return (risk.probability, risk.score, risk.band, risk.reasons, risk.actions, risk.missing, dict(risk.features))


class _ExplainedOnDemand(Risk):
    """A Risk whose reasons and actions are written on first access, then kept.

    Scoring 20,000 applications for a ranking needs the numbers; the sentences are read for the
    few the recruiter looks at. Everything the sentences need is immutable and held here until then.
    Built by `_ExplainedOnDemand.of(...)`; built through the constructor (as `dataclasses.replace`
    does) it is an ordinary, fully written Risk.
    """

    __slots__ = ("_facts", "_features", "_cadence", "_raising", "_history_texts")
    _facts: ApplicationFacts
    _features: FeatureValues
    _cadence: Cadence
    _raising: list[tuple[float, str]]
    _history_texts: Mapping[str, str]

    def __init__(
        self, probability: float | None, score: int | None, band: str | None, reasons: tuple[Reason, ...] = (),
        actions: tuple[Action, ...] = (), missing: tuple[str, ...] = (), features: Mapping[str, float] | None = None,
    ) -> None:
        for slot, value in zip(_RISK_SLOTS, (probability, score, band, missing, features or {}), strict=True):
            slot.__set__(self, value)
        _REASONS_SLOT.__set__(self, reasons)
        _ACTIONS_SLOT.__set__(self, actions)

    @classmethod
    def of(
        cls, probability: float | None, score: int | None, band: str | None, missing: tuple[str, ...],
        facts: ApplicationFacts, features: FeatureValues, cadence: Cadence, raising: list[tuple[float, str]],
        history: TrackRecordValues | None = None,
    ) -> _ExplainedOnDemand:
        """A risk whose reasons and actions are left to write; `raising` holds (contribution, feature name);
        `history`, the track-record features a trained model weighed, and their sentences."""
        risk = object.__new__(cls)
        # Each slot through its descriptor, bound once below: one of these per application scored.
        _set_probability(risk, probability)
        _set_score(risk, score)
        _set_band(risk, band)
        _set_missing(risk, missing)
        _set_features(risk, features.values if history is None else {**features.values, **history.values})
        _set_facts(risk, facts)
        _set_feature_values(risk, features)
        _set_cadence(risk, cadence)
        _set_raising(risk, raising)
        _set_history_texts(risk, history.texts if history is not None else _NO_TEXTS)
        return risk

    def shared(self, situation: Situation) -> tuple[tuple[Reason, ...], tuple[Action, ...]]:
        """The reasons and actions written from `situation` (a redacted one) instead of the full one:
        the same ranking and shares, the sentences of what may be shared."""
        features = dataclasses.replace(self._features, situation=situation)
        return _written(features, self._facts, self._cadence, self._raising, self._history_texts)

    def _explain(self) -> None:
        # Deterministic and free of side effects but the two slots: two threads writing at once
        # write the same thing.
        reasons, actions = _written(self._features, self._facts, self._cadence, self._raising, self._history_texts)
        _ACTIONS_SLOT.__set__(self, actions)
        _REASONS_SLOT.__set__(self, reasons)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        try:
            return _REASONS_SLOT.__get__(self, Risk)
        except AttributeError:  # not written yet
            self._explain()
            return _REASONS_SLOT.__get__(self, Risk)

    @property
    def actions(self) -> tuple[Action, ...]:
        try:
            return _ACTIONS_SLOT.__get__(self, Risk)
        except AttributeError:  # not written yet
            self._explain()
            return _ACTIONS_SLOT.__get__(self, Risk)

    def __eq__(self, other: object) -> bool:
        # Equal to a plain Risk that says the same, whichever was written on demand.
        if not isinstance(other, Risk):
            return NotImplemented
        return _as_tuple(self) == _as_tuple(other)

    __hash__ = None  # type: ignore[assignment]  # as Risk's: `features` is a dict

    def __repr__(self) -> str:
        return "Risk" + Risk.__repr__(self)[len(type(self).__qualname__):]

    def __reduce__(self):
        # Pickled (cached, sent to a worker) as the plain Risk it stands for.
        return (Risk, (self.probability, self.score, self.band, self.reasons, self.actions, self.missing,
                       dict(self.features)))


(_set_probability, _set_score, _set_band, _set_missing, _set_features) = (slot.__set__ for slot in _RISK_SLOTS)
(_set_facts, _set_feature_values, _set_cadence, _set_raising, _set_history_texts) = (
    _ExplainedOnDemand.__dict__[name].__set__
    for name in ("_facts", "_features", "_cadence", "_raising", "_history_texts")
)


def _written(
    features: FeatureValues, facts: ApplicationFacts, cadence: Cadence, raising: list[tuple[float, str]],
    history_texts: Mapping[str, str] = MappingProxyType({}),
) -> tuple[tuple[Reason, ...], tuple[Action, ...]]:
    ordered = sorted(raising, reverse=True)
    reasons: tuple[Reason, ...] = ()
    if ordered:
        total = sum(contribution for contribution, _ in ordered)
        reasons = tuple(Reason(name, history_texts[name] if name in history_texts else REASON_TEXTS[name](features),
                               contribution / total)
                        for contribution, name in ordered)
    contributions = {name: contribution for contribution, name in ordered}
    return reasons, next_best_actions(facts, features, cadence, contributions)


def shared_explanation(risk: Risk) -> tuple[tuple[Reason, ...], tuple[Action, ...]]:
    """`risk`'s reasons and actions written from its redacted situation (homestretch.situation.redact),
    for a channel others read: the same ranking and shares, no confidential name or figure.

    A risk read back from storage (no situation of its own) shares none: nothing is better than a
    sentence that might name what was told in confidence."""
    if isinstance(risk, _ExplainedOnDemand):
        return risk.shared(redact(risk._features.situation).situation)
    return (), ()


def _assess(facts: ApplicationFacts, now: datetime, cadence: Cadence, weights: Weights) -> Risk:
    why_not = not_scored_because(facts)
    if why_not is not None:
        return Risk(None, None, None, missing=(why_not,))
    features = compute_features(facts, now, cadence)
    if _too_thin(facts, features):
        return _ExplainedOnDemand.of(None, None, None, tuple(features.missing), facts, features, cadence, [])

    values = features.values
    log_odds = weights.base_log_odds
    raising: list[tuple[float, str]] = []
    for name, weight in weights.vector:
        value = values[name]
        if value:
            contribution = weight * value
            log_odds += contribution
            if contribution > 0:
                raising.append((contribution, name))
    history = None
    if weights.history_vector and weights.track_record is not None:
        # A trained model's track-record features (the experts weigh none): as of the start of today.
        job = facts.job
        history = weights.track_record.as_of(now, client=job.client, title=job.title, source=facts.candidate_source)
        for name, weight in weights.history_vector:
            contribution = weight * history.values[name]
            if contribution:
                log_odds += contribution
                if contribution > 0:
                    raising.append((contribution, name))
    # exp() overflows past ~709; the probability is 0 or 1 to machine precision long before.
    if log_odds < -35.0:
        log_odds = -35.0
    elif log_odds > 35.0:
        log_odds = 35.0
    probability = 1.0 / (1.0 + math.exp(-log_odds))
    return _ExplainedOnDemand.of(
        probability, round(probability * 100), band_for(probability), tuple(features.missing), facts, features,
        cadence, raising, history,
    )


def assess(
    facts: ApplicationFacts, now: datetime, cadence: Cadence = DEFAULT_CADENCE, weights: Weights = EXPERT_WEIGHTS,
) -> Risk:
    """The risk of losing the candidate of `facts` as of `now`, by `weights` (expert ones by default)."""
    return _assess(facts, now, cadence, weights)


def assess_many(
    facts: Iterable[ApplicationFacts], now: datetime, cadence_for_team: Callable[[int | None], Cadence],
    weights: Weights = EXPERT_WEIGHTS,
) -> dict[int, Risk]:
    """The risk of every application in `facts`, by application id; each team's cadence is looked up once."""
    cadences: dict[int | None, Cadence] = {}
    risks: dict[int, Risk] = {}
    with cycle_collector_paused():
        for fact in facts:
            team_id = fact.team_id
            cadence = cadences.get(team_id)
            if cadence is None:
                cadence = cadences[team_id] = cadence_for_team(team_id)
            risks[fact.application_id] = _assess(fact, now, cadence, weights)
    return risks
