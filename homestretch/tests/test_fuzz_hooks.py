"""The fuzz test's ST302 check (fuzz_hooks.created_resource_available) accepts two 404s for a record the run
created. Each acceptance rests on what the API answers; these tests hold the API to it, through real requests,
so that the hook cannot hide a record that is really lost.

CI once failed on `POST /applications` then `DELETE /applications/{id}` answering 404: the run had deleted the
application's candidate in between, which deletes their applications (docs/api.md). Schemathesis' own check
counts only a DELETE of the same path.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from homestretch.pipeline.models import Application, Candidate, Client, Job
from homestretch.tests.api_client import ApiClient, assert_problem
from homestretch.tests.fuzz_hooks import names_a_field_of_the_body, went_with_its_candidate


@pytest.fixture
def created(ada, alice):
    """An application created over the API, as the fuzzer creates one: its response body."""
    job = Job.objects.create(client=Client.objects.create(name="Globex"), title="Engineer",
                             base_min=Decimal("60000"), base_max=Decimal("90000"))
    candidate = Candidate.objects.create(name="Grace", email="grace@example.org")
    response = ApiClient(ada).post("/applications", {"candidate_id": candidate.pk, "job_id": job.pk,
                                                     "recruiter_id": alice.pk, "stage": "screening"})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_an_application_goes_with_its_deleted_candidate_and_only_then_is_accepted(ada, created):
    api = ApiClient(ada)
    candidate = str(created["candidate_id"])
    assert not went_with_its_candidate(created, {"application_id": created["id"]}, {}, set())
    assert not went_with_its_candidate(created, {}, {}, {str(created["candidate_id"] + 1)})
    assert api.delete(f"/candidates/{candidate}").status_code == 204

    problem = assert_problem(api.delete(f"/applications/{created['id']}"), 404)
    assert not Application.objects.filter(pk=created["id"]).exists()
    assert not names_a_field_of_the_body(problem)  # the record in the path is gone: only the cascade explains it
    assert went_with_its_candidate(created, {"application_id": created["id"]}, {}, {candidate})


@pytest.mark.django_db
def test_an_offer_goes_with_its_applications_deleted_candidate(ada, created):
    """A record under an application (an offer: no `candidate_id` of its own) goes with the application's
    candidate, known from the application the run created."""
    api = ApiClient(ada)
    offer = api.post(f"/applications/{created['id']}/offers", {"base": "80000", "currency": "EUR"})
    assert offer.status_code == 201, offer.content
    candidate, applications = str(created["candidate_id"]), {str(created["id"]): str(created["candidate_id"])}
    assert api.get(f"/applications/{created['id']}/offers").status_code == 200
    assert api.delete(f"/candidates/{candidate}").status_code == 204

    assert_problem(api.get(f"/applications/{created['id']}/offers"), 404)
    path = {"application_id": created["id"]}
    assert went_with_its_candidate(offer.json(), path, applications, {candidate})
    assert not went_with_its_candidate(offer.json(), path, {}, {candidate})  # whose, unknown: not accepted
    assert not went_with_its_candidate(offer.json(), path, applications, set())


@pytest.mark.django_db
def test_a_404_about_a_record_the_body_names_is_accepted_and_one_about_the_path_is_not(ada, created):
    api = ApiClient(ada)
    problem = assert_problem(api.patch(f"/applications/{created['id']}", {"recruiter_id": 424242}), 404,
                             field="recruiter_id")
    assert names_a_field_of_the_body(problem)
    assert Application.objects.filter(pk=created["id"]).exists()

    assert api.delete(f"/applications/{created['id']}").status_code == 204
    gone = assert_problem(api.patch(f"/applications/{created['id']}", {"lessons": "x"}), 404)
    assert not names_a_field_of_the_body(gone)
    assert not names_a_field_of_the_body(None) and not names_a_field_of_the_body({"errors": [{"field": ""}]})
