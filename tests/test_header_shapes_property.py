"""The same answers exported in each header shape give the same figures.

Respondents are generated as canonical rows (a free-text question, a select-all question of
three options, a time inside the window), written out as a one-row-header CSV with a mapping, a
SurveyMonkey export (question row + sub-answer row, month-first dates) and a Qualtrics export
(column ids, question texts, ImportId row), and imported. `summary --json`'s figures must be the
ones counted from the canonical rows, whatever the shape: respondents, responses (one per
respondent and question, however many columns), options chosen, and days.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.definition.consultation import parse_consultation
from dashboard.importer import parse_mapping
from dashboard.importer.pipeline import load, prepare
from dashboard.store import database
from dashboard.store.queries import Filters
from dashboard.store.summary import summary

CONSULTATION = parse_consultation(
    """
id = "shapes"
title = "Header shapes"
opens = 2014-07-01T00:00:00Z
closes = 2014-07-31T23:59:59Z
timezone = "UTC"
languages = ["en"]
suppression_k = 1

[[themes]]
id = "all"
label.en = "All"
questions = ["fruit", "home"]

[[questions]]
id = "fruit"
text.en = "Which fruit do you like?"

[[questions]]
id = "home"
text.en = "Where do you live?"
"""
)
FRUITS = ("Apple", "Pear", "Plum")
START = datetime(2014, 7, 2, 8, 0)

respondent = st.tuples(
    st.sampled_from(["Rome", "Dakar", "Lima", "Quito, Ecuador", None]),
    st.frozensets(st.sampled_from(FRUITS)),
    st.integers(min_value=0, max_value=20 * 24 * 60),  # minutes after START
)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def plain(people: list[tuple]) -> tuple[bytes, str]:
    rows = [["Respondent ID", "Submitted at", "Where do you live?", *FRUITS]]
    for number, (home, fruits, minutes) in enumerate(people, start=1):
        when = (START + timedelta(minutes=minutes)).isoformat() + "Z"
        rows.append([f"P{number}", when, home or "", *(f if f in fruits else "" for f in FRUITS)])
    mapping = 'format = "wide"\n[questions]\n' + "".join(f'"{f}" = "fruit"\n' for f in FRUITS)
    return _csv(rows), mapping


def surveymonkey(people: list[tuple]) -> tuple[bytes, str]:
    rows = [
        ["RespondentID", "CollectorID", "StartDate", "EndDate", "Where do you live?",
         "Which fruit do you like?", "", ""],
        ["", "", "", "", "Open-Ended Response", *FRUITS],
    ]  # fmt: skip
    for number, (home, fruits, minutes) in enumerate(people, start=1):
        when = START + timedelta(minutes=minutes)
        # As SurveyMonkey (and Excel) write it: month-first, two-digit year, no seconds.
        written = f"{when.month}/{when.day}/{when:%y %H:%M}"
        rows.append(
            [str(3_000_000 + number), "42", written, written, home or "",
             *(f if f in fruits else "" for f in FRUITS)]
        )  # fmt: skip
    return _csv(rows), ""


def qualtrics(people: list[tuple]) -> tuple[bytes, str]:
    columns = [
        ("StartDate", "Start Date", "startDate"),
        ("EndDate", "End Date", "endDate"),
        ("Finished", "Finished", "finished"),
        ("RecordedDate", "Recorded Date", "recordedDate"),
        ("ResponseId", "Response ID", "_recordId"),
        ("Q1", "Where do you live?", "QID1_TEXT"),
        *((f"Q2_{n}", f"Which fruit do you like? - {f}", f"QID2_{n}") for n, f in
          enumerate(FRUITS, start=1)),
    ]  # fmt: skip
    rows = [[c[0] for c in columns], [c[1] for c in columns]]
    rows.append([json.dumps({"ImportId": c[2]}) for c in columns])
    for number, (home, fruits, minutes) in enumerate(people, start=1):
        when = (START + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            [when, when, "1", when, f"R_{number:04d}x", home or "",
             *("1" if f in fruits else "" for f in FRUITS)]
        )  # fmt: skip
    return _csv(rows), ""


SHAPES = {"plain": plain, "surveymonkey": surveymonkey, "qualtrics": qualtrics}


def canonical(people: list[tuple]) -> dict:
    """What an analyst counts from the rows themselves."""
    chosen = Counter(f for _home, fruits, _m in people for f in fruits)
    days = Counter((START + timedelta(minutes=m)).date().isoformat() for _h, _f, m in people)
    return {
        "respondents": len(people),
        "responses": sum(bool(home) for home, _f, _m in people)
        + sum(bool(fruits) for _h, fruits, _m in people),
        "options": {f: chosen[f] for f in FRUITS if chosen[f]},
        "days": dict(days),
    }


def imported(tmp: Path, shape: str, people: list[tuple]) -> dict:
    data, mapping_text = SHAPES[shape](people)
    store = tmp / f"{shape}.duckdb"
    store.unlink(missing_ok=True)
    con = database.connect(store)
    try:
        database.save_consultation(con, CONSULTATION)
        mapping = parse_mapping(mapping_text) if mapping_text else None
        prepared = prepare(data, f"{shape}.csv", CONSULTATION, mapping)
        load(con, prepared)
        return summary(con, CONSULTATION.id, Filters())
    finally:
        con.close()


def figures(found: dict) -> dict:
    options = found["by_option"].get("fruit", {})
    return {
        "respondents": found["respondents"],
        "responses": found["responses"],
        "options": {o: n["respondents"] for o, n in options.items() if n["respondents"]},
        "days": {d: v["respondents"] for d, v in found["by_day"].items() if v["respondents"]},
    }


@pytest.mark.parametrize("shape", list(SHAPES))
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(respondent, min_size=1, max_size=12))
def test_every_header_shape_gives_the_canonical_figures(tmp_path, shape, people) -> None:
    assert figures(imported(tmp_path, shape, people)) == canonical(people)
