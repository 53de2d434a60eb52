"""`homestretch createuser` and `homestretch manage`: the operator's way in."""

import pytest
from typer.testing import CliRunner

from homestretch.accounts.models import Team, User
from homestretch.cli import app

runner = CliRunner()
STRONG = "a long and unusual passphrase"


@pytest.mark.django_db
def test_createuser_makes_a_recruiter_in_a_new_team():
    result = runner.invoke(
        app, ["createuser", "--email", " Rita@Example.com ", "--team", "Platform", "--first-name", "Rita",
              "--password", STRONG],
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(email="rita@example.com")
    assert user.role == "recruiter"
    assert user.team == Team.objects.get(name="Platform")
    assert user.check_password(STRONG)
    assert not user.is_staff


@pytest.mark.django_db
def test_createuser_admin_reaches_the_back_office():
    result = runner.invoke(app, ["createuser", "--email", "boss@example.com", "--role", "admin", "--password", STRONG])
    assert result.exit_code == 0, result.output
    boss = User.objects.get(email="boss@example.com")
    assert boss.is_admin and boss.is_staff and boss.is_superuser


@pytest.mark.django_db
def test_createuser_refuses_a_recruiter_without_team_and_changes_nothing():
    result = runner.invoke(app, ["createuser", "--email", "x@example.com", "--password", STRONG])
    assert result.exit_code == 2
    assert "--team" in result.output
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createuser_refuses_unknown_role():
    result = runner.invoke(app, ["createuser", "--email", "x@example.com", "--role", "boss", "--password", STRONG])
    assert result.exit_code == 2
    assert "admin, recruiter, viewer" in result.output
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createuser_refuses_a_weak_password_and_creates_no_team():
    result = runner.invoke(app, ["createuser", "--email", "x@example.com", "--team", "New", "--password", "123"])
    assert result.exit_code == 1
    assert "too weak" in result.output
    assert not User.objects.exists()
    assert not Team.objects.filter(name="New").exists()


@pytest.mark.django_db
def test_createuser_refuses_a_taken_email_whatever_its_case(alice):
    result = runner.invoke(app, ["createuser", "--email", "ALICE@example.com", "--team", "North", "--password", STRONG])
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_createuser_refuses_a_malformed_email():
    result = runner.invoke(app, ["createuser", "--email", "not-an-address", "--team", "T", "--password", STRONG])
    assert result.exit_code == 1
    assert "email" in result.output.lower()
    assert not User.objects.exists()


def test_manage_passes_through_to_django():
    result = runner.invoke(app, ["manage", "check"])
    assert result.exit_code == 0, result.output
