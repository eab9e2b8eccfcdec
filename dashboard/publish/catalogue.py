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
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.coding.codebook import Codebook
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation
from dashboard.publish import charts, style
from dashboard.reference import geo, i18n
from dashboard.reference.i18n import N_, _, pgettext
from dashboard.store.queries import NO_CODE, UNDETECTED, Filters

# Marked here, translated where they are used: `_(DEFINITIONS)`.
DEFINITIONS = N_(
    "A respondent is a distinct respondent id (also one who left every answer blank); a response "
    "is one respondent's answer to one question, however many columns it fills; a theme's (or a "
    "code's) respondents are those with a response in it. Codes come from the codebook's "
    "keywords and analysts' own tags; an answer may carry several."
)
NO_CODE_LABEL = N_("No code")


@dataclass(frozen=True)
class Context:
    consultation: Consultation
    filters: Filters
    codebook: Codebook = field(default_factory=Codebook)

    @property
    def zone(self) -> str:
        return self.filters.timezone

    def theme_labels(self) -> dict[str, str]:
        """Each theme's label in the language in force (English, marked, where it has none)."""
        labels = {t.id: i18n.pick(t.labels, t.id) for t in self.consultation.themes}
        labels["Unknown"] = _("Unknown theme")
        return labels

    def code_labels(self) -> dict[str, str]:
        return {**code_labels(self.codebook), NO_CODE: _(NO_CODE_LABEL)}

    def question_text(self, question_id: str) -> str:
        """A question's text in the language in force (English, marked, where it has none)."""
        question = self.consultation.question(question_id)
        return i18n.pick(question.texts, question_id) if question else question_id

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

    def filter_text(self, *, named: bool = True) -> str:
        """The filters in force in words ("region: Europe; country: Austria"), or "none".

        Each value is named in the language in force: countries and languages by CLDR, regions
        and UN groups by M49's own names, themes and codes by the consultation's labels (in
        English, marked, where it has none); stakeholder types are data, shown as written, and
        questions by their id (a question's text is a paragraph). `named=False` gives the ids,
        as in the address of the page: what the audit log records, in English
        (`i18n.using("en")`), so that a log line reads the same whoever made it."""
        f = self.filters
        parts = [
            (label, values, name)
            for label, values, name in (
                (_("region"), f.regions, geo.place_name),
                (_("country"), f.countries, geo.country_name),
                (_("language"), f.languages, language_name),
                (_("stakeholder type"), f.stakeholder_types, str),
                (_("theme"), f.themes, self._theme_name),
                (_("question"), f.questions, str.upper),
                (_("code"), f.codes, self._code_name),
                (_("language of the answer"), f.answer_languages, answer_language_label),
            )
            if values
        ]
        text = "; ".join(
            _("{label}: {value}").format(
                label=label,
                value=", ".join(i18n.isolate(name(v) if named else v) for v in values),
            )
            for label, values, name in parts
        )
        if f.date_from or f.date_to:
            dates = _("dates: {start} to {end} ({zone})").format(
                start=self._filter_day(f.date_from, named),
                end=self._filter_day(f.date_to, named),
                zone=self.zone,
            )
            text = f"{text}; {dates}" if text else dates
        return text or pgettext("filters", "none")

    @staticmethod
    def _filter_day(day: date | None, named: bool) -> str:
        if day is None:
            return "…"
        return i18n.day(datetime(day.year, day.month, day.day)) if named else str(day)

    def _theme_name(self, theme_id: str) -> str:
        theme = next((t for t in self.consultation.themes if t.id == theme_id), None)
        return i18n.pick(theme.labels, theme_id) if theme else theme_id

    def _code_name(self, code_id: str) -> str:
        if code_id == NO_CODE:
            return _(NO_CODE_LABEL)
        return code_labels(self.codebook).get(code_id, code_id)

    def filter_slug(self) -> str:
        """The filters in force for a file name ("region-europe_from-2020-01-13"), or "all".

        By ids (ISO codes, M49's English names, theme and code ids), in every language, on
        purpose: the names of one view's files then match whichever language they were taken
        in, stay ASCII for mail gateways, ZIP tools and shells that mangle other scripts, and
        stay short (a name such as "Латинская Америка и Карибский бассейн" would crowd out
        the rest); the file's title part and everything inside the file are in the language."""
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
        return _("{title}, open {window}").format(
            title=c.display_title(), window=style.window_text(c.opens, c.closes, self.zone)
        )

    def source(self, respondents: int | None = None, *, exact: bool = False) -> str:
        """The source line: which consultation, how many respondents the figures rest on (as
        released: never a number below k), and the threshold for small counts."""
        c = self.consultation
        k = 1 if exact else c.suppression_k
        values = {
            "title": c.display_title(),
            "days": self.window_days(),
            "respondents": perturbation.in_words(respondents, k),
            "k": c.suppression_k,
        }
        if not exact:
            line = _(
                "Source: {title} ({days}); {respondents} respondents; counts below {k} not shown."
            )
        elif respondents is not None:
            line = _("Source: {title} ({days}); {respondents} respondents.")
        else:
            line = _("Source: {title} ({days}).")
        return line.format(**values)

    def window_days(self) -> str:
        c = self.consultation
        return _("{opens} to {closes}").format(
            opens=style.day_text(self.local(c.opens)), closes=style.day_text(self.local(c.closes))
        )

    def image_source(
        self, respondents: int | None = None, made: datetime | None = None, *, exact: bool = False
    ) -> list[str]:
        """The lines printed under a chart image: source, filters (if any), the disclosure
        scheme, and when it was made."""
        made = made or datetime.now(UTC)
        filters = self.filter_text()
        return [
            self.source(respondents, exact=exact),
            *([_("Filters: {filters}.").format(filters=filters)] if self.filtered() else []),
            perturbation.scheme_text(self.consultation.suppression_k, exact=exact),
            made_line(made),
        ]

    def filtered(self) -> bool:
        """Whether any filter is in force (the time zone alone filters nothing)."""
        return self.filters != Filters(timezone=self.filters.timezone)

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
            _("{title}. {subtitle}.").format(title=title, subtitle=self.subtitle()),
            self.source(respondents, exact=exact),
            _("Filters: {filters}.").format(filters=self.filter_text()),
            _(DEFINITIONS),
            perturbation.scheme_text(self.consultation.suppression_k, exact=exact),
            made_line(made),
        ]


def made_line(made: datetime) -> str:
    """When a file was made, and by what."""
    return _("Made {moment} with the consultation dashboard.").format(
        moment=style.moment_text(made, "UTC")
    )


def code_labels(codebook: Codebook) -> dict[str, str]:
    """Each code's label in the language in force (English, marked, where it has none)."""
    return {c.id: i18n.pick(c.labels, c.id) for c in codebook.codes}


def slug(text: str, keep: str = "") -> str:
    """Lower-case letters and digits (any script) joined by hyphens; `keep` lists separators
    kept as they are."""
    pieces = "".join(c if c.isalnum() or c in keep else "-" for c in text.lower())
    while "--" in pieces:
        pieces = pieces.replace("--", "-")
    return pieces.strip("-")


def language_name(code: str) -> str:
    """A language by its name alone in the language in force ("French"); "Other languages"
    for the group of the others."""
    return _("Other languages") if code == "other" else i18n.language_name(code)


def answer_language_label(code: str) -> str:
    """A language detected in answers, as `language_label` names it, or "not detected"."""
    if code == UNDETECTED:
        return _("Not detected")
    return language_label(code)


def language_label(code: str) -> str:
    """A language by its name in the language in force, and its code: "French (fr)"."""
    if code == "other":
        return _("Other languages")
    return f"{i18n.language_name(code)} ({i18n.isolate(code)})"


def place_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with its places (country, region, sub-region, UN regional group)
    named in the language in force; the ids (iso3) stay."""
    named = frame.copy()
    if "country" in named and "iso3" in named:
        named["country"] = [
            geo.country_name(iso3, name)
            for iso3, name in zip(named["iso3"], named["country"], strict=True)
        ]
    for column in ("region", "subregion", "un_group"):
        if column in named:
            named[column] = named[column].map(geo.place_name)
    return named


def place_names(values: pd.Series) -> dict[str, str]:
    """Each region, sub-region or group of `values` (as stored) → its name in the language."""
    return {value: geo.place_name(value) for value in values}


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str  # in English, marked: `heading` is the title in the language in force
    query: str
    draw: Callable[[pd.DataFrame, Context], go.Figure] | None
    numbers: Callable[[pd.DataFrame, Context], pd.DataFrame]
    parameters: dict[str, Any] = field(default_factory=dict)
    about_codes: bool = False  # left out where the consultation has no codebook

    @property
    def heading(self) -> str:
        return _(self.title)


# Column headings of the tables, marked once and translated where a table is made.
HEADINGS = {
    "respondents": N_("Respondents"),
    "responses": N_("Responses"),
    "region": N_("Region (M49)"),
    "subregion": N_("Sub-region (M49)"),
    "un_group": N_("UN regional group"),
    "country": N_("Country"),
    "iso3": N_("ISO3"),
    "language": N_("Language"),
    "theme": N_("Theme"),
    "question": N_("Question"),
    "code": N_("Code"),
    "period": N_("Against the window"),
    "bin_start": N_("Time"),
    "series": N_("Series"),
    "so_far": N_("Respondents so far"),
}


def heading(column: str) -> str:
    """A table's column heading in the language in force ("respondents" → "Respondents")."""
    return _(HEADINGS[column]) if column in HEADINGS else column


def _counts(frame: pd.DataFrame, first: str, label: str, mapping=None) -> pd.DataFrame:
    values = frame[first].map(mapping) if mapping else frame[first]
    return pd.DataFrame(
        {
            label: values,
            heading("respondents"): frame["respondents"],
            heading("responses"): frame["responses"],
        }
    )


def _place_counts(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return _counts(place_labels(frame), column, heading(column))


def _region_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.bar_chart(
        frame, "region", "respondents", title=_("Respondents by region (M49)"),
        value_label=heading("respondents"), colours=charts.REGION_COLOURS,
        labels=place_names(frame["region"]),
    )  # fmt: skip


def _subregion_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    colours = {
        s: charts.REGION_COLOURS.get(r, charts.NEUTRAL)
        for s, r in zip(frame["subregion"], frame["region"], strict=True)
    }
    return charts.bar_chart(
        frame, "subregion", "respondents", title=_("Respondents by sub-region (M49)"),
        value_label=heading("respondents"), colours=colours,
        labels=place_names(frame["subregion"]),
    )  # fmt: skip


def _group_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.bar_chart(
        frame, "un_group", "respondents", title=_("Respondents by UN regional group"),
        value_label=heading("respondents"), colours=charts.UN_GROUP_COLOURS,
        labels=place_names(frame["un_group"]),
    )  # fmt: skip


def _country_map(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.world_map(place_labels(frame), title=_("Respondents by country"))


def _country_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    columns = ["country", "iso3", "region", "subregion", "un_group", "respondents", "responses"]
    return place_labels(frame)[columns].rename(columns=heading)


def _subregion_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return place_labels(frame).rename(columns=heading)


def _language_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    labels = {code: language_label(code) for code in frame["language"]}
    return charts.paired_bar_chart(
        frame, "language", title=_("Respondents and responses by language"), labels=labels
    )


def _theme_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.paired_bar_chart(
        frame,
        "theme_id",
        title=_("Respondents and responses by theme"),
        labels=ctx.theme_labels(),
    )


def _question_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    texts = [json.loads(t) for t in frame["texts"]]
    table = pd.DataFrame(
        {
            heading("question"): frame["question_id"].str.upper(),
            heading("theme"): frame["theme_id"].map(ctx.theme_labels()).fillna(frame["theme_id"]),
        }
    )
    for code in ctx.consultation.languages:
        column = _("Text ({language})").format(language=code)
        table[column] = [t.get(code, "") for t in texts]
    table[heading("respondents")] = frame["respondents"]
    table[heading("responses")] = frame["responses"]
    return table


def _rows(rows: str, frame: pd.DataFrame, ctx: Context) -> tuple[str, list[str], dict]:
    """What a two-way table's rows are (themes or codes): title, order and labels."""
    if rows == "code_id":
        return heading("code"), ctx.code_order(), ctx.code_labels()
    themes = [t.id for t in ctx.consultation.themes]
    if (frame["theme_id"] == "Unknown").any():
        themes.append("Unknown")
    return heading("theme"), themes, ctx.theme_labels()


def _pair_heatmap(rows: str, column: str, title: str) -> Callable[[pd.DataFrame, Context], Any]:
    """Responses by theme (or code) and region (or language); `title` is marked, in English."""

    def draw(frame: pd.DataFrame, ctx: Context) -> go.Figure:
        _rows_title, row_order, row_labels = _rows(rows, frame, ctx)
        if column == "language":
            order = charts.language_order(sorted(set(frame["language"])))
            labels = {c: language_label(c) for c in order}
        else:
            order = [r for r in charts.REGION_COLOURS if r in set(frame[column])]
            labels = place_names(pd.Series(order))
        return charts.heatmap(
            frame, rows=rows, columns=column, value="responses", title=_(title),
            row_order=row_order, column_order=order, row_labels=row_labels,
            column_labels=labels,
        )  # fmt: skip

    return draw


def _pair_numbers(rows: str, column: str) -> Callable[[pd.DataFrame, Context], Any]:
    def numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        row_title, _order, row_labels = _rows(rows, frame, ctx)
        names = language_label if column == "language" else geo.place_name
        return pd.DataFrame(
            {
                row_title: frame[rows].map(row_labels).fillna(frame[rows]),
                heading(column): frame[column].map(names),
                heading("respondents"): frame["respondents"],
                heading("responses"): frame["responses"],
            }
        )

    return numbers


def _per_day(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    c = ctx.consultation
    return charts.timeline(
        frame, title=_("Responses per day"), opens=ctx.local(c.opens),
        closes=ctx.local(c.closes), zone_label=ctx.zone,
    )  # fmt: skip


def _per_day_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            charts.bin_title("day", ctx.zone): pd.to_datetime(frame["bin_start"]).dt.strftime(
                "%Y-%m-%d"
            ),
            heading("period"): window_places(frame["bin_start"], ctx),
            heading("respondents"): frame["respondents"],
            heading("responses"): frame["responses"],
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
    before, after, inside = _("Before the window"), _("After the window"), _("In the window")
    return [
        before if start + length <= opens else after if start > closes else inside
        for start in starts
    ]


def _cumulative(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    c = ctx.consultation
    return charts.cumulative(
        frame, title=_("Cumulative participation (respondents)"), opens=ctx.local(c.opens),
        closes=ctx.local(c.closes), zone_label=ctx.zone,
    )  # fmt: skip


def _cumulative_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return cumulative_numbers(frame, ctx)


def cumulative_numbers(frame: pd.DataFrame, ctx: Context, period: str = "day") -> pd.DataFrame:
    """The running total as the chart draws it: exact until the first day whose count is not
    shown, and from there the range the released counts allow ("2,991 to 3,003"), never a
    total that silently counts a hidden day as zero."""
    totals = charts.running_totals(frame, "respondents")
    k = int(frame.attrs.get("k") or 1)
    bounds = zip(totals["so_far"], totals["at_least"], totals["at_most"], strict=True)
    so_far = [charts.running_total_text(exact, low, high, k) for exact, low, high in bounds]
    moments = pd.to_datetime(totals["bin_start"])
    return pd.DataFrame(
        {
            charts.bin_title(period, ctx.zone): moments.dt.strftime(
                "%Y-%m-%d" if period == "day" else "%Y-%m-%d %H:%M"
            ),
            heading("period"): window_places(totals["bin_start"], ctx, period),
            heading("respondents"): totals["respondents"],
            heading("so_far"): so_far,
        }
    ).set_axis(range(len(totals)))


def _periods(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.period_chart(frame, title=_("Respondents and responses against the window"))


def _period_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    labels = {period: _(label) for period, label in PERIOD_LABELS.items()}
    return _counts(frame, "period", heading("period"), labels)


def _code_bars(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    return charts.paired_bar_chart(
        frame,
        "code_id",
        title=_("Respondents and responses by code"),
        labels=ctx.code_labels(),
        horizontal=True,
    )


def _code_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            heading("code"): frame["code_id"].map(ctx.code_labels()).fillna(frame["code_id"]),
            heading("theme"): frame["theme_id"].map(ctx.theme_labels()).fillna(""),
            heading("respondents"): frame["respondents"],
            heading("responses"): frame["responses"],
        }
    )


def _codes_per_day(frame: pd.DataFrame, ctx: Context) -> go.Figure:
    c = ctx.consultation
    return charts.series_lines(
        frame, title=_("Responses per day by code"), opens=ctx.local(c.opens),
        closes=ctx.local(c.closes), zone_label=ctx.zone, order=ctx.code_order(),
        labels=ctx.code_labels(),
    )  # fmt: skip


def _codes_per_day_numbers(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return pd.DataFrame(
        {
            charts.bin_title("day", ctx.zone): pd.to_datetime(frame["bin_start"]).dt.strftime(
                "%Y-%m-%d"
            ),
            heading("code"): frame["series"].map(ctx.code_labels()).fillna(frame["series"]),
            heading("respondents"): frame["respondents"],
            heading("responses"): frame["responses"],
        }
    )


PERIOD_LABELS = {
    "before": N_("Before opening"),
    "during": N_("During"),
    "after": N_("After closing"),
    "unknown": N_("Time unknown"),
}

CHARTS: tuple[Chart, ...] = (
    Chart("respondents-by-country", N_("Respondents by country"), "by_country", _country_map,
          _country_numbers),
    Chart("respondents-by-region", N_("Respondents by region (M49)"), "by_region", _region_bars,
          lambda f, ctx: _place_counts(f, "region")),
    Chart("respondents-by-subregion", N_("Respondents by sub-region (M49)"), "by_subregion",
          _subregion_bars, _subregion_numbers),
    Chart("respondents-by-un-group", N_("Respondents by UN regional group"), "by_un_group",
          _group_bars, lambda f, ctx: _place_counts(f, "un_group")),
    Chart("respondents-and-responses-by-language", N_("Respondents and responses by language"),
          "by_language_group", _language_bars,
          lambda f, ctx: _counts(f, "language", heading("language"), language_label)),
    Chart("respondents-and-responses-by-theme", N_("Respondents and responses by theme"),
          "by_theme", _theme_bars,
          lambda f, ctx: _counts(f, "theme_id", heading("theme"), ctx.theme_labels())),
    Chart("respondents-and-responses-by-question", N_("Respondents and responses by question"),
          "by_question", None, _question_numbers),
    Chart("responses-by-theme-and-region", N_("Responses by theme and region (M49)"),
          "theme_by_region",
          _pair_heatmap("theme_id", "region", N_("Responses by theme and region (M49)")),
          _pair_numbers("theme_id", "region")),
    Chart("responses-by-theme-and-language", N_("Responses by theme and language"),
          "theme_by_language",
          _pair_heatmap("theme_id", "language", N_("Responses by theme and language")),
          _pair_numbers("theme_id", "language")),
    Chart("responses-per-day", N_("Responses per day"), "timeline", _per_day, _per_day_numbers,
          {"bin": "day", "split": "all"}),
    Chart("cumulative-participation", N_("Cumulative participation (respondents)"), "timeline",
          _cumulative, _cumulative_numbers, {"bin": "day", "split": "all"}),
    Chart("against-the-window", N_("Respondents and responses against the window"),
          "by_period", _periods, _period_numbers),
    Chart("respondents-and-responses-by-code", N_("Respondents and responses by code"),
          "by_code", _code_bars, _code_numbers, about_codes=True),
    Chart("responses-by-code-and-region", N_("Responses by code and region (M49)"),
          "code_by_region",
          _pair_heatmap("code_id", "region", N_("Responses by code and region (M49)")),
          _pair_numbers("code_id", "region"), about_codes=True),
    Chart("responses-by-code-and-language", N_("Responses by code and language"),
          "code_by_language",
          _pair_heatmap("code_id", "language", N_("Responses by code and language")),
          _pair_numbers("code_id", "language"), about_codes=True),
    Chart("responses-per-day-by-code", N_("Responses per day by code"), "code_timeline",
          _codes_per_day, _codes_per_day_numbers, about_codes=True),
)  # fmt: skip
BY_SLUG = {chart.slug: chart for chart in CHARTS}
