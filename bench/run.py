"""The peer benchmark, one command: `python -m bench.run [SIZES...] [--repeat N] [--budget S] [--min-runs N]
[--warm N] [--doors DOORS] [--export-count N] [--only PARTS] [--out FILE]`.

For each size (default 10,000): generates the synthetic archive once (cached by size and seed in
bench/.data/, or $BENCH_DATA), imports it with the real `archive import` in a fresh archive, indexes
the same file with raw Whoosh (two processes), then times the typical searches through our JSON API,
our HTML page, raw Whoosh, and Datasette's table view (JSON and HTML), the time from adding one
testimony to finding it, and `archive reindex` (in the order --only names them); then, once,
CSV and PDF export of 500 testimonies (bench.export_bench's archive). Prints each figure as it is
measured, and appends medians and p95 with the machine to bench/results/peers.md at the end, or when
stopped (SIGTERM, Ctrl-C) with what was measured by then. Needs the `bench` extra for Datasette.
"""
import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from archive import service
from archive.config import DataDir
from bench import export_bench, generate, peers, report, searches
from bench.measure import archive_command, busy_processes, machine, run_child, summary
from search_index.searcher import Searcher

RESULTS = Path(__file__).parent / "results" / "peers.md"
FRESHNESS_RUNS = 10
PARTS = ("import", "raw", "search", "fresh", "reindex", "export")
BENCH_USER, BENCH_PASSWORD = "bench", "bench-password-not-secret"


def data_root():
    return Path(os.environ.get("BENCH_DATA", Path(__file__).parent / ".data"))


def measure_import(size, source, data):
    """Our import end to end, in a fresh archive."""
    if data.is_symlink():  # rmtree refuses a link (silently, with ignore_errors): the import would meet the old archive
        data.unlink()
    shutil.rmtree(data, ignore_errors=True)
    run_child(archive_command(data, "init"))
    seconds, peak, done = run_child(archive_command(data, "import", source))
    assert f"Imported {size} of {size}" in done.stdout, done.stdout
    return {"size": size, "mb": source.stat().st_size / 1e6, "seconds": seconds, "peak": peak, "check": check(data)}


def measure_raw(size, source, work):
    """Raw Whoosh bulk indexing of the same file, two processes."""
    raw_dir = work / f"raw-whoosh-{size}"
    shutil.rmtree(raw_dir, ignore_errors=True)
    seconds, peak, _ = run_child([sys.executable, "-m", "bench.peers", "index", source, raw_dir])
    shutil.rmtree(raw_dir, ignore_errors=True)
    return {"seconds": seconds, "peak": peak}


def check(data):
    done = subprocess.run(archive_command(data, "check"), capture_output=True, text=True)
    return "clean" if done.returncode == 0 else done.stdout.strip() + done.stderr.strip()


def measure_searches(data, work, args, found):
    """Fills `found` with {label: {door: (median, p95, matches, runs)}}, each server asked for running on this
    archive; returns our server's peak RSS in MB."""
    book = service.load_codebook()
    ours = searches.free_port()
    raw = peers.RawWhoosh(DataDir.at(data).index, book)
    env = {**os.environ, "ARCHIVE_INSECURE_COOKIES": "1"}
    with contextlib.ExitStack() as running:
        running.callback(raw.close)
        serving = running.enter_context(searches.server(
            archive_command(data, "serve", "--port", ours), ours, work / "archive-serve.log", env=env,
            ready_path="/login"))
        if any(door.startswith("datasette") for door in args.doors):
            started = time.perf_counter()
            database = peers.build_datasette_copy(DataDir.at(data).database, work / f"peer-{data.name}.db", book)
            running.callback(database.unlink, missing_ok=True)
            print(f"  {_now()} Datasette's copy with FTS5 built in {time.perf_counter() - started:.0f} s", flush=True)
            theirs = searches.free_port()
            running.enter_context(searches.server(peers.datasette_command(database, theirs), theirs,
                                                  work / "datasette.log",
                                                  ready_path=peers.datasette_path(database, "warm", {})))
        token = {"Authorization": f"Bearer {api_token(data)}"}
        searches.get(ours, "/api/search?q=warm", token, timeout=600)  # the server opens its searcher
        doors = {
            "api": lambda: searches.api_door(ours, token),
            "page": lambda: searches.page_door(ours, searches.log_in(ours, BENCH_USER, BENCH_PASSWORD)),
            "whoosh": lambda: lambda text, filters: raw.search(text, filters)[0],
            "datasette_json": lambda: searches.datasette_json_door(theirs, database, peers.datasette_path),
            "datasette_html": lambda: searches.datasette_html_door(theirs, database, peers.datasette_path),
        }
        searches.measure_doors({door: doors[door]() for door in args.doors}, args.repeat, budget_s=args.budget,
                               min_runs=args.min_runs, warm=args.warm, found=found)
        return searches.peak_rss_mb(serving.pid)


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


def measure_export(work, count):
    """CSV and PDF export of `count` testimonies, each whole by `archive export` in a child process, on
    bench.export_bench's archive (every code with a passage, a lawyer exporting): {"count", "csv", "pdf"},
    each bench.export_bench.export's figures (seconds, peak_mb, file_mb, pages)."""
    place = work / "export"
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    data = export_bench.build(count, place)
    figures = {"count": count}
    for file_format in ("csv", "pdf"):
        figures[file_format] = export_bench.export(data, file_format, [], place)
        print(f"  {_now()} export", figures[file_format], flush=True)
    return figures


def measure_reindex(data):
    seconds, peak, _ = run_child(archive_command(data, "reindex"))
    return {"seconds": seconds, "peak": peak, "check": check(data)}


def add_bench_user(data):
    """A reviewer (who may search everything, as Datasette shows everything), made with the real CLI."""
    subprocess.run(archive_command(data, "user", "add", BENCH_USER, "--role", "reviewer", "--password-stdin"),
                   input=BENCH_PASSWORD + "\n", text=True, capture_output=True)  # fails harmlessly if reused
    # The bench times searches, not logins: its archive asks no second factor (the default asks reviewers).
    subprocess.run(archive_command(data, "user", "require-2fa", "--none"), check=True, capture_output=True)


def api_token(data):
    done = subprocess.run(archive_command(data, "user", "token", BENCH_USER, "--label", "bench"),
                          text=True, check=True, capture_output=True)
    return done.stdout.strip().split()[-1]


def measure_size(run, work, args):
    """Fills `run` ({"size", "busy"}) with each part asked for, in the order asked, as it is measured:
    "imported", "raw", "searches", "fresh", "reindex"; "part" is the one being measured."""
    size = run["size"]
    print(f"== {_now()} {size:,} testimonies", flush=True)
    data = work / f"archive-{size}"
    run["part"] = "the archive to reuse"
    reused = [part for part in args.only if part in ("import", "search", "fresh", "reindex")]
    # An archive whose index an older version built is rebuilt by a first 'reindex' (measuring it).
    if reused and reused[0] not in ("import", "reindex") and check(data) != "clean":
        raise SystemExit(f"no clean archive of {size} to reuse in {data}: measure 'import' (or 'reindex') first")
    for part in (part for part in args.only if part != "export"):
        run["part"] = part
        run["busy"] |= set(busy_processes())
        if part == "import":
            run["imported"] = measure_import(size, generate.cached(size, directory=work), data)
        elif part == "raw":
            run["raw"] = measure_raw(size, generate.cached(size, directory=work), work)
        elif part == "search":
            add_bench_user(data)
            run["server_peak"] = measure_searches(data, work, args, run.setdefault("searches", {}))
        elif part == "fresh":
            run["fresh"] = measure_freshness(data, work)
        elif part == "reindex":
            run["reindex"] = measure_reindex(data)
        if part != "search":  # the searches print each figure as it comes
            shown = summary(run["fresh"]) if part == "fresh" else run[{"import": "imported"}.get(part, part)]
            print(f"  {_now()} {part}", shown, flush=True)
    run["busy"] |= set(busy_processes())
    run.pop("part", None)


def _now():
    return time.strftime("%H:%M:%S")


class Stopped(Exception):
    """SIGTERM: unwinds (stopping the servers this run started) to write what was measured."""


def _stop(signum, frame):
    raise Stopped(f"stopped by signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    parser.add_argument("--repeat", type=int, default=20, help="timed repetitions of each search (default 20)")
    parser.add_argument("--budget", type=float, default=searches.BUDGET_S,
                        help=f"seconds of timed runs per search and door, after which no more start once "
                             f"--min-runs are done (default {searches.BUDGET_S})")
    parser.add_argument("--min-runs", type=int, default=searches.MIN_RUNS,
                        help=f"timed runs per search and door however long they take (default {searches.MIN_RUNS})")
    parser.add_argument("--warm", type=int, default=searches.WARM,
                        help=f"untimed calls of each search through each door before the timed ones (default "
                             f"{searches.WARM}; the servers are warmed up once in any case)")
    parser.add_argument("--doors", default=",".join(searches.DOORS),
                        help=f"comma-separated doors to time each search through (default all: "
                             f"{','.join(searches.DOORS)})")
    parser.add_argument("--export-count", type=int, default=500,
                        help="testimonies in the export part's archive (default 500, the issue's)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to measure, in this order (default all: {','.join(PARTS)}; "
                             "export runs last, once); without 'import', the archive of an earlier run in the "
                             "bench data directory is reused")
    args = parser.parse_args()
    args.only, args.doors = _names(parser, args.only, PARTS, "part"), _names(parser, args.doors, searches.DOORS, "door")
    signal.signal(signal.SIGTERM, _stop)
    work = data_root()
    work.mkdir(parents=True, exist_ok=True)
    started, busy = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), set(busy_processes())
    runs, export, stopped, failure = [], None, None, None
    try:
        for size in args.sizes:
            runs.append({"size": size, "busy": set()})
            measure_size(runs[-1], work, args)
        if "export" in args.only:
            runs[-1]["part"] = "export"
            export = measure_export(work, args.export_count)
            runs[-1].pop("part")
    except (Stopped, KeyboardInterrupt, Exception) as stop:  # a failure too: keep what was measured
        failure = None if isinstance(stop, (Stopped, KeyboardInterrupt)) else stop
        stopped = (f"{repr(stop) if failure else stop or 'interrupted'} at {_now()} UTC, while measuring "
                   f"{runs[-1].get('part', 'nothing')} at {runs[-1]['size']:,}{', which failed' if failure else ''}")
        print(f"== {stopped}: writing what was measured", flush=True)
    busy |= {name for run in runs for name in run.pop("busy")} | set(busy_processes())
    text = report.render(started, machine(), sorted(busy), _command(args), runs, export, stopped=stopped,
                         repeat=args.repeat, budget=args.budget, min_runs=args.min_runs, warm=args.warm)
    args.out.parent.mkdir(exist_ok=True)
    with open(args.out, "a", encoding="utf-8") as out:
        out.write(text)
    print(text)
    if failure:
        raise failure


def _names(parser, text, known, kind):
    names = [name for name in text.split(",") if name]
    unknown = set(names) - set(known)
    if unknown:
        parser.error(f"unknown {kind}(s): {', '.join(sorted(unknown))}")
    return names


def _command(args):
    command = "python -m bench.run " + " ".join(map(str, args.sizes)) + f" --repeat {args.repeat}"
    if (args.budget, args.min_runs, args.warm) != (searches.BUDGET_S, searches.MIN_RUNS, searches.WARM):
        command += f" --budget {args.budget:g} --min-runs {args.min_runs} --warm {args.warm}"
    if args.doors != list(searches.DOORS):
        command += f" --doors {','.join(args.doors)}"
    if args.export_count != 500:
        command += f" --export-count {args.export_count}"
    if args.only != list(PARTS):
        command += f" --only {','.join(args.only)}"
    return command


if __name__ == "__main__":
    main()
