"""Import throughput and peak memory of `archive import`: `python -m bench.import_bench [SIZES...]`.

For each size, generates a synthetic JSON Lines file (bench.generate), imports it into a fresh
archive with the real CLI in a child process, and records wall time, testimonies per second and
the largest peak RSS of any child process (the CLI, or one of its two indexing processes).
Results are appended to bench/results/import.md with the machine they ran on.
"""
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import statements

RESULTS = Path(__file__).parent / "results" / "import.md"


def run(size, work):
    import json
    source = work / f"synthetic-{size}.jsonl"
    with open(source, "w", encoding="utf-8") as out:
        for statement in statements(size):
            out.write(json.dumps(statement, ensure_ascii=False) + "\n")
    data = work / f"archive-{size}"
    archive = [sys.executable, "-m", "archive.cli", "--data", str(data)]
    subprocess.run([*archive, "init"], check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([*archive, "import", str(source)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    check = subprocess.run([*archive, "check"], capture_output=True, text=True)
    return {"size": size, "mb": source.stat().st_size / 1e6, "seconds": seconds, "rate": size / seconds,
            "peak_mb": peak_mb, "check": "clean" if check.returncode == 0 else check.stderr.strip()}


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [1000, 10000]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            rows.append(run(size, Path(work)))
            print(rows[-1], flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    lines = [f"\n## {time.strftime('%Y-%m-%d %H:%M')} · {machine}", "",
             f"Command: `python -m bench.import_bench {' '.join(map(str, sizes))}`", "",
             "| testimonies | file MB | import s (validate + SQLite + index) | testimonies/s | peak RSS MB | archive check |",
             "|---:|---:|---:|---:|---:|---|"]
    lines += [f"| {r['size']:,} | {r['mb']:.1f} | {r['seconds']:.1f} | {r['rate']:.0f} | {r['peak_mb']:.0f} | {r['check']} |"
              for r in rows]
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
