"""The print style: text wrapped within its width, numbers as the locale writes them, heat-map
labels that read on their cells, running totals that never count a hidden day as zero, charts
that say so when every value is hidden, and glyphs of the six UN scripts in server images."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from dashboard.publish import charts, style

WORDS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789éçñ中文字ابجдя,.()"),
    min_size=1,
    max_size=30,
)


@settings(deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40), st.integers(min_value=60, max_value=900))
def test_wrapped_lines_fit_their_width_and_keep_every_character(words, width) -> None:
    text = " ".join(words)
    lines = style.wrap(text, width, style.MIN_FONT_PX)
    for line in lines:
        # A single character wider than the line is the only thing allowed to overflow.
        assert style.text_width(line, style.MIN_FONT_PX) <= width or len(line) == 1
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "3,000"), ("fr", "3\u202f000"), ("es", "3.000"), ("ru", "3\xa0000"), ("ar", "3,000"),
     ("zh", "3,000")],
)  # fmt: skip
def test_counts_read_as_the_locale_writes_them(locale: str, expected: str) -> None:
    assert style.count_text(3000, locale) == expected


def test_axis_separators_follow_the_locale() -> None:
    assert style.plotly_separators("en") == ".,"
    assert style.plotly_separators("fr") == ",\u202f"


def test_dates_have_one_style_with_the_zone_named() -> None:
    moment = pd.Timestamp("2020-01-13T09:00:00Z")
    assert style.moment_text(moment, "UTC") == "13 Jan 2020 09:00 UTC"
    assert style.moment_text(moment, "Europe/Paris") == "13 Jan 2020 10:00 Europe/Paris"
    assert style.day_text("2020-01-24") == "24 Jan 2020"


@pytest.mark.parametrize("share", np.linspace(0, 1, 41))
def test_heat_map_labels_contrast_at_least_4_5_with_their_cell(share: float) -> None:
    cell = charts.cell_colour(share)
    text = charts.label_colour(cell)
    rgb = (0.0, 0.0, 0.0) if text == "#000000" else (1.0, 1.0, 1.0)
    assert charts.contrast_ratio(cell, rgb) >= 4.5


def test_the_heat_map_paints_each_label_in_its_readable_colour() -> None:
    frame = pd.DataFrame(
        {"theme_id": ["a", "a", "b", "b"], "region": ["X", "Y", "X", "Y"],
         "responses": [1000.0, 10.0, 500.0, np.nan]}
    )  # fmt: skip
    frame.attrs["k"] = 5
    fig = charts.heatmap(
        frame, rows="theme_id", columns="region", value="responses", title="T",
        row_order=["a", "b"], column_order=["X", "Y"],
    )  # fmt: skip
    layer = next(t for t in fig.data if t.type == "scatter")
    colours = dict(zip(layer.text, layer.textfont.color, strict=True))
    colours = {text.replace("&lt;", "<"): colour for text, colour in colours.items()}
    assert colours["1,000"] == "#ffffff"  # the darkest cell
    assert colours["10"] == "#000000"  # the lightest
    assert colours["< 5"] == charts.HIDDEN_MARK


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=25),
    st.lists(st.booleans(), min_size=25, max_size=25),
)
def test_running_totals_bound_the_truth_and_are_exact_only_before_a_hidden_bin(
    counts, hide
) -> None:
    k = 5
    true = pd.Series(counts, dtype=float)
    # Hidden exactly where the count is small, plus some the suppression chose to hide.
    hidden = [c < k or (h and c < 50) for c, h in zip(counts, hide, strict=False)]
    shown = true.mask(pd.Series(hidden))
    frame = pd.DataFrame(
        {"bin_start": pd.date_range("2020-01-10", periods=len(counts)), "respondents": shown}
    )
    frame.attrs["k"] = k
    totals = charts.running_totals(frame)
    truth = true.cumsum()
    for position, row in totals.iterrows():
        if pd.notna(row["so_far"]):
            assert not any(hidden[: position + 1])
            assert row["so_far"] == truth[position]
        else:
            assert any(hidden[: position + 1])
        if all(not h or counts[i] < k for i, h in enumerate(hidden[: position + 1])):
            assert row["at_least"] <= truth[position] <= row["at_most"]


def test_a_chart_whose_every_value_is_hidden_says_so_in_words() -> None:
    frame = pd.DataFrame({"region": ["Oceania"], "respondents": [np.nan], "responses": [np.nan]})
    frame.attrs["k"] = 5
    for fig in (
        charts.bar_chart(frame, "region", "respondents", title="T", value_label="Respondents"),
        charts.paired_bar_chart(frame, "region", title="T"),
    ):
        assert not fig.data, "no empty axes"
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        assert "below 5 respondents" in fig.layout.annotations[0].text


def test_a_hidden_day_is_marked_not_drawn_as_zero() -> None:
    frame = pd.DataFrame(
        {"bin_start": pd.date_range("2020-01-12", periods=3), "series": "All",
         "responses": [np.nan, 120.0, 80.0], "respondents": [np.nan, 40.0, 30.0]}
    )  # fmt: skip
    frame.attrs["k"] = 5
    fig = charts.timeline(
        frame, title="T", opens=pd.Timestamp("2020-01-13 09:00"),
        closes=pd.Timestamp("2020-01-14 18:00"), zone_label="UTC",
    )  # fmt: skip
    marks = [t for t in fig.data if t.type == "scatter"]
    assert len(marks) == 1 and marks[0].name == "Fewer than 5 (not shown)"
    assert pd.Timestamp(marks[0].x[0]) == pd.Timestamp("2020-01-12 12:00")


def test_the_printed_figure_wraps_its_title_and_keeps_text_at_7_pt() -> None:
    long_title = "Respondents and responses by a very long breakdown name " * 3
    fig = charts.bar_chart(
        pd.DataFrame({"c": ["a", "b"], "v": [10.0, 20.0]}), "c", "v", title=long_title,
        value_label="V",
    )  # fmt: skip
    for size in style.SIZES.values():
        printed = style.printed(fig, subtitle="Sub", source=["Source: x"], size=size)
        assert printed.layout.width == size.width
        assert "<br>" in printed.layout.title.text
        assert style.MIN_FONT_PX * size.points_per_px >= 7


GLYPHS = {"Arabic": "المجتمع المدني", "Chinese": "公民社会空间", "Russian": "гражданское общество"}
MISSING = "\U000f0000" * 6  # a private-use character no installed font draws: a box each


def _label_png(text: str) -> Image.Image:
    from dashboard.publish import render

    fig = go.Figure()
    fig.update_layout(
        title={"text": text, "font": {"size": 40, "family": style.FONT}},
        width=400,
        height=120,
        margin={"t": 80, "b": 0, "l": 0, "r": 0},
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return Image.open(io.BytesIO(render.png(fig))).convert("L")


@pytest.mark.parametrize("script", list(GLYPHS))
def test_server_images_draw_the_glyphs_of_every_un_script(script: str) -> None:
    """Rendered by the server's Chromium with the fonts a fresh machine installs: the label has
    ink and does not look like the boxes of a character no font has."""
    if not charts_can_render():
        pytest.skip("server images need Chromium at /usr/bin/chromium")
    label = _label_png(GLYPHS[script])
    boxes = _label_png(MISSING[: len(GLYPHS[script])])
    ink = label.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None, f"{script} label drew nothing"
    difference = ImageChops.difference(label, boxes).point(lambda v: 255 if v > 64 else 0)
    changed = sum(difference.histogram()[255:]) / (label.width * label.height)
    assert changed > 0.01, f"{script} glyphs look like missing-glyph boxes"


def charts_can_render() -> bool:
    from pathlib import Path

    return Path("/usr/bin/chromium").exists()


def test_days_outside_the_window_are_drawn_and_the_window_marked() -> None:
    frame = pd.DataFrame(
        {"bin_start": pd.to_datetime(["2020-01-10", "2020-01-15", "2020-01-27"]),
         "series": "All", "responses": [12.0, 300.0, 9.0]}
    )  # fmt: skip
    frame.attrs["k"] = 5
    fig = charts.timeline(
        frame, title="T", opens=pd.Timestamp("2020-01-13 09:00"),
        closes=pd.Timestamp("2020-01-24 18:00"), zone_label="UTC",
    )  # fmt: skip
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert start < pd.Timestamp("2020-01-10") and end > pd.Timestamp("2020-01-28")
    (bars,) = [t for t in fig.data if t.type == "bar"]
    assert list(bars.y) == [12.0, 300.0, 9.0]
    shaded = fig.layout.shapes[0]
    assert (pd.Timestamp(shaded.x0), pd.Timestamp(shaded.x1)) == (
        pd.Timestamp("2020-01-13 09:00"),
        pd.Timestamp("2020-01-24 18:00"),
    )


def _half_width_charts() -> dict[str, go.Figure]:
    names = ["Laws restricting NGOs (registration, foreign agents)", "Reprisals", "No code"]
    counts = pd.DataFrame({"code": names, "respondents": [1713.0, 914.0, np.nan],
                           "responses": [2462.0, 1057.0, np.nan]})  # fmt: skip
    counts.attrs["k"] = 5
    languages = ["Arabic (ar)", "Chinese (zh)", "English (en)", "French (fr)", "Russian (ru)",
                 "Spanish (es)"]  # fmt: skip
    grid = pd.DataFrame(
        [(code, language, float(100 + 37 * i + 11 * j)) for i, code in enumerate(names)
         for j, language in enumerate(languages)],
        columns=["code", "language", "responses"],
    )  # fmt: skip
    grid.attrs["k"] = 5
    return {
        "bars": charts.paired_bar_chart(
            counts, "code", title="Respondents and responses by code", horizontal=True
        ),
        "heatmap": charts.heatmap(
            grid,
            rows="code",
            columns="language",
            value="responses",
            title="Responses by code and language",
            row_order=names,
            column_order=languages,
        ),
    }


@pytest.mark.parametrize("name", ["bars", "heatmap"])
def test_half_width_images_keep_a_clear_band_and_7_pt_text(name: str) -> None:
    if not charts_can_render():
        pytest.skip("server images need Chromium at /usr/bin/chromium")
    from dashboard.publish import render

    fig = style.printed(
        _half_width_charts()[name],
        subtitle="Online consultation on civil society space, open 13 Jan 2020 09:00 UTC to "
        "24 Jan 2020 18:00 UTC",
        source=["Source: Online consultation on civil society space; 3,000 respondents."],
        size=style.HALF,
    )
    image = Image.open(io.BytesIO(render.png(fig, style.HALF))).convert("L")
    assert abs(image.width - 8 / 2.54 * 300) <= 1
    ink = image.point(lambda value: 255 if value < 250 else 0).getbbox()
    left, top, right, bottom = ink
    assert min(left, top, image.width - right, image.height - bottom) >= 24
    svg = render.svg(fig, style.HALF).decode()
    sizes = [float(size) for size in re.findall(r"font-size:\s*([0-9.]+)px", svg)]
    assert min(sizes) * style.HALF.points_per_px >= 7


def test_the_cumulative_band_states_no_count_below_k() -> None:
    """Three hidden days first: the range starts at 3 to 12, which would state 3 and 4; the
    figure widens such bounds to 0 and k instead, in its values and its hover text."""
    frame = pd.DataFrame(
        {"bin_start": pd.date_range("2020-01-10", periods=5),
         "respondents": [np.nan, np.nan, np.nan, 400.0, 300.0]}
    )  # fmt: skip
    frame.attrs["k"] = 5
    fig = charts.cumulative(
        frame, title="T", opens=pd.Timestamp("2020-01-13 09:00"),
        closes=pd.Timestamp("2020-01-14 18:00"), zone_label="UTC",
    )  # fmt: skip
    values = [v for t in fig.data for v in (t.y if t.y is not None else ()) if v is not None]
    assert values and not any(0 < v < 5 for v in values)
    # (date, count) per point: the counts, as the hover shows them.
    texts = [row[1].replace("&lt;", "<") for trace in fig.data for row in (trace.customdata or ())]
    assert texts[:3] == ["< 5", "up to 8", "up to 12"]
    numbers = [int(n.replace(",", "")) for t in texts for n in re.findall(r"[\d,]+", t)]
    assert min(numbers) >= 5
