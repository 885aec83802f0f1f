"""CSV and JSON exports read back: every selected testimony and quote is there; no identifying field,
redacted passage or testimony without consent is; formula cells are neutralised; each export is
recorded with the file's hash. Through the real CLI on an archive built by the real import."""
import csv
import json

import pytest
from click.testing import CliRunner

from archive import service, store
from archive.cli import cli
from archive.custody import audit
from archive.custody.hashing import file_sha256
from archive.export.csv import FORMULA_STARTS, neutralised
from schemas.export import ExportDocumentSchema
from tests import export_data, factories
from tests.export_data import EXPORTED, NAMES, NEVER, QUOTED


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return export_data.build(tmp_path_factory.mktemp("export") / "archive-data")


@pytest.fixture
def export(archive, tmp_path):
    """export('--format', 'csv', ...) -> (click Result, path of the file written)."""
    counter = iter(range(1000))

    def run(*args, account="lawyer", suffix="out"):
        path = tmp_path / f"export-{next(counter)}.{suffix}"
        result = CliRunner().invoke(cli, ["--data", str(archive.root), "export", *args, "--out", str(path),
                                          "--as", account], catch_exceptions=False)
        return result, path

    return run


def read_csv(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_per_testimony_holds_exactly_the_exportable_testimonies(export):
    result, path = export("--format", "csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(path)
    assert sorted(row["reference"] for row in rows) == EXPORTED
    content = path.read_text(encoding="utf-8")
    for absent in NEVER + NAMES:
        assert absent not in content
    assert "witness_name" not in rows[0]
    assert "1 testimony left out: consent is internal" in result.output


def test_csv_labels_sit_beside_ids(export, codebook):
    _, path = export("--format", "csv")
    row = next(r for r in read_csv(path) if r["reference"] == "T-2021-0004")
    assert row["abuse_types"].split("; ") == ["pepper_spray"]
    assert row["abuse_type_labels"] == codebook.label("abuse_type", "pepper_spray")
    assert row["perpetrators"] == "pl_border_guard"
    assert row["perpetrator_labels"] == codebook.label("perpetrator", "pl_border_guard")
    assert row["incident_date"] == "2021-11-16~" and row["incident_date_label"] == "about 16 November 2021"
    assert row["witness_pseudonym"] == "Witness A-4" and row["witness_age_band"] == "25-34"
    assert "[redacted]" in row["text"] and row["redactions"] == "1"


def test_formula_cells_are_neutralised(export):
    _, path = export("--format", "csv")
    rows = read_csv(path)
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    first = next(r for r in rows if r["reference"] == "T-2021-0001")
    assert first["title"] == "'=HYPERLINK(\"http://evil.example\",\"open\")"
    assert first["source"] == "'+1 555 0100"
    assert first["organisation"] == "'-2 Border Aid"
    assert first["witness_pseudonym"] == "'@SUM(A1:A9)"
    tabbed = next(r for r in rows if r["reference"] == "T-2021-0005")
    assert tabbed["text"] == "'" + export_data.FORMULA_TEXT
    with open(path, encoding="utf-8", newline="") as handle:  # every cell quoted, as OWASP advises
        assert handle.readline().startswith('"reference","title"')


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", "\0"])
def test_every_formula_start_is_neutralised(start):
    assert neutralised(start + "1+2") == "'" + start + "1+2"


@pytest.mark.parametrize("value, written", [("1+2", "1+2"), (" =x", " =x"), (None, ""), (True, "yes"), (-3, -3)])
def test_other_cells_are_kept(value, written):
    assert neutralised(value) == written


def test_bom_option_for_excel(export):
    _, plain = export("--format", "csv")
    _, with_bom = export("--format", "csv", "--bom")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert with_bom.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(with_bom, encoding="utf-8-sig")
    assert list(rows[0])[0] == "reference"
    texts = {row["reference"]: row["text"] for row in rows}
    assert texts["T-2021-0002"].startswith("ضربنا الجنود") and "Białowieży" in texts["T-2021-0004"]


def test_csv_per_code_quotes_passages_with_redactions(export, db_of):
    _, path = export("--format", "csv", "--per", "code")
    rows = read_csv(path)
    assert {r["passage"] for r in rows if r["passage"]} == QUOTED
    with db_of() as db:
        codes = store.codes_of(db, [store.get_testimony_row(db, ref)["id"] for ref in EXPORTED])
    assert len(rows) == sum(len(c) for c in codes.values())
    pushback = next(r for r in rows if r["passage"] == "Меня зовут [redacted].")
    assert pushback["abuse_type"] == "pushback" and pushback["sides"] == "PL"
    assert "Олег" not in path.read_text(encoding="utf-8")


def test_json_matches_its_schema_and_holds_every_quote(export):
    result, path = export("--format", "json", suffix="json")
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    assert ExportDocumentSchema().validate(document) == {}
    assert [r["reference"] for r in document["records"]] == sorted(EXPORTED)  # an empty query: by reference
    assert document["count"] == 5 and document["left_out"] == {"internal": 1}
    assert document["exported_by"] == "lawyer (lawyer)"
    quotes = {c["passage"]["text"] for r in document["records"] for c in r["codes"] if c["passage"]}
    assert quotes == QUOTED
    assert all(r["identity"] is None for r in document["records"])
    content = path.read_text(encoding="utf-8")
    for absent in NEVER + NAMES:
        assert absent not in content
    arabic = next(r for r in document["records"] if r["reference"] == "T-2021-0002")
    assert arabic["text"] == export_data.ARABIC.replace("أحمد الخالدي", "[redacted]")
    assert arabic["text_sha256"] != arabic["sha256"]


def test_identities_only_when_asked_and_allowed(export):
    _, path = export("--format", "json", "--identify", suffix="json")
    records = {r["reference"]: r for r in json.loads(path.read_text(encoding="utf-8"))["records"]}
    assert records["T-2021-0001"]["identity"] == {"name": "Karim Haddad", "contact": "+48 600 100 200"}
    # A redacted name stays redacted in the statement, even when the identity is shown beside it.
    assert "Олег Петренко" not in records["T-2021-0003"]["text"]
    assert records["T-2021-0003"]["identity"]["name"] == "Олег Петренко"


@pytest.mark.parametrize("account", ["viewer", "coder"])
def test_a_role_without_export_is_refused(export, account, db_of):
    with db_of() as db:
        before = db["export_record"].count
    result, path = export("--format", "csv", account=account)
    assert result.exit_code == 1 and "may not export" in result.output
    assert not path.exists()
    with db_of() as db:
        assert db["export_record"].count == before


def test_unknown_account_and_filters_are_usage_errors(export):
    assert export("--format", "csv", account="nobody")[0].exit_code == 2
    assert export("--format", "csv", "--filter", "colour=red")[0].exit_code == 2


def test_search_filters_narrow_the_export(export):
    _, path = export("--format", "csv", "--filter", "language=ar", "--filter", "language=ru")
    assert sorted(r["reference"] for r in read_csv(path)) == ["T-2021-0002", "T-2021-0003"]
    _, path = export("Białowieża", "--format", "csv")
    assert [r["reference"] for r in read_csv(path)] == ["T-2021-0004"]


def test_every_export_is_recorded_with_the_files_hash(export, db_of):
    result, path = export("--format", "csv", "--filter", "language=ar")
    with db_of() as db:
        record = store.list_export_records(db, limit=1)[0]
        event = list(db.query("SELECT * FROM audit_event ORDER BY id DESC LIMIT 1"))[0]
        assert audit.verify(db) == []
    assert record["sha256"] == file_sha256(path) and record["sha256"] in result.output
    assert record["actor"] == "lawyer" and record["format"] == "csv" and record["records"] == 1
    assert record["search"]["filters"] == {"language": ["ar"]}
    assert event["action"] == "export" and event["subject"] == f"export {record['id']}"
    assert json.loads(event["detail"])["sha256"] == record["sha256"]


def test_small_group_warning(export):
    result, path = export("--format", "json", suffix="json")
    records = {r["reference"]: r for r in json.loads(path.read_text(encoding="utf-8"))["records"]}
    # Only the Iraqi witness of 19 and the Ukrainian of 41 have no one sharing their details.
    assert {ref for ref, r in records.items() if r["small_group"]} == {"T-2021-0002", "T-2021-0003"}
    assert "2 witnesses (T-2021-0002, T-2021-0003) share nationality" in result.output


def test_case_file_export_says_what_was_left_out_and_why(export, db_of):
    with db_of() as db, service_write(db):
        case_id = store.insert_case_file(db, "Kuźnica 2021", "lawyer")
        ids = [store.get_testimony_row(db, ref)["id"] for ref in ("T-2021-0002", "T-2021-0006", "T-2021-0007")]
        store.add_to_case_file(db, case_id, ids, "lawyer")
        store.share_case_file(db, case_id, "reviewer", "lawyer")
    result, path = export("--format", "csv", "--case-file", "kuźnica 2021", account="reviewer")
    assert [r["reference"] for r in read_csv(path)] == ["T-2021-0002"]
    assert "1 testimony left out: consent is internal" in result.output
    assert "1 testimony left out: consent was withdrawn" in result.output
    # A lawyer may not open a withdrawn statement at all: it is counted without saying more.
    result, _ = export("--format", "csv", "--case-file", "Kuźnica 2021")
    assert "1 testimony left out: not open to your role" in result.output
    assert export("--format", "csv", "--case-file", "nothing")[0].exit_code == 2


def test_a_case_file_is_exported_only_by_its_owner_and_whom_it_is_shared_with(export, db_of):
    with db_of() as db, service_write(db):
        from archive.security import accounts
        from tests.factories import PASSWORD

        accounts.add_user(db, "lawyer2", "lawyer", PASSWORD)
        case_id = store.insert_case_file(db, "Bruzgi 2021", "lawyer")
        store.add_to_case_file(db, case_id, [store.get_testimony_row(db, "T-2021-0002")["id"]], "lawyer")
    result, path = export("--format", "csv", "--case-file", "Bruzgi 2021", account="lawyer2")
    assert result.exit_code == 2 and "lawyer2 has no case file named 'Bruzgi 2021'" in result.output
    assert not path.exists()
    with db_of() as db, service_write(db):  # a case file of lawyer2's own, of the same name, is theirs
        own = store.insert_case_file(db, "Bruzgi 2021", "lawyer2")
        store.add_to_case_file(db, own, [store.get_testimony_row(db, "T-2021-0004")["id"]], "lawyer2")
    _, path = export("--format", "csv", "--case-file", "bruzgi 2021", account="lawyer2")
    assert [r["reference"] for r in read_csv(path)] == ["T-2021-0004"]
    _, path = export("--format", "csv", "--case-file", "Bruzgi 2021")
    assert [r["reference"] for r in read_csv(path)] == ["T-2021-0002"]


def test_exports_never_overwrite(export, tmp_path, archive):
    target = tmp_path / "exists.csv"
    target.write_text("keep me")
    result = CliRunner().invoke(cli, ["--data", str(archive.root), "export", "--format", "csv", "--out",
                                      str(target), "--as", "lawyer"])
    assert result.exit_code == 2 and target.read_text() == "keep me"


@pytest.fixture
def db_of(archive):
    import contextlib

    @contextlib.contextmanager
    def opened():
        db = service.open_db(archive)
        try:
            yield db
        finally:
            db.close()

    return opened


def service_write(db):
    from archive.store.db import write_transaction
    return write_transaction(db)


def test_an_export_that_cannot_be_recorded_leaves_no_file(tmp_path, codebook):
    data = export_data.build(tmp_path / "archive-data")
    db = service.open_db(data)
    try:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON export_record BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        result = CliRunner().invoke(cli, ["--data", str(data.root), "export", "--format", "json", "--out",
                                          str(tmp_path / "x.json"), "--as", "lawyer"])
        assert result.exit_code != 0 and not (tmp_path / "x.json").exists()
        assert db["audit_event"].count == db.execute(
            "SELECT count(*) FROM audit_event WHERE action != 'export'").fetchone()[0]
    finally:
        db.close()


def test_too_many_testimonies_for_a_pdf_are_refused_with_advice(export, monkeypatch):
    import archive.export
    monkeypatch.setattr(archive.export, "PDF_LIMIT", 4)
    result, path = export("--format", "pdf", suffix="pdf")
    assert result.exit_code == 1 and "5 testimonies are too many for one PDF (at most 4)" in result.output
    assert not path.exists()
    assert export("--format", "csv")[0].exit_code == 0


def test_identities_shown_are_named_in_the_audit_log(export, db_of):
    export("--format", "csv", "--identify", "--filter", "language=ru")
    with db_of() as db:
        event = list(db.query("SELECT * FROM audit_event WHERE action = 'export' ORDER BY id DESC LIMIT 1"))[0]
        recorded = store.list_export_records(db, limit=1)[0]
    assert json.loads(event["detail"])["identified"] == ["T-2021-0003"]
    assert recorded["identified"] == 1 and recorded["options"]["identify"] is True
    assert "Олег" not in event["detail"]


def test_a_statement_stated_in_no_language_exports_the_language_the_archive_read(tmp_path):
    # A lawyer sorting a CSV by language finds it under the one detected, and sees that it was detected.
    unstated = factories.record(1, language=None, text=(
        "We walked through the forest for three days. The soldiers caught us near the fence at night, "
        "took our phones and pushed us back to the other side of the border."))
    data = factories.archive(tmp_path / "archive-data", [unstated, factories.record(2)], accounts=True)
    files = {}
    for kind in ("csv", "json"):
        files[kind] = tmp_path / f"export.{kind}"
        result = CliRunner().invoke(cli, ["--data", str(data.root), "export", "--format", kind, "--out",
                                          str(files[kind]), "--as", "lawyer"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    rows = {row["reference"]: row for row in read_csv(files["csv"])}
    assert (rows["T-2021-0001"]["language"], rows["T-2021-0001"]["language_detected"]) == ("", "en")
    assert (rows["T-2021-0002"]["language"], rows["T-2021-0002"]["language_detected"]) == ("en", "")
    document = json.loads(files["json"].read_text(encoding="utf-8"))
    assert ExportDocumentSchema().validate(document) == {}
    records = {r["reference"]: r for r in document["records"]}
    assert (records["T-2021-0001"]["language"], records["T-2021-0001"]["language_detected"]) == (None, "en")
    assert (records["T-2021-0002"]["language"], records["T-2021-0002"]["language_detected"]) == ("en", None)
