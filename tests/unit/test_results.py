"""Hits made readable: dates at their precision, facet trees, codes with labels."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.search import results


@pytest.mark.parametrize("text, precision, label", [
    ("2021-11-08", "day", "8 November 2021"),
    ("2021-11", "month", "November 2021"),
    ("2021", "year", "2021"),
    ("2021-11-16~", "approximate", "about 16 November 2021"),
    ("2021-11~", "approximate", "about November 2021"),
    ("2021-09/2021-11", "range", "September 2021 – November 2021"),
    ("2021-09-30/2022", "range", "30 September 2021 – 2022"),
    ("2021-05-24~/2022-02", "range", "about 24 May 2021 – February 2022"),  # an approximate end: was a 500
    ("2021-09/2021-11~", "range", "September 2021 – about November 2021"),
])
def test_dates_are_shown_at_their_precision(text, precision, label):
    assert results.date_label(text, precision) == label


def test_tree_puts_children_under_their_parent_in_count_order(codebook):
    rows = [{"value": v, "count": c} for v, c in [
        ("physical_violence", 5), ("expulsion", 4), ("dog_attack", 3), ("pushback", 4), ("beating", 4)]]
    tree = results.as_tree(sorted(rows, key=lambda r: -r["count"]),
                           lambda v: codebook.abuse_types[v]["parent"])
    assert [(r["value"], r["depth"]) for r in tree] == [
        ("physical_violence", 0), ("beating", 1), ("dog_attack", 1), ("expulsion", 0), ("pushback", 1)]


def plain_tree(rows, parent_of):
    """The tree read the plain way: for each top value, every row asked whether it is its child."""
    ordered = []
    for row in rows:
        if parent_of(row["value"]) is None:
            ordered.append({**row, "depth": 0})
            ordered.extend({**child, "depth": 1} for child in rows if parent_of(child["value"]) == row["value"])
    placed = {row["value"] for row in ordered}
    return ordered + [{**row, "depth": 1} for row in rows if row["value"] not in placed]


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from("abcdefgh"), st.integers(0, 9)), max_size=12),
       parents=st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from("abcdefghz"), max_size=8))
def test_the_tree_is_the_plain_reading_of_each_rows_parent(rows, parents):
    rows = [{"value": value, "count": count} for value, count in rows]  # values may repeat, parents be missing
    assert results.as_tree(rows, parents.get) == plain_tree(rows, parents.get)


def test_a_child_whose_parent_is_not_listed_is_kept(codebook):
    tree = results.as_tree([{"value": "beating", "count": 0}], lambda v: codebook.abuse_types[v]["parent"])
    assert tree == [{"value": "beating", "count": 0, "depth": 1}]


def test_a_code_is_described_with_labels_and_its_unresolved_place_flagged(codebook):
    code = {"id": 1, "abuse_type": "dog_attack", "perpetrators": ["by_military_special"], "place_id": None,
            "place_text": "a farm near the border", "date_text": "2021-11", "date_precision": "month",
            "date_from": "2021-11-01", "date_to": "2021-11-30", "passage_start": None}
    described = results.describe_code(code, codebook)
    assert described["label"] == "Dog attack or threat with dogs"
    assert described["perpetrators"] == [{"id": "by_military_special", "label": "Belarus: Soldiers / special forces"}]
    assert described["place"] == {"id": None, "label": "a farm near the border", "resolved": False}
    assert described["date"]["label"] == "November 2021"
    assert [p["id"] for p in described["legal"]] == ["echr_3", "cat_16", "euc_4"]
