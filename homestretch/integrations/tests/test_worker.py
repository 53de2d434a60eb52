"""`homestretch worker`: calls remind on a schedule and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail

from homestretch.integrations.worker import run_worker

from .factories import application_at


@pytest.mark.django_db
def test_the_worker_sends_what_is_due_at_each_run_until_told_to_stop(job, alice, now):
    application_at("Lena Late", job, alice, "final_interview", now - timedelta(days=10), now - timedelta(days=4))
    moments = iter([now.replace(hour=6), now, now + timedelta(minutes=1)])  # before 08:00, after, again
    shutdown = threading.Event()
    sent = []

    def record(report) -> None:
        sent.append(report.emails)
        if len(sent) == 3:
            shutdown.set()

    runs = run_worker(0, shutdown, clock=lambda: next(moments), on_report=record, runs=3)
    assert runs == 3
    assert sent == [0, 1, 0]
    assert len(mail.outbox) == 1
    # Each run also refreshed everyone's risk snapshots: the pages find them computed.
    from homestretch.risk.scoring import current_scorer
    from homestretch.risk.snapshots import valid_at

    assert valid_at(now + timedelta(minutes=1), current_scorer()).count() == 1


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="uses its own SQLite file; exercised in the SQLite run")
def test_sigterm_stops_the_worker_cleanly(tmp_path: Path):
    env = {**os.environ, "HOMESTRETCH_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'homestretch.sqlite3'}", "EMAIL_BACKEND":
           "django.core.mail.backends.locmem.EmailBackend"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    homestretch = str(Path(sys.executable).with_name("homestretch"))
    subprocess.run([homestretch, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=120)  # noqa: S603
    log = (tmp_path / "worker.log").open("w+")
    process = subprocess.Popen([homestretch, "worker", "--interval", "3600"], env=env,  # noqa: S603
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "Ctrl+C or SIGTERM stops" not in Path(log.name).read_text():
            assert process.poll() is None and time.monotonic() < deadline, Path(log.name).read_text()
            time.sleep(0.2)
        time.sleep(0.5)  # let the first run finish and the loop wait
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    output = Path(log.name).read_text()
    assert "Stopped after 1 runs." in output
    assert "Traceback" not in output
