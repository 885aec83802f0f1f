"""The audit log's table: appending an entry, reading the chain in order, and entries filtered,
newest first, a page at a time.

archive/custody/audit.py computes and checks the chain's hashes; this module holds its SQL. An
entry's number is its id, the number `archive audit verify` names it by: ids are never reused while
the chain is intact, so a gap in the numbers is itself a sign that an entry was removed.
"""
import datetime as dt
import json
from dataclasses import asdict, dataclass

from archive.store.rows import insert_row

# Actions whose subject is an account: a user's history holds them as well as what the user did.
ACCOUNT_ACTIONS = ("user_added", "user_changed", "token_created", "token_revoked")
PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None          # what they did, and what was done to their account
    subject: str | None = None       # a testimony's reference (or any subject, as recorded)
    action: str | None = None
    date_from: dt.date | None = None  # inclusive, UTC days
    date_to: dt.date | None = None    # inclusive
    through: int | None = None        # entries up to this number only (an export's snapshot)

    def as_dict(self):
        """The filter as recorded in the log (dates as text, unset parts left out)."""
        return {key: str(value) for key, value in asdict(self).items() if value is not None}


def last_hash(db):
    """The hash of the newest entry, or None for an empty log."""
    last = db.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    return last[0] if last else None


def insert_event(db, event):
    insert_row(db, "audit_event", event)


def count_all(db):
    return db.execute("SELECT count(*) FROM audit_event").fetchone()[0]


def chain(db):
    """Every entry, oldest first (the chain's order)."""
    return db.query("SELECT * FROM audit_event ORDER BY id")


def _where(chosen):
    clauses, params = [], []
    if chosen.user:
        marks = ", ".join("?" * len(ACCOUNT_ACTIONS))
        clauses.append(f"(actor = ? COLLATE NOCASE OR (subject = ? COLLATE NOCASE AND action IN ({marks})))")
        params += [chosen.user, chosen.user, *ACCOUNT_ACTIONS]
    if chosen.subject:
        clauses.append("subject = ? COLLATE NOCASE")
        params.append(chosen.subject)
    if chosen.action:
        clauses.append("action = ?")
        params.append(chosen.action)
    # `at` is ISO 8601 in UTC ('2026-12-02T14:05:09+00:00'), so text order is time order.
    if chosen.date_from:
        clauses.append("at >= ?")
        params.append(chosen.date_from.isoformat())
    if chosen.date_to:
        clauses.append("at < ?")
        params.append((chosen.date_to + dt.timedelta(days=1)).isoformat())
    if chosen.through is not None:
        clauses.append("id <= ?")
        params.append(chosen.through)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count_entries(db, chosen):
    where, params = _where(chosen)
    return db.execute(f"SELECT count(*) FROM audit_event{where}", params).fetchone()[0]


def find_entries(db, chosen, page=1, per_page=PER_PAGE):
    """One page of matching entries, newest first, each with its detail read from JSON."""
    where, params = _where(chosen)
    rows = db.query(f"SELECT * FROM audit_event{where} ORDER BY id DESC LIMIT ? OFFSET ?",
                    [*params, per_page, (page - 1) * per_page])
    return [_read(row) for row in rows]


def iter_entries(db, chosen):
    """Every matching entry, newest first, one at a time (an export of a long log stays small)."""
    where, params = _where(chosen)
    for row in db.query(f"SELECT * FROM audit_event{where} ORDER BY id DESC", params):
        yield _read(row)


def last_number(db):
    """The number of the newest entry (0 for an empty log)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()[0]


def recorded_actions(db):
    """Every kind of event the log holds, for the filter's choices."""
    return [row[0] for row in db.execute("SELECT DISTINCT action FROM audit_event")]


def latest_locks(db):
    """{account name: {at, actor}}: when and by whom each account was last locked (the web's Lock and
    `archive user set --lock` both record `user_changed` with `active: false`)."""
    rows = db.execute(
        "SELECT subject, at, actor FROM audit_event WHERE id IN (SELECT max(id) FROM audit_event "
        "WHERE action = 'user_changed' AND json_extract(detail, '$.active') = 0 GROUP BY subject COLLATE NOCASE)")
    return {subject.casefold(): {"at": at, "actor": actor} for subject, at, actor in rows}


def _read(row):
    try:
        detail = json.loads(row["detail"])
    except ValueError:  # an altered entry: the chain check names it; the page still shows the rest
        detail = {"unreadable": row["detail"]}
    # `recorded_detail` is the JSON as hashed, for anyone checking an exported row against the chain.
    return {**row, "detail": detail if isinstance(detail, dict) else {"value": detail},
            "recorded_detail": row["detail"]}
