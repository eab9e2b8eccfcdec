"""Reading an export's bytes into a table of raw values, whatever the platform wrote.

Everything here is about the container: encoding, delimiter, workbook sheet, JSON layout. The
values stay as the export wrote them (strings, or typed cells from Excel); giving them meaning is
`normalise`'s job. A file that cannot be read raises `FileRefused` with a sentence a
non-programmer can act on, naming the line where there is one.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, BinaryIO

import charset_normalizer
import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from dashboard.importer.headers import header_shape
from dashboard.importer.limits import MB, ImportLimits
from dashboard.reference import i18n
from dashboard.reference.i18n import _

DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 64 * 1024
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Removed from every value: NUL and the other C0 controls and DEL, but not tab, newline or
# carriage return, which answers legitimately hold.
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Half of a UTF-16 pair with no other half: JSON may spell one as an escape ("\ud800"), which
# Python decodes but UTF-8 cannot hold, so the store would refuse the whole file. Each becomes
# U+FFFD, the replacement character, as a decoder does for any byte it cannot read.
_LONE_SURROGATES = re.compile(r"[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # in JSON text, before decoding
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # tested first: LE starts like UTF-16


class FileRefused(Exception):
    """The file cannot be imported as it is; nothing was written."""

    def __init__(self, file_name: str, reason: str, line: int | None = None) -> None:
        self.file_name = file_name
        self.reason = reason
        self.line = line
        # Said in the language in force when refused (the Import page's; the CLI's English).
        if line:
            text = _("{file}, line {line}: {reason}").format(
                file=i18n.isolate(file_name), line=i18n.number(line), reason=reason
            )
        else:
            text = _("{file}: {reason}").format(file=i18n.isolate(file_name), reason=reason)
        super().__init__(text)


class EmptyFile(FileRefused):
    """The file holds no records (nothing at all, or a header alone): refused on its own, but
    noted and passed over inside a batch, where an empty last page is common."""


@dataclass
class RawTable:
    """An export as read: one column per header, values as written."""

    file_name: str
    frame: pd.DataFrame
    kind: str  # "delimited", "excel", "json", "jsonl"
    # Which header rows were read and how, when not simply the first row (for the report).
    header_note: str | None = None
    # The platform the header rows show (a SurveyMonkey sub-answer row...), if any.
    platform_hint: str | None = None
    header_timezone: str | None = None  # the zone the header rows state (Qualtrics' ImportId)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    dropped_empty_columns: list[int] = field(default_factory=list)
    # Header -> the sub-answer its column holds under a multi-row header (an option, a matrix row).
    option_labels: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)

    def row_number(self, index: Any) -> Any:
        """The row as a spreadsheet shows it (a JSON record's number), blank rows counted."""
        return index + 1


def read_export(
    data: bytes, file_name: str, sheet: str | None = None, limits: ImportLimits | None = None
) -> RawTable:
    limits = limits or environment_limits(file_name)
    suffix = PurePath(file_name).suffix.lower()
    check_file_size(len(data), file_name, limits)
    if not data.strip():
        raise EmptyFile(file_name, _("the file is empty"))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        table = _read_workbook(data, file_name, sheet, limits)
    elif suffix in EXCEL_SUFFIXES:
        raise FileRefused(
            file_name,
            _("the file is named {suffix} but is not an Excel workbook").format(suffix=suffix),
        )
    else:
        text, encoding = decode_text(data, file_name)
        del data  # a large export should not be held twice, as bytes and as text
        text = _STRAY_CONTROLS.sub("", text)
        stripped = text.lstrip()
        if suffix in JSON_SUFFIXES or stripped[:1] in ("[", "{"):
            table = _read_json(text, file_name, suffix in {".jsonl", ".ndjson"}, limits)
        else:
            table = _read_delimited(text, file_name, limits)
        table.encoding = encoding
    _check_table(table, limits)
    return table


def environment_limits(file_name: str) -> ImportLimits:
    """The limits in force; a mistyped override refuses the import rather than crashing it."""
    try:
        return ImportLimits.from_environment()
    except ValueError as exc:
        raise FileRefused(
            file_name, _("the import limits are misconfigured: {problem}").format(problem=exc)
        ) from exc


def check_file_size(size: int, file_name: str, limits: ImportLimits) -> None:
    """Refuse a file over the size limit; called before reading it from disk, too."""
    if size > limits.max_file_mb * MB:
        raise FileRefused(
            file_name,
            _("the file is {size} MB, more than the importer accepts; {limit} (in MB)").format(
                size=i18n.number(round(size / MB)), limit=limits.how_to_raise("max_file_mb")
            ),
        )


def _check_table(table: RawTable, limits: ImportLimits) -> None:
    """The table as read, within the row, column and cell-length limits."""
    rows, columns = table.frame.shape
    _check_rows(rows, table.file_name, limits)
    if columns > limits.max_columns:
        raise FileRefused(
            table.file_name,
            _("the file has {columns} columns; {limit}").format(
                columns=i18n.number(columns), limit=limits.how_to_raise("max_columns")
            ),
        )
    for position in range(columns):
        lengths = _text_lengths(table.frame.iloc[:, position])
        if lengths.empty or lengths.max() <= limits.max_cell_chars:
            continue
        index = lengths.idxmax()
        raise FileRefused(
            table.file_name,
            _long_value(table.headers[position], int(lengths.max()), limits),
            table.row_number(index) if isinstance(index, int) else None,
        )


def _check_rows(rows: int, file_name: str, limits: ImportLimits) -> None:
    if rows > limits.max_rows:
        raise FileRefused(
            file_name,
            _("the file has {rows} rows; {limit}").format(
                rows=i18n.number(rows), limit=limits.how_to_raise("max_rows")
            ),
        )


def _text_lengths(column: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(column) and column.dtype != object:
        return column.str.len().fillna(0)
    return column.map(lambda value: len(value) if isinstance(value, str) else 0)


def _clean_text(value: object) -> object:
    if isinstance(value, str) and _STRAY_CONTROLS.search(value):
        return _STRAY_CONTROLS.sub("", value)
    return value


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Text and the name of its encoding: a BOM if there is one, else UTF-8, else a guess."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8-sig", file_name), "utf-8-sig"
    if data.startswith(_UTF32_BOMS):
        return _decode(data, "utf-32", file_name), "utf-32"
    if data.startswith(_UTF16_BOMS):
        return _decode(data, "utf-16", file_name), "utf-16"
    unmarked = _unmarked_wide_encoding(data)
    if unmarked:
        return _decode(data, unmarked, file_name), unmarked
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        text, encoding = _decode_legacy(data, file_name, exc)
    if len(_CONTROL.findall(text[:SNIFF_CHARS])) > 0.01 * min(len(text), SNIFF_CHARS) + 1:
        raise FileRefused(
            file_name,
            _(
                "this does not look like a text export: it holds binary data; export it again "
                "as CSV or XLSX"
            ),
        )
    return text, encoding


def _unmarked_wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 written without a BOM, told by where the zero bytes fall: text that is
    mostly Latin script has a zero in the same place of every code unit. Text in other scripts
    has fewer zeros and is left to the other checks."""
    sample = data[:SNIFF_CHARS]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 8 or sample.count(0) < len(sample) // 3:
        return None

    def zero_share(offset: int, step: int) -> float:
        lane = sample[offset::step]
        return lane.count(0) / len(lane)

    if len(data) % 4 == 0:
        if min(zero_share(1, 4), zero_share(2, 4), zero_share(3, 4)) > 0.9:
            return "utf-32-le" if zero_share(0, 4) < 0.5 else None
        if min(zero_share(0, 4), zero_share(1, 4), zero_share(2, 4)) > 0.9:
            return "utf-32-be" if zero_share(3, 4) < 0.5 else None
    if len(data) % 2 == 0:
        even, odd = zero_share(0, 2), zero_share(1, 2)
        if odd > 0.6 and even < 0.1:
            return "utf-16-le"
        if even > 0.6 and odd < 0.1:
            return "utf-16-be"
    return None


def _decode_legacy(data: bytes, file_name: str, error: UnicodeDecodeError) -> tuple[str, str]:
    if b"\x00" in data:
        raise FileRefused(
            file_name,
            _(
                "this does not look like a text export (it may be a binary file, or a "
                "spreadsheet saved under another name); export it again as CSV or XLSX"
            ),
        )
    lenient = data.decode("utf-8", errors="replace")
    if any(ord(c) > 127 and c != "\ufffd" for c in lenient):
        # Real UTF-8 text around a bad byte: reading it as a legacy code page would garble
        # every accented letter, so refuse and say where the damage is.
        raise FileRefused(
            file_name,
            _(
                "the text is UTF-8 but holds a byte that is not valid UTF-8 here; the file may "
                "be damaged: export it again"
            ),
            data[: error.start].count(b"\n") + 1,
        )
    best = charset_normalizer.from_bytes(data[: 4 * SNIFF_CHARS]).best()
    if best is None:
        raise FileRefused(
            file_name, _("the text's encoding could not be recognised; save it as UTF-8")
        )
    # Windows exports in Western languages are cp1252; a detector often names a sibling code
    # page (cp1250) that maps the same bytes to other letters. Prefer cp1252 when the text is
    # Latin script and cp1252 reads every byte.
    scripts = [a for a in best.alphabets if not a.startswith(("Basic Latin", "Latin"))]
    if not [a for a in scripts if a not in _NEUTRAL_BLOCKS]:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return _decode(data, best.encoding, file_name), best.encoding


_NEUTRAL_BLOCKS = {
    "General Punctuation",
    "Currency Symbols",
    "Letterlike Symbols",
    "Control character",
}


def _decode(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            file_name,
            _("the text is not valid {encoding} (undecodable byte)").format(encoding=encoding),
            line,
        ) from exc


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most regular, columns."""
    sample_lines = _first_records(text[:SNIFF_CHARS])
    best, best_score = ",", (-1, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample_lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        regular = sum(1 for width in widths if width == widths[0])
        score = (regular, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _first_records(sample: str, limit: int = 50) -> list[str]:
    # Cut at a line end so a half line does not count as a ragged row.
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]
    return lines[:limit]


def _read_delimited(text: str, file_name: str, limits: ImportLimits) -> RawTable:
    delimiter = sniff_delimiter(text)
    _check_header_width(text, delimiter, file_name, limits)
    # The fast reader takes the width of every row from the first line, so blank lines above
    # the header would make it read no column at all: they are left out of what it reads, and
    # counted back into the row numbers.
    body = text.lstrip("\r\n")
    blank_lines_above = len(text[: len(text) - len(body)].splitlines())
    try:
        grid = pd.read_csv(
            # Bytes, not a StringIO: pandas would encode a text stream again chunk by chunk,
            # which took most of the time of reading a large export.
            io.BytesIO(body.encode("utf-8")),
            encoding="utf-8",
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,  # keep them, so row numbers match the file
            engine="c",
        )
        grid.index += blank_lines_above
    except pd.errors.ParserError:
        grid = _read_strictly(text, delimiter, file_name)
    except pd.errors.EmptyDataError as exc:
        raise EmptyFile(file_name, _("the file is empty")) from exc
    table = _from_grid(grid, file_name)
    table.kind, table.delimiter = "delimited", delimiter
    return table


def _check_header_width(text: str, delimiter: str, file_name: str, limits: ImportLimits) -> None:
    """The header decides the width of every row; a header of a million fields would make the
    parser build a million columns before any limit could be checked."""
    first_line = text.lstrip("\r\n")[: (limits.max_columns + 1) * 256].split("\n", 1)[0]
    if first_line.count(delimiter) >= limits.max_columns:
        raise FileRefused(
            file_name,
            _("the header has more than {columns} columns; {limit}").format(
                columns=i18n.number(limits.max_columns), limit=limits.how_to_raise("max_columns")
            ),
        )


def _read_strictly(text: str, delimiter: str, file_name: str) -> pd.DataFrame:
    """The slow reader, for files the fast one rejects: it names the line of a problem, and
    accepts rows that only add empty fields (trailing delimiters, a common export quirk)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    width = None
    record_start = 1
    try:
        for row in reader:
            if width is None and any(cell.strip() for cell in row):
                width = len(row)
            if width is not None and len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    raise FileRefused(
                        file_name,
                        _(
                            "this row has {fields} fields but the header has {width}; a "
                            "delimiter inside a value may be missing its quotes"
                        ).format(fields=i18n.number(len(row)), width=i18n.number(width)),
                        record_start,
                    )
                row = row[:width]
            rows.append(row)
            record_start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRefused(
            file_name,
            _(
                "a quoted value that starts on this line never closes (a missing '\"'); the "
                "export is probably cut short or damaged"
            ),
            record_start,
        ) from exc
    width = width or 1
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _from_grid(grid: pd.DataFrame, file_name: str) -> RawTable:
    """A table from raw rows (index = row in the file, from 0): the first row that is not
    blank is the header, the rows under it the records."""
    blank_rows = blank_mask(grid).all(axis=1).to_numpy()
    if blank_rows.all():
        raise EmptyFile(file_name, _("the file is empty"))
    header_at = int(blank_rows.argmin())
    top = [
        [_header_text(_clean_text(h)) for h in grid.iloc[row].tolist()]
        for row in range(header_at, min(header_at + 3, len(grid)))
    ]
    shape = header_shape(top, first_line=header_at + 1)
    frame = grid.iloc[header_at + shape.rows :]
    if frame.empty:
        raise EmptyFile(file_name, _("the file has a header row but no data rows"))
    table = _with_headers(frame, shape.headers, file_name, header_line=header_at + 1)
    table.option_labels = {h: o for h, o in shape.option_labels.items() if h in table.frame}
    table.header_note, table.platform_hint = shape.note, shape.platform
    table.header_timezone = shape.timezone
    return table


def _with_headers(
    frame: pd.DataFrame, headers: list[str], file_name: str, header_line: int | None = None
) -> RawTable:
    if frame.empty:
        raise EmptyFile(file_name, _("the file has a header row but no data rows"))
    headers = [_clean_text(h) for h in headers]
    blank = blank_mask(frame)
    # Spreadsheets often leave unnamed, empty columns at the right; they carry nothing.
    keep, dropped = [], []
    for position, header in enumerate(headers):
        if not header and blank.iloc[:, position].all():
            dropped.append(position + 1)
        else:
            keep.append(position)
    frame = frame.iloc[:, keep]
    headers = [headers[p] or f"Column {p + 1}" for p in keep]
    seen: dict[str, int] = {}
    for position, header in zip(keep, headers, strict=True):
        key = header.casefold()
        if key in seen:
            raise FileRefused(
                file_name,
                _(
                    "columns {first} and {second} are both headed {header}; rename one of them "
                    "so each column can be told apart"
                ).format(first=seen[key], second=position + 1, header=repr(header)),
                header_line,
            )
        seen[key] = position + 1
    frame.columns = headers
    frame = frame.loc[~blank.iloc[:, keep].all(axis=1).to_numpy()]
    if frame.empty:
        raise EmptyFile(file_name, _("the file has a header row but every data row is empty"))
    return RawTable(file_name=file_name, frame=frame, kind="", dropped_empty_columns=dropped)


def blank_mask(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is empty or only white space (vectorised for text columns)."""
    columns = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_string_dtype(column) and column.dtype != object:
            columns[position] = column.isna() | column.str.strip().eq("")
        else:
            columns[position] = column.map(_is_blank).astype(bool)
    return pd.DataFrame(columns, index=frame.index)


def _is_blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _read_workbook(
    data: bytes, file_name: str, sheet: str | None, limits: ImportLimits
) -> RawTable:
    if data.startswith(b"PK"):
        check_workbook_archive(data, file_name, limits)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several error types, all meaning "unreadable"
        raise FileRefused(file_name, _workbook_problem(data)) from exc
    names = tuple(workbook.sheet_names)
    if sheet is not None and sheet not in names:
        raise FileRefused(
            file_name,
            _("the workbook has no sheet {sheet}; its sheets are {sheets}").format(
                sheet=repr(sheet), sheets=", ".join(names)
            ),
        )
    chosen = sheet or names[0]
    rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    if not rows:
        raise EmptyFile(file_name, _("sheet {sheet} is empty").format(sheet=repr(chosen)))
    width = max(len(row) for row in rows)
    grid = pd.DataFrame(
        [[_clean_text(v) for v in row] + [""] * (width - len(row)) for row in rows], dtype=object
    )
    del rows
    try:
        table = _from_grid(grid, file_name)
    except FileRefused as exc:
        raise type(exc)(
            file_name,
            _("sheet {sheet}: {reason}").format(sheet=repr(chosen), reason=exc.reason),
            exc.line,
        ) from exc
    table.kind, table.sheet, table.sheets = "excel", chosen, names
    return table


def _long_value(header: str, length: int, limits: ImportLimits) -> str:
    return _(
        "column {column} holds a value of {length} characters, too long to be an answer; {limit}"
    ).format(
        column=repr(header), length=i18n.number(length), limit=limits.how_to_raise("max_cell_chars")
    )


def _workbook_problem(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.namelist()
    except zipfile.BadZipFile:
        return _("the Excel workbook is damaged or incomplete and cannot be read; export it again")
    if data.startswith(b"PK") and "xl/workbook.xml" not in members:
        return _("the file is a ZIP archive but not an Excel workbook")
    return "the Excel workbook is damaged or protected and cannot be read"


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if _is_blank(value) else str(value).strip()


def _read_json(text: str, file_name: str, lines: bool, limits: ImportLimits) -> RawTable:
    records, _columns = _json_records(text, file_name, lines, limits)
    table = _records_table(records, file_name)
    table.kind = "jsonl" if lines else "json"
    return table


def _json_records(
    text: str, file_name: str, lines: bool, limits: ImportLimits
) -> tuple[list[dict], frozenset[str]]:
    """The records of a JSON export, checked against the limits, and their column paths."""
    try:
        records = _json_lines(text, file_name) if lines else _json_document(text, file_name)
    except RecursionError as exc:
        raise FileRefused(file_name, _too_deep(limits)) from exc
    if not records:
        raise EmptyFile(file_name, _("the JSON holds no records"))
    if _SURROGATE_ESCAPE.search(text):  # rare: walk the records only then
        records = [_without_lone_surrogates(record) for record in records]
    if len(records) > limits.max_rows:
        raise FileRefused(
            file_name,
            _("the JSON holds {records} records; {limit}").format(
                records=i18n.number(len(records)), limit=limits.how_to_raise("max_rows")
            ),
        )
    return records, frozenset(_check_json_shape(records, file_name, limits))


def _without_lone_surrogates(value: object) -> object:
    if isinstance(value, str):
        return _LONE_SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {
            _without_lone_surrogates(key): _without_lone_surrogates(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    return value


def _records_table(records: list[dict], file_name: str) -> RawTable:
    """One column per key path (nested objects flattened as a/b), index = record position."""
    frame = pd.json_normalize(records, sep="/")
    for column in frame.columns:
        frame[column] = frame[column].map(_flatten_value)
    headers = [str(c).strip() for c in frame.columns]
    frame.columns = range(len(headers))
    frame.index = range(len(frame))  # row_number gives the record's number, from 1
    return _with_headers(frame.astype(object), headers, file_name)


def _too_deep(limits: ImportLimits) -> str:
    return _("the JSON is nested more than {depth} levels deep; {limit}").format(
        depth=i18n.number(limits.max_json_depth), limit=limits.how_to_raise("max_json_depth")
    )


def _check_json_shape(records: list[dict], file_name: str, limits: ImportLimits) -> set[str]:
    """Depth and the number of distinct keys (each one a column), counted without recursion
    before `json_normalize` builds anything: a record of a million keys took minutes. Returns
    the column paths."""
    columns: set[str] = set()
    # (value, depth, its column path while only objects lead to it, else None)
    stack: list[tuple[object, int, str | None]] = [(record, 1, "") for record in records]
    while stack:
        value, depth, path = stack.pop()
        if depth > limits.max_json_depth:
            raise FileRefused(file_name, _too_deep(limits))
        if isinstance(value, dict):
            for key, item in value.items():
                inner = None if path is None else f"{path}/{key}"
                if inner is not None and not isinstance(item, dict):
                    columns.add(inner)
                stack.append((item, depth + 1, inner))
            if len(columns) > limits.max_columns:
                raise FileRefused(
                    file_name,
                    _(
                        "the JSON records hold more than {keys} different keys, one column "
                        "each; {limit}"
                    ).format(
                        keys=i18n.number(limits.max_columns),
                        limit=limits.how_to_raise("max_columns"),
                    ),
                )
        elif isinstance(value, list):
            stack.extend((item, depth + 1, None) for item in value)
    return columns


def _json_document(text: str, file_name: str) -> list[dict]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if "Extra data" in exc.msg:
            return _json_sequence(text, file_name)
        raise FileRefused(
            file_name, _("the JSON is not valid ({problem})").format(problem=exc.msg), exc.lineno
        ) from exc
    if isinstance(document, dict):
        # API exports wrap the records: {"count": 3, "results": [...]}.
        lists = [v for v in document.values() if isinstance(v, list)]
        if len(lists) == 1:
            document = lists[0]
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise FileRefused(
            file_name,
            _(
                "the JSON is not a list of records: expected [{...}, {...}] with one object "
                "per respondent or answer"
            ),
        )
    return document


def _json_sequence(text: str, file_name: str) -> list[dict]:
    """Objects one after another, however they are laid out (JSON lines, `jq` output)."""
    decoder = json.JSONDecoder()
    records, position = [], 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return records
        try:
            record, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise FileRefused(
                file_name,
                _("this line is not valid JSON ({problem})").format(problem=exc.msg),
                exc.lineno,
            ) from exc
        if not isinstance(record, dict):
            line = text.count("\n", 0, position) + 1
            raise FileRefused(file_name, _("each record must be one JSON object"), line)
        records.append(record)


def _json_lines(text: str, file_name: str) -> list[dict]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FileRefused(
                file_name,
                _("this line is not valid JSON ({problem})").format(problem=exc.msg),
                number,
            ) from exc
        if not isinstance(record, dict):
            raise FileRefused(file_name, _("each line must be one JSON object"), number)
        records.append(record)
    return records


def _flatten_value(value: object) -> object:
    # A JSON string may spell controls as escapes (\u0000), which decode only now.
    if isinstance(value, list):
        return _clean_text("; ".join(str(v) for v in value if v is not None))
    if isinstance(value, dict):
        return _clean_text(json.dumps(value, ensure_ascii=False))
    return _clean_text(value)


# Sheet XML is scanned for the extent calamine would allocate (rows x columns of every cell it
# finds), which a 1.6 KB file can set to A1:XFD1048576: calamine then aborts the whole process
# asking for 512 GB. The <dimension ref> is read, and so are the row numbers and, cheaply, the
# cell references past column Z, because the dimension is only what the file claims.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_WIDE_CELL = re.compile(rb'r="([A-Z]{2,3})(\d+)"')
_FAR_CELL = re.compile(rb'r="[A-Z]{1,3}(\d{6,})"')
_CHUNK = 1024 * 1024
_OVERLAP = 64  # longer than any reference, so one split across two chunks is still seen


def check_unpacked_size(
    declared: int,
    packed: int,
    file_name: str,
    kind: str,
    limits: ImportLimits,
    cap_mb: int | None = None,
) -> None:
    """Refuse a ZIP (a workbook, an archive of exports) by what its members say they unpack
    to, before any is unpacked: over the limit in MB, or so many times its own size that only a
    damaged or hostile file (a zip bomb) would be."""
    cap_mb = limits.max_unzipped_mb if cap_mb is None else cap_mb
    # Whole sentences per kind, so that a language can decline "workbook" and "archive".
    if declared > cap_mb * MB:
        too_big = (
            _("the workbook unpacks to {size} MB; {limit} (in MB)")
            if kind == "workbook"
            else _("the archive unpacks to {size} MB; {limit} (in MB)")
        )
        raise FileRefused(
            file_name,
            too_big.format(
                size=i18n.number(round(declared / MB)),
                limit=limits.how_to_raise("max_unzipped_mb"),
            ),
        )
    if declared > MB and declared > limits.max_zip_ratio * packed:
        too_packed = (
            _(
                "the workbook unpacks to {ratio} times its size, which only a damaged or hostile "
                "file does; {limit}"
            )
            if kind == "workbook"
            else _(
                "the archive unpacks to {ratio} times its size, which only a damaged or hostile "
                "file does; {limit}"
            )
        )
        raise FileRefused(
            file_name,
            too_packed.format(
                ratio=i18n.number(declared // max(packed, 1)),
                limit=limits.how_to_raise("max_zip_ratio"),
            ),
        )


def check_workbook_archive(data: bytes, file_name: str, limits: ImportLimits) -> None:
    """Refuse a workbook that would not fit, before any of it is parsed: its members'
    decompressed size, their ratio to the file (zip bombs) and each sheet's extent."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # calamine refuses it with the usual message
    with archive:
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        check_unpacked_size(declared, len(data), file_name, "workbook", limits)
        for member in members:
            name = member.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_sheet_extent(archive, member, file_name, limits)


def _check_sheet_extent(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, file_name: str, limits: ImportLimits
) -> None:
    last_row = last_column = 0
    tail = b""
    try:
        # zipfile never returns more than the declared size, and checks the CRC at the end,
        # so a member that lies about its size is refused as damaged, not unpacked.
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if not tail and (dimension := _DIMENSION.search(window)):
                    start_col, start_row, end_col, end_row = dimension.groups()
                    last_row = max(last_row, int(end_row or start_row or 0))
                    last_column = max(last_column, _column_number(end_col or start_col or b""))
                for match in _ROW_NUMBER.finditer(window):
                    last_row = max(last_row, int(match.group(1)))
                for match in _FAR_CELL.finditer(window):
                    last_row = max(last_row, int(match.group(1)))
                for match in _WIDE_CELL.finditer(window):
                    last_column = max(last_column, _column_number(match.group(1)))
                    last_row = max(last_row, int(match.group(2)))
                _check_extent(last_row, last_column, member.filename, file_name, limits)
                tail = chunk[-_OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FileRefused(
            file_name,
            _("the Excel workbook is damaged or incomplete and cannot be read; export it again"),
        ) from exc


def _check_extent(
    rows: int, columns: int, member: str, file_name: str, limits: ImportLimits
) -> None:
    sheet = PurePath(member).stem
    if rows * columns > limits.max_cells:
        raise FileRefused(
            file_name,
            _("{sheet} spans {rows} rows by {columns} columns ({cells} cells); {limit}").format(
                sheet=i18n.isolate(sheet),
                rows=i18n.number(rows),
                columns=i18n.number(columns),
                cells=i18n.number(rows * columns),
                limit=limits.how_to_raise("max_cells"),
            ),
        )
    if rows > limits.max_rows:
        raise FileRefused(
            file_name,
            _("{sheet} reaches row {row}; {limit}").format(
                sheet=i18n.isolate(sheet),
                row=i18n.number(rows),
                limit=limits.how_to_raise("max_rows"),
            ),
        )
    if columns > limits.max_columns:
        raise FileRefused(
            file_name,
            _("{sheet} reaches column {column}; {limit}").format(
                sheet=i18n.isolate(sheet),
                column=i18n.number(columns),
                limit=limits.how_to_raise("max_columns"),
            ),
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


# Batch imports: thousands of small JSON pages of one export. Reading each page into its own
# table costs a few milliseconds of pandas per page, most of a batch's time; the pages are
# parsed and checked one by one (so a refusal names the page and line) and tabled together.


@dataclass
class JsonPage:
    """One JSON export's records, parsed and checked, not yet in a table."""

    file_name: str
    records: list[dict]
    columns: frozenset[str]  # the key paths, to put pages of the same columns together
    encoding: str
    lines: bool


def read_json_page(data: bytes, file_name: str, limits: ImportLimits) -> JsonPage | None:
    """The records of a JSON export, checked as `read_export` checks them; None when the file
    is not JSON (a workbook or a delimited text, for `read_export`)."""
    check_file_size(len(data), file_name, limits)
    if not data.strip():
        raise EmptyFile(file_name, _("the file is empty"))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return None
    suffix = PurePath(file_name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return None
    text, encoding = decode_text(data, file_name)
    text = _STRAY_CONTROLS.sub("", text)
    if suffix not in JSON_SUFFIXES and text.lstrip()[:1] not in ("[", "{"):
        return None
    lines = suffix in {".jsonl", ".ndjson"}
    records, columns = _json_records(text, file_name, lines, limits)
    return JsonPage(file_name, records, columns, encoding, lines)


@dataclass
class TableOfFiles:
    """Several files' rows in one table. The table's index is the row's position among all the
    files' rows (so `row_number` gives that position + 1); `owner` and `file_row`, indexed by
    the same position, give the file (its place in `file_names`) and its row in that file."""

    table: RawTable
    file_names: list[str]
    owner: Any  # numpy array of int
    file_row: Any  # numpy array of int


def json_pages_table(pages: list[JsonPage], limits: ImportLimits) -> TableOfFiles:
    """Pages of the same columns in one table, as `read_export` would read each, blank
    records left out: one `json_normalize` for all of them."""
    counts = [len(page.records) for page in pages]
    owner = np.repeat(np.arange(len(pages)), counts)
    file_row = np.concatenate([np.arange(1, count + 1) for count in counts])
    records = [record for page in pages for record in page.records]
    names = [page.file_name for page in pages]
    table = _records_table(records, pages[0].file_name)
    table.kind = "jsonl" if pages[0].lines else "json"
    table.encoding = pages[0].encoding
    _check_cell_lengths(table, limits, names, owner, file_row)
    return TableOfFiles(table, names, owner, file_row)


def tables_of_files(tables: list[RawTable], limits: ImportLimits) -> TableOfFiles:
    """Tables read one by one, of the same headers, in one table."""
    owner = np.repeat(np.arange(len(tables)), [len(t.frame) for t in tables])
    file_row = np.concatenate([np.asarray(t.row_number(t.frame.index.to_numpy())) for t in tables])
    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    first = tables[0]
    table = RawTable(
        file_name=first.file_name,
        frame=frame,
        kind=first.kind,
        encoding=first.encoding,
        delimiter=first.delimiter,
        sheet=first.sheet,
        sheets=first.sheets,
    )
    return TableOfFiles(table, [t.file_name for t in tables], owner, file_row)


def _check_cell_lengths(
    table: RawTable, limits: ImportLimits, names: list[str], owner: Any, file_row: Any
) -> None:
    for position in range(table.frame.shape[1]):
        lengths = _text_lengths(table.frame.iloc[:, position])
        if lengths.empty or lengths.max() <= limits.max_cell_chars:
            continue
        index = lengths.idxmax()
        raise FileRefused(
            names[owner[index]],
            _long_value(table.headers[position], int(lengths.max()), limits),
            int(file_row[index]),
        )


class NotInParts(Exception):
    """This export cannot be read in parts with the same result as read whole (not UTF-8
    delimited text, a column only a whole read can drop, a row the fast reader refuses): the
    caller reads it whole, which gives the same table, or refuses it with the reason."""


# How much of the file decides its encoding, delimiter and header before it is read in parts.
HEAD_BYTES = 1024 * 1024
_STRAY_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DelimitedParts:
    """A large UTF-8 delimited export read part by part, each part a `RawTable` of up to
    `part_rows` rows that is exactly the rows `read_export` reads for that stretch of the file
    (same headers, same row numbers, blank rows left out, stray controls removed). Every pass
    reads the file again and hashes it, so a file changed between passes is noticed."""

    def __init__(
        self, path: Path, limits: ImportLimits, part_rows: int, file_name: str | None = None
    ) -> None:
        self.path, self.limits, self.part_rows = path, limits, part_rows
        self.file_name = file_name or path.name
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", *_UTF32_BOMS, *_UTF16_BOMS)):
            raise NotInParts("not UTF-8 text")
        suffix = PurePath(self.file_name).suffix.lower()
        if suffix in EXCEL_SUFFIXES | JSON_SUFFIXES or _unmarked_wide_encoding(head):
            raise NotInParts("not delimited UTF-8 text")
        self.encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        # Cut at a line end: a newline byte is never inside a UTF-8 sequence.
        whole_lines = head[: head.rfind(b"\n") + 1] or head
        try:
            text = whole_lines.decode(self.encoding)
        except UnicodeDecodeError as exc:
            raise NotInParts("not UTF-8 text") from exc
        if len(_CONTROL.findall(text[:SNIFF_CHARS])) > 0.01 * min(len(text), SNIFF_CHARS) + 1:
            raise NotInParts("binary data")  # which the whole read refuses, saying so
        text = _STRAY_CONTROLS.sub("", text)
        if not text.strip() or text.lstrip()[:1] in ("[", "{"):
            raise NotInParts("empty, or JSON")
        self.delimiter = sniff_delimiter(text)
        _check_header_width(text, self.delimiter, self.file_name, self.limits)
        self.file_size = path.stat().st_size
        self.first, self.first_data_row = self._head_table()
        self.content_hash = ""
        self._handle: BinaryIO | None = None

    @property
    def share_read(self) -> float:
        """How much of the file the pass under way has read (for a progress bar)."""
        if self._handle is None or self._handle.closed or not self.file_size:
            return 1.0
        return min(1.0, self._handle.tell() / self.file_size)

    def _head_table(self) -> tuple[RawTable, int]:
        """The first part as read whole would read it, and the file row its data starts at."""
        grid = next(iter(self._grids()))
        try:
            table = _from_grid(grid, self.file_name)
        except EmptyFile as exc:
            raise NotInParts("no data in the first part") from exc
        if table.dropped_empty_columns:
            # An unnamed column blank here may hold values further down: only the whole file
            # says whether it is dropped.
            raise NotInParts("an unnamed column")
        table.kind, table.delimiter, table.encoding = "delimited", self.delimiter, self.encoding
        return table, int(table.frame.index[0])

    def parts(self) -> Iterator[RawTable]:
        """Each part in the file's order; `content_hash` is the file's once the last is read."""
        digest = hashlib.sha256()
        rows = 0
        for grid in self._grids(digest):
            frame = grid.loc[grid.index >= self.first_data_row]
            if frame.empty:
                continue
            frame.columns = self.first.headers
            frame = frame.loc[~blank_mask(frame).all(axis=1).to_numpy()]
            if frame.empty:
                continue
            rows += len(frame)
            _check_rows(rows, self.file_name, self.limits)
            part = replace(self.first, frame=frame)
            _check_table(part, self.limits)
            yield part
        self.content_hash = digest.hexdigest()

    def _grids(self, digest: Any = None) -> Iterator[pd.DataFrame]:
        """The file's records, `part_rows` at a time, as `_read_delimited` parses them."""
        with self.path.open("rb") as handle:
            self._handle = handle
            stream = _CleanedStream(handle, digest)
            try:
                yield from pd.read_csv(
                    stream,
                    encoding=self.encoding,
                    sep=self.delimiter,
                    header=None,
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    skip_blank_lines=False,
                    engine="c",
                    chunksize=self.part_rows,
                )
            except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
                # The whole read names the line, reads what only the strict reader accepts, or
                # finds the header below blank lines.
                raise NotInParts(str(exc)) from exc


class _CleanedStream(io.RawIOBase):
    """A file's bytes, hashed as read, with the stray control characters `read_export` removes
    from the text removed (each is one byte in UTF-8, never part of another character)."""

    def __init__(self, handle: BinaryIO, digest: Any = None) -> None:
        self.handle, self.digest = handle, digest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while True:
            block = self.handle.read(size)
            if self.digest is not None:
                self.digest.update(block)
            cleaned = _STRAY_CONTROL_BYTES.sub(b"", block)
            # An empty read means the end: a block of nothing but controls is read past.
            if cleaned or not block:
                return cleaned

    def readinto(self, buffer: Any) -> int:
        block = self.read(len(buffer))
        buffer[: len(block)] = block
        return len(block)
