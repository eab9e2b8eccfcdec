"""Reading an export's bytes: encodings, delimiters, workbooks and JSON layouts.

Every input is built here from bytes (or with openpyxl) in `tmp_path`; no fixture files.
"""

from __future__ import annotations

import codecs
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.importer.reading import FileRefused, decode_text, read_export, sniff_delimiter

# French, Arabic, Chinese and Russian text, one respondent each, with a quoted comma.
MULTILINGUAL = (
    "id,country,answer\n"
    '1,Côte d\'Ivoire,"société civile, ONG"\n'
    "2,مصر,المجتمع المدني\n"
    "3,中国,公民社会\n"
    "4,Россия,гражданское общество\n"
)
MULTILINGUAL_ROWS = [
    ["1", "Côte d'Ivoire", "société civile, ONG"],
    ["2", "مصر", "المجتمع المدني"],
    ["3", "中国", "公民社会"],
    ["4", "Россия", "гражданское общество"],
]
CP1252_FAMILY = {"cp1252", "windows-1252", "latin_1", "latin-1", "iso8859_1", "iso8859_15"}


def _read(tmp_path: Path, name: str, data: bytes, sheet: str | None = None):
    """Write the bytes to a file and read them back as the importer does."""
    path = tmp_path / name
    path.write_bytes(data)
    return read_export(path.read_bytes(), path.name, sheet=sheet)


def _workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- encodings -----------------------------------------------------------------------------


ENCODED = [
    pytest.param(MULTILINGUAL.encode("utf-8"), "utf-8", id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + MULTILINGUAL.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
    pytest.param(
        codecs.BOM_UTF16_LE + MULTILINGUAL.encode("utf-16-le"), "utf-16", id="utf-16-le-bom"
    ),
    pytest.param(
        codecs.BOM_UTF16_BE + MULTILINGUAL.encode("utf-16-be"), "utf-16", id="utf-16-be-bom"
    ),
]


@pytest.mark.parametrize(("data", "encoding"), ENCODED)
def test_unicode_encodings_give_the_same_frame(tmp_path: Path, data: bytes, encoding: str):
    table = _read(tmp_path, "multilingual.csv", data)
    expected = pd.DataFrame(MULTILINGUAL_ROWS, columns=["id", "country", "answer"])
    assert table.encoding == encoding
    assert table.kind == "delimited"
    assert table.delimiter == ","
    # No BOM left in the first header, whatever the encoding.
    assert table.headers == ["id", "country", "answer"]
    pd.testing.assert_frame_equal(table.frame.reset_index(drop=True), expected, check_dtype=False)


@pytest.mark.parametrize(("data", "encoding"), ENCODED)
def test_decode_text_reports_the_encoding(data: bytes, encoding: str):
    text, reported = decode_text(data, "multilingual.csv")
    assert reported == encoding
    assert text.lstrip("\ufeff") == MULTILINGUAL
    assert not text.startswith("\ufeff")


def test_cp1252_french_values_survive(tmp_path: Path):
    data = "id,pays,texte\n1,Côte d'Ivoire,société\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    table = _read(tmp_path, "fr.csv", data)
    assert table.frame.iloc[0].tolist() == ["1", "Côte d'Ivoire", "société"]
    assert table.encoding is not None and table.encoding != "utf-8"


@pytest.mark.parametrize(
    "text",
    [
        "id,pays,texte\n1,Côte d'Ivoire,société\n",
        "Identifiant;Pays;Réponse\n"
        "1;Côte d'Ivoire;La société civile doit être entendue à tous les niveaux.\n"
        "2;Sénégal;Très bien, merci, à suivre.\n"
        "3;France;Élèves, enseignants et collectivités.\n",
    ],
    ids=["short", "sentences"],
)
def test_cp1252_french_reported_as_cp1252_family(tmp_path: Path, text: str):
    table = _read(tmp_path, "fr.csv", text.encode("cp1252"))
    assert table.encoding in CP1252_FAMILY


def test_cp1252_french_accents_outside_latin2_survive(tmp_path: Path):
    text = (
        "Identifiant;Pays;Réponse\n"
        "1;Côte d'Ivoire;La société civile doit être entendue à tous les niveaux.\n"
        "2;Sénégal;Très bien, merci, à suivre.\n"
        "3;France;Élèves, enseignants et collectivités.\n"
    )
    table = _read(tmp_path, "fr.csv", text.encode("cp1252"))
    assert table.frame["Réponse"].tolist() == [
        "La société civile doit être entendue à tous les niveaux.",
        "Très bien, merci, à suivre.",
        "Élèves, enseignants et collectivités.",
    ]


def test_cp1252_spanish_is_read(tmp_path: Path):
    text = 'id,país,respuesta\n1,España,¿Qué opina? Año\n2,México,"Sí, más diálogo"\n'
    table = _read(tmp_path, "es.csv", text.encode("cp1252"))
    assert table.headers == ["id", "país", "respuesta"]
    assert table.frame["respuesta"].tolist() == ["¿Qué opina? Año", "Sí, más diálogo"]


def test_decode_text_refuses_control_characters():
    data = b"id,answer\n" + b"1,\x01\x02\x03\x04\x05\x06\x07\x08\n" * 20
    with pytest.raises(FileRefused, match="binary data") as refused:
        decode_text(data, "controls.csv")
    assert refused.value.file_name == "controls.csv"


# --- delimiters and CSV layout --------------------------------------------------------------


@pytest.mark.parametrize(
    "delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"]
)
def test_delimiters_detected_with_others_quoted(tmp_path: Path, delimiter: str):
    others = "".join(d for d in ",;\t|" if d != delimiter)
    d = delimiter
    text = (
        f"id{d}name{d}note\r\n"
        f'1{d}"a{others}b"{d}"x{others}"\r\n'
        f'2{d}plain{d}"y{others}{others}z"\r\n'
        f"3{d}three{d}last\r\n"
    )
    assert sniff_delimiter(text) == delimiter
    table = _read(tmp_path, "delimited.csv", text.encode())
    assert table.delimiter == delimiter
    assert table.headers == ["id", "name", "note"]
    assert table.frame.values.tolist() == [
        ["1", f"a{others}b", f"x{others}"],
        ["2", "plain", f"y{others}{others}z"],
        ["3", "three", "last"],
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b|c|d\n1|2|3|4\n", "|"),
        ("a,b\n1,2\n", ","),
        # French prose with commas in a semicolon file: the comma splits rows irregularly.
        ("id;texte\n1;oui, bien sûr, merci\n2;non\n3;peut-être, oui\n", ";"),
        # A header that is one column: the default.
        ("answer\nyes\nno\n", ","),
    ],
)
def test_sniff_delimiter(text: str, expected: str):
    assert sniff_delimiter(text) == expected


@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_quoted_newlines_stay_in_one_cell(tmp_path: Path, newline: str):
    n = newline
    text = f'id,answer,other{n}1,"line one{n}line two{n}line three",x{n}2,"a{n}b",y{n}3,c,z{n}'
    table = _read(tmp_path, "newlines.csv", text.encode())
    assert len(table.frame) == 3
    assert table.frame["answer"].tolist() == [f"line one{n}line two{n}line three", f"a{n}b", "c"]
    assert table.frame["other"].tolist() == ["x", "y", "z"]


def test_header_whitespace_is_trimmed(tmp_path: Path):
    table = _read(tmp_path, "spaces.csv", b" id ,  answer\t ,\tother \n1,a,b\n")
    assert table.headers == ["id", "answer", "other"]
    assert table.frame.values.tolist() == [["1", "a", "b"]]


def test_blank_data_rows_are_dropped(tmp_path: Path):
    data = b"id,answer\n1,a\n,\n  ,  \n\n\t,\n2,b\n"
    table = _read(tmp_path, "blanks.csv", data)
    assert table.frame["id"].tolist() == ["1", "2"]
    assert table.frame["answer"].tolist() == ["a", "b"]


def test_unnamed_empty_trailing_columns_are_dropped(tmp_path: Path):
    table = _read(tmp_path, "trailing.csv", b"id,answer,,\n1,a,,\n2,b, ,\n")
    assert table.headers == ["id", "answer"]
    assert table.dropped_empty_columns == [3, 4]
    assert table.frame.values.tolist() == [["1", "a"], ["2", "b"]]


def test_unnamed_column_with_values_is_kept(tmp_path: Path):
    table = _read(tmp_path, "unnamed.csv", b"id,answer,\n1,a,\n2,b,zz\n")
    assert table.headers == ["id", "answer", "Column 3"]
    assert table.frame["Column 3"].tolist() == ["", "zz"]
    assert table.dropped_empty_columns == []


def test_values_are_kept_as_written(tmp_path: Path):
    table = _read(tmp_path, "raw.csv", b"id,n,na,date\n007,5.0,NA,13/01/2020\n")
    assert table.frame.iloc[0].tolist() == ["007", "5.0", "NA", "13/01/2020"]


def test_row_numbers_count_empty_csv_lines(tmp_path: Path):
    # Line 1 header, 2 R1, 3 empty, 4 R2, 5 blank cells, 6 R3: as a spreadsheet shows them.
    table = _read(tmp_path, "gaps.csv", b"id,q1\nR1,a\n\nR2,b\n,\nR3,c\n")
    assert table.frame["id"].tolist() == ["R1", "R2", "R3"]
    assert [table.row_number(i) for i in table.frame.index] == [2, 4, 6]


def test_row_numbers_count_blank_sheet_rows(tmp_path: Path):
    rows = [["id", "q1"], ["R1", "a"], [None, None], ["R2", "b"], ["", " "], ["R3", "c"]]
    table = _read(tmp_path, "gaps.xlsx", _workbook_bytes({"Data": rows}))
    assert table.frame["id"].tolist() == ["R1", "R2", "R3"]
    assert [table.row_number(i) for i in table.frame.index] == [2, 4, 6]


def test_row_numbers_after_a_multiline_record(tmp_path: Path):
    # A quoted newline is one spreadsheet row: R2 is row 3 although it is on line 4.
    table = _read(tmp_path, "multi.csv", b'id,q1\r\nR1,"a\r\nb"\r\nR2,b\r\n')
    assert [table.row_number(i) for i in table.frame.index] == [2, 3]


# --- workbooks ------------------------------------------------------------------------------


WHEN = datetime(2020, 1, 13, 9, 15, 2)
SHEETS = {
    "First": [
        ["id", "when", "score", "day", "text"],
        ["A1", WHEN, 5, date(2020, 1, 14), "bonjour"],
        ["A2", datetime(2020, 1, 14, 10, 0), 2.5, date(2020, 1, 15), "مرحبا"],
    ],
    "Ответы": [["Идентификатор", "Ответ"], ["R1", "да"], ["R2", "нет"]],
}


def test_workbook_first_sheet_by_default(tmp_path: Path):
    table = _read(tmp_path, "book.xlsx", _workbook_bytes(SHEETS))
    assert table.kind == "excel"
    assert table.sheet == "First"
    assert table.sheets == ("First", "Ответы")
    assert table.encoding is None and table.delimiter is None
    assert table.headers == ["id", "when", "score", "day", "text"]
    assert table.frame["id"].tolist() == ["A1", "A2"]
    assert table.frame["text"].tolist() == ["bonjour", "مرحبا"]


def test_workbook_cells_keep_their_types(tmp_path: Path):
    table = _read(tmp_path, "book.xlsx", _workbook_bytes(SHEETS))
    when = table.frame["when"].tolist()
    assert all(isinstance(value, datetime) for value in when)
    assert when == [WHEN, datetime(2020, 1, 14, 10, 0)]
    days = table.frame["day"].tolist()
    assert all(isinstance(value, date) for value in days)
    assert [(d.year, d.month, d.day) for d in days] == [(2020, 1, 14), (2020, 1, 15)]
    scores = table.frame["score"].tolist()
    assert all(isinstance(value, int | float) and not isinstance(value, bool) for value in scores)
    assert scores == [5, 2.5]


def test_workbook_named_sheet(tmp_path: Path):
    table = _read(tmp_path, "book.xlsx", _workbook_bytes(SHEETS), sheet="Ответы")
    assert table.sheet == "Ответы"
    assert table.headers == ["Идентификатор", "Ответ"]
    assert table.frame.values.tolist() == [["R1", "да"], ["R2", "нет"]]


def test_workbook_unknown_sheet_is_refused_with_the_sheet_names(tmp_path: Path):
    with pytest.raises(FileRefused) as refused:
        _read(tmp_path, "book.xlsx", _workbook_bytes(SHEETS), sheet="Responses")
    message = str(refused.value)
    assert refused.value.file_name == "book.xlsx"
    assert "'Responses'" in message
    assert "First" in message and "Ответы" in message


def test_workbook_recognised_whatever_its_name(tmp_path: Path):
    table = _read(tmp_path, "renamed.csv", _workbook_bytes(SHEETS))
    assert table.kind == "excel"
    assert table.frame["id"].tolist() == ["A1", "A2"]


def test_workbook_numeric_headers_and_trailing_blank_columns(tmp_path: Path):
    rows = [["id", 2020, None], ["A1", "x", None], ["A2", "y", ""]]
    table = _read(tmp_path, "book.xlsx", _workbook_bytes({"Data": rows}))
    assert table.headers == ["id", "2020"]
    assert table.frame.values.tolist() == [["A1", "x"], ["A2", "y"]]


# --- JSON -----------------------------------------------------------------------------------


RECORDS = [{"id": "1", "q1": "a"}, {"id": "2", "q1": "b"}]


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        pytest.param("list.json", json.dumps(RECORDS).encode(), "json", id="list"),
        pytest.param(
            "api.json",
            json.dumps({"count": 2, "next": None, "results": RECORDS}).encode(),
            "json",
            id="results",
        ),
        pytest.param(
            "lines.jsonl",
            b"".join(json.dumps(r).encode() + b"\n" for r in RECORDS),
            "jsonl",
            id="jsonl",
        ),
        pytest.param(
            "lines.ndjson",
            b"\n".join(json.dumps(r).encode() for r in RECORDS) + b"\n\n",
            "jsonl",
            id="ndjson-blank-line",
        ),
        pytest.param(
            "concatenated.json",
            b"\n".join(json.dumps(r).encode() for r in RECORDS),
            "json",
            id="concatenated-one-per-line",
        ),
        pytest.param(
            "concatenated.json",
            b"".join(json.dumps(r).encode() for r in RECORDS),
            "json",
            id="concatenated-same-line",
        ),
        pytest.param(
            "concatenated.json",
            b"\n".join(json.dumps(r, indent=2).encode() for r in RECORDS),
            "json",
            id="concatenated-pretty",
        ),
        pytest.param(
            "records.txt",
            json.dumps(RECORDS, indent=2).encode(),
            "json",
            id="json-by-content",
        ),
    ],
)
def test_json_layouts(tmp_path: Path, name: str, data: bytes, kind: str):
    table = _read(tmp_path, name, data)
    assert table.kind == kind
    assert table.encoding == "utf-8"
    assert table.headers == ["id", "q1"]
    assert table.frame.values.tolist() == [["1", "a"], ["2", "b"]]


def test_json_nested_objects_flattened_kobo_style(tmp_path: Path):
    records = [
        {
            "_uuid": "u1",
            "group": {"q1": "x", "inner": {"q2": "y"}},
            "tags": ["a", "b", "c"],
            "n": 3,
        },
        {"_uuid": "u2", "group": {"q1": "z", "inner": {"q2": "w"}}, "tags": ["d"], "n": 4},
    ]
    table = _read(tmp_path, "kobo.json", json.dumps(records).encode())
    assert set(table.headers) == {"_uuid", "group/q1", "group/inner/q2", "tags", "n"}
    frame = table.frame.set_index("_uuid")
    assert frame.loc["u1", "group/q1"] == "x"
    assert frame.loc["u2", "group/inner/q2"] == "w"
    assert frame["tags"].tolist() == ["a; b; c", "d"]
    assert frame["n"].tolist() == [3, 4]


def test_json_keeps_unicode_and_missing_keys(tmp_path: Path):
    records = [{"id": "1", "answer": "公民社会"}, {"id": "2", "country": "Россия"}]
    table = _read(tmp_path, "sparse.json", json.dumps(records, ensure_ascii=False).encode())
    assert set(table.headers) == {"id", "answer", "country"}
    frame = table.frame.set_index("id")
    assert frame.loc["1", "answer"] == "公民社会"
    assert frame.loc["2", "country"] == "Россия"
    assert pd.isna(frame.loc["2", "answer"])


def test_json_with_bom_is_read(tmp_path: Path):
    data = codecs.BOM_UTF8 + json.dumps(RECORDS).encode()
    table = _read(tmp_path, "bom.json", data)
    assert table.encoding == "utf-8-sig"
    assert table.frame["id"].tolist() == ["1", "2"]


def test_blank_lines_above_the_header_are_skipped_and_rows_keep_their_numbers() -> None:
    # The fast reader took its width from the first line: a file starting with blank lines was
    # refused as empty.
    table = read_export(b"\n\r\n\nQuestion,Answer\nQ1,Yes\n\nQ2,No\n", "export.csv")
    assert table.headers == ["Question", "Answer"]
    assert table.frame.values.tolist() == [["Q1", "Yes"], ["Q2", "No"]]
    assert [table.row_number(i) for i in table.frame.index] == [5, 7]
