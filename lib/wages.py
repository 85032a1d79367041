"""What an assignment's prices mean: wages, the core, and stable matching (seed 001 §3.2).

One-to-one case: each task goes to at most one worker and each worker takes
at most one task. The optimal duals of the matching LP of
:mod:`lib.matching` split each matched pair's score ``s_ij`` into a
requester's surplus ``u_i`` and a worker's wage ``v_j``; that set of splits
is the *core* of the assignment game (Shapley and Shubik 1971): no task and
worker could both do better by leaving their partners and pairing up.

* :func:`optimal_dual_vertices` enumerates the vertices of that set, by
  complementary slackness with an optimal assignment found exactly by
  augmenting paths (no LP solver: it is the reference for the next function);
* :func:`extreme_core_point` finds the worker-optimal or the
  requester-optimal core point, an LP with a secondary objective (HiGHS),
  whose vertex is then computed exactly;
* :func:`wage_intervals` gives each worker's lowest and highest core wage;
* :func:`nearest_core_point` finds the core point nearest a wage vector;
* :func:`blocking_pairs` lists the pairs that would break a proposed split;
* :func:`deferred_acceptance` is Gale and Shapley's algorithm for ordinal
  preferences, and :func:`stable_matchings` lists every stable matching by
  enumeration.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linprog

from lib._exact import exact_float, exact_integers, exact_sum
from lib._validate import (
    as_choice,
    as_index_vector,
    as_real,
    as_real_matrix,
    as_real_vector,
    check_size,
)

__all__ = [
    "MAX_VERTEX_CANDIDATES",
    "CorePoint",
    "WageIntervals",
    "DeferredAcceptanceResult",
    "optimal_dual_vertices",
    "extreme_core_point",
    "wage_intervals",
    "nearest_core_point",
    "blocking_pairs",
    "deferred_acceptance",
    "stable_matchings",
    "MAX_STABLE_ENUMERATION",
    "MAX_CORE_SPAN",
]

#: Largest number of candidate vertices :func:`optimal_dual_vertices` tries.
MAX_VERTEX_CANDIDATES = 300_000
#: Largest number of matchings :func:`stable_matchings` enumerates.
MAX_STABLE_ENUMERATION = 300_000
#: A constraint holds, and two points are one vertex, to this share (2**-43,
#: about 1.1e-13: some 500 units of the last place) of the quantities
#: compared, the scores a coordinate is computed from.
_VERTEX_SHARE = 2.0**-43
#: The share of the quantities compared to which an LP's answer is re-checked
#: (HiGHS's tolerances are 1e-10 of each scaled row).
_LP_SHARE = 1e-9
#: Largest ratio of the positive scores for which :func:`extreme_core_point`
#: writes its LP (each row in its own units; HiGHS takes no coefficient
#: above 1e20); beyond, its exact step alone finds the point.
MAX_CORE_SPAN = 1e18


@dataclass(frozen=True)
class CorePoint:
    """A split of every matched pair's score: surplus per task, wage per worker.

    Attributes
    ----------
    task_values : numpy.ndarray, shape (n_tasks,)
        The requesters' surpluses ``u_i`` (0 for an unassigned task).
    wages : numpy.ndarray, shape (n_workers,)
        The workers' wages ``v_j`` (0 for an idle worker).

    Examples
    --------
    The worker-optimal point of a 2 x 2 instance (3 + 1 beats 1 + 2): no
    pair blocks it.

    >>> point = extreme_core_point([[3.0, 1.0], [2.0, 1.0]], "workers")
    >>> point.task_values.tolist(), point.wages.tolist()
    ([0.0, 0.0], [3.0, 1.0])
    >>> blocking_pairs([[3.0, 1.0], [2.0, 1.0]], point.task_values, point.wages)
    []
    """

    task_values: np.ndarray
    wages: np.ndarray


@dataclass(frozen=True)
class WageIntervals:
    """Each worker's lowest and highest wage, and each task's surplus, over the core.

    ``low`` is the requester-optimal wage vector and ``high`` the
    worker-optimal one; every core point has ``low <= wages <= high``.

    Attributes
    ----------
    low : numpy.ndarray, shape (n_workers,)
        Each worker's lowest core wage (the requester-optimal point's wages).
    high : numpy.ndarray, shape (n_workers,)
        Each worker's highest core wage (the worker-optimal point's wages).
    task_low : numpy.ndarray, shape (n_tasks,)
        Each task's lowest core surplus (at the worker-optimal point).
    task_high : numpy.ndarray, shape (n_tasks,)
        Each task's highest core surplus (at the requester-optimal point).

    Examples
    --------
    >>> w = wage_intervals([[3.0, 1.0], [2.0, 1.0]])
    >>> w.low.tolist(), w.high.tolist()
    ([1.0, 0.0], [3.0, 1.0])
    >>> w.task_low.tolist(), w.task_high.tolist()
    ([0.0, 0.0], [2.0, 1.0])
    """

    low: np.ndarray
    high: np.ndarray
    task_low: np.ndarray
    task_high: np.ndarray


def _unit_scores(scores: Any) -> np.ndarray:
    return as_real_matrix(scores, "scores")


def optimal_dual_vertices(scores: Any) -> np.ndarray:
    """Every vertex of the set of optimal duals (the core), by enumeration.

    An optimal assignment is found by augmenting paths in exact arithmetic
    (:func:`lib.assignment_algorithms.augmenting_path_matching`: exactly
    optimal, where an enumeration that calls totals within ``1e-9`` of the
    best optimal could pick one that leaves a pair of score ``1e-8`` beside
    one of ``1e8`` unmatched, and find no vertex). By complementary slackness,
    every optimal dual ``(u, v) >= 0`` with ``u_i + v_j >= s_ij`` then has
    ``u_i + v_j = s_ij`` on the matched pairs, ``u_i = 0`` for an unassigned
    task and ``v_j = 0`` for an idle worker. These equations, with enough
    more of the inequalities made tight to fix a point, are solved for every
    choice of tight inequalities; the feasible solutions are the vertices.

    Each system is totally unimodular, so a coordinate is an integer
    combination of scores. A constraint counts as met, and two solutions as
    one vertex, to ``2**-43`` (about ``1.1e-13``, some 500 units in the last
    place) of the scores that combination adds up, never of the largest
    score: a vertex with scores of ``1e-8`` beside scores of ``1e8`` is as
    exact as either alone. Of the tight sets that give one vertex, each
    coordinate is taken from the one that determines it best.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.

    Returns
    -------
    numpy.ndarray, shape (n_vertices, n_tasks + n_workers)
        Each row is ``(u_0, ..., u_{n-1}, v_0, ..., v_{m-1})``, rows sorted.

    Raises
    ------
    ValueError
        If the instance needs more than :data:`MAX_VERTEX_CANDIDATES`
        candidate systems.

    Examples
    --------
    >>> optimal_dual_vertices([[2.0]]).tolist()
    [[0.0, 2.0], [2.0, 0.0]]

    A 2 x 2 instance (3 + 1 beats 1 + 2) has four vertices ``(u0, u1, v0, v1)``:

    >>> optimal_dual_vertices([[3.0, 1.0], [2.0, 1.0]]).tolist()
    [[0.0, 0.0, 3.0, 1.0], [1.0, 0.0, 2.0, 1.0], [1.0, 1.0, 2.0, 0.0], [2.0, 1.0, 1.0, 0.0]]
    """
    from math import comb

    from lib.assignment_algorithms import augmenting_path_matching

    s = _unit_scores(scores)
    n, m = s.shape
    best = augmenting_path_matching(s).pairs
    d = n + m
    eq_rows, eq_rhs = [], []
    matched_tasks = {i for i, _ in best}
    matched_workers = {j for _, j in best}
    for i, j in best:
        row = np.zeros(d)
        row[i] = row[n + j] = 1.0
        eq_rows.append(row)
        eq_rhs.append(s[i, j])
    for k in range(d):
        if (k < n and k not in matched_tasks) or (k >= n and k - n not in matched_workers):
            eq_rows.append(np.eye(d)[k])
            eq_rhs.append(0.0)
    ineq_rows, ineq_rhs = [], []  # rows r with r @ y >= rhs
    for i in range(n):
        for j in range(m):
            if (i, j) not in best:
                row = np.zeros(d)
                row[i] = row[n + j] = 1.0
                ineq_rows.append(row)
                ineq_rhs.append(s[i, j])
    for k in range(d):
        ineq_rows.append(np.eye(d)[k])
        ineq_rhs.append(0.0)
    E, e = np.array(eq_rows).reshape(-1, d), np.array(eq_rhs)
    G, g = np.array(ineq_rows), np.array(ineq_rhs)
    free = d - len(E)  # the equations are independent: each touches its own variables
    check_size(comb(len(G), free), MAX_VERTEX_CANDIDATES, "candidate vertices",
               "enumerate only tiny instances")  # fmt: skip
    choices = list(itertools.combinations(range(len(G)), free))
    combos = np.array(choices, dtype=np.int64).reshape(len(choices), free)
    systems = np.concatenate([np.broadcast_to(E, (len(combos), *E.shape)), G[combos]], axis=1)
    rhs = np.concatenate([np.broadcast_to(e, (len(combos), len(e))), g[combos]], axis=1)
    # The systems are 0/1 and totally unimodular: a regular one has
    # determinant +-1 and an integer inverse, so each coordinate is an
    # integer combination of scores, y = inv @ rhs, and ``spread`` = |inv| @
    # |rhs| is what it is computed from (its rounding error is a few units
    # of the last place of the spread). Every tolerance is that share of
    # those quantities, never of the largest score: a vertex of scores 1e-8
    # beside one of 1e8 is as exact as either alone.
    regular = np.abs(np.linalg.det(systems)) > 0.5
    inv = np.round(np.linalg.inv(systems[regular]))
    rhs = rhs[regular]
    points = np.einsum("kab,kb->ka", inv, rhs)
    spread = np.einsum("kab,kb->ka", np.abs(inv), np.abs(rhs))
    # A row holds when it is short by at most that share of the terms it compares.
    slack_g = points @ G.T - g
    feasible = np.all(slack_g >= -_VERTEX_SHARE * (spread @ np.abs(G).T + np.abs(g)), axis=1)
    slack_e = np.abs(points @ E.T - e)
    feasible &= np.all(slack_e <= _VERTEX_SHARE * (spread @ np.abs(E).T + np.abs(e)), axis=1)
    found, spread = points[feasible], spread[feasible]
    inv, rhs = inv[feasible], rhs[feasible]
    # Several tight sets give the same vertex (points within the share of
    # their spreads): one vertex, each coordinate from the tight set that
    # determines it best (smallest spread), added up exactly (its terms are
    # scores times -1, 0 or 1) and rounded once.
    groups: list[list[np.ndarray]] = []  # [value, spread, largest spread, best system]
    for k, (point, size) in enumerate(zip(found, spread)):
        for group in groups:
            if np.all(np.abs(point - group[0]) <= _VERTEX_SHARE * np.maximum(size, group[2])):
                better = size < group[1]
                group[1] = np.where(better, size, group[1])
                group[2] = np.maximum(size, group[2])
                group[3] = np.where(better, k, group[3])
                break
        else:
            groups.append([point, size, size, np.full(d, k)])
    out = np.array([[exact_sum(list(inv[k, c] * rhs[k]), "a vertex coordinate (scores)")
                     for c, k in enumerate(g[3])] for g in groups])  # fmt: skip
    out = out.reshape(-1, d) + 0.0
    return out[np.lexsort(out.T[::-1])]


def _core_lp(s: np.ndarray):
    """The core as LP rows over ``y = (u, v)``, each row divided by its own score.

    Fixing the dual objective at the optimum ``z`` is, by complementary
    slackness with an optimal assignment (exactly optimal:
    :func:`lib.assignment_algorithms.augmenting_path_matching` adds scores
    exactly, where a float total of ``3e8 + 2e-8`` is ``3e8``), the same as
    ``u_i + v_j = s_ij`` on its pairs and ``u_i = 0``, ``v_j = 0`` for whoever
    it leaves out. Those equations, and ``u_i + v_j >= s_ij`` for the other
    pairs of positive score, are each divided by their own score (by the
    power of two nearest it, which rounds nothing): a row of scores ``1e-8``
    is then resolved as finely as a row of scores ``1e8`` (one row
    ``sum(y) = z`` divided by ``z`` resolved the small pairs only to
    ``1e-10`` of the total). Returns the matched pairs, the rows and the
    bounds.
    """
    from lib.assignment_algorithms import augmenting_path_matching

    n, m = s.shape
    d = n + m
    pairs = [(i, j) for i, j in augmenting_path_matching(s).pairs if s[i, j] > 0]
    matched = np.zeros(d, dtype=bool)
    unit = _power_of_two(s)  # 2**-e near 1 / s_ij: exact, no rounding enters the rows
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for i, j in pairs:
        row = np.zeros(d)
        row[i] = row[n + j] = unit[i, j]
        eq_rows.append(row)
        eq_rhs.append(s[i, j] * unit[i, j])
        matched[[i, n + j]] = True
    for i, j in zip(*np.nonzero(s > 0)):
        if (i, j) not in pairs and (matched[i] or matched[n + j]):
            row = np.zeros(d)
            row[i] = row[n + j] = -unit[i, j]
            ub_rows.append(row)
            ub_rhs.append(-s[i, j] * unit[i, j])
    bounds = [(0.0, None) if matched[k] else (0.0, 0.0) for k in range(d)]
    return (pairs, np.array(eq_rows).reshape(-1, d), np.array(eq_rhs),
            np.array(ub_rows).reshape(-1, d), np.array(ub_rhs), bounds)  # fmt: skip


def _power_of_two(size: np.ndarray) -> np.ndarray:
    """``2**-e`` with ``size = f * 2**e``, ``0.5 <= f < 1`` (1 where ``size``
    is 0): dividing by ``size``'s own scale without rounding anything."""
    size = np.abs(np.asarray(size, dtype=float))
    return np.ldexp(1.0, -np.frexp(np.where(size > 0, size, 1.0))[1])


def _solve_core_lp(c, a_ub, b_ub, a_eq, b_eq, bounds, unit: float,
                   holds: Callable[[np.ndarray], bool]) -> np.ndarray | None:  # fmt: skip
    """HiGHS at its tightest tolerances, the variables in ``unit`` (the power
    of two in (max/2, max] of the largest score, so that every coefficient,
    the rows being divided by their own scores, is at least 1/4). A row of a
    pair of score 1e-8 then has coefficients near 1e16: HiGHS's limit on
    coefficients is raised from 1e15 to 1e20. The dual simplex first; where
    its answer fails the re-check ``holds`` (or its presolve gives up on a
    variable pinned at 1e-8 beside quantities of 1e8), the interior point
    with crossover, then both without presolve. Returns the first answer
    that passes, else the last one found (the caller makes it exact)."""
    options = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10,
               "large_matrix_value": 1e20}  # fmt: skip
    attempts = [("highs-ds", {}), ("highs-ipm", {}), ("highs-ds", {"presolve": False}),
                ("highs-ipm", {"presolve": False})]  # fmt: skip
    found = None
    for method, extra in attempts:
        with warnings.catch_warnings():
            # HiGHS's own option name is passed through verbatim; scipy warns
            # that it does not know it.
            warnings.simplefilter("ignore")
            res = linprog(
                c,
                A_ub=a_ub * unit if len(a_ub) else None,
                b_ub=b_ub if len(a_ub) else None,
                A_eq=a_eq * unit if len(a_eq) else None,
                b_eq=b_eq if len(a_eq) else None,
                bounds=bounds,
                method=method,
                options={**options, **extra},
            )
        if res.status == 0:
            found = np.maximum(res.x, 0.0) * unit + 0.0
            if holds(found):
                break
    return found


def _in_core(s: np.ndarray, pairs: list, u: np.ndarray, v: np.ndarray) -> bool:
    """The re-check of a core point in the original units: ``u, v >= 0``,
    ``u_i + v_j >= s_ij`` for every pair and ``= s_ij`` on the matched
    pairs, each to ``1e-9`` of the quantities it compares."""
    total = u[:, None] + v[None, :]
    size = np.abs(u)[:, None] + np.abs(v)[None, :] + np.abs(s)
    short = s - total > _LP_SHARE * size
    for i, j in pairs:
        short[i, j] |= abs(total[i, j] - s[i, j]) > _LP_SHARE * size[i, j]
    return bool(np.all(u >= 0) and np.all(v >= 0) and not short.any())


def extreme_core_point(scores: Any, side: str = "workers") -> CorePoint:
    """The worker-optimal or the requester-optimal point of the core.

    Two LPs. The first is the matching LP, whose optimum ``z`` and optimal
    assignment are found exactly by augmenting paths
    (:func:`lib.assignment_algorithms.augmenting_path_matching`). The second
    is the matching LP's dual with its objective fixed at ``z`` (so only
    optimal duals remain) and a secondary objective: the largest total wage
    (``side="workers"``) or the smallest (``side="tasks"``, the
    requester-optimal point). Because the core is a lattice, the optimum of
    the secondary objective is the point that is best for *every* worker (or
    every requester) at once.

    Fixing the objective at ``z`` is written, by complementary slackness, as
    ``u_i + v_j = s_ij`` on the optimal pairs and 0 for whoever the
    assignment leaves out, and every row is divided by its own score: a pair
    of score ``1e-8`` beside one of ``1e8`` is split as exactly as either
    alone. HiGHS's answer is re-checked in the original units (``u + v >= s``
    to ``1e-9`` of the quantities compared; another of its methods is tried
    if it fails). HiGHS resolves each row only to ``1e-10`` of its size, so
    the vertex it found is then computed exactly from the rows tight there
    (differences of scores, added up in exact arithmetic and rounded once):
    a wage of ``2e-8`` in a pair of score ``3e8`` is exact too.

    HiGHS takes no coefficient above ``1e20``: when the positive scores span
    more than :data:`MAX_CORE_SPAN` (``1e18``, the largest over the
    smallest) the LP cannot be written in the rows' own units, and the exact
    step alone finds the point (every row, Bellman-Ford).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.
    side : {"workers", "tasks"}, optional
        Whose optimum: ``"workers"`` (the default) for the highest wages,
        ``"tasks"`` for the highest surpluses of the requesters.

    Returns
    -------
    CorePoint
        The extreme point.

    Raises
    ------
    ValueError
        If ``side`` is neither ``"workers"`` nor ``"tasks"``.

    Examples
    --------
    >>> extreme_core_point([[2.0]], "workers").wages.tolist()
    [2.0]
    >>> extreme_core_point([[2.0]], "tasks").wages.tolist()
    [0.0]

    A pair of score ``1e-8`` beside one of ``1e8``: the worker-optimal point
    leaves task 0 exactly what worker 1 would pay it.

    >>> point = extreme_core_point([[1e8, 1e-8], [1e-8, 0.0]], "workers")
    >>> point.task_values.tolist()
    [1e-08, 0.0]
    """
    s = _unit_scores(scores)
    side = as_choice(side, "side", ("workers", "tasks"))
    n, m = s.shape
    pairs, a_eq, b_eq, a_ub, b_ub, bounds = _core_lp(s)
    positive = s[s > 0]  # the scores that make rows
    near = None
    if positive.size and positive.max() / MAX_CORE_SPAN <= positive.min():
        unit = 0.5 / float(_power_of_two(positive.max()))  # the power of two in (max/2, max]
        sign = -1.0 if side == "workers" else 1.0
        y = _solve_core_lp(np.concatenate([np.zeros(n), sign * np.ones(m)]), a_ub, b_ub, a_eq,
                           b_eq, bounds, unit, lambda y: _in_core(s, pairs, y[:n], y[n:]))  # fmt: skip
        near = None if y is None else y[:n]
    # HiGHS resolves each row to 1e-10 of its size; the vertex it found is
    # then computed exactly from the rows tight there.
    u, v = _exact_extreme(s, pairs, side, near)
    return CorePoint(u, v)


def _exact_extreme(s: np.ndarray, pairs: list, side: str, near: np.ndarray | None):
    """The extreme core point near HiGHS's task values ``near``, exactly.

    With ``x_i = u_i`` for the matched tasks (``v = s - x`` on their pairs,
    0 for the others), the core is ``low <= x <= high`` and
    ``x_i - x_l >= c_il`` for the other pairs: differences of scores. The
    worker-optimal point is the least such ``x``, the longest paths from the
    lower bounds; the requester-optimal one the greatest. They are computed
    in exact arithmetic (the scores as integers over a common denominator)
    over the rows tight at ``near`` (to 1e-6 of their quantities), and over
    every row (Bellman-Ford) if that does not give a point of the core, or
    without ``near``. The
    coordinates are then correctly rounded: a wage of ``2e-8`` in a pair of
    score ``3e8`` is exact, where HiGHS's tolerance is ``1e-10`` of the row.
    """

    n, m = s.shape
    k, den = exact_integers(s)
    partner = dict(pairs)
    owner = {j: i for i, j in pairs}
    a = {i: k[i][j] for i, j in pairs}
    low = dict.fromkeys(partner, 0)
    high = dict(a)
    edges = []  # (i, l, c): x_i - x_l >= c, from u_i + v_j >= s_ij with j = partner[l]
    for i, j in itertools.product(range(n), range(m)):
        if partner.get(i) == j or k[i][j] <= 0:
            continue
        if i in partner and j in owner:
            edges.append((i, owner[j], k[i][j] - a[owner[j]]))
        elif i in partner:  # an idle worker: x_i >= s_ij
            low[i] = max(low[i], k[i][j])
        elif j in owner:  # an unassigned task: x_l <= a_l - s_ij
            high[owner[j]] = min(high[owner[j]], a[owner[j]] - k[i][j])
    least = side == "workers"

    def close(x: float, q: int, size: int) -> bool:  # x, in floats, is q / den to 1e-6
        return abs(x - q / den) <= 1e-6 * (abs(x) + size / den)

    def paths(only_tight: bool) -> dict | None:
        bound = low if least else high
        x = {i: (b if not only_tight or close(near[i], b, abs(b)) else None) for i, b in bound.items()}
        use = [(i, l, c) for i, l, c in edges
               if not only_tight or close(near[i] - near[l], c, abs(c) + abs(a[l]))]  # fmt: skip
        for _ in range(len(partner) + 1):
            for i, l, c in use:
                if least and x[l] is not None and (x[i] is None or x[l] + c > x[i]):
                    x[i] = x[l] + c
                elif not least and x[i] is not None and (x[l] is None or x[i] - c < x[l]):
                    x[l] = x[i] - c
        if any(v is None or not low[i] <= v <= high[i] for i, v in x.items()):
            return None
        if any(x[i] - x[l] < c for i, l, c in edges):
            return None
        return x

    x = (paths(only_tight=True) if near is not None else None) or paths(only_tight=False)
    if x is None:  # pragma: no cover - the core of an optimal assignment is not empty
        raise RuntimeError("the core of the optimal assignment is empty: it is not optimal.")
    u, v = np.zeros(n), np.zeros(m)
    for i, j in pairs:
        u[i] = float(Fraction(x[i], den))
        v[j] = float(Fraction(a[i] - x[i], den))
    return u + 0.0, v + 0.0


def wage_intervals(scores: Any) -> WageIntervals:
    """Each worker's range of wages, and each task's range of surplus, over the core.

    A worker's highest core wage is at the worker-optimal point, the lowest
    at the requester-optimal one (:func:`extreme_core_point`); in between,
    every wage vector of the core lies in these intervals (though not every
    vector of the box is in the core).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.

    Returns
    -------
    WageIntervals
        The bounds ``low``, ``high`` of the wages and ``task_low``,
        ``task_high`` of the tasks' surpluses.

    Examples
    --------
    One task, two workers: worker 1's offer caps worker 0's wage at 1.

    >>> w = wage_intervals([[2.0, 1.0]])
    >>> w.low.tolist(), w.high.tolist()
    ([0.0, 0.0], [1.0, 0.0])
    """
    hi = extreme_core_point(scores, "workers")
    lo = extreme_core_point(scores, "tasks")
    return WageIntervals(lo.wages, hi.wages, hi.task_values, lo.task_values)


def nearest_core_point(scores: Any, wages: Any) -> tuple[float, CorePoint]:
    """The core point whose wages are closest to ``wages`` (largest difference).

    Solves ``min t`` over core points ``(u, v)`` with ``|v_j - wages_j| <= t``,
    to say how far a wage vector -- an auction's final prices, say -- is
    from being a set of stable wages.

    The LP is solved exactly, by its structure rather than by a solver whose
    tolerance is relative to a row (wages tiny beside huge scores, or the
    reverse, are then resolved as finely as either). With an optimal
    assignment found exactly (:func:`lib.assignment_algorithms.augmenting_path_matching`)
    and ``x_i = u_i`` for its tasks, a core point is a solution of
    difference constraints ``x_i - x_l >= s_i,p(l) - s_l,p(l)`` within
    bounds, and ``|v_j - wages_j| <= t`` only moves the bounds by ``t``. Such
    a system is feasible when no cycle through the bounds is negative: each
    such cycle gives a lower bound on ``t`` (from the shortest paths between
    tasks, Floyd and Warshall), and the smallest ``t`` is the largest of
    them. The point returned is the one with the highest wages among those
    at that distance (the least task values: longest paths, Bellman-Ford).
    Everything is added up exactly (scores and wages as integers over a
    common denominator) and rounded once.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.
    wages : array_like, shape (n_workers,)
        The wage vector to compare with the core, one finite wage per worker.

    Returns
    -------
    distance : float
        ``max_j |v_j - wages_j|`` at the nearest core point (the exact
        minimum, correctly rounded).
    point : CorePoint
        A core point whose wages are at that distance from ``wages``.

    Examples
    --------
    >>> d, point = nearest_core_point([[2.0, 1.0]], [1.5, 0.0])
    >>> d, point.wages.tolist()
    (0.5, [1.0, 0.0])

    Wages tiny beside a score of 100: the core point with wage ``1e-8``.

    >>> nearest_core_point([[100.0]], [1e-8])[0]
    0.0
    """
    from lib.assignment_algorithms import augmenting_path_matching

    s = _unit_scores(scores)
    n, m = s.shape
    w = as_real_vector(wages, "wages", length=m)
    pairs = [(i, j) for i, j in augmenting_path_matching(s).pairs if s[i, j] > 0]
    ints, den = exact_integers(np.vstack([s, w[None, :]]))
    k, wk = ints[:n], ints[n]
    partner = dict(pairs)
    owner = {j: i for i, j in pairs}
    tasks = sorted(partner)
    a = {i: k[i][partner[i]] for i in tasks}
    low, high = dict.fromkeys(tasks, 0), dict(a)
    edges = []  # (i, l, c): x_i - x_l >= c
    for i, j in itertools.product(range(n), range(m)):
        if partner.get(i) == j or k[i][j] <= 0:
            continue
        if i in partner and j in owner:
            edges.append((i, owner[j], k[i][j] - a[owner[j]]))
        elif i in partner:
            low[i] = max(low[i], k[i][j])
        elif j in owner:
            high[owner[j]] = min(high[owner[j]], a[owner[j]] - k[i][j])
    target = {i: a[i] - wk[partner[i]] for i in tasks}  # x_i = target_i gives v_j = w_j
    # dist[i][l]: the shortest path from i to l, each edge i -> l of length -c
    # (x_l <= x_i - c); None when there is none.
    dist: dict[int, dict[int, int | None]] = {i: {l: (0 if l == i else None) for l in tasks} for i in tasks}
    for i, l, c in edges:
        if dist[i][l] is None or -c < dist[i][l]:
            dist[i][l] = -c
    for via in tasks:
        for i in tasks:
            for l in tasks:
                if dist[i][via] is not None and dist[via][l] is not None:
                    d = dist[i][via] + dist[via][l]
                    if dist[i][l] is None or d < dist[i][l]:
                        dist[i][l] = d
    # With x_i <= min(high_i, target_i + t) and x_l >= max(low_l, target_l - t),
    # the cycle bound -> i -> ... -> l -> bound is not negative when t is at
    # least each of the three values below.
    need = [Fraction(0)] + [Fraction(abs(wk[j])) for j in range(m) if j not in owner]
    for i in tasks:
        for l in tasks:
            d = dist[i][l]
            if d is not None:
                need += [Fraction(target[l] - high[i] - d), Fraction(low[l] - target[i] - d),
                         Fraction(target[l] - target[i] - d, 2)]  # fmt: skip
    t = max(need)
    # The least x within the bounds at that t: the highest wages.
    x = {i: max(Fraction(low[i]), target[i] - t) for i in tasks}
    for _ in range(len(tasks) + 1):
        for i, l, c in edges:
            if x[l] + c > x[i]:
                x[i] = x[l] + c
    u, v = np.zeros(n), np.zeros(m)
    for i in tasks:
        u[i] = float(x[i] / den)
        v[partner[i]] = float((a[i] - x[i]) / den)
    return exact_float(t / den, "the distance (wages, scores)"), CorePoint(u + 0.0, v + 0.0)


def blocking_pairs(
    scores: Any, task_values: Any, wages: Any, tol: float = 1e-9
) -> list[tuple[int, int]]:
    """Pairs that could both do better by leaving their partners: ``u_i + v_j < s_ij``.

    A split ``(u, v) >= 0`` of an optimal assignment is in the core when no
    pair blocks it. A negative value also blocks (the task or worker would
    rather stay alone); it is reported as a ``ValueError``.

    The tolerance is relative to the quantities compared: the pair ``(i, j)``
    blocks when ``s_ij - (u_i + v_j) > tol * (|s_ij| + |u_i| + |v_j|)``, so
    that the rounding of a split of scores near ``1e8`` does not block and a
    shortfall of ``1e-8`` on scores near ``1e-8`` does. The comparison is
    made exactly (in rationals) where the rounded one could be wrong.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.
    task_values : array_like, shape (n_tasks,)
        The requesters' surpluses ``u_i``.
    wages : array_like, shape (n_workers,)
        The workers' wages ``v_j``.
    tol : float, optional
        The share of ``|s_ij| + |u_i| + |v_j|`` by which ``u_i + v_j`` may
        fall short of ``s_ij`` before the pair counts as blocking (default
        ``1e-9``; non-negative), so that rounding errors do not block.

    Returns
    -------
    list of tuple of int
        The blocking ``(task, worker)`` pairs, in row-major order (empty when
        the split is in the core).

    Raises
    ------
    ValueError
        If a task value is below ``-tol`` times the largest ``|s_ij|`` of
        its row, or a wage below ``-tol`` times the largest of its column
        (the scores it was split from).

    Examples
    --------
    >>> blocking_pairs([[3.0, 1.0], [2.0, 1.0]], [2.0, 1.0], [1.0, 0.0])
    []
    >>> blocking_pairs([[3.0, 1.0], [2.0, 1.0]], [2.0, 0.5], [1.0, 0.0])
    [(1, 0), (1, 1)]

    Scores of ``1e-8``: a shortfall of half of one blocks.

    >>> blocking_pairs([[1e-8, 2e-8]], [0.5e-8], [0.0, 1.5e-8])
    [(0, 0)]
    """
    s = _unit_scores(scores)
    n, m = s.shape
    u = as_real_vector(task_values, "task_values", length=n)
    v = as_real_vector(wages, "wages", length=m)
    tol = as_real(tol, "tol", minimum=0.0)
    if np.any(u < -tol * np.abs(s).max(axis=1)) or np.any(v < -tol * np.abs(s).max(axis=0)):
        raise ValueError("task_values and wages must be non-negative (anyone may stay alone).")
    short = s - (u[:, None] + v[None, :])
    size = np.abs(s) + np.abs(u)[:, None] + np.abs(v)[None, :]
    blocks = short > tol * size
    # Where rounding could decide, decide exactly.
    for i, j in np.argwhere(np.abs(short - tol * size) <= 1e-15 * size).tolist():
        exact = [Fraction(float(x)) for x in (s[i, j], u[i], v[j])]
        blocks[i, j] = exact[0] - exact[1] - exact[2] > Fraction(tol) * sum(abs(x) for x in exact)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(blocks))]


# ============================================================== ordinal preferences


@dataclass(frozen=True)
class DeferredAcceptanceResult:
    """A stable matching from deferred acceptance, and the proposals made.

    Attributes
    ----------
    pairs : list of tuple of int
        ``(proposer, receiver)`` pairs, sorted by proposer.
    proposals : list of tuple of (int, int, bool)
        Every proposal ``(proposer, receiver, held)`` in order; ``held`` is
        whether the receiver kept it at that moment.

    Examples
    --------
    Both proposers rank receiver 0 first; receiver 0 holds proposer 0, then
    trades up to proposer 1, and proposer 0 goes on to receiver 1.

    >>> res = deferred_acceptance([[0, 1], [0, 1]], [[1, 0], [0, 1]])
    >>> res.pairs
    [(0, 1), (1, 0)]
    >>> res.proposals
    [(0, 0, True), (1, 0, True), (0, 1, True)]
    """

    pairs: list[tuple[int, int]]
    proposals: list[tuple[int, int, bool]]


def _as_preferences(prefs: Any, name: str, n_other: int) -> list[list[int]]:
    out = []
    for k, row in enumerate(prefs):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
            raise TypeError(f"{name}[{k}] must be a list of indices, best first.")
        ranked = as_index_vector(list(row), f"{name}[{k}]", n_other,
                                 meaning="indices of the other side").tolist()  # fmt: skip
        if len(set(ranked)) != len(ranked):
            raise ValueError(f"{name}[{k}] lists someone twice.")
        out.append(ranked)
    if not out:
        raise ValueError(f"{name} is empty; expected one preference list per member.")
    return out


def _as_list_of_lists(prefs: Any, name: str) -> list:
    """Preference lists as a list (a 2-D array's rows are lists too)."""
    if isinstance(prefs, np.ndarray):
        prefs = prefs.tolist()
    if isinstance(prefs, (str, bytes)) or not isinstance(prefs, (list, tuple)):
        raise TypeError(f"{name} must be a list of preference lists (best first).")
    return list(prefs)


def _validated_preferences(proposer_prefs: Any, receiver_prefs: Any):
    receiver_prefs = _as_list_of_lists(receiver_prefs, "receiver_prefs")
    proposer_prefs = _as_list_of_lists(proposer_prefs, "proposer_prefs")
    for name, side in (("proposer_prefs", proposer_prefs), ("receiver_prefs", receiver_prefs)):
        if not side:  # before the other side's indices are read against its size
            raise ValueError(f"{name} is empty; expected one preference list per member.")
    p = _as_preferences(proposer_prefs, "proposer_prefs", len(receiver_prefs))
    r = _as_preferences(receiver_prefs, "receiver_prefs", len(p))
    return p, r


def _is_stable(pairs: dict[int, int], p: list[list[int]], r: list[list[int]]) -> bool:
    partner_of_receiver = {b: a for a, b in pairs.items()}
    for a, ranking in enumerate(p):
        for b in ranking:
            if pairs.get(a) == b:
                break  # a prefers its partner to everyone further down
            if a not in r[b]:
                continue
            current = partner_of_receiver.get(b)
            if current is None or r[b].index(a) < r[b].index(current):
                return False  # a and b would both rather be together
    return True


def deferred_acceptance(proposer_prefs: Any, receiver_prefs: Any) -> DeferredAcceptanceResult:
    """Gale and Shapley's deferred acceptance: proposers propose, receivers hold the best.

    Each free proposer proposes to the best receiver on its list that it has
    not yet proposed to; each receiver holds the best proposal it has
    received (among those it finds acceptable) and rejects the others. It
    ends with a stable matching, the best stable matching for every proposer
    and the worst for every receiver (Gale and Shapley 1962).

    Parameters
    ----------
    proposer_prefs : list of list of int
        ``proposer_prefs[a]`` ranks receivers, best first; a receiver not
        listed is unacceptable to ``a``.
    receiver_prefs : list of list of int
        ``receiver_prefs[b]`` ranks proposers, best first.

    Returns
    -------
    DeferredAcceptanceResult
        The proposer-optimal stable matching (``pairs``) and every proposal
        made (``proposals``).

    Examples
    --------
    >>> deferred_acceptance([[0, 1], [0, 1]], [[1, 0], [0, 1]]).pairs
    [(0, 1), (1, 0)]
    """
    p, r = _validated_preferences(proposer_prefs, receiver_prefs)
    next_choice = [0] * len(p)
    held: dict[int, int] = {}  # receiver -> proposer
    free = list(range(len(p)))
    proposals: list[tuple[int, int, bool]] = []
    while free:
        a = free.pop(0)
        if next_choice[a] >= len(p[a]):
            continue  # a has been rejected by everyone it accepts
        b = p[a][next_choice[a]]
        next_choice[a] += 1
        current = held.get(b)
        if a in r[b] and (current is None or r[b].index(a) < r[b].index(current)):
            held[b] = a
            proposals.append((a, b, True))
            if current is not None:
                free.insert(0, current)
        else:
            proposals.append((a, b, False))
            free.insert(0, a)
    pairs = sorted((a, b) for b, a in held.items())
    return DeferredAcceptanceResult(pairs, proposals)


def stable_matchings(proposer_prefs: Any, receiver_prefs: Any) -> list[list[tuple[int, int]]]:
    """Every stable matching, by enumerating all matchings of acceptable pairs.

    The reference for :func:`deferred_acceptance` on tiny instances.

    Parameters
    ----------
    proposer_prefs : list of list of int
        ``proposer_prefs[a]`` ranks receivers, best first; a receiver not
        listed is unacceptable to ``a``.
    receiver_prefs : list of list of int
        ``receiver_prefs[b]`` ranks proposers, best first; likewise.

    Returns
    -------
    list of list of tuple of int
        Every stable matching, each a list of ``(proposer, receiver)`` pairs
        sorted by proposer (someone may stay unmatched); the list is sorted.

    Raises
    ------
    ValueError
        If the enumeration would try more than :data:`MAX_STABLE_ENUMERATION`
        candidates (``(n_receivers + 1) ** n_proposers``, each proposer's
        receiver or none).

    Examples
    --------
    >>> stable_matchings([[0, 1], [1, 0]], [[1, 0], [0, 1]])
    [[(0, 0), (1, 1)], [(0, 1), (1, 0)]]
    """
    p, r = _validated_preferences(proposer_prefs, receiver_prefs)
    n, m = len(p), len(r)
    check_size(float((m + 1) ** n), MAX_STABLE_ENUMERATION, "matchings to enumerate",
               "enumerate only tiny instances")  # fmt: skip
    found = []
    for choice in itertools.product(range(-1, m), repeat=n):
        used = [b for b in choice if b >= 0]
        if len(used) != len(set(used)):
            continue
        pairs = {a: b for a, b in enumerate(choice) if b >= 0}
        if any(b not in p[a] or a not in r[b] for a, b in pairs.items()):
            continue
        if _is_stable(pairs, p, r):
            found.append(sorted(pairs.items()))
    return sorted(found)
