"""Purge: a withdrawn statement erased for good, through the real parts (SQLite file, Whoosh index,
the Flask test client, the CLI). A statement with a unique canary sentence and a witness with a
unique name is coded, redacted, dismissed, narrowed with a reason that names the witness, put in a
case file, exported with the identity, left waiting as an export job's file and backed up; then
withdrawn and purged. Afterwards no search, snippet, facet count, "did you mean", statistics page,
export (CSV, JSON, PDF read back), case file, log line, index file or database file (the bytes of the
whole data directory, its write-ahead log included) holds any of it, and `archive check`, `archive
verify` and `archive audit verify` pass. What stays: the reference, the hashes, the purge itself."""
import csv
import datetime as dt
import io
import json
import logging
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive import consent, create_app, export, service, store
from archive.cli import cli
from archive.consent import purge
from archive.export import jobs, selection
from search_index import indexer, purging
from search_index.shown_words import shown_words
from tests import factories
from tests.conftest import csrf_token, logged_in_client
from tests.export_data import downloaded

REFERENCE = "T-2021-0042"
CANARY = "Quillon the ferryman sang of amber lanterns over Zorblattovo"
NAME, CONTACT = "Ysolde Marchetti-Quarn", "+48 555 013 377"
TEXT = f"{factories.BASE_TEXT} {CANARY}. My name is {NAME} and my sister is Ysolde too."
# What may be nowhere after the purge, compared in lower case (the index folds words).
NEEDLES = [CANARY, "zorblatt", "quillon", "ysolde", "marchetti", "quarn", CONTACT, "amber lanterns"]
OTHERS = [f"T-2021-{n:04d}" for n in range(1, 9)]


def needles_in(data_dir):
    """{file (relative): [needles found]} over every byte of every file in the data directory."""
    found = {}
    for path in sorted(Path(data_dir.root).rglob("*")):
        if path.is_file():
            content = path.read_bytes().lower()
            hits = [needle for needle in NEEDLES if needle.lower().encode("utf-8") in content]
            if hits:
                found[str(path.relative_to(data_dir.root))] = hits
    return found


class Collected(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, entry):
        self.lines.append(self.format(entry))


def _import(data_dir, tmp, records):
    path = factories.write(tmp / f"import-{time.monotonic_ns()}.json", records, "json")
    return service.import_file(data_dir, path, "tester")


def _code_and_redact(client, token):
    for passage, extra in ((CANARY, {"abuse_type": "verbal_abuse", "note": f"told by {NAME}"}),
                           (NAME, {"redact": True, "reason": "the witness's name"})):
        start = TEXT.index(passage)
        answer = client.post(f"/testimonies/{REFERENCE}/codes", headers={"X-CSRFToken": token},
                             json={"start": start, "end": start + len(passage), "selected_text": passage,
                                   **({"abuse_type": None} if extra.get("redact") else {}), **extra})
        assert answer.status_code == 201, answer.get_data(as_text=True)
    answer = client.post(f"/testimonies/{REFERENCE}/suggestions/dismiss",
                         data={"csrf_token": token, "kind": "place", "value": "kuznica", "reason": "not Ysolde's"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)


def _waiting_job(data_dir, db_user):
    """An export job's file that nobody has downloaded yet (archive/export/jobs.py)."""
    db = service.open_db(data_dir)
    try:
        picked = selection.from_case_file(db, db_user, store.get_case_file(db, 1))
        job_id = jobs.start(data_dir, db, db_user, picked, export.Options("csv"))
        deadline = time.monotonic() + 60
        while jobs.get(db, job_id, db_user)["status"] == "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        job = jobs.get(db, job_id, db_user)
    finally:
        db.close()
    assert job["status"] == "done", job
    return job


@pytest.fixture(scope="module")
def purged(tmp_path_factory):
    """The archive before and after the purge, and what each step answered."""
    logs = Collected()
    logging.getLogger().addHandler(logs)
    logging.getLogger().setLevel(logging.DEBUG)
    tmp = tmp_path_factory.mktemp("purge")
    data_dir = factories.archive(tmp / "archive-data", accounts=True)
    _import(data_dir, tmp, [factories.record(n) for n in range(1, 9)])
    _import(data_dir, tmp, [factories.record(42, text=TEXT, title="Lanterns over Zorblattovo", location="Zorblattovo",
                                             witness_name=NAME, witness_contact=CONTACT,
                                             witness_pseudonym="Witness Quillon")])
    app = create_app({"TESTING": True, "DATA": str(data_dir.root)})
    runner = CliRunner()
    cli_run = lambda *args: runner.invoke(cli, ["--data", str(data_dir.root), *map(str, args)])  # noqa: E731
    clients = {name: logged_in_client(app, name, name) for name in ("coder", "reviewer", "lawyer", "admin", "viewer")}
    tokens = {name: csrf_token(client, "/account") for name, client in clients.items()}

    _code_and_redact(clients["coder"], tokens["coder"])
    lawyer, token = clients["lawyer"], tokens["lawyer"]
    assert lawyer.get("/api/search", query_string={"q": "Zorblattovo"}).get_json()["total"] == 1
    assert lawyer.get("/api/search", query_string={"q": "Zorblattova"}).get_json()["suggestion"] == "zorblattovo"
    lawyer.post("/case-files", data={"csrf_token": token, "name": "Night crossings"})
    lawyer.post("/case-files/add", data={"csrf_token": token, "case_file": 1, "reference": [REFERENCE, OTHERS[0]]})
    sent = lawyer.post("/case-files/1/export", data={"csrf_token": token, "format": "csv", "identify": "1"})
    assert sent.status_code == 200 and NAME in sent.get_data(as_text=True)
    export_before = {"id": int(sent.headers["X-Export-Id"]), "sha256": sent.headers["X-Export-SHA256"],
                     "rows": list(csv.DictReader(io.StringIO(sent.get_data(as_text=True))))}
    job = _waiting_job(data_dir, {"id": 4, "name": "lawyer", "role": "lawyer"})
    assert cli_run("backup", tmp / "backup-before-purge.db").exit_code == 0
    reviewer, token = clients["reviewer"], tokens["reviewer"]
    narrowed = reviewer.post(f"/testimonies/{REFERENCE}/consent", data={
        "csrf_token": token, "consent": "internal", "decided": "2022-01-10", "reason": f"{NAME} asked by phone"})
    assert narrowed.status_code == 303
    withdrawn = reviewer.post(f"/testimonies/{REFERENCE}/consent", data={
        "csrf_token": token, "consent": "withdrawn", "decided": "2022-02-01", "reason": "in danger"})
    assert withdrawn.status_code == 303
    lawyer.get("/", query_string={"q": "Zorblattovo"})  # its passages shown: its words kept for the next pages
    before = SimpleNamespace(needles=needles_in(data_dir), kept=_kept_splits(), withdrawals=clients["admin"].get("/withdrawals").get_data(
        as_text=True), row=_rows(data_dir, "SELECT * FROM testimony WHERE reference = ?", [REFERENCE])[0],
        exports=_rows(data_dir, "SELECT * FROM export_record ORDER BY id"), job=job)

    answer = clients["admin"].post(f"/withdrawals/{REFERENCE}/purge", data={
        "csrf_token": tokens["admin"], "confirmation": REFERENCE, "reason": "court order 2027/14"})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    purge.wait_for_background()  # the page answered at once; the files are wiped in a thread
    after_page = clients["admin"].get(answer.location).get_data(as_text=True)
    yield SimpleNamespace(data_dir=data_dir, app=app, clients=clients, tokens=tokens, cli=cli_run, before=before,
                          export_before=export_before, after_page=after_page, logs=logs, tmp=tmp)
    logging.getLogger().removeHandler(logs)


def _kept_splits():
    """How many statements' words kept for results pages (search_index/shown_words.py) hold the canary."""
    return sum("Zorblatt" in text for text in list(shown_words._splits))


def _rows(data_dir, sql, params=()):
    db = service.open_db(data_dir)
    try:
        return [dict(r) for r in db.query(sql, params)]
    finally:
        db.close()


def test_the_canary_was_everywhere_before(purged):
    found = purged.before.needles
    assert "archive.db" in found or "archive.db-wal" in found
    assert any(name.startswith("index/") and "zorblatt" in hits for name, hits in found.items())
    assert any(name.startswith("exports/") for name in found)  # the waiting job's file
    page = purged.before.withdrawals
    assert "Night crossings</span>, owner lawyer" in page and "with the witness's identity</strong>" in page
    assert "backup-before-purge.db" in page and "export file not yet downloaded" in page


def test_the_servers_memory_no_longer_holds_its_words(purged):
    assert purged.before.kept >= 1 and _kept_splits() == 0


def test_no_byte_of_the_data_directory_holds_it(purged):
    assert needles_in(purged.data_dir) == {}
    assert not (purged.data_dir.root / "archive.db-wal").exists() or \
        (purged.data_dir.root / "archive.db-wal").stat().st_size == 0


def test_no_search_count_or_suggestion_reveals_it(purged):
    for name, client in purged.clients.items():
        found = client.get("/api/search", query_string={"q": "Zorblattovo"}).get_json()
        assert found["total"] == 0 and found["results"] == []
        assert client.get("/api/search", query_string={"q": "Zorblattova"}).get_json()["suggestion"] is None
        assert client.get("/api/search", query_string={"q": "Ysolde"}).get_json()["total"] == 0
        everything = client.get("/api/search", query_string={"per_page": 100}).get_json()
        assert everything["total"] == len(OTHERS) and REFERENCE not in json.dumps(everything)
        assert sum(v["count"] for v in everything["facets"]["language"]) == len(OTHERS)
        page = client.get("/?q=").get_data(as_text=True)
        assert not [n for n in NEEDLES if n.lower() in page.lower()], name
        assert client.get(f"/testimonies/{REFERENCE}").status_code == 404
        assert client.get(f"/api/testimonies/{REFERENCE}").status_code == 404


def test_no_statistics_page_counts_it(purged):
    page = purged.clients["reviewer"].get("/stats").get_data(as_text=True)
    assert f"Statistics <small>{len(OTHERS)} testimonies" in page
    assert not [n for n in NEEDLES if n.lower() in page.lower()]


@pytest.mark.parametrize("file_format", ["csv", "json", "pdf"])
def test_no_export_holds_it(purged, file_format):
    client, token = purged.clients["reviewer"], purged.tokens["reviewer"]
    response = downloaded(client, client.post("/export", data={"csrf_token": token, "q": "", "format": file_format,
                                                                "identify": "1"}))
    assert response.status_code == 200
    content = response.get_data()
    text = (" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
            if file_format == "pdf" else content.decode("utf-8"))
    assert all(reference in text for reference in OTHERS) and REFERENCE not in text
    assert not [n for n in NEEDLES if n.lower() in text.lower()]


def test_the_case_file_no_longer_holds_it(purged):
    client, token = purged.clients["lawyer"], purged.tokens["lawyer"]
    page = client.get("/case-files/1").get_data(as_text=True)
    assert OTHERS[0] in page and REFERENCE not in page and "more you may not open" not in page
    exported = client.post("/case-files/1/export", data={"csrf_token": token, "format": "json"}).get_json()
    assert [r["reference"] for r in exported["records"]] == [OTHERS[0]]


def test_no_log_line_holds_it(purged):
    assert purged.logs.lines is not None
    assert not [line for line in purged.logs.lines if any(n.lower() in line.lower() for n in NEEDLES)]


def test_check_verify_and_audit_verify_pass(purged):
    for command in (["check"], ["verify"], ["audit", "verify"]):
        result = purged.cli(*command)
        assert result.exit_code == 0, (command, result.output)
    assert "1 purged: only their hashes are kept" in purged.cli("verify").output


def test_what_stays_is_the_reference_the_hashes_and_the_purge(purged):
    row = _rows(purged.data_dir, "SELECT * FROM testimony WHERE reference = ?", [REFERENCE])[0]
    assert (row["sha256"], row["sha256_received"], row["created_at"]) == (
        purged.before.row["sha256"], purged.before.row["sha256_received"], purged.before.row["created_at"])
    assert row["text"] == "" and row["title"] is None and row["witness_id"] is None and row["purged_at"]
    history = _rows(purged.data_dir, "SELECT * FROM history WHERE testimony_id = ? ORDER BY id", [row["id"]])
    *earlier, last = history
    assert all(h["old"] is None and h["new"] is None and h["reason"] is None for h in earlier)
    assert {(h["entity"], h["action"]) for h in earlier} >= {("testimony", "create"), ("code", "create"),
                                                            ("redaction", "create"), ("testimony", "update")}
    assert (last["action"], last["actor"], last["reason"]) == ("purge", "admin", "court order 2027/14")
    record = json.loads(last["new"])
    assert record["sha256"] == row["sha256"] and record["case_files"] == [{"id": 1, "name": "Night crossings",
                                                                           "owner": "lawyer"}]
    assert [e["id"] for e in record["exports"]] == [purged.export_before["id"], purged.before.job["export_id"]]
    assert [e["identified"] for e in record["exports"]] == [True, False]
    assert record["backups"][0]["path"].endswith("backup-before-purge.db") and record["export_files_removed"] == 1
    audit = _rows(purged.data_dir, "SELECT * FROM audit_event WHERE action = 'purged'")
    assert len(audit) == 1 and json.loads(audit[0]["detail"])["reason"] == "court order 2027/14"
    for table in ("code", "redaction", "suggestion_dismissal", "case_file_testimony", "stated_group_size",
                  "stated_circumstances", "witness_identity"):
        assert _rows(purged.data_dir, f"SELECT count(*) AS n FROM {table} WHERE "
                     + ("testimony_id = ?" if table != "witness_identity" else "witness_id = ?"),
                     [row["id"] if table != "witness_identity" else purged.before.row["witness_id"]])[0]["n"] == 0


def test_an_earlier_export_can_still_be_explained(purged):
    earlier = _rows(purged.data_dir, "SELECT * FROM export_record ORDER BY id")[:len(purged.before.exports)]
    assert earlier == purged.before.exports  # every earlier export's record stays, its file's hash too
    exported = {r["reference"]: r for r in purged.export_before["rows"]}[REFERENCE]
    assert exported["sha256"] == purged.before.row["sha256"]  # the manifest's hash matches the tombstone's
    assert _rows(purged.data_dir, "SELECT sha256 FROM testimony WHERE reference = ?", [REFERENCE]) == [
        {"sha256": exported["sha256"]}]


def test_the_waiting_export_file_is_gone(purged):
    job = _rows(purged.data_dir, "SELECT * FROM export_job WHERE id = ?", [purged.before.job["id"]])[0]
    assert job["status"] == "expired" and job["file"] is None and "purged" in job["error"]
    assert not (purged.data_dir.root / "exports" / purged.before.job["file"]).exists()
    client = purged.clients["lawyer"]
    assert client.get(f"/exports/{job['id']}/file").status_code == 404


def test_the_admin_is_told_what_is_left_to_do(purged):
    page = purged.after_page
    assert f"{REFERENCE} is purged" in page and f'id="p-{REFERENCE}"' in page
    assert "backup-before-purge.db" in page and "still holds it" in page
    assert "tell its owner, lawyer" in page and f"Export {purged.export_before['id']} (CSV" in page
    listed = purged.cli("withdrawals", "--as", "admin").output
    assert f"{REFERENCE}  purged" in listed and "backup-before-purge.db" in listed


def test_the_same_statement_is_not_imported_again(purged):
    report = _import(purged.data_dir, purged.tmp, [factories.record(77, text=TEXT)])
    assert report.imported == [] and report.duplicates == [(1, REFERENCE)]


# --- refusals ------------------------------------------------------------------------------------

@pytest.fixture
def withdrawn(import_records, users, data_dir):
    import_records([factories.record(1, consent="withdrawn"), factories.record(2)])
    return data_dir


@pytest.mark.parametrize("form, field, message", [
    ({"reason": "court order"}, "confirmation", "type the testimony&#39;s reference to confirm"),
    ({"confirmation": "T-2021-001", "reason": "court order"}, "confirmation", "exactly as it is written"),
    ({"confirmation": "t-2021-0001", "reason": "court order"}, "confirmation", "exactly as it is written"),
    ({"confirmation": "T-2021-0001"}, "reason", "say why"),
    ({"confirmation": "T-2021-0001", "reason": " "}, "reason", "say why"),
])
def test_a_purge_needs_the_typed_reference_and_a_reason(app, login, withdrawn, form, field, message):
    client = app.test_client()
    token = login(client, "admin")
    response = client.post("/withdrawals/T-2021-0001/purge", data={"csrf_token": token, **form})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    error_id = "confirm-T-2021-0001-error" if field == "confirmation" else "purge-reason-T-2021-0001-error"
    assert f'id="{error_id}"' in page
    assert _rows(withdrawn, "SELECT purged_at FROM testimony WHERE reference = 'T-2021-0001'") == [{"purged_at": None}]


def test_only_an_admin_purges_and_only_a_withdrawn_testimony(app, login, withdrawn):
    form = {"confirmation": "T-2021-0001", "reason": "court order"}
    for name in ("reviewer", "lawyer", "coder", "viewer"):
        client = app.test_client()
        token = login(client, name)
        assert client.post("/withdrawals/T-2021-0001/purge", data={"csrf_token": token, **form}).status_code == 403
    admin = app.test_client()
    token = login(admin, "admin")
    response = admin.post("/withdrawals/T-2021-0002/purge",
                          data={"csrf_token": token, **form, "confirmation": "T-2021-0002"})
    assert response.status_code == 303 and "is not withdrawn" in admin.get("/withdrawals").get_data(as_text=True)
    response = admin.post("/withdrawals/T-1999-0001/purge",
                          data={"csrf_token": token, **form, "confirmation": "T-1999-0001"})
    assert response.status_code == 303
    assert "There is no testimony T-1999-0001" in admin.get("/withdrawals").get_data(as_text=True)
    assert admin.post("/withdrawals/T-2021-0001/purge", data={"csrf_token": token, **form}).status_code == 303
    purge.wait_for_background()
    admin.get("/withdrawals")
    admin.post("/withdrawals/T-2021-0001/purge", data={"csrf_token": token, **form})
    assert "was already purged" in admin.get("/withdrawals").get_data(as_text=True)


def test_the_page_answers_at_once_and_says_when_the_files_are_wiped(app, login, withdrawn, monkeypatch):
    monkeypatch.setattr(purge, "finish_in_background", lambda data_dir: None)  # the wipe, held back
    admin = app.test_client()
    token = login(admin, "admin")
    admin.post("/withdrawals/T-2021-0001/purge", data={"csrf_token": token, "confirmation": "T-2021-0001",
                                                       "reason": "court order"})
    page = admin.get("/withdrawals").get_data(as_text=True)
    assert "being wiped from the archive" in page
    found = admin.get("/api/search", query_string={"q": "dogs"}).get_json()
    assert found["total"] == 1 and not indexer.drift(withdrawn.index, {2: 1}).extra  # no longer found at once
    problems, drift = service.check(withdrawn)
    assert problems == ["the purge of T-2021-0001 is not finished: its words may remain in the files"]
    assert drift.purged == [1]
    db = service.open_db(withdrawn)
    try:
        assert purge.finish(withdrawn, db).complete
    finally:
        db.close()
    assert "Wiped from every file of the archive" in admin.get("/withdrawals").get_data(as_text=True)
    problems, drift = service.check(withdrawn)
    assert problems == [] and not drift


def test_a_server_finishes_at_its_start_what_a_stopped_one_left(app, login, withdrawn, monkeypatch):
    with monkeypatch.context() as held:
        held.setattr(purge, "finish_in_background", lambda data_dir: None)
        admin = app.test_client()
        admin.post("/withdrawals/T-2021-0001/purge", data={"csrf_token": login(admin, "admin"),
                                                           "confirmation": "T-2021-0001", "reason": "order"})
    assert service.check(withdrawn)[0]
    create_app({"TESTING": True, "DATA": str(withdrawn.root)})  # the next start
    purge.wait_for_background()
    problems, drift = service.check(withdrawn)
    assert problems == [] and not drift


@pytest.mark.parametrize("args, code, named", [
    (["--reason", "court order", "--confirm", "T-2021-0002"], 1, "--confirm"),
    (["--confirm", "T-2021-0001"], 2, "--reason"),
    (["--reason", "court order", "--confirm", "T-2021-0001", "--as", "reviewer"], 2, "--as"),
])
def test_the_cli_refuses_a_purge_naming_the_option(withdrawn, args, code, named):
    result = CliRunner().invoke(cli, ["--data", str(withdrawn.root), "purge", "T-2021-0001", *args,
                                      *([] if "--as" in args else ["--as", "admin"])])
    assert result.exit_code == code and named in result.output, result.output


def test_the_cli_asks_for_the_reference_when_not_given(withdrawn):
    result = CliRunner().invoke(cli, ["--data", str(withdrawn.root), "purge", "T-2021-0001", "--reason", "order",
                                      "--as", "admin"], input="T-2021-0001\n")
    assert result.exit_code == 0, result.output
    assert "Purged T-2021-0001" in result.output and "Files wiped" in result.output


# --- the index: only the segments holding the document are rewritten ----------------------------

def _segment_ids(path):
    ix = indexer.open_index(path)
    with ix.reader() as reader:
        return [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]


def _index_bytes(path):
    return b"".join(p.read_bytes().lower() for p in Path(path).rglob("*") if p.is_file())


def test_a_deletion_alone_leaves_the_words_in_the_segment_files(data_dir, import_records):
    """Why a purge rewrites segments: a deleted document's words stay on disk."""
    import_records([factories.record(1, text=TEXT)])
    indexer.delete(data_dir.index, [1])
    assert b"zorblattovo" in _index_bytes(data_dir.index)
    assert indexer.traces(data_dir.index, [1]) == [1]
    purging.purge(data_dir.index, [1])
    assert b"zorblattovo" not in _index_bytes(data_dir.index) and indexer.traces(data_dir.index, [1]) == []


def test_only_the_segments_holding_it_are_rewritten(data_dir, import_records, codebook):
    for batch in range(3):  # three imports: three segments (small segments are not merged below 4)
        import_records([factories.record(10 * batch + n, text=f"{factories.BASE_TEXT} batch {batch} n {n}"
                                         + (f" {CANARY}" if (batch, n) == (1, 1) else "")) for n in range(1, 4)])
    segments = _segment_ids(data_dir.index)
    assert len(segments) == 3
    holding = [s for s in segments if s != segments[0] and s != segments[2]]
    copied = purging.purge(data_dir.index, [4])  # testimony 4: the first of the second import
    after = _segment_ids(data_dir.index)
    assert segments[0] in after and segments[2] in after and holding[0] not in after
    assert copied == 2  # the other two documents of that segment were copied, nothing else
    assert b"zorblattovo" not in _index_bytes(data_dir.index)
    assert indexer.traces(data_dir.index, [4]) == []


def test_a_document_updated_during_the_copy_is_not_brought_back(data_dir, import_records, codebook, monkeypatch):
    """The copy is made without the lock: a testimony another writer replaced meanwhile keeps only its
    new version (the old one, copied live, is deleted in the copy at the swap)."""
    import_records([factories.record(n, text=f"{factories.BASE_TEXT} n {n}" + (f" {CANARY}" if n == 1 else ""))
                    for n in range(1, 4)])
    db = service.open_db(data_dir)
    copy_live = purging._copy_live

    def update_meanwhile(*args):
        made = copy_live(*args)
        with db.conn:
            db.execute("UPDATE testimony SET revision = revision + 1 WHERE id = 2")
        service.index_testimonies(data_dir, db, [2], codebook)  # another writer, between copy and swap
        return made

    monkeypatch.setattr(purging, "_copy_live", update_meanwhile)
    try:
        purging.purge(data_dir.index, [1])
        drift = indexer.drift(data_dir.index, {2: 2, 3: 1}, purged=[1])
    finally:
        db.close()
    assert not drift, drift  # 2 once, at its new revision; 1 without a trace
    assert b"zorblattovo" not in _index_bytes(data_dir.index)


def test_a_segment_merged_away_during_the_copy_is_copied_again(data_dir, import_records, monkeypatch):
    import_records([factories.record(1, text=f"{factories.BASE_TEXT} {CANARY}")])
    import_records([factories.record(2)])
    copy_live, calls = purging._copy_live, []

    def merge_meanwhile(ix, schema, segments):
        made = copy_live(ix, schema, segments)
        if not calls:
            writer = ix.writer()
            writer.commit(optimize=True)  # another writer merges every segment
        calls.append(len(segments))
        return made

    swap, swaps = purging._swap, []
    monkeypatch.setattr(purging, "_copy_live", merge_meanwhile)
    monkeypatch.setattr(purging, "_swap", lambda *args: swaps.append(swap(*args)) or swaps[-1])
    purging.purge(data_dir.index, [1])
    # The copy found its segment merged away, so it looked again: the merge had left no trace to copy.
    assert swaps == [False, True] and calls == [1]
    assert not Path(str(data_dir.index) + ".purging").exists()
    assert indexer.traces(data_dir.index, [1]) == [] and b"zorblattovo" not in _index_bytes(data_dir.index)
    assert not indexer.drift(data_dir.index, {2: 1}, purged=[1])


def test_a_restore_that_brings_a_purged_statement_back_says_so(withdrawn, run, tmp_path):
    assert run("backup", tmp_path / "older.db").exit_code == 0
    assert run("purge", "T-2021-0001", "--reason", "order", "--confirm", "T-2021-0001", "--as", "admin").exit_code == 0
    restored = CliRunner().invoke(cli, ["--data", str(withdrawn.root), "restore", str(tmp_path / "older.db"), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "older than the purge of T-2021-0001" in restored.output and "Purge it again now" in restored.output
    assert run("purge", "T-2021-0001", "--reason", "order, again after a restore", "--confirm", "T-2021-0001",
               "--as", "admin").exit_code == 0
    again = CliRunner().invoke(cli, ["--data", str(withdrawn.root), "check"])
    assert again.exit_code == 0, again.output


def test_after_a_purge_searches_answer_as_a_rebuilt_index_would(data_dir, import_records, codebook):
    """The rewritten segment is a faithful copy: totals, results and facet counts are those of an index
    rebuilt from SQLite without the purged testimony."""
    from search_index.searcher import Searcher

    for batch in range(3):
        import_records([factories.record(10 * batch + n,
                                         text=f"{factories.BASE_TEXT} Pepper spray, batch {batch}, n {n}."
                                         + (f" {CANARY}" if (batch, n) == (1, 2) else ""),
                                         abuse_types=[["beating"], ["dog_attack", "theft"], ["pepper_spray"]][n % 3],
                                         consent=["legal", "publication", "internal"][n % 3])
                        for n in range(1, 5)])
    db = service.open_db(data_dir)
    try:
        reference = "T-2021-0012"
        consent.change(data_dir, db, reference, {"consent": "withdrawn", "decided": dt.date(2022, 1, 1),
                                                 "reason": "r"}, {"name": "reviewer", "role": "reviewer"})
        purge.purge(data_dir, db, reference, {"confirmation": reference, "reason": "r"},
                    {"name": "admin", "role": "admin"})
    finally:
        db.close()

    def answers():
        searcher = Searcher(data_dir.index, codebook)
        try:
            found = [searcher.search(q, limit=100) for q in ("", "dogs", '"pepper spray"', "Kuznitsa beaten", "batch")]
        finally:
            searcher.close()
        return [(f["total"], sorted(h["reference"] for h in f["results"]),
                 {name: sorted((v["value"], v["count"]) for v in values) for name, values in f["facets"].items()})
                for f in found]

    purged = answers()
    service.reindex(data_dir)
    assert purged == answers()
    assert purged[0][0] == 11


def test_a_database_restore_kept_in_the_data_directory_is_listed(withdrawn, run, tmp_path):
    """`archive restore` keeps the database it replaces beside it: a copy a purge cannot reach."""
    assert run("backup", tmp_path / "b.db").exit_code == 0
    restored = CliRunner().invoke(cli, ["--data", str(withdrawn.root), "restore", str(tmp_path / "b.db"), "--yes"])
    assert restored.exit_code == 0
    (kept,) = withdrawn.root.glob("archive.db.before-restore-*")
    listed = run("withdrawals", "--as", "admin").output
    assert f"database kept by `archive restore` in the data directory: {kept}" in listed
    done = run("purge", "T-2021-0001", "--reason", "order", "--confirm", "T-2021-0001", "--as", "admin")
    assert done.exit_code == 0 and f"backup still holding it: {kept}" in done.output
