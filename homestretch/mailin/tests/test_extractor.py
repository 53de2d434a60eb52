"""The extractor on the labelled set (labelled.py): precision at least 0.9 and recall at least 0.8 on
company, amount with currency, and deadline; and the rules one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from homestretch.mailin.extract import extract, find_money, resolve_day
from homestretch.mailin.scoring import score

from .labelled import CURRENT_EMPLOYER, HELD_OUT, LABELLED, OUR_COMPANIES, SAID_AT


def test_the_labelled_set_is_large_enough():
    assert len(LABELLED) >= 80
    assert sum(1 for message in LABELLED if not message.rivals) >= 15  # false friends and nothing at all


@pytest.mark.parametrize("field", ["company", "amount", "deadline"])
@pytest.mark.parametrize("labelled", [LABELLED, HELD_OUT], ids=["tuned-on", "held-out"])
def test_precision_and_recall_on_the_labelled_set(field, labelled):
    result = score(labelled, said_at=SAID_AT, current_employer=CURRENT_EMPLOYER, our_companies=OUR_COMPANIES)[field]
    assert result.precision >= 0.9, f"{field}: precision {result.precision:.2f}"
    assert result.recall >= 0.8, f"{field}: recall {result.recall:.2f}"


@pytest.mark.parametrize(("text", "amount", "currency", "period"), [
    ("95k EUR", "95000", "EUR", "year"),
    ("€95,000 a year", "95000", "EUR", "year"),
    ("USD 120k", "120000", "USD", "year"),
    ("£550 a day", "550", "GBP", "day"),
    ("4.800 EUR per month", "4800", "EUR", "month"),
    ("1,250.50 CHF a month", "1250.50", "CHF", "month"),
    ("CHF 85/h", "85", "CHF", "hour"),
    ("98.000 €", "98000", "EUR", "year"),
])
def test_amounts_with_their_currency_and_period(text, amount, currency, period):
    [money] = find_money(f"They offered {text}.")
    assert (money.amount, money.currency, money.period) == (Decimal(amount), currency, period)


@pytest.mark.parametrize("text", ["in 2026", "30 days of holiday", "a 10% bonus", "3 rounds", "5 years"])
def test_numbers_that_are_not_pay(text):
    assert find_money(text) == []


@pytest.mark.parametrize(("phrase", "day"), [
    ("Friday", date(2026, 11, 20)), ("next Monday", date(2026, 11, 23)), ("4 December", date(2026, 12, 4)),
    ("December 3rd", date(2026, 12, 3)), ("the 1st", date(2026, 12, 1)), ("end of the month", date(2026, 11, 30)),
    ("tomorrow", date(2026, 11, 20)), ("end of the week", date(2026, 11, 20)),
])
def test_days_in_words_resolve_against_the_message_date(phrase, day):
    assert resolve_day(phrase, SAID_AT) == day


def test_the_answer_about_the_competition():
    at = datetime(2026, 11, 19, tzinfo=UTC)
    assert extract("No other processes right now.", said_at=at).answer == "none"
    assert extract("I'd prefer not to share that.", said_at=at).answer == "declined_to_say"
    assert extract("Hooli offered 100k USD.", said_at=at).answer == "disclosed"
    assert extract("Are you interviewing anywhere else? Any other offers?", said_at=at).asked


def test_notice_period_and_start_date():
    found = extract("My notice period is 3 months, so I could start on 1 March.", said_at=SAID_AT)
    assert (found.notice_days, found.start_date) == (90, date(2027, 3, 1))
    assert extract("I have four weeks' notice.", said_at=SAID_AT).notice_days == 28


def test_our_own_client_is_never_a_competitor():
    found = extract("Acme Cloud made me an offer of 90k EUR!", said_at=SAID_AT, our_companies=("Acme Cloud",))
    assert found.competing == ()
