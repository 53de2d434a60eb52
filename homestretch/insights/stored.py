"""The practice measures kept in the database (PracticeMeasure): read in one query, written back in bulk.

The figures (homestretch.insights.figures) decide what a measure is and when it holds (its key); this
module only reads and writes the rows. A row is used only when its key equals the key the figures
compute now, so a stale row is never read as valid: every write of what a measure is computed from
adds one to its application's `generation` (homestretch.pipeline.changes), which is in the key.

The generation is read with the application before its touches: a change committed while a measure is
computed leaves the row written with the older generation, measured afresh on its next read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import DatabaseError, transaction

from .models import PracticeMeasure

logger = logging.getLogger(__name__)

Measure = tuple[int, int, int, int]  # days in cadence, days measured, touches, touches asking
WRITE_BATCH = 2_000
FIELDS = ("key", "days_in_cadence", "days_measured", "touches", "touches_asking", "computed_at")


def read(keys: dict[int, str], chunk: int = 20_000) -> dict[int, Measure]:
    """The stored measure of each application of `keys` (id -> its key now) whose row has that key:
    one query (per 20,000 applications, under the databases' parameter limits)."""
    found: dict[int, Measure] = {}
    ids = sorted(keys)
    for begin in range(0, len(ids), chunk):
        for application_id, key, *measure in (
            PracticeMeasure.objects.filter(application_id__in=ids[begin:begin + chunk])
            .values_list("application_id", "key", "days_in_cadence", "days_measured", "touches", "touches_asking")
        ):
            if keys[application_id] == key:
                found[application_id] = (measure[0], measure[1], measure[2], measure[3])
    return found


def write(measures: Iterable[tuple[int, str, Measure]], now: datetime) -> int:
    """Store these (application id, key, measure), replacing any row of the same application, in bulk
    (INSERT ... ON CONFLICT DO UPDATE). Derived data: a failure (a writer holding the database) is
    logged and the figures are still answered; the next read measures them again. Returns rows written."""
    rows = [PracticeMeasure(application_id=application_id, key=key, days_in_cadence=measure[0],
                            days_measured=measure[1], touches=measure[2], touches_asking=measure[3],
                            computed_at=now)
            for application_id, key, measure in measures]
    if not rows:
        return 0
    try:
        with transaction.atomic():
            PracticeMeasure.objects.bulk_create(
                rows, batch_size=WRITE_BATCH, update_conflicts=True, unique_fields=["application"],
                update_fields=list(FIELDS),
            )
    except DatabaseError:
        logger.warning("storing %d practice measures failed; they are measured again on the next read",
                       len(rows), exc_info=True)
        return 0
    return len(rows)


def forget(application_ids: Sequence[int] | None = None) -> int:
    """Delete stored measures (all, or these applications'): tests and benchmarks, an operator."""
    measures = PracticeMeasure.objects.all()
    if application_ids is not None:
        measures = measures.filter(application_id__in=application_ids)
    return measures.delete()[0]
