"""The Insights page, its CSV exports and the client report, as users see them."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client as Browser

from homestretch.offers.models import CompetingOffer
from homestretch.pipeline.models import Candidate
from homestretch.tests.api_client import ApiClient

from .builders import SECRET_COMPANY, at, build

ASKED = {"date_from": "2026-01-01", "date_to": "2026-11-20", "team": "all"}


@pytest.fixture
def org(alice, bob, charlie, settings, now):
    settings.HOMESTRETCH_PAGES_NOW = now
    return build(alice, bob, charlie)


def _signed_in(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def _tables(html: str) -> dict[str, list[list[str]]]:
    """Each insights table of the page: its cells' data-value, row by row."""
    found = {}
    pattern = r'<table class="table insights-table" data-table="([a-z_]+)">(.*?)</table>'
    for key, body in re.findall(pattern, html, re.S):
        found[key] = [re.findall(r'<td data-value="([^"]*)"', row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
                      if "<td data-value" in row]
    return found


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_the_page_tables_say_the_api_numbers(org, alice, now, django_assert_max_num_queries):
    browser = _signed_in(alice)
    browser.get("/insights/")  # the session's first request
    # The user, the filters' choices, the figures' six, the stored measures' read and their write back.
    with django_assert_max_num_queries(18):
        response = browser.get("/insights/", ASKED)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg class=\"chart\"") == 6
    api = ApiClient(alice).get("/insights", team="all", at=now.isoformat(), **{"from": "2026-01-01",
                                                                                 "to": "2026-11-20"}).json()
    tables = _tables(html)
    rate = api["acceptance_rate"]
    assert [_number(v) for v in tables["figures"][0][1:]] == [rate["value"], rate["low"], rate["high"], rate["n"]]
    renege = api["renege_rate"]
    assert [_number(v) for v in tables["figures"][1][1:]] == [renege["value"], renege["low"], renege["high"],
                                                             renege["n"]]
    assert [_number(v) for v in tables["offers"][0]] == [api["offers_extended"], api["time_to_answer_days"]["median"],
                                                         api["time_to_answer_days"]["p90"],
                                                         api["time_to_answer_days"]["n"]]
    assert [(row[0], int(row[3])) for row in tables["reasons"]] == [(r["label"], r["n"]) for r in api["reasons"]]
    assert [(row[0], int(row[1])) for row in tables["competitors_won"]] == [
        (c["company"], c["n"]) for c in api["competitors_won"]]
    for key in ("cadence_adherence", "competition_asked"):
        assert [[int(row[1]), int(row[2]), _number(row[3])] for row in tables[key]] == [
            [band["n"], band["lost"], band["loss_rate"]] for band in api[key]]
    assert [(row[0], int(row[1])) for row in tables["by_month"]] == [
        (month["month"], month["offers_extended"]) for month in api["by_month"]]


def test_a_bad_filter_is_said_beside_its_field_and_kept(org, alice):
    response = _signed_in(alice).get("/insights/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_date_from-error"' in html and "starts after it ends" in html
    assert 'value="2026-05-01"' in html
    assert "<svg" not in html


def test_csv_exports_are_formula_safe_and_keep_confidences(org, alice, candidate):
    from homestretch.offers.models import Offer

    Offer.objects.filter(won_by="Globex").update(won_by="=HYPERLINK(\"http://evil\")")
    response = _signed_in(alice).get("/insights/competitors_won.csv", ASKED)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert SECRET_COMPANY not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Company", "Candidates won", "Of which told in confidence"]
    companies = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in companies and "Confidential companies" in companies
    # The recruiter's page names it; the export never does.
    assert SECRET_COMPANY in _signed_in(alice).get("/insights/", ASKED).content.decode()
    assert _signed_in(alice).get("/insights/nothing.csv", ASKED).status_code == 404


def test_a_viewer_reads_the_page_without_confidential_names(org, victor):
    html = _signed_in(victor).get("/insights/", ASKED).content.decode()
    assert "Confidential companies" in html and SECRET_COMPANY not in html


def test_the_client_report_carries_nothing_told_in_confidence(org, alice, now):
    client = org.clients["acme"]
    # Plant more: a confidential offer with an exact figure for a candidate of this client, and notes.
    application = org.applications["Started Sam"]
    CompetingOffer.objects.create(candidate_id=application.candidate_id, company="Secretive Otter GmbH",
                                  stage="offer", base=Decimal("123457"), currency="EUR", confidential=True,
                                  notes="PLANTED-NOTE-7781", learned_at=at("2026-03-03"))
    CompetingOffer.objects.create(candidate_id=application.candidate_id, company="Open Heron", stage="offer",
                                  base=Decimal("101000"), currency="EUR", learned_at=at("2026-03-04"))
    Candidate.objects.filter(pk=application.candidate_id).update(notes="PLANTED-CANDIDATE-NOTE")
    browser = _signed_in(alice)
    html = browser.get(f"/clients/{client.pk}/report", {"date_from": "2026-01-01", "date_to": "2026-11-20"})
    markdown = browser.get(f"/clients/{client.pk}/report", {"date_from": "2026-01-01", "date_to": "2026-11-20",
                                                            "format": "md"})
    assert html.status_code == 200 and markdown.status_code == 200
    for text in (html.content.decode(), markdown.content.decode()):
        for planted in (SECRET_COMPANY, "Secretive Otter", "123,457", "123457", "99,000", "99000", "PLANTED-"):
            assert planted not in text, planted
        assert "Started Sam" in text  # a presented candidate
        assert "Confidential companies: 1" in text  # Declined Dana's winner, counted without its name
        assert "EUR" in text  # the market, as bands
    assert "Backend Engineer" in markdown.content.decode()
    assert "Data Engineer" not in markdown.content.decode()  # Beta Bank's search


def test_the_client_report_on_the_command_line(org, now, capsys):
    from homestretch.insights.client_report import build_client_report, render_markdown

    report = build_client_report(org.clients["acme"], at("2026-01-01").date(), now.date(), now=now)
    text = render_markdown(report)
    assert report.offers_made == 9 and report.accepted == 5 and report.declined == 2
    assert SECRET_COMPANY not in text


def test_the_client_page_links_its_report(org, victor):
    client = org.clients["acme"]
    html = _signed_in(victor).get(f"/clients/{client.pk}/").content.decode()
    assert f'href="/clients/{client.pk}/report"' in html
