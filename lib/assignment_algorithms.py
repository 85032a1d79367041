"""How an assignment is found: vertices, augmenting paths and auctions (seed 001 §3.2).

Rows of a score matrix are tasks, columns are workers, as in
:mod:`lib.matching`. The functions here are the algorithms the book teaches
by writing them, small enough to follow by hand on a 4 x 4 instance:

* :func:`polygon_vertices` lists the vertices of a two-variable LP's feasible
  region, the picture of why an LP optimum sits at a vertex;
* :func:`best_augmenting_path` and :func:`augmenting_path_matching` grow a
  matching one augmenting path at a time (the idea behind the Hungarian
  method of Kuhn);
* :func:`auction_bid` and :func:`auction_assignment` run Bertsekas's auction,
  in which tasks bid for workers and the prices they bid are wages;
* :func:`cs_violation` measures how far a matching and prices are from
  complementary slackness (the auction's epsilon);
* :func:`interior_point_optimum` asks HiGHS's interior-point method, without
  crossover, for an optimum that need not be a vertex.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linprog

from lib._exact import exact_float, exact_integers, exact_sum
from lib._validate import (
    as_capacity_vector,
    as_integer,
    as_pair_list,
    as_real,
    as_real_matrix,
    as_real_vector,
    check_size,
)

__all__ = [
    "MAX_AUCTION_BIDS",
    "AugmentingStep",
    "AugmentingPathResult",
    "Bid",
    "AuctionResult",
    "polygon_vertices",
    "best_augmenting_path",
    "augmenting_path_matching",
    "auction_bid",
    "auction_assignment",
    "cs_violation",
    "interior_point_optimum",
]

#: Largest number of bids :func:`auction_assignment` may need (its bound
#: ``k * (C / epsilon + 2)`` is checked before it starts).
MAX_AUCTION_BIDS = 2_000_000

#: Two constraint lines are parallel when the determinant of their
#: coefficients is below this share of its two products.
_PLANE_SHARE = 1e-12


# ============================================================== the plane


def polygon_vertices(a_ub: Any, b_ub: Any) -> np.ndarray:
    """Vertices of ``{x in R^2 : a_ub @ x <= b_ub, x >= 0}``, in counter-clockwise order.

    Every pair of constraint lines (the rows of ``a_ub`` and the two axes) is
    intersected, and the intersections that satisfy every constraint are
    kept: a vertex is a feasible point where two independent constraints are
    tight.

    Parameters
    ----------
    a_ub : array_like, shape (n_constraints, 2)
    b_ub : array_like, shape (n_constraints,)

    Returns
    -------
    numpy.ndarray, shape (n_vertices, 2)

    Raises
    ------
    ValueError
        If ``a_ub`` does not have two columns, the lengths differ, or the
        region is empty or unbounded.

    Examples
    --------
    >>> polygon_vertices([[1, 1]], [1]).tolist()
    [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    """
    a = as_real_matrix(a_ub, "a_ub", meaning="constraints x variables")
    if a.shape[1] != 2:
        raise ValueError(f"a_ub must have 2 columns (two variables); got {a.shape[1]}.")
    b = as_real_vector(b_ub, "b_ub", length=a.shape[0])
    n_rows = a.shape[0]
    # Each variable in its own unit and each row by its own size, both by
    # powers of two (exact): the products below stay in range whatever the
    # magnitudes, and a variable measured in 1e8 beside one in 1e-8 is as
    # exact as two in the same unit. Every tolerance is relative to the
    # quantities compared, so these units change no decision.
    unit = _power_of_two(np.abs(a).max(axis=0))
    rows = np.vstack([a * unit, -np.eye(2)])
    rhs = np.concatenate([b, np.zeros(2)])
    size = _power_of_two(np.abs(rows).max(axis=1))
    rows, rhs = rows * size[:, None], rhs * size
    points, spread = [], []
    for p, q in itertools.combinations(range(len(rows)), 2):
        (r0, r1), (q0, q1), c, d = rows[p], rows[q], rhs[p], rhs[q]
        det = r0 * q1 - r1 * q0
        # Parallel: the determinant is rounding noise of its two products.
        if abs(det) <= _PLANE_SHARE * (abs(r0 * q1) + abs(r1 * q0)):
            continue
        x = np.array([(c * q1 - d * r1) / det, (r0 * d - q0 * c) / det])  # Cramer's rule
        # What the coordinates are computed from: two points closer than a
        # share of it are one vertex met twice.
        spread.append(np.array([abs(c * q1) + abs(d * r1), abs(r0 * d) + abs(q0 * c)]) / abs(det))
        points.append(x)
    keep = []
    for k, x in enumerate(points):
        # Feasible: every row holds to 1e-9 of the terms it compares.
        slack = rows @ x - rhs
        if np.all(slack <= 1e-9 * (np.abs(rows) @ np.abs(x) + np.abs(rhs))):
            keep.append(k)
    if not keep:
        raise ValueError("the region {a_ub @ x <= b_ub, x >= 0} is empty.")
    # One vertex per point: the best-determined copy (smallest spread) of
    # each group of coincident points.
    keep.sort(key=lambda k: float(spread[k].sum()))
    vertices: list[int] = []
    for k in keep:
        if not any(np.all(np.abs(points[k] - points[v]) <= 1e-9 * np.maximum(spread[k], spread[v]))
                   for v in vertices):  # fmt: skip
            vertices.append(k)
    pts = np.array([points[k] for k in vertices])
    # Unbounded when a direction d >= 0, d != 0, has a @ d <= 0. That cone's
    # extreme rays are the axes or lie along a constraint line.
    a_rows = rows[:n_rows]
    rays = [np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    for row in a_rows:
        for d in (np.array([row[1], -row[0]]), np.array([-row[1], row[0]])):
            if np.all(d >= 0) and np.any(d > 0):
                rays.append(d / np.abs(d).max())
    if any(np.all(a_rows @ d <= _PLANE_SHARE * (np.abs(a_rows) @ np.abs(d))) for d in rays):
        raise ValueError("the region is unbounded; add constraints that bound it.")
    # Counter-clockwise from the lowest-left point: the others by the turn
    # from it, decided exactly (angles around a centre tie in floats on a
    # thin polygon, a side of 1e-67 beside one of 0.1).
    pts = pts * unit  # back to the variables' own units (exact)
    exact = [(Fraction(float(x)), Fraction(float(y))) for x, y in pts]
    first = min(range(len(exact)), key=lambda k: exact[k])
    p0 = exact[first]

    def turn(k: int, l: int) -> int:
        (ax, ay), (bx, by) = exact[k], exact[l]
        cross = (ax - p0[0]) * (by - p0[1]) - (ay - p0[1]) * (bx - p0[0])
        return -1 if cross > 0 else 1 if cross < 0 else 0

    others = sorted((k for k in range(len(exact)) if k != first), key=functools.cmp_to_key(turn))
    return pts[[first, *others]] + 0.0


def _power_of_two(size: np.ndarray) -> np.ndarray:
    """1 / (a power of two near ``size``), 1 where ``size`` is 0: an exact unit."""
    exponent = np.frexp(np.where(size > 0, size, 1.0))[1]
    return np.ldexp(1.0, -exponent)


# ============================================================== augmenting paths


@dataclass(frozen=True)
class AugmentingStep:
    """One augmentation: the path, what it gains, and the matching after it.

    Attributes
    ----------
    path : list of tuple of (str, int)
        Alternating nodes, ``("task", i)`` and ``("worker", j)``: from a free
        task, along an unmatched edge to a worker, back along a matched edge
        to a task, ..., ending at a worker with room.
    gain : float
        Scores of the edges added minus scores of the edges removed.
    pairs : list of tuple of int
        The matching after the augmentation, sorted by task.
    total : float
        Its total score.

    Examples
    --------
    >>> step = augmenting_path_matching([[3, 1], [4, 1]]).steps[1]
    >>> step.path  # task 1 takes worker 0, whose task 0 moves to worker 1
    [('task', 1), ('worker', 0), ('task', 0), ('worker', 1)]
    >>> step.gain, step.total  # 4 - 3 + 1
    (2.0, 5.0)
    """

    path: list[tuple[str, int]]
    gain: float
    pairs: list[tuple[int, int]]
    total: float


@dataclass(frozen=True)
class AugmentingPathResult:
    """A maximum-score matching grown by augmenting paths.

    Attributes
    ----------
    objective : float
        Total score of the final matching.
    pairs : list of tuple of int
        Its ``(task, worker)`` pairs, sorted by task.
    steps : list of AugmentingStep
        One augmentation per task, in the order the tasks were placed.

    Examples
    --------
    >>> res = augmenting_path_matching([[3, 1], [4, 1]])
    >>> res.objective, res.pairs, len(res.steps)
    (5.0, [(0, 1), (1, 0)], 2)
    """

    objective: float
    pairs: list[tuple[int, int]]
    steps: list[AugmentingStep]


def _pairs_to_assignment(
    pairs: Any, n_tasks: int, n_workers: int, capacity: np.ndarray
) -> np.ndarray:
    """Validate a matching; return the worker of each task (-1 when free)."""
    worker_of = np.full(n_tasks, -1, dtype=np.int64)
    load = np.zeros(n_workers, dtype=np.int64)
    for i, j in as_pair_list(pairs, n_tasks, n_workers):
        if worker_of[i] >= 0:
            raise ValueError(f"pairs: task {i} is matched twice; a task takes one worker.")
        worker_of[i] = j
        load[j] += 1
    over = np.flatnonzero(load > capacity)
    if over.size:
        j = int(over[0])
        raise ValueError(f"pairs: worker {j} has {load[j]} tasks but capacity {capacity[j]}.")
    return worker_of


def best_augmenting_path(
    scores: Any, pairs: Any, task: int, capacity: Any = None
) -> AugmentingStep:
    """The best way to place one more task, by an alternating path.

    From the free task ``task``, an *alternating path* takes an edge not in
    the matching to a worker; if that worker has no room, the matched edge
    back to one of the worker's tasks; then an unmatched edge again, and so
    on. It ends at a worker with room, or at a task that gives up its worker
    (a task may stay unassigned, at value 0; the path ``[task]`` alone
    leaves the new task unassigned). Flipping the path (unmatched edges in,
    matched edges out) gives a new matching; its *gain* is the score added
    minus the score removed.

    The best path is a longest path in the alternating graph, found by
    Bellman-Ford. When ``pairs`` is a best matching of the tasks placed so
    far (as every matching :func:`augmenting_path_matching` builds is), that
    graph has no cycle of positive gain, so longest paths are well defined
    and the flipped matching is a best matching of one more task.

    Gains are added up and compared exactly (the scores as integers over a
    common denominator), with no tolerance: scores of any magnitudes side by
    side, ``1e-8`` beside ``1e8``, lose nothing, and the new matching is
    exactly optimal for the scores as given. Of two paths of equal gain the
    first found is kept, and of equally good ends the lowest node (tasks
    before workers, each by index). The returned gain and total are the
    exact values, correctly rounded.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
    pairs : sequence of (task, worker)
        The current matching.
    task : int
        A task that ``pairs`` leaves unassigned.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1).

    Returns
    -------
    AugmentingStep

    Examples
    --------
    Task 1 takes worker 0 from task 0, which moves to worker 1:

    >>> step = best_augmenting_path([[3, 1], [4, 1]], pairs=[(0, 0)], task=1)
    >>> step.path, step.gain, step.pairs
    ([('task', 1), ('worker', 0), ('task', 0), ('worker', 1)], 2.0, [(0, 1), (1, 0)])
    """
    s = as_real_matrix(scores, "scores")
    n_tasks, n_workers = s.shape
    cap = as_capacity_vector(capacity, n_workers)
    worker_of = _pairs_to_assignment(pairs, n_tasks, n_workers, cap)
    start = as_integer(task, "task", minimum=0, maximum=n_tasks - 1)
    if worker_of[start] >= 0:
        raise ValueError(f"task {start} already has worker {worker_of[start]}; pick a free task.")
    load = np.bincount(worker_of[worker_of >= 0], minlength=n_workers)
    # Exact arithmetic: scores of any magnitudes side by side (1e-8 beside
    # 1e8) add up without rounding, and gains are compared without a
    # tolerance (a fixed one, or one relative to the largest score, was
    # wrong when two scales met).
    k, den = exact_integers(s)

    # Nodes: tasks 0..n-1, workers n..n+m-1. gain[node] = best gain of an
    # alternating path from the start task to the node (None: not reached).
    n_nodes = n_tasks + n_workers
    gain: list[int | None] = [None] * n_nodes
    gain[start] = 0
    parent = [-1] * n_nodes
    matched = [int(i) for i in np.flatnonzero(worker_of >= 0)]
    for _ in range(n_nodes):
        changed = False
        for i in range(n_tasks):  # task -> worker, unmatched edge
            if gain[i] is None:
                continue
            for j in range(n_workers):
                g, w = gain[i] + k[i][j], n_tasks + j
                if worker_of[i] != j and (gain[w] is None or g > gain[w]):
                    gain[w], parent[w] = g, i
                    changed = True
        for i in matched:  # worker -> one of its tasks, matched edge
            j = int(worker_of[i])
            if gain[n_tasks + j] is None:
                continue
            g = gain[n_tasks + j] - k[i][j]
            if gain[i] is None or g > gain[i]:
                gain[i], parent[i] = g, n_tasks + j
                changed = True
        if not changed:
            break
    # Where a path may end: a worker with room, or a task (left unassigned).
    ends = [n_tasks + j for j in range(n_workers) if load[j] < cap[j]]
    ends += [i for i in range(n_tasks) if i == start or i in set(matched)]
    ends = [v for v in ends if gain[v] is not None]
    end = max(ends, key=lambda v: (gain[v], -v))  # the best, the lowest node on ties
    nodes = [end]
    while nodes[-1] != start:
        nodes.append(int(parent[nodes[-1]]))
        if len(nodes) > n_nodes:  # pragma: no cover - only with a positive cycle
            raise ValueError("pairs is not a best matching of its tasks (a positive cycle).")
    nodes.reverse()
    path = [("task", v) if v < n_tasks else ("worker", v - n_tasks) for v in nodes]
    new = worker_of.copy()
    for (kind, a), (_, b) in zip(path, path[1:]):
        if kind == "task":  # the edge task a -> worker b comes in
            new[a] = b
    if path[-1][0] == "task":  # the last task gives up its worker
        new[path[-1][1]] = -1
    new_pairs = [(int(i), int(new[i])) for i in range(n_tasks) if new[i] >= 0]
    total = sum(k[i][j] for i, j in new_pairs)
    old_total = sum(k[i][int(worker_of[i])] for i in matched)
    # Both correctly rounded from their exact values.
    what = "the total of the scores of the new matching (scores)"
    return AugmentingStep(path, exact_float(Fraction(total - old_total, den), what), new_pairs,
                          exact_float(Fraction(total, den), what))  # fmt: skip


def augmenting_path_matching(scores: Any, capacity: Any = None) -> AugmentingPathResult:
    """A maximum-score matching, placing the tasks one at a time by augmenting paths.

    The Hungarian method's order (Kuhn 1955): task 0, then task 1, ...;
    each is placed by the best alternating path from it
    (:func:`best_augmenting_path`), which may move earlier tasks to other
    workers or leave one of them unassigned. After task k the matching is a
    best matching of tasks 0..k, so after the last task it is optimal.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    AugmentingPathResult
        The optimal matching and every augmentation that built it.

    Examples
    --------
    >>> res = augmenting_path_matching([[3, 1], [4, 1]])
    >>> res.objective, res.pairs, [s.gain for s in res.steps]
    (5.0, [(0, 1), (1, 0)], [3.0, 2.0])
    """
    s = as_real_matrix(scores, "scores")
    cap = as_capacity_vector(capacity, s.shape[1])
    pairs: list[tuple[int, int]] = []
    steps: list[AugmentingStep] = []
    for i in range(s.shape[0]):
        step = best_augmenting_path(s, pairs, i, cap)
        steps.append(step)
        pairs = step.pairs
    total = steps[-1].total if steps else 0.0  # the exact total, correctly rounded
    return AugmentingPathResult(total, pairs, steps)


# ============================================================== the auction


@dataclass(frozen=True)
class Bid:
    """One bid of the auction: a task raises a worker's price (wage).

    Attributes
    ----------
    task, worker : int
        Who bids, for whom.
    price_before, price_after : float
        The worker's price before and after the bid.
    displaced : int or None
        The task the worker held before, now free again.

    Examples
    --------
    >>> auction_assignment([[3.0, 1.0], [4.0, 1.0]], epsilon=0.1).bids[0]  # 0 + (3 - 1) + 0.1
    Bid(task=0, worker=0, price_before=0.0, price_after=2.1, displaced=None)
    """

    task: int
    worker: int
    price_before: float
    price_after: float
    displaced: int | None


@dataclass(frozen=True)
class AuctionResult:
    """The result of :func:`auction_assignment`.

    Attributes
    ----------
    objective : float
        Total score of the assignment found.
    pairs : list of tuple of int
        ``(task, worker)`` pairs with a positive score, sorted by task.
    prices : numpy.ndarray
        Final price (wage) of each worker.
    profits : numpy.ndarray
        Each task's best net value ``max_j (s_ij - p_j)`` at the final
        prices (0 when staying unassigned is better).
    epsilon : float
        The bid increment.
    bids : list of Bid
        Every bid, in order.

    Examples
    --------
    >>> res = auction_assignment([[3.0, 1.0], [4.0, 1.0]], epsilon=0.1)
    >>> res.objective, res.pairs, res.prices.tolist(), len(res.bids)
    (5.0, [(0, 1), (1, 0)], [3.1, 1.1], 3)
    """

    objective: float
    pairs: list[tuple[int, int]]
    prices: np.ndarray
    profits: np.ndarray
    epsilon: float
    bids: list[Bid]


def _first_best(value: np.ndarray, s_row: np.ndarray, p: np.ndarray, skip: int = -1) -> int:
    """Index of the exact maximum of ``s_row - p`` (the lowest on exact
    ties), ``skip`` left out; ``value`` is its correctly rounded float.
    Rounding is monotone, so the exact maximum rounds to the float maximum:
    only the entries equal to it are compared exactly."""
    keep = np.arange(value.size) != skip
    near = np.flatnonzero(keep & (value == value[keep].max()))
    if near.size == 1:
        return int(near[0])
    return int(max(near, key=lambda j: (Fraction(float(s_row[j])) - Fraction(float(p[j])), -j)))


#: Significant digits a bid's price keeps, of the largest quantity it adds up.
_PRICE_DIGITS = 12


def auction_bid(scores: Any, prices: Any, task: int, epsilon: float) -> tuple[int, float]:
    """One bid: the worker a task bids for, and the price it offers.

    At prices ``p`` task ``i`` values worker ``j`` at ``s_ij - p_j``. It bids
    for its best worker ``j*`` and raises that worker's price until ``j*`` is
    only ``epsilon`` better than its second-best worker:

    .. math::

        p_{j^*} + (\\text{best} - \\text{second best}) + \\varepsilon .

    With a single worker there is no second best and the price rises by
    ``epsilon``. Ties go to the lowest worker index. The net values are
    compared exactly, and the new price is the exact value of the formula,
    ``s_ij* - s_ik + p_k + epsilon`` (``k`` the second best), rounded once
    to 12 significant digits of the largest quantity it adds up
    (``|s_ij*|``, ``|s_ik|``, ``|p_k|``, ``epsilon``): decimal inputs lose
    their last-bit noise (``0.9 - 0.8 + 0.01`` is ``0.11``), and the rule is
    relative, not a number of decimals, so prices of ``1e-8`` and of ``1e8``
    keep the same number of digits.

    A bid must raise the price. When ``epsilon`` is below that resolution
    (about ``1e-12`` of the largest quantity added up), the rounded price
    can stay where it was, and an auction of such bids would never end: then
    ``auction_bid`` refuses (``ValueError``). The rule is exactly "the
    rounded new price is not above ``p_j*``".

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    prices : array_like, shape (n_workers,)
        The workers' current prices.
    task : int
        The bidding task.
    epsilon : float
        The bid's margin over the second-best worker, > 0.

    Returns
    -------
    tuple of (int, float)
        The worker bid for and its new price.

    Raises
    ------
    ValueError
        If ``epsilon`` is not positive, or the rounded new price would not
        be above the current one (``epsilon`` below the price's resolution),
        or the price is beyond the largest float.

    Examples
    --------
    >>> auction_bid([[0.8, 0.7, 0.6]], [0.0, 0.0, 0.0], task=0, epsilon=0.01)
    (0, 0.11)
    >>> auction_bid([[1.0, 0.0]], [1.0, 0.0], task=0, epsilon=1e-13)
    Traceback (most recent call last):
    ...
    ValueError: epsilon = 1e-13 is below the resolution of worker 0's price 1.0: the bid would not raise it.
    """
    s = as_real_matrix(scores, "scores")
    n_tasks, n_workers = s.shape
    p = as_real_vector(prices, "prices", length=n_workers)
    i = as_integer(task, "task", minimum=0, maximum=n_tasks - 1)
    eps = as_real(epsilon, "epsilon", minimum=0.0, include_minimum=False)
    return _bid(s[i], p, eps)


def _bid(s_row: np.ndarray, p: np.ndarray, eps: float) -> tuple[int, float]:
    """The bid of :func:`auction_bid` on validated inputs."""
    with np.errstate(over="ignore"):  # a net value beyond the floats is +-inf, in order
        value = s_row - p
    best = _first_best(value, s_row, p)
    if p.size == 1:
        terms = [float(p[best]), eps]
    else:  # p_b + (best - second) + eps = s_b - s_k + p_k + eps
        second = _first_best(value, s_row, p, skip=best)
        terms = [float(s_row[best]), -float(s_row[second]), float(p[second]), eps]
    # The exact sum rounded to 12 significant digits of the largest quantity
    # added up: relative, not a number of decimals (decimal inputs lose their
    # last-bit noise, and a bid at 1e-8 keeps as many digits as one at 1e8).
    # Rounded in rationals: a float sum would round twice at a midpoint.
    digits = _PRICE_DIGITS - 1 - math.floor(math.log10(max(abs(x) for x in terms)))
    exact = round(sum((Fraction(x) for x in terms), Fraction(0)), digits)
    new_price = exact_float(exact, "the new price p + best - second + epsilon (prices, scores)")
    if not new_price > p[best]:
        raise ValueError(
            f"epsilon = {eps!r} is below the resolution of worker {best}'s price "
            f"{float(p[best])!r}: the bid would not raise it."
        )
    return best, new_price + 0.0


def auction_assignment(scores: Any, epsilon: float) -> AuctionResult:
    """Bertsekas's auction: tasks bid for workers, one bid at a time.

    Every worker starts at price 0. While some task holds nothing, the first
    of them bids (:func:`auction_bid`); the worker goes to the highest
    bidder, and the task it held is free again. A task may always stay
    unassigned, at value 0: besides the workers there are ``n_tasks``
    "stay unassigned" options of score 0, which are bid for like workers,
    and a negative score counts as 0.

    At the end every task holds an option within ``epsilon`` of its best
    (epsilon-complementary slackness), so the total is within
    ``n_tasks * epsilon`` of the optimum, and it is optimal when the scores
    are integers and ``epsilon < 1 / n_tasks`` (Bertsekas 1988).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
    epsilon : float
        The bid increment, > 0.

    Returns
    -------
    AuctionResult

    Raises
    ------
    ValueError
        If ``epsilon`` is not positive, or so small that the auction could
        need more than :data:`MAX_AUCTION_BIDS` bids.

    Examples
    --------
    >>> res = auction_assignment([[3, 1], [2, 1]], epsilon=0.1)
    >>> res.pairs, res.objective
    ([(0, 0), (1, 1)], 4.0)
    """
    s = as_real_matrix(scores, "scores")
    eps = as_real(epsilon, "epsilon", minimum=0.0, include_minimum=False)
    n_tasks, n_workers = s.shape
    # Columns: the workers, then one "stay unassigned" option per task.
    options = np.hstack([np.maximum(s, 0.0), np.zeros((n_tasks, n_tasks))])
    k = options.shape[1]
    # An option receives at most max / eps + 2 bids: while a task holds
    # nothing, some option has never been bid for and costs 0.
    check_size(k * (float(options.max()) / eps + 2), MAX_AUCTION_BIDS, "auction bids",
               "use a larger epsilon")  # fmt: skip
    prices = np.zeros(k)
    holder = np.full(k, -1, dtype=np.int64)  # task holding each option
    held = np.full(n_tasks, -1, dtype=np.int64)
    bids: list[Bid] = []
    free = list(range(n_tasks))
    while free:
        i = free.pop(0)
        j, new_price = _bid(options[i], prices, eps)
        displaced = int(holder[j])
        if displaced >= 0:
            held[displaced] = -1
            free.append(displaced)
        if j < n_workers:
            bids.append(Bid(i, j, float(prices[j]), new_price,
                            displaced if displaced >= 0 else None))  # fmt: skip
        prices[j] = new_price
        holder[j] = i
        held[i] = j
    pairs = [(i, int(held[i])) for i in range(n_tasks) if held[i] < n_workers and s[i, held[i]] > 0]
    wages = prices[:n_workers].copy()
    profits = np.maximum((s - wages).max(axis=1), 0.0)
    total = float(sum(s[i, j] for i, j in pairs))
    return AuctionResult(total, pairs, wages, profits, eps, bids)


def cs_violation(scores: Any, pairs: Any, prices: Any) -> float:
    """How far a matching is from complementary slackness at given prices.

    For each task, its best net value ``max(0, max_j (s_ij - p_j))`` minus
    the net value of what it holds (``s_ij - p_j`` for its worker, 0 when
    unassigned); the largest of these. A matching and prices satisfy
    epsilon-complementary slackness when the result is at most epsilon, and
    complementary slackness when it is 0.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    pairs : sequence of (int, int)
        The matching's ``(task, worker)`` pairs.
    prices : array_like, shape (n_workers,)
        The workers' prices.

    Returns
    -------
    float
        The largest shortfall of a task's net value from its best; 0 at
        complementary slackness. Each shortfall is the exact value of
        ``s_ib - p_b - (s_ij - p_j)``, correctly rounded (no fixed number of
        decimals), so it is exact at every magnitude.

    Examples
    --------
    >>> cs_violation([[3, 1], [2, 1]], [(0, 0), (1, 1)], [1.5, 0.5])
    0.0
    >>> cs_violation([[3, 1], [2, 1]], [(0, 1), (1, 0)], [0.0, 0.0])
    2.0
    """
    s = as_real_matrix(scores, "scores")
    n_tasks, n_workers = s.shape
    p = as_real_vector(prices, "prices", length=n_workers)
    worker_of = _pairs_to_assignment(pairs, n_tasks, n_workers, np.ones(n_workers, dtype=np.int64))
    with np.errstate(over="ignore"):  # a net value beyond the floats is +-inf, in order
        value = s - p
    worst = 0.0
    for i, j in enumerate(worker_of.tolist()):
        b = _first_best(value[i], s[i], p)
        best = [float(s[i, b]), -float(p[b])] if value[i, b] > 0 else []  # 0: stay unassigned
        held = [float(s[i, j]), -float(p[j])] if j >= 0 else []
        # The exact shortfall, correctly rounded: no decimals are cut, so it
        # is as exact for values of 1e-8 as for prices of 1e8.
        worst = max(worst, exact_sum(best + [-x for x in held], "a shortfall (scores, prices)"))
    return worst + 0.0


def interior_point_optimum(scores: Any, capacity: Any = None) -> np.ndarray:
    """An optimal x of the matching LP from HiGHS's interior-point method,
    without crossover to a vertex.

    An interior-point method follows a path through the inside of the
    feasible region; when the optimum is a whole face (several optimal
    assignments), it converges to a point inside that face, so the answer
    can be fractional although every *vertex* is integral.

    HiGHS stops at its tolerance: ``s @ x`` is optimal to about ``1e-7`` of
    the scores it adds up (the sum over tasks of their largest ``|s_ij|``;
    within ``2e-8`` on instances mixing ``1e-8`` and ``1e8``). A score
    smaller than that beside larger ones is below the method's resolution,
    and counts as a tie.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    numpy.ndarray, shape (n_tasks, n_workers)

    Examples
    --------
    >>> x = interior_point_optimum([[1.0, 1.0], [1.0, 1.0]])
    >>> bool(np.allclose(x, 0.5, atol=1e-3))
    True
    """
    from lib.matching import matching_constraint_matrix

    s = as_real_matrix(scores, "scores")
    n_tasks, n_workers = s.shape
    cap = as_capacity_vector(capacity, n_workers)
    check_size(s.size, 1_000_000, "LP variables", "use lib.matching.solve_matching")
    scale = float(np.abs(s).max()) or 1.0
    with warnings.catch_warnings():
        # HiGHS's own option name is passed through verbatim; scipy warns
        # that it does not know it.
        warnings.simplefilter("ignore")
        res = linprog(
            -s.ravel() / scale,
            A_ub=matching_constraint_matrix(n_tasks, n_workers),
            # A capacity above n_tasks binds nothing; 2**62 made HiGHS fail.
            b_ub=np.concatenate([np.ones(n_tasks), np.minimum(cap, n_tasks).astype(float)]),
            bounds=(0, None),
            method="highs-ipm",
            # Presolve off: on tiny instances it can hand the interior-point
            # method a reduced problem that it ends without a verdict.
            options={"run_crossover": "off", "presolve": False},
        )
    if res.status != 0:  # pragma: no cover - feasible and bounded by construction
        raise RuntimeError(f"HiGHS's interior point did not finish: {res.message}")
    return np.clip(res.x.reshape(n_tasks, n_workers), 0.0, None)
