"""Matching with capacities as a network (seed 001, §4.1 数学模型构建).

A worker who may take ``c_j`` tasks is, for the optimum, the same as ``c_j``
workers who may take one task each. That turns the capacitated problem into
a one-to-one assignment that scipy's ``linear_sum_assignment`` solves
exactly (:func:`clone_workers`), and into a min-cost flow: a source sends one
unit to every task, task ``i`` passes it to worker ``j`` at cost ``-s_ij``,
and worker ``j`` passes at most ``c_j`` units to the sink
(:func:`flow_network`).

The network also gives the duals without an LP (:func:`max_price_duals`).
Given an optimal assignment, complementary slackness fixes every task value
once the worker prices are known (``u_i = s_ij - v_j`` for the worker ``j``
of task ``i``), and what is left is a system of *difference constraints*
between prices, ``v_a - v_j <= s_ia - s_ij``. Its greatest solution is a
shortest-path computation, done here by Bellman-Ford rounds on the dense
score matrix.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from lib._validate import as_capacity_vector, as_real_matrix

__all__ = [
    "MAX_CLONED_ENTRIES",
    "clone_workers",
    "flow_network",
    "max_price_duals",
]

#: Largest cloned score matrix (tasks x worker copies) :func:`clone_workers` builds.
MAX_CLONED_ENTRIES = 20_000_000


def _useful_copies(scores: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """How many copies of each worker the optimum can use."""
    n_tasks = scores.shape[0]
    copies = np.minimum(capacity, n_tasks)
    if np.any(copies > 1):
        # A worker never usefully takes a task it scores <= 0 on.
        copies = np.minimum(copies, (scores > 0).sum(axis=0))
    return copies


def clone_workers(scores: Any, capacity: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The one-to-one instance equivalent to a capacitated one.

    Worker ``j`` becomes ``min(c_j, n_tasks, #{i : s_ij > 0})`` identical
    columns: no optimum can use more copies (there are not more tasks, and a
    task the worker scores at most 0 on is never worth taking). When no
    worker may take more than one task the instance is already one-to-one
    and every worker with ``c_j >= 1`` keeps its one column, whatever its
    scores.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    cloned : numpy.ndarray, shape (n_tasks, n_copies)
        The score matrix with column ``k`` a copy of worker ``owner[k]``.
    owner : numpy.ndarray of int, shape (n_copies,)
        The worker each column stands for.

    Raises
    ------
    ValueError
        If the cloned matrix would exceed :data:`MAX_CLONED_ENTRIES`.

    Examples
    --------
    >>> cloned, owner = clone_workers([[3.0, 1.0], [2.0, 1.0]], capacity=[2, 1])
    >>> cloned
    array([[3., 3., 1.],
           [2., 2., 1.]])
    >>> owner
    array([0, 0, 1])
    """
    scores = as_real_matrix(scores, "scores")
    capacity = as_capacity_vector(capacity, scores.shape[1])
    copies = _useful_copies(scores, capacity)
    owner = np.repeat(np.arange(scores.shape[1]), copies)
    if scores.shape[0] * owner.size > MAX_CLONED_ENTRIES:
        raise ValueError(
            f"cloning gives a {scores.shape[0]} x {owner.size} matrix; at most "
            f"{MAX_CLONED_ENTRIES} entries are built. Use solve_matching(..., "
            "method='lp')."
        )
    return scores[:, owner], owner


def max_price_duals(
    scores: Any, capacity: Any, x: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The optimal dual with the highest price for every worker, from an
    optimal assignment, without solving an LP.

    Every optimal dual ``(u, v)`` satisfies complementary slackness with the
    optimal ``x``: a task's value is its score minus its worker's price, an
    unassigned task is worth 0, and a worker with spare capacity has price 0.
    The prices of the full workers must then satisfy the difference
    constraints ``v_a <= s_ia - u_i`` for each task ``i`` of worker ``a``,
    where ``u_i = max(0, max_j (s_ij - v_j))``. Starting from the upper bound
    ``v_a = min_i s_ia`` and applying these constraints until nothing moves
    is the Bellman-Ford algorithm; it stops at the greatest solution, every
    price as high as any optimal dual allows, after at most one round per
    worker. That price is what the platform loses if the worker takes one
    task fewer (the left slope of chapter 2).

    A worker with capacity 0 gets the lowest price that keeps the dual
    feasible (it costs nothing in the dual objective).

    Every comparison is made against the rounding of the quantities it
    compares, never against the largest score: a price moves or falls below
    0 when it does so by more than a few ulps of ``|s_ij| + |v_j|`` per full
    worker (the most steps a chain of differences takes), so a worker's
    small prices keep their own digits; and ``x`` is optimal when the dual
    objective equals its total to the rounding of those two sums. An ``x``
    that misses a pair whose score changes the float total is refused,
    however small the pair beside the others.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
    capacity : int or array_like of int
    x : array_like of 0/1, shape (n_tasks, n_workers)
        An optimal assignment, as :func:`lib.matching.solve_matching` returns.

    Returns
    -------
    task_values, worker_prices : numpy.ndarray
        ``u >= 0`` and ``v >= 0`` with ``u_i + v_j >= s_ij`` and
        ``sum(u) + capacity @ v`` equal to the total score of ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not a 0/1 assignment within the capacities, or is not
        optimal (then no dual reaches its total: the check doubles as a
        certificate of optimality).

    Examples
    --------
    >>> u, v = max_price_duals([[3.0, 1.0], [2.0, 1.0]], 1, [[1, 0], [0, 1]])
    >>> u.tolist(), v.tolist()
    ([0.0, 0.0], [3.0, 1.0])
    >>> max_price_duals([[3.0, 1.0], [2.0, 1.0]], 1, [[0, 1], [1, 0]])
    Traceback (most recent call last):
    ...
    ValueError: x is not an optimal assignment: no dual solution reaches its total 3.0.
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    x = as_real_matrix(x, "x")
    if x.shape != scores.shape:
        raise ValueError(f"x must have the shape of scores {scores.shape}; got {x.shape}.")
    if not np.all((x == 0) | (x == 1)):
        raise ValueError("x must hold only 0 and 1.")
    if np.any(x.sum(axis=1) > 1):
        raise ValueError("x gives a task to more than one worker.")
    load = x.sum(axis=0).astype(np.int64)
    if np.any(load > capacity):
        raise ValueError("x gives a worker more tasks than its capacity.")
    rows, cols = np.nonzero(x)
    matched = scores[rows, cols]
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(matched.sum())
    # Every comparison below is against the rounding error of the quantities
    # it compares (a few ulps of |s_ij| + |v_j| per step of a chain of
    # differences, and a price is at most one step per full worker away from
    # its start), never against the largest score: a worker whose scores are
    # 1e-16 of another's has prices of its own scale, and a tolerance from the
    # largest would accept any of them.
    open_ = capacity > 0
    full = open_ & (load >= capacity)
    ulps = 8 * np.finfo(float).eps * (int(full.sum()) + 2)
    # Prices as the iteration sees them: a closed worker (capacity 0) takes
    # nothing, whatever its price, so it constrains no task (price +inf).
    v = np.zeros(n_workers)
    start = np.full(n_workers, np.inf)
    np.minimum.at(start, cols, matched)
    v[full] = start[full]
    v[~open_] = np.inf
    own = (np.arange(rows.size), cols)
    rows_scores = scores[rows]

    def best_elsewhere(prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each matched task i of worker a: max(0, max_{j != a} s_ij - v_j),
        and the magnitude of the terms that computed it. Leaving the task's
        own worker out matters: s_ia - (s_ia - v_a) is v_a only up to the
        rounding of s_ia, which would drag a small price down a large row."""
        with np.errstate(invalid="ignore"):
            d = rows_scores - prices
        d[own] = -np.inf
        size = np.abs(rows_scores) + np.where(np.isfinite(prices), np.abs(prices), 0.0)
        return np.maximum(d.max(axis=1, initial=-np.inf), 0.0), size.max(axis=1, initial=0.0)

    converged = False
    tol = np.zeros(n_workers)
    for _ in range(int(full.sum()) + 2):
        elsewhere, size = best_elsewhere(v)
        bound = np.full(n_workers, np.inf)
        np.minimum.at(bound, cols, matched - elsewhere)
        tol = np.zeros(n_workers)
        np.maximum.at(tol, cols, ulps * size)
        new = np.where(full, np.minimum(v, bound), v)
        moved = np.zeros(n_workers)
        moved[full] = v[full] - new[full]
        v = new
        if np.all(moved <= tol):
            converged = True
            break
    if not converged or np.any(v[full] < -tol[full]):
        raise ValueError(
            f"x is not an optimal assignment: no dual solution reaches its total {total}."
        )
    v[open_] = np.maximum(v[open_], 0.0)
    # u_i = max(0, max_j s_ij - v_j): the dual is feasible pair by pair.
    u = np.maximum((scores - v).max(axis=1), 0.0)
    # Strong duality: the dual objective must equal the total of x, to the
    # rounding of the two sums compared (a few ulps of their terms per term),
    # never to a tolerance taken from the largest score. Two totals that
    # differ by less than that rounding are the same float: x is then as
    # optimal as a float can tell.
    terms = np.concatenate([u, capacity[open_] * v[open_]])
    try:
        gap = math.fsum(terms) - math.fsum(matched)
        size = math.fsum(terms) + math.fsum(np.abs(matched))
    except OverflowError:
        # A total beyond the float range cannot be compared: refuse, never
        # accept x unchecked.
        raise ValueError(
            "the total of scores over x, or of the duals, overflows a float (beyond "
            "1.8e308); rescale scores."
        ) from None
    if abs(gap) > 8 * np.finfo(float).eps * (n_tasks + n_workers + 2) * size:
        raise ValueError(
            f"x is not an optimal assignment: no dual solution reaches its total {total}."
        )
    if np.any(~open_):
        v[~open_] = np.maximum((scores[:, ~open_] - u[:, None]).max(axis=0), 0.0)
    return u, v


def flow_network(scores: Any, capacity: Any = None) -> Any:
    """The min-cost-flow network of a capacitated matching, as a networkx graph.

    Nodes ``"source"``, ``("task", i)``, ``("worker", j)`` and ``"sink"``. The
    source offers one unit to each task; an edge task ``i`` -> worker ``j``
    (only where ``s_ij > 0``) carries at most one unit at cost ``-s_ij``;
    worker ``j`` -> sink carries at most ``c_j``; an edge task ``i`` -> sink
    lets a unit skip the workers at cost 0, so that a task may stay
    unassigned. A minimum-cost flow of ``n_tasks`` units (the maximum flow)
    is a maximum-score matching (the
    network's constraint matrix is totally unimodular, so an integral flow is
    optimal). networkx needs integer costs: scores are multiplied by
    ``10**6`` and rounded (exactly, half to even, in Python integers, which
    cannot overflow), so a score below ``5e-7`` weighs 0 and the graph is for
    teaching and small checks.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Scores; only positive ones give a task -> worker edge.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    networkx.DiGraph
        The network, with ``capacity`` and integer ``weight`` on its edges.

    Examples
    --------
    >>> import networkx as nx
    >>> g = flow_network([[3.0, 1.0], [2.0, 1.0]], capacity=[2, 0])
    >>> flow = nx.max_flow_min_cost(g, "source", "sink")
    >>> -nx.cost_of_flow(g, flow) / 10**6
    5.0
    """
    import networkx as nx

    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    if scores.size > 10_000:
        raise ValueError(
            f"flow_network builds graphs of at most 10,000 task-worker pairs; "
            f"got {scores.size}. Use solve_matching."
        )
    g = nx.DiGraph()
    for i in range(n_tasks):
        g.add_edge("source", ("task", i), capacity=1, weight=0)
        g.add_edge(("task", i), "sink", capacity=1, weight=0)
        for j in range(n_workers):
            if scores[i, j] > 0:
                # Exact: the float product overflows beyond 1.8e302 and can
                # round a half-way case the wrong way.
                g.add_edge(("task", i), ("worker", j), capacity=1,
                           weight=-round(Fraction(float(scores[i, j])) * 10**6))  # fmt: skip
    for j in range(n_workers):
        g.add_edge(("worker", j), "sink", capacity=int(capacity[j]), weight=0)
    return g
