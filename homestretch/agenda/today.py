"""Today: which open applications need a touch on a given day, why, since when — pure functions.

An application is due when its contact is overdue or due today by the cadence of its stage, when
competition has not been asked about recently, when a competing deadline is close, when our offer
is about to expire, or when the start date is tomorrow. Overdue first, then the riskiest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from homestretch.offers.choices import CompetingStage, OfferStatus
from homestretch.pipeline.choices import Stage

from .cadence import Cadence, next_contact_due

if TYPE_CHECKING:  # the risk engine imports the cadence, not the other way round
    from homestretch.risk.engine import Risk
    from homestretch.situation.facts import ApplicationFacts


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


@dataclass(frozen=True, slots=True)
class AgendaItem:
    facts: ApplicationFacts
    due: Due  # the most pressing reason
    also: tuple[Due, ...] = field(default=())
    risk: Risk | None = None

    def as_dict(self) -> dict[str, Any]:
        """The agenda item's JSON, the same for the command line, the API and the pages."""
        risk = self.risk.as_dict() if self.risk is not None else None
        actions = risk.pop("actions", []) if risk is not None else []
        return {
            "application_id": self.facts.application_id,
            "candidate": self.facts.candidate_name,
            "job": self.facts.job.title,
            "client": self.facts.job.client,
            "stage": self.facts.stage,
            "recruiter": self.facts.recruiter_name,
            "due": self.due.as_dict(),
            "also_due": [d.as_dict() for d in self.also],
            "risk": risk,
            "actions": actions,
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def due_reasons(facts: ApplicationFacts, on: date, cadence: Cadence) -> list[Due]:
    """Every reason the application needs a touch on `on`, most pressing first."""
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
        stage_label = Stage(cadence_stage).label.lower()
        if contacts.last_contact_at is None:
            sentence = f"No contact yet at {stage_label}; check in every {_plural(gap or 0, 'day')}"
        else:
            quiet = (on - contacts.last_contact_at.date()).days
            sentence = f"Last contact {_plural(quiet, 'day')} ago; at {stage_label} check in every " \
                       f"{_plural(gap or 0, 'day')}"
        code = "contact_overdue" if contact.overdue_days > 0 else "contact_due"
        reasons.append(Due(code, sentence, contact.due_on, contact.overdue_days))

    if start_date is not None and start_date - timedelta(days=1) == on:
        reasons.append(Due("start_tomorrow", f"Starts tomorrow ({start_date.isoformat()}): a last check-in",
                           on, 0))

    asked = contacts.last_competition_asked_at
    ask_due = (asked.date() if asked else facts.stage_entered_at.date()) + timedelta(days=cadence.competition_ask_days)
    if ask_due <= on:
        sentence = ("Competition never asked about" if asked is None
                    else f"Competition last asked about {_plural((on - asked.date()).days, 'day')} ago")
        reasons.append(Due("ask_competition", sentence, ask_due, (on - ask_due).days))

    open_deadlines = [
        c for c in facts.competing
        if c.deadline is not None and c.stage != CompetingStage.CLOSED and on <= c.deadline
        <= on + timedelta(days=cadence.deadline_warning_days)
    ]
    if open_deadlines:
        nearest = min(open_deadlines, key=lambda c: c.deadline)  # type: ignore[arg-type,return-value]
        days_left = (nearest.deadline - on).days  # type: ignore[operator]
        when = "today" if days_left == 0 else f"in {_plural(days_left, 'day')}"
        reasons.append(Due("competing_deadline", f"A competing deadline ({nearest.company}) is {when}, "
                           f"{nearest.deadline.isoformat()}",  # type: ignore[union-attr]
                           nearest.deadline - timedelta(days=cadence.deadline_warning_days),  # type: ignore[operator]
                           -days_left))

    if offer is not None and offer.status == OfferStatus.EXTENDED and offer.expires_on is not None:
        days_left = (offer.expires_on - on).days
        if 0 <= days_left <= cadence.offer_expiry_warning_days:
            when = "today" if days_left == 0 else f"in {_plural(days_left, 'day')}"
            reasons.append(Due("offer_expiring", f"Our offer expires {when}, {offer.expires_on.isoformat()}",
                               offer.expires_on - timedelta(days=cadence.offer_expiry_warning_days), -days_left))

    reasons.sort(key=lambda d: -d.overdue_days)
    return reasons


def build_agenda(
    facts: Iterable[ApplicationFacts], on: date, cadence_for_team: Callable[[int | None], Cadence],
    risks: Mapping[int, Risk] | None = None, *,
    score: Callable[[list[ApplicationFacts]], Mapping[int, Risk]] | None = None,
) -> list[AgendaItem]:
    """The agenda for `on`: applications with a reason to call, overdue first, then the riskiest.

    Risks come from `risks`, or from `score`, called once with the facts of the applications due.
    """
    due = []
    for fact in facts:
        reasons = due_reasons(fact, on, cadence_for_team(fact.team_id))
        if reasons:
            due.append((fact, reasons))
    if score is not None:
        risks = score([fact for fact, _ in due])
    items = [
        AgendaItem(facts=fact, due=reasons[0], also=tuple(reasons[1:]),
                   risk=risks.get(fact.application_id) if risks is not None else None)
        for fact, reasons in due
    ]

    def order(item: AgendaItem) -> tuple:
        probability = item.risk.probability if item.risk is not None and item.risk.probability is not None else 0.0
        overdue = item.due.overdue_days > 0
        return (not overdue, -probability, -item.due.overdue_days, item.facts.application_id)

    items.sort(key=order)
    return items
