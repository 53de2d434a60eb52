"""API authentication: personal tokens (hashed, revocable, acting with their user's rights), the
problem documents of refused requests, and the OpenAPI document and docs page without a CDN."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from homestretch.accounts.models import ApiToken
from homestretch.accounts.tokens import create_token, hash_token, revoke_token, verify_token
from homestretch.tests.api_client import ApiClient, assert_problem


def test_token_is_stored_only_as_a_hash(alice, now):
    new = create_token(alice, name="ATS sync", at=now)
    stored = ApiToken.objects.get()
    assert new.secret.startswith(f"hs_{stored.prefix}_")
    assert stored.hashed_secret == hash_token(new.secret)
    assert new.secret not in {stored.hashed_secret, stored.prefix, stored.name}
    assert verify_token(new.secret, at=now) == alice


def test_revoked_or_unknown_token_verifies_to_nobody(alice, now):
    new = create_token(alice, at=now)
    revoke_token(new.token.pk, user=alice, at=now)
    assert verify_token(new.secret, at=now) is None
    assert verify_token("hs_deadbeef_nothing", at=now) is None
    assert verify_token("", at=now) is None


def test_token_of_inactive_user_verifies_to_nobody(alice, now):
    new = create_token(alice, at=now)
    alice.is_active = False
    alice.save()
    assert verify_token(new.secret, at=now) is None


def test_user_cannot_revoke_someone_elses_token(alice, bob, now):
    bobs = create_token(bob, at=now)
    with pytest.raises(ApiToken.DoesNotExist):
        revoke_token(bobs.token.pk, user=alice, at=now)
    assert verify_token(bobs.secret, at=now) == bob


def test_last_use_is_recorded_at_most_once_a_minute(alice, now):
    new = create_token(alice, at=now)
    verify_token(new.secret, at=now)
    verify_token(new.secret, at=now + timedelta(seconds=30))
    assert ApiToken.objects.get().last_used_at == now
    verify_token(new.secret, at=now + timedelta(minutes=2))
    assert ApiToken.objects.get().last_used_at == now + timedelta(minutes=2)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer hs_nope_nope", "Basic YWxpY2U6cHc=", "Bearer \u00e9\u00e9"])
def test_requests_without_a_valid_token_get_401_problem(db, client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/applications", headers=headers)
    body = assert_problem(response, 401)
    assert "Bearer" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_api_does_not_redirect_to_the_sign_in_page(db, client):
    response = client.post("/api/v1/clients", data="{}", content_type="application/json")
    assert response.status_code == 401


def test_revoked_token_is_refused_by_the_api(alice, now):
    api = ApiClient(alice)
    assert api.get("/ping").status_code == 200
    revoke_token(ApiToken.objects.get().pk, user=alice, at=now)
    assert_problem(api.get("/ping"), 401)


def test_me_is_the_tokens_user(alice):
    body = ApiClient(alice).get("/me").json()
    assert body["email"] == "alice@example.com" and body["role"] == "recruiter"


def test_token_acts_with_its_users_rights_only(victor, alice, application):
    viewer = ApiClient(victor)
    assert viewer.get(f"/applications/{application.pk}").status_code == 200
    assert_problem(viewer.post("/clients", {"name": "Initech"}), 403)
    assert_problem(viewer.post(f"/applications/{application.pk}/stage", {"stage": "verification"}), 403)
    application.refresh_from_db()
    assert application.stage == "final_interview"


def test_openapi_document_needs_no_token_and_lists_the_resources(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/clients", "/api/v1/jobs", "/api/v1/candidates", "/api/v1/applications",
                 "/api/v1/applications/{application_id}/stage", "/api/v1/applications/{application_id}/touchpoints",
                 "/api/v1/candidates/{candidate_id}/competing-offers", "/api/v1/candidates/{candidate_id}/priorities",
                 "/api/v1/applications/{application_id}/offers", "/api/v1/agenda",
                 "/api/v1/applications/{application_id}/risk"):
        assert path in paths
    errors = paths["/api/v1/applications"]["post"]["responses"]["422"]["content"]
    assert list(errors) == ["application/problem+json"]


def test_docs_page_loads_its_assets_from_this_server_only(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in references), references
    assert "cdn" not in html.lower()
    # Served by whitenoise after collectstatic, like the app's own files: found by the static finders.
    for ref in references:
        assert finders.find(ref.removeprefix(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                             else "/" + settings.STATIC_URL)), ref


def test_an_unexpected_failure_is_a_500_problem_without_personal_data_in_the_log(alice, caplog, monkeypatch):
    from homestretch.pipeline import api as pipeline_api

    def broken(*args, **kwargs):
        raise RuntimeError("@".join(["priya", "example.org"]))  # a message with personal data in it

    monkeypatch.setattr(pipeline_api, "paginate_values", broken)
    body = assert_problem(ApiClient(alice).get("/clients"), 500)
    assert "priya" not in body["detail"]
    assert "RuntimeError in the API on GET /api/v1/clients" in caplog.text
    assert "priya@example.org" not in caplog.text


def test_an_unknown_api_path_is_a_404_problem(alice):
    body = assert_problem(ApiClient(alice).get("/no-such-thing"), 404)
    assert "/api/v1/no-such-thing" in body["detail"]


def test_back_office_revokes_tokens_but_cannot_create_them(client, ada, alice, now):
    new = create_token(alice, at=now)
    client.force_login(ada)
    changelist = "/admin/accounts/apitoken/"
    response = client.post(changelist, {"action": "revoke", "_selected_action": [new.token.pk]})
    assert response.status_code == 302
    assert verify_token(new.secret, at=now) is None
    assert client.get(changelist + "add/").status_code == 403
    assert new.token.hashed_secret not in client.get(f"{changelist}{new.token.pk}/change/").content.decode()
