"""Tagging matches each distinct text once and gives its codes to every answer that reads so.

The codes stored, and the keyword that found each, must be what matching answer by answer finds
(`Tagger.tag` on each response: how tagging worked before), on the sample, on the benchmark's
generated answers with repeats, and on generated answers made of the codebook's own keywords
written every which way; and analysts' decisions stay with their one answer, not its text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.tagging import answers as benchmark_answers
from dashboard.coding import tagging
from dashboard.coding.codebook import Codebook, Tagger, load_codebook
from dashboard.definition.consultation import load_consultation
from dashboard.store import database, queries, search_text
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "civic-space-2020.toml"
CODEBOOK = load_codebook(ROOT / "sample_data" / "civic-space-2020.codebook.toml")
CONSULTATION = "civic-space-2020"


def tagged_answer_by_answer(con: duckdb.DuckDBPyConnection, codebook: Codebook) -> list[tuple]:
    """(import, row, question, code, keyword) for every code each answer's own text matches."""
    tagger = Tagger(codebook)
    rows = con.execute("SELECT import_id, source_row, question_id, answer FROM responses")
    return sorted(
        (import_id, row, question, code, keyword)
        for import_id, row, question, text in rows.fetchall()
        for code, keyword in tagger.tag(text).items()
    )


def stored_keyword_tags(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT import_id, source_row, question_id, code_id, matched FROM response_codes "
        "WHERE source = 'keyword' ORDER BY ALL"
    ).fetchall()


def retag(con: duckdb.DuckDBPyConnection, codebook: Codebook = CODEBOOK) -> int:
    with database.transaction(con):
        return tagging.tag(con, CONSULTATION, codebook=codebook)


def replace_answers(con: duckdb.DuckDBPyConnection, texts: list[str]) -> None:
    """The consultation's answers become these (one import, five answers per respondent)."""
    key = {"consultation": CONSULTATION, "import_id": 1}
    frame = pd.DataFrame(
        {
            "respondent_id": [f"R{n // 5:07d}" for n in range(len(texts))],
            "question_id": [f"q{n % 5 + 1}" for n in range(len(texts))],
            "answer": pd.Series(texts, dtype="str"),
            "answer_redacted": pd.Series(texts, dtype="str"),
            "submitted_at": pd.Timestamp(datetime(2020, 1, 15, tzinfo=UTC)),
            "source_row": [n // 5 + 2 for n in range(len(texts))],
        }
    )
    frame = frame.join(search_text.search_columns(frame["answer"], frame["answer_redacted"]))
    frame["source_file"] = "generated.csv"
    frame["source_file_row"] = frame["source_row"]
    frame["answer_language"] = pd.Series([None] * len(texts), dtype="str")  # not tagging's
    with database.transaction(con):
        queries.execute(con, "store/delete_import_responses", key)
        first = queries.first_row(con, "store/next_response_key")[0]
        frame["response_key"] = range(first, first + len(frame))
        frame["consultation_id"], frame["import_id"] = key["consultation"], key["import_id"]
        queries.execute_on(con, "store/insert_responses", "new_responses", frame)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    con = database.connect(tmp_path_factory.mktemp("tagging") / "store.duckdb")
    database.save_consultation(con, load_consultation(SAMPLE))
    yield con
    con.close()


def test_the_sample_carries_the_codes_and_keywords_each_answer_finds(sample_copy: Path) -> None:
    con = database.connect(sample_copy)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        expected = tagged_answer_by_answer(con, codebook)
        assert stored_keyword_tags(con) == expected  # as the import left them
        assert retag(con, codebook) == len(expected)
        assert stored_keyword_tags(con) == expected
        assert len(expected) > 10_000
    finally:
        con.close()


def test_benchmark_answers_over_several_chunks(
    store: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = benchmark_answers(3000, seed=5)
    texts += texts[::3] + [text.upper() for text in texts[:200]]  # repeats, as consultations have
    replace_answers(store, texts)
    monkeypatch.setattr(tagging, "CHUNK", 2048)  # two chunks of distinct texts
    expected = tagged_answer_by_answer(store, CODEBOOK)
    assert retag(store) == len(expected)
    assert stored_keyword_tags(store) == expected
    distinct = store.execute("SELECT count(DISTINCT answer) FROM responses").fetchone()[0]
    assert 2048 < distinct < len(texts)
    assert store.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone() == (0,)


# Answers made of the codebook's keywords (as written, in capitals, cut, run on, with Arabic
# prefixes and endings) among other words, so that keywords overlap, nest and fall on edges.
KEYWORDS = sorted({k.strip("*") for code in CODEBOOK.codes for k in code.keywords})
keyword = st.sampled_from(KEYWORDS).flatmap(
    lambda k: st.sampled_from(
        [k, k.upper(), k.title(), k[:-1], k + "s", k + "ing", "un" + k, "و" + k, "بال" + k,
         k + "ها", k.replace(" ", "  "), k.replace(" ", "\n"), k.replace("-", " ")]
    )
)  # fmt: skip
filler = st.sampled_from(
    ["the", "and", "Ё", "ё", "’", "'", "-", ",", ".", "(", ")", "«", "»", "的", "和", "في",
     "и", "ﬁ", "Ⅸ", "\u064b", "\u0640", "_", "0", "٣"]
)  # fmt: skip
separator = st.sampled_from([" ", "", "  ", "\n", ", ", "-", "\t"])
text = st.lists(st.tuples(st.one_of(keyword, filler), separator), max_size=10).map(
    lambda parts: "".join(word + sep for word, sep in parts)
)
answers_with_repeats = st.lists(text, min_size=1, max_size=12).flatmap(
    lambda texts: st.lists(st.sampled_from(texts), min_size=len(texts), max_size=3 * len(texts))
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=answers_with_repeats)
def test_generated_answers_carry_the_codes_and_keywords_each_finds(
    store: duckdb.DuckDBPyConnection, texts: list[str]
) -> None:
    replace_answers(store, texts)
    expected = tagged_answer_by_answer(store, CODEBOOK)
    assert retag(store) == len(expected)
    assert stored_keyword_tags(store) == expected


def test_an_analysts_decision_stays_with_its_answer_not_its_text(sample_copy: Path) -> None:
    con = database.connect(sample_copy)
    try:
        # Two answers (of two respondents) that read the same and carry a keyword code.
        first, second = con.execute(
            "SELECT a.import_id, a.source_row, a.question_id, t.code_id FROM responses AS a "
            "JOIN response_codes AS t USING (consultation_id, import_id, source_row, question_id) "
            "WHERE t.source = 'keyword' AND a.answer IN (SELECT answer FROM responses "
            "GROUP BY answer HAVING count(DISTINCT respondent_id) > 1) "
            "ORDER BY a.answer, t.code_id, a.import_id, a.source_row LIMIT 2"
        ).fetchall()
        assert first[3] == second[3] and first[:3] != second[:3]
        code = first[3]
        tagging.set_code(con, CONSULTATION, first[:3], code, False, "ana")
        codebook = tagging.get_codebook(con, CONSULTATION)
        expected = [
            t for t in tagged_answer_by_answer(con, codebook) if t[:4] != (*first[:3], code)
        ]
        retag(con, codebook)
        assert stored_keyword_tags(con) == expected
        assert (*second[:3], code) in {t[:4] for t in stored_keyword_tags(con)}
    finally:
        con.close()
