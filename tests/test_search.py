"""The word search in the six UN languages (issue 16, item 6): answers and search words folded
alike (dashboard/store/search_text.py), the fold stored at import and made for older stores,
the queries finding "participacion" in "participación", the highlighting pointing into the
text as written, and the Responses page counting both spellings alike."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import cli
from dashboard.store import database, queries, search_text
from dashboard.store.gate import StoreGate
from dashboard.store.queries import Filters
from dashboard.store.search_text import matched_spans, search_words
from dashboard.store.search_text import search_text as fold
from tests.test_codes_pages import open_page
from tests.test_consultation import EXAMPLE
from tests.test_pages import number

CONSULTATION = "civic-space-2020"

# ------------------------------------------------------------------------------ the fold

FOLDS = [
    # French and Spanish accents, case
    ("Participación CIUDADANA", "participacion ciudadana"),
    ("ÉLÈVE, façade, naïve, où", "eleve, facade, naive, ou"),
    ("Año, pingüino, ¿Qué?", "ano, pinguino, ¿que?"),
    ("cœur, Œuvre, æther", "coeur, oeuvre, aether"),
    # an accent typed as its own character after the letter (decomposed input)
    ("e\u0301le\u0300ve", "eleve"),
    # German ß, capital ẞ
    ("Straße", "strasse"),
    ("GROẞ", "gross"),
    # Russian: ё → е, й stays й, stress marks dropped, case folded
    ("Ёлка", "елка"),
    ("ЁЖ и ёж", "еж и еж"),
    ("Мой ЙОД", "мой йод"),
    ("и\u0306", "й"),  # й typed as и + breve stays й
    ("за\u0301мок", "замок"),
    # Arabic: alef variants, yeh, teh marbuta, harakat, shadda, tatweel, hamza seats
    ("الأمم", "الامم"),
    ("إلى", "الي"),
    ("آمنة", "امنه"),
    ("ٱلْكِتَاب", "الكتاب"),
    ("مُحَمَّدٌ", "محمد"),
    ("العـــربيـة", "العربيه"),
    ("مسؤول", "مسوول"),
    ("رئيس", "رييس"),
    ("ﻷ", "لا"),  # a presentation form
    ("٢٠٣٠", "2030"),
    # Chinese: full-width forms unified, ideographs kept as written
    ("可持续发展，２０３０年", "可持续发展,2030年"),
    ("ＡＢＣ１２３", "abc123"),
    ("發展", "發展"),  # traditional is not made simplified
    ("发展", "发展"),
    # typography
    ("l’éducation — bien", "l'education - bien"),
    ("par\u00adticipation", "participation"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_the_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


# (what was searched, what the answer says, found?)
SEARCHES = [
    ("participacion", "La participación ciudadana", True),
    ("PARTICIPACIÓN", "la participacion", True),
    ("societe civile", "La SOCIÉTÉ CIVILE", True),
    ("strasse", "Die Straße", True),
    ("елка", "Ёлка", True),
    ("ёлка", "елка", True),
    ("мой", "мои дома", False),  # й and и are different letters
    ("الامم", "دور الأمم المتحدة", True),
    ("مدرسه", "مدرسةٌ آمنة", True),
    ("الى", "نحتاج إلى", True),
    ("可持续", "推动可持续发展目标", True),  # inside a run without spaces
    ("發展", "推动可持续发展目标", False),  # traditional does not find simplified
    ("abc", "ＡＢＣ１２３", True),
]


@pytest.mark.parametrize(("query", "answer", "found"), SEARCHES)
def test_a_search_word_is_found_whatever_the_accents(query: str, answer: str, found: bool) -> None:
    words = search_words(query)
    assert words is not None
    assert all(word in fold(answer) for word in words) is found


def test_no_word_is_no_search() -> None:
    assert search_words("   ") is None
    assert search_words("\u064b") is None  # a lone fatha folds to nothing


SPANS = [
    # (answer, search, what is highlighted in the text as written)
    ("La participación ciudadana", "participacion", ["participación"]),
    ("Die STRASSE und die Straße", "strasse", ["STRASSE", "Straße"]),
    ("Большая Ёлка", "елка", ["Ёлка"]),
    ("دور الأمم المتحدة", "الامم", ["الأمم"]),
    ("مُحَمَّدٌ رسول", "محمد", ["مُحَمَّدٌ"]),  # the marks within the word go with it
    ("推动可持续发展目标", "发展", ["发展"]),
    ("ＡＢＣ１２３ and abc", "abc", ["ＡＢＣ", "abc"]),
    ("e\u0301le\u0300ve", "eleve", ["e\u0301le\u0300ve"]),
    ("dos palabras distintas", "palabras dos", ["dos", "palabras"]),
]


@pytest.mark.parametrize(("answer", "query", "shown"), SPANS)
def test_highlighting_marks_the_text_as_written(answer: str, query: str, shown: list) -> None:
    spans = matched_spans(answer, search_words(query))
    assert [answer[start:end] for start, end in spans] == shown


def test_highlighting_merges_overlapping_words() -> None:
    assert matched_spans("participación", search_words("parti cipación")) == [(0, 13)]
    assert matched_spans("nothing here", search_words("absent")) == []
    assert matched_spans("anything", None) == []


# Text the fold must handle: any Unicode, and the six languages' letters more often.
UN_LETTERS = "aeéèçñüßÉÑÆœёЁйЙиабвأإآٱاىيةهـًٌٍَُِّْ发展發展，ＡＡ１ "
texts = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(UN_LETTERS)), max_size=60
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_fold_is_the_fold_of_each_character(text: str) -> None:
    """The fast path (a pattern over the changed characters) is the definition: NFC, then each
    character folded on its own."""
    composed = unicodedata.normalize("NFC", text)
    assert fold(text) == "".join(search_text._fold_char(c) for c in composed)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_a_word_of_an_answer_is_found_in_it_and_highlighted(text: str) -> None:
    folded = fold(text)
    for word in text.split():
        for piece in search_words(word) or ():
            assert piece in folded
            spans = matched_spans(text, [piece])
            if search_text._folded_with_positions(text)[0] == folded:  # else none, on purpose
                assert spans, (word, piece)
            for start, end in spans:
                # A span holds whole letters of the text as written, whose fold holds the word.
                assert 0 <= start < end <= len(text)
                assert piece in fold(text[start:end])


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=20))
def test_the_stored_columns_are_the_fold_of_each_answer(answers: list[str]) -> None:
    written = pd.Series(answers, dtype=object)
    redacted = written.map(lambda t: t.replace("@", "[at]"))
    columns = search_text.search_columns(written, redacted)
    assert list(columns["answer_search"]) == [fold(t) for t in redacted]
    for text, shown, stored in zip(
        written, redacted, columns["answer_written_search"], strict=True
    ):
        assert stored == (None if text == shown else fold(text))


# ------------------------------------------------------------------------------ the store

ANSWERS = {
    "A01": "La participación ciudadana es clave",
    "A02": "Participacion sin acentos",
    "A03": "دور الأمم المتحدة مهم",
    "A04": "نحتاج إلى مدرسة آمنة",
    "A05": "推动可持续发展目标",
    "A06": "推動可持續發展目標",
    "A07": "Ёлка и мой дом",
    "A08": "Елка и мои дома",
    "A09": "Write to ana@example.org about funding",
    "A10": "ＡＢＣ１２３ in full width",
    "A11": "Die Straße ist frei",
}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    definition = tmp_path / "consultation.toml"
    definition.write_text(EXAMPLE, encoding="utf-8")
    assert cli.main(["consultation", "add", str(definition), "--db", str(path)]) == 0
    export = tmp_path / "answers.csv"
    rows = "".join(f'{rid},2020-01-14T10:00:00Z,"{text}"\n' for rid, text in ANSWERS.items())
    export.write_text("Respondent ID,Submitted at,Q1\n" + rows, encoding="utf-8")
    assert cli.main(["import", "--consultation", CONSULTATION, "--db", str(path),
                     str(export)]) == 0  # fmt: skip
    return path


def found(con, query: str, raw: bool = False) -> set[str]:
    """The answers (as shown) the word search finds, and checks the count agrees."""
    params = {**Filters().params(CONSULTATION), "search": search_words(query), "raw": raw, "k": 1}
    listed = queries.frame(con, "answers", {**params, "page_size": 100, "offset": 0})
    count = queries.frame(con, "answers_count", params)
    assert count["responses"].iloc[0] == len(listed)
    return set(listed["answer"])


FOUND_IN_THE_STORE = [
    ("participacion", {"A01", "A02"}),
    ("PARTICIPACIÓN clave", {"A01"}),
    ("الامم", {"A03"}),  # without hamza finds the hamza form
    ("الأمم", {"A03"}),
    ("الى مدرسه", {"A04"}),
    ("发展", {"A05"}),  # a substring of a run of ideographs
    ("發展", {"A06"}),
    ("可持续", {"A05"}),
    ("елка", {"A07", "A08"}),
    ("мой", {"A07"}),
    ("мои", {"A08"}),
    ("abc123", {"A10"}),
    ("ＡＢＣ", {"A10"}),
    ("strasse", {"A11"}),
    ("example", set()),  # redacted: the e-mail address is not there to find
]


@pytest.mark.parametrize(("query", "ids"), FOUND_IN_THE_STORE)
def test_the_store_finds_answers_whatever_the_accents(store: Path, query: str, ids) -> None:
    con = database.connect(store)
    try:
        shown = found(con, query)
    finally:
        con.close()
    assert shown == {ANSWERS[i] for i in ids}


def test_the_text_as_written_is_searched_when_shown(store: Path) -> None:
    con = database.connect(store)
    try:
        assert found(con, "example", raw=True) == {ANSWERS["A09"]}
        assert found(con, "[email]") == {"Write to [email] about funding"}
        assert found(con, "[email]", raw=True) == set()
        stored = con.execute(
            "SELECT count(*), count(answer_written_search) FROM responses"
        ).fetchone()
    finally:
        con.close()
    assert stored == (len(ANSWERS), 1)  # only the redacted answer keeps a second fold


def stored_search_texts(con) -> list[tuple]:
    return con.execute(
        "SELECT source_row, answer_search, answer_written_search FROM responses ORDER BY 1"
    ).fetchall()


def test_a_store_made_before_the_search_texts_gets_them(store: Path) -> None:
    con = database.connect(store)
    made_at_import = stored_search_texts(con)
    # What an older version's store looks like: no columns, no version recorded.
    con.execute("ALTER TABLE responses DROP COLUMN answer_search")
    con.execute("ALTER TABLE responses DROP COLUMN answer_written_search")
    con.execute("DROP TABLE derived_versions")
    con.close()
    con = database.connect(store)
    try:
        assert stored_search_texts(con) == made_at_import
        assert found(con, "participacion") == {ANSWERS["A01"], ANSWERS["A02"]}
        version = con.execute(
            "SELECT version FROM derived_versions WHERE name = 'search_text'"
        ).fetchall()
    finally:
        con.close()
    assert version == [(search_text.VERSION,)]


def test_search_texts_made_by_another_fold_are_made_again(store: Path) -> None:
    con = database.connect(store)
    made_at_import = stored_search_texts(con)
    con.execute("UPDATE responses SET answer_search = 'stale', answer_written_search = 'stale'")
    con.execute("UPDATE derived_versions SET version = version - 1")
    con.close()
    con = database.connect(store)
    try:
        assert stored_search_texts(con) == made_at_import
    finally:
        con.close()


def test_texts_of_the_current_fold_are_left_alone(store: Path) -> None:
    con = database.connect(store)
    con.execute("UPDATE responses SET answer_search = 'kept' WHERE source_row = 2")
    con.close()
    con = database.connect(store)
    try:
        assert con.execute(
            "SELECT answer_search FROM responses WHERE source_row = 2"
        ).fetchone() == ("kept",)
    finally:
        con.close()


# ------------------------------------------------------------------------------ the page

COUNT = re.compile(r"\*\*([\d,]+)\*\* responses from \*\*([\d,<\s]+)\*\* respondents")


def shown_count(at) -> tuple[str, str]:
    match = next(m for m in (COUNT.search(md.value) for md in at.markdown) if m)
    return match.group(1), match.group(2)


@pytest.mark.parametrize(
    ("plain", "written"),
    [("participacion", "participación"), ("الانسان", "الإنسان"), ("societe", "société")],
)
@pytest.mark.parametrize("exact", [True, False], ids=["exact", "as-published"])
def test_the_responses_page_counts_both_spellings_alike(
    sample_db: Path, monkeypatch, plain: str, written: str, exact: bool
) -> None:
    counts = {}
    for query in (plain, written):
        at = open_page(sample_db, monkeypatch, "responses", search=query)
        if not exact:
            at.toggle(key="exact").set_value(False).run()
        assert not at.exception, at.exception
        counts[query] = shown_count(at)
    assert counts[plain] == counts[written]
    assert number(counts[plain][0]) > 0
    if exact:
        StoreGate.close_all()  # the pages' read-only hold, in this process
        con = database.connect(sample_db)
        try:
            by_fold, by_case = con.execute(
                "SELECT count(*) FILTER (WHERE contains(answer_search, $word)), "
                "count(*) FILTER (WHERE contains(lower(answer_redacted), $word)) "
                "FROM responses WHERE consultation_id = $consultation",
                {"word": plain, "consultation": CONSULTATION},
            ).fetchone()
        finally:
            con.close()
        assert number(counts[plain][0]) == by_fold
        # The accent-free word finds what the accent-sensitive search missed.
        assert by_case < by_fold


def test_the_responses_page_highlights_the_words_as_written(sample_db: Path, monkeypatch) -> None:
    at = open_page(sample_db, monkeypatch, "responses", search="participacion")
    bodies = [element.proto.body for element in at.get("html")]
    marked = {m for b in bodies for m in re.findall(r"<mark[^>]*>([^<]*)</mark>", b)}
    assert "participación" in {m.casefold() for m in marked}
