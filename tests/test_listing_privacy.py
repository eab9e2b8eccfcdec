"""Answer listings reveal nothing their cards do not show, whatever the filters (issue 19).

A listing of answers cannot perturb what it lists: an analyst reads every answer, so its length
is what it is. What protects respondents is that membership of a listing depends only on what
its cards show (question, theme, language, the place named, the day, the codes, the words) and
on stakeholder types that at least k respondents share, and that no card names a country fewer
than k respondents share, nor a region that pools a single such country. Then every union or
difference of listings is made of whole classes of answers with identical cards, so comparing
listings (the attack of the issue: "every country but Comoros" against no filter) singles out
nothing that the unfiltered listing did not already show. The attacker here draws random filters
from the sidebar's own choices, small countries included; the same attacker against listings as
they were before (membership on the hidden country) singles Comoros out, so the test can fail.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.publish import report
from dashboard.store import database, queries
from dashboard.store.queries import Filters

CONSULTATION = "civic-space-2020"
K = 5
KEY = ["import_id", "source_row", "question_id"]
CARD = ["question_id", "theme_id", "language", "region", "country", "iso3", "submitted_on"]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def store(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    copy = tmp_path_factory.mktemp("listing") / "sample.duckdb"
    shutil.copy(sample_db, copy)
    con = database.connect(copy)
    yield con
    con.close()


def listing(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    params = {**filters.params(CONSULTATION), "search": None, "raw": False, "k": K}
    frame = queries.frame(con, "answers", {**params, "page_size": 10**6, "offset": 0})
    frame["codes"] = [tuple(c["code_id"] for c in codes) for codes in frame["codes"]]
    return frame


@pytest.fixture(scope="module")
def everything(store) -> pd.DataFrame:
    """The unfiltered listing, each answer with its visible class: its card, and its stakeholder
    type where k respondents share it (a filter can ask for those)."""
    frame = listing(store, Filters())
    facts = store.sql(
        "SELECT import_id, source_row, question_id, stakeholder_type, respondent_key,"
        " country AS true_country FROM response_facts WHERE consultation_id = $c",
        params={"c": CONSULTATION},
    ).df()
    frame = frame.merge(facts, on=KEY, validate="one_to_one")
    sizes = store.sql(
        "SELECT stakeholder_type, count(*) AS n FROM respondent_facts"
        " WHERE consultation_id = $c GROUP BY ALL",
        params={"c": CONSULTATION},
    ).df()
    shown = set(sizes["stakeholder_type"][sizes["n"] >= K])
    frame["visible_type"] = frame["stakeholder_type"].where(
        frame["stakeholder_type"].isin(shown), "(small)"
    )
    columns = [*CARD, "codes", "visible_type"]
    frame["visible_class"] = frame[columns].apply(lambda row: repr(tuple(row)), axis=1)
    return frame


@pytest.fixture(scope="module")
def small_countries(store) -> set[str]:
    sizes = store.sql(
        "SELECT country, count(*) AS n FROM respondent_facts"
        " WHERE consultation_id = $c GROUP BY ALL",
        params={"c": CONSULTATION},
    ).df()
    return set(sizes["country"][sizes["n"] < K])


def choices(store, field: str) -> list[str]:
    options = queries.frame(store, "filter_options", {"consultation": CONSULTATION})
    return sorted(options["value"][options["field"] == field])


def filters_strategy(store) -> st.SearchStrategy[Filters]:
    countries = choices(store, "country")
    regions = choices(store, "region")
    languages = choices(store, "language")
    types = choices(store, "stakeholder_type")
    days = [date(2020, 1, 10) + timedelta(days=n) for n in range(20)]

    def some(values: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
        # Nothing, one value, every value but a few (complements), or any few.
        return st.one_of(
            st.just(()),
            st.sampled_from(values).map(lambda v: (v,)),
            st.sets(st.sampled_from(values), max_size=3).map(
                lambda drop: tuple(v for v in values if v not in drop)
            ),
            st.sets(st.sampled_from(values), min_size=1, max_size=4).map(tuple),
        )

    return st.builds(
        Filters,
        regions=some(regions),
        countries=some(countries),
        languages=some(languages),
        stakeholder_types=some(types),
        date_from=st.none() | st.sampled_from(days),
        date_to=st.none() | st.sampled_from(days),
    )


def test_no_card_names_a_small_country_even_by_elimination(everything, small_countries) -> None:
    assert small_countries, "the sample has small countries: the test must see some"
    small = everything[everything["true_country"].isin(small_countries)]
    assert small["country"].isna().all() and small["iso3"].isna().all()
    # Each place a small country's card names (a region, or nothing) pools at least two small
    # countries with k respondents: none is named by elimination.
    for region, pooled in small.groupby(small["region"].fillna("(none)")):
        assert pooled["true_country"].nunique() >= 2, region
        assert pooled["respondent_key"].nunique() >= K, region
    # Comoros is the sample's only small country in Africa: its cards name no region, and the
    # smallest regional pool (Oceania's) gave up its name to keep it company.
    assert small.loc[small["true_country"] == "COM", "region"].isna().all()
    unnamed = set(small.loc[small["region"].isna(), "true_country"])
    assert unnamed == {"COM", "SLB", "VUT"}


def test_cards_do_not_depend_on_the_filters(store, everything) -> None:
    europe = listing(store, Filters(regions=("Europe",), languages=("fr", "en")))
    assert len(europe) > 0
    merged = europe.merge(everything, on=KEY, suffixes=("", "_all"), validate="one_to_one")
    for column in [c for c in [*CARD, "codes"] if c not in KEY]:
        assert merged[column].equals(merged[f"{column}_all"]), column


def test_the_issue_attack_singles_out_no_small_country(store, everything, small_countries) -> None:
    others = tuple(c for c in choices(store, "country") if c != "COM")
    left_out = set(everything.set_index(KEY).index) - set(
        listing(store, Filters(countries=others)).set_index(KEY).index
    )
    gone = everything.set_index(KEY).loc[sorted(left_out)]
    # What the filter leaves out is every small country's answers, not Comoros's alone (when
    # membership followed the country, it was exactly Comoros's answers).
    assert set(gone["true_country"]) == small_countries
    assert len(small_countries) > 1


def from_the_card(everything: pd.DataFrame, filters: Filters) -> pd.Series:
    """Which answers a filter selects, judged only on what their cards show (and on stakeholder
    types k respondents share): what any listing must agree with."""
    country = everything["iso3"].where(
        everything["iso3"].notna(), everything["region"].where(everything["region"] == "Unknown")
    )
    day = pd.to_datetime(everything["submitted_on"])
    keep = pd.Series(True, index=everything.index)
    if filters.regions:
        keep &= everything["region"].isin(filters.regions)
    if filters.countries:
        keep &= country.isin(filters.countries)
    if filters.languages:
        keep &= everything["language"].isin(filters.languages)
    if filters.stakeholder_types:
        keep &= everything["visible_type"].isin(filters.stakeholder_types)
    if filters.date_from:
        keep &= day >= pd.Timestamp(filters.date_from)
    if filters.date_to:
        keep &= day <= pd.Timestamp(filters.date_to)
    return keep


@SETTINGS
@given(data=st.data())
def test_a_listing_selects_on_what_cards_show(store, everything, data) -> None:
    filters = data.draw(filters_strategy(store))
    listed = set(listing(store, filters).set_index(KEY).index)
    inside = pd.Series(everything.set_index(KEY).index.isin(listed), index=everything.index)
    expected = from_the_card(everything, filters)
    wrong = everything.loc[inside != expected, "true_country"]
    assert wrong.empty, f"{filters}: {len(wrong)} answers, e.g. from {sorted(set(wrong))[:5]}"


@SETTINGS
@given(data=st.data())
def test_listings_are_unions_of_whole_visible_classes(store, everything, data) -> None:
    filters = data.draw(filters_strategy(store))
    listed = set(listing(store, filters).set_index(KEY).index)
    inside = everything.set_index(KEY).index.isin(listed)
    split = everything.assign(inside=inside).groupby("visible_class")["inside"].nunique()
    assert (split == 1).all(), f"{filters}: {list(split[split > 1].index[:3])}"


def test_the_answers_file_follows_the_same_rule(store, small_countries) -> None:
    others = tuple(c for c in choices(store, "country") if c != "COM")
    frame = queries.frame(
        store, "answers_export", {**Filters(countries=others).params(CONSULTATION), "k": K}
    )
    assert len(frame) > 0
    assert not frame["country"].str.startswith(report.HIDDEN_COUNTRY).any()
    unfiltered = queries.frame(store, "answers_export", {**Filters().params(CONSULTATION), "k": K})
    hidden = unfiltered[unfiltered["country"].str.startswith(report.HIDDEN_COUNTRY)]
    assert hidden["iso3"].isna().all() and hidden["subregion"].isna().all()


@pytest.mark.parametrize(
    ("small_types", "lists_any"),
    [
        # One small type: the answers a stakeholder filter leaves out would be exactly its own.
        ({"Journalist": 2}, False),
        # Two small types with k respondents together: they stay a pool, as countries do.
        ({"Journalist": 3, "Trade union": 3}, True),
    ],
)
def test_a_stakeholder_filter_never_names_a_small_type(
    sample_db: Path, tmp_path: Path, small_types: dict[str, int], lists_any: bool
) -> None:
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_db, copy)
    con = database.connect(copy)
    try:
        for kind, people in small_types.items():
            # Answers first: their subquery reads the respondents before they change.
            for table in ("response_facts", "respondent_facts"):
                con.execute(
                    f"UPDATE {table} SET stakeholder_type = $kind WHERE respondent_key IN ("
                    " SELECT respondent_key FROM respondent_facts WHERE consultation_id = $c"
                    " AND stakeholder_type = 'Individual' ORDER BY respondent_key LIMIT $n)",
                    {"kind": kind, "c": CONSULTATION, "n": people},
                )
        listed = listing(con, Filters(stakeholder_types=("Civil society organization",)))
        small = listing(con, Filters(stakeholder_types=tuple(small_types)))
    finally:
        con.close()
    assert (len(listed) > 0) is lists_any
    assert small.empty  # a type fewer than k share is never chosen on its own


def test_a_lone_small_country_is_never_listed(
    sample_db: Path, tmp_path: Path, small_countries: set[str]
) -> None:
    # Every small country but Comoros moved to France: Comoros is then the only country of
    # fewer than k, so "country not shown" would name it, and no listing may show its answers.
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_db, copy)
    con = database.connect(copy)
    try:
        for table in ("response_facts", "respondent_facts"):
            con.execute(
                f"UPDATE {table} SET country = 'FRA', country_iso3 = 'FRA', region = 'Europe'"
                " WHERE consultation_id = $c AND list_contains($moved, country)",
                {"c": CONSULTATION, "moved": sorted(small_countries - {"COM"})},
            )
        shown = listing(con, Filters())
        comoros = con.execute(
            "SELECT count(*) FROM response_facts WHERE consultation_id = $c AND country = 'COM'",
            {"c": CONSULTATION},
        ).fetchone()[0]
        total = con.execute(
            "SELECT count(*) FROM response_facts WHERE consultation_id = $c", {"c": CONSULTATION}
        ).fetchone()[0]
    finally:
        con.close()
    assert comoros > 0
    assert len(shown) == total - comoros
    # Every card left names its country, or says it is unknown.
    assert (shown["country"].notna() | (shown["region"] == "Unknown")).all()
