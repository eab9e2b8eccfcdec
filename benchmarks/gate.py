"""What one write through the dashboard's store gate costs (dashboard/store/gate.py): the
read-only connection closed, the store opened for writing (schema checked, spooled audit
entries moved), one audit entry written, a checkpoint, and the store opened read-only again.
That is the price of every app write beside CLI readers, paid once per import or tag edit, and
per audited view of exact figures or download.

    python -m benchmarks.gate STORE [STORE ...] [--runs 20]

Each store is copied first (the measurement writes to it). Prints one line per store: the
median and 95th percentile of a whole cycle, of its two openings alone, and of the summary's
figures (`python -m dashboard summary`) read right after a cycle and once more (warm).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from dashboard.store import database, queries
from dashboard.store.gate import StoreGate
from dashboard.store.summary import summary

CONSULTATION = "civic-space-2020"


def _quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms"


def measure(store: Path, runs: int) -> dict[str, list[float]]:
    gate = StoreGate(str(store))
    queries.first_row(gate.cursor(), "store/data_version")  # open it read-only first
    cycle, opening_rw, opening_ro = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        with gate.writing() as con:
            database.audit(con, "benchmark", "gate_cycle", None, {})
        queries.first_row(gate.cursor(), "store/data_version")
        cycle.append(time.perf_counter() - start)
    # The price after the cycle: the reopened connection starts with DuckDB's buffers empty, so
    # the first figures are read from the file (from the system's cache, usually) again.
    after_cycle, warm = [], []
    for _ in range(max(3, runs // 4)):
        with gate.writing() as con:
            database.audit(con, "benchmark", "gate_cycle", None, {})
        start = time.perf_counter()
        summary(gate.cursor(), CONSULTATION)
        after_cycle.append(time.perf_counter() - start)
        start = time.perf_counter()
        summary(gate.cursor(), CONSULTATION)
        warm.append(time.perf_counter() - start)
    gate.close()
    for _ in range(runs):
        start = time.perf_counter()
        database.connect(store).close()
        opening_rw.append(time.perf_counter() - start)
        start = time.perf_counter()
        database.connect(store, read_only=True).close()
        opening_ro.append(time.perf_counter() - start)
    return {
        "cycle": cycle,
        "open read-write": opening_rw,
        "open read-only": opening_ro,
        "summary, cold": after_cycle,
        "summary, warm": warm,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for store in args.stores:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / store.name
            shutil.copy(store, copy)
            size = copy.stat().st_size / 2**20
            for name, values in measure(copy, args.runs).items():
                print(f"{store.name} ({size:,.0f} MB) {name:16}: {_quantiles(values)}")


if __name__ == "__main__":
    main()
