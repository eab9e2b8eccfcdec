"""Every statement in queries/ is well formed, runs on the sample store, and agrees."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from dashboard.store import database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary
from tests.conftest import ROOT

STATEMENTS = sorted(queries.statement_names())
READ_STATEMENTS = [name for name in STATEMENTS if "/" not in name]
CONSULTATION = "civic-space-2020"
EXTRA_PARAMETERS = {
    "answers": {"search": None, "page_size": 10, "offset": 0, "raw": False, "k": 5},
    "answers_count": {"search": None, "raw": False, "k": 5},
    "answers_from": {"page_size": 10, "offset": 0, "k": 5},
    "answers_export": {"k": 5},
    "timeline": {"bin": "day", "split": "language"},
    "tag_review_sample": {"coder": "ana", "kind": "tagged", "second": False, "seed": 7,
                          "size": 10, "k": 5},
    "coding_pairs": {"coder_a": "ana", "coder_b": "bob"},
    "topic_answers": {"k": 5},
}  # fmt: skip
LISTINGS = ("answers", "answers_export", "tag_review_sample", "coding_pairs", "topic_answers")
# Empty until analysts judge: the sample store holds no verdicts.
EMPTY_UNTIL_CODED = ("coders", "coding_pairs")
# Empty for the sample, whose questions each fill one column (run on multi-column questions in
# tests/test_one_response_per_question.py).
EMPTY_WITHOUT_MULTI_COLUMN = ("by_option",)


@pytest.fixture(scope="module")
def sample(sample_db: Path):
    connection = database.connect(sample_db)  # the settings the app uses: DuckDB wants one
    yield connection
    connection.close()


@pytest.mark.parametrize("name", STATEMENTS)
def test_each_file_opens_with_what_a_row_is_and_its_parameters(name: str) -> None:
    text = queries.sql(name)
    assert text.startswith("-- One row per ") or text.startswith(
        ("-- Removes", "-- Adds", "-- Empties", "-- Sets", "-- One row:")
    ), name
    header = "".join(line for line in text.splitlines() if line.startswith("--"))
    assert "Parameters" in header, f"queries/{name}.sql does not list its parameters"
    for parameter in queries.parameters_of(name):
        assert parameter in header, f"queries/{name}.sql does not document ${parameter}"


@pytest.mark.parametrize("name", STATEMENTS)
def test_each_file_holds_one_statement(name: str) -> None:
    body = re.sub(r"--[^\n]*", "", queries.sql(name)).strip().rstrip(";")
    assert ";" not in body, f"queries/{name}.sql holds more than one statement"


@pytest.mark.parametrize("name", READ_STATEMENTS)
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("Africa",), languages=("fr",)),
        Filters(themes=("protection",), date_from=date(2020, 1, 14), date_to=date(2020, 1, 20)),
        Filters(countries=("Unknown",), timezone="Asia/Tokyo"),
        Filters(codes=("reprisals", "gender"), languages=("ar", "zh", "ru")),
    ],
    ids=["all", "africa-fr", "theme-dates", "unknown-tokyo", "codes-ar-zh-ru"],
)
def test_each_read_statement_runs_on_the_sample(sample, name: str, filters: Filters) -> None:
    params = {**filters.params(CONSULTATION), **EXTRA_PARAMETERS.get(name, {})}
    frame = queries.frame(sample, name, params)
    empty = name in EMPTY_UNTIL_CODED or name in EMPTY_WITHOUT_MULTI_COLUMN
    assert frame.empty if empty else not frame.empty
    if name == "answers_from":  # one row: where the listing's first page starts, or NULL
        assert list(frame.columns) == ["listed_from"] and len(frame) == 1
        return
    counts = [c for c in frame.columns if c in ("respondents", "responses") or "unknown" in c]
    assert counts or name in LISTINGS or name in ("tag_precision", *EMPTY_UNTIL_CODED)
    for column in counts:
        assert (frame[column] >= 0).all()
    if name in LISTINGS:
        assert "respondent_id" not in frame.columns  # a listing never says who answered
    if name == "answers":
        assert len(frame) <= EXTRA_PARAMETERS["answers"]["page_size"]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(regions=("Africa",)),
        Filters(languages=("fr", "ar")),
        Filters(themes=("protection",)),
        Filters(questions=("q4",)),
        Filters(stakeholder_types=("Human rights defender",)),
        Filters(date_from=date(2020, 1, 18), date_to=date(2020, 1, 19)),
        Filters(countries=("SEN", "Unknown")),
        Filters(codes=("funding",)),
        Filters(codes=("(none)",)),
    ],
)
def test_filters_narrow_every_figure_consistently(sample, filters: Filters) -> None:
    everything = summary(sample, CONSULTATION)
    narrowed = summary(sample, CONSULTATION, filters)
    assert 0 < narrowed["respondents"] < everything["respondents"]
    assert 0 < narrowed["responses"] < everything["responses"]
    for breakdown in ("window", "by_region", "by_language", "by_day"):
        rows = narrowed[breakdown].values()
        assert sum(r["respondents"] for r in rows) == narrowed["respondents"], breakdown
        assert sum(r["responses"] for r in rows) == narrowed["responses"], breakdown
    theme_responses = sum(r["responses"] for r in narrowed["by_theme"].values())
    assert theme_responses == narrowed["responses"]


def test_theme_filter_counts_respondents_with_an_answer_in_it(sample) -> None:
    everything = summary(sample, CONSULTATION)
    protection = summary(sample, CONSULTATION, Filters(themes=("protection",)))
    assert protection["respondents"] == everything["by_theme"]["protection"]["respondents"]
    assert protection["responses"] == everything["by_theme"]["protection"]["responses"]


def test_a_codes_figures_agree_with_the_code_filter(sample) -> None:
    by_code = queries.frame(sample, "by_code", Filters().params(CONSULTATION))
    assert by_code["code_id"].iloc[-1] == "(none)"
    assert (by_code["responses"] > 0).all()  # the sample codebook finds every code
    for row in by_code.itertuples():
        narrowed = summary(sample, CONSULTATION, Filters(codes=(row.code_id,)))
        assert (narrowed["respondents"], narrowed["responses"]) == (
            row.respondents,
            row.responses,
        ), row.code_id
    # Every response has a code or none: the untagged and the tagged together are all.
    tagged = summary(sample, CONSULTATION, Filters(codes=tuple(by_code["code_id"][:-1])))
    total = summary(sample, CONSULTATION)["responses"]
    assert tagged["responses"] + by_code["responses"].iloc[-1] == total


def test_the_summary_has_each_codes_figures(sample) -> None:
    by_code = summary(sample, CONSULTATION)["by_code"]
    assert list(by_code)[-1] == "(none)" and len(by_code) == 12
    assert by_code["reprisals"] == {
        key: summary(sample, CONSULTATION, Filters(codes=("reprisals",)))[key]
        for key in ("respondents", "responses")
    }


def test_code_breakdowns_add_up_to_the_codes_responses(sample) -> None:
    params = Filters().params(CONSULTATION)
    by_code = queries.frame(sample, "by_code", params).set_index("code_id")["responses"]
    for name in ("code_by_region", "code_by_language", "code_timeline"):
        frame = queries.frame(sample, name, params)
        column = "series" if name == "code_timeline" else "code_id"
        sums = frame.groupby(column)["responses"].sum()
        for code_id, responses in sums.items():
            if name == "code_timeline":  # leaves out answers whose time could not be read
                assert 0 <= by_code[code_id] - responses <= 5, code_id
            else:
                assert responses == by_code[code_id], (name, code_id)


def test_days_follow_the_chosen_time_zone(sample) -> None:
    utc = summary(sample, CONSULTATION)["by_day"]
    tokyo = summary(sample, CONSULTATION, Filters(timezone="Asia/Tokyo"))["by_day"]
    assert sum(d["respondents"] for d in utc.values()) == sum(
        d["respondents"] for d in tokyo.values()
    )
    assert utc != tokyo  # 09:00 UTC is 18:00 in Tokyo: arrivals move to later days


def test_a_missing_parameter_is_refused(sample) -> None:
    with pytest.raises(KeyError, match="needs parameters"):
        queries.frame(sample, "totals", {"consultation": CONSULTATION})


def test_only_existing_statements_can_be_named(sample) -> None:
    with pytest.raises(KeyError):
        queries.sql("../pyproject")


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _python_files("dashboard"), ids=lambda p: p.name)
def test_no_sql_is_built_from_strings(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"execute", "sql"}:
            for argument in node.args[:1]:
                assert not isinstance(argument, ast.JoinedStr), f"f-string SQL in {path}"
                assert not (
                    isinstance(argument, ast.Call)
                    and getattr(argument.func, "attr", "") == "format"
                ), f".format SQL in {path}"


@pytest.mark.parametrize(
    "path",
    [*_python_files("dashboard/web/views"), ROOT / "dashboard" / "web" / "app.py"],
    ids=lambda p: p.name,
)
def test_pages_only_lay_out(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "import duckdb" not in text
    assert not re.search(r"\bSELECT\b|\bFROM\s+\w+\s+WHERE\b", text)


def test_the_facts_rebuild_does_not_hold_the_answers_in_scope(sample) -> None:
    """Issue 18: at ten million answers the facts' rebuild ran out of a 1 GB memory limit. Read
    twice, the answers in scope were materialised, held in memory where DuckDB cannot spill
    them; and the codes listed beside the joins and the sort needed more than it could free. The
    codes are now listed first, apart (store/create_fact_codes), and the plan holds no scope."""
    key = {"consultation": CONSULTATION}
    sample.begin()
    try:
        queries.execute(sample, "store/scope_all_respondents", key)
        queries.execute(sample, "store/create_fact_codes", key)
        explained = sample.execute("EXPLAIN " + queries.sql("store/insert_response_facts"), key)
        plan = "\n".join(row[1] for row in explained.fetchall())
        coded = sample.execute("SELECT count(*), sum(len(codes)) FROM fact_codes").fetchone()
        tags = sample.execute(
            "SELECT count(DISTINCT (import_id, source_row, question_id)), count(*) "
            "FROM response_codes WHERE consultation_id = $consultation",
            key,
        ).fetchone()
    finally:
        sample.rollback()  # the sample store stays as loaded for the other tests
    assert "Seq Scan" in plan and "fact_codes" in plan  # a plan of the statement, read
    assert "CTE Name:" not in plan
    assert coded == tags and coded[0] > 0  # every coded answer, every code
