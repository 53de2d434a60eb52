"""Pay compared like with like, and the one base ask."""

from __future__ import annotations

from decimal import Decimal

from homestretch.situation.facts import PrioritiesFact
from homestretch.situation.pay import Band, Pay, base_ask, compare, shortfall

D = Decimal


def ours(base, total=None, currency="EUR", period="year") -> Pay:
    return Pay(D(base), D(total if total is not None else base), currency, period, "offer")


def theirs(base, bonus=None, equity=None, currency="EUR", period="year") -> Pay:
    total = D(base) + D(bonus) + D(equity) if bonus is not None and equity is not None else None
    unknown = tuple(name for name, value in (("bonus", bonus), ("equity", equity)) if value is None)
    return Pay(D(base), total, currency, period, "competing", unknown)


def priorities(base_min=None, base_target=None, currency="EUR") -> PrioritiesFact:
    return PrioritiesFact(base_min=base_min and D(base_min), base_target=base_target and D(base_target),
                          currency=currency, period="year", remote_preference="any", remote_days=None,
                          notice_days=None, earliest_start=None)


def test_a_base_told_alone_is_compared_with_our_base_not_our_total():
    # Seen in issue 13: 95,000 base only against ours of 81,500 + 14,500 equity.
    comparison = compare(ours(81500, 96000), theirs(95000), name="Zalando's offer")
    assert (comparison.measure, comparison.gap) == ("base", D(13500))
    assert comparison.sentence() == (
        "pays 13,500 EUR more base than ours (their bonus and equity are not known)")


def test_totals_are_compared_when_both_are_known():
    comparison = compare(ours(85000, 90000), theirs(88000, bonus=0, equity=0), name="Acme's offer")
    assert (comparison.measure, comparison.gap) == ("total", D(-2000))
    assert comparison.sentence() == "pays 2,000 EUR less in total than ours, though 3,000 EUR more base"


def test_other_currencies_and_periods_are_never_compared():
    assert compare(ours(85000), theirs(120000, currency="USD"), name="X's offer").why_not == (
        "X's offer is in USD per year, ours in EUR per year: not compared without a stated rate")
    assert not compare(ours(85000), theirs(8000, period="month"), name="X's offer").compared


def test_the_ask_is_never_below_a_counteroffers_base():
    # Seen in issue 13: a counteroffer of 92,000 + 8,000 bonus asked for "at least 89,000".
    ask = base_ask(ours(80000, 84000), [("Initech's counteroffer", theirs(92000, bonus=8000))], None)
    assert ask is not None
    assert ask.amount == D(95000)  # 92,000 x 1.03 = 94,760 -> 95,000
    assert ask.because() == "Initech's counteroffer pays a base of 92,000 EUR (beaten by 3 %)"


def test_the_ask_beats_a_known_total_keeping_our_bonus():
    # Ours 80,000 + 5,000; theirs 95,000 all told: 95,000 x 1.03 - 5,000 = 92,850 -> 93,000.
    ask = base_ask(ours(80000, 85000), [("Acme's offer", theirs(95000, bonus=0, equity=0))], None)
    assert ask is not None
    # Their base alone needs 97,850 -> 98,000, the higher floor.
    assert (ask.amount, ask.driver.driver) == (D(98000), "competing_base")


def test_the_minimum_drives_the_ask_when_it_is_higher_and_says_so():
    minimum = shortfall(ours(76000), D(80500), priorities(base_min=80500))
    ask = base_ask(ours(76000), [], minimum)
    assert ask is not None
    assert (ask.amount, ask.because()) == (D(81000), "the candidate's minimum is 80,500 EUR")


def test_no_ask_when_ours_pays_more_and_the_minimum_is_met():
    minimum = shortfall(ours(95000), D(90000), priorities(base_min=90000))
    assert base_ask(ours(95000), [("Acme's offer", theirs(90000))], minimum) is None


def test_a_band_asks_for_its_top_when_the_offer_pays_more():
    label = "the offer of confidential company A"
    assert base_ask(ours(90000), [(label, Band(D(90000), D(110000), pays_more=False))], None) is None
    ask = base_ask(ours(95000), [(label, Band(D(90000), D(110000), pays_more=True))], None)
    assert ask is not None
    assert (ask.amount, ask.because()) == (D(110000), "the offer of confidential company A pays a base of up to "
                                                      "110,000 EUR")
