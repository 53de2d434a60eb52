"""The contact cadence by stage: when the next check-in is due, with explicit times."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from homestretch.cadence.rules import DEFAULT_CADENCE, Cadence, next_contact_due
from homestretch.pipeline.choices import Stage

TODAY = date(2026, 11, 20)
ENTERED = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def ago(days: int, hour: int = 11) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), tzinfo=UTC).replace(hour=hour)


@pytest.mark.parametrize(
    ("stage", "gap"),
    [(Stage.INTERVIEWING, 3), (Stage.FINAL_INTERVIEW, 2), (Stage.VERIFICATION, 2), (Stage.OFFER, 2),
     (Stage.ACCEPTED, 4)],
)
def test_check_in_falls_due_after_the_stage_gap(stage, gap):
    not_yet = next_contact_due(DEFAULT_CADENCE, stage, ago(gap - 1), ENTERED, TODAY)
    due_today = next_contact_due(DEFAULT_CADENCE, stage, ago(gap), ENTERED, TODAY)
    late = next_contact_due(DEFAULT_CADENCE, stage, ago(gap + 3), ENTERED, TODAY)
    assert not_yet.overdue_days == -1
    assert due_today.overdue_days == 0 and due_today.due_on == TODAY
    assert late.overdue_days == 3


def test_interviewing_waits_three_days_and_final_interview_two():
    assert DEFAULT_CADENCE.gap_for(Stage.INTERVIEWING) == 3
    assert DEFAULT_CADENCE.gap_for(Stage.FINAL_INTERVIEW) == 2
    assert DEFAULT_CADENCE.gap_for(Stage.OFFER) == 2
    assert DEFAULT_CADENCE.gap_for(Stage.ACCEPTED) == 4


def test_without_any_contact_the_gap_counts_from_entering_the_stage():
    entered = ago(5)
    due = next_contact_due(DEFAULT_CADENCE, Stage.OFFER, None, entered, TODAY)
    assert due.due_on == TODAY - timedelta(days=3)
    assert due.overdue_days == 3


@pytest.mark.parametrize("stage", [Stage.SOURCED, Stage.STARTED, Stage.DECLINED, Stage.REJECTED])
def test_no_cadence_outside_the_home_stretch(stage):
    assert next_contact_due(DEFAULT_CADENCE, stage, ago(30), ENTERED, TODAY) is None


def test_after_acceptance_the_day_before_the_start_is_a_check_in():
    # Last call yesterday: the four-day gap would make it due in three days, but the start is in two.
    start = TODAY + timedelta(days=2)
    due = next_contact_due(DEFAULT_CADENCE, Stage.ACCEPTED, ago(1), ENTERED, TODAY, start_date=start)
    assert due.due_on == TODAY + timedelta(days=1)


def test_a_call_on_the_day_before_the_start_satisfies_it():
    start = TODAY + timedelta(days=1)
    due = next_contact_due(DEFAULT_CADENCE, Stage.ACCEPTED, ago(0), ENTERED, TODAY, start_date=start)
    assert due.due_on == TODAY + timedelta(days=4)


def test_a_late_evening_call_counts_for_its_own_local_day():
    berlin = timezone(timedelta(hours=1))
    late_call = datetime(2026, 11, 17, 23, 30, tzinfo=berlin)  # 22:30 UTC, still the 17th everywhere
    due = next_contact_due(DEFAULT_CADENCE, Stage.INTERVIEWING, late_call, ENTERED, TODAY)
    assert due.due_on == date(2026, 11, 20)
    tokyo_call = datetime(2026, 11, 18, 0, 30, tzinfo=timezone(timedelta(hours=9)))  # the 17th in UTC
    due = next_contact_due(DEFAULT_CADENCE, Stage.INTERVIEWING, tokyo_call, ENTERED, TODAY)
    assert due.due_on == date(2026, 11, 21)


def test_team_overrides_replace_only_the_stages_given():
    cadence = Cadence().with_overrides(**{Stage.INTERVIEWING: 5, Stage.OFFER: None})
    assert cadence.gap_for(Stage.INTERVIEWING) == 5
    assert cadence.gap_for(Stage.OFFER) == 2
    assert DEFAULT_CADENCE.gap_for(Stage.INTERVIEWING) == 3  # the default is untouched


@pytest.mark.django_db
def test_team_cadence_in_the_admin_model_becomes_the_team_cadence(teams):
    from homestretch.cadence.models import TeamCadence, cadences_by_team

    TeamCadence.objects.create(team=teams["north"], interviewing_days=4, competition_ask_days=10)
    cadences = cadences_by_team()
    assert set(cadences) == {teams["north"].id}
    assert cadences[teams["north"].id].gap_for(Stage.INTERVIEWING) == 4
    assert cadences[teams["north"].id].gap_for(Stage.FINAL_INTERVIEW) == 2
    assert cadences[teams["north"].id].competition_ask_days == 10


@pytest.mark.django_db
def test_team_cadence_refuses_a_zero_gap(teams):
    from django.core.exceptions import ValidationError

    from homestretch.cadence.models import TeamCadence

    with pytest.raises(ValidationError) as refused:
        TeamCadence(team=teams["north"], offer_days=0).full_clean()
    assert "offer_days" in refused.value.message_dict
