"""kill -9 during an import, at random points: the database stays whole and each import all-or-nothing."""
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from archive import service
from bench.generate import statements

STATEMENTS = 200


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


@pytest.mark.parametrize("seed", range(6))
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
