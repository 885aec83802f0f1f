"""The evaluation set of published statements (bench/data/eval/) and how it is scored.

`load()` reads the excerpts and the lawyer's queries. `build_archive` imports the excerpts' text and
language only (no codes) into a fresh archive, the way `archive import` does, so that search is
measured on how well words find meaning. `score_search` runs each query through the archive's own
Searcher; `score_suggestions` compares `suggest` and `perpetrators_in` with the hand coding.
Every figure is a ratio in [0, 1], or None where nothing could be counted.
"""
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from archive import service
from archive.coding import suggestions
from archive.coding.suggestions import ABUSE_TYPE, PLACE
from archive.config import DataDir
from search_index.searcher import Searcher

DATA = Path(__file__).parent / "data" / "eval"
EXCERPTS, QUERIES = DATA / "excerpts.jsonl", DATA / "queries.json"
DEPTH = 20            # recall@20
TOP = 5               # precision@5
ACTOR = "bench.eval"
SIDES = "side"


@dataclass
class EvalSet:
    excerpts: list    # records of excerpts.jsonl
    queries: list     # records of queries.json

    def subset(self, excerpt_ids):
        """The excerpts with these ids, and the queries cut down to them (a query left expecting
        nothing is dropped)."""
        keep = set(excerpt_ids)
        queries = [{**q, "expected": [e for e in q["expected"] if e in keep]} for q in self.queries]
        return EvalSet([e for e in self.excerpts if e["id"] in keep], [q for q in queries if q["expected"]])


def number(record_id):
    """The number an excerpt or query id ends with: 'en-07' -> 7, 'q12' -> 12."""
    digits = "".join(c for c in record_id.rsplit("-", 1)[-1] if c.isdigit())
    return int(digits)


TUNING, HELD_OUT, WHOLE = "tuning", "held-out", "whole"


def halves(evalset):
    """[(name, EvalSet)]: the tuning half (odd-numbered excerpts and queries, the ones rules may be
    tried on), the held-out half (even-numbered, only measured) and the whole set. A half's queries
    expect only that half's excerpts (a query left expecting none of them is dropped)."""
    def half(odd):
        chosen = evalset.subset(e["id"] for e in evalset.excerpts if number(e["id"]) % 2 == odd)
        return EvalSet(chosen.excerpts, [q for q in chosen.queries if number(q["id"]) % 2 == odd])
    return [(TUNING, half(1)), (HELD_OUT, half(0)), (WHOLE, evalset)]


def load(excerpts=EXCERPTS, queries=QUERIES):
    with open(excerpts, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return EvalSet(records, json.loads(Path(queries).read_text(encoding="utf-8")))


# --- search ----------------------------------------------------------------------------------

def build_archive(excerpts, root):
    """A fresh archive in `root` holding each excerpt as a testimony: reference = excerpt id,
    text and language only. Returns its DataDir."""
    data = DataDir.at(root)
    service.init(data)
    source = Path(root) / "excerpts-text-only.jsonl"
    with open(source, "w", encoding="utf-8") as out:
        for excerpt in excerpts:
            row = {"reference": excerpt["id"], "text": excerpt["text"], "language": excerpt["language"]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    report = service.import_file(data, source, ACTOR)
    if len(report.imported) != len(excerpts):
        raise RuntimeError(f"imported {len(report.imported)} of {len(excerpts)} excerpts: {report}")
    return data


def run_queries(data, queries, book):
    """{query id: [references of the top DEPTH results, best first]}, through the real Searcher."""
    if not queries:
        return {}
    searcher = Searcher(data.index, book)
    try:
        return {q["id"]: [hit["reference"] for hit in searcher.search(query=q["text"], limit=DEPTH)["results"]]
                for q in queries}
    finally:
        searcher.close()


def query_figures(query, found, language_of):
    """One query's figures: recall@DEPTH among the expected statements in the query's language and
    in the others (None where it expects none there), as the standard defines it: found in the top
    DEPTH / relevant, so a query expecting more than DEPTH cannot reach 1; beside it the capped
    recall, found in the top DEPTH / min(DEPTH, relevant), which can. Precision@TOP (relevant among
    the top min(TOP, |expected|)) and R-precision (relevant among the top min(DEPTH, |expected|))."""
    expected = set(query["expected"])
    same = {e for e in expected if language_of[e] == query["language"]}
    other = expected - same
    top = set(found[:DEPTH])
    r_depth, p_depth = min(DEPTH, len(expected)), min(TOP, len(expected))
    return {
        "recall_same": len(top & same) / len(same) if same else None,
        "recall_other": len(top & other) / len(other) if other else None,
        "recall": len(top & expected) / len(expected),
        "recall_capped": len(top & expected) / r_depth,
        "recall_other_capped": len(top & other) / min(DEPTH, len(other)) if other else None,
        "precision_at_5": len(set(found[:p_depth]) & expected) / p_depth,
        "r_precision": len(set(found[:r_depth]) & expected) / r_depth,
        "missed": sorted(expected - top),
        "wrong": [ref for ref in found[:r_depth] if ref not in expected],
    }


def score_search(evalset, data, book):
    """{'queries': {id: figures}, 'by_language': {language: means}, 'overall': means}."""
    language_of = {e["id"]: e["language"] for e in evalset.excerpts}
    results = run_queries(data, evalset.queries, book)
    per_query = {q["id"]: query_figures(q, results[q["id"]], language_of) for q in evalset.queries}
    languages = sorted({q["language"] for q in evalset.queries})
    by_language = {lang: _means([per_query[q["id"]] for q in evalset.queries if q["language"] == lang])
                   for lang in languages}
    return {"queries": per_query, "results": results, "by_language": by_language,
            "overall": _means(list(per_query.values()))}


def _means(figures):
    keys = ("recall_same", "recall_other", "recall", "recall_capped", "recall_other_capped", "precision_at_5",
            "r_precision")
    means = {}
    for key in keys:
        values = [f[key] for f in figures if f[key] is not None]
        means[key] = sum(values) / len(values) if values else None
        means[f"{key}_n"] = len(values)
    return means


# --- suggestions ------------------------------------------------------------------------------

def coded(excerpt, book):
    """The hand coding as sets: abuse types, gazetteer places, perpetrator sides (and units)."""
    codes = excerpt["codes"]
    perpetrators = [p["id"] for p in codes["perpetrators"]]
    return {
        ABUSE_TYPE: {a["id"] for a in codes["abuse_types"]},
        PLACE: {p["id"] for p in codes["places"] if "id" in p},
        SIDES: {book.side_of(p) for p in perpetrators},
        "unit": {p for p in perpetrators if book.perpetrators[p]["kind"] == "unit"},
    }


def suggested(excerpt, book):
    """What the archive's suggesters offer for the excerpt's text, as the same sets."""
    found = suggestions.suggest(excerpt["text"], book, excerpt["language"])
    named = suggestions.perpetrators_in(excerpt["text"], book)
    return {
        ABUSE_TYPE: {s.value for s in found if s.kind == ABUSE_TYPE},
        PLACE: {s.value for s in found if s.kind == PLACE},
        SIDES: {book.side_of(p) for p in named},
        "unit": {p for p in named if book.perpetrators[p]["kind"] == "unit"},
    }


KINDS = (ABUSE_TYPE, PLACE, SIDES, "unit")


def score_suggestions(evalset, book):
    """{'by_language': {language: {kind: counts and ratios}}, 'overall': {...}, 'misleading': Counter,
    'missed': Counter}: true/false positives pooled over excerpts (micro-averaged)."""
    tallies = {}
    misleading, missed = Counter(), Counter()
    for excerpt in evalset.excerpts:
        truth, offered = coded(excerpt, book), suggested(excerpt, book)
        for language in (excerpt["language"], "all"):
            tally = tallies.setdefault(language, {kind: Counter() for kind in KINDS})
            for kind in KINDS:
                tally[kind]["tp"] += len(offered[kind] & truth[kind])
                tally[kind]["fp"] += len(offered[kind] - truth[kind])
                tally[kind]["fn"] += len(truth[kind] - offered[kind])
        for kind in KINDS:
            misleading.update((kind, value) for value in offered[kind] - truth[kind])
            missed.update((kind, value) for value in truth[kind] - offered[kind])
    figures = {language: {kind: _ratios(counts) for kind, counts in tally.items()}
               for language, tally in tallies.items()}
    overall = figures.pop("all", {kind: _ratios(Counter()) for kind in KINDS})
    return {"by_language": figures, "overall": overall, "misleading": misleading, "missed": missed}


def _ratios(counts):
    offered, relevant = counts["tp"] + counts["fp"], counts["tp"] + counts["fn"]
    return {"tp": counts["tp"], "fp": counts["fp"], "fn": counts["fn"],
            "precision": counts["tp"] / offered if offered else None,
            "recall": counts["tp"] / relevant if relevant else None}


def score_traps(evalset, book):
    """[(excerpt id, trap kind, the code it must not get, fallen for?)]: a trap is fallen for when
    the code it names is suggested for the excerpt, though the hand coding does not have it."""
    found = []
    for excerpt in evalset.excerpts:
        truth, offered = coded(excerpt, book), suggested(excerpt, book)
        for trap in excerpt["traps"]:
            kind = ABUSE_TYPE if trap["not"] in book.abuse_types else "unit"
            if trap["not"] not in truth[kind]:
                found.append((excerpt["id"], trap["kind"], trap["not"], trap["not"] in offered[kind]))
    return found
