"""Summary tables (against SQL written independently), chart geometry and redaction rules."""
from collections import Counter

import pytest
from fontTools.ttLib import TTFont

from archive import service
from archive.export import charts, place_map, tables, text_metrics
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
    assert {(m["month"],): m["count"] for m in timeline} == months  # the months with incidents, no others
    assert [m["month"] for m in timeline] == sorted(m for (m,) in months)
    assert timeline[0]["label"] == "September 2021"
    grid = tables.month_grid(counted)
    assert {(m["month"],): m["count"] for row in grid for m in row["months"] if m["count"]} == months
    assert [row["year"] for row in grid] == [2021] and len(grid[0]["months"]) == 12
    places = oracle(archive_db, """
        SELECT c.place_id, count(DISTINCT c.testimony_id) FROM code c JOIN testimony t ON t.id = c.testimony_id
        WHERE t.reference IN ({marks}) AND c.place_id IS NOT NULL GROUP BY 1""", EXPORTED)
    listed = tables.places(counted, codebook)
    assert {(p["id"],): p["count"] for p in listed} == places
    assert listed[0]["lat"] == codebook.places[listed[0]["id"]]["lat"]
    assert all(p["country_name"] for p in listed)


def test_an_empty_selection_has_empty_tables(archive_db, codebook):
    counted = tables.count(archive_db, codebook, [])
    assert tables.by_month(counted) == [] and tables.places(counted, codebook) == []
    assert tables.month_grid(counted) == [] and tables.unlisted_places(counted) == []
    assert tables.side_by_type(counted, codebook) == {"sides": [], "rows": []}
    assert charts.timeline([]) is None and place_map.place_map([]) is None


def test_timeline_bars_are_proportional():
    months = [{"month": "2021-10", "label": "October 2021", "count": 2},
              {"month": "2021-12", "label": "December 2021", "count": 8}]
    chart = charts.timeline(months)
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights[2] == chart["baseline"] - charts.PADDING["top"] and heights[0] == pytest.approx(heights[2] / 4)
    assert heights[1] == 0 and chart["bars"][1]["month"] == "2021-11"  # a month between, without incidents
    assert all(bar["y"] + bar["height"] == pytest.approx(chart["baseline"]) for bar in chart["bars"])
    assert [b["x"] for b in chart["bars"]] == sorted(b["x"] for b in chart["bars"])


def test_map_places_points_inside_and_north_up(codebook):
    ids = ["kuznica", "bialowieza", "bruzgi"]
    places = [{"id": p, "label": p, "lat": codebook.places[p]["lat"], "lon": codebook.places[p]["lon"], "count": n}
              for p, n in zip(ids, (9, 1, 4))]
    shape = place_map.place_map(places)["wide"]
    drawn = {p["id"]: p for p in shape["points"]}
    assert all(0 < p["x"] < shape["width"] and 0 < p["y"] < shape["height"] for p in drawn.values())
    north = max(ids, key=lambda p: codebook.places[p]["lat"])
    assert drawn[north]["y"] == min(p["y"] for p in drawn.values())
    assert drawn["kuznica"]["r"] > drawn["bruzgi"]["r"] > drawn["bialowieza"]["r"]


def test_places_as_written_are_apart_from_the_gazetteer(codebook):
    counted = tables.Tables(places=Counter({"kuznica": 3, "bruzgi": 3}),
                            unresolved_places=Counter({"post 1187": 1, "a sheep farm": 2}))
    assert [(p["id"], p["country_name"]) for p in tables.places(counted, codebook)] == [
        ("bruzgi", "Belarus"), ("kuznica", "Poland")]
    assert tables.unlisted_places(counted) == [{"label": "a sheep farm", "count": 2}, {"label": "post 1187", "count": 1}]


def counted_months(months):
    """Tables with these {month: testimonies}, each testimony in one month."""
    years = Counter()
    for month, n in months.items():
        years[month[:4]] += n
    return tables.Tables(months=Counter(months), years=years)


def test_the_month_grid_keeps_only_years_with_incidents_and_folds_the_rest():
    months = {"2016-08": 2, "2016-11": 1, "2021-07": 4, "2021-11": 9, "2022-01": 1, "2024-10": 3}
    grid = tables.month_grid(counted_months(months))
    assert [row["gap"] or row["year"] for row in grid] == [2016, (2017, 2020), 2021, 2022, (2023, 2023), 2024]
    cells = {m["month"]: m["count"] for row in grid if "year" in row for m in row["months"]}
    assert {k: v for k, v in cells.items() if v} == months  # every count kept, in its month
    assert sum(cells.values()) == sum(months.values())
    assert [row["count"] for row in grid if "year" in row] == [3, 13, 1, 3]
    assert len(grid) == 6  # against 99 rows from August 2016 to October 2024
    assert grid[2]["months"][10] == {"month": "2021-11", "label": "November 2021", "count": 9}


def test_the_timeline_folds_long_empty_stretches_only():
    months = [{"month": m, "count": n} for m, n in
              (("2016-08", 2), ("2016-11", 1), ("2021-07", 4), ("2021-12", 9), ("2024-10", 3))]
    chart = charts.timeline(months, 960)
    assert [(f["first"], f["last"]) for f in chart["folds"]] == [
        ("December 2016", "June 2021"), ("January 2022", "September 2024")]
    shown = [bar["month"] for bar in chart["bars"]]
    assert shown[:4] == ["2016-08", "2016-09", "2016-10", "2016-11"]  # a short pause stays, at zero
    assert len(shown) == 4 + 6 + 1
    assert sum(bar["count"] for bar in chart["bars"]) == sum(m["count"] for m in months)
    assert chart["bars"][-1]["x"] + chart["bars"][-1]["width"] <= chart["right"]


def real_width(text, size=charts.AXIS_FONT):
    """The width of `text` in DejaVu Sans, the charts' font, read here from the font file itself."""
    font = TTFont(str(text_metrics.FONT))
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    return sum(metrics[cmap[ord(c)]][0] for c in text) / font["head"].unitsPerEm * size


SPANS = {"one month": ("2021-11", 1), "a quarter": ("2021-09", 3), "two years": ("2021-08", 27),
         "eight years": ("2016-08", 99), "thirty years": ("1994-01", 360)}


@pytest.mark.parametrize("screen, width", [(390, charts.WIDTHS["narrow"]), (1280, charts.WIDTHS["wide"])])
@pytest.mark.parametrize("span", list(SPANS))
def test_axis_labels_never_touch(screen, width, span):
    first, count = SPANS[span]
    year, month = int(first[:4]), int(first[5:])
    months = [{"month": f"{year + (month - 1 + i) // 12:04d}-{(month - 1 + i) % 12 + 1:02d}", "count": 1 + i % 3}
              for i in range(count)]
    chart = charts.timeline(months, width)
    labels = chart["labels"]
    assert labels and labels[0]["year"]  # the first label says which year
    extents = [(label["x"] - max(real_width(label["month"]), real_width(label["year"])) / 2,
                label["x"] + max(real_width(label["month"]), real_width(label["year"])) / 2) for label in labels]
    for (_, right), (left, _) in zip(extents, extents[1:]):
        assert left - right >= charts.LABEL_GAP - 0.01
    assert extents[0][0] >= 0 and extents[-1][1] <= width
    if count >= 12:
        assert len(labels) >= 2


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
