"""Two machines running `remind` at the same moment: each digest is claimed by exactly one of them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from homestretch.accounts.models import User
from homestretch.integrations.email import EmailTransport
from homestretch.integrations.models import DigestDelivery
from homestretch.integrations.services import remind

from .factories import application_at


class MeetAtFirstSend(EmailTransport):
    """Holds its first digest until the other machine is sending too, so both run through the same rows."""

    def __init__(self, barrier: threading.Barrier) -> None:
        super().__init__()
        self.barrier = barrier
        self.first = True

    def send(self, digest) -> None:
        if self.first:
            self.first = False
            self.barrier.wait(timeout=20)
        super().send(digest)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_machines_at_once_send_every_digest_exactly_once(job, teams, now):
    recruiters = [User.objects.create_user(email=f"r{n}@example.com", password="x", team=teams["north"])
                  for n in range(8)]
    for n, recruiter in enumerate(recruiters):
        application_at(f"Cand Idate{n}", job, recruiter, "final_interview", now - timedelta(days=10),
                       now - timedelta(days=4))
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def machine() -> None:
        try:
            reports.append(remind(now, email_transport=MeetAtFirstSend(barrier)))
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sum(report.emails for report in reports) == 8
    assert sum(report.skipped for report in reports) >= 1  # they did race for the same rows
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in recruiters)
    assert DigestDelivery.objects.filter(status="sent", attempts=1).count() == 8
