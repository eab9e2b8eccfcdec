"""The real app in headless Chromium, served by `streamlit run` over a copy of the sample store.

What AppTest cannot show: the pages render in a browser, the charts are drawn, the map geometry
comes from the app itself (every request that would leave the machine fails in the browser and
fails the test), the filters live in the URL so a copied link reopens the same view, and answers
are shown as text. Screenshots of every page go to `test-output/screenshots/`.

Needs Debian's Chromium at /usr/bin/chromium: without it these tests skip with a message, except
when `CI` is set, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    expect,
)

from dashboard.protection import perturbation
from dashboard.store import database
from dashboard.store.queries import Filters
from dashboard.store.summary import summary
from tests.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CONSULTATION = "civic-space-2020"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
STARTUP_SECONDS = 60
STOP_SECONDS = 10
VIEWPORT = {"width": 1400, "height": 900}
SKELETONS = ", ".join(
    f'[data-testid="{testid}"]' for testid in ("stSkeleton", "stSkeletonElement", "stAppSkeleton")
)

# page: (path, title, charts drawn on it with the sample store and no filters)
PAGES = {
    "overview": ("/", "Overview", 4),
    "regions": ("/regions", "Regions", 3),
    "languages": ("/languages", "Languages", 3),
    "themes": ("/themes", "Themes", 7),
    "timeline": ("/timeline", "Timeline", 3),
    "responses": ("/responses", "Responses", 0),
}


# --- server and browser ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


@contextmanager
def serve(sample_db: Path, workdir: Path) -> Iterator[str]:
    """`streamlit run dashboard/web/app.py` from the project root over its own copy of the store."""
    db = workdir / "store.duckdb"
    shutil.copy(sample_db, db)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/web/app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,  # Streamlit reads .streamlit/config.toml from the working directory
            env={**os.environ, "DASHBOARD_DB": str(db)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                state = (
                    f"exited with {process.returncode}"
                    if process.poll() is not None
                    else f"not healthy after {STARTUP_SECONDS} s"
                )
                log_text = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"streamlit {state}; its log:\n{log_text}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(browser: Browser, sample_server: str) -> str:
    """The session's server over the sample store (conftest), its entry point run once (a visit
    to "/") before the tests, so that each test checks its own subject. A deep link as the very
    first visit is checked on a server of its own by
    `test_a_deep_link_works_on_a_freshly_started_server`."""
    warm_up(browser, sample_server)
    return sample_server


def warm_up(browser: Browser, url: str) -> None:
    """Run the server's entry point once (a visit to "/"), so that the tests after it measure
    and check their own pages, not the first run's start-up."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{url}/")
        settle(page, "Overview")
    finally:
        context.close()


@pytest.fixture(scope="module")
def expected(sample_db: Path) -> dict[str, dict]:
    """The summary figures the pages must show (same connection settings as the app)."""
    con = database.connect(sample_db)
    try:
        return {
            "all": summary(con, CONSULTATION, Filters()),
            "africa": summary(con, CONSULTATION, Filters(regions=("Africa",))),
            # Under a filter the Overview shows the perturbed figure (issue 19).
            "africa_shown": {
                "respondents": perturbation.totals(
                    con, CONSULTATION, Filters(regions=("Africa",)), 5
                ).respondents
            },
        }
    finally:
        con.close()


# --- network guard -----------------------------------------------------------------------------


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


class Session:
    """A browser context whose every request is recorded; a request for anything but this
    machine fails in the browser (conftest's CHROMIUM_ARGS send it to a proxy on a closed
    local port), and `assert_nothing_left_the_machine` lists it. No request is intercepted:
    Playwright turns Chromium's HTTP cache off while it intercepts, and every page visit
    would then fetch and compile the app's scripts anew."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.base_url = base_url
        self.requests: list[str] = []
        self.checked = False
        self.context: BrowserContext = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        page.on("websocket", lambda socket_: self.requests.append(socket_.url))

    def external(self) -> list[str]:
        return sorted({url for url in self.requests if not is_local(url)})

    def open(self, path: str, title: str | None = None, charts: int = 0) -> Page:
        """A new tab on `path` (or on a whole URL, such as a copied link), once settled."""
        page = self.context.new_page()
        page.goto(path if urlparse(path).scheme else self.base_url + path)
        settle(page, title, charts)
        return page

    def assert_nothing_left_the_machine(self) -> None:
        self.checked = True
        outside = self.external()
        assert not outside, f"requests to other hosts (blocked): {outside}"
        assert self.requests, "no request was recorded: the guard is not listening"


Guarded = TypeVar("Guarded")


def guarded(session: Guarded) -> Iterator[Guarded]:
    """A fixture's body for a guarded browser context (a `Session`, or the sign-in tests'
    `Guard`): after the test, check what left the machine (unless the test did), and close the
    context."""
    yield session
    try:
        if not session.checked:
            session.assert_nothing_left_the_machine()
    finally:
        session.context.close()


@pytest.fixture
def session(browser: Browser, server: str) -> Iterator[Session]:
    yield from guarded(Session(browser, server))


# --- page helpers ------------------------------------------------------------------------------


def settle(page: Page, title: str | None = None, charts: int = 0) -> None:
    """Wait until Streamlit is connected and idle, the title shows and `charts` are drawn."""
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
    expect(app).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.locator('[data-testid="stStatusWidget"]')).to_be_hidden()
    # Widgets whose code is still loading show as grey placeholders for a moment.
    expect(page.locator(SKELETONS)).to_have_count(0)
    if title is not None:
        expect(page.locator("h1").first).to_have_text(title)
    if charts:
        page.wait_for_function(
            """n => {
                const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
                return charts.length >= n
                    && [...charts].every(c => c.querySelector('.js-plotly-plot .main-svg'));
            }""",
            arg=charts,
        )
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def screenshot(page: Page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is made as tall
    as the content for the shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        """() => Math.max(
            document.documentElement.scrollHeight,
            ...[...document.querySelectorAll(
                '[data-testid="stMain"], [data-testid="stSidebarContent"]'
            )].map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height), 10_000)})
    page.evaluate("() => document.fonts.ready")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    expect(page.locator(SKELETONS)).to_have_count(0)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(VIEWPORT)
    return path


def review_screenshot(page: Page, name: str) -> None:
    """A whole-page shot for a person to look at, asserted on by nothing: taken only with
    SCREENSHOTS=1 (each costs the page a relayout twice over, its charts redrawn)."""
    if os.environ.get("SCREENSHOTS") == "1":
        screenshot(page, name)


def metric(page: Page, label: str) -> Locator:
    return (
        page.locator('[data-testid="stMetric"]')
        .filter(
            has=page.locator(
                '[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$")
            )
        )
        .locator('[data-testid="stMetricValue"]')
    )


def chips(page: Page, label: str) -> Locator:
    """The selected values shown in the multiselect labelled `label`."""
    return (
        page.locator('[data-testid="stMultiSelect"]')
        .filter(has=page.get_by_role("combobox", name=label))
        .locator(".react-aria-ComboBox [data-tag]")
    )


def choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the select box or multiselect labelled `label` (typing filters long
    lists), then close its list."""
    combo = page.get_by_role("combobox", name=label)
    combo.click()
    combo.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    combo.press("Escape")


def navigate(page: Page, title: str) -> None:
    """Follow the sidebar navigation link to the page `title`."""
    page.locator('[data-testid="stSidebarNav"] a').filter(
        has_text=re.compile(f"^{re.escape(title)}$")
    ).click()
    expect(page.locator("h1").first).to_have_text(title)
    settle(page, title)


def window_annotations(page: Page) -> Locator:
    return page.locator(".js-plotly-plot").first.locator(".annotation-text")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def count(text: str) -> int:
    return int(text.replace(",", ""))


# --- tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_error(session: Session, name: str) -> None:
    path, title, charts = PAGES[name]
    page = session.open(path, title, charts)
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator(".js-plotly-plot")).to_have_count(charts)
    if charts:
        # Plotly's toolbar is there, without its camera (a PNG outside roles and the log).
        expect(page.locator(".js-plotly-plot .modebar").first).to_be_attached()
        expect(page.locator('.modebar-btn[data-title*="png" i]')).to_have_count(0)
    assert (
        "civil society space"
        in page.locator(
            '[data-testid="stMain"] [data-testid="stCaptionContainer"]'
        ).first.inner_text()
    )
    shot = screenshot(page, name)
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    session.assert_nothing_left_the_machine()


def test_map_draws_countries_from_geometry_served_locally(session: Session) -> None:
    page = session.open("/regions", "Regions", PAGES["regions"][2])
    countries = page.locator(".js-plotly-plot .geo path.choroplethlocation")
    page.wait_for_function(
        "() => document.querySelectorAll('path.choroplethlocation').length > 100"
    )
    assert countries.count() > 100
    served = [u for u in session.requests if urlparse(u).path == "/app/static/world_110m.json"]
    assert served, "the map geometry was not fetched from /app/static/world_110m.json"
    session.assert_nothing_left_the_machine()


def test_timeline_shades_and_labels_the_window(session: Session) -> None:
    page = session.open("/timeline", "Timeline", PAGES["timeline"][2])
    first = page.locator(".js-plotly-plot").first
    expect(first.locator(".layer-below .shapelayer path")).not_to_have_count(0)
    expect(window_annotations(page)).to_have_text(
        ["Opens 13 Jan 2020 09:00 UTC", "Closes 24 Jan 2020 18:00 UTC"]
    )
    session.assert_nothing_left_the_machine()


def test_region_filter_lives_in_the_url_and_follows_the_user(
    session: Session, expected: dict[str, dict]
) -> None:
    everyone = f"{expected['all']['respondents']:,}"
    exact_africa = f"{expected['africa']['respondents']:,}"
    assert (everyone, exact_africa) == ("3,000", "921")  # the sample consultation
    africa = f"{expected['africa_shown']['respondents']:,}"
    assert africa != exact_africa  # under a filter the figure is perturbed, never exact
    page = session.open("/", "Overview", PAGES["overview"][2])
    respondents = metric(page, "Respondents")
    expect(respondents).to_have_text(everyone)

    choose(page, "Region (M49)", "Africa")
    expect(respondents).not_to_have_text(everyone)
    settle(page, "Overview")
    expect(respondents).to_have_text(africa)
    assert count(respondents.inner_text()) < count(everyone)
    expect(chips(page, "Region (M49)")).to_have_text(["Africa"])
    assert query(page).get("region") == ["Africa"], page.url
    link = page.url

    copied = session.open(link, "Overview")
    expect(metric(copied, "Respondents")).to_have_text(africa)
    expect(chips(copied, "Region (M49)")).to_have_text(["Africa"])
    assert copied.url == link

    navigate(page, "Languages")
    assert urlparse(page.url).path == "/languages", page.url
    assert query(page).get("region") == ["Africa"], page.url
    expect(chips(page, "Region (M49)")).to_have_text(["Africa"])
    expect(
        page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    ).to_contain_text("filtered")
    session.assert_nothing_left_the_machine()


def test_time_zone_moves_the_window_labels_and_lives_in_the_url(session: Session) -> None:
    page = session.open("/timeline", "Timeline", PAGES["timeline"][2])
    expect(window_annotations(page).first).to_have_text("Opens 13 Jan 2020 09:00 UTC")

    choose(page, "Time zone", "Asia/Tokyo")
    expect(window_annotations(page).first).to_have_text("Opens 13 Jan 2020 18:00 Asia/Tokyo")
    settle(page, "Timeline")
    assert query(page).get("tz") == ["Asia/Tokyo"], page.url

    copied = session.open(page.url, "Timeline")
    expect(copied.get_by_role("combobox", name="Time zone")).to_have_value("Asia/Tokyo")
    expect(window_annotations(copied)).to_have_text(
        ["Opens 13 Jan 2020 18:00 Asia/Tokyo", "Closes 25 Jan 2020 03:00 Asia/Tokyo"]
    )
    session.assert_nothing_left_the_machine()


def test_answers_are_shown_as_text(session: Session) -> None:
    page = session.open("/responses", "Responses")
    answers = page.locator('[data-testid="stMain"] [data-testid="stHtml"] div[dir="auto"]')
    expect(answers.first).to_be_visible()
    assert answers.count() >= 1
    assert answers.first.inner_text().strip(), "the first answer card is empty"
    # Escaped text: an answer is one element holding text and, around what the codebook's
    # keywords matched, <mark> elements holding text only; nothing in the main block is a
    # script (Streamlit's own scripts live in the document head).
    inside = answers.evaluate_all(
        "els => els.flatMap(e => [...e.children].map(c => c.tagName + c.childElementCount))"
    )
    assert set(inside) <= {"MARK0"}, inside
    expect(answers.locator("mark").first).to_be_visible()
    expect(page.locator('[data-testid="stMain"] script')).to_have_count(0)
    session.assert_nothing_left_the_machine()


def test_the_guard_blocks_and_lists_a_request_for_another_host(session: Session) -> None:
    """The guard can fail: a request for another host, by name or by address, fails in the
    browser and is listed."""
    page = session.open("/", "Overview")
    for url in ("http://example.invalid/x.png", "http://192.0.2.1/x.png"):
        outcome = page.evaluate(
            "url => fetch(url, {mode: 'no-cors'}).then(() => 'fetched', () => 'failed')", url
        )
        assert outcome == "failed", url
    assert session.external() == ["http://192.0.2.1/x.png", "http://example.invalid/x.png"]
    with pytest.raises(AssertionError, match="requests to other hosts"):
        session.assert_nothing_left_the_machine()


def test_a_deep_link_works_on_a_freshly_started_server(
    browser: Browser, sample_db: Path, tmp_path: Path
) -> None:
    """A copied link is often the first thing opened after the server (re)starts."""
    with serve(sample_db, tmp_path) as url:
        guarded = Session(browser, url)
        try:
            page = guarded.open("/languages?region=Africa")
            heading = page.locator("h1").first.inner_text()
            nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
            assert heading == "Languages", (
                f"/languages?region=Africa on a fresh server shows {heading!r} with navigation "
                f"{nav}: Streamlit ran the page's file on its own, without the entry point "
                "(app.py) and its filters (a `pages/` folder beside app.py does this)"
            )
            expect(chips(page, "Region (M49)")).to_have_text(["Africa"])
            caption = page.locator(
                '[data-testid="stMain"] [data-testid="stCaptionContainer"]'
            ).first
            expect(caption).to_contain_text("filtered")
            guarded.assert_nothing_left_the_machine()
        finally:
            with suppress(Exception):
                guarded.context.close()
