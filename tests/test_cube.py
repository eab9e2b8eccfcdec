"""The cube: every twin in queries/cube/ gives exactly its original's frame (same rows, order,
columns, dtypes and figures) under respondent filters, on the sample and on a generated store,
and stays exact after an undo, a tag edit and a codebook change."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import generate
from dashboard.coding import tagging
from dashboard.coding.codebook import codebook_from_dict, load_codebook
from dashboard.definition.consultation import load_consultation
from dashboard.importer import import_file, undo_import
from dashboard.protection import privacy
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from tests.conftest import ROOT

CONSULTATION = "civic-space-2020"
SAMPLE_DIR = ROOT / "sample_data"
TWINS = sorted(
    name.removeprefix("cube/") for name in queries.statement_names() if name.startswith("cube/")
)
ATTRIBUTES = ("regions", "countries", "languages", "stakeholder_types")
FIELD_OF = {
    "regions": "region",
    "countries": "country",
    "languages": "language",
    "stakeholder_types": "stakeholder_type",
}


def extras(name: str, zone: str) -> list[dict]:
    """The extra parameters the pages pass to each statement (every combination that matters)."""
    if name == "timeline":
        return [
            {"bin": b, "split": s, "tz": tz}
            for b in ("day", "hour")
            for s in ("all", "language", "region")
            for tz in (zone, "Asia/Kathmandu")
        ]
    if name == "by_day":
        return [{"tz": zone}, {"tz": "Asia/Kathmandu"}]
    if name == "code_timeline":
        return [{"tz": zone}]
    if name == "answers_count":
        # Small k shows every country; large ones pool them, or leave some out of listings.
        return [{"k": k} for k in (1, 5, 40, 400)]
    if name == "answers_from":
        # The first page, a page deep in the listing, and one beyond its end (no bound).
        return [
            {"k": k, "tz": tz, "page_size": 25, "offset": offset}
            for k, tz in ((5, zone), (400, "Asia/Kathmandu"))
            for offset in (0, 975, 10**7)
        ]
    return [{}]


def params_of(filters: Filters, extra: dict, consultation: str = CONSULTATION) -> dict:
    return {**filters.params(consultation), "search": None, "raw": False, **extra}


def assert_twin_exact(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    assert queries.precomputed_name(con, name, params) == f"cube/{name}"
    original = queries.frame(con, name, params, precomputed=False)
    twin = queries.frame(con, name, params)
    pd.testing.assert_frame_equal(twin, original, check_exact=True, check_dtype=True)
    return original


def check_all(
    con: duckdb.DuckDBPyConnection, filters: Filters, consultation: str = CONSULTATION
) -> None:
    zone = database.get_consultation(con, consultation).timezone
    for name in TWINS:
        for extra in extras(name, zone):
            assert_twin_exact(con, name, params_of(filters, extra, consultation))


def option_values(
    con: duckdb.DuckDBPyConnection, consultation: str = CONSULTATION
) -> dict[str, list[str]]:
    key = {"consultation": consultation}
    options = queries.frame(con, "filter_options", key, precomputed=False)
    return {
        attribute: options.loc[options["field"] == field, "value"].tolist()
        for attribute, field in FIELD_OF.items()
    }


def filter_sets(values: dict[str, list[str]]) -> Iterator[Filters]:
    """No filter; each attribute with its most common value, with two, and with a value nobody
    has; every pair of attributes; all four at once."""
    yield Filters()
    for attribute in ATTRIBUTES:
        yield Filters(**{attribute: tuple(values[attribute][:1])})
        yield Filters(**{attribute: tuple(values[attribute][-2:])})
        yield Filters(**{attribute: ("no such value",)})
    for a, b in itertools.combinations(ATTRIBUTES, 2):
        yield Filters(**{a: tuple(values[a][:2]), b: tuple(values[b][-1:])})
    yield Filters(**{attribute: tuple(values[attribute][:3]) for attribute in ATTRIBUTES})


def some_filter_sets(values: dict[str, list[str]]) -> Iterator[Filters]:
    """No filter, one attribute's most common value, and all four at once: enough to see the
    cube follow a change or another store's shape (every set of `filter_sets` is checked on the
    sample and on the generated store, and each takes every twin twice)."""
    yield Filters()
    yield Filters(**{ATTRIBUTES[0]: tuple(values[ATTRIBUTES[0]][:1])})
    yield Filters(**{attribute: tuple(values[attribute][:3]) for attribute in ATTRIBUTES})


@pytest.fixture(scope="module")
def sample(sample_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = database.connect(sample_db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """A store of the benchmarks' generated export (3,000 responses), with the sample's codebook
    set before the import, as the benchmark builds it."""
    folder = tmp_path_factory.mktemp("generated")
    csv_path = folder / "export.csv"
    generate.write_export(csv_path, 3000)
    con = database.connect(folder / "store.duckdb")
    consultation = load_consultation(generate.SAMPLE_DEFINITION)
    database.save_consultation(con, consultation)
    codebook = load_codebook(SAMPLE_DIR / "civic-space-2020.codebook.toml", consultation)
    tagging.save_codebook(con, consultation, codebook, "test")
    report = import_file(con, csv_path, consultation)
    assert report.responses_loaded == 3000
    yield con
    con.close()


@pytest.fixture
def writable(sample_copy: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = database.connect(sample_copy)
    yield con
    con.close()


def test_there_are_twins_for_every_page_read_the_cube_can_answer() -> None:
    assert set(TWINS) == {
        "answer_language_options", "answers_count", "answers_from", "by_code", "by_country",
        "by_day", "by_language", "by_language_group", "by_option", "by_period", "by_question",
        "by_region", "by_subregion", "by_theme", "by_un_group", "code_by_language",
        "code_by_region", "code_timeline", "filter_options", "language_by_answer_language",
        "theme_by_language", "theme_by_region", "timeline", "totals", "totals_keyed",
        "unknown_values",
    }  # fmt: skip


def test_every_twin_equals_its_original_on_the_sample(sample) -> None:
    for filters in filter_sets(option_values(sample)):
        check_all(sample, filters)


def test_every_twin_equals_its_original_on_a_generated_store(generated) -> None:
    values = option_values(generated)
    assert all(len(v) >= 2 for v in values.values()), values
    for filters in filter_sets(values):
        check_all(generated, filters)


def test_the_sample_figures_are_real(sample) -> None:
    # The comparison means something: the unfiltered figures are not empty or all zero.
    themes = assert_twin_exact(sample, "by_theme", params_of(Filters(), {}))
    codes = assert_twin_exact(sample, "by_code", params_of(Filters(), {}))
    days = assert_twin_exact(sample, "code_timeline", params_of(Filters(), {"tz": "UTC"}))
    assert themes["respondents"].sum() > 1000 and codes["responses"].sum() > 1000
    assert len(days) > 10
    totals = assert_twin_exact(sample, "totals_keyed", params_of(Filters(), {}))
    assert totals.loc[0, "respondents"] == 3000 and totals.loc[0, "responses"] > 10_000


def test_option_counts_equal_on_a_store_with_multi_column_questions(tmp_path, capsys) -> None:
    from tests.test_one_response_per_question import CONSULTATION as OPTIONS_CONSULTATION
    from tests.test_one_response_per_question import Store

    store = Store(tmp_path, capsys)
    store.import_export()
    con = store.connect()
    try:
        params = params_of(Filters(), {}, OPTIONS_CONSULTATION)
        options = assert_twin_exact(con, "by_option", params)
        assert options["respondents"].sum() > 0
        for filters in some_filter_sets(option_values(con, OPTIONS_CONSULTATION)):
            check_all(con, filters, OPTIONS_CONSULTATION)
    finally:
        con.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_respondent_filter_gives_the_same_frames(generated, data) -> None:
    values = option_values(generated)
    chosen = {
        attribute: tuple(
            data.draw(st.lists(st.sampled_from([*values[attribute], "Unknown"]), max_size=3))
        )
        for attribute in ATTRIBUTES
    }
    filters = Filters(**chosen)
    zone = database.get_consultation(generated, CONSULTATION).timezone
    name = data.draw(st.sampled_from(TWINS))
    extra = data.draw(st.sampled_from(extras(name, zone)))
    assert_twin_exact(generated, name, params_of(filters, extra))


LISTING_PAGES = [
    {"tz": tz, "page_size": size, "offset": offset, "k": k}
    for tz in ("UTC", "Asia/Kathmandu", "America/Sao_Paulo")
    for size, offset in ((25, 0), (25, 25), (10, 990), (100, 2000), (25, 10**6))
    for k in (5, 40)
]


@pytest.mark.parametrize("filters", [Filters(), Filters(regions=("Africa",), languages=("fr",))])
def test_the_listing_reads_from_its_bound_and_shows_the_same_page(generated, filters) -> None:
    # queries.frame finds where the Responses page's listing can start reading (the cube's
    # answers_from) and passes it; without it (None) every answer is read.
    for extra in LISTING_PAGES:
        params = params_of(filters, extra)
        bound = queries.bound(generated, "answers_from", params)
        bounded = queries.frame(generated, "answers", params)
        unbounded = queries.frame(generated, "answers", {**params, "listed_from": None})
        pd.testing.assert_frame_equal(bounded, unbounded, check_exact=True)
        listed = queries.frame(generated, "answers_count", params).loc[0, "responses"]
        needed = extra["offset"] + extra["page_size"]
        assert len(unbounded) == max(0, min(extra["page_size"], listed - extra["offset"]))
        # Found wherever the listing reaches past the page (every generated answer has a time),
        # so the comparison above is not of two unbounded reads.
        assert (bound is not None) == (listed >= needed), (extra, listed)
        if bound is not None:
            # The latest bound that keeps the page: a day later, the page loses answers.
            later = {**params, "listed_from": bound + pd.Timedelta(days=1)}
            assert not queries.frame(generated, "answers", later).equals(unbounded)


def test_no_bound_under_an_answer_filter_or_a_search(generated) -> None:
    page = {"tz": "UTC", "page_size": 25, "offset": 0, "k": 5}
    assert queries.bound(generated, "answers_from", params_of(Filters(), page)) is not None
    for filters in (Filters(themes=("protection",)), Filters(codes=("funding",))):
        assert queries.bound(generated, "answers_from", params_of(filters, page)) is None
    searched = {**params_of(Filters(), page), "search": ["civil"]}
    assert queries.bound(generated, "answers_from", searched) is None


def test_suppression_and_perturbation_receive_identical_input(sample) -> None:
    filters = Filters(regions=("Africa", "Europe"), languages=("fr",))
    for name in ("by_country", "by_theme", "theme_by_region", "by_code", "timeline"):
        extra = {"bin": "day", "split": "language", "tz": "UTC"} if name == "timeline" else {}
        params = params_of(filters, extra)
        twin = privacy.protect(name, queries.frame(sample, name, params), 5, perturbed=True)
        original = privacy.protect(
            name, queries.frame(sample, name, params, precomputed=False), 5, perturbed=True
        )
        pd.testing.assert_frame_equal(twin, original, check_exact=True)


def test_answer_filters_and_other_zones_run_the_original(sample) -> None:
    base = Filters(regions=("Africa",))
    for filters in (
        Filters(regions=("Africa",), themes=("protection",)),
        Filters(questions=("q1",)),
        Filters(codes=("funding",)),
        Filters(date_from=pd.Timestamp("2020-01-14").date()),
        Filters(date_to=pd.Timestamp("2020-01-20").date()),
    ):
        assert queries.precomputed_name(sample, "by_theme", params_of(filters, {})) == "by_theme"
    searched = {**params_of(base, {}), "search": ["civil"]}
    assert queries.precomputed_name(sample, "by_theme", searched) == "by_theme"
    # The Responses page's count: a search reads the answers' texts, which the cube has not.
    assert queries.precomputed_name(sample, "answers_count", searched) == "answers_count"
    assert queries.precomputed_name(sample, "answers_count", params_of(base, {})) == (
        "cube/answers_count"
    )
    other_zone = params_of(base, {"tz": "Europe/Zurich"})
    assert queries.precomputed_name(sample, "code_timeline", other_zone) == "code_timeline"
    assert queries.precomputed_name(sample, "answers", params_of(base, {})) == "answers"
    assert queries.precomputed_name(sample, "by_theme", params_of(base, {})) == "cube/by_theme"


def cube_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    tables = (*database.CUBE_TABLES, "cube_views")
    return {table: sorted(map(repr, con.table(table).fetchall())) for table in tables}


def kept_views(con: duckdb.DuckDBPyConnection, consultation: str) -> list[tuple[str, dict]]:
    rows = con.execute(
        "SELECT statement, parameters FROM cube_views WHERE consultation_id = ? ORDER BY ALL",
        [consultation],
    ).fetchall()
    return [(statement, json.loads(parameters)) for statement, parameters in rows]


class ViewReads:
    """What queries.stored_view returned, each time frame() read a view."""

    def __init__(self) -> None:
        self.returned: list[pd.DataFrame | None] = []
        self.original = queries.stored_view

    def __call__(self, *args):
        self.returned.append(self.original(*args))
        return self.returned[-1]


def shown_frame(con: duckdb.DuckDBPyConnection, name: str, params: dict):
    reads = ViewReads()
    with mock.patch.object(queries, "stored_view", reads):
        return queries.frame(con, name, params), reads.returned


def test_every_unfiltered_view_kept_is_its_statement_s_frame(sample, generated) -> None:
    for con in (sample, generated):
        views = kept_views(con, CONSULTATION)
        # One of every twin (but by_option's, empty on both stores: no question of several
        # columns, and an empty result is not kept).
        assert sorted(s.removeprefix("cube/") for s, _ in views) == [
            name for name in TWINS if name != "by_option"
        ]
        for statement, parameters in views:
            name = statement.removeprefix("cube/")
            params = {**params_of(Filters(), {}), **parameters}
            shown, returned = shown_frame(con, name, params)
            assert len(returned) == 1 and returned[0] is not None, name  # read from the view
            original = queries.frame(con, name, params, precomputed=False)
            pd.testing.assert_frame_equal(shown, original, check_exact=True, check_dtype=True)
    # The pages' unfiltered views are among them: the Overview's timeline by day, in the
    # consultation's zone, and the Responses page's first page.
    zone = database.get_consultation(sample, CONSULTATION).timezone
    assert ("cube/timeline", {"bin": "day", "split": "all", "tz": zone, "countries": None,
            "languages": None, "regions": None, "stakeholder_types": None}) in views  # fmt: skip
    first_page = {"countries": None, "k": 5, "languages": None, "offset": 0, "page_size": 25,
                  "regions": None, "stakeholder_types": None, "tz": zone}  # fmt: skip
    assert ("cube/answers_from", first_page) in views


def test_a_filtered_page_or_another_view_runs_the_twin(sample) -> None:
    by_day = {"bin": "day", "split": "all"}
    filtered = params_of(Filters(regions=("Africa",)), by_day)
    shown, returned = shown_frame(sample, "timeline", filtered)
    assert returned == []  # no view is looked for under a filter
    pd.testing.assert_frame_equal(
        shown, queries.frame(sample, "timeline", filtered, precomputed=False), check_exact=True
    )
    by_hour = params_of(Filters(), {"bin": "hour", "split": "language"})
    shown, returned = shown_frame(sample, "timeline", by_hour)
    assert returned == [None]  # looked for, none kept: the twin ran
    pd.testing.assert_frame_equal(
        shown, queries.frame(sample, "timeline", by_hour, precomputed=False), check_exact=True
    )


def test_a_tag_edit_updates_the_cube_as_a_rebuild_would(writable) -> None:
    answers = writable.execute(
        "SELECT f.import_id, f.source_row, f.question_id FROM response_facts AS f"
        " WHERE len(f.codes) = 0 AND f.submitted_at IS NOT NULL"
        " ORDER BY f.import_id, f.source_row, f.question_id LIMIT 2"
    ).fetchall()
    tagged = writable.execute(
        "SELECT import_id, source_row, question_id FROM response_codes WHERE code_id = 'funding'"
        " ORDER BY ALL LIMIT 1"
    ).fetchone()
    before = queries.frame(writable, "by_code", params_of(Filters(), {}))
    tagging.set_code(writable, CONSULTATION, answers[0], "gender", True, "ana")
    previous = tagging.set_code(writable, CONSULTATION, answers[1], "funding", True, "ana")
    tagging.set_code(writable, CONSULTATION, tagged, "funding", False, "ana")
    tagging.restore_code(writable, CONSULTATION, answers[1], "funding", previous, "ana")
    after = queries.frame(writable, "by_code", params_of(Filters(), {}))
    change = after.set_index("code_id")["responses"] - before.set_index("code_id")["responses"]
    assert change["gender"] == 1 and change["funding"] == -1
    incremental = cube_tables(writable)
    with database.transaction(writable):
        database.refresh_cube(writable, CONSULTATION)
    assert cube_tables(writable) == incremental
    for filters in some_filter_sets(option_values(writable)):
        check_all(writable, filters)


def test_an_undo_and_a_codebook_change_rebuild_the_cube(writable) -> None:
    consultation = database.get_consultation(writable, CONSULTATION)
    french = writable.execute(
        "SELECT import_id FROM imports WHERE file_name = 'reponses_fr.csv'"
    ).fetchone()[0]
    undo_import(writable, CONSULTATION, french)
    totals = assert_twin_exact(writable, "totals", params_of(Filters(), {}))
    assert 0 < totals.loc[0, "respondents"] < 3000
    for filters in some_filter_sets(option_values(writable)):
        check_all(writable, filters)
    smaller = codebook_from_dict(
        {"codes": [{"id": "funding", "label": {"en": "Funding"}, "keywords": ["fund*"]}]},
        consultation,
    )
    tagging.save_codebook(writable, consultation, smaller, "ana")
    codes = assert_twin_exact(writable, "by_code", params_of(Filters(), {}))
    assert codes["code_id"].tolist() == ["funding", "(none)"]
    for filters in some_filter_sets(option_values(writable)):
        check_all(writable, filters)


def test_a_definition_change_rebuilds_the_days_in_the_new_zone(writable) -> None:
    import dataclasses

    consultation = database.get_consultation(writable, CONSULTATION)
    moved = dataclasses.replace(consultation, timezone="Asia/Kathmandu")
    database.save_consultation(writable, moved)
    params = params_of(Filters(), {"tz": "Asia/Kathmandu"})
    assert queries.precomputed_name(writable, "code_timeline", params) == "cube/code_timeline"
    assert_twin_exact(writable, "code_timeline", params)
    check_all(writable, Filters(languages=("fr", "en")))


def test_a_store_without_the_cube_gets_it_on_open(sample_copy: Path) -> None:
    raw = duckdb.connect(str(sample_copy))
    # As a store made before the cube: none of its tables.
    for table in (*database.CUBE_TABLES, "cube_views"):
        raw.execute(f"DROP TABLE {table}")
    assert not raw.execute("SELECT 1 FROM duckdb_tables() WHERE table_name LIKE 'cube%'").fetchall()
    raw.close()
    con = database.connect(sample_copy)
    try:
        assert con.execute("SELECT count(*) FROM cube_builds").fetchone()[0] == 1
        assert len(kept_views(con, CONSULTATION)) == len(TWINS) - 1  # by_option's is empty
        check_all(con, Filters())
        check_all(con, Filters(regions=("Africa",), stakeholder_types=("Individual",)))
    finally:
        con.close()


def test_a_cube_of_another_layout_is_built_again_on_open(sample_copy: Path) -> None:
    raw = duckdb.connect(str(sample_copy))
    raw.execute("UPDATE cube_builds SET layout = layout - 1")
    raw.execute("UPDATE cube_themes SET responses = responses + 1")  # what it would count wrong
    raw.close()
    con = database.connect(sample_copy)
    try:
        layout = con.execute("SELECT layout FROM cube_builds").fetchall()
        assert layout == [(database.CUBE_VERSION,)]
        check_all(con, Filters())
    finally:
        con.close()


def test_a_store_of_an_older_layout_opened_read_only_runs_the_originals(
    sample_copy: Path,
) -> None:
    # As a store made by the layout before cube_answer_languages, which cannot be built again
    # while it is only read: its twins would read a table it lacks.
    raw = duckdb.connect(str(sample_copy))
    raw.execute("UPDATE cube_builds SET layout = layout - 1")
    raw.execute("DROP TABLE cube_answer_languages")
    raw.execute("DROP TABLE cube_views")
    raw.close()
    con = database.connect(sample_copy, read_only=True)
    try:
        params = params_of(Filters(), {})
        assert queries.precomputed_name(con, "language_by_answer_language", params) == (
            "language_by_answer_language"
        )
        languages = queries.frame(con, "language_by_answer_language", params)
        assert languages["responses"].sum() == 12583
    finally:
        con.close()
