"""`homestretch brief APPLICATION_ID [--audience internal|client] [--format md|html|json] [-o FILE]`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from homestretch.briefs.render import SECTIONS
from homestretch.cli import app

from .conftest import MARKERS

runner = CliRunner()
AT = "2026-11-20T09:30:00+00:00"
pytestmark = pytest.mark.django_db


def test_markdown_to_stdout_by_default(full_application):
    result = runner.invoke(app, ["brief", str(full_application.pk), "--at", AT])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Brief: Priya Nair for Senior Backend Engineer at Acme Cloud")
    assert "- **Base: 103,000 EUR**" in result.stdout
    assert MARKERS["confidential_company"] in result.stdout


def test_json_has_exactly_one_key_per_section(full_application):
    result = runner.invoke(app, ["brief", str(full_application.pk), "--format", "json", "--audience", "client",
                                 "--at", AT])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert tuple(data) == SECTIONS
    base = next(lever for lever in data["levers"] if lever["code"] == "base")
    assert (base["amount"], base["currency"], base["flag"]) == (103000, "EUR", "above_band")
    assert base["text"].startswith(
        "Base of 103,000 EUR: beats by 3 % in total pay a competing offer told in confidence")
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
