"""The codes through the pages (AppTest): the code filter, the Themes page's code figures,
tagging by hand on the Responses page, the Codebook and Tag review pages."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.coding import tagging
from dashboard.coding.codebook import (
    TABLE_COLUMNS,
    codebook_from_dict,
    codebook_rows,
    load_codebook,
    rows_to_dict,
)
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary
from dashboard.web import ui
from tests.conftest import ROOT
from tests.test_pages import APP, CONSULTATION, frame_with, metric, number

SAMPLE_CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"


def open_page(db: Path, monkeypatch, page: str, **query) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.toggle(key="exact").set_value(True).run()  # compare exact figures with the summary
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def figures(sample_db: Path):
    con = database.connect(sample_db)
    yield lambda filters=None: summary(con, CONSULTATION, filters or Filters())
    con.close()


def test_a_code_in_the_url_filters_every_figure(sample_db, monkeypatch, figures) -> None:
    at = open_page(sample_db, monkeypatch, "overview", code="Reprisals for engaging with the UN")
    expected = figures(Filters(codes=("reprisals",)))
    assert 0 < expected["responses"] < figures()["responses"]
    assert number(metric(at, "Respondents")) == expected["respondents"]
    assert number(metric(at, "Responses")) == expected["responses"]


def test_themes_page_shows_each_codes_figures(sample_db, monkeypatch, figures) -> None:
    at = open_page(sample_db, monkeypatch, "themes")
    codes = frame_with(at, "Code", "Theme", "Respondents", "Responses")
    labels = load_codebook(SAMPLE_CODEBOOK).labels()
    ids = {label: code_id for code_id, label in labels.items()}
    assert len(codes) == len(labels) + 1 and codes["Code"].iloc[-1] == "No code"
    for row in codes.iloc[:-1].itertuples():
        expected = figures(Filters(codes=(ids[row.Code],)))
        assert (row.Respondents, row.Responses) == (expected["respondents"],
                                                    expected["responses"])  # fmt: skip
    by_region = frame_with(at, "Code", "Region (M49)", "Respondents", "Responses")
    reprisals = by_region[by_region["Code"] == labels["reprisals"]]
    assert reprisals["Responses"].sum() == figures(Filters(codes=("reprisals",)))["responses"]
    assert len(at.get("plotly_chart")) == 7  # three of themes, four of codes


SIDEBAR_MULTISELECTS = {
    "region", "country", "language", "answer-language", "theme", "code", "stakeholder"
}  # fmt: skip


def count(db: Path, sql: str) -> int:
    con = database.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_an_analyst_tags_an_answer_by_hand_one_code_at_a_time(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "responses", search="Geneva")
    # No multiselect on the page, so no "Select all": only the sidebar's filters are ones.
    assert {m.key for m in at.multiselect} == SIDEBAR_MULTISELECTS
    gender = load_codebook(SAMPLE_CODEBOOK).labels()["gender"]
    add = next(s for s in at.selectbox if s.label == "Add a code" and gender in s.options)
    assert len(add.options) < 11  # offers only the codes the answer lacks
    add.set_value("gender")
    at.button(key=add.key.replace("add-", "add-button-", 1)).click().run()
    assert not at.exception
    analyst = "SELECT count(*) FROM response_codes WHERE source = 'analyst' AND code_id = 'gender'"
    logged = "SELECT count(*) FROM audit_log WHERE action = 'tag_added' AND who = 'local'"
    assert (count(sample_copy, analyst), count(sample_copy, logged)) == (1, 1)
    # The page shows it at once, and the code filter finds it.
    assert any("Gender-specific risks" in m.value and "(by an analyst)" in m.value
               for m in at.markdown)  # fmt: skip
    # Undo takes exactly that change back, and says so in the log.
    at.button(key="undo-code").click().run()
    assert not at.exception
    assert count(sample_copy, analyst) == 0
    undone = "SELECT count(*) FROM audit_log WHERE action = 'tag_undone' AND who = 'local'"
    assert count(sample_copy, undone) == 1
    # As if it had never been made: no decision is left to override the keywords later.
    assert count(sample_copy, "SELECT count(*) FROM tag_edits") == 0
    assert not any(b.key == "undo-code" for b in at.button)


def test_an_analyst_removes_one_keyword_code(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "responses", search="Geneva")
    remove = next(s for s in at.selectbox if s.label == "Remove a code" and s.options)
    code_id = remove.options[0]
    code_id = next(c.id for c in load_codebook(SAMPLE_CODEBOOK).codes
                   if c.label("en") == code_id)  # fmt: skip
    remove.set_value(code_id)
    at.button(key=remove.key.replace("remove-", "remove-button-", 1)).click().run()
    assert not at.exception
    removed = "SELECT count(*) FROM tag_edits WHERE NOT applied AND edited_by = 'local'"
    assert count(sample_copy, removed) == 1


def test_codebook_page_saves_the_table_and_retags(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "codebook")
    at.button(key="save-codebook").click().run()
    assert not at.exception
    assert any("re-tagged every answer" in s.value for s in at.success)


def test_the_edited_table_round_trips_to_the_same_codebook() -> None:
    codebook = load_codebook(SAMPLE_CODEBOOK)
    rows = [*codebook_rows(codebook), dict.fromkeys(TABLE_COLUMNS)]  # the editor's empty row
    assert codebook_from_dict(rows_to_dict(rows, codebook.extra)) == codebook


def test_tag_review_counts_a_judgement(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "tag_review")
    right = next(b for b in at.button if b.label == "Right")
    right.click().run()
    assert not at.exception
    con = database.connect(sample_copy, read_only=True)
    try:
        counts = queries.frame(con, "tag_precision", Filters().params(CONSULTATION))
    finally:
        con.close()
    assert counts["judged"].sum() == 1 and counts["correct"].sum() == 1
    table = frame_with(at, "95% interval")
    assert table["Judged"].astype(int).sum() == 1
    judged = table[table["Judged"].astype(int) == 1].iloc[0]
    # 1 of 1 is shown with its interval, not as a bare 100%.
    assert (judged["Precision"], judged["95% interval"]) == ("100%", "21% to 100%")


def test_tag_review_sample_follows_the_sidebar_filters(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "tag_review", language="French (fr)")
    drawn = [m.value for m in at.markdown if "keyword “" in m.value]
    assert len(drawn) == 10 and all(m.endswith("French (fr)") for m in drawn)
    assert any("drawn from" in c.value and "language: French" in c.value for c in at.caption)


def test_two_analysts_code_one_sample_and_see_their_agreement(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "tag_review")
    at.text_input(key="coder-name").set_value("ana").run()
    for _ in range(3):  # ana judges three tags right
        next(b for b in at.button if b.label == "Right").click().run()
    at.text_input(key="coder-name").set_value("bob").run()
    at.toggle(key="review-second").set_value(True).run()
    second = [b for b in at.button if b.label in ("Right", "Wrong")]
    assert len(second) == 6  # the same three pairs, Right and Wrong each, nothing else
    # Blind: no figure drawn from Ana's verdicts shows until Bob is done.
    assert not at.table and not at.get("plotly_chart")
    assert any("hidden while you code blind" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Wrong").click().run()
    for _ in range(2):
        next(b for b in at.button if b.label == "Right").click().run()
    assert not at.exception
    agreement = frame_with(at, "Code", "n", "Agreed", "Agreement", "Cohen's kappa")
    assert agreement["n"].astype(int).sum() == 3
    assert agreement["Agreed"].astype(int).sum() == 2
    assert any("**1** disagreements, **1** to settle" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Settle: has it").click().run()
    assert any("**1** disagreements, **0** to settle" in m.value for m in at.markdown)


def test_a_verdict_given_as_the_name_is_changed_is_the_new_names(sample_copy, monkeypatch) -> None:
    """A verdict clicked before the page has rerun with a new analyst name is still that name's:
    the click's rerun carries the name typed (the browser sends every widget's value with it),
    while the button on screen was drawn, with its callback's arguments, under the old name."""
    at = open_page(sample_copy, monkeypatch, "tag_review")
    at.text_input(key="coder-name").set_value("ana")  # typed, the page not yet rerun
    next(b for b in at.button if b.label == "Right").click().run()
    assert not at.exception
    con = database.connect(sample_copy, read_only=True)
    try:
        coders = con.execute("SELECT DISTINCT coder FROM tag_codings").fetchall()
    finally:
        con.close()
    assert coders == [("ana",)]


def test_codebook_page_counts_what_each_keyword_finds(sample_db, monkeypatch, figures) -> None:
    at = open_page(sample_db, monkeypatch, "codebook")
    chooser = at.selectbox(key="keyword-code")
    assert chooser.value == "reprisals"
    found = frame_with(at, "Keyword", "Responses")
    reprisals = figures(Filters(codes=("reprisals",)))["responses"]
    assert pd.to_numeric(found["Responses"].astype(str).str.replace(",", "")).sum() == reprisals
    assert f"{reprisals:,} tagged responses" in chooser.options[0]
    keywords = load_codebook(SAMPLE_CODEBOOK).codes[0].keywords
    # st.table cells are Markdown: keywords reach it escaped (ui.plain), shown as written.
    assert found["Keyword"].tolist() == [ui.plain(k) for k in [*keywords, "(given by an analyst)"]]


def test_keyword_counts_under_a_filter_are_protected_like_every_figure(
    sample_db, monkeypatch
) -> None:
    """Not exact: small counts read "< 5", the others are released perturbed (the cell key
    method), never the exact figure of every row, and no record-key sum reaches the page."""
    # Read before the app opens the store: its gate keeps the file open with the server's
    # settings, and DuckDB allows one configuration per file and process.
    con = database.connect(sample_db)
    try:
        exact = queries.frame(
            con, "keyword_counts", Filters(regions=("Europe",)).params(CONSULTATION)
        )
    finally:
        con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["region"] = "Europe"
    at.run()
    at.switch_page("views/codebook.py").run()
    assert not at.exception, at.exception
    shown = frame_with(at, "Keyword", "Responses")
    exact = exact[exact["code_id"] == "reprisals"].reset_index(drop=True)
    assert len(shown) == len(exact)
    released = shown["Responses"].tolist()
    small = (exact["respondents"] > 0) & (exact["respondents"] < 5)
    assert all(released[i] == "< 5" for i in exact.index[small])
    # The noise is never 0: every shown count under the filter differs from the exact one.
    shown_counts = exact.index[~small & (exact["responses"] > 0)]
    assert len(shown_counts) >= 2
    assert all(released[i] != f"{exact.loc[i, 'responses']:,}" for i in shown_counts)
    assert list(shown.columns) == ["Keyword", "Responses"]


# --- Tag review releases its counts like every figure (issue 19) ---------------------------

K = 5


def open_protected(db: Path, monkeypatch, page: str, **query) -> AppTest:
    """The page as readers see it by default: no exact figures."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def review_params(filters: Filters, **extra) -> dict:
    return {
        **filters.params(CONSULTATION),
        **{"coder": "local", "kind": "tagged", "second": False, "seed": 1, "size": 10, "k": 5},
        **extra,
    }


def exact_tag_counts(db: Path, filters: Filters) -> tuple[pd.DataFrame, int]:
    """What the page would show exactly: tag counts per code and language, and how many
    automatic tags nobody has judged (the sample's population)."""
    con = database.connect(db, read_only=True)
    try:
        counts = queries.frame(con, "tag_precision", filters.params(CONSULTATION))
        sample = queries.frame(con, "tag_review_sample", review_params(filters))
    finally:
        con.close()
    return counts, int(sample["population"].iloc[0])


def drawn_from(at: AppTest) -> str:
    return next(c.value for c in at.caption if " drawn from " in c.value)


def test_tag_review_under_a_filter_releases_no_exact_count(sample_copy, monkeypatch) -> None:
    """Africa has respondents writing in Spanish, fewer than k: their tag counts read "< 5";
    every other count of answers on the page (how many a sample is drawn from, how many each
    code tagged) is perturbed, never its exact value."""
    africa = Filters(regions=("Africa",))
    con = database.connect(sample_copy)
    try:  # one verdict in Spanish, so that the table by language lists Spanish
        pair = queries.frame(
            con, "tag_review_sample", review_params(replace(africa, languages=("es",)), size=1)
        ).iloc[0]
        answer = (int(pair.import_id), int(pair.source_row), pair.question_id)
        tagging.judge(con, CONSULTATION, answer, pair.code_id, pair.matched, True, "ana")
    finally:
        con.close()
    counts, population = exact_tag_counts(sample_copy, africa)
    at = open_protected(sample_copy, monkeypatch, "tag_review", region="Africa")
    shown = int(
        re.search(r"drawn from ([\d,]+) automatic tags", drawn_from(at))[1].replace(",", "")
    )
    assert shown != population and abs(shown - population) <= 31
    labels = load_codebook(SAMPLE_CODEBOOK).labels()
    overall = frame_with(at, "Code", "Tagged", "Judged", "Right", "Precision", "95% interval",
                         "Untagged judged", "Missed", "Recall (estimate)", "Recall range",
                         "Unsettled")  # fmt: skip
    exact = counts.groupby("code_id")["tagged"].sum()
    assert len(overall) == len(labels)
    for row in overall.itertuples():
        code_id = next(c for c, label in labels.items() if label == row.Code)
        assert int(row.Tagged.replace(",", "")) != exact[code_id]  # noise is never 0
    by_language = frame_with(at, "Language")
    spanish = by_language[by_language["Language"] == "Spanish (es)"]
    assert len(spanish) == 1 and spanish["Tagged"].iloc[0] == f"< {K}"
    assert spanish["Recall (estimate)"].iloc[0] == "–"  # recall would give the count back
    # The verdict is counted exactly (analysts' work, not people).
    assert spanish["Judged"].iloc[0] == 1


def test_tag_review_under_a_filter_of_fewer_than_k_shows_nothing(sample_db, monkeypatch) -> None:
    at = open_protected(sample_db, monkeypatch, "tag_review", country="Comoros")
    assert any(f"Fewer than {K} respondents match these filters" in i.value for i in at.info)
    assert not any(b.label in ("Right", "Wrong") for b in at.button)
    assert not at.table and not any(" drawn from " in c.value for c in at.caption)


def test_a_sample_from_fewer_than_k_respondents_gives_no_number(sample_copy, monkeypatch) -> None:
    """A second coding of three pairs: the sample holds them all, from at most three
    respondents, so the caption says "fewer than 5" and gives no number."""
    at = open_protected(sample_copy, monkeypatch, "tag_review")
    assert re.search(r"10 drawn from [\d,]+ automatic tags nobody", drawn_from(at))  # unfiltered
    at.text_input(key="coder-name").set_value("ana").run()
    for _ in range(3):
        next(b for b in at.button if b.label == "Right").click().run()
    at.text_input(key="coder-name").set_value("bob").run()
    at.toggle(key="review-second").set_value(True).run()
    assert not at.exception
    caption = drawn_from(at)
    assert caption.startswith(f"3 drawn from the automatic tags of fewer than {K} respondents")
    assert not re.search(r"drawn from \d", caption)


def test_timeline_says_less_than_k_for_a_hidden_period(sample_db, monkeypatch) -> None:
    # Under "Africa", before opening and after closing hold fewer than k respondents.
    at = open_protected(sample_db, monkeypatch, "timeline", region="Africa")
    before = next(m for m in at.metric if m.label == "Before opening")
    assert before.value == f"< {K} responses"
    assert "NA" not in " ".join(m.value for m in at.metric)
