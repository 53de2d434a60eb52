"""A recruiter's day in a real browser: sign in, Today's due touches, a call that reveals a better
paying competing offer (and the risk rising), a card moved to offer, a form error beside its field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conftest import CURRENT_TIME

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _recruiter(demo):
    from homestretch.accounts.models import User

    return User.objects.get(email=demo.login_email)


def _risk_score(page) -> int:
    return int(page.locator("#risk .risk-line .band-score").inner_text().rstrip("%"))


def test_sign_in_and_today_lists_the_demos_due_touches(signed_in, demo):
    from homestretch.agenda.services import agenda

    page = signed_in
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    due = agenda(CURRENT_TIME.date(), now=CURRENT_TIME, recruiter_id=_recruiter(demo).pk)
    assert due, "the small demo gives its recruiter touches due today"
    rows = page.locator("ol.agenda > li")
    expect(rows).to_have_count(len(due))
    for position, item in enumerate(due):
        expect(rows.nth(position).locator("a.name")).to_have_text(item.facts.candidate_name)
    expect(rows.first.locator(".band")).to_contain_text("risk")  # the band in words, not colour alone
    screenshot(page, "today")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "today-phone", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    rows.first.get_by_role("link", name="Log touch").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/#log-touch$"))
    expect(page.get_by_label("Channel")).to_be_visible()


def _quiet_offer(demo):
    """One of the demo recruiter's candidates, at the offer stage with our extended offer and no
    competition known yet (the demo's own offers all have some, so this one is made here)."""
    from decimal import Decimal

    from homestretch.offers import services as offer_services
    from homestretch.offers.models import Offer
    from homestretch.pipeline import services
    from homestretch.pipeline.models import Application

    recruiter = _recruiter(demo)
    application = (Application.objects.filter(recruiter=recruiter, stage="final_interview",
                                              candidate__competing_offers__isnull=True).order_by("id").last())
    services.move_stage(application.pk, services.StageMove("verification"), by=recruiter,
                        at=CURRENT_TIME - timedelta(hours=3))
    services.move_stage(application.pk, services.StageMove("offer"), by=recruiter,
                        at=CURRENT_TIME - timedelta(hours=2))
    return offer_services.record_offer(
        Offer(application=application, status="extended", base=Decimal(85000), currency="EUR", period="year",
              remote_policy="hybrid", remote_days=2, expires_on=(CURRENT_TIME + timedelta(days=7)).date()),
        by=recruiter, at=CURRENT_TIME - timedelta(hours=1),
    )


def test_a_call_revealing_a_better_paying_offer_raises_the_risk(signed_in, demo):
    offer = _quiet_offer(demo)
    page = signed_in
    page.goto(f"/applications/{offer.application_id}/")
    before_score = _risk_score(page)
    before_reasons = page.locator("#risk .reasons li").all_inner_texts()
    before_actions = page.locator("#risk ol.actions li").all_inner_texts()

    form = page.locator("#log-touch form")
    form.get_by_label("Channel").select_option("call")
    form.get_by_label("Direction").select_option("outbound")
    form.get_by_label("Asked about competition?").check()
    form.get_by_label("Their answer").select_option("disclosed")
    form.get_by_label("Company").fill("Initech")
    form.get_by_label("Stage").select_option("offer")
    form.get_by_label("Base pay a year").fill(str(int(offer.base) + 12000))
    form.get_by_label("Currency").select_option(offer.currency)
    form.get_by_label("Deadline").fill((CURRENT_TIME + timedelta(days=2)).date().isoformat())
    form.get_by_label("Notes").fill("Initech offered more; she must answer in two days.")
    form.get_by_role("button", name="Log touch").click()

    expect(page.locator(".message")).to_contain_text("Touch logged, with the competing process at Initech")
    after_score = _risk_score(page)
    assert after_score > before_score
    after_reasons = page.locator("#risk .reasons li").all_inner_texts()
    assert after_reasons != before_reasons
    assert any("Initech" in reason or "competing" in reason.lower() for reason in after_reasons)
    assert page.locator("#risk ol.actions li").all_inner_texts() != before_actions
    expect(page.locator("#compare")).to_contain_text("more base than ours")
    expect(page.locator("#timeline")).to_contain_text("Learned of Initech")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "application", full_page=False)


def test_move_an_application_to_offer_from_the_board(signed_in, demo):
    from homestretch.pipeline.models import Application

    application = Application.objects.filter(recruiter=_recruiter(demo), stage="verification").first()
    assert application is not None
    page = signed_in
    page.get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Pipeline", exact=True)).to_be_visible()
    screenshot(page, "pipeline", full_page=False)
    card = page.locator(f'.board-card[data-application="{application.pk}"]')
    card.locator("summary").click()
    card.get_by_label("Move to").select_option("offer")
    expect(card.get_by_label("Why was the candidate lost?")).to_be_hidden()  # asked only on a loss
    expect(card.get_by_label("Lessons for the next similar search")).to_be_hidden()  # only when it closes
    card.get_by_role("button", name="Move").click()
    expect(page.locator(".message")).to_contain_text("Moved to Offer")
    moved = page.locator(f'.column[data-stage="offer"] .board-card[data-application="{application.pk}"]')
    expect(moved).to_be_visible()
    application.refresh_from_db()
    assert application.stage == "offer"


def test_a_loss_asks_why_and_the_error_shows_beside_its_field(signed_in, demo):
    from homestretch.pipeline.models import Application

    application = Application.objects.filter(recruiter=_recruiter(demo), stage="final_interview").first()
    page = signed_in
    page.goto(f"/applications/{application.pk}/")
    page.locator("#move summary").click()
    form = page.locator("#move form")
    form.get_by_label("Move to").select_option("withdrawn")
    expect(form.get_by_label("Why was the candidate lost?")).to_be_visible()
    form.get_by_label("Reason").fill("Took a counteroffer")
    form.get_by_label("Lessons for the next similar search").fill("Rehearse the resignation talk")
    form.get_by_role("button", name="Move").click()

    field = page.locator("#id_loss_reason")
    error = page.locator("#id_loss_reason_error")
    expect(error).to_contain_text("Choose the reason the candidate was lost")
    # Beside its field: right under it, in the same field box.
    assert error.evaluate("e => e.parentElement") == field.evaluate("e => e.parentElement")
    expect(page.locator("#id_reason")).to_have_value("Took a counteroffer")  # nothing typed is lost
    expect(page.locator("#id_lessons")).to_have_value("Rehearse the resignation talk")
    screenshot(page, "form-error", full_page=False)
    application.refresh_from_db()
    assert application.stage == "final_interview"


def test_a_start_from_the_board_asks_what_won_it_and_keeps_the_lessons(signed_in, demo):
    from homestretch.pipeline.models import Application

    application = Application.objects.filter(recruiter=_recruiter(demo), stage="accepted").first()
    if application is None:
        pytest.skip("the demo recruiter has no accepted candidate on the board")
    page = signed_in
    page.goto("/pipeline/")
    card = page.locator(f'.board-card[data-application="{application.pk}"]')
    card.locator("summary").click()
    lessons = card.get_by_label("Lessons for the next similar search")
    expect(lessons).to_be_hidden()
    card.get_by_label("Move to").select_option("started")
    expect(card.get_by_label("Why was the candidate lost?")).to_be_hidden()  # a start is no loss
    card.get_by_label("Reason").fill("Remote days won it")
    lessons.fill("Lead with the remote policy")
    card.get_by_role("button", name="Move").click()
    expect(page.locator(".message")).to_contain_text("Moved to Started")
    application.refresh_from_db()
    assert (application.stage, application.lessons) == ("started", "Lead with the remote policy")
    assert application.stage_changes.last().reason == "Remote days won it"
