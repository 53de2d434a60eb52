"""Start dates: the one rule for when the candidate can start, and what we propose.

- The earliest start is the date the candidate stated, while it is still ahead; else the notice
  period counted from the resignation (the acceptance of our offer, or today before it); else, when
  only a stated date that has passed is known, today. Never a past date.
- The start to propose is the first Monday on or after the earliest start, and after today.
- Our offer's start fits, comes before the candidate is free, or comes later than needed.

Pure: plain data in, plain data out, `today` always an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .facts import OfferFact, PrioritiesFact

STATED, NOTICE, TODAY = "stated", "notice", "today"
FITS, TOO_EARLY, LATER_THAN_NEEDED = "fits", "before_notice_ends", "later_than_needed"


def days_text(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class EarliestStart:
    """When the candidate can start, and by which rule; `why` says it in words."""

    on: date
    rule: str  # stated, notice, today
    notice_days: int | None = None
    stated: date | None = None
    resigned: date | None = None  # the day the notice is counted from
    accepted: bool = False  # ... which is the acceptance (else today)

    @property
    def why(self) -> str:
        """'the candidate can start from 2027-01-10', 'a 60-day notice counted from today (...) ends on ...'."""
        if self.rule == STATED:
            return f"the candidate can start from {self.on.isoformat()}"
        if self.rule == NOTICE and self.resigned is not None and self.notice_days is not None:
            ends = self.resigned + timedelta(days=self.notice_days)
            counted = "the acceptance" if self.accepted else "today"
            why = (f"a {self.notice_days}-day notice counted from {counted} ({self.resigned.isoformat()}) ends on "
                   f"{ends.isoformat()}")
            return why + (", already past: the candidate is free now" if ends < self.on else "")
        stated = self.stated.isoformat() if self.stated is not None else "an earlier date"
        return f"the candidate said they could start from {stated}, a date already past: they are free now"

    @property
    def wanted_text(self) -> str:
        """The priorities table's cell, saying which rule gave the date: 'from 2027-01-29 (60-day notice)'."""
        if self.rule == STATED:
            return f"from {self.on.isoformat()} (as the candidate said)"
        if self.rule == NOTICE and self.notice_days is not None:
            return f"from {self.on.isoformat()} ({self.notice_days}-day notice)"
        return f"from {self.on.isoformat()} (free now)"


def earliest_start(
    priorities: PrioritiesFact | None, accepted_at: datetime | None, today: date,
) -> EarliestStart | None:
    """The earliest day the candidate can start, never before `today`; None when nothing is known."""
    if priorities is None:
        return None
    stated, notice = priorities.earliest_start, priorities.notice_days
    if stated is not None and stated >= today:
        return EarliestStart(stated, STATED, notice, stated)
    if notice is not None:
        resigned = accepted_at.date() if accepted_at is not None else today
        ends = resigned + timedelta(days=notice)
        return EarliestStart(max(ends, today), NOTICE, notice, stated, resigned, accepted_at is not None)
    if stated is not None:
        return EarliestStart(today, TODAY, notice, stated)
    return None


def first_monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def proposed_start(earliest: EarliestStart, today: date) -> date:
    """The first Monday on or after the earliest start, and after today."""
    return first_monday_on_or_after(max(earliest.on, today + timedelta(days=1)))


@dataclass(frozen=True, slots=True)
class StartFit:
    """Our offer's start against the earliest start and the start we would propose."""

    status: str  # fits, before_notice_ends, later_than_needed
    ours: date
    days: int  # how far off: days too early, or later than the proposed start; 0 when it fits

    def sentence(self, earliest: EarliestStart, proposed: date) -> str:
        if self.status == TOO_EARLY:
            return (f"our offer's start of {self.ours.isoformat()} comes {days_text(self.days)} before the "
                    f"candidate can start ({earliest.on.isoformat()})")
        if self.status == LATER_THAN_NEEDED:
            return (f"our offer says {self.ours.isoformat()}, {days_text(self.days)} later than "
                    f"{proposed.isoformat()} — every week of waiting leaves room for another offer")
        return f"our offer's start of {self.ours.isoformat()} fits"


def start_fit(offer: OfferFact | None, earliest: EarliestStart | None, proposed: date | None) -> StartFit | None:
    """How our offer's start date fits; None without an offered start or an earliest start."""
    if offer is None or offer.start_date is None or earliest is None or proposed is None:
        return None
    start = offer.start_date
    if start < earliest.on:
        return StartFit(TOO_EARLY, start, (earliest.on - start).days)
    if start > proposed:
        return StartFit(LATER_THAN_NEEDED, start, (start - proposed).days)
    return StartFit(FITS, start, 0)
