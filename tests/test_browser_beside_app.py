"""The dashboard as `make run` serves it (`python -m dashboard.web.serve`, no address given, so
the defaults decide), open in Chromium, and the CLI run against the same store meanwhile.

Attacks: reach the server from another interface of this machine; read `/_stcore/metrics`;
run `summary`, `imports`, `export`, `import` and `undo` on the store the app holds. The CLI
cannot share the store with the running app (DuckDB: one process opens a file for writing), so
each command must say which process holds it and what to do, exit 1, and print no traceback.
"""

from __future__ import annotations

import os
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
from playwright.sync_api import Browser

from tests.conftest import SAMPLE_DIR
from tests.test_browser import ROOT, STARTUP_SECONDS, STOP_SECONDS, _free_port, _healthy, settle

pytestmark = pytest.mark.browser
CONSULTATION = "civic-space-2020"


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
    yield served
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


@pytest.mark.parametrize(
    "command",
    [
        ["summary", "--consultation", CONSULTATION],
        ["imports", "--consultation", CONSULTATION],
        ["export", "--consultation", CONSULTATION, "--out", "OUT"],
        ["import", "--consultation", CONSULTATION, str(SAMPLE_DIR / "responses_en.csv")],
        ["undo", "--consultation", CONSULTATION, "--import", "1"],
    ],
)
def test_the_cli_beside_the_running_app_names_it_and_exits_1(command, app_open: dict) -> None:
    args = [str(app_open["dir"] / "export") if a == "OUT" else a for a in command]
    result = run_cli(*args, "--db", str(app_open["store"]))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"is in use by process {app_open['pid']} (" in result.stderr
    assert "dashboard.web.serve" in result.stderr  # the holder's command line: the dashboard
    assert "Import page" in result.stderr
