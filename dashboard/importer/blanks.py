"""Placeholder values that stand for "nothing": declared ones read as blank, look-alikes reported.

Exports write "N/A", "-", "Not selected" or the text "None" where a person gave nothing. Whether
such a value means blank is the analyst's call (a "-" may be a real answer, "NA" is Namibia's
country code), so only values declared in a mapping's `[parse] blank_values`, or by a platform
adapter, are blanked. Values that merely look like placeholders are counted and reported, never
changed, so that nothing changes silently and nothing wrong goes unseen.

This runs on the raw cells the mapping uses, before any canonical row is built, so every later
step (respondent ids, answers, countries) sees a declared placeholder exactly as an empty cell.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from dashboard.importer.mapping import Mapping
from dashboard.importer.reading import RawTable

# Values that often mean "no answer" in exports; compared trimmed and with case ignored.
PLACEHOLDER_CANDIDATES = (
    "N/A", "NA", "n/a", "-", "--", "None", "null", "No answer", "Not selected", "(blank)", ".",
)  # fmt: skip
# Spaces around a placeholder that are still read as one; a longer cell is never compared, so
# that the many answers longer than any placeholder cost one vectorised length each.
PLACEHOLDER_PADDING = 32
RESPONDENT_FIELDS_CHECKED = ("respondent_id", "country", "language", "stakeholder_type")
ANSWERS = "answer"


@dataclass
class Placeholders:
    """What was found, one record per field and value as written (trimmed): {"field",
    "value", "rows"}; `field` is a respondent field or "answer"."""

    blanked: list[dict[str, object]] = field(default_factory=list)
    lookalikes: list[dict[str, object]] = field(default_factory=list)

    def __add__(self, other: Placeholders) -> Placeholders:
        """Both findings together, as from one table holding the rows of both (for an export
        read in parts)."""
        return Placeholders(
            _records(_counts(self.blanked) + _counts(other.blanked)),
            _records(_counts(self.lookalikes) + _counts(other.lookalikes)),
        )


def placeholder_key(value: object) -> str | None:
    """How a cell compares with placeholders: trimmed, case ignored; None for non-text cells.
    (Lower case, not casefold: the same as the vectorised `str.lower` in `blank_placeholders`.)"""
    if not isinstance(value, str):
        return None
    return value.strip().lower()


def checked_columns(mapping: Mapping, headers: list[str]) -> dict[str, str]:
    """Each header the mapping reads for a respondent field or an answer, with that field."""
    present = set(headers)
    columns: dict[str, str] = {}
    for name in RESPONDENT_FIELDS_CHECKED:
        header = mapping.columns.get(name)
        if header in present:
            columns.setdefault(header, name)
    if mapping.format == "participation":
        return columns
    if mapping.format == "long":
        answer = mapping.columns.get(ANSWERS)
        answers = [answer] if answer in present else []
    else:
        answers = [h for h in mapping.questions if h in present]
    for header in answers:
        columns.setdefault(header, ANSWERS)
    return columns


def blank_placeholders(raw: RawTable, mapping: Mapping) -> tuple[RawTable, Placeholders]:
    """The table with declared placeholders emptied in the columns the mapping reads, and the
    counts of declared placeholders and of undeclared look-alikes found there."""
    declared = {key for v in mapping.blank_values if (key := placeholder_key(v))}
    candidates = {placeholder_key(v) for v in PLACEHOLDER_CANDIDATES}
    blanked: Counter[tuple[str, str]] = Counter()
    lookalikes: Counter[tuple[str, str]] = Counter()
    emptied: dict[str, pd.Series] = {}
    wanted = declared | candidates
    for header, name in checked_columns(mapping, raw.headers).items():
        column = raw.frame[header]
        texts = _short_texts(column, max(map(len, wanted)) + PLACEHOLDER_PADDING)
        if texts.empty:
            continue
        matched = texts[texts.str.strip().str.lower().isin(wanted).to_numpy(dtype=bool)]
        hits = []
        for value, rows in matched.value_counts().items():
            if placeholder_key(value) in declared:
                blanked[(name, value.strip())] += int(rows)
                hits.append(value)
            else:
                lookalikes[(name, value.strip())] += int(rows)
        if hits:
            emptied[header] = column.where(~column.isin(hits), None)
    found = Placeholders(_records(blanked), _records(lookalikes))
    if not emptied:
        return raw, found
    frame = raw.frame.copy(deep=False)  # only the emptied columns are new
    for header, column in emptied.items():
        frame[header] = column
    return replace(raw, frame=frame), found


def _short_texts(column: pd.Series, longest: int) -> pd.Series:
    """The column's text cells of at most `longest` characters: the only ones compared."""
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return pd.Series(dtype=object)
    try:
        lengths = column.str.len()  # NaN for cells that are not text
    except AttributeError:  # an object column holding no text at all (JSON numbers)
        return pd.Series(dtype=object)
    return column[lengths.le(longest).fillna(False).astype(bool)]


def _counts(records: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for record in records:
        counts[(record["field"], record["value"])] += record["rows"]
    return counts


def _records(counts: Counter[tuple[str, str]]) -> list[dict[str, object]]:
    """Most rows first; equal counts by field and value, so that the order does not depend on
    the order the cells were read in (a file read whole or in parts)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"field": name, "value": value, "rows": rows} for (name, value), rows in ordered]
