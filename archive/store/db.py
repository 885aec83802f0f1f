"""The SQLite file: opening it safely, its tables, and write transactions.

SQLite is the archive's single source of truth; the search index is derived from it.
Every connection runs in WAL mode with a busy timeout, and every transaction that will write
starts with BEGIN IMMEDIATE: a deferred BEGIN that reads and then writes fails with
SQLITE_BUSY_SNAPSHOT under concurrent writers whatever the timeout.
"""
import contextlib
import re
import sqlite3

import sqlite_utils

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- The codebook, loaded from archive/data/codebook.yaml (ids never change).
CREATE TABLE IF NOT EXISTS legal_provision (
    id TEXT PRIMARY KEY, instrument TEXT NOT NULL, article TEXT NOT NULL, title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS abuse_type (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, parent TEXT REFERENCES abuse_type(id), definition TEXT);
CREATE TABLE IF NOT EXISTS abuse_type_legal (
    abuse_type TEXT NOT NULL REFERENCES abuse_type(id),
    legal_provision TEXT NOT NULL REFERENCES legal_provision(id),
    PRIMARY KEY (abuse_type, legal_provision));
CREATE TABLE IF NOT EXISTS abuse_type_term (
    abuse_type TEXT NOT NULL REFERENCES abuse_type(id), language TEXT NOT NULL, term TEXT NOT NULL,
    PRIMARY KEY (abuse_type, language, term));
CREATE TABLE IF NOT EXISTS perpetrator (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, kind TEXT NOT NULL, side TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS place (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, type TEXT, lat REAL, lon REAL);
CREATE TABLE IF NOT EXISTS place_variant (
    place_id TEXT NOT NULL REFERENCES place(id), spelling TEXT NOT NULL, PRIMARY KEY (place_id, spelling));
CREATE TABLE IF NOT EXISTS date_precision (id TEXT PRIMARY KEY, label TEXT NOT NULL, example TEXT);

-- The archive.
CREATE TABLE IF NOT EXISTS import_batch (
    id INTEGER PRIMARY KEY, filename TEXT NOT NULL, file_sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL, imported INTEGER NOT NULL, duplicates INTEGER NOT NULL,
    actor TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS witness (
    id INTEGER PRIMARY KEY, pseudonym TEXT, gender TEXT, age INTEGER, age_band TEXT,
    nationality TEXT, minor INTEGER);
-- Identifying fields live apart, so that access rules can guard one table.
CREATE TABLE IF NOT EXISTS witness_identity (
    witness_id INTEGER PRIMARY KEY REFERENCES witness(id), name TEXT, contact TEXT);
CREATE TABLE IF NOT EXISTS testimony (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT,
    text TEXT NOT NULL,
    language TEXT,                   -- as stated at intake, or as a coder corrected it
    language_detected TEXT,          -- archive/languages.py, when none was stated: a code, or 'und' (no guess)
    interview_date TEXT,
    interviewer TEXT,
    organisation TEXT,
    source TEXT,
    sha256 TEXT NOT NULL,            -- of `text` as stored (NFC, LF line endings)
    sha256_received TEXT NOT NULL,   -- of the text exactly as received, before normalisation
    confidentiality TEXT NOT NULL CHECK (confidentiality IN ('public', 'restricted', 'confidential')),
    consent TEXT NOT NULL CHECK (consent IN ('internal', 'legal', 'publication', 'withdrawn')),
    consent_recorded_at TEXT NOT NULL,
    consent_recorded_by TEXT NOT NULL,
    consent_decided_at TEXT,         -- the day the witness decided (a change of consent); NULL: at intake
    status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'coded', 'reviewed')),
    witness_id INTEGER REFERENCES witness(id),
    import_batch_id INTEGER REFERENCES import_batch(id),
    revision INTEGER NOT NULL DEFAULT 1,  -- bumped on every change; the index records the one it holds
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The incident as stated at intake (archive/intake/incident.py): where and when, before any coding.
    incident_place_id TEXT REFERENCES place(id),
    incident_place_text TEXT,        -- as written; kept and flagged when the gazetteer has no match
    incident_date_text TEXT, incident_date_from TEXT, incident_date_to TEXT,
    incident_date_precision TEXT REFERENCES date_precision(id),
    -- Set when the statement was purged (archive/consent/purge.py): the row stays as a tombstone holding only the
    -- reference and the hashes; the text, witness, codes and copies are erased.
    purged_at TEXT);
CREATE INDEX IF NOT EXISTS testimony_sha256 ON testimony(sha256);
-- Who the intake says did it (the testimony's incident); codes name their own perpetrators.
CREATE TABLE IF NOT EXISTS incident_perpetrator (
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    perpetrator_id TEXT NOT NULL REFERENCES perpetrator(id),
    PRIMARY KEY (testimony_id, perpetrator_id));
CREATE TABLE IF NOT EXISTS code (
    id INTEGER PRIMARY KEY,
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    abuse_type TEXT REFERENCES abuse_type(id),
    place_id TEXT REFERENCES place(id),
    place_text TEXT,                 -- as written; kept and flagged when the gazetteer has no match
    date_text TEXT,                  -- EDTF as given: 2021-11, 2021-09/2021-11, 2021-11-16~
    date_from TEXT, date_to TEXT,    -- inclusive day bounds for period searches
    date_precision TEXT REFERENCES date_precision(id),
    victims INTEGER, minors INTEGER,
    passage_start INTEGER, passage_end INTEGER, passage_text TEXT,  -- offsets into testimony.text
    note TEXT,
    coder TEXT NOT NULL,
    codebook_version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- 'coded': the testimony's coding, used by search and exports; 'blind': one coder's independent
    -- coding of a double-coded testimony, awaiting agreement; 'superseded': a blind coding after a
    -- reviewer settled the testimony, kept for the record.
    stage TEXT NOT NULL DEFAULT 'coded' CHECK (stage IN ('coded', 'blind', 'superseded')));
CREATE INDEX IF NOT EXISTS code_testimony ON code(testimony_id);
CREATE TABLE IF NOT EXISTS code_perpetrator (
    code_id INTEGER NOT NULL REFERENCES code(id),
    perpetrator_id TEXT NOT NULL REFERENCES perpetrator(id),
    PRIMARY KEY (code_id, perpetrator_id));
-- Every change to a testimony, witness or code: nothing is overwritten or deleted unrecorded.
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    entity TEXT NOT NULL, entity_id INTEGER NOT NULL, action TEXT NOT NULL,
    old TEXT, new TEXT,              -- JSON of the changed fields; identifying fields never
    actor TEXT NOT NULL, reason TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_testimony ON history(testimony_id);
-- Append-only audit log; each entry's hash covers its content and the previous entry's hash.
CREATE TABLE IF NOT EXISTS audit_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT,
    detail TEXT NOT NULL,            -- JSON; never identifying fields
    previous_hash TEXT NOT NULL, hash TEXT NOT NULL);
-- The audit view filters by who (a user's history: what they did and what was done to their
-- account, names compared without case as accounts are) and by testimony (archive/custody/audit_entries.py).
CREATE INDEX IF NOT EXISTS audit_event_actor ON audit_event(actor COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS audit_event_subject ON audit_event(subject COLLATE NOCASE);

-- Double coding: a testimony assigned to two (or more) coders, who code it blind to each other.
CREATE TABLE IF NOT EXISTS coding_assignment (
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    coder TEXT NOT NULL,
    assigned_by TEXT NOT NULL, assigned_at TEXT NOT NULL,
    submitted_at TEXT,               -- when the coder said their blind coding is complete
    settled_by TEXT, settled_at TEXT,
    PRIMARY KEY (testimony_id, coder));

-- Passages a coder marked "identifying - redact": replaced by [redacted] in every export.
CREATE TABLE IF NOT EXISTS redaction (
    id INTEGER PRIMARY KEY,
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    passage_start INTEGER NOT NULL, passage_end INTEGER NOT NULL,  -- offsets into testimony.text
    reason TEXT, coder TEXT NOT NULL, created_at TEXT NOT NULL,
    CHECK (passage_start >= 0 AND passage_end > passage_start));
CREATE INDEX IF NOT EXISTS redaction_testimony ON redaction(testimony_id);

-- Accounts (archive/security/accounts.py). Passwords and tokens are stored only as hashes.
CREATE TABLE IF NOT EXISTS user (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coder', 'reviewer', 'lawyer', 'viewer')),
    password_hash TEXT NOT NULL,     -- argon2id
    active INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,  -- since the last login, for the administrator's information
    locked_until TEXT,               -- no longer set (failed logins are throttled per address instead)
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
-- Server-side sessions, so that logout and locking really end them (a signed cookie alone
-- still works when replayed after logout).
CREATE TABLE IF NOT EXISTS login_session (
    id TEXT PRIMARY KEY,             -- SHA-256 of the random id the cookie carries
    user_id INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT);
-- Failed logins per (name, client address), and per address with name_sha256 '', both only as
-- hashes: archive/security/login_throttle.py slows guessing down without locking anyone's account.
CREATE TABLE IF NOT EXISTS login_failure (
    name_sha256 TEXT NOT NULL, address_sha256 TEXT NOT NULL,
    failures INTEGER NOT NULL, first_at TEXT NOT NULL, last_at TEXT NOT NULL,
    wait_until TEXT,                 -- no attempt of this name (or from this address) before then
    PRIMARY KEY (name_sha256, address_sha256));
CREATE INDEX IF NOT EXISTS login_failure_last ON login_failure(last_at);
-- Two-factor login (archive/security/two_factor.py): one TOTP secret per enrolled account, the last
-- time step accepted (a code is never accepted twice), and the recovery codes, stored only as SHA-256.
CREATE TABLE IF NOT EXISTS two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES user(id),
    secret TEXT NOT NULL,            -- base32 (RFC 4648), sealed when ARCHIVE_IDENTITY_KEY is set
    confirmed_at TEXT,               -- NULL until the first code was typed back: not yet in force
    last_step INTEGER,               -- the last 30-second step whose code was accepted
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS recovery_code (
    user_id INTEGER NOT NULL REFERENCES user(id),
    code_sha256 TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_sha256));
-- A login whose password was right and whose second factor is still to come: not a session, it
-- opens nothing but the code (or enrolment) page, and lasts minutes.
CREATE TABLE IF NOT EXISTS pending_login (
    id TEXT PRIMARY KEY,             -- SHA-256 of the random id the cookie carries
    user_id INTEGER NOT NULL REFERENCES user(id),
    step TEXT NOT NULL CHECK (step IN ('code', 'enrol')),
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_token (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user(id),
    label TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, expires_at TEXT, last_used_at TEXT, revoked_at TEXT,
    -- what it may do: 'read' (GET, HEAD, OPTIONS only) or 'write' (everything its account may)
    scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write')));

-- Suggestions a person dismissed (archive/coding/suggestion_review.py): not offered again on that testimony.
CREATE TABLE IF NOT EXISTS suggestion_dismissal (
    id INTEGER PRIMARY KEY,
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    kind TEXT NOT NULL CHECK (kind IN ('abuse_type', 'place', 'date')),
    value TEXT NOT NULL,             -- abuse type id, place id or EDTF date
    dismissed_by TEXT NOT NULL, at TEXT NOT NULL, reason TEXT,
    blind INTEGER NOT NULL DEFAULT 0,  -- dismissed within a blind coding: it hides the suggestion for that coder only
    UNIQUE (testimony_id, kind, value, dismissed_by));
-- Exports (archive/export/). A case file is a named, saved selection of testimonies a lawyer
-- builds by ticking search results; every export, of a search or a case file, is recorded.
-- A case file is private to its owner (created_by) and whom it is shared with (access.py), so
-- names are unique per owner: one lawyer's name must not tell another that the case exists.
CREATE TABLE IF NOT EXISTS case_file (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (created_by, name));
CREATE TABLE IF NOT EXISTS case_file_share (
    case_file_id INTEGER NOT NULL REFERENCES case_file(id),
    account TEXT NOT NULL COLLATE NOCASE,  -- a user name, as login_session and history name them
    shared_by TEXT NOT NULL, shared_at TEXT NOT NULL,
    PRIMARY KEY (case_file_id, account));
CREATE TABLE IF NOT EXISTS case_file_testimony (
    case_file_id INTEGER NOT NULL REFERENCES case_file(id),
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    added_by TEXT NOT NULL, added_at TEXT NOT NULL,
    PRIMARY KEY (case_file_id, testimony_id));
CREATE TABLE IF NOT EXISTS export_record (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL, actor TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('csv', 'json', 'pdf', 'qdpx')),
    options TEXT NOT NULL,           -- JSON: per, bom, identify, statements
    search TEXT,                     -- JSON: the query, filters and period exported, or null
    case_file_id INTEGER REFERENCES case_file(id),
    records INTEGER NOT NULL,        -- testimonies in the file
    left_out TEXT NOT NULL,          -- JSON: {reason: count} of selected testimonies not exported
    identified INTEGER NOT NULL,     -- testimonies whose witness identity the file shows
    sha256 TEXT NOT NULL);           -- of the file as written
-- Which testimonies each export held (recorded since consent changes: archive/consent/__init__.py), so that a
-- withdrawal can name the exports, their makers and dates, and whether the file showed the identity.
CREATE TABLE IF NOT EXISTS export_testimony (
    export_id INTEGER NOT NULL REFERENCES export_record(id),
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    identified INTEGER NOT NULL DEFAULT 0,  -- the file shows this witness's identity
    PRIMARY KEY (export_id, testimony_id));
CREATE INDEX IF NOT EXISTS export_testimony_testimony ON export_testimony(testimony_id);

-- Incidents (archive/incidents/): a layer of judgment above the testimonies, which never change
-- because of it. Not the incident a testimony states at intake (testimony.incident_*): an incident
-- record is one event as coders judge it, told by any number of testimonies (incident_source).
CREATE TABLE IF NOT EXISTS incident_record (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    date_text TEXT, date_from TEXT, date_to TEXT,   -- a partial date as codes have it (archive/dates.py)
    date_precision TEXT REFERENCES date_precision(id),
    place_id TEXT REFERENCES place(id), place_text TEXT,
    people_min INTEGER, people_max INTEGER,         -- the group: exact when equal, a range otherwise; NULL unknown
    minors INTEGER, women INTEGER,                  -- of whom, where known
    note TEXT,
    external_id TEXT UNIQUE,                        -- an organisation's own id for it, from an import
    created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    CHECK (people_min IS NULL OR people_max IS NULL OR people_min <= people_max));
CREATE TABLE IF NOT EXISTS incident_record_perpetrator (
    incident_id INTEGER NOT NULL REFERENCES incident_record(id),
    perpetrator_id TEXT NOT NULL REFERENCES perpetrator(id),
    PRIMARY KEY (incident_id, perpetrator_id));
-- A push-back's crossings and removals, in order: "BY -> PL, Kuźnica, 2021-11-08, PL border guard".
CREATE TABLE IF NOT EXISTS incident_leg (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident_record(id),
    position INTEGER NOT NULL,
    from_side TEXT REFERENCES perpetrator(id), to_side TEXT REFERENCES perpetrator(id),  -- state sides (PL, BY)
    place_id TEXT REFERENCES place(id), place_text TEXT,
    date_text TEXT, date_from TEXT, date_to TEXT, date_precision TEXT REFERENCES date_precision(id),
    perpetrator_id TEXT REFERENCES perpetrator(id),
    note TEXT,
    UNIQUE (incident_id, position));
-- Which testimonies (or which of their codes) tell of an incident; a testimony may tell of several.
CREATE TABLE IF NOT EXISTS incident_source (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident_record(id),
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    code_id INTEGER REFERENCES code(id),            -- NULL: the whole testimony
    reason TEXT, linked_by TEXT NOT NULL, linked_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS incident_source_once ON incident_source(incident_id, testimony_id, coalesce(code_id, 0));
CREATE INDEX IF NOT EXISTS incident_source_testimony ON incident_source(testimony_id);
-- Every change to an incident, its legs and its sources (the testimonies' own history is untouched).
CREATE TABLE IF NOT EXISTS incident_history (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incident_record(id),
    entity TEXT NOT NULL, entity_id INTEGER NOT NULL, action TEXT NOT NULL,
    old TEXT, new TEXT, actor TEXT NOT NULL, reason TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incident_history_incident ON incident_history(incident_id);
-- A reviewer's decision on a candidate link (archive/incidents/candidates.py): a testimony and an
-- incident, or another testimony, that may tell the same event. A rejected pair is never offered
-- again; a confirmed one became a source (of the incident, or of a new incident of the two).
CREATE TABLE IF NOT EXISTS incident_link_decision (
    id INTEGER PRIMARY KEY,
    testimony_id INTEGER NOT NULL REFERENCES testimony(id),
    incident_id INTEGER REFERENCES incident_record(id),
    other_testimony_id INTEGER REFERENCES testimony(id),
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    score REAL, reasons TEXT,                       -- JSON: the reasons shown when it was decided
    reason TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL,
    CHECK ((incident_id IS NULL) != (other_testimony_id IS NULL)));
CREATE INDEX IF NOT EXISTS incident_link_decision_testimony ON incident_link_decision(testimony_id);
-- How many the group was, as a statement's text says it (archive/incidents/group_sizes.py), read once when
-- the testimony is stored (a text never changes) or, for testimonies stored before, by `archive init`:
-- candidate links use it where no code gives a number of victims. NULL people: the text says none.
CREATE TABLE IF NOT EXISTS stated_group_size (
    testimony_id INTEGER PRIMARY KEY REFERENCES testimony(id),
    people_min INTEGER, people_max INTEGER, approximate INTEGER NOT NULL DEFAULT 0);
-- What a statement's text says of its event besides date, place and size (archive/incidents/circumstances.py):
-- the times of day, the crossings and where the group came from, each space-separated words ('' : none said),
-- read once when the testimony is stored or, for testimonies stored before, by `archive init`.
CREATE TABLE IF NOT EXISTS stated_circumstances (
    testimony_id INTEGER PRIMARY KEY REFERENCES testimony(id),
    times TEXT NOT NULL DEFAULT '', crossings TEXT NOT NULL DEFAULT '', origins TEXT NOT NULL DEFAULT '');
-- The weights candidate links are scored with, as `archive incidents refit` estimated them from this archive
-- (archive/incidents/fitting.py); the newest row is used, none: the weights the archive ships with. Every
-- refit is a row (and an audit entry), so what scored a decision can be traced.
CREATE TABLE IF NOT EXISTS linkage_weights (
    id INTEGER PRIMARY KEY,
    weights TEXT NOT NULL,                          -- JSON {part: {level: log2 m/u}}
    partners REAL NOT NULL,                         -- accounts of its event a testimony meets in blocking
    pairs INTEGER NOT NULL, labelled INTEGER NOT NULL,   -- blocked pairs fitted; of them labelled by decisions
    fitted_by TEXT NOT NULL, fitted_at TEXT NOT NULL);

-- REFI-QDA exchange (archive/exchange/): the GUID each of our things has in .qdc and .qdpx files,
-- kept so that every export names an abuse type, a testimony or a code the same way, and a file
-- exported here and imported again keeps its GUIDs. `kind`: abuse_type, perpetrator, place, testimony,
-- code, user, note, variable, project; `key` our id (or name, for a user).
CREATE TABLE IF NOT EXISTS exchange_guid (
    kind TEXT NOT NULL, key TEXT NOT NULL, guid TEXT NOT NULL UNIQUE,
    PRIMARY KEY (kind, key));
-- A foreign code (by its GUID) mapped by hand onto our codebook by an admin, or refused (target NULL):
-- the next import of a file naming it follows the decision. Never a new abuse type.
CREATE TABLE IF NOT EXISTS exchange_code_map (
    guid TEXT PRIMARY KEY, name TEXT NOT NULL,
    target_kind TEXT CHECK (target_kind IN ('abuse_type', 'perpetrator', 'place')),
    target_id TEXT,
    decided_by TEXT NOT NULL, decided_at TEXT NOT NULL,
    CHECK ((target_kind IS NULL) = (target_id IS NULL)));

-- A PDF export run by the server after the request (archive/export/jobs.py); only `actor` sees it.
CREATE TABLE IF NOT EXISTS export_job (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    format TEXT NOT NULL,
    records INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'downloaded', 'failed', 'expired')),
    file TEXT,                       -- the finished file's name in the data directory's exports/
    export_id INTEGER REFERENCES export_record(id),
    sha256 TEXT,
    warnings TEXT,                   -- JSON: the export's warnings (left out, small groups)
    error TEXT,                      -- what the person is told; never a statement's words
    started_at TEXT NOT NULL,
    finished_at TEXT,
    name TEXT);                      -- what the file is called when downloaded
"""

# Columns added to existing tables after their first release: (table, column, SQL type and default).
# `migrate` adds whichever an older database lacks; CREATE TABLE above already has them all.
ADDED_COLUMNS = (
    ("code", "stage", "TEXT NOT NULL DEFAULT 'coded' CHECK (stage IN ('coded', 'blind', 'superseded'))"),
    ("testimony", "incident_place_id", "TEXT REFERENCES place(id)"),
    ("testimony", "incident_place_text", "TEXT"),
    ("testimony", "incident_date_text", "TEXT"),
    ("testimony", "incident_date_from", "TEXT"),
    ("testimony", "incident_date_to", "TEXT"),
    ("testimony", "incident_date_precision", "TEXT REFERENCES date_precision(id)"),
    ("export_job", "name", "TEXT"),
    ("testimony", "consent_decided_at", "TEXT"),
    ("testimony", "purged_at", "TEXT"),
    ("user", "language", "TEXT"),  # the interface language the user chose (archive/i18n.py); NULL: none chosen
    # Tokens made before scopes keep read-write, as they worked: an organisation's running integration must
    # not start failing unannounced. New tokens are read-only unless their maker chooses otherwise.
    ("testimony", "language_detected", "TEXT"),  # NULL: not yet read (archive init reads them: service.init)
    ("api_token", "scope", "TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'))"),
)


def connect(path):
    """A sqlite_utils.Database on `path`, one per thread (connections are not shared)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")  # an acknowledged write survives power loss
    return sqlite_utils.Database(conn)


def migrate(db):
    """Create what is missing; refuse a database written by a newer version of the archive."""
    _case_file_names_per_owner(db)
    _export_formats(db)
    with write_transaction(db):
        for statement in _statements(SCHEMA):
            db.execute(statement)
        for table, column, declaration in ADDED_COLUMNS:
            if column not in db[table].columns_dict:
                db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {declaration}")
        found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found and int(found[0]) > SCHEMA_VERSION:
            raise RuntimeError(f"database schema {found[0]} is newer than this archive ({SCHEMA_VERSION})")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


CASE_FILE_PER_OWNER = """CREATE TABLE case_file_rebuilt (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (created_by, name))"""


def _case_file_names_per_owner(db):
    """An archive made when case files were shared by all had their names unique across owners:
    rebuild the table with names unique per owner, as SQLite rebuilds a table that others refer to
    (foreign keys off, copy, drop, rename, check; all in one transaction)."""
    found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'case_file'").fetchone()
    if found is None or "UNIQUE (created_by, name)" in found[0]:
        return
    db.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
    try:
        with write_transaction(db):
            db.execute(CASE_FILE_PER_OWNER)
            db.execute("INSERT INTO case_file_rebuilt (id, name, created_by, created_at, updated_at) "
                       "SELECT id, name, created_by, created_at, updated_at FROM case_file")
            db.execute("DROP TABLE case_file")
            db.execute("ALTER TABLE case_file_rebuilt RENAME TO case_file")
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"case files could not be migrated: {len(broken)} broken reference(s)")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _export_formats(db):
    """An archive made before REFI-QDA projects were exported refuses 'qdpx' in export_record.format:
    rebuild the table with the wider CHECK, as `_case_file_names_per_owner` rebuilds case_file."""
    found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'export_record'").fetchone()
    if found is None or "'qdpx'" in found[0]:
        return
    rebuilt = found[0].replace("CREATE TABLE export_record", "CREATE TABLE export_record_rebuilt", 1).replace(
        "'pdf')", "'pdf', 'qdpx')", 1)
    db.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
    try:
        with write_transaction(db):
            db.execute(rebuilt)
            db.execute("INSERT INTO export_record_rebuilt SELECT * FROM export_record")
            db.execute("DROP TABLE export_record")
            db.execute("ALTER TABLE export_record_rebuilt RENAME TO export_record")
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"exports could not be migrated: {len(broken)} broken reference(s)")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _statements(script):
    """The statements of a script (executescript would COMMIT the open transaction)."""
    code = re.sub(r"--[^\n]*", "", script)
    return [statement.strip() for statement in code.split(";") if statement.strip()]


def is_initialised(db):
    return "meta" in db.table_names() and db.execute(
        "SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone() is not None


@contextlib.contextmanager
def write_transaction(db):
    """One all-or-nothing write: BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception."""
    if db.conn.in_transaction:
        with db.atomic():  # nested: a savepoint inside the outer transaction
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.execute("COMMIT")


# --- the file itself: integrity, and wiping what was deleted (archive/consent/purge.py) --------

def integrity_problems(db):
    """SQLite's integrity_check, as a list of its complaints (empty when the file is sound)."""
    found = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    return [] if found == ["ok"] else found


@contextlib.contextmanager
def secure_delete(db):
    """Within: what a transaction deletes is overwritten in the file, not only unlinked."""
    previous = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield db
    finally:
        db.execute(f"PRAGMA secure_delete = {int(previous)}")


def rewrite_every_page(db):
    """VACUUM with secure_delete: no free page, and no stale copy inside a page, survives."""
    db.execute("PRAGMA secure_delete = ON")
    db.execute("VACUUM")


def truncate_log(db):
    """Fold the write-ahead log into the database and truncate it; False while readers keep it busy."""
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy
