"""Consent and basis: each candidate's legal basis with its renewal, kept in step with the legacy consent fields;
refusals said on their field; renewals due on Today; an objection that takes the candidate off every channel
that prompts a contact (Today and the agenda, the digest, the chat, the calendar feed, the next best actions)."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from typer.testing import CliRunner

from homestretch.agenda.services import agenda, renewals_due
from homestretch.cli import app
from homestretch.front.tests.pages import application_at, pages_at_now  # noqa: F401
from homestretch.integrations.calendar import recruiter_feed
from homestretch.integrations.services import _digest_for, remind
from homestretch.integrations.webhook import slack_text
from homestretch.pipeline import records
from homestretch.pipeline.consent import RENEWAL_NOTICE_DAYS, add_months
from homestretch.pipeline.models import Candidate
from homestretch.risk.actions import CONTACTS_CANDIDATE
from homestretch.risk.scoring import risk_of
from homestretch.tests.api_client import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


# --- The basis through the API ----------------------------------------------------------------------


def test_a_basis_is_dated_now_and_renewed_by_its_default_and_consent_follows_it(alice, now):
    api = ApiClient(alice)
    given = api.post("/candidates", {"name": "Ravi", "email": "ravi@example.org", "legal_basis": "consent",
                                     "basis_obtained_how": "form"}).json()
    obtained = date.fromisoformat(given["basis_obtained_at"][:10])
    assert given["consent_to_contact"] is True and given["consent_given_at"] == given["basis_obtained_at"]
    assert given["basis_renew_by"] == add_months(obtained, 24).isoformat()
    weighed = api.patch(f"/candidates/{given['id']}", {"legal_basis": "legitimate_interest",
                                                       "basis_obtained_at": "2026-01-31T10:00:00+00:00"}).json()
    assert (weighed["consent_to_contact"], weighed["consent_given_at"]) == (False, None)
    assert weighed["basis_renew_by"] == "2027-01-31"  # 12 months for a legitimate interest
    cleared = api.patch(f"/candidates/{given['id']}", {"legal_basis": ""}).json()
    assert (cleared["basis_obtained_at"], cleared["basis_obtained_how"], cleared["basis_renew_by"]) == (None, "", None)


def test_a_program_that_knows_only_consent_to_contact_still_works(alice):
    api = ApiClient(alice)
    created = api.post("/candidates", {"name": "Ravi", "email": "ravi@example.org", "consent_to_contact": True,
                                       "consent_given_at": "2026-03-01T09:00:00+00:00"}).json()
    assert (created["legal_basis"], created["basis_obtained_at"], created["basis_renew_by"]) == (
        "consent", "2026-03-01T09:00:00Z", "2028-03-01")
    withdrawn = api.patch(f"/candidates/{created['id']}", {"consent_to_contact": False}).json()
    assert (withdrawn["legal_basis"], withdrawn["consent_given_at"], withdrawn["basis_renew_by"]) == ("", None, None)


@pytest.mark.parametrize(("body", "field"), [
    ({"legal_basis": "consent", "basis_obtained_at": "2026-06-01T00:00:00+00:00", "basis_renew_by": "2026-05-01"},
     "basis_renew_by"),
    ({"objection_note": "Asked not to be called"}, "objected_at"),
    ({"legal_basis": "consent", "consent_to_contact": False}, "consent_to_contact"),
    ({"legal_basis": "legitimate_interest", "consent_to_contact": True}, "consent_to_contact"),
    ({"basis_renew_by": "2027-01-01"}, "basis_renew_by"),
    ({"legal_basis": "trust me"}, "legal_basis"),
])
def test_bad_consent_input_is_refused_on_its_field_and_changes_nothing(alice, body, field):
    response = ApiClient(alice).post("/candidates", {"name": "Ravi", "email": "ravi@example.org", **body})
    problem = assert_problem(response, 422)
    assert any(error["field"].split(".")[0] == field for error in problem["errors"]), problem
    assert not Candidate.objects.exists()


def test_a_correction_broken_by_what_the_record_holds_is_a_conflict(alice):
    api = ApiClient(alice)
    created = api.post("/candidates", {"name": "Ravi", "email": "ravi@example.org", "legal_basis": "consent",
                                       "basis_obtained_at": "2026-06-01T00:00:00+00:00"}).json()
    assert_problem(api.patch(f"/candidates/{created['id']}", {"basis_renew_by": "2026-05-01"}), 409, "basis_renew_by")
    assert_problem(api.patch(f"/candidates/{created['id']}", {"objection_note": "No calls"}), 409, "objected_at")
    assert Candidate.objects.get().basis_renew_by == date(2028, 6, 1)


# --- Renewals on Today ------------------------------------------------------------------------------


def _with_basis(name: str, job, recruiter, now, renew_in_days: int, *, objected: bool = False):
    application = application_at(name, job, recruiter, "interviewing", entered=now - timedelta(days=400))
    candidate = application.candidate
    candidate.legal_basis, candidate.basis_obtained_at = "consent", now - timedelta(days=400)
    candidate.basis_renew_by = now.date() + timedelta(days=renew_in_days)
    candidate.objected_at = now - timedelta(days=1) if objected else None
    return records.save_candidate(candidate, at=now)


def test_today_lists_renewals_due_within_the_notice_or_overdue_for_the_recruiters_candidates(
        client, alice, charlie, job, now, pages_at_now):  # noqa: F811
    _with_basis("Olga Overdue", job, alice, now, -3)
    _with_basis("Sami Soon", job, alice, now, RENEWAL_NOTICE_DAYS)
    _with_basis("Lars Later", job, alice, now, RENEWAL_NOTICE_DAYS + 1)
    _with_basis("Otto Objected", job, alice, now, 2, objected=True)
    _with_basis("Carl Charlies", job, charlie, now, 1)
    client.force_login(alice)
    page = client.get("/").content.decode()
    page = page[page.index('id="renewals-head"'):]
    page = page[:page.index("</section>")]
    assert "Legal basis to renew" in page and f"due within {RENEWAL_NOTICE_DAYS} days or overdue" in page
    assert "Olga Overdue" in page and "overdue by 3 days" in page
    assert "Sami Soon" in page and f"due in {RENEWAL_NOTICE_DAYS} days" in page
    assert "Lars Later" not in page and "Otto Objected" not in page and "Carl Charlies" not in page
    everyone = renewals_due(now.date(), 20)
    assert [due.candidate_name for due in everyone.renewals] == ["Olga Overdue", "Carl Charlies", "Sami Soon"]


def test_the_api_and_the_command_line_list_the_same_renewals(alice, charlie, job, now):
    _with_basis("Olga Overdue", job, alice, now, -3)
    _with_basis("Carl Charlies", job, charlie, now, 1)
    answer = ApiClient(alice).get("/agenda/renewals", recruiter=alice.pk, on=now.date().isoformat()).json()
    assert answer["total"] == 1
    (olga,) = answer["items"]
    assert (olga["candidate"], olga["legal_basis"], olga["days_left"], olga["overdue"]) == (
        "Olga Overdue", "Consent", -3, True)
    assert_problem(ApiClient(alice).get("/agenda/renewals", recruiter=999999), 404)
    printed = CliRunner().invoke(app, ["agenda", "--recruiter", alice.email, "--now", now.isoformat()]).output
    assert "Legal basis to renew (1 due within 14 days or overdue)" in printed
    assert "Olga Overdue · Consent · overdue by 3 days" in printed and "Carl Charlies" not in printed


def test_the_renewals_take_the_same_queries_for_two_or_twenty(alice, job, now, django_assert_num_queries):
    for n in range(2):
        _with_basis(f"Early {n}", job, alice, now, n)
    with CaptureQueriesContext(connection) as few:
        assert renewals_due(now.date(), 10, recruiter_id=alice.pk).total == 2
    for n in range(18):
        _with_basis(f"Later {n}", job, alice, now, n % 10)
    with django_assert_num_queries(len(few) + 1):  # the count, once more rows are due than shown
        page = renewals_due(now.date(), 10, recruiter_id=alice.pk)
    assert (len(page.renewals), page.total) == (10, 20)


def test_the_candidate_page_shows_the_basis_its_renewal_and_the_objection(client, alice, job, now, pages_at_now):  # noqa: F811
    candidate = _with_basis("Olga Overdue", job, alice, now, -3, objected=True)
    client.force_login(alice)
    page = client.get(reverse("candidate", kwargs={"candidate_id": candidate.pk})).content.decode()
    assert "Consent" in page and "overdue by 3 days" in page
    assert "Objected: excluded from digests, feed and outreach" in page


# --- An objection, on every channel -----------------------------------------------------------------


@pytest.fixture
def objected(alice, job, now):
    """Two of Alice's candidates overdue for a call; Otto objects to being contacted."""
    kept = application_at("Kira Kept", job, alice, "final_interview", entered=now - timedelta(days=12),
                          last_call=now - timedelta(days=6))
    otto = application_at("Otto Objected", job, alice, "final_interview", entered=now - timedelta(days=12),
                          last_call=now - timedelta(days=6))
    # Before the objection, both are due and Otto is to be called.
    assert {item.facts.candidate_name for item in agenda(now.date(), now=now, recruiter_id=alice.pk)} == {
        "Kira Kept", "Otto Objected"}
    assert "call_today" in [action.code for action in risk_of(otto.pk, now)[1].actions]
    candidate = otto.candidate
    candidate.objected_at, candidate.objection_note = now - timedelta(hours=1), "Asked by e-mail not to be contacted"
    records.save_candidate(candidate, at=now)
    return {"kept": kept, "otto": otto}


def test_an_objection_takes_the_candidate_off_today_and_the_agenda(client, alice, objected, now, pages_at_now):  # noqa: F811
    names = [item.facts.candidate_name for item in agenda(now.date(), now=now, recruiter_id=alice.pk)]
    assert names == ["Kira Kept"]
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert "Kira Kept" in page and "Otto Objected" not in page


def test_an_objection_takes_the_candidate_off_the_digest_and_the_chat(alice, objected, now):
    remind(now)
    (message,) = [m for m in mail.outbox if m.to == [alice.email]]
    assert "Kira Kept" in message.body and "Otto Objected" not in message.body
    chat = slack_text(_digest_for(alice, now.date(), now))
    assert "Kira Kept" in chat and "Otto Objected" not in chat


def test_an_objection_takes_the_candidate_off_the_calendar_feed(alice, objected, now):
    events = icalendar.Calendar.from_ical(recruiter_feed(alice, now)).walk("VEVENT")
    summaries = " ".join(str(event["summary"]) for event in events)
    assert "Kira Kept" in summaries and "Otto Objected" not in summaries


def test_an_objection_leaves_no_action_that_contacts_the_candidate(objected, now):
    otto = [action.code for action in risk_of(objected["otto"].pk, now)[1].actions]
    kira = [action.code for action in risk_of(objected["kept"].pk, now)[1].actions]
    assert "call_today" in kira
    assert not set(otto) & CONTACTS_CANDIDATE
