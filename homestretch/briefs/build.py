"""The brief for the hiring manager: what wins this candidate, with numbers. Pure: plain data in,
a Brief out, `now` an argument; nothing here touches the database or the clock.

Two audiences. `internal` is everything, for the recruiter. `client` is what may be shared with the
hiring manager: a competing offer told in confidence appears as "a company told in confidence (A)"
with its pay as a range or as "above our offer", no note of any kind appears, and the risk's reasons
and actions are written from the same redacted facts (their pay figures rewritten), then any sentence
still naming a confidential company is left out.

The levers are computed in levers.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal

from homestretch.agenda.cadence import DEFAULT_CADENCE, Cadence, next_contact_due
from homestretch.lib.money import Period, format_amount
from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus, RemotePreference
from homestretch.pipeline import stages
from homestretch.pipeline.choices import RemotePolicy, Stage
from homestretch.risk.actions import ROUNDING_STEP, base_to_ask
from homestretch.risk.engine import Risk, assess
from homestretch.situation.facts import ApplicationFacts, CompetingFact
from homestretch.risk.features import FeatureValues, compute_features
from homestretch.risk.weights import EXPERT_WEIGHTS, Weights

from .levers import (
    REMOTE_LABELS,
    Lever,
    compute_levers,
    days_text,
    earliest_start,
    money,
    remote_days_of,
    wanted_remote_days,
)

INTERNAL = "internal"
CLIENT = "client"
AUDIENCES = (INTERNAL, CLIENT)
AUDIENCE_ERROR = "audience must be internal or client"

# Confidential pay is shown as a bracket this many rounding steps wide (10,000 a year).
RANGE_STEPS = 10
STAGE_LABELS = {stage.value: str(stage.label) for stage in Stage}
COMPETING_STAGE_LABELS = {stage.value: str(stage.label) for stage in CompetingStage}
OFFER_STATUS_LABELS = {status.value: str(status.label) for status in OfferStatus}
PREFERENCE_LABELS = {preference.value: str(preference.label) for preference in RemotePreference}
_OPEN_COMPETING = frozenset({CompetingStage.APPLIED, CompetingStage.INTERVIEWING, CompetingStage.FINAL,
                             CompetingStage.OFFER})
# Risk sentences that carry a competing offer's pay (a percentage or an amount).
_PAY_REASONS = frozenset({"competing_pay_gap"})
_PAY_ACTIONS = frozenset({"raise_base"})


# --- Inputs beside ApplicationFacts.

@dataclass(frozen=True, slots=True)
class CompetingDetail:
    """What the brief shows of a competing process beyond the risk engine's CompetingFact."""

    role: str = ""
    remote_days: int | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class BriefInputs:
    """Everything a brief is built from. `competing_details` runs parallel to `facts.competing`."""

    facts: ApplicationFacts
    competing_details: tuple[CompetingDetail, ...] = ()
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


# --- Helpers.

def _confidential_aliases(competing: tuple[CompetingFact, ...]) -> dict[int, str]:
    """Index in facts.competing -> the name the client brief uses instead."""
    aliases: dict[int, str] = {}
    for index, fact in enumerate(competing):
        if fact.confidential:
            letter = chr(ord("A") + len(aliases) % 26)
            aliases[index] = f"a company told in confidence ({letter})"
    return aliases


def _pay_range(amount: Decimal, currency: str, period: str) -> str:
    step = ROUNDING_STEP.get(period, Decimal(1)) * RANGE_STEPS
    low = (amount / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return f"between {format_amount(low)} and {format_amount(low + step)} {currency}" + (
        f" per {period}" if period != Period.YEAR else "")


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
    aliases = _confidential_aliases(facts.competing) if client else {}
    secrets = {fact.company for index, fact in enumerate(facts.competing) if index in aliases}
    if aliases:
        # The engine and every sentence below see the aliases, never the names.
        facts = dataclasses.replace(facts, competing=tuple(
            dataclasses.replace(fact, company=aliases[index]) if index in aliases else fact
            for index, fact in enumerate(facts.competing)
        ))
    closed = inputs.closed_stage is not None and inputs.closed_stage in stages.CLOSED
    today = now.date()
    features = compute_features(facts, now, inputs.cadence)
    missing: list[str] = []

    our_offer = _our_offer(facts, features)
    competing_lines = _competing_lines(facts, details, features, client, aliases, now)
    priorities = _priority_lines(facts, features, inputs.must_haves, missing)
    if closed:
        risk_section = RiskSection(None, None, None, missing=(
            f"The application is closed ({STAGE_LABELS.get(inputs.closed_stage or '', inputs.closed_stage)}): "
            "no risk is computed",))
        levers: tuple[Lever, ...] = ()
        missing.insert(0, _closed_sentence(inputs))
    else:
        risk = assess(facts, now, inputs.cadence, inputs.weights)
        risk_section = _risk_section(risk, facts, features, client)
        levers = compute_levers(facts, features, today, missing, client)
    for line in competing_lines:
        if not line.compared and line.stage in (CompetingStage.OFFER, CompetingStage.ACCEPTED):
            if line.base is None and line.total is None and not (client and line.confidential):
                missing.append(f"what {line.company}'s offer pays is not known — ask the candidate")
            elif line.currency and (line.currency != features.ours_currency or line.period != features.ours_period):
                missing.append(
                    f"{line.company}'s offer is in {line.currency} per {line.period}, ours in "
                    f"{features.ours_currency or 'no currency'} per {features.ours_period or 'no period'}: "
                    "listed, not compared without a stated rate")
    if not facts.competing:
        missing.append("no competing process or offer recorded — ask at the next call")
    if facts.contacts.last_competition_asked_at is None:
        missing.append("competition never asked about — ask which other processes and offers the candidate has")
    if facts.priorities is None:
        missing.append("no priorities recorded — ask what matters most: pay, remote days, start date")
    if our_offer.source == "none":
        missing.append("no offer and no pay band on the job — the base lever cannot be computed")

    application = _application_section(inputs, facts, features, closed, client, today)
    talking_points = () if closed else _talking_points(facts, features, levers, competing_lines, application)
    brief = Brief(
        audience=audience, as_of=now, application=application, priorities=priorities, our_offer=our_offer,
        competing_offers=competing_lines, risk=risk_section, levers=levers, talking_points=talking_points,
        missing=_deduplicated([*missing, *risk_section.missing]),
    )
    return _capitalized(_without_secrets(brief, secrets)) if client else brief


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
    inputs: BriefInputs, facts: ApplicationFacts, features: FeatureValues, closed: bool, client: bool, today: date,
) -> ApplicationSection:
    stage = inputs.closed_stage if closed and inputs.closed_stage else facts.stage
    label = STAGE_LABELS.get(stage, stage)
    since = (inputs.closed_at.date() if closed and inputs.closed_at is not None
             else facts.stage_entered_at.date())
    steps: list[NextStep] = []
    if closed:
        status = _closed_sentence(inputs) + "."
    else:
        status = f"{label} since {since.isoformat()}"
        offer = features.offer
        if offer is not None:
            offer_status = OFFER_STATUS_LABELS.get(offer.status, offer.status).lower()
            status += f"; our offer (revision {offer.revision}) is {offer_status}"
        else:
            status += "; no offer yet"
        status += "."
        start = offer.start_date if offer is not None and offer.status == OfferStatus.ACCEPTED else None
        due = next_contact_due(inputs.cadence, facts.stage, facts.contacts.last_contact_at, facts.stage_entered_at,
                               today, start_date=start)
        if due is not None:
            late = f" — {days_text(due.overdue_days)} overdue" if due.overdue_days > 0 else ""
            steps.append(NextStep(due.due_on, f"Next check-in with the candidate{late}"))
        if offer is not None and offer.expires_on is not None and offer.status in (OfferStatus.EXTENDED,):
            steps.append(NextStep(offer.expires_on, "Our offer expires"))
        if offer is not None and offer.start_date is not None and offer.start_date >= today:
            steps.append(NextStep(offer.start_date, "Start date on our offer"))
        for competing in facts.competing:
            if competing.deadline is not None and competing.deadline >= today and competing.stage in _OPEN_COMPETING:
                steps.append(NextStep(competing.deadline, f"{competing.company} expects an answer"))
    steps.sort(key=lambda step: (step.on, step.text))
    return ApplicationSection(
        id=facts.application_id, candidate=facts.candidate_name, job=facts.job.title, client=facts.job.client,
        hiring_manager=inputs.hiring_manager, recruiter=facts.recruiter_name, stage=stage, stage_label=label,
        stage_since=since, closed=closed, status=status, next_steps=tuple(steps),
        candidate_notes="" if client else inputs.candidate_notes,
    )


def _our_offer(facts: ApplicationFacts, features: FeatureValues) -> OurOffer:
    offer = features.offer
    job = facts.job
    if offer is not None:
        remote = REMOTE_LABELS.get(offer.remote_policy, offer.remote_policy)
        if offer.remote_policy == RemotePolicy.HYBRID and offer.remote_days is not None:
            remote += f", {offer.remote_days} remote day{'s' if offer.remote_days != 1 else ''} a week"
        text = f"Base {money(offer.base, offer.currency, offer.period)}"
        if offer.total != offer.base:
            text += f", total {money(offer.total, offer.currency, offer.period)}"
        text += f"; {remote}"
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
        remote = REMOTE_LABELS.get(job.remote_policy, job.remote_policy)
        if job.remote_policy == RemotePolicy.HYBRID and job.remote_days is not None:
            remote += f", up to {job.remote_days} remote day{'s' if job.remote_days != 1 else ''} a week"
        return OurOffer(
            source="band", text=f"No offer yet. The job's band: base {band}; {remote}",
            band_min=job.base_min, band_max=job.base_max, currency=job.currency, period=job.period,
            remote_policy=job.remote_policy, remote_days=job.remote_days,
        )
    return OurOffer(source="none", text="No offer yet and no pay band recorded on the job",
                    currency=job.currency, period=job.period, remote_policy=job.remote_policy,
                    remote_days=job.remote_days)


def _competing_lines(
    facts: ApplicationFacts, details: tuple[CompetingDetail, ...], features: FeatureValues, client: bool,
    aliases: dict[int, str], now: datetime,
) -> tuple[CompetingLine, ...]:
    lines = []
    ours_amount = features.ours_amount
    for index, (competing, detail) in enumerate(zip(facts.competing, details, strict=True)):
        if competing.learned_at > now:
            continue
        comparable = bool(competing.currency) and competing.currency == features.ours_currency \
            and competing.period == features.ours_period and ours_amount is not None
        amount = competing.total if features.ours_is_offer else competing.base
        compared = comparable and amount is not None
        withhold = client and index in aliases
        if competing.base is None:
            pay = "unknown"
        elif withhold:
            if compared and amount > ours_amount:
                pay = "above our offer" if features.ours_is_offer else "above the middle of our band"
            else:
                pay = _pay_range(competing.total or competing.base, competing.currency, competing.period)
        else:
            pay = money(competing.total, competing.currency, competing.period)
            if competing.total != competing.base:
                pay += f" (base {format_amount(competing.base)})"
        remote = REMOTE_LABELS.get(competing.remote_policy, competing.remote_policy or "unknown")
        if competing.remote_policy == RemotePolicy.HYBRID and detail.remote_days is not None:
            remote += f", {detail.remote_days} remote day{'s' if detail.remote_days != 1 else ''} a week"
        lines.append(CompetingLine(
            company=competing.company, confidential=competing.confidential,
            kind=competing.kind, stage=competing.stage,
            stage_label=COMPETING_STAGE_LABELS.get(competing.stage, competing.stage), pay=pay,
            base=None if withhold else competing.base, total=None if withhold else competing.total,
            currency=competing.currency, period=competing.period, compared=compared, remote=remote,
            deadline=competing.deadline, role="" if withhold else detail.role,
            notes="" if client else detail.notes,
        ))
    return tuple(lines)


def _priority_lines(
    facts: ApplicationFacts, features: FeatureValues, must_haves: str, missing: list[str],
) -> tuple[PriorityLine, ...]:
    priorities = facts.priorities
    if priorities is None:
        return ()
    lines: list[PriorityLine] = []
    importance = priorities.importance
    offer = features.offer
    job = facts.job
    # Pay: against our offer's base, or what the job's band can reach.
    if offer is not None:
        ours, ours_label, currency, period = offer.base, "our offer's base", offer.currency, offer.period
    else:
        ours, ours_label, currency, period = job.base_max, "the top of the job's band", job.currency, job.period
    for topic, label, wanted in (("minimum_base", "Minimum base", priorities.base_min),
                                 ("target_base", "Target base", priorities.base_target)):
        if wanted is None:
            continue
        wanted_text = money(wanted, priorities.currency, priorities.period)
        if ours is None:
            lines.append(PriorityLine(topic, label, wanted_text, "no offer and no band", "unknown",
                                      importance=importance.get("pay")))
        elif priorities.currency != currency or priorities.period != period:
            lines.append(PriorityLine(topic, label, wanted_text, f"{money(ours, currency, period)} ({ours_label})",
                                      "unknown", gap="not compared: another currency or period",
                                      importance=importance.get("pay")))
            which = topic.split("_")[0]  # minimum or target, as the risk engine words it
            missing.append(f"the candidate's {which} is in {priorities.currency} per {priorities.period}, "
                           f"ours in {currency} per {period}: not compared without a stated rate")
        else:
            gap = wanted - ours
            lines.append(PriorityLine(
                topic, label, wanted_text, f"{money(ours, currency, period)} ({ours_label})",
                "met" if gap <= 0 else "missed", gap=f"{money(gap, currency, period)} short" if gap > 0 else "",
                gap_amount=gap if gap > 0 else Decimal(0), importance=importance.get("pay"),
            ))
    wanted_days = wanted_remote_days(priorities.remote_preference, priorities.remote_days)
    if wanted_days is not None:
        policy = offer.remote_policy if offer is not None else job.remote_policy
        days = offer.remote_days if offer is not None else job.remote_days
        offered = remote_days_of(policy, days)
        gap_days = wanted_days - offered
        lines.append(PriorityLine(
            "remote_days", "Remote days a week",
            f"{wanted_days} ({PREFERENCE_LABELS.get(priorities.remote_preference, priorities.remote_preference)})",
            f"{offered} ({'our offer' if offer is not None else 'the job'}: "
            f"{REMOTE_LABELS.get(policy, policy).lower()})",
            "met" if gap_days <= 0 else "missed",
            gap=f"{days_text(gap_days).replace('day', 'remote day')} a week short" if gap_days > 0 else "",
            gap_days=max(gap_days, 0), importance=importance.get("remote"),
        ))
    earliest = earliest_start(facts, features.today)
    if earliest is not None:
        start = offer.start_date if offer is not None else None
        wanted_text = f"from {earliest.isoformat()}" + (
            f" ({priorities.notice_days}-day notice)" if priorities.notice_days is not None else "")
        if start is None:
            lines.append(PriorityLine("start_date", "Start date", wanted_text, "no start date offered yet", "unknown",
                                      importance=importance.get("speed")))
        else:
            late = (start - earliest).days
            if late < 0:
                status, gap, gap_days = "missed", f"{days_text(-late)} before the candidate can start", -late
            elif late > 0 and priorities.earliest_start is not None:
                # Later than the day they said they could start: waiting leaves room for other offers.
                status, gap, gap_days = "missed", f"{days_text(late)} later than the candidate can start", late
            else:
                status, gap, gap_days = "met", "", 0
            lines.append(PriorityLine("start_date", "Start date", wanted_text, start.isoformat(), status, gap=gap,
                                      gap_days=gap_days, importance=importance.get("speed")))
    if must_haves.strip():
        lines.append(PriorityLine("must_haves", "Must-haves", must_haves.strip(), "to check with the hiring manager",
                                  "unknown"))
    return tuple(lines)


def _risk_section(risk: Risk, facts: ApplicationFacts, features: FeatureValues, client: bool) -> RiskSection:
    reasons = [(reason.code, reason.text, reason.share) for reason in risk.reasons]
    actions = [(action.code, action.text) for action in risk.actions]
    best = features.best_offer
    if client and best is not None and best.confidential:
        # The engine's pay sentences quote the confidential offer's pay; the client brief says less.
        whose = "counteroffer" if best.kind == CompetingKind.COUNTEROFFER else "offer"
        ours = "ours" if features.ours_is_offer else "the middle of our band"
        reasons = [(code, f"A competing {whose} told in confidence pays more than {ours}", share)
                   if code in _PAY_REASONS else (code, text, share) for code, text, share in reasons]
        target = base_to_ask(facts, features)
        actions = [(code, f"Ask the hiring manager for a base of at least "
                          f"{money(target, features.ours_currency, features.ours_period)}: a competing {whose} "
                          f"told in confidence pays more than {ours}")
                   if code in _PAY_ACTIONS and target is not None else (code, text)
                   for code, text in actions]
    return RiskSection(risk.probability, risk.score, risk.band, tuple(reasons), tuple(actions), tuple(risk.missing))


def _talking_points(
    facts: ApplicationFacts, features: FeatureValues, levers: tuple[Lever, ...],
    competing: tuple[CompetingLine, ...], application: ApplicationSection,
) -> tuple[str, ...]:
    points: list[str] = []
    asked = features.competition_asked_days
    if asked is None or asked > 7:
        points.append("Ask which other processes and offers they have, and why you ask: to get them a better "
                      "salary, a faster process or remote days — what they tell you stays confidential.")
    elif not competing:
        points.append("Check that nothing new has come up elsewhere since the last call.")
    by_code = {lever.code: lever for lever in levers}
    if facts.priorities is None:
        points.append("Ask what matters most — pay, remote days, start date, title, growth, stack — and how much.")
    base = by_code.get("base")
    if base is not None and base.amount is not None and base.flag != "no_raise_needed":
        points.append(f"Ask whether a base of {money(base.amount, base.currency, base.period)} would settle pay, "
                      "without promising it before the hiring manager agrees.")
    offer_by = by_code.get("offer_by")
    if offer_by is not None and features.deadline_of is not None and features.deadline_of.deadline is not None \
            and offer_by.flag != "accepted_elsewhere":
        points.append(f"Confirm {features.deadline_of.company}'s deadline of "
                      f"{features.deadline_of.deadline.isoformat()} and ask them to tell you before answering it.")
    elif offer_by is not None and offer_by.flag == "accepted_elsewhere":
        points.append("Ask what decided them for the other offer and whether anything would change their mind.")
    remote = by_code.get("remote_days")
    if remote is not None:
        if remote.flag == "policy_does_not_allow":
            points.append("Be honest about the remote policy, and ask how much it weighs against the rest.")
        else:
            points.append(f"Tell them {remote.days} remote day{'s' if remote.days != 1 else ''} a week is possible.")
    start = by_code.get("start_date")
    if start is not None and start.on is not None:
        points.append(f"Check the notice period and propose a start on {start.on.isoformat()}.")
    elif facts.priorities is not None:
        points.append("Ask about the notice period and the earliest possible start.")
    points.append("Give them news of the process and the next step, even if there is none from the client.")
    return tuple(points)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _capitalized(brief: Brief) -> Brief:
    """Sentences that now open on an alias ("a company told in confidence (A) wants...") start upper case."""
    risk = brief.risk
    return dataclasses.replace(
        brief,
        application=dataclasses.replace(brief.application, next_steps=tuple(
            dataclasses.replace(step, text=_upper_first(step.text)) for step in brief.application.next_steps)),
        risk=dataclasses.replace(
            risk,
            reasons=tuple((code, _upper_first(text), share) for code, text, share in risk.reasons),
            actions=tuple((code, _upper_first(text)) for code, text in risk.actions),
        ),
        levers=tuple(dataclasses.replace(lever, text=_upper_first(lever.text)) for lever in brief.levers),
        talking_points=tuple(_upper_first(text) for text in brief.talking_points),
    )


def _mentions(text: str, secrets: set[str]) -> bool:
    lowered = text.casefold()
    return any(secret.casefold() in lowered for secret in secrets)


def _without_secrets(brief: Brief, secrets: set[str]) -> Brief:
    """The last guard of the client brief: any sentence still naming a confidential company is left out."""
    secrets = {secret.strip() for secret in secrets if secret.strip()}
    if not secrets:
        return brief
    risk = brief.risk
    return dataclasses.replace(
        brief,
        application=dataclasses.replace(brief.application, next_steps=tuple(
            step for step in brief.application.next_steps if not _mentions(step.text, secrets))),
        risk=dataclasses.replace(
            risk,
            reasons=tuple(reason for reason in risk.reasons if not _mentions(reason[1], secrets)),
            actions=tuple(action for action in risk.actions if not _mentions(action[1], secrets)),
            missing=tuple(text for text in risk.missing if not _mentions(text, secrets)),
        ),
        levers=tuple(lever for lever in brief.levers if not _mentions(lever.text, secrets)),
        talking_points=tuple(text for text in brief.talking_points if not _mentions(text, secrets)),
        missing=tuple(text for text in brief.missing if not _mentions(text, secrets)),
    )
