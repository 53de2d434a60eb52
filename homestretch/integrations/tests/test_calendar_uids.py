"""Calendar event UIDs are opaque: nothing in them can be computed from a company's name without the
server's secret (a feed is often shared, and a UID made from the name gave confidential competitors
away to anyone with a list of companies), and they stay the same from one fetch to the next."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import icalendar
import pytest

from homestretch.integrations.calendar import recruiter_feed

from .factories import application_at, competing

pytestmark = pytest.mark.django_db


def uids(body: bytes) -> list[str]:
    return sorted(str(event["uid"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT"))


@pytest.fixture
def confidential_race(job, alice, now):
    late = application_at("Lena Late", job, alice, "final_interview", now - timedelta(days=10), now - timedelta(days=4))
    return late, competing(late, "Hooli", date(2026, 11, 25), now - timedelta(days=1), confidential=True)


def competing_uid(body: bytes, application_id: int) -> str:
    [uid] = [uid for uid in uids(body) if uid.startswith(f"competing-{application_id}-")]
    return uid


def test_a_competing_deadlines_uid_holds_nothing_computable_from_the_company_without_the_secret(
    confidential_race, alice, now, settings,
):
    application, offer = confidential_race
    body = recruiter_feed(alice, now)
    uid = competing_uid(body, application.id)
    opaque = uid.split("@")[0].removeprefix(f"competing-{application.id}-")

    # What anyone with a list of companies could compute: none of it is in the UID.
    for guess in ("Hooli", "hooli", "HOOLI"):
        for fields in ([guess, offer.kind, offer.learned_at.isoformat()], [guess], [guess, offer.kind]):
            digest = hashlib.sha256("|".join(fields).encode()).hexdigest()
            assert digest[:8] not in uid and digest[-8:] not in uid
        assert guess.lower() not in uid.lower()
    assert len(opaque) >= 16  # enough that it is not guessed either

    # It is keyed by the server's secret: another installation's secret gives another UID.
    settings.SECRET_KEY = "another installation's secret " * 2
    assert competing_uid(recruiter_feed(alice, now), application.id) != uid


def test_uids_are_the_same_in_two_fetches_and_as_the_deadline_moves(confidential_race, alice, now):
    application, offer = confidential_race
    first = recruiter_feed(alice, now)
    second = recruiter_feed(alice, now + timedelta(hours=3))
    assert uids(first) == uids(second)

    offer.deadline = date(2026, 11, 27)  # the candidate got more time: the same event moves
    offer.save()
    assert competing_uid(recruiter_feed(alice, now), application.id) == competing_uid(first, application.id)
