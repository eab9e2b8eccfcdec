"""The codes through the pages (AppTest): the code filter, the Themes page's code figures,
tagging by hand on the Responses page, the Codebook and Tag review pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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


def test_an_analyst_tags_an_answer_by_hand(sample_copy, monkeypatch) -> None:
    at = open_page(sample_copy, monkeypatch, "responses", search="Geneva")
    editor = at.multiselect[0]
    before = list(editor.value)
    assert "gender" not in before
    editor.set_value([*before, "gender"]).run()
    assert not at.exception
    con = database.connect(sample_copy)
    try:
        analyst = con.execute(
            "SELECT count(*) FROM response_codes WHERE source = 'analyst' AND code_id = 'gender'"
        ).fetchone()[0]
        logged = con.execute("SELECT count(*) FROM audit_log WHERE action = 'tag_added'")
        assert (analyst, logged.fetchone()[0]) == (1, 1)
    finally:
        con.close()
    # The page shows it at once, and the code filter finds it.
    at.query_params["code"] = "Gender-specific risks (women defenders)"
    at.run()
    assert "gender" in at.multiselect[0].value


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
    con = database.connect(sample_copy)
    try:
        precision = queries.frame(con, "tag_precision", {"consultation": CONSULTATION})
    finally:
        con.close()
    assert precision["judged"].sum() == 1 and precision["correct"].sum() == 1
    table = frame_with(at, "Code", "Judged", "Right", "Precision")
    assert table["Judged"].astype(int).sum() == 1
    assert "100%" in set(table["Precision"])
