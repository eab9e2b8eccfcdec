"""Secondary suppression: the further cells and totals hidden so that no hidden value can be
worked out, chosen greedily (fewest respondents hidden first) from candidate moves that the
exact check proves or tries. The strategy is described in `dashboard.protection.suppression`.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from dashboard.protection.exact_check import Check, Graph, integer_check, nodes, recoverable
from dashboard.protection.table import CELL, TOTAL, BoolArray, IntArray, Item, Table

# A move is tried by re-running the check only when it cannot be proved to work from the graph;
# this caps how many such trials one step makes before it falls back to a move that makes
# progress (every step hides something new, so the loop still ends).
_TRIAL_CAP = 32

_SURE = 0  # proved (from the graph) to make the recoverable value unrecoverable
_TRY = 1  # may do so: re-run the check to find out
_STEP = 2  # does not do so alone, but is where a solution has to start


def close_singletons(table: Table, cells: BoolArray, totals: BoolArray) -> None:
    """First pass: no shown equation may hold exactly one hidden cell (its value would follow).

    Gives each such equation its smallest non-zero shown cell, then looks again at the equations
    that cell is in. It is the textbook rule and settles most tables before the exact check; an
    equation whose other shown cells are all zero is left to `secure`. With two laminar families
    the equations are the reduced ones of `graph_check` (a total minus its shown sub-totals), so
    a region whose only hidden country sits beside shown sub-regions is caught here too.
    """
    if table.family is not None:
        node, _ = nodes(table, totals)
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


def secure(table: Table, cells: BoolArray, totals: BoolArray) -> None:
    """Second pass: run the exact check and free the first recoverable value, until none is left.

    To save checks on big tables, one round also frees further recoverable values whose move is
    proved from the graph, as long as it touches none of the nodes the round has touched already
    (so two moves do not do the same job twice). A proved move stays good when more is hidden
    (hiding never makes a value easier to recover), so the batch is as safe as one at a time.
    """
    while True:
        check = recoverable(table, cells, totals)
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


def _item_nodes(table: Table, graph: Graph, item: Item) -> set[int]:
    """The graph nodes (bar the ground) that a cell's edge or a total's node and parent touch."""
    if item[0] == CELL:
        return {int(graph.node[0, item[1]]), int(graph.node[1, item[1]])} - {0}
    return {item[1] + 1, int(graph.parent[item[1]])} - {0}


Move = tuple[tuple[Item, ...], int]


def _choose(
    table: Table,
    cells: BoolArray,
    totals: BoolArray,
    check: Check,
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
    table: Table, cells: BoolArray, totals: BoolArray, move: tuple[Item, ...], item: Item
) -> bool:
    trial_cells, trial_totals = cells.copy(), totals.copy()
    for kind, index in move:
        (trial_cells if kind == CELL else trial_totals)[index] = True
    if table.family is None:  # only the one value matters: spare the other programs
        fixed_cells, fixed_totals = integer_check(table, trial_cells, trial_totals, only=item)
    else:
        check = recoverable(table, trial_cells, trial_totals)
        fixed_cells, fixed_totals = check.fixed_cells, check.fixed_totals
    return item[1] not in (fixed_cells if item[0] == CELL else fixed_totals)


def _by_value(table: Table, candidates: IntArray) -> list[int]:
    candidates = np.asarray(candidates, dtype=np.int64)
    return candidates[np.lexsort((candidates, table.values[candidates]))].tolist()


def _cell_moves(table: Table, candidates: IntArray, non_zero: int, zero: int) -> list[Move]:
    """Cell moves, non-zero cells first (smallest first), then zero cells."""
    ordered = _by_value(table, candidates)
    nz = [(((CELL, j),), non_zero) for j in ordered if table.values[j] > 0]
    zr = [(((CELL, j),), zero) for j in ordered if table.values[j] == 0]
    return nz + zr


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
    table: Table, cells: BoolArray, totals: BoolArray, graph: Graph, item: Item
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
    table: Table,
    cells: BoolArray,
    totals: BoolArray,
    graph: Graph,
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


def _usable(table: Table, cells: BoolArray, graph: Graph) -> BoolArray:
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
    table: Table,
    cells: BoolArray,
    totals: BoolArray,
    graph: Graph,
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
    table: Table,
    cells: BoolArray,
    totals: BoolArray,
    graph: Graph,
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


def _general_moves(table: Table, cells: BoolArray, totals: BoolArray, item: Item) -> list[Move]:
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
