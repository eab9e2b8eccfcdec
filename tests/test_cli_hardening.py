"""The CLI against a careless or hostile setting: a store another process holds, file names
that try to forge lines in listings, imports and undos that must leave a trace in the audit
log. (The same commands beside a real running dashboard: `test_browser_beside_app.py`.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard import cli
from dashboard.store import database
from tests.conftest import ROOT, SAMPLE_DIR

CONSULTATION = "civic-space-2020"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m dashboard ...` in its own process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def held_store(sample_copy: Path) -> Iterator[tuple[Path, int]]:
    """The store held open for writing by another process, as the dashboard holds it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read()",
            str(sample_copy),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield sample_copy, holder.pid
    holder.communicate("", timeout=30)


@pytest.mark.parametrize(
    "command",
    [
        ["summary", "--consultation", CONSULTATION],
        ["imports", "--consultation", CONSULTATION],
        ["export", "--consultation", CONSULTATION, "--out", "OUT"],
        ["import", "--consultation", CONSULTATION, str(SAMPLE_DIR / "responses_en.csv")],
        ["undo", "--consultation", CONSULTATION, "--import", "1"],
        ["consultation", "list"],
    ],
)
def test_a_held_store_is_named_with_its_holder_never_a_traceback(
    command: list[str], held_store: tuple[Path, int], tmp_path: Path
) -> None:
    store, pid = held_store
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = run_cli(*args, "--db", str(store))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith(f"error: the store {store} is in use by process {pid} (")
    assert "python" in result.stderr  # the holder's command line
    assert "--wait SECONDS" in result.stderr


def test_waiting_for_a_held_store_gives_up_politely(held_store: tuple[Path, int]) -> None:
    store, pid = held_store
    result = run_cli("summary", "--consultation", CONSULTATION, "--db", str(store), "--wait", "1")
    assert result.returncode == 1
    assert f"in use by process {pid}" in result.stderr and "(waited 1 s)" in result.stderr


def test_waiting_gets_the_store_once_it_is_released(sample_copy: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); print('held', "
            "flush=True); time.sleep(2); con.close(); time.sleep(30)",
            str(sample_copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run_cli(
            "summary", "--consultation", CONSULTATION, "--db", str(sample_copy), "--wait", "60"
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["respondents"] > 0


def test_a_store_that_is_not_a_store_is_refused_with_a_message(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("this is not a DuckDB file\n" * 100, encoding="utf-8")
    assert cli.main(["summary", "--consultation", CONSULTATION, "--db", str(bogus)]) == 1
    assert capsys.readouterr().err.startswith(f"error: the store {bogus} cannot be opened")


@pytest.fixture
def store_with_consultation(tmp_path: Path) -> Path:
    store = tmp_path / "store.duckdb"
    definition = str(SAMPLE_DIR / f"{CONSULTATION}.toml")
    assert cli.main(["consultation", "add", definition, "--db", str(store)]) == 0
    return store


def test_a_file_name_cannot_forge_lines_in_the_listing(
    store_with_consultation: Path, tmp_path: Path, capsys
) -> None:
    forged = "x.csv\n2\t2020-01-01 00:00:00Z\tforged.csv\t1 bytes\tsha256:000000000000"
    hostile = tmp_path / f"{forged}\x1b[2K\u202e.csv"
    shutil.copy(SAMPLE_DIR / "responses_en.csv", hostile)
    db = ["--db", str(store_with_consultation)]
    assert cli.main(["import", "--consultation", CONSULTATION, str(hostile), *db]) == 0
    printed = capsys.readouterr().out
    assert "forged.csv" in printed and "\n2\t" not in printed and "\x1b" not in printed
    assert cli.main(["imports", "--consultation", CONSULTATION, *db]) == 0
    listing = capsys.readouterr().out
    assert listing.count("\n") == 1  # one import, one line
    assert listing.split("\t")[2] == (
        "x.csv\\x0a2\\x092020-01-01 00:00:00Z\\x09forged.csv\\x091 bytes\\x09"
        "sha256:000000000000\\x1b[2K\\u202e.csv"
    )


def test_cli_imports_and_undos_are_in_the_audit_log(store_with_consultation: Path, capsys) -> None:
    db = ["--db", str(store_with_consultation)]
    export = str(SAMPLE_DIR / "responses_en.csv")
    assert cli.main(["import", "--consultation", CONSULTATION, "--by", "ana", export, *db]) == 0
    assert cli.main(["undo", "--consultation", CONSULTATION, "--import", "1", *db]) == 0
    capsys.readouterr()
    con = duckdb.connect(str(store_with_consultation), config=dict(database.CONNECTION_CONFIG))
    try:
        rows = con.execute(
            "SELECT who, action, consultation_id, details FROM audit_log ORDER BY happened_at"
        ).fetchall()
    finally:
        con.close()
    assert [(who.startswith("cli:"), action, c) for who, action, c, _ in rows] == [
        (True, "import", CONSULTATION),
        (True, "undo", CONSULTATION),
    ]
    imported, undone = (json.loads(details) for *_, details in rows)
    assert imported["import_id"] == 1 and imported["file"] == "responses_en.csv"
    assert imported["recorded_as"] == "ana" and imported["responses"] > 0
    assert undone["import_id"] == 1
