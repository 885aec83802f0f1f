"""The incident as the intake states it: place, date and perpetrators given without an abuse type
belong to the testimony, never to a "Not yet coded" code; older archives are migrated."""
import datetime as dt

import pytest

from archive import service, store
from archive.export import csv as csv_export
from archive.export import records as export_records
from archive.store.db import write_transaction
from tests import factories
from tests.factories import record

STATED = dict(abuse_types=[], perpetrators=["BY", "pl_border_guard"], location="Kuznitsa",
              incident_date_from="2021-11", text="They took us back to the fence at night.")


@pytest.fixture
def imported(data_dir, tmp_path):
    def load(records):
        path = factories.write(tmp_path / f"records-{len(list(tmp_path.iterdir()))}.json", records, "json")
        return service.import_file(data_dir, path, "tester")
    return load


def test_a_place_and_date_without_an_abuse_type_make_no_code(imported, db):
    imported([record(1, **STATED)])
    testimony = store.get_testimony(db, "T-2021-0001")
    assert testimony["codes"] == []
    assert (testimony["incident_place_id"], testimony["incident_place_text"], testimony["incident_date_text"],
            testimony["incident_date_from"], testimony["incident_date_to"]) == (
        "kuznica", "Kuznitsa", "2021-11", "2021-11-01", "2021-11-30")
    assert testimony["incident_perpetrators"] == ["BY", "pl_border_guard"]


def test_with_abuse_types_each_becomes_a_code_and_the_testimony_keeps_the_incident(imported, db):
    imported([record(1, **{**STATED, "abuse_types": ["beating", "pushback"]})])
    testimony = store.get_testimony(db, "T-2021-0001")
    assert [(c["abuse_type"], c["place_id"], c["date_text"], c["perpetrators"]) for c in testimony["codes"]] == [
        ("beating", "kuznica", "2021-11", ["BY", "pl_border_guard"]),
        ("pushback", "kuznica", "2021-11", ["BY", "pl_border_guard"])]
    assert testimony["incident_place_id"] == "kuznica"


def test_the_stated_incident_is_searched_counted_and_shown(imported, data_dir, searcher, codebook):
    imported([record(1, **STATED, title="Sent back"),
              record(2, abuse_types=[], perpetrators=[], location=None, incident_date_from=None,
                     text="We walked for days.", title="Walking")])
    found = searcher.search("", filters={"place": ["kuznica"]})
    assert [hit["reference"] for hit in found["results"]] == ["T-2021-0001"]
    assert searcher.search("Kuźnica")["total"] == 1  # its place, in every spelling
    in_november = searcher.search("", date_from=dt.date(2021, 11, 15), date_to=dt.date(2021, 11, 20))
    assert [hit["reference"] for hit in in_november["results"]] == ["T-2021-0001"]
    counts = {row["value"]: row["count"] for row in searcher.search("")["facets"]["perpetrator"]}
    assert counts["BY"] == 1 and counts["PL"] == 1 and counts["pl_border_guard"] == 1
    assert {row["value"] for row in searcher.search("")["facets"]["abuse_type"]} == set()


def test_exports_show_no_pseudo_code_and_their_columns_line_up(imported, data_dir, db, codebook, tmp_path):
    imported([record(1, **STATED),
              record(2, **{**STATED, "abuse_types": ["beating", "dog_attack"], "text": "They beat us."})])
    user = {"id": 0, "name": "lawyer", "role": "lawyer"}
    records = list(export_records.iter_records(db, codebook, ["T-2021-0001", "T-2021-0002"], user))
    assert records[0]["codes"] == [] and records[0]["incident"]["place"]["label"] == "Kuźnica"
    assert [c["label"] for c in records[1]["codes"]] == ["Beating", "Dog attack or threat with dogs"]
    rows = [row for record_ in records for row in csv_export.testimony_rows(record_)]
    for row in rows:
        for ids, labels in (("abuse_types", "abuse_type_labels"), ("perpetrators", "perpetrator_labels"),
                            ("legal", "legal_labels")):
            assert len([i for i in row[ids].split("; ") if i]) == len([x for x in row[labels].split("; ") if x]), \
                (row["reference"], ids, row[ids], row[labels])
    assert rows[0]["abuse_types"] == "" and rows[0]["places"] == "Kuźnica"
    assert rows[0]["perpetrators"] == "BY; pl_border_guard"
    assert "Not yet coded" not in str(records)


def test_an_older_archive_is_migrated_with_its_history(data_dir, db):
    """An archive made before: the import stored its place and date as a code without abuse type."""
    with write_transaction(db):
        store.insert_testimony(
            db, {"reference": "T-OLD", "title": "Old", "text": "We were sent back at Kuźnica.", "language": "en",
                 "sha256": "0" * 64, "sha256_received": "0" * 64, "consent": "legal",
                 "confidentiality": "restricted"}, None, None,
            [{"abuse_type": None, "perpetrators": ["BY"], "place_id": "kuznica", "place_text": "Kuznica",
              "date_text": "2021-11", "date_from": "2021-11-01", "date_to": "2021-11-30",
              "date_precision": "month", "codebook_version": "1.0"},
             {"abuse_type": "pushback", "perpetrators": ["BY"], "place_id": "kuznica", "place_text": "Kuznica",
              "date_text": "2021-11", "date_from": "2021-11-01", "date_to": "2021-11-30",
              "date_precision": "month", "codebook_version": "1.0"}], "old-version", "import")
    service.init(data_dir)  # what `archive init` and `archive serve` run
    testimony = store.get_testimony(db, "T-OLD")
    assert [c["abuse_type"] for c in testimony["codes"]] == ["pushback"]
    assert (testimony["incident_place_id"], testimony["incident_date_text"]) == ("kuznica", "2021-11")
    assert testimony["incident_perpetrators"] == ["BY"]
    removed = [h for h in store.history_of(db, "T-OLD") if h["action"] == "delete"]
    assert len(removed) == 1 and removed[0]["old"]["abuse_type"] is None and "incident" in removed[0]["reason"]
    from search_index.indexer import drift
    assert not drift(data_dir.index, store.revisions(db))  # the index followed
    service.init(data_dir)  # again: nothing more to do
    assert len([h for h in store.history_of(db, "T-OLD") if h["action"] == "delete"]) == 1
