"""Each figure against an independent count written in SQL over a built history with the issue's edge
cases (builders.py), and against the numbers worked out by hand from that history."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from django.db import connection

from homestretch.cadence.rules import DEFAULT_CADENCE, next_contact_due
from homestretch.insights.figures import Filters, days_within_cadence, insights, percentile, wilson

from .builders import SECRET_COMPANY, at, build

PERIOD = Filters(date(2026, 1, 1), date(2026, 11, 20))


@pytest.fixture
def org(alice, bob, charlie):
    return build(alice, bob, charlie)


def _sql(query: str, params: list) -> list[tuple]:
    """Run `query` with POPULATION and ACCEPTED standing for the SQL below."""
    query = query.replace("POPULATION", POPULATION).replace("ACCEPTED", ACCEPTED)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


# The population, in SQL: applications whose earliest sent offer falls in the period.
POPULATION = """
    SELECT a.id, a.stage, a.stage_before_hold, a.accepted_at, a.closed_at, MIN(o.sent_at) AS first_sent
    FROM pipeline_application a JOIN offers_offer o ON o.application_id = a.id
    WHERE o.sent_at IS NOT NULL
    GROUP BY a.id, a.stage, a.stage_before_hold, a.accepted_at, a.closed_at
    HAVING MIN(o.sent_at) >= %s AND MIN(o.sent_at) < %s
"""
ACCEPTED = ("(p.stage IN ('accepted', 'started', 'reneged') "
            "OR (p.stage = 'on_hold' AND p.stage_before_hold = 'accepted'))")


def _bounds():
    return [at(PERIOD.date_from, 0), at(PERIOD.date_to + timedelta(days=1), 0)]


def test_offers_extended_and_acceptance_match_sql(org, now):
    figures = insights(PERIOD, now=now)
    extended, accepted, declined = _sql("""
        SELECT COUNT(*), SUM(CASE WHEN ACCEPTED THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.stage = 'declined' THEN 1 ELSE 0 END)
        FROM (POPULATION) p""", _bounds())[0]
    assert figures.summary.offers_extended == extended == 10  # Early Eve (before) and Draft Dora (never sent) out
    rate = figures.summary.acceptance_rate
    assert (rate.k, rate.n) == (accepted, accepted + declined) == (5, 8)
    assert rate.value == pytest.approx(5 / 8)
    assert rate.low is not None and rate.high is not None and rate.low < 5 / 8 < rate.high


def test_renege_rate_counts_only_acceptances_whose_start_has_passed(org, now):
    figures = insights(PERIOD, now=now)
    reneged, due = _sql("""
        SELECT SUM(CASE WHEN p.stage = 'reneged' THEN 1 ELSE 0 END), COUNT(*)
        FROM (POPULATION) p
        WHERE ACCEPTED AND (p.stage = 'started' OR (
            SELECT o.start_date FROM offers_offer o WHERE o.application_id = p.id
            AND o.status IN ('accepted', 'reneged') ORDER BY o.revision DESC LIMIT 1) < %s)""",
        [*_bounds(), now.date()])[0]
    rate = figures.summary.renege_rate
    assert (rate.k, rate.n) == (reneged, due) == (1, 4)  # Reopened Rita starts in December: not counted


def test_time_to_answer_matches_sql(org, now):
    figures = insights(PERIOD, now=now)
    rows = _sql("""
        SELECT p.first_sent, CASE WHEN p.stage = 'declined' THEN p.closed_at ELSE p.accepted_at END
        FROM (POPULATION) p WHERE ACCEPTED OR p.stage = 'declined'""", _bounds())
    days = sorted(_days(first, answered) for first, answered in rows)
    assert days == [1, 2, 2, 3, 7, 9, 10, 22]  # Reopened Rita: 22 days from her first offer
    assert figures.summary.time_to_answer_median == statistics.median(days) == 5
    assert figures.summary.time_to_answer_p90 == 22
    assert figures.summary.time_to_answer_n == len(days)


def _days(first, answered) -> float:
    from django.utils.dateparse import parse_datetime

    if isinstance(first, str):  # SQLite returns text from a raw cursor
        first, answered = parse_datetime(first), parse_datetime(answered)
    return (answered - first).total_seconds() / 86400


def test_reasons_match_sql(org, now):
    figures = insights(PERIOD, now=now)
    rows = _sql("""
        SELECT sc.loss_reason, p.stage, COUNT(*) FROM (POPULATION) p
        JOIN pipeline_stagechange sc ON sc.application_id = p.id AND sc.to_stage = p.stage
        WHERE p.stage IN ('declined', 'reneged')
        GROUP BY sc.loss_reason, p.stage""", _bounds())
    expected: dict[str, dict[str, int]] = {}
    for reason, stage, n in rows:
        expected.setdefault(reason, {"declined": 0, "reneged": 0})[stage] += n
    got = {row.reason: {"declined": row.declined, "reneged": row.reneged} for row in figures.reasons}
    assert got == expected
    assert [(row.reason, row.n) for row in figures.reasons] == [
        ("competing_offer", 2), ("compensation", 1), ("counteroffer", 1)]  # Rita's old decline is not a loss
    assert sum(row.share or 0 for row in figures.reasons) == pytest.approx(1)


def test_competitors_that_won_fold_spellings_and_mark_confidences(org, now):
    figures = insights(PERIOD, now=now)
    rows = _sql("""
        SELECT LOWER(TRIM(o.won_by)), COUNT(*) FROM (POPULATION) p JOIN offers_offer o ON o.application_id = p.id
        WHERE p.stage IN ('declined', 'reneged') AND o.status IN ('declined', 'reneged') AND o.won_by <> ''
        GROUP BY LOWER(TRIM(o.won_by))""", _bounds())
    assert {row.company.lower(): row.n for row in figures.competitors_won} == dict(rows)
    assert {row.company: row.confidential for row in figures.competitors_won} == {
        "Globex": 0, SECRET_COMPANY: 1, "Current employer": 0}
    shared = figures.shareable()
    assert SECRET_COMPANY not in repr(shared.as_dict())
    assert {row.company: row.n for row in shared.competitors_won} == {
        "Globex": 2, "Current employer": 1, "Confidential companies": 1}


def test_counteroffers_and_their_loss_rates(org, now):
    figures = insights(PERIOD, now=now)
    with_counter = _sql("""
        SELECT COUNT(*) FROM (POPULATION) p JOIN pipeline_application a ON a.id = p.id
        WHERE EXISTS (SELECT 1 FROM offers_competingoffer c WHERE c.candidate_id = a.candidate_id
                      AND c.kind = 'counteroffer')""", _bounds())[0][0]
    assert figures.counteroffers_recorded == with_counter == 1
    assert (figures.with_counteroffer.n, figures.with_counteroffer.lost) == (1, 1)
    assert (figures.without_counteroffer.n, figures.without_counteroffer.lost) == (7, 3)


def test_filters_narrow_to_a_team_a_client_a_currency(org, now, teams):
    from dataclasses import replace

    north = insights(replace(PERIOD, team_id=teams["north"].pk), now=now)
    assert north.summary.offers_extended == 9  # Southern Sue is South's
    usd = insights(replace(PERIOD, currency="USD"), now=now)
    assert usd.summary.offers_extended == 1 and usd.summary.acceptance_rate.n == 1
    beta = insights(replace(PERIOD, client_id=org.clients["beta"].pk), now=now)
    assert beta.summary.offers_extended == 1
    referral = insights(replace(PERIOD, source="referral"), now=now)
    assert referral.summary.offers_extended == 1
    senior = insights(replace(PERIOD, seniority="senior"), now=now)
    assert senior.summary.offers_extended == 9


def test_by_month_adds_up_to_the_period(org, now):
    figures = insights(PERIOD, now=now)
    months = dict(figures.by_month)
    assert list(months) == [f"2026-{m:02d}" for m in range(1, 12)]
    assert sum(s.offers_extended for s in months.values()) == figures.summary.offers_extended
    assert months["2026-02"].offers_extended == 1  # Reopened Rita, by her first offer
    assert months["2026-06"].offers_extended == 1  # Revised Rosa once, two offers


def test_the_practice_bands_hold_every_answered_application(org, now):
    figures = insights(PERIOD, now=now)
    assert sum(row.n for row in figures.cadence_adherence) + figures.adherence_not_measured == 8
    assert sum(row.n for row in figures.competition_asked) == 8
    asked = {row.band: row for row in figures.competition_asked}
    assert asked["yes"].n == 1 and asked["yes"].lost == 0  # Started Sam was asked at every touch
    assert "observational" in figures.as_dict()["findings"]["caveat"]


def test_days_within_cadence_agrees_with_the_cadence_day_by_day():
    """The segment arithmetic against next_contact_due asked for every single day."""
    history = [(at("2026-03-01"), "final_interview"), (at("2026-03-05"), "offer")]
    contacts = [(at("2026-02-27"), False), (at("2026-03-02"), False), (at("2026-03-09"), True)]
    start, end = at("2026-03-01"), at("2026-03-14")
    within, days = days_within_cadence(start, end, contacts, history, DEFAULT_CADENCE)
    brute = 0
    day = start.date() + timedelta(days=1)
    while day <= end.date():
        last = max((c for c, _ in contacts if c.date() <= day), default=None)
        entered, stage = max((h for h in history if h[0].date() <= day), key=lambda h: h[0])
        due = next_contact_due(DEFAULT_CADENCE, stage, last, entered, day)
        brute += due is None or due.overdue_days <= 0
        day += timedelta(days=1)
    assert (within, days) == (brute, 13)
    # 03-02 call: in cadence to 03-04; 03-05..03-08 overdue (4 days); 03-09 call: to 03-11; 03-12..03-14 overdue.
    assert within == 13 - 4 - 3


def test_wilson_interval_and_percentile():
    rate = wilson(5, 8)
    assert (round(rate.low or 0, 4), round(rate.high or 0, 4)) == (0.3057, 0.8632)
    assert wilson(0, 0).value is None
    assert wilson(0, 10).low == 0
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([], 0.9) is None


def test_a_remembered_practice_measure_is_read_again_until_its_application_changes(org, now,
                                                                                 django_assert_num_queries):
    from homestretch.pipeline import changes

    first = insights(PERIOD, now=now)
    with django_assert_num_queries(2):  # the applications and the competing offers: no touch read
        again = insights(PERIOD, now=now)
    assert again.as_dict() == first.as_dict()
    sam = org.applications["Started Sam"]
    from homestretch.pipeline.models import Touchpoint

    Touchpoint.objects.filter(application=sam).delete()
    changes.touches_changed(application_ids=[sam.pk])
    changed = insights(PERIOD, now=now)
    asked = {row.band: row.n for row in changed.competition_asked}
    assert asked["yes"] == 0  # Sam's touches are gone, and his measure with them


def test_the_practice_window_of_a_reopened_application_is_its_last_round():
    from homestretch.insights.figures import reached_final_stretch

    history = [(at("2026-02-01"), "final_interview"), (at("2026-02-10"), "offer"), (at("2026-02-15"), "declined"),
               (at("2026-03-01"), "offer"), (at("2026-03-04"), "accepted")]
    assert reached_final_stretch(history, at("2026-03-04")) == at("2026-03-01")
    assert reached_final_stretch(history[:3], at("2026-02-15")) == at("2026-02-01")


def test_the_closing_day_keeps_the_cadence_of_the_stage_before():
    history = [(at("2026-04-01"), "offer"), (at("2026-04-10"), "declined")]
    within, days = days_within_cadence(at("2026-04-01"), at("2026-04-10"), [], history, DEFAULT_CADENCE)
    assert (within, days) == (2, 9)  # 04-02 and 04-03 within two days of the offer; 04-04 to 04-10 overdue
