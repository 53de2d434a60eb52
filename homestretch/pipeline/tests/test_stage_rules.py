"""The stage rules as pure functions: `stages.check_transition`, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homestretch.pipeline import stages
from homestretch.pipeline.choices import LossReason, Outcome, Stage
from homestretch.pipeline.stages import StageRules, TransitionRefused, check_transition

REASON = "Took a counteroffer from Globex"


def at(stage: str, *, before_hold: str | None = None, accepted: bool = False) -> StageRules:
    return StageRules(stage=stage, stage_before_hold=before_hold, was_accepted=accepted)


def refusal(rules: StageRules, to_stage: str, **kwargs) -> str:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(rules, to_stage, **kwargs)
    return str(refused.value)


def allowed(rules: StageRules, to_stage: str, **kwargs) -> bool:
    try:
        check_transition(rules, to_stage, **kwargs)
    except TransitionRefused:
        return False
    return True


# --- The shape of the process ---------------------------------------------------------------


def test_every_stage_is_either_open_or_closed():
    assert set(Stage.values) == stages.OPEN | stages.CLOSED
    assert not stages.OPEN & stages.CLOSED


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [(Stage.STARTED, Outcome.HIRED), (Stage.RENEGED, Outcome.LOST), (Stage.REJECTED, Outcome.LOST),
     (Stage.ACCEPTED, Outcome.ONGOING), (Stage.ON_HOLD, Outcome.ONGOING)],
)
def test_outcome_follows_the_stage(stage, outcome):
    assert stages.outcome_of(stage) == outcome


# --- Refusals, each with what it says -------------------------------------------------------


def test_an_unknown_stage_is_refused():
    assert refusal(at(Stage.SCREENING), "hired") == "'hired' is not a stage."


def test_moving_to_the_same_stage_is_refused():
    assert refusal(at(Stage.OFFER), Stage.OFFER) == "The application is already at Offer."


@pytest.mark.parametrize("closed", sorted(stages.CLOSED))
def test_nothing_moves_out_of_a_closed_stage_without_a_reopening(closed):
    message = refusal(at(closed, accepted=True), Stage.SCREENING, reason="Client came back")
    assert f"closed ({Stage(closed).label})" in message
    assert "only an admin can reopen it" in message


def test_started_cannot_go_back_to_screening():
    assert "closed (Started)" in refusal(at(Stage.STARTED, accepted=True), Stage.SCREENING)


def test_reneged_needs_an_acceptance_first():
    message = refusal(at(Stage.OFFER), Stage.RENEGED, reason=REASON, loss_reason=LossReason.COUNTEROFFER)
    assert message == "Only a candidate who has accepted can renege; use Declined or Withdrawn before that."


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.FINAL_INTERVIEW, Stage.VERIFICATION])
def test_reneged_is_refused_before_the_offer_too(stage):
    assert "Only a candidate who has accepted can renege" in refusal(
        at(stage), Stage.RENEGED, reason=REASON, loss_reason=LossReason.COUNTEROFFER
    )


@pytest.mark.parametrize("loss", [Stage.DECLINED, Stage.RENEGED, Stage.WITHDRAWN, Stage.REJECTED])
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_loss_needs_a_reason_in_words(loss, reason):
    message = refusal(at(Stage.ACCEPTED, accepted=True), loss, reason=reason, loss_reason=LossReason.OTHER)
    assert message == f"Say why the application moves to {Stage(loss).label}."


@pytest.mark.parametrize("loss", [Stage.DECLINED, Stage.WITHDRAWN])
def test_a_candidate_loss_needs_a_coded_loss_reason(loss):
    message = refusal(at(Stage.OFFER), loss, reason=REASON)
    assert message == f"Choose the reason the candidate was lost ({Stage(loss).label})."


def test_reneging_needs_a_coded_loss_reason():
    message = refusal(at(Stage.ACCEPTED, accepted=True), Stage.RENEGED, reason=REASON)
    assert message == "Choose the reason the candidate was lost (Reneged)."


def test_the_client_rejecting_needs_no_coded_loss_reason():
    check_transition(at(Stage.INTERVIEWING), Stage.REJECTED, reason="Not senior enough")


@pytest.mark.parametrize("loss", [Stage.DECLINED, Stage.WITHDRAWN])
def test_after_accepting_backing_out_is_reneged(loss):
    message = refusal(at(Stage.ACCEPTED, accepted=True), loss, reason=REASON, loss_reason=LossReason.COUNTEROFFER)
    assert message == f"The candidate has accepted; backing out now is Reneged, not {Stage(loss).label}."


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.SCREENING, Stage.INTERVIEWING, Stage.FINAL_INTERVIEW])
def test_declined_before_the_offer_is_refused_in_favour_of_withdrawn(stage):
    message = refusal(at(stage), Stage.DECLINED, reason=REASON, loss_reason=LossReason.COMPENSATION)
    assert message == "Declined is for turning down an offer; before the offer stage use Withdrawn."
    check_transition(at(stage), Stage.WITHDRAWN, reason=REASON, loss_reason=LossReason.COMPENSATION)


@pytest.mark.parametrize("stage", [Stage.VERIFICATION, Stage.OFFER])
def test_declined_is_allowed_once_the_offer_is_in_the_making(stage):
    check_transition(at(stage), Stage.DECLINED, reason=REASON, loss_reason=LossReason.COMPETING_OFFER)


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.FINAL_INTERVIEW, Stage.OFFER])
def test_a_candidate_starts_only_after_accepting(stage):
    assert refusal(at(stage), Stage.STARTED) == "A candidate starts only after accepting the offer."


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.FINAL_INTERVIEW, Stage.VERIFICATION])
def test_a_candidate_accepts_only_from_the_offer_stage(stage):
    assert refusal(at(stage), Stage.ACCEPTED) == "A candidate accepts only from the Offer stage."


@pytest.mark.parametrize(
    ("stage", "back_to"),
    [(Stage.OFFER, Stage.VERIFICATION), (Stage.OFFER, Stage.SOURCED), (Stage.ACCEPTED, Stage.OFFER),
     (Stage.ACCEPTED, Stage.INTERVIEWING)],
)
def test_no_going_back_once_the_offer_is_out(stage, back_to):
    message = refusal(at(stage, accepted=stage == Stage.ACCEPTED), back_to)
    assert message.startswith(f"Once at {Stage(stage).label}, the application cannot go back to "
                              f"{Stage(back_to).label}")
    assert "record a revised offer, put it on hold, or close it" in message


# --- What is allowed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "to_stage"),
    [(Stage.SOURCED, Stage.SCREENING), (Stage.SCREENING, Stage.FINAL_INTERVIEW),
     (Stage.SOURCED, Stage.OFFER), (Stage.INTERVIEWING, Stage.VERIFICATION), (Stage.FINAL_INTERVIEW, Stage.OFFER),
     (Stage.OFFER, Stage.ACCEPTED), (Stage.ACCEPTED, Stage.STARTED)],
)
def test_forward_moves_may_skip_stages(stage, to_stage):
    check_transition(at(stage), to_stage, reason=REASON if to_stage == Stage.STARTED else "")


@pytest.mark.parametrize(
    ("stage", "back_to"),
    [(Stage.VERIFICATION, Stage.FINAL_INTERVIEW), (Stage.FINAL_INTERVIEW, Stage.INTERVIEWING),
     (Stage.VERIFICATION, Stage.SOURCED), (Stage.SCREENING, Stage.SOURCED)],
)
def test_going_back_is_allowed_before_the_offer(stage, back_to):
    check_transition(at(stage), back_to)


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.FINAL_INTERVIEW, Stage.OFFER, Stage.ACCEPTED])
def test_any_open_stage_can_be_put_on_hold(stage):
    check_transition(at(stage), Stage.ON_HOLD)


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.VERIFICATION, Stage.ACCEPTED])
def test_the_client_may_stop_the_process_at_any_open_stage(stage):
    check_transition(at(stage), Stage.REJECTED, reason="Role cancelled")


def test_an_accepted_candidate_may_renege_with_reasons():
    check_transition(at(Stage.ACCEPTED, accepted=True), Stage.RENEGED, reason=REASON,
                     loss_reason=LossReason.COUNTEROFFER)


# --- On hold --------------------------------------------------------------------------------


@pytest.mark.parametrize("before", [Stage.SCREENING, Stage.OFFER, Stage.ACCEPTED])
def test_on_hold_resumes_where_it_was(before):
    check_transition(at(Stage.ON_HOLD, before_hold=before, accepted=before == Stage.ACCEPTED), before)


def test_on_hold_moves_as_if_it_were_at_the_stage_before_the_hold():
    held_at_offer = at(Stage.ON_HOLD, before_hold=Stage.OFFER)
    check_transition(held_at_offer, Stage.ACCEPTED)
    assert "cannot go back to Interviewing" in refusal(held_at_offer, Stage.INTERVIEWING)

    held_at_screening = at(Stage.ON_HOLD, before_hold=Stage.SCREENING)
    check_transition(held_at_screening, Stage.FINAL_INTERVIEW)
    assert refusal(held_at_screening, Stage.ACCEPTED) == "A candidate accepts only from the Offer stage."


def test_on_hold_after_accepting_may_renege_or_start_but_not_decline():
    held = at(Stage.ON_HOLD, before_hold=Stage.ACCEPTED, accepted=True)
    check_transition(held, Stage.RENEGED, reason=REASON, loss_reason=LossReason.COUNTEROFFER)
    check_transition(held, Stage.STARTED, reason=REASON)
    assert "backing out now is Reneged" in refusal(
        held, Stage.DECLINED, reason=REASON, loss_reason=LossReason.COUNTEROFFER
    )


def test_on_hold_before_accepting_cannot_renege():
    held = at(Stage.ON_HOLD, before_hold=Stage.OFFER)
    assert "Only a candidate who has accepted can renege" in refusal(
        held, Stage.RENEGED, reason=REASON, loss_reason=LossReason.COUNTEROFFER
    )


def test_on_hold_without_a_known_stage_resumes_as_sourced():
    held = at(Stage.ON_HOLD)
    check_transition(held, Stage.SOURCED)
    check_transition(held, Stage.SCREENING)


def test_on_hold_cannot_be_put_on_hold_again():
    assert refusal(at(Stage.ON_HOLD, before_hold=Stage.OFFER), Stage.ON_HOLD) == (
        "The application is already at On hold."
    )


# --- Reopening ------------------------------------------------------------------------------


@pytest.mark.parametrize("closed", sorted(stages.CLOSED))
def test_a_closed_application_reopens_with_a_reason(closed):
    check_transition(at(closed, accepted=True), Stage.OFFER, reason="Candidate came back", reopen=True)


@pytest.mark.parametrize("reason", ["", "  "])
def test_reopening_needs_a_reason(reason):
    message = refusal(at(Stage.WITHDRAWN), Stage.SCREENING, reason=reason, reopen=True)
    assert message == "Say why the application is reopened."


@pytest.mark.parametrize("to_stage", [Stage.DECLINED, Stage.STARTED])
def test_a_reopened_application_goes_to_an_open_stage(to_stage):
    message = refusal(at(Stage.REJECTED), to_stage, reason="Mistake", loss_reason=LossReason.OTHER, reopen=True)
    assert message.startswith("A reopened application goes back to a stage of the process")
    assert Stage(to_stage).label in message


def test_a_reopened_application_is_not_put_straight_on_hold():
    # On hold remembers an open stage to resume at; a closed one has nothing to resume.
    message = refusal(at(Stage.DECLINED), Stage.ON_HOLD, reason="Client paused the search", reopen=True)
    assert message == "A reopened application goes back to a stage of the process, not On hold."


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.ON_HOLD, Stage.ACCEPTED])
def test_only_a_closed_application_can_be_reopened(stage):
    message = refusal(at(stage, before_hold=Stage.OFFER if stage == Stage.ON_HOLD else None),
                      Stage.SCREENING, reason="Why not", reopen=True)
    assert message == f"The application is not closed ({Stage(stage).label}); there is nothing to reopen."


# --- Properties over every move -------------------------------------------------------------

stage_values = st.sampled_from(Stage.values)
reasons = st.sampled_from(["", " ", "Went with a competitor"])
loss_reasons = st.sampled_from([None, *LossReason.values])


@st.composite
def reachable_rules(draw) -> StageRules:
    """A state an application can be in: on hold remembers an open stage of the process."""
    stage = draw(stage_values)
    before_hold = draw(st.sampled_from([None, *stages.PROCESS])) if stage == Stage.ON_HOLD else None
    accepted = draw(st.booleans()) or stage in (Stage.ACCEPTED, Stage.STARTED, Stage.RENEGED) \
        or before_hold == Stage.ACCEPTED
    return StageRules(stage=stage, stage_before_hold=before_hold, was_accepted=accepted)


@given(rules=reachable_rules(), to_stage=stage_values, reason=reasons, loss_reason=loss_reasons,
       reopen=st.booleans())
def test_a_move_is_either_allowed_or_refused_with_words(rules, to_stage, reason, loss_reason, reopen):
    try:
        check_transition(rules, to_stage, reason=reason, loss_reason=loss_reason, reopen=reopen)
    except TransitionRefused as refused:
        assert str(refused).strip()


@given(rules=reachable_rules(), to_stage=stage_values, reason=reasons, loss_reason=loss_reasons,
       reopen=st.booleans())
def test_from_a_closed_stage_only_a_reasoned_reopening_to_the_process_is_allowed(
    rules, to_stage, reason, loss_reason, reopen
):
    if rules.stage not in stages.CLOSED:
        return
    ok = allowed(rules, to_stage, reason=reason, loss_reason=loss_reason, reopen=reopen)
    assert ok == (reopen and to_stage in stages.PROCESS and bool(reason.strip()))


@given(rules=reachable_rules(), to_stage=st.sampled_from(sorted(stages.LOSSES)), reason=reasons,
       loss_reason=loss_reasons)
def test_any_allowed_move_into_a_loss_had_a_reason(rules, to_stage, reason, loss_reason):
    if allowed(rules, to_stage, reason=reason, loss_reason=loss_reason):
        assert reason.strip()
        if to_stage in stages.CANDIDATE_LOSSES:
            assert loss_reason


@given(rules=reachable_rules(), to_stage=stage_values, reason=reasons, loss_reason=loss_reasons)
def test_reneging_and_starting_happen_only_after_an_acceptance(rules, to_stage, reason, loss_reason):
    if to_stage in (Stage.RENEGED, Stage.STARTED) and allowed(rules, to_stage, reason=reason,
                                                                loss_reason=loss_reason):
        assert rules.was_accepted


def _after(rules: StageRules, to_stage: str) -> StageRules:
    """What `services.move_stage` remembers after a move, as pure data."""
    if to_stage == Stage.ON_HOLD:
        before_hold = rules.stage
    elif rules.stage == Stage.ON_HOLD:
        before_hold = None
    else:
        before_hold = rules.stage_before_hold
    return StageRules(stage=to_stage, stage_before_hold=before_hold,
                      was_accepted=rules.was_accepted or to_stage == Stage.ACCEPTED)


@given(data=st.data())
def test_any_walk_of_moves_keeps_the_rules(data):
    """From a new application, any sequence of attempted moves is answered in words, and the
    stages reached make sense: reneged only after accepted, nothing after a close but a reopening,
    and on hold always remembers an open stage to resume at."""
    rules = StageRules(stage=Stage.SOURCED)
    visited = [rules.stage]
    for _ in range(data.draw(st.integers(min_value=1, max_value=40), label="moves")):
        to_stage = data.draw(stage_values, label="to_stage")
        reason = data.draw(reasons, label="reason")
        loss_reason = data.draw(loss_reasons, label="loss_reason")
        # Mostly ask for a reopening where it makes sense, so that walks get past a close.
        reopen = data.draw(st.booleans() if rules.stage in stages.CLOSED else st.just(False), label="reopen")
        try:
            check_transition(rules, to_stage, reason=reason, loss_reason=loss_reason, reopen=reopen)
        except TransitionRefused as refused:
            assert str(refused).strip()
            continue
        if rules.stage in stages.CLOSED:
            assert reopen
        if to_stage == Stage.RENEGED:
            assert Stage.ACCEPTED in visited
        if to_stage == Stage.ON_HOLD:
            assert rules.stage in stages.PROCESS
        rules = _after(rules, to_stage)
        visited.append(to_stage)
