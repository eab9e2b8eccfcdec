"""How long each run of the app's script takes on the server, apart from the network and the
browser: for the benchmark's concurrent sessions (benchmarks/browser.py), which set
DASHBOARD_RERUN_LOG. Nothing is written without it; nothing in it names a respondent or a user.
"""

from __future__ import annotations

import json
import os
import time

SETTING = "DASHBOARD_RERUN_LOG"


def note(started: float, page: str) -> None:
    """Append one JSON line (when the run ended, its seconds, the page) to the file the
    setting names; `started` is the run's `time.perf_counter()` at its start."""
    path = os.environ.get(SETTING)
    if not path:
        return
    line = json.dumps(
        {"ended": time.time(), "seconds": time.perf_counter() - started, "page": page}
    )
    # One write of one short line in append mode: lines of runs in other threads never mix.
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")
