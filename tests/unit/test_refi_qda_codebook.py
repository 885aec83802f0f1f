"""The codebook as a REFI-QDA .qdc: valid against the standard's Codebook.xsd, nested with colours and
GUIDs that stay; and a foreign codebook mapped onto ours by name in any of our languages, the rest
listed for an admin to map or refuse, never a new abuse type. Through the real CLI where a person would."""
import pytest
from lxml import etree

from archive import store
from archive.custody import audit
from archive.exchange import ExchangeRefused, qdc
from tests.qdpx_files import Code, codebook_xml

NS = {"c": "urn:QDA-XML:codebook:1.0"}
SCHEMA = etree.XMLSchema(etree.parse("tests/data/refi-qda/Codebook.xsd"))


def test_the_codebook_validates_against_the_standard_and_nests_as_ours(db, codebook):
    root = etree.fromstring(qdc.export_codebook(db, codebook))
    assert SCHEMA.validate(root), SCHEMA.error_log
    top = root.findall("c:Codes/c:Code", NS)
    tops = [a["label"] for a in codebook.abuse_types.values() if a["parent"] is None]
    assert [c.get("name") for c in top][:len(tops)] == tops
    assert [c.get("name") for c in top][len(tops):] == ["Perpetrators", "Places"]
    beating = root.find(".//c:Code[@name='Beating']", NS)
    assert beating.getparent().get("name") == "Physical violence"
    assert beating.get("color") == beating.getparent().get("color") == "#B42318"
    assert "ru: избиение" in beating.find("c:Description", NS).text  # names in every language travel
    every = root.findall(".//c:Code", NS)
    assert len(every) == len(codebook.abuse_types) + len(codebook.perpetrators) + len(codebook.places) + 2
    assert len({c.get("guid") for c in every}) == len(every)


def test_guids_are_kept_between_exports(db, codebook):
    first = etree.fromstring(qdc.export_codebook(db, codebook))
    again = etree.fromstring(qdc.export_codebook(db, codebook))
    guid = lambda root: {c.get("name"): c.get("guid") for c in root.iter(f"{{{NS['c']}}}Code")}  # noqa: E731
    assert guid(first) == guid(again)
    assert store.exchange.known_guids(db, "abuse_type")["beating"] == guid(first)["Beating"]


def test_our_own_codebook_maps_onto_itself_by_guid(db, codebook):
    report = qdc.map_codebook(db, codebook, qdc.export_codebook(db, codebook), "admin")
    assert report.unmapped == [] and report.refused == []
    assert {match.how for _, match in report.matched} == {"guid"}


FOREIGN = [
    Code("Violence", codable=False, children=[Code("beating"), Code("Избиение"), Code("ضرب"), Code("Gaz pieprzowy")]),
    Code("Straż Graniczna"), Code("Kuźnica"), Code("Gewalt"), Code("Stress"),
]


def test_a_foreign_codebook_matches_by_name_in_any_language(db, codebook):
    report = qdc.map_codebook(db, codebook, codebook_xml(FOREIGN).encode(), "admin")
    matched = {code.name: (match.target_kind, match.target_id) for code, match in report.matched}
    assert matched == {"beating": ("abuse_type", "beating"), "Избиение": ("abuse_type", "beating"),
                       "ضرب": ("abuse_type", "beating"), "Gaz pieprzowy": ("abuse_type", "pepper_spray"),
                       "Straż Graniczna": ("perpetrator", "pl_border_guard"), "Kuźnica": ("place", "kuznica")}
    assert [code.path for code, _ in report.unmapped] == ["Gewalt", "Stress"]


def test_an_admin_maps_and_refuses_by_hand_and_imports_follow(db, codebook):
    abuse_types = db.execute("SELECT count(*) FROM abuse_type").fetchone()[0]
    gewalt, stress = FOREIGN[3].guid, FOREIGN[4].guid
    report = qdc.map_codebook(db, codebook, codebook_xml(FOREIGN).encode(), "admin",
                              decisions={gewalt: "abuse_type:physical_violence", stress: "refuse"})
    assert report.decided == 2 and report.unmapped == []
    assert [(c.name, m.how) for c, m in report.refused] == [("Stress", "refused")]
    assert ("Gewalt", "decided", "physical_violence") in [(c.name, m.how, m.target_id) for c, m in report.matched]
    assert db.execute("SELECT count(*) FROM abuse_type").fetchone()[0] == abuse_types  # nothing new
    assert db.execute("SELECT action, actor FROM audit_event ORDER BY id DESC LIMIT 1").fetchone() == (
        "codebook_mapped", "admin")
    assert audit.verify(db) == []


@pytest.mark.parametrize("choice", ["abuse_type:new_kind_of_abuse", "something", "perpetrator:nobody"])
def test_a_decision_naming_nothing_in_the_codebook_is_refused_and_nothing_saved(db, codebook, choice):
    with pytest.raises(ExchangeRefused, match="not in the codebook"):
        qdc.map_codebook(db, codebook, codebook_xml(FOREIGN).encode(), "admin", decisions={FOREIGN[3].guid: choice})
    assert db.execute("SELECT count(*) FROM exchange_code_map").fetchone()[0] == 0


@pytest.mark.parametrize("data, said", [
    (b"<CodeBook><Codes>", "not well-formed"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
     b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="&lol2;" isCodable="true"/>'
     b"</Codes></CodeBook>",
     "declares a DTD"),
    (b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', None),
    (b'<Something/>', "not a REFI-QDA codebook"),
])
def test_a_file_that_is_not_a_codebook_is_refused_clearly(codebook, data, said):
    if said is None:
        assert qdc.read_codebook(data) == []
        return
    with pytest.raises(ExchangeRefused, match=said):
        qdc.read_codebook(data)


def test_the_cli_writes_the_codebook_and_maps_a_foreign_one(run, tmp_path, db):
    out = tmp_path / "codebook.qdc"
    result = run("export-qdc", out)
    assert result.exit_code == 0, result.output
    assert SCHEMA.validate(etree.parse(str(out)))
    assert run("export-qdc", out).exit_code != 0  # never over a file

    foreign = tmp_path / "taguette.qdc"
    foreign.write_text(codebook_xml(FOREIGN), encoding="utf-8")
    result = run("import-qdc", foreign, "--actor", "admin")
    assert "6 code(s) map onto the codebook" in result.output
    assert "2 code(s) to map by hand" in result.output and "Gewalt" in result.output
    result = run("import-qdc", foreign, "--map", "Gewalt=abuse_type:physical_violence", "--refuse", "Stress",
                 "--actor", "admin")
    assert result.exit_code == 0, result.output
    assert "Saved 2 decision(s)." in result.output and "to map by hand" not in result.output
    result = run("import-qdc", foreign, "--map", "Gewalt=abuse_type:invented", "--actor", "admin")
    assert result.exit_code == 1 and "not in the codebook" in result.output


def test_a_codebook_as_other_programs_write_it_is_read(db, codebook):
    """GUIDs in braces and capitals (as .NET programs write them), isCodable as 1 or 0, a colour, Sets after
    the codes, and a Description: all as the standard allows."""
    data = ('<?xml version="1.0" encoding="utf-8"?>\r\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">'
            '<Codes><Code guid="{8E4C5F2A-1B2C-4D5E-8F90-A1B2C3D4E5F6}" name="Gewalt" isCodable="0" color="#FF0000">'
            '<Description>Violence of any kind</Description>'
            '<Code guid="{0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}" name="Schläge" isCodable="1"/>'
            '<Code guid="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e" name="Pepper spray" isCodable="true"/></Code></Codes>'
            '<Sets><Set guid="1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" name="Used">'
            '<MemberCode guid="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e"/></Set></Sets></CodeBook>').encode()
    assert SCHEMA.validate(etree.fromstring(data)), SCHEMA.error_log
    found = qdc.read_codebook(data)
    assert [(c.guid, c.path, c.codable) for c in found] == [
        ("8e4c5f2a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "Gewalt", False),
        ("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "Gewalt / Schläge", True),
        ("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e", "Gewalt / Pepper spray", True)]
    report = qdc.map_codebook(db, codebook, data, "admin",
                              decisions={"{0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}": "abuse_type:beating"})
    assert sorted((c.name, m.target_id, m.how) for c, m in report.matched) == [
        ("Pepper spray", "pepper_spray", "name"), ("Schläge", "beating", "decided")]
