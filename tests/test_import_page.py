"""The Import page through AppTest: upload, mapping, validation report, import, history, undo."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.importer.pipeline import content_hash
from dashboard.store import database
from tests.conftest import REALDATA, SAMPLE_DIR, store_snapshot

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
FRENCH = SAMPLE_DIR / "reponses_fr.csv"
FRENCH_MAPPING = SAMPLE_DIR / "reponses_fr.mapping.toml"
CONSULTATION = "civic-space-2020"


def summary_of(db: Path, consultation: str = CONSULTATION) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["summary", "--consultation", consultation, "--db", str(db)]) == 0
    return json.loads(out.getvalue())


@pytest.fixture
def english_only(tmp_path: Path) -> Path:
    """A store with the sample consultation and only its English export."""
    db = tmp_path / "store.duckdb"
    with contextlib.redirect_stdout(io.StringIO()):
        assert (
            cli.main(
                ["consultation", "add", str(SAMPLE_DIR / "civic-space-2020.toml"), "--db", str(db)]
            )
            == 0
        )
        assert (
            cli.main(
                [
                    "import",
                    "--consultation",
                    CONSULTATION,
                    "--db",
                    str(db),
                    str(SAMPLE_DIR / "responses_en.csv"),
                ]
            )
            == 0
        )
    return db


def open_import_page(db: Path, monkeypatch: pytest.MonkeyPatch, **query: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/import_data.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, path: Path, content: bytes | None = None) -> str:
    data = content if content is not None else path.read_bytes()
    at.file_uploader(key="uploads").upload(path.name, data, "text/csv").run()
    assert not at.exception, at.exception
    return content_hash(data)[:16]


def test_french_export_mapped_on_the_page_matches_the_cli(
    english_only: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_import_page(english_only, monkeypatch)
    key = upload(at, FRENCH)
    # The French headers are recognised without a mapping...
    assert at.selectbox(key=f"{key}-field-respondent_id").value == "Identifiant"
    assert at.selectbox(key=f"{key}-field-country").value == "Pays"
    assert at.selectbox(key=f"{key}-shape").value == "long"
    # ...but the Paris time zone comes from the saved mapping, reused here.
    at.file_uploader(key=f"{key}-mapping-file").upload(
        FRENCH_MAPPING.name, FRENCH_MAPPING.read_bytes(), "application/toml"
    ).run()
    key = f"{key}-{content_hash(FRENCH_MAPPING.read_bytes())[:8]}"
    assert at.selectbox(key=f"{key}-zone").value == "Europe/Paris"
    assert at.selectbox(key=f"{key}-date-order").value == "Day first (7/10/14 is 7 October)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Respondents"] == "408" and metrics["Responses"] == "1,601"
    findings = next(d.value for d in at.dataframe if "Finding" in d.value.columns)
    unknown = findings[findings["Finding"].str.startswith("country not recognised")]
    assert dict(zip(unknown["Value"], unknown["Rows"], strict=True)) == {
        "Atlantis": 3,
        "Unknown land": 1,
        "(blank)": 1,
    }
    # The audit log grows with the import and the undo, and the store's version with each
    # write; everything else must come back.
    bookkeeping = ("audit_log", "store_version")
    before = store_snapshot(english_only, ignore=bookkeeping)
    audited_before = store_snapshot(english_only)["audit_log"][0]  # the CLI's import of it
    at.button(key=f"{key.split('-')[0]}-import").click().run()
    assert not at.exception, at.exception
    assert any("Imported reponses_fr.csv: 408 new respondents" in s.value for s in at.success)

    # The page's import gives exactly the figures of the CLI's import of the same file.
    reference = tmp_path / "reference.duckdb"
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["load-sample", "--db", str(reference)]) == 0
    expected = summary_of(reference)
    loaded = summary_of(english_only)
    russian = summary_of_import_only(reference)
    assert loaded["respondents"] == expected["respondents"] - russian[0]
    assert loaded["responses"] == expected["responses"] - russian[1]

    # History lists it; undo brings the store back to what it was.
    history = next(d.value for d in at.dataframe if "File" in d.value.columns)
    assert history["File"].tolist() == ["reponses_fr.csv", "responses_en.csv"]
    newest = int(history["Import"].max())
    assert at.selectbox(key=f"undo-choice-{newest}").value == newest
    at.checkbox(key=f"undo-confirm-{newest}").check().run()
    at.button(key="undo").click().run()
    assert not at.exception, at.exception
    assert store_snapshot(english_only, ignore=bookkeeping) == before
    audit = store_snapshot(english_only)["audit_log"]
    assert audit[0] == audited_before + 2  # the import and the undo


def summary_of_import_only(db: Path) -> tuple[int, int]:
    """Respondents and responses that the Russian workbook brought to the sample store."""
    import duckdb

    con = duckdb.connect(str(db), config=dict(database.CONNECTION_CONFIG))
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM respondents r JOIN imports i USING (import_id) "
            "WHERE i.file_name = 'responses_ru.xlsx'), (SELECT count(*) FROM responses r "
            "JOIN imports i USING (import_id) WHERE i.file_name = 'responses_ru.xlsx')"
        ).fetchone()
    finally:
        con.close()


def test_changing_a_mapping_changes_the_preview(
    english_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_import_page(english_only, monkeypatch)
    key = upload(at, FRENCH)
    canonical = next(d.value for d in at.dataframe if "ISO3" in d.value.columns)
    assert canonical["region"].ne("Unknown").any()
    at.selectbox(key=f"{key}-field-country").select_index(0).run()
    assert at.selectbox(key=f"{key}-field-country").value is None
    canonical = next(d.value for d in at.dataframe if "ISO3" in d.value.columns)
    assert canonical["region"].eq("Unknown").all()


def test_a_file_imported_before_adds_nothing(english_only: Path, monkeypatch) -> None:
    at = open_import_page(english_only, monkeypatch)
    before = store_snapshot(english_only)
    key = upload(at, SAMPLE_DIR / "responses_en.csv")
    at.button(key=f"{key}-import").click().run()
    assert any("was already imported" in i.value for i in at.info)
    assert store_snapshot(english_only) == before


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "text export"),
        ("header.csv", b"Respondent ID,Q1\n", "no data rows"),
        ("twice.csv", b"Respondent ID,Q1,Q1\nA,b,c\n", "both headed"),
        ("open.csv", b'Respondent ID,Q1\nA,"never closed\nB,x\n', "never closes"),
        ("numbers.json", b"[1, 2, 3]", "not a list of records"),
    ],
)
def test_bad_files_get_a_clear_message_and_change_nothing(
    english_only: Path, monkeypatch, name: str, content: bytes, words: str
) -> None:
    at = open_import_page(english_only, monkeypatch)
    before = store_snapshot(english_only)
    upload(at, Path(name), content)
    errors = " ".join(e.value for e in at.error)
    assert name in errors and words in errors and "Nothing was written" in errors
    assert not at.button or all("Import " not in b.label for b in at.button)
    assert store_snapshot(english_only) == before


@pytest.mark.realdata
def test_have_your_say_export_through_the_page(tmp_path: Path, monkeypatch, realdata) -> None:
    db = tmp_path / "hys.duckdb"
    definition = Path(__file__).parent / "realdata_defs" / "hys-ai-act-2021.toml"
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["consultation", "add", str(definition), "--db", str(db)]) == 0
    consultation = tomllib.loads(definition.read_text(encoding="utf-8"))["id"]
    at = open_import_page(db, monkeypatch, consultation=consultation)
    export = REALDATA / "have-your-say" / "ai-act-2021__feedbacks.csv"
    key = upload(at, export)
    assert any('European Commission "Have your say"' in c.value for c in at.caption)
    assert at.selectbox(key=f"{key}-field-respondent_id").value == "id"
    at.button(key=f"{key}-import").click().run()
    assert not at.exception, at.exception
    figures = summary_of(db, consultation)
    assert (figures["respondents"], figures["responses"]) == (304, 303)
    assert figures["by_language"]["fr"]["respondents"] == 12


def test_validation_report_csv_is_defused(
    english_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: values from the uploaded file (an unknown country, a language) that are
    formulas must reach the validation report CSV as text, not as =HYPERLINK or @SUM."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            served[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = open_import_page(english_only, monkeypatch)
    upload(
        at,
        Path("evil.csv"),
        b'Respondent ID,Country,Language,Q1\nE1,"=HYPERLINK(""http://x.test"",""y"")",'
        b"@SUM(1+1),a\nE2,+cmd,-2+3,b\n",
    )
    report = served["evil.csv.validation.csv"].decode("utf-8-sig")
    assert "=HYPERLINK" in report and "@SUM" in report  # the findings are there...
    for row in csv.reader(io.StringIO(report)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row  # ...inert


def test_a_refusal_and_the_validation_report_are_shown_in_french(
    english_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file cut short inside a quoted value is refused in the page's language, with the
    file and line; the report of a readable file is in French too."""
    at = open_import_page(english_only, monkeypatch, lang="fr")
    upload(at, Path("cut.csv"), b'Respondent ID,Country,Language,Q1\nR1,France,fr,"never closed\n')
    errors = [e.value for e in at.error]
    assert any(
        "Ce fichier ne peut pas" in e and "cut.csv, ligne 2\u00a0: une valeur entre guillemets" in e
        for e in errors
    ), errors
