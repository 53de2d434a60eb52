"""`homestretch insights` and `homestretch report client ID`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.insights.figures import insights

from .builders import SECRET_COMPANY, build
from .test_figures import PERIOD

runner = CliRunner()
AT = "2026-11-20T09:30:00+00:00"


@pytest.fixture
def org(alice, bob, charlie):
    return build(alice, bob, charlie)


def test_json_is_the_figures_without_confidential_names(org, now):
    result = runner.invoke(app, ["insights", "--from", "2026-01-01", "--to", "2026-11-20", "--at", AT,
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == insights(PERIOD, now=now).shareable().as_dict()
    assert SECRET_COMPANY not in result.stdout


def test_table_and_team(org, teams):
    result = runner.invoke(app, ["insights", "--from", "2026-01-01", "--to", "2026-11-20", "--at", AT,
                                 "--team", "North"])
    assert result.exit_code == 0, result.output
    assert "Acceptance rate" in result.stdout and "Competitors that won" in result.stdout
    assert runner.invoke(app, ["insights", "--team", "Nowhere"]).exit_code == 2
    assert runner.invoke(app, ["insights", "--from", "2026-05-01", "--to", "2026-04-01"]).exit_code == 2


def test_client_report_markdown_and_html(org):
    client = org.clients["acme"]
    result = runner.invoke(app, ["report", "client", str(client.pk), "--from", "2026-01-01", "--to", "2026-11-20",
                                 "--at", AT])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Acme Cloud: our work from 2026-01-01 to 2026-11-20")
    assert SECRET_COMPANY not in result.stdout
    html = runner.invoke(app, ["report", "client", str(client.pk), "--format", "html", "--at", AT])
    assert html.exit_code == 0 and "<h1>Acme Cloud" in html.stdout and SECRET_COMPANY not in html.stdout
    assert runner.invoke(app, ["report", "client", "999999"]).exit_code == 2
