"""The audit view through the test client on a real archive: filters, paging, the chain check, CSV, who may."""
import csv
import io
import re

import pytest

from archive.custody import audit
from archive.store import audit as audit_entries
from archive.store.db import write_transaction
from tests.conftest import csrf_token


@pytest.fixture
def admin(signed_in, db):
    """The admin, logged in with the password alone, so that the log begins with one entry, their login
    (the second factor's own entries are tested in tests/web/test_two_factor.py)."""
    from archive.security import two_factor

    with write_transaction(db):
        two_factor.set_required_roles(db, [])
        two_factor.remove(db, db.execute("SELECT id FROM user WHERE name = 'admin'").fetchone()[0])
    client, token = signed_in("admin")
    client.csrf = token
    return client


def entry(db, actor, action, subject=None, detail=None, at=None):
    with write_transaction(db):
        audit.record(db, actor, action, subject, detail)
        if at:  # back-date it, and re-chain from there so the log stays intact
            db.execute("UPDATE audit_event SET at = ? WHERE id = (SELECT max(id) FROM audit_event)", [at])
            _rechain(db)


def _rechain(db):
    previous = audit.GENESIS
    for row in db.query("SELECT * FROM audit_event ORDER BY id"):
        digest = audit._digest(previous, row["at"], row["actor"], row["action"], row["subject"], row["detail"])
        db.execute("UPDATE audit_event SET previous_hash = ?, hash = ? WHERE id = ?", [previous, digest, row["id"]])
        previous = digest


def rows(page):
    """(number, who, what, on what, details) of each entry shown, in order."""
    found = re.findall(r'<td data-label="No." class="number">(\d+)</td>.*?<td data-label="Who" dir="auto">(.*?)</td>\s*'
                       r'<td data-label="What">(.*?)</td>\s*<td data-label="On what" dir="auto">(.*?)</td>\s*'
                       r'<td data-label="Details" class="details">(.*?)</td>', page, re.S)
    return [(int(n), who, what, subject, details) for n, who, what, subject, details in found]


def shown(client, query=""):
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def log(db, admin):
    """The admin's login (entry 1, moved to 29 November), then a small history of marta's and others'."""
    with write_transaction(db):
        db.execute("UPDATE audit_event SET at = '2026-11-29T18:00:00+00:00' WHERE id = 1")
        _rechain(db)
    entry(db, "admin", "user_added", "marta", {"role": "viewer"}, at="2026-11-30T09:00:00+00:00")
    entry(db, "marta", "login", at="2026-12-01T08:00:00+00:00")
    entry(db, "marta", "code_added", "T-2021-0001", {"code": 7}, at="2026-12-01T08:05:00+00:00")
    entry(db, "coder", "code_added", "T-2021-0002", {"code": 8}, at="2026-12-02T10:00:00+00:00")
    entry(db, "admin", "user_changed", "marta", {"active": False}, at="2026-12-03T12:00:00+00:00")
    return db


class TestFilters:
    def test_everything_newest_first_with_its_number_and_words(self, admin, log):
        page = shown(admin)
        assert [r[0] for r in rows(page)] == [6, 5, 4, 3, 2, 1]
        assert rows(page)[0] == (6, "admin", "Account changed", "marta", "locked")
        assert '<time datetime="2026-12-03T12:00:00+00:00" data-local="minute" title="3 Dec 2026, 12:00 UTC">' \
               '3 Dec 2026, 12:00 UTC</time>' in page
        assert "6 entries, newest first." in page

    def test_a_users_history_holds_what_they_did_and_what_was_done_to_their_account(self, admin, log):
        assert [(r[1], r[2]) for r in rows(shown(admin, "?user=marta"))] == [
            ("admin", "Account changed"), ("marta", "Code added"), ("marta", "Logged in"), ("admin", "Account added")]

    def test_user_names_are_matched_without_case_as_accounts_are(self, admin, log):
        assert len(rows(shown(admin, "?user=MARTA"))) == 4

    def test_by_testimony(self, admin, log):
        assert [r[:4] for r in rows(shown(admin, "?testimony=T-2021-0002"))] == [(5, "coder", "Code added", "T-2021-0002")]

    def test_by_kind_of_event(self, admin, log):
        assert [r[0] for r in rows(shown(admin, "?action=code_added"))] == [5, 4]

    @pytest.mark.parametrize("query, numbers", [
        ("?from=2026-12-01&to=2026-12-01", [4, 3]),       # a day, both ends included
        ("?from=2026-12-02", [6, 5]),
        ("?to=2026-11", [2, 1]),                          # a month: through its last day
        ("?from=2026-12&user=marta", [6, 4, 3]),
    ])
    def test_by_period(self, admin, log, query, numbers):
        assert [r[0] for r in rows(shown(admin, query))] == numbers

    def test_a_bad_date_is_named_beside_its_field_and_the_rest_still_filters(self, admin, log):
        page = shown(admin, "?user=marta&from=2026-02-30&to=2026-12-01")
        assert re.search(r'id="filter-from"[^>]*value="2026-02-30"[^>]*aria-invalid="true"', page)
        assert '<span class="field-error" id="filter-from-error">Not used: &#39;2026-02-30&#39; does not exist' in page
        assert [r[0] for r in rows(page)] == [4, 3, 2]   # marta, up to 1 Dec: the user and `to` still apply

    def test_a_period_that_ends_before_it_starts_is_named_on_to(self, admin, log):
        page = shown(admin, "?from=2026-12-03&to=2026-12-01")
        assert 'id="filter-to-error">Not used: the period ends before it starts' in page
        assert [r[0] for r in rows(page)] == [6]

    def test_unknown_parameters_and_blank_fields_are_ignored(self, admin, log):
        assert len(rows(shown(admin, "?user=&testimony=+&action=&colour=red"))) == 6

    def test_the_kinds_of_event_are_offered_in_words(self, admin, log):
        page = shown(admin)
        assert '<option value="code_added">Code added</option>' in page
        assert '<option value="login_failed">Failed login</option>' in page

    def test_what_was_recorded_is_escaped(self, admin, db):
        entry(db, "<script>alert(1)</script>", "login_failed")
        page = shown(admin)
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


class TestPaging:
    @pytest.fixture
    def long_log(self, db, admin):
        with write_transaction(db):
            for n in range(119):
                audit.record(db, "coder", "code_added", f"T-2021-{n:04d}", {"code": n})
        return db  # 120 entries with the admin's login

    def test_fifty_a_page_newest_first(self, admin, long_log):
        first, second, third = (rows(shown(admin, f"?page={n}")) for n in (1, 2, 3))
        assert [r[0] for r in first] == list(range(120, 70, -1))
        assert [r[0] for r in second] == list(range(70, 20, -1))
        assert [r[0] for r in third] == list(range(20, 0, -1))
        assert "Page 2 of 3" in shown(admin, "?page=2")

    def test_the_pages_keep_the_filter(self, admin, long_log):
        page = shown(admin, "?action=code_added&page=2")
        assert 'href="/admin/audit?action=code_added&amp;page=3"' in page
        assert 'href="/admin/audit?action=code_added&amp;page=1"' in page

    @pytest.mark.parametrize("page", ["99", "0", "x"])
    def test_a_page_out_of_range_shows_a_page_that_exists(self, admin, long_log, page):
        assert rows(shown(admin, f"?page={page}"))


class TestChainCheck:
    def check(self, client, **form):
        response = client.post("/admin/audit/check", data={"csrf_token": client.csrf, **form})
        return response.status_code, response.get_data(as_text=True)

    def test_an_intact_chain_shows_its_head_and_how_to_give_it_back(self, admin, log):
        count, digest = audit.head(log)
        status, page = self.check(admin)
        assert status == 200 and "<strong>The chain is intact</strong>: 6 entries" in page
        assert f"<code class=\"head\">{count}:{digest}</code>" in page
        assert f"archive audit verify --expect-head {count}:{digest}" in page

    def test_a_tampered_entry_is_named(self, admin, log):
        log.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 3")
        status, page = self.check(admin)
        assert "<strong>The chain is broken</strong>: 1 problem." in page
        assert "entry 3: its content does not match its hash (it was altered)" in page
        assert 'class="head"' not in page  # no head to keep from a broken chain

    def test_a_removed_entry_is_named(self, admin, log):
        log.execute("DELETE FROM audit_event WHERE id = 4")
        _, page = self.check(admin)
        assert "entry 5: does not follow the entry before it" in page

    def test_a_head_given_back_still_passes_after_more_entries(self, admin, log):
        count, digest = audit.head(log)
        entry(log, "marta", "login")
        _, page = self.check(admin, **{"expect-head": f"{count}:{digest}"})
        assert f"it still passes through the head you gave (entry {count})" in page

    def test_entries_removed_from_the_end_are_found_against_a_head(self, admin, log):
        count, digest = audit.head(log)
        log.execute("DELETE FROM audit_event WHERE id = ?", [count])
        _, page = self.check(admin, **{"expect-head": f"{count}:{digest}"})
        assert "entries are missing from the end" in page

    def test_a_malformed_head_is_refused_with_the_form(self, admin, log):
        status, page = self.check(admin, **{"expect-head": "six:abc"})
        assert status == 400 and "The chain was not checked: write it as COUNT:HASH" in page

    def test_checking_is_not_itself_logged(self, admin, log):
        before = audit.head(log)
        self.check(admin)
        assert audit.head(log) == before


class TestCsv:
    def export(self, client, **form):
        response = client.post("/admin/audit/export.csv", data={"csrf_token": client.csrf, **form})
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert re.fullmatch(r'attachment; filename="audit-log-\d{8}-\d{6}\.csv"', response.headers["Content-Disposition"])
        return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))

    def test_the_filtered_view_every_page_of_it(self, admin, log):
        exported = self.export(admin, user="marta")
        assert [(r["number"], r["actor"], r["what"], r["subject"], r["details"]) for r in exported] == [
            ("6", "admin", "Account changed", "marta", "locked"), ("4", "marta", "Code added", "T-2021-0001", "code no. 7"),
            ("3", "marta", "Logged in", "", ""), ("2", "admin", "Account added", "marta", "role viewer")]
        assert exported[0]["when"] == "3 Dec 2026, 12:00 UTC" and exported[0]["at"] == "2026-12-03T12:00:00+00:00"

    def test_rows_carry_what_the_chain_hashed(self, admin, log):
        (row,) = [r for r in self.export(admin) if r["number"] == "6"]
        stored = next(log.query("SELECT * FROM audit_event WHERE id = 6"))
        assert (row["detail_json"], row["previous_hash"], row["hash"]) == (
            stored["detail"], stored["previous_hash"], stored["hash"])
        assert audit._digest(row["previous_hash"], row["at"], row["actor"], row["action"], stored["subject"],
                             row["detail_json"]) == row["hash"]

    def test_formula_cells_are_neutralised(self, admin, db):
        entry(db, "=HYPERLINK(\"http://evil.example\",\"x\")", "login_failed")
        entry(db, "@SUM(A1)", "login_failed")
        entry(db, "-2+3", "login_failed", "+T-1")
        exported = self.export(admin)
        assert [r["actor"] for r in exported[:3]] == ["'-2+3", "'@SUM(A1)", "'=HYPERLINK(\"http://evil.example\",\"x\")"]
        assert exported[0]["subject"] == "'+T-1"

    def test_the_export_is_logged_and_is_a_snapshot(self, admin, log):
        exported = self.export(admin, action="code_added")
        last = next(log.query("SELECT * FROM audit_event ORDER BY id DESC LIMIT 1"))
        assert (last["actor"], last["action"]) == ("admin", "audit_exported")
        assert '"entries": 2' in last["detail"] and '"filter": {"action": "code_added"}' in last["detail"]
        assert [r["number"] for r in exported] == ["5", "4"]
        # The next export covers the log up to its own record: the first export's record is in it.
        everything = self.export(admin)
        assert [r["number"] for r in everything][:2] == [str(last["id"]), "6"]
        assert everything[0]["what"] == "Audit log exported"
        assert everything[0]["details"] == "2 entries; up to no. 6; filtered by action code_added"

    def test_a_bad_date_in_the_form_is_left_out(self, admin, log):
        assert len(self.export(admin, **{"from": "2026-13-01", "user": "marta"})) == 4


WHO = ["coder", "reviewer", "lawyer", "viewer"]
ENDPOINTS = [("GET", "/admin/audit"), ("POST", "/admin/audit/check"), ("POST", "/admin/audit/export.csv")]


class TestWhoMay:
    @pytest.mark.parametrize("name", WHO)
    @pytest.mark.parametrize("method, path", ENDPOINTS)
    def test_every_other_role_gets_403(self, signed_in, log, name, method, path):
        client, token = signed_in(name)
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 403 and b"Not open to your role" in response.data
        if path.endswith(".csv"):
            assert not list(log.query("SELECT 1 FROM audit_event WHERE action = 'audit_exported'"))

    @pytest.mark.parametrize("method, path", ENDPOINTS)
    def test_anonymous_visitors_are_sent_to_log_in(self, anonymous, log, method, path):
        response = anonymous.open(path, method=method, data={"csrf_token": csrf_token(anonymous, "/login")})
        assert response.status_code == 302 and response.location.startswith("/login?next=")

    @pytest.mark.parametrize("name, shown_", [("admin", True), ("reviewer", False), ("viewer", False)])
    def test_the_menu_offers_it_only_to_roles_that_may_use_it(self, signed_in, users, name, shown_):
        client, _ = signed_in(name)
        assert ('href="/admin/audit">Audit log</a>' in client.get("/account").get_data(as_text=True)) is shown_


def test_find_entries_reads_an_altered_detail_without_failing(db):
    audit.record(db, "tester", "login")
    db.execute("UPDATE audit_event SET detail = 'not json'")
    (found,) = audit_entries.find_entries(db, audit_entries.AuditFilter())
    assert found["detail"] == {"unreadable": "not json"}
