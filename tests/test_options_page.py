"""The Themes page shows the options chosen in multi-column questions as their own breakdown,
said not to be responses, with the numbers of `summary`."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_one_response_per_question import CONSULTATION, OPTIONS, Store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
TITLE = "Options chosen (multi-column questions)"


def themes_page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["consultation"] = CONSULTATION
    at.run()
    at.toggle(key="exact").set_value(True).run()
    at.switch_page("views/themes.py").run()
    assert not at.exception, at.exception
    return at


def option_table(at: AppTest):
    return next(t.value for t in at.table if list(t.value.columns) == ["Id", "Option",
                                                                        "Respondents"])  # fmt: skip


def test_options_have_their_own_table_said_not_to_be_responses(tmp_path, capsys, monkeypatch):
    store = Store(tmp_path, capsys)
    store.import_export()
    figures = store.summary()["by_option"]
    at = themes_page(store.db, monkeypatch)
    assert TITLE in [s.value for s in at.header]
    assert any("These are not responses" in c.value for c in at.caption)
    for question in OPTIONS:
        at.selectbox(key="option-question").set_value(question).run()
        table = option_table(at)
        shown = dict(zip(table["Option"], table["Respondents"].astype(int), strict=True))
        assert shown == {o: v["respondents"] for o, v in figures[question].items()}
        assert set(table["Id"]) == {question}


def test_no_options_section_without_multi_column_questions(sample_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/themes.py").run()
    assert not at.exception, at.exception
    assert TITLE not in [s.value for s in at.header]
