"""What a client may see: a Situation built from redacted facts, never a full one filtered at the end.

A competitor the candidate named in confidence becomes a label ("confidential company A")
and its pay a band: at least 10 % wide, its ends multiples of 5,000 a year (500 a month, 50 a day,
5 an hour), the real figures well inside it. Everything derived (whether it pays more than ours,
the base to ask for) is then computed from the band, so no sentence can narrow it further. The
redacted facts carry neither the name nor any amount of a confidential offer.

Free text that is shared (the candidate's must-haves) goes through `redact_text`, which replaces
every confidential name whatever its case, accents or punctuation, and reports what it replaced.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from homestretch.lib.money import Period

from .build import Situation, build_situation
from .facts import ApplicationFacts, CompetingFact
from .names import Replacement, replace_names
from .pay import Band

# Band ends are multiples of this step, by pay period.
BAND_STEP: dict[str, Decimal] = {
    Period.YEAR: Decimal(5000),
    Period.MONTH: Decimal(500),
    Period.DAY: Decimal(50),
    Period.HOUR: Decimal(5),
}
# No end of a band comes within this share of a confidential amount.
KEEP_CLEAR = Decimal("0.025")
MIN_WIDTH = Decimal("0.10")  # of the band's top


def label_for(index: int) -> str:
    return f"confidential company {chr(ord('A') + index % 26)}"


def pay_band(amount: Decimal, period: str, secrets: Iterable[Decimal] = ()) -> tuple[Decimal, Decimal] | None:
    """A band around `amount`: ends on the period's step, at least MIN_WIDTH of its top wide, and no end
    within KEEP_CLEAR of `amount` or of any of `secrets` (the offer's other confidential figures).

    Widths grow by one step at a time from about a fifth of the amount, and for each width every
    placement on the step's grid that holds the amount is tried, most central first. None when the
    amount is not positive.
    """
    if amount <= 0:
        return None
    step = BAND_STEP.get(period, Decimal(1))
    avoid = [value for value in (amount, *secrets) if value and value > 0]
    width = max(step * 2, (amount / 5 / step).to_integral_value(rounding=ROUND_FLOOR) * step)
    for _ in range(40):
        lowest = ((amount - width) / step).to_integral_value(rounding=ROUND_FLOOR) * step + step
        placements = []
        low = lowest
        while low <= amount:
            high = low + width
            if amount < high and width >= MIN_WIDTH * high:
                placements.append((abs((low + high) / 2 - amount), low, high))
            low += step
        for _, low, high in sorted(placements):
            if all(abs(end - value) > KEEP_CLEAR * value for end in (low, high) for value in avoid if end > 0):
                return max(low, Decimal(0)), high
        width += step
    return None


@dataclass(frozen=True, slots=True)
class Redacted:
    situation: Situation
    must_haves: str
    replaced: tuple[Replacement, ...]  # what was replaced in free text, for the recruiter's eyes only


def redacted_facts(facts: ApplicationFacts, paying_more: frozenset[int] = frozenset()) -> tuple[
        ApplicationFacts, dict[int, str], dict[int, Band]]:
    """`facts` with every confidential competitor's name and pay taken out; the labels and bands by index.
    `paying_more`: the indexes the full situation found paying more than ours."""
    labels: dict[int, str] = {}
    bands: dict[int, Band] = {}
    competing: list[CompetingFact] = []
    for index, fact in enumerate(facts.competing):
        if not fact.confidential:
            competing.append(fact)
            continue
        label = label_for(len(labels))
        labels[index] = label
        if fact.base is not None:
            secrets = [value for value in (fact.bonus, fact.equity, fact.total) if value is not None]
            band = pay_band(fact.base, fact.period, secrets)
            if band is not None:
                bands[index] = Band(band[0], band[1], index in paying_more)
        competing.append(dataclasses.replace(
            fact, company=label, base=None, bonus=None, equity=None, remote_days=None, competing_id=None))
    return dataclasses.replace(facts, competing=tuple(competing)), labels, bands


def redact(situation: Situation, *, must_haves: str = "") -> Redacted:
    """The situation as a client may see it, built anew from redacted facts, and `must_haves` cleaned."""
    facts = situation.facts
    names = {fact.company: label_for(position) for position, fact in
             enumerate(fact for fact in facts.competing if fact.confidential)}
    index_of = {id(fact): index for index, fact in enumerate(facts.competing)}
    paying_more = frozenset(index_of[id(competitor.fact)] for competitor in situation.competitors
                            if competitor.comparison is not None and competitor.comparison.pays_more)
    clean, labels, bands = redacted_facts(facts, paying_more)
    shared = build_situation(clean, situation.now, labels=labels, bands=bands, redacted=True)
    # The best competitor stays the one the full situation found: a band cannot rank offers.
    if situation.best is not None:
        index = situation.competitors.index(situation.best)
        shared = dataclasses.replace(shared, best=shared.competitors[index])
    text, replaced = replace_names(must_haves, names, where="must-haves")
    return Redacted(shared, text, replaced)
