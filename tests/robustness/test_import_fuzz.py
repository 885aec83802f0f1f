"""Hypothesis-generated import files through the real import (service.import_file), hundreds of them.

Each file is either imported whole (every new testimony in SQLite and in the index) or refused with
nothing written, every problem naming its row and field (or, for a problem of the file itself, saying
what is wrong with it), and no problem quoting a witness's identifying fields. Nothing else may happen:
no other exception, no partial write.
"""
import itertools
import json
import random
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from archive import intake, service
from schemas.import_row import FIELDS
from tests import factories

SECRET_NAME, SECRET_CONTACT = "Nadia Qassemzadeh", "+48 600 123 987"
TABLES = ("testimony", "witness", "witness_identity", "code", "code_perpetrator", "history", "import_batch",
          "audit_event")
ROW_SHAPE = re.compile(r"^\d+ values for \d+ columns|^not valid JSON|^expected an object")
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
numbers = itertools.count(10_000)

TRICKY = st.sampled_from([
    "", " ", "2021-02-29", "2099-01-01", "2021-13", "2021-11~", "2021-11-16~", "2021/2022", "1899", "20211105",
    "beating", "beating;theft", "nonsense_id", "PL", "pl_border_guard", "Kuznitsa", "Кузница", "nowhere-ville",
    "javascript:alert(1)", "java\tscript:alert(1)", "https://example.org/a", "=HYPERLINK(\"x\")", "<b>bold</b>",
    "\u202eevil", "a\x00b", "17", "-3", "15-17", "40-30", "SY", "SYR", "XX", "publication", "public", "withdrawn",
    "T-2021-0001", "T 2021", "x" * 70, "male", "robot",
])
VALUES = (TRICKY | st.text(max_size=40) | st.integers(-10, 200) | st.none() | st.booleans()
          | st.lists(TRICKY | st.text(max_size=12), max_size=4) | st.floats(allow_nan=True))
MUTATION = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(FIELDS), VALUES),
    st.tuples(st.just("drop"), st.sampled_from(FIELDS), st.none()),
    st.tuples(st.just("unknown"), st.text(min_size=1, max_size=12), VALUES),
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return factories.archive(tmp_path_factory.mktemp("fuzz") / "archive-data")


def _counts(data_dir):
    db = service.open_db(data_dir)
    try:
        return {table: db[table].count for table in TABLES}
    finally:
        db.close()


def _records(size, mutations):
    base = next(numbers) * 10
    records = [factories.record(base + i, reference=f"F-{base + i}", witness_name=SECRET_NAME,
                                witness_contact=SECRET_CONTACT) for i in range(size)]
    for row, (kind, name, value) in mutations:
        target = records[row % size]
        if kind == "drop":
            target.pop(name, None)
        else:
            target[name] = value
    return records


def _import_and_judge(data_dir, path, rows):
    # Hypothesis seeds the global `random` alike for every example, and Whoosh names new segments with
    # it: reseed, or two examples' segments get the same name (Whoosh then fails an assertion).
    random.seed()
    before = _counts(data_dir)
    try:
        report = service.import_file(data_dir, path, "fuzzer")
    except intake.ImportRejected as rejected:
        assert _counts(data_dir) == before, "a refused import wrote something"
        assert rejected.problems
        for row, field, reason in rejected.problems:
            assert isinstance(reason, str) and reason.strip()
            if row is None:
                assert field is None  # a problem of the file itself (encoding, format, a bad line)
            else:  # a row's problem names its field, unless the row's shape is wrong (it has no fields then)
                assert 1 <= row <= max(rows, 1) and (field or ROW_SHAPE.search(reason)), (row, field, reason)
            assert SECRET_NAME not in reason and SECRET_CONTACT not in reason
        return "refused"
    after = _counts(data_dir)
    assert after["testimony"] - before["testimony"] == len(report.imported)
    assert after["import_batch"] == before["import_batch"] + 1
    problems, drift = service.check(data_dir)
    assert problems == [] and not drift, drift
    return "imported"


@settings(FUZZ, max_examples=300)
@given(size=st.integers(1, 4), mutations=st.lists(st.tuples(st.integers(0, 3), MUTATION), max_size=4),
       file_format=st.sampled_from(["json", "jsonl", "csv"]))
def test_generated_files_import_whole_or_not_at_all(archive, tmp_path_factory, size, mutations, file_format):
    records = _records(size, mutations)
    path = tmp_path_factory.mktemp("file") / f"import.{file_format}"
    try:
        factories.write(path, records, file_format)
    except (TypeError, ValueError):  # not writable in this format (e.g. NaN in strict JSON): nothing to test
        return
    event(_import_and_judge(archive, path, size))  # the outcomes' shares: --hypothesis-show-statistics


@settings(FUZZ, max_examples=200)
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       extension=st.sampled_from(["csv", "json", "jsonl"]))
def test_arbitrary_bytes_are_refused_or_imported_whole(archive, tmp_path_factory, content, extension):
    path = tmp_path_factory.mktemp("bytes") / f"import.{extension}"
    path.write_bytes(content)
    lines = content.count(b"\n") + content.count(b"\r") + 1  # reading text splits lines at \r too
    event(_import_and_judge(archive, path, rows=lines))


@settings(FUZZ, max_examples=100)
@given(header=st.lists(st.sampled_from([*FIELDS, "Text", "unknown", ""]), min_size=1, max_size=6),
       cells=st.lists(st.lists(TRICKY | st.text(max_size=10), max_size=7), min_size=1, max_size=4))
def test_generated_csv_tables_import_whole_or_not_at_all(archive, tmp_path_factory, header, cells):
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    stamp = next(numbers)
    writer.writerows([[f"{cell} {stamp}-{n}" if column == "text" else cell for column, cell in zip(header, row)]
                      for n, row in enumerate(cells)])
    path = tmp_path_factory.mktemp("table") / "import.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    event(_import_and_judge(archive, path, rows=len(cells) + 1))


def test_the_fuzzer_reaches_both_outcomes(archive, tmp_path):
    """The oracle above is not vacuous: a good file imports, a bad one is refused."""
    good = factories.write(tmp_path / "good.json", _records(2, []), "json")
    bad = factories.write(tmp_path / "bad.json", _records(2, [(1, ("set", "incident_date_from", "2021-02-29"))]),
                          "json")
    assert _import_and_judge(archive, good, 2) == "imported"
    assert _import_and_judge(archive, bad, 2) == "refused"
    json.loads(bad.read_text())  # it was a well-formed file: the refusal is the row's


# --- text that is not text, in every format: lone surrogates, deep nesting, numbers of hundreds of digits

PLACEHOLDER = "@@HOSTILE@@"
HOSTILE_JSON = {  # raw JSON text -> what it is
    '"\\ud800"': "surrogate", '"title \\udfff"': "surrogate", '["beating", "\\udc00"]': "surrogate in a list",
    "[" * 100_000 + "]" * 100_000: "deep", '{"a": ' * 40 + "1" + "}" * 40: "deep",
    "1" + "0" * 400: "number", "-1e999": "number", "1e999": "number", "1" * 5000: "number", "NaN": "number",
}
HOSTILE_CELLS = ["1" + "0" * 400, "1e999", "1" * 5000, "[" * 1000 + "]" * 1000, "Infinity"]


def _hostile_file(path, file_format, size, row, field, raw):
    """`size` records with `field` of record `row` (0-based) replaced by the raw JSON text `raw`."""
    records = _records(size, [])
    records[row][field] = PLACEHOLDER
    if file_format == "json":
        text = json.dumps(records, ensure_ascii=False)
    else:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    path.write_text(text.replace(json.dumps(PLACEHOLDER), raw), encoding="utf-8")


@settings(FUZZ, max_examples=150)
@given(file_format=st.sampled_from(["json", "jsonl"]), size=st.integers(1, 4), row=st.integers(0, 3),
       field=st.sampled_from(FIELDS), raw=st.sampled_from(sorted(HOSTILE_JSON)))
def test_hostile_json_values_are_refused_naming_the_row(archive, tmp_path_factory, file_format, size, row, field,
                                                         raw):
    row = row % size
    path = tmp_path_factory.mktemp("hostile") / f"import.{file_format}"
    _hostile_file(path, file_format, size, row, field, raw)
    before = _counts(archive)
    with pytest.raises(intake.ImportRejected) as refused:
        service.import_file(archive, path, "fuzzer")
    assert _counts(archive) == before
    problems = refused.value.problems
    for _, _, reason in problems:
        assert reason.encode("utf-8") and len(reason) < 1000  # printable, and never the value itself
    kind = HOSTILE_JSON[raw]
    if kind == "surrogate" or (kind == "surrogate in a list" and field in ("abuse_types", "perpetrators")):
        assert (row + 1, field) in [(r, f) for r, f, reason in problems if "lone surrogate" in reason], problems
    elif kind == "deep" and raw.startswith("["):  # 100,000 levels: the record itself is refused
        where = f"record {row + 1}:" if file_format == "json" else None
        assert any(reason.startswith(where) if where else r == row + 1 for r, _, reason in problems), problems
    else:  # a number where text is expected, an age of 400 digits, 40 levels of objects: the row or its field
        assert any(r == row + 1 or (r is None and f"record {row + 1}" in reason) for r, _, reason in problems)


@settings(FUZZ, max_examples=100)
@given(size=st.integers(1, 4), row=st.integers(0, 3), field=st.sampled_from(FIELDS),
       cell=st.sampled_from(HOSTILE_CELLS))
def test_hostile_csv_cells_import_whole_or_are_refused(archive, tmp_path_factory, size, row, field, cell):
    """In CSV every value is text: '1e999' may be a title. Whole or refused, never a traceback."""
    records = _records(size, [(row, ("set", field, cell))])
    path = factories.write(tmp_path_factory.mktemp("cells") / "import.csv", records, "csv")
    event(_import_and_judge(archive, path, size))


def test_a_lone_surrogate_cannot_be_written_in_a_csv_file(archive, tmp_path):
    """UTF-8 has no encoding for a lone surrogate: its bytes make the file not UTF-8."""
    path = tmp_path / "surrogate.csv"
    text = factories.csv_text(_records(2, [(1, ("set", "title", "a \ud800 b"))]))
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert _import_and_judge(archive, path, 2) == "refused"
