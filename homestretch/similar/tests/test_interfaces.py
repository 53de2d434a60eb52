"""Similar past searches on the command line, in the API and on the job page."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.similar.search import MIN_SIMILARITY
from homestretch.tests.api_client import ApiClient, assert_problem

from .builders import make_application, make_job
from .conftest import OPENED

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_cli_json_lists_the_similar_jobs_with_what_they_taught(new_job, past_search):
    result = runner.invoke(app, ["similar", str(new_job.pk), "--format", "json"])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)
    assert found["job_id"] == past_search.pk and found["score"] == 0.9
    assert found["outcomes"]["started"] == 1 and found["outcomes"]["declined"] == 1
    assert found["pay_seen"]["our_offers"][0]["median"] == "85000.00"
    assert [w["company"] for w in found["competitors_won"]] == ["Globex", "Initech"]
    assert found["lessons"][0] == {"text": "The client's band was 10% under the market.", "application_id": None}


def test_cli_table_shows_each_similar_job(new_job, past_search):
    result = runner.invoke(app, ["similar", str(new_job.pk), "--limit", "3"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ ")]
    assert rows[0].split("│")[1].strip() == str(past_search.pk)
    assert rows[0].split("│")[2].strip() == "0.90"
    assert "Globex" in result.stdout


def test_cli_says_so_when_nothing_is_similar(past_search):
    chef = make_job("Pastry Chef", "Baking", status="open")
    result = runner.invoke(app, ["similar", str(chef.pk)])
    assert result.exit_code == 0 and "No close match: no closed job is at least 0.40 similar" in result.stdout
    assert json.loads(runner.invoke(app, ["similar", str(chef.pk), "--format", "json"]).stdout) == []


def test_cli_unknown_job_and_bad_limit_fail_clearly(db):
    unknown = runner.invoke(app, ["similar", "424242"])
    assert unknown.exit_code == 2 and "no job with id 424242" in unknown.output
    bad_limit = runner.invoke(app, ["similar", "1", "--limit", "0"])
    assert bad_limit.exit_code == 2 and "--limit" in bad_limit.output


def test_api_answers_the_similar_jobs(victor, new_job, past_search):
    response = ApiClient(victor).get(f"/jobs/{new_job.pk}/similar", limit=3)  # a viewer reads
    assert response.status_code == 200, response.content
    [found] = response.json()
    assert set(found) == {"job_id", "score", "client", "title", "seniority", "location", "status", "closed_on",
                          "outcomes", "decline_reasons", "pay_seen", "competitors_won", "lessons"}
    assert found["job_id"] == past_search.pk and found["closed_on"] == "2026-06-01"
    assert found["pay_seen"]["competing_offers"][1] == {
        "currency": "USD", "period": "year", "n": 1, "min": "100000.00", "median": "100000.00", "max": "100000.00",
        # No dated USD→EUR rate in the admin's table: not converted, and said why (issue 22).
        "converted": None,
        "not_converted_because": "no USD→EUR rate in the rate table dated between 2025-05-31 and 2026-06-01"}


def test_api_refuses_unknown_jobs_bad_limits_and_missing_tokens(alice, new_job):
    as_alice = ApiClient(alice)
    body = assert_problem(as_alice.get("/jobs/424242/similar"), 404)
    assert "424242" in body["detail"]
    assert_problem(as_alice.get(f"/jobs/{new_job.pk}/similar", limit=0), 422, "limit")
    assert_problem(as_alice.get(f"/jobs/{new_job.pk}/similar", limit="many"), 422, "limit")
    assert_problem(ApiClient().get(f"/jobs/{new_job.pk}/similar"), 401)
    assert_problem(ApiClient(raw_token="hs_not-a-token").get(f"/jobs/{new_job.pk}/similar"), 401)


def test_job_page_shows_similar_past_searches_with_links(client, alice, new_job, past_search):
    client.force_login(alice)
    page = client.get(reverse("job", kwargs={"job_id": new_job.pk})).content.decode()
    assert "Similar past searches" in page
    section = page[page.index('id="similar"'):]
    assert f'href="{reverse("job", kwargs={"job_id": past_search.pk})}"' in section
    for seen in ("5 applications: 1 started, 1 declined", "82,000 – 90,000 EUR a year, median 85,000",
                 "70,000 – 95,000 EUR a year, median 88,000", "Globex", "Initech (counteroffer)",
                 "Competing offer × 1", "The client&#x27;s band was 10% under the market."):
        assert seen in section, seen


def test_job_page_says_when_no_past_search_is_similar(client, alice, new_job):
    client.force_login(alice)
    page = client.get(reverse("job", kwargs={"job_id": new_job.pk})).content.decode()
    assert "No close match: no closed job is at least 0.40 similar to this one" in page
    assert f"{MIN_SIMILARITY:.2f}" == "0.40"  # the page states the threshold the search applies


def test_job_page_queries_do_not_grow_with_similar_history(client, alice, new_job, past_search,
                                                            django_assert_max_num_queries):
    client.force_login(alice)
    url = reverse("job", kwargs={"job_id": new_job.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    few_queries = len(few)  # now: the next request empties the query log that `few` reads
    for i in range(8):
        twin = make_job("Senior Data Engineer", "Python, Spark, Airflow", client=f"Client {i}", location="Oslo")
        for stage in ("started", "declined", "rejected"):
            make_application(twin, f"Twin {i} {stage}", stage, recruiter=alice, opened=OPENED,
                             loss_reason="compensation" if stage == "declined" else "", lessons="a lesson")
    client.get(url)  # the index is rebuilt once after the new closed jobs
    with django_assert_max_num_queries(few_queries):
        response = client.get(url)
    assert len(response.context["similar"]) == 5
