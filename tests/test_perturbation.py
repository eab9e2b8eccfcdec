"""Hidden counts stay hidden, whatever the filters (issue 19).

An attacker combines what the dashboard releases (the Overview's totals, the pages' and report
pack's tables, the methodology note of `export`) over random pairs and chains of filters:
complements, nested date ranges, single values, multi-selects and the same filter written
differently. For each combination whose exact value would be a hidden cell, the attacker lists
every value the hidden cell could take given the released figures and the published bound of
the noise; a single value left is a recovery. The same attacker against exact figures (as
before perturbation) recovers every cell it aims at, so the attack is real and the tests can
fail. The unfiltered standard tables must be exactly what they were.
"""

from __future__ import annotations

import math
import re
import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.coding import reliability, tagging
from dashboard.protection import perturbation, privacy
from dashboard.publish import compare, report
from dashboard.publish.catalogue import CHARTS
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from tests.conftest import blank_chart_images

CONSULTATION = "civic-space-2020"
K = 5
# The largest noise the draw can give (53 bits of a two-sided geometric with ALPHA = 0.3).
BOUND = 1 + math.floor(math.log(2.0**-53) / math.log(perturbation.ALPHA))
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def store(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    # A copy of its own: another test of this worker may hold the shared sample store open with
    # other settings, and DuckDB refuses a second connection to one file that differs.
    copy = tmp_path_factory.mktemp("perturbation") / "sample.duckdb"
    shutil.copy(sample_db, copy)
    con = database.connect(copy)
    yield con
    con.close()


@pytest.fixture(scope="module")
def hidden(store: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """The cells the unfiltered standard tables hide, with their exact counts (which the test
    knows and the attacker must not learn): countries and days."""
    params = Filters().params(CONSULTATION)
    countries = queries.frame(store, "by_country", params)
    shown = privacy.protect("by_country", countries, K)
    days = queries.frame(store, "by_day", params)
    shown_days = privacy.protect("by_day", days, K)
    return {
        "country": dict(
            zip(
                countries["iso3"][shown["suppressed"]],
                countries["respondents"][shown["suppressed"]],
                strict=True,
            )
        ),
        "day": {
            d: int(n)
            for d, n, s in zip(
                days["day"], days["respondents"], shown_days["suppressed"], strict=True
            )
            if s and d != "Unknown"
        },
    }


def every_country(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The country filter's choices (ISO3, and 'Unknown'), as the sidebar offers them."""
    options = queries.frame(con, "filter_options", {"consultation": CONSULTATION})
    return sorted(options.loc[options["field"] == "country", "value"])


def released(con: duckdb.DuckDBPyConnection, filters: Filters) -> int | None:
    """Respondents as the Overview shows them (None: "< k")."""
    return perturbation.totals(con, CONSULTATION, filters, K).respondents


def candidates(exact_part: int, figures: list[tuple[int, int]]) -> set[int]:
    """Every value of the hidden cell h consistent with released figures, each (sign, value)
    standing for sign * (true count + noise), whose true counts add up to exact_part + h.
    The noise of each is in [-BOUND, BOUND] without 0; a hidden cell is 1 to k - 1."""
    low = sum(s * v for s, v in figures) - exact_part - BOUND * len(figures)
    high = sum(s * v for s, v in figures) - exact_part + BOUND * len(figures)
    if len(figures) == 1:
        only = figures[0][0] * figures[0][1] - exact_part
        return {h for h in range(1, K) if low <= h <= high and h != only}
    return {h for h in range(1, K) if low <= h <= high}


def recovered(exact_part: int, figures: list[tuple[int, int]]) -> bool:
    return len(candidates(exact_part, figures)) == 1


# --- the noise itself --------------------------------------------------------------------------


@given(st.integers(0, 2**32 - 1), st.integers(1, 10**7))
def test_noise_is_never_zero_and_always_the_same_for_the_same_cell(key: int, count: int) -> None:
    first = perturbation.noise(key, count)
    assert first != 0
    assert abs(first) <= BOUND
    assert perturbation.noise(key, count) == first
    assert perturbation.noise(key + 2**32, count) == first  # the key counts mod 2^32


@given(st.integers(0, 2**40), st.integers(0, 10**6), st.integers(2, 20))
def test_a_released_count_is_never_exact_nor_below_k(key: int, count: int, k: int) -> None:
    value = perturbation.perturb(count, key, k)
    if count < k:
        assert value is None
    else:
        assert value is not None and value >= k and value != count


def test_the_noise_follows_the_published_shares() -> None:
    sizes = Counter(abs(perturbation.noise(key * 2_654_435_761, 100)) for key in range(20_000))
    share = {size: n / 20_000 for size, n in sizes.items()}
    assert share[1] == pytest.approx(0.70, abs=0.02)
    assert share[2] == pytest.approx(0.21, abs=0.02)
    assert share[3] == pytest.approx(0.063, abs=0.01)


def test_words_never_state_a_count_below_k() -> None:
    assert [perturbation.in_words(n, 5) for n in (None, 0, 1, 4, 5, 1234)] == [
        "fewer than 5", "0", "fewer than 5", "fewer than 5", "5", "1,234",
    ]  # fmt: skip


# --- the attacks of the issue on the sample consultation ---------------------------------------


def test_the_issue_attacks_recover_nothing(store, hidden) -> None:
    everyone = released(store, Filters())
    assert everyone == 3000  # unfiltered: exact, as before
    countries = every_country(store)
    assert hidden["country"]["COM"] == 4
    but_comoros = released(store, Filters(countries=tuple(c for c in countries if c != "COM")))
    assert but_comoros != 2996 and everyone - but_comoros != 4
    assert not recovered(-everyone, [(-1, but_comoros)])
    assert released(store, Filters(countries=("COM",))) is None  # "< 5", nothing more
    # Austria, hidden only to protect another cell: no longer its exact 12.
    assert released(store, Filters(countries=("AUT",))) not in (None, 12)
    # Two nested date ranges: their difference is not the hidden day.
    ranges = [Filters(date_to=date(2020, 1, 25)), Filters(date_to=date(2020, 1, 26))]
    to_25, to_26 = (released(store, f) for f in ranges)
    exact = [perturbation.totals(store, CONSULTATION, f, K, exact=True).respondents for f in ranges]
    assert to_25 != exact[0] and to_26 != exact[1]
    assert not recovered(0, [(1, to_26), (-1, to_25)])


def test_the_methodology_note_and_answers_release_nothing_below_k(store, tmp_path) -> None:
    consultation = database.get_consultation(store, CONSULTATION)
    with blank_chart_images():  # the note and the answers are read; the charts are another test's
        files = report.pack_files(store, consultation, Filters(countries=("COM",)))
        austria = report.pack_files(store, consultation, Filters(countries=("AUT",)))
    note = files["methodology.md"].decode()
    assert "Respondents: fewer than 5" in note
    assert "Totals under filters are perturbed" in note
    assert not re.search(r"(?<![\d,])[1-4] (respondents|responses)\b", note)
    answers = files["answers.csv"].decode("utf-8-sig").splitlines()
    assert answers[0].startswith("Country,") and answers[1] == ""  # header, then the footer
    note = austria["methodology.md"].decode()
    shown = int(re.search(r"Respondents: ([\d,]+)", note).group(1))
    assert shown == released(store, Filters(countries=("AUT",))) and shown != 12
    # Answers carry their day, never a time that would group them by respondent.
    lines = austria["answers.csv"].decode("utf-8-sig").splitlines()
    assert lines[1] and not re.search(r"\d\d:\d\d", "\n".join(lines[1:-6]))


# --- the attacker, over random filters ----------------------------------------------------------


@st.composite
def written_differently(draw: st.DrawFn, countries: tuple[str, ...]) -> tuple[str, ...]:
    """The same countries in another order, with a repeat: the same respondents."""
    order = draw(st.permutations(countries))
    repeat = draw(st.sampled_from(order)) if order else None
    return (*order, *([repeat] if repeat and draw(st.booleans()) else []))


@SETTINGS
@given(data=st.data())
def test_every_country_but_some_recovers_no_hidden_country(store, hidden, data) -> None:
    """Complements and multi-selects: "every country but X" (and but X and Y) against the
    exact total and against each other; written in any order, the figure stays the same."""
    countries = every_country(store)
    target = data.draw(st.sampled_from(sorted(hidden["country"])), label="hidden country")
    h = hidden["country"][target]
    others = [c for c in countries if c != target]
    also = data.draw(st.lists(st.sampled_from(others), max_size=3, unique=True), label="also out")
    total = released(store, Filters())
    without = Filters(countries=data.draw(written_differently(tuple(others))))
    r_without = released(store, without)
    # Rephrasing gives nothing new: the same respondents, the same figure.
    assert r_without == released(store, Filters(countries=tuple(reversed(others))))
    assert total - r_without != h  # the naive difference is never the hidden count
    chain_out = [c for c in others if c not in also]
    r_chain = released(store, Filters(countries=tuple(chain_out)))
    with_target = released(store, Filters(countries=(*chain_out, target)))
    # Attack 1: exact total minus "every country but the target".
    assert not recovered(-total, [(-1, r_without)])
    # Attack 2: the chain: (chain + target) - chain.
    assert not recovered(0, [(1, with_target), (-1, r_chain)])
    # Control: the same attacker against exact figures recovers the cell.
    exact = Filters(countries=tuple(others))
    exact_without = perturbation.totals(store, CONSULTATION, exact, K, exact=True).respondents
    assert total - exact_without == h


@SETTINGS
@given(data=st.data())
def test_nested_date_ranges_recover_no_hidden_day(store, hidden, data) -> None:
    """Nested date ranges: up to a hidden day and up to the day before; from it and from the
    day after; combined with another filter or not."""
    if not hidden["day"]:
        pytest.skip("the sample has no hidden day")
    day = date.fromisoformat(data.draw(st.sampled_from(sorted(hidden["day"])), label="day"))
    h = hidden["day"][day.isoformat()]
    start = data.draw(st.none() | st.just(date(2019, 12, 1)), label="from")
    before = released(store, Filters(date_from=start, date_to=day - timedelta(days=1)))
    upto = released(store, Filters(date_from=start, date_to=day))
    after = released(store, Filters(date_from=day + timedelta(days=1)))
    since = released(store, Filters(date_from=day))
    total = released(store, Filters())
    for figures, exact_part in (
        ([(1, upto), (-1, before)], 0),
        ([(1, since), (-1, after)], 0),
        ([(-1, before), (-1, after)], -total),
    ):
        if all(v is not None for _, v in figures):
            assert not recovered(exact_part, figures)
    if upto is not None and before is not None:
        # Control: exact figures give the day away.
        exact = [
            perturbation.totals(
                store, CONSULTATION, Filters(date_from=start, date_to=d), K, exact=True
            ).respondents
            for d in (day, day - timedelta(days=1))
        ]
        assert exact[0] - exact[1] == h


@SETTINGS
@given(data=st.data())
def test_tables_under_filters_are_perturbed_consistently(store, hidden, data) -> None:
    """A breakdown under a filter: no cell below k, every shown cell perturbed, the same cell
    the same on every table that shows it (by country, by region, the totals)."""
    countries = every_country(store)
    chosen = data.draw(st.lists(st.sampled_from(countries), min_size=1, max_size=6, unique=True))
    filters = Filters(countries=tuple(chosen))
    params = filters.params(CONSULTATION)
    frame = queries.frame(store, "by_country", params)
    shown = privacy.protect("by_country", frame, K, perturbed=True)
    assert not {"respondent_key_sum", "response_key_sum"} & set(shown.columns)
    for exact, value in zip(frame["respondents"], shown["respondents"], strict=True):
        if pd.isna(value):
            continue
        assert value >= K and value != exact
    # One country chosen: its row, the Overview's total and its region's bar agree.
    single = Filters(countries=(chosen[0],))
    row = privacy.protect(
        "by_country", queries.frame(store, "by_country", single.params(CONSULTATION)), K,
        perturbed=True,
    )  # fmt: skip
    total = released(store, single)
    assert (pd.isna(row["respondents"].iloc[0]) and total is None) or row["respondents"].iloc[
        0
    ] == total


def test_unfiltered_standard_tables_are_unchanged(store) -> None:
    """Without filters every table is today's: exact counts, the same cells hidden, and the key
    sums (new columns) never reach a page or file."""
    params = Filters().params(CONSULTATION)
    for chart in CHARTS:
        frame = queries.frame(store, chart.query, {**params, **chart.parameters})
        today = frame.drop(columns=["respondent_key_sum", "response_key_sum"], errors="ignore")
        if "respondents" in today:
            # Whole numbers mod 2^32: a float would lose the low bits the noise is drawn from.
            for key in ("respondent_key_sum", "response_key_sum"):
                assert frame[key].dtype == "int64", (chart.query, key)
                assert frame[key].between(0, 2**32 - 1).all()
        now = privacy.protect(chart.query, frame, K)
        pd.testing.assert_frame_equal(now, privacy.protect(chart.query, today, K))
        if "respondents" in today:
            kept = ~now["suppressed"]
            assert (now["respondents"][kept] == today["respondents"][kept]).all()
    figures = perturbation.totals(store, CONSULTATION, Filters(), K)
    assert (figures.respondents, figures.responses, figures.perturbed) == (3000, 12583, False)


def test_a_store_made_before_record_keys_gets_them_on_open(sample_copy: Path) -> None:
    con = database.connect(sample_copy)
    before = perturbation.totals(con, CONSULTATION, Filters(countries=("AUT",)), K)
    # Back to the old schema: facts without record keys.
    con.execute("ALTER TABLE response_facts DROP COLUMN record_key")
    con.execute("ALTER TABLE respondent_facts DROP COLUMN record_key")
    con.close()
    con = database.connect(sample_copy)
    try:
        after = perturbation.totals(con, CONSULTATION, Filters(countries=("AUT",)), K)
        assert after == before  # the same secret, the same keys, the same figure
        missing = queries.frame(con, "store/stale_facts")
        assert missing.empty
    finally:
        con.close()


# --- Tag review and its note: answers and verdicts counted under filters -----------------------


@pytest.fixture(scope="module")
def coded(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """A copy of the sample whose analysts judged 150 automatic tags and 60 answers without a
    code, spread over every code and language (the sample is stratified)."""
    copy = tmp_path_factory.mktemp("coded") / "sample.duckdb"
    shutil.copy(sample_db, copy)
    con = database.connect(copy)
    verdicts = iter([True, True, True, False, True] * 50)
    for kind, size in (("tagged", 150), ("untagged", 60)):
        drawn = queries.frame(
            con, "tag_review_sample", review_params(Filters(), kind=kind, size=size)
        )
        for row in drawn.itertuples():
            answer = (int(row.import_id), int(row.source_row), row.question_id)
            matched = row.matched if isinstance(row.matched, str) else None
            tagging.judge(con, CONSULTATION, answer, row.code_id, matched, next(verdicts), "ana")
    yield con
    con.close()


def review_params(filters: Filters, **extra: object) -> dict:
    return {
        **filters.params(CONSULTATION),
        **{"coder": "bob", "kind": "tagged", "second": False, "seed": 3, "size": 1, "k": K},
        **extra,
    }


def tag_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return queries.frame(con, "tag_precision", filters.params(CONSULTATION))


def note_rows(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, list[str]]:
    """The methodology note's reliability table, code id -> its cells, as the pack writes it."""
    consultation = database.get_consultation(con, CONSULTATION)
    perturbed = perturbation.is_filtered(filters)
    text = report.methodology(
        con,
        report.Context(consultation, filters, tagging.get_codebook(con, CONSULTATION)),
        datetime.now(UTC),
        [],
        {},
        False,
        perturbation.totals(con, CONSULTATION, filters, K),
        perturbed,
    )
    section = text.split("## Coding reliability", 1)[1].split("\n## ", 1)[0]
    labels = tagging.get_codebook(con, CONSULTATION).labels("en")
    ids = {label: code_id for code_id, label in labels.items()}
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return {ids[cells[0].strip()]: [c.strip() for c in cells[1:]] for cells in rows[1:]}


def whole(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture(scope="module")
def unfiltered_tags(coded) -> dict:
    """The unfiltered figures the attacker takes away: exact, as they always were."""
    counts = tag_counts(coded, Filters())
    return {
        "tagged": counts.groupby("code_id")["tagged"].sum(),
        "page": reliability.precision_table(counts, False, k=K, perturbed=False),
        "note": note_rows(coded, Filters()),
        "drawn": queries.frame(coded, "tag_review_sample", review_params(Filters())),
    }


def test_unfiltered_tag_counts_are_exact(unfiltered_tags) -> None:
    tagged = unfiltered_tags["tagged"]
    page = unfiltered_tags["page"].set_index("code_id")["tagged"]
    assert (page == tagged[page.index]).all()
    assert {c: whole(cells[0]) for c, cells in unfiltered_tags["note"].items()} == tagged.to_dict()
    drawn = unfiltered_tags["drawn"]
    assert reliability.drawn_from(drawn, K, perturbed=False) == drawn["population"].iloc[0]


@settings(SETTINGS, max_examples=10)
@given(data=st.data())
def test_tag_counts_under_filters_give_no_hidden_country_away(
    coded, hidden, unfiltered_tags, data
) -> None:
    """Tag review and the note under "every country but X" against the unfiltered figures: how
    many answers each code tagged (page and note), how many pairs a sample is drawn from, how
    many tags were judged (note). Each is perturbed: the difference is never X's exact count."""
    target = data.draw(st.sampled_from(sorted(hidden["country"])), label="hidden country")
    others = tuple(c for c in every_country(coded) if c != target)
    without = Filters(countries=data.draw(written_differently(others), label="others"))
    alone = Filters(countries=(target,))
    rest = tag_counts(coded, without)
    exact = {
        "rest": rest.groupby("code_id").sum(numeric_only=True),
        "alone": tag_counts(coded, alone).groupby("code_id").sum(numeric_only=True),
    }
    page = reliability.precision_table(rest, False, k=K, perturbed=True).set_index("code_id")
    note = note_rows(coded, without)
    for code_id, row in page.iterrows():
        tagged_all = unfiltered_tags["tagged"][code_id]
        for released in (row["tagged"], whole(note[code_id][0])):
            assert released >= K and released != exact["rest"].at[code_id, "tagged"]
            assert tagged_all - released != exact["alone"].at[code_id, "tagged"]
        judged = re.search(r"\((?:[\d,]+) of ([\d,]+)\)", note[code_id][1])
        if judged:  # judged answers of k respondents or more: perturbed, never below k
            assert whole(judged[1]) >= K
            assert whole(judged[1]) != exact["rest"].at[code_id, "judged"]
        else:
            assert note[code_id][1] in ("– (0 of 0)", f"– (< {K} judged)")
    # The pairs a sample is drawn from.
    everyone_pairs = unfiltered_tags["drawn"]["population"].iloc[0]
    drawn = queries.frame(coded, "tag_review_sample", review_params(without))
    rest_pairs = reliability.drawn_from(drawn, K, perturbed=True)
    assert rest_pairs != drawn["population"].iloc[0]
    # The country's exact pairs (k = 1 names every country, so its filter lists them): what
    # the attacker is after. With k, a filter on a country of fewer than k lists nothing
    # (macros/listing_places.sql).
    drawn_alone = queries.frame(coded, "tag_review_sample", review_params(alone, k=1))
    if hidden["country"][target] < K:
        assert queries.frame(coded, "tag_review_sample", review_params(alone)).empty
    assert everyone_pairs - rest_pairs != drawn_alone["population"].iloc[0]
    # Rephrasing gives nothing new.
    rephrased = review_params(Filters(countries=others[::-1]))
    again = queries.frame(coded, "tag_review_sample", rephrased)
    assert reliability.drawn_from(again, K, perturbed=True) == rest_pairs
    # Control: the same attacker against exact figures gets the country's tags and pairs.
    exact_rest = reliability.precision_table(rest, False, k=1, perturbed=False)
    difference = unfiltered_tags["tagged"] - exact_rest.set_index("code_id")["tagged"]
    assert (difference == exact["alone"]["tagged"][difference.index]).all()
    drawn_exact = queries.frame(coded, "tag_review_sample", review_params(without, k=1))
    assert everyone_pairs - drawn_exact["population"].iloc[0] == drawn_alone["population"].iloc[0]


def test_a_sample_of_fewer_than_k_respondents_says_so(coded) -> None:
    """Bob's second coding of the pairs Ana judged in one language of one code: fewer than k
    respondents, so no number, filtered or not."""
    second = review_params(Filters(codes=("gender",), languages=("zh",)), second=True, size=50)
    drawn = queries.frame(coded, "tag_review_sample", second)
    assert 0 < drawn["population_respondents"].iloc[0] < K
    assert reliability.drawn_from(drawn, K, perturbed=True) is None
    assert reliability.drawn_from(drawn, K, perturbed=False) is None
    assert reliability.drawn_from(drawn, 1, perturbed=True) == len(drawn)  # an admin's exact


def test_the_note_states_no_count_of_fewer_than_k_respondents(coded) -> None:
    """Africa has respondents writing in Spanish, fewer than k: nothing of theirs in words;
    judged answers of fewer than k respondents give no precision."""
    africa = Filters(regions=("Africa",))
    languages = queries.frame(coded, "by_language", africa.params(CONSULTATION))
    spanish = languages[languages["language"] == "es"].iloc[0]
    assert 0 < spanish["respondents"] < K <= spanish["responses"]
    consultation = database.get_consultation(coded, CONSULTATION)
    text = report.methodology(
        coded,
        report.Context(consultation, africa, tagging.get_codebook(coded, CONSULTATION)),
        datetime.now(UTC), [], {}, False, perturbation.totals(coded, CONSULTATION, africa, K), True,
    )  # fmt: skip
    section = text.split("## Coding reliability", 1)[1].split("\n## ", 1)[0]
    assert ", es:" not in section  # Spanish lines would be judged answers of < k respondents
    for n in re.findall(r"of ([\d,]+)[;)]", section):
        assert whole(n) == 0 or whole(n) >= K
    assert "Under filters every count is perturbed" in section


@SETTINGS
@given(data=st.data())
def test_tag_counts_hide_no_cell_a_total_gives_back(data) -> None:
    """Without filters, tagged and untagged answers per code and language: a language the
    Languages page hides is hidden whole; a cell of fewer than k respondents is hidden, and so
    are others, so that neither a code's total over languages nor a language's answers
    (tagged + untagged) gives one back."""
    codes = data.draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True))
    languages = data.draw(st.lists(st.sampled_from(["ar", "en", "es", "fr", "ru", "zh"]),
                                   min_size=1, max_size=5, unique=True))  # fmt: skip
    speakers = {lang: data.draw(st.integers(0, 4) | st.integers(0, 60)) for lang in languages}
    rows = []
    for code in codes:
        for language in languages:
            # Each respondent of the language has an answer with the code or one without.
            everyone = speakers[language]
            tagged = data.draw(st.integers(0, everyone))
            people = {"tagged": tagged, "untagged": data.draw(st.integers(everyone - tagged,
                                                                          everyone))}  # fmt: skip
            row = {"code_id": code, "language": language, "language_respondents": everyone}
            for measure in (*privacy.ANSWER_COUNTS, *privacy.VERDICT_COUNTS):
                n = people.get(measure, 0)
                row |= {measure: 2 * n, f"{measure}_respondents": n, f"{measure}_key_sum": 7}
            rows.append(row)
    counts = pd.DataFrame(rows)
    cells = privacy.protect_tag_counts(counts, K, perturbed=False, by_language=True)
    overall = privacy.protect_tag_counts(counts, K, perturbed=False, by_language=False)
    overall = overall.set_index("code_id")
    languages_page = privacy.protect(
        "by_language",
        pd.DataFrame(
            {"language": languages, "respondents": [speakers[lang] for lang in languages]}
        ),
        K,
    )
    for language in languages_page.loc[languages_page["suppressed"], "language"]:
        assert cells[counts["language"] == language][list(privacy.ANSWER_COUNTS)].isna().all().all()
    for kind in privacy.ANSWER_COUNTS:
        small = counts[f"{kind}_respondents"].between(1, K - 1)
        assert cells[kind][small].isna().all()
        shown = cells[kind].notna()
        assert (cells[kind][shown] == counts[kind][shown]).all()  # exact where shown
        for code in codes:
            of_code = counts["code_id"] == code  # a zero cell may be hidden to protect another
            if pd.notna(overall.at[code, kind]):
                assert overall.at[code, kind] == counts[kind][counts["code_id"] == code].sum()
                assert cells[kind][of_code].isna().sum() != 1
    for i, row in counts.iterrows():
        if row["language_respondents"] >= K:
            assert cells.loc[i, list(privacy.ANSWER_COUNTS)].isna().sum() != 1


# --- segment pairs, side by side (Compare, issue 17) --------------------------------------------

COMPARED = ("regions", "languages", "themes")


@SETTINGS
@given(data=st.data())
def test_segment_pairs_side_by_side_recover_no_small_cell(store, hidden, data) -> None:
    """The Compare page and `export --compare` over random pairs: segment A (a few countries,
    perhaps one language) against B = A with one small (hidden) country added. In every
    breakdown, a row whose B − A difference is the small country's exact count below k (what
    the attacker is after) is never pinned by the two released figures, nor by their shares
    times the released totals; shares and differences are the released figures' own, and a
    hidden count hides its share and difference. Control: exact figures give the cell away."""
    countries = every_country(store)
    target = data.draw(st.sampled_from(sorted(hidden["country"])), label="small country")
    others = [c for c in countries if c != target]
    chosen = data.draw(st.lists(st.sampled_from(others), min_size=1, max_size=8, unique=True))
    language = data.draw(st.sampled_from([(), ("en",), ("fr",), ("es",)]), label="language")
    pair = [
        Filters(countries=tuple(chosen), languages=language),
        Filters(countries=(*chosen, target), languages=language),
    ]
    consultation = database.get_consultation(store, CONSULTATION)
    codebook = tagging.get_codebook(store, CONSULTATION)
    segments = [compare.Segment(consultation, f, codebook) for f in pair]
    totals = [compare.segment_totals(store, s) for s in segments]
    for slug in COMPARED:
        breakdown = compare.BY_SLUG[slug]
        frames = [compare.segment_frames(store, s, breakdown) for s in segments]
        table = compare.compare(frames, [t.respondents for t in totals], breakdown.key)
        exact = [compare.segment_frames(store, s, breakdown, exact=True) for s in segments]
        exact_table = compare.compare(exact, [1, 1], breakdown.key)
        if slug == "regions" and not language:
            # Control: exact figures give the country away (each respondent has one region).
            gained = exact_table["count_1"].astype(int) - exact_table["count_0"].astype(int)
            assert gained.sum() == hidden["country"][target]
        for row, truth in zip(table.itertuples(), exact_table.itertuples(), strict=True):
            a, b = row.count_0, row.count_1
            small = int(truth.count_1) - int(truth.count_0)
            for count, share, total in ((a, row.share_0, totals[0]), (b, row.share_1, totals[1])):
                assert pd.isna(share) == (pd.isna(count) or total.respondents is None)
            if pd.isna(a) or pd.isna(b):
                assert pd.isna(row.points_1)
                continue
            if totals[0].respondents and totals[1].respondents:
                assert row.points_1 == pytest.approx(
                    100 * (b / totals[1].respondents - a / totals[0].respondents)
                )
            if 0 < small < K:
                assert not recovered(0, [(1, int(b)), (-1, int(a))])
                # Every figure of a filtered segment is perturbed, never the exact one.
                assert (a, b) != (truth.count_0, truth.count_1)
    # The segment totals the page shows: their difference is not the country's count either.
    if None not in (totals[0].respondents, totals[1].respondents):
        assert not recovered(0, [(1, totals[1].respondents), (-1, totals[0].respondents)])


@SETTINGS
@given(data=st.data())
def test_everything_against_everything_but_a_small_country_side_by_side(
    store, hidden, data
) -> None:
    """Segment A: the whole consultation (exact, its small cells hidden); segment B: every
    country but a small one (perturbed). Row by row, A − B is never the country's exact count."""
    countries = every_country(store)
    target = data.draw(st.sampled_from(sorted(hidden["country"])), label="small country")
    consultation = database.get_consultation(store, CONSULTATION)
    pair = [Filters(), Filters(countries=tuple(c for c in countries if c != target))]
    segments = [compare.Segment(consultation, f) for f in pair]
    totals = [compare.segment_totals(store, s) for s in segments]
    assert totals[0].respondents == 3000 and not totals[0].perturbed
    for slug in COMPARED:
        breakdown = compare.BY_SLUG[slug]
        table = compare.compare(
            [compare.segment_frames(store, s, breakdown) for s in segments],
            [t.respondents for t in totals],
            breakdown.key,
        )
        exact = compare.compare(
            [compare.segment_frames(store, s, breakdown, exact=True) for s in segments],
            [1, 1],
            breakdown.key,
        )
        for row, truth in zip(table.itertuples(), exact.itertuples(), strict=True):
            small = int(truth.count_0) - int(truth.count_1)
            if pd.isna(row.count_0) or pd.isna(row.count_1) or not 0 < small < K:
                continue
            assert int(row.count_0) == int(truth.count_0)  # unfiltered: exact
            assert not recovered(-int(row.count_0), [(-1, int(row.count_1))])
            assert int(row.count_0) - int(row.count_1) != small
