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
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    return execute(con, name, params).df()


NO_CODE = "(none)"


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
        }
