"""Case files' rules, for the pages (archive/views/case_files.py) and the API
(archive/views/api_case_file_writes.py): who may open one, names unique per owner, and which
testimonies a user may put in or take out (only those they may open; others are silently not there).

Writers run inside the caller's transaction (store.db.write_transaction)."""
from archive import errors, store
from archive.i18n import say
from archive.security import access


class CaseFileNameTaken(errors.Refused):
    """The owner already has a case file of that name (HTTP 409)."""


def open_case_file(db, user, case_id):
    """(the case file, whom it is shared with) if `user` may open it; else NotFound, as for no case file."""
    case_file = store.get_case_file(db, case_id)
    shared_with = store.case_file_shares(db, case_id)
    if not access.may_open_case_file(user, case_file, shared_with):
        raise store.NotFound(say("no case file %(case_id)s", case_id=case_id))
    return case_file, shared_with


def named(db, name, owner, other_than=None):
    """Has `owner` a case file of this name (names are each owner's own)?"""
    return any(found["created_by"].casefold() == owner.casefold() and found["id"] != other_than
               for found in store.case_files_named(db, name))


def create(db, user, name):
    """A new case file of `user`'s; its id. CaseFileNameTaken if they have one of that name."""
    if named(db, name, user["name"]):
        raise CaseFileNameTaken(say("You already have a case file named %(name)s.", name=name))
    return store.insert_case_file(db, name, user["name"])


def openable_ids(db, user, references):
    """Ids of the testimonies named that `user` may open; others are silently not there."""
    rows = store.testimony_rows_by_reference(db, references)
    return [row["id"] for row in rows.values() if access.may_open(user, row)]


def add(db, user, case_id, references):
    """Put the testimonies named (those `user` may open) into the case file; their ids."""
    ids = openable_ids(db, user, references)
    store.add_to_case_file(db, case_id, ids, user["name"])
    return ids


def remove(db, user, case_id, references):
    """Take the testimonies named (those `user` may open) out of the case file; their ids."""
    ids = openable_ids(db, user, references)
    store.remove_from_case_file(db, case_id, ids)
    return ids


def openable_references(db, user, case_id):
    """The case file's testimonies `user` may open, in reference order; and how many others it holds."""
    references = store.case_file_references(db, case_id)
    rows = store.testimonies_by_reference(db, references)
    shown = [r for r in references if r in rows and access.may_open(user, rows[r])]
    return shown, len(references) - len(shown)
