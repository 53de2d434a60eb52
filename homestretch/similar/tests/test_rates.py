"""Pay seen in another currency is converted only at a stated, dated rate from the admin's table (issue 22)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homestretch.offers.models import CompetingOffer
from homestretch.similar.models import ExchangeRate
from homestretch.similar.rates import MAX_RATE_AGE_DAYS, StatedRate, conversion
from homestretch.similar.services import similar_jobs

from .builders import make_application, make_job, make_offer
from .conftest import OPENED

CLOSED_ON = date(2026, 6, 1)


def test_no_conversion_without_a_dated_rate_for_the_pair():
    usd_eur = StatedRate("USD", "EUR", Decimal("0.92"), date(2026, 5, 1), "ECB reference rate")
    gbp_eur = StatedRate("GBP", "EUR", Decimal("1.17"), date(2026, 5, 1))
    # No row for the pair at all.
    rate, why = conversion([gbp_eur], "USD", "EUR", CLOSED_ON)
    assert rate is None and why == "no USD→EUR rate in the rate table dated between 2025-05-31 and 2026-06-01"
    # A row dated after the pay was seen does not apply to it; nor does one older than a year.
    assert conversion([StatedRate("USD", "EUR", Decimal("0.9"), date(2026, 6, 2))], "USD", "EUR", CLOSED_ON)[0] is None
    too_old = StatedRate("USD", "EUR", Decimal("0.9"), CLOSED_ON - timedelta(days=MAX_RATE_AGE_DAYS + 1))
    assert conversion([too_old], "USD", "EUR", CLOSED_ON)[0] is None
    # Undated pay: no rate can apply.
    assert conversion([usd_eur], "USD", "EUR", None) == (
        None, "the day this pay was seen is not known, so no USD→EUR rate applies")
    # The newest rate on or before the day.
    older = StatedRate("USD", "EUR", Decimal("0.95"), date(2026, 1, 2))
    rate, why = conversion([older, usd_eur], "USD", "EUR", CLOSED_ON)
    assert why == "" and rate is not None and rate.rate == Decimal("0.92")
    assert rate.convert(Decimal("100000")) == Decimal("92000.00")
    assert rate.stated == "1 USD = 0.92 EUR (rate of 2026-05-01, ECB reference rate)"


def test_the_opposite_pair_is_a_stated_rate_too_inverted():
    eur_usd = StatedRate("EUR", "USD", Decimal("1.25"), date(2026, 5, 1))
    rate, _ = conversion([eur_usd], "USD", "EUR", CLOSED_ON)
    assert rate is not None and rate.inverse and rate.rate == Decimal("0.8")
    assert rate.stated == "1 EUR = 1.25 USD (rate of 2026-05-01)"


def test_the_table_refuses_a_rate_of_one_currency_a_zero_rate_and_two_rates_a_day(db):
    with pytest.raises(ValidationError, match="choose two different ones"):
        ExchangeRate(from_currency="EUR", to_currency="EUR", rate=1, valid_from=CLOSED_ON).full_clean()
    with pytest.raises(ValidationError, match="A rate is a positive number"):
        ExchangeRate(from_currency="USD", to_currency="EUR", rate=0, valid_from=CLOSED_ON).full_clean()
    ExchangeRate.objects.create(from_currency="USD", to_currency="EUR", rate=Decimal("0.9"), valid_from=CLOSED_ON)
    with pytest.raises(ValidationError, match="already a rate for these currencies from this day"):
        ExchangeRate(from_currency="USD", to_currency="EUR", rate=Decimal("0.91"), valid_from=CLOSED_ON).full_clean()


@pytest.fixture
def dollar_search(alice):
    """A closed Senior Data Engineer search whose offers were in US dollars, closed on 2026-06-01."""
    job = make_job("Senior Data Engineer", "Python, Spark, Airflow", client="Globex US", location="Austin",
                   status="filled", closed_on=CLOSED_ON)
    for name, base in (("Dan Dollar", 100000), ("Eve Dollar", 120000)):
        application = make_application(job, name, "started", recruiter=alice, opened=OPENED)
        make_offer(application, base, status="accepted", currency="USD")
    return job


def _pay(new_job) -> dict:
    found = similar_jobs(new_job.pk)
    assert found, "the dollar search is similar"
    return found[0].as_dict()["pay_seen"]["our_offers"][0]


def test_pay_in_another_currency_stays_as_it_is_without_a_rate(new_job, dollar_search):
    pay = _pay(new_job)
    assert (pay["currency"], pay["min"], pay["max"]) == ("USD", "100000.00", "120000.00")
    assert pay["converted"] is None
    assert pay["not_converted_because"] == "no USD→EUR rate in the rate table dated between 2025-05-31 and 2026-06-01"


def test_pay_in_another_currency_is_converted_at_the_rate_of_its_day(new_job, dollar_search, ada):
    ExchangeRate.objects.create(from_currency="USD", to_currency="EUR", rate=Decimal("0.90"),
                                valid_from=date(2026, 1, 2), source="ECB reference rate")
    ExchangeRate.objects.create(from_currency="USD", to_currency="EUR", rate=Decimal("0.80"),
                                valid_from=date(2026, 7, 1))  # after the search closed: not its rate
    pay = _pay(new_job)
    assert pay["currency"] == "USD" and pay["min"] == "100000.00"  # the amounts as seen stay
    assert pay["converted"] == {
        "currency": "EUR", "min": "90000.00", "median": "99000.00", "max": "108000.00",
        "rate": {"from_currency": "USD", "to_currency": "EUR", "rate": "0.90000000", "rate_date": "2026-01-02",
                 "source": "ECB reference rate", "inverse": False,
                 "stated": "1 USD = 0.9 EUR (rate of 2026-01-02, ECB reference rate)"},
    }
    assert pay["not_converted_because"] == ""


def test_the_job_page_shows_the_converted_pay_with_its_rate(client, alice, new_job, dollar_search):
    ExchangeRate.objects.create(from_currency="EUR", to_currency="USD", rate=Decimal("1.25"),
                                valid_from=date(2026, 5, 1))
    client.force_login(alice)
    page = client.get(reverse("job", kwargs={"job_id": new_job.pk})).content.decode()
    section = page[page.index('id="similar"'):]
    assert "100,000 – 120,000 USD a year" in section
    assert "≈ 80,000 – 96,000 EUR, median 88,000 at 1 EUR = 1.25 USD (rate of 2026-05-01)" in section


def test_an_admin_keeps_the_rate_table_in_the_back_office(client, ada, alice):
    client.force_login(ada)
    response = client.post(reverse("admin:similar_exchangerate_add"), {
        "from_currency": "USD", "to_currency": "EUR", "rate": "0.92", "valid_from": "2026-05-01",
        "source": "ECB reference rate",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ExchangeRate.objects.get()
    assert saved.rate == Decimal("0.92") and saved.entered_by == ada
    assert str(saved) == "1 USD = 0.92 EUR from 2026-05-01"
    # A recruiter is not an admin: the back office is closed to them.
    client.force_login(alice)
    assert client.get(reverse("admin:similar_exchangerate_changelist")).status_code in (302, 403)


def test_the_rate_table_is_read_once_and_only_when_some_pay_is_in_another_currency(new_job, past_search):
    similar_jobs(new_job.pk)  # warm the index

    def rate_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            similar_jobs(new_job.pk)
        return sum("similar_exchangerate" in query["sql"] for query in queries.captured_queries)

    assert rate_reads() == 1  # the past search saw a competing offer in USD
    CompetingOffer.objects.filter(currency="USD").delete()
    assert rate_reads() == 0  # everything in EUR, the job's currency
