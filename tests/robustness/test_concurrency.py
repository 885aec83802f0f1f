"""Writers and searchers at once, through a real server: nothing acknowledged is lost, nothing fails.

A real waitress server (`archive serve`) on 127.0.0.1 serves searches and pages to threads here, logged
in with a reviewer's read-write API token, while separate processes import testimonies and save codes
(tests/workers.py), and two API clients add testimonies and two add codes through the API's writes, for a
fixed time. Afterwards every acknowledged write is in SQLite and in the index (`archive check` clean), no
request answered a 5xx, and nothing anywhere reported a locked database.
"""
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from archive import service
from tests.factories import record

pytestmark = pytest.mark.slow

SECONDS = 15
SEARCHERS = 3
SEARCHES = ["/api/search?q=dogs", "/api/search?q=Kuznitsa&perpetrator=BY", "/api/search?abuse_type=beating",
            "/?q=batons", "/?q=dogs&year=2021&sort=newest", "/api/testimonies/T-2021-0001"]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def token(data_dir, users):
    """A reviewer's personal API token: every request below is logged in with it."""
    from archive.security import accounts
    from archive.store.db import write_transaction

    db = service.open_db(data_dir)
    try:
        with write_transaction(db):
            return accounts.create_token(db, accounts.get_user(db, "reviewer")["id"], "concurrency test", scope="write")
    finally:
        db.close()


@pytest.fixture
def server(data_dir, import_records, tmp_path, token):
    import_records([record(n) for n in range(1, 31)])
    port = _free_port()
    log = open(tmp_path / "server.log", "w+")
    process = subprocess.Popen([sys.executable, "-m", "archive.cli", "--data", str(data_dir.root), "serve",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(_request(base + "/api/search", token), timeout=10).read()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    yield base, token
    process.terminate()
    process.wait(timeout=30)
    log.seek(0)
    server_log = log.read()
    log.close()
    assert "locked" not in server_log.lower() and "Traceback" not in server_log, server_log[-3000:]


def _request(url, token, body=None):
    headers = {"Authorization": f"Bearer {token}", **({"Content-Type": "application/json"} if body else {})}
    return urllib.request.Request(url, headers=headers, data=body and json.dumps(body).encode())


def _api_intake_until(server, stop, client, acknowledged, failures):
    """POST /api/testimonies, each statement its own, until told to stop; the references answered 201."""
    base, token = server
    n = 0
    while not stop.is_set():
        n += 1
        body = {"text": f"API client {client}, statement {n}: they beat us at the fence near Bruzgi.",
                "consent": "legal", "confidentiality": "restricted", "abuse_types": ["beating"]}
        try:
            with urllib.request.urlopen(_request(base + "/api/testimonies", token, body), timeout=60) as response:
                acknowledged.append(json.loads(response.read())["reference"])
        except Exception as err:  # any refusal is a failure: each body is valid and new
            failures.append(f"intake {client}/{n}: {type(err).__name__}: {err}")


def _api_codes_until(server, stop, client, acknowledged, failures):
    """POST /api/testimonies/<ref>/codes on the imported testimonies in turn; the code ids answered 201."""
    base, token = server
    n = 0
    while not stop.is_set():
        n += 1
        reference = f"T-2021-{(n * 7 + client) % 30 + 1:04d}"
        try:
            with urllib.request.urlopen(_request(f"{base}/api/testimonies/{reference}", token), timeout=60) as got:
                text = json.loads(got.read())["text"]
            start = text.index("Statement number")
            code = {"start": start, "end": start + len("Statement number"), "abuse_type": "beating",
                    "note": f"API client {client}, code {n}"}
            with urllib.request.urlopen(_request(f"{base}/api/testimonies/{reference}/codes", token, code),
                                        timeout=60) as response:
                acknowledged.append(json.loads(response.read())["id"])
        except Exception as err:
            failures.append(f"code {client}/{n}: {type(err).__name__}: {err}")


def _search_until(server, stop, statuses, failures):
    base, token = server
    n = 0
    while not stop.is_set():
        path = SEARCHES[n % len(SEARCHES)]
        n += 1
        try:
            with urllib.request.urlopen(_request(base + path, token), timeout=60) as response:
                body = response.read()
                statuses[response.status] += 1
                if path.startswith("/api/search"):
                    json.loads(body)["total"]
        except urllib.error.HTTPError as err:
            statuses[err.code] += 1
            failures.append(f"{path}: {err.code} {err.read()[:200]!r}")
        except Exception as err:  # a refused connection or a broken answer is a failure too
            failures.append(f"{path}: {type(err).__name__}: {err}")


def _worker(data_dir, *args):
    return subprocess.Popen([sys.executable, "-m", "tests.workers", args[0], str(data_dir.root), *map(str, args[1:])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_writers_and_searchers_at_once_lose_nothing_and_fail_nothing(server, data_dir):
    statuses, failures, stop = Counter(), [], threading.Event()
    searchers = [threading.Thread(target=_search_until, args=(server, stop, statuses, failures))
                 for _ in range(SEARCHERS)]
    intakes, codes = [], []
    api_writers = [threading.Thread(target=_api_intake_until, args=(server, stop, n, intakes, failures))
                   for n in (1, 2)]
    api_writers += [threading.Thread(target=_api_codes_until, args=(server, stop, n, codes, failures))
                    for n in (1, 2)]
    for thread in searchers + api_writers:
        thread.start()
    writers = {"A": _worker(data_dir, "imports", "A", SECONDS), "B": _worker(data_dir, "imports", "B", SECONDS),
               "codes": _worker(data_dir, "codes", SECONDS, 1)}
    outputs = {name: process.communicate(timeout=SECONDS + 120) for name, process in writers.items()}
    stop.set()
    for thread in searchers + api_writers:
        thread.join(timeout=120)

    for name, (out, err) in outputs.items():
        assert writers[name].returncode == 0, err[-3000:]
        assert "locked" not in err.lower(), err[-3000:]
    references = outputs["A"][0].split() + outputs["B"][0].split()
    code_ids = [int(line) for line in outputs["codes"][0].split()]
    db = service.open_db(data_dir)
    try:
        stored = {row[0] for row in db.execute("SELECT reference FROM testimony")}
        saved = {row[0] for row in db.execute("SELECT id FROM code")}
    finally:
        db.close()
    assert set(references) <= stored and set(code_ids) <= saved
    assert set(intakes) <= stored and set(codes) <= saved and len(set(intakes)) == len(intakes)
    problems, drift = service.check(data_dir)
    assert problems == [] and not drift, (problems, drift)
    assert failures == [] and not any(status >= 500 for status in statuses)
    searches = sum(statuses.values())
    assert len(references) >= 4 and len(code_ids) >= 4 and searches >= 20, (references, code_ids, statuses)
    assert len(intakes) >= 4 and len(codes) >= 4, (intakes, codes)
    print(f"\nconcurrency: {len(references)} imports and {len(code_ids)} code saves acknowledged, "
          f"{len(intakes)} API intakes and {len(codes)} API codes, "
          f"{searches} searches and pages ({dict(statuses)}), {len(failures)} failures, in {SECONDS} s")
