"""Applications in the states the reminders care about, built through the services like the app does."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Offer
from homestretch.pipeline import services
from homestretch.pipeline.models import Candidate, Touchpoint


def application_at(name: str, job, recruiter, stage: str, entered: datetime, last_call: datetime | None):
    """A candidate of `recruiter` at `stage` since `entered`, last called (competition asked) at `last_call`."""
    candidate = Candidate.objects.create(name=name, email=f"{name.lower().replace(' ', '.')}@example.org")
    application = services.open_application(candidate=candidate, job=job, recruiter=recruiter, by=recruiter,
                                            at=entered, stage=stage)
    if last_call is not None:
        services.log_touchpoint(Touchpoint(application=application, recruiter=recruiter, at=last_call,
                                           channel="call", direction="outbound", interest=4,
                                           competition_asked=True, competition_answer="none"))
    return application


def competing(application, company: str, deadline: date, learned_at: datetime, *, confidential: bool = False):
    return CompetingOffer.objects.create(candidate=application.candidate, company=company, stage="offer",
                                         base=Decimal(99000), currency="EUR", deadline=deadline,
                                         learned_at=learned_at, confidential=confidential)


def extended_offer(application, by, at: datetime, expires_on: date) -> Offer:
    return offer_services.record_offer(
        Offer(application=application, base=Decimal(90000), currency="EUR", status="extended", expires_on=expires_on),
        by=by, at=at,
    )


def accepted_offer(application, by, at: datetime, start_date: date) -> Offer:
    offer = offer_services.record_offer(
        Offer(application=application, base=Decimal(90000), currency="EUR", status="extended", start_date=start_date),
        by=by, at=at,
    )
    return offer_services.set_offer_status(offer.pk, "accepted", by=by, at=at)

