"""What is known about one application as of a moment: plain, frozen data.

The situation (homestretch.situation.build) turns these into everything the product says about the
application, and the risk engine scores it. A loader (homestretch.risk.loader) fills these from the
database in a fixed number of queries for all open applications at once; tests build them by hand.
Nothing here touches the database or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from homestretch.lib.frozen import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class OfferFact:
    """One revision of our offer, as it stood at the moment of scoring."""

    revision: int
    status: str  # homestretch.offers.choices.OfferStatus
    base: Decimal
    total: Decimal  # base + bonus + equity, same currency and period
    currency: str
    period: str
    remote_policy: str  # homestretch.pipeline.choices.RemotePolicy
    remote_days: int | None
    start_date: date | None
    sent_at: datetime | None
    expires_on: date | None
    responded_at: datetime | None
    created_at: datetime


@quick_init
@dataclass(frozen=True, slots=True)
class CompetingFact:
    """One competing process or offer (a counteroffer included) as it was known at the moment.

    Pay components the candidate did not tell are None, "not known" (0 says "none"): a total is
    known only when all three are, so a base told alone is never compared with our total.
    """

    company: str
    kind: str  # homestretch.offers.choices.CompetingKind
    stage: str  # homestretch.offers.choices.CompetingStage
    base: Decimal | None
    bonus: Decimal | None
    equity: Decimal | None
    currency: str
    period: str
    remote_policy: str
    deadline: date | None
    learned_at: datetime
    confidential: bool
    remote_days: int | None = None
    competing_id: int | None = None  # the CompetingOffer row, when loaded from the database

    @property
    def total(self) -> Decimal | None:
        """Base + bonus + equity, or None while any of the three is not known."""
        if self.base is None or self.bonus is None or self.equity is None:
            return None
        return self.base + self.bonus + self.equity


@quick_init
@dataclass(frozen=True, slots=True)
class ContactSummary:
    """The touchpoints of the application (and of its candidate alone) up to the moment, reduced."""

    touchpoints: int = 0
    last_contact_at: datetime | None = None
    last_inbound_at: datetime | None = None
    last_competition_asked_at: datetime | None = None
    last_competition_answer: str = ""  # CompetitionAnswer of the latest touch that asked
    latest_interest: int | None = None  # of the latest touch that recorded one
    previous_interest: int | None = None  # of the one before it
    last_status_update_at: datetime | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class PrioritiesFact:
    base_min: Decimal | None
    base_target: Decimal | None
    currency: str
    period: str
    remote_preference: str  # homestretch.offers.choices.RemotePreference
    remote_days: int | None
    notice_days: int | None
    earliest_start: date | None
    importance: dict[str, int] = field(default_factory=dict)  # pay, remote, speed, title, growth, stack
    as_of: datetime | None = None
    priorities_id: int | None = None  # the Priorities row, when loaded from the database


@quick_init
@dataclass(frozen=True, slots=True)
class JobFact:
    title: str
    client: str
    base_min: Decimal | None
    base_max: Decimal | None
    currency: str
    period: str
    remote_policy: str
    remote_days: int | None

    @property
    def band_midpoint(self) -> Decimal | None:
        if self.base_min is None or self.base_max is None:
            return None
        return (self.base_min + self.base_max) / 2


@quick_init
@dataclass(frozen=True, slots=True)
class ApplicationFacts:
    """Everything the risk engine and the agenda need about one application, as of one moment."""

    application_id: int
    candidate_name: str
    recruiter_id: int
    recruiter_name: str
    team_id: int | None
    stage: str
    stage_entered_at: datetime
    created_at: datetime
    accepted_at: datetime | None
    job: JobFact
    offers: tuple[OfferFact, ...] = ()  # every revision known at the moment, oldest first
    competing: tuple[CompetingFact, ...] = ()
    contacts: ContactSummary = ContactSummary()
    priorities: PrioritiesFact | None = None
    stage_before_hold: str | None = None  # where an application on hold was
    # The start date agreed when the candidate accepted, when known; a later start on the current
    # offer means the start was pushed back. Without it the engine compares with earlier revisions.
    start_date_at_acceptance: date | None = None
    # How the candidate was found (a CandidateSource value, "" unknown): a trained model may weigh the
    # organisation's own loss rate by source (homestretch.risk.track_record).
    candidate_source: str = ""
    # The candidate objected to being contacted (pipeline/consent.py) by the moment: nothing is due to them
    # (cadence.due), no next best action contacts them (risk.actions), the calendar feed leaves them out.
    candidate_objected: bool = False

    @property
    def current_offer(self) -> OfferFact | None:
        """The latest revision that is not superseded (open, accepted or lost), if any."""
        for offer in reversed(self.offers):
            if offer.status != "superseded":
                return offer
        return None
