"""Codes tied to passages, their perpetrators, and the passages marked for redaction."""

from archive.i18n import say
from archive.store import incidents
from archive.store.rows import NotFound, bindable, bump_revision, insert_row, insert_rows, now, record_history


def insert_code(db, testimony_id, code, actor, reason, stamp=None, bump=True, coder=None):
    """`coder`: who coded it, when not the actor who stores it (a code imported from a REFI-QDA project)."""
    stamp = stamp or now()
    perpetrators = code.get("perpetrators", [])
    row = {k: v for k, v in code.items() if k != "perpetrators"}
    row.update(testimony_id=testimony_id, coder=coder or actor, created_at=stamp, updated_at=stamp)
    code_id = insert_row(db, "code", row)
    insert_rows(db, "code_perpetrator", ({"code_id": code_id, "perpetrator_id": p} for p in perpetrators))
    record_history(db, testimony_id, "code", code_id, "create", None, {**row, "perpetrators": perpetrators},
            actor, reason, stamp)
    if bump:
        bump_revision(db, testimony_id, stamp)
    return code_id

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

# Columns of a code that a coder may change; `perpetrators` (code_perpetrator) may change too.
CODE_EDITABLE = (
    "abuse_type", "place_id", "place_text", "date_text", "date_from", "date_to", "date_precision",
    "victims", "minors", "passage_start", "passage_end", "passage_text", "note",
)

def codes_without_abuse_type(db):
    """Ids of the testimonies' codes (not blind, not superseded) with no abuse type and no passage:
    what imports before the stated incident made of a place or date given alone."""
    return [row[0] for row in db.execute("SELECT id FROM code WHERE abuse_type IS NULL AND passage_start IS NULL "
                                         "AND stage = 'coded' ORDER BY id")]


def get_code(db, code_id):
    """One code with its perpetrators as a sorted list of ids."""
    rows = list(db.query("SELECT * FROM code WHERE id = ?", [code_id])) if bindable(code_id) else []
    if not rows:
        raise NotFound(say("no code %(number)s", number=code_id))
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
        insert_rows(db, "code_perpetrator", ({"code_id": code_id, "perpetrator_id": p} for p in changed["perpetrators"]))
    bump_revision(db, current["testimony_id"], stamp)
    record_history(db, current["testimony_id"], "code", code_id, "update", {k: current[k] for k in changed}, changed,
            actor, reason, stamp)
    return changed

def delete_code(db, code_id, actor, reason):
    """Remove a code; its history stays, and the delete entry keeps every value it had."""
    current = get_code(db, code_id)
    stamp = now()
    incidents.code_removed(db, code_id, actor, reason)
    db.execute("DELETE FROM code_perpetrator WHERE code_id = ?", [code_id])
    db.execute("DELETE FROM code WHERE id = ?", [code_id])
    bump_revision(db, current["testimony_id"], stamp)
    record_history(db, current["testimony_id"], "code", code_id, "delete", current, None, actor, reason, stamp)

def insert_redaction(db, testimony_id, start, end, actor, reason):
    """Mark a passage as identifying: exports replace it with [redacted]. Its text is not copied
    into history (it identifies someone); the offsets are."""
    stamp = now()
    row = {"testimony_id": testimony_id, "passage_start": start, "passage_end": end, "reason": reason,
           "coder": actor, "created_at": stamp}
    redaction_id = insert_row(db, "redaction", row)
    bump_revision(db, testimony_id, stamp)
    record_history(db, testimony_id, "redaction", redaction_id, "create", None, row, actor, reason, stamp)
    return redaction_id

def redactions_in(db, testimony_id):
    """The redactions of one testimony, as rows, in text order (the coding page marks them)."""
    return list(db.query("SELECT * FROM redaction WHERE testimony_id = ? ORDER BY passage_start, id",
                         [testimony_id]))

def redactions_of(db, testimony_ids):
    """{testimony_id: [(start, end), ...]} of passages marked "identifying - redact"."""
    marks = ",".join("?" * len(testimony_ids))
    found = {}
    for row in db.query(f"SELECT testimony_id, passage_start, passage_end FROM redaction "
                        f"WHERE testimony_id IN ({marks}) ORDER BY passage_start", list(testimony_ids)):
        found.setdefault(row["testimony_id"], []).append((row["passage_start"], row["passage_end"]))
    return found

def supersede_code(db, code, actor, reason, stamp):
    """A blind code becomes 'superseded': kept for the record, never read as the coding."""
    db.execute("UPDATE code SET stage = 'superseded', updated_at = ? WHERE id = ?", [stamp, code["id"]])
    record_history(db, code["testimony_id"], "code", code["id"], "supersede", {"stage": code["stage"]},
            {"stage": "superseded"}, actor, reason, stamp)

def insert_settled_code(db, blind_code, perpetrators, actor, reason, stamp):
    """A 'coded' copy of a blind code, under its original coder; history says who settled it and why."""
    kept = ("abuse_type", "place_id", "place_text", "date_text", "date_from", "date_to", "date_precision",
            "victims", "minors", "passage_start", "passage_end", "passage_text", "note", "coder",
            "codebook_version", "testimony_id")
    row = {key: blind_code[key] for key in kept}
    row.update(stage="coded", created_at=stamp, updated_at=stamp)
    code_id = insert_row(db, "code", row)
    insert_rows(db, "code_perpetrator", ({"code_id": code_id, "perpetrator_id": p} for p in perpetrators))
    record_history(db, row["testimony_id"], "code", code_id, "settle", None,
            {**row, "perpetrators": perpetrators, "settled_from": blind_code["id"]}, actor, reason, stamp)
    return code_id
