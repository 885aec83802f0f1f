"""Settle a disagreement in headless Chromium, with the keyboard: the reviewer sees both coders'
passages side by side, decides each disagreement, gives a reason, and the settled coding is stored
with both originals kept. Uses the harness of tests/browser/conftest.py (live_server, browser_page,
login_as)."""
import itertools

import pytest

from archive import store
from tests.double_coding_setup import TEXT, add_account, coded_by_both

pytestmark = pytest.mark.browser
STATEMENTS = itertools.count(1)  # the live archive lasts the session: each test its own statement


@pytest.fixture
def disputed(live_server):
    """A testimony both coders coded blind and submitted: they agree on the dog attack; only coder
    saw a beating, only coder2 a theft by Polish border guards."""
    reference = live_server.add_testimony(f"{TEXT} Settle test {next(STATEMENTS)}.")  # passages keep offsets
    db = live_server.db()
    try:
        for name, role in (("coder", "coder"), ("coder2", "coder"), ("reviewer", "reviewer")):
            if not db.execute("SELECT 1 FROM user WHERE name = ?", [name]).fetchone():
                add_account(db, name, role)
        testimony = store.get_testimony_row(db, reference)
        coded_by_both(db, testimony)
        return reference
    finally:
        db.close()


def row(page, text):
    return page.locator("table.disagreements tbody tr", has_text=text)


def test_settle_a_disagreement(browser_page, login_as, live_server, disputed, screenshot):
    page = browser_page
    login_as(page, "reviewer")
    page.goto(f"/agreement/settle/{disputed}")
    assert page.locator("table.disagreements tbody tr").count() == 3
    beating, theft, poland = row(page, "Beating"), row(page, "Theft"), row(page, "Poland")
    assert beating.locator("td").nth(0).inner_text().startswith("applied")
    assert "They beat us with batons" in beating.inner_text() and "not applied" in beating.inner_text()
    assert "took our phones" in theft.inner_text()

    # Submitting with a decision missing is stopped by the form itself (required radios): nothing posted.
    page.get_by_role("button", name="Settle").click()
    assert page.url.endswith(f"/agreement/settle/{disputed}") and page.locator("table.disagreements").count() == 1

    # Keyboard only: focus a radio and press Space; Tab on to the reason, type; Enter on the button.
    beating.get_by_role("radio", name="Accept").focus()
    page.keyboard.press("Space")
    theft.get_by_role("radio", name="Reject").focus()
    page.keyboard.press("Space")
    poland.get_by_role("radio", name="Reject").focus()
    page.keyboard.press("Space")
    page.get_by_label("Reason for these decisions").focus()
    page.keyboard.type("Phones are not mentioned as taken by Polish guards")
    screenshot(page, "decided", full_page=True)
    page.get_by_role("button", name="Settle").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Settled by reviewer" in page.locator("main").inner_text()
    assert page.locator("tr.stage-superseded").count() == 4  # both original codings, kept
    assert page.locator("tr.stage-coded").count() == 2
    db = live_server.db()
    try:
        testimony = store.get_testimony_row(db, disputed)
        coded = store.codes_of(db, [testimony["id"]])[testimony["id"]]
        assert sorted((c["abuse_type"], c["coder"]) for c in coded) == [("beating", "coder"), ("dog_attack", "coder")]
        assert [h["reason"] for h in store.history_of(db, disputed) if h["entity"] == "coding_assignment"
                and h["action"] == "settle"] == ["Phones are not mentioned as taken by Polish guards"]
    finally:
        db.close()
    screenshot(page, "settled-1280", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_agreement_pages_fit_the_screen(browser_page, login_as, disputed, screenshot, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login_as(page, "reviewer")
    for url in ("/agreement", f"/agreement/settle/{disputed}"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
        screenshot(page, f"{url.strip('/').replace('/', '-')}-{width}", full_page=True)
    # The sort links are reachable at every width (the table headers at 1,280 px, a list when narrow).
    page.goto("/agreement")
    name = "Krippendorff's α" if width == 1280 else "α"
    page.get_by_role("link", name=name, exact=True).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sort=alpha" in page.url
