"""Every way to write what the risk is computed from — the REST API, the back office, a bulk load —
makes exactly the applications concerned stale, as the services do (test_snapshots.py): nothing
listens to saves, so each goes through the services or names what it wrote to pipeline.changes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db.models import F
from django.urls import reverse

from homestretch.cadence.models import TeamCadence
from homestretch.cadence.services import save_team_cadence
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import changes, touch_summaries
from homestretch.pipeline.models import Application, Job, Touchpoint
from homestretch.risk.tests import test_snapshots as snapshot_tests
from homestretch.risk.tests.test_snapshots import _ids, as_tuples, engine_says, refresh, snapshots_say, valid_ids
from homestretch.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

world = snapshot_tests.world  # the same fixture: Priya in two searches, Quentin in one, Rosa in Charlie's team

AT = "2026-11-20T09:25:00Z"  # five minutes before the tests' now


@pytest.fixture
def records(world, alice, bob, charlie):
    """What the edits and deletes below start from: a competing offer of Priya's, Quentin's priorities
    and the cadence of Charlie's team (written through the services, before the snapshots are computed)."""
    at = world["apps"]["priya"].created_at
    return {
        "rival": offer_services.record_competing_offer(CompetingOffer(
            candidate=world["people"]["Priya"], company="Initech", base=Decimal("90000"), currency="EUR",
            learned_at=at), by=alice),
        "priorities": offer_services.set_priorities(Priorities(
            candidate=world["people"]["Quentin"], base_min=Decimal("85000"), currency="EUR"), by=bob, at=at),
        "cadence": save_team_cadence(TeamCadence(team=charlie.team, verification_days=3)),
    }


# --- The REST API ----------------------------------------------------------------------------------


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response


def api_touch_logged(world, users, records):
    ok(ApiClient(users["alice"]).post(f"/applications/{world['apps']['priya'].pk}/touchpoints",
                                      {"at": AT, "channel": "call", "direction": "inbound", "interest": 2}), 201)
    return {"priya", "priya_data"}


def api_touch_deleted(world, users, records):
    touch = Touchpoint.objects.get(application=world["apps"]["quentin"])
    ok(ApiClient(users["bob"]).delete(f"/touchpoints/{touch.pk}"), 204)
    return {"quentin"}


def api_job_changed(world, users, records):
    ok(ApiClient(users["alice"]).patch(f"/jobs/{world['other_job'].pk}", {"base_max": "120000"}))
    return {"priya_data", "rosa"}


def api_application_handed_over(world, users, records):
    ok(ApiClient(users["alice"]).patch(f"/applications/{world['apps']['priya_data'].pk}",
                                       {"recruiter_id": users["bob"].pk}))
    return {"priya_data"}


def api_application_deleted(world, users, records):
    ok(ApiClient(users["alice"]).delete(f"/applications/{world['apps']['priya_data'].pk}"), 204)
    return {"priya"}  # her other search: the deleted one's touches were hers too


def api_stage_moved(world, users, records):
    ok(ApiClient(users["alice"]).post(f"/applications/{world['apps']['priya_data'].pk}/stage",
                                      {"stage": "final_interview", "at": AT}))
    return {"priya_data"}


def api_offer_recorded(world, users, records):
    ok(ApiClient(users["alice"]).post(f"/applications/{world['apps']['priya'].pk}/offers",
                                      {"base": "85000", "at": AT}), 201)
    return {"priya"}


def api_offer_status(world, users, records):
    offer = Offer.objects.get(application=world["apps"]["quentin"])
    ok(ApiClient(users["bob"]).post(f"/offers/{offer.pk}/status", {"status": "extended", "at": AT}))
    return {"quentin"}


def api_competing_offer_recorded(world, users, records):
    ok(ApiClient(users["bob"]).post(f"/candidates/{world['people']['Quentin'].pk}/competing-offers",
                                    {"company": "Umbrella", "base": "99000", "currency": "EUR", "learned_at": AT}),
       201)
    return {"quentin"}


def api_competing_offer_changed(world, users, records):
    ok(ApiClient(users["alice"]).patch(f"/competing-offers/{records['rival'].pk}", {"base": "110000"}))
    return {"priya", "priya_data"}


def api_competing_offer_deleted(world, users, records):
    ok(ApiClient(users["alice"]).delete(f"/competing-offers/{records['rival'].pk}"), 204)
    return {"priya", "priya_data"}


def api_priorities_set(world, users, records):
    ok(ApiClient(users["bob"]).put(f"/candidates/{world['people']['Quentin'].pk}/priorities",
                                   {"base_min": "95000", "currency": "EUR", "as_of": AT}))
    return {"quentin"}


# --- The back office ---------------------------------------------------------------------------------


class _FormInputs(HTMLParser):
    """What a browser would post from the page's change form: inputs, checked boxes, selected options,
    text areas (read-only fields render no input)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or ("on" if attrs.get("type") == "checkbox"
                                                                            else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                # The browser drops the newline that follows <textarea>.
                self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None


def admin_post(client, url: str, **changed) -> None:
    """Open the back office's page at `url`, change some fields and save, as a person would."""
    page = client.get(url)
    assert page.status_code == 200, url
    form = _FormInputs()
    form.feed(page.content.decode())
    data = {name: values for name, values in form.data.items() if "__prefix__" not in name}
    data.update({name: [str(value)] for name, value in changed.items()})
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_delete(client, obj) -> None:
    response = client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302


def admin_job_changed(world, users, records, client):
    admin_post(client, admin_url(Job, "change", world["other_job"].pk), base_max="120000")
    return {"priya_data", "rosa"}


def admin_job_changed_on_its_clients_page(world, users, records, client):
    job = world["other_job"]
    url = admin_url(type(job.client), "change", job.client_id)
    jobs = next(inline.formset for inline in client.get(url).context["inline_admin_formsets"]
                if inline.formset.model is Job)
    row = next(index for index, form in enumerate(jobs.forms) if form.instance.pk == job.pk)
    admin_post(client, url, **{f"{jobs.prefix}-{row}-title": "Data Lead"})
    assert Job.objects.get(pk=job.pk).title == "Data Lead"
    return {"priya_data", "rosa"}


def admin_application_handed_over(world, users, records, client):
    admin_post(client, admin_url(Application, "change", world["apps"]["priya_data"].pk), recruiter=users["bob"].pk)
    return {"priya_data"}


def admin_application_deleted(world, users, records, client):
    admin_delete(client, world["apps"]["priya_data"])
    return {"priya"}


def admin_touch_logged(world, users, records, client):
    response = client.post(admin_url(Touchpoint, "add"), {
        "candidate": world["people"]["Rosa"].pk, "application": world["apps"]["rosa"].pk,
        "recruiter": users["charlie"].pk, "at_0": "2026-11-20", "at_1": "09:25:00", "channel": "call",
        "direction": "inbound", "notes": "", "interest": "2", "competition_answer": "",
    })
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return {"rosa"}


def admin_touch_moved(world, users, records, client):
    touch = Touchpoint.objects.get(application=world["apps"]["rosa"])
    admin_post(client, admin_url(Touchpoint, "change", touch.pk), candidate=world["people"]["Quentin"].pk,
               application=world["apps"]["quentin"].pk)
    return {"rosa", "quentin"}


def admin_touch_deleted(world, users, records, client):
    admin_delete(client, Touchpoint.objects.get(application=world["apps"]["quentin"]))
    return {"quentin"}


def admin_touches_deleted_together(world, users, records, client):
    chosen = Touchpoint.objects.filter(application__in=[world["apps"]["quentin"], world["apps"]["rosa"]])
    response = client.post(admin_url(Touchpoint, "changelist"), {
        "action": "delete_selected", "post": "yes", "_selected_action": [str(pk) for pk in chosen.values_list("pk",
                                                                                                            flat=True)],
    })
    assert response.status_code == 302 and not chosen.exists()
    return {"quentin", "rosa"}


def admin_offer_deleted(world, users, records, client):
    admin_delete(client, Offer.objects.get(application=world["apps"]["quentin"]))
    return {"quentin"}


def admin_competing_offer_changed(world, users, records, client):
    admin_post(client, admin_url(CompetingOffer, "change", records["rival"].pk), base="110000")
    return {"priya", "priya_data"}


def admin_competing_offer_deleted(world, users, records, client):
    admin_delete(client, records["rival"])
    return {"priya", "priya_data"}


def admin_priorities_recorded(world, users, records, client):
    response = client.post(admin_url(Priorities, "add"), {
        "candidate": world["people"]["Rosa"].pk, "base_min": "150000", "currency": "EUR", "period": "year",
        "remote_preference": "any", **{f"importance_{name}": "3" for name in
                                       ("pay", "remote", "speed", "title", "growth", "stack")},
    })
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return {"rosa"}


def admin_priorities_deleted(world, users, records, client):
    admin_delete(client, records["priorities"])
    return {"quentin"}


def admin_cadence_added(world, users, records, client):
    response = client.post(admin_url(TeamCadence, "add"), {"team": users["alice"].team_id, "offer_days": "1"})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return {"priya", "priya_data", "quentin"}  # alice's and bob's


def admin_cadence_changed(world, users, records, client):
    admin_post(client, admin_url(TeamCadence, "change", records["cadence"].pk), verification_days="1")
    return {"rosa"}


def admin_cadence_deleted(world, users, records, client):
    admin_delete(client, records["cadence"])
    return {"rosa"}


def admin_recruiter_changes_team(world, users, records, client):
    admin_post(client, admin_url(type(users["bob"]), "change", users["bob"].pk), team=users["charlie"].team_id)
    return {"quentin"}  # checked when read: the snapshot was judged by the North team's cadence


# --- Bulk writes, named to pipeline.changes ------------------------------------------------------


def bulk_touches(world, users, records):
    """A bulk load of touches (an import, the demo's loader): inserted in bulk, then the owners named."""
    Touchpoint.objects.bulk_create([
        Touchpoint(application=world["apps"]["quentin"], candidate=world["people"]["Quentin"], at=world["at"],
                   channel="call", direction="inbound", interest=1),
        Touchpoint(candidate=world["people"]["Rosa"], at=world["at"], channel="email", direction="inbound"),
    ])
    changes.touches_changed(application_ids=[world["apps"]["quentin"].pk], candidate_ids=[world["people"]["Rosa"].pk])
    assert touch_summaries.stored(Application.objects.values("id"), [world["people"]["Rosa"].pk]) == \
        touch_summaries.aggregate(Application.objects.values("id"), [world["people"]["Rosa"].pk])
    return {"quentin", "rosa"}


def bulk_update_of_jobs(world, users, records):
    Job.objects.filter(pk=world["other_job"].pk).update(base_max=F("base_max") + 30000)
    changes.count_change(job_ids=Job.objects.filter(pk=world["other_job"].pk).values("id"))
    return {"priya_data", "rosa"}


def bulk_competing_offers(world, users, records):
    CompetingOffer.objects.bulk_create([
        CompetingOffer(candidate=world["people"][name], company="Hooli", base=Decimal("130000"), currency="EUR",
                       stage="offer", learned_at=world["at"]) for name in ("Quentin", "Rosa")
    ])
    changes.count_change(candidate_ids=[world["people"]["Quentin"].pk, world["people"]["Rosa"].pk])
    return {"quentin", "rosa"}


API = [api_touch_logged, api_touch_deleted, api_job_changed, api_application_handed_over, api_application_deleted,
       api_stage_moved, api_offer_recorded, api_offer_status, api_competing_offer_recorded,
       api_competing_offer_changed, api_competing_offer_deleted, api_priorities_set]
BACK_OFFICE = [admin_job_changed, admin_job_changed_on_its_clients_page, admin_application_handed_over,
               admin_application_deleted, admin_touch_logged, admin_touch_moved, admin_touch_deleted,
               admin_touches_deleted_together, admin_offer_deleted, admin_competing_offer_changed,
               admin_competing_offer_deleted, admin_priorities_recorded, admin_priorities_deleted,
               admin_cadence_added, admin_cadence_changed, admin_cadence_deleted, admin_recruiter_changes_team]
BULK = [bulk_touches, bulk_update_of_jobs, bulk_competing_offers]


def _then_exactly_these_are_stale(world, now, write) -> None:
    assert refresh(now) == 4
    expected = write()
    existing = set(Application.objects.values_list("id", flat=True))
    assert existing - valid_ids(now) == _ids(world, *expected)
    assert refresh(now) == len(expected)
    assert as_tuples(snapshots_say(now)) == engine_says(now)


@pytest.fixture
def users(alice, bob, charlie):
    return {"alice": alice, "bob": bob, "charlie": charlie}


@pytest.mark.parametrize("write", API + BULK, ids=[write.__name__ for write in API + BULK])
def test_an_api_or_bulk_write_makes_exactly_its_applications_stale(world, records, users, now, write):
    world["at"] = now - timedelta(minutes=5)
    _then_exactly_these_are_stale(world, now, lambda: write(world, users, records))


@pytest.mark.parametrize("write", BACK_OFFICE, ids=[write.__name__ for write in BACK_OFFICE])
def test_a_back_office_write_makes_exactly_its_applications_stale(world, records, users, ada, client, now, write):
    client.force_login(ada)
    _then_exactly_these_are_stale(world, now, lambda: write(world, users, records, client))
