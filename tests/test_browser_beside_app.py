"""The dashboard as `make run` serves it (`python -m dashboard.web.serve`, no address given, so
the defaults decide), open in Chromium, and the CLI run against the same store meanwhile.

Attacks: reach the server from another interface of this machine; read `/_stcore/metrics`;
run `summary`, `imports`, `export`, `import` and `undo` on the store the app holds. The app holds
the store read-only between its own writes (dashboard/store/gate.py), so the commands that read
run beside it and agree with its figures; the commands that write must say which process holds
the store and what to do, exit 1, print no traceback and change nothing; the export's audit entry
waits beside the store and lands with the app's next write. And the other way round: an import in
the app while a command reads the store waits, says so if the command does not let go, and goes
in once it has.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.store import database
from tests.conftest import SAMPLE_DIR, store_snapshot
from tests.test_browser import (
    ROOT,
    STARTUP_SECONDS,
    STOP_SECONDS,
    _free_port,
    _healthy,
    metric,
    navigate,
    settle,
)

pytestmark = pytest.mark.browser
CONSULTATION = "civic-space-2020"
# A new file for the app's import (the sample store has the sample's exports already).
LATE_NAME = "late_responses.csv"
LATE_ROWS = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1\n" + "".join(
    f"LATE-{i:03d},2020-01-20T10:00:00Z,Kenya,en,Other,Late answer {i}\n" for i in range(7)
)


@pytest.fixture(scope="module")
def served(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    workdir = tmp_path_factory.mktemp("beside")
    store = workdir / "store.duckdb"
    shutil.copy(sample_db, store)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            # As `make run`, but with no --server.address: .streamlit/config.toml decides.
            [sys.executable, "-m", "dashboard.web.serve", "--server.port", str(port)],
            cwd=ROOT,
            env={**os.environ, "DASHBOARD_DB": str(store), "DASHBOARD_LOCAL_ADMIN": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield {"url": url, "port": port, "pid": process.pid, "store": store, "dir": workdir}
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def app_open(served: dict, browser: Browser) -> Iterator[dict]:
    """A browser session on the Overview: from then on the app holds the store."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served["url"])
    settle(page, "Overview")
    yield {**served, "page": page}
    context.close()


def other_addresses() -> list[str]:
    """This machine's addresses that are not loopback (where a colleague's browser arrives)."""
    return [
        address.address.split("%")[0]
        for addresses in psutil.net_if_addrs().values()
        for address in addresses
        if address.family in (socket.AF_INET, socket.AF_INET6)
        and not address.address.startswith(("127.", "::1"))
    ]


def test_it_listens_on_this_machine_only(served: dict) -> None:
    listening = [
        c.laddr
        for c in psutil.Process(served["pid"]).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(ip == "127.0.0.1" for ip, _port in listening), listening
    for address in other_addresses():
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
            sock.settimeout(2)
            assert sock.connect_ex((address, served["port"])) != 0, address


def test_metrics_are_not_served(served: dict) -> None:
    # Without the launcher Streamlit answers with OpenMetrics text ("# TYPE session_events
    # counter"...); with it, the path falls through to the app's page like any unknown path.
    for accept in ("text/plain", "application/x-protobuf"):
        request = urllib.request.Request(
            f"{served['url']}/_stcore/metrics", headers={"Accept": accept}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                kind, body = response.headers.get("content-type", ""), response.read()
        except urllib.error.HTTPError as refused:
            assert refused.code == 404
            continue
        assert kind.startswith("text/html"), kind
        assert b"# TYPE" not in body and b"session_events" not in body


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def test_the_cli_reads_beside_the_running_app_and_agrees_with_it(app_open: dict) -> None:
    store, page = str(app_open["store"]), app_open["page"]
    result = run_cli("summary", "--consultation", CONSULTATION, "--json", "--db", store)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    # The app's Overview, on the same store at the same moment, says the same.
    expect(metric(page, "Respondents")).to_have_text(f"{figures['respondents']:,}")
    expect(metric(page, "Responses")).to_have_text(f"{figures['responses']:,}")
    assert figures["respondents"] == 3000

    result = run_cli("imports", "--consultation", CONSULTATION, "--db", store)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[2] for line in result.stdout.splitlines()] == [
        "responses_ru.xlsx",
        "reponses_fr.csv",
        "responses_en.csv",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["import", "--consultation", CONSULTATION, str(SAMPLE_DIR / "responses_en.csv")],
        ["undo", "--consultation", CONSULTATION, "--import", "1"],
    ],
)
def test_a_cli_write_beside_the_running_app_names_it_and_changes_nothing(
    command: list[str], app_open: dict
) -> None:
    before = store_snapshot(app_open["store"])
    result = run_cli(*command, "--db", str(app_open["store"]), "--wait", "1")
    no_traceback(result)
    assert result.returncode == 1
    assert f"is in use by process {app_open['pid']} (" in result.stderr
    assert "dashboard.web.serve" in result.stderr  # the holder's command line: the dashboard
    assert "Import page" in result.stderr and "(waited 1 s)" in result.stderr
    assert store_snapshot(app_open["store"]) == before


def test_a_cli_export_beside_the_app_is_audited_with_the_apps_next_write(app_open: dict) -> None:
    store, page = app_open["store"], app_open["page"]
    out = app_open["dir"] / "export"
    result = run_cli(
        "export", "--consultation", CONSULTATION, "--out", str(out), "--db", str(store)
    )
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert (out / "report.docx").stat().st_size > 0
    spool = database.spool_path(store)
    assert f"note: the audit entry waits in {spool}" in result.stderr
    assert '"action": "export"' in spool.read_text()
    # The Audit log page opens the store for writing a moment (the gate), which moves it in.
    navigate(page, "Audit log")
    log = page.locator('[data-testid="stDataFrame"]')
    expect(log).to_be_visible()
    assert spool.read_text() == ""
    con = database.connect(store, read_only=True)  # beside the app, read-only too
    try:
        rows = con.execute("SELECT who, details FROM audit_log WHERE action = 'export'").fetchall()
    finally:
        con.close()
    assert len(rows) == 1 and rows[0][0].startswith("cli:")
    assert json.loads(rows[0][1])["folder"] == str(out)
    navigate(page, "Overview")


def hold_read_only(store: Path) -> subprocess.Popen[str]:
    """A command reading the store (as a long `export` does) until its stdin closes."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print('held', flush=True); sys.stdin.read()",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def import_late(page: Page, folder: Path) -> None:
    late = folder / LATE_NAME
    late.write_text(LATE_ROWS, encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(late)
    settle(page, "Import")
    page.get_by_role("button", name=f"Import {LATE_NAME}", exact=True).click()


def test_an_import_in_the_app_while_a_command_reads_says_so_then_goes_in(
    app_open: dict, browser: Browser
) -> None:
    store = app_open["store"]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{app_open['url']}/import")
        settle(page, "Import")
        holder = hold_read_only(store)
        try:
            before = store_snapshot(store)
            import_late(page, app_open["dir"])
            busy = page.locator('[data-testid="stAlertContentError"]').filter(
                has_text=re.compile(r"The store is in use by another program \(process \d+ ")
            )
            expect(busy).to_be_visible(timeout=60_000)  # after the gate's bounded wait
            expect(busy).to_contain_text("Nothing was changed and nothing is lost")
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            assert f"process {holder.pid} (" in busy.inner_text()
            assert store_snapshot(store) == before
        finally:
            holder.communicate("", timeout=30)
        # The command is done: the same click imports (the checked upload was kept).
        page.get_by_role("button", name=f"Import {LATE_NAME}", exact=True).click()
        expect(
            page.locator('[data-testid="stAlertContentSuccess"]').filter(
                has_text=f"Imported {LATE_NAME}: 7 new respondents"
            )
        ).to_be_visible(timeout=60_000)
    finally:
        context.close()
    result = run_cli("summary", "--consultation", CONSULTATION, "--db", str(store))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["respondents"] == 3000 + 7
