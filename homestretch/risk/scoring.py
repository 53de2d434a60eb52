"""The one way to get risks: for applications at a moment, with each team's cadence and the live weights.

    scorer = current_scorer()                 # reads the cadences and the live weights once
    risks = scorer.risks(facts, at)           # many, by application id
    facts, risk = risk_of(application_id, at) # one, loaded and scored

Today, the pipeline board, the application page, the brief, the API, the command line, the digest and
the risk snapshots all score through this module, so that a team's own cadence or a newly trained
model reaches every one of them at once. The arithmetic itself is the pure engine
(homestretch.risk.engine), called with plain data only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from homestretch.cadence.models import cadence_lookup
from homestretch.cadence.rules import Cadence
from homestretch.pipeline.models import Application
from homestretch.situation.facts import ApplicationFacts

from .engine import Risk, assess, assess_many
from .live import live_weights, weights_label
from .loader import load_facts
from .weights import Weights


@dataclass(frozen=True, slots=True)
class Scorer:
    """What scoring needs besides the facts, read once per page or command: each team's cadence
    (its own gaps over the defaults) and the weights that are live."""

    cadence_for_team: Callable[[int | None], Cadence]
    weights: Weights

    def cadence(self, team_id: int | None) -> Cadence:
        return self.cadence_for_team(team_id)

    def risk(self, facts: ApplicationFacts, at: datetime) -> Risk:
        return assess(facts, at, self.cadence_for_team(facts.team_id), self.weights)

    def risks(self, facts: Iterable[ApplicationFacts], at: datetime) -> dict[int, Risk]:
        """The risk of each application, by id (those not on the home stretch have none)."""
        return assess_many(facts, at, self.cadence_for_team, self.weights)

    @property
    def label(self) -> str:
        """"expert weights" or "model v3", for a page or a report."""
        return weights_label(self.weights)


def _cadence_when_needed() -> Callable[[int | None], Cadence]:
    """Each team's cadence, read (one query) on the first application scored: a page whose risk
    snapshots all hold scores nothing and so reads nothing."""
    lookup: Callable[[int | None], Cadence] | None = None

    def cadence_for_team(team_id: int | None) -> Cadence:
        nonlocal lookup
        if lookup is None:
            lookup = cadence_lookup()
        return lookup(team_id)

    return cadence_for_team


def current_scorer() -> Scorer:
    """Each team's cadence (one query, when first needed) and the live weights (cached for a minute)."""
    return Scorer(_cadence_when_needed(), live_weights())


class NotScored(Exception):
    """The application was not on the home stretch at that moment; the message says where it was."""


def facts_of(application_id: int, at: datetime) -> ApplicationFacts:
    """Raises Application.DoesNotExist for an unknown id and NotScored outside the home stretch."""
    application = Application.objects.only("id", "stage", "created_at").get(pk=application_id)
    if application.created_at > at:
        raise NotScored(f"Application {application_id} did not exist yet at {at.isoformat()}.")
    facts = load_facts(at, application_ids=[application_id], scored_only=False)
    if not facts:
        raise NotScored(f"Application {application_id} was closed at {at.isoformat()} ({application.stage}).")
    return facts[0]


def risk_of(application_id: int, at: datetime) -> tuple[ApplicationFacts, Risk]:
    """One application's facts and risk at `at`, for pages, the API and the command line."""
    facts = facts_of(application_id, at)
    return facts, current_scorer().risk(facts, at)
