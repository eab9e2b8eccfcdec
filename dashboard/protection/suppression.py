"""Small-cell suppression for every published breakdown (chart, table, map, download).

Why this exists: respondents to a consultation include human rights defenders at risk. A cell of
a breakdown with 1 ≤ n < k respondents (k per consultation) could single them out, so it is shown
as "< k" and its exact value is never released (*primary* suppression). Hiding the cell is not
enough when the page also shows totals: a row total minus the other cells of the row gives the
hidden value back. So further cells, the smallest that do the job, are hidden too (*secondary*
suppression) until no hidden value can be worked out exactly from what is shown.

A cell with 0 respondents is not primary: zero reveals no one. A zero cell is hidden as a
secondary cell only where hiding it actually protects another cell (it usually does not: a zero
that is known to be the smallest possible value tends to stay pinned at 0).

The model (`protect`) is general: `values` are the cells, `sums` the groups of cells whose total
the page also shows (row, column and grand totals, a region total that is the sum of its
countries...). A shown total with 1 ≤ total < k is itself small and is hidden as well; the value
of every hidden total must not be recoverable either. An attacker is assumed to know every shown
cell and total, that counts are whole numbers, and that no count is negative.

How safety is checked (exactly, not by rank counting alone):

* When the sums form at most two *laminar* families (any two sums of one family are nested or
  disjoint: rows, columns, grand total, nested regions, theme × country with region subtotals),
  the constraint matrix is totally unimodular. The released equations then become a graph (one
  node per shown total, after subtracting each total's shown sub-totals; a shared "ground" node
  for cells under no shown total; one edge per hidden cell). Over that graph a hidden cell's value
  is fixed exactly when its edge is a bridge, and a hidden total's value is fixed exactly when its
  cells' edges share no biconnected block with the other edges at the node where they meet. Zero
  cells that were hidden can only grow, so they are first tested for lying on a directed cycle
  (strongly connected components); the ones that cannot move are pinned at 0. This is the same
  answer as minimising and maximising every hidden value by linear programming over the released
  constraints with x ≥ 0 (the interval is [min, max], and min < max means "not recoverable"), and,
  because the matrix is totally unimodular, the same as the integer answer. It runs in linear time.
* Any other system of sums falls back to mixed-integer programming (`scipy.optimize.milp`): for
  each hidden value, look for an integer solution of the released equations (x ≥ 0) in which it is
  smaller, then larger. That is exact for integers but much slower; it is meant for small tables.

Secondary cells are chosen greedily, smallest first (ties: lowest index). First pass: every shown
equation with exactly one hidden cell gets the smallest non-zero shown cell of that equation,
repeated until none is left (with two laminar families the equations are the reduced ones above,
so a region total with shown sub-regions counts only the countries outside them). Second pass:
the exact check runs, and each value it finds recoverable gets the cheapest move that frees it,
a cell before a total, fewer respondents hidden before more: a shown cell that closes a cycle, a
total whose node merges across the bridge, or a total plus the totals and the cell under it that
make its own value unknown. Moves proved on the graph are taken at once (several per round when
they touch different nodes); others are tried by re-running the check. Each step hides one more
item and hiding never makes another value easier to recover, so the loop ends; with everything
hidden nothing is recoverable, so it always ends safe. Totals passed in `keep` (the grand total
that the overview shows anyway) are only hidden when they are themselves small, or as a last
resort.

What it does not do (see the report for the full list): it guarantees "not exactly recoverable",
not a wide interval (a hidden 3 may be known to be 2 or 3); it protects against the published
numbers, not against someone who also knows that the suppressed cells are the smallest ones;
tables that share cells (two charts of the same respondents) are only protected together when
all their sums are passed in one call; a "total" that is not the sum of its cells (for example
respondents who could pick several themes) must not be passed as a sum.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from dashboard.protection.secondary import close_singletons, secure
from dashboard.protection.table import IntArray, Table, cell_mask, frame_counts, series_counts

__all__ = [
    "Suppression",
    "label",
    "protect",
    "suppress_grid",
    "suppress_grouped",
    "suppress_series",
]


class Suppression(NamedTuple):
    """What `protect` hides: indices into `values` and indices into `sums`."""

    cells: frozenset[int]
    totals: frozenset[int]


def protect(
    values: Sequence[int],
    sums: Sequence[Sequence[int]],
    k: int,
    *,
    keep: Collection[int] = (),
) -> Suppression:
    """Cells and totals to hide so that no hidden value can be worked out exactly.

    `values` are non-negative whole counts; `sums` lists, for every total the output also shows,
    the indices of the cells it adds up (a total must be exactly the sum of those cells). Returns
    `Suppression(cells, totals)`: cells with 1 ≤ value < k and totals with 1 ≤ total < k (primary),
    plus the secondary cells and totals needed so that, given every shown cell and shown total,
    x ≥ 0 and whole numbers, each hidden cell and each hidden total can still take at least two
    values. Identical sums are one total: they are hidden together. k = 1 hides nothing.

    `keep` lists sums that are never hidden as secondary totals, because the value is public
    anyway (the grand total, shown as "N respondents" on the overview): hiding them would protect
    nothing. They are still hidden when they are themselves below k, and as a last resort only.
    """
    table = Table.build(values, sums, k, keep)
    cells = (table.values >= 1) & (table.values < k)
    totals = (table.totals >= 1) & (table.totals < k)
    if cells.any() or totals.any():
        close_singletons(table, cells, totals)
        secure(table, cells, totals)
    hidden_totals = frozenset(i for i, c in enumerate(table.canon) if c >= 0 and totals[c])
    return Suppression(frozenset(np.flatnonzero(cells).tolist()), hidden_totals)


def suppress_series(counts: pd.Series, k: int, total_released: bool = True) -> pd.Series:
    """Which cells of a 1-D breakdown to hide (True = show "< k"), same index as `counts`.

    `total_released` says whether the page shows the grand total (it almost always does, if only
    as "N respondents"; leaving it True is the safe choice). `result.attrs["total"]` says whether
    that total must be hidden too (None when it is not shown).
    """
    values = series_counts(counts)
    sums = [np.arange(len(values))] if total_released else []
    cells, totals = protect(values, sums, k, keep=range(len(sums)))
    mask = cell_mask(len(values), cells)
    result = pd.Series(mask, index=counts.index, name=counts.name, dtype=bool)
    result.attrs["total"] = (0 in totals) if total_released else None
    return result


def suppress_grid(
    grid: pd.DataFrame,
    k: int,
    row_totals: bool = True,
    column_totals: bool = True,
    *,
    grand_total: bool = True,
) -> pd.DataFrame:
    """Which cells of a 2-D breakdown (e.g. theme × region) to hide, same shape as `grid`.

    The flags say which margins the page shows: the total of every row, of every column, and the
    grand total (shown by default, as it usually is somewhere on the page). The margins to hide
    are in `result.attrs`: "row_totals" and "column_totals" (boolean Series indexed like the
    grid's rows and columns, or None when not shown) and "grand_total" (bool, or None).
    """
    n_rows, n_cols = grid.shape
    values = frame_counts(grid)
    index = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    sums: list[IntArray] = []
    if row_totals:
        sums.extend(index[r] for r in range(n_rows))
    if column_totals:
        sums.extend(index[:, c] for c in range(n_cols))
    keep: list[int] = []
    if grand_total:
        keep.append(len(sums))
        sums.append(index.ravel())
    cells, totals = protect(values, sums, k, keep=keep)
    result = pd.DataFrame(
        cell_mask(n_rows * n_cols, cells).reshape(n_rows, n_cols),
        index=grid.index,
        columns=grid.columns,
        dtype=bool,
    )
    at = 0
    if row_totals:
        result.attrs["row_totals"] = pd.Series(
            [at + r in totals for r in range(n_rows)], index=grid.index, dtype=bool
        )
        at += n_rows
    else:
        result.attrs["row_totals"] = None
    if column_totals:
        result.attrs["column_totals"] = pd.Series(
            [at + c in totals for c in range(n_cols)], index=grid.columns, dtype=bool
        )
        at += n_cols
    else:
        result.attrs["column_totals"] = None
    result.attrs["grand_total"] = (at in totals) if grand_total else None
    return result


def suppress_grouped(
    counts: pd.Series,
    groups: pd.Series | pd.DataFrame,
    k: int,
    *,
    total_released: bool = True,
) -> pd.Series:
    """Which cells to hide when the page also shows group totals, e.g. countries within regions.

    `groups` gives each cell's group (indexed like `counts`; a missing value means "in no shown
    group"). A DataFrame gives several levels at once, one per column (region, sub-region...);
    levels need not nest. The grand total is taken as shown unless `total_released` is False.
    `result.attrs["group_totals"]` holds the group totals to hide (a boolean Series by group, or
    for a DataFrame a dict of them by column) and `result.attrs["total"]` the grand total's flag.
    """
    values = series_counts(counts)
    frame = groups.to_frame() if isinstance(groups, pd.Series) else groups
    if not counts.index.isin(frame.index).all():
        raise ValueError("groups must give a group (or a missing value) for every cell")
    if not frame.index.equals(counts.index):
        frame = frame.reindex(counts.index)
    sums: list[IntArray] = []
    keys: list[tuple[Hashable, Hashable]] = []
    for column in frame.columns:
        labels = frame[column]
        for group in pd.unique(labels.dropna()):
            sums.append(np.flatnonzero((labels == group).to_numpy()))
            keys.append((column, group))
    if total_released:
        sums.append(np.arange(len(values)))
    cells, totals = protect(values, sums, k, keep=[len(keys)] if total_released else [])
    result = pd.Series(
        cell_mask(len(values), cells), index=counts.index, name=counts.name, dtype=bool
    )
    per_column: dict[Hashable, pd.Series] = {}
    for column in frame.columns:
        positions = [i for i, (col, _) in enumerate(keys) if col == column]
        per_column[column] = pd.Series(
            [i in totals for i in positions],
            index=pd.Index([keys[i][1] for i in positions]),
            dtype=bool,
        )
    result.attrs["group_totals"] = (
        per_column[frame.columns[0]] if isinstance(groups, pd.Series) else per_column
    )
    result.attrs["total"] = (len(keys) in totals) if total_released else None
    return result


def label(value: int, suppressed: bool, k: int) -> str:
    """The text to publish for a cell: "< k" when hidden, else the count with thousands separators.

    Every hidden cell, primary or secondary, gets the same marker: telling them apart would tell
    a reader which hidden cells are the small ones and narrow what they could be.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if suppressed:
        return f"< {k}"
    return f"{int(value):,}"
