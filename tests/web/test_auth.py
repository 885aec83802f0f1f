"""Accounts, sessions and tokens, through the real login form, cookies, API and CLI."""
import pytest

from archive.custody import audit
from archive.security import accounts
from archive.store.db import write_transaction
from tests.conftest import PASSWORD, csrf_token, finish_login, post_login
from tests.factories import record

WITNESS_NAME = "Fictional Witness Name 7"


@pytest.fixture
def archive(import_records, users):
    import_records([
        record(1, consent="legal", confidentiality="restricted", witness_name=WITNESS_NAME,
               witness_contact="+48 000 000 000"),
        record(2, consent="internal", confidentiality="confidential", title="Confidential statement"),
        record(3, consent="withdrawn", confidentiality="restricted", title="Withdrawn statement"),
        record(4, consent="publication", confidentiality="public", title="Public statement"),
    ])


class TestNothingBeforeLogin:
    @pytest.mark.parametrize("path", ["/", "/?q=dogs", "/testimonies/T-2021-0001", "/account", "/admin/users"])
    def test_pages_send_to_the_login_page(self, anonymous, archive, path):
        response = anonymous.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next=")

    @pytest.mark.parametrize("path", ["/api/search?q=dogs", "/api/testimonies/T-2021-0001", "/api/openapi.json"])
    def test_the_api_answers_401(self, anonymous, archive, path):
        response = anonymous.get(path)
        assert response.status_code == 401 and "Bearer" in response.get_json()["message"]
        assert "paths" not in response.get_json()  # not the document

    def test_the_api_document_opens_with_a_token_or_a_session(self, app, login, run, archive):
        token = run("user", "token", "viewer", "--label", "contract tester").output.strip()
        with_token = app.test_client().get("/api/openapi.json", headers={"Authorization": f"Bearer {token}"})
        assert with_token.status_code == 200 and "/api/search" in with_token.get_json()["paths"]
        client = app.test_client()
        login(client, "viewer")
        assert client.get("/api/openapi.json").get_json()["paths"] == with_token.get_json()["paths"]

    def test_after_login_the_page_asked_for_opens(self, anonymous, archive):
        response = finish_login(anonymous, anonymous.post("/login", data={
            "name": "lawyer", "password": PASSWORD, "next": "/?q=dogs", "csrf_token": csrf_token(anonymous, "/login")}),
            "lawyer")
        assert response.status_code == 302 and response.location == "/?q=dogs"
        assert "T-2021-0001" in anonymous.get("/?q=dogs").get_data(as_text=True)

    @pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
    def test_no_open_redirect(self, anonymous, users, target):
        response = finish_login(anonymous, anonymous.post("/login", data={
            "name": "lawyer", "password": PASSWORD, "next": target, "csrf_token": csrf_token(anonymous, "/login")}),
            "lawyer")
        assert response.location == "/"


class TestLogin:
    @pytest.mark.parametrize("name, password", [("lawyer", "wrong password!"), ("nobody", PASSWORD), ("", "")])
    def test_a_wrong_name_or_password_says_only_that(self, anonymous, users, name, password):
        response = post_login(anonymous, name, password)
        assert response.status_code == 401 and "Wrong user name or password." in response.get_data(as_text=True)

    def test_passwords_are_stored_as_argon2id(self, db, users):
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM user")]
        assert hashes and all(h.startswith("$argon2id$") for h in hashes)
        assert not any(PASSWORD in h for h in hashes)

    def test_the_archive_hashes_with_rfc_9106_parameters(self, cheap_password_hashing):
        real = cheap_password_hashing  # the hasher archive.accounts uses outside the test suite
        assert real.time_cost >= 3 and real.memory_cost >= 64 * 1024 and real.type.name == "ID"

    def test_cookie_flags(self, anonymous, users):
        cookie = post_login(anonymous, "viewer", PASSWORD).headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie

    def test_logins_and_failures_are_audited(self, anonymous, users, db):
        post_login(anonymous, "viewer", "wrong password!")
        post_login(anonymous, "viewer", PASSWORD)
        actions = [row[0] for row in db.execute("SELECT action FROM audit_event WHERE actor = 'viewer'")]
        assert actions == ["login_failed", "login"] and audit.verify(db) == []


def attempt(client, name, password, address="10.0.0.66", **headers):
    """A login from `address`, with a fresh CSRF token of this client's session."""
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_token(client, "/login")},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, stopped at a known moment; `clock.move(seconds)` moves it on."""
    import datetime as dt

    from archive.security import login_throttle

    class Clock:
        now = dt.datetime(2026, 12, 3, 14, 0, 0, tzinfo=dt.timezone.utc)

        def move(self, seconds):
            self.now += dt.timedelta(seconds=seconds)

    stopped = Clock()
    monkeypatch.setattr(login_throttle, "clock", lambda: stopped.now)
    return stopped


def comparable(response, *typed):
    """What a stranger can compare of two answers: status, the headers that matter, and the page
    without its CSRF token and without the name they typed (echoed back in the form)."""
    import re

    body = re.sub(r'(name="csrf[-_]token" (?:content|value)=")[^"]+', r"\1…", response.get_data(as_text=True))
    for name in typed:
        body = body.replace(f'value="{name}"', 'value="…"')
    headers = {k: v for k, v in response.headers.items() if k not in ("Content-Length", "Set-Cookie")}
    return response.status_code, headers, "Set-Cookie" in response.headers, body


class TestThrottling:
    def test_a_strangers_failures_never_stop_the_owner(self, app, users, clock):
        stranger = app.test_client()
        answers = {attempt(stranger, "coder", f"guess number {n}").status_code for n in range(60)}
        assert answers == {401, 429}
        owner = app.test_client()
        assert attempt(owner, "coder", PASSWORD, address="192.0.2.7").status_code == 302
        assert owner.get("/").status_code == 200

    def test_the_same_name_from_the_same_address_waits_longer_after_each_failure(self, app, users, clock):
        client = app.test_client()
        for _ in range(5):
            assert attempt(client, "coder", "wrong password!").status_code == 401
        waiting = attempt(client, "coder", PASSWORD)  # even the right password is not checked while waiting
        assert waiting.status_code == 429 and "wait until 14:00:30 UTC" in waiting.get_data(as_text=True)
        clock.move(31)
        assert attempt(client, "coder", "wrong password!").status_code == 401
        assert "wait until 14:01:31 UTC" in attempt(client, "coder", PASSWORD).get_data(as_text=True)  # 60 s now
        clock.move(61)
        assert attempt(client, "coder", PASSWORD).status_code == 302
        for _ in range(5):  # a login starts the count again
            assert attempt(app.test_client(), "coder", "wrong password!").status_code == 401

    def test_an_address_that_fails_many_names_waits_for_the_hour(self, app, users, clock):
        from archive.security import login_throttle

        client = app.test_client()
        for n in range(login_throttle.ADDRESS_FAILURES):
            assert attempt(client, f"name-{n}", "wrong password!").status_code == 401
        assert attempt(client, "coder", PASSWORD).status_code == 429
        assert attempt(app.test_client(), "coder", PASSWORD, address="192.0.2.7").status_code == 302
        clock.move(3601)
        assert attempt(app.test_client(), "coder", PASSWORD).status_code == 302

    @pytest.mark.parametrize("known", ["coder", "locked"])
    def test_an_unknown_and_a_known_name_get_the_same_answers(self, app, users, clock, run, known):
        if known == "locked":  # an account an administrator locked, with its right password
            assert run("user", "set", "coder", "--lock").exit_code == 0
        password = PASSWORD if known == "locked" else "wrong password!"
        for failure in range(6):  # five wrong answers, then the wait
            unknown = attempt(app.test_client(), "coderx", password, address="198.51.100.1")
            existing = attempt(app.test_client(), "coder", password, address="198.51.100.2")
            assert comparable(unknown, "coderx") == comparable(existing, "coder")
            assert unknown.status_code == (429 if failure == 5 else 401)

    def test_the_password_is_hashed_for_every_kind_of_wrong_name(self, app, users, run, monkeypatch):
        from archive.security import accounts

        verified = []
        real = accounts._verify  # argon2 against a stored hash, or a dummy one
        monkeypatch.setattr(accounts, "_verify", lambda *args: verified.append(1) or real(*args))
        run("user", "set", "viewer", "--lock")
        for name, password in [("coder", "wrong password!"), ("nobody", PASSWORD), ("viewer", PASSWORD)]:
            verified.clear()
            assert attempt(app.test_client(), name, password, address="203.0.113.9").status_code == 401
            assert verified == [1], name

    def test_unlocking_lets_every_address_try_again(self, app, users, clock, run):
        client = app.test_client()
        for _ in range(5):
            attempt(client, "coder", "wrong password!")
        assert attempt(client, "coder", PASSWORD).status_code == 429
        assert run("user", "set", "coder", "--unlock").exit_code == 0
        assert attempt(client, "coder", PASSWORD).status_code == 302

    def test_forwarded_addresses_count_only_behind_a_configured_proxy(self, data_dir, users, clock):
        from archive import create_app

        direct = create_app({"TESTING": True, "DATA": str(data_dir.root)})
        for n in range(6):  # a stranger cannot dodge the count by claiming other addresses
            response = attempt(direct.test_client(), "coder", "wrong password!", **{"X-Forwarded-For": f"10.1.1.{n}"})
        assert response.status_code == 429
        proxied = create_app({"TESTING": True, "DATA": str(data_dir.root), "PROXIES": 1})
        owner = attempt(proxied.test_client(), "coder", PASSWORD, **{"X-Forwarded-For": "192.0.2.7"})
        assert owner.status_code == 302  # the same proxy address, another client behind it

    def test_names_and_addresses_are_stored_only_as_hashes(self, app, users, db):
        attempt(app.test_client(), "coder", "wrong password!")
        dump = "\n".join(db.conn.iterdump())
        assert "login_failure" in dump and "10.0.0.66" not in dump and "'coder'" not in dump.split("login_failure")[-1]


class TestSessions:
    def test_logout_ends_the_session_even_if_the_cookie_is_replayed(self, app, login):
        client = app.test_client()
        token = login(client, "lawyer")
        cookie = client.get_cookie("session").value
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
        replay = app.test_client()
        replay.set_cookie("session", cookie)
        assert replay.get("/").status_code == 302  # to the login page

    def test_a_session_id_from_before_login_is_worthless_after(self, app, login):
        client = app.test_client()
        login(client, "lawyer")
        first = client.get_cookie("session").value
        login(client, "lawyer")  # logging in again (e.g. with a planted cookie) starts a new session
        stale = app.test_client()
        stale.set_cookie("session", first)
        assert stale.get("/").status_code == 302 and client.get("/").status_code == 200

    def test_an_expired_session_is_refused(self, client, db):
        with write_transaction(db):
            db.execute("UPDATE login_session SET expires_at = '2000-01-01T00:00:00+00:00'")
        assert client.get("/").status_code == 302

    def test_locking_a_user_ends_their_sessions(self, app, login, run):
        client = app.test_client()
        login(client, "lawyer")
        assert run("user", "set", "lawyer", "--lock").exit_code == 0
        assert client.get("/").status_code == 302
        assert post_login(app.test_client(), "lawyer", PASSWORD).status_code == 401

    def test_a_role_change_ends_sessions(self, app, login, run):
        client = app.test_client()
        login(client, "lawyer")
        run("user", "set", "lawyer", "--role", "viewer")
        assert client.get("/").status_code == 302


class TestCSRF:
    @pytest.mark.parametrize("path, data", [("/logout", {}), ("/account/tokens", {"label": "x"}),
                                            ("/admin/users", {"name": "mallory", "role": "admin",
                                                              "password": "a long password 1"})])
    def test_a_post_without_a_token_is_refused(self, app, login, db, path, data):
        client = app.test_client()
        login(client, "admin")
        for token in (None, "forged-token"):
            response = client.post(path, data={**data, **({"csrf_token": token} if token else {})})
            assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
        assert accounts.get_user(db, "mallory") is None
        assert client.get("/").status_code == 200  # still logged in

    def test_a_login_without_a_token_is_refused(self, anonymous, users):
        response = anonymous.post("/login", data={"name": "lawyer", "password": PASSWORD})
        assert response.status_code == 400


class TestTokens:
    def test_a_token_opens_the_api_and_is_stored_only_hashed(self, anonymous, archive, run, db):
        token = run("user", "token", "lawyer", "--label", "notebook").output.strip()
        assert token.startswith(accounts.TOKEN_PREFIX)
        response = anonymous.get("/api/search?q=dogs", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.get_json()["total"] >= 1
        dump = "\n".join(db.conn.iterdump())
        assert token not in dump and accounts._sha256(token) in dump

    def test_a_token_request_does_not_wait_for_a_long_import(self, anonymous, archive, run, data_dir):
        import sqlite3
        import time

        token = run("user", "token", "lawyer", "--label", "notebook").output.strip()
        importing = sqlite3.connect(data_dir.database, isolation_level=None)
        importing.execute("BEGIN IMMEDIATE")  # as an import holds the write lock for its whole file
        try:
            started = time.monotonic()
            response = anonymous.get("/api/search?q=dogs", headers={"Authorization": f"Bearer {token}"})
            waited = time.monotonic() - started
        finally:
            importing.rollback()
            importing.close()
        assert response.status_code == 200 and waited < 10  # not the 30 s busy timeout

    @pytest.mark.parametrize("token", ["ta_forged", "", "ta_" + "A" * 43])
    def test_a_forged_token_is_401(self, anonymous, archive, token):
        response = anonymous.get("/api/search", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401

    def test_revoked_and_expired_tokens_are_401(self, app, login, run, db, archive):
        client = app.test_client()
        csrf = login(client, "lawyer")
        page = client.post("/account/tokens", data={"label": "script", "csrf_token": csrf}).get_data(as_text=True)
        token = page.split('<code class="token">')[1].split("<")[0]
        headers = {"Authorization": f"Bearer {token}"}
        assert app.test_client().get("/api/search", headers=headers).status_code == 200
        token_id = db.execute("SELECT id FROM api_token WHERE label = 'script'").fetchone()[0]
        client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})
        assert app.test_client().get("/api/search", headers=headers).status_code == 401
        other = run("user", "token", "lawyer", "--label", "old", "--days", "1").output.strip()
        with write_transaction(db):
            db.execute("UPDATE api_token SET expires_at = '2000-01-01T00:00:00+00:00' WHERE label = 'old'")
        assert app.test_client().get("/api/search", headers={"Authorization": f"Bearer {other}"}).status_code == 401

    def test_a_token_cannot_revoke_another_users_token(self, app, login, db, run):
        run("user", "token", "lawyer", "--label", "theirs")
        token_id = db.execute("SELECT id FROM api_token WHERE label = 'theirs'").fetchone()[0]
        client = app.test_client()
        client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": login(client, "viewer")})
        assert db.execute("SELECT revoked_at FROM api_token WHERE id = ?", [token_id]).fetchone()[0] is None


class TestWhatEachRoleSees:
    def references(self, client, query=""):
        return {hit["reference"] for hit in client.get(f"/api/search?q={query}&per_page=100").get_json()["results"]}

    @pytest.mark.parametrize("name, expected", [
        ("viewer", {"T-2021-0001", "T-2021-0004"}),
        ("admin", {"T-2021-0001", "T-2021-0004"}),
        ("lawyer", {"T-2021-0001", "T-2021-0002", "T-2021-0004"}),
        ("coder", {"T-2021-0001", "T-2021-0002", "T-2021-0004"}),
        ("reviewer", {"T-2021-0001", "T-2021-0002", "T-2021-0003", "T-2021-0004"}),
    ])
    def test_search_finds_only_what_the_role_may_open(self, app, login, archive, name, expected):
        client = app.test_client()
        login(client, name)
        assert self.references(client) == expected
        facets = client.get("/api/search").get_json()["facets"]
        assert sum(row["count"] for row in facets["confidentiality"]) == len(expected)
        for reference in {"T-2021-0001", "T-2021-0002", "T-2021-0003", "T-2021-0004"} - expected:
            assert client.get(f"/testimonies/{reference}").status_code == 404
            assert client.get(f"/api/testimonies/{reference}").status_code == 404

    def test_did_you_mean_never_offers_a_word_of_a_hidden_statement(self, app, login, import_records, users):
        import_records([record(10, text="Only this confidential statement mentions Zvenigorodka.",
                               confidentiality="confidential"),
                        record(11, confidentiality="restricted")])
        client = app.test_client()
        login(client, "viewer")
        assert client.get("/api/search?q=Zvenigorodkaa").get_json()["suggestion"] is None
        login(client, "lawyer")
        assert client.get("/api/search?q=Zvenigorodkaa").get_json()["suggestion"] == "zvenigorodka"


class TestIdentity:
    def test_a_lawyer_may_see_it_where_consent_allows_and_it_is_audited(self, app, login, archive, db):
        client = app.test_client()
        login(client, "lawyer")
        page = client.get("/testimonies/T-2021-0001").get_data(as_text=True)
        assert "Show identity" in page and WITNESS_NAME not in page
        identity = client.get("/testimonies/T-2021-0001/identity")
        assert identity.status_code == 200 and WITNESS_NAME in identity.get_data(as_text=True)
        entry = db.execute("SELECT actor, subject FROM audit_event WHERE action = 'view_identity'").fetchall()
        assert entry == [("lawyer", "T-2021-0001")]
        assert WITNESS_NAME not in "\n".join(str(row) for row in db.execute("SELECT * FROM audit_event"))

    @pytest.mark.parametrize("name, status", [("viewer", 403), ("coder", 403), ("admin", 403)])
    def test_other_roles_may_not(self, app, login, archive, name, status):
        client = app.test_client()
        login(client, name)
        assert "Show identity" not in client.get("/testimonies/T-2021-0001").get_data(as_text=True)
        response = client.get("/testimonies/T-2021-0001/identity")
        assert response.status_code == status and WITNESS_NAME not in response.get_data(as_text=True)

    def test_not_without_consent(self, app, login, import_records, users):
        import_records([record(20, consent="internal", witness_name=WITNESS_NAME)])
        client = app.test_client()
        login(client, "lawyer")
        response = client.get("/testimonies/T-2021-0020/identity")
        assert response.status_code == 403 and WITNESS_NAME not in response.get_data(as_text=True)

    @pytest.mark.parametrize("name", ["viewer", "lawyer", "reviewer"])
    def test_never_in_search_or_the_api(self, app, login, archive, name):
        client = app.test_client()
        login(client, name)
        for path in ("/?q=dogs", "/api/search?q=dogs", "/api/testimonies/T-2021-0001", "/testimonies/T-2021-0001"):
            assert WITNESS_NAME not in client.get(path).get_data(as_text=True)


class TestPublicView:
    def test_off_by_default(self, anonymous, archive):
        assert anonymous.get("/").status_code == 302

    def test_on_it_shows_only_public_testimonies_with_consent_to_publish(self, data_dir, archive):
        from archive import create_app

        public = create_app({"TESTING": True, "DATA": str(data_dir.root), "PUBLIC_VIEW": True}).test_client()
        found = {hit["reference"] for hit in public.get("/api/search").get_json()["results"]}
        assert found == {"T-2021-0004"}
        assert public.get("/testimonies/T-2021-0004").status_code == 200
        assert public.get("/testimonies/T-2021-0001").status_code == 404
        assert public.get("/testimonies/T-2021-0004/identity").status_code == 302  # log in first
        assert public.get("/api/openapi.json").status_code == 200  # the public view opens the API, and its door


class TestAdministration:
    def test_an_admin_adds_and_changes_users(self, app, login, db):
        client = app.test_client()
        csrf = login(client, "admin")
        client.post("/admin/users", data={"name": "marta", "role": "coder", "password": "a long password 1",
                                          "csrf_token": csrf})
        assert accounts.get_user(db, "marta")["role"] == "coder"
        client.post("/admin/users/marta", data={"role": "reviewer", "csrf_token": csrf})
        assert accounts.get_user(db, "marta")["role"] == "reviewer"
        page = client.post("/admin/users", data={"name": "short", "role": "coder", "password": "short",
                                                 "csrf_token": csrf}, follow_redirects=True).get_data(as_text=True)
        assert "at least 12 characters" in page and accounts.get_user(db, "short") is None

    def test_an_admin_cannot_lock_themself_out(self, app, login, db):
        client = app.test_client()
        csrf = login(client, "admin")
        client.post("/admin/users/admin", data={"active": "0", "csrf_token": csrf})
        assert accounts.get_user(db, "admin")["active"] == 1

    @pytest.mark.parametrize("name", ["coder", "reviewer", "lawyer", "viewer"])
    def test_others_are_refused(self, app, login, name):
        client = app.test_client()
        csrf = login(client, name)
        assert client.get("/admin/users").status_code == 403
        assert client.post("/admin/users", data={"name": "x", "role": "admin", "password": "a long password 1",
                                                 "csrf_token": csrf}).status_code == 403


class TestCommandLine:
    def test_user_add_reads_the_password_from_stdin(self, run, data_dir):
        from click.testing import CliRunner

        from archive.cli import cli

        result = CliRunner().invoke(cli, ["--data", str(data_dir.root), "user", "add", "marta", "--role", "coder",
                                          "--password-stdin"], input="a long password 1\n")
        assert result.exit_code == 0 and "a long password" not in result.output
        assert "marta" in run("user", "list").output

    @pytest.mark.parametrize("args, message", [
        (["user", "add", "marta", "--role", "coder", "--password-stdin"], "at least 12 characters"),
        (["user", "add", "lawyer", "--role", "coder", "--password-stdin"], "already a user"),
        (["user", "token", "nobody", "--label", "x"], "no user nobody"),
    ])
    def test_refusals(self, data_dir, users, args, message):
        from click.testing import CliRunner

        from archive.cli import cli

        password = "short\n" if "marta" in args else "a long password 1\n"
        result = CliRunner().invoke(cli, ["--data", str(data_dir.root), *args], input=password)
        assert result.exit_code == 1 and message in result.output
