"""The reviewer's journey, with the two coders': a reviewer assigns two coders from the search
results, each coder finds the assignment on their own search page, codes it blind and submits,
and the reviewer settles the disagreement."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import steps
from tests.browser.journeys.steps import log_in, search_from_the_box
from tests.browser.journeys.test_researcher import codes_of, save_code, select_passage

pytestmark = pytest.mark.browser

STATEMENT = ("At the fence the soldiers beat my brother with batons. Then they took our phones and "
             "threw them into the river.")


def code_blind(person, reference, phrase, abuse_type):
    """A coder opens the assignment from their search page, codes one passage and submits."""
    page = person.page
    queue = page.get_by_role("region", name="Assigned to you to code blind")
    person.click_and_arrive(queue.get_by_role("link", name=re.compile(re.escape(reference))), "the assignment")
    expect(page.get_by_role("heading", name="You are coding this testimony blind")).to_be_visible()
    select_passage(person, phrase)
    person.type_into(person.field("Abuse type"), abuse_type)
    page.keyboard.press("Enter")
    expect(steps.chosen(person, "abuse_type")).to_have_text(f"Chosen: {abuse_type}")
    save_code(person, "a blind code saved")
    person.click_and_arrive(person.button("Submit my coding"), "the blind coding submitted")
    expect(page.get_by_role("status").filter(has_text="Submitted: your coding")).to_be_visible()


def test_reviewer_assigns_two_coders_who_code_blind_and_settles(person, journey_server, variant):
    reference = journey_server.add_testimony(f"{STATEMENT} (double coding, {variant})")
    reviewer = log_in(person(), "reviewer")
    page = reviewer.page
    search_from_the_box(reviewer, reference, "the testimony to double code")
    reviewer.tick(page.get_by_role("checkbox", name=f"Tick {reference}"))
    assigning = page.get_by_role("group", name=re.compile("^Assign ticked results for double coding"))
    for name in ("coder", "coder2"):
        reviewer.tick(assigning.get_by_role("checkbox", name=name, exact=True))
    reviewer.click_and_arrive(reviewer.button("Assign for double coding"), "assigned for double coding")
    expect(page.get_by_role("status").filter(has_text="Assigned 1 testimony to coder and coder2")).to_be_visible()

    for name, phrase, abuse_type in (("coder", "beat my brother with batons", "Beating"),
                                     ("coder2", "took our phones", "Theft or confiscation of belongings")):
        coder = log_in(person(), name)
        code_blind(coder, reference, phrase, abuse_type)
    assert codes_of(journey_server, reference) == []  # blind codings are not yet the testimony's coding

    search_from_the_box(reviewer, reference, "the testimony again")
    reviewer.click_and_arrive(page.get_by_role("article").get_by_role("link").first, "the testimony, coded twice")
    reviewer.click_and_arrive(reviewer.link("Settle it"), "the settle page")
    for label, decision in (("Beating", "Accept"), ("Theft or confiscation of belongings", "Reject")):
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(label))))
        reviewer.pick(row.get_by_role("radio", name=decision))
    reviewer.type_into(reviewer.field("Reason for these decisions (kept in the history)"),
                       "The phones were taken, but by whom the statement does not say")
    reviewer.click_and_arrive(reviewer.button("Settle"), "settled")
    expect(page.get_by_text(re.compile(r"^Settled by reviewer"))).to_be_visible()
    assert [c["abuse_type"] for c in codes_of(journey_server, reference)] == ["beating"]
