"""The brief of one application, loaded in a fixed number of queries and built by build.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from homestretch.offers.models import CompetingOffer, Priorities
from homestretch.pipeline import stages
from homestretch.pipeline.models import Application
from homestretch.risk.loader import load_facts
from homestretch.risk.scoring import current_scorer

from .build import AUDIENCE_ERROR, AUDIENCES, Brief, BriefInputs, CompetingDetail, build_brief


def brief_for(application_id: int, *, audience: str = "internal", now: datetime) -> Brief:
    """The brief of application `application_id` as of `now` for `audience` (internal or client).

    Raises Application.DoesNotExist for an unknown id (or one created after `now`) and
    ValueError("audience must be internal or client") for any other audience. A closed application
    is briefed as it stood just before it closed, and the brief says it is closed.
    """
    if audience not in AUDIENCES:
        raise ValueError(AUDIENCE_ERROR)
    row = (
        Application.objects.filter(pk=application_id)
        .values_list("stage", "closed_at", "created_at", "candidate_id", "candidate__notes",
                     "job__hiring_manager__name")
        .first()
    )
    if row is None:
        raise Application.DoesNotExist(f"No application with id {application_id}.")
    stage, closed_at, created_at, candidate_id, candidate_notes, hiring_manager = row
    if created_at > now:
        raise Application.DoesNotExist(f"Application {application_id} did not exist yet at {now.isoformat()}.")
    # When it closed, if it is closed by `now`.
    closed_by_now = closed_at if stage in stages.CLOSED and closed_at is not None and closed_at <= now else None
    # A closed application is out of the loader's scope at its closing: take the moment just before.
    at = max(created_at, closed_by_now - timedelta(microseconds=1)) if closed_by_now is not None else now
    found = load_facts(at, application_ids=[application_id], scored_only=False)
    if not found:
        raise Application.DoesNotExist(f"Application {application_id} was not open at {at.isoformat()}.")
    facts = found[0]
    # Role and notes are not part of what the risk reads (nor of the history): matched on the row's id,
    # so an offer renamed since, or one left out at this moment, takes no other offer's details.
    known = {
        competing_id: CompetingDetail(role=role, notes=notes)
        for competing_id, role, notes in CompetingOffer.objects.filter(candidate_id=candidate_id)
        .values_list("id", "role", "notes")
    }
    details = tuple(CompetingDetail() if fact.competing_id is None else known.get(fact.competing_id, CompetingDetail())
                    for fact in facts.competing)
    # The must-haves of the very priorities the facts hold: the application's team's own, else the
    # newest (offers.models.priorities_for_team), never another team's newer ones.
    priorities_id = facts.priorities.priorities_id if facts.priorities is not None else None
    must_haves = (
        Priorities.objects.filter(pk=priorities_id).values_list("must_haves", flat=True).first()
        if priorities_id is not None else None
    )
    scorer = current_scorer()
    inputs = BriefInputs(
        facts=facts, competing_details=details, candidate_notes=candidate_notes or "",
        must_haves=must_haves or "", hiring_manager=hiring_manager or "",
        closed_stage=stage if closed_by_now is not None else None, closed_at=closed_by_now,
        cadence=scorer.cadence(facts.team_id), weights=scorer.weights,
    )
    return build_brief(inputs, audience=audience, now=now)
