"""The API's lists built from values without validating them again (lib/api.py `paginate_values`): each says
exactly what validating the same records through its schema says, counts its total only when the page
does not tell it, and reads a page in a fixed number of queries (issue 18, Speed)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from ninja.renderers import JSONRenderer

from homestretch.lib.api import Page
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Candidate, Client, Job, Touchpoint
from homestretch.pipeline.schemas import ApplicationOut, CandidateOut, ClientOut, JobOut, TouchpointOut
from homestretch.tests.api_client import ApiClient


@pytest.fixture
def as_alice(alice):
    return ApiClient(alice)


@pytest.fixture
def pipeline(alice, job, now):
    """Applications at several stages, open and closed, with touches and candidates with pay."""
    Job.objects.create(client_id=job.client_id, title="Data Engineer", base_min=Decimal("70000.5"),
                       base_max=None, currency="EUR")
    applications = []
    for n, stage in enumerate(["sourced", "screening", "offer", "final_interview", "accepted"]):
        candidate = Candidate.objects.create(name=f"Candidate {n}", current_base=Decimal(60000 + n),
                                             current_currency="EUR", years_experience=n or None,
                                             consent_to_contact=bool(n % 2))
        applications.append(services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice,
                                                      at=now - timedelta(days=n), stage=stage))
    services.move_stage(applications[1].pk, services.StageMove(to_stage="withdrawn", reason="Took another offer",
                                                               loss_reason="competing_offer"), by=alice, at=now)
    for minutes in range(3):
        services.log_touchpoint(Touchpoint(
            application=applications[2], candidate_id=applications[2].candidate_id, recruiter=alice,
            at=now - timedelta(minutes=minutes), channel="call", direction="outbound", interest=3 + minutes % 2,
            competition_asked=minutes == 0, competition_answer="disclosed" if minutes == 0 else ""))
    return applications


def validated(schema, records, *, count: int, limit: int, offset: int = 0) -> bytes:
    """The page as ninja made it before: the model rows validated through the schema, then rendered."""
    page = Page[schema].model_validate({"count": count, "limit": limit, "offset": offset, "items": list(records)})
    return JSONRenderer().render(HttpRequest(), page.model_dump(), response_status=200).encode()


@pytest.mark.parametrize("path,schema,records,params", [
    ("/clients", ClientOut, lambda: Client.objects.order_by("name", "id"), {}),
    ("/jobs", JobOut, lambda: Job.objects.order_by("-created_at", "-id"), {"ordering": "-created_at"}),
    ("/candidates", CandidateOut, lambda: Candidate.objects.order_by("name", "id"), {}),
    ("/applications", ApplicationOut, lambda: Application.objects.order_by("-created_at", "-id"), {}),
    ("/applications", ApplicationOut,
     lambda: Application.objects.exclude(stage__in=["withdrawn"]).order_by("stage_entered_at", "id"),
     {"is_open": "true", "ordering": "stage_entered_at"}),
])
def test_a_list_says_what_validating_its_records_says(as_alice, pipeline, path, schema, records, params):
    expected = records()
    response = as_alice.get(path, limit=50, **params)
    # Byte for byte: the moments (to the millisecond, "Z" for UTC), the amounts, the keys' order.
    assert response.content == validated(schema, expected, count=len(expected), limit=50)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content)["items"], "the comparison is about rows"


def test_touchpoints_list_says_what_validating_them_says(as_alice, pipeline):
    application = pipeline[2]
    touches = Touchpoint.objects.filter(application=application).order_by("-at", "-id")
    response = as_alice.get(f"/applications/{application.pk}/touchpoints", limit=2)
    assert response.content == validated(TouchpointOut, touches[:2], count=3, limit=2)


def test_touchpoints_are_read_without_looking_the_application_up_unless_there_are_none(as_alice, pipeline):
    with_touches = pipeline[2]
    with CaptureQueriesContext(connection) as captured:
        assert as_alice.get(f"/applications/{with_touches.pk}/touchpoints", limit=2).json()["count"] == 3
    assert not any('FROM "pipeline_application"' in q["sql"] for q in captured.captured_queries)
    # No touch: the application is looked up, and it exists: an empty page, not a 404.
    untouched = next(a for a in pipeline if not Touchpoint.objects.filter(application=a).exists())
    with CaptureQueriesContext(connection) as captured:
        empty = as_alice.get(f"/applications/{untouched.pk}/touchpoints", limit=2)
    assert (empty.status_code, empty.json()["count"], empty.json()["items"]) == (200, 0, [])
    assert any('FROM "pipeline_application"' in q["sql"] for q in captured.captured_queries)


def test_an_application_page_says_each_outcome_as_the_model_does(as_alice, pipeline):
    items = as_alice.get("/applications", limit=50).json()["items"]
    outcomes = {item["id"]: item["outcome"] for item in items}
    assert outcomes == {a.pk: str(a.outcome) for a in Application.objects.all()}
    assert set(outcomes.values()) >= {"ongoing", "lost"}


def _list_queries(captured) -> list[str]:
    """The statements a list sent about its rows (the token's own are not the list's)."""
    return [q["sql"] for q in captured.captured_queries if "accounts_" not in q["sql"]]


def test_the_total_is_counted_only_when_the_page_does_not_tell_it(as_alice, pipeline):
    def get(**params):
        with CaptureQueriesContext(connection) as captured:
            body = as_alice.get("/applications", **params).json()
        statements = _list_queries(captured)
        return body, len(statements), sum(sql.count("COUNT(") for sql in statements)

    # On PostgreSQL the page and the count go to the server together, in one round trip, whatever the page
    # (lib/bulk_python.value_rows_and_count); the total is still the page's own where the page tells it.
    together = connection.vendor == "postgresql"
    # Five applications on a page of fifty end the list: the page alone.
    assert get(limit=50)[0]["count"] == 5 and get(limit=50)[1:] == ((1, 1) if together else (1, 0))
    # A full page may not be the last: the total is counted.
    full, statements, counts = get(limit=2, offset=2)
    assert (full["count"], len(full["items"]), statements, counts) == (5, 2, 1 if together else 2, 1)
    # The last, partial page tells its total: its offset plus its rows.
    last, statements, counts = get(limit=2, offset=4)
    assert (last["count"], len(last["items"]), statements, counts) == (5, 1, 1, 1 if together else 0)
    # Past the end nothing tells the total: it is counted.
    past, statements, counts = get(limit=2, offset=40)
    assert (past["count"], past["items"], statements, counts) == (5, [], 1 if together else 2, 1)
    assert get(limit=2, is_open="false")[0]["count"] == 1
    assert get(limit=2, is_open="true")[0]["count"] == 4


def test_ties_are_broken_by_id_in_the_ordering_direction(as_alice, alice, job, now):
    same_moment = now - timedelta(hours=3)
    ids = []
    for n in range(3):
        candidate = Candidate.objects.create(name=f"Twin {n}")
        ids.append(services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice,
                                             at=same_moment).pk)
    newest_first = [item["id"] for item in as_alice.get("/applications", ordering="-created_at").json()["items"]]
    oldest_first = [item["id"] for item in as_alice.get("/applications", ordering="created_at").json()["items"]]
    assert newest_first == sorted(ids, reverse=True) and oldest_first == sorted(ids)


def test_a_page_of_candidates_reads_two_queries_however_many_rows(as_alice):
    Candidate.objects.bulk_create([Candidate(name=f"C{n:03}") for n in range(120)])
    with CaptureQueriesContext(connection) as captured:
        body = as_alice.get("/candidates", limit=100).json()
    # The page, the total: on PostgreSQL sent together, in one round trip.
    assert len(_list_queries(captured)) == (1 if connection.vendor == "postgresql" else 2)
    assert body["count"] == 120 and [c["name"] for c in body["items"]][:2] == ["C000", "C001"]
