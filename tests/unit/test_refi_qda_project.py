"""REFI-QDA projects out and back: a .qdpx export validates against the standard's Project.xsd, holds
exactly what the other exports may (role, consent, redactions, never an identity), is recorded like
them, and imports into a fresh archive as the same testimonies, codes, passages and coders, in Latin,
Cyrillic and Arabic with emoji and combining marks. Through the real CLI, on archives built by the
real import and coded through the coding path."""
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree

from archive import coding, service, store
from archive.cli import cli
from archive.custody.hashing import file_sha256
from schemas.code import CodeSchema
from tests import export_data, factories
from tests.export_data import EXPORTED, NAMES, NEVER, REDACTIONS

NS = {"q": "urn:QDA-XML:project:1.0"}
SCHEMA = etree.XMLSchema(etree.parse("tests/data/refi-qda/Project.xsd"))
TEXTS = {
    "en": "At night the guards chased us with dogs near Kuźnica 🐕. A dog bit my brother. Café owners saw it. "
          "They called him x\u0323\u0301avier.",  # marks no letter precomposes: 3 code points
    "ru": "Пограничники избили нас дубинками 😢 возле Кузницы. Потом нас вытолкнули в лес. Ёлка упала.",
    "ar": "ضَرَبَنا الجنودُ بالهراوات قرب كوزنيتسا 😢 وأخذوا هواتفنا. ثم أعادونا إلى الغابة.",
}
# (language, passage, abuse type, coder, note)
PASSAGES = [
    ("en", "chased us with dogs near Kuźnica 🐕", "dog_attack", "coder", "The dogs wore muzzles at first."),
    ("en", "A dog bit my brother.", "dog_attack", "coder2", None),
    ("en", "called him x\u0323\u0301avier", "beating", "coder", None),
    ("ru", "Пограничники избили нас дубинками 😢", "beating", "coder", "Дубинки: резиновые."),
    ("ru", "нас вытолкнули в лес", "pushback", "coder2", None),
    ("ar", "ضَرَبَنا الجنودُ بالهراوات", "beating", "coder", "ملاحظة 😢"),
    ("ar", "أعادونا إلى الغابة", "pushback", "coder", None),
]


def read(path):
    """(root, {source guid: its text}) of a .qdpx."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("project.qde"))
        texts = {name.split("/")[1][:-4]: package.read(name).decode("utf-8") for name in package.namelist()
                 if name.startswith("Sources/")}
    return root, texts


def exported(root, path, *args, account="reviewer"):
    return CliRunner().invoke(cli, ["--data", str(root), "export", "--format", "qdpx", *args, "--out", str(path),
                                    "--as", account], catch_exceptions=False)


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """An archive of three statements coded by two coders, through the coding path."""
    records = [factories.record(n, text=TEXTS[language], language=language, abuse_types=[], perpetrators=[],
                                location=None, incident_date_from=None, title=f"Statement in {language}")
               for n, language in enumerate(TEXTS, start=1)]
    data = factories.archive(tmp_path_factory.mktemp("coded") / "archive-data", records, accounts=True)
    book, db = service.load_codebook(), service.open_db(data)
    references = {language: f"T-2021-{n:04d}" for n, language in enumerate(TEXTS, start=1)}
    for language, passage, abuse_type, coder, note in PASSAGES:
        testimony = store.get_testimony_row(db, references[language])
        start = testimony["text"].index(passage)
        code = CodeSchema(book, testimony["text"]).load({
            "start": start, "end": start + len(passage), "selected_text": passage, "abuse_type": abuse_type,
            "perpetrators": ["pl_border_guard"], "place": "kuznica", "note": note,
            **({"date": "2021-09", "date_to": "2021-11", "victims": 12, "minors": 3} if coder == "coder2" else
               {"date": "2021-11-08~"})})
        coding.add_code(db, store.get_testimony_row(db, references[language]), code, {"name": coder})
    db.close()
    service.reindex(data)
    return data


def codes_of(db):
    return sorted((row["reference"], row["abuse_type"], row["passage_start"], row["passage_end"], row["passage_text"],
                   row["coder"], row["place_id"], row["date_text"], row["date_from"], row["date_to"], row["victims"],
                   row["minors"], row["note"]) for row in db.query(
        "SELECT t.reference, c.* FROM code c JOIN testimony t ON t.id = c.testimony_id "
        "WHERE c.passage_start IS NOT NULL"))


def test_the_project_validates_and_round_trips_into_a_fresh_archive(coded, tmp_path, run, db):
    path = tmp_path / "project.qdpx"
    result = exported(coded.root, path)
    assert result.exit_code == 0, result.output
    root, texts = read(path)
    assert SCHEMA.validate(root), SCHEMA.error_log
    for selection in root.iterfind(".//q:PlainTextSelection", NS):
        text = texts[selection.getparent().get("guid")]
        assert text[int(selection.get("startPosition")):int(selection.get("endPosition"))] == selection.get("name")
    assert {u.get("name") for u in root.iterfind("q:Users/q:User", NS)} == {"coder", "coder2", "reviewer"}

    result = run("import", path, "--actor", "importer")
    assert result.exit_code == 0, result.output
    assert "Imported 3 of 3" in result.output and f"{len(PASSAGES)} code(s) with their passages" in result.output
    source = service.open_db(coded)
    try:
        assert codes_of(db) == codes_of(source)
        for reference in ("T-2021-0001", "T-2021-0002", "T-2021-0003"):
            ours, theirs = store.get_testimony_row(db, reference), store.get_testimony_row(source, reference)
            assert ours["text"].encode() == theirs["text"].encode()  # byte-equal
            assert ours["sha256"] == theirs["sha256"]
            assert {k: ours[k] for k in ("title", "language", "consent", "confidentiality", "interview_date")} == \
                {k: theirs[k] for k in ("title", "language", "consent", "confidentiality", "interview_date")}
        perpetrators = {tuple(c["perpetrators"]) for codes in store.codes_of(db, [1, 2, 3]).values() for c in codes}
        assert perpetrators == {("pl_border_guard",)}
        # The same GUIDs: the next export from the new archive names each testimony as the first did.
        assert store.exchange.known_guids(db, "testimony") == store.exchange.known_guids(source, "testimony")
        assert len(store.exchange.known_guids(db, "code")) == len(PASSAGES)
    finally:
        source.close()
    second = run("import", path, "--actor", "importer")
    assert "3 record(s) already in the archive" in second.output and "Imported 0 of 3" in second.output


def test_a_qdpx_export_is_recorded_like_any_export(coded, tmp_path):
    path = tmp_path / "recorded.qdpx"
    result = exported(coded.root, path)
    db = service.open_db(coded)
    try:
        record = db.execute("SELECT format, records, sha256, actor FROM export_record "
                            "ORDER BY id DESC LIMIT 1").fetchone()
        assert record == ("qdpx", 3, file_sha256(path), "reviewer")
        assert f"SHA-256 {file_sha256(path)}" in result.output
        action = db.execute("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert action == "export"
        held = db.execute("SELECT count(*), sum(identified) FROM export_testimony WHERE export_id = "
                          "(SELECT max(id) FROM export_record)").fetchone()
        assert held == (3, 0)
    finally:
        db.close()


@pytest.fixture(scope="module")
def leaky(tmp_path_factory):
    return export_data.build(tmp_path_factory.mktemp("leaky") / "archive-data")


def test_only_what_may_leave_leaves_and_never_an_identity(leaky, tmp_path):
    path = tmp_path / "lawyer.qdpx"
    result = exported(leaky.root, path, account="lawyer")
    assert result.exit_code == 0, result.output
    root, texts = read(path)
    assert SCHEMA.validate(root), SCHEMA.error_log
    assert sorted(s.get("name") for s in root.iterfind(".//q:TextSource", NS)) == EXPORTED
    with zipfile.ZipFile(path) as package:
        everything = "".join(package.read(name).decode("utf-8") for name in package.namelist())
    for absent in NEVER + NAMES + [words for _, words in REDACTIONS]:
        assert absent not in everything
    for selection in root.iterfind(".//q:PlainTextSelection", NS):  # positions point into the redacted text
        text = texts[selection.getparent().get("guid")]
        assert text[int(selection.get("startPosition")):int(selection.get("endPosition"))] == selection.get("name")
    assert "Меня зовут [redacted]." in {s.get("name") for s in root.iterfind(".//q:PlainTextSelection", NS)}


@pytest.mark.parametrize("account, args, said", [
    ("coder", [], "may not export"),
    ("lawyer", ["--identify"], "never holds witnesses' identities"),
])
def test_a_qdpx_export_the_role_may_not_make_is_refused_and_no_file_is_left(leaky, tmp_path, account, args, said):
    path = tmp_path / "refused.qdpx"
    result = CliRunner().invoke(cli, ["--data", str(leaky.root), "export", "--format", "qdpx", *args,
                                      "--out", str(path), "--as", account])
    assert result.exit_code == 1 and said in result.output
    assert not path.exists()


def test_a_note_repeating_a_redacted_name_leaves_without_it(leaky, tmp_path):
    from archive.store.db import write_transaction

    db = service.open_db(leaky)
    try:
        with write_transaction(db):
            db.execute("UPDATE code SET note = 'Олег Петренко asked us to keep this.' "
                       "WHERE passage_text LIKE 'Меня зовут%'")
    finally:
        db.close()
    path = tmp_path / "notes.qdpx"
    assert exported(leaky.root, path, account="lawyer").exit_code == 0
    root, _ = read(path)
    notes = [n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS)]
    assert "[redacted] asked us to keep this." in notes
    assert not any("Олег" in note for note in notes)


def test_an_export_of_nothing_is_still_a_valid_project(leaky, tmp_path):
    path = tmp_path / "empty.qdpx"
    result = exported(leaky.root, path, "zzzunfindablezzz", account="lawyer")
    assert result.exit_code == 0, result.output
    root, texts = read(path)
    assert SCHEMA.validate(root), SCHEMA.error_log
    assert texts == {} and root.find("q:Sources", NS) is None
