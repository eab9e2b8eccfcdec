"""Every page through Streamlit's AppTest on the sample store: the numbers on the page are the
numbers of `summary` for the same filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.queries import Filters
from dashboard.summary import summary

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
CONSULTATION = "civic-space-2020"
PAGES = ["overview", "regions", "languages", "themes", "timeline", "responses"]


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))

    def open_page(page: str = "overview", **query: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


@pytest.fixture(scope="module")
def expected(sample_db: Path):
    # Same settings as the app's own connection: DuckDB refuses a second, different one.
    con = store.connect(sample_db)

    def figures(filters: Filters | None = None) -> dict:
        return summary(con, CONSULTATION, filters or Filters())

    yield figures
    con.close()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def number(text: str) -> int:
    return int(text.split()[0].replace(",", ""))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_a_title_and_no_error(app, page: str) -> None:
    at = app(page)
    assert at.title[0].value == page.capitalize()
    assert "civil society space" in at.caption[0].value
    assert not at.error


def test_overview_figures_equal_the_summary(app, expected) -> None:
    at = app()
    figures = expected()
    assert number(metric(at, "Respondents")) == figures["respondents"] == 3000
    assert number(metric(at, "Responses")) == figures["responses"]
    during = figures["window"]["during"]["responses"]
    assert metric(at, "Responses inside the window") == f"{during / figures['responses']:.1%}"
    assert number(metric(at, "Languages")) == 6


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({"region": "Africa"}, Filters(regions=("Africa",))),
        ({"language": ["French (fr)", "Arabic (ar)"]}, Filters(languages=("fr", "ar"))),
        ({"theme": "Protection of civil society actors"}, Filters(themes=("protection",))),
        ({"country": ["Senegal", "France"]}, Filters(countries=("SEN", "FRA"))),
        (
            {"from": "2020-01-18", "to": "2020-01-19"},
            Filters(date_from=date(2020, 1, 18), date_to=date(2020, 1, 19)),
        ),
        (
            {"stakeholder": "Human rights defender"},
            Filters(stakeholder_types=("Human rights defender",)),
        ),
    ],
)
# Bound widgets keep the option's label in the URL, so links read as the page does.
def test_filters_in_the_url_apply_to_every_figure(app, expected, query, filters) -> None:
    at = app(**query)
    figures = expected(filters)
    assert 0 < figures["respondents"] < 3000
    assert number(metric(at, "Respondents")) == figures["respondents"]
    assert number(metric(at, "Responses")) == figures["responses"]
