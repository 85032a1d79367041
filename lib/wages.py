"""What an assignment's prices mean: wages, the core, and stable matching (seed 001 §3.2).

One-to-one case: each task goes to at most one worker and each worker takes
at most one task. The optimal duals of the matching LP of
:mod:`lib.matching` split each matched pair's score ``s_ij`` into a
requester's surplus ``u_i`` and a worker's wage ``v_j``; that set of splits
is the *core* of the assignment game (Shapley and Shubik 1971): no task and
worker could both do better by leaving their partners and pairing up.

* :func:`optimal_dual_vertices` enumerates the vertices of that set, by
  complementary slackness with an optimal assignment found by enumeration
  (no LP solver: it is the reference for the next function);
* :func:`extreme_core_point` finds the worker-optimal or the
  requester-optimal core point, an LP with a secondary objective (HiGHS);
* :func:`wage_intervals` gives each worker's lowest and highest core wage;
* :func:`blocking_pairs` lists the pairs that would break a proposed split;
* :func:`deferred_acceptance` is Gale and Shapley's algorithm for ordinal
  preferences, and :func:`stable_matchings` lists every stable matching by
  enumeration.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

from lib._validate import as_choice, as_real, as_real_matrix, as_real_vector, check_size

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
]

#: Largest number of candidate vertices :func:`optimal_dual_vertices` tries.
MAX_VERTEX_CANDIDATES = 300_000
#: Largest number of matchings :func:`stable_matchings` enumerates.
MAX_STABLE_ENUMERATION = 300_000


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

    An optimal assignment is found by enumerating assignments
    (:func:`lib.matching.brute_force_matching`). By complementary slackness,
    every optimal dual ``(u, v) >= 0`` with ``u_i + v_j >= s_ij`` then has
    ``u_i + v_j = s_ij`` on the matched pairs, ``u_i = 0`` for an unassigned
    task and ``v_j = 0`` for an idle worker. These equations, with enough
    more of the inequalities made tight to fix a point, are solved for every
    choice of tight inequalities; the feasible solutions are the vertices.

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
        candidate systems, or is too large to enumerate assignments.

    Examples
    --------
    >>> optimal_dual_vertices([[2.0]]).tolist()
    [[0.0, 2.0], [2.0, 0.0]]

    A 2 x 2 instance (3 + 1 beats 1 + 2) has four vertices ``(u0, u1, v0, v1)``:

    >>> optimal_dual_vertices([[3.0, 1.0], [2.0, 1.0]]).tolist()
    [[0.0, 0.0, 3.0, 1.0], [1.0, 0.0, 2.0, 1.0], [1.0, 1.0, 2.0, 0.0], [2.0, 1.0, 1.0, 0.0]]
    """
    from math import comb

    from lib.matching import brute_force_matching

    s = _unit_scores(scores)
    n, m = s.shape
    best = brute_force_matching(s).optimal_pairs[0]
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
    # Tolerance and rounding relative to the scores' size: absolute ones merge
    # every vertex of tiny scores (1e-13) and keep noisy copies of huge ones.
    scale = float(np.abs(s).max()) or 1.0
    regular = np.abs(np.linalg.det(systems)) > 1e-9  # 0/1 systems: the size of s does not enter
    points = np.linalg.solve(systems[regular], rhs[regular][..., None])[..., 0]
    tol = 1e-9 * scale
    feasible = np.all(points @ G.T >= g - tol, axis=1) & np.all(np.abs(points @ E.T - e) <= tol, axis=1)
    found = points[feasible]
    found[np.abs(found) <= 1e-12 * scale] = 0.0  # a rounding residue of an exact 0
    # Several tight sets give the same vertex: keep one of each, as solved.
    vertices: list[np.ndarray] = []
    for point in found[np.lexsort(found.T[::-1])]:
        if not any(np.max(np.abs(point - kept)) <= tol for kept in vertices):
            vertices.append(point)
    return np.array(vertices).reshape(-1, d) + 0.0


def extreme_core_point(scores: Any, side: str = "workers") -> CorePoint:
    """The worker-optimal or the requester-optimal point of the core.

    Two LPs. The first is the matching LP's dual, whose optimal value is the
    best total score ``z`` (computed by :func:`lib.matching.solve_matching`).
    The second keeps its constraints, fixes its objective at ``z`` (so only
    optimal duals remain), and has a secondary objective: the largest total
    wage (``side="workers"``) or the smallest (``side="tasks"``, the
    requester-optimal point). Because the core is a lattice, the optimum of
    the secondary objective is the point that is best for *every* worker (or
    every requester) at once.

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
        The extreme point, rounded to 12 significant decimals of the largest score.

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
    """
    from lib.matching import solve_matching

    s = _unit_scores(scores)
    side = as_choice(side, "side", ("workers", "tasks"))
    n, m = s.shape
    z = solve_matching(s).objective
    scale = float(np.abs(s).max()) or 1.0
    # Dual feasibility u_i + v_j >= s_ij, written as -(u_i + v_j) <= -s_ij.
    rows = np.zeros((n * m, n + m))
    k = np.arange(n * m)
    rows[k, k // m] = -1.0
    rows[k, n + k % m] = -1.0
    sign = -1.0 if side == "workers" else 1.0
    res = linprog(
        np.concatenate([np.zeros(n), sign * np.ones(m)]),
        A_ub=rows,
        b_ub=-s.ravel() / scale,
        A_eq=np.ones((1, n + m)),
        b_eq=[z / scale],
        bounds=(0, None),
        method="highs-ds",
        options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    )
    if res.status != 0:  # pragma: no cover - the optimal duals always exist
        raise RuntimeError(f"HiGHS could not solve the secondary LP: {res.message}")
    # Rounded in units of the scores' size, then scaled back: rounding after
    # scaling erased scores below 1e-12 and overflowed near 1e300.
    y = np.round(np.maximum(res.x, 0.0), 12) * scale + 0.0
    return CorePoint(y[:n], y[n:])


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

    Solves ``min t`` over core points ``(u, v)`` with ``|v_j - wages_j| <= t``
    (an LP, HiGHS), to say how far a wage vector -- an auction's final
    prices, say -- is from being a set of stable wages.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.
    wages : array_like, shape (n_workers,)
        The wage vector to compare with the core, one finite wage per worker.

    Returns
    -------
    distance : float
        ``max_j |v_j - wages_j|`` at the nearest core point.
    point : CorePoint
        A core point whose wages are at that distance from ``wages``.

    Examples
    --------
    >>> d, point = nearest_core_point([[2.0, 1.0]], [1.5, 0.0])
    >>> d, point.wages.tolist()
    (0.5, [1.0, 0.0])
    """
    from lib.matching import solve_matching

    s = _unit_scores(scores)
    n, m = s.shape
    w = as_real_vector(wages, "wages", length=m)
    z = solve_matching(s).objective
    scale = max(float(np.abs(s).max()), float(np.abs(w).max()), 1e-300)
    d = n + m + 1  # variables (u, v, t)
    rows = np.zeros((n * m + 2 * m, d))
    rhs = np.zeros(n * m + 2 * m)
    k = np.arange(n * m)
    rows[k, k // m] = -1.0
    rows[k, n + k % m] = -1.0
    rhs[: n * m] = -s.ravel() / scale
    for j in range(m):  # v_j - t <= w_j and -v_j - t <= -w_j
        rows[n * m + 2 * j, [n + j, d - 1]] = (1.0, -1.0)
        rows[n * m + 2 * j + 1, [n + j, d - 1]] = (-1.0, -1.0)
        rhs[n * m + 2 * j] = w[j] / scale
        rhs[n * m + 2 * j + 1] = -w[j] / scale
    eq = np.concatenate([np.ones(n + m), [0.0]])[None, :]
    res = linprog(
        np.eye(d)[d - 1], A_ub=rows, b_ub=rhs, A_eq=eq, b_eq=[z / scale],
        bounds=(0, None), method="highs-ds",
        options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    )  # fmt: skip
    if res.status != 0:  # pragma: no cover - the core is never empty
        raise RuntimeError(f"HiGHS could not find the nearest core point: {res.message}")
    y = np.round(np.maximum(res.x, 0.0), 12) * scale + 0.0  # rounded in units of the scale
    point = CorePoint(y[:n], y[n : n + m])
    return float(y[-1]), point


def blocking_pairs(
    scores: Any, task_values: Any, wages: Any, tol: float = 1e-9
) -> list[tuple[int, int]]:
    """Pairs that could both do better by leaving their partners: ``u_i + v_j < s_ij``.

    A split ``(u, v) >= 0`` of an optimal assignment is in the core when no
    pair blocks it. A negative value also blocks (the task or worker would
    rather stay alone); it is reported as a ``ValueError``.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores ``s_ij``: what task ``i`` is worth with worker ``j``.
    task_values : array_like, shape (n_tasks,)
        The requesters' surpluses ``u_i``.
    wages : array_like, shape (n_workers,)
        The workers' wages ``v_j``.
    tol : float, optional
        How far ``u_i + v_j`` may fall short of ``s_ij`` before the pair
        counts as blocking (default ``1e-9``; non-negative), so that rounding
        errors do not block.

    Returns
    -------
    list of tuple of int
        The blocking ``(task, worker)`` pairs, in row-major order (empty when
        the split is in the core).

    Raises
    ------
    ValueError
        If a task value or a wage is below ``-tol``.

    Examples
    --------
    >>> blocking_pairs([[3.0, 1.0], [2.0, 1.0]], [2.0, 1.0], [1.0, 0.0])
    []
    >>> blocking_pairs([[3.0, 1.0], [2.0, 1.0]], [2.0, 0.5], [1.0, 0.0])
    [(1, 0), (1, 1)]
    """
    s = _unit_scores(scores)
    n, m = s.shape
    u = as_real_vector(task_values, "task_values", length=n)
    v = as_real_vector(wages, "wages", length=m)
    tol = as_real(tol, "tol", minimum=0.0)
    if np.any(u < -tol) or np.any(v < -tol):
        raise ValueError("task_values and wages must be non-negative (anyone may stay alone).")
    short = s - (u[:, None] + v[None, :])
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(short > tol))]


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
    if isinstance(prefs, (str, bytes)) or not hasattr(prefs, "__iter__"):
        raise TypeError(f"{name} must be a list of preference lists (best first).")
    out = []
    for k, row in enumerate(prefs):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
            raise TypeError(f"{name}[{k}] must be a list of indices, best first.")
        ranked = []
        for x in row:
            if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
                raise TypeError(f"{name}[{k}] must hold integer indices; got {x!r}.")
            if not 0 <= x < n_other:
                raise ValueError(f"{name}[{k}] names {x}; indices run from 0 to {n_other - 1}.")
            ranked.append(int(x))
        if len(set(ranked)) != len(ranked):
            raise ValueError(f"{name}[{k}] lists someone twice.")
        out.append(ranked)
    if not out:
        raise ValueError(f"{name} is empty; expected one preference list per member.")
    return out


def _validated_preferences(proposer_prefs: Any, receiver_prefs: Any):
    if isinstance(receiver_prefs, (str, bytes)) or not hasattr(receiver_prefs, "__len__"):
        raise TypeError("receiver_prefs must be a list of preference lists (best first).")
    if isinstance(proposer_prefs, (str, bytes)) or not hasattr(proposer_prefs, "__len__"):
        raise TypeError("proposer_prefs must be a list of preference lists (best first).")
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
