"""Benchmarks (`make bench`, or `python -m benchmarks.run --sizes 100000 1000000`).

For each size (responses: non-blank answers), in one run:

1. write a realistic wide CSV export of that size (and the same rows as XLSX up to 1 million
   responses; `benchmarks/generate.py`);
2. import: the dashboard's import (`python -m dashboard import`, a fresh process) against the
   floor (DuckDB's bare `read_csv` of the same file into a table, a fresh process) and the usual
   pandas load (`read_csv` + reshape to one row per answer): wall time and peak memory;
3. page queries: every page's statements (`benchmarks/pages.py`), with no filter and with a
   typical filter, median and 95th percentile over repeated runs, against the same figures
   computed with pandas on DataFrames in memory (`benchmarks/reference.py`), after checking
   that both give identical numbers;
4. browser (`benchmarks/browser.py`): first page in Chromium after the server starts (cold),
   filter changes (warm), ten sessions clicking through the pages at once, and the server's
   peak memory.

It prints one Markdown table and writes every figure, the machine and each target (measured,
target, met) to `benchmarks/results.json` (or `--out`). Exit status 1 when the reference and
the dashboard disagree anywhere (that is a bug to look at before any time is read).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psutil

from benchmarks import browser, generate, many_files, pages, reference
from benchmarks.measure import MB, ProcessRun, python_command, run_measured
from dashboard import cli
from dashboard.importer import limits
from dashboard.publish.catalogue import language_label
from dashboard.store import database, queries
from dashboard.store.queries import Filters

ROOT = Path(__file__).resolve().parent.parent
CONSULTATION = generate.CONSULTATION_ID
DEFINITION = generate.SAMPLE_DEFINITION
# The sample's codebook: set before the import (as `load-sample` does), so the import tags the
# answers and the Themes page draws its code charts.
CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"
DEFAULT_SIZES = (100_000, 1_000_000, 10_000_000)
GB = 1024 * MB
FILTER_SETS = {
    "no filter": Filters(),
    "typical": Filters(
        regions=("Africa",),
        languages=("fr",),
        themes=("protection",),
        date_from=date(2020, 1, 14),
        date_to=date(2020, 1, 22),
    ),
}
TYPICAL_TEXT = "one region (Africa), one language (fr), one theme (protection), 14-22 Jan 2020"
WARM_REGIONS = ["Africa", "Asia", "Europe", "Americas", "Oceania"]
# Targets of the issue (this 2-core, 24 GB machine).
ONE_MILLION, TEN_MILLION = 1_000_000, 10_000_000
# The import against DuckDB's bare read_csv of the same file: without the codebook's tags, and
# complete; and the peak memory of one 10-million-response file.
IMPORT_UNTAGGED_LIMIT, IMPORT_LIMIT, IMPORT_MEMORY_GB = 3, 5, 2
# Ten sessions at 1 million: the server's own time per run of a page, p95 (seconds).
RERUN_P95_LIMIT = 0.3


# --- the steps -----------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


def dashboard_cli(*args: str) -> list[str]:
    return python_command("-m", "dashboard", *args)


def codebook_command(path: Path) -> list[str]:
    return dashboard_cli(
        "codebook", "set", "--consultation", CONSULTATION, str(CODEBOOK), "--db", str(path)
    )


def new_store(path: Path, logs: Path) -> None:
    """A new store with the consultation and its codebook, and nothing imported: the same
    commands, run in this process (not measured, and each command's own process cost more
    than the small sizes' imports)."""
    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    for command in (
        dashboard_cli("consultation", "add", str(DEFINITION), "--db", str(path)),
        codebook_command(path),
    ):
        arguments = command[command.index("dashboard") + 1 :]
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            returncode = cli.main(arguments)
        with (logs / "new-store.log").open("a", encoding="utf-8") as log_file:
            log_file.write(output.getvalue())
        if returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {output.getvalue()}")


def import_into(path: Path, files: list[Path], logs: Path, limit: int, name: str) -> ProcessRun:
    return run_measured(
        dashboard_cli(
            "import", "--consultation", CONSULTATION, "--db", str(path), *map(str, files)
        ),
        limit_bytes=limit,
        env=file_limit_for(files),
        log=logs / f"{name}.log",
    )


def file_limit_for(files: list[Path]) -> dict[str, str]:
    """The importer's file size limit raised to fit the largest of `files`, where it does not
    already: it refuses a file over 512 MB by default (a guard for the server, set by
    DASHBOARD_MAX_FILE_MB), and the 10-million export is 2.7 GB, so without this the benchmark
    timed a refusal instead of the import."""
    needed = max(math.ceil(f.stat().st_size / limits.MB) for f in files)
    allowed = limits.ImportLimits.from_environment().max_file_mb
    return {limits.env_name("max_file_mb"): str(max(needed, allowed))}


def import_stage_seconds(path: Path) -> dict[str, float]:
    """How long each stage of the store's one import took, as its report says (reading,
    cleaning, writing, tagging, facts): the tags' share of the import, against the floor."""
    con = database.connect(path, read_only=True)
    try:
        imports = queries.frame(con, "store/import_reports", {"consultation": CONSULTATION})
    finally:
        con.close()
    report = json.loads(imports["report"].iloc[0]) if len(imports) == 1 else {}
    return {stage: float(seconds) for stage, seconds in report.get("seconds", {}).items()}


def split_export(csv_path: Path, folder: Path, rows_per_part: int) -> list[Path]:
    """The export cut into parts of `rows_per_part` respondents (each with the header)."""
    import csv

    parts: list[Path] = []
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        writer = out = None
        for number, row in enumerate(reader):
            if number % rows_per_part == 0:
                if out:
                    out.close()
                parts.append(folder / f"{csv_path.stem}-part{len(parts) + 1:02d}.csv")
                out = parts[-1].open("w", newline="", encoding="utf-8")
                writer = csv.writer(out)
                writer.writerow(header)
            writer.writerow(row)
        if out:
            out.close()
    return parts


def run_import_phase(
    size: int, csv_path: Path, xlsx_path: Path | None, folder: Path, limit: int
) -> tuple[dict, Path]:
    """Import the export into a new store (the one the later steps read) and measure it
    against the floor and the usual pandas load. Returns the figures and the store."""
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"memory_limit_mb": limit / MB}
    db = folder / "store.duckdb"
    new_store(db, logs)
    log(f"  import CSV ({csv_path.stat().st_size / 1e6:,.0f} MB) with the dashboard ...")
    ours = import_into(db, [csv_path], logs, limit, "import-csv")
    result["csv"] = {"ours": ours.to_dict()}
    if ours.returncode == 0 and not ours.stopped_at_limit:
        result["csv"]["stage_seconds"] = import_stage_seconds(db)
    if ours.returncode != 0 or ours.stopped_at_limit:
        # Still build the store the other steps need, in parts small enough to import.
        result["csv"]["ours_failed"] = (
            "stopped at the memory limit" if ours.stopped_at_limit else "failed"
        )
        new_store(db, logs)
        parts = split_export(csv_path, folder, rows_per_part=200_000)
        log(f"  the single import failed; importing {len(parts)} parts instead ...")
        runs = [
            import_into(db, [part], logs, limit, f"import-part{i}")
            for i, part in enumerate(parts, start=1)
        ]
        for part in parts:
            part.unlink()
        result["csv"]["ours_in_parts"] = {
            "parts": len(parts),
            "seconds": sum(r.seconds for r in runs),
            "peak_rss_mb": max(r.peak_rss_mb for r in runs),
            "failed": [r.to_dict() for r in runs if r.returncode != 0],
        }
    log("  codebook change on the full store (re-tag every answer) ...")
    result["retag"] = run_measured(
        codebook_command(db), limit_bytes=limit, log=logs / "codebook-retag.log"
    ).to_dict()
    log("  import CSV: floor (DuckDB read_csv) ...")
    floor_db = folder / "floor.duckdb"
    floor_db.unlink(missing_ok=True)
    floor = run_measured(
        python_command("-m", "benchmarks.floor", "csv", str(floor_db), str(csv_path)),
        limit_bytes=limit,
        log=logs / "floor-csv.log",
    )
    floor_db.unlink(missing_ok=True)
    result["csv"]["floor"] = floor.to_dict()
    log("  import CSV: the usual pandas load (read_csv + melt) ...")
    usual = run_measured(
        python_command("-m", "benchmarks.reference", "load-export", str(csv_path)),
        limit_bytes=limit,
        log=logs / "pandas-csv.log",
    )
    result["csv"]["pandas"] = usual.to_dict()
    if xlsx_path is not None:
        log(f"  import XLSX ({xlsx_path.stat().st_size / 1e6:,.0f} MB) with the dashboard ...")
        xlsx_db = folder / "store-xlsx.duckdb"
        new_store(xlsx_db, logs)
        ours_xlsx = import_into(xlsx_db, [xlsx_path], logs, limit, "import-xlsx")
        xlsx_db.unlink(missing_ok=True)
        floor_xlsx = run_measured(
            python_command("-m", "benchmarks.floor", "xlsx", str(xlsx_path)),
            limit_bytes=limit,
            log=logs / "floor-xlsx.log",
        )
        result["xlsx"] = {"ours": ours_xlsx.to_dict(), "floor_calamine": floor_xlsx.to_dict()}
    return result, db


def check_store(db: Path, size: int) -> dict:
    con = database.connect(db)
    try:
        totals = queries.frame(con, "totals", Filters().params(CONSULTATION)).iloc[0]
        found = {"respondents": int(totals["respondents"]), "responses": int(totals["responses"])}
    finally:
        con.close()
    if found["responses"] != size:
        raise RuntimeError(f"the store holds {found['responses']} responses, not {size}")
    return found


def run_query_phase(db: Path, *, runs: int, budget: float, with_reference: bool) -> dict:
    # Within the dashboard server's memory limit, so that the pages are timed as it runs them.
    con = database.connect(db, memory_limit=database.SERVER_MEMORY_LIMIT)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        frames = None
        result: dict[str, Any] = {}
        if with_reference:
            gc.collect()
            before = psutil.Process().memory_info().rss
            start = time.perf_counter()
            frames = reference.load(con, CONSULTATION)
            result["reference_load"] = {
                "seconds": time.perf_counter() - start,
                "dataframes_mb": frames.memory_bytes() / MB,
                "process_rss_growth_mb": (psutil.Process().memory_info().rss - before) / MB,
                "rows": {
                    "respondents": len(frames.respondents),
                    "responses": len(frames.responses),
                },
            }
            log(
                f"  reference: DataFrames loaded in {result['reference_load']['seconds']:.1f} s, "
                f"{result['reference_load']['dataframes_mb']:,.0f} MB"
            )
        timings, checks = pages.time_pages(
            con,
            frames,
            CONSULTATION,
            FILTER_SETS,
            runs=runs,
            budget_seconds=budget,
            k=consultation.suppression_k,
            progress=log,
        )
        result["pages"] = [t.to_dict() for t in timings]
        result["agreement"] = {
            "checks": len(checks),
            "identical": sum(c["identical"] for c in checks),
            "failures": [c for c in checks if not c["identical"]],
            "not_reproduced": sorted({s for t in timings for s in t.not_reproduced}),
        }
        del frames
        gc.collect()
        return result
    finally:
        con.close()


def query_phase_in_a_process(db: Path, folder: Path, args: argparse.Namespace) -> dict:
    """`run_query_phase` in a process of its own, stopped if it grows beyond the memory limit
    (the reference holds every response in DataFrames): the benchmark itself never risks the
    machine, and the figure of that process's peak memory comes with it."""
    out = folder / "queries.json"
    out.unlink(missing_ok=True)
    command = python_command(
        "-m", "benchmarks.run", "--query-phase", str(db), str(out),
        "--runs", str(args.runs), "--page-budget", str(args.page_budget),
        *(["--skip-reference"] if args.skip_reference else []),
    )  # fmt: skip
    limit = int(args.query_memory_limit_gb * GB)
    process = run_measured(command, limit_bytes=limit, log=folder / "logs" / "queries.log")
    for line in (folder / "logs" / "queries.log").read_text(errors="replace").splitlines():
        if line.startswith("  "):
            log(line)
    if process.returncode != 0 or not out.exists():
        why = "stopped at the memory limit" if process.stopped_at_limit else "failed"
        log(f"  the page queries {why}: {process.output_tail[-1000:]}")
        return {"failed": why, "process": process.to_dict()}
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["process"] = {
        "seconds": process.seconds,
        "peak_rss_mb": process.peak_rss_mb,
        "note": "the benchmark's own process: the dashboard's statements and the reference's "
        "DataFrames",
    }
    return figures


def theme_and_language_labels(db: Path) -> tuple[dict[str, str], dict[str, str]]:
    con = database.connect(db)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
    finally:
        con.close()
    themes = {t.id: t.label("en") for t in consultation.themes}
    languages = {c: language_label(c) for c in ("ar", "zh", "en", "fr", "ru", "es")}
    return themes, languages


def check_page_statements(db: Path) -> dict:
    """Do the pages run what `pages.PAGES` says? (Streamlit AppTest over a copy of the store.)"""
    copy = db.with_name("appcheck.duckdb")
    shutil.copy(db, copy)
    try:
        recorded = pages.recorded_statements(str(copy))
    finally:
        copy.unlink(missing_ok=True)
    listed = pages.listed_statements()
    differences = {}
    for page in listed:
        a = sorted(map(repr, recorded.get(page, [])))
        b = sorted(map(repr, listed[page]))
        if a != b:
            differences[page] = {"pages_run": a, "benchmark_lists": b}
    return {"matches": not differences, "differences": differences}


# --- the table and the targets -------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} s" if value >= 1 else f"{value:.2f} s"


def _mb(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1024:,.2f} GB" if value >= 1024 else f"{value:,.0f} MB"


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    r = a / b
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


def _failure(run: dict) -> str:
    """How a measured process ended, when it did not end well."""
    if run.get("stopped_at_limit"):
        return " (stopped at the memory limit)"
    return f" (failed, status {run['returncode']})" if run.get("returncode") else ""


def _size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n:,}"


def evaluate_targets(results: dict[int, dict]) -> list[dict]:
    """Each target of the issue: the figure measured, the target, and whether it was met
    (None where the size was not run or the step was skipped)."""
    targets: list[dict] = []

    def add(name: str, size: int, measured, limit, unit: str, met, detail: str = "") -> None:
        targets.append(
            {
                "target": name,
                "size": size,
                "measured": measured,
                "limit": limit,
                "unit": unit,
                "met": met,
                "detail": detail,
            }
        )

    def app_pages(size: int) -> list[dict]:
        found = results.get(size, {}).get("queries", {}).get("pages", [])
        return [p for p in found if p["page"] in pages.APP_PAGES]

    for size, limit in ((ONE_MILLION, 100), (TEN_MILLION, 500)):
        found = app_pages(size)
        if found:
            worst = max(found, key=lambda p: p["ours"]["median_ms"])
            add(
                f"page queries: median under {limit} ms per page",
                size,
                round(worst["ours"]["median_ms"], 1),
                limit,
                "ms",
                worst["ours"]["median_ms"] < limit,
                f"slowest: {worst['page']} ({worst['filters']})",
            )
        else:
            add(
                f"page queries: median under {limit} ms per page",
                size,
                None,
                limit,
                "ms",
                None,
                "not run",
            )
    found = [p for p in app_pages(ONE_MILLION) if p["reference"]]
    if found:
        speedups = [(p["reference"]["median_ms"] / p["ours"]["median_ms"], p) for p in found]
        least, page = min(speedups, key=lambda s: s[0])
        add(
            "page queries: at least 10 times faster than the pandas reference",
            ONE_MILLION,
            round(least, 2),
            10,
            "x faster",
            least >= 10,
            f"least: {page['page']} ({page['filters']})",
        )
    else:
        add(
            "page queries: at least 10 times faster than the pandas reference",
            ONE_MILLION,
            None,
            10,
            "x faster",
            None,
            "not run",
        )
    for size, figures in sorted(results.items()):
        csv_import = figures.get("import", {}).get("csv")
        if not csv_import:
            continue
        ours, floor = csv_import["ours"], csv_import["floor"]
        ok = ours["returncode"] == 0 and not ours["stopped_at_limit"]
        ratio = ours["seconds"] / floor["seconds"] if ok else None
        tags = csv_import.get("stage_seconds", {}).get("tagging")
        untagged = (ours["seconds"] - tags) / floor["seconds"] if ok and tags is not None else None
        failed = "" if ok else f"the import {csv_import.get('ours_failed')}"
        add(
            "import: all but the tags within 3 times DuckDB's bare read_csv",
            size,
            round(untagged, 2) if untagged else None,
            IMPORT_UNTAGGED_LIMIT,
            "x floor",
            untagged <= IMPORT_UNTAGGED_LIMIT if untagged is not None else (None if ok else False),
            failed or ("" if untagged is not None else "the import's report has no stage times"),
        )
        add(
            "import: complete with the tags within 5 times DuckDB's bare read_csv",
            size,
            round(ratio, 2) if ratio else None,
            IMPORT_LIMIT,
            "x floor",
            ratio is not None and ratio <= IMPORT_LIMIT,
            failed,
        )
    ten = results.get(TEN_MILLION, {}).get("import", {}).get("csv")
    memory_target = f"import: 10 million responses with peak memory under {IMPORT_MEMORY_GB} GB"
    if ten:
        ours = ten["ours"]
        peak = ours["peak_rss_mb"]
        # An import that failed or was stopped has not imported the file, however little
        # memory it took to get there.
        completed = ours["returncode"] == 0 and not ours["stopped_at_limit"]
        add(
            memory_target,
            TEN_MILLION,
            round(peak / 1024, 2),
            IMPORT_MEMORY_GB,
            "GB",
            completed and peak < IMPORT_MEMORY_GB * 1024,
            "stopped at the memory limit"
            if ours["stopped_at_limit"]
            else ("" if completed else f"failed (status {ours['returncode']})"),
        )
    else:
        add(memory_target, TEN_MILLION, None, IMPORT_MEMORY_GB, "GB", None, "not run")
    server = results.get(TEN_MILLION, {}).get("browser", {}).get("server_peak_rss_mb")
    add(
        "server memory at 10 million responses under 1.5 GB",
        TEN_MILLION,
        round(server / 1024, 2) if server else None,
        1.5,
        "GB",
        None if server is None else server < 1.5 * 1024,
        "" if server else "not run",
    )
    concurrent = results.get(ONE_MILLION, {}).get("browser", {}).get("concurrent")
    p95 = concurrent.get("click_p95_s") if concurrent else None
    detail = "" if p95 else "not run"
    if concurrent and concurrent["sessions"] != 10:
        detail, p95 = f"ran {concurrent['sessions']} sessions, not 10", None
    elif concurrent and concurrent["errors"]:
        detail = f"{len(concurrent['errors'])} clicks or opens failed (timed out)"
    add(
        "ten concurrent sessions at 1 million: p95 click to chart under 2 s",
        ONE_MILLION,
        round(p95, 2) if p95 else None,
        2,
        "s",
        None if p95 is None else p95 < 2 and not concurrent["errors"],
        detail,
    )
    # The server's own seconds per run of the app's script (dashboard/web/rerun_log.py), while
    # the ten sessions clicked: without the network, the queueing and the drawing.
    rerun = concurrent.get("server_run_p95_s") if concurrent and p95 else None
    add(
        "ten concurrent sessions at 1 million: p95 server time per rerun under 300 ms",
        ONE_MILLION,
        round(rerun, 3) if rerun is not None else None,
        RERUN_P95_LIMIT,
        "s",
        None if rerun is None else rerun < RERUN_P95_LIMIT and not concurrent["errors"],
        detail,
    )
    return targets


def markdown_table(results: dict[int, dict], targets: list[dict]) -> str:
    header = (
        "| size | measure | ours | reference (pandas) | ours / ref | floor | ours / floor "
        "| target | met |"
    )
    lines = [header, "|" + "---|" * 9]

    def row(
        size,
        measure,
        ours="–",
        ref="–",
        ratio_ref="–",
        floor="–",
        ratio_floor="–",
        target="",
        met="",
    ):
        lines.append(
            f"| {_size(size)} | {measure} | {ours} | {ref} | {ratio_ref} | {floor} | "
            f"{ratio_floor} | {target} | {met} |"
        )

    def met_text(value) -> str:
        return {True: "yes", False: "**no**", None: "not measured"}[value]

    def target_for(name_start: str, size: int) -> dict | None:
        return next(
            (t for t in targets if t["target"].startswith(name_start) and t["size"] == size), None
        )

    for size, figures in sorted(results.items()):
        imp = figures.get("import", {})
        csv_import = imp.get("csv")
        if csv_import:
            ours, floor, usual = csv_import["ours"], csv_import["floor"], csv_import["pandas"]
            t = target_for("import: complete", size)
            # A process stopped on the way has no time or peak to compare: only "at least".
            done = not _failure(ours)
            at_least = "" if done else "≥ "
            row(
                size,
                "import CSV: time",
                at_least + _s(ours["seconds"]) + _failure(ours),
                _s(usual["seconds"]) + " (read_csv + melt)" + _failure(usual),
                _ratio(ours["seconds"], usual["seconds"]) if done else "–",
                _s(floor["seconds"]) + " (DuckDB read_csv)",
                _ratio(ours["seconds"], floor["seconds"]) if done else "–",
                f"≤ {IMPORT_LIMIT} × floor",
                met_text(t["met"]) if t else "",
            )
            stages = csv_import.get("stage_seconds")
            if stages:
                t = target_for("import: all but the tags", size)
                untagged = ours["seconds"] - stages.get("tagging", 0.0)
                row(
                    size,
                    "import CSV: time without the tags ("
                    + ", ".join(f"{stage} {_s(value)}" for stage, value in stages.items())
                    + ")",
                    _s(untagged),
                    floor=_s(floor["seconds"]),
                    ratio_floor=_ratio(untagged, floor["seconds"]),
                    target=f"≤ {IMPORT_UNTAGGED_LIMIT} × floor",
                    met=met_text(t["met"]) if t else "",
                )
            t = target_for("import: 10 million", size)
            row(
                size,
                "import CSV: peak memory",
                at_least + _mb(ours["peak_rss_mb"]),
                _mb(usual["peak_rss_mb"]),
                _ratio(ours["peak_rss_mb"], usual["peak_rss_mb"]) if done else "–",
                _mb(floor["peak_rss_mb"]),
                _ratio(ours["peak_rss_mb"], floor["peak_rss_mb"]) if done else "–",
                f"< {IMPORT_MEMORY_GB} GB" if t else "",
                met_text(t["met"]) if t else "",
            )
            parts = csv_import.get("ours_in_parts")
            if parts:
                row(
                    size,
                    f"import CSV in {parts['parts']} parts (store for the next steps)",
                    f"{_s(parts['seconds'])}, peak {_mb(parts['peak_rss_mb'])}",
                )
        retag = imp.get("retag")
        if retag:
            row(
                size,
                "codebook change: re-tag every answer (time, peak memory)",
                f"{_s(retag['seconds'])}, {_mb(retag['peak_rss_mb'])}"
                + ("" if retag["returncode"] == 0 else " (failed)"),
            )
        xlsx = imp.get("xlsx")
        if xlsx:
            ours, floor = xlsx["ours"], xlsx["floor_calamine"]
            csv_floor = csv_import["floor"] if csv_import else None
            row(
                size,
                "import XLSX: time",
                _s(ours["seconds"]),
                "",
                "",
                f"{_s(floor['seconds'])} (calamine read)",
                _ratio(ours["seconds"], floor["seconds"]),
            )
            row(
                size,
                "import XLSX: peak memory",
                _mb(ours["peak_rss_mb"]),
                "",
                "",
                _mb(floor["peak_rss_mb"]),
                _ratio(ours["peak_rss_mb"], floor["peak_rss_mb"]),
            )
            if csv_floor:
                row(
                    size,
                    "import XLSX against the CSV floor",
                    _s(ours["seconds"]),
                    "",
                    "",
                    _s(csv_floor["seconds"]),
                    _ratio(ours["seconds"], csv_floor["seconds"]),
                )
        q = figures.get("queries")
        if q and q.get("failed"):
            row(size, "page queries", f"{q['failed']} ({_mb(q['process']['peak_tree_mb'])})")
        elif q:
            load = q.get("reference_load")
            if load:
                row(
                    size,
                    "reference: load the store into DataFrames (once)",
                    "",
                    f"{_s(load['seconds'])}, {_mb(load['dataframes_mb'])}",
                )
            t_med = target_for("page queries: median", size)
            t_fast = target_for("page queries: at least 10", size)
            for p in q["pages"]:
                ours, ref = p["ours"], p["reference"]
                target = met = ""
                if p["page"] in pages.APP_PAGES and (t_med or t_fast):
                    parts = []
                    if t_med:
                        parts.append(f"< {t_med['limit']} ms")
                    if t_fast:
                        parts.append("≥ 10 × faster")
                    target = ", ".join(parts)
                    ok = (not t_med or ours["median_ms"] < t_med["limit"]) and (
                        not t_fast
                        or (ref is not None and ref["median_ms"] >= 10 * ours["median_ms"])
                    )
                    met = met_text(ok)
                row(
                    size,
                    f"{p['page']}, {p['filters']}: median (p95), {ours['runs']} runs",
                    f"{_ms(ours['median_ms'])} ({_ms(ours['p95_ms'])})",
                    f"{_ms(ref['median_ms'])} ({_ms(ref['p95_ms'])})" if ref else "–",
                    _ratio(ours["median_ms"], ref["median_ms"] if ref else None),
                    target=target,
                    met=met,
                )
            privacy = [p["privacy_step"]["median_ms"] for p in q["pages"]]
            row(
                size,
                "privacy step (suppression), all pages, median (ours only)",
                _ms(sum(v for v in privacy if not math.isnan(v))),
            )
            agreement = q["agreement"]
            row(
                size,
                "reference and dashboard give identical figures",
                f"{agreement['identical']} / {agreement['checks']} statements",
                target="all identical",
                met=met_text(agreement["identical"] == agreement["checks"]),
            )
        b = figures.get("browser")
        if b and "skipped" not in b:
            row(
                size,
                "browser: server start to first chart drawn (cold)",
                _s(b.get("cold_first_chart_s")),
            )
            row(
                size, "browser: server start to Overview done (cold)", _s(b.get("cold_page_done_s"))
            )
            warm = b.get("warm_filter_changes", [])
            row(
                size,
                f"browser: filter change to charts redrawn (warm), median of {len(warm)}",
                _s(b.get("warm_median_s")),
            )
            t = target_for("server memory", size)
            row(
                size,
                "server: peak memory (process tree)",
                _mb(b.get("server_peak_rss_mb")),
                target="< 1.5 GB" if t else "",
                met=met_text(t["met"]) if t else "",
            )
            c = b.get("concurrent")
            if c:
                t = target_for("ten concurrent sessions at 1 million: p95 click to chart", size)
                row(
                    size,
                    f"{c['sessions']} sessions: click to chart, p95 (median), {c['clicks']} clicks",
                    f"{_s(c['click_p95_s'])} ({_s(c['click_median_s'])})",
                    target="< 2 s" if t else "",
                    met=met_text(t["met"]) if t else "",
                )
                row(
                    size,
                    f"{c['sessions']} sessions: click to end of the server's rerun, p95 (median)",
                    f"{_s(c['rerun_p95_s'])} ({_s(c['rerun_median_s'])})",
                )
                if c.get("server_runs"):
                    t = target_for("ten concurrent sessions at 1 million: p95 server", size)
                    row(
                        size,
                        f"{c['sessions']} sessions: the server's own time per run of the page, "
                        f"p95 (median), {c['server_runs']} runs",
                        f"{_s(c['server_run_p95_s'])} ({_s(c['server_run_median_s'])})",
                        target=f"< {RERUN_P95_LIMIT * 1000:.0f} ms" if t else "",
                        met=met_text(t["met"]) if t else "",
                    )
                cpu = c.get("cpu_seconds", {})
                cores = b.get("cores") or {}
                placed = (
                    f" (server on core {', '.join(map(str, cores['server']))}, browsers on "
                    f"{', '.join(map(str, cores['browsers']))})"
                    if cores.get("server")
                    else " (sharing every core)"
                )
                row(
                    size,
                    f"{c['sessions']} sessions: CPU seconds, server / Chromium, "
                    f"over {c['wall_seconds']:.0f} s{placed}",
                    f"{cpu.get('server', 0):.0f} / {cpu.get('browser', 0):.0f}",
                )
                if c["errors"]:
                    row(size, f"{c['sessions']} sessions: clicks or opens timed out",
                        str(len(c["errors"])))  # fmt: skip
            if b.get("external_requests"):
                row(size, "requests to other hosts (aborted)", str(len(b["external_requests"])))
        elif b:
            row(size, "browser", b["skipped"])
    return "\n".join(lines)


# --- extras kept from the earlier harness ------------------------------------------------------

ADVERSARIAL_ANSWERS = [
    "a." * 10000 + "@x",
    "1 " * 10000,
    "(1) " * 5000,
    "a dot " * 4000 + "at x",
    "a [dot] " * 3000 + "[at] x",
    "a@" + "b." * 10000,
    "x.com/" + "a" * 20000,
]


def redaction_timing() -> list[dict]:
    """Long hostile answers must cost time in proportion to their length (no regex blow-up)."""
    from dashboard.protection.redact import redact

    timings = []
    for text in ADVERSARIAL_ANSWERS:
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            redact(text)
            seconds.append(time.perf_counter() - start)
        timings.append(
            {
                "text": text[:12],
                "characters": len(text),
                "median_ms": statistics.median(seconds) * 1000,
            }
        )
    return timings


def pack_timing(db: Path) -> dict:
    """The report pack (every chart, table and answer) with no filter, once."""
    from dashboard.publish.report import pack_files

    con = database.connect(db)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        start = time.perf_counter()
        files = pack_files(con, consultation, Filters())
        return {
            "seconds": time.perf_counter() - start,
            "files": len(files),
            "mb": sum(len(v) for v in files.values()) / 1e6,
        }
    finally:
        con.close()


# --- the run -------------------------------------------------------------------------------------


def machine() -> dict:
    import duckdb
    import pandas
    import streamlit

    def version_of(command: list[str]) -> str | None:
        try:
            return subprocess.run(
                command, capture_output=True, text=True, timeout=20
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None

    dirty = version_of(["git", "-C", str(ROOT), "status", "--porcelain", "dashboard", "queries"])
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / GB, 1),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
        "chromium": version_of(["/usr/bin/chromium", "--version"]),
        # BENCH_COMMIT names the commit when the code runs from an export (`git archive`).
        "commit": version_of(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        or os.environ.get("BENCH_COMMIT"),
        "uncommitted_changes_in_dashboard_or_queries": bool(dirty),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(DEFAULT_SIZES),
        help="responses per consultation (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each page")
    parser.add_argument(
        "--page-budget",
        type=float,
        default=60.0,
        help="seconds of runs per page and filter before stopping early (at least 3 runs)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where exports and stores go; exports found there are reused "
        "(default: a temporary folder, removed at the end)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores in --workdir")
    parser.add_argument(
        "--xlsx-max",
        type=int,
        default=1_000_000,
        help="largest size also written and imported as XLSX",
    )
    parser.add_argument(
        "--memory-limit-gb",
        type=float,
        default=round(min(14.0, psutil.virtual_memory().total / GB * 0.6), 1),
        help="stop an import process beyond this (the machine is shared)",
    )
    parser.add_argument(
        "--query-memory-limit-gb",
        type=float,
        default=round(min(18.0, psutil.virtual_memory().total / GB * 0.78), 1),
        help="stop the page-query step beyond this (it holds the reference's DataFrames)",
    )
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument(
        "--skip-reference",
        action="store_true",
        help="time the dashboard only (no pandas reference, no agreement check)",
    )
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="times each session clicks through every page (new filters each)",
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a session waits between clicks"
    )
    parser.add_argument(
        "--warm-changes",
        type=int,
        default=len(WARM_REGIONS),
        help="filter changes timed after the cold start (a region added each time)",
    )
    parser.add_argument(
        "--check-pages",
        choices=("first", "all", "none"),
        default="first",
        help="check with AppTest that the pages run what pages.PAGES lists",
    )
    parser.add_argument("--pack", action="store_true", help="also time the report pack")
    parser.add_argument(
        "--many-files",
        action="store_true",
        help="also time 10,000 small JSON pages as one import (against one import per file, on "
        "200 of them) and a 2,000-column export (benchmarks/many_files.py)",
    )
    parser.add_argument("--query-phase", nargs=2, metavar=("STORE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--table-from",
        type=Path,
        metavar="RESULTS",
        help="print the table of an earlier results.json, and run nothing",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.query_phase:
        # DuckDB's own DataFrame conversion warns about pandas' future (as in pyproject).
        warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame.drop")
        db, out = map(Path, args.query_phase)
        figures = run_query_phase(
            db, runs=args.runs, budget=args.page_budget, with_reference=not args.skip_reference
        )
        out.write_text(json.dumps(_plain(figures)), encoding="utf-8")
        return 0
    if args.table_from:
        # Print the table of earlier results again (targets evaluated afresh).
        earlier = json.loads(args.table_from.read_text(encoding="utf-8"))
        results = {int(size): figures for size, figures in earlier["sizes"].items()}
        print(markdown_table(results, evaluate_targets(results)))
        return 0
    started = datetime.now(UTC)
    command = "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="consultation-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    limit = int(args.memory_limit_gb * GB)
    log(f"benchmark: sizes {args.sizes}, {args.runs} runs, work in {workdir}")
    output: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "command": command,
        "machine": machine(),
        "load_average_at_start": os.getloadavg(),
        "settings": {
            "runs": args.runs,
            "page_budget_seconds": args.page_budget,
            "typical_filter": TYPICAL_TEXT,
            "sessions": args.sessions,
            "rounds": args.rounds,
            "think_seconds": args.think,
            "memory_limit_gb": args.memory_limit_gb,
            "query_memory_limit_gb": args.query_memory_limit_gb,
        },
        "pages": {p: [c.label for c in calls] for p, calls in pages.PAGES.items()},
        "redaction": redaction_timing(),
        "sizes": {},
    }
    results: dict[int, dict] = {}
    failed_agreement = False
    if args.many_files:
        log("\n== many files, one import; a 2,000-column export ==")
        output["many_files"] = many_files.measure(
            pages=10_000, compare=200, wide_columns=2_000, wide_rows=500, runs=3
        )
        log(many_files.summary(output["many_files"]))
    try:
        for index, size in enumerate(args.sizes):
            log(f"\n== {size:,} responses ==")
            figures: dict[str, Any] = {"load_average_at_start": os.getloadavg()}
            results[size] = figures
            folder = workdir / f"size-{size}"
            folder.mkdir(parents=True, exist_ok=True)
            log("  writing the export ...")
            csv_path, xlsx_path, stats, reused = generate.cached_export(
                workdir / "exports", size, xlsx=size <= args.xlsx_max
            )
            figures["export"] = {**asdict(stats), "reused": reused}
            log(
                f"  export: {stats.rows:,} respondents, {stats.responses:,} responses, "
                f"{stats.csv_bytes / 1e6:,.0f} MB CSV"
                + (" (reused)" if reused else f" in {stats.seconds:.0f} s")
            )
            figures["import"], db = run_import_phase(size, csv_path, xlsx_path, folder, limit)
            figures["store"] = {**check_store(db, size), "mb": db.stat().st_size / 1e6}
            if args.check_pages == "all" or (args.check_pages == "first" and index == 0):
                log("  checking the pages' statements with AppTest ...")
                figures["page_statements"] = check_page_statements(db)
                if not figures["page_statements"]["matches"]:
                    log(
                        f"  WARNING: pages run other statements than benchmarks/pages.py lists: "
                        f"{json.dumps(figures['page_statements']['differences'])}"
                    )
            _write(args.out, output, results)
            log(f"  page queries (progress in {folder / 'logs' / 'queries.log'}) ...")
            figures["queries"] = query_phase_in_a_process(db, folder, args)
            agreement = figures["queries"].get("agreement", {"failures": []})
            if agreement["failures"]:
                failed_agreement = True
                log(
                    f"  DISAGREEMENT between the reference and the dashboard: "
                    f"{json.dumps(agreement['failures'], default=str)[:4000]}"
                )
            if args.pack:
                figures["report_pack"] = pack_timing(db)
            if not args.skip_browser:
                log("  browser ...")
                themes, languages = theme_and_language_labels(db)
                figures["browser"] = browser.browser_phase(
                    db,
                    folder,
                    theme_labels=themes,
                    language_labels=languages,
                    sessions=args.sessions,
                    rounds=args.rounds,
                    think=args.think,
                    timeout_ms=(60 + 60 * size / 1_000_000) * 1000,
                    warm_regions=WARM_REGIONS[: args.warm_changes],
                )
                b = figures["browser"]
                if "skipped" not in b:
                    log(
                        f"  cold {b['cold_first_chart_s']:.1f} s, warm {b['warm_median_s']:.2f} s, "
                        f"server peak {b['server_peak_rss_mb']:,.0f} MB"
                        + (
                            f", {b['concurrent']['sessions']} sessions p95 "
                            f"{b['concurrent']['click_p95_s']:.2f} s"
                            if b.get("concurrent")
                            else ""
                        )
                    )
            figures["load_average_at_end"] = os.getloadavg()
            if not args.keep:
                for path in folder.glob("*.duckdb*"):
                    path.unlink()
            _write(args.out, output, results)  # figures so far, in case a later size fails
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    table = _write(args.out, output, results)
    log(
        f"\nBenchmark of {started:%Y-%m-%d %H:%M} UTC on {output['machine']['cpus']} cores, "
        f"{output['machine']['ram_gb']} GB RAM (typical filter: {TYPICAL_TEXT}):\n"
    )
    print(table)
    log(f"\nFigures written to {args.out}")
    if failed_agreement:
        log("The reference and the dashboard DISAGREE (see 'agreement' in the results).")
        return 1
    return 0


def _write(out: Path, output: dict, results: dict[int, dict]) -> str:
    targets = evaluate_targets(results)
    table = markdown_table(results, targets)
    output["sizes"] = {str(size): figures for size, figures in results.items()}
    output["targets"] = targets
    output["table"] = table
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_plain(output), indent=2, allow_nan=False)
    out.write_text(text + "\n", encoding="utf-8")
    return table


def _plain(value: Any) -> Any:
    """JSON values: NaN becomes null, NumPy scalars Python ones, anything else its text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
