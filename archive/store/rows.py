"""How the store writes: one way to insert rows, a history entry for every change, and the revision
the search index follows.

Rows are inserted with plain SQL (`insert_row`, `insert_rows`): sqlite-utils' `insert` reads the
table's schema again on every call, which was most of an import's time before indexing
(bench/results/peers.md).
"""
import datetime as dt
import json

from archive.errors import NotFound  # noqa: F401 - store.NotFound, as every reader raises it


def bindable(number):
    """Can SQLite bind this id? A number from a URL past 64 bits is no row, not an OverflowError."""
    return isinstance(number, int) and -2 ** 63 <= number < 2 ** 63


def now():
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# SQLite bounds the parameters of one statement: ids go to an IN (...) this many at a time.
CHUNK = 500


def grouped(db, sql, ids):
    """{id: [value, ...]} from `sql`, a SELECT of (id, value) rows whose `{marks}` stands for the
    ids' placeholders; the values in the order the SQL gives them."""
    found, ids = {}, list(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for key, value in db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk):
            found.setdefault(key, []).append(value)
    return found


def insert_row(db, table, row, or_ignore=False):
    """Insert one row (a dict of columns) and return its rowid."""
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    if not row:
        return db.execute(f"{verb} INTO [{table}] DEFAULT VALUES").lastrowid
    columns = ", ".join(f"[{name}]" for name in row)
    return db.execute(f"{verb} INTO [{table}] ({columns}) VALUES ({', '.join('?' * len(row))})",
                      list(row.values())).lastrowid


def insert_rows(db, table, rows, or_ignore=False):
    """Insert many rows with the same columns (dicts), in one statement per row of SQL."""
    rows = list(rows)
    if not rows:
        return
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    names = list(rows[0])
    db.conn.executemany(f"{verb} INTO [{table}] ({', '.join(f'[{n}]' for n in names)}) "
                        f"VALUES ({', '.join('?' * len(names))})", [[row[n] for n in names] for row in rows])


def record_history(db, testimony_id, entity, entity_id, action, old, new, actor, reason, stamp=None):
    """One history entry: what changed (old and new values, never identifying fields), who, why, when."""
    insert_row(db, "history", {
        "testimony_id": testimony_id, "entity": entity, "entity_id": entity_id, "action": action,
        "old": json.dumps(old, ensure_ascii=False, default=str) if old is not None else None,
        "new": json.dumps(new, ensure_ascii=False, default=str) if new is not None else None,
        "actor": actor, "reason": reason, "at": stamp or now()})


def bump_revision(db, testimony_id, stamp):
    """The testimony changed: the index must catch up with this revision (search_index.indexer.drift)."""
    db.execute("UPDATE testimony SET revision = revision + 1, updated_at = ? WHERE id = ?", [stamp, testimony_id])
