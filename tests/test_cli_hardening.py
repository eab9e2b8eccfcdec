"""The CLI against a careless or hostile setting: a store another process holds (for writing,
or read-only as the dashboard holds it), file names that try to forge lines in listings, imports
and undos that must leave a trace in the audit log. (The same commands beside a real running
dashboard: `test_browser_beside_app.py`.)"""

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
from dashboard.store.summary import summary
from tests.conftest import ROOT, SAMPLE_DIR, store_snapshot

CONSULTATION = "civic-space-2020"


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m dashboard ...` in its own process, as an operator runs it (with `env` added
    to its environment)."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def hold(store: Path, *, read_only: bool) -> subprocess.Popen[str]:
    """Another process holding the store (for writing, as a command that writes; read-only,
    as the dashboard between its writes) until its stdin closes."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "
            "'ro'); print('held', flush=True); sys.stdin.read()",
            str(store),
            "ro" if read_only else "rw",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def held_store(sample_copy: Path) -> Iterator[tuple[Path, int]]:
    """The store held open for writing by another process."""
    holder = hold(sample_copy, read_only=False)
    yield sample_copy, holder.pid
    holder.communicate("", timeout=30)


@pytest.fixture
def read_store(sample_copy: Path) -> Iterator[tuple[Path, int]]:
    """The store held open read-only by another process, as the dashboard holds it."""
    holder = hold(sample_copy, read_only=True)
    yield sample_copy, holder.pid
    holder.communicate("", timeout=30)


READS = [
    ["summary", "--consultation", CONSULTATION],
    ["imports", "--consultation", CONSULTATION],
    ["export", "--consultation", CONSULTATION, "--out", "OUT"],
    ["consultation", "list"],
    ["codebook", "show", "--consultation", CONSULTATION],
]
WRITES = [
    ["import", "--consultation", CONSULTATION, str(SAMPLE_DIR / "responses_en.csv")],
    ["undo", "--consultation", CONSULTATION, "--import", "1"],
    ["codebook", "set", "--consultation", CONSULTATION, str(SAMPLE_DIR / "OUT")],
    ["consultation", "add", str(SAMPLE_DIR / f"{CONSULTATION}.toml")],
]


def with_out(command: list[str], tmp_path: Path) -> list[str]:
    """The command with OUT made a file: the codebook for `codebook set`, else a new folder."""
    out = str(tmp_path / "out")
    if command[0] == "codebook":
        out = str(SAMPLE_DIR / f"{CONSULTATION}.codebook.toml")
    return [out if a.endswith("OUT") else a for a in command]


@pytest.mark.parametrize("command", READS + WRITES)
def test_a_store_held_for_writing_is_named_with_its_holder_never_a_traceback(
    command: list[str], held_store: tuple[Path, int], tmp_path: Path
) -> None:
    store, pid = held_store
    result = run_cli(*with_out(command, tmp_path), "--db", str(store))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    being = "is being written by" if command in READS else "is in use by"
    assert result.stderr.startswith(f"error: the store {store} {being} process {pid} (")
    assert "python" in result.stderr  # the holder's command line
    assert "--wait SECONDS" in result.stderr


def test_beside_a_reader_the_reads_run_and_agree_with_it(
    read_store: tuple[Path, int], tmp_path: Path
) -> None:
    store, _pid = read_store
    con = database.connect(store, read_only=True)  # a third reader: the figures to agree with
    try:
        expected = json.loads(json.dumps(summary(con, CONSULTATION), ensure_ascii=False))
        imports = con.execute("SELECT import_id, file_name FROM imports ORDER BY 1 DESC").fetchall()
    finally:
        con.close()
    result = run_cli("summary", "--consultation", CONSULTATION, "--json", "--db", str(store))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected and expected["respondents"] == 3000
    result = run_cli("imports", "--consultation", CONSULTATION, "--db", str(store))
    assert result.returncode == 0, result.stderr
    assert [tuple(line.split("\t")[:3:2]) for line in result.stdout.splitlines()] == [
        (str(i), name) for i, name in imports
    ]
    assert len(imports) == 3
    # The export, the third read, runs beside a reader in the next test (a comparison), and as
    # the whole report pack beside the running app (test_browser_beside_app.py).


@pytest.mark.parametrize("command", WRITES)
def test_beside_a_reader_writes_are_refused_naming_it_and_change_nothing(
    command: list[str], read_store: tuple[Path, int], tmp_path: Path
) -> None:
    store, pid = read_store
    before = store_snapshot(store)
    result = run_cli(*with_out(command, tmp_path), "--db", str(store))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith(f"error: the store {store} is in use by process {pid} (")
    assert "Import page" in result.stderr and "Commands that only read" in result.stderr
    assert store_snapshot(store) == before


def audit_rows(store: Path) -> list[tuple]:
    con = database.connect(store, read_only=True)
    try:
        return con.execute(
            "SELECT who, action, consultation_id, details FROM audit_log ORDER BY happened_at"
        ).fetchall()
    finally:
        con.close()


def test_an_export_beside_a_reader_is_spooled(read_store: tuple[Path, int], tmp_path: Path) -> None:
    store, _pid = read_store
    before = audit_rows(store)
    out = tmp_path / "pack"
    # A comparison export, audited like the report pack (which test_browser_beside_app.py
    # writes beside the running app), without drawing its images again.
    result = run_cli(
        "export", "--consultation", CONSULTATION, "--out", str(out), "--exact", "--compare",
        "--segment", "all", "--segment", "language=fr", "--db", str(store),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    spool = database.spool_path(store)
    assert f"note: the audit entry waits in {spool}" in result.stderr
    (entry,) = (json.loads(line) for line in spool.read_text().splitlines())
    assert entry["action"] == "export" and entry["who"].startswith("cli:")
    assert audit_rows(store) == before  # not yet: the store is read-only for everybody


def test_the_spooled_export_entry_lands_with_the_next_write(
    sample_copy: Path, tmp_path: Path
) -> None:
    store = sample_copy
    holder = hold(store, read_only=True)
    try:
        out = tmp_path / "pack"
        # A comparison export: audited like the report pack, without drawing its images.
        result = run_cli(
            "export", "--consultation", CONSULTATION, "--out", str(out), "--exact", "--compare",
            "--segment", "all", "--segment", "language=fr", "--db", str(store),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert database.spool_path(store).stat().st_size > 0
    finally:
        holder.communicate("", timeout=30)
    definition = str(SAMPLE_DIR / f"{CONSULTATION}.toml")
    result = run_cli("consultation", "add", definition, "--db", str(store))
    assert result.returncode == 0, result.stderr
    assert database.spool_path(store).read_text() == ""
    # This export's entry (the session's sample store may carry other tests' exports).
    exports = [
        row for row in audit_rows(store)
        if row[1] == "export" and json.loads(row[3]).get("folder") == str(out)
    ]  # fmt: skip
    assert len(exports) == 1
    who, _action, consultation, details = exports[0]
    assert who.startswith("cli:") and consultation == CONSULTATION
    assert json.loads(details)["folder"] == str(out) and json.loads(details)["exact"] is True
    assert len(json.loads(details)["segments"]) == 2


def test_an_export_with_the_store_free_is_audited_at_once(
    sample_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    result = run_cli("export", "--consultation", CONSULTATION, "--out", str(out), "--compare",
                     "--segment", "all", "--segment", "language=fr", "--db",
                     str(sample_copy))  # fmt: skip
    assert result.returncode == 0 and "note:" not in result.stderr, result.stderr
    ours = [
        row for row in audit_rows(sample_copy)
        if row[1] == "export" and json.loads(row[3]).get("folder") == str(out)
    ]  # fmt: skip
    assert len(ours) == 1
    assert database.spool_path(sample_copy).read_text() == ""


def test_a_spooled_line_that_cannot_be_read_is_kept_not_lost(sample_copy: Path) -> None:
    spool = database.spool_path(sample_copy)
    database.spool_audit(sample_copy, "cli:ana", "export", CONSULTATION, {"folder": "x"})
    with spool.open("a", encoding="utf-8") as handle:
        handle.write('{"happened_at": "2020-01-01T00:00:00+00:00", "who": "cli:b", "details": "{')
        handle.write("\n")  # a process killed mid-write, or a hand edit
    database.connect(sample_copy).close()
    rows = audit_rows(sample_copy)
    assert [(who, action) for who, action, *_ in rows[-2:]] == [
        ("cli:ana", "export"),
        ("unknown", "unreadable_spooled_entry"),
    ]
    assert '"who": "cli:b"' in json.loads(rows[-1][3])["spooled_line"]
    assert spool.read_text() == ""


def test_a_write_waits_for_a_reader_that_lets_go(sample_copy: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print('held', flush=True); time.sleep(2); con.close(); time.sleep(30)",
            str(sample_copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run_cli(
            "undo", "--consultation", CONSULTATION, "--import", "1", "--db", str(sample_copy),
            "--wait", "60",
        )  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Undid import 1")


def test_waiting_for_a_held_store_gives_up_politely(held_store: tuple[Path, int]) -> None:
    store, pid = held_store
    result = run_cli("summary", "--consultation", CONSULTATION, "--db", str(store), "--wait", "1")
    assert result.returncode == 1
    assert f"being written by process {pid}" in result.stderr and "(waited 1 s)" in result.stderr


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


def test_an_export_without_a_browser_for_its_images_is_a_message(
    sample_copy: Path, tmp_path: Path
) -> None:
    # Kaleido draws the pack's chart images in Chromium; where there is none it used to wait
    # for ever. A browser path that leads nowhere stands for a machine without Chromium.
    result = run_cli(
        "export", "--consultation", CONSULTATION, "--out", str(tmp_path / "pack"), "--db",
        str(sample_copy), BROWSER_PATH=str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("error: Chart images (PNG, SVG, PDF) cannot be made: no ")
    assert "BROWSER_PATH" in result.stderr
    assert not (tmp_path / "pack" / "report.docx").exists()


def test_an_export_folder_that_cannot_be_made_is_a_message(
    sample_copy: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = run_cli(
        "export", "--consultation", CONSULTATION, "--out", str(blocker / "pack"), "--db",
        str(sample_copy),
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert result.stderr == f"error: [Errno 20] Not a directory: '{blocker / 'pack'}'\n"
