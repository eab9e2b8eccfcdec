"""Sign-in in real Chromium through a real OpenID Connect provider, once as each role.

The test starts `oidc-provider-mock` on 127.0.0.1 in a thread, and `streamlit run
dashboard/web/app.py` from the project root over a private copy of the sample store, with
`DASHBOARD_ROLES` and the `[auth]` secrets in temporary files (`--secrets.files`, so nothing is
written into the project's `.streamlit/`). Each role signs in in a fresh browser context: the
app's "Sign in" button, the provider's login form (its subject becomes the `email` claim), back
to the app; then the test checks what that role can and cannot see or download, and signs out.

Same rules as `test_browser.py`, whose helpers this reuses: a request for anything but the app's
and the provider's ports on this machine is aborted and fails the test (the provider's login
page links a stylesheet on a CDN: that one is aborted too, and is the only one allowed to have
been tried), and without Chromium at /usr/bin/chromium the tests skip with a message (fail when
`CI` is set). Screenshots go to `test-output/screenshots/signin-<role>.png`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import docx
import oidc_provider_mock
import pytest
import werkzeug.serving
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Request,
    Route,
    expect,
)

from tests.test_browser import (
    LOCAL_HOSTS,
    LOCAL_SCHEMES,
    ROOT,
    STARTUP_SECONDS,
    STOP_SECONDS,
    TIMEOUT_MS,
    VIEWPORT,
    _free_port,
    _healthy,
    guarded,
    metric,
    screenshot,
    settle,
)

pytestmark = [
    pytest.mark.browser,
    # oidc-provider-mock 0.3.4 calls an Authlib API that Authlib 1.9 deprecates: theirs, not ours.
    pytest.mark.filterwarnings("ignore:get_jwt_config.*is deprecated:DeprecationWarning"),
]

ACCOUNTS = {
    "admin": "alice@ohchr.org",
    "analyst": "bob@ohchr.org",
    "viewer": "dan@un.org",  # by its domain
    "no-role": "eve@example.org",  # not listed, and no default
}
ROLES_TOML = """
admin = ["alice@ohchr.org"]
analyst = ["bob@ohchr.org"]
viewer = ["@un.org"]
"""
VIEWER_PAGES = ["Overview", "Regions", "Languages", "Themes", "Timeline"]
ANALYST_PAGES = [*VIEWER_PAGES, "Compare", "Responses", "Topics", "Codebook", "Tag review"]
ADMIN_PAGES = [*ANALYST_PAGES, "Import", "Consultations", "Audit log"]
OVERVIEW_CHARTS = 4
SIGN_IN_TITLE = "Consultation dashboard"
# The provider's pages link Pico CSS on a CDN; the guard aborts it like anything else.
PROVIDER_STYLESHEET_HOST = "cdn.jsdelivr.net"
ANSWERS = '[data-testid="stMain"] [data-testid="stHtml"] div[dir="auto"]'


# --- the identity provider, the app and the browser --------------------------------------------


@contextmanager
def identity_provider() -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 (its own helper binds "localhost"), in a thread. Any
    client id and secret are accepted; its login form takes a subject, which becomes the user's
    `email` claim too. The accounts below are known to it with their address verified (the app
    gives no role to an unverified one); any other subject gets an unverified address."""
    users = [
        oidc_provider_mock.User(sub=email, claims={"email": email, "email_verified": True})
        for email in ACCOUNTS.values()
    ]
    provider = oidc_provider_mock.app(user_claims=users)
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(STOP_SECONDS)
        server.server_close()


def auth_secrets(app_url: str, provider_url: str) -> str:
    return f"""
[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "{secrets.token_urlsafe(32)}"
client_id = "consultation-dashboard"
client_secret = "{secrets.token_urlsafe(16)}"
server_metadata_url = "{provider_url}/.well-known/openid-configuration"
"""


@contextmanager
def serve_with_sign_in(sample_db: Path, workdir: Path, provider_url: str) -> Iterator[str]:
    """`streamlit run dashboard/web/app.py` from the project root (for `.streamlit/config.toml`),
    over its own copy of the store, with roles and `[auth]` from files in `workdir`."""
    db = workdir / "store.duckdb"
    shutil.copy(sample_db, db)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    roles_file = workdir / "roles.toml"
    roles_file.write_text(ROLES_TOML, encoding="utf-8")
    secrets_file = workdir / "secrets.toml"
    secrets_file.write_text(auth_secrets(url, provider_url), encoding="utf-8")
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
        # Replaces the default search path (~/.streamlit and ./.streamlit), so only this file.
        "--secrets.files",
        str(secrets_file),
    ]
    env = {**os.environ, "DASHBOARD_DB": str(db), "DASHBOARD_ROLES": str(roles_file)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
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


@dataclass(frozen=True)
class Servers:
    app: str
    provider: str


@pytest.fixture(scope="module")
def servers(
    browser: Browser, sample_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    workdir = tmp_path_factory.mktemp("browser-signin")
    with (
        identity_provider() as provider,
        serve_with_sign_in(sample_db, workdir, provider) as app,
    ):
        yield Servers(app=app, provider=provider)


@pytest.fixture(scope="module")
def downloads() -> list[tuple[str, str, str]]:
    """(who, action, file name) of every download made through this module's server, so that
    the administrator's test can find them in the audit log (whichever tests ran before it
    here)."""
    return []


# --- network guard -----------------------------------------------------------------------------


class Guard:
    """A browser context whose every request is recorded with the page that made it; a request
    for anything but the app's or the provider's port on this machine is aborted, and
    `assert_nothing_left_the_machine` lists it (bar the provider's stylesheet on its own pages)."""

    def __init__(self, browser: Browser, servers: Servers) -> None:
        self.servers = servers
        self.allowed = {urlparse(servers.app).port, urlparse(servers.provider).port}
        self.requests: list[tuple[str, str]] = []  # (url, url of the page that asked)
        self.checked = False
        self.context: BrowserContext = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.route("**/*", self._route)
        self.context.on("request", lambda r: self.requests.append((r.url, _page_url(r))))
        self.context.on("page", self._watch_page)

    def allows(self, url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in LOCAL_SCHEMES or (
            parsed.hostname in LOCAL_HOSTS and parsed.port in self.allowed
        )

    def _route(self, route: Route) -> None:
        if self.allows(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _watch_page(self, page: Page) -> None:
        page.on("websocket", lambda socket_: self.requests.append((socket_.url, page.url)))

    def _providers_stylesheet(self, url: str, page_url: str) -> bool:
        return (
            urlparse(url).hostname == PROVIDER_STYLESHEET_HOST
            and urlparse(page_url).netloc == urlparse(self.servers.provider).netloc
        )

    def external(self) -> list[str]:
        """Requests for other hosts or other local ports (all aborted), bar the provider's."""
        return sorted(
            {
                url
                for url, page_url in self.requests
                if not self.allows(url) and not self._providers_stylesheet(url, page_url)
            }
        )

    def assert_nothing_left_the_machine(self) -> None:
        self.checked = True
        outside = self.external()
        assert not outside, f"requests to other hosts or ports (aborted): {outside}"
        assert self.requests, "no request was recorded: the guard is not listening"


def _page_url(request: Request) -> str:
    try:
        return request.frame.url
    except Exception:  # a request without a frame (a service worker's)
        return ""


@pytest.fixture
def guard(browser: Browser, servers: Servers) -> Iterator[Guard]:
    yield from guarded(Guard(browser, servers))


# --- page helpers ------------------------------------------------------------------------------


def expect_sign_in_page(page: Page) -> None:
    """The sign-in page: one button, "Sign in", and no figures, charts or navigation."""
    settle(page, SIGN_IN_TITLE)
    expect(page.locator('[data-testid="stButton"] button')).to_have_text(["Sign in"])
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(0)
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(0)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    expect(page.locator('[data-testid="stDownloadButton"]')).to_have_count(0)


def sign_in(guard: Guard, email: str, title: str = "Overview", charts: int = 0) -> Page:
    """Open the app, press "Sign in", give `email` to the provider's form, come back."""
    page = guard.context.new_page()
    page.goto(guard.servers.app + "/")
    expect_sign_in_page(page)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: url.startswith(f"{guard.servers.provider}/oauth2/authorize?"))
    expect(page.locator("h1")).to_have_text("Authorize Client")
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{guard.servers.app}/")
    settle(page, title, charts)
    return page


def sign_out(guard: Guard, page: Page) -> None:
    """Press "Sign out": the app sends the browser to the provider's end-session page, whose
    button returns to the app, which shows the sign-in page again, also on a fresh load."""
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(lambda url: url.startswith(f"{guard.servers.provider}/oauth2/end_session?"))
    page.get_by_role("button", name="End session", exact=True).click()
    page.wait_for_url(f"{guard.servers.app}/")
    expect_sign_in_page(page)
    page.reload()
    expect_sign_in_page(page)


def navigation(page: Page) -> list[str]:
    return page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()


def follow(page: Page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(
        has_text=re.compile(f"^{re.escape(title)}$")
    ).click()
    expect(page.locator("h1").first).to_have_text(title)
    settle(page, title)


def signed_in_as(page: Page) -> Locator:
    return page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').first


def download_first_chart_csv(page: Page) -> tuple[str, bytes]:
    """On the Overview: the first chart's "Download" popover, then "Table (CSV)"."""
    page.locator('[data-testid="stPopoverButton"]').first.click()
    csv_button = page.get_by_role("button", name="Table (CSV)", exact=True)
    expect(csv_button).to_be_visible()
    with page.expect_download() as info:
        csv_button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    content = Path(download.path()).read_bytes()
    page.keyboard.press("Escape")
    return download.suggested_filename, content


def audit_rows(page: Page) -> list[dict[str, str]]:
    """The Audit log's rows, read from the grid's accessible table (the grid draws on a canvas;
    only the rows in view are in the document, and the newest come first)."""
    grid = page.locator('[data-testid="stDataFrame"]')
    expect(grid.locator('[role="gridcell"]')).not_to_have_count(0)
    headers = grid.locator('[role="columnheader"]').all_inner_texts()
    rows = grid.locator('tr:has([role="gridcell"])').evaluate_all(
        """rows => rows.map(r =>
            [...r.querySelectorAll('[role="gridcell"]')].map(c => c.textContent.trim()))"""
    )
    return [dict(zip(headers, row, strict=False)) for row in rows]


# --- tests -------------------------------------------------------------------------------------


def test_the_guard_lets_through_only_the_app_and_the_provider(guard: Guard) -> None:
    page = guard.context.new_page()
    page.goto(guard.servers.app + "/")
    expect_sign_in_page(page)
    elsewhere = [f"http://127.0.0.1:{_free_port()}/", "https://example.org/"]
    for url in [*elsewhere, f"{guard.servers.provider}/.well-known/openid-configuration"]:
        page.evaluate("url => fetch(url, {mode: 'no-cors'}).catch(() => null)", url)
    assert guard.external() == sorted(elsewhere)
    guard.checked = True


def test_a_viewer_sees_the_figures_but_no_answers_and_no_downloads(guard: Guard) -> None:
    email = ACCOUNTS["viewer"]
    page = sign_in(guard, email, "Overview", OVERVIEW_CHARTS)
    expect(metric(page, "Respondents")).to_have_text("3,000")
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(OVERVIEW_CHARTS)
    expect(signed_in_as(page)).to_have_text(f"Signed in as {email} (viewer)")
    assert navigation(page) == VIEWER_PAGES
    expect(page.locator('[data-testid="stPopover"]')).to_have_count(0)
    expect(page.locator('[data-testid="stDownloadButton"]')).to_have_count(0)
    expect(page.get_by_role("button", name="Report pack (ZIP)")).to_have_count(0)
    expect(page.get_by_role("button", name="Word report (DOCX)")).to_have_count(0)
    expect(page.get_by_text("Administrator", exact=True)).to_have_count(0)
    shot = screenshot(page, "signin-viewer")
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"

    # A link straight to the Responses page is not served to a viewer: Streamlit does not know
    # that page in a viewer's navigation and runs the default one (the Overview) instead.
    direct = guard.context.new_page()
    direct.goto(guard.servers.app + "/responses")
    settle(direct, "Overview")
    expect(direct.locator(ANSWERS)).to_have_count(0)
    expect(direct.get_by_text("Search the answers")).to_have_count(0)
    assert "Responses" not in navigation(direct)
    direct.close()

    sign_out(guard, page)
    guard.assert_nothing_left_the_machine()


class ViewerCanDownload(AssertionError):
    """A viewer got a file: the numbers under charts must be static tables (no toolbar)."""


def test_a_viewer_cannot_download_the_numbers_behind_a_chart(guard: Guard) -> None:
    # Chromium would ask where to save (showSaveFilePicker), which a test cannot answer;
    # without that function the grid falls back to an ordinary download.
    guard.context.add_init_script("delete window.showSaveFilePicker")
    page = sign_in(guard, ACCOUNTS["viewer"], "Overview", OVERVIEW_CHARTS)
    page.get_by_text("Numbers behind this chart").first.click()
    settle(page, "Overview")
    # The numbers are shown (as a static table) but offer no download of their own.
    expect(page.locator('[data-testid="stTable"]').first).to_be_visible()
    toolbar_download = page.locator('[data-testid="stElementToolbar"]').get_by_role(
        "button", name="Download as CSV"
    )
    guard.assert_nothing_left_the_machine()
    if toolbar_download.count():
        page.locator('[data-testid="stExpanderDetails"]').first.hover()
        with page.expect_download() as info:
            toolbar_download.first.click()
        content = Path(info.value.path()).read_bytes()
        raise ViewerCanDownload(
            f"{toolbar_download.count()} 'Download as CSV' buttons; the first one gave "
            f"{info.value.suggested_filename}: {content[:60]!r}"
        )


def test_an_analyst_reads_answers_and_downloads(
    guard: Guard, downloads: list[tuple[str, str, str]]
) -> None:
    email = ACCOUNTS["analyst"]
    page = sign_in(guard, email, "Overview", OVERVIEW_CHARTS)
    expect(signed_in_as(page)).to_have_text(f"Signed in as {email} (analyst)")
    assert navigation(page) == ANALYST_PAGES
    popovers = page.locator('[data-testid="stPopoverButton"]')
    expect(popovers).to_have_count(OVERVIEW_CHARTS)
    expect(popovers).to_have_text([re.compile(r"^Download")] * OVERVIEW_CHARTS)
    expect(page.get_by_role("button", name="Report pack (ZIP)")).to_be_visible()
    expect(page.get_by_role("button", name="Word report (DOCX)")).to_be_visible()
    expect(page.get_by_text("Administrator", exact=True)).to_have_count(0)

    name, content = download_first_chart_csv(page)
    assert name.endswith(".csv"), name
    assert content.startswith(b"\xef\xbb\xbf"), content[:20]  # UTF-8 BOM, for Excel
    assert "Respondents" in content.decode("utf-8-sig")
    downloads.append((email, "download", name))

    # The Word report: made by the pack on click, a real document with its figures.
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="Word report (DOCX)").click()
    assert info.value.failure() is None, info.value.failure()
    report = docx.Document(info.value.path())
    captions = [p.text for p in report.paragraphs if p.style.name == "Caption"]
    assert "Figure 1. Respondents by country" in captions, captions[:3]
    assert info.value.suggested_filename == "civic-space-2020-report_all.docx"
    downloads.append((email, "word_report", info.value.suggested_filename))

    follow(page, "Responses")
    answers = page.locator(ANSWERS)
    expect(answers.first).to_be_visible()
    assert answers.first.inner_text().strip(), "the first answer card is empty"
    shot = screenshot(page, "signin-analyst")
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"

    sign_out(guard, page)
    guard.assert_nothing_left_the_machine()


def test_an_admin_has_every_page_and_finds_downloads_in_the_audit_log(
    guard: Guard, downloads: list[tuple[str, str, str]]
) -> None:
    email = ACCOUNTS["admin"]
    page = sign_in(guard, email, "Overview", OVERVIEW_CHARTS)
    expect(signed_in_as(page)).to_have_text(f"Signed in as {email} (admin)")
    assert navigation(page) == ADMIN_PAGES
    expect(page.get_by_text("Administrator", exact=True)).to_be_visible()
    name, _ = download_first_chart_csv(page)
    downloads.append((email, "download", name))

    follow(page, "Audit log")
    rows = audit_rows(page)
    logged = {(row.get("Who"), row.get("Action"), row.get("Details", "")) for row in rows}
    for who, made, file_name in downloads:  # the analyst's too, when that ran on this server
        assert any(
            w == who and action == made and f'"file": "{file_name}"' in details
            for w, action, details in logged
        ), f"no download of {file_name} by {who} in the audit log: {rows}"
    shot = screenshot(page, "signin-admin")
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"

    follow(page, "Import")
    follow(page, "Consultations")
    sign_out(guard, page)
    guard.assert_nothing_left_the_machine()


def test_an_account_without_a_role_is_told_so_and_sees_nothing(guard: Guard) -> None:
    email = ACCOUNTS["no-role"]
    page = sign_in(guard, email, SIGN_IN_TITLE)
    alert = page.locator('[data-testid="stAlert"]')
    expect(alert).to_contain_text(f"You are signed in as {email}")
    expect(alert).to_contain_text("gives that account no role")
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(0)
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(0)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    expect(page.locator('[data-testid="stDownloadButton"]')).to_have_count(0)
    shot = screenshot(page, "signin-no-role")
    assert shot.stat().st_size > 5_000, f"{shot} looks empty"

    sign_out(guard, page)
    guard.assert_nothing_left_the_machine()
