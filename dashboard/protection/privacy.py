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
from dashboard.reference import i18n
from dashboard.reference.i18n import _

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
    # Declared language by the language detected in the answer (a respondent may answer in
    # several, so the answer languages' cells overlap: hidden as a grid all the same).
    "language_by_answer_language": ("language", "answer_language"),
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
    `as_text`, every count as text, written for the language in force, for on-screen tables
    that need one type per column)."""
    shown = frame.drop(columns=["suppressed"], errors="ignore").copy()
    for column in dict.fromkeys((*COUNTS, *(c.capitalize() for c in COUNTS), *_headings())):
        if column in shown and (as_text or shown[column].isna().any()):
            shown[column] = [
                f"< {k}" if pd.isna(v) else (i18n.number(v) if as_text else int(v))
                for v in shown[column]
            ]
    return shown


def _headings() -> tuple[str, str]:
    """The count columns' headings in the language in force."""
    return (_("Respondents"), _("Responses"))


def mark_hidden(
    table: pd.DataFrame, k: int, columns: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """A table of published numbers (human column names, English or in the language in
    force): missing counts read "< k"."""
    marked = table.copy()
    for column in dict.fromkeys(columns or ("Respondents", "Responses", *_headings())):
        if column in marked and marked[column].isna().any():
            marked[column] = [f"< {k}" if pd.isna(v) else int(v) for v in marked[column]]
    return marked


# Tag review's counts (queries/tag_precision.sql), one row per code and language: answers a
# keyword tagged with the code and answers it did not, then analysts' verdicts on them. Each
# count `m` comes with the respondents whose answers it counts (`m_respondents`) and its record
# key sum (`m_key_sum`). Tagged and untagged answers are counts of people's answers: hidden
# below k and perturbed under a filter like every figure. Within a language they add up to its
# answers, which the pages show, and over languages to the code's, which the page shows too.
ANSWER_COUNTS = ("tagged", "untagged")
# Verdicts are analysts' work, not people: exact on the Tag review page, where analysts make
# them. Files (the report pack's note) release them like answers under a filter (perturbed),
# and say nothing of judged answers from fewer than k respondents.
VERDICT_COUNTS = ("judged", "correct", "untagged_judged", "missed", "disputed")
GATED_VERDICTS = ("judged", "untagged_judged")  # the n of precision and of the miss rate


def protect_tag_counts(
    counts: pd.DataFrame,
    k: int,
    *,
    perturbed: bool,
    by_language: bool,
    verdicts: bool = False,
) -> pd.DataFrame:
    """One row per code (and language, with `by_language`) of queries/tag_precision.sql, its
    counts as released: tagged and untagged answers missing (pd.NA) where hidden, perturbed
    under a filter (`perturbed`); with `verdicts` (files), the verdict counts perturbed too, and
    judged counts from fewer than k respondents missing with the right and missed among them.
    k = 1: everything exact. The
    respondents and record key sums never come back."""
    keys = ["code_id", "language"] if by_language else ["code_id"]
    measures = (*ANSWER_COUNTS, *VERDICT_COUNTS)
    if counts.empty:
        return pd.DataFrame(columns=[*keys, *measures])
    counts = counts.reset_index(drop=True)
    cells, codes = _hidden_tag_counts(counts, k)
    if by_language:
        rows, hidden = counts, cells
    else:
        # A respondent has one language: respondents and record keys add up over languages.
        rows = counts.groupby("code_id", sort=False, as_index=False).sum(numeric_only=True)
        hidden = pd.DataFrame(
            [[codes[(code, kind)] for kind in ANSWER_COUNTS] for code in rows["code_id"]],
            columns=list(ANSWER_COUNTS),
        )
    out = rows[keys].copy()
    for measure in measures:
        people = rows[f"{measure}_respondents"].to_numpy()
        key_sums = rows[f"{measure}_key_sum"].to_numpy()
        released = []
        for i, value in enumerate(rows[measure].to_numpy()):
            if measure in ANSWER_COUNTS:
                secret = bool(hidden.at[i, measure]) or (k > 1 and 0 < people[i] < k)
            elif verdicts:
                secret = k > 1 and measure in GATED_VERDICTS and 0 < people[i] < k
            else:
                released.append(int(value))  # verdicts on the page: exact
                continue
            if secret:
                released.append(pd.NA)
            elif perturbed and k > 1 and value > 0:
                # A count of k respondents' answers or more stays at k or more; other
                # verdicts may be small (they count verdicts, not people).
                floor = k if measure in (*ANSWER_COUNTS, *GATED_VERDICTS) else 1
                key = int(key_sums[i]) % perturbation.KEY_MODULUS
                released.append(perturbation.perturb(int(value), key, floor))
            else:
                released.append(int(value))
        out[measure] = pd.array(released, dtype="Int64")
    if verdicts:
        for part, whole in (("correct", "judged"), ("missed", "untagged_judged")):
            # Nothing of judged answers from fewer than k respondents, the part included.
            out.loc[out[whole].isna().to_numpy(), part] = pd.NA
            # Each count has its own noise: a part must not come out larger than its whole.
            over = (out[part] > out[whole]).fillna(False).to_numpy(dtype=bool)
            out.loc[over, part] = out.loc[over, whole]
    return out


def _hidden_tag_counts(counts: pd.DataFrame, k: int) -> tuple[pd.DataFrame, dict]:
    """Which tagged and untagged counts to hide: per code and language (a frame like `counts`,
    a column per kind), and per code and kind over every language (a dict)."""
    cells = pd.DataFrame(False, index=counts.index, columns=list(ANSWER_COUNTS))
    codes = {(code, kind): False for code in pd.unique(counts["code_id"]) for kind in ANSWER_COUNTS}
    if k <= 1:
        return cells, codes
    # A language the Languages page hides (fewer than k respondents, or hidden to protect one)
    # is hidden whole: its answers, tagged or not, are one of that page's hidden cells.
    languages = counts.groupby("language", sort=False)["language_respondents"].first()
    hidden_languages = languages.index[suppression.suppress_series(languages, k).to_numpy()]
    # Cell 2i + j: row i's respondents of kind j (1, below k, where its language is hidden).
    # Shown sums: a code's kind over languages (its overall row), and a code's two kinds in
    # one language (that language's answers, shown on other pages: never hidden to spare a
    # cell).
    values = counts[[f"{kind}_respondents" for kind in ANSWER_COUNTS]].to_numpy().copy()
    values[counts["language"].isin(hidden_languages).to_numpy()] = 1
    code_of = counts["code_id"].to_numpy()
    over_languages = [
        [2 * i + ANSWER_COUNTS.index(kind) for i in range(len(counts)) if code_of[i] == code]
        for code, kind in codes
    ]
    per_language = [[2 * i, 2 * i + 1] for i in range(len(counts))]
    shown_elsewhere = range(len(over_languages), len(over_languages) + len(per_language))
    hidden = suppression.protect(
        values.ravel(), [*over_languages, *per_language], k, keep=shown_elsewhere
    )
    for cell in hidden.cells:
        cells.iat[cell // 2, cell % 2] = True
    for position, code_kind in enumerate(codes):
        codes[code_kind] = position in hidden.totals
    return cells, codes
