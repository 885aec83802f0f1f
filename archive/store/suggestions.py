"""Suggestions a person dismissed: not offered again on that testimony."""

from archive.store.rows import insert_row, now, record_history

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
    dismissal_id = insert_row(db, "suggestion_dismissal", row)
    record_history(db, testimony_id, "suggestion_dismissal", dismissal_id, "create", None,
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
        record_history(db, testimony_id, "suggestion_dismissal", old["id"], "delete", old, None, actor,
                reason or "suggestion restored", stamp)
    return bool(rows)
