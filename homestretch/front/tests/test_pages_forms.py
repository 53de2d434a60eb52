"""The forms of the application page: log a touch (with a quick competing offer), move a stage,
competing offers, priorities and our offer. Errors beside their field; nothing typed lost; a refused
request changes nothing; only those who may change can post."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from homestretch.front.tests.pages import application_at, our_offer, pages_at_now  # noqa: F401
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.models import Application, StageChange, Touchpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


@pytest.fixture
def offered(job, alice, now):
    application = application_at("Priya Nair", job, alice, "offer", entered=now - timedelta(days=6),
                                 last_call=now - timedelta(days=5))
    our_offer(application, alice, now - timedelta(days=5), base=85000)
    return application


def post(client, name, application, data, **kwargs):
    return client.post(reverse(name, kwargs={"application_id": application.pk, **kwargs}), data)


def error_beside(page: str, field_id: str) -> str:
    """The error paragraph right after the field's input, or ''."""
    match = re.search(rf'id="{field_id}".*?<p class="error" id="{field_id}_error">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


CALL = {"channel": "call", "direction": "outbound", "interest": "4", "notes": "Keen, waiting on us"}


# --- Log a touch ----------------------------------------------------------------------------------


def test_logging_a_touch_records_it_now_and_returns_to_the_risk(client, alice, offered, now):
    client.force_login(alice)
    response = post(client, "log_touch", offered, {**CALL, "competition_asked": "on", "competition_answer": "none",
                                                  "status_update_given": "on"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/applications/{offered.pk}/#risk")
    touch = Touchpoint.objects.filter(application=offered).latest("at")
    assert (touch.at, touch.recruiter, touch.candidate_id) == (now, alice, offered.candidate_id)
    assert (touch.competition_answer, touch.status_update_given, touch.interest) == ("none", True, 4)


def test_a_call_revealing_a_better_paying_offer_raises_the_risk(client, alice, offered, now):
    client.force_login(alice)
    before = client.get(reverse("application", kwargs={"application_id": offered.pk})).context["risk"]
    deadline = (now + timedelta(days=2)).date()
    response = post(client, "log_touch", offered, {
        **CALL, "competition_asked": "on", "competition_answer": "disclosed", "rival_company": "Initech",
        "rival_kind": "external", "rival_stage": "offer", "rival_base": "95000", "rival_currency": "EUR",
        "rival_deadline": deadline.isoformat(), "rival_confidential": "on",
    })
    assert response.status_code == 302
    rival = CompetingOffer.objects.get(candidate=offered.candidate)
    assert (rival.company, rival.base, rival.deadline, rival.confidential) == ("Initech", Decimal(95000), deadline,
                                                                             True)
    assert rival.learned_in == Touchpoint.objects.filter(application=offered).latest("at")
    after = client.get(reverse("application", kwargs={"application_id": offered.pk})).context["risk"]
    assert after.probability > before.probability
    codes = {reason.code for reason in after.reasons}
    assert {"competing_pay_gap", "competing_deadline_days"} & codes
    assert {a.text for a in after.actions} != {a.text for a in before.actions}


def test_a_touch_error_shows_beside_its_field_and_keeps_what_was_typed(client, alice, offered):
    client.force_login(alice)
    count = Touchpoint.objects.count()
    response = post(client, "log_touch", offered, {**CALL, "competition_asked": "on", "competition_answer": "",
                                                  "notes": "She said: \"two offers\" & more"})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_beside(page, "id_competition_answer") == "Say what the candidate answered."
    assert "She said: &quot;two offers&quot; &amp; more" in page
    assert re.search(r'<details id="log-touch"[^>]* open', page)
    assert Touchpoint.objects.count() == count


def test_a_competing_offer_without_a_company_is_refused_and_nothing_is_saved(client, alice, offered):
    client.force_login(alice)
    count = Touchpoint.objects.count()
    response = post(client, "log_touch", offered, {**CALL, "competition_asked": "on",
                                                  "competition_answer": "disclosed", "rival_base": "99000",
                                                  "rival_currency": "EUR", "rival_stage": "offer",
                                                  "rival_kind": "external"})
    page = response.content.decode()
    assert error_beside(page, "id_rival_company") == "Name the company of the competing process."
    assert 'value="99000"' in page
    assert Touchpoint.objects.count() == count and not CompetingOffer.objects.exists()


def test_an_interest_out_of_range_is_refused_beside_it(client, alice, offered):
    client.force_login(alice)
    response = post(client, "log_touch", offered, {**CALL, "interest": "9"})
    assert "less than or equal to 5" in error_beside(response.content.decode(), "id_interest")


@pytest.mark.parametrize("who", ["charlie", "victor"])
def test_only_the_team_may_log_a_touch(client, offered, who, request):
    client.force_login(request.getfixturevalue(who))
    count = Touchpoint.objects.count()
    assert post(client, "log_touch", offered, CALL).status_code == 403
    assert Touchpoint.objects.count() == count


def test_forms_take_posts_only(client, alice, offered):
    client.force_login(alice)
    assert client.get(reverse("log_touch", kwargs={"application_id": offered.pk})).status_code == 405


# --- Move the stage -------------------------------------------------------------------------------


def test_moving_to_accepted_records_the_change(client, alice, offered, now):
    client.force_login(alice)
    response = post(client, "move_stage", offered, {"to_stage": "accepted"})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert (offered.stage, offered.accepted_at) == ("accepted", now)
    assert StageChange.objects.filter(application=offered).latest("at").by == alice


def test_a_loss_asks_for_its_reason_beside_the_field(client, alice, offered):
    client.force_login(alice)
    response = post(client, "move_stage", offered, {"to_stage": "declined", "reason": "Chose Initech"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the reason the candidate was lost" in error_beside(page, "id_loss_reason")
    assert "Chose Initech" in page
    offered.refresh_from_db()
    assert offered.stage == "offer"


def test_a_loss_with_its_reason_closes_the_application(client, alice, offered):
    client.force_login(alice)
    response = post(client, "move_stage", offered, {"to_stage": "declined", "reason": "Chose Initech",
                                                    "loss_reason": "competing_offer"})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.stage == "declined" and offered.closed_at is not None


def test_a_move_from_the_board_returns_to_the_board(client, alice, offered):
    client.force_login(alice)
    response = post(client, "move_stage", offered, {"to_stage": "accepted", "next": "/pipeline/?recruiter="})
    assert response["Location"] == "/pipeline/?recruiter="
    response = post(client, "move_stage", offered, {"to_stage": "started", "reason": "Our offer won",
                                                    "next": "https://evil.example/"})
    assert response["Location"] == f"/applications/{offered.pk}/"


def test_a_refused_move_says_why_and_changes_nothing(client, alice, offered):
    client.force_login(alice)
    response = post(client, "move_stage", offered, {"to_stage": "offer"})
    assert "already at" in error_beside(response.content.decode(), "id_to_stage")
    assert StageChange.objects.filter(application=offered).count() == 1  # the opening only


def test_another_team_cannot_move_the_card(client, charlie, offered):
    client.force_login(charlie)
    assert post(client, "move_stage", offered, {"to_stage": "accepted"}).status_code == 403
    assert Application.objects.get(pk=offered.pk).stage == "offer"


# --- Competing offers, priorities, our offer ------------------------------------------------------


def test_add_then_update_a_competing_offer(client, alice, offered, now):
    client.force_login(alice)
    response = post(client, "add_competing", offered, {
        "competing-kind": "counteroffer", "competing-company": "Globex", "competing-stage": "offer",
        "competing-base": "90000", "competing-currency": "EUR", "competing-period": "year",
        "competing-confidential": "on",
    })
    assert response.status_code == 302
    rival = CompetingOffer.objects.get()
    assert (rival.kind, rival.confidential, rival.learned_at, rival.recorded_by) == ("counteroffer", True, now, alice)
    edit = reverse("edit_competing", kwargs={"application_id": offered.pk, "competing_id": rival.pk})
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"competing-kind": "counteroffer", "competing-company": "Globex",
                                  "competing-stage": "closed", "competing-base": "90000",
                                  "competing-currency": "EUR", "competing-period": "year"})
    assert response.status_code == 302
    rival.refresh_from_db()
    assert (rival.stage, rival.confidential) == ("closed", False)


def test_a_competing_offer_with_pay_but_no_currency_is_refused_beside_the_currency(client, alice, offered):
    client.force_login(alice)
    response = post(client, "add_competing", offered, {
        "competing-kind": "external", "competing-company": "Initech", "competing-stage": "offer",
        "competing-base": "90000", "competing-period": "year",
    })
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "id_competing-currency") == "Give the currency of the amounts."
    assert not CompetingOffer.objects.exists()


def test_priorities_are_recorded_and_refused_when_the_minimum_exceeds_the_target(client, alice, offered, now):
    client.force_login(alice)
    fields = {"priorities-currency": "EUR", "priorities-period": "year", "priorities-remote_preference": "hybrid",
              **{f"priorities-importance_{k}": "3" for k in ("pay", "remote", "speed", "title", "growth", "stack")}}
    response = post(client, "set_priorities", offered, {**fields, "priorities-base_min": "99000",
                                                        "priorities-base_target": "90000"})
    assert response.status_code == 200
    assert "cannot exceed the target" in response.content.decode()
    assert not Priorities.objects.exists()
    response = post(client, "set_priorities", offered, {**fields, "priorities-base_min": "88000",
                                                        "priorities-base_target": "95000"})
    assert response.status_code == 302
    assert Priorities.objects.get().as_of == now


def test_revising_our_offer_supersedes_the_open_one(client, alice, offered):
    client.force_login(alice)
    response = post(client, "record_offer", offered, {
        "offer-status": "extended", "offer-base": "93000", "offer-currency": "EUR", "offer-period": "year",
        "offer-remote_policy": "hybrid", "offer-remote_days": "3",
    })
    assert response.status_code == 302
    assert list(Offer.objects.filter(application=offered).values_list("revision", "status", "base")) == [
        (2, "extended", Decimal(93000)), (1, "superseded", Decimal(85000))]


def test_an_offer_without_base_is_refused_beside_it(client, alice, offered):
    client.force_login(alice)
    response = post(client, "record_offer", offered, {"offer-status": "draft", "offer-currency": "EUR",
                                                      "offer-period": "year", "offer-remote_policy": "hybrid"})
    assert error_beside(response.content.decode(), "id_offer-base") == "This field is required."
    assert Offer.objects.filter(application=offered).count() == 1


def test_a_declined_offer_needs_its_reason(client, alice, offered):
    client.force_login(alice)
    response = post(client, "offer_status", offered, {"status-status": "declined"})
    assert error_beside(response.content.decode(), "id_status-decline_reason") == "Say why the candidate said no."
    response = post(client, "offer_status", offered, {"status-status": "declined",
                                                      "status-decline_reason": "counteroffer"})
    assert response.status_code == 302
    assert Offer.objects.get(application=offered).status == "declined"


def test_a_viewer_cannot_record_priorities(client, victor, offered):
    client.force_login(victor)
    assert post(client, "set_priorities", offered, {"priorities-currency": "EUR"}).status_code == 403
