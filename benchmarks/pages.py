"""What each page of the app runs, and the timing of those statements, ours against the
reference.

`PAGES` lists, per page, the statements the page runs on a first visit with a given set of
filters (nothing cached), with the extra parameters it passes, in the order it runs them. They
were read from `dashboard/web/views/*.py`, `dashboard/web/ui.py` (the sidebar,
`View.cells`/`table`/`summary`) and `dashboard/publish/catalogue.py`; `recorded_statements` runs
every page in Streamlit's AppTest and records what it really runs, and the quick test checks the
two agree.

"One page" is timed as the page runs it without Streamlit's cache: every statement once, one
after the other on one connection, each read into a DataFrame (`queries.frame`, as
`data.table` does). The privacy step (`privacy.protect`, which the pages apply to every
breakdown they read through `View.cells`) is timed apart, since the reference has none.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from benchmarks import reference
from benchmarks.measure import summarise
from dashboard.protection import privacy
from dashboard.publish.catalogue import BY_SLUG
from dashboard.store import queries
from dashboard.store.queries import Filters


@dataclass(frozen=True)
class Call:
    name: str
    extra: tuple[tuple[str, Any], ...] = ()
    protected: bool = False  # read through View.cells: privacy.protect follows
    via: str = "table"  # "summary", "table", "cells" or "sidebar": how the page reads it

    def params(self, base: Mapping[str, Any]) -> dict[str, Any]:
        return {**base, **dict(self.extra)}

    @property
    def label(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.extra if v is not None)
        return f"{self.name}({extra})" if extra else self.name


def cells(name: str, **extra: Any) -> Call:
    return Call(name, tuple(sorted(extra.items())), protected=True, via="cells")


def chart(slug: str) -> Call:
    entry = BY_SLUG[slug]
    return cells(entry.query, **entry.parameters)


PER_DAY = {"bin": "day", "split": "all"}
RESPONSES_PAGE = {"search": None, "raw": False, "k": 5}
PAGE_SIZE = 25

PAGES: dict[str, list[Call]] = {
    # Every rerun of every page reads the store's version, and its heading the imports not yet
    # counted (ui.uncounted_warnings); the filter choices are read once per change of data.
    "Sidebar": [
        Call("store/version", via="sidebar"),
        Call("store/uncounted_imports", via="sidebar"),
        Call("filter_options", via="sidebar"),
        Call("answer_language_options", via="sidebar"),
        Call("store/codebook", via="sidebar"),
    ],
    "Overview": [
        # The totals with their record-key sums, which the released (perturbed) figures need.
        Call("totals_keyed"),
        cells("by_country"),
        cells("by_language_group"),
        cells("by_period"),
        chart("respondents-by-region"),
        cells("by_theme"),
        cells("timeline", **PER_DAY),
    ],
    "Regions": [
        chart("respondents-by-country"),
        chart("respondents-by-region"),
        chart("respondents-by-subregion"),
    ],
    "Languages": [
        cells("by_language_group"),
        cells("by_language"),
        cells("theme_by_language"),
        cells("language_by_answer_language"),
    ],
    "Themes": [
        cells("by_theme"),
        cells("by_question"),
        cells("by_option"),
        cells("theme_by_region"),
        cells("theme_by_language"),
        # With a codebook (the benchmark's stores have the sample's):
        chart("respondents-and-responses-by-code"),
        chart("responses-by-code-and-region"),
        chart("responses-by-code-and-language"),
        chart("responses-per-day-by-code"),
    ],
    # The window is 11 days long, so the page opens on days (hours below 3 days).
    "Timeline": [cells("by_period"), cells("timeline", **PER_DAY)],
    "Responses": [
        Call("totals_keyed"),
        Call("answers_count", tuple(sorted(RESPONSES_PAGE.items()))),
        Call(
            "answers",
            tuple(sorted({**RESPONSES_PAGE, "page_size": PAGE_SIZE, "offset": 0}.items())),
        ),
    ],
}
APP_PAGES = [page for page in PAGES if page != "Sidebar"]
SIDEBAR_STATEMENTS = {
    "store/version",
    "store/uncounted_imports",
    "store/consultation_ids",
    "store/consultation_definition",
    "store/codebook",
    "filter_options",
    "answer_language_options",
}


BOUND_FINDERS = {finder for bounds in queries.BOUNDS.values() for finder in bounds.values()}


@dataclass
class PageTiming:
    """Times of every run of one page under one set of filters."""

    page: str
    filters: str
    ours: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)
    privacy: list[float] = field(default_factory=list)
    statements: dict[str, list[float]] = field(default_factory=dict)
    reference_statements: dict[str, list[float]] = field(default_factory=dict)
    not_reproduced: list[str] = field(default_factory=list)
    first_ours: float | None = None
    first_reference: float | None = None

    def to_dict(self) -> dict:
        ours, ref = summarise(self.ours), summarise(self.reference) if self.reference else None
        return {
            "page": self.page,
            "filters": self.filters,
            "ours": ours,
            "reference": ref,
            "ratio_ours_to_reference": (
                ours["median_ms"] / ref["median_ms"] if ref and ref["median_ms"] else None
            ),
            "privacy_step": summarise(self.privacy),
            "first_run_ms": {
                "ours": self.first_ours * 1000 if self.first_ours is not None else None,
                "reference": (
                    self.first_reference * 1000 if self.first_reference is not None else None
                ),
            },
            "statements": {
                label: {
                    "ours": summarise(times),
                    "reference": (
                        summarise(self.reference_statements[label])
                        if label in self.reference_statements
                        else None
                    ),
                }
                for label, times in self.statements.items()
            },
            "not_reproduced": self.not_reproduced,
        }


def run_ours(
    con: duckdb.DuckDBPyConnection, calls: list[Call], base: Mapping[str, Any], k: int
) -> tuple[float, float, dict[str, float], dict[str, pd.DataFrame]]:
    """One run of a page: total seconds of its statements, of the privacy step, each
    statement's seconds, and the frames (for the agreement check)."""
    total = protect = 0.0
    each: dict[str, float] = {}
    frames: dict[str, pd.DataFrame] = {}
    for call in calls:
        start = time.perf_counter()
        frame = queries.frame(con, call.name, call.params(base))
        seconds = time.perf_counter() - start
        total += seconds
        each[call.label] = each.get(call.label, 0.0) + seconds
        frames[call.label] = frame
        if call.protected:
            start = time.perf_counter()
            privacy.protect(call.name, frame, k)
            protect += time.perf_counter() - start
    return total, protect, each, frames


def run_reference(
    frames: reference.Frames, calls: list[Call], base: Mapping[str, Any]
) -> tuple[float, dict[str, float], dict[str, pd.DataFrame], list[str]]:
    total = 0.0
    each: dict[str, float] = {}
    results: dict[str, pd.DataFrame] = {}
    skipped: list[str] = []
    for call in calls:
        if call.name not in reference.STATEMENTS:
            skipped.append(call.label)
            continue
        start = time.perf_counter()
        try:
            result = reference.run(frames, call.name, call.params(base))
        except reference.NotReproduced as exc:
            skipped.append(f"{call.label}: {exc}")
            continue
        seconds = time.perf_counter() - start
        total += seconds
        each[call.label] = each.get(call.label, 0.0) + seconds
        results[call.label] = result
    return total, each, results, skipped


def time_pages(
    con: duckdb.DuckDBPyConnection,
    frames: reference.Frames | None,
    consultation_id: str,
    filter_sets: Mapping[str, Filters],
    *,
    runs: int,
    budget_seconds: float,
    k: int,
    progress=print,
) -> tuple[list[PageTiming], list[dict]]:
    """Time every page under every filter set, ours and the reference's, `runs` times each
    (fewer when a page's runs exceed the budget, but at least 3), after one run that is not
    counted. Returns the timings and the agreement checks (one per statement, filter set and
    page; a check with `differences` failed)."""
    timings: list[PageTiming] = []
    checks: list[dict] = []
    for filter_name, filters in filter_sets.items():
        base = filters.params(consultation_id)
        for page, calls in PAGES.items():
            timing = PageTiming(page, filter_name)
            # The first run: not counted in the medians; its results are compared.
            first, _, _, ours_frames = run_ours(con, calls, base, k)
            timing.first_ours = first
            if frames is not None:
                ref_first, _, ref_frames, skipped = run_reference(frames, calls, base)
                timing.first_reference = ref_first
                timing.not_reproduced = skipped
                for label, ours_frame in ours_frames.items():
                    if label not in ref_frames:
                        continue
                    found = reference.differences(ours_frame, ref_frames[label])
                    checks.append(
                        {
                            "page": page,
                            "filters": filter_name,
                            "statement": label,
                            "rows": len(ours_frame),
                            "identical": not found,
                            "differences": found,
                        }
                    )
            del ours_frames
            gc.collect()
            started = time.perf_counter()
            for run in range(runs):
                seconds, protect, each, _ = run_ours(con, calls, base, k)
                timing.ours.append(seconds)
                timing.privacy.append(protect)
                for label, value in each.items():
                    timing.statements.setdefault(label, []).append(value)
                if run >= 2 and time.perf_counter() - started > budget_seconds:
                    break
            if frames is not None:
                started = time.perf_counter()
                for run in range(runs):
                    seconds, each, _, _ = run_reference(frames, calls, base)
                    timing.reference.append(seconds)
                    for label, value in each.items():
                        timing.reference_statements.setdefault(label, []).append(value)
                    if run >= 2 and time.perf_counter() - started > budget_seconds:
                        break
            timings.append(timing)
            summary = timing.to_dict()
            ref = summary["reference"]
            progress(
                f"  {page:<10} {filter_name:<10} ours {summary['ours']['median_ms']:8.1f} ms "
                f"(p95 {summary['ours']['p95_ms']:.1f}, {summary['ours']['runs']} runs)"
                + (
                    f"  reference {ref['median_ms']:8.1f} ms (p95 {ref['p95_ms']:.1f})"
                    if ref
                    else ""
                )
            )
    return timings, checks


def recorded_statements(db_path: str, query: Mapping[str, str] | None = None) -> dict:
    """Run each page in Streamlit's AppTest over the store at `db_path` (as the local
    administrator, suppression on) and record the statements it runs: {page: [(name, extra
    parameters)]}, the sidebar's left out. Streamlit's caches are cleared before each page."""
    import os
    from pathlib import Path
    from unittest import mock

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = str(Path(queries.__file__).parents[1] / "web" / "app.py")
    filter_keys = set(Filters().params("x"))
    recorded: list[tuple[str, tuple]] = []
    original = queries.execute

    def recording(con, name, params=None):
        # A cube twin stands for its original (queries.precomputed_name): recorded as it.
        name_shown = name.removeprefix(f"{queries.CUBE}/")
        if name == "store/cube_zone" or name_shown in BOUND_FINDERS:
            # Look-ups queries.frame makes (to pick a twin, to bound a listing): part of the
            # statement the page asked for, and timed with it, not statements of the page.
            return original(con, name, params)
        extra = tuple(sorted((k, v) for k, v in (params or {}).items() if k not in filter_keys))
        extra = tuple(
            (k, v)
            for k, v in extra
            if k in queries.parameters_of(name_shown)
            and k not in queries.BOUNDS.get(name_shown, {})  # found by queries.frame
        )
        recorded.append((name_shown, extra))
        return original(con, name, params)

    found: dict[str, list[tuple[str, tuple]]] = {}
    previous = os.environ.get("DASHBOARD_DB")
    os.environ["DASHBOARD_DB"] = db_path
    try:
        # The unfiltered views kept with the cube stand for the statements the page asks for:
        # left unread here, so that each of those statements runs and is recorded.
        with (
            mock.patch.object(queries, "execute", recording),
            mock.patch.object(queries, "stored_view", lambda *args: None),
        ):
            # A first run opens the app's shared connection (the schema, the macros, the
            # store's checks), which later runs reuse: none of that is a page's work.
            AppTest.from_file(app, default_timeout=300).run()
            recorded.clear()
            for page in APP_PAGES:
                st.cache_data.clear()
                at = AppTest.from_file(app, default_timeout=300)
                for key, value in (query or {}).items():
                    at.query_params[key] = value
                at.run()
                if page != "Overview":
                    st.cache_data.clear()
                    recorded.clear()
                    at.switch_page(f"views/{page.lower()}.py").run()
                if at.exception:
                    raise RuntimeError(f"{page}: {at.exception}")
                found[page] = [(n, e) for n, e in recorded if n not in SIDEBAR_STATEMENTS]
                recorded.clear()
    finally:
        st.cache_data.clear()
        if previous is None:
            os.environ.pop("DASHBOARD_DB", None)
        else:
            os.environ["DASHBOARD_DB"] = previous
    return found


def listed_statements() -> dict[str, list[tuple[str, tuple]]]:
    """`PAGES` in the form `recorded_statements` returns (extra parameters the statement
    does not take left out, as `queries.execute` leaves them out)."""
    return {
        page: [
            (c.name, tuple((k, v) for k, v in c.extra if k in queries.parameters_of(c.name)))
            for c in PAGES[page]
        ]
        for page in APP_PAGES
    }
