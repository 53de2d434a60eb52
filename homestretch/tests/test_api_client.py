"""A client generated from the OpenAPI document (openapi-python-client) works: its operations have
short names (`readJob`, `listApplications`), and every read endpoint answers through it, against the
live test server (issue 15, item 15). Generated once per session, into a temporary directory."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from homestretch.accounts.tokens import create_token
from homestretch.api import api

PACKAGE = "homestretch_generated_client"


def _operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return [(method, path, operation) for path, operations in schema["paths"].items()
            for method, operation in operations.items()]


def test_operation_ids_are_unique_short_and_camel_case():
    ids = [operation["operationId"] for _, _, operation in _operations()]
    assert len(ids) == len(set(ids)), sorted(ids)
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", operation_id), operation_id
        assert len(operation_id) <= 30, operation_id
    assert {"readJob", "listApplications", "logTouchpoint", "readAgenda"} <= set(ids)


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory) -> object:
    """The client package, generated once from the document as the server serves it."""
    where = tmp_path_factory.mktemp("client")
    document = where / "openapi.json"
    document.write_text(json.dumps(api.get_openapi_schema()))
    venv_bin = Path(sys.executable).parent
    result = subprocess.run(  # noqa: S603 - our own virtualenv's generator, fixed arguments
        [str(venv_bin / "openapi-python-client"), "generate", "--path", str(document),
         "--output-path", str(where / PACKAGE), "--meta", "none"],
        capture_output=True, text=True, timeout=120, cwd=where,
        env={**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", operation_id).lower()


@pytest.mark.django_db(transaction=True)
def test_every_read_endpoint_answers_through_a_generated_client(generated_client, live_server, ada, alice, now):
    from homestretch.offers.models import CompetingOffer, Offer, Priorities
    from homestretch.offers.services import record_competing_offer, record_offer, set_priorities
    from homestretch.pipeline import services
    from homestretch.pipeline.models import Candidate, Client, Job, Touchpoint

    client_record = Client.objects.create(name="Acme")
    job = Job.objects.create(client=client_record, title="Engineer", base_min=Decimal("60000"),
                             base_max=Decimal("90000"))
    candidate = Candidate.objects.create(name="Priya Nair", email="priya@example.org")
    application = services.open_application(candidate=candidate, job=job, recruiter=alice, by=ada, at=now,
                                            stage="final_interview")
    touchpoint = services.log_touchpoint(Touchpoint(application=application, at=now, channel="call",
                                                    direction="outbound", interest=4), now=now)
    offer = record_offer(Offer(application=application, base=Decimal("80000")), by=ada, at=now)
    competing = record_competing_offer(CompetingOffer(candidate=candidate, company="Globex", learned_at=now), by=ada)
    set_priorities(Priorities(candidate=candidate, notice_days=30), by=ada, at=now)
    ids = {"client_id": client_record.pk, "job_id": job.pk, "candidate_id": candidate.pk,
           "application_id": application.pk, "touchpoint_id": touchpoint.pk, "offer_id": offer.pk,
           "competing_offer_id": competing.pk}

    token = create_token(ada, name="generated client", at=now).secret
    client = generated_client.AuthenticatedClient(base_url=live_server.url, token=token)
    reads = [(path, operation) for method, path, operation in _operations() if method == "get"]
    assert len(reads) >= 20
    for path, operation in reads:
        tag = re.sub(r"[^a-z0-9]+", "_", operation["tags"][0].lower())
        module = importlib.import_module(f"{PACKAGE}.api.{tag}.{_snake(operation['operationId'])}")
        arguments = {name: ids[name] for name in re.findall(r"{(\w+)}", path)}
        response = module.sync_detailed(client=client, **arguments)
        assert response.status_code == 200, (path, response.status_code, response.content[:500])
        assert response.parsed is not None, path
