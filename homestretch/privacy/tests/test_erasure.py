"""Erasing a candidate: a person planted with a distinctive name, e-mail, phone and note in every place the
product keeps data about them is, afterwards, in no page, API answer, brief, feed, search, mail file, audit
entry or log line; the Insights are the same; and the erasure is refused twice, without a reason or by a
non-admin."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from typer.testing import CliRunner

from homestretch.audit.models import Entry
from homestretch.cli import app
from homestretch.mailin import services as mail_services
from homestretch.mailin.choices import Via
from homestretch.mailin.models import MailMessage, Proposal
from homestretch.mailin.tests.messages import plain
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Candidate, Job, Touchpoint
from homestretch.pipeline.models import Client as ClientRecord
from homestretch.pipeline.services import StageMove
from homestretch.privacy.api import DELETED_THROUGH_THE_API
from homestretch.privacy.erasure import ERASED_NAME, erase_candidate
from homestretch.privacy.models import ErasedOutcome, Erasure
from homestretch.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db
runner = CliRunner()

NAME = "Zephyrine Quillfeather"
EMAIL = "zq-1234@example.org"
PHONE = "+49 1577 9988776"
NOTE = "zq-planted-note"
PLANTED = (NAME, EMAIL, PHONE, NOTE, "Zephyrine", "Quillfeather", "zq-1234", "9988776")


def absent(text: str, where: str) -> None:
    lowered = text.casefold()
    found = [word for word in PLANTED if word.casefold() in lowered]
    assert not found, f"{where} still holds {found}"


def present(text: str, where: str) -> None:
    assert NAME in text or EMAIL in text or NOTE in text, f"{where} held nothing of the person before the erasure"


@pytest.fixture
def mail_dir(settings, tmp_path) -> Path:
    """E-mail written to files, as an installation without EMAIL_HOST does (var/mail)."""
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = folder
    return folder


@pytest.fixture
def planted(alice, ada, job, now):
    """The person in every record that keeps something about a candidate: their record and notes, an open
    application with touches, a stage move's reason, our offer with notes, a competing offer and priorities
    with notes, mail kept (with a proposal read from it), and a second application lost to a competitor."""
    person = Candidate.objects.create(name=NAME, email=EMAIL, phone=PHONE, notes=f"Met at a meetup. {NOTE}",
                                      location="Potsdam", current_employer="Quill Labs", skills="Rust, Go",
                                      source="referral")
    open_one = services.open_application(candidate=person, job=job, recruiter=alice, by=alice,
                                         at=now - timedelta(days=30), stage="interviewing")
    services.move_stage(open_one.pk, StageMove(to_stage="final_interview", reason=f"{NAME} did well. {NOTE}"),
                        by=alice, at=now - timedelta(days=12))
    services.log_touchpoint(Touchpoint(candidate=person, application=open_one, recruiter=alice,
                                       at=now - timedelta(days=5), channel="call", direction="outbound",
                                       notes=f"Called {NAME} on {PHONE}: {NOTE}", interest=4,
                                       competition_asked=True, competition_answer="disclosed"))
    offer_services.record_offer(Offer(application=open_one, base=Decimal("86500"), currency="EUR", status="extended",
                                      notes=f"For {NAME}. {NOTE}", expires_on=(now + timedelta(days=3)).date()),
                                by=alice, at=now - timedelta(days=2))
    offer_services.record_competing_offer(CompetingOffer(
        candidate=person, company="Initech", stage="offer", base=Decimal("91000"), currency="EUR",
        deadline=(now + timedelta(days=2)).date(), learned_at=now - timedelta(days=3), role="Staff engineer",
        notes=f"{NAME} told us. {NOTE}"), by=alice)
    offer_services.set_priorities(Priorities(candidate=person, base_min=Decimal("80000"), currency="EUR",
                                             must_haves=f"Remote Fridays ({NOTE})"),
                                  by=alice, at=now - timedelta(days=4))
    mail_services.receive(plain(sender=EMAIL, to="alice@example.com", subject=f"From {NAME}",
                                body=f"Hi Alice, {NAME} here ({PHONE}). Initech offered me 95,000 EUR a year. {NOTE}"),
                          via=Via.SMTP, now=now - timedelta(days=1))

    # A second search, lost to a competitor: what the Insights count.
    other_client = ClientRecord.objects.create(name="Umbrella Data")
    other_job = Job.objects.create(client=other_client, title="Data Engineer", base_min=Decimal("70000"),
                                   base_max=Decimal("90000"), currency="EUR")
    lost = services.open_application(candidate=person, job=other_job, recruiter=alice, by=alice,
                                     at=now - timedelta(days=90), stage="offer")
    lost_offer = offer_services.record_offer(Offer(application=lost, base=Decimal("78000"), currency="EUR",
                                                   status="extended", notes=NOTE),
                                             by=alice, at=now - timedelta(days=80))
    offer_services.set_offer_status(lost_offer.pk, "declined", by=alice, at=now - timedelta(days=75),
                                    decline_reason="competing_offer", won_by="Initech", note=f"{NAME}: {NOTE}")
    services.move_stage(lost.pk, StageMove(to_stage="declined", reason=f"{NAME} went to Initech. {NOTE}",
                                           loss_reason="competing_offer", lessons=f"Move faster with {NAME}"),
                        by=alice, at=now - timedelta(days=75))

    # Someone else's record that mentions the person by name, and the job's lessons.
    other = Candidate.objects.create(name="Otto Other", email="otto@example.org",
                                     notes=f"Referred by {NAME}; ask her about the team.")
    Job.objects.filter(pk=other_job.pk).update(lessons=f"Lost {NAME} to Initech on speed.")
    # A past outcome imported from a file whose other columns named her.
    from homestretch.history.models import ImportBatch, PastOutcome

    batch = ImportBatch.objects.create(file_name="offers-2024.csv", file_sha256="0" * 64, imported_at=now)
    PastOutcome.objects.create(batch=batch, row_key="r1", outcome="lost", source="referral",
                               extra={"Candidate": NAME, "Contact": {"mail": EMAIL}, "Team": "Platform"})
    return {"person": person, "open": open_one, "lost": lost, "other": other, "other_job": other_job}


def surfaces(planted, alice, ada, now) -> dict[str, str]:
    """Every place a user or a client reads the person's data: pages, API, brief, feed, search, export."""
    from homestretch.integrations.calendar import recruiter_feed
    from homestretch.integrations.services import create_feed
    from homestretch.privacy.export import export_candidate

    person, open_one, lost = planted["person"], planted["open"], planted["lost"]
    web = Client()
    web.force_login(ada)
    pages = {
        "candidate page": f"/candidates/{person.pk}/", "application page": f"/applications/{open_one.pk}/",
        "lost application page": f"/applications/{lost.pk}/", "board": "/pipeline/", "today": "/",
        # The searches ask for parts of the name and e-mail, so that the query echoed in the search box is no
        # planted string itself.
        "candidate search": "/candidates/?q=zephyr", "search by e-mail": "/candidates/?q=1234@example.org",
        "job page": f"/jobs/{open_one.job_id}/", "other job page": f"/jobs/{lost.job_id}/",
        "brief page": f"/applications/{open_one.pk}/brief/", "unmatched mail": "/mail/unmatched/",
        "other candidate": f"/candidates/{planted['other'].pk}/", "insights": "/insights/",
        "audit": "/audit/", "applications export": "/export/applications.csv",
        "candidate export": f"/candidates/{person.pk}/export/",
        "candidate export, readable": f"/candidates/{person.pk}/export/?format=html",
    }
    seen = {}
    for label, url in pages.items():
        response = web.get(url)
        assert response.status_code == 200, (label, response.status_code)
        seen[label] = response.getvalue().decode()
    api = ApiClient(ada)
    for label, path in {
        "API candidate": f"/candidates/{person.pk}", "API candidates": "/candidates?limit=500",
        "API search": "/candidates?q=Zephyr", "API applications": "/applications?limit=500",
        "API touchpoints": f"/applications/{open_one.pk}/touchpoints",
        "API stage changes": f"/applications/{open_one.pk}/stage-changes",
        "API offers": f"/applications/{open_one.pk}/offers", "API lost offers": f"/applications/{lost.pk}/offers",
        "API competing": f"/candidates/{person.pk}/competing-offers",
        "API priorities": f"/candidates/{person.pk}/priorities", "API brief": f"/applications/{open_one.pk}/brief",
        "API agenda": "/agenda", "API risk": f"/applications/{open_one.pk}/risk",
        "API proposals": f"/applications/{open_one.pk}/proposals",
    }.items():
        response = api.get(path)
        assert response.status_code in (200, 404), (label, response.status_code)
        seen[label] = response.content.decode()
    alices_api = ApiClient(alice)
    seen["API unmatched mail"] = alices_api.get("/mail/unmatched").content.decode()
    seen["calendar feed"] = recruiter_feed(alice, now).decode()
    seen["export document"] = json.dumps(export_candidate(person.pk, now=now), default=str)
    seen["calendar feed URL"] = web.get(create_feed(alice).get_absolute_url()).content.decode()
    return seen


def sessions_text() -> str:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    return json.dumps([SessionStore().decode(data) for data in Session.objects.values_list("session_data", flat=True)],
                      default=str, ensure_ascii=False)


def mail_files(folder: Path) -> str:
    if not folder.is_dir():
        return ""
    from homestretch.privacy.erasure import _readable, _split_mail_file

    return "\n".join(_readable(message) for path in sorted(folder.iterdir())
                     for message in _split_mail_file(path.read_bytes()))


def test_a_planted_person_is_nowhere_after_the_erasure_and_the_insights_do_not_change(
    planted, alice, ada, now, mail_dir, caplog, settings,
):
    from homestretch.insights.figures import Filters, insights
    from homestretch.integrations.services import remind
    from homestretch.risk.models import RiskSnapshot
    from homestretch.risk.snapshots import refresh_everyone

    settings.HOMESTRETCH_PAGES_NOW = now
    person = planted["person"]
    remind(now)  # today's digest, written to a file, names the person
    refresh_everyone(now)
    assert RiskSnapshot.objects.filter(application__candidate=person).exists()
    # A write through the API whose stored idempotent response holds the person.
    response = ApiClient(ada).client.patch(
        f"/api/v1/candidates/{person.pk}", data=json.dumps({"location": "Potsdam"}), content_type="application/json",
        headers={"Authorization": f"Bearer {ApiClient(ada).token}", "Idempotency-Key": "k-1"})
    assert response.status_code == 200 and NAME in response.content.decode()

    # A move refused on the board keeps the candidate's name in the recruiter's session until the board shows it.
    recruiter = Client()
    recruiter.force_login(alice)
    refused = recruiter.post(f"/applications/{planted['open'].pk}/move/",
                             {"to_stage": "declined", "reason": "", "next": "/pipeline/"})
    assert refused.status_code == 302
    assert NAME in sessions_text()

    filters = Filters(date_from=(now - timedelta(days=365)).date(), date_to=now.date())
    before_insights = insights(filters, now=now)
    before = surfaces(planted, alice, ada, now)
    # These show nothing of the person even before (a risk, the figures, someone else's page, mail unmatched
    # while theirs is matched): they are checked after the erasure all the same.
    without_the_person = {"unmatched mail", "API unmatched mail", "other candidate", "insights", "API risk"}
    missing = [label for label, text in before.items()
               if label not in without_the_person and not (NAME in text or EMAIL in text or NOTE in text)]
    assert not missing, f"these held nothing of the person before the erasure: {missing}"
    present(mail_files(mail_dir), "the mail files")
    assert MailMessage.objects.filter(candidate=person).exists() and Proposal.objects.filter(candidate=person).exists()

    report = erase_candidate(person.pk, reason="asked by e-mail", by=ada, at=now + timedelta(minutes=1))
    # The cached snapshots are gone (the pages below compute them again, from the de-identified rows).
    assert not RiskSnapshot.objects.filter(application__candidate=person).exists()

    caplog.clear()
    caplog.set_level(logging.DEBUG)
    after = surfaces(planted, alice, ada, now)
    for label, text in after.items():
        absent(text, label)
    absent(mail_files(mail_dir), "the mail files")
    absent(sessions_text(), "the sessions")
    remind(now + timedelta(days=1))  # the next digest
    absent(mail_files(mail_dir), "the next digest")
    result = runner.invoke(app, ["brief", str(planted["open"].pk), "--format", "json"])
    absent(result.output, "the brief on the command line")
    absent(caplog.text, "the log written after the erasure")

    assert insights(filters, now=now) == before_insights
    assert report.applications == 2 and report.mail_messages == 1 and report.mail_files >= 1
    assert report.idempotent_responses == 1 and report.mentions_redacted >= 2 and report.audit_entries >= 1
    tombstone = Candidate.objects.get(pk=person.pk)
    assert (tombstone.name, tombstone.email, tombstone.phone, tombstone.notes, tombstone.skills) == (
        ERASED_NAME, "", "", "", "")
    assert tombstone.source == "referral"  # a category, kept for the track record
    assert Application.objects.filter(candidate=person).count() == 2
    assert not MailMessage.objects.filter(candidate=person).exists()
    absent(json.dumps(list(Candidate.objects.values()), default=str), "the candidates table")
    absent(json.dumps(list(Touchpoint.objects.values("notes"))), "the touches")
    assert Candidate.objects.get(pk=planted["other"].pk).notes == "Referred by [erased]; ask her about the team."
    from homestretch.history.models import PastOutcome

    assert PastOutcome.objects.get(row_key="r1").extra == {
        "Candidate": "[erased]", "Contact": {"mail": "[erased]"}, "Team": "Platform"}


def test_the_outcome_kept_has_months_bands_and_codes_and_no_free_text(planted, ada, now):
    erase_candidate(planted["person"].pk, reason="asked by e-mail", by=ada, at=now)
    erasure = Erasure.objects.get(candidate_id=planted["person"].pk)
    assert (erasure.reason, erasure.erased_by, erasure.cause, erasure.applications) == (
        "asked by e-mail", ada, "request", 2)
    lost = ErasedOutcome.objects.get(application_id=planted["lost"].pk)
    assert lost.erasure == erasure and lost.job_id == planted["lost"].job_id
    assert (lost.stage, lost.outcome, lost.loss_reason, lost.offer_status, lost.offer_decline_reason) == (
        "declined", "lost", "competing_offer", "declined", "competing_offer")
    assert (lost.offer_base_band_from, lost.offer_base_band_to, lost.currency) == (70000, 80000, "EUR")
    assert lost.competitor_won == "Initech" and lost.competing_offers == 1 and not lost.counteroffer
    assert lost.opened_month.day == 1 and lost.closed_month is not None and lost.closed_month.day == 1
    assert set(lost.stage_months) == {"offer", "declined"}
    assert all(len(month) == 7 for month in lost.stage_months.values())  # "YYYY-MM"
    open_one = ErasedOutcome.objects.get(application_id=planted["open"].pk)
    assert (open_one.stage, open_one.outcome, open_one.offer_base_band_from) == ("final_interview", "ongoing", 80000)
    assert open_one.source == "referral"


def test_a_confidential_competitor_that_won_is_not_kept_by_name(alice, ada, job, now):
    person = Candidate.objects.create(name="Casimir Confidentialis", email="cc@example.org")
    application = services.open_application(candidate=person, job=job, recruiter=alice, by=alice,
                                            at=now - timedelta(days=20), stage="offer")
    CompetingOffer.objects.create(candidate=person, company="Hooli", stage="offer", confidential=True,
                                  learned_at=now - timedelta(days=10))
    offer = offer_services.record_offer(Offer(application=application, base=Decimal("90000"), currency="EUR",
                                              status="extended"), by=alice, at=now - timedelta(days=9))
    offer_services.set_offer_status(offer.pk, "declined", by=alice, at=now - timedelta(days=8),
                                    decline_reason="competing_offer", won_by="Hooli")
    erase_candidate(person.pk, reason="asked", by=ada, at=now)
    assert ErasedOutcome.objects.get(application_id=application.pk).competitor_won == ""


def test_erasure_is_refused_twice_without_a_reason_with_the_persons_name_or_for_nobody(planted, ada, now):
    person = planted["person"]
    with pytest.raises(ValidationError) as missing:
        erase_candidate(person.pk, reason="   ", by=ada, at=now)
    assert "reason" in missing.value.error_dict
    with pytest.raises(ValidationError) as naming:
        erase_candidate(person.pk, reason=f"{NAME} asked", by=ada, at=now)
    assert "without the candidate's name" in str(naming.value)
    assert Candidate.objects.get(pk=person.pk).name == NAME and not Erasure.objects.exists()  # refused: nothing done
    with pytest.raises(Http404):
        erase_candidate(999_999, reason="asked", by=ada, at=now)
    erase_candidate(person.pk, reason="asked", by=ada, at=now)
    with pytest.raises(ValidationError) as again:
        erase_candidate(person.pk, reason="asked", by=ada, at=now)
    assert "already erased" in str(again.value)


def test_the_erasure_takes_a_fixed_number_of_queries_whatever_the_touches(alice, ada, job, now,
                                                                         django_assert_max_num_queries):
    def person_with(touches: int, n: int) -> Candidate:
        person = Candidate.objects.create(name=f"Many Touches{n}", email=f"many{n}@example.org")
        application = services.open_application(candidate=person, job=job, recruiter=alice, by=alice,
                                                 at=now - timedelta(days=60))
        Touchpoint.objects.bulk_create([
            Touchpoint(candidate=person, application=application, at=now - timedelta(hours=i), channel="call",
                       direction="outbound", notes=f"note {i}")
            for i in range(touches)])
        return person

    few, many = person_with(2, 1), person_with(300, 2)
    with django_assert_max_num_queries(60) as counted:
        erase_candidate(few.pk, reason="asked", by=ada, at=now)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        erase_candidate(many.pk, reason="asked", by=ada, at=now)


def test_the_api_erases_for_an_admin_only_and_answers_counts(planted, alice, victor, ada):
    person = planted["person"]
    for user in (alice, victor):
        response = ApiClient(user).post(f"/candidates/{person.pk}/erase", {"reason": "asked by e-mail"})
        assert response.status_code == 403
    assert ApiClient(ada).post(f"/candidates/{person.pk}/erase", {"reason": " "}).status_code == 422
    response = ApiClient(ada).post(f"/candidates/{person.pk}/erase", {"reason": "asked by e-mail"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["candidate_id"] == person.pk and body["applications"] == 2 and body["cause"] == "request"
    absent(response.content.decode(), "the erasure's answer")
    again = ApiClient(ada).post(f"/candidates/{person.pk}/erase", {"reason": "asked by e-mail"})
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert ApiClient(ada).post("/candidates/999999/erase", {"reason": "asked"}).status_code == 404


def test_a_repeat_with_the_same_idempotency_key_gets_the_first_answer_which_names_no_one(planted, ada):
    from homestretch.accounts.models import IdempotencyKey

    api = ApiClient(ada)
    url = f"/api/v1/candidates/{planted['person'].pk}/erase"
    headers = {"Authorization": f"Bearer {api.token}", "Idempotency-Key": "erase-1"}
    body = json.dumps({"reason": "asked by e-mail"})
    first = api.client.post(url, data=body, content_type="application/json", headers=headers)
    repeat = api.client.post(url, data=body, content_type="application/json", headers=headers)
    assert first.status_code == repeat.status_code == 200
    assert repeat["Idempotent-Replayed"] == "true" and repeat.json() == first.json()
    stored = IdempotencyKey.objects.get(key="erase-1").response_body
    absent(stored, "the stored answer")
    assert Erasure.objects.count() == 1


def test_the_admin_confirms_on_a_page_then_sees_it_done(planted, alice, ada):
    person = planted["person"]
    recruiter = Client()
    recruiter.force_login(alice)
    assert recruiter.get(f"/candidates/{person.pk}/erase/").status_code == 403
    assert recruiter.post(f"/candidates/{person.pk}/erase/", {"reason": "x", "irreversible": "on"}).status_code == 403
    assert "Erase…" not in recruiter.get(f"/candidates/{person.pk}/").content.decode()

    admin = Client()
    admin.force_login(ada)
    assert f"/candidates/{person.pk}/erase/" in admin.get(f"/candidates/{person.pk}/").content.decode()
    page = admin.get(f"/candidates/{person.pk}/erase/")
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    unticked = admin.post(f"/candidates/{person.pk}/erase/", {"reason": "asked by e-mail"})
    assert unticked.status_code == 422 and "Tick this to confirm" in unticked.content.decode()
    assert Candidate.objects.get(pk=person.pk).name == NAME
    done = admin.post(f"/candidates/{person.pk}/erase/", {"reason": "asked by e-mail", "irreversible": "on"},
                      follow=True)
    assert done.redirect_chain[-1][0] == f"/candidates/{person.pk}/erased/"
    text = done.content.decode()
    assert "erased" in text and "asked by e-mail" in text and "2 applications kept" in text
    absent(text, "the page that says it is done")
    assert Candidate.objects.get(pk=person.pk).name == ERASED_NAME
    tombstone = admin.get(f"/candidates/{person.pk}/").content.decode()
    assert "Erased on" in tombstone and f"/candidates/{person.pk}/erase/" not in tombstone


def test_the_command_line_asks_refuses_without_a_terminal_and_erases_with_yes(planted):
    person = planted["person"]
    no_reason = runner.invoke(app, ["candidate", "erase", str(person.pk)])
    assert no_reason.exit_code != 0 and "--reason" in no_reason.output
    unknown = runner.invoke(app, ["candidate", "erase", "999999", "--reason", "asked"])
    assert unknown.exit_code == 1 and "No candidate with id 999999" in unknown.output
    unconfirmed = runner.invoke(app, ["candidate", "erase", str(person.pk), "--reason", "asked"])
    assert unconfirmed.exit_code == 1 and "pass --yes" in unconfirmed.output
    assert Candidate.objects.get(pk=person.pk).name == NAME
    done = runner.invoke(app, ["candidate", "erase", str(person.pk), "--reason", "asked by e-mail", "--yes",
                               "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["applications"] == 2
    absent(done.output, "the command's output")
    again = runner.invoke(app, ["candidate", "erase", str(person.pk), "--reason", "asked", "--yes"])
    assert again.exit_code == 1 and "already erased" in again.output


def test_at_a_terminal_the_command_line_asks_and_a_no_erases_nothing(planted, monkeypatch):
    from homestretch.privacy import erasure_commands

    monkeypatch.setattr(erasure_commands, "_can_ask", lambda: True)  # the runner's stdin is no terminal
    person = planted["person"]
    declined = runner.invoke(app, ["candidate", "erase", str(person.pk), "--reason", "asked"], input="n\n")
    assert declined.exit_code == 1 and "for good" in declined.output and "Nothing erased." in declined.output
    assert Candidate.objects.get(pk=person.pk).name == NAME
    confirmed = runner.invoke(app, ["candidate", "erase", str(person.pk), "--reason", "asked"], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert Candidate.objects.get(pk=person.pk).name == ERASED_NAME


# DELETE /api/v1/candidates/{id}: the record and everything recorded about the person go, and so does what a
# plain deletion left behind (the audit's entries with every field of the record as it was, mentions in other
# records, mail files): it erases first (the audit says so, without the data), then deletes.
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
