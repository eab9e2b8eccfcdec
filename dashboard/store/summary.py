"""The summary figures of a consultation, built from the same queries as the pages."""

from __future__ import annotations

from typing import Any

import duckdb

from dashboard.store import queries
from dashboard.store.queries import Filters

BREAKDOWNS = {
    "window": ("by_period", "period"),
    "by_region": ("by_region", "region"),
    "by_language": ("by_language", "language"),
    "by_theme": ("by_theme", "theme_id"),
    "by_day": ("by_day", "day"),
    "by_code": ("by_code", "code_id"),
}


def summary(
    con: duckdb.DuckDBPyConnection, consultation_id: str, filters: Filters | None = None
) -> dict[str, Any]:
    """Respondents and responses overall and by window period, region, language, theme, day
    and code (the codebook's codes, then "(none)" for answers no code tags); and, apart, the
    respondents who chose each option of the questions that span several columns (`by_option`:
    question id -> option -> respondents; options are not responses and never add up to them).

    Days are calendar days in the filters' time zone (UTC unless told otherwise).
    """
    params = (filters or Filters()).params(consultation_id)
    totals = queries.frame(con, "totals", params).iloc[0]
    result: dict[str, Any] = {
        "consultation": consultation_id,
        "respondents": int(totals["respondents"]),
        "responses": int(totals["responses"]),
        # Counted among the respondents above: rows that had no id, one respondent each.
        "respondents_without_id": int(queries.first_row(con, "respondents_without_id", params)[0]),
    }
    for key, (statement, column) in BREAKDOWNS.items():
        frame = queries.frame(con, statement, params)
        result[key] = {
            str(row[column]): {
                "respondents": int(row["respondents"]),
                "responses": int(row["responses"]),
            }
            for _, row in frame.iterrows()
        }
    options: dict[str, dict[str, dict[str, int]]] = {}
    for row in queries.frame(con, "by_option", params).itertuples():
        options.setdefault(row.question_id, {})[row.option] = {"respondents": int(row.respondents)}
    result["by_option"] = options
    return result
