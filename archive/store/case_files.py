"""Case files: a lawyer's saved selection of testimonies, its owner and whom it is shared with."""

from archive.i18n import say
from archive.store.rows import NotFound, bindable, insert_row, insert_rows, now


def insert_case_file(db, name, actor):
    stamp = now()
    return insert_row(db, "case_file", {"name": name, "created_by": actor, "created_at": stamp,
                                        "updated_at": stamp})

def case_files_named(db, name):
    """Every case file of that name (each owner's names are their own), oldest first."""
    return list(db.query("SELECT * FROM case_file WHERE name = ? ORDER BY id", [name]))

def get_case_file(db, case_file_id):
    rows = list(db.query("SELECT * FROM case_file WHERE id = ?", [case_file_id])) if bindable(case_file_id) else []
    if not rows:
        raise NotFound(say("no case file %(number)s", number=case_file_id))
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
    insert_rows(db, "case_file_testimony", (
        {"case_file_id": case_file_id, "testimony_id": t, "added_by": actor, "added_at": stamp}
        for t in testimony_ids), or_ignore=True)
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

def case_files_after(db, account, after, count):
    """Up to `count` of the case files `account` made or that are shared with it, numbered above `after`, in
    number order (the API's keyset pages: archive/paging.py), with their testimony counts."""
    return list(db.query("""
        SELECT f.*, count(ft.testimony_id) AS testimonies FROM case_file f
        LEFT JOIN case_file_testimony ft ON ft.case_file_id = f.id
        WHERE f.id > ? AND (f.created_by = ? COLLATE NOCASE
           OR f.id IN (SELECT case_file_id FROM case_file_share WHERE account = ? COLLATE NOCASE))
        GROUP BY f.id ORDER BY f.id LIMIT ?""", [after, account, account, count]))

def case_file_testimonies_after(db, case_file_id, after, count):
    """Up to `count` testimonies of the case file numbered above `after`, in number order, each with what the
    access rules need, what the case file's page lists, and who added it when."""
    return list(db.query("""
        SELECT t.id, t.reference, t.title, t.language, t.status, t.confidentiality, t.consent,
               ft.added_by, ft.added_at
        FROM case_file_testimony ft JOIN testimony t ON t.id = ft.testimony_id
        WHERE ft.case_file_id = ? AND t.id > ? AND t.purged_at IS NULL
        ORDER BY t.id LIMIT ?""", [case_file_id, after, count]))
