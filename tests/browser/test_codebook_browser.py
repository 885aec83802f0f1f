"""The codebook browser in headless Chromium: filtering as you type, with the keyboard, wide and narrow."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_filter_the_abuse_types_as_you_type(live_server, browser_page, login_as, screenshot, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login_as(page, "viewer")
    page.goto("/codebook")
    rows = page.locator("#abuse-tree li")
    total = rows.count()
    assert total >= 40
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.id") != "codebook-filter":
        page.keyboard.press("Tab")  # the filter is reachable with the keyboard
    page.keyboard.type("gazem pieprz")  # a Polish term, typed without its diacritics' help
    expect(page.locator("#abuse-tree li:visible")).to_have_count(2)
    expect(page.locator("#abuse-tree li:visible").nth(1)).to_contain_text("Pepper spray")
    expect(page.locator("#abuse-tree li.context:visible")).to_contain_text("Physical violence")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"filtered-{width}")
    page.keyboard.press("Enter")  # the same filter as a GET form, answered by the server
    expect(page).to_have_url(live_server.url + "/codebook?q=gazem+pieprz")
    expect(page.locator("#abuse-tree li")).to_have_count(2)
    page.fill("#codebook-filter", "")
    expect(page.locator("#abuse-tree li:visible")).to_have_count(2)  # the server's answer, filtered by nothing


def test_places_page_fits_a_phone(live_server, browser_page, login_as, screenshot):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    login_as(page, "viewer")
    page.goto("/codebook/places")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#codebook-filter", "гродно")
    expect(page.locator("#place-list tbody tr:visible")).to_have_count(1)
    expect(page.locator("#place-list tbody tr:visible")).to_contain_text("Hrodna")
    screenshot(page, "places-narrow")
