"""kill -9 at random points, many times: of a large import, of a loop of small imports, of coding saves
and of a reindex. Each time the database passes integrity_check, each import is all-or-nothing, no
acknowledged write is lost, and `archive check` is clean after `archive reindex`.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from archive import service
from archive.config import DataDir
from bench.generate import statements
from tests.factories import record

pytestmark = pytest.mark.slow  # kills of real processes: make test runs them, make quick does not

STATEMENTS = 200
LARGE_IMPORT_KILLS = 6
WORKER_KILLS = 5  # of each worker: a loop of small imports, a loop of coding saves
REINDEX_KILLS = 3


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "statements.jsonl"
    written = list(statements(STATEMENTS, seed=9))
    with open(path, "w", encoding="utf-8") as out:
        for statement in written:
            out.write(json.dumps(statement, ensure_ascii=False) + "\n")
    return path, sum(len(s["abuse_types"]) for s in written)


def _archive(data_dir, *args):
    return [sys.executable, "-m", "archive.cli", "--data", str(data_dir.root), *map(str, args)]


@pytest.mark.parametrize("seed", range(LARGE_IMPORT_KILLS))
def test_killed_import_is_all_or_nothing_and_reindex_recovers(data_dir, big_file, seed):
    big_file, codes_in_file = big_file
    delay = random.Random(seed).uniform(0.3, 3.0)  # parsing, validating, committing or indexing
    process = subprocess.Popen(_archive(data_dir, "import", big_file), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and any indexing worker processes
    except ProcessLookupError:
        pass
    process.wait()

    db = service.open_db(data_dir)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = db["testimony"].count
        assert count in (0, STATEMENTS), f"partial import of {count} after {delay:.1f}s"
        assert db["code"].count == (codes_in_file if count else 0)
        assert db["history"].count == (count + codes_in_file if count else 0)
    finally:
        db.close()
    subprocess.run(_archive(data_dir, "reindex"), check=True, capture_output=True)
    check = subprocess.run(_archive(data_dir, "check"), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    again = subprocess.run(_archive(data_dir, "import", big_file), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert service.check(data_dir)[1].to_fix() == []


def _kill_after_acknowledgements(command, seed):
    """Start a worker, let it acknowledge at least one write, kill -9 it at a random moment after;
    returns what it printed (its acknowledged writes)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    first = process.stdout.readline()  # blocks until the first acknowledged write
    assert first, process.stderr.read()
    time.sleep(random.Random(seed).uniform(0.05, 2.0))
    os.killpg(process.pid, signal.SIGKILL)
    rest, _ = process.communicate()
    return [first.strip(), *rest.split()]


def _assert_whole_and_repairable(data_dir):
    db = service.open_db(data_dir)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    drift = service.check(data_dir)[1]
    assert not drift.extra and not drift.duplicated  # the index can lag behind SQLite, never run ahead
    subprocess.run(_archive(data_dir, "reindex"), check=True, capture_output=True)
    problems, drift = service.check(data_dir)
    assert problems == [] and not drift, drift


@pytest.mark.parametrize("seed", range(WORKER_KILLS))
def test_killed_small_imports_keep_every_acknowledged_one_whole(data_dir, seed):
    acknowledged = _kill_after_acknowledgements(
        [sys.executable, "-m", "tests.workers", "imports", str(data_dir.root), f"K{seed}", "60"], seed)
    db = service.open_db(data_dir)
    try:
        stored = {r[0]: r[1] for r in db.execute(
            "SELECT t.reference, count(c.id) FROM testimony t LEFT JOIN code c ON c.testimony_id = t.id "
            "GROUP BY t.id")}
        batches = db.execute("SELECT count(*) FROM import_batch").fetchone()[0]
    finally:
        db.close()
    assert set(acknowledged) <= set(stored)
    assert set(stored.values()) == {len(record()["abuse_types"])}  # no testimony without all of its codes
    assert batches == len(stored)  # a killed import left neither a batch nor a testimony behind
    _assert_whole_and_repairable(data_dir)


@pytest.mark.parametrize("seed", range(WORKER_KILLS))
def test_killed_coding_saves_lose_no_acknowledged_code(data_dir, import_records, seed):
    import_records([record(n) for n in range(1, 11)])
    acknowledged = _kill_after_acknowledgements(
        [sys.executable, "-m", "tests.workers", "codes", str(data_dir.root), "60", str(seed)], seed)
    db = service.open_db(data_dir)
    try:
        saved = {r[0] for r in db.execute("SELECT id FROM code")}
        unrecorded = db.execute("SELECT count(*) FROM code WHERE id NOT IN "
                                "(SELECT entity_id FROM history WHERE entity = 'code')").fetchone()[0]
    finally:
        db.close()
    assert {int(code_id) for code_id in acknowledged} <= saved
    assert unrecorded == 0  # each code was committed together with its history entry
    _assert_whole_and_repairable(data_dir)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, big_file):
    """An archive holding the large file, imported once for the reindex kills (6 s of CPU each time)."""
    data_dir = DataDir.at(tmp_path_factory.mktemp("imported") / "archive-data")
    service.init(data_dir)
    assert len(service.import_file(data_dir, big_file[0], "tester").imported) == STATEMENTS
    return data_dir


@pytest.mark.parametrize("seed", range(REINDEX_KILLS))
def test_a_killed_reindex_leaves_an_archive_that_reindex_restores(data_dir, imported, seed):
    shutil.rmtree(data_dir.root)
    shutil.copytree(imported.root, data_dir.root)
    process = subprocess.Popen(_archive(data_dir, "reindex"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    time.sleep(random.Random(seed).uniform(0.3, 2.5))
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    _assert_whole_and_repairable(data_dir)
    db = service.open_db(data_dir)
    try:
        assert db["testimony"].count == STATEMENTS
    finally:
        db.close()
