"""What the CLI and the web app both do to an archive: open it, import, index, check.

The order of every write is the same: SQLite commits first (the truth), then the index.
"""
import logging
import os

from archive import codebook as codebook_module
from archive import errors, intake, store
from archive.config import setting
from archive.i18n import say
from archive.intake import incident
from archive.store import consent as store_consent
from archive.store import db as database
from search_index import indexer

log = logging.getLogger(__name__)


class ArchiveMissing(errors.Unavailable):
    """No archive has been initialised in the data directory."""


def load_codebook():
    return codebook_module.load(setting("CODEBOOK"))


def init(data_dir):
    """Create (or bring up to date) the database, codebook tables and index. Idempotent."""
    os.makedirs(data_dir.root, exist_ok=True)
    book = load_codebook()
    db = database.connect(data_dir.database)
    try:
        database.migrate(db)
        if store.codebook_version(db) != book.version:
            with database.write_transaction(db):
                store.save_codebook(db, book)
        _read_stated_sizes(db)
        detected = _detect_languages(db)
        with database.write_transaction(db):
            adopted = incident.adopt_pseudo_codes(db)
        created_index = False
        try:
            indexer.open_index(data_dir.index)
        except indexer.IndexMissing:
            indexer.rebuild(data_dir.index, store.iter_index_records(db), book, expected=store.count_testimonies(db))
            created_index = True
        else:
            if adopted or detected:
                index_after_commit(data_dir, db, dict.fromkeys([*adopted, *detected]), book)
        return created_index
    finally:
        db.close()


def open_db(data_dir):
    if data_dir.exists():
        db = database.connect(data_dir.database)
        if database.is_initialised(db):
            return db
        db.close()
    raise ArchiveMissing(say("no archive in %(root)s. If it is elsewhere, name it: `archive --data DIR …` "
                             "or $ARCHIVE_DATA; to start a new one here, run `archive init`", root=data_dir.root))


def _read_stated_sizes(db):
    """Read the group size and the circumstances of each testimony stored before they were kept
    (archive/incidents/group_sizes.py, circumstances.py; about a millisecond a statement, once), so that
    candidate links need not read the texts."""
    from archive.incidents.circumstances import circumstances
    from archive.incidents.group_sizes import group_size
    from archive.store import incidents as store_incidents

    _each_text(db, store_incidents.unread_sizes(db),
               lambda testimony_id, text: store_incidents.record_stated_size(db, testimony_id, group_size(text)))
    _each_text(db, store_incidents.unread_circumstances(db),  # and what they say of the time, crossing and origin
               lambda testimony_id, text: store_incidents.record_stated_circumstances(db, testimony_id,
                                                                                      circumstances(text)))


def _detect_languages(db):
    """Read the language of each statement stored without one before languages were detected
    (archive/languages.py; about 3 ms a statement, once). Returns the ids now read in a language."""
    from archive import languages

    found = []

    def record(testimony_id, text):
        detected = languages.detect(text)
        store.record_detected_language(db, testimony_id, detected, "archive", "language detected")
        if detected != languages.UNDETERMINED:
            found.append(testimony_id)

    _each_text(db, store.undetected_languages(db), record)
    return found


def _each_text(db, testimony_ids, record):
    """record(id, text) for each testimony named, committed 500 at a time: what an older archive's
    statements are read for once, without one long transaction over all of them."""
    from archive.store import incidents as store_incidents

    for start in range(0, len(testimony_ids), 500):
        with database.write_transaction(db):
            for testimony_id, text in store_incidents.texts_of(db, testimony_ids[start:start + 500]):
                record(testimony_id, text)


def import_file(data_dir, path, actor, checking=None, indexing=None):
    """Import a file (all or nothing) and index what it added. Returns the ImportReport.

    `checking` and `indexing` are optional progress reporters: `.start(total)`, then `.advance()`.
    """
    book = load_codebook()
    db = open_db(data_dir)
    try:
        report = intake.import_file(db, path, book, actor, checking)
        changed = list(dict.fromkeys(report.imported + report.linked))  # a link changes the incident facet
        if changed:  # committed: an index that cannot follow loses nothing, and is said in the report
            report.indexed = index_after_commit(data_dir, db, changed, book, indexing)
        return report
    finally:
        db.close()


def index_testimonies(data_dir, db, testimony_ids, book, progress=None):
    records = _reporting(store.iter_index_records(db, testimony_ids), len(testimony_ids), progress)
    return indexer.update(data_dir.index, records, book, expected=len(testimony_ids))


def index_after_commit(data_dir, db, testimony_ids, book=None, progress=None):
    """Bring the index up to date after a change SQLite has committed. The one way every change
    follows its commit: a failure here loses nothing (`archive check` reports the testimony as older
    in the index, `archive reindex` repairs it), so it is logged, by class only (a message could quote
    a statement), and the person who made the change is not told it failed. True when indexed."""
    try:
        index_testimonies(data_dir, db, list(testimony_ids), book or load_codebook(), progress)
    except Exception as err:  # noqa: BLE001 - the change is stored; the index can be rebuilt
        log.warning("index not updated for testimonies %s (%s): run archive reindex",
                    ", ".join(map(str, testimony_ids)), type(err).__name__)
        return False
    return True


def reindex(data_dir, progress=None):
    book = load_codebook()
    db = open_db(data_dir)
    try:
        _detect_languages(db)  # as init does: a rebuilt index reads every statement in its language
        total = store.count_testimonies(db)
        records = _reporting(store.iter_index_records(db), total, progress)
        count = indexer.rebuild(data_dir.index, records, book, expected=total)
        from archive.consent import purge  # purges a kill interrupted: the new index has none of them; wipe the rest
        purge.finish(data_dir, db)
        return count
    finally:
        db.close()


def check(data_dir):
    """(integrity problems from SQLite, index Drift) for `archive check`."""
    db = open_db(data_dir)
    try:
        problems = database.integrity_problems(db)
        unfinished = store_consent.references_of(db, store_consent.pending_purges(db)["testimonies"])
        problems += [f"the purge of {reference} is not finished: its words may remain in the files"
                     for reference in unfinished]
        unread = len(store.undetected_languages(db))
        if unread:
            problems.append(f"{unread} testimonies stored without a language were never read for one, so they are "
                            "searched as written only: `archive init`, `archive serve` or `archive reindex` detects it")
        return problems, indexer.drift(data_dir.index, store.revisions(db), store_consent.purged_ids(db))
    finally:
        db.close()


def _reporting(records, total, progress):
    if progress is None:
        yield from records
        return
    progress.start(total)
    for record in records:
        yield record
        progress.advance()


DEMO_FILE = codebook_module.DEFAULT_PATH.parent / "demo_testimonies.json"

