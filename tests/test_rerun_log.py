"""The server's own time per run of a page, for the benchmark: written only where
DASHBOARD_RERUN_LOG names a file, one JSON line per run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dashboard.web import rerun_log


def test_nothing_is_written_without_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(rerun_log.SETTING, raising=False)
    monkeypatch.chdir(tmp_path)
    rerun_log.note(time.perf_counter(), "overview")
    assert list(tmp_path.iterdir()) == []


def test_each_run_is_one_line_with_its_seconds_and_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "reruns.jsonl"
    monkeypatch.setenv(rerun_log.SETTING, str(log))
    before = time.time()
    rerun_log.note(time.perf_counter() - 0.25, "themes")
    rerun_log.note(time.perf_counter(), "overview")
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert [run["page"] for run in runs] == ["themes", "overview"]
    assert runs[0]["seconds"] >= 0.25 > runs[1]["seconds"] >= 0
    assert all(run["ended"] >= before for run in runs)
