"""How reliable the codes are: precision and recall of the keywords against analysts' verdicts,
with 95% Wilson intervals, and agreement between two analysts (Cohen's kappa).

A verdict says whether one answer carries one code. Analysts give them on Tag review, on
automatic tags (precision) and on answers the keywords left without the code (recall); two
analysts may judge the same pairs blind to each other. The reference verdict is the settled
one where they disagreed, else theirs when all agree (queries/tag_precision.sql).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard.protection import perturbation, privacy
from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.store import queries
from dashboard.store.queries import Filters

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (no continuity correction); (nan, nan) when
    n is 0. Unlike p ± z·se it stays inside [0, 1] and is not zero-width at 0 or n."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return (max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale))


@dataclass(frozen=True)
class Agreement:
    n: int  # pairs both analysts judged
    agreed: int
    kappa: float  # nan when chance agreement is total (both gave one verdict only)

    @property
    def percent(self) -> float:
        return self.agreed / self.n if self.n else math.nan


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> Agreement:
    """Cohen's kappa of two raters' yes/no verdicts on the same items: observed agreement
    beyond chance, (p_o - p_e) / (1 - p_e), chance from each rater's own share of yes."""
    if len(first) != len(second):
        raise ValueError("both raters must judge the same items")
    n = len(first)
    if n == 0:
        return Agreement(0, 0, math.nan)
    agreed = sum(a == b for a, b in zip(first, second, strict=True))
    observed = agreed / n
    yes_a = sum(map(bool, first)) / n
    yes_b = sum(map(bool, second)) / n
    chance = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    kappa = math.nan if chance == 1 else (observed - chance) / (1 - chance)
    return Agreement(n, agreed, kappa)


def agreement_table(pairs: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """One row per code both analysts judged (pairs: code_id, applies_a, applies_b, from
    queries/coding_pairs.sql), in the pairs' order: n, agreed, percent agreement, kappa."""
    rows = []
    for code_id, group in pairs.groupby("code_id", sort=False):
        result = cohen_kappa(group["applies_a"].tolist(), group["applies_b"].tolist())
        rows.append(
            {
                "code_id": code_id,
                "code": labels.get(code_id, code_id),
                "n": result.n,
                "agreed": result.agreed,
                "percent": result.percent,
                "kappa": result.kappa,
            }
        )
    return pd.DataFrame(rows, columns=["code_id", "code", "n", "agreed", "percent", "kappa"])


def precision_table(
    counts: pd.DataFrame,
    by_language: bool = True,
    *,
    k: int,
    perturbed: bool,
    verdicts: bool = False,
) -> pd.DataFrame:
    """Precision and estimated recall per code (and per language, or all languages together)
    from queries/tag_precision.sql, with n and 95% Wilson intervals, from the counts as
    released (`privacy.protect_tag_counts`: k = 1 exact; a count hidden there is missing here,
    and so is every figure computed from it).

    Recall is estimated as P·T / (P·T + m·U), T and U the answers the keywords tagged and did
    not, P the precision and m the share of judged untagged answers that carry the code all
    the same. Its interval puts the ends of P's and m's intervals in that formula (a
    conservative range, not an exact 95% interval)."""
    released = privacy.protect_tag_counts(
        counts, k, perturbed=perturbed, by_language=by_language, verdicts=verdicts
    )
    rows = []
    for row in released.to_dict("records"):
        p_low, p_high = _wilson(row["correct"], row["judged"])
        m_low, m_high = _wilson(row["missed"], row["untagged_judged"])
        precision = _share(row["correct"], row["judged"])
        miss = _share(row["missed"], row["untagged_judged"])
        tagged, untagged = _count(row["tagged"]), _count(row["untagged"])
        rows.append(
            {
                **row,
                "precision": precision,
                "precision_low": p_low,
                "precision_high": p_high,
                "miss_rate": miss,
                "recall": _recall(precision, miss, tagged, untagged),
                "recall_low": _recall(p_low, m_high, tagged, untagged),
                "recall_high": _recall(p_high, m_low, tagged, untagged),
            }
        )
    return pd.DataFrame(rows, columns=[*released.columns, *RATE_COLUMNS])


RATE_COLUMNS = ("precision", "precision_low", "precision_high", "miss_rate", "recall",
                "recall_low", "recall_high")  # fmt: skip


def _count(value: object) -> float:
    """A released count as a number: nan where it is hidden."""
    return math.nan if pd.isna(value) else float(value)


def _share(part: object, whole: object) -> float:
    part, whole = _count(part), _count(whole)
    return part / whole if whole else math.nan


def _wilson(part: object, whole: object) -> tuple[float, float]:
    part, whole = _count(part), _count(whole)
    if math.isnan(part) or math.isnan(whole):
        return (math.nan, math.nan)
    return wilson_interval(int(part), int(whole))


def drawn_from(sample: pd.DataFrame, k: int, *, perturbed: bool) -> int | None:
    """How many pairs a Tag review sample (queries/tag_review_sample.sql, not empty) was drawn
    from, as released: None ("fewer than k") when they are the answers of fewer than k
    respondents, perturbed under a filter, exact otherwise (and for k = 1)."""
    first = sample.iloc[0]
    pairs, people = int(first["population"]), int(first["population_respondents"])
    if k > 1 and 0 < people < k:
        return None
    if perturbed and k > 1:
        key = int(first["population_key_sum"]) % perturbation.KEY_MODULUS
        return perturbation.perturb(pairs, key, k)  # k respondents' pairs: k or more
    return pairs


def _recall(precision: float, miss_rate: float, tagged: float, untagged: float) -> float:
    if any(math.isnan(x) for x in (precision, miss_rate, tagged, untagged)):
        return math.nan
    found = precision * tagged
    missed = miss_rate * untagged
    return found / (found + missed) if found + missed else math.nan


def percent(value: float) -> str:
    """A share as a whole percentage for the language in force ("80%", "80 %"), "–" if none."""
    return "–" if value is None or math.isnan(value) else i18n.percent(value, 0)


def interval(low: float, high: float) -> str:
    if math.isnan(low):
        return "–"
    return _("{low} to {high}").format(low=i18n.percent(low, 0), high=i18n.percent(high, 0))


def methodology_lines(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    filters: Filters,
    labels: dict[str, str],
    *,
    k: int,
    perturbed: bool,
) -> list[str]:
    """The report pack's note on coding reliability, in Markdown lines (empty without codes).
    Its counts are released like every figure of the pack (k = 1: exact): answers hidden as
    "< k" where fewer than k respondents gave them, perturbed under a filter (`perturbed`),
    verdicts too; no precision or miss rate of fewer than k respondents' judged answers."""
    counts = queries.frame(con, "tag_precision", filters.params(consultation_id))
    if counts.empty:
        return []
    released = {"k": k, "perturbed": perturbed, "verdicts": True}
    table = precision_table(counts, by_language=False, **released)
    per_language = precision_table(counts, by_language=True, **released)

    def number(value: object) -> str:
        return f"< {k}" if pd.isna(value) else i18n.number(value)

    def judged(correct: object, n: object) -> str:
        if pd.isna(n):
            return _("< {k} judged").format(k=k)
        return _("{right} of {judged}").format(right=number(correct), judged=number(n))

    small = _(
        '"< {k}": the answers counted come from fewer than {k} respondents, and no '
        "precision or recall is given from them."
    ).format(k=k)
    if perturbed:
        small += " " + _(
            "Under filters every count is perturbed, and precision and recall are "
            "computed from the perturbed counts."
        )
    columns = (
        _("code"),
        _("tagged"),
        _("precision (judged)"),
        _("95% interval"),
        _("untagged judged"),
        _("missed"),
        _("recall (estimate)"),
        _("range"),
        _("unsettled"),
    )
    lines = [
        "## " + _("Coding reliability"),
        "",
        _(
            "Codes are given by keywords (see the codebook); analysts judged samples of answers "
            "matching the filters on the Tag review page: automatic tags (right or wrong: "
            "precision) and answers the keywords left without a code (missed or not: recall). "
            "Where two analysts disagreed, the settled verdict is the reference; pairs not yet "
            "settled are left out. Intervals are 95% Wilson score intervals; the recall range "
            "puts the ends of the precision and miss-rate intervals into recall = P·T / (P·T + "
            "m·U) (T, U: answers tagged and not), a conservative range rather than an exact "
            "interval."
        ),
        "",
        *([small, ""] if k > 1 else []),
        "| " + " | ".join(columns) + " |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {labels.get(row.code_id, row.code_id)} | {number(row.tagged)} | "
            f"{percent(row.precision)} ({judged(row.correct, row.judged)}) | "
            f"{interval(row.precision_low, row.precision_high)} | "
            f"{number(row.untagged_judged)} | {number(row.missed)} | {percent(row.recall)} | "
            f"{interval(row.recall_low, row.recall_high)} | {number(row.disputed)} |"
        )
    shown = per_language[per_language["judged"].fillna(0) > 0]
    if not shown.empty:
        heading = (
            _("Precision by language (judged pairs only; at least {k} respondents' answers):")
            if k > 1
            else _("Precision by language (judged pairs only):")
        )
        lines += ["", heading.format(k=k), ""]
        lines += [
            f"- {labels.get(r.code_id, r.code_id)}, {r.language}: {percent(r.precision)} "
            f"({judged(r.correct, r.judged)}; {interval(r.precision_low, r.precision_high)})"
            for r in shown.itertuples()
        ]
    return [*lines, ""]
