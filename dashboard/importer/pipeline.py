"""From an export's bytes to canonical rows in the store, all or nothing.

`prepare` reads and cleans without touching the store, so a page can preview the canonical rows
and the validation report before anything is written; `load` writes a prepared import in one
transaction. `import_whole_file` does both, for the CLI (`parted.import_file` reads a large
export in parts instead).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dashboard.coding import tagging
from dashboard.definition.consultation import Consultation
from dashboard.importer import normalise
from dashboard.importer.blanks import ANSWERS, blank_placeholders
from dashboard.importer.mapping import Mapping, detect, fold, question_lookup, with_file_headers
from dashboard.importer.platforms import detect_platform, platform_named, platform_notes
from dashboard.importer.reading import (
    FileRefused,
    RawTable,
    blank_mask,
    read_export,
)
from dashboard.protection.redact import redact_series
from dashboard.reference import i18n, zones
from dashboard.reference.i18n import N_, _, ngettext
from dashboard.store import answer_language, queries, search_text
from dashboard.store.database import memory_limited, refresh_facts, transaction

BLANK_KEY = "(blank)"
RESPONDENT_COLUMNS = [
    "respondent_id",
    "submitted_at",
    "country_raw",
    "country_iso3",
    "region",
    "subregion",
    "language_raw",
    "language",
    "stakeholder_type",
]
RESPONSE_COLUMNS = ["respondent_id", "question_id", "answer", "submitted_at", "source_row"]
# One row per option chosen in a question that spans several columns (the `response_options`
# table): what the per-option counts read, never added into responses.
OPTION_COLUMNS = ["respondent_id", "question_id", "option", "position", "source_row"]
# In a column of a multi-column question whose values are all tick marks, these say the box was
# left unticked (LimeSurvey writes every option of a select-all question as a Yes/No column,
# KoboToolbox 1/0, spreadsheets TRUE/FALSE), so they make no response; compared casefolded.
NOT_CHOSEN = frozenset(
    {"no", "n", "not selected", "not chosen", "not checked", "unchecked", "0", "false", "non",
     "nein"}
)  # fmt: skip
# ...and these that it was ticked: the part of the answer is then the option's label.
CHOSEN = frozenset(
    {"yes", "y", "selected", "chosen", "checked", "1", "true", "x", "oui", "sí", "si", "ja"}
)
# Joins the parts of an answer spread over several columns.
PART_SEPARATOR = "; "
# Sub-answer labels that name no option (SurveyMonkey's "Response" column of a choice beside its
# "Other (please specify)"): the part is the text alone, not "Response: text".
UNNAMED_LABELS = frozenset({"response", "open-ended response", "answer"})


@dataclass
class ImportReport:
    """What an import will do (before `load`) and did (after): every kept, unknown or
    refused value is counted here, so nothing leaves the file unaccounted for."""

    file_name: str
    file_size: int
    content_hash: str
    platform: str
    shape: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    rows_read: int = 0
    respondents: int = 0
    responses: int = 0
    refused_rows: list[dict[str, Any]] = field(default_factory=list)
    unknown_countries: dict[str, int] = field(default_factory=dict)
    unknown_languages: dict[str, int] = field(default_factory=dict)
    unreadable_times: dict[str, int] = field(default_factory=dict)
    missing_times: int = 0
    duplicate_respondent_ids: dict[str, int] = field(default_factory=dict)
    unknown_questions: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    responses_before_window: int = 0
    responses_after_window: int = 0
    # Questions whose answer fills several columns (question id -> columns): one response per
    # respondent each, their options counted apart.
    multi_column_questions: dict[str, int] = field(default_factory=dict)
    # Cells read as "this option was not chosen" (value as written -> cells): no response.
    not_chosen_values: dict[str, int] = field(default_factory=dict)
    options_chosen: int = 0
    # How dates like 7/10/14 were read ("dmy", "mdy", "ymd"; None: none seen), on what
    # evidence (normalise.REASONS) and how many could be read either way.
    date_order: str | None = None
    date_order_reason: str = ""
    ambiguous_dates: int = 0
    # Placeholders ({"field", "value", "rows"}): declared ones read as blank, and undeclared
    # values that look like one, kept as written.
    placeholders_blanked: list[dict[str, Any]] = field(default_factory=list)
    placeholder_lookalikes: list[dict[str, Any]] = field(default_factory=list)
    # Rows with no respondent id (blank, a declared placeholder, or no id column): in a wide
    # export each became one respondent numbered by file and row; in a long one, refused.
    rows_without_id: int = 0
    respondents_with_several_languages: int = 0
    # The answers' own languages, detected offline (dashboard/store/answer_language.py): how
    # many answers have one, and how many of those differ from their respondent's declared
    # language (where that is known, not 'und').
    answers_language_detected: int = 0
    answers_language_differs: int = 0
    notes: list[str] = field(default_factory=list)
    # Wall seconds of each stage ("reading", "cleaning" by `prepare`; "writing", "tagging",
    # "facts" by `load`): where a long import spent its time, and what the benchmark reads.
    seconds: dict[str, float] = field(default_factory=dict)
    # Filled by `load`:
    import_id: int | None = None
    respondents_loaded: int = 0
    responses_loaded: int = 0
    respondents_already_present: int = 0
    already_imported: dict[str, Any] | None = None
    # A batch import's files, one entry each (name, size, sha256, rows read, responses, and a
    # note when the file was empty); empty for an import of one file.
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows_refused(self) -> int:
        return len(self.refused_rows)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rows_refused"] = self.rows_refused
        return data

    def findings(self) -> pd.DataFrame:
        """Everything worth a second look, one row per finding: what, the raw value or row,
        and how many rows it concerns; the validation report's downloadable table."""
        rows: list[tuple[str, str, int]] = [
            (
                _lookalike_finding(p["field"]),
                _value_in(p),
                p["rows"],
            )
            for p in sorted(
                self.placeholder_lookalikes, key=lambda p: p["field"] != "respondent_id"
            )
        ]
        if self.rows_without_id:
            rows.append((_without_id_finding(self.shape), "", self.rows_without_id))
        rows += [
            (
                _("refused row {row} of {file}").format(row=r["row"], file=r["file"])
                if r.get("file")
                else _("refused row {row}").format(row=r["row"]),
                r["reason"],
                1,
            )
            for r in self.refused_rows
        ]
        rows += [
            (
                _("placeholder read as blank (declared in [parse] blank_values)"),
                _value_in(p),
                p["rows"],
            )
            for p in self.placeholders_blanked
        ]
        for finding, counts in (
            (_("country not recognised, kept as Unknown"), self.unknown_countries),
            (_("language not recognised, kept as und"), self.unknown_languages),
            (_("time not readable, kept as unknown"), self.unreadable_times),
            (
                _("question not in the consultation, kept under theme Unknown"),
                self.unknown_questions,
            ),
            (_("respondent id on several rows (counted once)"), self.duplicate_respondent_ids),
            (
                _("read as an option not chosen (a multi-column question), so no response"),
                self.not_chosen_values,
            ),
        ):
            rows += [(finding, value, count) for value, count in counts.items()]
        if self.respondents_with_several_languages:
            rows.append(
                (
                    _("respondent wrote in several languages, counted under their first row's"),
                    "",
                    self.respondents_with_several_languages,
                )
            )
        if self.answers_language_differs:
            rows.append(
                (
                    _("answer written in another language than the respondent's declared one"),
                    "",
                    self.answers_language_differs,
                )
            )
        if self.missing_times:
            rows.append((_("no time given"), "", self.missing_times))
        if self.date_order_reason == "default" and self.ambiguous_dates:
            rows.append((_("dates read day-first for want of evidence"), "", self.ambiguous_dates))
        if self.responses_before_window:
            rows.append((_("responses before the window opens"), "", self.responses_before_window))
        if self.responses_after_window:
            rows.append((_("responses after the window closes"), "", self.responses_after_window))
        rows += [(_("column not used"), header, 0) for header in self.ignored_columns]
        return pd.DataFrame(rows, columns=["finding", "value", "rows"])


# Marked here, translated where a finding is written (`_value_in`).
_FIELD_LABELS = {
    ANSWERS: N_("answers"),
    "respondent_id": N_("respondent ids"),
    "country": N_("countries"),
    "language": N_("languages"),
    "stakeholder_type": N_("stakeholder types"),
}


def _value_in(placeholder: dict[str, Any]) -> str:
    """ "'N/A' in countries": a placeholder value and the column kind it was found in."""
    kind = _FIELD_LABELS[placeholder["field"]]
    return _("{value} in {field}").format(value=repr(placeholder["value"]), field=_(kind))


def _lookalike_finding(field_name: str) -> str:
    if field_name == "respondent_id":
        return _(
            "respondent id looks like a placeholder, so all its rows are ONE respondent: "
            "declare it in [parse] blank_values"
        )
    if field_name == ANSWERS:
        return _(
            "looks like a placeholder, counted as an answer: declare it in [parse] blank_values"
        )
    return _("looks like a placeholder, kept as a value: declare it in [parse] blank_values")


def _without_id_finding(shape: str) -> str:
    if shape == "long":
        return _("no respondent id: rows refused")
    # "row{n}@{file hash}" is how such ids are written (kept as it is in every language), not
    # a placeholder: the text is never formatted.
    return _("no respondent id: each row counted as one respondent (row{n}@{file hash})")


@dataclass
class PreparedImport:
    consultation_id: str
    raw: RawTable
    mapping: Mapping
    respondents: pd.DataFrame
    responses: pd.DataFrame
    report: ImportReport
    # The options chosen in multi-column questions (OPTION_COLUMNS), for `response_options`.
    options: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OPTION_COLUMNS))
    # A batch whose files needed different mappings stores them all; else `mapping`'s TOML.
    mapping_toml: str | None = None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resolve_mapping(
    raw: RawTable, consultation: Consultation, given: Mapping | None, *, complete: bool = False
) -> Mapping:
    """Detection from headers, then the platform adapter's proposal, then the user's mapping;
    a `complete` mapping (one a person has reviewed field by field) is taken as it is."""
    headers = raw.headers
    if given is not None and complete:
        return with_file_headers(given, headers)
    mapping = detect(headers, consultation, raw.option_labels)
    platform = None
    if given and given.platform:
        platform = platform_named(given.platform)
    # The header rows' shape is evidence too (a SurveyMonkey sub-answer row, a Qualtrics
    # ImportId row), stronger than the column names alone.
    platform = platform or platform_named(raw.platform_hint or "") or detect_platform(headers)
    if platform:
        mapping = platform.propose(headers).merged_over(mapping)
    if raw.header_timezone:
        mapping = Mapping(timezone=raw.header_timezone).merged_over(mapping)
    if given:
        mapping = with_file_headers(given, headers).merged_over(mapping)
    return mapping


def prepare(
    data: bytes,
    file_name: str,
    consultation: Consultation,
    mapping: Mapping | None = None,
    *,
    complete_mapping: bool = False,
    on_step: Callable[[str, float], None] | None = None,
) -> PreparedImport:
    """Read, map and clean one export without writing anything. `on_step(label, fraction)`
    hears of each stage, for a progress bar."""
    step = on_step or (lambda label, fraction: None)
    read = _read(data, file_name, mapping, step)
    return _prepare_read(read, consultation, mapping, step, complete_mapping=complete_mapping)


@dataclass
class _ReadExport:
    """An export as read, with what the report keeps of its bytes (which may then go)."""

    raw: RawTable
    file_size: int
    file_hash: str
    seconds: float


def _read(
    data: bytes, file_name: str, mapping: Mapping | None, step: Callable[[str, float], None]
) -> _ReadExport:
    step(_("Reading the file"), 0.05)
    started = time.perf_counter()
    raw = read_export(data, file_name, sheet=mapping.sheet if mapping else None)
    return _ReadExport(raw, len(data), content_hash(data), time.perf_counter() - started)


def _prepare_read(
    read: _ReadExport,
    consultation: Consultation,
    mapping: Mapping | None,
    step: Callable[[str, float], None],
    *,
    complete_mapping: bool = False,
) -> PreparedImport:
    step(_("Matching the columns"), 0.35)
    mapping = resolve_mapping(read.raw, consultation, mapping, complete=complete_mapping)
    prepared = prepare_table(
        read.raw, read.file_size, read.file_hash, consultation, mapping, on_step=step
    )
    prepared.report.seconds = {"reading": read.seconds, **prepared.report.seconds}
    return prepared


def prepare_table(
    raw: RawTable,
    file_size: int,
    file_hash: str,
    consultation: Consultation,
    mapping: Mapping,
    *,
    on_step: Callable[[str, float], None] | None = None,
) -> PreparedImport:
    """Map and clean a table already read, with its mapping resolved: `prepare` after the
    reading, shared with the batch import, which prepares many files' rows at once."""
    step = on_step or (lambda label, fraction: None)
    started = time.perf_counter()
    check_mapping(raw, mapping, consultation)
    # Before any row is built, so that a declared placeholder is an empty cell everywhere.
    raw, placeholders = blank_placeholders(raw, mapping)
    report = ImportReport(
        file_name=raw.file_name,
        file_size=file_size,
        content_hash=file_hash,
        platform=mapping.platform or "generic",
        shape=mapping.format or "wide",
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        rows_read=len(raw.frame),
        placeholders_blanked=placeholders.blanked,
        placeholder_lookalikes=placeholders.lookalikes,
    )
    report.notes += [raw.header_note] if raw.header_note else []
    report.notes += platform_notes(mapping.platform, raw.frame, mapping, raw.header_timezone)
    note_placeholder_ids(report)
    step(_("Reading times, countries and languages"), 0.45)
    rows = canonical_rows(raw, mapping, consultation, report)
    respondents = respondents_from_rows(rows, report, mapping.subnational_places)
    step(_("Collecting the answers"), 0.75)
    responses, options = _responses(raw, rows, mapping, consultation, report)
    detecting = _("Detecting the answers' languages")
    step(detecting, DETECTION_FROM)
    clean_answers(
        responses,
        # Short of the end: "Checked" comes once the counts after detection are made.
        lambda share: step(detecting, DETECTION_FROM + (1 - DETECTION_FROM) * 0.95 * share),
    )
    count_answer_languages(responses, declared_languages(respondents), report)
    count_outside_window(responses, consultation, report)
    report.seconds["cleaning"] = time.perf_counter() - started
    step(_("Checked"), 1.0)
    return PreparedImport(
        consultation.id, raw, mapping, respondents, responses, report, options=options
    )


# Where the progress of `prepare` stands when the answers' languages start to be detected, and
# how often the bar moves while the import waits for the detector (a million answers take it
# most of a minute).
DETECTION_FROM = 0.85
PROGRESS_EVERY = 0.5  # seconds


def clean_answers(responses: pd.DataFrame, on_share: Callable[[float], None]) -> None:
    """Adds each answer's detected language, its redacted text and its folded search texts to
    `responses`; `on_share(share)` hears how much of the detection is done, from this thread."""
    # The detector works in its own threads without the interpreter's lock, which the redaction
    # and the folding need: run side by side, the longest of them is what the import waits for.
    # Both run in threads of their own, so that this one, the page's, draws the bar meanwhile.
    detected = [0.0]  # the share of texts the detector has read, written by its thread
    with ThreadPoolExecutor(max_workers=2) as workers:
        languages = workers.submit(
            answer_language.detect_series,
            responses["answer"].copy(),
            on_progress=lambda share: detected.__setitem__(0, share),
        )
        cleaned = workers.submit(_redacted_and_folded, responses["answer"].astype(str))
        responses["answer_language"] = _wait_for_detection(languages, detected, on_share)
        safe = cleaned.result()
    for column in ("answer_redacted", "answer_search", "answer_written_search"):
        responses[column] = safe[column]


def _redacted_and_folded(answers: pd.Series) -> pd.DataFrame:
    """Each answer redacted (once, at import, so that every listing, search and export reads
    the same safe text; the text as written stays beside it for administrators) and folded for
    the word search (each distinct text once: queries only compare)."""
    redacted = redact_series(answers)
    searched = search_text.search_columns(answers, redacted)
    return pd.DataFrame(
        {
            "answer_redacted": redacted,
            "answer_search": searched["answer_search"],
            "answer_written_search": searched["answer_written_search"],
        },
        index=answers.index,
    )


def _wait_for_detection(
    languages: Future[pd.Series], detected: list[float], on_share: Callable[[float], None]
) -> pd.Series:
    """The detector's result, the bar moved on from this thread (a page's bar cannot be drawn
    from the detector's) as the share it has read grows, until it is done."""
    shown = 0.0
    while True:
        try:
            return languages.result(timeout=PROGRESS_EVERY)
        except TimeoutError:
            if detected[0] > shown:
                shown = detected[0]
                on_share(shown)


def count_answer_languages(
    responses: pd.DataFrame, declared_language: pd.Series, report: ImportReport
) -> None:
    """Counts the answers whose language was detected, and those whose language differs from
    their respondent's declared one (`declared_languages`), into the report (added to it: an
    import in parts counts each part)."""
    detected = responses["answer_language"]
    report.answers_language_detected += int(detected.notna().sum())
    declared = responses["respondent_id"].map(declared_language)
    differs = detected.notna() & declared.notna() & declared.ne("und") & detected.ne(declared)
    report.answers_language_differs += int(differs.sum())


def declared_languages(respondents: pd.DataFrame) -> pd.Series:
    """Each respondent's declared language, by respondent id."""
    return respondents.drop_duplicates("respondent_id").set_index("respondent_id")["language"]


def check_mapping(raw: RawTable, mapping: Mapping, consultation: Consultation) -> None:
    """Refuse a mapping that names columns the export does not have (or is otherwise unusable
    for this consultation), before any row is read into canonical form."""
    headers = set(raw.headers)
    named = list(mapping.columns.values()) + list(mapping.questions)
    missing = [h for h in named if h not in headers]
    if missing:
        raise FileRefused(
            raw.file_name,
            _(
                "the mapping names columns the file does not have: {missing}; its columns are "
                "{columns}"
            ).format(
                missing=", ".join(map(repr, missing)), columns=", ".join(map(repr, raw.headers))
            ),
        )
    known = {q.id for q in consultation.questions}
    unknown = sorted({q for q in mapping.questions.values() if q not in known})
    if unknown:
        raise FileRefused(
            raw.file_name,
            _(
                "the mapping sends columns to questions that consultation {id} does not "
                "define: {questions}"
            ).format(id=repr(consultation.id), questions=", ".join(unknown)),
        )
    if mapping.format == "long":
        for needed in ("respondent_id", "answer"):
            if needed not in mapping.columns:
                raise FileRefused(
                    raw.file_name,
                    _(
                        "a long export (one row per answer) needs a {field} column; name it in "
                        "the mapping's [columns]"
                    ).format(field=needed),
                )
        if "question_id" not in mapping.columns and "question_id" not in mapping.defaults:
            raise FileRefused(
                raw.file_name,
                _("a long export needs a question_id column (or [defaults] question_id)"),
            )


def _column(raw: RawTable, mapping: Mapping, name: str) -> pd.Series:
    header = mapping.columns.get(name)
    if header is not None:
        return raw.frame[header]
    return pd.Series(mapping.defaults.get(name), index=raw.frame.index, dtype=object)


def canonical_rows(
    raw: RawTable, mapping: Mapping, consultation: Consultation, report: ImportReport
) -> pd.DataFrame:
    """One row per export row: the respondent fields in canonical form, plus the row number."""
    frame = raw.frame
    source_row = pd.Series(raw.row_number(frame.index.to_numpy()), index=frame.index)
    ids = _column(raw, mapping, "respondent_id").map(normalise.text_or_none)
    if "respondent_id" not in mapping.columns and mapping.format != "long":
        # No id column (Google Forms): each row is one respondent; the file's hash keeps the
        # ids apart from another file's rows.
        ids = source_row.map(lambda row: f"row{row}@{report.content_hash[:8]}")
    blank_ids = ids.isna()
    _note_rows_without_id(report, mapping, int(blank_ids.sum()), len(frame))
    if blank_ids.any():
        if mapping.format == "long":
            for row in source_row[blank_ids]:
                report.refused_rows.append(
                    {"row": int(row), "reason": _("no respondent id, so the answer has no owner")}
                )
        else:
            ids = ids.where(
                ~blank_ids, source_row.map(lambda r: f"row{r}@{report.content_hash[:8]}")
            )
    times = _times(raw, mapping, consultation, report)
    stakeholder = _column(raw, mapping, "stakeholder_type").map(normalise.text_or_none)
    rows = pd.DataFrame(
        {
            "respondent_id": ids,
            "submitted_at": times.utc,
            "country": _column(raw, mapping, "country"),
            "language": _column(raw, mapping, "language"),
            "stakeholder_type": stakeholder.map(lambda v: " ".join(v.split()), na_action="ignore"),
            "source_row": source_row,
        }
    )
    return rows.loc[~blank_ids] if mapping.format == "long" else rows


def _times(
    raw: RawTable, mapping: Mapping, consultation: Consultation, report: ImportReport
) -> normalise.ParsedTimes:
    """Submission times in UTC. Dates like 7/10/14 are read in the order the evidence gives
    (the mapping, the values, the platform, the consultation window) and the report says which."""
    zone = mapping.timezone or consultation.timezone
    platform = platform_named(mapping.platform) if mapping.platform else None
    values = _column(raw, mapping, "submitted_at")
    times = normalise.parse_times(
        values,
        zone,
        date_order=mapping.order,
        platform_order=platform.date_order if platform else None,
        window=(pd.Timestamp(consultation.opens), pd.Timestamp(consultation.closes)),
    )
    report.unreadable_times = _counts(values[times.unreadable].map(normalise.text_or_none))
    report.missing_times = int((times.utc.isna() & ~times.unreadable).sum())
    if "submitted_at" not in mapping.columns:
        return times
    if note := normalise.date_order_note(times, platform.label if platform else None):
        report.notes.append(note)
    report.date_order = times.date_order
    report.date_order_reason = times.reason
    report.ambiguous_dates = times.ambiguous
    if warning := zones.posix_sign_warning(zone):
        report.notes.append(
            _("Times written without a zone were read in {zone}").format(zone=warning)
        )
    elif (offset := zones.fixed_offset(zone)) is not None:
        report.notes.append(
            _(
                "Times written without a zone were read at the fixed offset {offset} ({zone}), "
                "with no summer time."
            ).format(offset=zones.offset_label(offset), zone=repr(zone))
        )
    return times


def note_placeholder_ids(report: ImportReport) -> None:
    """Said in the notes as well as first in the findings (the CLI prints notes, the Import
    page shows them under the report): an id like "None" would otherwise silently turn every
    row without an author into one respondent."""
    for found in report.placeholder_lookalikes:
        if found["field"] == "respondent_id":
            report.notes.append(
                ngettext(
                    "{count} row has the respondent id {value}, which looks like a "
                    "placeholder: it is counted as ONE respondent. If it means that the row has "
                    "no id, declare it in the mapping's [parse] blank_values.",
                    "{count} rows have the respondent id {value}, which looks like a "
                    "placeholder: they are counted as ONE respondent. If it means that the row "
                    "has no id, declare it in the mapping's [parse] blank_values.",
                    found["rows"],
                ).format(count=i18n.number(found["rows"]), value=repr(found["value"]))
            )


def _note_rows_without_id(
    report: ImportReport, mapping: Mapping, without_id: int, rows: int
) -> None:
    """How many rows had no respondent id and what was done, so no id is invented silently."""
    if "respondent_id" not in mapping.columns and mapping.format != "long":
        without_id, why = rows, _("the file has no respondent id column")
    else:
        why = _("their respondent id is blank (or a declared placeholder)")
    report.rows_without_id = without_id
    if not without_id:
        return
    if mapping.format == "long":
        report.notes.append(
            ngettext(
                "{count} row was refused: {why}, so the answer has no owner.",
                "{count} rows were refused: {why}, so the answer has no owner.",
                without_id,
            ).format(count=i18n.number(without_id), why=why)
        )
    else:
        report.notes.append(
            ngettext(
                "{count} row has no respondent id ({why}): it was counted as one respondent "
                "named {id} after its row in this file, so a person who answered twice is "
                "counted twice.",
                "{count} rows have no respondent id ({why}): each was counted as one "
                "respondent named {id} after its row in this file, so a person who answered "
                "twice is counted twice.",
                without_id,
            ).format(
                count=i18n.number(without_id),
                why=why,
                id=i18n.isolate(f"row{{n}}@{report.content_hash[:8]}"),
            )
        )


def _note_several_languages(rows: pd.DataFrame, report: ImportReport) -> None:
    """A respondent has one language; one who wrote rows in several (a forum's posts, each with
    its locale) is counted under their first row's, which moves their answers in the figures
    by language: say how many, so that no figure by language differs silently from the file."""
    if report.shape != "long" or rows["language"].isna().all():
        return
    _raw, codes = normalise.languages(rows["language"])
    known = codes[codes != "und"]
    several = known.groupby(rows.loc[known.index, "respondent_id"]).nunique()
    several = several[several > 1]
    report.respondents_with_several_languages = len(several)
    if len(several):
        moved = rows["respondent_id"].isin(several.index).sum()
        report.notes.append(
            ngettext(
                "{count} respondent wrote in more than one language ({rows} rows): they are "
                "counted under the language of their first row in the file, so the figures by "
                "language count their answers there too.",
                "{count} respondents wrote in more than one language ({rows} rows): each is "
                "counted under the language of their first row in the file, so the figures by "
                "language count their answers there too.",
                len(several),
            ).format(count=i18n.number(len(several)), rows=i18n.number(moved))
        )


def first_fields(rows: pd.DataFrame, *, one_row_each: bool) -> pd.DataFrame:
    """One row per respondent of the canonical rows, in the order of their ids: the first
    country, language and stakeholder type given in their rows, and their earliest time.
    `one_row_each` says no respondent has two rows, and each row is taken as it is."""
    fields = ["country", "language", "stakeholder_type"]
    if one_row_each:
        # As in most wide exports. Grouped all the same, the 1.9 million respondents of ten
        # million answers took 1 GB more.
        columns = ["respondent_id", *fields, "submitted_at"]
        return rows.sort_values("respondent_id", kind="stable")[columns].reset_index(drop=True)
    ordered = rows.sort_values(["respondent_id", "source_row"], kind="stable")
    grouped = ordered.groupby("respondent_id", sort=False)
    first = grouped[fields].first()
    first["submitted_at"] = grouped["submitted_at"].min()
    return first.reset_index()


def respondents_from_rows(
    rows: pd.DataFrame, report: ImportReport, subnational_places: bool = False
) -> pd.DataFrame:
    """One row per respondent of the canonical rows (their first row's fields, their earliest
    time), with places and languages recognised; what was not recognised goes in the report."""
    counts = rows["respondent_id"].value_counts()
    if report.shape == "wide":
        report.duplicate_respondent_ids = {str(k): int(v) for k, v in counts[counts > 1].items()}
    first = first_fields(rows, one_row_each=counts.empty or counts.iloc[0] == 1)
    _note_several_languages(rows, report)
    places = normalise.places(first["country"], subnational_places)
    language_raw, language = normalise.languages(first["language"])
    respondents = pd.DataFrame(
        {
            "respondent_id": first["respondent_id"].astype(str),
            "submitted_at": first["submitted_at"].astype(normalise.UTC_DTYPE),
            "country_raw": places.country_raw,
            "country_iso3": places.country_iso3,
            "region": places.region,
            "subregion": places.subregion,
            "language_raw": language_raw,
            "language": language,
            "stakeholder_type": first["stakeholder_type"].fillna(normalise.UNKNOWN),
        }
    )[RESPONDENT_COLUMNS]
    unknown_country = respondents["country_iso3"].isna()
    report.unknown_countries = _counts(respondents.loc[unknown_country, "country_raw"])
    report.notes += normalise.name_notes(respondents, places)  # other languages, region names
    unknown_language = respondents["language"].eq("und")
    report.unknown_languages = _counts(respondents.loc[unknown_language, "language_raw"])
    report.respondents = len(respondents)
    return respondents


def _responses(
    raw: RawTable,
    rows: pd.DataFrame,
    mapping: Mapping,
    consultation: Consultation,
    report: ImportReport,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The responses, and the options chosen in questions that span several columns."""
    options = _empty_options()
    if mapping.format == "participation":
        used = set(mapping.columns.values())
        report.ignored_columns = [h for h in raw.headers if h not in used]
        return pd.DataFrame(columns=RESPONSE_COLUMNS), options
    if mapping.format == "long":
        # One row is one answer: a respondent's several rows to one question (a discussion's
        # comments) are several responses.
        frame = _long_responses(raw, rows, mapping, consultation, report)
    else:
        frame, options = wide_responses(raw, rows, mapping, report)
        note_wide_answers(report, mapping)
    report.responses = len(frame)
    report.options_chosen = len(options)
    return frame, options


def wide_responses(
    raw: RawTable, rows: pd.DataFrame, mapping: Mapping, report: ImportReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One response per export row and question with an answer, however many columns the
    question spans; for a question of several columns, also one row per option chosen."""
    used = set(mapping.columns.values()) | set(mapping.questions)
    report.ignored_columns = [h for h in raw.headers if h not in used]
    # Columns in the file's order, grouped by question in the order questions first appear.
    columns_of: dict[str, list[str]] = {}
    for header in raw.headers:
        if header in mapping.questions:
            columns_of.setdefault(mapping.questions[header], []).append(header)
    parts, option_parts = [], []
    not_chosen: Counter[str] = Counter()
    for question_id, headers in columns_of.items():
        if len(headers) == 1:
            # Only the filled cells are read as text (blank_mask is vectorised): most are blank.
            filled = ~blank_mask(raw.frame[headers]).iloc[:, 0]
            answers = pd.Series(None, index=raw.frame.index, dtype=object)
            answers[filled] = raw.frame[headers[0]][filled].map(normalise.answer_text).to_numpy()
        else:
            answers, chosen = _combined_answer(raw, headers, not_chosen)
            report.multi_column_questions[question_id] = len(headers)
            option_parts += [
                pd.DataFrame(
                    {
                        "respondent_id": rows["respondent_id"][picked].to_numpy(),
                        "question_id": question_id,
                        "option": label,
                        "position": position,
                        "source_row": rows["source_row"][picked].to_numpy(),
                    }
                )
                for position, (label, picked) in enumerate(chosen)
                if picked.any()
            ]
        keep = answers.notna().to_numpy()
        if not keep.any():
            continue
        parts.append(
            pd.DataFrame(
                {
                    "respondent_id": rows["respondent_id"][keep].to_numpy(),
                    "question_id": question_id,
                    "answer": answers[keep].to_numpy(),
                    "submitted_at": rows["submitted_at"][keep].to_numpy(),
                    "source_row": rows["source_row"][keep].to_numpy(),
                }
            )
        )
    report.not_chosen_values = dict(not_chosen.most_common())
    options = pd.concat(option_parts, ignore_index=True) if option_parts else _empty_options()
    if not parts:
        return _empty_responses(), options
    # In the file's order (by row, then question), which numbers the answers
    # (responses.response_key) the same whether the export is read whole or in parts.
    responses = pd.concat(parts, ignore_index=True)[RESPONSE_COLUMNS]
    responses = responses.sort_values("source_row", kind="stable", ignore_index=True)
    return responses, options[OPTION_COLUMNS]


def note_wide_answers(report: ImportReport, mapping: Mapping) -> None:
    """What the report says of how a wide export's cells became responses: questions found or
    not, questions spread over several columns, tick marks read as "not chosen"."""
    if not mapping.questions:
        report.notes.append(
            _(
                "No column matched a question of the consultation, so only participation was "
                "counted; name the question columns in the mapping's [questions]."
            )
        )
    if report.multi_column_questions:
        spans = ", ".join(
            ngettext("{question} ({count} column)", "{question} ({count} columns)", n).format(
                question=i18n.isolate(q), count=i18n.number(n)
            )
            for q, n in report.multi_column_questions.items()
        )
        report.notes.append(
            _(
                "Questions answered in several columns: {questions}. Each respondent's answer to "
                'one of them is one response (its parts joined with "; "); the options chosen '
                "are counted apart, as options, never as responses."
            ).format(questions=spans)
        )
    if report.not_chosen_values:
        values = ", ".join(i18n.isolate(repr(v)) for v in report.not_chosen_values)
        report.notes.append(
            _(
                "In columns of those questions holding only tick marks, {values} read as an "
                "option not chosen: such a cell makes no response."
            ).format(values=values)
        )


def _combined_answer(
    raw: RawTable, headers: list[str], not_chosen: Counter[str]
) -> tuple[pd.Series, list[tuple[str, np.ndarray]]]:
    """The answer to a question spread over `headers`, one text per row (None where no column
    holds a chosen value), and for each column its option label with the rows (positions) that
    chose it.

    Each chosen cell is one part, in column order, joined with "; ": the option's label alone
    when the cell only ticks it (Yes, 1, TRUE, or the label itself, as SurveyMonkey writes),
    else "label: text as written", so an "Other - write in" keeps its text whole for
    redaction, tagging and search. A column is read as tick marks only when every value in it
    is a tick mark (chosen or not): there, No / 0 / FALSE / Not selected make no part. Elsewhere
    (a rating matrix, a "Tool #2" field) every non-blank value is an answer, "No" and "0" too.
    """
    rows = len(raw.frame)
    combined = np.full(rows, None, dtype=object)
    has_part = np.zeros(rows, dtype=bool)
    filled = ~blank_mask(raw.frame[headers]).to_numpy()  # vectorised: most cells are blank
    chosen: list[tuple[str, np.ndarray]] = []
    for position, header in enumerate(headers):
        label = raw.option_labels.get(header) or header
        label_folded = " ".join(label.split()).casefold()
        at = np.flatnonzero(filled[:, position])
        # A column holds few distinct values: each is read once, its rows follow by code.
        codes, distinct = pd.factorize(raw.frame[header].to_numpy(dtype=object)[at])
        texts = [normalise.answer_text(v) for v in distinct]
        folded = [None if t is None else " ".join(t.split()).casefold() for t in texts]
        is_ticks = all(f in CHOSEN | NOT_CHOSEN | {label_folded} for f in folded if f is not None)
        part_of = np.full(len(texts), None, dtype=object)
        cells = np.bincount(codes, minlength=len(texts))
        for index, (text, fold_) in enumerate(zip(texts, folded, strict=True)):
            if text is None:
                continue
            if is_ticks and fold_ in NOT_CHOSEN:
                not_chosen[text.strip()] += int(cells[index])
            elif is_ticks or fold_ == label_folded:
                part_of[index] = label
            elif label_folded in UNNAMED_LABELS:
                part_of[index] = text
            else:
                part_of[index] = f"{label}: {text}"
        parts = part_of[codes]
        keep = np.array([p is not None for p in part_of], dtype=bool)[codes]
        picked = np.zeros(rows, dtype=bool)
        picked[at[keep]] = True
        column_parts = np.full(rows, None, dtype=object)
        column_parts[at[keep]] = parts[keep]
        both = picked & has_part
        combined[both] = combined[both] + PART_SEPARATOR + column_parts[both]
        first = picked & ~has_part
        combined[first] = column_parts[first]
        has_part |= picked
        chosen.append((label, picked))
    return pd.Series(combined, index=raw.frame.index, dtype=object), chosen


def _long_responses(
    raw: RawTable,
    rows: pd.DataFrame,
    mapping: Mapping,
    consultation: Consultation,
    report: ImportReport,
) -> pd.DataFrame:
    used = set(mapping.columns.values())
    report.ignored_columns = [h for h in raw.headers if h not in used]
    frame = raw.frame.loc[rows.index]
    answers = _column(raw, mapping, "answer").loc[rows.index].map(normalise.answer_text)
    questions = _column(raw, mapping, "question_id").loc[rows.index].map(normalise.text_or_none)
    has_answer = answers.notna()
    lookup = question_lookup(consultation)
    distinct = pd.unique(questions[has_answer].dropna().to_numpy(dtype=object))
    resolved = {q: lookup.get(fold(q), q) for q in distinct}
    unknown = {q for q, qid in resolved.items() if qid == q and fold(q) not in lookup}
    question_ids = questions.map(resolved)
    missing_question = has_answer & question_ids.isna()
    for row in rows.loc[missing_question, "source_row"]:
        report.refused_rows.append({"row": int(row), "reason": _("an answer with no question")})
    keep = has_answer & ~missing_question
    report.unknown_questions = _counts(questions[keep & questions.isin(unknown)])
    del frame
    return pd.DataFrame(
        {
            "respondent_id": rows.loc[keep, "respondent_id"].to_numpy(),
            "question_id": question_ids[keep].to_numpy(),
            "answer": answers[keep].to_numpy(),
            "submitted_at": rows.loc[keep, "submitted_at"].to_numpy(),
            "source_row": rows.loc[keep, "source_row"].to_numpy(),
        }
    )[RESPONSE_COLUMNS]


def _empty_options() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": pd.Series(dtype=object),
            "question_id": pd.Series(dtype=object),
            "option": pd.Series(dtype=object),
            "position": pd.Series(dtype="int64"),
            "source_row": pd.Series(dtype="int64"),
        }
    )


def _empty_responses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": pd.Series(dtype=object),
            "question_id": pd.Series(dtype=object),
            "answer": pd.Series(dtype=object),
            "submitted_at": pd.Series(dtype=normalise.UTC_DTYPE),
            "source_row": pd.Series(dtype="int64"),
        }
    )


def count_outside_window(responses: pd.DataFrame, consultation: Consultation, report: ImportReport):
    """Counts the responses before and after the window into the report (added, as above)."""
    times = pd.to_datetime(responses["submitted_at"], utc=True)
    report.responses_before_window += int((times < pd.Timestamp(consultation.opens)).sum())
    report.responses_after_window += int((times > pd.Timestamp(consultation.closes)).sum())


def _counts(values: pd.Series) -> dict[str, int]:
    counted = Counter(BLANK_KEY if v is None or pd.isna(v) else str(v) for v in values)
    return dict(counted.most_common())


def load(
    con: duckdb.DuckDBPyConnection,
    prepared: PreparedImport,
    imported_by: str = "local",
    *,
    consume: bool = False,
    on_step: Callable[[str, float], None] | None = None,
) -> ImportReport:
    """Write a prepared import in one transaction; the same bytes twice add nothing. Returns
    this attempt's report (the prepared one is left as checked, for another attempt).
    `on_step(label, fraction)` hears of each stage (writing, tagging, the figures' tables).

    With `consume`, there is no other attempt (an import from a path, the command line's): the
    table as read is let go at once and the rows once written, so that tagging and the facts do
    not run beside copies of the whole export (README: "Issue 18, the import's memory and
    progress")."""
    report = copy.deepcopy(prepared.report)
    if consume:
        prepared.raw = dataclasses.replace(prepared.raw, frame=_emptied(prepared.raw.frame))
    if already_imported(con, prepared.consultation_id, report):
        return report

    def answers() -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
        yield prepared.responses, prepared.options
        if consume:
            # Written: DuckDB has its own copy.
            prepared.responses = _emptied(prepared.responses)
            prepared.options = _emptied(prepared.options)

    return write_import(
        con,
        prepared.consultation_id,
        prepared.respondents,
        report,
        prepared.mapping_toml or prepared.mapping.to_toml(),
        answers(),
        imported_by=imported_by,
        on_step=on_step,
    )


def already_imported(
    con: duckdb.DuckDBPyConnection, consultation_id: str, report: ImportReport
) -> bool:
    """Whether the store already holds an import of these bytes; if so the report names it."""
    earlier = queries.first_row(
        con,
        "store/find_import",
        {"consultation": consultation_id, "content_hash": report.content_hash},
    )
    if earlier:
        report.already_imported = {
            "import_id": earlier[0],
            "file_name": earlier[1],
            "imported_at": earlier[2].isoformat(),
        }
    return bool(earlier)


def write_import(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    respondents: pd.DataFrame | None,
    report: ImportReport,
    mapping_toml: str,
    answers: Iterable[tuple[pd.DataFrame, pd.DataFrame]],
    *,
    imported_by: str = "local",
    on_step: Callable[[str, float], None] | None = None,
    memory_limit: str | None = None,
    count_after_commit: bool = False,
) -> ImportReport:
    """Write one import: its respondents, then its answers as `answers` yields them (responses
    and options, cleaned; one pair for an import read whole, one per part for an import read in
    parts, which may add to `report` as it goes), the profiles, then the tags and the facts.
    Returns `report`, completed.

    All in one transaction; or, with `count_after_commit`, in two: the rows and profiles,
    committed and listed in `uncounted_imports`, then the tags and the facts (`count_import`).
    Inside the first transaction, over ten million uncommitted answers, tagging and the facts
    needed more than a gigabyte; after the commit they fit in 500 MB (README, "Issue 18, the
    tags and facts after the commit"). Should the second fail, the import is undone, so the store
    is as it was; one stopped between the two (the process killed) stays listed, its answers
    left out of the figures, until it is counted or undone.

    `respondents` is a frame of RESPONDENT_COLUMNS, or None when the caller has already put
    them in DuckDB (`stage_respondents`) to let its own frame go. `memory_limit`, if given, is
    DuckDB's memory limit while the rows are written and committed and while they are counted
    after the commit (`database.memory_limited`), for a caller that cleans answers meanwhile
    and needs the memory: what DuckDB holds beyond it goes to the store's file."""
    step = on_step or (lambda label, fraction: None)
    limited = (
        (lambda: memory_limited(con, memory_limit)) if memory_limit else contextlib.nullcontext
    )
    step(_("Writing the answers"), 0.0)
    started = time.perf_counter()
    # An import in parts cleans each part while this writes (`answers` adds that time to the
    # report's "cleaning"): "writing" is the rest.
    cleaned_before = report.seconds.get("cleaning", 0.0)
    key = {"consultation": consultation_id}
    try:
        # Made outside the transaction and dropped after it: dropping inside a failed
        # transaction would raise again and hide the first error.
        if respondents is not None:
            stage_respondents(con, respondents)
        # The commit too: at ten million answers, the profiles and the commit of the rows took
        # DuckDB a gigabyte more for a few seconds when it had half the machine.
        with limited(), transaction(con):
            present = queries.first_row(con, "store/existing_respondents", key)[0]
            report.respondents_already_present = present
            report.respondents_loaded = report.respondents - present
            import_id = queries.first_row(
                con,
                "store/insert_import",
                {
                    **key,
                    "file_name": report.file_name,
                    "file_size": report.file_size,
                    "content_hash": report.content_hash,
                    "platform": report.platform,
                    "shape": report.shape,
                    "imported_at": datetime.now(UTC),
                    "imported_by": imported_by,
                    "rows_read": report.rows_read,
                    "rows_refused": report.rows_refused,
                    "respondents_loaded": report.respondents_loaded,
                    "responses_loaded": report.responses,
                    "mapping_toml": mapping_toml,
                    "report": _report_json(report),
                },
            )[0]
            report.import_id = import_id
            ids = {**key, "import_id": import_id}
            queries.execute(con, "store/insert_respondent_sources", ids)
            # Numbered here, in the frame's order, which DuckDB keeps as it writes: numbering
            # in SQL made it sort the whole import, texts and all (2 GB more at a million).
            next_key = queries.first_row(con, "store/next_response_key")[0]
            report.responses_loaded = 0
            _insert_answers(con, answers, report, next_key, ids)
            queries.execute(con, "store/create_affected_respondents", ids)
            _rebuild_profiles(con, consultation_id)
            cleaned_meanwhile = report.seconds.get("cleaning", 0.0) - cleaned_before
            report.seconds["writing"] = time.perf_counter() - started - cleaned_meanwhile
            if count_after_commit:
                queries.execute(con, "store/insert_uncounted_import", ids)
                _update_report(con, report)
            else:
                _tag_and_count(con, consultation_id, import_id, report, step)
    finally:
        queries.execute(con, "store/drop_affected_respondents")
        queries.execute(con, "store/drop_new_respondents")
    if count_after_commit:
        try:
            with limited():
                count_import(con, consultation_id, import_id, report, on_step=step)
        except Exception as failure:
            try:
                undo_import(con, consultation_id, import_id)
            # The first error is the one raised; the undo's own is told beside it.
            except Exception as undo_failure:
                failure.add_note(
                    f"import {import_id} could not be undone ({undo_failure}): its answers are "
                    "stored but not counted; count it again or undo it"
                )
            raise
    return report


def count_import(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    import_id: int,
    report: ImportReport | None = None,
    *,
    on_step: Callable[[str, float], None] | None = None,
) -> None:
    """Tag one committed import's answers and count its respondents into the facts, in one
    transaction, and take it off `uncounted_imports`: the second half of `write_import` with
    `count_after_commit`, or the finishing of an import stopped between the two. `report` (the
    import's own, when it is being written) is completed with the stages' times."""
    ids = {"consultation": consultation_id, "import_id": import_id}
    try:
        with transaction(con):
            queries.execute(con, "store/create_affected_respondents", ids)
            _tag_and_count(
                con, consultation_id, import_id, report, on_step or (lambda label, fraction: None)
            )
            queries.execute(con, "store/delete_uncounted_import", ids)
    finally:
        queries.execute(con, "store/drop_affected_respondents")


def _tag_and_count(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    import_id: int,
    report: ImportReport | None,
    step: Callable[[str, float], None],
) -> None:
    """Tag an import's answers and rebuild the facts of the respondents `affected_respondents`
    lists, inside the caller's transaction; `report` (if any) gets the times and is stored."""
    tagged = time.perf_counter()
    tagging.tag(
        con,
        consultation_id,
        import_id,
        on_step=lambda label, share: step(label, TAGGING_FROM + TAGGING_SHARE * share),
    )
    step(_("Counting the figures for the pages"), TAGGING_FROM + TAGGING_SHARE)
    facts = time.perf_counter()
    refresh_facts(con, consultation_id, affected_only=True)
    if report is not None:
        report.seconds["tagging"] = facts - tagged
        report.seconds["facts"] = time.perf_counter() - facts
        _update_report(con, report)


def _update_report(con: duckdb.DuckDBPyConnection, report: ImportReport) -> None:
    queries.execute(
        con,
        "store/update_import_report",
        {
            "import_id": report.import_id,
            "report": _report_json(report),
            "responses_loaded": report.responses_loaded,
        },
    )


def stage_respondents(con: duckdb.DuckDBPyConnection, respondents: pd.DataFrame) -> None:
    """Put an import's respondents (RESPONDENT_COLUMNS) in DuckDB's temporary table
    `new_respondents`, which `write_import` reads and drops; outside any transaction."""
    queries.execute_on(con, "store/create_new_respondents", "import_respondents", respondents)


def _insert_answers(
    con: duckdb.DuckDBPyConnection,
    answers: Iterable[tuple[pd.DataFrame, pd.DataFrame]],
    report: ImportReport,
    next_key: int,
    ids: dict[str, Any],
) -> None:
    """Write each pair of responses and options `answers` yields, numbering the responses on
    from `next_key`, and count them into `report.responses_loaded`."""
    for responses, options in answers:
        # Given to the statements rather than registered, so that each part is let go once
        # written instead of held until the commit.
        queries.execute_on(
            con,
            "store/insert_responses",
            "new_responses",
            _for_store(responses, report.file_name, next_key, ids),
        )
        if len(options):
            queries.execute_on(
                con,
                "store/insert_response_options",
                "new_response_options",
                _options_for_store(options, ids),
            )
        next_key += len(responses)
        report.responses_loaded += len(responses)
        del responses, options


# The stages' shares of the bar while an import is written, as their times are at a million
# answers (writing 5 s, tagging 10 s, the facts 3 s: the benchmark's import report).
TAGGING_FROM, TAGGING_SHARE = 0.3, 0.55


def _emptied(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of no rows with the columns and types of `frame`, holding none of its data (a
    slice of no rows would keep the whole columns alive beneath it)."""
    empty = pd.DataFrame({n: pd.Series(dtype=dtype) for n, dtype in enumerate(frame.dtypes)})
    empty.columns = frame.columns
    return empty


def _report_json(report: ImportReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, default=str)


def _rebuild_profiles(con: duckdb.DuckDBPyConnection, consultation_id: str) -> None:
    """Recompute the profiles of the respondents the temporary table `affected_respondents`
    lists from every import that names them."""
    key = {"consultation": consultation_id}
    queries.execute(con, "store/delete_respondent_profiles", key)
    queries.execute(con, "store/insert_respondent_profiles", key)


def undo_import(con: duckdb.DuckDBPyConnection, consultation_id: str, import_id: int) -> int:
    """Remove exactly what one import brought, in one transaction; returns the number of
    respondents whose profile changed (removed, or rebuilt from the imports left)."""
    key = {"consultation": consultation_id, "import_id": import_id}
    try:
        with transaction(con):
            # Listed before the import's sources go.
            queries.execute(con, "store/create_affected_respondents", key)
            affected = queries.first_row(con, "store/affected_respondents_count")[0]
            queries.execute(con, "store/delete_import_responses", key)
            queries.execute(con, "store/delete_import_options", key)
            queries.execute(con, "store/delete_response_codes", key)
            queries.execute(con, "store/delete_import_sources", key)
            _rebuild_profiles(con, consultation_id)
            queries.execute(con, "store/delete_uncounted_import", key)
            queries.execute(con, "store/delete_import", key)
            refresh_facts(con, consultation_id, affected_only=True)
    finally:
        queries.execute(con, "store/drop_affected_respondents")
    return affected


def uncounted_imports(con: duckdb.DuckDBPyConnection, consultation_id: str) -> pd.DataFrame:
    """The consultation's imports whose answers are stored but not yet tagged and counted
    (queries/store/uncounted_imports.sql): the figures leave them out until `count_import`."""
    return queries.frame(con, "store/uncounted_imports", {"consultation": consultation_id})


def _for_store(
    responses: pd.DataFrame, file_name: str, first_key: int, ids: dict[str, Any]
) -> pd.DataFrame:
    """The responses as `store/insert_responses` reads them, numbered from `first_key`, with
    their consultation and import (`ids`)."""
    frame = responses.copy()
    frame["consultation_id"] = ids["consultation"]
    frame["import_id"] = ids["import_id"]
    frame["response_key"] = np.arange(first_key, first_key + len(frame), dtype="int64")
    if "source_file" not in frame.columns:  # one file: every answer came from it
        frame["source_file"] = file_name
        frame["source_file_row"] = frame["source_row"]
    frame["source_file"] = frame["source_file"].astype(str)
    frame["source_file_row"] = frame["source_file_row"].astype("int64")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True).astype(
        normalise.UTC_DTYPE
    )
    frame["answer"] = frame["answer"].astype(str)
    frame["answer_redacted"] = frame["answer_redacted"].astype(str)
    if "answer_search" not in frame.columns:  # prepared before the folding moved to prepare
        searched = search_text.search_columns(frame["answer"], frame["answer_redacted"])
        frame["answer_search"] = searched["answer_search"]
        frame["answer_written_search"] = searched["answer_written_search"]
    if "answer_language" not in frame.columns:  # prepared before detection was added
        frame["answer_language"] = answer_language.detect_series(frame["answer"])
    frame["answer_language"] = frame["answer_language"].astype(pd.StringDtype(na_value=pd.NA))
    frame["question_id"] = frame["question_id"].astype(str)
    frame["respondent_id"] = frame["respondent_id"].astype(str)
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def _options_for_store(options: pd.DataFrame, ids: dict[str, Any]) -> pd.DataFrame:
    frame = options[OPTION_COLUMNS].copy()
    frame["consultation_id"] = ids["consultation"]
    frame["import_id"] = ids["import_id"]
    for column in ("respondent_id", "question_id", "option"):
        frame[column] = frame[column].astype(str)
    frame["position"] = frame["position"].astype("int32")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def import_whole_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    consultation: Consultation,
    mapping: Mapping | None = None,
    imported_by: str = "local",
) -> ImportReport:
    """Import the export at `path` read whole (`parted.import_file` chooses how to read it)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(
            path.name, _("the file cannot be opened ({problem})").format(problem=exc.strerror)
        ) from exc
    read = _read(data, path.name, mapping, lambda label, fraction: None)
    # The bytes, as large as the file, are not read again once read and hashed.
    del data
    prepared = _prepare_read(read, consultation, mapping, lambda label, fraction: None)
    del read
    return load(con, prepared, imported_by, consume=True)
