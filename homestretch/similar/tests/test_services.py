"""similar_jobs over the database: which jobs, what they taught, the cache, the number of queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homestretch.pipeline.models import Job
from homestretch.similar.services import closed_jobs_index, similar_jobs

from .builders import make_application, make_competing, make_job, make_offer
from .conftest import OPENED

pytestmark = pytest.mark.django_db


def test_a_closed_job_like_the_new_one_is_found_with_what_it_taught(new_job, past_search):
    [found] = similar_jobs(new_job.pk)
    assert (found.job_id, found.client, found.status, found.location) == (
        past_search.pk, "Globex Analytics", "filled", "Munich")
    assert found.score == 0.9
    assert found.outcomes == {"applications": 5, "started": 1, "declined": 1, "reneged": 1, "withdrawn": 1,
                              "rejected": 1, "open": 0}
    assert [(r.code, r.label, r.n) for r in found.decline_reasons] == [
        ("compensation", "Compensation", 1), ("competing_offer", "Competing offer", 1),
        ("counteroffer", "Counteroffer", 1)]
    # Our offers: the latest revision of each (80,000 was superseded by 85,000).
    [ours] = found.our_offers
    assert (ours.currency, ours.period, ours.n, ours.min, ours.median, ours.max) == (
        "EUR", "year", 3, Decimal(82000), Decimal(85000), Decimal(90000))
    # Competing offers: never mixed across currencies; OldCo's, from another search, left out.
    assert [(p.currency, p.n, p.min, p.median, p.max) for p in found.competing_offers] == [
        ("EUR", 3, Decimal(70000), Decimal(88000), Decimal(95000)), ("USD", 1, Decimal(100000), Decimal(100000),
                                                                     Decimal(100000))]
    # Globex is named by our offer and by the competing offer: one win. Umbrella's candidate was rejected.
    assert [(w.company, w.wins, w.counteroffer, w.confidential) for w in found.competitors_won] == [
        ("Globex", 1, False, False), ("Initech", 1, True, True)]
    assert [lesson.text for lesson in found.lessons] == [
        "The client's band was 10% under the market.", "Ask for the competing deadline earlier."]


def test_as_dict_carries_amounts_as_decimal_strings(new_job, past_search):
    [found] = similar_jobs(new_job.pk)
    data = found.as_dict()
    assert data["pay_seen"]["our_offers"] == [
        {"currency": "EUR", "period": "year", "n": 3, "min": "82000.00", "median": "85000.00", "max": "90000.00",
         "converted": None, "not_converted_because": ""}]  # in the job's own currency: nothing to convert
    assert data["closed_on"] == "2026-06-01"
    assert data["competitors_won"][1] == {"company": "Initech", "wins": 1, "counteroffer": True, "confidential": True}


def test_open_jobs_and_the_job_itself_are_left_out(alice, new_job, past_search):
    make_job("Senior Data Engineer", "Python, Spark, Airflow", location="Berlin", status="open")
    assert [found.job_id for found in similar_jobs(new_job.pk)] == [past_search.pk]
    # A closed job can be asked about too, and does not find itself.
    assert similar_jobs(past_search.pk) == []


def test_the_planted_twin_beats_a_different_role_in_the_same_city(new_job, past_search):
    make_job("Frontend Developer", "React, TypeScript", location="Berlin")
    make_job("Data Engineer", "Python, Airflow", location="Berlin", seniority="mid")
    assert [found.title for found in similar_jobs(new_job.pk)] == ["Senior Data Engineer", "Data Engineer"]


def test_a_job_with_nothing_in_common_gets_an_empty_list(past_search):
    chef = make_job("Pastry Chef", "Baking", seniority="senior", location="Munich", status="open")
    assert similar_jobs(chef.pk) == []


def test_unknown_job_and_bad_limit_are_refused(new_job):
    with pytest.raises(Job.DoesNotExist, match="No job with id 424242"):
        similar_jobs(424242)
    for limit in (0, 51):
        with pytest.raises(ValueError, match="between 1 and 50"):
            similar_jobs(new_job.pk, limit=limit)


def test_the_index_is_reused_until_closed_jobs_change_and_rebuilt_when_a_job_closes(new_job, past_search):
    first = closed_jobs_index()
    assert closed_jobs_index() is first
    other = make_job("Senior Data Engineer", "Python, Spark, Airflow", location="Berlin", status="open")
    assert closed_jobs_index() is first  # an open job is not in the index
    assert [found.job_id for found in similar_jobs(new_job.pk)] == [past_search.pk]

    other.status, other.closed_on = "closed", other.created_at.date()
    other.save()
    assert closed_jobs_index() is not first
    assert [found.job_id for found in similar_jobs(new_job.pk)] == [other.pk, past_search.pk]

    # Editing a closed job's text is seen at the next search too.
    other.title, other.skills = "Pastry Chef", "Baking"
    other.save()
    assert [found.job_id for found in similar_jobs(new_job.pk)] == [past_search.pk]


def test_a_warm_search_does_not_read_the_closed_jobs_again(new_job, past_search):
    with CaptureQueriesContext(connection) as cold:
        similar_jobs(new_job.pk)
    with CaptureQueriesContext(connection) as warm:
        similar_jobs(new_job.pk)
    assert len(warm) == len(cold) - 1


def _more_history(alice, n: int, prefix: str) -> None:
    for i in range(n):
        job = make_job("Senior Data Engineer", "Python, Spark", client=f"Client {prefix}{i}", location="Hamburg")
        for j, stage in enumerate(("started", "declined", "withdrawn")):
            application = make_application(job, f"{prefix} {i} {j}", stage, recruiter=alice, opened=OPENED,
                                           loss_reason="" if stage == "started" else "compensation", lessons="note")
            make_offer(application, 80000 + i, status="accepted" if stage == "started" else "superseded")
            make_competing(application, f"Rival {i}", 90000, stage="accepted", learned=OPENED + timedelta(days=3))


def test_queries_are_bounded_whatever_the_number_of_jobs(alice, new_job, past_search,
                                                          django_assert_max_num_queries):
    _more_history(alice, 2, "few")
    similar_jobs(new_job.pk, limit=50)
    with CaptureQueriesContext(connection) as few:
        assert len(similar_jobs(new_job.pk, limit=50)) == 3
    _more_history(alice, 30, "many")
    # Cold (the index is rebuilt after the new closed jobs) reads the closed jobs once more.
    with django_assert_max_num_queries(len(few) + 1):
        assert len(similar_jobs(new_job.pk, limit=50)) == 33
    with django_assert_max_num_queries(len(few)):
        similar_jobs(new_job.pk, limit=50)
    assert len(few) <= 8  # seven, and the rate table: the past search saw a competing offer in USD
