"""The pipeline over HTTP: clients, jobs, candidates, applications, stage moves, touchpoints."""

from __future__ import annotations

from decimal import Decimal

import pytest

from homestretch.pipeline.models import Application, Candidate, Client, Job, StageChange, Touchpoint
from homestretch.tests.api_client import ApiClient, assert_problem


@pytest.fixture
def as_alice(alice):
    return ApiClient(alice)


def test_client_create_read_update(as_alice):
    created = as_alice.post("/clients", {"name": "Initech", "size": "small"})
    assert created.status_code == 201
    client_id = created.json()["id"]
    assert as_alice.get(f"/clients/{client_id}").json()["name"] == "Initech"
    updated = as_alice.patch(f"/clients/{client_id}", {"industry": "Software"})
    assert updated.json()["industry"] == "Software" and updated.json()["name"] == "Initech"


def test_duplicate_client_name_is_a_conflict_with_the_field(as_alice, job):
    body = assert_problem(as_alice.post("/clients", {"name": "Acme Cloud"}), 409, "name")
    assert "already exists" in body["errors"][0]["message"]
    assert Client.objects.count() == 1


def test_recruiter_cannot_delete_a_client_admin_can_unless_jobs_refer_to_it(as_alice, ada, job):
    assert_problem(as_alice.delete(f"/clients/{job.client_id}"), 403)
    assert_problem(ApiClient(ada).delete(f"/clients/{job.client_id}"), 409)
    assert Client.objects.filter(pk=job.client_id).exists()


def test_job_fields_clients_rely_on(as_alice, job):
    body = as_alice.get(f"/jobs/{job.pk}").json()
    assert {k: body[k] for k in ("client_id", "title", "base_min", "base_max", "currency", "period",
                                 "remote_policy")} == {
        "client_id": job.client_id, "title": "Senior Backend Engineer", "base_min": "80000.00",
        "base_max": "95000.00", "currency": "EUR", "period": "year", "remote_policy": "hybrid"}


def test_job_band_min_above_max_is_refused_and_nothing_is_saved(as_alice, job):
    response = as_alice.post("/jobs", {"client_id": job.client_id, "title": "SRE", "base_min": "90000",
                                       "base_max": 80000, "currency": "EUR"})
    assert_problem(response, 422)
    assert Job.objects.count() == 1


@pytest.mark.parametrize("sent,stored", [({"base_min": "96000"}, "base_max"), ({"base_max": "79000"}, "base_min")])
def test_one_end_of_the_band_past_the_stored_other_is_a_conflict_on_the_field_sent(as_alice, job, sent, stored):
    """The body alone is valid; what the job holds refuses it: 409 (found by the fuzzer's stateful phase, which
    expected a schema-valid PATCH to be accepted or to conflict, not to be called bad input)."""
    response = as_alice.patch(f"/jobs/{job.pk}", sent)
    assert response.status_code == 409, response.content
    (field,) = sent
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert f"`{stored}`" in response.json()["errors"][0]["message"]
    job.refresh_from_db()
    assert (job.base_min, job.base_max) == (Decimal("80000"), Decimal("95000"))
    both = as_alice.patch(f"/jobs/{job.pk}", {"base_min": "96000", "base_max": "99000"})
    assert both.status_code == 200 and both.json()["base_min"] == "96000.00"
    assert as_alice.patch(f"/jobs/{job.pk}", {"base_min": "99500", "base_max": "99000"}).status_code == 422


def test_a_job_for_a_client_that_does_not_exist_is_404_on_the_field(as_alice, job):
    body = assert_problem(as_alice.post("/jobs", {"client_id": 999999, "title": "SRE"}), 404, "client_id")
    assert body["errors"] == [{"field": "client_id", "message": "No client with id 999999."}]
    assert Job.objects.count() == 1


@pytest.mark.parametrize("payload,field", [
    ({"client_id": "1", "title": "SRE"}, "client_id"),
    ({"title": "SRE"}, "client_id"),
    ({"client_id": 1, "title": "SRE", "currency": "XYZ"}, "currency"),
    ({"client_id": 1, "title": "SRE", "base_min": "12.345"}, "base_min"),
    ({"client_id": 1, "title": "SRE", "base_min": "NaN"}, "base_min"),
    ({"client_id": 1, "title": "x" * 201}, "title"),
    ({"client_id": 1, "title": "bad\x00title"}, "title"),
    ({"client_id": 1, "title": "SRE", "opened_on": "0001-01-01"}, "opened_on"),
    ({"client_id": 1, "title": "SRE", "opened_on": 0}, "opened_on"),
    ({"client_id": 1, "title": "SRE", "remote_policy": "sometimes"}, "remote_policy"),
])
def test_bad_job_input_names_the_field(as_alice, job, payload, field):
    assert_problem(as_alice.post("/jobs", payload), 422, field)
    assert Job.objects.count() == 1


@pytest.mark.parametrize("body", ["[1, 2]", "not json", "\x00", '"a string"'])
def test_a_body_that_is_not_a_json_object_is_400(as_alice, body):
    assert_problem(as_alice.request("post", "/clients", body), 400)


def test_lists_are_paginated_filtered_and_ordered(as_alice, job):
    for name in ("Zeta", "Alpha", "Mid"):
        Client.objects.create(name=name)
    page = as_alice.get("/clients", limit=2, offset=1, ordering="-name").json()
    assert page["count"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert [c["name"] for c in page["items"]] == ["Mid", "Alpha"]
    assert [c["name"] for c in as_alice.get("/clients", q="et").json()["items"]] == ["Zeta"]
    assert_problem(as_alice.get("/clients", limit=0), 422, "limit")
    assert_problem(as_alice.get("/clients", ordering="password"), 422, "ordering")


def test_application_list_query_count_does_not_grow_with_rows(as_alice, alice, job, now,
                                                              django_assert_max_num_queries):
    from homestretch.pipeline import services

    for n in range(30):
        candidate = Candidate.objects.create(name=f"C{n}")
        services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=now)
    with django_assert_max_num_queries(4):  # token, last use, count, page
        body = as_alice.get("/applications", stage="sourced", limit=100).json()
    assert body["count"] == 30 and len(body["items"]) == 30


def test_candidate_create_normalises_email_and_refuses_a_taken_one(as_alice, candidate):
    created = as_alice.post("/candidates", {"name": "Ravi", "email": " Ravi@Example.org "})
    assert created.status_code == 201 and created.json()["email"] == "ravi@example.org"
    body = assert_problem(as_alice.post("/candidates", {"name": "Other", "email": "PRIYA@example.org"}), 409)
    assert body["detail"] == "Another candidate already has this e-mail address."
    assert_problem(as_alice.post("/candidates", {"name": "X", "email": "not an email"}), 422, "email")


def test_application_recruiter_defaults_to_the_caller(as_alice, alice, job, candidate, now):
    response = as_alice.post("/applications", {"candidate_id": candidate.pk, "job_id": job.pk,
                                               "stage": "screening", "created_at": now.isoformat()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recruiter_id"] == alice.pk and body["stage"] == "screening"
    assert StageChange.objects.get(application_id=body["id"]).to_stage == "screening"


def test_the_same_candidate_twice_for_one_job_is_409(as_alice, application):
    response = as_alice.post("/applications", {"candidate_id": application.candidate_id,
                                               "job_id": application.job_id})
    assert_problem(response, 409)


def test_recruiter_cannot_hand_an_application_to_another_team(as_alice, charlie, job, candidate):
    response = as_alice.post("/applications", {"candidate_id": candidate.pk, "job_id": job.pk,
                                               "recruiter_id": charlie.pk})
    assert_problem(response, 403)
    assert not Application.objects.exists()


def test_unknown_ids_are_404_problems(as_alice, db):
    for path in ("/clients/424242", "/jobs/424242", "/candidates/424242", "/applications/424242",
                 "/touchpoints/424242", "/applications/424242/touchpoints"):
        assert_problem(as_alice.get(path), 404)
    assert_problem(as_alice.get("/applications/9223372036854775808"), 422)
    assert_problem(as_alice.get("/applications/0"), 422)


def test_stage_move_goes_through_the_rules(as_alice, application, now):
    moved = as_alice.post(f"/applications/{application.pk}/stage", {"stage": "verification", "reason": "refs"})
    assert moved.status_code == 200 and moved.json()["stage"] == "verification"
    assert StageChange.objects.filter(application=application).count() == 2


def test_stage_move_the_rules_refuse_is_409_and_changes_nothing(as_alice, application):
    body = assert_problem(as_alice.post(f"/applications/{application.pk}/stage", {"stage": "started"}), 409, "stage")
    assert "accepting" in body["detail"]
    application.refresh_from_db()
    assert application.stage == "final_interview"
    assert StageChange.objects.filter(application=application).count() == 1


def test_other_team_cannot_move_a_stage(charlie, application):
    assert_problem(ApiClient(charlie).post(f"/applications/{application.pk}/stage", {"stage": "offer"}), 403)


def test_touchpoint_log_and_list(as_alice, application, now):
    response = as_alice.post(f"/applications/{application.pk}/touchpoints", {
        "at": now.isoformat(), "channel": "call", "direction": "outbound", "notes": "Talked about Globex",
        "interest": 4, "competition_asked": True, "competition_answer": "disclosed", "status_update_given": True,
    })
    assert response.status_code == 201, response.content
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.candidate_id == application.candidate_id and touchpoint.competition_answer == "disclosed"
    listed = as_alice.get(f"/applications/{application.pk}/touchpoints").json()
    assert listed["count"] == 1 and listed["items"][0]["interest"] == 4


def test_touchpoint_answer_without_asking_is_dropped_and_asking_without_answer_refused(as_alice, application, now):
    base = {"at": now.isoformat(), "channel": "email", "direction": "inbound"}
    assert_problem(as_alice.post(f"/applications/{application.pk}/touchpoints",
                                 {**base, "competition_asked": True}), 422)
    assert_problem(as_alice.post(f"/applications/{application.pk}/touchpoints",
                                 {**base, "at": "2026-11-20T09:30:00"}), 422, "at")  # no time zone
    assert_problem(as_alice.post(f"/applications/{application.pk}/touchpoints", {**base, "interest": 9}),
                   422, "interest")
    assert not Touchpoint.objects.exists()


def test_viewer_reads_but_cannot_log_a_touchpoint(victor, application, now):
    viewer = ApiClient(victor)
    assert viewer.get(f"/applications/{application.pk}/touchpoints").status_code == 200
    assert_problem(viewer.post(f"/applications/{application.pk}/touchpoints",
                               {"channel": "call", "direction": "outbound"}), 403)
