"""Pipeline rules held by the database itself, and reported in words by `full_clean()`.

Each rule is checked twice: once bypassing Python (`QuerySet.update()` / `bulk_create`), where the
database must refuse with IntegrityError, and once through `full_clean()`, the one validation
place that forms, the API and the command line use, where the message must say what is wrong.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from homestretch.pipeline.choices import Channel, CompetitionAnswer, Direction, Stage
from homestretch.pipeline.models import (
    ANSWER_NEEDS_THE_QUESTION,
    QUESTION_NEEDS_THE_ANSWER,
    Application,
    Candidate,
    Job,
    Touchpoint,
)
from homestretch.tests.constraints import clean_errors, database_refuses, database_refuses_new

pytestmark = pytest.mark.django_db

NEGATIVE = Decimal("-1")
NOT_A_CHOICE = "Value '{}' is not a valid choice."


@pytest.fixture
def touchpoint(application, alice, now) -> Touchpoint:
    return Touchpoint.objects.create(
        candidate=application.candidate, application=application, recruiter=alice, at=now,
        channel=Channel.CALL, direction=Direction.OUTBOUND, interest=4,
        competition_asked=True, competition_answer=CompetitionAnswer.DISCLOSED,
    )


# (fixture, changes, field the message is on, message)
RULES = {
    "job_base_min_negative": ("job", {"base_min": NEGATIVE}, NON_FIELD_ERRORS, "Base min cannot be negative."),
    "job_base_max_negative": ("job", {"base_max": NEGATIVE}, NON_FIELD_ERRORS, "Base max cannot be negative."),
    "job_currency_unknown": ("job", {"currency": "XYZ"}, "currency", NOT_A_CHOICE.format("XYZ")),
    "job_currency_lowercase": ("job", {"currency": "eur"}, "currency", NOT_A_CHOICE.format("eur")),
    "job_currency_missing": ("job", {"currency": ""}, "currency", "This field cannot be blank."),
    "job_band_min_above_max": (
        "job", {"base_min": Decimal("96000")}, NON_FIELD_ERRORS,
        "The pay band's minimum cannot exceed its maximum.",
    ),
    "job_period_unknown": ("job", {"period": "week"}, "period", NOT_A_CHOICE.format("week")),
    "job_remote_days_over_5": (
        "job", {"remote_days": 6}, "remote_days", "Ensure this value is less than or equal to 5.",
    ),
    "candidate_current_base_negative": (
        "candidate", {"current_base": NEGATIVE, "current_currency": "EUR"}, NON_FIELD_ERRORS,
        "Current base cannot be negative.",
    ),
    "candidate_currency_unknown": (
        "candidate", {"current_base": Decimal("70000"), "current_currency": "XYZ"}, "current_currency",
        NOT_A_CHOICE.format("XYZ"),
    ),
    "candidate_amount_without_currency": (
        "candidate", {"current_base": Decimal("70000")}, NON_FIELD_ERRORS,
        "Choose a known ISO 4217 currency (such as EUR, USD, GBP or INR) for the amounts.",
    ),
    "application_closed_stage_without_closing_time": (
        "application", {"stage": Stage.DECLINED}, NON_FIELD_ERRORS,
        "A closed application needs its closing time, an open one has none.",
    ),
    "application_open_stage_with_closing_time": (
        "application", {"closed_at": "now"}, NON_FIELD_ERRORS,
        "A closed application needs its closing time, an open one has none.",
    ),
    "application_stage_unknown": ("application", {"stage": "hired"}, "stage", NOT_A_CHOICE.format("hired")),
    "touchpoint_interest_0": (
        "touchpoint", {"interest": 0}, "interest", "Ensure this value is greater than or equal to 1.",
    ),
    "touchpoint_interest_6": (
        "touchpoint", {"interest": 6}, "interest", "Ensure this value is less than or equal to 5.",
    ),
    # Touchpoint.clean names the field to fix (the constraint's own message is about the whole record).
    "touchpoint_answer_without_asking": (
        "touchpoint", {"competition_asked": False}, "competition_asked", ANSWER_NEEDS_THE_QUESTION,
    ),
    "touchpoint_asked_without_answer": (
        "touchpoint", {"competition_answer": ""}, "competition_answer", QUESTION_NEEDS_THE_ANSWER,
    ),
    "touchpoint_channel_unknown": ("touchpoint", {"channel": "fax"}, "channel", NOT_A_CHOICE.format("fax")),
}


def _values(changes: dict, now) -> dict:
    return {name: now if value == "now" else value for name, value in changes.items()}


@pytest.mark.parametrize(("fixture", "changes", "field", "message"), RULES.values(), ids=RULES.keys())
def test_the_database_refuses_a_broken_rule(request, now, fixture, changes, field, message):
    obj = request.getfixturevalue(fixture)
    database_refuses(type(obj).objects.filter(pk=obj.pk), **_values(changes, now))
    # ... and the refused write changed nothing.
    fresh = type(obj).objects.get(pk=obj.pk)
    assert all(getattr(fresh, name) == getattr(obj, name) for name in changes)


@pytest.mark.parametrize(("fixture", "changes", "field", "message"), RULES.values(), ids=RULES.keys())
def test_full_clean_says_what_is_wrong(request, now, fixture, changes, field, message):
    obj = request.getfixturevalue(fixture)
    assert message in clean_errors(obj, **_values(changes, now)).get(field, [])


def test_the_fixtures_keep_every_rule(job, candidate, application, touchpoint):
    for obj in (job, candidate, application, touchpoint):
        obj.full_clean()


def test_a_closed_application_with_its_closing_time_is_valid(application, now):
    Application.objects.filter(pk=application.pk).update(stage=Stage.REJECTED, closed_at=now)
    Application.objects.get(pk=application.pk).full_clean()


def test_a_band_may_be_a_single_amount(job):
    Job.objects.filter(pk=job.pk).update(base_min=Decimal("90000"), base_max=Decimal("90000"))
    Job.objects.get(pk=job.pk).full_clean()


def test_a_candidate_without_pay_needs_no_currency(candidate):
    assert candidate.current_base is None and candidate.current_currency == ""
    candidate.full_clean()


# --- Uniqueness -----------------------------------------------------------------------------


def test_the_database_refuses_a_duplicate_candidate_email_in_any_case(candidate):
    database_refuses_new(Candidate, Candidate(name="Priya N.", email="PRIYA@Example.org"))
    assert Candidate.objects.count() == 1


def test_full_clean_reports_a_duplicate_candidate_email_in_any_case(candidate):
    duplicate = Candidate(name="Priya N.", email="Priya@Example.ORG")
    assert clean_errors(duplicate)[NON_FIELD_ERRORS] == ["Another candidate already has this e-mail address."]


def test_candidates_without_an_email_are_not_duplicates(db):
    Candidate.objects.bulk_create([Candidate(name="Anna"), Candidate(name="Ben")])
    Candidate(name="Cleo").full_clean()


def test_the_database_refuses_the_same_candidate_twice_for_a_job(application, bob, now):
    database_refuses_new(
        Application,
        Application(candidate=application.candidate, job=application.job, recruiter=bob, stage_entered_at=now,
                    created_at=now),
    )
    assert Application.objects.count() == 1


def test_full_clean_reports_the_same_candidate_twice_for_a_job(application, bob, now):
    duplicate = Application(candidate=application.candidate, job=application.job, recruiter=bob,
                            stage_entered_at=now, created_at=now)
    assert clean_errors(duplicate)[NON_FIELD_ERRORS] == ["This candidate is already in the process for this job."]


def test_the_same_candidate_may_apply_to_another_job(application, alice, job, now):
    other_job = Job.objects.create(client=job.client, title="Platform Engineer", currency="EUR")
    Application(candidate=application.candidate, job=other_job, recruiter=alice, stage_entered_at=now,
                created_at=now + timedelta(days=1)).full_clean()
