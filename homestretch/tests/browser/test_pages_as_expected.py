"""The pages as a recruiter expects them (issue 17, items 4 to 10), in a real browser over the small demo:
the home stretch in view at 1280 px, other teams' cards read only, the app's own 404, the user menu and
the icon, a search that ignores accents, the feed at the address the app was asked at, the comparison
as cards on a phone, and axe-core on every kind of page: no serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _recruiter(demo):
    from homestretch.accounts.models import User

    return User.objects.get(email=demo.login_email)


def _offer_with_competition(recruiter):
    """The recruiter's application at the offer stage with the most competing processes."""
    from django.db.models import Count

    from homestretch.pipeline.models import Application

    return (Application.objects.filter(recruiter=recruiter, stage="offer", closed_at__isnull=True)
            .annotate(rivals=Count("candidate__competing_offers")).order_by("-rivals", "pk").first())


def test_the_home_stretch_is_in_view_at_1280_px_and_other_teams_cards_are_read_only(signed_in, demo):
    page = signed_in
    page.goto("/pipeline/")
    for stage in ("final_interview", "verification", "offer", "accepted", "on_hold"):
        box = page.locator(f'.column[data-stage="{stage}"]').bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, stage
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # nothing to scroll sideways to
    expect(page.locator('.early-count[data-stage="sourced"]')).to_contain_text("Sourced")

    # Everyone's pipeline, the early stages shown: another team's cards carry no move form and cannot be
    # dragged; a sourced card says from when it is scored.
    page.get_by_label("Recruiter").select_option("")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Show these stages").click()
    expect(page.locator('.column[data-stage="sourced"]')).to_be_visible()
    ours = page.locator(".board-card:has(form.move-form)")
    theirs = page.locator(".board-card:not(:has(form.move-form))")
    assert ours.count() > 0 and theirs.count() > 0
    expect(theirs.first.locator(".read-only")).to_have_text("Read only")
    assert theirs.first.get_attribute("draggable") is None
    assert ours.first.get_attribute("draggable") == "true"
    expect(page.locator('.column[data-stage="sourced"] .board-card').first).to_contain_text("Scored from screening on")
    other = theirs.first.get_attribute("data-application")
    page.goto(f"/applications/{other}/")
    expect(page.get_by_text("You can read this application")).to_be_visible()
    assert page.locator("#log-touch").count() == 0 and page.locator("#move").count() == 0


def test_menu_icon_404_accent_blind_search_and_the_feed_at_the_apps_own_address(signed_in, demo, live_server,
                                                                                 settings):
    from homestretch.pipeline.models import Candidate

    settings.SITE_URL = ""
    Candidate.objects.create(name="Ana Müller", email="ana.mueller@example.org", skills="Go")
    page = signed_in
    page.locator(".user-menu summary").click()
    expect(page.locator(".user-menu").get_by_role("link", name="API tokens")).to_be_visible()
    page.locator(".user-menu").get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.get_by_role("button", name="Create my calendar address").click()
    assert page.locator("#feed-url").input_value().startswith(f"{live_server.url}/calendar/")
    icon = page.request.get("/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")

    page.get_by_label("Search candidates by name, e-mail or skill").fill("ana muller")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Ana Müller")).to_be_visible()

    response = page.goto("/applications/987654/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("No application with id 987654.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_on_a_phone_the_comparison_is_one_card_per_offer(signed_in, demo):
    application = _offer_with_competition(_recruiter(demo))
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/applications/{application.pk}/")
    expect(page.locator("#compare table")).to_be_hidden()
    cards = page.locator("#compare .compare-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3  # wants, our offer, at least one competitor
    for i in range(cards.count()):
        box = cards.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards.first.scroll_into_view_if_needed()
    screenshot(page, "application-phone", full_page=False)


def test_no_serious_or_critical_accessibility_violation_on_any_kind_of_page(page, demo):
    from homestretch.offers.models import CompetingOffer

    recruiter = _recruiter(demo)
    application = _offer_with_competition(recruiter)
    rival = CompetingOffer.objects.filter(candidate=application.candidate).first()
    job = application.job
    page.goto("/login/")
    found = {"/login/": axe_violations(page)}
    page.get_by_label("E-mail").fill(demo.login_email)
    page.get_by_label("Password").fill(demo.login_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    paths = [
        "/", "/?scope=everyone", "/pipeline/", "/pipeline/?recruiter=&early=1",
        f"/applications/{application.pk}/", f"/applications/{application.pk}/brief/",
        f"/applications/{application.pk}/competing/{rival.pk}/" if rival else None,
        f"/applications/{application.pk}/recruiter/",
        "/candidates/?q=a", f"/candidates/{application.candidate_id}/", f"/candidates/{application.candidate_id}/edit/",
        f"/jobs/{job.pk}/", f"/jobs/{job.pk}/edit/", f"/clients/{job.client_id}/", f"/clients/{job.client_id}/edit/",
        f"/clients/{job.client_id}/report", "/applications/new/", "/mail/unmatched/", "/spreadsheets/", "/insights/",
        "/model/", "/settings/notifications/", "/settings/tokens/", "/applications/987654/", "/admin/",
    ]
    for path in filter(None, paths):
        page.goto(path)
        found[path] = axe_violations(page)
    failing = {path: problems for path, problems in found.items() if problems}
    assert not failing, "\n".join(f"{path}: {problem}" for path, problems in failing.items() for problem in problems)
