"""Confidential names are found whatever their spelling; confidential pay becomes a band that does not pin it."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from homestretch.situation.names import mentions, replace_names
from homestretch.situation.redact import BAND_STEP, pay_band


def test_a_name_is_found_whatever_its_case_accents_and_punctuation():
    assert mentions("Pay at least matching ZALANDO", "Zalando")
    assert mentions("the muller-ludenscheid offer", "Müller Lüdenscheid")
    assert mentions("Müller  Lüdenscheid's deadline", "muller-ludenscheid")
    assert not mentions("Acmeworks pays well", "Acme")
    assert not mentions("nothing here", "")


def test_replacing_keeps_the_rest_of_the_text_and_says_what_it_replaced():
    text, replaced = replace_names("Must match zalando's pay; Zalándo SE is slow.",
                                   {"Zalando": "confidential company A"}, where="must-haves")
    assert text == "Must match confidential company A's pay; confidential company A SE is slow."
    assert [(r.found, r.replaced_by) for r in replaced] == [("zalando", "confidential company A"),
                                                            ("Zalándo", "confidential company A")]


amounts = st.integers(min_value=20_000, max_value=400_000).map(Decimal)


@given(base=amounts, bonus=st.none() | st.integers(min_value=0, max_value=60_000).map(Decimal))
def test_a_band_is_wide_round_holds_the_pay_and_keeps_clear_of_every_figure(base, bonus):
    secrets = [] if bonus is None else [bonus, base + bonus]
    band = pay_band(base, "year", secrets)
    assert band is not None
    low, high = band
    assert low <= base < high
    assert high - low >= Decimal("0.10") * high
    assert low % BAND_STEP["year"] == 0 and high % BAND_STEP["year"] == 0
    for end in (low, high):
        for value in [base, *secrets]:
            if value and end:
                assert abs(end - value) > Decimal("0.02") * value


@given(base=amounts, ours=amounts, others=st.lists(amounts, max_size=4))
def test_a_band_kept_on_one_side_of_our_base_lies_wholly_there(base, ours, others):
    # As redact places the band of an offer compared with ours: on the side of our base where its base is.
    above = base > ours
    band = pay_band(base, "year", others, not_below=ours if above else None, not_above=None if above else ours)
    if band is None:
        return  # only the side is said
    low, high = band
    assert low >= ours if above else high <= ours
    assert low <= base < high
    assert high - low >= Decimal("0.10") * high
    assert low % BAND_STEP["year"] == 0 and high % BAND_STEP["year"] == 0
    for end in (low, high):
        for value in [base, *others]:
            if end:
                assert abs(end - value) > Decimal("0.02") * value


def test_no_band_fits_between_our_base_and_a_base_just_above_it():
    # 47,500 above our 47,000: a band at or above 47,000 holding 47,500 would start on the 5,000 grid
    # between the two, and there is no multiple of 5,000 there.
    assert pay_band(Decimal(47500), "year", not_below=Decimal(47000)) is None
    # 81,234 not above our 100,000: width max(10,000, 81,234 x 0.11 = 8,935.74 up to 5,000) = 10,000;
    # 75,000-85,000 (middle 80,000, 1,234 off) is more central than 80,000-90,000 (3,766 off), its ends
    # 6,234 and 3,766 from 81,234 (2.5 % is 2,030.85), and at or below 100,000.
    assert pay_band(Decimal(81234), "year", not_above=Decimal(100000)) == (Decimal(75000), Decimal(85000))


def test_a_minimum_set_from_a_confidential_counteroffer_is_left_out_and_the_recruiter_told():
    from homestretch.briefs.tests.factories import NOW, competing, facts, priorities
    from homestretch.situation.build import build_situation
    from homestretch.situation.redact import redact

    # The candidate's minimum is their counteroffer's base, told in confidence: sharing one shares the other.
    application = facts(competing=(competing("Initech", kind="counteroffer", base=Decimal(92000), bonus=None,
                                             confidential=True),),
                        priorities=priorities(base_min=Decimal(92000), base_target=Decimal(99000)))
    shared = redact(build_situation(application, NOW))
    assert shared.situation.facts.priorities.base_min is None
    assert shared.situation.facts.priorities.base_target == Decimal(99000)  # 7.6 % away: kept
    assert [(item.where, item.found) for item in shared.replaced] == [("minimum base", "92,000 EUR")]
    assert shared.situation.minimum is None


def test_one_company_named_in_confidence_twice_keeps_one_label_everywhere():
    from homestretch.briefs.tests.factories import NOW, competing, facts, priorities
    from homestretch.situation.build import build_situation
    from homestretch.situation.redact import redact

    # Hooli first as a process, then its offer; Initech after them: A, A, B, and the must-haves say A.
    application = facts(competing=(competing("Hooli", stage="interviewing", confidential=True),
                                   competing("Hooli", confidential=True),
                                   competing("Initech", confidential=True)),
                        priorities=priorities())
    shared = redact(build_situation(application, NOW), must_haves="Better than hooli")
    assert [c.label for c in shared.situation.competitors] == [
        "confidential company A", "confidential company A", "confidential company B"]
    assert shared.must_haves == "Better than confidential company A"


def test_a_company_named_in_confidence_stays_confidential_in_a_record_that_names_it_openly():
    from homestretch.briefs.tests.factories import NOW, competing, facts, priorities
    from homestretch.situation.build import build_situation
    from homestretch.situation.redact import in_confidence, redact

    # One team was told of Globex in confidence; another recorded it openly, spelt its own way, with the
    # same pay. A client reads neither name nor pay; Initech, open and unrelated, stays named.
    application = facts(competing=(competing("Globex", base=Decimal(123457), confidential=True),
                                   competing("GLOBEX GmbH", base=Decimal(123457), confidential=False),
                                   competing("Initech", base=Decimal(80000), confidential=False)),
                        priorities=priorities())
    assert in_confidence(application) == (True, True, False)
    shared = redact(build_situation(application, NOW), must_haves="More than Globex GmbH")
    assert [c.label for c in shared.situation.competitors] == [
        "confidential company A", "confidential company A", "Initech"]
    assert [fact.base for fact in shared.situation.facts.competing] == [None, None, Decimal(80000)]
    assert "Globex" not in shared.must_haves
