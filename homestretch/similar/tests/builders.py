"""Builders for the similar-search tests: closed jobs with applications, offers and competing offers.

Rows are made directly (each within the models' constraints): the tests read history, they do not
exercise the workflows that write it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from homestretch.offers.models import CompetingOffer, Offer
from homestretch.pipeline import stages
from homestretch.pipeline.models import Application, Candidate, Client, Job, StageChange


def make_job(title: str, skills: str, *, client: str = "Acme Cloud", seniority: str = "senior",
             location: str = "Berlin", status: str = "closed", closed_on: date | None = date(2026, 6, 1),
             lessons: str = "") -> Job:
    owner, _ = Client.objects.get_or_create(name=client)
    return Job.objects.create(
        client=owner, title=title, skills=skills, seniority=seniority, location=location, status=status,
        closed_on=closed_on if status != "open" else None, lessons=lessons, base_min=Decimal("70000"),
        base_max=Decimal("90000"), currency="EUR", period="year",
    )


def make_application(job: Job, name: str, stage: str, *, recruiter, opened: datetime, closed: datetime | None = None,
                     loss_reason: str = "", lessons: str = "") -> Application:
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.org")
    is_closed = stage in stages.CLOSED
    closed_at = (closed or opened + timedelta(days=30)) if is_closed else None
    application = Application.objects.create(
        candidate=candidate, job=job, recruiter=recruiter, stage=stage, stage_entered_at=closed_at or opened,
        created_at=opened, closed_at=closed_at, lessons=lessons,
        accepted_at=closed_at if stage in ("started", "reneged") else None,
    )
    StageChange.objects.create(application=application, to_stage="sourced", at=opened)
    if stage != "sourced":
        StageChange.objects.create(application=application, from_stage="offer", to_stage=stage,
                                   at=closed_at or opened, reason="why" if stage in stages.LOSSES else "",
                                   loss_reason=loss_reason)
    return application


def make_offer(application: Application, base: int, *, revision: int = 1, status: str = "superseded",
               currency: str = "EUR", period: str = "year", won_by: str = "", decline_reason: str = "") -> Offer:
    return Offer.objects.create(application=application, revision=revision, status=status, base=Decimal(base),
                                currency=currency, period=period, won_by=won_by, decline_reason=decline_reason,
                                created_at=application.created_at + timedelta(days=revision))


def make_competing(application: Application, company: str, base: int | None, *, stage: str = "offer",
                   learned: datetime, kind: str = "external", confidential: bool = False,
                   currency: str = "EUR") -> CompetingOffer:
    return CompetingOffer.objects.create(
        candidate=application.candidate, company=company, base=None if base is None else Decimal(base),
        currency=currency if base is not None else "", stage=stage, kind=kind, learned_at=learned,
        confidential=confidential,
    )
