"""Two sessions import at once while a third reads: `web.data` makes the writers take turns.

The app shares the store between sessions through one gate (dashboard/store/gate.py) and gives
each thread its own cursor; `data.import_prepared` takes the gate's write turn, so two imports
never interleave, and a reader keeps going meanwhile (on the read-only connection, then on the
writing one, then on the read-only one again). Outside a Streamlit runtime `st.cache_resource`
works in "bare mode", so the gate is the app's own.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import cli
from dashboard.definition.consultation import Consultation
from dashboard.importer import ImportReport, PreparedImport, load, load_mapping, prepare
from dashboard.store import database
from dashboard.store.summary import summary
from dashboard.web import data
from tests.conftest import SAMPLE_DIR

CONSULTATION = "civic-space-2020"
# Two exports of different shapes whose respondent ids do not overlap.
EXPORTS = {
    "en": (SAMPLE_DIR / "responses_en.csv", None),
    "fr": (SAMPLE_DIR / "reponses_fr.csv", SAMPLE_DIR / "reponses_fr.mapping.toml"),
}
JOIN_SECONDS = 120


def new_store(path: Path) -> Path:
    """A store holding the sample consultation and nothing imported."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert (
            cli.main(
                [
                    "consultation",
                    "add",
                    str(SAMPLE_DIR / "civic-space-2020.toml"),
                    "--db",
                    str(path),
                ]
            )
            == 0
        )
    return path


def prepared(name: str, consultation: Consultation) -> PreparedImport:
    path, mapping = EXPORTS[name]
    return prepare(
        path.read_bytes(), path.name, consultation, load_mapping(mapping) if mapping else None
    )


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute(
        "SELECT (SELECT count(*) FROM respondents WHERE consultation_id = $c), "
        "(SELECT count(*) FROM responses WHERE consultation_id = $c)",
        {"c": CONSULTATION},
    ).fetchall()[0]


@pytest.fixture(scope="module")
def consultation(tmp_path_factory: pytest.TempPathFactory) -> Consultation:
    con = database.connect(new_store(tmp_path_factory.mktemp("definition") / "store.duckdb"))
    try:
        return database.get_consultation(con, CONSULTATION)
    finally:
        con.close()


@pytest.fixture(scope="module")
def alone(
    consultation: Consultation, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, int]]:
    """What each export brings when imported alone into a store of its own."""
    result = {}
    for name in EXPORTS:
        con = database.connect(new_store(tmp_path_factory.mktemp(f"alone-{name}") / "store.duckdb"))
        try:
            report = load(con, prepared(name, consultation))
            assert report.import_id is not None and report.already_imported is None
            result[name] = counts(con)
        finally:
            con.close()
    assert all(respondents and responses for respondents, responses in result.values())
    return result


@pytest.fixture
def shared_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh store the app's data layer points at; its shared connection closed afterwards."""
    path = new_store(tmp_path / "store.duckdb")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    assert data.db_path() == str(path)
    yield path
    # The gate is cached for the process: close and forget this store's (only its own: other
    # tests' stores stay cached), so the file is not held open.
    with contextlib.suppress(Exception):
        data._gate(str(path)).close()
    data._gate.clear(str(path))


def run_threads(targets: dict[str, Callable[[], None]]) -> dict[str, BaseException]:
    """Start every target at once (behind a barrier); the exception each one raised, if any."""
    barrier = threading.Barrier(len(targets))
    errors: dict[str, BaseException] = {}

    def wrapped(name: str, target: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=JOIN_SECONDS)
            target()
        except BaseException as exc:
            errors[name] = exc

    threads = [
        threading.Thread(target=wrapped, args=(name, target), name=name, daemon=True)
        for name, target in targets.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {JOIN_SECONDS} s: {stuck}"
    return errors


def test_two_imports_at_once_while_a_reader_reads(
    shared_store: Path, consultation: Consultation, alone: dict[str, tuple[int, int]]
) -> None:
    imports = {name: prepared(name, consultation) for name in EXPORTS}
    reports: dict[str, ImportReport] = {}
    importing = {name: threading.Event() for name in EXPORTS}
    seen: list[tuple[int, int]] = []

    def importer(name: str) -> Callable[[], None]:
        def run() -> None:
            try:
                reports[name] = data.import_prepared(imports[name], imported_by=f"thread-{name}")
            finally:
                importing[name].set()

        return run

    def reader() -> None:
        # Read until both imports are over, and once more after, as a page reads.
        while True:
            done = all(event.is_set() for event in importing.values())
            figures = summary(data.cursor(), CONSULTATION)
            seen.append((figures["respondents"], figures["responses"]))
            if done:
                break

    errors = run_threads(
        {**{f"import-{name}": importer(name) for name in EXPORTS}, "reader": reader}
    )
    assert not errors, f"threads raised: {errors!r}"

    # Both imports went in, each once, with the counts it has alone.
    assert {name: report.already_imported for name, report in reports.items()} == {
        name: None for name in EXPORTS
    }
    ids = {name: reports[name].import_id for name in EXPORTS}
    assert None not in ids.values() and len(set(ids.values())) == len(EXPORTS), ids
    data._gate(data.db_path()).close()
    con = database.connect(data.db_path(), read_only=True)
    try:
        rows = con.execute(
            "SELECT import_id, file_name, imported_by FROM imports WHERE consultation_id = $c "
            "ORDER BY import_id",
            {"c": CONSULTATION},
        ).fetchall()
        assert sorted(rows) == sorted(
            (ids[name], EXPORTS[name][0].name, f"thread-{name}") for name in EXPORTS
        )
        total = counts(con)
        assert total == tuple(sum(alone[name][i] for name in EXPORTS) for i in (0, 1)), (
            total,
            alone,
        )
        for name in EXPORTS:
            assert (reports[name].respondents_loaded, reports[name].responses_loaded) == alone[name]

        # Rows are not mixed: each respondent's responses, sources and profile carry the id of
        # the one import whose file names them.
        con.register("owners", ownership(imports, ids))
        try:
            mixed = con.execute(
                """
                SELECT 'responses' AS tab, r.respondent_id, r.import_id, o.import_id AS owner
                FROM responses AS r JOIN owners AS o USING (respondent_id)
                WHERE r.consultation_id = $c AND r.import_id <> o.import_id
                UNION ALL
                SELECT 'respondent_sources', s.respondent_id, s.import_id, o.import_id
                FROM respondent_sources AS s JOIN owners AS o USING (respondent_id)
                WHERE s.consultation_id = $c AND s.import_id <> o.import_id
                UNION ALL
                SELECT 'respondents', p.respondent_id, p.import_id, o.import_id
                FROM respondents AS p JOIN owners AS o USING (respondent_id)
                WHERE p.consultation_id = $c AND p.import_id <> o.import_id
                LIMIT 10
                """,
                {"c": CONSULTATION},
            ).fetchall()
            assert not mixed, f"rows carrying the other import's id: {mixed}"
            per_import = dict(
                con.execute(
                    "SELECT import_id, count(*) FROM responses WHERE consultation_id = $c "
                    "GROUP BY import_id",
                    {"c": CONSULTATION},
                ).fetchall()
            )
            assert per_import == {ids[name]: alone[name][1] for name in EXPORTS}
            orphans = con.execute(
                "SELECT count(*) FROM responses WHERE consultation_id = $c "
                "AND respondent_id NOT IN (SELECT respondent_id FROM owners)",
                {"c": CONSULTATION},
            ).fetchall()[0][0]
            assert orphans == 0
        finally:
            con.unregister("owners")
    finally:
        con.close()

    # The reader only ever saw whole imports: nothing, one file, or both.
    states = {(0, 0), *alone.values(), total}
    assert seen, "the reader never read"
    assert set(seen) <= states, f"partial imports seen by the reader: {set(seen) - states}"
    assert seen[-1] == total


def ownership(imports: dict[str, PreparedImport], ids: dict[str, int | None]) -> pd.DataFrame:
    """One row per respondent id with the import whose file (alone) names it."""
    frames = [
        pd.DataFrame({"respondent_id": imports[name].respondents["respondent_id"], "import_id": i})
        for name, i in ids.items()
    ]
    owners = pd.concat(frames, ignore_index=True)
    shared = owners["respondent_id"].duplicated(keep=False)
    assert not shared.any(), "the two exports share respondent ids: pick exports that do not"
    return owners


def test_the_same_file_at_once_goes_in_once(
    shared_store: Path, consultation: Consultation, alone: dict[str, tuple[int, int]]
) -> None:
    """Two sessions importing the same bytes at the same moment: one adds, the other is told
    it was already imported (the check and the write are under one lock)."""
    copies = [prepared("fr", consultation) for _ in range(2)]
    reports: list[ImportReport] = []

    def importer(copy: PreparedImport) -> Callable[[], None]:
        return lambda: reports.append(data.import_prepared(copy, imported_by="local"))

    errors = run_threads({f"import-{i}": importer(copy) for i, copy in enumerate(copies)})
    assert not errors, f"threads raised: {errors!r}"
    added = [r for r in reports if r.already_imported is None]
    told = [r for r in reports if r.already_imported is not None]
    assert len(added) == 1 and len(told) == 1, [r.already_imported for r in reports]
    assert told[0].already_imported["import_id"] == added[0].import_id
    con = data.cursor()  # as a page reads, beside the app's writes
    try:
        assert counts(con) == alone["fr"]
        assert con.execute("SELECT count(*) FROM imports").fetchall() == [(1,)]
    finally:
        con.close()
