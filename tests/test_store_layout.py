"""The text as written is stored only where redaction changed it (issue 18, "write less"):
`answer` reads it back everywhere, and a store that held every text twice is made compact the
first time it is opened for writing, with every column reading as before."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.importer import import_file
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary

CONSULTATION = "civic-space-2020"
HEADER = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2"
WITH_EMAIL = "Write to me at jane.doe@example.org about the consultation on civic space."
PLAIN = "Consultations should be announced much earlier and in every language."


def _export_with_personal_data(path: Path) -> Path:
    lines = [HEADER]
    for n in range(6):
        lines.append(f"LY-{n:03d},2020-01-20T10:00:00Z,Kenya,en,NGO,{WITH_EMAIL},{PLAIN} ({n})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _with_personal_data(sample_copy: Path, tmp_path: Path) -> Path:
    con = database.connect(sample_copy)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        import_file(con, _export_with_personal_data(tmp_path / "email.csv"), consultation)
    finally:
        con.close()
    return sample_copy


def _answers(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT import_id, source_row, question_id, respondent_id, answer, answer_redacted, "
        "answer_search, answer_written_search, answer_language, submitted_at "
        "FROM responses ORDER BY import_id, source_row, question_id"
    ).fetchall()


def test_the_text_as_written_is_kept_apart_only_where_redaction_changed_it(
    sample_copy: Path, tmp_path: Path
) -> None:
    store = _with_personal_data(sample_copy, tmp_path)
    con = database.connect(store, read_only=True)
    try:
        rows = con.execute(
            "SELECT answer, answer_redacted, answer_written FROM responses "
            "WHERE respondent_id LIKE 'LY-%' ORDER BY respondent_id, question_id"
        ).fetchall()
        counts = con.execute(
            "SELECT count(answer_written), count(*) FILTER (answer <> answer_redacted), "
            "count(*) FILTER (answer_written = answer_redacted) FROM responses"
        ).fetchone()
    finally:
        con.close()
    emails = [row for row in rows if row[0] == WITH_EMAIL]
    plain = [row for row in rows if row[0] != WITH_EMAIL]
    assert len(emails) == 6 and len(plain) == 6
    # The e-mail answer: as written apart, the redacted text without the address.
    assert all(w == WITH_EMAIL and "jane.doe" not in r for _, r, w in emails)
    # The plain answer: one copy, read back as written.
    assert all(a == r and w is None for a, r, w in plain)
    # Over the whole store: kept apart exactly where the two differ, never a second copy.
    assert counts == (counts[1], counts[1], 0) and counts[1] >= 6


def test_a_store_holding_every_text_twice_is_made_compact_when_opened(
    sample_copy: Path, tmp_path: Path
) -> None:
    store = _with_personal_data(sample_copy, tmp_path)
    con = database.connect(store)
    try:
        before = _answers(con)
        figures = summary(con, CONSULTATION, Filters())
        # As a store made before the compact layout has it: `answer` a column of its own.
        con.execute("CREATE TABLE old_layout AS SELECT * EXCLUDE (answer_written) FROM responses")
        con.execute("DROP TABLE responses")
        con.execute("ALTER TABLE old_layout RENAME TO responses")
        assert queries.first_row(con, "store/responses_written_twice")[0] is True
    finally:
        con.close()
    # A read-only opening (a command beside the dashboard) reads the old layout as it is.
    con = database.connect(store, read_only=True)
    try:
        assert _answers(con) == before
    finally:
        con.close()
    con = database.connect(store)
    try:
        assert queries.first_row(con, "store/responses_written_twice")[0] is False
        assert _answers(con) == before
        assert summary(con, CONSULTATION, Filters()) == figures
        kept_apart = con.execute("SELECT count(answer_written) FROM responses").fetchone()[0]
        differ = sum(row[4] != row[5] for row in before)
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    finally:
        con.close()
    assert kept_apart == differ >= 6
    assert "responses_set_aside" not in tables


def test_a_new_store_is_made_compact(tmp_path: Path) -> None:
    con = database.connect(tmp_path / "new.duckdb")
    try:
        assert not queries.first_row(con, "store/responses_written_twice")[0]
        columns = {row[0] for row in con.execute("DESCRIBE responses").fetchall()}
    finally:
        con.close()
    assert {"answer", "answer_redacted", "answer_written"} <= columns
