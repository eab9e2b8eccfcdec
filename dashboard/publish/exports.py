"""Files for report writers: tables as CSV and XLSX, charts with a caption, safe to open.

Answers come from the public and are untrusted: a cell that begins with `=`, `+`, `-`, `@`, a
tab or a carriage return could run as a formula in Excel or LibreOffice. Every text cell is
written so that it stays text (CSV: a leading apostrophe; XLSX: a text cell with Excel's
quote-prefix, and no string is ever turned into a formula or a link).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pandas as pd
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A text value that could start a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, footer: Sequence[str] = ()) -> bytes:
    """UTF-8 with a BOM (so Excel reads Arabic, Chinese and Cyrillic right), the table, then a
    blank row and the footer lines (source, filters, definitions, date)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defuse(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_cell_text(v) for v in row])
    if footer:
        writer.writerow([])
        for line in footer:
            writer.writerow([defuse(line)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell_text(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return defuse(value) if isinstance(value, str) else value


def xlsx_bytes(frame: pd.DataFrame, footer: Sequence[str] = (), sheet: str = "Data") -> bytes:
    """One sheet: the table from A1 (header in bold), a blank row, then the footer lines."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    sheet_ = book.add_worksheet(_sheet_name(sheet))
    bold = book.add_format({"bold": True})
    text = book.add_format({"quote_prefix": True, "text_wrap": False})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for column, name in enumerate(frame.columns):
        sheet_.write_string(0, column, str(name), bold)
        sheet_.set_column(column, column, min(60, max(10, len(str(name)) + 2)))
    for row_number, row in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(row):
            _write_cell(sheet_, row_number, column, value, text, when)
    start = len(frame) + 2
    for offset, line in enumerate(footer):
        sheet_.write_string(start + offset, 0, line, text)
    book.close()
    return out.getvalue()


def _write_cell(sheet, row: int, column: int, value: object, text, when) -> None:
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        sheet.write_blank(row, column, None)
    elif isinstance(value, str):
        sheet.write_string(row, column, value, text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, pd.Timestamp):
        sheet.write_datetime(row, column, value.tz_localize(None).to_pydatetime(), when)
    elif hasattr(value, "item"):  # numpy scalars
        _write_cell(sheet, row, column, value.item(), text, when)
    else:
        sheet.write_string(row, column, str(value), text)


def _sheet_name(name: str) -> str:
    cleaned = "".join(c for c in name if c not in "[]:*?/\\")
    return cleaned[:31] or "Data"
