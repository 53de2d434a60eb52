"""The retention period: candidates with no open application and no activity for HOMESTRETCH_RETENTION_MONTHS
are erased by the worker, exactly those; the dry run lists exactly them and changes nothing; admins see those
due within a week."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from typer.testing import CliRunner

from homestretch.cli import app
from homestretch.integrations.worker import run_worker
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Candidate, Touchpoint
from homestretch.pipeline.services import StageMove
from homestretch.privacy.models import Erasure
from homestretch.privacy.retention import daily, due_for_erasure, due_list, months_before

pytestmark = pytest.mark.django_db
runner = CliRunner()

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
LONG_AGO = datetime(2024, 6, 3, 10, 0, tzinfo=UTC)  # 29 months before NOW: past the default 24


def _dated(model, pk: int, **moments) -> None:
    """Set auto_now fields as if written then (QuerySet.update does not touch them)."""
    model.objects.filter(pk=pk).update(**moments)


def _closed_candidate(name: str, job, recruiter, *, at: datetime) -> Candidate:
    person = Candidate.objects.create(name=name, email=f"{name.split()[0].lower()}@example.org")
    application = services.open_application(candidate=person, job=job, recruiter=recruiter, by=recruiter,
                                            at=at, stage="interviewing")
    services.move_stage(application.pk, StageMove(to_stage="withdrawn", reason="moved abroad",
                                                  loss_reason="personal"), by=recruiter, at=at + timedelta(days=3))
    services.log_touchpoint(Touchpoint(candidate=person, application=application, at=at + timedelta(days=2),
                                       channel="call", direction="outbound"))
    _dated(Application, application.pk, updated_at=at + timedelta(days=3))
    _dated(Candidate, person.pk, created_at=at, updated_at=at)
    return person


@pytest.fixture
def three(job, alice):
    """Due (closed, quiet for 29 months); kept by an open application; kept by a recent competing offer."""
    due = _closed_candidate("Dora Due", job, alice, at=LONG_AGO)
    open_one = Candidate.objects.create(name="Olga Open", email="olga@example.org")
    application = services.open_application(candidate=open_one, job=job, recruiter=alice, by=alice,
                                            at=LONG_AGO, stage="screening")
    _dated(Application, application.pk, updated_at=LONG_AGO)
    _dated(Candidate, open_one.pk, created_at=LONG_AGO, updated_at=LONG_AGO)
    recent = _closed_candidate("Rhea Recent", job, alice, at=LONG_AGO)
    offer_services.record_competing_offer(CompetingOffer(candidate=recent, company="Initech", stage="applied",
                                                         learned_at=NOW - timedelta(days=40)), by=alice)
    _dated(CompetingOffer, CompetingOffer.objects.get(candidate=recent).pk, updated_at=NOW - timedelta(days=40))
    return {"due": due, "open": open_one, "recent": recent}


def test_only_the_candidate_without_open_application_and_activity_is_due(three, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        due = due_list(NOW, 24)
    assert [row.candidate_id for row in due] == [three["due"].pk]
    assert due[0].name == "Dora Due"
    assert due[0].last_activity == LONG_AGO + timedelta(days=3)  # the withdrawal, the latest thing written
    assert due[0].due_on == datetime(2026, 6, 6, 10, 0, tzinfo=UTC)
    # A longer period: nobody yet.
    assert list(due_for_erasure(NOW, 36)) == []


@pytest.mark.parametrize("activity", ["touch", "offer change", "mail", "candidate edit"])
def test_any_recent_activity_keeps_a_candidate(three, alice, activity, settings):
    person = three["due"]
    application = Application.objects.get(candidate=person)
    recent = NOW - timedelta(days=10)
    if activity == "touch":
        services.log_touchpoint(Touchpoint(candidate=person, at=recent, channel="email", direction="inbound"))
    elif activity == "offer change":
        from homestretch.offers.models import Offer

        offer = Offer.objects.create(application=application, base=80000, currency="EUR", status="declined",
                                     decline_reason="personal")
        _dated(Offer, offer.pk, updated_at=recent)
    elif activity == "mail":
        from homestretch.mailin.models import MailMessage

        MailMessage.objects.create(team=alice.team, candidate=person, via="upload", status="matched",
                                   fingerprint="f" * 64, direction="inbound", from_address=person.email,
                                   received_at=recent, size=10)
    else:
        _dated(Candidate, person.pk, updated_at=recent)
    assert person.pk not in set(due_for_erasure(NOW, 24).values_list("pk", flat=True))


def test_the_dry_run_lists_exactly_the_due_one_and_changes_nothing(three):
    result = runner.invoke(app, ["retention", "--dry-run", "--now", NOW.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed["retention_months"] == 24 and listed["dry_run"] is True
    assert [row["candidate_id"] for row in listed["due"]] == [three["due"].pk]
    assert listed["due"][0]["name"] == "Dora Due"
    assert not Erasure.objects.exists() and Candidate.objects.get(pk=three["due"].pk).name == "Dora Due"
    table = runner.invoke(app, ["retention", "--dry-run", "--now", NOW.isoformat()])
    assert "Dora Due" in table.output and "Olga Open" not in table.output and "1 candidates due" in table.output


def test_the_command_erases_with_yes_and_refuses_without_a_terminal(three):
    refused = runner.invoke(app, ["retention", "--now", NOW.isoformat()])
    assert refused.exit_code == 1 and "pass --yes" in refused.output and not Erasure.objects.exists()
    done = runner.invoke(app, ["retention", "--yes", "--now", NOW.isoformat()])
    assert done.exit_code == 0 and "Erased 1 candidates" in done.output
    assert Candidate.objects.get(pk=three["due"].pk).name == "Erased candidate"


def test_the_worker_erases_exactly_those_due_once_a_day(three):
    moments = iter([NOW, NOW + timedelta(hours=1), NOW + timedelta(days=1)])
    job = daily()
    run_worker(0, threading.Event(), clock=lambda: next(moments), runs=3, also=(job,))
    erasures = list(Erasure.objects.all())
    assert [(e.candidate_id, e.cause, e.reason, e.erased_by) for e in erasures] == [
        (three["due"].pk, "retention", "retention period", None)]
    names = dict(Candidate.objects.values_list("pk", "name"))
    assert names[three["due"].pk] == "Erased candidate"
    assert names[three["open"].pk] == "Olga Open" and names[three["recent"].pk] == "Rhea Recent"
    # The audit says the retention worker did it, and why.
    from homestretch.audit.models import Entry

    entry = Entry.objects.get(kind="erased")
    assert entry.actor_label == "retention worker" and entry.additional_data["reason"] == "retention period"


def test_the_worker_erases_a_backlog_in_batches_so_that_each_run_ends_soon(three, job, alice, monkeypatch):
    from homestretch.privacy import retention

    monkeypatch.setattr(retention, "WORKER_BATCH", 1)
    older = _closed_candidate("Bea Backlog", job, alice, at=LONG_AGO - timedelta(days=30))
    job_of_the_day = daily()
    assert job_of_the_day(NOW) == 1  # the oldest activity first
    assert [e.candidate_id for e in Erasure.objects.all()] == [older.pk]
    assert job_of_the_day(NOW + timedelta(minutes=1)) == 1  # the same day: the rest of the backlog
    assert job_of_the_day(NOW + timedelta(minutes=2)) == 0  # none left: done for the day
    assert job_of_the_day(NOW + timedelta(minutes=3)) == 0
    assert sorted(e.candidate_id for e in Erasure.objects.all()) == sorted([older.pk, three["due"].pk])


def test_admins_see_who_is_due_within_a_week_and_others_may_not(three, alice, ada, settings, job):
    # Due in 3 days: the last activity (the withdrawal, 3 days after `at`) 24 months before NOW + 3 days.
    _closed_candidate("Sami Soon", job, alice, at=months_before(NOW, 24))
    # Due in 9 days: not yet listed.
    _closed_candidate("Lena Later", job, alice, at=months_before(NOW, 24) + timedelta(days=6))
    settings.HOMESTRETCH_PAGES_NOW = NOW
    web = Client()
    web.force_login(alice)
    assert web.get("/retention/").status_code == 403
    web.force_login(ada)
    page = web.get("/retention/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dora Due" in text and "Sami Soon" in text and "Lena Later" not in text
    assert "Olga Open" not in text and "Rhea Recent" not in text
    assert 'href="/retention/"' in web.get("/").content.decode()  # linked for admins


def test_the_setting_is_validated(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import homestretch.settings as project_settings

    for bad in ("0", "two", "-3", "1201"):
        monkeypatch.setenv("HOMESTRETCH_RETENTION_MONTHS", bad)
        with pytest.raises(ImproperlyConfigured, match="HOMESTRETCH_RETENTION_MONTHS"):
            importlib.reload(project_settings)
    monkeypatch.setenv("HOMESTRETCH_RETENTION_MONTHS", "36")
    assert importlib.reload(project_settings).RETENTION_MONTHS == 36
    monkeypatch.delenv("HOMESTRETCH_RETENTION_MONTHS")
    assert importlib.reload(project_settings).RETENTION_MONTHS == 24


def test_the_erasure_benchmark_reports_figures_beside_their_reference(db):
    """benchmarks/erasure.py runs once on the small demo data (no timing asserted)."""
    import benchmarks
    from benchmarks import BenchContext
    from benchmarks.runner import DATASET_NOW, discover
    from homestretch.demo.generator import generate

    generate("small", 1, now=DATASET_NOW)
    discover()
    figures = benchmarks.REGISTRY["erasure"](BenchContext(scale="small", seed=1, database_vendor="test", repeat=1))
    assert [figure.benchmark for figure in figures] == ["erasure", "erasure"]
    assert all(figure.value > 0 and figure.reference_value for figure in figures)
    assert not Erasure.objects.exists()  # rolled back
