"""pipeline/records.py: who is a duplicate candidate, what a new one needs, whom an application may
be given to, and a new application with its new records written all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homestretch.lib.refusals import DUPLICATE, MISSING, field_errors, is_conflict
from homestretch.pipeline import records
from homestretch.pipeline.models import Application, Candidate, Client, HiringManager, Job

pytestmark = pytest.mark.django_db


def test_phone_numbers_compare_by_their_digits():
    assert records.phone_digits("+49 (30) 123-45") == records.phone_digits("+4930 12345") == "493012345"


def test_duplicates_by_email_in_any_case_or_by_name_and_phone(candidate):
    candidate.phone = "030 1234 5678"
    candidate.save()
    assert records.duplicates_of(name="Someone", email=" PRIYA@example.org") == [candidate]
    assert records.duplicates_of(name="PRIYA NAIR", phone="(030) 12345678") == [candidate]
    assert records.duplicates_of(name="Priya Nair", phone="030 9999 9999") == []
    assert records.duplicates_of(name="Priya Nair") == []  # a name alone is not enough
    assert records.duplicates_of(name="", email="priya@example.org", exclude_id=candidate.pk) == []


def test_a_new_candidate_needs_an_email_or_a_phone_and_is_no_duplicate(candidate, now):
    with pytest.raises(ValidationError) as refused:
        records.add_candidate(Candidate(name="Ravi"), at=now)
    assert field_errors(refused.value) == [("email", records.NEEDS_EMAIL_OR_PHONE, MISSING)]
    with pytest.raises(records.DuplicateCandidate) as duplicate:
        records.add_candidate(Candidate(name="P. Nair", email="Priya@Example.org"), at=now)
    assert duplicate.value.matches == [candidate] and duplicate.value.code == DUPLICATE
    assert is_conflict(duplicate.value)  # 409 in the API
    assert records.add_candidate(Candidate(name="Ravi", phone="+44 20 7946 0000"), at=now).pk


def test_whom_an_application_may_be_given_to(alice, bob, charlie, victor, ada):
    assert set(records.assignable_recruiters(alice)) == {alice, bob}
    assert set(records.assignable_recruiters(ada)) == {alice, bob, charlie, ada}
    assert records.recruiter_for(alice, bob.pk) == bob
    with pytest.raises(PermissionDenied):
        records.recruiter_for(alice, charlie.pk)
    with pytest.raises(PermissionDenied):
        records.recruiter_for(victor, victor.pk)
    with pytest.raises(ValidationError) as refused:
        records.recruiter_for(alice, victor.pk, field_name="recruiter_id")
    assert field_errors(refused.value)[0][0] == "recruiter_id"


def test_a_new_application_with_every_record_new(alice, now):
    new = records.NewApplication(
        candidate=Candidate(name="Ravi", email="ravi@example.org"),
        job=Job(title="SRE", currency="EUR"), recruiter=alice, stage="screening", at=now,
        new_client=Client(name="Initech"), new_hiring_manager=HiringManager(name="Bill"),
    )
    application = records.open_new_application(new, by=alice, now=now)
    assert (application.job.client.name, application.job.hiring_manager.name, application.candidate.email) == (
        "Initech", "Bill", "ravi@example.org")
    assert application.job.hiring_manager.client == application.job.client


def test_a_refused_new_application_writes_nothing_and_names_every_field(alice, candidate, now):
    new = records.NewApplication(
        candidate=Candidate(name="", email="priya@example.org"), job=Job(title="", currency="EUR"),
        recruiter=alice, stage="screening", at=now, new_client=Client(name="Initech"),
    )
    with pytest.raises(records.NewApplicationRefused) as refused:
        records.open_new_application(new, by=alice, now=now)
    fields = {field for field, _, _ in field_errors(refused.value)}
    assert {"candidate", "candidate.name", "job.title"} <= fields
    assert refused.value.duplicates == [candidate]
    assert not Client.objects.exists() and not Application.objects.exists() and Candidate.objects.count() == 1


def test_find_candidates_returns_at_most_ten(db, django_assert_num_queries):
    Candidate.objects.bulk_create([Candidate(name=f"Alex {i:02}") for i in range(25)])
    with django_assert_num_queries(1):
        found = records.find_candidates("alex", team_id=None)
    assert [c.name for c in found] == [f"Alex {i:02}" for i in range(10)]
    assert records.find_candidates("a", team_id=None) == []


def test_the_api_dates_consent_through_the_same_service(alice):
    from homestretch.tests.api_client import ApiClient

    api = ApiClient(alice)
    created = api.post("/candidates", {"name": "Ravi", "consent_to_contact": True}).json()
    assert created["consent_given_at"] is not None
    withdrawn = api.patch(f"/candidates/{created['id']}", {"consent_to_contact": False}).json()
    assert withdrawn["consent_given_at"] is None


def test_the_api_hands_an_application_only_within_the_team(alice, bob, charlie, application):
    from homestretch.tests.api_client import ApiClient, assert_problem

    api = ApiClient(alice)
    assert api.patch(f"/applications/{application.pk}", {"recruiter_id": bob.pk}).json()["recruiter_id"] == bob.pk
    assert_problem(api.patch(f"/applications/{application.pk}", {"recruiter_id": charlie.pk}), 403)
