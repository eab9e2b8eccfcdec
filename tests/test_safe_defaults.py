"""Safe defaults, tried as a careless operator would: `make run` with DASHBOARD_DB set, the
server's address when nobody gives one, and the dependencies pinned with hashes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_browser import _free_port

MAKE = shutil.which("make")


def make_dry_run(*args: str, env: dict[str, str] | None = None) -> list[str]:
    """The commands `make run` would run (-n: printed, not run)."""
    if MAKE is None:
        pytest.skip("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k not in {"DASHBOARD_DB", "DB"}}
    result = subprocess.run(
        [MAKE, "-n", "--no-print-directory", *args],
        cwd=ROOT,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stdout.replace("\\\n", " ").splitlines()
    return [line for line in lines if "dashboard" in line]


def test_make_run_serves_and_fills_the_store_named_by_dashboard_db(tmp_path: Path) -> None:
    store = tmp_path / "mine.duckdb"
    commands = make_dry_run("run", env={"DASHBOARD_DB": str(store)})
    load, serve = [c for c in commands if "load-sample" in c or "dashboard.web.serve" in c]
    assert f"DASHBOARD_DB={store} " in load and f"DASHBOARD_DB={store} " in serve
    assert "data/consultations.duckdb" not in " ".join(commands)


def test_make_run_defaults_and_db_still_wins(tmp_path: Path) -> None:
    commands = make_dry_run("run")
    load, serve = [c for c in commands if "load-sample" in c or "dashboard.web.serve" in c]
    assert "DASHBOARD_DB=data/consultations.duckdb " in load
    assert "DASHBOARD_DB=data/consultations.duckdb " in serve
    other = tmp_path / "other.duckdb"
    commands = make_dry_run("run", f"DB={other}", env={"DASHBOARD_DB": str(tmp_path / "x")})
    assert all(f"DASHBOARD_DB={other} " in c for c in commands if "dashboard.web.serve" in c)


def test_make_run_is_local_administrator_on_this_machine_only() -> None:
    (serve,) = [c for c in make_dry_run("run") if "dashboard.web.serve" in c]
    assert "DASHBOARD_LOCAL_ADMIN=1 " in serve
    assert re.search(r"--server\.address 127\.0\.0\.1\b", serve)


def test_the_server_listens_on_this_machine_unless_told_otherwise() -> None:
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["address"] == "127.0.0.1"
    # Per-user metrics would put e-mail addresses on the unauthenticated metrics endpoint.
    assert not settings["server"].get("unsafeMetricsUserAttributes")


def test_the_server_watches_no_source_file() -> None:
    """Streamlit's default watcher walks every loaded module on the server's event loop at each
    new session's first run (about 0.2 s for the modules the app loads, one session
    after another): a deployed app never changes its sources, so nothing is watched."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["fileWatcherType"] == "none"
    assert settings["server"]["runOnSave"] is False


# --- the lock ---------------------------------------------------------------------------------

LOCK = ROOT / "requirements.lock"
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)( ; .*?)?\s*\\?$")


def locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) for every package in the lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match:
            current = match.group(1).lower().replace("_", "-")
            entries[current] = (match.group(2), [])
        elif line.strip().startswith("--hash=sha256:") and current:
            entries[current][1].append(line.strip().removesuffix("\\").strip())
    return entries


def test_every_locked_package_has_hashes() -> None:
    entries = locked()
    assert len(entries) > 50  # transitive packages too, not only ours
    unhashed = [name for name, (_, hashes) in entries.items() if not hashes]
    assert not unhashed
    assert "pip" in entries and "setuptools" in entries  # the installer and build backend too


def test_the_lock_pins_what_pyproject_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    entries = locked()
    for requirement in wanted:
        name, version = requirement.split("==")
        assert entries[name.lower().replace("_", "-")][0] == version, requirement


def test_make_install_uses_the_lock_with_hashes() -> None:
    commands = subprocess.run(
        [MAKE or "make", "-n", "-B", "--no-print-directory", "install"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    installs = [c for c in commands if "pip install" in c]
    assert "--require-hashes -r requirements.lock" in installs[0]
    # Nothing else is resolved: the project itself goes in without its dependencies.
    assert all("--require-hashes" in c or "--no-deps" in c for c in installs)


# --- the server launcher (`make run`) ---------------------------------------------------------


def launch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.web.serve", "--server.headless", "true", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("address", ["0.0.0.0", "::"])
def test_the_launcher_will_not_bind_beyond_this_machine_without_sign_in(address: str) -> None:
    port = _free_port()
    result = launch("--server.address", address, "--server.port", str(port))
    assert result.returncode == 1
    assert f"refusing to listen on {address} without sign-in" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_launcher_will_not_start_with_unusable_sign_in(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[Auth]\nredirect_uri = "http://127.0.0.1/oauth2callback"\n', "utf-8")
    result = launch("--server.port", str(_free_port()), "--secrets.files", str(secrets))
    assert result.returncode == 1
    assert "a section [Auth]" in result.stderr
