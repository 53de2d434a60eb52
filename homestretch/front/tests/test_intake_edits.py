"""Correcting a candidate, a job, a client and its hiring managers, and handing an application to
another recruiter of the team, from the web app: through the services the API uses, errors beside
their fields with everything typed kept, recruiters and admins only (viewers get the 403 page)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from homestretch.front.tests.pages import pages_at_now  # noqa: F401
from homestretch.pipeline.consent import RENEW_AFTER_MONTHS, add_months
from homestretch.pipeline.models import Application, Candidate, HiringManager, Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}"[^>]*>.*?<p class="error" id="{field_id}_error">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


CANDIDATE = {"name": "Priya Nair", "email": "priya@example.org", "phone": "+49 30 1234", "location": "Munich",
             "current_title": "Staff Engineer", "current_employer": "Initech", "current_base": "91000",
             "current_currency": "EUR", "current_period": "year", "skills": "Python, Rust", "years_experience": "9",
             "source": "", "notes": "Prefers calls after 6pm", "legal_basis": "consent",
             "basis_obtained_how": "call"}


def test_a_recruiter_corrects_a_candidate(client, alice, candidate, now):
    client.force_login(alice)
    url = reverse("edit_candidate", kwargs={"candidate_id": candidate.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, CANDIDATE)
    assert response.status_code == 302 and response["Location"] == reverse("candidate",
                                                                          kwargs={"candidate_id": candidate.pk})
    candidate.refresh_from_db()
    assert (candidate.location, candidate.current_employer, candidate.current_base, candidate.skills) == (
        "Munich", "Initech", 91000, "Python, Rust")
    # The basis chosen without a date is obtained now, renewed by its default day; consent to contact follows it.
    assert (candidate.legal_basis, candidate.basis_obtained_at, candidate.basis_obtained_how) == (
        "consent", now, "call")
    assert candidate.basis_renew_by == add_months(now.date(), RENEW_AFTER_MONTHS["consent"])
    assert candidate.consent_to_contact and candidate.consent_given_at == now


def test_consent_withdrawn_forgets_its_date(client, alice, candidate, now):
    client.force_login(alice)
    url = reverse("edit_candidate", kwargs={"candidate_id": candidate.pk})
    client.post(url, CANDIDATE)
    client.post(url, {**CANDIDATE, "legal_basis": "", "basis_obtained_how": "", "basis_renew_by": ""})
    candidate.refresh_from_db()
    assert (candidate.consent_to_contact, candidate.consent_given_at) == (False, None)
    assert (candidate.legal_basis, candidate.basis_obtained_at, candidate.basis_renew_by) == ("", None, None)


def test_the_edit_form_says_a_bad_renewal_and_a_note_without_objection_beside_their_fields(client, alice, candidate):
    client.force_login(alice)
    url = reverse("edit_candidate", kwargs={"candidate_id": candidate.pk})
    response = client.post(url, {**CANDIDATE, "basis_obtained_at": "2026-06-01", "basis_renew_by": "2026-05-01",
                                 "objection_note": "Asked not to be called"})
    assert response.status_code == 422
    form = response.context["form"]
    assert "renewed after it was obtained" in form.errors["basis_renew_by"][0]
    assert "needs the objection's date" in form.errors["objected_at"][0]
    candidate.refresh_from_db()
    assert candidate.legal_basis == "" and candidate.objection_note == ""


def test_another_candidates_email_is_said_beside_it_and_nothing_changes(client, alice, candidate):
    Candidate.objects.create(name="Ravi Rao", email="ravi@example.org")
    client.force_login(alice)
    response = client.post(reverse("edit_candidate", kwargs={"candidate_id": candidate.pk}),
                           {**CANDIDATE, "email": "RAVI@example.org"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Ravi Rao already has this e-mail address" in error_beside(page, "id_email")
    assert 'value="Munich"' in page
    candidate.refresh_from_db()
    assert candidate.email == "priya@example.org" and candidate.location == "Berlin"


def test_pay_without_currency_and_an_amount_over_the_limit_are_said_beside_their_fields(client, alice, candidate):
    client.force_login(alice)
    url = reverse("edit_candidate", kwargs={"candidate_id": candidate.pk})
    page = client.post(url, {**CANDIDATE, "current_currency": ""}).content.decode()
    assert "currency" in error_beside(page, "id_current_currency")
    page = client.post(url, {**CANDIDATE, "current_base": "99999999999"}).content.decode()
    assert "at most 9,999,999,999" in error_beside(page, "id_current_base")


JOB = {"title": "Senior Backend Engineer", "seniority": "lead", "location": "Remote (EU)", "remote_policy": "remote",
       "remote_days": "5", "base_min": "85000", "base_max": "99000", "currency": "EUR", "period": "year",
       "hiring_manager": "", "skills": "Python", "perks": "", "status": "open"}


def test_a_recruiter_edits_a_job_and_its_applications_risk_is_counted_as_changed(client, alice, job, application):
    client.force_login(alice)
    before = Application.objects.get(pk=application.pk).generation
    response = client.post(reverse("edit_job", kwargs={"job_id": job.pk}),
                           {**JOB, "hiring_manager": job.hiring_manager_id})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.seniority, job.remote_policy, job.base_max) == ("lead", "remote", 99000)
    assert Application.objects.get(pk=application.pk).generation > before


def test_a_job_with_open_applications_is_not_closed_from_the_edit_the_reason_beside_status(
        client, alice, job, application):
    client.force_login(alice)
    response = client.post(reverse("edit_job", kwargs={"job_id": job.pk}), {**JOB, "status": "closed"})
    assert response.status_code == 422
    assert "still open" in error_beside(response.content.decode(), "id_status")
    job.refresh_from_db()
    assert (job.status, job.seniority) == ("open", "senior")


def test_a_pay_band_upside_down_is_refused(client, alice, job):
    client.force_login(alice)
    response = client.post(reverse("edit_job", kwargs={"job_id": job.pk}), {**JOB, "base_min": "120000"})
    assert response.status_code == 422
    assert "minimum cannot exceed" in response.content.decode()
    assert Job.objects.get(pk=job.pk).base_min == 80000


def test_a_job_offers_only_its_clients_hiring_managers(client, alice, job):
    from homestretch.pipeline.models import Client

    elsewhere = HiringManager.objects.create(client=Client.objects.create(name="Globex"), name="Hank Scorpio")
    client.force_login(alice)
    page = client.get(reverse("edit_job", kwargs={"job_id": job.pk})).content.decode()
    assert "Hannah Hill" in page and "Hank Scorpio" not in page
    response = client.post(reverse("edit_job", kwargs={"job_id": job.pk}), {**JOB, "hiring_manager": elsewhere.pk})
    assert response.status_code == 422 and error_beside(response.content.decode(), "id_hiring_manager")


def managers_data(client_record, rows):
    data = {"managers-TOTAL_FORMS": str(len(rows)), "managers-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
            "managers-MIN_NUM_FORMS": "0", "managers-MAX_NUM_FORMS": "1000",
            "name": client_record.name, "industry": "Cloud", "size": "large", "website": "", "notes": ""}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"managers-{i}-{key}"] = str(value)
    return data


def test_a_client_and_its_hiring_managers_corrected_added_and_removed_together(client, alice, job):
    hannah = job.hiring_manager
    gone = HiringManager.objects.create(client=job.client, name="Old Contact")
    client.force_login(alice)
    url = reverse("edit_client", kwargs={"client_id": job.client_id})
    assert "Hannah Hill" in client.get(url).content.decode()
    response = client.post(url, managers_data(job.client, [
        {"id": gone.pk, "name": "Old Contact", "DELETE": "on"},
        {"id": hannah.pk, "name": "Hannah Hill", "title": "CTO", "email": "hannah@acme.example"},
        {"name": "Dev Lead", "title": "Engineering Manager"},
    ]))
    assert response.status_code == 302
    assert sorted(HiringManager.objects.filter(client=job.client).values_list("name", "title")) == [
        ("Dev Lead", "Engineering Manager"), ("Hannah Hill", "CTO")]
    job.client.refresh_from_db()
    assert job.client.industry == "Cloud"


def test_a_bad_hiring_manager_email_is_said_beside_it_and_nothing_changes(client, alice, job):
    client.force_login(alice)
    url = reverse("edit_client", kwargs={"client_id": job.client_id})
    response = client.post(url, managers_data(job.client, [
        {"id": job.hiring_manager_id, "name": "Hannah Hill", "email": "not an address"},
        {"name": "Dev Lead"},
    ]))
    page = response.content.decode()
    assert response.status_code == 422
    assert error_beside(page, "id_managers-0-email")
    assert 'value="Dev Lead"' in page
    assert HiringManager.objects.count() == 1 and job.client.__class__.objects.get().industry == "Software"


def test_a_client_renamed_as_another_is_refused_beside_the_name(client, alice, job):
    from homestretch.pipeline.models import Client

    Client.objects.create(name="Globex")
    client.force_login(alice)
    response = client.post(reverse("edit_client", kwargs={"client_id": job.client_id}),
                           {**managers_data(job.client, []), "name": "Globex"})
    assert response.status_code == 422 and error_beside(response.content.decode(), "id_name")


# --- Handing over


def test_hand_an_application_to_a_teammate(client, alice, bob, application):
    client.force_login(alice)
    url = reverse("hand_over", kwargs={"application_id": application.pk})
    page = client.get(url).content.decode()
    assert "Bob Baker" in page and "Charlie" not in page
    before = Application.objects.get(pk=application.pk).generation
    response = client.post(url, {"recruiter": bob.pk})
    assert response.status_code == 302
    handed = Application.objects.get(pk=application.pk)
    assert handed.recruiter == bob and handed.generation > before


def test_not_to_another_team(client, alice, charlie, application):
    client.force_login(alice)
    response = client.post(reverse("hand_over", kwargs={"application_id": application.pk}), {"recruiter": charlie.pk})
    assert response.status_code == 422
    assert Application.objects.get(pk=application.pk).recruiter == alice


def test_another_teams_recruiter_cannot_hand_it_over(client, charlie, application):
    client.force_login(charlie)
    assert client.get(reverse("hand_over", kwargs={"application_id": application.pk})).status_code == 403


def test_an_admin_hands_it_to_anyone(client, ada, charlie, application):
    client.force_login(ada)
    client.post(reverse("hand_over", kwargs={"application_id": application.pk}), {"recruiter": charlie.pk})
    assert Application.objects.get(pk=application.pk).recruiter == charlie


# --- Viewers


def test_a_viewer_sees_no_edit_controls_and_gets_the_403_page(client, victor, application, job, candidate):
    client.force_login(victor)
    pages = [reverse("candidate", kwargs={"candidate_id": candidate.pk}), reverse("job", kwargs={"job_id": job.pk}),
             reverse("client", kwargs={"client_id": job.client_id}),
             reverse("application", kwargs={"application_id": application.pk})]
    for page in pages:
        html = client.get(page).content.decode()
        assert "/edit/" not in html and "/recruiter/" not in html and "/applications/new/" not in html
    for url, data in [
        (reverse("edit_candidate", kwargs={"candidate_id": candidate.pk}), CANDIDATE),
        (reverse("edit_job", kwargs={"job_id": job.pk}), JOB),
        (reverse("edit_client", kwargs={"client_id": job.client_id}), managers_data(job.client, [])),
        (reverse("hand_over", kwargs={"application_id": application.pk}), {"recruiter": victor.pk}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 403
        assert "403" in response.content.decode() or "not" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.location == "Berlin"


def test_recruiters_see_the_edit_controls(client, alice, application, job, candidate):
    client.force_login(alice)
    assert reverse("edit_candidate", kwargs={"candidate_id": candidate.pk}) in client.get(
        reverse("candidate", kwargs={"candidate_id": candidate.pk})).content.decode()
    assert reverse("edit_client", kwargs={"client_id": job.client_id}) in client.get(
        reverse("client", kwargs={"client_id": job.client_id})).content.decode()
    assert reverse("hand_over", kwargs={"application_id": application.pk}) in client.get(
        reverse("application", kwargs={"application_id": application.pk})).content.decode()


def test_edit_pages_in_a_fixed_number_of_queries(client, alice, job, candidate, application,
                                                 django_assert_max_num_queries):
    client.force_login(alice)
    for url in (reverse("edit_candidate", kwargs={"candidate_id": candidate.pk}),
                reverse("edit_job", kwargs={"job_id": job.pk}),
                reverse("edit_client", kwargs={"client_id": job.client_id}),
                reverse("hand_over", kwargs={"application_id": application.pk})):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
