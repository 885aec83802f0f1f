"""How the benchmarks measure: repeated timings as median / p95, child processes' peak memory, the machine."""
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from importlib import metadata

# Runs a command and prints the largest peak RSS (KiB) of it and every process it started and waited for.
_PEAK = ("import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)")


def timings(call, repeat, warm=1, budget_s=None, minimum=5):
    """Milliseconds of `repeat` calls, after `warm` untimed ones; fewer (but at least `minimum`) once
    the calls have taken `budget_s` seconds in all, so that a peer taking seconds a call still ends."""
    for _ in range(warm):
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
        if budget_s and len(times) >= minimum and sum(times) > budget_s * 1000:
            break
    return times


def summary(times):
    """(median, p95) of a list of numbers (p95 by the nearest rank)."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_child(command, **kwargs):
    """Run `command` in a fresh process; (seconds, peak RSS in MB of its largest process, CompletedProcess)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *map(str, command)], capture_output=True, text=True,
                          **kwargs)
    seconds = time.perf_counter() - started
    *stderr, peak = done.stderr.rstrip("\n").split("\n")
    done.stderr = "\n".join(stderr)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed: {done.stderr[-2000:]}")
    return seconds, int(peak) / 1024, done


def archive_command(data_root, *args):
    return [sys.executable, "-m", "archive.cli", "--data", str(data_root), *map(str, args)]


def machine():
    """What the figures were measured on, for the results file."""
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or platform.machine())
    memory_kb = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    versions = {name: _version(name) for name in ("Whoosh", "datasette", "Flask", "waitress", "sqlite-utils")}
    return {
        "cpu": f"{os.cpu_count()} × {cpu}", "ram": f"{memory_kb / 1024 / 1024:.0f} GiB",
        "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, **versions, "load": _load(),
    }


def _load():
    one, five, _ = os.getloadavg()
    return f"{one:.1f} / {five:.1f} (1 / 5 min)"


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _lines(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except OSError:
        return []


def busy_processes():
    """Processes other than this one using ≥10% of a CPU right now (the machine is shared), as
    'pid name'; the benchmark's own servers and children are among them while they run."""
    ps = subprocess.run(["ps", "-eo", "pid,pcpu,comm", "--sort=-pcpu"], capture_output=True, text=True)
    found = []
    for line in ps.stdout.splitlines()[1:]:
        pid, cpu, name = line.split(None, 2)
        if float(cpu) >= 10 and int(pid) != os.getpid() and name != "ps":
            found.append(f"{pid} {name}")
    return found


def peak_rss_mb():
    """This process's own peak RSS so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
