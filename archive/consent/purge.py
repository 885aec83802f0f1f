"""Purge: erase a withdrawn testimony for good, from SQLite, from the search index and from the files
on disk, keeping only what proves what was there and what was done.

Kept: the testimony row as a tombstone (reference, the SHA-256 of the statement as received and as
stored, when it was added and purged), the history entries (what was done, by whom, when; their
copies of values and reasons are cleared), the export records, and the purge itself (when, who, why,
and the case files, exports and backups it touched) in history and the audit log, so that
`archive audit verify` still passes and an earlier export's hashes can still be explained.

Erased: the text, title and interview details, the codes and their passages, redactions, dismissed
suggestions, double-coding assignments, case-file entries, the witness and their identity, and any
export file still waiting on the server (archive/export/jobs.py).

1. One write transaction, with `PRAGMA secure_delete = ON`, erases the rows and marks the purge
   pending (meta `purges_pending`). SQLite is the truth: a kill before COMMIT leaves the whole
   testimony, after it none of it.
2. `finish` then wipes the files: waiting export files; the index (its documents deleted and every
   segment holding a trace of them rewritten: search_index.purging.purge); SQLite's free pages and
   the old copies in its pages (`VACUUM`) and its write-ahead log (`wal_checkpoint(TRUNCATE)`). Only
   then is the purge no longer pending. Each step can run again: after a kill, `archive check` names
   the unfinished purge, and `archive reindex` (a new index from SQLite, then `finish`) completes it.
"""
import logging
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from archive import consent, errors, store
from archive.custody import audit
from archive.i18n import say
from archive.security import access
from archive.store import consent as store_consent
from archive.store.db import rewrite_every_page, secure_delete, truncate_log, write_transaction
from search_index import indexer, purging

log = logging.getLogger(__name__)
CHECKPOINT_ATTEMPTS = 5
LEFTOVER_AGE_S = 3600  # export work files older than this belong to no live request or job


class PurgeError(errors.Invalid):
    """A purge the rules refuse: `field` names the input at fault (None: the request as a whole)."""

    def __init__(self, field, message, status=422):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


@dataclass
class Finished:
    """What `finish` did, and whether the files are wiped (`complete`)."""
    testimonies: list = field(default_factory=list)
    documents_copied: int = 0          # live documents of the rewritten index segments
    files_removed: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    complete: bool = True
    problem: str = None


@dataclass
class Purged:
    reference: str
    record: dict       # what the purge entry in history holds
    finished: Finished


def purge(data_dir, db, reference, request, user, wipe=True):
    """Purge the withdrawn testimony `reference`: `request` is PurgeSchema's (confirmation, reason).
    Once committed, its document is deleted from the index at once (no search finds or counts it);
    then, with `wipe`, the files are wiped before returning (`finish`); without, the caller starts
    `finish_in_background`. Raises store.NotFound and PurgeError."""
    if not access.can(user, "purge"):
        raise PurgeError(None, say("only an admin may purge a testimony"), 403)
    if request["confirmation"].strip() != reference:
        raise PurgeError(field="confirmation", message=say(
            "type the reference exactly as it is written (%(reference)s) to confirm", reference=reference))
    with secure_delete(db), write_transaction(db):  # what it deletes is overwritten, not only unlinked
        testimony = store_consent.testimony_or_tombstone(db, reference)
        _check(testimony)
        stamp = store.now()
        follows = consent.consequences(db, testimony, data_dir)
        files = store_consent.release_export_files(db, [testimony["id"]], stamp)
        removed = store_consent.erase(db, testimony, stamp)
        record = _record(testimony, follows, files, removed)
        store.record_history(db, testimony["id"], "testimony", testimony["id"], "purge", None, record,
                             user["name"], request["reason"].strip(), stamp)
        audit.record(db, user["name"], "purged", reference, {
            "sha256": testimony["sha256"], "sha256_received": testimony["sha256_received"],
            "reason": request["reason"].strip(), "case_files": [c["id"] for c in follows["case_files"]],
            "exports": [e["id"] for e in follows["exports"]], "export_files_removed": len(files)})
        store_consent.add_pending_purge(db, testimony["id"], files)
    _hide(data_dir, testimony["id"])
    return Purged(reference, record, finish(data_dir, db) if wipe else None)


def _hide(data_dir, testimony_id):
    """The index's document deleted at once; a failure here is repaired by `finish` (or reindex)."""
    try:
        purging.hide(data_dir.index, [testimony_id])
    except Exception as err:  # noqa: BLE001 - SQLite has committed; the purge is pending until wiped
        log.warning("purged testimony %s not yet deleted from the index (%s)", testimony_id, type(err).__name__)


def pending(db):
    """References of the purges whose files are not wiped yet."""
    return store_consent.references_of(db, store_consent.pending_purges(db)["testimonies"])


_one_at_a_time = threading.Lock()
_background = []


def finish_in_background(data_dir):
    """Wipe the files of every pending purge in a thread of this process (the web app: a large
    segment takes its time to rewrite); purges made meanwhile are wiped too. Returns the thread."""
    thread = threading.Thread(target=_finish_all, args=(data_dir,), daemon=True, name="purge-finish")
    _background.append(thread)
    thread.start()
    return thread


def wait_for_background(timeout=120):
    """Until every wipe started by finish_in_background is over (tests; a clean shutdown)."""
    while _background:
        _background.pop().join(timeout)


def _finish_all(data_dir):
    with _one_at_a_time:
        from archive import service

        db = service.open_db(data_dir)
        try:
            while store_consent.pending_purges(db)["testimonies"]:
                if not finish(data_dir, db).complete:
                    break
        except Exception as err:  # noqa: BLE001 - still pending: `archive check` names it, reindex completes it
            log.error("purge not finished: %s", type(err).__name__)
        finally:
            db.close()


def init_app(app):
    """At the server's start: finish what a stopped server left pending."""
    data_dir = app.config["DATA_DIR"]
    if not data_dir.exists():
        return
    from archive import service

    db = service.open_db(data_dir)
    try:
        left = store_consent.pending_purges(db)
    finally:
        db.close()
    unfinished = left["testimonies"] or left["files"]
    if unfinished:
        finish_in_background(data_dir)


def _check(testimony):
    if testimony["purged_at"]:
        raise PurgeError(None, say("%(reference)s was already purged (%(purged)s)", reference=testimony["reference"],
                                   purged=testimony["purged_at"]), 409)
    if testimony["consent"] != "withdrawn":
        raise PurgeError(None, say("%(reference)s is not withdrawn (its consent is %(consent)s): record the "
                                   "withdrawal first, which takes effect at once and can be undone; a purge cannot",
                                   reference=testimony["reference"], consent=testimony["consent"]), 409)


def _record(testimony, follows, files, removed):
    """The purge's entry in history: hashes, and where the testimony had been (no statement words)."""
    return {
        "reference": testimony["reference"], "sha256": testimony["sha256"],
        "sha256_received": testimony["sha256_received"], "added": testimony["created_at"],
        "case_files": [{k: c[k] for k in ("id", "name", "owner")} for c in follows["case_files"]],
        "exports": [{k: e[k] for k in ("id", "at", "actor", "format", "identified")} for e in follows["exports"]],
        "unlisted_exports": [e["id"] for e in follows["unlisted_exports"]],
        "backups": follows["backups"] + [{"name": Path(kept["path"]).name, "path": kept["path"], "at": kept["at"],
                                          "actor": "archive restore"} for kept in follows["kept_databases"]],
        "export_files_removed": len(files), "removed": removed,
    }


def finish(data_dir, db):
    """Wipe the files of every pending purge (see the module's docstring); safe to repeat. Returns
    Finished; `complete` is False when SQLite's log could not be emptied (readers held it): the purge
    stays pending, and `archive check` says so."""
    pending = store_consent.pending_purges(db)
    done = Finished(testimonies=store_consent.references_of(db, pending["testimonies"]))
    if not pending["testimonies"] and not pending["files"]:
        return done
    started = time.perf_counter()
    done.files_removed = _remove_export_files(data_dir, pending["files"]) + _remove_leftovers(data_dir)
    done.seconds["files"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        done.documents_copied = purging.purge(data_dir.index, pending["testimonies"])
    except indexer.IndexMissing:
        pass  # nothing to wipe: `archive reindex` builds the index from SQLite, without them
    done.seconds["index"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        rewrite_every_page(db)
        wiped = _truncate_log(db)
    except sqlite3.OperationalError as err:  # another writer held the database for longer than the timeout
        wiped = False
        log.warning("purge not finished: %s", type(err).__name__)
    if not wiped:
        done.complete, done.problem = False, ("SQLite's files are in use by another connection and still hold "
                                              "old pages: run `archive reindex` when the archive is idle")
        return done
    with write_transaction(db):
        store_consent.clear_pending_purges(db, pending)
    _truncate_log(db)  # holds only the meta page just written: nothing of the statement
    done.seconds["sqlite"] = time.perf_counter() - started
    return done


def _truncate_log(db):
    """Fold the write-ahead log into the database and truncate it to 0 bytes; False if readers kept it."""
    for attempt in range(CHECKPOINT_ATTEMPTS):
        if truncate_log(db):
            return True
        time.sleep(0.2 * (attempt + 1))
    return False


def _remove_export_files(data_dir, names):
    removed = []
    for name in names:
        path = data_dir.root / "exports" / Path(name).name
        if path.exists():
            path.unlink()
            removed.append(path.name)
    return removed


def _remove_leftovers(data_dir):
    """Export work files a stopped server left (a PDF's parts, a file not yet sent, a file uploaded for
    import), older than any live request or job: they may hold any statement, the purged one too."""
    cutoff = time.time() - LEFTOVER_AGE_S
    removed = []
    for folder in (data_dir.root, data_dir.root / "exports"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.stat().st_mtime > cutoff:
                continue
            if path.is_dir() and path.name.startswith(("case-summary-", "import-")):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
            elif path.is_file() and path.name.startswith("tmp") and path.suffix in (".csv", ".json", ".pdf", ".qdpx"):
                path.unlink()
                removed.append(path.name)
    return removed


def brought_back(replaced, db):
    """(reference, purged_at) of the statements the database `replaced` (a path) had purged and `db`
    holds again: what a restore of a backup older than a purge brings back, to be purged again."""
    return [(reference, purged_at) for reference, purged_at in store_consent.purged_in_file(replaced)
            if store_consent.held_again(db, reference)]
