"""Importer behaviours end to end through the CLI: shapes, blanks, ids, unknowns, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.importer import parse_mapping
from dashboard.importer.mapping import Mapping
from dashboard.store import database, queries
from tests.test_consultation import EXAMPLE

CONSULTATION = "civic-space-2020"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    definition = tmp_path / "consultation.toml"
    definition.write_text(EXAMPLE, encoding="utf-8")
    assert cli.main(["consultation", "add", str(definition), "--db", str(path)]) == 0
    return path


def run_import(db: Path, path: Path, *extra: str) -> int:
    return cli.main(["import", "--consultation", CONSULTATION, "--db", str(db), *extra, str(path)])


def figures(db: Path, capsys: pytest.CaptureFixture[str], *filters: str) -> dict:
    capsys.readouterr()
    assert cli.main(["summary", "--consultation", CONSULTATION, "--db", str(db), *filters]) == 0
    return json.loads(capsys.readouterr().out)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


WIDE = (
    "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2\n"
    "A1,2020-01-13T10:00:00Z,Senegal,Français,NGO,Une réponse,\n"
    'A2,2020-01-14T10:00:00Z,Atlantis,xx,, ,"two\nlines, with ""quotes"""\n'
    "A3,2020-01-25T10:00:00Z,,,Academic,   ,\n"
)


def test_wide_export_counts_respondents_responses_and_unknowns(db, tmp_path, capsys) -> None:
    assert run_import(db, write(tmp_path, "wide.csv", WIDE)) == 0
    printed = capsys.readouterr().out
    assert "3 rows read; 3 respondents and 2 responses loaded; 0 rows refused" in printed
    assert "Atlantis: 1" in printed and "(blank): 1" in printed
    result = figures(db, capsys)
    # A3 left every answer blank (white space only) and is still a respondent.
    assert (result["respondents"], result["responses"]) == (3, 2)
    assert result["by_region"]["Africa"] == {"respondents": 1, "responses": 1}
    assert result["by_region"]["Unknown"] == {"respondents": 2, "responses": 1}
    assert result["by_language"]["fr"]["respondents"] == 1
    assert result["by_language"]["und"]["respondents"] == 2
    assert result["window"]["after"] == {"respondents": 1, "responses": 0}
    con = database.connect(db)
    answer = con.execute("SELECT answer FROM responses WHERE question_id = 'q2'").fetchone()[0]
    assert answer == 'two\nlines, with "quotes"'
    stakeholder = con.execute(
        "SELECT stakeholder_type FROM respondents WHERE respondent_id = 'A2'"
    ).fetchone()[0]
    assert stakeholder == "Unknown"


def test_the_stored_report_says_how_long_each_stage_took(db, tmp_path) -> None:
    assert run_import(db, write(tmp_path, "wide.csv", WIDE)) == 0
    con = database.connect(db, read_only=True)
    try:
        reports = queries.frame(con, "store/import_reports", {"consultation": CONSULTATION})
    finally:
        con.close()
    report = json.loads(reports["report"].iloc[0])
    # Written after the tags and the facts, so the report holds them too.
    assert list(report["seconds"]) == ["reading", "cleaning", "writing", "tagging", "facts"]
    assert all(seconds >= 0 for seconds in report["seconds"].values())
    assert report["responses_loaded"] == 2


def test_the_same_respondent_in_two_exports_is_one_respondent(db, tmp_path, capsys) -> None:
    first = "Respondent ID,Submitted at,Q1\nP1,2020-01-13T10:00:00Z,first\n"
    second = "Respondent ID,Submitted at,Q2\nP1,2020-01-15T10:00:00Z,second\nP2,,other\n"
    assert run_import(db, write(tmp_path, "a.csv", first)) == 0
    assert run_import(db, write(tmp_path, "b.csv", second)) == 0
    assert "1 respondent ids were already in the consultation" in capsys.readouterr().out
    result = figures(db, capsys)
    assert (result["respondents"], result["responses"]) == (2, 3)
    assert result["by_day"]["Unknown"] == {"respondents": 1, "responses": 1}


def test_long_export_with_a_mapping(db, tmp_path, capsys) -> None:
    export = write(
        tmp_path,
        "long.csv",
        "Identifiant;Date;Question;Réponse\n"
        "F1;13/01/2020 10:15;Q1;oui\n"
        "F1;13/01/2020 10:15;How can the UN best partner with civil society at national level?;x\n"
        "F1;13/01/2020 10:16;Q9;hors définition\n"
        ";13/01/2020 10:17;Q1;sans auteur\n"
        "F2;14/01/2020 08:00;;\n",
        encoding="cp1252",
    )
    mapping = write(
        tmp_path,
        "map.toml",
        'format = "long"\n[columns]\nrespondent_id = "Identifiant"\nsubmitted_at = "Date"\n'
        'question_id = "Question"\nanswer = "Réponse"\n[parse]\ntimezone = "Europe/Paris"\n',
    )
    assert run_import(db, export, "--mapping", str(mapping)) == 0
    printed = capsys.readouterr().out
    assert "1 rows refused" in printed and "no respondent id" in printed
    assert "question not in the consultation: Q9: 1" in printed
    result = figures(db, capsys)
    # The question's English text is matched to q1; unknown Q9 is kept, under theme Unknown.
    assert result["by_theme"]["partnership"] == {"respondents": 1, "responses": 2}
    assert result["by_theme"]["Unknown"] == {"respondents": 1, "responses": 1}
    assert (result["respondents"], result["responses"]) == (2, 3)
    # 10:15 in Paris is 09:15 UTC: after opening at 09:00.
    assert result["window"]["during"]["respondents"] == 2


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("Identifiant\u00a0", "Identifiant"),  # a no-break space the file writes, not the mapping
        ("Identifiant ", "identifiant"),  # a trailing space, and another case
        ("Identifiant", "  IDENTIFIANT"),  # the mapping has the spaces
        ("Ide\u0301ntifiant", "Idéntifiant"),  # decomposed in the file, composed in the mapping
        ("Date  de soumission", "Date de soumission"),  # two spaces inside
    ],
)
def test_mapping_names_match_headers_as_a_person_reads_them(
    db, tmp_path, capsys, header, named
) -> None:
    """A mapping written by hand names a header the file spells with other spaces, case or
    Unicode form: it is the same column, and the import reads it (it used to be refused)."""
    date_header = header if header.startswith("Date") else "Date"
    date_named = named if header.startswith("Date") else "Date"
    id_header = header if not header.startswith("Date") else "Identifiant"
    id_named = named if not header.startswith("Date") else "Identifiant"
    export = write(
        tmp_path,
        "long.csv",
        f"{id_header};{date_header};Question;Réponse\n"
        "F1;13/01/2020 10:15;Q1;oui\nF2;14/01/2020 08:00;Q1;non\n",
    )
    mapping = write(
        tmp_path,
        "map.toml",
        f'format = "long"\n[columns]\nrespondent_id = "{id_named}"\n'
        f'submitted_at = "{date_named}"\nquestion_id = "Question"\nanswer = "Réponse"\n',
    )
    assert run_import(db, export, "--mapping", str(mapping)) == 0
    result = figures(db, capsys)
    assert (result["respondents"], result["responses"]) == (2, 2)
    assert result["window"]["during"]["respondents"] == 2


def test_google_forms_rows_get_ids_and_json_lines_import(db, tmp_path, capsys) -> None:
    forms = write(
        tmp_path,
        "forms.csv",
        "Timestamp,Q1\n2020/01/13 11:00:00 am CET,a\n2020/01/13 12:00:00 pm CET,b\n",
    )
    assert run_import(db, forms) == 0
    assert "[google-forms, wide]" in capsys.readouterr().out
    lines = write(
        tmp_path,
        "answers.jsonl",
        '{"respondent_id": "J1", "submitted_at": 1578909600000, "q1": "json", "q2": null}\n'
        '{"respondent_id": "J2", "submitted_at": 1578909600, "q1": ["a", "b"]}\n',
    )
    assert run_import(db, lines) == 0
    result = figures(db, capsys)
    assert (result["respondents"], result["responses"]) == (4, 4)
    assert result["by_day"] == {"2020-01-13": {"respondents": 4, "responses": 4}}
    con = database.connect(db)
    ids = sorted(r[0] for r in con.execute("SELECT respondent_id FROM respondents").fetchall())
    assert ids[:2] == ["J1", "J2"] and all(i.startswith("row") for i in ids[2:])


def test_summary_filters_from_the_command_line(db, tmp_path, capsys) -> None:
    assert run_import(db, write(tmp_path, "wide.csv", WIDE)) == 0
    africa = figures(db, capsys, "--region", "Africa")
    assert (africa["respondents"], africa["responses"]) == (1, 1)
    unknown = figures(db, capsys, "--country", "Unknown", "--language", "und")
    assert unknown["respondents"] == 2
    late = figures(db, capsys, "--from", "2020-01-25")
    assert (late["respondents"], late["responses"]) == (1, 0)


def test_a_mapping_round_trips_through_toml(tmp_path) -> None:
    mapping = Mapping(
        format="wide",
        sheet="Ответы",
        columns={"respondent_id": "Идентификатор"},
        questions={"Вопрос 1": "q1"},
        defaults={"language": "ru"},
        day_first=True,
        timezone="Europe/Moscow",
    )
    assert parse_mapping(mapping.to_toml()) == mapping


def test_an_unknown_consultation_is_refused(db, tmp_path, capsys) -> None:
    code = cli.main(
        ["import", "--consultation", "nope", "--db", str(db), str(write(tmp_path, "a.csv", WIDE))]
    )
    assert code == 1
    assert "no consultation 'nope'" in capsys.readouterr().err


def test_undo_removes_exactly_one_import(db, tmp_path, capsys) -> None:
    from tests.conftest import store_snapshot

    first = "Respondent ID,Submitted at,Country,Q1\nU1,2020-01-14T10:00:00Z,,first\nU2,,Kenya,\n"
    assert run_import(db, write(tmp_path, "a.csv", first)) == 0
    before_figures = figures(db, capsys)
    before = store_snapshot(db)
    # The second export names U1 again, earlier and with a country, and brings U3.
    second = (
        "Respondent ID,Submitted at,Country,Q2\n"
        "U1,2020-01-13T10:00:00Z,Senegal,second\nU3,2020-01-15T10:00:00Z,Peru,third\n"
    )
    assert run_import(db, write(tmp_path, "b.csv", second)) == 0
    con = database.connect(db)
    profile = con.execute(
        "SELECT country_iso3, region, submitted_at::VARCHAR FROM respondents "
        "WHERE respondent_id = 'U1'"
    ).fetchone()
    con.close()
    # The profile takes the earliest time and the first recognised country over both imports.
    assert profile == ("SEN", "Africa", "2020-01-13 10:00:00+00")
    capsys.readouterr()
    assert cli.main(["imports", "--consultation", CONSULTATION, "--db", str(db)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[2] for line in listing] == ["b.csv", "a.csv"]
    newest = int(listing[0].split("\t")[0])
    assert (
        cli.main(["undo", "--consultation", CONSULTATION, "--import", str(newest), "--db", str(db)])
        == 0
    )
    assert figures(db, capsys) == before_figures
    # Everything is as before the second import, but for the audit log, which keeps both, and
    # the store's version, which each write raised.
    bookkeeping = ("audit_log", "store_version")
    assert store_snapshot(db, ignore=bookkeeping) == {
        table: state for table, state in before.items() if table not in bookkeeping
    }
    con = database.connect(db)
    actions = [
        row[0]
        for row in con.execute("SELECT action FROM audit_log ORDER BY happened_at").fetchall()
    ]
    con.close()
    assert actions[-3:] == ["import", "import", "undo"]
    # Undone, the same file can come in again.
    assert run_import(db, tmp_path / "b.csv") == 0
    assert "already imported" not in capsys.readouterr().out


def test_undo_of_an_unknown_import_is_refused(db, capsys) -> None:
    assert (
        cli.main(["undo", "--consultation", CONSULTATION, "--import", "99", "--db", str(db)]) == 1
    )
    assert "has no import 99" in capsys.readouterr().err
