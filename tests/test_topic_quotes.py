"""Quotes of topics (issue 17, item 4 for topics): each topic of at least k respondents shows its
member answers most typical of it (closest to its centre, the measure of a theme's or a code's),
which an analyst pins on the Topics page; a topic pin names the topic by its label (its first
five terms), stands while its answer's text is unchanged and a listing may show it, and goes into
the report pack and the Word report under "Topic: <label>", never with who wrote it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.coding import tagging, typical
from dashboard.coding import topics as topic_finding
from dashboard.coding.topics import QUOTE_COLUMNS, find_topics, topics_for
from dashboard.publish import report
from dashboard.publish.catalogue import Context
from dashboard.store import database, queries
from dashboard.store.gate import StoreGate
from dashboard.store.queries import Filters
from tests.conftest import blank_chart_images
from tests.test_pages import APP
from tests.test_quotes import HEADING, listed, read_csv_bytes

CONSULTATION = "civic-space-2020"
K = 5


def topic_answers(con, filters: Filters, k: int) -> pd.DataFrame:
    return queries.frame(con, "topic_answers", {**filters.params(CONSULTATION), "k": k})


def key(row) -> tuple[int, int, str]:
    return (int(row.import_id), int(row.source_row), str(row.question_id))


# --- a topic's typical answers ------------------------------------------------------------------


def test_a_topics_typical_answers_are_its_members_most_typical_first(sample_db) -> None:
    con = database.connect(sample_db, read_only=True)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        found = topics_for(con, CONSULTATION, Filters(), 8, K, codebook)
        answers = topic_answers(con, Filters(), K)
    finally:
        con.close()
    assert "respondent_id" not in answers.columns
    # Which answers each topic holds: the same finding, done again here on the same answers.
    languages = answers["language"].fillna("und").tolist()
    labels = find_topics(answers["answer"].tolist(), languages, 8, codebook).labels
    checked = 0
    for number, topic in enumerate(found.topics):
        if topic.respondents is None:
            continue
        members = answers[labels == number]
        shown = topic.typical
        assert topic.label == ", ".join(topic.terms[:5]) != ""
        assert 0 < len(shown) <= typical.TOP
        assert list(shown.columns) == [*QUOTE_COLUMNS, "closeness"]
        assert not {"respondent_key", "record_key", "respondent_id"} & set(shown.columns)
        # Every typical answer is a member, as the member's quote shows it.
        by_key = members.set_index(["import_id", "source_row", "question_id"])
        for row in shown.itertuples():
            member = by_key.loc[key(row)]
            assert row.answer == member["answer"] and row.language == member["language"]
            assert row.theme_id == member["theme_id"]
        # In closeness order, each closeness the member's cosine to the topic's centre.
        assert shown["closeness"].is_monotonic_decreasing
        scores = typical.centrality(members["answer"].tolist())
        by_text = dict(zip(members["answer"], scores, strict=True))
        assert np.allclose(shown["closeness"], [by_text[t] for t in shown["answer"]])
        assert shown["closeness"].iloc[0] == pytest.approx(scores.max())
        # The first TOP distinct texts by closeness: none closer was left out.
        folded = shown["answer"].map(lambda t: " ".join(t.casefold().split()))
        assert folded.is_unique
        if len(shown) == typical.TOP:
            assert (scores <= shown["closeness"].iloc[0] + 1e-9).all()
            distinct = pd.Series(members["answer"]).map(lambda t: " ".join(t.casefold().split()))
            closer = {d for d, s in zip(distinct, scores, strict=True)
                      if s > shown["closeness"].iloc[-1] + 1e-9}  # fmt: skip
            assert closer <= set(folded)
        checked += 1
    assert checked >= 6


def test_a_topic_of_fewer_than_k_respondents_shows_no_quotes(sample_db) -> None:
    """Russian answers in 30 topics: some topics hold fewer than 5 respondents."""
    russian = Filters(languages=("ru",))
    con = database.connect(sample_db, read_only=True)
    try:
        codebook = tagging.get_codebook(con, CONSULTATION)
        found = topics_for(con, CONSULTATION, russian, 30, K, codebook)
    finally:
        con.close()
    small = [t for t in found.topics if t.respondents is None]
    large = [t for t in found.topics if t.respondents is not None]
    assert small and large
    for topic in small:
        assert topic.typical.empty and topic.label == ""
    for topic in large:
        assert not topic.typical.empty and (topic.typical["language"] == "ru").all()


def test_large_topics_rank_a_fixed_sample_of_their_members() -> None:
    frame = pd.DataFrame(
        {
            "import_id": 1,
            "source_row": np.arange(50),
            "question_id": "q1",
            "answer": [f"answer {n}" for n in range(50)],
        }
    )
    sample = typical.fixed_sample(frame, 20)
    assert len(sample) == 20 and sample["source_row"].is_monotonic_increasing
    assert sample.equals(typical.fixed_sample(frame.iloc[::-1], 20).sort_values("source_row"))
    assert typical.fixed_sample(frame, 50) is frame


def test_a_topic_has_no_candidates_from_the_store(sample_db) -> None:
    con = database.connect(sample_db, read_only=True)
    try:
        with pytest.raises(ValueError):
            typical.candidates(con, CONSULTATION, Filters(), "topic", "a, b", K)
    finally:
        con.close()


# --- topic pins in the store ------------------------------------------------------------------


@pytest.fixture
def store(sample_copy: Path):
    con = database.connect(sample_copy)
    yield con
    con.close()


def test_a_topic_pin_stands_while_its_text_is_unchanged_and_a_listing_shows_it(store) -> None:
    codebook = tagging.get_codebook(store, CONSULTATION)
    topic = topics_for(store, CONSULTATION, Filters(), 8, K, codebook).topics[0]
    quote = topic.typical.iloc[0]
    typical.pin(store, CONSULTATION, "topic", topic.label, key(quote), "ana")
    pinned = typical.pinned_quotes(store, CONSULTATION, Filters(), K)
    assert list(zip(pinned["kind"], pinned["subject_id"], pinned["answer"], strict=True)) == [
        ("topic", topic.label, quote["answer"])
    ]
    assert key(pinned.iloc[0]) == key(quote)
    assert "respondent_id" not in pinned.columns
    # Re-tagging every answer, another number of topics: the pin is kept (topics are not stored,
    # so nothing ties it to a topic found later).
    consultation = database.get_consultation(store, CONSULTATION)
    tagging.save_codebook(store, consultation, codebook, "ana")
    assert len(typical.pinned_quotes(store, CONSULTATION, Filters(), K)) == 1
    # Filters that leave its answer out leave the pin out.
    other = next(x for x in ("en", "fr", "es", "ar", "zh", "ru") if x != quote["language"])
    assert typical.pinned_quotes(store, CONSULTATION, Filters(languages=(other,)), K).empty
    assert (
        len(typical.pinned_quotes(store, CONSULTATION, Filters(languages=(quote["language"],)), K))
        == 1
    )
    # Its answer's text changed (a corrected re-import): the pin no longer stands.
    store.execute(
        "UPDATE responses SET answer_written = answer || ' (corrected)' WHERE consultation_id = $c"
        " AND import_id = $i AND source_row = $r AND question_id = $q",
        {"c": CONSULTATION, "i": key(quote)[0], "r": key(quote)[1], "q": key(quote)[2]},
    )
    assert typical.pinned_quotes(store, CONSULTATION, Filters(), K).empty


def test_the_report_puts_topic_quotes_after_themes_and_codes(store) -> None:
    shown = listed(store)
    theme = shown[shown["theme_id"] == "protection"].iloc[0]
    code = shown[shown["codes"].map(lambda c: "reprisals" in c)].iloc[0]
    topic = shown.iloc[2]
    # Pinned in the reverse of the report's order, the later topic label first.
    typical.pin(store, CONSULTATION, "topic", "zeta, words", key(topic), "ana")
    typical.pin(store, CONSULTATION, "topic", "alpha, words", key(topic), "ana")
    typical.pin(store, CONSULTATION, "code", "reprisals", key(code), "ana")
    typical.pin(store, CONSULTATION, "theme", "protection", key(theme), "ana")
    consultation = database.get_consultation(store, CONSULTATION)
    context = Context(consultation, Filters(), tagging.get_codebook(store, CONSULTATION))
    quotes = report.quote_frame(store, context, K)
    assert list(quotes["kind"]) == ["theme", "code", "topic", "topic"]
    headings = [group.heading for group in report.quote_groups(quotes)]
    assert headings == [
        f"Theme: {context.theme_labels()['protection']}",
        f"Code: {context.code_labels()['reprisals']}",
        "Topic: alpha, words",
        "Topic: zeta, words",
    ]
    table = report.quote_table(quotes)
    assert list(table["Quote of"]) == ["Theme", "Code", "Topic", "Topic"]
    assert list(table["Theme, code or topic"].iloc[2:]) == ["alpha, words", "zeta, words"]
    assert list(table["Quote"].iloc[2:]) == [topic.answer_redacted] * 2


# --- the Topics page ----------------------------------------------------------------------------


def pins(path: Path) -> pd.DataFrame:
    StoreGate.close_all()  # the page's read-only hold, in this process
    reader = database.connect(path, read_only=True)
    try:
        return reader.execute(
            "SELECT p.kind, p.subject_id, r.respondent_id, r.answer_redacted"
            " FROM quote_pins AS p JOIN responses AS r USING (consultation_id, respondent_id,"
            " question_id) WHERE md5(r.answer) = p.answer_hash"
        ).df()
    finally:
        reader.close()


def test_an_analyst_pins_a_topic_quote_and_the_report_carries_it(
    sample_copy: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    found = []
    finder = topic_finding.topics_for

    def counted(*args, **kwargs):
        found.append(args[2])
        return finder(*args, **kwargs)

    monkeypatch.setattr(topic_finding, "topics_for", counted)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/topics.py").run()
    assert not at.exception, at.exception
    first = [b for b in at.button if b.key.startswith("topic-1-typical-")]
    assert 0 < len(first) <= typical.TOP
    assert all(b.label == "Pin as a quote" for b in first)
    assert not any(b.key.startswith("topic-pinned-") for b in at.button)
    title = next(h.value for h in at.header if h.value.startswith("Topic 1: "))
    first[0].click().run()
    assert not at.exception, at.exception
    stored = pins(sample_copy)
    assert len(stored) == 1 and stored["kind"].iloc[0] == "topic"
    label = stored["subject_id"].iloc[0]
    assert title == f"Topic 1: {label}"
    # Shown as pinned in its topic and in the list of pinned topic quotes, which names it.
    assert next(b for b in at.button if b.key == first[0].key).label == "Unpin"
    listed = [b for b in at.button if b.key.startswith("topic-pinned-")]
    assert [b.label for b in listed] == ["Unpin"]
    assert f"Topic: {label}" in [s.value for s in at.subheader]
    # The pin changed nothing topics are found from: they were not found again.
    assert len(found) == 1

    StoreGate.close_all()
    con = database.connect(sample_copy, read_only=True)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        with blank_chart_images():  # the quotes are not in the charts
            files = report.pack_files(con, consultation, Filters())
    finally:
        con.close()
    table, _footer = read_csv_bytes(files["quotes.csv"])
    answer, respondent = stored["answer_redacted"].iloc[0], stored["respondent_id"].iloc[0]
    assert list(table["Quote of"]) == ["Topic"]
    assert list(table["Theme, code or topic"]) == [label]
    assert list(table["Quote"]) == [answer]
    row = table.iloc[0]
    assert row["Language"].endswith(")") and row["Place"] and row["Stakeholder type"]
    document = docx.Document(io.BytesIO(files["report.docx"]))
    paragraphs = document.paragraphs
    start = next(n for n, p in enumerate(paragraphs)
                 if p.text == HEADING and p.style.name == "Heading 1")  # fmt: skip
    said = [(p.style.name, p.text) for p in paragraphs[start + 1 :]]
    assert said[:2] == [
        ("Heading 2", f"Topic: {label}"),
        ("Quote", answer),
    ]
    assert said[2][1] == f"{row['Language']} · {row['Place']} · {row['Stakeholder type']}"
    # Never who wrote it.
    with zipfile.ZipFile(io.BytesIO(files["report.docx"])) as archive:
        xml = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert respondent not in xml
    assert respondent not in files["quotes.csv"].decode("utf-8-sig")
    assert respondent.encode() not in files["quotes.xlsx"]

    listed[0].click().run()  # unpinned from the list
    assert not at.exception, at.exception
    assert pins(sample_copy).empty
    assert not any(b.key.startswith("topic-pinned-") for b in at.button)
    assert all(
        b.label == "Pin as a quote" for b in at.button if b.key.startswith("topic-1-typical-")
    )
    assert len(found) == 1


def test_the_page_shows_no_quotes_for_a_topic_of_fewer_than_k(sample_db, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.multiselect(key="language").set_value(["ru"]).run()
    at.switch_page("views/topics.py").run()
    at.slider(key="topics-count").set_value(30).run()
    assert not at.exception, at.exception
    titles = [h.value for h in at.header if h.value.startswith("Topic ")]
    hidden = [n for n, t in enumerate(titles, start=1) if t.endswith("fewer than 5 respondents")]
    shown = [n for n, t in enumerate(titles, start=1) if n not in hidden]
    assert hidden and shown
    keys = [b.key for b in at.button]
    for number in hidden:
        assert not any(k.startswith(f"topic-{number}-typical-") for k in keys)
    for number in shown:
        assert any(k.startswith(f"topic-{number}-typical-") for k in keys)
