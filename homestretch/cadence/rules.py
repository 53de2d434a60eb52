"""How often a candidate must hear from us, by stage: pure data and arithmetic.

Silence loses candidates: 23 % lose interest with no news a week after the first interview and
46 % after one to two weeks without a status update (Robert Half, 2016). So the gaps tighten as
the decision nears. Defaults live here; a team may override them (cadence.models.TeamCadence).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from homestretch.lib.frozen import quick_init
from homestretch.pipeline.choices import Stage

# The longest acceptable gap between contacts, in days, per stage.
DEFAULT_MAX_GAP_DAYS: dict[str, int] = {
    Stage.SCREENING: 5,
    Stage.INTERVIEWING: 3,
    Stage.FINAL_INTERVIEW: 2,
    Stage.VERIFICATION: 2,
    Stage.OFFER: 2,
    Stage.ACCEPTED: 4,  # from acceptance to the start date, and the day before the start
    Stage.ON_HOLD: 7,  # a held process still needs a word now and then
}
# Ask about the competition at least this often (every touch should; this is when it is overdue).
DEFAULT_COMPETITION_ASK_DAYS = 7
# A competing deadline this close (in days) puts the application on the agenda.
DEFAULT_DEADLINE_WARNING_DAYS = 3
# An offer expiring this close (in days) puts the application on the agenda.
DEFAULT_OFFER_EXPIRY_WARNING_DAYS = 2


@dataclass(frozen=True, slots=True)
class Cadence:
    max_gap_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_GAP_DAYS))
    competition_ask_days: int = DEFAULT_COMPETITION_ASK_DAYS
    deadline_warning_days: int = DEFAULT_DEADLINE_WARNING_DAYS
    offer_expiry_warning_days: int = DEFAULT_OFFER_EXPIRY_WARNING_DAYS

    def gap_for(self, stage: str) -> int | None:
        """The longest acceptable gap at this stage; None where no cadence applies (sourced, closed)."""
        return self.max_gap_days.get(stage)

    def with_overrides(self, **max_gap_by_stage: int | None) -> Cadence:
        gaps = dict(self.max_gap_days)
        gaps.update({stage: days for stage, days in max_gap_by_stage.items() if days is not None})
        return replace(self, max_gap_days=gaps)


DEFAULT_CADENCE = Cadence()


def days_between(earlier: datetime | date, later: datetime | date) -> int:
    """Whole calendar days from `earlier` to `later` (negative when `later` is before)."""
    first = earlier.date() if isinstance(earlier, datetime) else earlier
    second = later.date() if isinstance(later, datetime) else later
    return (second - first).days


# Gaps as timedeltas, made once: the agenda counts several for each of thousands of applications.
_DAYS = tuple(timedelta(days=count) for count in range(100))
ONE_DAY = _DAYS[1]


def days(count: int) -> timedelta:
    """`timedelta(days=count)`, made once for the usual gaps."""
    return _DAYS[count] if 0 <= count < 100 else timedelta(days=count)


@quick_init
@dataclass(frozen=True, slots=True)
class ContactDue:
    """When the next contact is due and by how many days it is overdue as of `on`."""

    due_on: date
    overdue_days: int  # 0 when due today, negative when not yet due


def next_contact_due(
    cadence: Cadence, stage: str, last_contact: datetime | None, stage_entered: datetime, on: date,
    start_date: date | None = None,
) -> ContactDue | None:
    """The next check-in for an application at `stage`, or None when no cadence applies.

    Date-times are taken in the organisation's time zone by the caller: a call at 23:30 local
    time counts for that day, not the next.

    Counted from the last contact, or from entering the stage when nobody has called yet. After
    acceptance a check-in is also due the day before the start date, whatever the last contact.
    """
    gap = cadence.gap_for(stage)
    if gap is None:
        return None
    since = last_contact or stage_entered
    due_on = since.date() + days(gap)
    if start_date is not None and stage == Stage.ACCEPTED:
        day_before = start_date - ONE_DAY
        contacted_since = last_contact is not None and last_contact.date() >= day_before
        if not contacted_since and day_before < due_on:
            due_on = day_before
    return ContactDue(due_on=due_on, overdue_days=(on - due_on).days)
