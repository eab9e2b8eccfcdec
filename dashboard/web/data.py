"""What pages read: cached query results over one shared store connection.

All caching lives here. The store is shared by every session through one `StoreGate` (a
`st.cache_resource`): read-only, so that CLI commands that read run beside the app, and opened
for writing only while one of the writes below runs; each thread gets its own cursor (DuckDB
connections must not be shared between threads). Results are `st.cache_data`, bounded in size
and age, and keyed by the store's version, which every write raises, so an import or an undo
made in any session refreshes every session's figures on its next rerun.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.coding import tagging, typical
from dashboard.coding import topics as topic_finding
from dashboard.coding.codebook import Codebook, Tagger
from dashboard.definition.consultation import Consultation
from dashboard.importer import (
    ImportReport,
    PreparedImport,
    count_import,
    load,
    uncounted_imports,
    undo_import,
)
from dashboard.protection import perturbation, privacy
from dashboard.store import database, queries
from dashboard.store.gate import StoreGate
from dashboard.store.queries import Filters

RESULT_CACHE = {"max_entries": 512, "ttl": 3600, "show_spinner": False}
# Figures and tables of figures drawn from those results: kept as the objects themselves (no
# copy), shared by every session, since they are pure functions of their inputs and nothing
# changes one once drawn (the print style draws on a copy of a figure).
DRAWN_CACHE = {"max_entries": 512, "ttl": 3600, "show_spinner": False}


@st.cache_resource(show_spinner=False)
def _gate(path: str) -> StoreGate:
    """The store as this process shares it: read-only between writes, so that CLI commands
    that read run beside the app; every write below takes its turn through it. DuckDB keeps
    within the server's memory limit (`database.SERVER_MEMORY_LIMIT`) for every session; a
    write (an import, a codebook change) has the commands' limit while it runs: re-tagging ten
    million answers within 1 GB ran out of memory."""
    return StoreGate(path, memory_limit=database.SERVER_MEMORY_LIMIT)


def db_path() -> str:
    return str(database.default_db_path())


def cursor() -> duckdb.DuckDBPyConnection:
    """What this thread reads with: its cursor on the store's shared read-only connection (or,
    inside one of the writes below, the writing connection). Raises `StoreBusy` while another
    process writes the store."""
    return _gate(db_path()).cursor()


def version() -> tuple:
    """The store's version (raised by every write, see database.transaction) with its path and
    identity: one row read on every rerun, part of every cache key."""
    return (db_path(), *queries.first_row(cursor(), "store/version"))


@st.cache_data(**RESULT_CACHE)
def consultation_ids(version: tuple) -> list[str]:
    return database.consultation_ids(cursor())


@st.cache_data(**RESULT_CACHE)
def consultation(version: tuple, consultation_id: str) -> Consultation | None:
    return database.get_consultation(cursor(), consultation_id)


@st.cache_data(**RESULT_CACHE)
def table(
    version: tuple,
    name: str,
    consultation_id: str,
    filters: Filters,
    extra: tuple[tuple[str, Any], ...] = (),
) -> pd.DataFrame:
    """The result of `queries/<name>.sql` under the filters (plus any extra parameters)."""
    return queries.frame(cursor(), name, {**filters.params(consultation_id), **dict(extra)})


@st.cache_resource(**DRAWN_CACHE)
def drawn(
    name: str, lang: str, inputs: tuple[Any, ...], _draw: Callable[[], go.Figure | pd.DataFrame]
) -> go.Figure | pd.DataFrame:
    """What `_draw` makes (a chart, or a table of figures as shown), drawn once for each kind
    (`name`), interface language and value of everything it is drawn from (`inputs`): building
    the Plotly figures (their checks of every property) and formatting the tables under them
    took over half of a page's rerun once the figures themselves were cached, and every session
    viewing the same figures reruns on each click."""
    return _draw()


@st.cache_data(**RESULT_CACHE)
def protected_table(
    version: tuple,
    name: str,
    consultation_id: str,
    filters: Filters,
    extra: tuple[tuple[str, Any], ...],
    k: int,
) -> pd.DataFrame:
    """`table` with cells of fewer than k respondents hidden (k = 1: nothing hidden, exact),
    and perturbed under a filter."""
    frame = table(version, name, consultation_id, filters, extra)
    perturbed = k > 1 and perturbation.is_filtered(filters)
    return privacy.protect(name, frame, k, perturbed=perturbed)


@st.cache_data(**RESULT_CACHE)
def released_totals(
    version: tuple, consultation_id: str, filters: Filters, k: int
) -> perturbation.Totals:
    """Respondents and responses as released (k = 1: exact)."""
    return perturbation.totals(cursor(), consultation_id, filters, k, exact=k <= 1)


@st.cache_data(**RESULT_CACHE)
def codebook(version: tuple, consultation_id: str) -> Codebook:
    return tagging.get_codebook(cursor(), consultation_id)


@st.cache_resource(show_spinner=False, max_entries=8)
def tagger(version: tuple, consultation_id: str) -> Tagger:
    """The codebook compiled for matching (to highlight what keywords found)."""
    return Tagger(codebook(version, consultation_id))


# Topics found, by (version, consultation, filters, number of topics, k): a few, as each is
# seconds of work. Not st.cache_data: that replays what the function drew, and a computation
# draws its progress on the page's own bar, which a replay cannot reach.
_TOPICS: OrderedDict[tuple, topic_finding.Topics] = OrderedDict()
_TOPICS_LOCK = threading.Lock()
TOPICS_KEPT = 16
# A pin or an unpin raises the store's version like every write, but changes nothing topics are
# found from: each store version a pin made, mapped to the version before it, so that pinning
# a topic's quote does not find its topics again (seconds) on the page's next run.
_PIN_VERSIONS: dict[tuple, tuple] = {}


def topics(
    version: tuple,
    consultation_id: str,
    filters: Filters,
    n_topics: int,
    k: int,
    on_step: Any = None,
) -> topic_finding.Topics:
    """Emergent topics of the answers a listing may show under the filters, with sizes
    protected (k = 1: exact); `on_step(label, fraction)` hears the progress of a computation
    (a kept result comes back at once)."""
    with _TOPICS_LOCK:
        while version in _PIN_VERSIONS:
            version = _PIN_VERSIONS[version]
        key = (version, consultation_id, filters, n_topics, k)
        if key in _TOPICS:
            _TOPICS.move_to_end(key)
            return _TOPICS[key]
    found = topic_finding.topics_for(
        cursor(),
        consultation_id,
        filters,
        n_topics,
        k,
        codebook(version, consultation_id),
        perturbed=k > 1 and perturbation.is_filtered(filters),
        on_step=on_step,
    )
    with _TOPICS_LOCK:
        _TOPICS[key] = found
        while len(_TOPICS) > TOPICS_KEPT:
            _TOPICS.popitem(last=False)
    return found


@st.cache_data(**RESULT_CACHE)
def filter_options(version: tuple, consultation_id: str) -> pd.DataFrame:
    return queries.frame(cursor(), "filter_options", {"consultation": consultation_id})


@st.cache_data(**RESULT_CACHE)
def answer_language_options(version: tuple, consultation_id: str) -> list[str]:
    """The languages detected in the consultation's answers ('und': not detected)."""
    frame = queries.frame(cursor(), "answer_language_options", {"consultation": consultation_id})
    return frame["answer_language"].tolist()


@st.cache_data(**RESULT_CACHE)
def imports(version: tuple, consultation_id: str) -> pd.DataFrame:
    return queries.frame(cursor(), "store/imports", {"consultation": consultation_id})


@st.cache_data(**RESULT_CACHE)
def uncounted(version: tuple, consultation_id: str) -> pd.DataFrame:
    """The imports whose answers are stored but not yet tagged and counted."""
    return uncounted_imports(cursor(), consultation_id)


def _write_lock(path: str) -> AbstractContextManager:
    """A write's turn: the store opened for writing for as long as it takes (see
    dashboard/store/gate.py). Raises `StoreBusy`, nothing written, when a CLI command holds
    the store longer than the gate waits."""
    return _gate(path).writing()


def import_prepared(
    prepared: PreparedImport, imported_by: str, on_step: Any = None
) -> ImportReport:
    """Write a checked import. Sessions take turns, so two imports never interleave; readers
    go on meanwhile and see the new figures on their next rerun (the version changes).
    `on_step(label, fraction)` hears of each stage, for a progress bar."""
    with _write_lock(db_path()):
        report = load(cursor(), prepared, imported_by, on_step=on_step)
        if report.import_id is not None:
            database.audit(
                cursor(),
                imported_by,
                "import",
                prepared.consultation_id,
                {
                    "import_id": report.import_id,
                    "file": report.file_name,
                    "sha256": report.content_hash,
                    "respondents": report.respondents_loaded,
                    "responses": report.responses_loaded,
                },
            )
        return report


def undo(consultation_id: str, import_id: int, who: str) -> int:
    with _write_lock(db_path()):
        changed = undo_import(cursor(), consultation_id, import_id)
        database.audit(cursor(), who, "undo", consultation_id, {"import_id": import_id})
        return changed


def count(consultation_id: str, import_id: int, who: str, on_step: Any = None) -> None:
    """Tag and count an import that was stopped before it was (importer.count_import)."""
    with _write_lock(db_path()):
        count_import(cursor(), consultation_id, import_id, on_step=on_step)
        database.audit(cursor(), who, "count_import", consultation_id, {"import_id": import_id})


MEMO_KEY = "_session_memo"


def session_memo(key: tuple, build: Any) -> Any:
    """This session's result of `build()` for `key` (an uploaded file read, a checked upload
    with its mapping), made once: reruns of the page (every widget change) reuse it. Only the
    latest few are kept, since they can be large."""
    memo: dict = st.session_state.setdefault(MEMO_KEY, {})
    if key not in memo:
        memo[key] = build()
        while len(memo) > 8:
            memo.pop(next(iter(memo)))
    return memo[key]


def save_consultation(consultation: Consultation) -> bool:
    """Add or replace a consultation's definition through the store API (True when it is new).
    It takes its turn with imports and undos; every session sees it on its next rerun."""
    with _write_lock(db_path()):
        return database.save_consultation(cursor(), consultation)


def save_codebook(consultation: Consultation, new: Codebook, who: str, on_step: Any = None) -> int:
    """Replace the codebook and re-tag every answer; takes its turn with imports."""
    with _write_lock(db_path()):
        return tagging.save_codebook(cursor(), consultation, new, who, on_step=on_step)


def set_code(
    consultation_id: str, answer: tuple[int, int, str], code_id: str, applied: bool, who: str
) -> tagging.PreviousEdit:
    with _write_lock(db_path()):
        return tagging.set_code(cursor(), consultation_id, answer, code_id, applied, who)


def restore_code(
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
    previous: tagging.PreviousEdit,
    who: str,
) -> None:
    with _write_lock(db_path()):
        tagging.restore_code(cursor(), consultation_id, answer, code_id, previous, who)


def judge(
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
    matched: str | None,
    applies: bool,
    who: str,
) -> None:
    with _write_lock(db_path()):
        tagging.judge(cursor(), consultation_id, answer, code_id, matched, applies, who)


def settle(
    consultation_id: str, answer: tuple[int, int, str], code_id: str, applies: bool, who: str
) -> None:
    with _write_lock(db_path()):
        tagging.settle(cursor(), consultation_id, answer, code_id, applies, who)


@st.cache_data(**RESULT_CACHE)
def typical_answers(
    version: tuple, consultation_id: str, filters: Filters, kind: str, subject: str, k: int
) -> pd.DataFrame | None:
    """The answers most typical of a theme or code under the filters (None: fewer than k
    respondents gave them); the ranking is the slow part, so it is cached like a figure."""
    return typical.typical_answers(cursor(), consultation_id, filters, kind, subject, k)


@st.cache_data(**RESULT_CACHE)
def pinned_quotes(version: tuple, consultation_id: str, filters: Filters, k: int) -> pd.DataFrame:
    return typical.pinned_quotes(cursor(), consultation_id, filters, k)


def pin_quote(
    consultation_id: str, kind: str, subject: str, answer: tuple[int, int, str], who: str
) -> None:
    with _write_lock(db_path()):
        before = version()
        typical.pin(cursor(), consultation_id, kind, subject, answer, who)
        _pinned(before, version())


def unpin_quote(
    consultation_id: str, kind: str, subject: str, answer: tuple[int, int, str], who: str
) -> None:
    with _write_lock(db_path()):
        before = version()
        typical.unpin(cursor(), consultation_id, kind, subject, answer, who)
        _pinned(before, version())


def _pinned(before: tuple, after: tuple) -> None:
    """Remember that the store's version `after` differs from `before` by quote pins only (the
    write lock held throughout: no other write came between)."""
    with _TOPICS_LOCK:
        if after != before:
            _PIN_VERSIONS[after] = before


def audit(who: str, action: str, consultation_id: str | None, details: dict | None = None) -> None:
    """Record a view of exact figures or a download. These come often, so each is a line
    appended (and synced) beside the store rather than a reopening of the store for writing
    (see benchmarks/gate.py); the next write, or the Audit log page, moves them into the log.
    Nor can a command holding the store stand in the way of the view or download."""
    try:
        database.spool_audit(db_path(), who, action, consultation_id, details)
    except OSError:  # the folder cannot be written to: through the gate then
        with _write_lock(db_path()):
            database.audit(cursor(), who, action, consultation_id, details)


def audit_log(limit: int = 1000) -> pd.DataFrame:
    # Not cached: it changes with every audited action, which need not raise the version.
    spool = database.spool_path(db_path())
    if spool.exists() and spool.stat().st_size:
        # Entries kept beside the store (a command's export, a view while a command held
        # the store): opening it for writing moves them in, so the log shows them.
        with contextlib.suppress(database.StoreBusy), _write_lock(db_path()):
            pass
    return queries.frame(cursor(), "store/audit_log", {"limit": limit})
