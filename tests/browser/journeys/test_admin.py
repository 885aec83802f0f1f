"""The administrator's journey: log in, open Users from the menu, add a user (a viewer unless told
otherwise), lock them (they cannot log in), unlock them (they can), issue them a read-write API token
(shown once; the user finds it listed on their account page, with its scope); then open the audit log from the menu, filter on that user, read what happened in words,
check the chain and read its head, and export the view as CSV and read the file back.

Each variant adds its own user (the journeys share one archive for the session)."""
import csv
import re

import pytest

from tests.browser.journeys.steps import log_in_here
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a new person's password"


def test_admin_manages_a_user_and_reads_their_history(person, variant):
    admin = person()
    admin.open_archive()
    log_in_here(admin, "admin", PASSWORD, "search page (admin)")
    admin.click_and_arrive(admin.link("Users"), "users page")
    assert admin.heading() == "Users"

    # Add a user: the role is already "viewer", the least a person can have.
    name = f"amira.{variant}"
    with admin.timed("add a user"):
        admin.type_into(admin.field("User name"), name)
        assert admin.page.get_by_role("radio", name="viewer", exact=True).is_checked()
        assert admin.sees("Searches and reads pseudonymised public and restricted testimonies.")
        admin.type_into(admin.field("Initial password (at least 12 characters)"), NEW_PASSWORD)
        admin.click_and_arrive(admin.button("Add user"), "user added")
    assert admin.page.get_by_role("status").filter(has_text=f"Added {name} as viewer.").is_visible()
    assert admin.button(f"Lock {name}").is_visible()
    assert admin.button("Lock admin").count() == 0  # nothing on one's own row that locks one out

    # Lock them: in a browser of their own, they cannot log in.
    admin.click_and_arrive(admin.button(f"Lock {name}"), "user locked")
    assert admin.page.get_by_role("status").filter(has_text=f"Locked {name}").is_visible()
    row = admin.page.get_by_role("row").filter(has_text=name)
    assert "Locked by an administrator (admin), since" in row.inner_text()
    amira = person()
    amira.open_archive("login page (new user)")
    log_in_here(amira, name, NEW_PASSWORD, "login refused (locked)")
    assert amira.sees("Wrong user name or password.")

    # Unlock them: now they can.
    admin.click_and_arrive(admin.button(f"Unlock {name}"), "user unlocked")
    assert admin.page.get_by_role("status").filter(has_text=f"Unlocked {name}: they can log in again.").is_visible()
    log_in_here(amira, name, NEW_PASSWORD, "search page (new user)")
    assert amira.link(f"{name} (viewer)").is_visible()

    # Issue them a personal API token: shown once.
    with admin.timed("issue a token"):
        admin.choose(admin.field("User"), name)
        admin.type_into(admin.field("What the token is for"), "analysis notebook")
        assert admin.page.get_by_role("radio", name="Read only", exact=True).is_checked()  # the least, unless chosen
        admin.pick(admin.page.get_by_role("radio", name="Read and write", exact=True))
        admin.click_and_arrive(admin.button("Issue token"), "token issued")
    shown = admin.page.get_by_role("status").filter(has_text="shown only this once")
    assert shown.is_visible() and f"New API token for {name}" in shown.inner_text()
    assert "It may read and write." in shown.inner_text()
    assert re.fullmatch(r"ta_[\w-]{43}", shown.locator("code").inner_text())

    # They find it on their account page, listed with what it may do.
    amira.click_and_arrive(amira.link(f"{name} (viewer)"), "account page (new user)")
    listed = amira.page.get_by_role("row").filter(has_text="analysis notebook")
    assert listed.is_visible() and "read and write" in listed.inner_text()
    # And make one of her own there: read-only unless she chooses otherwise.
    with amira.timed("create a token on the account page"):
        amira.type_into(amira.field("New token for"), "field reports")
        assert amira.page.get_by_role("radio", name="Read only", exact=True).is_checked()
        amira.click_and_arrive(amira.button("Create token"), "own token created")
    own = amira.page.get_by_role("row").filter(has_text="field reports")
    assert own.is_visible() and "read only" in own.inner_text() and "never" in own.inner_text()

    # The audit log, from the menu, filtered on that user.
    admin.click_and_arrive(admin.link("Audit log"), "audit log")
    with admin.timed("filter the audit log on a user"):
        admin.type_into(admin.field("User"), name)
        admin.click_and_arrive(admin.button("Filter"), "audit log of the new user")
    table = admin.page.get_by_role("table")
    what = table.locator("td[data-label=What]").all_inner_texts()
    assert what == ["API token issued", "API token issued", "Logged in", "Account changed", "Failed login",
                    "Account changed", "Account added"], what
    details = table.locator("td[data-label=Details]").all_inner_texts()
    assert details == ["labelled “field reports”; read only", "labelled “analysis notebook”; read and write", "",
                       "unlocked", "", "locked", "role viewer"], details

    # Check the chain and read the head to write down.
    with admin.timed("check the chain"):
        admin.click_and_arrive(admin.button("Check the chain"), "chain checked")
    result = admin.page.get_by_role("status").filter(has_text="The chain is intact")
    assert result.is_visible()
    head = result.locator("code.head").first.inner_text()
    assert re.fullmatch(r"\d+:[0-9a-f]{64}", head)
    assert f"archive audit verify --expect-head {head}" in result.inner_text()

    # Export the filtered view as CSV and read it back.
    with admin.timed("export the audit log as CSV"), admin.page.expect_download() as download:
        admin.activate(admin.button("Export these entries as CSV"))
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert download.value.suggested_filename.startswith("audit-log-")
    assert [r["what"] for r in exported] == what
    assert {r["actor"] for r in exported} == {"admin", name}
    assert all(r["subject"] in (name, "") for r in exported)
