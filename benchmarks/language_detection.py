"""How well the answers' own language is detected (`python -m benchmarks.language_detection`).

A labelled set of answers whose language is known:

* the sample (sample_data/generate.py): 100 distinct answers of at least 20 characters in each
  of the six UN languages, drawn with a fixed seed; each is labelled with the language the
  generator wrote it in (the respondent's language);
* the real exports in ../shared/realdata, read in place, where present: up to 100 English
  feedbacks of the European Commission's "Have your say" on the AI Act (the platform's own
  language field) and its French ones, English comments of two Polis conversations (Brexit
  consensus, London youth policing), and up to 100 Traditional Chinese comments of Polis vTaiwan
  (UberX). These labels come from the platforms, not from us: a comment in another language
  than its label counts as an error.

Accuracy is over answers of at least 20 characters (shorter ones are never detected): the
share whose detected language is the label; an answer left undetected counts as wrong. Also
printed: how many were left undetected, per language and source, and the detection time.
With `--import-size N`, the import-time cost too: the seconds the detection adds to an import
of a generated export of N responses (benchmarks/generate.py), each distinct text once.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

import pandas as pd

from dashboard.store import answer_language

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
PER_LANGUAGE = 100
SEED = 17
TARGET = 0.95


def _sample_answers() -> pd.DataFrame:
    sys.path.insert(0, str(ROOT / "sample_data"))
    try:
        import generate  # sample_data/generate.py
    finally:
        sys.path.pop(0)
    rows = [
        (text, r.language)
        for r in generate.generate_respondents()
        for text in r.answers.values()
        if len(text.strip()) >= answer_language.MIN_LENGTH
    ]
    frame = pd.DataFrame(rows, columns=["text", "language"]).drop_duplicates("text")
    picked = [
        group.sample(min(PER_LANGUAGE, len(group)), random_state=SEED)
        for _, group in frame.groupby("language", sort=True)
    ]
    return pd.concat(picked).assign(source="sample")


def _csv_rows(path: Path, **options: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, **options))


def _real_answers(folder: Path) -> pd.DataFrame:
    rng = random.Random(SEED)
    rows: list[tuple[str, str, str]] = []
    feedback = _csv_rows(folder / "have-your-say" / "ai-act-2021__feedbacks.csv")
    for language in ("en", "fr"):
        texts = [r["feedback"] for r in feedback if r["language"] == language]
        texts = [t for t in texts if len(t.strip()) >= answer_language.MIN_LENGTH]
        picked = rng.sample(texts, min(PER_LANGUAGE, len(texts)))
        rows += [(t, language, "have-your-say ai-act") for t in picked]
    polis = folder / "polis"
    for name, language, source in (
        ("brexit-consensus", "en", "polis brexit-consensus"),
        ("london-youth-policing", "en", "polis london-youth-policing"),
        ("vtaiwan-uberx", "zh", "polis vtaiwan-uberx"),
    ):
        texts = sorted(
            {
                r["comment-body"]
                for path in sorted((polis / name).glob("*comments.csv"))
                for r in _csv_rows(path)
                if len(r["comment-body"].strip()) >= answer_language.MIN_LENGTH
            }
        )
        picked = rng.sample(texts, min(PER_LANGUAGE, len(texts)))
        rows += [(t, language, source) for t in picked]
    return pd.DataFrame(rows, columns=["text", "language", "source"])


def labelled_set(realdata: Path | None = REALDATA) -> pd.DataFrame:
    """The labelled answers (text, language, source): the sample's, and the real exports'
    where `realdata` is a folder that exists."""
    parts = [_sample_answers()]
    if realdata is not None and realdata.is_dir():
        parts.append(_real_answers(realdata))
    return pd.concat(parts, ignore_index=True)


def detected(labelled: pd.DataFrame) -> pd.DataFrame:
    """The labelled set with the detected language (None: not detected) and whether it is
    right."""
    found = answer_language.detect(labelled["text"].tolist())
    out = labelled.assign(detected=found)
    return out.assign(correct=out["detected"].eq(out["language"]))


def accuracy(frame: pd.DataFrame) -> float:
    return float(frame["correct"].mean())


def import_cost(size: int, folder: Path) -> dict[str, float]:
    """Seconds the detection adds to the import of a generated export of `size` responses
    (benchmarks/generate.py): its answers' languages detected as the import does, each
    distinct text once; with how many answers and distinct texts there were."""
    from benchmarks import generate

    csv_path, _xlsx, _stats, _reused = generate.cached_export(folder, size, xlsx=False)
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    questions = [c for c in frame.columns if c.upper().startswith("Q")]
    answers = frame[questions].stack()
    answers = answers[answers.str.strip() != ""].reset_index(drop=True)
    start = time.perf_counter()
    answer_language.detect_series(answers)
    return {
        "responses": len(answers),
        "distinct": int(answers.nunique()),
        "seconds": time.perf_counter() - start,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    parser.add_argument("--import-size", type=int, default=0)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/dashboard-bench"))
    args = parser.parse_args(argv)
    labelled = labelled_set(args.realdata)
    start = time.perf_counter()
    result = detected(labelled)
    seconds = time.perf_counter() - start
    print(f"Answers of {answer_language.MIN_LENGTH} characters or more: {len(result)}")
    print("| language | source | answers | correct | not detected | accuracy |")
    print("|---|---|---:|---:|---:|---:|")
    for (language, source), group in result.groupby(["language", "source"], sort=True):
        print(
            f"| {language} | {source} | {len(group)} | {int(group['correct'].sum())} | "
            f"{int(group['detected'].isna().sum())} | {accuracy(group):.3f} |"
        )
    for language, group in result.groupby("language", sort=True):
        print(f"{language}: {accuracy(group):.3f} over {len(group)}")
    overall = accuracy(result)
    print(f"Overall accuracy: {overall:.3f} over {len(result)} (target {TARGET})")
    print(f"Detection time: {seconds:.1f} s for {len(result)} answers (models loaded lazily)")
    wrong = result[~result["correct"]]
    for row in wrong.head(20).itertuples():
        print(f"  wrong: {row.language} -> {row.detected} ({row.source}): {row.text[:80]!r}")
    if args.import_size:
        cost = import_cost(args.import_size, args.folder)
        print(
            f"Import-time cost: {cost['seconds']:.1f} s to detect {cost['distinct']} distinct "
            f"texts of {cost['responses']} answers"
        )
    return 0 if overall >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
