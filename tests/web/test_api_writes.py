"""The API's writes, each through the function its page or command uses: intake of one testimony and of a
batch (all or nothing, the import's row/field problems as JSON), codes (add, edit with a reason, remove
with a reason), case files (create, add, remove), exports as jobs (202, the job, the file once). Every
role with a read-write token: allowed exactly as access.PERMISSIONS says; a read token refused on each;
each write audited under the token's label; a witness's name and contact never in any answer."""
import json
import time

import pytest

from archive import service, store
from archive.custody import audit
from archive.security import access, accounts
from archive.store import audit as store_audit
from archive.store.db import write_transaction
from tests.conftest import archive_template
from tests.factories import record

NAME, CONTACT = "Fictional Witness Nadia", "+48 600 000 111"  # made up: must never come back
OPEN = "T-2021-0001"        # legal, restricted: every role opens it
INTERNAL = "T-2021-0002"    # internal consent: never exported
NEW = {"text": "They took our phones at the fence and beat my brother near Bruzgi.", "title": "Phones taken",
       "language": "en", "consent": "legal", "confidentiality": "restricted", "witness_pseudonym": "W-77",
       "witness_name": NAME, "witness_contact": CONTACT, "abuse_types": ["beating"], "location": "Bruzgi"}


template_archive = archive_template([record(1, consent="legal", witness_name="Fictional Name 1"),
                                      record(2, consent="internal")], accounts=True)


@pytest.fixture
def archive(users, data_dir):
    return data_dir


@pytest.fixture
def tokens(archive):
    """{role: a read-write token of that role's account}, and {role: a read-only one} as `tokens.read`."""
    db = service.open_db(archive)
    try:
        with write_transaction(db):
            made = {name: accounts.create_token(db, accounts.get_user(db, name)["id"], f"{name} sync", scope="write")
                    for name in ("admin", "coder", "reviewer", "lawyer", "viewer")}
            read = {name: accounts.create_token(db, accounts.get_user(db, name)["id"], f"{name} reader")
                    for name in made}
    finally:
        db.close()
    return type("Tokens", (dict,), {"read": read})(made)


def call(client, token, method, path, body=None):
    return client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {token}"})


def entries(db, action):
    return list(store_audit.iter_entries(db, store_audit.AuditFilter(action=action)))


def text_of(response):
    return response.get_data(as_text=True)


# --- one testimony -------------------------------------------------------------------------------

def test_a_coder_adds_a_testimony(anonymous, tokens, db):
    response = call(anonymous, tokens["coder"], "POST", "/api/testimonies", NEW)
    assert response.status_code == 201, response.get_json()
    added = response.get_json()
    assert added == {"reference": added["reference"], "title": "Phones taken", "language": "en", "status": "new",
                     "consent": "legal", "confidentiality": "restricted"}
    assert response.headers["Location"] == f"/api/testimonies/{added['reference']}"
    read = call(anonymous, tokens["coder"], "GET", response.headers["Location"])
    assert read.status_code == 200 and read.get_json()["codes"][0]["abuse_type"] == "beating"
    assert NAME not in text_of(read) and CONTACT not in text_of(read) and NAME not in text_of(response)
    (entry,) = entries(db, "add_testimony")
    assert entry["actor"] == "coder" and entry["detail"]["api_token"] == "coder sync"
    assert db.execute("SELECT reason FROM history WHERE entity = 'testimony' ORDER BY id DESC").fetchone()[0] \
        == "added through the API"
    hits = call(anonymous, tokens["coder"], "GET", "/api/search?q=phones+fence").get_json()  # indexed after the commit
    assert hits["results"][0]["reference"] == added["reference"]


@pytest.mark.parametrize("body, field, status", [
    ({**NEW, "witness_age": "very old"}, "witness_age", 422),
    ({**NEW, "witness_age": "40-30"}, "witness_age", 422),            # a band's lower end first
    ({**NEW, "witness_age": "\u0663\u0660"}, "witness_age", 422),    # 30 in Arabic-Indic digits: [0-9] only
    ({**NEW, "text": record(1)["text"]}, "text", 409),                # already in the archive: a conflict
    ({**NEW, "reference": OPEN}, "reference", 409),                   # taken: a conflict
    ({**NEW, "witness_name": NAME * 20}, "witness_name", 422),        # too long: named, never quoted
    ({**NEW, "colour": "red"}, "colour", 422),
])
def test_a_wrong_testimony_is_refused_naming_the_field(anonymous, tokens, db, body, field, status):
    """A record wrong in itself is a 422; one right in itself that the archive already holds (its statement,
    its reference) a 409, since no schema can say what the archive holds."""
    before = db.execute("SELECT count(*) FROM testimony").fetchone()[0]
    response = call(anonymous, tokens["coder"], "POST", "/api/testimonies", body)
    assert response.status_code == status and field in response.get_json()["errors"]["json"], response.get_json()
    assert NAME not in text_of(response) and CONTACT not in text_of(response)
    assert db.execute("SELECT count(*) FROM testimony").fetchone()[0] == before


# --- a batch -------------------------------------------------------------------------------------

def test_a_batch_comes_in_whole(anonymous, tokens, db):
    batch = [{**NEW, "reference": "BWC-7"}, {**record(8), "witness_name": NAME}, record(1)]  # the last: a duplicate
    response = call(anonymous, tokens["reviewer"], "POST", "/api/imports", batch)
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert report["rows"] == 3 and report["imported"] == ["BWC-7", "T-2021-0008"]
    assert report["duplicates"] == [{"row": 3, "reference": OPEN}]
    assert NAME not in text_of(response)
    (entry,) = [e for e in entries(db, "import") if e["subject"] == "api-import.json"]
    assert entry["detail"]["api_token"] == "reviewer sync" and entry["detail"]["batch"] == report["batch"]


def test_a_batch_with_one_wrong_record_is_refused_whole(anonymous, tokens, db):
    before = db.execute("SELECT count(*) FROM testimony").fetchone()[0]
    batch = [{**NEW, "reference": "BWC-8"}, {**record(9), "witness_age": -3, "witness_name": NAME},
             {"title": "no text"}, "not a record"]
    response = call(anonymous, tokens["coder"], "POST", "/api/imports", batch)
    assert response.status_code == 422
    problems = response.get_json()["errors"]
    assert {(p["row"], p["field"]) for p in problems["rows"]} >= {(2, "witness_age"), (3, "text")}
    assert any(p["row"] == 4 for p in problems["rows"]) and problems["truncated"] is False
    assert NAME not in text_of(response)
    assert db.execute("SELECT count(*) FROM testimony").fetchone()[0] == before
    assert not [e for e in entries(db, "import") if e["subject"] == "api-import.json"]


@pytest.mark.parametrize("body", [b"[{\"text\": ", b"{\"text\": \"an object, not an array\"}", b"[]"])
def test_a_batch_that_is_not_an_array_of_records_says_so(anonymous, tokens, body):
    response = anonymous.post("/api/imports", data=body, content_type="application/json",
                              headers={"Authorization": f"Bearer {tokens['coder']}"})
    assert response.status_code == 422 and response.get_json()["errors"]["rows"], response.get_json()


# --- codes ---------------------------------------------------------------------------------------

def _passage(db, reference, words):
    text = store.get_testimony(db, reference)["text"]
    start = text.index(words)
    return {"start": start, "end": start + len(words), "selected_text": words}


def test_codes_added_edited_and_removed_with_reasons(anonymous, tokens, db):
    code = {**_passage(db, OPEN, "dogs"), "abuse_type": "dog_attack", "perpetrators": ["by_military_special"]}
    added = call(anonymous, tokens["coder"], "POST", f"/api/testimonies/{OPEN}/codes", code)
    assert added.status_code == 201, added.get_json()
    code_id = added.get_json()["id"]
    assert added.get_json() == {"reference": OPEN, "kind": "code", "id": code_id}

    no_reason = call(anonymous, tokens["coder"], "PATCH", f"/api/testimonies/{OPEN}/codes/{code_id}",
                     {**code, "date": "2021-11"})
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["errors"]["json"]
    edited = call(anonymous, tokens["reviewer"], "PATCH", f"/api/testimonies/{OPEN}/codes/{code_id}",
                  {**code, "date": "2021-11", "reason": "the month is in the statement"})
    assert edited.status_code == 200 and edited.get_json()["changed"] == ["date_from", "date_precision",
                                                                          "date_text", "date_to"]

    path = f"/api/testimonies/{OPEN}/codes/{code_id}"
    assert call(anonymous, tokens["coder"], "DELETE", path).status_code == 422  # why is required
    assert call(anonymous, tokens["coder"], "DELETE", path + "?reason=%20").status_code == 422
    assert call(anonymous, tokens["coder"], "DELETE", path + "?reason=coded+twice").status_code == 204
    assert call(anonymous, tokens["coder"], "DELETE", path + "?reason=again").status_code == 404
    assert code_id not in [c["id"] for c in store.get_testimony(db, OPEN)["codes"]]
    assert db.execute("SELECT reason FROM history WHERE entity = 'code' AND entity_id = ? ORDER BY id DESC",
                      [code_id]).fetchone()[0] == "coded twice"
    logged = {e["action"]: e for e in store_audit.iter_entries(db, store_audit.AuditFilter(subject=OPEN))}
    assert logged["code_added"]["detail"] == {"code": code_id, "api_token": "coder sync"}
    assert logged["code_changed"]["detail"]["api_token"] == "reviewer sync"
    assert logged["code_removed"]["detail"]["api_token"] == "coder sync"
    assert audit.verify(db) == []


def test_a_wrong_code_names_its_field(anonymous, tokens):
    """Wrong in itself (an abuse type the codebook does not have), a 422; right in itself but not for this
    statement (the passage at these offsets is not the text selected, or lies past its end), a 409."""
    path = f"/api/testimonies/{OPEN}/codes"
    response = call(anonymous, tokens["coder"], "POST", path,
                    {"start": 0, "end": 4, "selected_text": "nope", "abuse_type": "no_such_type"})
    assert response.status_code == 422 and set(response.get_json()["errors"]["json"]) == {"abuse_type"}
    response = call(anonymous, tokens["coder"], "POST", path,
                    {"start": 0, "end": 4, "selected_text": "nope", "abuse_type": "beating"})
    assert response.status_code == 409 and set(response.get_json()["errors"]["json"]) == {"selected_text"}
    response = call(anonymous, tokens["coder"], "POST", path, {"start": 0, "end": 10 ** 6, "abuse_type": "beating"})
    assert response.status_code == 409 and set(response.get_json()["errors"]["json"]) == {"end"}
    assert call(anonymous, tokens["coder"], "POST", "/api/testimonies/T-1999-0001/codes", {}).status_code == 404


# --- case files ----------------------------------------------------------------------------------

def test_case_files_created_filled_and_emptied(anonymous, tokens, db):
    made = call(anonymous, tokens["lawyer"], "POST", "/api/case-files", {"name": "Bruzgi", "references": [OPEN]})
    assert made.status_code == 201, made.get_json()
    case_id = made.get_json()["id"]
    assert made.get_json() == {"id": case_id, "name": "Bruzgi", "created_by": "lawyer", "testimonies": [OPEN],
                               "hidden": 0, "changed": 1}
    assert made.headers["Location"] == f"/api/case-files/{case_id}"
    again = call(anonymous, tokens["lawyer"], "POST", "/api/case-files", {"name": "bruzgi"})
    assert again.status_code == 409 and "name" in again.get_json()["errors"]["json"]
    added = call(anonymous, tokens["lawyer"], "POST", f"/api/case-files/{case_id}/testimonies",
                 {"references": [OPEN, INTERNAL, "T-1999-0009"]})
    assert added.get_json()["testimonies"] == [OPEN, INTERNAL] and added.get_json()["changed"] == 1
    removed = call(anonymous, tokens["lawyer"], "DELETE", f"/api/case-files/{case_id}/testimonies/{OPEN}")
    assert removed.get_json()["testimonies"] == [INTERNAL] and removed.get_json()["changed"] == 1
    not_there = call(anonymous, tokens["lawyer"], "DELETE", f"/api/case-files/{case_id}/testimonies/{OPEN}")
    assert not_there.get_json()["changed"] == 0
    # Another's case file is not revealed, to a colleague who may export.
    assert call(anonymous, tokens["reviewer"], "POST", f"/api/case-files/{case_id}/testimonies",
                {"references": [OPEN]}).status_code == 404
    assert store.case_file_references(db, case_id) == [INTERNAL]


# --- exports -------------------------------------------------------------------------------------

def _finished(client, token, location):
    deadline = time.monotonic() + 60
    while True:
        job = call(client, token, "GET", location).get_json()
        if job["status"] != "running" or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def test_an_export_is_a_job_then_a_file_once(anonymous, tokens, db):
    made = call(anonymous, tokens["lawyer"], "POST", "/api/case-files", {"name": "All", "references": [OPEN, INTERNAL]})
    started = call(anonymous, tokens["lawyer"], "POST", "/api/exports",
                   {"format": "json", "case_file": made.get_json()["id"], "identify": True})
    assert started.status_code == 202, started.get_json()
    location = started.headers["Location"]
    assert location == f"/api/exports/{started.get_json()['id']}"
    job = _finished(anonymous, tokens["lawyer"], location)
    assert job["status"] == "done" and job["records"] == 1 and job["file"] == location + "/file", job
    assert any("consent is internal" in warning for warning in job["warnings"])
    peek = call(anonymous, tokens.read["lawyer"], "HEAD", job["file"])  # a HEAD leaves the file there
    assert peek.status_code == 200 and peek.headers["X-Export-SHA256"] == job["sha256"] and not peek.get_data()
    file = call(anonymous, tokens["lawyer"], "GET", job["file"])
    assert file.status_code == 200 and file.headers["X-Export-SHA256"] == job["sha256"]
    document = json.loads(file.get_data())
    assert [r["reference"] for r in document["records"]] == [OPEN]
    assert document["records"][0]["identity"]["name"] == "Fictional Name 1"  # a lawyer, consent legal, asked
    assert call(anonymous, tokens["lawyer"], "GET", job["file"]).status_code == 404  # once
    (entry,) = entries(db, "export")
    assert entry["actor"] == "lawyer" and entry["detail"]["api_token"] == "lawyer sync"
    assert entry["detail"]["identified"] == [OPEN]
    # Someone else's job is not theirs to read.
    assert call(anonymous, tokens["reviewer"], "GET", location).status_code == 404


def test_an_export_of_a_search_without_identities_names_none(anonymous, tokens):
    started = call(anonymous, tokens["reviewer"], "POST", "/api/exports",
                   {"format": "csv", "search": {"q": "dogs", "perpetrator": ["BY"]}})
    assert started.status_code == 202, started.get_json()
    job = _finished(anonymous, tokens["reviewer"], started.headers["Location"])
    csv_text = call(anonymous, tokens["reviewer"], "GET", job["file"]).get_data(as_text=True)
    assert OPEN in csv_text and INTERNAL not in csv_text and "Fictional Name 1" not in csv_text


@pytest.mark.parametrize("body, status", [
    ({"format": "docx"}, 422),
    ({"format": "csv", "search": {"colour": "red"}}, 422),
    ({"format": "csv", "case_file": 999}, 404),
    ({"format": "qdpx", "identify": True}, 403),
])
def test_a_refused_export_starts_no_job(anonymous, tokens, db, body, status):
    response = call(anonymous, tokens["lawyer"], "POST", "/api/exports", body)
    assert response.status_code == status, response.get_json()
    assert db.execute("SELECT count(*) FROM export_job").fetchone()[0] == 0


# --- every role, every write; and a read token on each ------------------------------------------

WRITES = [  # (method, path, body, permission)
    ("POST", "/api/testimonies", NEW, "add_testimony"),
    ("POST", "/api/imports", [{**NEW, "text": "Another statement, of the batch."}], "add_testimony"),
    ("POST", f"/api/testimonies/{OPEN}/codes", {"start": 0, "end": 3, "abuse_type": "beating"}, "code"),
    ("PATCH", f"/api/testimonies/{OPEN}/codes/999", {"start": 0, "end": 3, "reason": "r"}, "code"),
    ("DELETE", f"/api/testimonies/{OPEN}/codes/999?reason=r", None, "code"),
    ("POST", "/api/case-files", {"name": "matrix"}, "export"),
    ("POST", "/api/case-files/999/testimonies", {"references": [OPEN]}, "export"),
    ("DELETE", f"/api/case-files/999/testimonies/{OPEN}", None, "export"),
    ("POST", "/api/exports", {"format": "csv"}, "export"),
]


@pytest.mark.parametrize("method, path, body, permission", WRITES, ids=[f"{m} {p}" for m, p, _, _ in WRITES])
@pytest.mark.parametrize("role", ["admin", "coder", "reviewer", "lawyer", "viewer"])
def test_each_write_as_each_role(anonymous, tokens, method, path, body, permission, role):
    response = call(anonymous, tokens[role], method, path, body)
    assert response.status_code < 500
    assert (response.status_code == 403) is not access.can({"role": role}, permission), response.get_json()
    assert NAME not in text_of(response) and CONTACT not in text_of(response)
    refused = call(anonymous, tokens.read[role], method, path, body)
    assert refused.status_code == 403 and "read-only" in refused.get_json()["message"]


# --- the worked example of docs/api.md ----------------------------------------------------------

def test_the_field_collection_example_goes_in(anonymous, tokens, db):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "examples" / "push_field_export.py"
    spec = importlib.util.spec_from_file_location("push_field_export", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    records = list(example.records_from_csv(path.with_name("kobo-export.csv")))
    assert records[0]["abuse_types"] == ["beating", "theft"] and "witness_name" not in records[1]
    response = call(anonymous, tokens["coder"], "POST", "/api/imports", records)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["rows"] == 2 and len(response.get_json()["imported"]) == 2
    assert "Fictional Name K1" not in text_of(response)
    again = call(anonymous, tokens["coder"], "POST", "/api/imports", records)  # the same export twice: nothing new
    assert again.get_json()["imported"] == [] and len(again.get_json()["duplicates"]) == 2


@pytest.mark.parametrize("method, path, body, permission", WRITES, ids=[f"{m} {p}" for m, p, _, _ in WRITES])
def test_each_write_without_credentials_is_a_401(anonymous, archive, method, path, body, permission):
    """No token and no session: a 401 that says how to log in, not a CSRF refusal; nothing written."""
    response = anonymous.open(path, method=method, json=body)
    assert response.status_code == 401 and "Bearer" in response.get_json()["message"]
