"""Server-side render time of the recruiter's pages: Today, the pipeline board and the application
page, each requested through Django's test client (the whole middleware stack, the session and the
template) by the demo's signed-in recruiter, as of the data set's morning.

Everyone's Today and board rank from the risk snapshots (homestretch/risk/snapshots.py), so they
are measured in three situations: as all day long (every snapshot valid), right after a change (one
application's snapshot recomputed, as after a logged call), as the day's first view when no
worker refreshed them overnight (yesterday evening's snapshots, carrying today's values: those of the
applications that changed since are recomputed, the others promoted), and after new weights (every
open application's snapshot recomputed).

The reference is the framework's empty request: a view returning HttpResponse("") behind the same
middleware and the same signed-in session, so that the ratio is what our page costs over Django's
own floor. The target on the large data set is under 300 ms per page.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import path

from benchmarks import BenchContext, Figure, median_seconds, register
from benchmarks.runner import DATASET_NOW

# As on a working morning after the data set was drawn, like the risk and agenda benchmark.
PAGES_MOMENT = DATASET_NOW + timedelta(hours=1)
# The last view of the day before, whose snapshots the day's first view finds when no worker ran.
LAST_VIEW_YESTERDAY = PAGES_MOMENT - timedelta(hours=15)
EMPTY_PATH = "/bench-empty/"


def empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def _urlpatterns():
    from homestretch.urls import urlpatterns as app_urlpatterns

    return [path(EMPTY_PATH.strip("/") + "/", empty), *app_urlpatterns]


def __getattr__(name: str):
    """This module is also the URL conf while it measures: the app's pages plus the empty reference
    view, built when Django first asks (so that discovering the benchmarks imports no URL conf)."""
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def _busiest_application_id(recruiter_id: int) -> int | None:
    """The recruiter's open application with the longest history: the page's worst case."""
    from django.db.models import Count

    from homestretch.pipeline import stages
    from homestretch.pipeline.models import Application

    return (Application.objects.filter(recruiter_id=recruiter_id, stage__in=sorted(stages.HOME_STRETCH))
            .annotate(n=Count("touchpoints")).order_by("-n", "id").values_list("id", flat=True).first())


@register("pages")
def pages(ctx: BenchContext) -> list[Figure]:
    from homestretch.accounts.models import User
    from homestretch.pipeline.changes import count_change
    from homestretch.risk.models import RiskSnapshot
    from homestretch.risk.snapshots import refresh_everyone

    login_email = ctx.dataset.get("login_email") or "recruiter@example.com"
    recruiter = User.objects.get(email=login_email)
    application_id = _busiest_application_id(recruiter.pk)
    figures: list[Figure] = []
    from django.conf import settings

    # Static URLs without collectstatic's manifest (which a benchmark data set does not have).
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(ROOT_URLCONF=__name__, HOMESTRETCH_PAGES_NOW=PAGES_MOMENT,
                           ALLOWED_HOSTS=["testserver"], DEBUG=False, STORAGES=storages):
        client = Client()
        client.force_login(recruiter)

        def get(url: str) -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return len(response.content)

        reference = median_seconds(lambda: get(EMPTY_PATH), ctx.repeat)

        def figure(name: str, url: str, value: float, size: int, note: str = "") -> Figure:
            return Figure(
                benchmark="pages", name=name, value=value, unit="s",
                reference_name="empty response, same middleware and session", reference_value=reference,
                runs=ctx.repeat, notes=f"{url}, {size:,} bytes{note}; target under 300 ms on the large data set",
            )

        measured = [("Today, the recruiter's own", "/"), ("Today, everyone's", "/?scope=everyone"),
                    ("pipeline board, the recruiter's own", "/pipeline/"),
                    ("pipeline board, everyone's", "/pipeline/?recruiter=")]
        if application_id is not None:
            measured.append(("application page, the busiest", f"/applications/{application_id}/"))
        # As a recruiter sees them all day: the risk snapshots are fresh and carry the next day's values (as
        # after the morning's first views, or the worker's round; not counted).
        refresh_everyone(PAGES_MOMENT)
        for name, url in measured:
            size = get(url)
            figures.append(figure(name, url, median_seconds(partial(get, url), ctx.repeat), size))
        everyone = [(name, url) for name, url in measured if "everyone" in name]
        if application_id is not None:
            busiest = application_id

            def change_then_get(url: str) -> None:
                count_change(application_ids=[busiest])
                get(url)

            # Right after someone logged a call: that application's snapshot is recomputed.
            for name, url in everyone:
                figures.append(figure(f"{name}, right after a change", url, median_seconds(
                    partial(change_then_get, url), ctx.repeat),
                    get(url), "; one application's snapshot recomputed"))
        # The day's first view when no worker ran overnight: the snapshots are as yesterday's views left
        # them by the evening (each computed then and carrying today's values: the day's views carry a
        # batch each), and whatever was recorded since is stale (the preparation is not counted).
        def as_yesterday_evening_left_them() -> None:
            RiskSnapshot.objects.update(computed_generation=None)
            refresh_everyone(LAST_VIEW_YESTERDAY)
            snapshots_vacuumed()

        def snapshots_vacuumed() -> None:
            """PostgreSQL: the snapshots' table as autovacuum keeps it (this machine's server runs with it
            off). Each preparation rewrites every row twice: without it, the runs' dead rows (300,000 after
            one run of this benchmark, for 7,000 live) made every later run read them all."""
            from django.db import connection

            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(RiskSnapshot._meta.db_table)}")

        for name, url in everyone:
            as_yesterday_evening_left_them()
            promoted = RiskSnapshot.objects.filter(next_day=PAGES_MOMENT.date()).count()
            get(url)
            recomputed = RiskSnapshot.objects.filter(computed_at=PAGES_MOMENT).count()
            figures.append(figure(f"{name}, the day's first view", url, _median_after(
                as_yesterday_evening_left_them, partial(get, url), ctx.repeat), get(url),
                f"; yesterday {LAST_VIEW_YESTERDAY:%H:%M}'s snapshots, {promoted:,} carrying today's values, "
                f"{recomputed:,} computed (stale, or carried again)"))
        # New weights or rules (a model put live): every open application's snapshot recomputed.
        def every_snapshot_stale() -> None:
            RiskSnapshot.objects.update(computed_generation=None)
            snapshots_vacuumed()

        for name, url in everyone:
            figures.append(figure(f"{name}, every snapshot recomputed", url, _median_after(
                every_snapshot_stale, partial(get, url), ctx.repeat), get(url),
                "; every open application's snapshot recomputed, as after new weights"))
    return figures


def _median_after(prepare, action, repeat: int) -> float:
    """Median wall time of `action`, each run after an uncounted `prepare`."""
    timings = []
    for _ in range(repeat):
        prepare()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)
