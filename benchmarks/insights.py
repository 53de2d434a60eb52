"""The Insights for the whole organisation and a year: the figures alone, the page and the API, each
server-side through Django's test client (the whole middleware stack), beside the bare SQL that reads the
same rows (the very statements the figures send, replayed with a plain cursor and fetchall).

The target on the large data set is under 500 ms for the page and the API (issue 19). Each application's
practice measure is kept in a table (homestretch.insights.stored) that the worker keeps current: measured
with nothing stored yet (the measures computed from the touches and written back), with the worker's
table current in a fresh process (read in one query), and warm (remembered in the process).
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from benchmarks import BenchContext, Figure, capture_statements, median_seconds, register, replay
from benchmarks.runner import DATASET_NOW

# As on a working morning after the data set was drawn, like the other benchmarks.
MOMENT = DATASET_NOW + timedelta(hours=1)


@register("insights")
def insights_benchmark(ctx: BenchContext) -> list[Figure]:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from homestretch.accounts.models import User
    from homestretch.accounts.tokens import create_token
    from homestretch.insights.figures import Filters, default_period, forget_practice, insights, refresh

    today = timezone.localtime(MOMENT).date()
    start, end = default_period(today)
    filters = Filters(start, end)

    def figures() -> int:
        return insights(filters, now=MOMENT).summary.offers_extended

    def nothing_stored() -> int:
        forget_practice(stored_too=True)
        return figures()

    def table_current() -> int:
        forget_practice()  # a fresh process: nothing remembered, every measure in the table (a worker pass)
        return figures()

    def timed(prepare, action) -> float:
        timings = []
        for _ in range(ctx.repeat):
            prepare()
            started = time.perf_counter()
            action()
            timings.append(time.perf_counter() - started)
        return statistics.median(timings)

    extended = nothing_stored()
    cold_statements = capture_statements(nothing_stored)
    table_statements = capture_statements(table_current)
    table_bare = median_seconds(partial(replay, table_statements), ctx.repeat)
    statements = capture_statements(figures)  # warm: every practice measure remembered in the process
    bare = median_seconds(partial(replay, statements), ctx.repeat)
    reference = f"bare SQL, same {len(statements)} statements"
    # Nothing stored: the measures are computed from the touches and written back (what the day's first
    # view pays when no worker runs). The write is timed too; the table is emptied before each run.
    cold = timed(partial(forget_practice, stored_too=True), figures)
    # The worker's table current: a fresh process reads every measure in one query.
    stored = timed(forget_practice, figures)
    stored_name = f"bare SQL, same {len(table_statements)} statements"
    # The SQL of the cold run is replayed without its writes (INSERT ... ON CONFLICT is not a read).
    cold_reads = [statement for statement in cold_statements if statement[0].lstrip().upper().startswith("SELECT")]
    cold_bare = median_seconds(partial(replay, cold_reads), ctx.repeat)
    # The worker's pass (homestretch worker, each run): with nothing stored, and with the table current.
    refresh_cold = timed(partial(forget_practice, stored_too=True), partial(refresh, MOMENT))
    refresh_current = timed(forget_practice, partial(refresh, MOMENT))
    result = [
        Figure(benchmark="insights", name="the worker's pass over the default year, nothing stored yet",
               value=refresh_cold, unit="s", runs=ctx.repeat,
               notes="every answered application measured and written back"),
        Figure(benchmark="insights", name="the worker's pass over the default year, the table current",
               value=refresh_current, unit="s", runs=ctx.repeat, notes="nothing measured: every key holds"),
        Figure(benchmark="insights", name=f"the figures, whole organisation, a year ({extended:,} offers), "
                                          "nothing stored yet",
               value=cold, unit="s", reference_name=f"bare SQL, the same {len(cold_reads)} reads",
               reference_value=cold_bare, runs=ctx.repeat,
               notes="every touch of the practice's windows read, the measures written back"),
        Figure(benchmark="insights", name=f"the figures, whole organisation, a year ({extended:,} offers), "
                                          "the worker's table current, a fresh process",
               value=stored, unit="s", reference_name=stored_name, reference_value=table_bare, runs=ctx.repeat,
               notes="every practice measure read from the table in one query"),
        Figure(benchmark="insights", name=f"the figures, whole organisation, a year ({extended:,} offers), warm",
               value=median_seconds(figures, ctx.repeat), unit="s", reference_name=reference,
               reference_value=bare, runs=ctx.repeat, notes="every application's practice measure remembered"),
    ]

    login_email = ctx.dataset.get("login_email") or "recruiter@example.com"
    recruiter = User.objects.get(email=login_email)
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    query = urlencode({"from": start.isoformat(), "to": end.isoformat(), "team": "all", "at": MOMENT.isoformat()})
    with override_settings(HOMESTRETCH_PAGES_NOW=MOMENT, ALLOWED_HOSTS=["testserver"], DEBUG=False,
                           STORAGES=storages):
        page = Client()
        page.force_login(recruiter)
        api = Client()
        token = create_token(recruiter, name="insights benchmark", at=MOMENT)
        try:
            def get(client: Client, url: str, **headers: str) -> int:
                response = client.get(url, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                return len(response.content)

            page_url = f"/insights/?date_from={start.isoformat()}&date_to={end.isoformat()}&team=all"
            api_url = f"/api/v1/insights?{query}"
            bearer = {"Authorization": f"Bearer {token.secret}"}
            for name, action in (("the Insights page, whole organisation, a year", partial(get, page, page_url)),
                                 ("GET /api/v1/insights, whole organisation, a year",
                                  partial(get, api, api_url, **bearer))):
                size = action()
                result.append(Figure(
                    benchmark="insights", name=f"{name}, the worker's table current, a fresh process",
                    value=timed(forget_practice, action), unit="s", reference_name=stored_name,
                    reference_value=table_bare, runs=ctx.repeat,
                    notes=f"{size:,} bytes; target under 500 ms on the large data set"))
                result.append(Figure(
                    benchmark="insights", name=f"{name}, warm", value=median_seconds(action, ctx.repeat),
                    unit="s", reference_name=reference, reference_value=bare, runs=ctx.repeat,
                    notes=f"{size:,} bytes; target under 500 ms on the large data set"))
        finally:
            token.token.delete()
    return result
