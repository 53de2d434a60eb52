"""GET /api/v1/applications/{id}/brief?audience=&format=."""

from __future__ import annotations

import pytest
from ninja.testing import TestClient

from homestretch.briefs.api import router
from homestretch.briefs.render import SECTIONS

from .conftest import MARKERS

pytestmark = pytest.mark.django_db
AT = "2026-11-20T09:30:00Z"


def _mounted() -> bool:
    from homestretch.api import api

    return any(mounted is router for _, mounted in api._routers)


def test_json_brief_has_one_key_per_section_and_explained_levers(full_application, alice):
    response = TestClient(router).get(f"/applications/{full_application.pk}/brief?audience=client&at={AT}",
                                      auth=alice, user=alice)
    assert response.status_code == 200, response.content
    data = response.json()
    assert tuple(data) == SECTIONS
    levers = {lever["code"]: lever for lever in data["levers"]}
    # The client brief's ask: the top of the confidential offer's band (95,000-110,000), 110,000.
    assert (levers["base"]["amount"], levers["base"]["currency"]) == (110000, "EUR")
    assert data["risk"] is None
    assert levers["offer_by"]["on"] == "2026-11-18"
    assert levers["remote_days"]["days"] == 3
    assert levers["start_date"]["on"] == "2026-12-21"
    assert all(lever["text"] for lever in data["levers"])
    assert MARKERS["confidential_company"] not in response.content.decode()


def test_markdown_and_html_formats(full_application, alice):
    client = TestClient(router)
    markdown = client.get(f"/applications/{full_application.pk}/brief?format=md&at={AT}", auth=alice, user=alice)
    assert markdown.status_code == 200
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown.content.decode().startswith("# Brief: Priya Nair")
    html = client.get(f"/applications/{full_application.pk}/brief?format=html&at={AT}", auth=alice, user=alice)
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert html.content.decode().startswith('<article class="brief" data-audience="internal">')


def test_unknown_audience_is_invalid_input(full_application, alice):
    response = TestClient(router).get(f"/applications/{full_application.pk}/brief?audience=board",
                                      auth=alice, user=alice)
    assert response.status_code == 422
    assert "audience" in response.content.decode()


@pytest.mark.skipif("not _mounted()", reason="homestretch.briefs.api.router is not mounted in homestretch/api.py yet")
def test_through_the_mounted_api_with_a_real_token(full_application, alice):
    from homestretch.tests.api_client import ApiClient, assert_problem

    api = ApiClient(alice)
    response = api.get(f"/applications/{full_application.pk}/brief", audience="client", at=AT)
    assert response.status_code == 200, response.content
    assert tuple(response.json()) == SECTIONS
    assert_problem(api.get(f"/applications/{full_application.pk}/brief", audience="board"), 422, "audience")
    assert_problem(api.get("/applications/987654/brief"), 404)
    assert_problem(ApiClient().get(f"/applications/{full_application.pk}/brief"), 401)
