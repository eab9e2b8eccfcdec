"""Shared fixtures: temporary stores, the sample consultation, the real exports folder."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from PIL import Image
from playwright.sync_api import Browser, Playwright, expect, sync_playwright
from streamlit.components.v2 import manifest_scanner

from dashboard import cli
from dashboard.definition.consultation import Consultation, load_consultation
from dashboard.publish import render
from dashboard.store import database
from dashboard.store.gate import StoreGate
from dashboard.web import access

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
REALDATA = ROOT.parent / "shared" / "realdata"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Every request for another host goes to a proxy on a closed local port, so it fails on
    # this machine (the pages' own server, on loopback, is reached directly: Chromium never
    # sends loopback through a proxy). The tests' guard (tests/test_browser.py, Session)
    # records every request and fails the test on any for another host; blocking them here
    # rather than by intercepting each request in Playwright keeps Chromium's HTTP cache
    # (interception turns it off), so a page's scripts are not fetched and compiled anew on
    # every visit.
    "--proxy-server=127.0.0.1:9",
]
TIMEOUT_MS = 30_000

# The app lets nobody in without sign-in unless the operator asks for the local administrator,
# as `make run` does; the tests open the sample the same way (and those of sign-in unset it).
os.environ[access.LOCAL_ADMIN_SETTING] = "1"

# Every AppTest run scans the metadata of all ~180 installed distributions for Streamlit
# components (0.5 to 1 s each time); a served app scans once at start. The installed packages
# do not change during a test session, so the scan is made once per process here too.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)


@pytest.fixture(autouse=True)
def _apps_let_go_of_their_stores() -> Iterator[None]:
    """After each test, the app's store gates (cached for the process under AppTest) let go of
    their stores: a read-only gate left open would keep a later test of this process from
    opening the same file for writing (DuckDB: one configuration per file and process)."""
    yield
    StoreGate.close_all()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = database.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def sample_consultation() -> Consultation:
    return load_consultation(SAMPLE_DIR / "civic-space-2020.toml")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the sample consultation loaded through the CLI (read it, don't change it)."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    assert cli.main(["load-sample", "--db", str(path)]) == 0
    return path


def copy_of(sample_db: Path, folder: Path) -> Path:
    """A private copy of the sample store in `folder`: for whatever writes to it, an export
    included (its audit entry), so that the shared store stays as loaded for every test."""
    target = folder / "sample-copy.duckdb"
    shutil.copy(sample_db, target)
    return target


@pytest.fixture(scope="session")
def suppressed_pack(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default report pack (figures suppressed, no filter, in English) of a private copy of
    the sample store (the export is audited in it), made once per session (per xdist worker) for
    the tests that only read it (test_exports, test_word_report): each module made its own, 45
    chart images drawn in Chromium each time. Read it, don't change it."""
    folder = tmp_path_factory.mktemp("suppressed")
    store = copy_of(sample_db, tmp_path_factory.mktemp("suppressed-store"))
    argv = [
        "export",
        "--consultation",
        "civic-space-2020",
        "--db",
        str(store),
        "--out",
        str(folder),
    ]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert cli.main(argv) == 0, out.getvalue()
    return folder


@pytest.fixture
def sample_copy(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample store, for tests that write."""
    return copy_of(sample_db, tmp_path)


@pytest.fixture(scope="session")
def sample_server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `streamlit run` over its own copy of the sample store for the whole session (one per
    xdist worker), shared by the browser modules that only read through it (pages, filters,
    languages, accessibility, privacy): each started its own, and each paid for a cold server.
    A module whose tests write through the app (codes, imports) keeps a server of its own."""
    from tests.test_browser import serve  # the browser tests' module imports this one

    with serve(sample_db, tmp_path_factory.mktemp("sample-server")) as url:
        yield url


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real exports not found at {REALDATA} (see the README: Tests)")
    return REALDATA


def store_snapshot(path: Path, ignore: tuple[str, ...] = ()) -> dict[str, object]:
    """Every table's row count and content checksum, to show a store did not change. Read-only,
    so that it runs beside the app (which holds the store read-only between its writes, also
    in this process under AppTest); for writing when this process already has it so."""
    # The app's own settings: DuckDB refuses a second connection to a file with other ones.
    config = dict(database.CONNECTION_CONFIG)
    try:
        connection = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.ConnectionException:  # open for writing in this process: join that
        connection = duckdb.connect(str(path), config=config)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name"
            ).fetchall()
        ]
        return {
            table: connection.execute(
                f"SELECT count(*), sum(hash(t)) FROM {table} AS t"  # names from the catalogue
            ).fetchone()
            for table in tables
            if table not in ignore
        }
    finally:
        connection.close()


# Browser fixtures, shared by the browser test modules: Debian's Chromium, never a download.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI is set, so they must run")
        pytest.skip(message)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@contextlib.contextmanager
def blank_chart_images() -> Iterator[None]:
    """Chart images drawn blank while a test makes report packs for their other files (quotes,
    notes, tables): Chromium draws each real one, and a pack's made most of those tests' time."""
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    with pytest.MonkeyPatch.context() as patched:
        for kind in ("png", "svg", "pdf"):
            patched.setattr(render, kind, lambda figure, size=None: image.getvalue())
        yield
