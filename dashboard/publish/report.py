"""The report pack: every chart (PNG, SVG), every table and the matching answers (CSV, XLSX),
and a methodology note, for the view in force; as one ZIP from the app or as files from the
CLI (`python -m dashboard export`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.coding import reliability, tagging, typical
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation, privacy
from dashboard.publish import render, style, word
from dashboard.publish.catalogue import (
    CHARTS,
    DEFINITIONS,
    Context,
    language_label,
)
from dashboard.publish.exports import csv_bytes, xlsx_bytes
from dashboard.reference import geo, i18n
from dashboard.reference.i18n import N_, _, pgettext
from dashboard.store import queries
from dashboard.store.queries import Filters

ANSWER_COLUMNS = {
    "country": N_("Country"),
    "region": N_("Region (M49)"),
    "subregion": N_("Sub-region (M49)"),
    "language": N_("Language"),
    "theme": N_("Theme"),
    "question_id": N_("Question"),
    "question_text": N_("Question text"),
    "submitted_local": N_("Day submitted ({zone})"),  # the zone the filters are in
    "answer": N_("Answer"),
    "codes": N_("Codes"),
}
QUOTE_COLUMNS = {
    "kind": N_("Quote of"),
    "subject": N_("Theme, code or topic"),
    "answer": N_("Quote"),
    "language": N_("Language"),
    "place": N_("Place"),
    "stakeholder_type": N_("Stakeholder type"),
    "question_id": N_("Question"),
}
# What answers_export.sql writes in place of a country fewer than k respondents share.
HIDDEN_COUNTRY = "(not shown: fewer than "


def pack_files(
    con: duckdb.DuckDBPyConnection,
    consultation: Consultation,
    filters: Filters,
    *,
    made: datetime | None = None,
    exact: bool = False,
    on_step: Callable[[str, float], None] | None = None,
) -> dict[str, bytes]:
    """File name → contents of the whole pack. Cells of fewer than k respondents read "< k",
    and figures under filters are perturbed, unless `exact` (an administrator's logged
    choice)."""
    step = on_step or (lambda label, share: None)
    made = made or datetime.now(UTC)
    ctx = Context(consultation, filters, tagging.get_codebook(con, consultation.id))
    params = filters.params(consultation.id)
    k = 1 if exact else consultation.suppression_k
    perturbed = not exact and perturbation.is_filtered(filters)
    totals = perturbation.totals(con, consultation.id, filters, consultation.suppression_k,
                                 exact=exact)  # fmt: skip
    files: dict[str, bytes] = {}
    hidden: dict[str, int] = {}
    sections: list[word.ChartSection] = []  # for report.docx
    entries = [c for c in CHARTS if ctx.codebook.codes or not c.about_codes]
    for number, chart in enumerate(entries, start=1):
        step(
            _("Chart {number} of {count}: {title}").format(
                number=number, count=len(entries), title=chart.heading
            ),
            number / (len(entries) + 2),
        )
        frame = privacy.protect(
            chart.query,
            queries.frame(con, chart.query, {**params, **chart.parameters}),
            k,
            perturbed=perturbed,
        )
        hidden[chart.heading] = int(frame["suppressed"].sum())
        footer = ctx.footer(chart.heading, made, exact=exact, respondents=totals.respondents)
        numbers = privacy.mark_hidden(chart.numbers(frame, ctx), consultation.suppression_k)
        files[f"tables/{chart.slug}.csv"] = csv_bytes(numbers, footer)
        files[f"tables/{chart.slug}.xlsx"] = xlsx_bytes(numbers, footer, chart.heading)
        if chart.draw is not None and not frame.empty:
            figure = style.printed(
                chart.draw(frame, ctx),
                subtitle=ctx.subtitle(),
                source=ctx.image_source(totals.respondents, made, exact=exact),
            )
            files[f"charts/{chart.slug}.png"] = render.png(figure)
            files[f"charts/{chart.slug}.svg"] = render.svg(figure)
            files[f"charts/{chart.slug}.pdf"] = render.pdf(figure)
        # Under a figure in the report: the source lines of the chart image (the title is the
        # caption above them; the definitions are in the methodology).
        source = ctx.image_source(totals.respondents, made, exact=exact)
        sections.append(
            word.ChartSection(chart.heading, source, numbers, files.get(f"charts/{chart.slug}.png"))
        )
    step(_("Answers"), (len(entries) + 1) / (len(entries) + 2))
    answers = answer_table(con, ctx, k)
    if totals.respondents is None:
        # A population of fewer than k: its answers, even without names, could point to them.
        answers = answers.iloc[0:0]
    footer = ctx.footer(
        _("Answers matching the filters"), made, exact=exact, respondents=totals.respondents
    )
    files["answers.csv"] = csv_bytes(answers, footer)
    files["answers.xlsx"] = xlsx_bytes(answers, footer, _("Answers"))
    quotes = quote_frame(con, ctx, k)
    if totals.respondents is None:
        quotes = quotes.iloc[0:0]  # no answer of a population of fewer than k, quoted or not
    footer = ctx.footer(
        _("What respondents said"), made, exact=exact, respondents=totals.respondents
    )
    table = quote_table(quotes)
    files["quotes.csv"] = csv_bytes(table, footer)
    files["quotes.xlsx"] = xlsx_bytes(table, footer, _("Quotes"))
    note = methodology(con, ctx, made, sorted(files), hidden, exact, totals, perturbed)
    files["methodology.md"] = note.encode("utf-8")
    cover = word_cover(ctx, made, exact)
    files["report.docx"] = word.build(
        cover, note, sections, consultation.suppression_k, quotes=quote_groups(quotes)
    )
    step(_("Done"), 1.0)
    return files


def word_cover(ctx: Context, made: datetime, exact: bool) -> word.Cover:
    """The Word report's title page: the consultation by title, its window, the filters."""
    c = ctx.consultation
    window = _("open {window}").format(window=style.window_text(c.opens, c.closes, ctx.zone))
    scheme = perturbation.scheme_text(c.suppression_k, exact=exact)
    return word.Cover(c.display_title(), window, ctx.filter_text(), made, (_(DEFINITIONS), scheme))


def answer_table(con: duckdb.DuckDBPyConnection, ctx: Context, k: int) -> pd.DataFrame:
    """The matching answers, redacted, naming a country only where k respondents share it."""
    frame = queries.frame(
        con, "answers_export", {**ctx.filters.params(ctx.consultation.id), "k": k}
    )
    texts = {q.id: ctx.question_text(q.id) for q in ctx.consultation.questions}
    code_labels = ctx.code_labels()
    frame = frame.assign(
        codes=[
            "; ".join(code_labels.get(c, c) for c in ids.split(", ") if c) for ids in frame["codes"]
        ],
        country=[
            _("(not shown: fewer than {k} respondents)").format(k=k)
            if isinstance(name, str) and name.startswith(HIDDEN_COUNTRY)
            else geo.country_name(iso3 if isinstance(iso3, str) else name, name)
            for iso3, name in zip(frame["iso3"], frame["country"], strict=True)
        ],
        region=frame["region"].map(geo.place_name),
        subregion=frame["subregion"].map(geo.place_name),
        theme=frame["theme_id"].map(ctx.theme_labels()).fillna(frame["theme_id"]),
        language=frame["language"].map(language_label),
        question_text=frame["question_id"].map(texts).fillna(""),
        question_id=frame["question_id"].str.upper(),
    )
    # A day means nothing without its zone: the heading names the one the filters are in.
    headings = {
        column: _(title).format(zone=ctx.filters.timezone)
        for column, title in ANSWER_COLUMNS.items()
    }
    return frame[list(ANSWER_COLUMNS)].rename(columns=headings)


def quote_frame(con: duckdb.DuckDBPyConnection, ctx: Context, k: int) -> pd.DataFrame:
    """The pinned quotes that the filters select: themes in the consultation's order, then
    codes in the codebook's, then topics by label (pinning order within each), with what a
    quote says of where it comes from in the language in force: `subject` (the theme's or
    code's label, a topic's own label: its terms), `place` (as the answer's card names it) and
    `stakeholder` (the type, or why it is not named)."""
    frame = typical.pinned_quotes(con, ctx.consultation.id, ctx.filters, k)
    themes = [t.id for t in ctx.consultation.themes]
    codes = ctx.code_order()
    theme_labels, code_labels = ctx.theme_labels(), ctx.code_labels()

    topics = sorted(set(frame.loc[frame["kind"] == "topic", "subject_id"]))
    orders = {"theme": themes, "code": codes, "topic": topics}

    def position(kind: str, subject: str) -> tuple[int, int]:
        order = orders.get(kind, [])
        kinds = typical.KINDS
        return (
            kinds.index(kind) if kind in kinds else len(kinds),
            order.index(subject) if subject in order else len(order),
        )

    labels = {"theme": theme_labels, "code": code_labels}
    if frame.empty:
        return frame.assign(subject=[], place=[], stakeholder=[], position=[])
    frame = frame.assign(
        subject=[
            labels.get(kind, {}).get(subject, subject)
            for kind, subject in zip(frame["kind"], frame["subject_id"], strict=True)
        ],
        place=[
            typical.place_text(iso3, country, region)
            for iso3, country, region in zip(
                frame["iso3"], frame["country"], frame["region"], strict=True
            )
        ],
        stakeholder=frame["stakeholder_type"].map(typical.stakeholder_text),
        position=[
            position(kind, subject)
            for kind, subject in zip(frame["kind"], frame["subject_id"], strict=True)
        ],
    )
    # A stable sort: pinning order stays within a subject.
    return frame.sort_values("position", kind="stable").reset_index(drop=True)


def quote_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotes file: one row per quote, headed in the language in force; no respondent id,
    no time."""
    table = pd.DataFrame(
        {
            "kind": [_(typical.KIND_NAMES.get(kind, kind)) for kind in quotes["kind"]],
            "subject": quotes["subject"],
            "answer": quotes["answer"],
            "language": quotes["language"].map(language_label),
            "place": quotes["place"],
            "stakeholder_type": quotes["stakeholder"],
            "question_id": quotes["question_id"].str.upper(),
        },
        columns=list(QUOTE_COLUMNS),
    )
    return table.rename(columns={column: _(title) for column, title in QUOTE_COLUMNS.items()})


def quote_groups(quotes: pd.DataFrame) -> list[word.QuoteGroup]:
    """The quotes by theme, code or topic, for the Word report's "What respondents said"."""
    groups: list[word.QuoteGroup] = []
    for (kind, _subject), rows in quotes.groupby(["kind", "subject_id"], sort=False):
        subject = rows["subject"].iloc[0]
        if kind == "theme":
            heading = _("Theme: {theme}").format(theme=subject)
        elif kind == "code":
            heading = _("Code: {code}").format(code=subject)
        else:
            heading = _("Topic: {topic}").format(topic=subject)
        groups.append(
            word.QuoteGroup(
                heading,
                [
                    word.Quote(
                        text=row.answer,
                        about=_("{language} · {place} · {stakeholder}").format(
                            language=language_label(row.language),
                            place=row.place,
                            stakeholder=row.stakeholder,
                        ),
                    )
                    for row in rows.itertuples()
                ],
            )
        )
    return groups


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            archive.writestr(name, content)
    return out.getvalue()


def write_pack(files: dict[str, bytes], folder: Path) -> list[Path]:
    written = []
    for name, content in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written


def methodology(
    con: duckdb.DuckDBPyConnection,
    ctx: Context,
    made: datetime,
    file_names: list[str],
    hidden: dict[str, int],
    exact: bool,
    totals: perturbation.Totals,
    perturbed: bool,
) -> str:
    """The note: every figure in it as released (`totals`, perturbed under filters), and no
    count between 1 and k - 1 in words."""
    c = ctx.consultation
    k = 1 if exact else c.suppression_k
    imports = queries.frame(con, "store/imports", {"consultation": c.id})
    unknown = queries.frame(con, "unknown_values", ctx.filters.params(c.id)).iloc[0]
    period_frame = queries.frame(con, "by_period", ctx.filters.params(c.id))
    periods = privacy.protect("by_period", period_frame, k, perturbed=perturbed)
    window = {
        row.period: perturbation.in_words(None if pd.isna(row.responses) else int(row.responses), k)
        for row in periods.itertuples()
    }

    def unknown_count(value: int, people: bool = True) -> str:
        # Under filters these are cells of the tables (perturbed there): exact here they could
        # be taken from the unfiltered ones. Respondents or responses: words agree with them.
        if perturbed:
            if value == 0:
                return pgettext("respondents", "none") if people else pgettext("responses", "none")
            return _("some (see the tables, where they are perturbed)")
        return perturbation.in_words(int(value), k)

    if ctx.zone != "UTC":
        window_line = _("Open from {window} ({local}, the zone days are counted in).")
    else:
        window_line = _("Open from {window}; days are counted in UTC.")
    themes = "; ".join(
        _("{label} ({id})").format(label=i18n.pick(t.labels, t.id), id=i18n.isolate(t.id))
        for t in c.themes
    )
    zero = i18n.number(0)
    if exact:
        small_counts = [
            _(
                "EXACT FIGURES: an administrator chose to release exact figures (k = {k} not "
                "applied); this export is recorded in the audit log."
            ).format(k=c.suppression_k),
        ]
    else:
        small_counts = [
            _(
                'Any cell with fewer than k = {k} respondents is shown as "< {k}" and its number '
                "is not released; where such a cell could be worked out from a total and the "
                "other cells, further cells (the smallest) are hidden too. Answers name a "
                "country only where at least {k} respondents share it, otherwise only the "
                "region; where the filters leave fewer than {k} respondents, no answer is "
                "listed. Answers carry their day, not their time. Cells hidden in this pack:"
            ).format(k=c.suppression_k),
            "",
            *[
                "- " + _("{label}: {value}").format(label=title, value=i18n.number(count))
                for title, count in hidden.items()
                if count
            ],
            *(["- " + pgettext("cells", "none")] if not any(hidden.values()) else []),
        ]
    import_columns = (
        _("import"),
        _("file"),
        _("platform"),
        _("imported (UTC)"),
        _("rows"),
        _("respondents"),
        _("responses"),
        "sha256",
    )
    lines = [
        "# " + _("Methodology: {title}").format(title=c.display_title()),
        "",
        _("Made {moment} with the consultation dashboard, for consultation `{id}`.").format(
            moment=style.moment_text(made, "UTC"), id=c.id
        ),
        "",
        "## " + _("The consultation"),
        "",
        "- "
        + window_line.format(
            window=style.window_text(c.opens, c.closes, "UTC"),
            local=style.window_text(c.opens, c.closes, ctx.zone),
        ),
        "- "
        + _("Languages: {languages}.").format(
            languages=", ".join(language_label(code) for code in c.languages)
        ),
        "- " + _("Themes: {themes}.").format(themes=themes),
        "",
        "## " + _("Definitions"),
        "",
        f"- {_(DEFINITIONS)}",
        "- "
        + _(
            "A response is before, during or after the window by its submission time; "
            "opening <= time <= closing counts as during. A respondent is placed by their "
            "earliest submission."
        ),
        "- "
        + _(
            "Countries are matched to ISO 3166 and UN M49 regions; a blank or unrecognised "
            "country is kept, in region 'Unknown'. Languages are ISO 639-1; unknown ones are "
            "'und'."
        ),
        "",
        "## " + _("Filters in force"),
        "",
        f"{ctx.filter_text()}.",
        "",
        "## " + _("Figures"),
        "",
        "- "
        + _("Respondents: {respondents}; responses: {responses}.").format(
            respondents=perturbation.in_words(totals.respondents, k),
            responses=perturbation.in_words(totals.responses, 1 if totals.respondents else k),
        ),
        "- "
        + _("Before the window: {before} responses; during: {during}; after: {after}.").format(
            before=window.get("before", zero),
            during=window.get("during", zero),
            after=window.get("after", zero),
        ),
        f"- {perturbation.scheme_text(c.suppression_k, exact=exact)}",
        "",
        "## " + _("Unknown values (kept and counted, never dropped)"),
        "",
        "- "
        + _("Respondents whose country is blank or unrecognised: {count}.").format(
            count=unknown_count(unknown["unknown_country"])
        ),
        "- "
        + _("Respondents whose language is unknown: {count}.").format(
            count=unknown_count(unknown["unknown_language"])
        ),
        "- "
        + _("Responses whose time could not be read: {count}.").format(
            count=unknown_count(unknown["unknown_time"], people=False)
        ),
        "- "
        + _("Responses to questions the definition does not list: {count}.").format(
            count=unknown_count(unknown["unknown_question"], people=False)
        ),
        "",
        "## " + _("Small counts"),
        "",
        *small_counts,
        "",
        *reliability.methodology_lines(
            con, c.id, ctx.filters, ctx.code_labels(), k=k, perturbed=perturbed
        ),
        "## " + _("Quotes"),
        "",
        _(
            "The quotes under “What respondents said” (and in the quotes file) were chosen by "
            "analysts among the answers most typical of each theme, code or topic: those "
            "closest to the centre of its answers, by TF-IDF over character n-grams, a measure "
            "that needs no language model and works in every script. A topic has no fixed "
            "name (topics are found anew from the answers): its quotes are under its first "
            "terms, as the Topics page showed them when they were pinned. They are redacted "
            "like every answer and carry no respondent id. A quote names its country only "
            "where an answer card "
            "would (at least {k} respondents share it; else its region or nothing), and its "
            "stakeholder type only where at least {k} respondents share it and also share its "
            "place and language. Only pinned answers that match the filters are quoted."
        ).format(k=c.suppression_k),
        "",
        "## " + _("Data sources"),
        "",
        "| " + " | ".join(import_columns) + " |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def in_words(value: int) -> str:
        return perturbation.in_words(int(value), k)

    for row in imports.itertuples():
        lines.append(
            f"| {row.import_id} | {row.file_name} | {row.platform} | "
            f"{row.imported_at:%Y-%m-%d %H:%M} | {in_words(row.rows_read)} | "
            f"{in_words(row.respondents_loaded)} | {in_words(row.responses_loaded)} | "
            f"`{row.content_hash[:16]}…` |"
        )
    lines += ["", "## " + _("Files"), ""] + [f"- `{name}`" for name in file_names]
    return "\n".join(lines) + "\n"
