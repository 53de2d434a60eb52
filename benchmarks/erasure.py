"""What an erasure costs on the data set: erasing the candidate with the most touches (issue 21), beside the
plain delete of the same candidate with everything recorded (the older `DELETE /candidates/{id}`), and the
retention's list of who is due. Each erasure and delete is rolled back, so that every run works on the same rows.

Most of an erasure is the search of other records' free text for mentions of the person (a scan of each text
column: a million touch notes on the large set); the rest is one statement per kind of record.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from benchmarks import BenchContext, Figure, capture_statements, median_seconds, register, rolled_back
from homestretch.pipeline.models import Candidate, Touchpoint
from homestretch.privacy.erasure import erase_candidate
from homestretch.privacy.retention import due_list

from .runner import DATASET_NOW


@register("erasure")
def erasure(ctx: BenchContext) -> list[Figure]:
    busiest = (Touchpoint.objects.values("candidate_id").annotate(n=Count("id")).order_by("-n", "candidate_id")
               .first())
    if busiest is None:
        raise RuntimeError("the data set has no touches")
    candidate_id, touches = busiest["candidate_id"], busiest["n"]
    erase = rolled_back(lambda: erase_candidate(candidate_id, reason="benchmark", by=None, at=DATASET_NOW))
    delete = rolled_back(lambda: Candidate.objects.filter(pk=candidate_id).delete())
    statements = len(capture_statements(erase))
    figures = [Figure(
        benchmark="erasure", name=f"erase the candidate with the most touches ({touches})",
        value=median_seconds(erase, ctx.repeat, warmup=1), unit="s",
        reference_name="delete the same candidate with everything recorded",
        reference_value=median_seconds(delete, ctx.repeat, warmup=1), runs=ctx.repeat,
        notes=f"{statements} statements ({connection.vendor})",
    )]
    # Six months: on the demo data (two years of activity) a part of the candidates is due.
    found = len(due_list(DATASET_NOW, 6))
    figures.append(Figure(
        benchmark="erasure", name=f"list who is due after 6 months without activity ({found} candidates)",
        value=median_seconds(lambda: due_list(DATASET_NOW, 6), ctx.repeat, warmup=1), unit="s",
        reference_name="the same list at 24 months",
        reference_value=median_seconds(lambda: due_list(DATASET_NOW, 24), ctx.repeat, warmup=1), runs=ctx.repeat,
        notes="one query each",
    ))
    return figures
