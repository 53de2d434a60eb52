"""What the audit records by itself: sign-ins, failed sign-ins, roles and teams, API tokens, brief views;
with who and from where, and never a secret."""

from __future__ import annotations

import pytest
from django.test import Client

from homestretch.accounts.tokens import create_token, revoke_token
from homestretch.audit.choices import Kind
from homestretch.audit.models import Entry
from homestretch.tests.api_client import ApiClient

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # conftest's


def test_a_sign_in_is_recorded_with_the_address(alice):
    client = Client(REMOTE_ADDR="198.51.100.23")
    response = client.post("/login/", {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    entry = Entry.objects.get(kind=Kind.SIGN_IN)
    assert (entry.actor, entry.remote_addr, entry.object_id) == (alice, "198.51.100.23", alice.pk)


def test_a_failed_sign_in_is_recorded_with_the_account_typed_and_never_the_password(alice):
    client = Client(REMOTE_ADDR="198.51.100.24")
    client.post("/login/", {"username": "Alice@Example.com", "password": "wrong horse"})
    client.post("/login/", {"username": "nobody@example.com", "password": "wrong horse"})
    known, unknown = Entry.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("id")
    assert (known.actor, known.remote_addr, known.object_id) == (None, "198.51.100.24", alice.pk)
    assert known.additional_data == {"account typed": "Alice@Example.com"}
    assert (unknown.object_id, unknown.content_type, unknown.additional_data) == (
        None, None, {"account typed": "nobody@example.com"})
    everything = str(list(Entry.objects.values()))
    assert "wrong horse" not in everything and "pbkdf2" not in everything and "md5$" not in everything


def test_the_address_behind_a_trusted_proxy_is_the_client_s(alice, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    client.post("/login/", {"username": "alice@example.com", "password": PASSWORD})
    assert Entry.objects.get(kind=Kind.SIGN_IN).remote_addr == "203.0.113.50"


def test_a_token_s_creation_and_revocation_are_recorded_without_the_secret(alice, now):
    new = create_token(alice, name="ATS sync", at=now)
    revoke_token(new.token.pk, user=alice, at=now)
    created, revoked = Entry.objects.get(kind=Kind.TOKEN_CREATED), Entry.objects.get(kind=Kind.TOKEN_REVOKED)
    assert created.object_id == revoked.object_id == new.token.pk
    assert created.changes["name"] == [None, "ATS sync"] and "hashed_secret" not in created.changes
    assert list(revoked.changes) == ["revoked_at"]
    everything = str(list(Entry.objects.values()))
    assert new.secret not in everything and new.token.hashed_secret not in everything


def test_a_role_and_a_team_change_are_recorded_and_nothing_of_the_password(alice, teams):
    alice.role = "viewer"
    alice.save()
    alice.team = teams["south"]
    alice.set_password("another horse battery")
    alice.save()
    role = Entry.objects.get(kind=Kind.ROLE_CHANGED)
    assert role.changes == {"role": ["recruiter", "viewer"]}
    team = Entry.objects.get(kind=Kind.TEAM_CHANGED)
    assert team.changes == {"team": [teams["north"].pk, teams["south"].pk]}
    assert "password" not in str(list(Entry.objects.values_list("changes", flat=True)))


def test_a_sign_in_s_last_login_is_no_change_of_the_user(alice):
    Client().force_login(alice)
    assert not Entry.objects.filter(kind__in=[Kind.CHANGED, Kind.ROLE_CHANGED], object_id=alice.pk).exists()


def test_a_brief_view_is_recorded_on_the_page_and_in_the_api(client, alice, application):
    client.force_login(alice)
    assert client.get(f"/applications/{application.pk}/brief/?audience=client",
                      REMOTE_ADDR="192.0.2.7").status_code == 200
    assert ApiClient(alice).get(f"/applications/{application.pk}/brief", format="md").status_code == 200
    page, api = Entry.objects.filter(kind=Kind.VIEWED_BRIEF).order_by("id")
    assert (page.actor, page.remote_addr, page.object_id, page.candidate_id) == (
        alice, "192.0.2.7", application.pk, application.candidate_id)
    assert page.additional_data == {"audience": "client", "format": "page"}
    assert (api.actor, api.additional_data) == (alice, {"audience": "internal", "format": "md"})


def test_a_brief_on_the_command_line_is_recorded_as_the_command_line(application):
    from typer.testing import CliRunner

    from homestretch.cli import app

    result = CliRunner().invoke(app, ["brief", str(application.pk), "--format", "json"])
    assert result.exit_code == 0, result.output
    entry = Entry.objects.get(kind=Kind.VIEWED_BRIEF)
    assert entry.actor is None and entry.actor_label.startswith("command line (")
    assert (entry.object_id, entry.candidate_id) == (application.pk, application.candidate_id)


def test_a_spreadsheet_import_is_one_entry_with_its_counts(tmp_path, alice, now):
    from homestretch.audit.context import acting
    from homestretch.spreadsheets.importer import import_sheet

    sheet = tmp_path / "people.csv"
    sheet.write_text("Name,Email\nAna Muller,ana@example.org\nBo Chen,bo@example.org\n", encoding="utf-8")
    with acting(alice, address="192.0.2.9"):
        result = import_sheet(sheet, kind="candidates", at=now)
    assert result.written
    entry = Entry.objects.get(kind=Kind.IMPORTED)
    assert (entry.actor, entry.remote_addr) == (alice, "192.0.2.9")
    assert entry.additional_data["file"] == "people.csv"
    assert entry.additional_data["candidates"] == {"created": 2, "updated": 0}
    # The rows went in bulk: no entry of their own (docs/data-rights.md, What bulk writes record).
    assert not Entry.objects.filter(kind=Kind.CREATED, content_type__model="candidate").exists()
