"""Emergent topics: what people wrote about, found without a codebook, offline.

For the answers an answer listing may show under the filters (`queries/topic_answers.sql`, the
same answers as the Responses page), `find_topics`:

1. cuts each answer into stems (`text_features`: per-language stop words and Snowball stemmers,
   a Chinese word segmenter; nothing is fetched, no model is downloaded);
2. weighs them by TF-IDF (sub-linear term counts, words in at least two answers and in at most
   half of them);
3. adds *anchors* across languages: each code of the codebook whose keyword (in any language)
   an answer contains gives that answer one more feature, the same in every language, so that
   answers in Arabic and Spanish on reprisals share something even when no word of theirs does;
4. factorises the answers × features matrix into `n_topics` topics (non-negative matrix
   factorisation, scikit-learn's NMF, seeded: the same answers give the same topics), and puts
   each answer in the topic it weighs most on (answers with no counted word go in none).

A topic's terms are its heaviest stems shown as words (each stem as its most frequent written
form), overall and per language. `topics_for` then counts each topic's respondents and responses
by language and by region, hides cells of fewer than k respondents (with the secondary cells
that keep them hidden, `protection.suppression`), perturbs the shown counts under a filter as
every other figure is, and, for a topic of at least k respondents, keeps its typical answers:
its member answers closest to the topic's centre (`typical.most_typical`, the measure of a
theme's or a code's typical answers), each with what a quote shows of it and where it is, so
that an analyst can pin it as a quote of the topic (named by its label, `Topic.label`).
Respondent keys only count; they never leave this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from dashboard.coding import typical
from dashboard.coding.codebook import (
    ID_PATTERN,
    Code,
    Codebook,
    CodebookError,
    Tagger,
    codebook_from_dict,
    script_of,
)
from dashboard.coding.text_features import Tokeniser
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation, suppression
from dashboard.store import queries
from dashboard.store.queries import Filters

SEED = 20200113
DEFAULT_TOPICS = 12
MIN_TOPICS, MAX_TOPICS = 2, 30
TERMS = 10  # terms shown per topic
TERMS_PER_LANGUAGE = 6
# An anchor (a code's keyword found) weighs as much as this share of an answer's words: enough
# to pull answers in different languages on one subject together, not so much that a topic is
# only a code again.
ANCHOR_WEIGHT = 0.8
ANCHOR_SHARE = 0.3  # a topic names the codes found in at least this share of its answers
SINGLE_LANGUAGE_SHARE = 0.9  # "single-language": at least 9 answers in 10 in one language
ANCHOR_PREFIX = "\u2693"  # marks anchor features apart from words (no word contains it)

Step = Callable[[str, float], None]


@dataclass(frozen=True)
class Found:
    """What `find_topics` found: each answer's topic (-1: none) and each topic's terms."""

    labels: np.ndarray
    weights: np.ndarray  # each answer's weight on its topic
    terms: tuple[tuple[str, ...], ...]  # per topic, as words
    stems: tuple[tuple[str, ...], ...]  # per topic, the stems behind `terms`
    terms_by_language: tuple[dict[str, tuple[str, ...]], ...]
    anchors: tuple[tuple[str, ...], ...]  # per topic, the codes found in many of its answers


def _no_step(label: str, fraction: float) -> None:
    return None


def find_topics(
    texts: Sequence[str],
    languages: Sequence[str],
    n_topics: int = DEFAULT_TOPICS,
    codebook: Codebook | None = None,
    *,
    seed: int = SEED,
    on_step: Step | None = None,
) -> Found:
    """Topics of the answers (see the module notes); topics are numbered from the largest."""
    step = on_step or _no_step
    n = len(texts)
    if n == 0:
        return Found(np.zeros(0, int), np.zeros(0), (), (), (), ())
    step("words", 0.05)
    frame = pd.DataFrame({"text": list(texts), "language": list(languages)})
    frame["language"] = frame["language"].fillna("").astype(str)
    codes, distinct = pd.factorize(pd.MultiIndex.from_frame(frame[["text", "language"]]))
    tokeniser = Tokeniser()
    written: Counter = Counter()  # (stem, surface) → how often
    docs: list[list[str]] = []
    for text, language in distinct:
        words = tokeniser.pairs(text, language)
        written.update(words)
        docs.append([stem for stem, _surface in words])
    surfaces: dict[str, Counter] = {}
    for (stem, surface), count in written.items():
        surfaces.setdefault(stem, Counter())[surface] = count
    step("anchors", 0.35)
    anchor_ids: list[str] = []
    anchor_rows: list[list[int]] = []
    if codebook is not None and codebook.codes:
        tagger = Tagger(codebook)
        anchor_ids = [c.id for c in codebook.codes]
        index = {code_id: i for i, code_id in enumerate(anchor_ids)}
        anchor_rows = [sorted(index[c] for c in tagger.tag(text)) for text, _language in distinct]
    step("weights", 0.45)
    vectoriser = TfidfVectorizer(
        analyzer=_identity,
        min_df=2 if len(docs) > 20 else 1,
        max_df=0.5 if len(docs) > 20 else 1.0,
        sublinear_tf=True,
        max_features=30_000,
        dtype=np.float32,
    )
    try:
        words = vectoriser.fit_transform(docs)
        vocabulary = vectoriser.get_feature_names_out()
    except ValueError:  # no word is counted anywhere
        words = sparse.csr_matrix((len(docs), 0), dtype=np.float32)
        vocabulary = np.array([], dtype=object)
    features = words
    if anchor_ids:
        rows = np.repeat(np.arange(len(anchor_rows)), [len(r) for r in anchor_rows])
        cols = np.fromiter((c for r in anchor_rows for c in r), dtype=np.int64, count=len(rows))
        anchors = sparse.csr_matrix(
            (np.full(len(rows), ANCHOR_WEIGHT, np.float32), (rows, cols)),
            shape=(len(docs), len(anchor_ids)),
        )
        features = sparse.hstack([words, anchors], format="csr")
    n_topics = max(1, min(n_topics, features.shape[1], features.shape[0]))
    step("topics", 0.55)
    if features.nnz == 0:
        return Found(np.full(n, -1), np.zeros(n), (), (), (), ())
    # Each distinct text is one row, weighted by the square root of how many answers read so:
    # the factorisation's squared error then counts every answer once, as if each were a row,
    # at the cost of the distinct texts only.
    repeats = np.bincount(codes, minlength=len(docs)).astype(np.float32)
    features = sparse.diags(np.sqrt(repeats)) @ features
    model = NMF(
        n_components=n_topics,
        init="nndsvda",
        random_state=seed,
        max_iter=400,
        tol=1e-4,
    )
    w = model.fit_transform(features)
    h = model.components_
    step("terms", 0.9)
    w = w / np.sqrt(repeats)[:, None]
    best = w.argmax(axis=1)
    weight = w[np.arange(len(best)), best]
    doc_labels = np.where(weight > 0, best, -1)
    # Number the topics from the largest (ties: the factorisation's order), for a stable page.
    sizes = np.bincount(doc_labels[codes][doc_labels[codes] >= 0], minlength=n_topics)
    order = sorted(range(n_topics), key=lambda t: (-sizes[t], t))
    order = [t for t in order if sizes[t] > 0]
    renumber = np.full(n_topics + 1, -1)
    for new, old in enumerate(order):
        renumber[old] = new
    doc_labels = renumber[doc_labels]  # -1 stays -1 (the last slot)
    shown = {stem: _surface(counter) for stem, counter in surfaces.items()}
    doc_languages = np.array([language for _text, language in distinct], dtype=object)
    terms, stems, by_language, named = [], [], [], []
    n_words = words.shape[1]
    for old in order:
        top = [i for i in np.argsort(-h[old, :n_words], kind="stable")[:TERMS] if h[old, i] > 0]
        stems.append(tuple(str(vocabulary[i]) for i in top))
        terms.append(tuple(shown[str(vocabulary[i])] for i in top))
        members = np.flatnonzero(doc_labels == renumber[old])
        per_language: dict[str, tuple[str, ...]] = {}
        for language in sorted(set(doc_languages[members])):
            rows_of = members[doc_languages[members] == language]
            mass = np.asarray(words[rows_of].T @ repeats[rows_of]).ravel()
            picked = [i for i in np.argsort(-mass, kind="stable")[:TERMS_PER_LANGUAGE] if mass[i]]
            per_language[language] = tuple(shown[str(vocabulary[i])] for i in picked)
        by_language.append(per_language)
        if anchor_ids and len(members):
            share = np.zeros(len(anchor_ids))
            counts = repeats[members]
            for row, count in zip(members, counts, strict=True):
                share[anchor_rows[row]] += count
            share /= counts.sum()
            named.append(tuple(anchor_ids[i] for i in np.flatnonzero(share >= ANCHOR_SHARE)))
        else:
            named.append(())
    step("done", 1.0)
    return Found(
        labels=doc_labels[codes],
        weights=weight[codes],
        terms=tuple(terms),
        stems=tuple(stems),
        terms_by_language=tuple(by_language),
        anchors=tuple(named),
    )


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _surface(counter: Counter) -> str:
    """The form a stem is shown as: its most frequent written form (ties: the shortest, then
    alphabetical, so the choice does not depend on the order of the answers)."""
    return min(counter.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]


# ---- Topics as the page shows them: sizes protected, typical answers redacted ---------------

# What a topic's typical answer carries: what its quote card shows, and where it is (for a pin;
# never shown). No respondent id, no respondent key.
QUOTE_COLUMNS = (
    "answer",
    "import_id",
    "source_row",
    "question_id",
    "theme_id",
    "language",
    "iso3",
    "country",
    "region",
    "stakeholder_type",
)


@dataclass(frozen=True)
class Topic:
    number: int  # from 1, the largest first
    terms: tuple[str, ...]  # none for a topic of fewer than k respondents
    terms_by_language: dict[str, tuple[str, ...]]  # languages whose cell is shown
    anchors: tuple[str, ...]  # codes found in many of its answers
    respondents: int | None  # None: fewer than k (or hidden to protect another cell)
    responses: int | None
    by_language: pd.DataFrame  # language, respondents, responses, suppressed
    by_region: pd.DataFrame  # region, respondents, responses, suppressed
    main_language: str | None  # the one language of (almost) all its answers, if any
    # Its member answers most typical of it (typical.most_typical), QUOTE_COLUMNS and
    # `closeness`; none for a topic of fewer than k respondents.
    typical: pd.DataFrame

    @property
    def label(self) -> str:
        """What names the topic (its page title, its pins, its quotes in the report): its first
        terms; empty for a topic of fewer than k respondents, which shows none."""
        return typical.topic_label(self.terms)


@dataclass(frozen=True)
class Topics:
    topics: tuple[Topic, ...]
    answers: int  # responses the topics were found among
    unplaced: int  # of which in no topic (no counted word)
    languages: tuple[str, ...]  # languages of those answers
    k: int
    perturbed: bool
    warnings: tuple[str, ...] = field(default=())


def topics_for(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    filters: Filters,
    n_topics: int,
    k: int,
    codebook: Codebook | None,
    *,
    perturbed: bool = False,
    on_step: Step | None = None,
) -> Topics:
    """The topics of the answers a listing may show under the filters, with protected sizes."""
    step = on_step or _no_step
    step("answers", 0.0)
    params = {**filters.params(consultation_id), "k": k}
    answers = queries.frame(con, "topic_answers", params, precomputed=False)
    languages = tuple(sorted(set(answers["language"].fillna("und"))))
    found = find_topics(
        answers["answer"].tolist(),
        answers["language"].fillna("und").tolist(),
        n_topics,
        codebook,
        # Finding takes about half the time on the sample; ranking each topic's typical answers
        # most of the rest.
        on_step=lambda label, fraction: step(label, 0.05 + 0.5 * fraction),
    )
    step("sizes", 0.55)
    # A quote shows the answer's place as its card does (a missing region: "country not
    # shown"), the sizes by region count it as "Unknown": the card's region kept apart.
    answers = answers.assign(
        topic=found.labels,
        weight=found.weights,
        language=answers["language"].fillna("und"),
        region=answers["region"].fillna("Unknown"),
        card_region=answers["region"],
    )
    placed = answers[answers["topic"] >= 0]
    by_language = _protected_grid(placed, "language", k, perturbed)
    by_region = _protected_grid(placed, "region", k, perturbed)
    topics = []
    for number in range(len(found.terms)):
        members = placed[placed["topic"] == number]
        language_cells = by_language[0][by_language[0]["topic"] == number].drop(columns="topic")
        region_cells = by_region[0][by_region[0]["topic"] == number].drop(columns="topic")
        # A topic's size is shown beside both breakdowns: hidden when either needs it hidden.
        respondents, responses = by_language[1].get(number, (None, None))
        if by_region[1].get(number, (None, None))[0] is None:
            respondents, responses = None, None
        shares = members["language"].value_counts(normalize=True)
        main = shares.index[0] if len(shares) and shares.iloc[0] >= SINGLE_LANGUAGE_SHARE else None
        # What a topic's words say comes from its answers: for a topic of fewer than k
        # respondents nothing of them is shown (its words could be one person's), and per
        # language only where that language's cell is shown.
        terms = found.terms[number] if respondents is not None else ()
        anchors = found.anchors[number] if respondents is not None else ()
        shown_languages = set(language_cells.loc[~language_cells["suppressed"], "language"])
        by_words = {
            language: words
            for language, words in found.terms_by_language[number].items()
            if respondents is not None and language in shown_languages
        }
        if respondents is None:
            main = None
        quotes = _typical_of(members.iloc[0:0])
        if respondents is not None:
            # Only for a topic of at least k respondents: its answers, like the Responses page's.
            step("typical", 0.6 + 0.4 * number / len(found.terms))
            quotes = _typical_of(members)
        topics.append(
            Topic(
                number=number + 1,
                terms=terms,
                terms_by_language=by_words,
                anchors=anchors,
                respondents=respondents,
                responses=responses,
                by_language=language_cells.reset_index(drop=True),
                by_region=region_cells.reset_index(drop=True),
                main_language=main,
                typical=quotes,
            )
        )
    step("done", 1.0)
    return Topics(
        topics=tuple(topics),
        answers=len(answers),
        unplaced=int((answers["topic"] < 0).sum()),
        languages=languages,
        k=k,
        perturbed=perturbed,
    )


def _typical_of(members: pd.DataFrame) -> pd.DataFrame:
    """A topic's typical answers among its members (at most typical.CANDIDATE_LIMIT of them
    ranked, a fixed sample beyond, as for a theme), with what a quote shows of each."""
    quotes = members.drop(columns="region").rename(columns={"card_region": "region"})
    quotes = typical.fixed_sample(quotes[list(QUOTE_COLUMNS)])
    if quotes.empty:
        return quotes.assign(closeness=pd.Series(dtype=float)).reset_index(drop=True)
    return typical.most_typical(quotes)


def _counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Respondents and responses per group, with the record key sums their noise is drawn
    from (summed per respondent first: a respondent counts once per cell)."""
    per_person = (
        frame.groupby([*by, "respondent_key"], sort=True)
        .agg(responses=("answer", "size"), record_key=("record_key", "first"))
        .reset_index()
    )
    keys = per_person["record_key"].fillna(0).astype("uint64").astype(object)
    per_person = per_person.assign(
        respondent_key_sum=keys, response_key_sum=keys * per_person["responses"]
    )
    return (
        per_person.groupby(by, sort=True)
        .agg(
            respondents=("respondent_key", "size"),
            responses=("responses", "sum"),
            respondent_key_sum=("respondent_key_sum", "sum"),
            response_key_sum=("response_key_sum", "sum"),
        )
        .reset_index()
    )


def _release(count: int, key_sum: object, floor: int, perturbed: bool) -> int | None:
    if not perturbed or count == 0:
        return count
    return perturbation.perturb(count, int(key_sum) % perturbation.KEY_MODULUS, floor)


def _protected_grid(
    placed: pd.DataFrame, column: str, k: int, perturbed: bool
) -> tuple[pd.DataFrame, dict[int, tuple[int | None, int | None]]]:
    """Topic × `column` cells (respondents, responses, suppressed) with cells of fewer than k
    respondents hidden, with what keeps them hidden given each topic's size (also returned, by
    topic, hidden as None) and each column's total; shown counts perturbed under a filter."""
    if placed.empty:
        empty = pd.DataFrame(columns=["topic", column, "respondents", "responses", "suppressed"])
        return empty, {}
    cells = _counts(placed, ["topic", column])
    sizes = _counts(placed, ["topic"]).set_index("topic")
    grid = cells.pivot_table(
        index="topic", columns=column, values="respondents", aggfunc="sum", fill_value=0
    )
    if k > 1:
        hidden = suppression.suppress_grid(grid, k)
        stacked = hidden.stack()
        mask = [
            bool(stacked.get((t, c), False))
            for t, c in zip(cells["topic"], cells[column], strict=True)
        ]
        row_hidden = hidden.attrs["row_totals"]
    else:
        mask = [False] * len(cells)
        row_hidden = pd.Series(False, index=grid.index)
    cells = cells.assign(suppressed=mask)
    released_people, released_answers = [], []
    for row in cells.itertuples(index=False):
        if row.suppressed:
            released_people.append(None)
            released_answers.append(None)
            continue
        released_people.append(_release(row.respondents, row.respondent_key_sum, k, perturbed))
        released_answers.append(_release(row.responses, row.response_key_sum, 1, perturbed))
    cells = cells.assign(
        respondents=pd.array(released_people, dtype="Int64"),
        responses=pd.array(released_answers, dtype="Int64"),
    )
    size_of: dict[int, tuple[int | None, int | None]] = {}
    for topic, row in sizes.iterrows():
        if bool(row_hidden.get(topic, False)) or (k > 1 and row["respondents"] < k):
            size_of[int(topic)] = (None, None)
            continue
        size_of[int(topic)] = (
            _release(int(row["respondents"]), row["respondent_key_sum"], k, perturbed),
            _release(int(row["responses"]), row["response_key_sum"], 1, perturbed),
        )
    shown = cells[["topic", column, "respondents", "responses", "suppressed"]]
    shown = shown.sort_values(["topic", "respondents", column], ascending=[True, False, True])
    shown.attrs["k"] = k
    return shown.reset_index(drop=True), size_of


# ---- Making a code of a topic -----------------------------------------------------------------


def keywords_of(topic: Topic) -> tuple[str, ...]:
    """The topic's terms as codebook keywords: every language's terms, then the overall ones,
    each once. A keyword matches whole words, so each is the word shown; Arabic words lose the
    article ال, which the keyword matcher accepts before any Arabic keyword."""
    seen: list[str] = []
    for word in (*(w for ws in topic.terms_by_language.values() for w in ws), *topic.terms):
        if script_of(word) == "arabic" and word.startswith("ال") and len(word) > 4:
            word = word[2:]
        if word not in seen:
            seen.append(word)
    return tuple(seen)


def code_id_for(name: str, taken: set[str], number: int) -> str:
    """An id for a code named `name`: its Latin letters and digits, dashed (a name in another
    script gives "topic-N"); made unique against `taken` with -2, -3..."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:48] or f"topic-{number}"
    candidate, suffix = base, 2
    while candidate in taken or not ID_PATTERN.match(candidate):
        candidate = f"{base}-{suffix}"
        suffix += 1
    return candidate


def code_from_topic(
    codebook: Codebook,
    topic: Topic,
    name: str,
    language: str,
    consultation: Consultation | None = None,
) -> Codebook:
    """The codebook with one more code: the topic, named `name` (its label in `language`),
    its terms as keywords. Checked like any codebook (raises CodebookError)."""
    name = name.strip()
    if not name:
        raise CodebookError({"label": "the code needs a name"}, "topic")
    code_id = code_id_for(name, {c.id for c in codebook.codes}, topic.number)
    new = Code(id=code_id, labels={language: name}, keywords=keywords_of(topic))
    data = Codebook(codes=(*codebook.codes, new), extra=codebook.extra).to_dict()
    return codebook_from_dict(data, consultation, "topic")
