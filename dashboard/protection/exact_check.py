"""The exact check: which hidden cells and totals can still be worked out from what is shown.

Over two laminar families the released equations form a graph and the answer is read from its
bridges and biconnected blocks in linear time; any other system of sums falls back to
mixed-integer programming. Why this is exact is explained in `dashboard.protection.suppression`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from dashboard.protection.table import CELL, TOTAL, BoolArray, IntArray, Item, Table


@dataclass
class Graph:
    """The released equations as a graph; see the module docstring."""

    node: IntArray  # (2, n): per family, the node of every cell (0 = ground, s + 1 = sum s)
    parent: IntArray  # canonical sum -> node of its smallest shown strict superset (0 = ground)
    adjacency: list[list[tuple[int, int]]]  # node -> (other node, cell)
    block: dict[int, int]  # cell (graph edge) -> biconnected block
    pinned: set[int]  # hidden zero cells that cannot move


@dataclass
class Check:
    fixed_cells: list[int]
    fixed_totals: list[int]  # canonical ids
    graph: Graph | None


def recoverable(table: Table, cells: BoolArray, totals: BoolArray) -> Check:
    """The hidden cells and totals whose value can still be worked out from what is shown."""
    if table.family is not None:
        return graph_check(table, cells, totals)
    fixed_cells, fixed_totals = integer_check(table, cells, totals)
    return Check(fixed_cells, fixed_totals, None)


def nodes(table: Table, totals: BoolArray) -> tuple[IntArray, IntArray]:
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


def graph_check(table: Table, cells: BoolArray, totals: BoolArray) -> Check:
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
    node, parent = nodes(table, totals)
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
    return Check(fixed_cells, fixed_totals, Graph(node, parent, adjacency, block, pinned))


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


def integer_check(
    table: Table, cells: BoolArray, totals: BoolArray, only: Item | None = None
) -> tuple[list[int], list[int]]:
    """Exact integer check for any system of sums, by mixed-integer programming (small tables).

    A hidden value is recoverable iff no whole-number, non-negative solution of the released
    equations gives it another value; each solution found also clears every other value it moves.
    A value that the equations determine by linear algebra alone (its form lies in their row
    space) is recoverable without a program. With `only`, just that value is examined.
    """
    # Imported here, not with the module: every command imports the suppression with the
    # report, and scipy.optimize took a quarter of a second of each command's start.
    from scipy.optimize import Bounds, LinearConstraint, milp

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
