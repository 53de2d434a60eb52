"""Learning from history in a real browser: the job page's similar past searches lead to the past
search itself, and the Model page shows the backtest with its calibration chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import CURRENT_TIME

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_job_page_shows_the_similar_past_searches_and_opens_one(signed_in):
    from homestretch.pipeline.models import Job
    from homestretch.similar.services import similar_jobs

    page = signed_in
    job, found = next((job, found) for job in Job.objects.filter(status="open").order_by("pk")
                      if (found := similar_jobs(job.pk)))
    page.goto(f"/jobs/{job.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Similar past searches"))
    expect(section).to_be_visible()
    first = section.get_by_role("heading", level=3).first
    expect(first).to_contain_text(found[0].title)
    expect(section).to_contain_text("Outcomes")
    screenshot(page, "job")
    first.get_by_role("link").click()
    expect(page).to_have_url(f"{page.url.split('/jobs/')[0]}/jobs/{found[0].job_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(found[0].title)


def test_the_model_page_shows_the_backtest_and_its_calibration_chart(signed_in):
    from homestretch.learning import train as training
    from homestretch.risk.live import clear_live_cache

    model = training.train(now=CURRENT_TIME, seed=1)
    clear_live_cache()
    page = signed_in
    page.locator(".user-menu summary").click()  # the model is in the menu under one's name
    page.locator(".user-menu").get_by_role("link", name="Model").click()
    expect(page.get_by_role("heading", name="Risk model")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Model v{model.version}")).to_be_visible()
    expect(page.get_by_role("img", name="Calibration on the held-out outcomes")).to_be_visible()
    expect(page.get_by_role("heading", name="Backtest")).to_be_visible()
    screenshot(page, "model")
