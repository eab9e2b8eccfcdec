"""Segments side by side: two to four sets of filters, each breakdown's released figures for
each, their shares of the segment, and the difference in percentage points from the first.

Every count here is a count as released for that segment alone (the cells its own page shows:
suppressed below k, perturbed under a filter, by `privacy.protect`), and every share is a
released count over the segment's released total; nothing is computed from an exact figure.
A hidden count hides its share and every difference drawn from it. So subtracting one segment
from another (or from the whole consultation) gives two released figures, each with its own
noise, never an exact small count (tests/test_perturbation.py tries it over random pairs).

The page (dashboard/web/views/compare.py) reads the segments' cells through the pages' own
cache (`View.cells`); `export --compare` reads them here (`segment_frames`), through the same
statements and the same protection, so a file's figures are the page's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd
from babel.numbers import format_decimal

from dashboard.coding.codebook import Codebook
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation, privacy
from dashboard.publish.catalogue import (
    DEFINITIONS,
    Context,
    heading,
    language_label,
    made_line,
    place_names,
    slug,
)
from dashboard.publish.exports import csv_bytes, xlsx_bytes
from dashboard.reference import i18n
from dashboard.reference.i18n import N_, _
from dashboard.store import queries
from dashboard.store.queries import Filters

LETTERS = "ABCD"
MIN_SEGMENTS, MAX_SEGMENTS = 2, len(LETTERS)
HIDDEN_SHARE = "–"  # a share or difference not shown, because a count behind it is hidden


@dataclass(frozen=True)
class Segment:
    """One set of filters on one consultation, as the sidebar makes them."""

    consultation: Consultation
    filters: Filters
    codebook: Codebook = field(default_factory=Codebook)

    def context(self) -> Context:
        return Context(self.consultation, self.filters, self.codebook)


@dataclass(frozen=True)
class Breakdown:
    slug: str
    title: str  # marked in English: `heading` is the title in the language in force
    query: str  # the single-segment pages' own statement
    key: str  # its column naming a row
    parameters: dict[str, Any] = field(default_factory=dict)
    about_codes: bool = False  # left out where no segment's consultation has a codebook

    @property
    def heading(self) -> str:
        return _(self.title)


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown("regions", N_("Regions"), "by_region", "region"),
    Breakdown("languages", N_("Languages"), "by_language_group", "language"),
    Breakdown("themes", N_("Themes"), "by_theme", "theme_id"),
    Breakdown("questions", N_("Questions"), "by_question", "question_id"),
    Breakdown("codes", N_("Codes"), "by_code", "code_id", about_codes=True),
    Breakdown("timeline", N_("Timeline"), "timeline", "bin_start", {"bin": "day", "split": "all"}),
)
BY_SLUG = {b.slug: b for b in BREAKDOWNS}


def breakdowns(segments: Sequence[Segment]) -> list[Breakdown]:
    """The breakdowns these segments have: codes only where a codebook has codes."""
    coded = any(s.codebook.codes for s in segments)
    return [b for b in BREAKDOWNS if coded or not b.about_codes]


def segment_frames(
    con: duckdb.DuckDBPyConnection, segment: Segment, breakdown: Breakdown, *, exact: bool = False
) -> pd.DataFrame:
    """A segment's cells of one breakdown as its single-segment page releases them (the same
    statement, cube twin included, and `privacy.protect` as `data.protected_table` calls it)."""
    k = 1 if exact else segment.consultation.suppression_k
    frame = queries.frame(
        con,
        breakdown.query,
        {**segment.filters.params(segment.consultation.id), **breakdown.parameters},
    )
    return privacy.protect(
        breakdown.query, frame, k, perturbed=k > 1 and perturbation.is_filtered(segment.filters)
    )


def segment_totals(
    con: duckdb.DuckDBPyConnection, segment: Segment, *, exact: bool = False
) -> perturbation.Totals:
    """A segment's respondents and responses as the Overview releases them."""
    return perturbation.totals(
        con, segment.consultation.id, segment.filters, segment.consultation.suppression_k,
        exact=exact,
    )  # fmt: skip


def compare(
    frames: Sequence[pd.DataFrame],
    totals: Sequence[int | None],
    key: str,
    measure: str = "respondents",
) -> pd.DataFrame:
    """One row per value of `key` in any segment (in the order the segments' frames list
    them); for segment i: `count_i` (as released; missing where hidden), `share_i` (that count
    over the segment's released total `totals[i]`: missing where either is hidden) and, from the
    second segment on, `points_i`: 100 × (share_i − share_0), missing where either share is.

    A value a segment's frame does not list counts 0 there (the statement lists no row where
    nobody is). Nothing here sees an exact figure: only what each segment releases."""
    if not MIN_SEGMENTS <= len(frames) <= MAX_SEGMENTS or len(frames) != len(totals):
        raise ValueError(f"compare {MIN_SEGMENTS} to {MAX_SEGMENTS} segments, each with a total")
    keys = list(dict.fromkeys(v for frame in frames for v in frame[key]))
    if key == "bin_start":
        keys.sort()
    out = pd.DataFrame({key: keys})
    for i, (frame, total) in enumerate(zip(frames, totals, strict=True)):
        counts = dict(zip(frame[key], frame[measure], strict=True))
        count = pd.array([counts.get(v, 0) for v in keys], dtype="Int64")
        out[f"count_{i}"] = count
        if total is None or total <= 0:
            out[f"share_{i}"] = pd.array([pd.NA] * len(keys), dtype="Float64")
        else:
            out[f"share_{i}"] = count.astype("Float64") / float(total)
        if i:
            out[f"points_{i}"] = (out[f"share_{i}"] - out["share_0"]) * 100.0
    k = next((f.attrs["k"] for f in frames if "k" in f.attrs), None)
    if k is not None:
        out.attrs["k"] = k
    return out


def row_labels(
    breakdown: Breakdown, segments: Sequence[Segment], values: pd.Series, *, short: bool = False
) -> dict:
    """Each row's name in the language in force: regions by M49, languages by CLDR, themes,
    questions and codes by their consultations' labels, days as days. `short` (a chart's
    axis): a question by its id alone, since its text is a paragraph (the table has it)."""
    if breakdown.key == "region":
        return place_names(values)
    if breakdown.key == "language":
        return {v: language_label(v) for v in values}
    if breakdown.key == "bin_start":
        return {v: str(pd.Timestamp(v).date()) for v in values}
    labels: dict = {}
    for segment in reversed(segments):  # the first segment's label wins
        context = segment.context()
        if breakdown.key == "theme_id":
            labels.update(context.theme_labels())
        elif breakdown.key == "code_id":
            labels.update(context.code_labels())
        elif breakdown.key == "question_id" and short:
            labels.update({v: str(v).upper() for v in values})
        elif breakdown.key == "question_id":
            labels.update({v: f"{str(v).upper()}: {context.question_text(v)}" for v in values})
    return {v: labels.get(v, v) for v in values}


def segment_name(index: int) -> str:
    return _("Segment {letter}").format(letter=LETTERS[index])


ROW_HEADINGS = {
    "region": "region",
    "language": "language",
    "theme_id": "theme",
    "question_id": "question",
    "code_id": "code",
    "bin_start": "bin_start",
}


def numbers(
    table: pd.DataFrame,
    breakdown: Breakdown,
    segments: Sequence[Segment],
    measure: str = "respondents",
    *,
    as_text: bool = False,
) -> pd.DataFrame:
    """The comparison as a table for people: the row's name, then for each segment its count
    and share, and from the second on its difference from the first in percentage points.
    Hidden counts read "< k", hidden shares and differences "–". Shares are percentages with
    one decimal; with `as_text` every figure is written as the language in force writes it
    (on screen), else counts are whole numbers and shares plain numbers (files)."""
    labels = row_labels(breakdown, segments, table[breakdown.key])
    k = table.attrs.get("k", segments[0].consultation.suppression_k)
    out = pd.DataFrame({heading(ROW_HEADINGS[breakdown.key]): table[breakdown.key].map(labels)})
    first = segment_name(0)
    for i in range(len(segments)):
        name = segment_name(i)
        counts = table[f"count_{i}"]
        out[_("{segment}: {measure}").format(segment=name, measure=heading(measure))] = [
            f"< {k}" if pd.isna(v) else (i18n.number(v) if as_text else int(v)) for v in counts
        ]
        out[_("{segment}: share (%)").format(segment=name)] = [
            _share_text(v, as_text) for v in table[f"share_{i}"]
        ]
        if i:
            out[_("{segment} − {first} (points)").format(segment=name, first=first)] = [
                _points_text(v, as_text) for v in table[f"points_{i}"]
            ]
    return out


def _share_text(share: object, as_text: bool) -> object:
    if pd.isna(share):
        return HIDDEN_SHARE
    return i18n.percent(float(share)) if as_text else round(float(share) * 100, 1)


def _points_text(points: object, as_text: bool) -> object:
    if pd.isna(points):
        return HIDDEN_SHARE
    value = round(float(points), 1)
    if not as_text:
        return value
    text = format_decimal(abs(value), format="#,##0.0", locale=i18n.locale())
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def segment_lines(
    segments: Sequence[Segment], totals: Sequence[perturbation.Totals], *, exact: bool = False
) -> list[str]:
    """One line per segment: its name, consultation, filters and respondents as released."""
    lines = []
    for i, (segment, total) in enumerate(zip(segments, totals, strict=True)):
        k = 1 if exact else segment.consultation.suppression_k
        lines.append(
            _("{segment}: {title}; filters: {filters}; {respondents} respondents.").format(
                segment=segment_name(i),
                title=segment.consultation.display_title(),
                filters=segment.context().filter_text(),
                respondents=perturbation.in_words(total.respondents, k),
            )
        )
    return lines


def footer(
    title: str,
    segments: Sequence[Segment],
    totals: Sequence[perturbation.Totals],
    made: datetime | None = None,
    *,
    exact: bool = False,
) -> list[str]:
    """The lines under a comparison table in a file: its title, each segment, what a share
    and a difference are, the definitions, the disclosure scheme, when it was made."""
    made = made or datetime.now(UTC)
    return [
        f"{title}.",
        *segment_lines(segments, totals, exact=exact),
        _(
            "A share is a segment's count over its respondents (or responses) as released; a "
            "difference is in percentage points from segment A. Where a count is hidden, its "
            "share and difference are too."
        ),
        _(DEFINITIONS),
        perturbation.scheme_text(segments[0].consultation.suppression_k, exact=exact),
        made_line(made),
    ]


def audit_segments(segments: Sequence[Segment]) -> list[str]:
    """The segments as the audit log records them: ids, in English."""
    with i18n.using(i18n.DEFAULT):
        return [f"{s.consultation.id}: {s.context().filter_text(named=False)}" for s in segments]


def file_stem(title: str, segments: Sequence[Segment]) -> str:
    """A file name without extension: what it is, then each segment's filters ("all" for
    none), shortened past 80 characters with a digest so two comparisons never share a name."""
    parts = "_vs_".join(
        f"{s.consultation.id}-{s.context().filter_slug()}"
        if s.consultation.id != segments[0].consultation.id
        else s.context().filter_slug()
        for s in segments
    )
    if len(parts) > 80:
        digest = hashlib.sha256(parts.encode("utf-8")).hexdigest()[:8]
        parts = f"{parts[:70]}-{digest}"
    return f"{slug(title)}_{parts}"


def title(breakdown: Breakdown, measure: str) -> str:
    """A comparison chart's title, whole, so that each language words it its own way."""
    if measure == "responses":
        return _("{breakdown}: share of each segment's responses").format(
            breakdown=breakdown.heading
        )
    return _("{breakdown}: share of each segment's respondents").format(breakdown=breakdown.heading)


def files(
    con: duckdb.DuckDBPyConnection,
    segments: Sequence[Segment],
    *,
    measure: str = "respondents",
    exact: bool = False,
    made: datetime | None = None,
) -> dict[str, bytes]:
    """File name → contents: each breakdown's comparison as CSV and XLSX (`export --compare`),
    its figures those of the Compare page for the same segments."""
    made = made or datetime.now(UTC)
    totals = [segment_totals(con, s, exact=exact) for s in segments]
    out: dict[str, bytes] = {}
    for breakdown in breakdowns(segments):
        frames = [segment_frames(con, s, breakdown, exact=exact) for s in segments]
        table = compare(frames, [getattr(t, measure) for t in totals], breakdown.key, measure)
        heading_ = title(breakdown, measure)
        lines = footer(heading_, segments, totals, made, exact=exact)
        shown = numbers(table, breakdown, segments, measure)
        out[f"compare-{breakdown.slug}.csv"] = csv_bytes(shown, lines)
        out[f"compare-{breakdown.slug}.xlsx"] = xlsx_bytes(shown, lines, breakdown.heading)
    return out
