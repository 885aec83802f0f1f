"""Incidents in the CSV and JSON exports, read back from the files `archive export` writes: each
testimony's incidents beside it, and the JSON export's counts of testimonies, incidents and people.
The incidents come in through the real import (an organisation's incident table)."""
import csv
import json

import pytest
from click.testing import CliRunner

from archive.cli import cli
from schemas.export import ExportDocumentSchema
from tests import factories
from tests.factories import record

KUZNICA = {"id": "BVMN-1", "title": "Push-back at Kuźnica", "date": "2021-11-08", "place": "Kuźnica",
           "group_size": "20-30", "perpetrators": ["pl_border_guard"],
           "legs": [{"from_side": "BY", "to_side": "PL", "place": "Kuźnica"}, {"from_side": "PL", "to_side": "BY"}]}
HIDDEN = {"id": "BVMN-2", "title": "Only told internally", "group_size": "200"}
BRUZGI = {"id": "BVMN-3", "title": "Bruzgi, the next night", "date": "2021-11-09", "group_size": "10-15"}
RECORDS = [
    record(1, incidents=[KUZNICA]),
    record(2, incidents=[{"id": "BVMN-1"}, BRUZGI]),
    record(3, consent="internal", incidents=[{"id": "BVMN-1"}, HIDDEN]),  # never leaves: nor its incident
    record(4),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return factories.archive(tmp_path_factory.mktemp("incident-export") / "archive-data", RECORDS, accounts=True)


def export(archive, tmp_path, file_format):
    path = tmp_path / f"export.{file_format}"
    result = CliRunner().invoke(cli, ["--data", str(archive.root), "export", "--format", file_format, "--out",
                                      str(path), "--as", "lawyer"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def test_json_gives_the_counts_of_testimonies_incidents_and_people_and_each_incident(archive, tmp_path):
    path = export(archive, tmp_path, "json")
    raw = path.read_bytes()
    document = json.loads(raw)
    assert ExportDocumentSchema().validate(document) == {}
    assert document["summary"]["total"] == {"testimonies": 3, "linked": 2, "incidents": 2, "people": "30–45",
                                            "people_low": 30, "people_high": 45, "unknown_size": 0}
    side = {row["value"]: (row["testimonies"], row["incidents"], row["people"]) for row in document["summary"]["side"]}
    assert side["PL"] == (0, 1, "20–30")  # the incident's own perpetrators; the testimonies' codes say BY
    months = {row["value"]: row["incidents"] for row in document["summary"]["month"]}
    assert months == {"2021-11": 2}
    incidents = {i["external_id"]: i for i in document["incidents"]}
    assert set(incidents) == {"BVMN-1", "BVMN-3"}
    assert (incidents["BVMN-1"]["sources"], incidents["BVMN-1"]["other_sources"]) == (["T-2021-0001", "T-2021-0002"], 1)
    assert [leg["route"] for leg in incidents["BVMN-1"]["legs"]] == ["Belarus → Poland", "Poland → Belarus"]
    assert incidents["BVMN-1"]["size"] == "20–30" and incidents["BVMN-3"]["sources"] == ["T-2021-0002"]
    by_reference = {r["reference"]: [i["external_id"] for i in r["incidents"]] for r in document["records"]}
    assert by_reference == {"T-2021-0001": ["BVMN-1"], "T-2021-0002": ["BVMN-1", "BVMN-3"], "T-2021-0004": []}
    for absent in ("T-2021-0003", "Only told internally", "BVMN-2"):  # left out, and counted only as 'other'
        assert absent.encode() not in raw


def test_csv_names_each_testimonys_incidents_beside_it(archive, tmp_path):
    path = export(archive, tmp_path, "csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = {row["reference"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"T-2021-0001", "T-2021-0002", "T-2021-0004"}
    numbers = {row["incidents"] for row in rows.values()} - {""}
    assert rows["T-2021-0002"]["incident_titles"] == "Push-back at Kuźnica; Bruzgi, the next night"
    assert rows["T-2021-0001"]["incident_titles"] == "Push-back at Kuźnica"
    assert rows["T-2021-0004"]["incidents"] == rows["T-2021-0004"]["incident_titles"] == ""
    first, *_ = rows["T-2021-0002"]["incidents"].split("; ")
    assert rows["T-2021-0001"]["incidents"] == first and len(numbers) == 2
    assert b"Only told internally" not in path.read_bytes()
