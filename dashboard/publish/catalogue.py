"""Every chart and table the dashboard offers, defined once: which query feeds it, how it is
drawn, what its table of numbers shows, and the caption that goes with it out of the app.

Pages, downloads, the report pack and the CLI `export` all draw from here, so a figure in a
report is the figure on the screen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.coding.codebook import Codebook
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation
from dashboard.publish import charts, style
from dashboard.reference.languages import language_name
from dashboard.store.queries import NO_CODE, Filters

DEFINITIONS = (
    "A respondent is a distinct respondent id (also one who left every answer blank); a response "
    "is one respondent's answer to one question, however many columns it fills; a theme's (or a "
    "code's) respondents are those with a response in it. Codes come from the codebook's "
    "keywords and analysts' own tags; an answer may carry several."
)
NO_CODE_LABEL = "No code"


@dataclass(frozen=True)
class Context:
    consultation: Consultation
    filters: Filters
    codebook: Codebook = field(default_factory=Codebook)

    @property
    def zone(self) -> str:
        return self.filters.timezone

    def theme_labels(self) -> dict[str, str]:
        labels = {t.id: t.label("en") for t in self.consultation.themes}
        labels["Unknown"] = "Unknown theme"
        return labels

    def code_labels(self) -> dict[str, str]:
        return {**self.codebook.labels("en"), NO_CODE: NO_CODE_LABEL}

    def code_order(self) -> list[str]:
        return [c.id for c in self.codebook.codes]

    def local(self, moment: datetime) -> pd.Timestamp:
        return pd.Timestamp(moment).tz_convert(self.zone)

    def _filter_values(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(label in text, label in a file name, values) of each filter in force but dates."""
        f = self.filters
        return [
            (label, short, values)
            for label, short, values in (
                ("region", "region", f.regions),
                ("country", "country", f.countries),
                ("language", "language", f.languages),
                ("stakeholder type", "stakeholder", f.stakeholder_types),
                ("theme", "theme", f.themes),
                ("question", "question", f.questions),
                ("code", "code", f.codes),
            )
            if values
        ]

    def filter_text(self) -> str:
        f = self.filters
        parts = self._filter_values()
        text = "; ".join(f"{label}: {', '.join(values)}" for label, _, values in parts)
        if f.date_from or f.date_to:
            dates = f"dates: {f.date_from or '…'} to {f.date_to or '…'} ({self.zone})"
            text = f"{text}; {dates}" if text else dates
        return text or "none"

    def filter_slug(self) -> str:
        """The filters in force for a file name ("region-europe_from-2020-01-13"), or "all"."""
        f = self.filters
        parts = [f"{short}-{'-'.join(values)}" for _, short, values in self._filter_values()]
        if f.date_from:
            parts.append(f"from-{f.date_from}")
        if f.date_to:
            parts.append(f"to-{f.date_to}")
        return slug("_".join(parts), keep="_") or "all"

    def file_stem(self, title: str) -> str:
        """A file name without extension: what it is, then the filters in force (shortened
        past 80 characters, with a digest so two filters never share a name)."""
        filters = self.filter_slug()
        if len(filters) > 80:
            digest = hashlib.sha256(filters.encode("utf-8")).hexdigest()[:8]
            filters = f"{filters[:70]}-{digest}"
        return f"{slug(title)}_{'all-responses' if filters == 'all' else filters}"

    def subtitle(self) -> str:
        """Under a chart's title: the consultation (its title, never its id) and its window."""
        c = self.consultation
        return f"{c.title}, open {style.window_text(c.opens, c.closes, self.zone)}"

    def source(self, respondents: int | None = None, *, exact: bool = False) -> str:
        """The source line: which consultation, how many respondents the figures rest on (as
        released: never a number below k), and the threshold for small counts."""
        c = self.consultation
        k = 1 if exact else c.suppression_k
        people = (
            f"; {perturbation.in_words(respondents, k)} respondents"
            if respondents is not None or not exact
            else ""
        )
        small = "" if exact else f"; counts below {c.suppression_k} not shown"
        return f"Source: {c.title} ({self.window_days()}){people}{small}."

    def window_days(self) -> str:
        c = self.consultation
        return f"{style.day_text(self.local(c.opens))} to {style.day_text(self.local(c.closes))}"

    def image_source(
        self, respondents: int | None = None, made: datetime | None = None, *, exact: bool = False
    ) -> list[str]:
        """The lines printed under a chart image: source, filters (if any), the disclosure
        scheme, and when it was made."""
        made = made or datetime.now(UTC)
        filters = self.filter_text()
        return [
            self.source(respondents, exact=exact),
            *([f"Filters: {filters}."] if filters != "none" else []),
            perturbation.scheme_text(self.consultation.suppression_k, exact=exact),
            f"Made {style.moment_text(made, 'UTC')} with the consultation dashboard.",
        ]

    def footer(
        self,
        title: str,
        made: datetime | None = None,
        *,
        exact: bool = False,
        respondents: int | None = None,
    ) -> list[str]:
        """The lines under a table in a file: its title, the source, the filters, the
        definitions, the disclosure scheme and when it was made."""
        made = made or datetime.now(UTC)
        return [
            f"{title}. {self.subtitle()}.",
            self.source(respondents, exact=exact),
            f"Filters: {self.filter_text()}.",
            DEFINITIONS,
            perturbation.scheme_text(self.consultation.suppression_k, exact=exact),
            f"Made {style.moment_text(made, 'UTC')} with the consultation dashboard.",
        ]


def slug(text: str, keep: str = "") -> str:
    """Lower-case letters and digits (any script) joined by hyphens; `keep` lists separators
    kept as they are."""
    pieces = "".join(c if c.isalnum() or c in keep else "-" for c in text.lower())
    while "--" in pieces:
        pieces = pieces.replace("--", "-")
    return pieces.strip("-")


def language_label(code: str) -> str:
    if code == "other":
        return "Other languages"
    return f"{language_name(code, 'en')} ({code})"


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    query: str
    draw: Callable[[pd.DataFrame, Context], go.Figure] | None
    numbers: Callable[[pd.DataFrame, Context], pd.DataFrame]
    parameters: dict[str, Any] = field(default_factory=dict)
    about_codes: bool = False  # left out where the consultation has no codebook


def _counts(frame: pd.DataFrame, first: str, label: str, mapping=None) -> pd.DataFrame:
    values = frame[first].map(mapping) if mapping else frame[first]
    return pd.DataFrame(
        {label: values, "Respondents": frame["respondents"], "Responses": frame["responses"]}
    )


def _region_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.bar_chart(
        frame, "region", "respondents", title="Respondents by region (M49)",
        value_label="Respondents", colours=charts.REGION_COLOURS,
    )  # fmt: skip


def _subregion_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    colours = {
        s: charts.REGION_COLOURS.get(r, charts.NEUTRAL)
        for s, r in zip(frame["subregion"], frame["region"], strict=True)
    }
    return charts.bar_chart(
        frame, "subregion", "respondents", title="Respondents by sub-region (M49)",
        value_label="Respondents", colours=colours,
    )  # fmt: skip


def _group_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.bar_chart(
        frame, "un_group", "respondents", title="Respondents by UN regional group",
        value_label="Respondents", colours=charts.UN_GROUP_COLOURS,
    )  # fmt: skip


def _country_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return frame.rename(
        columns={
            "iso3": "ISO3",
            "country": "Country",
            "region": "Region (M49)",
            "subregion": "Sub-region (M49)",
            "un_group": "UN regional group",
            "respondents": "Respondents",
            "responses": "Responses",
        }
    )[["Country", "ISO3", "Region (M49)", "Sub-region (M49)", "UN regional group",
       "Respondents", "Responses"]]  # fmt: skip


def _language_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    labels = {code: language_label(code) for code in frame["language"]}
    return charts.paired_bar_chart(
        frame, "language", title="Respondents and responses by language", labels=labels
    )


def _theme_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.paired_bar_chart(
        frame, "theme_id", title="Respondents and responses by theme", labels=ctx.theme_labels()
    )


def _question_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    texts = [json.loads(t) for t in frame["texts"]]
    table = pd.DataFrame(
        {
            "Question": frame["question_id"].str.upper(),
            "Theme": frame["theme_id"].map(ctx.theme_labels()).fillna(frame["theme_id"]),
        }
    )
    for code in ctx.consultation.languages:
        table[f"Text ({code})"] = [t.get(code, "") for t in texts]
    table["Respondents"] = frame["respondents"]
    table["Responses"] = frame["responses"]
    return table


def _rows(rows: str, frame: pd.DataFrame, ctx: Context) -> tuple[str, list[str], dict]:
    """What a two-way table's rows are (themes or codes): title, order and labels."""
    if rows == "code_id":
        return "Code", ctx.code_order(), ctx.code_labels()
    themes = [t.id for t in ctx.consultation.themes]
    if (frame["theme_id"] == "Unknown").any():
        themes.append("Unknown")
    return "Theme", themes, ctx.theme_labels()


def _pair_heatmap(rows: str, column: str, title: str) -> Callable[[pd.DataFrame, Context], Any]:
    """Responses by theme (or code) and region (or language)."""

    def draw(frame: pd.DataFrame, ctx: Context) -> go.Figure:
        _, row_order, row_labels = _rows(rows, frame, ctx)
        if column == "language":
            order = charts.language_order(sorted(set(frame["language"])))
            labels = {c: language_label(c) for c in order}
        else:
            order = [r for r in charts.REGION_COLOURS if r in set(frame[column])]
            labels = None
        return charts.heatmap(
            frame, rows=rows, columns=column, value="responses", title=title,
            row_order=row_order, column_order=order, row_labels=row_labels,
            column_labels=labels,
        )  # fmt: skip

    return draw


def _pair_numbers(rows: str, column: str, label: str) -> Callable[[pd.DataFrame, Context], Any]:
    def numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        row_title, _, row_labels = _rows(rows, frame, ctx)
        values = frame[column].map(language_label) if column == "language" else frame[column]
        return pd.DataFrame(
            {
                row_title: frame[rows].map(row_labels).fillna(frame[rows]),
                label: values,
                "Respondents": frame["respondents"],
                "Responses": frame["responses"],
            }
        )

    return numbers


def _per_day(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    c = ctx.consultation
    return charts.timeline(
        frame, title="Responses per day", opens=ctx.local(c.opens), closes=ctx.local(c.closes),
        zone_label=ctx.zone,
    )  # fmt: skip


def _per_day_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            f"Day ({ctx.zone})": pd.to_datetime(frame["bin_start"]).dt.strftime("%Y-%m-%d"),
            "Against the window": window_places(frame["bin_start"], ctx),
            "Respondents": frame["respondents"],
            "Responses": frame["responses"],
        }
    )


def window_places(days: pd.Series, ctx: Context, period: str = "day") -> list[str]:
    """Whether each day (local, in the view's zone) lies before, in or after the window; the
    days it opens and closes on count as in it."""
    c = ctx.consultation
    length = pd.Timedelta(days=1) if period == "day" else pd.Timedelta(hours=1)
    opens = ctx.local(c.opens).tz_localize(None)
    closes = ctx.local(c.closes).tz_localize(None)
    starts = pd.to_datetime(days)
    return [
        "Before the window" if start + length <= opens
        else "After the window" if start > closes
        else "In the window"
        for start in starts
    ]  # fmt: skip


def _cumulative(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    c = ctx.consultation
    return charts.cumulative(
        frame, title="Cumulative participation (respondents)", opens=ctx.local(c.opens),
        closes=ctx.local(c.closes), zone_label=ctx.zone,
    )  # fmt: skip


def _cumulative_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return cumulative_numbers(frame, ctx)


def _running_total_text(exact: float, low: float, high: float, k: int) -> str:
    """Exact, or a range; no bound below k is written as a number ("< 5", "up to 12")."""
    if pd.notna(exact):
        return style.count_text(exact)
    if high < k:
        return f"< {k}"
    if low < k:
        return f"up to {style.count_text(high)}"
    return f"{style.count_text(low)} to {style.count_text(high)}"


def cumulative_numbers(frame: pd.DataFrame, ctx: Context, period: str = "day") -> pd.DataFrame:
    """The running total as the chart draws it: exact until the first day whose count is not
    shown, and from there the range the released counts allow ("2,991 to 3,003"), never a
    total that silently counts a hidden day as zero."""
    totals = charts.running_totals(frame, "respondents")
    k = int(frame.attrs.get("k") or 1)
    bounds = zip(totals["so_far"], totals["at_least"], totals["at_most"], strict=True)
    so_far = [_running_total_text(exact, low, high, k) for exact, low, high in bounds]
    heading = "Day" if period == "day" else "Hour"
    moments = pd.to_datetime(totals["bin_start"])
    return pd.DataFrame(
        {
            f"{heading} ({ctx.zone})": moments.dt.strftime(
                "%Y-%m-%d" if period == "day" else "%Y-%m-%d %H:%M"
            ),
            "Against the window": window_places(totals["bin_start"], ctx, period),
            "Respondents": totals["respondents"],
            "Respondents so far": so_far,
        }
    ).set_axis(range(len(totals)))


def _periods(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.period_chart(frame, title="Respondents and responses against the window")


def _code_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.paired_bar_chart(
        frame,
        "code_id",
        title="Respondents and responses by code",
        labels=ctx.code_labels(),
        horizontal=True,
    )


def _code_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Code": frame["code_id"].map(ctx.code_labels()).fillna(frame["code_id"]),
            "Theme": frame["theme_id"].map(ctx.theme_labels()).fillna(""),
            "Respondents": frame["respondents"],
            "Responses": frame["responses"],
        }
    )


def _codes_per_day(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    c = ctx.consultation
    return charts.series_lines(
        frame, title="Responses per day by code", opens=ctx.local(c.opens),
        closes=ctx.local(c.closes), zone_label=ctx.zone, order=ctx.code_order(),
        labels=ctx.code_labels(),
    )  # fmt: skip


def _codes_per_day_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            f"Day ({ctx.zone})": pd.to_datetime(frame["bin_start"]).dt.strftime("%Y-%m-%d"),
            "Code": frame["series"].map(ctx.code_labels()).fillna(frame["series"]),
            "Respondents": frame["respondents"],
            "Responses": frame["responses"],
        }
    )


PERIOD_LABELS = {
    "before": "Before opening",
    "during": "During",
    "after": "After closing",
    "unknown": "Time unknown",
}

CHARTS: tuple[Chart, ...] = (
    Chart("respondents-by-country", "Respondents by country", "by_country",
          lambda f, ctx: charts.world_map(f, title="Respondents by country"), _country_numbers),
    Chart("respondents-by-region", "Respondents by region (M49)", "by_region", _region_bars,
          lambda f, ctx: _counts(f, "region", "Region (M49)")),
    Chart("respondents-by-subregion", "Respondents by sub-region (M49)", "by_subregion",
          _subregion_bars,
          lambda f, ctx: f.rename(columns={"subregion": "Sub-region (M49)",
                                           "region": "Region (M49)", "respondents": "Respondents",
                                           "responses": "Responses"})),
    Chart("respondents-by-un-group", "Respondents by UN regional group", "by_un_group",
          _group_bars, lambda f, ctx: _counts(f, "un_group", "UN regional group")),
    Chart("respondents-and-responses-by-language", "Respondents and responses by language",
          "by_language_group", _language_bars,
          lambda f, ctx: _counts(f, "language", "Language", language_label)),
    Chart("respondents-and-responses-by-theme", "Respondents and responses by theme",
          "by_theme", _theme_bars,
          lambda f, ctx: _counts(f, "theme_id", "Theme", ctx.theme_labels())),
    Chart("respondents-and-responses-by-question", "Respondents and responses by question",
          "by_question", None, _question_numbers),
    Chart("responses-by-theme-and-region", "Responses by theme and region (M49)",
          "theme_by_region",
          _pair_heatmap("theme_id", "region", "Responses by theme and region (M49)"),
          _pair_numbers("theme_id", "region", "Region (M49)")),
    Chart("responses-by-theme-and-language", "Responses by theme and language",
          "theme_by_language",
          _pair_heatmap("theme_id", "language", "Responses by theme and language"),
          _pair_numbers("theme_id", "language", "Language")),
    Chart("responses-per-day", "Responses per day", "timeline", _per_day, _per_day_numbers,
          {"bin": "day", "split": "all"}),
    Chart("cumulative-participation", "Cumulative participation (respondents)", "timeline",
          _cumulative, _cumulative_numbers, {"bin": "day", "split": "all"}),
    Chart("against-the-window", "Respondents and responses against the window", "by_period",
          _periods, lambda f, ctx: _counts(f, "period", "Against the window", PERIOD_LABELS)),
    Chart("respondents-and-responses-by-code", "Respondents and responses by code", "by_code",
          _code_bars, _code_numbers, about_codes=True),
    Chart("responses-by-code-and-region", "Responses by code and region (M49)",
          "code_by_region",
          _pair_heatmap("code_id", "region", "Responses by code and region (M49)"),
          _pair_numbers("code_id", "region", "Region (M49)"), about_codes=True),
    Chart("responses-by-code-and-language", "Responses by code and language",
          "code_by_language",
          _pair_heatmap("code_id", "language", "Responses by code and language"),
          _pair_numbers("code_id", "language", "Language"), about_codes=True),
    Chart("responses-per-day-by-code", "Responses per day by code", "code_timeline",
          _codes_per_day, _codes_per_day_numbers, about_codes=True),
)  # fmt: skip
BY_SLUG = {chart.slug: chart for chart in CHARTS}
