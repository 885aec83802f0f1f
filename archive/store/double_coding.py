"""Double coding: assignments of a testimony to coders who code it blind, and its settlement."""

from archive.store.rows import insert_row, record_history


def insert_assignment(db, testimony_id, coder, actor, reason, stamp):
    row = {"testimony_id": testimony_id, "coder": coder, "assigned_by": actor, "assigned_at": stamp}
    insert_row(db, "coding_assignment", row)
    record_history(db, testimony_id, "coding_assignment", testimony_id, "assign", None, row, actor, reason, stamp)

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
    record_history(db, testimony_id, "coding_assignment", testimony_id, "submit", None, {"coder": coder},
            coder, None, stamp)

def mark_settled(db, testimony_id, decisions, actor, reason, stamp):
    db.execute("UPDATE coding_assignment SET settled_by = ?, settled_at = ? WHERE testimony_id = ?",
               [actor, stamp, testimony_id])
    record_history(db, testimony_id, "coding_assignment", testimony_id, "settle", None, {"decisions": decisions},
            actor, reason, stamp)

def coder_accounts(db):
    """Names of the active accounts that can code (the choices when assigning double coding)."""
    return [row[0] for row in db.execute(
        "SELECT name FROM user WHERE role IN ('coder', 'reviewer') AND active = 1 ORDER BY name COLLATE NOCASE")]
