"""Typical answers' times (`python -m benchmarks.typical STORE [--consultation ID]`): for every
theme and code of the consultation, unfiltered, the candidates' query and the ranking
(dashboard/coding/typical.py), and the ranking against scikit-learn's TfidfVectorizer over every
text (what it replaced). Medians of 3 runs; a figure, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
import unicodedata

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from dashboard.coding import tagging, typical
from dashboard.store import database
from dashboard.store.queries import Filters

RUNS = 3


def every_text_tfidf(texts: list[str]) -> np.ndarray:
    """The closeness as first written: TfidfVectorizer over every text, copies and all."""
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=typical.NGRAMS, sublinear_tf=True
    ).fit_transform([unicodedata.normalize("NFKC", t) for t in texts])
    centre = np.asarray(vectors.mean(axis=0)).ravel()
    return np.asarray(vectors @ (centre / np.linalg.norm(centre))).ravel()


def median_seconds(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--consultation", default="civic-space-2020")
    args = parser.parse_args()
    con = database.connect(args.store, read_only=True)
    consultation = database.get_consultation(con, args.consultation)
    k = consultation.suppression_k
    codes = [c.id for c in tagging.get_codebook(con, consultation.id).codes]
    subjects = [("theme", t.id) for t in consultation.themes] + [("code", c) for c in codes]
    print("subject | answers | distinct | query | ranking | TfidfVectorizer over every text")
    for kind, subject in subjects:
        frame = typical.candidates(con, consultation.id, Filters(), kind, subject, k)
        texts = frame["answer"].tolist()
        query = median_seconds(
            lambda kind=kind, subject=subject: typical.candidates(
                con, consultation.id, Filters(), kind, subject, k
            )
        )
        ranking = median_seconds(lambda texts=texts: typical.rank_typical(texts))
        before = median_seconds(lambda texts=texts: every_text_tfidf(texts))
        print(
            f"{kind} {subject} | {len(texts):,} | {len(set(texts)):,} | {query:.2f} s | "
            f"{ranking:.2f} s | {before:.2f} s"
        )
    con.close()


if __name__ == "__main__":
    main()
