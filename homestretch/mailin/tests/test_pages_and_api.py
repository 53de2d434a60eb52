"""Mail in on the pages (upload, Unmatched mail, proposals) and over the API."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homestretch.mailin import services
from homestretch.mailin.choices import MailStatus, ProposalStatus, Via
from homestretch.mailin.models import MailMessage, Proposal
from homestretch.offers.models import CompetingOffer
from homestretch.tests.api_client import ApiClient, assert_problem

from .messages import plain

OFFER = "Hi Alice, Initech made me an offer: 95,000 EUR a year. They want an answer by Friday."


def _upload(client, url, raw, name="reply.eml"):
    return client.post(url, {"eml": SimpleUploadedFile(name, raw, content_type="message/rfc822")})


def test_upload_on_the_application_page_logs_the_touch_and_shows_the_proposal(client, alice, application, settings,
                                                                               now):
    settings.HOMESTRETCH_PAGES_NOW = now
    client.force_login(alice)
    raw = plain(sender="Priya <priya@private.example>", to="alice@example.com", body=OFFER)
    response = _upload(client, reverse("mail-upload-application", kwargs={"application_id": application.pk}), raw)
    assert response.status_code == 302
    [touch] = application.touchpoints.all()
    assert touch.direction == "inbound" and "Initech" in touch.notes

    page = " ".join(client.get(reverse("application", kwargs={"application_id": application.pk})).content.decode()
                    .split())
    assert "From the e-mail of 19 Nov:" in page
    assert "Initech offer, 95,000 EUR a year, answer by 20 Nov" in page

    again = _upload(client, reverse("mail-upload-application", kwargs={"application_id": application.pk}), raw)
    assert again.status_code == 302 and application.touchpoints.count() == 1  # the same message once


def test_upload_refusal_shows_beside_the_field(client, alice, application):
    client.force_login(alice)
    response = _upload(client, reverse("mail-upload-application", kwargs={"application_id": application.pk}),
                       b"this is not an e-mail")
    assert response.status_code == 422
    assert "could not be read as an e-mail" in response.content.decode() or "no sender" in response.content.decode()


def test_another_team_cannot_upload_on_the_application(client, charlie, application):
    client.force_login(charlie)
    raw = plain(sender="priya@example.org", to="charlie@example.com", body="hi")
    response = _upload(client, reverse("mail-upload-application", kwargs={"application_id": application.pk}), raw)
    assert response.status_code == 403 and application.touchpoints.count() == 0


def test_proposal_add_records_the_competing_offer_through_the_service(client, alice, application, now):
    services.receive(plain(sender="priya@example.org", to="alice@example.com", body=OFFER), via=Via.SMTP, now=now)
    offer = Proposal.objects.get(kind="competing_offer")
    client.force_login(alice)
    response = client.post(reverse("mail-proposal-accept", kwargs={"application_id": application.pk,
                                                                   "proposal_id": offer.pk}))
    assert response.status_code == 302
    rival = CompetingOffer.objects.get()
    assert (rival.company, rival.base, rival.currency, str(rival.deadline), rival.recorded_by) == (
        "Initech", 95000, "EUR", "2026-11-20", alice)
    assert rival.learned_in is not None and rival.learned_in.channel == "email"
    offer.refresh_from_db()
    assert offer.status == ProposalStatus.ACCEPTED
    # The answer proposal marks the touch asked/answered only when confirmed.
    answer = Proposal.objects.get(kind="competition_answer")
    touch = answer.touchpoint
    assert not touch.competition_asked
    client.post(reverse("mail-proposal-accept", kwargs={"application_id": application.pk, "proposal_id": answer.pk}))
    touch.refresh_from_db()
    assert (touch.competition_asked, touch.competition_answer) == (True, "disclosed")


def test_proposal_edit_then_add(client, alice, application, now):
    services.receive(plain(sender="priya@example.org", to="alice@example.com", body=OFFER), via=Via.SMTP, now=now)
    offer = Proposal.objects.get(kind="competing_offer")
    client.force_login(alice)
    url = reverse("mail-proposal-edit", kwargs={"application_id": application.pk, "proposal_id": offer.pk})
    page = client.get(url).content.decode()
    assert 'value="Initech"' in page
    response = client.post(url, {"competing-company": "Initech GmbH", "competing-kind": "external",
                                 "competing-stage": "offer", "competing-base": "97000", "competing-currency": "EUR",
                                 "competing-period": "year", "competing-confidential": "on"})
    assert response.status_code == 302
    rival = CompetingOffer.objects.get()
    assert (rival.company, rival.base, rival.confidential) == ("Initech GmbH", 97000, True)


def test_proposal_dismiss_and_other_teams(client, alice, charlie, application, now):
    services.receive(plain(sender="priya@example.org", to="alice@example.com", body=OFFER), via=Via.SMTP, now=now)
    offer = Proposal.objects.get(kind="competing_offer")
    client.force_login(charlie)
    url = reverse("mail-proposal-dismiss", kwargs={"application_id": application.pk, "proposal_id": offer.pk})
    assert client.post(url).status_code == 403
    client.force_login(alice)
    assert client.post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.status == ProposalStatus.DISMISSED and not CompetingOffer.objects.exists()


def test_typed_touch_notes_are_read_too(client, alice, application, settings, now):
    settings.HOMESTRETCH_PAGES_NOW = now
    client.force_login(alice)
    client.post(reverse("log_touch", kwargs={"application_id": application.pk}), {
        "channel": "call", "direction": "outbound", "notes": "Says Hooli offered $150k base, deadline Monday."})
    proposal = Proposal.objects.get(kind="competing_offer")
    assert (proposal.company, proposal.currency, proposal.message) == ("Hooli", "USD", None)


def test_unmatched_mail_page_attach_and_dismiss(client, alice, application, now, django_assert_max_num_queries):
    for n in range(3):
        services.receive(plain(sender=f"stranger{n}@example.net", to="alice@example.com", body=f"Hello {n}",
                               subject=f"<script>alert({n})</script>", message_id=f"<u{n}@x>"),
                         via=Via.SMTP, now=now)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("mail-unmatched"))
    html = page.content.decode()
    assert "stranger0@example.net" in html and "<script>alert" not in html  # escaped, never run
    first, second, _ = MailMessage.objects.order_by("id")
    response = client.post(reverse("mail-attach", kwargs={"message_id": first.pk}), {"candidate": "priya@example.org"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == MailStatus.ATTACHED and application.touchpoints.count() == 1
    client.post(reverse("mail-dismiss", kwargs={"message_id": second.pk}))
    second.refresh_from_db()
    assert second.status == MailStatus.DISMISSED


def test_unmatched_mail_is_the_teams_only(client, charlie, alice, now):
    services.receive(plain(sender="stranger@example.net", to="alice@example.com", body="Hello"), via=Via.SMTP, now=now)
    client.force_login(charlie)
    assert "stranger@example.net" not in client.get(reverse("mail-unmatched")).content.decode()
    message = MailMessage.objects.get()
    assert client.post(reverse("mail-dismiss", kwargs={"message_id": message.pk})).status_code == 404


def test_an_address_of_a_candidate_cannot_be_claimed(client, alice, candidate):
    client.force_login(alice)
    response = client.post(reverse("mail-address-add"), {"address": "priya@example.org"})
    assert response.status_code == 422 and "a candidate&#x27;s address" in response.content.decode()


def test_api_push_unmatched_and_proposals(alice, charlie, ada, application):
    raw = plain(sender="priya@example.org", to="alice@example.com", body=OFFER)
    as_alice = ApiClient(alice)
    response = as_alice.client.post("/api/v1/mail", data=raw, content_type="message/rfc822",
                                    headers=as_alice._headers())
    assert response.status_code == 201, response.content
    assert len(response.json()["touchpoints"]) == 1

    as_charlie = ApiClient(charlie)  # not his mail
    other = plain(sender="priya@example.org", to="alice@example.com", body="another", message_id="<other@x>")
    refused = as_charlie.client.post("/api/v1/mail", data=other, content_type="message/rfc822",
                                     headers=as_charlie._headers())
    assert refused.status_code == 403

    bad = ApiClient(ada).client.post("/api/v1/mail", data=b"garbage", content_type="message/rfc822",
                                     headers=ApiClient(ada)._headers())
    assert_problem(bad, 422)

    proposals = as_alice.get(f"/applications/{application.pk}/proposals").json()
    offer = next(p for p in proposals if p["kind"] == "competing_offer")
    assert (offer["company"], offer["currency"], offer["deadline"]) == ("Initech", "EUR", "2026-11-20")
    assert as_charlie.get(f"/applications/{application.pk}/proposals").status_code == 403
    accepted = as_alice.post(f"/applications/{application.pk}/proposals/{offer['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["competing_offer_id"]
    assert_problem(as_alice.post(f"/applications/{application.pk}/proposals/{offer['id']}/dismiss"), 409)

    ApiClient(ada).client.post("/api/v1/mail", data=plain(sender="x@example.net", to="alice@example.com", body="?",
                                                          message_id="<q@x>"),
                               content_type="message/rfc822", headers=ApiClient(ada)._headers())
    unmatched = as_alice.get("/mail/unmatched").json()
    assert [m["from_address"] for m in unmatched] == ["x@example.net"]
    assert as_charlie.get("/mail/unmatched").json() == []


QUESTION = "Hi Priya, Acme would like to meet you on Monday. Any other offers on the table?\n\nAlice"
NO_OTHER = "Hi Alice, Monday works. No other processes at the moment, you are the only one.\n\nPriya"


def _page(client, application) -> str:
    return " ".join(client.get(reverse("application", kwargs={"application_id": application.pk})).content.decode()
                    .split())


def test_a_question_by_mail_is_shown_and_its_answer_confirmed_in_one_step(client, alice, application, settings,
                                                                           now):
    settings.HOMESTRETCH_PAGES_NOW = now
    client.force_login(alice)
    url = reverse("mail-upload-application", kwargs={"application_id": application.pk})
    _upload(client, url, plain(sender="alice@example.com", to="priya@example.org", body=QUESTION,
                               date="Tue, 17 Nov 2026 09:00:00 +0000", message_id="<q@mail.example.com>"))
    page = _page(client, application)
    assert "You asked about other offers in the e-mail of 17 Nov</strong> (no answer yet)" in page
    assert "Mark asked and answered" in page

    _upload(client, url, plain(sender="priya@example.org", to="alice@example.com", body=NO_OTHER))
    page = _page(client, application)
    assert ("From the e-mail of 19 Nov:</strong> the answer to your question of 17 Nov: the candidate has no other "
            "process. Add marks the e-mail of 17 Nov asked and answered") in page

    answer = Proposal.objects.get(kind="competition_answer")
    response = client.post(reverse("mail-proposal-accept", kwargs={"application_id": application.pk,
                                                                   "proposal_id": answer.pk}))
    assert response.status_code == 302
    question_touch, reply_touch = application.touchpoints.order_by("at")
    assert (question_touch.competition_asked, question_touch.competition_answer) == (True, "none")
    assert not reply_touch.competition_asked
    page = _page(client, application)
    assert "You asked about other offers" not in page and "the answer to your question" not in page


def test_a_question_marked_answered_by_the_recruiter_needs_the_answer(client, alice, application, now):
    client.force_login(alice)
    _upload(client, reverse("mail-upload-application", kwargs={"application_id": application.pk}),
            plain(sender="alice@example.com", to="priya@example.org", body=QUESTION))
    question = Proposal.objects.get(kind="competition_asked")
    url = reverse("mail-proposal-accept", kwargs={"application_id": application.pk, "proposal_id": question.pk})

    refused = client.post(url, {"answer": ""}, follow=True)
    assert "Choose what the candidate answered" in refused.content.decode()
    question.refresh_from_db()
    assert question.status == "proposed" and not question.touchpoint.competition_asked

    client.post(url, {"answer": "disclosed"})
    question.touchpoint.refresh_from_db()
    assert (question.touchpoint.competition_asked, question.touchpoint.competition_answer) == (True, "disclosed")


def test_api_accepts_a_question_with_its_answer(alice, application, now):
    services.receive(plain(sender="alice@example.com", to="priya@example.org", body=QUESTION), via=Via.SMTP, now=now)
    question = Proposal.objects.get(kind="competition_asked")
    as_alice = ApiClient(alice)
    listed = as_alice.get(f"/applications/{application.pk}/proposals").json()
    assert [p["kind"] for p in listed] == ["competition_asked"]

    refused = as_alice.post(f"/applications/{application.pk}/proposals/{question.pk}/accept")
    assert_problem(refused, 422, "answer")
    accepted = as_alice.post(f"/applications/{application.pk}/proposals/{question.pk}/accept?answer=none")
    assert accepted.status_code == 200 and accepted.json()["answer"] == "none"
