"""The incident journey: a coder links two testimonies of the same push-back, one in English and
one in Polish, into one incident, records its legs, back and forth across the border, and corrects the
incident's own fields with a reason; a lawyer then sees one incident of 80 people beside the two
testimonies, in the statistics and in the PDF."""
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.journeys.steps import log_in, open_first_result, search_from_the_box, total
from tests.browser.journeys.test_lawyer import export

pytestmark = pytest.mark.browser

ENGLISH = ("The Belarusian soldiers drove us to the fence at night, the Polish guards sent us back, and the "
           "Belarusians forced us over again near Kuźnica. We were about eighty people. Word {token}.")
POLISH = ("Białoruscy żołnierze zawieźli nas nocą pod płot, polscy strażnicy zawrócili nas, a Białorusini znów "
          "przepchnęli nas przez granicę koło Kuźnicy. Było nas około osiemdziesięciu. Słowo {token}.")
LEGS = [("Belarus", "Poland", "Kuźnica", "2021-11-08", "Belarus: Soldiers / special forces"),
        ("Poland", "Belarus", "Kuźnica", "2021-11-08", "Poland: Border Guard (Straż Graniczna, SG)"),
        ("Belarus", "Poland", "Bruzgi", "2021-11-09", "Belarus: Soldiers / special forces")]


def open_testimony(person, token, language_word):
    if not person.field("Search testimonies").count():
        person.click_and_arrive(person.link("Search", within=person.page.locator("header.site")), "the search page")
    search_from_the_box(person, f'"{token}" {language_word}', f"the {language_word} account")  # quotes: literal, all words
    assert total(person) == 1
    return open_first_result(person, f"the {language_word} testimony")


def test_a_coder_links_two_accounts_of_one_push_back_and_a_lawyer_counts_it_once(person, journey_server, variant):
    token = f"hajnowka{variant}"
    journey_server.add_testimony(ENGLISH.format(token=token), title=f"Pushed back three times ({variant})")
    journey_server.add_testimony(POLISH.format(token=token), language="pl", title=f"Trzy razy za płot ({variant})")
    title = f"Push-back at Kuźnica, 8–9 November 2021 ({variant})"

    coder = log_in(person(), "coder")
    page = coder.page
    open_testimony(coder, token, "soldiers")
    expect(page.get_by_text("not yet linked to an incident")).to_be_visible()
    coder.click_and_arrive(coder.link("Link or record an incident"), "the testimony's incidents")
    coder.type_into(coder.field("Title"), title)
    coder.type_into(coder.field("Date"), "2021-11-08")
    coder.type_into(coder.field("Until"), "2021-11-09")
    coder.type_into(coder.field("Place"), "Kuznica")
    coder.type_into(coder.field("Group size"), "80")
    coder.type_into(coder.field("of whom minors"), "12")
    coder.click_and_arrive(coder.button("Record the incident"), "the new incident")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_text("80 people, of whom 12 minors")).to_be_visible()

    for number, (start, end, place, date, by) in enumerate(LEGS, 1):
        coder.choose(coder.field("From"), start)
        coder.choose(coder.field("To"), end)
        coder.type_into(coder.field("Place"), place)
        coder.type_into(coder.field("Date"), date)
        coder.choose(coder.field("By whom"), by)
        coder.click_and_arrive(coder.button("Add the leg"), f"leg {number} added")
        expect(page.locator("ol.legs > li")).to_have_count(number)
    routes = page.locator("ol.legs > li > strong").all_inner_texts()
    assert routes == ["Belarus → Poland", "Poland → Belarus", "Belarus → Poland"]
    expect(page.get_by_role("img", name="Map of the incident's legs")).to_be_visible()
    assert page.locator("ol.timeline-list > li").count() == 3

    # The Polish account of the same night, linked to the same incident.
    open_testimony(coder, token, "żołnierze")
    coder.click_and_arrive(coder.link("Link or record an incident"), "the Polish testimony's incidents")
    coder.choose(coder.field("Incident"), f"{title} (8 November 2021 – 9 November 2021)")
    coder.type_into(coder.field("Why it tells of this incident"), "the same night and group, told in Polish")
    coder.click_and_arrive(coder.button("Link to this incident"), "linked to the incident")
    sources = page.get_by_role("region", name=re.compile("^Sources")).get_by_role("listitem")
    assert sources.count() == 2
    expect(page.get_by_role("heading", name=re.compile(r"^Sources\s+2$"))).to_be_visible()

    # The Polish account says how many women there were: the coder corrects the incident, with a reason.
    coder.click_and_arrive(coder.link("Edit the incident"), "the incident's edit form")
    expect(coder.field("Group size")).to_have_value("80")
    coder.type_into(coder.field("of whom women"), "30")
    coder.click_and_arrive(coder.button("Save the changes"), "refused without a reason")
    expect(page.get_by_role("alert")).to_contain_text("Why you change it: say why the incident is changed")
    expect(coder.field("of whom women")).to_have_value("30")  # kept as typed
    coder.type_into(coder.field("Why you change it"), "the Polish account counts thirty women")
    coder.click_and_arrive(coder.button("Save the changes"), "the incident changed")
    expect(page.get_by_text("Incident changed: women.")).to_be_visible()
    expect(page.get_by_text("80 people, of whom 12 minors, 30 women")).to_be_visible()

    # The lawyer: one incident of 80 people, told by two testimonies.
    lawyer = log_in(person(), "lawyer")
    search_from_the_box(lawyer, token, "both accounts")
    assert total(lawyer) == 2
    lawyer.click_and_arrive(lawyer.link("Statistics for this search"), "statistics")
    told = lawyer.page.locator(".told-total")
    expect(told).to_have_text(re.compile(r"2 testimonies\s+\(2 linked to incidents\) ·\s+1 incident ·\s+80 people"))
    lawyer.click_and_arrive(lawyer.link("← Back to the search"), "back to the search")
    tools = lawyer.page.locator(".export-tools")
    lawyer.activate(tools.get_by_text(re.compile(r"^Export these \d+ results")))
    pdf = export(lawyer, tools, "PDF case summary", "incident export")
    text = " ".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert re.search(r"2\s+testimonies\s+\(2 linked to incidents\)\s+·\s+1\s+incident\s+·\s+80\s+people", text)
