"""The reviewer's journey through a testimony's history: log in, find the testimony by its reference
in the search box, open it, and read what happened to it in words, with readable times, its
current codes counted apart from those the double coding superseded."""
import re

import pytest
from playwright.sync_api import expect

from archive import coding, double_coding, service, store
from archive.coding import history_words
from schemas.code import CodeSchema
from tests.browser.journeys.steps import log_in, open_first_result, search_from_the_box
from tests.double_coding_setup import CODER, REVIEWER, TEXT, code_blind, coded_by_both

ARROW = history_words.ARROW  # a no-break space before the arrow
pytestmark = pytest.mark.browser

SETTLED_BECAUSE = "The phones are not in the statement"
DECISIONS = {"abuse_type:beating": "accept", "abuse_type:theft": "reject", "side:PL": "reject"}
READABLE = re.compile(r"\b\d{1,2}\b.*\b20\d\d\b.*\d{1,2}:\d\d")  # a day, a year and a time, in any locale


@pytest.fixture(scope="module")
def settled(journey_server):
    """A testimony two coders coded blind, settled with a rejection and a reason, then corrected:
    made with the domain functions, as the pages would have made it."""
    reference = journey_server.add_testimony(f"{TEXT} History journey.")  # the passages keep their offsets
    db = journey_server.db()
    try:
        testimony = store.get_testimony_row(db, reference)
        coded_by_both(db, testimony, "a second reading for the court file")
        double_coding.settle(db, testimony, DECISIONS, REVIEWER, SETTLED_BECAUSE, journey_server.data_dir)
        beating = next(code for code in store.codes_of(db, [testimony["id"]])[testimony["id"]]
                       if code["abuse_type"] == "beating")
        text = store.get_testimony_row(db, reference)["text"]
        form = CodeSchema(service.load_codebook(), text).load({
            "abuse_type": "beating", "perpetrators": ["by_border_guard"], "start": beating["passage_start"],
            "end": beating["passage_end"], "victims": 3})
        coding.edit_code(db, store.get_testimony(db, reference), beating["id"], form, CODER, "three of us were beaten")
        return reference
    finally:
        db.close()


@pytest.fixture(scope="module")
def in_progress(journey_server):
    """A testimony two coders are coding blind: neither has submitted."""
    reference = journey_server.add_testimony(f"{TEXT} Blind coding in progress.")
    db = journey_server.db()
    try:
        testimony = store.get_testimony_row(db, reference)
        double_coding.assign(db, testimony, ["coder", "coder2"], REVIEWER)
        code_blind(db, testimony["id"], "coder", "beating", "They beat us with batons", ["by_border_guard"])
        code_blind(db, testimony["id"], "coder", "theft", "took our phones", ["by_border_guard"])
        code_blind(db, testimony["id"], "coder2", "dog_attack", "A dog bit my brother's leg.", ["by_border_guard"])
        return reference
    finally:
        db.close()


def open_testimony(person, reference):
    """Find the testimony by its reference in the search box, and open it."""
    search_from_the_box(person, reference, "the testimony found by its reference")
    return open_first_result(person)


def test_a_reviewer_reads_the_history_in_words(person, settled, in_progress):
    reviewer = log_in(person(), "reviewer")
    page = reviewer.page
    open_testimony(reviewer, settled)

    # The history: sentences, newest first, with the settlement's decisions and reason in words.
    history = page.get_by_role("region", name="History")
    entries = history.get_by_role("list").first.locator(":scope > li")
    expect(entries.first).to_contain_text(
        f"coder changed the code Beating: victims none{ARROW}3 — “three of us were beaten”")
    settlement = entries.filter(has_text="settled the double coding")
    expect(settlement).to_contain_text(
        "reviewer settled the double coding: accepted Beating from coder; rejected Theft or confiscation of "
        f"belongings and the Poland side from coder2 — “{SETTLED_BECAUSE}”")
    expect(settlement).to_contain_text("Kept as superseded: 4 blind codes (2 of coder and 2 of coder2)")
    expect(history).to_contain_text("reviewer assigned coder and coder2 to code it blind — “a second reading for "
                                    "the court file”")
    expect(history).to_contain_text("coder2 submitted their blind coding")
    expect(history).to_contain_text("tester imported it from the file")
    for word in ("supersede code", "coding_assignment", "settle code"):
        expect(history).not_to_contain_text(word)

    # Times: readable, the zone said, the full time kept in the element.
    times = history.locator("time")
    assert times.count() == entries.count()
    for number in range(times.count()):
        shown, full = times.nth(number).inner_text(), times.nth(number).get_attribute("datetime")
        assert READABLE.search(shown) and "T" not in shown.replace("UTC", "").replace("GMT", ""), shown
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", full)
    reviewer.arrive("the testimony's history")

    # Codes: the current coding is counted; the superseded codes wait, folded, by coder.
    codes = page.get_by_role("region", name=re.compile(r"^Codes"))
    expect(codes.get_by_role("heading", level=2)).to_have_text("Codes 2")
    superseded = codes.locator("summary", has_text="Superseded in double coding (4)")
    expect(superseded).to_be_visible()
    expect(codes.get_by_role("heading", name="coder2 2")).to_be_hidden()

    # A code's own history, in the same words.
    beating = codes.locator("li.code").filter(has=page.get_by_role("link", name="Beating", exact=True))
    reviewer.activate(beating.locator("summary", has_text="History (2)"))
    expect(beating.locator(".code-history")).to_contain_text(f"victims none{ARROW}3")
    expect(beating.locator(".code-history")).to_contain_text("reviewer accepted coder’s Beating")
    reviewer.arrive("a code's history")

    reviewer.activate(superseded)
    expect(codes.get_by_role("heading", name="coder2 2")).to_be_visible()
    expect(codes.locator("#superseded-codes")).to_contain_text("took our phones")
    reviewer.arrive("the superseded codes")

    # A testimony still coded blind: its codes are a group of their own, not the testimony's coding.
    reviewer.click_and_arrive(reviewer.link("← Back to the results"), "back to the results")
    open_testimony(reviewer, in_progress)
    codes = page.get_by_role("region", name=re.compile(r"^Codes"))
    expect(codes.get_by_role("heading", level=2)).to_have_text("Codes 0")
    blind = codes.locator("summary", has_text="Blind coding in progress: coder 2, coder2 1")
    expect(blind).to_be_visible()
    expect(page.locator("#statement mark")).to_have_count(0)
    reviewer.activate(blind)
    expect(codes.get_by_role("heading", name="coder 2")).to_be_visible()
    reviewer.arrive("blind coding in progress")
