"""The time to load one application's full history (`load_application_history`), beside the bare
SQL that reads the same rows from the same tables with the same conditions.

The application is the one with the most touchpoints, so the figure is a worst case, not an average.
"""

from __future__ import annotations

from django.db import connection

from benchmarks import BenchContext, Figure, median_seconds, register, replay
from homestretch.front.timeline import load_application_history
from homestretch.offers.models import CompetingOffer, Offer, OfferEvent, Priorities
from homestretch.pipeline.models import Application, StageChange, Touchpoint


def _busiest_application() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT application_id, COUNT(*) FROM {Touchpoint._meta.db_table} "
            "WHERE application_id IS NOT NULL GROUP BY application_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        application_id, _ = cursor.fetchone()
        candidate_id = Application.objects.values_list("candidate_id", flat=True).get(pk=application_id)
    return application_id, candidate_id


def _bare_sql(application_id: int, candidate_id: int) -> int:
    """Read the same rows with plain SELECT * and fetchall: the database's share of the work."""
    t = {m: m._meta.db_table for m in (Application, StageChange, Touchpoint, Offer, OfferEvent,
                                        CompetingOffer, Priorities)}
    queries = [
        (f"SELECT * FROM {t[Application]} WHERE id = %s", [application_id]),
        (f"SELECT * FROM {t[StageChange]} WHERE application_id = %s ORDER BY at", [application_id]),
        (f"SELECT * FROM {t[Touchpoint]} WHERE application_id = %s OR "
         f"(candidate_id = %s AND application_id IS NULL) ORDER BY at DESC", [application_id, candidate_id]),
        (f"SELECT * FROM {t[Offer]} WHERE application_id = %s ORDER BY revision DESC", [application_id]),
        (f"SELECT e.* FROM {t[OfferEvent]} e JOIN {t[Offer]} o ON o.id = e.offer_id "
         "WHERE o.application_id = %s", [application_id]),
        (f"SELECT * FROM {t[CompetingOffer]} WHERE candidate_id = %s ORDER BY learned_at DESC", [candidate_id]),
        (f"SELECT * FROM {t[Priorities]} WHERE candidate_id = %s ORDER BY as_of DESC", [candidate_id]),
    ]
    return replay(queries)


@register("application_history")
def application_history(ctx: BenchContext) -> list[Figure]:
    application_id, candidate_id = _busiest_application()
    history = load_application_history(application_id)
    entries = len(history.timeline())
    ours = median_seconds(lambda: load_application_history(application_id).timeline(), ctx.repeat)
    bare = median_seconds(lambda: _bare_sql(application_id, candidate_id), ctx.repeat)
    return [
        Figure(
            benchmark="application_history", name=f"load one application's history ({entries} entries)",
            value=ours, unit="s", reference_name="bare SQL, same rows", reference_value=bare, runs=ctx.repeat,
        )
    ]
