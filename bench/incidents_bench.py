"""Candidate links on archives whose true incidents are known: `python -m bench.incidents_bench [SIZES...]
[--seed N]` (default 1000). Appends to bench/results/incidents.md.

The generator makes true incidents at gazetteer places with coordinates, each told by 1-5 testimonies
in different languages (en, pl, ru, uk, ar, fr) with noise: the date exact, a day off, known only to the
month, or approximate (~); the place the same, a neighbour, or not said; the perpetrator the unit, only
its side, or now and then another unit of the same side (a uniform mistaken); the abuse types as each
witness names them (most of the event's, now and then one more); and some incidents have a near twin
(same place, a day or two apart, another unit, other abuses, another group) that is a different event.
Testimonies are imported through the real import (stated incident: place, date, perpetrators, abuse
types as codes), then archive.incidents.candidates ranks, for every testimony, the other testimonies
that may tell the same event (no incident recorded yet). The group size is in the statement's text only,
as witnesses say it (bench/incident_sentences.py: not at all, exact, rounded, a range, or wrong; among
dates, ages, kilometres and hours; French unread), and the linker reads it from there
(archive/incidents/group_sizes.py). Since 2026-12-07; before, every text said "about N people", which no
linker read. Since the evening of 2026-12-07 the texts also say, as witnesses do, the time of day, the
crossing and the group's origin, with their noise (bench/incident_circumstances.py), and the linker reads
them (archive/incidents/circumstances.py); the openings no longer all say "at night". The structured
fields and the size sentences of an archive are those of the same seed before.

Measured: among the top 3 offered, precision (offered pairs that are true) and recall (true pairs
offered from either side), and the time to build the linker, to rank one testimony, and to rank all;
with --sweep, precision and recall at other thresholds too; with --review N …, after a simulated review of
the top 3 of N testimonies and a refit on its decisions (bench/incidents_review.py); with --refit, after fitting the weights on the
archive measured itself (`archive incidents refit`, no labels), as an organisation would. --lenient
generates as before 2026-12-04 (every witness names the event's very abuse types and never mistakes a unit,
and no statement says a size a linker reads) to compare with figures measured then.
"""
import argparse
import contextlib
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
from archive.incidents import candidates, fitting
from bench import incident_circumstances, incident_sentences, incidents_review
from bench.measure import machine

RESULTS = Path(__file__).parent / "results" / "incidents.md"
LANGUAGES = ("en", "pl", "ru", "ar", "fr")
UNITS = ("by_military_special", "pl_border_guard", "pl_army", "lt_border_guard")
ABUSE = ("pushback", "beating", "dog_attack", "theft", "denial_of_asylum")


def generate(size, seed, book, lenient=False):
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
        facts = incident_circumstances.event(seed, incident)   # time of day, crossing, origin: their own draws
        events = [(incident, day, place, unit, kinds, group, facts)]
        if twin:  # a different event, close in time and space
            incident += 1
            events.append((incident, day + dt.timedelta(days=rng.choice((1, 2))), place,
                           rng.choice([u for u in units if u != unit]), rng.sample(abuse, 2), rng.randrange(5, 120),
                           incident_circumstances.event(seed, incident, partner=facts)))
        for number, when, where, who, what, people, facts in events:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
                records.append(_told(rng, len(records) + 1, number, when, where, who, what, people, places, book,
                                     abuse, lenient, seed, facts))
                truth.append(number)
    return records[:size], truth[:size]


def _told(rng, n, incident, day, place, unit, kinds, people, places, book, abuse, lenient, seed, facts):
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
    if lenient:  # the generator before 2026-12-04: every witness names the unit or its side, and the
        # event's very abuse types (kept to compare with the figures measured on it)
        who, named = (unit if rng.random() < 0.7 else book.side_of(unit)), kinds
    else:
        who, named = _perpetrator_named(rng, unit, book), _named(rng, kinds, abuse)
    language = rng.choice(LANGUAGES)
    words = incident_sentences.text_rng(seed, n)   # its own generator: the fields above stay those of before
    if language == "ru" and not lenient and words.random() < 0.5:
        language = "uk"
    text = (f"Synthetic account {n} of event {incident}, about {people} people ({language})." if lenient
            else f"Account {n}. " + incident_sentences.statement(
                words, language, people, incident_circumstances.said(seed, n, language, facts)))
    return {"reference": f"B-{n:06d}", "title": f"Account {n}", "language": language, "text": text,
            "consent": "legal", "confidentiality": "restricted", "abuse_types": list(named), "perpetrators": [who],
            **({"location": location} if location else {}), "incident_date_from": date}


def _perpetrator_named(rng, unit, book):
    """The unit (0.65), only its side (0.3), or another unit of that side, a uniform mistaken (0.05)."""
    who = rng.random()
    if who < 0.65:
        who = unit
    elif who < 0.95:
        who = book.side_of(unit)
    else:  # a uniform mistaken for another unit of the same side
        others = [u for u in UNITS if u in book.perpetrators and u != unit and book.side_of(u) == book.side_of(unit)]
        who = rng.choice(others) if others else unit
    return who


def _named(rng, kinds, abuse):
    """The abuse types one witness names: each of the event's with 0.8 (at least one), and with 0.15 one
    more (what one witness saw or suffered, another did not; a theft told as part of the beating)."""
    named = [kind for kind in kinds if rng.random() < 0.8] or [rng.choice(kinds)]
    if rng.random() < 0.15:
        named.append(rng.choice([kind for kind in abuse if kind not in kinds]))
    return named


@contextlib.contextmanager
def generated_archive(size, seed, lenient=False):
    """(db, book, {testimony id: its true incident}) of a generated archive imported through the real
    import into a temporary data directory, removed afterwards."""
    book = service.load_codebook()
    records, truth = generate(size, seed, book, lenient)
    with tempfile.TemporaryDirectory(prefix="incidents-bench-") as work:
        data = DataDir.at(Path(work) / "archive-data")
        service.init(data)
        path = Path(work) / "records.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        service.import_file(data, path, "bench")
        db = service.open_db(data)
        try:
            ids = {row[0]: row[1] for row in db.execute("SELECT reference, id FROM testimony")}
            yield db, book, {ids[r["reference"]]: truth[i] for i, r in enumerate(records)}
        finally:
            db.close()


def true_pairs(event):
    """Every pair of testimonies (low id, high id) that tell one incident."""
    told = {}
    for testimony_id, incident in event.items():
        told.setdefault(incident, []).append(testimony_id)
    return {(a, b) for ids in told.values() for a in ids for b in ids if a < b}


def quality(offered, truth):
    """(precision, recall, pairs offered) of {testimony id: [offered ids]} against the true pairs; a pair
    offered from both sides counts once."""
    pairs = {tuple(sorted((t, o))) for t, found in offered.items() for o in found}
    hits = len(pairs & truth)
    return (hits / len(pairs) if pairs else 1.0), (hits / len(truth) if truth else 1.0), len(pairs)


def measure(size, seed, sweep=(), lenient=False, refit=False, reviews=()):
    with generated_archive(size, seed, lenient) as (db, book, event):
        if refit:  # as an organisation would: `archive incidents refit` on its own archive, no decisions yet
            fitting.refit(db, book, "bench")
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
        # The sweep: every candidate above the lowest threshold once, then each threshold's top 3.
        ranked = {t: [(c.score, c.id) for c in linker.candidates(t, limit=None, threshold=min(sweep))]
                  for t in event} if sweep else {}
        truth = true_pairs(event)
        reviewed = _reviewed(db, book, event, truth, seed, reviews) if reviews else []
    precision, recall, pairs = quality(offered, truth)
    one.sort()
    swept = {threshold: quality({t: [i for s, i in found if s >= threshold][:candidates.SHOWN]
                                 for t, found in ranked.items()}, truth) for threshold in sweep}
    return {"size": size, "incidents": len(set(event.values())), "true_pairs": len(truth), "offered_pairs": pairs,
            "precision": precision, "recall": recall, "build_s": built, "one_ms_median": one[len(one) // 2] * 1000,
            "all_s": everything, "sweep": swept, "reviewed": reviewed}


def _reviewed(db, book, event, truth, seed, reviews):
    """The simulated review (bench/incidents_review.py): after each count of testimonies reviewed, the
    figures with the decisions alone, and after `archive incidents refit`."""
    rows, opened, decided = [], incidents_review.order(event, seed), (0, 0)
    done = 0
    for count in sorted(reviews):
        made = incidents_review.review(db, book, event, opened[done:count])
        decided, done = (decided[0] + made[0], decided[1] + made[1]), count
        rows.append((count, *decided, "no", *incidents_review.measured(db, book, event, truth)))
        refitted = incidents_review.refit(db, book)
        rows.append((count, *decided, f"yes ({refitted.fit.labelled:,} pairs labelled)",
                     *incidents_review.measured(db, book, event, truth)))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--sweep", type=float, nargs="*", default=[], help="thresholds to score as well")
    parser.add_argument("--refit", action="store_true",
                        help="fit the weights on the archive measured first, as `archive incidents refit` does")
    parser.add_argument("--review", type=int, nargs="*", default=[], metavar="N",
                        help="then review the top 3 of N testimonies (cumulative counts), as the truth says, "
                             "refit, and measure again (bench/incidents_review.py)")
    parser.add_argument("--lenient", action="store_true",
                        help="the generator before 2026-12-04 (exact abuse types, no unit mistaken)")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    generator = ("lenient generator (before 2026-12-04)" if args.lenient
                 else "generator of 2026-12-07 evening (sizes, time of day, crossing, origin said)")
    generator += ", weights refitted on the archive itself" if args.refit else ""
    lines = [f"\n## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, seed {args.seed}, {generator}, "
             f"threshold {candidates.THRESHOLD}, top {candidates.SHOWN}", "", f"Machine: {machine()}", "",
             "| testimonies | true incidents | true pairs | pairs offered | precision | recall | linker built (wall/CPU s) "
             "| one testimony (median ms) | all testimonies (wall/CPU s) |", "|---|---|---|---|---|---|---|---|---|"]
    sweeps, reviews = [], []
    for size in args.sizes:
        found = measure(size, args.seed, args.sweep, args.lenient, args.refit, args.review)
        line = (f"| {found['size']:,} | {found['incidents']:,} | {found['true_pairs']:,} | {found['offered_pairs']:,} "
                f"| {found['precision']:.3f} | {found['recall']:.3f} | {found['build_s'][0]:.1f} / {found['build_s'][1]:.1f} "
                f"| {found['one_ms_median']:.1f} | {found['all_s'][0]:.1f} / {found['all_s'][1]:.1f} |")
        print(line, flush=True)
        lines.append(line)
        sweeps += [f"| {size:,} | {threshold} | {p:.3f} | {r:.3f} | {n:,} |"
                   for threshold, (p, r, n) in found["sweep"].items()]
        reviews += [f"| {size:,} | {n:,} | {c:,} / {r:,} | {refitted} | {p:.3f} | {recall:.3f} | {offered:,} | {linked:,} |"
                    for n, c, r, refitted, p, recall, offered, linked in found["reviewed"]]
    if sweeps:
        lines += ["", "Threshold sweep, same archives (top 3 above each threshold):", "",
                  "| testimonies | threshold | precision | recall | pairs offered |", "|---|---|---|---|---|", *sweeps]
        print("\n".join(sweeps))
    if reviews:
        lines += ["", "Simulated review, same archives (bench/incidents_review.py): the top 3 of N testimonies decided "
                  "as the truth says; precision of the pairs offered, recall of the true pairs linked or offered:", "",
                  "| testimonies | reviewed | confirmed / rejected | refitted | precision | recall | pairs offered "
                  "| pairs linked |", "|---|---|---|---|---|---|---|---|", *reviews]
        print("\n".join(reviews))
    command = (" ".join(map(str, args.sizes)) + f" --seed {args.seed}" + (" --lenient" if args.lenient else "")
               + (" --refit" if args.refit else ""))
    if args.sweep:
        command += " --sweep " + " ".join(map(str, args.sweep))
    if args.review:
        command += " --review " + " ".join(map(str, args.review))
    lines.append(f"\nLoad before the run: {load:.2f}, after: {os.getloadavg()[0]:.2f}. "
                 f"Command: `python -m bench.incidents_bench {command}`.")
    with open(RESULTS, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
