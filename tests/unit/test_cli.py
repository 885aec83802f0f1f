"""The `archive` command as a researcher uses it."""
import json

import pytest

from schemas.search import SearchResultsSchema
from tests import factories
from tests.factories import record


@pytest.fixture
def imported(run, tmp_path):
    path = factories.write(tmp_path / "three.csv", [
        record(1, title="Dogs at the fence"),
        record(2, title="Pepper spray in the truck", text="They sprayed pepper spray into the truck.",
               abuse_types=["pepper_spray"], perpetrators=["pl_army"], location="Hajnowka"),
        record(3, title="River crossing", text="Soldiers forced us into the river at night.",
               abuse_types=["water_immersion", "coerced_crossing"], perpetrators=["BY"], location="Bug"),
    ], "csv")
    result = run("import", path)
    assert result.exit_code == 0, result.output
    return path


def test_import_reports_what_it_did(imported, run):
    result = run("import", imported)
    assert result.exit_code == 0
    assert "Nothing new was imported." in result.output
    assert "row 1: same text as T-2021-0001" in result.output


def test_search_json_contract(imported, run):
    result = run("search", "pepper", "--json")
    found = json.loads(result.output)
    assert set(found) == {"query", "reinterpreted", "total", "results", "facets", "understood", "suggestion",
                          "notices", "mode", "words", "total_all_words"}
    assert (found["mode"], found["words"]) == ("natural", 1)
    assert SearchResultsSchema().validate(found) == {}
    assert found["total"] == 1
    assert found["results"][0]["reference"] == "T-2021-0002"
    assert found["results"][0]["title"] == "Pepper spray in the truck"
    assert found["facets"]["perpetrator"] == [  # a tree: the side, then its units
        {"value": "PL", "label": "Poland", "count": 1, "selected": False, "depth": 0},
        {"value": "pl_army", "label": "Poland: Polish Armed Forces (soldiers)", "count": 1, "selected": False,
         "depth": 1}]


def test_search_without_query_lists_everything(imported, run):
    found = json.loads(run("search", "--json").output)
    assert [hit["reference"] for hit in found["results"]] == ["T-2021-0001", "T-2021-0002", "T-2021-0003"]


def test_filters_or_within_a_field_and_across_fields(imported, run):
    found = json.loads(run("search", "--filter", "perpetrator=PL", "--filter", "perpetrator=BY",
                           "--filter", "abuse_type=expulsion", "--json").output)
    assert [hit["reference"] for hit in found["results"]] == ["T-2021-0003"]


def test_plain_output_and_limit(imported, run):
    result = run("search", "--limit", "1")
    assert result.output.splitlines()[0] == "3 testimonies"
    assert len(result.output.splitlines()) == 2


@pytest.mark.parametrize("args, message", [
    (["--filter", "colour=red"], "unknown filter field"),
    (["--filter", "novalue"], "is not FIELD=VALUE"),
])
def test_bad_filters_are_usage_errors(imported, run, args, message):
    result = run("search", *args)
    assert result.exit_code == 2 and message in result.output


def test_a_malformed_query_still_answers(imported, run):
    result = run("search", "colour:red (river")
    assert result.exit_code == 0
    assert "searched for its words instead" in result.output
    assert "T-2021-0003" in result.output


def test_commands_on_a_missing_archive_say_so(run, tmp_path):
    for command in (["search"], ["check"], ["reindex"]):
        result = run(*command, data=tmp_path / "nowhere")
        assert result.exit_code == 1
        assert "archive init" in result.output


def test_init_is_idempotent(run, imported):
    assert run("init").exit_code == 0
    assert json.loads(run("search", "--json").output)["total"] == 3


def test_data_dir_from_the_environment(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from archive.cli import cli
    monkeypatch.setenv("ARCHIVE_DATA", str(tmp_path / "from-env"))
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0 and (tmp_path / "from-env" / "archive.db").exists()


class _Recorder:
    def __init__(self):
        self.total, self.steps = None, 0

    def start(self, total):
        self.total = total

    def advance(self):
        self.steps += 1


def test_import_and_reindex_report_progress(data_dir, tmp_path):
    from archive import service
    path = factories.write(tmp_path / "five.jsonl", [record(n) for n in range(1, 6)], "jsonl")
    checking, indexing, rebuilding = _Recorder(), _Recorder(), _Recorder()
    service.import_file(data_dir, path, "tester", checking, indexing)
    service.reindex(data_dir, rebuilding)
    assert [(r.total, r.steps) for r in (checking, indexing, rebuilding)] == [(5, 5)] * 3


def test_the_example_file_in_the_readme_imports(run):
    from pathlib import Path
    example = Path(__file__).parents[2] / "examples" / "interviews.csv"
    result = run("import", example)
    assert result.exit_code == 0, result.output
    assert "Imported 2 of 2 record(s)" in result.output
    found = json.loads(run("search", "Кузница", "--json").output)
    assert [hit["reference"] for hit in found["results"]] == ["EX-2021-001"]


def test_an_import_stands_when_the_index_cannot_follow_and_reindex_makes_it_findable(run, data_dir, tmp_path,
                                                                                    monkeypatch):
    """The testimonies are committed before they are indexed. If the index cannot take them (here another
    writer holds it past the wait), the import still stands, the admin is told to reindex, nothing is lost,
    and `archive reindex` makes them findable."""
    from search_index import indexer

    monkeypatch.setattr(indexer, "WRITER_TIMEOUT_S", 0.2)
    path = factories.write(tmp_path / "two.json", [record(1), record(2)], "json")
    busy = indexer.open_index(data_dir.index).writer()  # another process's import or reindex, as it were
    try:
        result = run("import", path)
    finally:
        busy.cancel()
    assert result.exit_code == 0, result.output
    assert "Imported 2 of 2" in result.stdout
    assert "run `archive reindex`" in result.stderr
    assert json.loads(run("search", "dogs", "--json").output)["total"] == 0
    assert run("check").exit_code != 0  # the index is behind SQLite, and `archive check` says so
    assert run("reindex").exit_code == 0
    assert json.loads(run("search", "dogs", "--json").output)["total"] == 2
