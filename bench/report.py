"""bench.run's figures as a Markdown section for bench/results/peers.md, with the targets checked."""
from collections import Counter

from bench.measure import summary
from bench.searches import BUDGET_S, MIN_RUNS, QUERIES, WARM

# The speed issue's research baseline: measured on this machine outside this project, not by this bench.
RESEARCH = ("For scale, the research baseline the speed issue states (same kind of 2-core machine, 100,000 synthetic "
            "testimonies of 300–1,500 words, not measured by this bench): SQLite FTS5 12–80 ms and tantivy 1–10 ms "
            "for the same queries.")
P95_TARGET_MS = {10_000: 50, 100_000: 300}  # our API and page, each typical query, every facet counted
DOOR_TITLES = {"api": "our JSON API", "page": "our HTML page", "whoosh": "raw Whoosh top-20",
               "datasette_json": "Datasette JSON", "datasette_html": "Datasette HTML"}


def render(started, machine, busy, command, runs, export=None, stopped=None, repeat=20, budget=BUDGET_S,
           min_runs=MIN_RUNS, warm=WARM):
    """`runs`: bench.run.measure_size's, one a size; `export`: bench.run.measure_export's, or None;
    `stopped`: why the run ended early, if it did (what it had measured is still shown)."""
    sizes = ", ".join(f"{run['size']:,}" for run in runs)
    lines = [f"\n## {started} · {sizes} testimonies", "",
             f"Command: `{command}`", "",
             "Machine: " + "; ".join(f"{key} {value}" for key, value in machine.items()) + ".",
             f"Machine shared: {_busy(busy)}.", ""]
    if stopped:
        lines += [f"**Stopped early**: {stopped}. Below is what was measured until then; a search row without "
                  "every door, or a part not shown, was not measured.", ""]
    lines += _imports([r for r in runs if r.get("imported") or r.get("raw")])
    lines += _reindex([r for r in runs if r.get("reindex")])
    for run in runs:
        if any((run.get("searches") or {}).values()):
            lines += _searches(run, repeat, budget, min_runs, warm)
    lines += _freshness([r for r in runs if r.get("fresh")]) + _exports(export)
    lines += _targets(runs, export)
    return "\n".join(lines) + "\n"


def _busy(busy):
    """'23 processes at ≥10% CPU seen during the run (python ×21, node ×2)' from ['pid name', ...]."""
    if not busy:
        return "no other process used ≥10% of a CPU when sampled"
    names = Counter(entry.split(" ", 1)[1] for entry in busy)
    listed = ", ".join(f"{name} ×{count}" for name, count in names.most_common())
    return (f"{len(busy)} processes seen at ≥10% of a CPU when sampled during the run, the benchmark's own "
            f"servers included ({listed})")


def _imports(runs):
    if not runs:
        return []
    lines = ["### Import", "",
             "`archive import` of the generated JSON Lines file into a fresh archive (validation, one SQLite "
             "transaction, indexing with two processes), against raw Whoosh bulk indexing of the same file with "
             "`procs=2, multisegment=True` (same documents, no validation, no SQLite). Peak RSS is the largest "
             "single process (the CLI or an indexing worker).", "",
             "| testimonies | file MB | `archive import` s | /s | peak RSS MB | raw Whoosh s | /s | peak RSS MB "
             "| ours ÷ raw speed | `archive check` |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        i, r, size = run.get("imported"), run.get("raw"), run["size"]
        ours = f"{i['mb']:.0f} | {i['seconds']:.1f} | {size / i['seconds']:.0f} | {i['peak']:.0f}" if i else "– | – | – | –"
        raw = f"{r['seconds']:.1f} | {size / r['seconds']:.0f} | {r['peak']:.0f}" if r else "– | – | –"
        ratio = f"{r['seconds'] / i['seconds']:.2f}" if i and r else "–"
        lines.append(f"| {size:,} | {ours} | {raw} | {ratio} | {i['check'] if i else '–'} |")
    return lines + [""]


def _reindex(runs):
    if not runs:
        return []
    lines = ["### Reindex", "", "| testimonies | `archive reindex` s | peak RSS MB | `archive check` after |",
             "|---:|---:|---:|---|"]
    lines += [f"| {r['size']:,} | {r['reindex']['seconds']:.1f} | {r['reindex']['peak']:.0f} | "
              f"{r['reindex']['check']} |" for r in runs]
    return lines + [""]


def _searches(run, repeat, budget, min_runs, warm):
    size = run["size"]
    doors = [door for door in DOOR_TITLES if any(door in found for found in run["searches"].values())]
    fewest = min((runs for found in run["searches"].values() for *_, runs in found.values()), default=repeat)
    lines = [f"### Search + every facet count, {size:,} testimonies (median / p95 ms over {repeat} runs, "
             f"or as many as fit in {budget:g} s, at least {min_runs})", "",
             "Ours and Datasette through real servers on 127.0.0.1 (waitress; `datasette serve`), one request at "
             f"a time, after {warm or 'no'} untimed request{'s' if warm != 1 else ''} of the same search (the servers are "
             "warmed up once in any case); raw Whoosh in-process. Matches are ours / Datasette's: our plain "
             "queries also find other spellings, other languages' terms and codes, Datasette's FTS5 only the words."
             + (f" Where fewer than {repeat} runs fitted, their number is shown; p95 is by the nearest rank, so for "
                "11 runs or fewer it is the slowest of them." if fewest < repeat else ""), "",
             "| query | matches | " + " | ".join(DOOR_TITLES[d] for d in doors) + " | page ÷ raw Whoosh p95 "
             "| API ÷ Datasette JSON p95 |", "|---|---:|" + "---:|" * (len(doors) + 2)]
    for label, text, filters in QUERIES:
        found = run["searches"].get(label)
        if not found:
            continue
        shown = f"`{text}`" if text else "(none)"
        if filters:
            shown += " " + " ".join(f"{k}={v}" for k, vs in filters.items() for v in vs)
        matches = " / ".join(f"{found[d][2]:,}" if d in found else "–" for d in ("api", "datasette_json"))
        cells = " | ".join("–" if d not in found else f"{found[d][0]:,.0f} / {found[d][1]:,.0f}"
                           + (f" ({found[d][3]} runs)" if found[d][3] < repeat else "") for d in doors)
        lines.append(f"| {label}: {shown} | {matches} | {cells} | {_ratio(found, 'page', 'whoosh')} | "
                     f"{_ratio(found, 'api', 'datasette_json')} |")
    lines += ["", RESEARCH]
    if run.get("server_peak"):
        lines += ["", f"Our server's peak RSS over these searches: {run['server_peak']:,.0f} MB."]
    return lines + [""]


def _ratio(found, ours, theirs):
    return f"{found[ours][1] / max(found[theirs][1], 0.01):.2f}" if ours in found and theirs in found else "–"


def _freshness(runs):
    if not runs:
        return []
    lines = ["### From adding one testimony to finding it", "",
             "One record imported through the real path (`service.import_file`: validation, SQLite commit, "
             "index commit), then the same already-open `Searcher` a server holds is polled until it finds "
             "the record's unique word.", "", "| testimonies | runs | median ms | p95 ms | max ms |",
             "|---:|---:|---:|---:|---:|"]
    for run in runs:
        median, p95 = summary(run["fresh"])
        lines.append(f"| {run['size']:,} | {len(run['fresh'])} | {median:,.0f} | {p95:,.0f} | "
                     f"{max(run['fresh']):,.0f} |")
    return lines + [""]


def _exports(export):
    if not export:
        return []
    lines = [f"### Export of {export['count']:,} testimonies", "",
             "bench.export_bench's archive (every code with a one-sentence passage), exported whole by a lawyer with "
             "`archive export` in a child process per format; peak RSS is that child's.", "",
             "| testimonies | format | wall s | peak RSS MB | file MB | PDF pages |", "|---:|---|---:|---:|---:|---:|"]
    for file_format in ("csv", "pdf"):
        e = export[file_format]
        lines.append(f"| {export['count']:,} | {e['format']} | {e['seconds']:.1f} | {e['peak_mb']:.0f} | "
                     f"{e['file_mb']:.2f} | {e['pages']} |")
    return lines + [""]


def _targets(runs, export):
    """The issues' targets: the p95 bound at each size it is stated for, the rest at the largest size measured
    (they are stated for 100,000)."""
    lines = []
    for run in runs:
        lines += _speed_target(run)
    return lines + _largest_targets(max(runs, key=lambda r: r["size"]), export)


def _speed_target(run):
    bound, found = P95_TARGET_MS.get(run["size"]), run.get("searches") or {}
    measured = [(label, door) for label, _, _ in QUERIES for door in ("api", "page") if door in found.get(label, ())]
    if bound is None or not measured:
        return []
    slow = [f"{label} ({DOOR_TITLES[door]}, {found[label][door][1]:,.0f} ms)" for label, door in measured
            if found[label][door][1] > bound]
    verdict = "met" if not slow else "**missed** for " + "; ".join(slow)
    short = len({label for label, _ in measured}) < len(QUERIES)
    return [f"### Target at {run['size']:,} testimonies", "",
            f"- {verdict}: every typical query with every facet count, p95 ≤ {bound} ms through our API and our page"
            + (" (not every query measured)" if short else ""), ""]


def _largest_targets(run, export):
    checks = []
    found = run.get("searches") or {}
    for name, ours, theirs, within in (("search + every facet count p95 no slower than Datasette JSON", "api",
                                        "datasette_json", 1), ("results page p95 within 1.3× raw Whoosh", "page",
                                                               "whoosh", 1.3)):
        measured = [label for label, _, _ in QUERIES if {ours, theirs} <= set(found.get(label, ()))]
        if measured:
            checks.append((name, measured, [label for label in measured
                                            if found[label][ours][1] <= within * found[label][theirs][1]]))
    if run.get("server_peak") and run["size"] >= 100_000:
        checks.append(("our server's peak RSS ≤ 1 GB over the searches", run["server_peak"] <= 1024))
    i, r = run.get("imported"), run.get("raw")
    if i and r:
        checks.append(("bulk import ≥ 0.8× raw Whoosh (2 processes)", r["seconds"] / i["seconds"] >= 0.8))
    if run.get("fresh"):
        checks.append(("a new testimony searchable within 1 s (p95)", summary(run["fresh"])[1] <= 1000))
    if export and export["count"] == 500:  # the PDF is of its own archive, whatever the run's size
        checks.append(("500-testimony PDF within 60 s", export["pdf"]["seconds"] <= 60))
    if not checks:
        return []
    lines = [f"### Targets, checked at {run['size']:,} testimonies (the issue states them for 100,000)", ""]
    for name, *outcome in checks:
        if len(outcome) == 2:  # per query: of those measured, met for these
            measured, met = outcome
            verdict = "met" if met == measured else f"**met for {len(met)} of {len(measured)}**"
            lines.append(f"- {verdict}: {name}" + (f" ({', '.join(met)})" if 0 < len(met) < len(measured) else "")
                         + (f" (only {len(measured)} of {len(QUERIES)} queries measured)" if len(measured) < len(QUERIES)
                            else ""))
        else:
            lines.append(f"- {'met' if outcome[0] else '**missed**'}: {name}")
    return lines + [""]
