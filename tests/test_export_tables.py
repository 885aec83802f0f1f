"""Summary tables (against SQL written independently), chart geometry and redaction rules."""
import pytest

from archive import service
from archive.export import charts, tables
from archive.export.redaction import REDACTED, Redactor, merged
from tests import export_data
from tests.export_data import EXPORTED


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory):
    data = export_data.build(tmp_path_factory.mktemp("tables") / "archive-data")
    db = service.open_db(data)
    yield db
    db.close()


def oracle(db, sql, references):
    marks = ",".join("?" * len(references))
    return {tuple(row[:-1]): row[-1] for row in db.execute(sql.format(marks=marks), references).fetchall()}


def test_side_by_type_counts_testimonies_per_code(archive_db, codebook):
    counted = tables.count(archive_db, codebook, EXPORTED)
    expected = oracle(archive_db, """
        SELECT c.abuse_type, p.side, count(DISTINCT c.testimony_id) FROM code c
        JOIN testimony t ON t.id = c.testimony_id JOIN code_perpetrator cp ON cp.code_id = c.id
        JOIN perpetrator p ON p.id = cp.perpetrator_id
        WHERE t.reference IN ({marks}) AND c.stage = 'coded' GROUP BY 1, 2""", EXPORTED)
    assert dict(counted.pairs) == expected
    table = tables.side_by_type(counted, codebook)
    cells = {(row["abuse_type"], cell["side"]): cell["count"] for row in table["rows"] for cell in row["cells"]}
    assert {k: v for k, v in cells.items() if v} == expected
    assert [side["count"] for side in table["sides"]] == sorted((s["count"] for s in table["sides"]), reverse=True)
    assert counted.testimonies == len(EXPORTED)


def test_months_and_places(archive_db, codebook):
    counted = tables.count(archive_db, codebook, EXPORTED)
    months = oracle(archive_db, """
        SELECT substr(c.date_from, 1, 7), count(DISTINCT c.testimony_id) FROM code c
        JOIN testimony t ON t.id = c.testimony_id WHERE t.reference IN ({marks}) AND c.stage = 'coded'
        AND substr(c.date_from, 1, 7) = substr(c.date_to, 1, 7) GROUP BY 1""", EXPORTED)
    timeline = tables.by_month(counted)
    assert {(m["month"],): m["count"] for m in timeline if m["count"]} == months
    assert [m["month"] for m in timeline] == ["2021-09", "2021-10", "2021-11"]  # contiguous, first to last
    assert timeline[0]["label"] == "September 2021"
    places = oracle(archive_db, """
        SELECT c.place_id, count(DISTINCT c.testimony_id) FROM code c JOIN testimony t ON t.id = c.testimony_id
        WHERE t.reference IN ({marks}) AND c.place_id IS NOT NULL GROUP BY 1""", EXPORTED)
    listed = tables.places(counted, codebook)
    assert {(p["id"],): p["count"] for p in listed} == places
    assert listed[0]["lat"] == codebook.places[listed[0]["id"]]["lat"]


def test_an_empty_selection_has_empty_tables(archive_db, codebook):
    counted = tables.count(archive_db, codebook, [])
    assert tables.by_month(counted) == [] and tables.places(counted, codebook) == []
    assert tables.side_by_type(counted, codebook) == {"sides": [], "rows": []}
    assert charts.timeline([]) is None and charts.place_map([]) is None


def test_timeline_bars_are_proportional():
    months = [{"month": "2021-10", "label": "October 2021", "count": 2},
              {"month": "2021-11", "label": "November 2021", "count": 8},
              {"month": "2021-12", "label": "December 2021", "count": 0}]
    chart = charts.timeline(months)
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights[1] == chart["baseline"] - charts.PADDING["top"] and heights[0] == pytest.approx(heights[1] / 4)
    assert heights[2] == 0
    assert all(bar["y"] + bar["height"] == pytest.approx(chart["baseline"]) for bar in chart["bars"])
    assert [b["x"] for b in chart["bars"]] == sorted(b["x"] for b in chart["bars"])


def test_map_places_points_inside_and_north_up(codebook):
    ids = ["kuznica", "bialowieza", "bruzgi"]
    places = [{"id": p, "label": p, "lat": codebook.places[p]["lat"], "lon": codebook.places[p]["lon"], "count": n}
              for p, n in zip(ids, (9, 1, 4))]
    drawn = {p["id"]: p for p in charts.place_map(places)["points"]}
    shape = charts.place_map(places)
    assert all(0 < p["x"] < shape["width"] and 0 < p["y"] < shape["height"] for p in drawn.values())
    north = max(ids, key=lambda p: codebook.places[p]["lat"])
    assert drawn[north]["y"] == min(p["y"] for p in drawn.values())
    assert drawn["kuznica"]["r"] > drawn["bruzgi"]["r"] > drawn["bialowieza"]["r"]


def test_redaction_spans_merge_and_cut():
    assert merged([(5, 8), (0, 3), (2, 4), (8, 9)]) == [(0, 4), (5, 9)]
    text = "My name is Anna Kowalska and Anna Kowalska was beaten at the fence."
    start = text.index("Anna Kowalska")
    redactor = Redactor(text, [(start, start + len("Anna Kowalska"))])
    assert redactor.statement() == f"My name is {REDACTED} and {REDACTED} was beaten at the fence."
    quote = text[start - 3:start + 6]  # "is Anna K": overlaps the redaction
    assert redactor.passage(start - 3, start + 6, quote) == f"is {REDACTED}"
    assert redactor.other("Statement of anna kowalska") == f"Statement of {REDACTED}"


def test_short_redactions_only_by_offset():
    text = "Ali said Ali is his cousin."
    redactor = Redactor(text, [(0, 3)])
    assert redactor.statement() == f"{REDACTED} said Ali is his cousin."  # 'Ali' elsewhere is kept
    assert Redactor(text, []).statement() == text and len(Redactor(text, [])) == 0
