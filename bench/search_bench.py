"""Search latency: `python -m bench.search_bench DATA_DIR [--repeat N]`.

Runs typical queries against an existing archive (make one with `archive import` of
`python -m bench.generate N FILE`), through the Searcher with results made readable (what a page
and the API both do) and through the JSON API with Flask's test client. Reports median and p95 in
milliseconds, appended to bench/results/search.md with the machine and the archive's size.
"""
import argparse
import datetime as dt
import os
import platform
import statistics
import time
from pathlib import Path

from archive import create_app, results, service, store
from archive.config import DataDir
from search_index.searcher import Searcher

RESULTS = Path(__file__).parent / "results" / "search.md"
QUERIES = [  # (label, query, filters, period)
    ("every testimony, all facets", "", {}, None),
    ("single term", "dogs", {}, None),
    ("phrase", '"pepper spray"', {}, None),
    ("term + two facet filters", "beaten", {"perpetrator": ["PL"], "year": ["2021"]}, None),
    ("place variant + term", "Kuznitsa dogs", {}, None),
    ("code match", "separated from children", {}, None),
    ("period only", "", {}, (dt.date(2021, 11, 1), dt.date(2021, 11, 30))),
]


def measure(call, repeat):
    call()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    data = DataDir.at(args.data)
    book = service.load_codebook()
    db = service.open_db(data)
    size = store.count_testimonies(db)
    searcher = Searcher(data.index, book)
    started = time.perf_counter()
    searcher.search("")
    first = (time.perf_counter() - started) * 1000
    client = create_app({"DATA": str(data.root), "TESTING": True}).test_client()
    rows = []
    for label, query, filters, period in QUERIES:
        kwargs = {"query": query, "filters": filters}
        if period:
            kwargs.update(date_from=period[0], date_to=period[1])
        total = searcher.search(**kwargs)["total"]
        direct = measure(lambda: results.describe(db, book, searcher.search(**kwargs)), args.repeat)
        params = [("q", query)] + [(k, v) for k, vs in filters.items() for v in vs]
        if period:
            params += [("from", period[0].isoformat()), ("to", period[1].isoformat())]
        api = measure(lambda: client.get("/api/search", query_string=params), args.repeat)
        rows.append((label, query, total, direct, api))
        print(label, total, direct, api, flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [f"\n## {time.strftime('%Y-%m-%d %H:%M')} · {machine} · {size:,} testimonies", "",
             f"Command: `python -m bench.search_bench DATA --repeat {args.repeat}`. First search after opening "
             f"(searcher, facet bitsets, sort orders): {first:,.0f} ms.", "",
             "| query | matches | search + readable results, median / p95 ms | JSON API, median / p95 ms |",
             "|---|---:|---:|---:|"]
    lines += [f"| {label} (`{query}`) | {total:,} | {d[0]:,.0f} / {d[1]:,.0f} | {a[0]:,.0f} / {a[1]:,.0f} |"
              for label, query, total, d, a in rows]
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
