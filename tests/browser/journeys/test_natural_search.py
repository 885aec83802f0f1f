"""The lawyer's natural search: two words typed as they come to mind, Enter, the statements with both
words first, then under a visible line those with some of them; and a Polish word finding a Polish
statement that uses another form of it (psy / psami / pies)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys.conftest import demo_server
from tests.browser.journeys.steps import log_in, result_titles, search_from_the_box, total

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory):
    """The demo archive alone: these journeys count what the demo holds, and the others add statements
    with the same words ('the soldiers took our phones') to the worker's shared archive."""
    with demo_server(tmp_path_factory.mktemp("natural") / "archive-data") as server:
        yield server


def test_lawyer_types_two_words_and_sees_all_then_some(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "soldiers phones", "a natural two-word search")
    mode = page.locator("#search-mode")
    expect(mode).to_contain_text(re.compile(r"match all 2 of your words"))
    all_words = int(mode.locator("strong").inner_text())
    assert 0 < all_words < total(lawyer)

    line = page.get_by_role("heading", name="Matching some of your words")
    expect(line).to_be_visible()
    articles = page.get_by_role("article")
    # The line stands after exactly the statements with both words (the first page holds them all).
    before_line = line.evaluate("h => [...h.parentElement.querySelectorAll('article')]"
                                ".filter(a => a.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING)"
                                ".length")
    assert before_line == all_words
    marked = {word.lower() for word in articles.nth(0).locator(".snippet mark").all_inner_texts()}
    assert marked and marked <= {"soldiers", "soldier", "phones", "phone"}, marked

    # Only those with both words, for the search and for what it exports; then back to all of them.
    lawyer.click_and_arrive(lawyer.link(f"Show only the {all_words} matching all"), "only all the words")
    assert total(lawyer) == all_words
    expect(line).to_have_count(0)
    summary = f"Export these {all_words} results" if all_words > 1 else "Export this result"
    expect(page.get_by_text(summary, exact=True)).to_be_visible()
    lawyer.click_and_arrive(lawyer.link("Show those matching some of them too"), "some of the words too")
    expect(line).to_be_visible()


def test_lawyer_finds_a_polish_statement_through_another_form(person, journey_server, variant):
    reference = journey_server.add_testimony(
        f"W nocy strażnicy szczuli nas psami przy płocie ({variant}). Potem wywieźli nas do lasu.",
        title=f"Szczuci psami przy płocie ({variant})", language="pl")
    lawyer = log_in(person(), "lawyer")
    search_from_the_box(lawyer, "pies", "a Polish word in another form")
    titles = result_titles(lawyer)
    assert f"Szczuci psami przy płocie ({variant})" in titles
    hit = lawyer.page.get_by_role("article").filter(has_text=reference)
    expect(hit.locator(".snippet mark").first).to_have_text("psami")
