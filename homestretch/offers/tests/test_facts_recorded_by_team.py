"""A candidate's facts belong to the team that recorded them (issue 15, item 1).

Alice (North) has Priya in the final interview. Charlie (South) opened an application for Priya too,
which he may. Alice recorded what Priya told her: a confidential offer from Globex and her priorities.
Charlie reads all of it and may record his own, but may not change, delete or un-confidential
North's: before the fix he switched the offer's confidentiality off, and North's client brief named
Globex with its exact pay. Priorities are a new dated version each time: Charlie's versions are
South's, and North's risk, brief and page keep reading North's own.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from homestretch.briefs.render import as_json
from homestretch.briefs.services import brief_for
from homestretch.offers import services
from homestretch.offers.access import get_competing_offer_for_user, get_priorities_for_user
from homestretch.offers.models import CompetingOffer, Priorities
from homestretch.pipeline.models import Job
from homestretch.pipeline.services import open_application
from homestretch.risk.loader import load_facts
from homestretch.tests.api_client import ApiClient, assert_problem

pytestmark = [pytest.mark.django_db]

REFUSAL = "North recorded it, and only North or an admin may change or delete it."


@pytest.fixture
def charlies(application, charlie, job, now):
    """Charlie's (South's) application for Alice's candidate, for another job."""
    other_job = Job.objects.create(client=job.client, title="Staff Engineer", currency="EUR", period="year")
    return open_application(candidate=application.candidate, job=other_job, recruiter=charlie, by=charlie, at=now,
                            stage="interviewing")


@pytest.fixture
def globex(application, alice, now) -> CompetingOffer:
    """What Priya told Alice in confidence: Globex offers 123,457 EUR."""
    return services.record_competing_offer(CompetingOffer(
        candidate=application.candidate, company="Globex", stage="offer", base=Decimal("123457"), currency="EUR",
        confidential=True, learned_at=now), by=alice)


@pytest.fixture
def norths_priorities(application, alice, now) -> Priorities:
    return services.set_priorities(Priorities(
        candidate=application.candidate, base_min=Decimal("90000"), base_target=Decimal("100000"), currency="EUR",
        must_haves="Three remote days"), by=alice, at=now)


def _as_stored(competing: CompetingOffer) -> tuple:
    competing.refresh_from_db()
    return (competing.company, competing.base, competing.confidential, competing.stage,
            competing.recorded_by_id, competing.recorded_by_team_id, competing.changes.count())


def _client_brief(application, now) -> str:
    return json.dumps(as_json(brief_for(application.pk, audience="client", now=now)), default=str)


# --- Recorded by whom -------------------------------------------------------------------------------


def test_the_services_record_the_recorder_and_the_recorder_s_team(globex, norths_priorities, alice, teams):
    assert (globex.recorded_by, globex.recorded_by_team) == (alice, teams["north"])
    assert (norths_priorities.recorded_by, norths_priorities.recorded_by_team) == (alice, teams["north"])


def test_an_edit_keeps_who_recorded_it_whoever_edits(globex, ada, alice, teams, now):
    services.record_competing_offer(globex, by=ada, at=now)
    globex.stage = "accepted"
    services.record_competing_offer(globex, by=ada, at=now)
    globex.refresh_from_db()
    assert (globex.stage, globex.recorded_by, globex.recorded_by_team) == ("accepted", alice, teams["north"])
    assert globex.changes.order_by("-at", "-id").first().by == ada  # the change says who made it


# --- A competing offer: only its team changes it --------------------------------------------------


@pytest.mark.parametrize("method, path, body", [
    ("patch", "/competing-offers/{id}", {"confidential": False}),
    ("patch", "/competing-offers/{id}", {"base": "1", "company": "Someone else"}),
    ("delete", "/competing-offers/{id}", None),
])
def test_another_team_cannot_change_delete_or_unconfidential_it_over_the_api(
        charlies, globex, charlie, application, now, method, path, body):
    before, brief_before = _as_stored(globex), _client_brief(application, now)
    as_charlie = ApiClient(charlie)
    response = as_charlie.request(method, path.format(id=globex.pk), body)
    problem = assert_problem(response, 403)
    assert REFUSAL in problem["detail"]
    assert _as_stored(globex) == before
    brief = _client_brief(application, now)
    assert brief == brief_before
    assert "Globex" not in brief and "123457" not in brief and "123,457" not in brief
    # He still reads it.
    assert as_charlie.get(f"/competing-offers/{globex.pk}").json()["confidential"] is True


def test_another_team_cannot_change_it_through_the_page(client, charlies, globex, charlie, application, now):
    client.force_login(charlie)
    url = reverse("edit_competing", kwargs={"application_id": charlies.pk, "competing_id": globex.pk})
    before = _as_stored(globex)
    response = client.post(url, {"competing-company": "Globex", "competing-kind": "external",
                                 "competing-stage": "offer", "competing-base": "123457",
                                 "competing-currency": "EUR", "competing-period": "year"})  # confidential off
    assert response.status_code == 403
    assert _as_stored(globex) == before
    assert "Globex" not in _client_brief(application, now)
    page = client.get(url).content.decode()
    assert "Recorded by Alice Archer (North)" in page
    assert "only North, who recorded it, or an admin can" in page and ">Save</button>" not in page


def test_the_recording_team_and_an_admin_may_change_it(globex, alice, bob, ada, teams):
    for user, stage in ((bob, "accepted"), (ada, "closed")):
        response = ApiClient(user).patch(f"/competing-offers/{globex.pk}", {"stage": stage})
        assert response.status_code == 200, response.content
        assert response.json()["recorded_by_team_id"] == teams["north"].pk
    assert ApiClient(alice).patch(f"/competing-offers/{globex.pk}", {"confidential": False}).status_code == 200
    assert ApiClient(ada).delete(f"/competing-offers/{globex.pk}").status_code == 204


def test_another_team_records_its_own_and_only_it_changes_that(charlies, globex, charlie, alice, teams, now):
    as_charlie = ApiClient(charlie)
    created = as_charlie.post(f"/candidates/{charlies.candidate_id}/competing-offers",
                              {"company": "Initech", "stage": "interviewing", "learned_at": now.isoformat()})
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by_team_id"] == teams["south"].pk
    initech = created.json()["id"]
    assert as_charlie.patch(f"/competing-offers/{initech}", {"stage": "offer"}).status_code == 200
    refused = assert_problem(ApiClient(alice).patch(f"/competing-offers/{initech}", {"stage": "closed"}), 403)
    assert "South recorded it, and only South or an admin may change or delete it." in refused["detail"]


def test_another_team_recording_the_same_company_openly_does_not_undo_the_confidence(
        charlies, globex, charlie, application, now):
    brief_before = _client_brief(application, now)
    created = ApiClient(charlie).post(f"/candidates/{charlies.candidate_id}/competing-offers", {
        "company": "GLOBEX GmbH", "stage": "offer", "base": "123457", "currency": "EUR", "confidential": False,
        "learned_at": now.isoformat()})
    assert created.status_code == 201, created.content
    brief = _client_brief(application, now)
    assert "Globex" not in brief and "GLOBEX" not in brief and "123457" not in brief and "123,457" not in brief
    assert brief.count("confidential company A") > brief_before.count("confidential company A")


def test_a_record_of_no_known_team_may_be_changed_by_any_team_with_the_candidate(charlies, charlie, alice, now):
    """Recorded before teams were kept (and not filled by the migration): as before, every team that has
    the candidate in its pipeline may change it."""
    old = CompetingOffer.objects.create(candidate=charlies.candidate, company="Hooli", learned_at=now)
    for user in (alice, charlie):
        assert get_competing_offer_for_user(user, old.pk, for_change=True) == old


def test_a_viewer_is_refused_without_naming_a_team(globex, victor):
    with pytest.raises(PermissionDenied, match="^You may read this competing offer but not change it.$"):
        get_competing_offer_for_user(victor, globex.pk, for_change=True)


# --- Priorities: each team reads its own ------------------------------------------------------------


def _priorities_read_by(application, now):
    (facts,) = load_facts(now, application_ids=[application.pk], scored_only=False)
    return facts.priorities


def test_another_team_s_priorities_do_not_replace_the_team_s_own(
        client, settings, charlies, norths_priorities, application, charlie, teams, now):
    later = now + timedelta(hours=1)
    settings.HOMESTRETCH_PAGES_NOW = later
    brief_before = _client_brief(application, later)
    put = ApiClient(charlie).put(f"/candidates/{application.candidate_id}/priorities",
                                 {"base_min": "150000", "base_target": "160000", "currency": "EUR",
                                  "must_haves": "A fully remote job", "as_of": now.isoformat()})
    assert put.status_code == 200, put.content
    assert put.json()["recorded_by_team_id"] == teams["south"].pk
    client.force_login(charlie)
    page = client.post(reverse("set_priorities", kwargs={"application_id": charlies.pk}),
                       {"priorities-base_min": "155000", "priorities-currency": "EUR", "priorities-period": "year",
                        "priorities-remote_preference": "remote", **{f"priorities-importance_{name}": "3" for name in
                        ("pay", "remote", "speed", "title", "growth", "stack")}})
    assert page.status_code == 302
    # North's version is as it was, and North's risk, brief and page still read it.
    stored = Priorities.objects.get(pk=norths_priorities.pk)
    assert (stored.base_min, stored.must_haves, stored.recorded_by_team) == (Decimal("90000"), "Three remote days",
                                                                            teams["north"])
    assert _priorities_read_by(application, later).priorities_id == norths_priorities.pk
    assert _client_brief(application, later) == brief_before
    # South's application reads South's newest.
    assert _priorities_read_by(charlies, later).base_min == Decimal("155000")
    # The API's "current" is the caller's team's.
    assert ApiClient(application.recruiter).get(
        f"/candidates/{application.candidate_id}/priorities").json()["current"]["id"] == norths_priorities.pk
    assert ApiClient(charlie).get(
        f"/candidates/{application.candidate_id}/priorities").json()["current"]["base_min"] == "155000.00"
    # A version North recorded cannot be changed by South.
    with pytest.raises(PermissionDenied, match=REFUSAL):
        get_priorities_for_user(charlie, norths_priorities.pk, for_change=True)


def test_a_team_that_recorded_none_reads_the_newest_of_the_others(charlies, norths_priorities, charlie, now):
    assert _priorities_read_by(charlies, now).priorities_id == norths_priorities.pk


# --- The page: who recorded what; no control that would be refused -----------------------------------


def test_the_page_says_who_recorded_each_fact_and_links_only_what_the_user_may_edit(
        client, settings, charlies, globex, norths_priorities, charlie, now):
    settings.HOMESTRETCH_PAGES_NOW = now
    initech = services.record_competing_offer(
        CompetingOffer(candidate=charlies.candidate, company="Initech", learned_at=now), by=charlie)
    client.force_login(charlie)
    page = client.get(reverse("application", kwargs={"application_id": charlies.pk})).content.decode()
    assert reverse("edit_competing", kwargs={"application_id": charlies.pk, "competing_id": initech.pk}) in page
    assert reverse("edit_competing", kwargs={"application_id": charlies.pk, "competing_id": globex.pk}) not in page
    assert "Globex (in confidence) · recorded by Alice Archer (North)" in page
    assert "Initech</a> · recorded by Charlie Chen (South)" in page
    assert "recorded by Alice Archer (North); South has recorded none, these are what North was told." in page
    assert "Recorded as South's: South's applications read them" in page
