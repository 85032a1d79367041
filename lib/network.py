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
    n_workers = scores.shape[1]
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
    total = float(matched.sum())
    scale = float(np.abs(scores).max()) or 1.0
    tol = 1e-12 * scale

    open_ = capacity > 0
    full = open_ & (load >= capacity)
    # Prices as the iteration sees them: a closed worker (capacity 0) takes
    # nothing, whatever its price, so it constrains no task (price +inf).
    v = np.zeros(n_workers)
    start = np.full(n_workers, np.inf)
    np.minimum.at(start, cols, matched)
    v[full] = start[full]
    v[~open_] = np.inf

    def task_values(prices: np.ndarray) -> np.ndarray:
        return np.maximum((scores - prices).max(axis=1), 0.0)

    converged = False
    for _ in range(int(full.sum()) + 2):
        bound = np.full(n_workers, np.inf)
        np.minimum.at(bound, cols, matched - task_values(v)[rows])
        new = np.where(full, np.minimum(v, bound), v)
        moved = float(np.max(v[full] - new[full], initial=0.0))
        v = new
        if moved <= tol:
            converged = True
            break
    u = task_values(v)
    if not converged or np.any(v[open_] < -tol):
        raise ValueError(
            f"x is not an optimal assignment: no dual solution reaches its total {total}."
        )
    v[open_] = np.maximum(v[open_], 0.0)
    if np.any(~open_):
        v[~open_] = np.maximum((scores[:, ~open_] - u[:, None]).max(axis=0), 0.0)
    gap = float(u.sum() + capacity[open_] @ v[open_]) - total
    if abs(gap) > 1e-9 * max(scale, abs(total)):
        raise ValueError(
            f"x is not an optimal assignment: no dual solution reaches its total {total}."
        )
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
    ``10**6`` and rounded, so the graph is for teaching and small checks.

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
                g.add_edge(("task", i), ("worker", j), capacity=1,
                           weight=-round(scores[i, j] * 10**6))  # fmt: skip
    for j in range(n_workers):
        g.add_edge(("worker", j), "sink", capacity=int(capacity[j]), weight=0)
    return g
