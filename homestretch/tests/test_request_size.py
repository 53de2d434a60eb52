"""A request body over the limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) is refused with 413: a problem
document from the API, a plain page from the web app; never a server error. Just under the limit, the
request is read as usual."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from homestretch.tests.api_client import ApiClient, assert_problem

LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_limit_is_the_documented_two_and_a_half_megabytes():
    assert LIMIT == 2_621_440


def _json_body_of(size: int) -> str:
    padding = size - len(json.dumps({"name": "", "notes": ""}))
    return json.dumps({"name": "Big Notes Ltd", "notes": "x" * (padding - len("Big Notes Ltd"))})


def test_an_api_body_over_the_limit_is_a_413_problem_document(alice):
    body = _json_body_of(LIMIT + 1)
    response = ApiClient(alice).post("/clients", body)
    problem = assert_problem(response, 413)
    assert problem["title"] == "Content too large"
    assert "2.5 MB" in problem["detail"]
    assert problem["type"].endswith("/content-too-large")


def test_an_api_body_just_under_the_limit_is_read_as_usual(alice):
    body = _json_body_of(LIMIT - 100)
    response = ApiClient(alice).post("/clients", body)
    assert response.status_code != 413
    assert response.status_code < 500, response.content


@pytest.mark.django_db
def test_a_web_form_over_the_limit_is_a_plain_413_page(client, alice, application):
    client.force_login(alice)
    url = reverse("log_touch", args=[application.pk])
    response = client.post(url, {"channel": "call", "notes": "x" * (LIMIT + 1)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Too large" in page and "2.5 MB" in page


def test_the_sign_in_form_over_the_limit_is_a_413_page_too(client):
    response = client.post(reverse("login"), {"username": "a@example.com", "password": "x" * (LIMIT + 1)})
    assert response.status_code == 413
