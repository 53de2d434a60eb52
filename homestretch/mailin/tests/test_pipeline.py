"""The one pipeline: matching by address, touches through the pipeline's service, dedupe, Unmatched
mail, limits and the attacks a drop address invites."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from homestretch.mailin import services
from homestretch.mailin.choices import MailStatus, ProposalKind, UnmatchedReason, Via
from homestretch.mailin.models import MailMessage, Proposal, RecruiterAddress
from homestretch.pipeline import services as pipeline_services
from homestretch.pipeline.models import Application, Candidate, TouchSummary

from .messages import plain, with_attachment

REPLY = """Hi Alice,

Thanks for the update. To be transparent: Initech made me an offer yesterday, 95,000 EUR a year,
and they want an answer by Friday. Acme is still my first choice though.

Best regards,
Priya
+49 170 000000

On Wed, 18 Nov 2026 at 10:00, Alice Archer <alice@example.com> wrote:
> Any other processes going on?
"""


def receive(raw: bytes, now: datetime, **kwargs):
    return services.receive(raw, via=kwargs.pop("via", Via.SMTP), now=now, **kwargs)


def test_inbound_reply_becomes_one_email_touch_with_the_new_text(application, now):
    result = receive(plain(sender="Priya Nair <Priya@Example.org>", to="alice@example.com", body=REPLY), now)

    assert result.refused == ""
    [touch] = result.touchpoints
    assert (touch.application_id, touch.channel, touch.direction) == (application.pk, "email", "inbound")
    assert touch.at == datetime(2026, 11, 19, 15, 5, tzinfo=UTC)  # the Date header, not the arrival
    assert "Initech made me an offer" in touch.notes
    assert "Any other processes" not in touch.notes  # the quoted question is stripped
    assert "+49 170" not in touch.notes  # and the signature
    assert TouchSummary.objects.get(application=application).last_inbound_at == touch.at
    [message] = result.messages
    assert message.status == MailStatus.MATCHED and list(message.touchpoints.all()) == [touch]


def test_what_the_reply_says_about_a_competing_offer_is_proposed_not_applied(application, now):
    receive(plain(sender="priya@example.org", to="alice@example.com", body=REPLY), now)

    offer = Proposal.objects.get(kind=ProposalKind.COMPETING_OFFER)
    assert (offer.company, offer.base, offer.currency, offer.period, str(offer.deadline)) == (
        "Initech", 95000, "EUR", "year", "2026-11-20")  # "by Friday" of a message written on Thursday 19th
    assert application.candidate.competing_offers.count() == 0  # nothing applied
    assert Proposal.objects.filter(kind=ProposalKind.COMPETITION_ANSWER, answer="disclosed").exists()


def test_outbound_from_another_address_of_the_recruiter(application, alice, now):
    RecruiterAddress.objects.create(user=alice, address="alice.archer@agency.example", created_at=now)
    result = receive(plain(sender="alice.archer@agency.example", to="priya@example.org",
                           body="Hi Priya, the client loved you. Talk tomorrow?"), now)
    [touch] = result.touchpoints
    assert (touch.direction, touch.recruiter) == ("outbound", alice)


def test_the_same_message_twice_makes_one_touch_whichever_way_it_came(application, now):
    raw = plain(sender="priya@example.org", to="alice@example.com", body="Still keen!")
    first = receive(raw, now, via=Via.SMTP)
    again = receive(b"Received: from mx by drop; Thu, 19 Nov 2026 16:06:00 +0100\r\n" + raw, now, via=Via.IMAP)

    assert len(first.touchpoints) == 1
    assert (again.duplicates, again.messages, again.touchpoints) == (1, [], [])
    assert application.touchpoints.count() == 1


def test_a_reused_message_id_with_other_content_is_not_swallowed(application, now):
    """A forger (or a broken mailer) sending first with the Message-ID of a real message does not
    suppress it: the fingerprint is the Message-ID with sender, date and subject."""
    receive(plain(sender="mallory@evil.example", to="alice@example.com", body="hi", message_id="<x@y>"), now)
    real = receive(plain(sender="priya@example.org", to="alice@example.com", body="Real news", message_id="<x@y>"),
                   now)
    assert len(real.touchpoints) == 1


def test_a_message_to_recruiters_of_two_teams_is_taken_in_by_each(application, charlie, job, now):
    other = Application.objects.create(candidate=application.candidate, job=_other_job(job), recruiter=charlie,
                                       stage="interviewing")
    result = receive(plain(sender="priya@example.org", to="alice@example.com, charlie@example.com",
                           body="Update for both of you."), now)
    assert sorted(t.application_id for t in result.touchpoints) == sorted([application.pk, other.pk])
    assert MailMessage.objects.count() == 2


def _other_job(job):
    from homestretch.pipeline.models import Job

    return Job.objects.create(client=job.client, title="Staff Engineer", currency="EUR")


def test_unknown_sender_lands_in_the_recruiters_unmatched_mail(alice, now):
    result = receive(plain(sender="stranger@example.net", to="alice@example.com", body="Hello, I saw your post"),
                     now)
    [message] = result.messages
    assert (message.status, message.unmatched_reason, message.recruiter) == (
        MailStatus.UNMATCHED, UnmatchedReason.NO_CANDIDATE, alice)
    assert result.touchpoints == [] and not Candidate.objects.exists()  # nothing creates a candidate


def test_attach_then_dismiss(application, alice, bob, charlie, now):
    from homestretch.lib.refusals import Refused

    result = receive(plain(sender="priya.private@home.example", to="alice@example.com", body="New address!"), now)
    [message] = result.messages
    with pytest.raises(Refused):
        services.attach(message, application.candidate, by=charlie, now=now)  # another team's
    [touch] = services.attach(message, application.candidate, by=bob, now=now)  # a teammate may
    assert touch.application_id == application.pk
    message.refresh_from_db()
    assert message.status == MailStatus.ATTACHED
    with pytest.raises(Refused):
        services.dismiss(message, by=bob, now=now)


def test_dismiss_erases_the_text_and_keeps_the_fingerprint(alice, now):
    raw = plain(sender="stranger@example.net", to="alice@example.com", body="Personal words")
    [message] = receive(raw, now).messages
    services.dismiss(message, by=alice, now=now)
    message.refresh_from_db()
    assert (message.status, message.new_text, message.subject) == (MailStatus.DISMISSED, "", "")
    assert receive(raw, now).duplicates == 1


def test_forged_recruiter_sender_makes_no_touch_when_the_mail_server_is_named(application, settings, now):
    settings.MAILIN_AUTHSERV_ID = "mx.agency.example"
    forged = plain(sender="alice@example.com", to="priya@example.org", body="Forged", headers={
        "Authentication-Results": "mx.agency.example; spf=fail smtp.mailfrom=example.com; dmarc=fail"})
    [message] = receive(forged, now).messages
    assert (message.status, message.unmatched_reason) == (MailStatus.UNMATCHED, UnmatchedReason.UNVERIFIED_SENDER)
    # A header claiming a pass, written by another server (or by the forger, further down), is not believed.
    forged_pass = plain(sender="alice@example.com", to="priya@example.org", body="Forged 2", message_id="<f2@x>",
                        headers={"Authentication-Results": "mx.evil.example; dmarc=pass"})
    assert receive(forged_pass, now).messages[0].status == MailStatus.UNMATCHED
    genuine = plain(sender="alice@example.com", to="priya@example.org", body="Genuine", message_id="<g@x>",
                    headers={"Authentication-Results": "mx.agency.example; dkim=pass header.d=example.com; "
                                                       "dmarc=pass header.from=example.com"})
    assert len(receive(genuine, now).touchpoints) == 1


def test_ten_thousand_recipients_are_refused(alice, now, caplog):
    crowd = [f"person{n}@example.net" for n in range(10_000)]
    with caplog.at_level(logging.INFO, logger="homestretch.mailin"):
        result = receive(plain(sender="alice@example.com", to=crowd, body="Newsletter"), now)
    assert result.refused == "too_many_recipients"
    assert "reason=too_many_recipients" in caplog.text and "person1@" not in caplog.text


def test_a_mailing_to_several_candidates_waits_in_unmatched(alice, job, now):
    from homestretch.pipeline import services as pipeline_services

    people = []
    for n in range(services.MAX_CANDIDATES_PER_MESSAGE + 1):
        person = Candidate.objects.create(name=f"C {n}", email=f"c{n}@example.org")
        pipeline_services.open_application(candidate=person, job=job, recruiter=alice, by=alice, at=now)
        people.append(person.email)
    [message] = receive(plain(sender="alice@example.com", to=people, body="Hi all"), now).messages
    assert message.unmatched_reason == UnmatchedReason.MANY_CANDIDATES


def test_huge_message_refused_and_logged_without_content(application, now, caplog):
    raw = with_attachment(plain(sender="priya@example.org", to="alice@example.com", body="secret words"),
                          b"\0" * (30 * 1024 * 1024))
    with caplog.at_level(logging.INFO, logger="homestretch.mailin"):
        result = receive(raw, now)
    assert result.refused == "too_large"
    assert application.touchpoints.count() == 0
    assert "reason=too_large" in caplog.text
    assert "priya" not in caplog.text and "secret" not in caplog.text


def test_attachments_are_counted_never_stored(application, now):
    raw = with_attachment(plain(sender="priya@example.org", to="alice@example.com", body="My CV attached"),
                          b"%PDF-1.4 secret cv", filename="cv.pdf")
    [message] = receive(raw, now).messages
    assert message.attachments == 1 and "secret cv" not in message.new_text


def test_no_recruiter_among_the_addresses_is_refused(now, db, caplog):
    with caplog.at_level(logging.INFO, logger="homestretch.mailin"):
        result = receive(plain(sender="a@example.net", to="b@example.net", body="spam"), now)
    assert result.refused == "no_recruiter" and not MailMessage.objects.exists()
    assert "reason=no_recruiter" in caplog.text


def test_a_forward_by_the_recruiter_is_the_candidates_message(application, alice, now):
    body = """FYI

---------- Forwarded message ---------
From: Priya Nair <priya@example.org>
Date: Wed, 18 Nov 2026 09:12:00 +0100
Subject: My notice period
To: Alice Archer <alice.old@agency.example>

Hi Alice, my notice period is 3 months, so I could start on 1 March.
"""
    result = receive(plain(sender="alice@example.com", to="drop@homestretch.example", subject="Fwd: My notice period",
                           body=body), now)
    [touch] = result.touchpoints
    assert (touch.direction, touch.recruiter, touch.at) == ("inbound", alice, datetime(2026, 11, 18, 8, 12, tzinfo=UTC))
    notice = Proposal.objects.get(kind=ProposalKind.NOTICE)
    assert (notice.notice_days, str(notice.start_date)) == (90, "2027-03-01")


def test_a_forward_by_a_stranger_is_not_believed(application, now):
    body = "---------- Forwarded message ---------\nFrom: Priya <priya@example.org>\nTo: alice@example.com\n\nhi"
    result = receive(plain(sender="mallory@evil.example", to="alice@example.com", subject="Fwd: hi", body=body), now)
    assert result.refused == "no_recruiter"


def test_future_date_header_is_not_believed(application, now):
    result = receive(plain(sender="priya@example.org", to="alice@example.com", body="From the future",
                           date="Fri, 01 Jan 2100 00:00:00 +0000"), now)
    assert result.touchpoints[0].at == now


QUESTION = """Hi Priya,

Good news: Acme would like to meet you on Monday. Are you interviewing anywhere else, or any other offers
on the table?

Best,
Alice
"""
NO_OTHER = "Hi Alice,\n\nMonday works. No other processes at the moment, you are the only one.\n\nPriya\n"
QUESTION_AT = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def _asked_by_mail(now):
    receive(plain(sender="alice@example.com", to="priya@example.org", body=QUESTION, date=QUESTION_AT,
                  message_id="<q1@mail.example.com>"), now)
    return Proposal.objects.get(kind=ProposalKind.COMPETITION_ASKED)


def test_a_question_by_mail_is_proposed_and_the_touch_left_unasked(application, now):
    question = _asked_by_mail(now)

    touch = question.touchpoint
    assert (touch.direction, touch.at) == ("outbound", QUESTION_AT)
    assert (touch.competition_asked, touch.competition_answer) == (False, "")  # no answer: not marked
    assert "any other offers" in question.evidence
    # A confirmation without the answer is refused: the pipeline marks a touch asked only with one.
    with pytest.raises(ValidationError) as refused:
        services.accept(question.pk, by=application.recruiter, now=now)
    assert "answer" in refused.value.message_dict
    touch.refresh_from_db()
    assert not touch.competition_asked


def test_the_reply_answers_the_question_and_one_confirmation_marks_the_question_touch(application, alice, now):
    question = _asked_by_mail(now)
    result = receive(plain(sender="priya@example.org", to="alice@example.com", body=NO_OTHER), now)
    [reply_touch] = result.touchpoints

    answer = Proposal.objects.get(kind=ProposalKind.COMPETITION_ANSWER)
    assert (answer.answer, answer.question_id) == ("none", question.pk)
    services.accept(answer.pk, by=alice, now=now)

    question.refresh_from_db()
    question.touchpoint.refresh_from_db()
    reply_touch.refresh_from_db()
    assert (question.touchpoint.competition_asked, question.touchpoint.competition_answer) == (True, "none")
    assert not reply_touch.competition_asked  # asked in the question's e-mail, not in the reply
    answer.refresh_from_db()
    assert (question.status, answer.status) == ("accepted", "accepted")
    summary = TouchSummary.objects.get(application=application)
    assert (summary.last_competition_asked_at, summary.last_competition_answer) == (QUESTION_AT, "none")


def test_dismissing_the_answer_leaves_both_touches_and_the_question_open(application, alice, now):
    question = _asked_by_mail(now)
    result = receive(plain(sender="priya@example.org", to="alice@example.com", body=NO_OTHER), now)
    answer = Proposal.objects.get(kind=ProposalKind.COMPETITION_ANSWER)

    services.dismiss_proposal(answer.pk, by=alice, now=now)

    question.refresh_from_db()
    assert question.status == "proposed"
    assert not question.touchpoint.competition_asked and not result.touchpoints[0].competition_asked
    assert TouchSummary.objects.get(application=application).last_competition_asked_at is None


def test_the_recruiter_gives_the_answer_to_a_question_by_mail(application, alice, now):
    question = _asked_by_mail(now)  # answered on the phone, say

    services.accept(question.pk, by=alice, now=now, answer="declined_to_say")

    question.refresh_from_db()
    question.touchpoint.refresh_from_db()
    assert (question.status, question.answer) == ("accepted", "declined_to_say")
    assert (question.touchpoint.competition_asked, question.touchpoint.competition_answer) == (
        True, "declined_to_say")


def test_a_question_already_marked_through_the_touch_form_is_not_marked_twice(application, alice, now):
    question = _asked_by_mail(now)
    touch = question.touchpoint
    touch.competition_asked, touch.competition_answer = True, "disclosed"
    pipeline_services.log_touchpoint(touch, now=now)  # as the touch form does

    with pytest.raises(ValidationError, match="already marked asked"):
        services.accept(question.pk, by=alice, now=now, answer="none")
    touch.refresh_from_db()
    assert touch.competition_answer == "disclosed"


def test_an_answer_without_an_open_question_goes_on_the_replys_touch(application, alice, now):
    result = receive(plain(sender="priya@example.org", to="alice@example.com", body=NO_OTHER), now)
    answer = Proposal.objects.get(kind=ProposalKind.COMPETITION_ANSWER)
    assert answer.question_id is None

    services.accept(answer.pk, by=alice, now=now)

    [touch] = result.touchpoints
    touch.refresh_from_db()
    assert (touch.competition_asked, touch.competition_answer) == (True, "none")
