"""The soak of several app servers: two `homestretch run` and two `homestretch worker` over one
PostgreSQL database, a mixed load on both servers, then what must hold afterwards (issue 18, item 5).

    .venv/bin/python -m benchmarks.soak --database postgres://postgres@127.0.0.1:5432/h_soak --seconds 150
    .venv/bin/homestretch bench --only soak --soak-database postgres://postgres@127.0.0.1:5432/h_soak

The database named is dropped and created afresh (it must be the soak's own), the small demo agency
loaded as of now, and each demo recruiter given an API token. Both servers (gunicorn, 2 processes
each, on free loopback ports) and both workers (every 5 s) share it, with one secret key and one
folder for files (the digests' e-mails land there, one file per message). locust
(benchmarks/locustfiles/soak.py) then sends the mixed load for the time asked; halfway through,
half the recruiters turn their digest on, so that digests fall due while both workers run.

Then, with every process stopped, the checks:

- no server error: no answer of 500 or above, no broken connection, no traceback in a server's log;
- every acknowledged write is in the database exactly once (its marker counted in the touches, the
  competing offers, the offers and the stage changes), every refused one nowhere; each application's
  stage history is one unbroken chain ending at its stage; two moves to one stage never both win; at
  most one open offer per application;
- no digest sent twice: every e-mail's Message-ID (the delivery's key) once, as many as the outbox's
  `sent` rows, and every recruiter's digest of the day settled (sent, or empty);
- every risk snapshot that holds now equals a fresh computation by the engine.

This module runs as its own process (the runner and the suite call it so): it sets Django up on the
soak's database, which is not the benchmark's nor the tests'.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SERVERS = 2
SERVER_PROCESSES = 2  # gunicorn workers per app server
WORKER_INTERVAL = 5  # seconds between a worker's runs (the command's minimum)
DEFAULT_SECONDS = 150
DEFAULT_USERS = 12
# A write through the API is done when answered 200 or 201; through a page, when answered with a
# redirect (a refused form is shown again, 200).
ACKNOWLEDGED_API = {200, 201}
ACKNOWLEDGED_PAGE = {302}
PROTECTED_DATABASES = {"postgres", "template0", "template1", "test", "root"}
ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"soak-[0-9a-f]{16}")
MESSAGE_ID = re.compile(r"^Message-ID: <digest-([^@>]+)@", re.MULTILINE)


# --- The database ----------------------------------------------------------------------------------


def database_name(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"--database must be a PostgreSQL URL (postgres://…), not {parts.scheme or url!r}: "
                         "the soak is about several app servers over one PostgreSQL database")
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        raise SystemExit(f"--database names {name or 'no database'!r}: give the soak a database of its own "
                         "(it is dropped and created afresh), e.g. …/h_soak")
    return name


def reset_database(url: str) -> None:
    """Drop the soak's database and create it empty, through the server's maintenance database."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    maintenance = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(seed: int) -> dict[str, Any]:
    """Migrate, load the small demo agency as of now, and write the plan the load follows: the demo
    recruiters with a token each, their open applications, and the contested ones. Digests: every
    recruiter's is due from hour 0 (UTC); half of them are off until halfway through the run."""
    from django.core.management import call_command
    from django.utils import timezone

    from homestretch.accounts.choices import Role
    from homestretch.accounts.models import User
    from homestretch.accounts.tokens import create_token
    from homestretch.demo.generator import DEMO_PASSWORD, generate
    from homestretch.integrations.models import DigestDelivery, NotificationSettings
    from homestretch.pipeline.models import Application
    from homestretch.pipeline.stages import OPEN

    call_command("migrate", interactive=False, verbosity=0)
    now = timezone.now()
    generate("small", seed, now=now)
    DigestDelivery.objects.all().delete()
    recruiters = list(User.objects.filter(role=Role.RECRUITER, is_active=True).order_by("id"))
    actors: list[dict[str, Any]] = []
    later: list[int] = []
    for index, recruiter in enumerate(recruiters):
        enabled = index % 2 == 0
        NotificationSettings.objects.update_or_create(
            user=recruiter, defaults={"digest_enabled": enabled, "digest_hour": 0, "time_zone": "UTC",
                                      "by_email": True, "by_chat": False})
        if not enabled:
            later.append(recruiter.pk)
        rows = list(Application.objects.filter(recruiter=recruiter, stage__in=OPEN)
                    .order_by("id").values_list("id", "stage", "candidate_id"))
        if not rows:
            continue
        actors.append({
            "email": recruiter.email, "id": recruiter.pk,
            "token": create_token(recruiter, name="soak", at=now).secret,
            "applications": [app for app, _, _ in rows],
            "candidates": {str(app): candidate for app, _, candidate in rows},
            "movable": [{"id": app, "stage": stage} for app, stage, _ in rows
                        if stage in {"interviewing", "final_interview"}][:6],
        })
    if not actors:
        raise RuntimeError("the demo data has no recruiter with open applications")
    # The contested applications: a few of the first recruiter's, written by a second token of theirs.
    first = actors[0]
    contested_movable = first["movable"][:3]
    contested_apps = [row["id"] for row in contested_movable] + [
        app for app in first["applications"] if app not in {row["id"] for row in contested_movable}][:3]
    contested = {
        "email": first["email"], "id": first["id"],
        "token": create_token(User.objects.get(pk=first["id"]), name="soak contested", at=now).secret,
        "applications": contested_apps, "movable": contested_movable,
        "candidates": {str(app): first["candidates"][str(app)] for app in contested_apps},
    }
    return {"password": DEMO_PASSWORD, "actors": actors, "contested": contested, "digests_later": later,
            "started_at": now.isoformat()}


# --- The processes ---------------------------------------------------------------------------------


def free_port() -> int:
    from benchmarks.api_load import free_port as port

    return port()


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own virtualenv's commands, fixed arguments
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop(processes: Iterable[subprocess.Popen]) -> None:
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The checks ------------------------------------------------------------------------------------


def acknowledging(kind: str) -> set[int]:
    return ACKNOWLEDGED_PAGE if kind.endswith("(page)") else ACKNOWLEDGED_API


def check_writes(writes: list[dict[str, Any]], in_database: Counter) -> tuple[list[str], dict[str, Any]]:
    """Every acknowledged write's marker in the database once, every refused one nowhere, no marker
    that no request sent. A write whose answer never came (a connection cut at the end) may be either."""
    problems: list[str] = []
    statuses: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for write in writes:
        statuses[write["marker"]].add(write["status"])
        kinds[write["marker"]] = write["kind"]
    acknowledged = 0
    for mark, seen in statuses.items():
        count = in_database.get(mark, 0)
        if seen & acknowledging(kinds[mark]):
            acknowledged += 1
            if count != 1:
                problems.append(f"{kinds[mark]} {mark}: acknowledged ({sorted(seen)}) and {count} times in the "
                                "database" + (" (lost)" if count == 0 else " (duplicated)"))
        elif 0 not in seen and count != 0:
            problems.append(f"{kinds[mark]} {mark}: refused ({sorted(seen)}) yet {count} times in the database")
    for mark in sorted(set(in_database) - set(statuses)):
        problems.append(f"{mark}: in the database {in_database[mark]} times, sent by no request")
    return problems, {"writes acknowledged": acknowledged, "writes sent": len(statuses)}


def check_contested(writes: list[dict[str, Any]]) -> list[str]:
    """Two offer revisions sent at once both land, with distinct revision numbers; one touch sent to both
    servers with one key is answered as one. (Two moves to one stage at once never both winning shows in
    the stage histories: see check_stage_histories.)"""
    problems: list[str] = []
    for write in writes:
        if write["kind"] == "contested: offer revision (API)" and write["status"] not in {201, 0}:
            problems.append(f"contested offer revision on application {write['application']} answered "
                            f"{write['status']}, not 201")
    revisions: dict[int, Counter] = defaultdict(Counter)
    for write in writes:
        if write["kind"].startswith(("write: offer revision", "contested: offer revision")) and write["status"] == 201:
            revisions[write["application"]][write["answer"].get("revision")] += 1
    # One touch sent to both servers with one key: every success answers the same touch, and at most one
    # of them is not a replay.
    answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for write in writes:
        if write["kind"].startswith("contested: one touch, one key") and write["status"] == 201:
            answers[write["marker"]].append(write)
    for mark, answered in answers.items():
        if len({write["answer"].get("id") for write in answered}) > 1:
            problems.append(f"one key, two touches: {mark} answered with ids "
                            f"{sorted(str(write['answer'].get('id')) for write in answered)}")
        if sum(1 for write in answered if write["replayed"] != "true") > 1:
            problems.append(f"one key, two touches: {mark} answered 201 twice without a replay")
    for app, counted in revisions.items():
        twice = [revision for revision, n in counted.items() if n > 1]
        if twice:
            problems.append(f"application {app}: offer revision(s) {twice} answered to two requests")
    return problems


def markers_in_database() -> Counter:
    from homestretch.offers.models import CompetingOffer, Offer
    from homestretch.pipeline.models import StageChange, Touchpoint

    found: Counter = Counter()
    for model, field in ((Touchpoint, "notes"), (CompetingOffer, "notes"), (Offer, "notes"), (StageChange, "reason")):
        for text in model.objects.filter(**{f"{field}__startswith": "soak-"}).values_list(field, flat=True):
            found[text] += 1
    return found


def check_stage_histories(application_ids: set[int]) -> list[str]:
    """Each application's stage changes, in the order they were written, form one chain (each from the
    stage the one before went to: two moves from the same stage never both won) ending at its stage;
    at most one open offer per application."""
    from django.db.models import Count

    from homestretch.offers.choices import OPEN_OFFER_STATUSES
    from homestretch.offers.models import Offer
    from homestretch.pipeline.models import Application, StageChange

    problems: list[str] = []
    stages = dict(Application.objects.filter(pk__in=application_ids).values_list("id", "stage"))
    chains: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for app, from_stage, to_stage in (StageChange.objects.filter(application_id__in=application_ids)
                                      .order_by("application_id", "id")
                                      .values_list("application_id", "from_stage", "to_stage")):
        chains[app].append((from_stage, to_stage))
    for app, chain in chains.items():
        for (_, before), (after, _) in zip(chain, chain[1:], strict=False):
            if before != after:
                problems.append(f"application {app}: a stage change from {after} follows one to {before}")
                break
        if chain and chain[-1][1] != stages.get(app):
            problems.append(f"application {app}: at {stages.get(app)} but its last stage change is to {chain[-1][1]}")
    open_twice = (Offer.objects.filter(status__in=OPEN_OFFER_STATUSES).values("application_id")
                  .annotate(n=Count("id")).filter(n__gt=1))
    for row in open_twice:
        problems.append(f"application {row['application_id']}: {row['n']} open offers at once")
    return problems


def check_digests(mail_dir: Path, recruiter_ids: list[int]) -> tuple[list[str], dict[str, Any]]:
    from django.utils import timezone

    from homestretch.integrations.choices import DeliveryStatus
    from homestretch.integrations.delivery import delivery_key
    from homestretch.integrations.models import DigestDelivery

    problems: list[str] = []
    sent_keys: Counter = Counter()
    for path in sorted(mail_dir.glob("*")) if mail_dir.exists() else []:
        sent_keys.update(MESSAGE_ID.findall(path.read_text(errors="replace")))
    for key, n in sent_keys.items():
        if n > 1:
            problems.append(f"digest {key} sent {n} times")
    rows = list(DigestDelivery.objects.values_list("recruiter_id", "day", "channel", "status"))
    by_status = Counter(status for *_, status in rows)
    sent_rows = {delivery_key(r, d, c) for r, d, c, s in rows if s == DeliveryStatus.SENT}
    if set(sent_keys) != sent_rows:
        problems.append(f"the outbox says {len(sent_rows)} digests sent, the mail folder holds {len(sent_keys)} "
                        f"different ones")
    today = timezone.now().date()
    settled = {r for r, d, c, s in rows if d == today and s in {DeliveryStatus.SENT, DeliveryStatus.EMPTY}}
    missing = sorted(set(recruiter_ids) - settled)
    if missing:
        problems.append(f"no digest settled today for recruiter(s) {missing}")
    unsettled = {status: n for status, n in by_status.items()
                 if status not in {DeliveryStatus.SENT, DeliveryStatus.EMPTY}}
    if unsettled:
        problems.append(f"digests left {unsettled}")
    return problems, {"digests sent": len(sent_rows), "digest e-mails": sum(sent_keys.values()),
                      "digests empty": by_status.get(DeliveryStatus.EMPTY, 0)}


def check_snapshots() -> tuple[list[str], dict[str, Any]]:
    """Every snapshot that holds now against the engine's own answer for its application, now."""
    from django.utils import timezone

    from homestretch.cadence.due import due_reasons
    from homestretch.cadence.models import cadence_lookup
    from homestretch.risk import snapshots
    from homestretch.risk.engine import assess_many
    from homestretch.risk.live import live_weights
    from homestretch.risk.loader import SCORED_STAGES, applications_as_of, load_facts
    from homestretch.risk.scoring import current_scorer

    at = timezone.now()
    stored = {
        app: tuple(rest) for app, *rest in snapshots.valid_at(at, current_scorer())
        .filter(application__in=applications_as_of(at).values("id"))
        .values_list("application_id", "stage", "probability", "band", "due", "overdue_days")
    }
    facts = [fact for fact in load_facts(at, scored_only=False) if fact.application_id in stored]
    cadence_for_team = cadence_lookup()
    risks = assess_many(facts, at, cadence_for_team, live_weights())
    on = timezone.localtime(at).date()
    problems = []
    for fact in facts:
        reasons = due_reasons(fact, on, cadence_for_team(fact.team_id)) if fact.stage in SCORED_STAGES else []
        risk = risks[fact.application_id]
        fresh = (fact.stage, risk.probability, risk.band or "", bool(reasons),
                 reasons[0].overdue_days if reasons else None)
        if stored[fact.application_id] != fresh:
            problems.append(f"application {fact.application_id}: snapshot {stored[fact.application_id]}, "
                            f"computed now {fresh}")
    if not stored:
        problems.append("no risk snapshot holds after the run: nothing was checked")
    return problems, {"risk snapshots checked": len(stored)}


def server_errors_in_logs(logs: Iterable[Path]) -> list[str]:
    """Tracebacks in a server's, a worker's or the load's own log (a load script that fails is no soak)."""
    problems = []
    for log in logs:
        text = log.read_text(errors="replace") if log.exists() else ""
        for needle in ("Internal Server Error", "Traceback (most recent call last)"):
            if needle in text:
                problems.append(f"{log.name}: {text.count(needle)} × {needle!r}")
    return problems


# --- The figures -----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def figures_of(requests: list[list], wall: float) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    for kind, _server, status, seconds in requests:
        by_kind[kind].append(seconds)
        if status == 0 or status >= 500:
            errors[kind] += 1
    return {
        "requests": len(requests), "seconds": wall, "requests_per_second": len(requests) / wall if wall else 0.0,
        "errors": sum(errors.values()),
        "kinds": {kind: {"count": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99),
                         "errors": errors.get(kind, 0)} for kind, values in sorted(by_kind.items())},
        "per_server": dict(Counter(server for _, server, _, _ in requests if server >= 0)),
    }


# --- The run ---------------------------------------------------------------------------------------


def settle_digests(recruiter_ids: list[int], timeout: float) -> None:
    """Wait (at most `timeout`) until the workers have settled every recruiter's digest of the day."""
    from django.db import connections
    from django.utils import timezone

    from homestretch.integrations.choices import DeliveryStatus
    from homestretch.integrations.models import DigestDelivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = DigestDelivery.objects.filter(day=timezone.now().date())
        settled = set(rows.filter(status__in=[DeliveryStatus.SENT, DeliveryStatus.EMPTY])
                      .values_list("recruiter_id", flat=True))
        if settled >= set(recruiter_ids) and not rows.exclude(
                status__in=[DeliveryStatus.SENT, DeliveryStatus.EMPTY]).exists():
            break
        time.sleep(1)
    connections.close_all()



def soak(database: str, seconds: int, users: int, seed: int = 1, log=print) -> dict[str, Any]:
    """Run the soak; returns its figures, counts and problems (empty when everything held)."""
    database_name(database)
    scratch = Path(tempfile.mkdtemp(prefix="hs-soak-"))
    env = {**os.environ, "DATABASE_URL": database, "HOMESTRETCH_VAR_DIR": str(scratch / "var"),
           "HOMESTRETCH_SECRET_KEY": secrets.token_urlsafe(40), "DJANGO_SETTINGS_MODULE": "homestretch.settings",
           "HOMESTRETCH_CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1"}
    env.pop("EMAIL_HOST", None)  # the digests go to files in the soak's own folder
    env.pop("EMAIL_BACKEND", None)
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "HOMESTRETCH_VAR_DIR", "HOMESTRETCH_SECRET_KEY",
                                                  "DJANGO_SETTINGS_MODULE")})
    os.environ.pop("EMAIL_HOST", None)
    os.environ.pop("EMAIL_BACKEND", None)
    log(f"Resetting {database_name(database)} and loading the small demo agency…")
    began = time.monotonic()
    reset_database(database)
    import django

    django.setup()
    from django.db import connections

    from homestretch.integrations.models import NotificationSettings

    plan = prepare(seed)
    connections.close_all()
    log(f"Database ready in {time.monotonic() - began:.1f} s.")
    bin_dir = Path(sys.executable).parent
    ports = [free_port() for _ in range(SERVERS)]
    plan["servers"] = [f"http://127.0.0.1:{port}" for port in ports]
    plan_path = scratch / "plan.json"
    plan_path.write_text(json.dumps(plan))
    out_path = scratch / "load.json"
    logs = [scratch / f"server-{i + 1}.log" for i in range(SERVERS)] + [
        scratch / f"worker-{i + 1}.log" for i in range(2)]
    processes: list[subprocess.Popen] = []
    try:
        from benchmarks.api_load import locust_command, wait_until_up

        for i, port in enumerate(ports):
            # Each server as on a machine of its own: its own folder for the static files it collects
            # at start (var/static); the database, the secret key and the workers' mail folder shared.
            server_env = {**env, "HOMESTRETCH_VAR_DIR": str(scratch / f"var-server-{i + 1}")}
            processes.append(start([str(bin_dir / "homestretch"), "run", "--host", "127.0.0.1", "--port", str(port),
                                    "--workers", str(SERVER_PROCESSES)], server_env, logs[i]))
        for port in ports:
            wait_until_up(port, timeout=300)  # migrate (nothing to do) and collectstatic come first
        for i in range(2):
            processes.append(start([str(bin_dir / "homestretch"), "worker", "--interval", str(WORKER_INTERVAL)], env,
                                   logs[SERVERS + i]))
        log(f"Two app servers on ports {ports[0]} and {ports[1]}, two workers (up after "
            f"{time.monotonic() - began:.1f} s); {users} users for {seconds} s…")
        started = time.monotonic()
        load = subprocess.Popen(  # noqa: S603 - our own virtualenv's locust, fixed arguments
            [*locust_command("soak.py", plan["servers"][0], users, f"{seconds}s"), "--stop-timeout", "10"],
            env={**env, "HS_SOAK_PLAN": str(plan_path), "HS_SOAK_OUT": str(out_path)}, cwd=ROOT,
            stdout=(scratch / "locust.log").open("w"), stderr=subprocess.STDOUT,
        )
        # Halfway: the other recruiters turn their digest on, due at once, while both workers run.
        time.sleep(seconds / 2)
        NotificationSettings.objects.filter(user_id__in=plan["digests_later"]).update(digest_enabled=True)
        connections.close_all()
        load.wait(timeout=seconds + 120)
        wall = time.monotonic() - started
        settle_digests([actor["id"] for actor in plan["actors"]], timeout=3 * WORKER_INTERVAL)
    finally:
        stop(processes)
        for i in range(SERVERS):  # the collected static files (some 30 MB a server); the logs stay
            shutil.rmtree(scratch / f"var-server-{i + 1}" / "static", ignore_errors=True)
    log(f"Load and settling done ({time.monotonic() - began:.1f} s); checking…")
    if not out_path.exists():
        raise RuntimeError(f"locust wrote nothing; see {scratch / 'locust.log'}")
    result = json.loads(out_path.read_text())
    figures = figures_of(result["requests"], wall)
    problems = [f"{kind}: {values['errors']} server errors or broken connections"
                for kind, values in figures["kinds"].items() if values["errors"]]
    problems += server_errors_in_logs([*logs, scratch / "locust.log"])
    write_problems, counts = check_writes(result["writes"], markers_in_database())
    problems += write_problems + check_contested(result["writes"])
    problems += check_stage_histories({write["application"] for write in result["writes"]})
    digest_problems, digest_counts = check_digests(scratch / "var" / "mail",
                                                   [actor["id"] for actor in plan["actors"]])
    snapshot_problems, snapshot_counts = check_snapshots()
    problems += digest_problems + snapshot_problems
    counts.update(digest_counts)
    counts.update(snapshot_counts)
    counts["writes by kind"] = dict(Counter(w["kind"] for w in result["writes"]
                                            if w["status"] in acknowledging(w["kind"])))
    connections.close_all()
    return {"database": "postgresql", "servers": SERVERS, "server_processes": SERVER_PROCESSES, "workers": 2,
            "users": users, "seconds": seconds, "figures": figures, "counts": counts, "problems": problems,
            "logs": str(scratch)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True,
                        help="the soak's own PostgreSQL database (dropped and made afresh)")
    parser.add_argument("--seconds", type=int, default=DEFAULT_SECONDS, help="how long the load lasts")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS, help="simulated users (a fifth contend)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", dest="json_path", help="where to write the result as JSON")
    arguments = parser.parse_args(argv)
    if arguments.seconds < 5 or arguments.users < 2:
        parser.error("--seconds must be at least 5 and --users at least 2")
    result = soak(arguments.database, arguments.seconds, arguments.users, arguments.seed,
                  log=lambda text: print(text, file=sys.stderr))
    text = json.dumps(result, indent=2, default=str)
    if arguments.json_path:
        Path(arguments.json_path).write_text(text)
    print(text)
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())

