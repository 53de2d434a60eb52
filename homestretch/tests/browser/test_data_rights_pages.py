"""Candidates' data rights as an admin meets them in a real browser over the small demo (issue 21): the
candidate page's export and erase buttons, the readable export, the erasure's confirmation refused until
it is ticked (nothing typed lost) and then carried out, the audit trail saying it happened without the
person's name, the retention list; axe-core on each of these pages; screenshots for the docs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_signed_in(page, demo):
    from homestretch.accounts.choices import Role
    from homestretch.accounts.models import User

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    page.goto("/login/")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(demo.login_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return admin


def assert_the_bar_holds_on_one_line(page) -> None:
    """At 1280 px the top bar's links sit on one line, whoever is signed in (issue 17 noted it wrapped)."""
    tops = page.locator("nav[aria-label=Main] a").evaluate_all("links => links.map(a => a.getBoundingClientRect().top)")
    assert len(tops) >= 5 and len(set(tops)) == 1, tops


def _candidate_with_an_offer(**whose):
    from homestretch.pipeline.models import Application

    application = (Application.objects.filter(stage="offer", closed_at__isnull=True, **whose)
                   .select_related("candidate").order_by("pk").first())
    return application.candidate


def test_an_admin_exports_and_erases_a_candidate_and_the_audit_says_so_without_the_name(page, demo):
    admin = _admin_signed_in(page, demo)
    candidate = _candidate_with_an_offer()
    name = candidate.name
    found: dict[str, list[str]] = {}
    assert_the_bar_holds_on_one_line(page)

    page.goto(f"/candidates/{candidate.pk}/")
    expect(page.get_by_role("link", name="Export (JSON)")).to_be_visible()
    found["candidate page"] = axe_violations(page)

    page.get_by_role("link", name="readable version").click()
    expect(page.get_by_text(name).first).to_be_visible()
    found["readable export"] = axe_violations(page)

    page.goto(f"/candidates/{candidate.pk}/")
    page.get_by_role("link", name="Erase…").click()
    expect(page.get_by_role("heading", name=f"Erase {name}")).to_be_visible()
    found["erase confirmation"] = axe_violations(page)
    reason = "Asked by e-mail on 30 November"
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Erase for good").click()
    # Not ticked: refused on the box, the reason typed still there, the candidate untouched.
    expect(page.get_by_text("Tick this to confirm: the erasure cannot be undone.").first).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.get_by_label("Reason")).to_have_value(reason)
    candidate.refresh_from_db()
    assert candidate.name == name
    found["erase refused"] = axe_violations(page)
    screenshot(page, "candidate-erase")

    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase for good").click()
    expect(page.get_by_role("heading", name=f"Candidate {candidate.pk} erased")).to_be_visible()
    found["erased"] = axe_violations(page)
    candidate.refresh_from_db()
    assert candidate.name != name

    # In the menu under the admin's name.
    expect(page.locator("a[href='/audit/']")).to_have_count(1)
    page.goto("/audit/")
    entries = page.locator("main")
    expect(entries.get_by_text(reason).first).to_be_visible()
    expect(entries).not_to_contain_text(name)
    assert admin.email in entries.inner_text()
    found["audit trail"] = axe_violations(page)
    screenshot(page, "audit-trail")

    page.goto("/retention/")
    expect(page.get_by_role("heading").first).to_be_visible()
    found["due for erasure"] = axe_violations(page)

    failing = {where: problems for where, problems in found.items() if problems}
    assert not failing, "\n".join(f"{where}: {problem}" for where, problems in failing.items() for problem in problems)


def test_a_recruiter_sees_neither_the_buttons_nor_the_pages(signed_in, demo):
    from homestretch.accounts.models import User

    page = signed_in
    assert_the_bar_holds_on_one_line(page)
    page.locator(".user-menu summary").click()  # one's team and role in the menu
    expect(page.locator(".user-menu-who")).to_contain_text("Recruiter")
    candidate = _candidate_with_an_offer(recruiter=User.objects.get(email=demo.login_email))
    page.goto(f"/candidates/{candidate.pk}/")
    expect(page.get_by_role("link", name="Erase…")).to_have_count(0)
    expect(page.get_by_role("link", name="Export (JSON)")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(0)
    for path in ("/audit/", "/retention/", f"/candidates/{candidate.pk}/erase/", f"/candidates/{candidate.pk}/export/"):
        response = page.goto(path)
        assert response.status == 403, path
