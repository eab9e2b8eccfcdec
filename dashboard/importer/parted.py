"""A large export imported part by part, so that its size is not its memory.

An export read whole is held several times over (its text, the table, the answers and their
cleaned copies, DuckDB's copy until the commit): a file of ten million answers needed more than
14 GB. Read in parts, only the respondents' few columns are held for the whole file, in a first
pass, because what they say is decided on the whole file's evidence (how dates like 7/10/14 are
read, a respondent named on several rows, the countries and languages not recognised). A second
pass reads the file again and cleans and writes its answers part by part, in one transaction, so
a refused file still leaves the store as it was; the rows committed, a second tags and counts
them (`pipeline.write_import` with `count_after_commit`), and should it fail the import is undone.

The result is the import `pipeline.import_whole_file` makes of the file read whole, stored rows
and report alike (tests/test_parted_import.py compares them table by table); only exports where that
holds are read in parts (`NotInParts` says why not, and the file is read whole instead).
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.definition.consultation import Consultation
from dashboard.importer import pipeline
from dashboard.importer.blanks import Placeholders, blank_placeholders
from dashboard.importer.limits import MB
from dashboard.importer.mapping import Mapping
from dashboard.importer.platforms import notes_read_rows
from dashboard.importer.reading import (
    DelimitedParts,
    FileRefused,
    NotInParts,
    RawTable,
    check_file_size,
    environment_limits,
)
from dashboard.reference.i18n import _

# Exports from this size on are read in parts (when they can be: `NotInParts`). Below it the
# whole file is read at once, which is as fast and holds well under a gigabyte. (At a million
# answers, 267 MB, in parts held 1.9 GB at most against 3.3 GB read whole, in the same time.)
IN_PARTS_FROM = 64 * MB
# Rows of the export per part: about 100,000 answers of the benchmark's export, whose cleaning
# (the languages detected, the redaction) holds some 200 MB at a time (50,000 rows held about
# twice that).
PART_ROWS = 20_000
# The share of the progress bar the first pass takes (a tenth of the time at ten million).
READING_SHARE = 0.1
# DuckDB's memory while the parts' answers are written and committed, and while they are tagged
# and counted after the commit: what it holds beyond this goes to the store's file (or its
# temporary directory) instead of staying in memory, and the parts' cleaning has the rest.
# Tagging and the facts are counted after the rows are committed because inside the import's
# transaction, at ten million answers, they needed more than 1 GB (README, "Issue 18, the tags
# and facts after the commit").
MEMORY_LIMIT = "500MB"


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    consultation: Consultation,
    mapping: Mapping | None = None,
    imported_by: str = "local",
    *,
    in_parts_from: int = IN_PARTS_FROM,
    part_rows: int = PART_ROWS,
    on_step: Callable[[str, float], None] | None = None,
) -> pipeline.ImportReport:
    """Import the export at `path`: in parts of `part_rows` rows if it is `in_parts_from` bytes
    or more and can be (`import_in_parts`), else read whole, in one transaction.
    `on_step(label, fraction)` hears how an import in parts goes (one read whole takes a minute
    at most)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(
            path.name, _("the file cannot be opened ({problem})").format(problem=exc.strerror)
        ) from exc
    # The size limit before the read, so an oversized file is never held in memory.
    check_file_size(size, path.name, environment_limits(path.name))
    if size >= in_parts_from:
        try:
            return import_in_parts(
                con, path, consultation, mapping, imported_by, part_rows=part_rows, on_step=on_step
            )
        except NotInParts:
            pass  # nothing was written: read whole, which reads it or refuses it with a reason
    return pipeline.import_whole_file(con, path, consultation, mapping, imported_by)


def import_in_parts(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    consultation: Consultation,
    mapping: Mapping | None = None,
    imported_by: str = "local",
    *,
    part_rows: int = PART_ROWS,
    on_step: Callable[[str, float], None] | None = None,
) -> pipeline.ImportReport:
    """Import the export at `path` in parts of `part_rows` rows: the rows in one transaction,
    their tags and facts in a second. Raises `NotInParts` before anything is written when the
    file must be read whole."""
    given_step = on_step or (lambda label, fraction: None)

    def step(label: str, fraction: float) -> None:
        # The first pass is the first part of the bar; the writing (tagging and facts with it,
        # `write_import`'s own bar) the rest.
        given_step(label, READING_SHARE * fraction)

    def write_step(label: str, fraction: float) -> None:
        given_step(label, READING_SHARE + (1 - READING_SHARE) * fraction)

    started = time.perf_counter()
    export = DelimitedParts(path, environment_limits(path.name), part_rows)
    mapping = pipeline.resolve_mapping(export.first, consultation, mapping)
    _check_in_parts(export.first, mapping)
    pipeline.check_mapping(export.first, mapping, consultation)
    reading = _("Reading the file")
    step(reading, 0.0)
    respondent_part = _respondent_fields(export, mapping, lambda share: step(reading, share))
    respondent_part, placeholders = blank_placeholders(respondent_part, mapping)
    report = pipeline.ImportReport(
        file_name=export.file_name,
        file_size=export.file_size,
        content_hash=export.content_hash,
        platform=mapping.platform or "generic",
        shape="wide",
        encoding=export.encoding,
        delimiter=export.delimiter,
        sheet=None,
        rows_read=len(respondent_part.frame),
        placeholders_blanked=placeholders.blanked,
        placeholder_lookalikes=placeholders.lookalikes,
    )
    report.seconds["reading"] = time.perf_counter() - started
    if pipeline.already_imported(con, consultation.id, report):
        return report
    cleaning = time.perf_counter()
    report.notes += [export.first.header_note] if export.first.header_note else []
    pipeline.note_placeholder_ids(report)
    rows = pipeline.canonical_rows(respondent_part, mapping, consultation, report)
    del respondent_part
    respondents = pipeline.respondents_from_rows(rows, report, mapping.subnational_places)
    # What each answer needs of its row, decided above on the whole file, with its respondent's
    # declared language: looked up by respondent id in every part, the 1.9 million ids of ten
    # million answers were held a second time, as Python strings, until the end.
    rows = rows[["respondent_id", "submitted_at", "source_row"]].assign(
        declared=rows["respondent_id"].map(pipeline.declared_languages(respondents))
    )
    rows["declared"] = rows["declared"].astype("category")
    # In DuckDB, within its memory limit, until the commit; pandas lets its copy go.
    pipeline.stage_respondents(con, respondents)
    del respondents
    _release_freed_memory()
    report.seconds["cleaning"] = time.perf_counter() - cleaning
    writing = _("Writing the answers")
    answers = _answers(
        export,
        mapping,
        consultation,
        rows,
        report,
        placeholders,
        # Writing comes first in the bar, before the tags and the facts.
        lambda share: write_step(writing, pipeline.TAGGING_FROM * share),
    )
    del rows  # the parts' own now: let go when the last is written, before tagging
    return pipeline.write_import(
        con,
        consultation.id,
        None,
        report,
        mapping.to_toml(),
        answers,
        imported_by=imported_by,
        on_step=write_step,
        memory_limit=MEMORY_LIMIT,
        count_after_commit=True,
    )


def _release_freed_memory() -> None:
    """Give back to the system what Arrow (pandas' text columns) has freed but kept for reuse:
    after the first pass at a million answers, 230 MB of 550 MB held, which the answers' parts
    would otherwise sit on top of."""
    pa.default_memory_pool().release_unused()


def _check_in_parts(first: RawTable, mapping: Mapping) -> None:
    """What needs the whole export at once is read whole: a long export's answers (each row is
    one, so the respondents' columns are as long as the file), a question spread over several
    columns (whether a column holds tick marks is decided on all its values), and a platform
    whose notes read every row."""
    if mapping.format not in (None, "wide"):
        raise NotInParts(f"a {mapping.format} export")
    if notes_read_rows(mapping.platform):
        raise NotInParts(f"the notes of {mapping.platform}")
    spread = Counter(mapping.questions[h] for h in first.headers if h in mapping.questions)
    if any(columns > 1 for columns in spread.values()):
        raise NotInParts("a question in several columns")


def _respondent_fields(
    export: DelimitedParts, mapping: Mapping, on_share: Callable[[float], None]
) -> RawTable:
    """The whole export's columns of respondent fields (first pass), as one table."""
    headers = [h for h in dict.fromkeys(mapping.columns.values()) if h in export.first.headers]
    frames = []
    for part in export.parts():
        frames.append(part.frame[headers])
        on_share(export.share_read)
    return dataclasses.replace(export.first, frame=pd.concat(frames))


def _answers(
    export: DelimitedParts,
    mapping: Mapping,
    consultation: Consultation,
    rows: pd.DataFrame,
    report: pipeline.ImportReport,
    placeholders: Placeholders,
    on_share: Callable[[float], None],
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """The cleaned responses and options of each part (second pass), the report completed as
    they come; raises `FileRefused` if the file is not the one the first pass read. (No
    question spans several columns here, `_check_in_parts`: the options are always none.)"""
    first_hash = export.content_hash
    # The respondent fields' placeholders were counted in the first pass.
    answer_cells = dataclasses.replace(mapping, columns={})
    for part in export.parts():
        cleaning = time.perf_counter()
        if not part.frame.index.isin(rows.index).all():
            raise _changed_file(export)
        part, found = blank_placeholders(part, answer_cells)
        placeholders += found
        part_rows = rows.loc[part.frame.index]
        responses, options = pipeline.wide_responses(part, part_rows, mapping, report)
        pipeline.clean_answers(responses, lambda share: None)
        declared = part_rows.drop_duplicates("respondent_id").set_index("respondent_id")
        pipeline.count_answer_languages(responses, declared["declared"].astype(object), report)
        pipeline.count_outside_window(responses, consultation, report)
        report.responses += len(responses)
        report.seconds["cleaning"] += time.perf_counter() - cleaning
        del part
        yield responses, options
        del responses, options
        _release_freed_memory()
        on_share(export.share_read)
    if export.content_hash != first_hash:
        raise _changed_file(export)
    report.placeholders_blanked = placeholders.blanked
    report.placeholder_lookalikes = placeholders.lookalikes
    pipeline.note_wide_answers(report, mapping)


def _changed_file(export: DelimitedParts) -> FileRefused:
    return FileRefused(
        export.file_name,
        _("the file changed while it was being imported; import it again once it is saved"),
    )
