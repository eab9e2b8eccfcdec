"""Placeholders that mean "nothing" and rows without a respondent id: never a silent count.

A value is blanked only when declared (`[parse] blank_values`, or by a platform adapter); a value
that merely looks like a placeholder is counted as written and reported. A row without an id is
never given one silently: the report says how many and what was done, and `summary --json`
counts the respondents so numbered the same way.
"""

from __future__ import annotations

import pytest

from dashboard.definition.consultation import parse_consultation
from dashboard.importer import MappingError, parse_mapping, prepare
from dashboard.importer.blanks import PLACEHOLDER_CANDIDATES
from dashboard.importer.mapping import Mapping
from dashboard.importer.pipeline import ImportReport
from tests.test_consultation import EXAMPLE
from tests.test_importer import db, figures, run_import, write  # noqa: F401 (db: a fixture)

LOOKALIKE = "looks like a placeholder, counted as an answer: declare it in [parse] blank_values"
DECLARED = "placeholder read as blank (declared in [parse] blank_values)"
ID_LOOKALIKE = (
    "respondent id looks like a placeholder, so all its rows are ONE respondent: "
    "declare it in [parse] blank_values"
)


def report_for(text: str, mapping: str | None = None, name: str = "export.csv") -> ImportReport:
    consultation = parse_consultation(EXAMPLE)
    given = parse_mapping(mapping) if mapping is not None else None
    return prepare(text.encode("utf-8"), name, consultation, given).report


def findings(report: ImportReport) -> list[tuple[str, str, int]]:
    return [tuple(row) for row in report.findings().itertuples(index=False)]


def declared(*values: str) -> str:
    listed = ", ".join(f'"{v}"' for v in values)
    return f"[parse]\nblank_values = [{listed}]\n"


def wide_with_answers(*answers: str) -> str:
    lines = ["Respondent ID,Submitted at,Q1"]
    lines += [f"R{i},2020-01-14T10:00:00Z,{a}" for i, a in enumerate(answers, start=1)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- answers

PLACEHOLDERS = ["N/A", "NA", "n/a", "-", "--", "None", "null", "No answer", "Not selected", "."]


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_an_undeclared_placeholder_is_an_answer_and_is_reported(placeholder: str) -> None:
    report = report_for(wide_with_answers(placeholder, "A real answer", f"  {placeholder} "))
    assert report.responses == 3  # nothing changes silently
    assert (LOOKALIKE, f"{placeholder!r} in answers", 2) in findings(report)
    assert report.placeholders_blanked == []


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_a_declared_placeholder_is_blank_whatever_its_case_and_spacing(placeholder: str) -> None:
    text = wide_with_answers(placeholder.upper(), "A real answer", f"  {placeholder.lower()} ")
    report = report_for(text, declared(placeholder))
    assert (report.respondents, report.responses) == (3, 1)
    assert sum(p["rows"] for p in report.placeholders_blanked) == 2
    assert {p["value"] for p in report.placeholders_blanked} == {
        placeholder.upper(),
        placeholder.lower(),
    }
    assert not report.placeholder_lookalikes
    assert (DECLARED, "'-' in answers", 1) in findings(
        report_for(wide_with_answers("-"), declared("-"))
    )


def test_any_declared_value_is_blank_and_only_the_candidates_are_reported() -> None:
    report = report_for(
        wide_with_answers("Pas de réponse", "(blank)", "Yes"), declared("pas de RÉPONSE")
    )
    assert report.responses == 2
    assert report.placeholders_blanked == [
        {"field": "answer", "value": "Pas de réponse", "rows": 1}
    ]
    assert report.placeholder_lookalikes == [{"field": "answer", "value": "(blank)", "rows": 1}]
    # "Yes", and text that only contains a placeholder, are answers like any other.
    assert len(report_for(wide_with_answers("N/A here", "-5")).placeholder_lookalikes) == 0


def test_the_candidate_list_is_the_documented_one() -> None:
    assert set(PLACEHOLDER_CANDIDATES) == {
        "N/A", "NA", "n/a", "-", "--", "None", "null", "No answer", "Not selected", "(blank)", ".",
    }  # fmt: skip


def test_declared_placeholders_in_respondent_fields(db, tmp_path, capsys) -> None:  # noqa: F811
    text = (
        "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1\n"
        "R1,2020-01-14T10:00:00Z,N/A,-,-,Answer\n"
        "R2,2020-01-14T10:00:00Z,Senegal,fr,NGO,N/A\n"
        "R3,2020-01-14T10:00:00Z,n/a,en,-,-\n"
    )
    report = report_for(text)
    assert report.unknown_countries == {"N/A": 1, "n/a": 1}
    assert {(p["field"], p["value"]) for p in report.placeholder_lookalikes} == {
        ("country", "N/A"), ("country", "n/a"), ("language", "-"),
        ("stakeholder_type", "-"), ("answer", "N/A"), ("answer", "-"),
    }  # fmt: skip
    mapping = write(tmp_path, "mapping.toml", declared("n/a", "-"))
    assert run_import(db, write(tmp_path, "fields.csv", text), "--mapping", str(mapping)) == 0
    printed = capsys.readouterr().out
    assert "placeholder read as blank:" in printed and "'N/A' in country: 1" in printed
    result = figures(db, capsys)
    assert (result["respondents"], result["responses"]) == (3, 1)
    assert result["by_region"]["Unknown"]["respondents"] == 2
    assert result["by_language"]["und"]["respondents"] == 1
    assert result["respondents_without_id"] == 0
    blanked = report_for(text, declared("n/a", "-"))
    assert blanked.unknown_countries == {"(blank)": 2}
    assert blanked.unknown_languages == {"(blank)": 1}


def test_declared_placeholders_in_a_long_export() -> None:
    text = (
        "Respondent ID,Question,Answer\nP1,q1,Not selected\nP1,q2,Something\nP2,q1,not selected\n"
    )
    assert report_for(text).responses == 3
    report = report_for(text, declared("Not Selected"))
    assert (report.respondents, report.responses, report.rows_refused) == (2, 1, 0)
    assert sum(p["rows"] for p in report.placeholders_blanked) == 2


# ------------------------------------------------------------------------------ the ids


def long_with_authors(*authors: str) -> str:
    lines = ["Respondent ID,Question,Answer"]
    lines += [f"{a},q1,Comment {i}" for i, a in enumerate(authors, start=1)]
    return "\n".join(lines) + "\n"


def test_an_author_written_none_is_reported_prominently(db, tmp_path, capsys) -> None:  # noqa: F811
    text = long_with_authors("None", "u1", "None", "u2", "None")
    report = report_for(text)
    # Undeclared, "None" is one respondent, as the file says; but never unseen.
    assert (report.respondents, report.responses) == (3, 5)
    assert findings(report)[0] == (ID_LOOKALIKE, "'None' in respondent ids", 3)
    assert any("respondent id 'None'" in note and "ONE respondent" in note for note in report.notes)
    assert run_import(db, write(tmp_path, "authors.csv", text)) == 0
    printed = capsys.readouterr().out
    assert "3 rows have the respondent id 'None'" in printed


@pytest.mark.parametrize("written", ["None", "none", " NONE "])
def test_an_author_none_declared_blank_is_no_author(written: str) -> None:
    text = long_with_authors(written, "u1", written, "u2")
    report = report_for(text, declared("None"))
    # A long export's row without an owner is refused, as a blank id is.
    assert (report.respondents, report.responses) == (2, 2)
    assert report.rows_refused == report.rows_without_id == 2
    assert ("no respondent id: rows refused", "", 2) in findings(report)
    assert all("looks like a placeholder" not in f[0] for f in findings(report))


def test_blank_ids_in_a_wide_export_are_numbered_and_counted(db, tmp_path, capsys) -> None:  # noqa: F811
    text = (
        "Respondent ID,Submitted at,Q1\n"
        "A1,2020-01-14T10:00:00Z,one\n"
        ",2020-01-14T11:00:00Z,two\n"
        "None,2020-01-14T12:00:00Z,three\n"
        "  ,2020-01-14T13:00:00Z,four\n"
    )
    report = report_for(text, declared("None"))
    assert (report.respondents, report.responses, report.rows_without_id) == (4, 4, 3)
    assert (
        "no respondent id: each row counted as one respondent (row{n}@{file hash})",
        "",
        3,
    ) in findings(report)
    assert any(note.startswith("3 rows have no respondent id") for note in report.notes)

    mapping = write(tmp_path, "mapping.toml", declared("None"))
    path = write(tmp_path, "ids.csv", text)
    assert run_import(db, path, "--mapping", str(mapping)) == 0
    assert "3 rows have no respondent id" in capsys.readouterr().out
    result = figures(db, capsys)
    assert (result["respondents"], result["respondents_without_id"]) == (4, 3)
    # Filters apply as to every figure: the row-numbered respondents answered at 11, 12, 13h.
    assert figures(db, capsys, "--language", "und")["respondents_without_id"] == 3


def test_blank_ids_in_a_long_export_are_refused_and_counted() -> None:
    report = report_for("Respondent ID,Question,Answer\nP1,q1,yes\n,q1,orphan\n,q2,orphan too\n")
    assert (report.respondents, report.responses) == (1, 1)
    assert report.rows_refused == report.rows_without_id == 2
    assert any(note.startswith("2 rows were refused") for note in report.notes)


def test_no_id_column_every_row_is_one_respondent(db, tmp_path, capsys) -> None:  # noqa: F811
    text = (
        "Submitted at,Q1\n2020-01-14T10:00:00Z,a\n2020-01-14T10:00:00Z,a\n2020-01-15T10:00:00Z,\n"
    )
    report = report_for(text)
    assert (report.respondents, report.rows_without_id) == (3, 3)
    assert any("the file has no respondent id column" in note for note in report.notes)
    assert run_import(db, write(tmp_path, "no-ids.csv", text)) == 0
    capsys.readouterr()
    result = figures(db, capsys)
    assert result["respondents"] == result["respondents_without_id"] == report.rows_without_id


HEAD, T = "Respondent ID,Submitted at,", "2020-01-15T10:00:00Z"


def test_summary_agrees_with_the_reports_over_several_files(db, tmp_path, capsys) -> None:  # noqa: F811
    files = {
        "one.csv": f"{HEAD}Q1\nA1,{T},x\n,{T},y\n",
        "two.csv": f"{HEAD}Q2\n,{T},x\n,{T},\n",
        # A real id that looks like a made-up one is not taken for one: its hash is no file's.
        "three.csv": "Respondent ID,Submitted at,Q1\nrow2@0123abcd,2020-01-15T10:00:00Z,x\n",
    }
    expected = 0
    for name, text in files.items():
        expected += report_for(text, name=name).rows_without_id
        assert run_import(db, write(tmp_path, name, text)) == 0
    result = figures(db, capsys)
    assert expected == 3
    assert (result["respondents"], result["respondents_without_id"]) == (5, expected)


def test_a_store_without_made_up_ids_says_zero(db, tmp_path, capsys) -> None:  # noqa: F811
    assert figures(db, capsys)["respondents_without_id"] == 0


# --------------------------------------------------------------------------- the mapping


def test_blank_values_round_trip_and_validation() -> None:
    mapping = parse_mapping('[parse]\nblank_values = ["N/A", "-"]\n')
    assert mapping.blank_values == ("N/A", "-")
    assert parse_mapping(mapping.to_toml()) == mapping
    assert parse_mapping("[columns]\n").blank_values == ()
    for wrong in ('"N/A"', "[1, 2]", '[""]'):
        with pytest.raises(MappingError, match="blank_values"):
            parse_mapping(f"[parse]\nblank_values = {wrong}\n")


def test_a_platforms_placeholders_and_the_users_both_apply() -> None:
    platform = Mapping(platform="example", blank_values=("Not selected",))
    user = Mapping(blank_values=("N/A", "Not selected"))
    assert user.merged_over(platform).blank_values == ("Not selected", "N/A")
    assert Mapping().merged_over(platform).blank_values == ("Not selected",)


def test_cells_that_are_not_text_are_never_placeholders() -> None:
    """JSON numbers and booleans (ids, ticks) are compared with nothing."""
    records = (
        '[{"Respondent ID": 1, "Q1": "N/A", "Q2": true},'
        ' {"Respondent ID": 2, "Q1": 3, "Q2": false}]'
    )
    report = report_for(records, declared("N/A", "3", "true"), name="export.json")
    assert report.placeholders_blanked == [{"field": "answer", "value": "N/A", "rows": 1}]
    assert (report.respondents, report.responses, report.rows_without_id) == (2, 3, 0)


def test_the_import_page_declares_placeholders(db, tmp_path, monkeypatch) -> None:  # noqa: F811
    from tests.test_import_page import open_import_page, upload

    at = open_import_page(db, monkeypatch)
    path = write(tmp_path, "placeholders.csv", wide_with_answers("N/A", "yes", "n/a", "no"))
    key = upload(at, path)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Respondents"], metrics["Responses"]) == ("4", "4")
    # The page heads the report's columns in its language: "Finding", "Value", "Rows".
    shown = next(d.value for d in at.dataframe if "Finding" in d.value.columns)
    assert set(shown.loc[shown["Finding"] == LOOKALIKE, "Value"]) == {
        "'N/A' in answers",
        "'n/a' in answers",
    }
    at.text_input(key=f"{key}-blank-values").input("N/A").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Respondents"], metrics["Responses"]) == ("4", "2")
    shown = next(d.value for d in at.dataframe if "Finding" in d.value.columns)
    assert shown.loc[shown["Finding"] == DECLARED, "Rows"].sum() == 2
