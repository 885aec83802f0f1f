"""Importing .qdpx files as other programs write them (QualCoder's Sources/ and internal://, sources/,
relative://, text inside the XML, CRLF, a byte-order mark, attributes on a Case), and hostile or wrong
ones: each refused as a whole with a clear message naming the part, and nothing written."""
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import service, store
from archive.intake import ImportRejected
from tests.qdpx_files import Code, Selection, Source, guid, project_xml, write_project

BEATING, DOGS, PLACE, GUARD = Code("Beating"), Code("собака"), Code("Kuźnica"), Code("Straż Graniczna")
CODES = [Code("Violence", codable=False, children=[BEATING, DOGS]), PLACE, GUARD]
TEXT = ("\ufeffWe crossed at night.\r\nThe guards beat us near Kuźnica 😢, and a dog bit my brother.\r\n"
        "Then they pushed us back.")


def source(text=TEXT, name="Interview 1", **variables):
    return Source(name, text, [
        Selection("The guards beat us near Kuźnica 😢", [BEATING, PLACE, GUARD], note="At the fence.",
                  description="Date: 2021-11-08"),
        Selection("a dog bit my brother", [DOGS]),
    ], variables={"Consent": "legal", "Language": "en", **variables})


def counts(db):
    return tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("testimony", "code", "import_batch", "history", "audit_event", "exchange_guid"))


def imported(data_dir, path):
    return service.import_file(data_dir, path, "importer")


@pytest.mark.parametrize("shape", [
    {"folder": "Sources"},                                   # QualCoder
    {"folder": "sources"},
    {"folder": "Sources", "path_style": "relative"},
    {"embed": True},                                         # the text inside the project file
    {"folder": "Sources", "variables_on": "case"},           # attributes on a Case naming the source
])
def test_projects_shaped_as_programs_write_them_import_exactly(data_dir, db, tmp_path, shape):
    path = write_project(tmp_path / "p.qdpx", [source()], CODES, **shape)
    report = imported(data_dir, path)
    assert len(report.imported) == 1 and report.codes == 2
    testimony = store.get_testimony_row(db, report.references[0])
    assert testimony["text"] == TEXT.lstrip("\ufeff").replace("\r\n", "\n")
    assert (testimony["consent"], testimony["language"], testimony["title"]) == ("legal", "en", "Interview 1")
    codes = sorted(store.codes_of(db, [testimony["id"]])[testimony["id"]], key=lambda c: c["passage_start"])
    assert [(c["abuse_type"], c["passage_text"], c["coder"]) for c in codes] == [
        ("beating", "The guards beat us near Kuźnica 😢", "Maria QualCoder"),
        ("dog_attack", "a dog bit my brother", "Maria QualCoder")]
    for code in codes:
        assert testimony["text"][code["passage_start"]:code["passage_end"]] == code["passage_text"]
    assert (codes[0]["place_id"], codes[0]["perpetrators"], codes[0]["date_text"], codes[0]["note"]) == (
        "kuznica", ["pl_border_guard"], "2021-11-08", "At the fence.")


def test_a_source_already_in_the_archive_is_a_duplicate_and_its_selections_are_skipped(data_dir, db, tmp_path):
    imported(data_dir, write_project(tmp_path / "first.qdpx", [source()], CODES))
    before = counts(db)
    report = imported(data_dir, write_project(tmp_path / "again.qdpx", [source(name="Interview 1 (copy)")], CODES))
    assert report.imported == [] and [name for name, _ in report.duplicates] == ["Interview 1 (copy)"]
    assert counts(db)[:2] == before[:2]


def refused(data_dir, db, path, *said):
    before = counts(db)
    with pytest.raises(ImportRejected) as caught:
        imported(data_dir, path)
    message = "; ".join(problem[2] for problem in caught.value.problems)
    for words in said:
        assert words in message, message
    assert counts(db) == before  # nothing written: no testimony, code, batch, history, audit or GUID
    return message


def test_a_selection_whose_text_is_not_at_its_positions_refuses_the_file_naming_it(data_dir, db, tmp_path):
    wrong = Selection("beat us", [BEATING], name="kissed us")
    bad = Source("Interview 2", TEXT.replace("night", "dawn"), [wrong], {"Consent": "legal"})
    path = write_project(tmp_path / "p.qdpx", [source(), bad], CODES)
    refused(data_dir, db, path, f"source 'Interview 2', selection {wrong.guid}", "is not the selection's text")


def test_positions_past_the_end_refuse_the_file(data_dir, db, tmp_path):
    far = Selection("", [BEATING], name="", start=10, end=10_000)
    path = write_project(tmp_path / "p.qdpx", [Source("Interview 3", TEXT, [far])], CODES)
    refused(data_dir, db, path, f"selection {far.guid}", "outside the source's text")


def test_a_code_not_mapped_onto_the_codebook_refuses_the_file_until_an_admin_decides(data_dir, db, codebook, tmp_path):
    from archive.exchange import qdc
    from tests.qdpx_files import codebook_xml

    stress = Code("Stress")
    own = Source("Interview 4", "We waited in the cold for two days without food.",
                 [Selection("waited in the cold", [stress]), Selection("without food", [BEATING])],
                 {"Consent": "legal"})
    path = write_project(tmp_path / "p.qdpx", [own], [stress, BEATING])
    refused(data_dir, db, path, "code 'Stress'", "is not mapped onto the codebook")
    qdc.map_codebook(db, codebook, codebook_xml([stress]).encode(), "admin", decisions={stress.guid: "refuse"})
    report = imported(data_dir, path)  # refused: its selection left out, the rest imported
    assert report.codes == 1


def test_an_invalid_source_is_named_with_its_field(data_dir, db, tmp_path):
    path = write_project(tmp_path / "p.qdpx", [source(Consent="maybe")], CODES)
    refused(data_dir, db, path, "source 'Interview 1', consent")


@pytest.mark.parametrize("members, said", [
    ([("project.qde", b"")], "not well-formed"),
    ([("a.qde", b"<Project/>"), ("b.qde", b"<Project/>")], "holds one project file"),
    ([("readme.txt", b"hello")], "holds one project file"),
])
def test_a_broken_package_is_refused(data_dir, db, tmp_path, members, said):
    path = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in members:
            package.writestr(name, data)
    refused(data_dir, db, path, said)


def test_a_file_that_is_not_a_zip_is_refused(data_dir, db, tmp_path):
    path = tmp_path / "fake.qdpx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    refused(data_dir, db, path, "not a REFI-QDA project")


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                            for i in range(1, 10))
                  + '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
                  + '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;&ext;"/>')


@pytest.mark.parametrize("hostile, said", [
    ({"xml": BILLION_LAUGHS}, "declares a DTD or entities"),
    ({"xml": project_xml([Source("x", "text")], [], embed=True).replace("name=\"x\"", f"name=\"{'A' * 200_000}\"")},
     "is 200,000 characters long"),
    ({"extra": [("../../etc/cron.d/evil", b"* * * * * root rm -rf /")]}, "names a file outside itself"),
    ({"extra": [("/absolute/path.txt", b"x")]}, "names a file outside itself"),
    ({"extra": [("C:\\Windows\\evil.txt", b"x")]}, "names a file outside itself"),
])
def test_hostile_projects_are_refused_with_a_clear_message_and_nothing_written(data_dir, db, tmp_path, hostile, said):
    path = write_project(tmp_path / "hostile.qdpx", [source()], CODES, **hostile)
    refused(data_dir, db, path, said)


def test_a_huge_attribute_beyond_what_the_parser_takes_is_refused(data_dir, db, tmp_path):
    xml = project_xml([Source("x", "text")], [], embed=True).replace('name="x"', f'name="{"A" * 12_000_000}"')
    refused(data_dir, db, write_project(tmp_path / "huge.qdpx", [], [], xml=xml), "project.qde")


@pytest.mark.parametrize("megabytes, said", [(100, "bytes unpacked; the limit is"), (8, "times its size")])
def test_a_zip_bomb_is_refused_without_being_unpacked(data_dir, db, tmp_path, megabytes, said):
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("project.qde", project_xml([source()], CODES))
        with package.open("Sources/bomb.txt", "w") as member:  # zeros, compressed a thousand times
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(block)
    assert path.stat().st_size < 1 << 20
    assert "bomb.txt" in refused(data_dir, db, path, said)


def test_every_read_stops_at_the_limit_whatever_the_header_says(tmp_path, monkeypatch):
    from archive.exchange import ExchangeRefused, package

    monkeypatch.setattr(package, "MAX_MEMBER_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as written:
        written.writestr("project.qde", b"x" * 5000)
    data = bytearray(buffer.getvalue())
    path = tmp_path / "lying.qdpx"
    path.write_bytes(bytes(data))
    held = package.Package.__new__(package.Package)
    held.zip, held.read_bytes = zipfile.ZipFile(path), 0
    info = held.zip.infolist()[0]
    with pytest.raises(ExchangeRefused, match="more than its limit"):
        held.read(info)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(xml=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))),
       start=st.integers(-5, 200), end=st.integers(-5, 200), name=st.text(max_size=20))
def test_any_project_file_is_imported_whole_or_refused_with_nothing_written(db, codebook, tmp_path, xml, start, end,
                                                                           name):
    """Arbitrary bytes as the project file, and arbitrary positions and quotes in a valid one: an
    ImportRejected or a whole import, never another error."""
    from archive import intake

    before = counts(db)
    selection = Selection("", [BEATING], name=name or "", start=start, end=end)
    for number, content in enumerate([xml, project_xml([Source("x", TEXT, [selection])], CODES)]):
        path = write_project(tmp_path / f"fuzz-{number}.qdpx", [], [], xml=content)
        try:
            intake.import_file(db, path, codebook, "fuzzer")
        except ImportRejected:
            assert counts(db) == before
        else:
            before = counts(db)


def test_two_sources_claiming_one_reference_refuse_the_file(data_dir, db, tmp_path):
    one = Source("T-2021-0042", "The first statement, about dogs.", [], {"Consent": "legal"})
    two = Source("T-2021-0042", "Another statement, about batons.", [], {"Consent": "legal"})
    refused(data_dir, db, write_project(tmp_path / "p.qdpx", [one, two], CODES), "source 'T-2021-0042': T-2021-0042")


def test_every_variable_the_export_writes_is_read_back():
    from archive.exchange.qdpx_export import VARIABLES
    from archive.exchange.qdpx_import import FIELDS

    assert {name.lower() for name, _, _ in VARIABLES} - {"witness minor"} <= set(FIELDS)


def test_the_cli_says_why_a_project_was_refused(run, db, tmp_path):
    wrong = Selection("beat us", [BEATING], name="kissed us")
    path = write_project(tmp_path / "p.qdpx", [Source("Interview 5", TEXT, [wrong], {"Consent": "legal"})], CODES)
    before = counts(db)
    result = run("import", path, "--actor", "importer")
    assert result.exit_code == 1
    assert "Import of p.qdpx refused; nothing was imported." in result.output
    assert f"source 'Interview 5', selection {wrong.guid}: the text at positions" in result.output
    assert counts(db) == before


def test_sources_other_than_text_are_left_out_and_the_cli_says_how_many_in_english(run, db, tmp_path):
    scans = "".join(f'<PDFSource guid="{guid()}" name="scan {n}"/>' for n in (1, 2))
    interview = source()
    xml = project_xml([interview], CODES).replace("<Sources>", f"<Sources>{scans}")
    result = run("import", write_project(tmp_path / "p.qdpx", [interview], CODES, xml=xml), "--actor", "importer")
    assert result.exit_code == 0, result.output
    assert "2 sources other than text (PDF, picture, audio, video) left out" in result.output
    assert counts(db)[0] == 1
