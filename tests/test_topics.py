"""Emergent topics (issue 17, item 2): the tokeniser per language, seeded topics that recover
known sub-topics across languages, protected sizes, making a code of a topic, and the page."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from streamlit.testing.v1 import AppTest

from dashboard.coding import tagging
from dashboard.coding.codebook import Codebook, CodebookError, Tagger, load_codebook
from dashboard.coding.text_features import Tokeniser, tokens
from dashboard.coding.topics import (
    code_from_topic,
    code_id_for,
    find_topics,
    keywords_of,
    topics_for,
)
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from tests.conftest import ROOT
from tests.test_pages import APP, CONSULTATION

sys.path.insert(0, str(ROOT / "sample_data"))
import topic_answers

SAMPLE_CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"


# ---- the tokeniser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # English: inflections share a stem; stop words and short words go.
        ("en", "The funding of funded groups", [("fund", "funding"), ("fund", "funded"),
                                                ("group", "groups")]),
        # French: accents kept in what is shown, dropped from what is counted; l' goes.
        ("fr", "Les défenseures et l'éducation", [("defenseur", "défenseures"),
                                                  ("educ", "éducation")]),
        # Spanish: the same word with and without its accent is one feature.
        ("es", "participación, PARTICIPACION", [("particip", "participación"),
                                                ("particip", "participacion")]),
        # Russian: case endings share a stem; ё is е.
        ("ru", "Правозащитники правозащитников ёлки", [("правозащитник", "правозащитники"),
                                                      ("правозащитник", "правозащитников"),
                                                      ("елк", "елки")]),
        # Arabic: the article, and و before it, come off; hamza forms fold.
        ("ar", "والتمويل التمويل تمويل في", [("تمويل", "والتمويل"), ("تمويل", "التمويل"),
                                           ("تمويل", "تمويل")]),
        # Chinese: cut into words by the segmenter's own dictionary; 我们, 需要 and 和 are
        # stop words.
        ("zh", "我们需要资金和资源", [("资金", "资金"), ("资源", "资源")]),
    ],
)  # fmt: skip
def test_tokens_per_language(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.stem, t.surface) for t in tokens(text, language)] == expected


def test_latin_words_in_a_chinese_answer_are_stemmed_as_english() -> None:
    found = tokens("联合国的 funding 资金", "zh")
    assert [(t.stem, t.surface) for t in found] == [
        ("联合国", "联合国"),
        ("fund", "funding"),
        ("资金", "资金"),
    ]


def test_a_tokeniser_gives_the_same_tokens_however_often_it_is_asked() -> None:
    tokeniser = Tokeniser()
    first = tokeniser.tokens("Les représailles, encore des représailles", "fr")
    assert first == tokeniser.tokens("Les représailles, encore des représailles", "fr")
    assert [t.stem for t in first] == ["represaill", "represaill"]


# ---- topics ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled() -> list[topic_answers.LabelledAnswer]:
    return topic_answers.generate(1800, seed=7)


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook(SAMPLE_CODEBOOK)


def test_the_same_answers_give_the_same_topics(labelled, codebook) -> None:
    texts = [a.text for a in labelled]
    languages = [a.language for a in labelled]
    first = find_topics(texts, languages, 12, codebook)
    second = find_topics(texts, languages, 12, codebook)
    assert np.array_equal(first.labels, second.labels)
    assert first.terms == second.terms and first.anchors == second.anchors
    assert len(first.terms) == 12
    # Topics are numbered from the largest.
    sizes = np.bincount(first.labels[first.labels >= 0])
    assert list(sizes) == sorted(sizes, reverse=True)


def test_known_subtopics_are_recovered_across_languages(labelled, codebook) -> None:
    found = find_topics([a.text for a in labelled], [a.language for a in labelled], 12, codebook)
    single = np.array([a.secondary is None for a in labelled])
    truth = np.array([a.primary for a in labelled])
    assert adjusted_rand_score(truth[single], found.labels[single]) >= 0.7
    # Anchored topics gather all six languages; funding's terms come in several scripts.
    funding = next(i for i, a in enumerate(found.anchors) if a == ("funding",))
    assert set(found.terms_by_language[funding]) == set(topic_answers.LANGUAGES)
    assert "funding" in found.terms_by_language[funding]["en"]
    assert any("资金" in word for word in found.terms_by_language[funding]["zh"])


def test_without_anchors_topics_stay_within_one_language(labelled) -> None:
    """What the codebook's anchors bring: without them, answers in different languages share
    almost no word, and the topics split by language rather than by subject."""
    found = find_topics([a.text for a in labelled], [a.language for a in labelled], 12, None)
    single = np.array([a.secondary is None for a in labelled])
    truth = np.array([a.primary for a in labelled])
    assert adjusted_rand_score(truth[single], found.labels[single]) < 0.4


def test_no_words_no_topics() -> None:
    found = find_topics(["the", "a", "..."], ["en", "en", "en"], 3, None)
    assert found.terms == () and list(found.labels) == [-1, -1, -1]


# ---- on the sample store: protected sizes, and making a code ---------------------------------


def listed(db: Path | object, filters: Filters, k: int):
    """The answers topics are found among (`db` a path, or a connection already open)."""
    if not isinstance(db, Path):
        return queries.frame(db, "topic_answers", {**filters.params(CONSULTATION), "k": k})
    con = database.connect(db, read_only=True)
    try:
        return queries.frame(con, "topic_answers", {**filters.params(CONSULTATION), "k": k})
    finally:
        con.close()


def test_topics_count_only_the_answers_a_listing_shows(sample_db) -> None:
    con = database.connect(sample_db, read_only=True)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        exact = topics_for(con, CONSULTATION, Filters(), 8, 1, codebook)
        protected = topics_for(con, CONSULTATION, Filters(), 8, 5, codebook)
        answers = queries.frame(con, "answers_count", {
            **Filters().params(CONSULTATION), "k": 5, "search": None, "raw": False,
        })  # fmt: skip
    finally:
        con.close()
    rows = listed(sample_db, Filters(), 5)
    assert exact.answers == protected.answers == len(rows) == int(answers["responses"].iloc[0])
    placed = sum(t.responses for t in exact.topics)
    assert placed + exact.unplaced == exact.answers
    for topic in exact.topics:
        assert topic.by_language["responses"].sum() == topic.responses
        assert topic.by_region["responses"].sum() == topic.responses
    # With k = 5, no shown cell counts fewer than 5 respondents; hidden ones say so.
    for topic in protected.topics:
        for frame in (topic.by_language, topic.by_region):
            shown = frame[~frame["suppressed"]]
            assert (shown["respondents"].dropna() >= 5).all()
            assert frame[frame["suppressed"]]["respondents"].isna().all()
    assert "respondent_key" not in protected.topics[0].by_language.columns
    # A topic of fewer than k respondents says nothing of what its answers say; per language,
    # words only where that language's cell is shown.
    for topic in protected.topics:
        if topic.respondents is None:
            assert (topic.terms, topic.terms_by_language, topic.label) == ((), {}, "")
            assert topic.typical.empty
        hidden = set(topic.by_language.loc[topic.by_language["suppressed"], "language"])
        assert not hidden & set(topic.terms_by_language)
    assert sum(t.respondents is not None for t in protected.topics) >= 6


def test_under_a_filter_topic_sizes_are_perturbed_like_every_figure(sample_db) -> None:
    """Not the exact counts: each shown count carries its cell's noise (never zero), never
    below k respondents; hidden cells stay hidden."""
    europe = Filters(regions=("Europe",))
    con = database.connect(sample_db, read_only=True)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        exact = topics_for(con, CONSULTATION, europe, 5, 1, codebook)
        released = topics_for(con, CONSULTATION, europe, 5, 5, codebook, perturbed=True)
    finally:
        con.close()
    assert [t.terms for t in exact.topics] == [t.terms for t in released.topics]
    compared = 0
    for mine, theirs in zip(released.topics, exact.topics, strict=True):
        cells = mine.by_language.merge(theirs.by_language, on="language", suffixes=("", "_exact"))
        shown = cells[~cells["suppressed"]]
        assert (shown["respondents"] >= 5).all()
        assert (shown["responses"] != shown["responses_exact"]).all()
        compared += len(shown)
    assert compared >= 5


def test_a_topic_becomes_a_code_in_one_step(sample_copy, sample_consultation) -> None:
    con = database.connect(sample_copy)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        found = topics_for(con, CONSULTATION, Filters(), 6, 1, codebook)
        topic = found.topics[0]
        new = code_from_topic(codebook, topic, "Réseaux et radio", "fr", sample_consultation)
        made = new.codes[-1]
        assert made.id == "reseaux-et-radio" and made.labels == {"fr": "Réseaux et radio"}
        assert made.keywords == keywords_of(topic) and len(made.keywords) >= len(topic.terms)
        tagging.save_codebook(con, sample_consultation, new, "tester")
        stored = tagging.get_codebook(con, CONSULTATION)
        assert stored.codes[-1] == made
        tagged = queries.frame(con, "by_code", Filters(codes=(made.id,)).params(CONSULTATION))
        tagger = Tagger(stored)
        texts = listed(con, Filters(), 1)["answer"]
        expected = sum(1 for text in texts if made.id in tagger.tag(text))
        row = tagged[tagged["code_id"] == made.id]
        assert expected > 0 and int(row["responses"].iloc[0]) >= expected
    finally:
        con.close()
    with pytest.raises(CodebookError):
        code_from_topic(codebook, topic, "   ", "en")


def test_code_ids_are_made_unique_and_valid() -> None:
    assert code_id_for("Land & environment", set(), 3) == "land-environment"
    assert code_id_for("Land & environment", {"land-environment"}, 3) == "land-environment-2"
    assert code_id_for("حماية البيئة", set(), 4) == "topic-4"
    assert code_id_for("环境", {"topic-4"}, 4) == "topic-4-2"


# ---- the page --------------------------------------------------------------------------------


def open_topics(db: Path, monkeypatch, *, exact: bool) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if exact:
        at.toggle(key="exact").set_value(True).run()
    at.switch_page("views/topics.py").run()
    assert not at.exception, at.exception
    return at


def test_topics_page_shows_the_topics_and_their_sizes(sample_db, monkeypatch) -> None:
    at = open_topics(sample_db, monkeypatch, exact=True)
    con = database.connect(sample_db, read_only=True)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        expected = topics_for(con, CONSULTATION, Filters(), 12, 1, codebook)
    finally:
        con.close()
    headers = [h.value for h in at.header if h.value.startswith("Topic ")]
    assert len(headers) == len(expected.topics) == 12
    assert headers[0] == "Topic 1: " + ", ".join(expected.topics[0].terms[:5])
    sizes = [m.value for m in at.markdown if m.value.startswith("**Size**")]
    first = expected.topics[0]
    assert (
        sizes[0] == f"**Size**: {first.respondents:,} respondents, {first.responses:,} responses."
    )
    # The table behind the first topic's language chart: the same figures.
    tables = [t.value for t in at.table if list(t.value.columns)[:1] == ["Language"]]
    shown = tables[0]
    assert [int(v.replace(",", "")) for v in shown["Responses"]] == list(
        first.by_language["responses"]
    )


def test_making_a_code_on_the_page(sample_copy, monkeypatch) -> None:
    at = open_topics(sample_copy, monkeypatch, exact=False)
    at.text_input(key="topic-1-name").input("Radio outreach")
    next(b for b in at.button if b.label == "Make a code").click().run()
    assert not at.exception, at.exception
    assert any("Code radio-outreach made with" in s.value for s in at.success)
    con = database.connect(sample_copy, read_only=True)
    try:
        codes = tagging.get_codebook(con, CONSULTATION).codes
    finally:
        con.close()
    assert codes[-1].id == "radio-outreach" and codes[-1].labels == {"en": "Radio outreach"}
    assert codes[-1].keywords
