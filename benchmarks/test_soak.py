"""The soak of two app servers keeps working: a short run on PostgreSQL (its own database, beside the
suite's) passes every check, and the checks themselves catch a lost, a duplicated and a refused-yet-
written write. The full soak (minutes) is `homestretch bench --only soak`; no timing is asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks.soak import check_contested, check_writes, database_name

ROOT = Path(__file__).resolve().parent.parent


def write(marker: str, status: int, kind: str = "write: touch (API)") -> dict:
    return {"kind": kind, "marker": marker, "application": 1, "key": "k", "server": 0, "status": status,
            "replayed": None, "answer": {}}


def test_the_write_check_finds_a_lost_a_duplicated_and_a_refused_yet_written_write():
    writes = [
        write("soak-0000000000000001", 201),  # once: fine
        write("soak-0000000000000002", 201),  # lost
        write("soak-0000000000000003", 201),  # twice
        write("soak-0000000000000004", 409),  # refused, yet written
        write("soak-0000000000000005", 0),  # no answer (cut at the end): either way
        write("soak-0000000000000006", 201), write("soak-0000000000000006", 409),  # one key on both servers
        write("soak-0000000000000007", 200, kind="write: stage move (page)"),  # the form again: refused
        write("soak-0000000000000008", 302, kind="write: stage move (page)"),  # done
    ]
    in_database = Counter({"soak-0000000000000001": 1, "soak-0000000000000003": 2, "soak-0000000000000004": 1,
                           "soak-0000000000000006": 1, "soak-0000000000000008": 1, "soak-00000000000000ff": 1})
    problems, counts = check_writes(writes, in_database)
    assert [problem.split()[3].rstrip(":") for problem in problems[:3]] == [
        "soak-0000000000000002", "soak-0000000000000003", "soak-0000000000000004"]
    assert "(lost)" in problems[0] and "(duplicated)" in problems[1] and "refused ([409])" in problems[2]
    assert problems[3] == "soak-00000000000000ff: in the database 1 times, sent by no request"
    assert len(problems) == 4
    assert counts == {"writes acknowledged": 5, "writes sent": 8}  # 1, 2, 3, 6 and 8


def test_the_contested_check_finds_one_key_answered_as_two_touches_and_one_revision_given_twice():
    one_key = "contested: one touch, one key, both servers (API)"
    revision = "contested: offer revision (API)"
    writes = [
        {**write("soak-00000000000000a1", 201, one_key), "answer": {"id": 7}},
        {**write("soak-00000000000000a1", 201, one_key), "answer": {"id": 7}, "replayed": "true"},  # fine
        {**write("soak-00000000000000a2", 201, one_key), "answer": {"id": 8}},
        {**write("soak-00000000000000a2", 201, one_key), "answer": {"id": 9}},  # two touches for one key
        {**write("soak-00000000000000b1", 201, revision), "application": 5, "answer": {"revision": 3}},
        {**write("soak-00000000000000b2", 201, revision), "application": 5, "answer": {"revision": 3}},
        {**write("soak-00000000000000b3", 409, revision), "application": 6},  # both must land
    ]
    assert check_contested(writes) == [
        "contested offer revision on application 6 answered 409, not 201",
        "one key, two touches: soak-00000000000000a2 answered with ids ['8', '9']",
        "one key, two touches: soak-00000000000000a2 answered 201 twice without a replay",
        "application 5: offer revision(s) [3] answered to two requests",
    ]


@pytest.mark.parametrize(("url", "said"), [
    ("sqlite:///var/soak.sqlite3", "must be a PostgreSQL URL"),
    ("postgres://postgres@127.0.0.1:5432/postgres", "give the soak a database of its own"),
    ("postgres://postgres@127.0.0.1:5432/test", "give the soak a database of its own"),
    ("postgres://postgres@127.0.0.1:5432/", "names 'no database'"),
])
def test_the_soak_refuses_a_database_that_is_not_its_own_postgresql_one(url, said):
    # It drops and creates the database it is given: never SQLite's file, the server's own or the suite's.
    with pytest.raises(SystemExit, match=said):
        database_name(url)
    assert database_name("postgres://postgres@127.0.0.1:5432/h_soak") == "h_soak"


def test_bench_only_soak_without_its_database_says_what_is_missing():
    from typer.testing import CliRunner

    from homestretch.cli import app

    result = CliRunner().invoke(app, ["bench", "--only", "soak"], env={"HOMESTRETCH_SOAK_DATABASE": ""})
    assert result.exit_code == 2
    assert "--only soak needs --soak-database" in " ".join(result.output.split())


@pytest.mark.postgres
def test_two_app_servers_and_two_workers_hold_under_a_short_mixed_load(tmp_path):
    """Twelve seconds of the soak's load (the servers' start-up, which collects the static files, takes
    longer): no server error, every acknowledged write once, no digest twice, the snapshots fresh."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    database = parts._replace(path=f"{parts.path}_soak").geturl()  # beside the suite's, never it
    out = tmp_path / "soak.json"
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "benchmarks.soak", "--database", database, "--seconds", "12", "--users", "6",
         "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert out.exists(), completed.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["problems"] == [], result["problems"]
    assert completed.returncode == 0
    figures, counts = result["figures"], result["counts"]
    assert figures["errors"] == 0 and figures["requests_per_second"] > 0
    assert set(figures["per_server"]) == {"0", "1"}  # both servers served
    assert counts["writes acknowledged"] > 20 and counts["risk snapshots checked"] > 0
    assert counts["digests sent"] + counts["digests empty"] >= 1
    written = counts["writes by kind"]
    for kind in ("write: touch (API)", "contested: offer revision (API)",
                 "contested: one touch, one key, both servers (API)"):
        assert written.get(kind, 0) > 0, (kind, written)
