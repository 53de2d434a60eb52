"""The new application in one form: a picked or new candidate (a duplicate offered, never created),
a picked or new job for a picked or new client with its hiring manager, the stage today and since
when, the recruiter (self by default); every refusal beside its field with everything typed kept;
recruiters and admins only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from homestretch.front.tests.pages import pages_at_now  # noqa: F401
from homestretch.pipeline.models import Application, Candidate, Client, HiringManager, Job, StageChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]

URL = "/applications/new/"


def form_data(**fields) -> dict[str, str]:
    """What the form posts when nothing is picked: every field, blank where not given."""
    data = {
        "candidate_query": "", "candidate": "", "candidate_name": "", "candidate_email": "", "candidate_phone": "",
        "candidate_current_title": "", "candidate_current_employer": "", "candidate_location": "",
        "job_query": "", "job": "", "job_title": "", "job_seniority": "mid", "job_location": "",
        "job_remote_policy": "hybrid", "job_base_min": "", "job_base_max": "", "job_currency": "EUR",
        "job_period": "year", "client": "", "client_name": "", "hiring_manager_name": "",
        "hiring_manager_title": "", "hiring_manager_email": "", "stage": "sourced", "stage_since": "2026-11-20",
        "recruiter": "",
    }
    data.update({name: str(value) for name, value in fields.items()})
    return data


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}"[^>]*>.*?<p class="error" id="{field_id}_error">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def test_new_candidate_for_an_existing_job_lands_on_the_application(client, alice, job, now):
    client.force_login(alice)
    response = client.post(URL, form_data(candidate_name="Ravi Rao", candidate_email=" Ravi@Example.org ",
                                          candidate_consent_to_contact="on", job=job.pk, stage="final_interview",
                                          stage_since="2026-11-18", recruiter=alice.pk))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("application", kwargs={"application_id": application.pk})
    ravi = application.candidate
    assert (ravi.name, ravi.email, ravi.consent_to_contact, ravi.consent_given_at) == (
        "Ravi Rao", "ravi@example.org", True, now)
    assert (application.job, application.recruiter, application.stage) == (job, alice, "final_interview")
    assert application.stage_entered_at.date().isoformat() == "2026-11-18"
    assert list(StageChange.objects.values_list("to_stage", "by")) == [("final_interview", alice.pk)]


def test_the_stage_dated_today_is_now(client, alice, job, candidate, now):
    client.force_login(alice)
    client.post(URL, form_data(candidate=candidate.pk, job=job.pk, stage_since="2026-11-20", recruiter=alice.pk))
    assert Application.objects.get().stage_entered_at == now


def test_existing_candidate_with_a_new_job_new_client_and_hiring_manager(client, alice, candidate):
    client.force_login(alice)
    response = client.post(URL, form_data(
        candidate=candidate.pk, job_title="Data Engineer", job_seniority="senior", job_base_min="70000",
        job_base_max="85000", client_name="Initech", hiring_manager_name="Bill Lumbergh",
        hiring_manager_title="VP", stage="screening", recruiter=alice.pk))
    assert response.status_code == 302
    application = Application.objects.get()
    job = application.job
    assert (job.title, job.client.name, job.hiring_manager.name, job.hiring_manager.client) == (
        "Data Engineer", "Initech", "Bill Lumbergh", job.client)
    assert (job.base_min, job.base_max, job.status) == (70000, 85000, "open")
    assert application.candidate == candidate


def test_a_new_job_for_a_recorded_client_finds_its_hiring_manager_by_name(client, alice, candidate, job):
    client.force_login(alice)
    client.post(URL, form_data(candidate=candidate.pk, job_title="Platform Engineer", client=job.client_id,
                               hiring_manager_name="hannah hill", recruiter=alice.pk))
    new_job = Job.objects.get(title="Platform Engineer")
    assert new_job.hiring_manager == job.hiring_manager
    assert HiringManager.objects.count() == 1


def test_a_duplicate_by_email_is_offered_not_created_and_one_click_uses_it(client, alice, job, candidate):
    client.force_login(alice)
    typed = form_data(candidate_name="Priya N.", candidate_email="PRIYA@example.org", job=job.pk, recruiter=alice.pk)
    response = client.post(URL, typed)
    page = response.content.decode()
    assert response.status_code == 422
    assert Candidate.objects.count() == 1 and not Application.objects.exists()
    assert "already a candidate with this e-mail address" in error_beside(page, "id_candidate")
    assert f'name="use_candidate" value="{candidate.pk}"' in page
    assert 'value="Priya N."' in page  # nothing typed is lost
    response = client.post(URL, {**typed, "use_candidate": candidate.pk})
    assert response.status_code == 302
    assert Application.objects.get().candidate == candidate
    assert Candidate.objects.count() == 1


def test_a_duplicate_by_name_and_phone_is_offered(client, alice, job, candidate):
    candidate.phone = "+49 30 1234 5678"
    candidate.save()
    client.force_login(alice)
    response = client.post(URL, form_data(candidate_name="priya nair", candidate_phone="+49 (30) 12345678",
                                          job=job.pk, recruiter=alice.pk))
    assert response.status_code == 422
    assert "this name and phone number" in error_beside(response.content.decode(), "id_candidate")
    assert Candidate.objects.count() == 1


def test_same_name_with_another_phone_is_another_person(client, alice, job, candidate):
    candidate.phone = "+49 30 1234 5678"
    candidate.save()
    client.force_login(alice)
    response = client.post(URL, form_data(candidate_name="Priya Nair", candidate_phone="+44 20 7946 0000",
                                          job=job.pk, recruiter=alice.pk))
    assert response.status_code == 302
    assert Candidate.objects.filter(name="Priya Nair").count() == 2


def test_a_new_candidate_needs_a_name_and_an_email_or_phone_every_error_beside_its_field(client, alice):
    client.force_login(alice)
    response = client.post(URL, form_data(candidate_current_employer="Globex", job_title="", client_name="",
                                          stage_since="2026-11-25", recruiter=alice.pk))
    page = response.content.decode()
    assert response.status_code == 422
    assert "e-mail address or a phone number" in error_beside(page, "id_candidate_email")
    assert "Give the new candidate" in error_beside(page, "id_candidate_name")
    assert error_beside(page, "id_job_title")
    assert error_beside(page, "id_client_name")
    assert "not ahead" in error_beside(page, "id_stage_since")
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_candidate_email_error"' in page
    assert 'value="Globex"' in page
    assert not Candidate.objects.exists() and not Client.objects.exists() and not Job.objects.exists()


def test_a_refusal_late_in_the_workflow_writes_nothing(client, alice, application, job):
    """The candidate is already in the process for this job: the new client and job are not kept either."""
    client.force_login(alice)
    response = client.post(URL, form_data(candidate=application.candidate_id, job=job.pk, recruiter=alice.pk))
    assert response.status_code == 422
    assert "already in the process" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_new_client_named_as_a_recorded_one_is_refused_beside_its_name(client, alice, candidate, job):
    client.force_login(alice)
    response = client.post(URL, form_data(candidate=candidate.pk, job_title="SRE", client_name="acme cloud",
                                          recruiter=alice.pk))
    assert "already a client" in error_beside(response.content.decode(), "id_client_name")
    assert Client.objects.count() == 1 and Job.objects.count() == 1


def test_a_pay_band_upside_down_is_refused_beside_the_job(client, alice, candidate, job):
    client.force_login(alice)
    response = client.post(URL, form_data(candidate=candidate.pk, job_title="SRE", client=job.client_id,
                                          job_base_min="90000", job_base_max="80000", recruiter=alice.pk))
    assert response.status_code == 422
    assert "minimum cannot exceed" in response.content.decode()
    assert Job.objects.count() == 1


def test_the_recruiter_is_self_by_default_and_may_be_a_teammate(client, alice, bob, charlie, candidate, job):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert re.search(rf'<option value="{alice.pk}" selected>', page)
    assert f'<option value="{bob.pk}"' in page and f'<option value="{charlie.pk}"' not in page
    client.post(URL, form_data(candidate=candidate.pk, job=job.pk, recruiter=bob.pk))
    assert Application.objects.get().recruiter == bob


def test_another_teams_recruiter_is_refused(client, alice, charlie, candidate, job):
    client.force_login(alice)
    response = client.post(URL, form_data(candidate=candidate.pk, job=job.pk, recruiter=charlie.pk))
    assert response.status_code == 422  # not among the choices: said beside the field
    assert error_beside(response.content.decode(), "id_recruiter")
    assert not Application.objects.exists()


def test_an_admin_may_give_it_to_any_recruiter(client, ada, charlie, candidate, job):
    client.force_login(ada)
    client.post(URL, form_data(candidate=candidate.pk, job=job.pk, recruiter=charlie.pk))
    assert Application.objects.get().recruiter == charlie


def test_a_viewer_gets_the_403_page_and_no_link(client, victor, candidate, job):
    client.force_login(victor)
    assert client.get(URL).status_code == 403
    response = client.post(URL, form_data(candidate=candidate.pk, job=job.pk, recruiter=victor.pk))
    assert response.status_code == 403
    assert not Application.objects.exists()
    for page in (reverse("candidate", kwargs={"candidate_id": candidate.pk}),
                 reverse("job", kwargs={"job_id": job.pk})):
        html = client.get(page).content.decode()
        assert URL not in html and "/edit/" not in html


def test_picked_from_the_candidate_or_the_job_page(client, alice, candidate, job):
    client.force_login(alice)
    page = client.get(reverse("candidate", kwargs={"candidate_id": candidate.pk})).content.decode()
    assert f"{URL}?candidate={candidate.pk}" in page
    page = client.get(f"{URL}?candidate={candidate.pk}").content.decode()
    assert re.search(rf'<option value="{candidate.pk}" selected>Priya Nair', page)
    page = client.get(reverse("job", kwargs={"job_id": job.pk})).content.decode()
    assert f"{URL}?job={job.pk}" in page
    page = client.get(f"{URL}?job={job.pk}").content.decode()
    assert re.search(rf'<option value="{job.pk}" selected>Acme Cloud · Senior Backend Engineer', page)


def test_find_without_script_fills_the_picker_and_writes_nothing(client, alice, candidate, job):
    client.force_login(alice)
    response = client.post(URL, {**form_data(candidate_query="priya", job_query="backend", candidate_name="typed"),
                                 "find": "candidate"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{candidate.pk}">Priya Nair' in page and f'<option value="{job.pk}">Acme Cloud' in page
    assert 'value="typed"' in page and 'class="error"' not in page
    assert not Application.objects.exists()


def test_an_unknown_candidate_id_is_said_beside_the_picker(client, alice, job):
    client.force_login(alice)
    response = client.post(URL, form_data(candidate=424242, job=job.pk, recruiter=alice.pk))
    assert response.status_code == 422
    assert not Application.objects.exists()


# --- The search as one types


def search(client, kind, q):
    return client.get(reverse("intake_search"), {"kind": kind, "q": q})


def test_search_finds_candidates_by_name_email_or_phone_the_teams_first(client, alice, charlie, job, now):
    from homestretch.front.tests.pages import application_at

    client.force_login(alice)
    theirs = application_at("Sam Other", job, charlie, "screening", entered=now - timedelta(days=3)).candidate
    ours = application_at("Sam Ours", job, alice, "screening", entered=now - timedelta(days=3)).candidate
    Candidate.objects.filter(pk=ours.pk).update(phone="+49 170 5550000")
    body = search(client, "candidate", "sam").json()
    assert [r["id"] for r in body["results"]] == [ours.pk, theirs.pk]
    assert body["results"][0]["label"].startswith("Sam Ours · sam.ours@example.org")
    assert [r["id"] for r in search(client, "candidate", "5550000").json()["results"]] == [ours.pk]
    assert search(client, "candidate", "s").json() == {"results": []}


def test_search_returns_at_most_ten_in_a_fixed_number_of_queries(client, alice, job, django_assert_max_num_queries):
    Candidate.objects.bulk_create([Candidate(name=f"Alex {i}", email=f"alex{i}@example.org") for i in range(30)])
    client.force_login(alice)
    with django_assert_max_num_queries(4):  # session, user, the search
        body = search(client, "candidate", "alex").json()
    assert len(body["results"]) == 10
    with django_assert_max_num_queries(4):
        body = search(client, "job", "acme").json()
    assert [r["label"] for r in body["results"]] == ["Acme Cloud · Senior Backend Engineer"]


def test_search_is_for_signed_in_recruiters_and_admins(client, victor, candidate):
    assert search(client, "candidate", "priya").status_code == 302  # to sign in
    client.force_login(victor)
    assert search(client, "candidate", "priya").status_code == 403


def test_the_form_page_in_a_fixed_number_of_queries(client, alice, job, candidate, django_assert_max_num_queries):
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        assert client.get(f"{URL}?candidate={candidate.pk}&job={job.pk}").status_code == 200
