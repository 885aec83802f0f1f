"""End to end in headless Chromium: a coder accepts a suggestion, with the mouse and with the keyboard."""

import pytest
from playwright.sync_api import expect

from archive import store

pytestmark = pytest.mark.browser

TEXT = ("Near Kuźnica the soldiers beat us with batons. <b>Then</b> the dogs came, "
        "on 8 November 2021. (accept-suggestion test)")


def stored_codes(live_server, reference):
    db = live_server.db()
    try:
        testimony = store.get_testimony_row(db, reference)
        return testimony, store.codes_of(db, [testimony["id"]]).get(testimony["id"], [])
    finally:
        db.close()


def test_accept_a_suggestion(live_server, browser_page, login_as, screenshot):
    page = browser_page
    reference = live_server.add_testimony(TEXT)
    login_as(page, "coder")
    page.goto(f"/testimonies/{reference}/suggestions")
    beating = page.locator("li.suggestion", has_text="Beating")
    expect(beating.locator("mark")).to_have_text("beat")
    expect(page.locator("li.suggestion", has_text="Dog attack").locator("blockquote")).to_contain_text(
        "<b>Then</b> the dogs came")  # shown as text, never as markup
    screenshot(page, "wide")

    beating.get_by_role("button", name="Accept Beating").click()
    expect(page.locator(".notice.info")).to_contain_text("Coded: Beating")
    expect(page.locator("li.suggestion", has_text="Beating")).to_have_count(0)
    testimony, [code] = stored_codes(live_server, reference)
    sentence = "Near Kuźnica the soldiers beat us with batons."  # the passage is the sentence that says it
    assert (code["abuse_type"], code["passage_start"], code["passage_text"], code["place_id"]) == (
        "beating", 0, sentence, "kuznica")
    assert testimony["status"] == "in_progress"


def test_accept_with_the_keyboard_alone_on_a_narrow_screen(live_server, browser_page, login_as, screenshot):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    reference = live_server.add_testimony(TEXT.replace("accept-suggestion", "keyboard"))
    login_as(page, "coder")
    page.goto(f"/testimonies/{reference}/suggestions")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the screen
    screenshot(page, "narrow")
    for _ in range(40):  # Tab through the page until the date's Accept button has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Accept Dog attack or threat with dogs":
            break
    else:
        pytest.fail("the Accept button of the dog attack cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".notice.info")).to_contain_text("Coded: Dog attack or threat with dogs")
    _, [code] = stored_codes(live_server, reference)
    assert (code["abuse_type"], code["date_text"], code["date_precision"], code["passage_text"]) == (
        "dog_attack", "2021-11-08", "day", "<b>Then</b> the dogs came, on 8 November 2021.")
