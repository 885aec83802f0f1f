"""Search and suggestion figures on the evaluation set of published statements: `python -m bench.eval`.

Builds a temporary archive from the excerpts' text and language only (bench/data/eval/, see its
README), runs each lawyer's query through the archive's Searcher as the CLI does, and runs
`suggest` and `perpetrators_in` on each excerpt. Prints the figures and appends them, dated, to
bench/results/eval.md, so each run is measured against the ones before it.
"""
import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive import service
from archive.coding.suggestions import ABUSE_TYPE, PLACE
from bench import eval_set

RESULTS = Path(__file__).parent / "results" / "eval.md"
COMMAND = "python -m bench.eval"
CODE = ("archive", "search_index", "schemas")  # what the figures measure (git paths from the repository root)
# The bar the multilingual search work (issue 16) must reach on this set: (figure, kind, threshold).
TARGETS = [
    ("search recall@20, same language", "recall_same", 0.95),
    ("search recall@20, other languages", "recall_other", 0.80),
    ("search precision of the top results (R-precision)", "r_precision", 0.90),
    ("abuse-type suggestions: precision", (ABUSE_TYPE, "precision"), 0.80),
    ("abuse-type suggestions: recall", (ABUSE_TYPE, "recall"), 0.75),
    ("place suggestions: precision", (PLACE, "precision"), 0.85),
    ("place suggestions: recall", (PLACE, "recall"), 0.90),
    ("perpetrator sides: precision", (eval_set.SIDES, "precision"), 0.80),
    ("perpetrator sides: recall", (eval_set.SIDES, "recall"), 0.70),
]


def evaluate(evalset, workdir=None):
    """{'search': ..., 'suggestions': ..., 'traps': ..., 'halves': {name: the same three}} for an EvalSet
    (bench.eval_set): the whole set, and each half (eval_set.halves) in an archive of its own excerpts,
    so that a held-out query is searched among held-out statements only."""
    book = service.load_codebook()
    measured = {name: _measure(half, book, workdir) for name, half in eval_set.halves(evalset)}
    whole = measured.pop(eval_set.WHOLE)
    return {**whole, "halves": measured}


def _measure(evalset, book, workdir):
    with tempfile.TemporaryDirectory(dir=workdir) as root:
        if evalset.excerpts:
            search = eval_set.score_search(evalset, eval_set.build_archive(evalset.excerpts, root), book)
        else:
            search = eval_set.score_search(evalset, None, book)
    return {"search": search, "suggestions": eval_set.score_suggestions(evalset, book),
            "traps": eval_set.score_traps(evalset, book)}


def target_rows(figures):
    """[(label, measured or None, threshold, met?)] for TARGETS."""
    rows = []
    for label, key, threshold in TARGETS:
        measured = _figure(figures, key)
        rows.append((label, measured, threshold, measured is not None and measured >= threshold))
    return rows


def _figure(figures, key):
    if isinstance(key, tuple):
        return figures["suggestions"]["overall"][key[0]][key[1]]
    return figures["search"]["overall"][key]


def render(figures, evalset, started, machine, command=COMMAND, cost=None):
    """One dated Markdown section: the targets on each half and the whole, search by language, and
    the details (each query, what misled, what was missed) of the tuning half only: the held-out half
    is measured, never looked into."""
    version = service.load_codebook().version
    halves = dict(eval_set.halves(evalset))
    tuning = figures["halves"][eval_set.TUNING]
    head = [f"## {started} · {machine}", "",
            f"Command: `{command}` · archive code last changed at {_commit()} · codebook {version} · "
            f"{len(evalset.excerpts)} excerpts, {len(evalset.queries)} queries; tuning half (odd-numbered) "
            f"{_size(halves[eval_set.TUNING])}, held-out half (even-numbered) {_size(halves[eval_set.HELD_OUT])}"
            + (f" · {cost}." if cost else "."), ""]
    return "\n".join(head + _targets(figures) + _capped(figures) + _search(figures["search"])
                     + _queries(tuning["search"], halves[eval_set.TUNING])
                     + _suggestions(figures["suggestions"], evalset, tuning["suggestions"])
                     + _traps(tuning["traps"], figures["halves"][eval_set.HELD_OUT]["traps"])) + "\n"


def _size(half):
    return f"{len(half.excerpts)} excerpts, {len(half.queries)} queries"


def _targets(figures):
    halves = figures["halves"]
    lines = ["### Against the targets", "",
             "Recall@20 is the standard one: expected statements found among the first 20 / expected statements "
             "(so a query expecting more than 20 cannot reach 100%). Each half is searched in an archive of its own "
             "excerpts.", "",
             "| figure | tuning | held-out | whole | target | met (held-out / whole) |", "|---|---:|---:|---:|---:|---|"]
    for label, key, threshold in TARGETS:
        values = [_figure(halves[eval_set.TUNING], key), _figure(halves[eval_set.HELD_OUT], key), _figure(figures, key)]
        met = "/".join("yes" if v is not None and v >= threshold else "no" for v in values[1:])
        lines.append(f"| {label} | {' | '.join(_pct(v) for v in values)} | {threshold:.0%} | {met} |")
    return lines + [""]


def _capped(figures):
    halves = figures["halves"]
    rows = [("recall@20, all expected statements", "recall"),
            ("capped recall@20: found / min(20, expected)", "recall_capped"),
            ("capped recall@20, other languages: found / min(20, expected in them)", "recall_other_capped")]
    lines = ["Beside the standard recall (not the targets' figure): the capped one, which a query expecting more "
             "than 20 can reach.", "", "| figure | tuning | held-out | whole |", "|---|---:|---:|---:|"]
    for label, key in rows:
        values = [halves[eval_set.TUNING]["search"]["overall"][key], halves[eval_set.HELD_OUT]["search"]["overall"][key],
                  figures["search"]["overall"][key]]
        lines.append(f"| {label} | {' | '.join(_pct(v) for v in values)} |")
    return lines + [""]


def _search(search):
    lines = ["### Search, by the query's language", "",
             "Whole set. Recall@20 counts the expected statements among the first 20 results over the expected ones "
             "(standard), separately for those in the query's language and those in others (n: queries with any "
             "such statement). Precision@5 is the share "
             "of relevant statements among the top min(5, n) for a query expecting n; R-precision among the top "
             "min(20, n). Means over queries.", "",
             "| language | queries | recall@20 same (n) | recall@20 other (n) | precision@5 | R-precision |",
             "|---|---:|---:|---:|---:|---:|"]
    for language, m in [*search["by_language"].items(), ("all", search["overall"])]:
        lines.append(f"| {language} | {m['r_precision_n']} | {_pct(m['recall_same'])} ({m['recall_same_n']}) "
                     f"| {_pct(m['recall_other'])} ({m['recall_other_n']}) | {_pct(m['precision_at_5'])} "
                     f"| {_pct(m['r_precision'])} |")
    return lines + [""]


def _queries(search, evalset):
    lines = ["### Each query of the tuning half (in the tuning half's archive)", "",
             "| query | language | expected | recall same | recall other | R-precision | missed |",
             "|---|---|---:|---:|---:|---:|---|"]
    for query in evalset.queries:
        q = search["queries"][query["id"]]
        missed = ", ".join(q["missed"][:6]) + (" …" if len(q["missed"]) > 6 else "")
        lines.append(f"| `{query['text']}` | {query['language']} | {len(query['expected'])} | {_pct(q['recall_same'])} "
                     f"| {_pct(q['recall_other'])} | {_pct(q['r_precision'])} | {missed} |")
    return lines + [""]


def _suggestions(found, evalset, tuning):
    lines = ["### Suggestions, by the statement's language", "",
             "True and false positives pooled over the excerpts of a language, against the hand coding. Sides are "
             "those of the units `perpetrators_in` names; places count only gazetteer places (a place coded as "
             "written cannot be suggested).", "",
             "| language | excerpts | abuse types P / R | places P / R | sides P / R | units P / R |",
             "|---|---:|---|---|---|---|"]
    for language, kinds in [*sorted(found["by_language"].items()), ("all", found["overall"])]:
        count = sum(e["language"] == language or language == "all" for e in evalset.excerpts)
        cells = " | ".join(f"{_pct(kinds[k]['precision'])} / {_pct(kinds[k]['recall'])}" for k in eval_set.KINDS)
        lines.append(f"| {language} | {count} | {cells} |")
    return lines + ["", "Tuning half, most frequent false suggestions: " + _listed(tuning["misleading"]), "",
                    "Tuning half, most often missed: " + _listed(tuning["missed"]), ""]


def machine_line():
    return (f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--excerpts", default=eval_set.EXCERPTS, help="excerpts JSON Lines file")
    parser.add_argument("--queries", default=eval_set.QUERIES, help="queries JSON file")
    parser.add_argument("--output", default=RESULTS, help="Markdown file the figures are appended to")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    evalset = eval_set.load(args.excerpts, args.queries)
    started = f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    load, wall, cpu = os.getloadavg()[0], time.perf_counter(), time.process_time()
    figures = evaluate(evalset)
    cost = (f"load {load:.1f} at the start; {time.perf_counter() - wall:.1f} s wall, "
            f"{time.process_time() - cpu:.1f} s CPU (the figures are counts: they do not depend on load)")
    section = render(figures, evalset, started, machine_line(), " ".join([COMMAND, *(argv or sys.argv[1:])]), cost)
    print(section)
    if not args.no_write:
        output = Path(args.output)
        heading = "" if output.exists() else "# Evaluation set: search and suggestions\n\n" + _preamble()
        with open(output, "a", encoding="utf-8") as out:
            out.write(heading + "\n" + section)
    return figures


def _preamble():
    return ("Figures of `python -m bench.eval` on bench/data/eval/ (real published statements, hand-coded; see "
            "its README). Each run appends a dated section: compare the latest with the baseline below it.\n")


def _commit():
    try:
        described = subprocess.run(["git", "log", "-1", "--format=%h (%cs)", "--", *CODE], capture_output=True,
                                   text=True, cwd=Path(__file__).parent.parent, check=True, timeout=10).stdout.strip()
        return f"`{described}`" if described else "an unknown commit"
    except (OSError, subprocess.SubprocessError):
        return "an unknown commit"


def _traps(tuning, held_out):
    fallen = [f"{excerpt} `{code}` ({kind})" for excerpt, kind, code, hit in tuning if hit]
    return [f"Traps (negation, hearsay, words that only name a thing), that is, the code they warn against was "
            f"suggested: held-out half {sum(hit for *_, hit in held_out)} of {len(held_out)} fallen for; tuning "
            f"half {len(fallen)} of {len(tuning)}" + (": " + ", ".join(fallen) if fallen else "") + ".", ""]


def _pct(value):
    return "–" if value is None else f"{value:.0%}"


def _listed(counter, most=10):
    return ", ".join(f"{kind} `{value}` ×{n}" for (kind, value), n in counter.most_common(most)) or "none"


if __name__ == "__main__":
    main()
