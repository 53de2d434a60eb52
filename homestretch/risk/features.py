"""The risk model's features, computed from an application's facts as of a moment: pure arithmetic.

Each feature is 0 when it does not apply and grows with the risk, capped so that one factor cannot
dominate (the caps are part of the feature: a learned model fits on exactly these values). The
names are those of homestretch.risk.weights.FEATURES, where each is explained with its source.

Days are whole calendar days between dates (`now.date()` against the date of each moment), as the
cadence counts them; the caller passes date-times in the organisation's time zone.

Pay, dates and competitors are read from the application's Situation (homestretch.situation), the
one place where pay is compared and start dates are worked out; an amount that cannot be compared
is reported in `missing`, never guessed. FeatureValues keeps that situation beside the values, so
that the reasons and actions say exactly what the features measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from homestretch.cadence.rules import Cadence, next_contact_due
from homestretch.offers.choices import CompetingStage
from homestretch.pipeline.choices import CompetitionAnswer, Stage
from homestretch.situation.build import REMOTE_DAYS_BY_POLICY, Situation, build_situation
from homestretch.situation.dates import LATER_THAN_NEEDED
from homestretch.situation.facts import ApplicationFacts, OfferFact

# Caps, in the feature's own unit (see FEATURES for the units).
CAP_PAY_FRACTION = 0.30
CAP_OVERDUE_DAYS = 14
CAP_COMPETITION_UNASKED_DAYS = 21
CAP_START_LATE_WEEKS = 8.0
CAP_INBOUND_SILENCE_DAYS = 21
CAP_STALL_DAYS = 28
CAP_NOTICE_WEEKS = 12.0
CAP_START_PUSHED_WEEKS = 8.0
CAP_ACCEPTANCE_DELAY_DAYS = 14

# A competing deadline further than this is no pressure yet; the pressure grows by 1 a week to 2 on the
# day (and is 2 once the candidate has accepted another offer: the decision is made).
DEADLINE_HORIZON_DAYS = 14
MAX_DEADLINE_PRESSURE = DEADLINE_HORIZON_DAYS / 7.0
# A candidate who has not written for a week is not yet cooling.
INBOUND_GRACE_DAYS = 7
# Notice periods up to four weeks are the norm; beyond, the wait before the start is a risk.
NOTICE_GRACE_DAYS = 28
# Taking up to three days to accept is considered normal.
ACCEPTANCE_GRACE_DAYS = 3
# How long an application usually stays at each stage, in days; beyond, the process is stalling.
# No entry: no stall is measured (accepted waits for its start date by design; on hold without the
# stage before it has no norm).
USUAL_STAGE_DAYS: dict[str, int] = {
    Stage.SCREENING: 7,
    Stage.INTERVIEWING: 14,
    Stage.FINAL_INTERVIEW: 7,
    Stage.VERIFICATION: 7,
    Stage.OFFER: 5,
}

# How far a competing process has gone; closed processes do not count.
COMPETING_STAGE_LEVEL: dict[str, float] = {
    CompetingStage.APPLIED: 0.5,
    CompetingStage.INTERVIEWING: 1.0,
    CompetingStage.FINAL: 2.0,
    CompetingStage.OFFER: 3.0,
    CompetingStage.ACCEPTED: 4.0,
}
# A counteroffer talked about (any stage before an offer), made, or accepted.
COUNTEROFFER_LEVEL: dict[str, float] = {
    CompetingStage.APPLIED: 0.5,
    CompetingStage.INTERVIEWING: 0.5,
    CompetingStage.FINAL: 0.5,
    CompetingStage.OFFER: 1.0,
    CompetingStage.ACCEPTED: 1.5,
}
__all__ = ["REMOTE_DAYS_BY_POLICY", "FeatureValues", "compute_features"]

# Plain strings for the hot loop (comparing with TextChoices members works, but costs more).
_ACCEPTED = Stage.ACCEPTED.value
_DECLINED_TO_SAY = CompetitionAnswer.DECLINED_TO_SAY.value


@dataclass(slots=True)
class FeatureValues:
    """The feature values by name (`values`, also `features[name]`), and the situation they were read from.

    Every pay, date and competitor the explanations name comes from `situation`; the fields below
    are the contact and timing counts that only the risk model uses.
    """

    values: dict[str, float]
    situation: Situation
    overdue_days: int = 0  # uncapped
    gap_days: int | None = None  # the cadence at the stage
    stage_days: int = 0
    usual_stage_days: int | None = None
    inbound_days: int | None = None  # None: the candidate never reached out
    notice_days: int | None = None
    notice_is_wait: bool = False  # no notice period recorded: the wait from acceptance to the start instead
    start_pushed_from: date | None = None
    start_pushed_days: int = 0
    acceptance_days: int | None = None
    missing: list[str] = field(default_factory=list)  # what could not be compared or is unknown, in words

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    # Shorthands for the explanations.
    @property
    def today(self) -> date:
        return self.situation.today

    @property
    def stage(self) -> str:
        return self.situation.stage

    @property
    def on_hold(self) -> bool:
        return self.situation.on_hold

    @property
    def offer(self) -> OfferFact | None:
        return self.situation.offer

    @property
    def last_contact_days(self) -> int | None:
        return self.situation.last_contact_days

    @property
    def competition_asked_days(self) -> int | None:
        """None: never asked."""
        return self.situation.competition_asked_days


def _clamp(value: float, cap: float) -> float:
    if value <= 0:
        return 0.0
    return cap if value > cap else float(value)


def compute_features(
    facts: ApplicationFacts, now: datetime, cadence: Cadence, situation: Situation | None = None,
) -> FeatureValues:
    """Every feature of FEATURES for `facts` as of `now`, with the situation that explains them.

    An application on hold is scored as at the stage before the hold (stage-dependent features:
    stall norm, after-acceptance features); its contact cadence is the hold's own, as the agenda
    uses it. Competing processes learned and offer revisions created after `now` are ignored.
    `situation` is build_situation(facts, now), when the caller has it already.
    """
    if situation is None:
        situation = build_situation(facts, now)
    today = situation.today
    stage = situation.stage
    offer = situation.offer
    contacts = facts.contacts
    priorities = facts.priorities
    fv = FeatureValues(values={}, situation=situation)
    missing = fv.missing
    missing.extend(situation.missing)

    # --- Competing processes and counteroffers: how far they have gone, what they pay, their deadline.
    best = situation.best
    best_gap = best.comparison.fraction if best is not None and best.comparison is not None else 0.0
    furthest = situation.furthest
    furthest_level = COMPETING_STAGE_LEVEL[furthest.fact.stage] if furthest is not None else 0.0
    counteroffer = situation.counteroffer
    counter_level = COUNTEROFFER_LEVEL[counteroffer.fact.stage] if counteroffer is not None else 0.0
    deadline = situation.deadline
    deadline_pressure = 0.0
    if deadline is not None:
        if deadline.accepted_elsewhere:
            # The candidate has said yes elsewhere (or to a counteroffer): the decision is made, the
            # pressure is at its highest whatever the deadline was.
            deadline_pressure = MAX_DEADLINE_PRESSURE
        elif deadline.days_left < DEADLINE_HORIZON_DAYS:
            deadline_pressure = (DEADLINE_HORIZON_DAYS - deadline.days_left) / 7.0

    # --- Contact against the cadence, exactly as the agenda counts it (the hold's own cadence on hold).
    last_contact = contacts.last_contact_at
    if last_contact is None and contacts.touchpoints == 0:
        missing.append("no contact recorded yet — call to learn where the candidate stands")
    due = next_contact_due(cadence, facts.stage, last_contact, facts.stage_entered_at, today,
                           start_date=situation.start_date)
    overdue = due.overdue_days if due is not None and due.overdue_days > 0 else 0
    fv.gap_days, fv.overdue_days = cadence.max_gap_days.get(facts.stage), overdue

    # --- Competition asked about, and the answer.
    if situation.competition_asked_days is not None:
        unasked = situation.competition_asked_days - cadence.competition_ask_days
    else:
        unasked = (today - facts.created_at.date()).days - cadence.competition_ask_days
        missing.append("competition never asked about — ask which other processes and offers the candidate has")
    declined = 1.0 if contacts.last_competition_answer == _DECLINED_TO_SAY else 0.0

    # --- Priorities our offer misses.
    shortfall = 0.0
    remote_mismatch = 0.0
    start_late_weeks = 0.0
    if priorities is None:
        missing.append("no priorities recorded — ask what matters most: pay, remote days, start date")
    else:
        if situation.minimum is not None:
            shortfall = situation.minimum.fraction
        remote = situation.remote
        if remote is not None and remote.gap > 0:
            remote_mismatch = remote.gap / 5.0 * remote.importance / 3.0
        fit = situation.start_fit
        if fit is not None and fit.status == LATER_THAN_NEEDED:
            start_late_weeks = fit.days / 7.0

    # --- Interest trend.
    latest = contacts.latest_interest
    interest_low = 0.0
    interest_drop = 0.0
    if latest is not None:
        if latest < 4:
            interest_low = 4.0 - latest
        previous = contacts.previous_interest
        if previous is not None and previous > latest:
            interest_drop = float(previous - latest)

    # --- The candidate reaching out.
    inbound = contacts.last_inbound_at
    if inbound is not None:
        fv.inbound_days = (today - inbound.date()).days
        silence = fv.inbound_days - INBOUND_GRACE_DAYS
    else:
        silence = (today - facts.created_at.date()).days - INBOUND_GRACE_DAYS

    # --- The process stalling at its stage.
    stage_days = (today - facts.stage_entered_at.date()).days
    usual = USUAL_STAGE_DAYS.get(stage)
    fv.stage_days, fv.usual_stage_days = stage_days, usual
    stall = stage_days - usual if usual is not None else 0

    # --- After acceptance.
    notice_weeks = 0.0
    start_pushed_weeks = 0.0
    acceptance_delay = 0
    if stage == _ACCEPTED and offer is not None:
        start = offer.start_date
        notice = priorities.notice_days if priorities is not None else None
        if notice is None and start is not None and facts.accepted_at is not None:
            notice = (start - facts.accepted_at.date()).days  # the wait from acceptance to the start
            fv.notice_is_wait = True
        fv.notice_days = notice
        if notice is not None and notice > NOTICE_GRACE_DAYS:
            notice_weeks = (notice - NOTICE_GRACE_DAYS) / 7.0
        if start is not None:
            first = facts.start_date_at_acceptance
            if first is None:
                for revision in facts.offers:
                    if revision.start_date is not None and (first is None or revision.start_date < first):
                        first = revision.start_date
            if first is not None and start > first:
                fv.start_pushed_from, fv.start_pushed_days = first, (start - first).days
                start_pushed_weeks = fv.start_pushed_days / 7.0
        else:
            missing.append("no start date on the accepted offer — agree on one")
        answered = offer.responded_at or facts.accepted_at
        if offer.sent_at is not None and answered is not None:
            fv.acceptance_days = (answered.date() - offer.sent_at.date()).days
            acceptance_delay = fv.acceptance_days - ACCEPTANCE_GRACE_DAYS

    fv.values = {
        "competing_pay_gap": _clamp(best_gap, CAP_PAY_FRACTION),
        "competing_stage": furthest_level,
        "counteroffer": counter_level,
        "competing_deadline": deadline_pressure,
        "overdue_days": _clamp(overdue, CAP_OVERDUE_DAYS),
        "competition_unasked_days": _clamp(unasked, CAP_COMPETITION_UNASKED_DAYS),
        "declined_to_say": declined,
        "pay_below_minimum": _clamp(shortfall, CAP_PAY_FRACTION),
        "remote_mismatch": remote_mismatch,
        "start_later_than_available": _clamp(start_late_weeks, CAP_START_LATE_WEEKS),
        "interest_low": interest_low,
        "interest_drop": interest_drop,
        "inbound_silence_days": _clamp(silence, CAP_INBOUND_SILENCE_DAYS),
        "stage_stall_days": _clamp(stall, CAP_STALL_DAYS),
        "notice_weeks": _clamp(notice_weeks, CAP_NOTICE_WEEKS),
        "start_pushed_weeks": _clamp(start_pushed_weeks, CAP_START_PUSHED_WEEKS),
        "acceptance_delay_days": _clamp(acceptance_delay, CAP_ACCEPTANCE_DELAY_DAYS),
    }
    return fv

