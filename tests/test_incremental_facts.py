"""An import, or its undo, rebuilds the facts of the respondents it touched only (issue 18, write
less): the facts, the cube and the pages' unfiltered views it leaves are those a rebuild of the
whole consultation makes, respondents named again by a later file included; the respondents it
did not touch keep their keys."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from benchmarks import facts
from dashboard.definition.consultation import load_consultation
from dashboard.importer import import_file, undo_import
from dashboard.store import database
from tests.conftest import ROOT, copy_of

CONSULTATION = "civic-space-2020"
HEADER = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9\n"
# Two respondents of responses_en.csv named again (one earlier than they first answered, so
# their profile's time changes; one from another country, which their first import's country
# outranks), and two new to the consultation, one of them from a country no one else named.
LATER_FILE = HEADER + (
    "EN-00004,2020-01-09T08:00:00Z,LKA,en,Civil society organization,"
    "Funding for reprisals monitoring is needed.,,,,,,,,\n"
    "EN-00005,2020-01-20T08:00:00Z,Tuvalu,en,Other,,Civic space is shrinking.,,,,,,,\n"
    "EN-90001,2020-01-15T08:00:00Z,Tuvalu,fr,Academia,"
    "La société civile doit être protégée.,,,,,,,,\n"
    "EN-90002,2020-01-16T08:00:00Z,Kenya,en,Other,,,More dialogue with defenders.,,,,,,\n"
)


def facts_by_respondent(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The facts and the cube with each respondent's key replaced by their id (the keys a
    rebuild of everything gives are numbered afresh), sorted, and the unfiltered views."""
    keyed = "SELECT respondent_key, respondent_id FROM respondent_facts WHERE consultation_id = $c"
    tables = {
        "respondent_facts": "SELECT * EXCLUDE (respondent_key) FROM respondent_facts",
        "response_facts": (
            f"SELECT k.respondent_id, f.* EXCLUDE (respondent_key) FROM response_facts AS f"
            f" JOIN ({keyed}) AS k USING (respondent_key)"
        ),
        "cube_respondents": (
            f"SELECT k.respondent_id, f.* EXCLUDE (respondent_key) FROM cube_respondents AS f"
            f" JOIN ({keyed}) AS k USING (respondent_key)"
        ),
        **{
            table: f"SELECT * FROM {table}"
            for table in database.CUBE_TABLES
            if table not in ("cube_respondents", "cube_builds")
        },
        "cube_views": "SELECT statement, parameters, frame FROM cube_views",
    }
    frames = {}
    for name, sql in tables.items():
        ordered = f"SELECT * FROM ({sql}) ORDER BY ALL"
        frames[name] = con.execute(ordered, {"c": CONSULTATION} if "$c" in sql else None).df()
    return frames


def keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("SELECT respondent_id, respondent_key FROM respondent_facts").fetchall()
    return dict(rows)


def rebuilt_whole(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    with database.transaction(con):
        database.refresh_facts(con, CONSULTATION)
    return facts_by_respondent(con)


def assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


@pytest.fixture
def store(sample_db: Path, tmp_path: Path):
    con = database.connect(copy_of(sample_db, tmp_path))
    yield con
    con.close()


def test_the_sample_imported_file_by_file_has_the_facts_of_a_whole_rebuild(store) -> None:
    # load-sample imports three files: the second and third rebuilt their own respondents only.
    assert store.execute("SELECT count(*) FROM imports").fetchone()[0] == 3
    incremental = facts_by_respondent(store)
    assert (
        len(incremental["response_facts"])
        == store.execute("SELECT count(*) FROM responses").fetchone()[0]
    )
    assert_same(incremental, rebuilt_whole(store))


def test_a_file_naming_known_and_new_respondents_rebuilds_theirs_alone(
    store, tmp_path: Path
) -> None:
    before = keys(store)
    later = tmp_path / "later_en.csv"
    later.write_text(LATER_FILE, encoding="utf-8")
    consultation = load_consultation(ROOT / "sample_data" / "civic-space-2020.toml")
    report = import_file(store, later, consultation)
    assert (report.respondents_already_present, report.respondents_loaded) == (2, 2)

    after = keys(store)
    # Keys stay as they were; the new respondents are numbered after the largest, in id order.
    assert {rid: after[rid] for rid in before} == before
    assert [after["EN-90001"], after["EN-90002"]] == [max(before.values()) + n for n in (1, 2)]
    # The named-again respondent's profile took their earlier time, so their period changed.
    period = "SELECT period FROM respondent_facts WHERE respondent_id = 'EN-00004'"
    assert store.execute(period).fetchone()[0] == "before"
    answers = "SELECT count(*) FROM response_facts WHERE respondent_key = $key"
    assert store.execute(answers, {"key": after["EN-90001"]}).fetchone()[0] == 1

    incremental = facts_by_respondent(store)
    assert_same(incremental, rebuilt_whole(store))


def test_undoing_that_file_leaves_the_facts_as_they_were_before_it(store, tmp_path: Path) -> None:
    before, keys_before = facts_by_respondent(store), keys(store)
    later = tmp_path / "later_en.csv"
    later.write_text(LATER_FILE, encoding="utf-8")
    consultation = load_consultation(ROOT / "sample_data" / "civic-space-2020.toml")
    import_id = import_file(store, later, consultation).import_id
    assert undo_import(store, CONSULTATION, import_id) == 4

    # The two new respondents are gone; the two named again are as the first file made them.
    assert keys(store) == keys_before
    undone = facts_by_respondent(store)
    assert_same(undone, before)
    assert_same(undone, rebuilt_whole(store))


def test_the_facts_benchmark_times_both_and_leaves_the_store_as_it_was(
    sample_db: Path, tmp_path: Path
) -> None:
    path = copy_of(sample_db, tmp_path)
    con = database.connect(path)
    before = facts_by_respondent(con)
    con.close()
    result = facts.measure(path, runs=2)
    # The newest of the sample's three imports is responses_ru.xlsx: 185 respondents.
    assert (result["imports"], result["import_id"], result["respondents_touched"]) == (3, 3, 185)
    assert result["responses"] == 10186 + 1601 + 796
    assert len(result["touched_s"]) == len(result["whole_s"]) == 2
    assert all(seconds > 0 for seconds in result["touched_s"] + result["whole_s"])
    con = database.connect(path)
    assert_same(facts_by_respondent(con), before)
    con.close()
