"""The store's version: one row raised by every write, which keys every session's caches."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from dashboard.coding import tagging
from dashboard.coding.codebook import codebook_from_dict
from dashboard.importer import import_file, load_mapping, undo_import
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary
from tests.conftest import ROOT

CONSULTATION = "civic-space-2020"
SAMPLE_DIR = ROOT / "sample_data"


@pytest.fixture
def con(sample_copy: Path):
    connection = database.connect(sample_copy)
    yield connection
    connection.close()


def version(con: duckdb.DuckDBPyConnection) -> int:
    return queries.first_row(con, "store/version")[1]


def an_answer(con: duckdb.DuckDBPyConnection) -> tuple[int, int, str]:
    return con.execute(
        "SELECT import_id, source_row, question_id FROM responses"
        " ORDER BY import_id, source_row, question_id LIMIT 1"
    ).fetchone()


def test_a_new_store_has_one_version_row_and_an_identity(con) -> None:
    rows = con.execute("SELECT store_id, version FROM store_version").fetchall()
    assert len(rows) == 1
    store_id, number = rows[0]
    assert len(store_id) == 36 and number >= 1


def test_reads_leave_the_version_alone(con) -> None:
    before = queries.first_row(con, "store/version")
    summary(con, CONSULTATION, Filters())
    summary(con, CONSULTATION, Filters(regions=("Africa",)))
    database.get_consultation(con, CONSULTATION)
    tagging.get_codebook(con, CONSULTATION)
    assert queries.first_row(con, "store/version") == before


def test_an_audit_entry_alone_leaves_the_version_alone(con) -> None:
    before = version(con)
    database.audit(con, "ana", "export", CONSULTATION, {"file": "x.png"})
    assert version(con) == before


def test_a_definition_change_raises_it(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    before = version(con)
    database.save_consultation(con, dataclasses.replace(consultation, title="Another title"))
    assert version(con) == before + 1


def test_an_import_and_its_undo_raise_it(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    imported = con.execute(
        "SELECT import_id FROM imports WHERE file_name = 'reponses_fr.csv'"
    ).fetchone()[0]
    before = version(con)
    undo_import(con, CONSULTATION, imported)
    assert version(con) == before + 1
    mapping = load_mapping(SAMPLE_DIR / "reponses_fr.mapping.toml")
    report = import_file(con, SAMPLE_DIR / "reponses_fr.csv", consultation, mapping)
    assert report.import_id is not None
    assert version(con) == before + 2
    # The same bytes again add nothing, and write nothing.
    again = import_file(con, SAMPLE_DIR / "reponses_fr.csv", consultation, mapping)
    assert again.already_imported and version(con) == before + 2


def test_a_codebook_change_raises_it(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    codebook = codebook_from_dict(
        {"codes": [{"id": "funding", "label": {"en": "Funding"}, "keywords": ["fund*"]}]},
        consultation,
    )
    before = version(con)
    tagging.save_codebook(con, consultation, codebook, "ana")
    assert version(con) == before + 1


def test_tag_edits_their_undo_judgements_and_settlements_raise_it(con) -> None:
    answer = an_answer(con)
    before = version(con)
    previous = tagging.set_code(con, CONSULTATION, answer, "gender", True, "ana")
    assert version(con) == before + 1
    tagging.restore_code(con, CONSULTATION, answer, "gender", previous, "ana")
    assert version(con) == before + 2
    tagging.judge(con, CONSULTATION, answer, "gender", None, False, "ana")
    assert version(con) == before + 3
    tagging.settle(con, CONSULTATION, answer, "gender", False, "bob")
    assert version(con) == before + 4


def test_a_failed_write_rolls_back_and_leaves_it(con) -> None:
    before = version(con)
    with pytest.raises(KeyError):
        # No such answer: the edit fails inside its transaction.
        tagging.set_code(con, CONSULTATION, (999_999, 1, "q1"), "gender", True, "ana")
    assert version(con) == before
    with pytest.raises(RuntimeError), database.transaction(con):
        queries.execute(con, "store/bump_version")
        raise RuntimeError("stop")
    assert version(con) == before


def test_an_old_store_without_the_table_gets_it_on_open(tmp_path: Path, sample_db: Path) -> None:
    old = tmp_path / "old.duckdb"
    old.write_bytes(sample_db.read_bytes())
    raw = duckdb.connect(str(old))
    raw.execute("DROP TABLE store_version")
    raw.close()
    con = database.connect(old)
    try:
        rows = con.execute("SELECT store_id, version FROM store_version").fetchall()
        assert len(rows) == 1 and rows[0][1] == 1
        database.audit(con, "ana", "export", CONSULTATION)
        with database.transaction(con):
            pass
        assert version(con) == 2
    finally:
        con.close()
    # Opened again, it keeps its identity and version.
    con = database.connect(old)
    try:
        again = con.execute("SELECT store_id, version FROM store_version").fetchall()
        assert again == [(rows[0][0], 2)]
    finally:
        con.close()
