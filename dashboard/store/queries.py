"""The query layer: every SQL statement lives in `queries/`, one per file, and runs from here.

A statement is named by its path under `queries/` without `.sql` ("by_region",
"store/insert_import"); only files that exist can be named, so no caller can make up SQL. Values
are always bound as `$name` parameters; a statement receives exactly the parameters it uses.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

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
    "listed_profiles",
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
    require_parameters(name, params)
    return con.execute(sql(name), {key: params[key] for key in parameters_of(name)})


def execute_on(con: duckdb.DuckDBPyConnection, name: str, table: str, rows: pd.DataFrame) -> None:
    """Run statement `name`, which takes no parameters and reads the frame `rows` under the
    name `table` (what would be parameters are its columns). Unlike a frame registered with
    `con.register`, which a transaction keeps alive until it ends (the view's removal is part of
    the transaction), `rows` is let go once the statement is done: an import writes its answers
    part by part in one transaction, and must not hold every part until the commit."""
    if parameters_of(name):
        raise KeyError(f"queries/{name}.sql takes parameters; it cannot run on a frame")
    con.from_df(rows).query(table, sql(name))


def require_parameters(name: str, params: Mapping[str, Any]) -> None:
    missing = parameters_of(name) - params.keys()
    if missing:
        raise KeyError(f"queries/{name}.sql needs parameters {sorted(missing)}")


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
    require_parameters(name, params)  # also of a statement a kept view answers
    if precomputed:
        name = precomputed_name(con, name, params)
        unfiltered = all(params.get(key) is None for key in RESPONDENT_FILTERS)
        if name.startswith(f"{CUBE}/") and unfiltered:
            stored = stored_view(con, name, params)
            if stored is not None:
                return stored
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
    if precomputed_name(con, finder, params) == finder:
        return None
    found = frame(con, finder, params)
    return found.iloc[0, 0] if len(found) and pd.notna(found.iloc[0, 0]) else None


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
RESPONDENT_FILTERS = ("regions", "countries", "languages", "stakeholder_types")
CUBE = "cube"
# The layout of the cube's tables (database.CUBE_TABLES, and cube_views): raised when a table is
# added or changed, so that a store whose cube an older layout built has it built again when
# opened for writing, and, opened read-only, runs the original statements instead of twins it
# lacks.
CUBE_VERSION = 3
# The unfiltered views kept with the cube (cube_views): every twin with no filter, in the
# consultation's zone ($tz) and k ($k), with these other parameters (those the pages open with:
# the timelines by day, the Responses page's first page of 25). A page asking for another view
# runs the twin: a view missing here costs time, never a figure.
VIEW_PARAMETERS: dict[str, tuple[dict[str, Any], ...]] = {
    "timeline": ({"bin": "day", "split": "all"},),
    "answers_from": ({"page_size": 25, "offset": 0},),
}


def twins() -> list[str]:
    """The names of the statements with a twin in queries/cube/."""
    return sorted(n.removeprefix(f"{CUBE}/") for n in statement_names() if n.startswith(f"{CUBE}/"))


def view_key(twin: str, params: Mapping[str, Any]) -> str:
    """What names a view: the parameters the twin reads (but the consultation), as JSON."""
    read = sorted(parameters_of(twin) - {"consultation"})
    return json.dumps({key: params.get(key) for key in read}, default=str, sort_keys=True)


def encode_view(
    con: duckdb.DuckDBPyConnection, twin: str, params: Mapping[str, Any]
) -> bytes | None:
    """The twin's result under `params`, as an Arrow IPC stream (what cube_views keeps): read
    back with pyarrow's `to_pandas`, it gives exactly the frame `.df()` gives (tests/test_cube.py
    checks every view against the original statement). None for no rows: `.df()` gives an
    empty frame's text columns another dtype, and an empty twin is quick to run."""
    with warnings.catch_warnings():
        # "Arrow output on a DB-API result makes an extra copy": of a view's few rows.
        warnings.simplefilter("ignore", UserWarning)
        table = execute(con, twin, params).to_arrow_table()
    if table.num_rows == 0:
        return None
    # Made again from its values: DuckDB leaves whatever bytes were there under a missing
    # value, so the same figures could be kept as different bytes (and a store put back by an
    # undo would not be the same store).
    table = pa.Table.from_pylist(table.to_pylist(), schema=table.schema)
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def stored_view(
    con: duckdb.DuckDBPyConnection, twin: str, params: Mapping[str, Any]
) -> pd.DataFrame | None:
    """The twin's frame under `params` as kept in cube_views, or None where none is kept (or
    the store, opened read-only, predates them)."""
    key = {
        "consultation": params.get("consultation"),
        "statement": twin,
        "parameters": view_key(twin, params),
        "layout": CUBE_VERSION,
    }
    try:
        row = first_row(con, "store/cube_view", key)
    except duckdb.CatalogException:
        return None
    if row is None:
        return None
    return ipc.open_stream(row[0]).read_all().to_pandas()


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
