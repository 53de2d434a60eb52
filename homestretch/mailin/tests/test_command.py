"""`homestretch mailin` as an operator runs it: the command in its own process on a fresh SQLite file,
a real SMTP session into it over loopback, then SIGTERM: it stops cleanly and the touch is in the file."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .dovecot import free_port
from .messages import plain

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs the command on its own SQLite file; exercised in the SQLite run",
)

SETUP = """
from datetime import UTC, datetime
from homestretch.accounts.models import Team, User
from homestretch.pipeline import services
from homestretch.pipeline.models import Candidate, Client, Job
at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
team = Team.objects.create(name="North")
alice = User.objects.create_user(email="alice@example.com", password="x", team=team)
job = Job.objects.create(client=Client.objects.create(name="Acme"), title="Engineer", currency="EUR")
priya = Candidate.objects.create(name="Priya", email="priya@example.org")
services.open_application(candidate=priya, job=job, recruiter=alice, by=alice, at=at)
"""


def test_homestretch_mailin_takes_a_message_over_smtp_and_stops_on_sigterm(tmp_path: Path):
    database = tmp_path / "homestretch.sqlite3"
    env = {**os.environ, "HOMESTRETCH_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}",
           "HOMESTRETCH_MAILIN_ADDRESSES": "log@homestretch.example", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = str(Path(sys.executable).parent / "homestretch")
    subprocess.run([command, "manage", "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)
    subprocess.run([command, "manage", "shell", "-c", SETUP], env=env, check=True, timeout=120)

    port = free_port()
    log = (tmp_path / "mailin.log").open("w+")
    process = subprocess.Popen([command, "mailin", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "homestretch mailin did not listen"
                time.sleep(0.2)
        raw = plain(sender="priya@example.org", to="alice@example.com", body="I accept the interview, see you Monday.",
                    date="Fri, 20 Nov 2026 08:00:00 +0000")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            assert client.sendmail("priya@example.org", ["log@homestretch.example"], raw) == {}
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail("priya@example.org", ["someone@else.example"], raw)
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=30)
    log.seek(0)
    output = log.read()
    assert returncode == 0, output
    assert "Taking mail in on 127.0.0.1" in output
    assert "priya" not in output.lower()  # the refusal is logged by its reason, not the addresses
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT channel, direction, notes FROM pipeline_touchpoint").fetchall()
    assert rows == [("email", "inbound", "Re: Senior Backend Engineer\n\nI accept the interview, see you Monday.")]
