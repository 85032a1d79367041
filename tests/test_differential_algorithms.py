"""Differential test of the public functions of lib's algorithm modules
(assignment_algorithms, wages), of the validation helpers, of the exercise
checks, of the source display and of the figures' numeric cores.

Same pattern as ``test_differential.py``: each case draws VALID inputs at the
edges (magnitudes from 1e-300 to 1e300 where they are meaningful, power-of-two
scales where the comparison is exact, ties, zero and huge capacities up to
2**62, empty and single-element cases), compares with a reference computed
another way (brute-force enumeration of assignments and of dual vertices,
exact rational arithmetic, plain-Python loops, the documented rule written
out again), states what "agrees" means, counts its inputs (at least
``MIN_INPUTS``, or every valid input when there are fewer) and writes the
counts to ``_build/differential_counts_algorithms.txt`` (summed over every
differential file at the end of the run). No reference calls HiGHS or
``linear_sum_assignment``, which the functions under test use.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lib
import lib._validate as val
import lib.assignment_algorithms as alg
import lib.checks as chk
import lib.checks._core as core
import lib.display as disp
import lib.plots as plots
import lib.wages as wg
from conftest import BUILD, ROOT
from test_differential import EDGE_SCALES, MIN_INPUTS, enumerate_assignments, exact_total

# Inputs drawn per function: 220 (every case needs at least MIN_INPUTS, and the
# file must run in under a minute), or the profile's own count when it asks
# for more (explore: 1000).
N_INPUTS = max(220, settings.default.max_examples)

# Function -> its independent reference.
REFERENCES = {
    "lib.assignment_algorithms.polygon_vertices": "every pair of constraint lines (rows and axes) intersected in exact rationals (Cramer's rule on fractions.Fraction), the intersections satisfying every constraint exactly kept; bounded regions only (a row with two positive coefficients)",
    "lib.assignment_algorithms.best_augmenting_path": "brute-force enumeration (itertools) of every assignment of the placed tasks plus the new one, within capacities, in exact rationals; the current matching is a brute-force optimum of the placed tasks",
    "lib.assignment_algorithms.augmenting_path_matching": "brute-force enumeration (itertools) of every assignment within capacities, in exact rationals, for all tasks and for every prefix of tasks (one per step)",
    "lib.assignment_algorithms.auction_bid": "a plain Python scan in exact rationals (fractions.Fraction): first best net value, largest other one, p + best - second + eps",
    "lib.assignment_algorithms.auction_assignment": "its guarantee checked in exact rationals: epsilon-complementary slackness of every task, total within n_tasks * epsilon of the brute-force optimum (itertools), exactly optimal for integer scores with epsilon < 1 / n_tasks",
    "lib.assignment_algorithms.interior_point_optimum": "brute-force optimum over every assignment (itertools); the returned x must be feasible and reach it (a point of the optimal face)",
    "lib.wages.optimal_dual_vertices": "vertex enumeration of the core polytope {y >= 0, u_i + v_j >= s_ij, sum y = z}, z the brute-force optimum (itertools): every choice of tight constraints solved, the feasible solutions kept",
    "lib.wages.extreme_core_point": "the coordinatewise largest wages and smallest task values over the enumerated core vertices (the core is a lattice)",
    "lib.wages.wage_intervals": "the smallest and largest wage and task value of each member over the enumerated core vertices",
    "lib.wages.nearest_core_point": "vertex enumeration of the LP min t over core points with |v_j - w_j| <= t (every choice of tight constraints solved, the feasible smallest t kept)",
    "lib.wages.stable_matchings": "brute-force enumeration of every matching of mutually acceptable pairs (recursive), with a blocking-pair check written here",
    "lib._validate.as_integer": "the documented rule written again: integers of every width exact, bools/strings/floats TypeError, whole reals only with allow_whole_float (exact value), int64 and bounds ValueError",
    "lib._validate.as_real": "the documented rule written again: the correctly rounded float of the exact value (fractions.Fraction), bools/strings/complex/None/Decimal TypeError, NaN/inf/overflow/bounds ValueError",
    "lib._validate.as_probability": "the documented rule: as_real's rule with the bounds [0, 1] and the chosen ends",
    "lib._validate.as_bool": "the documented rule: only bool and numpy.bool_ (0-d arrays unwrapped), anything else TypeError",
    "lib._validate.as_choice": "the documented rule: a value equal to a choice and of a choice's type returns that choice, another value of that type ValueError, another type TypeError",
    "lib._validate.as_real_matrix": "the documented rule: entry by entry the correctly rounded float of the exact value, a fresh 2-D float64 array; None/strings/non-numbers TypeError; wrong dimension, empty, NaN/inf, masked entries, ragged ValueError",
    "lib._validate.as_real_vector": "the documented rule: entry by entry the correctly rounded float of the exact value, a fresh 1-D float64 array; wrong dimension/length/emptiness and NaN/inf ValueError",
    "lib._validate.as_capacity_vector": "the documented rule: None -> ones, a scalar broadcast, integers exact as int64, whole floats below 2**63 taken, negative/fractional/non-finite/beyond-int64/length ValueError, bools TypeError",
    "lib._validate.as_index_vector": "the documented rule: integers in range exact as int64, bools/floats TypeError, out of range or not 1-D ValueError",
    "lib._validate.as_pair_list": "the documented rule: every pair of integers in range as Python ints in order, non-pairs and non-integers TypeError, indices out of range (negative included) ValueError",
    "lib._validate.as_label_sequence": "the documented rule: a list of Python labels of one kind, mixed kinds/nested/None TypeError, NaN ValueError",
    "lib._validate.as_arrival_order": "the definition: None -> 0..n-1; otherwise a list of ints that is a permutation of 0..n-1 (checked by sorting a copy), returned as Python ints in the given order; an iterator read once; repeats, gaps or out-of-range ValueError; bools/floats TypeError",
    "lib._validate.as_seed": "the documented rule: an integer k >= 0 of any width gives the stream of Generator(PCG64(k)) (numpy's definition of default_rng(k)), a Generator is returned itself, None/bools/floats/strings/RandomState TypeError, negative or beyond int64 ValueError",
    "lib._validate.check_size": "the documented rule: ValueError exactly when count > limit (compared in exact rationals)",
    "lib.checks.check": "the exercise's value computed independently (tests/test_checks.py INDEPENDENT, which uses tests/part*_references.py), given as int, float, numpy float32/float64, Fraction, sympy Rational and Float (and bools): each is correct",
    "lib.checks.exercise_labels": "the labels read from the register_* calls in the sources of lib/checks/p*.py (regular expression), sorted",
    "lib.checks.exercises": "the labels read from the register_* calls in the sources of lib/checks/p*.py, one Exercise each",
    "lib.checks.expected": "the exercise's value computed independently (tests/test_checks.py INDEPENDENT, which uses tests/part*_references.py)",
    "lib.checks.is_placeholder": "the documented rule: exactly ``...`` and None (identity, not equality)",
    "lib.checks._core.is_placeholder": "the documented rule: exactly ``...`` and None (identity, not equality)",
    "lib.checks._core.as_real_number": "the documented rule: the exact value (fractions.Fraction) of every real scalar kind; a Fraction for exact rationals, a float otherwise; NaN/inf/bools/text/wrong shapes ValueError",
    "lib.checks._core.same_expression": "sympy's expand(together(a - e)) == 0 after renaming every symbol to a plain one of its name",
    "lib.display.show_source": "the object's lines cut from its file by the ast node's first (decorator) and last line numbers; the whole file for a module; TypeError for objects without source",
    "lib.plots.series_style": "the documented cycle typed out again (Okabe-Ito colours, line styles, markers, repeating after 7) and markevery = max(1, n // 10) above 12 points",
    "lib.plots.course_cycler": "the documented cycle typed out again (seven colours, line styles and markers)",
    "lib.plots.course_rc": "the documented settings typed out again",
    "lib.plots.course_style": "the rcParams inside and after the block compared with the typed settings and with the ones before",
    "lib.plots.use_course_style": "the rcParams after the call compared with the typed settings",
}
_FIGURE = ("a drawing; what it must show is checked in tests/test_plots.py (palette, styles, "
           "labels) and its numbers come from functions tested here and in the other "
           "differential files")  # fmt: skip
_WIDGET = ("an interactive widget: its figure is drawn by a lib.plots function and its "
           "numbers come from functions compared in the differential files; tests of the "
           "widget itself are in the notebook tests")  # fmt: skip
# Function -> why it has no reference.
NO_REFERENCE: dict[str, str] = {
    **{f"lib.plots.{name}": _FIGURE for name in (
        "draw_bipartite_matching", "draw_optimal_matching", "draw_example_sensitivity",
        "draw_coordination_statics", "draw_value_of_coordination", "draw_training_curves",
        "draw_residuals")},
    # A real case (bar heights against a plain count) costs 80 ms an input: 200
    # of them would take this file past its minute.
    "lib.plots.draw_ratio_histogram": (
        "a drawing; its numbers are lib.matching.random_order_ratios (compared with a "
        "plain-Python greedy in tests/test_differential.py) binned by matplotlib; what it "
        "must show is checked in tests/test_plots.py (palette, styles, labels)"),
    **{f"lib.widgets.{name}": _WIDGET for name in (
        "capacity_explorer", "example_explorer", "coordination_explorer",
        "coordination_value_explorer", "training_explorer", "online_explorer")},
}  # fmt: skip

COUNTS: Counter = Counter()
CASES: dict[str, tuple[Any, Callable[..., None], str, int, int]] = {}


def case(name: str, strategy: Any, agrees: str, *, input_space: int | None = None,
         n_inputs: int = N_INPUTS) -> Callable:  # fmt: skip
    """Register ``check(*args)`` for ``name``. ``input_space`` is the number of
    valid inputs when there are fewer than MIN_INPUTS (all are then checked);
    ``n_inputs`` lowers the draws of a slow case (never below MIN_INPUTS)."""

    def register(check: Callable[..., None]) -> Callable[..., None]:
        required = min(MIN_INPUTS, input_space or MIN_INPUTS)
        CASES[name] = (strategy, check, agrees, required, max(n_inputs, MIN_INPUTS))
        return check

    return register


# ============================================================ shared helpers

# Powers of two from 2**-996 to 2**996: small integers times one of them add
# up exactly, so an exact rational reference has no rounding to disagree on.
POW2_SCALES = [2.0**-996, 2.0**-500, 2.0**-40, 2.0**-20, 1.0, 2.0**20, 2.0**40, 2.0**500, 2.0**996]
CAPACITIES = [0, 1, 2, 2**62]


def Fx(x: Any) -> Fraction:
    return Fraction(x) if isinstance(x, (int, Fraction)) else Fraction(float(x))


@st.composite
def small_int_matrices(draw, rows=(1, 4), cols=(1, 3), low=-2, high=4, scales=POW2_SCALES):
    n, m = draw(st.integers(*rows)), draw(st.integers(*cols))
    scale = draw(st.sampled_from(scales))
    values = [draw(st.integers(low, high)) for _ in range(n * m)]
    return np.array(values, dtype=float).reshape(n, m) * scale, scale


def best_total(scores: np.ndarray, tasks, capacity) -> Fraction:
    """Best exact total over every assignment of ``tasks`` within capacities."""
    sub = scores[list(tasks)] if tasks else np.zeros((0, scores.shape[1]))
    if not len(sub):
        return Fraction(0)
    return max(exact_total(sub, c) for c in enumerate_assignments(len(sub), sub.shape[1], capacity))


def best_choice(scores: np.ndarray, tasks, capacity) -> list[tuple[int, int]]:
    """An optimal assignment of ``tasks`` (the first in enumeration order), as pairs."""
    tasks = list(tasks)
    if not tasks:
        return []
    sub = scores[tasks]
    choices = enumerate_assignments(len(tasks), scores.shape[1], capacity)
    best = max(choices, key=lambda c: exact_total(sub, c))
    return [(tasks[k], j) for k, j in enumerate(best) if j >= 0]


def assert_matching(pairs, n_tasks: int, capacity, tasks=None) -> None:
    load = Counter(j for _, j in pairs)
    assert len({i for i, _ in pairs}) == len(pairs)
    assert all(load[j] <= capacity[j] for j in load)
    if tasks is not None:
        assert {i for i, _ in pairs} <= set(tasks)


def pairs_total(scores: np.ndarray, pairs) -> Fraction:
    return sum((Fx(scores[i, j]) for i, j in pairs), Fraction(0))


# ============================================================ assignment_algorithms


def _solve2(r1, c1, r2, c2):
    det = r1[0] * r2[1] - r1[1] * r2[0]
    if det == 0:
        return None
    return ((c1 * r2[1] - c2 * r1[1]) / det, (r1[0] * c2 - r2[0] * c1) / det)


@st.composite
def polygons(draw):
    k = draw(st.integers(0, 2))
    a_scale, x_scale = draw(st.sampled_from(POW2_SCALES[2:-2])), draw(st.sampled_from(POW2_SCALES[2:-2]))
    # One row with two positive coefficients bounds the region; b >= 0 keeps 0 feasible.
    rows = [[draw(st.integers(1, 4)), draw(st.integers(1, 4))]]
    rows += [[draw(st.integers(-3, 4)), draw(st.integers(-3, 4))] for _ in range(k)]
    lines = draw(st.permutations([(row, draw(st.integers(0, 6))) for row in rows]))
    a = np.array([row for row, _ in lines], dtype=float) * a_scale
    b = np.array([c for _, c in lines], dtype=float) * a_scale * x_scale
    return a, b


@case("lib.assignment_algorithms.polygon_vertices", polygons(),
      "the same set of vertices (each within 1e-9 relative to the largest), in counter-"
      "clockwise order (positive turns) starting at the lexicographically smallest", n_inputs=MIN_INPUTS)  # fmt: skip
def check_polygon_vertices(a, b):
    lines = [([Fx(x) for x in row], Fx(c)) for row, c in zip(a.tolist(), b.tolist())]
    lines += [([Fraction(-1), Fraction(0)], Fraction(0)), ([Fraction(0), Fraction(-1)], Fraction(0))]
    ref = set()
    for (r1, c1), (r2, c2) in itertools.combinations(lines, 2):
        x = _solve2(r1, c1, r2, c2)
        if x is not None and all(r[0] * x[0] + r[1] * x[1] <= c for r, c in lines):
            ref.add(x)
    got = alg.polygon_vertices(a, b)
    scale = max([abs(v) for p in ref for v in p] + [Fraction(0)]) or Fraction(1)
    tol = scale * Fraction(1, 10**9)
    assert len(got) == len(ref), (got, ref)
    for p in ref:
        assert any(abs(Fx(g[0]) - p[0]) <= tol and abs(Fx(g[1]) - p[1]) <= tol for g in got), (got, ref)
    assert tuple(got[0]) == min(map(tuple, got.tolist()))
    if len(got) >= 3:
        for k in range(len(got)):
            p, q, r = got[k], got[(k + 1) % len(got)], got[(k + 2) % len(got)]
            assert (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0]) > 0


@st.composite
def augmenting_cases(draw):
    scores, scale = draw(small_int_matrices())
    n, m = scores.shape
    cap = [draw(st.sampled_from(CAPACITIES)) for _ in range(m)]
    task = draw(st.integers(0, n - 1))
    placed = [i for i in range(n) if i != task and draw(st.booleans())]
    return scores, cap, placed, task


@case("lib.assignment_algorithms.best_augmenting_path", augmenting_cases(),
      "the new matching is feasible, covers only the placed tasks and the new one, and its "
      "exact total equals the brute-force optimum of those tasks; total and gain exactly the "
      "correctly rounded exact values (lib adds scores exactly); the path alternates from the "
      "new task", n_inputs=MIN_INPUTS)  # fmt: skip
def check_best_augmenting_path(scores, cap, placed, task):
    pairs = best_choice(scores, placed, cap)
    step = alg.best_augmenting_path(scores, pairs, task, cap)
    assert_matching(step.pairs, scores.shape[0], cap, placed + [task])
    ref = best_total(scores, sorted(placed + [task]), cap)
    assert pairs_total(scores, step.pairs) == ref
    assert Fx(step.total) == ref
    assert step.gain == float(ref - pairs_total(scores, pairs))
    assert step.path[0] == ("task", task)
    kinds = [k for k, _ in step.path]
    assert kinds == [("task", "worker")[k % 2] for k in range(len(kinds))]


@st.composite
def capacity_instances(draw):
    scores, _ = draw(small_int_matrices())
    cap = [draw(st.sampled_from(CAPACITIES)) for _ in range(scores.shape[1])]
    return scores, cap


@case("lib.assignment_algorithms.augmenting_path_matching", capacity_instances(),
      "the matching is feasible and its exact total, the objective and every step's total "
      "equal the brute-force optimum (of all tasks, and of tasks 0..k after step k)", n_inputs=MIN_INPUTS)  # fmt: skip
def check_augmenting_path_matching(scores, cap):
    res = alg.augmenting_path_matching(scores, cap)
    n = scores.shape[0]
    assert_matching(res.pairs, n, cap)
    ref = best_total(scores, range(n), cap)
    assert pairs_total(scores, res.pairs) == ref and Fx(res.objective) == ref
    assert len(res.steps) == n
    for k, step in enumerate(res.steps):
        assert Fx(step.total) == best_total(scores, range(k + 1), cap)


@st.composite
def bids(draw):
    scores, scale = draw(small_int_matrices(rows=(1, 3), cols=(1, 5), low=-3, high=5))
    prices = np.array([draw(st.integers(0, 4)) for _ in range(scores.shape[1])]) * scale
    eps = scale * draw(st.sampled_from([2.0**-10, 2.0**-3, 0.5, 1.0, 4.0]))
    return scores, prices, draw(st.integers(0, scores.shape[0] - 1)), eps


@case("lib.assignment_algorithms.auction_bid", bids(),
      "the same worker (first best net value); the price the exact p + best - second + eps "
      "rounded, as documented, to 12 significant digits of the largest quantity added up "
      "(exact rational rounding, then to a float: within one unit in the last place); "
      "ValueError where that is not above p (epsilon below the price's resolution)", n_inputs=MIN_INPUTS)  # fmt: skip
def check_auction_bid(scores, prices, task, eps):
    net = [Fx(s) - Fx(p) for s, p in zip(scores[task].tolist(), prices.tolist())]
    best = max(range(len(net)), key=lambda j: (net[j], -j))
    second = max((net[j] for j in range(len(net)) if j != best), default=net[best])
    exact = Fx(prices[best]) + net[best] - second + Fx(eps)
    # The terms the price adds up: s_best - s_second + p_second + eps (p_best + eps alone).
    others = [j for j in range(len(net)) if j != best]
    k = max(others, key=lambda j: (net[j], -j)) if others else None
    terms = ([Fx(prices[best]), Fx(eps)] if k is None
             else [Fx(scores[task, best]), Fx(scores[task, k]), Fx(prices[k]), Fx(eps)])  # fmt: skip
    ref = round(exact, 11 - math.floor(math.log10(max(abs(x) for x in terms))))
    if not float(ref) > prices[best]:
        with pytest.raises(ValueError, match="epsilon"):
            alg.auction_bid(scores, prices, task, eps)
        return
    worker, price = alg.auction_bid(scores, prices, task, eps)
    assert worker == best
    assert abs(Fx(price) - ref) <= abs(ref) * Fraction(1, 2**52), (price, float(ref))


@st.composite
def auctions(draw):
    scores, scale = draw(small_int_matrices(rows=(1, 4), cols=(1, 4), low=-2, high=5))
    eps = scale * draw(st.sampled_from([2.0**-4, 2.0**-3, 2.0**-2, 0.5, 1.0, 3.0]))
    return scores, eps, scale


@case("lib.assignment_algorithms.auction_assignment", auctions(),
      "a one-to-one matching of positive pairs; every task within epsilon of its best net "
      "value at the final prices (exact rationals, plus 1e-9 x scale for lib's rounding of "
      "prices); profits its best net values; total within n_tasks * epsilon of the "
      "brute-force optimum, and equal to it when the scores are integers and "
      "epsilon < 1 / n_tasks", n_inputs=MIN_INPUTS)  # fmt: skip
def check_auction_assignment(scores, eps, scale):
    res = alg.auction_assignment(scores, eps)
    n, m = scores.shape
    assert_matching(res.pairs, n, [1] * m)
    assert all(scores[i, j] > 0 for i, j in res.pairs)
    assert Fx(res.objective) == pairs_total(scores, res.pairs)
    held = dict(res.pairs)
    slack = Fx(eps) + Fx(scale) * Fraction(1, 10**9)
    for i in range(n):
        best = max([Fraction(0)] + [Fx(scores[i, j]) - Fx(res.prices[j]) for j in range(m)])
        mine = Fx(scores[i, held[i]]) - Fx(res.prices[held[i]]) if i in held else Fraction(0)
        assert best - mine <= slack, (i, best, mine)
        assert abs(Fx(res.profits[i]) - best) <= Fx(scale) * Fraction(1, 10**9)
    ref = best_total(scores, range(n), [1] * m)
    assert ref - Fx(res.objective) <= n * slack
    if eps < scale / n:  # integer multiples of scale: the auction is exact
        assert Fx(res.objective) == ref


@st.composite
def ipm_instances(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    scale = draw(st.sampled_from(EDGE_SCALES))
    scores = np.array([draw(st.integers(-2, 4)) for _ in range(n * m)], dtype=float).reshape(n, m) * scale
    cap = [draw(st.sampled_from(CAPACITIES)) for _ in range(m)]
    return scores, cap


@case("lib.assignment_algorithms.interior_point_optimum", ipm_instances(),
      "x >= 0, each task at most 1 and each worker within capacity (to 1e-7), and "
      "s . x within 1e-6 x max|s| x n_tasks of the brute-force optimum", n_inputs=MIN_INPUTS)  # fmt: skip
def check_interior_point_optimum(scores, cap):
    x = alg.interior_point_optimum(scores, cap)
    n, m = scores.shape
    assert x.shape == (n, m) and np.all(x >= 0)
    assert np.all(x.sum(axis=1) <= 1 + 1e-7)
    assert np.all(x.sum(axis=0) <= np.array(cap, dtype=float) + 1e-7)
    ref = max(math.fsum(scores[i, j] for i, j in enumerate(c) if j >= 0)
              for c in enumerate_assignments(n, m, cap))  # fmt: skip
    scale = float(np.abs(scores).max())
    got = math.fsum((scores * x).ravel())
    assert abs(got - ref) <= 1e-6 * scale * n + 1e-300, (got, ref)


# ============================================================ wages


def lp_vertices(G: np.ndarray, g: np.ndarray, E: np.ndarray, e: np.ndarray, scale: float) -> np.ndarray:
    """Every vertex of {y : G y >= g, E y = e}: each choice of tight rows of G
    (with E) whose system is regular, solved, kept when feasible. The
    coefficients are 0 and +-1, so a regular system has |det| >= 1."""
    d = G.shape[1]
    free = d - len(E)
    combos = np.array(list(itertools.combinations(range(len(G)), free)), dtype=np.int64).reshape(-1, free)
    systems = np.concatenate([np.broadcast_to(E, (len(combos), *E.shape)), G[combos]], axis=1)
    rhs = np.concatenate([np.broadcast_to(e, (len(combos), len(e))), g[combos]], axis=1)
    regular = np.abs(np.linalg.det(systems)) > 0.5
    pts = np.linalg.solve(systems[regular], rhs[regular][..., None])[..., 0]
    tol = 1e-9 * scale
    ok = np.all(pts @ G.T >= g - tol, axis=1) & np.all(np.abs(pts @ E.T - e) <= tol * d, axis=1)
    pts = pts[ok]
    _, first = np.unique(np.round(pts / scale, 9), axis=0, return_index=True)
    return pts[np.sort(first)]


def core_rows(scores: np.ndarray, extra: int = 0):
    """u_i + v_j >= s_ij and y >= 0 over y = (u, v, extra...)."""
    n, m = scores.shape
    d = n + m + extra
    rows, rhs = [], []
    for i in range(n):
        for j in range(m):
            r = np.zeros(d)
            r[i] = r[n + j] = 1.0
            rows.append(r)
            rhs.append(scores[i, j])
    rows += list(np.eye(d))
    rhs += [0.0] * d
    return np.array(rows), np.array(rhs)


@functools.lru_cache(maxsize=4096)
def _core_vertices(key: bytes, n: int, m: int) -> np.ndarray:
    s = np.frombuffer(key).reshape(n, m)
    z = float(best_total(s, range(n), [1] * m))
    G, g = core_rows(s)
    scale = max(1e-300, float(np.abs(s).max()))
    return lp_vertices(G, g, np.ones((1, n + m)), np.array([z]), scale)


def core_vertices(s: np.ndarray) -> np.ndarray:
    return _core_vertices(s.tobytes(), *s.shape)


# lib.wages works in units of the largest score: every scale, tiny to huge.
WAGE_SCALES = [1e-300, 1e-13, 2.0**-20, 1.0, 3.0, 2.0**20, 1e12, 1e150, 1e300]


@st.composite
def core_instances(draw, scales=WAGE_SCALES):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    if n * m > 6:
        m = 6 // n
    scale = draw(st.sampled_from(scales))
    scores = np.array([draw(st.integers(-1, 4)) for _ in range(n * m)], dtype=float).reshape(n, m) * scale
    return scores, scale


@case("lib.wages.optimal_dual_vertices", core_instances(),
      "the same set of vertices, each coordinate within 1e-9 x scale", n_inputs=MIN_INPUTS)  # fmt: skip
def check_optimal_dual_vertices(scores, scale):
    ref = core_vertices(scores)
    got = wg.optimal_dual_vertices(scores)
    tol = 1e-9 * scale
    assert got.shape == ref.shape, (got, ref)
    for r in ref:
        assert np.any(np.all(np.abs(got - r) <= tol, axis=1)), (got, ref)


@case("lib.wages.extreme_core_point", st.tuples(core_instances(), st.sampled_from(["workers", "tasks"])),
      "wages and task values within 1e-8 x scale of the coordinatewise best over the "
      "enumerated core vertices (largest wages for workers, smallest for tasks)", n_inputs=MIN_INPUTS)  # fmt: skip
def check_extreme_core_point(instance, side):
    scores, scale = instance
    n = scores.shape[0]
    ref = core_vertices(scores)
    got = wg.extreme_core_point(scores, side)
    u, v = (ref[:, :n].min(axis=0), ref[:, n:].max(axis=0)) if side == "workers" else (
        ref[:, :n].max(axis=0), ref[:, n:].min(axis=0))  # fmt: skip
    tol = 1e-8 * scale
    assert np.all(np.abs(got.task_values - u) <= tol), (got, u)
    assert np.all(np.abs(got.wages - v) <= tol), (got, v)


@case("lib.wages.wage_intervals", core_instances(),
      "low/high wages and task_low/task_high within 1e-8 x scale of the smallest/largest "
      "over the enumerated core vertices", n_inputs=MIN_INPUTS)  # fmt: skip
def check_wage_intervals(scores, scale):
    n = scores.shape[0]
    ref = core_vertices(scores)
    got = wg.wage_intervals(scores)
    tol = 1e-8 * scale
    for have, want in ((got.low, ref[:, n:].min(axis=0)), (got.high, ref[:, n:].max(axis=0)),
                       (got.task_low, ref[:, :n].min(axis=0)), (got.task_high, ref[:, :n].max(axis=0))):  # fmt: skip
        assert np.all(np.abs(have - want) <= tol), (have, want)


@st.composite
def nearest_instances(draw):
    scores, scale = draw(core_instances())
    wages = np.array([draw(st.integers(-1, 5)) for _ in range(scores.shape[1])], dtype=float) * scale
    return scores, wages, scale


@case("lib.wages.nearest_core_point", nearest_instances(),
      "distance within 1e-8 x scale of the enumerated LP optimum (lib's is exact, correctly "
      "rounded); the point is in the core (to the same tolerance) and its largest wage difference is the distance", n_inputs=MIN_INPUTS)  # fmt: skip
def check_nearest_core_point(scores, wages, scale):
    n, m = scores.shape
    d = n + m + 1
    G, g = core_rows(scores, extra=1)
    box = []
    for j in range(m):  # t - v_j >= -w_j and t + v_j >= w_j
        r1, r2 = np.zeros(d), np.zeros(d)
        r1[d - 1], r1[n + j] = 1.0, -1.0
        r2[d - 1], r2[n + j] = 1.0, 1.0
        box += [(r1, -wages[j]), (r2, wages[j])]
    G = np.vstack([G] + [r for r, _ in box])
    g = np.concatenate([g, [c for _, c in box]])
    z = float(best_total(scores, range(n), [1] * m))
    E = np.concatenate([np.ones(n + m), [0.0]])[None, :]
    verts = lp_vertices(G, g, E, np.array([z]), scale)
    ref = verts[:, -1].min()
    dist, point = wg.nearest_core_point(scores, wages)
    tol = 1e-8 * scale
    assert abs(dist - ref) <= tol, (dist, ref)
    u, v = point.task_values, point.wages
    assert np.all(u >= 0) and np.all(v >= 0)
    assert np.all(u[:, None] + v[None, :] >= scores - tol)
    assert abs(u.sum() + v.sum() - z) <= tol * (n + m)
    assert abs(np.abs(v - wages).max() - dist) <= tol


@st.composite
def preference_profiles(draw):
    n_p, n_r = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    prop = [draw(st.permutations(list(range(n_r))))[: draw(st.integers(0, n_r))] for _ in range(n_p)]
    recv = [draw(st.permutations(list(range(n_p))))[: draw(st.integers(0, n_p))] for _ in range(n_r)]
    return [list(x) for x in prop], [list(x) for x in recv]


def _matchings(edges, used_a=frozenset(), used_b=frozenset(), start=0):
    yield {}
    for k in range(start, len(edges)):
        a, b = edges[k]
        if a not in used_a and b not in used_b:
            for rest in _matchings(edges, used_a | {a}, used_b | {b}, k + 1):
                yield {a: b, **rest}


@case("lib.wages.stable_matchings", preference_profiles(),
      "the identical sorted list of stable matchings (each a sorted list of pairs)")  # fmt: skip
def check_stable_matchings(prop, recv):
    def rank(lst, x):
        return lst.index(x)

    edges = [(a, b) for a in range(len(prop)) for b in prop[a] if a in recv[b]]

    def stable(mt):
        owner = {b: a for a, b in mt.items()}
        for a, b in edges:
            if (a not in mt or rank(prop[a], b) < rank(prop[a], mt[a])) and (
                    b not in owner or rank(recv[b], a) < rank(recv[b], owner[b])):  # fmt: skip
                return False
        return True

    ref = sorted(sorted(mt.items()) for mt in _matchings(edges) if stable(mt))
    assert wg.stable_matchings(prop, recv) == ref


# ============================================================ _validate

INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOAT_TYPES = [np.float16, np.float32, np.float64, np.longdouble]


@st.composite
def integers_of_every_width(draw):
    t = draw(st.sampled_from([int] + INT_TYPES))
    if t is int:
        return draw(st.one_of(st.integers(-(2**70), 2**70), st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**62])))
    info = np.iinfo(t)
    return t(draw(st.one_of(st.integers(int(info.min), int(info.max)), st.sampled_from([int(info.min), int(info.max), 0]))))


@st.composite
def reals_of_every_kind(draw):
    kind = draw(st.sampled_from(["int", "float", "npfloat", "fraction", "edge"]))
    if kind == "int":
        return draw(integers_of_every_width())
    if kind == "float":
        return draw(st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                              st.sampled_from([1e-300, -1e-300, 1e300, 5e-324, 0.0, -0.0, 2.0**62])))  # fmt: skip
    if kind == "npfloat":
        t = draw(st.sampled_from(FLOAT_TYPES))
        return t(draw(st.floats(-6e4, 6e4, allow_nan=False, width=16 if t is np.float16 else 32)))
    if kind == "fraction":
        return Fraction(draw(st.integers(-(10**20), 10**20)), draw(st.integers(1, 10**20)))
    return draw(st.sampled_from([Fraction(10**400), Fraction(2**60 + 1), Fraction(7, 1), float("nan"),
                                 float("inf"), -float("inf"), np.float32("nan"), np.longdouble("1e400"),
                                 10**400, -(10**400), np.float16(65504)]))  # fmt: skip


NOT_NUMBERS = ["1", b"1", None, 1j, np.complex128(1), Decimal("1.5"), [1], (1,), {}, object(), np.str_("1")]
BOOLS = [True, False, np.True_, np.False_]


def exact_value(v: Any) -> Fraction | None:
    """The exact value of a real number, None for NaN/inf."""
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, Fraction):
        return v
    f = v.as_integer_ratio() if np.isfinite(v) else None
    return Fraction(*f) if f else None


def maybe_0d(draw, v):
    return np.asarray(v) if draw(st.booleans()) and not isinstance(v, (Fraction, int)) else v


def expect_error(kind, name, func, *args, **kwargs):
    with pytest.raises(kind) as info:
        func(*args, **kwargs)
    assert type(info.value) is kind, info.value
    assert name in str(info.value), (name, info.value)


def nearest_float(x: Fraction) -> float | None:
    try:
        return x.numerator / x.denominator
    except OverflowError:
        return None


@st.composite
def integer_args(draw):
    v = draw(st.one_of(integers_of_every_width(), reals_of_every_kind(), st.sampled_from(NOT_NUMBERS + BOOLS)))
    v = maybe_0d(draw, v)
    lo = draw(st.sampled_from([None, -5, 0, 1, 2**62]))
    hi = draw(st.sampled_from([None, 0, 10, 2**62, 2**63 - 1]))
    return v, lo, hi, draw(st.booleans())


@case("lib._validate.as_integer", integer_args(),
      "the same exact Python int, or the same exception class naming the argument")  # fmt: skip
def check_as_integer(v, lo, hi, whole):
    x = v[()] if isinstance(v, np.ndarray) else v
    name = "n_things"
    kw = dict(minimum=lo, maximum=hi, allow_whole_float=whole)
    if isinstance(x, (bool, np.bool_)):
        return expect_error(TypeError, name, val.as_integer, v, name, **kw)
    if isinstance(x, (int, np.integer)):
        n = int(x)
    elif whole and isinstance(x, (float, np.floating, Fraction)):
        e = exact_value(x)
        if e is None or e.denominator != 1:
            return expect_error(ValueError, name, val.as_integer, v, name, **kw)
        n = int(e)
    else:
        return expect_error(TypeError, name, val.as_integer, v, name, **kw)
    if not -(2**63) <= n < 2**63 or (lo is not None and n < lo) or (hi is not None and n > hi):
        return expect_error(ValueError, name, val.as_integer, v, name, **kw)
    out = val.as_integer(v, name, **kw)
    assert type(out) is int and out == n


@st.composite
def real_args(draw):
    v = maybe_0d(draw, draw(st.one_of(reals_of_every_kind(), st.sampled_from(NOT_NUMBERS + BOOLS))))
    lo = draw(st.sampled_from([None, -1.0, 0.0, 1e-300, 1.0]))
    hi = draw(st.sampled_from([None, 0.0, 1.0, 1e300]))
    return v, lo, hi, draw(st.booleans()), draw(st.booleans()), draw(st.booleans())


def _real_rule(v, lo, hi, inc_lo, inc_hi, inf_ok, func, *args, **kw):
    x = v[()] if isinstance(v, np.ndarray) else v
    name = "step_size"
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, Fraction, np.integer, np.floating)):
        return expect_error(TypeError, name, func, v, name, *args, **kw)
    e = exact_value(x)
    if e is None:  # NaN or infinite
        if isinstance(x, (float, np.floating)) and np.isinf(x) and inf_ok:
            f = float(x)
        else:
            return expect_error(ValueError, name, func, v, name, *args, **kw)
    else:
        f = nearest_float(e)
        if f is None and isinstance(x, np.floating):
            f = float(x)  # a numpy float beyond 1.8e308 reads as infinite
        if f is None or (math.isinf(f) and not inf_ok):
            return expect_error(ValueError, name, func, v, name, *args, **kw)
    if (lo is not None and (f < lo or (f == lo and not inc_lo))) or (
            hi is not None and (f > hi or (f == hi and not inc_hi))):  # fmt: skip
        return expect_error(ValueError, name, func, v, name, *args, **kw)
    out = func(v, name, *args, **kw)
    assert type(out) is float and (out == f or (f == 0 and out == 0)), (out, f)


@case("lib._validate.as_real", real_args(),
      "the correctly rounded float of the exact value (Fraction(out) == Fraction(in) when "
      "it is a float), or the same exception class naming the argument")  # fmt: skip
def check_as_real(v, lo, hi, inc_lo, inc_hi, inf_ok):
    _real_rule(v, lo, hi, inc_lo, inc_hi, inf_ok, val.as_real, minimum=lo, maximum=hi,
               include_minimum=inc_lo, include_maximum=inc_hi, allow_infinity=inf_ok)  # fmt: skip


@st.composite
def probability_args(draw):
    v = draw(st.one_of(reals_of_every_kind(), st.floats(0, 1), st.sampled_from([0, 1, 0.0, 1.0, np.float32(1), Fraction(1, 3)] + NOT_NUMBERS + BOOLS)))
    return maybe_0d(draw, v), draw(st.booleans()), draw(st.booleans())


@case("lib._validate.as_probability", probability_args(),
      "the float of as_real's rule in [0, 1] with the chosen ends, or the same exception class")
def check_as_probability(v, inc0, inc1):
    _real_rule(v, 0.0, 1.0, inc0, inc1, False, val.as_probability, include_zero=inc0, include_one=inc1)


@case("lib._validate.as_bool", st.sampled_from(BOOLS + [np.array(True), np.array(False), 0, 1, 0.0, "yes", "", None, [True], np.array([True]), np.int8(1)]).flatmap(lambda x: st.tuples(st.just(x), st.sampled_from(["normalize", "flag"]))),
      "the same bool, or TypeError naming the argument", input_space=16)  # fmt: skip
def check_as_bool(v, name):
    x = v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v
    if isinstance(x, (bool, np.bool_)):
        out = val.as_bool(v, name)
        assert type(out) is bool and out == bool(x)
    else:
        expect_error(TypeError, name, val.as_bool, v, name)


CHOICE_SETS = [("auto", "lp", "assignment"), ("workers", "tasks"), (1, 2, 3), (True, False)]


@st.composite
def choice_args(draw):
    choices = draw(st.sampled_from(CHOICE_SETS))
    v = draw(st.one_of(st.sampled_from(list(choices)), st.text(max_size=6),
                       st.sampled_from(["LP", "auto ", np.str_("lp"), np.str_("tasks"), 1, 2.0, 0, None, True, np.int64(2)])))  # fmt: skip
    return v, choices


@case("lib._validate.as_choice", choice_args(),
      "the matching choice itself (a Python str for numpy strings), or the same exception class naming the argument")
def check_as_choice(v, choices):
    x = str(v) if isinstance(v, np.str_) else v
    kinds = {type(c) for c in choices}
    right_kind = any(isinstance(x, k) for k in kinds) and (
        not isinstance(x, bool) or any(isinstance(c, bool) for c in choices))  # fmt: skip
    if not right_kind:
        return expect_error(TypeError, "method", val.as_choice, v, "method", choices)
    hits = [c for c in choices if c == x]
    if not hits:
        return expect_error(ValueError, "method", val.as_choice, v, "method", choices)
    out = val.as_choice(v, "method", choices)
    assert out is hits[0] or (out == hits[0] and type(out) is type(hits[0]))


@st.composite
def entries(draw):
    """A finite real of a kind numpy reads into a float or integer array."""
    kind = draw(st.sampled_from(["int", "float", "f32", "frac"]))
    if kind == "int":
        return draw(st.integers(-(2**62), 2**62))
    if kind == "float":
        return draw(st.one_of(st.floats(-1e300, 1e300, allow_nan=False), st.sampled_from([1e-300, 5e-324, -0.0])))
    if kind == "f32":
        return np.float32(draw(st.floats(-(2.0**100), 2.0**100, width=32, allow_nan=False)))
    return Fraction(draw(st.integers(-(10**6), 10**6)), draw(st.integers(1, 10**6)))


@st.composite
def array_inputs(draw, ndim):
    shape = tuple(draw(st.integers(0 if ndim == 1 else 0, 3)) for _ in range(ndim))
    form = draw(st.sampled_from(["list", "array", "array", "bad"]))
    size = int(np.prod(shape))
    if form == "array":
        dtype = draw(st.sampled_from(INT_TYPES + [np.float16, np.float32, np.float64, bool]))
        if dtype is bool:
            flat = [draw(st.booleans()) for _ in range(size)]
        elif np.dtype(dtype).kind == "f":
            flat = [draw(st.floats(-1e4, 1e4, width=16)) for _ in range(size)]
        else:
            info = np.iinfo(dtype)
            flat = [draw(st.integers(int(info.min), int(info.max))) for _ in range(size)]
        value = np.array(flat, dtype=dtype).reshape(shape)
        if draw(st.booleans()):
            value = np.ma.masked_array(value, mask=np.zeros(shape, bool))
        return value
    kind = draw(st.sampled_from(["all_ints", "mixed"]))
    if kind == "all_ints":
        flat = [draw(st.integers(-(2**62), 2**62)) for _ in range(size)]
    else:
        flat = [draw(entries()) for _ in range(size)]
    if form == "bad" and size:
        k = draw(st.integers(0, size - 1))
        flat[k] = draw(st.sampled_from([float("nan"), float("inf"), "x", None, 1j]))
    value = np.empty(shape, dtype=object)
    for idx, x in zip(np.ndindex(*shape), flat):
        value[idx] = x
    value = value.tolist()
    other = draw(st.sampled_from(["none", "1d", "3d", "ragged", "masked", "string", "keep", "keep", "keep", "keep"]))
    if other == "none":
        return None
    if other == "string":
        return "1, 2"
    if other == "1d":
        return [1.0, 2.0]
    if other == "3d":
        return [[[1.0]]]
    if other == "ragged":
        return [[1.0, 2.0], [3.0]] if ndim == 2 else [[1.0, 2.0], [3.0]]
    if other == "masked":
        return np.ma.masked_array([[1.0, 2.0]] if ndim == 2 else [1.0, 2.0], mask=[[False, True]] if ndim == 2 else [False, True])
    return value


def _array_rule(value, ndim: int, name: str):
    """The documented rule: ('ok', exact entries) or the exception class."""
    if value is None or isinstance(value, (str, bytes)):
        return TypeError
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.is_masked(value):
            return ValueError
        value = value.data
    if isinstance(value, np.ndarray):
        arr = value
        flat = [x.item() if hasattr(x, "item") else x for x in arr.ravel()]
        shape = arr.shape
    else:
        # nested lists: ragged ones are refused
        def shape_of(x):
            if isinstance(x, list):
                subs = [shape_of(y) for y in x]
                if any(s != subs[0] for s in subs) or any(s is None for s in subs):
                    return None
                return (len(x),) + (subs[0] if subs else ())
            return ()

        shape = shape_of(value)
        if shape is None:
            return ValueError

        def leaves(x):
            return [z for y in x for z in leaves(y)] if isinstance(x, list) else [x]

        flat = leaves(value)
    if any(isinstance(x, str) or x is None or isinstance(x, complex) for x in flat):
        return TypeError
    if len(shape) != ndim:
        return ValueError
    exact = []
    for x in flat:
        e = exact_value(x) if not isinstance(x, bool) else Fraction(int(x))
        if e is None:
            return ValueError
        exact.append(e)
    return shape, exact


def _compare_array(out, shape, exact, value):
    assert type(out) is np.ndarray and out.dtype == np.float64 and out.shape == shape
    assert [float(x) for x in out.ravel()] == [nearest_float(e) for e in exact]
    if isinstance(value, np.ndarray):
        assert not np.shares_memory(out, value)


@case("lib._validate.as_real_matrix", array_inputs(2).map(lambda x: (x,)),
      "a fresh float64 array of the same shape whose entries are the correctly rounded "
      "exact values, or the same exception class naming the argument")  # fmt: skip
def check_as_real_matrix(value):
    rule = _array_rule(value, 2, "X")
    if isinstance(rule, type):
        return expect_error(rule, "X", val.as_real_matrix, value, "X")
    shape, exact = rule
    if 0 in shape:
        return expect_error(ValueError, "X", val.as_real_matrix, value, "X")
    _compare_array(val.as_real_matrix(value, "X"), shape, exact, value)


@st.composite
def vector_args(draw):
    return draw(array_inputs(1)), draw(st.sampled_from([None, 0, 1, 2, 3])), draw(st.booleans())


@case("lib._validate.as_real_vector", vector_args(),
      "a fresh float64 vector whose entries are the correctly rounded exact values, or "
      "the same exception class naming the argument")  # fmt: skip
def check_as_real_vector(value, length, allow_empty):
    rule = _array_rule(value, 1, "weights")
    kw = dict(length=length, allow_empty=allow_empty)
    if isinstance(rule, type):
        return expect_error(rule, "weights", val.as_real_vector, value, "weights", **kw)
    shape, exact = rule
    if (shape[0] == 0 and not allow_empty) or (length is not None and shape[0] != length):
        return expect_error(ValueError, "weights", val.as_real_vector, value, "weights", **kw)
    _compare_array(val.as_real_vector(value, "weights", **kw), shape, exact, value)


@st.composite
def capacity_args(draw):
    n = draw(st.integers(0, 4))
    entry = st.one_of(
        st.integers(0, 2**62), st.sampled_from([0, 1, 2**62, 2**63 - 1, 2**63, -1, 2.0, 2.0**62, 2.0**63, 1.5, float("nan"), float("inf")]),
        integers_of_every_width(),
    )  # fmt: skip
    form = draw(st.sampled_from(["list", "list", "scalar", "none", "array", "bools", "wrong_length", "2d"]))
    if form == "none":
        return None, n
    if form == "scalar":
        return maybe_0d(draw, draw(entry)), n
    if form == "bools":
        return [True] * n, n
    if form == "2d":
        return [[1] * n], n
    length = n + 1 if form == "wrong_length" else n
    values = [draw(entry) for _ in range(length)]
    if form == "array":
        t = draw(st.sampled_from(INT_TYPES + [np.float64]))
        if np.dtype(t).kind in "iu":
            info = np.iinfo(t)
            values = [draw(st.integers(max(0, int(info.min)), int(info.max))) for _ in range(length)]
        else:
            values = [float(draw(st.integers(0, 2**53))) for _ in range(length)]
        return np.array(values, dtype=t), n
    return values, n


@case("lib._validate.as_capacity_vector", capacity_args(),
      "a fresh int64 vector of the exact capacities, or the same exception class naming capacity")
def check_as_capacity_vector(value, n):
    f = val.as_capacity_vector
    if value is None:
        out = f(value, n)
        assert out.dtype == np.int64 and out.tolist() == [1] * n
        return
    x = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        items = [x] * n
    elif isinstance(x, list) and any(isinstance(y, list) for y in x):
        return expect_error(ValueError, "capacity", f, value, n)
    else:
        items = list(x)
    if items and all(isinstance(y, (bool, np.bool_)) for y in items):
        return expect_error(TypeError, "capacity", f, value, n)
    if len(items) != n:
        return expect_error(ValueError, "capacity", f, value, n)
    exact = []
    for y in items:
        if isinstance(y, (float, np.floating)) and not np.isfinite(y):
            return expect_error(ValueError, "capacity", f, value, n)
        exact.append(exact_value(y))
    # A list mixing floats with integers is read as floats: the capacities are then floats.
    if any(isinstance(y, (float, np.floating)) for y in items) and isinstance(value, list):
        exact = [Fraction(nearest_float(e)) if abs(e) < 2**1000 else e for e in exact]
    if any(e < 0 for e in exact) or any(e.denominator != 1 for e in exact) or any(e >= 2**63 for e in exact):
        return expect_error(ValueError, "capacity", f, value, n)
    out = f(value, n)
    assert out.dtype == np.int64 and [Fraction(int(o)) for o in out] == exact
    if isinstance(value, np.ndarray):
        assert not np.shares_memory(out, value)


@st.composite
def index_args(draw):
    size = draw(st.integers(1, 6))
    form = draw(st.sampled_from(["list", "list", "array", "floats", "bools", "2d", "empty"]))
    n = draw(st.integers(0, 5))
    if form == "empty":
        return [], size
    if form == "floats":
        return [float(draw(st.integers(0, size - 1))) for _ in range(max(n, 1))], size
    if form == "bools":
        return np.array([draw(st.booleans()) for _ in range(max(n, 1))]), size
    if form == "2d":
        return [[0] * max(n, 1)], size
    values = [draw(st.one_of(st.integers(0, size - 1), st.sampled_from([-1, size, 2**62]))) for _ in range(n)]
    if form == "array":
        return np.array(values, dtype=np.int64), size
    return [draw(st.sampled_from([int, np.int16, np.uint8, np.int64]))(v) if 0 <= v < 128 else v for v in values], size


@case("lib._validate.as_index_vector", index_args(),
      "a fresh int64 vector of the exact indices, or the same exception class naming the argument")
def check_as_index_vector(value, size):
    f = val.as_index_vector
    items = value.tolist() if isinstance(value, np.ndarray) else value
    if items and any(isinstance(y, list) for y in items):
        return expect_error(ValueError, "order", f, value, "order", size)
    if items and any(isinstance(y, (bool, float)) for y in items):
        return expect_error(TypeError, "order", f, value, "order", size)
    ints = [int(y) for y in items]
    if any(not 0 <= y < size for y in ints):
        return expect_error(ValueError, "order", f, value, "order", size)
    out = f(value, "order", size)
    assert out.dtype == np.int64 and out.tolist() == ints


@st.composite
def pair_args(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    k = draw(st.integers(0, 4))
    idx = st.one_of(st.integers(-1, 5), st.sampled_from([np.int64(1), np.uint8(0), np.int32(2), 1.0, True, "0", None]))
    pairs = [draw(st.sampled_from([tuple, list]))((draw(idx), draw(idx))) for _ in range(k)]
    if draw(st.integers(0, 9)) == 0:
        pairs.append(draw(st.sampled_from([(1,), (0, 0, 0), "01", 3])))
    return (draw(st.sampled_from([None, "x", 5])) if draw(st.integers(0, 19)) == 0 else pairs), n, m


@case("lib._validate.as_pair_list", pair_args(),
      "the same pairs as Python int tuples in order, or the same exception class naming pairs")
def check_as_pair_list(pairs, n, m):
    f = val.as_pair_list
    if pairs is None or isinstance(pairs, (str, int)):
        return expect_error(TypeError, "pairs", f, pairs, n, m)
    out = []
    for p in pairs:
        if isinstance(p, (str, int)) or len(p) != 2:
            return expect_error(TypeError, "pairs", f, pairs, n, m)
        got = []
        for v, size in zip(p, (n, m)):
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
                return expect_error(TypeError, "pairs", f, pairs, n, m)
            if not 0 <= int(v) < size:
                return expect_error(ValueError, "pairs", f, pairs, n, m)
            got.append(int(v))
        out.append(tuple(got))
    res = f(pairs, n, m)
    assert res == out and all(type(a) is int and type(b) is int for a, b in res)


@st.composite
def label_args(draw):
    kind = draw(st.sampled_from(["str", "num", "mixed", "nan", "nested", "none", "array_str", "array_num", "array_nan", "notseq"]))
    k = draw(st.integers(0, 5))
    if kind == "str":
        return [draw(st.sampled_from(["a", "B-PER", "O", "1", np.str_("x")])) for _ in range(k)]
    if kind == "num":
        return [draw(st.sampled_from([0, 1, 2.5, np.int64(3), np.float32(0.5), True, Fraction(1, 2)])) for _ in range(k)]
    if kind == "mixed":
        return [1, "1"] + [draw(st.sampled_from(["a", 2])) for _ in range(k)]
    if kind == "nan":
        return [0.0] * k + [float("nan")]
    if kind == "nested":
        return [["a"], ["b"]]
    if kind == "none":
        return ["a", None]
    if kind == "array_str":
        return np.array(["a", "b", "c"][: max(k, 1)])
    if kind == "array_num":
        return np.arange(k)
    if kind == "array_nan":
        return np.array([1.0, np.nan])
    return draw(st.sampled_from(["abc", 5, None]))


@case("lib._validate.as_label_sequence", label_args().map(lambda x: (x,)),
      "an equal list of Python (not numpy) labels, or the same exception class naming the argument")
def check_as_label_sequence(values):
    f = val.as_label_sequence
    if values is None or isinstance(values, (str, int)):
        return expect_error(TypeError, "y_true", f, values, "y_true")
    items = [x.item() if isinstance(x, np.generic) else x for x in values]
    if any(isinstance(x, (list, np.ndarray)) or x is None for x in items):
        return expect_error(TypeError, "y_true", f, values, "y_true")
    if any(isinstance(x, float) and math.isnan(x) for x in items):
        return expect_error(ValueError, "y_true", f, values, "y_true")
    if any(isinstance(x, str) for x in items) and not all(isinstance(x, str) for x in items):
        return expect_error(TypeError, "y_true", f, values, "y_true")
    out = f(values, "y_true")
    assert out == items and all(not isinstance(x, np.generic) for x in out)


@case("lib._validate.as_arrival_order",
      st.integers(0, 5).flatmap(lambda n: st.tuples(
          st.one_of(st.none(), st.permutations(list(range(n))),
                    st.lists(st.integers(-1, n), max_size=n + 1),
                    st.permutations(list(range(n))).map(lambda p: iter(p)),
                    st.permutations(list(range(n))).map(lambda p: [float(v) for v in p]),
                    st.permutations(list(range(n))).map(lambda p: np.array(p, dtype=np.int8))),
          st.just(n))),
      "None gives 0..n-1; a permutation of 0..n-1 (any integer width, list, array or iterator) comes back "
      "as Python ints in order; anything else ValueError naming order, floats TypeError (empty floats "
      "for n = 0 read as no index)")  # fmt: skip
def check_as_arrival_order(value, n):
    if value is None:
        assert val.as_arrival_order(value, n) == list(range(n))
        return
    items = list(value)
    given = iter(items) if not isinstance(value, (list, np.ndarray)) else value
    if any(isinstance(v, float) for v in items):
        expect_error(TypeError, "order", val.as_arrival_order, given, n)
    elif sorted(int(v) for v in items) == list(range(n)):
        out = val.as_arrival_order(given, n)
        assert out == [int(v) for v in items] and all(type(v) is int for v in out)
    else:
        expect_error(ValueError, "order", val.as_arrival_order, given, n)


@case("lib._validate.as_seed",
      st.one_of(st.integers(-2**64, 2**64), st.sampled_from([0, 1, 2**63 - 1, 2**63, -1])
                .flatmap(lambda k: st.sampled_from([k, np.int64(k) if -2**63 <= k < 2**63 else k])),
                st.sampled_from([None, True, False, 1.0, 0.5, "1", b"1", np.float32(2), np.array(3), np.array(-3),
                                 np.uint8(7), np.int8(-7), np.random.RandomState(0), [1]]),
                st.integers(0, 10).map(np.random.default_rng)).map(lambda x: (x,)),
      "an integer k >= 0 (0-d arrays unwrapped) draws the same 8 numbers as Generator(PCG64(k)); a Generator is "
      "returned itself; None/bool/float/str/bytes/RandomState/list TypeError naming seed; k < 0 or k >= 2**63 ValueError")  # fmt: skip
def check_as_seed(value):
    raw = value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value
    if isinstance(raw, np.random.Generator):
        assert val.as_seed(value) is raw
    elif isinstance(raw, (bool, np.bool_)) or not isinstance(raw, (int, np.integer)):
        expect_error(TypeError, "seed", val.as_seed, value)
    elif not 0 <= int(raw) < 2**63:
        expect_error(ValueError, "seed", val.as_seed, value)
    else:
        reference = np.random.Generator(np.random.PCG64(int(raw))).random(8)
        assert np.array_equal(val.as_seed(value).random(8), reference)


@case("lib._validate.check_size",
      st.tuples(st.one_of(st.integers(0, 2**62), st.floats(0, 1e300), st.sampled_from([0, 2**62, 1e300, 300_000, 300_000.0])),
                st.one_of(st.integers(0, 2**62), st.sampled_from([300_000, 2_000_000, 1e300]))),
      "None exactly when count <= limit (exact rationals), otherwise ValueError naming what is counted")  # fmt: skip
def check_check_size(count, limit):
    if Fx(count) > Fx(limit):
        expect_error(ValueError, "assignments to enumerate", val.check_size, count, limit,
                     "assignments to enumerate", "use solve_matching")  # fmt: skip
    else:
        assert val.check_size(count, limit, "assignments to enumerate", "use solve_matching") is None


# ============================================================ checks


@functools.cache
def independent_references() -> dict[str, Any]:
    import test_checks  # its INDEPENDENT table uses tests/part*_references.py

    return {label: test_checks.INDEPENDENT[label]() for label in _independent_labels()}


# Each of these references takes seconds (SLSQP, scikit-learn, seqeval);
# tests/test_checks.py compares them with the checks.
SLOW_REFERENCES = {"ex-coord-cheaper-support", "ex-coord-multiplier", "ex-ls-test-mse", "ex-report-entity-f1"}


def _check_space() -> list[tuple[str, str, float]]:
    kinds = {e.label: e.answer_type for e in chk.exercises()}
    labels = sorted(label for label in _independent_labels() if kinds.get(label) in ("number", "boolean"))
    forms = ["float", "float64", "float32", "fraction", "sympy_rational", "sympy_float", "int"]
    nudges = [0.0, 2.0**-40, -(2.0**-40)]
    return [(label, form, nudge) for label in labels for form in forms for nudge in nudges]


def _independent_labels() -> list[str]:
    source = (ROOT / "tests" / "test_checks.py").read_text(encoding="utf-8")
    block = source[source.index("INDEPENDENT = {"):]
    block = block[: block.index("}  # fmt: skip")]
    return sorted(set(re.findall(r'^\s*"(ex-[\w-]+)":', block, re.M)) - SLOW_REFERENCES)


def _answer(value: Any, form: str, nudge: float) -> Any:
    if isinstance(value, bool):
        return value if form in ("float", "int") else np.bool_(value)
    x = float(value) * (1 + nudge)
    if form == "int":
        return int(x) if x.is_integer() else x
    if form == "float64":
        return np.float64(x)
    if form == "float32":
        return np.float32(x)
    if form == "fraction":
        return Fraction(x)
    if form == "sympy_rational":
        q = Fraction(x)
        return sp.Rational(q.numerator, q.denominator)
    if form == "sympy_float":
        return sp.Float(x)
    return x


CHECK_SPACE = _check_space()


@case("lib.checks.check", st.sampled_from(CHECK_SPACE),
      "status 'correct' for the independent value in every numeric form (and nudged by "
      "2**-40 relative, far inside every stated precision)", input_space=len(CHECK_SPACE))  # fmt: skip
def check_check(label, form, nudge):
    ref = independent_references()[label]
    answer = _answer(ref, form, nudge)
    result = chk.check(label, answer, seed=0)
    assert result.correct, (label, form, answer, result)


def registered_labels() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "lib" / "checks").glob("p*.py")):
        out += re.findall(r'register_(\w+)\(\s*"(ex-[\w-]+)"', path.read_text(encoding="utf-8"))
    return out


@case("lib.checks.exercise_labels", st.just(()), "the identical sorted list of registered labels",
      input_space=1)  # fmt: skip
def check_exercise_labels():
    assert chk.exercise_labels() == sorted(label for _, label in registered_labels())


@case("lib.checks.exercises", st.just(()),
      "one Exercise per registered label (the same multiset of labels)", input_space=1)
def check_exercises():
    assert sorted(e.label for e in chk.exercises()) == sorted(label for _, label in registered_labels())


INDEPENDENT_LABELS = _independent_labels()


@case("lib.checks.expected", st.sampled_from(INDEPENDENT_LABELS).map(lambda x: (x,)),
      "equal to the independent value (bools identical; numbers within 1e-7 relative, "
      "or the Monte-Carlo and finite-difference tolerances of tests/test_checks.py)",
      input_space=len(INDEPENDENT_LABELS))  # fmt: skip
def check_expected(label):
    import test_checks

    ref = independent_references()[label]
    value = chk.expected(label)
    if isinstance(ref, bool):
        assert bool(value) is ref
        return
    tol = test_checks.REFERENCE_TOLERANCE.get(label, 1e-7 * max(1.0, abs(ref)))
    assert abs(float(value) - ref) <= tol, (label, value, ref)


ANYTHING = st.one_of(st.none(), st.just(...), st.integers(), st.floats(), st.text(max_size=4), st.booleans(),
                     st.sampled_from([[], [...], (None,), "...", np.array(None, dtype=object), np.nan, 0, Ellipsis, type(...), "None"]),
                     st.lists(st.integers(), max_size=2))  # fmt: skip


@case("lib.checks.is_placeholder", ANYTHING.map(lambda x: (x,)), "the same bool as `x is ... or x is None`")
def check_checks_is_placeholder(x):
    assert chk.is_placeholder(x) is (x is Ellipsis or x is None)


@case("lib.checks._core.is_placeholder", ANYTHING.map(lambda x: (x,)), "the same bool as `x is ... or x is None`")
def check_core_is_placeholder(x):
    assert core.is_placeholder(x) is (x is Ellipsis or x is None)


@st.composite
def real_answers(draw):
    kind = draw(st.sampled_from(["int", "npint", "float", "npfloat", "fraction", "decimal", "sp_int",
                                 "sp_rat", "sp_float", "array", "bad", "bool"]))  # fmt: skip
    if kind == "int":
        return draw(st.integers(-(10**30), 10**30)), draw(st.booleans())
    if kind == "npint":
        return draw(integers_of_every_width()), False
    if kind == "float":
        return draw(st.floats(allow_nan=False, allow_infinity=False)), False
    if kind == "npfloat":
        return draw(st.sampled_from([np.float16, np.float32, np.float64]))(draw(st.floats(-6e4, 6e4, width=16))), False
    if kind == "fraction":
        return Fraction(draw(st.integers(-(10**9), 10**9)), draw(st.integers(1, 10**9))), False
    if kind == "decimal":
        return Decimal(draw(st.integers(-(10**9), 10**9))).scaleb(draw(st.integers(-20, 5))), False
    if kind == "sp_int":
        return sp.Integer(draw(st.integers(-(10**20), 10**20))), False
    if kind == "sp_rat":
        return sp.Rational(draw(st.integers(-1000, 1000)), draw(st.integers(1, 1000))), False
    if kind == "sp_float":
        return sp.Float(draw(st.floats(-1e10, 1e10, allow_nan=False))), False
    if kind == "array":
        x = draw(st.floats(-1e10, 1e10, allow_nan=False))
        return draw(st.sampled_from([np.array(x), np.array([x]), np.array([[x]])])), False
    if kind == "bool":
        return draw(st.sampled_from(BOOLS)), draw(st.booleans())
    return draw(st.sampled_from([float("nan"), float("inf"), "2.5", None, 1j, [1, 2], np.array([1.0, 2.0]),
                                 10**400, sp.oo, sp.nan, Decimal("NaN")])), False  # fmt: skip


def _exact_answer(x: Any) -> Fraction | None:
    if isinstance(x, np.ndarray):
        x = x.ravel()[0]
    if isinstance(x, sp.Basic):
        return Fraction(int(x.p), int(x.q)) if isinstance(x, sp.Rational) else Fraction(float(x))
    if isinstance(x, Decimal):
        return Fraction(x)
    return exact_value(x)


@case("lib.checks._core.as_real_number", real_answers(),
      "the same exact value (a Fraction for int/Fraction/Decimal/sympy rationals, a float "
      "otherwise), bools only when allowed, ValueError for everything else")  # fmt: skip
def check_as_real_number(x, allow_bool):
    if isinstance(x, (bool, np.bool_)):
        if allow_bool:
            assert core.as_real_number(x, allow_bool=True) is bool(x)
        else:
            expect_error(ValueError, "", core.as_real_number, x)
        return
    bad = x is None or isinstance(x, (str, complex, list)) or (isinstance(x, np.ndarray) and x.size != 1)
    bad = bad or (isinstance(x, int) and abs(x) > 10**300) or x in (sp.oo, sp.nan)
    bad = bad or (isinstance(x, (float, Decimal)) and not math.isfinite(float(x)))
    if bad:
        return expect_error(ValueError, "", core.as_real_number, x, allow_bool=allow_bool)
    out = core.as_real_number(x, allow_bool=allow_bool)
    rational = isinstance(x, (int, np.integer, Fraction, Decimal, sp.Integer, sp.Rational))
    assert isinstance(out, Fraction if rational else float), (x, out)
    assert Fraction(out) == _exact_answer(x), (x, out)


X, Y, NSYM = sp.Symbol("x"), sp.Symbol("y"), sp.Symbol("N")


@st.composite
def expression_pairs(draw):
    def term():
        c = draw(st.integers(-3, 3))
        return c * X ** draw(st.integers(0, 2)) * Y ** draw(st.integers(0, 1)) / NSYM ** draw(st.integers(0, 1))

    a = sum((term() for _ in range(draw(st.integers(1, 3)))), sp.Integer(0))
    form = draw(st.sampled_from(["expand", "factor", "together", "changed", "assumed"]))
    if form == "expand":
        e = sp.expand(a)
    elif form == "factor":
        e = sp.factor(a)
    elif form == "together":
        e = sp.together(a + X) - X
    elif form == "changed":
        e = a + draw(st.sampled_from([1, -1, 2])) * draw(st.sampled_from([X, Y, X * Y, 1 / NSYM, sp.Integer(1)]))
    else:  # lib's symbols carry assumptions; a student's do not
        e = a.subs({NSYM: sp.Symbol("N", positive=True, integer=True), X: sp.Symbol("x", real=True)})
    return (a, e) if draw(st.booleans()) else (e, a)


def _plain(expr):
    return expr.subs({s: sp.Symbol(s.name) for s in expr.free_symbols})


@case("lib.checks._core.same_expression", expression_pairs(),
      "the same bool as expand(together(a - e)) == 0 with symbols matched by name", n_inputs=MIN_INPUTS)
def check_same_expression(a, e):
    ref = sp.expand(sp.together(_plain(a) - _plain(e))) == 0
    assert core.same_expression(a, e) is ref, (a, e)


# ============================================================ display


def _lib_objects() -> list[Any]:
    import pkgutil

    objs: list[Any] = []
    for info in pkgutil.walk_packages(lib.__path__, "lib."):
        module = __import__(info.name, fromlist=["_"])
        objs.append(module)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == info.name:
                objs.append(obj)
    return objs


SOURCE_OBJECTS = _lib_objects() + [3, "text", None, len, print, np.float64(1.0)]


@functools.cache
def _parsed(path: Path) -> tuple[str, ast.Module]:
    text = path.read_text(encoding="utf-8")
    return text, ast.parse(text)


def _source_by_ast(obj: Any) -> str | None:
    if inspect.ismodule(obj):
        return Path(obj.__file__).read_text(encoding="utf-8")
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return None
    path = Path(inspect.getmodule(obj).__file__)
    text, tree = _parsed(path)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == obj.__name__:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            lines = text.splitlines(keepends=True)
            return "".join(lines[first - 1 : node.end_lineno])
    raise AssertionError(f"{obj!r} not found at the top level of {path}")


@case("lib.display.show_source", st.sampled_from(SOURCE_OBJECTS).map(lambda x: (x,)),
      "the identical text (a python Code object), or TypeError for an object without source",
      input_space=len(SOURCE_OBJECTS))  # fmt: skip
def check_show_source(obj):
    ref = _source_by_ast(obj)
    if ref is None:
        return expect_error(TypeError, "show_source", disp.show_source, obj)
    code = disp.show_source(obj)
    assert code.data == ref


# ============================================================ plots' numeric cores

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
TYPED_CYCLE = [{"color": c, "linestyle": ls, "marker": mk} for c, ls, mk in zip(PALETTE, LINESTYLES, MARKERS)]


@st.composite
def style_args(draw):
    k = draw(st.one_of(st.integers(0, 50), st.integers(0, 2**63 - 1)))
    k = draw(st.sampled_from([int, np.int64, np.uint32 if k < 2**32 else np.int64, np.int8 if k < 128 else int]))(k)
    n = draw(st.one_of(st.none(), st.integers(0, 30), st.integers(0, 10**9)))
    return k, n


@case("lib.plots.series_style", style_args(),
      "the identical dict: the typed cycle's entry k mod 7, with markevery = max(1, n // 10) above 12 points")
def check_series_style(k, n):
    want = dict(TYPED_CYCLE[int(k) % 7])
    if n is not None and n > 12:
        want["markevery"] = max(1, n // 10)
    assert plots.series_style(k, n) == want


@case("lib.plots.course_cycler", st.just(()), "the typed cycle, entry by entry", input_space=1)
def check_course_cycler():
    assert list(plots.course_cycler()) == TYPED_CYCLE


TYPED_RC = {"lines.markersize": 5.0, "patch.facecolor": PALETTE[0]}


@case("lib.plots.course_rc", st.just(()), "the typed settings (the cycle entry by entry)", input_space=1)
def check_course_rc():
    rc = plots.course_rc()
    assert set(rc) == {"axes.prop_cycle", *TYPED_RC}
    assert list(rc["axes.prop_cycle"]) == TYPED_CYCLE
    assert all(rc[k] == v for k, v in TYPED_RC.items())


@case("lib.plots.course_style", st.just(()),
      "inside the block the typed settings, after it the settings from before", input_space=1)
def check_course_style():
    before = {k: mpl.rcParams[k] for k in ("axes.prop_cycle", *TYPED_RC)}
    with plots.course_style():
        assert list(mpl.rcParams["axes.prop_cycle"]) == TYPED_CYCLE
        assert all(mpl.rcParams[k] == v for k, v in TYPED_RC.items())
    assert {k: mpl.rcParams[k] for k in before} == before


@case("lib.plots.use_course_style", st.just(()), "the typed settings after the call", input_space=1)
def check_use_course_style():
    with mpl.rc_context():  # leave the session's settings as they were
        plots.use_course_style()
        assert list(mpl.rcParams["axes.prop_cycle"]) == TYPED_CYCLE
        assert all(mpl.rcParams[k] == v for k, v in TYPED_RC.items())


# ============================================================ regressions of bugs found here


@pytest.mark.timeout(20)
def test_auction_on_tiny_scores_ends_and_is_optimal():
    # Prices were rounded to 12 decimals: at 1e-300 every bid left the price
    # at 0 and two tasks outbid each other for ever.
    res = alg.auction_assignment([[3e-300], [3e-300]], 1e-301)
    assert res.objective == 3e-300 and len(res.pairs) == 1
    worker, price = alg.auction_bid([[3e-300, 1e-300]], [0.0, 0.0], 0, 1e-301)
    assert worker == 0 and abs(price - 2.1e-300) <= 1e-310


def test_augmenting_paths_on_small_scores_are_optimal():
    # Gains were compared at 12 decimals: below 1e-12 every task stayed unassigned.
    assert alg.augmenting_path_matching([[1e-13, 2e-13], [3e-13, 5e-13]]).objective == 6e-13
    assert alg.augmenting_path_matching([[1e-300, 2e-300], [3e-300, 5e-300]]).objective == 6e-300


def test_polygon_of_small_coefficients_is_bounded():
    # The tolerances were absolute: a region scaled by 2**-50 was called unbounded.
    got = alg.polygon_vertices([[2.0**-50, 2.0**-50]], [2.0**-50])
    assert got.tolist() == [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]


def test_interior_point_with_huge_capacity():
    # A capacity of 2**62 (valid: "no limit") made HiGHS's interior point fail.
    x = alg.interior_point_optimum([[1.0, 2.0], [3.0, 4.0]], [2**62, 1])
    assert abs(float((np.array([[1.0, 2.0], [3.0, 4.0]]) * x).sum()) - 5.0) <= 1e-6


def test_as_integer_takes_whole_fractions_exactly():
    # A whole Fraction went through float: 2**60 + 1 came back as 2**60, and
    # Fraction(10**400) raised OverflowError instead of ValueError.
    assert val.as_integer(Fraction(2**60 + 1), "n", allow_whole_float=True) == 2**60 + 1
    expect_error(ValueError, "n", val.as_integer, Fraction(10**400), "n", allow_whole_float=True)


# ============================================================ the runner


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    BUILD.mkdir(exist_ok=True)
    lines = [f"{name.removeprefix('lib.'):50s} {COUNTS[name]:6d}" for name in sorted(CASES)]
    lines.append(f"{'total':50s} {sum(COUNTS.values()):6d}")
    (BUILD / "differential_counts_algorithms.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\ndifferential test (algorithms): valid inputs compared per function\n" + "\n".join(lines))


def test_tables_match_cases():
    assert set(CASES) == set(REFERENCES)
    assert not set(REFERENCES) & set(NO_REFERENCE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_reference(name):
    strategy, check, agrees, required, n_inputs = CASES[name]
    assert agrees

    @settings(max_examples=n_inputs, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def run(args):
        check(*args)
        COUNTS[name] += 1

    run()
    assert COUNTS[name] >= required, f"{name}: only {COUNTS[name]} inputs compared"
