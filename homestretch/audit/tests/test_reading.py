"""Admins read the audit on its page and at GET /api/v1/audit; nobody else does, and nobody changes it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from homestretch.audit.choices import Kind
from homestretch.audit.models import Entry
from homestretch.audit.trail import record
from homestretch.front.tests.pages import application_at, pages_at_now  # noqa: F401
from homestretch.offers.models import CompetingOffer
from homestretch.tests.api_client import ApiClient, assert_problem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


@pytest.fixture
def competing(alice, application, now) -> CompetingOffer:
    made = ApiClient(alice).post(f"/candidates/{application.candidate_id}/competing-offers", {
        "company": "Initech", "kind": "external", "stage": "offer", "base": "90000", "currency": "EUR",
        "period": "year", "confidential": False, "learned_at": now.isoformat(),
    })
    assert made.status_code == 201, made.content
    return CompetingOffer.objects.get(pk=made.json()["id"])


def test_the_api_shows_a_changed_confidential_flag_with_before_and_after(alice, ada, competing):
    assert ApiClient(alice).patch(f"/competing-offers/{competing.pk}", {"confidential": True}).status_code == 200
    response = ApiClient(ada).get("/audit", object_type="competing offer", object_id=competing.pk)
    assert response.status_code == 200, response.content
    created, changed = sorted(response.json()["items"], key=lambda item: item["id"])
    assert (changed["kind"], changed["actor_id"], changed["actor"]) == ("changed", alice.pk, "alice@example.com")
    assert {"field": "confidential", "before": False, "after": True} in changed["changes"]
    assert changed["object_label"] == f"competing offer {competing.pk} (candidate {competing.candidate_id})"
    assert created["kind"] == "created" and response.json()["count"] == 2
    # A creation says the fields' values, not the records that point at it (its history of changes).
    assert {"company", "confidential", "base"} <= {change["field"] for change in created["changes"]}
    assert "changes" not in {change["field"] for change in created["changes"]}
    assert {change["field"] for change in changed["changes"]} == {"confidential"}  # no updated_at


def test_the_page_shows_a_confidential_flag_changed_through_the_form(client, alice, ada, application, now):
    client.force_login(alice)
    added = client.post(reverse("add_competing", kwargs={"application_id": application.pk}), {
        "competing-kind": "external", "competing-company": "Initech", "competing-stage": "offer",
        "competing-base": "90000", "competing-currency": "EUR", "competing-period": "year",
    }, REMOTE_ADDR="192.0.2.44")
    assert added.status_code == 302
    rival = CompetingOffer.objects.get()
    edit = reverse("edit_competing", kwargs={"application_id": application.pk, "competing_id": rival.pk})
    assert client.post(edit, {"competing-kind": "external", "competing-company": "Initech",
                              "competing-stage": "offer", "competing-base": "95000", "competing-currency": "EUR",
                              "competing-period": "year", "competing-confidential": "on"},
                       REMOTE_ADDR="192.0.2.44").status_code == 302
    changed = Entry.objects.get(kind=Kind.CHANGED, object_id=rival.pk)
    assert changed.changes["confidential"] == [False, True]
    assert changed.changes["base"] == ["90000.00", "95000.00"]
    assert (changed.actor, changed.remote_addr) == (alice, "192.0.2.44")

    client.force_login(ada)
    page = client.get(reverse("audit"), {"object_type": "competing offer", "object_id": rival.pk,
                                         "kind": "changed"}).content.decode()
    assert "confidential</span>: False → True" in page
    assert "base</span>: 90000.00 → 95000.00" in page
    assert "alice@example.com" in page and "192.0.2.44" in page
    assert f'href="/candidates/{application.candidate_id}/"' in page  # the object's page, while it exists


@pytest.mark.parametrize("who", ["victor", "alice"])
def test_a_viewer_and_a_recruiter_cannot_read_the_audit(client, request, who, competing):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("audit"))
    assert response.status_code == 403
    assert "Only admins read the audit trail." in response.content.decode()
    assert "Initech" not in response.content.decode()
    assert_problem(ApiClient(user).get("/audit"), 403)


def test_the_audit_is_in_the_admin_s_user_menu_only(client, alice, ada):
    client.force_login(alice)
    assert reverse("audit") not in client.get(reverse("home")).content.decode()
    client.force_login(ada)
    assert reverse("audit") in client.get(reverse("home")).content.decode()


def test_nothing_changes_an_entry_through_the_app(client, ada, competing):
    client.force_login(ada)
    as_ada = ApiClient(ada)
    entry = Entry.objects.first()
    before = list(Entry.objects.values())
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(reverse("audit")).status_code == 405
        assert getattr(as_ada, method)("/audit").status_code == 405
        assert getattr(as_ada, method)(f"/audit/{entry.pk}").status_code == 404
    # The back office shows it read-only, like every history: no add, no save, no delete.
    assert client.get("/admin/audit/entry/").status_code == 200
    assert client.get("/admin/audit/entry/add/").status_code == 403
    assert 'name="_save"' not in client.get(f"/admin/audit/entry/{entry.pk}/change/").content.decode()
    assert client.post(f"/admin/audit/entry/{entry.pk}/change/", {"kind": "erased"}).status_code == 403
    assert client.post(f"/admin/audit/entry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/audit/entry/", {"action": "delete_selected", "_selected_action": [entry.pk],
                                               "post": "yes"}).status_code in (200, 302)
    assert list(Entry.objects.values()) == before


def test_filters_by_person_kind_and_period(ada, alice, bob, now):
    record(Kind.VIEWED_CLIENT_REPORT, actor=alice, address="192.0.2.1", object_type="client", object_id=7)
    record(Kind.VIEWED_CLIENT_REPORT, actor=bob, address="192.0.2.2", object_type="client", object_id=7)
    Entry.objects.filter(actor=bob).update(timestamp=now - timedelta(days=10))
    as_ada = ApiClient(ada)
    by_alice = as_ada.get("/audit", actor_id=alice.pk, kind="viewed client report").json()
    assert [item["actor"] for item in by_alice["items"]] == ["alice@example.com"]
    day = (now - timedelta(days=10)).date().isoformat()
    in_period = as_ada.get("/audit", **{"from": day, "to": day, "kind": "viewed client report"}).json()
    assert [item["actor"] for item in in_period["items"]] == ["bob@example.com"]
    assert_problem(as_ada.get("/audit", **{"from": "2026-11-20", "to": "2026-11-01"}), 422, "from")
    by_id = as_ada.get("/audit", object_id=7, kind="viewed client report").json()["items"]
    assert [item["object_id"] for item in by_id] == [7, 7]  # an id alone: about any object with that id
    assert_problem(as_ada.get("/audit", kind="looked around"), 422)


def test_the_page_pages_by_id_and_refuses_a_bad_period_beside_it(client, ada, alice):
    for number in range(55):
        record(Kind.VIEWED_CLIENT_REPORT, actor=alice, address=None, object_type="client", object_id=number + 1)
    client.force_login(ada)
    first = client.get(reverse("audit"), {"kind": "viewed client report"})
    assert first.content.decode().count("Viewed a client report</td>") == 50
    older = first.context["older"]
    second = client.get(reverse("audit") + "?" + older).content.decode()
    assert second.count("Viewed a client report</td>") == 5
    refused = client.get(reverse("audit"), {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert "The period starts after it ends" in refused.content.decode() and refused.context["entries"] == []
    lost = client.get(reverse("audit"), {"before": "yesterday"})
    assert "Page: Enter a whole number." in lost.content.decode() and lost.context["entries"] == []


def test_the_page_and_the_api_read_a_fixed_number_of_queries(client, ada, alice, job, now,
                                                             django_assert_max_num_queries):
    for number in range(12):  # every type of object, with its link looked up
        application = application_at(f"Candidate {number}", job, alice, "interviewing", entered=now)
        ApiClient(alice).post(f"/candidates/{application.candidate_id}/competing-offers", {
            "company": "Initech", "stage": "offer", "base": str(Decimal(80000 + number)), "currency": "EUR"})
        record(Kind.VIEWED_CLIENT_REPORT, actor=alice, address=None, obj=job.client)
    client.force_login(ada)
    as_ada = ApiClient(ada)
    # The session, the user, the people to filter by, one page of entries, and at most one query per type of
    # object linked (candidates, applications, clients, offers, competing offers, priorities): whatever the page.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audit")).status_code == 200
    with django_assert_max_num_queries(4):  # the token, the count, the page
        assert as_ada.get("/audit", limit=200).status_code == 200
