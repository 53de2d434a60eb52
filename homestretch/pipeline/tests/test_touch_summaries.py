"""The stored touch summaries always equal the reduction of the touchpoints themselves, whatever
is saved, edited, moved or deleted through the services (or written in bulk and named to
pipeline.changes), and the risk loader reads them only when that is exact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homestretch.demo.generator import generate
from homestretch.pipeline import changes, services, touch_summaries
from homestretch.pipeline.models import Application, Candidate, Touchpoint, TouchSummary
from homestretch.risk.loader import load_facts

pytestmark = pytest.mark.django_db


def everything_aggregated():
    return touch_summaries.aggregate(Application.objects.values("id"), Candidate.objects.values("id"))


def everything_stored():
    return touch_summaries.stored(Application.objects.values("id"), Candidate.objects.values("id"))


def touch(application, at, **fields):
    return services.log_touchpoint(Touchpoint(application=application, at=at, channel="call",
                                              direction=fields.pop("direction", "outbound"), **fields))


def test_the_demo_stores_what_its_touches_add_up_to(now):
    generate("small", 1, now=now)
    stored = everything_stored()
    assert len(stored) > 250  # every application with a touch, and candidates' lone touches
    assert any(isinstance(owner, tuple) for owner in stored)
    assert stored == everything_aggregated()


def test_scoring_now_from_the_stored_summaries_equals_aggregating_the_touches(now):
    generate("small", 1, now=now)
    at = now + timedelta(hours=1)
    assert not touch_summaries.any_touch_after(at)
    from_table = load_facts(at, scored_only=False)
    # A touch logged ahead of time (a meeting booked for tomorrow) sends the loader to the touches.
    ahead = Touchpoint.objects.create(candidate=Candidate.objects.first(), at=at + timedelta(days=1),
                                      channel="meeting", direction="outbound")
    assert touch_summaries.any_touch_after(at)
    assert load_facts(at, scored_only=False) == from_table
    ahead.delete()
    assert everything_stored() == everything_aggregated()


def test_saving_editing_moving_and_deleting_touches_keeps_the_summaries(application, alice, job, now):
    other = services.open_application(candidate=Candidate.objects.create(name="Other Person"), job=job,
                                      recruiter=alice, by=alice, at=now)
    first = touch(application, now - timedelta(days=3), interest=4, competition_asked=True,
                  competition_answer="none")
    touch(application, now - timedelta(days=1), interest=2, direction="inbound")
    summary = TouchSummary.objects.get(application=application)
    assert (summary.touchpoints, summary.latest_interest, summary.previous_interest) == (2, 2, 4)
    assert summary.last_competition_answer == "none"
    assert summary.last_inbound_at == now - timedelta(days=1)

    first.competition_answer = "declined_to_say"
    services.log_touchpoint(first)
    assert TouchSummary.objects.get(application=application).last_competition_answer == "declined_to_say"

    first.application = other  # logged on the wrong application, then moved
    first.candidate = other.candidate
    services.log_touchpoint(first)
    assert TouchSummary.objects.get(application=application).touchpoints == 1
    assert TouchSummary.objects.get(application=application).last_competition_asked_at is None
    assert TouchSummary.objects.get(application=other).touchpoints == 1

    services.delete_touchpoint(first)
    assert not TouchSummary.objects.filter(application=other).exists()
    assert everything_stored() == everything_aggregated()


def test_lone_touches_and_cascades(application, candidate, now):
    services.log_touchpoint(Touchpoint(candidate=candidate, at=now - timedelta(days=2), channel="email",
                                       direction="inbound", status_update_given=True))
    assert TouchSummary.objects.get(candidate=candidate).last_status_update_at == now - timedelta(days=2)
    touch(application, now - timedelta(days=1))
    Application.objects.filter(pk=application.pk).delete()  # a queryset delete cascades to the touches
    assert not TouchSummary.objects.filter(application_id=application.pk).exists()
    assert TouchSummary.objects.filter(candidate=candidate).exists()
    candidate.delete()
    assert not TouchSummary.objects.exists()


def test_a_bulk_load_named_to_changes_keeps_the_summaries(application, alice, job, now):
    """A bulk writer (the demo's loader, an import) inserts around the services, then names what it wrote."""
    other = services.open_application(candidate=Candidate.objects.create(name="Other Person"), job=job,
                                      recruiter=alice, by=alice, at=now)
    touch(application, now - timedelta(days=9), interest=5)
    Touchpoint.objects.bulk_create([
        *(Touchpoint(application=owner, candidate_id=owner.candidate_id, at=now - timedelta(days=day), channel="call",
                     direction="inbound", interest=day % 5 + 1, competition_asked=day % 2 == 0,
                     competition_answer="none" if day % 2 == 0 else "")
          for owner in (application, other) for day in range(1, 4)),
        Touchpoint(candidate=other.candidate, at=now - timedelta(hours=2), channel="email", direction="inbound",
                   status_update_given=True),
    ])
    assert everything_stored() != everything_aggregated()  # written around the services: behind
    changes.touches_changed(application_ids=Application.objects.values("id"),
                            candidate_ids=Candidate.objects.values("id"))
    assert everything_stored() == everything_aggregated()
    assert TouchSummary.objects.get(application=application).touchpoints == 4


def test_one_touch_costs_a_bounded_number_of_queries(application, now, django_assert_max_num_queries):
    for day in range(30):
        touch(application, now - timedelta(days=40 - day))
    # Validation (9), the insert, then the summary of its application: 4 reads and writes, not 31.
    with django_assert_max_num_queries(20):
        touch(application, now)


operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "add_lone", "edit", "move", "delete"]),
        st.integers(min_value=0, max_value=50),  # which touch / which day
        st.integers(min_value=1, max_value=5),  # interest
        st.booleans(),  # asked about competition
    ),
    min_size=1, max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_of_changes_leaves_the_stored_summaries_exact(ops, application, alice, job, now):
    second = Application.objects.filter(job=job).exclude(pk=application.pk).first() or services.open_application(
        candidate=Candidate.objects.create(name="Second Person"), job=job, recruiter=alice, by=alice, at=now)
    apps = [application, second]
    for op, n, interest, asked in ops:
        touches = list(Touchpoint.objects.order_by("pk"))
        at = now - timedelta(hours=n * 7)
        answer = "disclosed" if asked else ""
        if op == "add":
            touch(apps[n % 2], at, interest=interest, competition_asked=asked, competition_answer=answer)
        elif op == "add_lone":
            services.log_touchpoint(Touchpoint(candidate=apps[n % 2].candidate, at=at, channel="email",
                                               direction="inbound", competition_asked=asked,
                                               competition_answer=answer))
        elif touches and op == "edit":
            chosen = touches[n % len(touches)]
            chosen.at, chosen.interest = at, interest if chosen.application_id else None
            services.log_touchpoint(chosen)
        elif touches and op == "move":
            chosen = touches[n % len(touches)]
            target = apps[(n + 1) % 2]
            chosen.application, chosen.candidate = target, target.candidate
            services.log_touchpoint(chosen)
        elif touches and op == "delete":
            services.delete_touchpoint(touches[n % len(touches)])
    assert everything_stored() == everything_aggregated()
    services.delete_touchpoints(Touchpoint.objects.all())
    assert not TouchSummary.objects.exists()
