"""Unit tests for dashboard.publish.charts: small hand-made frames in, the figure's data and layout
checked (never rendered). The frames have the columns of the query files that feed each chart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.publish import charts
from dashboard.reference.languages import UN_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CHARTS_SOURCE = ROOT / "dashboard" / "publish" / "charts.py"

# The Okabe-Ito palette as published (Okabe & Ito 2008), written out independently of charts.py.
OKABE_ITO_REFERENCE = {
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
}
GREY = "#999999"

OPENS_UTC = pd.Timestamp("2020-01-13 09:00", tz="UTC")
CLOSES_UTC = pd.Timestamp("2020-01-24 18:00", tz="UTC")


def is_grey(colour: str) -> bool:
    """#rrggbb with equal channels: a grey, black or white."""
    hex_digits = colour.lstrip("#")
    assert len(hex_digits) == 6, colour
    return hex_digits[0:2].upper() == hex_digits[2:4].upper() == hex_digits[4:6].upper()


def allowed_colour(colour: str) -> bool:
    return colour.upper() in OKABE_ITO_REFERENCE or is_grey(colour)


def numbers(values) -> list[float]:
    return [float(v) for v in values]


def timeline_frame(series: list[str]) -> pd.DataFrame:
    """Rows as queries/timeline.sql returns them: bin_start (naive local), series, counts."""
    rows = []
    days = pd.to_datetime(["2020-01-12", "2020-01-13", "2020-01-14"])
    for i, name in enumerate(series):
        for j, day in enumerate(days):
            rows.append(
                {
                    "bin_start": day,
                    "series": name,
                    "respondents": i + j + 1,
                    "responses": 10 * (i + 1) + j,
                }
            )
    return pd.DataFrame(rows).sort_values(["bin_start", "series"], ignore_index=True)


def shapes_of(fig: go.Figure, kind: str) -> list:
    return [s for s in fig.layout.shapes if s.type == kind]


# --------------------------------------------------------------------------------------------
# bar_chart


REGIONS = pd.DataFrame(
    {
        "region": ["Africa", "Americas", "Asia", "Europe", "Oceania", "Unknown"],
        "respondents": [7, 0, 12, 30, 2, 3],
        "responses": [20, 0, 40, 95, 5, 6],
    }
)
LANGUAGES = pd.DataFrame(
    {
        "language": ["ar", "zh", "en", "fr", "ru", "es", "other", "und"],
        "respondents": [4, 1, 25, 9, 0, 6, 3, 2],
        "responses": [10, 3, 80, 30, 0, 15, 7, 4],
    }
)
THEMES = pd.DataFrame(
    {"theme_id": ["t2", "t1", "Unknown"], "respondents": [5, 8, 1], "responses": [9, 14, 1]}
)


@pytest.mark.parametrize(
    ("frame", "category", "value", "labels", "colours", "names", "expected_colours"),
    [
        pytest.param(
            REGIONS,
            "region",
            "respondents",
            None,
            charts.REGION_COLOURS,
            ["Africa", "Americas", "Asia", "Europe", "Oceania", "Unknown"],
            ["#E69F00", "#009E73", "#D55E00", "#0072B2", "#56B4E9", GREY],
            id="regions",
        ),
        pytest.param(
            LANGUAGES,
            "language",
            "responses",
            {"ar": "Arabic (ar)", "en": "English (en)", "other": "Other languages"},
            charts.LANGUAGE_COLOURS,
            # Categories without a label keep their own name.
            ["Arabic (ar)", "zh", "English (en)", "fr", "ru", "es", "Other languages", "und"],
            ["#E69F00", "#D55E00", "#0072B2", "#56B4E9", "#CC79A7", "#009E73", "#000000", GREY],
            id="languages-with-labels",
        ),
        pytest.param(
            THEMES,
            "theme_id",
            "responses",
            {"t1": "Civic space", "t2": "Digital rights", "Unknown": "Unknown theme"},
            charts.theme_colours(["t1", "t2"]),
            ["Digital rights", "Civic space", "Unknown theme"],
            [charts.OKABE_ITO[1], charts.OKABE_ITO[0], GREY],
            id="themes-reordered",
        ),
        pytest.param(
            REGIONS.iloc[::-1].reset_index(drop=True),
            "region",
            "responses",
            None,
            None,
            ["Unknown", "Oceania", "Europe", "Asia", "Americas", "Africa"],
            [charts.OKABE_ITO[0]] * 6,
            id="no-colour-mapping-uses-default",
        ),
    ],
)
def test_bar_chart_one_bar_per_row_in_frame_order(
    frame, category, value, labels, colours, names, expected_colours
) -> None:
    fig = charts.bar_chart(
        frame,
        category,
        value,
        title="A title",
        value_label="Things",
        labels=labels,
        colours=colours,
    )
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert bar.type == "bar"
    assert bar.orientation == "h"
    assert list(bar.y) == names
    assert numbers(bar.x) == numbers(frame[value])
    # The number printed next to each bar is that bar's value.
    assert numbers(bar.text) == numbers(frame[value])
    assert bar.textposition == "outside"
    assert list(bar.marker.color) == expected_colours
    # First row on top: a horizontal bar chart's y axis must run downwards.
    assert fig.layout.yaxis.autorange == "reversed"


def test_bar_chart_region_colours_africa_orange_unknown_grey() -> None:
    fig = charts.bar_chart(
        REGIONS, "region", "respondents", title="t", value_label="v", colours=charts.REGION_COLOURS
    )
    colour_of = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colour_of["Africa"] == "#E69F00"
    assert colour_of["Unknown"] == charts.NEUTRAL == GREY


@pytest.mark.parametrize("top", [0, 1, 7, 99, 12_345])
def test_bar_chart_title_axis_and_headroom(top: int) -> None:
    frame = pd.DataFrame({"region": ["Africa", "Asia"], "respondents": [top // 2, top]})
    fig = charts.bar_chart(
        frame, "region", "respondents", title="Respondents by region", value_label="Respondents"
    )
    assert fig.layout.title.text == "Respondents by region"
    assert fig.layout.xaxis.title.text == "Respondents"
    low, high = fig.layout.xaxis.range
    assert low == 0
    # Room to the right of the longest bar for its printed number.
    assert high > top
    if top:
        assert high >= top * 1.1


def test_bar_chart_empty_frame_has_a_usable_axis() -> None:
    frame = REGIONS.iloc[0:0]
    fig = charts.bar_chart(frame, "region", "respondents", title="t", value_label="v")
    assert len(fig.data[0].y) == 0
    low, high = fig.layout.xaxis.range
    assert low == 0 < high


def test_bar_chart_grows_with_the_number_of_bars() -> None:
    small = charts.bar_chart(REGIONS.head(2), "region", "respondents", title="t", value_label="v")
    many = pd.DataFrame({"region": [f"r{i}" for i in range(30)], "respondents": range(30)})
    large = charts.bar_chart(many, "region", "respondents", title="t", value_label="v")
    assert large.layout.height > small.layout.height


# --------------------------------------------------------------------------------------------
# paired_bar_chart


@pytest.mark.parametrize(
    ("frame", "category", "labels", "names"),
    [
        pytest.param(
            LANGUAGES,
            "language",
            {"ar": "Arabic (ar)", "other": "Other languages"},
            ["Arabic (ar)", "zh", "en", "fr", "ru", "es", "Other languages", "und"],
            id="languages",
        ),
        pytest.param(
            THEMES,
            "theme_id",
            {"t1": "Civic space", "t2": "Digital rights", "Unknown": "Unknown theme"},
            ["Digital rights", "Civic space", "Unknown theme"],
            id="themes",
        ),
    ],
)
def test_paired_bar_chart_respondents_and_responses(frame, category, labels, names) -> None:
    fig = charts.paired_bar_chart(frame, category, title="Paired", labels=labels)
    assert [t.name for t in fig.data] == ["Respondents", "Responses"]
    respondents, responses = fig.data
    assert all(t.type == "bar" for t in fig.data)
    assert list(respondents.x) == names
    assert list(responses.x) == names
    assert numbers(respondents.y) == numbers(frame["respondents"])
    assert numbers(responses.y) == numbers(frame["responses"])
    assert numbers(respondents.text) == numbers(frame["respondents"])
    assert numbers(responses.text) == numbers(frame["responses"])
    assert respondents.marker.color != responses.marker.color
    assert fig.layout.barmode == "group"
    assert fig.layout.title.text == "Paired"
    low, high = fig.layout.yaxis.range
    assert low == 0
    assert high > max(frame["respondents"].max(), frame["responses"].max())


def test_paired_bar_chart_all_zero_still_has_a_positive_range() -> None:
    frame = pd.DataFrame({"language": ["ar", "en"], "respondents": [0, 0], "responses": [0, 0]})
    fig = charts.paired_bar_chart(frame, "language", title="t")
    low, high = fig.layout.yaxis.range
    assert low == 0 < high


# --------------------------------------------------------------------------------------------
# world_map

COUNTRIES = pd.DataFrame(
    {
        "iso3": ["FRA", "KEN", "Unknown", "JPN"],
        "country": ["France", "Kenya", "Unknown", "Japan"],
        "region": ["Europe", "Africa", "Unknown", "Asia"],
        "subregion": ["Western Europe", "Sub-Saharan Africa", "Unknown", "Eastern Asia"],
        "un_group": [
            "Western European and Others Group",
            "African Group",
            "No regional group",
            "Asia-Pacific Group",
        ],
        "respondents": [12, 7, 4, 3],
        "responses": [40, 21, 9, 5],
    }
)


@pytest.mark.parametrize("value", ["respondents", "responses"])
def test_world_map_draws_known_countries_only(value: str) -> None:
    fig = charts.world_map(COUNTRIES, title="Respondents by country", value=value)
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert isinstance(trace, go.Choropleth)
    assert trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["FRA", "KEN", "JPN"]
    assert "Unknown" not in list(trace.locations)
    known = COUNTRIES[COUNTRIES["iso3"] != "Unknown"]
    assert numbers(trace.z) == numbers(known[value])
    assert trace.zmin == 0
    # Hover shows the country's name, taken from the `country` column, row for row.
    assert [row[0] for row in trace.customdata] == ["France", "Kenya", "Japan"]
    assert "%{customdata[0]}" in trace.hovertemplate
    assert value in trace.hovertemplate
    assert fig.layout.title.text == "Respondents by country"


def test_world_map_only_unknown_draws_nothing() -> None:
    frame = COUNTRIES[COUNTRIES["iso3"] == "Unknown"]
    fig = charts.world_map(frame, title="t")
    assert len(fig.data[0].locations) == 0
    assert len(fig.data[0].z) == 0


# --------------------------------------------------------------------------------------------
# heatmap

THEME_BY_REGION = pd.DataFrame(
    {
        "theme_id": ["t1", "t1", "t2", "t3", "Unknown"],
        "region": ["Africa", "Europe", "Asia", "Africa", "Europe"],
        "respondents": [2, 5, 1, 3, 1],
        "responses": [4, 1_234, 2, 6, 1],
    }
)


@pytest.mark.parametrize("value", ["responses", "respondents"])
def test_heatmap_reindexed_with_zeros(value: str) -> None:
    row_order = ["t3", "t1", "t2", "t4", "Unknown"]
    column_order = ["Europe", "Africa", "Americas", "Asia"]
    fig = charts.heatmap(
        THEME_BY_REGION,
        rows="theme_id",
        columns="region",
        value=value,
        title="Heat",
        row_order=row_order,
        column_order=column_order,
        row_labels={"t1": "Civic space", "Unknown": "Unknown theme"},
    )
    trace = fig.data[0]
    assert trace.type == "heatmap"
    # Labels are mapped; rows and columns without a label keep their id.
    assert list(trace.y) == ["t3", "Civic space", "t2", "t4", "Unknown theme"]
    assert list(trace.x) == ["Europe", "Africa", "Americas", "Asia"]
    lookup = {
        (r.theme_id, r.region): getattr(r, value) for r in THEME_BY_REGION.itertuples(index=False)
    }
    expected = [[lookup.get((r, c), 0) for c in column_order] for r in row_order]
    assert np.asarray(trace.z).tolist() == expected
    # Each cell shows its number (a text layer, each label in the colour that reads on it).
    layer = fig.data[1]
    assert layer.type == "scatter" and layer.mode == "text"
    numbers = [int(t.replace(",", "")) for t in layer.text]
    assert [numbers[i : i + len(column_order)] for i in range(0, len(numbers),
            len(column_order))] == expected  # fmt: skip
    assert trace.zmin == 0
    assert fig.layout.title.text == "Heat"


def test_heatmap_column_labels_and_duplicate_pairs_summed() -> None:
    frame = pd.DataFrame(
        {
            "theme_id": ["t1", "t1", "t2"],
            "language": ["fr", "fr", "ar"],
            "responses": [3, 4, 5],
        }
    )
    fig = charts.heatmap(
        frame,
        rows="theme_id",
        columns="language",
        value="responses",
        title="t",
        row_order=["t1", "t2"],
        column_order=["ar", "fr", "de"],
        column_labels={"ar": "Arabic (ar)", "fr": "French (fr)"},
    )
    trace = fig.data[0]
    assert list(trace.x) == ["Arabic (ar)", "French (fr)", "de"]
    assert np.asarray(trace.z).tolist() == [[0, 7, 0], [5, 0, 0]]


def test_heatmap_empty_frame_is_all_zeros() -> None:
    fig = charts.heatmap(
        THEME_BY_REGION.iloc[0:0],
        rows="theme_id",
        columns="region",
        value="responses",
        title="t",
        row_order=["t1", "t2"],
        column_order=["Africa", "Asia", "Europe"],
    )
    assert np.asarray(fig.data[0].z).tolist() == [[0, 0, 0], [0, 0, 0]]


# --------------------------------------------------------------------------------------------
# timeline and cumulative: the consultation window

WINDOW_CASES = [
    pytest.param(
        OPENS_UTC,
        CLOSES_UTC,
        "UTC",
        "Opens 13 Jan 2020 09:00 UTC",
        "Closes 24 Jan 2020 18:00 UTC",
        id="utc",
    ),
    pytest.param(
        OPENS_UTC.tz_convert("Asia/Tokyo"),
        CLOSES_UTC.tz_convert("Asia/Tokyo"),
        "Asia/Tokyo",
        "Opens 13 Jan 2020 18:00 Asia/Tokyo",
        "Closes 25 Jan 2020 03:00 Asia/Tokyo",
        id="tokyo",
    ),
    pytest.param(
        OPENS_UTC.to_pydatetime().astimezone(ZoneInfo("America/New_York")),
        CLOSES_UTC.to_pydatetime().astimezone(ZoneInfo("America/New_York")),
        "America/New_York",
        "Opens 13 Jan 2020 04:00 America/New_York",
        "Closes 24 Jan 2020 13:00 America/New_York",
        id="new-york-datetime",
    ),
]


def _window_figure(kind: str, opens, closes, zone: str) -> go.Figure:
    frame = timeline_frame(["All"])
    if kind == "timeline":
        return charts.timeline(frame, title="t", opens=opens, closes=closes, zone_label=zone)
    return charts.cumulative(frame, title="t", opens=opens, closes=closes, zone_label=zone)


@pytest.mark.parametrize("kind", ["timeline", "cumulative"])
@pytest.mark.parametrize(("opens", "closes", "zone", "opens_text", "closes_text"), WINDOW_CASES)
def test_window_shaded_and_marked_in_local_time(
    kind: str, opens, closes, zone: str, opens_text: str, closes_text: str
) -> None:
    fig = _window_figure(kind, opens, closes, zone)
    # Bins are naive local times, so the window is drawn at the naive local opening and closing.
    local_opens = pd.Timestamp(opens.replace(tzinfo=None))
    local_closes = pd.Timestamp(closes.replace(tzinfo=None))
    rects = shapes_of(fig, "rect")
    assert len(rects) == 1
    rect = rects[0]
    assert pd.Timestamp(rect.x0) == local_opens
    assert pd.Timestamp(rect.x1) == local_closes
    assert rect.xref == "x"
    assert rect.yref.endswith("domain")  # spans the full height of the plot
    lines = shapes_of(fig, "line")
    assert len(lines) == 2
    assert all(line.line.dash == "dash" for line in lines)
    assert all(pd.Timestamp(line.x0) == pd.Timestamp(line.x1) for line in lines)
    assert sorted(pd.Timestamp(line.x0) for line in lines) == [local_opens, local_closes]
    texts = [a.text for a in fig.layout.annotations]
    assert texts == [opens_text, closes_text]
    # The labels sit where the lines are.
    assert [pd.Timestamp(a.x) for a in fig.layout.annotations] == [local_opens, local_closes]
    assert fig.layout.xaxis.title.text.endswith(f"({zone})")


@pytest.mark.parametrize(
    ("series", "legend"),
    [(["All"], False), (["en", "fr"], True), (["Africa", "Asia", "Europe"], True)],
)
def test_timeline_one_stacked_trace_per_series(series: list[str], legend: bool) -> None:
    frame = timeline_frame(series)
    fig = charts.timeline(
        frame,
        title="Responses per day",
        opens=OPENS_UTC,
        closes=CLOSES_UTC,
        zone_label="UTC",
        colours={**charts.LANGUAGE_COLOURS, **charts.REGION_COLOURS, "All": charts.OKABE_ITO[0]},
    )
    assert fig.layout.barmode == "stack"
    assert [t.type for t in fig.data] == ["bar"] * len(series)
    # One series is named by what it counts; several by their own names.
    assert [t.name for t in fig.data] == (["Responses"] if series == ["All"] else series)
    for trace, name in zip(fig.data, series, strict=True):
        rows = frame[frame["series"] == name]
        assert numbers(trace.y) == numbers(rows["responses"])
        assert list(pd.to_datetime(trace.x)) == list(rows["bin_start"])
    expected_colours = [
        {**charts.LANGUAGE_COLOURS, **charts.REGION_COLOURS, "All": charts.OKABE_ITO[0]}[s]
        for s in series
    ]
    assert [t.marker.color for t in fig.data] == expected_colours
    assert fig.layout.showlegend is legend
    assert fig.layout.title.text == "Responses per day"


def test_timeline_series_labels_and_measure() -> None:
    frame = timeline_frame(["en", "fr"])
    fig = charts.timeline(
        frame,
        title="t",
        opens=OPENS_UTC,
        closes=CLOSES_UTC,
        zone_label="UTC",
        value="respondents",
        labels={"en": "English (en)", "fr": "French (fr)"},
    )
    assert [t.name for t in fig.data] == ["English (en)", "French (fr)"]
    assert numbers(fig.data[0].y) == numbers(frame.loc[frame["series"] == "en", "respondents"])
    assert fig.layout.yaxis.title.text == "Respondents per day"


@pytest.mark.parametrize(
    ("bin_label", "y_title", "x_title", "period_ms"),
    [
        ("day", "Responses per day", "Day (Europe/Zurich)", 86_400_000),
        ("hour", "Responses per hour", "Hour (Europe/Zurich)", 3_600_000),
    ],
)
def test_timeline_axis_titles_and_bin_width(
    bin_label: str, y_title: str, x_title: str, period_ms: int
) -> None:
    fig = charts.timeline(
        timeline_frame(["All"]),
        title="t",
        opens=OPENS_UTC.tz_convert("Europe/Zurich"),
        closes=CLOSES_UTC.tz_convert("Europe/Zurich"),
        zone_label="Europe/Zurich",
        bin_label=bin_label,
    )
    assert fig.layout.yaxis.title.text == y_title
    assert fig.layout.xaxis.title.text == x_title
    assert float(fig.data[0].xperiod) == period_ms


def test_timeline_empty_frame_still_marks_the_window() -> None:
    frame = timeline_frame(["All"]).iloc[0:0]
    fig = charts.timeline(frame, title="t", opens=OPENS_UTC, closes=CLOSES_UTC, zone_label="UTC")
    assert len(fig.data) == 0
    assert fig.layout.showlegend is False
    assert len(shapes_of(fig, "rect")) == 1


def test_cumulative_is_running_total_of_per_bin_sums_sorted_by_time() -> None:
    frame = pd.DataFrame(
        {
            "bin_start": pd.to_datetime(
                ["2020-01-15", "2020-01-13", "2020-01-14", "2020-01-13", "2020-01-15"]
            ),
            "series": ["en", "en", "fr", "fr", "fr"],
            "respondents": [5, 1, 3, 2, 4],
            "responses": [50, 10, 30, 20, 40],
        }
    )
    fig = charts.cumulative(
        frame, title="Cumulative", opens=OPENS_UTC, closes=CLOSES_UTC, zone_label="UTC"
    )
    assert len(fig.data) == 1
    line = fig.data[0]
    assert line.type == "scatter"
    assert list(pd.to_datetime(line.x)) == list(
        pd.to_datetime(["2020-01-13", "2020-01-14", "2020-01-15"])
    )
    # Per bin: 1+2=3, 3, 5+4=9; running: 3, 6, 15.
    assert numbers(line.y) == [3, 6, 15]
    assert fig.layout.title.text == "Cumulative"


def test_cumulative_of_another_measure() -> None:
    frame = timeline_frame(["en", "fr"])
    fig = charts.cumulative(
        frame,
        title="t",
        opens=OPENS_UTC,
        closes=CLOSES_UTC,
        zone_label="UTC",
        value="responses",
    )
    per_bin = frame.groupby("bin_start")["responses"].sum().sort_index()
    assert numbers(fig.data[0].y) == numbers(per_bin.cumsum())
    assert fig.layout.yaxis.title.text == "Responses so far"


# --------------------------------------------------------------------------------------------
# period_chart


@pytest.mark.parametrize(
    ("periods", "labels"),
    [
        (["before", "during", "after"], ["Before", "During", "After"]),
        (["before", "during", "after", "unknown"], ["Before", "During", "After", "Time unknown"]),
    ],
)
def test_period_chart_labels_and_values(periods: list[str], labels: list[str]) -> None:
    frame = pd.DataFrame(
        {
            "period": periods,
            "respondents": list(range(1, len(periods) + 1)),
            "responses": [10 * i for i in range(1, len(periods) + 1)],
        }
    )
    fig = charts.period_chart(frame, title="Against the window")
    assert [t.name for t in fig.data] == ["Respondents", "Responses"]
    for trace, column in zip(fig.data, ["respondents", "responses"], strict=True):
        assert list(trace.x) == labels
        assert numbers(trace.y) == numbers(frame[column])
    assert fig.layout.barmode == "group"
    assert fig.layout.yaxis.range[1] > frame["responses"].max()
    assert fig.layout.title.text == "Against the window"


# --------------------------------------------------------------------------------------------
# colours


def test_okabe_ito_constant_is_the_published_palette() -> None:
    assert {c.upper() for c in charts.OKABE_ITO} == OKABE_ITO_REFERENCE
    assert len(charts.OKABE_ITO) == len(OKABE_ITO_REFERENCE)


@pytest.mark.parametrize(
    "mapping",
    [
        pytest.param(charts.LANGUAGE_COLOURS, id="languages"),
        pytest.param(charts.REGION_COLOURS, id="regions"),
        pytest.param(charts.UN_GROUP_COLOURS, id="un-groups"),
        pytest.param(charts.PERIOD_COLOURS, id="periods"),
        pytest.param(charts.theme_colours([f"t{i}" for i in range(12)]), id="themes"),
    ],
)
def test_colour_maps_use_only_okabe_ito_and_greys(mapping: dict[str, str]) -> None:
    bad = {key: colour for key, colour in mapping.items() if not allowed_colour(colour)}
    assert not bad


def test_region_colours_distinct_and_unknown_grey() -> None:
    named = {k: v for k, v in charts.REGION_COLOURS.items() if k != "Unknown"}
    assert set(named) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert len(set(named.values())) == len(named)
    assert charts.REGION_COLOURS["Africa"] == "#E69F00"
    assert charts.REGION_COLOURS["Unknown"] == GREY
    assert GREY not in named.values()


def test_theme_colours_deterministic_by_order() -> None:
    ids = ["rights", "civic", "digital"]
    colours = charts.theme_colours(ids)
    assert colours == charts.theme_colours(list(ids))
    assert [colours[t] for t in ids] == list(charts.OKABE_ITO[:3])
    # The colour follows the theme's place, not its name.
    swapped = charts.theme_colours(["civic", "rights", "digital"])
    assert swapped["civic"] == colours["rights"]
    assert swapped["rights"] == colours["civic"]
    assert colours["Unknown"] == GREY


def test_theme_colours_distinct_up_to_the_palette_size() -> None:
    ids = [f"t{i}" for i in range(len(charts.OKABE_ITO))]
    colours = charts.theme_colours(ids)
    assert len({colours[t] for t in ids}) == len(ids)
    assert GREY not in {colours[t] for t in ids}


def test_language_colour_six_un_languages_distinct() -> None:
    colours = [charts.language_colour(code) for code in UN_LANGUAGES]
    assert len(UN_LANGUAGES) == 6
    assert len(set(colours)) == 6
    assert charts.language_colour("other") not in colours
    assert GREY not in colours


@pytest.mark.parametrize("code", ["de", "sw", "xx", ""])
def test_language_colour_unknown_language_gets_other(code: str) -> None:
    assert charts.language_colour(code) == charts.LANGUAGE_COLOURS["other"]
    assert charts.language_colour(code) not in {charts.language_colour(c) for c in UN_LANGUAGES}


def test_language_colour_undetermined_is_grey() -> None:
    assert charts.language_colour("und") == GREY


# --------------------------------------------------------------------------------------------
# language_order


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["en", "ar", "de", "es", "zh"], ["ar", "zh", "en", "es", "de"]),
        (["sw", "ru", "fr", "de"], ["fr", "ru", "sw", "de"]),
        (sorted(["es", "ru", "fr", "en", "zh", "ar"]), ["ar", "zh", "en", "fr", "ru", "es"]),
        (["und", "other", "pt"], ["und", "other", "pt"]),
        (["es", "other", "und", "ar"], ["ar", "es", "other", "und"]),
        ([], []),
    ],
)
def test_language_order_un_languages_first(codes: list[str], expected: list[str]) -> None:
    assert charts.language_order(codes) == expected


# --------------------------------------------------------------------------------------------
# no Streamlit


def test_charts_does_not_import_streamlit_at_runtime() -> None:
    code = (
        "import sys\n"
        "import dashboard.publish.charts\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')\n"
        "print(','.join(loaded))\n"
        "assert 'dashboard.publish.charts' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_charts_source_has_no_streamlit_import() -> None:
    tree = ast.parse(CHARTS_SOURCE.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert "plotly.graph_objects" in imported  # the walk does see the imports
    assert not {m for m in imported if m.split(".")[0] == "streamlit"}


def test_charts_return_plotly_figures_with_shared_layout() -> None:
    figures = [
        charts.bar_chart(REGIONS, "region", "respondents", title="a", value_label="v"),
        charts.paired_bar_chart(REGIONS, "region", title="b"),
        charts.world_map(COUNTRIES, title="c"),
        charts.heatmap(
            THEME_BY_REGION,
            rows="theme_id",
            columns="region",
            value="responses",
            title="d",
            row_order=["t1"],
            column_order=["Africa"],
        ),
        charts.timeline(
            timeline_frame(["All"]),
            title="e",
            opens=OPENS_UTC,
            closes=CLOSES_UTC,
            zone_label="UTC",
        ),
        charts.cumulative(
            timeline_frame(["All"]),
            title="f",
            opens=OPENS_UTC,
            closes=CLOSES_UTC,
            zone_label="UTC",
        ),
        charts.period_chart(
            pd.DataFrame({"period": ["during"], "respondents": [1], "responses": [2]}), title="g"
        ),
    ]
    assert [f.layout.title.text for f in figures] == list("abcdefg")
    assert all(isinstance(f, go.Figure) for f in figures)
    assert all(f.layout.plot_bgcolor == "white" for f in figures)
    assert all("Arial" in f.layout.font.family for f in figures)


def test_hidden_cells_send_no_number() -> None:
    frame = pd.DataFrame(
        {"region": ["Africa", "Oceania"], "respondents": pd.array([900, None], dtype="Int64")}
    )
    frame.attrs["k"] = 5
    fig = charts.bar_chart(frame, "region", "respondents", title="t", value_label="Respondents")
    # "&lt; 5" is what Plotly shows as "< 5": every chart text is escaped (issue 20).
    assert list(fig.data[0].x) == [900, 0] and list(fig.data[0].text) == ["900", "&lt; 5"]
    grid = pd.DataFrame(
        {
            "theme_id": ["a", "a", "b"],
            "region": ["Africa", "Asia", "Africa"],
            "responses": pd.array([10, None, 7], dtype="Int64"),
        }
    )
    grid.attrs["k"] = 5
    heat = charts.heatmap(
        grid, rows="theme_id", columns="region", value="responses", title="h",
        row_order=["a", "b"], column_order=["Africa", "Asia"],
    )  # fmt: skip
    assert np.isnan(heat.data[0].z[0][1]) and heat.data[1].text[1] == "&lt; 5"
    assert "7" in heat.data[1].text and all("None" not in t for t in heat.data[1].text)
    countries = pd.DataFrame(
        {
            "iso3": ["FRA", "TUV"],
            "country": ["France", "Tuvalu"],
            "respondents": pd.array([40, None], dtype="Int64"),
        }
    )
    countries.attrs["k"] = 5
    world = charts.world_map(countries, title="m")
    hidden, shown = world.data
    assert list(hidden.locations) == ["TUV"] and list(hidden.z) == [1]
    assert list(shown.locations) == ["FRA"] and list(shown.z) == [40]


INJECTIONS = (
    '<a href="https://attacker.test/">click</a>',
    '<img src="https://attacker.test/pixel.png">',
    "![x](https://attacker.test/pixel.png)",
    "AT&T <b>bold</b>",
)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim):
        return [t for v in value for t in _texts(v)]
    return []


def _figure_texts(fig: go.Figure) -> list[str]:
    texts = [fig.layout.title.text or ""]
    texts += [a.text or "" for a in fig.layout.annotations]
    for trace in fig.data:
        for attribute in ("x", "y", "text", "customdata", "name", "hovertext"):
            if attribute in trace:
                texts += _texts(trace[attribute])
    return texts


def test_labels_from_data_reach_plotly_as_text() -> None:
    """The attack: a code label, theme, country or series name holding markup. Plotly reads
    <a>, <b>, <img>-like tags in labels; none may reach it unescaped."""
    frame = pd.DataFrame({"code": list(INJECTIONS), "respondents": [9, 8, 7, 6]})
    labels = {c: f"label {c}" for c in INJECTIONS}
    bar = charts.bar_chart(
        frame, "code", "respondents", title=INJECTIONS[0], value_label="Respondents",
        labels=labels,
    )  # fmt: skip
    grid = pd.DataFrame(
        {"theme_id": list(INJECTIONS), "region": list(INJECTIONS), "responses": [1, 2, 3, 4]}
    )
    heat = charts.heatmap(
        grid, rows="theme_id", columns="region", value="responses", title="h",
        row_order=list(INJECTIONS), column_order=list(INJECTIONS), row_labels=labels,
    )  # fmt: skip
    lines = charts.timeline(
        timeline_frame(list(INJECTIONS)), title="t", opens=OPENS_UTC, closes=CLOSES_UTC,
        zone_label="UTC", labels=labels,
    )  # fmt: skip
    for fig in (bar, heat, lines):
        texts = _figure_texts(fig)
        assert any("attacker.test" in t for t in texts)  # the labels are there...
        for text in texts:
            assert "<a" not in text and "<img" not in text and "<b>" not in text, text
        assert any("&lt;a href" in t for t in texts)  # ...shown as written
    assert "AT&amp;T &lt;b&gt;bold&lt;/b&gt;" in _figure_texts(bar)[1:] or any(
        "AT&amp;T" in t for t in _figure_texts(bar)
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_heatmap_scale_clear_of_the_row_names(lang: str) -> None:
    """Rows are named on the right in Arabic: the colour scale goes to the left there, and
    stays on the right (Plotly's place) elsewhere."""
    from dashboard.reference import i18n

    with i18n.using(lang):
        fig = charts.heatmap(
            THEME_BY_REGION,
            rows="theme_id",
            columns="region",
            value="responses",
            title="Heat",
            row_order=["t1", "t2", "t3", "t4"],
            column_order=["Europe", "Africa", "Americas", "Asia"],
        )
    colorbar = fig.data[0].colorbar
    assert fig.layout.yaxis.side == ("right" if lang == "ar" else None)
    assert (colorbar.x, colorbar.xanchor) == ((0, "right") if lang == "ar" else (None, None))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_window_labels_stand_below_the_title(lang: str) -> None:
    """The window's labels sit just above the plot; the title is pinned to the chart's top edge,
    so that one never runs into the other, whichever side the title starts."""
    from dashboard.reference import i18n

    with i18n.using(lang):
        fig = _window_figure("timeline", *WINDOW_CASES[0].values[:3])
    title = fig.layout.title
    assert (title.yref, title.y, title.yanchor) == ("container", 1, "top")
    assert title.x == (1 if lang == "ar" else 0)
    assert [a.yref for a in fig.layout.annotations] == ["paper", "paper"]


@pytest.mark.parametrize(("lang", "side"), [("en", "r"), ("ar", "l")])
def test_bar_numbers_have_room_past_the_plot(lang: str, side: str) -> None:
    """The count printed after each bar may stand past the plot: the margin on that side (the
    right, the left in Arabic where bars grow leftwards) holds it."""
    from dashboard.reference import i18n

    frame = pd.DataFrame({"theme_id": ["a", "b"], "responses": [4_219, 4_163]})
    with i18n.using(lang):
        fig = charts.bar_chart(frame, "theme_id", "responses", title="t", value_label="Responses")
    other = "l" if side == "r" else "r"
    assert (fig.layout.margin[side], fig.layout.margin[other]) == (48, 10)
    assert fig.data[0].cliponaxis is False
