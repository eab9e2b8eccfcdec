"""The query layer: every SQL statement lives in `queries/`, one per file, and runs from here.

A statement is named by its path under `queries/` without `.sql` ("by_region",
"store/insert_import"); only files that exist can be named, so no caller can make up SQL. Values
are always bound as `$name` parameters; a statement receives exactly the parameters it uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
MACRO_DIR = QUERY_DIR / "macros"
# Created in this order because each may call the ones before it.
MACROS = (
    "selected_respondents",
    "selected_responses",
    "counted_respondents",
    "searched_answers",
    "listing_places",
    "listed_responses",
    "selected_profiles",
    "quote_types",
)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@cache
def statement_names() -> frozenset[str]:
    return frozenset(
        path.relative_to(QUERY_DIR).with_suffix("").as_posix() for path in QUERY_DIR.rglob("*.sql")
    )


@cache
def sql(name: str) -> str:
    if name not in statement_names():
        raise KeyError(f"no statement queries/{name}.sql")
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def parameters_of(name: str) -> frozenset[str]:
    return frozenset(_PARAMETER.findall(_COMMENT.sub("", sql(name))))


def execute(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    params = params or {}
    wanted = parameters_of(name)
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"queries/{name}.sql needs parameters {sorted(missing)}")
    return con.execute(sql(name), {key: params[key] for key in wanted})


def first_row(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> tuple | None:
    """The first row of a statement's result, or None; the result is read to the end, since
    DuckDB refuses other work on a connection with a result left half read."""
    rows = execute(con, name, params).fetchall()
    return rows[0] if rows else None


def frame(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    precomputed: bool = True,
) -> pd.DataFrame:
    """The statement's result as a DataFrame. With `precomputed` (the default), a statement
    with a twin in `queries/cube/` runs the twin where it gives the same figures
    (`precomputed_name`); `precomputed=False` always runs the statement itself."""
    params = dict(params or {})
    for parameter, finder in BOUNDS.get(name, {}).items():
        if parameter not in params:
            params[parameter] = bound(con, finder, params) if precomputed else None
    if precomputed:
        name = precomputed_name(con, name, params)
    return execute(con, name, params).df()


# Statements that read less given a bound another statement finds first: {statement:
# {parameter: finder}}. The answer listing reads only the newest days its page needs
# (queries/answers_from.sql): at a million answers, converting every answer's time to a local
# day and joining it to the listing's places took most of the Responses page's time.
BOUNDS = {"answers": {"listed_from": "answers_from"}}


def bound(con: duckdb.DuckDBPyConnection, finder: str, params: Mapping[str, Any]) -> Any:
    """The value `finder` gives where the cube answers it (its twin: a few thousand rows),
    else None (no bound: the statement reads everything). Under an answer filter the finder
    would read as much as the statement it bounds, so it is not run."""
    name = precomputed_name(con, finder, params)
    if name == finder:
        return None
    row = first_row(con, name, params)
    return row[0] if row else None


# Parameters of a statement that only the facts can answer: the cube counts respondents and
# responses per profile (respondent attributes), never per theme, question, code, date, word or
# language detected in the answer.
ANSWER_FILTERS = (
    "themes",
    "questions",
    "codes",
    "date_from",
    "date_to",
    "search",
    "answer_languages",
)
CUBE = "cube"
# The layout of the cube's tables (database.CUBE_TABLES): raised when a table is added or
# changed, so that a store whose cube an older layout built has it built again when opened for
# writing, and, opened read-only, runs the original statements instead of twins it lacks.
CUBE_VERSION = 2


def precomputed_name(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]) -> str:
    """`cube/<name>` where that twin gives exactly the statement's figures: it exists, no
    answer filter is set, the consultation's cube is built, and (for the per-day code counts,
    kept by local day) the zone asked for is the one the cube's days are in; else `name`."""
    twin = f"{CUBE}/{name}"
    if twin not in statement_names():
        return name
    if any(params.get(key) is not None for key in ANSWER_FILTERS):
        return name
    try:
        built = first_row(
            con,
            "store/cube_zone",
            {"consultation": params.get("consultation"), "layout": CUBE_VERSION},
        )
    except duckdb.CatalogException:
        return name  # a store made before the cube, opened read-only: it has none
    if built is None:
        return name
    if name == "code_timeline" and params.get("tz") != built[0]:
        return name
    return twin


NO_CODE = "(none)"
# An answer whose language was not detected (too short, or no language clearly ahead).
UNDETECTED = "und"


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to; an empty tuple or None means "everything"."""

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    stakeholder_types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # code ids, or NO_CODE for answers no code tags
    date_from: date | None = None
    date_to: date | None = None
    timezone: str = "UTC"
    # Languages detected in the answers (ISO 639-1, or UNDETECTED): an answer filter.
    answer_languages: tuple[str, ...] = ()

    def params(self, consultation_id: str) -> dict[str, Any]:
        return {
            "consultation": consultation_id,
            "regions": list(self.regions) or None,
            "countries": list(self.countries) or None,
            "languages": list(self.languages) or None,
            "stakeholder_types": list(self.stakeholder_types) or None,
            "themes": list(self.themes) or None,
            "questions": list(self.questions) or None,
            "codes": list(self.codes) or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "tz": self.timezone,
            "answer_languages": list(self.answer_languages) or None,
        }
