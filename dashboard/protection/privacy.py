"""Small counts hidden before they leave the query layer: each breakdown, with the totals the
pages also show, goes through `suppression`, and hidden cells lose their numbers.

The structure of each breakdown (which totals a reader also sees) is stated here once, by query
name, so pages, downloads, the report pack and the CLI hide the same cells. Under a filter the
shown cells are also perturbed (`perturbation`): suppression alone holds within one table, not
across the tables that different filters give.
"""

from __future__ import annotations

import pandas as pd

from dashboard.protection import perturbation, suppression

COUNTS = ("respondents", "responses")
# What each count's noise is drawn from; never released, so they leave every frame here.
KEY_SUMS = {"respondents": "respondent_key_sum", "responses": "response_key_sum"}
# Breakdowns whose cells add up to a shown grand total (the overview's figures).
ONE_WAY = {
    "by_region",
    "by_un_group",
    "by_language_group",
    "by_language",
    "by_period",
    "by_theme",  # themes overlap, but their responses add up to the total: treat as one way
    "by_question",
    "by_code",  # codes overlap and do not add up: each count is still hidden on its own
    "keyword_counts",  # a code's keywords share respondents: each count hidden on its own
}
# Breakdowns of countries, whose totals by region, sub-region and UN group are shown too.
# Options of one question: taken as adding up to the question's respondents (true where the
# columns are one single choice, as SurveyMonkey's expanded export writes them; only more cautious
# for a select-all question, whose options overlap).
GROUPED = {
    "by_country": ("region", "subregion", "un_group"),
    "by_subregion": ("region",),
    "by_option": ("question_id",),
}
# Two-way breakdowns: rows and columns both have shown totals somewhere on the pages.
TWO_WAY = {
    "theme_by_region": ("theme_id", "region"),
    "theme_by_language": ("theme_id", "language"),
    "timeline": ("bin_start", "series"),
    "code_by_region": ("code_id", "region"),
    "code_by_language": ("code_id", "language"),
    "code_timeline": ("bin_start", "series"),
}


def protect(name: str, frame: pd.DataFrame, k: int, *, perturbed: bool = False) -> pd.DataFrame:
    """The frame with a `suppressed` column; hidden cells' counts become missing (pd.NA).
    With `perturbed` (figures under a filter) the shown counts carry their noise.

    Breakdowns not listed here carry no per-person counts and come back unchanged. The record
    key sums of a frame never come back.
    """
    keys = frame[[c for c in KEY_SUMS.values() if c in frame.columns]]
    frame = frame.drop(columns=list(keys.columns))
    if frame.empty or "respondents" not in frame.columns or k <= 1:
        return frame.assign(suppressed=False)
    counts = frame["respondents"].astype("int64")
    if name in GROUPED:
        mask = suppression.suppress_grouped(counts, frame[list(GROUPED[name])], k)
    elif name in TWO_WAY:
        rows, columns = TWO_WAY[name]
        if frame[columns].nunique() == 1:
            mask = suppression.suppress_series(counts, k)
        else:
            grid = frame.pivot_table(
                index=rows, columns=columns, values="respondents", aggfunc="sum", fill_value=0
            )
            hidden = suppression.suppress_grid(grid, k).stack()
            pairs = zip(frame[rows], frame[columns], strict=True)
            mask = pd.Series([bool(hidden.get(pair, False)) for pair in pairs], index=frame.index)
    else:
        mask = suppression.suppress_series(counts, k)
    protected = frame.copy()
    for column in COUNTS:
        if column in protected:
            protected[column] = protected[column].astype("Int64").mask(mask.to_numpy())
    protected["suppressed"] = mask.to_numpy()
    protected.attrs["k"] = k  # charts print "< k" for hidden cells
    if perturbed:
        protected = _perturbed(protected, keys, k)
    return protected


def _perturbed(frame: pd.DataFrame, keys: pd.DataFrame, k: int) -> pd.DataFrame:
    """Each shown, non-zero count plus the noise of its cell (the same records, the same
    noise); respondents never below k, responses never below 1."""
    if set(KEY_SUMS.values()) - set(keys.columns):
        raise ValueError("a breakdown released under a filter needs its record key sums")
    out = frame.copy()
    for column, key_column in KEY_SUMS.items():
        if column not in out:
            continue
        floor = k if column == "respondents" else 1
        out[column] = pd.array(
            [
                value
                if pd.isna(value) or value == 0
                else perturbation.perturb(int(value), int(key), floor)
                for value, key in zip(out[column], keys[key_column], strict=True)
            ],
            dtype="Int64",
        )
    out.attrs["perturbed"] = True
    return out


def published(frame: pd.DataFrame, k: int, *, as_text: bool = False) -> pd.DataFrame:
    """The counts for tables and files: whole numbers, and "< k" for hidden ones (then, with
    `as_text`, every count as text, for on-screen tables that need one type per column)."""
    shown = frame.drop(columns=["suppressed"], errors="ignore").copy()
    for column in (*COUNTS, *(c.capitalize() for c in COUNTS)):
        if column in shown and (as_text or shown[column].isna().any()):
            shown[column] = [
                f"< {k}" if pd.isna(v) else (f"{int(v):,}" if as_text else int(v))
                for v in shown[column]
            ]
    return shown


def mark_hidden(table: pd.DataFrame, k: int, columns: tuple[str, ...] = ("Respondents",
                "Responses")) -> pd.DataFrame:  # fmt: skip
    """A table of published numbers (human column names): missing counts read "< k"."""
    marked = table.copy()
    for column in columns:
        if column in marked and marked[column].isna().any():
            marked[column] = [f"< {k}" if pd.isna(v) else int(v) for v in marked[column]]
    return marked
