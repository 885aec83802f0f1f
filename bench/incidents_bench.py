"""Candidate links on archives whose true incidents are known: `python -m bench.incidents_bench [SIZES...]
[--seed N]` (default 1000). Appends to bench/results/incidents.md.

The generator makes true incidents at gazetteer places with coordinates, each told by 1-5 testimonies
in different languages (en, pl, ru, ar, fr) with noise: the date exact, a day off, known only to the
month, or approximate (~); the place the same, a neighbour, or not said; the perpetrator the unit or
only its side; and some incidents have a near twin (same place, a day or two apart, another unit and
another group) that is a different event. Testimonies are imported through the real import (stated
incident: place, date, perpetrators, abuse types as codes), then archive.incidents.candidates ranks,
for every testimony, the other testimonies that may tell the same event (no incident recorded yet).

Measured: among the top 3 offered, precision (offered pairs that are true) and recall (true pairs
offered from either side), and the time to build the linker, to rank one testimony, and to rank all.
"""
import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from archive import service
from archive.config import DataDir
from archive.incidents import candidates
from bench.measure import machine

RESULTS = Path(__file__).parent / "results" / "incidents.md"
LANGUAGES = ("en", "pl", "ru", "ar", "fr")
UNITS = ("by_military_special", "pl_border_guard", "pl_army", "lt_border_guard")
ABUSE = ("pushback", "beating", "dog_attack", "theft", "denial_of_asylum")


def generate(size, seed, book):
    rng = random.Random(seed)
    places = [p for p in book.places.values() if p["lat"] is not None]
    units = [u for u in UNITS if u in book.perpetrators]
    abuse = [a for a in ABUSE if a in book.abuse_types]
    start = dt.date(2021, 8, 1)
    records, truth, incident = [], [], 0
    while len(records) < size:
        incident += 1
        twin = rng.random() < 0.3
        day = start + dt.timedelta(days=rng.randrange(300))
        place = rng.choice(places)
        unit, kinds, group = rng.choice(units), rng.sample(abuse, 2), rng.randrange(5, 120)
        events = [(incident, day, place, unit, kinds, group)]
        if twin:  # a different event, close in time and space
            incident += 1
            events.append((incident, day + dt.timedelta(days=rng.choice((1, 2))), place,
                           rng.choice([u for u in units if u != unit]), rng.sample(abuse, 2), rng.randrange(5, 120)))
        for number, when, where, who, what, people in events:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
                records.append(_told(rng, len(records) + 1, number, when, where, who, what, people, places, book))
                truth.append(number)
    return records[:size], truth[:size]


def _told(rng, n, incident, day, place, unit, kinds, people, places, book):
    noise = rng.random()
    if noise < 0.55:
        date = day.isoformat()
    elif noise < 0.75:
        date = (day + dt.timedelta(days=rng.choice((-1, 1)))).isoformat()
    elif noise < 0.9:
        date = day.isoformat()[:7]
    else:
        date = day.isoformat() + "~"
    where = rng.random()
    if where < 0.6:
        location = place["name"]
    elif where < 0.85:
        near = sorted(places, key=lambda p: candidates.km((p["lat"], p["lon"]), (place["lat"], place["lon"])))
        location = near[min(1, len(near) - 1)]["name"]
    else:
        location = None
    who = unit if rng.random() < 0.7 else book.side_of(unit)
    language = rng.choice(LANGUAGES)
    return {"reference": f"B-{n:06d}", "title": f"Account {n}", "language": language,
            "text": f"Synthetic account {n} of event {incident}, about {people} people ({language}).",
            "consent": "legal", "confidentiality": "restricted", "abuse_types": list(kinds), "perpetrators": [who],
            **({"location": location} if location else {}), "incident_date_from": date}


def measure(size, seed):
    book = service.load_codebook()
    records, truth = generate(size, seed, book)
    with tempfile.TemporaryDirectory(prefix="incidents-bench-") as work:
        data = DataDir.at(Path(work) / "archive-data")
        service.init(data)
        path = Path(work) / "records.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        service.import_file(data, path, "bench")
        db = service.open_db(data)
        ids = {row[0]: row[1] for row in db.execute("SELECT reference, id FROM testimony")}
        event = {ids[r["reference"]]: truth[i] for i, r in enumerate(records)}
        wall, cpu = time.perf_counter(), time.process_time()
        linker = candidates.Linker(db, book)
        built = (time.perf_counter() - wall, time.process_time() - cpu)
        one = []
        for testimony_id in list(event)[:50]:
            started = time.perf_counter()
            linker.candidates(testimony_id)
            one.append(time.perf_counter() - started)
        wall, cpu = time.perf_counter(), time.process_time()
        offered = {t: [c.id for c in linker.candidates(t)] for t in event}
        everything = (time.perf_counter() - wall, time.process_time() - cpu)
        db.close()
    pairs = {tuple(sorted((t, o))) for t, found in offered.items() for o in found}
    true_pairs = {tuple(sorted((a, b))) for a in event for b in event if a < b and event[a] == event[b]}
    hits = len(pairs & true_pairs)
    precision = hits / len(pairs) if pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    one.sort()
    return {"size": size, "incidents": len(set(truth)), "true_pairs": len(true_pairs), "offered_pairs": len(pairs),
            "precision": precision, "recall": recall, "build_s": built, "one_ms_median": one[len(one) // 2] * 1000,
            "all_s": everything}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)
    lines = [f"\n## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, seed {args.seed}, "
             f"threshold {candidates.THRESHOLD}, top {candidates.SHOWN}", "", f"Machine: {machine()}", "",
             "| testimonies | true incidents | true pairs | pairs offered | precision | recall | linker built (wall/CPU s) "
             "| one testimony (median ms) | all testimonies (wall/CPU s) |", "|---|---|---|---|---|---|---|---|---|"]
    for size in args.sizes:
        found = measure(size, args.seed)
        line = (f"| {found['size']:,} | {found['incidents']:,} | {found['true_pairs']:,} | {found['offered_pairs']:,} "
                f"| {found['precision']:.3f} | {found['recall']:.3f} | {found['build_s'][0]:.1f} / {found['build_s'][1]:.1f} "
                f"| {found['one_ms_median']:.1f} | {found['all_s'][0]:.1f} / {found['all_s'][1]:.1f} |")
        print(line, flush=True)
        lines.append(line)
    lines.append(f"\nLoad before the run: {os.getloadavg()[0]:.2f}. Command: `python -m bench.incidents_bench "
                 f"{' '.join(map(str, args.sizes))} --seed {args.seed}`.")
    with open(RESULTS, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
