"""The API tokens page (/settings/tokens/) and `homestretch token create|list|revoke`."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from homestretch.accounts.models import ApiToken
from homestretch.accounts.tokens import create_token, verify_token
from homestretch.cli import app


def test_page_creates_a_token_and_shows_it_once(client, alice, now, django_assert_max_num_queries):
    client.force_login(alice)
    response = client.post("/settings/tokens/", {"action": "create", "name": "ATS sync"})
    assert response.status_code == 200
    secret = re.search(r'value="(hs_[^"]+)"', response.content.decode()).group(1)
    assert verify_token(secret, at=now) == alice
    with django_assert_max_num_queries(6):
        listing = client.get("/settings/tokens/").content.decode()
    assert "ATS sync" in listing and secret not in listing


def test_page_revokes_only_the_users_own_tokens(client, alice, bob, now):
    mine = create_token(alice, at=now)
    bobs = create_token(bob, at=now)
    client.force_login(alice)
    assert client.post("/settings/tokens/", {"action": "revoke", "token_id": bobs.token.pk}).status_code == 400
    assert verify_token(bobs.secret, at=now) == bob
    assert client.post("/settings/tokens/", {"action": "revoke", "token_id": mine.token.pk}).status_code == 302
    assert verify_token(mine.secret, at=now) is None
    assert client.post("/settings/tokens/", {"action": "revoke", "token_id": "x"}).status_code == 400


def test_page_needs_sign_in(client, db):
    response = client.get("/settings/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_cli_creates_lists_and_revokes(alice, now):
    runner = CliRunner()
    created = runner.invoke(app, ["token", "create", "--user", "ALICE@example.com", "--name", "chat bot"])
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert verify_token(secret, at=now) == alice
    listed = runner.invoke(app, ["token", "list", "--format", "json"])
    assert listed.exit_code == 0 and "chat bot" in listed.output and secret not in listed.output
    token_id = ApiToken.objects.get().pk
    assert runner.invoke(app, ["token", "revoke", str(token_id)]).exit_code == 0
    assert verify_token(secret, at=now) is None


def test_cli_refuses_an_unknown_user_and_changes_nothing(db):
    result = CliRunner().invoke(app, ["token", "create", "--user", "nobody@example.com"])
    assert result.exit_code == 2
    assert not ApiToken.objects.exists()
