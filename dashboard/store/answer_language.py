"""The language an answer is written in, detected offline.

The respondent's declared language (the export's language column) says in which language they
took part; the answer itself may be in another (an English form answered in Spanish). lingua's
models ship inside its wheel, so nothing is downloaded and no text leaves the machine.

Detected once per distinct text, at import (dashboard/importer/pipeline.py) and, for a store
made before this column, when the store is opened for writing (database.py). An answer shorter
than MIN_LENGTH characters, or with no language clearly ahead (confidence below MIN_CONFIDENCE),
gets None: no guess is stored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# Raised whenever what is detected may change (languages, thresholds, the detector's version),
# so a store made by an older version has the column detected again when opened for writing.
VERSION = 1
# The six official UN languages, and Portuguese and German, the languages besides them most
# met in the consultations this dashboard reads (and, being in Latin script, the likeliest to be
# misread as English, French or Spanish were they left out). Every language more costs time
# (measured on 1,500 generated answers: six languages 1.1 ms an answer, thirteen 3.0 ms) and
# memory (all models loaded: six about 240 MB, thirteen 400 MB, all 75 1.3 GB); an answer in a
# language not listed is left undetected where no listed language is clearly ahead, or read as
# its nearest listed neighbour.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
LANGUAGES = (*UN_LANGUAGES, "pt", "de")
# Only the start of a long answer is read: a few sentences tell its language as well as the
# whole, and the time grows with the length.
MAX_LENGTH = 300
# Answers shorter than this (after trimming) are too short to tell reliably ("OK", "Да.").
MIN_LENGTH = 20
# lingua's confidence values over the languages above add up to 1: below this, the best
# language is not clearly ahead of the next, and the answer is left undetected.
MIN_CONFIDENCE = 0.5
# The detector answers with one object per language for every text: asked about a million texts
# at once, those answers alone took about 1 KB a text (measured on 363,000 texts of the
# benchmark's export: 380 MB). Asked this many at a time, they stay a few megabytes, at no cost
# in time (each batch is still read in parallel).
BATCH = 20_000


@functools.cache
def detector() -> LanguageDetector:
    """The detector, built once per process; each language's models load on first use."""
    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect(
    texts: Sequence[str], on_progress: Callable[[float], None] | None = None
) -> list[str | None]:
    """The ISO 639-1 code of each text's language, or None (too short, or unclear); texts that
    can be detected are detected together, in parallel. `on_progress(share)` hears the share
    of the texts read after each batch (the longest stage of an import of a million answers)."""
    stripped = [text.strip() if isinstance(text, str) else "" for text in texts]
    # What the detector reads of each text: texts alike in their first MAX_LENGTH characters
    # (long answers that differ further on) are read once.
    read = {text[:MAX_LENGTH]: None for text in stripped if len(text) >= MIN_LENGTH}
    if not read:
        return [None] * len(texts)
    starts = list(read)
    for first in range(0, len(starts), BATCH):
        batch = starts[first : first + BATCH]
        values = detector().compute_language_confidence_values_in_parallel(batch)
        for start, confidences in zip(batch, values, strict=True):
            if confidences and confidences[0].value >= MIN_CONFIDENCE:
                read[start] = confidences[0].language.iso_code_639_1.name.lower()
        if on_progress is not None:
            on_progress(min(first + BATCH, len(starts)) / len(starts))
    return [read.get(text[:MAX_LENGTH]) if len(text) >= MIN_LENGTH else None for text in stripped]


def detect_series(
    values: pd.Series, on_progress: Callable[[float], None] | None = None
) -> pd.Series:
    """`detect` on a Series of answers (same index): each distinct text is detected once, so
    repeated answers cost nothing. Missing values, and texts not detected, give None."""
    if values.empty:
        return pd.Series([], index=values.index, dtype=object, name="answer_language")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    found = np.asarray([*detect(list(uniques), on_progress), None], dtype=object)
    # Code -1 (a missing value) takes the None appended at the end.
    return pd.Series(found[codes], index=values.index, dtype=object, name="answer_language")
