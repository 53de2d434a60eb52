"""A small organisation's closed applications with a planted structure, built in bulk for training tests.

Every application is accepted and then closes as Started (kept) or Reneged (lost). Two factors raise the
chance of a loss: a competing offer paying 20 % more than the job's band midpoint (the others' rival
offers pay less), known a week before the decision, and a last contact 20 days before the decision
(overdue at the accepted stage). Two noise factors are drawn independently of the outcome: the interest
level at the last touch and whether the candidate declined to say what else they have.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db.models import F

from homestretch.offers.models import CompetingOffer, CompetingOfferChange
from homestretch.pipeline.changes import touches_changed
from homestretch.pipeline.models import Application, Candidate, StageChange, Touchpoint

FIRST_CLOSE = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Planted:
    application_ids: list[int]
    lost: int
    kept: int


def plant_history(job, recruiter, *, n: int, days: int, seed: int = 7, first_close: datetime = FIRST_CLOSE,
                  signal: bool = True, base_log_odds: float = -1.5, source: str = "") -> Planted:
    """`n` closed applications for `job` by `recruiter`, closing on `days` distinct days from `first_close`;
    `base_log_odds` sets the loss rate without the planted factors (a client's own), `source` the
    candidates' source."""
    rng = random.Random(seed)
    plans = []
    for index in range(n):
        closed_at = first_close + timedelta(days=index % days, minutes=index)
        has_gap = rng.random() < 0.5
        overdue = rng.random() < 0.5
        log_odds = base_log_odds + 2.2 * has_gap + 2.2 * overdue if signal else 0.0
        lost = rng.random() < 1 / (1 + math.exp(-log_odds))
        plans.append((closed_at, has_gap, overdue, lost, rng.choice((2, 3, 4, 5)), rng.random() < 0.3))
    start = Candidate.objects.count()
    candidates = Candidate.objects.bulk_create([
        Candidate(name=f"Planted Candidate {start + index}", email=f"planted{start + index}@example.org",
                  source=source)
        for index in range(n)
    ])
    applications = Application.objects.bulk_create([
        Application(candidate=candidate, job=job, recruiter=recruiter, stage="reneged" if lost else "started",
                    stage_entered_at=closed_at, created_at=closed_at - timedelta(days=30),
                    accepted_at=closed_at - timedelta(days=25), closed_at=closed_at)
        for candidate, (closed_at, _, _, lost, _, _) in zip(candidates, plans, strict=True)
    ])
    changes, touches, competing = [], [], []
    for application, (closed_at, has_gap, overdue, lost, interest, declined) in zip(applications, plans, strict=True):
        assert application.accepted_at is not None, "every planted application was accepted"
        changes += [
            StageChange(application=application, from_stage="", to_stage="offer", at=application.created_at),
            StageChange(application=application, from_stage="offer", to_stage="accepted",
                        at=application.accepted_at),
            StageChange(application=application, from_stage="accepted", to_stage="reneged" if lost else "started",
                        at=closed_at, loss_reason="competing_offer" if lost else ""),
        ]
        last_touch = closed_at - timedelta(days=20 if overdue else 1)
        touches.append(Touchpoint(
            candidate_id=application.candidate_id, application=application, recruiter=recruiter, at=last_touch,
            channel="call", direction="outbound", interest=interest, competition_asked=True,
            competition_answer="declined_to_say" if declined else "none",
        ))
        # Everyone has a rival offer (so that its stage says nothing); only some pay more than our band.
        competing.append(CompetingOffer(
            candidate_id=application.candidate_id, company="Rival GmbH", stage="offer",
            base=Decimal("105000" if has_gap else "80000"), currency="EUR", period="year",
            learned_at=closed_at - timedelta(days=7),
        ))
    StageChange.objects.bulk_create(changes)
    Touchpoint.objects.bulk_create(touches)
    # A bulk insert names what it wrote, as every writer of touchpoints does (the demo's loader too).
    touches_changed(application_ids=[application.id for application in applications])
    CompetingOffer.objects.bulk_create(competing)
    # Recorded when learned and never changed since, as a recruiter entering it that day would leave it.
    CompetingOffer.objects.filter(candidate__in=candidates).update(created_at=F("learned_at"),
                                                                    updated_at=F("learned_at"))
    CompetingOfferChange.objects.bulk_create(
        CompetingOfferChange.of(rival, at=rival.learned_at, by=recruiter) for rival in competing)
    losses = sum(1 for plan in plans if plan[3])
    return Planted([application.id for application in applications], losses, n - losses)
