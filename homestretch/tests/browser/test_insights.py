"""The Insights page in a real browser: reached from the navigation over the small demo, its charts drawn
with their tables beneath, a filter applied, and a table downloaded as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_insights_page_draws_its_charts_with_their_tables_and_exports_csv(signed_in):
    page = signed_in
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    page.get_by_label("Team", exact=True).select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("img", name="Acceptance rate by month")).to_be_visible()
    expect(page.get_by_role("img", name="Loss rate by days within cadence")).to_be_visible()
    trend = page.locator("section[data-table='by_month']")
    expect(trend.locator("table tbody tr").first).to_be_visible()
    expect(page.locator("section[data-table='cadence_adherence']")).to_contain_text("observational")
    assert page.locator("svg.chart").count() == 6
    screenshot(page, "insights")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Why candidates declined or reneged” as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Reason,Declined,Reneged,Total,Share")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("img", name="Acceptance rate by month")).to_be_visible()
