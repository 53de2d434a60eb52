"""The export (right of access): every planted record in the JSON document, from the command line and the API,
and in the readable HTML; admins only; recorded in the audit; a fixed number of queries whatever the volume."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from homestretch.audit.models import Entry
from homestretch.cli import app
from homestretch.mailin.models import MailMessage, Proposal
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline import records, services
from homestretch.pipeline.models import Candidate, Job, Touchpoint
from homestretch.privacy.export import export_candidate
from homestretch.tests.api_client import ApiClient, assert_problem

pytestmark = pytest.mark.django_db
runner = CliRunner()

# Words planted in each kind of record, each found nowhere else: the export must carry every one.
PLANTED = {
    "details": "Prefers calls after six",
    "basis": "legitimate_interest",
    "objection": "No calls at work please",
    "stage_history": "Client moved fast",
    "touch_notes": "Counteroffer rumoured at Globex",
    "offer": "Relocation package agreed",
    "offer_event": "Sent by courier",
    "competing": "Initrode Dynamics",
    "competing_change": "Initrode raised its base",
    "priorities": "Wants a four-day week",
    "mail": "Re: the Berlin role and my notice",
    "proposal": "I have an offer from Initrode",
    "audit": "viewed export",
}


@pytest.fixture
def planted(alice, job, now):
    """A candidate with a record of every kind, written through the services as the app writes them."""
    priya = records.save_candidate(Candidate(
        name="Priya Nair", email="priya@example.org", notes=PLANTED["details"],
        legal_basis="legitimate_interest", basis_obtained_how="call", objected_at=now - timedelta(days=1),
        objection_note=PLANTED["objection"]), at=now - timedelta(days=30))
    other_job = Job.objects.create(client=job.client, title="Staff Engineer", base_min=Decimal(90000),
                                   base_max=Decimal(110000), currency="EUR")
    first = services.open_application(candidate=priya, job=job, recruiter=alice, by=alice,
                                      at=now - timedelta(days=20), stage="interviewing")
    services.move_stage(first.pk, services.StageMove("final_interview", reason=PLANTED["stage_history"]),
                        by=alice, at=now - timedelta(days=10))
    second = services.open_application(candidate=priya, job=other_job, recruiter=alice, by=alice,
                                       at=now - timedelta(days=5), stage="screening")
    touch = services.log_touchpoint(Touchpoint(application=first, recruiter=alice, at=now - timedelta(days=3),
                                               channel="call", direction="outbound", interest=4,
                                               notes=PLANTED["touch_notes"]))
    offer = offer_services.record_offer(Offer(application=first, base=Decimal(88000), currency="EUR",
                                              notes=PLANTED["offer"]), by=alice, at=now - timedelta(days=2))
    offer_services.record_offer(Offer(application=first, base=Decimal(91000), currency="EUR"), by=alice,
                                at=now - timedelta(days=1))  # a revision: the first is superseded, kept
    offer.events.create(at=now - timedelta(days=2), by=alice, from_status="draft", to_status="draft",
                        note=PLANTED["offer_event"])
    rival = offer_services.record_competing_offer(CompetingOffer(
        candidate=priya, company=PLANTED["competing"], base=Decimal(85000), currency="EUR",
        learned_at=now - timedelta(days=4), confidential=True), by=alice)
    rival.base, rival.notes = Decimal(95000), PLANTED["competing_change"]
    offer_services.record_competing_offer(rival, by=alice)
    offer_services.set_priorities(Priorities(candidate=priya, base_min=Decimal(80000), currency="EUR",
                                             must_haves=PLANTED["priorities"]), by=alice, at=now - timedelta(days=6))
    message = MailMessage.objects.create(
        team=alice.team, recruiter=alice, candidate=priya, via="upload", status="matched", fingerprint="f" * 64,
        direction="inbound", from_address="priya@example.org", subject=PLANTED["mail"], received_at=now,
        new_text="Happy to talk tomorrow.", size=120)
    message.touchpoints.add(touch)
    Proposal.objects.create(candidate=priya, team=alice.team, message=message, said_at=now,
                            kind="competing_offer", company="Initrode", evidence=PLANTED["proposal"], created_at=now)
    return {"candidate": priya, "applications": (first, second), "touch": touch, "message": message}


def assert_everything_planted(text: str) -> None:
    missing = [kind for kind, words in PLANTED.items() if kind != "audit" and words not in text]
    assert not missing, f"not exported: {missing}"


def test_the_json_export_holds_every_planted_record_in_its_place(planted, now):
    document = export_candidate(planted["candidate"].pk, now=now)
    assert_everything_planted(json.dumps(document))
    candidate = document["candidate"]
    assert (candidate["legal_basis"], candidate["basis_obtained_how"], candidate["objected"]) == (
        "legitimate_interest", "call", True)
    assert "search_text" not in candidate
    first, second = document["applications"]
    assert [change["to_stage"] for change in first["stage_history"]] == ["interviewing", "final_interview"]
    assert [offer["status"] for offer in first["offers"]] == ["superseded", "draft"]
    assert any(event["note"] == PLANTED["offer_event"] for event in first["offers"][0]["events"])
    assert first["job"] == {"title": "Senior Backend Engineer", "client": "Acme Cloud"}
    assert second["stage_history"][0]["to_stage"] == "screening" and second["offers"] == []
    assert [touch["notes"] for touch in document["touchpoints"]] == [PLANTED["touch_notes"]]
    (rival,) = document["competing_offers"]
    assert rival["confidential"] is True and rival["base"] == "95000.00"
    assert [change["base"] for change in rival["changes"]] == ["85000.00", "95000.00"]
    assert document["mail_messages"][0]["touchpoint_ids"] == [planted["touch"].pk]
    assert document["proposals"][0]["evidence"] == PLANTED["proposal"]
    # The audit's entries about her records: her creation, the applications', the offers'.
    kinds = {(entry["kind"], entry["object_type"]) for entry in document["audit_entries"]}
    assert ("created", "candidate") in kinds and ("created", "application") in kinds


def test_the_export_takes_a_fixed_number_of_queries_whatever_the_volume(planted, alice, now,
                                                                        django_assert_max_num_queries,
                                                                        django_assert_num_queries):
    priya = planted["candidate"]
    export_candidate(priya.pk, now=now)  # the content types of the audit's query, cached from then on
    with django_assert_max_num_queries(13) as few:
        export_candidate(priya.pk, now=now)
    for day in range(20):
        services.log_touchpoint(Touchpoint(candidate=priya, recruiter=alice, at=now - timedelta(days=40 + day),
                                           channel="email", direction="inbound", notes=f"note {day}"))
    with django_assert_num_queries(len(few.captured_queries)):
        document = export_candidate(priya.pk, now=now)
    assert len(document["touchpoints"]) == 21


def test_the_command_line_exports_to_standard_output_a_file_and_html(planted, tmp_path):
    pk = planted["candidate"].pk
    result = runner.invoke(app, ["candidate", "export", str(pk)])
    assert result.exit_code == 0, result.output
    assert_everything_planted(result.stdout)
    assert json.loads(result.stdout)["candidate"]["id"] == pk

    page = tmp_path / "priya.html"
    result = runner.invoke(app, ["candidate", "export", str(pk), "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert html.startswith("<!doctype html>")
    assert_everything_planted(html.replace("&#x27;", "'"))
    assert all(record in html for record in ("Application 2", "Touchpoint 1", "Competing offer 1", "E-mail 1",
                                             "Proposal 1", "Audit entry 1", "Stage history 2"))
    assert Entry.objects.filter(kind="viewed export", candidate_id=pk).count() == 2


def test_the_command_line_says_an_unknown_candidate_and_exits_2(db):
    result = runner.invoke(app, ["candidate", "export", "999999"])
    assert result.exit_code == 2
    assert "no candidate with id 999999" in result.output


def test_the_api_gives_admins_the_json_and_the_html_and_records_the_view(planted, ada):
    pk = planted["candidate"].pk
    api = ApiClient(ada)
    response = api.get(f"/candidates/{pk}/export")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert_everything_planted(response.content.decode())
    html = api.get(f"/candidates/{pk}/export", format="html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert_everything_planted(html.content.decode().replace("&#x27;", "'"))
    viewed = Entry.objects.filter(kind="viewed export", candidate_id=pk)
    assert [entry.actor_id for entry in viewed] == [ada.pk, ada.pk]
    # The next export lists those views among the audit entries about her.
    assert PLANTED["audit"] in api.get(f"/candidates/{pk}/export").content.decode()


def test_recruiters_and_viewers_are_refused_the_export(planted, alice, victor):
    pk = planted["candidate"].pk
    for user in (alice, victor):
        assert_problem(ApiClient(user).get(f"/candidates/{pk}/export"), 403)
    assert_problem(ApiClient(None).get(f"/candidates/{pk}/export"), 401)
    assert not Entry.objects.filter(kind="viewed export").exists()


def test_an_unknown_candidate_is_404(ada):
    assert_problem(ApiClient(ada).get("/candidates/999999/export"), 404)


def test_the_candidate_page_offers_the_download_to_admins_only(client, planted, ada, alice):
    pk = planted["candidate"].pk
    url = reverse("candidate-export", kwargs={"candidate_id": pk})
    client.force_login(alice)
    assert url not in client.get(reverse("candidate", kwargs={"candidate_id": pk})).content.decode()
    assert client.get(url).status_code == 403
    client.force_login(ada)
    assert url in client.get(reverse("candidate", kwargs={"candidate_id": pk})).content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="candidate-{pk}.json"'
    assert_everything_planted(download.content.decode())
    readable = client.get(url, {"format": "html"})
    assert readable.status_code == 200 and "Everything Homestretch holds about Priya Nair" in readable.content.decode()
