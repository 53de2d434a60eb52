"""A competing offer's history: every change of what it says is dated, wherever it was made (the service,
the application page, the API, the back office), so that a past moment is scored as it was known then."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, CompetingOfferChange
from homestretch.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def _history(competing: CompetingOffer) -> list[tuple]:
    return list(competing.changes.values_list("at", "stage", "base", "currency"))


@pytest.fixture
def rival(application, alice, now):
    """Learned two days ago as a process at the interviews, pay not told."""
    return offer_services.record_competing_offer(
        CompetingOffer(candidate=application.candidate, company="Initech", stage="interviewing",
                       learned_at=now - timedelta(days=2)),
        by=alice, at=now,
    )


def test_a_new_competing_offer_is_known_from_when_it_was_learned(rival, alice, now):
    (change,) = rival.changes.all()
    assert (change.at, change.by, change.stage, change.base, change.company) == (
        now - timedelta(days=2), alice, "interviewing", None, "Initech")


def test_an_edit_is_dated_and_kept_beside_what_was_known_before(rival, bob, now):
    rival.stage, rival.base, rival.currency = "offer", "95000", "EUR"  # as typed: compared once cleaned
    offer_services.record_competing_offer(rival, by=bob, at=now + timedelta(hours=1))
    assert _history(rival) == [
        (now - timedelta(days=2), "interviewing", None, ""),
        (now + timedelta(hours=1), "offer", Decimal("95000"), "EUR"),
    ]
    assert rival.changes.last().by == bob


def test_a_save_that_changes_nothing_the_risk_reads_writes_no_change(rival, alice, now):
    rival.notes, rival.role = "Told over coffee", "Staff engineer"
    rival.base = None  # unchanged, as a form would give it back
    offer_services.record_competing_offer(rival, by=alice, at=now + timedelta(hours=1))
    assert rival.changes.count() == 1
    rival.refresh_from_db()
    assert rival.notes == "Told over coffee"


def test_an_edit_is_never_dated_before_the_latest_change(application, alice, now):
    """An offer learned ahead (a call booked for tomorrow) and corrected today: the correction is what the
    offer says from tomorrow on, not overwritten by the first version."""
    ahead = offer_services.record_competing_offer(
        CompetingOffer(candidate=application.candidate, company="Hooli", learned_at=now + timedelta(days=1)),
        by=alice)
    ahead.company = "Hooli Inc"
    offer_services.record_competing_offer(ahead, by=alice, at=now)
    assert list(ahead.changes.values_list("at", "company")) == [
        (now + timedelta(days=1), "Hooli"), (now + timedelta(days=1), "Hooli Inc")]


def test_an_offer_written_around_the_service_starts_its_history_on_its_first_edit(application, alice, now):
    learned = now - timedelta(days=4)
    raw = CompetingOffer.objects.create(candidate=application.candidate, company="Globex", stage="final",
                                        learned_at=learned, recorded_by=alice)
    raw.stage = "offer"
    offer_services.record_competing_offer(raw, by=alice, at=now)
    assert [(at, stage) for at, stage, _, _ in _history(raw)] == [(learned, "final"), (now, "offer")]


def test_the_migration_starts_each_history_from_when_what_it_says_is_known(application, now):
    """Never edited since recorded: from when it was learned. Edited in place since: from its last edit."""
    learned = now - timedelta(days=10)
    told, edited = (CompetingOffer.objects.create(candidate=application.candidate, company=company, stage="offer",
                                                  learned_at=learned, recorded_by=application.recruiter)
                    for company in ("Told", "Edited"))
    CompetingOffer.objects.filter(pk=told.pk).update(created_at=learned, updated_at=learned)
    CompetingOffer.objects.filter(pk=edited.pk).update(created_at=learned, updated_at=now)
    backfill = importlib.import_module("homestretch.offers.migrations.0003_backfill_competing_offer_changes").backfill
    backfill(apps, SimpleNamespace(connection=connection))
    assert list(CompetingOfferChange.objects.values_list("competing__company", "at", "stage", "by")) == [
        ("Told", learned, "offer", application.recruiter_id), ("Edited", now, "offer", application.recruiter_id)]
    backfill(apps, SimpleNamespace(connection=connection))  # again: offers with a history are left alone
    assert CompetingOfferChange.objects.count() == 2


def test_deleting_a_competing_offer_deletes_its_history(rival):
    rival.delete()
    assert not CompetingOfferChange.objects.exists()


# --- Every way of editing one writes its change ----------------------------------------------------


def test_the_application_page_writes_a_change(client, alice, application, rival):
    client.force_login(alice)
    edit = reverse("edit_competing", kwargs={"application_id": application.pk, "competing_id": rival.pk})
    response = client.post(edit, {"competing-kind": "external", "competing-company": "Initech",
                                  "competing-stage": "offer", "competing-base": "95000",
                                  "competing-currency": "EUR", "competing-period": "year"})
    assert response.status_code == 302
    latest = rival.changes.last()
    assert (rival.changes.count(), latest.stage, latest.base, latest.by) == (2, "offer", Decimal("95000"), alice)


def test_the_api_patch_writes_a_change_and_a_patch_of_the_notes_none(alice, rival):
    api = ApiClient(alice)
    assert api.patch(f"/competing-offers/{rival.pk}", {"notes": "She prefers us"}).status_code == 200
    assert rival.changes.count() == 1
    response = api.patch(f"/competing-offers/{rival.pk}", {"stage": "accepted", "deadline": "2026-11-27"})
    assert response.status_code == 200, response.content
    latest = rival.changes.last()
    assert (rival.changes.count(), latest.stage, str(latest.deadline), latest.by) == (
        2, "accepted", "2026-11-27", alice)


def test_the_back_office_writes_a_change_and_shows_the_history_read_only(client, ada, rival):
    client.force_login(ada)
    url = reverse("admin:offers_competingoffer_change", args=[rival.pk])
    page = client.get(url)
    (inline,) = page.context["inline_admin_formsets"]
    assert inline.formset.prefix == "changes" and not inline.has_add_permission
    assert not inline.has_change_permission and not inline.has_delete_permission
    response = client.post(url, {
        "candidate": rival.candidate_id, "kind": "external", "company": "Initech", "role": "", "stage": "offer",
        "base": "95000", "bonus": "", "equity": "", "currency": "EUR", "period": "year", "remote_policy": "",
        "remote_days": "", "deadline": "", "learned_at_0": rival.learned_at.date().isoformat(),
        "learned_at_1": rival.learned_at.time().isoformat(), "learned_in": "", "notes": "",
        "changes-TOTAL_FORMS": "1", "changes-INITIAL_FORMS": "1", "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = rival.changes.last()
    assert (rival.changes.count(), latest.stage, latest.base, latest.by) == (2, "offer", Decimal("95000"), ada)
    assert "95000" in client.get(url).content.decode()  # the history under the offer


def test_the_back_office_history_costs_the_same_queries_however_long(client, ada, alice, rival, now):
    client.force_login(ada)
    urls = (reverse("admin:offers_competingoffer_change", args=[rival.pk]),
            reverse("admin:offers_competingofferchange_changelist"))

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    queries()  # warm the caches (content types, session)
    few = queries()
    for day in range(1, 6):
        rival.base, rival.currency = Decimal(90000 + day * 1000), "EUR"
        offer_services.record_competing_offer(rival, by=alice, at=now + timedelta(days=day))
    assert rival.changes.count() == 6
    assert queries() == few
