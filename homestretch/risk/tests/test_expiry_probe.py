"""The snapshots' expiry probe (risk/snapshots.py `_dated_between`): one statement that says which kinds of
record hold a moment in a window, read from each dated column's own index rather than joined from every
application (issue 18, Speed). It must name exactly the lookups that joining from the applications finds."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from homestretch.offers.models import CompetingOffer, Priorities
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Touchpoint
from homestretch.risk import snapshots


def _joined_from_applications(start, end) -> list[str]:
    """What the probe replaces: each lookup joined from the applications' side."""
    return [lookup for lookup in snapshots.DATED_AHEAD
            if Application.objects.filter(**{f"{lookup}__gt": start, f"{lookup}__lt": end}).exists()]


@pytest.fixture
def dated_records(application, alice, now):
    """A touch, a competing offer and priorities dated two hours ahead; a stage change now."""
    ahead = now + timedelta(hours=2)
    services.log_touchpoint(Touchpoint(application=application, recruiter=alice, at=ahead, channel="meeting",
                                       direction="outbound", interest=3))
    CompetingOffer.objects.create(candidate=application.candidate, company="Initech", base=Decimal("150000"),
                                  currency="EUR", stage="offer", learned_at=ahead)
    Priorities.objects.create(candidate=application.candidate, base_min=Decimal("90000"), currency="EUR",
                              as_of=ahead)
    services.move_stage(application.pk, services.StageMove(to_stage="offer"), by=alice, at=now)
    return ahead


@pytest.mark.parametrize("window", ["ahead", "around the move", "all", "nothing"])
def test_the_probe_names_what_joining_from_the_applications_finds(dated_records, now, window,
                                                                  django_assert_num_queries):
    start, end = {
        "ahead": (now + timedelta(minutes=1), now + timedelta(hours=3)),
        "around the move": (now - timedelta(minutes=1), now + timedelta(minutes=1)),
        "all": (now - timedelta(days=3650), now + timedelta(days=1)),
        "nothing": (now + timedelta(days=1), now + timedelta(days=2)),
    }[window]
    with django_assert_num_queries(1):
        found = snapshots._dated_between(start, end)
    assert found == _joined_from_applications(start, end)
    if window == "ahead":
        # (the competing offer was written around the services: it has no change row)
        assert set(found) == {"candidate__touchpoints__at", "candidate__competing_offers__learned_at",
                              "candidate__priorities__as_of"}
    if window == "around the move":
        assert "stage_changes__at" in found
    if window == "nothing":
        assert found == []


def test_each_lookup_ends_at_its_column():
    assert snapshots._dated_column("candidate__touchpoints__at") == (Touchpoint, "at")
    assert snapshots._dated_column("accepted_at") == (Application, "accepted_at")
    assert snapshots._dated_column("candidate__priorities__as_of") == (Priorities, "as_of")
