"""What pages read: cached query results over one shared store connection.

All caching lives here. The connection is a `st.cache_resource` shared by every session; each
thread gets its own cursor (DuckDB connections must not be shared across threads); results are
`st.cache_data` with a bounded size and lifetime, keyed by the store's state so that an import or
undo in any session refreshes every session's figures.
"""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import streamlit as st

from dashboard import store
from dashboard.consultation import Consultation
from dashboard.queries import Filters
from dashboard.summary import summary

_local = threading.local()


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return store.connect(path)


def cursor() -> duckdb.DuckDBPyConnection:
    path = str(store.default_db_path())
    cursors = getattr(_local, "cursors", None)
    if cursors is None:
        cursors = _local.cursors = {}
    if path not in cursors:
        cursors[path] = store.cursor(_connection(path))
    return cursors[path]


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def consultation_ids(db: str) -> list[str]:
    return store.consultation_ids(cursor())


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def consultation(db: str, consultation_id: str) -> Consultation | None:
    return store.get_consultation(cursor(), consultation_id)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def consultation_summary(db: str, consultation_id: str, filters: Filters) -> dict:
    return summary(cursor(), consultation_id, filters)


def db_key() -> str:
    return str(store.default_db_path())


__all__ = ["consultation", "consultation_ids", "consultation_summary", "cursor", "db_key", "pd"]
