"""Reading an export's bytes into a table of raw values, whatever the platform wrote.

Everything here is about the container: encoding, delimiter, workbook sheet, JSON layout. The
values stay as the export wrote them (strings, or typed cells from Excel); giving them meaning is
`normalise`'s job. A file that cannot be read raises `FileRefused` with a sentence a
non-programmer can act on, naming the line where there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import charset_normalizer
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 64 * 1024
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class FileRefused(Exception):
    """The file cannot be imported as it is; nothing was written."""

    def __init__(self, file_name: str, reason: str, line: int | None = None) -> None:
        self.file_name = file_name
        self.reason = reason
        self.line = line
        where = f", line {line}" if line else ""
        super().__init__(f"{file_name}{where}: {reason}")


@dataclass
class RawTable:
    """An export as read: one column per header, values as written."""

    file_name: str
    frame: pd.DataFrame
    kind: str  # "delimited", "excel", "json", "jsonl"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    dropped_empty_columns: list[int] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return list(self.frame.columns)

    def row_number(self, index: int) -> int:
        """The row as a spreadsheet shows it: the header is row 1, the first record row 2."""
        return index + 2


def read_export(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    suffix = PurePath(file_name).suffix.lower()
    if not data.strip():
        raise FileRefused(file_name, "the file is empty")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_workbook(data, file_name, sheet)
    if suffix in EXCEL_SUFFIXES:
        raise FileRefused(file_name, f"the file is named {suffix} but is not an Excel workbook")
    text, encoding = decode_text(data, file_name)
    stripped = text.lstrip()
    if suffix in JSON_SUFFIXES or stripped[:1] in ("[", "{"):
        table = _read_json(text, file_name, lines=suffix in {".jsonl", ".ndjson"})
    else:
        table = _read_delimited(text, file_name)
    table.encoding = encoding
    return table


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Text and the name of its encoding: a BOM if there is one, else UTF-8, else a guess."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8-sig", file_name), "utf-8-sig"
    if data.startswith(_UTF16_BOMS):
        return _decode(data, "utf-16", file_name), "utf-16"
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data[: 4 * SNIFF_CHARS]).best()
        if best is None or b"\x00" in data:
            raise FileRefused(
                file_name,
                "this does not look like a text export (it may be a binary file, or a "
                "spreadsheet saved under another name); export it again as CSV or XLSX",
            ) from None
        encoding = best.encoding
        text = _decode(data, encoding, file_name)
    if len(_CONTROL.findall(text[:SNIFF_CHARS])) > 0.01 * min(len(text), SNIFF_CHARS) + 1:
        raise FileRefused(
            file_name,
            "this does not look like a text export: it holds binary data; export it again "
            "as CSV or XLSX",
        )
    return text, encoding


def _decode(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            file_name, f"the text is not valid {encoding} (undecodable byte)", line
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


def _read_delimited(text: str, file_name: str) -> RawTable:
    delimiter = sniff_delimiter(text)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise _locate_csv_problem(text, delimiter, file_name) from exc
    except pd.errors.EmptyDataError as exc:
        raise FileRefused(file_name, "the file is empty") from exc
    headers = [str(h).strip() for h in grid.iloc[0].tolist()]
    frame = grid.iloc[1:].reset_index(drop=True)
    table = _with_headers(frame, headers, file_name)
    table.kind, table.delimiter = "delimited", delimiter
    return table


def _locate_csv_problem(text: str, delimiter: str, file_name: str) -> FileRefused:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    width = None
    record_start = 1
    try:
        for row in reader:
            if width is None:
                width = len(row)
            elif row and len(row) > width:
                return FileRefused(
                    file_name,
                    f"this row has {len(row)} fields but the header has {width}; a delimiter "
                    "inside a value may be missing its quotes",
                    record_start,
                )
            record_start = reader.line_num + 1
    except csv.Error:
        return FileRefused(
            file_name,
            "a quoted value that starts on this line never closes (a missing '\"'); the "
            "export is probably cut short or damaged",
            record_start,
        )
    return FileRefused(file_name, "the file could not be read as delimited text")


def _with_headers(frame: pd.DataFrame, headers: list[str], file_name: str) -> RawTable:
    if frame.empty:
        raise FileRefused(file_name, "the file has a header row but no data rows")
    # Spreadsheets often leave unnamed, empty columns at the right; they carry nothing.
    blank = blank_mask(frame)
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
                f"columns {seen[key]} and {position + 1} are both headed {header!r}; rename "
                "one of them so each column can be told apart",
                1,
            )
        seen[key] = position + 1
    frame.columns = headers
    frame = frame.loc[~blank.iloc[:, keep].all(axis=1).to_numpy()]
    if frame.empty:
        raise FileRefused(file_name, "the file has a header row but every data row is empty")
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
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return isinstance(value, str) and not value.strip()


def _read_workbook(data: bytes, file_name: str, sheet: str | None) -> RawTable:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, Exception) as exc:  # calamine raises several error types
        if data.startswith(b"PK") and not _zip_has(data, "xl/workbook.xml"):
            reason = "the file is a ZIP archive but not an Excel workbook"
        else:
            reason = "the Excel workbook is damaged or protected and cannot be read"
        raise FileRefused(file_name, reason) from exc
    names = tuple(workbook.sheet_names)
    if sheet is not None and sheet not in names:
        raise FileRefused(
            file_name, f"the workbook has no sheet {sheet!r}; its sheets are {', '.join(names)}"
        )
    chosen = sheet or names[0]
    rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=True)
    rows = [row for row in rows if not all(_is_blank(v) for v in row)]
    if not rows:
        raise FileRefused(file_name, f"sheet {chosen!r} is empty")
    width = max(len(row) for row in rows)
    grid = [list(row) + [""] * (width - len(row)) for row in rows]
    headers = [_header_text(h) for h in grid[0]]
    frame = pd.DataFrame(grid[1:], dtype=object)
    if frame.empty:
        raise FileRefused(file_name, f"sheet {chosen!r} has a header row but no data rows")
    table = _with_headers(frame, headers, file_name)
    table.kind, table.sheet, table.sheets = "excel", chosen, names
    return table


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if _is_blank(value) else str(value).strip()


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _read_json(text: str, file_name: str, lines: bool) -> RawTable:
    records = _json_lines(text, file_name) if lines else _json_document(text, file_name)
    if not records:
        raise FileRefused(file_name, "the JSON holds no records")
    frame = pd.json_normalize(records, sep="/")
    for column in frame.columns:
        frame[column] = frame[column].map(_flatten_value)
    headers = [str(c).strip() for c in frame.columns]
    frame.columns = range(len(headers))
    table = _with_headers(frame.astype(object), headers, file_name)
    table.kind = "jsonl" if lines else "json"
    return table


def _json_document(text: str, file_name: str) -> list[dict]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if "Extra data" in exc.msg:
            return _json_lines(text, file_name)
        raise FileRefused(file_name, f"the JSON is not valid ({exc.msg})", exc.lineno) from exc
    if isinstance(document, dict):
        # API exports wrap the records: {"count": 3, "results": [...]}.
        lists = [v for v in document.values() if isinstance(v, list)]
        if len(lists) == 1:
            document = lists[0]
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise FileRefused(
            file_name,
            "the JSON is not a list of records: expected [{...}, {...}] with one object per "
            "respondent or answer",
        )
    return document


def _json_lines(text: str, file_name: str) -> list[dict]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FileRefused(
                file_name, f"this line is not valid JSON ({exc.msg})", number
            ) from exc
        if not isinstance(record, dict):
            raise FileRefused(file_name, "each line must be one JSON object", number)
        records.append(record)
    return records


def _flatten_value(value: object) -> object:
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
