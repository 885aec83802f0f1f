"""Steps most journeys take, done as a person does them (see tests/browser/person.py)."""
import re
import time

from tests.factories import ACCOUNTS, PASSWORD, phone_code, secret_for


def log_in(person, name, password=PASSWORD, what="search page"):
    """Open the archive at its address and log in through the form."""
    person.open_archive("login page")
    return log_in_here(person, name, password, what)


def log_in_here(person, name, password=PASSWORD, what="search page", secret=None):
    """Log in through the form already on the screen; then, for an account with two-factor login on
    (`secret`: its phone's; the test accounts of the roles that require it have theirs), type the code
    the phone shows."""
    person.type_into(person.field("User name"), name)
    person.type_into(person.field("Password"), password)
    secret = secret or (secret_for(name) if ACCOUNTS.get(name) in ("admin", "reviewer", "lawyer") else None)
    if secret is None or password != PASSWORD:
        return person.click_and_arrive(person.button("Log in"), what)
    person.click_and_arrive(person.button("Log in"), "two-factor code page")
    return type_code(person, phone_code(secret), what)


def type_code(person, code, what="search page"):
    """On the two-factor page: type the code (from the phone, or a recovery code) and continue."""
    person.type_into(person.field("Code"), code)
    return person.click_and_arrive(person.button("Continue"), what)


def search_from_the_box(person, words, what=None):
    """Type into the search box and press Enter."""
    started = time.perf_counter()
    with person.page.expect_navigation():
        person.type_into(person.field("Search testimonies"), words, enter=True)
    return person.arrive(what or f"search for {words}", started)


def submit_search(person, what):
    """Press the Search button (after setting the period or the sort)."""
    return person.click_and_arrive(person.button("Search"), what)


def total(person):
    """How many testimonies the results heading says were found."""
    heading = person.page.get_by_role("heading", name=re.compile(r"^\d+ testimon(y|ies)$"))
    return int(heading.inner_text().split()[0])


def result_titles(person):
    return person.page.get_by_role("article").get_by_role("heading").all_inner_texts()


def facet(person, title, value):
    """The checkbox of a facet value, under the facet's heading; behind "Refine" on a phone."""
    refine = person.page.locator("details.refine")
    if not refine.evaluate("d => d.open"):
        person.activate(person.page.get_by_text("Refine", exact=False).first)
    section = person.page.get_by_role("region", name=title, exact=True)
    return section.get_by_role("checkbox", name=re.compile(rf"^{re.escape(value)}\b"))


def chips(person):
    """The active filters' chips, as their links read."""
    return person.page.get_by_role("list", name="Active filters").get_by_role("link").all_inner_texts()


def open_first_result(person, what="the testimony"):
    return person.click_and_arrive(person.page.get_by_role("article").get_by_role("link").first, what)


def chosen(person, field):
    """What the code form says is chosen under a picker ("Chosen: Beating"): `field` 'abuse_type' or
    'perpetrators' (the form's field, as its error and its status sit in it)."""
    return person.page.locator(f"[data-field={field}]").get_by_role("status")


def choose_also(person, select, option_text):
    """Add an option to a multiple <select>'s choice, as its hint says: Ctrl+click, or with the keyboard
    Ctrl+arrows to the option (the choice stays) and Ctrl+Space."""
    if not person.keyboard:
        select.get_by_role("option", name=option_text, exact=True).click(modifiers=["ControlOrMeta"])
        return
    person.tab_to(select)
    texts = select.evaluate("s => Array.from(s.options, o => o.text.trim())")
    current = select.evaluate("s => s.selectedIndex")
    wanted = texts.index(option_text)
    for _ in range(abs(wanted - current)):
        person.page.keyboard.press("ControlOrMeta+" + ("ArrowDown" if wanted > current else "ArrowUp"))
    person.page.keyboard.press("ControlOrMeta+Space")
