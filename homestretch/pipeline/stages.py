"""The rules of moving an application between stages: pure functions, no database.

Forward moves may skip stages (a client may go straight from screening to the final interview);
going back is allowed before the offer, for an extra interview round or a second check. Once an
offer is out the way is forward or out. Closed stages are final except for an admin reopening.
"""

from __future__ import annotations

from dataclasses import dataclass

from homestretch.lib.refusals import INVALID_CHOICE, MISSING, TRANSITION, Refused

from .choices import Outcome, Stage

PROCESS: tuple[Stage, ...] = (
    Stage.SOURCED,
    Stage.SCREENING,
    Stage.INTERVIEWING,
    Stage.FINAL_INTERVIEW,
    Stage.VERIFICATION,
    Stage.OFFER,
    Stage.ACCEPTED,
)
SEQUENCE: dict[str, int] = {stage: i for i, stage in enumerate(PROCESS)}
OPEN: frozenset[str] = frozenset({*PROCESS, Stage.ON_HOLD})
CLOSED: frozenset[str] = frozenset(
    {Stage.STARTED, Stage.DECLINED, Stage.RENEGED, Stage.WITHDRAWN, Stage.REJECTED}
)
LOSSES: frozenset[str] = frozenset({Stage.DECLINED, Stage.RENEGED, Stage.WITHDRAWN, Stage.REJECTED})
# Losses on the candidate's side: we want to know why, as a coded reason, to learn from it.
CANDIDATE_LOSSES: frozenset[str] = frozenset({Stage.DECLINED, Stage.RENEGED, Stage.WITHDRAWN})
# Stages at which it makes sense to back out before accepting.
BEFORE_ACCEPTANCE: frozenset[str] = frozenset(PROCESS[:-1])
# The home stretch: from screening up to accepted-but-not-started.
HOME_STRETCH: frozenset[str] = frozenset(PROCESS[1:])


def outcome_of(stage: str) -> Outcome:
    if stage == Stage.STARTED:
        return Outcome.HIRED
    if stage in LOSSES:
        return Outcome.LOST
    return Outcome.ONGOING


def is_closed(stage: str) -> bool:
    return stage in CLOSED


@dataclass(frozen=True, slots=True)
class StageRules:
    """What is known about an application when someone asks to move it."""

    stage: str
    stage_before_hold: str | None = None  # where an on-hold application was
    was_accepted: bool = False  # an acceptance is in its history


class TransitionRefused(Refused):
    """A stage move that makes no sense: the field it is about (`to_stage`, `reason`, `loss_reason`,
    `reopen`), a code (`transition` when the stage it is at does not allow it, `missing` when the
    move needs a field) and a message for the recruiter."""


def check_transition(
    rules: StageRules, to_stage: str, *, reason: str = "", loss_reason: str | None = None,
    reopen: bool = False,
) -> None:
    """Raise TransitionRefused when `rules.stage` -> `to_stage` is not allowed, else return."""
    current = rules.stage
    if to_stage not in Stage.values:
        raise TransitionRefused("to_stage", f"'{to_stage}' is not a stage.", INVALID_CHOICE)
    target = Stage(to_stage).label
    here = Stage(current).label
    if to_stage == current:
        raise TransitionRefused("to_stage", f"The application is already at {here}.", TRANSITION)

    if current in CLOSED:
        if not reopen:
            raise TransitionRefused(
                "to_stage", f"The application is closed ({here}); only an admin can reopen it.", TRANSITION
            )
        # Not straight on hold: on hold remembers the open stage to resume at, and a closed stage
        # is none (resuming from it would land back in a closed stage).
        if to_stage not in PROCESS:
            raise TransitionRefused(
                "to_stage", f"A reopened application goes back to a stage of the process, not {target}.",
                TRANSITION,
            )
        if not reason.strip():
            raise TransitionRefused("reason", "Say why the application is reopened.", MISSING)
        return
    if reopen:
        raise TransitionRefused(
            "reopen", f"The application is not closed ({here}); there is nothing to reopen.", TRANSITION
        )

    if to_stage in LOSSES and not reason.strip():
        raise TransitionRefused("reason", f"Say why the application moves to {target}.", MISSING)
    if to_stage in CANDIDATE_LOSSES and not loss_reason:
        raise TransitionRefused("loss_reason", f"Choose the reason the candidate was lost ({target}).", MISSING)

    # An application on hold moves as if it were at the stage where it was put on hold,
    # and may also go straight back there.
    effective = current
    if current == Stage.ON_HOLD:
        effective = rules.stage_before_hold or Stage.SOURCED
        if to_stage == effective:
            return

    if to_stage == Stage.ON_HOLD:
        return
    if to_stage == Stage.RENEGED:
        if effective != Stage.ACCEPTED and not (current == Stage.ON_HOLD and rules.was_accepted):
            raise TransitionRefused(
                "to_stage", "Only a candidate who has accepted can renege; use Declined or Withdrawn before that.",
                TRANSITION,
            )
        return
    if to_stage == Stage.REJECTED:
        return  # the client may stop a process at any open stage
    if to_stage in (Stage.DECLINED, Stage.WITHDRAWN):
        if effective == Stage.ACCEPTED:
            raise TransitionRefused(
                "to_stage", f"The candidate has accepted; backing out now is Reneged, not {target}.", TRANSITION
            )
        if to_stage == Stage.DECLINED and SEQUENCE[effective] < SEQUENCE[Stage.VERIFICATION]:
            raise TransitionRefused(
                "to_stage", "Declined is for turning down an offer; before the offer stage use Withdrawn.", TRANSITION
            )
        return
    if to_stage == Stage.STARTED:
        if effective != Stage.ACCEPTED:
            raise TransitionRefused("to_stage", "A candidate starts only after accepting the offer.", TRANSITION)
        # Every close says why, a hire too: what won it teaches as much as what lost the others.
        if not reason.strip():
            raise TransitionRefused("reason", "Say why the application closes as Started (what won it).", MISSING)
        return
    if to_stage == Stage.ACCEPTED:
        if effective != Stage.OFFER:
            raise TransitionRefused("to_stage", "A candidate accepts only from the Offer stage.", TRANSITION)
        return

    # Moves within the process.
    src, dst = SEQUENCE[effective], SEQUENCE[to_stage]
    if dst < src and src >= SEQUENCE[Stage.OFFER]:
        raise TransitionRefused(
            "to_stage", f"Once at {Stage(effective).label}, the application cannot go back to {target}; "
            "record a revised offer, put it on hold, or close it.", TRANSITION,
        )
