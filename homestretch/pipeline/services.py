"""Workflows over the pipeline: open an application, move its stage, log a touch.

Views, the API, the back office and the command line call these same functions. Each validates
everything first (model rules, constraints and stage rules, in one place) and writes in one
transaction, so a refused request changes nothing; in that transaction it keeps the derived tables
(touch summaries, the generation risk snapshots are checked against) through `changes`.
`at` is always an argument: nothing here reads the clock deeply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.lib import limits
from homestretch.lib.refusals import (
    BLOCKED,
    CLOSED,
    DUPLICATE,
    INVALID_CHOICE,
    NON_FIELD,
    NOT_APPLICABLE,
    TRANSITION,
    Refused,
)

from . import changes, stages
from .choices import JobStatus, LossReason, Stage
from .models import (
    ALREADY_IN_THE_PROCESS,
    LESSONS_ONLY_ON_A_CLOSE,
    Application,
    Candidate,
    Job,
    StageChange,
    Touchpoint,
)


class StageMoveRefused(Refused):
    """A stage move that the rules refuse: the field it is about, a code (lib/refusals.py) and
    `message`, why in a recruiter's words."""


def open_application(
    *, candidate: Candidate, job: Job, recruiter: User, by: User | None, at: datetime,
    stage: str = Stage.SOURCED, lessons: str = "",
) -> Application:
    """Put a candidate into the process for a job, recording the first stage in the history.
    (No change to count: a new application has no risk snapshot yet, and that is stale.)"""
    if stage not in stages.OPEN or stage == Stage.ON_HOLD:
        raise Refused("stage", f"A new application starts at an open stage, not '{stage}'.", INVALID_CHOICE)
    if Application.objects.filter(candidate=candidate, job=job).exists():
        raise Refused(NON_FIELD, ALREADY_IN_THE_PROCESS, DUPLICATE)
    application = Application(
        candidate=candidate, job=job, recruiter=recruiter, stage=stage,
        stage_entered_at=at, created_at=at,
        accepted_at=at if stage == Stage.ACCEPTED else None,
        lessons=lessons,  # refused by Application.clean: a new application is open
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
    # What the search taught, offered when the move closes the application (and only then).
    lessons: str = ""


def move_stage(application_id: int, move: StageMove, *, by: User | None, at: datetime) -> Application:
    """Move an application to another stage, or refuse with StageMoveRefused and change nothing.

    The row is locked while the rules are checked, so two people moving the same card at once
    cannot both succeed from the same starting stage.
    """
    if move.reopen and not (by is not None and by.is_admin):
        raise StageMoveRefused("reopen", "Only an admin can reopen a closed application.", TRANSITION)
    if move.loss_reason and move.to_stage not in stages.LOSSES:
        raise StageMoveRefused("loss_reason", "A loss reason is given only when the candidate is lost.",
                               NOT_APPLICABLE)
    if move.loss_reason and move.loss_reason not in LossReason.values:
        raise StageMoveRefused("loss_reason", f"'{move.loss_reason}' is not a loss reason.", INVALID_CHOICE)
    lessons = move.lessons.strip()
    if lessons and move.to_stage not in stages.CLOSED:
        raise StageMoveRefused("lessons", LESSONS_ONLY_ON_A_CLOSE, NOT_APPLICABLE)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        try:
            stages.check_transition(
                application.stage_rules(), move.to_stage,
                reason=move.reason, loss_reason=move.loss_reason or None, reopen=move.reopen,
            )
        except stages.TransitionRefused as refused:
            raise StageMoveRefused(refused.field, refused.message, refused.code) from refused
        if at < application.stage_entered_at:
            raise StageMoveRefused(
                "at", "A stage change cannot be dated before the application entered its stage.", TRANSITION
            )

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
        update_fields = ["stage", "stage_entered_at", "stage_before_hold", "accepted_at", "closed_at", "updated_at"]
        if lessons:
            application.lessons = appended_lessons(application.lessons, lessons, label=Stage(move.to_stage).label,
                                                   at=at)
            update_fields.append("lessons")
        application.save(update_fields=update_fields)
        StageChange.objects.create(
            application=application, from_stage=from_stage, to_stage=move.to_stage, at=at, by=by,
            reason=move.reason.strip(), loss_reason=move.loss_reason,
        )
        changes.count_change(application_ids=[application.pk])
    return application


def appended_lessons(existing: str, note: str, *, label: str, at: datetime) -> str:
    """Lessons (of an application or a job) with `note` added.

    Something closes more than once only after an admin reopened it; the lessons of the first close
    stay true, so a new note is appended below them after a blank line, headed by its date and the
    way it closed (a stage, Filled or Closed) so that a reader knows which close taught what. A first
    note is kept as typed.
    """
    if not existing.strip():
        return note
    return f"{existing.rstrip()}\n\n{at:%Y-%m-%d}, {label}: {note}"


class JobCloseRefused(Refused):
    """Closing a job that the rules refuse, about its `status`; `message` says why in a recruiter's words."""


def close_job(job_id: int, *, status: str, lessons: str = "", by: User | None, at: datetime) -> Job:
    """Close a job as Filled or Closed, with what the search taught; or refuse and change nothing.

    What a recruiter expects:
    - only an open job closes; a job already filled or closed is reopened by an admin in the back
      office, not closed again (which would move its closing date);
    - Filled means we placed someone: at least one application accepted or started. Otherwise
      the job is Closed (the client stopped the search, or hired elsewhere);
    - no candidate is left in the process of a closed job: each open application must first be
      closed with its own reason (the refusal says how many are left, at which stages), because
      those reasons are what the next similar search learns from. On a Filled job the accepted
      candidates who have not started yet are the hire, not loose ends, and may stay open.
    The lessons note is optional (offered, not forced); it is appended below any lessons already
    written, as for applications. `closed_on` is the day of `at` in the local time zone. `by` is
    taken as every workflow takes it; a job keeps no audit trail of its own yet.
    """
    if status not in (JobStatus.FILLED, JobStatus.CLOSED):
        raise JobCloseRefused("status", f"A job closes as Filled or Closed, not '{status}'.", INVALID_CHOICE)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.OPEN:
            when = f" on {job.closed_on:%Y-%m-%d}" if job.closed_on else ""
            raise JobCloseRefused("status", (
                f"The job is already {job.get_status_display()}{when}; only an admin can reopen it."
            ), CLOSED)
        by_stage = dict(
            job.applications.filter(stage__in=stages.OPEN | {Stage.STARTED})
            .values_list("stage").annotate(n=models.Count("id")).order_by()
        )
        if status == JobStatus.FILLED and not (by_stage.get(Stage.ACCEPTED) or by_stage.get(Stage.STARTED)):
            raise JobCloseRefused("status", (
                "A job is filled when a candidate has accepted or started, and none has; "
                "close it as Closed instead, or move the hire's application first."
            ), BLOCKED)
        still_open = {stage: n for stage, n in by_stage.items() if stage in stages.OPEN
                      and not (status == JobStatus.FILLED and stage == Stage.ACCEPTED)}
        if still_open:
            total = sum(still_open.values())
            where = ", ".join(f"{n} {Stage(stage).label.lower()}" for stage, n in
                              sorted(still_open.items(), key=lambda item: stages.SEQUENCE.get(item[0], 99)))
            raise JobCloseRefused("status", (
                f"{total} application{'s are' if total != 1 else ' is'} still open ({where}); "
                "close each with its reason before closing the job."
            ), BLOCKED)
        job.status = status
        job.closed_on = timezone.localdate(at)
        update_fields = ["status", "closed_on", "updated_at"]
        note = lessons.strip()
        if note:
            job.lessons = appended_lessons(job.lessons, note, label=JobStatus(status).label, at=at)
            update_fields.append("lessons")
        job.save(update_fields=update_fields)
        changes.count_change(job_ids=[job.pk])
    return job


def save_job(job: Job) -> Job:
    """Create or change a job after checking every rule on it. A change counts for every application
    to it: their risk reads the pay band, the currency and the remote policy."""
    job.full_clean()
    with transaction.atomic():
        job.save()
        changes.count_change(job_ids=[job.pk])
    return job


def change_job(job: Job, *, status: str, by: User | None, at: datetime) -> Job:
    """Save a change of a job's fields (the API's PATCH) with its status going where close_job lets it:
    an open job becomes Filled or Closed only through close_job, refused as it refuses (applications
    still open, filled with nobody hired); a closed job is reopened, or moved between Filled and
    Closed, by an admin only; its closing day is close_job's to set, an admin's to correct.
    The other fields and the status change are written together or not at all."""
    stored_status, stored_closed_on = Job.objects.filter(pk=job.pk).values_list("status", "closed_on").get()
    is_admin = by is not None and by.is_admin
    if job.closed_on != stored_closed_on and not is_admin:
        raise Refused("closed_on", "The closing day is set when the job closes (with its status); "
                      "only an admin can correct it.", NOT_APPLICABLE)
    if status != stored_status and stored_status != JobStatus.OPEN and not is_admin:
        when = f" on {stored_closed_on:%Y-%m-%d}" if stored_closed_on else ""
        raise Refused("status", f"The job is already {JobStatus(stored_status).label}{when}; only an admin can "
                      "reopen it.", CLOSED)
    with transaction.atomic():
        if status != stored_status and stored_status == JobStatus.OPEN:
            job.status = JobStatus.OPEN
            save_job(job)
            return close_job(job.pk, status=status, by=by, at=at)
        if status == JobStatus.OPEN and stored_status != JobStatus.OPEN:
            job.closed_on = None  # reopened: no longer closed on any day
        job.status = status
        return save_job(job)


def change_application(application: Application, fields: list[str]) -> Application:
    """Save these fields of an application after checking every rule on it: who owns it, what it
    taught. Only these fields are written, so that a stage moved meanwhile is not written back; the
    stage itself moves only with `move_stage`."""
    application.full_clean()
    with transaction.atomic():
        application.save(update_fields=[*fields, "updated_at"])
        changes.count_change(application_ids=[application.pk])
    return application


def delete_application(application: Application) -> None:
    """Remove an application recorded by mistake, with its history. Its touches went with it: the
    candidate's other applications are counted as changed (a call counts for all their searches)."""
    with transaction.atomic():
        candidate_id = application.candidate_id
        application.delete()  # its touch summary and risk snapshot go by cascade
        changes.count_change(candidate_ids=[candidate_id])


def log_touchpoint(touchpoint: Touchpoint, *, now: datetime | None = None) -> Touchpoint:
    """Record one contact, or an edit of one, after checking every rule on it; the candidate follows
    the application. The summaries of where the touch is and, for an edit, where it was are refreshed
    in the same transaction. A touch is dated at most a day ahead of `now` (the clock when not given:
    the moment of the write, lib/limits.py)."""
    if touchpoint.application is not None and not touchpoint.candidate_id:
        touchpoint.candidate_id = touchpoint.application.candidate_id
    touchpoint.full_clean()
    # A touch dated ahead would be the latest for years, and every page would score it the slow way.
    limits.check_touch_at("at", touchpoint.at, now=now or timezone.now())
    with transaction.atomic():
        owners = [(touchpoint.application_id, touchpoint.candidate_id)]
        if touchpoint.pk is not None:  # an edit may move it to another application or candidate
            owners += Touchpoint.objects.filter(pk=touchpoint.pk).values_list("application_id", "candidate_id")
        touchpoint.save()
        _touches_changed(owners)
    return touchpoint


def delete_touchpoints(touchpoints: QuerySet[Touchpoint]) -> int:
    """Delete these touchpoints (one, or the back office's selection) and refresh what they added up
    to; returns how many were deleted."""
    with transaction.atomic():
        owners = list(touchpoints.values_list("application_id", "candidate_id"))
        deleted, _ = touchpoints.delete()
        _touches_changed(owners)
    return deleted


def delete_touchpoint(touchpoint: Touchpoint) -> None:
    delete_touchpoints(Touchpoint.objects.filter(pk=touchpoint.pk))


def _touches_changed(owners: Sequence[tuple[int | None, int]]) -> None:
    """A touch belongs to its application's summary, or to its candidate's when logged on them alone."""
    changes.touches_changed(
        application_ids=[application_id for application_id, _ in owners if application_id is not None],
        candidate_ids=[candidate_id for application_id, candidate_id in owners if application_id is None],
    )
