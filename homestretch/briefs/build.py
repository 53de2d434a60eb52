"""The brief for the hiring manager: what wins this candidate, with numbers. Pure: plain data in,
a Brief out, `now` an argument; nothing here touches the database or the clock.

Every figure and date comes from the application's Situation (homestretch.situation), the same one
the risk engine, the pages and the reminders read, so a fact has one value in every section.

Two audiences:
- `internal` is everything, for the recruiter: the risk, its reasons and actions, talking points,
  notes and what is missing are marked internal.
- `client` is a document for the hiring manager, built from the redacted situation
  (homestretch.situation.redact), not filtered at the end: who, for which job, what the candidate
  wants against what we offer, how the competition stands, what we recommend and by when. It has
  no risk score, no notes, no coaching for the recruiter. A competitor named in confidence is a
  label with its pay as a band; the must-haves are cleaned of every confidential name, and
  `Brief.replaced` lists what was replaced, for the recruiter to see before sending (never rendered
  into the document itself).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from homestretch.cadence.rules import DEFAULT_CADENCE, Cadence, next_contact_due
from homestretch.lib.money import format_amount
from homestretch.offers.choices import CompetingStage, OfferStatus, RemotePreference
from homestretch.pipeline import stages
from homestretch.pipeline.choices import RemotePolicy, Stage
from homestretch.risk.engine import assess
from homestretch.risk.weights import EXPERT_WEIGHTS, Weights
from homestretch.situation.build import Competitor, Situation, build_situation
from homestretch.situation.dates import FITS, TOO_EARLY
from homestretch.situation.facts import ApplicationFacts
from homestretch.situation.names import Replacement
from homestretch.situation.redact import redact

from .levers import REMOTE_LABELS, Lever, client_base_lever, compute_levers, days_text, money

INTERNAL = "internal"
CLIENT = "client"
AUDIENCES = (INTERNAL, CLIENT)
AUDIENCE_ERROR = "audience must be internal or client"

STAGE_LABELS = {stage.value: str(stage.label) for stage in Stage}
COMPETING_STAGE_LABELS = {stage.value: str(stage.label) for stage in CompetingStage}
OFFER_STATUS_LABELS = {status.value: str(status.label) for status in OfferStatus}
PREFERENCE_LABELS = {preference.value: str(preference.label) for preference in RemotePreference}
_OPEN_COMPETING = frozenset({CompetingStage.APPLIED, CompetingStage.INTERVIEWING, CompetingStage.FINAL,
                             CompetingStage.OFFER})
# The parts of the internal brief that never appear in the client brief.
INTERNAL_PARTS = ("the risk, its reasons and the next best actions", "the talking points", "notes",
                  "what is missing", "the names and pay of competitors told in confidence")


# --- Inputs beside ApplicationFacts.

@dataclass(frozen=True, slots=True)
class CompetingDetail:
    """What the brief shows of a competing process beyond its CompetingFact: free text, never versioned."""

    role: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class BriefInputs:
    """Everything a brief is built from. `competing_details` runs parallel to `facts.competing`."""

    facts: ApplicationFacts
    competing_details: tuple[CompetingDetail, ...] = ()  # by index in facts.competing
    candidate_notes: str = ""
    must_haves: str = ""
    hiring_manager: str = ""
    closed_stage: str | None = None  # the application's stage when it is closed (facts hold the last open one)
    closed_at: datetime | None = None
    cadence: Cadence = DEFAULT_CADENCE
    weights: Weights = EXPERT_WEIGHTS  # the live weights, passed by the service


# --- The brief.

@dataclass(frozen=True, slots=True)
class NextStep:
    on: date
    text: str


@dataclass(frozen=True, slots=True)
class ApplicationSection:
    id: int
    candidate: str
    job: str
    client: str
    hiring_manager: str
    recruiter: str
    stage: str
    stage_label: str
    stage_since: date
    closed: bool
    status: str  # one sentence: where the process stands
    next_steps: tuple[NextStep, ...] = ()
    candidate_notes: str = ""  # internal only


@dataclass(frozen=True, slots=True)
class PriorityLine:
    topic: str  # minimum_base, target_base, remote_days, start_date, must_haves
    label: str
    wanted: str
    ours: str
    status: str  # met, missed, unknown
    gap: str = ""
    gap_amount: Decimal | None = None
    gap_days: int | None = None
    importance: int | None = None  # 0..5 when recorded


@dataclass(frozen=True, slots=True)
class OurOffer:
    source: str  # offer, band, none
    text: str
    status: str = ""
    base: Decimal | None = None
    total: Decimal | None = None
    band_min: Decimal | None = None
    band_max: Decimal | None = None
    currency: str = ""
    period: str = ""
    remote_policy: str = ""
    remote_days: int | None = None
    start_date: date | None = None
    sent_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class CompetingLine:
    company: str  # an alias for a confidential one in the client brief
    confidential: bool
    kind: str
    stage: str
    stage_label: str
    pay: str  # in words: "90,000 EUR per year (base 85,000)", a range, or "above our offer"
    base: Decimal | None  # None when withheld (confidential, client brief) or unknown
    total: Decimal | None
    currency: str
    period: str
    compared: bool  # same currency and period as ours, so it counts in the levers
    remote: str
    deadline: date | None
    role: str = ""
    notes: str = ""  # internal only
    comparison: str = ""  # against our offer, in words: "pays 13,500 EUR more base than ours", "above our offer"
    band_low: Decimal | None = None  # a confidential offer's pay band, in the client brief
    band_high: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RiskSection:
    probability: float | None
    score: int | None
    band: str | None
    reasons: tuple[tuple[str, str, float], ...] = ()  # code, text, share
    actions: tuple[tuple[str, str], ...] = ()  # code, text
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Brief:
    audience: str
    as_of: datetime
    application: ApplicationSection
    priorities: tuple[PriorityLine, ...]
    our_offer: OurOffer
    competing_offers: tuple[CompetingLine, ...]
    risk: RiskSection
    levers: tuple[Lever, ...]
    talking_points: tuple[str, ...]
    missing: tuple[str, ...]
    # Client brief: what was replaced in free text before sharing, for the recruiter's eyes only.
    replaced: tuple[Replacement, ...] = ()

    @property
    def internal_parts(self) -> tuple[str, ...]:
        return () if self.audience == CLIENT else INTERNAL_PARTS


# --- Building.

def build_brief(inputs: BriefInputs, *, audience: str = INTERNAL, now: datetime) -> Brief:
    """The brief of one application as of `now` for `audience` (internal or client)."""
    if audience not in AUDIENCES:
        raise ValueError(AUDIENCE_ERROR)
    client = audience == CLIENT
    facts = inputs.facts
    details = inputs.competing_details or tuple(CompetingDetail() for _ in facts.competing)
    if len(details) != len(facts.competing):
        raise ValueError("competing_details must run parallel to facts.competing")
    situation = build_situation(facts, now)
    must_haves = inputs.must_haves
    replaced: tuple[Replacement, ...] = ()
    if client:
        shared = redact(situation, must_haves=must_haves)
        situation, must_haves, replaced = shared.situation, shared.must_haves, shared.replaced
    closed = inputs.closed_stage is not None and inputs.closed_stage in stages.CLOSED
    missing: list[str] = []

    our_offer = _our_offer(situation)
    competing_lines = _competing_lines(situation, details, client)
    priorities = _priority_lines(situation, must_haves)
    levers: tuple[Lever, ...] = ()
    if closed:
        risk_section = RiskSection(None, None, None, missing=(
            f"The application is closed ({STAGE_LABELS.get(inputs.closed_stage or '', inputs.closed_stage)}): "
            "no risk is computed",))
        missing.insert(0, _closed_sentence(inputs))
    else:
        levers = compute_levers(situation, missing, client=client)
        if client:
            risk_section = RiskSection(None, None, None)  # the recruiter's, never the hiring manager's
        else:
            levers = _with_client_ask(levers, situation)
            risk = assess(facts, now, inputs.cadence, inputs.weights)
            risk_section = RiskSection(
                risk.probability, risk.score, risk.band,
                tuple((reason.code, reason.text, reason.share) for reason in risk.reasons),
                tuple((action.code, action.text) for action in risk.actions), tuple(risk.missing))
    missing.extend(situation.missing)
    if not facts.competing:
        missing.append("no competing process or offer recorded — ask at the next call")
    if facts.contacts.last_competition_asked_at is None:
        missing.append("competition never asked about — ask which other processes and offers the candidate has")
    if facts.priorities is None:
        missing.append("no priorities recorded — ask what matters most: pay, remote days, start date")
    if our_offer.source == "none":
        missing.append("no offer and no pay band on the job — the base lever cannot be computed")

    application = _application_section(inputs, situation, closed, client)
    talking_points = () if closed or client else _talking_points(situation, levers, competing_lines)
    return Brief(
        audience=audience, as_of=now, application=application, priorities=priorities, our_offer=our_offer,
        competing_offers=competing_lines, risk=risk_section, levers=_capitalized(levers) if client else levers,
        talking_points=talking_points,
        missing=() if client else _deduplicated([*missing, *risk_section.missing]),
        replaced=replaced,
    )


def _with_client_ask(levers: tuple[Lever, ...], situation: Situation) -> tuple[Lever, ...]:
    """The internal base lever says so when the client brief recommends another base: an offer told in
    confidence drives the ask, and the client brief knows it only as a band, or as above or not above
    our base."""
    ask = situation.ask
    if ask is None:
        return levers
    shared = client_base_lever(redact(situation).situation)
    if shared is not None and shared.amount == ask.amount and shared.flag != "no_raise_needed" \
            and "meets the candidate's target" not in shared.text:
        return levers
    if shared is None or shared.flag == "no_raise_needed":
        note = (" The client brief advises no raise: it compares bases only, and no base it may show is above "
                "ours.")
    elif shared.amount is None:
        note = (" The client brief asks for no figure: what drives this one was told in confidence and can be "
                "shared only as a band or as above our offer.")
    elif "meets the candidate's target" in shared.text:
        note = (f" The client brief asks for the candidate's target, "
                f"{money(shared.amount, shared.currency, shared.period)}: the figures that drive this one were "
                "told in confidence.")
    else:
        note = (f" The client brief asks for {money(shared.amount, shared.currency, shared.period)}: it can only "
                "name the top of the band it shows for an offer told in confidence.")
    return tuple(dataclasses.replace(lever, text=lever.text + note) if lever.code == "base" else lever
                 for lever in levers)


def _deduplicated(texts: list[str]) -> tuple[str, ...]:
    """Each missing fact once: the risk engine names some of the same ones, with the same opening words."""
    seen: set[str] = set()
    kept = []
    for text in texts:
        key = text.split(":")[0].split(" — ")[0].casefold()
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return tuple(kept)


def _closed_sentence(inputs: BriefInputs) -> str:
    label = STAGE_LABELS.get(inputs.closed_stage or "", inputs.closed_stage or "")
    when = f" on {inputs.closed_at.date().isoformat()}" if inputs.closed_at is not None else ""
    return f"This application is closed ({label.lower()}{when}): the brief shows what was known, no levers apply"


def _application_section(
    inputs: BriefInputs, situation: Situation, closed: bool, client: bool,
) -> ApplicationSection:
    facts = situation.facts
    today = situation.today
    stage = inputs.closed_stage if closed and inputs.closed_stage else facts.stage
    label = STAGE_LABELS.get(stage, stage)
    since = (inputs.closed_at.date() if closed and inputs.closed_at is not None
             else facts.stage_entered_at.date())
    steps: list[NextStep] = []
    if closed:
        status = _closed_sentence(inputs) + "."
    else:
        status = f"{label} since {since.isoformat()}"
        offer = situation.offer
        if offer is not None:
            offer_status = OFFER_STATUS_LABELS.get(offer.status, offer.status).lower()
            status += f"; our offer (revision {offer.revision}) is {offer_status}"
        else:
            status += "; no offer yet"
        status += "."
        if not client:  # the recruiter's own to-do
            due = next_contact_due(inputs.cadence, facts.stage, facts.contacts.last_contact_at,
                                   facts.stage_entered_at, today, start_date=situation.start_date)
            if due is not None:
                late = f" — {days_text(due.overdue_days)} overdue" if due.overdue_days > 0 else ""
                steps.append(NextStep(max(due.due_on, today), f"Next check-in with the candidate{late}"))
        if offer is not None and offer.expires_on is not None and offer.status == OfferStatus.EXTENDED \
                and offer.expires_on >= today:
            steps.append(NextStep(offer.expires_on, "Our offer expires"))
        if offer is not None and offer.start_date is not None and offer.start_date >= today:
            steps.append(NextStep(offer.start_date, "Start date on our offer"))
        for competitor in situation.competitors:
            deadline = competitor.fact.deadline
            if deadline is not None and deadline >= today and competitor.fact.stage in _OPEN_COMPETING:
                steps.append(NextStep(deadline, _upper_first(f"{competitor.label} expects an answer")))
    steps.sort(key=lambda step: (step.on, step.text))
    return ApplicationSection(
        id=facts.application_id, candidate=facts.candidate_name, job=facts.job.title, client=facts.job.client,
        hiring_manager=inputs.hiring_manager, recruiter=facts.recruiter_name, stage=stage, stage_label=label,
        stage_since=since, closed=closed, status=status, next_steps=tuple(steps),
        candidate_notes="" if client else inputs.candidate_notes,
    )


def _remote_words(policy: str, days: int | None, *, up_to: bool = False) -> str:
    remote = REMOTE_LABELS.get(policy, policy or "unknown")
    if policy == RemotePolicy.HYBRID and days is not None:
        remote += f", {'up to ' if up_to else ''}{days} remote day{'s' if days != 1 else ''} a week"
    return remote


def _our_offer(situation: Situation) -> OurOffer:
    offer = situation.offer
    job = situation.facts.job
    if offer is not None:
        text = f"Base {money(offer.base, offer.currency, offer.period)}"
        if offer.total != offer.base:
            text += f", total {money(offer.total, offer.currency, offer.period)}"
        text += f"; {_remote_words(offer.remote_policy, offer.remote_days)}"
        if offer.start_date is not None:
            text += f"; start {offer.start_date.isoformat()}"
        text += f" ({OFFER_STATUS_LABELS.get(offer.status, offer.status).lower()})"
        return OurOffer(
            source="offer", text=text, status=offer.status, base=offer.base, total=offer.total,
            band_min=job.base_min, band_max=job.base_max, currency=offer.currency, period=offer.period,
            remote_policy=offer.remote_policy, remote_days=offer.remote_days, start_date=offer.start_date,
            sent_on=offer.sent_at.date() if offer.sent_at is not None else None, expires_on=offer.expires_on,
        )
    if job.base_min is not None or job.base_max is not None:
        band = (f"{format_amount(job.base_min)}–{money(job.base_max, job.currency, job.period)}"
                if job.base_min is not None and job.base_max is not None
                else f"from {money(job.base_min, job.currency, job.period)}" if job.base_min is not None
                else f"up to {money(job.base_max, job.currency, job.period)}")
        return OurOffer(
            source="band",
            text=f"No offer yet. The job's band: base {band}; "
                 f"{_remote_words(job.remote_policy, job.remote_days, up_to=True)}",
            band_min=job.base_min, band_max=job.base_max, currency=job.currency, period=job.period,
            remote_policy=job.remote_policy, remote_days=job.remote_days,
        )
    return OurOffer(source="none", text="No offer yet and no pay band recorded on the job",
                    currency=job.currency, period=job.period, remote_policy=job.remote_policy,
                    remote_days=job.remote_days)


def comparison_words(competitor: Competitor) -> str:
    """How a competitor's pay stands against ours, in words; a banded one only by where its band lies."""
    comparison = competitor.comparison
    if comparison is None:
        return ""
    if competitor.band is not None:
        position = competitor.band_position
        ours = "our offer" if comparison.ours_source == "offer" else "the middle of our band"
        return {"above": f"above {ours}", "not above": f"not above {ours}"}.get(position, "")
    return comparison.sentence()


def _competing_lines(
    situation: Situation, details: tuple[CompetingDetail, ...], client: bool,
) -> tuple[CompetingLine, ...]:
    lines = []
    by_fact = {id(fact): index for index, fact in enumerate(situation.facts.competing)}
    for competitor in situation.competitors:
        fact = competitor.fact
        detail = details[by_fact[id(fact)]]
        withheld = competitor.withheld
        shown = competitor.band.shown if competitor.band is not None else None
        if shown is not None:
            low, high = shown
            pay_text = f"base between {format_amount(low)} and {money(high, fact.currency, fact.period)}"
        elif withheld:
            pay_text = "not shared"
        else:
            pay_text = competitor.pay.words() if fact.base is not None else "unknown"
        comparison = competitor.comparison
        lines.append(CompetingLine(
            company=competitor.label, confidential=fact.confidential, kind=fact.kind, stage=fact.stage,
            stage_label=COMPETING_STAGE_LABELS.get(fact.stage, fact.stage), pay=pay_text,
            base=None if withheld else fact.base, total=None if withheld else fact.total,
            currency=fact.currency, period=fact.period,
            compared=comparison is not None and comparison.compared,
            remote=_remote_words(fact.remote_policy, None if withheld else fact.remote_days),
            deadline=fact.deadline, role="" if withheld else detail.role,
            notes="" if client else detail.notes, comparison=comparison_words(competitor),
            band_low=competitor.band.low if competitor.band is not None else None,
            band_high=competitor.band.high if competitor.band is not None else None,
        ))
    return tuple(lines)


def _priority_lines(situation: Situation, must_haves: str) -> tuple[PriorityLine, ...]:
    priorities = situation.facts.priorities
    if priorities is None:
        return ()
    lines: list[PriorityLine] = []
    importance = priorities.importance
    ours = situation.ours
    ours_label = "our offer's base" if situation.offer is not None else "the middle of the job's band"
    for topic, label, wanted, shortfall in (
        ("minimum_base", "Minimum base", priorities.base_min, situation.minimum),
        ("target_base", "Target base", priorities.base_target, situation.target),
    ):
        if wanted is None:
            continue
        wanted_text = money(wanted, priorities.currency, priorities.period)
        if ours is None or ours.base is None:
            lines.append(PriorityLine(topic, label, wanted_text, "no offer and no band", "unknown",
                                      importance=importance.get("pay")))
        elif shortfall is None:
            lines.append(PriorityLine(topic, label, wanted_text,
                                      f"{money(ours.base, ours.currency, ours.period)} ({ours_label})", "unknown",
                                      gap="not compared: another currency or period", importance=importance.get("pay")))
        else:
            short_by = shortfall.gap
            lines.append(PriorityLine(
                topic, label, wanted_text, f"{money(ours.base, ours.currency, ours.period)} ({ours_label})",
                "met" if short_by <= 0 else "missed",
                gap=f"{money(short_by, ours.currency, ours.period)} short" if short_by > 0 else "",
                gap_amount=short_by if short_by > 0 else Decimal(0), importance=importance.get("pay"),
            ))
    remote = situation.remote
    if remote is not None:
        offer = situation.offer
        job = situation.facts.job
        policy = offer.remote_policy if offer is not None else job.remote_policy
        lines.append(PriorityLine(
            "remote_days", "Remote days a week",
            f"{remote.wanted} ({PREFERENCE_LABELS.get(priorities.remote_preference, priorities.remote_preference)})",
            f"{remote.offered} ({'our offer' if offer is not None else 'the job'}: "
            f"{REMOTE_LABELS.get(policy, policy).lower()})",
            "met" if remote.gap <= 0 else "missed",
            gap=f"{days_text(remote.gap).replace('day', 'remote day')} a week short" if remote.gap > 0 else "",
            gap_days=remote.gap, importance=importance.get("remote"),
        ))
    earliest, proposed, fit = situation.earliest_start, situation.proposed_start, situation.start_fit
    if earliest is not None and proposed is not None:
        offer = situation.offer
        if offer is None or offer.start_date is None:
            lines.append(PriorityLine("start_date", "Start date", earliest.wanted_text, "no start date offered yet",
                                      "unknown", importance=importance.get("speed")))
        elif fit is not None:
            if fit.status == FITS:
                status, gap = "met", ""
            elif fit.status == TOO_EARLY:
                status, gap = "missed", f"{days_text(fit.days)} before the candidate can start"
            else:
                status, gap = "missed", f"{days_text(fit.days)} later than {proposed.isoformat()}, the first Monday " \
                                        "the candidate is free"
            lines.append(PriorityLine("start_date", "Start date", earliest.wanted_text, offer.start_date.isoformat(),
                                      status, gap=gap, gap_days=fit.days, importance=importance.get("speed")))
    if must_haves.strip():
        lines.append(PriorityLine("must_haves", "Must-haves", must_haves.strip(), "to check with the hiring manager",
                                  "unknown"))
    return tuple(lines)


def _talking_points(
    situation: Situation, levers: tuple[Lever, ...], competing: tuple[CompetingLine, ...],
) -> tuple[str, ...]:
    """What to say at the next call with the candidate: for the recruiter only."""
    points: list[str] = []
    asked = situation.competition_asked_days
    if asked is None or asked > 7:
        points.append("Ask which other processes and offers they have, and why you ask: to get them a better "
                      "salary, a faster process or remote days — what they tell you stays confidential.")
    elif not competing:
        points.append("Check that nothing new has come up elsewhere since the last call.")
    by_code = {lever.code: lever for lever in levers}
    if situation.facts.priorities is None:
        points.append("Ask what matters most — pay, remote days, start date, title, growth, stack — and how much.")
    base = by_code.get("base")
    if base is not None and base.amount is not None and base.flag != "no_raise_needed":
        points.append(f"Ask whether a base of {money(base.amount, base.currency, base.period)} would settle pay, "
                      "without promising it before the hiring manager agrees.")
    deadline = situation.deadline
    if deadline is not None and deadline.accepted_elsewhere:
        points.append("Ask what decided them for the other offer and whether anything would change their mind.")
    elif deadline is not None and deadline.on is not None:
        points.append(f"Confirm {deadline.competitor.label}'s deadline of {deadline.on.isoformat()} and ask them to "
                      "tell you before answering it.")
    remote = by_code.get("remote_days")
    if remote is not None:
        if remote.flag == "policy_does_not_allow":
            points.append("Be honest about the remote policy, and ask how much it weighs against the rest.")
        else:
            points.append(f"Tell them {remote.days} remote day{'s' if remote.days != 1 else ''} a week is possible.")
    start = by_code.get("start_date")
    if start is not None and start.on is not None:
        points.append(f"Check the notice period and propose a start on {start.on.isoformat()}.")
    elif situation.facts.priorities is not None:
        points.append("Ask about the notice period and the earliest possible start.")
    points.append("Give them news of the process and the next step, even if there is none from the client.")
    return tuple(points)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _capitalized(levers: tuple[Lever, ...]) -> tuple[Lever, ...]:
    """Sentences that open on a label ("confidential company A expects...") start upper case."""
    return tuple(dataclasses.replace(lever, text=_upper_first(lever.text)) for lever in levers)
