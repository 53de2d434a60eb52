"""Workflows over the pipeline: open an application, move its stage, log a touch.

Views, the API and the command line call these same functions. Each validates everything first
(model rules, constraints and stage rules, in one place) and writes in one transaction, so a
refused request changes nothing. `at` is always an argument: nothing here reads the clock deeply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from homestretch.accounts.models import User

from . import stages
from .choices import LossReason, Stage
from .models import Application, Candidate, Job, StageChange, Touchpoint


class StageMoveRefused(ValidationError):
    """A stage move that the rules refuse; `message` says why in a recruiter's words."""


def open_application(
    *, candidate: Candidate, job: Job, recruiter: User, by: User | None, at: datetime,
    stage: str = Stage.SOURCED,
) -> Application:
    """Put a candidate into the process for a job, recording the first stage in the history."""
    if stage not in stages.OPEN or stage == Stage.ON_HOLD:
        raise ValidationError({"stage": f"A new application starts at an open stage, not '{stage}'."})
    application = Application(
        candidate=candidate, job=job, recruiter=recruiter, stage=stage,
        stage_entered_at=at, created_at=at,
        accepted_at=at if stage == Stage.ACCEPTED else None,
    )
    application.full_clean()
    with transaction.atomic():
        application.save()
        StageChange.objects.create(application=application, from_stage="", to_stage=stage, at=at, by=by)
    return application


@dataclass(frozen=True, slots=True)
class StageMove:
    to_stage: str
    reason: str = ""
    loss_reason: str = ""
    reopen: bool = False


def move_stage(application_id: int, move: StageMove, *, by: User | None, at: datetime) -> Application:
    """Move an application to another stage, or refuse with StageMoveRefused and change nothing.

    The row is locked while the rules are checked, so two people moving the same card at once
    cannot both succeed from the same starting stage.
    """
    if move.reopen and not (by is not None and by.is_admin):
        raise StageMoveRefused("Only an admin can reopen a closed application.")
    if move.loss_reason and move.to_stage not in stages.LOSSES:
        raise StageMoveRefused("A loss reason is given only when the candidate is lost.")
    if move.loss_reason and move.loss_reason not in LossReason.values:
        raise StageMoveRefused(f"'{move.loss_reason}' is not a loss reason.")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        try:
            stages.check_transition(
                application.stage_rules(), move.to_stage,
                reason=move.reason, loss_reason=move.loss_reason or None, reopen=move.reopen,
            )
        except stages.TransitionRefused as refused:
            raise StageMoveRefused(str(refused)) from refused
        if at < application.stage_entered_at:
            raise StageMoveRefused("A stage change cannot be dated before the application entered its stage.")

        from_stage = application.stage
        # Back from a hold to where it was is no new event: an acceptance keeps its date.
        resumed = from_stage == Stage.ON_HOLD and move.to_stage == application.stage_before_hold
        if move.to_stage == Stage.ON_HOLD:
            application.stage_before_hold = from_stage
        elif from_stage == Stage.ON_HOLD:
            application.stage_before_hold = ""
        if move.to_stage == Stage.ACCEPTED and not resumed:
            application.accepted_at = at
        application.closed_at = at if move.to_stage in stages.CLOSED else None
        application.stage = move.to_stage
        application.stage_entered_at = at
        application.save(update_fields=[
            "stage", "stage_entered_at", "stage_before_hold", "accepted_at", "closed_at", "updated_at",
        ])
        StageChange.objects.create(
            application=application, from_stage=from_stage, to_stage=move.to_stage, at=at, by=by,
            reason=move.reason.strip(), loss_reason=move.loss_reason,
        )
    return application


def log_touchpoint(touchpoint: Touchpoint) -> Touchpoint:
    """Record one contact after checking every rule on it; the candidate follows the application."""
    if touchpoint.application_id and not touchpoint.candidate_id:
        touchpoint.candidate_id = touchpoint.application.candidate_id
    if not touchpoint.competition_asked:
        touchpoint.competition_answer = ""
    touchpoint.full_clean()
    touchpoint.save()
    return touchpoint
