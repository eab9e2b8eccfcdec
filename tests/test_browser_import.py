"""The Import page in headless Chromium: upload an export, change its mapping, import, see the
Overview change, undo, see it change back; and a progress bar while a large file is checked.

The server runs over a private store holding the sample consultation and only its English
export. Same rules as `test_browser.py`, whose helpers this reuses: every request that would
leave the machine fails in the browser and fails the test, and without Chromium at
/usr/bin/chromium the tests skip with a message (fail when `CI` is set). Screenshots go to
`test-output/screenshots/`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from dashboard import cli
from dashboard.importer import load, prepare
from dashboard.importer.pipeline import resolve_mapping
from dashboard.importer.reading import read_export
from dashboard.store import database
from dashboard.store.summary import summary
from tests.conftest import SAMPLE_DIR
from tests.test_browser import (
    Session,
    choose,
    metric,
    navigate,
    review_screenshot,
    serve,
    settle,
    warm_up,
)

pytestmark = pytest.mark.browser

CONSULTATION = "civic-space-2020"
ENGLISH = SAMPLE_DIR / "responses_en.csv"
FRENCH = SAMPLE_DIR / "reponses_fr.csv"
ZONE_LABEL = "Time zone of times written without one"
ZONE = "Europe/Paris"
OVERVIEW_CHARTS = 4
# The large export for the progress bar: one row per respondent, two questions (22 MB).
LARGE_ROWS = 300_000
LARGE_HEADERS = ["Respondent ID", "Submitted at", "Country", "Language", "Q1", "Q2"]
CHECK_STEPS = re.compile(
    "Checking…|Reading the file|Matching the columns|Reading times|Collecting the answers"
)
# Checking a file that size takes a few seconds; uploading it a few more.
LARGE_TIMEOUT_MS = 90_000


# --- browser, store and server -----------------------------------------------------------------


def cli_ok(*args: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = cli.main(list(args))
    assert status == 0, out.getvalue()


@pytest.fixture(scope="module")
def english_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample consultation with only its English export (read it, don't change it)."""
    db = tmp_path_factory.mktemp("english-only") / "store.duckdb"
    cli_ok("consultation", "add", str(SAMPLE_DIR / "civic-space-2020.toml"), "--db", str(db))
    cli_ok("import", "--consultation", CONSULTATION, "--db", str(db), str(ENGLISH))
    return db


@pytest.fixture(scope="module")
def server(
    browser: Browser, english_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One server over its own copy of the English-only store, its entry point run once."""
    with serve(english_db, tmp_path_factory.mktemp("import-server")) as url:
        warm_up(browser, url)
        yield url


@contextlib.contextmanager
def guarded(browser: Browser, url: str) -> Iterator[Session]:
    """A browser context on `url` whose requests must all stay on this machine."""
    session_ = Session(browser, url)
    try:
        yield session_
        if not session_.checked:
            session_.assert_nothing_left_the_machine()
    finally:
        session_.context.close()


@pytest.fixture
def session(browser: Browser, server: str) -> Iterator[Session]:
    with guarded(browser, server) as session_:
        yield session_


@pytest.fixture(scope="module")
def scratch_server(
    browser: Browser, english_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A second server, for tests whose imports would change the first one's figures."""
    with serve(english_db, tmp_path_factory.mktemp("scratch-server")) as url:
        yield url


@pytest.fixture
def scratch(browser: Browser, scratch_server: str) -> Iterator[Session]:
    with guarded(browser, scratch_server) as session_:
        yield session_


# --- expected figures --------------------------------------------------------------------------


def overview_figures(db: Path) -> dict[str, str]:
    """The Overview's Respondents, Responses and share inside the window, as the page writes
    them (no filters, the consultation's own time zone)."""
    con = database.connect(db, read_only=True)
    try:
        figures = summary(con, CONSULTATION)
    finally:
        con.close()
    during = figures["window"].get("during", {}).get("responses", 0)
    return {
        "Respondents": f"{figures['respondents']:,}",
        "Responses": f"{figures['responses']:,}",
        "Responses inside the window": f"{during / figures['responses']:.1%}",
    }


@pytest.fixture(scope="module")
def expected(english_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The Overview before the import, and after importing the French export with the time zone
    left alone or changed on the page (the two must differ, or the change would prove nothing)."""
    con = database.connect(english_db, read_only=True)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
    finally:
        con.close()
    data = FRENCH.read_bytes()
    detected = resolve_mapping(read_export(data, FRENCH.name), consultation, None)
    result = {"english": overview_figures(english_db)}
    for name, zone in (("utc", None), ("paris", ZONE)):
        db = tmp_path_factory.mktemp(f"expected-{name}") / "store.duckdb"
        shutil.copy(english_db, db)
        mapping = replace(detected, timezone=zone)
        con = database.connect(db)
        try:
            load(con, prepare(data, FRENCH.name, consultation, mapping, complete_mapping=True))
        finally:
            con.close()
        result[name] = overview_figures(db)
    assert result["english"]["Respondents"] == "2,407"
    assert result["paris"]["Respondents"] == "2,815"  # 2,407 + 408
    share = "Responses inside the window"
    assert result["utc"][share] != result["paris"][share], result
    return result


# --- page helpers ------------------------------------------------------------------------------


def upload(page: Page, path: Path) -> None:
    """Give `path` to the exports uploader (the first on the page; each file adds its own
    uploader for a saved mapping below it)."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(path)


def expect_overview(page: Page, figures: dict[str, str]) -> None:
    navigate(page, "Overview")
    settle(page, "Overview", OVERVIEW_CHARTS)
    for label, value in figures.items():
        expect(metric(page, label)).to_have_text(value)


def success(page: Page, pattern: str) -> None:
    expect(alert(page, "Success", pattern)).to_be_visible()


def alert(page: Page, kind: str, pattern: str) -> Locator:
    """The `kind` message (Success, Info, ...) whose text matches `pattern`."""
    return page.locator(f'[data-testid="stAlertContent{kind}"]').filter(
        has_text=re.compile(pattern)
    )


# --- tests -------------------------------------------------------------------------------------


def test_import_with_a_changed_mapping_then_undo(
    session: Session, expected: dict[str, dict]
) -> None:
    page = session.open("/import", "Import")
    upload(page, FRENCH)
    # The mapping, detected from the French headers, and the validation report.
    zone = page.get_by_role("combobox", name=ZONE_LABEL, exact=True)
    expect(zone).to_be_visible()
    expect(page.get_by_role("combobox", name="Respondent id", exact=True)).to_have_value(
        "Identifiant"
    )
    expect(metric(page, "Respondents")).to_have_text("408")
    settle(page, "Import")
    expect(zone).to_have_value("UTC")

    # Change one mapping on the page: times without a zone are Paris time.
    choose(page, ZONE_LABEL, ZONE)
    expect(zone).to_have_value(ZONE)
    settle(page, "Import")
    expect(metric(page, "Respondents")).to_have_text("408")
    expect(metric(page, "Responses")).to_have_text("1,601")
    expect(metric(page, "Rows read")).to_have_text("1,690")
    review_screenshot(page, "import-before")

    page.get_by_role("button", name=f"Import {FRENCH.name}", exact=True).click()
    success(page, rf"^Imported {re.escape(FRENCH.name)}: 408 new respondents and 1,601 responses")
    settle(page, "Import")
    review_screenshot(page, "import-after")

    # The Overview counts the French respondents, with times read in Paris time.
    expect_overview(page, expected["paris"])

    # Back on the Import page, undo the newest import (selected by default).
    navigate(page, "Import")
    choice = page.get_by_role("combobox", name="Undo an import", exact=True)
    expect(choice).to_have_value(re.compile(rf"^\d+: {re.escape(FRENCH.name)}$"))
    undo = page.get_by_role("button", name="Undo import", exact=True)
    expect(undo).to_be_disabled()
    confirm = page.get_by_role("checkbox", name="Yes, remove its rows", exact=True)
    expect(confirm).not_to_be_checked()
    # Its label covers the box, as for a person: click the words.
    page.locator('[data-testid="stCheckbox"]').filter(has=confirm).locator("label").click()
    expect(confirm).to_be_checked()
    expect(undo).to_be_enabled()
    undo.click()
    success(page, r"^Import \d+ undone; 408 respondents' records removed or rebuilt\.$")
    settle(page, "Import")

    expect_overview(page, expected["english"])
    session.assert_nothing_left_the_machine()


@pytest.fixture(scope="module")
def large_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wide export of LARGE_ROWS respondents, every one with a distinct id."""
    path = tmp_path_factory.mktemp("large") / "large_wide.csv"
    countries = ["Senegal", "France", "Brazil", "India", "Kenya", "Switzerland", "Japan", "Peru"]
    languages = ["en", "fr", "es", "ar", "zh", "ru"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(LARGE_HEADERS)
        for i in range(LARGE_ROWS):
            writer.writerow(
                [
                    f"L-{i:06d}",
                    f"2020-01-{13 + i % 11:02d}T{9 + i % 9:02d}:{i % 60:02d}:00Z",
                    countries[i % len(countries)],
                    languages[i % len(languages)],
                    f"Partnership answer {i}",
                    "" if i % 3 == 0 else f"Access {i % 97}",
                ]
            )
    return path


def test_a_large_file_shows_progress_while_it_is_checked(
    session: Session, large_export: Path
) -> None:
    page = session.open("/import", "Import")
    # st.progress (the uploader's own bar is another element), labelled with the step.
    progress = page.locator('[data-testid="stProgress"]').filter(has_text=CHECK_STEPS)
    respondents = metric(page, "Respondents")
    started = time.monotonic()
    upload(page, large_export)
    expect(progress).to_be_visible(timeout=LARGE_TIMEOUT_MS)
    shown = time.monotonic()
    expect(respondents).to_have_text(f"{LARGE_ROWS:,}", timeout=LARGE_TIMEOUT_MS)
    expect(progress).to_have_count(0)
    checked = time.monotonic()
    expect(metric(page, "Rows read")).to_have_text(f"{LARGE_ROWS:,}")
    expect(metric(page, "Rows refused")).to_have_text("0")
    settle(page, "Import")
    print(
        f"{large_export.stat().st_size / 1e6:.1f} MB, {LARGE_ROWS:,} rows: progress bar after "
        f"{shown - started:.1f} s, report {checked - shown:.1f} s later"
    )
    session.assert_nothing_left_the_machine()


# --- app bugs found here, fixed since; kept as regression tests ---


def small_export(folder: Path, prefix: str, rows: int = 5) -> Path:
    """A wide export of `rows` respondents whose ids (`prefix`-n) no other file has."""
    path = folder / f"{prefix}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(LARGE_HEADERS)
        for i in range(rows):
            writer.writerow([f"{prefix}-{i}", "2020-01-15T10:00:00Z", "Kenya", "en", "Yes", ""])
    return path


def tick_confirmation(page: Page) -> None:
    confirm = page.get_by_role("checkbox", name="Yes, remove its rows", exact=True)
    if not confirm.is_checked():
        page.locator('[data-testid="stCheckbox"]').filter(has=confirm).locator("label").click()
        # The click reruns the page: until the rerun ends, the box can show twice (the one
        # clicked and the one the rerun draws), which a strict locator refuses; the stale one
        # can outlast `settle` on a busy machine, so wait for it to go.
        settle(page, "Import")
        expect(confirm).to_have_count(1)
    expect(confirm).to_be_checked()
    settle(page, "Import")


def test_undo_asks_again_before_the_next_undo(scratch: Session, tmp_path: Path) -> None:
    export = small_export(tmp_path, "confirm")
    page = scratch.open("/import", "Import")
    upload(page, export)
    page.get_by_role("button", name=f"Import {export.name}", exact=True).click()
    success(page, rf"^Imported {export.name}: 5 new respondents")
    settle(page, "Import")
    choice = page.get_by_role("combobox", name="Undo an import", exact=True)
    expect(choice).to_have_value(re.compile(rf"^\d+: {export.name}$"))
    tick_confirmation(page)
    page.get_by_role("button", name="Undo import", exact=True).click()
    success(page, r"^Import \d+ undone")
    settle(page, "Import")
    # The selection moved on to another import (the English export)...
    expect(choice).not_to_have_value(re.compile(re.escape(export.name)))
    # ...so the confirmation given for the one just undone must be asked for again.
    confirm = page.get_by_role("checkbox", name="Yes, remove its rows", exact=True)
    expect(confirm).not_to_be_checked(timeout=5_000)
    expect(page.get_by_role("button", name="Undo import", exact=True)).to_be_disabled()
    scratch.assert_nothing_left_the_machine()


def test_importing_again_after_an_undo_says_it_was_imported(
    scratch: Session, tmp_path: Path
) -> None:
    export = small_export(tmp_path, "again")
    page = scratch.open("/import", "Import")
    upload(page, export)
    button = page.get_by_role("button", name=f"Import {export.name}", exact=True)
    button.click()
    success(page, rf"^Imported {export.name}: 5 new respondents")
    settle(page, "Import")
    button.click()
    expect(alert(page, "Info", rf"^{export.name} was already imported")).to_be_visible()
    settle(page, "Import")
    choice = page.get_by_role("combobox", name="Undo an import", exact=True)
    expect(choice).to_have_value(re.compile(rf"^\d+: {export.name}$"))
    tick_confirmation(page)
    page.get_by_role("button", name="Undo import", exact=True).click()
    success(page, r"^Import \d+ undone; 5 respondents")
    settle(page, "Import")

    button.click()
    settle(page, "Import")
    # It was imported again: the history has it anew...
    expect(choice).to_have_value(re.compile(rf"^\d+: {export.name}$"))
    # ...and the page must say so, not that nothing was added.
    expect(alert(page, "Info", "was already imported")).to_have_count(0, timeout=5_000)
    success(page, rf"^Imported {export.name}: 5 new respondents")
    scratch.assert_nothing_left_the_machine()
