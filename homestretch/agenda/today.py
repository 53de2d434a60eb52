"""Today: which open applications need a touch on a given day, why, since when — pure functions.

Why each application is due is the cadence's rule (homestretch.cadence.due); Today ranks the
applications due: overdue first, then the riskiest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from homestretch.cadence.due import Due, due_reasons
from homestretch.cadence.rules import Cadence
from homestretch.lib.frozen import quick_init
from homestretch.risk.engine import Risk
from homestretch.situation.facts import ApplicationFacts


@quick_init
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


def build_agenda(
    facts: Iterable[ApplicationFacts], on: date, cadence_for_team: Callable[[int | None], Cadence],
    risks: Mapping[int, Risk] | None = None, *,
    score: Callable[[list[ApplicationFacts]], Mapping[int, Risk]] | None = None,
) -> list[AgendaItem]:
    """The agenda for `on`: applications with a reason to call, overdue first, then the riskiest.

    Risks come from `risks`, or from `score`, called once with the facts of the applications due.
    """
    due = []
    cadences: dict[int | None, Cadence] = {}  # each team's looked up once, not once per application
    for fact in facts:
        team_id = fact.team_id
        cadence = cadences.get(team_id)
        if cadence is None:
            cadence = cadences[team_id] = cadence_for_team(team_id)
        reasons = due_reasons(fact, on, cadence)
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
