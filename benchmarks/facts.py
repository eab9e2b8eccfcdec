"""The facts after an import (`python -m benchmarks.facts STORE [--runs N]`): on a store of
several imports, the facts, cube and unfiltered views made again for the newest import's
respondents, as an import and its undo now do, against the whole consultation's, as every import
did before and a codebook or definition change still does.

Side by side in one process, alternately, each in a transaction rolled back (the store is left as
it was); medians of `--runs`. A figure, not a test: `tests/test_incremental_facts.py` checks that
both give the same facts.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dashboard.store import database, queries

CONSULTATION = "civic-space-2020"


def measure(store: Path, runs: int, consultation_id: str = CONSULTATION) -> dict:
    con = database.connect(store)
    try:
        key = {"consultation": consultation_id}
        imports = queries.frame(con, "store/imports", key)
        newest = int(imports["import_id"].max())
        queries.execute(con, "store/create_affected_respondents", {**key, "import_id": newest})
        touched = queries.first_row(con, "store/affected_respondents_count")[0]
        seconds: dict[str, list[float]] = {"touched": [], "whole": []}
        for _ in range(runs):
            for kind in ("touched", "whole"):
                con.execute("BEGIN TRANSACTION")
                started = time.perf_counter()
                try:
                    database.refresh_facts(con, consultation_id, affected_only=kind == "touched")
                    seconds[kind].append(time.perf_counter() - started)
                finally:
                    con.execute("ROLLBACK")
    finally:
        con.close()
    return {
        "import_id": newest,
        "respondents_touched": touched,
        "imports": len(imports),
        "responses": int(imports["responses_loaded"].sum()),
        **{f"{kind}_median_s": statistics.median(times) for kind, times in seconds.items()},
        **{f"{kind}_s": times for kind, times in seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    result = measure(args.store, args.runs)
    print(
        f"{result['respondents_touched']:,} respondents touched by import {result['import_id']}"
        f" (of {result['imports']} imports, {result['responses']:,} responses):"
        f" made again for them {result['touched_median_s']:.2f} s,"
        f" for everyone {result['whole_median_s']:.2f} s (medians of {args.runs})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
