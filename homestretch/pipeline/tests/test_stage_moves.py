"""Moving applications on the database: `services.open_application` and `services.move_stage`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from homestretch.pipeline import services
from homestretch.pipeline.choices import LossReason, Stage
from homestretch.pipeline.models import Application, Candidate, StageChange
from homestretch.pipeline.services import StageMove, StageMoveRefused, move_stage

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def snapshot(application: Application) -> Mapping[str, object]:
    """Everything a move may change, as stored."""
    return Application.objects.filter(pk=application.pk).values(
        "stage", "stage_entered_at", "stage_before_hold", "accepted_at", "closed_at", "updated_at"
    ).get()


def history(application: Application) -> list[tuple[str, str]]:
    return list(application.stage_changes.values_list("from_stage", "to_stage"))


def refused_message(application: Application, move: StageMove, **kwargs) -> str:
    """Try the move; assert it is refused and that nothing was written. Returns what it said."""
    before = snapshot(application)
    changes_before = StageChange.objects.count()
    with pytest.raises(StageMoveRefused) as refused:
        move_stage(application.pk, move, **kwargs)
    assert snapshot(application) == before
    assert StageChange.objects.count() == changes_before
    return refused.value.message


# --- Opening --------------------------------------------------------------------------------


def test_opening_records_the_first_stage_in_the_history(application, alice, now):
    change = application.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.at, change.by) == ("", Stage.FINAL_INTERVIEW, now, alice)
    assert change.reason == "" and change.loss_reason == ""
    assert application.stage_entered_at == now
    assert application.created_at == now
    assert application.accepted_at is None and application.closed_at is None


def test_opening_at_accepted_records_the_acceptance(alice, job, candidate, now):
    application = services.open_application(
        candidate=candidate, job=job, recruiter=alice, by=alice, at=now, stage=Stage.ACCEPTED
    )
    assert application.accepted_at == now


@pytest.mark.parametrize("stage", [Stage.ON_HOLD, Stage.STARTED, Stage.REJECTED, "hired"])
def test_opening_at_a_closed_or_unknown_stage_is_refused(alice, job, candidate, now, stage):
    with pytest.raises(ValidationError) as refused:
        services.open_application(candidate=candidate, job=job, recruiter=alice, by=alice, at=now, stage=stage)
    assert "starts at an open stage" in refused.value.message_dict["stage"][0]
    assert not Application.objects.exists()
    assert not StageChange.objects.exists()


def test_opening_the_same_candidate_twice_for_a_job_is_refused(application, bob, now):
    with pytest.raises(ValidationError) as refused:
        services.open_application(
            candidate=application.candidate, job=application.job, recruiter=bob, by=bob, at=now + DAY
        )
    assert "This candidate is already in the process for this job." in refused.value.messages
    assert Application.objects.count() == 1
    assert StageChange.objects.count() == 1


# --- Moving ---------------------------------------------------------------------------------


def test_a_move_writes_the_history_and_the_stage_timestamps(application, bob, now):
    moved = move_stage(application.pk, StageMove(Stage.OFFER, reason="  Client wants to hire  "), by=bob,
                       at=now + DAY)
    assert (moved.stage, moved.stage_entered_at) == (Stage.OFFER, now + DAY)
    stored = Application.objects.get(pk=application.pk)
    assert (stored.stage, stored.stage_entered_at, stored.closed_at) == (Stage.OFFER, now + DAY, None)
    change = stored.stage_changes.last()
    assert (change.from_stage, change.to_stage, change.at, change.by) == (
        Stage.FINAL_INTERVIEW, Stage.OFFER, now + DAY, bob,
    )
    assert change.reason == "Client wants to hire"
    assert change.loss_reason == ""


def test_the_history_keeps_every_move_in_order(application, alice, now):
    for days, stage in enumerate([Stage.VERIFICATION, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED], start=1):
        move_stage(application.pk, StageMove(stage), by=alice, at=now + days * DAY)
    assert history(application) == [
        ("", Stage.FINAL_INTERVIEW),
        (Stage.FINAL_INTERVIEW, Stage.VERIFICATION),
        (Stage.VERIFICATION, Stage.INTERVIEWING),
        (Stage.INTERVIEWING, Stage.OFFER),
        (Stage.OFFER, Stage.ACCEPTED),
    ]


def test_accepting_records_when(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    accepted = move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 2 * DAY)
    assert accepted.accepted_at == now + 2 * DAY
    assert accepted.closed_at is None


def test_starting_closes_the_application_as_hired(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 2 * DAY)
    started = move_stage(application.pk, StageMove(Stage.STARTED, reason="Remote days won it"), by=alice,
                         at=now + 30 * DAY)
    assert started.closed_at == now + 30 * DAY
    assert started.accepted_at == now + 2 * DAY
    assert started.outcome == "hired"


def test_a_loss_closes_the_application_with_its_reasons(application, alice, now):
    lost = move_stage(
        application.pk,
        StageMove(Stage.WITHDRAWN, reason="Took the Globex offer", loss_reason=LossReason.COMPETING_OFFER),
        by=alice, at=now + DAY,
    )
    assert lost.closed_at == now + DAY
    assert lost.outcome == "lost"
    change = lost.stage_changes.last()
    assert (change.to_stage, change.reason, change.loss_reason) == (
        Stage.WITHDRAWN, "Took the Globex offer", LossReason.COMPETING_OFFER,
    )


def test_reneged_needs_an_acceptance_first(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    message = refused_message(
        application, StageMove(Stage.RENEGED, reason="Counteroffer", loss_reason=LossReason.COUNTEROFFER),
        by=alice, at=now + 2 * DAY,
    )
    assert "Only a candidate who has accepted can renege" in message


def test_an_accepted_candidate_reneges(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 2 * DAY)
    reneged = move_stage(
        application.pk, StageMove(Stage.RENEGED, reason="Counteroffer", loss_reason=LossReason.COUNTEROFFER),
        by=alice, at=now + 9 * DAY,
    )
    assert (reneged.stage, reneged.closed_at, reneged.accepted_at) == (Stage.RENEGED, now + 9 * DAY, now + 2 * DAY)


# --- On hold --------------------------------------------------------------------------------


def test_on_hold_remembers_the_stage_and_resumes_there(application, alice, now):
    held = move_stage(application.pk, StageMove(Stage.ON_HOLD, reason="Budget freeze"), by=alice, at=now + DAY)
    assert (held.stage, held.stage_before_hold, held.stage_entered_at) == (
        Stage.ON_HOLD, Stage.FINAL_INTERVIEW, now + DAY,
    )
    resumed = move_stage(application.pk, StageMove(Stage.FINAL_INTERVIEW), by=alice, at=now + 5 * DAY)
    assert (resumed.stage, resumed.stage_before_hold, resumed.stage_entered_at) == (
        Stage.FINAL_INTERVIEW, "", now + 5 * DAY,
    )
    assert history(application)[-2:] == [
        (Stage.FINAL_INTERVIEW, Stage.ON_HOLD), (Stage.ON_HOLD, Stage.FINAL_INTERVIEW),
    ]


def test_resuming_an_acceptance_from_hold_keeps_when_the_candidate_accepted(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 2 * DAY)
    move_stage(application.pk, StageMove(Stage.ON_HOLD, reason="Start date moved"), by=alice, at=now + 3 * DAY)
    resumed = move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 10 * DAY)
    assert resumed.accepted_at == now + 2 * DAY
    assert resumed.stage_entered_at == now + 10 * DAY


def test_an_acceptance_after_a_hold_at_the_offer_is_recorded(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    move_stage(application.pk, StageMove(Stage.ON_HOLD), by=alice, at=now + 2 * DAY)
    accepted = move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 4 * DAY)
    assert accepted.accepted_at == now + 4 * DAY
    assert accepted.stage_before_hold == ""


def test_an_application_held_after_accepting_can_renege(application, alice, now):
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + 2 * DAY)
    move_stage(application.pk, StageMove(Stage.ON_HOLD), by=alice, at=now + 3 * DAY)
    reneged = move_stage(
        application.pk, StageMove(Stage.RENEGED, reason="Stayed", loss_reason=LossReason.COUNTEROFFER),
        by=alice, at=now + 4 * DAY,
    )
    assert (reneged.stage, reneged.stage_before_hold, reneged.closed_at) == (Stage.RENEGED, "", now + 4 * DAY)


# --- Refusals change nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("move", "says"),
    [
        (StageMove(Stage.STARTED), "A candidate starts only after accepting the offer."),
        (StageMove(Stage.FINAL_INTERVIEW), "The application is already at Final interview."),
        (StageMove(Stage.REJECTED), "Say why the application moves to Rejected."),
        (StageMove(Stage.WITHDRAWN, reason="Gone"), "Choose the reason the candidate was lost (Withdrawn)."),
        (StageMove(Stage.OFFER, loss_reason=LossReason.OTHER),
         "A loss reason is given only when the candidate is lost."),
        (StageMove("hired"), "'hired' is not a stage."),
    ],
)
def test_a_refused_move_changes_nothing(application, alice, now, move, says):
    assert refused_message(application, move, by=alice, at=now + DAY) == says


def test_an_unknown_loss_reason_is_refused(application, alice, now):
    message = refused_message(
        application, StageMove(Stage.WITHDRAWN, reason="Gone", loss_reason="bored"), by=alice, at=now + DAY,
    )
    assert message == "'bored' is not a loss reason."


def test_a_move_dated_before_the_stage_was_entered_is_refused(application, alice, now):
    move_stage(application.pk, StageMove(Stage.VERIFICATION), by=alice, at=now + DAY)
    application.refresh_from_db()
    message = refused_message(application, StageMove(Stage.OFFER), by=alice, at=now + DAY - HOUR)
    assert message == "A stage change cannot be dated before the application entered its stage."


def test_a_move_at_the_same_moment_the_stage_was_entered_is_allowed(application, alice, now):
    assert move_stage(application.pk, StageMove(Stage.VERIFICATION), by=alice, at=now).stage == Stage.VERIFICATION


def test_a_refusal_is_a_validation_error_that_forms_and_the_api_can_show(application, alice, now):
    with pytest.raises(ValidationError) as refused:
        move_stage(application.pk, StageMove(Stage.ACCEPTED), by=alice, at=now + DAY)
    assert refused.value.messages == ["A candidate accepts only from the Offer stage."]


# --- Reopening ------------------------------------------------------------------------------


@pytest.fixture
def rejected(application, alice, now) -> Application:
    return move_stage(application.pk, StageMove(Stage.REJECTED, reason="Hired internally"), by=alice, at=now + DAY)


def test_a_recruiter_cannot_reopen(rejected, alice, now):
    message = refused_message(
        rejected, StageMove(Stage.INTERVIEWING, reason="Client changed its mind", reopen=True),
        by=alice, at=now + 2 * DAY,
    )
    assert message == "Only an admin can reopen a closed application."


def test_a_recruiter_moving_a_closed_application_is_told_only_an_admin_reopens(rejected, alice, now):
    message = refused_message(rejected, StageMove(Stage.INTERVIEWING), by=alice, at=now + 2 * DAY)
    assert message == "The application is closed (Rejected); only an admin can reopen it."


def test_nobody_reopens_without_saying_who(rejected, now):
    message = refused_message(rejected, StageMove(Stage.INTERVIEWING, reason="Back", reopen=True), by=None,
                              at=now + 2 * DAY)
    assert message == "Only an admin can reopen a closed application."


def test_an_admin_reopens_a_closed_application_with_a_reason(rejected, ada, now):
    reopened = move_stage(
        rejected.pk, StageMove(Stage.INTERVIEWING, reason=" Client changed its mind ", reopen=True),
        by=ada, at=now + 2 * DAY,
    )
    assert (reopened.stage, reopened.closed_at, reopened.stage_entered_at) == (
        Stage.INTERVIEWING, None, now + 2 * DAY,
    )
    change = reopened.stage_changes.last()
    assert (change.from_stage, change.to_stage, change.by, change.reason) == (
        Stage.REJECTED, Stage.INTERVIEWING, ada, "Client changed its mind",
    )


def test_an_admin_reopening_still_needs_a_reason(rejected, ada, now):
    message = refused_message(rejected, StageMove(Stage.INTERVIEWING, reopen=True), by=ada, at=now + 2 * DAY)
    assert message == "Say why the application is reopened."


def test_an_admin_cannot_reopen_an_open_application(application, ada, now):
    message = refused_message(application, StageMove(Stage.SCREENING, reason="Why", reopen=True), by=ada,
                              at=now + DAY)
    assert message == "The application is not closed (Final interview); there is nothing to reopen."


def test_a_missing_application_is_not_found(alice, now):
    with pytest.raises(Application.DoesNotExist):
        move_stage(404, StageMove(Stage.SCREENING), by=alice, at=now)


def test_moving_one_application_leaves_the_others_alone(application, alice, job, now):
    other = services.open_application(
        candidate=Candidate.objects.create(name="Tomas Berg", email="tomas@example.org"),
        job=job, recruiter=alice, by=alice, at=now,
    )
    move_stage(application.pk, StageMove(Stage.OFFER), by=alice, at=now + DAY)
    assert snapshot(other)["stage"] == Stage.SOURCED
    assert history(other) == [("", Stage.SOURCED)]
