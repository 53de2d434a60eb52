"""DELETE /api/v1/candidates/{id}: the record and everything recorded about the person go, and so does what a
plain deletion left behind — the audit's entries with every field of the record as it was, mentions in other
records, mail files. It erases first (the audit says so, without the data), then deletes."""

from __future__ import annotations

import pytest

from homestretch.audit.models import Entry
from homestretch.pipeline.models import Application, Candidate, Touchpoint
from homestretch.privacy.api import DELETED_THROUGH_THE_API
from homestretch.privacy.models import Erasure
from homestretch.tests.api_client import ApiClient

from .test_erasure import NAME, absent, planted  # noqa: F401 - the planted person, a fixture

pytestmark = pytest.mark.django_db


def audit_text() -> str:
    return "\n".join(f"{entry.object_repr} {entry.changes} {entry.additional_data}" for entry in Entry.objects.all())


def test_deleting_a_candidate_erases_them_first_so_the_audit_keeps_nothing_of_them(planted, alice, victor, ada):
    person, other = planted["person"], planted["other"]
    assert NAME in audit_text()  # the record's creation was audited with its name

    for user in (alice, victor):
        assert ApiClient(user).delete(f"/candidates/{person.pk}").status_code == 403
    assert Candidate.objects.filter(pk=person.pk, name=NAME).exists() and not Erasure.objects.exists()

    response = ApiClient(ada).delete(f"/candidates/{person.pk}")
    assert response.status_code == 204, response.content
    assert ApiClient(ada).get(f"/candidates/{person.pk}").status_code == 404
    assert not Candidate.objects.filter(pk=person.pk).exists()
    assert not Application.objects.filter(candidate_id=person.pk).exists()
    assert not Touchpoint.objects.filter(candidate_id=person.pk).exists()
    absent(audit_text(), "the audit after the deletion")
    other.refresh_from_db()
    absent(other.notes, "another candidate's notes")
    erasure = Erasure.objects.get(candidate_id=person.pk)
    assert erasure.reason == DELETED_THROUGH_THE_API and erasure.erased_by == ada
    assert Entry.objects.filter(kind="erased", actor=ada).count() == 1
    assert ApiClient(ada).delete(f"/candidates/{person.pk}").status_code == 404


def test_an_erased_candidate_can_still_be_deleted(planted, ada):
    person = planted["person"]
    assert ApiClient(ada).post(f"/candidates/{person.pk}/erase", {"reason": "asked by e-mail"}).status_code == 200
    assert ApiClient(ada).delete(f"/candidates/{person.pk}").status_code == 204
    assert not Candidate.objects.filter(pk=person.pk).exists() and Erasure.objects.count() == 1
