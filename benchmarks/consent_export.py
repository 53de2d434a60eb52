"""What consent and the export cost on the data set (issue 21): the export of everything held about the candidate
with the most touches, beside reading those touches alone; and Today's legal bases to renew for everyone, beside
counting every candidate who has a basis. Both read only."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from benchmarks import BenchContext, Figure, capture_statements, median_seconds, register
from homestretch.agenda.services import renewals_due
from homestretch.pipeline.models import Candidate, Touchpoint
from homestretch.privacy.export import export_candidate

from .runner import DATASET_NOW


@register("consent_export")
def consent_export(ctx: BenchContext) -> list[Figure]:
    busiest = (Touchpoint.objects.values("candidate_id").annotate(n=Count("id")).order_by("-n", "candidate_id")
               .first())
    if busiest is None:
        raise RuntimeError("the data set has no touches")
    candidate_id, touches = busiest["candidate_id"], busiest["n"]

    def export() -> None:
        export_candidate(candidate_id, now=DATASET_NOW)

    def touches_alone() -> None:
        list(Touchpoint.objects.filter(candidate_id=candidate_id).values())

    export()  # the audit's content types, looked up once per process
    statements = len(capture_statements(export))
    figures = [Figure(
        benchmark="consent_export", name=f"export the candidate with the most touches ({touches})",
        value=median_seconds(export, ctx.repeat, warmup=1), unit="s",
        reference_name="read those touches alone", reference_value=median_seconds(touches_alone, ctx.repeat, warmup=1),
        runs=ctx.repeat, notes=f"{statements} statements ({connection.vendor})",
    )]
    today = timezone.localtime(DATASET_NOW).date()
    due = renewals_due(today, 50).total
    figures.append(Figure(
        benchmark="consent_export", name=f"Today's legal bases to renew, everyone's ({due} due)",
        value=median_seconds(lambda: renewals_due(today, 50), ctx.repeat, warmup=1), unit="s",
        reference_name="count the candidates with a basis",
        reference_value=median_seconds(lambda: Candidate.objects.exclude(legal_basis="").count(), ctx.repeat,
                                       warmup=1),
        runs=ctx.repeat, notes="two queries, through the renew-by index",
    ))
    return figures
