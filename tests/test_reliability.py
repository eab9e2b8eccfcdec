"""How reliable the codes are (issue 21): Wilson intervals and Cohen's kappa against worked
examples, review samples that follow every filter, two analysts' verdicts, settlement as the
reference, keyword counts that add up, and the methodology note."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dashboard.coding import reliability, tagging
from dashboard.coding.reliability import cohen_kappa, wilson_interval
from dashboard.protection import perturbation
from dashboard.publish import report
from dashboard.publish.catalogue import Context
from dashboard.store import database, queries
from dashboard.store.queries import Filters

CONSULTATION = "civic-space-2020"


# Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17: 857-872, Table II, method 3 (Wilson score, no
# continuity correction), to four places.
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("successes", "n", "low", "high"), NEWCOMBE)
def test_wilson_interval_matches_newcombes_worked_examples(successes, n, low, high) -> None:
    got = wilson_interval(successes, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_interval_matches_scipy_and_says_nothing_without_judgements() -> None:
    stats = pytest.importorskip("scipy.stats")
    for successes, n in ((1, 1), (3, 4), (7, 30), (30, 30)):
        ci = stats.binomtest(successes, n).proportion_ci(method="wilson")
        assert wilson_interval(successes, n) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert wilson_interval(1, 1)[0] == pytest.approx(0.2065, abs=5e-5)  # 1 of 1 is not "100%"
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_kappa_matches_the_textbook_example() -> None:
    # 50 proposals read by two readers: 20 both yes, 5 A yes B no, 10 A no B yes, 15 both no;
    # p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, kappa = 0.4 (the example in Wikipedia's
    # "Cohen's kappa", after Cohen 1960).
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    result = cohen_kappa(a, b)
    assert (result.n, result.agreed, result.percent) == (50, 35, 0.7)
    assert result.kappa == pytest.approx(0.4)


def test_kappa_matches_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(21)
    for n in (5, 17, 60):
        a = [rng.random() < 0.6 for _ in range(n)]
        b = [x if rng.random() < 0.7 else not x for x in a]
        assert cohen_kappa(a, b).kappa == pytest.approx(metrics.cohen_kappa_score(a, b))
    assert math.isnan(cohen_kappa([True, True], [True, True]).kappa)  # chance agreement is total


@pytest.fixture
def con(sample_copy: Path):
    connection = database.connect(sample_copy)
    yield connection
    connection.close()


def sample_params(filters: Filters, **extra) -> dict:
    return {
        **filters.params(CONSULTATION),
        "coder": "ana",
        "kind": "tagged",
        "second": False,
        "seed": 11,
        "size": 40,
        "k": 1,  # every country named: these tests are about drawing, not listing places
        **extra,
    }


FILTERS = [
    Filters(languages=("fr",)),
    Filters(regions=("Africa",)),
    Filters(themes=("protection",)),
    Filters(codes=("funding", "gender")),
    Filters(date_from=date(2020, 1, 18), date_to=date(2020, 1, 19)),
    Filters(countries=("SEN",), stakeholder_types=("Human rights defender",)),
    Filters(questions=("q4",), languages=("ar", "zh")),
]
FILTER_IDS = ["language", "region", "theme", "codes", "dates", "country-type", "question"]


@pytest.mark.parametrize("kind", ["tagged", "untagged"])
@pytest.mark.parametrize("filters", FILTERS, ids=FILTER_IDS)
def test_the_review_sample_respects_every_filter(con, filters: Filters, kind: str) -> None:
    drawn = queries.frame(con, "tag_review_sample", sample_params(filters, kind=kind))
    assert not drawn.empty
    # The answers the filters select (codes name the codes reviewed, not the answers).
    answers = filters.params(CONSULTATION) | {"codes": None}
    allowed = set(
        con.execute(
            "SELECT import_id, source_row, question_id, language FROM selected_responses("
            "$consultation, $regions, $countries, $languages, $stakeholder_types, $themes, "
            "$questions, $codes, $date_from, $date_to, $tz, "
            "answer_languages := $answer_languages)",
            answers,
        ).fetchall()
    )
    got = set(zip(drawn["import_id"], drawn["source_row"], drawn["question_id"],
                  drawn["language"], strict=True))  # fmt: skip
    assert got <= allowed
    if filters.codes:
        assert set(drawn["code_id"]) <= set(filters.codes)
    tagged = set(
        con.execute(
            "SELECT import_id, source_row, question_id, code_id FROM response_codes "
            "WHERE source = 'keyword'"
        ).fetchall()
    )
    pairs = set(zip(drawn["import_id"], drawn["source_row"], drawn["question_id"],
                    drawn["code_id"], strict=True))  # fmt: skip
    assert (pairs <= tagged) if kind == "tagged" else not (pairs & tagged)
    assert "respondent_id" not in drawn.columns


def test_the_sample_is_stratified_by_code_and_language(con) -> None:
    filters = Filters(languages=("en", "fr", "ar"))
    counts = queries.frame(con, "tag_precision", filters.params(CONSULTATION))
    strata = int((counts["tagged"] > 0).sum())
    assert strata > 20
    drawn = queries.frame(con, "tag_review_sample", sample_params(filters, size=strata))
    # Every (code, language) with tags gets one before any gets two, rare ones too.
    assert len(drawn) == strata
    assert len(set(zip(drawn["code_id"], drawn["language"], strict=True))) == strata
    assert drawn["population"].iloc[0] == counts["tagged"].sum()
    # Once a stratum's pair is judged, the next draw starts with another stratum.
    judge_all(con, drawn.head(1), "ana", [True])
    again = queries.frame(con, "tag_review_sample", sample_params(filters, size=strata))
    first = tuple(drawn[["code_id", "language"]].iloc[0])
    assert tuple(again[["code_id", "language"]].iloc[0]) != first
    assert tuple(again[["code_id", "language"]].iloc[-1]) == first


def judge_all(con, frame, coder: str, verdicts) -> None:
    for row, applies in zip(frame.itertuples(), verdicts, strict=True):
        answer = (row.import_id, row.source_row, row.question_id)
        matched = row.matched if isinstance(row.matched, str) else None
        tagging.judge(con, CONSULTATION, answer, row.code_id, matched, applies, coder)


def test_two_analysts_agreement_settlement_and_the_reference(con) -> None:
    filters = Filters(codes=("funding",))
    first = queries.frame(con, "tag_review_sample", sample_params(filters, size=6))
    judge_all(con, first, "ana", [True, True, True, True, False, False])
    # Bob's blind second coding: the same pairs, and nothing of Ana's verdicts.
    blind = queries.frame(
        con, "tag_review_sample", sample_params(filters, coder="bob", second=True, size=50)
    )
    key = ["import_id", "source_row", "question_id", "code_id"]
    assert sorted(map(tuple, blind[key].to_numpy())) == sorted(map(tuple, first[key].to_numpy()))
    assert not {"applies", "coder"} & set(blind.columns)
    bob = {tuple(r): v for r, v in zip(first[key].to_numpy(), [True, False, True, True, False,
                                                               True], strict=True)}  # fmt: skip
    judge_all(con, blind, "bob", [bob[tuple(r)] for r in blind[key].to_numpy()])
    # Nothing is left for Bob to second-code, and Ana's new draw skips judged pairs.
    again = sample_params(filters, coder="bob", second=True)
    assert queries.frame(con, "tag_review_sample", again).empty

    pairs = queries.frame(
        con, "coding_pairs", {**filters.params(CONSULTATION), "coder_a": "ana", "coder_b": "bob"}
    )
    table = reliability.agreement_table(pairs, {})
    row = table.set_index("code_id").loc["funding"]
    # ana: Y Y Y Y N N, bob: Y N Y Y N Y: agreed 4 of 6; p_e = 4/6·4/6 + 2/6·2/6 = 5/9;
    # kappa = (2/3 - 5/9) / (4/9) = 0.25.
    assert (row["n"], row["agreed"]) == (6, 4)
    assert row["kappa"] == pytest.approx(0.25)

    def funding():
        counts = queries.frame(con, "tag_precision", Filters().params(CONSULTATION))
        return counts[counts["code_id"] == "funding"][["judged", "correct", "disputed"]].sum()

    # The two disagreements are left out until settled.
    assert tuple(funding()) == (4, 3, 2)
    for disagreement, applies in zip(
        pairs[pairs["applies_a"] != pairs["applies_b"]].itertuples(), (True, False), strict=True
    ):
        answer = (disagreement.import_id, disagreement.source_row, disagreement.question_id)
        tagging.settle(con, CONSULTATION, answer, "funding", applies, "carla")
    assert tuple(funding()) == (6, 4, 0)
    logged = con.execute("SELECT count(*) FROM audit_log WHERE action = 'coding_settled'")
    assert logged.fetchone()[0] == 2


def test_recall_is_estimated_from_judged_untagged_answers(con) -> None:
    filters = Filters(codes=("gender",))
    untagged = queries.frame(
        con, "tag_review_sample", sample_params(filters, kind="untagged", size=5)
    )
    judge_all(con, untagged, "ana", [True, False, False, False, False])
    tagged = queries.frame(con, "tag_review_sample", sample_params(filters, size=4))
    judge_all(con, tagged, "ana", [True, True, True, False])
    counts = queries.frame(con, "tag_precision", Filters().params(CONSULTATION))
    row = reliability.precision_table(counts, False, k=1, perturbed=False).set_index("code_id")
    gender = row.loc["gender"]
    assert (gender["judged"], gender["correct"]) == (4, 3)
    assert (gender["untagged_judged"], gender["missed"]) == (5, 1)
    found = 0.75 * gender["tagged"]
    missed = 0.2 * gender["untagged"]
    assert gender["recall"] == pytest.approx(found / (found + missed))
    assert gender["recall_low"] < gender["recall"] < gender["recall_high"]
    note = "\n".join(
        reliability.methodology_lines(
            con, CONSULTATION, Filters(), {"gender": "Gender"}, k=1, perturbed=False
        )
    )
    assert "## Coding reliability" in note
    assert "| Gender |" in note and "75% (3 of 4)" in note
    low, high = wilson_interval(3, 4)
    assert f"{low:.0%} to {high:.0%}" in note


def test_the_report_packs_note_has_the_reliability_section(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    text = report.methodology(
        con,
        Context(consultation, Filters(), tagging.get_codebook(con, CONSULTATION)),
        datetime.now(UTC),
        [],
        {},
        False,
        perturbation.totals(con, CONSULTATION, Filters(), consultation.suppression_k),
        False,
    )
    assert "## Coding reliability" in text and "## Data sources" in text


@pytest.mark.parametrize("filters", [Filters(), Filters(languages=("fr",), themes=("promotion",))])
def test_keyword_counts_add_up_to_each_codes_tags(con, filters: Filters) -> None:
    answer = con.execute(
        "SELECT import_id, source_row, question_id FROM response_facts "
        "WHERE language = 'fr' AND theme_id = 'promotion' AND NOT list_contains(codes, 'gender') "
        "LIMIT 1"
    ).fetchone()
    tagging.set_code(con, CONSULTATION, answer, "gender", True, "ana")  # a tag by hand
    params = filters.params(CONSULTATION)
    counts = queries.frame(con, "keyword_counts", params)
    by_code = queries.frame(con, "by_code", params).set_index("code_id")["responses"]
    sums = counts.groupby("code_id")["responses"].sum()
    assert len(sums) == 11
    for code_id, total in sums.items():
        assert total == by_code.get(code_id, 0), code_id
    by_hand = counts[(counts["code_id"] == "gender") & counts["keyword"].isna()]
    assert by_hand["responses"].tolist() == [1]
    reprisals = counts[counts["code_id"] == "reprisals"]
    if filters == Filters():  # which keyword does the work: some find many, some nothing
        assert (reprisals["responses"] > 0).any() and (reprisals["responses"] == 0).any()


def test_an_older_stores_judgements_become_codings_once(sample_copy: Path) -> None:
    con = database.connect(sample_copy)
    try:
        answer = con.execute(
            "SELECT respondent_id, question_id, md5(answer) FROM responses LIMIT 1"
        ).fetchone()
        con.execute(
            "INSERT INTO tag_judgements VALUES ($c, $r, $q, $h, 'funding', 'fund*', false, "
            "'ana', now())",
            dict(zip("crqh", (CONSULTATION, *answer), strict=True)),
        )
        con.execute("DELETE FROM tag_codings")  # as a store made before tag_codings existed
    finally:
        con.close()
    for _ in range(2):  # opening the store upgrades it, once
        con = database.connect(sample_copy)
        try:
            rows = con.execute(
                "SELECT code_id, coder, applies, matched FROM tag_codings"
            ).fetchall()
        finally:
            con.close()
        assert rows == [("funding", "ana", False, "fund*")]
