"""Every connection keeps DuckDB to a memory limit and spills beside the store beyond it, as
DASHBOARD_MEMORY_LIMIT and DASHBOARD_TEMP_DIR say (default: half the memory, "<store>.tmp")."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import cli
from dashboard.store import database


def memory_limit_of(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def temp_directory_of(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('temp_directory')").fetchone()[0]


def as_duckdb_reads(limit: str) -> str:
    """The limit as DuckDB reports it once set ("50%" -> "11.7 GiB" on a 24 GB machine)."""
    con = duckdb.connect()
    try:
        con.execute("SET memory_limit = $limit", {"limit": limit})
        return memory_limit_of(con)
    finally:
        con.close()


def memory_limit_setting(monkeypatch: pytest.MonkeyPatch, setting: str | None) -> None:
    """DASHBOARD_MEMORY_LIMIT set to `setting`, or unset for None."""
    if setting is None:
        monkeypatch.delenv(database.MEMORY_LIMIT_SETTING, raising=False)
    else:
        monkeypatch.setenv(database.MEMORY_LIMIT_SETTING, setting)


@pytest.mark.parametrize("setting", [None, "2GB", "25%"])
def test_a_store_connection_takes_the_memory_limit_and_spills_beside_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str | None
) -> None:
    memory_limit_setting(monkeypatch, setting)
    monkeypatch.delenv(database.TEMP_DIR_SETTING, raising=False)
    store = tmp_path / "store.duckdb"
    con = database.connect(store)
    try:
        assert memory_limit_of(con) == as_duckdb_reads(setting or database.DEFAULT_MEMORY_LIMIT)
        assert memory_limit_of(con) != as_duckdb_reads("80%")  # not DuckDB's own default
        assert temp_directory_of(con) == str(tmp_path / "store.duckdb.tmp")
    finally:
        con.close()


def test_the_temporary_directory_can_be_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(database.TEMP_DIR_SETTING, str(tmp_path / "spill"))
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "default.duckdb"))
    con = database.connect(tmp_path / "store.duckdb")
    scratch = database.scratch()
    try:
        assert temp_directory_of(con) == str(tmp_path / "spill")
        assert temp_directory_of(scratch) == str(tmp_path / "spill")
    finally:
        con.close()
        scratch.close()


def test_a_scratch_database_spills_beside_the_default_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(database.TEMP_DIR_SETTING, raising=False)
    monkeypatch.setenv(database.MEMORY_LIMIT_SETTING, "3GB")
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "default.duckdb"))
    scratch = database.scratch()
    try:
        assert memory_limit_of(scratch) == as_duckdb_reads("3GB")
        assert temp_directory_of(scratch) == str(tmp_path / "default.duckdb.tmp")
    finally:
        scratch.close()


def test_work_beyond_the_limit_spills_to_the_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(database.MEMORY_LIMIT_SETTING, "64MB")
    monkeypatch.delenv(database.TEMP_DIR_SETTING, raising=False)
    store = tmp_path / "store.duckdb"
    con = database.connect(store)
    try:
        assert not (tmp_path / "store.duckdb.tmp").exists()  # made when first needed
        # Two million distinct 64-character texts grouped: several times the limit.
        groups = con.execute(
            "SELECT count(*) FROM (SELECT s FROM (SELECT md5(range::VARCHAR) || "
            "md5(range::VARCHAR) AS s FROM range(2000000)) GROUP BY s)"
        ).fetchone()[0]
        spilled = (tmp_path / "store.duckdb.tmp").is_dir()  # DuckDB removes it on closing
    finally:
        con.close()
    assert groups == 2_000_000
    assert spilled


def test_an_unreadable_memory_limit_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv(database.MEMORY_LIMIT_SETTING, "lots")
    code = cli.main(["consultation", "list", "--db", str(tmp_path / "store.duckdb")])
    assert code == 1
    error = capsys.readouterr().err
    assert "DASHBOARD_MEMORY_LIMIT='lots'" in error
    assert "50%" in error


@pytest.mark.parametrize("setting", [None, "3GB"])
def test_the_dashboard_server_reads_within_its_own_smaller_limit_and_writes_within_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str | None
) -> None:
    # The server holds the store as long as it runs and DuckDB keeps what it read up to its
    # limit: its default is SERVER_MEMORY_LIMIT, not half the machine; the variable still wins.
    from dashboard.store.gate import StoreGate
    from dashboard.web import data

    memory_limit_setting(monkeypatch, setting)
    store = tmp_path / "store.duckdb"
    database.connect(store).close()
    monkeypatch.setenv("DASHBOARD_DB", str(store))
    data._gate.clear()
    try:
        expected = as_duckdb_reads(setting or database.SERVER_MEMORY_LIMIT)
        assert memory_limit_of(data.cursor()) == expected
        # An import from the Import page, a codebook change: the commands' limit while it runs
        # (ten million answers re-tagged within 1 GB ran out of memory), then reads go back.
        with data._gate(str(store)).writing() as con:
            assert memory_limit_of(con) == as_duckdb_reads(setting or database.DEFAULT_MEMORY_LIMIT)
        assert memory_limit_of(data.cursor()) == expected
        assert as_duckdb_reads(database.SERVER_MEMORY_LIMIT) != as_duckdb_reads(
            database.DEFAULT_MEMORY_LIMIT
        )
    finally:
        StoreGate.close_all()
        data._gate.clear()
    # A command on the same store keeps the commands' default.
    con = database.connect(store)
    try:
        assert memory_limit_of(con) == as_duckdb_reads(setting or database.DEFAULT_MEMORY_LIMIT)
    finally:
        con.close()


def test_a_server_joining_a_store_this_process_writes_leaves_that_writer_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB keeps one database per file and process, and its memory limit is the database's:
    # the gate joining a writer here (a test, a tool) must not shrink it to the reads' limit.
    from dashboard.store.gate import StoreGate

    memory_limit_setting(monkeypatch, None)
    store = tmp_path / "store.duckdb"
    writer = database.connect(store)
    gate = StoreGate(str(store), memory_limit=database.SERVER_MEMORY_LIMIT)
    try:
        assert gate.cursor().execute("SELECT 1").fetchall() == [(1,)]
        assert memory_limit_of(writer) == as_duckdb_reads(database.DEFAULT_MEMORY_LIMIT)
    finally:
        gate.close()
        writer.close()


@pytest.mark.parametrize("limit", ["11.74GiB", "18.8GiB", "476.8MiB", "1GB", "3GiB"])
def test_a_limit_set_for_a_while_comes_back_as_it_was(limit: str) -> None:
    """DuckDB shows its limit cut to one decimal; set back from that again and again (an import
    in parts limits its writing, then its counting), it does not shrink."""
    con = duckdb.connect()
    try:
        con.execute("SET memory_limit = $limit", {"limit": limit})

        def shown() -> str:
            return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]

        own = shown()
        for _ in range(3):
            with database.memory_limited(con, "300MB"):
                assert shown() == "286.1 MiB"
        assert shown() == own
    finally:
        con.close()
