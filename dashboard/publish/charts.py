"""Charts as pure functions: a DataFrame in, a `plotly.graph_objects.Figure` out.

No Streamlit here, so the same figures serve the pages, the downloads and the tests. Colours come
from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies, and each language, region and theme keeps its colour on every page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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
FONT = "Arial, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif"


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
    which it shows as the characters. Anything else is returned as it is."""
    if isinstance(value, str) and ("<" in value or ">" in value or "&" in value):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
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
    fig.update_layout(
        title={"text": plotly_text(title), "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        # Under the plot: the space above it holds the title and the window's labels.
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0, "xanchor": "left"},
    )
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#bbbbbb")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bbbbbb")
    return fig


def _shown(values: pd.Series, hidden: str) -> tuple[list[float], list[str]]:
    """Bar lengths and printed labels: a hidden count (missing) draws nothing and reads
    `hidden`, so its number never reaches the browser."""
    lengths = [0.0 if pd.isna(v) else float(v) for v in values]
    texts = [hidden if pd.isna(v) else f"{int(v):,}" for v in values]
    return lengths, texts


def hidden_text(frame: pd.DataFrame) -> str:
    k = frame.attrs.get("k")
    return f"< {k}" if k else "hidden"


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
    names = [str((labels or {}).get(c, c)) for c in frame[category]]
    colour = [(colours or {}).get(c, OKABE_ITO[0]) for c in frame[category]]
    lengths, texts = _shown(frame[value], hidden_text(frame))
    fig = go.Figure(
        go.Bar(
            x=lengths,
            y=names,
            orientation="h",
            marker_color=colour,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} " + value_label.lower() + "<extra></extra>",
            name=value_label,
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    # Room on the right for the number printed after the longest bar.
    axis = list(value_range) if value_range else [0, _headroom(pd.Series(lengths))]
    fig.update_xaxes(title_text=value_label, range=axis)
    return _layout(fig, title, height=max(260, 60 + 34 * len(frame)))


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
    names = [str((labels or {}).get(c, c)) for c in frame[category]]
    fig = go.Figure()
    for column, label, colour in (
        ("respondents", "Respondents", OKABE_ITO[0]),
        ("responses", "Responses", OKABE_ITO[1]),
    ):
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
            hovertemplate="%{" + axis + "}: %{text} " + label.lower() + "<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group")
    counts = pd.concat([frame["respondents"], frame["responses"]]).dropna()
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
        fig.update_xaxes(title_text="Count", range=[0, _headroom(counts)])
        return _layout(fig, title, height=max(300, 120 + 46 * len(frame)))
    fig.update_yaxes(title_text="Count", range=[0, _headroom(counts)])
    return _layout(fig, title)


def world_map(frame: pd.DataFrame, *, title: str, value: str = "respondents") -> go.Figure:
    """Countries shaded by `value`; rows need `iso3` and `country`. 'Unknown' is not drawn."""
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
            name=f"fewer than {hidden_text(frame).lstrip('< ')}",
            showlegend=True,
            hovertemplate="%{customdata[0]}: " + hidden_text(frame) + " " + value
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
            colorbar={"title": {"text": value.capitalize()}, "thickness": 14},
            hovertemplate="%{customdata[0]}: %{z:,} " + value + "<extra></extra>",
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
    """A grid of counts, zero where a pair has none, each cell labelled with its number; a
    hidden cell (missing count) is left blank and reads "< k"."""
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
    texts = [
        [hidden_text(frame) if h else f"{v:,}" for v, h in zip(values, flags, strict=True)]
        for values, flags in zip(grid.to_numpy().tolist(), hidden.to_numpy().tolist(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(),
            x=[str((column_labels or {}).get(c, c)) for c in grid.columns],
            y=[str((row_labels or {}).get(r, r)) for r in grid.index],
            colorscale=SEQUENTIAL,
            zmin=0,
            text=texts,
            texttemplate="%{text}",
            hovertemplate="%{y} × %{x}: %{text} " + value + "<extra></extra>",
            colorbar={"title": {"text": value.capitalize()}, "thickness": 14},
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top", automargin=True)
    return _layout(fig, title, height=max(300, 120 + 50 * len(grid.index)))


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
    opens, closes = _naive(opens), _naive(closes)
    fig = go.Figure()
    # Series in the order of the colour mapping (UN languages, regions), then the rest.
    known = [s for s in (colours or {}) if s in set(frame["series"])]
    order = known + sorted(set(frame["series"]) - set(known))
    for series in order:
        rows = frame[frame["series"] == series]
        lengths, texts = _shown(rows[value], hidden_text(frame))
        fig.add_bar(
            x=rows["bin_start"],
            y=lengths,
            customdata=texts,
            name=str((labels or {}).get(series, series)),
            marker_color=(colours or {}).get(series, OKABE_ITO[0]),
            hovertemplate="%{x}: %{customdata} " + value + "<extra>%{fullData.name}</extra>",
            xperiod=86_400_000 if bin_label == "day" else 3_600_000,
            xperiodalignment="start",
        )
    fig.update_layout(barmode="stack", bargap=0.1, showlegend=frame["series"].nunique() > 1)
    _mark_window(fig, opens, closes, zone_label)
    fig.update_xaxes(title_text=f"{bin_label.capitalize()} ({zone_label})")
    fig.update_yaxes(title_text=f"{value.capitalize()} per {bin_label}", rangemode="tozero")
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
            customdata=[hidden_text(frame) if h else f"{int(v):,}" for v, h in
                        zip(full.fillna(0), hidden, strict=True)],
            mode="lines+markers",
            connectgaps=False,
            name=str((labels or {}).get(series, series)),
            line={
                "color": OKABE_ITO[position % len(OKABE_ITO)],
                "dash": dashes[position // len(OKABE_ITO) % len(dashes)],
                "width": 2,
            },
            marker={"size": 5},
            hovertemplate="%{x|%d %b %Y}: %{customdata} " + value + "<extra>%{fullData.name}"
            "</extra>",
        )  # fmt: skip
    _mark_window(fig, opens, closes, zone_label)
    fig.update_xaxes(title_text=f"Day ({zone_label})")
    fig.update_yaxes(title_text=f"{value.capitalize()} per day", rangemode="tozero")
    _layout(fig, title, height=560)
    # Many codes: the legend takes several rows under the axis title, not over it.
    fig.update_layout(showlegend=True, legend={"y": -0.3})
    return fig


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

    Hidden bins (missing counts) add nothing: a running total through them would give their
    numbers back by subtraction."""
    totals = (
        frame.assign(**{value: frame[value].fillna(0)})
        .groupby("bin_start", as_index=False)[value]
        .sum()
        .sort_values("bin_start")
    )
    fig = go.Figure(
        go.Scatter(
            x=totals["bin_start"],
            y=totals[value].cumsum(),
            mode="lines",
            line={"color": OKABE_ITO[0], "width": 2.5, "shape": "hv"},
            name=f"Cumulative {value}",
            hovertemplate="%{x}: %{y:,} " + value + " so far<extra></extra>",
        )
    )
    _mark_window(fig, _naive(opens), _naive(closes), zone_label)
    fig.update_xaxes(title_text=f"Time ({zone_label})")
    fig.update_yaxes(title_text=f"{value.capitalize()} so far", rangemode="tozero")
    return _layout(fig, title, height=380)


def period_chart(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Respondents and responses before, during and after the window."""
    labels = {"before": "Before", "during": "During", "after": "After", "unknown": "Time unknown"}
    fig = go.Figure()
    for column, label, colour in (
        ("respondents", "Respondents", OKABE_ITO[0]),
        ("responses", "Responses", OKABE_ITO[1]),
    ):
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
    fig.update_yaxes(range=[0, top], title_text="Count")
    return _layout(fig, title, height=340)


def _headroom(values: pd.Series) -> float:
    values = pd.Series(values).dropna()
    top = float(values.max()) if len(values) else 0.0
    return max(top * 1.15, 1.0)


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
    for moment, word, anchor, height in (
        (opens, "Opens", "left", 1.07),
        (closes, "Closes", "right", 1.0),
    ):
        fig.add_vline(x=moment, line_color="#0072B2", line_width=1.5, line_dash="dash")
        fig.add_annotation(
            x=moment,
            y=height,
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            showarrow=False,
            text=f"{word} {moment:%d %b %Y %H:%M} {zone_label}",
            font={"size": 11, "color": "#0072B2"},
        )


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def language_order(codes: Sequence[str]) -> list[str]:
    """The six UN languages first, in the UN's order, then the others as given."""
    return [c for c in UN_LANGUAGES if c in codes] + [c for c in codes if c not in UN_LANGUAGES]
