"""The API under concurrent load: list and agenda endpoints beside GET /api/v1/ping on the same server.

gunicorn serves the benchmark database on a free loopback port; locust, run headless in its own
process (benchmarks/locustfiles/api.py), sends a bounded number of requests from a few simulated
users over keep-alive connections and reports every latency. The ping endpoint authenticates the
token and returns a constant: it is the framework's floor, so each ratio is what our own work costs
on top of it.

Why a subprocess rather than locust's library API (`locust.env.Environment`): importing locust
monkeypatches the process's sockets and threads with gevent, which must not happen to the runner (it
goes on to run the in-process benchmarks) nor to pytest; and a client in another process does not
share an interpreter lock with anything measured.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks import BenchContext, Figure, register
from benchmarks.runner import DATASET_NOW

CONCURRENCY = 4
WORKERS = 2
REQUESTS = {"small": 400, "large": 200}
SCORING_MOMENT = DATASET_NOW + timedelta(hours=1)
ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILES = Path(__file__).resolve().parent / "locustfiles"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on port {port} within {timeout:.0f} s")


def locust_command(locustfile: str, host: str, users: int, run_time: str) -> list[str]:
    """locust, headless, from our own virtualenv: `users` simulated users started at once, the run
    bounded by `run_time` (the locustfile may stop it sooner)."""
    return [
        str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILES / locustfile), "--headless",
        "--host", host, "--users", str(users), "--spawn-rate", str(users), "--run-time", run_time,
        "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_driver(port: int, token: str, path: str, total: int) -> dict:
    """`total` GETs of `path` from CONCURRENCY locust users: every latency (s), the failures, the wall time."""
    with tempfile.TemporaryDirectory(prefix="hs-api-load-") as scratch:
        out = Path(scratch) / "latencies.json"
        env = {**os.environ, "HS_LOAD_PATH": path, "HS_LOAD_TOKEN": token, "HS_LOAD_TOTAL": str(total),
               "HS_LOAD_OUT": str(out)}
        completed = subprocess.run(  # noqa: S603 - our own virtualenv's locust, fixed arguments
            locust_command("api.py", f"http://127.0.0.1:{port}", CONCURRENCY, "900s"),
            env=env, capture_output=True, text=True, timeout=960, cwd=ROOT,
        )
        if not out.exists():
            raise RuntimeError(f"locust wrote no figures (exit {completed.returncode}): {completed.stderr[-2000:]}")
        result = json.loads(out.read_text())
    if result["failures"]:
        raise RuntimeError(f"{path}: {len(result['failures'])} answers were not 200: {result['failures'][:5]}")
    if len(result["latencies"]) < total:
        raise RuntimeError(f"{path}: locust stopped after {len(result['latencies'])} of {total} requests")
    return result


@register("api_load")
def api_load(ctx: BenchContext) -> list[Figure]:
    from django.db.models import Count
    from django.utils import timezone

    from homestretch.accounts.choices import Role
    from homestretch.accounts.models import ApiToken, User
    from homestretch.accounts.tokens import create_token
    from homestretch.pipeline.models import Application, Touchpoint

    # A recruiter who has applications: the newest application's.
    recruiter_id = Application.objects.order_by("-created_at").values_list("recruiter_id", flat=True).first()
    newest = User.objects.filter(pk=recruiter_id).first() if recruiter_id is not None else None
    recruiter = newest or User.objects.filter(role=Role.RECRUITER).first()
    if recruiter is None:
        raise RuntimeError("the data set has no recruiter to act as")
    new = create_token(recruiter, name="benchmark api_load", at=timezone.now())
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "homestretch.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning", "--timeout", "120"],
        env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    total = REQUESTS.get(ctx.scale, 200)
    at = SCORING_MOMENT.isoformat().replace("+00:00", "Z")
    # The application with the most touches, for a full page of them (issue 18 names every list).
    busiest = (Touchpoint.objects.filter(application__isnull=False).values("application_id")
               .annotate(n=Count("id")).order_by("-n", "application_id").values_list("application_id", flat=True)
               .first())
    endpoints = [
        ("GET /api/v1/applications?limit=50 (list, page of 50)", "/api/v1/applications?limit=50&is_open=true"),
        ("GET /api/v1/candidates?limit=50 (list, page of 50)", "/api/v1/candidates?limit=50"),
        ("GET /api/v1/jobs?limit=50 (list, page of 50)", "/api/v1/jobs?limit=50"),
        (f"GET /api/v1/applications/{busiest}/touchpoints?limit=50 (list, page of 50)",
         f"/api/v1/applications/{busiest}/touchpoints?limit=50"),
        (f"GET /api/v1/agenda (one recruiter's, recruiter {recruiter.pk})",
         f"/api/v1/agenda?recruiter={recruiter.pk}&at={at}"),
    ]
    figures: list[Figure] = []
    try:
        wait_until_up(port)
        # Warm-up: imports, connections, caches on every worker.
        for path in ["/api/v1/ping"] + [p for _, p in endpoints]:
            run_driver(port, new.secret, path, WORKERS * CONCURRENCY)
        # The floor and every endpoint take turns, round after round, so that each median of the floor
        # comes from the same minutes as the endpoints' (on a shared machine the floor alone moved 301 to 577
        # requests/s between runs minutes apart: benchmarks/README.md).
        floor: list[dict] = []
        by_endpoint: dict[str, list[dict]] = {path: [] for _, path in endpoints}
        for _ in range(ctx.repeat):
            floor.append(run_driver(port, new.secret, "/api/v1/ping", total))
            for _, path in endpoints:
                by_endpoint[path].append(run_driver(port, new.secret, path, total))
        floor_rps = statistics.median(len(r["latencies"]) / r["wall"] for r in floor)
        floor_p50 = statistics.median(percentile(r["latencies"], 0.5) for r in floor)
        floor_p99 = statistics.median(percentile(r["latencies"], 0.99) for r in floor)
        reference = "GET /api/v1/ping, same server"
        notes = (f"{total} requests per run, {CONCURRENCY} concurrent locust users (headless), "
                 f"gunicorn {WORKERS} workers, loopback")
        figures.append(Figure(benchmark="api_load", name="GET /api/v1/ping (the floor): requests/s",
                              value=floor_rps, unit="req/s", runs=ctx.repeat, notes=notes))
        for name, path in endpoints:
            runs = by_endpoint[path]
            rps = statistics.median(len(r["latencies"]) / r["wall"] for r in runs)
            p50 = statistics.median(percentile(r["latencies"], 0.5) for r in runs)
            p99 = statistics.median(percentile(r["latencies"], 0.99) for r in runs)
            figures += [
                Figure(benchmark="api_load", name=f"{name}: requests/s", value=rps, unit="req/s",
                       reference_name=reference, reference_value=floor_rps, runs=ctx.repeat, notes=notes),
                Figure(benchmark="api_load", name=f"{name}: p50 latency", value=p50, unit="s",
                       reference_name=reference, reference_value=floor_p50, runs=ctx.repeat, notes=notes),
                Figure(benchmark="api_load", name=f"{name}: p99 latency", value=p99, unit="s",
                       reference_name=reference, reference_value=floor_p99, runs=ctx.repeat, notes=notes),
            ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        ApiToken.objects.filter(pk=new.token.pk).delete()
    return figures
