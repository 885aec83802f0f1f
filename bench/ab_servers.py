"""Two checkouts' servers on one archive, asked in turn: `python -m bench.ab_servers DATA A B [RUNS]`.

Each checkout serves the same archive with `archive serve` (waitress), and each typical search (bench.searches)
is sent to A, then B, then A..., RUNS times each (default 20), so that both meet the same load. Prints per query
the wall median / p95 of the API answer and the server's CPU per request (from /proc, Linux). The archive's bench
user (bench.run) is made if missing, and asked for a token.
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.run import add_bench_user, api_token
from bench.searches import QUERIES, free_port, get, our_path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def serve(archive, checkout, log, taken=()):
    port = free_port()
    while port in taken:  # the first server may not hold its port yet
        port = free_port()
    env = {**os.environ, "PYTHONPATH": str(checkout), "ARCHIVE_INSECURE_COOKIES": "1"}
    process = subprocess.Popen([sys.executable, "-m", "archive.cli", "--data", str(archive), "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT,
                               cwd=checkout)  # `-m` puts the working directory first on the path
    return port, process


def p95(times):
    ordered = sorted(times)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]  # nearest rank, as bench.measure


def main():
    archive, checkouts, runs = Path(sys.argv[1]), sys.argv[2:4], int(sys.argv[4]) if len(sys.argv) > 4 else 20
    add_bench_user(archive)
    token = {"Authorization": f"Bearer {api_token(archive)}"}
    servers = {}
    try:
        for name, checkout in zip("AB", checkouts):
            servers[name] = serve(archive, checkout, open(os.devnull, "w"), taken={port for port, _ in servers.values()})
        for port, process in servers.values():
            while True:
                try:
                    get(port, "/api/search?q=warm", token, timeout=600)
                    break
                except OSError:
                    if process.poll() is not None:
                        raise SystemExit(f"the server of {checkouts} did not start") from None
                    time.sleep(0.5)
        print(f"A = {checkouts[0]}, B = {checkouts[1]}; load {os.getloadavg()[0]:.1f}", flush=True)
        for _, text, filters in QUERIES:
            path = our_path("/api/search", text, filters)
            walls, cpu = {name: [] for name in servers}, dict.fromkeys(servers, 0.0)
            for port, _ in servers.values():
                get(port, path, token)  # untimed, as the bench's warm call
            for _ in range(runs):
                for name, (port, process) in servers.items():
                    before, started = cpu_seconds(process.pid), time.perf_counter()
                    get(port, path, token)
                    walls[name].append((time.perf_counter() - started) * 1000)
                    cpu[name] += cpu_seconds(process.pid) - before
            print(f"{text or '(empty)':22}" + "   ".join(
                f"{name} {statistics.median(walls[name]):6.1f} / {p95(walls[name]):6.1f} ms, CPU {cpu[name] / runs * 1000:5.1f} ms"
                for name in servers), flush=True)
        print(f"load {os.getloadavg()[0]:.1f}")
    finally:
        for _, process in servers.values():
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
