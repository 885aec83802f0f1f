"""Two-factor login, walked: in an organisation that requires it of admins and reviewers only, a lawyer
turns it on from their account page (typing the secret shown as text into their phone, whose code
pyotp computes as the phone would), logs out, logs in with the password and then the code, and later
with a recovery code instead, which works once (and, refused, cancels the login). An admin sees who has it, resets the lawyer's, and
requires it of lawyers from the users page; at her next login the lawyer sets it up again before
anything else opens.

Each variant has an archive of its own (the requirement is changed on the way)."""
import pytest

from archive.security import two_factor
from archive.store.db import write_transaction
from tests.browser.conftest import start_live_server
from tests.browser.journeys.steps import log_in_here, type_code
from tests.factories import PASSWORD, phone_code

pytestmark = pytest.mark.browser
NAME = "nadia"


@pytest.fixture
def journey_server(tmp_path):
    """An archive of this journey's own: the accounts of tests/conftest.py, and a lawyer without two-factor
    login in an archive that requires it of admins and reviewers only."""
    from archive.security import accounts

    with start_live_server(tmp_path / "archive-data") as server:
        db = server.db()
        try:
            with write_transaction(db):
                two_factor.set_required_roles(db, ["admin", "reviewer"])
                accounts.add_user(db, NAME, "lawyer", PASSWORD)
        finally:
            db.close()
        yield server


def _log_out(someone):
    someone.click_and_arrive(someone.button("Log out"), "logged out")


def _password_only(nadia):
    """The login form's first step, leaving her on the code page."""
    nadia.type_into(nadia.field("User name"), NAME)
    nadia.type_into(nadia.field("Password"), PASSWORD)
    nadia.click_and_arrive(nadia.button("Log in"), "two-factor code page")


def _enrol(nadia, what):
    """On the set-up page: read the secret as text, type it into the phone, type the phone's code back."""
    assert nadia.heading() == "Set up two-factor login"
    assert nadia.page.get_by_role("img", name="QR code of the secret key below").is_visible()
    secret = nadia.page.locator("#secret").inner_text().replace(" ", "")
    nadia.type_into(nadia.field("Code from the app"), phone_code(secret))
    nadia.click_and_arrive(nadia.button("Turn on two-factor login"), what)
    assert nadia.heading() == "Your recovery codes"
    codes = nadia.page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    return secret, codes


def test_a_lawyer_turns_it_on_logs_in_with_it_and_an_admin_resets_it(person, variant):
    nadia = person()
    nadia.open_archive()
    log_in_here(nadia, NAME, PASSWORD, "search page (password alone)")
    nadia.click_and_arrive(nadia.link(f"{NAME} (lawyer)"), "account page")
    assert nadia.sees("Two-factor login")
    nadia.click_and_arrive(nadia.button("Set up two-factor login"), "set up two-factor login")
    secret, codes = _enrol(nadia, "recovery codes")
    nadia.click_and_arrive(nadia.link("I have kept them: continue"), "account page (two-factor on)")
    assert nadia.sees("10 unused recovery codes")

    # Log out, and in again: the password, then the code the phone shows.
    _log_out(nadia)
    log_in_here(nadia, NAME, PASSWORD, "search page (with a code)", secret=secret)
    assert nadia.link(f"{NAME} (lawyer)").is_visible()

    # Without the phone: a recovery code, once.
    _log_out(nadia)
    _password_only(nadia)
    type_code(nadia, codes[0], "search page (recovery code)")
    assert nadia.page.get_by_role("status").filter(has_text="9 left").is_visible()
    _log_out(nadia)
    _password_only(nadia)
    type_code(nadia, codes[0], "recovery code refused")
    assert nadia.page.get_by_role("alert").filter(has_text="already used").is_visible()
    nadia.click_and_arrive(nadia.button("Cancel the login"), "login cancelled")  # and she gives up for now
    assert nadia.heading() == "Log in"

    # She lost her phone: an admin resets her two-factor login, and requires it of lawyers.
    admin = person()
    admin.open_archive()
    log_in_here(admin, "admin", PASSWORD, "search page (admin)")
    admin.click_and_arrive(admin.link("Users"), "users page")
    row = admin.page.get_by_role("row").filter(has_text=NAME)
    assert "On" in row.get_by_role("cell").nth(2).inner_text()
    admin.click_and_arrive(admin.button(f"Reset two-factor of {NAME}"), "two-factor reset")
    assert admin.page.get_by_role("status").filter(has_text=f"Reset {NAME}'s two-factor login").is_visible()
    admin.tick(admin.page.get_by_role("checkbox", name="lawyer", exact=True))
    admin.click_and_arrive(admin.button("Save requirement"), "requirement saved")
    assert admin.page.get_by_role("status").filter(
        has_text="Two-factor login is now required for: admin, reviewer, lawyer.").is_visible()
    assert "required: sets it up at the next login" in admin.page.get_by_role("row").filter(has_text=NAME).inner_text()

    # Her next login: the password, then setting it up again with the new phone, before anything else.
    nadia.open_archive("login page")
    log_in_here(nadia, NAME, PASSWORD, "set up two-factor login (required)")
    assert nadia.sees("Your role must log in with a code from a phone as well as the password.")
    _enrol(nadia, "recovery codes (at login)")
    nadia.click_and_arrive(nadia.link("I have kept them: continue"), "search page (after setting it up)")
    assert nadia.link(f"{NAME} (lawyer)").is_visible()
