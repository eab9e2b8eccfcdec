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

import heapq
from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

__all__ = [
    "Suppression",
    "label",
    "protect",
    "suppress_grid",
    "suppress_grouped",
    "suppress_series",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CELL = 0
TOTAL = 1
Item = tuple[int, int]
"""(CELL, cell index) or (TOTAL, canonical sum id)."""

# A move is tried by re-running the check only when it cannot be proved to work from the graph;
# this caps how many such trials one step makes before it falls back to a move that makes
# progress (every step hides something new, so the loop still ends).
_TRIAL_CAP = 32

_SURE = 0  # proved (from the graph) to make the recoverable value unrecoverable
_TRY = 1  # may do so: re-run the check to find out
_STEP = 2  # does not do so alone, but is where a solution has to start


class Suppression(NamedTuple):
    """What `protect` hides: indices into `values` and indices into `sums`."""

    cells: frozenset[int]
    totals: frozenset[int]


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


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
    table = _Table.build(values, sums, k, keep)
    cells = (table.values >= 1) & (table.values < k)
    totals = (table.totals >= 1) & (table.totals < k)
    if cells.any() or totals.any():
        _close_singletons(table, cells, totals)
        _secure(table, cells, totals)
    hidden_totals = frozenset(i for i, c in enumerate(table.canon) if c >= 0 and totals[c])
    return Suppression(frozenset(np.flatnonzero(cells).tolist()), hidden_totals)


def suppress_series(counts: pd.Series, k: int, total_released: bool = True) -> pd.Series:
    """Which cells of a 1-D breakdown to hide (True = show "< k"), same index as `counts`.

    `total_released` says whether the page shows the grand total (it almost always does, if only
    as "N respondents"; leaving it True is the safe choice). `result.attrs["total"]` says whether
    that total must be hidden too (None when it is not shown).
    """
    values = _series_counts(counts)
    sums = [np.arange(len(values))] if total_released else []
    cells, totals = protect(values, sums, k, keep=range(len(sums)))
    mask = _mask(len(values), cells)
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
    values = _frame_counts(grid)
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
        _mask(n_rows * n_cols, cells).reshape(n_rows, n_cols),
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
    values = _series_counts(counts)
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
    result = pd.Series(_mask(len(values), cells), index=counts.index, name=counts.name, dtype=bool)
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


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


def _counts(values: object) -> IntArray:
    """Validate and convert counts: one dimension, whole, finite and non-negative."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError("values must be one-dimensional")
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.dtype.kind == "b":
        raise ValueError("values must be counts, not booleans")
    if array.dtype.kind not in "iu":
        try:
            floats = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError("values must be whole numbers") from error
        if not np.isfinite(floats).all():
            raise ValueError("values must not be missing; fill cells nobody is in with 0")
        if (floats != np.round(floats)).any():
            raise ValueError("values must be whole numbers")
        array = floats
    result = array.astype(np.int64)
    if (result < 0).any():
        raise ValueError("values must not be negative")
    return result


def _series_counts(counts: pd.Series) -> IntArray:
    return _counts(counts.to_numpy(dtype=np.float64, na_value=np.nan))


def _frame_counts(grid: pd.DataFrame) -> IntArray:
    return _counts(grid.to_numpy(dtype=np.float64, na_value=np.nan).ravel())


def _mask(n: int, cells: frozenset[int]) -> BoolArray:
    mask = np.zeros(n, dtype=bool)
    mask[list(cells)] = True
    return mask


@dataclass(frozen=True)
class _Table:
    """Validated input plus the structure every check reuses.

    Sums with the same cells are one *canonical* total (`canon` maps each given sum to it, or to -1
    for an empty sum, which shows 0 and constrains nothing).
    """

    values: IntArray
    k: int
    sets: list[IntArray]  # canonical sums: sorted cell indices, non-empty
    canon: list[int]
    totals: IntArray
    size: IntArray
    member: list[list[int]]  # cell -> canonical sums that contain it
    order: list[IntArray]  # canonical sum -> its cells, smallest value first (then index)
    family: IntArray | None  # 0/1 per canonical sum when two laminar families suffice, else None
    chains: tuple[IntArray, IntArray]  # per family: cell -> its sums, smallest first, -1 padded
    above: list[list[int]]  # canonical sum -> strict supersets in its family, smallest first
    keep: BoolArray  # canonical sum -> never a secondary choice (bar the last resort)
    incidence: sparse.csr_matrix  # canonical sum x cell, 1 where the cell is in the sum

    @staticmethod
    def build(
        values: Sequence[int], sums: Sequence[Sequence[int]], k: int, keep: Collection[int] = ()
    ) -> _Table:
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
            raise ValueError("k must be a whole number of at least 1")
        counts = _counts(values)
        n = len(counts)
        ids: dict[bytes, int] = {}
        sets: list[IntArray] = []
        canon: list[int] = []
        for number, cells in enumerate(sums):
            index = np.asarray(cells)
            if index.size == 0:
                canon.append(-1)
                continue
            if index.ndim != 1 or index.dtype.kind not in "iu":
                raise ValueError(f"sum {number} must be a list of cell indices")
            index = np.sort(index.astype(np.int64))
            if index[0] < 0 or index[-1] >= n:
                raise ValueError(f"sum {number} refers to a cell that does not exist")
            if (np.diff(index) == 0).any():
                raise ValueError(f"sum {number} lists a cell twice")
            key = index.tobytes()
            if key not in ids:
                ids[key] = len(sets)
                sets.append(index)
            canon.append(ids[key])
        m = len(sets)
        kept = np.zeros(m, dtype=bool)
        for number in keep:
            if not 0 <= number < len(canon):
                raise ValueError(f"keep refers to sum {number}, which does not exist")
            if canon[number] >= 0:
                kept[canon[number]] = True
        size = np.array([len(s) for s in sets], dtype=np.int64)
        totals = np.array([int(counts[s].sum()) for s in sets], dtype=np.int64)
        member: list[list[int]] = [[] for _ in range(n)]
        for s, cells in enumerate(sets):
            for j in cells.tolist():
                member[j].append(s)
        order = [cells[np.lexsort((cells, counts[cells]))] for cells in sets]
        owners = np.repeat(np.arange(m, dtype=np.int64), size)
        held = np.concatenate(sets) if m else np.zeros(0, dtype=np.int64)
        incidence = sparse.csr_matrix((np.ones(len(held)), (owners, held)), shape=(m, n))
        family = _two_laminar(incidence, size)
        chains: list[IntArray] = []
        above: list[list[int]] = [[] for _ in range(m)]
        if family is not None:
            for f in (0, 1):
                pick = family[owners] == f
                sums_f, cells_f = owners[pick], held[pick]
                sorting = np.lexsort((size[sums_f], cells_f))
                sums_f, cells_f = sums_f[sorting], cells_f[sorting]
                per_cell = np.bincount(cells_f, minlength=n)
                start = np.concatenate(([0], np.cumsum(per_cell)[:-1]))
                rank = np.arange(len(cells_f)) - start[cells_f]
                chain = np.full((n, int(per_cell.max(initial=0))), -1, dtype=np.int64)
                chain[cells_f, rank] = sums_f
                chains.append(chain)
                for s in np.flatnonzero(family == f).tolist():
                    line = chain[int(sets[s][0])]
                    line = line[line >= 0]
                    above[s] = line[size[line] > size[s]].tolist()
        else:
            chains = [np.zeros((n, 0), dtype=np.int64)] * 2
        return _Table(
            counts, int(k), sets, canon, totals, size, member, order, family,
            (chains[0], chains[1]), above, kept, incidence,
        )  # fmt: skip


def _two_laminar(incidence: sparse.csr_matrix, size: IntArray) -> IntArray | None:
    """Split the sums into two laminar families if possible (2-colour the "crossing" graph).

    Two sums cross when they overlap and neither contains the other; crossing sums must go to
    different families. Two laminar families give a totally unimodular matrix (so linear
    programming answers are whole numbers) and the graph form used by `_graph_check`.
    """
    m = len(size)
    family = np.zeros(m, dtype=np.int64)
    if m < 2:
        return family
    overlap = (incidence @ incidence.T).tocoo()
    crossing: list[list[int]] = [[] for _ in range(m)]
    for s, t, shared in zip(overlap.row, overlap.col, overlap.data, strict=True):
        if s < t and shared < size[s] and shared < size[t]:
            crossing[s].append(int(t))
            crossing[t].append(int(s))
    colour = np.full(m, -1, dtype=np.int64)
    for start in range(m):
        if colour[start] >= 0:
            continue
        colour[start] = 0
        stack = [start]
        while stack:
            s = stack.pop()
            for t in crossing[s]:
                if colour[t] < 0:
                    colour[t] = 1 - colour[s]
                    stack.append(t)
                elif colour[t] == colour[s]:
                    return None
    return colour


# --------------------------------------------------------------------------------------------
# The greedy
# --------------------------------------------------------------------------------------------


def _close_singletons(table: _Table, cells: BoolArray, totals: BoolArray) -> None:
    """First pass: no shown equation may hold exactly one hidden cell (its value would follow).

    Gives each such equation its smallest non-zero shown cell, then looks again at the equations
    that cell is in. It is the textbook rule and settles most tables before the exact check; an
    equation whose other shown cells are all zero is left to `_secure`. With two laminar families
    the equations are the reduced ones of `_graph_check` (a total minus its shown sub-totals), so
    a region whose only hidden country sits beside shown sub-regions is caught here too.
    """
    if table.family is not None:
        node, _ = _nodes(table, totals)
        equations: list[list[int]] = [[] for _ in table.sets]
        within: list[list[int]] = [[] for _ in table.values]
        ranked = np.lexsort((np.arange(len(table.values)), table.values)).tolist()
        for f in (0, 1):
            line = node[f].tolist()
            for j in ranked:  # smallest value first, so every equation comes out sorted
                if line[j]:
                    equations[line[j] - 1].append(j)
                    within[j].append(line[j] - 1)
        groups = [np.asarray(e, dtype=np.int64) for e in equations]
    else:
        groups = table.order
        within = table.member
    count = np.array([int(cells[g].sum()) for g in groups], dtype=np.int64)
    heap = [s for s in range(len(groups)) if not totals[s] and count[s] == 1]
    heapq.heapify(heap)
    while heap:
        s = heapq.heappop(heap)
        if count[s] != 1:
            continue
        order = groups[s]
        usable = order[~cells[order] & (table.values[order] > 0)]
        if usable.size == 0:
            continue
        j = int(usable[0])
        cells[j] = True
        for t in within[j]:
            count[t] += 1
            if count[t] == 1 and not totals[t]:
                heapq.heappush(heap, t)


def _secure(table: _Table, cells: BoolArray, totals: BoolArray) -> None:
    """Second pass: run the exact check and free the first recoverable value, until none is left.

    To save checks on big tables, one round also frees further recoverable values whose move is
    proved from the graph, as long as it touches none of the nodes the round has touched already
    (so two moves do not do the same job twice). A proved move stays good when more is hidden
    (hiding never makes a value easier to recover), so the batch is as safe as one at a time.
    """
    while True:
        check = _check(table, cells, totals)
        items = [(CELL, j) for j in check.fixed_cells] + [(TOTAL, s) for s in check.fixed_totals]
        if not items:
            return
        touched: set[int] = set()
        for number, item in enumerate(items):
            if number and check.graph is None:
                break
            here = _item_nodes(table, check.graph, item) if check.graph is not None else set()
            if number and here & touched:
                continue
            move = _choose(table, cells, totals, check, item, sure_only=number > 0)
            if move is None:
                continue
            new = [i for i in move if not (cells if i[0] == CELL else totals)[i[1]]]
            if not new:  # pragma: no cover - every move list holds only shown items
                raise AssertionError("suppression made no progress")
            if check.graph is not None:
                moved = set().union(*(_item_nodes(table, check.graph, i) for i in new))
                if number and moved & touched:
                    continue
                touched |= here | moved
            for kind, index in new:
                (cells if kind == CELL else totals)[index] = True


def _item_nodes(table: _Table, graph: _Graph, item: Item) -> set[int]:
    """The graph nodes (bar the ground) that a cell's edge or a total's node and parent touch."""
    if item[0] == CELL:
        return {int(graph.node[0, item[1]]), int(graph.node[1, item[1]])} - {0}
    return {item[1] + 1, int(graph.parent[item[1]])} - {0}


Move = tuple[tuple[Item, ...], int]


def _choose(
    table: _Table,
    cells: BoolArray,
    totals: BoolArray,
    check: _Check,
    item: Item,
    *,
    sure_only: bool = False,
) -> tuple[Item, ...] | None:
    """The move (one cell, one total, or a total with one of its cells) that frees `item`.

    Candidates come ordered: cells before totals, smaller before larger. A candidate proved from
    the graph is taken at once; one that may work is tried by re-running the check (at most
    `_TRIAL_CAP` times); failing both, the first step toward a solution is taken, and as a last
    resort (not seen in testing) the smallest shown total, then the smallest shown cell.
    With `sure_only`, only a proved move is returned (or None).
    """
    if check.graph is not None:
        moves = _graph_moves(table, cells, totals, check.graph, item)
    else:
        moves = _general_moves(table, cells, totals, item)
    if sure_only:
        return next((move for move, kind in moves if kind == _SURE), None)
    trials = 0
    for move, kind in moves:
        if kind == _SURE:
            return move
        if kind == _TRY and trials < _TRIAL_CAP:
            trials += 1
            if _frees(table, cells, totals, move, item):
                return move
    for move, kind in moves:
        if kind == _STEP:
            return move
    for move, kind in moves:
        if kind == _TRY:
            return move
    shown_totals = np.flatnonzero(~totals & ~table.keep)
    if not shown_totals.size:
        shown_totals = np.flatnonzero(~totals)
    if shown_totals.size:
        best = min(shown_totals.tolist(), key=lambda s: (table.totals[s], s))
        return ((TOTAL, best),)
    shown = np.flatnonzero(~cells)
    best_cell = min(shown.tolist(), key=lambda j: (table.values[j], j))
    return ((CELL, best_cell),)


def _frees(
    table: _Table, cells: BoolArray, totals: BoolArray, move: tuple[Item, ...], item: Item
) -> bool:
    trial_cells, trial_totals = cells.copy(), totals.copy()
    for kind, index in move:
        (trial_cells if kind == CELL else trial_totals)[index] = True
    if table.family is None:  # only the one value matters: spare the other programs
        fixed_cells, fixed_totals = _integer_check(table, trial_cells, trial_totals, only=item)
    else:
        check = _check(table, trial_cells, trial_totals)
        fixed_cells, fixed_totals = check.fixed_cells, check.fixed_totals
    return item[1] not in (fixed_cells if item[0] == CELL else fixed_totals)


def _by_value(table: _Table, candidates: IntArray) -> list[int]:
    candidates = np.asarray(candidates, dtype=np.int64)
    return candidates[np.lexsort((candidates, table.values[candidates]))].tolist()


def _cell_moves(table: _Table, candidates: IntArray, non_zero: int, zero: int) -> list[Move]:
    """Cell moves, non-zero cells first (smallest first), then zero cells."""
    ordered = _by_value(table, candidates)
    nz = [(((CELL, j),), non_zero) for j in ordered if table.values[j] > 0]
    zr = [(((CELL, j),), zero) for j in ordered if table.values[j] == 0]
    return nz + zr


# --------------------------------------------------------------------------------------------
# The exact check
# --------------------------------------------------------------------------------------------


@dataclass
class _Graph:
    """The released equations as a graph; see the module docstring."""

    node: IntArray  # (2, n): per family, the node of every cell (0 = ground, s + 1 = sum s)
    parent: IntArray  # canonical sum -> node of its smallest shown strict superset (0 = ground)
    adjacency: list[list[tuple[int, int]]]  # node -> (other node, cell)
    block: dict[int, int]  # cell (graph edge) -> biconnected block
    pinned: set[int]  # hidden zero cells that cannot move


@dataclass
class _Check:
    fixed_cells: list[int]
    fixed_totals: list[int]  # canonical ids
    graph: _Graph | None


def _check(table: _Table, cells: BoolArray, totals: BoolArray) -> _Check:
    if table.family is not None:
        return _graph_check(table, cells, totals)
    fixed_cells, fixed_totals = _integer_check(table, cells, totals)
    return _Check(fixed_cells, fixed_totals, None)


def _nodes(table: _Table, totals: BoolArray) -> tuple[IntArray, IntArray]:
    """Every cell's node per family, and every sum's parent node, given which totals are shown.

    A cell's node in a family is its smallest shown total there (s + 1), or 0, the ground, when
    no shown total of that family holds it; a sum's parent is its smallest shown strict superset.
    """
    m = len(table.sets)
    n = len(table.values)
    shown = np.append(~totals, False)  # index -1 (padding) is "no sum"
    node = np.zeros((2, n), dtype=np.int64)
    for f in (0, 1):
        chain = table.chains[f]
        if chain.shape[1] == 0:
            continue
        usable = shown[chain]
        first = usable.argmax(axis=1)
        node[f] = np.where(usable.any(axis=1), chain[np.arange(n), first] + 1, 0)
    parent = np.zeros(m, dtype=np.int64)
    for s in range(m):
        for t in table.above[s]:
            if not totals[t]:
                parent[s] = t + 1
                break
    return node, parent


def _graph_check(table: _Table, cells: BoolArray, totals: BoolArray) -> _Check:
    """Exact check for two laminar families, in linear time (see the module docstring).

    Subtracting from every shown total its shown sub-totals of the same family leaves each cell
    in at most one equation per family: its smallest shown total there (the *ground* node when
    there is none). Negating the second family's equations makes every hidden cell an edge from
    its family-0 node to its family-1 node of a directed graph, and the released equations say
    that the hidden values form a flow with fixed net supply at every node. The feasible values
    move only along cycles, so a hidden cell is recoverable iff its edge lies on no cycle.
    """
    assert table.family is not None
    m = len(table.sets)
    values = table.values
    node, parent = _nodes(table, totals)
    hidden = np.flatnonzero(cells)
    tails, heads = node[0, hidden], node[1, hidden]
    loop = (tails == 0) & (heads == 0)  # under no shown total at all: free
    pinned: set[int] = set()
    zero = (values[hidden] == 0) & ~loop
    if zero.any():
        # A hidden zero can only grow: it moves iff its edge lies on a directed cycle, where the
        # other (positive) hidden cells may be walked either way.
        both = ~loop & ~zero
        src = np.concatenate([tails[both], heads[both], tails[zero]])
        dst = np.concatenate([heads[both], tails[both], heads[zero]])
        digraph = sparse.csr_matrix((np.ones(len(src)), (src, dst)), shape=(m + 1, m + 1))
        _, strong = connected_components(digraph, directed=True, connection="strong")
        stuck = zero.copy()
        stuck[zero] = strong[tails[zero]] != strong[heads[zero]]
        pinned = set(hidden[stuck].tolist())
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(m + 1)]
    for j, a, b, is_loop in zip(hidden.tolist(), tails.tolist(), heads.tolist(), loop.tolist(),
                                strict=True):  # fmt: skip
        if not is_loop and j not in pinned:
            adjacency[a].append((b, j))
            adjacency[b].append((a, j))
    block, bridges = _blocks(adjacency)
    fixed_cells = sorted(bridges | pinned)
    at_node: dict[int, Counter[int]] = {}
    family = table.family
    fixed_totals: list[int] = []
    for s in np.flatnonzero(totals).tolist():
        f = int(family[s])
        p = int(parent[s])
        members = table.sets[s]
        meeting = members[cells[members] & (node[f, members] == p)]
        if p == 0 and (node[1 - f, meeting] == 0).any():
            continue  # a hidden cell of s is under no shown total: s is free
        meeting = [j for j in meeting.tolist() if j not in pinned]
        if not meeting:
            fixed_totals.append(s)  # everything in s is shown or pinned
            continue
        inside = Counter(block[j] for j in meeting)
        if p not in at_node:
            at_node[p] = Counter(block[j] for _, j in adjacency[p])
        if not any(at_node[p][b] > count for b, count in inside.items()):
            fixed_totals.append(s)
    return _Check(fixed_cells, fixed_totals, _Graph(node, parent, adjacency, block, pinned))


def _blocks(adjacency: list[list[tuple[int, int]]]) -> tuple[dict[int, int], set[int]]:
    """Biconnected blocks of a multigraph (iterative Tarjan), by edge; and its bridges."""
    n = len(adjacency)
    order = [-1] * n
    low = [0] * n
    block: dict[int, int] = {}
    sizes: list[int] = []
    clock = 0
    edges: list[int] = []
    for root in range(n):
        if order[root] >= 0 or not adjacency[root]:
            continue
        order[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            v, via, neighbours = stack[-1]
            descended = False
            for w, e in neighbours:
                if e == via:
                    continue
                if order[w] < 0:
                    edges.append(e)
                    order[w] = low[w] = clock
                    clock += 1
                    stack.append((w, e, iter(adjacency[w])))
                    descended = True
                    break
                if order[w] < order[v]:  # back edge (or a parallel edge to the parent)
                    edges.append(e)
                    low[v] = min(low[v], order[w])
            if descended:
                continue
            stack.pop()
            if stack:
                u = stack[-1][0]
                low[u] = min(low[u], low[v])
                if low[v] >= order[u]:
                    number = len(sizes)
                    count = 0
                    while True:
                        e = edges.pop()
                        block[e] = number
                        count += 1
                        if e == via:
                            break
                    sizes.append(count)
    bridges = {e for e, b in block.items() if sizes[b] == 1}
    return block, bridges


def _integer_check(
    table: _Table, cells: BoolArray, totals: BoolArray, only: Item | None = None
) -> tuple[list[int], list[int]]:
    """Exact integer check for any system of sums, by mixed-integer programming (small tables).

    A hidden value is recoverable iff no whole-number, non-negative solution of the released
    equations gives it another value; each solution found also clears every other value it moves.
    A value that the equations determine by linear algebra alone (its form lies in their row
    space) is recoverable without a program. With `only`, just that value is examined.
    """
    values = table.values
    hidden = np.flatnonzero(cells)
    position = {j: i for i, j in enumerate(hidden.tolist())}
    rows = [s for s in range(len(table.sets)) if not totals[s] and cells[table.sets[s]].any()]
    matrix = np.zeros((len(rows), len(hidden)))
    for r, s in enumerate(rows):
        for j in table.sets[s].tolist():
            if j in position:
                matrix[r, position[j]] = 1.0
    truth = values[hidden].astype(np.float64)
    rhs = matrix @ truth
    constrained = matrix.any(axis=0)
    items: list[tuple[int, int, npt.NDArray[np.float64]]] = []
    for i, j in enumerate(hidden.tolist()):
        vector = np.zeros(len(hidden))
        vector[i] = 1.0
        items.append((CELL, j, vector))
    for s in np.flatnonzero(totals).tolist():
        vector = np.zeros(len(hidden))
        for j in table.sets[s].tolist():
            if j in position:
                vector[position[j]] = 1.0
        items.append((TOTAL, s, vector))
    if only is not None:
        items = [entry for entry in items if entry[:2] == only]
    free = [bool((vector.astype(bool) & ~constrained).any()) for _, _, vector in items]
    if rows:
        _, singular, right = np.linalg.svd(matrix, full_matrices=False)
        basis = right[singular > 1e-9 * max(1.0, float(singular.max()))]
    else:
        basis = np.zeros((0, len(hidden)))
    # Variables under no shown total are free; pin them to their value so the programs stay small.
    upper = np.where(constrained, np.inf, truth)
    lower = np.where(constrained, 0.0, truth)
    for r in range(len(rows)):
        upper = np.where(matrix[r] > 0, np.minimum(upper, rhs[r]), upper)
    equations = LinearConstraint(matrix, rhs, rhs) if rows else None
    fixed_cells: list[int] = []
    fixed_totals: list[int] = []
    for number, (kind, index, vector) in enumerate(items):
        if free[number]:
            continue
        value = float(vector @ truth)
        point = None
        determined = np.linalg.norm(vector - basis.T @ (basis @ vector)) < 1e-6
        if vector.any() and not determined:
            for low_bound, high_bound in ((-np.inf, value - 1), (value + 1, np.inf)):
                if high_bound < 0:
                    continue
                constraints = [LinearConstraint(vector[None, :], low_bound, high_bound)]
                if equations is not None:
                    constraints.append(equations)
                result = milp(
                    np.zeros(len(hidden)),
                    constraints=constraints,
                    integrality=np.ones(len(hidden)),
                    bounds=Bounds(lower, upper),
                )
                if result.status == 0 and result.x is not None:
                    point = np.round(result.x)
                    break
        if point is None:
            (fixed_cells if kind == CELL else fixed_totals).append(index)
            continue
        for other, (_, _, w) in enumerate(items):
            if not free[other] and w @ point != w @ truth:
                free[other] = True
    return sorted(fixed_cells), sorted(fixed_totals)


# --------------------------------------------------------------------------------------------
# Candidate moves
# --------------------------------------------------------------------------------------------


def _reach(adjacency: list[list[tuple[int, int]]], start: int, without: int) -> list[int]:
    """Nodes reachable from `start` without using edge (cell) `without`."""
    seen = {start}
    stack = [start]
    while stack:
        x = stack.pop()
        for y, e in adjacency[x]:
            if e != without and y not in seen:
                seen.add(y)
                stack.append(y)
    return list(seen)


def _components_without(adjacency: list[list[tuple[int, int]]], cut: int) -> IntArray:
    """Connected component of every node once node `cut` is removed (cut itself gets -1)."""
    label = np.full(len(adjacency), -1, dtype=np.int64)
    number = 0
    for start in range(len(adjacency)):
        if start == cut or label[start] >= 0:
            continue
        label[start] = number
        stack = [start]
        while stack:
            x = stack.pop()
            for y, _ in adjacency[x]:
                if y != cut and label[y] < 0:
                    label[y] = number
                    stack.append(y)
        number += 1
    return label


def _graph_moves(
    table: _Table, cells: BoolArray, totals: BoolArray, graph: _Graph, item: Item
) -> list[Move]:
    """Ordered candidate moves for a recoverable item, read off the graph."""
    node, parent = graph.node, graph.parent
    shown = ~cells
    values = table.values
    assert table.family is not None
    family = table.family
    m = len(table.sets)
    shown_sums = np.flatnonzero(~totals & ~table.keep)
    if item[0] == CELL and item[1] not in graph.pinned:
        # A bridge: it needs a cycle. A shown cell whose two nodes lie on either side of it closes
        # one; so does hiding a total whose node and parent node lie on either side.
        j = item[1]
        a, b = int(node[0, j]), int(node[1, j])
        side = np.zeros(m + 1, dtype=np.int64)
        side[_reach(graph.adjacency, a, j)] = 1
        side[_reach(graph.adjacency, b, j)] = 2
        across = shown & (side[node[0]] * side[node[1]] == 2)
        moves = _cell_moves(table, np.flatnonzero(across), _SURE, _TRY)
        moves += _bridge_total_moves(table, cells, totals, graph, shown_sums, side)
        near = shown & (((node[0] == a) & (a != 0)) | ((node[1] == b) & (b != 0)))
        moves += _cell_moves(table, np.flatnonzero(near), _STEP, _TRY)
        below = [t for t in shown_sums.tolist() if parent[t] in (a, b)]
        ends = [x - 1 for x in (a, b) if x != 0 and not table.keep[x - 1]]
        for group in (below, ends):
            moves += [(((TOTAL, t),), _STEP) for t in sorted(group, key=lambda t: table.totals[t])]
        return moves
    if item[0] == CELL:
        # A pinned zero: try the cells and totals around it.
        j = item[1]
        near = shown & np.isin(node, node[:, j][node[:, j] != 0]).any(axis=0)
        moves = _cell_moves(table, np.flatnonzero(near), _TRY, _TRY)
        around = [s for s in table.member[j] if not totals[s] and not table.keep[s]]
        return moves + [(((TOTAL, s),), _TRY) for s in around]
    s = item[1]
    f = int(family[s])
    p = int(parent[s])
    in_s = np.zeros(len(values), dtype=bool)
    in_s[table.sets[s]] = True
    meeting = np.flatnonzero(cells & in_s & (node[f] == p))
    meeting = np.array([j for j in meeting.tolist() if j not in graph.pinned], dtype=np.int64)
    # Shown sums that hang directly under p, outside s, and inside s.
    children = [t for t in shown_sums.tolist() if parent[t] == p and t != s]
    outside = [t for t in children if not in_s[table.sets[t]].all()]
    within = [t for t in children if family[t] == f and in_s[table.sets[t]].all()]
    if meeting.size == 0:
        # The value of s follows from shown cells and shown sub-totals: s needs a hidden cell of
        # its own at its meeting node (or a hidden sub-total) before anything else can help.
        own = shown & in_s & (node[f] == p)
        moves = _cell_moves(table, np.flatnonzero(own), _TRY, _TRY)
        moves += _total_moves(table, cells, totals, graph, within, None, None)
        steps = [(move, _STEP) for move, _ in moves]
        return moves + steps
    # s's hidden cells meet at node p; s is free once another edge at p shares a cycle with one.
    label_of = _components_without(graph.adjacency, p)
    far = node[1 - f, meeting]
    good = np.zeros(label_of.max() + 2, dtype=bool)
    good[label_of[far]] = True
    good[-1] = False  # label -1 (the node p itself) is never good
    at_p = (node[f] == p) | ((node[1 - f] == p) if p == 0 else False)
    would_meet = in_s & (node[f] == p)
    other_end = np.where(node[f] == p, node[1 - f], node[f])
    loose = (node[0] == 0) & (node[1] == 0)
    candidates = shown & at_p & ~would_meet & ~loose & good[label_of[other_end]]
    moves = _cell_moves(table, np.flatnonzero(candidates), _SURE, _TRY)
    meet = (f, set(far.tolist()))
    moves += _total_moves(table, cells, totals, graph, outside, (label_of, good), meet)
    if p != 0 and not table.keep[p - 1]:
        moves.append((((TOTAL, p - 1),), _TRY))
    steps = sorted(
        ((((TOTAL, t),), _STEP) for t in outside), key=lambda mv: table.totals[mv[0][0][1]]
    )
    if p != 0 and not table.keep[p - 1]:
        steps.append((((TOTAL, p - 1),), _STEP))
    return moves + steps


def _descents(
    table: _Table,
    cells: BoolArray,
    totals: BoolArray,
    graph: _Graph,
    t: int,
    eligible: BoolArray | None = None,
) -> tuple[IntArray, IntArray, _Ways]:
    """Ways to make a shown total t unknown: hide t and every shown total of t's family between
    it and a cell j inside it that is hidden already or gets hidden with them (a shown non-zero
    cell). Else t's value would still follow from the shown totals and cells under it.

    Returns the cells j, what each way hides (respondents: t, the totals between, and j if it
    was shown), and the items of each way (built on demand). Ways through a total that must be
    kept are left out, and so are cells outside `eligible` (default: `_usable`) when it is given.
    """
    assert table.family is not None
    f = int(table.family[t])
    members = table.sets[t]
    cand = members[(_usable(table, cells, graph) if eligible is None else eligible)[members]]
    chain = table.chains[f][cand]
    safe = np.maximum(chain, 0)
    between = (chain >= 0) & (table.size[safe] < table.size[t]) & ~totals[safe]
    shown = ~cells[cand]
    cost = table.totals[t] + table.values[cand] * shown + (table.totals[safe] * between).sum(1)
    keep = ~(between & table.keep[safe]).any(axis=1)
    ways = _Ways(t, cand[keep], shown[keep], chain[keep], between[keep])
    return cand[keep], cost[keep], ways


def _usable(table: _Table, cells: BoolArray, graph: _Graph) -> BoolArray:
    """Cells a way down may end at: shown non-zero cells, and hidden cells that can move."""
    usable = np.where(cells, True, table.values > 0)
    if graph.pinned:
        usable[list(graph.pinned)] = False
    return usable


@dataclass(frozen=True)
class _Ways:
    """The items of the ways down from total t (see `_descents`), one row per cell."""

    total: int
    cand: IntArray
    shown: BoolArray
    chain: IntArray
    between: BoolArray

    def __getitem__(self, row: int) -> tuple[Item, ...]:
        inner = tuple((TOTAL, int(w)) for w in self.chain[row][self.between[row]])
        last = ((CELL, int(self.cand[row])),) if self.shown[row] else ()
        return ((TOTAL, self.total), *inner, *last)


def _cheapest(
    cand: IntArray, cost: IntArray, moves: _Ways, where: BoolArray
) -> tuple[int, tuple[Item, ...]] | None:
    """The cheapest of the ways selected by `where` (ties: lowest cell index)."""
    rows = np.flatnonzero(where)
    if rows.size == 0:
        return None
    best = int(rows[np.lexsort((cand[rows], cost[rows]))[0]])
    return int(cost[best]), moves[best]


def _bridge_total_moves(
    table: _Table,
    cells: BoolArray,
    totals: BoolArray,
    graph: _Graph,
    sums: IntArray,
    side: IntArray,
) -> list[Move]:
    """Totals that give a bridge a cycle, alone or with a way down to one of their cells.

    Hiding shown total t merges its node into its parent's node: that closes a cycle when the two
    lie on either side of the bridge (`side` is 1 or 2 there, 0 away from it). Otherwise hiding t
    with a way down to a cell j (see `_descents`) also closes one when j's other end lies on the
    side opposite the merged node. Both are proved from the graph, so only the cheapest is
    returned (any way through t hides at least t, which bounds the search).
    """
    assert table.family is not None
    node, parent = graph.node, graph.parent
    best: tuple[int, int, tuple[Item, ...]] | None = None
    near = sums[(side[sums + 1] != 0) | (side[parent[sums]] != 0)]
    # eligible[f][x]: usable cells whose end in the other family lies on side 3 - x; and which
    # sums hold any (one sparse product instead of a look inside every sum).
    usable = _usable(table, cells, graph)
    eligible = [[usable & (side[node[1 - f]] == 3 - x) for x in (0, 1, 2)] for f in (0, 1)]
    holds = [[table.incidence @ e.astype(np.float64) > 0 for e in per] for per in eligible]
    for t in near[np.lexsort((near, table.totals[near]))].tolist():
        if best is not None and table.totals[t] > best[0]:
            break
        merged = {int(side[t + 1]), int(side[parent[t]])} - {0}
        option: tuple[int, int, tuple[Item, ...]] | None = None
        if merged == {1, 2}:
            option = (int(table.totals[t]), 0, ((TOTAL, t),))
        else:
            f = int(table.family[t])
            x = next(iter(merged))
            if not holds[f][x][t]:
                continue
            cand, cost, ways = _descents(table, cells, totals, graph, t, eligible[f][x])
            way = _cheapest(cand, cost, ways, np.ones(len(cand), dtype=bool))
            if way is not None:
                option = (way[0], 1, way[1])
        if option is not None and (best is None or option < best):
            best = option
    return [] if best is None else [(best[2], _SURE)]


def _total_moves(
    table: _Table,
    cells: BoolArray,
    totals: BoolArray,
    graph: _Graph,
    sums: list[int],
    reach: tuple[IntArray, BoolArray] | None,
    meet: tuple[int, set[int]] | None,
) -> list[Move]:
    """Hide a shown total and a way down from it (`_descents`): its hidden cells move up a node.

    With `reach`, only cells whose far end can get back to the recoverable total's cells
    are used. `meet` holds the recoverable total's family and the far ends of its own edges: a
    moved edge of that family that ends there runs parallel to one of them, which proves the move.
    Ordered by the respondents hidden.
    """
    assert table.family is not None
    node = graph.node
    scored: list[tuple[int, int, tuple[Item, ...], int]] = []
    for t in sums:
        f = int(table.family[t])
        parallel = list(meet[1]) if meet is not None and f == meet[0] else []
        cand, cost, moves = _descents(table, cells, totals, graph, t)
        if not cand.size:
            continue
        ends = node[1 - f, cand]
        if reach is not None:
            label_of, good = reach
            usable = good[label_of[ends]]
        else:
            usable = np.ones(len(cand), dtype=bool)
        sure = _cheapest(cand, cost, moves, usable & np.isin(ends, parallel))
        if sure is not None:
            scored.append((sure[0], 1, sure[1], _SURE))
        maybe = _cheapest(cand, cost, moves, usable)
        if maybe is not None and (sure is None or maybe[1] != sure[1]):
            scored.append((maybe[0], 1, maybe[1], _TRY))
    scored.sort(key=lambda x: (x[0], x[1], x[2]))
    return [(move, kind) for _, _, move, kind in scored]


def _general_moves(table: _Table, cells: BoolArray, totals: BoolArray, item: Item) -> list[Move]:
    """Candidate moves when the sums are not two laminar families: neighbours, tried one by one."""
    shown_sums = [s for s in range(len(table.sets)) if not totals[s] and not table.keep[s]]
    n = len(table.values)
    if item[0] == CELL:
        around = [s for s in table.member[item[1]] if not totals[s] and not table.keep[s]]
        reach = np.zeros(n, dtype=bool)
        for s in around:
            reach[table.sets[s]] = True
    else:
        in_s = np.zeros(n, dtype=bool)
        in_s[table.sets[item[1]]] = True
        overlapping = [s for s in shown_sums if in_s[table.sets[s]].any()]
        supersets = [s for s in overlapping if in_s[table.sets[s]].sum() == in_s.sum()]
        cover = np.zeros(n, dtype=bool)
        for s in supersets:
            cover[table.sets[s]] = True
        siblings = [s for s in shown_sums if s not in overlapping and cover[table.sets[s]].all()]
        around = overlapping + siblings
        reach = in_s.copy()
        for s in overlapping:
            reach[table.sets[s]] = True
    moves = _cell_moves(table, np.flatnonzero(reach & ~cells), _TRY, _TRY)
    scored: list[tuple[int, tuple[Item, ...]]] = []
    for s in around:
        scored.append((int(table.totals[s]), ((TOTAL, s),)))
        order = table.order[s]
        own = order[~cells[order] & (table.values[order] > 0)]
        if own.size:
            best = int(own[0])
            scored.append((int(table.totals[s] + table.values[best]), ((TOTAL, s), (CELL, best))))
    scored.sort()
    moves += [(move, _TRY) for _, move in scored]
    steps = [(move, _STEP) for move, _ in moves if len(move) == 1 and move[0][0] == CELL]
    return moves + steps[:1]
