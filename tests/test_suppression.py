"""Small-cell suppression: hand-made cases, then random breakdowns attacked independently.

The attacker here shares no code with `dashboard.protection`: it writes down what a reader of
the published table knows (every shown cell and shown total, counts are whole numbers, none is
negative) and asks a mixed-integer solver for the smallest and largest value each hidden cell and
hidden total could have. A hidden value whose smallest and largest possible values are equal
has been recovered. For tiny tables of arbitrary sums it enumerates every whole-number solution
instead.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from dashboard.protection.suppression import (
    Suppression,
    label,
    protect,
    suppress_grid,
    suppress_grouped,
    suppress_series,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------------------------
# The independent attacker
# --------------------------------------------------------------------------------------------


def _attacker_view(
    values: Sequence[int],
    sums: Sequence[Sequence[int]],
    hidden_cells: set[int],
    hidden_totals: set[int],
) -> tuple[list[int], np.ndarray, np.ndarray, list[tuple[str, int, np.ndarray]]]:
    """Unknowns, the released equations on them, and one linear form per hidden value."""
    unknown = sorted(hidden_cells)
    where = {j: i for i, j in enumerate(unknown)}
    rows, rhs = [], []
    for number, cells in enumerate(sums):
        if number in hidden_totals or not len(cells):
            continue
        total = sum(values[j] for j in cells)
        row = np.zeros(len(unknown))
        shown = 0
        for j in cells:
            if j in where:
                row[where[j]] += 1
            else:
                shown += values[j]
        if row.any():
            rows.append(row)
            rhs.append(total - shown)
        else:
            assert shown == total
    forms = []
    for j in unknown:
        form = np.zeros(len(unknown))
        form[where[j]] = 1
        forms.append(("cell", j, form))
    for number in sorted(hidden_totals):
        form = np.zeros(len(unknown))
        for j in sums[number]:
            if j in where:
                form[where[j]] += 1
        forms.append(("total", number, form))
    matrix = np.array(rows).reshape(len(rows), len(unknown))
    return unknown, matrix, np.array(rhs, dtype=float), forms


def recovered_by_solver(
    values: Sequence[int],
    sums: Sequence[Sequence[int]],
    hidden_cells: set[int],
    hidden_totals: set[int],
) -> list[tuple[str, int]]:
    """Hidden values whose integer minimum equals their integer maximum (scipy's MILP)."""
    unknown, matrix, rhs, forms = _attacker_view(values, sums, hidden_cells, hidden_totals)
    if not unknown:
        return [(kind, i) for kind, i, _ in forms]
    truth = np.array([values[j] for j in unknown], dtype=float)
    ceiling = float(sum(values)) + 1.0  # above any true value: reaching it means "unbounded"
    constraints = [LinearConstraint(matrix, rhs, rhs)] if len(rhs) else []
    moves = [False] * len(forms)
    for number, (_, _, form) in enumerate(forms):
        if moves[number]:
            continue
        for sign in (1.0, -1.0):  # minimise, then maximise
            result = milp(
                sign * form,
                constraints=constraints,
                integrality=np.ones(len(unknown)),
                bounds=Bounds(0.0, ceiling),
            )
            assert result.status == 0, result.message  # the true values are a solution
            point = np.round(result.x)
            for other, (_, _, g) in enumerate(forms):
                if g @ point != g @ truth:
                    moves[other] = True
            if moves[number]:
                break
    return [(kind, i) for (kind, i, _), ok in zip(forms, moves, strict=True) if not ok]


def recovered_by_enumeration(
    values: Sequence[int],
    sums: Sequence[Sequence[int]],
    hidden_cells: set[int],
    hidden_totals: set[int],
) -> list[tuple[str, int]]:
    """Same question answered by listing every whole-number solution (tiny tables only)."""
    unknown, matrix, rhs, forms = _attacker_view(values, sums, hidden_cells, hidden_totals)
    if not unknown:
        return [(kind, i) for kind, i, _ in forms]
    constrained = matrix.any(axis=0) if len(rhs) else np.zeros(len(unknown), dtype=bool)
    truth = np.array([values[j] for j in unknown])
    # An unknown in no shown total can be anything; give it two values to stand for that.
    ranges = []
    for i in range(len(unknown)):
        if constrained[i]:
            top = min(rhs[r] for r in range(len(rhs)) if matrix[r, i])
            ranges.append(range(int(top) + 1))
        else:
            ranges.append(range(int(truth[i]), int(truth[i]) + 2))
    grid = np.array(list(itertools.product(*ranges)), dtype=float)
    if len(rhs):
        grid = grid[(grid @ matrix.T == rhs).all(axis=1)]
    recovered = []
    for kind, i, form in forms:
        if len(np.unique(grid @ form)) < 2:
            recovered.append((kind, i))
    return recovered


# --------------------------------------------------------------------------------------------
# Hand-made cases
# --------------------------------------------------------------------------------------------

ROW = [[0, 1, 2, 3]]


@pytest.mark.parametrize(
    ("values", "sums", "k", "cells", "totals"),
    [
        pytest.param([3, 10, 20, 30], ROW, 5, {0, 1}, set(), id="one-small-cell-forces-another"),
        pytest.param([3, 20, 10, 7], ROW, 5, {0, 3}, set(), id="the-smallest-is-chosen"),
        pytest.param([3, 8, 8, 9], ROW, 5, {0, 1}, set(), id="ties-go-to-the-lowest-index"),
        pytest.param([0, 0, 10, 12], ROW, 5, set(), set(), id="zeros-are-not-primary"),
        pytest.param([0, 3, 10, 0], ROW, 5, {1, 2}, set(), id="a-zero-is-not-the-secondary"),
        pytest.param([1, 2, 0, 0], ROW, 5, {0, 1}, {0}, id="a-small-total-is-hidden"),
        pytest.param(
            [3, 1, 20, 30], ROW, 5, {0, 1}, set(), id="two-small-cells-protect-each-other"
        ),
        pytest.param([10, 20, 30, 40], ROW, 5, set(), set(), id="already-safe"),
        pytest.param([1, 2, 3, 4], ROW, 1, set(), set(), id="k-1-hides-nothing"),
        pytest.param([4, 7], [], 5, {0}, set(), id="no-totals-nothing-to-protect-against"),
        pytest.param([4], [[0]], 5, {0}, {0}, id="a-single-small-cell-and-its-total"),
        pytest.param(
            [2, 10, 10, 10],
            [[0, 1], [2, 3], [0, 2], [1, 3], [0, 1, 2, 3]],
            5,
            {0, 1, 2, 3},
            set(),
            id="2x2-needs-a-rectangle",
        ),
        pytest.param(
            [3, 0, 5, 6],
            [[0, 1], [2, 3], [0, 2], [1, 3], [0, 1, 2, 3]],
            5,
            {0, 1, 2, 3},
            {0, 1},
            id="a-zero-secondary-when-it-protects",
        ),
        pytest.param(
            [3, 10, 20, 60],
            [[0], [1, 2], [3], [0, 1, 2, 3]],
            5,
            {0, 1},
            {0, 1},
            id="a-region-of-one-country-needs-a-sibling-region",
        ),
    ],
)
def test_hand_made_cases(
    values: list[int], sums: list[list[int]], k: int, cells: set[int], totals: set[int]
) -> None:
    # Where there are several sums the last one is the grand total, which the overview shows
    # anyway (so it is kept, as the wrappers keep it).
    result = protect(values, sums, k, keep=[len(sums) - 1] if len(sums) > 1 else [])
    assert result == Suppression(frozenset(cells), frozenset(totals))
    assert recovered_by_enumeration(values, sums, set(cells), set(totals)) == []


def test_identical_sums_are_hidden_together() -> None:
    cells, totals = protect([1, 2, 9], [[0, 1], [1, 0], [0, 1, 2]], 5)
    # {0, 1} adds up to 3: hidden (both copies); it would be 12 - 9 unless the 9 goes too.
    assert (cells, totals) == ({0, 1, 2}, {0, 1})


def test_a_shown_grand_total_is_a_last_resort() -> None:
    # Hiding the world total would be cheapest here, but it is public anyway.
    sums = [[0], [1, 2], [0, 1, 2]]
    assert protect([3, 10, 20], sums, 5).totals == {0, 2}
    assert protect([3, 10, 20], sums, 5, keep=[2]) == Suppression(
        frozenset({0, 1}), frozenset({0, 1})
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [([1, -1], "negative"), ([1.5, 2], "whole"), ([np.nan, 2], "missing"), ([[1]], "one-dim")],
)
def test_bad_counts_are_refused(values: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        protect(values, [], 5)


@pytest.mark.parametrize(
    ("sums", "k", "message"),
    [([[0, 0]], 5, "twice"), ([[3]], 5, "does not exist"), ([[0]], 0, "at least 1")],
)
def test_bad_sums_and_k_are_refused(sums: list, k: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        protect([1, 2], sums, k)


def test_series_wrapper() -> None:
    counts = pd.Series([120, 3, 0, 45], index=["FR", "MT", "LI", "DE"], name="respondents")
    mask = suppress_series(counts, 5)
    assert mask.tolist() == [False, True, False, True]
    assert mask.index.equals(counts.index) and mask.name == "respondents"
    assert mask.attrs["total"] is False
    assert suppress_series(pd.Series([1, 2]), 5).attrs["total"] is True
    assert suppress_series(counts, 5, total_released=False).tolist() == [False, True, False, False]
    assert suppress_series(counts, 5, total_released=False).attrs["total"] is None


def test_grid_wrapper_margins() -> None:
    grid = pd.DataFrame(
        [[2, 10, 30], [10, 10, 30], [1, 0, 0]],
        index=pd.Index(["Freedom", "Safety", "Other"], name="theme"),
        columns=pd.Index(["Africa", "Asia", "Europe"], name="region"),
    )
    mask = suppress_grid(grid, 5)
    assert mask.shape == grid.shape and mask.dtypes.eq(bool).all()
    assert mask.index.equals(grid.index) and mask.columns.equals(grid.columns)
    # "Other" adds up to 1, and would be the grand total minus the other two rows, so the
    # smaller of those (Freedom, 42) goes too.
    assert mask.attrs["row_totals"].tolist() == [True, False, True]
    assert mask.attrs["grand_total"] is False
    assert recovered_by_solver(*_grid_problem(grid, mask)) == []
    only_rows = suppress_grid(grid, 5, column_totals=False)
    assert only_rows.attrs["column_totals"] is None


def test_grid_with_a_small_country_column() -> None:
    # One country has 3 respondents in all: its column total is below k, and the grand total
    # minus the other column totals would give it back unless another column total goes too.
    grid = pd.DataFrame([[1, 20, 30, 8], [2, 20, 30, 9], [0, 25, 35, 10]])
    mask = suppress_grid(grid, 5)
    assert mask.attrs["column_totals"].tolist()[0] is True
    assert mask.attrs["column_totals"].sum() >= 2
    assert recovered_by_solver(*_grid_problem(grid, mask)) == []


def test_grouped_wrapper() -> None:
    counts = pd.Series({"FR": 40, "DE": 50, "MT": 3, "KE": 12, "NG": 30, "FJ": 2})
    regions = pd.Series(
        {"FR": "Europe", "DE": "Europe", "MT": "Europe", "KE": "Africa", "NG": "Africa",
         "FJ": "Oceania"}
    )  # fmt: skip
    mask = suppress_grouped(counts, regions, 5)
    assert mask["MT"] and mask["FJ"]
    assert mask.attrs["group_totals"]["Oceania"]  # 2 respondents
    assert mask.attrs["total"] is False
    assert recovered_by_solver(*_grouped_problem(counts, regions.to_frame(), mask)) == []


def test_grouped_wrapper_levels_and_missing_groups() -> None:
    counts = pd.Series([3, 9, 14, 2, 30, 6], index=list("abcdef"))
    levels = pd.DataFrame(
        {
            "region": ["X", "X", "X", "Y", "Y", None],
            "subregion": ["X1", "X1", "X2", "Y1", "Y1", None],
        },
        index=list("abcdef"),
    )
    mask = suppress_grouped(counts, levels, 5)
    assert set(mask.attrs["group_totals"]) == {"region", "subregion"}
    assert recovered_by_solver(*_grouped_problem(counts, levels, mask)) == []
    with pytest.raises(ValueError, match="every cell"):
        suppress_grouped(counts, levels.iloc[:3], 5)


@pytest.mark.parametrize(
    ("value", "suppressed", "k", "text"),
    [
        (3, True, 5, "< 5"),
        (1234567, False, 5, "1,234,567"),
        (0, False, 5, "0"),
        (12, True, 10, "< 10"),
    ],
)
def test_label(value: int, suppressed: bool, k: int, text: str) -> None:
    assert label(value, suppressed, k) == text


# --------------------------------------------------------------------------------------------
# Random breakdowns
# --------------------------------------------------------------------------------------------

counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
ks = st.integers(1, 7)


def _grid_problem(
    grid: pd.DataFrame, mask: pd.DataFrame
) -> tuple[list[int], list[list[int]], set[int], set[int]]:
    """Flatten a grid and its mask into the attacker's terms, margins as they were flagged."""
    n_rows, n_cols = grid.shape
    values = [int(v) for v in grid.to_numpy().ravel()]
    index = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    sums: list[list[int]] = []
    hidden_totals: set[int] = set()
    for key, lines in (("row_totals", index), ("column_totals", index.T)):
        flags = mask.attrs[key]
        if flags is None:
            continue
        for line, flag in zip(lines, flags, strict=True):
            if flag:
                hidden_totals.add(len(sums))
            sums.append(line.tolist())
    if mask.attrs["grand_total"] is not None:
        if mask.attrs["grand_total"]:
            hidden_totals.add(len(sums))
        sums.append(index.ravel().tolist())
    return values, sums, set(np.flatnonzero(mask.to_numpy().ravel()).tolist()), hidden_totals


def _grouped_problem(
    counts_: pd.Series, levels: pd.DataFrame, mask: pd.Series
) -> tuple[list[int], list[list[int]], set[int], set[int]]:
    values = [int(v) for v in counts_]
    sums: list[list[int]] = []
    hidden_totals: set[int] = set()
    flags = mask.attrs["group_totals"]
    for column in levels.columns:
        per_group = flags if isinstance(flags, pd.Series) else flags[column]
        for group, flag in per_group.items():
            if flag:
                hidden_totals.add(len(sums))
            sums.append(np.flatnonzero((levels[column] == group).to_numpy()).tolist())
    if mask.attrs["total"] is not None:
        if mask.attrs["total"]:
            hidden_totals.add(len(sums))
        sums.append(list(range(len(values))))
    return values, sums, set(np.flatnonzero(mask.to_numpy()).tolist()), hidden_totals


def _assert_primary(
    values: Sequence[int],
    sums: Sequence[Sequence[int]],
    hidden: set[int],
    hidden_totals: set[int],
    k: int,
) -> None:
    """Every small cell and small total is hidden; with nothing small, nothing is hidden; shown
    cells are published as their exact value."""
    small = False
    for j, value in enumerate(values):
        if 1 <= value < k:
            assert j in hidden, f"cell {j} = {value} < k is shown"
            small = True
        if j not in hidden:
            assert label(value, False, k) == f"{value:,}"
    for number, cells in enumerate(sums):
        total = sum(values[j] for j in cells)
        if 1 <= total < k:
            assert number in hidden_totals, f"total {number} = {total} < k is shown"
            small = True
    if not small:  # zeros are not small: a table of zeros and big counts stays as it is
        assert not hidden and not hidden_totals, "nothing is small, yet something is hidden"


@FAST
@given(values=st.lists(counts, min_size=1, max_size=12), k=ks, total=st.booleans())
def test_random_series_cannot_be_recovered(values: list[int], k: int, total: bool) -> None:
    series = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    before = series.copy()
    mask = suppress_series(series, k, total_released=total)
    pd.testing.assert_series_equal(series, before)
    assert mask.dtype == bool and mask.index.equals(series.index)
    hidden = set(np.flatnonzero(mask.to_numpy()).tolist())
    sums = [list(range(len(values)))] if total else []
    hidden_totals = {0} if mask.attrs["total"] else set()
    _assert_primary(values, sums, hidden, hidden_totals, k)
    if k == 1:
        assert not hidden and not hidden_totals
    assert recovered_by_solver(values, sums, hidden, hidden_totals) == []


@st.composite
def grids(draw: st.DrawFn) -> pd.DataFrame:
    n_rows = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 8))
    cells = draw(st.lists(counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    return pd.DataFrame(np.array(cells, dtype=np.int64).reshape(n_rows, n_cols))


@FAST
@given(grid=grids(), k=ks, flags=st.tuples(st.booleans(), st.booleans(), st.booleans()))
def test_random_grids_cannot_be_recovered(
    grid: pd.DataFrame, k: int, flags: tuple[bool, bool, bool]
) -> None:
    before = grid.copy()
    rows, columns, grand = flags
    mask = suppress_grid(grid, k, row_totals=rows, column_totals=columns, grand_total=grand)
    pd.testing.assert_frame_equal(grid, before)
    assert mask.shape == grid.shape and mask.dtypes.eq(bool).all()
    values, sums, hidden, hidden_totals = _grid_problem(grid, mask)
    _assert_primary(values, sums, hidden, hidden_totals, k)
    if k == 1:
        assert not hidden and not hidden_totals
    assert recovered_by_solver(values, sums, hidden, hidden_totals) == []
    again = suppress_grid(grid, k, row_totals=rows, column_totals=columns, grand_total=grand)
    pd.testing.assert_frame_equal(again, mask)  # deterministic


@st.composite
def grouped(draw: st.DrawFn) -> tuple[pd.Series, pd.DataFrame]:
    n = draw(st.integers(1, 14))
    values = draw(st.lists(counts, min_size=n, max_size=n))
    index = [f"country{i}" for i in range(n)]
    region = draw(st.lists(st.sampled_from(["A", "B", "C", "D", None]), min_size=n, max_size=n))
    levels = {"region": region}
    if draw(st.booleans()):  # a second level: nested in the first, or cutting across it
        nested = draw(st.booleans())
        other = draw(st.lists(st.sampled_from(["1", "2"]), min_size=n, max_size=n))
        levels["subregion"] = [
            (f"{r}{o}" if r is not None else None) if nested else o
            for r, o in zip(region, other, strict=True)
        ]
    return pd.Series(values, index=index), pd.DataFrame(levels, index=index)


@FAST
@given(case=grouped(), k=ks, total=st.booleans())
def test_random_grouped_cannot_be_recovered(
    case: tuple[pd.Series, pd.DataFrame], k: int, total: bool
) -> None:
    series, levels = case
    groups = levels["region"] if levels.shape[1] == 1 else levels
    before = (series.copy(), copy.deepcopy(groups))
    mask = suppress_grouped(series, groups, k, total_released=total)
    pd.testing.assert_series_equal(series, before[0])
    assert mask.dtype == bool and mask.index.equals(series.index)
    values, sums, hidden, hidden_totals = _grouped_problem(series, levels, mask)
    _assert_primary(values, sums, hidden, hidden_totals, k)
    assert recovered_by_solver(values, sums, hidden, hidden_totals) == []


@st.composite
def general_systems(draw: st.DrawFn) -> tuple[list[int], list[list[int]]]:
    n = draw(st.integers(1, 6))
    values = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    sums = draw(
        st.lists(st.sets(st.integers(0, n - 1), min_size=1).map(sorted), min_size=0, max_size=5)
    )
    if n >= 3 and draw(st.booleans()):
        # Three pairwise crossing sums cannot be split into two laminar families: this takes
        # the implementation off its graph check and onto its integer-programming one.
        a, b, c = draw(st.permutations(range(n)))[:3]
        sums += [sorted([a, b]), sorted([b, c]), sorted([a, c])]
    return values, sums


@FAST
@given(case=general_systems(), k=st.integers(1, 5), data=st.data())
def test_random_systems_of_sums_cannot_be_recovered(
    case: tuple[list[int], list[list[int]]], k: int, data: st.DataObject
) -> None:
    """Arbitrary sums (not only rows, columns and nested groups), checked by enumeration."""
    values, sums = case
    keep = data.draw(st.sets(st.sampled_from(range(len(sums)))) if sums else st.just(set()))
    cells, totals = protect(values, sums, k, keep=keep)
    _assert_primary(values, sums, set(cells), set(totals), k)
    # Identical sums are one total: hidden together.
    for a, b in itertools.combinations(range(len(sums)), 2):
        if sorted(sums[a]) == sorted(sums[b]):
            assert (a in totals) == (b in totals)
    assert recovered_by_enumeration(values, sums, set(cells), set(totals)) == []
