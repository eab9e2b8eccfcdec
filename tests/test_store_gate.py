"""The dashboard's store gate (dashboard/store/gate.py) against a command that holds the store:
the app's writes wait a bounded time, then either go in or raise `StoreBusy` naming the holder
with nothing written, and the app's readers go on either way; the app's audit entries are never
lost (spooled, then moved in by the next write). `test_concurrent_imports.py` has the gate's
threads: two imports at once while a page reads."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.store import database, queries
from dashboard.store.gate import StoreGate
from dashboard.store.summary import summary
from dashboard.web import data
from tests.conftest import store_snapshot

CONSULTATION = "civic-space-2020"


def cli_reader(store: Path, seconds: float | None) -> subprocess.Popen[str]:
    """A command holding the store read-only (as `export` does while it draws), for `seconds`
    (None: until its stdin closes)."""
    wait = "sys.stdin.read()" if seconds is None else f"time.sleep({seconds}); con.close(); "
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
            f"print('held', flush=True); {wait}" + ("" if seconds is None else "time.sleep(60)"),
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def gate(sample_copy: Path) -> Iterator[StoreGate]:
    gate = StoreGate(str(sample_copy), write_wait=1)
    assert summary(gate.cursor(), CONSULTATION)["respondents"] == 3000  # the app reads
    yield gate
    gate.close()


def audit_actions(gate: StoreGate) -> list[tuple[str, str]]:
    rows = queries.frame(gate.cursor(), "store/audit_log", {"limit": 100})
    return list(zip(rows["who"], rows["action"], strict=True))


def test_a_write_beside_a_reading_command_waits_then_goes_in(gate: StoreGate) -> None:
    gate.write_wait = 60
    holder = cli_reader(Path(gate.path), seconds=2)
    try:
        with gate.writing() as con:
            database.audit(con, "ana", "exact_figures", CONSULTATION, {})
    finally:
        holder.kill()
        holder.wait()
    assert ("ana", "exact_figures") in audit_actions(gate)
    assert summary(gate.cursor(), CONSULTATION)["respondents"] == 3000


def test_a_write_gives_up_naming_the_command_and_writes_nothing(gate: StoreGate) -> None:
    store = Path(gate.path)
    holder = cli_reader(store, seconds=None)
    try:
        before = store_snapshot(store)
        with pytest.raises(database.StoreBusy) as refused, gate.writing() as con:
            database.audit(con, "ana", "exact_figures", CONSULTATION, {})
        assert refused.value.holder.startswith(f"process {holder.pid} (")
        assert "(waited 1 s)" in str(refused.value)
        # The app's readers go on, on the store as it was.
        assert summary(gate.cursor(), CONSULTATION)["respondents"] == 3000
        assert store_snapshot(store) == before
    finally:
        holder.communicate("", timeout=30)
    with gate.writing() as con:  # once the command is done, the next write goes in
        database.audit(con, "ana", "exact_figures", CONSULTATION, {})
    assert audit_actions(gate).count(("ana", "exact_figures")) == 1


@pytest.fixture
def app_store(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's data layer on a copy of the sample store; its gate closed afterwards."""
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    yield sample_copy
    with contextlib.suppress(Exception):
        data._gate(str(sample_copy)).close()
    data._gate.clear(str(sample_copy))


def test_the_apps_audit_entry_beside_a_command_is_spooled_then_lands(app_store: Path) -> None:
    gate = data._gate(str(app_store))
    gate.write_wait = 1
    holder = cli_reader(app_store, seconds=None)
    try:
        data.audit("ana", "exact_figures", CONSULTATION, {"filters": "none"})
        spooled = [
            json.loads(line) for line in database.spool_path(app_store).read_text().splitlines()
        ]
        assert [(e["who"], e["action"]) for e in spooled] == [("ana", "exact_figures")]
        # The audit log page cannot move it in while the command holds the store ...
        assert ("ana", "exact_figures") not in set(
            zip(data.audit_log()["who"], data.audit_log()["action"], strict=True)
        )
    finally:
        holder.communicate("", timeout=30)
    # ... and moves it in once it is free.
    log = data.audit_log()
    assert list(zip(log["who"], log["action"], strict=True)).count(("ana", "exact_figures")) == 1
    assert json.loads(log["details"][list(log["who"]).index("ana")]) == {"filters": "none"}
    assert database.spool_path(app_store).read_text() == ""


def test_an_undo_in_the_app_beside_a_command_says_who_and_changes_nothing(
    app_store: Path,
) -> None:
    data._gate(str(app_store)).write_wait = 1
    before = store_snapshot(app_store)
    holder = cli_reader(app_store, seconds=None)
    try:
        with pytest.raises(database.StoreBusy) as refused:
            data.undo(CONSULTATION, 1, "ana")
        assert refused.value.holder.startswith(f"process {holder.pid} (")
    finally:
        holder.communicate("", timeout=30)
    assert store_snapshot(app_store) == before
    assert data.undo(CONSULTATION, 1, "ana") > 0  # the same undo, once the command is done


def test_a_view_of_exact_figures_is_audited_without_reopening_the_store(app_store: Path) -> None:
    gate = data._gate(str(app_store))
    data.version()  # the app reads: the store is open read-only
    data.audit("ana", "exact_figures_on_screen", CONSULTATION, {"filters": "none"})
    data.audit("ana", "report_pack", CONSULTATION, {"file": "pack.zip"})
    assert gate.cycles == 0  # two lines beside the store, no write cycle
    log = data.audit_log()  # the Audit log page: one cycle moves both in
    assert gate.cycles == 1
    assert list(zip(log["who"], log["action"], strict=True))[:2] == [
        ("ana", "report_pack"),
        ("ana", "exact_figures_on_screen"),
    ]
