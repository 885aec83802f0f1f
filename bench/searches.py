"""Typical searches, each timed side by side through every door on the same data:

our JSON API and our HTML page (a real `archive serve`, waitress on 127.0.0.1), raw Whoosh on the same
index (bench.peers.RawWhoosh), and Datasette's table view as JSON and as HTML (a real `datasette serve`
on 127.0.0.1 over a copy of the same SQLite file with FTS5). Every request is checked to have
succeeded, so that a fast error is never timed as a fast answer.
"""
import http.cookiejar
import json
import re
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from urllib.parse import urlencode

from bench.measure import summary, timings

QUERIES = [  # (label, words, facet filters)
    ("single term", "dogs", {}),
    ("phrase", '"military truck"', {}),
    ("term + two facet filters", "beaten", {"perpetrator": ["PL"], "year": ["2021"]}),
    ("empty query, every facet", "", {}),
    ("place variant + term", "Kuznitsa dogs", {}),
    ("three-word natural query", "soldiers took phones", {}),
]
DOORS = ("api", "page", "whoosh", "datasette_json", "datasette_html")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(command, port, log_path, env=None, ready_path="/"):
    """A server subprocess on 127.0.0.1:port, up when `ready_path` answers; stopped on exit."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 600  # a large index takes a while to open
        while True:
            try:
                get(port, ready_path, timeout=600)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server {command[:4]} did not start; see {log_path}") from None
                time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def peak_rss_mb(pid):
    """The peak RSS so far of a running process, in MB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def get(port, path, headers=None, timeout=1800):  # a peer may take minutes at 100,000 on a loaded machine
    """GET http://127.0.0.1:port/path; the body, or an error for any status but 200."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def log_in(port, name, password):
    """A logged-in session's Cookie header, through the real login form (CSRF token included)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"http://127.0.0.1:{port}/login", timeout=60).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    fields = urlencode({"name": name, "password": password, "csrf_token": token, "next": "/"}).encode()
    opener.open(f"http://127.0.0.1:{port}/login", data=fields, timeout=60).read()
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    assert b"Log in</button>" not in get(port, "/", {"Cookie": cookies}), "the login did not hold"
    return {"Cookie": cookies}


def our_path(prefix, text, filters):
    params = [("q", text)] + [(name, value) for name, values in filters.items() for value in values]
    return f"{prefix}?{urlencode(params)}"


BUDGET_S = 60  # per query and door: a door taking seconds a call is timed fewer times (at least MIN_RUNS)
MIN_RUNS = 5
WARM = 1  # untimed calls of each query through each door first


def measure_doors(doors, repeat, budget_s=BUDGET_S, min_runs=MIN_RUNS, warm=WARM, found=None):
    """{label: {door: (median, p95, matches, runs)}} for every query through every door, each put in
    `found` and printed as soon as it is measured (so that a run stopped later still has it).

    `doors` maps a door name to `call(text, filters) -> matches`."""
    found = {} if found is None else found
    for label, text, filters in QUERIES:
        found[label] = {}
        for door, call in doors.items():
            matches = []
            times = timings(lambda: matches.append(call(text, filters)), repeat, warm=warm, budget_s=budget_s,
                            minimum=min_runs)
            found[label][door] = (*summary(times), matches[-1], len(times))
            print(f"  {time.strftime('%H:%M:%S')} {label:28} {door:15} median {found[label][door][0]:8.1f} ms  p95 "
                  f"{found[label][door][1]:8.1f} ms  matches {matches[-1]}  runs {len(times)}", flush=True)
    return found


def api_door(port, headers=None):
    return lambda text, filters: json.loads(get(port, our_path("/api/search", text, filters), headers))["total"]


def page_door(port, headers=None):
    def call(text, filters):
        body = get(port, our_path("/", text, filters), headers)
        assert b"</html>" in body, "not a whole page"
        return "page"
    return call


def datasette_json_door(port, database, path_of):
    def call(text, filters):
        answer = json.loads(get(port, path_of(database, text, filters)))
        assert not answer.get("facets_timed_out"), answer["facets_timed_out"]
        return answer["filtered_table_rows_count"]
    return call


def datasette_html_door(port, database, path_of):
    def call(text, filters):
        body = get(port, path_of(database, text, filters, html=True))
        assert b"</html>" in body and b"timed out" not in body
        return "page"
    return call
