"""Errors where the recruiter looks (issue 17, items 1 to 3), in a real browser over the small demo:
a refused offer far down the application page opens with its first error in view and focused, the
field marked beside its error (a negative base, which the database constraint refuses), a summary at
the top linking to it, the amount ceiling in words; a move refused from the board is said on the card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT_HEIGHT = 900  # the `page` fixture's


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT_HEIGHT


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_refused_offer_opens_at_its_first_error_focused_beside_the_field_with_a_summary_at_the_top(
        signed_in, demo):
    from homestretch.accounts.models import User
    from homestretch.pipeline.models import Application

    recruiter = User.objects.get(email=demo.login_email)
    application = Application.objects.filter(recruiter=recruiter, stage="offer", closed_at__isnull=True).first()
    assert application is not None
    page = signed_in
    page.goto(f"/applications/{application.pk}/")
    page.locator("#offer > summary").click()
    page.locator("#id_offer-base").fill("-5")
    with page.expect_navigation():
        page.locator("#offer form").first.locator("button[type=submit]").click()

    # The first error is in view and focused, marked and described beside its field.
    base = page.locator("#id_offer-base")
    assert _focused_id(page) == "id_offer-base"
    assert _in_view(page, "#id_offer-base") and _in_view(page, "#id_offer-base_error")
    assert page.evaluate("window.scrollY") > 600  # the form is far down the page: the page was scrolled to it
    expect(base).to_have_attribute("aria-invalid", "true")
    expect(base).to_have_attribute("aria-describedby", "id_offer-base_error")
    expect(page.locator("#id_offer-base_error")).to_have_text("Base cannot be negative.")
    screenshot(page, "application-error", full_page=False)

    # The summary at the top of the page links to the error; the link focuses the field.
    link = page.locator('.error-summary a[href="#id_offer-base"]')
    expect(link).to_contain_text("Base cannot be negative.")
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#id_offer-notes").focus()
    link.click()
    assert _focused_id(page) == "id_offer-base" and _in_view(page, "#id_offer-base")

    # The ceiling in a recruiter's words, with the currency of the form, not a count of digits.
    base.fill("10000000000")
    with page.expect_navigation():
        page.locator("#offer form").first.locator("button[type=submit]").click()
    expect(page.locator("#id_offer-base_error")).to_have_text(f"An amount is at most 9,999,999,999 "
                                                             f"{page.locator('#id_offer-currency').input_value()}.")
    assert _focused_id(page) == "id_offer-base"
    assert axe_violations(page) == []  # the summary, the box and the marked field (last: skips without axe)


def test_a_move_refused_from_the_board_is_said_on_the_card(signed_in, demo):
    page = signed_in
    page.goto("/pipeline/?early=1")
    card = page.locator('.column[data-stage="interviewing"] .board-card:has(form.move-form)').first
    key = card.get_attribute("data-application")
    card.locator("summary").click()
    card.locator("select[name=to_stage]").select_option("declined")
    card.locator("select[name=loss_reason]").select_option(index=1)
    card.locator("[name=reason]").fill("She took another offer")
    card.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/pipeline/\?.*#to-{key}$"))

    refused = page.locator(f"#card-{key}")
    expect(refused).to_have_class("board-card refused")
    error = refused.locator("#to-" + key + "_error")
    expect(error).to_contain_text("use Withdrawn")
    expect(refused.locator(f"#to-{key}")).to_have_attribute("aria-invalid", "true")
    expect(refused.locator(f"#to-{key}")).to_have_value("declined")  # what was chosen and typed is kept
    expect(refused.locator(f"#reason-{key}")).to_have_value("She took another offer")
    assert _focused_id(page) == f"to-{key}" and _in_view(page, f"#to-{key}_error")
    expect(page.locator(".board-refusal")).to_contain_text("was not moved")
    expect(refused).to_have_count(1)
    assert page.locator(f'.column[data-stage="interviewing"] [data-application="{key}"]').count() == 1  # not moved
    screenshot(page, "board-refused-move", full_page=False)
    assert axe_violations(page) == []  # last: skips without axe-core
