"""The administrator's users page through the test client: least-privilege default, no action that
locks oneself out, account states, lock and unlock, a token issued for a user, each result said."""
import re

import pytest

from archive.security import account_states, accounts
from archive.store.db import write_transaction
from tests.conftest import PASSWORD, csrf_token

NEW_PASSWORD = "a long password 1"


@pytest.fixture
def admin(signed_in):
    client, token = signed_in("admin")
    client.csrf = token
    return client


def page_of(client):
    response = client.get("/admin/users")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row_of(page, name):
    return re.search(rf'<tr>\s*<th scope="row" data-label="Name">{name}\b.*?</tr>', page, re.S).group()


def notices(page):
    return re.findall(r'<p class="notice (\w+)" role="(\w+)"(?: tabindex="-1" autofocus)?>(.*?)</p>', page, re.S)


def can_log_in(app, name, password=NEW_PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_token(client, "/login")})
    return response.status_code == 302


class TestAddingAUser:
    def test_the_role_defaults_to_viewer_with_each_roles_description_beside_it(self, admin):
        page = page_of(admin)
        checked = re.findall(r'<input type="radio" id="new-role-(\w+)" name="role" value="\w+" [^>]*checked>', page)
        assert checked == ["viewer"]
        assert ('<label for="new-role-reviewer">reviewer</label>\n      <span id="new-role-reviewer-help" '
                'class="hint">Settles codes and double-coding disagreements') in page
        assert 'aria-describedby="new-role-admin-help"' in page

    def test_a_form_without_a_role_adds_a_viewer(self, admin, db):
        response = admin.post("/admin/users", data={"name": "amira", "password": NEW_PASSWORD, "csrf_token": admin.csrf},
                              follow_redirects=True)
        assert accounts.get_user(db, "amira")["role"] == "viewer"
        assert ("info", "status", "Added amira as viewer.") in notices(response.get_data(as_text=True))

    def test_the_role_chosen_is_kept(self, admin, db):
        admin.post("/admin/users", data={"name": "amira", "role": "coder", "password": NEW_PASSWORD, "csrf_token": admin.csrf})
        assert accounts.get_user(db, "amira")["role"] == "coder"

    @pytest.mark.parametrize("form, message", [
        ({"name": "amira", "role": "superuser", "password": NEW_PASSWORD}, "Not added: role: Must be one of"),
        ({"name": "amira", "password": "short"}, "Not added: a password needs at least 12 characters."),
        ({"name": "viewer", "password": NEW_PASSWORD}, "Not added: there is already a user viewer."),
        ({"name": "a b", "password": NEW_PASSWORD}, "Not added: a user name is 1-64 letters"),
        ({"password": NEW_PASSWORD}, "Not added: name: Missing data for required field."),
    ])
    def test_a_refusal_is_said_beside_the_form_which_keeps_what_was_typed(self, admin, db, form, message):
        response = admin.post("/admin/users", data={**form, "csrf_token": admin.csrf})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert re.search(r'<p class="notice error" role="alert" id="add-error">' + re.escape(message), page)
        if form.get("name") == "amira":
            assert 'id="new-name" name="name" value="amira"' in page and accounts.get_user(db, "amira") is None
        assert NEW_PASSWORD not in page


class TestOwnRow:
    def test_offers_no_lock_and_no_role_change(self, admin):
        mine = row_of(page_of(admin), "admin")
        assert "Lock" not in mine and "<select" not in mine and "(your own role is not changed here)" in mine
        assert 'href="/admin/audit?user=admin"' in mine

    @pytest.mark.parametrize("form", [{"active": "0"}, {"role": "viewer"}, {"role": "reviewer", "active": "1"}])
    def test_the_server_still_refuses_it(self, admin, db, form):
        response = admin.post("/admin/users/admin", data={**form, "csrf_token": admin.csrf}, follow_redirects=True)
        assert accounts.get_user(db, "admin")["active"] == 1 and accounts.get_user(db, "admin")["role"] == "admin"
        assert ("error", "alert", "You cannot lock yourself out or take away your own administration.") in notices(
            response.get_data(as_text=True))

    def test_nor_by_another_case_of_the_name(self, admin, db):
        admin.post("/admin/users/ADMIN", data={"active": "0", "csrf_token": admin.csrf})
        assert accounts.get_user(db, "admin")["active"] == 1


class TestLocking:
    def test_lock_then_unlock_each_said_and_each_state_shown(self, app, admin, db):
        admin.post("/admin/users", data={"name": "amira", "password": NEW_PASSWORD, "csrf_token": admin.csrf})
        assert can_log_in(app, "amira")
        response = admin.post("/admin/users/amira", data={"active": "0", "csrf_token": admin.csrf}, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert ("info", "status", "Locked amira: they cannot log in, and their sessions and API tokens stop working.") \
            in notices(page)
        row = row_of(page, "amira")
        assert re.search(r'<strong class="state-locked">Locked</strong> by an administrator \(admin\), since '
                         r'<time datetime="[\d\-T:+]+" data-local="minute" title="[^"]+">\d{1,2} \w{3} \d{4}, '
                         r'\d\d:\d\d UTC</time>', row)
        assert ">Unlock<" in row and ">Lock<" not in row
        assert not can_log_in(app, "amira")

        page = admin.post("/admin/users/amira", data={"active": "1", "csrf_token": admin.csrf},
                          follow_redirects=True).get_data(as_text=True)
        assert ("info", "status", "Unlocked amira: they can log in again.") in notices(page)
        assert "Active" in row_of(page, "amira") and can_log_in(app, "amira")

    def test_a_throttled_account_says_from_where_until_when_and_can_be_unlocked_early(self, app, admin, db):
        client = app.test_client()
        for _ in range(6):  # five failures, then a sixth try that must wait (and is not counted)
            client.post("/login", data={"name": "coder", "password": "wrong",
                                        "csrf_token": csrf_token(client, "/login")})
        row = row_of(page_of(admin), "coder")
        assert re.search(r'<strong class="state-throttled">Slowed</strong> after 5 failed logins from 1 address: '
                         r'the next try from there waits until <time datetime="[^"]+" data-local="minute" '
                         r'title="[^"]+">[^<]+ UTC</time> \(the owner can still log in from elsewhere\)', row), row
        assert ">Unlock<" in row and ">Lock<" in row  # still lockable: the wait ends by itself
        admin.post("/admin/users/coder", data={"active": "1", "csrf_token": admin.csrf})
        assert "Slowed" not in row_of(page_of(admin), "coder") and can_log_in(app, "coder", PASSWORD)

    def test_failed_logins_are_counted_on_an_active_account(self, app, admin, db):
        client = app.test_client()
        client.post("/login", data={"name": "lawyer", "password": "wrong", "csrf_token": csrf_token(client, "/login")})
        assert "Active; 1 failed login recently, from 1 address" in row_of(page_of(admin), "lawyer")

    def test_a_wait_that_has_ended_is_not_shown(self, admin, db):
        from archive.security import login_throttle
        with write_transaction(db):
            for _ in range(6):
                login_throttle.failed(db, "coder", "192.0.2.7")
            db.execute("UPDATE login_failure SET wait_until = '2001-01-01T00:00:00+00:00'")
        assert "Slowed" not in row_of(page_of(admin), "coder")

    def test_role_change_is_said(self, admin, db):
        page = admin.post("/admin/users/viewer", data={"role": "lawyer", "csrf_token": admin.csrf},
                          follow_redirects=True).get_data(as_text=True)
        assert ("info", "status", "viewer is now lawyer; their sessions were ended.") in notices(page)

    @pytest.mark.parametrize("form, message", [({}, "choose a role, or Lock or Unlock"),
                                               ({"role": "root"}, "role: Must be one of"),
                                               ({"active": "maybe"}, "active: Not a valid boolean.")])
    def test_a_meaningless_change_is_refused_and_said(self, admin, db, form, message):
        page = admin.post("/admin/users/viewer", data={**form, "csrf_token": admin.csrf},
                          follow_redirects=True).get_data(as_text=True)
        assert any(kind == "error" and message in text for kind, _, text in notices(page))
        assert accounts.get_user(db, "viewer")["role"] == "viewer"

    def test_each_user_links_to_their_history(self, admin):
        assert 'href="/admin/audit?user=coder2">History<span class="visually-hidden"> of coder2</span></a>' in page_of(admin)


class TestTokenForAUser:
    def issue(self, client, **form):
        return client.post("/admin/tokens", data={"csrf_token": client.csrf, **form})

    def test_shown_once_audited_and_it_works(self, app, admin, db):
        response = self.issue(admin, user="lawyer", label="case notebook", days="30")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        token = re.search(r'<div class="notice new-token" role="status">.*?<code class="token">(ta_[\w-]+)</code>',
                          page, re.S).group(1)
        assert "New API token for <strong>lawyer</strong> (“case notebook”, expires in 30 days)" in page
        assert token not in page_of(admin)  # only on that one answer
        assert app.test_client().get("/api/search", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        (event,) = db.query("SELECT actor, action, subject, detail FROM audit_event WHERE action = 'token_created'")
        assert event == {"actor": "admin", "action": "token_created", "subject": "lawyer",
                         "detail": '{"days": 30, "label": "case notebook", "scope": "read"}'}
        assert token not in str(list(db.query("SELECT * FROM api_token")))

    def test_the_label_is_escaped_here_and_in_the_audit_view(self, admin, db):
        page = self.issue(admin, user="lawyer", label="<img src=x onerror=alert(1)>").get_data(as_text=True)
        assert "<img src=x" not in page and "“&lt;img src=x onerror=alert(1)&gt;”" in page
        audit_page = admin.get("/admin/audit?action=token_created").get_data(as_text=True)
        assert "<img src=x" not in audit_page and "labelled “&lt;img src=x onerror=alert(1)&gt;”" in audit_page

    def test_the_command_line_does_the_same(self, run, db, users):
        result = run("user", "token", "lawyer", "--label", "backup script", "--days", "7")
        assert result.exit_code == 0 and re.fullmatch(r"ta_[\w-]{43}\n", result.output)
        (event,) = db.query("SELECT action, subject, detail FROM audit_event WHERE action = 'token_created'")
        assert event == {"action": "token_created", "subject": "lawyer", "detail": '{"days": 7, "label": "backup script", "scope": "read"}'}

    def test_for_a_locked_user_it_says_when_it_will_work(self, admin, db):
        admin.post("/admin/users/viewer", data={"active": "0", "csrf_token": admin.csrf})
        page = self.issue(admin, user="viewer", label="x").get_data(as_text=True)
        assert "viewer is locked: the token works only once they are unlocked." in page

    @pytest.mark.parametrize("form, message", [
        ({"user": "nobody", "label": "x"}, "No token issued: no user nobody."),
        ({"user": "lawyer"}, "No token issued: label: Missing data for required field."),
        ({"user": "lawyer", "label": "x", "days": "soon"}, "No token issued: days: Give a whole number of days"),
        ({"user": "lawyer", "label": "x", "days": "0"}, "No token issued: days: Must be greater than or equal to 1"),
    ])
    def test_refusals_are_said_beside_the_form(self, admin, db, form, message):
        response = self.issue(admin, **form)
        assert response.status_code == 400
        assert re.search(r'id="token-error">' + re.escape(message), response.get_data(as_text=True))
        assert not list(db.query("SELECT 1 FROM api_token"))


def test_account_states_read_the_columns_as_they_are():
    import datetime as dt
    now = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.timezone.utc)
    state = account_states.state_of
    assert state({"active": 0}, {"at": "2026-12-01T10:00:00+00:00", "actor": "admin"}, now) == \
        account_states.AccountState("locked", since="2026-12-01T10:00:00+00:00", by="admin")
    assert state({"active": 1}, None, now, (7, 2, "2026-12-02T12:10:00")).kind == "throttled"
    assert state({"active": 1}, None, now, (7, 2, "2026-12-02T11:59:59+00:00")).kind == "active"
    assert state({"active": 1}, None, now, (1, 1, "garbled")).kind == "active"
    assert state({"active": 0}, None, now) == account_states.AccountState("locked")  # locked before the log said who
