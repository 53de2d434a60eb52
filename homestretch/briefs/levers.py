"""The levers of the brief: what the hiring manager can move to win the candidate, each read from the
application's Situation (homestretch.situation) and explained in one sentence.

- base: the situation's one ask (at least the best comparable competing base plus the margin and at
  least the candidate's minimum, saying which drove it), checked against the job's band; or, without
  an ask, the candidate's target when our base misses it.
- offer out by: the situation's date, OFFER_LEAD_DAYS before the nearest competing deadline.
- remote days: when the candidate wants more than we offer and it matters to them.
- start date: the situation's proposed start, the first Monday the candidate is free.

Given a redacted situation the same levers are written for the client: no sentence addressed to the
recruiter, and a confidential competitor only by its label and pay band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from homestretch.lib.money import format_amount
from homestretch.pipeline.choices import RemotePolicy
from homestretch.situation.build import OFFER_LEAD_DAYS, Situation
from homestretch.situation.dates import days_text
from homestretch.situation.pay import against_band, money

__all__ = ["REMOTE_LABELS", "Lever", "compute_levers", "days_text", "money"]

REMOTE_LABELS = {policy.value: str(policy.label) for policy in RemotePolicy}


@dataclass(frozen=True, slots=True)
class Lever:
    code: str  # base, offer_by, remote_days, start_date
    text: str  # the sentence that explains it
    amount: Decimal | None = None
    currency: str = ""
    period: str = ""
    on: date | None = None
    days: int | None = None
    # What needs the reader's eye: above_band, no_raise_needed, meets_target; offer_already_out, tight,
    # accepted_elsewhere; policy_does_not_allow; before_notice_ends, later_than_needed, fits.
    flag: str = ""


def compute_levers(situation: Situation, missing: list[str], *, client: bool) -> tuple[Lever, ...]:
    levers = [
        _base_lever(situation, missing),
        _offer_by_lever(situation, client),
        _remote_lever(situation, client),
        _start_lever(situation, missing),
    ]
    return tuple(lever for lever in levers if lever is not None)


def _band_check(situation: Situation, amount, missing: list[str]) -> tuple[str, str]:
    """The sentence placing `amount` against the job's band, and the flag when it is above it."""
    job = situation.facts.job
    ours = situation.ours
    assert ours is not None
    currency, period = ours.currency, ours.period
    against = against_band(amount, currency, period, job)
    if not against.comparable:
        missing.append(f"{against.why_not} — the base lever cannot be checked against it")
        return "", ""
    band = (f"{format_amount(job.base_min) + '–' if job.base_min is not None else 'up to '}"
            f"{money(job.base_max, currency, period)}")
    if against.excess > 0:
        return (f". That is {money(against.excess, currency, period)} above the top of the job's band "
                f"({band}): the hiring manager must approve an exception", "above_band")
    return f". Within the job's band ({band})", ""


def _base_lever(situation: Situation, missing: list[str]) -> Lever | None:
    ours = situation.ours
    if ours is None or ours.base is None:
        return None
    currency, period = ours.currency, ours.period
    ours_words = (f"our offer's base of {money(ours.base, currency, period)}" if situation.offer is not None
                  else f"the middle of the job's band, {money(ours.base, currency, period)}")
    ask, target = situation.ask, situation.target
    if ask is not None:
        text = f"Base of at least {money(ask.amount, currency, period)}: {ask.because()}"
        if situation.offer is not None:
            text += f" ({money(ask.amount - ask.ours, currency, period)} more than {ours_words})"
        if target is not None and target.wanted > ask.amount:
            text += f"; the candidate hopes for {money(target.wanted, currency, period)}"
        band_text, flag = _band_check(situation, ask.amount, missing)
        return Lever("base", text + band_text + ".", amount=ask.amount, currency=currency, period=period, flag=flag)
    withheld_above = [c for c in situation.competitors if c.band is not None and c.band.pays_more and c.is_open]
    if withheld_above:
        # Paid more by an offer whose figures stay confidential and no band to ask from: say so, no figure.
        text = (f"Raise {ours_words}: {withheld_above[0].whose} pays a higher base, and its figures were told "
                "in confidence")
        if target is not None and target.gap > 0:
            text += f"; the candidate hopes for {money(target.wanted, currency, period)}"
        return Lever("base", text + ".", currency=currency, period=period, flag="raise_needed")
    # A redacted situation knows confidential offers by their base only: it says no more than that.
    none_more = ("no competing offer is known to pay a higher base" if situation.redacted
                 else "no comparable competing offer pays more")
    if target is not None and target.gap > 0:
        text = (f"Base of {money(target.wanted, currency, period)} meets the candidate's target, "
                f"{money(target.gap, currency, period)} more than {ours_words}; {none_more}")
        band_text, flag = _band_check(situation, target.wanted, missing)
        return Lever("base", text + band_text + ".", amount=target.wanted, currency=currency, period=period,
                     flag=flag or "meets_target")
    beaten = [c for c in situation.competitors if c.comparison is not None and c.comparison.compared and c.is_open]
    if situation.offer is not None and (beaten or (target is not None) or situation.minimum is not None):
        because = []
        if beaten:
            because.append(none_more)
        if situation.minimum is not None:
            because.append(f"it reaches the candidate's minimum of {money(situation.minimum.wanted, currency, period)}")
        if target is not None:
            because.append(f"it meets their target of {money(target.wanted, currency, period)}")
        return Lever("base", f"Keep {ours_words}: " + " and ".join(because) + ".", amount=ours.base,
                     currency=currency, period=period, flag="no_raise_needed")
    return None


def client_base_lever(shared: Situation) -> Lever | None:
    """The base lever of the client brief, from the redacted situation (for the internal brief to compare)."""
    return _base_lever(shared, [])


def _offer_by_lever(situation: Situation, client: bool) -> Lever | None:
    deadline = situation.deadline
    if deadline is None:
        return None
    today = situation.today
    if deadline.accepted_elsewhere or deadline.on is None:
        text = (f"No deadline left to beat: the candidate has said yes to {deadline.competitor.whose}"
                + ("; only a clearly better offer can change that." if client
                   else "; learn what decided it before anything else."))
        return Lever("offer_by", text, on=today, days=0, flag="accepted_elsewhere")
    offer_by = situation.offer_by
    assert offer_by is not None
    company = deadline.competitor.label
    if offer_by.already_out is not None:
        sent = offer_by.already_out
        ahead = (deadline.on - sent).days
        text = (f"Our offer went out on {sent.isoformat()}, {days_text(ahead)} before {company}'s deadline of "
                f"{deadline.on.isoformat()}")
        text += ": an answer is due before then." if client else ": talk it through before then."
        return Lever("offer_by", text, on=sent, days=ahead, flag="offer_already_out")
    when = "today" if offer_by.days_left == 0 else f"in {days_text(offer_by.days_left)}"
    text = (f"Get our offer to the candidate by {offer_by.on.isoformat()} ({when}): {company} expects an answer by "
            f"{deadline.on.isoformat()}, and the candidate needs {days_text(OFFER_LEAD_DAYS)} to weigh ours")
    if offer_by.tight:
        text += f" — there are only {days_text(deadline.days_left)} left, so today"
    return Lever("offer_by", text + ".", on=offer_by.on, days=offer_by.days_left,
                 flag="tight" if offer_by.tight else "")


def _remote_lever(situation: Situation, client: bool) -> Lever | None:
    remote = situation.remote
    if remote is None or remote.gap <= 0 or remote.importance < 2:
        return None
    job = situation.facts.job
    policy = REMOTE_LABELS.get(job.remote_policy, job.remote_policy).lower()
    wanted, offered, allowed = remote.wanted, remote.offered, remote.allowed
    if allowed > offered:
        give = remote.can_give
        text = (f"Offer {give} remote day{'s' if give != 1 else ''} a week: the candidate wants {wanted} "
                f"(remote matters {remote.importance} of 5), the job's policy ({policy}) allows up to {allowed}, "
                f"{'our offer has' if situation.offer is not None else 'the job starts at'} {offered}")
        if give < wanted:
            text += f"; the last {wanted - give} would need an exception"
        return Lever("remote_days", text + ".", days=give)
    closing = ("only an exception to the policy closes this gap." if client
               else "only an exception from the hiring manager closes this gap — say so honestly.")
    return Lever("remote_days", f"The job's policy ({policy}) allows {allowed} remote day{'s' if allowed != 1 else ''} "
                 f"a week and the candidate wants {wanted} (remote matters {remote.importance} of 5): {closing}",
                 days=allowed, flag="policy_does_not_allow")


def _start_lever(situation: Situation, missing: list[str]) -> Lever | None:
    if situation.facts.priorities is None:
        return None
    earliest, proposed = situation.earliest_start, situation.proposed_start
    if earliest is None or proposed is None:
        missing.append("notice period and earliest start not recorded — ask at the next call")
        return None
    text = f"Propose a start on {proposed.isoformat()}, the first Monday the candidate is free: {earliest.why}"
    fit = situation.start_fit
    flag = ""
    if fit is not None:
        flag = fit.status
        text += "; " + fit.sentence(earliest, proposed)
    return Lever("start_date", text + ".", on=proposed, days=(proposed - situation.today).days, flag=flag)
