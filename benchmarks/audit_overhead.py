"""What the audit trail costs a write: logging a touch and recording an offer revision, with the audit and
with it switched off (auditlog's `disable_auditlog`), on the same rows.

An audited update reads the row as stored (to compare, one more SELECT) and inserts one entry; a touch writes
no audited row (touchpoints are not in the audit), so its figure shows the cost of the audit's machinery
alone. Each run is rolled back, so that every run writes the same thing to the same data set. The issue's
bound: the writes of the large data set must not double in time (ratio under 2).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import connection

from benchmarks import BenchContext, Figure, capture_statements, median_seconds, register, rolled_back
from homestretch.offers.choices import OPEN_OFFER_STATUSES, OfferStatus
from homestretch.offers.models import Offer
from homestretch.offers.services import record_offer
from homestretch.pipeline.models import Application, Touchpoint
from homestretch.pipeline.services import log_touchpoint

from .runner import DATASET_NOW


def _without_audit(action: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        with disable_auditlog():
            action()
    return run


def _application_with_open_offer() -> Application:
    """An application in the process with an open offer: a revision supersedes it (the usual revision)."""
    offer = (Offer.objects.filter(status__in=OPEN_OFFER_STATUSES, application__closed_at__isnull=True)
             .select_related("application").order_by("-id").first())
    if offer is None:
        raise RuntimeError("the data set has no open offer on an open application")
    return offer.application


def _touch(application: Application) -> None:
    log_touchpoint(Touchpoint(application=application, candidate_id=application.candidate_id,
                              recruiter_id=application.recruiter_id, at=DATASET_NOW, channel="call",
                              direction="outbound", interest=4, competition_asked=True,
                              competition_answer="none", notes="Checked in"), now=DATASET_NOW)


def _revision(application: Application) -> None:
    latest = application.offers.order_by("-revision").first()
    assert latest is not None, "an application with an open offer has offers"
    record_offer(Offer(application_id=application.pk, status=OfferStatus.EXTENDED, base=latest.base + Decimal(1000),
                       currency=latest.currency, period=latest.period, remote_policy=latest.remote_policy,
                       remote_days=latest.remote_days, expires_on=(DATASET_NOW + timedelta(days=7)).date()),
                 by=application.recruiter, at=DATASET_NOW)


@register("audit")
def audit_overhead(ctx: BenchContext) -> list[Figure]:
    application = _application_with_open_offer()
    figures = []
    writes: list[tuple[str, Callable[[Application], None]]] = [
        ("log a touch", _touch), ("record an offer revision", _revision)]
    for what, write in writes:
        audited = rolled_back(functools.partial(write, application))
        plain = _without_audit(audited)
        with_audit = median_seconds(audited, ctx.repeat, warmup=2)
        without = median_seconds(plain, ctx.repeat, warmup=2)
        # Counted warm (the content types cached), as every write but a process's first runs.
        queries = len(capture_statements(audited)), len(capture_statements(plain))
        figures.append(Figure(
            benchmark="audit", name=f"{what}, with the audit trail", value=with_audit, unit="s",
            reference_name="the same write with the audit off", reference_value=without, runs=ctx.repeat,
            notes=f"{queries[0]} statements with the audit, {queries[1]} without ({connection.vendor})",
        ))
    return figures
