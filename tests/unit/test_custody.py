"""Chain of custody: statement hashes, the audit chain, backups under load, restores that lose nothing."""
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from archive import custody, service
from archive.config import DataDir
from archive.custody import audit
from tests.factories import record


@pytest.fixture
def archive_with_statements(import_records):
    import_records([record(n) for n in range(1, 6)])


def test_verify_finds_a_statement_altered_behind_the_archive(archive_with_statements, data_dir, db, run):
    assert run("verify").exit_code == 0
    db.execute("UPDATE testimony SET text = text || ' (edited)' WHERE reference = 'T-2021-0003'")
    result = run("verify")
    assert result.exit_code == 1
    assert "T-2021-0003: the text does not match the SHA-256 taken at intake" in result.output


class TestAuditChain:
    @pytest.fixture
    def chained(self, db):
        for n in range(5):
            audit.record(db, "tester", "view", f"T-2021-000{n}", {"n": n})
        return db

    def test_an_intact_chain_verifies_and_imports_are_recorded(self, archive_with_statements, db):
        assert audit.verify(db) == []
        (entry,) = db.query("SELECT actor, action, subject, detail FROM audit_event")
        assert entry["actor"] == "tester" and entry["action"] == "import" and '"imported": 5' in entry["detail"]

    def test_an_altered_entry_is_found(self, chained):
        chained.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 3")
        assert audit.verify(chained) == ["entry 3: its content does not match its hash (it was altered)"]

    def test_a_removed_entry_is_found(self, chained):
        chained.execute("DELETE FROM audit_event WHERE id = 2")
        assert audit.verify(chained) == [
            "entry 3: does not follow the entry before it (an entry was removed, inserted or reordered)"]

    def test_reordered_entries_are_found(self, chained):
        rows = {r["id"]: r for r in chained.query("SELECT * FROM audit_event")}
        for target, origin in ((2, 4), (4, 2)):
            values = {k: v for k, v in rows[origin].items() if k != "id"}
            chained["audit_event"].update(target, values)
        assert len(audit.verify(chained)) >= 2

    def test_entries_removed_from_the_end_are_found_against_the_head(self, chained, run):
        count, digest = audit.head(chained)
        assert run("audit", "verify", "--expect-head", f"{count}:{digest}").exit_code == 0
        chained.execute("DELETE FROM audit_event WHERE id = 5")
        assert audit.verify(chained) == []  # a shorter chain is still a chain…
        result = run("audit", "verify", "--expect-head", f"{count}:{digest}")
        assert result.exit_code == 1 and "missing from the end" in result.output  # …but not the one kept

    def test_a_head_given_back_still_verifies_after_more_entries(self, chained, run):
        count, digest = audit.head(chained)
        audit.record(chained, "tester", "login")
        assert audit.verify(chained, (count, digest)) == []
        assert run("audit", "verify", "--expect-head", f"{count}:{digest}").exit_code == 0

    def test_a_chain_rewritten_from_the_start_does_not_pass_through_the_head(self, chained, run):
        count, digest = audit.head(chained)
        chained.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 2")
        previous = audit.GENESIS
        for row in chained.query("SELECT * FROM audit_event ORDER BY id"):  # re-hash it all: it looks intact
            new = audit._digest(previous, row["at"], row["actor"], row["action"], row["subject"], row["detail"])
            chained.execute("UPDATE audit_event SET previous_hash = ?, hash = ? WHERE id = ?", [previous, new, row["id"]])
            previous = new
        assert audit.verify(chained) == []
        result = run("audit", "verify", "--expect-head", f"{count}:{digest}")
        assert result.exit_code == 1 and "the chain was rewritten up to there" in result.output


class TestBackupAndRestore:
    def test_backup_under_writes_restores_to_a_consistent_archive(self, data_dir, import_records, tmp_path):
        import_records([record(n) for n in range(1, 4)])
        stop, written = threading.Event(), []

        def keep_writing():  # another connection commits testimonies while the backup runs
            n = 100
            while not stop.is_set() and n < 160:
                import_records([record(n)])
                written.append(n)
                n += 1

        writer = threading.Thread(target=keep_writing)
        writer.start()
        copies = [custody.backup(data_dir, tmp_path / f"copy-{i}.db", "tester") for i in range(3)]
        stop.set()
        writer.join()
        assert written, "the writer should have committed during the backups"
        for copy in copies:
            restored = DataDir.at(tmp_path / f"restored-{copy.stem}")
            restored.root.mkdir()
            assert custody.restore(restored, copy, "tester") is None  # nothing replaced
            problems, drift = service.check(restored)
            assert problems == [] and not drift
            db = service.open_db(restored)
            count = db["testimony"].count
            assert db["code"].count == 3 * count  # every testimony with all of its codes, none half-written
            assert audit.verify(db) == []
            db.close()
            assert 3 <= count <= 3 + len(written)

    @pytest.mark.slow
    def test_backup_while_other_processes_write_holds_every_write_acknowledged_before_it(
            self, data_dir, import_records, tmp_path):
        import_records([record(n) for n in range(1, 6)])
        importer = _Acknowledging(data_dir, "imports", "W", WRITING_SECONDS)
        coder = _Acknowledging(data_dir, "codes", WRITING_SECONDS, 3)
        importer.wait_for_first()
        coder.wait_for_first()
        copies = []
        for n in range(3):
            before = (set(importer.acknowledged), {int(i) for i in coder.acknowledged})
            target = tmp_path / f"live-{n}.db"
            done = subprocess.run([sys.executable, "-m", "archive.cli", "--data", str(data_dir.root), "backup",
                                   str(target)], capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            copies.append((target, before))
            time.sleep(0.5)
        importer.finish()
        coder.finish()
        assert len(importer.acknowledged) > len(copies[0][1][0]), "the importer should have written during backups"
        for copy, (references, code_ids) in copies:
            restored = DataDir.at(tmp_path / f"restored-{copy.stem}")
            restored.root.mkdir()
            custody.restore(restored, copy, "tester")
            problems, drift = service.check(restored)
            assert problems == [] and not drift
            db = service.open_db(restored)
            try:
                assert references <= {r[0] for r in db.execute("SELECT reference FROM testimony")}
                assert code_ids <= {r[0] for r in db.execute("SELECT id FROM code")}
                assert db.execute("SELECT count(*) FROM code WHERE id NOT IN "
                                  "(SELECT entity_id FROM history WHERE entity = 'code')").fetchone()[0] == 0
                assert db.execute("SELECT min(n) FROM (SELECT count(c.id) AS n FROM testimony t "
                                  "LEFT JOIN code c ON c.testimony_id = t.id GROUP BY t.id)").fetchone()[0] >= 3
                assert audit.verify(db) == []
            finally:
                db.close()

    def test_restore_keeps_the_database_it_replaces(self, data_dir, import_records, tmp_path, run):
        import_records([record(1)])
        backup_path = custody.backup(data_dir, tmp_path, "tester")  # a directory: a new file in it
        import_records([record(2)])  # committed after the backup
        result = run("restore", backup_path, "--yes")
        assert result.exit_code == 0, result.output
        db = service.open_db(data_dir)
        assert [r[0] for r in db.execute("SELECT reference FROM testimony")] == ["T-2021-0001"]
        db.close()
        (kept,) = data_dir.root.glob("archive.db.before-restore-*")
        with sqlite3.connect(kept) as old:
            assert old.execute("SELECT count(*) FROM testimony").fetchone()[0] == 2  # nothing lost
        assert run("check").exit_code == 0

    def test_a_backup_never_overwrites(self, data_dir, tmp_path, run):
        target = tmp_path / "taken.db"
        target.write_text("something precious")
        result = run("backup", target)
        assert result.exit_code == 1 and "never overwrites" in result.output
        assert target.read_text() == "something precious"

    @pytest.mark.parametrize("content, message", [
        (b"not a database at all", "not an SQLite database"),
        (None, "not an archive database"),
    ])
    def test_restore_refuses_what_is_not_an_archive(self, data_dir, tmp_path, run, content, message):
        source = tmp_path / "suspect.db"
        if content is None:
            sqlite3.connect(source).execute("CREATE TABLE other (x)").connection.commit()
        else:
            source.write_bytes(content)
        result = run("restore", source, "--yes")
        assert result.exit_code == 1 and message in result.output
        assert service.open_db(data_dir) is not None  # the archive is untouched


WRITING_SECONDS = 8


class _Acknowledging:
    """A writer process (tests/workers.py) and the writes it has acknowledged so far, read as they come."""

    def __init__(self, data_dir, command, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.workers", command, str(data_dir.root), *map(str, args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.acknowledged, self.first = [], threading.Event()
        self.reader = threading.Thread(target=self._read)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.acknowledged.append(line.strip())
            self.first.set()
        self.first.set()

    def wait_for_first(self):
        assert self.first.wait(120) and self.acknowledged, self.process.stderr.read()

    def finish(self):
        self.process.wait(timeout=120)
        self.reader.join()
        assert self.process.returncode == 0, self.process.stderr.read()
