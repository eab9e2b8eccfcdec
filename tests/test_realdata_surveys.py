"""Real survey-platform exports with more than one header row, or one column per option:
SurveyMonkey, Qualtrics (new-style, 2016 Insights, legacy) and LimeSurvey XLSX.

Each file is imported through the CLI into a fresh store; the figures are computed here from the
file with the csv module and python-calamine only. Responses are counted as distinct
(respondent, question) pairs with an answer, so a question exported as several columns (one per
option, matrix row or "Other (please specify)") is one response per respondent.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.test_realdata import CliStore, _toml, blank, day, nonzero

pytestmark = pytest.mark.realdata


@pytest.fixture
def cli_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> CliStore:
    return CliStore(tmp_path / "surveys.duckdb", capsys)


def csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def stored_pairs(cli_store) -> Counter:
    """Respondents per question, as stored: distinct (respondent, question) pairs."""
    rows = cli_store.query(
        "SELECT question_id, count(DISTINCT respondent_id) FROM responses GROUP BY ALL"
    )
    return Counter(dict(rows))


def answered(rows: list[list[str]], columns: list[int]) -> int:
    """Rows with an answer in any of a question's columns: that question's respondents."""
    return sum(1 for row in rows if any(not blank(row[i]) for i in columns))


def window(times: list[datetime | None], definition: str) -> dict[str, int]:
    opens, closes = _toml(definition)["opens"], _toml(definition)["closes"]
    counts = {
        "before": sum(1 for t in times if t is not None and t < opens),
        "during": sum(1 for t in times if t is not None and opens <= t <= closes),
        "after": sum(1 for t in times if t is not None and t > closes),
        "unknown": sum(1 for t in times if t is None),
    }
    return {k: v for k, v in counts.items() if v or k != "unknown"}


def respondent_window(result: dict) -> dict[str, int]:
    return {k: v["respondents"] for k, v in result["window"].items()}


def surveymonkey_questions(header: list[str]) -> dict[str, list[int]]:
    """Question text (row 1, carried over the blank cells after it) -> its columns."""
    columns: dict[str, list[int]] = {}
    question = ""
    for position, text in enumerate(header):
        question = text.strip() or question
        columns.setdefault(question, []).append(position)
    return columns


# ---------------------------------------------------------------------------- SurveyMonkey


def test_surveymonkey_sleeping_alone_two_header_rows_mac_roman(cli_store, realdata):
    path = realdata / "surveymonkey-fivethirtyeight" / "sleeping-alone-data.csv"
    definition = "surveymonkey-sleeping-alone.toml"
    lines = csv_rows(path, encoding="mac_roman")
    header, subs, data = lines[0], lines[1], lines[2:]
    assert (len(data), len(header)) == (1093, 31)
    assert subs[2] == "Response" and not subs[0]  # the second header row, not a respondent

    consultation = cli_store.add(definition)
    out = cli_store.import_ok(consultation, path)
    assert "Header rows 1-2 combined (SurveyMonkey" in out
    result = cli_store.summary(consultation)
    assert result["respondents"] == 1093
    assert cli_store.query("SELECT platform FROM imports") == [("surveymonkey",)]
    # No header row became a respondent or an answer: the first data row is line 3.
    assert cli_store.query("SELECT min(source_row) FROM responses") == [(3,)]
    assert cli_store.query("SELECT count(*) FROM responses WHERE answer = 'Response'") == [(0,)]

    texts = {q["text"]["en"]: q["id"] for q in _toml(definition)["questions"]}
    groups = surveymonkey_questions(header)
    expected = Counter(
        {texts[text]: answered(data, columns) for text, columns in groups.items() if text in texts}
    )
    assert len(expected) == len(texts) == 15
    assert stored_pairs(cli_store) == expected
    assert expected["reasons"] == answered(data, list(range(9, 20)))  # select-all, 11 columns
    assert expected["region"] == 1093 - 92
    assert result["by_theme"]["about"]["respondents"] == answered(data, list(range(24, 31)))

    # EndDate, month-first as SurveyMonkey writes it in the US, is the submission time.
    times = [datetime.strptime(r[1], "%m/%d/%y %H:%M").replace(tzinfo=UTC) for r in data]
    assert nonzero(result["by_day"]) == dict(Counter(map(day, times)))
    assert respondent_window(result) == window(times, definition)
    assert respondent_window(result)["after"] > 0


def test_surveymonkey_region_survey_single_choice_over_several_columns(cli_store, realdata):
    path = realdata / "surveymonkey-fivethirtyeight" / "region-survey-SOUTH.csv"
    definition = "surveymonkey-south.toml"
    lines = csv_rows(path)
    header, data = lines[0], lines[2:]
    assert (len(data), len(header)) == (2528, 58)
    ids = [row[0] for row in data]
    assert len(set(ids)) == 2528

    consultation = cli_store.add(definition)
    cli_store.import_ok(consultation, path)
    result = cli_store.summary(consultation)
    assert result["respondents"] == 2528
    stored_ids = {row[0] for row in cli_store.query("SELECT respondent_id FROM respondents")}
    assert stored_ids == set(ids)

    texts = {q["text"]["en"]: q["id"] for q in _toml(definition)["questions"]}
    groups = surveymonkey_questions(header)
    expected = Counter({texts[t]: answered(data, c) for t, c in groups.items() if t in texts})
    assert len(expected) == 9
    assert stored_pairs(cli_store) == expected
    # SOURCES.md: 2,299 rows name a census region, 229 none; gender blank in 219 rows.
    assert (expected["region"], expected["gender"]) == (2299, 2528 - 219)
    # Each single-choice question is one answer per respondent, never one per column.
    assert cli_store.query(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM responses WHERE question_id = 'gender' "
        "GROUP BY respondent_id)"
    ) == [(1,)]
    assert respondent_window(result)["unknown"] == 2528  # the export has no times


# ------------------------------------------------------------------------------- Qualtrics


def qualtrics_groups(ids: list[str], pattern: str) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for position, column_id in enumerate(ids):
        match = re.match(pattern, column_id)
        if match:
            columns.setdefault(match.group(1), []).append(position)
    return columns


@pytest.mark.parametrize(
    ("file_name", "header_rows", "id_pattern", "note"),
    [
        ("QualtricsTools_SidebySide_Insights.csv", 3, r"^(Q\d+)#", "single-quoted ImportId"),
        ("QualtricsTools_SidebySide_Legacy.csv", 2, r"^(Q\d+)[#_]", "legacy Qualtrics"),
    ],
)
def test_qualtrics_side_by_side(cli_store, realdata, file_name, header_rows, id_pattern, note):
    path = realdata / "qualtrics" / file_name
    lines = csv_rows(path)
    ids, names, data = lines[0], lines[1], lines[header_rows:]
    assert len(data) == 25
    consultation = cli_store.add("qualtrics-samples.toml")
    out = cli_store.import_ok(consultation, path)
    assert note in out
    assert "25 rows have Status 'Survey Test'" in out  # kept, and said so
    result = cli_store.summary(consultation)
    assert result["respondents"] == 25
    assert cli_store.query("SELECT platform FROM imports") == [("qualtrics",)]

    response_id = names.index("ResponseID")
    stored = {r[0] for r in cli_store.query("SELECT respondent_id FROM respondents")}
    assert stored == {row[response_id] for row in data}
    groups = qualtrics_groups(ids, id_pattern)
    expected = Counter({q.lower(): answered(data, columns) for q, columns in groups.items()})
    # The legacy export names Q8's columns by their recode tags (statement_one: 1), with
    # nothing tying them to Q8: they stay unmapped rather than guessed.
    questions = {f"q{n}" for n in range(1, 9)}
    assert set(expected) == (questions if header_rows == 3 else questions - {"q8"})
    assert stored_pairs(cli_store) == expected

    # No zone in either file; EndDate read in the consultation's zone (UTC) is the time.
    end = names.index("EndDate")
    times = {row[response_id]: datetime.fromisoformat(row[end]).replace(tzinfo=UTC) for row in data}
    rows = cli_store.query("SELECT respondent_id, submitted_at FROM respondents")
    assert {rid: stamp.astimezone(UTC) for rid, stamp in rows} == times


def test_qualtrics_insights_and_legacy_are_two_hours_apart(realdata):
    """The same responses, exported twice, differ by exactly two hours (SOURCES.md): Qualtrics
    writes the export's chosen zone without naming it, which the report says."""
    insights = csv_rows(realdata / "qualtrics" / "QualtricsTools_SidebySide_Insights.csv")
    legacy = csv_rows(realdata / "qualtrics" / "QualtricsTools_SidebySide_Legacy.csv")
    a = {r[0]: datetime.fromisoformat(r[3]) for r in insights[3:]}
    b = {r[0]: datetime.fromisoformat(r[7]) for r in legacy[2:]}
    assert {rid: (a[rid] - b[rid]).total_seconds() for rid in a} == dict.fromkeys(a, 7200.0)


@pytest.mark.parametrize(
    ("file_name", "header_rows"),
    [("qualtRics_sample.csv", 3), ("qualtRics_sample_legacy.csv", 2)],
)
def test_qualtrics_one_german_test_response(cli_store, realdata, file_name, header_rows):
    path = realdata / "qualtrics" / file_name
    lines = csv_rows(path)
    assert len(lines) == header_rows + 1  # one data row: the header rows are not respondents
    consultation = cli_store.add("qualtrics-samples.toml")
    out = cli_store.import_ok(consultation, path)
    assert f"Header rows 1-{header_rows} combined" in out
    result = cli_store.summary(consultation)
    assert result["respondents"] == 1
    answers = dict(cli_store.query("SELECT question_id, answer FROM responses"))
    assert answers == {"q1": "2", "q2": "Hello World!"}
    (stamp,) = cli_store.query("SELECT submitted_at FROM respondents")[0]
    # New-style: RecordedDate; legacy: EndDate; both 08:28:48 here.
    assert stamp.astimezone(UTC) == datetime(2017, 7, 18, 8, 28, 48, tzinfo=UTC)
    if header_rows == 3:
        assert nonzero(result["by_language"]) == {"de": 1}  # UserLanguage "DE"


# ------------------------------------------------------------------------------ LimeSurvey


def test_limesurvey_xlsx_codes_and_incomplete_responses(cli_store, realdata):
    path = realdata / "limesurvey-artifact-survey" / "results-survey54231.xlsx"
    definition = "limesurvey-artifact-2019.toml"
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python(skip_empty_area=True)
    header, data = [str(h) for h in sheet[0]], sheet[1:]
    assert (len(data), len(header)) == (257, 227)
    submit = header.index("submitdate")
    complete = [row for row in data if not blank(row[submit])]
    assert len(complete) == 124

    consultation = cli_store.add(definition)
    out = cli_store.import_ok(consultation, path)
    assert "133 rows have no submitdate" in out
    result = cli_store.summary(consultation)
    assert result["respondents"] == 257  # incomplete responses kept, as the report says
    assert cli_store.query("SELECT platform FROM imports") == [("limesurvey",)]
    stored = {r[0] for r in cli_store.query("SELECT respondent_id FROM respondents")}
    assert stored == {str(int(row[0])) for row in data}
    assert nonzero(result["by_language"]) == {"en": 257}  # startlanguage

    codes = [q["id"] for q in _toml(definition)["questions"]]
    expected = Counter()
    for code in codes:
        columns = [i for i, h in enumerate(header) if h == code or h.startswith(code + "[")]
        assert columns, code
        if count := answered(data, columns):
            expected[code] = count
    assert len([h for h in header if h.startswith("g0[")]) == 144  # one question, not 144
    assert stored_pairs(cli_store) == expected

    times = [
        None if blank(row[submit]) else datetime.fromisoformat(row[submit]).replace(tzinfo=UTC)
        for row in data
    ]
    assert respondent_window(result) == window(times, definition)
    assert respondent_window(result)["unknown"] == 133
    by_day = Counter(day(t) for t in times if t) + Counter({"Unknown": times.count(None)})
    assert nonzero(result["by_day"]) == dict(by_day)


# ------------------------------------------------------------------------------ Import page


def test_import_page_says_which_header_rows_were_taken(cli_store, realdata, monkeypatch):
    from tests.test_import_page import open_import_page, upload

    path = realdata / "surveymonkey-fivethirtyeight" / "sleeping-alone-data.csv"
    consultation = cli_store.add("surveymonkey-sleeping-alone.toml")
    at = open_import_page(cli_store.db, monkeypatch, consultation=consultation)
    upload(at, path)
    captions = " ".join(c.value for c in at.caption)
    assert "platform: SurveyMonkey" in captions
    assert "Header rows 1-2 combined (SurveyMonkey" in captions
    assert "1,093 rows" in captions  # the sub-answer row is not a row of data
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Respondents"] == "1,093"
