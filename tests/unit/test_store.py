"""The SQLite store: what is kept, what is kept apart, and that every change is recorded."""
import json

import pytest

from archive import store
from archive.store.db import write_transaction
from tests.factories import record


@pytest.fixture
def one(import_records):
    import_records([record(1, witness_name="Fictional Name 1", witness_contact="+48 000 000 001")])


def test_a_testimony_comes_back_with_its_witness_and_codes(one, db):
    testimony = store.get_testimony(db, "T-2021-0001")
    assert testimony["witness"] == {"pseudonym": "Witness A-1", "gender": "male", "age": 34, "age_band": None,
                                    "nationality": "SY", "minor": 0}
    assert [(c["abuse_type"], c["perpetrators"], c["place_id"], c["date_text"], c["date_precision"])
            for c in testimony["codes"]] == [
        ("dog_attack", ["by_military_special"], "kuznica", "2021-11", "month"),
        ("beating", ["by_military_special"], "kuznica", "2021-11", "month"),
        ("theft", ["by_military_special"], "kuznica", "2021-11", "month")]
    assert all(c["passage_start"] is None and c["coder"] == "tester" for c in testimony["codes"])
    assert testimony["consent_recorded_by"] == "tester" and testimony["status"] == "new"


def test_identifying_fields_are_only_in_their_own_table(one, db):
    testimony = store.get_testimony(db, "T-2021-0001")
    everything_else = json.dumps([testimony, list(db["history"].rows), list(db["witness"].rows),
                                  store.testimonies_by_reference(db, ["T-2021-0001"])], default=str)
    assert "Fictional Name 1" not in everything_else and "+48 000 000 001" not in everything_else
    assert store.get_witness_identity(db, testimony["witness_id"]) == {
        "name": "Fictional Name 1", "contact": "+48 000 000 001"}


def test_every_change_is_kept_with_who_when_and_why(one, db):
    testimony_before = store.get_testimony_row(db, "T-2021-0001")
    with write_transaction(db):
        store.update_testimony(db, "T-2021-0001", {"status": "in_progress", "consent": "publication"},
                               "coder-anna", "witness extended consent by phone")
    history = store.history_of(db, "T-2021-0001")
    assert [(h["entity"], h["action"]) for h in history] == [("testimony", "create")] + [("code", "create")] * 3 + [
        ("testimony", "update")]
    change = history[-1]
    assert change["old"] == {"status": "new", "consent": "legal", "consent_recorded_at": testimony_before["consent_recorded_at"],
                             "consent_recorded_by": "tester"}
    assert change["new"]["status"] == "in_progress" and change["new"]["consent"] == "publication"
    assert change["actor"] == "coder-anna" and change["reason"] == "witness extended consent by phone"
    testimony = store.get_testimony_row(db, "T-2021-0001")
    assert testimony["revision"] == 2 and testimony["consent_recorded_by"] == "coder-anna"


def test_an_unchanged_value_writes_no_history(one, db):
    with write_transaction(db):
        store.update_testimony(db, "T-2021-0001", {"status": "new"}, "coder-anna", "no-op")
    assert len(store.history_of(db, "T-2021-0001")) == 4
    assert store.get_testimony_row(db, "T-2021-0001")["revision"] == 1


@pytest.mark.parametrize("changes", [{"text": "rewritten"}, {"sha256": "0" * 64}, {"reference": "T-X"}])
def test_the_text_and_its_hash_cannot_be_edited(one, db, changes):
    with pytest.raises(ValueError, match="not editable"):
        store.update_testimony(db, "T-2021-0001", changes, "someone", "tampering")


def test_a_failed_transaction_leaves_nothing(one, db):
    with pytest.raises(RuntimeError):
        with write_transaction(db):
            store.update_testimony(db, "T-2021-0001", {"status": "coded"}, "coder", "x")
            raise RuntimeError("power cut")
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "new"
    assert len(store.history_of(db, "T-2021-0001")) == 4


def test_the_database_refuses_values_outside_the_vocabulary(one, db):
    import sqlite3
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE testimony SET consent = 'maybe'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO code (testimony_id, abuse_type, coder, codebook_version, created_at, updated_at) "
                   "VALUES (1, 'not_a_type', 'x', '1', 'now', 'now')")


def test_next_reference_continues_the_year(one, db):
    assert store.next_reference(db, 2021) == "T-2021-0002"
    assert store.next_reference(db, 2023) == "T-2023-0001"


def test_unknown_reference(db):
    with pytest.raises(store.NotFound):
        store.get_testimony(db, "T-1999-0001")


OLD_CASE_FILE = """CREATE TABLE case_file (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""


def test_an_archive_from_when_case_file_names_were_everyone_s_is_migrated(one, data_dir):
    """Names unique across owners would tell one lawyer that another's case exists: made per owner."""
    import sqlite3

    from archive import service

    old = sqlite3.connect(data_dir.database, isolation_level=None)
    old.execute("PRAGMA foreign_keys = OFF")
    old.execute("DROP TABLE case_file")
    old.execute(OLD_CASE_FILE)
    old.execute("INSERT INTO case_file VALUES (7, 'Kuźnica 2021', 'lawyer', '2026-01-01', '2026-01-01')")
    old.execute("INSERT INTO case_file_testimony VALUES (7, 1, 'lawyer', '2026-01-01')")
    old.execute("INSERT INTO export_record (at, actor, format, options, case_file_id, records, left_out, identified, "
                "sha256) VALUES ('2026-01-02', 'lawyer', 'csv', '{}', 7, 1, '{}', 0, 'x')")
    old.close()
    service.init(data_dir)  # as `archive init`, `archive serve` and every import do
    db = service.open_db(data_dir)
    try:
        assert "UNIQUE (created_by, name)" in db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'case_file'").fetchone()[0]
        assert store.get_case_file(db, 7)["name"] == "Kuźnica 2021"
        assert store.case_file_references(db, 7) == ["T-2021-0001"]
        assert db.execute("SELECT case_file_id FROM export_record").fetchall() == [(7,)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with write_transaction(db):
            store.insert_case_file(db, "kuźnica 2021", "lawyer2")  # another owner's, of the same name
        with pytest.raises(sqlite3.IntegrityError), write_transaction(db):
            store.insert_case_file(db, "kuźnica 2021", "lawyer")
    finally:
        db.close()
    service.init(data_dir)  # a second run changes nothing


def test_an_archive_from_before_refi_qda_exports_accepts_them_after_migration(one, data_dir):
    """export_record's CHECK named three formats: rebuilt with qdpx, its rows and references kept."""
    import sqlite3

    from archive import service

    old = sqlite3.connect(data_dir.database, isolation_level=None)
    found = old.execute("SELECT sql FROM sqlite_master WHERE name = 'export_record'").fetchone()[0]
    old.execute("PRAGMA foreign_keys = OFF")
    old.execute("DROP TABLE export_record")
    old.execute(found.replace(", 'qdpx')", ")"))
    old.execute("INSERT INTO export_record (id, at, actor, format, options, records, left_out, identified, sha256) "
                "VALUES (3, '2026-01-02', 'lawyer', 'csv', '{}', 1, '{}', 0, 'x')")
    old.execute("INSERT INTO export_testimony VALUES (3, 1, 0)")
    with pytest.raises(sqlite3.IntegrityError):
        old.execute("INSERT INTO export_record (at, actor, format, options, records, left_out, identified, sha256) "
                    "VALUES ('2026-01-02', 'lawyer', 'qdpx', '{}', 1, '{}', 0, 'x')")
    old.close()
    service.init(data_dir)
    db = service.open_db(data_dir)
    try:
        with write_transaction(db):
            store.insert_export_record(db, {"actor": "lawyer", "format": "qdpx", "options": {}, "search": None,
                                            "case_file_id": None, "records": 1, "left_out": {}, "identified": 0,
                                            "sha256": "y"})
        assert db.execute("SELECT id, format FROM export_record ORDER BY id").fetchall() == [(3, "csv"), (4, "qdpx")]
        assert db.execute("SELECT export_id FROM export_testimony").fetchall() == [(3,)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
