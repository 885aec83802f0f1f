"""Empty and error states, as a person meets them: nothing found, a period mistyped, a link to a
testimony or a page the person's role may not open."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys.steps import log_in, search_from_the_box, submit_search, total
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_nothing_found_says_what_to_try_and_offers_no_export(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "zzyzzxq qqxyzzy", "nothing found")
    assert total(lawyer) == 0
    expect(page.get_by_text("No testimony matches")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Export these"))).to_have_count(0)
    # Plain words already bring those matching some of them; an AND a lawyer typed is offered as an OR.
    search_from_the_box(lawyer, "forest zzyzzxq", "some of the words")
    expect(page.get_by_role("heading", name="Matching some of your words")).to_be_visible()
    search_from_the_box(lawyer, "forest AND zzyzzxq", "nothing found for an AND")
    assert total(lawyer) == 0
    lawyer.click_and_arrive(lawyer.link("Find testimonies with any of these words"), "any of the words")
    assert total(lawyer) > 0


def test_a_mistyped_period_is_said_beside_its_field_and_the_search_still_runs(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "dogs", "search for dogs")
    found = total(lawyer)
    lawyer.type_into(lawyer.field("From"), "2021-13")
    submit_search(lawyer, "a mistyped period")
    problem = page.locator("#period-from-error")
    expect(problem).to_contain_text("searched without it")
    assert lawyer.field("From").get_attribute("aria-invalid") == "true"
    assert lawyer.field("From").input_value() == "2021-13"  # kept, to correct it
    assert total(lawyer) == found


def test_a_link_to_what_the_role_may_not_open_says_why_and_where_to_go(person, journey_server):
    viewer = log_in(person(), "viewer")
    page = viewer.page
    # A colleague's link to a confidential statement, which a viewer may not read.
    response = page.goto(journey_server.url + "/testimonies/T-2021-0003")
    assert response.status == 404
    viewer.arrive("a testimony the viewer may not open")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("your role may not allow you to open it")).to_be_visible()
    # And a link to a page for reviewers.
    response = page.goto(journey_server.url + "/agreement")
    assert response.status == 403
    viewer.arrive("a page for reviewers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not open to your role")
    expect(page.get_by_text(re.compile("your role, viewer, does not include that"))).to_be_visible()
    viewer.click_and_arrive(viewer.link("Go to the search"), "back to the search")
    assert total(viewer) > 0


def test_an_odd_or_overlong_query_is_said_plainly_and_keeps_the_page_whole(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    # A lone quote: read as words, and the page does not also claim it was taken as written.
    search_from_the_box(lawyer, '"', "a lone quote")
    expect(page.get_by_text(re.compile("could not be read as query language"))).to_be_visible()
    expect(page.get_by_text(re.compile("the query was taken as written"))).to_have_count(0)
    # Something pasted by mistake, 2,000 characters without a space: no sideways scrolling, the
    # words' chip stays one chip's size, and the results are still right under it.
    search_from_the_box(lawyer, "x" * 2000, "a 2,000-character query")
    assert total(lawyer) == 0
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    chip = page.get_by_role("list", name="Active filters").get_by_role("link").first
    assert chip.bounding_box()["height"] < 80 and chip.bounding_box()["width"] <= page.viewport_size["width"]
    expect(chip).to_contain_text("…")
    assert page.get_by_text("No testimony matches").bounding_box()["height"] < 120  # a line or two, not 30
    # A word repeated: what the archive understood is said once.
    search_from_the_box(lawyer, " ".join(["dogs"] * 70), "a word repeated 70 times")
    understood = page.locator(".notice.understood")
    expect(understood).to_be_visible()
    assert understood.inner_text().count("Dog attack or threat with dogs") == 1
    assert chip.bounding_box()["height"] < 80


def test_an_error_page_speaks_the_readers_language(person, journey_server):
    viewer = person()
    page = viewer.page
    viewer.open_archive("login page")
    viewer.choose(viewer.field("Interface language"), "Polski")
    viewer.click_and_arrive(viewer.button("Change language"), "login page in Polish")
    viewer.type_into(viewer.field("Nazwa użytkownika"), "viewer")
    viewer.type_into(viewer.field("Hasło"), PASSWORD)
    viewer.click_and_arrive(viewer.button("Zaloguj"), "search page in Polish")
    # A colleague's link to a testimony that is not there (mistyped, or purged since).
    response = page.goto(journey_server.url + "/testimonies/T-1999-0404")
    assert response.status == 404
    viewer.arrive("not found, in Polish")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nie znaleziono")
    assert "Nie znaleziono" in page.title()
    viewer.click_and_arrive(viewer.link("Przejdź do wyszukiwania"), "back to the search, in Polish")
    expect(page.get_by_role("heading", name="Szukaj relacji")).to_be_visible()
