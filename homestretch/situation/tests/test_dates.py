"""One earliest start, never past; the start to propose is a Monday after today."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from homestretch.situation.dates import earliest_start, proposed_start, start_fit
from homestretch.situation.facts import OfferFact, PrioritiesFact

TODAY = date(2026, 11, 30)  # a Monday


def priorities(stated=None, notice=None) -> PrioritiesFact:
    return PrioritiesFact(base_min=None, base_target=None, currency="", period="year", remote_preference="any",
                          remote_days=None, notice_days=notice, earliest_start=stated)


def offer(start) -> OfferFact:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    return OfferFact(revision=1, status="extended", base=Decimal(1), total=Decimal(1), currency="EUR",
                     period="year", remote_policy="hybrid", remote_days=2, start_date=start, sent_at=now,
                     expires_on=None, responded_at=None, created_at=now)


def test_a_stated_start_ahead_wins():
    earliest = earliest_start(priorities(stated=date(2027, 1, 10), notice=60), None, TODAY)
    assert (earliest.on, earliest.rule) == (date(2027, 1, 10), "stated")
    # The notice counted from today would end on 2027-01-29: the candidate's own date is the one given.
    assert earliest.wanted_text == "from 2027-01-10 (as the candidate said)"


def test_a_stated_start_already_past_gives_way_to_the_notice_from_today():
    # Seen in issue 13: "can start on 2026-11-05", a date already past, advised as ahead.
    earliest = earliest_start(priorities(stated=date(2026, 11, 5), notice=30), None, TODAY)
    assert (earliest.on, earliest.rule) == (date(2026, 12, 30), "notice")
    assert earliest.wanted_text == "from 2026-12-30 (30-day notice)"
    alone = earliest_start(priorities(stated=date(2026, 11, 5)), None, TODAY)
    assert (alone.on, alone.rule) == (TODAY, "today")


def test_the_notice_counts_from_the_acceptance_once_accepted():
    accepted = datetime(2026, 11, 10, 15, tzinfo=UTC)
    earliest = earliest_start(priorities(notice=30), accepted, TODAY)
    assert earliest.on == date(2026, 12, 10)
    long_ago = earliest_start(priorities(notice=10), accepted, TODAY)
    assert long_ago.on == TODAY  # the notice has run: free now, never a past date


def test_nothing_known_is_none():
    assert earliest_start(priorities(), None, TODAY) is None
    assert earliest_start(None, None, TODAY) is None


def test_the_proposed_start_is_a_monday_after_today_and_not_before_the_earliest():
    free_today = earliest_start(priorities(stated=TODAY), None, TODAY)
    assert proposed_start(free_today, TODAY) == date(2026, 12, 7)  # not today: after it
    later = earliest_start(priorities(stated=date(2027, 1, 6)), None, TODAY)
    assert proposed_start(later, TODAY) == date(2027, 1, 11)


def test_our_start_fits_or_is_early_or_late():
    earliest = earliest_start(priorities(stated=date(2027, 1, 6)), None, TODAY)
    proposed = proposed_start(earliest, TODAY)
    assert start_fit(offer(date(2027, 1, 4)), earliest, proposed).status == "before_notice_ends"
    assert start_fit(offer(date(2027, 1, 8)), earliest, proposed).status == "fits"
    late = start_fit(offer(date(2027, 2, 1)), earliest, proposed)
    assert (late.status, late.days) == ("later_than_needed", 21)
    assert start_fit(offer(None), earliest, proposed) is None
