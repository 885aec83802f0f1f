"""A witness's consent over time, walked in the browser: a reviewer narrows a witness's consent from the
testimony page's panel and sees it in the panel and the history; an admin withdraws another testimony,
then purges it from the list of withdrawals with the typed reference. Only labels, roles and button
names; the one URL typed is the archive's address."""
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.journeys.steps import log_in

pytestmark = pytest.mark.browser


def search_and_open(person, words, title):
    started = time.perf_counter()
    with person.page.expect_navigation():
        person.type_into(person.field("Search testimonies"), words, enter=True)
    person.arrive(f"search for {words}", started)
    person.click_and_arrive(person.link(title), "testimony page")


def open_consent_panel(person):
    panel = person.page.locator("summary", has_text="Interview, witness and consent")
    if not person.page.locator("details.facts-box").evaluate("d => d.open"):
        person.activate(panel)
        person.arrive("consent panel opened")
    expect(person.page.get_by_role("heading", name=re.compile("^Consent: "))).to_be_visible()


def change_consent(person, to, day, reason, what):
    open_consent_panel(person)
    person.choose(person.field("New consent"), to)
    person.type_into(person.field("Day the witness decided"), day)
    person.type_into(person.field("Why"), reason)
    person.click_and_arrive(person.button("Change consent"), what)


def test_a_reviewer_narrows_a_witness_consent(person, journey_server, variant):
    word = f"Quillonreviewer{variant}"
    title = f"Lanterns seen by the ferryman ({variant})"
    journey_server.add_testimony(f"At night the soldiers took our phones near the river. {word} was there.",
                                 title=title, consent="publication", confidentiality="public")
    reviewer = log_in(person(), "reviewer")
    search_and_open(reviewer, word, title)
    page = reviewer.page
    open_consent_panel(reviewer)
    expect(page.get_by_role("heading", name="Consent: publication")).to_be_visible()

    change_consent(reviewer, "Legal use: lawyers and courts only", "2022-03-14",
                   "The witness narrowed consent by phone", "testimony page after the change")
    expect(page.get_by_role("status").filter(has_text="Consent changed: publication → legal")).to_be_visible()
    open_consent_panel(reviewer)
    expect(page.get_by_role("heading", name="Consent: legal")).to_be_visible()
    panel = page.get_by_role("region", name="Consent: legal")
    expect(panel.get_by_text("The witness decided on 2022-03-14")).to_be_visible()
    history = page.get_by_role("region", name="History")  # in words (archive/coding/history_words.py)
    expect(history.get_by_role("listitem").filter(has_text="The witness narrowed consent by phone")).to_have_text(
        re.compile(r"reviewer changed the consent from Publication to Legal \(the witness decided on 14 March 2022\) "
                   r"and the confidentiality from Public to Restricted — “The witness narrowed consent by phone”"))


def test_an_admin_withdraws_then_purges(person, journey_server, variant):
    word = f"Zorblattadmin{variant}"
    title = f"Amber lanterns over the crossing ({variant})"
    reference = journey_server.add_testimony(
        f"They pushed us back over the wire at dawn. {word} saw it.", title=title, witness_name="Ysolde Quarn")
    admin = log_in(person(), "admin")
    search_and_open(admin, word, title)
    page = admin.page

    change_consent(admin, "Withdrawn: nobody but reviewers can open it", "2022-04-02",
                   "Withdrawn by letter", "withdrawals after the withdrawal")
    expect(page.get_by_role("heading", name="Withdrawals", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(re.compile(f"{reference} is withdrawn .*only reviewers can open"))
    withdrawn = page.get_by_role("article", name=re.compile(reference))
    expect(withdrawn.get_by_text("Withdrawn by letter")).to_be_visible()
    expect(withdrawn.get_by_text(title)).to_have_count(0)  # an admin does not read a withdrawn statement

    admin.activate(withdrawn.locator("summary", has_text=f"Purge {reference}"))
    admin.arrive("purge form opened")
    admin.type_into(admin.field(f"Type {reference} to confirm"), reference[:-1])  # a slip of the finger
    admin.type_into(admin.field("Why it is erased", within=withdrawn), "Court order 2027/14")
    admin.click_and_arrive(admin.button(f"Purge {reference} for good"), "purge refused: wrong reference")
    expect(page.get_by_role("alert")).to_have_text("Not purged: correct the field below.")
    expect(page.get_by_text("type the reference exactly as it is written")).to_be_visible()

    admin.type_into(admin.field(f"Type {reference} to confirm"), reference)
    admin.click_and_arrive(admin.button(f"Purge {reference} for good"), "withdrawals after the purge")
    expect(page.get_by_text(f"{reference} is purged")).to_be_visible()
    purged = page.get_by_role("article", name=reference)
    expect(purged.get_by_text("Court order 2027/14")).to_be_visible()
    for _ in range(60):  # the files are wiped after the answer: the page says when it is done
        if purged.get_by_text("Wiped from every file of the archive").count():
            break
        time.sleep(0.5)
        admin.click_and_arrive(admin.link("Withdrawals"), "withdrawals, wiping")
        purged = page.get_by_role("article", name=reference)
    expect(purged.get_by_text("Wiped from every file of the archive")).to_be_visible()

    admin.click_and_arrive(admin.link("Search"), "search page after the purge")
    started = time.perf_counter()
    with page.expect_navigation():
        admin.type_into(admin.field("Search testimonies"), word, enter=True)
    admin.arrive("search for the purged words", started)
    expect(page.get_by_role("link", name=title)).to_have_count(0)


def test_a_lawyer_typing_a_withdrawn_reference_learns_nothing_of_it(person, journey_server, variant):
    """After a withdrawal, the lawyer who had the reference types it into the search box: the page must
    answer as for a reference the archive never held, not "The testimony with reference …"."""
    word = f"Quintarelwithdrawn{variant}"
    title = f"Reeds along the canal ({variant})"
    reference = journey_server.add_testimony(f"They took our shoes by the canal. {word} was cold.", title=title,
                                             consent="legal", confidentiality="restricted")
    lawyer = log_in(person(), "lawyer")
    search_and_open(lawyer, reference, title)  # before: the reference opens the testimony

    reviewer = log_in(person(), "reviewer")
    search_and_open(reviewer, word, title)
    change_consent(reviewer, "Withdrawn: nobody but reviewers can open it", "2022-04-02",
                   "Withdrawn by phone", "testimony page after the withdrawal")
    expect(reviewer.page.get_by_role("status").filter(has_text="legal → withdrawn")).to_be_visible()

    lawyer.click_and_arrive(lawyer.link("Search"), "search page")
    started = time.perf_counter()
    with lawyer.page.expect_navigation():
        lawyer.type_into(lawyer.field("Search testimonies"), reference, enter=True)
    lawyer.arrive("search for the withdrawn reference", started)
    expect(lawyer.page.get_by_role("heading", name="0 testimonies")).to_be_visible()
    expect(lawyer.page.get_by_text("The testimony with reference")).to_have_count(0)
    expect(lawyer.page.get_by_role("link", name=title)).to_have_count(0)
