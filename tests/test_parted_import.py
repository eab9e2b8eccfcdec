"""A large export is read and written in parts (issue 18: one 10-million-response file), and
stored exactly as it is read whole: every table, the import's record and its report."""

from __future__ import annotations

import gc
import json
import shutil
import weakref
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.importer import parted, pipeline
from dashboard.importer.mapping import Mapping
from dashboard.importer.reading import (
    DelimitedParts,
    FileRefused,
    NotInParts,
    environment_limits,
    read_export,
)
from dashboard.store import database, queries
from tests.conftest import copy_of, store_snapshot

CONSULTATION = "civic-space-2020"
# What differs by how an import was written rather than by what it stored: the import's own row
# (when, how long), and the store's version, raised by each commit (an import in parts commits
# its rows, then its tags and facts).
BOOKKEEPING = ("imports", "store_version")
HEADER = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2,Q3"
# Rows that test what must be decided on the whole file. Read three rows at a time:
# - the dates of the first parts could be read either way (03/01/2020); only row 9's 25/01/2020
#   says they are day first;
# - R-02 answers twice, in the first part and the last (a duplicate id, counted once);
# - a blank row, a row without id, a stray control character, a quoted line break, an e-mail to
#   redact, an unknown country, a declared placeholder ("n/a") and look-alikes ("N/A", "-").
ROWS = [
    "R-01,03/01/2020 10:00,Kenya,en,NGO,Funding for local groups was cut.,n/a,",
    "R-02,04/01/2020 11:30,France,fr,Individual,Les défenseurs sont menacés.,,Oui.",
    "R-03,05/01/2020 09:15,Égypte,ar,NGO,يجب حماية المدافعين عن حقوق الإنسان.,N/A,",
    "",
    ",06/01/2020 14:00,China,zh,Academic,应当保障民间社会的参与空间和资金。,-,",
    'R-05,07/01/2020 08:00,Russia,ru,NGO,"Нужно больше\nконсультаций.",,Да.',
    "R-06,08/01/2020 08:00,Atlantis,en,NGO,Write to me at ana@example.org,-,N/A",
    "R-07,09/01/2020 08:00,Chile,es,NGO,La sociedad civil\x07 necesita espacio.,,",
    "R-08,25/01/2020 08:00,Brazil,pt,NGO,A sociedade civil precisa de espaço.,,n/a",
    "R-02,10/01/2020 12:00,France,fr,Individual,Une deuxième réponse.,,",
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "large.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def _import(store: Path, path: Path, **how: object) -> dict:
    con = database.connect(store)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        mapping = Mapping(blank_values=("n/a",))
        report = parted.import_file(con, path, consultation, mapping, **how)
    finally:
        con.close()
    return report.to_dict()


def _imports_record(store: Path) -> list[dict]:
    """The import's row, but for when it was made and how long its stages took."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT * EXCLUDE (import_id, imported_at) FROM imports").df()
    finally:
        con.close()
    records = rows.to_dict("records")
    for record in records:
        report = json.loads(record.pop("report"))
        report.pop("seconds")
        record["report"] = report
    return records


def _without_seconds(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "seconds"}


def _whole_and_in_parts(
    sample_db: Path, tmp_path: Path, path: Path, part_rows: int
) -> tuple[tuple[dict, Path], tuple[dict, Path]]:
    (tmp_path / "whole").mkdir(), (tmp_path / "parts").mkdir()
    whole, in_parts = copy_of(sample_db, tmp_path / "whole"), copy_of(sample_db, tmp_path / "parts")
    read_whole = _import(whole, path, in_parts_from=path.stat().st_size + 1)
    read_in_parts = _import(in_parts, path, in_parts_from=0, part_rows=part_rows)
    return (read_whole, whole), (read_in_parts, in_parts)


def test_an_export_in_parts_is_stored_as_read_whole(
    sample_db: Path, export: Path, tmp_path: Path
) -> None:
    (whole, whole_store), (in_parts, parts_store) = _whole_and_in_parts(
        sample_db, tmp_path, export, part_rows=3
    )
    # What needed the whole file was decided on it, in both.
    assert in_parts["date_order"] == "dmy"
    assert in_parts["duplicate_respondent_ids"] == {"R-02": 2}
    assert in_parts["rows_read"] == 9 and in_parts["rows_without_id"] == 1
    assert in_parts["respondents"] == 8 and in_parts["responses_loaded"] == 13
    assert in_parts["unknown_countries"] == {"Atlantis": 1}
    # Declared placeholders are compared with case ignored: "N/A" is blank as "n/a" is.
    assert in_parts["placeholders_blanked"] == [
        {"field": "answer", "value": "N/A", "rows": 2},
        {"field": "answer", "value": "n/a", "rows": 2},
    ]
    assert in_parts["placeholder_lookalikes"] == [{"field": "answer", "value": "-", "rows": 2}]
    assert _without_seconds(in_parts) == _without_seconds(whole) | {
        "import_id": in_parts["import_id"]
    }
    assert store_snapshot(parts_store, ignore=BOOKKEEPING) == store_snapshot(
        whole_store, ignore=BOOKKEEPING
    )
    assert _imports_record(parts_store) == _imports_record(whole_store)


def test_a_real_export_in_parts_is_stored_as_read_whole(
    realdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Have your say's AI Act feedback: 304 rows in 24 languages, texts with line breaks."""
    from dashboard import cli

    path = realdata / "have-your-say" / "ai-act-2021__feedbacks.csv"
    definition = Path(__file__).parent / "realdata_defs" / "hys-ai-act-2021.toml"
    base = tmp_path / "base.duckdb"
    assert cli.main(["consultation", "add", str(definition), "--db", str(base)]) == 0
    stores = []
    for name, how in (("whole", {"in_parts_from": 10**12}), ("parts", {"part_rows": 50})):
        # Copies of one store: the same secret, so the same record keys in the facts.
        store = shutil.copy(base, tmp_path / f"{name}.duckdb")
        con = database.connect(store)
        try:
            consultation = database.get_consultation(con, "hys-ai-act-2021")
            report = parted.import_file(con, path, consultation, **{"in_parts_from": 0, **how})
        finally:
            con.close()
        stores.append(store)
        # The figures an analyst counts in the file: 304 rows, one without feedback.
        assert (report.respondents, report.responses_loaded) == (304, 303)
    capsys.readouterr()
    assert store_snapshot(stores[1], ignore=BOOKKEEPING) == store_snapshot(
        stores[0], ignore=BOOKKEEPING
    )
    assert _imports_record(stores[1]) == _imports_record(stores[0])


def test_a_file_changed_between_the_passes_is_refused_and_nothing_is_written(
    sample_db: Path, export: Path, tmp_path: Path
) -> None:
    store = copy_of(sample_db, tmp_path)
    before = store_snapshot(store)
    con = database.connect(store)

    changed = []

    def change_the_file(label: str, share: float) -> None:
        # Once the first pass is done, before the second reads anything.
        if label == "Writing the answers" and not changed:
            with export.open("a", encoding="utf-8") as handle:
                handle.write("R-09,11/01/2020 08:00,Peru,es,NGO,Otra respuesta.,,\n")
            changed.append(share)

    try:
        consultation = database.get_consultation(con, CONSULTATION)
        with pytest.raises(FileRefused, match="changed while it was being imported"):
            parted.import_in_parts(con, export, consultation, part_rows=3, on_step=change_the_file)
    finally:
        con.close()
    gc.collect()
    assert store_snapshot(store) == before


def test_an_import_in_parts_shows_its_progress(
    sample_db: Path, export: Path, tmp_path: Path
) -> None:
    store = copy_of(sample_db, tmp_path)
    steps: list[tuple[str, float]] = []
    con = database.connect(store)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        parted.import_file(
            con,
            export,
            consultation,
            in_parts_from=0,
            part_rows=3,
            on_step=lambda label, fraction: steps.append((label, fraction)),
        )
    finally:
        con.close()
    fractions = [fraction for _label, fraction in steps]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] < 1
    labels = list(dict.fromkeys(label for label, _fraction in steps))
    assert labels[:2] == ["Reading the file", "Writing the answers"]
    assert labels[-1] == "Counting the figures for the pages"
    # The bar moves part by part in both passes (four parts of three rows).
    assert sum(label == "Reading the file" for label, _f in steps) >= 4
    assert sum(label == "Writing the answers" for label, _f in steps) >= 4


LONG = "respondent,question,answer\nR-1,Q1,Yes\nR-1,Q2,No\n"
SPREAD = "Respondent ID,Q1 [a],Q1 [b]\nR-1,Yes,\nR-2,,Yes\n"


@pytest.mark.parametrize(
    ("name", "text", "mapping"),
    [
        (
            "long.csv",
            LONG,
            Mapping(
                format="long",
                columns={
                    "respondent_id": "respondent",
                    "question_id": "question",
                    "answer": "answer",
                },
            ),
        ),
        ("spread.csv", SPREAD, Mapping(questions={"Q1 [a]": "q1", "Q1 [b]": "q1"})),
    ],
    ids=["long-export", "question-over-two-columns"],
)
def test_what_needs_the_whole_file_is_read_whole(
    sample_db: Path, tmp_path: Path, name: str, text: str, mapping: Mapping
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    store = copy_of(sample_db, tmp_path)
    con = database.connect(store)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        with pytest.raises(NotInParts):
            parted.import_in_parts(con, path, consultation, mapping)
        # ...and `import_file` then reads it whole.
        report = parted.import_file(con, path, consultation, mapping, in_parts_from=0)
    finally:
        con.close()
    assert report.import_id is not None and report.responses_loaded == 2


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ('a,b\r\n1,2\r\n\r\n3,"x\r\ny"\r\n4,5\r\n', "utf-8"),
        ("a;b\n1;é\n2;ü\n3;\x01ç\n", "utf-8-sig"),
        (",\nQuestion,Answer\nQ,A\n1,2\n3,4\n5,6\n", "utf-8"),
    ],
    ids=["crlf-blank-row-quoted-break", "semicolons-bom-control", "header-under-blank-row"],
)
def test_parts_are_the_rows_read_whole(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    export = DelimitedParts(path, environment_limits(path.name), part_rows=3)
    parts = list(export.parts())
    whole = read_export(path.read_bytes(), path.name)
    assert len(parts) > 1
    # The same rows, values and row numbers (the index), blank rows left out alike.
    assert pd.concat([p.frame for p in parts]).equals(whole.frame)
    assert (export.delimiter, export.encoding) == (whole.delimiter, whole.encoding)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("export.json", b'[{"a": 1}]'),
        ("export.csv", "a,b\n1,é\n".encode("cp1252")),
        ("export.csv", "a,b\n1,2\n".encode("utf-16")),
        ("export.csv", b"a,,b\n1,,2\n"),  # an unnamed column, blank here
        ("export.csv", b'a,b\n1,"2\n'),  # a quote never closed
        ("export.csv", b"\n\na,b\n1,2\n"),  # blank lines above the header
    ],
    ids=["json", "cp1252", "utf-16", "unnamed-blank-column", "open-quote", "blank-lines-above"],
)
def test_exports_only_read_whole_are_said_so(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(NotInParts):
        export = DelimitedParts(path, environment_limits(path.name), part_rows=1)
        list(export.parts())


def test_a_written_part_is_let_go_before_the_commit(tmp_path: Path) -> None:
    """A frame registered in a transaction lives until the commit; one given to the statement
    goes as soon as it is written, so an import in parts holds one part at a time."""
    con = database.connect(tmp_path / "store.duckdb")
    try:
        part = pd.DataFrame({"consultation_id": ["c"], "import_id": [1], "source_row": [2]})
        part = part.assign(respondent_id="r", question_id="q", option="o", position=0)
        alive = weakref.ref(part)
        with database.transaction(con):
            queries.execute_on(con, "store/insert_response_options", "new_response_options", part)
            del part
            gc.collect()
            assert alive() is None
        assert con.execute("SELECT count(*) FROM response_options").fetchone() == (1,)
    finally:
        con.close()


def test_the_parts_are_written_and_counted_within_their_memory_limit(
    sample_db: Path, tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB keeps within MEMORY_LIMIT while the parts are written and while they are tagged
    and counted (what it holds beyond goes to disk), leaving the rest to their cleaning; the
    tagging comes after the answers are committed, and what comes after the import has the
    connection's own limit again."""
    store = copy_of(sample_db, tmp_path)
    seen: dict[str, object] = {}

    def limit(con: duckdb.DuckDBPyConnection) -> str:
        return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]

    def insert_answers(con, *args, **kwargs) -> None:
        seen["answers"] = limit(con)
        insert(con, *args, **kwargs)

    def tag(con, consultation_id, import_id, **kwargs) -> int:
        seen["tagging"] = limit(con)
        # Another cursor sees only what is committed.
        other = con.cursor()
        seen["committed"] = other.execute(
            "SELECT count(*) FROM responses WHERE import_id = $id", {"id": import_id}
        ).fetchall()[0][0]
        seen["uncounted"] = pipeline.uncounted_imports(other, CONSULTATION)["import_id"].tolist()
        other.close()
        return tag_all(con, consultation_id, import_id, **kwargs)

    insert, tag_all = pipeline._insert_answers, pipeline.tagging.tag
    monkeypatch.setattr(pipeline, "_insert_answers", insert_answers)
    monkeypatch.setattr(pipeline.tagging, "tag", tag)
    con = database.connect(store)
    try:
        own = limit(con)
        consultation = database.get_consultation(con, CONSULTATION)
        report = parted.import_file(con, export, consultation, in_parts_from=0, part_rows=3)
        after = limit(con)
        uncounted_after = pipeline.uncounted_imports(con, CONSULTATION)
        con.execute("SET memory_limit = $limit", {"limit": parted.MEMORY_LIMIT})
        expected = limit(con)
    finally:
        con.close()
    assert report.responses_loaded > 0
    assert seen["answers"] == seen["tagging"] == expected
    assert seen["committed"] == report.responses_loaded
    assert seen["uncounted"] == [report.import_id]
    assert uncounted_after.empty
    # Set back twice (after the parts, after the counting), the limit is the one DuckDB showed.
    assert after == own
    assert _bytes(expected) < _bytes(own) / 2


def _bytes(setting: str) -> float:
    """DuckDB's shown memory limit ("476.8 MiB", "11.7 GiB") in bytes."""
    number, unit = setting.split()
    return float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}[unit]
