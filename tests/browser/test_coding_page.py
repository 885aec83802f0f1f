"""The coding page in headless Chromium: the passage stored is the passage selected, for any script."""
import unicodedata

import pytest

from archive import coding, service, store
from schemas.code import CodeSchema
from tests.browser.person import DRAG_POINTS

pytestmark = pytest.mark.browser


def drag_select(page, phrase):
    points = page.evaluate(DRAG_POINTS, ["#statement", phrase])  # person.py: RTL aware
    page.mouse.move(points["x1"], points["y1"])
    page.mouse.down()
    page.mouse.move(points["x2"], points["y2"], steps=8)
    page.mouse.up()


def stored_codes(live_server, reference):
    db = live_server.db()
    try:
        testimony = store.get_testimony(db, reference)
        return testimony, store.codes_of(db, [testimony["id"]]).get(testimony["id"], [])
    finally:
        db.close()


def add_code(live_server, reference, passage, **values):
    """A code made through the same rules as the page, for tests that start from one."""
    db = live_server.db()
    try:
        testimony = store.get_testimony(db, reference)
        start = testimony["text"].index(passage)
        code = CodeSchema(service.load_codebook(), testimony["text"]).load(
            {"start": start, "end": start + len(passage), "abuse_type": "beating", **values})
        return coding.add_code(db, testimony, code, {"id": 0, "name": "coder", "role": "coder"})[1]
    finally:
        db.close()


def save_and_wait(page):
    """Save the form and wait for the page to come back with it stored (or say why it was not)."""
    page.click("#code-save")
    page.wait_for_selector("#find-status:has-text('Saved'), #code-form-error:not([hidden])")
    refused = page.locator("#code-form-error:not([hidden])")
    if refused.count():
        raise AssertionError(f"not stored: {refused.text_content()} {page.locator('.field-error').all_text_contents()}")


SCRIPTS = {
    "english": ("At night the soldiers chased us to the fence. They beat my brother with batons and "
                "took our phones.", "beat my brother with batons"),
    "arabic": ("في الليل طاردنا الجنود إلى السياج. ضربوا أخي بالهراوات وأخذوا هواتفنا.", "ضربوا أخي بالهراوات"),
    "cyrillic": ("Ночью солдаты гнали нас к забору. Они избили моего брата дубинками и забрали телефоны.",
                 "избили моего брата дубинками"),
    # Typed in decomposed form (NFD): stored as NFC, and the selection crosses the accents.
    "combining accents": (unicodedata.normalize("NFD", "Près de Białowieża, les gardes ont frappé Zoë et "
                                                       "Chloé à coups de matraque."), "frappé Zoë et Chloé"),
    # Emoji before the passage: each is two UTF-16 code units but one code point.
    "emoji": ("Then 😡😡 they came 🐕🐕 with dogs. The dog bit my leg 🦵 and I fell.", "dog bit my leg 🦵"),
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_select_a_passage_with_the_mouse_and_code_it(live_server, browser_page, login_as, screenshot, script):
    text, phrase = SCRIPTS[script]
    reference = live_server.add_testimony(text, language={"arabic": "ar", "cyrillic": "ru",
                                                          "combining accents": "fr"}.get(script, "en"))
    login_as(browser_page, "coder")
    browser_page.goto(live_server.page_url(reference))
    drag_select(browser_page, unicodedata.normalize("NFC", phrase))

    form = browser_page.locator("#code-form")
    assert form.is_visible()
    assert browser_page.locator("#passage-preview").text_content() == unicodedata.normalize("NFC", phrase)
    assert browser_page.evaluate("document.activeElement.id") == "abuse-filter"
    browser_page.fill("#abuse-filter", "beat")
    browser_page.select_option("#c-abuse_type", "beating")
    browser_page.select_option("#c-perpetrators", ["by_border_guard", "PL"])
    browser_page.fill("#c-place", "Кузница")
    browser_page.fill("#c-date", "2021-11-08~")
    browser_page.fill("#c-date", "2021-11~")  # a month, not a day, however approximate
    assert browser_page.locator("#date-precision").text_content() == "Precision: approximate month (± 7 days)."
    browser_page.fill("#c-date", "2021-11-08~")
    assert browser_page.locator("#date-precision").text_content() == "Precision: approximate (± 7 days)."
    browser_page.fill("#c-victims", "3")
    browser_page.fill("#c-minors", "1")
    screenshot(browser_page, "form")
    save_and_wait(browser_page)

    testimony, codes = stored_codes(live_server, reference)
    assert len(codes) == 1
    code = codes[0]
    stored = unicodedata.normalize("NFC", phrase)
    assert code["passage_text"] == stored == testimony["text"][code["passage_start"]:code["passage_end"]]
    assert code["passage_start"] == testimony["text"].index(stored)
    assert (code["abuse_type"], code["perpetrators"], code["place_id"], code["date_precision"],
            code["victims"], code["minors"]) == ("beating", ["PL", "by_border_guard"], "kuznica", "approximate", 3, 1)
    assert testimony["status"] == "in_progress"
    mark = browser_page.locator(f"#passage-{code['id']}")
    assert mark.text_content() == stored
    assert "cat-physical_violence" in mark.get_attribute("class")
    screenshot(browser_page, "coded")


def test_a_wrong_field_is_shown_beside_it_and_nothing_is_stored(live_server, browser_page, login_as):
    reference = live_server.add_testimony("They took us back across the river near the village at dawn.")
    login_as(browser_page, "coder")
    browser_page.goto(live_server.page_url(reference))
    drag_select(browser_page, "took us back across the river")
    browser_page.select_option("#c-abuse_type", "pushback")
    browser_page.fill("#c-place", "Atlantis")
    browser_page.fill("#c-date", "2021-02-29")
    browser_page.click("#code-save")
    place_error = browser_page.locator('[data-field="place"] .field-error')
    place_error.wait_for()
    assert "not in the gazetteer" in place_error.text_content()
    assert "does not exist" in browser_page.locator('[data-field="date"] .field-error').text_content()
    assert browser_page.get_attribute("#c-place", "aria-invalid") == "true"
    assert stored_codes(live_server, reference)[1] == []


def test_edit_a_code_with_a_reason(live_server, browser_page, login_as):
    reference = live_server.add_testimony("The soldiers kicked him and then a dog bit his arm.")
    code_id = add_code(live_server, reference, "kicked him")
    login_as(browser_page, "coder")
    browser_page.goto(live_server.page_url(reference))
    browser_page.click(f"#code-{code_id} button.edit-code")
    assert browser_page.locator("#code-form-title").text_content() == "Edit code"
    assert browser_page.input_value("#c-abuse_type") == "beating"
    browser_page.fill("#abuse-filter", "kick")
    assert browser_page.input_value("#c-abuse_type") == ""  # Beating is not listed for "kick": not kept
    browser_page.press("#abuse-filter", "Enter")  # takes the best match, and says so
    assert browser_page.input_value("#c-abuse_type") == "kicking"
    assert browser_page.locator("#abuse-chosen").text_content().strip() == "Chosen: Kicking"
    drag_select(browser_page, "soldiers kicked him")  # a new selection while editing moves the passage
    browser_page.click("#code-save")
    reason_error = browser_page.locator('[data-field="reason"] .field-error')
    reason_error.wait_for()
    assert "say why" in reason_error.text_content()
    browser_page.fill("#c-reason", "kicks, not blows")
    save_and_wait(browser_page)

    _, codes = stored_codes(live_server, reference)
    assert [(c["id"], c["abuse_type"], c["passage_text"]) for c in codes] == [
        (code_id, "kicking", "soldiers kicked him")]
    db = live_server.db()
    history = [h for h in store.history_of(db, reference) if h["entity"] == "code" and h["action"] == "update"]
    db.close()
    assert [(h["actor"], h["reason"], h["old"]["abuse_type"], h["new"]["abuse_type"]) for h in history] == [
        ("coder", "kicks, not blows", "beating", "kicking")]


def test_remove_a_code_asks_why_and_keeps_its_history(live_server, browser_page, login_as):
    reference = live_server.add_testimony("A guard slapped me twice and laughed.")
    code_id = add_code(live_server, reference, "slapped me twice")
    login_as(browser_page, "coder")
    browser_page.goto(live_server.page_url(reference))
    browser_page.click(f"#code-{code_id} details.remove summary")
    browser_page.fill(f"#remove-reason-{code_id}", "coded twice by mistake")
    with browser_page.expect_navigation():
        browser_page.click(f"#code-{code_id} button.danger")
    assert browser_page.locator(f"#passage-{code_id}").count() == 0
    assert stored_codes(live_server, reference)[1] == []
    db = live_server.db()
    deleted = [h for h in store.history_of(db, reference) if h["action"] == "delete"]
    db.close()
    assert [(h["entity_id"], h["reason"], h["old"]["passage_text"]) for h in deleted] == [
        (code_id, "coded twice by mistake", "slapped me twice")]


@pytest.mark.parametrize("name", ["coder", "viewer"])  # a viewer's page has no script: a plain anchor
def test_clicking_a_code_scrolls_to_its_passage(live_server, browser_page, login_as, name):
    filler = "\n\n".join(f"Paragraph {n}: we walked through the forest for hours." for n in range(60))
    reference = live_server.add_testimony(filler + f"\n\nAt the end the guards set a dog on my cousin ({name}).")
    code_id = add_code(live_server, reference, "set a dog on my cousin", abuse_type="dog_attack")
    login_as(browser_page, name)
    browser_page.goto(live_server.page_url(reference))
    in_view = f"""() => {{ const r = document.getElementById("passage-{code_id}").getBoundingClientRect();
                           return r.top >= 0 && r.bottom <= window.innerHeight; }}"""
    assert browser_page.evaluate(in_view) is False
    browser_page.click(f"#code-{code_id} a.to-passage")
    browser_page.wait_for_function(in_view)
    if name == "coder":
        assert browser_page.evaluate("document.activeElement.id") == f"passage-{code_id}"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_form_fits_the_screen(live_server, chromium, login_as, screenshot, width):
    text = f"Свидетель {width}. " + "Они избили нас дубинками у Кузницы и отобрали телефоны. " * 8
    reference = live_server.add_testimony(text, language="ru")
    context = chromium.new_context(viewport={"width": width, "height": 844 if width < 500 else 900})
    page = context.new_page()
    try:
        login_as(page, "coder")
        page.goto(live_server.page_url(reference))
        drag_select(page, "избили нас дубинками")
        form = page.locator("#code-form")
        assert form.is_visible()
        box = form.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        for selector in ("#abuse-filter", "#c-abuse_type", "#c-place", "#code-save"):
            field = page.locator(selector).bounding_box()
            assert field["x"] >= 0 and field["x"] + field["width"] <= width, selector
        screenshot(page, f"form-{width}")
    finally:
        context.close()


def focus_by_tab(page, element_id, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_the_whole_coding_flow_with_the_keyboard_only(live_server, browser_page, login_as, screenshot):
    text = "We reached the wire at Kuźnica. A soldier let his dog bite my son, who is twelve."
    reference = live_server.add_testimony(text)
    login_as(browser_page, "coder")
    browser_page.goto(live_server.page_url(reference))
    focus_by_tab(browser_page, "find-text")
    browser_page.keyboard.type("let his dog bite my son")
    browser_page.keyboard.press("Enter")
    focus_by_tab(browser_page, "code-selection")
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "abuse-filter"
    browser_page.keyboard.type("dog")
    browser_page.keyboard.press("Enter")  # to the list, with the first match chosen
    assert browser_page.evaluate("document.activeElement.id") == "c-abuse_type"
    assert browser_page.input_value("#c-abuse_type") == "dog_attack"
    focus_by_tab(browser_page, "c-place")
    browser_page.keyboard.type("Kuznica")
    focus_by_tab(browser_page, "c-victims")
    browser_page.keyboard.type("1")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.type("1")
    outline = browser_page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    screenshot(browser_page, "keyboard")
    focus_by_tab(browser_page, "code-save")
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")
    browser_page.wait_for_selector("#find-status:has-text('Saved')")
    _, codes = stored_codes(live_server, reference)
    assert [(c["abuse_type"], c["passage_text"], c["place_id"], c["victims"], c["minors"]) for c in codes] == [
        ("dog_attack", "let his dog bite my son", "kuznica", 1, 1)]


def test_without_javascript_the_page_reads_and_hides_the_coding_tools(live_server, chromium, login_as):
    reference = live_server.add_testimony("Without a script: the guards beat him and took his shoes.")
    code_id = add_code(live_server, reference, "beat him")
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        login_as(page, "coder")
        page.goto(live_server.page_url(reference))
        assert page.locator(f"#passage-{code_id}").text_content() == "beat him"
        assert page.locator("#statement").is_visible()
        assert not page.locator("#find-form").is_visible() and not page.locator("#code-form").is_visible()
        assert page.locator(f"#code-{code_id} details.remove").is_visible()  # removing is a plain form
    finally:
        context.close()
