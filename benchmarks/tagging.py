"""Tagging throughput (`make bench-tagging`, or `python -m benchmarks.tagging --answers N`):
the sample codebook over N answers drawn from the sample's six-language sentence bank.

Measures, side by side in one run: the keyword matcher alone on answer texts in memory, and a
whole re-tag in the store (read every answer, match, write the codes with analysts' decisions
applied), as saving a codebook does. Medians of several runs; a figure, not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.coding import tagging
from dashboard.coding.codebook import Tagger, load_codebook
from dashboard.definition.consultation import load_consultation
from dashboard.store import database, queries
from dashboard.store.search_text import search_columns

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "civic-space-2020.toml"
CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"


def sentence_bank() -> list[str]:
    """Every sentence the sample generator writes answers from, in the six languages."""
    spec = importlib.util.spec_from_file_location("sample_generator", ROOT / "sample_data" /
                                                  "generate.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return [s for bank in module.PHRASES.values() for kind in bank.values() for s in kind]


def answers(count: int, seed: int = 11) -> list[str]:
    """Answers of one to three sentences, as people write them (mean about 150 characters)."""
    rng = random.Random(seed)
    bank = sentence_bank()
    return [" ".join(rng.choices(bank, k=rng.randint(1, 3))) for _ in range(count)]


def median_seconds(action, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def store_with(texts: list[str], folder: Path) -> tuple:
    """A store holding the sample consultation and one import of these answers."""
    consultation = load_consultation(SAMPLE)
    con = database.connect(folder / "tagging.duckdb")
    database.save_consultation(con, consultation)
    frame = pd.DataFrame(
        {
            "respondent_id": [f"R{n // 5:07d}" for n in range(len(texts))],
            "question_id": [f"q{n % 9 + 1}" for n in range(len(texts))],
            "answer": texts,
            "answer_redacted": texts,
            "submitted_at": pd.Timestamp(datetime(2020, 1, 15, tzinfo=UTC)),
            "source_row": [n // 5 + 2 for n in range(len(texts))],
        }
    )
    frame["source_file"] = "generated.csv"
    frame["source_file_row"] = frame["source_row"]
    searched = search_columns(frame["answer"], frame["answer_redacted"])
    frame["answer_search"] = searched["answer_search"]
    frame["answer_written_search"] = searched["answer_written_search"]
    frame["answer_language"] = pd.Series([None] * len(texts), dtype="str")  # not measured here
    frame["response_key"] = range(1, len(frame) + 1)  # a new store: the first answers
    frame["consultation_id"], frame["import_id"] = consultation.id, 1
    queries.execute_on(con, "store/insert_responses", "new_responses", frame)
    return con, consultation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    codebook = load_codebook(CODEBOOK)
    keywords = sum(len(c.keywords) for c in codebook.codes)
    texts = answers(args.answers)
    characters = sum(map(len, texts))
    print(
        f"{args.answers:,} answers ({characters / 1e6:.0f} M characters, six languages), "
        f"{len(codebook.codes)} codes with {keywords} keywords; median of {args.runs} runs"
    )
    tagger = Tagger(codebook)
    found: list = []
    matcher, _ = median_seconds(lambda: found.__setitem__(slice(None),
                                                         list(tagger.tag_all(texts))),
                                args.runs)  # fmt: skip
    print(
        f"  matcher alone: {matcher:.1f} s, {args.answers / matcher:,.0f} answers/s, "
        f"{len(found):,} tags"
    )
    with tempfile.TemporaryDirectory() as folder:
        con, consultation = store_with(texts, Path(folder))
        written = []

        def retag() -> None:
            with database.transaction(con):
                written.append(tagging.tag(con, consultation.id, codebook=codebook))

        whole, _ = median_seconds(retag, args.runs)
        con.close()
    print(
        f"  re-tag in the store (read, match, write): {whole:.1f} s, "
        f"{args.answers / whole:,.0f} answers/s, {written[-1]:,} tags"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
