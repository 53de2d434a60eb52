"""The risk model's features, computed from an application's facts as of a moment: pure arithmetic.

Each feature is 0 when it does not apply and grows with the risk, capped so that one factor cannot
dominate (the caps are part of the feature: a learned model fits on exactly these values). The
names are those of homestretch.risk.weights.FEATURES, where each is explained with its source.

Days are whole calendar days between dates (`now.date()` against the date of each moment), as the
cadence counts them; the caller passes date-times in the organisation's time zone.

Money: amounts are compared only in the same currency and period (as floats, for speed: the ratio
is all that is needed); an amount that cannot be compared is reported in `missing`, never guessed.

Beside the values, FeatureValues keeps what the sentences need: which company, how many percent,
which date, so that the engine and the actions explain without recomputing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from homestretch.agenda.cadence import Cadence, next_contact_due
from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus, RemotePreference
from homestretch.pipeline.choices import CompetitionAnswer, RemotePolicy, Stage

from homestretch.situation.facts import ApplicationFacts, CompetingFact, OfferFact

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
# Remote days a week meant by a policy or preference when no number is given.
REMOTE_DAYS_BY_POLICY: dict[str, int] = {
    RemotePolicy.ONSITE: 0,
    RemotePolicy.HYBRID: 2,
    RemotePolicy.REMOTE: 5,
}
DEFAULT_IMPORTANCE = 3

# Plain strings for the hot loop (comparing with TextChoices members works, but costs more).
_ON_HOLD = Stage.ON_HOLD.value
_ACCEPTED = Stage.ACCEPTED.value
_COUNTEROFFER = CompetingKind.COUNTEROFFER.value
_OFFER_STAGES = frozenset({CompetingStage.OFFER.value, CompetingStage.ACCEPTED.value})
_COMPETING_OFFER = CompetingStage.OFFER.value
_COMPETING_ACCEPTED = CompetingStage.ACCEPTED.value
_DECLINED_TO_SAY = CompetitionAnswer.DECLINED_TO_SAY.value
_SUPERSEDED = OfferStatus.SUPERSEDED.value
_OFFER_ACCEPTED = OfferStatus.ACCEPTED.value
_HYBRID = RemotePolicy.HYBRID.value
_NO_PREFERENCE = frozenset({RemotePreference.ANY.value, ""})


@dataclass(slots=True)
class FeatureValues:
    """The feature values by name (`values`, also `features[name]`), plus what the explanations need."""

    values: dict[str, float]
    today: date
    stage: str  # the stage scored: the one before a hold for an application on hold
    on_hold: bool
    offer: OfferFact | None  # our current offer, if any
    # What the competing pay was compared with: our offer's total, or the band midpoint (a base).
    ours_amount: Decimal | None = None
    ours_base: Decimal | None = None
    ours_currency: str = ""
    ours_period: str = ""
    ours_is_offer: bool = False
    best_offer: CompetingFact | None = None  # the best-paid comparable competing offer, when it pays more
    pay_gap: float = 0.0  # how much more it pays, uncapped fraction
    furthest: CompetingFact | None = None  # the external process that has gone furthest
    other_processes: int = 0  # open external processes besides `furthest`
    counteroffer: CompetingFact | None = None
    # The open process with the earliest deadline today or later, or one the candidate has accepted.
    deadline_of: CompetingFact | None = None
    deadline_days: int | None = None
    overdue_days: int = 0  # uncapped
    gap_days: int | None = None  # the cadence at the stage
    last_contact_days: int | None = None
    competition_asked_days: int | None = None  # None: never asked
    pay_shortfall: float = 0.0  # fraction below the candidate's minimum, uncapped
    remote_wanted_days: int = 0
    remote_offered_days: int = 0
    start_late_days: int = 0
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


def current_offer(facts: ApplicationFacts, now: datetime) -> OfferFact | None:
    """The latest revision recorded by `now` that is not superseded."""
    for offer in reversed(facts.offers):
        if offer.status != _SUPERSEDED and offer.created_at <= now:
            return offer
    return None


def _clamp(value: float, cap: float) -> float:
    if value <= 0:
        return 0.0
    return cap if value > cap else float(value)


def compute_features(facts: ApplicationFacts, now: datetime, cadence: Cadence) -> FeatureValues:
    """Every feature of FEATURES for `facts` as of `now`, with the context to explain them.

    An application on hold is scored as at the stage before the hold (stage-dependent features:
    stall norm, after-acceptance features); its contact cadence is the hold's own, as the agenda
    uses it. Competing processes learned and offer revisions created after `now` are ignored.
    """
    today = now.date()
    stage = facts.stage
    on_hold = stage == _ON_HOLD
    if on_hold and facts.stage_before_hold:
        stage = facts.stage_before_hold
    offer = current_offer(facts, now)
    job = facts.job
    contacts = facts.contacts
    priorities = facts.priorities
    fv = FeatureValues(values={}, today=today, stage=stage, on_hold=on_hold, offer=offer)
    missing = fv.missing

    # --- What competing pay is compared with: our offer's total, else the band midpoint (a base).
    if offer is not None:
        ours_amount, ours_base, ours_currency, ours_period = offer.total, offer.base, offer.currency, offer.period
        fv.ours_is_offer = True
    else:
        ours_base = ours_amount = job.band_midpoint
        ours_currency, ours_period = job.currency, job.period
    ours_float = float(ours_amount) if ours_amount else 0.0
    fv.ours_amount, fv.ours_base, fv.ours_currency, fv.ours_period = ours_amount, ours_base, ours_currency, ours_period

    # --- Competing processes and counteroffers.
    best_gap = 0.0
    best_offer = None
    furthest = None
    furthest_level = 0.0
    open_external = 0
    counteroffer = None
    counter_level = 0.0
    deadline_of = None
    deadline_days = None
    accepted_elsewhere = None
    for competing in facts.competing:
        competing_stage = competing.stage
        level = COMPETING_STAGE_LEVEL.get(competing_stage)
        if level is None or competing.learned_at > now:
            continue  # closed, or not known yet at the moment
        if competing.kind == _COUNTEROFFER:
            level = COUNTEROFFER_LEVEL[competing_stage]
            if level > counter_level:
                counter_level, counteroffer = level, competing
        else:
            open_external += 1
            if level > furthest_level:
                furthest_level, furthest = level, competing
        if competing_stage in _OFFER_STAGES:
            amount = competing.total if fv.ours_is_offer else competing.base
            if amount is None:
                missing.append(f"what {competing.company}'s offer pays is not known — ask the candidate")
            elif not ours_float:
                missing.append(
                    f"no offer and no pay band on the job: {competing.company}'s offer cannot be compared"
                )
            elif competing.currency != ours_currency or competing.period != ours_period:
                missing.append(
                    f"{competing.company}'s offer is in {competing.currency} per {competing.period}, ours in "
                    f"{ours_currency} per {ours_period}: not compared without a stated rate"
                )
            else:
                gap = float(amount) / ours_float - 1.0
                if gap > best_gap:
                    best_gap, best_offer = gap, competing
        if competing_stage == _COMPETING_ACCEPTED:
            if accepted_elsewhere is None:
                accepted_elsewhere = competing
        elif competing.deadline is not None:
            days_left = (competing.deadline - today).days
            if days_left >= 0:
                if deadline_days is None or days_left < deadline_days:
                    deadline_days, deadline_of = days_left, competing
            elif competing_stage == _COMPETING_OFFER:
                missing.append(
                    f"{competing.company}'s deadline passed on {competing.deadline.isoformat()} — "
                    "ask how the candidate answered"
                )
    fv.best_offer, fv.pay_gap = best_offer, best_gap
    fv.furthest, fv.other_processes = furthest, max(0, open_external - 1)
    fv.counteroffer = counteroffer
    deadline_pressure = 0.0
    if accepted_elsewhere is not None:
        # The candidate has said yes elsewhere (or to a counteroffer): the decision is made, the
        # pressure is at its highest whatever the deadline was.
        deadline_of, deadline_days = accepted_elsewhere, 0
        deadline_pressure = MAX_DEADLINE_PRESSURE
    elif deadline_days is not None and deadline_days < DEADLINE_HORIZON_DAYS:
        deadline_pressure = (DEADLINE_HORIZON_DAYS - deadline_days) / 7.0
    fv.deadline_of, fv.deadline_days = deadline_of, deadline_days

    # --- Contact against the cadence, exactly as the agenda counts it (the hold's own cadence on hold).
    last_contact = contacts.last_contact_at
    if last_contact is not None:
        fv.last_contact_days = (today - last_contact.date()).days
    elif contacts.touchpoints == 0:
        missing.append("no contact recorded yet — call to learn where the candidate stands")
    start_date = offer.start_date if offer is not None and offer.status == _OFFER_ACCEPTED else None
    due = next_contact_due(cadence, facts.stage, last_contact, facts.stage_entered_at, today, start_date=start_date)
    overdue = due.overdue_days if due is not None and due.overdue_days > 0 else 0
    fv.gap_days, fv.overdue_days = cadence.max_gap_days.get(facts.stage), overdue

    # --- Competition asked about, and the answer.
    asked = contacts.last_competition_asked_at
    if asked is not None:
        fv.competition_asked_days = (today - asked.date()).days
        unasked = fv.competition_asked_days - cadence.competition_ask_days
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
        base_min = priorities.base_min
        if base_min and ours_base:
            if priorities.currency == ours_currency and priorities.period == ours_period:
                shortfall = 1.0 - float(ours_base) / float(base_min)
            else:
                missing.append(
                    f"the candidate's minimum is in {priorities.currency} per {priorities.period}, ours in "
                    f"{ours_currency} per {ours_period}: not compared without a stated rate"
                )
        preference = priorities.remote_preference
        if preference not in _NO_PREFERENCE:
            wanted = priorities.remote_days
            if wanted is None or preference != _HYBRID:
                wanted = REMOTE_DAYS_BY_POLICY.get(preference, 0)
            policy = offer.remote_policy if offer is not None else job.remote_policy
            offered = offer.remote_days if offer is not None else job.remote_days
            if offered is None or policy != _HYBRID:
                offered = REMOTE_DAYS_BY_POLICY.get(policy, 0)
            fv.remote_wanted_days, fv.remote_offered_days = wanted, offered
            if wanted > offered:
                importance = priorities.importance.get("remote", DEFAULT_IMPORTANCE)
                remote_mismatch = (wanted - offered) / 5.0 * importance / 3.0
        if offer is not None and offer.start_date is not None and priorities.earliest_start is not None:
            late = (offer.start_date - priorities.earliest_start).days
            if late > 0:
                fv.start_late_days = late
                start_late_weeks = late / 7.0
    fv.pay_shortfall = shortfall if shortfall > 0 else 0.0

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

