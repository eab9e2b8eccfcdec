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

from dashboard.coding import reliability, tagging
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation, privacy
from dashboard.publish import render, style, word
from dashboard.publish.catalogue import CHARTS, DEFINITIONS, Context, language_label
from dashboard.publish.exports import csv_bytes, xlsx_bytes
from dashboard.store import queries
from dashboard.store.queries import Filters

ANSWER_COLUMNS = {
    "country": "Country",
    "region": "Region (M49)",
    "subregion": "Sub-region (M49)",
    "language": "Language",
    "theme": "Theme",
    "question_id": "Question",
    "question_text": "Question text",
    "submitted_local": "Day submitted",  # the zone is added to the heading: answer_table
    "answer": "Answer",
    "codes": "Codes",
}


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
        step(f"Chart {number} of {len(entries)}: {chart.title}", number / (len(entries) + 2))
        frame = privacy.protect(
            chart.query,
            queries.frame(con, chart.query, {**params, **chart.parameters}),
            k,
            perturbed=perturbed,
        )
        hidden[chart.title] = int(frame["suppressed"].sum())
        footer = ctx.footer(chart.title, made, exact=exact, respondents=totals.respondents)
        numbers = privacy.mark_hidden(chart.numbers(frame, ctx), consultation.suppression_k)
        files[f"tables/{chart.slug}.csv"] = csv_bytes(numbers, footer)
        files[f"tables/{chart.slug}.xlsx"] = xlsx_bytes(numbers, footer, chart.title)
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
            word.ChartSection(chart.title, source, numbers, files.get(f"charts/{chart.slug}.png"))
        )
    step("Answers", (len(entries) + 1) / (len(entries) + 2))
    answers = answer_table(con, ctx, k)
    if totals.respondents is None:
        # A population of fewer than k: its answers, even without names, could point to them.
        answers = answers.iloc[0:0]
    footer = ctx.footer(
        "Answers matching the filters", made, exact=exact, respondents=totals.respondents
    )
    files["answers.csv"] = csv_bytes(answers, footer)
    files["answers.xlsx"] = xlsx_bytes(answers, footer, "Answers")
    note = methodology(con, ctx, made, sorted(files), hidden, exact, totals, perturbed)
    files["methodology.md"] = note.encode("utf-8")
    cover = word_cover(ctx, made, exact)
    files["report.docx"] = word.build(cover, note, sections, consultation.suppression_k)
    step("Done", 1.0)
    return files


def word_cover(ctx: Context, made: datetime, exact: bool) -> word.Cover:
    """The Word report's title page: the consultation by title, its window, the filters."""
    c = ctx.consultation
    window = f"open {style.window_text(c.opens, c.closes, ctx.zone)}"
    scheme = perturbation.scheme_text(c.suppression_k, exact=exact)
    return word.Cover(c.title, window, ctx.filter_text(), made, (DEFINITIONS, scheme))


def answer_table(con: duckdb.DuckDBPyConnection, ctx: Context, k: int) -> pd.DataFrame:
    """The matching answers, redacted, naming a country only where k respondents share it."""
    frame = queries.frame(
        con, "answers_export", {**ctx.filters.params(ctx.consultation.id), "k": k}
    )
    texts = {q.id: q.text("en") for q in ctx.consultation.questions}
    code_labels = ctx.code_labels()
    frame = frame.assign(
        codes=[
            "; ".join(code_labels.get(c, c) for c in ids.split(", ") if c) for ids in frame["codes"]
        ],
        theme=frame["theme_id"].map(ctx.theme_labels()).fillna(frame["theme_id"]),
        language=frame["language"].map(language_label),
        question_text=frame["question_id"].map(texts).fillna(""),
        question_id=frame["question_id"].str.upper(),
    )
    # A day means nothing without its zone: the heading names the one the filters are in.
    headings = {**ANSWER_COLUMNS, "submitted_local": f"Day submitted ({ctx.filters.timezone})"}
    return frame[list(ANSWER_COLUMNS)].rename(columns=headings)


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

    def unknown_count(value: int) -> str:
        # Under filters these are cells of the tables (perturbed there): exact here they could
        # be taken from the unfiltered ones.
        if perturbed:
            return "none" if value == 0 else "some (see the tables, where they are perturbed)"
        return perturbation.in_words(int(value), k)

    lines = [
        f"# Methodology: {c.title}",
        "",
        f"Made {style.moment_text(made, 'UTC')} with the consultation dashboard, for "
        f"consultation `{c.id}`.",
        "",
        "## The consultation",
        "",
        f"- Open from {style.window_text(c.opens, c.closes, 'UTC')}"
        + (
            f" ({style.window_text(c.opens, c.closes, ctx.zone)}, the zone days are counted in)."
            if ctx.zone != "UTC"
            else "; days are counted in UTC."
        ),
        f"- Languages: {', '.join(language_label(code) for code in c.languages)}.",
        "- Themes: " + "; ".join(f"{t.label('en')} ({t.id})" for t in c.themes) + ".",
        "",
        "## Definitions",
        "",
        f"- {DEFINITIONS}",
        "- A response is before, during or after the window by its submission time; "
        "opening <= time <= closing counts as during. A respondent is placed by their earliest "
        "submission.",
        "- Countries are matched to ISO 3166 and UN M49 regions; a blank or unrecognised country "
        "is kept, in region 'Unknown'. Languages are ISO 639-1; unknown ones are 'und'.",
        "",
        "## Filters in force",
        "",
        f"{ctx.filter_text()}.",
        "",
        "## Figures",
        "",
        f"- Respondents: {perturbation.in_words(totals.respondents, k)}; responses: "
        f"{perturbation.in_words(totals.responses, 1 if totals.respondents else k)}.",
        f"- Before the window: {window.get('before', '0')} responses; during: "
        f"{window.get('during', '0')}; after: {window.get('after', '0')}.",
        f"- {perturbation.scheme_text(c.suppression_k, exact=exact)}",
        "",
        "## Unknown values (kept and counted, never dropped)",
        "",
        f"- Respondents whose country is blank or unrecognised: "
        f"{unknown_count(unknown['unknown_country'])}.",
        f"- Respondents whose language is unknown: {unknown_count(unknown['unknown_language'])}.",
        f"- Responses whose time could not be read: {unknown_count(unknown['unknown_time'])}.",
        f"- Responses to questions the definition does not list: "
        f"{unknown_count(unknown['unknown_question'])}.",
        "",
        "## Small counts",
        "",
        *(
            [
                f"EXACT FIGURES: an administrator chose to release exact figures (k = "
                f"{c.suppression_k} not applied); this export is recorded in the audit log.",
            ]
            if exact
            else [
                f"Any cell with fewer than k = {c.suppression_k} respondents is shown as "
                f'"< {c.suppression_k}" and its number is not released; where such a cell '
                "could be worked out from a total and the other cells, further cells (the "
                "smallest) are hidden too. Answers name a country only where at least "
                f"{c.suppression_k} respondents share it, otherwise only the region; where "
                f"the filters leave fewer than {c.suppression_k} respondents, no answer is "
                "listed. Answers carry their day, not their time. Cells hidden in this pack:",
                "",
                *[f"- {title}: {count}" for title, count in hidden.items() if count],
                *(["- none"] if not any(hidden.values()) else []),
            ]
        ),
        "",
        *reliability.methodology_lines(
            con, c.id, ctx.filters, ctx.code_labels(), k=k, perturbed=perturbed
        ),
        "## Data sources",
        "",
        "| import | file | platform | imported (UTC) | rows | respondents | responses | sha256 |",
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
    lines += ["", "## Files", ""] + [f"- `{name}`" for name in file_names]
    return "\n".join(lines) + "\n"
