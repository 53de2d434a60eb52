"""Mail in, in a real browser (issue 20): an .eml uploaded on the application page becomes a touch in the
timeline and a proposal "From the e-mail of …: <company> offer, <amount>, answer by <date> — Add / Edit /
Dismiss", and Add records the competing offer; a message from an unknown address waits in Unmatched mail
and is attached to a candidate there."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from playwright.sync_api import expect

from conftest import CURRENT_TIME

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _eml(sender: str, to: str, body: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, "Re: next steps"
    message["Date"], message["Message-ID"] = format_datetime(CURRENT_TIME), message_id
    message.set_content(body)
    return bytes(message)


def _fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _open_application(demo):
    from homestretch.pipeline import stages
    from homestretch.pipeline.models import Application

    return (Application.objects.filter(recruiter__email=demo.login_email, stage__in=sorted(stages.OPEN))
            .exclude(candidate__email="").select_related("candidate").order_by("id").first())


def test_an_uploaded_email_becomes_a_touch_and_its_offer_is_added(signed_in, demo, tmp_path):
    from homestretch.offers.models import CompetingOffer

    application = _open_application(demo)
    candidate = application.candidate
    eml = tmp_path / "reply.eml"
    eml.write_bytes(_eml(candidate.email, demo.login_email, "Hi, to be open with you: Initech made me an offer, "
                         "95,000 EUR a year, and they want an answer by Friday.\n\nBest\n", "<b1@mail.example.org>"))
    page = signed_in
    page.goto(f"/applications/{application.pk}/")
    block = page.locator("#mail-proposals")
    block.get_by_label("E-mail file (.eml)").set_input_files(str(eml))
    block.get_by_role("button", name="Log the e-mail").click()

    expect(page.locator(".message")).to_contain_text("E-mail logged as 1 touch")
    expect(page.locator("#timeline")).to_contain_text("Initech made me an offer")
    proposal = block.locator("li.proposal").filter(has_text="Initech offer")
    said = " ".join(proposal.locator("p").first.inner_text().split())
    assert re.fullmatch(r"From the e-mail of \d+ \w+: Initech offer, 95,000 EUR a year, answer by \d+ \w+", said), said
    for role, name in (("button", "Add"), ("link", "Edit"), ("button", "Dismiss")):
        expect(proposal.get_by_role(role, name=name, exact=True)).to_be_visible()
    block.scroll_into_view_if_needed()
    screenshot(page, "mail-proposal", full_page=False)
    _fits(page, 390)
    _fits(page, 1280)

    proposal.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".message")).to_contain_text("Added")
    rival = CompetingOffer.objects.get(candidate=candidate, company="Initech")
    assert (rival.base, rival.currency, rival.period) == (95000, "EUR", "year")
    expect(block.locator("li.proposal").filter(has_text="Initech offer")).to_have_count(0)


def test_unmatched_mail_attached_to_a_candidate(signed_in, demo):
    from homestretch.mailin import services
    from homestretch.mailin.choices import MailStatus, Via
    from homestretch.mailin.models import MailMessage

    application = _open_application(demo)
    services.receive(_eml("Priya Nair <priya.private@example.net>", demo.login_email,
                          "Hello, writing from my private address: I can talk on Monday.\n", "<u1@example.net>"),
                     via=Via.SMTP, now=CURRENT_TIME)
    page = signed_in
    page.get_by_role("link", name="Unmatched mail").click()
    item = page.locator(".unmatched-item").filter(has_text="priya.private@example.net")
    expect(item).to_contain_text("No candidate has these addresses")
    screenshot(page, "unmatched-mail", full_page=False)
    _fits(page, 390)
    _fits(page, 1280)

    item.get_by_label("Candidate's e-mail or id").fill(application.candidate.email)
    item.get_by_role("button", name="Attach").click()
    expect(page.locator(".message")).to_contain_text(f"Attached to {application.candidate.name}")
    expect(page.locator(".unmatched-item")).to_have_count(0)
    message = MailMessage.objects.get(from_address="priya.private@example.net")
    assert message.status == MailStatus.ATTACHED and message.touchpoints.filter(application=application).exists()
