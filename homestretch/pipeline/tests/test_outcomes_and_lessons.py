"""Outcomes and lessons: every close says why (a start too), a lessons note is offered with a closing
move, and a job closes as filled or closed with its own lessons. Service, page forms and API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

import pytest
from django.urls import reverse

from homestretch.front.tests.pages import application_at, pages_at_now  # noqa: F401
from homestretch.pipeline import services
from homestretch.pipeline.choices import JobStatus, LossReason, Stage
from homestretch.pipeline.models import Application, Candidate, Job, StageChange
from homestretch.pipeline.services import JobCloseRefused, StageMove, StageMoveRefused, close_job, move_stage
from homestretch.pipeline.stages import StageRules, TransitionRefused, check_transition
from homestretch.tests.api_client import ApiClient, assert_problem

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def accepted(application: Application, by, now) -> Application:
    move_stage(application.pk, StageMove(Stage.OFFER), by=by, at=now + DAY)
    return move_stage(application.pk, StageMove(Stage.ACCEPTED), by=by, at=now + 2 * DAY)


@pytest.fixture
def entered_early(job, alice, now) -> Application:
    """An application at the final interview since ten days before `now` (the pages' clock)."""
    return application_at("Sam Lee", job, alice, Stage.FINAL_INTERVIEW, entered=now - 10 * DAY)


def stored(application: Application) -> Mapping[str, object]:
    return Application.objects.filter(pk=application.pk).values("stage", "closed_at", "lessons").get()


# --- The rule: every close says why ---------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_starting_needs_a_reason_in_words(reason):
    with pytest.raises(TransitionRefused) as refused:
        check_transition(StageRules(stage=Stage.ACCEPTED, was_accepted=True), Stage.STARTED, reason=reason)
    assert str(refused.value) == "Say why the application closes as Started (what won it)."


def test_an_impossible_start_says_what_is_wrong_before_asking_why():
    with pytest.raises(TransitionRefused) as refused:
        check_transition(StageRules(stage=Stage.OFFER), Stage.STARTED)
    assert str(refused.value) == "A candidate starts only after accepting the offer."


def test_the_client_rejecting_needs_words_but_no_coded_reason():
    # LossReason codes the candidate's reasons (pay, a competing offer...); the client's are free text.
    with pytest.raises(TransitionRefused, match="Say why the application moves to Rejected"):
        check_transition(StageRules(stage=Stage.INTERVIEWING), Stage.REJECTED)
    check_transition(StageRules(stage=Stage.INTERVIEWING), Stage.REJECTED, reason="Hired internally")


# --- Lessons with a closing move ------------------------------------------------------------------


def test_a_start_keeps_its_reason_and_lessons_in_one_move(application, alice, now):
    accepted(application, alice, now)
    started = move_stage(application.pk, StageMove(Stage.STARTED, reason=" Remote days won it ",
                                                   lessons="  Lead with the remote policy.  "),
                         by=alice, at=now + 30 * DAY)
    assert started.lessons == "Lead with the remote policy."
    assert stored(started)["lessons"] == "Lead with the remote policy."
    change = started.stage_changes.last()
    assert (change.to_stage, change.reason) == (Stage.STARTED, "Remote days won it")


def test_a_start_without_a_reason_is_refused_and_changes_nothing(application, alice, now):
    accepted(application, alice, now)
    before, changes = stored(application), StageChange.objects.count()
    with pytest.raises(StageMoveRefused, match=r"closes as Started \(what won it\)"):
        move_stage(application.pk, StageMove(Stage.STARTED, lessons="Keep the weekly call"), by=alice,
                   at=now + 30 * DAY)
    assert stored(application) == before and StageChange.objects.count() == changes


def test_a_loss_keeps_its_lessons(application, alice, now):
    lost = move_stage(application.pk, StageMove(Stage.WITHDRAWN, reason="Took Globex", lessons="Ask earlier",
                                                loss_reason=LossReason.COMPETING_OFFER), by=alice, at=now + DAY)
    assert stored(lost) == {"stage": Stage.WITHDRAWN, "closed_at": now + DAY, "lessons": "Ask earlier"}


def test_lessons_on_a_move_within_the_process_are_refused_and_change_nothing(application, alice, now):
    before, changes = stored(application), StageChange.objects.count()
    with pytest.raises(StageMoveRefused) as refused:
        move_stage(application.pk, StageMove(Stage.VERIFICATION, lessons="Too early"), by=alice, at=now + DAY)
    assert refused.value.message.startswith("Lessons are noted when the application closes")
    assert stored(application) == before and StageChange.objects.count() == changes


def test_a_blank_lessons_note_leaves_the_lessons_alone(application, alice, now):
    Application.objects.filter(pk=application.pk).update(lessons="Noted by hand")
    lost = move_stage(application.pk, StageMove(Stage.REJECTED, reason="Not senior enough", lessons="   "),
                      by=alice, at=now + DAY)
    assert stored(lost)["lessons"] == "Noted by hand"


def test_lessons_of_a_second_close_are_appended_under_their_date_and_stage(application, alice, ada, now):
    move_stage(application.pk, StageMove(Stage.REJECTED, reason="Budget", lessons="Check the budget first"),
               by=alice, at=now + DAY)
    move_stage(application.pk, StageMove(Stage.INTERVIEWING, reason="Budget back", reopen=True), by=ada,
               at=now + 2 * DAY)
    move_stage(application.pk, StageMove(Stage.WITHDRAWN, reason="Gone", loss_reason=LossReason.PERSONAL,
                                         lessons="Keep in touch while on hold"), by=alice, at=now + 3 * DAY)
    assert stored(application)["lessons"] == (
        f"Check the budget first\n\n{now + 3 * DAY:%Y-%m-%d}, Withdrawn: Keep in touch while on hold"
    )


# --- The move form on the application page --------------------------------------------------------


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}".*?<p class="error" id="{field_id}_error">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def post_move(client, application, data):
    return client.post(reverse("move_stage", kwargs={"application_id": application.pk}), data)


@pytest.mark.usefixtures("pages_at_now")
def test_the_page_offers_lessons_beside_the_move(client, alice, application):
    client.force_login(alice)
    page = client.get(reverse("application", kwargs={"application_id": application.pk})).content.decode()
    assert 'name="lessons"' in page and "Lessons for the next similar search" in page
    assert 'data-closing-stages="declined rejected reneged started withdrawn"' in page


@pytest.mark.usefixtures("pages_at_now")
def test_the_form_closes_with_reason_and_lessons(client, alice, application, now):
    client.force_login(alice)
    response = post_move(client, application, {"to_stage": "rejected", "reason": "Went with an internal",
                                               "lessons": "Ask about internal candidates at the brief"})
    assert response.status_code == 302
    assert stored(application) == {"stage": "rejected", "closed_at": now,
                                   "lessons": "Ask about internal candidates at the brief"}


@pytest.mark.usefixtures("pages_at_now")
def test_a_start_without_reason_errs_beside_the_reason_and_keeps_the_lessons_typed(client, alice, entered_early,
                                                                                   now):
    application = accepted(entered_early, alice, now - 5 * DAY)
    client.force_login(alice)
    response = post_move(client, application, {"to_stage": "started", "lessons": "Short loops win"})
    page = response.content.decode()
    assert response.status_code == 200
    assert error_beside(page, "id_reason") == "Say why the application closes as Started (what won it)."
    assert re.search(r'<textarea name="lessons"[^>]*>\s*Short loops win</textarea>', page)
    assert stored(application)["stage"] == "accepted"


@pytest.mark.usefixtures("pages_at_now")
def test_lessons_on_an_open_move_err_beside_the_lessons(client, alice, application):
    client.force_login(alice)
    response = post_move(client, application, {"to_stage": "verification", "lessons": "Too early"})
    assert error_beside(response.content.decode(), "id_lessons").startswith("Lessons are noted when")
    assert stored(application)["stage"] == "final_interview"


# --- The API --------------------------------------------------------------------------------------


def test_api_closing_move_takes_lessons(alice, entered_early, now):
    application = accepted(entered_early, alice, now - 5 * DAY)
    response = ApiClient(alice).post(f"/applications/{application.pk}/stage", {
        "stage": "started", "reason": "Our offer had more remote days", "lessons": "Lead with remote days"})
    assert response.status_code == 200, response.content
    assert (response.json()["stage"], response.json()["lessons"]) == ("started", "Lead with remote days")


def test_api_start_without_reason_is_422_on_the_reason(alice, entered_early, now):
    # The reason is missing input, named as the page names it (lib/refusals.py: 409 is for a conflict
    # with the state of the records).
    application = accepted(entered_early, alice, now - 5 * DAY)
    body = assert_problem(ApiClient(alice).post(f"/applications/{application.pk}/stage", {"stage": "started"}),
                          422, "reason")
    assert "what won it" in body["detail"]


def test_api_lessons_on_an_open_move_is_422_on_lessons(alice, application):
    body = assert_problem(ApiClient(alice).post(f"/applications/{application.pk}/stage",
                                                {"stage": "verification", "lessons": "x"}), 422, "lessons")
    assert body["detail"].startswith("Lessons are noted when the application closes")
    assert stored(application)["stage"] == "final_interview"


# --- Closing a job --------------------------------------------------------------------------------


def another(job: Job, name: str, by, now, stage: str) -> Application:
    candidate = Candidate.objects.create(name=name, email=f"{name.split()[0].lower()}@example.org")
    return services.open_application(candidate=candidate, job=job, recruiter=by, by=by, at=now, stage=stage)


def job_state(job: Job) -> Mapping[str, object]:
    return Job.objects.filter(pk=job.pk).values("status", "closed_on", "lessons").get()


def test_a_job_with_a_hire_closes_as_filled_with_its_lessons(job, application, alice, now):
    accepted(application, alice, now)  # accepted, not started yet: the hire, not a loose end
    closed = close_job(job.pk, status=JobStatus.FILLED, lessons=" Band was right ", by=alice, at=now + 3 * DAY)
    assert job_state(closed) == {"status": "filled", "closed_on": (now + 3 * DAY).date(),
                                 "lessons": "Band was right"}


def test_filling_a_job_nobody_accepted_is_refused(job, application, alice, now):
    move_stage(application.pk, StageMove(Stage.REJECTED, reason="No"), by=alice, at=now + DAY)
    before = job_state(job)
    with pytest.raises(JobCloseRefused) as refused:
        close_job(job.pk, status=JobStatus.FILLED, by=alice, at=now + 2 * DAY)
    assert "none has; close it as Closed" in refused.value.messages[0]
    assert job_state(job) == before
    assert close_job(job.pk, status=JobStatus.CLOSED, by=alice, at=now + 2 * DAY).status == "closed"


def test_closing_a_job_with_open_applications_says_how_many_and_where(job, application, alice, now):
    another(job, "Tom Berg", alice, now, Stage.SCREENING)
    another(job, "Lea Roth", alice, now, Stage.SCREENING)
    before = job_state(job)
    with pytest.raises(JobCloseRefused) as refused:
        close_job(job.pk, status=JobStatus.CLOSED, lessons="x", by=alice, at=now + DAY)
    assert refused.value.messages[0] == (
        "3 applications are still open (2 screening, 1 final interview); "
        "close each with its reason before closing the job."
    )
    assert job_state(job) == before


def test_filling_a_job_still_needs_the_other_candidates_told(job, application, alice, now):
    accepted(application, alice, now)
    another(job, "Tom Berg", alice, now, Stage.INTERVIEWING)
    with pytest.raises(JobCloseRefused) as refused:
        close_job(job.pk, status=JobStatus.FILLED, by=alice, at=now + 3 * DAY)
    assert refused.value.messages[0].startswith("1 application is still open (1 interviewing);")


def test_a_closed_job_does_not_close_again(job, alice, now):
    close_job(job.pk, status=JobStatus.CLOSED, lessons="First", by=alice, at=now)
    with pytest.raises(JobCloseRefused) as refused:
        close_job(job.pk, status=JobStatus.CLOSED, lessons="Second", by=alice, at=now + DAY)
    assert refused.value.messages[0] == (
        f"The job is already Closed on {now.date():%Y-%m-%d}; only an admin can reopen it."
    )
    assert job_state(job)["lessons"] == "First"


def test_job_lessons_written_before_are_kept_and_the_new_ones_appended(job, alice, now):
    Job.objects.filter(pk=job.pk).update(lessons="Mid-search: band too low")
    close_job(job.pk, status=JobStatus.CLOSED, lessons="Client hired internally", by=alice, at=now)
    assert job_state(job)["lessons"] == f"Mid-search: band too low\n\n{now:%Y-%m-%d}, Closed: Client hired internally"


def test_a_job_closes_only_as_filled_or_closed(job, alice, now):
    with pytest.raises(JobCloseRefused, match="Filled or Closed, not 'open'"):
        close_job(job.pk, status=JobStatus.OPEN, by=alice, at=now)


@pytest.mark.usefixtures("pages_at_now")
def test_the_job_page_closes_the_job_and_shows_its_lessons(client, alice, job, now):
    client.force_login(alice)
    page = client.get(reverse("job", kwargs={"job_id": job.pk})).content.decode()
    assert f'action="/jobs/{job.pk}/close/"' in page
    response = client.post(reverse("close_job", kwargs={"job_id": job.pk}),
                           {"status": "closed", "lessons": "Search cancelled after the reorg"})
    assert response.status_code == 302
    page = client.get(reverse("job", kwargs={"job_id": job.pk})).content.decode()
    assert "Search cancelled after the reorg" in page and "close/" not in page


@pytest.mark.usefixtures("pages_at_now")
def test_a_refused_job_close_errs_beside_the_status_and_keeps_the_lessons(client, alice, job, application):
    client.force_login(alice)
    response = client.post(reverse("close_job", kwargs={"job_id": job.pk}),
                           {"status": "closed", "lessons": "Keep this text"})
    page = response.content.decode()
    assert response.status_code == 200
    assert error_beside(page, "id_status").startswith("1 application is still open (1 final interview)")
    assert "Keep this text</textarea>" in page
    assert job_state(job)["status"] == "open"


@pytest.mark.usefixtures("pages_at_now")
def test_a_viewer_cannot_close_a_job(client, victor, job):
    client.force_login(victor)
    assert "close/" not in client.get(reverse("job", kwargs={"job_id": job.pk})).content.decode()
    assert client.post(reverse("close_job", kwargs={"job_id": job.pk}), {"status": "closed"}).status_code == 403
    assert job_state(job)["status"] == "open"


def test_api_closes_a_job(alice, job, now):
    response = ApiClient(alice).post(f"/jobs/{job.pk}/close", {"status": "closed", "lessons": "Reorg",
                                                               "at": now.isoformat()})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["closed_on"], response.json()["lessons"]) == (
        "closed", now.date().isoformat(), "Reorg")


def test_api_refused_job_close_is_409_and_changes_nothing(alice, job, application):
    body = assert_problem(ApiClient(alice).post(f"/jobs/{job.pk}/close", {"status": "filled"}), 409, "status")
    assert "none has" in body["detail"]
    assert job_state(job)["status"] == "open"


def test_api_job_close_status_open_is_422(alice, job):
    assert_problem(ApiClient(alice).post(f"/jobs/{job.pk}/close", {"status": "open"}), 422)
    assert_problem(ApiClient(alice).post(f"/jobs/{job.pk}/close", {}), 422)


def test_api_patch_cannot_fill_a_job_with_candidates_still_in_the_process(alice, job, application):
    # The page's close refuses this; a PATCH of `status` goes through the same rule (services.close_job).
    patch = ApiClient(alice).patch(f"/jobs/{job.pk}", {"status": "filled", "title": "Renamed"})
    body = assert_problem(patch, 409, "status")
    assert "none has" in body["detail"]
    assert (job_state(job)["status"], Job.objects.get(pk=job.pk).title) == ("open", "Senior Backend Engineer")
    assert_problem(ApiClient(alice).patch(f"/jobs/{job.pk}", {"closed_on": "2026-11-01"}), 422, "closed_on")


def test_api_patch_closes_a_job_as_close_job_would_and_only_an_admin_reopens(alice, ada, job, now):
    response = ApiClient(alice).patch(f"/jobs/{job.pk}", {"status": "closed", "title": "Renamed"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["title"]) == ("closed", "Renamed")
    assert response.json()["closed_on"] is not None
    assert_problem(ApiClient(alice).patch(f"/jobs/{job.pk}", {"status": "open"}), 409, "status")
    reopened = ApiClient(ada).patch(f"/jobs/{job.pk}", {"status": "open"})
    assert (reopened.json()["status"], reopened.json()["closed_on"]) == ("open", None)
