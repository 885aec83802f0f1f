"""Precision and recall of suggestions: `python -m bench.suggestions_eval`.

The coded sample is the demo set (archive/data/demo_testimonies.json): 34 statements, each coded
with abuse types and one place for the whole testimony, not per passage. So a suggestion counts as a
true positive when its testimony is coded with that value ("testimony × abuse type", "testimony ×
place"), and a coded value no suggestion names is a miss. The statements were written for this
project, by people who knew the codebook, so this is an optimistic sample.

The set is split in two: the "tuning" half (statements 1, 3, 5, …) is the one the rules were tried
on; the "held-out" half (2, 4, 6, …) was only measured. Both are reported, with the statement read by
the index's analyzers in its language and without (exact folded words only), and the terms that most
often misled.
Writes bench/results/suggestions.md.
"""
import datetime as dt
import json
import os
import platform
import statistics
import time
from collections import Counter
from pathlib import Path

from archive import dates, service
from archive.coding import suggestions
from archive.coding.suggestions import ABUSE_TYPE, PLACE

RESULTS = Path(__file__).parent / "results" / "suggestions.md"
NO_RULES = "und"  # a language no term is in: every term is then matched as exact folded words


def coded(testimony, book):
    place = book.resolve_place(testimony.get("location") or "")
    return {ABUSE_TYPE: set(testimony.get("abuse_types", [])), PLACE: {place} if place else set()}


def score(testimonies, book, rules=True):
    """{kind: Counter(tp, fp, fn)}, Counter of misleading (kind, value, trigger), Counter of missed (kind, value)."""
    tally = {ABUSE_TYPE: Counter(), PLACE: Counter()}
    misleading, missed = Counter(), Counter()
    for testimony in testimonies:
        language = testimony.get("language") if rules else NO_RULES
        found = suggestions.suggest(testimony["text"], book, language)
        truth = coded(testimony, book)
        for kind in tally:
            offered = {s.value: s for s in found if s.kind == kind}
            tally[kind]["tp"] += len(offered.keys() & truth[kind])
            tally[kind]["fp"] += len(offered.keys() - truth[kind])
            tally[kind]["fn"] += len(truth[kind] - offered.keys())
            misleading.update((kind, v, offered[v].trigger) for v in offered.keys() - truth[kind])
            missed.update((kind, v) for v in truth[kind] - offered.keys())
    return tally, misleading, missed


def ratios(counts):
    offered, relevant = counts["tp"] + counts["fp"], counts["tp"] + counts["fn"]
    precision = counts["tp"] / offered if offered else 0.0
    recall = counts["tp"] / relevant if relevant else 0.0
    return precision, recall


def rows(halves, book):
    lines = []
    for name, testimonies in halves:
        for rules in (True, False):
            tally, _, _ = score(testimonies, book, rules)
            for kind, counts in tally.items():
                precision, recall = ratios(counts)
                lines.append(f"| {name} ({len(testimonies)}) | {'analyzers' if rules else 'exact words'} "
                             f"| {kind} | {counts['tp']} | {counts['fp']} | {counts['fn']} "
                             f"| {precision:.0%} | {recall:.0%} |")
    return lines


def by_language(testimonies, book):
    lines = []
    for language in sorted({t.get("language") for t in testimonies}):
        tally, _, _ = score([t for t in testimonies if t.get("language") == language], book)
        precision, recall = ratios(tally[ABUSE_TYPE])
        count = sum(1 for t in testimonies if t.get("language") == language)
        lines.append(f"| {language} | {count} | {precision:.0%} | {recall:.0%} |")
    return lines


def date_agreement(testimonies, book):
    """(date suggestions, those within the coded incident period, testimonies with a coded date)."""
    offered = within = dated = 0
    for testimony in testimonies:
        if not testimony.get("incident_date_from"):
            continue
        dated += 1
        incident = dates.parse_range(testimony["incident_date_from"], testimony.get("incident_date_to"))
        for suggestion in suggestions.suggest(testimony["text"], book, testimony.get("language")):
            if suggestion.kind == "date":
                offered += 1
                written = dates.parse(suggestion.value)
                within += written.start <= incident.end and incident.start <= written.end
    return offered, within, dated


def timing(testimonies, book):
    """(median ms per demo statement, seconds for one 1,000,000-character statement)."""
    times = []
    for testimony in testimonies:
        started = time.perf_counter()
        suggestions.suggest(testimony["text"], book, testimony.get("language"))
        times.append((time.perf_counter() - started) * 1000)
    joined = " ".join(t["text"] for t in testimonies)
    longest = (joined + " ") * (1_000_000 // (len(joined) + 1))
    started = time.perf_counter()
    suggestions.suggest(longest, book, "en")
    return statistics.median(times), time.perf_counter() - started, len(longest)


def main():
    book = service.load_codebook()
    demo = json.loads(service.DEMO_FILE.read_text(encoding="utf-8"))
    halves = [("tuning half", demo[0::2]), ("held-out half", demo[1::2]), ("whole set", demo)]
    _, misleading, missed = score(demo, book)
    offered, within, dated = date_agreement(demo, book)
    median_ms, long_s, long_chars = timing(demo, book)
    report = [
        f"## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} · {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} · codebook {book.version} · {len(demo)} demo statements",
        "",
        "Command: `python -m bench.suggestions_eval`. Codes in the demo set are per testimony, not per passage: "
        "a suggestion is a true positive when its testimony is coded with that value. The statements were "
        "written for the project, so the figures are optimistic. Each demo statement is coded with one place, "
        "so every other place a statement names (the city a witness flew to, say) counts as a false positive.",
        "",
        "| sample | matching | kind | true pos. | false pos. | missed | precision | recall |",
        "|---|---|---|---:|---:|---:|---:|---:|",
        *rows(halves, book),
        "",
        "Abuse types by statement language (whole set, the index's analyzers):",
        "",
        "| language | statements | precision | recall |",
        "|---|---:|---:|---:|",
        *by_language(demo, book),
        "",
        f"Dates: {offered} date suggestions in the {dated} statements with a coded incident date, {within} of them "
        "within the coded period. Most demo statements give dates in words without a year (\"on the 8th of "
        "November\", \"piątego listopada\"), which are not suggested, since their year cannot be checked.",
        "",
        f"Time: {median_ms:.1f} ms median per demo statement (after the first, which builds the patterns); "
        f"{long_s:.1f} s for one statement of {long_chars:,} characters (the demo texts repeated; the import "
        "limit is 1,000,000).",
        "",
        "Triggers of the most frequent false positives (whole set):",
        "",
        *[f"- {kind} `{value}` from “{trigger}”: {n}" for (kind, value, trigger), n in misleading.most_common(12)],
        "",
        "Coded values most often not suggested (whole set), where the codebook's terms miss how witnesses say it:",
        "",
        *[f"- {kind} `{value}`: {n}" for (kind, value), n in missed.most_common(10)],
        "",
    ]
    RESULTS.write_text("# Suggestions: precision and recall\n\n" + "\n".join(report), encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
