"""An import from a path (the command line's) lets go of the export as it goes (issue 18:
memory), and writes exactly what an import kept for another attempt (the app's) writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.importer import import_file, load, prepare
from dashboard.store import database
from tests.conftest import copy_of, store_snapshot

CONSULTATION = "civic-space-2020"
HEADER = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2,Q3"
# Five respondents the sample does not have and their nine answers: in several scripts, two
# with something to redact, some tagged by the sample codebook.
ROWS = [
    "NEW-001,2020-01-15T10:00:00Z,Kenya,en,NGO,Funding for local groups was cut.,"
    "Write to me at ana@example.org,",
    "NEW-002,2020-01-16T11:30:00Z,France,fr,Individual,Les défenseurs sont menacés.,,Oui.",
    "NEW-003,2020-01-17T09:15:00Z,Égypte,ar,NGO,يجب حماية المدافعين عن حقوق الإنسان.,,",
    "NEW-004,2020-01-18T14:00:00Z,China,zh,Academic,应当保障民间社会的参与空间和资金。,"
    "+41 22 917 9000,",
    "NEW-005,2020-01-25T08:00:00Z,Russia,ru,NGO,Нужно больше консультаций с обществом.,,Да.",
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "later.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_an_import_from_a_path_writes_what_a_kept_import_writes(
    sample_db: Path, export: Path, tmp_path: Path
) -> None:
    # Copies of one store: the same secret, so the same record keys in the facts.
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    from_path = copy_of(sample_db, tmp_path / "a")
    kept = copy_of(sample_db, tmp_path / "b")
    con = database.connect(from_path)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        consumed = import_file(con, export, consultation)
    finally:
        con.close()
    con = database.connect(kept)
    try:
        prepared = prepare(export.read_bytes(), export.name, consultation)
        loaded = load(con, prepared)
    finally:
        con.close()
    assert consumed.responses_loaded == loaded.responses_loaded == 9
    assert consumed.respondents_loaded == loaded.respondents_loaded == 5
    # Every table alike but the imports' own record (its time and the seconds of its stages).
    assert store_snapshot(from_path, ignore=("imports",)) == store_snapshot(
        kept, ignore=("imports",)
    )
    # The app's prepared import is left whole, for another attempt.
    assert len(prepared.responses) == 9 and len(prepared.raw.frame) == 5


def test_a_consumed_import_lets_go_of_its_table_and_rows(
    sample_db: Path, export: Path, tmp_path: Path
) -> None:
    store = copy_of(sample_db, tmp_path)
    con = database.connect(store)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        prepared = prepare(export.read_bytes(), export.name, consultation)
        report = load(con, prepared, consume=True)
        assert report.responses_loaded == 9
        assert prepared.raw.frame.empty and list(prepared.raw.frame.columns) == HEADER.split(",")
        assert prepared.responses.empty and prepared.options.empty
        # The registered rows went with them: nothing of the import is left to read.
        assert not con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'new_%'"
        ).fetchone()[0]
        stored = con.execute(
            "SELECT count(*) FROM responses WHERE import_id = $i", {"i": report.import_id}
        ).fetchone()[0]
        assert stored == 9
    finally:
        con.close()


def test_writing_an_import_reports_its_stages_in_order(
    sample_db: Path, export: Path, tmp_path: Path
) -> None:
    """The bar of the Import page moves through the writing, the tagging and the figures'
    tables (tens of seconds at a million answers), never backwards, and not past the end."""
    store = copy_of(sample_db, tmp_path)
    steps: list[tuple[str, float]] = []
    con = database.connect(store)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        prepared = prepare(export.read_bytes(), export.name, consultation)
        load(con, prepared, on_step=lambda label, share: steps.append((label, share)))
    finally:
        con.close()
    labels = [label for label, _ in steps]
    assert labels[0] == "Writing the answers" and labels[-1] == "Counting the figures for the pages"
    assert "Reading the answers" in labels and "Writing the codes" in labels  # the tagging's
    shares = [share for _, share in steps]
    assert shares == sorted(shares) and shares[0] >= 0 and shares[-1] < 1
