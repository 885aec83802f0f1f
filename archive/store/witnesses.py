"""Witnesses: the pseudonymous row, and the one door to the identifying fields (sealed at rest)."""

from archive.security import sealing


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
