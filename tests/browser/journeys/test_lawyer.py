"""The lawyer's journey: log in, search from the box, narrow and sort, read, build a case file, export."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys.steps import chips, facet, log_in, result_titles, search_from_the_box, submit_search, total

pytestmark = pytest.mark.browser


def test_lawyer_searches_from_the_box(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    assert page.get_by_role("heading", level=1).count() == 1

    search_from_the_box(lawyer, "dogs", "search for dogs")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert total(lawyer) >= 3
    assert any("dogs" in title.lower() for title in result_titles(lawyer))

    search_from_the_box(lawyer, '"pepper spray"', "search for a phrase")
    assert total(lawyer) >= 1
    expect(page.get_by_role("alert")).to_have_count(0)

    search_from_the_box(lawyer, "Kuznitsa", "search for a place in another spelling")
    assert total(lawyer) >= 1
    expect(page.get_by_text("Kuźnica").first).to_be_visible()

    search_from_the_box(lawyer, "T-2021-0002", "search for a reference")
    assert total(lawyer) == 1
    assert "Bruzgi" in result_titles(lawyer)[0]


def test_lawyer_narrows_sorts_and_pages(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "", "every testimony")
    everything = total(lawyer)
    assert everything > 20

    # A period through the form, then cleared again.
    lawyer.type_into(lawyer.field("From"), "2021-10")
    lawyer.type_into(lawyer.field("Until"), "2021-12")
    submit_search(lawyer, "a period")
    in_period = total(lawyer)
    assert 0 < in_period < everything
    assert any(chip.startswith("From: 2021-10") for chip in chips(lawyer))
    lawyer.type_into(lawyer.field("From"), "")
    lawyer.type_into(lawyer.field("Until"), "")
    submit_search(lawyer, "the period cleared")
    assert total(lawyer) == everything
    expect(page.get_by_role("list", name="Active filters")).to_have_count(0)

    # Tick a facet value, then another; untick one, remove the other's chip.
    lawyer.tick_and_arrive(facet(lawyer, "Perpetrator", "Poland"), "ticked Poland")
    polish = total(lawyer)
    assert 0 < polish < everything
    assert facet(lawyer, "Perpetrator", "Poland").get_attribute("aria-checked") == "true"
    lawyer.tick_and_arrive(facet(lawyer, "Year", "2021"), "ticked 2021")
    assert total(lawyer) <= polish
    lawyer.tick_and_arrive(facet(lawyer, "Perpetrator", "Poland"), "unticked Poland", on=False)
    assert chips(lawyer)[0].startswith("Year: 2021")
    lawyer.click_and_arrive(lawyer.link(re.compile(r"^Remove Year: 2021")), "removed the year chip")
    assert total(lawyer) == everything

    # Sort, then page forward and back.
    lawyer.choose(lawyer.field("Sort"), "Newest incident first")
    submit_search(lawyer, "newest first")
    dates = page.locator("article .date").all_inner_texts()
    assert dates, "dated results come first"
    lawyer.click_and_arrive(lawyer.link(re.compile(r"^Next")), "page 2")
    assert page.get_by_text(re.compile(r"Page 2 of \d+")).is_visible()
    lawyer.click_and_arrive(lawyer.link(re.compile(r"Previous$")), "page 1 again")
    assert page.get_by_text(re.compile(r"Page 1 of \d+")).is_visible()
    assert page.get_by_label("Sort").evaluate("s => s.value") == "newest"


def test_lawyer_reads_a_result_and_returns_to_the_search(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "dogs", "search for dogs")
    lawyer.tick_and_arrive(facet(lawyer, "Perpetrator", "Belarus"), "ticked Belarus")
    results_url = page.url
    first = page.get_by_role("article").first.get_by_role("link").first
    title = first.inner_text()
    lawyer.click_and_arrive(first, "a result")
    assert lawyer.heading() == title
    marked = page.locator("#statement mark.found")
    assert marked.count() >= 1
    assert any("dog" in word.lower() for word in marked.all_inner_texts())
    expect(page.get_by_role("status").filter(has_text="is marked in the statement")).to_be_visible()
    lawyer.click_and_arrive(lawyer.link("← Back to the results"), "back to the results")
    assert page.url == results_url
    assert lawyer.field("Search testimonies").input_value() == "dogs"


def export(person, within, file_format, what):
    """Choose the format, press Export; a PDF's job page shows its progress until it is ready."""
    person.choose(within.get_by_label("Format"), file_format)
    if file_format != "PDF case summary":
        with person.page.expect_download() as download:
            person.activate(within.get_by_role("button", name="Export"))
        return download.value
    person.click_and_arrive(within.get_by_role("button", name="Export"), f"{what}: preparing the PDF")
    expect(person.page.get_by_role("heading", name=re.compile("Preparing your PDF|Your PDF is ready"))).to_be_visible()
    with person.timed(f"{what}: PDF ready"):
        expect(person.page.get_by_role("heading", name="Your PDF is ready")).to_be_visible(timeout=120_000)
    person.arrive(f"{what}: the PDF ready")
    with person.page.expect_download() as download:
        person.activate(person.page.get_by_role("link", name=re.compile(r"^Download ")))
    return download.value


def test_lawyer_builds_a_case_file_and_exports_it(person, variant, tmp_path):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "dogs", "search for dogs")
    found = total(lawyer)

    # Export the search: CSV at once, then the PDF through its job page.
    tools = page.locator(".export-tools")
    lawyer.activate(tools.get_by_text(re.compile(r"^Export these \d+ results")))
    csv_file = export(lawyer, tools, "CSV (Excel)", "search export")
    assert re.fullmatch(r"testimonies-dogs-\d{4}-\d\d-\d\d\.csv", csv_file.suggested_filename)
    rows = csv_file.path().read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith('"reference"') and len(rows) >= 2
    pdf = export(lawyer, tools, "PDF case summary", "search export")
    assert re.fullmatch(r"case-summary-dogs-\d{4}-\d\d-\d\d\.pdf", pdf.suggested_filename)
    assert pdf.path().read_bytes()[:5] == b"%PDF-"

    # Tick two results and add them to a new case file.
    lawyer.click_and_arrive(lawyer.link("← Search"), "back to the search")
    search_from_the_box(lawyer, "dogs", "search for dogs again")
    name = f"Dogs at the border ({variant})"
    for box in page.get_by_role("checkbox", name=re.compile(r"^Tick T-")).all()[:2]:
        lawyer.tick(box)
    lawyer.choose(lawyer.field("Add ticked results to"), "a new case file named…")
    lawyer.type_into(lawyer.field("New case file name"), name)
    lawyer.click_and_arrive(lawyer.button("Add"), "the new case file")
    assert lawyer.heading() == name
    expect(page.get_by_role("status").filter(has_text="Added 2 testimonies")).to_be_visible()
    assert page.get_by_role("checkbox", name=re.compile(r"^Tick T-")).count() == 2

    # Export the case file.
    csv_file = export(lawyer, page.locator("fieldset.export-options"), "CSV (Excel)", "case file export")
    slug = re.sub(r"\W+", "-", name.lower()).strip("-")
    assert re.fullmatch(rf"testimonies-case-file-{slug}-\d{{4}}-\d\d-\d\d\.csv", csv_file.suggested_filename)
    assert found >= 2


def test_lawyer_is_told_before_exporting_what_consent_keeps_in_the_archive(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "", "every testimony")
    tools = page.locator(".export-tools")
    lawyer.activate(tools.get_by_text(re.compile(r"^Export these \d+ results")))
    # Some of them the witnesses' consent keeps in: the panel says how many before she exports.
    expect(tools.get_by_text(re.compile(r"^\d+ of these \d+ results will be left out"))).to_be_visible()
    # Only those: she is told none may leave, and offered no button that would give her an empty file.
    lawyer.tick_and_arrive(facet(lawyer, "Consent", "Internal"), "only internal consent")
    assert total(lawyer) >= 1
    tools = page.locator(".export-tools")
    expect(tools.get_by_text(re.compile(r"^None of these \d+ results may leave the archive"))).to_be_visible()
    expect(tools.get_by_role("button", name="Export")).to_have_count(0)
    # Consent that allows it: nothing is said, and the export is there as before.
    lawyer.tick_and_arrive(facet(lawyer, "Consent", "Internal"), "internal unticked", on=False)
    lawyer.tick_and_arrive(facet(lawyer, "Consent", "Legal"), "only legal consent")
    tools = page.locator(".export-tools")
    lawyer.activate(tools.get_by_text(re.compile(r"^Export these \d+ results|^Export this result")))
    expect(tools.get_by_text(re.compile("will be left out|may leave the archive"))).to_have_count(0)
    expect(tools.get_by_role("button", name="Export")).to_be_visible()


def test_lawyer_reads_the_incidents_page_and_is_told_who_records_them(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    lawyer.click_and_arrive(lawyer.link("Incidents", within=page.get_by_role("navigation").first), "incidents")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Incidents")
    # A lawyer cannot record one: she is not sent to look for a control she does not have.
    expect(page.get_by_text(re.compile("To record one, open a testimony"))).to_have_count(0)
    expect(page.get_by_text(re.compile("Coders and reviewers record them from a testimony's page"))).to_be_visible()


def test_refine_counts_the_filters_inside_it_not_the_words(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    refine = page.locator("details.refine > summary")  # on a phone, the facets are folded behind it
    search_from_the_box(lawyer, "dogs", "search for dogs")
    assert refine.text_content().split() == ["Refine"]  # the words are not one of its filters
    lawyer.tick_and_arrive(facet(lawyer, "Perpetrator", "Belarus"), "ticked Belarus")
    assert " ".join(refine.text_content().split()) == "Refine (1 in use)"


def test_from_a_ticked_facet_the_keyboard_reaches_the_results_in_a_few_presses(person):
    lawyer = log_in(person(), "lawyer")
    page = lawyer.page
    search_from_the_box(lawyer, "dogs", "search for dogs")
    lawyer.tick_and_arrive(facet(lawyer, "Perpetrator", "Belarus"), "ticked Belarus")
    # The new page starts at its top; ninety facet values stand between it and the results.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to the results"
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('.export-tools') !== null"):
            break
    assert page.evaluate("() => document.activeElement.closest('.export-tools') !== null"), "the export is far"
    lawyer.arrive("skipped to the results")
