"""kill -9 at random points of a purge (tests/workers.py `purge`), many times: each time the archive
holds either the whole testimony (text, codes, redactions, dismissals, witness and identity, case
file, history) or none of it (the tombstone and the purge's entries), the audit chain verifies, and
after `archive check` and, where it reports an unfinished purge, `archive reindex`, no byte of the
data directory holds the statement's words or the witness's name.

Half the kills land inside the purge's write transaction, at a random one of its SQLite instructions
(a progress handler sends SIGKILL: tests/workers.py), where a timer could hardly aim: it lasts a few
milliseconds. The other half are timed over the purge's whole duration (measured once), from its first
statement to its last checkpoint, each at a random moment within its share.
"""
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import consent, export, service, store
from archive.config import DataDir
from archive.custody import audit
from archive.export import selection
from archive.store import consent as store_consent
from archive.store.db import write_transaction
from bench.generate import statements
from tests import factories

# Kills of real processes: make test runs them, make quick does not. One worker runs them all, so that
# the last test sees every outcome (make test gives each file to one worker).
pytestmark = pytest.mark.slow

KILLS = 24
REFERENCE = "T-CRASH-0001"
CANARY = "Quillon the ferryman sang of amber lanterns over Zorblattovo"
NAME = "Ysolde Marchetti-Quarn"
TEXT = f"{factories.BASE_TEXT} {CANARY}. My name is {NAME}."
NEEDLES = [b"zorblatt", b"quillon", b"ysolde", b"marchetti"]
ADMIN = {"name": "admin", "role": "admin"}


def _worker(data_dir, *mode):
    return subprocess.Popen([sys.executable, "-m", "tests.workers", "purge", str(data_dir.root), REFERENCE,
                             *map(str, mode)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An archive whose withdrawn testimony has been everywhere; copied for each kill."""
    root = tmp_path_factory.mktemp("crash-purge")
    data_dir = factories.archive(root / "template")
    records = [*statements(30, seed=4),
               factories.record(1, reference=REFERENCE, text=TEXT, witness_name=NAME,
                                witness_contact="+48 555 013 377")]
    service.import_file(data_dir, factories.write(root / "records.jsonl", records, "jsonl"), "tester")
    db = service.open_db(data_dir)
    try:
        testimony = store.get_testimony_row(db, REFERENCE)
        start = TEXT.index(CANARY)
        with write_transaction(db):
            store.insert_code(db, testimony["id"], {
                "abuse_type": "verbal_abuse", "passage_start": start, "passage_end": start + len(CANARY),
                "passage_text": CANARY, "note": f"told by {NAME}", "codebook_version": store.codebook_version(db)},
                "coder", "coded")
            name_at = TEXT.index(NAME)
            store.insert_redaction(db, testimony["id"], name_at, name_at + len(NAME), "coder", "the name")
            store.insert_suggestion_dismissal(db, testimony["id"], "place", "kuznica", "coder", f"not {NAME}'s")
            case_id = store.insert_case_file(db, "Night crossings", "lawyer")
            store.add_to_case_file(db, case_id, [testimony["id"]], "lawyer")
        lawyer = {"id": 0, "name": "lawyer", "role": "lawyer"}
        export.write(db, service.load_codebook(), lawyer, selection.from_case_file(db, lawyer, store.get_case_file(
            db, case_id)), export.Options("json"), root / "sent.json")
        consent.change(data_dir, db, REFERENCE,
                       {"consent": "withdrawn", "decided": dt.date(2022, 2, 1), "reason": f"{NAME} in danger"},
                       {"name": "reviewer", "role": "reviewer"})
        whole = _state(db)
    finally:
        db.close()
    assert _needles(data_dir), "the canary must be in the files before the purge"
    return data_dir, whole, _measure(root, data_dir), _count_ops(root, data_dir)


def _measure(root, template):
    """Seconds from the worker's `ready` to its `purged`, on a copy."""
    copy = _copy(template, root / "measured")
    process = _worker(copy)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    started = time.perf_counter()
    assert process.stdout.readline().strip() == "purged", process.stderr.read()
    duration = time.perf_counter() - started
    process.wait()
    assert not _needles(copy)
    return duration


def _count_ops(root, template):
    """How many times the progress handler runs within the purge's transaction."""
    process = _worker(_copy(template, root / "counted"), "--count-ops")
    lines = process.communicate()[0].split()
    return int(lines[lines.index("ops") + 1])


def _copy(template, target):
    shutil.copytree(template.root, target)
    return DataDir.at(target)


def _state(db):
    """What of the testimony is in SQLite: the whole of it, or its tombstone."""
    row = store_consent.testimony_or_tombstone(db, REFERENCE)

    def count(sql, *params):
        return db.execute(sql, params).fetchone()[0]

    return {
        "text": row["text"], "purged": row["purged_at"] is not None, "witness": row["witness_id"] is not None,
        "identities": count("SELECT count(*) FROM witness_identity"),
        "codes": count("SELECT count(*) FROM code WHERE testimony_id = ?", row["id"]),
        "redactions": count("SELECT count(*) FROM redaction WHERE testimony_id = ?", row["id"]),
        "dismissals": count("SELECT count(*) FROM suggestion_dismissal WHERE testimony_id = ?", row["id"]),
        "case_files": count("SELECT count(*) FROM case_file_testimony WHERE testimony_id = ?", row["id"]),
        "history_with_values": count("SELECT count(*) FROM history WHERE testimony_id = ? AND "
                                     "(new IS NOT NULL OR old IS NOT NULL OR reason IS NOT NULL)", row["id"]),
        "purge_entries": count("SELECT count(*) FROM history WHERE testimony_id = ? AND action = 'purge'", row["id"]),
        "audited": count("SELECT count(*) FROM audit_event WHERE action = 'purged'"),
    }


def _purged_state(whole):
    return {**whole, "text": "", "purged": True, "witness": False, "identities": whole["identities"] - 1,
            "codes": 0, "redactions": 0, "dismissals": 0, "case_files": 0, "history_with_values": 1,
            "purge_entries": 1, "audited": 1}


def _needles(data_dir):
    return {str(path.relative_to(data_dir.root)) for path in Path(data_dir.root).rglob("*") if path.is_file()
            and any(needle in path.read_bytes().lower() for needle in NEEDLES)}


OUTCOMES = []


@pytest.mark.parametrize("kill", range(KILLS))
def test_a_killed_purge_leaves_all_of_the_testimony_or_none(template, tmp_path, kill):
    template, whole, duration, ops = template
    data_dir = _copy(template, tmp_path / "archive-data")
    share, half = random.Random(kill).random(), KILLS // 2
    if kill < half:  # inside the transaction, at one of its instructions
        at = 1 + int(ops * (kill + share) / half)
        process, delay = _worker(data_dir, "--kill-at-op", at), f"instruction step {at} of {ops}"
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    else:  # anywhere in the purge, timed
        seconds = duration * 1.15 * (kill - half + share) / half
        process, delay = _worker(data_dir), f"{seconds:.3f} s"
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
        time.sleep(seconds)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()

    db = service.open_db(data_dir)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = _state(db)
        assert audit.verify(db) == []
        pending = bool(store_consent.pending_purges(db)["testimonies"])
    finally:
        db.close()
    assert state in (whole, _purged_state(whole)), f"half a purge, killed at {delay}: {state}"

    problems, drift = service.check(data_dir)
    if not state["purged"]:
        assert problems == [] and not drift  # nothing was committed: the index is as it was
        outcome = "whole"
    elif pending:
        assert any("is not finished" in problem for problem in problems), problems
        service.reindex(data_dir)  # what `archive check` says to run
        outcome = "purged, finished by reindex"
    else:
        assert problems == [] and not drift
        outcome = "purged"
    problems, drift = service.check(data_dir)
    assert problems == [] and not drift
    if state["purged"]:
        assert _needles(data_dir) == set(), f"killed at {delay} ({outcome})"
    OUTCOMES.append((delay, outcome))


def test_the_kills_landed_on_every_side_of_the_commit():
    """Reported, and checked: some kills before the commit, some after it (finished or not)."""
    if len(OUTCOMES) < KILLS:
        pytest.skip("run with the kills")
    print(json.dumps(OUTCOMES))
    outcomes = {outcome for _, outcome in OUTCOMES}
    assert "whole" in outcomes and outcomes - {"whole"}, OUTCOMES
