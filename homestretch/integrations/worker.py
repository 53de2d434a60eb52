"""The loop behind `homestretch worker`, after healthchecks' `sendalerts --loop`."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

logger = logging.getLogger(__name__)


class Shutdown:
    """Set by SIGTERM or SIGINT: the worker finishes the digest in hand, then stops."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self, signum, frame) -> None:
        self.event.set()

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self)
        signal.signal(signal.SIGINT, self)


def run_worker(
    interval: float, shutdown: threading.Event, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    runs: int | None = None, on_report: Callable | None = None,
    also: Sequence[Callable[[datetime], object]] = (),
) -> int:
    """Call remind every `interval` seconds until `shutdown` is set (or `runs` runs); returns the runs made.

    Each run also refreshes everyone's risk snapshots, so that the day's first page after midnight,
    or after a new model, finds them computed (homestretch.risk.snapshots), measures the Insights'
    practice figure of the applications changed since (homestretch.insights.figures.refresh), deletes the API's
    expired idempotency keys (each user's are also deleted when they send a new one) and folds the parts of
    the number of candidates that PostgreSQL keeps (homestretch.pipeline.candidate_count). `also` are more jobs
    called with the run's moment, given by the layers above this one (the retention's daily erasure, from
    homestretch/cli.py): each decides for itself how often it has work.
    """
    from django import db

    from homestretch.accounts.idempotency import delete_expired
    from homestretch.insights.figures import refresh as refresh_insights
    from homestretch.integrations.services import remind as run_remind
    from homestretch.pipeline.candidate_count import fold as fold_candidate_count
    from homestretch.risk.snapshots import refresh_everyone

    done = 0
    while not shutdown.is_set() and (runs is None or done < runs):
        at = clock()
        try:
            report = run_remind(at)
            if on_report is not None:
                on_report(report)
        except Exception:  # one bad run (database away) must not end the worker
            logger.exception("remind run failed; trying again in %s s", interval)
        try:
            refresh_everyone(at)
        except Exception:  # the pages recompute what is stale themselves; the next run tries again
            logger.exception("risk snapshot refresh failed; trying again in %s s", interval)
        try:
            refresh_insights(at)
        except Exception:  # the Insights measure what is not stored themselves; the next run tries again
            logger.exception("insights practice refresh failed; trying again in %s s", interval)
        for job in also:
            try:
                job(at)
            except Exception:  # one job failing must not stop the others; the next run tries again
                logger.exception("worker job %s failed; trying again in %s s", getattr(job, "__name__", job), interval)
        try:
            delete_expired(at)
        except Exception:  # an expired key counts as new anyway; the next run tries again
            logger.exception("deleting expired idempotency keys failed; trying again in %s s", interval)
        try:
            fold_candidate_count()
        except Exception:  # the parts still add up to the number; the next run folds them
            logger.exception("folding the number of candidates failed; trying again in %s s", interval)
        finally:
            # Between runs, drop a connection past CONN_MAX_AGE or broken (as requests do); never
            # inside a transaction the caller holds open.
            if not db.connection.in_atomic_block:
                db.close_old_connections()
        done += 1
        shutdown.wait(interval)
    return done
