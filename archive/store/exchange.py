"""REFI-QDA exchange: the GUIDs our things carry in .qdc and .qdpx files, and the foreign codes an
admin mapped onto our codebook (archive/exchange/)."""
import uuid

from archive.store.rows import insert_row, insert_rows, now


def guids_for(db, kind, keys):
    """{key: GUID} for `keys` of `kind`, giving each key without one a new random GUID (kept: the
    next export names it the same way). Inside the caller's write transaction."""
    keys = [str(key) for key in dict.fromkeys(keys)]
    found = known_guids(db, kind, keys)
    missing = [key for key in keys if key not in found]
    fresh = {key: str(uuid.uuid4()) for key in missing}
    insert_rows(db, "exchange_guid", ({"kind": kind, "key": key, "guid": guid} for key, guid in fresh.items()))
    return {**found, **fresh}


def known_guids(db, kind, keys=None):
    """{key: GUID} of `kind` already given (all of them when `keys` is None); assigns nothing."""
    if keys is None:
        return dict(db.execute("SELECT key, guid FROM exchange_guid WHERE kind = ?", [kind]).fetchall())
    found = {}
    keys = list(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(db.execute(f"SELECT key, guid FROM exchange_guid WHERE kind = ? AND key IN "
                                f"({','.join('?' * len(chunk))})", [kind, *chunk]).fetchall())
    return found


def owners_of(db, guids):
    """{GUID: (kind, key)} for those of `guids` that name one of our things."""
    guids, found = [g.lower() for g in guids], {}
    for start in range(0, len(guids), 500):
        chunk = guids[start:start + 500]
        for kind, key, guid in db.execute(f"SELECT kind, key, guid FROM exchange_guid WHERE lower(guid) IN "
                                          f"({','.join('?' * len(chunk))})", chunk):
            found[guid.lower()] = (kind, key)
    return found


def keep_guid(db, kind, key, guid):
    """Remember that our `kind` `key` is `guid` (an imported source keeps its GUID) unless the GUID,
    or the key, already has a partner."""
    insert_row(db, "exchange_guid", {"kind": kind, "key": str(key), "guid": guid.lower()}, or_ignore=True)


def code_mappings(db):
    """{foreign GUID (lower case): {guid, name, target_kind, target_id, decided_by, decided_at}}."""
    return {row["guid"]: row for row in db.query("SELECT * FROM exchange_code_map")}


def save_code_mapping(db, guid, name, target_kind, target_id, actor):
    """An admin's decision for one foreign code: mapped onto (target_kind, target_id), or refused
    (both None). Replaces an earlier decision."""
    db.execute("INSERT OR REPLACE INTO exchange_code_map VALUES (?, ?, ?, ?, ?, ?)",
               [guid.lower(), name, target_kind, target_id, actor, now()])
