"""`archive import`: every format, what is stored, and that any bad input writes nothing at all.

Everything runs on the real parts: a SQLite file and a Whoosh index in a temp dir, files written
to disk in the format a researcher's tools produce.
"""
import hashlib
import json
import random
import unicodedata

import pytest

from archive import intake, service
from archive.config import DataDir
from schemas.import_row import MAX_TEXT_CHARS
from tests import factories
from tests.factories import record

ARCHIVE_TABLES = ("testimony", "code", "code_perpetrator", "witness", "witness_identity", "history",
                  "import_batch")
COMPARED_TABLES = ("testimony", "code", "code_perpetrator", "witness", "witness_identity")
VOLATILE = {"created_at", "updated_at", "consent_recorded_at", "at"}
SECRET_NAME, SECRET_CONTACT = "Fatima Secret-Name", "+48 600 000 000"


# --- helpers ---------------------------------------------------------------------------------

def write(tmp_path, name, content):
    """Write bytes (or text as UTF-8, line endings untouched) to tmp_path/name."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def as_json(records):
    return json.dumps(records, ensure_ascii=False, indent=1)


def import_path(data_dir, path, actor="tester"):
    return service.import_file(data_dir, path, actor)


def rejected(data_dir, path):
    """The problems of an import that must be refused."""
    with pytest.raises(intake.ImportRejected) as caught:
        import_path(data_dir, path)
    return caught.value.problems


def counts(db):
    return {table: db[table].count for table in ARCHIVE_TABLES}


def assert_nothing_written(db, searcher):
    assert counts(db) == dict.fromkeys(ARCHIVE_TABLES, 0)
    assert searcher.search("")["total"] == 0


def snapshot(db):
    """Every stored row of the archive tables, without timestamps."""
    return {table: [{k: v for k, v in row.items() if k not in VOLATILE} for row in db[table].rows]
            for table in COMPARED_TABLES}


def codes(db, *columns):
    return [tuple(row) for row in db.execute(f"SELECT {', '.join(columns)} FROM code ORDER BY id").fetchall()]


# --- 1. every format gives the same archive --------------------------------------------------

THREE = [
    record(1, witness_name="Fictional Person One", witness_contact="+48 000 000 001"),
    record(2, title="Pepper spray in the truck", text="They sprayed pepper spray into the truck near Hajnówka.",
           abuse_types=["pepper_spray"], perpetrators=["pl_army", "pl_border_guard"], location="Hajnowka",
           incident_date_from="2021-09", incident_date_to="2021-10", witness_age="25-34",
           witness_gender="female"),
    record(3, reference=None, title=None, text="Soldiers forced us into the river at night.",
           abuse_types=["water_immersion"], perpetrators=["BY"], location="Bug", incident_date_from="2021",
           language="PL", witness_nationality="IRQ"),
]
FORMATS = {
    "csv-utf8": ("csv", lambda rs: factories.csv_text(rs).replace("\r\n", "\n")),
    "csv-excel-bom-crlf": ("csv", lambda rs: "\ufeff" + factories.csv_text(rs)),
    "csv-excel-polish-semicolons": ("csv", lambda rs: "\ufeff" + factories.csv_text(rs, delimiter=";")),
    "csv-tabs": ("csv", lambda rs: factories.csv_text(rs, delimiter="\t")),
    "json-array": ("json", as_json),
    "json-lines": ("jsonl", lambda rs: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rs)),
}


def write_as(tmp_path, file_format, records, stem="records"):
    extension, render = FORMATS[file_format]
    return write(tmp_path, f"{stem}.{extension}", render(records))


class TestFormats:
    def test_the_three_records_are_stored_as_written(self, data_dir, db, tmp_path):
        report = import_path(data_dir, write_as(tmp_path, "json-array", THREE))
        assert (report.rows, report.references) == (3, ["T-2021-0001", "T-2021-0002", "T-2021-0003"])
        assert [(t["reference"], t["title"], t["language"], t["consent"], t["confidentiality"], t["status"])
                for t in db["testimony"].rows] == [
            ("T-2021-0001", "Chased with dogs near Kuźnica (1)", "en", "legal", "restricted", "new"),
            ("T-2021-0002", "Pepper spray in the truck", "en", "legal", "restricted", "new"),
            ("T-2021-0003", "Soldiers forced us into the river at night.", "pl", "legal", "restricted", "new")]
        assert codes(db, "testimony_id", "abuse_type", "place_id", "date_text", "date_precision") == [
            (1, "dog_attack", "kuznica", "2021-11", "month"), (1, "beating", "kuznica", "2021-11", "month"),
            (1, "theft", "kuznica", "2021-11", "month"),
            (2, "pepper_spray", "hajnowka", "2021-09/2021-10", "range"),
            (3, "water_immersion", "bug_river", "2021", "year")]
        assert sorted((r["code_id"], r["perpetrator_id"]) for r in db["code_perpetrator"].rows) == [
            (1, "by_military_special"), (2, "by_military_special"), (3, "by_military_special"),
            (4, "pl_army"), (4, "pl_border_guard"), (5, "BY")]
        assert list(db["witness"].rows) == [
            {"id": 1, "pseudonym": "Witness A-1", "gender": "male", "age": 34, "age_band": None,
             "nationality": "SY", "minor": 0},
            {"id": 2, "pseudonym": "Witness A-2", "gender": "female", "age": None, "age_band": "25-34",
             "nationality": "SY", "minor": 0},
            {"id": 3, "pseudonym": "Witness A-3", "gender": "male", "age": 34, "age_band": None,
             "nationality": "IQ", "minor": 0}]

    @pytest.mark.parametrize("file_format", ["csv-utf8", "csv-excel-bom-crlf", "csv-excel-polish-semicolons",
                                             "csv-tabs", "json-lines"])
    def test_every_format_stores_exactly_what_a_json_array_stores(self, data_dir, db, searcher, tmp_path,
                                                                  file_format):
        baseline = DataDir.at(tmp_path / "baseline")
        service.init(baseline)
        import_path(baseline, write_as(tmp_path, "json-array", THREE, stem="baseline"))
        report = import_path(data_dir, write_as(tmp_path, file_format, THREE))
        assert report.references == ["T-2021-0001", "T-2021-0002", "T-2021-0003"]
        baseline_db = service.open_db(baseline)
        try:
            assert snapshot(db) == snapshot(baseline_db)
        finally:
            baseline_db.close()
        assert searcher.search("")["total"] == 3
        assert [hit["reference"] for hit in searcher.search("pepper")["results"]] == ["T-2021-0002"]
        assert [hit["reference"] for hit in searcher.search("river")["results"]] == ["T-2021-0003"]


# --- 2. what is stored -----------------------------------------------------------------------

class TestStoredData:
    @pytest.mark.parametrize("date_from, date_to, stored", [
        ("2021", None, ("2021", "2021-01-01", "2021-12-31", "year")),
        ("2021-11", None, ("2021-11", "2021-11-01", "2021-11-30", "month")),
        ("2021-11-08", None, ("2021-11-08", "2021-11-08", "2021-11-08", "day")),
        ("2021-09", "2021-11", ("2021-09/2021-11", "2021-09-01", "2021-11-30", "range")),
        ("2021-11-16~", None, ("2021-11-16~", "2021-11-09", "2021-11-23", "approximate")),
        ("2020-02-29", None, ("2020-02-29", "2020-02-29", "2020-02-29", "day")),
    ], ids=["year", "month", "day", "range", "approximate", "leap-day"])
    def test_partial_dates_keep_their_precision(self, import_records, db, date_from, date_to, stored):
        import_records([record(1, abuse_types=["beating"], incident_date_from=date_from, incident_date_to=date_to)])
        assert codes(db, "date_text", "date_from", "date_to", "date_precision") == [stored]

    @pytest.mark.parametrize("written", ["Kuznitsa", "Кузница", "KUZNICA", "Kuźnica",
                                         unicodedata.normalize("NFD", "Kuźnica")],
                             ids=["transliteration", "cyrillic", "upper-case", "polish", "polish-nfd"])
    def test_a_place_variant_resolves_to_the_gazetteer_place(self, import_records, db, written):
        report = import_records([record(1, abuse_types=["beating"], location=written)])
        assert codes(db, "place_id", "place_text") == [("kuznica", written)]
        assert report.unknown_places == []

    def test_an_unknown_place_is_kept_as_written_and_flagged(self, import_records, db):
        report = import_records([record(1), record(2, abuse_types=["beating"], location="Nowhere Village 7")])
        assert codes(db, "testimony_id", "place_id", "place_text")[-1] == (2, None, "Nowhere Village 7")
        assert report.unknown_places == [(2, "Nowhere Village 7")]

    def test_witness_identity_is_stored_only_apart(self, import_records, db, searcher):
        import_records([record(1, witness_name=SECRET_NAME, witness_contact=SECRET_CONTACT)])
        assert list(db["witness_identity"].rows) == [{"witness_id": 1, "name": SECRET_NAME,
                                                      "contact": SECRET_CONTACT}]
        everything_else = json.dumps([list(db[t].rows) for t in ("testimony", "witness", "code", "history",
                                                                 "import_batch")], ensure_ascii=False)
        assert SECRET_NAME not in everything_else and SECRET_CONTACT not in everything_else
        assert searcher.search("Fatima")["total"] == 0 and searcher.search("600")["total"] == 0

    def test_text_is_stored_nfc_with_lf_and_hashed_as_stored(self, import_records, db, searcher):
        received = unicodedata.normalize("NFD", "We walked to Białowieża.\r\nThe guards took our phones.\r\n")
        assert received != unicodedata.normalize("NFC", received)
        import_records([record(1, text=received)])
        stored = db["testimony"].get(1)
        assert stored["text"] == "We walked to Białowieża.\nThe guards took our phones.\n"
        assert stored["sha256"] == hashlib.sha256(stored["text"].encode("utf-8")).hexdigest()
        assert stored["sha256_received"] == hashlib.sha256(received.encode("utf-8")).hexdigest()
        assert searcher.search("Białowieża")["total"] == 1

    def test_history_has_one_create_per_testimony_and_code_with_actor(self, import_records, db):
        import_records([record(1), record(2, abuse_types=[], perpetrators=[], location=None,
                                          incident_date_from=None)], actor="archivist-7")
        assert [(h["testimony_id"], h["entity"], h["entity_id"], h["action"], h["actor"])
                for h in db["history"].rows] == [
            (1, "testimony", 1, "create", "archivist-7"), (1, "code", 1, "create", "archivist-7"),
            (1, "code", 2, "create", "archivist-7"), (1, "code", 3, "create", "archivist-7"),
            (2, "testimony", 2, "create", "archivist-7")]
        assert {h["reason"] for h in db["history"].rows} == {"import of import-0.json (batch 1)"}


# --- 3. bad input: refused, nothing written --------------------------------------------------

GOOD_CSV = factories.csv_text([record(1, text="A dog bit my brother at the fence.", abuse_types=["beating"])],
                              columns=["reference", "text", "abuse_types"])  # ASCII: the same in any encoding
BAD_FILES = [
    pytest.param("a.csv", b"", "the file is empty", id="empty"),
    pytest.param("a.csv", " \r\n  \r\n", "line 1: the first line must name the columns", id="whitespace-csv"),
    pytest.param("a.json", "  \n\t\n", "must be an array of objects", id="whitespace-json"),
    pytest.param("a.jsonl", "\n  \n", "the file has no records", id="whitespace-jsonl"),
    pytest.param("a.csv", "reference,text,abuse_types\r\n", "only a header row", id="header-only"),
    pytest.param("a.csv", (GOOD_CSV + "T-2021-0002,Szli\u015bmy do Bia\u0142owie\u017cy,beating\r\n").encode("cp1250"),
                 "line 3: byte 0x9C at column 17 is not UTF-8", id="windows-1250"),
    pytest.param("a.csv", GOOD_CSV.encode("utf-16"), "the file is UTF-16", id="utf-16"),
    pytest.param("a.csv", GOOD_CSV + 'T-2021-0002,"They came at night,beating\r\n',
                 "line 3: malformed CSV", id="unterminated-quote"),
    pytest.param("a.csv", "reference,text,colour\r\nT-1,Text,red\r\n", "unknown column(s): column 3 ('colour')", id="extra-column"),
    pytest.param("a.csv", "reference,title\r\nT-1,Title\r\n", "the column 'text' is missing", id="no-text-column"),
    pytest.param("a.csv", "reference,text,text\r\nT-1,a,b\r\n", "column(s) named twice: text", id="repeated-column"),
    pytest.param("a.json", '[{"text": "fine"}, {"text": "broken}]', "record 2: not valid JSON", id="malformed-json"),
    pytest.param("a.json", '[{"text": "fine"}', "after record 1: expected ',' or ']'", id="truncated-json"),
    pytest.param("a.json", '{"text": "an object, not an array"}', "must be an array of objects", id="json-object"),
]

# Rows of the wrong shape: each reported as its row's problem, and the other rows are still read.
BAD_SHAPES = [
    pytest.param("a.csv", GOOD_CSV + "T-2021-0002,more,beating,surplus\r\n", 2,
                 "4 values for 3 columns (line 3 of the file)", id="more-values-than-header"),
    pytest.param("a.csv", GOOD_CSV + "T-2021-0002,fewer\r\n", 2, "2 values for 3 columns (line 3 of the file)",
                 id="fewer-values-than-header"),
    pytest.param("a.json", '[{"text": "fine"}, "a string"]', 2, "expected an object {...}, found str",
                 id="json-non-object"),
    pytest.param("a.jsonl", '{"text": "fine"}\n{"text": \n', 2, "not valid JSON (Expecting value at column 10)",
                 id="jsonl-malformed"),
    pytest.param("a.jsonl", '{"text": "fine"}\n["text"]\n', 2, "expected an object {...}, found list",
                 id="jsonl-non-object"),
]

BAD_ROWS = [  # (overrides of row 2 of 3, field named, words the reason must contain)
    pytest.param({"incident_date_from": "2021-13-40"}, "incident_date_from", "does not exist", id="month-13"),
    pytest.param({"incident_date_from": "2021-02-29"}, "incident_date_from", "does not exist", id="feb-29-2021"),
    pytest.param({"incident_date_from": "16/11/2021"}, "incident_date_from", "is not a date", id="not-a-date"),
    pytest.param({"incident_date_from": "2999-01"}, "incident_date_from", "in the future", id="future-incident"),
    pytest.param({"interview_date": "2999"}, "interview_date", "in the future", id="future-interview"),
    pytest.param({"incident_date_from": "1850"}, "incident_date_from", "before 1900", id="before-1900"),
    pytest.param({"incident_date_from": "2021-11", "incident_date_to": "2021-09"}, "incident_date_to",
                 "ends (2021-09) before it starts (2021-11)", id="range-backwards"),
    pytest.param({"incident_date_from": None, "incident_date_to": "2021-11"}, "incident_date_to",
                 "needs a start date", id="to-without-from"),
    pytest.param({"interview_date": "2021-10-01"}, "interview_date", "before the incident",
                 id="interview-before-incident"),
    pytest.param({"abuse_types": ["beating", "tickling"]}, "abuse_types", "unknown abuse type id(s): tickling",
                 id="unknown-abuse-type"),
    pytest.param({"perpetrators": ["PL", "martians"]}, "perpetrators", "unknown perpetrator id(s): martians",
                 id="unknown-perpetrator"),
    pytest.param({"abuse_types": "beating;tickling"}, "abuse_types", "tickling", id="unknown-id-in-string-list"),
    pytest.param({"confidentiality": "public", "consent": "legal"}, "confidentiality", "consent to publication",
                 id="public-without-publication-consent"),
    pytest.param({"consent": "maybe"}, "consent", "Must be one of", id="bad-consent"),
    pytest.param({"confidentiality": "secret"}, "confidentiality", "Must be one of", id="bad-confidentiality"),
    pytest.param({"witness_gender": "robot"}, "witness_gender", "Must be one of", id="bad-gender"),
    pytest.param({"witness_age": 200}, "witness_age", "200 is not a plausible age", id="age-200"),
    pytest.param({"witness_age": "abc"}, "witness_age", "neither an age", id="age-abc"),
    pytest.param({"witness_age": 34.5}, "witness_age", "whole number", id="age-fraction"),
    pytest.param({"witness_age": "40-30"}, "witness_age", "not a valid age band", id="age-band-backwards"),
    pytest.param({"witness_nationality": "ZZ"}, "witness_nationality", "'ZZ' is not an ISO 3166-1", id="nationality"),
    pytest.param({"language": "xx"}, "language", "not an ISO 639-1", id="language"),
    pytest.param({"reference": "T 2021/0001!"}, "reference", "must be 1-64", id="bad-reference"),
    pytest.param({"source": "javascript:alert(1)"}, "source", "http:// or https://", id="javascript-source"),
    pytest.param({"source": " JavaScript:alert(document.cookie)"}, "source", "http://", id="javascript-mixed-case"),
    pytest.param({"source": "data:text/html,<script>alert(1)</script>"}, "source", "http://", id="data-source"),
    pytest.param({"text": "Before the fence\x00after the fence"}, "text", "NUL (U+0000) at position 17",
                 id="nul-in-text"),
    pytest.param({"title": "Dogs \u202eecnef eht ta"}, "title", "U+202E", id="rtl-override-in-title"),
    pytest.param({"text": "x" * (MAX_TEXT_CHARS + 1)}, "text", f"at most {MAX_TEXT_CHARS} characters", id="text-too-long"),
    pytest.param({"text": None}, "text", "the statement text is missing or empty", id="no-text"),
    pytest.param({"title": "t" * 301}, "title", "Longer than maximum length 300", id="title-too-long"),
    pytest.param({"colour": "red"}, "colour", "Unknown field", id="unknown-json-key"),
]


class TestRejected:
    @pytest.mark.parametrize("name, content, message", BAD_FILES)
    def test_a_bad_file_is_refused_naming_where(self, data_dir, db, searcher, tmp_path, name, content, message):
        problems = rejected(data_dir, write(tmp_path, name, content))
        assert len(problems) == 1 and problems[0][:2] == (None, None)
        assert message in problems[0][2]
        assert_nothing_written(db, searcher)

    @pytest.mark.parametrize("name, content, row, message", BAD_SHAPES)
    def test_a_row_of_the_wrong_shape_is_refused_naming_its_row(self, data_dir, db, searcher, tmp_path, name,
                                                                content, row, message):
        assert rejected(data_dir, write(tmp_path, name, content)) == [(row, None, message)]
        assert_nothing_written(db, searcher)

    def test_shape_and_field_problems_of_one_file_are_all_reported(self, data_dir, db, searcher, tmp_path):
        """A short row and an unknown column no longer hide the other rows' field errors."""
        lines = ["reference,text,colour,witness_age,incident_date_from",
                 "T-2021-0001,A dog bit my brother at the fence.,red,34,2021-11",
                 "T-2021-0002,They beat us with batons.,blue,200,2021-11",
                 "T-2021-0003,short row,green",
                 "T-2021-0004,They took our phones.,grey,40,2021-02-29"]
        problems = rejected(data_dir, write(tmp_path, "mixed.csv", "\r\n".join(lines) + "\r\n"))
        assert [(row, field) for row, field, _ in problems] == [
            (None, None), (2, "witness_age"), (3, None), (4, "incident_date_from")]
        assert "unknown column(s): column 3 ('colour')" in problems[0][2]
        assert problems[2][2] == "3 values for 5 columns (line 4 of the file)"
        assert_nothing_written(db, searcher)

    def test_a_json_lines_file_reports_every_broken_line(self, data_dir, db, searcher, tmp_path):
        lines = ['{"text": "fine"}', '{"text": ', '{"text": "also fine", "witness_age": 200}', "[1]", "{"]
        problems = rejected(data_dir, write(tmp_path, "broken.jsonl", "\n".join(lines) + "\n"))
        assert [(row, field) for row, field, _ in problems] == [(2, None), (3, "witness_age"), (4, None), (5, None)]
        assert_nothing_written(db, searcher)

    @pytest.mark.parametrize("overrides, field, reason", BAD_ROWS)
    def test_a_bad_row_is_refused_naming_row_and_field(self, data_dir, db, searcher, tmp_path,
                                                       overrides, field, reason):
        path = factories.write(tmp_path / "rows.json", [record(1), record(2, **overrides), record(3)], "json")
        problems = rejected(data_dir, path)
        assert [(row, name) for row, name, _ in problems] == [(2, field)]
        assert reason in problems[0][2]
        assert_nothing_written(db, searcher)

    def test_one_bad_row_among_fifty_writes_nothing(self, data_dir, db, searcher, tmp_path):
        records = [record(n) for n in range(1, 51)]
        records[24] = record(25, witness_age=200)
        problems = rejected(data_dir, factories.write(tmp_path / "fifty.csv", records, "csv"))
        assert problems == [(25, "witness_age", "200 is not a plausible age")]
        assert_nothing_written(db, searcher)

    def test_every_problem_of_every_row_is_reported(self, data_dir, db, searcher, tmp_path):
        records = [record(1), record(2, witness_age=200, witness_gender="robot"), record(3),
                   record(4, witness_nationality="ZZ"),
                   record(5, incident_date_from="2021-02-29", abuse_types=["tickling"], source="javascript:x()"),
                   record(6, confidentiality="public")]
        problems = rejected(data_dir, factories.write(tmp_path / "many.csv", records, "csv"))
        assert [(row, field) for row, field, _ in problems] == [
            (2, "witness_age"), (2, "witness_gender"), (4, "witness_nationality"),
            (5, "abuse_types"), (5, "incident_date_from"), (5, "source"), (6, "confidentiality")]
        assert_nothing_written(db, searcher)

    def test_cross_field_problems_are_reported_alongside_field_problems(self, data_dir, tmp_path):
        records = [record(1, witness_age=200, confidentiality="public", reference="T-X-1"),
                   record(2, reference="T-X-1")]
        problems = rejected(data_dir, factories.write(tmp_path / "both.json", records, "json"))
        assert [(row, field) for row, field, _ in problems] == [
            (1, "confidentiality"), (1, "witness_age"), (2, "reference")]

    def test_a_reference_used_twice_in_one_file_names_both_rows(self, data_dir, db, searcher, tmp_path):
        records = [record(1, reference="T-2021-0042"), record(2), record(3, reference="T-2021-0042")]
        problems = rejected(data_dir, factories.write(tmp_path / "twice.csv", records, "csv"))
        assert problems == [(3, "reference", "T-2021-0042 is also used by row 1")]
        assert_nothing_written(db, searcher)

    def test_a_reference_already_in_the_archive_with_other_text_is_refused(self, data_dir, db, searcher,
                                                                          import_records, tmp_path):
        import_records([record(1)])
        before, stored = counts(db), snapshot(db)
        path = factories.write(tmp_path / "again.json", [record(2), record(1, text="A different statement.")], "json")
        problems = rejected(data_dir, path)
        assert problems == [(2, "reference", "T-2021-0001 is already in the archive, with a different text")]
        assert counts(db) == before and snapshot(db) == stored
        assert searcher.search("")["total"] == 1

    @pytest.mark.parametrize("blank", ["   ", "\n\n", " \t\r\n "], ids=["spaces", "newlines", "mixed"])
    def test_a_blank_text_is_refused(self, data_dir, db, searcher, tmp_path, blank):
        problems = rejected(data_dir, factories.write(tmp_path / "blank.json", [record(1, text=blank)], "json"))
        assert [(row, field) for row, field, _ in problems] == [(1, "text")]
        assert_nothing_written(db, searcher)

    def test_content_after_the_json_array_is_refused(self, data_dir, db, searcher, tmp_path):
        content = as_json([record(1)]) + "\n" + as_json([record(2)])
        problems = rejected(data_dir, write(tmp_path, "appended.json", content))
        assert problems[0][:2] == (None, None)
        assert_nothing_written(db, searcher)

    @pytest.mark.parametrize("source", ["java\tscript:alert(1)", "java\nscript:alert(1)"], ids=["tab", "newline"])
    def test_an_obfuscated_javascript_source_is_refused(self, data_dir, tmp_path, source):
        problems = rejected(data_dir, factories.write(tmp_path / "js.json", [record(1, source=source)], "json"))
        assert [(row, field) for row, field, _ in problems] == [(1, "source")]


# --- 4. errors never echo identifying fields --------------------------------------------------

class TestNoIdentityInErrors:
    @pytest.mark.parametrize("overrides, field", [
        ({"witness_age": 200}, "witness_age"),
        ({"witness_name": (SECRET_NAME + " ") * 12}, "witness_name"),
        ({"witness_contact": SECRET_CONTACT + " ext. " + "9" * 200}, "witness_contact"),
        ({"witness_name": SECRET_NAME + "\u202e"}, "witness_name"),
    ], ids=["other-field-bad", "name-too-long", "contact-too-long", "name-with-bidi-override"])
    def test_problems_and_cli_output_name_the_field_not_the_value(self, data_dir, run, tmp_path, overrides, field):
        row = record(2, **{"witness_name": SECRET_NAME, "witness_contact": SECRET_CONTACT, **overrides})
        path = factories.write(tmp_path / "identity.csv", [record(1), row], "csv")
        problems = rejected(data_dir, path)
        assert [(r, f) for r, f, _ in problems] == [(2, field)]
        result = run("import", path)
        assert result.exit_code == 1 and f"row 2, field {field}:" in result.stderr
        for shown in (repr(problems), result.output, result.stderr):
            assert SECRET_NAME not in shown and SECRET_CONTACT not in shown and "Fatima" not in shown

    def test_a_csv_without_header_does_not_echo_the_first_row(self, run, tmp_path):
        headed = factories.csv_text([record(1, witness_name=SECRET_NAME, witness_contact=SECRET_CONTACT)])
        path = write(tmp_path, "no-header.csv", headed.split("\r\n", 1)[1])
        result = run("import", path)
        assert result.exit_code == 1
        assert SECRET_NAME not in result.output and SECRET_CONTACT not in result.output


# --- 5.-7. hostile, formula-looking and very long texts --------------------------------------

HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"
FORMULAS = {"title": '=HYPERLINK("http://evil")', "interviewer": "+1", "organisation": "@SUM(A1)",
            "witness_pseudonym": "-2+3", "text": "=cmd|' /C calc'!A0 they said at the fence."}


class TestVerbatimContent:
    def test_html_is_stored_verbatim_and_escaped_on_the_page(self, import_records, db, client):
        import_records([record(1, title=f"Title {HOSTILE}", text=f"Text {HOSTILE}")])
        stored = db["testimony"].get(1)
        assert (stored["title"], stored["text"]) == (f"Title {HOSTILE}", f"Text {HOSTILE}")
        page = client.get("/").get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<script>alert(1)" not in page and "<img src=x" not in page

    @pytest.mark.parametrize("file_format", ["csv", "json"])
    def test_formula_looking_cells_import_as_plain_text(self, import_records, db, file_format):
        import_records([record(1, **FORMULAS)], file_format=file_format)
        stored = db["testimony"].get(1)
        assert {k: stored[k] for k in ("title", "interviewer", "organisation", "text")} == {
            k: FORMULAS[k] for k in ("title", "interviewer", "organisation", "text")}
        assert db["witness"].get(1)["pseudonym"] == "-2+3"

    def test_a_100_kb_testimony_is_stored_whole_and_found_by_a_word_near_its_end(self, import_records, db, searcher):
        rng = random.Random(2021)
        vocabulary = [f"{a}{b}" for a in ("fence", "forest", "river", "night", "guard", "truck", "winter")
                      for b in ("", "s", "line", "side", "fall", "watch")] + ["we", "were", "pushed", "back"]
        words, size = [], 0
        while size < 100_000:
            words.append(rng.choice(vocabulary))
            size += len(words[-1]) + 1
        words.insert(len(words) - 5, "Zbrosławice")
        text = " ".join(words) + "."
        import_records([record(1, text=text), record(2)], file_format="csv")
        assert len(db["testimony"].get(1)["text"]) == len(text) > 100_000
        assert [hit["reference"] for hit in searcher.search("zbroslawice")["results"]] == ["T-2021-0001"]


# --- 8.-9. duplicates and references ---------------------------------------------------------

class TestDuplicatesAndReferences:
    def test_importing_the_same_file_twice_imports_nothing_new(self, data_dir, db, searcher, run, tmp_path):
        path = write_as(tmp_path, "csv-excel-bom-crlf", THREE)
        import_path(data_dir, path)
        before, stored = counts(db), snapshot(db)
        again = import_path(data_dir, path)
        assert (again.rows, again.imported, again.references) == (3, [], [])
        assert again.duplicates == [(1, "T-2021-0001"), (2, "T-2021-0002"), (3, "T-2021-0003")]
        assert snapshot(db) == stored and counts(db) == {**before, "import_batch": 2}
        assert db["import_batch"].get(2)["imported"] == 0 and db["import_batch"].get(2)["duplicates"] == 3
        result = run("import", path)
        assert result.exit_code == 0 and "Nothing new was imported." in result.stdout
        assert "row 3: same text as T-2021-0003" in result.stdout
        assert searcher.search("")["total"] == 3

    @pytest.mark.parametrize("second", [
        factories.BASE_TEXT, unicodedata.normalize("NFD", factories.BASE_TEXT),
        factories.BASE_TEXT.replace(". ", ".\r\n")], ids=["identical", "nfd", "crlf"])
    def test_the_same_text_twice_in_one_file_imports_once(self, import_records, db, second):
        first = factories.BASE_TEXT.replace(". ", ".\n") if "\r\n" in second else factories.BASE_TEXT
        report = import_records([record(1, text=first), record(2, text=second), record(3)])
        assert report.references == ["T-2021-0001", "T-2021-0003"]
        assert report.duplicates == [(2, "T-2021-0001")]
        assert [t["reference"] for t in db["testimony"].rows] == ["T-2021-0001", "T-2021-0003"]

    def test_missing_references_continue_after_the_highest_of_their_year(self, import_records, db):
        import_records([record(1, reference="T-2021-0041"), record(2, reference="T-2020-0099",
                                                                   incident_date_from="2020-05")])
        report = import_records([
            record(3, reference=None), record(4, reference=None, incident_date_from="2020"),
            record(5, reference=None, incident_date_from="2019-12", incident_date_to="2021-01"),
            record(6, reference=None), record(7, reference=None, incident_date_from=None, interview_date="2022-03")])
        assert report.references == ["T-2021-0042", "T-2020-0100", "T-2019-0001", "T-2021-0043", "T-2022-0001"]

    @pytest.mark.parametrize("approximate", ["2021~", "2021-01-03~"])
    def test_an_approximate_date_gives_its_own_year(self, import_records, approximate):
        report = import_records([record(1, reference=None, incident_date_from=approximate)])
        assert report.references == ["T-2021-0001"]

    def test_an_explicit_reference_after_a_generated_one_is_not_refused(self, import_records):
        report = import_records([record(1, reference=None), record(2, reference="T-2021-0001")])
        assert sorted(report.references) == ["T-2021-0001", "T-2021-0002"]


# --- 10.-11. the command line ------------------------------------------------------------------

class TestTextThatIsNotText:
    """The probe's files, through `archive import`: a clear refusal, never a traceback."""

    def test_a_json_array_of_100000_nested_brackets(self, run, db, tmp_path):
        path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
        result = run("import", path)
        assert result.exit_code == 1 and db["testimony"].count == 0
        assert "  record 1: not valid JSON (nested more than 32 levels deep)" in result.stderr.splitlines()

    def test_a_json_lines_title_with_a_lone_surrogate(self, run, db, tmp_path):
        lines = [json.dumps(record(n)) for n in (1, 2)] + [json.dumps(record(3, title="Chased \ud800 at night"))]
        result = run("import", write(tmp_path, "rows.jsonl", "\n".join(lines) + "\n"))
        assert result.exit_code == 1 and db["testimony"].count == 0
        assert result.stderr.splitlines()[1].startswith(
            "  row 3, field title: contains a lone surrogate (U+D800) at position 8")

    def test_a_key_with_a_lone_surrogate_is_named_printably(self, run, db, tmp_path):
        result = run("import", write(tmp_path, "key.jsonl", '{"text": "A statement.", "x\\ud800": 1}\n'))
        assert result.exit_code == 1 and "  row 1, field x\\ud800: Unknown field." in result.stderr.splitlines()

    @pytest.mark.parametrize("number, message", [
        ("1" * 5000, "row 1: not valid JSON (a number has too many digits)"),
        ("1" + "0" * 400, "row 1, field witness_age: 100000… is not a plausible age"),
        ("1e999", "row 1, field witness_age: must be a whole number of years or a band such as \"25-34\""),
    ])
    def test_numbers_of_hundreds_of_digits(self, run, db, tmp_path, number, message):
        result = run("import", write(tmp_path, "age.jsonl", '{"text": "A statement.", "witness_age": %s}\n' % number))
        assert result.exit_code == 1 and f"  {message}" in result.stderr.splitlines()
        assert db["testimony"].count == 0

    def test_a_file_name_that_is_not_utf8_is_recorded_readably(self, run, db, tmp_path):
        import os

        with open(os.fsencode(tmp_path) + b"/interviews-\xff.jsonl", "wb") as handle:  # as Latin-1 'ÿ' would be
            handle.write(json.dumps(record(1)).encode() + b"\n")
        result = run("import", str(tmp_path) + "/interviews-\udcff.jsonl")
        assert result.exit_code == 0, result.output
        assert [row["filename"] for row in db["import_batch"].rows] == ["interviews-\ufffd.jsonl"]

    def test_an_actor_that_is_not_utf8_is_refused(self, run, db, tmp_path):
        result = run("import", factories.write(tmp_path / "one.json", [record(1)], "json"), "--actor", "marta\udcff")
        assert result.exit_code == 2 and "lone surrogate" in result.output and db["testimony"].count == 0

    def test_a_csv_age_of_5000_digits(self, run, db, tmp_path):
        result = run("import", write(tmp_path, "age.csv", "text,witness_age\r\nA statement.," + "9" * 5000 + "\r\n"))
        assert result.exit_code == 1 and "  row 1, field witness_age: 999999… is not a plausible age" in result.stderr


class TestCommandLine:
    def test_a_bad_file_exits_1_listing_every_problem_on_stderr(self, run, db, tmp_path):
        records = [record(1), record(2, witness_age=200, witness_gender="robot"), record(3, consent="maybe")]
        result = run("import", factories.write(tmp_path / "bad.csv", records, "csv"))
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            "Import of bad.csv refused; nothing was imported. Problems:",
            "  row 2, field witness_age: 200 is not a plausible age",
            "  row 2, field witness_gender: Must be one of: male, female, other, unknown.",
            "  row 3, field consent: Must be one of: internal, legal, publication, withdrawn."]
        assert result.stdout == "" and db["testimony"].count == 0

    def test_a_file_level_problem_exits_1_naming_the_line(self, run, db, tmp_path):
        path = write(tmp_path, "excel.csv", (GOOD_CSV + "T-2,Białowieża,beating\r\n").encode("cp1250"))
        result = run("import", path)
        assert result.exit_code == 1 and "nothing was imported" in result.stderr
        assert "  line 3: byte 0xB3 at column 8 is not UTF-8" in result.stderr
        assert db["testimony"].count == 0

    def test_a_good_import_reports_and_check_passes(self, run, tmp_path):
        result = run("import", write_as(tmp_path, "csv-utf8", [*THREE, record(4, location="Atlantis")]))
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            "Imported 4 of 4 record(s) from records.csv.", "  references: T-2021-0001 … T-2021-0004",
            "  row 4: place 'Atlantis' is not in the gazetteer; kept as written and flagged"]
        check = run("check")
        assert check.exit_code == 0 and "OK: database intact; index matches it." in check.stdout

    @pytest.mark.slow
    def test_2500_rows_import_in_one_go(self, run, db, searcher, tmp_path):
        rows = [record(n, reference=None, abuse_types=[["beating"], ["dog_attack", "theft"]][n % 2],
                       location=["Kuznitsa", "Hajnowka", "Bug"][n % 3]) for n in range(1, 2501)]
        result = run("import", factories.write(tmp_path / "big.csv", rows, "csv"))
        assert result.exit_code == 0, result.output
        assert "Imported 2500 of 2500 record(s)" in result.stdout
        assert (db["testimony"].count, db["code"].count, db["witness"].count) == (2500, 3750, 2500)
        assert [{k: b[k] for k in ("filename", "rows", "imported", "duplicates")} for b in db["import_batch"].rows] \
            == [{"filename": "big.csv", "rows": 2500, "imported": 2500, "duplicates": 0}]
        assert searcher.search("")["total"] == 2500
        assert run("check").exit_code == 0
