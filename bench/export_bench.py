"""Export time and peak memory: `python -m bench.export_bench [SIZES...]`.

For each size, builds a fresh archive of that many synthetic testimonies (bench.generate, imported
with the real CLI), gives every code a supporting passage (a sentence of its statement) and adds a
lawyer account; then runs `archive export` of the whole archive in a child process per format:
CSV, JSON, the PDF case summary, and the PDF with full statements. Records wall time, CPU time
(the export and its PDF layout workers), the peak RSS of its largest process and the file's size
(and the PDF's pages) in bench/results/export.md.
"""
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import statements

RESULTS = Path(__file__).parent / "results" / "export.md"
# Runs the CLI in this child, so each export is measured alone, and prints last the peak RSS (kB) of
# its largest process (itself, or one of the PDF's layout workers) and the CPU seconds of them all.
CHILD = ("import resource, sys\nfrom archive.cli import cli\n"
         "if __name__ == '__main__':\n"
         "    try:\n        cli(sys.argv[1:], standalone_mode=False)\n"
         "    finally:\n"
         "        own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
         "        print('peak_kb', max(own.ru_maxrss, workers.ru_maxrss))\n"
         "        print('cpu_s', sum(u.ru_utime + u.ru_stime for u in (own, workers)))")
VARIANTS = (("csv", []), ("json", []), ("pdf", []), ("pdf", ["--statements"]))


def build(size, work):
    source = work / f"synthetic-{size}.jsonl"
    with open(source, "w", encoding="utf-8") as out:
        for statement in statements(size):
            out.write(json.dumps({**statement, "consent": "legal"}, ensure_ascii=False) + "\n")
    data = work / f"archive-{size}"
    archive = [sys.executable, "-m", "archive.cli", "--data", str(data)]
    subprocess.run([*archive, "import", str(source)], check=True, capture_output=True)
    from archive import service
    from archive.config import DataDir
    from archive.security import accounts
    from archive.store.db import write_transaction
    db = service.open_db(DataDir.at(data))
    with write_transaction(db):
        for code_id, text in db.execute("SELECT c.id, t.text FROM code c JOIN testimony t ON t.id = c.testimony_id"
                                        ).fetchall():
            sentences = [m.span() for m in re.finditer(r"[^.]+\.", text)]
            start, end = sentences[code_id % len(sentences)]
            db.execute("UPDATE code SET passage_start = ?, passage_end = ?, passage_text = ? WHERE id = ?",
                       [start, end, text[start:end], code_id])
        accounts.add_user(db, "bench-lawyer", "lawyer", secrets.token_urlsafe(16))
    db.close()
    return data


def export(data, file_format, extra, work):
    out = work / f"export-{data.name}-{file_format}{'-'.join([''] + [e.strip('-') for e in extra])}.{file_format}"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, "--data", str(data), "export", "--format", file_format,
                           *extra, "--out", str(out), "--as", "bench-lawyer"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    pages = ""
    if file_format == "pdf":
        from pypdf import PdfReader
        pages = len(PdfReader(out).pages)
    peak_kb = int(re.search(r"peak_kb (\d+)", done.stdout).group(1))
    cpu_s = float(re.search(r"cpu_s ([\d.]+)", done.stdout).group(1))
    return {"format": file_format + (" " + " ".join(extra) if extra else ""), "seconds": seconds, "cpu_s": cpu_s,
            "peak_mb": peak_kb / 1024, "file_mb": out.stat().st_size / 1e6, "pages": pages}


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [100, 500]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            data = build(size, Path(work))
            for file_format, extra in VARIANTS:
                rows.append({"size": size, **export(data, file_format, extra, Path(work))})
                print(rows[-1], flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    load = os.getloadavg()[0]
    lines = [f"\n## {time.strftime('%Y-%m-%d %H:%M')} · {machine} · load average {load:.1f} at the end", "",
             f"Command: `python -m bench.export_bench {' '.join(map(str, sizes))}`", "",
             "| testimonies | format | wall s | CPU s | peak RSS MB | file MB | PDF pages |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['size']:,} | {r['format']} | {r['seconds']:.1f} | {r['cpu_s']:.1f} | {r['peak_mb']:.0f} | "
              f"{r['file_mb']:.2f} | {r['pages']} |" for r in rows]
    RESULTS.parent.mkdir(exist_ok=True)
    with open(RESULTS, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
