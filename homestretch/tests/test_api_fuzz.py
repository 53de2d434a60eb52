"""Schemathesis against the live OpenAPI document, with a real token, over a little real data.

It generates requests from the document (valid and invalid ones: wrong types, missing fields,
unknown ids, huge strings, odd unicode, dates out of range) and checks every response: never a
server error, always a status, content type and body that the document declares. Bounded: a fixed
number of examples per operation and a time budget, so it fits in `make test` and CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.signals import request_started

from homestretch.accounts.tokens import create_token

MIN_REQUESTS = 1000
EXAMPLES_PER_OPERATION = int(os.environ.get("HOMESTRETCH_FUZZ_EXAMPLES", "15"))
TIME_BUDGET_SECONDS = 120

# Every check on (`--checks all`; ST302 through fuzz_hooks.py, which knows the API's documented 404s).
# What a document cannot state (a bound relative to now, one field compared with another) fuzz_hooks.py
# tells the generator; it also makes every Idempotency-Key unique, as a client does.


def _fill(admin, recruiter, now) -> None:
    """A little of everything, so that generated ids 1, 2, 3… hit real records too."""
    from homestretch.offers.models import CompetingOffer, Offer, Priorities
    from homestretch.offers.services import record_competing_offer, record_offer, set_priorities
    from homestretch.pipeline import services
    from homestretch.pipeline.models import Candidate, Client, Job, Touchpoint

    for n in range(1, 4):
        client = Client.objects.create(name=f"Client {n}")
        job = Job.objects.create(client=client, title=f"Engineer {n}", base_min=Decimal("60000"),
                                 base_max=Decimal("90000"))
        candidate = Candidate.objects.create(name=f"Candidate {n}", email=f"c{n}@example.org")
        application = services.open_application(candidate=candidate, job=job, recruiter=recruiter, by=admin,
                                                 at=now, stage="final_interview")
        services.log_touchpoint(Touchpoint(application=application, at=now, channel="call",
                                           direction="outbound", interest=4))
        record_offer(Offer(application=application, base=Decimal("80000")), by=admin, at=now)
        record_competing_offer(CompetingOffer(candidate=candidate, company="Globex", base=Decimal("85000"),
                                              currency="EUR", learned_at=now), by=admin)
        set_priorities(Priorities(candidate=candidate, base_min=Decimal("70000"), currency="EUR"), by=admin, at=now)


@pytest.mark.django_db(transaction=True)
def test_generated_requests_find_no_server_error_and_no_schema_violation(live_server, ada, alice, now, tmp_path):
    _fill(ada, alice, now)
    secret = create_token(ada, name="fuzzing", at=now).secret
    requests_seen = []

    def count(sender, **kwargs):
        requests_seen.append(1)

    # The token through the document's own security scheme, so that schemathesis can also leave it out
    # (every endpoint must then answer 401).
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[auth.openapi.BearerToken]\nbearer = "{secret}"\n')
    request_started.connect(count, weak=False)
    try:
        result = subprocess.run(  # noqa: S603 - our own virtualenv's schemathesis, fixed arguments
            [
                str(Path(sys.executable).parent / "st"), "--config-file", str(config),
                "run", f"{live_server.url}/api/v1/openapi.json",
                "--checks", "all",
                # In all, as fuzz_hooks.created_resource_available, which knows two 404s it cannot tell apart.
                "--exclude-checks", "ensure_resource_availability",
                "--max-examples", str(EXAMPLES_PER_OPERATION),
                "--max-time", str(TIME_BUDGET_SECONDS),
                "--workers", "1",
                "--seed", "20261120",
                "--request-timeout", "20",
                "--no-color",
            ],
            capture_output=True, text=True, timeout=TIME_BUDGET_SECONDS + 120, cwd=tmp_path,
            env={**os.environ, "SCHEMATHESIS_HOOKS": "homestretch.tests.fuzz_hooks",
                 "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
    finally:
        request_started.disconnect(count)
    print(f"schemathesis sent {len(requests_seen)} requests")
    if os.environ.get("HOMESTRETCH_FUZZ_LOG"):
        Path(os.environ["HOMESTRETCH_FUZZ_LOG"]).write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
    assert len(requests_seen) >= MIN_REQUESTS, result.stdout[-3000:]
