"""Mixed scales in the algorithm, wage and online functions
(lib.assignment_algorithms, lib.wages, lib.online).

Each case draws tiny instances (at most 3 tasks x 3 workers, so that every
assignment and every vertex can be enumerated) whose roles have their own
magnitudes: scores against prices, an epsilon against both, wages against
scores, a pair of score 1e-8 beside one of 1e8, coefficients of two variables
in units 1e-8 and 1e8, a full worker beside free ones, days of scores at
different scales. Entries of one role may differ by sixteen decades
(1e-8 ... 1e8). The references are independent of HiGHS and of
``linear_sum_assignment``: enumeration with exact rational totals, vertices
enumerated and solved in exact rationals, plain loops, or the documented
rule written out again in exact rationals.

Where lib documents a result as the correctly rounded exact value (a CS
violation, an augmenting path's gain and total, a core point's coordinates,
the distance to the core) it must be that float exactly. Where lib documents
a tolerance, the reference applies the same rule in exact rationals; every
such rule is relative to the quantities it compares (a vertex coordinate's
"spread", the terms of a row, a candidate's own score), never to the largest
entry of the instance.

The explicit tests at the end pin each defect these generators found.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import strategies as st

import lib.assignment_algorithms as alg
import lib.online as onl
import lib.wages as wg
from mixed_scales import MixedCases, column_scaled_matrix, mixed_entries, mixed_matrix, role_scale
from test_differential import enumerate_assignments, exact_total
from test_differential_policy import max_prices

MIXED = MixedCases("algorithms")

HUGE = 2**62  # a capacity that never binds
ULP = Fraction(1, 2**52)  # the relative spacing of floats


def F(x) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x) if isinstance(x, int) else Fraction(float(x))


def within(value, ref, scale, rel) -> bool:
    """|value - ref| <= rel * |scale| in exact rationals (plus the float's
    underflow floor)."""
    return abs(F(value) - F(ref)) <= F(rel) * abs(F(scale)) + F(1e-300)


# ============================================================ strategies


@st.composite
def scores_of(draw, shape, low: int = 0, high: int = 4) -> np.ndarray:
    """Scores of one instance: each entry its own magnitude (1e-8 ... 1e8),
    or one magnitude for the role with entries spread around it, or one
    magnitude for all (ties)."""
    kind = draw(st.sampled_from(["own", "own", "spread", "one"]))
    if kind == "own":
        return draw(mixed_matrix(shape, low=low, high=high))
    scale = draw(role_scale)
    return draw(mixed_matrix(shape, low=low, high=high, scale=scale, spread=16 if kind == "spread" else 0))


@st.composite
def vector_of(draw, size: int, low: int = 0, high: int = 4) -> np.ndarray:
    """One role's vector (prices, wages): its own magnitude, entries spread."""
    if draw(st.booleans()):
        return draw(mixed_entries(size, low=low, high=high))
    return draw(mixed_entries(size, low=low, high=high, scale=draw(role_scale),
                              spread=draw(st.sampled_from([0, 4, 16]))))  # fmt: skip


def capacity_list(m: int, n: int):
    """Per worker: closed (0), one or two tasks, exactly the number of
    tasks, or never binding."""
    return st.lists(st.sampled_from([0, 1, 1, 2, n, HUGE]), min_size=m, max_size=m)


def best_total(scores: np.ndarray, tasks, capacity) -> Fraction:
    """Best exact total over every assignment of ``tasks`` within capacities."""
    tasks = list(tasks)
    if not tasks:
        return Fraction(0)
    sub = scores[tasks]
    return max(exact_total(sub, c) for c in enumerate_assignments(len(tasks), scores.shape[1], capacity))


def best_choice(scores: np.ndarray, tasks, capacity) -> list[tuple[int, int]]:
    """An exactly optimal assignment of ``tasks``, as pairs."""
    tasks = list(tasks)
    if not tasks:
        return []
    sub = scores[tasks]
    choices = enumerate_assignments(len(tasks), scores.shape[1], capacity)
    best = max(choices, key=lambda c: exact_total(sub, c))
    return [(tasks[k], j) for k, j in enumerate(best) if j >= 0]


def pairs_total(scores: np.ndarray, pairs) -> Fraction:
    return sum((F(scores[i, j]) for i, j in pairs), Fraction(0))


def assert_matching(pairs, capacity, tasks=None) -> None:
    load: dict[int, int] = {}
    for _, j in pairs:
        load[j] = load.get(j, 0) + 1
    assert len({i for i, _ in pairs}) == len(pairs)
    assert all(load[j] <= capacity[j] for j in load)
    if tasks is not None:
        assert {i for i, _ in pairs} <= set(tasks)


# ============================================================ lib.assignment_algorithms


@st.composite
def polygon_cases(draw):
    """Two variables in their own units (coefficients of x1 in one unit, of
    x2 in another), constraint rows in their own units too, right-hand sides
    of their own magnitudes; usually one row bounds the region."""
    k = draw(st.integers(1, 3))
    low = -1 if draw(st.integers(0, 5)) == 0 else 0
    if draw(st.integers(0, 3)) == 0:  # features in units: uniform draws, no ties
        a = draw(column_scaled_matrix((k, 2), low=-1.0, high=1.0))
        a[0] = np.abs(a[0])  # the first row usually bounds the region
        return a, draw(mixed_entries(k, low=low, high=6, scale=draw(role_scale)))
    unit = np.array([draw(role_scale), draw(role_scale)])
    rows = []
    for r in range(k):
        if r == 0 and draw(st.integers(0, 4)):
            rows.append([draw(st.integers(1, 4)), draw(st.integers(1, 4))])
        else:
            rows.append([draw(st.integers(-3, 4)), draw(st.integers(-3, 4))])
    row_unit = np.array([draw(role_scale) for _ in range(k)])
    a = np.array(rows, dtype=float) * unit[None, :] * row_unit[:, None]
    b = draw(mixed_entries(k, low=low, high=6, scale=draw(role_scale))) * row_unit
    return a, b


FEAS_SHARE = Fraction(1, 2**43)  # lib's documented share of the quantities compared


def polygon_reference(a: np.ndarray, b: np.ndarray):
    """The documented rules in exact rationals: lines parallel when the
    determinant is <= 1e-12 of its two products; a point kept when every row
    holds to 2**-43 of the terms it compares; points within 2**-43 of their
    spread one vertex; unbounded when a ray d >= 0 has a @ d <= 1e-12 of the
    terms for every row. Returns ("empty" | "unbounded" | vertices, spreads)."""
    par, feas = Fraction(1, 10**12), FEAS_SHARE
    lines = [([F(x) for x in row], F(c)) for row, c in zip(a.tolist(), b.tolist())]
    lines += [([Fraction(-1), Fraction(0)], Fraction(0)), ([Fraction(0), Fraction(-1)], Fraction(0))]
    found = []
    for (r, c), (q, d) in itertools.combinations(lines, 2):
        det = r[0] * q[1] - r[1] * q[0]
        if abs(det) <= par * (abs(r[0] * q[1]) + abs(r[1] * q[0])):
            continue
        x = ((c * q[1] - d * r[1]) / det, (r[0] * d - q[0] * c) / det)
        spread = ((abs(c * q[1]) + abs(d * r[1])) / abs(det), (abs(r[0] * d) + abs(q[0] * c)) / abs(det))
        if all(p[0] * x[0] + p[1] * x[1] - e <= feas * (abs(p[0] * x[0]) + abs(p[1] * x[1]) + abs(e))
               for p, e in lines):  # fmt: skip
            found.append((x, spread))
    if not found:
        return "empty", None
    found.sort(key=lambda item: item[1][0] + item[1][1])
    kept: list[list] = []
    for x, spread in found:
        for group in kept:
            y, s = group[0], group[1]
            if all(abs(x[k] - y[k]) <= feas * max(spread[k], s[k]) for k in range(2)):
                group[2] = tuple(max(group[2][k], spread[k]) for k in range(2))
                break
        else:
            kept.append([x, spread, spread])
    rays = [(Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))]
    for row, _ in lines[:-2]:
        for d in ((row[1], -row[0]), (-row[1], row[0])):
            if d[0] >= 0 and d[1] >= 0 and (d[0] or d[1]):
                rays.append(d)
    for d in rays:
        if all(row[0] * d[0] + row[1] * d[1] <= par * (abs(row[0] * d[0]) + abs(row[1] * d[1]))
               for row, _ in lines[:-2]):  # fmt: skip
            return "unbounded", None
    return [g[0] for g in kept], [g[2] for g in kept]


@MIXED.case("lib.assignment_algorithms.polygon_vertices", polygon_cases(),
            roles="coefficients of x1; coefficients of x2; rows in their own units; right-hand sides",
            agrees="the same outcome as the documented rules applied in exact rationals (Cramer's "
            "rule on fractions.Fraction): 'empty' or 'unbounded' refused with that word, else the "
            "same number of vertices, each coordinate within 2**-42 of the spread it is computed from "
            "(|c q1| + |d r1|) / |det| of an exact vertex, counter-clockwise (exact positive turns) "
            "from the lexicographically smallest")  # fmt: skip
def check_polygon_vertices(a, b):
    ref, spreads = polygon_reference(a, b)
    if isinstance(ref, str):
        with pytest.raises(ValueError, match=ref):
            alg.polygon_vertices(a, b)
        return
    got = alg.polygon_vertices(a, b)
    assert len(got) == len(ref), (got, [tuple(map(float, p)) for p in ref])
    for p, s in zip(ref, spreads):
        assert any(all(abs(F(g[k]) - p[k]) <= 2 * FEAS_SHARE * s[k] for k in range(2)) for g in got), (
            got, [float(v) for v in p])
    assert tuple(got[0]) == min(map(tuple, got.tolist()))
    if len(got) >= 3:
        pts = [(F(x), F(y)) for x, y in got.tolist()]
        for k in range(len(pts)):
            p, q, r = pts[k], pts[(k + 1) % len(pts)], pts[(k + 2) % len(pts)]
            assert (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0]) > 0, got


@st.composite
def augmenting_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-2))
    cap = draw(capacity_list(m, n))
    task = draw(st.integers(0, n - 1))
    placed = [i for i in range(n) if i != task and draw(st.booleans())]
    return scores, cap, placed, task


@MIXED.case("lib.assignment_algorithms.best_augmenting_path", augmenting_cases(),
            roles="scores of different pairs (1e-8 beside 1e8); capacities (closed, one, many)",
            agrees="from an exactly optimal matching of the placed tasks (enumeration): the new "
            "matching is feasible, covers only the placed tasks and the new one, and its exact total "
            "is the exact enumerated optimum; total and gain are exactly the correctly rounded exact "
            "values; the path alternates from the new task")  # fmt: skip
def check_best_augmenting_path(scores, cap, placed, task):
    pairs = best_choice(scores, placed, cap)
    step = alg.best_augmenting_path(scores, pairs, task, cap)
    assert_matching(step.pairs, cap, placed + [task])
    ref = best_total(scores, sorted(placed + [task]), cap)
    assert pairs_total(scores, step.pairs) == ref, (step, float(ref))
    assert step.total == float(ref)
    assert step.gain == float(ref - pairs_total(scores, pairs))
    kinds = [k for k, _ in step.path]
    assert step.path[0] == ("task", task)
    assert kinds == [("task", "worker")[k % 2] for k in range(len(kinds))]


@st.composite
def matching_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return draw(scores_of((n, m), low=-2)), draw(capacity_list(m, n))


@MIXED.case("lib.assignment_algorithms.augmenting_path_matching", matching_cases(),
            roles="scores of different pairs (1e-8 beside 1e8); capacities (closed, one, many)",
            agrees="the matching is feasible and its exact total is the exact enumerated optimum; "
            "the objective and each step's total (tasks 0..k) are exactly the correctly rounded "
            "exact optima")  # fmt: skip
def check_augmenting_path_matching(scores, cap):
    res = alg.augmenting_path_matching(scores, cap)
    n = scores.shape[0]
    assert_matching(res.pairs, cap)
    ref = best_total(scores, range(n), cap)
    assert pairs_total(scores, res.pairs) == ref
    assert res.objective == float(ref)
    assert len(res.steps) == n
    for k, step in enumerate(res.steps):
        assert step.total == float(best_total(scores, range(k + 1), cap))


def first_best(net: list[Fraction], skip: int = -1) -> int:
    return max((j for j in range(len(net)) if j != skip), key=lambda j: (net[j], -j))


@st.composite
def bid_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    scores = draw(scores_of((n, m), low=-3, high=5))
    kind = draw(st.sampled_from(["own", "scores", "tied"]))
    if kind == "own":
        prices = draw(vector_of(m))
    elif kind == "scores":  # prices on the scores' own values: exact ties of net values
        prices = np.array([draw(st.sampled_from(scores.ravel().tolist() + [0.0])) for _ in range(m)])
        prices = np.abs(prices)
    else:
        prices = np.zeros(m)
    eps = float(draw(mixed_entries(1, low=1, high=3, scale=draw(role_scale), spread=16))[0])
    return scores, prices, draw(st.integers(0, n - 1)), eps


def rounded_price(terms: list[Fraction]) -> Fraction:
    """The documented rounding of a bid's price: the exact sum, to 12
    significant digits of the largest |term| (round half to even, exactly)."""
    top = max(abs(x) for x in terms)
    digits = 11 - math.floor(math.log10(top))
    return round(sum(terms, Fraction(0)), digits)


@MIXED.case("lib.assignment_algorithms.auction_bid", bid_cases(),
            roles="scores; prices; epsilon",
            agrees="the first exact best net value's worker (fractions.Fraction); its price the "
            "exact p_best + best - second + eps rounded, as documented, to 12 significant digits of "
            "the largest quantity added up (exact rational rounding, then to a float: within one "
            "unit in the last place); ValueError exactly when that price is not above p_best "
            "(epsilon below the price's resolution)")  # fmt: skip
def check_auction_bid(scores, prices, task, eps):
    net = [F(s) - F(p) for s, p in zip(scores[task].tolist(), prices.tolist())]
    best = first_best(net)
    if len(net) == 1:
        terms = [F(prices[best]), F(eps)]
    else:
        second = first_best(net, best)
        terms = [F(scores[task, best]), -F(scores[task, second]), F(prices[second]), F(eps)]
    ref = rounded_price(terms)
    if not float(ref) > prices[best]:
        with pytest.raises(ValueError, match="epsilon"):
            alg.auction_bid(scores, prices, task, eps)
        return
    worker, price = alg.auction_bid(scores, prices, task, eps)
    assert worker == best
    assert within(price, ref, ref, ULP), (price, float(ref))


@st.composite
def auction_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-2, high=5))
    top = float(np.abs(scores).max()) or 1.0
    if draw(st.integers(0, 5)):  # an epsilon the bound on bids allows
        eps = top * draw(st.sampled_from([2.0**-6, 2.0**-4, 0.1, 0.5, 1.0, 3.0]))
    else:  # its own magnitude: often too small for the bound, then refused
        eps = float(draw(mixed_entries(1, low=1, high=3))[0])
    return scores, eps


@MIXED.case("lib.assignment_algorithms.auction_assignment", auction_cases(),
            roles="scores (1e-8 beside 1e8); epsilon",
            agrees="refused (ValueError 'larger epsilon') exactly when the documented bound "
            "k * (max score / eps + 2) exceeds MAX_AUCTION_BIDS; else a one-to-one matching of "
            "positive pairs whose objective is its exact total to rounding; every task within eps of "
            "its best net value at the final prices (exact rationals, plus 1e-11 of the prices and "
            "scores compared, the documented rounding of prices to 12 significant digits); profits "
            "its exact best net values to rounding; prices >= 0; total within n_tasks * eps (and "
            "that rounding) of the exact enumerated optimum")  # fmt: skip
def check_auction_assignment(scores, eps):
    n, m = scores.shape
    bound = (n + m) * (float(np.maximum(scores, 0).max()) / eps + 2)
    if bound > alg.MAX_AUCTION_BIDS:
        with pytest.raises(ValueError, match="larger epsilon"):
            alg.auction_assignment(scores, eps)
        return
    res = alg.auction_assignment(scores, eps)
    assert_matching(res.pairs, [1] * m)
    assert all(scores[i, j] > 0 for i, j in res.pairs)
    exact = pairs_total(scores, res.pairs)
    assert within(res.objective, exact, sum(abs(F(scores[i, j])) for i, j in res.pairs), 4 * ULP)
    held = dict(res.pairs)
    assert np.all(res.prices >= 0)
    for i in range(n):
        nets = [F(scores[i, j]) - F(res.prices[j]) for j in range(m)]
        best = max([Fraction(0)] + nets)
        mine = nets[held[i]] if i in held else Fraction(0)
        size = max(abs(F(x)) for x in list(res.prices) + list(scores[i]) + [eps])
        # eps, plus the documented rounding of prices (12 significant digits)
        assert best - mine <= F(eps) + F(1e-11) * size, (i, float(best), float(mine))
        assert within(res.profits[i], best, size, 2 * ULP)
    ref = best_total(scores, range(n), [1] * m)
    size = max(abs(F(x)) for x in list(res.prices) + list(scores.ravel()) + [eps])
    assert ref - F(res.objective) <= n * (F(eps) + F(1e-11) * size)


@st.composite
def priced_matchings(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-2))
    if draw(st.booleans()):
        prices = draw(vector_of(m))
    else:  # prices on score values: exact complementary slackness is common
        prices = np.abs(np.array([draw(st.sampled_from(scores.ravel().tolist() + [0.0])) for _ in range(m)]))
    workers = draw(st.permutations(list(range(m))))
    tasks = draw(st.permutations(list(range(n))))
    k = draw(st.integers(0, min(n, m)))
    return scores, [(tasks[t], workers[t]) for t in range(k)], prices


@MIXED.case("lib.assignment_algorithms.cs_violation", priced_matchings(),
            roles="scores; prices; a matching",
            agrees="exactly the correctly rounded exact value (fractions.Fraction) of max over tasks "
            "of max(0, max_j (s_ij - p_j)) minus the held net value")  # fmt: skip
def check_cs_violation(scores, pairs, prices):
    n, m = scores.shape
    held = dict(pairs)
    ref = Fraction(0)
    for i in range(n):
        best = max([Fraction(0)] + [F(scores[i, j]) - F(prices[j]) for j in range(m)])
        mine = F(scores[i, held[i]]) - F(prices[held[i]]) if i in held else Fraction(0)
        ref = max(ref, best - mine)
    assert alg.cs_violation(scores, pairs, prices) == float(ref)


@MIXED.case("lib.assignment_algorithms.interior_point_optimum", matching_cases(),
            roles="scores of different pairs (1e-8 beside 1e8); capacities (closed, one, many)",
            agrees="x >= 0, each task at most 1 and each worker within its capacity (to 1e-7), and "
            "s . x within the documented 1e-6 x sum_i max_j |s_ij| (the terms s . x adds up) of the "
            "exact enumerated optimum")  # fmt: skip
def check_interior_point_optimum(scores, cap):
    x = alg.interior_point_optimum(scores, cap)
    n, m = scores.shape
    assert x.shape == (n, m) and np.all(x >= 0)
    assert np.all(x.sum(axis=1) <= 1 + 1e-7)
    assert np.all(x.sum(axis=0) <= np.array(cap, dtype=float) + 1e-7)
    ref = best_total(scores, range(n), cap)
    got = sum((F(scores[i, j]) * F(x[i, j]) for i, j in np.ndindex(n, m)), Fraction(0))
    size = sum(max(abs(F(v)) for v in row) for row in scores.tolist())
    assert abs(got - ref) <= F(1e-6) * size, (float(got), float(ref))


# ============================================================ lib.wages: the core in exact rationals


def exact_solve(A: np.ndarray, rhs: list[Fraction]) -> tuple[list[Fraction], list[Fraction]] | None:
    """Solve the integer system A y = rhs exactly (None when singular); also
    the spread |A^-1| @ |rhs|. The adjugate of a small integer matrix is
    found exactly by rounding det * inv(A)."""
    det = round(float(np.linalg.det(A)))
    if det == 0:
        return None
    adj = np.round(np.linalg.inv(A) * det).astype(np.int64)
    assert np.array_equal(A.astype(np.int64) @ adj, det * np.eye(len(A), dtype=np.int64))
    y = [sum((Fraction(int(adj[r, c]), det) * rhs[c] for c in range(len(rhs))), Fraction(0))
         for r in range(len(rhs))]  # fmt: skip
    spread = [sum((abs(Fraction(int(adj[r, c]), det)) * abs(rhs[c]) for c in range(len(rhs))), Fraction(0))
              for r in range(len(rhs))]  # fmt: skip
    return y, spread


def exact_vertices(rows: np.ndarray, rhs: list[Fraction], n_eq: int) -> list[list[Fraction]]:
    """Every vertex of {y : rows[:n_eq] y = rhs[:n_eq], rows[n_eq:] y >= rhs[n_eq:]}
    in exact rationals: every choice of tight inequalities solved exactly,
    the exactly feasible solutions kept, each once."""
    d = rows.shape[1]
    eq = list(range(n_eq))
    points: dict[tuple, None] = {}
    for combo in itertools.combinations(range(n_eq, len(rows)), d - n_eq):
        sol = exact_solve(rows[eq + list(combo)], [rhs[k] for k in eq + list(combo)])
        if sol is None:
            continue
        y, _ = sol
        if all(sum((int(rows[r, c]) * y[c] for c in range(d)), Fraction(0)) >= rhs[r]
               for r in range(n_eq, len(rows))):  # fmt: skip
            points.setdefault(tuple(y), None)
    return [list(y) for y in points]


def exact_core(scores: np.ndarray, extra_rows=(), extra_cols: int = 0):
    """The core's constraints over y = (u, v, extra...): u_i + v_j = s_ij on an
    exactly optimal assignment (enumeration), 0 for whoever it leaves out,
    u_i + v_j >= s_ij on the other pairs, y >= 0, then ``extra_rows``
    (coefficient list, rhs) as >= rows. Returns rows, rhs, n_eq, the pairs."""
    n, m = scores.shape
    d = n + m + extra_cols
    choice = max(enumerate_assignments(n, m, [1] * m), key=lambda c: exact_total(scores, c))
    pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
    eq, ge = [], []
    for i, j in pairs:
        r = np.zeros(d, dtype=np.int64)
        r[i] = r[n + j] = 1
        eq.append((r, F(scores[i, j])))
    for k in range(n + m):
        if (k < n and k not in dict(pairs)) or (k >= n and k - n not in {j for _, j in pairs}):
            eq.append((np.eye(d, dtype=np.int64)[k], Fraction(0)))
    for i, j in itertools.product(range(n), range(m)):
        if (i, j) not in pairs:
            r = np.zeros(d, dtype=np.int64)
            r[i] = r[n + j] = 1
            ge.append((r, F(scores[i, j])))
    ge += [(np.eye(d, dtype=np.int64)[k], Fraction(0)) for k in range(d)]
    ge += list(extra_rows)
    rows = np.array([r for r, _ in eq + ge])
    return rows, [c for _, c in eq + ge], len(eq), pairs


def assert_in_core(scores, pairs, u, v, rel=1e-9):
    """u, v >= 0, u_i + v_j >= s_ij for every pair and = s_ij on the exactly
    optimal pairs, each to ``rel`` of the quantities it compares."""
    assert np.all(u >= 0) and np.all(v >= 0)
    for i, j in np.ndindex(scores.shape):
        size = abs(F(u[i])) + abs(F(v[j])) + abs(F(scores[i, j]))
        gap = F(u[i]) + F(v[j]) - F(scores[i, j])
        assert gap >= -F(rel) * size, (i, j, u, v)
        if (i, j) in pairs:
            assert abs(gap) <= F(rel) * size, (i, j, u, v)


@st.composite
def core_cases(draw, max_cells: int = 6):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    if n * m > max_cells:
        m = max_cells // n
    return (draw(scores_of((n, m), low=-1)),)


TAU = Fraction(1, 2**43)  # lib.wages's documented share of the quantities compared


def documented_vertices(scores: np.ndarray) -> list[list[list[Fraction]]]:
    """The documented enumeration in exact rationals: every system of the
    equations of an exactly optimal assignment and ``free`` tight
    inequalities, solved exactly; kept when every inequality holds to 2**-43
    of the terms it compares (|row| @ spread + |rhs|); points within 2**-43
    of their spreads grouped as one vertex. Returns the groups' points."""
    rows, rhs, n_eq, _ = exact_core(scores)
    d = rows.shape[1]
    eq = list(range(n_eq))
    groups: list[list] = []  # [first point, largest spread, points]
    for combo in itertools.combinations(range(n_eq, len(rows)), d - n_eq):
        sol = exact_solve(rows[eq + list(combo)], [rhs[k] for k in eq + list(combo)])
        if sol is None:
            continue
        y, spread = sol
        if not all(sum((int(rows[r, c]) * y[c] for c in range(d)), Fraction(0)) - rhs[r]
                   >= -TAU * (sum((abs(int(rows[r, c])) * spread[c] for c in range(d)), Fraction(0)) + abs(rhs[r]))
                   for r in range(n_eq, len(rows))):  # fmt: skip
            continue
        for group in groups:
            if all(abs(y[k] - group[0][k]) <= TAU * max(spread[k], group[1][k]) for k in range(d)):
                group[1] = [max(a, b) for a, b in zip(spread, group[1])]
                group[2].append(y)
                break
        else:
            groups.append([y, spread, [y]])
    return [g[2] for g in groups]


@MIXED.case("lib.wages.optimal_dual_vertices", core_cases(),
            roles="scores of different pairs (a pair of 1e-8 beside one of 1e8): wages and surpluses "
            "at both scales",
            agrees="the documented enumeration redone in exact rationals (an exactly optimal "
            "assignment by enumeration, every tight system solved exactly, inequalities to 2**-43 of "
            "the terms compared, points within 2**-43 of their spreads one vertex): as many vertices, "
            "and for each exact vertex a returned one whose every coordinate is, to 2 units in the "
            "last place, the exact coordinate of one of the vertex's points (lib adds each up exactly "
            "and rounds once)")  # fmt: skip
def check_optimal_dual_vertices(scores):
    ref = documented_vertices(scores)
    got = wg.optimal_dual_vertices(scores)
    assert len(got) == len(ref), (got, [[float(c) for c in g[0]] for g in ref])

    def matches(v, group) -> bool:
        return all(any(within(v[k], y[k], y[k], 2 * ULP) for y in group) for k in range(len(v)))

    for group in ref:
        assert any(matches(v, group) for v in got), (got, [float(c) for c in group[0]])


def check_extreme(scores, point, side, ref=None):
    n = scores.shape[0]
    rows, rhs, n_eq, pairs = exact_core(scores)
    ref = ref or exact_vertices(rows, rhs, n_eq)
    sign = 1 if side == "workers" else -1
    best = max(ref, key=lambda y: sign * sum(y[n:]))
    # The lattice: the extreme is coordinatewise best (a check of the reference).
    assert all(sign * best[n + j] >= sign * y[n + j] for y in ref for j in range(scores.shape[1]))
    got = list(point.task_values) + list(point.wages)
    assert got == [float(c) for c in best], (got, [float(c) for c in best])
    assert_in_core(scores, pairs, point.task_values, point.wages, rel=4 * ULP)
    return ref


@MIXED.case("lib.wages.extreme_core_point",
            st.tuples(core_cases().map(lambda x: x[0]), st.sampled_from(["workers", "tasks"])),
            roles="scores of different pairs (a pair of 1e-8 beside one of 1e8); the side",
            agrees="every coordinate exactly the correctly rounded coordinate of the exact extreme "
            "vertex (the enumerated vertex, in rationals, of largest total wage, or smallest, which "
            "is checked to be coordinatewise best); hence the point in the core in the original "
            "units, each row to 2**-50 of the quantities it compares")  # fmt: skip
def check_extreme_core_point(scores, side):
    check_extreme(scores, wg.extreme_core_point(scores, side), side)


@MIXED.case("lib.wages.wage_intervals", core_cases(),
            roles="scores of different pairs (a pair of 1e-8 beside one of 1e8)",
            agrees="high and task_low exactly the correctly rounded wages and task values of the "
            "worker-optimal exact vertex, low and task_high those of the requester-optimal one")  # fmt: skip
def check_wage_intervals(scores):
    got = wg.wage_intervals(scores)
    ref = check_extreme(scores, wg.CorePoint(got.task_low, got.high), "workers")
    check_extreme(scores, wg.CorePoint(got.task_high, got.low), "tasks", ref)


@st.composite
def nearest_cases(draw):
    (scores,) = draw(core_cases(max_cells=4))
    m = scores.shape[1]
    kind = draw(st.sampled_from(["own", "own", "scores", "zero"]))
    if kind == "own":
        wages = draw(vector_of(m, low=-1, high=5))
    elif kind == "scores":  # wages at score values: often a core point, distance 0
        wages = np.array([draw(st.sampled_from(scores.ravel().tolist() + [0.0])) for _ in range(m)])
    else:
        wages = np.zeros(m)
    return scores, wages


@MIXED.case("lib.wages.nearest_core_point", nearest_cases(),
            roles="scores; wages (tiny beside huge scores, or the reverse)",
            agrees="distance exactly the correctly rounded minimum of t over the exact vertices of "
            "{core, |v_j - w_j| <= t} (enumerated and solved in rationals); the point in the core "
            "(each row to 2**-50 of the quantities it compares: the coordinates are rounded once) "
            "and its largest wage difference the distance (to the rounding of the wage)")  # fmt: skip
def check_nearest_core_point(scores, wages):
    n, m = scores.shape
    d = n + m + 1
    box = []
    for j in range(m):  # t - v_j >= -w_j and t + v_j >= w_j
        r1, r2 = np.zeros(d, dtype=np.int64), np.zeros(d, dtype=np.int64)
        r1[d - 1], r1[n + j] = 1, -1
        r2[d - 1], r2[n + j] = 1, 1
        box += [(r1, -F(wages[j])), (r2, F(wages[j]))]
    rows, rhs, n_eq, pairs = exact_core(scores, box, extra_cols=1)
    ref = exact_vertices(rows, rhs, n_eq)
    t_best = min(y[-1] for y in ref)
    dist, point = wg.nearest_core_point(scores, wages)
    assert dist == float(t_best), (dist, float(t_best))
    assert_in_core(scores, pairs, point.task_values, point.wages, rel=4 * ULP)
    # Every wage within the distance, one at it, each to the rounding of the
    # wage (a wage 3e8 - 4e-4 is rounded to 6e-8).
    gaps = [(abs(F(a) - F(b)), 2 * ULP * (abs(F(a)) + abs(F(b)))) for a, b in zip(point.wages, wages)]
    assert all(gap <= F(dist) + slack for gap, slack in gaps), (dist, point)
    assert any(abs(gap - F(dist)) <= slack for gap, slack in gaps), (dist, point)


@st.composite
def split_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-2))
    kind = draw(st.sampled_from(["own", "core", "short"]))
    if kind == "own":
        u, v = draw(vector_of(n)), draw(vector_of(m))
    else:  # a core vertex, as is or with one entry cut by a share of itself
        vertices = wg.optimal_dual_vertices(scores)
        y = vertices[draw(st.integers(0, len(vertices) - 1))].copy()
        if kind == "short" and np.any(y > 0):
            k = draw(st.sampled_from(np.flatnonzero(y > 0).tolist()))
            y[k] *= 1 - draw(st.sampled_from([1e-12, 1e-6, 0.5]))
        u, v = y[:n], y[n:]
    tol = draw(st.sampled_from([1e-9, 1e-9, 0.0, 1e-6, 0.25]))
    return scores, u, v, tol


@MIXED.case("lib.wages.blocking_pairs", split_cases(),
            roles="scores; task values; wages; the relative tolerance",
            agrees="the identical list, in row-major order, of the documented rule in exact "
            "rationals: s_ij - u_i - v_j > tol * (|s_ij| + |u_i| + |v_j|)")  # fmt: skip
def check_blocking_pairs(scores, u, v, tol):
    n, m = scores.shape
    ref = []
    for i, j in itertools.product(range(n), range(m)):
        s, a, b = F(scores[i, j]), F(u[i]), F(v[j])
        if s - a - b > F(tol) * (abs(s) + abs(a) + abs(b)):
            ref.append((i, j))
    assert wg.blocking_pairs(scores, u, v, tol=tol) == ref


# ============================================================ lib.online


@st.composite
def rows_with_room(draw):
    m = draw(st.integers(1, 5))
    row = draw(vector_of(m, low=-2, high=4))
    left = np.array(draw(st.lists(st.sampled_from([0, 1, 2, HUGE]), min_size=m, max_size=m)))
    return row, left


@MIXED.case("lib.online.greedy_choice", rows_with_room(),
            roles="the task's scores across workers (1e-8 beside 1e8); capacity left (full beside free)",
            agrees="the identical index (or both None) of a plain Python scan: the first strictly "
            "best positive score among workers with room")  # fmt: skip
def check_greedy_choice(row, left):
    best, ref = 0.0, None
    for j, (s, c) in enumerate(zip(row.tolist(), left.tolist())):
        if c > 0 and s > best:
            best, ref = s, j
    assert onl.greedy_choice(row, left) == ref


def bid_rule(row, left, prices):
    """The documented rule in exact rationals: candidates have room and a
    positive score; a surplus >= -1e-9 x the candidate's score counts (as
    max(surplus, 0)); the largest counted surplus, lowest index on ties."""
    best, pick = None, None
    for j in range(len(row)):
        if left[j] > 0 and row[j] > 0:
            sur = F(row[j]) - F(prices[j])
            if sur >= -F(1e-9) * F(row[j]):
                value = max(sur, Fraction(0))
                if best is None or value > best:
                    best, pick = value, j
    return pick, best


@st.composite
def priced_rows(draw):
    row, left = draw(rows_with_room())
    kind = draw(st.sampled_from(["own", "scores", "near"]))
    if kind == "own":
        prices = draw(vector_of(row.size))
    elif kind == "scores":  # prices exactly at scores: surplus exactly 0
        prices = np.abs(np.array([draw(st.sampled_from(row.tolist() + [0.0])) for _ in range(row.size)]))
    else:  # a price a hair above a score: counted (1e-12) or not (1e-6)
        prices = np.abs(row) * (1 + draw(st.sampled_from([1e-12, 1e-6])))
    return row, left, prices


@MIXED.case("lib.online.bid_price_choice", priced_rows(),
            roles="scores; prices; capacity left (a full worker's huge score beside free ones)",
            agrees="the documented rule in exact rationals (candidates only, each surplus's "
            "tolerance its own score): the same index, or None for None; where two counted "
            "surpluses differ by less than the rounding of the subtraction (2**-52 of score + "
            "price), either may win")  # fmt: skip
def check_bid_price_choice(row, left, prices):
    ref, best = bid_rule(row, left, prices)
    got = onl.bid_price_choice(row, left, prices)
    if ref is None or got is None:
        assert got == ref
        return
    assert left[got] > 0 and row[got] > 0
    sur = F(row[got]) - F(prices[got])
    assert sur >= -F(1e-9) * F(row[got])
    if got != ref:  # only a tie within the rounding of the two subtractions
        size = F(row[got]) + abs(F(prices[got])) + F(row[ref]) + abs(F(prices[ref]))
        assert abs(max(sur, Fraction(0)) - best) <= 2 * ULP * size, (got, ref)


@st.composite
def online_cases(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-1))
    return scores, draw(capacity_list(m, n)), list(draw(st.permutations(range(n))))


def replay(scores, cap, order, rule):
    left = list(cap)
    pairs = []
    for i in order:
        j = rule(scores[i].tolist(), left)
        if j is not None:
            pairs.append((i, j))
            left[j] -= 1
    return sorted(pairs)


def rule_greedy(row, left):
    best, pick = 0.0, None
    for j in range(len(row)):
        if left[j] > 0 and row[j] > best:
            best, pick = row[j], j
    return pick


def rule_last_best(row, left):
    """A rule of the test's own: the highest-index worker of the best positive score."""
    best, pick = 0.0, None
    for j in range(len(row)):
        if left[j] > 0 and row[j] > 0 and row[j] >= best:
            best, pick = row[j], j
    return pick


RULES = [rule_greedy, rule_last_best, lambda row, left: next((j for j in range(len(row)) if left[j] > 0), None)]


@MIXED.case("lib.online.run_online",
            st.tuples(online_cases(), st.integers(0, len(RULES) - 1)).map(lambda x: (*x[0], x[1])),
            roles="scores (1e-8 beside 1e8); capacities (full beside free); a rule",
            agrees="identical sorted pairs and order to a plain arrival loop (lib's greedy_choice "
            "against the test's greedy, the test's own rules otherwise); objective within 2**-50 x "
            "sum of chosen |scores| of their exact total")  # fmt: skip
def check_run_online(scores, cap, order, which):
    rule = RULES[which]
    res = onl.run_online(scores, cap, order, onl.greedy_choice if which == 0 else rule)
    ref = replay(scores, cap, order, rule)
    assert res.pairs == ref and list(res.order) == order
    size = sum(abs(F(scores[i, j])) for i, j in ref)
    assert within(res.objective, pairs_total(scores, ref), size, 4 * ULP)


@st.composite
def bid_assignment_cases(draw):
    scores, cap, order = draw(online_cases())
    m = scores.shape[1]
    if draw(st.booleans()):
        prices = draw(vector_of(m))
    else:
        prices = np.abs(np.array([draw(st.sampled_from(scores.ravel().tolist() + [0.0])) for _ in range(m)]))
    return scores, prices, cap, order


@MIXED.case("lib.online.bid_price_assignment", bid_assignment_cases(),
            roles="scores; prices; capacities (full beside free)",
            agrees="identical sorted pairs to a plain arrival loop applying the documented "
            "bid-price rule in exact rationals (instances where two counted surpluses tie within "
            "rounding, 2**-52 of score + price, are compared only on feasibility); objective within "
            "2**-50 x sum of chosen |scores| of their exact total")  # fmt: skip
def check_bid_price_assignment(scores, prices, cap, order):
    ambiguous = False

    def rule(row, left):
        nonlocal ambiguous
        pick, best = bid_rule(row, left, prices)
        if pick is not None:
            for j in range(len(row)):
                if j != pick and left[j] > 0 and row[j] > 0:
                    sur = F(row[j]) - F(prices[j])
                    near = 4 * ULP * (F(row[j]) + abs(F(prices[j])) + F(row[pick]) + abs(F(prices[pick])))
                    ambiguous |= sur >= -F(1e-9) * F(row[j]) and best - max(sur, Fraction(0)) <= near
        return pick

    res = onl.bid_price_assignment(scores, prices, cap, order)
    ref = replay(scores, cap, order, rule)
    assert_matching(res.pairs, cap)
    if not ambiguous:
        assert res.pairs == ref
    size = sum(abs(F(scores[i, j])) for i, j in res.pairs)
    assert within(res.objective, pairs_total(scores, res.pairs), size, 4 * ULP)


@MIXED.case("lib.online.batched_assignment",
            st.tuples(online_cases(), st.integers(1, 4)).map(lambda x: (*x[0], x[1])),
            roles="scores (1e-8 beside 1e8); capacities (full beside free); batch size",
            agrees="pairs positive and within capacities; each batch's committed exact total equal "
            "to the exact enumerated optimum of the batch against the capacity left by earlier "
            "batches (within 1e-12 of that optimum, lib.matching's documented resolution)")  # fmt: skip
def check_batched_assignment(scores, cap, order, k):
    res = onl.batched_assignment(scores, cap, order, k)
    m = scores.shape[1]
    got = dict(res.pairs)
    assert len(got) == len(res.pairs)
    left = list(cap)
    for start in range(0, len(order), k):
        batch = order[start:start + k]
        if not any(left):
            assert not any(i in got for i in order[start:])
            break
        best = max(exact_total(scores[batch], c) for c in enumerate_assignments(len(batch), m, left))
        mine = [(i, got[i]) for i in batch if i in got]
        assert all(scores[i, j] > 0 for i, j in mine)
        assert within(pairs_total(scores, mine), best, best, 1e-12), (mine, float(best))
        for _, j in mine:
            left[j] -= 1
        assert all(c >= 0 for c in left)


def sample_reference(scores, cap, order, share, got_pairs):
    """The documented algorithm with exact enumerated optima. Where several
    assignments of the tasks seen are optimal to 1e-12 (lib.matching's
    resolution), any of their decisions is accepted and lib's is followed."""
    n, m = scores.shape
    free = [c > 0 for c in cap]
    got = dict(got_pairs)
    pairs = []
    for position in range(int(share * n), n):
        seen = order[: position + 1]
        choices = enumerate_assignments(len(seen), m, [1 if c > 0 else 0 for c in cap])
        totals = [exact_total(scores[seen], c) for c in choices]
        top = max(totals)
        options = set()
        for c, total in zip(choices, totals):
            if top - total <= F(1e-12) * abs(top):
                j = c[position]
                options.add(j if j >= 0 and scores[order[position], j] > 0 and free[j] else None)
        mine = got.get(order[position])
        assert mine in options, (position, mine, options)
        if mine is not None:
            free[mine] = False
            pairs.append((order[position], mine))
    return sorted(pairs)


@st.composite
def sample_cases(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=0))
    cap = draw(st.lists(st.sampled_from([0, 1, 1]), min_size=m, max_size=m))
    order = list(draw(st.permutations(range(n))))
    return scores, cap, order, draw(st.sampled_from([0.0, 1 / math.e, 0.5, 1.0]))


@MIXED.case("lib.online.sample_then_match", sample_cases(),
            roles="scores (1e-8 beside 1e8); capacities (closed or one); the sample share",
            agrees="the documented algorithm replayed with exact enumerated optima of the tasks "
            "seen: every decision is that of an optimal assignment (to lib.matching's resolution "
            "1e-12, any of the tied ones), and the pairs are exactly the decisions made")  # fmt: skip
def check_sample_then_match(scores, cap, order, share):
    res = onl.sample_then_match(scores, cap, order, share)
    assert res.pairs == sample_reference(scores, cap, order, share, res.pairs)


@st.composite
def compare_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-1))
    if not np.any(scores > 0):
        scores[0, 0] = float(draw(mixed_entries(1, low=1, high=3))[0])
    cap = draw(st.lists(st.sampled_from([1, 1, 2, HUGE]), min_size=m, max_size=m))
    prices = None if draw(st.booleans()) else draw(vector_of(m))
    sizes = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    return (scores, cap, prices, sizes, draw(st.integers(1, 3)), draw(st.integers(0, 1000)),
            draw(st.booleans()))  # fmt: skip


@MIXED.case("lib.online.compare_policies", compare_cases(),
            roles="scores (1e-8 beside 1e8); capacities; bid prices",
            agrees="orders identical to default_rng(seed).permutation; offline within 2**-50 x "
            "(sum of its |scores|) of the exact enumerated optimum; each ratio (sample then match "
            "included) within 1e-12 of the exact total of lib's own policy's pairs on that order "
            "over the exact optimum, and <= 1; the greedy ratios those of the replayed plain-loop "
            "greedy")  # fmt: skip
def check_compare_policies(scores, cap, prices, sizes, n_orders, seed, sample):
    cmp = onl.compare_policies(scores, cap, prices, sizes, n_orders, seed, sample)
    n = scores.shape[0]
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(n).tolist() for _ in range(n_orders)]
    assert cmp.orders.tolist() == orders
    best = best_total(scores, range(n), cap)
    size = sum(max(abs(F(v)) for v in row) for row in scores.tolist())
    assert within(cmp.offline, best, size, 4 * ULP), (cmp.offline, float(best))
    runs = {"greedy": lambda o: onl.run_online(scores, cap, o)}
    if prices is not None:
        runs["bid price"] = lambda o: onl.bid_price_assignment(scores, prices, cap, o)
    for k in sizes:
        runs[f"batch {k}"] = lambda o, k=k: onl.batched_assignment(scores, cap, o, k)
    if sample:
        runs["sample then match"] = lambda o: onl.sample_then_match(scores, cap, o)
    assert set(cmp.ratios) == set(runs)
    for name, run in runs.items():
        for o, got in zip(orders, cmp.ratios[name].tolist()):
            ref = pairs_total(scores, run(o).pairs) / best
            assert got <= 1.0 and within(got, min(ref, Fraction(1)), 1, 1e-12), (name, o, got, float(ref))
    for o, got in zip(orders, cmp.ratios["greedy"].tolist()):
        assert within(got, pairs_total(scores, replay(scores, cap, o, rule_greedy)) / best, 1, 1e-12)


@st.composite
def price_days(draw):
    m = draw(st.integers(1, 3))
    days = [draw(scores_of((draw(st.integers(1, 3)), m), low=-1)) for _ in range(draw(st.integers(1, 3)))]
    return days, draw(st.lists(st.sampled_from([0, 1, 2, HUGE]), min_size=m, max_size=m))


@MIXED.case("lib.online.average_prices", price_days(),
            roles="days of scores, each at its own magnitude (1e-8 beside 1e8); capacities",
            agrees="each worker's price within 1e-9 of the sum over days of their largest |score| "
            "(the quantities each day's price is computed from), over the number of days, of the "
            "mean of the exact brute-force left slopes OPT(c) - OPT(c - e_j)")  # fmt: skip
def check_average_prices(days, cap):
    got = onl.average_prices(days, cap)
    m = len(cap)
    prices = [max_prices(d, cap)[1] for d in days]
    size = sum((F(np.abs(d).max()) for d in days), Fraction(0)) / len(days)
    for j in range(m):
        ref = sum((p[j] for p in prices), Fraction(0)) / len(days)
        assert within(got[j], ref, size, 1e-9), (got, [float(sum(p[k] for p in prices) / len(days)) for k in range(m)])


@st.composite
def guarantee_cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    scores = draw(scores_of((n, m), low=-1))
    if draw(st.integers(0, 4)) == 0:  # near the largest float: a + b overflows
        scores = scores / max(float(np.abs(scores).max()), 1e-300) * 1.7e308
    if not np.any(scores > 0):
        scores[draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))] = float(draw(mixed_entries(1, low=1))[0])
    return (scores,)


@MIXED.case("lib.online.greedy_guarantee", guarantee_cases(),
            roles="the smallest positive score a; the largest b (1e-8 beside 1e8, or both near 1.8e308)",
            agrees="within relative 2**-51 of the exact a / (a + b) (fractions.Fraction), never inf "
            "or an overflow")  # fmt: skip
def check_greedy_guarantee(scores):
    pos = [F(x) for x in scores.ravel().tolist() if x > 0]
    ref = min(pos) / (min(pos) + max(pos))
    got = onl.greedy_guarantee(scores)
    assert math.isfinite(got) and within(got, ref, ref, 2 * ULP), (got, float(ref))


@MIXED.case("lib.online.weighted_adversary",
            st.tuples(st.sampled_from([0.5, 1.0, 2.0]),
                      st.one_of(mixed_entries(1, low=1, high=5).map(lambda a: max(float(a[0]), 1.0)),
                                st.sampled_from([1.0, 1e8, 1.7e308]))),  # fmt: skip
            roles="the first task's score 1; the second task's score big (1 ... 1e8, and near 1.8e308)",
            agrees="the documented one-worker construction built by hand: scores [[1], [big]], "
            "online 1 and offline big (or 0 of 1 when the rule refuses), ratio exactly 1 / big")  # fmt: skip
def check_weighted_adversary(threshold, big):
    def rule(row, left):
        return 0 if left[0] > 0 and row[0] >= threshold else None

    res = onl.weighted_adversary(rule, big)
    if threshold > 1.0:
        assert res.scores.tolist() == [[1.0]] and (res.online, res.offline) == (0.0, 1.0)
    else:
        assert res.scores.tolist() == [[1.0], [big]] and (res.online, res.offline) == (1.0, big)
        assert res.ratio == 1.0 / big
    assert res.capacity.tolist() == [1]


test_mixed_scales = MIXED.test()


# ============================================================ the defects, pinned


def exact_float(*terms) -> float:
    """The correctly rounded sum of the exact values of ``terms``."""
    return float(sum((F(x) for x in terms), Fraction(0)))


# ------------------------------------------------------------ lib.assignment_algorithms


def test_polygon_vertices_variables_in_their_own_units():
    # 1e-8 x1 + 1e8 x2 <= 1: x1 up to 1e8, x2 up to 1e-8. The determinant of
    # the row with the x1 axis, 1e-8 after dividing the row by 1e8, was
    # compared with 1e-12 and the vertex (1e8, 0) dropped ("unbounded").
    assert alg.polygon_vertices([[1e-8, 1e8]], [1]).tolist() == [[0.0, 0.0], [1e8, 0.0], [0.0, 1e-8]]


def test_polygon_vertices_right_hand_sides_of_two_scales():
    # x1 <= 1e8, x2 <= 1e-8, x1 + x2 <= 2e8: a rectangle 1e8 by 1e-8. A
    # coordinate of 1e-8 was rounded away against the largest one (1e8).
    got = alg.polygon_vertices([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1e8, 1e-8, 2e8])
    assert got.tolist() == [[0.0, 0.0], [1e8, 0.0], [1e8, 1e-8], [0.0, 1e-8]]


def test_polygon_vertices_orders_a_thin_polygon_exactly():
    # x1 <= 1e-65 x2 and x2 <= 0.1: a triangle 1e-66 wide. Angles around its
    # centre tie in floats; the order comes from exact turns.
    got = alg.polygon_vertices([[1e-8, -1e-73], [0.0, 1e-7]], [0.0, 1e-8])
    assert len(got) == 3 and got[0].tolist() == [0.0, 0.0] and got[2].tolist() == [0.0, 0.1]
    assert got[1][0] == pytest.approx(1e-66, rel=1e-12) and got[1][1] == pytest.approx(0.1, rel=1e-12)
    pts = [(F(x), F(y)) for x, y in got.tolist()]
    for k in range(3):
        p, q, r = pts[k], pts[(k + 1) % 3], pts[(k + 2) % 3]
        assert (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0]) > 0


def test_polygon_vertices_keeps_a_row_of_tiny_size():
    # 2e-167 (x1 + x2) <= 0 leaves only the origin, however small its size.
    got = alg.polygon_vertices([[5.6e-5, 5.6e-5], [2e-167, 2e-167]], [1e-8, 0.0])
    assert got.tolist() == [[0.0, 0.0]]


def test_best_augmenting_path_gain_of_a_tiny_score_beside_huge_ones():
    # Task 1 takes worker 0 (1e8) from task 0, which moves to worker 1 (1e-8):
    # the gain is 1e8 - 1e8 + 1e-8 = 1e-8. A difference of float totals near
    # 1e8 gave 1.49e-8.
    step = alg.best_augmenting_path([[1e8, 1e-8], [1e8, 0.0]], [(0, 0)], 1)
    assert step.pairs == [(0, 1), (1, 0)]
    assert step.gain == 1e-8 and step.total == exact_float(1e8, 1e-8)


def test_augmenting_path_matching_sees_a_tiny_pair_beside_huge_ones():
    # 3e8 + 2e-8 rounds to 3e8 in floats: a float total cannot tell task 0
    # (2e-8 with worker 0) from task 1 (0). The exact sum can.
    res = alg.augmenting_path_matching([[2e-8, 0.0], [0.0, 2e-8], [1e8, 3e8]])
    assert res.pairs == [(0, 0), (2, 1)] and res.objective == exact_float(2e-8, 3e8)


def test_cs_violation_keeps_the_digits_of_small_values():
    # The shortfall 1.234567e-8 was rounded to 12 decimals: 1.2346e-8.
    assert alg.cs_violation([[1.234567e-8, 0.0]], [(0, 1)], [0.0, 0.0]) == 1.234567e-8


def test_cs_violation_is_exact_beside_prices_of_1e8():
    # Best net value 1e8 - p_0 (about 3e-8), held 1e-8: the shortfall is the
    # exact difference of the four numbers, rounded once.
    p0 = 99999999.99999997
    got = alg.cs_violation([[1e8, 1e-8]], [(0, 1)], [p0, 0.0])
    assert got == float(F(1e8) - F(p0) - F(1e-8))


def test_auction_bid_rounds_relative_to_its_own_quantities():
    # Task 0 bids for worker 0 (net 1.234567e-8) over worker 1 (0): price
    # 1.234567e-8 + 1e-10. Rounded at 12 decimals, the digits of the row's
    # and the prices' largest entry (1e8, a worker it does not bid for), it
    # kept 4 significant digits: 1.2446e-8.
    got = alg.auction_bid([[1.234567e-8, 0.0, 1e8]], [0.0, 0.0, 1e8 + 1], 0, 1e-10)
    assert got == (0, 1.244567e-8)
    # Decimal inputs lose their last-bit noise: 0.9 - 0.8 + 0.01 is 0.11.
    assert alg.auction_bid([[0.9, 0.8]], [0.0, 0.0], 0, 0.01) == (0, 0.11)


def test_auction_bid_refuses_an_epsilon_below_the_price_resolution():
    # 1e8 + 1e-9, to 12 significant digits, is 1e8: the bid would not raise
    # the price, and an auction of such bids would never end.
    with pytest.raises(ValueError, match="epsilon = 1e-09 is below the resolution"):
        alg.auction_bid([[1e8, 0.0]], [1e8, 0.0], 0, 1e-9)
    with pytest.raises(ValueError, match="epsilon"):
        alg.auction_bid([[1e8, 0.0]], [1e8, 0.0], 0, 1e-5)
    # 1e-3 is within 12 significant digits of 1e8: the price rises.
    assert alg.auction_bid([[1e8, 0.0]], [1e8, 0.0], 0, 1e-3) == (0, 100000000.001)


def test_sums_beyond_the_largest_float_are_refused():
    with pytest.raises(ValueError, match="scores"):
        alg.augmenting_path_matching([[1.7e308], [1e308]], [2])
    with pytest.raises(ValueError, match="prices"):
        alg.auction_bid([[1.7e308, -1.7e308]], [0.0, 1e308], 0, 1.0)
    with pytest.raises(ValueError, match="scores, prices"):
        alg.cs_violation([[1.7e308, -1.7e308]], [(0, 1)], [0.0, 1e308])


# ------------------------------------------------------------ lib.wages


def test_optimal_dual_vertices_with_a_pair_of_1e_8_beside_one_of_1e8():
    # u0 + v0 = 1e8 and u1 + v1 = 1e-8, both split either way: four vertices.
    # The enumeration called the assignment without the 1e-8 pair optimal
    # (within 1e-9 of the total) and found no vertex at all.
    got = wg.optimal_dual_vertices([[1e8, 0.0], [0.0, 1e-8]]).tolist()
    assert got == [[0.0, 0.0, 1e8, 1e-8], [0.0, 1e-8, 1e8, 0.0], [1e8, 0.0, 0.0, 1e-8], [1e8, 1e-8, 0.0, 0.0]]


def test_optimal_dual_vertices_tiny_score_beside_a_huge_one():
    # u0 + v0 = 1e8, u0 >= 1e-8 (pair (0, 1), v1 = 0), v0 >= 1e-8 (pair (1, 0)).
    # The tolerance 1e-9 x 1e8 accepted u0 = 0, a blocked split.
    got = wg.optimal_dual_vertices([[1e8, 1e-8], [1e-8, 0.0]]).tolist()
    big = float(F(1e8) - F(1e-8))
    assert got == [[1e-8, 0.0, big, 0.0], [big, 0.0, 1e-8, 0.0]]


def test_optimal_dual_vertices_resolves_1e_8_beside_100():
    # u0 + v1 = 1e-8, u1 + v0 = 100, v1 >= v0 (pair (1, 1)): the triangle
    # (v0, v1) in {(0, 0), (0, 1e-8), (1e-8, 1e-8)}. Points 1e-8 apart were
    # merged by a tolerance of 1e-9 of their spread (200).
    got = wg.optimal_dual_vertices([[0.0, 1e-8], [100.0, 100.0]]).tolist()
    assert got == [[0.0, float(F(100) - F(1e-8)), 1e-8, 1e-8], [0.0, 100.0, 0.0, 1e-8], [1e-8, 100.0, 0.0, 0.0]]


def test_extreme_core_point_tiny_score_beside_a_huge_one():
    s = [[1e8, 1e-8], [1e-8, 0.0]]
    big = float(F(1e8) - F(1e-8))
    workers, tasks = wg.extreme_core_point(s, "workers"), wg.extreme_core_point(s, "tasks")
    # The rounding at 12 decimals of 1e8 gave u0 = 0: pair (0, 1) blocked.
    assert workers.task_values.tolist() == [1e-8, 0.0] and workers.wages.tolist() == [big, 0.0]
    assert tasks.task_values.tolist() == [big, 0.0] and tasks.wages.tolist() == [1e-8, 0.0]
    assert wg.blocking_pairs(s, workers.task_values, workers.wages) == []  # to rounding


def test_extreme_core_point_when_float_totals_tie():
    # Optimal: task 2 with worker 1 (3e8) and task 0 with worker 0 (2e-8);
    # 3e8 + 2e-8 == 3e8 in floats, and an assignment found in floats left
    # task 0 out. Requester-optimal: u = (2e-8, 0, 3e8 - 2e-8), v = (0, 2e-8)
    # (task 1 would pay worker 1 its 2e-8).
    point = wg.extreme_core_point([[2e-8, 0.0], [0.0, 2e-8], [1e8, 3e8]], "tasks")
    assert point.task_values.tolist() == [2e-8, 0.0, float(F(3e8) - F(2e-8))]
    assert point.wages.tolist() == [0.0, 2e-8]


def test_extreme_core_point_beyond_the_span_of_an_lp():
    # Scores 1e-300 beside 1e300 (600 decades): no LP row can be written in
    # its own units (HiGHS takes no coefficient above 1e20); the exact step
    # finds the worker-optimal point alone: v = (1, 1e300), u = 0.
    point = wg.extreme_core_point([[1e-300, 1e300], [1.0, 0.0]], "workers")
    assert point.task_values.tolist() == [0.0, 0.0] and point.wages.tolist() == [1.0, 1e300]


def test_nearest_core_point_wage_tiny_beside_a_huge_score():
    # The core of [[100]] is u + v = 100: the wage 1e-8 is a core wage. The
    # old answer, rounded at 12 decimals of 100, was v = 0 at "distance 0".
    distance, point = wg.nearest_core_point([[100.0]], [1e-8])
    assert distance == 0.0 and point.wages.tolist() == [1e-8]
    assert point.task_values.tolist() == [float(F(100) - F(1e-8))]


def test_nearest_core_point_wages_huge_beside_tiny_scores():
    # Optimal pairs (0, 1) and (1, 0); worker 0's highest core wage is 3e-8,
    # so the distance is 1e8 - 3e-8. The old answer, in units of 1e8, lost
    # the core (v = 0, blocked by every pair) and said 1e8.
    distance, point = wg.nearest_core_point([[1e-8, 2e-8], [3e-8, 1e-8]], [1e8, 1e-8])
    assert distance == float(F(1e8) - F(3e-8))
    assert point.wages.tolist() == [3e-8, 2e-8] and point.task_values.tolist() == [0.0, 0.0]
    assert wg.blocking_pairs([[1e-8, 2e-8], [3e-8, 1e-8]], point.task_values, point.wages, tol=0.0) == []


def test_blocking_pairs_tolerance_is_relative_to_the_pair():
    # A shortfall of 1e-12 on a score of 1e-12 blocks (an absolute 1e-9 hid it) ...
    assert wg.blocking_pairs([[1e-12]], [0.0], [0.0]) == [(0, 0)]
    # ... and the rounding of a split of 1e8 does not (1/3 + 2/3 of 1e8 in floats).
    u, v = 1e8 / 3, 2e8 / 3
    assert F(u) + F(v) < F(1e8)
    assert wg.blocking_pairs([[1e8]], [u], [v]) == []
    # A value below 0 by more than 1e-9 of its row's scores is refused.
    with pytest.raises(ValueError, match="non-negative"):
        wg.blocking_pairs([[1e-12]], [-1e-13], [0.0])


# ------------------------------------------------------------ lib.online


def test_bid_price_choice_tolerance_is_the_candidates_own():
    # Worker 1's price is 1e-8 above its score: not covered. The tolerance
    # was 1e-9 x the row's largest score, a full worker's 1e8 (0.1).
    assert onl.bid_price_choice(np.array([1e8, 1e-8]), np.array([0, 1]), np.array([0.0, 2e-8])) is None
    # Nor does a negative score widen it.
    assert onl.bid_price_choice(np.array([-1e8, 1e-8]), np.array([1, 1]), np.array([0.0, 2e-8])) is None
    # A price above its score by a rounding error (0.1 + 0.2) still counts as covered.
    assert onl.bid_price_choice(np.array([0.3]), np.array([1]), np.array([0.1 + 0.2])) == 0


def test_greedy_guarantee_does_not_overflow():
    # a + b overflowed to inf: the guarantee came out 0.
    assert onl.greedy_guarantee([[1.7e308]]) == 0.5
    assert onl.greedy_guarantee([[1e308, 1.5e308]]) == float(F(1e308) / (F(1e308) + F(1.5e308)))


def test_compare_policies_offline_is_the_exact_total():
    # The optimum 1e8 + 1e-8 + 1e-8, added up in order, is 1e8 + 2.98e-8; its
    # exact value rounds to 1e8 + 1.49e-8. Equal assignments have ratio exactly 1.
    scores = np.diag([1e8, 1e-8, 1e-8])
    cmp = onl.compare_policies(scores, batch_sizes=[3], n_orders=3, seed=1)
    assert cmp.offline == exact_float(1e8, 1e-8, 1e-8)
    assert cmp.ratios["batch 3"].tolist() == [1.0, 1.0, 1.0]


def test_online_seeds_go_through_as_seed():
    workers = [[1, 1, 0, 0], [0, 0, 1, 1]]
    days = onl.task_days(workers, 3, 2, seed=5)
    again = onl.task_days(workers, 3, 2, seed=np.random.default_rng(5))
    assert np.array_equal(days[0], again[0])  # day 0 of seed 5, from either
    with pytest.raises(TypeError, match="seed"):
        onl.task_days(workers, 3, 2, seed=None)
    with pytest.raises(ValueError, match="seed"):
        onl.task_days(workers, 3, 2, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        onl.compare_policies([[1.0]], n_orders=2, seed=None)
    cmp = onl.compare_policies([[1.0, 1.0], [1.0, 0.0]], n_orders=4, seed=np.random.default_rng(3))
    assert cmp.orders.tolist() == [np.random.default_rng(3).permutation(2).tolist()] + cmp.orders.tolist()[1:]


ONE_SCALE: dict[str, str] = {
    "lib.wages.deferred_acceptance": "ordinal preference lists (indices, best first) only: no quantity with a scale",
    "lib.wages.stable_matchings": "ordinal preference lists (indices, best first) only: no quantity with a scale",
    "lib.online.task_days": "0/1 skill indicators, sizes and a seed only: no quantity with a scale",
    "lib.online.unweighted_adversary": "a rule only: the instance it builds has fixed 0/1 scores",
}
