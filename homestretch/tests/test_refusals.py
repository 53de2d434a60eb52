"""The same rule, refused the same way at every entry point: the service, the page form, the API and
the back office name the same field with the same code and the same words. Forms and the API place a
refusal by its field and its code, so a message can be reworded without moving it, and the API
answers 409 or 422 from the code alone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from homestretch.front.tests.pages import pages_at_now  # noqa: F401
from homestretch.lib import refusals
from homestretch.lib.refusals import NON_FIELD, Refused, field_errors
from homestretch.pipeline import models as pipeline_models
from homestretch.pipeline import services, stages
from homestretch.pipeline.models import Application, Touchpoint
from homestretch.pipeline.services import StageMove, log_touchpoint, move_stage
from homestretch.tests.api_client import ApiClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]

DAY = timedelta(days=1)


def service_refusal(call, *args, **kwargs) -> list[tuple[str, str | None, str]]:
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return [(field, code, message) for field, message, code in field_errors(refused.value)]


def form_refusal(form, *fields: str) -> list[tuple[str, str | None, str]]:
    errors = form.errors.as_data()
    return [(field, error.code, message) for field in fields for error in errors.get(field, []) for message in error]


def api_refusal(response, status: int) -> list[tuple[str, str]]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return [(error["field"], error["message"]) for error in response.json()["errors"]]


def without_code(refusal: list[tuple[str, str | None, str]]) -> list[tuple[str, str]]:
    return [("stage" if field == "to_stage" else field, message) for field, _, message in refusal]


def stored(application: Application) -> Mapping[str, object]:
    return Application.objects.filter(pk=application.pk).values("stage", "lessons").get()


@pytest.fixture
def closed(application, alice, now) -> Application:
    return move_stage(application.pk, StageMove("rejected", reason="Hired internally"), by=alice, at=now + DAY)


# --- Lessons are noted when the application closes, and only then -----------------------------------


def test_lessons_on_a_move_that_does_not_close_are_one_refusal_everywhere(client, alice, application, now):
    before = stored(application)
    by_service = service_refusal(move_stage, application.pk, StageMove("verification", lessons="Too early"),
                                 by=alice, at=now + DAY)
    assert by_service == [("lessons", refusals.NOT_APPLICABLE, pipeline_models.LESSONS_ONLY_ON_A_CLOSE)]

    client.force_login(alice)
    page = client.post(reverse("move_stage", kwargs={"application_id": application.pk}),
                       {"to_stage": "verification", "lessons": "Too early"})
    assert form_refusal(page.context["move_form"], "lessons", "to_stage") == by_service

    response = ApiClient(alice).post(f"/applications/{application.pk}/stage",
                                     {"stage": "verification", "lessons": "Too early"})
    assert api_refusal(response, 422) == without_code(by_service)
    assert stored(application) == before


def test_lessons_written_to_an_open_application_are_one_refusal_everywhere(client, ada, alice, application, job,
                                                                           now):
    application.lessons = "Noted mid-process"
    by_model = service_refusal(application.full_clean)
    # The stage the application is at refuses them: a conflict with the record as it stands (409).
    assert by_model == [("lessons", refusals.TRANSITION, pipeline_models.LESSONS_ONLY_ON_A_CLOSE)]

    as_alice = ApiClient(alice)
    assert api_refusal(as_alice.patch(f"/applications/{application.pk}", {"lessons": "Noted mid-process"}),
                       409) == without_code(by_model)
    # A new application is open: its lessons have no place yet, which its body alone says (422).
    candidate = pipeline_models.Candidate.objects.create(name="Tom Berg")
    at_creation = service_refusal(services.open_application, candidate=candidate, job=job, recruiter=alice,
                                  by=alice, at=now, lessons="Noted mid-process")
    assert at_creation == [("lessons", refusals.NOT_APPLICABLE, pipeline_models.LESSONS_ONLY_ON_A_CLOSE)]
    created = as_alice.post("/applications", {"candidate_id": candidate.pk, "job_id": job.pk,
                                              "lessons": "Noted mid-process"})
    assert api_refusal(created, 422) == without_code(at_creation)
    assert not Application.objects.filter(candidate=candidate).exists()

    client.force_login(ada)
    url = reverse("admin:pipeline_application_change", args=[application.pk])
    page = client.get(url)
    management = {f"{inline.formset.prefix}-{name}": inline.formset.management_form[name].value()
                  for inline in page.context["inline_admin_formsets"]
                  for name in inline.formset.management_form.fields}
    back_office = client.post(url, {"recruiter": alice.pk, "lessons": "Noted mid-process", **management})
    assert back_office.status_code == 200
    assert form_refusal(back_office.context["adminform"].form, "lessons") == by_model
    assert stored(application)["lessons"] == ""


def test_lessons_of_a_closed_application_are_written_anywhere(client, alice, closed):
    response = ApiClient(alice).patch(f"/applications/{closed.pk}", {"lessons": "Ask about internal hires"})
    assert response.status_code == 200, response.content
    assert stored(closed)["lessons"] == "Ask about internal hires"


def test_a_reopened_application_keeps_the_lessons_of_its_close(alice, ada, bob, closed, now):
    ApiClient(alice).patch(f"/applications/{closed.pk}", {"lessons": "Ask about internal hires"})
    move_stage(closed.pk, StageMove("screening", reason="The client came back", reopen=True), by=ada,
               at=now + 2 * DAY)
    handed = ApiClient(alice).patch(f"/applications/{closed.pk}", {"recruiter_id": bob.pk})
    assert handed.status_code == 200, handed.content
    assert api_refusal(ApiClient(alice).patch(f"/applications/{closed.pk}", {"lessons": "Rewritten"}), 409) == [
        ("lessons", pipeline_models.LESSONS_ONLY_ON_A_CLOSE)]
    assert stored(closed)["lessons"] == "Ask about internal hires"


# --- An answer about the competition needs the question, and the question its answer ---------------

CALL = {"channel": "call", "direction": "outbound", "notes": "Keen"}


def test_an_answer_without_the_question_is_one_refusal_everywhere(client, ada, alice, application, now):
    by_service = service_refusal(log_touchpoint, Touchpoint(
        application=application, recruiter=alice, at=now, competition_asked=False, competition_answer="none",
        **CALL))
    assert by_service == [("competition_asked", refusals.MISSING, pipeline_models.ANSWER_NEEDS_THE_QUESTION)]

    client.force_login(alice)
    page = client.post(reverse("log_touch", kwargs={"application_id": application.pk}),
                       {**CALL, "competition_answer": "none"})
    assert form_refusal(page.context["touch_form"], "competition_asked", "competition_answer") == by_service

    response = ApiClient(alice).post(f"/applications/{application.pk}/touchpoints",
                                     {**CALL, "competition_asked": False, "competition_answer": "none"})
    assert api_refusal(response, 422) == without_code(by_service)

    client.force_login(ada)
    back_office = client.post(reverse("admin:pipeline_touchpoint_add"), {
        "candidate": application.candidate_id, "application": application.pk, "recruiter": alice.pk,
        "at_0": "2026-11-20", "at_1": "09:30:00", "competition_answer": "none", **CALL})
    assert back_office.status_code == 200
    assert form_refusal(back_office.context["adminform"].form, "competition_asked", "competition_answer") == (
        by_service)
    assert not Touchpoint.objects.exists()


def test_the_question_without_its_answer_is_one_refusal_everywhere(client, ada, alice, application, now):
    by_service = service_refusal(log_touchpoint, Touchpoint(
        application=application, recruiter=alice, at=now, competition_asked=True, **CALL))
    assert by_service == [("competition_answer", refusals.MISSING, "Say what the candidate answered.")]

    client.force_login(alice)
    page = client.post(reverse("log_touch", kwargs={"application_id": application.pk}),
                       {**CALL, "competition_asked": "on"})
    assert form_refusal(page.context["touch_form"], "competition_asked", "competition_answer") == by_service

    response = ApiClient(alice).post(f"/applications/{application.pk}/touchpoints",
                                     {**CALL, "competition_asked": True})
    assert api_refusal(response, 422) == without_code(by_service)

    client.force_login(ada)
    back_office = client.post(reverse("admin:pipeline_touchpoint_add"), {
        "candidate": application.candidate_id, "application": application.pk, "recruiter": alice.pk,
        "at_0": "2026-11-20", "at_1": "09:30:00", "competition_asked": "on", **CALL})
    assert form_refusal(back_office.context["adminform"].form, "competition_asked", "competition_answer") == (
        by_service)
    assert not Touchpoint.objects.exists()


# --- A stage rule names the same field on the page, in the back office and in the API ----------------


@pytest.mark.parametrize(("move", "field", "code", "status"), [
    ({"to_stage": "withdrawn", "loss_reason": "counteroffer"}, "reason", refusals.MISSING, 422),
    ({"to_stage": "withdrawn", "reason": "Took Globex"}, "loss_reason", refusals.MISSING, 422),
    ({"to_stage": "offer", "loss_reason": "counteroffer"}, "loss_reason", refusals.NOT_APPLICABLE, 422),
    ({"to_stage": "accepted"}, "to_stage", refusals.TRANSITION, 409),
    ({"to_stage": "final_interview"}, "to_stage", refusals.TRANSITION, 409),
])
def test_a_stage_rule_names_one_field_everywhere(client, ada, alice, application, now, move, field, code, status):
    data = {"reason": "", "loss_reason": "", **move}
    by_service = service_refusal(move_stage, application.pk, StageMove(**data), by=alice, at=now + DAY)
    assert [(f, c) for f, c, _ in by_service] == [(field, code)]

    client.force_login(alice)
    page = client.post(reverse("move_stage", kwargs={"application_id": application.pk}), data)
    assert form_refusal(page.context["move_form"], "to_stage", "reason", "loss_reason", "lessons") == by_service

    api_body = {"stage" if name == "to_stage" else name: value for name, value in data.items()}
    response = ApiClient(alice).post(f"/applications/{application.pk}/stage", api_body)
    assert api_refusal(response, status) == without_code(by_service)

    client.force_login(ada)
    back_office = client.post(reverse("admin:pipeline_application_stage", args=[application.pk]), data)
    assert form_refusal(back_office.context["form"], "to_stage", "reason", "loss_reason") == by_service
    assert stored(application)["stage"] == "final_interview"


# --- Reworded, a refusal stays where it was --------------------------------------------------------


def reworded_stage_rules(monkeypatch) -> None:
    """Every stage rule says something else, with the same field and code."""
    check = stages.check_transition

    def reworded(*args, **kwargs):
        try:
            check(*args, **kwargs)
        except stages.TransitionRefused as refused:
            raise stages.TransitionRefused(refused.field, "Something else entirely.", refused.code) from None

    monkeypatch.setattr(stages, "check_transition", reworded)


@pytest.mark.parametrize(("move", "field", "code", "status"), [
    ({"to_stage": "withdrawn", "loss_reason": "counteroffer"}, "reason", refusals.MISSING, 422),
    ({"to_stage": "withdrawn", "reason": "Took Globex"}, "loss_reason", refusals.MISSING, 422),
    ({"to_stage": "accepted"}, "to_stage", refusals.TRANSITION, 409),
])
def test_a_reworded_stage_rule_stays_beside_its_field(client, alice, application, monkeypatch, move, field, code,
                                                      status):
    reworded_stage_rules(monkeypatch)
    client.force_login(alice)
    page = client.post(reverse("move_stage", kwargs={"application_id": application.pk}), move)
    assert form_refusal(page.context["move_form"], "to_stage", "reason", "loss_reason", "lessons") == [
        (field, code, "Something else entirely.")]
    api_body = {"stage" if name == "to_stage" else name: value for name, value in move.items()}
    response = ApiClient(alice).post(f"/applications/{application.pk}/stage", api_body)
    assert api_refusal(response, status) == [("stage" if field == "to_stage" else field, "Something else entirely.")]


def test_reworded_lessons_and_competition_rules_stay_beside_their_fields(client, alice, application, monkeypatch):
    monkeypatch.setattr(pipeline_models, "LESSONS_ONLY_ON_A_CLOSE", "Later, please.")
    monkeypatch.setattr(services, "LESSONS_ONLY_ON_A_CLOSE", "Later, please.")
    monkeypatch.setattr(pipeline_models, "ANSWER_NEEDS_THE_QUESTION", "Did you ask?")
    client.force_login(alice)
    moved = client.post(reverse("move_stage", kwargs={"application_id": application.pk}),
                        {"to_stage": "verification", "lessons": "Too early"})
    assert form_refusal(moved.context["move_form"], "to_stage", "lessons") == [
        ("lessons", refusals.NOT_APPLICABLE, "Later, please.")]
    touched = client.post(reverse("log_touch", kwargs={"application_id": application.pk}),
                          {**CALL, "competition_answer": "none"})
    assert form_refusal(touched.context["touch_form"], "competition_asked", "competition_answer") == [
        ("competition_asked", refusals.MISSING, "Did you ask?")]


# --- The API answers from the code alone -------------------------------------------------------------


@pytest.mark.parametrize(("code", "status"), [
    (refusals.TRANSITION, 409), (refusals.CLOSED, 409), (refusals.DUPLICATE, 409), (refusals.BLOCKED, 409),
    (refusals.MISSING, 422), (refusals.NOT_APPLICABLE, 422), (refusals.INVALID_CHOICE, 422),
])
def test_the_api_answers_409_or_422_from_the_code_alone(alice, application, monkeypatch, code, status):
    def refuse(*args, **kwargs):
        raise Refused("reason", "Words that say nothing about the status.", code)

    monkeypatch.setattr(services, "move_stage", refuse)
    response = ApiClient(alice).post(f"/applications/{application.pk}/stage", {"stage": "offer"})
    assert api_refusal(response, status) == [("reason", "Words that say nothing about the status.")]
    assert response.json()["detail"] == "Words that say nothing about the status."


@pytest.mark.parametrize("code", [refusals.DUPLICATE, refusals.CLOSED])
def test_a_refusal_about_the_whole_request_is_named_request(alice, application, monkeypatch, code):
    def refuse(*args, **kwargs):
        raise Refused(NON_FIELD, "Not now.", code)

    monkeypatch.setattr(services, "move_stage", refuse)
    response = ApiClient(alice).post(f"/applications/{application.pk}/stage", {"stage": "offer"})
    assert api_refusal(response, 409) == [("request", "Not now.")]


def test_conflicts_with_the_state_of_the_records_are_409_and_bad_input_422(alice, application, now):
    as_alice = ApiClient(alice)
    twice = as_alice.post("/applications", {"candidate_id": application.candidate_id, "job_id": application.job_id})
    assert api_refusal(twice, 409) == [("request", "This candidate is already in the process for this job.")]
    job_close = as_alice.post(f"/jobs/{application.job_id}/close", {"status": "closed"})
    assert [field for field, _ in api_refusal(job_close, 409)] == ["status"]
    offer_id = as_alice.post(f"/applications/{application.pk}/offers", {"base": "85000"}).json()["id"]
    assert [field for field, _ in api_refusal(as_alice.post(f"/offers/{offer_id}/status", {"status": "accepted"}),
                                              409)] == ["status"]
    assert [field for field, _ in api_refusal(as_alice.post(f"/offers/{offer_id}/status", {"status": "declined"}),
                                              409)] == ["status"]  # a draft is not declined: it was never sent
    as_alice.post(f"/offers/{offer_id}/status", {"status": "extended"})
    no_reason = as_alice.post(f"/offers/{offer_id}/status", {"status": "declined"})
    assert [field for field, _ in api_refusal(no_reason, 422)] == ["decline_reason"]
    as_alice.post(f"/applications/{application.pk}/stage", {"stage": "rejected", "reason": "Budget"})
    closed_offer = as_alice.post(f"/applications/{application.pk}/offers", {"base": "1"})
    assert [field for field, _ in api_refusal(closed_offer, 409)] == ["request"]


# --- The command line prints the field and the message -------------------------------------------


def test_the_command_line_prints_each_refusal_as_field_and_message(alice):
    from typer.testing import CliRunner

    from homestretch.cli import app

    runner = CliRunner()
    malformed = runner.invoke(app, ["createuser", "--email", "not-an-address", "--team", "North",
                                    "--password", "a long and unusual passphrase"])
    assert malformed.exit_code == 1
    assert "Error: email: Enter a valid email address." in malformed.output
    too_long = runner.invoke(app, ["token", "create", "--user", alice.email, "--name", "x" * 101])
    assert too_long.exit_code == 2
    assert "Error: name: A token's name has at most 100 characters." in too_long.output
