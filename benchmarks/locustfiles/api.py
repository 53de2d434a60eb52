"""The load of `api_load`, for locust: GETs of one path with one token, a fixed number in all.

Run headless by benchmarks/api_load.py in its own process (locust's gevent patches the sockets and
threads of the process that imports it; the runner and pytest must not be that process). Settings
come from the environment, the token included, so that no secret shows in the process list:

    HS_LOAD_PATH   the path to GET, e.g. /api/v1/ping
    HS_LOAD_TOKEN  the bearer token
    HS_LOAD_TOTAL  how many requests in all (the users stop when it is reached)
    HS_LOAD_OUT    where to write every latency and the wall time, as JSON

Locust's own statistics round a latency above 100 ms to two figures and keep whole milliseconds
below: too coarse for a 2 ms floor, so every latency is kept here as measured.
"""

from __future__ import annotations

import json
import os
import time

import gevent  # type: ignore[import-untyped]  # gevent ships no type hints
from locust import FastHttpUser, constant, events, task

PATH = os.environ.get("HS_LOAD_PATH", "/api/v1/ping")
TOTAL = int(os.environ.get("HS_LOAD_TOTAL", "100"))
OUT = os.environ.get("HS_LOAD_OUT", "")

latencies: list[float] = []
failures: list[int] = []
started: list[float] = []  # the first request's start (perf_counter)
finished: list[float] = []  # the last request's end
handed_out = 0  # requests begun; one process, gevent: no other thread changes it between two yields
stopping: list[bool] = []


@events.request.add_listener
def record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    latencies.append(response_time / 1000)
    status = getattr(response, "status_code", 0) or 0
    if exception is not None or status != 200:
        failures.append(status)
    finished.append(time.perf_counter())


@events.quitting.add_listener
def write_out(environment, **kwargs):
    if OUT:
        wall = (finished[-1] - started[0]) if started and finished else 0.0
        with open(OUT, "w") as out:
            json.dump({"latencies": latencies, "failures": failures, "wall": wall}, out)


class ApiClient(FastHttpUser):
    wait_time = constant(0)  # a closed loop: each user sends its next request when the last is answered

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {os.environ['HS_LOAD_TOKEN']}"}

    @task
    def get(self) -> None:
        global handed_out
        if handed_out >= TOTAL:
            # Every request is handed out: once the last are answered, stop the run.
            if len(latencies) >= TOTAL and not stopping:
                stopping.append(True)
                gevent.spawn(self.environment.runner.quit)
            gevent.sleep(0.01)
            return
        handed_out += 1
        if not started:
            started.append(time.perf_counter())
        self.client.get(PATH, headers=self.headers, name=PATH)
