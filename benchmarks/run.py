"""Benchmarks (`make bench`): import and query times at the sample's size and at 1 million
responses. Timings are medians of several runs on this machine, printed with the run count;
they are for comparing changes side by side, not for tests (shared machines are noisy).
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from dashboard import charts, cli, queries, render, store
from dashboard.consultation import load_consultation
from dashboard.importer import import_file
from dashboard.queries import Filters
from dashboard.redact import redact
from dashboard.report import pack_files
from dashboard.summary import summary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "civic-space-2020.toml"
COUNTRIES = ["Senegal", "FRA", "Brazil", "Türkiye", "中国", "Россия", "Kenya", "Atlantis", "MEX"]
LANGUAGES = ["en", "Français", "es", "العربية", "中文", "Русский"]
PAGE_QUERIES = [
    "by_country",
    "by_region",
    "by_subregion",
    "by_un_group",
    "by_language_group",
    "by_theme",
    "by_question",
    "theme_by_region",
    "theme_by_language",
    "by_period",
]


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_wide_export(path: Path, respondents: int, seed: int = 7) -> int:
    """A wide CSV with nine question columns, about 5.6 answers a respondent."""
    rng = random.Random(seed)
    opens = datetime(2020, 1, 13, 9, tzinfo=UTC)
    answers = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Respondent ID", "Submitted at", "Country", "Language", "Stakeholder type"]
            + [f"Q{i}" for i in range(1, 10)]
        )
        for number in range(respondents):
            moment = opens + timedelta(seconds=rng.randrange(0, 12 * 86400))
            row = [
                f"B-{number:07d}",
                moment.isoformat(),
                rng.choice(COUNTRIES),
                rng.choice(LANGUAGES),
                rng.choice(["NGO", "Individual", "Academic"]),
            ]
            for _ in range(9):
                if rng.random() < 0.62:
                    row.append(f"answer {number} " + "civil society space " * rng.randrange(1, 6))
                    answers += 1
                else:
                    row.append("")
            writer.writerow(row)
    return answers


ADVERSARIAL_ANSWERS = [
    "a." * 10000 + "@x",
    "1 " * 10000,
    "(1) " * 5000,
    "a dot " * 4000 + "at x",
    "a [dot] " * 3000 + "[at] x",
    "a@" + "b." * 10000,
    "x.com/" + "a" * 20000,
]


def redaction_timing() -> None:
    """Long hostile answers must cost time in proportion to their length (no regex blow-up)."""
    for text in ADVERSARIAL_ANSWERS:
        seconds = median_seconds(lambda text=text: redact(text), runs=3)
        print(f"redact {len(text):,} characters of {text[:12]!r}...: {seconds * 1000:.0f} ms")


def main() -> int:
    redaction_timing()
    consultation = load_consultation(SAMPLE)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        sample_db = folder / "sample.duckdb"
        load_seconds = median_seconds(
            lambda: (
                sample_db.unlink(missing_ok=True),
                cli.main(["load-sample", "--db", str(sample_db)]),
            ),
            runs=3,
        )
        print(
            f"load the sample consultation (3 exports, 3,000 respondents): {load_seconds:.2f} s "
            "median of 3"
        )
        report(sample_db, "sample")
        pack_timing(sample_db, "sample", runs=3)

        export = folder / "million.csv"
        start = time.perf_counter()
        answers = write_wide_export(export, respondents=180_000)
        print(
            f"\nwrote {export.stat().st_size / 1e6:.0f} MB export with {answers:,} answers "
            f"in {time.perf_counter() - start:.1f} s"
        )
        big_db = folder / "big.duckdb"
        con = store.connect(big_db)
        store.save_consultation(con, consultation)
        start = time.perf_counter()
        loaded = import_file(con, export, consultation)
        print(
            f"import {loaded.responses_loaded:,} responses of {loaded.respondents_loaded:,} "
            f"respondents: {time.perf_counter() - start:.1f} s (one run)"
        )
        con.close()
        report(big_db, "1M")
        pack_timing(big_db, "1M", runs=1)
    return 0


def pack_timing(db: Path, label: str, runs: int) -> None:
    con = store.connect(db)
    consultation = store.get_consultation(con, "civic-space-2020")
    render.png(
        charts.bar_chart(
            pd.DataFrame({"a": ["x"], "n": [1]}), "a", "n", title="warm", value_label="n"
        )
    )  # start Chromium once, outside the timing
    files: dict[str, bytes] = {}

    def build() -> None:
        files.clear()
        files.update(pack_files(con, consultation, Filters()))

    seconds = median_seconds(build, runs=runs)
    size = sum(len(v) for v in files.values()) / 1e6
    print(
        f"[{label}] report pack ({len(files)} files, {size:.0f} MB): {seconds:.1f} s median "
        f"of {runs}"
    )
    con.close()


def report(db: Path, label: str) -> None:
    con = store.connect(db)
    consultation_id = "civic-space-2020"
    everything = Filters().params(consultation_id)
    narrowed = Filters(regions=("Africa",), themes=("protection",)).params(consultation_id)
    seconds = median_seconds(lambda: summary(con, consultation_id), runs=5)
    print(f"[{label}] summary (6 queries), no filter: {seconds * 1000:.0f} ms median of 5")
    for name, params in (("no filter", everything), ("region+theme", narrowed)):
        seconds = median_seconds(
            lambda params=params: [queries.frame(con, q, params) for q in PAGE_QUERIES], runs=5
        )
        print(
            f"[{label}] {len(PAGE_QUERIES)} page queries, {name}: {seconds * 1000:.0f} ms "
            "median of 5"
        )
    seconds = median_seconds(
        lambda: queries.frame(
            con,
            "answers",
            {
                **everything,
                "search": ["civil", "space"],
                "raw": False,
                "k": 5,
                "page_size": 25,
                "offset": 0,
            },
        ),
        runs=5,
    )
    print(f"[{label}] answers page with a two-word search: {seconds * 1000:.0f} ms median of 5")
    con.close()


if __name__ == "__main__":
    sys.exit(main())
