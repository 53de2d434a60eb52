"""GET /agenda returns exactly the agenda's JSON (AgendaItem.as_dict())."""

from __future__ import annotations

from datetime import timedelta, timezone

from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from ninja.renderers import JSONRenderer
from pydantic import TypeAdapter

from homestretch.agenda.schemas import AgendaItemOut
from homestretch.agenda.services import agenda
from homestretch.pipeline import services
from homestretch.pipeline.models import Candidate, Touchpoint
from homestretch.tests.api_client import ApiClient, assert_problem


def test_agenda_is_exactly_the_agenda_json(alice, charlie, application, job, now, django_assert_max_num_queries):
    other = Candidate.objects.create(name="Kai")
    services.open_application(candidate=other, job=job, recruiter=charlie, by=charlie,
                              at=now - timedelta(days=9), stage="offer")
    later = now + timedelta(days=6)
    api = ApiClient(alice)
    response = api.get("/agenda", on=later.date().isoformat(), at=later.isoformat())
    assert response.status_code == 200
    expected = [item.as_dict() for item in agenda(later.date(), now=later)]
    assert expected and response.json() == expected
    mine = api.get("/agenda", on=later.date().isoformat(), at=later.isoformat(), recruiter=alice.pk).json()
    assert mine == [item.as_dict() for item in agenda(later.date(), now=later, recruiter_id=alice.pk)]
    assert {item["application_id"] for item in mine} == {application.pk}


def test_agenda_query_count_does_not_grow_with_applications(alice, job, now, django_assert_max_num_queries):
    api = ApiClient(alice)
    for n in range(15):
        candidate = Candidate.objects.create(name=f"C{n}")
        services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=now,
                                  stage="final_interview")
    later = now + timedelta(days=5)
    with django_assert_max_num_queries(20) as captured:
        items = api.get("/agenda", at=later.isoformat()).json()
    assert len(items) == 15
    few = len(captured.captured_queries)
    for n in range(15, 30):
        candidate = Candidate.objects.create(name=f"C{n}")
        services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=now,
                                  stage="final_interview")
    with django_assert_max_num_queries(few):
        assert len(api.get("/agenda", at=later.isoformat()).json()) == 30


def test_agenda_of_a_recruiter_or_team_that_does_not_exist_is_404(alice):
    # A well-formed id the document cannot know to be missing: not bad input (422) but no such page.
    assert_problem(ApiClient(alice).get("/agenda", recruiter=987654), 404)
    assert_problem(ApiClient(alice).get("/agenda", team=987654), 404)


def test_an_agenda_with_items_does_not_ask_whether_its_recruiter_exists(alice, bob, application, now):
    """Its items are that recruiter's applications: the check for a missing one is only made for an empty
    agenda (which stays 200 for someone who exists). On PostgreSQL the whole agenda is four statements:
    the token, the applications, the loader's other reads in one round trip, the teams' cadences."""
    later = now + timedelta(days=6)
    api = ApiClient(alice)
    assert api.get("/agenda", at=later.isoformat(), recruiter=bob.pk).json() == []
    assert api.get("/agenda", at=later.isoformat(), team=bob.team_id).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        mine = api.get("/agenda", at=later.isoformat(), recruiter=alice.pk, team=alice.team_id).json()
    assert [item["application_id"] for item in mine] == [application.pk]
    assert not [query for query in captured.captured_queries
                if 'AS "a" FROM "accounts_user"' in query["sql"] or 'AS "a" FROM "accounts_team"' in query["sql"]]
    if connection.vendor == "postgresql":
        assert len(captured) == 4, [query["sql"][:80] for query in captured.captured_queries]


def test_agenda_bad_input(alice):
    api = ApiClient(alice)
    assert_problem(api.get("/agenda", on="2026-13-01"), 422, "on")
    assert_problem(api.get("/agenda", on="0"), 422, "on")
    assert_problem(api.get("/agenda", on="2999-01-01"), 422, "on")
    assert_problem(api.get("/agenda", at="yesterday"), 422, "at")
    assert_problem(ApiClient().get("/agenda"), 401)


def test_a_moment_with_an_offset_postgresql_cannot_hold_is_the_same_moment_in_utc(alice, application, now):
    # Found by the fuzz test on PostgreSQL: an offset past ±15:59 (valid ISO 8601, read by Python) was
    # sent to the database as is and refused there (a 500). The API reads it as the same moment in UTC.
    api = ApiClient(alice)
    later = now + timedelta(days=6)
    far_west = later.astimezone(timezone(-timedelta(hours=17, minutes=20)))
    response = api.get("/agenda", on=far_west.date().isoformat(), at=far_west.isoformat())
    assert response.status_code == 200
    assert response.json() == api.get("/agenda", on=far_west.date().isoformat(), at=later.isoformat()).json()
    assert ApiClient(alice).get(f"/applications/{application.pk}/risk", at=far_west.isoformat()).status_code == 200


def test_agenda_body_is_what_validating_it_through_its_schema_makes(alice, charlie, application, job, now):
    """The agenda is sent without validating it again (lib/api.py `already_shaped`): its body must be
    byte for byte what ninja made of it through `AgendaItemOut`, risks, reasons and actions included."""
    other = Candidate.objects.create(name="Kai")
    services.open_application(candidate=other, job=job, recruiter=charlie, by=charlie,
                              at=now - timedelta(days=9), stage="offer")
    services.log_touchpoint(Touchpoint(application=application, candidate_id=application.candidate_id,
                                       recruiter=alice, at=now, channel="call", direction="outbound", interest=2,
                                       competition_asked=True, competition_answer="declined_to_say"))
    later = now + timedelta(days=6)
    response = ApiClient(alice).get("/agenda", on=later.date().isoformat(), at=later.isoformat())
    items = [item.as_dict() for item in agenda(later.date(), now=later)]
    assert any(item["risk"] and item["risk"]["reasons"] for item in items) and any(item["actions"] for item in items)
    validated = TypeAdapter(list[AgendaItemOut]).validate_python(items)
    as_ninja_sends_it = JSONRenderer().render(HttpRequest(), [item.model_dump() for item in validated],
                                             response_status=200)
    assert response.content.decode() == as_ninja_sends_it
    assert response["Content-Type"] == "application/json; charset=utf-8"
