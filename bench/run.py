"""The peer benchmark, one command: `python -m bench.run [SIZES...] [--repeat N] [--only PARTS] [--out FILE]`.

For each size (default 10,000): generates the synthetic archive once (cached by size and seed in
bench/.data/, or $BENCH_DATA), imports it with the real `archive import` in a fresh archive, indexes
the same file with raw Whoosh (two processes), then times the typical searches through our JSON API,
our HTML page, raw Whoosh, and Datasette's table view (JSON and HTML), the time from adding one
testimony to finding it, exports, and `archive reindex`. Appends medians and p95 with the machine
to bench/results/peers.md. Needs the `bench` extra (`pip install -e '.[bench]'`) for Datasette.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench import generate, peers, report, searches
from bench.measure import archive_command, busy_processes, machine, run_child, summary
from archive import service
from archive.config import DataDir
from search_index.searcher import Searcher

RESULTS = Path(__file__).parent / "results" / "peers.md"
FRESHNESS_RUNS = 10
PARTS = ("import", "search", "fresh", "export", "reindex")
BENCH_USER, BENCH_PASSWORD = "bench", "bench-password-not-secret"


def data_root():
    return Path(os.environ.get("BENCH_DATA", Path(__file__).parent / ".data"))


def measure_import(size, source, work):
    """Our import end to end (a fresh archive), and raw Whoosh bulk indexing of the same file."""
    data = work / f"archive-{size}"
    shutil.rmtree(data, ignore_errors=True)
    run_child(archive_command(data, "init"))
    seconds, peak, done = run_child(archive_command(data, "import", source))
    assert f"Imported {size} of {size}" in done.stdout, done.stdout
    raw_dir = work / f"raw-whoosh-{size}"
    shutil.rmtree(raw_dir, ignore_errors=True)
    raw_seconds, raw_peak, _ = run_child([sys.executable, "-m", "bench.peers", "index", source, raw_dir])
    shutil.rmtree(raw_dir, ignore_errors=True)
    return data, {"size": size, "mb": source.stat().st_size / 1e6, "seconds": seconds, "peak": peak,
                  "raw_seconds": raw_seconds, "raw_peak": raw_peak, "check": check(data)}


def check(data):
    done = subprocess.run(archive_command(data, "check"), capture_output=True, text=True)
    return "clean" if done.returncode == 0 else done.stdout.strip() + done.stderr.strip()


def measure_searches(data, work, repeat):
    """{label: {door: (median, p95, matches, runs)}} with both servers running on this archive."""
    book = service.load_codebook()
    database = peers.build_datasette_copy(DataDir.at(data).database, work / f"peer-{data.name}.db", book)
    ours, theirs = searches.free_port(), searches.free_port()
    raw = peers.RawWhoosh(DataDir.at(data).index, book)
    env = {**os.environ, "ARCHIVE_INSECURE_COOKIES": "1"}
    try:
        with searches.server(archive_command(data, "serve", "--port", ours), ours, work / "archive-serve.log",
                             env=env, ready_path="/login"), \
                searches.server(peers.datasette_command(database, theirs), theirs, work / "datasette.log",
                                ready_path=peers.datasette_path(database, "warm", {})):
            token = {"Authorization": f"Bearer {api_token(data)}"}
            searches.get(ours, "/api/search?q=warm", token, timeout=600)  # the server opens its searcher
            doors = {
                "api": searches.api_door(ours, token),
                "page": searches.page_door(ours, searches.log_in(ours, BENCH_USER, BENCH_PASSWORD)),
                "whoosh": lambda text, filters: raw.search(text, filters)[0],
                "datasette_json": searches.datasette_json_door(theirs, database, peers.datasette_path),
                "datasette_html": searches.datasette_html_door(theirs, database, peers.datasette_path),
            }
            return searches.measure_doors(doors, repeat)
    finally:
        raw.close()
        database.unlink(missing_ok=True)


def measure_freshness(data, work, runs=FRESHNESS_RUNS):
    """Milliseconds from importing one testimony (the real path) until the running Searcher finds it."""
    data_dir = DataDir.at(data)
    searcher = Searcher(data_dir.index, service.load_codebook())
    searcher.search("")  # a searcher that is already open and warm, as in a running server
    times = []
    try:
        for n in range(runs):
            word = f"freshnessprobe{n}x{time.time_ns()}"
            source = work / f"fresh-{n}.jsonl"
            generate.write(source, 1, seed=n + 7)
            text = source.read_text(encoding="utf-8").replace('"text": "', f'"text": "{word} ', 1)
            source.write_text(text.replace('"reference": "S-000001"', f'"reference": "F-{n:03d}-{time.time_ns()}"'),
                              encoding="utf-8")
            started = time.perf_counter()
            service.import_file(data_dir, source, "bench")
            while searcher.search(word, limit=1)["total"] == 0:
                if time.perf_counter() - started > 120:
                    raise RuntimeError(f"{word} not found after 120 s")
            times.append((time.perf_counter() - started) * 1000)
    finally:
        searcher.close()
    return times


def measure_export(data, work):
    """HOOK: CSV and PDF export of 500 testimonies in this run. Exports are measured on their own by
    `python -m bench.export_bench 100 500` (bench/results/export.md), on archives built so that every
    code has a passage; this hook is where the same measurement joins this run's report. Until it is
    wired: None, and the report says where the export figures are."""
    return None


def measure_reindex(data):
    seconds, peak, _ = run_child(archive_command(data, "reindex"))
    return {"seconds": seconds, "peak": peak, "check": check(data)}


def add_bench_user(data):
    """A reviewer (who may search everything, as Datasette shows everything), made with the real CLI."""
    subprocess.run(archive_command(data, "user", "add", BENCH_USER, "--role", "reviewer", "--password-stdin"),
                   input=BENCH_PASSWORD + "\n", text=True, capture_output=True)  # fails harmlessly if reused


def api_token(data):
    done = subprocess.run(archive_command(data, "user", "token", BENCH_USER, "--label", "bench"),
                          text=True, check=True, capture_output=True)
    return done.stdout.strip().split()[-1]


def measure_size(size, work, args):
    """Every part asked for, at one size: {"size", "imported", "searches", "fresh", "export", "reindex"}."""
    print(f"== {size:,} testimonies", flush=True)
    run = {"size": size, "busy": set(busy_processes())}
    data = work / f"archive-{size}"
    if "import" in args.only:
        data, run["imported"] = measure_import(size, generate.cached(size, directory=work), work)
        print("  import", run["imported"], flush=True)
    elif check(data) != "clean":
        raise SystemExit(f"no clean archive of {size} to reuse in {data}: measure 'import' first")
    run["busy"] |= set(busy_processes())
    if "search" in args.only:
        add_bench_user(data)
        run["searches"] = measure_searches(data, work, args.repeat)
    if "fresh" in args.only:
        run["fresh"] = measure_freshness(data, work)
        print("  freshness", summary(run["fresh"]), flush=True)
    if "export" in args.only:
        run["export"] = measure_export(data, work)
    if "reindex" in args.only:
        run["reindex"] = measure_reindex(data)
        print("  reindex", run["reindex"], flush=True)
    run["busy"] |= set(busy_processes())
    return run


def _stop(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    parser.add_argument("--repeat", type=int, default=20, help="timed repetitions of each search (default 20)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to measure (default all: {','.join(PARTS)}); without "
                             "'import', the archive of an earlier run in the bench data directory is reused")
    args = parser.parse_args()
    args.only = [part for part in args.only.split(",") if part]
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    signal.signal(signal.SIGTERM, _stop)  # so that `finally` stops the servers this run started
    work = data_root()
    work.mkdir(parents=True, exist_ok=True)
    started, busy = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), set(busy_processes())
    runs = [measure_size(size, work, args) for size in args.sizes]
    command = "python -m bench.run " + " ".join(map(str, args.sizes)) + f" --repeat {args.repeat}"
    if args.only != list(PARTS):
        command += f" --only {','.join(args.only)}"
    busy |= {name for run in runs for name in run.pop("busy")}
    text = report.render(started, machine(), sorted(busy), command, args.repeat, runs)
    args.out.parent.mkdir(exist_ok=True)
    with open(args.out, "a", encoding="utf-8") as out:
        out.write(text)
    print(text)


if __name__ == "__main__":
    main()
