"""Every SQL statement of the archive. Functions take a sqlite_utils.Database and return dicts.

Writers expect to run inside `db.write_transaction` (the caller decides what is atomic);
each change they make is also written to `history`. Nothing here returns a witness's
identifying fields except `get_witness_identity`, so that access rules have one door to guard.
"""
import datetime as dt
import json

from archive.security import sealing

TESTIMONY_FIELDS = (
    "reference", "title", "text", "language", "interview_date", "interviewer", "organisation", "source",
    "sha256", "sha256_received", "confidentiality", "consent", "consent_recorded_at", "consent_recorded_by",
    "status", "witness_id", "import_batch_id", "revision", "created_at", "updated_at",
)
INCIDENT_COLUMNS = ("incident_place_id", "incident_place_text", "incident_date_text", "incident_date_from",
                    "incident_date_to", "incident_date_precision")  # archive/intake/incident.py
# Fields a person may change after intake (history records each change).
EDITABLE_FIELDS = (
    "title", "language", "interview_date", "interviewer", "organisation", "source",
    "confidentiality", "consent", "status",
)


class NotFound(LookupError):
    """No testimony (or other record) with that key."""


def now():
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# --- codebook --------------------------------------------------------------------------------

def save_codebook(db, book):
    """Replace the codebook tables with `book`; codes keep pointing at the same stable ids."""
    db["abuse_type_legal"].delete_where()
    db["abuse_type_term"].delete_where()
    db["place_variant"].delete_where()
    db["legal_provision"].upsert_all(book.legal_provisions.values(), pk="id")
    # Parents before children, so that the foreign key to `parent` always resolves.
    ordered = sorted(book.abuse_types.values(), key=lambda a: len(book.ancestors(a["id"])))
    db["abuse_type"].upsert_all(
        ({k: a.get(k) for k in ("id", "label", "parent", "definition")} for a in ordered), pk="id")
    db["abuse_type_legal"].insert_all(
        {"abuse_type": a["id"], "legal_provision": p} for a in ordered for p in a["legal"])
    db["abuse_type_term"].insert_all(
        {"abuse_type": a["id"], "language": lang, "term": term}
        for a in ordered for lang, terms in a["terms"].items() for term in dict.fromkeys(terms))
    db["perpetrator"].upsert_all(
        ({k: p[k] for k in ("id", "label", "kind", "side")} for p in book.perpetrators.values()), pk="id")
    db["place"].upsert_all(
        ({k: p.get(k) for k in ("id", "name", "country", "type", "lat", "lon")} for p in book.places.values()),
        pk="id")
    db["place_variant"].insert_all(
        {"place_id": p["id"], "spelling": s} for p in book.places.values() for s in dict.fromkeys(p["variants"]))
    db["date_precision"].upsert_all(
        ({k: d.get(k) for k in ("id", "label", "example")} for d in book.date_precisions.values()), pk="id")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('codebook_version', ?)", [book.version])


def codebook_version(db):
    row = db.execute("SELECT value FROM meta WHERE key = 'codebook_version'").fetchone()
    return row[0] if row else None


# --- intake ----------------------------------------------------------------------------------

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
    return db["import_batch"].insert({
        "filename": filename, "file_sha256": file_sha256, "rows": 0, "imported": 0, "duplicates": 0,
        "actor": actor, "at": now()}).last_pk


def finish_import_batch(db, batch_id, rows, imported, duplicates):
    db["import_batch"].update(batch_id, {"rows": rows, "imported": imported, "duplicates": duplicates})


def insert_testimony(db, testimony, witness, identity, codes, actor, reason, perpetrators=()):
    """Store one testimony with its witness, the witness's identity and its codes; return its id.

    `codes` are dicts of code columns plus `perpetrators` (a list of codebook ids); `perpetrators`
    are those the intake names for the testimony's incident.
    """
    stamp = now()
    witness_id = None
    if witness or identity:
        witness_id = _insert(db, "witness", witness or {})
        if identity:
            _insert(db, "witness_identity", {"witness_id": witness_id, **{k: sealing.seal(v) for k, v in identity.items()}})
    row = {
        **testimony, "witness_id": witness_id, "revision": 1, "status": testimony.get("status", "new"),
        "consent_recorded_at": stamp, "consent_recorded_by": actor, "created_at": stamp, "updated_at": stamp,
    }
    testimony_id = _insert(db, "testimony", row)
    add_incident_perpetrators(db, testimony_id, perpetrators)
    _record(db, testimony_id, "testimony", testimony_id, "create", None,
            {**_public(row), **({"perpetrators": sorted(perpetrators)} if perpetrators else {})}, actor, reason, stamp)
    for code in codes:
        insert_code(db, testimony_id, code, actor, reason, stamp=stamp, bump=False)
    return testimony_id


def insert_code(db, testimony_id, code, actor, reason, stamp=None, bump=True):
    stamp = stamp or now()
    perpetrators = code.get("perpetrators", [])
    row = {k: v for k, v in code.items() if k != "perpetrators"}
    row.update(testimony_id=testimony_id, coder=actor, created_at=stamp, updated_at=stamp)
    code_id = _insert(db, "code", row)
    db.conn.executemany("INSERT INTO code_perpetrator (code_id, perpetrator_id) VALUES (?, ?)",
                        [(code_id, p) for p in perpetrators])
    _record(db, testimony_id, "code", code_id, "create", None, {**row, "perpetrators": perpetrators},
            actor, reason, stamp)
    if bump:
        _bump_revision(db, testimony_id, stamp)
    return code_id


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
    _bump_revision(db, current["id"], stamp)
    _record(db, current["id"], "testimony", current["id"], "update", old, changed, actor, reason, stamp)
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
    _bump_revision(db, current["id"], stamp)
    _record(db, current["id"], "testimony", current["id"], "update", {**old, "perpetrators": old_perpetrators},
            {**incident, "perpetrators": sorted(perpetrators)}, actor, reason, stamp)


def add_incident_perpetrators(db, testimony_id, perpetrators):
    db.conn.executemany("INSERT OR IGNORE INTO incident_perpetrator (testimony_id, perpetrator_id) VALUES (?, ?)",
                        [(testimony_id, p) for p in dict.fromkeys(perpetrators)])


def incident_perpetrators(db, testimony_ids):
    """{testimony id: [perpetrator id, ...]} named by the intake for each testimony's incident."""
    found = {}
    for start in range(0, len(testimony_ids), 500):
        chunk = list(testimony_ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        for testimony_id, perpetrator in db.execute(
                f"SELECT testimony_id, perpetrator_id FROM incident_perpetrator WHERE testimony_id IN ({marks}) "
                f"ORDER BY perpetrator_id", chunk):
            found.setdefault(testimony_id, []).append(perpetrator)
    return found


def record_history(db, testimony_id, entity, entity_id, action, old, new, actor, reason, stamp=None):
    """One history entry, for writers outside this module (archive/store/consent.py)."""
    _record(db, testimony_id, entity, entity_id, action, old, new, actor, reason, stamp or now())


def _bump_revision(db, testimony_id, stamp):
    db.execute("UPDATE testimony SET revision = revision + 1, updated_at = ? WHERE id = ?", [stamp, testimony_id])


def _public(row):
    """A testimony row for history: the text is identified by its hash, not copied again."""
    return {k: v for k, v in row.items() if k != "text"}


def _insert(db, table, row):
    """Insert one row and return its id. Plain SQL: sqlite-utils' `insert` reads the schema again on
    every call, which was most of an import's time before indexing (bench/results/peers.md)."""
    if not row:
        return db.execute(f"INSERT INTO [{table}] DEFAULT VALUES").lastrowid
    columns = ", ".join(f"[{name}]" for name in row)
    return db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({', '.join('?' * len(row))})",
                      list(row.values())).lastrowid


def _record(db, testimony_id, entity, entity_id, action, old, new, actor, reason, stamp):
    _insert(db, "history", {
        "testimony_id": testimony_id, "entity": entity, "entity_id": entity_id, "action": action,
        "old": json.dumps(old, ensure_ascii=False, default=str) if old is not None else None,
        "new": json.dumps(new, ensure_ascii=False, default=str) if new is not None else None,
        "actor": actor, "reason": reason, "at": stamp})


# --- reading ---------------------------------------------------------------------------------

def count_testimonies(db):
    """Testimonies in the archive; a purged one (a tombstone of its reference and hashes) is not."""
    return db.execute("SELECT count(*) FROM testimony WHERE purged_at IS NULL").fetchone()[0]


def get_testimony_row(db, reference):
    rows = list(db.query("SELECT * FROM testimony WHERE reference = ? AND purged_at IS NULL", [reference]))
    if not rows:
        raise NotFound(f"no testimony {reference}")
    return rows[0]


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
        f"SELECT id, reference, title, text, language, interview_date, confidentiality, consent, status, "
        f"{', '.join(INCIDENT_COLUMNS)} FROM testimony WHERE reference IN ({marks}) AND purged_at IS NULL",
        list(references))}
    for testimony_id, codes in codes_of(db, list(rows)).items():
        rows[testimony_id]["codes"] = codes
    for testimony_id, perpetrators in incident_perpetrators(db, list(rows)).items():
        rows[testimony_id]["incident_perpetrators"] = perpetrators
    return {row["reference"]: {"codes": [], "incident_perpetrators": [], **row} for row in rows.values()}


def get_witness_identity(db, witness_id):
    """The identifying fields, unsealed. Callers must check role and consent before showing them."""
    rows = list(db.query("SELECT name, contact FROM witness_identity WHERE witness_id = ?", [witness_id]))
    return {k: sealing.unseal(v) for k, v in rows[0].items()} if rows else None


def reseal_identities(db):
    """Seal every identity with the current key (plain ones sealed, older keys rotated out); returns
    how many rows were rewritten."""
    changed = 0
    for row in list(db.query("SELECT witness_id, name, contact FROM witness_identity")):
        sealed = {k: sealing.reseal(row[k]) for k in ("name", "contact")}
        if sealed != {k: row[k] for k in ("name", "contact")}:
            db["witness_identity"].update(row["witness_id"], sealed)
            changed += 1
    return changed


def _witness(db, witness_id):
    if witness_id is None:
        return None
    witness = next(db.query("SELECT pseudonym, gender, age, age_band, nationality, minor FROM witness WHERE id = ?",
                            [witness_id]))
    return {**witness, "minor": None if witness["minor"] is None else bool(witness["minor"])}


def codes_of(db, testimony_ids, stages=("coded",)):
    """{testimony_id: [code, ...]} with each code's perpetrators as a list of ids. By default only
    the testimony's coding ('coded'), not the blind codings of double coding."""
    if not testimony_ids:
        return {}
    marks = ",".join("?" * len(testimony_ids))
    stage_marks = ",".join("?" * len(stages))
    sql = f"""
        SELECT c.*, group_concat(cp.perpetrator_id, ' ') AS perpetrator_ids
        FROM code c LEFT JOIN code_perpetrator cp ON cp.code_id = c.id
        WHERE c.testimony_id IN ({marks}) AND c.stage IN ({stage_marks}) GROUP BY c.id ORDER BY c.id"""
    found = {}
    for code in db.query(sql, [*testimony_ids, *stages]):
        code["perpetrators"] = sorted((code.pop("perpetrator_ids") or "").split())
        found.setdefault(code["testimony_id"], []).append(code)
    return found


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
        SELECT t.id, t.reference, t.title, t.text, t.language, t.interview_date, t.confidentiality,
               t.consent, t.status, t.revision, w.gender, w.nationality, w.minor,
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
        for record in records:
            record["codes"] = codes.get(record["id"], [])
            record["incident_perpetrators"] = perpetrators.get(record["id"], [])
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


# --- coding: codes edited and removed on the workbench, redactions ---------------------------

# Columns of a code that a coder may change; `perpetrators` (code_perpetrator) may change too.
CODE_EDITABLE = (
    "abuse_type", "place_id", "place_text", "date_text", "date_from", "date_to", "date_precision",
    "victims", "minors", "passage_start", "passage_end", "passage_text", "note",
)


def get_code(db, code_id):
    """One code with its perpetrators as a sorted list of ids."""
    rows = list(db.query("SELECT * FROM code WHERE id = ?", [code_id]))
    if not rows:
        raise NotFound(f"no code {code_id}")
    code = rows[0]
    code["perpetrators"] = sorted(r[0] for r in db.execute(
        "SELECT perpetrator_id FROM code_perpetrator WHERE code_id = ?", [code_id]))
    return code


def update_code(db, code_id, changes, actor, reason):
    """Change a code's fields (and perpetrators); old and new values go to history. Returns the
    changed fields, {} when nothing changed."""
    unknown = set(changes) - set(CODE_EDITABLE) - {"perpetrators"}
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    current = get_code(db, code_id)
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if not changed:
        return {}
    stamp = now()
    columns = {k: v for k, v in changed.items() if k != "perpetrators"}
    db["code"].update(code_id, {**columns, "updated_at": stamp})
    if "perpetrators" in changed:
        db.execute("DELETE FROM code_perpetrator WHERE code_id = ?", [code_id])
        db["code_perpetrator"].insert_all({"code_id": code_id, "perpetrator_id": p} for p in changed["perpetrators"])
    _bump_revision(db, current["testimony_id"], stamp)
    _record(db, current["testimony_id"], "code", code_id, "update", {k: current[k] for k in changed}, changed,
            actor, reason, stamp)
    return changed


def delete_code(db, code_id, actor, reason):
    """Remove a code; its history stays, and the delete entry keeps every value it had."""
    current = get_code(db, code_id)
    stamp = now()
    db.execute("DELETE FROM code_perpetrator WHERE code_id = ?", [code_id])
    db.execute("DELETE FROM code WHERE id = ?", [code_id])
    _bump_revision(db, current["testimony_id"], stamp)
    _record(db, current["testimony_id"], "code", code_id, "delete", current, None, actor, reason, stamp)


def insert_redaction(db, testimony_id, start, end, actor, reason):
    """Mark a passage as identifying: exports replace it with [redacted]. Its text is not copied
    into history (it identifies someone); the offsets are."""
    stamp = now()
    row = {"testimony_id": testimony_id, "passage_start": start, "passage_end": end, "reason": reason,
           "coder": actor, "created_at": stamp}
    redaction_id = db["redaction"].insert(row).last_pk
    _bump_revision(db, testimony_id, stamp)
    _record(db, testimony_id, "redaction", redaction_id, "create", None, row, actor, reason, stamp)
    return redaction_id


def redactions_in(db, testimony_id):
    """The redactions of one testimony, as rows, in text order (the coding page marks them)."""
    return list(db.query("SELECT * FROM redaction WHERE testimony_id = ? ORDER BY passage_start, id",
                         [testimony_id]))

# --- suggestions: those a person dismissed ----------------------------------------------------

# A dismissal made within a blind coding is seen (and undone) only by the coder who made it.
_SEEN_BY = "(blind = 0 OR dismissed_by = ?)"


def insert_suggestion_dismissal(db, testimony_id, kind, value, actor, reason=None, blind=False):
    """Record that `actor` dismissed a suggestion (history too). Returns False, changing nothing,
    when it is already dismissed as far as `actor` can see."""
    if (kind, value) in dismissed_suggestions(db, testimony_id, actor):
        return False
    stamp = now()
    row = {"testimony_id": testimony_id, "kind": kind, "value": value, "dismissed_by": actor, "at": stamp,
           "reason": reason, "blind": int(blind)}
    dismissal_id = db["suggestion_dismissal"].insert(row).last_pk
    _record(db, testimony_id, "suggestion_dismissal", dismissal_id, "create", None,
            {"kind": kind, "value": value, "blind": bool(blind)}, actor, reason or "suggestion dismissed", stamp)
    return True


def dismissed_suggestions(db, testimony_id, viewer):
    """{(kind, value)} of the suggestions dismissed on this testimony, as `viewer` sees them."""
    return set(db.execute(f"SELECT kind, value FROM suggestion_dismissal WHERE testimony_id = ? AND {_SEEN_BY}",
                          [testimony_id, viewer]).fetchall())


def suggestion_dismissals(db, testimony_id, viewer):
    """The dismissals `viewer` sees on this testimony, latest first."""
    return list(db.query(f"SELECT id, kind, value, dismissed_by, at, reason, blind FROM suggestion_dismissal "
                         f"WHERE testimony_id = ? AND {_SEEN_BY} ORDER BY at DESC, id DESC", [testimony_id, viewer]))


def delete_suggestion_dismissal(db, testimony_id, kind, value, actor, reason=None):
    """Offer a dismissed suggestion again; history keeps who dismissed it and who restored it.
    Returns False when `actor` sees no such dismissal."""
    rows = [r for r in suggestion_dismissals(db, testimony_id, actor) if (r["kind"], r["value"]) == (kind, value)]
    stamp = now()
    for old in rows:
        db.execute("DELETE FROM suggestion_dismissal WHERE id = ?", [old["id"]])
        _record(db, testimony_id, "suggestion_dismissal", old["id"], "delete", old, None, actor,
                reason or "suggestion restored", stamp)
    return bool(rows)


# --- codebook browser: how often each codebook value is used ----------------------------------

_COUNTED = {
    "abuse_type": "c.abuse_type",
    "place_id": "c.place_id",
    "perpetrator": "cp.perpetrator_id",
}


def code_counts(db, by, scope):
    """{value: (codes, testimonies)} for `by` ('abuse_type', 'place_id' or 'perpetrator'), over the
    testimonies in `scope` only ({'confidentiality': [...], 'consent': [...]}, access.search_scope),
    so that a count never reveals testimonies the person may not open. Settled codes only (not the
    blind codings of double coding)."""
    column = _COUNTED[by]
    joins = "JOIN code_perpetrator cp ON cp.code_id = c.id" if by == "perpetrator" else ""
    levels, consents = scope.get("confidentiality", []), scope.get("consent", [])
    if not levels or not consents:
        return {}
    sql = f"""
        SELECT {column}, count(DISTINCT c.id), count(DISTINCT c.testimony_id)
        FROM code c JOIN testimony t ON t.id = c.testimony_id {joins}
        WHERE c.stage = 'coded' AND {column} IS NOT NULL
          AND t.confidentiality IN ({",".join("?" * len(levels))}) AND t.consent IN ({",".join("?" * len(consents))})
        GROUP BY {column}"""
    return {value: (codes, testimonies) for value, codes, testimonies in db.execute(sql, [*levels, *consents])}


# --- exports and case files (archive/export/) ----------------------------------------------------

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
        SELECT t.id, t.reference, t.title, t.text, t.language, t.interview_date, t.organisation, t.source,
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


def redactions_of(db, testimony_ids):
    """{testimony_id: [(start, end), ...]} of passages marked "identifying - redact"."""
    marks = ",".join("?" * len(testimony_ids))
    found = {}
    for row in db.query(f"SELECT testimony_id, passage_start, passage_end FROM redaction "
                        f"WHERE testimony_id IN ({marks}) ORDER BY passage_start", list(testimony_ids)):
        found.setdefault(row["testimony_id"], []).append((row["passage_start"], row["passage_end"]))
    return found


def insert_case_file(db, name, actor):
    stamp = now()
    return db["case_file"].insert({"name": name, "created_by": actor, "created_at": stamp,
                                   "updated_at": stamp}).last_pk


def case_files_named(db, name):
    """Every case file of that name (each owner's names are their own), oldest first."""
    return list(db.query("SELECT * FROM case_file WHERE name = ? ORDER BY id", [name]))


def get_case_file(db, case_file_id):
    rows = list(db.query("SELECT * FROM case_file WHERE id = ?", [case_file_id]))
    if not rows:
        raise NotFound(f"no case file {case_file_id}")
    return rows[0]


def list_case_files(db, account):
    """The case files `account` made or that are shared with it, with their testimony counts."""
    return list(db.query("""
        SELECT f.*, count(ft.testimony_id) AS testimonies FROM case_file f
        LEFT JOIN case_file_testimony ft ON ft.case_file_id = f.id
        WHERE f.created_by = ? COLLATE NOCASE
           OR f.id IN (SELECT case_file_id FROM case_file_share WHERE account = ? COLLATE NOCASE)
        GROUP BY f.id ORDER BY f.name, f.id""", [account, account]))


def case_file_shares(db, case_file_id):
    """The names of the accounts a case file is shared with."""
    return [row[0] for row in db.execute(
        "SELECT account FROM case_file_share WHERE case_file_id = ? ORDER BY account", [case_file_id])]


def share_case_file(db, case_file_id, account, actor):
    db.execute("INSERT OR IGNORE INTO case_file_share (case_file_id, account, shared_by, shared_at) "
               "VALUES (?, ?, ?, ?)", [case_file_id, account, actor, now()])


def unshare_case_file(db, case_file_id, account):
    return db.execute("DELETE FROM case_file_share WHERE case_file_id = ? AND account = ? COLLATE NOCASE",
                      [case_file_id, account]).rowcount == 1


def rename_case_file(db, case_file_id, name):
    db["case_file"].update(case_file_id, {"name": name, "updated_at": now()})


def add_to_case_file(db, case_file_id, testimony_ids, actor):
    stamp = now()
    db["case_file_testimony"].insert_all(
        ({"case_file_id": case_file_id, "testimony_id": t, "added_by": actor, "added_at": stamp}
         for t in testimony_ids), ignore=True)
    db["case_file"].update(case_file_id, {"updated_at": stamp})


def remove_from_case_file(db, case_file_id, testimony_ids):
    for testimony_id in testimony_ids:
        db.execute("DELETE FROM case_file_testimony WHERE case_file_id = ? AND testimony_id = ?",
                   [case_file_id, testimony_id])
    db["case_file"].update(case_file_id, {"updated_at": now()})


def case_file_references(db, case_file_id):
    """The case file's testimony references, in reference order."""
    return [row[0] for row in db.execute(
        "SELECT t.reference FROM case_file_testimony ft JOIN testimony t ON t.id = ft.testimony_id "
        "WHERE ft.case_file_id = ? ORDER BY t.reference", [case_file_id])]


def insert_export_record(db, record):
    return db["export_record"].insert(
        {**record, **{k: json.dumps(record[k], ensure_ascii=False, sort_keys=True)
                      for k in ("options", "search", "left_out") if record.get(k) is not None},
         "at": now()}).last_pk


def list_export_records(db, limit=100):
    return [{**r, **{k: json.loads(r[k]) if r[k] else None for k in ("options", "search", "left_out")}}
            for r in db.query("SELECT * FROM export_record ORDER BY id DESC LIMIT ?", [limit])]


# --- double coding (archive/double_coding/__init__.py) --------------------------------------------------
# Assignments of a testimony to coders who code it blind, and the stage changes of settlement.

def insert_assignment(db, testimony_id, coder, actor, reason, stamp):
    row = {"testimony_id": testimony_id, "coder": coder, "assigned_by": actor, "assigned_at": stamp}
    db["coding_assignment"].insert(row)
    _record(db, testimony_id, "coding_assignment", testimony_id, "assign", None, row, actor, reason, stamp)


def assignments_of(db, testimony_id):
    return list(db.query("SELECT * FROM coding_assignment WHERE testimony_id = ? ORDER BY assigned_at, coder",
                         [testimony_id]))


def open_assignments(db, coder):
    """The testimonies `coder` is assigned to code blind and that are not settled yet, oldest first:
    {reference, title, confidentiality, consent, assigned_by, assigned_at, submitted_at}."""
    return list(db.query("""
        SELECT t.reference, t.title, t.confidentiality, t.consent, a.assigned_by, a.assigned_at, a.submitted_at
        FROM coding_assignment a JOIN testimony t ON t.id = a.testimony_id
        WHERE a.coder = ? AND a.settled_at IS NULL ORDER BY a.assigned_at, t.reference""", [coder]))


def double_coded_ids(db):
    """Ids of every testimony assigned to coders, settled or not."""
    return [row[0] for row in db.execute("SELECT DISTINCT testimony_id FROM coding_assignment ORDER BY 1")]


def assignments_by_testimony(db, testimony_ids):
    """{testimony id: [assignment, ...]} for these testimonies, in assignment order."""
    if not testimony_ids:
        return {}
    marks = ",".join("?" * len(testimony_ids))
    found = {}
    sql = f"""
        SELECT a.*, t.reference, t.confidentiality, t.consent
        FROM coding_assignment a JOIN testimony t ON t.id = a.testimony_id
        WHERE a.testimony_id IN ({marks}) ORDER BY a.assigned_at, a.coder"""
    for row in db.query(sql, list(testimony_ids)):
        found.setdefault(row["testimony_id"], []).append(row)
    return found


def mark_submitted(db, testimony_id, coder, stamp):
    db.execute("UPDATE coding_assignment SET submitted_at = ? WHERE testimony_id = ? AND coder = ?",
               [stamp, testimony_id, coder])
    _record(db, testimony_id, "coding_assignment", testimony_id, "submit", None, {"coder": coder},
            coder, None, stamp)


def mark_settled(db, testimony_id, decisions, actor, reason, stamp):
    db.execute("UPDATE coding_assignment SET settled_by = ?, settled_at = ? WHERE testimony_id = ?",
               [actor, stamp, testimony_id])
    _record(db, testimony_id, "coding_assignment", testimony_id, "settle", None, {"decisions": decisions},
            actor, reason, stamp)


def supersede_code(db, code, actor, reason, stamp):
    """A blind code becomes 'superseded': kept for the record, never read as the coding."""
    db.execute("UPDATE code SET stage = 'superseded', updated_at = ? WHERE id = ?", [stamp, code["id"]])
    _record(db, code["testimony_id"], "code", code["id"], "supersede", {"stage": code["stage"]},
            {"stage": "superseded"}, actor, reason, stamp)


def insert_settled_code(db, blind_code, perpetrators, actor, reason, stamp):
    """A 'coded' copy of a blind code, under its original coder; history says who settled it and why."""
    kept = ("abuse_type", "place_id", "place_text", "date_text", "date_from", "date_to", "date_precision",
            "victims", "minors", "passage_start", "passage_end", "passage_text", "note", "coder",
            "codebook_version", "testimony_id")
    row = {key: blind_code[key] for key in kept}
    row.update(stage="coded", created_at=stamp, updated_at=stamp)
    code_id = db["code"].insert(row).last_pk
    db["code_perpetrator"].insert_all({"code_id": code_id, "perpetrator_id": p} for p in perpetrators)
    _record(db, row["testimony_id"], "code", code_id, "settle", None,
            {**row, "perpetrators": perpetrators, "settled_from": blind_code["id"]}, actor, reason, stamp)
    return code_id


def bump_revision(db, testimony_id, stamp):
    _bump_revision(db, testimony_id, stamp)


def coder_accounts(db):
    """Names of the active accounts that can code (the choices when assigning double coding)."""
    return [row[0] for row in db.execute(
        "SELECT name FROM user WHERE role IN ('coder', 'reviewer') AND active = 1 ORDER BY name COLLATE NOCASE")]
