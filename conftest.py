"""Shared test fixtures: alice (recruiter), bob (her teammate), charlie (another team's recruiter),
victor (a viewer) and ada (an admin), so that access rules get tested as a matter of course."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

# Tests never read the real clock: every rule takes its "now", and this is the one they use.
CURRENT_TIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

POSTGRES_HINT = (
    "needs PostgreSQL: run `HOMESTRETCH_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test make test` "
    "(CI does this through .ci/run)"
)


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres:
        return
    skip = pytest.mark.skip(reason=POSTGRES_HINT)
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def now() -> datetime:
    return CURRENT_TIME


@pytest.fixture
def teams(db):
    from homestretch.accounts.models import Team

    return {
        "north": Team.objects.create(name="North"),
        "south": Team.objects.create(name="South"),
    }


def _user(email: str, **extra):
    from homestretch.accounts.models import User

    return User.objects.create_user(email=email, password="correct horse battery", **extra)


@pytest.fixture
def alice(teams):
    return _user("alice@example.com", first_name="Alice", last_name="Archer", team=teams["north"])


@pytest.fixture
def bob(teams):
    return _user("bob@example.com", first_name="Bob", last_name="Baker", team=teams["north"])


@pytest.fixture
def charlie(teams):
    return _user("charlie@example.com", first_name="Charlie", last_name="Chen", team=teams["south"])


@pytest.fixture
def victor(teams):
    from homestretch.accounts.choices import Role

    return _user("victor@example.com", first_name="Victor", last_name="Viewer", role=Role.VIEWER)


@pytest.fixture
def ada(teams):
    from homestretch.accounts.models import User

    return User.objects.create_superuser(email="ada@example.com", password="correct horse battery",
                                         first_name="Ada", last_name="Admin")


@pytest.fixture
def job(db):
    from decimal import Decimal

    from homestretch.pipeline.models import Client, HiringManager, Job

    client = Client.objects.create(name="Acme Cloud", industry="Software", size="medium")
    manager = HiringManager.objects.create(client=client, name="Hannah Hill", title="VP Engineering")
    return Job.objects.create(
        client=client, hiring_manager=manager, title="Senior Backend Engineer", seniority="senior",
        skills="Python, Django, PostgreSQL", location="Berlin", base_min=Decimal("80000"),
        base_max=Decimal("95000"), currency="EUR", period="year", remote_policy="hybrid", remote_days=3,
    )


@pytest.fixture
def candidate(db):
    from homestretch.pipeline.models import Candidate

    return Candidate.objects.create(
        name="Priya Nair", email="priya@example.org", location="Berlin", current_employer="Globex",
        skills="Python, Django", consent_to_contact=True,
    )


@pytest.fixture
def application(alice, job, candidate, now):
    """Alice's application of Priya for the Acme job, at the final interview."""
    from homestretch.pipeline import services

    return services.open_application(
        candidate=candidate, job=job, recruiter=alice, by=alice, at=now, stage="final_interview"
    )


@pytest.fixture(autouse=True)
def _no_real_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Pages link their CSS through the manifest storage, whose manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every fixture user gets a password; the production hasher is slow on purpose, tests need not be.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _live_weights_just_read():
    """Risks are scored with the live model's weights, read at most once a minute per process
    (homestretch.risk.live). Each test starts as a process that has just read "no trained model",
    so query counts do not depend on test order; tests of trained models clear the cache themselves."""
    from homestretch.risk.live import clear_live_cache, remember_live_weights
    from homestretch.risk.weights import EXPERT_WEIGHTS

    remember_live_weights(EXPERT_WEIGHTS)
    yield
    clear_live_cache()


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'postgresql' if url.startswith('postgres') else 'sqlite'}"
