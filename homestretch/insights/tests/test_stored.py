"""The practice measures kept in the database (PracticeMeasure) give the very figures computed from scratch:
with nothing stored, with every measure stored, read by a fresh process, and after a write changes one."""

from __future__ import annotations

from datetime import date, timedelta

from homestretch.insights import figures
from homestretch.insights.figures import Filters, forget_practice, insights
from homestretch.insights.models import PracticeMeasure

from .builders import at, build

PERIOD = Filters(date(2026, 1, 1), date(2026, 11, 20))


def _from_scratch(now) -> dict:
    """The figures with nothing remembered in the process and nothing stored (the definition itself)."""
    forget_practice(stored_too=True)
    return insights(PERIOD, now=now).as_dict()


def _measures() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in PracticeMeasure.objects.values_list(
        "application_id", "key", "days_in_cadence", "days_measured", "touches", "touches_asking")}


def test_stored_measures_give_the_figures_computed_from_scratch(alice, bob, charlie, now,
                                                                django_assert_max_num_queries):
    org = build(alice, bob, charlie)
    scratch = _from_scratch(now)
    answered = {a.application_id for a in figures.load_offered(PERIOD, now, measure=False) if a.answer}
    stored = _measures()
    assert answered <= set(stored)  # the cold read wrote every answered application's measure back
    assert any(measure[1] for measure in stored.values())  # and they measured days, not zeros

    # A fresh process (nothing remembered) reads the stored measures in one query, reads no touch.
    forget_practice()
    with django_assert_max_num_queries(3):  # the applications, the competing offers, the stored measures
        fresh = insights(PERIOD, now=now).as_dict()
    assert fresh == scratch
    # Warm in the process too: no query for the measures at all.
    with django_assert_max_num_queries(2):
        assert insights(PERIOD, now=now).as_dict() == scratch

    # A touch added (its application's generation raised) is measured again and written back.
    from homestretch.pipeline import changes
    from homestretch.pipeline.models import Touchpoint

    sam = org.applications["Started Sam"]
    before = _measures()[sam.pk]
    generation = type(sam).objects.get(pk=sam.pk).generation
    Touchpoint.objects.create(candidate_id=sam.candidate_id, application=sam, at=at("2026-03-25", 11),
                              channel="call", direction="outbound", competition_asked=True,
                              competition_answer="none")
    changes.touches_changed(application_ids=[sam.pk])
    assert type(sam).objects.get(pk=sam.pk).generation > generation
    forget_practice()  # another process: only the stored rows to go by
    after_write = insights(PERIOD, now=now).as_dict()
    rewritten = _measures()[sam.pk]
    assert rewritten[0] != before[0]  # the new key, written back
    assert (rewritten[3], rewritten[4]) == (before[3] + 1, before[4] + 1)  # the touch is in the measure
    assert after_write == _from_scratch(now)
    assert _measures()[sam.pk] == rewritten  # from scratch measures what was written back


def test_a_stored_measure_that_no_longer_holds_is_not_read(alice, bob, charlie, now):
    org = build(alice, bob, charlie)
    scratch = _from_scratch(now)
    # A row with a key from another generation (or a raw write of the table) is never taken for the measure.
    PracticeMeasure.objects.update(days_in_cadence=0, days_measured=1, touches=99, touches_asking=99)
    for pk, key in PracticeMeasure.objects.values_list("application_id", "key"):
        PracticeMeasure.objects.filter(pk=pk).update(key=key.replace(":v1:", ":v0:"))
    forget_practice()
    assert insights(PERIOD, now=now).as_dict() == scratch
    assert not PracticeMeasure.objects.filter(touches=99).exists()  # every one measured again, written back
    assert len(org.applications) > 0


def test_an_acceptance_waiting_for_its_start_is_measured_again_the_next_day(alice, bob, charlie, now):
    build(alice, bob, charlie)
    insights(PERIOD, now=now)
    keys = dict(PracticeMeasure.objects.values_list("application_id", "key"))
    tomorrow = now + timedelta(days=1)
    forget_practice()
    next_day = insights(PERIOD, now=tomorrow).as_dict()
    changed = {pk for pk, key in PracticeMeasure.objects.values_list("application_id", "key") if keys[pk] != key}
    assert changed  # the waiting acceptances' keys hold the day
    assert all(key.endswith(f":{figures._practice_rules()}") for key in keys.values())
    assert next_day == _from_scratch(tomorrow)


def test_the_worker_refresh_stores_what_the_default_view_needs(alice, bob, charlie, now,
                                                              django_assert_max_num_queries):
    import threading

    from homestretch.integrations.worker import run_worker

    build(alice, bob, charlie)
    run_worker(0, threading.Event(), clock=lambda: now, runs=1)
    assert PracticeMeasure.objects.exists()
    assert figures.refresh(now) == 0  # current: nothing to measure again
    forget_practice()
    start, end = figures.default_period(now.date())
    with django_assert_max_num_queries(3):  # the day's first view after a worker pass reads no touch
        first_view = insights(Filters(start, end), now=now).as_dict()
    forget_practice(stored_too=True)
    assert first_view == insights(Filters(start, end), now=now).as_dict()
