"""An import in parts commits its rows before it tags and counts them (issue 18: inside one
transaction, ten million answers needed more than a gigabyte to tag and count). A failure
between the two leaves the store as it was; an import stopped between them (the process killed)
is left out of every figure, said so on every page, and can be counted or undone."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.coding import tagging
from dashboard.importer import parted, pipeline
from dashboard.importer.mapping import Mapping
from dashboard.store import database
from tests.conftest import copy_of, store_snapshot
from tests.test_access import AUTH
from tests.test_parted_import import HEADER, ROWS

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
CONSULTATION = "civic-space-2020"
# What a write records about itself rather than about the consultation's data.
BOOKKEEPING = ("imports", "audit_log", "store_version")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "large.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def _import_in_parts(store: Path, path: Path) -> pipeline.ImportReport:
    con = database.connect(store)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        mapping = Mapping(blank_values=("n/a",))
        return parted.import_file(con, path, consultation, mapping, in_parts_from=0, part_rows=3)
    finally:
        con.close()


def _stop_after_commit(store: Path, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import `path` in parts and stop between the commit of its rows and their counting, as a
    killed process would: KeyboardInterrupt is no Exception, so nothing undoes the rows."""

    def stop(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "count_import", stop)
        with pytest.raises(KeyboardInterrupt):
            _import_in_parts(store, path)


@pytest.fixture
def stopped(sample_db: Path, tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample store holding the export imported and stopped before it was counted."""
    store = copy_of(sample_db, tmp_path)
    _stop_after_commit(store, export, monkeypatch)
    return store


def _uncounted(store: Path) -> list[int]:
    con = database.connect(store)
    try:
        return pipeline.uncounted_imports(con, CONSULTATION)["import_id"].tolist()
    finally:
        con.close()


def _count_all(store: Path) -> None:
    con = database.connect(store)
    try:
        for import_id in pipeline.uncounted_imports(con, CONSULTATION)["import_id"]:
            pipeline.count_import(con, CONSULTATION, int(import_id))
    finally:
        con.close()


@pytest.fixture(scope="module")
def counted_at_once(
    sample_db: Path, tmp_path_factory: pytest.TempPathFactory, export: Path
) -> Path:
    """The store an uninterrupted import in parts makes (read it, don't change it)."""
    store = copy_of(sample_db, tmp_path_factory.mktemp("once"))
    _import_in_parts(store, export)
    return store


def test_a_failure_while_counting_leaves_the_store_as_it_was(
    sample_db: Path, tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = copy_of(sample_db, tmp_path)
    before = store_snapshot(store, ignore=BOOKKEEPING)

    def out_of_memory(*args: object, **kwargs: object) -> int:
        raise duckdb.OutOfMemoryException("failed to pin block")

    monkeypatch.setattr(pipeline.tagging, "tag", out_of_memory)
    with pytest.raises(duckdb.OutOfMemoryException, match="failed to pin block"):
        _import_in_parts(store, export)
    # The committed rows were undone: responses, respondents, facts, cube and the import's row.
    assert store_snapshot(store, ignore=BOOKKEEPING) == before
    assert store_snapshot(store)["imports"] == store_snapshot(sample_db)["imports"]


def test_a_stopped_import_is_left_out_of_the_figures_until_it_is_counted(
    sample_db: Path, tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch,
    counted_at_once: Path,
) -> None:  # fmt: skip
    store = copy_of(sample_db, tmp_path)
    before = store_snapshot(store)
    _stop_after_commit(store, export, monkeypatch)
    # Listed; and opened again (which rebuilds facts that disagree with the rows they count),
    # the store is left as it is.
    (import_id,) = _uncounted(store)
    stopped = store_snapshot(store)
    # Its rows are stored; nothing any figure reads has changed.
    assert stopped["responses"][0] == before["responses"][0] + 13
    assert stopped["respondent_sources"][0] == before["respondent_sources"][0] + 8
    figures = [t for t in stopped if t.endswith("_facts") or t.startswith("cube_")]
    assert len(figures) > 10
    for table in figures:
        assert stopped[table] == before[table], table
    # Counted, the store is the one an uninterrupted import makes.
    _count_all(store)
    assert _uncounted(store) == []
    assert store_snapshot(store, ignore=BOOKKEEPING) == store_snapshot(
        counted_at_once, ignore=BOOKKEEPING
    )
    assert import_id == _import_ids(counted_at_once)[-1]


def _import_ids(store: Path) -> list[int]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT import_id FROM imports ORDER BY import_id").fetchall()
    finally:
        con.close()
    return [row[0] for row in rows]


def test_a_stopped_import_can_be_undone(stopped: Path, sample_db: Path) -> None:
    store = stopped
    before = store_snapshot(sample_db, ignore=BOOKKEEPING)
    (import_id,) = _uncounted(store)
    with contextlib.redirect_stdout(io.StringIO()):
        undo = ["undo", "--consultation", CONSULTATION, "--import", str(import_id)]
        assert cli.main([*undo, "--db", str(store)]) == 0
    assert _uncounted(store) == []
    assert store_snapshot(store, ignore=BOOKKEEPING) == before


def test_a_codebook_saved_counts_a_stopped_import(
    stopped: Path, tmp_path: Path, counted_at_once: Path
) -> None:
    """Saving the codebook tags every answer and rebuilds every fact: the stopped import's too."""
    store = stopped
    (tmp_path / "once").mkdir()
    counted = copy_of(counted_at_once, tmp_path / "once")
    for path in (store, counted):
        con = database.connect(path)
        try:
            consultation = database.get_consultation(con, CONSULTATION)
            tagging.save_codebook(
                con, consultation, tagging.get_codebook(con, CONSULTATION), "analyst"
            )
        finally:
            con.close()
    assert _uncounted(store) == []
    ignore = (*BOOKKEEPING, "codebooks")  # when it was saved
    assert store_snapshot(store, ignore=ignore) == store_snapshot(counted, ignore=ignore)


def test_the_command_line_lists_and_counts_a_stopped_import(
    stopped: Path, counted_at_once: Path
) -> None:
    store = stopped
    (import_id,) = _uncounted(store)
    key = ["--consultation", CONSULTATION, "--db", str(store)]

    def run(*command: str) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = cli.main([*command, *key])
        return status, out.getvalue()

    status, listing = run("imports")
    lines = {int(line.split("\t")[0]): line for line in listing.splitlines()}
    assert status == 0 and lines[import_id].endswith("\tnot yet counted")
    assert sum("not yet counted" in line for line in lines.values()) == 1
    assert run("count", "--import", str(import_id + 1))[0] == 1  # no such uncounted import
    status, said = run("count", "--import", str(import_id))
    assert status == 0 and f"Counted import {import_id}" in said
    assert "not yet counted" not in run("imports")[1]
    assert store_snapshot(store, ignore=BOOKKEEPING) == store_snapshot(
        counted_at_once, ignore=BOOKKEEPING
    )


def _respondents_on_overview(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Respondents")


def test_the_pages_say_a_stopped_import_is_left_out_and_the_import_page_counts_it(
    stopped: Path, counted_at_once: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = stopped
    (import_id,) = _uncounted(store)
    monkeypatch.setenv("DASHBOARD_DB", str(store))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/overview.py").run()
    assert not at.exception, at.exception
    (warning,) = [w.value for w in at.warning if "not yet tagged and counted" in w.value]
    assert warning.startswith(f"Import {import_id} (large.csv): 13 answers are stored but")
    left_out = _respondents_on_overview(at)

    at.switch_page("views/import_data.py").run()
    assert not at.exception, at.exception
    assert any("not yet tagged and counted" in w.value for w in at.warning)
    at.button(key=f"count-{import_id}").click().run()
    assert not at.exception, at.exception
    assert any(f"Import {import_id} tagged and counted." in s.value for s in at.success)
    assert not any("not yet tagged and counted" in w.value for w in at.warning)
    assert store_snapshot(store, ignore=BOOKKEEPING) == store_snapshot(
        counted_at_once, ignore=BOOKKEEPING
    )

    at.switch_page("views/overview.py").run()
    assert not any("not yet tagged and counted" in w.value for w in at.warning)
    # The sample's respondents, then with the eight the import brought.
    assert int(left_out.replace(",", "")) + 8 == int(_respondents_on_overview(at).replace(",", ""))


def test_a_viewer_is_told_of_a_stopped_import_without_its_file_name(
    stopped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only those who may import see file names (the Import history); a viewer is told the
    import's number and its answers, and who can count it."""
    (import_id,) = _uncounted(stopped)
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text('viewer = ["@un.org"]\n', encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DB", str(stopped))
    monkeypatch.setenv("DASHBOARD_ROLES", str(roles_file))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "dan@un.org", "email_verified": True}
    at.run()
    assert not at.exception, at.exception
    (warning,) = [w.value for w in at.warning if "not yet counted" in w.value]
    assert warning == (
        f"Import {import_id}: 13 answers are stored but not yet counted; the figures leave them "
        "out until an administrator counts them."
    )
    assert "large.csv" not in " ".join(w.value for w in at.warning)
