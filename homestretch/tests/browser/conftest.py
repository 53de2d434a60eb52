"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server,
with the small demo agency loaded as of the tests' `now`.

Playwright never downloads a browser here: it launches /usr/bin/chromium (`make test` installs the
`chromium` package when it is missing), headless, with background networking off. Without the
executable the tests are skipped with the reason, never silently passed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CURRENT_TIME

# The live server answers in its own thread while Playwright's sync API runs an event loop in this
# one; Django would otherwise refuse database access from what it takes for an async context.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Set HOMESTRETCH_SCREENSHOTS=docs/screenshots to refresh the README's screenshots from these tests.
SCREENSHOTS = os.environ.get("HOMESTRETCH_SCREENSHOTS", "")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: `make test` installs it (apt-get install -y chromium)")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db, settings):
    """The small demo agency as of the tests' now; pages are drawn at that same moment."""
    from homestretch.demo.generator import generate

    settings.HOMESTRETCH_PAGES_NOW = CURRENT_TIME
    return generate("small", 1, now=CURRENT_TIME)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def signed_in(page, demo):
    page.goto("/login/")
    page.get_by_label("E-mail").fill(demo.login_email)
    page.get_by_label("Password").fill(demo.login_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


# axe-core from the npm registry, installed by `make test` (the Makefile's browser target) into a
# gitignored folder, injected into each page from there: never fetched from a CDN.
AXE = Path(__file__).resolve().parents[3] / ".browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """The page's serious and critical accessibility violations found by axe-core, one line each."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: `make test` installs it (npm install axe-core into .browser-tools/)")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in results if v["impact"] in AXE_BLOCKING]


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    if SCREENSHOTS:
        target = Path(SCREENSHOTS)
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"), full_page=full_page)
