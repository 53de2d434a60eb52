"""Rules on users held by the database itself, and reported in words by `full_clean()`."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from homestretch.accounts.choices import Role
from homestretch.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_recruiter_without_a_team(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(team=None)
    assert User.objects.get(pk=alice.pk).team_id == alice.team_id


def test_creating_a_recruiter_without_a_team_is_refused_in_words(db):
    with pytest.raises(ValidationError) as refused:
        User.objects.create_user(email="nomad@example.com", password="correct horse battery")
    assert refused.value.message_dict[NON_FIELD_ERRORS] == ["A recruiter must belong to a team."]
    assert not User.objects.filter(email="nomad@example.com").exists()


def test_full_clean_reports_a_recruiter_without_a_team(alice):
    alice.team = None
    with pytest.raises(ValidationError) as refused:
        alice.full_clean(exclude=["password"])
    assert refused.value.message_dict[NON_FIELD_ERRORS] == ["A recruiter must belong to a team."]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN])
def test_viewers_and_admins_need_no_team(db, role):
    user = User.objects.create_user(email=f"{role}@example.com", password="correct horse battery", role=role)
    assert user.team is None


def test_the_database_refuses_an_unknown_role(victor):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=victor.pk).update(role="owner")


def test_full_clean_reports_an_unknown_role(victor):
    victor.role = "owner"
    with pytest.raises(ValidationError) as refused:
        victor.full_clean(exclude=["password"])
    assert refused.value.message_dict["role"] == ["Value 'owner' is not a valid choice."]


def test_emails_are_kept_in_lower_case_and_unique(alice):
    with pytest.raises(ValidationError) as refused:
        User.objects.create_user(email="Alice@Example.com", password="correct horse battery", team=alice.team)
    assert "email" in refused.value.message_dict
