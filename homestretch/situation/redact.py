"""What a client may see: a Situation built from redacted facts, never a full one filtered at the end.

A competitor the candidate named in confidence becomes a label ("confidential company A")
and its pay a band: at least 10 % wide, its ends multiples of 5,000 a year (500 a month, 50 a day,
5 an hour), the real figures well inside it, and wholly on the side of our base where the offer
really is (above it when it pays more), so that saying "above our offer" narrows nothing; when no
band fits there, only the side is said. Everything derived (whether it pays more than ours,
the base to ask for) is then computed from the band, so no sentence can narrow it further. The
redacted facts carry neither the name nor any amount of a confidential offer. A company named in
confidence in one record is confidential in every record of it (`in_confidence`): another team's
open record of it cannot undo the confidence.

Free text that is shared (the candidate's must-haves) has every confidential name replaced,
whatever its case, accents or punctuation; a minimum or target within KEEP_CLEAR of a confidential
figure is left out (the candidate often sets one from the other). Both are reported to the recruiter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from homestretch.lib.money import Period

from .build import Situation, build_situation
from .facts import ApplicationFacts, CompetingFact
from .names import Replacement, mentions, replace_names
from .pay import Band, money

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


def in_confidence(facts: ApplicationFacts) -> tuple[bool, ...]:
    """For each competing fact, whether it is kept from a client: told in confidence, or naming a company
    some record names in confidence (as a whole word, either way: "Globex" and "GLOBEX GmbH").

    Confidentiality is the company's, not one record's: when another team (or a later call) records the
    same company openly, a client still never reads the name or the pay the candidate told in confidence.
    """
    secret = [fact.company for fact in facts.competing if fact.confidential]
    return tuple(fact.confidential or named_in_confidence(fact.company, secret) for fact in facts.competing)


def _same_company(company: str, secret: str) -> bool:
    return mentions(company, secret) or mentions(secret, company)


def named_in_confidence(company: str, secret_names: Iterable[str]) -> bool:
    """Whether `company` is one of the companies a candidate named in confidence (`in_confidence`'s rule,
    for a name recorded elsewhere: the company whose offer won, in the insights)."""
    return any(_same_company(company, name) for name in secret_names)


def confidential_labels(facts: ApplicationFacts) -> dict[str, str]:
    """Each company named in confidence (in_confidence) -> its label, A, B ... in the order first learned;
    one company (an interview, then its offer; two spellings of it) keeps one label wherever it is named."""
    labels: dict[str, str] = {}
    count = 0
    for fact, secret in zip(facts.competing, in_confidence(facts), strict=True):
        if not secret or fact.company in labels:
            continue
        same = next((labels[name] for name in labels if _same_company(fact.company, name)), None)
        if same is None:
            same, count = label_for(count), count + 1
        labels[fact.company] = same
    return labels


def pay_band(
    amount: Decimal, period: str, secrets: Iterable[Decimal] = (), *, not_below: Decimal | None = None,
    not_above: Decimal | None = None,
) -> tuple[Decimal, Decimal] | None:
    """A band around `amount`: ends on the period's step, at least MIN_WIDTH of its top wide, and no end
    within KEEP_CLEAR of `amount` or of any of `secrets` (every confidential figure of the application).
    `not_below` / `not_above` keep the whole band on one side of a figure (our base), so that saying on
    which side the pay lies tells nothing the band does not.

    Widths grow by one step at a time from about a ninth of the amount, and for each width every
    placement on the step's grid that holds the amount is tried, most central first. None when the
    amount is not positive or no band fits.
    """
    if amount <= 0:
        return None
    step = BAND_STEP.get(period, Decimal(1))
    avoid = [value for value in (amount, *secrets) if value and value > 0]
    # The narrowest width that can be MIN_WIDTH of a top near the amount; widened step by step below.
    width = max(step * 2, (amount * Decimal("0.11") / step).to_integral_value(rounding=ROUND_CEILING) * step)
    for _ in range(40):
        lowest = ((amount - width) / step).to_integral_value(rounding=ROUND_FLOOR) * step + step
        placements = []
        low = lowest
        while low <= amount:
            high = low + width
            fits_side = (not_below is None or low >= not_below) and (not_above is None or high <= not_above)
            if amount < high and width >= MIN_WIDTH * high and fits_side:
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


def redacted_facts(facts: ApplicationFacts, sides: dict[int, tuple[bool, Decimal]] | None = None) -> tuple[
        ApplicationFacts, dict[int, str], dict[int, Band]]:
    """`facts` with every confidential competitor's name and pay taken out; the labels and bands by index.

    `sides`: for the confidential offers compared with ours (by index), whether the full situation
    found them paying more, and our base; their band is kept on that side of our base, or left out
    (only the side is said) when no band fits there."""
    sides = sides or {}
    names = confidential_labels(facts)
    kept = in_confidence(facts)
    labels: dict[int, str] = {}
    bands: dict[int, Band] = {}
    competing: list[CompetingFact] = []
    secrets = [value for fact, secret in zip(facts.competing, kept, strict=True) if secret
               for value in (fact.base, fact.bonus, fact.equity, fact.total) if value]
    for index, fact in enumerate(facts.competing):
        if not kept[index]:
            competing.append(fact)
            continue
        label = names[fact.company]
        labels[index] = label
        side = sides.get(index)
        if fact.base is not None:
            pays_more, ours = side if side is not None else (False, None)
            band = pay_band(fact.base, fact.period, secrets,
                            not_below=ours if pays_more else None,
                            not_above=ours if side is not None and not pays_more else None)
            if band is not None:
                bands[index] = Band(band[0], band[1], pays_more, compared=side is not None)
            elif side is not None:
                bands[index] = Band(None, None, pays_more)
        competing.append(dataclasses.replace(
            fact, company=label, base=None, bonus=None, equity=None, remote_days=None, competing_id=None,
            confidential=True))
    return dataclasses.replace(facts, competing=tuple(competing)), labels, bands


def redact(situation: Situation, *, must_haves: str = "") -> Redacted:
    """The situation as a client may see it, built anew from redacted facts, and `must_haves` cleaned."""
    facts = situation.facts
    names = confidential_labels(facts)
    index_of = {id(fact): index for index, fact in enumerate(facts.competing)}
    # The client sees bases only: the side is their base against ours.
    ours = situation.ours.base if situation.ours is not None else None
    sides = {index_of[id(competitor.fact)]: (competitor.comparison.base_gap > 0, ours)
             for competitor in situation.competitors
             if ours is not None and competitor.comparison is not None and competitor.comparison.compared
             and competitor.comparison.base_gap is not None}
    clean, labels, bands = redacted_facts(facts, sides)
    clean, withheld = _priorities_clear_of_secrets(clean, facts)
    shared = build_situation(clean, situation.now, labels=labels, bands=bands, redacted=True)
    # The best competitor stays the one the full situation found: a band cannot rank offers.
    if situation.best is not None:
        index = situation.competitors.index(situation.best)
        shared = dataclasses.replace(shared, best=shared.competitors[index])
    text, replaced = replace_names(must_haves, names, where="must-haves")
    return Redacted(shared, text, withheld + replaced)


def _priorities_clear_of_secrets(
    clean: ApplicationFacts, facts: ApplicationFacts,
) -> tuple[ApplicationFacts, tuple[Replacement, ...]]:
    """The candidate's minimum or target left out when it is within KEEP_CLEAR of a confidential figure.

    A minimum of 137,500 beside a counteroffer told in confidence at 137,500 is the counteroffer's pay:
    the candidate often sets one from the other. The recruiter is told what was left out."""
    priorities = clean.priorities
    if priorities is None:
        return clean, ()
    secrets = [value for fact, secret in zip(facts.competing, in_confidence(facts), strict=True) if secret
               for value in (fact.base, fact.bonus, fact.equity, fact.total) if value]
    withheld: list[Replacement] = []

    def clear(amount: Decimal | None, label: str) -> Decimal | None:
        """The amount, or None (and a note for the recruiter) when it is too close to a secret."""
        if amount is not None and any(abs(amount - secret) <= KEEP_CLEAR * secret for secret in secrets):
            withheld.append(Replacement(label, money(amount, priorities.currency, priorities.period),
                                        "left out: it is within 2.5 % of pay told in confidence"))
            return None
        return amount

    base_min = clear(priorities.base_min, "minimum base")
    base_target = clear(priorities.base_target, "target base")
    if not withheld:
        return clean, ()
    cleared = dataclasses.replace(priorities, base_min=base_min, base_target=base_target)
    return dataclasses.replace(clean, priorities=cleared), tuple(withheld)
