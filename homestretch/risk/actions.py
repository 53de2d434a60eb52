"""The next best actions for one application: what to do, with concrete amounts and dates.

Each action answers a risk the features found (or data that is missing) and is ranked by how much
that risk adds to the score, so the first action is the one that lowers the risk most. Every
amount and date is read from the application's Situation (homestretch.situation): the base to ask
for, the date our offer must be out by, the start to propose are the same figures the brief and
the pages show. Given a redacted situation, the same actions are written for a shared channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from homestretch.cadence.rules import Cadence
from homestretch.pipeline.choices import Stage
from homestretch.situation.build import Situation
from homestretch.situation.dates import LATER_THAN_NEEDED, TOO_EARLY
from homestretch.situation.facts import ApplicationFacts
from homestretch.situation.pay import PAY_MARGIN, ROUNDING_STEP, money, round_up

from .features import FeatureValues

__all__ = ["MAX_ACTIONS", "PAY_MARGIN", "ROUNDING_STEP", "Action", "next_best_actions", "round_up"]

# No status update for this long is when interest starts to fade (Robert Half 2016: 46 % after 1-2 weeks).
STATUS_UPDATE_DAYS = 7
# At most this many actions: a recruiter acts on a short list.
MAX_ACTIONS = 5
# The actions that have the recruiter contact the candidate: none is proposed for a candidate who objected
# (ApplicationFacts.candidate_objected). Those with the client (pay, speed, the offer's terms) remain.
CONTACTS_CANDIDATE = frozenset({
    "call_today", "rebuild_trust", "ask_competition", "win_back", "counter_counteroffer", "ask_start_change",
    "set_start_date", "keep_warm_until_start", "ask_what_changed", "give_status_update", "learn_priorities",
})

STAGE_LABELS: dict[str, str] = {stage.value: str(stage.label).lower() for stage in Stage}
_BEFORE_OFFER_OUT = frozenset({"draft", "approved"})
_ACCEPTED = Stage.ACCEPTED.value


@dataclass(frozen=True, slots=True)
class Action:
    """One next best step: a stable code for machines and a sentence for the recruiter."""

    code: str
    text: str


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def raise_base_text(situation: Situation) -> str | None:
    """The pay action's sentence, from the situation's one ask; None when no ask is made."""
    ask = situation.ask
    if ask is None:
        return None
    amount = money(ask.amount, ask.currency, ask.period)
    text = f"Ask the hiring manager for a base of at least {amount}: {ask.because()}"
    target = situation.target
    if target is not None and target.wanted > ask.amount:
        text += f" (the candidate hopes for {money(target.wanted, target.currency, target.period)})"
    return text


def next_best_actions(
    facts: ApplicationFacts, features: FeatureValues, cadence: Cadence,
    contributions: Mapping[str, float] | None = None, *, situation: Situation | None = None,
) -> tuple[Action, ...]:
    """The next best steps, most risk-lowering first (by `contributions`, each feature's share of the
    log-odds), at most MAX_ACTIONS of them. `situation` replaces the features' own (a redacted one)."""
    known = contributions if contributions is not None else {}
    situation = situation if situation is not None else features.situation

    def weight(name: str) -> float:
        return known.get(name, 0.0)

    ranked: list[tuple[float, int, Action]] = []
    today = situation.today
    stage_label = STAGE_LABELS.get(situation.stage, situation.stage)
    offer = situation.offer
    values = features.values

    def add(priority: float, action: Action) -> None:
        if facts.candidate_objected and action.code in CONTACTS_CANDIDATE:
            return
        ranked.append((priority, len(ranked), action))

    # Keep in touch.
    if features.overdue_days > 0:
        if situation.last_contact_days is not None:
            where = "while on hold" if situation.on_hold else f"at the {stage_label} stage"
            text = (f"Call today — last contact {_days(situation.last_contact_days)} ago; "
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
    elif values["competition_unasked_days"] > 0 or situation.competition_asked_days is None:
        if situation.competition_asked_days is None:
            text = "Ask which other processes and offers the candidate has — never asked yet"
        else:
            text = (f"Ask which other processes and offers the candidate has — last asked "
                    f"{_days(situation.competition_asked_days)} ago")
        add(weight("competition_unasked_days") + 0.02, Action("ask_competition", text))

    # Pay: the situation's one ask.
    pay_text = raise_base_text(situation)
    if pay_text is not None:
        add(weight("competing_pay_gap") + weight("pay_below_minimum"), Action("raise_base", pay_text))

    # Speed: beat the competing deadline (or win back a candidate who said yes elsewhere).
    deadline = situation.deadline
    if deadline is not None and values["competing_deadline"] > 0:
        whose = deadline.competitor.whose
        company = deadline.competitor.label
        if deadline.accepted_elsewhere or deadline.on is None:
            add(weight("competing_deadline") + weight("competing_stage") + weight("counteroffer"), Action(
                "win_back",
                f"Call today: the candidate has said yes to {whose} — learn what decided it "
                "and what, if anything, would change their mind",
            ))
        else:
            on = deadline.on.isoformat()
            offer_by = situation.offer_by
            if situation.stage == _ACCEPTED:
                text = (f"Check in before {on}: {company} expects an answer by then — "
                        "make sure the candidate still says yes to us")
            elif offer_by is not None and offer_by.already_out is None and (
                    offer is None or offer.status in _BEFORE_OFFER_OUT):
                when = "today" if offer_by.days_left == 0 else f"in {_days(offer_by.days_left)}"
                text = (f"Get our offer to the candidate by {offer_by.on.isoformat()} ({when}): {company} expects "
                        f"an answer by {on}")
            else:
                text = f"Talk the candidate through our offer before {on}, when {whose} must be answered"
            add(weight("competing_deadline") + weight("competing_stage") * 0.5, Action("beat_deadline", text))

    # The counteroffer conversation.
    counteroffer = situation.counteroffer
    if counteroffer is not None and counteroffer.fact.stage != "accepted":
        add(weight("counteroffer"), Action(
            "counter_counteroffer",
            f"Talk through the counteroffer from {counteroffer.label}: go back over why the candidate wanted "
            "to leave, beyond pay, before they answer it",
        ))

    # Remote days.
    remote = situation.remote
    if values["remote_mismatch"] > 0 and remote is not None:
        if remote.allowed > remote.offered:
            give = remote.can_give
            text = (f"Offer {give} remote day{'s' if give != 1 else ''} a week: the candidate wants {remote.wanted}, "
                    f"the job allows up to {remote.allowed}, our offer has {remote.offered}")
            code = "offer_remote_days"
        else:
            text = (f"Ask the hiring manager for remote days: the candidate wants {remote.wanted} a week, "
                    f"the job allows {remote.allowed}")
            code = "ask_remote_exception"
        add(weight("remote_mismatch"), Action(code, text))

    # Start date: the situation's earliest start and proposed start.
    fit, earliest, proposed = situation.start_fit, situation.earliest_start, situation.proposed_start
    if fit is not None and earliest is not None and proposed is not None and situation.stage != _ACCEPTED:
        if fit.status == LATER_THAN_NEEDED and values["start_later_than_available"] > 0:
            add(weight("start_later_than_available"), Action(
                "earlier_start",
                f"Propose an earlier start, on {proposed.isoformat()}: {earliest.why}; "
                f"our offer says {fit.ours.isoformat()}",
            ))
        elif fit.status == TOO_EARLY:
            add(0.02, Action(
                "later_start",
                f"Move our offer's start to {proposed.isoformat()}: {earliest.why}; "
                f"our offer says {fit.ours.isoformat()}, {_days(fit.days)} too early",
            ))
    if situation.stage == _ACCEPTED:
        start = offer.start_date if offer is not None else None
        if features.start_pushed_days > 0 and features.start_pushed_from is not None and start is not None:
            add(weight("start_pushed_weeks"), Action(
                "ask_start_change",
                f"Ask why the start moved from {features.start_pushed_from.isoformat()} to {start.isoformat()} — "
                "and whether another offer or a counteroffer is behind it",
            ))
        if start is None:
            add(0.05, Action("set_start_date", "Agree on a start date with the candidate and the hiring manager"))
        elif start > today:
            gap = cadence.max_gap_days.get(_ACCEPTED)
            every = f" every {_days(gap)}" if gap else ""
            day_before = start - timedelta(days=1)
            last_call = ("today, the day before" if day_before == today
                         else f"on {day_before.isoformat()}, the day before")
            add(weight("notice_weeks") + weight("acceptance_delay_days") + 0.03, Action(
                "keep_warm_until_start",
                f"Confirm the start on {start.isoformat()} and keep in touch{every} until then, and {last_call}",
            ))
        elif start == today:
            add(weight("notice_weeks") + 0.03, Action(
                "keep_warm_until_start", "The candidate starts today: call to wish them well and hear how it went",
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
