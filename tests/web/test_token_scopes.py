"""API token scopes: a token is read-only (GET, HEAD, OPTIONS) or read-write, chosen when it is made on
the account page, the users page or `archive user token --scope`, shown in the token list; a read token
is refused (403) on any other method, once for every route (archive/security/auth.py); tokens made
before scopes keep read-write; every audit entry a token's request writes names the token's label."""
import re
import sqlite3

import pytest

from archive import service
from archive.custody import audit
from archive.custody.audit_words import detail_words
from archive.security import accounts
from archive.store import audit as store_audit
from archive.store import db as database
from tests.factories import record

LEGAL = "T-2021-0002"
CONSENT = {"consent": "publication", "decided": "2022-03-14", "reason": "agreed by phone"}


@pytest.fixture
def archive(import_records, users, data_dir):
    import_records([record(1, consent="publication", confidentiality="public"), record(2, consent="legal")])
    return data_dir


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_cli_makes_read_only_tokens_unless_told(archive, run, db):
    run("user", "token", "reviewer", "--label", "reader")
    run("user", "token", "reviewer", "--label", "writer", "--scope", "write")
    assert dict(db.execute("SELECT label, scope FROM api_token").fetchall()) == {"reader": "read", "writer": "write"}
    assert run("user", "token", "reviewer", "--label", "x", "--scope", "admin").exit_code == 2
    logged = list(store_audit.iter_entries(db, store_audit.AuditFilter(action="token_created")))
    assert [entry["detail"]["scope"] for entry in logged] == ["write", "read"]
    assert detail_words("token_created", logged[0]["detail"]) == "labelled “writer”; read and write"


@pytest.mark.parametrize("method, path, body", [
    ("post", f"/api/testimonies/{LEGAL}/consent", CONSENT),
    ("patch", "/api/incidents/1", {"reason": "x"}),
    ("put", "/api/search", None),
    ("delete", "/api/testimonies/T-2021-0001", None),
    ("post", "/testimonies/new", {"title": "x"}),        # a page's form: the same rule, checked once
    ("post", "/logout", None),
])
def test_a_read_token_is_refused_on_every_write(archive, run, anonymous, db, method, path, body):
    token = run("user", "token", "reviewer", "--label", "reader").output.strip()
    before = store_audit.count_all(db)
    response = getattr(anonymous, method)(path, json=body, headers=bearer(token))
    assert response.status_code == 403
    if path.startswith("/api/"):
        assert "read-only" in response.get_json()["message"]
    assert store_audit.count_all(db) == before
    assert db.execute("SELECT consent FROM testimony WHERE reference = ?", [LEGAL]).fetchone()[0] == "legal"


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_read_token_reads(archive, run, anonymous, method):
    token = run("user", "token", "reviewer", "--label", "reader").output.strip()
    response = getattr(anonymous, method)(f"/api/testimonies/{LEGAL}", headers=bearer(token))
    assert response.status_code == 200


def test_a_write_token_writes_and_the_audit_entry_names_it(archive, run, anonymous, db):
    token = run("user", "token", "reviewer", "--label", "KoBo sync", "--scope", "write").output.strip()
    response = anonymous.post(f"/api/testimonies/{LEGAL}/consent", json=CONSENT, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    entry = next(store_audit.iter_entries(db, store_audit.AuditFilter(action="consent_changed")))
    assert entry["actor"] == "reviewer" and entry["detail"]["api_token"] == "KoBo sync"
    assert detail_words("consent_changed", entry["detail"]).endswith("through the API token “KoBo sync”")
    assert audit.verify(db) == []


def test_a_session_write_names_no_token_even_after_a_token_request(archive, run, app, signed_in, db):
    token = run("user", "token", "reviewer", "--label", "reader", "--scope", "write").output.strip()
    client, csrf = signed_in("reviewer")
    assert client.get("/api/search", headers=bearer(token)).status_code == 200  # the same thread, a token
    response = client.post(f"/testimonies/{LEGAL}/consent", data={"csrf_token": csrf, **CONSENT})
    assert response.status_code == 303
    entry = next(store_audit.iter_entries(db, store_audit.AuditFilter(action="consent_changed")))
    assert "api_token" not in entry["detail"]


def test_the_account_page_offers_the_scope_and_lists_it(archive, signed_in, db):
    client, csrf = signed_in("lawyer")
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'<input type="radio" id="own-scope-read" name="scope" value="read"[^>]* checked>', page)
    assert '<label for="own-scope-write">Read and write</label>' in page
    client.post("/account/tokens", data={"label": "notebook", "csrf_token": csrf})
    page = client.post("/account/tokens", data={"label": "sync", "scope": "write", "csrf_token": csrf}).get_data(
        as_text=True)
    assert "<td>notebook</td><td>read only</td>" in page and "<td>sync</td><td>read and write</td>" in page
    refused = client.post("/account/tokens", data={"label": "odd", "scope": "admin", "csrf_token": csrf},
                          follow_redirects=True).get_data(as_text=True)
    assert "a token&#39;s scope is read or write, not &#39;admin&#39;" in refused
    assert dict(db.execute("SELECT label, scope FROM api_token").fetchall()) == {"notebook": "read", "sync": "write"}


def test_the_users_page_issues_either_scope(archive, signed_in, db):
    client, csrf = signed_in("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r'id="token-scope-read" name="scope" value="read"[^>]* checked>', page)
    page = client.post("/admin/tokens", data={"user": "coder", "label": "intake", "scope": "write",
                                              "csrf_token": csrf}).get_data(as_text=True)
    assert "It may read and write." in page
    assert client.post("/admin/tokens", data={"user": "coder", "label": "bad", "scope": "all",
                                              "csrf_token": csrf}).status_code == 400
    assert dict(db.execute("SELECT label, scope FROM api_token").fetchall()) == {"intake": "write"}


def test_tokens_made_before_scopes_keep_read_write(tmp_path):
    """An archive whose api_token table has no scope column: migrate adds it, and the old token writes."""
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE user (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE api_token (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES user(id),
            label TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, expires_at TEXT,
            last_used_at TEXT, revoked_at TEXT);
        INSERT INTO user VALUES (1, 'coder');
        INSERT INTO api_token VALUES (1, 1, 'old sync', 'abc', '2026-01-01T00:00:00+00:00', NULL, NULL, NULL);""")
    old.close()
    db = database.connect(path)
    try:
        for column in ("role", "password_hash", "active", "failed_logins", "locked_until", "created_at",
                       "updated_at"):  # what the user table had gained by then (not under test here)
            db.execute(f"ALTER TABLE user ADD COLUMN {column} TEXT")
        database.migrate(db)
        assert db.execute("SELECT scope FROM api_token").fetchall() == [("write",)]
        with database.write_transaction(db):
            accounts.create_token(db, 1, "new one")
        assert dict(db.execute("SELECT label, scope FROM api_token").fetchall()) == {"old sync": "write",
                                                                                   "new one": "read"}
    finally:
        db.close()


def test_the_scope_is_checked_before_the_token_is_noted(archive, run, anonymous, data_dir):
    """A refused write leaves no trace of use, as an unknown token does not either."""
    token = run("user", "token", "reviewer", "--label", "reader").output.strip()
    anonymous.post(f"/api/testimonies/{LEGAL}/consent", json=CONSENT, headers=bearer(token))
    db = service.open_db(data_dir)
    try:
        assert db.execute("SELECT last_used_at FROM api_token").fetchone()[0] is None
    finally:
        db.close()
