"""Consistent perturbation (the cell key method) of every figure computed under a filter.

Suppression protects one table at a time; filters let a reader combine tables ("every country
but Comoros" against the unfiltered total gives Comoros). So a figure computed under a
user-chosen filter is released with a small noise, and the noise is a fixed function of the
set of records it counts: each respondent has a record key in [0, 2^32) derived from the
store's secret and their id, kept in the facts tables (each response carries its respondent's);
a figure's cell key is the sum of its records' keys mod 2^32; the noise is drawn from the cell
key and the count. The same set
always gets the same figure however the filter is written, so asking again or rephrasing gives
nothing new, and the noise is never zero, so a released figure taken from an exact one is
never the hidden difference. A filter that leaves fewer than k respondents releases nothing
but "fewer than k". Unfiltered figures stay exact: their small cells are suppressed instead
(`privacy.protect`).

The noise is two-sided: its size m >= 1 has P(m) = (1 - ALPHA) * ALPHA ** (m - 1), each sign
with probability 1/2. With ALPHA = 0.3: ±1 in 70% of figures, ±2 in 21%, ±3 in 6%, more in 3%.
Its tail has no bound but the precision of the draw (53 bits: never more than ±31, a size
that turns up about once in 10^16 figures), so no combination of released figures pins a hidden
count to one value with certainty. Many different filters around the same cell can still narrow
it statistically: that is the cost of answering every filter (see the README).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.store import queries
from dashboard.store.queries import Filters

KEY_MODULUS = 2**32
ALPHA = 0.3
MASK64 = 2**64 - 1


def _mix(value: int) -> int:
    """splitmix64's finaliser: spreads every bit of the cell key and count over 64 bits."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def noise(cell_key: int, count: int) -> int:
    """The noise for a cell: never zero, the same for the same cell key and count."""
    draw = _mix((cell_key % KEY_MODULUS) | (count << 32))
    sign = 1 if draw & 1 else -1
    # 53 bits for the size, from the other bits; u in (0, 1], so the logarithm is finite.
    u = ((draw >> 11) + 1) / 2**53
    return sign * (1 + math.floor(math.log(u) / math.log(ALPHA)))


def perturb(count: int, key_sum: int, k: int) -> int | None:
    """The released value of a count under a filter: None (read "fewer than k") for fewer than
    k, else the count plus its noise (never zero), never below k."""
    if count < k:
        return None
    change = noise(key_sum % KEY_MODULUS, count)
    # Below k the noise turns upward instead of being cut off at k: a cut would release
    # the exact count k whenever the noise is negative.
    return count + change if count + change >= k else count + abs(change)


@dataclass(frozen=True)
class Totals:
    """Respondents and responses as released: None stands for "fewer than k"."""

    respondents: int | None
    responses: int | None
    perturbed: bool  # False: exact (no filter, or an administrator's exact figures)


def is_filtered(filters: Filters) -> bool:
    """True when the reader narrowed the view (the time zone alone narrows nothing)."""
    return filters != Filters(timezone=filters.timezone)


def release(row: Mapping[str, Any], k: int, *, perturbed: bool) -> Totals:
    """Respondents and responses of one population (a row with `respondents`, `responses` and
    their record key sums) as released: exact unless `perturbed`, nothing below k."""
    respondents, responses = int(row["respondents"]), int(row["responses"])
    if k <= 1:
        return Totals(respondents, responses, perturbed=False)
    if not perturbed:
        small = 0 < respondents < k
        return Totals(None if small else respondents, None if small else responses, perturbed=False)
    people = perturb(respondents, int(row["respondent_key_sum"]), k)
    if people is None or responses == 0:
        return Totals(people, None if people is None else 0, perturbed=True)
    return Totals(people, perturb(responses, int(row["response_key_sum"]), 1), perturbed=True)


def totals(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    filters: Filters,
    k: int,
    *,
    exact: bool = False,
) -> Totals:
    """The respondents and responses to release for a view: exact without filters (the sum of
    every cell of the tables, which hide their small cells) and for an administrator's exact
    choice (k = 1 or `exact`); perturbed under filters; nothing below k."""
    row = queries.frame(con, "totals_keyed", filters.params(consultation_id)).iloc[0]
    return release(row, 1 if exact else k, perturbed=is_filtered(filters))


def scheme_text(k: int, *, exact: bool = False) -> str:
    """What every screen and file says about the figures it shows."""
    if exact:
        return _("Exact figures: an administrator chose them, and the choice is logged.")
    return _(
        "Totals without filters are exact, with cells of fewer than {k} respondents hidden. "
        "Totals under filters are perturbed: usually by ±1 or ±2, rarely more, never 0, and "
        "the same respondents always give the same figure; fewer than {k} respondents show "
        'as "fewer than {k}".'
    ).format(k=k)


def in_words(value: int | None, k: int) -> str:
    """A count for sentences (methodology notes, captions): never a number between 1 and k-1."""
    if value is None or 0 < value < k:
        return _("fewer than {k}").format(k=k)
    return i18n.number(value)
