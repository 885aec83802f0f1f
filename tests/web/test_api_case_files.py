"""Case files in the JSON API: the case-file pages' rules (the owner and whom it is shared with; to anyone
else a 404), its testimonies the reader may not open counted and never named, and both collections paged
by cursor: walked a page at a time while rows are added, no item is given twice and none present
throughout is missed."""
import pytest

from archive import store
from archive.store.db import write_transaction
from tests.factories import record

NAME = "Fictional Name 9"


@pytest.fixture
def archive(import_records, users):
    import_records([record(n, consent="legal", witness_name=NAME) for n in range(1, 8)]
                   + [record(8, consent="withdrawn", witness_name=NAME),  # reviewers only
                      record(9, consent="internal")])                    # opens, but never leaves in an export


def case_file(db, name, owner, references, shared_with=()):
    with write_transaction(db):
        case_id = store.insert_case_file(db, name, owner)
        add(db, case_id, references, owner)
        for account in shared_with:
            store.share_case_file(db, case_id, account, owner)
    return case_id


def add(db, case_id, references, who="lawyer"):
    ids = [store.get_testimony_row(db, r)["id"] for r in references]
    with write_transaction(db):
        store.add_to_case_file(db, case_id, ids, who)


def walk(client, path, field, limit, between=lambda page: None):
    """Every item of a cursor-paged collection, following `next`; `between(n)` runs after page n."""
    seen, cursor, pages = [], None, 0
    while True:
        answer = client.get(f"{path}?limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_json()
        assert len(body[field]) <= limit
        seen += body[field]
        pages += 1
        between(pages)
        cursor = body["next"]
        if cursor is None:
            return seen, pages


def test_one_case_file_by_the_pages_rules(archive, db, signed_in):
    references = [f"T-2021-{n:04d}" for n in (1, 2, 8, 9)]
    case_id = case_file(db, "Kuźnica, November", "lawyer", references, shared_with=["reviewer"])
    lawyer = signed_in("lawyer")[0]
    answer = lawyer.get(f"/api/case-files/{case_id}").get_json()
    assert (answer["name"], answer["created_by"], answer["owner"], answer["shared_with"]) == (
        "Kuźnica, November", "lawyer", True, ["reviewer"])
    assert [(t["reference"], t["exportable"], t["added_by"]) for t in answer["results"]] == [
        ("T-2021-0001", True, "lawyer"), ("T-2021-0002", True, "lawyer"), ("T-2021-0009", False, "lawyer")]
    assert (answer["testimonies"], answer["hidden"], answer["next"]) == (4, 1, None)  # the withdrawn one: counted
    assert "T-2021-0008" not in lawyer.get(f"/api/case-files/{case_id}").get_data(as_text=True)
    shared = signed_in("reviewer")[0].get(f"/api/case-files/{case_id}").get_json()
    assert shared["owner"] is False and shared["hidden"] == 0 and len(shared["results"]) == 4
    for body in (answer, shared):
        assert NAME not in str(body)


def test_a_case_file_is_a_404_to_anyone_it_is_not_shared_with(archive, db, signed_in):
    case_id = case_file(db, "Private", "lawyer", ["T-2021-0001"])
    assert signed_in("reviewer")[0].get(f"/api/case-files/{case_id}").status_code == 404
    assert signed_in("reviewer")[0].get("/api/case-files").get_json()["case_files"] == []
    assert signed_in("viewer")[0].get(f"/api/case-files/{case_id}").status_code == 403  # no `export` at all
    assert signed_in("lawyer")[0].get("/api/case-files/999").status_code == 404


def test_the_list_walked_while_case_files_are_made_gives_each_once(archive, db, signed_in):
    before = [case_file(db, f"Case {n}", "lawyer", ["T-2021-0001"]) for n in range(7)]
    others = case_file(db, "Someone else's", "reviewer", ["T-2021-0002"])
    made = []

    def meanwhile(page):
        made.append(case_file(db, f"Made during page {page}", "lawyer", []))
    seen, pages = walk(signed_in("lawyer")[0], "/api/case-files", "case_files", 3, meanwhile)
    ids = [c["id"] for c in seen]
    assert len(ids) == len(set(ids))                      # none twice
    assert set(before) <= set(ids) and others not in ids  # none missed; nobody else's
    assert ids == sorted(ids) and pages >= 3
    # Made while walking: numbered after the cursor, so on a later page; the last, made after the last page, not.
    assert set(made[:-1]) <= set(ids) and made[-1] not in ids
    first = next(c for c in seen if c["id"] == before[0])
    assert (first["name"], first["testimonies"]) == ("Case 0", 1)


def test_its_testimonies_walked_while_more_are_added_give_each_once(archive, db, signed_in):
    case_id = case_file(db, "Growing", "lawyer", [f"T-2021-{n:04d}" for n in (2, 4, 6, 8)])

    def meanwhile(page):  # one older and one newer than the cursor
        add(db, case_id, {1: ["T-2021-0001", "T-2021-0005"], 2: ["T-2021-0003", "T-2021-0007"]}.get(page, []))
    seen, pages = walk(signed_in("lawyer")[0], f"/api/case-files/{case_id}", "results", 1, meanwhile)
    references = [t["reference"] for t in seen]
    assert len(references) == len(set(references))
    assert {"T-2021-0002", "T-2021-0004", "T-2021-0006"} <= set(references)  # there throughout (8: withdrawn)
    assert "T-2021-0008" not in references and "T-2021-0007" in references  # added after the cursor: found


def test_a_case_file_poll_is_a_304_until_it_changes(archive, db, signed_in):
    case_id = case_file(db, "Watched", "lawyer", ["T-2021-0001"])
    lawyer = signed_in("lawyer")[0]
    tag = lawyer.get(f"/api/case-files/{case_id}").headers["ETag"]
    assert lawyer.get(f"/api/case-files/{case_id}", headers={"If-None-Match": tag}).status_code == 304
    add(db, case_id, ["T-2021-0002"])
    changed = lawyer.get(f"/api/case-files/{case_id}", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


@pytest.mark.parametrize("query, field", [("cursor=xyz", "cursor"), ("cursor=A1", "cursor"), ("limit=0", "limit"),
                                          ("limit=101", "limit"), ("page=2", "page")])
def test_a_wrong_cursor_or_limit_is_a_422_naming_it(archive, signed_in, query, field):
    refused = signed_in("lawyer")[0].get(f"/api/case-files?{query}")
    assert refused.status_code == 422 and field in refused.get_json()["errors"]["query"]
