"""Every answer has a number (responses.response_key, issue 18: "an integer key on responses
so the Responses page fetches its 25 texts by key"): unique, in the order the answers are
stored, each import's after the last one's; the facts carry it; a store made before the
numbers gets them when opened for writing, and its listings read as before."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dashboard.definition.consultation import load_consultation
from dashboard.importer import import_file, undo_import
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from tests.conftest import ROOT, copy_of

CONSULTATION = "civic-space-2020"
LATER = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2\n" + "".join(
    f"LATER-{n},2020-01-20T10:00:00Z,Kenya,en,NGO,Civic space is shrinking ({n}).,Yes.\n"
    for n in range(6)
)


def numbers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each answer's number, import and place in the table, in the table's order."""
    return con.execute(
        "SELECT rowid AS place, import_id, response_key FROM responses ORDER BY rowid"
    ).df()


def listing(con: duckdb.DuckDBPyConnection, **filters: object) -> pd.DataFrame:
    params = {
        **Filters(**filters).params(CONSULTATION),
        "search": None,
        "raw": False,
        "k": 5,
        "page_size": 25,
        "offset": 50,
    }
    return queries.frame(con, "answers", params)


def test_answers_are_numbered_once_in_the_order_they_are_stored(sample_copy: Path) -> None:
    con = database.connect(sample_copy)
    try:
        table = numbers(con)
        assert table["response_key"].notna().all() and table["response_key"].is_unique
        assert table["response_key"].is_monotonic_increasing
        last = table.groupby("import_id")["response_key"].agg(["min", "max"]).sort_index()
        assert (last["min"].iloc[1:].to_numpy() > last["max"].iloc[:-1].to_numpy()).all()
        facts = con.execute(
            "SELECT count(*), count(DISTINCT f.response_key) FROM response_facts AS f"
            " JOIN responses AS r USING (consultation_id, import_id, source_row, question_id)"
            " WHERE f.response_key = r.response_key"
        ).fetchone()
        assert facts == (len(table), len(table))
    finally:
        con.close()


def test_an_import_after_an_undo_numbers_on_after_every_answer_stored(
    sample_copy: Path, tmp_path: Path
) -> None:
    export = tmp_path / "later.csv"
    export.write_text(LATER, encoding="utf-8")
    consultation = load_consultation(ROOT / "sample_data" / "civic-space-2020.toml")
    con = database.connect(sample_copy)
    try:
        highest = int(numbers(con)["response_key"].max())
        first = import_file(con, export, consultation)
        undo_import(con, CONSULTATION, first.import_id)
        export.write_text(LATER.replace("LATER-", "AGAIN-"), encoding="utf-8")
        again = import_file(con, export, consultation)
        table = numbers(con)
        added = table[table["import_id"] == again.import_id]["response_key"]
        # After every answer stored: the undone answers' numbers went with them (nothing kept
        # names an answer by its number but the facts, which went too).
        assert len(added) == 12 and added.min() == highest + 1
        assert table["response_key"].is_unique and table["response_key"].is_monotonic_increasing
    finally:
        con.close()


def test_a_store_made_before_the_numbers_gets_them_and_lists_as_before(
    sample_db: Path, tmp_path: Path
) -> None:
    store = copy_of(sample_db, tmp_path)
    con = database.connect(store)
    try:
        before = listing(con)
        before_filtered = listing(con, languages=("fr", "ar"), themes=("protection",))
        expected = numbers(con)
    finally:
        con.close()
    raw = duckdb.connect(str(store))
    raw.execute("ALTER TABLE response_facts DROP COLUMN response_key")
    raw.execute("ALTER TABLE responses DROP COLUMN response_key")
    raw.close()
    con = database.connect(store)
    try:
        # The same numbers: the answers are numbered in the order they are stored.
        pd.testing.assert_frame_equal(numbers(con), expected)
        assert con.execute(
            "SELECT count(*) FROM response_facts WHERE response_key IS NULL"
        ).fetchone() == (0,)
        assert not before.empty and not before_filtered.empty
        pd.testing.assert_frame_equal(listing(con), before)
        pd.testing.assert_frame_equal(
            listing(con, languages=("fr", "ar"), themes=("protection",)), before_filtered
        )
    finally:
        con.close()
