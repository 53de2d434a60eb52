"""Candidate, job and client pages with their applications, and the candidate search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homestretch.front.tests.pages import application_at, many_applications, pages_at_now  # noqa: F401
from homestretch.pipeline.models import Candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


@pytest.fixture
def people(db):
    return [
        Candidate.objects.create(name="Priya Nair", email="priya@example.org", skills="Python, Django"),
        Candidate.objects.create(name="Tom Rust", email="tom@rustacean.dev", skills="Rust, Go"),
        Candidate.objects.create(name="Ana Lima", email="ana@example.org", skills="Kotlin"),
    ]


@pytest.mark.parametrize(("query", "found"), [
    ("priya", ["Priya Nair"]), ("RUSTACEAN", ["Tom Rust"]), ("django", ["Priya Nair"]),
    ("example.org", ["Ana Lima", "Priya Nair"]), ("", ["Ana Lima", "Priya Nair", "Tom Rust"]), ("nobody", []),
])
def test_search_finds_candidates_by_name_email_or_skill(client, alice, people, query, found):
    client.force_login(alice)
    response = client.get(reverse("candidates"), {"q": query})
    assert [c.name for c in response.context["candidates"]] == found


def test_search_keeps_the_query_in_the_box(client, alice, people):
    client.force_login(alice)
    assert 'value="&lt;b&gt;rust"' in client.get(reverse("candidates"), {"q": "<b>rust"}).content.decode()


def test_candidate_job_and_client_pages_list_their_applications(client, alice, job, now):
    application = application_at("Priya Nair", job, alice, "final_interview", entered=now - timedelta(days=5),
                                 last_call=now - timedelta(days=1))
    client.force_login(alice)
    link = reverse("application", kwargs={"application_id": application.pk})
    for page in (reverse("candidate", kwargs={"candidate_id": application.candidate_id}),
                 reverse("job", kwargs={"job_id": job.pk}), reverse("client", kwargs={"client_id": job.client_id})):
        response = client.get(page)
        assert response.status_code == 200, page
        assert link in response.content.decode(), page
        assert response.context["rows"][0]["risk"] is not None


def test_unknown_ids_are_not_found(client, alice):
    client.force_login(alice)
    for name, kwarg in (("candidate", "candidate_id"), ("job", "job_id"), ("client", "client_id")):
        assert client.get(reverse(name, kwargs={kwarg: 99999})).status_code == 404


def test_job_and_search_queries_do_not_grow_with_the_data(client, alice, job, now, django_assert_max_num_queries):
    client.force_login(alice)
    many_applications(job, alice, 5, now, "Few")
    pages = [reverse("job", kwargs={"job_id": job.pk}), reverse("client", kwargs={"client_id": job.client_id}),
             reverse("candidates") + "?q=Few"]
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as few:
            client.get(page)
        counts[page] = len(few)
    many_applications(job, alice, 30, now, "Many")
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            client.get(page)
