"""Assigning tasks in real time (seed 001, §3.2 step 4 实时调度与调整).

Tasks arrive one at a time in an arrival ``order``. An *immediate* policy
decides each task when it arrives, for good: :func:`run_online` runs any such
rule, given as a function ``choose(scores_of_task, capacity_left)`` that
returns a worker or ``None``; :func:`greedy_choice` and
:func:`bid_price_choice` are two rules. Two policies relax or refine that:

* :func:`batched_assignment` lets tasks wait: every ``batch_size`` arrivals
  it solves the offline problem for the waiting tasks against the capacity
  left (a rolling horizon), and commits;
* :func:`sample_then_match` is the algorithm of Kesselheim et al. for random
  arrival orders: it lets a first share of tasks go, then assigns a task
  only when the optimum of the tasks seen so far would.

:func:`compare_policies` runs them all on the same seeded arrival orders and
divides by the offline optimum. :func:`unweighted_adversary` and
:func:`weighted_adversary` play the adversary of the worst-case arguments
against any immediate rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lib._exact import exact_sum
from lib._validate import (
    as_arrival_order,
    as_bool,
    as_capacity_vector,
    as_integer,
    as_real,
    as_real_matrix,
    as_real_vector,
    as_seed,
    check_size,
)
from lib.matching import (
    OnlineResult,
    _total,
    make_skill_instance,
    skill_scores,
    solve_matching,
)
from lib.network import clone_workers

__all__ = [
    "AdversaryResult",
    "Choice",
    "PolicyComparison",
    "average_prices",
    "batched_assignment",
    "bid_price_assignment",
    "bid_price_choice",
    "compare_policies",
    "greedy_choice",
    "greedy_guarantee",
    "run_online",
    "sample_then_match",
    "task_days",
    "unweighted_adversary",
    "weighted_adversary",
]

#: An immediate rule: (scores of the arriving task, capacity left) -> worker or None.
Choice = Callable[[np.ndarray, np.ndarray], "int | None"]


def _result(scores: np.ndarray, pairs: list[tuple[int, int]], order: list[int]) -> OnlineResult:
    pairs = sorted(pairs)
    # Summed as solve_matching sums, so equal assignments get equal totals.
    return OnlineResult(_total(scores, pairs), pairs, list(order))


def _task_and_capacity(scores_of_task: Any, capacity_left: Any) -> tuple[np.ndarray, np.ndarray]:
    row = as_real_vector(scores_of_task, "scores_of_task")
    return row, as_capacity_vector(capacity_left, row.size, "capacity_left")


def greedy_choice(scores_of_task: np.ndarray, capacity_left: np.ndarray) -> int | None:
    """The available worker with the highest positive score (lowest index on
    ties), or ``None``.

    Parameters
    ----------
    scores_of_task : numpy.ndarray, shape (n_workers,)
        The arriving task's score with each worker.
    capacity_left : numpy.ndarray, shape (n_workers,)
        The capacity each worker has left.

    Returns
    -------
    int or None
        The chosen worker, or None to leave the task unassigned.

    Examples
    --------
    >>> greedy_choice(np.array([0.5, 0.9, 0.9]), np.array([1, 1, 1]))
    1
    >>> greedy_choice(np.array([0.5, 0.9]), np.array([1, 0]))
    0
    """
    return _greedy_pick(*_task_and_capacity(scores_of_task, capacity_left))


def _greedy_pick(row: np.ndarray, left: np.ndarray) -> int | None:
    candidates = np.where(left > 0, row, -np.inf)
    j = int(np.argmax(candidates))
    return j if candidates[j] > 0 else None


def bid_price_choice(
    scores_of_task: np.ndarray, capacity_left: np.ndarray, prices: np.ndarray
) -> int | None:
    """The available worker with the largest score minus price, if that
    surplus is at least 0 (and the score positive); else ``None``.

    A worker's price is what a unit of its capacity is expected to be worth
    to a later task: the task is turned away rather than given to a worker
    whose price it does not cover, and among the workers it covers it goes
    to the one whose capacity is cheapest. Only the *candidates* are
    compared: workers with capacity left and a positive score. A
    candidate's surplus above ``-1e-9`` times its own score counts as 0, so
    that rounding in a price does not turn away a task that covers it
    exactly (the tolerance is the candidate's own: a full worker, a negative
    score or another worker's much larger score does not widen it). Among
    the candidates whose surplus counts as at least 0, the largest surplus
    wins; ties go to the lowest index.

    Parameters
    ----------
    scores_of_task : numpy.ndarray, shape (n_workers,)
        The arriving task's score with each worker.
    capacity_left : numpy.ndarray, shape (n_workers,)
        The capacity each worker has left.
    prices : numpy.ndarray, shape (n_workers,)
        Each worker's price for a unit of its capacity.

    Returns
    -------
    int or None
        The chosen worker, or None to leave the task unassigned.

    Examples
    --------
    >>> bid_price_choice(np.array([0.9, 0.6]), np.array([1, 1]), np.array([0.5, 0.0]))
    1
    >>> bid_price_choice(np.array([0.4, 0.6]), np.array([1, 0]), np.array([0.5, 0.0])) is None
    True

    A full worker's huge score does not make a price short by ``1e-8`` look
    covered:

    >>> bid_price_choice(np.array([1e8, 1e-8]), np.array([0, 1]), np.array([0.0, 2e-8])) is None
    True
    """
    row, left = _task_and_capacity(scores_of_task, capacity_left)
    return _bid_price_pick(row, left, as_real_vector(prices, "prices", length=row.size))


def _bid_price_pick(row: np.ndarray, left: np.ndarray, prices: np.ndarray) -> int | None:
    """The rule of :func:`bid_price_choice` on validated arrays: the largest
    surplus score - price among available workers with a positive score,
    each surplus within -1e-9 times its own score counting as 0."""
    candidate = (left > 0) & (row > 0)
    surplus = row - prices
    covered = candidate & (surplus >= -1e-9 * row)
    if not covered.any():
        return None
    value = np.where(covered, np.maximum(surplus, 0.0), -np.inf)
    return int(np.argmax(value))


def run_online(
    scores: Any, capacity: Any = None, order: Any = None, choose: Choice = greedy_choice
) -> OnlineResult:
    """Run an immediate rule: each arriving task is assigned (or refused) at
    once and for good, by ``choose(scores[i], capacity_left)``.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker, rows in task order.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    order : sequence of int, optional
        The arrival order of the tasks (default 0, 1, 2, ...).
    choose : callable, default greedy_choice
        An immediate rule ``choose(scores_of_task, capacity_left) -> int or None``,
        such as :func:`greedy_choice`.

    Returns
    -------
    OnlineResult
        The total, the pairs made and the order used.

    Examples
    --------
    >>> run_online([[1.0, 0.9], [1.0, 0.0]], order=[0, 1]).objective
    1.0
    >>> run_online([[1.0, 0.9], [1.0, 0.0]], order=[1, 0]).objective
    1.9
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    left = as_capacity_vector(capacity, n_workers)
    order = as_arrival_order(order, n_tasks)
    if not callable(choose):
        raise TypeError("choose must be a function (scores_of_task, capacity_left) -> worker or None.")
    if choose is greedy_choice:  # the library's own rule needs no per-task checks
        return _run(scores, left, order, _greedy_pick, trusted=True)
    return _run(scores, left, order, choose, trusted=False)


def _run(scores: np.ndarray, left: np.ndarray, order: list[int], choose: Callable,
         trusted: bool) -> OnlineResult:
    """The arrival loop; a trusted (lib) rule gets the arrays without copies."""
    n_workers = scores.shape[1]
    left = left.copy()
    pairs = []
    for i in order:
        j = choose(scores[i], left) if trusted else choose(scores[i].copy(), left.copy())
        if j is None:
            continue
        if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j < n_workers:
            raise ValueError(f"choose returned {j!r}; expected a worker index or None.")
        if left[j] <= 0:
            raise ValueError(f"choose gave task {i} to worker {j}, who has no capacity left.")
        pairs.append((i, int(j)))
        left[j] -= 1
    return _result(scores, pairs, order)


def bid_price_assignment(
    scores: Any, prices: Any, capacity: Any = None, order: Any = None
) -> OnlineResult:
    """Assign arriving tasks by :func:`bid_price_choice` with fixed prices.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker, rows in task order.
    prices : array_like, shape (n_workers,)
        Each worker's bid price, fixed during the run.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    order : sequence of int, optional
        The arrival order of the tasks (default 0, 1, 2, ...).

    Returns
    -------
    OnlineResult
        The total, the pairs made and the order used.

    Examples
    --------
    >>> scores = [[0.3, 0.0], [1.0, 0.0]]
    >>> bid_price_assignment(scores, [0.5, 0.0]).pairs   # task 0 does not cover the price
    [(1, 0)]
    >>> bid_price_assignment(scores, [0.0, 0.0]).pairs   # no price: greedy
    [(0, 0)]
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    prices = as_real_vector(prices, "prices", length=n_workers)
    left = as_capacity_vector(capacity, n_workers)
    return _run(scores, left, as_arrival_order(order, n_tasks),
                lambda row, free: _bid_price_pick(row, free, prices), trusted=True)  # fmt: skip


def batched_assignment(
    scores: Any, capacity: Any = None, order: Any = None, batch_size: int = 1
) -> OnlineResult:
    """Rolling horizon: every ``batch_size`` arrivals, solve the matching of
    the waiting tasks against the capacity left, and commit it.

    ``batch_size=1`` decides each task alone, like greedy (up to ties);
    ``batch_size`` equal to the number of tasks is the offline optimum.
    Pairs scoring 0 or less are never committed (they would use capacity
    for nothing).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker, rows in task order.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    order : sequence of int, optional
        The arrival order of the tasks (default 0, 1, 2, ...).
    batch_size : int, default 1
        Arrivals between two decisions.

    Returns
    -------
    OnlineResult
        The total, the pairs made and the order used.

    Examples
    --------
    >>> scores = [[1.0, 0.9], [1.0, 0.0]]
    >>> batched_assignment(scores, batch_size=1).objective
    1.0
    >>> batched_assignment(scores, batch_size=2).objective
    1.9
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    left = as_capacity_vector(capacity, n_workers)
    order = as_arrival_order(order, n_tasks)
    batch_size = as_integer(batch_size, "batch_size", minimum=1)
    pairs = []
    for start in range(0, n_tasks, batch_size):
        batch = order[start:start + batch_size]
        if not np.any(left):
            break
        res = solve_matching(scores[batch], left)
        for k, j in res.pairs:
            if scores[batch[k], j] > 0:
                pairs.append((batch[k], j))
                left[j] -= 1
    return _result(scores, pairs, order)


def sample_then_match(
    scores: Any, capacity: Any = None, order: Any = None, sample_share: float = 1 / math.e
) -> OnlineResult:
    """The random-order algorithm of Kesselheim, Radke, Tönnis and Vöcking.

    The first ``floor(sample_share * n)`` arrivals are observed and refused.
    Each later task ``l`` is matched, among the tasks seen so far (``l``
    included), by an optimal matching; if that matching gives ``l`` a worker
    copy that is still free, ``l`` gets it. Capacities are handled by
    cloning each worker (:func:`lib.network.clone_workers`), so a "copy" is
    one unit of a worker's capacity.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker, rows in task order.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    order : sequence of int, optional
        The arrival order of the tasks (default 0, 1, 2, ...).
    sample_share : float, default 1/e
        Share of the arrivals observed and refused.

    Returns
    -------
    OnlineResult
        The total, the pairs made and the order used.

    Examples
    --------
    >>> scores = [[0.2], [0.1], [1.0], [0.3]]
    >>> sample_then_match(scores, order=[0, 1, 2, 3]).pairs   # 0 is observed; 2 is the best so far
    [(2, 0)]
    >>> sample_then_match(scores, order=[2, 0, 1, 3]).pairs   # the best came first, in the sample
    []
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    order = as_arrival_order(order, n_tasks)
    share = as_real(sample_share, "sample_share", minimum=0.0, maximum=1.0)
    cloned, owner = clone_workers(scores, capacity)
    check_size(n_tasks * cloned.size, 5e8, "entries over all re-solves", "use a smaller instance")
    free = np.ones(owner.size, dtype=bool)
    pairs = []
    if owner.size == 0:
        return _result(scores, pairs, order)
    for position in range(int(share * n_tasks), n_tasks):
        seen = order[: position + 1]
        best = solve_matching(cloned[seen])
        copy = dict(best.pairs).get(position)
        if copy is not None and free[copy] and cloned[order[position], copy] > 0:
            free[copy] = False
            pairs.append((order[position], int(owner[copy])))
    return _result(scores, pairs, order)


@dataclass(frozen=True)
class PolicyComparison:
    """Online totals over the offline optimum, policy by policy, on the same
    arrival orders.

    Attributes
    ----------
    ratios : dict of str to numpy.ndarray
        One ratio per arrival order for each policy.
    offline : float
        The offline optimum (the total of :func:`lib.matching.solve_matching`'s
        assignment, added up exactly and rounded once; each ratio's numerator
        likewise).
    orders : numpy.ndarray
        The arrival orders, one per row.

    Examples
    --------
    >>> cmp = compare_policies([[1.0, 1.0], [1.0, 0.0]], batch_sizes=[2], n_orders=4)
    >>> sorted(cmp.ratios), cmp.offline, cmp.orders.shape
    (['batch 2', 'greedy'], 2.0, (4, 2))
    """

    ratios: dict
    offline: float
    orders: np.ndarray

    def means(self) -> dict:
        """Mean ratio of each policy."""
        return {name: float(r.mean()) for name, r in self.ratios.items()}


def compare_policies(
    scores: Any,
    capacity: Any = None,
    prices: Any = None,
    batch_sizes: Sequence[int] = (5,),
    n_orders: int = 100,
    seed: int | np.random.Generator = 0,
    sample: bool = False,
) -> PolicyComparison:
    """Greedy, bid prices (if ``prices`` is given), rolling horizons of each
    batch size, and optionally sample-then-match, over seeded random orders.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker, rows in task order.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    prices : array_like, optional
        Bid prices; without them the bid-price policy is left out.
    batch_sizes : sequence of int, default (5,)
        The rolling horizons' batch sizes.
    n_orders : int, default 100
        Number of random arrival orders.
    seed : int or numpy.random.Generator, default 0
        Seed of the orders (an integer >= 0, or a generator whose stream
        continues).
    sample : bool, default False
        Include sample-then-match.

    Returns
    -------
    PolicyComparison
        Each policy's ratio on each order, the offline optimum and the orders.

    Examples
    --------
    >>> cmp = compare_policies([[1.0, 1.0], [1.0, 0.0]], batch_sizes=[2], n_orders=20)
    >>> sorted(cmp.ratios), cmp.offline
    (['batch 2', 'greedy'], 2.0)
    >>> bool(cmp.ratios["batch 2"].min() == 1.0 and cmp.ratios["greedy"].min() == 0.5)
    True
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    n_orders = as_integer(n_orders, "n_orders", minimum=1, maximum=100_000)
    if isinstance(batch_sizes, (str, bytes)) or not hasattr(batch_sizes, "__iter__"):
        raise TypeError("batch_sizes must be a sequence of integers.")
    batch_sizes = [as_integer(k, "batch_sizes", minimum=1) for k in batch_sizes]
    if prices is not None:
        prices = as_real_vector(prices, "prices", length=n_workers)
    sample = as_bool(sample, "sample")
    rng = as_seed(seed)
    check_size(n_orders * n_tasks * (len(batch_sizes) + 2 + (n_tasks if sample else 0)),
               2e6, "online decisions", "use fewer orders or a smaller instance")  # fmt: skip
    # Totals added up exactly and rounded once (math.fsum): a float sum of
    # 3e8 and 2e-8 depends on the order of its terms, and the ratio of two
    # equal assignments must be exactly 1.
    offline = _exact_total(scores, solve_matching(scores, capacity).pairs)
    if offline <= 0:
        raise ValueError("the offline optimum is 0 (no positive score): the ratio is undefined.")
    orders = np.array([rng.permutation(n_tasks) for _ in range(n_orders)])
    policies: dict[str, Callable[[list[int]], OnlineResult]] = {
        "greedy": lambda o: _run(scores, capacity, o, _greedy_pick, trusted=True)
    }
    if prices is not None:
        policies["bid price"] = lambda o: bid_price_assignment(scores, prices, capacity, o)
    for k in batch_sizes:
        policies[f"batch {k}"] = lambda o, k=k: batched_assignment(scores, capacity, o, k)
    if sample:
        policies["sample then match"] = lambda o: sample_then_match(scores, capacity, o)
    ratios = {}
    for name, run in policies.items():
        r = np.array([_exact_total(scores, run(o.tolist()).pairs) / offline for o in orders])
        # No policy beats the optimum; equal assignments may differ in the
        # last bit of their sums, which must not show as a ratio above 1.
        ratios[name] = np.where(r - 1.0 <= 1e-12, np.minimum(r, 1.0), r)
    return PolicyComparison(ratios, offline, orders)


def _exact_total(scores: np.ndarray, pairs: list[tuple[int, int]]) -> float:
    """The exact total of the pairs' scores, correctly rounded (ValueError
    naming scores beyond the largest float)."""
    return exact_sum([float(scores[i, j]) for i, j in pairs], "a total of scores")


@dataclass(frozen=True)
class AdversaryResult:
    """The instance an adversary built against a rule, and the outcome.

    Attributes
    ----------
    scores, capacity : numpy.ndarray
        The tasks the adversary sent (rows, in arrival order) and the workers.
    online, offline : float
        What the rule got, and the optimum of the same tasks.
    ratio : float
        ``online / offline``.

    Examples
    --------
    >>> res = unweighted_adversary(greedy_choice)  # greedy takes worker 0; the next task needs it
    >>> res.online, res.offline, res.ratio
    (1.0, 2.0, 0.5)
    """

    scores: np.ndarray
    capacity: np.ndarray
    online: float
    offline: float

    @property
    def ratio(self) -> float:
        return self.online / self.offline


def _checked_choice(choose: Choice, row: np.ndarray, left: np.ndarray) -> int | None:
    if not callable(choose):
        raise TypeError("choose must be a function (scores_of_task, capacity_left) -> worker or None.")
    j = choose(row.copy(), left.copy())
    if j is not None and (isinstance(j, bool) or not isinstance(j, (int, np.integer))
                          or not 0 <= j < left.size or left[j] <= 0):  # fmt: skip
        raise ValueError(f"choose returned {j!r}; expected an available worker or None.")
    return None if j is None else int(j)


def unweighted_adversary(choose: Choice) -> AdversaryResult:
    """No immediate rule beats 1/2 on 0/1 scores: the adversary's argument, run.

    Two workers, one task each. The first task can go to either. If the rule
    refuses it, nothing else arrives (the rule gets 0 of 1). If it takes
    worker ``j``, the second task can only be done by ``j`` (the rule gets 1
    of 2).

    Parameters
    ----------
    choose : callable
        An immediate rule ``choose(scores_of_task, capacity_left) -> int or None``,
        such as :func:`greedy_choice`.

    Returns
    -------
    AdversaryResult
        The instance sent, what the rule got, the optimum and their ratio.

    Examples
    --------
    >>> unweighted_adversary(greedy_choice).ratio
    0.5
    """
    left = np.array([1, 1])
    first = np.array([1.0, 1.0])
    j = _checked_choice(choose, first, left)
    if j is None:
        return AdversaryResult(first[None, :], np.array([1, 1]), 0.0, 1.0)
    left[j] -= 1
    second = np.zeros(2)
    second[j] = 1.0
    k = _checked_choice(choose, second, left)
    scores = np.vstack([first, second])
    online = 1.0 + (second[k] if k is not None else 0.0)
    return AdversaryResult(scores, np.array([1, 1]), online,
                           solve_matching(scores).objective)  # fmt: skip


def weighted_adversary(choose: Choice, big: float = 100.0) -> AdversaryResult:
    """No immediate rule has a constant guarantee with arbitrary scores.

    One worker, one task. A task worth 1 arrives. If the rule refuses it,
    nothing else arrives (0 of 1); if it takes it, a task worth ``big``
    arrives (1 of ``big``).

    Parameters
    ----------
    choose : callable
        An immediate rule ``choose(scores_of_task, capacity_left) -> int or None``,
        such as :func:`greedy_choice`.
    big : float, default 100.0
        Score of the second task.

    Returns
    -------
    AdversaryResult
        The instance sent, what the rule got, the optimum and their ratio.

    Examples
    --------
    >>> weighted_adversary(greedy_choice, big=50.0).ratio
    0.02
    """
    big = as_real(big, "big", minimum=1.0)
    left = np.array([1])
    j = _checked_choice(choose, np.array([1.0]), left)
    if j is None:
        return AdversaryResult(np.array([[1.0]]), np.array([1]), 0.0, 1.0)
    left[0] -= 1
    _checked_choice(choose, np.array([big]), left)  # nothing is left to give
    return AdversaryResult(np.array([[1.0], [big]]), np.array([1]), 1.0, big)


def greedy_guarantee(scores: Any) -> float:
    """Greedy's guaranteed share of the optimum in *any* arrival order,
    ``a / (a + b)``, when every positive score lies in ``[a, b]``.

    Why: take an optimal pair ``(i, j)``. If worker ``j`` still had room when
    ``i`` arrived, greedy gave ``i`` a pair worth at least ``s_ij`` (charge
    the pair to ``i``'s greedy pair, at most one such charge each, since the
    optimum gives ``i`` one worker). Otherwise ``j`` was full: charge the
    pair to one of ``j``'s ``c_j`` greedy pairs, each worth at least ``a``,
    while ``s_ij <= b`` (at most one such charge each, since the optimum gives
    ``j`` at most ``c_j`` tasks). So the optimum is at most
    ``(1 + b / a)`` times greedy's total. With 0/1 scores this is the
    classic 1/2.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Scores with at least one positive entry.

    Returns
    -------
    float
        ``a / (a + b)``, with ``a`` and ``b`` the smallest and largest
        positive scores, computed as ``r / (1 + r)`` with ``r = a / b <= 1``,
        a form that cannot overflow (``a + b`` overflows when both are near
        the largest float).

    Examples
    --------
    >>> greedy_guarantee([[1.0, 1.0], [1.0, 0.0]])
    0.5
    >>> greedy_guarantee([[1 / 3, 1.0], [0.5, 0.0]])
    0.25
    >>> greedy_guarantee([[1e308, 1e308]])
    0.5
    """
    scores = as_real_matrix(scores, "scores")
    positive = scores[scores > 0]
    if positive.size == 0:
        raise ValueError("scores has no positive entry: there is nothing to guarantee.")
    a, b = float(positive.min()), float(positive.max())
    r = a / b  # in (0, 1]: no overflow (it may underflow to 0, the guarantee's limit)
    return r / (1.0 + r)


def task_days(
    workers: Any, n_tasks: int, n_days: int, seed: int | np.random.Generator = 0
) -> list[np.ndarray]:
    """Skill-coverage scores of ``n_days`` days of fresh tasks for the same workers.

    Each day's tasks are drawn like those of
    :func:`lib.matching.make_skill_instance` (1-3 required skills each), with
    the seeds ``seed, seed + 1, ...`` for an integer seed, or one after the
    other from the stream of a generator; the workers stay the same.

    Parameters
    ----------
    workers : array_like of 0/1, shape (n_workers, n_skills)
        The skills each worker holds.
    n_tasks : int
        Tasks per day.
    n_days : int
        Number of days.
    seed : int or numpy.random.Generator, default 0
        Seed of the first day (an integer >= 0), or a generator every day
        draws from in turn.

    Returns
    -------
    list of numpy.ndarray
        One score matrix, shape (n_tasks, n_workers), per day.

    Examples
    --------
    >>> workers = [[1, 1, 0, 0], [0, 0, 1, 1]]
    >>> days = task_days(workers, n_tasks=3, n_days=2, seed=5)
    >>> len(days), days[0].shape
    (2, (3, 2))
    """
    workers = as_real_matrix(workers, "workers", meaning="workers x skills")
    n_tasks = as_integer(n_tasks, "n_tasks", minimum=1, maximum=10_000)
    n_days = as_integer(n_days, "n_days", minimum=1, maximum=10_000)
    rng = as_seed(seed)  # an integer >= 0 or a generator, else TypeError / ValueError
    if isinstance(seed, np.random.Generator):
        day_seeds: list = [rng] * n_days
    else:  # day d is seeded with seed + d, as it always was
        day_seeds = [int(seed) + d for d in range(n_days)]
    check_size(n_days * n_tasks * workers.shape[0], 5e7, "scores", "use fewer days or tasks")
    n_skills = workers.shape[1]
    if n_skills < 4:
        raise ValueError(f"workers must list at least 4 skills (columns); got {n_skills}.")
    return [
        skill_scores(make_skill_instance(n_tasks, 1, n_skills, seed=day_rng).tasks, workers)
        for day_rng in day_seeds
    ]


def average_prices(days: Sequence[Any], capacity: Any = None) -> np.ndarray:
    """Bid prices learned from past days: the mean over the days of each
    worker's price at that day's offline optimum (the highest optimal dual
    price, :func:`lib.network.max_price_duals`).

    Parameters
    ----------
    days : sequence of array_like
        One score matrix (tasks by workers) per past day.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    numpy.ndarray, shape (n_workers,)
        Each worker's mean price over the days.

    Examples
    --------
    >>> average_prices([[[1.0], [0.5]], [[0.5]]], capacity=[1]).tolist()  # a day of 2 tasks, a day of 1
    [0.75]
    >>> average_prices([[[1.0, 0.2]], [[0.0, 0.2]]], capacity=[1, 1]).tolist()
    [0.5, 0.0]
    """
    if (isinstance(days, (str, bytes)) or not hasattr(days, "__iter__")
            or (isinstance(days, np.ndarray) and days.ndim == 0)):  # fmt: skip
        raise TypeError("days must be a sequence of score matrices.")
    days = [as_real_matrix(d, f"days[{k}]") for k, d in enumerate(days)]
    if not days:
        raise ValueError("days is empty; expected at least one day of scores.")
    n_workers = days[0].shape[1]
    if any(d.shape[1] != n_workers for d in days):
        raise ValueError("every day must have the same workers (columns).")
    capacity = as_capacity_vector(capacity, n_workers)
    return np.mean([solve_matching(d, capacity).worker_prices for d in days], axis=0)
