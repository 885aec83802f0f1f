"""What a purge costs on a real archive, against the alternatives: `python -m bench.purge_bench DATA [--rebuild]`.

DATA is an archive (e.g. `archive import` of `python -m bench.generate 10000 …`); it is not changed:
each measurement runs on its own copy. Measured, each as wall and CPU seconds:
- the purge of one withdrawn testimony (archive/consent/purge.py), phase by phase: the SQLite transaction,
  the index (its document deleted, then every segment holding it rewritten), VACUUM and checkpoint;
- a full Whoosh optimize of the same index (every segment merged into one), the other way to wipe;
- with --rebuild, `archive reindex` (a new index from SQLite), what repairs an interrupted purge.
Appends a row to bench/results/purge.md with the archive's size and the machine's load.
"""
import argparse
import datetime as dt
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from archive import consent, service, store
from archive.config import DataDir
from archive.consent import purge
from search_index import indexer

RESULTS = Path(__file__).parent / "results" / "purge.md"


def _cpu():
    """CPU seconds of this process and of its finished children (reindex indexes with two processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class Timer:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _copy(source, work, name):
    target = work / name
    shutil.copytree(source.root, target)
    return DataDir.at(target)


def _segments(path):
    ix = indexer.open_index(path)
    with ix.reader() as reader:
        return [leaf.doc_count_all() for leaf, _ in reader.leaf_readers()]


def _size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def measure_purge(data_dir):
    db = service.open_db(data_dir)
    try:
        count = store.count_testimonies(db)
        reference = next(db.query("SELECT reference FROM testimony WHERE purged_at IS NULL ORDER BY id "
                                  "LIMIT 1 OFFSET ?", [count // 2]))["reference"]
        consent.change(data_dir, db, reference, {"consent": "withdrawn", "decided": dt.date.today(),
                                                 "reason": "benchmark"}, {"name": "bench", "role": "reviewer"})
        segments, db_size = _segments(data_dir.index), data_dir.database.stat().st_size
        with Timer() as total:
            done = purge.purge(data_dir, db, reference, {"confirmation": reference, "reason": "benchmark"},
                               {"name": "bench", "role": "admin"})
    finally:
        db.close()
    return {"testimonies": count, "segments": segments, "db_mb": db_size / 1e6, "total": total,
            "phases": done.finished.seconds, "copied": done.finished.documents_copied,
            "after_segments": _segments(data_dir.index)}


def measure_optimize(data_dir):
    ix = indexer.open_index(data_dir.index)
    with Timer() as took:
        writer = ix.writer(timeout=indexer.WRITER_TIMEOUT_S)
        writer.commit(optimize=True)
    return took


def measure_rebuild(data_dir):
    with Timer() as took:
        service.reindex(data_dir)
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--rebuild", action="store_true", help="also time `archive reindex`")
    args = parser.parse_args()
    source = DataDir.at(args.data)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="purge-bench-", dir=Path(args.data).resolve().parent) as work:
        work = Path(work)
        purged = measure_purge(_copy(source, work, "purge"))
        optimized = measure_optimize(_copy(source, work, "optimize"))
        rebuilt = measure_rebuild(_copy(source, work, "rebuild")) if args.rebuild else None
    load_after = os.getloadavg()
    phases = purged["phases"]
    row = (f"| {dt.date.today()} | {purged['testimonies']:,} | {purged['db_mb']:.0f} MB, index "
           f"{_size(source.index) / 1e6:.0f} MB in {len(purged['segments'])} segments "
           f"({', '.join(f'{n:,}' for n in purged['segments'])}) | "
           f"{purged['total'].wall:.1f} s (CPU {purged['total'].cpu:.1f} s): index {phases.get('index', 0):.1f} s "
           f"({purged['copied']:,} documents copied), SQLite VACUUM + checkpoint {phases.get('sqlite', 0):.1f} s | "
           f"{optimized.wall:.1f} s (CPU {optimized.cpu:.1f} s) | "
           + (f"{rebuilt.wall:.1f} s (CPU {rebuilt.cpu:.1f} s)" if rebuilt else "not run")
           + f" | {os.cpu_count()} cores, load {load_before[0]:.1f} → {load_after[0]:.1f} "
             f"({platform.python_version()}) |")
    print(row)
    if not RESULTS.exists():
        RESULTS.write_text(
            "# What a purge costs\n\n`python -m bench.purge_bench DATA [--rebuild]` (bench/purge_bench.py): one "
            "withdrawn testimony purged, phase by phase, against a full optimize of the same index and a "
            "rebuild from SQLite. Each on its own copy of the archive. Load is the 1-minute load average "
            "before and after.\n\n| date | testimonies | archive | purge (all phases) | full optimize | "
            "reindex (rebuild) | machine |\n|---|---|---|---|---|---|---|\n", encoding="utf-8")
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write(row + "\n")


if __name__ == "__main__":
    main()
