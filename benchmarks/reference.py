"""The reference: the same figures computed the usual way, with pandas on DataFrames in memory.

This is how a typical Streamlit dashboard is written: load everything into DataFrames once
(here the store's canonical tables, with each response joined to its respondent's attributes and
its question's theme, so that every filter is a boolean mask over one frame), then on every
click filter with masks and count with `groupby`. It computes, for each statement the pages run,
the same table as `queries/<name>.sql` (same columns, same keys, same counts), so the benchmark
can check that both give identical numbers before it compares their times.

It lives under `benchmarks/` only: the dashboard never uses it. Small-count suppression is not
reproduced; the figures compared are the unsuppressed ones (as the statements return them).

`python -m benchmarks.reference load-export FILE.csv` is the other half of the usual dashboard:
reading a wide export with `pandas.read_csv` and reshaping it to one row per answer, which the
benchmark times beside the dashboard's import.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

# The search's fold is a definition (what matches), not a way to compute: shared, not copied.
from dashboard.store.search_text import search_texts

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Parameters of the filters the reference knows how to apply; any other one set (not None)
# makes it refuse rather than compute different figures.
KNOWN_FILTERS = {
    "consultation",
    "answer_languages",
    "regions",
    "countries",
    "languages",
    "stakeholder_types",
    "themes",
    "questions",
    "date_from",
    "date_to",
    "tz",
}
# A statement's own parameters, which are not filters.
STATEMENT_PARAMETERS = {"bin", "split", "search", "raw", "k", "page_size", "offset"}
# Each response with its respondent's attributes and its question's theme, as the usual
# dashboard holds them: one frame, so that every filter is a mask over it.
RESPONSES_SQL = """
SELECT
    a.respondent_id, a.question_id, a.submitted_at, a.import_id, a.source_row,
    coalesce(nullif(q.theme_id, ''), 'Unknown') AS theme_id,
    r.submitted_at AS respondent_submitted_at, r.country_iso3, r.region, r.subregion,
    r.language, r.stakeholder_type, coalesce(a.answer_language, 'und') AS answer_language,
    a.answer_redacted
FROM responses AS a
JOIN respondents AS r USING (consultation_id, respondent_id)
LEFT JOIN questions AS q USING (consultation_id, question_id)
WHERE a.consultation_id = $consultation
"""
RESPONDENT_COLUMNS = (
    "respondent_id, submitted_at, country_iso3, region, subregion, language, stakeholder_type"
)


class NotReproduced(Exception):
    """The reference has no pandas version of this statement or of these parameters."""


@dataclass
class Frames:
    """Everything the reference dashboard holds in memory for one consultation."""

    consultation_id: str
    opens: pd.Timestamp
    closes: pd.Timestamp
    languages: list[str]
    respondents: pd.DataFrame  # one row per respondent, with its period
    responses: pd.DataFrame  # one row per response, with its respondent's attributes
    # The answers' (redacted) texts, beside the responses (same index): kept out of the frame
    # that every click filters, so that a filter does not copy millions of texts.
    texts: pd.Series
    themes: pd.DataFrame
    questions: pd.DataFrame
    countries: pd.DataFrame
    codes: pd.DataFrame  # the codebook's codes
    response_codes: pd.DataFrame  # one row per code an answer carries
    response_options: pd.DataFrame  # one row per option chosen in a multi-column question

    def memory_bytes(self) -> int:
        return int(self.texts.memory_usage(deep=True)) + sum(
            int(frame.memory_usage(deep=True).sum())
            for frame in (
                self.respondents,
                self.responses,
                self.themes,
                self.questions,
                self.countries,
                self.codes,
                self.response_codes,
                self.response_options,
            )
        )


def _period(times: pd.Series, opens: pd.Timestamp, closes: pd.Timestamp) -> pd.Series:
    period = np.select(
        [times.isna().to_numpy(), (times < opens).to_numpy(), (times > closes).to_numpy()],
        ["unknown", "before", "after"],
        "during",
    )
    return pd.Series(period, index=times.index)


def load(con: duckdb.DuckDBPyConnection, consultation_id: str) -> Frames:
    """Read the store's tables for one consultation into DataFrames, as the usual dashboard
    reads its data once at start-up. (Read through Arrow, which hands pandas its text columns
    without making millions of Python strings on the way: at 10 million responses that way
    needs 4 GB less.)"""
    this = duckdb.ColumnExpression("consultation_id") == duckdb.ConstantExpression(consultation_id)
    consultation = con.table("consultations").filter(this).df()
    if len(consultation) != 1:
        raise ValueError(f"no consultation {consultation_id!r} in the store")
    row = consultation.iloc[0]
    opens, closes = pd.Timestamp(row["opens"]), pd.Timestamp(row["closes"])

    def table(name: str, columns: str) -> pd.DataFrame:
        return con.table(name).filter(this).project(columns).to_arrow_table().to_pandas()

    respondents = table("respondents", RESPONDENT_COLUMNS)
    respondents["period"] = _period(respondents["submitted_at"], opens, closes)
    questions = table("questions", "question_id, theme_id, position, texts::VARCHAR AS texts")
    themes = table("themes", "theme_id, position")
    countries = con.table("countries").df()
    # DuckDB keeps the memory of a large join for later use unless told to stay small; the
    # reference's process should hold the DataFrames, not DuckDB's leftovers.
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute("SET memory_limit = '3GB'")
    try:
        # A relation, not a DB-API result: DuckDB would copy every row once more for Arrow.
        arrow = con.sql(RESPONSES_SQL, params={"consultation": consultation_id}).to_arrow_table()
    finally:
        con.execute("SET memory_limit = $limit", {"limit": limit})
    texts = arrow.column("answer_redacted").to_pandas()
    responses = arrow.drop_columns(["answer_redacted"]).to_pandas()
    del arrow
    responses["period"] = _period(responses["submitted_at"], opens, closes)
    codes = table("codes", "code_id, theme_id, position")
    response_codes = table("response_codes", "import_id, source_row, question_id, code_id")
    response_options = table(
        "response_options", "import_id, source_row, question_id, option, position"
    )
    give_back_memory()
    return Frames(
        consultation_id=consultation_id,
        opens=opens,
        closes=closes,
        languages=list(row["languages"]),
        respondents=respondents,
        responses=responses,
        texts=texts,
        themes=themes,
        questions=questions,
        countries=countries,
        codes=codes,
        response_codes=response_codes,
        response_options=response_options,
    )


def give_back_memory() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise: at 10 million
    responses, 4 GB left over from reading)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# --- filtering ---------------------------------------------------------------------------------


def _local_days(times: pd.Series, zone: str) -> pd.Series:
    """Calendar day of each time in `zone`, as a naive midnight timestamp (NaT stays NaT)."""
    return times.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()


def _attribute_mask(frame: pd.DataFrame, params: Mapping[str, Any], time_column: str) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    if params.get("regions"):
        mask &= frame["region"].isin(params["regions"]).to_numpy()
    if params.get("countries"):
        mask &= frame["country_iso3"].fillna("Unknown").isin(params["countries"]).to_numpy()
    if params.get("languages"):
        mask &= frame["language"].isin(params["languages"]).to_numpy()
    if params.get("stakeholder_types"):
        mask &= frame["stakeholder_type"].isin(params["stakeholder_types"]).to_numpy()
    mask &= _date_mask(frame[time_column], params)
    return mask


def _date_mask(times: pd.Series, params: Mapping[str, Any]) -> np.ndarray:
    date_from, date_to = params.get("date_from"), params.get("date_to")
    if date_from is None and date_to is None:
        return np.ones(len(times), dtype=bool)
    days = _local_days(times, params.get("tz") or "UTC")
    mask = days.notna().to_numpy().copy()
    if date_from is not None:
        mask &= (days >= pd.Timestamp(date_from)).to_numpy()
    if date_to is not None:
        mask &= (days <= pd.Timestamp(date_to)).to_numpy()
    return mask


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows of the mask (the frame itself when the mask keeps everything)."""
    return frame if mask.all() else frame[mask]


@dataclass
class Selection:
    respondents: pd.DataFrame  # selected respondents
    responses: pd.DataFrame  # selected responses
    counted: pd.DataFrame  # counted respondents


def select(frames: Frames, params: Mapping[str, Any]) -> Selection:
    others = KNOWN_FILTERS | STATEMENT_PARAMETERS
    unknown = sorted(k for k, v in params.items() if k not in others and v is not None)
    if unknown:
        raise NotReproduced(f"filters {unknown} are not reproduced")
    if params["consultation"] != frames.consultation_id:
        raise ValueError("the frames hold another consultation")
    respondents = _rows(
        frames.respondents, _attribute_mask(frames.respondents, params, "submitted_at")
    )
    a = frames.responses
    mask = _attribute_mask(a, params, "respondent_submitted_at")
    if params.get("themes"):
        mask &= a["theme_id"].isin(params["themes"]).to_numpy()
    if params.get("questions"):
        mask &= a["question_id"].isin(params["questions"]).to_numpy()
    if params.get("answer_languages"):
        mask &= a["answer_language"].isin(params["answer_languages"]).to_numpy()
    mask &= _date_mask(a["submitted_at"], params)
    responses = _rows(a, mask)
    if params.get("themes") or params.get("questions") or params.get("answer_languages"):
        counted = respondents[respondents["respondent_id"].isin(responses["respondent_id"])]
    else:
        counted = respondents
    return Selection(respondents, responses, counted)


# --- statements --------------------------------------------------------------------------------

Statement = Callable[[Frames, Selection, Mapping[str, Any]], pd.DataFrame]
STATEMENTS: dict[str, Statement] = {}


def statement(name: str) -> Callable[[Statement], Statement]:
    def register(function: Statement) -> Statement:
        STATEMENTS[name] = function
        return function

    return register


def run(frames: Frames, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
    """The pandas version of `queries/<name>.sql` under these parameters."""
    if name not in STATEMENTS:
        raise NotReproduced(f"no pandas version of {name}")
    return STATEMENTS[name](frames, select(frames, params), params)


def _count_by(frame: pd.DataFrame, keys: list[str] | str, name: str) -> pd.DataFrame:
    return frame.groupby(keys, dropna=False).size().rename(name).reset_index()


def _pairs(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return (
        frame.groupby(keys, dropna=False)
        .agg(respondents=("respondent_id", "nunique"), responses=("respondent_id", "size"))
        .reset_index()
    )


def _with_zeros(frame: pd.DataFrame, columns=("respondents", "responses")) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


@statement("totals")
@statement("totals_keyed")  # its record-key sums are ours only, so not compared
def totals(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return pd.DataFrame({"respondents": [len(s.counted)], "responses": [len(s.responses)]})


@statement("by_period")
def by_period(frames: Frames, s: Selection, params) -> pd.DataFrame:
    periods = pd.DataFrame({"period": ["before", "during", "after", "unknown"]})
    out = periods.merge(_count_by(s.counted, "period", "respondents"), how="left")
    out = _with_zeros(out.merge(_count_by(s.responses, "period", "responses"), how="left"))
    return out[(out["period"] != "unknown") | (out["respondents"] > 0) | (out["responses"] > 0)]


def _by_key(s: Selection, key: str, keys: pd.Series | list[str] | None = None) -> pd.DataFrame:
    counted = _count_by(s.counted, key, "respondents")
    answered = _count_by(s.responses, key, "responses")
    if keys is not None:
        every = pd.DataFrame({key: pd.unique(pd.concat([pd.Series(keys), counted[key]]))})
        counted = every.merge(counted, how="left")
    return _with_zeros(counted.merge(answered, how="left"))


@statement("by_region")
def by_region(frames: Frames, s: Selection, params) -> pd.DataFrame:
    regions = frames.countries.loc[frames.countries["region"] != "", "region"].unique()
    return _by_key(s, "region", list(regions))


@statement("by_language")
def by_language(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return _by_key(s, "language", frames.languages)


@statement("by_country")
def by_country(frames: Frames, s: Selection, params) -> pd.DataFrame:
    counted = s.counted.assign(iso3=s.counted["country_iso3"].fillna("Unknown"))
    answered = s.responses.assign(iso3=s.responses["country_iso3"].fillna("Unknown"))
    out = _count_by(counted, "iso3", "respondents").merge(
        _count_by(answered, "iso3", "responses"), how="left"
    )
    names = frames.countries[["iso3", "name_en", "region", "subregion", "un_group"]]
    out = out.merge(names, on="iso3", how="left")
    blank = lambda c: out[c].where(out[c] != "")  # noqa: E731
    out = out.assign(
        country=out["name_en"].fillna("Unknown"),
        region=blank("region").fillna("Unknown"),
        subregion=blank("subregion").fillna("Unknown"),
        un_group=blank("un_group").fillna("No regional group"),
    )
    out = _with_zeros(out)
    return out[["iso3", "country", "region", "subregion", "un_group", "respondents", "responses"]]


@statement("by_subregion")
def by_subregion(frames: Frames, s: Selection, params) -> pd.DataFrame:
    counted = _count_by(s.counted, ["subregion", "region"], "respondents")
    answered = _count_by(s.responses, "subregion", "responses")
    out = _with_zeros(counted.merge(answered, on="subregion", how="left"))
    return out[["subregion", "region", "respondents", "responses"]]


def _un_group(frames: Frames, iso3: pd.Series) -> pd.Series:
    groups = frames.countries.set_index("iso3")["un_group"]
    group = iso3.map(groups)
    group = group.where(group.notna() & (group != ""), "No regional group")
    return group.where(iso3.notna(), "Unknown")


@statement("by_un_group")
def by_un_group(frames: Frames, s: Selection, params) -> pd.DataFrame:
    counted = s.counted.assign(un_group=_un_group(frames, s.counted["country_iso3"]))
    answered = s.responses.assign(un_group=_un_group(frames, s.responses["country_iso3"]))
    groups = frames.countries.loc[frames.countries["un_group"] != "", "un_group"].unique()
    every = pd.DataFrame(
        {"un_group": pd.unique(pd.concat([pd.Series(groups), counted["un_group"]]))}
    )
    out = every.merge(_count_by(counted, "un_group", "respondents"), how="left")
    return _with_zeros(out.merge(_count_by(answered, "un_group", "responses"), how="left"))


def _language_group(language: pd.Series) -> pd.Series:
    group = language.where(language.isin(UN_LANGUAGES), "other")
    return group.where(language != "und", "und")


@statement("by_language_group")
def by_language_group(frames: Frames, s: Selection, params) -> pd.DataFrame:
    counted = s.counted.assign(language=_language_group(s.counted["language"]))
    answered = s.responses.assign(language=_language_group(s.responses["language"]))
    every = pd.DataFrame({"language": [*UN_LANGUAGES, "other", "und"]})
    out = every.merge(_count_by(counted, "language", "respondents"), how="left")
    out = _with_zeros(out.merge(_count_by(answered, "language", "responses"), how="left"))
    return out[out["language"].isin(UN_LANGUAGES) | (out["respondents"] > 0)]


@statement("by_theme")
def by_theme(frames: Frames, s: Selection, params) -> pd.DataFrame:
    defined = frames.themes[["theme_id"]]
    if params.get("themes"):
        defined = defined[defined["theme_id"].isin(params["themes"])]
    out = defined.merge(_pairs(s.responses, ["theme_id"]), on="theme_id", how="outer")
    return _with_zeros(out)


@statement("by_question")
def by_question(frames: Frames, s: Selection, params) -> pd.DataFrame:
    q = frames.questions
    theme = q["theme_id"].where(q["theme_id"] != "", "Unknown")
    keep = np.ones(len(q), dtype=bool)
    if params.get("themes"):
        keep &= theme.isin(params["themes"]).to_numpy()
    if params.get("questions"):
        keep &= q["question_id"].isin(params["questions"]).to_numpy()
    defined = pd.DataFrame(
        {"question_id": q["question_id"], "theme_id": theme, "texts": q["texts"]}
    )[keep]
    out = defined.merge(_pairs(s.responses, ["question_id"]), on="question_id", how="outer")
    out["theme_id"] = out["theme_id"].fillna("Unknown")
    out["texts"] = out["texts"].fillna("{}")
    return _with_zeros(out)[["question_id", "theme_id", "texts", "respondents", "responses"]]


@statement("theme_by_region")
def theme_by_region(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return _pairs(s.responses, ["theme_id", "region"])


@statement("theme_by_language")
def theme_by_language(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return _pairs(s.responses, ["theme_id", "language"])


def _bins(frame: pd.DataFrame, params, name: str) -> pd.DataFrame:
    times = frame["submitted_at"]
    keep = times.notna()
    local = times[keep].dt.tz_convert(params["tz"]).dt.tz_localize(None)
    bins = local.dt.floor("h") if params["bin"] == "hour" else local.dt.normalize()
    split = params["split"]
    series = frame.loc[keep, split] if split in ("language", "region") else "All"
    binned = pd.DataFrame({"bin_start": bins, "series": series})
    return _count_by(binned, ["bin_start", "series"], name)


@statement("timeline")
def timeline(frames: Frames, s: Selection, params) -> pd.DataFrame:
    if params["bin"] not in ("day", "hour"):
        raise NotReproduced(f"bin {params['bin']!r}")
    out = _bins(s.counted, params, "respondents").merge(
        _bins(s.responses, params, "responses"), on=["bin_start", "series"], how="outer"
    )
    return _with_zeros(out)


@statement("by_day")
def by_day(frames: Frames, s: Selection, params) -> pd.DataFrame:
    def days(frame: pd.DataFrame) -> pd.Series:
        local = _local_days(frame["submitted_at"], params["tz"])
        return local.dt.strftime("%Y-%m-%d").fillna("Unknown")

    counted = _count_by(s.counted.assign(day=days(s.counted)), "day", "respondents")
    answered = _count_by(s.responses.assign(day=days(s.responses)), "day", "responses")
    return _with_zeros(counted.merge(answered, on="day", how="outer"))


ANSWER_KEY = ["import_id", "source_row", "question_id"]
NO_CODE = "(none)"


def _tagged(frames: Frames, s: Selection, params, keep_untagged: bool) -> pd.DataFrame:
    """The selected responses with each code they carry (one row per response and code)."""
    columns = [*ANSWER_KEY, "respondent_id", "region", "language", "submitted_at"]
    tagged = s.responses[columns].merge(
        frames.response_codes, on=ANSWER_KEY, how="left" if keep_untagged else "inner"
    )
    if keep_untagged:
        tagged["code_id"] = tagged["code_id"].fillna(NO_CODE)
    return tagged


@statement("by_code")
def by_code(frames: Frames, s: Selection, params) -> pd.DataFrame:
    defined = pd.concat(
        [
            frames.codes,
            pd.DataFrame({"code_id": [NO_CODE], "theme_id": [""], "position": [1_000_000]}),
        ],
        ignore_index=True,
    )
    out = defined.merge(_pairs(_tagged(frames, s, params, True), ["code_id"]), how="left")
    return _with_zeros(out)[["code_id", "theme_id", "respondents", "responses"]]


@statement("by_option")
def by_option(frames: Frames, s: Selection, params) -> pd.DataFrame:
    options = frames.response_options
    if params.get("questions"):
        options = options[options["question_id"].isin(params["questions"])]
    questions = frames.questions[["question_id", "theme_id", "position"]]
    theme = questions["theme_id"].where(questions["theme_id"] != "", "Unknown")
    questions = questions.assign(theme_id=theme)
    placed = (
        options.groupby(["question_id", "option"], as_index=False)["position"]
        .min()
        .rename(columns={"position": "option_position"})
        .merge(questions, on="question_id", how="left")
    )
    placed["theme_id"] = placed["theme_id"].fillna("Unknown")
    if params.get("themes"):
        placed = placed[placed["theme_id"].isin(params["themes"])]
    chosen = s.responses[[*ANSWER_KEY, "respondent_id"]].merge(
        options[[*ANSWER_KEY, "option"]], on=ANSWER_KEY
    )
    out = placed.merge(_pairs(chosen, ["question_id", "option"]), how="left")
    out = out.sort_values(["position", "question_id", "option_position", "option"])
    return _with_zeros(out)[["question_id", "theme_id", "option", "respondents", "responses"]]


@statement("code_by_region")
def code_by_region(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return _pairs(_tagged(frames, s, params, False), ["code_id", "region"])


@statement("code_by_language")
def code_by_language(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return _pairs(_tagged(frames, s, params, False), ["code_id", "language"])


@statement("code_timeline")
def code_timeline(frames: Frames, s: Selection, params) -> pd.DataFrame:
    tagged = _tagged(frames, s, params, False)
    tagged = tagged[tagged["submitted_at"].notna()]
    days = tagged["submitted_at"].dt.tz_convert(params["tz"]).dt.tz_localize(None).dt.normalize()
    tagged = tagged.assign(bin_start=days, series=tagged["code_id"])
    return _pairs(tagged, ["bin_start", "series"])


def _listing_places(frames: Frames, k: int) -> tuple[pd.DataFrame, set[str], bool]:
    """queries/macros/listing_places.sql: per country (ISO3 or 'Unknown') whether a card names
    it and the region naming its pool otherwise; the stakeholder types shown; and whether the
    types not shown make a safe pool."""
    r = frames.respondents.assign(country=frames.respondents["country_iso3"].fillna("Unknown"))
    countries = r.groupby("country").agg(region=("region", "first"), n=("region", "size"))
    countries["shown"] = countries["n"] >= k
    small = countries[~countries["shown"]].groupby("region")["n"].agg(["size", "sum"])
    pooled = small[(small["size"] >= 2) & (small["sum"] >= k)].index
    countries["pool"] = countries["region"].where(
        ~countries["shown"] & countries["region"].isin(pooled)
    )
    types = r.groupby("stakeholder_type").size()
    hidden = types[types < k]
    safe = hidden.empty or (len(hidden) >= 2 and hidden.sum() >= k)
    return countries, set(types[types >= k].index), safe


def _matching(frames: Frames, s: Selection, params) -> pd.DataFrame:
    """The responses an answer listing shows (queries/macros/listed_responses.sql) that hold
    every searched word: dates on the answer's own time; under a country, region or
    stakeholder filter, only answers whose card names what the filter chose."""
    if params.get("raw"):
        raise NotReproduced("answers as written are not held in memory")
    responses = s.responses
    if params.get("date_from") or params.get("date_to"):
        responses = select(frames, {**params, "date_from": None, "date_to": None}).responses
        responses = responses[_date_mask(responses["submitted_at"], params)]
    countries, types, safe = _listing_places(frames, params["k"])
    country = responses["country_iso3"].fillna("Unknown")
    shown = country.map(countries["shown"]).fillna(False).astype(bool)
    if params.get("countries"):
        responses, country, shown = responses[shown], country[shown], shown[shown]
    if params.get("regions"):
        keep = shown | country.map(countries["pool"]).notna()
        responses, country, shown = responses[keep], country[keep], shown[keep]
    if params.get("stakeholder_types"):
        responses = responses[responses["stakeholder_type"].isin(types) & safe]
    for word in params.get("search") or ():  # folded words, as the page binds them
        text = search_texts(frames.texts.loc[responses.index])
        responses = responses[text.str.contains(word, regex=False).to_numpy()]
    return responses


@statement("answers_count")
def answers_count(frames: Frames, s: Selection, params) -> pd.DataFrame:
    matching = _matching(frames, s, params)
    return pd.DataFrame(
        {
            "responses": [len(matching)],
            "respondents": [matching["respondent_id"].nunique()],
        }
    )


@statement("answers")
def answers(frames: Frames, s: Selection, params) -> pd.DataFrame:
    matching = _matching(frames, s, params)
    # The day in zone tz (never the time), and within a day and question the order of
    # queries/answers.sql, which differs from question to question.
    day = matching["submitted_at"].dt.tz_convert(params["tz"]).dt.tz_localize(None).dt.normalize()
    positions = frames.questions.set_index("question_id")["position"]
    step = 2 * matching["question_id"].map(positions).fillna(0).astype("int64") + 3
    prime = np.uint64(4_294_967_291)
    base = ((matching["source_row"] + matching["import_id"] * 1_000_003 + 1) * step) % prime
    shuffle = base.astype("uint64") * np.uint64(2_654_435_761) % prime
    keys = ["day", "question_id", "shuffle", "import_id", "source_row"]
    ordered = matching.assign(day=day, shuffle=shuffle)[keys].sort_values(
        keys, ascending=[False, True, True, True, True], na_position="last"
    )
    rows = ordered.index[params["offset"] : params["offset"] + params["page_size"]]
    page = matching.loc[rows]
    countries, _types, _safe = _listing_places(frames, params["k"])
    names = frames.countries.set_index("iso3")["name_en"]
    place = page["country_iso3"].fillna("Unknown")
    shown = place.map(countries["shown"]).fillna(False).astype(bool)
    return pd.DataFrame(
        {
            "answer": frames.texts.loc[rows],
            "question_id": page["question_id"],
            "theme_id": page["theme_id"],
            "language": page["language"],
            "region": page["region"].where(shown, place.map(countries["pool"])),
            "country": page["country_iso3"].map(names).where(shown),
            "submitted_on": day.loc[rows],
        }
    )


@statement("language_by_answer_language")
def language_by_answer_language(frames: Frames, s: Selection, params) -> pd.DataFrame:
    return _pairs(s.responses, ["language", "answer_language"])


@statement("answer_language_options")
def answer_language_options(frames: Frames, s: Selection, params) -> pd.DataFrame:
    counts = frames.responses.groupby("answer_language").size().rename("responses").reset_index()
    # Undetected last, then most answers first, as the sidebar lists them.
    order = counts.assign(undetected=counts["answer_language"] == "und").sort_values(
        ["undetected", "responses", "answer_language"], ascending=[True, False, True]
    )
    return order[["answer_language", "responses"]].reset_index(drop=True)


@statement("filter_options")
def filter_options(frames: Frames, s: Selection, params) -> pd.DataFrame:
    r = frames.respondents
    iso3 = r["country_iso3"].fillna("Unknown")
    names = frames.countries.set_index("iso3")["name_en"]
    parts = [
        pd.DataFrame({"field": "region", "value": r["region"], "label": r["region"]}),
        pd.DataFrame(
            {"field": "country", "value": iso3, "label": r["country_iso3"].map(names)}
        ).fillna({"label": "Unknown"}),
        pd.DataFrame({"field": "language", "value": r["language"], "label": r["language"]}),
        pd.DataFrame(
            {
                "field": "stakeholder_type",
                "value": r["stakeholder_type"],
                "label": r["stakeholder_type"],
            }
        ),
    ]
    return _count_by(
        pd.concat(parts, ignore_index=True), ["field", "value", "label"], "respondents"
    )


# --- comparing results -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The frame's rows as plain Python values, in a stable order (the order of rows with
    equal sort keys is not part of any statement's meaning)."""
    plain = [tuple(_plain(v) for v in row) for row in frame[columns].itertuples(index=False)]
    return sorted(plain, key=lambda row: tuple((v is None, str(v)) for v in row))


def differences(ours: pd.DataFrame, reference: pd.DataFrame, limit: int = 5) -> list[str]:
    """What differs between the dashboard's result and the reference's (empty: identical).
    Every column of the reference is compared; columns only the dashboard has (such as the
    answers' codes) are not."""
    missing = [c for c in reference.columns if c not in ours.columns]
    if missing:
        return [f"columns {missing} of the reference are not in ours {list(ours.columns)}"]
    columns = list(reference.columns)
    a, b = rows(ours, columns), rows(reference, columns)
    if a == b:
        return []
    set_a, set_b = set(a), set(b)
    only_ours = [r for r in a if r not in set_b]
    only_reference = [r for r in b if r not in set_a]
    return [
        f"{len(a)} rows (ours) vs {len(b)} (reference); columns {columns}",
        *(f"only in ours: {r}" for r in only_ours[:limit]),
        *(f"only in the reference: {r}" for r in only_reference[:limit]),
    ]


# --- the usual dashboard's import --------------------------------------------------------------


def load_export(path: str) -> pd.DataFrame:
    """Read a wide export the usual way: `read_csv`, then one row per non-blank answer."""
    wide = pd.read_csv(path, dtype=str, keep_default_na=False)
    questions = [c for c in wide.columns if c.upper().startswith("Q") and c[1:].isdigit()]
    long = wide.melt(
        id_vars=[c for c in wide.columns if c not in questions],
        value_vars=questions,
        var_name="question_id",
        value_name="answer",
    )
    long = long[long["answer"].str.strip() != ""]
    long["submitted_at"] = pd.to_datetime(long["Submitted at"], errors="coerce", utc=True)
    return long


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "load-export":
        print("usage: python -m benchmarks.reference load-export FILE.csv", file=sys.stderr)
        return 2
    start = time.perf_counter()
    frame = load_export(argv[1])
    print(
        f"{len(frame)} answers in {time.perf_counter() - start:.1f} s, "
        f"{frame.memory_usage(deep=True).sum() / 1e6:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
