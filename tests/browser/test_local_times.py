"""Times in the reader's zone: a reviewer in Warsaw reads the history's times in Warsaw time, the zone
named (archive/static/times.js); without scripts the page's own UTC text stays, and is right."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from archive.times import MONTHS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reference(live_server):
    return live_server.add_testimony("At dawn the guards walked us back to the wire near Bruzgi. Local times test.")


def times_on_the_page(chromium, live_server, login_as, reference, **context):
    browser = chromium.new_context(base_url=live_server.url, **context)
    try:
        page = browser.new_page()
        login_as(page, "reviewer")
        page.goto(live_server.page_url(reference))
        return page.locator(".history time").evaluate_all(
            "times => times.map(t => [t.getAttribute('datetime'), t.textContent, t.title])")
    finally:
        browser.close()


def test_a_reader_in_warsaw_reads_warsaw_time(chromium, live_server, login_as, reference):
    shown = times_on_the_page(chromium, live_server, login_as, reference, timezone_id="Europe/Warsaw", locale="en-GB")
    assert shown
    for iso, text, title in shown:
        there = dt.datetime.fromisoformat(iso).astimezone(ZoneInfo("Europe/Warsaw"))
        assert text == f"{there.day} {MONTHS[there.month - 1]} {there.year}, {there:%H:%M} {there.tzname()}"
        assert title.endswith(" UTC")


def test_without_scripts_the_page_says_utc(chromium, live_server, login_as, reference):
    shown = times_on_the_page(chromium, live_server, login_as, reference, timezone_id="Europe/Warsaw",
                              java_script_enabled=False)
    assert shown
    for iso, text, _ in shown:
        utc = dt.datetime.fromisoformat(iso)
        assert text == f"{utc.day} {MONTHS[utc.month - 1]} {utc.year}, {utc:%H:%M} UTC"
