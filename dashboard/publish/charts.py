"""Charts as pure functions: a DataFrame in, a `plotly.graph_objects.Figure` out.

No Streamlit here, so the same figures serve the pages, the downloads and the tests. Colours come
from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies, and each language, region and theme keeps its colour on every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.publish import style
from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.reference.languages import UN_LANGUAGES

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
NEUTRAL = "#999999"
WINDOW_SHADE = "rgba(0, 114, 178, 0.10)"
SEQUENTIAL = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]

LANGUAGE_COLOURS = {
    "ar": "#E69F00",
    "zh": "#D55E00",
    "en": "#0072B2",
    "fr": "#56B4E9",
    "ru": "#CC79A7",
    "es": "#009E73",
    "other": "#000000",
    "und": NEUTRAL,
}
REGION_COLOURS = {
    "Africa": "#E69F00",
    "Americas": "#009E73",
    "Asia": "#D55E00",
    "Europe": "#0072B2",
    "Oceania": "#56B4E9",
    "Unknown": NEUTRAL,
}
UN_GROUP_COLOURS = {
    "African Group": "#E69F00",
    "Asia-Pacific Group": "#D55E00",
    "Eastern European Group": "#CC79A7",
    "Latin American and Caribbean Group": "#009E73",
    "Western European and Others Group": "#0072B2",
    "No regional group": "#000000",
    "Unknown": NEUTRAL,
}
PERIOD_COLOURS = {"before": NEUTRAL, "during": "#0072B2", "after": "#E69F00", "unknown": "#CCCCCC"}
FONT = style.FONT
HIDDEN_MARK = "#6b6b6b"  # the marker of a count not shown: 5.3:1 on white


def theme_colours(theme_ids: Sequence[str]) -> dict[str, str]:
    """One colour per theme, by the theme's place in the consultation definition."""
    colours = {tid: OKABE_ITO[i % len(OKABE_ITO)] for i, tid in enumerate(theme_ids)}
    colours["Unknown"] = NEUTRAL
    return colours


def series_colours(series_ids: Sequence[str]) -> dict[str, str]:
    """One colour per series (codes, say) in their given order, cycling the palette."""
    return {sid: OKABE_ITO[i % len(OKABE_ITO)] for i, sid in enumerate(series_ids)}


def language_colour(code: str) -> str:
    return LANGUAGE_COLOURS.get(code, LANGUAGE_COLOURS["other"])


def plotly_text(value: object) -> object:
    """A string shown as written in a Plotly label: Plotly reads a subset of HTML in every
    text (a code label `<a href=...>` became a live link), so `&`, `<`, `>` become entities,
    which it shows as the characters. A newline (from `wrap_label`) becomes a line break. In
    Arabic each line is a right-to-left isolate, so that Chromium orders a sentence with
    numbers and Latin words in it as an Arabic reader reads it (SVG text is left to right).
    Anything else is returned as it is."""
    if isinstance(value, str) and any(c in value for c in "<>&\n"):
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = escaped.replace("\n", "<br>")
    if isinstance(value, str) and value and i18n.is_rtl():
        value = style.right_to_left(value)
    return value


def _plain_values(values: object) -> object:
    if isinstance(values, str):
        return plotly_text(values)
    if isinstance(values, (list, tuple)) or (
        isinstance(values, np.ndarray) and values.dtype == object
    ):
        return [_plain_values(v) for v in values]
    return values  # numbers, dates, numeric arrays


# Every trace attribute that can carry text from data: categories, labels, hover data, names.
_TEXT_ATTRIBUTES = ("x", "y", "text", "customdata", "name", "hovertext")


def _plain_figure(fig: go.Figure) -> None:
    """Every text of the figure shown as written (one place, so no chart forgets it). The
    hover templates are the code's own markup (`<extra>`) and are left alone; what they
    insert from data is escaped here."""
    fig.layout.title.text = plotly_text(fig.layout.title.text)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        axis.title.text = plotly_text(axis.title.text)
    for annotation in fig.layout.annotations:
        annotation.text = plotly_text(annotation.text)
    for trace in fig.data:
        for attribute in _TEXT_ATTRIBUTES:
            if attribute in trace and trace[attribute] is not None:
                trace[attribute] = _plain_values(trace[attribute])


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    _plain_figure(fig)
    style.screen(fig)
    # Right to left (Arabic): the title and the legend start at the right, where the eye does.
    start, side = (1, "right") if i18n.is_rtl() else (0, "left")
    fig.update_layout(
        title={"text": plotly_text(title), "x": start, "xanchor": side, "pad": {"l": 4, "r": 4}},
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        # Under the plot: the space above it holds the title and the window's labels.
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": start, "xanchor": side},
    )
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#bbbbbb", automargin=True)
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bbbbbb", automargin=True)
    return fig


# Counts on an axis read as they do on the bars: "4,000", never "4k".
COUNT_TICKS = ",d"


def measure_name(value: str) -> str:
    """What a count counts, as a heading: "Respondents", "Responses"."""
    names = {"respondents": _("Respondents"), "responses": _("Responses")}
    return names.get(value, value.capitalize())


def counted(value: str, count: str) -> str:
    """A count with what it counts, as hover text ("%{text} respondents"): whole phrases, so
    each language places the number where it goes."""
    phrases = {"respondents": _("{count} respondents"), "responses": _("{count} responses")}
    phrase = phrases.get(value) or _("{count} {what}").replace("{what}", value)
    return phrase.replace("{count}", count)


def _rtl_bars(fig: go.Figure) -> None:
    """Bars lying down read from the right in Arabic: categories on the right-hand axis, bars
    growing leftwards from it."""
    if i18n.is_rtl():
        fig.update_yaxes(side="right")
        axis = fig.layout.xaxis
        if axis.range is not None:
            fig.update_xaxes(range=list(reversed(axis.range)))
        else:
            fig.update_xaxes(autorange="reversed")


def all_hidden(title: str, k: int | None) -> go.Figure:
    """A chart whose every value is hidden: said in words, no empty axes."""
    fig = go.Figure()
    fig.add_annotation(
        text=plotly_text(
            _("Every count in this chart is below {k} respondents, so none is shown.").format(k=k)
            if k
            else _("Every count in this chart is hidden, so none is shown.")
        ),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 15, "color": style.QUIET_COLOUR},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=220)


def _every_value_hidden(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    return len(frame) > 0 and all(frame[c].isna().all() for c in columns)


def _hidden_marks(
    fig: go.Figure, frame: pd.DataFrame, *, x: str, value: str, horizontal: bool = False
) -> None:
    """A count not shown is marked where its bar would start (an open diamond, "< k" on hover),
    so a reader sees a hidden value rather than a zero."""
    hidden = frame[frame[value].isna()]
    if hidden.empty:
        return
    places = list(hidden[x])
    zeros = [0] * len(places)
    fig.add_scatter(
        **({"x": zeros, "y": places} if horizontal else {"x": places, "y": zeros}),
        mode="markers",
        marker={"symbol": "diamond-open", "size": 9, "color": HIDDEN_MARK, "line_width": 1.5},
        name=_("Fewer than {k} (not shown)").format(k=frame.attrs.get("k", "k")),
        hovertemplate=hidden_text(frame) + "<extra></extra>",
        cliponaxis=False,
    )  # fmt: skip


def _shown(values: pd.Series, hidden: str) -> tuple[list[float], list[str]]:
    """Bar lengths and printed labels: a hidden count (missing) draws nothing and reads
    `hidden`, so its number never reaches the browser."""
    lengths = [0.0 if pd.isna(v) else float(v) for v in values]
    texts = [hidden if pd.isna(v) else style.count_text(v) for v in values]
    return lengths, texts


def hidden_text(frame: pd.DataFrame) -> str:
    k = frame.attrs.get("k")
    return f"< {k}" if k else _("hidden")


def bar_chart(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    value_label: str,
    labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    value_range: tuple[float, float] | None = None,
) -> go.Figure:
    """Horizontal bars, one per row of `frame` in its order (first row on top); `value_range`
    fixes the value axis (a share: 0 to 100) instead of fitting it to the bars."""
    if _every_value_hidden(frame, [value]):
        return all_hidden(title, frame.attrs.get("k"))
    full_names = [str((labels or {}).get(c, c)) for c in frame[category]]
    names = bar_names(full_names)
    colour = [(colours or {}).get(c, OKABE_ITO[0]) for c in frame[category]]
    lengths, texts = _shown(frame[value], hidden_text(frame))
    fig = go.Figure(
        go.Bar(
            x=lengths,
            y=names,
            orientation="h",
            marker_color=colour,
            text=texts,
            customdata=full_names,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=_("{category}: {count} {what}")
            .replace("{what}", value_label.lower())
            .replace("{category}", "%{customdata}")
            .replace("{count}", "%{text}")
            + "<extra></extra>",
            name=value_label,
        )
    )
    _hidden_marks(fig, frame.assign(_name=names), x="_name", value=value, horizontal=True)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    # Room on the right for the number printed after the longest bar.
    axis = list(value_range) if value_range else [0, _headroom(pd.Series(lengths))]
    # Few, level ticks: beside long names a narrow axis had its ticks slanted and crowded.
    fig.update_xaxes(
        title_text=value_label, range=axis, tickformat=COUNT_TICKS, nticks=4, tickangle=0
    )
    _rtl_bars(fig)
    # Each line more of a broken name makes its bar's row taller, so names never touch.
    extra_lines = sum(name.count("\n") for name in names)
    fig = _layout(fig, title, height=max(260, 60 + 34 * len(frame) + 16 * extra_lines))
    # The number after the longest bar is drawn past the plot (cliponaxis off): in a narrow
    # chart beside long labels the headroom is a few pixels, and "4,219" was cut at the edge.
    fig.update_layout(margin={"l" if i18n.is_rtl() else "r": 48})
    return fig


def paired_bar_chart(
    frame: pd.DataFrame,
    category: str,
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
    horizontal: bool = False,
) -> go.Figure:
    """Respondents and responses side by side for each category; `horizontal` for many
    categories with long names (codes), which would not fit under columns."""
    if _every_value_hidden(frame, ["respondents", "responses"]):
        return all_hidden(title, frame.attrs.get("k"))
    names = [str((labels or {}).get(c, c)) for c in frame[category]]
    if not horizontal:
        names = [wrap_label(n) for n in names]
    fig = go.Figure()
    for column, colour in (("respondents", OKABE_ITO[0]), ("responses", OKABE_ITO[1])):
        label = measure_name(column)
        lengths, texts = _shown(frame[column], hidden_text(frame))
        axis = "y" if horizontal else "x"
        fig.add_bar(
            **({"x": lengths, "y": names, "orientation": "h"} if horizontal else
               {"x": names, "y": lengths}),
            name=label,
            marker_color=colour,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{" + axis + "}: " + counted(column, "%{text}") + "<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group")
    _hidden_marks(
        fig, frame.assign(_name=names), x="_name", value="respondents", horizontal=horizontal
    )
    counts = pd.concat([frame["respondents"], frame["responses"]]).dropna()
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
        fig.update_xaxes(
            title_text=_("Count"), range=[0, _headroom(counts)], tickformat=COUNT_TICKS
        )
        _rtl_bars(fig)
        return _layout(fig, title, height=max(300, 120 + 46 * len(frame)))
    fig.update_yaxes(title_text=_("Count"), range=[0, _headroom(counts)], tickformat=COUNT_TICKS)
    return _layout(fig, title)


def comparison_bars(
    frame: pd.DataFrame,
    category: str,
    segments: Sequence[str],
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Segments side by side: for each category (a row of `frame`, first on top), one bar per
    segment, its share (`share_0`, `share_1`... as fractions) of that segment, in percent. A
    share not shown (its count hidden) draws no bar and is marked, as a hidden count is."""
    columns = [f"share_{i}" for i in range(len(segments))]
    if _every_value_hidden(frame, columns):
        return all_hidden(title, frame.attrs.get("k"))
    names = [str((labels or {}).get(c, c)) for c in frame[category]]
    fig = go.Figure()
    for i, (column, segment) in enumerate(zip(columns, segments, strict=True)):
        shares = frame[column]
        lengths = [0.0 if pd.isna(v) else float(v) * 100 for v in shares]
        texts = [hidden_text(frame) if pd.isna(v) else i18n.percent(float(v)) for v in shares]
        fig.add_bar(
            x=lengths,
            y=names,
            orientation="h",
            name=segment,
            marker_color=OKABE_ITO[i % len(OKABE_ITO)],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{plotly_text(segment)}, %{{y}}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargroupgap=0.05)
    # One label per row, as written: Plotly would read days as dates and label only some.
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    top = max((float(v) * 100 for c in columns for v in frame[c].dropna()), default=0.0)
    # Room for the share printed after the longest bar, but a share never runs past 100: the
    # number after a bar near 100 is drawn in the margin (cliponaxis off), not over a "120" tick.
    fig.update_xaxes(
        title_text=_("Share of the segment (%)"), range=[0, min(max(top * 1.2, 1.0), 100.0)],
        tickformat=".0f",
    )  # fmt: skip
    _rtl_bars(fig)
    height = max(360, 140 + 14 * len(segments) * len(frame) + 8 * len(frame))
    fig = _layout(fig, title, height=height)
    # The legend under the axis title, whatever the height (at the layout's share of a short
    # chart it sat on the title).
    fig.update_layout(
        margin={"l" if i18n.is_rtl() else "r": 56},
        legend={"y": -75 / max(height - 120, 100)},
    )
    return fig


def world_map(frame: pd.DataFrame, *, title: str, value: str = "respondents") -> go.Figure:
    """Countries shaded by `value`; rows need `iso3` and `country`. 'Unknown' is not drawn."""
    if _every_value_hidden(frame, [value]):
        return all_hidden(title, frame.attrs.get("k"))
    on_map = frame[frame["iso3"] != "Unknown"]
    known = on_map[on_map[value].notna()]
    hidden = on_map[on_map[value].isna()]
    fig = go.Figure()
    if not hidden.empty:
        # Countries with too few respondents: one flat colour, no number sent.
        fig.add_choropleth(
            locations=hidden["iso3"],
            z=[1] * len(hidden),
            locationmode="ISO-3",
            customdata=hidden[["country"]].to_numpy(),
            colorscale=[[0, "#bdbdbd"], [1, "#bdbdbd"]],
            showscale=False,
            marker_line_color="#666666",
            marker_line_width=0.4,
            name=_("fewer than {k}").format(k=hidden_text(frame).lstrip("< ")),
            showlegend=True,
            hovertemplate="%{customdata[0]}: " + counted(value, hidden_text(frame))
            + "<extra></extra>",
        )  # fmt: skip
    fig.add_trace(
        go.Choropleth(
            locations=known["iso3"],
            z=known[value],
            locationmode="ISO-3",
            customdata=known[["country"]].to_numpy(),
            colorscale=SEQUENTIAL,
            zmin=0,
            marker_line_color="#666666",
            marker_line_width=0.4,
            colorbar={
                "title": {"text": measure_name(value)},
                "thickness": 14,
                "tickformat": COUNT_TICKS,
            },
            hovertemplate="%{customdata[0]}: " + counted(value, "%{z:,}") + "<extra></extra>",
        )
    )
    fig.update_layout(showlegend=not hidden.empty)
    fig.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=True,
        coastlinecolor="#999999",
        showcountries=True,
        countrycolor="#cccccc",
        showland=True,
        landcolor="#f4f4f4",
        lataxis_range=[-58, 85],
    )
    return _layout(fig, title, height=480)


def heatmap(
    frame: pd.DataFrame,
    *,
    rows: str,
    columns: str,
    value: str,
    title: str,
    row_order: Sequence[str],
    column_order: Sequence[str],
    row_labels: Mapping[str, str] | None = None,
    column_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """A grid of counts, zero where a pair has none, each cell labelled with its number in
    black or white, whichever reads better on the cell (contrast at least 4.5:1); a hidden cell
    (missing count) is left blank and reads "< k"."""
    if _every_value_hidden(frame, [value]):
        return all_hidden(title, frame.attrs.get("k"))
    present = frame.assign(_hidden=frame[value].isna(), _value=frame[value].fillna(0))
    grid = (
        present.pivot_table(index=rows, columns=columns, values="_value", aggfunc="sum",
                            fill_value=0)
        .reindex(index=list(row_order), columns=list(column_order), fill_value=0)
        .astype(int)
    )  # fmt: skip
    hidden = (
        present.pivot_table(index=rows, columns=columns, values="_hidden", aggfunc="any",
                            fill_value=False)
        .reindex(index=list(row_order), columns=list(column_order), fill_value=False)
        .astype(bool)
    )  # fmt: skip
    z = grid.astype(float).mask(hidden)
    x_names = [str((column_labels or {}).get(c, c)) for c in grid.columns]
    y_names = [str((row_labels or {}).get(r, r)) for r in grid.index]
    top = float(np.nanmax(z.to_numpy())) if z.notna().any().any() else 0.0
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(),
            x=x_names,
            y=y_names,
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=max(top, 1.0),
            customdata=[
                [hidden_text(frame) if h else style.count_text(v) for v, h in zip(vs, hs,
                                                                                   strict=True)]
                for vs, hs in zip(grid.to_numpy().tolist(), hidden.to_numpy().tolist(),
                                  strict=True)
            ],
            hovertemplate="%{y} × %{x}: " + counted(value, "%{customdata}") + "<extra></extra>",
            colorbar={"title": {"text": measure_name(value)}, "thickness": 14,
                      "tickformat": COUNT_TICKS},
        )
    )  # fmt: skip
    # The numbers as a text layer, each in the colour that reads on its own cell.
    cells = [
        (x, y, hidden_text(frame) if h else style.count_text(v),
         HIDDEN_MARK if h else label_colour(cell_colour(v / max(top, 1.0))))
        for y, vs, hs in zip(y_names, grid.to_numpy().tolist(), hidden.to_numpy().tolist(),
                             strict=True)
        for x, v, h in zip(x_names, vs, hs, strict=True)
    ]  # fmt: skip
    fig.add_scatter(
        x=[c[0] for c in cells],
        y=[c[1] for c in cells],
        text=[c[2] for c in cells],
        mode="text",
        textfont={"color": [c[3] for c in cells], "size": style.MIN_FONT_PX},
        hoverinfo="skip",
        showlegend=False,
    )
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    fig.update_xaxes(side="top", automargin=True, showgrid=False)
    if i18n.is_rtl():  # rows named on the right, columns read from the right
        fig.update_yaxes(side="right")
        fig.update_xaxes(autorange="reversed")
        # The colour scale, on the right by default, would lie over the rows' names: on the
        # left, where the columns end.
        fig.update_traces(selector={"type": "heatmap"}, colorbar={"x": 0, "xanchor": "right"})
    return _layout(fig, title, height=max(300, 120 + 50 * len(grid.index)))


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def cell_colour(share: float, scale: Sequence[Sequence] = SEQUENTIAL) -> tuple[float, ...]:
    """The colour Plotly paints for `share` (0 to 1) of a colour scale: linear in RGB."""
    share = min(max(share, 0.0), 1.0)
    for (low, low_colour), (high, high_colour) in pairwise(scale):
        if share <= high:
            t = 0.0 if high == low else (share - low) / (high - low)
            a, b = _rgb(low_colour), _rgb(high_colour)
            return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))
    return _rgb(scale[-1][1])


def relative_luminance(rgb: Sequence[float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (channels 0 to 1)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: Sequence[float], second: Sequence[float]) -> float:
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def label_colour(background: Sequence[float]) -> str:
    """Black or white text, whichever contrasts more with `background` (never below 4.58:1)."""
    black = contrast_ratio(background, (0.0, 0.0, 0.0))
    white = contrast_ratio(background, (1.0, 1.0, 1.0))
    return "#000000" if black >= white else "#ffffff"


# Bar names wider than this many "n" are broken into lines: beside half-width charts the long
# theme names of Russian or Spanish left the bars a sliver, their ticks drawn slanted.
BAR_NAME_WIDTH = 26


def bar_names(names: Sequence[str]) -> list[str]:
    """The names beside horizontal bars: a long one broken into lines (`wrap_label`), the
    others as they are; each stays distinct, since the bars are placed by name."""
    limit = style.text_width("n" * BAR_NAME_WIDTH, style.MIN_FONT_PX)
    shown = [
        wrap_label(name, BAR_NAME_WIDTH)
        if style.text_width(name, style.MIN_FONT_PX) > limit
        else name
        for name in names
    ]
    return shown if len(set(shown)) == len(set(names)) else list(names)


def wrap_label(text: str, width: int = 18) -> str:
    """A category name broken into lines of about `width` characters, for labels under
    columns (Plotly does not wrap them itself)."""
    lines = style.wrap(text, style.text_width("n" * width, style.MIN_FONT_PX), style.MIN_FONT_PX)
    return "\n".join(lines)


def timeline(
    frame: pd.DataFrame,
    *,
    title: str,
    opens: datetime,
    closes: datetime,
    zone_label: str,
    value: str = "responses",
    bin_label: str = "day",
    colours: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Stacked bars per time bin and series, with the consultation window shaded.

    `frame` has `bin_start` (local time in the display zone), `series` and `value`; `opens` and
    `closes` are given in the same zone, naive or aware.
    """
    if _every_value_hidden(frame, [value]):
        return all_hidden(title, frame.attrs.get("k"))
    opens, closes = _naive(opens), _naive(closes)
    period = pd.Timedelta(days=1) if bin_label == "day" else pd.Timedelta(hours=1)
    fig = go.Figure()
    # Series in the order of the colour mapping (UN languages, regions), then the rest.
    known = [s for s in (colours or {}) if s in set(frame["series"])]
    order = known + sorted(set(frame["series"]) - set(known))
    for series in order:
        rows = frame[frame["series"] == series]
        lengths, texts = _shown(rows[value], hidden_text(frame))
        when = hover_dates(rows["bin_start"], with_hours=bin_label == "hour")
        fig.add_bar(
            x=rows["bin_start"],
            y=lengths,
            customdata=[[w, t] for w, t in zip(when, texts, strict=True)],
            # One series ("All") is named by what it counts, in the legend beside the marks.
            name=str(
                (labels or {}).get(series, measure_name(value) if series == "All" else series)
            ),
            marker_color=(colours or {}).get(series, OKABE_ITO[0]),
            hovertemplate="%{customdata[0]}: "
            + counted(value, "%{customdata[1]}")
            + "<extra>%{fullData.name}</extra>",
            # Each bar spans its own day (or hour), so the window's lines fall inside the bars
            # of the opening and closing days.
            xperiod=int(period / pd.Timedelta(milliseconds=1)),
            xperiodalignment="middle",
        )
    hidden_bins = frame[frame[value].isna()].drop_duplicates("bin_start")
    _hidden_marks(
        fig,
        hidden_bins.assign(_middle=pd.to_datetime(hidden_bins["bin_start"]) + period / 2),
        x="_middle",
        value=value,
    )
    several = frame["series"].nunique() > 1 or not hidden_bins.empty
    fig.update_layout(barmode="stack", bargap=0.1, showlegend=several)
    _mark_window(fig, opens, closes, zone_label)
    # Each day's label under the middle of its bar, not at its midnight edge.
    fig.update_xaxes(title_text=bin_title(bin_label, zone_label), ticklabelmode="period")
    _date_axis(fig, with_hours=bin_label == "hour", bars=True)
    fig.update_yaxes(
        title_text=per_bin(value, bin_label),
        rangemode="tozero",
        tickformat=COUNT_TICKS,
    )
    return _layout(fig, title, height=440)


def series_lines(
    frame: pd.DataFrame,
    *,
    title: str,
    opens: datetime,
    closes: datetime,
    zone_label: str,
    order: Sequence[str],
    value: str = "responses",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One line per series over the days of `frame` (bin_start, series, value), the window
    shaded: for series that overlap (an answer may carry several codes), which stacked bars
    would wrongly add up. A day with nothing is zero; a hidden count leaves a gap."""
    if _every_value_hidden(frame, [value]):
        return all_hidden(title, frame.attrs.get("k"))
    opens, closes = _naive(opens), _naive(closes)
    days = pd.to_datetime(pd.Series(sorted(set(frame["bin_start"]))))
    fig = go.Figure()
    dashes = ("solid", "dash", "dot")
    for position, series in enumerate(s for s in order if s in set(frame["series"])):
        rows = frame[frame["series"] == series].set_index("bin_start")[value]
        full = rows.reindex(days, fill_value=0)
        hidden = full.isna()
        fig.add_scatter(
            x=days,
            y=[None if h else float(v) for v, h in zip(full, hidden, strict=True)],
            customdata=[[w, hidden_text(frame) if h else style.count_text(v)] for w, v, h in
                        zip(hover_dates(days), full.fillna(0), hidden, strict=True)],
            mode="lines+markers",
            connectgaps=False,
            name=str((labels or {}).get(series, series)),
            line={
                "color": OKABE_ITO[position % len(OKABE_ITO)],
                "dash": dashes[position // len(OKABE_ITO) % len(dashes)],
                "width": 2,
            },
            marker={"size": 5},
            hovertemplate="%{customdata[0]}: " + counted(value, "%{customdata[1]}")
            + "<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    _mark_window(fig, opens, closes, zone_label)
    fig.update_xaxes(title_text=bin_title("day", zone_label))
    _date_axis(fig)
    fig.update_yaxes(title_text=per_bin(value, "day"), rangemode="tozero", tickformat=COUNT_TICKS)
    _layout(fig, title, height=560)
    # Many codes: the legend takes several rows under the axis title, not over it.
    fig.update_layout(showlegend=True, legend={"y": -0.3})
    return fig


def running_totals(frame: pd.DataFrame, value: str = "respondents") -> pd.DataFrame:
    """One row per bin (bin_start) of `frame`: its count (missing where hidden) and the running
    total so far, as far as the released counts tell it: `so_far` is exact until the first
    hidden bin and missing from there on; `at_least` and `at_most` bound it from the released
    counts alone (a hidden count is between 1 and k - 1), so nothing hidden is given back."""
    k = int(frame.attrs.get("k") or 1)
    bins = frame.groupby("bin_start", as_index=False, sort=True)[value].agg(
        lambda values: np.nan if values.isna().any() else values.sum()
    )
    hidden = bins[value].isna()
    shown = bins[value].fillna(0).cumsum()
    hidden_so_far = hidden.cumsum()
    exact = hidden_so_far == 0
    return pd.DataFrame(
        {
            "bin_start": bins["bin_start"],
            value: bins[value],
            "so_far": shown.where(exact),
            "at_least": shown + hidden_so_far * 1,
            "at_most": shown + hidden_so_far * max(k - 1, 1),
        }
    )


def running_total_text(exact: float | None, low: float, high: float, k: int) -> str:
    """A running total in words: exact, or a range; no bound below k is written as a number
    ("< 5", "up to 12", "2,991 to 2,997")."""
    if exact is not None and pd.notna(exact):
        return style.count_text(exact)
    if high < k:
        return f"< {k}"
    if low < k:
        return _("up to {high}").format(high=style.count_text(high))
    return _("{low} to {high}").format(low=style.count_text(low), high=style.count_text(high))


def cumulative(
    frame: pd.DataFrame,
    *,
    title: str,
    opens: datetime,
    closes: datetime,
    zone_label: str,
    value: str = "respondents",
) -> go.Figure:
    """Running total of `value` over the bins of `frame` (bin_start, value), window shaded.

    The line is drawn only where the total is exact (until the first hidden bin); from there a
    band shows what the released counts allow (see `running_totals`): a line through a hidden
    bin would either give its number back by subtraction or silently count it as zero."""
    if _every_value_hidden(frame, [value]):
        return all_hidden(title, frame.attrs.get("k"))
    totals = running_totals(frame, value)
    k = int(frame.attrs.get("k") or 1)
    fig = go.Figure()
    uncertain = totals[totals["so_far"].isna()]
    if not uncertain.empty:
        # The band from the bin before the first hidden one, so it joins the exact line.
        first = totals.index.get_loc(uncertain.index[0])
        band = totals.iloc[max(first - 1, 0) :]
        low = band["at_least"].where(band["so_far"].isna(), band["so_far"])
        high = band["at_most"].where(band["so_far"].isna(), band["so_far"])
        # Bounds below k are widened (0 and k still hold the truth), so the figure sent to the
        # browser states no count below k.
        low = low.where(low >= k, 0)
        high = high.where(high >= k, k)
        # Both edges drawn (in a lighter blue than the exact line), so a narrow range still
        # reads as a line and its steps are joined.
        edge = {"width": 1.5, "shape": "hv", "color": "#56B4E9"}
        fig.add_scatter(x=band["bin_start"], y=low, mode="lines", line=edge, hoverinfo="skip",
                        showlegend=False)  # fmt: skip
        fig.add_scatter(
            x=band["bin_start"],
            y=high,
            mode="lines",
            line=edge,
            fill="tonexty",
            fillcolor="rgba(86, 180, 233, 0.35)",
            name=_("Range (a day below {k} is not shown)").format(k=frame.attrs.get("k", "k")),
            customdata=[
                [when, running_total_text(None, a, b, k)]
                for when, a, b in zip(
                    hover_dates(band["bin_start"]), band["at_least"], band["at_most"], strict=True
                )
            ],
            hovertemplate="%{customdata[0]}: "
            + so_far(value, "%{customdata[1]}")
            + "<extra></extra>",
        )
    exact = totals[totals["so_far"].notna()]
    fig.add_scatter(
        x=exact["bin_start"],
        y=exact["so_far"],
        mode="lines",
        line={"color": OKABE_ITO[0], "width": 2.5, "shape": "hv"},
        name=_("Cumulative respondents") if value == "respondents" else _("Cumulative responses"),
        customdata=[
            [when, style.count_text(total)]
            for when, total in zip(hover_dates(exact["bin_start"]), exact["so_far"], strict=True)
        ],
        hovertemplate="%{customdata[0]}: " + so_far(value, "%{customdata[1]}") + "<extra></extra>",
    )
    fig.update_layout(showlegend=not uncertain.empty)
    _mark_window(fig, _naive(opens), _naive(closes), zone_label)
    fig.update_xaxes(title_text=_("Time ({zone})").format(zone=zone_label))
    _date_axis(fig)
    fig.update_yaxes(
        title_text=_("Respondents so far") if value == "respondents" else _("Responses so far"),
        rangemode="tozero",
        tickformat=COUNT_TICKS,
    )
    return _layout(fig, title, height=380)


def period_chart(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Respondents and responses before, during and after the window."""
    if _every_value_hidden(frame, ["respondents", "responses"]):
        return all_hidden(title, frame.attrs.get("k"))
    labels = {
        "before": _("Before"),
        "during": _("During"),
        "after": _("After"),
        "unknown": _("Time unknown"),
    }
    fig = go.Figure()
    for column, colour in (("respondents", OKABE_ITO[0]), ("responses", OKABE_ITO[1])):
        label = measure_name(column)
        lengths, texts = _shown(frame[column], hidden_text(frame))
        fig.add_bar(
            x=[labels.get(p, p) for p in frame["period"]],
            y=lengths,
            name=label,
            marker_color=colour,
            text=texts,
            textposition="outside",
            cliponaxis=False,
        )
    fig.update_layout(barmode="group")
    top = _headroom(pd.concat([frame["respondents"], frame["responses"]]).dropna())
    _hidden_marks(
        fig,
        frame.assign(_name=[labels.get(p, p) for p in frame["period"]]),
        x="_name",
        value="respondents",
    )
    fig.update_yaxes(range=[0, top], title_text=_("Count"), tickformat=COUNT_TICKS)
    return _layout(fig, title, height=340)


def _headroom(values: pd.Series) -> float:
    values = pd.Series(values).dropna()
    top = float(values.max()) if len(values) else 0.0
    return max(top * 1.15, 1.0)


# Steps between the ticks of a date axis, shortest first: the first that leaves at most
# MAX_DATE_TICKS labels is taken (hours, then days; months past DAYS_BEFORE_MONTHS days).
MAX_DATE_TICKS = 8
HOUR_STEPS = (1, 2, 3, 6, 12)
DAY_STEPS = (1, 2, 3, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12)
DAYS_BEFORE_MONTHS = 90


def date_ticks(
    start: datetime, end: datetime, *, with_hours: bool = False, middle: bool = False
) -> tuple[list[pd.Timestamp], list[str]]:
    """Tick positions and their labels for a date axis from `start` to `end`, in the language
    in force, left to right in time order in every language: "13 janv.", "13 янв.",
    "1月13日"; hours as "09:00" over the day; months as "janv. 2020" on long spans. `middle`
    puts a day's tick at its noon, under the middle of a bar that spans the day.

    Plotly names months in English only (its locale bundles are not loaded, and the app loads
    nothing from a CDN), so the labels are written here with babel."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    span = end - start
    if with_hours and span <= pd.Timedelta(days=max(HOUR_STEPS) * MAX_DATE_TICKS / 24):
        step = next(h for h in HOUR_STEPS if span / pd.Timedelta(hours=h) <= MAX_DATE_TICKS)
        ticks = list(pd.date_range(start.ceil(f"{step}h"), end, freq=f"{step}h"))
        return ticks, [
            f"{i18n.clock(t)}<br>{i18n.short_day(t)}" if t == ticks[0] or t.hour < step
            else i18n.clock(t)
            for t in ticks
        ]  # fmt: skip
    if span > pd.Timedelta(days=DAYS_BEFORE_MONTHS):
        months = (end.year - start.year) * 12 + end.month - start.month
        step = next((m for m in MONTH_STEPS if months / m <= MAX_DATE_TICKS), MONTH_STEPS[-1])
        first = (start + pd.offsets.MonthBegin(0)).normalize()
        ticks = list(pd.date_range(first, end, freq=f"{step}MS"))
        return ticks, [i18n.month(t) for t in ticks]
    days = max(span / pd.Timedelta(days=1), 1)
    step = next((d for d in DAY_STEPS if days / d <= MAX_DATE_TICKS), DAY_STEPS[-1])
    offset = pd.Timedelta(hours=12) if middle else pd.Timedelta(0)
    first = (start - offset).ceil("D")
    ticks = [t + offset for t in pd.date_range(first, end - offset, freq=f"{step}D")]
    with_year = start.year != end.year
    return ticks, [i18n.short_day(t, with_year=with_year) for t in ticks]


def _date_axis(fig: go.Figure, with_hours: bool = False, *, bars: bool = False) -> None:
    """Dates on the time axis as the language writes them (`date_ticks`); English keeps
    Plotly's own labels. Reads the axis's range (set by `_mark_window`, or the data's)."""
    if i18n.current() == i18n.DEFAULT:
        return
    axis_range = fig.layout.xaxis.range
    if axis_range:
        start, end = (pd.Timestamp(x) for x in axis_range)
    else:
        times = [pd.Timestamp(x) for trace in fig.data for x in (trace.x or ())]
        if not times:
            return
        start, end = min(times), max(times)
    ticks, texts = date_ticks(start, end, with_hours=with_hours, middle=bars and not with_hours)
    fig.update_xaxes(
        tickmode="array",
        tickvals=ticks,
        ticktext=texts,
        # The labels stand where they are put (a day's under its bar), not between two ticks.
        ticklabelmode="instant",
    )


def hover_dates(moments: Iterable[object], *, with_hours: bool = False) -> list[str]:
    """Each moment as a hover label writes it, in the language in force like the axis's
    labels: "13 Jan 2020" (en), "13 janv. 2020" (fr), "2020年1月13日" (zh), with the time of day
    after it for hourly bins. Plotly's own `%{x}` would write ISO dates or English months."""
    texts = []
    for moment in moments:
        stamp = pd.Timestamp(moment)
        day = i18n.day(stamp)
        texts.append(f"{day} {i18n.clock(stamp)}" if with_hours else day)
    return texts


def _mark_window(fig: go.Figure, opens: datetime, closes: datetime, zone_label: str) -> None:
    # A fixed range: otherwise Plotly widens the axis by weeks to fit the labels below.
    times = [
        pd.Timestamp(x) for trace in fig.data for x in (trace.x if trace.x is not None else ())
    ]
    start = min([pd.Timestamp(opens), *times])
    end = max([pd.Timestamp(closes), *(t + pd.Timedelta(days=1) for t in times)])
    pad = (end - start) * 0.02
    fig.update_xaxes(range=[start - pad, end + pad])
    fig.add_vrect(x0=opens, x1=closes, fillcolor=WINDOW_SHADE, line_width=0, layer="below")
    # Labels point into the window (which is always in range), one above the other, so they
    # are neither cut at the chart's edges nor drawn over each other.
    for moment, word, anchor, shift in (
        (opens, _("Opens {moment}"), "left", 22),
        (closes, _("Closes {moment}"), "right", 2),
    ):
        fig.add_vline(x=moment, line_color="#0072B2", line_width=1.5, line_dash="dash")
        fig.add_annotation(
            x=moment,
            y=1,
            yref="paper",
            yshift=shift,
            yanchor="bottom",
            xanchor=anchor,
            showarrow=False,
            text=word.format(moment=style.moment_text(moment, zone_label)),
            font={"size": style.MIN_FONT_PX, "color": "#005A8C"},
        )
    # The title at the top of the chart, above the labels: midway down the space above the
    # plot (Plotly's default) it ran into the closing label in Arabic and the opening one in
    # English, each time the window reaches the title's side.
    fig.update_layout(title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}})


def bin_title(bin_label: str, zone_label: str) -> str:
    """The time axis's title: "Day (UTC)", "Hour (Europe/Paris)"."""
    title = _("Hour ({zone})") if bin_label == "hour" else _("Day ({zone})")
    return title.format(zone=zone_label)


def per_bin(value: str, bin_label: str) -> str:
    """The count axis's title: "Responses per day", "Respondents per hour"."""
    titles = {
        ("responses", "day"): _("Responses per day"),
        ("responses", "hour"): _("Responses per hour"),
        ("respondents", "day"): _("Respondents per day"),
        ("respondents", "hour"): _("Respondents per hour"),
    }
    return titles.get((value, bin_label)) or f"{value.capitalize()} per {bin_label}"


def so_far(value: str, count: str) -> str:
    """Hover text of a running total: "%{y:,} respondents so far"."""
    phrase = (
        _("{count} respondents so far") if value == "respondents" else _("{count} responses so far")
    )
    return phrase.replace("{count}", count)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def language_order(codes: Sequence[str]) -> list[str]:
    """The six UN languages first, in the UN's order, then the others as given."""
    return [c for c in UN_LANGUAGES if c in codes] + [c for c in codes if c not in UN_LANGUAGES]
