"""`homestretch brief APPLICATION_ID [--audience internal|client] [--format md|html|json] [-o FILE]`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from homestretch.briefs.render import SECTIONS
from homestretch.cli import app
from homestretch.situation.redact import label_for

from .conftest import MARKERS

runner = CliRunner()
AT = "2026-11-20T09:30:00+00:00"
pytestmark = pytest.mark.django_db


def test_markdown_to_stdout_by_default(full_application):
    result = runner.invoke(app, ["brief", str(full_application.pk), "--at", AT])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Brief: Priya Nair for Senior Backend Engineer at Acme Cloud")
    # max(101,234 x 1.03, 104,567 x 1.03 - 5,000, 90,000 x 1.03, 85,000) = 104,271.02 -> 105,000
    assert "- **Base: 105,000 EUR**" in result.stdout
    assert MARKERS["confidential_company"] in result.stdout


def test_json_has_exactly_one_key_per_section(full_application):
    result = runner.invoke(app, ["brief", str(full_application.pk), "--format", "json", "--audience", "client",
                                 "--at", AT])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert tuple(data) == SECTIONS
    base = next(lever for lever in data["levers"] if lever["code"] == "base")
    # The client's ask is the redacted situation's: the confidential offer is a band of 95,000-110,000,
    # so the ask is its top, 110,000, and says nothing that narrows the band (no "beats by 3 % in total").
    assert (base["amount"], base["currency"], base["flag"]) == (110000, "EUR", "above_band")
    assert base["text"].startswith(
        f"Base of at least 110,000 EUR: the offer of {label_for(0)} pays a base of up to "
        "110,000 EUR (25,000 EUR more than our offer's base of 85,000 EUR)")
    assert "in total" not in base["text"] and "beat" not in base["text"]
    assert data["risk"] is None
    assert MARKERS["confidential_company"] not in result.stdout


def test_html_to_a_file_stands_alone_with_print_rules(full_application, tmp_path):
    target = tmp_path / "brief.html"
    result = runner.invoke(app, ["brief", str(full_application.pk), "--format", "html", "--audience", "client",
                                 "-o", str(target), "--at", AT])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "@media print" in page
    assert '<article class="brief" data-audience="client">' in page
    for marker in MARKERS.values():
        assert marker not in page


def test_unknown_application_fails_clearly(db):
    result = runner.invoke(app, ["brief", "999999", "--at", AT])
    assert result.exit_code == 2
    assert "No application with id 999999" in result.output


def test_unknown_audience_is_refused_by_the_option(full_application):
    result = runner.invoke(app, ["brief", str(full_application.pk), "--audience", "board"])
    assert result.exit_code == 2
    assert "board" in result.output
