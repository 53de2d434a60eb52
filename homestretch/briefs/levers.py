"""The levers of the brief: what the hiring manager can move to win the candidate, each computed to the
unit and explained in one sentence. Pure functions over ApplicationFacts and the risk engine's features.

- base: beats the best comparable competing offer by risk.actions.PAY_MARGIN (the figure the risk
  engine's "raise_base" action asks for, computed there by `base_to_ask`) and meets the candidate's
  target; flagged when above the job's band.
- offer out by: OFFER_LEAD_DAYS before the earliest open competing deadline (today at the latest).
- remote days: when the candidate wants more than we offer and it matters to them, as many as the
  job's policy allows (flagged when it allows none).
- start date: the first Monday once the notice period (counted from today, or from the acceptance)
  has run and the candidate's earliest start has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from homestretch.lib.money import Period, format_amount
from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus, RemotePreference
from homestretch.pipeline.choices import RemotePolicy
from homestretch.risk.actions import PAY_MARGIN, base_to_ask
from homestretch.situation.facts import ApplicationFacts, CompetingFact
from homestretch.risk.features import REMOTE_DAYS_BY_POLICY, FeatureValues

# Our offer should be in the candidate's hands this many days before a competing deadline, so that
# they can weigh it rather than answer the other company first.
OFFER_LEAD_DAYS = 2
MARGIN_PERCENT = (PAY_MARGIN - 1) * 100  # 3 (%), stated in every base lever
REMOTE_LABELS = {policy.value: str(policy.label) for policy in RemotePolicy}
_OFFER_OUT = frozenset({OfferStatus.EXTENDED, OfferStatus.ACCEPTED})


@dataclass(frozen=True, slots=True)
class Lever:
    code: str  # base, offer_by, remote_days, start_date
    text: str  # the sentence that explains it
    amount: Decimal | None = None
    currency: str = ""
    period: str = ""
    on: date | None = None
    days: int | None = None
    # What needs the reader's eye: above_band, no_raise_needed; offer_already_out, tight, accepted_elsewhere;
    # policy_does_not_allow; before_notice_ends, later_than_needed, fits. Empty when nothing to flag.
    flag: str = ""


def money(amount: Decimal | None, currency: str, period: str = "") -> str:
    """92000, EUR, year -> '92,000 EUR'; other periods say so ('5,500 EUR per month')."""
    if amount is None:
        return "unknown"
    per = f" per {period}" if period and period != Period.YEAR else ""
    return f"{format_amount(amount)} {currency}{per}"


def days_text(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _on_or_after_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def remote_days_of(policy: str, days: int | None) -> int:
    if policy == RemotePolicy.HYBRID and days is not None:
        return days
    return REMOTE_DAYS_BY_POLICY.get(policy, 0)


def wanted_remote_days(preference: str, days: int | None) -> int | None:
    if preference in ("", RemotePreference.ANY):
        return None
    if preference == RemotePreference.HYBRID and days is not None:
        return days
    return REMOTE_DAYS_BY_POLICY.get(preference, 0)


def earliest_start(facts: ApplicationFacts, today: date) -> date | None:
    """The earliest day the candidate can start: their stated earliest start, and the notice period
    counted from the acceptance (or from today when they have not accepted yet)."""
    priorities = facts.priorities
    if priorities is None:
        return None
    candidates = []
    if priorities.earliest_start is not None:
        candidates.append(priorities.earliest_start)
    if priorities.notice_days is not None:
        signed = facts.accepted_at.date() if facts.accepted_at is not None else today
        candidates.append(signed + timedelta(days=priorities.notice_days))
    return max(candidates) if candidates else None


def _whose(competing: CompetingFact) -> str:
    if competing.kind == CompetingKind.COUNTEROFFER:
        return f"the counteroffer from {competing.company}"
    return f"{competing.company}'s offer"


def compute_levers(facts: ApplicationFacts, features: FeatureValues, today: date, missing: list[str],
            client: bool) -> tuple[Lever, ...]:
    levers = [
        _base_lever(facts, features, missing, client),
        _offer_by_lever(facts, features, today),
        _remote_lever(facts, features),
        _start_lever(facts, features, today, missing),
    ]
    return tuple(lever for lever in levers if lever is not None)


def _base_lever(facts: ApplicationFacts, features: FeatureValues, missing: list[str], client: bool) -> Lever | None:
    """The base that beats the best comparable competing offer by the margin and meets the target."""
    ours_base = features.ours_base
    if ours_base is None:
        return None
    currency, period = features.ours_currency, features.ours_period
    ours_words = (f"our offer's base of {money(ours_base, currency, period)}" if features.ours_is_offer
                  else f"the middle of the job's band, {money(ours_base, currency, period)}")
    because: list[str] = []
    amount = ours_base
    best = features.best_offer
    margin = f"{format_amount(MARGIN_PERCENT)} %"
    beating = base_to_ask(facts, features)  # the risk engine's own figure: margin over the best, minimum met
    if best is not None:
        pays = best.total if features.ours_is_offer else best.base
        measure = "total pay" if features.ours_is_offer else "base"
        if client and best.confidential:
            because.append(f"beats by {margin} in {measure} a competing offer told in confidence that pays more "
                           f"than {'ours' if features.ours_is_offer else 'the middle of our band'}")
        else:
            because.append(f"beats by {margin} in {measure} {_whose(best)} of "
                           f"{money(pays, best.currency, best.period)}")
    if beating is not None:
        amount = max(amount, beating)
    priorities = facts.priorities
    same_basis = priorities is not None and priorities.currency == currency and priorities.period == period
    if same_basis and priorities.base_min is not None and features.pay_shortfall > 0:
        because.append(f"reaches the candidate's minimum of {money(priorities.base_min, currency, period)}")
    if same_basis and priorities.base_target is not None:
        if priorities.base_target > amount:
            amount = priorities.base_target
        because.append(f"meets the candidate's target of {money(priorities.base_target, currency, period)}")
    if not because:
        return None
    job = facts.job
    flag = ""
    if amount <= ours_base and features.ours_is_offer:
        text = f"Keep {ours_words}: it already " + " and ".join(because)
        flag = "no_raise_needed"
    else:
        text = f"Base of {money(amount, currency, period)}: " + ", ".join(because)
        if features.ours_is_offer:
            text += f" ({money(amount - ours_base, currency, period)} more than {ours_words})"
    if job.base_max is not None and job.currency == currency and job.period == period:
        band = f"{format_amount(job.base_min) + '–' if job.base_min is not None else 'up to '}" \
               f"{money(job.base_max, currency, period)}"
        if amount > job.base_max:
            flag = "above_band"
            text += (f". That is {money(amount - job.base_max, currency, period)} above the top of the job's band "
                     f"({band}): the hiring manager must approve an exception")
        else:
            text += f". Within the job's band ({band})"
    elif job.base_max is None:
        missing.append("the job has no top of its pay band recorded — the base lever cannot be checked against it")
    else:
        missing.append(f"the job's band is in {job.currency} per {job.period}, the lever in {currency} per {period}: "
                       "not compared without a stated rate")
    return Lever("base", text + ".", amount=amount, currency=currency, period=period, flag=flag)


def _offer_by_lever(facts: ApplicationFacts, features: FeatureValues, today: date) -> Lever | None:
    """The date by which our offer must be out, to land before the earliest competing deadline."""
    competing = features.deadline_of
    if competing is None:
        return None
    if competing.stage == CompetingStage.ACCEPTED or competing.deadline is None:
        return Lever("offer_by", f"No deadline left to beat: the candidate has said yes to {_whose(competing)}; "
                     "learn what decided it before anything else.", on=today, days=0, flag="accepted_elsewhere")
    deadline = competing.deadline
    offer = features.offer
    if offer is not None and offer.status in _OFFER_OUT and offer.sent_at is not None:
        sent = offer.sent_at.date()
        ahead = (deadline - sent).days
        return Lever("offer_by", f"Our offer went out on {sent.isoformat()}, {days_text(ahead)} before "
                     f"{competing.company}'s deadline of {deadline.isoformat()}: talk it through before then.",
                     on=sent, days=ahead, flag="offer_already_out")
    by = deadline - timedelta(days=OFFER_LEAD_DAYS)
    flag = ""
    if by < today:
        by, flag = today, "tight"
    left = (by - today).days
    when = "today" if left == 0 else f"in {days_text(left)}"
    text = (f"Get our offer to the candidate by {by.isoformat()} ({when}): "
            f"{competing.company} expects an answer by {deadline.isoformat()}, and the candidate needs "
            f"{days_text(OFFER_LEAD_DAYS)} to weigh ours")
    if flag:
        text += f" — there are only {days_text((deadline - today).days)} left, so today"
    return Lever("offer_by", text + ".", on=by, days=left, flag=flag)


def _remote_lever(facts: ApplicationFacts, features: FeatureValues) -> Lever | None:
    """Remote days to offer when remote matters to the candidate and the job's policy allows them."""
    priorities = facts.priorities
    if priorities is None:
        return None
    wanted = wanted_remote_days(priorities.remote_preference, priorities.remote_days)
    importance = priorities.importance.get("remote", 3)
    offer = features.offer
    job = facts.job
    offered = remote_days_of(offer.remote_policy, offer.remote_days) if offer is not None \
        else remote_days_of(job.remote_policy, job.remote_days)
    if wanted is None or wanted <= offered or importance < 2:
        return None
    allowed = remote_days_of(job.remote_policy, job.remote_days)
    policy = REMOTE_LABELS.get(job.remote_policy, job.remote_policy).lower()
    if allowed > offered:
        give = min(wanted, allowed)
        text = (f"Offer {give} remote day{'s' if give != 1 else ''} a week: the candidate wants {wanted} "
                f"(remote matters {importance} of 5), the job's policy ({policy}) allows up to {allowed}, "
                f"{'our offer has' if offer is not None else 'the job starts at'} {offered}")
        if give < wanted:
            text += f"; the last {wanted - give} would need an exception"
        return Lever("remote_days", text + ".", days=give)
    return Lever("remote_days", f"The job's policy ({policy}) allows {allowed} remote day{'s' if allowed != 1 else ''} "
                 f"a week and the candidate wants {wanted} (remote matters {importance} of 5): only an exception from "
                 "the hiring manager closes this gap — say so honestly.", days=allowed, flag="policy_does_not_allow")


def _start_lever(facts: ApplicationFacts, features: FeatureValues, today: date, missing: list[str]) -> Lever | None:
    """A start date that fits the notice period: the first Monday once the candidate is free."""
    priorities = facts.priorities
    earliest = earliest_start(facts, today)
    if priorities is None:
        return None
    if earliest is None:
        missing.append("notice period and earliest start not recorded — ask at the next call")
        return None
    proposed = _on_or_after_monday(earliest)
    why = []
    if priorities.notice_days is not None:
        signed = facts.accepted_at.date() if facts.accepted_at is not None else today
        counted = "the acceptance" if facts.accepted_at is not None else "today"
        why.append(f"a {priorities.notice_days}-day notice counted from {counted} ({signed.isoformat()}) ends on "
                   f"{(signed + timedelta(days=priorities.notice_days)).isoformat()}")
    if priorities.earliest_start is not None:
        why.append(f"the candidate can start from {priorities.earliest_start.isoformat()}")
    text = f"Propose a start on {proposed.isoformat()}, the first Monday the candidate is free: " + " and ".join(why)
    flag = ""
    offer = features.offer
    if offer is not None and offer.start_date is not None:
        start = offer.start_date
        if start < earliest:
            flag = "before_notice_ends"
            text += f"; our offer's start of {start.isoformat()} comes {days_text((earliest - start).days)} too early"
        elif start > proposed:
            flag = "later_than_needed"
            text += (f"; our offer says {start.isoformat()}, {days_text((start - proposed).days)} later — "
                     "every week of waiting leaves room for another offer")
        else:
            flag = "fits"
            text += f"; our offer's start of {start.isoformat()} fits"
    return Lever("start_date", text + ".", on=proposed, days=(proposed - today).days, flag=flag)
