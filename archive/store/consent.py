"""The SQL of a witness's decisions over time: consent changes, what a withdrawal touches, purges.

Kept beside archive/store/__init__.py, and written the same way: functions take a sqlite_utils.Database,
return plain dicts, expect the caller's write transaction, and write history. A purged testimony
stays as a tombstone row (reference, hashes, `purged_at`), which store.py's readers skip.
"""

import json
import sqlite3

from archive import store
from archive.i18n import say
from archive.store import incidents as store_incidents
from archive.store.rows import insert_rows

PENDING_KEY = "purges_pending"  # meta: the purges whose files are not yet wiped (archive/consent/purge.py)


def testimony_or_tombstone(db, reference):
    """The testimony row, purged or not (store.get_testimony_row skips tombstones)."""
    rows = list(db.query("SELECT * FROM testimony WHERE reference = ?", [reference]))
    if not rows:
        raise store.NotFound(say("no testimony %(reference)s", reference=reference))
    return rows[0]


# --- consent ---------------------------------------------------------------------------------

def set_consent(db, testimony, changes, actor, reason, stamp):
    """Write a consent change (`consent`, `consent_decided_at`, maybe `confidentiality`): who recorded
    it and when, a new revision, and history with the old and new values and the reason."""
    changed = {**changes, "consent_recorded_at": stamp, "consent_recorded_by": actor}
    old = {key: testimony[key] for key in changed}
    db["testimony"].update(testimony["id"], {**changed, "updated_at": stamp})
    store.bump_revision(db, testimony["id"], stamp)
    store.record_history(db, testimony["id"], "testimony", testimony["id"], "update", old, changed, actor,
                         reason, stamp)
    return changed


def consent_reason(db, testimony_id):
    """The reason given with the latest change of consent, or None (consent as given at intake)."""
    row = db.execute("SELECT reason FROM history WHERE testimony_id = ? AND entity = 'testimony' "
                     "AND action = 'update' AND json_extract(new, '$.consent') IS NOT NULL "
                     "ORDER BY id DESC LIMIT 1", [testimony_id]).fetchone()
    return row[0] if row else None


def withdrawn_testimonies(db):
    return list(db.query("""
        SELECT id, reference, title, confidentiality, consent, consent_decided_at, consent_recorded_at,
               consent_recorded_by, created_at
        FROM testimony WHERE consent = 'withdrawn' AND purged_at IS NULL
        ORDER BY consent_recorded_at DESC, reference"""))


# --- what a testimony has touched: case files, exports, waiting files, backups ------------------

def case_files_holding(db, testimony_id):
    return list(db.query("""
        SELECT f.id, f.name, f.created_by AS owner, ft.added_by, ft.added_at
        FROM case_file_testimony ft JOIN case_file f ON f.id = ft.case_file_id
        WHERE ft.testimony_id = ? ORDER BY f.name""", [testimony_id]))


def exports_holding(db, testimony_id):
    return [{**row, "identified": bool(row["identified"])} for row in db.query("""
        SELECT e.id, e.at, e.actor, e.format, e.records, et.identified
        FROM export_testimony et JOIN export_record e ON e.id = et.export_id
        WHERE et.testimony_id = ? ORDER BY e.id""", [testimony_id])]


def exports_unlisted(db, since):
    """Exports made since `since` that do not list their testimonies (made before exports did): any
    of them may hold the testimony."""
    return list(db.query("""
        SELECT e.id, e.at, e.actor, e.format, e.records FROM export_record e
        WHERE e.at >= ? AND e.records > 0
          AND NOT EXISTS (SELECT 1 FROM export_testimony et WHERE et.export_id = e.id)
        ORDER BY e.id""", [since]))


def waiting_export_files(db, testimony_ids):
    """Finished export jobs whose file still waits in exports/ and holds one of these testimonies."""
    if not testimony_ids:
        return []
    marks = ",".join("?" * len(testimony_ids))
    return list(db.query(f"""
        SELECT DISTINCT j.id, j.actor, j.file, j.finished_at FROM export_job j
        JOIN export_testimony et ON et.export_id = j.export_id
        WHERE et.testimony_id IN ({marks}) AND j.file IS NOT NULL ORDER BY j.id""", list(testimony_ids)))


def backups_since(db, since):
    """Backups taken with `archive backup` since `since` (the audit log records each)."""
    found = []
    for row in db.query("SELECT at, actor, subject, detail FROM audit_event WHERE action = 'backup' AND at >= ? "
                        "ORDER BY id", [since]):
        detail = json.loads(row["detail"])
        found.append({"at": row["at"], "actor": row["actor"], "name": row["subject"],
                      "path": detail.get("path"), "sha256": detail.get("sha256")})
    return found


def record_export_testimonies(db, export_id, testimony_ids, identified_ids):
    identified = set(identified_ids)
    insert_rows(db, "export_testimony", ({"export_id": export_id, "testimony_id": t, "identified": int(t in identified)}
                                         for t in testimony_ids))


# --- purge -------------------------------------------------------------------------------------

def erase(db, testimony, stamp):
    """Remove everything of the testimony but its tombstone (reference, hashes, dates): text, title and
    interview details, the incident stated at intake and the group size and circumstances its text states, codes and their
    passages, redactions, dismissed suggestions, double-coding assignments, case-file entries, the witness and their identity, and every copy of values and
    reasons in its history (the entries stay: what was done, by whom, when). Returns the number of
    rows removed or cleared, per table."""
    testimony_id = testimony["id"]
    removed = store_incidents.erase_testimony(db, testimony_id)  # first: its sources may name its codes
    removed["code_perpetrator"] = db.execute(
        "DELETE FROM code_perpetrator WHERE code_id IN (SELECT id FROM code WHERE testimony_id = ?)",
        [testimony_id]).rowcount
    for table in ("code", "redaction", "suggestion_dismissal", "coding_assignment", "case_file_testimony",
                  "incident_perpetrator", "stated_group_size", "stated_circumstances"):
        removed[table] = db.execute(f"DELETE FROM [{table}] WHERE testimony_id = ?", [testimony_id]).rowcount
    removed["history"] = db.execute("UPDATE history SET old = NULL, new = NULL, reason = NULL WHERE testimony_id = ?",
                                    [testimony_id]).rowcount
    db.execute("""
        UPDATE testimony SET title = NULL, text = '', language = NULL, language_detected = NULL, interview_date = NULL, interviewer = NULL,
               organisation = NULL, source = NULL, witness_id = NULL, incident_place_id = NULL,
               incident_place_text = NULL, incident_date_text = NULL, incident_date_from = NULL,
               incident_date_to = NULL, incident_date_precision = NULL, purged_at = ?, updated_at = ?,
               revision = revision + 1
        WHERE id = ?""", [stamp, stamp, testimony_id])
    witness_id = testimony["witness_id"]
    shared = witness_id is not None and db.execute(
        "SELECT 1 FROM testimony WHERE witness_id = ? LIMIT 1", [witness_id]).fetchone()
    removed["witness"] = 0
    if witness_id is not None and not shared:
        db.execute("DELETE FROM witness_identity WHERE witness_id = ?", [witness_id])
        removed["witness"] = db.execute("DELETE FROM witness WHERE id = ?", [witness_id]).rowcount
    return removed


def release_export_files(db, testimony_ids, stamp):
    """Jobs whose waiting file holds a purged testimony: the file is no longer offered (its name is
    returned, for archive/consent/purge.py to remove once the purge is committed)."""
    waiting = waiting_export_files(db, testimony_ids)
    for job in waiting:
        db.execute("UPDATE export_job SET status = 'expired', file = NULL, finished_at = coalesce(finished_at, ?), "
                   "error = 'Removed unsent: a testimony in it was purged.' WHERE id = ?", [stamp, job["id"]])
    return [job["file"] for job in waiting]


def purged_testimonies(db):
    """Tombstones with their purge entry (when, who, why, and what it listed), latest first."""
    found = []
    for row in db.query("""
            SELECT t.id, t.reference, t.sha256, t.sha256_received, t.purged_at, h.actor, h.reason, h.new
            FROM testimony t LEFT JOIN history h
              ON h.testimony_id = t.id AND h.entity = 'testimony' AND h.action = 'purge'
            WHERE t.purged_at IS NOT NULL ORDER BY t.purged_at DESC, t.reference"""):
        found.append({**row, "record": json.loads(row.pop("new") or "{}")})
    return found


def purged_ids(db):
    return [row[0] for row in db.execute("SELECT id FROM testimony WHERE purged_at IS NOT NULL ORDER BY id")]


def pending_purges(db):
    """{"testimonies": [ids], "files": [export file names]} of purges whose files are not yet wiped."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [PENDING_KEY]).fetchone()
    return json.loads(row[0]) if row else {"testimonies": [], "files": []}


def add_pending_purge(db, testimony_id, files):
    pending = pending_purges(db)
    pending["testimonies"] = sorted(set(pending["testimonies"]) | {testimony_id})
    pending["files"] = sorted(set(pending["files"]) | set(files))
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [PENDING_KEY, json.dumps(pending)])


def clear_pending_purges(db, done):
    """Forget the purges in `done` (as pending_purges returned them) once their files are wiped."""
    pending = pending_purges(db)
    left = {"testimonies": sorted(set(pending["testimonies"]) - set(done["testimonies"])),
            "files": sorted(set(pending["files"]) - set(done["files"]))}
    if left["testimonies"] or left["files"]:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [PENDING_KEY, json.dumps(left)])
    else:
        db.execute("DELETE FROM meta WHERE key = ?", [PENDING_KEY])


def references_of(db, testimony_ids):
    if not testimony_ids:
        return []
    marks = ",".join("?" * len(testimony_ids))
    return [row[0] for row in db.execute(f"SELECT reference FROM testimony WHERE id IN ({marks}) ORDER BY reference",
                                         list(testimony_ids))]


def purged_in_file(path):
    """(reference, purged_at) of the statements purged in another database file (a replaced one, or a
    backup), read without touching it: opened read-only and immutable, so no -wal or -shm appears."""
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        if "purged_at" not in {row[1] for row in connection.execute("PRAGMA table_info(testimony)")}:
            return []
        return connection.execute("SELECT reference, purged_at FROM testimony WHERE purged_at IS NOT NULL "
                                  "ORDER BY reference").fetchall()
    finally:
        connection.close()


def held_again(db, reference):
    """Is the statement `reference` held, not purged, in `db`?"""
    row = db.execute("SELECT purged_at FROM testimony WHERE reference = ?", [reference]).fetchone()
    return row is not None and row[0] is None
