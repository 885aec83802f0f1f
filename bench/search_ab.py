"""In-process A/B of Searcher.search on two archives (two checkouts of the code): run once per side, alternating.

    PYTHONPATH=CHECKOUT python bench/search_ab.py LABEL ARCHIVE_DIR
Prints, per typical query: total, median and slowest wall ms of 5 warm runs, median CPU ms, top-5 references.
"""
import sys, time, json, statistics, os
which, data = sys.argv[1], sys.argv[2]
from archive import service
from search_index.searcher import Searcher
s = Searcher(f"{data}/index", service.load_codebook())
Q = [("dogs", {}), ('"military truck"', {}), ("beaten", {"perpetrator": ["PL"], "year": ["2021"]}), ("", {}),
     ("Kuznitsa dogs", {}), ("soldiers took phones", {})]
s.search("")
out = {}
for q, f in Q:
    s.search(q, filters=f)  # warm
    walls, cpus = [], []
    for _ in range(5):
        w, c = time.perf_counter(), time.process_time()
        r = s.search(q, filters=f)
        walls.append((time.perf_counter() - w) * 1000); cpus.append((time.process_time() - c) * 1000)
    out[q or "(empty)"] = (r["total"], round(statistics.median(walls)), round(max(walls)), round(statistics.median(cpus)), [h["reference"] for h in r["results"][:5]])
print(which, json.dumps(out))
