"""Differential test of every public function of lib.

Each case draws VALID inputs at the edges (magnitudes from 1e-300 to 1e300,
ties, zero and huge capacities, empty and single-element cases) and compares
the function with a reference computed another way: brute-force
enumeration, exact rational arithmetic (``fractions.Fraction``, including an
exact simplex method written here), finite differences, scikit-learn,
seqeval, or a different algorithm. Neither ``milp`` nor networkx is used as a
reference of the matching solvers: both call HiGHS or
``linear_sum_assignment``, which lib itself uses.

Every case states what "agrees" means (its ``agrees`` text), counts the
inputs it compared, and needs at least ``MIN_INPUTS`` of them. The counts are
written to ``_build/differential_counts.txt`` and shown at the end of the
run. ``HYPOTHESIS_PROFILE=explore`` draws more (and new) inputs.

Functions without a possible reference are listed in ``NO_REFERENCE`` with
the reason; a last test checks that every public function of lib is in one
of the two tables.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lib.matching as mt
import lib.policy as pol
from conftest import BUILD

MIN_INPUTS = 200
# Inputs drawn per function: 640 (so that the cases reach 20,000 in all),
# or the profile's own count when it asks for more (explore: 1000).
N_INPUTS = max(640, settings.default.max_examples)
COUNTS: Counter = Counter()
CASES: dict[str, tuple[Any, Callable[..., None], str, int]] = {}


def case(name: str, strategy: Any, agrees: str, *, input_space: int | None = None) -> Callable:
    """Register ``check(*args)`` for the public function ``name``; ``agrees``
    states when its result agrees with the reference. ``input_space`` is the
    number of valid inputs when there are fewer than MIN_INPUTS (all are then
    checked)."""

    def register(check: Callable[..., None]) -> Callable[..., None]:
        CASES[name] = (strategy, check, agrees, min(MIN_INPUTS, input_space or MIN_INPUTS))
        return check

    return register


# ============================================================ shared helpers

EDGE_SCALES = [1e-300, 1e-150, 1e-12, 2.0**-20, 1.0, 3.0, 1e12, 1e150, 1e300]


def F(x: Any) -> Fraction:
    return Fraction(float(x)) if not isinstance(x, (int, Fraction)) else Fraction(x)


def close(value: float, ref: Any, scale: Any, rel: float = 1e-12) -> bool:
    """|value - ref| <= rel * scale, plus the float's underflow floor."""
    return abs(F(value) - F(ref)) <= F(rel) * F(scale) + F(1e-300)


@st.composite
def edge_matrices(draw, rows=(1, 4), cols=(1, 4), low=-3, high=4, max_scale=1e300,
                  shape=None):  # fmt: skip
    """Small matrices whose entries are small integers (ties) times one edge
    scale, or of mixed magnitudes, or arbitrary floats."""
    n, m = shape if shape is not None else (draw(st.integers(*rows)), draw(st.integers(*cols)))
    kind = draw(st.sampled_from(["ties", "ties", "mixed", "floats"]))
    scales = [s for s in EDGE_SCALES if s <= max_scale]
    if kind == "ties":
        scale = draw(st.sampled_from(scales))
        values = [draw(st.integers(low, high)) * scale for _ in range(n * m)]
    elif kind == "mixed":
        values = [
            draw(st.integers(low, high)) * draw(st.sampled_from(scales))
            for _ in range(n * m)
        ]
    else:
        bound = min(1e6, max_scale)
        lo = -bound if low < 0 else 0.0
        values = [
            draw(st.floats(lo, bound, allow_nan=False, allow_subnormal=False))
            for _ in range(n * m)
        ]
    return np.array(values, dtype=float).reshape(n, m)


def capacities(n_workers: int, n_tasks: int):
    huge = [n_tasks, 10**6, np.iinfo(np.int64).max]
    entry = st.one_of(st.integers(0, 3), st.sampled_from(huge))
    return st.lists(entry, min_size=n_workers, max_size=n_workers)


@st.composite
def matching_instances(draw, rows=(1, 4), cols=(1, 3), **kw):
    scores = draw(edge_matrices(rows, cols, **kw))
    capacity = draw(capacities(scores.shape[1], scores.shape[0]))
    return scores, capacity


def enumerate_assignments(n_tasks: int, n_workers: int, capacity) -> list[tuple[int, ...]]:
    """Every assignment (worker of each task, -1 = none) within capacities."""
    out = []
    for choice in itertools.product(range(-1, n_workers), repeat=n_tasks):
        load = Counter(j for j in choice if j >= 0)
        if all(load[j] <= capacity[j] for j in load):
            out.append(choice)
    return out


def exact_total(scores: np.ndarray, choice) -> Fraction:
    return sum((F(scores[i, j]) for i, j in enumerate(choice) if j >= 0), Fraction(0))


def exact_lp_max(c: list, a: list[list], b: list) -> Fraction:
    """max c @ x subject to a @ x <= b, x >= 0, with b >= 0, in exact rationals.

    A dense tableau simplex method with Bland's rule (which cannot cycle);
    x = 0 is feasible because b >= 0. A different algorithm from HiGHS's,
    with no tolerance at all.
    """
    m, n = len(a), len(c)
    tab = [[F(v) for v in a[i]] + [Fraction(int(i == k)) for k in range(m)] + [F(b[i])]
           for i in range(m)]  # fmt: skip
    z = [-F(v) for v in c] + [Fraction(0)] * (m + 1)
    basis = [n + i for i in range(m)]
    while True:
        col = next((j for j in range(n + m) if z[j] < 0), None)
        if col is None:
            return z[-1]
        candidates = [(tab[i][-1] / tab[i][col], basis[i], i) for i in range(m) if tab[i][col] > 0]
        if not candidates:
            raise AssertionError("unbounded LP in a bounded test instance")
        _, _, row = min(candidates)
        pivot = tab[row][col]
        tab[row] = [v / pivot for v in tab[row]]
        for i in range(m):
            if i != row and tab[i][col] != 0:
                f = tab[i][col]
                tab[i] = [v - f * w for v, w in zip(tab[i], tab[row])]
        f = z[col]
        z = [v - f * w for v, w in zip(z, tab[row])]
        basis[row] = col


def matching_lp_rows(n_tasks: int, n_workers: int) -> list[list[int]]:
    """The rows "task i at most once" and "worker j at most c_j", built by loops."""
    rows = []
    for i in range(n_tasks):
        rows.append([int(k // n_workers == i) for k in range(n_tasks * n_workers)])
    for j in range(n_workers):
        rows.append([int(k % n_workers == j) for k in range(n_tasks * n_workers)])
    return rows


# ============================================================ lib.matching


@case("matching.solve_matching", matching_instances(),
      "objective within 1e-9 * sum|scores| of the best total found by enumerating "
      "every feasible assignment (exact rational totals); the returned x is a "
      "feasible 0/1 assignment whose exact total is the objective (the LP "
      "counts a score below 1e-10 x the largest as zero, as documented)")  # fmt: skip
def check_solve_matching(scores, capacity):
    res = mt.solve_matching(scores, capacity)
    n, m = scores.shape
    best = max(exact_total(scores, c) for c in enumerate_assignments(n, m, capacity))
    abs_sum = float(np.abs(scores).sum())
    assert close(res.objective, best, abs_sum, 1e-9)
    assert set(np.unique(res.x)) <= {0, 1}
    assert np.all(res.x.sum(axis=1) <= 1) and np.all(res.x.sum(axis=0) <= np.array(capacity))
    chosen = [(i, j) for i, j in zip(*np.nonzero(res.x))]
    assert res.pairs == sorted((int(i), int(j)) for i, j in chosen)
    assert close(res.objective, sum(F(scores[i, j]) for i, j in chosen), abs_sum, 1e-15)


@case("matching.brute_force_matching", matching_instances(rows=(1, 4), cols=(1, 3)),
      "objective equal (within 1e-15 relative) to the exact best total of an "
      "independent enumeration; optimal_pairs is exactly the set of assignments "
      "whose exact total is within the documented 1e-9 * (sum of |chosen scores| of "
      "it and of the best) of it (checked when no exact total lies near that "
      "threshold); n_feasible identical")  # fmt: skip
def check_brute_force_matching(scores, capacity):
    res = mt.brute_force_matching(scores, capacity)
    n, m = scores.shape
    choices = enumerate_assignments(n, m, capacity)
    totals = {c: exact_total(scores, c) for c in choices}
    size = {c: sum((abs(F(scores[i, j])) for i, j in enumerate(c) if j >= 0), Fraction(0))
            for c in choices}  # fmt: skip
    top = max(totals, key=totals.get)
    best = totals[top]
    assert close(res.objective, best, max(size[top], F(np.abs(scores).sum())), 1e-15)
    assert res.n_feasible == len(choices)
    tol = {c: F(1e-9) * (size[c] + size[top]) for c in choices}
    near = [c for c in choices if abs(totals[c] - (best - tol[c])) <= tol[c] / 10]
    if not near:
        optimal = sorted([(i, j) for i, j in enumerate(c) if j >= 0]
                         for c, t in totals.items() if t >= best - tol[c])  # fmt: skip
        assert res.optimal_pairs == optimal


@st.composite
def assignment_cases(draw):
    scores, capacity = draw(matching_instances())
    n, m = scores.shape
    choice = draw(st.sampled_from(enumerate_assignments(n, m, capacity)))
    pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
    pairs = draw(st.permutations(pairs))
    return scores, pairs, capacity


@case("matching.assignment_total", assignment_cases(),
      "within 4 ulp-scale (1e-15 * sum of |chosen scores|) of the exact rational "
      "total of the pairs")  # fmt: skip
def check_assignment_total(scores, pairs, capacity):
    total = mt.assignment_total(scores, pairs, capacity)
    exact = sum((F(scores[i, j]) for i, j in pairs), Fraction(0))
    assert close(total, exact, sum(abs(scores[i, j]) for i, j in pairs), 1e-15)


@st.composite
def source_lp_cases(draw):
    scores = draw(edge_matrices((1, 3), (1, 3), max_scale=1e150))
    m = scores.shape[1]
    scale = draw(st.sampled_from([1e-150, 1e-12, 1.0, 1e12, 1e150]))
    bound = [draw(st.integers(0, 3)) * scale * draw(st.sampled_from([1.0, 0.5, 0.1]))
             for _ in range(m)]  # fmt: skip
    return scores, bound


@case("matching.source_lp", source_lp_cases(),
      "objective within 1e-9 * sum_ij |A_ij| X_j of the exact optimum of the "
      "separable LP (x_ij = X_j where A_ij > 0, else 0, summed in rationals); x "
      "within 1e-9 * max X of that solution wherever |A_ij| >= 1e-9 * max|A|")  # fmt: skip
def check_source_lp(scores, bound):
    res = mt.source_lp(scores, bound)
    ref_x = np.where(scores > 0, np.array(bound)[None, :], 0.0)
    exact = sum((F(scores[i, j]) * F(bound[j]) for i, j in zip(*np.nonzero(scores > 0))),
                Fraction(0))  # fmt: skip
    weight = sum(abs(F(scores[i, j])) * F(bound[j]) for i, j in np.ndindex(scores.shape))
    assert close(res.objective, exact, weight, 1e-9)
    big = np.abs(scores) >= 1e-9 * np.abs(scores).max()
    assert np.all(np.abs(res.x - ref_x)[big] <= 1e-9 * max(bound) + 1e-300)


@st.composite
def three_matrices(draw):
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return tuple(draw(edge_matrices(shape=shape, max_scale=1e150)) for _ in range(3))


@case("matching.source_code_loss", three_matrices(),
      "loss within 1e-12 * sum (|y| + |x| + |p|)^2 of the exact rational sum of "
      "(y - x + p)^2, and each gradient entry within 1e-15 * 2(|y| + |x| + |p|) "
      "of the exact -2r, 2r, 2r; the three gradients are separate arrays")  # fmt: skip
def check_source_code_loss(x, y, p):
    loss, (gx, gy, gp) = mt.source_code_loss(x, y, p)
    r = [[F(y[i, j]) - F(x[i, j]) + F(p[i, j]) for j in range(x.shape[1])]
         for i in range(x.shape[0])]  # fmt: skip
    mag = np.abs(x) + np.abs(y) + np.abs(p)
    assert close(loss, sum(v * v for row in r for v in row), float((mag**2).sum()), 1e-12)
    for i, j in np.ndindex(x.shape):
        assert close(gy[i, j], 2 * r[i][j], 2 * mag[i, j], 1e-15)
        assert close(gp[i, j], 2 * r[i][j], 2 * mag[i, j], 1e-15)
        assert close(gx[i, j], -2 * r[i][j], 2 * mag[i, j], 1e-15)
    assert not (np.shares_memory(gx, gy) or np.shares_memory(gy, gp))


@case("matching.matching_constraint_matrix",
      st.tuples(st.integers(1, 25), st.integers(1, 25), st.sampled_from([int, np.int64, np.int8])),
      "identical to the matrix built entry by entry from its definition")  # fmt: skip
def check_matching_constraint_matrix(n, m, kind):
    a = mt.matching_constraint_matrix(kind(n), kind(m)).toarray()
    assert a.tolist() == matching_lp_rows(n, m)


def exact_det(rows: list[list[Fraction]]) -> Fraction:
    """Determinant by Gaussian elimination in rationals."""
    a = [list(r) for r in rows]
    n, det = len(a), Fraction(1)
    for k in range(n):
        pivot = next((i for i in range(k, n) if a[i][k] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != k:
            a[k], a[pivot], det = a[pivot], a[k], -det
        det *= a[k][k]
        for i in range(k + 1, n):
            f = a[i][k] / a[k][k]
            a[i] = [v - f * w for v, w in zip(a[i], a[k])]
    return det


@st.composite
def small_integer_matrices(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    entries = draw(st.sampled_from([[-1, 0, 1], [0, 1], [-1, 0, 1, 2]]))
    return (np.array([[draw(st.sampled_from(entries)) for _ in range(m)] for _ in range(n)]),)


@case("matching.is_totally_unimodular", small_integer_matrices(),
      "identical to the brute-force answer: every square submatrix's exact "
      "rational determinant is -1, 0 or 1")  # fmt: skip
def check_is_totally_unimodular(a):
    n, m = a.shape
    ref = all(
        exact_det([[F(a[i, j]) for j in cols] for i in rows]) in (-1, 0, 1)
        for k in range(1, min(n, m) + 1)
        for rows in itertools.combinations(range(n), k)
        for cols in itertools.combinations(range(m), k)
    )
    assert mt.is_totally_unimodular(a) is ref


@st.composite
def lp_value_cases(draw):
    scores = draw(edge_matrices((1, 3), (1, 3)))
    m = scores.shape[1]
    cap = [draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 1e6])) for _ in range(m)]
    return scores, cap


@case("matching.lp_value", lp_value_cases(),
      "within 1e-9 * sum|scores| of the exact optimum of the same LP by the "
      "exact simplex method")  # fmt: skip
def check_lp_value(scores, cap):
    n, m = scores.shape
    ref = exact_lp_max(list(scores.ravel()), matching_lp_rows(n, m), [1] * n + cap)
    assert close(mt.lp_value(scores, cap), ref, float(np.abs(scores).sum()), 1e-9)


@st.composite
def slope_cases(draw):
    scores, capacity = draw(matching_instances(rows=(1, 3), cols=(1, 3)))
    capacity = [min(c, 4) for c in capacity]
    worker = draw(st.integers(0, scores.shape[1] - 1))
    delta = draw(st.sampled_from([1e-3, 0.01, 0.1, 0.5, np.float32(0.25)]))
    return scores, capacity, worker, delta


@case("matching.capacity_slopes", slope_cases(),
      "each slope within 1e-8 * max|scores| of the exact difference quotient "
      "of the LP values at c - delta, c, c + delta (exact simplex method); left "
      "is inf exactly when c < delta")  # fmt: skip
def check_capacity_slopes(scores, capacity, worker, delta):
    left, right = mt.capacity_slopes(scores, capacity, worker, delta)
    n, m = scores.shape
    rows, d = matching_lp_rows(n, m), F(delta)

    def value(shift: Fraction) -> Fraction:
        cap = [F(c) + (shift if j == worker else 0) for j, c in enumerate(capacity)]
        return exact_lp_max(list(scores.ravel()), rows, [1] * n + cap)

    base = value(Fraction(0))
    unit = float(np.abs(scores).max())
    assert close(right, (value(d) - base) / d, unit, 1e-8)
    if capacity[worker] < delta:
        assert left == math.inf
    else:
        assert close(left, (base - value(-d)) / d, unit, 1e-8)


@st.composite
def budget_cases(draw):
    scores = draw(edge_matrices((1, 3), (1, 3), low=-1))
    n, m = scores.shape
    cost_scale = draw(st.sampled_from([1e-300, 1e-12, 1.0, 1e12, 1e300]))
    costs = np.array([[draw(st.integers(0, 3)) for _ in range(m)] for _ in range(n)]) * cost_scale
    budget = draw(st.integers(0, 6)) * cost_scale * draw(st.sampled_from([1.0, 0.5]))
    capacity = draw(capacities(m, n))
    integral = draw(st.booleans())
    return scores, costs, budget, capacity, integral


@case("matching.solve_matching_with_budget", budget_cases(),
      "integral=True: objective within 1e-9 * sum|scores| of the best exact total "
      "over every assignment within capacities and budget (enumeration), and x "
      "feasible (budget within 1e-9 relative); integral=False: within 1e-9 * "
      "sum|scores| of the exact LP optimum (exact simplex with rows x <= 1)")  # fmt: skip
def check_solve_matching_with_budget(scores, costs, budget, capacity, integral):
    res = mt.solve_matching_with_budget(scores, costs, budget, capacity, integral=integral)
    n, m = scores.shape
    abs_sum = float(np.abs(scores).sum())
    if integral:
        feasible = [c for c in enumerate_assignments(n, m, capacity)
                    if exact_total(costs, c) <= F(budget)]  # fmt: skip
        best = max(exact_total(scores, c) for c in feasible)
        assert close(res.objective, best, abs_sum, 1e-9)
        x = res.x
        assert set(np.unique(x)) <= {0.0, 1.0}
        assert np.all(x.sum(axis=1) <= 1) and np.all(x.sum(axis=0) <= np.array(capacity))
        assert float((costs * x).sum()) <= budget * (1 + 1e-9) + 1e-300
    else:
        rows = matching_lp_rows(n, m) + [list(costs.ravel())]
        rows += [[int(k == v) for k in range(n * m)] for v in range(n * m)]
        b = [1] * n + [min(int(c), n) for c in capacity] + [budget] + [1] * (n * m)
        ref = exact_lp_max(list(scores.ravel()), rows, b)
        assert close(res.objective, ref, abs_sum, 1e-9)


@st.composite
def skill_cases(draw):
    k = draw(st.integers(1, 6))
    t = draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=1, max_size=5))
    w = draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=1, max_size=5))
    return t, w


@case("matching.skill_scores", skill_cases(),
      "identical to the exact rational share covered/required (1 when nothing is "
      "required), rounded once to float")  # fmt: skip
def check_skill_scores(tasks, workers):
    out = mt.skill_scores(tasks, workers)
    for i, t in enumerate(tasks):
        for j, w in enumerate(workers):
            need = sum(t)
            ref = 1.0 if need == 0 else float(Fraction(sum(a * b for a, b in zip(t, w)), need))
            assert out[i, j] == ref


@st.composite
def screen_cases(draw):
    scores = draw(edge_matrices())
    threshold = draw(st.one_of(st.sampled_from(list(scores.ravel())),
                               st.floats(-1e300, 1e300, allow_nan=False)))  # fmt: skip
    return scores, threshold


@case("matching.screen_scores", screen_cases(),
      "identical, entry by entry, to: the score if score >= threshold else -1")
def check_screen_scores(scores, threshold):
    out = mt.screen_scores(scores, threshold)
    for i, j in np.ndindex(scores.shape):
        assert out[i, j] == (scores[i, j] if scores[i, j] >= threshold else -1.0)


def greedy_reference(scores, capacity, order):
    """Online greedy written plainly: best positive score among workers with
    capacity left, ties to the lowest index."""
    left = list(capacity)
    pairs = []
    for i in order:
        best_j = None
        for j in range(scores.shape[1]):
            if left[j] > 0 and scores[i, j] > 0 and (best_j is None or scores[i, j] > scores[i, best_j]):
                best_j = j
        if best_j is not None:
            pairs.append((i, best_j))
            left[best_j] -= 1
    return sorted(pairs)


@st.composite
def online_cases(draw):
    scores, capacity = draw(matching_instances(rows=(1, 5), cols=(1, 4)))
    order = draw(st.permutations(range(scores.shape[0])))
    return scores, capacity, order


@case("matching.online_greedy", online_cases(),
      "pairs identical to a plain re-implementation of the rule; objective within "
      "1e-15 * sum of chosen |scores| of their exact total, never above the "
      "enumerated optimum")  # fmt: skip
def check_online_greedy(scores, capacity, order):
    res = mt.online_greedy(scores, capacity, order)
    ref = greedy_reference(scores, capacity, order)
    assert res.pairs == ref and res.order == list(order)
    exact = sum((F(scores[i, j]) for i, j in ref), Fraction(0))
    assert close(res.objective, exact, sum(abs(scores[i, j]) for i, j in ref), 1e-15)


@case("matching.matching_lagrangian",
      st.tuples(st.integers(1, 6), st.integers(1, 6)),
      "each stationarity condition identical (sympy equality) to s_ij - u_i - v_j "
      "+ mu_ij built from the symbols; the Lagrangian's derivative in every u_i "
      "is 1 - sum_j x_ij. Only 36 inputs exist: all are checked",
      input_space=36)  # fmt: skip
def check_matching_lagrangian(n, m):
    import sympy

    lag = mt.matching_lagrangian(n, m)
    for (i, j), expr in lag["stationarity"].items():
        assert sympy.simplify(expr - (lag["s"][i, j] - lag["u"][i] - lag["v"][j] + lag["mu"][i, j])) == 0
    for i in range(n):
        grad = sympy.diff(lag["L"], lag["u"][i])
        assert sympy.expand(grad - (1 - sum(lag["x"][i, j] for j in range(m)))) == 0


@case("matching.make_skill_instance",
      st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(4, 9), st.integers(0, 2**32)),
      "no independent reference for random draws: agrees = shapes as asked, every "
      "task requires 1-3 skills, every worker holds 2-4, capacities in 1..4, and "
      "the same seed gives identical arrays")  # fmt: skip
def check_make_skill_instance(n, m, k, seed):
    a, b = mt.make_skill_instance(n, m, k, seed), mt.make_skill_instance(n, m, k, seed)
    assert a.tasks.shape == (n, k) and a.workers.shape == (m, k) and a.capacity.shape == (m,)
    assert set(a.tasks.sum(axis=1)) <= {1, 2, 3} and set(a.workers.sum(axis=1)) <= {2, 3, 4}
    assert set(a.capacity) <= {1, 2, 3, 4}
    assert all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("tasks", "workers", "capacity"))


@st.composite
def ratio_cases(draw):
    scores, capacity = draw(matching_instances(rows=(1, 4), cols=(1, 3), low=0))
    scores[0, 0] = abs(scores[0, 0]) or 1.0  # a positive optimum
    capacity[0] = max(capacity[0], 1)
    return scores, capacity, draw(st.integers(1, 6)), draw(st.integers(0, 1000))


@case("matching.random_order_ratios", ratio_cases(),
      "each ratio within 1e-12 of the exact ratio of the plain greedy's total "
      "(same seeded arrival orders) to the enumerated optimum, and never above 1")
def check_random_order_ratios(scores, capacity, n_orders, seed):
    ratios = mt.random_order_ratios(scores, capacity, n_orders=n_orders, seed=seed)
    n, m = scores.shape
    best = max(exact_total(scores, c) for c in enumerate_assignments(n, m, capacity))
    rng = np.random.default_rng(seed)
    assert ratios.shape == (n_orders,) and ratios.max() <= 1.0
    for r in ratios:
        pairs = greedy_reference(scores, capacity, rng.permutation(n).tolist())
        exact = sum((F(scores[i, j]) for i, j in pairs), Fraction(0)) / best
        assert close(r, exact, 1.0, 1e-8)


# ============================================================ lib.policy


@st.composite
def same_length_vectors(draw, k: int, max_scale: float = 1e150, n=(1, 6)):
    size = draw(st.integers(*n))
    return tuple(draw(edge_matrices(shape=(1, size), max_scale=max_scale))[0] for _ in range(k))


def exact_mean(values) -> Fraction:
    values = list(values)
    return sum(values, Fraction(0)) / len(values)


@case("policy.employment_effect", same_length_vectors(4),
      "within 1e-12 * mean(|P E| + |Ps I|) of the exact rational mean of P E + Ps I")
def check_employment_effect(P, E, Ps, I):  # noqa: E741
    ref = exact_mean(F(a) * F(b) + F(c) * F(d) for a, b, c, d in zip(P, E, Ps, I))
    scale = float(np.mean(np.abs(P * E) + np.abs(Ps * I)))
    assert close(pol.employment_effect(P, E, Ps, I), ref, scale)


def _check_square_loss(func, a, b):
    ref = exact_mean((F(x) - F(y)) ** 2 for x, y in zip(a, b))
    assert close(func(a, b), ref, float(np.mean((np.abs(a) + np.abs(b)) ** 2)))


for _name in ("education_loss", "industry_loss", "social_loss"):
    case(f"policy.{_name}", same_length_vectors(2),
         "within 1e-12 * mean((|a| + |b|)^2) of the exact rational mean of (a - b)^2")(
        (lambda f: lambda a, b: _check_square_loss(f, a, b))(getattr(pol, _name)))  # fmt: skip


def _check_square_gradient(func, target, var):
    # d/d var_k of mean((target - var)^2) = -2 (target_k - var_k) / N, by hand.
    out = func(target, var)
    n = len(var)
    for k in range(n):
        ref = -2 * (F(target[k]) - F(var[k])) / n
        assert close(out[k], ref, 2 * (abs(target[k]) + abs(var[k])) / n, 1e-15)


for _name in ("education_gradient", "industry_gradient", "social_gradient"):
    case(f"policy.{_name}", same_length_vectors(2),
         "each entry within 1e-15 * 2(|a_k| + |b_k|)/N of the hand-derived exact "
         "-2 (a_k - b_k) / N (rational arithmetic)")(
        (lambda f: lambda a, b: _check_square_gradient(f, a, b))(getattr(pol, _name)))  # fmt: skip


@st.composite
def quadratic_functions(draw):
    n = draw(st.integers(1, 5))
    coef = st.floats(-10, 10, allow_nan=False)
    a, b, x = ([draw(coef) for _ in range(n)] for _ in range(3))
    h = draw(st.sampled_from([1e-6, 1e-4, 1e-3, np.float32(1e-2), 1]))
    return np.array(a), np.array(b), np.array(x), h


@case("policy.finite_difference_gradient", quadratic_functions(),
      "for f(x) = sum(a x^2 + b x), whose central difference is exact in exact "
      "arithmetic, each entry within 1e-12 * max|f| / h + 1e-9 of 2 a x + b")  # fmt: skip
def check_finite_difference_gradient(a, b, x, h):
    def f(v):
        return float(np.sum(a * v**2 + b * v))

    out = pol.finite_difference_gradient(f, x, h)
    size = float(np.sum(np.abs(a) * (np.abs(x) + float(h)) ** 2 + np.abs(b) * (np.abs(x) + float(h))))
    for k in range(x.size):
        ref = 2 * F(a[k]) * F(x[k]) + F(b[k])
        assert abs(F(out[k]) - ref) <= F(1e-12 * size / float(h) + 1e-9)


@st.composite
def printed_sequences(draw):
    digits = draw(st.integers(0, 3))
    scale = draw(st.sampled_from([1e-200, 1e-12, 1.0, 1e12, 1e200]))
    first = Fraction(draw(st.integers(-50, 50)), 10**digits)
    step = Fraction(draw(st.integers(1, 30)) * draw(st.sampled_from([1, -1])), 10**digits)
    count = draw(st.integers(2, 60))
    off = draw(st.sampled_from([Fraction(0), Fraction(0), Fraction(1, 2), Fraction(1, 3)]))
    last = first + step * (count - 1 + off)
    shown = draw(st.integers(2, 3))
    printed = tuple(float((first + step * i) * F(scale)) for i in range(shown)) + (
        "...", float(last * F(scale)))
    reading = draw(st.sampled_from(["progression", "progression", "stretched"]))
    N = draw(st.integers(2, 300))
    return printed, reading, N, (first * F(scale), step * F(scale), count, off)


@case("policy.expand_printed_sequence", printed_sequences(),
      "progression: when the exact (last - first) / step is a whole number of "
      "steps at or after the printed values the values are the exact rational "
      "progression within 1e-12 * (|first| + |last|), otherwise ValueError "
      "(the last value not reached, or before the printed values); stretched: "
      "the N exact rational points first + (last - first) i / (N - 1), within "
      "the same tolerance")  # fmt: skip
def check_expand_printed_sequence(printed, reading, N, exact):
    first, step, count, off = exact
    scale = abs(printed[0]) + abs(printed[-1])
    if reading == "stretched":
        out = pol.expand_printed_sequence(printed, reading, N)
        a, z = F(printed[0]), F(printed[-1])
        assert out.size == N
        assert all(close(out[i], a + (z - a) * Fraction(i, N - 1), scale) for i in range(N))
        return
    # The values as printed (floats) define the progression: its first step.
    a, b, z = F(printed[0]), F(printed[1]), F(printed[-1])
    if off != 0 or count < len(printed) - 2:  # off the progression, or before its printed values
        with pytest.raises(ValueError, match="not reached|towards its last value"):
            pol.expand_printed_sequence(printed, reading, N)
        return
    out = pol.expand_printed_sequence(printed, reading, N)
    assert out.size == count
    assert all(close(out[i], a + (b - a) * i, scale, 1e-12) for i in range(count))
    assert close(out[-1], z, scale, 1e-12)


@st.composite
def reading_support(draw):
    return (draw(st.sampled_from(pol.READINGS)),
            draw(st.one_of(st.floats(-1e6, 1e6, allow_nan=False),
                           st.sampled_from([0.0, 1e-300, -1e-300, 1e150, np.float32(1.5)]))))  # fmt: skip


def exact_article_data(reading: str) -> dict[str, list[Fraction]]:
    """The §4.3 lists in rationals, under each reading, cut to the shortest."""
    N = pol.ARTICLE_EXAMPLE["N"]
    data = {}
    for name in ("S", "E", "I", "Ps"):
        printed = pol.ARTICLE_EXAMPLE[name]
        a, b, z = (Fraction(str(v)) for v in (printed[0], printed[1], printed[-1]))
        if reading == "progression":
            count = int((z - a) / (b - a)) + 1
            data[name] = [a + (b - a) * i for i in range(count)]
        else:
            data[name] = [a + (z - a) * Fraction(i, N - 1) for i in range(N)]
    length = min(len(v) for v in data.values())
    return {k: v[:length] for k, v in data.items()}


@case("policy.example_inputs", reading_support(),
      "every array within 1e-12 relative of the exact rational lists (decimal "
      "literals read exactly), P the constant support exactly")  # fmt: skip
def check_example_inputs(reading, support):
    out = pol.example_inputs(reading, support)
    ref = exact_article_data(reading)
    for name, values in ref.items():
        assert out[name].size == len(values)
        assert all(close(o, r, abs(r), 1e-12) for o, r in zip(out[name], values))
    assert np.all(out["P"] == float(support))


@case("policy.example_J", reading_support(),
      "within 1e-12 * mean(|p E| + |Ps I|) of the exact rational J with P = support")
def check_example_J(reading, support):
    d = exact_article_data(reading)
    p = F(support)
    ref = exact_mean(p * e + q * i for e, q, i in zip(d["E"], d["Ps"], d["I"]))
    scale = float(exact_mean(abs(p * e) + abs(q * i) for e, q, i in zip(d["E"], d["Ps"], d["I"])))
    assert close(pol.example_J(reading, support), ref, scale)


@case("policy.required_constant_support",
      st.tuples(st.sampled_from(pol.READINGS),
                st.one_of(st.integers(-1000, 1000).map(lambda k: k / 8),
                          st.sampled_from([5.6, 0.0, 1e-300, 1e12, np.float32(2.5)]))),
      "J(p) = target solved exactly: within 1e-12 relative of "
      "(target - mean(Ps I)) / mean(E) in rationals (the target read as sympy "
      "reads it, the simplest rational of the float)")  # fmt: skip
def check_required_constant_support(reading, target):
    import sympy

    out = pol.required_constant_support(reading, target)
    d = exact_article_data(reading)
    t = Fraction(str(sympy.nsimplify(float(target), rational=True)))
    ref = (t - exact_mean(q * i for q, i in zip(d["Ps"], d["I"]))) / exact_mean(d["E"])
    assert close(float(out), ref, abs(ref), 1e-12)


@st.composite
def coordination_problems(draw, with_point: bool = False):
    S, P, Ps = draw(same_length_vectors(3, max_scale=1e6))
    alpha = draw(st.sampled_from([0.1, 0.5, 1.0, 3.0, np.float32(2.0), 7]))
    beta = draw(st.sampled_from([0.1, 0.5, 1.0, 2.0, np.int64(4)]))
    budget = draw(st.one_of(st.just(np.inf), st.floats(-1e6, 1e6, allow_nan=False)))
    problem = pol.CoordinationProblem.create(S, P, Ps, alpha, beta, budget)
    if not with_point:
        return (problem,)
    E, I = (draw(edge_matrices(shape=(1, len(S)), max_scale=1e6))[0] for _ in range(2))  # noqa: E741
    return problem, E, I


def exact_W(p, E, I) -> Fraction:  # noqa: E741
    a, b = F(p.alpha), F(p.beta)
    return exact_mean(F(pn) * F(e) + F(q) * F(i) - a * (F(s) - F(e)) ** 2 - b * (F(pn) - F(i)) ** 2
                      for s, pn, q, e, i in zip(p.S, p.P, p.Ps, E, I))  # fmt: skip


@case("policy.coordination_objective", coordination_problems(with_point=True),
      "within 1e-12 * (sum of the absolute terms) of the exact rational W(E, I)")
def check_coordination_objective(problem, E, I):  # noqa: E741
    p = problem
    size = float(np.mean(np.abs(p.P * E) + np.abs(p.Ps * I) + p.alpha * (np.abs(p.S) + np.abs(E)) ** 2
                         + p.beta * (np.abs(p.P) + np.abs(I)) ** 2))  # fmt: skip
    assert close(pol.coordination_objective(p, E, I), exact_W(p, E, I), size)


@case("policy.coordination_gradient", coordination_problems(with_point=True),
      "N times the gradient of W: each entry within 1e-6 * (1 + |ref|) of the "
      "central finite difference of the exact rational W (step 1e-3, exact: W "
      "is quadratic), scaled by N")  # fmt: skip
def check_coordination_gradient(problem, E, I):  # noqa: E741
    g_e, g_i = pol.coordination_gradient(problem, E, I)
    n, h = len(E), Fraction(1, 1000)
    for k in range(n):
        for g, which in ((g_e, 0), (g_i, 1)):
            up = [list(map(F, E)), list(map(F, I))]
            down = [list(map(F, E)), list(map(F, I))]
            up[which][k] += h
            down[which][k] -= h
            ref = n * (exact_W(problem, *up) - exact_W(problem, *down)) / (2 * h)
            assert close(g[k], ref, 1 + abs(ref), 1e-9)


def kkt_certificate(problem, E, I, lam, tol):  # noqa: E741
    """The KKT conditions of max W s.t. mean(E + I) <= B, in rationals."""
    p = problem
    a, b = F(p.alpha), F(p.beta)
    lam = F(lam)
    assert lam >= 0
    scale = 1 + max(abs(F(v)) for v in [*p.S, *p.P, *p.Ps, *E, *I]) * (1 + a + b)
    for s, pn, q, e, i in zip(p.S, p.P, p.Ps, E, I):
        # Stationarity of the Lagrangian, per position (times N).
        assert abs(F(pn) + 2 * a * (F(s) - F(e)) - lam) <= tol * scale
        assert abs(F(q) + 2 * b * (F(pn) - F(i)) - lam) <= tol * scale
    used = exact_mean(F(e) + F(i) for e, i in zip(E, I))
    if math.isfinite(p.budget):
        assert used <= F(p.budget) + tol * scale
        assert lam * abs(used - F(p.budget)) <= tol * scale * (1 + lam)
    else:
        assert lam == 0


@case("policy.coordinated_optimum", coordination_problems(),
      "satisfies the KKT conditions (stationarity, lambda >= 0, feasibility, "
      "complementary slackness) checked in rationals within 1e-12 of the data's "
      "scale; objective within 1e-12 relative of the exact W at the point")  # fmt: skip
def check_coordinated_optimum(problem):
    opt = pol.coordinated_optimum(problem)
    kkt_certificate(problem, opt.E, opt.I, opt.multiplier, F(1e-9))
    ref = exact_W(problem, opt.E, opt.I)
    assert close(opt.objective, ref, 1 + abs(ref) + float(np.sum(np.abs(opt.E) + np.abs(opt.I))) ** 2, 1e-12)


@st.composite
def projections(draw):
    E, I = draw(same_length_vectors(2))  # noqa: E741
    budget = draw(st.one_of(st.sampled_from([np.inf, 0.0, np.float32(1.0), np.int64(3)]),
                            st.floats(-1e150, 1e150, allow_nan=False)))  # fmt: skip
    return list(E), I, budget


@case("policy.project_onto_budget", projections(),
      "the projection certificate in rationals: unchanged when mean(E + I) <= "
      "budget; otherwise mean(E' + I') = budget and (E - E', I - I') = t (1, ..., 1) "
      "with t >= 0 (the normal cone of the half-space), within 1e-12 of the scale")  # fmt: skip
def check_project_onto_budget(E, I, budget):  # noqa: E741
    E2, I2 = pol.project_onto_budget(E, I, budget)
    scale = F(float(np.max(np.abs(E)) + np.max(np.abs(I)))) + F(abs(float(budget)) if np.isfinite(budget) else 0)
    tol = F(1e-12) * scale + F(1e-300)
    used = exact_mean(F(e) + F(i) for e, i in zip(E, I))
    if not np.isfinite(budget) or used <= F(budget):
        assert E2.tolist() == list(map(float, E)) and I2.tolist() == list(map(float, I))
        return
    shifts = [F(e) - F(e2) for e, e2 in zip(E, E2)] + [F(i) - F(i2) for i, i2 in zip(I, I2)]
    assert all(abs(s - shifts[0]) <= tol for s in shifts) and shifts[0] >= -tol
    assert abs(exact_mean(F(e) + F(i) for e, i in zip(E2, I2)) - F(budget)) <= tol


@st.composite
def cycles(draw):
    (problem,) = draw(coordination_problems())
    limit = 1 / max(problem.alpha, problem.beta)
    step = draw(st.sampled_from([0.1, 0.5, 0.9])) * limit
    return problem, step, draw(st.integers(1, 40))


@case("policy.policy_cycle", cycles(),
      "objective[-1] within 1e-12 relative of the exact rational W at the returned "
      "(E, I); gap[-1] within 1e-9 * scale of their distance to the KKT-certified "
      "optimum; converged exactly when gap[-1] <= tol (1e-10) times the size of the "
      "optimum, sqrt(sum(E*^2 + I*^2)) (of the data when it is 0); the returned "
      "point feasible")  # fmt: skip
def check_policy_cycle(problem, step, rounds):
    res = pol.policy_cycle(problem, step, rounds)
    opt = pol.coordinated_optimum(problem)
    kkt_certificate(problem, opt.E, opt.I, opt.multiplier, F(1e-9))
    ref = exact_W(problem, res.E, res.I)
    size = 1 + float(np.sum(np.abs(res.E) + np.abs(res.I) + np.abs(problem.S) + np.abs(problem.P))) ** 2
    assert close(res.objective[-1], ref, size * (1 + problem.alpha + problem.beta), 1e-12)
    dist = math.sqrt(float(sum((F(a) - F(b)) ** 2 for a, b in zip([*res.E, *res.I], [*opt.E, *opt.I]))))
    assert abs(res.gap[-1] - dist) <= 1e-9 * math.sqrt(size)
    size = math.sqrt(float(sum(F(v) ** 2 for v in [*opt.E, *opt.I])))
    if size == 0:
        size = math.sqrt(float(sum(F(v) ** 2 for v in [*problem.S, *problem.P, *problem.Ps])))
    assert res.converged == bool(res.gap[-1] <= 1e-10 * size)
    if math.isfinite(problem.budget):
        assert float(np.mean(res.E + res.I)) <= problem.budget + 1e-9 * math.sqrt(size)


# ============================================================ the runner


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    BUILD.mkdir(exist_ok=True)
    lines = [f"{name:50s} {COUNTS[name]:6d}" for name in sorted(CASES)]
    lines.append(f"{'total':50s} {sum(COUNTS.values()):6d}")
    (BUILD / "differential_counts.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\ndifferential test: valid inputs compared per function\n" + "\n".join(lines))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_reference(name):
    strategy, check, agrees, required = CASES[name]
    assert agrees  # every case states its definition of agreement

    @settings(max_examples=N_INPUTS, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def run(args):
        check(*args)
        COUNTS[name] += 1

    run()
    assert COUNTS[name] >= required, f"{name}: only {COUNTS[name]} inputs compared"


def test_enough_inputs_in_all():
    # Each case draws N_INPUTS inputs (all of them when its input space is smaller).
    planned = sum(min(N_INPUTS, c[3]) if c[3] < MIN_INPUTS else N_INPUTS for c in CASES.values())
    assert planned >= 20_000


# The tables read by test_differential_coverage.py: each function compared
# here with its definition of agreement (the reference is in its case), and
# the functions of this file's modules that have no reference (none).
REFERENCES = {f"lib.{name}": CASES[name][2] for name in CASES}
NO_REFERENCE: dict[str, str] = {}
