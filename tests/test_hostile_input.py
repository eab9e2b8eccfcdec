"""Hostile exports: each is refused with a message naming the limit and how to raise it, the
import stays under 1 GB of memory, and the store is unchanged (issue 20, bounded input).

Each import runs the real CLI in a subprocess, so a reader that aborts the process (calamine
asking for 512 GB) fails the test instead of killing pytest, and its peak memory is its own.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dashboard import cli
from dashboard.importer.limits import ImportLimits
from dashboard.importer.reading import FileRefused, read_export
from tests.conftest import store_snapshot

CONSULTATION = "civic-space-2020"
ROOT = Path(__file__).resolve().parents[1]
PEAK_LIMIT_MB = 1024


@pytest.fixture(scope="module")
def pristine_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample store as `load-sample` makes it, for this module alone: the peak memory of a
    refused import is measured on a store no other test has opened, whose derived columns are
    all current (a store that needs them made again would measure that work instead)."""
    path = tmp_path_factory.mktemp("hostile") / "sample.duckdb"
    assert cli.main(["load-sample", "--db", str(path)]) == 0
    return path


@pytest.fixture
def sample_copy(pristine_sample: Path, tmp_path: Path) -> Path:
    target = tmp_path / "sample-copy.duckdb"
    shutil.copy(pristine_sample, target)
    return target


HEADER = "Respondent ID,Country,Language,Q1\n"

# Runs one CLI import and prints its exit status and its own peak resident memory (kB). On
# Linux, VmHWM of /proc/self/status: getrusage's ru_maxrss survives execve, so it would report
# the pytest worker's own peak (which grows over a session) when that is the larger.
_RUNNER = """
import re, resource, sys
from dashboard import cli
status = cli.main(sys.argv[1:])
try:
    with open("/proc/self/status") as status_file:
        peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status_file.read()).group(1))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"\\nstatus={status} peak_kb={peak}")
"""


def _import(db: Path, path: Path, **env: str) -> tuple[int, int, str, str]:
    """Exit status, peak memory in MB, stdout and stderr of `dashboard import` on one file."""
    argv = ["import", "--consultation", CONSULTATION, "--db", str(db), str(path)]
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, *argv],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )
    assert result.returncode == 0, f"the import process died: {result.stderr[-2000:]}"
    last = result.stdout.strip().splitlines()[-1]
    status = int(last.split()[0].split("=")[1])
    peak_mb = int(last.split()[1].split("=")[1]) // 1024
    return status, peak_mb, result.stdout, result.stderr


def _assert_refused_with_limit(
    db: Path, path: Path, limit_variable: str, words: tuple[str, ...] = (), **env: str
) -> str:
    before = store_snapshot(db)
    status, peak_mb, out, err = _import(db, path, **env)
    assert status == 1, out + err
    assert "Traceback" not in err + out
    assert path.name in err
    assert limit_variable in err, err  # how to raise it
    for word in words:
        assert word.casefold() in err.casefold(), f"{word!r} not in {err!r}"
    assert peak_mb < PEAK_LIMIT_MB, f"peak {peak_mb} MB"
    assert store_snapshot(db) == before
    return err


def _xlsx(rows: list[list[object]], far_cell: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    if far_cell:
        workbook.active[far_cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _patched_sheet(data: bytes, patch) -> bytes:
    """The workbook with its first sheet's XML rewritten by `patch`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = patch(content)
            target.writestr(member.filename, content)
    return buffer.getvalue()


def test_huge_dimension_workbook_is_refused_before_calamine(sample_copy: Path, tmp_path: Path):
    # The attack of the issue: a tiny workbook whose used range is A1:XFD1048576.
    data = _xlsx([["Respondent ID", "Q1"], ["R1", "a"]], far_cell="XFD1048576")
    assert len(data) < 8 * 1024
    path = tmp_path / "huge-range.xlsx"
    path.write_bytes(data)
    _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_CELLS", ("1,048,576 rows",))


def test_lying_dimension_is_refused_too(sample_copy: Path, tmp_path: Path):
    # The <dimension> claims A1:B2 but a cell sits at column XFD: the cells decide.
    data = _xlsx([["Respondent ID", "Q1"], ["R1", "a"]], far_cell="XFD3")
    data = _patched_sheet(data, lambda xml: xml.replace(b'ref="A1:XFD3"', b'ref="A1:B2"'))
    path = tmp_path / "lying.xlsx"
    path.write_bytes(data)
    _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_COLUMNS", ("16,384",))


def test_dimension_alone_is_refused(tmp_path: Path):
    data = _xlsx([["Respondent ID", "Q1"], ["R1", "a"]])
    data = _patched_sheet(data, lambda xml: xml.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"'))
    with pytest.raises(FileRefused, match="DASHBOARD_MAX_CELLS"):
        read_export(data, "claims.xlsx")


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid-looking workbook whose sheet XML unpacks to 1.3 GB (the issue's bomb)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    template = zipfile.ZipFile(io.BytesIO(_xlsx([["Respondent ID", "Q1"], ["R1", "a"]])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in template.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(member.filename, template.read(member))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            block = b" " * (1024 * 1024)
            for _ in range(1300):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_zip_bomb_is_refused(sample_copy: Path, zip_bomb: Path):
    assert zip_bomb.stat().st_size < 8 * 1024 * 1024
    _assert_refused_with_limit(sample_copy, zip_bomb, "DASHBOARD_MAX_UNZIPPED_MB", ("unpacks",))


def test_zip_ratio_is_refused_under_the_size_limit(sample_copy: Path, zip_bomb: Path):
    _assert_refused_with_limit(
        sample_copy,
        zip_bomb,
        "DASHBOARD_MAX_ZIP_RATIO",
        ("times its size",),
        DASHBOARD_MAX_UNZIPPED_MB="4096",
    )


def test_deep_json_is_refused(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_JSON_DEPTH", ("nested",))


def test_moderately_deep_json_is_refused_by_the_depth_limit(tmp_path: Path):
    record: dict = {"Respondent ID": "R1"}
    inner = record
    for _ in range(40):
        inner["next"] = {}
        inner = inner["next"]
    with pytest.raises(FileRefused, match="nested more than 32 levels"):
        read_export(json.dumps([record]).encode(), "deep.json")


def test_wide_json_is_refused_quickly(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps([{f"k{i}": 1 for i in range(1_000_000)}]))
    _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_COLUMNS", ("different keys",))


def test_wide_csv_header_is_refused(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(200_000)) + "\n" + "1," * 199_999 + "1\n")
    _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_COLUMNS", ("columns",))


def test_huge_cell_is_refused(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "huge-cell.csv"
    path.write_text(HEADER + "R1,France,fr," + "a" * 1_200_000 + "\n")
    err = _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_CELL_CHARS", ("'Q1'",))
    assert "1,200,000 characters" in err


def test_oversized_file_is_refused_before_reading(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(f"R{i},France,fr,answer {i}\n" for i in range(80_000)))
    assert path.stat().st_size > 1024 * 1024
    _assert_refused_with_limit(
        sample_copy, path, "DASHBOARD_MAX_FILE_MB", DASHBOARD_MAX_FILE_MB="1"
    )


def test_too_many_rows_is_refused(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + "".join(f"R{i},France,fr,a\n" for i in range(20)))
    _assert_refused_with_limit(sample_copy, path, "DASHBOARD_MAX_ROWS", DASHBOARD_MAX_ROWS="10")


def test_limits_from_environment_are_checked():
    assert ImportLimits.from_environment({"DASHBOARD_MAX_ROWS": "1_000"}).max_rows == 1000
    with pytest.raises(ValueError, match="DASHBOARD_MAX_ROWS"):
        ImportLimits.from_environment({"DASHBOARD_MAX_ROWS": "lots"})
    with pytest.raises(ValueError, match="above zero"):
        ImportLimits.from_environment({"DASHBOARD_MAX_CELLS": "0"})


def _answers(db: Path, respondent_prefix: str) -> list[str]:
    connection = duckdb.connect(str(db), read_only=True)
    try:
        return [
            row[0]
            for row in connection.execute(
                "SELECT answer FROM responses WHERE respondent_id LIKE ? ORDER BY answer",
                [respondent_prefix + "%"],
            ).fetchall()
        ]
    finally:
        connection.close()


def test_nul_and_control_characters_are_removed(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "nul.csv"
    path.write_bytes(
        HEADER.encode()
        + b"NUL-1,France,fr,bon\x00jour\x07\x1b[31m\x7f\n"
        + b'NUL-2,Mali,fr,"two\tparts\r\nand lines"\n'
        # A few stray controls in an export, not a binary file (which is refused).
        + b"".join(b"OK-%d,Mali,fr,an ordinary answer\n" % i for i in range(50))
    )
    status, _, _, err = _import(sample_copy, path)
    assert status == 0, err
    answers = _answers(sample_copy, "NUL-")
    assert answers == ["bonjour[31m", "two\tparts\r\nand lines"] or answers == [
        "bonjour[31m",
        "two\tparts\nand lines",
    ]


def test_nul_escape_in_json_is_removed():
    data = json.dumps([{"Respondent ID": "J1", "Q1": "a\u0000b\u001fc"}]).encode()
    table = read_export(data, "nul.json")
    assert table.frame["Q1"].tolist() == ["abc"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom_are_read(encoding: str):
    text = HEADER + "U1,France,fr,société civile\nU2,Mali,fr,ça va\n"
    table = read_export(text.encode(encoding), "unmarked.csv")
    assert table.encoding == encoding
    assert table.frame["Q1"].tolist() == ["société civile", "ça va"]


def test_utf16_without_bom_imports(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "unmarked.csv"
    path.write_bytes((HEADER + "U16-1,France,fr,société civile\n").encode("utf-16-le"))
    status, _, _, err = _import(sample_copy, path)
    assert status == 0, err
    assert _answers(sample_copy, "U16-") == ["société civile"]


def test_a_mistyped_limit_refuses_with_a_message(sample_copy: Path, tmp_path: Path):
    path = tmp_path / "fine.csv"
    path.write_text(HEADER + "M1,France,fr,a\n")
    _assert_refused_with_limit(
        sample_copy, path, "DASHBOARD_MAX_ROWS", ("misconfigured",), DASHBOARD_MAX_ROWS="lots"
    )


@pytest.mark.parametrize("lines", [False, True])
def test_a_lone_surrogate_escape_in_json_becomes_a_replacement_character(lines: bool):
    # "\ud800" with no low half decodes in Python but cannot be written as UTF-8: before, the
    # whole import stopped with a UnicodeEncodeError. A valid pair stays the character it spells.
    records = [
        {"Respondent ID": "S1", "Q1": "bad \ud800 text"},
        {"Respondent ID": "S2", "Q1": "ok 😀"},
    ]
    if lines:
        data = "\n".join(json.dumps(r) for r in records).encode()
    else:
        data = json.dumps(records).encode()
    assert b"\\ud800" in data and b"\\ud83d\\ude00" in data  # escapes, as exports write them
    table = read_export(data, "s.jsonl" if lines else "s.json")
    assert table.frame["Q1"].tolist() == ["bad \ufffd text", "ok 😀"]
