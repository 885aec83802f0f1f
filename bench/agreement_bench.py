"""Agreement over many double-coded testimonies: `python -m bench.agreement_bench 200 1000 [--repeat N]`.

For each size, builds a temporary archive of N testimonies, each assigned to two coders who save
three to six blind codes each (seeded random abuse types and perpetrators) and submit. Times the
agreement report (per abuse type and side, over every unit) and the list of disagreements, as the
/agreement page computes them, and settling one testimony (transaction + reindex). Appends median
and p95 in milliseconds to bench/results/agreement.md with the machine.
"""
import argparse
import os
import platform
import random
import tempfile
import time
from pathlib import Path

from archive import double_coding, service, store
from archive.config import DataDir
from archive.double_coding import reliability
from archive.store.db import write_transaction
from bench.measure import summary, timings
from tests import factories

RESULTS = Path(__file__).parent / "results" / "agreement.md"
ABUSE_TYPES = ["beating", "dog_attack", "theft", "pushback", "pepper_spray", "denial_of_asylum", "detention",
               "verbal_abuse"]
PERPETRATORS = ["pl_border_guard", "by_border_guard", "by_military_special", "smugglers", "unknown"]
REVIEWER = {"name": "reviewer", "role": "reviewer"}


def measure(call, repeat):
    """(median, p95) milliseconds of `repeat` calls after one untimed."""
    return summary(timings(call, repeat))


def build(root, size, seed=7):
    data = DataDir.at(root / "archive-data")
    service.init(data)
    records = [factories.record(n, abuse_types=None, perpetrators=None, location=None, incident_date_from=None)
               for n in range(1, size + 1)]
    service.import_file(data, factories.write(root / "records.json", records, "json"), "bench")
    db = service.open_db(data)
    book = service.load_codebook()
    known = [a for a in ABUSE_TYPES if a in book.abuse_types]
    stamp = store.now()
    with write_transaction(db):
        for name, role in (("coder", "coder"), ("coder2", "coder"), ("reviewer", "reviewer")):
            db["user"].insert({"name": name, "role": role, "password_hash": "-", "created_at": stamp,
                               "updated_at": stamp})
    rng = random.Random(seed)
    version = store.codebook_version(db)
    for testimony in db.query("SELECT * FROM testimony ORDER BY id"):
        double_coding.assign(db, testimony, ["coder", "coder2"], REVIEWER)
        with write_transaction(db):
            for coder in ("coder", "coder2"):
                for abuse_type in rng.sample(known, rng.randint(3, 6)):
                    code = {"abuse_type": abuse_type, "perpetrators": [rng.choice(PERPETRATORS)],
                            "codebook_version": version, "stage": "blind"}
                    store.insert_code(db, testimony["id"], code, coder, None)
        for coder in ("coder", "coder2"):
            double_coding.submit(db, testimony, {"name": coder, "role": "coder"})
    return data, db, book


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [f"\n## {time.strftime('%Y-%m-%d %H:%M')} · {machine}", "",
             f"Command: `python -m bench.agreement_bench {' '.join(map(str, args.sizes))} --repeat {args.repeat}`. "
             "Two coders per testimony, 3–6 blind codes each.", "",
             "| double-coded testimonies | dimensions | disagreements | report, median / p95 ms "
             "| disagreements, median / p95 ms | settle one (with reindex), ms |", "|---:|---:|---:|---:|---:|---:|"]
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as root:
            data, db, book = build(Path(root), size)
            found = reliability.report(db, book)
            disagreements = reliability.find_disagreements(db, book)
            report = measure(lambda: reliability.report(db, book), args.repeat)
            listing = measure(lambda: reliability.find_disagreements(db, book), args.repeat)
            first = store.get_testimony_row(db, "T-2021-0001")
            keys = {d.key: "accept" for d in disagreements if d.testimony_id == first["id"]}
            started = time.perf_counter()
            double_coding.settle(db, first, keys, REVIEWER, "bench", data)
            settle = (time.perf_counter() - started) * 1000
            db.close()
        row = (f"| {size:,} | {len(found['rows'])} | {len(disagreements):,} | {report[0]:,.0f} / {report[1]:,.0f} "
               f"| {listing[0]:,.0f} / {listing[1]:,.0f} | {settle:,.0f} |")
        print(row, flush=True)
        lines.append(row)
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
