"""Idempotency-Key under real concurrency on SQLite: `homestretch run` (gunicorn, several worker
processes, a SQLite file in WAL mode) gets the same keyed offer from eight threads at once and writes
it once. On PostgreSQL the same race runs in-process (accounts/tests/test_api_idempotency.py); the
SQLite test database is in memory, where threads do not wait for each other's locks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from homestretch.tests.test_cli_run import free_port, wait_for

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="serves its own SQLite file; exercised in the SQLite run",
)


def _call(base: str, token: str, method: str, path: str, body: dict | None = None,
          key: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + "/api/v1" + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own local server
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_eight_concurrent_keyed_offers_to_gunicorn_on_sqlite_make_one(tmp_path: Path):
    env = {**os.environ, "HOMESTRETCH_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'homestretch.sqlite3'}", "HOMESTRETCH_PASSWORD": "x" * 20}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    homestretch = str(Path(sys.executable).with_name("homestretch"))
    subprocess.run([homestretch, "createuser", "--email", "ada@example.com", "--role", "admin"],  # noqa: S603
                   env=env, check=True, timeout=120, capture_output=True)
    token = subprocess.run([homestretch, "token", "create", "--user", "ada@example.com"],  # noqa: S603
                           env=env, check=True, timeout=60, capture_output=True, text=True).stdout.split()[-1]
    port = free_port()
    out = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen([homestretch, "run", "--port", str(port), "--workers", "4"],  # noqa: S603
                               env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz", process)
        ids: dict[str, int] = {}
        for name, path, body in (
            ("client", "/clients", {"name": "Acme"}),
            ("job", "/jobs", lambda: {"client_id": ids["client"], "title": "Engineer"}),
            ("candidate", "/candidates", {"name": "Priya Nair"}),
            ("application", "/applications",
             lambda: {"candidate_id": ids["candidate"], "job_id": ids["job"], "stage": "final_interview"}),
        ):
            status, content = _call(base, token, "POST", path, body() if callable(body) else body)
            assert status == 201, content
            ids[name] = json.loads(content)["id"]
        offers = f"/applications/{ids['application']}/offers"

        for attempt in range(3):
            start = threading.Barrier(8)
            answers: list[tuple[int, bytes]] = []

            def send(start: threading.Barrier, answers: list, key: str) -> None:
                start.wait()
                answers.append(_call(base, token, "POST", offers, {"base": "85000", "currency": "EUR"}, key=key))

            threads = [threading.Thread(target=send, args=(start, answers, f"race-{attempt}")) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            created = {content for status, content in answers if status == 201}
            assert len(answers) == 8 and len(created) == 1, answers
            assert all(status in (201, 409) for status, _ in answers), answers
            status, listed = _call(base, token, "GET", offers)
            assert len(json.loads(listed)) == attempt + 1, listed
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        out.close()
    assert "Traceback" not in (tmp_path / "run.log").read_text()
