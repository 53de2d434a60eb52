"""Facts built by hand for the risk tests: a sensible open application, changed by keyword."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from homestretch.situation.facts import (
    ApplicationFacts,
    CompetingFact,
    ContactSummary,
    JobFact,
    OfferFact,
    PrioritiesFact,
)

# The one moment the risk tests score at: a Friday morning.
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def in_days(days: int) -> date:
    return TODAY + timedelta(days=days)


def job(**changes) -> JobFact:
    base = JobFact(
        title="Senior Python Engineer", client="Globex", base_min=Decimal(70000), base_max=Decimal(90000),
        currency="EUR", period="year", remote_policy="hybrid", remote_days=2,
    )
    return replace(base, **changes)


def offer(**changes) -> OfferFact:
    base_amount = Decimal(changes.pop("base", 80000))
    total = changes.pop("total", base_amount)
    base = OfferFact(
        revision=1, status="extended", base=base_amount, total=Decimal(total), currency="EUR", period="year",
        remote_policy="hybrid", remote_days=2, start_date=in_days(45), sent_at=days_ago(3), expires_on=in_days(7),
        responded_at=None, created_at=days_ago(3),
    )
    return replace(base, **changes)


def competing(company: str = "Acme", **changes) -> CompetingFact:
    """A competing offer (Acme, 90,000 EUR a year, no bonus, no equity) changed by keyword.

    - `total=T` alone: a base of T with bonus and equity known to be 0 (a total of T);
    - `base=B, total=T`: a base of B and a bonus of T - B, equity 0;
    - `base=B, total=None`: a base of B, bonus and equity not known (so no total);
    - `base=None, total=None`: nothing known about the pay;
    - `bonus=` and `equity=` set either directly (None: not known, 0: none).
    """
    total = changes.pop("total", "unset")
    base_amount = changes.pop("base", Decimal(90000) if total == "unset" else total)
    known = base_amount is not None
    bonus: Decimal | None = Decimal(0) if known else None
    equity: Decimal | None = Decimal(0) if known else None
    if total is None:
        bonus = equity = None
    elif total != "unset" and known:
        bonus = Decimal(total) - Decimal(base_amount)
    base = CompetingFact(
        company=company, kind="external", stage="offer",
        base=None if base_amount is None else Decimal(base_amount), bonus=bonus, equity=equity,
        currency="EUR", period="year", remote_policy="hybrid", deadline=None, learned_at=days_ago(4),
        confidential=False,
    )
    return replace(base, **changes)


def contacts(**changes) -> ContactSummary:
    base = ContactSummary(
        touchpoints=5, last_contact_at=days_ago(1), last_inbound_at=days_ago(1),
        last_competition_asked_at=days_ago(1), last_competition_answer="disclosed",
        latest_interest=4, previous_interest=4, last_status_update_at=days_ago(1),
    )
    return replace(base, **changes)


def priorities(**changes) -> PrioritiesFact:
    base = PrioritiesFact(
        base_min=None, base_target=None, currency="EUR", period="year", remote_preference="any",
        remote_days=None, notice_days=None, earliest_start=None,
        importance={"pay": 3, "remote": 3, "speed": 3, "title": 3, "growth": 3, "stack": 3},
        as_of=days_ago(10),
    )
    return replace(base, **changes)


def facts(**changes) -> ApplicationFacts:
    """An application at the offer stage with nothing wrong: contacted yesterday, no competition."""
    base = ApplicationFacts(
        application_id=changes.pop("application_id", 1), candidate_name="Dana Reyes", recruiter_id=7,
        recruiter_name="Alice Martin", team_id=None, stage="offer", stage_entered_at=days_ago(3),
        created_at=days_ago(20), accepted_at=None, job=job(), offers=(offer(),), competing=(),
        contacts=contacts(), priorities=priorities(),
    )
    return replace(base, **changes)
