"""Files that cannot be imported are refused through the CLI, and the store stays as it was.

The issue: "A file that cannot be read (empty, not the format its name claims, a quote that
never closes) is refused with a message naming the file and, where there is one, the line; the
store is unchanged and the exit status is non-zero."
"""

from __future__ import annotations

import gc
import io
import json
import random
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dashboard import cli
from dashboard.importer.reading import FileRefused, read_export
from dashboard.store import queries
from tests.conftest import SAMPLE_DIR, store_snapshot

CONSULTATION = "civic-space-2020"
GOOD_CSV = b"Respondent ID,Country,Language,Q1\nZZ-1,France,fr,Bonjour\nZZ-2,Mali,fr,Merci\n"


def _import(
    db: Path, *paths: Path | str, mapping: Path | None = None, consultation: str = CONSULTATION
) -> int:
    argv = ["import", "--consultation", consultation, "--db", str(db)]
    if mapping is not None:
        argv += ["--mapping", str(mapping)]
    return cli.main([*argv, *map(str, paths)])


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "these are notes, not a workbook\n")
    return buffer.getvalue()


def _png() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00"
        + bytes(range(256)) * 8
    )


def _random_bytes() -> bytes:
    data = random.Random(20200113).randbytes(4096)
    assert b"\x00" in data
    return data


def _table_count(db: Path, table: str, where: str = "true") -> int:
    connection = duckdb.connect(str(db), read_only=True)
    try:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
    finally:
        connection.close()


def _assert_refused(
    capsys: pytest.CaptureFixture[str],
    status: int,
    file_name: str | None,
    words: tuple[str, ...],
    line: int | None = None,
) -> str:
    out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in err and "Traceback" not in out
    assert err.startswith("error: ")
    if file_name is not None:
        assert file_name in err
    for word in words:
        assert word.casefold() in err.casefold(), f"{word!r} not in {err!r}"
    if line is not None:
        assert f"line {line}:" in err
    assert "loaded;" not in out  # no per-file success line
    return err


# (file name, bytes, words the message must hold, line it must name)
BAD_FILES = [
    pytest.param("empty.csv", b"", ("empty",), None, id="empty"),
    pytest.param("blank.csv", b"  \r\n\t \n \n", ("empty",), None, id="whitespace-only"),
    pytest.param("blank.json", b"\n\n", ("empty",), None, id="whitespace-only-json"),
    pytest.param("image.csv", _png(), ("not look like a text export",), None, id="png-as-csv"),
    pytest.param(
        "noise.csv", _random_bytes(), ("not look like a text export",), None, id="random-bytes"
    ),
    pytest.param(
        "archive.xlsx", _zip_of_text(), ("ZIP archive", "not an Excel"), None, id="zip-as-xlsx"
    ),
    pytest.param("archive.csv", _zip_of_text(), ("not an Excel",), None, id="zip-as-csv"),
    pytest.param(
        "text.xlsx", GOOD_CSV, ("named .xlsx", "not an Excel workbook"), None, id="text-as-xlsx"
    ),
    pytest.param(
        "truncated.xlsx",
        _workbook([["Respondent ID", "Q1"], ["R1", "a"]])[:1500],
        ("damaged or incomplete",),
        None,
        id="truncated-xlsx",
    ),
    pytest.param(
        "old.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024,
        ("damaged",),
        None,
        id="damaged-xls",
    ),
    pytest.param(
        "unclosed.csv",
        b'Respondent ID,Q1\nR1,ok\nR2,"never closes\nR3,more\nR4,x\n',
        ("never closes",),
        3,
        id="unclosed-quote",
    ),
    pytest.param(
        "unclosed-crlf.csv",
        b'Respondent ID,Q1,Q2\r\nR1,"two\r\nlines",x\r\nR2,y,z\r\nR3,w,"open\r\nR4,v,u\r\n',
        ("never closes",),
        5,
        id="unclosed-quote-after-multiline-record",
    ),
    pytest.param(
        "unclosed-semicolon.csv",
        b'Identifiant;Q1\nR1;"ouvert\nR2;x\n',
        ("never closes",),
        2,
        id="unclosed-quote-semicolon",
    ),
    pytest.param(
        "header.csv",
        b"Respondent ID,Country,Q1\n",
        ("header row", "no data rows"),
        None,
        id="header-only",
    ),
    pytest.param(
        "header-blanks.csv",
        b"Respondent ID,Country,Q1\n,,\n , , \n",
        ("header row", "empty"),
        None,
        id="header-and-blank-rows",
    ),
    pytest.param(
        "header.xlsx",
        _workbook([["Respondent ID", "Q1"]]),
        ("header row", "no data rows"),
        None,
        id="header-only-xlsx",
    ),
    pytest.param(
        "duplicate.csv",
        b"Respondent ID,Q1,Q1\nR1,a,b\n",
        ("both headed", "'Q1'"),
        1,
        id="duplicate-header",
    ),
    pytest.param(
        "duplicate-case.csv",
        b"Respondent ID,Q1, q1 \nR1,a,b\n",
        ("both headed",),
        1,
        id="duplicate-header-case-and-space",
    ),
    pytest.param(
        "duplicate.xlsx",
        _workbook([["Respondent ID", "Q1", "Q1"], ["R1", "a", "b"]]),
        ("both headed",),
        1,
        id="duplicate-header-xlsx",
    ),
    pytest.param(
        "wide.csv",
        b"Respondent ID,Q1\nR1,a\nR2,b,c,d\nR3,e\n",
        ("4 fields", "header has 2"),
        3,
        id="too-many-fields",
    ),
    pytest.param("number.json", b"42", ("not a list of records",), None, id="json-number"),
    pytest.param("numbers.json", b"[1, 2, 3]", ("not a list of records",), None, id="json-numbers"),
    pytest.param(
        "object.json",
        json.dumps({"Respondent ID": "R1", "Q1": "a"}).encode(),
        ("not a list of records",),
        None,
        id="json-object-without-list",
    ),
    pytest.param(
        "two-lists.json",
        json.dumps({"a": [{"Q1": "x"}], "b": [{"Q1": "y"}]}).encode(),
        ("not a list of records",),
        None,
        id="json-object-with-two-lists",
    ),
    pytest.param("empty-list.json", b"[]", ("no records",), None, id="json-empty-list"),
    pytest.param(
        "invalid.json",
        b'[{"Respondent ID": "R1", "Q1": "a"},\n{"Respondent ID": "R2" "Q1": "b"}]',
        ("JSON is not valid",),
        2,
        id="invalid-json",
    ),
    pytest.param(
        "bad.jsonl",
        b'{"Respondent ID": "R1", "Q1": "a"}\n{"Respondent ID": "R2", "Q1": "b"}\n'
        b'{"Respondent ID": "R3", "Q1": }\n{"Respondent ID": "R4", "Q1": "d"}\n',
        ("not valid JSON",),
        3,
        id="jsonl-bad-line",
    ),
    pytest.param(
        "array-line.jsonl",
        b'{"Respondent ID": "R1", "Q1": "a"}\n["R2", "b"]\n',
        ("one JSON object",),
        2,
        id="jsonl-line-not-an-object",
    ),
]


@pytest.mark.parametrize(("name", "data", "words", "line"), BAD_FILES)
def test_bad_file_is_refused(
    sample_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
    words: tuple[str, ...],
    line: int | None,
):
    path = tmp_path / name
    path.write_bytes(data)
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, path)
    err = _assert_refused(capsys, status, name, ("refused", *words), line)
    assert "nothing from this file was loaded" in err
    if line is None:
        assert ", line " not in err
    assert store_snapshot(sample_copy) == before


def test_missing_file_is_refused(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, tmp_path / "nowhere.csv")
    _assert_refused(capsys, status, "nowhere.csv", ("cannot be opened", "No such file"))
    assert store_snapshot(sample_copy) == before


def test_folder_without_exports_is_refused(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    # A folder is a batch of the exports in it (tests/test_many_files.py); here there are none.
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    (folder / "notes.md").write_text("not an export\n")
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, folder)
    _assert_refused(capsys, status, "exports.csv", ("no export file",))
    assert store_snapshot(sample_copy) == before


def test_stray_invalid_byte_never_crashes(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    # Valid UTF-8 except one byte (0xFF is never valid UTF-8), and no BOM declaring anything.
    data = "Respondent ID,Country,Language,Q1\nSTRAY-1,France,fr,société civile\n".encode()
    data += b"STRAY-2,Mali,fr,ok \xff done\n"
    path = tmp_path / "stray.csv"
    path.write_bytes(data)
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, path)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert status in (0, 1)
    if status == 1:  # refused: named, and nothing written
        assert "stray.csv" in err
        assert store_snapshot(sample_copy) == before
    else:  # read through detection: both rows are in the store, reported on stdout
        assert "stray.csv: 2 rows read" in out
        assert _table_count(sample_copy, "respondents", "respondent_id LIKE 'STRAY-%'") == 2


def test_stray_invalid_byte_does_not_garble_the_valid_text():
    data = "Respondent ID,Country,Q1\nSTRAY-1,France,société civile\nSTRAY-2,Mali,ok ".encode()
    data += b"\xff done\n"
    try:
        table = read_export(data, "stray.csv")
    except FileRefused as refused:
        assert refused.line == 3  # refused, naming the line of the bad byte
    else:
        assert table.frame["Q1"].iloc[0] == "société civile"


MAPPING_CSV = b"Respondent ID,Country,Q1\nMAP-1,France,Bonjour\n"


@pytest.mark.parametrize(
    ("mapping_name", "mapping_text", "names", "words"),
    [
        pytest.param(
            "missing-column.toml",
            '[columns]\nrespondent_id = "Identifier"\n',
            ("data.csv",),
            ("'Identifier'", "does not have", "'Respondent ID'"),
            id="column-the-file-lacks",
        ),
        pytest.param(
            "missing-question-column.toml",
            '[questions]\n"Question 7" = "q7"\n',
            ("data.csv",),
            ("'Question 7'", "does not have"),
            id="question-column-the-file-lacks",
        ),
        pytest.param(
            "unknown-question.toml",
            '[questions]\nQ1 = "q99"\n',
            ("data.csv",),
            ("q99", "does not define", CONSULTATION),
            id="question-not-in-consultation",
        ),
        pytest.param(
            "broken.toml",
            '[columns\nrespondent_id = "Respondent ID"\n',
            ("broken.toml",),
            ("not valid TOML",),
            id="invalid-toml",
        ),
        pytest.param(
            "unknown-field.toml",
            '[columns]\nrespondent = "Respondent ID"\n',
            ("unknown-field.toml",),
            ("unknown field", "respondent"),
            id="unknown-canonical-field",
        ),
        pytest.param(
            "bad-zone.toml",
            '[parse]\ntimezone = "Europe/Atlantis"\n',
            ("bad-zone.toml",),
            ("unknown time zone", "Europe/Atlantis"),
            id="unknown-time-zone",
        ),
    ],
)
def test_bad_mapping_is_refused(
    sample_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mapping_name: str,
    mapping_text: str,
    names: tuple[str, ...],
    words: tuple[str, ...],
):
    data = tmp_path / "data.csv"
    data.write_bytes(MAPPING_CSV)
    mapping = tmp_path / mapping_name
    mapping.write_text(mapping_text, encoding="utf-8")
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, data, mapping=mapping)
    err = _assert_refused(capsys, status, None, words)
    for name in names:
        assert name in err
    assert store_snapshot(sample_copy) == before


def test_missing_mapping_file_is_refused(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = tmp_path / "data.csv"
    data.write_bytes(MAPPING_CSV)
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, data, mapping=tmp_path / "absent.toml")
    _assert_refused(capsys, status, "absent.toml", ("cannot be read",))
    assert store_snapshot(sample_copy) == before


def test_unknown_consultation_is_refused(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = tmp_path / "data.csv"
    data.write_bytes(GOOD_CSV)
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, data, consultation="no-such-consultation")
    _assert_refused(capsys, status, None, ("no consultation", "'no-such-consultation'"))
    assert store_snapshot(sample_copy) == before


@pytest.mark.parametrize("bad_first", [False, True], ids=["bad-second", "bad-first"])
def test_a_batch_with_a_bad_file_loads_nothing(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_first: bool
):
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_CSV)
    bad = tmp_path / "broken.csv"
    bad.write_bytes(b'Respondent ID,Q1\nYY-1,"never closes\nYY-2,x\n')
    before = store_snapshot(sample_copy)

    status = _import(sample_copy, *((bad, good) if bad_first else (good, bad)))

    out, err = capsys.readouterr()
    assert status == 1 and "loaded;" not in out
    assert "broken.csv, line 2:" in err and "never closes" in err
    assert "nothing from this batch was loaded" in err
    assert store_snapshot(sample_copy) == before


@pytest.mark.parametrize("bad_first", [False, True], ids=["bad-second", "bad-first"])
def test_separate_imports_load_the_good_file_and_refuse_the_bad(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_first: bool
):
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_CSV)
    bad = tmp_path / "broken.csv"
    bad.write_bytes(b'Respondent ID,Q1\nYY-1,"never closes\nYY-2,x\n')
    imports_before = _table_count(sample_copy, "imports")
    respondents_before = _table_count(sample_copy, "respondents")
    responses_before = _table_count(sample_copy, "responses")

    status = _import(sample_copy, "--separately", *((bad, good) if bad_first else (good, bad)))

    out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in err
    assert "good.csv: 2 rows read; 2 respondents and 2 responses loaded" in out
    assert "broken.csv, line 2:" in err and "never closes" in err
    assert "good.csv" not in err
    assert _table_count(sample_copy, "imports") == imports_before + 1
    assert _table_count(sample_copy, "imports", "file_name = 'good.csv'") == 1
    assert _table_count(sample_copy, "imports", "file_name = 'broken.csv'") == 0
    assert _table_count(sample_copy, "respondents") == respondents_before + 2
    assert _table_count(sample_copy, "respondents", "respondent_id LIKE 'YY-%'") == 0
    assert _table_count(sample_copy, "responses") == responses_before + 2


class InjectedFailure(duckdb.IOException):
    """Stands for the disk filling up in the middle of an import."""


def _fail_on_responses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make `store/insert_responses` fail; returns the statements run, in order."""
    real_execute = queries.execute
    ran: list[str] = []

    def execute(con, name, params=None):
        ran.append(name)
        if name == "store/insert_responses":
            raise InjectedFailure("injected: no space left on device")
        return real_execute(con, name, params)

    real_execute_on = queries.execute_on

    def execute_on(con, name, table, rows):
        ran.append(name)
        if name == "store/insert_responses":
            raise InjectedFailure("injected: no space left on device")
        return real_execute_on(con, name, table, rows)

    monkeypatch.setattr(queries, "execute", execute)
    monkeypatch.setattr(queries, "execute_on", execute_on)
    return ran


def test_failure_mid_transaction_leaves_the_store_unchanged(
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD_CSV)
    before = store_snapshot(sample_copy)
    ran = _fail_on_responses(monkeypatch)

    assert _import(sample_copy, path) == 1
    err = capsys.readouterr().err
    assert "good.csv: the store could not be written" in err and "no space left" in err
    assert "Traceback" not in err

    # The import row and the respondents were written before the failure...
    assert ran.index("store/insert_import") < ran.index("store/insert_respondent_sources")
    assert ran.index("store/insert_respondent_sources") < ran.index("store/insert_responses")
    # ...and rolled back with it. (Drop the traceback's hold on the CLI's connection first.)
    monkeypatch.undo()
    gc.collect()
    assert store_snapshot(sample_copy) == before
    assert _table_count(sample_copy, "imports", "file_name = 'good.csv'") == 0
    assert _table_count(sample_copy, "respondents", "respondent_id LIKE 'ZZ-%'") == 0


def test_failed_import_can_be_retried(
    sample_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD_CSV)
    _fail_on_responses(monkeypatch)
    assert _import(sample_copy, path) == 1
    monkeypatch.undo()
    gc.collect()
    capsys.readouterr()

    # Not "already imported": the rolled-back import left no hash behind.
    assert _import(sample_copy, path) == 0
    out, _ = capsys.readouterr()
    assert "good.csv: 2 rows read; 2 respondents and 2 responses loaded" in out
    assert _table_count(sample_copy, "imports", "file_name = 'good.csv'") == 1
    assert _table_count(sample_copy, "respondents", "respondent_id LIKE 'ZZ-%'") == 2
    assert _table_count(sample_copy, "responses", "respondent_id LIKE 'ZZ-%'") == 2


def test_importing_a_sample_export_again_changes_nothing(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
):
    before = store_snapshot(sample_copy)
    status = _import(sample_copy, SAMPLE_DIR / "responses_en.csv")
    out, err = capsys.readouterr()
    assert status == 0
    assert err == ""
    assert "responses_en.csv: already imported" in out
    assert "nothing added" in out
    assert store_snapshot(sample_copy) == before


def test_same_bytes_under_another_name_are_already_imported(
    sample_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    copy = tmp_path / "renamed.csv"
    copy.write_bytes((SAMPLE_DIR / "responses_en.csv").read_bytes())
    before = store_snapshot(sample_copy)
    assert _import(sample_copy, copy) == 0
    out, _ = capsys.readouterr()
    assert "renamed.csv: already imported" in out
    assert "responses_en.csv" in out  # names the earlier import
    assert store_snapshot(sample_copy) == before
