"""The application page: header, risk with all reasons and actions, wants beside our offer beside
the competition, and the timeline, at a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from homestretch.front.tests.pages import application_at, our_offer, pages_at_now  # noqa: F401
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Priorities
from homestretch.pipeline import services
from homestretch.pipeline.models import Touchpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]


def url(application) -> str:
    return reverse("application", kwargs={"application_id": application.pk})


@pytest.fixture
def contested(job, alice, now):
    """At the offer stage: our offer at 85,000 EUR, a rival at 92,000 EUR due in two days, priorities."""
    application = application_at("Priya Nair", job, alice, "offer", entered=now - timedelta(days=6),
                                 last_call=now - timedelta(days=5))
    our_offer(application, alice, now - timedelta(days=5), base=85000)
    offer_services.record_competing_offer(CompetingOffer(
        candidate=application.candidate, company="Initech", stage="offer", base=Decimal(92000), currency="EUR",
        deadline=(now + timedelta(days=2)).date(), learned_at=now - timedelta(days=3), confidential=True,
    ), by=alice)
    offer_services.set_priorities(Priorities(candidate=application.candidate, base_min=Decimal(88000),
                                             base_target=Decimal(95000), currency="EUR", remote_preference="hybrid"),
                                  by=alice, at=now - timedelta(days=4))
    return application


def test_the_url_is_named_application_with_application_id():
    assert reverse("application", kwargs={"application_id": 7}) == "/applications/7/"


def test_header_names_the_candidate_the_job_and_the_stage(client, bob, contested):
    client.force_login(bob)
    page = client.get(url(contested)).content.decode()
    assert "<h1>" in page and "Priya Nair" in page
    assert "Senior Backend Engineer at Acme Cloud" in page
    assert 'class="stage stage-offer">Offer<' in page


def test_risk_shows_every_reason_and_every_action(client, alice, contested):
    client.force_login(alice)
    response = client.get(url(contested))
    risk = response.context["risk"]
    assert risk.band in {"medium", "high"}
    page = response.content.decode()
    assert len(risk.reasons) >= 2
    for reason in risk.reasons:
        assert escape(reason.text) in page
    for action in risk.actions:
        assert escape(action.text) in page


def test_the_comparison_spells_out_a_competing_offer_paying_more(client, alice, contested):
    client.force_login(alice)
    response = client.get(url(contested))
    kinds = [column.kind for column in response.context["columns"]]
    assert kinds == ["priorities", "ours", "competing"]
    page = response.content.decode()
    assert "85,000 EUR" in page and "92,000 EUR" in page
    assert "Pays 7,000 EUR more base than ours" in page
    assert "Told in confidence." in page


def test_offers_in_another_currency_are_not_compared(client, alice, contested, now):
    CompetingOffer.objects.create(candidate=contested.candidate, company="Globex US", stage="offer",
                                  base=Decimal(120000), currency="USD", learned_at=now - timedelta(days=1))
    client.force_login(alice)
    page = client.get(url(contested)).content.decode()
    assert "Globex US&#x27;s offer is in USD per year, ours in EUR per year: not compared without a stated rate" in page
    assert "Pays 35,000" not in page


def test_the_timeline_has_touches_stage_changes_offers_and_competing_offers(client, alice, contested):
    client.force_login(alice)
    response = client.get(url(contested))
    kinds = {entry.kind for entry in response.context["timeline"]}
    assert {"touchpoint", "stage_change", "offer_event", "competing_offer", "priorities"} <= kinds
    assert "Learned of Initech" in response.content.decode()


def test_a_closed_application_is_not_scored_and_says_why(client, alice, job, now):
    application = application_at("Wendy Withdrawn", job, alice, "interviewing", entered=now - timedelta(days=3))
    services.move_stage(application.pk, services.StageMove("withdrawn", reason="Took another job",
                                                           loss_reason="competing_offer"),
                        by=alice, at=now - timedelta(days=1))
    client.force_login(alice)
    response = client.get(url(application))
    assert response.status_code == 200
    assert response.context["risk"] is None
    assert "Not scored" in response.content.decode()


def test_the_forms_are_shown_only_to_those_who_may_change(client, alice, charlie, victor, contested):
    client.force_login(alice)
    assert 'id="log-touch"' in client.get(url(contested)).content.decode()
    for reader in (charlie, victor):
        client.force_login(reader)
        page = client.get(url(contested)).content.decode()
        assert 'id="log-touch"' not in page
        assert "You can read this application" in page


def test_an_unknown_application_is_not_found(client, alice):
    client.force_login(alice)
    assert client.get("/applications/999999/").status_code == 404


def test_no_brief_link_until_the_brief_exists(client, alice, contested):
    from django.urls import NoReverseMatch

    try:
        brief = reverse("brief", kwargs={"application_id": contested.pk})
    except NoReverseMatch:
        brief = None
    client.force_login(alice)
    page = client.get(url(contested)).content.decode()
    if brief is None:
        assert "Brief for the hiring manager" not in page
    else:
        assert f'href="{brief}"' in page


def test_application_page_queries_do_not_grow_with_its_history(
    client, alice, contested, now, django_assert_max_num_queries
):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(url(contested))
    for i in range(30):
        services.log_touchpoint(Touchpoint(application=contested, recruiter=alice, at=now - timedelta(hours=40 - i),
                                           channel="email", direction="inbound", notes=f"note {i}"))
        CompetingOffer.objects.create(candidate=contested.candidate, company=f"Rival {i}", stage="interviewing",
                                      learned_at=now - timedelta(hours=30 - i))
    with django_assert_max_num_queries(len(few)):
        response = client.get(url(contested))
    assert len(response.context["timeline"]) > 60
    assert len(few) <= 25
