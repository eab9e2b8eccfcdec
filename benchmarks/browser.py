"""The app in real Chromium: first page after the server starts (cold), a filter change (warm),
ten sessions clicking through the pages at once, and the server's memory meanwhile.

The server is started as `make run` starts it (`streamlit run dashboard/web/app.py` from the project
root, so `.streamlit/config.toml` applies, over the store in `DASHBOARD_DB`). A chart counts as
drawn when Plotly has put its SVG in the page; a click counts as done when the rerun it caused
has finished (Streamlit's script state went from running back to not running) and every chart
then on the page is drawn. Times are taken with the page's own clock (`performance.now()`), from
just before the click to the moment the page is done (checked every 20 ms).

Every request to a host other than this machine is aborted and counted (there must be none).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

import psutil

from benchmarks.measure import MB, TreeSampler, percentile, tree_rss

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
NAVIGATION = ["Regions", "Languages", "Themes", "Timeline", "Responses", "Overview"]
POLL_MS = 20

# Installs a watcher of the script state, then returns the page's clock.
WATCH = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (window.__benchObserver) window.__benchObserver.disconnect();
    window.__bench = {finished: false, rerunAt: null};
    const observer = new MutationObserver(records => {
        for (const r of records) if (r.oldValue === 'running') {
            window.__bench.finished = true;
            window.__bench.rerunAt = performance.now();
        }
    });
    // The whole document: the app's root element may be replaced while the page reruns.
    observer.observe(document.documentElement, {attributes: true, subtree: true,
        attributeFilter: ['data-test-script-state'], attributeOldValue: true});
    window.__benchObserver = observer;
    return performance.now();
}"""
# Done: the rerun finished, nothing is loading, the title is right and every chart is drawn.
DONE = """([title, needsRerun]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (needsRerun && !(window.__bench && window.__bench.finished)) return false;
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    if (status && status.offsetParent !== null) return false;
    if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"],'
                               + ' [data-testid="stAppSkeleton"]')) return false;
    const h1 = document.querySelector('h1');
    if (title && (!h1 || h1.textContent.trim() !== title)) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    if (!charts.every(c => c.querySelector('.js-plotly-plot .main-svg'))) return false;
    return {at: performance.now(), charts: charts.length,
            rerunAt: window.__bench ? window.__bench.rerunAt : null};
}"""
# What the page looks like when a wait times out.
STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    const h1 = document.querySelector('h1');
    return {
        script: app && app.getAttribute('data-test-script-state'),
        connection: app && app.getAttribute('data-test-connection-state'),
        rerun_seen: !!(window.__bench && window.__bench.finished),
        title: h1 && h1.textContent.trim(),
        charts: charts.length,
        undrawn: charts.filter(c => !c.querySelector('.js-plotly-plot .main-svg')).length,
        status_shown: !!(status && status.offsetParent !== null),
        exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    };
}"""
FIRST_CHART = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    if (!plot || !plot.querySelector('.main-svg')) return false;
    return plot.querySelector('g.trace, path.choroplethlocation, .point') ? performance.now()
        : false;
}"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


class Server:
    """`streamlit run dashboard/web/app.py` as `make run` starts it, with its memory sampled."""

    def __init__(self, db: Path, log: Path, cores: list[int] | None = None) -> None:
        self.db = db
        self.log = log
        # The cores the server's process (and the threads and processes it starts) may use.
        self.cores = cores
        self.reruns = log.with_name("reruns.jsonl")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.sampler: TreeSampler | None = None
        self.launched_at = 0.0

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard/web/app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
        ]
        with self.log.open("wb") as log:
            self.launched_at = time.perf_counter()
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,  # Streamlit reads .streamlit/config.toml from the working directory
                env={
                    **os.environ,
                    "DASHBOARD_DB": str(self.db),
                    # Each run's own seconds on the server (dashboard/web/rerun_log.py).
                    "DASHBOARD_RERUN_LOG": str(self.reruns),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if self.cores:
            psutil.Process(self.process.pid).cpu_affinity(self.cores)
        self.sampler = TreeSampler(self.process.pid, interval=0.1)
        self.sampler.__enter__()

    async def wait_healthy(self, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while not await asyncio.to_thread(healthy, self.url):
            if self.process.poll() is not None or time.perf_counter() > deadline:
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"streamlit did not start; its log:\n{tail}")
            await asyncio.sleep(0.05)
        return time.perf_counter() - self.launched_at

    def runs_since(self, moment: float) -> list[float]:
        """Seconds of each run of the app's script that ended after `moment` (time.time())."""
        if not self.reruns.exists():
            return []
        runs = [json.loads(line) for line in self.reruns.read_text().splitlines() if line]
        return [run["seconds"] for run in runs if run["ended"] >= moment]

    def rss_mb(self) -> float:
        return tree_rss(psutil.Process(self.process.pid)) / MB

    def stop(self) -> float:
        """Stop the server; returns the peak memory of its process tree (MB)."""
        if self.process is None:
            return 0.0
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.sampler.__exit__(None, None, None)
        return self.sampler.peak / MB


class CpuSampler:
    """CPU seconds spent meanwhile by the server's process tree and by every other process
    this benchmark started (Chromium and Playwright's driver), sampled per process every half
    second so that processes which end on the way (closed tabs) still count."""

    def __init__(self, server_pid: int, interval: float = 0.5) -> None:
        self.server = psutil.Process(server_pid)
        self.interval = interval
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        try:
            server = {self.server.pid, *(p.pid for p in self.server.children(recursive=True))}
            processes = psutil.Process().children(recursive=True)
        except psutil.Error:
            return
        started = bool(self.last)
        for p in processes:
            try:
                times = p.cpu_times()
            except psutil.Error:
                continue
            used = times.user + times.system
            # A process seen first after the start was started meanwhile: all its time counts.
            self.first.setdefault(p.pid, 0.0 if started else used)
            self.last[p.pid] = ("server" if p.pid in server else "browser", used)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> CpuSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def result(self) -> dict[str, float]:
        totals = {"server": 0.0, "browser": 0.0}
        for pid, (kind, used) in self.last.items():
            totals[kind] += used - self.first.get(pid, 0.0)
        return {kind: round(value, 1) for kind, value in totals.items()}


@dataclass
class Guard:
    """Counts requests, and aborts (and counts) any to another host."""

    requests: int = 0
    external: list[str] = field(default_factory=list)

    async def attach(self, context) -> None:
        async def route(route) -> None:
            self.requests += 1
            if is_local(route.request.url):
                await route.continue_()
            else:
                self.external.append(route.request.url)
                await route.abort("blockedbyclient")

        await context.route("**/*", route)


async def done(page, title: str | None, timeout_ms: float, needs_rerun: bool = True) -> dict:
    handle = await page.wait_for_function(
        DONE, arg=[title, needs_rerun], polling=POLL_MS, timeout=timeout_ms
    )
    return await handle.json_value()


def _step(start: float, finished: dict) -> dict:
    """Seconds from the click to the page done, and to the end of the rerun (the server's
    part: running the page's script and sending its elements)."""
    rerun = finished.get("rerunAt")
    return {
        "seconds": (finished["at"] - start) / 1000,
        "rerun_seconds": (rerun - start) / 1000 if rerun is not None else None,
        "charts": finished["charts"],
    }


async def page_state(page) -> dict:
    try:
        return await page.evaluate(STATE)
    except Exception as exc:
        return {"unavailable": f"{type(exc).__name__}: {str(exc)[:200]}"}


async def click_and_wait(
    page, locator, title: str | None, timeout_ms: float, needs_rerun: bool = True
) -> dict:
    """Click, then wait until the rerun is over and the charts are drawn: seconds taken."""
    start = await page.evaluate(WATCH)
    await locator.click(timeout=timeout_ms)
    return _step(start, await done(page, title, timeout_ms, needs_rerun))


async def navigate(page, title: str, timeout_ms: float) -> dict:
    link = page.locator('[data-testid="stSidebarNav"] a').filter(
        has_text=re.compile(f"^{re.escape(title)}$")
    )
    # The new page's title shows only once its script runs, and the script state is set to
    # running before any element arrives: the title with the state "not running" is the end of
    # the new page's run, whether or not the watcher saw it start.
    return await click_and_wait(page, link.first, title, timeout_ms, needs_rerun=False)


async def choose(page, label: str, option: str, timeout_ms: float, title: str) -> dict:
    """Pick `option` in the multiselect `label`: seconds from the click on the option until
    the page is redrawn."""
    combo = page.get_by_role("combobox", name=label)
    await combo.click()
    await combo.fill(option)
    target = page.get_by_role("option", name=option, exact=True)
    await target.wait_for(timeout=timeout_ms)
    start = await page.evaluate(WATCH)
    await target.click()
    await combo.press("Escape")
    return _step(start, await done(page, title, timeout_ms))


def filter_queries(theme_labels: Mapping[str, str], language_labels: Mapping[str, str]) -> list:
    """Filter sets for the sessions, as URL query strings (bound widgets keep labels there).
    The first is no filter; the last is the benchmark's typical filter."""
    t = theme_labels
    lang = language_labels
    dates = {"from": "2020-01-14", "to": "2020-01-22"}
    return [
        {},
        {"region": "Africa"},
        {"language": lang["fr"]},
        {"theme": t["protection"]},
        {"region": "Asia", "language": lang["en"]},
        {"region": "Europe"},
        dates,
        {"region": "Americas", "theme": t["partnership"]},
        {"language": lang["ar"]},
        {"region": "Oceania"},
        {"language": lang["es"], **dates},
        {"theme": t["promotion"], "region": "Africa"},
        {"language": lang["zh"]},
        {"region": "Europe", "language": lang["ru"]},
        {"from": "2020-01-20", "to": "2020-01-24"},
        {"region": "Asia", "theme": t["protection"]},
        {"language": lang["fr"], "theme": t["promotion"]},
        {"region": "Americas", "language": lang["es"]},
        {"region": "Africa", "language": lang["ar"]},
        {"region": "Africa", "language": lang["fr"], "theme": t["protection"], **dates},
    ]


async def cold_and_warm(
    browser, server: Server, *, timeout_ms: float, regions: list[str], guard: Guard
) -> dict:
    """Start the server, open the Overview, then add regions to the filter one by one."""
    result: dict = {}
    server.start()
    result["server_ready_s"] = await server.wait_healthy(timeout_ms / 1000)
    context = await browser.new_context(viewport=VIEWPORT)
    await guard.attach(context)
    try:
        page = await context.new_page()
        await page.goto(server.url + "/", timeout=timeout_ms)
        handle = await page.wait_for_function(FIRST_CHART, polling=POLL_MS, timeout=timeout_ms)
        await handle.json_value()
        result["cold_first_chart_s"] = time.perf_counter() - server.launched_at
        settled = await done(page, "Overview", timeout_ms, needs_rerun=False)
        result["cold_page_done_s"] = time.perf_counter() - server.launched_at
        result["cold_charts"] = settled["charts"]
        result["server_rss_after_cold_mb"] = server.rss_mb()
        warm = []
        for region in regions:
            step = await choose(page, "Region (M49)", region, timeout_ms, "Overview")
            warm.append({"added_region": region, **step})
        result["warm_filter_changes"] = warm
        seconds = [w["seconds"] for w in warm]
        result["warm_median_s"] = statistics.median(seconds) if seconds else None
        result["warm_max_s"] = max(seconds) if seconds else None
    finally:
        await context.close()
    return result


async def one_session(
    browser,
    url: str,
    queries: list[dict],
    *,
    think: float,
    timeout_ms: float,
    guard: Guard,
    shots: Path | None = None,
) -> dict:
    context = await browser.new_context(viewport=VIEWPORT)
    await guard.attach(context)
    clicks: list[dict] = []
    opens: list[float] = []
    errors: list[dict] = []

    async def failed(what: str, query: dict, exc: Exception) -> None:
        # A timeout is a result, not a crash of the benchmark: say what the page showed.
        error = {"step": what, "filters": query, "error": f"{type(exc).__name__}: {exc}"[:300]}
        error["page_state"] = await page_state(page)
        if shots is not None:
            shot = shots / f"timeout-{id(context)}-{len(errors)}.png"
            with contextlib.suppress(Exception):
                await page.screenshot(path=shot)
                error["screenshot"] = str(shot)
        errors.append(error)

    try:
        page = await context.new_page()
        for query in queries:
            start = time.perf_counter()
            try:
                await page.goto(f"{url}/?{urlencode(query)}", timeout=timeout_ms)
                await done(page, "Overview", timeout_ms, needs_rerun=False)
            except Exception as exc:
                await failed("open", query, exc)
                continue
            opens.append(time.perf_counter() - start)
            for title in NAVIGATION:
                await asyncio.sleep(think)
                try:
                    step = await navigate(page, title, timeout_ms)
                except Exception as exc:
                    await failed(title, query, exc)
                    break
                clicks.append({"page": title, "filters": query, **step})
    finally:
        await context.close()
    return {"clicks": clicks, "opens": opens, "errors": errors}


async def concurrent_sessions(
    browser,
    url: str,
    queries: list[dict],
    *,
    sessions: int,
    rounds: int,
    think: float,
    timeout_ms: float,
    guard: Guard,
    server_pid: int,
    shots: Path | None = None,
) -> dict:
    """`sessions` browser contexts at once, each opening the Overview with its own filters and
    clicking through every page, `rounds` times with other filters each round."""
    plans = [
        [queries[(i + r * sessions) % len(queries)] for r in range(rounds)] for i in range(sessions)
    ]
    started = time.perf_counter()
    with CpuSampler(server_pid) as cpu:
        results = await asyncio.gather(
            *(
                one_session(
                    browser,
                    url,
                    plan,
                    think=think,
                    timeout_ms=timeout_ms,
                    guard=guard,
                    shots=shots,
                )
                for plan in plans
            )
        )
    wall = time.perf_counter() - started
    clicks = [c for r in results for c in r["clicks"]]
    seconds = [c["seconds"] for c in clicks]
    reruns = [c["rerun_seconds"] for c in clicks if c["rerun_seconds"] is not None]
    opens = [o for r in results for o in r["opens"]]
    by_page: dict[str, list[float]] = {}
    for c in clicks:
        by_page.setdefault(c["page"], []).append(c["seconds"])
    return {
        "sessions": sessions,
        "rounds": rounds,
        "think_seconds": think,
        "clicks": len(clicks),
        "click_median_s": statistics.median(seconds) if seconds else None,
        "click_p95_s": percentile(seconds, 95) if seconds else None,
        "click_max_s": max(seconds) if seconds else None,
        # Click to the end of the rerun (the server's part), before the charts are drawn.
        "rerun_median_s": statistics.median(reruns) if reruns else None,
        "rerun_p95_s": percentile(reruns, 95) if reruns else None,
        "cpu_seconds": cpu.result(),
        "open_median_s": statistics.median(opens) if opens else None,
        "open_p95_s": percentile(opens, 95) if opens else None,
        "by_page_p95_s": {p: percentile(v, 95) for p, v in by_page.items()},
        "errors": [e for r in results for e in r["errors"]],
        "wall_seconds": wall,
    }


async def _browser_phase(
    db: Path,
    workdir: Path,
    *,
    theme_labels: Mapping[str, str],
    language_labels: Mapping[str, str],
    sessions: int,
    rounds: int,
    think: float,
    timeout_ms: float,
    warm_regions: list[str],
) -> dict:
    from playwright.async_api import async_playwright

    guard = Guard()
    server_cores, browser_cores = split_cores()
    server = Server(db, workdir / "streamlit.log", cores=server_cores)
    result: dict = {
        "server_command": "streamlit run dashboard/web/app.py (as make run)",
        "cores": {"server": server_cores, "browsers": browser_cores},
    }
    own_cores = psutil.Process().cpu_affinity() if browser_cores else None
    if browser_cores:
        # Set before Playwright starts: its driver and Chromium inherit this process's cores.
        psutil.Process().cpu_affinity(browser_cores)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            result.update(
                await cold_and_warm(
                    browser, server, timeout_ms=timeout_ms, regions=warm_regions, guard=guard
                )
            )
            if sessions:
                since = time.time()
                result["concurrent"] = await concurrent_sessions(
                    browser,
                    server.url,
                    filter_queries(theme_labels, language_labels),
                    sessions=sessions,
                    rounds=rounds,
                    think=think,
                    timeout_ms=timeout_ms,
                    guard=guard,
                    server_pid=server.process.pid,
                    shots=workdir,
                )
                # The server's own time per run of the script (each click is one or two runs),
                # apart from the queueing and the drawing the browser's measure includes.
                runs = server.runs_since(since)
                result["concurrent"].update(
                    {
                        "server_runs": len(runs),
                        "server_run_median_s": statistics.median(runs) if runs else None,
                        "server_run_p95_s": percentile(runs, 95) if runs else None,
                    }
                )
            result["server_rss_end_mb"] = server.rss_mb()
        finally:
            result["server_peak_rss_mb"] = server.stop()
            await browser.close()
    if own_cores:
        psutil.Process().cpu_affinity(own_cores)
    result["requests"] = guard.requests
    result["external_requests"] = sorted(set(guard.external))
    return result


def split_cores() -> tuple[list[int] | None, list[int] | None]:
    """The server on one core, the load generator (Playwright and Chromium's tabs) on the
    others, so that ten tabs drawing charts do not take the server's time from it (they used
    205 CPU seconds against its 57 when they shared both cores). (None, None) where there is
    only one core or no way to choose (not Linux)."""
    try:
        cores = sorted(psutil.Process().cpu_affinity())
    except (AttributeError, psutil.Error):
        return None, None
    if len(cores) < 2:
        return None, None
    return cores[:1], cores[1:]


def browser_phase(db: Path, workdir: Path, **options) -> dict:
    """Run the whole browser phase against the store `db` (no other process may hold it)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    return asyncio.run(_browser_phase(db, workdir, **options))
