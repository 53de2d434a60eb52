"""Hand-built facts for the brief's scenario tests: plain data, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from homestretch.situation.facts import (
    ApplicationFacts,
    CompetingFact,
    ContactSummary,
    JobFact,
    OfferFact,
    PrioritiesFact,
)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # a Friday
TODAY = NOW.date()


def job(**overrides: Any) -> JobFact:
    default = JobFact(title="Senior Backend Engineer", client="Acme Cloud", base_min=Decimal(80000),
                      base_max=Decimal(95000), currency="EUR", period="year", remote_policy="hybrid", remote_days=3)
    return replace(default, **overrides)


def competing(company: str = "Initech", **overrides: Any) -> CompetingFact:
    default = CompetingFact(company=company, kind="external", stage="offer", base=Decimal(90000), bonus=Decimal(5000),
                            equity=Decimal(0),
                            currency="EUR", period="year", remote_policy="hybrid", deadline=TODAY + timedelta(days=4),
                            learned_at=NOW - timedelta(days=1), confidential=False)
    return replace(default, **overrides)


def offer(**overrides: Any) -> OfferFact:
    default = OfferFact(revision=1, status="extended", base=Decimal(85000), total=Decimal(90000), currency="EUR",
                        period="year", remote_policy="hybrid", remote_days=1, start_date=date(2027, 1, 4),
                        sent_at=NOW - timedelta(days=2), expires_on=TODAY + timedelta(days=7), responded_at=None,
                        created_at=NOW - timedelta(days=3))
    return replace(default, **overrides)


def priorities(**overrides: Any) -> PrioritiesFact:
    default = PrioritiesFact(
        base_min=Decimal(85000), base_target=Decimal(92000), currency="EUR", period="year",
        remote_preference="hybrid", remote_days=2, notice_days=30, earliest_start=None,
        importance={"pay": 4, "remote": 3, "speed": 3, "title": 2, "growth": 3, "stack": 3}, as_of=NOW,
    )
    return replace(default, **overrides)


def facts(**overrides: Any) -> ApplicationFacts:
    default = ApplicationFacts(
        application_id=7, candidate_name="Priya Nair", recruiter_id=1, recruiter_name="Alice Archer", team_id=1,
        stage="final_interview", stage_entered_at=NOW - timedelta(days=3), created_at=NOW - timedelta(days=30),
        accepted_at=None, job=job(), offers=(), competing=(competing(),),
        contacts=ContactSummary(touchpoints=3, last_contact_at=NOW - timedelta(days=1),
                                last_competition_asked_at=NOW - timedelta(days=1), last_competition_answer="disclosed"),
        priorities=priorities(),
    )
    return replace(default, **overrides)
