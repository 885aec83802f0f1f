"""The evaluation set of published statements (bench/data/eval/) holds together, and bench.eval runs."""
import json
import re

import pycountry
import pytest

from archive import service
from bench import eval as bench_eval
from bench import eval_set

EVAL = eval_set.load()
BOOK = service.load_codebook()
EXCERPT_IDS = {excerpt["id"] for excerpt in EVAL.excerpts}
MAX_QUOTE_CHARS = 1000  # a short quote: a few sentences, never a whole report
SLICE = ["en-01", "en-04", "pl-03", "pl-14", "ru-02", "ar-01", "lt-03", "uk-06"]


def test_the_set_is_large_and_multilingual_enough():
    languages = {excerpt["language"] for excerpt in EVAL.excerpts}
    assert len(EVAL.excerpts) >= 60
    assert len(languages) >= 4
    assert len(EVAL.queries) >= 25


def test_ids_are_unique():
    assert len(EXCERPT_IDS) == len(EVAL.excerpts)
    assert len({query["id"] for query in EVAL.queries}) == len(EVAL.queries)


@pytest.mark.parametrize("excerpt", EVAL.excerpts, ids=lambda e: e["id"])
def test_each_excerpt_is_a_short_quote_with_its_source(excerpt):
    source = excerpt["source"]
    assert pycountry.languages.get(alpha_2=excerpt["language"]) is not None
    assert excerpt["id"].startswith(excerpt["language"] + "-")
    assert 0 < len(excerpt["text"].strip()) <= MAX_QUOTE_CHARS
    assert re.match(r"https?://\S+$", source["url"])
    assert source["title"].strip() and source["organisation"].strip()
    assert source["kind"] in ("ngo", "court", "news")
    assert source["date"] is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", source["date"])


@pytest.mark.parametrize("excerpt", EVAL.excerpts, ids=lambda e: e["id"])
def test_every_code_is_in_the_codebook_or_marked_as_written(excerpt):
    codes = excerpt["codes"]
    unknown = [a["id"] for a in codes["abuse_types"] if a["id"] not in BOOK.abuse_types]
    unknown += [p["id"] for p in codes["perpetrators"] if p["id"] not in BOOK.perpetrators]
    unknown += [p.get("id") for p in codes["places"]
                if p.get("id") not in BOOK.places and not p.get("as_written", "").strip()]
    unknown += [t["not"] for t in excerpt["traps"] if t["not"] not in BOOK.abuse_types | BOOK.perpetrators.keys()]
    assert unknown == []
    assert all(code["words"].strip() for kind in codes.values() for code in kind)
    assert {t["kind"] for t in excerpt["traps"]} <= {"negation", "hearsay", "naming"}


@pytest.mark.parametrize("query", EVAL.queries, ids=lambda q: q["id"])
def test_every_query_expects_excerpts_that_exist(query):
    assert query["text"].strip() and query["tests"].strip()
    assert pycountry.languages.get(alpha_2=query["language"]) is not None
    assert query["expected"] and set(query["expected"]) <= EXCERPT_IDS


def test_queries_cover_every_language_of_the_set_but_one_at_most():
    assert len({e["language"] for e in EVAL.excerpts} - {q["language"] for q in EVAL.queries}) <= 1


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    return bench_eval.evaluate(EVAL.subset(SLICE), workdir=tmp_path_factory.mktemp("eval"))


def _ratios(value):
    """Every ratio in a nested figures structure (counts and lists of ids left out)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("precision", "recall", "recall_same", "recall_other", "precision_at_5", "r_precision"):
                yield inner
            elif key not in ("results", "misleading", "missed"):
                yield from _ratios(inner)


def test_bench_eval_runs_on_a_slice_and_its_figures_are_ratios(figures):
    ratios = list(_ratios({"search": figures["search"], "suggestions": figures["suggestions"]}))
    assert len(ratios) > 20
    assert all(r is None or 0 <= r <= 1 for r in ratios)
    assert figures["search"]["overall"]["r_precision"] is not None
    assert set(figures["search"]["queries"]) == {q["id"] for q in EVAL.subset(SLICE).queries}
    assert all(0 <= measured <= 1 for _, measured, _, _ in bench_eval.target_rows(figures) if measured is not None)


def test_each_query_is_searched_in_the_archive_built_from_the_text(figures):
    results = figures["search"]["results"]
    assert all(set(found) <= set(SLICE) for found in results.values())
    assert any(found for found in results.values())


def test_main_appends_a_dated_section(tmp_path):
    subset = EVAL.subset(SLICE[:3])
    excerpts, queries, output = tmp_path / "e.jsonl", tmp_path / "q.json", tmp_path / "eval.md"
    excerpts.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in subset.excerpts), encoding="utf-8")
    queries.write_text(json.dumps(subset.queries, ensure_ascii=False), encoding="utf-8")
    arguments = ["--excerpts", str(excerpts), "--queries", str(queries), "--output", str(output)]
    bench_eval.main(arguments)
    bench_eval.main(arguments)
    written = output.read_text(encoding="utf-8")
    assert written.startswith("# Evaluation set")
    assert written.count("### Against the targets") == 2
    assert "| search recall@20, same language |" in written
    assert "| figure | tuning | held-out | whole | target |" in written


def test_the_halves_split_excerpts_and_queries_by_odd_and_even_numbers():
    named = dict(eval_set.halves(EVAL))
    tuning, held_out = named[eval_set.TUNING], named[eval_set.HELD_OUT]
    assert named[eval_set.WHOLE] is EVAL
    assert {e["id"] for e in tuning.excerpts} | {e["id"] for e in held_out.excerpts} == EXCERPT_IDS
    assert not {e["id"] for e in tuning.excerpts} & {e["id"] for e in held_out.excerpts}
    assert all(eval_set.number(e["id"]) % 2 == 1 for e in tuning.excerpts)
    assert all(eval_set.number(q["id"]) % 2 == 0 for q in held_out.queries)
    # a half's query expects only that half's statements: a held-out statement is never looked at in tuning
    tuning_ids = {e["id"] for e in tuning.excerpts}
    assert all(set(q["expected"]) <= tuning_ids for q in tuning.queries)
    assert len(tuning.queries) >= 15 and len(held_out.queries) >= 15


def test_recall_at_20_is_the_standard_one_and_the_capped_one_is_beside_it():
    expected = [f"en-{n:02d}" for n in range(1, 31)]  # 30 relevant, all English
    query = {"id": "q", "language": "en", "expected": expected}
    found = expected[:20]  # a perfect first page
    figures = eval_set.query_figures(query, found, {e: "en" for e in expected})
    assert figures["recall_same"] == pytest.approx(20 / 30)  # standard: it cannot reach 1 with 30 relevant
    assert figures["recall"] == pytest.approx(20 / 30)
    assert figures["recall_capped"] == 1.0  # found / min(20, relevant)
    assert figures["r_precision"] == 1.0


def test_figures_are_given_for_each_half(figures):
    assert set(figures["halves"]) == {eval_set.TUNING, eval_set.HELD_OUT}
    for half in figures["halves"].values():
        assert all(0 <= measured <= 1 for _, measured, _, _ in bench_eval.target_rows(half) if measured is not None)
