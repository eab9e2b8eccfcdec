"""Many small files and one very wide file: `python -m benchmarks.many_files`, or
`make bench BENCH_ARGS=--many-files` beside the other figures.

1. pages: N small JSON pages (5 to 50 comments each, as an API export pages them) in a temporary
   folder, imported as one import (`dashboard.importer.batch`: read, clean, one transaction, one
   tagging pass, one facts rebuild) into a fresh store with the sample codebook; and, side by
   side in the same run, the first `--compare` pages imported one file at a time (one import
   each, as before batches), and the same subset as one batch;
2. wide: a LimeSurvey-like export of `--wide-columns` answer columns (generated), imported with
   a mapping that sends every column to a question.

Each figure is the median of `--runs` runs, each into a fresh store, in this process.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from dashboard.coding import tagging
from dashboard.coding.codebook import load_codebook
from dashboard.definition.consultation import load_consultation
from dashboard.importer import import_file, load, parse_mapping, prepare
from dashboard.importer.batch import gather, import_batch
from dashboard.store import database

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "sample_data" / "civic-space-2020.toml"
CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"
WORDS = [
    "civic",
    "space",
    "protection",
    "partnership",
    "dialogue",
    "funding",
    "rights",
    "defenders",
    "online",
    "offline",
    "participation",
    "consultation",
    "youth",
    "women",
    "climate",
    "digital",
    "security",
    "law",
    "reform",
    "access",
]
COUNTRIES = ["France", "Senegal", "Brazil", "India", "Kenya", "Peru", "Japan", "Atlantis", ""]
LANGUAGES = ["en", "fr", "es", "Español", "ar", "zh", "ru", ""]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."


def write_pages(folder: Path, count: int, seed: int = 14) -> int:
    """`count` JSON pages of 5 to 50 comments; returns the number of comments."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    comments = 0
    for page in range(count):
        size = rng.randint(5, 50)
        records = [
            {
                "Respondent ID": f"p{page}-{row}",
                "Submitted at": f"2020-01-{rng.randint(13, 24)}T{rng.randint(0, 23):02d}:00:00Z",
                "Country": rng.choice(COUNTRIES),
                "Language": rng.choice(LANGUAGES),
                "Stakeholder type": rng.choice(["NGO", "Academic", "Individual", None]),
                "Q1": _sentence(rng),
            }
            for row in range(size)
        ]
        comments += size
        text = json.dumps({"count": size, "next": None, "results": records})
        (folder / f"page-{page:05d}.json").write_text(text, encoding="utf-8")
    return comments


def _fresh_store(path: Path):
    path.unlink(missing_ok=True)
    con = database.connect(path)
    consultation = load_consultation(DEFINITION)
    database.save_consultation(con, consultation)
    tagging.save_codebook(con, consultation, load_codebook(CODEBOOK, consultation), "bench")
    return con, consultation


def _timed(work, store: Path, runs: int) -> dict[str, Any]:
    seconds = []
    for _ in range(runs):
        con, consultation = _fresh_store(store)
        try:
            started = time.perf_counter()
            work(con, consultation)
            seconds.append(time.perf_counter() - started)
        finally:
            con.close()
    return {"median_s": statistics.median(seconds), "runs_s": seconds}


def pages_figures(workdir: Path, pages: int, compare: int, runs: int) -> dict[str, Any]:
    folder = workdir / "pages"
    comments = write_pages(folder, pages)
    paths = sorted(folder.iterdir())
    subset = paths[:compare]
    store = workdir / "pages.duckdb"

    def batch_of(chosen):
        return lambda con, c: import_batch(con, gather(chosen), c)

    def one_by_one(con, consultation):
        for path in subset:
            import_file(con, path, consultation)

    whole = _timed(batch_of([folder]), store, runs)
    batch_subset = _timed(batch_of(subset), store, runs)
    separate = _timed(one_by_one, store, runs)
    return {
        "pages": pages,
        "comments": comments,
        "batch": {**whole, "per_file_ms": whole["median_s"] / pages * 1000},
        "subset": {
            "files": len(subset),
            "batch": {**batch_subset, "per_file_ms": batch_subset["median_s"] / len(subset) * 1000},
            "one_import_per_file": {
                **separate,
                "per_file_ms": separate["median_s"] / len(subset) * 1000,
            },
        },
    }


def wide_figures(workdir: Path, columns: int, rows: int, runs: int) -> dict[str, Any]:
    """A LimeSurvey-like export: id, submitdate, startlanguage and `columns` answer columns
    (G01Q0001 ...), a third of them filled in; every column mapped to one of the questions."""
    rng = random.Random(2000)
    headers = [f"G{1 + c // 100:02d}Q{c:04d}" for c in range(columns)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "submitdate", "startlanguage", *headers])
    for row in range(rows):
        answers = [_sentence(rng) if rng.random() < 0.33 else "" for _ in headers]
        writer.writerow([row + 1, f"2020-01-{rng.randint(13, 24)} 10:00:00", "en", *answers])
    data = buffer.getvalue().encode()
    questions = "\n".join(f'"{h}" = "q{1 + i % 9}"' for i, h in enumerate(headers))
    mapping = parse_mapping(
        '[columns]\nrespondent_id = "id"\nsubmitted_at = "submitdate"\n'
        f'language = "startlanguage"\n\n[questions]\n{questions}\n'
    )
    store = workdir / "wide.duckdb"
    counted: dict[str, int] = {}

    def work(con, consultation):
        report = load(con, prepare(data, "limesurvey-wide.csv", consultation, mapping))
        counted["responses"] = report.responses_loaded

    figures = _timed(work, store, runs)
    return {"columns": columns, "rows": rows, "mb": len(data) / 1e6, **counted, **figures}


def measure(pages: int, compare: int, wide_columns: int, wide_rows: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-many-files-") as folder:
        workdir = Path(folder)
        return {
            "runs": runs,
            "pages": pages_figures(workdir, pages, compare, runs),
            "wide": wide_figures(workdir, wide_columns, wide_rows, runs),
        }


def summary(figures: dict) -> str:
    p, w = figures["pages"], figures["wide"]
    s = p["subset"]
    return "\n".join(
        [
            f"| measure | median of {figures['runs']} runs |",
            "| --- | --- |",
            f"| {p['pages']:,} JSON pages ({p['comments']:,} comments), one import | "
            f"{p['batch']['median_s']:.1f} s ({p['batch']['per_file_ms']:.1f} ms a file) |",
            f"| first {s['files']} pages, one import | {s['batch']['median_s']:.2f} s "
            f"({s['batch']['per_file_ms']:.1f} ms a file) |",
            f"| first {s['files']} pages, one import per file | "
            f"{s['one_import_per_file']['median_s']:.1f} s "
            f"({s['one_import_per_file']['per_file_ms']:.0f} ms a file) |",
            f"| wide CSV, {w['columns']:,} answer columns x {w['rows']:,} rows "
            f"({w['mb']:.0f} MB, {w.get('responses', 0):,} responses) | {w['median_s']:.1f} s |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.many_files", description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--compare", type=int, default=200, help="pages also imported one by one")
    parser.add_argument("--wide-columns", type=int, default=2_000)
    parser.add_argument("--wide-rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    figures = measure(args.pages, args.compare, args.wide_columns, args.wide_rows, args.runs)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(summary(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
