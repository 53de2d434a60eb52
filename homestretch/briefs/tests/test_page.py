"""The brief page: /applications/<id>/brief/ with ?audience=client, a Copy Markdown button and print rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import MARKERS, SECRET_PAY, make_full_application

pytestmark = pytest.mark.django_db


def url(application_id: int, **query) -> str:
    path = reverse("brief", kwargs={"application_id": application_id})
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_internal_brief_page_shows_everything_and_copies_markdown(client, alice, full_application):
    client.force_login(alice)
    response = client.get(url(full_application.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Priya Nair for Senior Backend Engineer at Acme Cloud" in page
    assert MARKERS["confidential_company"] in page and MARKERS["confidential_notes"] in page
    assert 'id="brief-copy"' in page and "Copy Markdown" in page
    assert '<textarea id="brief-markdown"' in page and "# Brief: Priya Nair" in page
    assert "homestretch/brief.css" in page and "homestretch/brief.js" in page
    for section in ("Where it stands", "Our offer", "Competing processes and offers", "Risk", "Levers",
                    "Talking points for the next call", "Missing"):
        assert section in page


def test_client_brief_page_holds_nothing_told_in_confidence(client, alice, full_application):
    client.force_login(alice)
    response = client.get(url(full_application.pk, audience="client"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "For the hiring manager" in page
    for marker in (*MARKERS.values(), *SECRET_PAY):
        assert marker not in page  # neither in the body nor in the Markdown kept for the copy button


def test_unknown_audience_is_a_clear_400(client, alice, application):
    client.force_login(alice)
    response = client.get(url(application.pk, audience="board"))
    assert response.status_code == 400
    assert response.content.decode() == "audience must be internal or client, not 'board'."


def test_unknown_application_is_404(client, alice, db):
    client.force_login(alice)
    assert client.get(url(424242)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, application):
    response = client.get(url(application.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("reader", ["bob", "charlie", "victor", "ada"])
def test_every_signed_in_reader_may_read_a_brief(client, request, reader, application):
    client.force_login(request.getfixturevalue(reader))
    assert client.get(url(application.pk)).status_code == 200


def test_page_queries_are_bounded_and_do_not_grow_with_the_data(
    client, alice, application, now, django_assert_max_num_queries,
):
    from homestretch.offers import services as offers
    from homestretch.offers.models import CompetingOffer

    client.force_login(alice)
    client.get(url(application.pk))  # warm the session and the user
    with CaptureQueriesContext(connection) as thin:
        client.get(url(application.pk))
    make_full_application(application, alice, now)
    for n in range(10):
        offers.record_competing_offer(CompetingOffer(
            candidate=application.candidate, company=f"Company {n}", stage="interviewing",
            learned_at=now - timedelta(hours=n + 1)), by=alice)
    with django_assert_max_num_queries(20):
        response = client.get(url(application.pk, audience="client"))
    assert "Company 9" in response.content.decode()
    with CaptureQueriesContext(connection) as full:
        client.get(url(application.pk))
    assert len(full.captured_queries) <= len(thin.captured_queries) + 1  # +1: the offer-status history
