"""Two people moving the same application at the same moment, on PostgreSQL (row locks are real there).

`services.move_stage` locks the application row (SELECT ... FOR UPDATE) while it checks the rules,
so the second mover waits, then sees the stage the first one wrote and is refused.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from homestretch.pipeline import stages
from homestretch.pipeline.choices import Stage
from homestretch.pipeline.models import Application, StageChange
from homestretch.pipeline.services import StageMove, StageMoveRefused, move_stage

WAIT = 30  # seconds; only reached when something is broken


def _someone_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_moving_the_same_application_at_once_only_one_wins(application, alice, bob, now, monkeypatch):
    # Hold the first mover inside the rule check (the row is locked by then) until the second
    # mover is seen waiting for that lock; or, were there no lock, until it reaches the check too.
    entered = threading.Semaphore(0)
    release = threading.Event()
    check_transition = stages.check_transition

    def held_check(*args, **kwargs):
        entered.release()
        release.wait(WAIT)
        return check_transition(*args, **kwargs)

    monkeypatch.setattr(stages, "check_transition", held_check)
    outcomes: dict[str, object] = {}

    def mover(name, user):
        try:
            outcomes[name] = move_stage(application.pk, StageMove(Stage.VERIFICATION), by=user,
                                        at=now + timedelta(hours=1))
        except Exception as error:  # any failure is reported by the assertions below
            outcomes[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=mover, args=("alice", alice))
    second = threading.Thread(target=mover, args=("bob", bob))
    try:
        first.start()
        assert entered.acquire(timeout=WAIT), "the first mover never reached the rule check"
        second.start()
        second_waited_for_the_lock = False
        for _ in range(WAIT * 20):
            if _someone_waits_for_a_row_lock():
                second_waited_for_the_lock = True
                break
            if entered.acquire(timeout=0.05):  # the second mover got in: nothing locked the row
                break
    finally:
        release.set()
        first.join(WAIT)
        second.join(WAIT)
        connections.close_all()

    assert second_waited_for_the_lock
    assert isinstance(outcomes["alice"], Application), outcomes["alice"]
    assert isinstance(outcomes["bob"], StageMoveRefused), outcomes["bob"]
    assert outcomes["bob"].message == "The application is already at Verification."
    assert list(StageChange.objects.filter(application=application).values_list("from_stage", "to_stage", "by")) == [
        ("", Stage.FINAL_INTERVIEW, alice.pk),
        (Stage.FINAL_INTERVIEW, Stage.VERIFICATION, alice.pk),
    ]
    assert Application.objects.get(pk=application.pk).stage == Stage.VERIFICATION
