"""`archive import` of an organisation's incident table: rows name incidents by the organisation's id,
with their fields and legs (JSON: a list; CSV: `incident.<field>` and `leg<N>.<field>` columns), through
real files, the real import and the CLI. All or nothing, as the rest of the import."""
import csv
import io
import json
from pathlib import Path

import pytest

from archive import intake, service
from archive.store import audit as store_audit
from archive.store import incidents as store_incidents
from search_index.searcher import Searcher
from tests import factories
from tests.factories import record

KUZNICA = {"id": "BVMN-2021-11-08", "title": "Push-back at Kuźnica", "date": "2021-11-08", "place": "Kuznitsa",
           "group_size": "20-30", "minors": 4, "women": 6, "perpetrators": ["pl_border_guard", "by_military_special"],
           "legs": [{"from_side": "BY", "to_side": "PL", "place": "Kuźnica", "date": "2021-11-08",
                     "perpetrator": "by_military_special"},
                    {"from_side": "PL", "to_side": "BY", "place": "Kuźnica", "date": "2021-11-08",
                     "perpetrator": "pl_border_guard", "note": "at the fence, at night"}]}
INCIDENT_COLUMNS = ["incident.id", "incident.title", "incident.date", "incident.place", "incident.group_size",
                    "incident.minors", "incident.women", "incident.perpetrators"]
LEG_COLUMNS = [f"leg{n}.{f}" for n in (1, 2) for f in ("from_side", "to_side", "place", "date", "perpetrator", "note")]


def csv_file(path, rows):
    """Testimony records with incident columns, as a spreadsheet saves them: lists `;`-joined."""
    columns = [c for c in ("reference", "title", "text", "language", "consent", "confidentiality", "abuse_types",
                           "location", "incident_date_from")] + INCIDENT_COLUMNS + LEG_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([";".join(v) if isinstance(v, list) else str(v) for v in (row.get(c, "") for c in columns)])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def csv_row(n, incident=KUZNICA, legs=None, **overrides):
    row = {k: v for k, v in record(n).items() if not isinstance(v, int)}
    row.update({f"incident.{k}": v for k, v in incident.items() if k != "legs"})
    for number, leg in enumerate(incident.get("legs", []) if legs is None else legs, start=1):
        row.update({f"leg{number}.{k}": v for k, v in leg.items()})
    row.update(overrides)
    return row


def imported(data_dir, path):
    return service.import_file(data_dir, path, "tester")


def refused(data_dir, path):
    with pytest.raises(intake.ImportRejected) as caught:
        imported(data_dir, path)
    return caught.value.problems


def incident_tables(db):
    return {t: db[t].count for t in ("incident_record", "incident_leg", "incident_source", "incident_history")}


@pytest.mark.parametrize("file_format", ["json", "jsonl", "csv"])
def test_rows_naming_one_incident_record_it_once_with_its_legs_and_both_as_sources(data_dir, db, tmp_path,
                                                                                   file_format):
    path = tmp_path / f"table.{file_format}"
    if file_format == "csv":
        csv_file(path, [csv_row(1), csv_row(2, {"id": "BVMN-2021-11-08"}, legs=[])])
    else:
        factories.write(path, [record(1, incidents=[KUZNICA]), record(2, incidents=[{"id": "BVMN-2021-11-08"}])],
                        file_format)
    report = imported(data_dir, path)
    assert (report.incidents_recorded, report.incidents_linked) == (["BVMN-2021-11-08"], [])
    (incident,) = store_incidents.list_incidents(db)
    assert {k: incident[k] for k in ("title", "external_id", "place_id", "date_text", "people_min", "people_max",
                                     "minors", "women", "perpetrators", "sources")} == {
        "title": "Push-back at Kuźnica", "external_id": "BVMN-2021-11-08", "place_id": "kuznica",
        "date_text": "2021-11-08", "people_min": 20, "people_max": 30, "minors": 4, "women": 6,
        "perpetrators": ["by_military_special", "pl_border_guard"], "sources": 2}
    legs = store_incidents.legs_of(db, incident["id"])
    assert [(leg["position"], leg["from_side"], leg["to_side"], leg["perpetrator_id"], leg["note"])
            for leg in legs] == [
        (1, "BY", "PL", "by_military_special", None), (2, "PL", "BY", "pl_border_guard", "at the fence, at night")]
    history = store_incidents.history_of(db, incident["id"])
    assert [(h["entity"], h["action"]) for h in history] == [
        ("incident", "create"), ("leg", "create"), ("leg", "create"), ("source", "link"), ("source", "link")]
    assert {h["reason"] for h in history} == {f"import of {path.name} (batch 1)"}
    actions = [e["action"] for e in store_audit.chain(db)]
    assert actions == ["incident_created", "incident_leg_added", "incident_leg_added", "incident_linked",
                       "incident_linked", "import"]
    assert json.loads(list(store_audit.chain(db))[-1]["detail"])["incidents"] == 1


def test_an_id_already_in_the_archive_links_to_it_and_a_second_import_adds_nothing(data_dir, db, tmp_path, run):
    first = factories.write(tmp_path / "first.json", [record(1, incidents=[KUZNICA])], "json")
    assert run("import", first).exit_code == 0
    second = factories.write(tmp_path / "second.json", [
        record(2, incidents=[{"id": "BVMN-2021-11-08", "title": "Push-back at Kuźnica", "place": "Kuźnica"}])], "json")
    result = run("import", second)
    assert result.exit_code == 0, result.output
    assert ("Incidents: 1 already in the archive (BVMN-2021-11-08); 1 testimony linked as their sources."
            in result.output)
    (incident,) = store_incidents.list_incidents(db)
    assert incident["sources"] == 2 and len(store_incidents.legs_of(db, incident["id"])) == 2
    before = incident_tables(db)
    again = run("import", second)
    assert again.exit_code == 0 and "Nothing new was imported." in again.output
    assert incident_tables(db) == before


def test_a_testimony_already_in_the_archive_is_linked_to_the_incidents_its_row_names(data_dir, db, tmp_path, run,
                                                                                     codebook):
    """An organisation that imported its testimonies brings its incident table later, in the same rows."""
    assert run("import", factories.write(tmp_path / "t.json", [record(1), record(2)], "json")).exit_code == 0
    table = factories.write(tmp_path / "with-incidents.json",
                            [record(1, incidents=[KUZNICA]), record(2, incidents=[{"id": KUZNICA["id"]}])], "json")
    result = run("import", table)
    assert result.exit_code == 0, result.output
    assert "Incidents: 1 recorded (BVMN-2021-11-08); 2 testimonies linked as their sources." in result.output
    assert "Nothing new was imported." not in result.output
    assert db["testimony"].count == 2 and store_incidents.list_incidents(db)[0]["sources"] == 2
    searcher = Searcher(data_dir.index, codebook)  # the index followed the links: the incident facet
    try:
        found = searcher.search("", filters={"incident": ["linked"]})
    finally:
        searcher.close()
    assert sorted(hit["reference"] for hit in found["results"]) == ["T-2021-0001", "T-2021-0002"]
    assert run("check").exit_code == 0


def test_a_testimony_may_tell_of_several_incidents(data_dir, db, tmp_path):
    second = {"id": "BVMN-2021-11-09", "title": "Sent back again", "date": "2021-11-09", "group_size": 12}
    imported(data_dir, factories.write(tmp_path / "two.json", [record(1, incidents=[KUZNICA, second])], "json"))
    recorded = store_incidents.list_incidents(db)
    assert sorted(i["external_id"] for i in recorded) == ["BVMN-2021-11-08", "BVMN-2021-11-09"]
    assert [i["people_min"] for i in store_incidents.list_incidents(db) if i["title"] == "Sent back again"] == [12]


BAD = [
    ({"group_size": "30-20"}, "group_size", "the range 30-20 ends below its start"),
    ({"date": "2021-02-29"}, "date", "does not exist"),
    ({"place": "Atlantis"}, "place", "'Atlantis' is not in the gazetteer"),
    ({"perpetrators": ["martians"]}, "perpetrators", "unknown perpetrator id(s): martians"),
    ({"minors": 40}, "minors", "more minors (40) than people in the group (30)"),
    ({"id": ""}, "id", "name the incident by your organisation's id"),
    ({"title": ""}, "title", "incident BVMN-2021-11-08 is new: give its title"),
]


@pytest.mark.parametrize("change, field, reason", BAD, ids=[b[1] for b in BAD])
def test_a_bad_incident_field_is_named_by_row_and_column_and_nothing_is_written(data_dir, db, tmp_path, change,
                                                                                field, reason):
    path = csv_file(tmp_path / "bad.csv", [csv_row(1, {**KUZNICA, **change}), csv_row(2, {}, legs=[])])
    problems = refused(data_dir, path)
    assert [(row, name) for row, name, _ in problems] == [(1, f"incident.{field}")], problems
    assert reason in problems[0][2]
    assert db["testimony"].count == 0 and set(incident_tables(db).values()) == {0}


@pytest.mark.parametrize("leg, field, reason", [
    ({"from_side": "PL", "to_side": "PL"}, "to_side", "choose two different sides"),
    ({"from_side": "FR"}, "from_side", "'FR' is not a state side of the codebook"),
    ({"from_side": "BY", "perpetrator": "martians"}, "perpetrator", "unknown perpetrator id(s): martians"),
    ({"from_side": "BY", "date": "2021-13"}, "date", ""),
])
def test_a_bad_leg_is_named_by_its_number_in_csv_and_its_path_in_json(data_dir, db, tmp_path, leg, field, reason):
    legs = [KUZNICA["legs"][0], leg]
    problems = refused(data_dir, csv_file(tmp_path / "bad-leg.csv", [csv_row(1, legs=legs)]))
    assert [(row, name) for row, name, _ in problems] == [(1, f"leg2.{field}")] and reason in problems[0][2]
    problems = refused(data_dir, factories.write(tmp_path / "bad-leg.json", [
        record(1), record(2, incidents=[{**KUZNICA, "legs": legs}])], "json"))
    assert [(row, name) for row, name, _ in problems] == [(2, f"incidents[1].legs[2].{field}")]
    assert set(incident_tables(db).values()) == {0} and db["testimony"].count == 0


def test_rows_that_disagree_about_an_incident_are_refused_naming_the_later_row(data_dir, db, tmp_path):
    path = factories.write(tmp_path / "disagree.json", [
        record(1, incidents=[KUZNICA]),
        record(2, incidents=[{"id": KUZNICA["id"], "group_size": "80", "place": "Kuźnica"}]),
        record(3, incidents=[{"id": KUZNICA["id"], "legs": [{"from_side": "BY", "to_side": "PL"}]}])], "json")
    problems = refused(data_dir, path)
    assert problems == [
        (2, "incidents[1].group_size", "incident BVMN-2021-11-08: row 1 gives the group size '20–30'; give the same, "
                                       "or leave it empty here"),
        (3, "incidents[1].legs", "incident BVMN-2021-11-08: row 1 gives other legs (2 legs); give the same legs, "
                                 "or leave them empty here")]
    assert db["testimony"].count == 0


def test_a_value_that_differs_from_the_recorded_incident_is_refused_not_changed(data_dir, db, tmp_path, run):
    assert run("import", factories.write(tmp_path / "a.json", [record(1, incidents=[KUZNICA])], "json")).exit_code == 0
    incident_id = store_incidents.list_incidents(db)[0]["id"]
    before = incident_tables(db)
    path = csv_file(tmp_path / "b.csv", [csv_row(2, {"id": KUZNICA["id"], "title": "Another title"}, legs=[])])
    result = run("import", path)
    assert result.exit_code == 1
    assert (f"row 1, field incident.title: incident BVMN-2021-11-08: the archive records the title 'Push-back at "
            f"Kuźnica'; give the same, or leave it empty here (to change it, edit incident {incident_id} on its page)"
            in result.stderr)
    assert incident_tables(db) == before and db["testimony"].count == 1


def test_shapes_that_cannot_be_read_are_named(data_dir, tmp_path):
    path = factories.write(tmp_path / "shapes.jsonl", [
        record(1, incidents={"id": "x"}), record(2, incidents=["x"]),
        record(3, incidents=[{"id": "x", "title": "t", "groupsize": 3}]),
        record(4, incidents=[{"id": "y", "title": "t", "legs": {"from_side": "BY"}}])], "jsonl")
    problems = refused(data_dir, path)
    assert [(row, name) for row, name, _ in problems] == [
        (1, "incidents"), (2, "incidents[1]"), (3, "incidents[1]"), (4, "incidents[1].legs")]
    assert "unknown field(s): groupsize" in problems[2][2]


def test_an_unknown_incident_column_is_a_header_problem(data_dir, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("text,incident.id,incident.groupsize,leg1.side\r\nA statement.,X,3,BY\r\n", encoding="utf-8")
    problem, *others = refused(data_dir, path)
    assert [name for _, name, _ in others] == ["incident.title"]  # the row is checked on
    assert "column 3 ('incident.groupsize'), column 4 ('leg1.side')" in problem[2]


def test_the_example_incident_table_imports(run, db):
    example = Path(__file__).parents[2] / "examples" / "incident-table.csv"
    result = run("import", example)
    assert result.exit_code == 0, result.output + result.stderr
    assert "Incidents: 1 recorded (BWC-2021-017); 2 testimonies linked as their sources." in result.output
    (incident,) = store_incidents.list_incidents(db)
    assert (incident["people_min"], incident["minors"], incident["sources"]) == (80, 12, 2)
    assert [leg["place_id"] for leg in store_incidents.legs_of(db, incident["id"])] == ["kuznica", "kuznica", "bruzgi"]


def test_a_purged_testimonys_text_imported_again_is_linked_to_nothing(data_dir, db, tmp_path):
    import datetime as dt

    from archive import consent
    from archive.consent import purge

    imported(data_dir, factories.write(tmp_path / "a.json", [record(1), record(2)], "json"))
    withdrawal = {"consent": "withdrawn", "decided": dt.date(2022, 1, 1), "reason": "the witness asked"}
    consent.change(data_dir, db, "T-2021-0001", withdrawal, {"name": "reviewer", "role": "reviewer"})
    purge.purge(data_dir, db, "T-2021-0001", {"confirmation": "T-2021-0001", "reason": "asked"},
                {"name": "admin", "role": "admin"})
    report = imported(data_dir, factories.write(tmp_path / "b.json", [
        record(1, reference=None, incidents=[KUZNICA]), record(2, incidents=[{"id": KUZNICA["id"]}])], "json"))
    assert report.incidents_recorded == [KUZNICA["id"]]
    assert [reference for _, reference in report.duplicates] == ["T-2021-0001", "T-2021-0002"]  # the tombstone's hash
    (incident,) = store_incidents.list_incidents(db)
    assert [s["reference"] for s in store_incidents.sources_of(db, incident["id"])] == ["T-2021-0002"]
