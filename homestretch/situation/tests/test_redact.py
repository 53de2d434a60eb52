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
