"""A full application in the database for the brief: an offer, competing processes, priorities, touches."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

# Unique strings planted in every field that is private or told in confidence; none may reach a client brief.
MARKERS = {
    "confidential_company": "Zyxwo Secretcorp",
    "confidential_role": "MARKER-ROLE-7301",
    "confidential_notes": "MARKER-CONF-NOTES-5512",
    "counteroffer_company": "Quorblat Holdings",
    "open_competing_notes": "MARKER-OPEN-NOTES-2290",
    "candidate_notes": "MARKER-CANDIDATE-NOTES-8841",
    "touchpoint_notes": "MARKER-TOUCH-NOTES-6603",
    "offer_notes": "MARKER-OFFER-NOTES-4417",
    "candidate_email": "marker-mail-3391@example.org",
    "candidate_phone": "+49 555 0193 771",
}
# The confidential offer's exact pay, in every spelling a renderer might use.
SECRET_PAY = ("101,234", "101234", "104,567", "104567")


def make_full_application(application, alice, now):
    from homestretch.offers import services as offers
    from homestretch.offers.models import CompetingOffer, Offer, Priorities
    from homestretch.pipeline import services as pipeline
    from homestretch.pipeline.models import Touchpoint

    candidate = application.candidate
    candidate.notes = MARKERS["candidate_notes"]
    candidate.email = MARKERS["candidate_email"]
    candidate.phone = MARKERS["candidate_phone"]
    candidate.current_employer = MARKERS["counteroffer_company"]
    candidate.save()
    pipeline.log_touchpoint(Touchpoint(
        candidate=candidate, application=application, recruiter=alice, at=now - timedelta(days=1),
        channel="call", direction="outbound", notes=MARKERS["touchpoint_notes"], interest=3,
        competition_asked=True, competition_answer="disclosed",
    ))
    offers.record_offer(Offer(
        application=application, status="extended", base=Decimal(85000), bonus=Decimal(5000), currency="EUR",
        period="year", remote_policy="hybrid", remote_days=1, start_date=date(2027, 1, 4),
        expires_on=date(2026, 11, 27), notes=MARKERS["offer_notes"],
    ), by=alice, at=now - timedelta(days=2))
    # Told in confidence: the best-paid offer, with the nearest deadline.
    offers.record_competing_offer(CompetingOffer(
        candidate=candidate, company=MARKERS["confidential_company"], role=MARKERS["confidential_role"],
        # Equity 0 (none, not "not known"): its total of 104,567 is known and compares with ours.
        stage="offer", base=Decimal(101234), bonus=Decimal(3333), equity=Decimal(0), currency="EUR", period="year",
        remote_policy="remote", deadline=date(2026, 11, 23), learned_at=now - timedelta(days=1), confidential=True,
        notes=MARKERS["confidential_notes"],
    ), by=alice)
    offers.record_competing_offer(CompetingOffer(
        candidate=candidate, kind="counteroffer", company=MARKERS["counteroffer_company"], stage="offer",
        base=Decimal(90000), currency="EUR", period="year", learned_at=now - timedelta(hours=20), confidential=True,
    ), by=alice)
    offers.record_competing_offer(CompetingOffer(
        candidate=candidate, company="Initech", stage="final", remote_policy="hybrid", remote_days=2,
        learned_at=now - timedelta(hours=10), notes=MARKERS["open_competing_notes"],
    ), by=alice)
    offers.record_competing_offer(CompetingOffer(
        candidate=candidate, company="Umbrella", stage="offer", base=Decimal(120000), currency="USD", period="year",
        learned_at=now - timedelta(hours=5),
    ), by=alice)
    offers.set_priorities(Priorities(
        candidate=candidate, base_min=Decimal(85000), base_target=Decimal(95000), currency="EUR", period="year",
        remote_preference="remote", notice_days=30, must_haves="Python, a path to staff", importance_remote=4,
    ), by=alice, at=now - timedelta(days=1))
    return application


@pytest.fixture
def full_application(application, alice, now):
    return make_full_application(application, alice, now)
