"""Testimonies: intake (references, batches, the row and its incident), reading them, and the
records the search index and the exports are made from. Never the witness's identifying fields."""

import json

from archive.i18n import say
from archive.security import sealing
from archive.store.codes import codes_of, insert_code
from archive.store.incidents import incidents_of
from archive.store.rows import NotFound, bump_revision, grouped, insert_row, insert_rows, now, record_history
from archive.store.witnesses import _witness

INCIDENT_COLUMNS = ("incident_place_id", "incident_place_text", "incident_date_text", "incident_date_from",
                    "incident_date_to", "incident_date_precision")  # archive/intake/incident.py

# Fields a person may change after intake (history records each change).
EDITABLE_FIELDS = (
    "title", "language", "interview_date", "interviewer", "organisation", "source",
    "confidentiality", "consent", "status",
)

def reference_taken(db, reference):
    return db.execute("SELECT 1 FROM testimony WHERE reference = ?", [reference]).fetchone() is not None

def reference_with_text(db, sha256):
    """The reference of a testimony whose stored text has this SHA-256, if any."""
    row = db.execute("SELECT reference FROM testimony WHERE sha256 = ? LIMIT 1", [sha256]).fetchone()
    return row[0] if row else None

def next_reference(db, year, reserved=()):
    """The next free `T-YEAR-NNNN` after the year's highest, skipping `reserved` references."""
    prefix = f"T-{year}-"
    row = db.execute(
        "SELECT max(CAST(substr(reference, ?) AS INTEGER)) FROM testimony WHERE reference GLOB ?",
        [len(prefix) + 1, prefix + "[0-9][0-9][0-9][0-9]*"]).fetchone()
    number = (row[0] or 0) + 1
    while f"{prefix}{number:04d}" in reserved:
        number += 1
    return f"{prefix}{number:04d}"

def insert_import_batch(db, filename, file_sha256, actor):
    return insert_row(db, "import_batch", {
        "filename": filename, "file_sha256": file_sha256, "rows": 0, "imported": 0, "duplicates": 0,
        "actor": actor, "at": now()})

def finish_import_batch(db, batch_id, rows, imported, duplicates):
    db["import_batch"].update(batch_id, {"rows": rows, "imported": imported, "duplicates": duplicates})

def _public(row):
    """A testimony row for history: the text is identified by its hash, not copied again."""
    return {k: v for k, v in row.items() if k != "text"}


def insert_testimony(db, testimony, witness, identity, codes, actor, reason, perpetrators=()):
    """Store one testimony with its witness, the witness's identity and its codes; return its id.

    `codes` are dicts of code columns plus `perpetrators` (a list of codebook ids); `perpetrators`
    are those the intake names for the testimony's incident.
    """
    stamp = now()
    witness_id = None
    if witness or identity:
        witness_id = insert_row(db, "witness", witness or {})
        if identity:
            insert_row(db, "witness_identity", {"witness_id": witness_id, **{k: sealing.seal(v) for k, v in identity.items()}})
    row = {
        **testimony, "witness_id": witness_id, "revision": 1, "status": testimony.get("status", "new"),
        "consent_recorded_at": stamp, "consent_recorded_by": actor, "created_at": stamp, "updated_at": stamp,
    }
    testimony_id = insert_row(db, "testimony", row)
    add_incident_perpetrators(db, testimony_id, perpetrators)
    record_history(db, testimony_id, "testimony", testimony_id, "create", None,
            {**_public(row), **({"perpetrators": sorted(perpetrators)} if perpetrators else {})}, actor, reason, stamp)
    for code in codes:
        insert_code(db, testimony_id, code, actor, reason, stamp=stamp, bump=False)
    return testimony_id

def update_testimony(db, reference, changes, actor, reason, stamp=None):
    """Change editable fields of a testimony; the old and new values go to history. `stamp`: the
    time of the transaction it is part of (a settlement), so that history reads it as one."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    current = get_testimony_row(db, reference)
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if not changed:
        return current["id"]
    stamp = stamp or now()
    if "consent" in changed:
        changed.update(consent_recorded_at=stamp, consent_recorded_by=actor)
    old = {k: current[k] for k in changed}
    db["testimony"].update(current["id"], {**changed, "updated_at": stamp})
    bump_revision(db, current["id"], stamp)
    record_history(db, current["id"], "testimony", current["id"], "update", old, changed, actor, reason, stamp)
    return current["id"]

def set_incident(db, reference, incident, perpetrators, actor, reason):
    """Set the testimony's incident (archive/intake/incident.py columns) and its perpetrators; history
    records the old and new values."""
    current = get_testimony_row(db, reference)
    old_perpetrators = incident_perpetrators(db, [current["id"]]).get(current["id"], [])
    old = {k: current[k] for k in incident}
    stamp = now()
    db["testimony"].update(current["id"], {**incident, "updated_at": stamp})
    db.execute("DELETE FROM incident_perpetrator WHERE testimony_id = ?", [current["id"]])
    add_incident_perpetrators(db, current["id"], perpetrators)
    bump_revision(db, current["id"], stamp)
    record_history(db, current["id"], "testimony", current["id"], "update", {**old, "perpetrators": old_perpetrators},
            {**incident, "perpetrators": sorted(perpetrators)}, actor, reason, stamp)

def add_incident_perpetrators(db, testimony_id, perpetrators):
    insert_rows(db, "incident_perpetrator", ({"testimony_id": testimony_id, "perpetrator_id": p}
                                             for p in dict.fromkeys(perpetrators)), or_ignore=True)

def incident_perpetrators(db, testimony_ids):
    """{testimony id: [perpetrator id, ...]} named by the intake for each testimony's incident."""
    return grouped(db, "SELECT testimony_id, perpetrator_id FROM incident_perpetrator "
                       "WHERE testimony_id IN ({marks}) ORDER BY perpetrator_id", testimony_ids)

def undetected_languages(db):
    """Ids of the testimonies, not purged, stored with no language and never read for one
    (those imported before detection: archive/languages.py)."""
    return [row[0] for row in db.execute(
        "SELECT id FROM testimony WHERE purged_at IS NULL AND language IS NULL AND language_detected IS NULL "
        "ORDER BY id")]

def record_detected_language(db, testimony_id, detected, actor, reason):
    """Keep what the detector read (a code, or 'und'); the index must catch up with it (a new revision)."""
    stamp = now()
    db["testimony"].update(testimony_id, {"language_detected": detected})
    bump_revision(db, testimony_id, stamp)
    record_history(db, testimony_id, "testimony", testimony_id, "update", {"language_detected": None},
                   {"language_detected": detected}, actor, reason, stamp)

def count_testimonies(db):
    """Testimonies in the archive; a purged one (a tombstone of its reference and hashes) is not."""
    return db.execute("SELECT count(*) FROM testimony WHERE purged_at IS NULL").fetchone()[0]

def get_testimony_row(db, reference):
    rows = list(db.query("SELECT * FROM testimony WHERE reference = ? AND purged_at IS NULL", [reference]))
    if not rows:
        raise NotFound(say("no testimony %(reference)s", reference=reference))
    return rows[0]

def testimony_with_id(db, testimony_id):
    return next(db.query("SELECT * FROM testimony WHERE id = ?", [testimony_id]))


def statements(db):
    """(reference, text, sha256) of every statement held (not purged), in the order they came."""
    return db.execute("SELECT reference, text, sha256 FROM testimony WHERE purged_at IS NULL ORDER BY id")


def get_testimony(db, reference):
    """One testimony with its (pseudonymous) witness and its codes."""
    testimony = get_testimony_row(db, reference)
    testimony["witness"] = _witness(db, testimony["witness_id"])
    testimony["codes"] = codes_of(db, [testimony["id"]]).get(testimony["id"], [])
    testimony["incident_perpetrators"] = incident_perpetrators(db, [testimony["id"]]).get(testimony["id"], [])
    return testimony

def testimonies_by_reference(db, references):
    """{reference: testimony row with its codes} for a page of search results; no witness identity."""
    if not references:
        return {}
    marks = ",".join("?" * len(references))
    rows = {r["id"]: r for r in db.query(
        f"SELECT id, reference, title, text, language, language_detected, interview_date, confidentiality, consent, "
        f"status, "
        f"{', '.join(INCIDENT_COLUMNS)} FROM testimony WHERE reference IN ({marks}) AND purged_at IS NULL",
        list(references))}
    for testimony_id, codes in codes_of(db, list(rows)).items():
        rows[testimony_id]["codes"] = codes
    for testimony_id, perpetrators in incident_perpetrators(db, list(rows)).items():
        rows[testimony_id]["incident_perpetrators"] = perpetrators
    return {row["reference"]: {"codes": [], "incident_perpetrators": [], **row} for row in rows.values()}

def history_of(db, reference):
    testimony_id = get_testimony_row(db, reference)["id"]
    rows = db.query("SELECT * FROM history WHERE testimony_id = ? ORDER BY id", [testimony_id])
    return [{**r, "old": json.loads(r["old"]) if r["old"] else None,
             "new": json.loads(r["new"]) if r["new"] else None} for r in rows]

def revisions(db):
    """{testimony id: revision} for every testimony: what the index must hold."""
    return dict(db.execute("SELECT id, revision FROM testimony WHERE purged_at IS NULL").fetchall())

def iter_index_records(db, ids=None, batch=500):
    """Testimonies with witness (no identity) and codes, in batches, for the search index."""
    sql = """
        SELECT t.id, t.reference, t.title, t.text, t.language, t.language_detected, t.interview_date,
               t.confidentiality, t.consent, t.status, t.revision, w.gender, w.nationality, w.minor,
               t.incident_place_id, t.incident_place_text, t.incident_date_text, t.incident_date_from,
               t.incident_date_to, t.incident_date_precision
        FROM testimony t LEFT JOIN witness w ON w.id = t.witness_id"""
    if ids is None:
        chunks = _id_chunks(db, batch)
    else:
        ids = sorted(ids)
        chunks = (ids[i:i + batch] for i in range(0, len(ids), batch))
    for chunk in chunks:
        if not chunk:
            continue
        marks = ",".join("?" * len(chunk))
        records = [dict(r) for r in db.query(f"{sql} WHERE t.id IN ({marks}) AND t.purged_at IS NULL ORDER BY t.id",
                                             chunk)]
        codes, perpetrators = codes_of(db, chunk), incident_perpetrators(db, chunk)
        linked = incidents_of(db, chunk)
        for record in records:
            record["codes"] = codes.get(record["id"], [])
            record["incident_perpetrators"] = perpetrators.get(record["id"], [])
            record["incident_ids"] = linked.get(record["id"], [])
            yield record

def _id_chunks(db, batch):
    last = 0
    while True:
        chunk = [r[0] for r in db.execute("SELECT id FROM testimony WHERE id > ? AND purged_at IS NULL ORDER BY id "
                                          "LIMIT ?", [last, batch])]
        if not chunk:
            return
        yield chunk
        last = chunk[-1]

def titles_of(db, references):
    """{reference: title} of testimonies held (an import's page lists what came in)."""
    found = {}
    for start in range(0, len(references), 500):
        chunk = list(references[start:start + 500])
        found.update(db.execute(f"SELECT reference, title FROM testimony WHERE reference IN "
                                f"({','.join('?' * len(chunk))}) AND purged_at IS NULL", chunk).fetchall())
    return found

def testimony_rows_by_reference(db, references):
    """{reference: {id, reference, confidentiality, consent}}: what the access rules need."""
    found = {}
    for start in range(0, len(references), 500):
        chunk = list(references[start:start + 500])
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT id, reference, confidentiality, consent FROM testimony "
                            f"WHERE reference IN ({marks}) AND purged_at IS NULL", chunk):
            found[row["reference"]] = row
    return found

def export_rows(db, references):
    """Testimonies with their (pseudonymous) witness and their incident's perpetrators, for an
    export; no identifying fields."""
    marks = ",".join("?" * len(references))
    rows = list(db.query(f"""
        SELECT t.id, t.reference, t.title, t.text, t.language, t.language_detected, t.interview_date,
               t.organisation, t.source,
               t.sha256, t.confidentiality, t.consent, t.status, t.witness_id,
               t.incident_place_id, t.incident_place_text, t.incident_date_text, t.incident_date_from,
               t.incident_date_to, t.incident_date_precision,
               w.pseudonym, w.gender, w.age, w.age_band, w.nationality, w.minor
        FROM testimony t LEFT JOIN witness w ON w.id = t.witness_id
        WHERE t.reference IN ({marks}) AND t.purged_at IS NULL""",
        list(references)))
    perpetrators = incident_perpetrators(db, [row["id"] for row in rows])
    return [{**row, "incident_perpetrators": perpetrators.get(row["id"], [])} for row in rows]

def quasi_identifiers(db):
    """(reference, nationality, age, age_band, earliest incident day bounds) of every testimony:
    what could single a witness out when combined (the small-group check). The earliest coded
    incident, else the incident stated at intake. `date_to` is that of the earliest code: SQLite
    takes a bare column from the row that the one min() chose."""
    return db.execute("""
        SELECT t.reference, w.nationality, w.age, w.age_band,
               coalesce(e.date_from, t.incident_date_from),
               CASE WHEN e.date_from IS NULL THEN t.incident_date_to ELSE e.date_to END
        FROM testimony t LEFT JOIN witness w ON w.id = t.witness_id
        LEFT JOIN (SELECT testimony_id, min(date_from) AS date_from, date_to FROM code
                   WHERE stage = 'coded' GROUP BY testimony_id) e ON e.testimony_id = t.id
        WHERE t.purged_at IS NULL""")
