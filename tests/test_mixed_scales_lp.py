"""Mixed scales in the matching, floor and network functions (lib.matching,
lib.floors, lib.network).

Each case draws tiny instances (at most 4 tasks x 3 workers, so that every
assignment can be enumerated) whose roles have their own magnitudes: scores
against capacities, costs against a budget, floors against scores, bounds
against scores, a threshold against scores, a full worker beside free ones.
Entries of one role may differ by sixteen decades (1e-8 ... 1e8). The
references are independent of HiGHS and of ``linear_sum_assignment``:
enumeration with exact rational totals, the exact simplex methods of the
differential files, or plain loops.

The explicit tests at the end pin each defect these generators found.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import strategies as st

import lib.floors as fl
import lib.matching as mt
import lib.network as net
from mixed_scales import MixedCases, mixed_entries, mixed_matrix, role_scale
from test_differential import (
    enumerate_assignments,
    exact_lp_max,
    exact_total,
    greedy_reference,
    matching_lp_rows,
)
from test_differential_policy import exact_lp, floor_brute

MIXED = MixedCases("lp")

HUGE = 2**62  # a capacity that never binds


def F(x) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x) if isinstance(x, int) else Fraction(float(x))


def within(value, ref, scale, rel: float) -> bool:
    """|value - ref| <= rel * |scale| in exact rationals (plus the float's
    underflow floor)."""
    return abs(F(value) - F(ref)) <= F(rel) * abs(F(scale)) + F(1e-300)


# ============================================================ strategies


@st.composite
def scores_of(draw, shape, low: int = 0, high: int = 4) -> np.ndarray:
    """Scores of one instance: each entry its own magnitude (1e-8 ... 1e8),
    or one magnitude for the role with entries spread around it."""
    kind = draw(st.sampled_from(["own", "spread", "one"]))
    if kind == "own":
        return draw(mixed_matrix(shape, low=low, high=high))
    scale = draw(role_scale)
    return draw(mixed_matrix(shape, low=low, high=high, scale=scale, spread=16 if kind == "spread" else 0))


def capacity_list(m: int, n: int):
    """Per worker: closed (0), one or two tasks, exactly the number of
    tasks, or never binding."""
    return st.lists(st.sampled_from([0, 1, 1, 2, n, HUGE]), min_size=m, max_size=m)


@st.composite
def instances(draw, rows=(1, 3), cols=(1, 3), low: int = -1):
    n, m = draw(st.integers(*rows)), draw(st.integers(*cols))
    return draw(scores_of((n, m), low=low)), draw(capacity_list(m, n))


def opt(scores: np.ndarray, capacity) -> Fraction:
    """The exact optimum by enumeration."""
    n, m = scores.shape
    return max(exact_total(scores, c) for c in enumerate_assignments(n, m, capacity))


def check_assignment(x, scores, capacity):
    assert set(np.unique(x)) <= {0, 1}
    assert np.all(x.sum(axis=1) <= 1) and np.all(x.sum(axis=0) <= np.array(capacity))


def check_duals(u, v, scores, capacity, objective, rel):
    """u, v >= 0, u_i + v_j >= s_ij to the float rounding of the compared
    sum, and the dual objective equal to ``objective`` within ``rel``."""
    assert np.all(u >= 0) and np.all(v >= 0)
    for i, j in np.ndindex(scores.shape):
        gap = F(u[i]) + F(v[j]) - F(scores[i, j])
        assert gap >= -F(4e-16) * (abs(F(scores[i, j])) + F(u[i]) + F(v[j])), (i, j, u, v)
    dual = sum((F(a) for a in u), Fraction(0)) + sum(
        (F(c) * F(b) for c, b in zip(capacity, v)), Fraction(0)
    )
    assert within(dual, objective, objective, rel), (float(dual), float(F(objective)))


# ============================================================ lib.matching


@st.composite
def solve_cases(draw):
    scores, capacity = draw(instances())
    return scores, capacity, draw(st.sampled_from(["auto", "assignment", "lp"]))


@MIXED.case("lib.matching.solve_matching", solve_cases(), roles="scores; capacities",
            agrees="objective within 1e-12 (assignment) or the documented 1e-9 x n_tasks (lp) of the "
            "exact enumerated optimum, relative to that optimum; x a feasible 0/1 assignment whose "
            "total is the objective; duals u, v >= 0 with u_i + v_j >= s_ij for every pair (to the "
            "rounding of that sum) and dual objective equal to the optimum")  # fmt: skip
def check_solve_matching(scores, capacity, method):
    res = mt.solve_matching(scores, capacity, method=method)
    best = opt(scores, capacity)
    rel = 1e-9 * scores.shape[0] if res.method == "lp" else 1e-12
    assert within(res.objective, best, best, rel), (res.objective, float(best))
    check_assignment(res.x, scores, capacity)
    chosen = exact_total(scores, [int(np.argmax(r)) if r.any() else -1 for r in res.x])
    assert within(res.objective, chosen, chosen, 1e-15)
    check_duals(res.task_values, res.worker_prices, scores, capacity, best, rel)


@MIXED.case("lib.matching.brute_force_matching", instances(), roles="scores; capacities",
            agrees="objective the exact optimum (to the rounding of its float sum); optimal_pairs "
            "exactly the assignments whose exact total is within the documented 1e-9 x (sum of "
            "|chosen scores| of it and of the best) of the optimum, skipping instances with a "
            "total near that threshold; n_feasible the count of the enumeration")  # fmt: skip
def check_brute_force_matching(scores, capacity):
    res = mt.brute_force_matching(scores, capacity)
    n, m = scores.shape
    choices = enumerate_assignments(n, m, capacity)
    totals = {c: exact_total(scores, c) for c in choices}
    size = {c: sum((abs(F(scores[i, j])) for i, j in enumerate(c) if j >= 0), Fraction(0)) for c in choices}
    best_choice = max(totals, key=totals.get)
    best = totals[best_choice]
    assert within(res.objective, best, size[best_choice], 1e-15)
    assert res.n_feasible == len(choices)
    tol = {c: F(1e-9) * (size[c] + size[best_choice]) for c in choices}
    if all(abs(best - totals[c] - tol[c]) > tol[c] / 10 for c in choices):
        want = sorted([(i, j) for i, j in enumerate(c) if j >= 0] for c in choices
                      if best - totals[c] <= tol[c])  # fmt: skip
        assert res.optimal_pairs == want


@st.composite
def total_cases(draw):
    scores, capacity = draw(instances())
    n, m = scores.shape
    choice = draw(st.sampled_from(enumerate_assignments(n, m, capacity)))
    pairs = draw(st.permutations([(i, j) for i, j in enumerate(choice) if j >= 0]))
    return scores, pairs, capacity


@MIXED.case("lib.matching.assignment_total", total_cases(), roles="scores; capacities",
            agrees="within 1e-15 x sum of |chosen scores| of their exact rational total")  # fmt: skip
def check_assignment_total(scores, pairs, capacity):
    total = mt.assignment_total(scores, pairs, capacity)
    exact = sum((F(scores[i, j]) for i, j in pairs), Fraction(0))
    assert within(total, exact, sum(abs(F(scores[i, j])) for i, j in pairs), 1e-15)


@st.composite
def source_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-2))
    bound = draw(mixed_entries(m, low=0, high=3, scale=draw(role_scale)))
    return scores, bound


@MIXED.case("lib.matching.source_lp", source_cases(), roles="scores A; bounds X_j",
            agrees="x_ij exactly X_j where A_ij > 0 and exactly 0 where A_ij < 0 (the separable "
            "LP's unique optimum there), within [0, X_j] where A_ij = 0; objective within 1e-12 "
            "of the exact rational optimum, relative to it")  # fmt: skip
def check_source_lp(scores, bound):
    res = mt.source_lp(scores, bound)
    want = np.where(scores > 0, bound[None, :], 0.0)
    assert np.array_equal(res.x[scores != 0], want[scores != 0]), (res.x, want)
    assert np.all((res.x >= 0) & (res.x <= bound[None, :]))
    exact = sum((F(scores[i, j]) * F(bound[j]) for i, j in zip(*np.nonzero(scores > 0))), Fraction(0))
    assert within(res.objective, exact, exact, 1e-12)


@st.composite
def loss_cases(draw):
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return tuple(draw(scores_of(shape, low=-3, high=3)) for _ in range(3))


@MIXED.case("lib.matching.source_code_loss", loss_cases(), roles="x; y; p",
            agrees="loss within 1e-12 x sum (|y| + |x| + |p|)^2 of the exact rational sum of "
            "(y - x + p)^2; each gradient entry within 1e-15 x 2(|y| + |x| + |p|) of its exact value")  # fmt: skip
def check_source_code_loss(x, y, p):
    loss, (gx, gy, gp) = mt.source_code_loss(x, y, p)
    mag = np.abs(x) + np.abs(y) + np.abs(p)
    exact = Fraction(0)
    for i, j in np.ndindex(x.shape):
        r = F(y[i, j]) - F(x[i, j]) + F(p[i, j])
        exact += r * r
        assert within(gy[i, j], 2 * r, 2 * mag[i, j], 1e-15)
        assert within(gp[i, j], 2 * r, 2 * mag[i, j], 1e-15)
        assert within(gx[i, j], -2 * r, 2 * mag[i, j], 1e-15)
    assert within(loss, exact, float((mag**2).sum()), 1e-12)


@st.composite
def lp_value_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-1))
    cap = draw(st.lists(st.one_of(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 1e8]),
                                  mixed_entries(1, low=1, high=3).map(lambda a: float(a[0]))),
                        min_size=m, max_size=m))  # fmt: skip
    return scores, cap


def lp_opt(scores, cap) -> Fraction:
    n, m = scores.shape
    return exact_lp_max(list(scores.ravel()), matching_lp_rows(n, m), [1] * n + list(cap))


@MIXED.case("lib.matching.lp_value", lp_value_cases(), roles="scores; real capacities",
            agrees="within the documented 1e-9 x n_tasks of the exact optimum of the same LP "
            "(exact simplex method in rationals), relative to that optimum")  # fmt: skip
def check_lp_value(scores, cap):
    ref = lp_opt(scores, cap)
    got = mt.lp_value(scores, cap)
    assert within(got, ref, ref, 1e-9 * scores.shape[0]), (got, float(ref))


@st.composite
def slope_cases(draw):
    scores, capacity = draw(instances(rows=(1, 3), cols=(1, 3)))
    capacity = [min(c, 3) for c in capacity]
    worker = draw(st.integers(0, scores.shape[1] - 1))
    delta = draw(st.sampled_from([1e-3, 0.01, 0.1, 0.5]))
    return scores, capacity, worker, delta


@MIXED.case("lib.matching.capacity_slopes", slope_cases(), roles="scores; capacities; step delta",
            agrees="each slope within the documented resolution 1e-9 x n_tasks x OPT / delta of the "
            "exact difference quotient of the exact LP values at c - delta, c, c + delta (OPT the "
            "largest of the three); left is inf exactly when c < delta")  # fmt: skip
def check_capacity_slopes(scores, capacity, worker, delta):
    left, right = mt.capacity_slopes(scores, capacity, worker, delta)
    d = F(delta)

    def value(shift: Fraction) -> Fraction:
        return lp_opt(scores, [F(c) + (shift if j == worker else 0) for j, c in enumerate(capacity)])

    base, up = value(Fraction(0)), value(d)
    res = F(1e-9 * scores.shape[0]) * max(up, base) / d
    assert abs(F(right) - (up - base) / d) <= res + F(1e-300), (right, float((up - base) / d))
    if capacity[worker] < delta:
        assert left == math.inf
    else:
        assert abs(F(left) - (base - value(-d)) / d) <= res + F(1e-300)


@st.composite
def budget_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    scores = draw(scores_of((n, m), low=-1))
    costs = draw(scores_of((n, m), low=0, high=3))
    kind = draw(st.sampled_from(["scale", "at a cost", "at a sum", "zero"]))
    if kind == "scale":
        budget = float(draw(mixed_entries(1, low=1, high=6, scale=draw(role_scale)))[0])
    elif kind == "at a cost":
        budget = float(draw(st.sampled_from(costs.ravel().tolist())))
    elif kind == "at a sum":
        budget = float(sum(draw(st.lists(st.sampled_from(costs.ravel().tolist()), min_size=2, max_size=3))))
    else:
        budget = 0.0
    return scores, costs, budget, draw(capacity_list(m, n)), draw(st.booleans())


@MIXED.case("lib.matching.solve_matching_with_budget", budget_cases(), roles="scores; costs; budget",
            agrees="integral: objective within 1e-9 of the best exact total over every assignment "
            "whose exact cost is <= budget (enumeration), relative to that optimum, and x a 0/1 "
            "assignment whose exact cost is <= budget; relaxed: x feasible (cost <= budget to "
            "1e-12 relative) and objective within 1e-9 x n_tasks of the exact LP optimum (exact "
            "simplex method in rationals), relative to it")  # fmt: skip
def check_solve_matching_with_budget(scores, costs, budget, capacity, integral):
    res = mt.solve_matching_with_budget(scores, costs, budget, capacity, integral=integral)
    n, m = scores.shape
    x = res.x
    assert np.all(x.sum(axis=1) <= 1 + 1e-12) and np.all(x.sum(axis=0) <= np.array(capacity) + 1e-12)
    if integral:
        feasible = [c for c in enumerate_assignments(n, m, capacity) if exact_total(costs, c) <= F(budget)]
        best = max(exact_total(scores, c) for c in feasible)
        assert within(res.objective, best, best, 1e-9), (res.objective, float(best))
        assert set(np.unique(x)) <= {0.0, 1.0}
        spent = sum((F(costs[i, j]) for i, j in zip(*np.nonzero(x))), Fraction(0))
        assert spent <= F(budget), (float(spent), budget)
    else:
        assert np.all(x >= 0) and np.all(x <= 1)
        spent = sum((F(costs[i, j]) * F(x[i, j]) for i, j in np.ndindex(x.shape)), Fraction(0))
        assert spent <= F(budget) * (1 + F(1e-12)), (float(spent), budget)
        rows = matching_lp_rows(n, m) + [list(costs.ravel())]
        rows += [[int(k == v) for k in range(n * m)] for v in range(n * m)]
        b = [1] * n + [min(int(c), n) for c in capacity] + [budget] + [1] * (n * m)
        ref = exact_lp_max(list(scores.ravel()), rows, b)
        assert within(res.objective, ref, ref, 1e-9 * n), (res.objective, float(ref))


@st.composite
def screen_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-2))
    threshold = draw(st.one_of(st.sampled_from(scores.ravel().tolist()),
                               mixed_entries(1, low=-3, high=3).map(lambda a: float(a[0]))))  # fmt: skip
    return scores, threshold


@MIXED.case("lib.matching.screen_scores", screen_cases(), roles="scores; threshold",
            agrees="identical, entry by entry, to: the score if score >= threshold else -1")
def check_screen_scores(scores, threshold):
    out = mt.screen_scores(scores, threshold)
    for i, j in np.ndindex(scores.shape):
        assert out[i, j] == (scores[i, j] if scores[i, j] >= threshold else -1.0)


@st.composite
def online_cases(draw):
    scores, capacity = draw(instances(rows=(1, 4), cols=(1, 3)))
    return scores, capacity, list(draw(st.permutations(range(scores.shape[0]))))


@MIXED.case("lib.matching.online_greedy", online_cases(), roles="scores; capacities",
            agrees="pairs identical to a plain re-implementation of the rule; objective within "
            "1e-15 x sum of chosen |scores| of their exact total")  # fmt: skip
def check_online_greedy(scores, capacity, order):
    res = mt.online_greedy(scores, capacity, order)
    ref = greedy_reference(scores, capacity, order)
    assert res.pairs == ref
    exact = sum((F(scores[i, j]) for i, j in ref), Fraction(0))
    assert within(res.objective, exact, sum(abs(F(scores[i, j])) for i, j in ref), 1e-15)


@st.composite
def ratio_cases(draw):
    scores, capacity = draw(instances(low=0))
    i, j = draw(st.integers(0, scores.shape[0] - 1)), draw(st.integers(0, scores.shape[1] - 1))
    scores[i, j] = scores[i, j] or draw(role_scale)  # a positive optimum
    capacity[j] = max(capacity[j], 1)
    return scores, capacity, draw(st.integers(1, 4)), draw(st.integers(0, 1000))


@MIXED.case("lib.matching.random_order_ratios", ratio_cases(), roles="scores; capacities",
            agrees="each ratio within 1e-12 of the exact ratio of the plain greedy's total (same "
            "seeded orders) to the enumerated optimum, and never above 1")  # fmt: skip
def check_random_order_ratios(scores, capacity, n_orders, seed):
    ratios = mt.random_order_ratios(scores, capacity, n_orders=n_orders, seed=seed)
    best = opt(scores, capacity)
    rng = np.random.default_rng(seed)
    assert ratios.shape == (n_orders,) and ratios.max() <= 1.0
    for r in ratios:
        pairs = greedy_reference(scores, capacity, rng.permutation(scores.shape[0]).tolist())
        exact = sum((F(scores[i, j]) for i, j in pairs), Fraction(0)) / best
        assert within(r, exact, 1, 1e-12), (r, float(exact))


# ============================================================ lib.floors


@st.composite
def floor_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    scores = draw(scores_of((n, m), low=0))
    floor = []
    for j in range(m):
        kind = draw(st.sampled_from(["scale", "a score", "a sum", "zero"]))
        column = scores[:, j].tolist()
        if kind == "scale":
            floor.append(float(draw(mixed_entries(1, low=1, high=4, scale=draw(role_scale)))[0]))
        elif kind == "a score":
            floor.append(float(draw(st.sampled_from(column))))
        elif kind == "a sum":
            floor.append(float(sum(draw(st.lists(st.sampled_from(column), min_size=1, max_size=2)))))
        else:
            floor.append(0.0)
    return scores, floor, draw(capacity_list(m, n)), draw(st.booleans())


def floor_lp_exact(scores, capacity, floor, *, loosen: Fraction = Fraction(0), capped: bool = False):
    """max s.x over the matching polytope (rows x <= 1) with earnings rows
    sum_i s_ij x_ij >= (1 - loosen) f_j, by the exact Big-M simplex; None if
    infeasible. ``capped``: the documented model of the relaxation, in which
    a task counts towards a floor at most 1e9 times that floor."""
    n, w = scores.shape
    c = [F(v) for v in scores.ravel().tolist()]
    A, b = [], []
    for i in range(n):
        A.append([Fraction(int(v // w == i)) for v in range(n * w)])
        b.append(Fraction(1))
    for j in range(w):
        A.append([Fraction(int(v % w == j)) for v in range(n * w)])
        b.append(Fraction(min(capacity[j], n)))
        f = F(floor[j])
        if f > 0:
            pay = [c[v] / f if v % w == j and c[v] > 0 else Fraction(0) for v in range(n * w)]
            if capped:
                pay = [min(p, Fraction(10**9)) for p in pay]
            A.append([-p for p in pay])
            b.append(-(1 - loosen))
    return exact_lp(c, A, b)


def check_relaxed_floor(value, scores, capacity, floor):
    """The documented contract of the relaxation: ValueError only when the
    documented model (capped coefficients) with the exact floors is
    infeasible; otherwise the value lies between that model's optimum and
    the optimum of the exact relaxation with the floors lowered by
    RELAXED_FLOOR_TOL, both within 1e-9 x n_tasks. ``value`` is None for a
    ValueError."""
    tol = F(fl.RELAXED_FLOOR_TOL)
    low = floor_lp_exact(scores, capacity, floor, capped=True)
    high = floor_lp_exact(scores, capacity, floor, loosen=tol)
    if value is None:
        assert low is None
        return
    assert high is not None
    rel = F(1e-9 * scores.shape[0])
    if low is not None:
        assert F(value) >= low * (1 - rel), (value, float(low))
    assert F(value) <= high * (1 + rel) + F(1e-300), (value, float(high))


@MIXED.case("lib.floors.solve_matching_with_floor", floor_cases(), roles="scores; floors",
            agrees="integral: ValueError exactly when no assignment meets every floor in exact "
            "rationals (enumeration); else objective within 1e-9 of the exact optimum relative to "
            "it, x a 0/1 assignment whose exact earnings meet every floor; relaxed: the documented "
            "contract (ValueError only when the model with coefficients capped at 1e9 x the floor is "
            "infeasible; objective between that model's exact optimum and the exact optimum with the "
            "floors lowered by 1e-9, each within 1e-9 x n_tasks), x within the rows, earnings >= "
            "floor x (1 - 1e-9)")  # fmt: skip
def check_solve_matching_with_floor(scores, floor, capacity, integral):
    n, m = scores.shape
    if integral:
        ref = floor_brute(scores, capacity, floor)
        if ref is None:
            with pytest.raises(ValueError, match="floor"):
                fl.solve_matching_with_floor(scores, floor, capacity)
            return
        res = fl.solve_matching_with_floor(scores, floor, capacity)
        assert within(res.objective, ref, ref, 1e-9), (res.objective, float(ref))
        check_assignment(res.x, scores, capacity)
        for j in range(m):
            earned = sum((F(scores[i, j]) for i in range(n) if res.x[i, j]), Fraction(0))
            assert earned >= F(floor[j]), (j, float(earned), floor[j])
        return
    try:
        res = fl.solve_matching_with_floor(scores, floor, capacity, integral=False)
    except ValueError as error:
        assert "floor" in str(error)
        check_relaxed_floor(None, scores, capacity, floor)
        return
    x = res.x
    assert np.all(x >= 0) and np.all(x.sum(axis=1) <= 1 + 1e-15)
    assert np.all(x.sum(axis=0) <= np.array(capacity) * (1 + 1e-15))
    for j in range(m):
        earned = sum((F(scores[i, j]) * F(x[i, j]) for i in range(n)), Fraction(0))
        assert earned >= F(floor[j]) * (1 - F(fl.RELAXED_FLOOR_TOL)), (j, float(earned), floor[j])
    check_relaxed_floor(res.objective, scores, capacity, floor)


@st.composite
def curve_cases(draw):
    scores, floor, capacity, _ = draw(floor_cases())
    levels = draw(st.lists(st.sampled_from(floor + [0.0, float(draw(role_scale))]), min_size=1, max_size=3))
    return scores, levels, capacity


@MIXED.case("lib.floors.floor_cost_curve", curve_cases(), roles="scores; floor levels",
            agrees="levels sorted; integer optimum and cost equal to the exact enumeration (1e-9 "
            "relative), NaN exactly where no assignment meets the level in exact rationals; "
            "relaxed: NaN or a value as the documented contract of the relaxation allows (see "
            "solve_matching_with_floor)")  # fmt: skip
def check_floor_cost_curve(scores, levels, capacity):
    cur = fl.floor_cost_curve(scores, levels, capacity)
    m = scores.shape[1]
    assert cur.floors.tolist() == sorted(levels)
    base = floor_brute(scores, capacity, [0.0] * m)
    for k, f in enumerate(cur.floors.tolist()):
        integer = floor_brute(scores, capacity, [f] * m)
        assert cur.feasible[k] == (integer is not None)
        if integer is None:
            assert np.isnan(cur.integer[k]) and np.isnan(cur.cost[k])
        else:
            assert within(cur.integer[k], integer, integer, 1e-9)
            assert within(cur.cost[k], base - integer, base, 1e-9)
        check_relaxed_floor(None if np.isnan(cur.relaxed[k]) else cur.relaxed[k], scores, capacity, [f] * m)


# ============================================================ lib.network


@MIXED.case("lib.network.clone_workers", instances(), roles="scores; capacities",
            agrees="owner equal to worker j repeated min(c_j, n_tasks, #{s_ij > 0}) times "
            "(min(c_j, n_tasks) when none of these exceeds 1), counted by plain loops; cloned column k "
            "identical to scores[:, owner[k]]")  # fmt: skip
def check_clone_workers(scores, capacity):
    cloned, owner = net.clone_workers(scores, capacity)
    n, m = scores.shape
    want = []
    for j in range(m):
        copies = min(capacity[j], n)
        if any(min(c, n) > 1 for c in capacity):
            copies = min(copies, sum(1 for i in range(n) if scores[i, j] > 0))
        want += [j] * copies
    assert owner.tolist() == want
    assert np.array_equal(cloned, scores[:, want])


@MIXED.case("lib.network.flow_network", instances(), roles="scores; capacities",
            agrees="identical edge set and capacities; every task -> worker weight the exact "
            "score x 10^6 rounded half to even (negated, from the exact rational product); "
            "-(min cost of the max flow) equal to the enumerated optimum of the rounded weights")  # fmt: skip
def check_flow_network(scores, capacity):
    n, m = scores.shape
    weights = {(i, j): round(F(scores[i, j]) * 10**6) for i, j in np.ndindex(scores.shape) if scores[i, j] > 0}
    g = net.flow_network(scores, capacity)
    want = {}
    for i in range(n):
        want[("source", ("task", i))] = {"capacity": 1, "weight": 0}
        want[(("task", i), "sink")] = {"capacity": 1, "weight": 0}
    for (i, j), w in weights.items():
        want[(("task", i), ("worker", j))] = {"capacity": 1, "weight": -w}
    for j in range(m):
        want[(("worker", j), "sink")] = {"capacity": capacity[j], "weight": 0}
    assert {e: dict(g.edges[e]) for e in g.edges} == want
    flow = nx.max_flow_min_cost(g, "source", "sink")
    rounded = np.zeros((n, m))
    for (i, j), w in weights.items():
        rounded[i, j] = w
    assert -nx.cost_of_flow(g, flow) == opt(rounded, capacity)


def left_slopes(scores, capacity):
    """v_j = OPT(c) - OPT(c - e_j) for open workers (the highest optimal
    price), u_i = max(0, max_j s_ij - v_j), closed workers the lowest price
    that keeps the dual feasible: all by enumeration, exact."""
    n, m = scores.shape
    top = opt(scores, capacity)
    v: list = []
    for j in range(m):
        if capacity[j] > 0:
            lower = list(capacity)
            lower[j] -= 1
            v.append(top - opt(scores, lower))
        else:
            v.append(None)
    u = [max([Fraction(0)] + [F(scores[i, j]) - v[j] for j in range(m) if v[j] is not None]) for i in range(n)]
    v = [vj if vj is not None else max([Fraction(0)] + [F(scores[i, j]) - u[i] for i in range(n)])
         for j, vj in enumerate(v)]  # fmt: skip
    return u, v


@st.composite
def dual_cases(draw):
    scores, capacity = draw(instances())
    n, m = scores.shape
    choices = enumerate_assignments(n, m, capacity)
    totals = {c: exact_total(scores, c) for c in choices}
    best = max(totals.values())
    optimal = [c for c in choices if totals[c] == best]
    choice = draw(st.sampled_from(optimal))
    x = np.zeros((n, m))
    for i, j in enumerate(choice):
        if j >= 0:
            x[i, j] = 1.0
    return scores, capacity, x


def tight_scale(scores, u, v) -> tuple[list[Fraction], list[Fraction]]:
    """For each task and worker, the largest |s_kl| over the tight pairs
    (u_k + v_l = s_kl exactly) of its connected component: the scores whose
    sums and differences make up its dual value, and so the scale of the
    rounding a float computation of it carries."""
    n, m = scores.shape
    parent = list(range(n + m))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    tight = [(i, j) for i, j in np.ndindex(scores.shape) if u[i] + v[j] == F(scores[i, j])]
    for i, j in tight:
        parent[find(i)] = find(n + j)
    top: dict[int, Fraction] = {}
    for i, j in tight:
        root = find(i)
        top[root] = max(top.get(root, Fraction(0)), abs(F(scores[i, j])))
    scale = [top.get(find(a), Fraction(0)) for a in range(n + m)]
    return scale[:n], scale[n:]


@MIXED.case("lib.network.max_price_duals", dual_cases(), roles="scores; capacities",
            agrees="for any exactly optimal x (enumeration), u and v each within 1e-12 of the "
            "exact left slopes and the task values they imply, relative to the largest score "
            "among the tight pairs (u_i + v_j = s_ij) connected to that task or worker: the "
            "scores its value is a sum of, never the largest score of the instance")  # fmt: skip
def check_max_price_duals(scores, capacity, x):
    u, v = net.max_price_duals(scores, capacity, x)
    ru, rv = left_slopes(scores, capacity)
    su, sv = tight_scale(scores, ru, rv)
    for i in range(scores.shape[0]):
        assert within(u[i], ru[i], su[i], 1e-12), (i, u, v, ru, rv)
    for j in range(scores.shape[1]):
        assert within(v[j], rv[j], sv[j], 1e-12), (j, u, v, ru, rv)


test_mixed_scales = MIXED.test()


# ============================================================ regression tests




# ============================================================ regression tests


def test_one_task_cannot_pay_two_floors():
    # The floors 0.5 are 5e-7 of the scores: they used to be below HiGHS's
    # tolerance once the rows were scaled by the largest score.
    with pytest.raises(ValueError, match="floor"):
        fl.solve_matching_with_floor([[1e6, 1e6]], [0.5, 0.5])
    # The relaxation can split the task: 1e6 in all, each worker >= 0.5.
    lp = fl.solve_matching_with_floor([[1e6, 1e6]], [0.5, 0.5], integral=False)
    assert lp.objective == pytest.approx(1e6, rel=1e-12)
    assert np.all(lp.earnings >= 0.5 * (1 - fl.RELAXED_FLOOR_TOL))
    curve = fl.floor_cost_curve([[1e6, 1e6]], [0.5])
    assert curve.feasible.tolist() == [False] and np.isnan(curve.integer[0]) and np.isnan(curve.cost[0])
    assert curve.relaxed[0] == pytest.approx(1e6, rel=1e-12)


@pytest.mark.parametrize("floor", [9.09e-13, 1e-300, [1e-12]])
def test_a_floor_on_a_zero_score_is_never_met(floor):
    with pytest.raises(ValueError, match="floor"):
        fl.solve_matching_with_floor([[0.0]], floor)
    with pytest.raises(ValueError, match="floor"):
        fl.solve_matching_with_floor([[0.0]], floor, integral=False)
    assert not fl.floor_cost_curve([[0.0]], np.atleast_1d(floor)).feasible[0]


def test_a_floor_a_hair_above_the_reachable_sum_is_not_met():
    # 1e8 + 1e-8 rounds up (to 1e8 + 1.49e-8): the two tasks together pay
    # exactly 1e8 + 1e-8, less than the floor.
    floor = 1e8 + 1e-8
    assert Fraction(1e8) + Fraction(1e-8) < Fraction(floor)
    with pytest.raises(ValueError, match="floor"):
        fl.solve_matching_with_floor([[1e8], [1e-8]], floor, [2])
    assert fl.solve_matching_with_floor([[1e8], [1e-8]], 1e8, [2]).x.tolist() == [[1.0], [1.0]]
    with pytest.raises(ValueError, match="floor"):
        fl.solve_matching_with_floor([[1.0]], 1.0 + 2.0**-52)


def test_a_floor_far_below_the_largest_score_is_enforced():
    # Worker 1 must take tasks 0 and 1 (1e-8 each) to earn 2e-8; task 2 then
    # goes to worker 0 (3e-8 beats 2e-8): 5e-8 in all. The 1e8 pair is out.
    scores = [[1e8, 1e-8, 0.0], [0.0, 1e-8, 0.0], [3e-8, 0.0, 2e-8]]
    res = fl.solve_matching_with_floor(scores, [0.0, 2e-8, 0.0], [1, 2, 1])
    assert res.x.tolist() == [[0, 1, 0], [0, 1, 0], [1, 0, 0]]
    assert res.objective == pytest.approx(5e-8, rel=1e-12)


def test_relaxation_of_a_floor_far_below_the_largest_score():
    # The relaxation's optimum is 5e-8 as well; within HiGHS's tolerance on
    # worker 1's floor a 1e-9 share of task 0 may still go to worker 0 (1e8):
    # the documented bounds.
    scores = [[1e8, 1e-8, 0.0], [0.0, 1e-8, 0.0], [3e-8, 0.0, 2e-8]]
    lp = fl.solve_matching_with_floor(scores, [0.0, 2e-8, 0.0], [1, 2, 1], integral=False)
    assert 5e-8 * (1 - 3e-9) <= lp.objective <= (5e-8 + 1e8 * 2e-9) * (1 + 3e-9)
    assert lp.earnings[1] >= 2e-8 * (1 - fl.RELAXED_FLOOR_TOL)
    # Before the objective was scaled by a bound on the optimum, HiGHS (at
    # 1e-10 of 1e8) could not tell task 2's 3e-8 from its 2e-8: 4e-8.
    assert lp.objective >= 5e-8 * (1 - 3e-9)


def test_floor_program_takes_a_tiny_pair_beside_a_large_one():
    # Task 1 to worker 1 adds 1e-8 to 0.1: HiGHS's default tolerance (1e-7
    # of the largest score) used to leave it out.
    res = fl.solve_matching_with_floor([[0.0, 0.0], [0.0, 1e-8], [0.1, 1e-8]], 0.0, [1, 1])
    assert res.objective == 0.1 + 1e-8


def test_branch_and_bound_resolves_a_millionth_beside_a_thousand():
    # milp's absolute gap (1e-6) stops at 1000.000001 (task 0 to worker 1)
    # instead of 1000.000002 (task 2), 1e-9 of the optimum, unless the
    # objective is scaled up (a guard for the objective's scaling).
    scores = [[0.0, 1e-6], [1e3, 0.0], [0.0, 2e-6]]
    assert fl.solve_matching_with_floor(scores, 0.0).objective == 1e3 + 2e-6
    assert mt.solve_matching_with_budget(scores, np.zeros((3, 2)), 0.0).objective == 1e3 + 2e-6


def test_budget_program_keeps_a_pair_costing_the_whole_budget():
    # Pair (1, 1) costs the budget exactly and is worth 1e-7; with it, pair
    # (2, 0) (cost 1e-8) no longer fits. HiGHS's presolve dropped the 1e-6
    # coefficient and lowered the row as if (2, 0) were taken: 1e-8.
    scores = [[0.0, 0.0], [0.0, 1e-7], [1e-8, 1e-8]]
    costs = [[0.0, 0.0], [0.0, 1e-2], [1e-8, 1e-4]]
    res = mt.solve_matching_with_budget(scores, costs, 0.01, [1, 1])
    assert res.objective == 1e-7 and res.x.tolist() == [[0, 0], [0, 1], [0, 0]]


def test_relaxation_keeps_the_whole_of_a_small_task_for_a_tiny_floor():
    # Worker 0's floor 1e-8 is met by 1e-3 of task 0 (1e-5); all of it is
    # worth 1e-5 more, which HiGHS misses with the row divided by the floor
    # alone (its dual, 1e-10, sits at the tolerance): a guard for the row
    # scaling.
    lp = fl.solve_matching_with_floor([[1e-5, 0.0], [1e-6, 1e2]], [1e-8, 0.0], [1, 1], integral=False)
    assert lp.objective == pytest.approx(1e2 + 1e-5, rel=1e-12)


def test_budget_row_is_scaled_by_the_budget():
    costs = [[0.001, 1000.0], [1000.0, 0.001]]
    res = mt.solve_matching_with_budget([[1, 1], [1, 1]], costs, 0.001)
    assert res.objective == 1.0
    assert Fraction(float((np.array(costs) * res.x).sum())) <= Fraction(0.001)
    lp = mt.solve_matching_with_budget([[1, 1], [1, 1]], costs, 0.001, integral=False)
    # Every unit of score costs at least 0.001 (the cheap pairs): the LP
    # optimum is 1 as well.
    assert lp.objective == pytest.approx(1.0, rel=1e-12)
    assert math.fsum((np.array(costs) * lp.x).ravel()) <= 0.001


def test_budget_relaxation_keeps_a_share_of_a_costly_pair():
    # x_00 <= budget / cost = 1e-16 is worth 1e-8, as much as the free pair.
    lp = mt.solve_matching_with_budget([[1e8, 1e-8]], [[1e8, 0.0]], 1e-8, integral=False)
    assert lp.objective == pytest.approx(2e-8, rel=1e-9)
    assert lp.x[0, 0] == pytest.approx(1e-16, rel=1e-9)


def test_budget_program_takes_a_tiny_pair_beside_a_large_one():
    res = mt.solve_matching_with_budget([[1e-8, 0.0], [1e-8, 0.0], [0.1, 0.0]], np.zeros((3, 2)), 0.0, [2, 0])
    assert res.objective == 0.1 + 1e-8


@pytest.mark.parametrize("method", ["auto", "assignment", "lp"])
def test_an_overflowing_total_is_refused(method):
    huge = [[1e308, 1e308], [1e308, 1e308]]
    with pytest.raises(ValueError, match="scores"):
        mt.solve_matching(huge, method=method)


@pytest.mark.parametrize(
    "call",
    [
        lambda: mt.brute_force_matching([[1e308], [1e308]], [2]),
        lambda: mt.assignment_total([[1e308], [1e308]], [(0, 0), (1, 0)], [2]),
        lambda: mt.online_greedy([[1e308], [1e308]], [2]),
        lambda: mt.random_order_ratios([[1e308], [1e308]], [2], n_orders=2),
        lambda: mt.solve_matching_with_budget([[1e308], [1e308]], [[0.0], [0.0]], 1.0, [2]),
        lambda: mt.lp_value([[1e308], [1e308]], [2.0]),
        lambda: fl.solve_matching_with_floor([[1e308], [1e308]], 0.0, [2]),
        lambda: fl.floor_cost_curve([[1e308], [1e308]], [1.0], [2]),
    ],
)
def test_other_overflowing_totals_are_refused(call):
    with pytest.raises(ValueError, match="scores"):
        call()


def test_lp_path_ignores_negative_scores_for_its_scale():
    # A -1e7 score set the scale: 2e-6 was below HiGHS's tolerance.
    res = mt.solve_matching([[2e-6, 0.0], [0.0, -1e7], [-1.0, -100.0]], [2, 2], method="lp")
    assert res.objective == 2e-6 and res.pairs == [(0, 0)]


def test_lp_duals_cover_every_pair():
    res = mt.solve_matching([[1e8, 0.0], [0.0, 1e-8]], method="lp")
    u, v = res.task_values, res.worker_prices
    assert np.all(u[:, None] + v[None, :] >= np.array([[1e8, 0.0], [0.0, 1e-8]]))
    # A worker whose capacity exceeds the tasks keeps price 0.
    res = mt.solve_matching([[0.0, 0.2, 0.0, 0.1]], [0, 2, 0, 1], method="lp")
    assert res.worker_prices.tolist() == [0.0, 0.0, 0.0, 0.0] and res.task_values.tolist() == [0.2]


def test_lp_value_with_a_tiny_capacity_beside_a_large_score():
    # max 1e8 x00 + 1e-8 x01 + 1e-8 x11, x00 <= 1e-8 (worker 0's capacity):
    # 1 + 1e-8 (task 1 to worker 1; task 0 puts 1e-8 on worker 0).
    assert mt.lp_value([[1e8, 1e-8], [0.0, 1e-8]], [1e-8, 1]) == pytest.approx(1 + 1e-8, rel=1e-12)
    # The -1e7 used to set the scale: 2e-6 fell below HiGHS's tolerance (-0.0).
    assert mt.lp_value([[2e-6, 0.0], [0.0, -1e7], [-1.0, -100.0]], [2, 2]) == 2e-6


def test_slopes_of_a_worker_with_tiny_scores():
    # Worker 0 gains 1e-8 per unit of capacity; the 100 of worker 1 (closed)
    # used to set the rounding at 1e-7.
    assert mt.capacity_slopes([[1e-8, 1e2]], [0, 0], 0) == (math.inf, 1e-8)


def test_source_lp_sets_each_entry_to_its_own_bound():
    res = mt.source_lp([[1e-8, 0.0, 0.0], [-1e-8, 1e8, 1e8]], [1e-7, 0.0, 1e2])
    assert res.x.tolist() == [[1e-7, 0.0, 0.0], [0.0, 0.0, 1e2]]
    assert res.objective == 1e-15 + 1e10


def test_brute_force_tolerance_is_relative_to_the_totals_compared():
    # The -10 no longer makes a 1e-8 difference count as a tie.
    assert mt.brute_force_matching([[-10.0], [0.0], [1e-8]], [1]).optimal_pairs == [[(2, 0)]]
    # 1e-8 beside 1e8 is within 1e-9 of the totals compared: both count.
    assert mt.brute_force_matching([[1e8, 0.0], [0.0, 1e-8]]).optimal_pairs == [[(0, 0)], [(0, 0), (1, 1)]]
    assert mt.brute_force_matching([[1e-8, 0.0], [0.0, 1e-18]]).optimal_pairs == [[(0, 0)], [(0, 0), (1, 1)]]
    assert mt.brute_force_matching([[1e-8, 0.0], [0.0, 1e-16]]).optimal_pairs == [[(0, 0), (1, 1)]]


def test_max_price_duals_keep_small_prices_exact():
    # v = 1e-8 (the left slope: one unit less loses the 1e-8 task) and
    # u = (0, 1e-3 - 1e-8); u_0 used to come out 6e-20, the rounding of 1e-3.
    u, v = net.max_price_duals([[1e-8], [1e-3]], [2], [[1], [1]])
    assert v.tolist() == [1e-8] and u[0] == 0.0 and u[1] == 1e-3 - 1e-8


def test_max_price_duals_refuse_an_assignment_missing_a_small_pair():
    # Task 1 could go to the free worker 1 for 1e-4: x is not optimal. The
    # old tolerance, 1e-9 of the largest score (0.1), let it through.
    with pytest.raises(ValueError, match="not an optimal assignment"):
        net.max_price_duals([[1e8, 0.0], [0.0, 1e-4]], 1, [[1, 0], [0, 0]])
    # 1e8 + 2e-8 and 1e8 + 1e-8 are the same float: an assignment optimal to
    # that rounding (what linear_sum_assignment returns here) keeps its duals,
    # feasible pair by pair.
    scores = np.array([[1e-8, 2e-8, 1e3], [1e3, 0.0, 1e8], [0.0, 0.0, 0.0]])
    assert 1e8 + 2e-8 == 1e8 + 1e-8
    u, v = net.max_price_duals(scores, [2, 1, 1], [[1, 0, 0], [0, 0, 1], [1, 0, 0]])
    assert np.all(u[:, None] + v[None, :] >= scores)


def test_flow_network_weights_are_exact_and_never_overflow():
    g = net.flow_network([[1e308, 2.5e-6]])
    assert g.edges[("task", 0), ("worker", 0)]["weight"] == -round(Fraction(1e308) * 10**6)
    # 2.5e-6 is a little above 2.5e-6: its weight is -3 (the float product
    # 2.5 would round half to even, to -2).
    assert Fraction(2.5e-6) * 10**6 > Fraction(5, 2)
    assert g.edges[("task", 0), ("worker", 1)]["weight"] == -3
    flow = nx.max_flow_min_cost(g, "source", "sink")
    assert -nx.cost_of_flow(g, flow) == round(Fraction(1e308) * 10**6)


@pytest.mark.parametrize("func", [
    lambda seed: mt.make_skill_instance(5, 3, 4, seed=seed),
    lambda seed: mt.random_order_ratios([[1.0, 1.0], [1.0, 0.0]], n_orders=3, seed=seed),
])  # fmt: skip
def test_seeds_follow_the_one_rule(func):
    with pytest.raises(ValueError, match="seed"):
        func(-1)
    with pytest.raises(TypeError, match="seed"):
        func(None)
    with pytest.raises(TypeError, match="seed"):
        func(1.0)
    a, b = func(7), func(np.random.default_rng(7))  # as_seed(7) is default_rng(7)
    pairs = zip(vars(a).values(), vars(b).values()) if hasattr(a, "__dict__") else [(a, b)]
    for x, y in pairs:
        assert np.array_equal(x, y)


def test_seeded_results_are_unchanged():
    inst = mt.make_skill_instance(5, 3, 4, seed=1)
    rng = np.random.default_rng(1)
    ref_tasks = np.zeros((5, 4), dtype=int)
    for r in range(5):
        ref_tasks[r, rng.choice(4, size=rng.integers(1, 4), replace=False)] = 1
    assert np.array_equal(inst.tasks, ref_tasks)


def test_assignment_total_names_pairs():
    with pytest.raises(TypeError, match="pairs"):
        mt.assignment_total([[1.0]], np.array(0.0))
    with pytest.raises(TypeError, match="pairs"):
        mt.assignment_total([[1.0]], np.array([[0.0, 0.0]]))


ONE_SCALE: dict[str, str] = {
    "lib.matching.matching_constraint_matrix": "two sizes only: the 0/1 incidence matrix has no magnitude",
    "lib.matching.is_totally_unimodular": "one matrix of small integers and a count; its determinants are exact",
    "lib.matching.skill_scores": "0/1 skill indicators only: no quantity with a scale",
    "lib.matching.matching_lagrangian": "two sizes only: it returns symbolic expressions",
    "lib.matching.make_skill_instance": "a seed and sizes only: no quantity with a scale",
}


# ------------------------------------------------ found by an independent review


def test_budget_beyond_highs_tolerance_is_refused_by_the_documented_rule():
    # Exact optimum 60 (pair (0, 0) alone, cost exactly 1.0): enumerated below.
    scores, costs = np.diag([60.0] + [1.0] * 6), np.diag([1.0] + [1e-9] * 6)
    best = max(
        sum(scores[i, i] for i in chosen)
        for r in range(8) for chosen in itertools.combinations(range(7), r)
        if sum(Fraction(costs[i, i]) for i in chosen) <= 1
    )  # fmt: skip
    assert best == 60.0
    try:
        res = mt.solve_matching_with_budget(scores, costs, 1.0)
    except ValueError as exc:
        assert "tolerance" in str(exc) and "budget" in str(exc)
    else:  # answered: then it must be right
        assert res.objective == best
        assert sum(Fraction(c) for c in (costs * res.x).ravel()) <= 1


def test_floors_beyond_highs_tolerance_are_refused_by_the_documented_rule():
    s = np.array([[0.99999996, 0.0]] + [[1e-9, 1.0]] * 60)
    for integral in (True, False):
        try:
            res = fl.solve_matching_with_floor(s, [1.0, 0.0], capacity=[61, 61], integral=integral)
        except ValueError as exc:
            assert "resolve" in str(exc) or "tolerance" in str(exc)
        else:  # answered: worker 0's floor is met exactly
            earned = sum(Fraction(v) for v in (s[:, 0] * res.x[:, 0]))
            assert earned >= 1 - (0 if integral else Fraction(fl.RELAXED_FLOOR_TOL))


def test_overflowing_totals_are_refused_in_the_relaxations_and_duals():
    with pytest.raises(ValueError, match="overflows"):
        fl.solve_matching_with_floor([[1e308, 1e308], [1e308, 1e308]], 1.0, integral=False)
    with pytest.raises(ValueError, match="overflows"):
        fl.solve_matching_with_floor([[1e308, 1e-300], [1.0, 1e308]], 1e-300, integral=False)
    with pytest.raises(ValueError):
        net.max_price_duals([[1e308, 0.9e308], [0.9e308, 0.0]], 1, [[1, 0], [0, 0]])
    with pytest.raises(ValueError):
        net.max_price_duals([[1e308, 1e308], [1e308, 1e308]], 1, [[1, 0], [0, 0]])


def test_floor_curve_never_calls_an_unresolved_level_infeasible():
    s = np.array([[0.99999996, 0.0]] + [[1e-9, 1.0]] * 60)  # floor 1 is feasible exactly (40 small tasks)
    try:
        curve = fl.floor_cost_curve(s, [0.0, 1.0], capacity=[61, 61])
    except ValueError as exc:
        assert "resolve" in str(exc) or "tolerance" in str(exc)
    else:
        assert curve.feasible.all()


def test_unresolvable_floors_are_refused_but_certain_infeasibility_is_still_reported():
    # Feasible exactly (0.9 + 1e-9 * 1e8 would be needed: no; 0.99999996 + 40 * 1e-9 >= 1: yes),
    # with tasks at 1e-9 of the floor: refused by the documented rule, never called infeasible.
    s = np.array([[0.99999996, 0.0]] + [[1e-9, 1.0]] * 60)
    for integral in (True, False):
        with pytest.raises(ValueError, match="resolve|tolerance"):
            fl.solve_matching_with_floor(s, [1.0, 0.0], capacity=[61, 61], integral=integral)
    # Infeasible for certain (0.5 + 3 * 1e-10 < 1, added up exactly): reported as infeasible.
    s = np.array([[0.5, 0.0]] + [[1e-10, 1.0]] * 3)
    for integral in (True, False):
        with pytest.raises(ValueError, match="too high"):
            fl.solve_matching_with_floor(s, [1.0, 0.0], capacity=[4, 4], integral=integral)
