"""The journeys: each path a person takes through the archive, walked in Debian's Chromium.

Every journey runs three times: at 1,280 px with the mouse (`desktop`), at 390 px (`phone`), and at
1,280 px with the keyboard only (`keyboard`). The archive is the demo set plus what the journeys
add, served by waitress on a free port, with one account per role (tests/conftest.py ACCOUNTS).

The time each step took is printed at the end of the run (and written to ARCHIVE_JOURNEY_LOG if
set); set ARCHIVE_SCREENSHOTS=DIR to keep a screenshot of every page each journey passes.
"""
import contextlib
import itertools
import os
import re
import statistics

import pytest
from playwright.sync_api import expect

from archive import service
from tests.browser.conftest import start_live_server
from tests.browser.person import Person, Timings

VARIANTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "keyboard": False},
    "phone": {"viewport": {"width": 390, "height": 844}, "keyboard": False},
    "keyboard": {"viewport": {"width": 1280, "height": 900}, "keyboard": True},
}
TIMINGS = Timings()
# A person waits as long for an answer to appear (expect) as for a page (the contexts' 15 s below): on a
# loaded 2-core machine a save that reindexes takes longer than expect's own 5 s.
expect.set_options(timeout=15_000)


@contextlib.contextmanager
def demo_server(root):
    """The demo archive, as `make run` serves it, with one account per role."""
    with start_live_server(root) as server:
        report = service.import_file(server.data_dir, service.DEMO_FILE, "demo")
        assert report.imported, "the demo set did not load"
        yield server


@pytest.fixture(scope="session")
def journey_server(tmp_path_factory):
    """The demo archive, shared by the journeys of a worker: each adds what it needs, its own words."""
    with demo_server(tmp_path_factory.mktemp("journeys") / "archive-data") as server:
        yield server


@pytest.fixture(params=list(VARIANTS))
def variant(request):
    return request.param


@pytest.fixture
def person(request, chromium, journey_server, variant):
    """person(): a new person (their own cookies) at the archive, in this run's variant."""
    contexts, problems, numbers = [], [], itertools.count(1)

    def new_person():
        settings = VARIANTS[variant]
        context = chromium.new_context(viewport=settings["viewport"], base_url=journey_server.url,
                                       accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("response", lambda response: _note_failed_resource(response, problems))
        contexts.append(context)
        journey = re.sub(r"^test_|\[.*$", "", request.node.name)
        return Person(page, journey_server.url, journey, variant, settings["keyboard"], TIMINGS,
                      os.environ.get("ARCHIVE_SCREENSHOTS"), numbers)

    yield new_person
    for context in contexts:
        context.close()
    assert problems == [], problems


def _note_failed_resource(response, problems):
    """A page's own resources (styles, scripts, images, the icon) must all load. Pages and the
    page's own requests (fetch) may answer 4xx: the journey checks what the person is told."""
    if response.status >= 400 and response.request.resource_type not in ("document", "fetch", "xhr"):
        problems.append(f"{response.status} for {response.request.resource_type} {response.url}")


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS.rows:
        return
    grouped = {}
    for journey, variant, what, ms in TIMINGS.rows:
        grouped.setdefault(what, []).append(ms)
    lines = [f"{'step':<48} {'n':>4} {'median ms':>10} {'max ms':>8}"]
    for what, values in sorted(grouped.items()):
        lines.append(f"{what[:48]:<48} {len(values):>4} {statistics.median(values):>10.0f} {max(values):>8.0f}")
    terminalreporter.write_sep("-", "journey timings (logged, not asserted)")
    for line in lines:
        terminalreporter.write_line(line)
    log = os.environ.get("ARCHIVE_JOURNEY_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.writelines(f"{j}\t{v}\t{w}\t{ms:.0f}\n" for j, v, w, ms in TIMINGS.rows)
