"""One print style for every chart, on the page and in every file that leaves the app.

Sizes are worked out for print. A chart is laid out in CSS pixels at a width such that, placed at
the full text width of an A4 page (16 cm) or at half of it (8 cm), one pixel is 0.567 pt; every
text is at least `MIN_FONT_PX` (13 px, 7.4 pt at the printed size). Images are rendered at the
scale that gives 300 dots per inch at that size. The page draws the very same figure at the width
of its column, so the fonts and number formats a reader sees are those of the report.

A printed chart carries, besides its title: a subtitle (the consultation's title, never its id,
and its window), and under the plot a source line (consultation, respondents as released, the
threshold below which counts are not shown) with the filters and the disclosure scheme. Text is
wrapped here, because Plotly never wraps: widths are estimated per character (CJK characters are
a full em wide) on the generous side, so a line never runs past the edge.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard.reference import i18n
from dashboard.reference.i18n import _

# Noto covers the six UN scripts (Arabic, Chinese, Cyrillic, Latin); the server's images use the
# fonts of the fonts-noto-core and fonts-noto-cjk packages, a reader's browser whatever it has.
FONT = "'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', Arial, sans-serif"
TEXT_COLOUR = "#1a1a1a"
QUIET_COLOUR = "#444444"  # 9.7:1 on white: captions and source lines stay readable
MIN_FONT_PX = 13
TITLE_PX = 18
LINE_HEIGHT = 1.35
PAD = 18  # a clear band on every edge of an image, in CSS pixels
DPI = 300
CM_PER_INCH = 2.54


@dataclass(frozen=True)
class PrintSize:
    name: str
    cm: float
    width: int  # CSS pixels

    @property
    def scale(self) -> float:
        """Device pixels per CSS pixel for `DPI` at the printed width."""
        return self.cm / CM_PER_INCH * DPI / self.width

    @property
    def vector_scale(self) -> float:
        """CSS pixels of an SVG or PDF per CSS pixel of the layout, so that the file's own size
        is the printed size (16 cm is 605 px at 96 per inch, or 454 pt)."""
        return self.cm / CM_PER_INCH * 96 / self.width

    @property
    def points_per_px(self) -> float:
        return self.cm / CM_PER_INCH * 72 / self.width


FULL = PrintSize("full", 16.0, 800)
HALF = PrintSize("half", 8.0, 400)
SIZES = {size.name: size for size in (FULL, HALF)}


# ---- numbers and dates: one style everywhere --------------------------------------------------


def count_text(value: float | int, locale: str | None = None) -> str:
    """A count as people of the language write it (3,000 in English, 3 000 in French); the
    language in force unless `locale` names one."""
    return i18n.number(value, locale)


def percent_text(share: float, decimals: int = 1, locale: str | None = None) -> str:
    """A share (0 to 1) as a percentage for the language: "12.3%", "12,3 %"."""
    return i18n.percent(share, decimals, locale)


def plotly_separators(locale: str | None = None) -> str:
    """Plotly's `separators` (decimal mark, then thousands mark) for the language, so the axis
    ticks read as the labels do."""
    return i18n.separators(locale)


def moment_text(moment: datetime, zone: str | None = None, locale: str | None = None) -> str:
    """A point in time in text: "13 Jan 2020 09:00 UTC" (the zone named, always)."""
    stamp = pd.Timestamp(moment)
    if zone is not None and stamp.tzinfo is not None:
        stamp = stamp.tz_convert(zone)
    when = stamp.to_pydatetime()
    return f"{i18n.day(when, locale)} {i18n.clock(when, locale)} {zone or 'UTC'}"


def day_text(day: object, locale: str | None = None) -> str:
    """A day in text: "13 Jan 2020". Tables and files use ISO days (2020-01-13) in a column
    whose heading names the zone."""
    return i18n.day(pd.Timestamp(day).to_pydatetime(), locale)


def window_text(opens: datetime, closes: datetime, zone: str, locale: str | None = None) -> str:
    """The consultation's window: "13 Jan 2020 09:00 UTC to 27 Mar 2020 17:00 UTC"."""
    return _("{opens} to {closes}").format(
        opens=moment_text(opens, zone, locale), closes=moment_text(closes, zone, locale)
    )


# ---- text measure and wrapping -----------------------------------------------------------------


def _char_em(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char == " ":
        return 0.3
    if char.isupper() or char in "mwMW@%&":
        return 0.75
    if char in "ilj.,;:'!|()[]":
        return 0.32
    return 0.6


def text_width(text: str, font_px: float) -> float:
    """An upper estimate of the width of one line of `text`, in CSS pixels."""
    return sum(_char_em(c) for c in text) * font_px


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """`text` in lines no wider than `width_px`: broken at spaces, and anywhere within a word
    too long for a line (Chinese has no spaces; a long URL has none either)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, font_px) <= width_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if text_width(line + char, font_px) > width_px and line:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def _html(text: str) -> str:
    # Plotly reads a few HTML tags in text; a caption is shown as written.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unhtml(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Right-to-left isolate and its end: a line of Arabic in an SVG text keeps its order.
RIGHT_TO_LEFT_ISOLATE, POP_ISOLATE = "\u2067", "\u2069"


def right_to_left(text: str) -> str:
    """Each line of a Plotly text (lines joined with <br>) as a right-to-left isolate."""
    lines = text.split("<br>")
    return "<br>".join(
        line
        if line.startswith(RIGHT_TO_LEFT_ISOLATE)
        else f"{RIGHT_TO_LEFT_ISOLATE}{line}{POP_ISOLATE}"
        for line in lines
    )


def _no_isolates(text: str) -> str:
    return text.replace(RIGHT_TO_LEFT_ISOLATE, "").replace(POP_ISOLATE, "")


def wrapped(text: str, width_px: float, font_px: float) -> tuple[str, int]:
    """Plotly text (lines joined with <br>) and its number of lines (each line a
    right-to-left isolate in Arabic)."""
    lines = wrap(_no_isolates(_unhtml(text)), width_px, font_px)
    joined = "<br>".join(_html(line) for line in lines)
    return (right_to_left(joined) if i18n.is_rtl() and joined else joined), len(lines)


# ---- the figure as printed ---------------------------------------------------------------------


def screen(fig: go.Figure, locale: str | None = None) -> go.Figure:
    """Fonts, colours and number formats of the print style, on any figure (charts.py calls it
    for every chart it makes)."""
    fig.update_layout(
        font={"family": FONT, "size": MIN_FONT_PX, "color": TEXT_COLOUR},
        title_font={"size": TITLE_PX},
        separators=plotly_separators(locale),
        hoverlabel={"font_size": MIN_FONT_PX},
        legend_font_size=MIN_FONT_PX,
    )
    return fig


def printed(
    fig: go.Figure,
    *,
    subtitle: str = "",
    source: list[str] = (),
    size: PrintSize = FULL,
) -> go.Figure:
    """A copy of `fig` laid out for print at `size`: title and subtitle wrapped at the top, the
    legend under the plot, the source lines under the legend, a clear band on every edge.

    Everything below the plot is placed in pixels from the bottom of the image (the bottom
    margin is fixed and the bottom axis never grows it), so nothing there can overlap."""
    out = go.Figure(fig)
    rtl = i18n.is_rtl()  # Arabic: title, legend and source lines start at the right
    width = size.width
    text_width_px = width - 2 * PAD
    line = MIN_FONT_PX * LINE_HEIGHT

    title, title_lines = wrapped(out.layout.title.text or "", text_width_px, TITLE_PX)
    sub, sub_lines = wrapped(subtitle, text_width_px, MIN_FONT_PX) if subtitle else ("", 0)
    header = PAD + title_lines * TITLE_PX * LINE_HEIGHT + sub_lines * line + 10

    source_text, source_lines = _source_block(source, text_width_px)
    source_h = source_lines * line
    _wrap_categories(out, max_px=width * 0.34)
    left = PAD + _left_axis_width(out)
    _fit_heatmap_columns(out, width - left - PAD - 4)
    above_plot = _above_plot_band(out)
    right = PAD + 4
    if rtl and out.layout.yaxis.side == "right":  # bars lying down, named on the right
        left, right = right, left
    # Plotly fits a horizontal legend to the plot's width, not the image's.
    legend_h = _legend_height(out, width - left - right)
    axis_h = _bottom_axis_height(out)
    bottom = PAD + source_h + (12 if source_h else 0) + legend_h + axis_h

    plot_h = max(_plot_height(out), _rows_height(out))
    top = header + above_plot
    height = int(top + plot_h + bottom)

    out.update_layout(
        width=width,
        height=height,
        autosize=False,
        title={
            "text": title,
            "x": 1 if rtl else 0,
            "xref": "container",
            "xanchor": "right" if rtl else "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"l": PAD, "r": PAD, "t": PAD},
            "font": {"size": TITLE_PX},
            "subtitle": {"text": sub, "font": {"size": MIN_FONT_PX, "color": QUIET_COLOUR}},
        },
        margin={"t": int(top), "b": int(bottom), "l": int(left), "r": int(right), "pad": 2},
    )
    # The bottom and left axes keep to the room measured for them, so the source lines can be
    # placed from the plot's corner; the top axis and a colour bar may still grow theirs.
    for axis in out.select_xaxes():
        axis.automargin = axis.side == "top"
    out.update_yaxes(automargin=False)
    if out.layout.showlegend is not False and _legend_items(out):
        out.update_layout(
            legend={
                "orientation": "h",
                "xref": "container",
                "x": 1 - PAD / width if rtl else PAD / width,
                "xanchor": "right" if rtl else "left",
                "yref": "container",
                "y": (PAD + source_h + (12 if source_h else 0)) / height,
                "yanchor": "bottom",
            }
        )
    if source_text:
        out.add_annotation(
            text=source_text,
            xref="paper",
            yref="paper",
            x=1 if rtl else 0,
            y=0,
            xanchor="right" if rtl else "left",
            yanchor="top",
            xshift=(right - PAD) if rtl else -(left - PAD),
            yshift=-(bottom - PAD - source_h),
            align="right" if rtl else "left",
            showarrow=False,
            font={"size": MIN_FONT_PX, "color": QUIET_COLOUR},
        )
    # Labels inside the plot that were sized for the screen keep to the minimum too.
    for annotation in out.layout.annotations:
        if annotation.font.size is not None and annotation.font.size < MIN_FONT_PX:
            annotation.font.size = MIN_FONT_PX
    return out


def _wrap_categories(fig: go.Figure, max_px: float) -> None:
    """Long category names on the left axis (bars lying down, heat-map rows) wrapped so the
    axis takes at most `max_px`; every trace gets the same wrapped name for a category."""
    for trace in fig.data:
        horizontal = trace.type == "bar" and trace.orientation == "h"
        if (horizontal or trace.type in ("heatmap", "scatter")) and trace.y is not None:
            values = list(trace.y)
            if values and all(isinstance(v, str) for v in values):
                trace.y = [_wrap_label(v, max_px) for v in values]


def _fit_heatmap_columns(fig: go.Figure, width_px: float) -> None:
    """A heat map prints its number in every cell, so in print it needs no colour bar; its
    column names are wrapped to the width of a column, level, so the cells keep that room."""
    for trace in fig.data:
        if trace.type != "heatmap" or trace.x is None or not len(trace.x):
            continue
        trace.showscale = False
        column = max(width_px / len(trace.x) - 6, 24)
        words = [w for x in trace.x for w in _unhtml(str(x)).replace("<br>", " ").split()]
        if any(text_width(word, MIN_FONT_PX) > column for word in words):
            # A word wider than its column is not cut: the names stand upright instead.
            fig.update_xaxes(tickangle=-90)
            continue
        names = {x: _wrap_label(str(x), column) for x in trace.x}
        for layer in fig.data:
            if layer.x is not None and all(isinstance(x, str) for x in layer.x):
                layer.x = [names.get(x, x) for x in layer.x]
        fig.update_xaxes(tickangle=0)


def _rows_height(fig: go.Figure) -> float:
    """A plot tall enough for the lines of its category names on the left axis: each category
    gets at least its lines' height (and two bars' room when bars are paired)."""
    categories: dict[str, int] = {}
    bars_per_category = 0
    for trace in fig.data:
        horizontal = trace.type == "bar" and trace.orientation == "h"
        if (horizontal or trace.type == "heatmap") and trace.y is not None:
            for name in trace.y:
                if isinstance(name, str):
                    categories[name] = str(name).count("<br>") + 1
            bars_per_category += 1 if horizontal else 0
    if not categories:
        return 0.0
    per_line = MIN_FONT_PX * 1.3
    minimum = 34 if bars_per_category <= 1 else 46
    return sum(max(minimum, lines * per_line + 10) for lines in categories.values())


def _wrap_label(label: str, max_px: float) -> str:
    lines = _unhtml(label).split("<br>")
    if all(text_width(line, MIN_FONT_PX) <= max_px for line in lines):
        return label
    words = _no_isolates(" ".join(lines))
    joined = "<br>".join(_html(line) for line in wrap(words, max_px, MIN_FONT_PX))
    return right_to_left(joined) if i18n.is_rtl() else joined


def _left_axis_width(fig: go.Figure) -> float:
    """The widest tick label of the left axis and its title: categories as named, numbers as
    the axis's largest value written with separators."""
    axis = fig.layout.yaxis
    if axis.visible is False or any(t.type == "choropleth" for t in fig.data):
        return 4.0
    labels: list[str] = []
    for trace in fig.data:
        if trace.y is not None and len(trace.y) and isinstance(trace.y[0], str):
            labels += [line for v in trace.y for line in _unhtml(str(v)).split("<br>")]
    if not labels:
        top = axis.range[1] if axis.range else _largest(fig)
        labels = [f"{int(top):,}"]
    ticks = max(text_width(label, MIN_FONT_PX) for label in labels) + 12
    # Plotly sets a rotated axis title off from the tick labels by a further standoff.
    title = MIN_FONT_PX * LINE_HEIGHT + 16 if axis.title.text else 0
    return ticks + title


def _largest(fig: go.Figure) -> float:
    values = [
        v
        for trace in fig.data
        if trace.y is not None
        for v in trace.y
        if isinstance(v, int | float) and v == v
    ]
    return max(values, default=10.0) * 1.1


def _source_block(source: list[str], width_px: float) -> tuple[str, int]:
    parts = [wrapped(line, width_px, MIN_FONT_PX) for line in source if line]
    return "<br>".join(text for text, _ in parts), sum(count for _, count in parts)


def _legend_items(fig: go.Figure) -> list[str]:
    return [
        str(trace.name)
        for trace in fig.data
        if trace.name and trace.showlegend is not False and trace.type != "heatmap"
    ]


def _legend_height(fig: go.Figure, width_px: float) -> float:
    """Rows of a horizontal legend as Plotly lays it out: one row if every item fits in the
    plot's width, else columns as wide as the widest item."""
    items = _legend_items(fig) if fig.layout.showlegend is not False else []
    if not items or (len(items) == 1 and fig.layout.showlegend is None):
        return 0.0
    widths = [50 + text_width(name, MIN_FONT_PX) for name in items]
    if sum(widths) <= width_px:
        rows = 1
    else:
        per_row = max(1, int(width_px // max(widths)))
        rows = -(-len(items) // per_row)
    return rows * (MIN_FONT_PX * 1.6 + 4) + 8


def _bottom_axis_height(fig: go.Figure) -> float:
    """Tick labels (lines as wrapped, or two for dates) and the axis title under the plot."""
    axis = fig.layout.xaxis
    if axis.side == "top" or any(trace.type in ("choropleth", "pie") for trace in fig.data):
        return 10.0
    tick_lines = 1
    for trace in fig.data:
        if trace.type == "bar" and trace.orientation != "h" and trace.x is not None:
            tick_lines = max(tick_lines, *(str(x).count("<br>") + 1 for x in trace.x))
    if axis.type == "date" or _has_dates(fig):
        tick_lines = 2  # "Jan 13" with the year under the first tick
    ticks = tick_lines * MIN_FONT_PX * 1.25 + 8
    title = MIN_FONT_PX * LINE_HEIGHT + 8 if axis.title.text else 0
    return ticks + title + 8


def _has_dates(fig: go.Figure) -> bool:
    for trace in fig.data:
        if trace.x is not None and len(trace.x):
            first = trace.x[0]
            if isinstance(first, (datetime, pd.Timestamp)) or hasattr(first, "dtype"):
                return True
            if isinstance(first, str) and len(first) >= 10 and first[4] == "-":
                return True
    return False


def _above_plot_band(fig: go.Figure) -> float:
    """Room for labels drawn above the plot (a window's opening and closing labels)."""
    shifts = [
        (a.yshift or 0)
        for a in fig.layout.annotations
        if a.yref == "paper" and a.y is not None and a.y >= 1
    ]
    labels = (max(shifts) + MIN_FONT_PX * LINE_HEIGHT + 6) if shifts else 8.0
    if fig.layout.xaxis.side == "top":
        names = [str(x) for t in fig.data if t.x is not None for x in t.x]
        if fig.layout.xaxis.tickangle == -90:
            longest = max((text_width(_unhtml(n), MIN_FONT_PX) for n in names), default=0)
            labels += longest + 10
        else:
            lines = max((n.count("<br>") + 1 for n in names), default=1)
            labels += lines * MIN_FONT_PX * 1.25 + 10
    return labels


def _plot_height(fig: go.Figure) -> float:
    """The plot area the chart asked for (its height less the margins it had)."""
    height = fig.layout.height or 420
    margin = fig.layout.margin
    return max(160.0, height - (margin.t or 80) - (margin.b or 40))
