"""Pay compared like with like: the one place where two amounts of pay are set against each other.

- A base is compared with a base; a total (base + bonus + equity) with a total only when both are
  known. Our own offer is known whole (a blank bonus is none); a competing offer's bonus or equity
  that the candidate did not tell is not known, and the sentence says so instead of comparing a
  base with a total.
- Amounts in another currency or period are never compared: the comparison says why not.
- The base to ask the hiring manager for (`base_ask`) is at least the best comparable competing base
  plus PAY_MARGIN and at least the candidate's minimum, and says which of them drove it.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

from homestretch.lib.money import Period, format_amount

from .facts import CompetingFact, JobFact, OfferFact, PrioritiesFact

# Beat the best competing offer by this much when asking the hiring manager for more.
PAY_MARGIN = Decimal("1.03")
MARGIN_PERCENT = (PAY_MARGIN - 1) * 100  # 3 (%), stated in every ask
# Round pay asks up to a step a hiring manager would say out loud.
ROUNDING_STEP: dict[str, Decimal] = {
    Period.YEAR: Decimal(1000),
    Period.MONTH: Decimal(100),
    Period.DAY: Decimal(10),
    Period.HOUR: Decimal(1),
}

OFFER, BAND, COMPETING = "offer", "band", "competing"
BASE, TOTAL = "base", "total"


def round_up(amount: Decimal, period: str) -> Decimal:
    """Up to the next round step for the period: 91,352 a year -> 92,000."""
    step = ROUNDING_STEP.get(period, Decimal(1))
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def money(amount: Decimal | None, currency: str, period: str = "") -> str:
    """92000, EUR, year -> '92,000 EUR'; other periods say so ('5,500 EUR per month')."""
    if amount is None:
        return "unknown"
    per = f" per {period}" if period and period != Period.YEAR else ""
    return f"{format_amount(amount)} {currency}{per}"


def _and(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(slots=True)  # not frozen: built per application, see situation.build HOT_PATH
class Pay:
    """One side's pay, normalised: base and total (None while not known), currency and period.

    `unknown` names the components not known ("bonus", "equity"); `source` says whose pay it is:
    our offer, the middle of the job's band (a base only), or a competing offer.
    """

    base: Decimal | None
    total: Decimal | None
    currency: str
    period: str
    source: str
    unknown: tuple[str, ...] = ()

    @classmethod
    def of_offer(cls, offer: OfferFact) -> Pay:
        return cls(offer.base, offer.total, offer.currency, offer.period, OFFER)

    @classmethod
    def of_band(cls, job: JobFact) -> Pay | None:
        return _band_pay(job)

    @classmethod
    def of_competing(cls, competing: CompetingFact) -> Pay:
        bonus, equity = competing.bonus, competing.equity
        if bonus is not None and equity is not None:
            return cls(competing.base, competing.base + bonus + equity if competing.base is not None else None,
                       competing.currency, competing.period, COMPETING)
        unknown = ("bonus", "equity") if bonus is None and equity is None else ("bonus",) if bonus is None \
            else ("equity",)
        return cls(competing.base, None, competing.currency, competing.period, COMPETING, unknown)

    @property
    def extras(self) -> Decimal:
        """Bonus and equity together, when the total is known (else 0)."""
        if self.total is None or self.base is None:
            return Decimal(0)
        return self.total - self.base

    def same_basis(self, other: Pay | PrioritiesFact | JobFact) -> bool:
        return bool(self.currency) and self.currency == other.currency and self.period == other.period

    def words(self) -> str:
        """'base 85,000 EUR, total 90,000 EUR' or 'base 95,000 EUR (bonus and equity not known)'."""
        if self.base is None:
            return "pay not known"
        text = f"base {money(self.base, self.currency, self.period)}"
        if self.total is not None and self.total != self.base:
            text += f", total {money(self.total, self.currency, self.period)}"
        elif self.unknown and self.source == COMPETING:
            text += f" ({_and(self.unknown)} not known)"
        return text


@lru_cache(maxsize=4096)
def _band_pay(job: JobFact) -> Pay | None:
    # Once per job, not once per application: a search has dozens of candidates.
    midpoint = job.band_midpoint
    if midpoint is None:
        return None
    return Pay(midpoint, None, job.currency, job.period, BAND, ("bonus", "equity"))


@dataclass(slots=True)  # not frozen: built per application, see situation.build HOT_PATH
class PayComparison:
    """One competing pay against ours, like with like; `measure` is "base" or "total".

    `gap` is theirs minus ours in the measure (positive: they pay more), `fraction` the same as a
    share of ours. When nothing could be compared, `measure` is empty and `why_not` says why.
    """

    measure: str
    theirs: Decimal | None
    ours: Decimal | None
    currency: str
    period: str
    gap: Decimal | None = None
    fraction: float = 0.0
    base_gap: Decimal | None = None
    unknown: tuple[str, ...] = ()  # their components not known, when that left the total out
    ours_source: str = OFFER
    why_not: str = ""

    @property
    def compared(self) -> bool:
        return bool(self.measure)

    @property
    def pays_more(self) -> bool:
        return self.gap is not None and self.gap > 0

    def sentence(self) -> str:
        """'pays 13,500 EUR more base than ours (their bonus and equity are not known)'."""
        if not self.compared:
            return self.why_not
        ours = "ours" if self.ours_source == OFFER else "the middle of the job's band"
        assert self.gap is not None
        measure = "base" if self.measure == BASE else "in total"
        if self.gap > 0:
            text = f"pays {money(self.gap, self.currency, self.period)} more {measure} than {ours}"
        elif self.gap < 0:
            text = f"pays {money(-self.gap, self.currency, self.period)} less {measure} than {ours}"
        else:
            text = f"pays the same {measure} as {ours}"
        if self.measure == TOTAL and self.base_gap is not None and self.base_gap > 0 and self.gap <= 0:
            text += f", though {money(self.base_gap, self.currency, self.period)} more base"
        if self.unknown:
            text += f" (their {_and(self.unknown)} {'is' if len(self.unknown) == 1 else 'are'} not known)"
        return text


def compare(ours: Pay | None, theirs: Pay, *, name: str) -> PayComparison:
    """`theirs` against `ours`: total with total when both are known, else base with base."""
    currency, period = theirs.currency, theirs.period
    if theirs.base is None:
        return PayComparison("", None, None, currency, period,
                             why_not=f"what {name} pays is not known — ask the candidate")
    if ours is None or ours.base is None or not ours.base:
        return PayComparison("", theirs.base, None, currency, period,
                             why_not=f"no offer and no pay band on the job: {name} cannot be compared")
    if not theirs.same_basis(ours):
        return PayComparison("", theirs.base, ours.base, currency, period, ours_source=ours.source,
                             why_not=f"{name} is in {currency} per {period}, ours in {ours.currency} per "
                                     f"{ours.period}: not compared without a stated rate")
    base_gap = theirs.base - ours.base
    unknown: tuple[str, ...]
    if ours.total is not None and theirs.total is not None and ours.source == OFFER:
        measure, their_amount, our_amount, unknown = TOTAL, theirs.total, ours.total, ()
    else:
        measure, their_amount, our_amount = BASE, theirs.base, ours.base
        # Worth saying only when the totals would have told more: we pay more than a base.
        unknown = theirs.unknown if ours.source == OFFER and ours.extras > 0 else ()
    gap = their_amount - our_amount
    return PayComparison(measure, their_amount, our_amount, currency, period, gap=gap,
                         fraction=float(their_amount) / float(our_amount) - 1.0, base_gap=base_gap,
                         unknown=unknown, ours_source=ours.source)


@dataclass(frozen=True, slots=True)
class AgainstBand:
    """An amount against the top of the job's pay band: how far above it, when comparable."""

    comparable: bool  # the band has a top, in the same currency and period
    excess: Decimal = Decimal(0)  # above the top; 0 when within
    why_not: str = ""


def against_band(amount: Decimal, currency: str, period: str, job: JobFact) -> AgainstBand:
    if job.base_max is None:
        return AgainstBand(False, why_not="the job has no top of its pay band recorded")
    if job.currency != currency or job.period != period:
        return AgainstBand(False, why_not=f"the job's band is in {job.currency} per {job.period}, the amount in "
                                          f"{currency} per {period}: not compared without a stated rate")
    return AgainstBand(True, max(Decimal(0), amount - job.base_max))


@dataclass(slots=True)  # not frozen: built per application, see situation.build HOT_PATH
class Shortfall:
    """Our base against one of the candidate's amounts (minimum or target), same currency and period."""

    wanted: Decimal
    ours: Decimal
    currency: str
    period: str

    @property
    def gap(self) -> Decimal:
        return self.wanted - self.ours

    @property
    def fraction(self) -> float:
        return 1.0 - float(self.ours) / float(self.wanted) if self.wanted else 0.0


def shortfall(ours: Pay | None, wanted: Decimal | None, priorities: PrioritiesFact | None) -> Shortfall | None:
    """Our base against the candidate's `wanted` base; None when either is missing or not comparable."""
    if ours is None or ours.base is None or wanted is None or priorities is None or not ours.same_basis(priorities):
        return None
    return Shortfall(wanted, ours.base, ours.currency, ours.period)


@dataclass(frozen=True, slots=True)
class Band:
    """A confidential offer's pay as a redacted situation knows it: a base band (None, None when no band
    can be shown), and whether the full situation found it paying more than ours. A band is placed on
    the true side of our base, so "above our offer" or "below our offer" never narrows it."""

    low: Decimal | None
    high: Decimal | None
    pays_more: bool
    compared: bool = True  # same currency and period as ours: its position may be said

    @property
    def shown(self) -> tuple[Decimal, Decimal] | None:
        """(low, high) when the band can be shown, else None."""
        if self.low is None or self.high is None:
            return None
        return self.low, self.high


@dataclass(frozen=True, slots=True)
class Need:
    """One floor under the ask: what it is and the figure it comes from."""

    driver: str  # competing_base, competing_total, competing_band, minimum
    amount: Decimal  # the floor, before rounding
    figure: Decimal  # what it was computed from (their base or total, the band's top, the minimum)
    label: str = ""  # whose offer, for the competing drivers ("Acme's counteroffer")


@dataclass(frozen=True, slots=True)
class BaseAsk:
    """The base to ask the hiring manager for: the highest floor, rounded up; `driver` is that floor."""

    amount: Decimal
    currency: str
    period: str
    ours: Decimal
    ours_source: str
    driver: Need
    needs: tuple[Need, ...]

    def because(self) -> str:
        """Why this amount, naming what drove it: 'Acme's counteroffer pays a base of 92,000 EUR'."""
        need = self.driver
        figure = money(need.figure, self.currency, self.period)
        margin = f"{format_amount(MARGIN_PERCENT)} %"
        if need.driver == "competing_base":
            return f"{need.label} pays a base of {figure} (beaten by {margin})"
        if need.driver == "competing_total":
            return f"{need.label} pays {figure} in total (beaten by {margin}, keeping our bonus and equity)"
        if need.driver == "competing_band":
            return f"{need.label} pays a base of up to {figure}"
        return f"the candidate's minimum is {figure}"


def base_ask(ours: Pay | None, rivals: Iterable[tuple[str, Pay | Band]], minimum: Shortfall | None) -> BaseAsk | None:
    """The base to ask for, or None when our base already covers every floor.

    `rivals`: (whose offer, its Pay or its Band) for every competing offer comparable with ours.
    A floor is each rival's base plus the margin, the total a rival pays plus the margin less our bonus
    and equity (when both totals are known), the top of a band, and the candidate's minimum. An ask
    is made when a rival pays more than ours or our base is below the minimum.
    """
    if ours is None or ours.base is None:
        return None
    needs: list[Need] = []
    beaten = False
    for label, pay in rivals:
        if isinstance(pay, Band):
            if pay.high is not None:
                needs.append(Need("competing_band", pay.high, pay.high, label))
            beaten = beaten or pay.pays_more
            continue
        comparison = compare(ours, pay, name=label)
        if not comparison.compared or pay.base is None:
            continue
        beaten = beaten or comparison.pays_more
        needs.append(Need("competing_base", pay.base * PAY_MARGIN, pay.base, label))
        if comparison.measure == TOTAL and pay.total is not None:
            needs.append(Need("competing_total", pay.total * PAY_MARGIN - ours.extras, pay.total, label))
    if minimum is not None:
        needs.append(Need("minimum", minimum.wanted, minimum.wanted))
        beaten = beaten or minimum.gap > 0
    if not beaten or not needs:
        return None
    driver = max(needs, key=lambda need: need.amount)
    amount = round_up(driver.amount, ours.period)
    if amount <= ours.base:
        return None
    return BaseAsk(amount, ours.currency, ours.period, ours.base, ours.source, driver, tuple(needs))
