"""Timing and memory of a command run in a fresh process, and small statistics helpers.

Peak memory is the process's own maximum resident set size as the kernel counts it
(`wait4`'s `ru_maxrss`: exact, no sampling). The command is started by a small launcher process,
not by the benchmark itself: Linux carries the high-water mark of the parent's memory into a
child started with fork/vfork and exec, so a child of a benchmark holding large DataFrames would
report the benchmark's peak, not its own (the launcher's own ~10 MB is the bias left). A watchdog
polls the process tree with psutil every 50 ms and stops it if it goes beyond a limit, so a
runaway import cannot take the machine down; the figure is then reported as "stopped at the
limit".
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
# Runs argv[2:] and writes its exit status and its own peak RSS (kB) to the file argv[1].
LAUNCHER = """
import json, os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"status": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss}, out)
sys.exit(0)
"""


@dataclass
class ProcessRun:
    command: list[str]
    seconds: float
    peak_rss_mb: float  # the process's own maximum (ru_maxrss)
    peak_tree_mb: float  # the polled maximum of the process and its children (50 ms samples)
    returncode: int
    stopped_at_limit: bool
    output_tail: str

    def to_dict(self) -> dict:
        data = asdict(self)
        data["command"] = " ".join(self.command)
        return data


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its children (0 once it is gone)."""
    try:
        processes = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in processes:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


class TreeSampler:
    """Samples a process tree's RSS in a thread until stopped; `peak` is the largest sample."""

    def __init__(self, pid: int, interval: float = 0.05, limit_bytes: int | None = None) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.limit = limit_bytes
        self.peak = 0
        self.samples = 0
        self.over_limit = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = tree_rss(self.process)
            self.samples += 1
            self.peak = max(self.peak, rss)
            if self.limit and rss > self.limit and not self.over_limit:
                self.over_limit = True
                for p in [*self._children(), self.process]:
                    with contextlib.suppress(psutil.Error):
                        p.kill()
            self._stop.wait(self.interval)

    def _children(self) -> list[psutil.Process]:
        try:
            return self.process.children(recursive=True)
        except psutil.Error:
            return []


def run_measured(
    command: list[str],
    *,
    limit_bytes: int | None = None,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    log: Path | None = None,
) -> ProcessRun:
    """Run `command` to its end in a fresh process; wall time and peak memory."""
    out = log.open("wb") if log else subprocess.DEVNULL
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage.json"
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(report), *command],
                cwd=cwd,
                env={**os.environ, **(env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            with TreeSampler(process.pid, limit_bytes=limit_bytes) as sampler:
                process.wait()
            seconds = time.perf_counter() - start
        finally:
            if log:
                out.close()
        usage = json.loads(report.read_text()) if report.exists() else None
    tail = log.read_text(errors="replace")[-2000:] if log else ""
    return ProcessRun(
        command=command,
        seconds=seconds,
        # Linux reports kilobytes; the polled figure stands in when the launcher was stopped.
        peak_rss_mb=usage["maxrss_kb"] / 1024 if usage else sampler.peak / MB,
        peak_tree_mb=sampler.peak / MB,
        returncode=usage["status"] if usage else -9,
        stopped_at_limit=sampler.over_limit,
        output_tail=tail,
    )


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(seconds: list[float]) -> dict:
    """Median and 95th percentile in milliseconds, with the number of runs."""
    return {
        "median_ms": statistics.median(seconds) * 1000 if seconds else math.nan,
        "p95_ms": percentile(seconds, 95) * 1000,
        "min_ms": min(seconds) * 1000 if seconds else math.nan,
        "runs": len(seconds),
    }
