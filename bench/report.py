"""bench.run's figures as a Markdown section for bench/results/peers.md, with the targets checked."""
from collections import Counter

from bench.measure import summary
from bench.searches import BUDGET_S, QUERIES

DOOR_TITLES = {"api": "our JSON API", "page": "our HTML page", "whoosh": "raw Whoosh top-20",
               "datasette_json": "Datasette JSON", "datasette_html": "Datasette HTML"}


def render(started, machine, busy, command, repeat, runs):
    sizes = ", ".join(f"{run['size']:,}" for run in runs)
    lines = [f"\n## {started} · {sizes} testimonies", "",
             f"Command: `{command}`", "",
             "Machine: " + "; ".join(f"{key} {value}" for key, value in machine.items()) + ".",
             f"Machine shared: {_busy(busy)}.", ""]
    lines += _imports([r for r in runs if r.get("imported")]) + _reindex([r for r in runs if r.get("reindex")])
    for run in runs:
        if run.get("searches"):
            lines += _searches(run, repeat)
    lines += _freshness([r for r in runs if r.get("fresh")]) + _exports([r for r in runs if "export" in r])
    lines += _targets(runs)
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
        i = run["imported"]
        ours, raw = i["size"] / i["seconds"], i["size"] / i["raw_seconds"]
        lines.append(f"| {i['size']:,} | {i['mb']:.0f} | {i['seconds']:.1f} | {ours:.0f} | {i['peak']:.0f} | "
                     f"{i['raw_seconds']:.1f} | {raw:.0f} | {i['raw_peak']:.0f} | {ours / raw:.2f} | {i['check']} |")
    return lines + [""]


def _reindex(runs):
    if not runs:
        return []
    lines = ["### Reindex", "", "| testimonies | `archive reindex` s | peak RSS MB | `archive check` after |",
             "|---:|---:|---:|---|"]
    lines += [f"| {r['size']:,} | {r['reindex']['seconds']:.1f} | {r['reindex']['peak']:.0f} | "
              f"{r['reindex']['check']} |" for r in runs]
    return lines + [""]


def _searches(run, repeat):
    size = run["size"]
    doors = [door for door in DOOR_TITLES if door in next(iter(run["searches"].values()))]
    lines = [f"### Search + every facet count, {size:,} testimonies (median / p95 ms over {repeat} runs, "
             f"or as many as fit in {BUDGET_S} s, at least 5)", "",
             "Ours and Datasette through real servers on 127.0.0.1 (waitress; `datasette serve`), one request at "
             "a time; raw Whoosh in-process. Matches are ours / Datasette's: our plain queries also find "
             "other spellings, other languages' terms and codes, Datasette's FTS5 only the words.", "",
             "| query | matches | " + " | ".join(DOOR_TITLES[d] for d in doors) + " | page ÷ raw Whoosh p95 "
             "| API ÷ Datasette JSON p95 |", "|---|---:|" + "---:|" * (len(doors) + 2)]
    for label, text, filters in QUERIES:
        found = run["searches"][label]
        shown = f"`{text}`" if text else "(none)"
        if filters:
            shown += " " + " ".join(f"{k}={v}" for k, vs in filters.items() for v in vs)
        matches = f"{found['api'][2]:,} / {found['datasette_json'][2]:,}"
        cells = " | ".join(f"{found[d][0]:,.0f} / {found[d][1]:,.0f}" + (f" ({found[d][3]} runs)" if found[d][3] < repeat
                                                                         else "") for d in doors)
        lines.append(f"| {label}: {shown} | {matches} | {cells} | {_ratio(found, 'page', 'whoosh')} | "
                     f"{_ratio(found, 'api', 'datasette_json')} |")
    return lines + [""]


def _ratio(found, ours, theirs):
    return f"{found[ours][1] / max(found[theirs][1], 0.01):.2f}"


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


def _exports(runs):
    if not runs:
        return []
    if all(run["export"] is None for run in runs):
        return ["### Export of 500 testimonies", "",
                "Not measured in this run: see `python -m bench.export_bench` and bench/results/export.md.", ""]
    lines = ["### Export of 500 testimonies", "", "| testimonies | CSV s | CSV peak MB | PDF s | PDF peak MB |",
             "|---:|---:|---:|---:|---:|"]
    for run in runs:
        e = run["export"]
        lines.append(f"| {run['size']:,} | {e['csv'][0]:.1f} | {e['csv'][1]:.0f} | {e['pdf'][0]:.1f} | "
                     f"{e['pdf'][1]:.0f} |")
    return lines + [""]


def _targets(runs):
    """The issue's targets, checked at the largest size measured (they are stated for 100,000)."""
    run = max(runs, key=lambda r: r["size"])
    checks = []
    found = run.get("searches")
    if found:
        checks += [
            ("search + every facet count p95 no slower than Datasette JSON",
             [label for label, _, _ in QUERIES if found[label]["api"][1] <= found[label]["datasette_json"][1]]),
            ("results page p95 within 1.3× raw Whoosh",
             [label for label, _, _ in QUERIES if found[label]["page"][1] <= 1.3 * found[label]["whoosh"][1]]),
        ]
    i = run.get("imported")
    if i:
        checks.append(("bulk import ≥ 0.8× raw Whoosh (2 processes)", i["raw_seconds"] / i["seconds"] >= 0.8))
    if run.get("fresh"):
        checks.append(("a new testimony searchable within 1 s (p95)", summary(run["fresh"])[1] <= 1000))
    if run.get("export"):
        checks.append(("500-testimony PDF within 60 s", run["export"]["pdf"][0] <= 60))
    lines = [f"### Targets, checked at {run['size']:,} testimonies (the issue states them for 100,000)", ""]
    for name, outcome in checks:
        if isinstance(outcome, list):  # per query: met for these
            verdict = "met" if len(outcome) == len(QUERIES) else f"**met for {len(outcome)} of {len(QUERIES)}**"
            lines.append(f"- {verdict}: {name}" + (f" ({', '.join(outcome)})" if 0 < len(outcome) < len(QUERIES)
                                                     else ""))
        else:
            lines.append(f"- {'met' if outcome else '**missed**'}: {name}")
    return lines + [""]
