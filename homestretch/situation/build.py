"""The situation of one application at one moment: everything the product may say about it, computed once.

    situation = build_situation(facts, now)

Risk features, reasons and actions, the brief's sections and levers, the application page's
comparison, the digest, the chat post and the calendar feed all read from a Situation, so a pay
gap, an ask, a start date or a deadline has one value wherever it is said. What a client may see
is a Situation too, built by homestretch.situation.redact from redacted facts.

Pure: plain data in, plain data out, `now` an argument; nothing here reads the database or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus, RemotePreference
from homestretch.pipeline.choices import RemotePolicy, Stage

from . import dates, pay
from .facts import ApplicationFacts, CompetingFact, OfferFact
from .pay import Band, BaseAsk, Pay, PayComparison, Shortfall

# Our offer should be in the candidate's hands this many days before a competing deadline, so that
# they can weigh it rather than answer the other company first.
OFFER_LEAD_DAYS = 2
# Remote days a week meant by a policy or preference when no number is given.
REMOTE_DAYS_BY_POLICY: dict[str, int] = {
    RemotePolicy.ONSITE: 0,
    RemotePolicy.HYBRID: 2,
    RemotePolicy.REMOTE: 5,
}
DEFAULT_IMPORTANCE = 3

# HOT_PATH: a situation is built for every open application each time everyone's risk is scored
# (thousands at once). A frozen dataclass pays a setattr call per field on construction, which made
# building one half as slow again; the classes built here are not frozen, and nothing writes to one
# after build_situation returns it (derive a new one with dataclasses.replace).
_COUNTEROFFER = CompetingKind.COUNTEROFFER.value
_CLOSED = CompetingStage.CLOSED.value
_COMPETING_OFFER = CompetingStage.OFFER.value
_ACCEPTED_ELSEWHERE = CompetingStage.ACCEPTED.value
_WITH_OFFER = frozenset({CompetingStage.OFFER.value, CompetingStage.ACCEPTED.value})
_SUPERSEDED = OfferStatus.SUPERSEDED.value
_OFFER_ACCEPTED = OfferStatus.ACCEPTED.value
_OFFER_OUT = frozenset({OfferStatus.EXTENDED.value, OfferStatus.ACCEPTED.value})
_ON_HOLD = Stage.ON_HOLD.value
_HYBRID = RemotePolicy.HYBRID.value
_NO_PREFERENCE = frozenset({RemotePreference.ANY.value, ""})


def current_offer(facts: ApplicationFacts, now: datetime) -> OfferFact | None:
    """The latest revision recorded by `now` that is not superseded."""
    for offer in reversed(facts.offers):
        if offer.status != _SUPERSEDED and offer.created_at <= now:
            return offer
    return None


def remote_days_of(policy: str, days: int | None) -> int:
    """Remote days a week of a policy: the number given for hybrid, else what the policy means."""
    if policy == _HYBRID and days is not None:
        return days
    return REMOTE_DAYS_BY_POLICY.get(policy, 0)


def wanted_remote_days(preference: str, days: int | None) -> int | None:
    """Remote days a week the candidate wants; None when they have no preference."""
    if preference in _NO_PREFERENCE:
        return None
    return remote_days_of(preference, days)


@dataclass(slots=True)  # not frozen: see HOT_PATH
class Competitor:
    """One competing process or offer as the situation sees it: its name (or label) and its pay compared."""

    fact: CompetingFact
    label: str  # the company's name; in a redacted situation, "confidential company A"
    pay: Pay
    comparison: PayComparison | None  # for offers (offer or accepted stage) only
    band: Band | None = None  # a redacted situation's pay band of a confidential offer
    withheld: bool = False  # a confidential competitor in a redacted situation: `label` is not its name

    @property
    def is_counteroffer(self) -> bool:
        return self.fact.kind == _COUNTEROFFER

    @property
    def is_open(self) -> bool:
        return self.fact.stage != _CLOSED

    @property
    def whose(self) -> str:
        """"Acme's offer", "Acme's counteroffer"; "the offer of confidential company A"."""
        kind = "counteroffer" if self.is_counteroffer else "offer"
        return f"the {kind} of {self.label}" if self.withheld else f"{self.label}'s {kind}"

    @property
    def band_position(self) -> str:
        """For a withheld pay: "above" our pay or "not above" it; "" when not compared. The band, when
        there is one, lies on that side of our base (homestretch.situation.redact)."""
        if self.band is None or not self.band.compared:
            return ""
        return "above" if self.band.pays_more else "not above"


@dataclass(slots=True)  # not frozen: see HOT_PATH
class Deadline:
    """The competing deadline that presses: the nearest open one today or later, or a yes given elsewhere."""

    competitor: Competitor
    on: date | None  # None when the candidate has accepted the other offer without a deadline recorded
    days_left: int  # 0 when accepted elsewhere
    accepted_elsewhere: bool

    def when(self) -> str:
        if self.days_left == 0:
            return "today"
        return "tomorrow" if self.days_left == 1 else f"in {dates.days_text(self.days_left)}"


@dataclass(frozen=True, slots=True)
class OfferBy:
    """By when our offer must be out to land OFFER_LEAD_DAYS before the competing deadline."""

    on: date
    days_left: int
    tight: bool  # the lead time is gone: today
    already_out: date | None = None  # the day our offer went out, when it has


@dataclass(slots=True)  # not frozen: see HOT_PATH
class Remote:
    wanted: int
    offered: int
    allowed: int  # what the job's policy allows
    importance: int

    @property
    def gap(self) -> int:
        return max(0, self.wanted - self.offered)

    @property
    def can_give(self) -> int:
        """Remote days we can offer within the job's policy, up to what is wanted."""
        return min(self.wanted, self.allowed)


@dataclass(slots=True)  # not frozen: see HOT_PATH
class Situation:
    """What is known and what follows from it, for one application at one moment."""

    facts: ApplicationFacts
    now: datetime
    today: date
    stage: str  # the stage scored: the one before a hold for an application on hold
    on_hold: bool
    offer: OfferFact | None  # our current offer
    ours: Pay | None  # our offer's pay, else the middle of the job's band (a base), else None
    competitors: tuple[Competitor, ...]  # known at the moment, in the order they were learned
    best: Competitor | None  # the comparable competing offer that pays most above ours
    furthest: Competitor | None  # the open external process that has gone furthest
    open_external: int
    counteroffer: Competitor | None
    deadline: Deadline | None
    minimum: Shortfall | None  # our base against the candidate's minimum
    remote: Remote | None
    start_date: date | None  # the start on our accepted offer
    last_contact_days: int | None
    competition_asked_days: int | None
    missing: tuple[str, ...] = ()
    redacted: bool = False

    # The properties below are worked out when read: scoring thousands of applications for a ranking
    # needs few of them, the sentences of the few applications shown need them all. Each depends only
    # on the fields above, so it says the same each time it is read.

    @property
    def target(self) -> Shortfall | None:
        """Our base against the candidate's target."""
        priorities = self.facts.priorities
        return pay.shortfall(self.ours, priorities.base_target, priorities) if priorities is not None else None

    @property
    def earliest_start(self) -> dates.EarliestStart | None:
        return dates.earliest_start(self.facts.priorities, self.facts.accepted_at, self.today)

    @property
    def proposed_start(self) -> date | None:
        earliest = self.earliest_start
        return dates.proposed_start(earliest, self.today) if earliest is not None else None

    @property
    def start_fit(self) -> dates.StartFit | None:
        """How our offer's start fits the earliest start; None without a start on our offer."""
        if self.offer is None or self.offer.start_date is None:
            return None
        earliest = self.earliest_start
        if earliest is None:
            return None
        return dates.start_fit(self.offer, earliest, dates.proposed_start(earliest, self.today))

    @property
    def offer_by(self) -> OfferBy | None:
        """By when our offer must be out to beat the nearest competing deadline."""
        deadline, offer, today = self.deadline, self.offer, self.today
        if deadline is None or deadline.accepted_elsewhere or deadline.on is None:
            return None
        if offer is not None and offer.status in _OFFER_OUT and offer.sent_at is not None:
            sent = offer.sent_at.date()
            return OfferBy(sent, (sent - today).days, False, already_out=sent)
        by = deadline.on - timedelta(days=OFFER_LEAD_DAYS)
        return OfferBy(max(by, today), (max(by, today) - today).days, by < today)

    @property
    def ask(self) -> BaseAsk | None:
        """The base to ask the hiring manager for (homestretch.situation.pay.base_ask), or None."""
        rivals: list[tuple[str, Pay | Band]] = []
        for competitor in self.competitors:
            comparison = competitor.comparison
            if not competitor.is_open or comparison is None or not comparison.compared:
                continue
            rivals.append((competitor.whose, competitor.band if competitor.band is not None else competitor.pay))
        return pay.base_ask(self.ours, rivals, self.minimum)


# How far a competing process has gone, for picking the furthest; closed processes do not count.
_STAGE_ORDER = {CompetingStage.APPLIED.value: 1, CompetingStage.INTERVIEWING.value: 2,
                CompetingStage.FINAL.value: 3, CompetingStage.OFFER.value: 4, CompetingStage.ACCEPTED.value: 5}


def build_situation(
    facts: ApplicationFacts, now: datetime, *, labels: dict[int, str] | None = None,
    bands: dict[int, Band] | None = None, redacted: bool = False,
) -> Situation:
    """The situation of `facts` at `now`. Competing processes learned and offer revisions created after
    `now` are left out. `labels` and `bands` (by index in facts.competing) are redact's: the name shown
    for a confidential competitor and its pay band in place of its pay."""
    today = now.date()
    stage = facts.stage
    on_hold = stage == _ON_HOLD
    if on_hold and facts.stage_before_hold:
        stage = facts.stage_before_hold
    offer = current_offer(facts, now)
    job = facts.job
    priorities = facts.priorities
    ours = Pay.of_offer(offer) if offer is not None else Pay.of_band(job)
    missing: list[str] = []
    labels = labels or {}
    bands = bands or {}

    # --- Competing processes and how their pay compares with ours.
    competitors: list[Competitor] = []
    best: Competitor | None = None
    furthest: Competitor | None = None
    counteroffer: Competitor | None = None
    open_external = 0
    nearest: tuple[int, Competitor] | None = None
    accepted_elsewhere: Competitor | None = None
    for index, fact in enumerate(facts.competing):
        if fact.learned_at > now:
            continue
        their_pay = Pay.of_competing(fact)
        band = bands.get(index)
        label = labels.get(index, fact.company)
        comparison = None
        if fact.stage in _WITH_OFFER:
            comparison = pay.compare(ours, their_pay, name=f"the offer of {label}" if index in labels
                                     else f"{label}'s offer")
            if band is not None and band.compared and ours is not None and ours.base is not None:
                # Withheld: compared by its side of our base, never by a figure.
                comparison = PayComparison("band", None, ours.base, ours.currency, ours.period,
                                           ours_source=ours.source)
            elif band is None and not comparison.compared:
                missing.append(comparison.why_not)
        competitor = Competitor(fact, label, their_pay, comparison, band, withheld=index in labels)
        competitors.append(competitor)
        if fact.stage == _CLOSED:
            continue
        order = _STAGE_ORDER.get(fact.stage, 0)
        if fact.kind == _COUNTEROFFER:
            if counteroffer is None or order > _STAGE_ORDER.get(counteroffer.fact.stage, 0):
                counteroffer = competitor
        else:
            open_external += 1
            if furthest is None or order > _STAGE_ORDER.get(furthest.fact.stage, 0):
                furthest = competitor
        if comparison is not None and comparison.pays_more and (
                best is None or comparison.fraction > (best.comparison.fraction if best.comparison else 0)):
            best = competitor
        if fact.stage == _ACCEPTED_ELSEWHERE:
            accepted_elsewhere = accepted_elsewhere or competitor
        elif fact.deadline is not None:
            days_left = (fact.deadline - today).days
            if days_left >= 0:
                if nearest is None or days_left < nearest[0]:
                    nearest = (days_left, competitor)
            elif fact.stage == _COMPETING_OFFER:
                missing.append(f"{label}'s deadline passed on {fact.deadline.isoformat()} — "
                               "ask how the candidate answered")

    deadline = None
    if accepted_elsewhere is not None:
        deadline = Deadline(accepted_elsewhere, accepted_elsewhere.fact.deadline, 0, True)
    elif nearest is not None:
        deadline = Deadline(nearest[1], nearest[1].fact.deadline, nearest[0], False)

    # --- What the candidate wants against what we offer.
    minimum = None
    if priorities is not None:
        minimum = pay.shortfall(ours, priorities.base_min, priorities)
        if ours is not None and ours.base and priorities.base_min and not ours.same_basis(priorities):
            missing.append(f"the candidate's minimum is in {priorities.currency} per {priorities.period}, ours in "
                           f"{ours.currency} per {ours.period}: not compared without a stated rate")

    remote = None
    if priorities is not None:
        wanted = wanted_remote_days(priorities.remote_preference, priorities.remote_days)
        if wanted is not None:
            policy = offer.remote_policy if offer is not None else job.remote_policy
            offered_days = offer.remote_days if offer is not None else job.remote_days
            remote = Remote(wanted, remote_days_of(policy, offered_days),
                            remote_days_of(job.remote_policy, job.remote_days),
                            priorities.importance.get("remote", DEFAULT_IMPORTANCE))

    start_date = offer.start_date if offer is not None and offer.status == _OFFER_ACCEPTED else None

    contacts = facts.contacts
    last_contact = contacts.last_contact_at
    asked = contacts.last_competition_asked_at
    return Situation(
        facts=facts, now=now, today=today, stage=stage, on_hold=on_hold, offer=offer, ours=ours,
        competitors=tuple(competitors), best=best, furthest=furthest, open_external=open_external,
        counteroffer=counteroffer, deadline=deadline, minimum=minimum, remote=remote, start_date=start_date,
        last_contact_days=(today - last_contact.date()).days if last_contact is not None else None,
        competition_asked_days=(today - asked.date()).days if asked is not None else None,
        missing=tuple(missing), redacted=redacted,
    )
