"""Quotes for the report (issue 17, item 4): the answers most typical of a theme or code (closest
to its centre by TF-IDF over character n-grams), pinned by an analyst on the Themes page, and
the pinned quotes in the report pack and the Word report under "What respondents said", with
their language, place (as the answer's card names it) and stakeholder type, never who wrote
them."""

from __future__ import annotations

import csv
import io
import random
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import numpy as np
import pandas as pd
import pytest
from docx.oxml.ns import qn
from sklearn.feature_extraction.text import TfidfVectorizer
from streamlit.testing.v1 import AppTest

from dashboard.coding import tagging, typical
from dashboard.importer import import_file, undo_import
from dashboard.publish import report, word
from dashboard.reference import geo, i18n
from dashboard.store import database, queries
from dashboard.store.gate import StoreGate
from dashboard.store.queries import Filters
from tests.conftest import SAMPLE_DIR, blank_chart_images
from tests.test_access import app_as  # noqa: F401 (a fixture)
from tests.test_pages import APP

CONSULTATION = "civic-space-2020"
K = 5  # the sample's suppression_k
HEADING = "What respondents said"

# --- the ranking ----------------------------------------------------------------------------


def planted(common: list[str], noise: list[str], seed: int) -> tuple[list[str], str]:
    """Answers that each say one of the `common` phrases and something of their own, and one
    planted answer saying all of them: the closest to the set's centre. Shuffled by `seed`."""
    rng = random.Random(seed)
    texts = []
    for n in range(40):
        said = rng.choice(common)
        texts.append(" ".join((noise[n % len(noise)], said, noise[(n * 3 + 1) % len(noise)])))
    typical_one = " ".join(common)
    texts.append(typical_one)
    rng.shuffle(texts)
    return texts, typical_one


ENGLISH = [
    "civil society space is shrinking",
    "funding for local organisations",
    "protection of human rights defenders",
    "consultation with the United Nations",
]
ENGLISH_NOISE = [
    "in my country", "thank you", "we agree", "see the report", "as before", "frankly",
    "last year", "our members say", "in rural areas", "urgently", "once again",
]  # fmt: skip
CHINESE = ["公民社会空间正在缩小", "地方组织的资金", "保护人权维护者", "与联合国的磋商"]
CHINESE_NOISE = [
    "在我国", "谢谢", "我们同意", "见报告", "和以前一样", "坦率地说", "去年", "我们的成员说",
    "在农村地区", "紧急", "再一次",
]  # fmt: skip
ARABIC = [
    "تقلص الفضاء المدني",
    "تمويل المنظمات المحلية",
    "حماية المدافعين عن حقوق الإنسان",
    "التشاور مع الأمم المتحدة",
]
ARABIC_NOISE = [
    "في بلدي", "شكرا", "نحن نتفق", "انظر التقرير", "كما في السابق", "بصراحة", "العام الماضي",
    "يقول أعضاؤنا", "في المناطق الريفية", "بشكل عاجل", "مرة أخرى",
]  # fmt: skip


@pytest.mark.parametrize(
    ("common", "noise"),
    [(ENGLISH, ENGLISH_NOISE), (CHINESE, CHINESE_NOISE), (ARABIC, ARABIC_NOISE)],
    ids=["en", "zh", "ar"],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_planted_typical_answer_comes_first(common, noise, seed: int) -> None:
    texts, typical_one = planted(common, noise, seed)
    ranked = typical.rank_typical(texts)
    assert texts[ranked[0][0]] == typical_one
    scores = [score for _id, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert 0 < scores[-1] < scores[0] <= 1
    # The planted answer leads clearly, not by a rounding error.
    assert scores[0] - scores[1] > 0.02


def test_the_ranking_is_deterministic_and_keeps_ids() -> None:
    texts, typical_one = planted(ENGLISH, ENGLISH_NOISE, 7)
    ids = [f"answer-{n}" for n in range(len(texts))]
    first = typical.rank_typical(texts, ids)
    assert first == typical.rank_typical(texts, ids)  # the same, score for score
    assert sorted(i for i, _score in first) == sorted(ids)
    assert texts[ids.index(first[0][0])] == typical_one
    assert typical.rank_typical(texts, ids, top=3) == first[:3]
    # Equal scores keep the order given: the same text twice, the first first.
    twice = typical.rank_typical(["same words", "other words here", "same words"])
    assert [i for i, _s in twice].index(0) < [i for i, _s in twice].index(2)


def test_closeness_is_tfidf_over_every_text_even_with_copies() -> None:
    """Each distinct text is vectorised once, its copies weighed: the scores are those of
    scikit-learn's TfidfVectorizer over every text, copies and all."""
    texts, _typical = planted(ENGLISH, ENGLISH_NOISE, 11)
    texts = texts + texts[:7] + [CHINESE[0], ARABIC[1], ARABIC[1]]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=typical.NGRAMS, sublinear_tf=True)
    rows = vectors.fit_transform(texts)
    centre = np.asarray(rows.mean(axis=0)).ravel()
    expected = np.asarray(rows @ (centre / np.linalg.norm(centre))).ravel()
    assert np.allclose(typical.centrality(texts), expected, rtol=0, atol=1e-12)


def test_sets_without_n_grams_rank_without_error() -> None:
    assert typical.rank_typical([]) == []
    assert typical.rank_typical(["", " "]) == [(0, 0.0), (1, 0.0)]
    with pytest.raises(ValueError):
        typical.rank_typical(["a", "b"], ids=[1])


# --- the sample store: candidates, pins ---------------------------------------------------


@pytest.fixture
def store(sample_copy: Path):
    con = database.connect(sample_copy)
    yield con
    con.close()


def listed(con) -> pd.DataFrame:
    """Every answer an answer listing may show, with what tests need to find one (read here
    with the respondent's facts, which no quote ever carries)."""
    return con.execute(
        "SELECT l.import_id, l.source_row, l.question_id, l.theme_id, l.language, l.country,"
        " l.country_shown, l.stakeholder_type, l.codes, r.respondent_id, r.answer_redacted"
        " FROM listed_responses($c, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        " 'UTC', $k) AS l JOIN responses AS r USING (consultation_id, import_id, source_row,"
        " question_id) ORDER BY l.import_id, l.source_row, l.question_id",
        {"c": CONSULTATION, "k": K},
    ).df()


def key(row) -> tuple[int, int, str]:
    return (int(row.import_id), int(row.source_row), row.question_id)


def test_typical_answers_of_a_theme_are_its_listed_answers_most_typical_first(store) -> None:
    top = typical.typical_answers(store, CONSULTATION, Filters(), "theme", "protection", K)
    assert len(top) == typical.TOP
    assert "respondent_id" not in top.columns
    assert (top["theme_id"] == "protection").all()
    assert top["closeness"].is_monotonic_decreasing
    # The same candidates ranked by the same function give the same order.
    every = typical.candidates(store, CONSULTATION, Filters(), "theme", "protection", K)
    ranked = typical.rank_typical(every["answer"].tolist())
    assert top["answer"].iloc[0] == every["answer"].iloc[ranked[0][0]]
    # Only answers a listing may show, each as its card shows it.
    shown = listed(store)
    keys = set(zip(shown["import_id"], shown["source_row"], shown["question_id"], strict=True))
    assert all(key(row) in keys for row in every.itertuples())
    assert len(every) == (shown["theme_id"] == "protection").sum()
    # A code's: every answer carries it.
    code = typical.typical_answers(store, CONSULTATION, Filters(), "code", "reprisals", K)
    by_key = shown.set_index(["import_id", "source_row", "question_id"])
    assert all("reprisals" in by_key.loc[key(row), "codes"] for row in code.itertuples())


def test_the_filters_narrow_the_typical_answers(store) -> None:
    arabic = typical.typical_answers(
        store, CONSULTATION, Filters(languages=("ar",)), "theme", "protection", K
    )
    assert not arabic.empty and (arabic["language"] == "ar").all()
    # A subject whose answers come from fewer than k respondents lists nothing: a code under
    # a country filter that leaves it between 1 and k - 1 respondents (counted here apart).
    shown = listed(store)
    shown = shown[shown["country_shown"]].explode("codes")
    sizes = shown.groupby(["country", "codes"])["respondent_id"].nunique()
    country, code = sizes[(sizes > 0) & (sizes < K)].index[0]
    few = Filters(countries=(country,))
    assert typical.typical_answers(store, CONSULTATION, few, "code", code, K) is None
    enough = sizes[sizes >= K].index[0]
    assert len(typical.typical_answers(store, CONSULTATION, Filters(countries=(enough[0],)),
                                       "code", enough[1], K))  # fmt: skip


def test_pins_are_stored_unpinned_and_survive_a_retag_and_a_reopening(
    store, sample_copy: Path
) -> None:
    top = typical.typical_answers(store, CONSULTATION, Filters(), "theme", "protection", K)
    first, second = top.iloc[0], top.iloc[1]
    typical.pin(store, CONSULTATION, "theme", "protection", key(first), "ana")
    typical.pin(store, CONSULTATION, "theme", "protection", key(second), "ana")
    typical.pin(store, CONSULTATION, "theme", "protection", key(first), "ana")  # once only
    pinned = typical.pinned_quotes(store, CONSULTATION, Filters(), K)
    assert list(pinned["answer"]) == [first["answer"], second["answer"]]
    assert "respondent_id" not in pinned.columns
    again = typical.typical_answers(store, CONSULTATION, Filters(), "theme", "protection", K)
    assert list(again["pinned"][:2]) == [True, True] and not again["pinned"][2:].any()
    logged = "SELECT count(*) FROM audit_log WHERE action = $a AND who = 'ana'"
    assert store.execute(logged, {"a": "quote_pinned"}).fetchone()[0] == 3
    # A re-tag of every answer (the codebook saved again) and the store closed and opened.
    consultation = database.get_consultation(store, CONSULTATION)
    tagging.save_codebook(store, consultation, tagging.get_codebook(store, CONSULTATION), "ana")
    store.close()
    reopened = database.connect(sample_copy)
    try:
        kept = typical.pinned_quotes(reopened, CONSULTATION, Filters(), K)
        assert list(kept["answer"]) == [first["answer"], second["answer"]]
        typical.unpin(reopened, CONSULTATION, "theme", "protection", key(first), "ana")
        left = typical.pinned_quotes(reopened, CONSULTATION, Filters(), K)
        assert list(left["answer"]) == [second["answer"]]
        assert reopened.execute(logged, {"a": "quote_unpinned"}).fetchone()[0] == 1
        # Unpinning under another subject takes nothing off.
        typical.unpin(reopened, CONSULTATION, "code", "reprisals", key(second), "ana")
        assert len(typical.pinned_quotes(reopened, CONSULTATION, Filters(), K)) == 1
    finally:
        reopened.close()


def test_a_pin_survives_an_undo_and_a_reimport_of_its_file(store) -> None:
    shown = listed(store)
    english = shown[(shown["language"] == "en") & (shown["theme_id"] == "partnership")]
    answer = english[english["answer_redacted"].str.len() > 60].iloc[0]
    typical.pin(store, CONSULTATION, "theme", "partnership", key(answer), "ana")
    import_id = int(answer.import_id)
    (file_name,) = store.execute(
        "SELECT file_name FROM imports WHERE import_id = $i", {"i": import_id}
    ).fetchone()
    assert file_name == "responses_en.csv"
    undo_import(store, CONSULTATION, import_id)
    assert typical.pinned_quotes(store, CONSULTATION, Filters(), K).empty  # its answer is gone
    consultation = database.get_consultation(store, CONSULTATION)
    report_ = import_file(store, SAMPLE_DIR / file_name, consultation, None)
    assert report_.import_id != import_id
    again = typical.pinned_quotes(store, CONSULTATION, Filters(), K)
    assert list(again["answer"]) == [answer.answer_redacted]
    assert int(again["import_id"].iloc[0]) == report_.import_id


def test_a_pin_follows_its_subject_and_the_filters(store) -> None:
    shown = listed(store)
    answer = shown[shown["codes"].map(lambda c: "reprisals" in c)].iloc[0]
    typical.pin(store, CONSULTATION, "code", "reprisals", key(answer), "ana")
    assert len(typical.pinned_quotes(store, CONSULTATION, Filters(), K)) == 1
    other = next(lang for lang in ("en", "fr", "es", "ar", "zh", "ru") if lang != answer.language)
    assert typical.pinned_quotes(store, CONSULTATION, Filters(languages=(other,)), K).empty
    with pytest.raises(ValueError):
        typical.pin(store, CONSULTATION, "question", "q1", key(answer), "ana")


def small_country_answer(con) -> pd.Series:
    """A listed answer to a question of theme 'partnership' from a country of fewer than k
    respondents of the consultation."""
    shown = listed(con)
    small = shown[
        ~shown["country_shown"]
        & (shown["country"] != "Unknown")
        & (shown["theme_id"] == "partnership")
    ]
    assert not small.empty, "the sample has no listed answer from a small country"
    return small.iloc[0]


def country_names(con, iso3: str) -> list[str]:
    """A country as any file could name it: English, ISO3, and in the language in force."""
    english = con.execute("SELECT name_en FROM countries WHERE iso3 = $i", {"i": iso3}).fetchone()
    return [english[0], iso3, str(geo.country_name(iso3, english[0]))]


def test_stakeholder_types_are_named_only_for_k_respondents_of_the_same_card(store) -> None:
    every = typical.candidates(store, CONSULTATION, Filters(), "theme", "partnership", K)
    facts = store.execute(
        "SELECT f.country, f.language, f.stakeholder_type, p.shown, p.pool"
        " FROM respondent_facts AS f JOIN listing_places($c, $k) AS p"
        " ON p.field = 'country' AND p.value = f.country WHERE f.consultation_id = $c",
        {"c": CONSULTATION, "k": K},
    ).df()
    facts["place"] = [
        f"country:{c}" if s else (f"pool:{p}" if isinstance(p, str) else "unnamed")
        for c, s, p in zip(facts["country"], facts["shown"], facts["pool"], strict=True)
    ]
    group = facts.groupby(["place", "language", "stakeholder_type"]).size()
    types = facts.groupby("stakeholder_type").size()
    named = every[every["stakeholder_type"].notna()]
    hidden = every[every["stakeholder_type"].isna()]
    assert not named.empty and not hidden.empty  # both happen in the sample
    for row in named.itertuples():
        if isinstance(row.country, str):
            place = f"country:{row.iso3}"
        elif row.region == "Unknown":  # the card says "Country unknown"
            place = (
                "country:Unknown" if ("country:Unknown", row.language) in group else "pool:Unknown"
            )
        else:
            place = f"pool:{row.region}" if isinstance(row.region, str) else "unnamed"
        assert types[row.stakeholder_type] >= K
        assert group[(place, row.language, row.stakeholder_type)] >= K


# --- the report pack and the Word report ----------------------------------------------------


def said_text(content: bytes, heading: str = HEADING) -> str | None:
    """The text of the report's "What respondents said" chapter (from its heading on), or None
    when the report has none."""
    paragraphs = docx.Document(io.BytesIO(content)).paragraphs
    starts = [n for n, p in enumerate(paragraphs)
              if p.text == heading and p.style.name == "Heading 1"]  # fmt: skip
    if not starts:
        return None
    return "\n".join(p.text for p in paragraphs[starts[0] :])


def quote_paragraphs(content: bytes) -> list[tuple[str, str, str | None]]:
    """(quote, the line under it, the quote paragraph's w:bidi value) under the heading."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = document.paragraphs
    start = next(n for n, p in enumerate(paragraphs) if p.text in (HEADING, "ما قاله المستجيبون"))
    found = []
    for n, paragraph in enumerate(paragraphs[start:], start=start):
        if paragraph.style.name == "Quote":
            bidi = paragraph._p.pPr.find(qn("w:bidi"))
            found.append(
                (
                    paragraph.text,
                    paragraphs[n + 1].text,
                    None if bidi is None else bidi.get(qn("w:val")),
                )
            )
    return found


@pytest.fixture(scope="module")
def quoted(sample_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """Three pinned quotes, in this order: an English answer of theme 'partnership', an answer
    of the same theme from a country of fewer than k respondents, and an Arabic answer with
    the code 'reprisals'; then the pack in English, in Arabic, and under a filter to French."""
    path = tmp_path_factory.mktemp("quoted") / "store.duckdb"
    shutil.copy(sample_db, path)
    con = database.connect(path)
    try:
        shown = listed(con)
        english = shown[(shown["language"] == "en") & (shown["theme_id"] == "partnership")]
        english = english[english["country_shown"] & (english["answer_redacted"].str.len() > 60)]
        english = english.iloc[0]
        small = small_country_answer(con)
        arabic = shown[
            (shown["language"] == "ar") & shown["codes"].map(lambda c: "reprisals" in c)
        ].iloc[0]
        typical.pin(con, CONSULTATION, "theme", "partnership", key(english), "ana")
        typical.pin(con, CONSULTATION, "theme", "partnership", key(small), "ana")
        typical.pin(con, CONSULTATION, "code", "reprisals", key(arabic), "ana")
        consultation = database.get_consultation(con, CONSULTATION)
        with blank_chart_images():  # the quotes are not in the charts
            packs = {"en": report.pack_files(con, consultation, Filters())}
            with i18n.using("ar"):
                packs["ar"] = report.pack_files(con, consultation, Filters())
            packs["fr"] = report.pack_files(con, consultation, Filters(languages=("fr",)))
        names = country_names(con, small.country)
        pinned = typical.pinned_quotes(con, CONSULTATION, Filters(), K)
    finally:
        con.close()
    return SimpleNamespace(
        english=english, small=small, arabic=arabic, packs=packs, names=names, pinned=pinned
    )


def test_the_pack_and_the_word_report_carry_the_pinned_quotes(quoted) -> None:
    files = quoted.packs["en"]
    table, _footer = read_csv_bytes(files["quotes.csv"])
    answers = [quoted.english.answer_redacted, quoted.small.answer_redacted,
               quoted.arabic.answer_redacted]  # fmt: skip
    assert list(table["Quote of"]) == ["Theme", "Theme", "Code"]
    assert list(table["Theme, code or topic"]) == [
        "Partnership and participation",
        "Partnership and participation",
        "Reprisals for engaging with the UN",
    ]
    assert list(table["Quote"]) == answers
    assert table["Language"].iloc[0] == "English (en)"
    assert table["Language"].iloc[2] == "Arabic (ar)"
    assert (table["Place"] != "").all() and (table["Stakeholder type"] != "").all()
    quotes = quote_paragraphs(files["report.docx"])
    # Each quote in its own direction: the Arabic one right to left in an English report.
    assert quotes == [
        (answer, f"{row.Language} · {row.Place} · {row._6}", "1" if n == 2 else "0")
        for n, (answer, row) in enumerate(zip(answers, table.itertuples(), strict=True))
    ]
    # Arabic and Chinese are not slanted: the Quote style's italics are turned off for them.
    document = docx.Document(io.BytesIO(files["report.docx"]))
    arabic_run = next(
        p.runs[0] for p in document.paragraphs
        if p.style.name == "Quote" and p.text == quoted.arabic.answer_redacted
    )  # fmt: skip
    assert arabic_run.italic is False and arabic_run.font.cs_italic is False
    english_run = next(
        p.runs[0] for p in document.paragraphs
        if p.style.name == "Quote" and p.text == quoted.english.answer_redacted
    )  # fmt: skip
    assert english_run.italic is None  # the style's italics
    body = said_text(files["report.docx"])
    assert "Theme: Partnership and participation" in body
    assert "Code: Reprisals for engaging with the UN" in body
    assert "## Quotes" in files["methodology.md"].decode()
    # Never who wrote them: no respondent id anywhere in the document's XML or the files.
    with zipfile.ZipFile(io.BytesIO(files["report.docx"])) as archive:
        xml = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    for respondent in (quoted.english, quoted.small, quoted.arabic):
        assert respondent.respondent_id not in xml
        assert respondent.respondent_id not in files["quotes.csv"].decode("utf-8-sig")
        assert respondent.respondent_id.encode() not in files["quotes.xlsx"]
    assert "respondent_id" not in quoted.pinned.columns


def test_a_quote_from_a_small_country_does_not_name_it(quoted) -> None:
    pinned = quoted.pinned
    (row,) = [r for _n, r in pinned.iterrows() if r["answer"] == quoted.small.answer_redacted]
    assert pd.isna(row["iso3"]) and pd.isna(row["country"])
    place = typical.place_text(row["iso3"], row["country"], row["region"])
    assert "country not shown" in place.lower()
    table, _footer = read_csv_bytes(quoted.packs["en"]["quotes.csv"])
    assert table["Place"].iloc[1] == place
    quotes_text = "\n".join(table.astype(str).agg(" ".join, axis=1))
    word_text = said_text(quoted.packs["en"]["report.docx"])
    for name in quoted.names:
        assert name not in quotes_text and name not in word_text, name


def test_the_arabic_report_has_the_heading_in_arabic_and_latin_quotes_left_to_right(
    quoted,
) -> None:
    files = quoted.packs["ar"]
    assert said_text(files["report.docx"], "ما قاله المستجيبون") is not None
    quotes = quote_paragraphs(files["report.docx"])
    assert [(q, b) for q, _about, b in quotes] == [
        (quoted.english.answer_redacted, "0"),
        (quoted.small.answer_redacted, "0" if quoted.small.language != "ar" else "1"),
        (quoted.arabic.answer_redacted, "1"),
    ]
    table, _footer = read_csv_bytes(files["quotes.csv"])
    assert list(table.columns)[:3] == ["اقتباس عن", "الموضوع أو الرمز أو المحور", "الاقتباس"]


def test_a_pack_under_other_filters_quotes_only_what_they_select(quoted) -> None:
    files = quoted.packs["fr"]
    table, _footer = read_csv_bytes(files["quotes.csv"])
    assert quoted.english.answer_redacted not in set(table["Quote"])
    assert quoted.arabic.answer_redacted not in set(table["Quote"])
    expected = [q for q in (quoted.small,) if q.language == "fr"]
    assert list(table["Quote"]) == [q.answer_redacted for q in expected]
    if not expected:
        assert said_text(files["report.docx"]) is None


def read_csv_bytes(content: bytes) -> tuple[pd.DataFrame, list[str]]:
    """The table above the blank row of a pack's CSV (every cell as text), and the footer."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = rows.index([])
    return pd.DataFrame(rows[1:blank], columns=rows[0]), [r[0] for r in rows[blank + 1 :]]


def test_right_to_left_is_read_from_the_first_strong_letter() -> None:
    assert word.is_right_to_left("«الفضاء المدني» in English")
    assert not word.is_right_to_left("2020: civil society «الفضاء»")
    assert not word.is_right_to_left("12345")


# --- the Themes page --------------------------------------------------------------------


def test_an_analyst_pins_and_unpins_a_typical_answer_on_the_themes_page(
    sample_copy: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/themes.py").run()
    assert not at.exception, at.exception
    assert not any(b.label == "Pin as a quote" for b in at.button)  # nothing until chosen
    at.selectbox(key="typical-subject").set_value("theme:protection").run()
    pins = [b for b in at.button if b.label == "Pin as a quote"]
    assert len(pins) == typical.TOP
    pins[0].click().run()
    assert not at.exception, at.exception
    StoreGate.close_all()  # the page's read-only hold, in this process
    reader = database.connect(sample_copy, read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM quote_pins").fetchone()[0] == 1
        logged = "SELECT count(*) FROM audit_log WHERE action = 'quote_pinned' AND who = 'local'"
        assert reader.execute(logged).fetchone()[0] == 1
    finally:
        reader.close()
    unpin = [b for b in at.button if b.label == "Unpin"]
    assert len(unpin) == 2  # among the typical answers, and under "Pinned quotes of"
    unpin[-1].click().run()
    assert not at.exception, at.exception
    assert not any(b.label == "Unpin" for b in at.button)


def test_a_viewer_sees_no_typical_answers(app_as) -> None:  # noqa: F811
    at = app_as("dan@un.org", "themes")
    assert not at.exception
    assert not any(h.value == "Typical answers" for h in at.header)
    assert "typical-subject" not in [s.key for s in at.selectbox]


def test_statements_have_their_headers() -> None:
    for name in ("coding/typical_candidates", "coding/pinned_quotes"):
        assert queries.sql(name).startswith("-- One row per ")
