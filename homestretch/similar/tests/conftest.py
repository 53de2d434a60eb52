"""Fixtures of the similar-search tests: a new job and a closed search like it, with its history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .builders import make_application, make_competing, make_job, make_offer

OPENED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def new_job(db):
    return make_job("Senior Data Engineer", "Python, Spark, Airflow", location="Berlin", status="open")


@pytest.fixture
def past_search(alice):
    """A closed Senior Data Engineer search in Munich and everything it taught."""
    job = make_job("Senior Data Engineer", "Python, Spark, Airflow", client="Globex Analytics", location="Munich",
                   status="filled", lessons="The client's band was 10% under the market.")
    during = OPENED + timedelta(days=10)
    started = make_application(job, "Ana Started", "started", recruiter=alice, opened=OPENED)
    make_offer(started, 80000, revision=1, status="superseded")
    make_offer(started, 85000, revision=2, status="accepted")
    declined = make_application(job, "Ben Declined", "declined", recruiter=alice, opened=OPENED,
                                loss_reason="competing_offer", lessons="Ask for the competing deadline earlier.")
    make_offer(declined, 82000, status="declined", decline_reason="competing_offer", won_by="Globex")
    make_competing(declined, "Globex", 95000, stage="accepted", learned=during)
    reneged = make_application(job, "Cleo Reneged", "reneged", recruiter=alice, opened=OPENED,
                               loss_reason="counteroffer")
    make_offer(reneged, 90000, status="reneged", decline_reason="counteroffer")
    make_competing(reneged, "Initech", 88000, stage="accepted", kind="counteroffer", confidential=True,
                   learned=during)
    rejected = make_application(job, "Dan Rejected", "rejected", recruiter=alice, opened=OPENED)
    # The client rejected him: the offer he took elsewhere did not win against us, but its pay was seen.
    make_competing(rejected, "Umbrella", 70000, stage="accepted", learned=during)
    withdrawn = make_application(job, "Eve Withdrawn", "withdrawn", recruiter=alice, opened=OPENED,
                                 loss_reason="compensation")
    make_competing(withdrawn, "Hooli", 100000, currency="USD", learned=during)
    # From another search a year before: not this application's competition.
    make_competing(withdrawn, "OldCo", 120000, stage="accepted", learned=OPENED - timedelta(days=365))
    return job
