"""Many files, one import: a folder, a list of files or a ZIP of them, prepared together and
written as one import (one transaction, one tagging pass, one facts rebuild), undone as one.

A consultation exported page by page (one JSON file per 50 comments) imported at a commit, a
tagging pass and a facts rebuild per page, and a few milliseconds of pandas per step on a tiny
frame. Here:

* every file is read and checked on its own, so a refusal names its file and line, and a refused
  file refuses the whole batch: nothing of it is written;
* a file with no records (the empty last page of an API export) is noted in the report and
  passed over; the same file given alone is still refused (`pipeline.prepare`), since there is
  nothing to import; a batch whose every file is empty is refused too;
* files of the same columns share one mapping, resolved once, and are cleaned as one table; files
  of other columns (another platform, another shape) are mapped on their own, as if imported
  separately, so a batch need not have one header set;
* each answer keeps its file and row (`responses.source_file`, `source_row`), and the report
  lists the files and names the file of every refused row;
* the batch's content hash is over its files' sorted hashes, so the same files again add nothing,
  whatever their order or names.

One difference from importing the files one by one: where a file's dates are ambiguous (slashes)
the day order is inferred from all the files of its columns together, not from the file alone.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dashboard.definition.consultation import Consultation
from dashboard.importer import normalise
from dashboard.importer.limits import MB, ImportLimits, env_name
from dashboard.importer.mapping import Mapping
from dashboard.importer.pipeline import (
    RESPONDENT_COLUMNS,
    ImportReport,
    PreparedImport,
    content_hash,
    load,
    prepare_table,
    resolve_mapping,
)
from dashboard.importer.reading import (
    EmptyFile,
    FileRefused,
    JsonPage,
    RawTable,
    TableOfFiles,
    blank_mask,
    check_file_size,
    check_unpacked_size,
    environment_limits,
    json_pages_table,
    read_export,
    read_json_page,
    tables_of_files,
)
from dashboard.reference import i18n
from dashboard.reference.i18n import _, ngettext

EXPORT_SUFFIXES = frozenset(
    {".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx", ".xlsm", ".xls", ".ods"}
)
PROGRESS_EVERY = 250  # files between two progress reports while reading
Step = Callable[[str, float], None]


@dataclass
class Batch:
    """The export files to import as one, read from folders, ZIP archives and single files."""

    name: str  # what the import is called: "120 files from pages/"
    files: list[tuple[str, bytes]]
    skipped: list[str] = field(default_factory=list)  # files that are not exports


def gather(paths: Sequence[Path | str], limits: ImportLimits | None = None) -> Batch:
    """Every export file under these paths: a folder's files (in natural order: page2 before
    page10), a ZIP's members, or the file itself; each size checked before it is read."""
    paths = [Path(p) for p in paths]
    limits = limits or environment_limits("the batch")
    files: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    sources: list[str] = []
    total = 0

    def add(name: str, size: int, read: Callable[[], bytes]) -> None:
        nonlocal total
        check_batch(len(files) + 1, total + size, name, limits)
        check_file_size(size, name, limits)
        data = read()
        total += len(data)
        files.append((name, data))

    for path in paths:
        if path.is_dir():
            sources.append(f"{path.resolve().name}/")
            for member in sorted(_files_under(path), key=lambda p: natural_key(p.as_posix())):
                name = member.relative_to(path.parent).as_posix()
                if member.suffix.lower() == ".zip":
                    _add_zip(member, name, add, skipped, limits)
                elif member.suffix.lower() in EXPORT_SUFFIXES:
                    add(name, _size(member, name), lambda m=member, n=name: _read(m, n))
                else:
                    skipped.append(name)
        elif path.suffix.lower() == ".zip":
            sources.append(path.name)
            _add_zip(path, path.name, add, skipped, limits)
        else:
            sources.append(path.name)
            add(path.name, _size(path, path.name), lambda p=path: _read(p, p.name))
    shown = ", ".join(sources[:2]) + (f" and {len(sources) - 2} more" if len(sources) > 2 else "")
    return Batch(f"{len(files):,} files from {shown}", files, skipped)


def batch_of_uploads(
    uploads: Sequence[tuple[str, bytes]], limits: ImportLimits | None = None
) -> Batch:
    """Files uploaded together (the Import page), a ZIP's export members in its place."""
    limits = limits or environment_limits("the batch")
    files: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    for name, data in uploads:
        if PurePosixPath(name).suffix.lower() != ".zip":
            files.append((name, data))
            continue
        members, passed_over = zip_members(data, name, limits)
        skipped.extend(passed_over)
        total = sum(len(d) for _, d in files)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in members:
                total += member.file_size
                check_batch(len(files) + 1, total, name, limits)
                files.append((f"{name}/{member.filename}", _unzip(archive, member, name)))
    check_batch(len(files), sum(len(d) for _, d in files), "the upload", limits)
    names = [name for name, _ in uploads]
    shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    return Batch(f"{len(files):,} files from {shown}", files, skipped)


def check_batch(count: int, total_bytes: int, name: str, limits: ImportLimits) -> None:
    """Refuse a batch over the number of files or their total size."""
    if count > limits.max_files:
        raise FileRefused(
            name,
            _("the batch has more than {limit} files; set {variable} to raise it").format(
                limit=i18n.number(limits.max_files), variable=env_name("max_files")
            ),
        )
    if total_bytes > limits.max_batch_mb * MB:
        raise FileRefused(
            name,
            _(
                "the batch's files come to more than {limit} MB; set {variable} to raise it (in MB)"
            ).format(limit=i18n.number(limits.max_batch_mb), variable=env_name("max_batch_mb")),
        )


def natural_key(name: str) -> list[Any]:
    """page2 before page10: digits compared as numbers."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


def _files_under(folder: Path) -> Iterable[Path]:
    for path in folder.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            yield path


def _size(path: Path, name: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise FileRefused(name, _cannot_open(exc)) from exc


def _read(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileRefused(name, _cannot_open(exc)) from exc


def _cannot_open(exc: OSError) -> str:
    # The system's reason ("Permission denied") stays as the system says it.
    return _("the file cannot be opened ({reason})").format(reason=exc.strerror)


def _add_zip(
    path: Path,
    name: str,
    add: Callable[[str, int, Callable[[], bytes]], None],
    skipped: list[str],
    limits: ImportLimits,
) -> None:
    check_file_size(_size(path, name), name, limits)
    data = _read(path, name)
    members, passed_over = zip_members(data, name, limits)
    skipped.extend(passed_over)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            add(
                f"{name}/{member.filename}",
                member.file_size,
                lambda m=member: _unzip(archive, m, name),
            )


def zip_members(
    data: bytes, zip_name: str, limits: ImportLimits
) -> tuple[list[zipfile.ZipInfo], list[str]]:
    """The export members of a ZIP, in natural order, and the names of the others; refused
    before anything is decompressed when their number, their declared size or its ratio to the
    archive's (a zip bomb) is over the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileRefused(zip_name, _("the ZIP archive is damaged or incomplete")) from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
    exports, others = [], []
    for member in members:
        path = PurePosixPath(member.filename)
        if any(part.startswith(".") or part == "__MACOSX" for part in path.parts):
            continue  # the Finder's and other tools' bookkeeping
        (exports if path.suffix.lower() in EXPORT_SUFFIXES else others).append(member)
    if len(exports) > limits.max_files:
        raise FileRefused(
            zip_name,
            _("the archive holds {count} export files; {limit}").format(
                count=i18n.number(len(exports)), limit=limits.how_to_raise("max_files")
            ),
        )
    declared = sum(member.file_size for member in exports)
    cap_mb = min(limits.max_unzipped_mb, limits.max_batch_mb)
    check_unpacked_size(declared, len(data), zip_name, "archive", limits, cap_mb)
    for member in exports:
        if member.flag_bits & 0x1:
            raise FileRefused(
                f"{zip_name}/{member.filename}", _("the file is encrypted in the archive")
            )
    exports.sort(key=lambda m: natural_key(m.filename))
    return exports, [f"{zip_name}/{m.filename}" for m in others]


def _unzip(archive: zipfile.ZipFile, member: zipfile.ZipInfo, zip_name: str) -> bytes:
    try:
        # zipfile never returns more than the declared size and checks the CRC at the end, so
        # a member that lies about its size is refused as damaged, not unpacked.
        return archive.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FileRefused(
            f"{zip_name}/{member.filename}", _("the file is damaged in the archive")
        ) from exc


def prepare_many(
    files: Iterable[tuple[str, bytes]],
    consultation: Consultation,
    mapping: Mapping | None = None,
    *,
    name: str | None = None,
    skipped: Sequence[str] = (),
    complete_mapping: bool = False,
    on_step: Step | None = None,
    limits: ImportLimits | None = None,
) -> PreparedImport:
    """Read, map and clean many exports as one import, without writing anything; `mapping`
    (if given) applies to every file. Raises FileRefused, naming the file, if one is refused."""
    step = on_step or (lambda label, fraction: None)
    files = list(files)
    label = name or f"{len(files):,} files"
    limits = limits or environment_limits(label)
    check_batch(len(files), sum(len(data) for _, data in files), label, limits)
    if not files:
        raise FileRefused(
            label,
            _("there is no export file to import (CSV, TSV, TXT, XLSX, ODS, JSON or JSON lines)"),
        )
    entries = [
        {"file": file_name, "size": len(data), "sha256": content_hash(data), "rows_read": 0}
        for file_name, data in files
    ]
    groups = _read_all(files, entries, mapping, limits, step)
    parts: list[PreparedImport] = []
    for done, (table, positions) in enumerate(groups):
        step(
            _("Cleaning {count} files headed like {file}").format(
                count=i18n.number(len(positions)), file=table.file_names[0]
            ),
            0.6 + 0.35 * done / len(groups),
        )
        group_mapping = resolve_mapping(
            table.table, consultation, mapping, complete=complete_mapping
        )
        parts += _prepare_group(table, positions, entries, consultation, group_mapping)
    for entry in entries:
        if not entry["rows_read"] and "note" not in entry:
            entry["note"] = _("every record is empty")
    if not parts:
        raise EmptyFile(label, _("every file of the batch is empty; there is nothing to import"))
    step(_("Checked"), 1.0)
    return _merged(parts, entries, label, skipped, consultation)


def _read_all(
    files: list[tuple[str, bytes]],
    entries: list[dict[str, Any]],
    mapping: Mapping | None,
    limits: ImportLimits,
    step: Step,
) -> list[tuple[TableOfFiles, list[int]]]:
    """Every file read and checked, and the files of the same columns in one table each."""
    pages: dict[frozenset[str], list[tuple[int, JsonPage]]] = {}
    tables: dict[tuple[str, tuple[str, ...]], list[tuple[int, RawTable]]] = {}
    sheet = mapping.sheet if mapping else None
    for position, (file_name, data) in enumerate(files):
        if position % PROGRESS_EVERY == 0:
            step(
                _("Reading file {number} of {count}").format(
                    number=i18n.number(position + 1), count=i18n.number(len(files))
                ),
                0.6 * position / len(files),
            )
        try:
            page = read_json_page(data, file_name, limits)
            if page is not None:
                pages.setdefault(page.columns, []).append((position, page))
                continue
            raw = read_export(data, file_name, sheet=sheet, limits=limits)
        except EmptyFile as exc:
            entries[position]["note"] = exc.reason
            continue
        tables.setdefault((raw.kind, tuple(raw.headers)), []).append((position, raw))
    groups = []
    for members in pages.values():
        try:
            table = json_pages_table([page for _, page in members], limits)
        except EmptyFile:
            continue  # every record of these pages is blank: noted by the caller
        groups.append((table, [position for position, _ in members]))
    for members in tables.values():
        table = tables_of_files([raw for _, raw in members], limits)
        groups.append((table, [position for position, _ in members]))
    for table, positions in groups:
        rows = np.bincount(
            table.owner[table.table.frame.index.to_numpy()], minlength=len(positions)
        )
        for at, position in enumerate(positions):
            entries[position]["rows_read"] = int(rows[at])
    return groups


def _prepare_group(
    table: TableOfFiles,
    positions: list[int],
    entries: list[dict[str, Any]],
    consultation: Consultation,
    mapping: Mapping,
) -> list[PreparedImport]:
    """The files of one table, cleaned as one when nothing in the cleaning depends on the file
    (a respondent id on every row), else one by one."""
    hashes = [entries[p]["sha256"] for p in positions]
    size = sum(entries[p]["size"] for p in positions)
    if _combinable(table.table, mapping):
        prepared = prepare_table(table.table, size, batch_hash(hashes), consultation, mapping)
        _locate(prepared, table)
        return [prepared]
    parts = []
    for at, raw in _file_tables(table):
        entry = entries[positions[at]]
        prepared = prepare_table(raw, entry["size"], entry["sha256"], consultation, mapping)
        prepared.responses["source_file"] = raw.file_name
        prepared.responses["source_file_row"] = prepared.responses["source_row"]
        prepared.report.refused_rows = [
            {"file": raw.file_name, **row} for row in prepared.report.refused_rows
        ]
        parts.append(prepared)
    return parts


def _combinable(raw: RawTable, mapping: Mapping) -> bool:
    # Rows without an id get one made from their file's hash and row (pipeline._canonical_rows),
    # which only the file alone can give.
    if mapping.format == "long":
        return True
    header = mapping.columns.get("respondent_id")
    if header is None or header not in raw.frame.columns:
        return False
    return not bool(blank_mask(raw.frame[[header]]).to_numpy().any())


def _locate(prepared: PreparedImport, table: TableOfFiles) -> None:
    """Each answer's file and row in it; `source_row` stays its row among all the table's rows,
    unique in the import (an answer's identity)."""
    names = np.asarray(table.file_names, dtype=object)
    responses = prepared.responses
    at = responses["source_row"].to_numpy(dtype="int64") - 1
    responses["source_file"] = names[table.owner[at]]
    responses["source_file_row"] = table.file_row[at]
    prepared.report.refused_rows = [
        {
            "file": table.file_names[table.owner[row["row"] - 1]],
            **row,
            "row": int(table.file_row[row["row"] - 1]),
        }
        for row in prepared.report.refused_rows
    ]


def _file_tables(table: TableOfFiles) -> Iterable[tuple[int, RawTable]]:
    """The table cut back into one table per file, each row numbered as in its file."""
    frame = table.table.frame
    positions = frame.index.to_numpy()
    owners = table.owner[positions]
    for at in np.unique(owners):
        rows = positions[owners == at]
        part = frame.loc[rows]
        part.index = table.file_row[rows] - 1  # row_number adds the 1 back
        raw = table.table
        yield (
            int(at),
            RawTable(
                file_name=table.file_names[at],
                frame=part,
                kind=raw.kind,
                encoding=raw.encoding,
                delimiter=raw.delimiter,
                sheet=raw.sheet,
                sheets=raw.sheets,
            ),
        )


def batch_hash(file_hashes: Iterable[str]) -> str:
    """One hash for a set of files: the same files give the same hash, in any order."""
    return content_hash("\n".join(sorted(file_hashes)).encode())


def _merged(
    parts: list[PreparedImport],
    entries: list[dict[str, Any]],
    label: str,
    skipped: Sequence[str],
    consultation: Consultation,
) -> PreparedImport:
    reports = [part.report for part in parts]
    respondents = _merged_respondents([part.respondents for part in parts])
    offsets = _row_offsets(part.responses for part in parts)
    responses = pd.concat(_shifted([p.responses for p in parts], offsets), ignore_index=True)
    # The options chosen name their answer by (row, question): numbered on with their answers.
    options = pd.concat(_shifted([p.options for p in parts], offsets), ignore_index=True)
    notes = _distinct(note for r in reports for note in r.notes)
    empty = [entry["file"] for entry in entries if entry.get("note")]
    if empty:
        notes.append(
            ngettext(
                "{count} file held no records and was passed over: {files} (see the list of "
                "files).",
                "{count} files held no records and were passed over: {files} (see the list of "
                "files).",
                len(empty),
            ).format(count=i18n.number(len(empty)), files=_listed(empty))
        )
    if skipped:
        notes.append(
            ngettext(
                "{count} file that is not an export was left out: {files}.",
                "{count} files that are not exports were left out: {files}.",
                len(skipped),
            ).format(count=i18n.number(len(skipped)), files=_listed(skipped))
        )
    report = ImportReport(
        file_name=label,
        file_size=sum(entry["size"] for entry in entries),
        content_hash=batch_hash(entry["sha256"] for entry in entries),
        platform=_joined(r.platform for r in reports) or "generic",
        shape=_joined(r.shape for r in reports) or "wide",
        encoding=_joined(r.encoding for r in reports),
        delimiter=_joined(r.delimiter for r in reports),
        sheet=_joined(r.sheet for r in reports),
        rows_read=sum(r.rows_read for r in reports),
        respondents=len(respondents),
        responses=len(responses),
        refused_rows=[row for r in reports for row in r.refused_rows],
        unknown_countries=_summed(r.unknown_countries for r in reports),
        unknown_languages=_summed(r.unknown_languages for r in reports),
        unreadable_times=_summed(r.unreadable_times for r in reports),
        missing_times=sum(r.missing_times for r in reports),
        duplicate_respondent_ids=_summed(r.duplicate_respondent_ids for r in reports),
        unknown_questions=_summed(r.unknown_questions for r in reports),
        ignored_columns=_distinct(h for r in reports for h in r.ignored_columns),
        responses_before_window=sum(r.responses_before_window for r in reports),
        responses_after_window=sum(r.responses_after_window for r in reports),
        multi_column_questions=_summed(r.multi_column_questions for r in reports),
        not_chosen_values=_summed(r.not_chosen_values for r in reports),
        options_chosen=len(options),
        date_order=_joined(r.date_order for r in reports),
        date_order_reason=_joined(r.date_order_reason for r in reports) or "",
        ambiguous_dates=sum(r.ambiguous_dates for r in reports),
        placeholders_blanked=_merged_placeholders(r.placeholders_blanked for r in reports),
        placeholder_lookalikes=_merged_placeholders(r.placeholder_lookalikes for r in reports),
        rows_without_id=sum(r.rows_without_id for r in reports),
        respondents_with_several_languages=sum(
            r.respondents_with_several_languages for r in reports
        ),
        notes=notes,
        files=entries,
    )
    mappings = _distinct(part.mapping.to_toml() for part in parts)
    mapping_toml = None
    if len(mappings) > 1:
        mapping_toml = "\n".join(
            f"# Mapping {number} of {len(mappings)} (the batch's files differ in columns)\n{text}"
            for number, text in enumerate(mappings, start=1)
        )
    return PreparedImport(
        consultation.id,
        parts[0].raw,
        parts[0].mapping,
        respondents,
        responses,
        report,
        options=options,
        mapping_toml=mapping_toml,
    )


def _row_offsets(frames: Iterable[pd.DataFrame]) -> list[int]:
    """What to add to each part's rows so they are numbered after the previous part's: then
    `source_row` is unique in the batch, as the store's answer identity (import, row,
    question) needs."""
    offsets, offset = [], 0
    for frame in frames:
        offsets.append(offset)
        if len(frame):
            offset += int(frame["source_row"].max())
    return offsets


def _shifted(frames: Iterable[pd.DataFrame], offsets: list[int]) -> Iterable[pd.DataFrame]:
    for frame, offset in zip(frames, offsets, strict=True):
        yield frame.assign(source_row=frame["source_row"] + offset) if offset else frame


def _merged_placeholders(lists: Iterable[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The placeholders of every file, one entry per field and value with the rows summed."""
    rows: dict[tuple[str, str], int] = {}
    for found in lists:
        for entry in found:
            key = (entry["field"], entry["value"])
            rows[key] = rows.get(key, 0) + entry["rows"]
    return [{"field": f, "value": v, "rows": n} for (f, v), n in rows.items()]


def _merged_respondents(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per respondent id over all the parts, by the rule of the store's profiles
    (queries/store/insert_respondent_profiles.sql): the earliest time, and each attribute from
    the first part that knows it."""
    combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if not combined["respondent_id"].duplicated().any():
        return combined.reset_index(drop=True)
    order = np.arange(len(combined))

    def first_known(columns: list[str], unknown: pd.Series) -> pd.DataFrame:
        ranked = combined.assign(_unknown=unknown.to_numpy(), _order=order)
        ranked = ranked.sort_values(["_unknown", "_order"], kind="stable")
        return ranked.drop_duplicates("respondent_id").set_index("respondent_id")[columns]

    place = ["country_raw", "country_iso3", "region", "subregion"]
    merged = combined.drop_duplicates("respondent_id")[["respondent_id"]].set_index("respondent_id")
    merged["submitted_at"] = combined.groupby("respondent_id")["submitted_at"].min()
    merged = merged.join(
        first_known(place, combined["country_iso3"].isna() * 2 + combined["country_raw"].isna())
    )
    merged = merged.join(
        first_known(
            ["language_raw", "language"],
            combined["language"].eq("und") * 2 + combined["language_raw"].isna(),
        )
    )
    merged = merged.join(
        first_known(["stakeholder_type"], combined["stakeholder_type"].eq(normalise.UNKNOWN))
    )
    return merged.reset_index()[RESPONDENT_COLUMNS]


def _summed(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for part in counts:
        total.update(part)
    return dict(total.most_common())


def _distinct(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _joined(values: Iterable[str | None]) -> str | None:
    return ", ".join(_distinct(v for v in values if v)) or None


def _listed(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(i18n.isolate(name) for name in names[:limit])
    if len(names) <= limit:
        return shown
    return _("{names} and {count} more").format(names=shown, count=i18n.number(len(names) - limit))


def import_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Batch,
    consultation: Consultation,
    mapping: Mapping | None = None,
    imported_by: str = "local",
    on_step: Step | None = None,
) -> ImportReport:
    """Prepare and load a batch as one import (the CLI's default for a folder or many files)."""
    step = on_step or (lambda label, fraction: None)
    prepared = prepare_many(
        batch.files, consultation, mapping, name=batch.name, skipped=batch.skipped, on_step=step
    )
    step(_("Writing the import: answers, tags and figures"), 0.97)
    # Not kept for another attempt: its rows go once written (see `load`).
    return load(
        con,
        prepared,
        imported_by,
        consume=True,
        on_step=lambda label, share: step(label, 0.97 + 0.03 * share),
    )
