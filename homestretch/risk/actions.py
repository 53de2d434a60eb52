"""The next best actions for one application: what to do, with concrete amounts and dates.

Each action answers a risk the features found (or data that is missing) and is ranked by how much
that risk adds to the score, so the first action is the one that lowers the risk most. Amounts are
Decimals formatted with homestretch.lib.money.format_amount ("92,000 EUR"); dates are ISO.

Pay asks beat the best competing offer by PAY_MARGIN, rounded up to a round step for the period
(1,000 a year, 100 a month, 10 a day, 1 an hour), and are never below the candidate's minimum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from homestretch.agenda.cadence import Cadence
from homestretch.lib.money import Period, format_amount
from homestretch.offers.choices import CompetingStage, OfferStatus
from homestretch.pipeline.choices import RemotePolicy, Stage

from homestretch.situation.facts import ApplicationFacts, CompetingFact
from .features import FeatureValues

# Beat the best competing offer by this much when asking the hiring manager for more.
PAY_MARGIN = Decimal("1.03")
# Round pay asks up to a step a hiring manager would say out loud.
ROUNDING_STEP: dict[str, Decimal] = {
    Period.YEAR: Decimal(1000),
    Period.MONTH: Decimal(100),
    Period.DAY: Decimal(10),
    Period.HOUR: Decimal(1),
}
# No status update for this long is when interest starts to fade (Robert Half 2016: 46 % after 1-2 weeks).
STATUS_UPDATE_DAYS = 7
# At most this many actions: a recruiter acts on a short list.
MAX_ACTIONS = 5

STAGE_LABELS: dict[str, str] = {stage.value: str(stage.label).lower() for stage in Stage}
_BEFORE_OFFER_OUT = frozenset({OfferStatus.DRAFT.value, OfferStatus.APPROVED.value})
_ACCEPTED = Stage.ACCEPTED.value
_COUNTEROFFER_KIND = "counteroffer"


@dataclass(frozen=True, slots=True)
class Action:
    """One next best step: a stable code for machines and a sentence for the recruiter."""

    code: str
    text: str


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def round_up(amount: Decimal, period: str) -> Decimal:
    """Up to the next round step for the period: 91,352 a year -> 92,000."""
    step = ROUNDING_STEP.get(period, Decimal(1))
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def _whose_offer(competing: CompetingFact) -> str:
    if competing.kind == _COUNTEROFFER_KIND:
        return f"{competing.company}'s counteroffer"
    return f"{competing.company}'s offer"


def base_to_ask(facts: ApplicationFacts, features: FeatureValues) -> Decimal | None:
    """The base to ask the hiring manager for, or None when pay is not what is missing.

    Beats the best comparable competing offer by PAY_MARGIN in total pay (keeping our bonus and
    equity), is at least the candidate's minimum, rounded up; None when our base already covers it.
    """
    ours_base = features.ours_base
    if ours_base is None:
        return None
    needed: Decimal | None = None
    best = features.best_offer
    if best is not None:
        if features.ours_is_offer and best.total is not None and features.ours_amount is not None:
            needed = ours_base + (best.total * PAY_MARGIN - features.ours_amount)
        elif best.base is not None:
            needed = best.base * PAY_MARGIN
    if features.pay_shortfall > 0 and facts.priorities is not None and facts.priorities.base_min is not None:
        minimum = facts.priorities.base_min
        needed = minimum if needed is None or minimum > needed else needed
    if needed is None:
        return None
    needed = round_up(needed, features.ours_period)
    return needed if needed > ours_base else None


def next_best_actions(
    facts: ApplicationFacts, features: FeatureValues, cadence: Cadence,
    contributions: Mapping[str, float] | None = None,
) -> tuple[Action, ...]:
    """The next best steps, most risk-lowering first (by `contributions`, each feature's share of the
    log-odds), at most MAX_ACTIONS of them."""
    known = contributions if contributions is not None else {}

    def weight(name: str) -> float:
        return known.get(name, 0.0)

    ranked: list[tuple[float, int, Action]] = []
    today = features.today
    stage_label = STAGE_LABELS.get(features.stage, features.stage)
    offer = features.offer
    values = features.values

    def add(priority: float, action: Action) -> None:
        ranked.append((priority, len(ranked), action))

    # Keep in touch.
    if features.overdue_days > 0:
        if features.last_contact_days is not None:
            where = "while on hold" if features.on_hold else f"at the {stage_label} stage"
            text = (f"Call today — last contact {_days(features.last_contact_days)} ago; "
                    f"due every {_days(features.gap_days or 0)} {where}")
        else:
            text = (f"Call today — no contact since the application reached {stage_label} on "
                    f"{facts.stage_entered_at.date().isoformat()}")
        add(weight("overdue_days") + weight("inbound_silence_days") + 0.01, Action("call_today", text))
    elif facts.contacts.touchpoints == 0 and facts.contacts.last_contact_at is None:
        add(0.05, Action("call_today", "Call to learn where the candidate stands — no contact recorded yet"))

    # Know the competition.
    if values["declined_to_say"]:
        asked = facts.contacts.last_competition_asked_at
        when = f" on {asked.date().isoformat()}" if asked is not None else ""
        add(weight("declined_to_say"), Action(
            "rebuild_trust",
            f"Rebuild trust: the candidate declined to say what else is on the table{when}; explain you ask to "
            "get them a better salary, a faster process or remote days, and that it stays confidential",
        ))
    elif values["competition_unasked_days"] > 0 or features.competition_asked_days is None:
        if features.competition_asked_days is None:
            text = "Ask which other processes and offers the candidate has — never asked yet"
        else:
            text = (f"Ask which other processes and offers the candidate has — last asked "
                    f"{_days(features.competition_asked_days)} ago")
        add(weight("competition_unasked_days") + 0.02, Action("ask_competition", text))

    # Pay.
    target = base_to_ask(facts, features)
    if target is not None:
        currency = features.ours_currency
        because = []
        best = features.best_offer
        if best is not None:
            pays = best.total if features.ours_is_offer else best.base
            because.append(f"{_whose_offer(best)} pays {format_amount(pays)} {best.currency}")
        if features.pay_shortfall > 0 and facts.priorities is not None and facts.priorities.base_min is not None:
            because.append(f"the candidate's minimum is {format_amount(facts.priorities.base_min)} {currency}")
        text = f"Ask the hiring manager for a base of at least {format_amount(target)} {currency}"
        if because:
            text += ": " + " and ".join(because)
        priorities = facts.priorities
        if (priorities is not None and priorities.base_target is not None and priorities.base_target > target
                and priorities.currency == currency and priorities.period == features.ours_period):
            text += f" (the candidate hopes for {format_amount(priorities.base_target)} {currency})"
        add(weight("competing_pay_gap") + weight("pay_below_minimum"), Action("raise_base", text))

    # Speed: beat the competing deadline (or win back a candidate who said yes elsewhere).
    deadline_of = features.deadline_of
    if deadline_of is not None and values["competing_deadline"] > 0:
        if deadline_of.stage == CompetingStage.ACCEPTED or deadline_of.deadline is None:
            add(weight("competing_deadline") + weight("competing_stage") + weight("counteroffer"), Action(
                "win_back",
                f"Call today: the candidate has said yes to {_whose_offer(deadline_of)} — learn what decided it "
                "and what, if anything, would change their mind",
            ))
        else:
            deadline = deadline_of.deadline.isoformat()
            if features.stage == _ACCEPTED:
                text = (f"Check in before {deadline}: {deadline_of.company} expects an answer by then — "
                        "make sure the candidate still says yes to us")
            elif offer is None or offer.status in _BEFORE_OFFER_OUT:
                text = f"Get the offer out before {deadline}, the competing deadline ({deadline_of.company})"
            else:
                text = (f"Talk the candidate through our offer before {deadline}, when {_whose_offer(deadline_of)} "
                        "must be answered")
            add(weight("competing_deadline") + weight("competing_stage") * 0.5, Action("beat_deadline", text))

    # The counteroffer conversation.
    counteroffer = features.counteroffer
    if counteroffer is not None and counteroffer.stage != CompetingStage.ACCEPTED:
        add(weight("counteroffer"), Action(
            "counter_counteroffer",
            f"Talk through the counteroffer from {counteroffer.company}: go back over why the candidate wanted "
            "to leave, beyond pay, before they answer it",
        ))

    # Remote days.
    if values["remote_mismatch"] > 0:
        wanted, offered = features.remote_wanted_days, features.remote_offered_days
        job = facts.job
        job_days = job.remote_days if job.remote_policy == RemotePolicy.HYBRID and job.remote_days is not None \
            else {RemotePolicy.REMOTE: 5, RemotePolicy.HYBRID: 2}.get(job.remote_policy, 0)
        if job_days > offered:
            give = min(wanted, job_days)
            text = (f"Offer {give} remote day{'s' if give != 1 else ''} a week: the candidate wants {wanted}, "
                    f"the job allows up to {job_days}, our offer has {offered}")
            code = "offer_remote_days"
        else:
            text = (f"Ask the hiring manager for remote days: the candidate wants {wanted} a week, "
                    f"the job allows {job_days}")
            code = "ask_remote_exception"
        add(weight("remote_mismatch"), Action(code, text))

    # Start date.
    if features.start_late_days > 0 and offer is not None and facts.priorities is not None:
        earliest = facts.priorities.earliest_start
        add(weight("start_later_than_available"), Action(
            "earlier_start",
            f"Propose an earlier start: the candidate can start on {earliest.isoformat() if earliest else ''}, "
            f"our offer says {offer.start_date.isoformat() if offer.start_date else ''}",
        ))
    if features.stage == _ACCEPTED:
        start = offer.start_date if offer is not None else None
        if features.start_pushed_days > 0 and features.start_pushed_from is not None and start is not None:
            add(weight("start_pushed_weeks"), Action(
                "ask_start_change",
                f"Ask why the start moved from {features.start_pushed_from.isoformat()} to {start.isoformat()} — "
                "and whether another offer or a counteroffer is behind it",
            ))
        if start is None:
            add(0.05, Action("set_start_date", "Agree on a start date with the candidate and the hiring manager"))
        elif start >= today:
            gap = cadence.max_gap_days.get(_ACCEPTED)
            every = f" every {_days(gap)}" if gap else ""
            day_before = (start - timedelta(days=1)).isoformat()
            add(weight("notice_weeks") + weight("acceptance_delay_days") + 0.03, Action(
                "keep_warm_until_start",
                f"Confirm the start on {start.isoformat()} and keep in touch{every} until then, "
                f"and on {day_before}, the day before",
            ))

    # Interest.
    latest = facts.contacts.latest_interest
    previous = facts.contacts.previous_interest
    if values["interest_drop"] > 0 and latest is not None and previous is not None:
        add(weight("interest_drop") + weight("interest_low"), Action(
            "ask_what_changed", f"Ask what changed: interest fell from {previous} to {latest} of 5",
        ))
    elif values["interest_low"] > 0 and latest is not None:
        add(weight("interest_low"), Action(
            "ask_what_changed", f"Ask what would make this job a yes: interest is {latest} of 5",
        ))

    # A stalling process.
    if values["stage_stall_days"] > 0 and features.usual_stage_days is not None:
        add(weight("stage_stall_days"), Action(
            "push_for_decision",
            f"Ask the hiring manager for a decision: {_days(features.stage_days)} at {stage_label}, "
            f"usually {features.usual_stage_days}",
        ))

    # Status updates.
    updated = facts.contacts.last_status_update_at
    if updated is not None:
        since_update = (today - updated.date()).days
        if since_update >= STATUS_UPDATE_DAYS:
            add(0.04, Action("give_status_update",
                             f"Give the candidate news of the process — the last status update was "
                             f"{_days(since_update)} ago"))

    # What we do not know yet.
    if facts.priorities is None:
        add(0.015, Action("learn_priorities",
                          "Ask what matters most — pay, remote days, start date — and record it"))

    ranked.sort(key=lambda item: (-item[0], item[1]))
    return tuple(action for _, _, action in ranked[:MAX_ACTIONS])
