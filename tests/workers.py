"""Writers that tests run as separate processes, printing each write only once it is acknowledged.

`python -m tests.workers imports DATA PREFIX SECONDS`: imports one-testimony files in a loop through
  the real path (service.import_file: SQLite commit, then the index), printing each reference.
`python -m tests.workers codes DATA SECONDS [SEED]`: saves codes on existing testimonies in a loop as a
  coding save does (store.insert_code in one write_transaction, then the testimony is reindexed),
  printing each code id.
`python -m tests.workers purge DATA REFERENCE [--count-ops | --kill-at-op N]`: purges one withdrawn
  testimony as an admin does (archive/consent/purge.py), printing `ready` once everything is loaded and
  `purged` when it is done, so that a test can kill it at a random moment of the purge itself. With
  `--count-ops` it also prints `ops N`: how many times SQLite's progress handler (every OPS_STEP
  virtual-machine instructions) ran before the transaction was over; with `--kill-at-op N` the
  handler kills the process (SIGKILL) the Nth time, at that point of the transaction's statements.

A line is printed, and flushed, after both commits: a killed worker may lose the write it was making,
never one it printed.
"""
import itertools
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from archive import service, store
from archive.config import DataDir
from archive.store import db as database
from tests import factories

ABUSE_TYPES = ["beating", "dog_attack", "theft", "pushback", "denial_food_water", "verbal_abuse"]


def keep_importing(data_dir, prefix, seconds):
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as work:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            reference = f"{prefix}-{n:05d}"
            path = factories.write(Path(work) / f"{reference}.json", [factories.record(
                n, reference=reference, text=f"{factories.BASE_TEXT} Written by {prefix} as {reference}.")],
                "json")
            report = service.import_file(data_dir, path, f"worker-{prefix}")
            assert report.references == [reference], report
            print(reference, flush=True)


def keep_coding(data_dir, seconds, seed=0):
    rng = random.Random(seed)
    book = service.load_codebook()
    db = service.open_db(data_dir)
    deadline = time.monotonic() + seconds
    try:
        ids = [row[0] for row in db.execute("SELECT id FROM testimony")]
        while time.monotonic() < deadline:
            testimony_id = rng.choice(ids)
            code = {"abuse_type": rng.choice(ABUSE_TYPES), "perpetrators": ["pl_border_guard"],
                    "place_id": "kuznica", "place_text": "Kuźnica", "codebook_version": book.version,
                    "note": f"saved by worker {seed}"}
            with database.write_transaction(db):
                code_id = store.insert_code(db, testimony_id, code, f"coder-{seed}", "coding")
            service.index_testimonies(data_dir, db, [testimony_id], book)
            print(code_id, flush=True)
    finally:
        db.close()


OPS_STEP = 20


def purge_one(data_dir, reference, mode=None, at=None):
    from archive.consent import purge

    db = service.open_db(data_dir)
    calls = itertools.count(1)
    seen = [0]

    def progress():
        seen[0] = next(calls)
        if mode == "--kill-at-op" and seen[0] >= at:
            os.kill(os.getpid(), signal.SIGKILL)
        return 0

    if mode:
        db.conn.set_progress_handler(progress, OPS_STEP)
        finish = purge.finish

        def counted(*args):  # the transaction is over: stop counting (and killing) here
            db.conn.set_progress_handler(None, 0)
            if mode == "--count-ops":
                print(f"ops {seen[0]}", flush=True)
            return finish(*args)

        purge.finish = counted
    try:
        service.load_codebook()
        print("ready", flush=True)
        purge.purge(data_dir, db, reference, {"confirmation": reference, "reason": "crash test"},
                    {"name": "admin", "role": "admin"})
        print("purged", flush=True)
    finally:
        db.close()


def main():
    command, data, *rest = sys.argv[1:]
    data_dir = DataDir.at(data)
    if command == "imports":
        keep_importing(data_dir, rest[0], float(rest[1]))
    elif command == "codes":
        keep_coding(data_dir, float(rest[0]), int(rest[1]) if len(rest) > 1 else 0)
    elif command == "purge":
        purge_one(data_dir, rest[0], *(rest[1:2] or [None]), *(int(n) for n in rest[2:3]))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
