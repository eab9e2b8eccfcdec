"""Many files, one import: a folder, a list or a ZIP of export pages is one atomic import, with
the same rows as the pages imported one by one, and an empty page noted rather than refused."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import duckdb
import pytest

from dashboard import cli
from dashboard.importer.batch import gather, prepare_many
from dashboard.store import database
from dashboard.store.gate import StoreGate
from tests.conftest import SAMPLE_DIR, store_snapshot

CONSULTATION = "civic-space-2020"
PAGES = 12
FILES = PAGES + 2  # the pages, one CSV of other rows and an empty page (and a README, not read)
COUNTRIES = ["France", "Senegal", "Brazil", "Atlantis", "", "Japan"]
LANGUAGES = ["fr", "en", "Español", "xx", ""]


def _page(number: int) -> bytes:
    records = [
        {
            "Respondent ID": f"P{number}-{row}",
            "Submitted at": f"2020-01-{13 + (number + row) % 12:02d}T10:{row:02d}:00Z",
            "Country": COUNTRIES[(number + row) % len(COUNTRIES)],
            "Language": LANGUAGES[(number * 3 + row) % len(LANGUAGES)],
            "Stakeholder type": ["NGO", "Academic", None][row % 3],
            "Q1": f"Civic space needs protection, page {number} row {row}",
            "Q2": "" if row % 2 else "Funding for partnership and dialogue",
            "Q3": None if row % 3 else ["a list", "of answers"],
        }
        for row in range(3 + number % 5)
    ]
    return json.dumps({"count": len(records), "results": records}).encode()


# A page of other columns (a CSV, and a question the JSON pages do not have).
OTHER_SHAPE = b"Respondent ID,Country,Language,Q4\nX-1,Kenya,en,Promotion of rights\nX-2,Peru,es,\n"
EMPTY_PAGE = b'{"count": 0, "results": []}'


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for number in range(PAGES):
        (folder / f"page{number}.json").write_bytes(_page(number))
    (folder / "page_empty.json").write_bytes(EMPTY_PAGE)
    (folder / "other.csv").write_bytes(OTHER_SHAPE)
    (folder / "README.md").write_text("not an export\n")
    return folder


def _store(path: Path) -> Path:
    db = ["--db", str(path)]
    assert cli.main(["consultation", "add", str(SAMPLE_DIR / "civic-space-2020.toml"), *db]) == 0
    codebook = SAMPLE_DIR / "civic-space-2020.codebook.toml"
    assert cli.main(["codebook", "set", "--consultation", CONSULTATION, str(codebook), *db]) == 0
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return _store(tmp_path / "batch.duckdb")


def _import(db: Path, *paths: Path | str) -> int:
    args = ["import", "--consultation", CONSULTATION, "--db", str(db)]
    return cli.main([*args, *map(str, paths)])


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), config=dict(database.CONNECTION_CONFIG))
    try:
        return sorted(con.execute(sql).fetchall(), key=repr)
    finally:
        con.close()


RESPONDENTS = (
    "SELECT respondent_id, submitted_at, country_raw, country_iso3, region, language_raw, "
    "language, stakeholder_type FROM respondents"
)
RESPONSES = (
    "SELECT respondent_id, question_id, answer, answer_redacted, submitted_at, source_file_row, "
    "regexp_replace(source_file, '^pages/', '') FROM responses"
)
FACTS = (
    "SELECT (SELECT count(*) FROM respondent_facts), (SELECT count(*) FROM response_facts), "
    "(SELECT count(*) FROM response_codes)"
)


def test_a_folder_is_one_import_with_the_rows_of_separate_imports(pages, store, tmp_path, capsys):
    assert _import(store, pages) == 0
    out = capsys.readouterr().out
    assert f"{FILES} files from pages/" in out and "1 of them empty" in out
    imports = _rows(store, "SELECT file_name, report FROM imports")
    assert len(imports) == 1
    report = json.loads(imports[0][1])
    assert [f["file"] for f in report["files"]][:3] == [
        "pages/other.csv",
        "pages/page0.json",
        "pages/page1.json",
    ]
    empty = [f for f in report["files"] if f.get("note")]
    assert [(f["file"], f["note"]) for f in empty] == [
        ("pages/page_empty.json", "the JSON holds no records")
    ]
    assert any("README.md" in note for note in report["notes"])

    # The same pages, one import each, into another store: the same rows, the same facts.
    separate = _store(tmp_path / "separate.duckdb")
    for page in sorted(pages.iterdir()):
        if page.suffix in (".json", ".csv"):
            status = _import(separate, page)
            assert status == (1 if page.name == "page_empty.json" else 0)
    assert len(_rows(separate, "SELECT import_id FROM imports")) == PAGES + 1
    assert _rows(store, RESPONDENTS) == _rows(separate, RESPONDENTS)
    assert _rows(store, RESPONSES) == _rows(separate, RESPONSES)
    assert _rows(store, FACTS) == _rows(separate, FACTS)
    assert _rows(store, FACTS)[0][2] > 0  # the codebook tagged the batch's answers
    # An answer's identity in the store (import, row, question) stays unique in a batch.
    identity = (
        "SELECT count(*), count(DISTINCT (import_id, source_row, question_id)) FROM responses"
    )
    ((total, distinct),) = _rows(store, identity)
    assert total == distinct


def test_the_same_batch_twice_adds_nothing_and_undo_removes_it_all(pages, store, capsys):
    before = store_snapshot(store, ignore=("audit_log",))
    assert _import(store, pages) == 0
    loaded = store_snapshot(store, ignore=("audit_log",))
    # A ZIP of the same files, in another order and under other names, is the same batch.
    archive = pages.parent / "pages.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for page in sorted(pages.iterdir(), reverse=True):
            zipped.write(page, f"export/{page.name}")
    capsys.readouterr()
    assert _import(store, archive) == 0
    assert "already imported" in capsys.readouterr().out
    assert store_snapshot(store, ignore=("audit_log",)) == loaded

    (import_id,) = _rows(store, "SELECT import_id FROM imports")[0]
    args = ["undo", "--consultation", CONSULTATION, "--import", str(import_id), "--db", str(store)]
    assert cli.main(args) == 0
    # As before the import, but for the import ids used and the version the writes raised.
    changed = ("audit_log", "imports", "store_version")
    assert store_snapshot(store, ignore=changed) == {
        k: v for k, v in before.items() if k not in changed
    }
    assert _rows(store, "SELECT count(*) FROM imports") == [(0,)]


def test_a_zip_of_the_pages_gives_what_the_folder_gives(pages, store, tmp_path):
    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for page in pages.iterdir():
            zipped.write(page, f"pages/{page.name}")
    assert _import(store, archive) == 0
    from_folder = _store(tmp_path / "folder.duckdb")
    assert _import(from_folder, pages) == 0
    assert _rows(store, RESPONDENTS) == _rows(from_folder, RESPONDENTS)
    no_zip_name = RESPONSES.replace("'^pages/'", "'^(pages.zip/)?pages/'")
    assert _rows(store, no_zip_name) == _rows(from_folder, no_zip_name)
    (name,) = _rows(store, "SELECT file_name FROM imports")[0]
    assert name == f"{FILES} files from pages.zip"


def test_a_refused_file_refuses_the_batch_naming_its_file_and_line(pages, store, capsys):
    (pages / "page7.json").write_bytes(b'{"results": [\n{"Respondent ID": "A"},\n{oops}\n]}')
    before = store_snapshot(store)
    assert _import(store, pages) == 1
    err = capsys.readouterr().err
    assert "pages/page7.json, line 3" in err and "not valid" in err
    assert "nothing from this batch was loaded" in err
    assert store_snapshot(store) == before


def test_a_lone_empty_file_is_still_refused(pages, store, capsys):
    assert _import(store, pages / "page_empty.json") == 1
    assert "the JSON holds no records" in capsys.readouterr().err


def test_separately_keeps_one_import_per_file(pages, store):
    assert _import(store, "--separately", pages / "page1.json", pages / "page2.json") == 0
    names = _rows(store, "SELECT file_name FROM imports")
    assert names == [("page1.json",), ("page2.json",)]


def test_several_files_given_are_one_import(pages, store):
    assert _import(store, pages / "page1.json", pages / "other.csv") == 0
    assert _rows(store, "SELECT file_name FROM imports") == [
        ("2 files from page1.json, other.csv",)
    ]
    files = _rows(store, "SELECT DISTINCT source_file FROM responses")
    assert files == [("other.csv",), ("page1.json",)]


def test_refused_rows_name_their_file(sample_consultation):
    long_page = b"Respondent ID,Question,Answer\nA,Q1,yes\n,Q2,no answer owner\n"
    mapping_text = '[columns]\nrespondent_id = "Respondent ID"\nquestion_id = "Question"\n'
    mapping_text += 'answer = "Answer"\n'
    from dashboard.importer import parse_mapping

    mapping = parse_mapping(f'format = "long"\n{mapping_text}')
    prepared = prepare_many(
        [("a.csv", long_page), ("b.csv", long_page.replace(b"A,", b"B,"))],
        sample_consultation,
        mapping,
    )
    assert prepared.report.refused_rows == [
        {"file": "a.csv", "row": 3, "reason": "no respondent id, so the answer has no owner"},
        {"file": "b.csv", "row": 3, "reason": "no respondent id, so the answer has no owner"},
    ]
    assert "refused row 3 of b.csv" in set(prepared.report.findings()["finding"])


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pages/page1.json", b'{"results": [{"Respondent ID": "A", "Q1": "x"}]}')
        archive.writestr("pages/big.csv", b"a" * (64 * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_or_too_many_files_is_refused_before_extraction(
    tmp_path, store, monkeypatch, capsys
):
    def never(*args, **kwargs):
        raise AssertionError("a member was unpacked")

    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_bomb())
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for number in range(6):
            archive.writestr(f"page{number}.json", _page(number))
    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    before = store_snapshot(store)
    assert _import(store, bomb) == 1
    assert "times its size" in capsys.readouterr().err

    monkeypatch.setenv("DASHBOARD_MAX_FILES", "5")
    assert _import(store, many) == 1
    err = capsys.readouterr().err
    assert "6 export files" in err and "DASHBOARD_MAX_FILES" in err
    assert store_snapshot(store) == before


def test_too_many_files_in_a_folder_are_refused_before_reading_them(pages, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_FILES", "10")
    read: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    with pytest.raises(Exception, match="DASHBOARD_MAX_FILES"):
        gather([pages])
    assert len(read) == 10


def test_the_import_page_imports_a_zip_of_pages_as_one(pages, store, tmp_path, monkeypatch):
    from tests.test_import_page import open_import_page

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for page in sorted(pages.iterdir()):
            zipped.write(page, f"pages/{page.name}")
    at = open_import_page(store, monkeypatch)
    at.file_uploader(key="uploads").upload("pages.zip", buffer.getvalue(), "application/zip").run()
    assert not at.exception, at.exception
    assert [s.value for s in at.main.header][:1] == ["All the files as one import"]
    at.button(key="batch-import").click().run()
    assert not at.exception, at.exception
    assert any(f"Imported {FILES} files from pages.zip" in s.value for s in at.success)
    StoreGate.close_all()  # the page's read-only hold, in this process
    from_folder = _store(tmp_path / "folder.duckdb")
    assert _import(from_folder, pages) == 0
    assert _rows(store, RESPONDENTS) == _rows(from_folder, RESPONDENTS)
    assert _rows(store, "SELECT count(*) FROM imports") == [(1,)]


def test_a_long_batch_reports_its_progress_on_stderr(pages, store, monkeypatch, capsys):
    monkeypatch.setattr(cli, "PROGRESS_FROM", 10)
    assert _import(store, pages) == 0
    out, err = capsys.readouterr()
    assert f"Reading file 1 of {FILES}" in err and "Writing the import" in err
    assert "Reading file" not in out and f"{FILES} files from pages/" in out


def test_the_many_files_benchmark_runs_at_a_tiny_size(tmp_path, capsys):
    from benchmarks import many_files

    out = tmp_path / "many.json"
    args = ["--pages", "12", "--compare", "4", "--wide-columns", "30", "--wide-rows", "6"]
    assert many_files.main([*args, "--runs", "1", "--out", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["pages"]["pages"] == 12 and figures["pages"]["comments"] >= 60
    assert figures["pages"]["subset"]["one_import_per_file"]["median_s"] > 0
    assert figures["wide"]["responses"] > 0
    assert "one import per file" in capsys.readouterr().out
