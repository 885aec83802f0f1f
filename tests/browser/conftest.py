"""Browser tests: a real waitress server on a free port, Debian's Chromium driven by Playwright.

`make test` installs Debian's `chromium-headless-shell` when it is missing; Playwright is used
with that executable (never `playwright install`, which downloads a browser). Fixtures others
can reuse: `live_server` (base URL, data dir, helpers), `browser_page`, and `login_as(page, name)`.
Set ARCHIVE_SCREENSHOTS=DIR to keep the screenshots the tests take.
"""
import contextlib
import itertools
import os
import threading
from pathlib import Path

import pytest
import waitress

from archive import create_app, service
from tests import factories
from tests.factories import PASSWORD

# Debian's headless build of Chromium (the same Blink, without the desktop browser's shell): what
# Playwright itself runs for headless tests, and about a third less CPU than the full browser here.
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
# Needed on this closed network: no GPU, no sandbox for root, nothing that phones home.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class LiveServer:
    def __init__(self, url, data_dir):
        self.url, self.data_dir = url, data_dir
        self._numbers = itertools.count(9000)

    def db(self):
        return service.open_db(self.data_dir)

    def add_testimony(self, text, **overrides):
        """Import one testimony (no codes unless given) and return its reference."""
        number = next(self._numbers)
        path = self.data_dir.root.parent / f"records-{number}.json"
        # The archive gives the reference (the next free T-2021-…), as the intake form does.
        record = factories.record(number, text=text, abuse_types=[], perpetrators=[], location=None,
                                  incident_date_from=None, **{"reference": None, **overrides})
        report = service.import_file(self.data_dir, factories.write(path, [record], "json"), "tester")
        assert report.references, "this text is already in the test archive: give each test its own"
        return report.references[0]

    def page_url(self, reference):
        return f"{self.url}/testimonies/{reference}"


@contextlib.contextmanager
def start_live_server(root):
    """An initialised archive at `root` with one account per role, served on a free port."""
    data_dir = factories.archive(root, accounts=True)
    app = create_app({"DATA": str(data_dir.root), "SECRET_KEY": "browser-tests", "SESSION_COOKIE_SECURE": False})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.effective_port}", data_dir)
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with start_live_server(tmp_path_factory.mktemp("live") / "archive-data") as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium-headless-shell package "
                    "(apt-get install -y --no-install-recommends chromium-headless-shell)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh page (its own cookies) at 1,280 × 900; script errors fail the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture
def login_as(live_server):
    """login_as(page, 'coder'): logs the page in through the login form (accounts as in
    tests/conftest.py: admin, coder, coder2, reviewer, lawyer, viewer, password PASSWORD)."""
    def login(page, name):
        page.goto(f"{live_server.url}/login")
        page.fill("#name", name)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("form.login button[type=submit]")
        if page.url.endswith("/login/code"):  # two-factor login on: the code the account's phone shows
            page.fill("#code", factories.phone_code(factories.secret_for(name)))
            with page.expect_navigation():
                page.click("form.login button[type=submit]")
        assert "/login" not in page.url, f"{name} could not log in"
    return login


@pytest.fixture
def screenshot(request):
    """screenshot(page, 'name'): saved under ARCHIVE_SCREENSHOTS if set (to look at); without it,
    not taken (drawing a picture nobody keeps is Chromium time the suite need not spend)."""
    folder = os.environ.get("ARCHIVE_SCREENSHOTS")

    def take(page, name, **kwargs):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{request.node.name}-{name}.png"), **kwargs)
    return take
