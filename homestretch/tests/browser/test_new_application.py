"""A new application in one form, in a real browser (issue 16): a new candidate for a job found as one
types; a candidate found as one types for a new job at a new client with its hiring manager; a
duplicate offered instead of created, used in one click. Each lands on the application page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _recruiter(demo):
    from homestretch.accounts.models import User

    return User.objects.get(email=demo.login_email)


def _pick(form, kind: str, typed: str, label: str) -> None:
    """Type into a picker's search and choose the suggestion whose text starts with `label`."""
    form.locator(f"input[name={kind}_query]").press_sequentially(typed, delay=20)
    option = form.locator(f"#{kind}-picks li[role=option]").filter(has_text=re.compile("^" + re.escape(label)))
    option.first.click()
    expect(form.locator(f"[data-new-for={kind}]")).to_be_hidden()  # a picked record: no new-record fields


def test_a_new_candidate_for_a_job_found_as_one_types(signed_in, demo):
    from homestretch.pipeline.models import Application, Job

    job = Job.objects.select_related("client").filter(status="open").order_by("id").first()
    page = signed_in
    page.get_by_role("link", name="New application").click()
    expect(page.get_by_role("heading", name="New application")).to_be_visible()
    form = page.locator("#new-application")
    expect(form.get_by_role("button", name="Find")).to_have_count(0)  # the script searches as one types
    form.get_by_label("Name", exact=True).fill("Zoë Lindqvist")
    form.get_by_label("E-mail", exact=True).fill("zoe.lindqvist@example.org")
    form.get_by_label("Current employer").fill("Globex")
    form.get_by_label("Agreed to be contacted").check()
    _pick(form, "job", job.title[:6], f"{job.client.name} · {job.title}")
    form.get_by_label("Stage today").select_option("final_interview")
    form.get_by_label("At this stage since").fill("2026-11-17")
    expect(form.get_by_label("Recruiter")).to_have_value(str(_recruiter(demo).pk))  # self by default
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    screenshot(page, "new-application", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    form.get_by_role("button", name="Open the application").last.click()

    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    expect(page.locator(".message")).to_contain_text("Zoë Lindqvist is in the process for")
    application = Application.objects.get(candidate__email="zoe.lindqvist@example.org")
    assert (application.job_id, application.stage, application.recruiter) == (
        job.pk, "final_interview", _recruiter(demo))
    assert application.stage_entered_at.date().isoformat() == "2026-11-17"


def test_a_candidate_found_as_one_types_for_a_new_job_at_a_new_client(signed_in, demo):
    from homestretch.pipeline.models import Application, Candidate

    candidate = Candidate.objects.exclude(email="").order_by("id").first()
    page = signed_in
    page.goto("/applications/new/")
    form = page.locator("#new-application")
    _pick(form, "candidate", candidate.name[:5], candidate.name)
    expect(form.get_by_label("Candidate", exact=True)).to_have_value(str(candidate.pk))
    form.get_by_label("Title", exact=True).fill("Staff Data Engineer")
    form.get_by_label("Seniority").select_option("lead")
    form.get_by_label("Base from").fill("90000")
    form.get_by_label("Base up to").fill("110000")
    expect(form.get_by_label("New client's name")).to_be_visible()
    form.get_by_label("New client's name").fill("Nordlicht Analytics")
    form.get_by_label("Hiring manager").fill("Ines Berg")
    form.get_by_label("Their title").fill("Head of Data")
    form.get_by_label("Stage today").select_option("screening")
    form.get_by_role("button", name="Open the application").last.click()

    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    application = Application.objects.select_related("job__client", "job__hiring_manager").get(
        job__client__name="Nordlicht Analytics")
    assert application.candidate == candidate
    assert (application.job.title, application.job.hiring_manager.name) == ("Staff Data Engineer", "Ines Berg")
    expect(page.locator("h1")).to_contain_text(candidate.name)


def test_a_duplicate_is_offered_and_used_in_one_click(signed_in, demo):
    from homestretch.pipeline.models import Application, Candidate, Job

    candidate = Candidate.objects.exclude(email="").order_by("id").first()
    job = Job.objects.filter(status="open").exclude(applications__candidate=candidate).order_by("id").first()
    page = signed_in
    page.goto(f"/applications/new/?job={job.pk}")  # "Add another candidate" from the job's page
    form = page.locator("#new-application")
    expect(form.get_by_label("Job", exact=True)).to_have_value(str(job.pk))
    form.get_by_label("Name", exact=True).fill("Somebody Else")
    form.get_by_label("E-mail", exact=True).fill(candidate.email.upper())
    form.get_by_role("button", name="Open the application").last.click()

    offer = page.locator("#duplicates")
    expect(offer).to_contain_text(candidate.name)
    expect(page.locator("#id_candidate_error")).to_contain_text("already a candidate")
    expect(form.get_by_label("Name", exact=True)).to_have_value("Somebody Else")  # nothing typed lost
    assert Candidate.objects.filter(email__iexact=candidate.email).count() == 1
    offer.get_by_role("button", name=f"Use {candidate.name}").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    assert Application.objects.filter(candidate=candidate, job=job).exists()
