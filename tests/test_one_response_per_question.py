"""However many columns a question spans, a respondent's answer to it is one response.

A select-all question's options, a matrix's rows, "Tool #1..#3" fields and a choice with its
"Other - write in" each fill several columns; the cells of one row make one answer (its parts
joined with "; "), and the options chosen are counted apart (`response_options`, `by_option`),
never as responses. In a column of tick marks, No / 0 / FALSE say an option was not chosen.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import cli
from dashboard.definition.consultation import parse_consultation
from dashboard.importer import parse_mapping, pipeline
from dashboard.importer.mapping import Mapping
from dashboard.importer.reading import read_export
from dashboard.protection import privacy
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from tests.conftest import store_snapshot

CONSULTATION = "options-2020"
DEFINITION = f"""
id = "{CONSULTATION}"
title = "Questions that fill several columns"
opens = 2020-01-01T00:00:00Z
closes = 2020-12-31T23:59:59Z
timezone = "UTC"
languages = ["en"]
suppression_k = 1

[[themes]]
id = "safety"
label.en = "Safety"
questions = ["tools", "channels", "threats", "role", "comment"]

[[questions]]
id = "tools"
text.en = "Which digital tools keep you safe?"

[[questions]]
id = "channels"
text.en = "How do you reach the UN?"

[[questions]]
id = "threats"
text.en = "Which threats have you faced?"

[[questions]]
id = "role"
text.en = "What is your role?"

[[questions]]
id = "comment"
text.en = "Anything else?"
"""
MAPPING = """
format = "wide"
[columns]
respondent_id = "Respondent ID"
submitted_at = "Submitted at"
country = "Country"
[questions]
"Tool #1" = "tools"
"Tool #2" = "tools"
"Tool #3" = "tools"
"Channels - Email" = "channels"
"Channels - Phone" = "channels"
"Channels - In person" = "channels"
"Threat: online" = "threats"
"Threat: physical" = "threats"
"Threat: legal" = "threats"
"Role" = "role"
"Role - Other (please write in)" = "role"
"Comment" = "comment"
"""
# Tools: free text in three fields. Channels: 1/0 ticks (KoboToolbox). Threats: Yes/No
# (LimeSurvey). Role: a choice and its write-in. Comment: one column, where "No" is an answer.
EXPORT = (
    "Respondent ID,Submitted at,Country,Tool #1,Tool #2,Tool #3,Channels - Email,"
    "Channels - Phone,Channels - In person,Threat: online,Threat: physical,Threat: legal,Role,"
    "Role - Other (please write in),Comment\n"
    "R1,2020-03-01T10:00:00Z,Senegal,Signal,Tor,,1,0,1,Yes,No,Yes,NGO,,No\n"
    "R2,2020-03-02T10:00:00Z,Peru,,,,0,0,0,No,No,No,Other,"
    "Journalist at risk: write to me at ana@example.org,\n"
    "R3,2020-03-03T10:00:00Z,Kenya,VPN,,,0,1,0,,,,,,A comment\n"
    "R4,2020-03-04T10:00:00Z,,,,,,,,,,,,,\n"
)
# What an analyst counts: respondents who answered each question.
ANSWERED = {"tools": 2, "channels": 2, "threats": 1, "role": 2, "comment": 2}
OPTIONS = {
    "tools": {"Tool #1": 2, "Tool #2": 1},
    "channels": {"Channels - Email": 1, "Channels - Phone": 1, "Channels - In person": 1},
    "threats": {"Threat: online": 1, "Threat: legal": 1},
    "role": {"Role": 2, "Role - Other (please write in)": 1},
}
CODEBOOK = f"""
consultation = "{CONSULTATION}"

[[codes]]
id = "journalists"
theme = "safety"
label.en = "Journalists"
keywords = ["journalist*"]
"""


class Store:
    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.folder = folder
        self.db = folder / "store.duckdb"
        self.capsys = capsys
        definition = self.write("definition.toml", DEFINITION)
        assert self.run("consultation", "add", definition) == 0

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: object) -> int:
        return cli.main([*map(str, args), "--db", str(self.db)])

    def import_export(self, name: str = "export.csv", text: str = EXPORT) -> str:
        mapping = self.write("mapping.toml", MAPPING)
        self.capsys.readouterr()
        code = self.run(
            "import", "--consultation", CONSULTATION, "--mapping", mapping, self.write(name, text)
        )
        printed = self.capsys.readouterr().out
        assert code == 0, printed
        return printed

    def summary(self, *filters: str) -> dict:
        self.capsys.readouterr()
        assert self.run("summary", "--consultation", CONSULTATION, "--json", *filters) == 0
        return json.loads(self.capsys.readouterr().out)

    def connect(self) -> duckdb.DuckDBPyConnection:
        return database.connect(self.db)


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Store:
    return Store(tmp_path, capsys)


def test_a_question_in_several_columns_is_one_response_per_respondent(store) -> None:
    printed = store.import_export()
    assert "4 rows read; 4 respondents and 9 responses loaded" in printed
    result = store.summary()
    assert (result["respondents"], result["responses"]) == (4, sum(ANSWERED.values()))
    con = store.connect()
    try:
        by_question = queries.frame(con, "by_question", Filters().params(CONSULTATION))
    finally:
        con.close()
    counts = by_question.set_index("question_id")[["respondents", "responses"]]
    for question, answered in ANSWERED.items():
        assert counts.loc[question].tolist() == [answered, answered], question


def test_the_answer_joins_its_cells_and_keeps_written_text_whole(store) -> None:
    store.import_export()
    con = store.connect()
    try:
        answers = {
            (r, q): (a, redacted)
            for r, q, a, redacted in con.execute(
                "SELECT respondent_id, question_id, answer, answer_redacted FROM responses"
            ).fetchall()
        }
    finally:
        con.close()
    assert answers[("R1", "tools")][0] == "Tool #1: Signal; Tool #2: Tor"
    # A tick names its option; an unticked box (0, No) adds nothing.
    assert answers[("R1", "channels")][0] == "Channels - Email; Channels - In person"
    assert answers[("R1", "threats")][0] == "Threat: online; Threat: legal"
    assert answers[("R1", "role")][0] == "Role: NGO"
    # One column: "No" is an answer like any other.
    assert answers[("R1", "comment")][0] == "No"
    written, redacted = answers[("R2", "role")]
    assert written == (
        "Role: Other; Role - Other (please write in): Journalist at risk: write to me at "
        "ana@example.org"
    )
    assert "ana@example.org" not in redacted and "Journalist at risk" in redacted
    # R2 ticked no channel and no threat: no response to either.
    assert ("R2", "channels") not in answers and ("R2", "threats") not in answers
    assert len(answers) == sum(ANSWERED.values())


def test_write_in_text_is_tagged_and_found_by_search(store) -> None:
    store.import_export()
    codebook = store.write("codebook.toml", CODEBOOK)
    assert store.run("codebook", "set", "--consultation", CONSULTATION, codebook) == 0
    result = store.summary()
    assert result["by_code"]["journalists"] == {"respondents": 1, "responses": 1}
    con = store.connect()
    try:
        found = queries.frame(
            con,
            "answers_count",
            {**Filters().params(CONSULTATION), "search": ["journalist"], "raw": False, "k": 1},
        )
    finally:
        con.close()
    assert found["responses"].iloc[0] == 1


def test_facts_tags_and_options_name_the_same_answers(store) -> None:
    store.import_export()
    codebook = store.write("codebook.toml", CODEBOOK)
    assert store.run("codebook", "set", "--consultation", CONSULTATION, codebook) == 0
    con = store.connect()
    try:
        one = con.execute(
            "SELECT count(*), count(DISTINCT (import_id, source_row, question_id)) FROM responses"
        ).fetchone()
        facts = con.execute("SELECT count(*) FROM response_facts").fetchone()[0]
        # Every option belongs to a stored answer; every tag to one answer.
        orphans = con.execute(
            "SELECT count(*) FROM response_options AS o ANTI JOIN responses AS a "
            "USING (consultation_id, import_id, source_row, question_id)"
        ).fetchone()[0]
        tags = con.execute(
            "SELECT count(*) FROM response_codes AS c JOIN responses AS a "
            "USING (consultation_id, import_id, source_row, question_id)"
        ).fetchone()[0]
    finally:
        con.close()
    assert one == (sum(ANSWERED.values()),) * 2
    assert facts == sum(ANSWERED.values())
    assert orphans == 0
    assert tags == 1


def test_options_are_counted_apart_and_summary_agrees(store) -> None:
    store.import_export()
    result = store.summary()
    assert {q: {o: v["respondents"] for o, v in opts.items()} for q, opts in
            result["by_option"].items()} == OPTIONS  # fmt: skip
    # The options are never added into responses.
    assert result["responses"] == sum(ANSWERED.values())
    # Under a filter: R1 (Senegal) alone.
    senegal = store.summary("--country", "SEN")
    chosen = {q: {o: v["respondents"] for o, v in opts.items() if v["respondents"]}
              for q, opts in senegal["by_option"].items()}  # fmt: skip
    assert chosen == {
        "tools": {"Tool #1": 1, "Tool #2": 1},
        "channels": {"Channels - Email": 1, "Channels - In person": 1},
        "threats": {"Threat: online": 1, "Threat: legal": 1},
        "role": {"Role": 1},
    }
    only_tools = store.summary("--question", "tools")
    assert list(only_tools["by_option"]) == ["tools"]


def test_by_option_is_protected_and_perturbed_with_its_key_sums(store) -> None:
    store.import_export()
    con = store.connect()
    try:
        frame = queries.frame(con, "by_option", Filters().params(CONSULTATION))
        filtered = queries.frame(
            con, "by_option", Filters(regions=("Africa",)).params(CONSULTATION)
        )
    finally:
        con.close()
    assert {"respondent_key_sum", "response_key_sum"} <= set(frame.columns)
    hidden = privacy.protect("by_option", frame, 3)
    assert hidden["suppressed"].all() and hidden["respondents"].isna().all()
    assert "respondent_key_sum" not in hidden.columns
    shown = privacy.protect("by_option", frame, 1)
    assert shown["respondents"].tolist() == frame["respondents"].tolist()
    perturbed = privacy.protect("by_option", filtered, 2, perturbed=True)
    assert perturbed.attrs["perturbed"]
    assert (perturbed["respondents"].dropna() >= 2).all()


def test_the_report_lists_values_read_as_not_chosen() -> None:
    consultation = parse_consultation(DEFINITION)
    prepared = pipeline.prepare(EXPORT.encode(), "export.csv", consultation, parse_mapping(MAPPING))
    report = prepared.report
    # Channels: 0 six times; threats: No four times. "No" in the one-column comment is kept.
    assert report.not_chosen_values == {"0": 6, "No": 4}
    assert report.multi_column_questions == {"tools": 3, "channels": 3, "threats": 3, "role": 2}
    assert report.options_chosen == sum(sum(o.values()) for o in OPTIONS.values())
    findings = report.findings()
    not_chosen = findings[findings["finding"].str.contains("not chosen")]
    assert dict(zip(not_chosen["value"], not_chosen["rows"], strict=True)) == {"0": 6, "No": 4}
    assert any("one response" in note for note in report.notes)


def test_a_column_that_is_not_only_ticks_keeps_no_and_zero() -> None:
    # Whether a value is a tick mark is read column by column, from all its values.
    definition = DEFINITION
    mapping = (
        'format = "wide"\n[columns]\nrespondent_id = "id"\n[questions]\na = "tools"\nb = "tools"\n'
    )
    export = "id,a,b\nP1,0,2\nP2,1,No\nP3,0,\n"
    prepared = pipeline.prepare(
        export.encode(), "m.csv", parse_consultation(definition), parse_mapping(mapping)
    )
    answers = dict(zip(prepared.responses["respondent_id"], prepared.responses["answer"],
                       strict=True))  # fmt: skip
    # Column a holds 0 and 1 only, tick marks: P1 and P3 ticked nothing there. Column b also
    # holds a 2, so it is not a column of ticks, and its "No" is an answer.
    assert answers == {"P1": "b: 2", "P2": "a; b: No"}
    assert prepared.report.not_chosen_values == {"0": 2}


def test_option_labels_from_a_multi_row_header_name_the_options(monkeypatch) -> None:
    def with_labels(*args, **kwargs):
        raw = read_export(*args, **kwargs)
        raw.option_labels = {"Channels - Email": "E-mail", "Channels - Phone": "Phone"}
        return raw

    monkeypatch.setattr(pipeline, "read_export", with_labels)
    prepared = pipeline.prepare(
        EXPORT.encode(), "export.csv", parse_consultation(DEFINITION), parse_mapping(MAPPING)
    )
    channels = prepared.responses[prepared.responses["question_id"] == "channels"]
    assert sorted(channels["answer"]) == ["E-mail; Channels - In person", "Phone"]
    options = prepared.options[prepared.options["question_id"] == "channels"]
    assert Counter(options["option"]) == {"E-mail": 1, "Phone": 1, "Channels - In person": 1}


def test_a_surveymonkey_response_column_adds_no_label(monkeypatch) -> None:
    # SurveyMonkey's second header row: "Response" for the choice, then its write-in.
    def with_labels(*args, **kwargs):
        raw = read_export(*args, **kwargs)
        raw.option_labels = {"Role": "Response", "Role - Other (please write in)": "Other"}
        return raw

    monkeypatch.setattr(pipeline, "read_export", with_labels)
    prepared = pipeline.prepare(
        EXPORT.encode(), "export.csv", parse_consultation(DEFINITION), parse_mapping(MAPPING)
    )
    role = prepared.responses[prepared.responses["question_id"] == "role"]
    assert sorted(role["answer"]) == [
        "NGO",
        "Other; Other: Journalist at risk: write to me at ana@example.org",
    ]


def test_undo_removes_the_options_too(store) -> None:
    before = store_snapshot(store.db, ignore=("audit_log", "store_version"))
    store.import_export()
    con = store.connect()
    try:
        assert con.execute("SELECT count(*) FROM response_options").fetchone()[0] == 11
        (import_id,) = con.execute("SELECT import_id FROM imports").fetchone()
    finally:
        con.close()
    assert store.run("undo", "--consultation", CONSULTATION, "--import", import_id) == 0
    # Everything as before the import but the store's version, which each write raised.
    assert store_snapshot(store.db, ignore=("audit_log", "store_version")) == before
    assert store.summary()["by_option"] == {}


def test_long_exports_keep_each_row_as_a_response(store) -> None:
    # A discussion: one author's two comments to one question are two responses.
    mapping = store.write(
        "long.toml",
        'format = "long"\n[columns]\nrespondent_id = "author"\nquestion_id = "question"\n'
        'answer = "text"\n',
    )
    export = store.write(
        "long.csv", "author,question,text\nA,comment,first\nA,comment,second\nB,comment,third\n"
    )
    code = store.run("import", "--consultation", CONSULTATION, "--mapping", mapping, export)
    assert code == 0
    result = store.summary()
    assert (result["respondents"], result["responses"]) == (2, 3)
    assert result["by_option"] == {}


# ------------------------------------------------------------------------------ property

CELLS = {
    # A column of tick marks, and one of free text where "No" may turn up as an answer.
    "ticks": st.sampled_from(["", " ", "Yes", "No"]),
    "text": st.sampled_from(["", "  ", "No", "a long answer", "Nope, never"]),
}


@st.composite
def wide_exports(draw):
    """A wide export whose columns map, one or several each, to the definition's questions."""
    rows = draw(st.integers(1, 6))
    columns = []
    for question in draw(st.lists(st.sampled_from(list(ANSWERED)), min_size=1, max_size=4,
                                  unique=True)):  # fmt: skip
        for n in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(sorted(CELLS)))
            cells = draw(st.lists(CELLS[kind], min_size=rows, max_size=rows))
            columns.append((f"{question} {n}", question, cells))
    return rows, columns


def _chosen(question_columns: list[list[str]]) -> list[bool]:
    """Which rows chose something in a question, by the rule the README states."""
    several = len(question_columns) > 1
    rows = len(question_columns[0])
    picked = [False] * rows
    for cells in question_columns:
        values = [c.strip() for c in cells if c.strip()]
        ticks = several and all(v.casefold() in ("yes", "no") for v in values)
        for row, cell in enumerate(cells):
            if cell.strip() and not (ticks and cell.strip() == "No"):
                picked[row] = True
    return picked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_exports())
def test_responses_are_respondent_question_pairs_with_a_chosen_cell(export) -> None:
    rows, columns = export
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", *(header for header, _, _ in columns)])
    for row in range(rows):
        writer.writerow([f"P{row}", *(cells[row] for _, _, cells in columns)])
    mapping = Mapping(
        format="wide",
        columns={"respondent_id": "id"},
        questions={header: question for header, question, _ in columns},
    )
    prepared = pipeline.prepare(
        buffer.getvalue().encode(), "p.csv", parse_consultation(DEFINITION), mapping
    )
    by_question: dict[str, list[list[str]]] = {}
    for _, question, cells in columns:
        by_question.setdefault(question, []).append(cells)
    expected = {
        (f"P{row}", question)
        for question, cells in by_question.items()
        for row, chosen in enumerate(_chosen(cells))
        if chosen
    }
    responses = prepared.responses
    pairs = list(zip(responses["respondent_id"], responses["question_id"], strict=True))
    assert len(pairs) == len(set(pairs)) == len(expected)
    assert set(pairs) == expected
    assert prepared.report.responses == len(expected)
    # Options: one per chosen cell of a question of several columns.
    chosen_cells = sum(
        _chosen_cells(cells) for cs in by_question.values() if len(cs) > 1 for cells in cs
    )
    assert len(prepared.options) == chosen_cells


def _chosen_cells(cells: list[str]) -> int:
    values = [c.strip() for c in cells if c.strip()]
    ticks = all(v.casefold() in ("yes", "no") for v in values)
    return sum(1 for c in cells if c.strip() and not (ticks and c.strip() == "No"))


# ------------------------------------------------------------------------------ real data

# Questions of the RSE survey 2018 (LimeSurvey: every option of a select-all question is a
# Yes/No column, headers "code[SQ001]._.text [option]") added to the existing definition and
# mapping of tests/realdata_defs/, each sent to one question id, and a matrix of agreement.
RSE_QUESTIONS = {
    "testing": "proj4can[",  # 4 options
    "languages": "tool4can[",  # 36 options
    "funding": "fund2[",  # 17 options
    "discipline-uk": "currentEmp13quk[",  # 65 options
    "recognition": "likert4[",  # 3 rows of a matrix: Agree, Disagree...
}
DEFS = Path(__file__).resolve().parent / "realdata_defs"


@pytest.mark.realdata
def test_limesurvey_yes_no_columns_count_one_response_per_respondent(
    realdata, tmp_path, capsys
) -> None:
    path = realdata / "limesurvey-rse" / "public_data_2018.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        headers, *rows = list(csv.reader(handle))
    columns = {
        question: [i for i, h in enumerate(headers) if h.startswith(prefix)]
        for question, prefix in RSE_QUESTIONS.items()
    }
    assert [len(c) for c in columns.values()] == [4, 36, 17, 65, 3]
    definition = (DEFS / "limesurvey-rse-2018.toml").read_text(encoding="utf-8") + "".join(
        f'\n[[questions]]\nid = "{q}"\ntext.en = "{q}"\n' for q in RSE_QUESTIONS
    )
    mapping = (DEFS / "limesurvey-rse-2018.mapping.toml").read_text(encoding="utf-8") + "".join(
        f"{json.dumps(headers[i])} = {json.dumps(q)}\n" for q, cs in columns.items() for i in cs
    )
    (tmp_path / "rse.toml").write_text(definition, encoding="utf-8")
    (tmp_path / "rse.mapping.toml").write_text(mapping, encoding="utf-8")
    db = str(tmp_path / "rse.duckdb")
    assert cli.main(["consultation", "add", str(tmp_path / "rse.toml"), "--db", db]) == 0
    mapping_file = str(tmp_path / "rse.mapping.toml")
    command = ["import", "--consultation", "rse-survey-2018", "--mapping", mapping_file]
    assert cli.main([*command, "--db", db, str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["summary", "--consultation", "rse-survey-2018", "--json", "--db", db]) == 0
    result = json.loads(capsys.readouterr().out)

    # What an analyst counts, with the csv module: respondents with a chosen cell (not blank,
    # not "No") per multi-column question; for the one-column rse1, every non-blank cell.
    def chosen(cell: str) -> bool:
        return bool(cell.strip()) and cell.strip() != "No"

    answered = {
        q: sum(any(chosen(row[i]) for i in cs) for row in rows) for q, cs in columns.items()
    }
    (rse1,) = [i for i, h in enumerate(headers) if h.startswith("rse1._.")]
    answered["rse1"] = sum(bool(row[rse1].strip()) for row in rows)
    cells = sum(1 for row in rows for cs in columns.values() for i in cs if row[i].strip())
    assert result["respondents"] == 997
    assert result["responses"] == sum(answered.values())
    assert result["responses"] < cells  # one response per cell would have counted these
    con = database.connect(tmp_path / "rse.duckdb")
    try:
        by_question = queries.frame(con, "by_question", Filters().params("rse-survey-2018"))
    finally:
        con.close()
    counted = by_question.set_index("question_id")
    for question, expected in answered.items():
        assert counted.loc[question, "responses"] == expected, question
        assert counted.loc[question, "respondents"] == expected, question
    # Per option: the rows that said Yes in its column (the rows of the matrix: not blank).
    for question, cs in columns.items():
        wanted = sorted(n for n in (sum(chosen(row[i]) for row in rows) for i in cs) if n)
        got = sorted(v["respondents"] for v in result["by_option"][question].values())
        assert got == wanted, question


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(countries=("SEN",)), Filters(questions=("role",)), Filters(themes=("x",))],
    ids=["all", "senegal", "role", "no-such-theme"],
)
def test_the_benchmark_reference_gives_the_same_option_counts(store, filters) -> None:
    from benchmarks import reference

    store.import_export()
    con = store.connect()
    try:
        params = filters.params(CONSULTATION)
        ours = queries.frame(con, "by_option", params)
        theirs = reference.run(reference.load(con, CONSULTATION), "by_option", params)
    finally:
        con.close()
    assert reference.differences(ours, theirs) == []
    assert ours.empty == (filters.themes == ("x",))


def test_a_batch_of_files_keeps_every_option_with_its_answer(tmp_path, capsys) -> None:
    """The export split into two files and imported as one batch gives the same responses and
    the same options chosen as the one file: each option still names its own answer (the
    batch numbers rows on through its files)."""
    (tmp_path / "whole").mkdir()
    (tmp_path / "split").mkdir()
    whole = Store(tmp_path / "whole", capsys)
    whole.import_export()
    header, *rows = EXPORT.splitlines(keepends=True)
    split = Store(tmp_path / "split", capsys)
    pages = tmp_path / "split" / "pages"
    pages.mkdir()
    (pages / "page1.csv").write_text(header + "".join(rows[:2]), encoding="utf-8")
    (pages / "page2.csv").write_text(header + "".join(rows[2:]), encoding="utf-8")
    mapping = split.write("mapping.toml", MAPPING)
    assert split.run("import", "--consultation", CONSULTATION, "--mapping", mapping, pages) == 0
    assert split.summary() == whole.summary()
    statement = (
        "SELECT r.respondent_id, o.question_id, o.option FROM response_options o "
        "JOIN responses r USING (import_id, source_row, question_id) ORDER BY ALL"
    )
    found = []
    for store in (whole, split):
        con = store.connect()
        try:
            found.append(con.execute(statement).fetchall())
            imports = con.execute("SELECT count(*) FROM imports").fetchone()[0]
        finally:
            con.close()
        assert imports == 1
    assert found[0] == found[1]
    assert Counter(q for _r, q, _o in found[1]) == Counter(
        {q: sum(n.values()) for q, n in OPTIONS.items()}
    )
