"""The soak's mixed load, for locust: recruiters reading and writing on two app servers at once.

Run headless by benchmarks/soak.py in its own process. It reads the plan the soak wrote
(HS_SOAK_PLAN: the two servers, the demo recruiters with an API token each, their applications and
candidates) and writes, when it quits, every request (kind, server, status, latency) and every write
(kind, unique marker, application, Idempotency-Key, status) to HS_SOAK_OUT, for the soak to check
against the database.

Two kinds of simulated user:

- `Recruiter`: signs in once (on either server: the session is a database row, so both servers know
  it) and then, at random on either server, reads Today, the board, application pages and the API,
  and writes touches, competing offers, offer revisions and stage moves through the API (each with
  its own Idempotency-Key) and touches and stage moves through the pages;
- `Contender`: sends the same kind of write to both servers at the same moment on one of a few
  contested applications: two offer revisions (both must land, with distinct revision numbers), two
  moves to the same stage (exactly one may win), two competing offers, and one touch sent to both
  servers with the same Idempotency-Key (it must be written once).

Every write carries a marker (`soak-…`) in a free-text field (a touch's or an offer's notes, a stage
move's reason), so that the soak can count each acknowledged write in the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]  # gevent ships no type hints
from locust import HttpUser, between, events, task
from locust.clients import HttpSession

PLAN_PATH = os.environ.get("HS_SOAK_PLAN", "")
PLAN: dict[str, Any] = json.loads(Path(PLAN_PATH).read_text()) if PLAN_PATH else {}
OUT = os.environ.get("HS_SOAK_OUT", "")
SERVERS: list[str] = PLAN.get("servers", [])
TOGGLE = {"interviewing": "final_interview", "final_interview": "interviewing"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

requests_seen: list[tuple[str, int, int, float]] = []  # (kind, server index, status, seconds)
writes: list[dict[str, Any]] = []
actors = itertools.count()


@events.request.add_listener
def record(request_type, name, response_time, response_length, response=None, exception=None, context=None,
           **kwargs):
    status = 0 if exception is not None and response is None else (getattr(response, "status_code", 0) or 0)
    server = (context or {}).get("server", -1)
    requests_seen.append((name, server, status, response_time / 1000))


@events.quitting.add_listener
def write_out(environment, **kwargs):
    if OUT:
        with open(OUT, "w") as out:
            json.dump({"requests": requests_seen, "writes": writes}, out)


def marker() -> str:
    return f"soak-{uuid.uuid4().hex[:16]}"


class Soaker(HttpUser):
    abstract = True
    host = SERVERS[0] if SERVERS else "http://127.0.0.1"
    wait_time = between(0.05, 0.3)

    def on_start(self) -> None:
        # One connection pool per server, one cookie jar for both: cookies belong to a host name, not a
        # port, so the session signed in on one server is sent to both, as through a proxy in front.
        self.clients = [HttpSession(base_url=server, request_event=self.environment.events.request, user=self)
                        for server in SERVERS]
        for client in self.clients[1:]:
            client.cookies = self.clients[0].cookies
        self.actor = self.choose_actor()
        self.token_headers = {"Authorization": f"Bearer {self.actor['token']}"}
        self.stages = {row["id"]: row["stage"] for row in self.actor["movable"]}

    def choose_actor(self) -> dict[str, Any]:
        return PLAN["actors"][next(actors) % len(PLAN["actors"])]

    def send(self, server: int, method: str, path: str, kind: str, **kwargs):
        response = self.clients[server].request(method, path, name=kind, context={"server": server},
                                                allow_redirects=False, catch_response=False, **kwargs)
        return response

    def api_write(self, server: int, kind: str, path: str, body: dict[str, Any], mark: str, application: int,
                  key: str | None = None, method: str = "POST") -> int:
        key = key or uuid.uuid4().hex
        headers = {**self.token_headers, "Idempotency-Key": key}
        response = self.send(server, method, path, kind, json=body, headers=headers)
        reply = {}
        if response.headers.get("Content-Type", "").startswith("application/json"):
            try:
                reply = response.json()
            except ValueError:
                reply = {}
        writes.append({"kind": kind, "marker": mark, "application": application, "key": key, "server": server,
                       "status": response.status_code, "replayed": response.headers.get("Idempotent-Replayed"),
                       "answer": {k: reply.get(k) for k in ("id", "revision", "stage")} if isinstance(reply, dict)
                       else {}})
        return response.status_code

    def page_write(self, server: int, kind: str, path: str, form: dict[str, str], mark: str, application: int) -> int:
        csrf = self.clients[server].cookies.get("csrftoken", "")
        response = self.send(server, "POST", path, kind, data={**form, "csrfmiddlewaretoken": csrf},
                             headers={"Referer": SERVERS[server] + path})
        # A redirect is the page's "done"; the form again (200) is a refusal, written nowhere.
        writes.append({"kind": kind, "marker": mark, "application": application, "key": "", "server": server,
                       "status": response.status_code, "replayed": None, "answer": {}})
        return response.status_code


class Recruiter(Soaker):
    weight = 4

    def on_start(self) -> None:
        super().on_start()
        server = random.randrange(len(SERVERS))
        page = self.send(server, "GET", "/login/", "sign in (page)")
        found = CSRF_INPUT.search(page.text or "")
        self.send(server, "POST", "/login/", "sign in (page)",
                  data={"username": self.actor["email"], "password": PLAN["password"],
                        "csrfmiddlewaretoken": found.group(1) if found else ""},
                  headers={"Referer": SERVERS[server] + "/login/"})

    def anywhere(self) -> int:
        return random.randrange(len(SERVERS))

    def application(self) -> int:
        return random.choice(self.actor["applications"])

    # --- Reads

    @task(3)
    def today(self) -> None:
        self.send(self.anywhere(), "GET", "/", "read: Today (page)")

    @task(2)
    def board(self) -> None:
        self.send(self.anywhere(), "GET", "/pipeline/", "read: board (page)")

    @task(3)
    def application_page(self) -> None:
        self.send(self.anywhere(), "GET", f"/applications/{self.application()}/", "read: application (page)")

    @task(2)
    def api_list(self) -> None:
        self.send(self.anywhere(), "GET", "/api/v1/applications?limit=50&is_open=true", "read: applications (API)",
                  headers=self.token_headers)

    @task(2)
    def api_agenda(self) -> None:
        self.send(self.anywhere(), "GET", "/api/v1/agenda", "read: agenda (API)", headers=self.token_headers)

    @task(1)
    def api_application(self) -> None:
        self.send(self.anywhere(), "GET", f"/api/v1/applications/{self.application()}", "read: application (API)",
                  headers=self.token_headers)

    @task(1)
    def ping(self) -> None:
        self.send(self.anywhere(), "GET", "/api/v1/ping", "read: ping (API), the floor", headers=self.token_headers)

    # --- Writes through the API

    @task(3)
    def api_touch(self) -> None:
        app, mark = self.application(), marker()
        self.api_write(self.anywhere(), "write: touch (API)", f"/api/v1/applications/{app}/touchpoints",
                       {"channel": "call", "direction": "outbound", "notes": mark, "interest": 4}, mark, app)

    @task(1)
    def api_competing(self) -> None:
        app, mark = self.application(), marker()
        candidate = self.actor["candidates"][str(app)]
        self.api_write(self.anywhere(), "write: competing offer (API)",
                       f"/api/v1/candidates/{candidate}/competing-offers",
                       {"company": "Soak Rival", "stage": "interviewing", "notes": mark}, mark, app)

    @task(1)
    def api_offer(self) -> None:
        app, mark = self.application(), marker()
        self.api_write(self.anywhere(), "write: offer revision (API)", f"/api/v1/applications/{app}/offers",
                       {"base": str(random.randrange(60, 95) * 1000), "currency": "EUR", "notes": mark}, mark, app)

    @task(1)
    def api_move(self) -> None:
        if not self.stages:
            return
        app = random.choice(list(self.stages))
        target, mark = TOGGLE[self.stages[app]], marker()
        status = self.api_write(self.anywhere(), "write: stage move (API)", f"/api/v1/applications/{app}/stage",
                                {"stage": target, "reason": mark}, mark, app)
        if status in (200, 409):  # moved, or someone else had moved it there
            self.stages[app] = target

    # --- Writes through the pages

    @task(1)
    def page_touch(self) -> None:
        app, mark = self.application(), marker()
        self.page_write(self.anywhere(), "write: touch (page)", f"/applications/{app}/touch/",
                        {"channel": "email", "direction": "outbound", "notes": mark}, mark, app)

    @task(1)
    def page_move(self) -> None:
        if not self.stages:
            return
        app = random.choice(list(self.stages))
        target, mark = TOGGLE[self.stages[app]], marker()
        self.page_write(self.anywhere(), "write: stage move (page)", f"/applications/{app}/move/",
                        {"to_stage": target, "reason": mark}, mark, app)
        self.stages[app] = target  # moved, or refused because it already was there: either way it is now


class Contender(Soaker):
    """The same write on both servers at the same moment, on the contested applications."""

    weight = 1
    wait_time = between(0.2, 0.6)

    def choose_actor(self) -> dict[str, Any]:
        return PLAN["contested"]

    def both(self, *calls) -> list[int]:
        started = [gevent.spawn(call) for call in calls]
        gevent.joinall(started)
        return [greenlet.value for greenlet in started]

    def contested(self) -> int:
        return random.choice(self.actor["applications"])

    @task(2)
    def two_offer_revisions(self) -> None:
        app = self.contested()
        marks = marker(), marker()
        self.both(*(lambda s=s: self.api_write(s, "contested: offer revision (API)",
                                               f"/api/v1/applications/{app}/offers",
                                               {"base": "90000", "currency": "EUR", "notes": marks[s]}, marks[s], app)
                    for s in (0, 1)))

    @task(2)
    def two_moves_to_one_stage(self) -> None:
        app = random.choice(list(self.stages))
        target = TOGGLE[self.stages[app]]
        marks = marker(), marker()
        self.both(*(lambda s=s: self.api_write(s, "contested: stage move (API)", f"/api/v1/applications/{app}/stage",
                                               {"stage": target, "reason": marks[s]}, marks[s], app)
                    for s in (0, 1)))
        self.stages[app] = target

    @task(2)
    def one_touch_sent_to_both(self) -> None:
        app, mark, key = self.contested(), marker(), uuid.uuid4().hex
        body = {"channel": "call", "direction": "inbound", "notes": mark}
        self.both(*(lambda s=s: self.api_write(s, "contested: one touch, one key, both servers (API)",
                                               f"/api/v1/applications/{app}/touchpoints", body, mark, app, key=key)
                    for s in (0, 1)))

    @task(1)
    def two_competing_offers(self) -> None:
        app = self.contested()
        candidate = self.actor["candidates"][str(app)]
        marks = marker(), marker()
        self.both(*(lambda s=s: self.api_write(s, "contested: competing offer (API)",
                                               f"/api/v1/candidates/{candidate}/competing-offers",
                                               {"company": "Soak Rival", "stage": "offer", "notes": marks[s]},
                                               marks[s], app)
                    for s in (0, 1)))

