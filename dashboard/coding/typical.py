"""Typical answers and pinned quotes: for a theme, a code or a topic (or any set of answers), the
answers closest to the set's centre, which an analyst reads and pins as quotes for the report.

Closeness is measured offline and without a language model: each answer becomes a TF-IDF
vector of its character n-grams taken within words (`char_wb`), which works in every script,
Chinese too, without splitting it into words; the set's centre is the mean of those vectors, and
an answer's closeness is its cosine to that centre. The same texts always give the same order
(ties keep the order the answers came in).

Only redacted texts are ranked, and only answers an answer listing may show
(queries/coding/typical_candidates.sql): a quote shows what the answer's card shows (its place
named by the card rules of queries/macros/listing_places.sql), plus its stakeholder type where
queries/macros/quote_types.sql allows it. Pins are kept by respondent, question and text, like
an analyst's tag decisions, and every pin and unpin is in the audit log.

A pin names its subject by kind and id: a theme's id, a code's id, or a topic's *label*. Topics
(dashboard/coding/topics.py) are found anew from the answers matching the filters and are not
stored, so a topic has no stable id: its label, its first `LABEL_TERMS` terms joined by ", " as
the Topics page's title shows them, is what an analyst saw when pinning, and what the report
groups its quotes under. A topic pin stands while its answer's text is unchanged and a listing
may show it (pinned_quotes.sql keeps kinds other than themes and codes as pinned), whatever
topics the answers give later.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from dashboard.reference import geo, i18n
from dashboard.reference.i18n import N_, _
from dashboard.store import queries
from dashboard.store.database import audit, transaction
from dashboard.store.queries import Filters

KINDS = ("theme", "code", "topic")
KIND_NAMES = {"theme": N_("Theme"), "code": N_("Code"), "topic": N_("Topic")}
LABEL_TERMS = 5  # a topic's label: its first five terms, as the Topics page's title
# Answers ranked per subject at most: beyond this, a fixed sample of them (the same on every
# run), so that a theme of a million answers is ranked in about the time of a few thousand.
CANDIDATE_LIMIT = 5000
TOP = 10
# Character n-grams of two to four characters within words: long enough to carry a word's
# stem in Latin, Cyrillic and Arabic scripts, short enough for Chinese, where two characters
# often make a word.
NGRAMS = (2, 4)


def centrality(texts: Sequence[str]) -> np.ndarray:
    """Each text's cosine to the centre of all of them (0 for a text with no character n-gram
    in common with the rest, or when no text has any), by TF-IDF over character n-grams.

    The same as scikit-learn's TfidfVectorizer (smooth idf, sublinear tf, l2 rows) over every
    text, centre the mean of the rows; but each distinct text is split into n-grams once, its
    copies counted as weights (answers repeat: a third of the sample's are distinct)."""
    # Imported here, not with the module: the command line imports this module with the report
    # on every command, and scikit-learn took 0.4 s of each command's start.
    from scipy.sparse import diags
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    if len(texts) == 0:
        return np.zeros(0)
    folded = [unicodedata.normalize("NFKC", t) for t in texts]
    distinct, inverse, copies = np.unique(
        np.array(folded, dtype=object), return_inverse=True, return_counts=True
    )
    counter = CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS, lowercase=True)
    try:
        counts = counter.fit_transform(distinct.tolist()).astype(np.float64).tocsr()
    except ValueError:  # no text has any n-gram (all blank or one character)
        return np.zeros(len(texts))
    n = float(copies.sum())
    # Document frequency over every text: a distinct text counts as many times as it occurs.
    df = np.asarray((counts > 0).T @ copies).ravel()
    idf = np.log((1 + n) / (1 + df)) + 1
    # Sublinear tf: a long answer repeating a word does not outweigh the others.
    counts.data = 1 + np.log(counts.data)
    vectors = normalize(counts @ diags(idf))
    centre = np.asarray(vectors.T @ copies).ravel() / n
    norm = np.linalg.norm(centre)
    if norm == 0:
        return np.zeros(len(texts))
    scores = np.asarray(vectors @ (centre / norm)).ravel()  # rows are unit vectors already
    return scores[inverse.ravel()]


def rank_typical(
    texts: Sequence[str], ids: Sequence[Hashable] | None = None, top: int | None = None
) -> list[tuple[Hashable, float]]:
    """The answers of a set, most typical first: (id, cosine to the set's centre) for each
    (`ids` default to the texts' positions), the `top` first only when given. Deterministic:
    equal scores keep the order given. Any set of answers works: a theme's, a code's, a topic's."""
    ids = list(range(len(texts))) if ids is None else list(ids)
    if len(ids) != len(texts):
        raise ValueError("texts and ids differ in length")
    scores = centrality(texts)
    order = sorted(range(len(ids)), key=lambda n: (-round(float(scores[n]), 12), n))
    if top is not None:
        order = order[:top]
    return [(ids[n], float(scores[n])) for n in order]


def candidates(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    filters: Filters,
    kind: str,
    subject: str,
    k: int,
    limit: int = CANDIDATE_LIMIT,
) -> pd.DataFrame:
    """The subject's answers that a listing may show under the filters (at most `limit`, a fixed
    sample beyond it), with what a quote shows of each; see typical_candidates.sql. Not for a
    topic: its answers are found with it (`topics.topics_for`), not stored."""
    if kind not in ("theme", "code"):
        raise ValueError(f"candidates are a theme's or a code's, not a {kind!r}'s")
    params = {**filters.params(consultation_id), "k": k, "kind": kind, "subject": subject}
    return queries.frame(con, "coding/typical_candidates", {**params, "limit": limit})


def typical_answers(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    filters: Filters,
    kind: str,
    subject: str,
    k: int,
    top: int = TOP,
) -> pd.DataFrame | None:
    """The `top` answers most typical of a theme or code under the filters, most typical first,
    with a `closeness` column (cosine to the centre); an answer written alike several times is
    shown once. None when the subject's answers come from fewer than k respondents: even
    unnamed, a handful of answers could point to who gave them. `k` is the consultation's
    threshold (1: an administrator's exact figures)."""
    frame = candidates(con, consultation_id, filters, kind, subject, k)
    if frame.empty:
        return frame.assign(closeness=pd.Series(dtype=float))
    if int(frame["respondents"].iloc[0]) < k:
        return None
    return most_typical(frame, top).drop(columns=["respondents", "responses"])


def most_typical(frame: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """The `top` rows of a set of answers (an `answer` column) most typical of it, most typical
    first, with a `closeness` column; an answer written alike several times (case and spacing
    aside) is kept once, the first of its copies in the order given."""
    ranked = rank_typical(frame["answer"].tolist())
    order = [n for n, _score in ranked]
    frame = frame.iloc[order].assign(closeness=[score for _n, score in ranked])
    same = frame["answer"].map(lambda t: " ".join(str(t).casefold().split()))
    frame = frame[~same.duplicated()]
    return frame.head(top).reset_index(drop=True)


def fixed_sample(frame: pd.DataFrame, limit: int = CANDIDATE_LIMIT) -> pd.DataFrame:
    """At most `limit` rows of a set of answers, the same ones on every run: those first by a
    fixed hash of where each answer is (import, source row, question), in their given order;
    the Python side of typical_candidates.sql's sample, for sets found outside SQL (a topic's)."""
    if len(frame) <= limit:
        return frame
    keys = frame[["import_id", "source_row", "question_id"]]
    hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
    kept = np.sort(np.argsort(hashes, kind="stable")[:limit])
    return frame.iloc[kept]


def topic_label(terms: Sequence[str]) -> str:
    """A topic's label, which names it in pins and in the report: its first `LABEL_TERMS`
    terms joined by ", " (what the Topics page's title shows)."""
    return ", ".join(terms[:LABEL_TERMS])


def pinned_quotes(
    con: duckdb.DuckDBPyConnection, consultation_id: str, filters: Filters, k: int
) -> pd.DataFrame:
    """Every pinned quote whose answer a listing may show under the filters and which is still
    about its subject, with what a quote shows of it; see pinned_quotes.sql."""
    return queries.frame(con, "coding/pinned_quotes", {**filters.params(consultation_id), "k": k})


def pin(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    kind: str,
    subject: str,
    answer: tuple[int, int, str],
    who: str,
) -> None:
    """Pin the answer at (import, source row, question) as a quote of the subject. Logged."""
    _check_kind(kind)
    where = _where(consultation_id, kind, subject, answer)
    with transaction(con):
        queries.execute(
            con,
            "store/insert_quote_pin",
            {**where, "pinned_by": who, "pinned_at": datetime.now(UTC)},
        )
        audit(con, who, "quote_pinned", consultation_id, _details(kind, subject, answer))


def unpin(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    kind: str,
    subject: str,
    answer: tuple[int, int, str],
    who: str,
) -> None:
    """Take the pin off: the answer is no longer a quote of the subject. Logged."""
    _check_kind(kind)
    with transaction(con):
        queries.execute(
            con, "store/delete_quote_pin", _where(consultation_id, kind, subject, answer)
        )
        audit(con, who, "quote_unpinned", consultation_id, _details(kind, subject, answer))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"a quote's subject is one of {KINDS}, not {kind!r}")


def _where(consultation_id: str, kind: str, subject: str, answer: tuple[int, int, str]) -> dict:
    import_id, source_row, question_id = answer
    return {
        "consultation": consultation_id,
        "import_id": int(import_id),
        "source_row": int(source_row),
        "question_id": question_id,
        "kind": kind,
        "subject": subject,
    }


def _details(kind: str, subject: str, answer: tuple[int, int, str]) -> dict[str, Any]:
    return {
        "kind": kind,
        "subject": subject,
        "import_id": int(answer[0]),
        "row": int(answer[1]),
        "question": answer[2],
    }


def score_text(score: float) -> str:
    """A closeness (cosine, 0 to 1) with two decimals, as the language in force writes them."""
    return format_decimal(round(score, 2), format="0.00", locale=i18n.locale())


def place_text(iso3: object, country: object, region: object) -> str:
    """Where a quote comes from, exactly as its answer card says it: the country where the card
    names it, else the region of its pool of small countries ("Western Asia (country not
    shown)"), else "Country not shown"; "Country unknown" for an unrecognised country."""
    if isinstance(country, str):
        return str(geo.country_name(iso3 if isinstance(iso3, str) else country, country))
    if region == "Unknown":
        return _("Country unknown")
    if not isinstance(region, str):
        return _("Country not shown")
    return _("{region} (country not shown)").format(region=geo.place_name(region))


def stakeholder_text(stakeholder_type: object) -> str:
    """A quote's stakeholder type as written, or why it is not named."""
    if not isinstance(stakeholder_type, str):
        return _("Stakeholder type not shown")
    if stakeholder_type == "Unknown":
        return _("Stakeholder type unknown")
    return stakeholder_type
