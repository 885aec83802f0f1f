"""Chain of custody: statements checked against their hashes, consistent backups, safe restores.

A backup is taken with SQLite's online backup API, so it is complete and consistent while the
archive is in use (copying a live WAL database file is not). A restore keeps the
database it replaces, and rebuilds the index from the restored one.
"""
import os
import sqlite3
import time
from pathlib import Path

from archive import errors, service, store
from archive.custody import audit
from archive.custody.hashing import file_sha256, text_sha256
from archive.i18n import say
from archive.store import db as database


class CustodyError(errors.Refused):
    """A backup or restore that cannot be done safely; nothing was changed."""


def verify_texts(db):
    """[(reference, problem)] for every statement whose text no longer matches its SHA-256."""
    mismatches = []
    for reference, text, sha256 in store.statements(db):
        if text_sha256(text) != sha256:
            mismatches.append((reference, "the text does not match the SHA-256 taken at intake"))
    return mismatches


def backup(data_dir, destination, actor):
    """Copy the database to `destination` (a new file, or a directory to put one in); return its path."""
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / f"archive-{time.strftime('%Y%m%d-%H%M%S')}.db"
    if destination.exists():
        raise CustodyError(say("%(path)s already exists; a backup never overwrites a file", path=destination))
    partial = destination.with_name(destination.name + ".partial")
    _copy(data_dir.database, partial)
    os.replace(partial, destination)
    db = service.open_db(data_dir)
    try:
        with database.write_transaction(db):
            audit.record(db, actor, "backup", destination.name, {"sha256": file_sha256(destination),
                                                                   "path": str(destination.resolve())})
    finally:
        db.close()
    return destination


def restore(data_dir, source, actor):
    """Replace the database with the backup `source`, keeping the one replaced beside it (its path is
    returned; None when there was none). Brings an older backup's schema up to date, then reindexes."""
    source = Path(source)
    _check_backup(source)
    kept = None
    if data_dir.database.exists():
        kept = data_dir.root / f"archive.db.before-restore-{time.strftime('%Y%m%d-%H%M%S')}"
        _copy(data_dir.database, kept)
        _release_wal(data_dir.database)
    incoming = data_dir.root / "archive.db.restoring"
    _copy(source, incoming)
    os.replace(incoming, data_dir.database)
    db = database.connect(data_dir.database)
    try:
        database.migrate(db)
        with database.write_transaction(db):
            audit.record(db, actor, "restore", source.name,
                         {"sha256": file_sha256(source), "replaced_database_kept_as": kept.name if kept else None})
    finally:
        db.close()
    service.reindex(data_dir)
    return kept


def _copy(source, target):
    """A consistent copy through the online backup API, even while others write to `source`."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=database.BUSY_TIMEOUT_S)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _check_backup(source):
    if not source.is_file():
        raise CustodyError(say("%(path)s is not a file", path=source))
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise CustodyError(say("%(path)s is not an SQLite database", path=source)) from None
    if not ok:
        raise CustodyError(say("%(path)s fails SQLite's integrity check; it was not restored", path=source))
    if not {"meta", "testimony", "code", "history"} <= tables:
        raise CustodyError(say("%(path)s is not an archive database", path=source))


def _release_wal(path):
    """Fold the write-ahead log into the file and remove it, so it cannot be replayed onto another one."""
    connection = sqlite3.connect(path, timeout=database.BUSY_TIMEOUT_S)
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    if busy:
        raise CustodyError(say("the archive is in use (is `archive serve` running?); stop it and restore again"))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

