"""Every page through Streamlit's AppTest on the sample store: the numbers on the page are the
numbers of `summary` for the same filters."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.store import database
from dashboard.store.queries import Filters
from dashboard.store.summary import summary

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
CONSULTATION = "civic-space-2020"
PAGES = ["overview", "regions", "languages", "themes", "timeline", "responses", "codebook"]


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))

    def open_page(page: str = "overview", exact: bool = True, **query: str | list[str]) -> AppTest:
        """The page as the local administrator; `exact` turns small-count suppression off, so
        every figure can be compared with the summary (suppression has tests of its own)."""
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if exact:
            at.toggle(key="exact").set_value(True).run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


@pytest.fixture(scope="module")
def expected(sample_db: Path):
    # Same settings as the app's own connection: DuckDB refuses a second, different one.
    con = database.connect(sample_db)

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


def frame_with(at: AppTest, column: str, *others: str):
    """The first table on the page with exactly these columns (or, given one, with it); counts
    come back as numbers when none of them is hidden ("< 5")."""
    for table in [*at.table, *at.dataframe]:
        columns = list(table.value.columns)
        if (others and columns == [column, *others]) or (not others and column in columns):
            return _numbers(table.value)
    raise AssertionError(f"no table with {column!r} {others}")


def _numbers(frame):
    frame = frame.copy()
    for column in ("Respondents", "Responses"):
        if column in frame:
            text = frame[column].astype(str)
            if not text.str.startswith("<").any():
                frame[column] = text.str.replace(",", "").astype(int)
    return frame


def test_regions_page_numbers(app, expected) -> None:
    figures = expected()
    at = app("regions")
    countries = frame_with(at, "ISO3")
    assert countries["Respondents"].sum() == figures["respondents"]
    assert countries["Responses"].sum() == figures["responses"]
    regions = frame_with(at, "Region (M49)", "Respondents", "Responses")
    by_region = dict(zip(regions["Region (M49)"], regions["Respondents"], strict=True))
    assert by_region == {k: v["respondents"] for k, v in figures["by_region"].items()}
    at.segmented_control(key="grouping").set_value("UN regional groups").run()
    groups = frame_with(at, "UN regional group")
    assert groups["Respondents"].sum() == figures["respondents"]
    assert set(groups["UN regional group"]) >= {"African Group", "Eastern European Group"}


def test_languages_page_lists_the_six_un_languages(app, expected) -> None:
    figures = expected(Filters(regions=("Oceania",)))
    at = app("languages", region="Oceania")
    chart_numbers = frame_with(at, "Language")
    assert len(chart_numbers) >= 6  # all six UN languages, zero where none
    assert set(chart_numbers["Language"]) >= {
        "Arabic (ar)",
        "Chinese (zh)",
        "English (en)",
        "French (fr)",
        "Russian (ru)",
        "Spanish (es)",
    }
    assert chart_numbers["Respondents"].sum() == figures["respondents"]
    assert (chart_numbers["Respondents"] == 0).any()


def test_themes_page_numbers(app, expected) -> None:
    figures = expected()
    at = app("themes")
    questions = frame_with(at, "Id")
    assert questions["Responses"].sum() == figures["responses"]
    assert len(questions) == 9
    at.selectbox(key="text-language").set_value("ar").run()
    questions = frame_with(at, "Id")
    assert questions["Question"].str.contains("[\u0600-\u06ff]", regex=True).all()


def test_timeline_page_numbers(app, expected) -> None:
    figures = expected()
    at = app("timeline")
    for label, period in (
        ("Before opening", "before"),
        ("During", "during"),
        ("After closing", "after"),
    ):
        assert number(metric(at, label)) == figures["window"][period]["responses"]
    per_day = frame_with(at, "Series")
    assert per_day["Responses"].sum() == figures["responses"]
    at.segmented_control(key="split").set_value("Language").run()
    assert set(frame_with(at, "Series")["Series"]) == {"ar", "zh", "en", "fr", "ru", "es"}


def test_timeline_moves_with_the_time_zone(app, expected) -> None:
    tokyo = expected(Filters(timezone="Asia/Tokyo"))
    at = app("timeline", tz="Asia/Tokyo")
    per_day = frame_with(at, "Series").assign(day=lambda f: f["Time"].dt.strftime("%Y-%m-%d"))
    assert per_day.groupby("day")["Responses"].sum().to_dict() == {
        day: v["responses"] for day, v in tokyo["by_day"].items()
    }


def test_responses_page_counts_and_searches(app, expected) -> None:
    figures = expected()
    at = app("responses")
    assert f"**{figures['responses']:,}** responses" in at.markdown[0].value
    at.text_input(key="search").input("société civile").run()
    narrowed = number(at.markdown[0].value.replace("*", ""))
    assert 0 < narrowed < figures["responses"]


def test_answers_are_shown_as_text_never_as_html(app, sample_copy, monkeypatch) -> None:
    con = database.connect(sample_copy)
    con.execute(
        "UPDATE responses SET answer_written = NULL, "
        "answer_redacted = '<script>alert(1)</script> **bold** <b>x</b>', "
        # The search texts made again when the app opens the store, as for an older store.
        "answer_search = NULL, answer_written_search = NULL "
        "WHERE respondent_id = (SELECT max(respondent_id) FROM responses)"
    )
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["search"] = "alert(1)"
    at.run()
    at.switch_page("views/responses.py").run()
    bodies = [element.proto.body for element in at.get("html")]
    # The search word is highlighted: a <mark> (holding text only) around it, nothing else.
    shown = [re.sub(r"<mark[^>]*>|</mark>", "", b) for b in bodies]
    assert any(
        "&lt;script&gt;alert(1)&lt;/script&gt; **bold** &lt;b&gt;x&lt;/b&gt;" in b for b in shown
    )
    assert any(re.search(r"&lt;script&gt;<mark[^>]*>alert\(1\)</mark>&lt;", b) for b in bodies)
    assert not any("<script>" in b for b in bodies)


def test_nothing_matching_says_so(app) -> None:
    at = app("overview", region="Oceania", language="Russian (ru)")
    assert any("Nothing matches these filters" in i.value for i in at.info)


def test_small_counts_are_hidden_by_default(app, expected) -> None:
    at = app("regions", exact=False)
    countries = frame_with(at, "ISO3")
    shown = countries["Respondents"]
    assert (shown == "< 5").any()
    numbers = [int(v.replace(",", "")) for v in shown if v != "< 5"]
    assert min(numbers) >= 5  # no exact count below k reaches the page
    # The map draws the hidden countries in one flat colour, with no number.
    figure = next(c for c in at.get("plotly_chart"))
    spec = json.loads(figure.proto.spec)
    hidden = spec["data"][0]
    assert set(hidden["z"]) == {1} and "fewer than 5" in hidden["name"]
    hidden_countries = set(countries.loc[shown == "< 5", "ISO3"]) - {"Unknown"}
    assert set(hidden["locations"]) == hidden_countries


def test_choosing_exact_figures_is_logged(app, sample_db) -> None:
    at = app("overview", exact=True)
    assert not at.exception
    from tests.conftest import store_snapshot

    assert store_snapshot(sample_db)["audit_log"][0] >= 1


@pytest.mark.parametrize("page", PAGES)
def test_no_chart_offers_the_camera_button(app, page: str) -> None:
    """Plotly's own PNG button would bypass roles, the audit log and the caption: every chart
    is drawn without it, so Download is the one way to take a chart away."""
    at = app(page)
    charts = list(at.get("plotly_chart"))
    assert charts or page in ("responses", "codebook"), f"{page} draws no chart"
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert "toImage" in config["modeBarButtonsToRemove"], page


def test_a_chart_whose_every_value_is_hidden_says_so_on_the_page(app) -> None:
    """Denmark's 12 respondents spread over the days: every day is below k, so the timeline
    charts say so in words instead of drawing empty axes or zero bars."""
    at = app("timeline", exact=False, country="Denmark")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    said = [
        spec
        for spec in specs
        if any("none is shown" in a.get("text", "") for a in spec["layout"].get("annotations", []))
    ]
    assert len(said) >= 2, [s["layout"].get("title") for s in specs]
    for spec in said:
        assert not spec["data"], "no bars, lines or markers behind the sentence"


def test_the_cumulative_table_on_the_page_never_reads_a_hidden_day_as_zero(app) -> None:
    at = app("timeline", exact=False)
    table = frame_with(at, "Respondents so far")
    assert list(table.columns) == ["Day (UTC)", "Against the window", "Respondents",
                                   "Respondents so far"]  # fmt: skip
    hidden = table["Respondents"].astype(str) == "< 5"
    assert hidden.any()
    first = hidden.idxmax()
    assert table.loc[first, "Respondents so far"] == "< 5"
    assert table["Against the window"].iloc[0] == "Before the window"
    assert table["Against the window"].iloc[-1] == "After the window"
