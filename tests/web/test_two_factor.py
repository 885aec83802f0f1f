"""Two-factor login as people meet it: enrolling from the account page, logging in with a code or a
recovery code, a code that cannot be used twice, wrong codes that make the name wait without saying
whether the password was right, the requirement per role, and an administrator's audited reset."""
import re

import pyotp
import pytest

from archive.security import login_throttle, two_factor
from archive.store.db import write_transaction
from tests.conftest import PASSWORD, csrf_token, post_code, post_login
from tests.factories import phone_code, secret_for


def _secret_on(page):
    return re.search(r'<code class="secret" id="secret">([^<]+)</code>', page).group(1).replace(" ", "")


def _recovery_codes(page):
    return re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", page)


def _enrol_from_account(client, token):
    """Press Set up, read the secret as typed into a phone, confirm with its code: (secret, codes)."""
    assert client.post("/account/two-factor", data={"csrf_token": token}).location == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page, "the QR code is drawn inline, never fetched"
    secret = _secret_on(page)
    answer = client.post("/account/two-factor/confirm", data={"code": phone_code(secret), "csrf_token": token})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    return secret, _recovery_codes(answer.get_data(as_text=True))


@pytest.fixture
def coder_with_2fa(signed_in):
    """The coder (whose role does not require it) turned two-factor login on: (secret, recovery codes)."""
    client, token = signed_in("coder")
    return _enrol_from_account(client, token)


class TestEnrolment:
    def test_from_the_account_page_with_ten_recovery_codes_stored_hashed(self, signed_in, db):
        client, token = signed_in("coder")
        assert "Set up two-factor login" in client.get("/account").get_data(as_text=True)
        secret, codes = _enrol_from_account(client, token)
        assert len(codes) == 10 and len(set(codes)) == 10
        stored = [row[0] for row in db.execute("SELECT code_sha256 FROM recovery_code")]
        assert len(stored) == 10 and not any(code.replace("-", "") in hashed or code in hashed
                                             for code in codes for hashed in stored)
        page = client.get("/account").get_data(as_text=True)
        assert "10 unused recovery codes" in page and "Turn off two-factor login" in page
        entry = db.execute("SELECT actor, action FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
        assert tuple(entry) == ("coder", "two_factor_enrolled")

    def test_a_wrong_confirmation_code_turns_nothing_on(self, signed_in, db):
        client, token = signed_in("coder")
        client.post("/account/two-factor", data={"csrf_token": token})
        answer = client.post("/account/two-factor/confirm", data={"code": "000000", "csrf_token": token})
        assert answer.status_code == 422 and "Not set up" in answer.get_data(as_text=True)
        assert _secret_on(answer.get_data(as_text=True))  # the same secret is shown again, to try once more
        assert two_factor.enrolled_user_ids(db) == {row[0] for row in db.execute(
            "SELECT id FROM user WHERE role IN ('admin', 'reviewer', 'lawyer')")}


class TestLogin:
    def test_the_password_alone_opens_nothing_then_the_code_opens_the_archive(self, app, coder_with_2fa):
        secret, _ = coder_with_2fa
        client = app.test_client()
        response = post_login(client, "coder")
        assert response.status_code == 302 and response.location == "/login/code"
        assert client.get("/?q=dogs").location == "/login/code"
        assert client.get("/api/search?q=dogs").status_code == 401
        response = post_code(client, phone_code(secret))
        assert response.status_code == 302 and response.location == "/"
        assert client.get("/?q=dogs").status_code == 200

    def test_the_page_asked_for_opens_after_the_code(self, app, users):
        client = app.test_client()
        client.post("/login?next=/codebook", data={"name": "lawyer", "password": PASSWORD,
                                                    "csrf_token": csrf_token(client, "/login")})
        assert post_code(client, phone_code(secret_for("lawyer"))).location == "/codebook"

    def test_a_code_is_accepted_once(self, app, users, db):
        code = phone_code(secret_for("lawyer"))
        first, second = app.test_client(), app.test_client()
        post_login(first, "lawyer")
        post_login(second, "lawyer")
        assert post_code(first, code).status_code == 302
        replayed = post_code(second, code)
        assert replayed.status_code == 401 and "already used" in replayed.get_data(as_text=True)
        assert second.get("/account").location == "/login/code"

    def test_an_earlier_code_is_refused_after_a_later_one(self, app, users):
        totp, now = pyotp.TOTP(secret_for("lawyer")), two_factor.clock()
        client = app.test_client()
        post_login(client, "lawyer")
        assert post_code(client, totp.at(now)).status_code == 302
        again = app.test_client()
        post_login(again, "lawyer")
        assert post_code(again, totp.at(now - two_factor.STEP_SECONDS)).status_code == 401

    def test_a_code_from_another_time_is_refused(self, app, users):
        client = app.test_client()
        post_login(client, "lawyer")
        stale = pyotp.TOTP(secret_for("lawyer")).at(two_factor.clock() - 5 * two_factor.STEP_SECONDS)
        assert post_code(client, stale).status_code == 401

    def test_a_recovery_code_works_once(self, app, coder_with_2fa):
        _, codes = coder_with_2fa
        client = app.test_client()
        post_login(client, "coder")
        response = post_code(client, codes[0].upper().replace("-", " "))  # as typed from paper
        assert response.status_code == 302
        assert "9 left" in client.get("/").get_data(as_text=True)
        again = app.test_client()
        post_login(again, "coder")
        assert post_code(again, codes[0]).status_code == 401
        assert post_code(again, codes[1]).status_code == 302

    def test_the_pending_login_is_not_a_session(self, app, users, db):
        client = app.test_client()
        post_login(client, "lawyer")
        assert db.execute("SELECT count(*) FROM login_session").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM pending_login").fetchone()[0] == 1
        with client.session_transaction() as cookie:
            assert "sid" not in cookie and cookie["pending"] not in {
                row[0] for row in db.execute("SELECT id FROM pending_login")}  # only its hash is stored

    def test_a_pending_login_can_be_cancelled_from_the_header(self, app, users, db):
        client = app.test_client()
        post_login(client, "lawyer")
        page = client.get("/login/code").get_data(as_text=True)
        assert "Cancel the login</button>" in page and ">Log in</a>" not in page
        assert client.post("/logout", data={"csrf_token": csrf_token(client, "/login/code")}).location == "/login"
        assert db.execute("SELECT count(*) FROM pending_login").fetchone()[0] == 0
        assert client.get("/login/code").location == "/login"

    def test_without_a_pending_login_the_code_page_sends_to_log_in(self, anonymous, users):
        assert anonymous.get("/login/code").location == "/login"

    def test_an_ended_pending_login_says_log_in_again(self, app, users, db):
        client = app.test_client()
        post_login(client, "lawyer")
        with write_transaction(db):
            db.execute("DELETE FROM pending_login")
        assert client.get("/").location == "/login/code"
        assert client.get("/login/code").location == "/login"
        assert "Log in again: your login was not finished" in client.get("/login").get_data(as_text=True)
        assert client.get("/").location.startswith("/login?next=")

    def test_api_tokens_keep_working(self, signed_in):
        client, token = signed_in("lawyer")
        page = client.post("/account/tokens", data={"label": "notebook", "csrf_token": token}).get_data(as_text=True)
        api_token = re.search(r'<code class="token">([^<]+)</code>', page).group(1)
        fresh = client.application.test_client()
        answer = fresh.get("/api/search?q=dogs", headers={"Authorization": f"Bearer {api_token}"})
        assert answer.status_code == 200


class TestWrongCodes:
    def _wrong_codes(self, app, name, count, address="192.0.2.7"):
        for _ in range(count):
            client = app.test_client()
            post_login(client, name)  # the right password each time
            client.post("/login/code", data={"code": "000000", "csrf_token": csrf_token(client, "/login/code")},
                        environ_base={"REMOTE_ADDR": address})

    def test_repeated_wrong_codes_make_the_name_wait_whatever_the_password(self, app, users):
        client = app.test_client()
        post_login(client, "lawyer")
        answers = [client.post("/login/code", data={"code": "000000", "csrf_token": csrf_token(client, "/login/code")})
                   for _ in range(login_throttle.FREE_FAILURES + 1)]
        assert [a.status_code for a in answers[:login_throttle.FREE_FAILURES]] == [401] * login_throttle.FREE_FAILURES
        assert answers[-1].status_code == 429 and "Too many failed logins" in answers[-1].get_data(as_text=True)
        right = post_login(app.test_client(), "lawyer")
        wrong = post_login(app.test_client(), "lawyer", "wrong password")
        assert right.status_code == wrong.status_code == 429
        said = [re.search(r'id="login-error">([^<]+)<', a.get_data(as_text=True)).group(1) for a in (right, wrong)]
        assert said[0] == said[1], "the answer must not tell whether the password was right"

    def test_wrong_codes_from_many_addresses_lock_the_name_everywhere(self, app, users):
        for address in range(login_throttle.CODE_FAILURES):
            self._wrong_codes(app, "lawyer", 1, address=f"192.0.2.{address + 1}")
        client = app.test_client()
        right = client.post("/login", data={"name": "lawyer", "password": PASSWORD,
                                            "csrf_token": csrf_token(client, "/login")},
                            environ_base={"REMOTE_ADDR": "198.51.100.1"})
        assert right.status_code == 429

    def test_a_right_code_starts_the_count_again(self, app, users, db):
        self._wrong_codes(app, "lawyer", login_throttle.CODE_FAILURES - 1)
        client = app.test_client()
        post_login(client, "lawyer")
        assert post_code(client, phone_code(secret_for("lawyer"))).status_code == 302
        assert db.execute("SELECT count(*) FROM login_failure WHERE address_sha256 = '*'").fetchone()[0] == 0

    def test_each_wrong_code_is_audited(self, app, users, db):
        self._wrong_codes(app, "lawyer", 2)
        actions = [row[0] for row in db.execute("SELECT action FROM audit_event WHERE actor = 'lawyer' ORDER BY id")]
        assert actions == ["login_pending", "login_code_failed"] * 2


class TestRequirement:
    def test_by_default_every_role_that_may_read_identities_and_admin(self, db):
        assert two_factor.required_roles(db) == ["admin", "reviewer", "lawyer"]

    def test_a_required_role_without_it_enrols_before_anything_else(self, app, users, db):
        from archive.security import accounts

        with write_transaction(db):
            accounts.add_user(db, "nadia", "lawyer", PASSWORD)
        client = app.test_client()
        assert post_login(client, "nadia").location == "/login/enrol"
        assert client.get("/case-files").location == "/login/enrol"
        page = client.get("/login/enrol").get_data(as_text=True)
        answer = client.post("/login/enrol", data={"code": phone_code(_secret_on(page)),
                                                   "csrf_token": csrf_token(client, "/login/enrol")})
        assert len(_recovery_codes(answer.get_data(as_text=True))) == 10
        assert client.get("/case-files").status_code == 200

    def test_an_admin_requires_it_of_a_role_and_its_sessions_without_it_end(self, signed_in, db):
        coder, _ = signed_in("coder")
        admin, token = signed_in("admin")
        answer = admin.post("/admin/two-factor", data={"role": ["admin", "coder", "lawyer", "reviewer"],
                                                       "csrf_token": token})
        assert answer.status_code == 302
        assert "2 accounts without it" in admin.get("/admin/users").get_data(as_text=True)
        assert coder.get("/").location.startswith("/login")
        assert post_login(coder, "coder").location == "/login/enrol"
        entry = db.execute("SELECT actor, detail FROM audit_event WHERE action = 'two_factor_required'").fetchone()
        assert entry[0] == "admin" and "coder" in entry[1]

    def test_an_admin_may_require_it_of_no_role(self, signed_in, app, db):
        admin, token = signed_in("admin")
        admin.post("/admin/two-factor", data={"csrf_token": token})
        assert two_factor.required_roles(db) == []
        assert post_login(app.test_client(), "coder").location == "/"
        assert post_login(app.test_client(), "lawyer").location == "/login/code", "who has it keeps it"

    def test_an_unknown_role_changes_nothing(self, signed_in, db):
        admin, token = signed_in("admin")
        admin.post("/admin/two-factor", data={"role": ["admin", "superuser"], "csrf_token": token})
        assert two_factor.required_roles(db) == ["admin", "reviewer", "lawyer"]


class TestReset:
    def test_the_users_page_shows_who_has_it(self, signed_in):
        admin, _ = signed_in("admin")
        page = admin.get("/admin/users").get_data(as_text=True)
        cells = dict(re.findall(r'<th scope="row" data-label="Name">(\w+)[^<]*(?:<span[^>]*>[^<]*</span>)?</th>'
                                r'.*?<td data-label="Two-factor" class="two-factor-state">\s*(?:<strong>)?(\w+)',
                                page, flags=re.S))
        assert cells == {"admin": "On", "coder": "Off", "coder2": "Off", "lawyer": "On", "reviewer": "On",
                         "viewer": "Off"}

    def test_an_admin_resets_it_audited_and_the_user_enrols_again(self, signed_in, app, db):
        lawyer, _ = signed_in("lawyer")
        admin, token = signed_in("admin")
        assert admin.post("/admin/users/lawyer/reset-2fa", data={"csrf_token": token}).status_code == 302
        assert "Reset lawyer" in admin.get("/admin/users").get_data(as_text=True)
        entry = db.execute("SELECT actor, action, subject FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
        assert tuple(entry) == ("admin", "two_factor_reset", "lawyer")
        assert lawyer.get("/").location.startswith("/login"), "their sessions ended"
        assert post_login(app.test_client(), "lawyer").location == "/login/enrol"

    def test_the_cli_resets_it_audited(self, run, users, db):
        result = run("user", "reset-2fa", "reviewer")
        assert result.exit_code == 0 and "Reset reviewer" in result.output
        assert db.execute("SELECT action, subject FROM audit_event ORDER BY id DESC LIMIT 1").fetchone() == (
            "two_factor_reset", "reviewer")
        refused = run("user", "reset-2fa", "coder")
        assert refused.exit_code == 1 and "no two-factor login to reset" in refused.output
        assert "2fa on" in run("user", "list").output

    def test_the_cli_sets_the_requirement(self, run, users, db):
        assert "admin, reviewer, lawyer" in run("user", "require-2fa").output
        assert run("user", "require-2fa", "admin").exit_code == 0
        assert two_factor.required_roles(db) == ["admin"]
        assert "no role" in run("user", "require-2fa", "--none").output and two_factor.required_roles(db) == []


class TestTurningItOff:
    def test_with_password_and_code(self, app, coder_with_2fa, db):
        secret, _ = coder_with_2fa
        client = app.test_client()
        from tests.conftest import log_in
        token = log_in(client, "coder")
        answer = client.post("/account/two-factor/disable", data={"password": PASSWORD, "code": phone_code(secret),
                                                                  "csrf_token": token})
        assert answer.location == "/login"
        assert post_login(app.test_client(), "coder").location == "/"

    @pytest.mark.parametrize("wrong", ["password", "code"])
    def test_not_with_a_wrong_password_or_code(self, app, coder_with_2fa, db, wrong):
        secret, _ = coder_with_2fa
        client = app.test_client()
        from tests.conftest import log_in
        token = log_in(client, "coder")
        form = {"password": PASSWORD, "code": phone_code(secret), "csrf_token": token, wrong: "123456789012"}
        client.post("/account/two-factor/disable", data=form)
        assert "the password or the code is not right" in client.get("/account").get_data(as_text=True)
        assert post_login(app.test_client(), "coder").location == "/login/code"


class TestSealedSecrets:
    def test_with_an_identity_key_the_secret_is_sealed_and_codes_still_work(self, signed_in, app, db, monkeypatch):
        from archive.security import sealing

        monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", sealing.generate_key())
        client, token = signed_in("coder")
        secret, _ = _enrol_from_account(client, token)
        stored = db.execute("SELECT secret FROM two_factor JOIN user ON user.id = user_id "
                            "WHERE name = 'coder'").fetchone()[0]
        assert sealing.is_sealed(stored) and secret not in stored
        again = app.test_client()
        post_login(again, "coder")
        assert post_code(again, phone_code(secret)).status_code == 302

    def test_archive_seal_seals_the_secrets_stored_before_the_key(self, run, users, db, monkeypatch):
        from archive.security import sealing

        monkeypatch.setenv("ARCHIVE_IDENTITY_KEY", sealing.generate_key())
        result = run("seal")
        assert result.exit_code == 0 and "3 two-factor secrets" in result.output  # admin, reviewer, lawyer
        assert all(sealing.is_sealed(row[0]) for row in db.execute("SELECT secret FROM two_factor"))
        assert two_factor.check_code(db, db.execute("SELECT id FROM user WHERE name = 'lawyer'").fetchone()[0],
                                     phone_code(secret_for("lawyer"))) == "code"
