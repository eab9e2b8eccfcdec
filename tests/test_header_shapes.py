"""Header shapes: multi-row headers are recognised from evidence in the rows, combined into one
readable, unique header per column, and never read as respondents; a question exported as one
column per option maps, column by column, to one question."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from dashboard.definition.consultation import parse_consultation
from dashboard.importer import prepare
from dashboard.importer.mapping import detect
from dashboard.importer.reading import read_export

SURVEYMONKEY = (
    "RespondentID,StartDate,EndDate,Which fruit do you like? Select all.,,,Age,"
    "Where do you live?,\n"
    ",,,Apple,Pear,Other (please specify),Response,Response,Other (please specify)\n"
    "101,7/10/14 18:37,7/10/14 18:39,Apple,,,30-44,Rome,\n"
    "102,7/10/14 19:00,7/10/14 19:05,Apple,Pear,kiwi,18-29,,a village\n"
    "103,7/11/14 08:00,7/11/14 08:01,,,,,,\n"
)

CONSULTATION = """
id = "fruit"
title = "Fruit"
opens = 2014-07-01T00:00:00Z
closes = 2014-07-31T23:59:59Z
timezone = "UTC"
languages = ["en"]

[[themes]]
id = "all"
label.en = "All"
questions = ["fruit", "age", "home"]

[[questions]]
id = "fruit"
text.en = "Which fruit do you like? Select all."

[[questions]]
id = "age"
text.en = "Age"

[[questions]]
id = "home"
text.en = "Where do you live?"
"""


@pytest.fixture
def consultation():
    return parse_consultation(CONSULTATION)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_surveymonkey_two_rows_combined(consultation):
    table = read_export(SURVEYMONKEY.encode(), "monkey.csv")
    assert table.headers == [
        "RespondentID",
        "StartDate",
        "EndDate",
        "Which fruit do you like? Select all. | Apple",
        "Which fruit do you like? Select all. | Pear",
        "Which fruit do you like? Select all. | Other (please specify)",
        "Age",
        "Where do you live?",
        "Where do you live? | Other (please specify)",
    ]
    assert len(table.frame) == 3  # the sub-answer row is a header, not a respondent
    assert table.row_number(table.frame.index[0]) == 3
    assert table.option_labels == {
        "Which fruit do you like? Select all. | Apple": "Apple",
        "Which fruit do you like? Select all. | Pear": "Pear",
        "Which fruit do you like? Select all. | Other (please specify)": "Other (please specify)",
        "Where do you live? | Other (please specify)": "Other (please specify)",
    }
    assert table.platform_hint == "surveymonkey"
    mapping = detect(table.headers, consultation, table.option_labels)
    assert mapping.questions == {
        "Which fruit do you like? Select all. | Apple": "fruit",
        "Which fruit do you like? Select all. | Pear": "fruit",
        "Which fruit do you like? Select all. | Other (please specify)": "fruit",
        "Age": "age",
        "Where do you live?": "home",
        "Where do you live? | Other (please specify)": "home",
    }


def test_surveymonkey_import_reports_the_header_rows(consultation):
    prepared = prepare(SURVEYMONKEY.encode(), "monkey.csv", consultation)
    report = prepared.report
    assert report.platform == "surveymonkey"
    assert report.respondents == 3
    assert any("Header rows 1-2 combined (SurveyMonkey" in note for note in report.notes)
    assert set(prepared.respondents["respondent_id"]) == {"101", "102", "103"}
    pairs = prepared.responses[["respondent_id", "question_id"]].drop_duplicates()
    assert sorted(map(tuple, pairs.to_numpy())) == [
        ("101", "age"),
        ("101", "fruit"),
        ("101", "home"),
        ("102", "age"),
        ("102", "fruit"),
        ("102", "home"),
    ]
    # EndDate, US month-first: 7/10/14 is 10 July.
    first = prepared.respondents.set_index("respondent_id").loc["101", "submitted_at"]
    assert first.isoformat().startswith("2014-07-10T18:39")


def test_surveymonkey_xlsx_is_read_the_same_way():
    rows = [line.split(",") for line in SURVEYMONKEY.strip().split("\n")]
    table = read_export(_xlsx(rows), "monkey.xlsx")
    assert table.headers == read_export(SURVEYMONKEY.encode(), "monkey.csv").headers
    assert len(table.frame) == 3


def test_surveymonkey_condensed_export_has_one_column_per_question(consultation):
    text = (
        "Respondent ID,Start Date,End Date,Which fruit do you like? Select all.,Age\n"
        ",,,Response,Response\n"
        "1,7/10/14 18:37,7/10/14 18:39,Apple;Pear,30-44\n"
    )
    table = read_export(text.encode(), "condensed.csv")
    assert table.headers == [
        "Respondent ID",
        "Start Date",
        "End Date",
        "Which fruit do you like? Select all.",
        "Age",
    ]
    assert table.option_labels == {}
    assert len(table.frame) == 1


@pytest.mark.parametrize(
    "second_row",
    [
        "1,Response,x\n",  # an answer "Response", but the id column is filled: a respondent
        "1,2,3\n",
    ],
)
def test_an_ordinary_second_row_is_a_respondent(second_row):
    table = read_export(("RespondentID,Age,Answer\n" + second_row).encode(), "plain.csv")
    assert table.headers == ["RespondentID", "Age", "Answer"]
    assert len(table.frame) == 1
    assert table.header_note is None


@pytest.mark.parametrize("quote", ["json", "single"])
def test_qualtrics_three_rows(quote):
    def import_id(name: str) -> str:
        return json.dumps({"ImportId": name}) if quote == "json" else f"{{'ImportId': '{name}'}}"

    # One column per line: column id, question text, ImportId, then two respondents.
    columns = [
        ("StartDate", "Start Date", "startDate", "2024-01-01 10:00:00", "2024-01-02 10:00:00"),
        ("EndDate", "End Date", "endDate", "2024-01-01 10:05:00", "2024-01-02 10:05:00"),
        ("RecordedDate", "Recorded", "recordedDate", "2024-01-01 10:05:01", "2024-01-02 10:05:01"),
        ("ResponseId", "Response ID", "_recordId", "R_1", "R_2"),
        ("Finished", "Finished", "finished", "1", "0"),
        ("Status", "Response Type", "status", "0", "1"),
        ("UserLanguage", "User Language", "userLanguage", "EN", "ZH-S"),
        ("Q1", "Your name?", "QID1_TEXT", "Ann", ""),
        ("Q2_1", "Fruit - Apple", "QID2_1", "1", ""),
        ("Q2_2", "Fruit - Pear", "QID2_2", "", "1"),
        ("Q3", "Why?", "QID3_TEXT", "Because", ""),
        ("Q3 - Topics", "Q3 - Topics", "QID3_TEXT - Topics", "", ""),
    ]  # fmt: skip
    rows = [list(row) for row in zip(*columns, strict=True)]
    rows[2] = [import_id(name) for name in rows[2]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    table = read_export(buffer.getvalue().encode(), "qualtrics.csv")
    assert table.headers == [
        "StartDate",
        "EndDate",
        "RecordedDate",
        "ResponseId",
        "Finished",
        "Status",
        "UserLanguage",
        "Q1 | Your name?",
        "Q2 | Fruit | Apple",
        "Q2 | Fruit | Pear",
        "Q3 | Why?",
        "Q3 - Topics",
    ]
    assert table.option_labels == {"Q2 | Fruit | Apple": "Apple", "Q2 | Fruit | Pear": "Pear"}
    assert len(table.frame) == 2
    assert table.platform_hint == "qualtrics"

    consultation = parse_consultation(
        CONSULTATION.replace('"fruit", "age", "home"', '"q1", "q2", "why"')
        .replace('id = "fruit"', 'id = "q1"')
        .replace('id = "age"', 'id = "q2"')
        .replace('id = "home"', 'id = "why"')
        .replace("Where do you live?", "Why?")
    )
    mapping = detect(table.headers, consultation, table.option_labels)
    assert mapping.questions == {
        "Q1 | Your name?": "q1",
        "Q2 | Fruit | Apple": "q2",
        "Q2 | Fruit | Pear": "q2",
        "Q3 | Why?": "why",
    }
    prepared = prepare(buffer.getvalue().encode(), "qualtrics.csv", consultation)
    assert prepared.mapping.columns["submitted_at"] == "RecordedDate"
    assert prepared.mapping.columns["respondent_id"] == "ResponseId"
    assert prepared.mapping.columns["language"] == "UserLanguage"
    notes = " ".join(prepared.report.notes)
    assert "1 row has Status 'Survey Preview'" in notes
    assert "1 row has Finished = 0" in notes
    assert prepared.report.respondents == 2


def test_qualtrics_legacy_two_rows():
    text = (
        "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1,Q2_1,Q2_2,LocationLatitude,\n"
        "ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,"
        "StartDate,EndDate,Finished,Your name?,Fruit-Apple,Fruit-Pear,LocationLatitude,\n"
        "R_1,Default,Anonymous,,,,0,2016-06-21 15:47:04,2016-06-21 15:48:04,1,Ann,1,,42.4,\n"
    )
    table = read_export(text.encode(), "legacy.csv")
    assert table.headers[:3] == ["ResponseID", "ResponseSet", "Name"]
    assert table.headers[10:] == [
        "Q1 | Your name?",
        "Q2 | Fruit | Apple",
        "Q2 | Fruit | Pear",
        "LocationLatitude",
    ]
    assert len(table.frame) == 1
    assert "legacy Qualtrics" in table.header_note


def test_limesurvey_codes_and_code_text_headers(consultation):
    text = (
        "id,submitdate,lastpage,startlanguage,fruit[SQ001],fruit[SQ002],fruit[other],age,ageTime\n"
        "1,2024-01-01 10:00:00,2,en,Y,,kiwi,30,12\n"
        "2,,0,de,,,,,\n"
    )
    table = read_export(text.encode(), "limesurvey.csv")
    assert table.option_labels == {
        "fruit[SQ001]": "SQ001",
        "fruit[SQ002]": "SQ002",
        "fruit[other]": "other",
    }
    assert len(table.frame) == 2
    limesurvey = parse_consultation(
        CONSULTATION.replace(
            'id = "fruit"\ntext.en = "Which fruit do you like? Select all."',
            'id = "fruit"\ntext.en = "Fruit"',
        )
    )
    mapping = detect(table.headers, limesurvey, table.option_labels)
    assert mapping.questions == {
        "fruit[SQ001]": "fruit",
        "fruit[SQ002]": "fruit",
        "fruit[other]": "fruit",
        "age": "age",
    }
    prepared = prepare(text.encode(), "limesurvey.csv", limesurvey)
    assert prepared.report.platform == "limesurvey"
    assert prepared.report.respondents == 2
    assert prepared.report.missing_times == 1
    assert any("1 row has no submitdate" in note for note in prepared.report.notes)
    # `code._.text` headers (a re-export of LimeSurvey) match by their code or their text.
    styled = ["socio1._.In which country?", "fruit[SQ001]._.Fruit [Apple]", "Age._.How old?"]
    assert detect(styled, limesurvey).questions == {
        "fruit[SQ001]._.Fruit [Apple]": "fruit",
        "Age._.How old?": "age",
    }


def test_combined_headers_are_unique():
    text = (
        "RespondentID,Pick one,,Pick one,\n"
        ",Response,Other (please specify),Response,Other (please specify)\n"
        "1,a,,b,\n"
    )
    table = read_export(text.encode(), "twice.csv")
    assert table.headers == [
        "RespondentID",
        "Pick one (column 2)",
        "Pick one | Other (please specify) (column 3)",
        "Pick one (column 4)",
        "Pick one | Other (please specify) (column 5)",
    ]
    assert set(table.option_labels) == {
        "Pick one | Other (please specify) (column 3)",
        "Pick one | Other (please specify) (column 5)",
    }
    assert "told apart by '(column N)'" in table.header_note
    consultation = parse_consultation(
        CONSULTATION.replace("Which fruit do you like? Select all.", "Pick one")
    )
    # Ambiguous: neither column is guessed to be the question "Pick one".
    assert detect(table.headers, consultation, table.option_labels).questions == {}


def test_qualtrics_xlsx_with_numeric_cells():
    rows = [
        ["ResponseId", "StartDate", "EndDate", "RecordedDate", "Finished", "Status", "Q1"],
        ["Response ID", "Start Date", "End Date", "Recorded Date", "Finished", "Type", "Name?"],
        [json.dumps({"ImportId": name}) for name in
         ["_recordId", "startDate", "endDate", "recordedDate", "finished", "status", "QID1_TEXT"]],
        ["R_1", "2024-01-01 10:00:00", "2024-01-01 10:05:00", "2024-01-01 10:05:01", 1, 0, "Ann"],
        ["R_2", "2024-01-01 11:00:00", "2024-01-01 11:05:00", "2024-01-01 11:05:01", 0, 8, ""],
    ]  # fmt: skip
    consultation = parse_consultation(
        CONSULTATION.replace('id = "fruit"', 'id = "q1"').replace(
            '"fruit", "age", "home"', '"q1", "age", "home"'
        )
    )
    prepared = prepare(_xlsx(rows), "qualtrics.xlsx", consultation)
    assert prepared.report.platform == "qualtrics"
    assert prepared.report.respondents == 2  # three header rows, two respondents
    notes = " ".join(prepared.report.notes)
    assert "1 row has Status 'Spam'" in notes
    assert "'IP Address'" not in notes
    assert "1 row has Finished = 0" in notes
    assert list(prepared.responses["question_id"]) == ["q1"]


def test_qualtrics_time_zone_from_the_import_id_row():
    """Current Qualtrics exports state the zone beside a date's ImportId; that is evidence."""
    rows = [
        ["ResponseId", "StartDate", "EndDate", "RecordedDate", "Finished", "Q1"],
        ["Response ID", "Start Date", "End Date", "Recorded Date", "Finished", "Name?"],
        [json.dumps(cell) for cell in [
            {"ImportId": "_recordId"},
            {"ImportId": "startDate", "timeZone": "America/Denver"},
            {"ImportId": "endDate", "timeZone": "America/Denver"},
            {"ImportId": "recordedDate", "timeZone": "America/Denver"},
            {"ImportId": "finished"},
            {"ImportId": "QID1_TEXT"},
        ]],
        ["R_1", "2024-01-01 10:00:00", "2024-01-01 10:05:00", "2024-01-01 10:05:01", "1", "Ann"],
    ]  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    consultation = parse_consultation(
        CONSULTATION.replace('id = "fruit"', 'id = "q1"').replace(
            '"fruit", "age", "home"', '"q1", "age", "home"'
        )
    )
    prepared = prepare(buffer.getvalue().encode(), "qualtrics.csv", consultation)
    assert prepared.mapping.timezone == "America/Denver"
    stamp = prepared.respondents["submitted_at"].iloc[0]
    assert stamp.isoformat() == "2024-01-01T17:05:01+00:00"  # 10:05:01 MST
    notes = " ".join(prepared.report.notes)
    assert "gives the times' zone, America/Denver" in notes
    assert "without saying which" not in notes


def test_qualtrics_labels_row_without_import_ids_is_still_a_header():
    text = (
        "StartDate,EndDate,Finished,ResponseId,Q1\n"
        "Anfangsdatum,Enddatum,Beendet,Antwort-ID,Ihr Name?\n"
        "2017-07-18 08:28:09,2017-07-18 08:28:48,1,R_2YPOQ602ER1jkf1,Anna\n"
    )
    table = read_export(text.encode(), "no-import-ids.csv")
    assert table.headers == ["StartDate", "EndDate", "Finished", "ResponseId", "Q1 | Ihr Name?"]
    assert len(table.frame) == 1
    assert "ImportId row is missing" in table.header_note
    # A one-row Qualtrics-like file whose second row is data stays one header row.
    plain = "StartDate,EndDate,Finished,ResponseId,Q1\n2017-07-18 08:28:09,x,1,R_1,Anna\n"
    assert read_export(plain.encode(), "plain.csv").header_note is None


def test_the_report_names_the_header_lines_after_blank_lines():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, line in enumerate(SURVEYMONKEY.strip().split("\n"), start=3):
        for column, value in enumerate(line.split(","), start=1):
            sheet.cell(row=number, column=column, value=value or None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_export(buffer.getvalue(), "late.xlsx")
    assert table.header_note.startswith("Header rows 3-4 combined (SurveyMonkey")
    assert len(table.frame) == 3
    assert table.row_number(table.frame.index[0]) == 5


def test_surveymonkey_with_a_trailing_delimiter_on_every_line():
    text = "\n".join(line + "," for line in SURVEYMONKEY.strip().split("\n")) + "\n"
    table = read_export(text.encode(), "trailing.csv")
    assert table.platform_hint == "surveymonkey"
    assert len(table.frame) == 3
    assert table.headers == read_export(SURVEYMONKEY.encode(), "monkey.csv").headers
