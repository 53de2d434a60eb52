"""`homestretch run --demo`, as `make run` calls it: a real gunicorn on a free port, a fresh SQLite
file, the demo loaded on first run, the login page served and a sign-in with the printed login; its
log (gunicorn's access log and Django's warnings) holds no feed or API token."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="serves its own SQLite file; exercised in the SQLite run",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """One server for the module's tests (starting it and loading the demo takes a while)."""
    tmp_path = tmp_path_factory.mktemp("served")
    port = free_port()
    env = {
        **os.environ,
        "HOMESTRETCH_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'homestretch.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = (tmp_path / "run.log").open("w+")
    homestretch = Path(sys.executable).with_name("homestretch")
    process = subprocess.Popen(
        [str(homestretch), "run", "--demo", "--port", str(port), "--workers", "1"],
        env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}", tmp_path / "run.log", env
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        out.close()


def test_run_with_demo_serves_the_login_and_the_printed_account_signs_in(served):
    base, log, _ = served
    printed = log.read_text()
    login = re.search(r"Sign in as (\S+) with password (\S+)", printed)
    assert login, printed
    email, password = login.groups()

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{base}/login/").read().decode()
    assert "Sign in" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"})
    with browser.open(request) as response:
        home = response.read().decode()
        assert response.url == f"{base}/"
    assert "Pipeline" in home and "Sign out" in home
    # The stylesheet comes from whitenoise with its hashed, cacheable name (collectstatic ran).
    stylesheet = re.search(r'href="(/static/homestretch/app\.[0-9a-f]+\.css)"', home).group(1)
    with browser.open(base + stylesheet) as response:
        assert response.status == 200 and "max-age" in response.headers["Cache-Control"]


def test_the_log_shows_feed_and_api_paths_with_their_tokens_replaced(served):
    base, log, env = served
    email = re.search(r"Sign in as (\S+) with password", log.read_text()).group(1)
    homestretch = str(Path(sys.executable).with_name("homestretch"))

    def command(*args: str) -> str:
        return subprocess.run([homestretch, *args], env=env, capture_output=True, text=True, check=True).stdout

    feed_token = command("feed", "create", "--user", email).strip().rsplit("/", 1)[1].removesuffix(".ics")
    api_token = command("token", "create", "--user", email, "--name", "log check").strip().splitlines()[-1]
    wrong = "Wr0ng" + feed_token[5:]

    def status(path: str, headers: dict[str, str] | None = None) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers or {})) as response:
                return response.status
        except urllib.error.HTTPError as refused:
            return refused.code

    assert status(f"/calendar/{feed_token}.ics") == 200
    assert status(f"/calendar/{wrong}.ics") == 404
    assert status("/api/v1/applications", {"Authorization": f"Bearer {api_token}"}) == 200
    assert status(f"/api/v1/applications?token={api_token}&last=1") == 401
    deadline = time.monotonic() + 10  # gunicorn writes the access line just after the response
    while "token=[redacted]&last=1" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)

    text = log.read_text()
    for secret in (feed_token, wrong, api_token, api_token.split("_", 2)[2]):
        assert secret not in text
    assert '"GET /calendar/[redacted].ics HTTP/1.1" 200' in text
    assert '"GET /calendar/[redacted].ics HTTP/1.1" 404' in text
    assert "Not Found: /calendar/[redacted].ics" in text  # Django's warning, in the same log
    assert '"GET /api/v1/applications?token=[redacted]&last=1 HTTP/1.1" 401' in text


def test_sign_in_pauses_after_five_failures_and_another_process_sees_and_lifts_the_pause(served):
    """The served gunicorn records the failures; separate processes (the command line) read and clear them
    in the same database: what every app server and worker process shares."""
    base, log, env = served
    email, password = re.search(r"Sign in as (\S+) with password (\S+)", log.read_text()).groups()
    homestretch = str(Path(sys.executable).with_name("homestretch"))

    def sign_in(with_password: str) -> tuple[int, str]:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = browser.open(f"{base}/login/").read().decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found is not None, "the sign-in page has a CSRF token"
        token = found.group(1)
        form = urllib.parse.urlencode({"username": email, "password": with_password,
                                       "csrfmiddlewaretoken": token}).encode()
        try:
            with browser.open(urllib.request.Request(f"{base}/login/", data=form,
                                                     headers={"Referer": f"{base}/login/"})) as response:
                return response.status, response.url
        except urllib.error.HTTPError as refused:
            return refused.code, refused.url

    assert [sign_in("not the password")[0] for _ in range(5)] == [200, 200, 200, 200, 429]
    assert sign_in(password)[0] == 429

    listed = subprocess.run([homestretch, "manage", "axes_list_attempts"], env=env, capture_output=True, text=True,
                            check=True).stdout
    assert f"127.0.0.1\t{email}\t5" in listed
    subprocess.run([homestretch, "manage", "axes_reset_username", email], env=env, check=True, capture_output=True)
    assert sign_in(password) == (200, f"{base}/")

    locking = [line for line in log.read_text().splitlines() if "Locking out" in line]
    assert locking and all(email not in line and "address: 127.0.0.1" in line for line in locking)
