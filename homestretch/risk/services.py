"""The risk of one application as of a moment, for pages, the API and the command line."""

from __future__ import annotations

from datetime import datetime

from homestretch.agenda.services import cadence_lookup
from homestretch.learning.live import live_weights
from homestretch.pipeline.models import Application
from homestretch.situation.facts import ApplicationFacts

from .engine import Risk, assess
from .loader import load_facts


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
    facts = facts_of(application_id, at)
    cadence = cadence_lookup()(facts.team_id)
    return facts, assess(facts, at, cadence, live_weights())
