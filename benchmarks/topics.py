"""How well emergent topics recover what answers were written about, and how fast.

`python -m benchmarks.topics` (also run by `make bench`) writes labelled answers in the six UN
languages from twelve known sub-topics (`sample_data/topic_answers.py`), finds topics among them
as the Topics page does (`dashboard.coding.topics.find_topics`, twelve topics, the sample
codebook's keywords as anchors across languages), and reports:

- the adjusted Rand index (scikit-learn's `adjusted_rand_score`) between the topics found and
  the generating sub-topics: over the answers written from one sub-topic, and over all answers
  against their primary sub-topic; overall and within each language (within a language, only
  how that language's answers are grouped counts);
- the same without anchors (no codebook), to show what the anchors bring across languages;
- the time to find topics (tokenising, weighing, factorising; the store's query is not in it)
  for each size, by default 10,000 and 100,000 answers.

Targets: ARI at least 0.6; under 30 s for 100,000 answers. Results go to
`benchmarks/topics-results.json` (or `--out`); exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from dashboard.coding.codebook import load_codebook
from dashboard.coding.topics import find_topics

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "sample_data"))
import topic_answers  # noqa: E402  (beside the sample generator, not a package)

CODEBOOK = ROOT / "sample_data" / "civic-space-2020.codebook.toml"
TOPICS = 12
ARI_TARGET = 0.6
SECONDS_TARGET = 30.0  # for 100,000 answers
DEFAULT_SIZES = (10_000, 100_000)


def measure(size: int, *, anchors: bool = True, seed: int = topic_answers.SEED) -> dict:
    answers = topic_answers.generate(size, seed)
    texts = [a.text for a in answers]
    languages = [a.language for a in answers]
    codebook = load_codebook(CODEBOOK) if anchors else None
    started, cpu = time.perf_counter(), time.process_time()
    found = find_topics(texts, languages, TOPICS, codebook)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    primary = np.array([a.primary for a in answers])
    single = np.array([a.secondary is None for a in answers])
    language = np.array(languages)
    labels = found.labels

    def ari(mask: np.ndarray) -> float:
        return float(adjusted_rand_score(primary[mask], labels[mask]))

    everyone = np.ones(len(answers), bool)
    return {
        "answers": size,
        "distinct_texts": len(set(zip(texts, languages, strict=True))),
        "anchors": anchors,
        "seconds": round(seconds, 2),
        # CPU time of this process (all its threads): what the wall time would be on a quiet
        # machine, give or take the factorisation's second thread.
        "cpu_seconds": round(cpu, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "topics_found": len(found.terms),
        "unplaced": int((labels < 0).sum()),
        "ari_single_subtopic": round(ari(single), 3),
        "ari_primary": round(ari(everyone), 3),
        "ari_single_by_language": {
            lang: round(ari(single & (language == lang)), 3) for lang in topic_answers.LANGUAGES
        },
        "single_language_topics": sum(
            1 for per_language in found.terms_by_language if len(per_language) == 1
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "topics-results.json")
    args = parser.parse_args(argv)
    runs = []
    for size in args.sizes:
        for anchors in (True, False):
            print(f"topics: {size:,} answers, anchors {'on' if anchors else 'off'} ...",
                  file=sys.stderr)  # fmt: skip
            runs.append(measure(size, anchors=anchors))
    print("| answers | distinct texts | anchors | seconds (CPU; load) | ARI (one sub-topic) | "
          "ARI (primary) | ARI by language (one sub-topic) |")  # fmt: skip
    print("|---:|---:|---|---:|---:|---:|---|")
    for run in runs:
        per_language = ", ".join(f"{k} {v:.2f}" for k, v in run["ari_single_by_language"].items())
        print(
            f"| {run['answers']:,} | {run['distinct_texts']:,} | "
            f"{'codebook' if run['anchors'] else 'none'} | {run['seconds']:.1f} "
            f"({run['cpu_seconds']:.1f}; {run['load_average']:.1f}) | "
            f"{run['ari_single_subtopic']:.3f} | {run['ari_primary']:.3f} | {per_language} |"
        )
    anchored = [r for r in runs if r["anchors"]]
    targets = [
        {
            "name": f"ARI (one sub-topic), {r['answers']:,} answers",
            "measured": r["ari_single_subtopic"],
            "target": ARI_TARGET,
            "met": r["ari_single_subtopic"] >= ARI_TARGET,
        }
        for r in anchored
    ] + [
        {
            "name": f"seconds to find topics, {r['answers']:,} answers",
            "measured": r["seconds"],
            "target": SECONDS_TARGET,
            "met": r["seconds"] < SECONDS_TARGET,
        }
        for r in anchored
        if r["answers"] >= 100_000
    ]
    for target in targets:
        print(f"{'met ' if target['met'] else 'MISSED'}  {target['name']}: "
              f"{target['measured']} (target {target['target']})")  # fmt: skip
    args.out.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": __import__("os").cpu_count(),
                    "python": platform.python_version(),
                },
                "runs": runs,
                "targets": targets,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0 if all(t["met"] for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
