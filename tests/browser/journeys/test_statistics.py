"""The lawyer's statistics: log in, search from the box, open the statistics for that search, read
the map, the months and the side x type table, and follow a count back to its testimonies.

What a person reads is checked where they read it: the map's country shapes and dots in the
picture the screen shows (the phone gets its own), axis labels that do not overprint each other
as the browser lays them out, the table's headers still in view after scrolling it sideways.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys.steps import log_in, search_from_the_box, total

pytestmark = pytest.mark.browser
WORDS = "border"  # most of the demo statements: several countries, places and years


def overlapping(boxes):
    return [(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1:]
            if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]


def read_the_map(lawyer):
    page = lawyer.page
    picture = page.get_by_role("img", name="Map of the coded places")
    expect(picture).to_have_count(1)  # the other width's drawing is not shown, nor read out
    expect(picture).to_be_visible()
    assert picture.locator("g.countries path").count() >= 5
    names = picture.locator("g.countries path title").all_text_contents()
    assert {"Poland", "Belarus", "Lithuania"} <= set(names)
    dots = picture.locator("g.places circle")
    assert dots.count() >= 5
    box = picture.bounding_box()
    assert box["width"] <= page.viewport_size["width"] and 0.5 < box["height"] / box["width"] < 1.3
    labels = picture.locator("text").evaluate_all("ts => ts.map(t => t.getBoundingClientRect().toJSON())")
    assert len(labels) >= 5 and not overlapping(labels)
    places = page.get_by_role("table", name="Places in the gazetteer")
    expect(places.get_by_role("columnheader", name="Testimonies")).to_be_visible()
    assert places.get_by_role("link").count() >= dots.count()
    return names


def open_the_places_not_in_the_gazetteer(lawyer):
    """They are kept as written, grouped in one line under the gazetteer's places."""
    summary = lawyer.page.get_by_text(re.compile(r"^\d+ places? not in the gazetteer$"))
    listed = lawyer.page.locator("details.unlisted li")
    expect(listed.first).to_be_hidden()
    lawyer.activate(summary)
    expect(listed.first).to_be_visible()
    assert listed.count() >= 1


def read_the_months(lawyer):
    page = lawyer.page
    chart = page.get_by_role("img", name=re.compile(r"^Testimonies by month of incident"))
    expect(chart).to_have_count(1)
    axis = chart.locator("text").evaluate_all("ts => ts.map(t => t.getBoundingClientRect().toJSON())")
    assert axis and not overlapping(axis), "the timeline's labels overprint each other"
    grid = page.get_by_role("table", name="Testimonies by year and month of incident")
    expect(grid.get_by_role("columnheader", name="Nov")).to_be_visible()
    rows = grid.locator("tbody tr")
    years = [int(y) for y in grid.locator("tbody tr:not(.gap) th").all_inner_texts()]
    assert years == sorted(years) and rows.count() <= years[-1] - years[0] + 1  # a row a year, not a row a month
    cells = grid.get_by_role("link", name=re.compile(r"^\d+ testimon(y|ies) in [A-Z][a-z]+ \d{4}$"))
    assert cells.count() >= 3
    return cells


def scroll_sideways(lawyer, region):
    """Scroll a table's box to its far side, as a person does: the wheel, or the arrow keys."""
    if lawyer.keyboard:
        lawyer.tab_to(region)
        for _ in range(40):
            lawyer.page.keyboard.press("ArrowRight")
    else:
        region.hover()
        lawyer.page.mouse.wheel(2000, 0)
    # The wheel and the keys only start the scroll: wait for it to arrive (a loaded machine is slow).
    region.evaluate("""r => new Promise(done => {
        const start = Date.now();
        (function settled() {
            if (r.scrollWidth <= r.clientWidth || r.scrollLeft > 0 || Date.now() - start > 5000) done();
            else requestAnimationFrame(settled);
        })();
    })""")


def read_side_by_type(lawyer):
    page = lawyer.page
    region = page.get_by_role("region", name="Testimonies by abuse type and perpetrator side")
    table = region.get_by_role("table")
    first_type = table.get_by_role("rowheader").first
    before = first_type.bounding_box()
    scroll_sideways(lawyer, region)
    if region.evaluate("r => r.scrollWidth > r.clientWidth"):  # on a phone: the table is wider than the screen
        assert region.evaluate("r => r.scrollLeft") > 0
        assert first_type.bounding_box()["x"] == pytest.approx(before["x"], abs=1)  # the abuse types stay
        expect(table.get_by_role("columnheader", name="All")).to_be_in_viewport()
    expect(table.get_by_role("columnheader", name="Poland")).to_be_visible()
    return table.get_by_role("link", name=re.compile(r"^\d+ testimon(y|ies): Push-back, Poland$"))


def test_a_lawyer_reads_the_statistics_of_a_search(person):
    lawyer = log_in(person(), "lawyer")
    search_from_the_box(lawyer, WORDS)
    expect(lawyer.page.get_by_role("alert")).to_have_count(0)
    found = total(lawyer)
    assert found >= 10

    lawyer.click_and_arrive(lawyer.link("Statistics for this search"), "statistics")
    expect(lawyer.page.get_by_role("heading", level=1)).to_contain_text(f"{found} testimonies")
    read_the_map(lawyer)
    open_the_places_not_in_the_gazetteer(lawyer)
    read_the_months(lawyer)
    cell = read_side_by_type(lawyer)

    count = int(cell.inner_text())
    lawyer.click_and_arrive(cell, "search for one cell")
    chips = lawyer.page.get_by_role("list", name="Active filters")
    expect(chips).to_contain_text("Push-back")
    expect(chips).to_contain_text("Poland")
    assert lawyer.page.get_by_role("searchbox").input_value() == WORDS
    assert total(lawyer) >= count
