"""The JSON API (/api/search, /api/testimonies/<reference>, /api/openapi.json) on real archives.

Two archives are built once for this module, through the real import and a real Whoosh index:
- `synthetic`: 200 generated statements (bench.generate), varied further so that every kind of facet
  value occurs; facet counts are checked against an SQL oracle for random filters (hypothesis);
- `curated`: a few dozen hand-written statements, each there to show one search behaviour.
Here: facet counts against SQL, hostile input, the OpenAPI document and the answers' shape, testimonies
and errors. What searches find, and the page itself, are in test_search_page.py, which reuses the builders,
statements and input strategies below.
"""
import random
import sqlite3
import time
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import create_app, service, store
from archive.store.db import write_transaction
from bench.generate import statements
from schemas import testimony as testimony_schemas
from schemas.search import SearchResultsSchema
from search_index.schema import FACETS
from tests import factories
from tests.conftest import logged_in_client
from tests.factories import record

# --- Archives ----------------------------------------------------------------------------------


def build_archive(root, records, statuses=None):
    """An archive at `root` holding `records` (imported as a file), coding statuses set afterwards."""
    data = factories.archive(root, records)
    if statuses:
        db = service.open_db(data)
        with write_transaction(db):
            for reference, status in statuses.items():
                store.update_testimony(db, reference, {"status": status}, "tester", "test data")
        db.close()
        service.reindex(data)
    return create_app({"TESTING": True, "DATA": str(root)})


def varied_statements(count=200, seed=11):
    """bench.generate's statements, varied: no witness, age bands (minor unknown), places not in the
    gazetteer or none, date ranges across years, approximate dates, no date, no language."""
    rng = random.Random(seed)
    for n, row in enumerate(statements(count, seed), 1):
        row["interview_date"] = "2025-06-01"
        if n % 9 == 0:
            for key in ("witness_pseudonym", "witness_gender", "witness_age", "witness_nationality"):
                del row[key]
        elif n % 7 == 0:
            row["witness_age"] = rng.choice(["10-25", "15-17", "30-40"])
        if n % 13 == 0:
            row["location"] = "A hamlet not in the gazetteer"
        elif n % 17 == 0:
            del row["location"]
        year = int(row["incident_date_from"][:4])
        if n % 5 == 0:
            row["incident_date_to"] = f"{year + 1}-02"
        elif n % 8 == 0 and len(row["incident_date_from"]) == 10:
            row["incident_date_from"] += "~"
        elif n % 19 == 0:
            del row["incident_date_from"]
            row.pop("incident_date_to", None)  # no date at all
        if n % 23 == 0:
            del row["language"]
        yield row


SYNTHETIC_STATUSES = {f"S-{n:06d}": status for n, status in
                      zip(range(3, 200, 10), ["in_progress", "coded", "reviewed"] * 7)}


def statement(reference, text, **fields):
    """A curated record with neutral codes unless given: factories.record's defaults (dogs, beatings,
    Kuźnica) would blur what each statement is here to show."""
    return record(0, **{"title": f"Statement {reference}", "abuse_types": ["theft"], "perpetrators": ["unknown"],
                        "location": None, "incident_date_from": "2022-03", "interview_date": "2023-01-10",
                        **fields, "reference": reference, "text": text})


XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']
DATED = {"witness_nationality": "ER"}  # the D- statements, and only they, have Eritrean witnesses
CURATED = [
    # Places by any spelling: K-1..K-4 are at Kuźnica, spelt differently or only coded there.
    statement("K-1", "We crossed the wire near Kuźnica at night.", location="Kuźnica", abuse_types=["pushback"]),
    statement("K-2", "Пограничники вывезли нас к Кузница ночью.", language="ru"),
    statement("K-3", "They left us in the forest by Kuznica village."),
    statement("K-4", "We were sent back through the forest.", location="Kuznitsa", abuse_types=["pushback"]),
    statement("K-0", "We waited for two days near Bruzgi.", location="Bruzgi"),
    # Pepper spray written in three languages, and coded without the words.
    statement("P-EN", "An officer used pepper spray on my face."),
    statement("P-PL", "Strażnicy potraktowali nas gazem pieprzowym przy płocie.", language="pl"),
    statement("P-RU", "Они применили перцовый газ против нас у забора.", language="ru"),
    statement("P-CODE", "Something burning went into our eyes and mouths.", abuse_types=["pepper_spray"]),
    # Family separation: by the code only, by the words only, by both.
    statement("F-CODE", "They put my son in another truck.", abuse_types=["family_separation"]),
    statement("F-WORDS", "We were separated from the children of our neighbours at the checkpoint."),
    statement("F-BOTH", "The soldiers separated me from my children at the fence.",
              abuse_types=["family_separation"]),
    # English inflections: irregular forms and the stemmer (no codebook term among these words).
    statement("H-1", "We hid in a barn for a day."),
    statement("H-2", "The smugglers had hidden the boat."),
    statement("H-3", "Hiding from the patrol, we lost our way."),
    statement("B-1", "He was beaten by the guards."),
    statement("B-2", "They beat him with sticks."),
    statement("B-3", "The beating lasted an hour."),
    # Incident dates of every precision, for the period filter and date sorting.
    statement("D-YEAR", "Dated only by the year.", incident_date_from="2021", **DATED),
    statement("D-SEP", "Dated in September.", incident_date_from="2021-09", **DATED),
    statement("D-OCT31", "Dated the last day of October.", incident_date_from="2021-10-31", **DATED),
    statement("D-NOV", "Dated a day in November.", incident_date_from="2021-11-08", **DATED),
    statement("D-RANGE", "Dated October to December.", incident_date_from="2021-10", incident_date_to="2021-12",
              **DATED),
    statement("D-APPROX", "Dated about the third of December.", incident_date_from="2021-12-03~", **DATED),
    statement("D-DEC", "Dated the first of December.", incident_date_from="2021-12-01", **DATED),
    statement("D-NONE", "Not dated at all.", incident_date_from=None, **DATED),
    # Untrusted text and a title made of markup.
    statement("X-1", f"The guards laughed {XSS[0]} at the fence. Someone drew {XSS[1]} on the wall. "
                     f"Then {XSS[2]} was shouted at the river.", title=" ".join(XSS)),
    # A witness who gave a name and a contact; a reference with slashes.
    statement("BWC/2021/007", "A statement whose witness gave a name and a contact at the camp.",
              witness_name="Fictional Secret Name", witness_contact="fictional.secret@example.org"),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic") / "archive-data"
    app = build_archive(root, list(varied_statements()), SYNTHETIC_STATUSES)
    oracle = Oracle(root / "archive.db")
    yield SimpleNamespace(client=logged_in_client(app), oracle=oracle, universe=oracle.universe())
    oracle.conn.close()


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    return logged_in_client(build_archive(tmp_path_factory.mktemp("curated") / "archive-data", CURATED))


def search(client, *pairs, **params):
    """GET /api/search; asserts 200 and that the answer has the documented shape."""
    response = client.get("/api/search", query_string=[*pairs, *params.items()])
    assert response.status_code == 200, response.get_json()
    found = response.get_json()
    assert SearchResultsSchema().validate(found) == {}
    return found


def references(found):
    return [hit["reference"] for hit in found["results"]]


# --- The SQL oracle: facet values read from the tables alone -----------------------------------

# For each facet, the (testimony id, value) pairs it holds. Within a facet values are ORed
# (`value IN (...)`), facets are ANDed.
FACET_PAIRS = {
    "abuse_type": """  -- a code's abuse type and every ancestor of it
        WITH RECURSIVE up(tid, value) AS (
            SELECT testimony_id, abuse_type FROM code WHERE abuse_type IS NOT NULL
            UNION SELECT up.tid, a.parent FROM up JOIN abuse_type a ON a.id = up.value WHERE a.parent IS NOT NULL)
        SELECT tid, value FROM up""",
    "perpetrator": """  -- the unit or actor coded, and its side
        SELECT c.testimony_id, p.id FROM code c JOIN code_perpetrator cp ON cp.code_id = c.id
            JOIN perpetrator p ON p.id = cp.perpetrator_id
        UNION SELECT c.testimony_id, p.side FROM code c JOIN code_perpetrator cp ON cp.code_id = c.id
            JOIN perpetrator p ON p.id = cp.perpetrator_id""",
    "place": "SELECT testimony_id, place_id FROM code WHERE place_id IS NOT NULL",
    "country": """  -- a border place such as 'PL/BY' is in each of its countries
        SELECT c.testimony_id, k.value FROM code c JOIN place p ON p.id = c.place_id
            JOIN json_each('["' || replace(p.country, '/', '","') || '"]') k""",
    "year": """  -- every year that a code's [date_from, date_to] touches
        WITH RECURSIVE years(y) AS (SELECT 1990 UNION SELECT y + 1 FROM years WHERE y < 2040)
        SELECT c.testimony_id, CAST(y AS TEXT) FROM code c JOIN years
            ON y BETWEEN CAST(substr(c.date_from, 1, 4) AS INTEGER) AND CAST(substr(c.date_to, 1, 4) AS INTEGER)""",
    "month": """  -- every month touched, only for dates that name months (the indexer's rule:
                  -- not a bare year, nor a span of more than 366 days)
        WITH RECURSIVE months(m) AS (SELECT '1990-01' UNION
            SELECT substr(date(m || '-01', '+1 month'), 1, 7) FROM months WHERE m < '2040-12')
        SELECT c.testimony_id, m FROM code c JOIN months
            ON m BETWEEN substr(c.date_from, 1, 7) AND substr(c.date_to, 1, 7)
        WHERE c.date_precision != 'year' AND julianday(c.date_to) - julianday(c.date_from) <= 366""",
    "legal": """SELECT c.testimony_id, l.legal_provision FROM code c
                JOIN abuse_type_legal l ON l.abuse_type = c.abuse_type""",
    "nationality": """SELECT t.id, coalesce(w.nationality, 'unknown')
                      FROM testimony t LEFT JOIN witness w ON w.id = t.witness_id""",
    "gender": """SELECT t.id, coalesce(w.gender, 'unknown')
                 FROM testimony t LEFT JOIN witness w ON w.id = t.witness_id""",
    "minor": """SELECT t.id, CASE w.minor WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE 'unknown' END
                FROM testimony t LEFT JOIN witness w ON w.id = t.witness_id""",
    # stated, else detected (archive/languages.py): a statement is counted in the language it is read in
    "language": "SELECT id, lower(coalesce(language, nullif(language_detected, 'und'), 'unknown')) FROM testimony",
    "confidentiality": "SELECT id, confidentiality FROM testimony",
    "consent": "SELECT id, consent FROM testimony",
    "status": "SELECT id, status FROM testimony",
    "incident": """SELECT id, CASE WHEN EXISTS (SELECT 1 FROM incident_source s WHERE s.testimony_id = testimony.id)
                   THEN 'linked' ELSE 'not_linked' END FROM testimony""",
}
# Values a filter may name beyond those in the data: every codebook id, and nonsense.
CODEBOOK_VALUES = {"abuse_type": "SELECT id FROM abuse_type", "perpetrator": "SELECT id FROM perpetrator",
                   "place": "SELECT id FROM place", "legal": "SELECT id FROM legal_provision"}


class Oracle:
    def __init__(self, path):
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for name, sql in FACET_PAIRS.items():  # the archive does not change: materialise each once
            self.conn.execute(f"CREATE TEMP TABLE facet_{name}(tid, value)")
            self.conn.execute(f"INSERT INTO facet_{name} {sql}")
            self.conn.execute(f"CREATE INDEX temp.facet_{name}_value ON facet_{name}(value, tid)")
        # The values of each facet that some testimony has.
        self.present = {name: {row[0] for row in self.conn.execute(f"SELECT DISTINCT value FROM facet_{name}")}
                        for name in FACETS}

    def _where(self, filters, period, skip=None):
        clauses, params = ["1"], []
        for name, values in filters.items():
            if name != skip:
                clauses.append(f"t.id IN (SELECT tid FROM facet_{name} WHERE value IN ({','.join('?' * len(values))}))")
                params += values
        if period:  # a code whose [date_from, date_to] overlaps [low, high]
            clauses.append("EXISTS (SELECT 1 FROM code c WHERE c.testimony_id = t.id "
                           "AND c.date_to >= ? AND c.date_from <= ?)")
            params += period
        return " AND ".join(clauses), params

    def total(self, filters, period=None):
        where, params = self._where(filters, period)
        return self.conn.execute(f"SELECT count(*) FROM testimony t WHERE {where}", params).fetchone()[0]

    def counts(self, name, filters, period=None):
        """{value: testimonies having it} among those matching every *other* facet's filters."""
        where, params = self._where(filters, period, skip=name)
        return dict(self.conn.execute(f"""SELECT v.value, count(DISTINCT v.tid) FROM facet_{name} v
                                          JOIN testimony t ON t.id = v.tid WHERE {where} GROUP BY v.value""", params))

    def universe(self):
        """Values a filter may name: those in the archive, every codebook id, and nonsense."""
        found = {}
        for name in FACETS:
            values = self.present[name] | {"unknown", "no-such-value"}
            if name in CODEBOOK_VALUES:
                values |= {row[0] for row in self.conn.execute(CODEBOOK_VALUES[name])}
            found[name] = sorted(values)
        return found


# Period bounds as a user types them, with the first and last day each may mean.
BOUNDS = {"2021": ("2021-01-01", "2021-12-31"), "2021-11": ("2021-11-01", "2021-11-30"),
          "2022-02": ("2022-02-01", "2022-02-28"), "2021-11-08": ("2021-11-08", "2021-11-08"),
          "2022": ("2022-01-01", "2022-12-31"), "2022-06-15": ("2022-06-15", "2022-06-15"),
          "2023-12": ("2023-12-01", "2023-12-31"), "2020-12-30": ("2020-12-30", "2020-12-30")}


@st.composite
def filter_sets(draw, universe):
    names = draw(st.sets(st.sampled_from(FACETS), max_size=3))
    return {name: draw(st.lists(st.sampled_from(universe[name]), min_size=1, max_size=3, unique=True))
            for name in sorted(names)}


@st.composite
def periods(draw):
    bound = st.none() | st.sampled_from(sorted(BOUNDS))
    date_from, date_to = draw(bound), draw(bound)
    if date_from and date_to and BOUNDS[date_to][1] < BOUNDS[date_from][0]:
        date_from, date_to = date_to, date_from
    return date_from, date_to


def check_against_oracle(client, oracle, filters, date_from=None, date_to=None):
    params = [(name, value) for name, values in filters.items() for value in values]
    params += [(key, value) for key, value in (("from", date_from), ("to", date_to)) if value]
    found = search(client, *params, per_page=1)
    period = None
    if date_from or date_to:
        period = [BOUNDS[date_from][0] if date_from else "0001-01-01", BOUNDS[date_to][1] if date_to else "9999-12-31"]
    assert found["total"] == oracle.total(filters, period)
    for name in FACETS:
        rows = found["facets"][name]
        got = {row["value"]: row["count"] for row in rows}
        assert len(got) == len(rows), f"{name}: a value listed twice"
        expected = oracle.counts(name, filters, period)
        # Every value with a count, plus the selected ones even at zero, even one no testimony has.
        chosen = list(dict.fromkeys(filters.get(name, [])))
        assert got == {**{v: c for v, c in expected.items() if c}, **{v: expected.get(v, 0) for v in chosen}}, name
        assert {row["value"] for row in rows if row["selected"]} == set(chosen), name


class TestFacetCountsEqualSqlite:
    @pytest.mark.parametrize("filters, date_from, date_to", [
        ({}, None, None),
        ({"abuse_type": ["physical_violence"]}, None, None),                 # a parent counts its children
        ({"country": ["BY"]}, None, None),                                   # includes places in PL/BY
        ({"perpetrator": ["PL", "by_border_guard"], "minor": ["yes", "unknown"]}, None, None),
        ({"year": ["2022"], "nationality": ["SY", "unknown"]}, "2021-11", "2022-02"),
        ({"status": ["coded", "new"], "language": ["unknown", "en"]}, None, "2021-11-08"),
        ({"month": ["2021-11"], "legal": ["echr_3"]}, "2021", None),
    ])
    def test_known_combinations(self, synthetic, filters, date_from, date_to):
        check_against_oracle(synthetic.client, synthetic.oracle, filters, date_from, date_to)

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_random_filters_and_periods(self, synthetic, data):
        filters = data.draw(filter_sets(synthetic.universe), label="filters")
        date_from, date_to = data.draw(periods(), label="period")
        check_against_oracle(synthetic.client, synthetic.oracle, filters, date_from, date_to)

    def test_a_selected_value_no_testimony_has_is_listed(self, curated):
        rows = search(curated, abuse_type="dog_attack")["facets"]["abuse_type"]
        assert {"value": "dog_attack", "count": 0, "selected": True} in [
            {k: row[k] for k in ("value", "count", "selected")} for row in rows]


# --- Hostile input: never a server error ------------------------------------------------------

UNICODE = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)  # surrogates cannot be sent
SPECIAL = ["\x00", "\u202e", "\u2066", "\u200f", "🐕", "👨‍👩‍👧", "كلاب", "Кузница", "ﷺ", "\ufeff", "\\", "%", "%00"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "'", "*", "?", "~", "~2", "^", "^3",
             ":", "[", "]", "{", "}", ">", "<", ">2", "+", "-", "*:*", "title:", "abuse_type:", "colour:",
             "year:[2021 TO", "dogs", "Kuznitsa", "pepper spray", "separated"]
PIECES = st.sampled_from(OPERATORS + SPECIAL) | st.text(max_size=4)
FRAGMENTS = st.lists(st.tuples(PIECES, st.sampled_from(["", " "])), max_size=40).map(
    lambda parts: "".join(piece + space for piece, space in parts))
# Long queries (up to 20,000 characters) of words of ordinary length; one huge word is slow,
# see test_one_huge_word_is_answered_quickly.
LONG = st.builds(lambda word, length: (((word.strip() or "x") + " ") * length)[:length],
                 st.sampled_from(OPERATORS + SPECIAL) | st.text(max_size=12), st.integers(900, 20_000))
QUERIES = UNICODE | FRAGMENTS | LONG
PARAMS = ["q", "from", "to", "sort", "page", "per_page", *FACETS, "colour", "", "Q", "page ", "q[]", "from[]"]
VALUES = (UNICODE | FRAGMENTS | st.integers(-10**30, 10**30).map(str)
          | st.sampled_from(["0", "1", "500", "501", "100", "101", "-1", "1e3", "9" * 40, " 5", "５", "NaN",
                             "2021", "2021-11", "2021-11-08", "2021-02-29", "2021-13", "1899", "1900-01-01~",
                             "9999", "9999-12-31", "2021~", "2021/2022", "relevance", "newest", "oldest",
                             "reference", "", " ", "null", "[]", "beating", "PL", "PL/BY", "unknown", *SPECIAL]))
# No example database: nothing is written into the working tree.
HOSTILE = settings(deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_api_answers(response, sent):
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 422), body[:500]
    assert "Traceback" not in body and response.is_json
    payload = response.get_json()
    if response.status_code == 200:
        assert SearchResultsSchema().validate(payload) == {}
    else:
        assert payload["code"] == 422 and payload["status"] == "Unprocessable Entity"
        named = set(payload["errors"]["query"])
        assert named and named <= set(sent), f"errors name {named}, sent {set(sent)}"


class TestHostileInput:
    @settings(HOSTILE, max_examples=400)
    @given(query=QUERIES)
    def test_any_query(self, curated, query):
        assert_api_answers(curated.get("/api/search", query_string={"q": query}), {"q"})

    @settings(HOSTILE, max_examples=400)
    @given(params=st.lists(st.tuples(st.sampled_from(PARAMS) | UNICODE, VALUES), max_size=8))
    def test_any_parameters(self, curated, params):
        assert_api_answers(curated.get("/api/search", query_string=params), {name for name, _ in params})

    @settings(HOSTILE, max_examples=200)
    @given(raw=st.binary(max_size=120), name=st.sampled_from(["q", "from", "sort", "abuse_type", "page"]))
    def test_any_bytes_percent_encoded(self, curated, raw, name):
        encoded = "".join(f"%{byte:02X}" for byte in raw)  # not necessarily UTF-8
        response = curated.get(f"/api/search?{name}={encoded}")
        assert_api_answers(response, {name})

    @pytest.mark.parametrize("bound", ["9999~", "9999-12~", "9999-12-31~"])
    def test_a_period_at_the_end_of_the_calendar_is_a_422(self, curated, bound):
        assert_api_answers(curated.get("/api/search", query_string={"from": "2021", "to": bound}), {"from", "to"})

    def test_unknown_parameters_and_bad_values_are_named(self, curated):
        response = curated.get("/api/search?colour=red&page=0&from=2021-02-29&sort=best&abuse_type=")
        assert response.status_code == 422
        assert set(response.get_json()["errors"]["query"]) == {"colour", "page", "from", "sort", "abuse_type"}

    def test_one_huge_word_is_answered_quickly(self, synthetic):
        started = time.perf_counter()
        found = search(synthetic.client, q="x" * 10_000)
        assert found["total"] == 0 and time.perf_counter() - started < 1.0


# --- The OpenAPI document, the answers' shape, testimonies and errors --------------------------

JSON_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float), "boolean": bool}


def pointer(document, ref):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def all_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from [value] if key == "$ref" else all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def problems(document, schema, value, where="$"):
    """Where `value` breaks an OpenAPI 3.0 schema (the subset flask-smorest writes)."""
    if "$ref" in schema:
        return problems(document, pointer(document, schema["$ref"]), value, where)
    if "anyOf" in schema:  # a nullable Nested is anyOf [{type: object, nullable}, {$ref}]: read as null or the ref
        options = [{"enum": [None], "nullable": True} if option == {"type": "object", "nullable": True} else option
                   for option in schema["anyOf"]]
        tries = [problems(document, option, value, where) for option in options]
        return [] if [] in tries else tries[-1]
    if value is None:
        return [] if schema.get("nullable") or not schema.get("type") else [f"{where}: null"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    kind = schema.get("type")
    if kind and (not isinstance(value, JSON_TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))):
        return [f"{where}: {value!r} is not of type {kind}"]
    found = []
    if isinstance(value, dict):
        found += [f"{where}.{name}: missing" for name in schema.get("required", []) if name not in value]
        for name, item in value.items():
            sub = schema.get("properties", {}).get(name, schema.get("additionalProperties", {}))
            if sub is False:
                found.append(f"{where}.{name}: not in the schema")
            else:
                found += problems(document, sub, item, f"{where}.{name}")
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += problems(document, schema.get("items", {}), item, f"{where}[{i}]")
    return found


def answer_schema(document, path, status="200"):
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


@pytest.fixture(scope="module")
def document(curated):
    response = curated.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


class TestOpenAPI:
    def test_is_an_openapi_3_document_whose_references_resolve(self, document):
        try:
            from openapi_spec_validator import validate
        except ImportError:  # not installed in the project's venv: check the structure instead
            validate = None
        if validate:
            validate(document)
        assert document["openapi"] == "3.0.3" and {"title", "version"} <= set(document["info"])
        assert set(document["paths"]) == {"/api/search", "/api/testimonies/{reference}",
                                          "/api/testimonies/{reference}/consent",
                                          "/api/testimonies/{reference}/suggestions",
                                          "/api/incidents", "/api/incidents/{incident_id}",
                                          "/api/incidents/{incident_id}/legs", "/api/incidents/{incident_id}/sources",
                                          "/api/testimonies/{reference}/incidents",
                                          "/api/testimonies/{reference}/candidates",
                                          "/api/testimonies/{reference}/candidates/decisions",
                                          # the reads of tests/web/test_api_reads.py and test_api_case_files.py
                                          "/api/codebook", "/api/testimonies/{reference}/codes",
                                          "/api/testimonies/{reference}/history", "/api/case-files",
                                          "/api/case-files/{case_id}", "/api/statistics", "/api/agreement",
                                          # the writes (tests/web/test_api_writes.py)
                                          "/api/testimonies", "/api/imports",                                           "/api/testimonies/{reference}/codes/{code_id}",                                           "/api/case-files/{case_id}/testimonies",
                                          "/api/case-files/{case_id}/testimonies/{reference}", "/api/exports",
                                          "/api/exports/{job_id}", "/api/exports/{job_id}/file"}
        for ref in all_refs(document):
            assert ref.startswith("#/") and pointer(document, ref), ref

    def test_search_parameters_are_described(self, document):
        described = document["paths"]["/api/search"]["get"]["parameters"]
        assert {"$ref": "#/components/parameters/IF_NONE_MATCH"} in described  # a search can be polled
        parameters = {p["name"]: p for p in described if "name" in p}
        assert set(parameters) == {"q", "from", "to", "sort", "words", "page", "per_page", *FACETS}
        assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
        for name in FACETS:  # repeatable: ?perpetrator=PL&perpetrator=BY, or one value: ?perpetrator=PL
            assert parameters[name]["schema"]["type"] == "array" and parameters[name]["explode"] is True
            assert parameters[name]["style"] == "form" and "One value, or several" in parameters[name]["description"]
        assert "nullable" not in parameters["to"]["schema"] and "default" not in parameters["to"]["schema"]
        assert parameters["sort"]["schema"]["enum"] == ["relevance", "newest", "oldest", "reference"]
        assert parameters["words"]["schema"]["enum"] == ["some", "all"]
        assert (parameters["page"]["schema"]["minimum"], parameters["page"]["schema"]["maximum"]) == (1, 500)
        assert (parameters["per_page"]["schema"]["minimum"], parameters["per_page"]["schema"]["maximum"]) == (1, 100)

    def test_testimony_path_takes_the_reference(self, document):
        path = document["paths"]["/api/testimonies/{reference}"]
        parameters = path.get("parameters", []) + path["get"].get("parameters", [])
        assert [(p["name"], p["in"], p["required"]) for p in parameters if "name" in p] == [("reference", "path", True)]
        assert {"$ref": "#/components/parameters/IF_NONE_MATCH"} in parameters

    @pytest.mark.parametrize("query", ["", "q=Kuznitsa", "q=separated+from+children&sort=newest",
                                       "abuse_type=physical_violence&perpetrator=PL&from=2021&to=2022"])
    def test_search_answers_follow_the_document(self, curated, document, query):
        found = curated.get(f"/api/search?{query}").get_json()
        assert problems(document, answer_schema(document, "/api/search"), found) == []
        assert SearchResultsSchema().validate(found) == {}

    def test_testimony_answers_follow_the_document(self, curated, document):
        answer = curated.get("/api/testimonies/K-1").get_json()
        assert problems(document, answer_schema(document, "/api/testimonies/{reference}"), answer) == []


class TestTestimonies:
    def test_a_testimony_comes_with_its_codes_and_no_identity(self, curated):
        response = curated.get("/api/testimonies/BWC/2021/007")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        for secret in ("Fictional Secret Name", "fictional.secret@example.org", "witness_name", "witness_contact",
                       "witness_identity"):
            assert secret not in body
        testimony = response.get_json()
        assert testimony_schemas.TestimonySchema().validate(testimony) == {}
        assert testimony["reference"] == "BWC/2021/007" and testimony["text"].startswith("A statement whose")
        assert testimony["witness"]["pseudonym"] == "Witness A-0" and "name" not in testimony["witness"]
        assert [(c["abuse_type"], [p["id"] for p in c["perpetrators"]]) for c in testimony["codes"]] == [
            ("theft", ["unknown"])]

    def test_search_never_shows_the_identity_either(self, curated):
        body = curated.get("/api/search?q=camp").get_data(as_text=True)
        assert "BWC/2021/007" in body and "Fictional Secret Name" not in body and "fictional.secret" not in body

    def test_codes_carry_place_date_and_legal_provisions(self, curated):
        code = curated.get("/api/testimonies/D-RANGE").get_json()["codes"][0]
        assert code["date"] == {"text": "2021-10/2021-12", "precision": "range", "from": "2021-10-01",
                                "to": "2021-12-31", "label": "October 2021 – December 2021"}
        assert code["legal"] and all(set(item) == {"id", "label"} for item in code["legal"])
        place = curated.get("/api/testimonies/K-4").get_json()["codes"][0]["place"]
        assert place == {"id": "kuznica", "label": "Kuźnica", "resolved": True}

    @pytest.mark.parametrize("reference", ["NOPE", "K-1/extra", "K-", "%00", "..%2F..%2Fetc%2Fpasswd", "k-1"])
    def test_an_unknown_reference_is_a_json_404(self, curated, reference):
        response = curated.get(f"/api/testimonies/{reference}")
        assert response.status_code == 404 and response.is_json
        error = response.get_json()
        assert {"code", "status", "message"} <= set(error) and error["code"] == 404 and error["status"] == "Not Found"
        assert "Traceback" not in response.get_data(as_text=True)

    @pytest.mark.parametrize("method, path, status", [
        ("post", "/api/search", 405), ("delete", "/api/testimonies/K-1", 405), ("get", "/api/nothing", 404),
        ("get", "/api/search?page=x", 422)])
    def test_errors_are_json_with_their_status(self, curated, method, path, status):
        response = getattr(curated, method)(path)
        assert response.status_code == status and response.is_json
        assert response.get_json()["code"] == status
