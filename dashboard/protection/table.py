"""The cells and sums of one table, validated, with the structure every check reuses.

Identical sums become one canonical total, and the sums are split into two laminar families
where they can be (the case the exact check answers on a graph). The model is described in
`dashboard.protection.suppression`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CELL = 0
TOTAL = 1
Item = tuple[int, int]
"""(CELL, cell index) or (TOTAL, canonical sum id)."""


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


def series_counts(counts: pd.Series) -> IntArray:
    return _counts(counts.to_numpy(dtype=np.float64, na_value=np.nan))


def frame_counts(grid: pd.DataFrame) -> IntArray:
    return _counts(grid.to_numpy(dtype=np.float64, na_value=np.nan).ravel())


def cell_mask(n: int, cells: frozenset[int]) -> BoolArray:
    mask = np.zeros(n, dtype=bool)
    mask[list(cells)] = True
    return mask


@dataclass(frozen=True)
class Table:
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
    ) -> Table:
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
        return Table(
            counts, int(k), sets, canon, totals, size, member, order, family,
            (chains[0], chains[1]), above, kept, incidence,
        )  # fmt: skip


def _two_laminar(incidence: sparse.csr_matrix, size: IntArray) -> IntArray | None:
    """Split the sums into two laminar families if possible (2-colour the "crossing" graph).

    Two sums cross when they overlap and neither contains the other; crossing sums must go to
    different families. Two laminar families give a totally unimodular matrix (so linear
    programming answers are whole numbers) and the graph form used by `graph_check`.
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
