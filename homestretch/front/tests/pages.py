"""Builders shared by the page tests: applications at a stage with a last call, and the pages' clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from homestretch.offers import services as offer_services
from homestretch.offers.models import Offer
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Candidate, Job, Touchpoint


@pytest.fixture
def pages_at_now(settings, now):
    """Pages are drawn at the tests' `now`, never at the real clock."""
    settings.HOMESTRETCH_PAGES_NOW = now
    return now


def application_at(name: str, job: Job, recruiter, stage: str, *, entered: datetime,
                   last_call: datetime | None = None) -> Application:
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.org",
                                         skills="Python, Go")
    application = services.open_application(candidate=candidate, job=job, recruiter=recruiter, by=recruiter,
                                            at=entered, stage=stage)
    if last_call is not None:
        services.log_touchpoint(Touchpoint(
            application=application, recruiter=recruiter, at=last_call, channel="call", direction="outbound",
            interest=4, competition_asked=True, competition_answer="none",
        ))
    return application


def our_offer(application: Application, by, at: datetime, base: int = 85000) -> Offer:
    return offer_services.record_offer(
        Offer(application=application, status="extended", base=Decimal(base), currency="EUR", period="year",
              remote_policy="hybrid", remote_days=2, expires_on=(at + timedelta(days=7)).date()),
        by=by, at=at,
    )


def many_applications(job: Job, recruiter, n: int, now: datetime, prefix: str) -> list[Application]:
    """`n` applications on the home stretch, each overdue for a call, each with an offer every third."""
    made = []
    for i in range(n):
        stage = ["final_interview", "verification", "offer"][i % 3]
        application = application_at(f"{prefix} {i}", job, recruiter, stage, entered=now - timedelta(days=12),
                                     last_call=now - timedelta(days=5))
        if stage == "offer":
            our_offer(application, recruiter, now - timedelta(days=4))
        made.append(application)
    return made
