"""When an application needs a touch on a given day, and why: pure functions over its facts.

An application is due when its contact is overdue or due today by the cadence of its stage, when
competition has not been asked about recently, when a competing deadline is close, when our offer
is about to expire, or when the start date is tomorrow. Today (homestretch.agenda) lists the
applications due; the risk snapshots rank them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from homestretch.lib.frozen import quick_init
from homestretch.offers.choices import CompetingStage, OfferStatus
from homestretch.pipeline.choices import Stage
from homestretch.situation.facts import ApplicationFacts

from .rules import ONE_DAY, Cadence, days, next_contact_due


@quick_init
@dataclass(frozen=True, slots=True)
class Due:
    """Why an application needs a touch: a code, a sentence, since when, how many days overdue."""

    code: str
    reason: str
    since: date
    overdue_days: int  # 0 when due today; positive when late; negative for an early warning

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "since": self.since.isoformat(),
                "overdue_days": self.overdue_days}



# A stage's name in a sentence ("at final interview"), looked up once rather than through the enum per application.
_STAGE_WORDS = {str(stage.value): str(stage.label).lower() for stage in Stage}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def due_reasons(facts: ApplicationFacts, on: date, cadence: Cadence) -> list[Due]:
    """Every reason the application needs a touch on `on`, most pressing first. None for a candidate who
    objected to being contacted: Today, the digests, the chat and the risk snapshots' ranking all read
    what is due here, so an objection takes the candidate off every one of them at once."""
    if facts.candidate_objected:
        return []
    reasons: list[Due] = []
    contacts = facts.contacts
    offer = facts.current_offer
    start_date = offer.start_date if offer is not None and offer.status == OfferStatus.ACCEPTED else None
    stage = facts.stage
    cadence_stage = stage

    contact = next_contact_due(
        cadence, cadence_stage, contacts.last_contact_at, facts.stage_entered_at, on, start_date=start_date
    )
    if contact is not None and contact.overdue_days >= 0:
        gap = cadence.gap_for(cadence_stage)
        stage_label = _STAGE_WORDS[cadence_stage]
        if contacts.last_contact_at is None:
            sentence = f"No contact yet at {stage_label}; check in every {_plural(gap or 0, 'day')}"
        else:
            quiet = (on - contacts.last_contact_at.date()).days
            sentence = f"Last contact {_plural(quiet, 'day')} ago; at {stage_label} check in every " \
                       f"{_plural(gap or 0, 'day')}"
        code = "contact_overdue" if contact.overdue_days > 0 else "contact_due"
        reasons.append(Due(code, sentence, contact.due_on, contact.overdue_days))

    if start_date is not None and start_date - ONE_DAY == on:
        reasons.append(Due("start_tomorrow", f"Starts tomorrow ({start_date.isoformat()}): a last check-in",
                           on, 0))

    asked = contacts.last_competition_asked_at
    ask_due = (asked.date() if asked else facts.stage_entered_at.date()) + days(cadence.competition_ask_days)
    if ask_due <= on:
        sentence = ("Competition never asked about" if asked is None
                    else f"Competition last asked about {_plural((on - asked.date()).days, 'day')} ago")
        reasons.append(Due("ask_competition", sentence, ask_due, (on - ask_due).days))

    competing = facts.competing
    if competing:
        horizon = on + days(cadence.deadline_warning_days)
        open_deadlines = [
            (c.deadline, c) for c in competing
            if c.deadline is not None and c.stage != CompetingStage.CLOSED and on <= c.deadline <= horizon
        ]
    else:
        open_deadlines = []
    if open_deadlines:
        deadline, nearest = min(open_deadlines, key=lambda pair: pair[0])
        days_left = (deadline - on).days
        when = "today" if days_left == 0 else f"in {_plural(days_left, 'day')}"
        reasons.append(Due("competing_deadline", f"A competing deadline ({nearest.company}) is {when}, "
                           f"{deadline.isoformat()}",
                           deadline - timedelta(days=cadence.deadline_warning_days),
                           -days_left))

    if offer is not None and offer.expires_on is not None and offer.status == OfferStatus.EXTENDED:
        days_left = (offer.expires_on - on).days
        if 0 <= days_left <= cadence.offer_expiry_warning_days:
            when = "today" if days_left == 0 else f"in {_plural(days_left, 'day')}"
            reasons.append(Due("offer_expiring", f"Our offer expires {when}, {offer.expires_on.isoformat()}",
                               offer.expires_on - timedelta(days=cadence.offer_expiry_warning_days), -days_left))

    if len(reasons) > 1:
        reasons.sort(key=_most_overdue_first)
    return reasons


def _most_overdue_first(due: Due) -> int:
    return -due.overdue_days
