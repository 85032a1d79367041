"""Task-worker matching (seed 001, §4 数学模型和公式 and §5 项目实践).

Rows of a score matrix are tasks, columns are workers. A *matching with
capacities* gives each task to at most one worker and worker ``j`` at most
``capacity[j]`` tasks; :func:`solve_matching` finds one of maximum total score.

The module also holds the article's own model and data, so that the book can
show what they actually compute:

* :func:`source_lp` solves the LP of §4.1 exactly as the article writes it;
* :func:`source_code_loss` is the loss its TensorFlow code of §5.2 minimises;
* ``ARTICLE_*`` constants are the arrays and printed results of §5.2 and §5.4.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, linear_sum_assignment, linprog

from lib._exact import fraction_sum
from lib._highs import quiet_milp
from lib._validate import (
    as_arrival_order,
    as_bool,
    as_capacity_vector,
    as_choice,
    as_integer,
    as_pair_list,
    as_real,
    as_real_matrix,
    as_real_vector,
    as_seed,
    check_size,
)
from lib.network import MAX_CLONED_ENTRIES, _useful_copies, max_price_duals

__all__ = [
    "ARTICLE_SCORES",
    "ARTICLE_TASK_SKILLS",
    "ARTICLE_WORKER_SKILLS",
    "ARTICLE_PRINTED_SOLUTION",
    "ARTICLE_PRINTED_LOSSES",
    "MAX_LP_VARIABLES",
    "MAX_BRUTE_FORCE_ASSIGNMENTS",
    "MAX_BUDGET_INTEGER_VARIABLES",
    "MatchingResult",
    "BruteForceResult",
    "SourceLPResult",
    "matching_constraint_matrix",
    "solve_matching",
    "brute_force_matching",
    "assignment_total",
    "source_lp",
    "source_code_loss",
    "OnlineResult",
    "BudgetMatchingResult",
    "is_totally_unimodular",
    "lp_value",
    "capacity_slopes",
    "solve_matching_with_budget",
    "skill_scores",
    "screen_scores",
    "online_greedy",
    "matching_lagrangian",
    "SkillInstance",
    "make_skill_instance",
    "random_order_ratios",
]

#: The task-worker score matrix ``A`` of seed 001 §5.2 (4 tasks x 4 workers).
ARTICLE_SCORES = np.array(
    [
        [0.8, 0.7, 0.6, 0.9],
        [0.5, 0.4, 0.3, 0.2],
        [0.7, 0.8, 0.9, 0.5],
        [0.6, 0.5, 0.4, 0.3],
    ]
)
#: The task requirement vectors of seed 001 §5.2 (4 tasks x 4 skills).
ARTICLE_TASK_SKILLS = np.eye(4, dtype=int)
#: The worker skill vectors of seed 001 §5.2: only **two** workers.
ARTICLE_WORKER_SKILLS = np.array([[1, 0, 1, 0], [0, 1, 0, 1]])
#: What seed 001 §5.4 prints as its "optimal solution".
ARTICLE_PRINTED_SOLUTION = np.array([0.8, 0.7, 0.6, 0.9])
#: The losses seed 001 §5.4 prints, by iteration.
ARTICLE_PRINTED_LOSSES = {
    0: 18.0, 100: 1.12, 200: 0.53, 300: 0.25, 400: 0.13,
    500: 0.06, 600: 0.03, 700: 0.02, 800: 0.01, 900: 0.01,
}  # fmt: skip

#: Largest LP (tasks x workers) :func:`solve_matching` accepts.
MAX_LP_VARIABLES = 5_000_000
#: Largest number of candidate assignments :func:`brute_force_matching` enumerates.
MAX_BRUTE_FORCE_ASSIGNMENTS = 300_000
#: Largest integer program (tasks x workers) :func:`solve_matching_with_budget`
#: accepts: branch and bound can take exponential time (300 x 300 takes 40 s).
MAX_BUDGET_INTEGER_VARIABLES = 10_000

_INTEGRALITY_TOL = 1e-6
#: Exact re-checks (and cuts) of the budgeted integer program before giving up.
_MAX_BUDGET_ROUNDS = 50
#: HiGHS's tolerances are absolute (1e-7 by default); every LP here is scaled
#: so that they are relative to the quantities a row or the objective compares.
_HIGHS_TOLERANCES = {
    "dual_feasibility_tolerance": 1e-10,
    "primal_feasibility_tolerance": 1e-10,
}


@dataclass(frozen=True)
class MatchingResult:
    """An optimal matching with capacities.

    Attributes
    ----------
    objective : float
        The maximum total score.
    x : numpy.ndarray
        ``(n_tasks, n_workers)`` array of 0/1: ``x[i, j] == 1`` when task ``i``
        goes to worker ``j``.
    pairs : list of tuple of int
        The ``(task, worker)`` pairs with ``x == 1``, sorted by task.
    method : str
        ``"assignment"`` (scipy's ``linear_sum_assignment`` on the workers
        cloned once per unit of capacity) or ``"lp"`` (scipy's HiGHS on the
        sparse LP).
    scores, capacity : numpy.ndarray
        The validated inputs, kept so that the duals can be computed on demand.
    task_values, worker_prices : numpy.ndarray
        An optimal solution of the dual LP: a value ``u[i] >= 0`` per task and
        a price ``v[j] >= 0`` per worker with ``u[i] + v[j] >= scores[i, j]``
        and ``sum(u) + capacity @ v == objective``. With ``method="lp"`` they
        are HiGHS's marginals (a vertex, from the dual simplex), re-checked
        pair by pair in the original units (a task's value is raised where
        ``u_i + v_j`` falls short of ``s_ij`` by HiGHS's tolerance). With
        ``method="assignment"`` they are computed on first access, without an
        LP, by :func:`max_price_duals`: among all optimal duals, the one with
        the highest price for every worker at once.

    Examples
    --------
    >>> res = solve_matching([[3.0, 1.0], [2.0, 1.0]])  # 3 + 1 beats 1 + 2
    >>> res.objective, res.pairs, res.method
    (4.0, [(0, 0), (1, 1)], 'assignment')
    """

    objective: float
    x: np.ndarray
    pairs: list[tuple[int, int]]
    method: str
    scores: np.ndarray = field(repr=False)
    capacity: np.ndarray = field(repr=False)
    _lp_duals: tuple[np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def _duals(self) -> tuple[np.ndarray, np.ndarray]:
        if self._lp_duals is not None:
            return self._lp_duals
        return max_price_duals(self.scores, self.capacity, self.x)

    @property
    def task_values(self) -> np.ndarray:
        """Dual value of each task's "at most one worker" constraint."""
        return self._duals[0]

    @property
    def worker_prices(self) -> np.ndarray:
        """Dual price of each worker's capacity constraint."""
        return self._duals[1]


@dataclass(frozen=True)
class BruteForceResult:
    """Every optimal assignment of a tiny instance, found by enumeration.

    Attributes
    ----------
    objective : float
        The maximum total score.
    optimal_pairs : list of list of tuple of int
        Every assignment reaching ``objective`` (within floating-point
        tolerance), each a list of ``(task, worker)`` pairs sorted by task.
    n_feasible : int
        How many feasible assignments were enumerated.

    Examples
    --------
    >>> res = brute_force_matching([[1, 1], [1, 1]])  # 3 * 3 candidates, 2 over capacity
    >>> res.objective, res.optimal_pairs, res.n_feasible
    (2.0, [[(0, 0), (1, 1)], [(0, 1), (1, 0)]], 7)
    """

    objective: float
    optimal_pairs: list[list[tuple[int, int]]]
    n_feasible: int


@dataclass(frozen=True)
class SourceLPResult:
    """The solution of the article's LP exactly as written (see :func:`source_lp`).

    Attributes
    ----------
    objective : float
        The LP's optimal value.
    x : numpy.ndarray, shape (n_tasks, n_workers)
        Its optimal solution.

    Examples
    --------
    >>> source_lp([[1.0, 2.0]], [1.0, 1.0])  # the one task goes to both workers
    SourceLPResult(objective=3.0, x=array([[1., 1.]]))
    """

    objective: float
    x: np.ndarray


def matching_constraint_matrix(n_tasks: int, n_workers: int) -> sp.csr_matrix:
    """Sparse constraint matrix of the matching LP.

    Variables are ``x[i, j]`` flattened row by row (task-major). The first
    ``n_tasks`` rows say "task ``i`` goes to at most one worker"; the next
    ``n_workers`` rows say "worker ``j`` takes at most ``capacity[j]`` tasks".
    This is the incidence matrix of the complete bipartite graph, which is
    totally unimodular.

    Parameters
    ----------
    n_tasks, n_workers : int
        Size of the instance.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n_tasks + n_workers, n_tasks * n_workers)
        The 0/1 constraint matrix.

    Examples
    --------
    >>> matching_constraint_matrix(2, 3).toarray().astype(int)
    array([[1, 1, 1, 0, 0, 0],
           [0, 0, 0, 1, 1, 1],
           [1, 0, 0, 1, 0, 0],
           [0, 1, 0, 0, 1, 0],
           [0, 0, 1, 0, 0, 1]])
    """
    n_tasks = as_integer(n_tasks, "n_tasks", minimum=1)
    n_workers = as_integer(n_workers, "n_workers", minimum=1)
    check_size(n_tasks * n_workers, MAX_LP_VARIABLES, "variables (tasks x workers)",
               "split the instance")  # fmt: skip
    n_vars = n_tasks * n_workers
    var = np.arange(n_vars)
    task_of_var = var // n_workers
    worker_of_var = var % n_workers
    rows = np.concatenate([task_of_var, n_tasks + worker_of_var])
    cols = np.concatenate([var, var])
    data = np.ones(2 * n_vars)
    return sp.csr_matrix((data, (rows, cols)), shape=(n_tasks + n_workers, n_vars))


def _total(scores: np.ndarray, pairs: Sequence[tuple[int, int]]) -> float:
    """Total score of pairs sorted by task. Every path (LP, assignment,
    online) sums this way, so the same assignment gets the same total to the
    last bit (a ratio of exactly 1)."""
    if not pairs:
        return 0.0
    rows, cols = zip(*pairs)
    return float(scores[list(rows), list(cols)].sum())


def _pairs_from_x(x: np.ndarray) -> list[tuple[int, int]]:
    tasks, workers = np.nonzero(x)
    return [(int(i), int(j)) for i, j in zip(tasks, workers)]


def _checked_total(scores: np.ndarray, pairs: Sequence[tuple[int, int]]) -> float:
    """:func:`_total`, refused with a ValueError when it overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = _total(scores, pairs)
    if not np.isfinite(total):
        raise ValueError(
            "the total of scores overflows a float (the chosen scores sum beyond "
            "1e308); rescale scores."
        )
    return total


def _run_matching_lp(
    scores: np.ndarray, capacity: np.ndarray, duals: bool = False
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """Solve the matching LP (capacities may be fractional) with HiGHS's dual
    simplex; return its optimal ``x`` and, with ``duals`` (integer
    capacities only), an optimal dual ``(u, v)``."""
    n_tasks, n_workers = scores.shape
    # A worker never takes more than n_tasks: a larger capacity is n_tasks + 1,
    # still never binding (so its dual price stays 0), and no huge number
    # reaches HiGHS (which reads a bound beyond 1e20 as infinite).
    cap = np.minimum(capacity.astype(float), n_tasks + 1)
    x = np.zeros(scores.shape)
    # Only a pair with a positive score and an open worker can be worth
    # taking: the others are not variables (a negative score would otherwise
    # set the scale below, and a closed worker's scores the tolerance).
    tasks, workers = np.nonzero((scores > 0) & (cap > 0)[None, :])
    u = np.zeros(n_tasks)
    v = np.zeros(n_workers)
    if tasks.size:
        # Each variable is y = x / w, with w = min(1, capacity) the most of
        # one task its worker can take; the objective is divided by the
        # largest gain of a single pair, which the optimum reaches at least:
        # HiGHS's tolerances (absolute, 1e-10) become relative to the optimum.
        w = np.minimum(cap, 1.0)[workers]
        gain = scores[tasks, workers] * w
        scale = float(gain.max())
        k = tasks.size
        var = np.arange(k)
        a = sp.csr_matrix(
            (np.concatenate([w, np.ones(k)]),
             (np.concatenate([tasks, n_tasks + workers]), np.concatenate([var, var]))),
            shape=(n_tasks + n_workers, k),
        )  # fmt: skip
        res = linprog(
            -gain / scale,
            A_ub=a,
            # Worker rows in y: sum_i y_ij <= c_j / w_j = max(c_j, 1).
            b_ub=np.concatenate([np.ones(n_tasks), np.where(cap > 0, np.maximum(cap, 1.0), 0.0)]),
            bounds=(0, None),
            method="highs-ds",
            options=_HIGHS_TOLERANCES,
        )
        if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
            raise RuntimeError(f"HiGHS could not solve the matching LP: {res.message}")
        x[tasks, workers] = np.clip(res.x, 0.0, None) * w
        # HiGHS reports d(min objective)/d(b) <= 0; the maximisation's duals
        # are their negatives, which are >= 0.
        marginals = -res.ineqlin.marginals * scale
        u = np.maximum(marginals[:n_tasks], 0.0)
        v = np.maximum(marginals[n_tasks:], 0.0)
    if not duals:
        return x, None
    # HiGHS meets u_i + v_j >= s_ij only to its tolerance, relative to the
    # optimum: a pair far smaller may be left uncovered. Re-check every pair
    # in the original units, raising a task's value where it falls short.
    open_ = cap > 0
    v[~open_] = 0.0
    if open_.any():
        u = np.maximum(u, (scores[:, open_] - v[open_]).max(axis=1))
    u = np.maximum(u, 0.0)
    # A closed worker takes nothing: its price is the lowest that covers it.
    if (~open_).any():
        v[~open_] = np.maximum((scores[:, ~open_] - u[:, None]).max(axis=0), 0.0)
    return x, (u, v)


def _solve_lp(
    scores: np.ndarray, capacity: np.ndarray
) -> tuple[float, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Solve the matching LP with integer capacities; return value, x, duals."""
    x, duals = _run_matching_lp(scores, capacity, duals=True)
    x_int = np.round(x)
    if np.max(np.abs(x - x_int)) > _INTEGRALITY_TOL:  # pragma: no cover - TU
        raise RuntimeError("HiGHS returned a fractional vertex of a TU matching LP.")
    x_int = x_int.astype(np.int64)
    return _checked_total(scores, _pairs_from_x(x_int)), x_int, duals


def _solve_assignment(
    scores: np.ndarray, capacity: np.ndarray, copies: np.ndarray
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Exact fast path: scipy's linear_sum_assignment, each worker cloned
    ``copies[j]`` times (see :func:`lib.network.clone_workers`)."""
    n_tasks, n_workers = scores.shape
    x = np.zeros((n_tasks, n_workers), dtype=np.int64)
    if not np.any(copies):
        return x, []
    # Unit capacities need no copy of the matrix at all.
    owner = None if np.all(copies == 1) else np.repeat(np.arange(n_workers), copies)
    sub = scores if owner is None else scores[:, owner]
    # A negative score is never worth taking: clip to 0, then drop such pairs.
    clipped = np.maximum(sub, 0.0) if sub.min() < 0 else sub
    rows, cols = linear_sum_assignment(clipped, maximize=True)
    workers = cols if owner is None else owner[cols]
    keep = scores[rows, workers] >= 0
    rows, workers = rows[keep], workers[keep]
    x[rows, workers] = 1
    # linear_sum_assignment returns the rows sorted: the pairs are by task.
    return x, list(zip(rows.tolist(), workers.tolist()))


def solve_matching(
    scores: Any, capacity: Any = None, *, method: str = "auto"
) -> MatchingResult:
    """Maximum-score assignment of tasks to workers with capacities.

    Solves

    .. math::

        \\max_x \\sum_{i,j} s_{ij} x_{ij} \\quad\\text{s.t.}\\quad
        \\sum_j x_{ij} \\le 1,\\; \\sum_i x_{ij} \\le c_j,\\; x_{ij} \\ge 0,

    whose optimal vertices are integral because the constraint matrix is
    totally unimodular. The LP's variables are the pairs with a positive
    score and an open worker (no other pair is ever worth taking), its
    objective is divided by the largest of those scores (which the optimum
    reaches at least) and HiGHS's tolerances are set to 1e-10: with
    ``method="lp"`` the objective is within about ``1e-9 * n_tasks`` of the
    optimum, relative to the optimum, and a pair worth less than about 1e-10
    of it may be left out. The LP's duals are re-checked pair by pair in the
    original units: a task's value is raised wherever ``u_i + v_j`` falls
    short of ``s_ij``, so they are always feasible.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        Finite real scores; a negative score is never taken (a task may stay
        unassigned).
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    method : {"auto", "lp", "assignment"}
        ``"lp"`` solves the LP with HiGHS on a sparse matrix.
        ``"assignment"`` clones each worker once per unit of capacity (at
        most once per task it scores above 0 on) and calls scipy's
        ``linear_sum_assignment``, an exact shortest-augmenting-path
        algorithm. ``"auto"`` picks ``"assignment"`` unless the cloned matrix
        would exceed :data:`lib.network.MAX_CLONED_ENTRIES` entries.

    Returns
    -------
    MatchingResult

    Raises
    ------
    TypeError
        If the scores or capacities are not numeric.
    ValueError
        On a wrong shape, an empty matrix, NaN or infinity, a negative or
        fractional capacity, an unknown method, an instance larger than
        :data:`MAX_LP_VARIABLES`, (``method="assignment"``) a cloned matrix
        larger than :data:`lib.network.MAX_CLONED_ENTRIES`, or an optimal
        total that overflows a float (scores near 1e308).

    Examples
    --------
    >>> res = solve_matching([[3, 1], [2, 1]])
    >>> res.objective, res.pairs
    (4.0, [(0, 0), (1, 1)])
    >>> solve_matching([[3, 1], [2, 1]], capacity=[2, 0]).pairs
    [(0, 0), (1, 0)]
    >>> res = solve_matching([[3, 1], [2, 1]])   # duals: strong duality
    >>> float(res.task_values.sum() + res.capacity @ res.worker_prices)
    4.0
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    method = as_choice(method, "method", ("auto", "lp", "assignment"))
    if scores.size > MAX_LP_VARIABLES:
        raise ValueError(
            f"scores has {scores.size} entries; solve_matching accepts at most "
            f"{MAX_LP_VARIABLES} (tasks x workers)."
        )
    # Validation returns a fresh copy, which the result keeps: the duals
    # computed later on demand see the scores as they were.
    if method != "lp":
        copies = _useful_copies(scores, capacity)
        n_entries = n_tasks * int(copies.sum())
        if method == "assignment" or n_entries <= MAX_CLONED_ENTRIES:
            check_size(n_entries, MAX_CLONED_ENTRIES,
                       "entries of the cloned score matrix (tasks x worker copies)",
                       "use method='lp'")  # fmt: skip
            x, pairs = _solve_assignment(scores, capacity, copies)
            objective = _checked_total(scores, pairs)
            return MatchingResult(objective, x, pairs, "assignment", scores, capacity)
    objective, x, duals = _solve_lp(scores, capacity)
    return MatchingResult(objective, x, _pairs_from_x(x), "lp", scores, capacity, duals)


def brute_force_matching(scores: Any, capacity: Any = None) -> BruteForceResult:
    """Every optimal assignment of a tiny instance, by enumeration.

    Each task either stays unassigned or goes to one of the workers; the
    candidates that respect the capacities are all scored. Meant as an
    independent reference for :func:`solve_matching` on instances of a few
    tasks; it refuses instances with more than
    :data:`MAX_BRUTE_FORCE_ASSIGNMENTS` candidates.

    Totals are compared with a tolerance, since two optimal assignments can
    differ in the last digit of a floating-point sum: an assignment is
    optimal when its total is within ``1e-9`` times the sum of the
    ``|chosen scores|`` of it and of the best assignment (relative to the
    totals compared, not to the whole matrix).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    BruteForceResult
        The optimum, every assignment reaching it, and how many were enumerated.

    Examples
    --------
    >>> res = brute_force_matching([[1, 1], [1, 1]])
    >>> res.objective
    2.0
    >>> res.optimal_pairs
    [[(0, 0), (1, 1)], [(0, 1), (1, 0)]]
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    n_candidates = (n_workers + 1) ** n_tasks
    if n_candidates > MAX_BRUTE_FORCE_ASSIGNMENTS:
        raise ValueError(
            f"A {n_tasks}x{n_workers} instance has {n_candidates} candidate "
            f"assignments; brute_force_matching enumerates at most "
            f"{MAX_BRUTE_FORCE_ASSIGNMENTS}. Use solve_matching instead."
        )
    # Counting the workers' loads takes memory and time candidates x workers
    # (a 1 x 299,999 instance has few tasks but 9e10 counts).
    check_size(n_candidates * (n_tasks + n_workers), 20 * MAX_BRUTE_FORCE_ASSIGNMENTS,
               "entries of enumeration (candidates x (tasks + workers))",
               "use solve_matching instead")  # fmt: skip
    # Column n_workers stands for "unassigned", with score 0.
    choices = np.array(list(itertools.product(range(n_workers + 1), repeat=n_tasks)))
    padded = np.hstack([scores, np.zeros((n_tasks, 1))])
    counts = np.stack([(choices == j).sum(axis=1) for j in range(n_workers)], axis=1)
    feasible = np.all(counts <= capacity, axis=1)
    choices = choices[feasible]
    with np.errstate(over="ignore", invalid="ignore"):
        totals = padded[np.arange(n_tasks), choices].sum(axis=1)
        sizes = np.abs(padded)[np.arange(n_tasks), choices].sum(axis=1)
    if not np.all(np.isfinite(totals)):
        raise ValueError(
            "the total of scores overflows a float (an assignment sums beyond "
            "1e308); rescale scores."
        )
    top = int(np.argmax(totals))
    best = float(totals[top])
    # Relative to the two totals compared (the sums of |chosen scores| of the
    # candidate and of the best), never to the whole matrix: a score far
    # below the others still separates two assignments; and never absolute,
    # which would call every assignment optimal when all scores are tiny.
    tol = 1e-9 * (sizes + sizes[top])
    optimal = choices[totals >= best - tol]
    optimal_pairs = sorted(
        [(i, int(j)) for i, j in enumerate(row) if j < n_workers] for row in optimal
    )
    return BruteForceResult(best, optimal_pairs, int(feasible.sum()))


def assignment_total(
    scores: Any, pairs: Sequence[Sequence[int]], capacity: Any = None
) -> float:
    """Total score of an assignment, after checking that it is feasible.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    pairs : sequence of (int, int)
        The ``(task, worker)`` pairs of the assignment.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    float
        The sum of the scores of the pairs.

    Raises
    ------
    TypeError
        If ``pairs`` is not a list of pairs of integers.
    ValueError
        If a pair names a task or worker that does not exist, a task appears
        twice, a worker gets more tasks than its capacity, or the total
        overflows a float.

    Examples
    --------
    >>> assignment_total([[3, 1], [2, 1]], [(0, 0), (1, 1)])
    4.0
    >>> assignment_total([[3, 1], [2, 1]], [(0, 0), (1, 0)])
    Traceback (most recent call last):
    ...
    ValueError: worker 0 gets 2 tasks but has capacity 1.
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    if isinstance(pairs, np.ndarray) and pairs.ndim == 0:
        raise TypeError("pairs must be a list of (task, worker) pairs; got a 0-d array.")
    load = np.zeros(n_workers, dtype=np.int64)
    seen: set[int] = set()
    total = 0.0
    for i, j in as_pair_list(pairs, n_tasks, n_workers):
        if i in seen:
            raise ValueError(
                f"task {i} is assigned twice; each task goes to at most one worker."
            )
        seen.add(i)
        load[j] += 1
        with np.errstate(over="ignore", invalid="ignore"):
            total += scores[i, j]
    over = np.flatnonzero(load > capacity)
    if over.size:
        j = int(over[0])
        raise ValueError(
            f"worker {j} gets {load[j]} tasks but has capacity {capacity[j]}."
        )
    if not np.isfinite(total):
        raise ValueError(
            "the total of scores overflows a float (the pairs' scores sum beyond "
            "1e308); rescale scores."
        )
    return float(total)


def source_lp(scores: Any, capacity: Any) -> SourceLPResult:
    """Solve the LP of seed 001 §4.1 exactly as the article writes it.

    .. math::

        \\max_x \\sum_{i,j} A_{ij} x_{ij} \\quad\\text{s.t.}\\quad
        x_{ij} \\le X_j,\\; x_{ij} \\ge 0 .

    Each constraint bounds a single entry, so the problem splits into
    ``n_tasks * n_workers`` independent one-variable problems: every entry
    with a positive score is pushed to its bound ``X_j``. Nothing stops a task
    from going to every worker at once. It is solved here as a real LP (HiGHS),
    not by that shortcut, so the book can compare the two.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        The article's ``A``.
    capacity : array_like, shape (n_workers,)
        The article's ``X_j`` ("remaining workload"): finite, non-negative,
        not necessarily whole.

    Returns
    -------
    SourceLPResult
        The optimal value and the optimal ``x``.

    Examples
    --------
    >>> res = source_lp([[0.8, 0.7], [0.5, 0.4]], capacity=[1, 1])
    >>> res.x
    array([[1., 1.],
           [1., 1.]])
    >>> round(res.objective, 12)
    2.4
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    bound = as_real_vector(capacity, "capacity", length=n_workers)
    if np.any(bound < 0):
        raise ValueError("capacity (the article's X_j) must be non-negative.")
    n_vars = n_tasks * n_workers
    # The constraint matrix is the identity, so the LP is a sum of
    # one-variable LPs, max A_ij x_ij s.t. 0 <= x_ij <= X_j. Each is scaled by
    # its own bound and score (y = x / X_j, objective divided by |A_ij X_j|),
    # which leaves each one's optimum unchanged: HiGHS's absolute tolerances
    # then never meet a score or a bound far smaller than the largest.
    # (Scaling all of them by the largest score and bound would let a tiny
    # A_ij count as zero and a tiny X_j be overrun.)
    open_ = np.tile(bound > 0, n_tasks)
    res = linprog(
        -np.sign(scores.ravel()) * open_,
        A_ub=sp.identity(n_vars, format="csr"),
        b_ub=open_.astype(float),
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - bounded and feasible by construction
        raise RuntimeError(f"HiGHS could not solve the article's LP: {res.message}")
    x = np.clip(res.x, 0.0, 1.0).reshape(n_tasks, n_workers) * bound[None, :]
    with np.errstate(over="ignore", invalid="ignore"):
        objective = float(scores.ravel() @ x.ravel())
    if not np.isfinite(objective):
        raise ValueError(
            "the optimal value overflows a float (scores x capacities beyond "
            "1e308); rescale scores or capacity."
        )
    return SourceLPResult(objective, x)


def source_code_loss(
    x: Any, y: Any, p: Any
) -> tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The loss the TensorFlow code of seed 001 §5.2 minimises, and its gradient.

    The code minimises ``sum((y - x + p) ** 2)`` over three matrices that it
    starts at zero. The score matrix ``A`` does not appear in this loss, so
    minimising it cannot depend on the scores at all.

    Parameters
    ----------
    x, y, p : array_like
        The code's three variables, matrices of the same shape.

    Returns
    -------
    loss : float
    (grad_x, grad_y, grad_p) : tuple of numpy.ndarray

    Examples
    --------
    >>> zeros = [[0.0, 0.0], [0.0, 0.0]]
    >>> loss, grads = source_code_loss(zeros, zeros, zeros)
    >>> loss, float(sum(abs(g).sum() for g in grads))
    (0.0, 0.0)
    """
    x = as_real_matrix(x, "x")
    y = as_real_matrix(y, "y")
    p = as_real_matrix(p, "p")
    if not x.shape == y.shape == p.shape:
        raise ValueError(
            f"x, y and p must have the same shape; got {x.shape}, {y.shape}, {p.shape}."
        )
    with np.errstate(over="ignore", invalid="ignore"):
        residual = y - x + p
        loss = float((residual**2).sum())
    if not np.isfinite(loss):
        raise ValueError(
            "the loss overflows a float (entries too large); rescale x, y and p."
        )
    g = 2.0 * residual
    # Three separate arrays: the gradients must not alias each other.
    return loss, (-g, g, g.copy())


# ============================================================== duality and integrality (§4.2)


@dataclass(frozen=True)
class OnlineResult:
    """An assignment built one arriving task at a time.

    Attributes
    ----------
    objective : float
        Total score of the pairs made.
    pairs : list of tuple of int
        The ``(task, worker)`` pairs, sorted by task.
    order : list of int
        The arrival order used.

    Examples
    --------
    >>> online_greedy([[1.0, 0.9], [1.0, 0.0]])  # task 1 finds worker 0 taken
    OnlineResult(objective=1.0, pairs=[(0, 0)], order=[0, 1])
    """

    objective: float
    pairs: list[tuple[int, int]]
    order: list[int]


@dataclass(frozen=True)
class BudgetMatchingResult:
    """The matching LP or integer program with a budget on total cost.

    Attributes
    ----------
    objective : float
        The optimal total score.
    x : numpy.ndarray, shape (n_tasks, n_workers)
        The optimal solution.
    integral : bool
        Whether ``x`` is 0/1.

    Examples
    --------
    >>> res = solve_matching_with_budget([[4.0, 3.0], [2.0, 5.0]], [[3.0, 1.0], [1.0, 3.0]], 4.0)
    >>> res.objective, res.integral  # 4 + 5 would cost 6
    (5.0, True)
    """

    objective: float
    x: np.ndarray
    integral: bool


def is_totally_unimodular(matrix: Any, max_submatrices: int = 2_000_000) -> bool:
    """Check total unimodularity by brute force: every square submatrix has
    determinant -1, 0 or 1.

    Meant for the small matrices of the book (the number of square
    submatrices of an m x n matrix is C(m + n, m) - 1); refuses more than
    ``max_submatrices``.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        A real matrix.
    max_submatrices : int, default 2_000_000
        The most square submatrices it will check.

    Returns
    -------
    bool
        Whether every square submatrix has determinant -1, 0 or 1.

    Examples
    --------
    >>> is_totally_unimodular(matching_constraint_matrix(2, 2).toarray())
    True
    >>> is_totally_unimodular([[1, 1, 0], [0, 1, 1], [1, 0, 1]])  # an odd cycle
    False
    """
    from math import comb

    a = as_real_matrix(matrix.toarray() if sp.issparse(matrix) else matrix, "matrix",
                       meaning="rows x columns")  # fmt: skip
    max_submatrices = as_integer(max_submatrices, "max_submatrices", minimum=1)
    m, n = a.shape
    total = comb(m + n, m) - 1
    if total > max_submatrices:
        raise ValueError(
            f"a {m}x{n} matrix has {total} square submatrices; at most "
            f"{max_submatrices} are checked."
        )
    if not np.all(np.isin(a, (-1.0, 0.0, 1.0))):
        return False
    for k in range(2, min(m, n) + 1):
        rows = np.array(list(itertools.combinations(range(m), k)))
        cols = np.array(list(itertools.combinations(range(n), k)))
        for r in rows:
            block = a[r][:, cols].transpose(1, 0, 2)  # (n_cols_choices, k, k)
            det = np.linalg.det(block)
            if np.any(np.abs(np.abs(det) - np.round(np.abs(det))) > 1e-9) or np.any(
                np.round(np.abs(det)) > 1
            ):
                return False
    return True


def lp_value(scores: Any, capacity: Any) -> float:
    """Optimal value of the matching LP with real (possibly fractional) capacities.

    The integer capacities of :func:`solve_matching` are the natural ones; this
    function lets a capacity move by a small amount, to read a worker's price
    as a slope of the optimal value.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : array_like, shape (n_workers,)
        Non-negative real capacities.

    Returns
    -------
    float
        The LP's optimal value, within about ``1e-9 * n_tasks`` of the exact
        optimum relative to it: the variables are ``x_ij / min(1, c_j)`` for
        the pairs with a positive score and an open worker, and the objective
        is divided by the largest gain of a single pair, ``s_ij * min(1, c_j)``,
        which the optimum reaches at least (never by the largest score, which
        a tiny capacity may keep from counting).

    Raises
    ------
    ValueError
        On bad input, or an optimal value that overflows a float.

    Examples
    --------
    >>> lp_value([[3.0, 1.0], [2.0, 1.0]], [1.5, 1.0])
    4.5
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    cap = as_real_vector(capacity, "capacity", length=n_workers)
    if np.any(cap < 0):
        raise ValueError("capacity must be non-negative.")
    x, _ = _run_matching_lp(scores, cap)
    try:
        return float(math.fsum((scores * x)[x > 0]))
    except OverflowError:
        raise ValueError(
            "the optimal value overflows a float (scores sum beyond 1e308); rescale scores."
        ) from None


def capacity_slopes(
    scores: Any, capacity: Any, worker: int, delta: float = 1e-3
) -> tuple[float, float]:
    """One-sided slopes of the optimal value in worker ``worker``'s capacity.

    Returns ``(left, right)``: the value lost per unit removed and gained per
    unit added. The optimal value is concave and piecewise linear in a
    capacity, so ``left >= right``, and the set of optimal dual prices of the
    worker is the interval ``[right, left]``: one number when they agree, a
    range when the LP is degenerate.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : array_like, shape (n_workers,)
        Non-negative capacities.
    worker : int
        The worker whose capacity moves.
    delta : float, default 0.001
        The step of the one-sided difference quotients.

    Returns
    -------
    tuple of float
        ``(left, right)``, the slopes below and above the capacity. Each is
        the difference of two values of :func:`lp_value` over ``delta``, so
        it is resolved to ``1e-9 * n_tasks * OPT / delta`` (``OPT`` the
        larger LP value), whatever the scale of the worker's own scores, and
        rounded at ``1e-12 * OPT / delta``.

    Examples
    --------
    >>> capacity_slopes([[3.0, 1.0], [2.0, 1.0]], [1, 1], worker=0)
    (3.0, 1.0)
    """
    scores = as_real_matrix(scores, "scores")
    cap = as_capacity_vector(capacity, scores.shape[1]).astype(float)
    worker = as_integer(worker, "worker")
    if not 0 <= worker < cap.size:
        raise ValueError(
            f"worker {worker} does not exist; workers are 0 to {cap.size - 1}."
        )
    delta = as_real(delta, "delta", minimum=0.0, maximum=0.5, include_minimum=False)
    base = lp_value(scores, cap)
    up = cap.copy()
    up[worker] += delta
    above = lp_value(scores, up)
    values = [base, above]
    right = (above - base) / delta
    if cap[worker] >= delta:
        down = cap.copy()
        down[worker] -= delta
        below = lp_value(scores, down)
        values.append(below)
        left = (base - below) / delta
    else:
        left = float("inf")  # a capacity cannot go below zero
    # A slope is a difference of two LP values over delta: the quantities
    # compared are those values, never the largest score. The slopes are
    # rounded at 1e-12 of the larger value over delta, which removes the
    # last digits' noise (3.0000000000002 -> 3.0) at any scale.
    resolution = 1e-12 * max(values) / delta
    if resolution > 0:
        digits = -int(np.floor(np.log10(resolution)))
        left = left if np.isinf(left) else round(left, digits)
        right = round(right, digits)
    return left, right


def solve_matching_with_budget(
    scores: Any,
    costs: Any,
    budget: float,
    capacity: Any = None,
    *,
    integral: bool = True,
) -> BudgetMatchingResult:
    """The matching problem with one more constraint: total cost <= budget.

    With ``integral=False`` this is the LP relaxation, whose optimal vertex
    may be fractional (the budget row breaks total unimodularity); with
    ``integral=True`` scipy's ``milp`` (branch and bound in HiGHS) finds the
    best 0/1 assignment.

    The budget row is divided by the budget itself (its own right-hand side),
    never by the largest cost, and every solution is re-checked in the
    original units. For the 0/1 program the check is exact (the chosen costs
    are summed in rationals): HiGHS meets a row only to its tolerance (1e-6)
    and drops coefficients below 1e-9, so an assignment over the budget by a
    hair is cut off and the program solved again. The relaxation's ``x`` is
    scaled down, where HiGHS overran a row, until it fits every row and
    ``cost <= budget`` holds in floating point; its objective is within
    about ``1e-9 * n_tasks`` of the exact optimum, relative to it.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    costs : array_like, shape (n_tasks, n_workers)
        What each pair costs.
    budget : float
        The most the chosen pairs may cost in total.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    integral : bool, default True
        The 0/1 program (``True``) or its LP relaxation (``False``).

    Returns
    -------
    BudgetMatchingResult
        The optimal value, the optimal ``x``, and whether it is 0/1.

    Raises
    ------
    TypeError
        If an argument is not numeric (``integral`` not a bool).
    ValueError
        On a wrong shape, NaN or infinity, a negative cost or budget, an
        integer program larger than :data:`MAX_BUDGET_INTEGER_VARIABLES`, or
        an optimal total that overflows a float. Also, by this rule, when
        HiGHS's tolerance (about 1e-7 of the budget) cannot separate the 0/1
        program: the exact re-checks keep finding the budget overspent,
        which happens when many positive costs are far below the budget
        (costs of 1e-9 beside a budget of 1). Such an instance is refused,
        never answered wrongly.

    Examples
    --------
    >>> scores, costs = [[4.0, 3.0], [2.0, 5.0]], [[3.0, 1.0], [1.0, 3.0]]
    >>> solve_matching_with_budget(scores, costs, 4.0, integral=False).integral
    False
    >>> solve_matching_with_budget(scores, costs, 4.0).objective
    5.0

    The budget binds a row whose own quantities are far below the largest
    cost: only one of the two cheap pairs fits.

    >>> res = solve_matching_with_budget([[1, 1], [1, 1]], [[1e-3, 1e3], [1e3, 1e-3]], 1e-3)
    >>> res.objective, float((res.x * [[1e-3, 1e3], [1e3, 1e-3]]).sum())
    (1.0, 0.001)
    """
    scores = as_real_matrix(scores, "scores")
    costs = as_real_matrix(costs, "costs")
    if costs.shape != scores.shape:
        raise ValueError(
            f"costs must have the shape of scores {scores.shape}; got {costs.shape}."
        )
    if np.any(costs < 0):
        raise ValueError("costs must be non-negative.")
    budget = as_real(budget, "budget", minimum=0.0)
    integral = as_bool(integral, "integral")
    n_tasks, n_workers = scores.shape
    if integral:
        check_size(scores.size, MAX_BUDGET_INTEGER_VARIABLES,
                   "integer variables (tasks x workers)",
                   "use integral=False for the LP relaxation, or a smaller instance")  # fmt: skip
    cap = as_capacity_vector(capacity, n_workers)
    x = _budget_program(scores, costs, budget, cap, integral)
    is_integral = bool(np.all(np.abs(x - np.round(x)) < 1e-7))
    with np.errstate(over="ignore", invalid="ignore"):
        objective = float((scores * x).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0
    if not np.isfinite(objective):
        raise ValueError(
            "the total of scores overflows a float (beyond 1e308); rescale scores."
        )
    return BudgetMatchingResult(objective, x, is_integral)


def _budget_program(
    scores: np.ndarray, costs: np.ndarray, budget: float, cap: np.ndarray, integral: bool
) -> np.ndarray:
    """The optimal ``x`` of :func:`solve_matching_with_budget`, re-checked in
    the original units: exactly for the 0/1 program, by scaling ``x`` down
    for the relaxation."""
    n_tasks, n_workers = scores.shape
    x = np.zeros(scores.shape)
    # Only pairs with a positive score, an open worker and a cost the budget
    # can pay (any cost at all for the relaxation, when the budget is
    # positive) can be worth taking: the others are not variables.
    keep = (scores > 0) & (cap > 0)[None, :]
    keep &= (costs <= budget) if integral else ((costs == 0) | (budget > 0))
    tasks, workers = np.nonzero(keep)
    if tasks.size == 0:
        return x
    pay, cost = scores[tasks, workers], costs[tasks, workers]
    # Each variable is y = x / w, with w the most of the pair the budget can
    # pay (1 for the 0/1 program): the budget row, divided by the budget (its
    # own right-hand side, never the largest cost), then has coefficients
    # cost * w / budget <= 1, which HiGHS's tolerances resolve.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        w = np.ones(pay.size) if integral else np.where(cost <= budget, 1.0, budget / cost)
        share = np.where(cost > 0, cost * w / budget, 0.0)
    charged = cost > 0
    k = pay.size
    var = np.arange(k)
    matching = sp.csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([tasks, n_tasks + workers]), np.concatenate([var, var]))),
        shape=(n_tasks + n_workers, k),
    )
    upper = np.concatenate([np.ones(n_tasks), np.minimum(cap, n_tasks)]).astype(float)
    rows = [matching]
    bounds = [upper]
    if charged.any():
        rows.append(sp.csr_matrix(np.where(charged, share, 0.0)[None, :]))
        bounds.append(np.ones(1))
    # Objective scaled by the largest contribution a single pair can make,
    # which the optimum reaches at least.
    gain = pay * w
    objective = -gain / gain.max()
    if not integral:
        res = linprog(objective, A_ub=sp.vstack(rows), b_ub=np.concatenate(bounds),
                      bounds=(0, 1), method="highs-ds", options=_HIGHS_TOLERANCES)  # fmt: skip
        if res.status != 0:  # pragma: no cover - y = 0 is always feasible
            raise RuntimeError(f"HiGHS could not solve the budgeted matching: {res.message}")
        x[tasks, workers] = np.clip(res.x, 0.0, 1.0) * w
        # HiGHS meets each row to its tolerance: scale down whatever task,
        # worker or the budget it overran, in the original units.
        x /= np.maximum(x.sum(axis=1, keepdims=True), 1.0)
        load = x.sum(axis=0)
        over = load > cap
        x[:, over] *= cap[over] / load[over]
        spent = math.fsum((costs * x).ravel())
        while spent > budget:
            x *= np.nextafter(budget / spent, 0.0)
            spent = math.fsum((costs * x).ravel())
        return x
    cuts: list[np.ndarray] = []
    for _ in range(_MAX_BUDGET_ROUNDS):
        constraints = [LinearConstraint(sp.vstack(rows), ub=np.concatenate(bounds))]
        if cuts:
            constraints.append(LinearConstraint(np.array(cuts), ub=[c.sum() - 1 for c in cuts]))
        # milp's tolerances are absolute and cannot be set through scipy
        # (1e-7 on reduced costs, a gap of 1e-6): scaling the objective to
        # 1e4 makes them 1e-11 and 1e-10 of the largest score. Its presolve
        # is off: on a row whose coefficients span 1e6 it cut off the optimal
        # 0/1 point (a pair costing the whole budget beside one costing 1e-6
        # of it came out as not taken), as if the small coefficient's
        # variable were fixed at 1.
        res = quiet_milp(objective * 1e4, constraints=constraints, integrality=np.ones(k), bounds=(0, 1),
                   options={"mip_rel_gap": 1e-12, "presolve": False})  # fmt: skip
        if res.status != 0 or res.x is None:  # pragma: no cover - x = 0 is always feasible
            raise RuntimeError(f"HiGHS could not solve the budgeted matching: {res.message}")
        taken = np.round(res.x) > 0.5
        # HiGHS meets the budget row only to its tolerance (and it drops
        # costs below 1e-9 of the budget): re-check exactly.
        if fraction_sum(cost[taken]) <= Fraction(budget):
            x[tasks[taken], workers[taken]] = 1.0
            return x
        # The charged pairs taken cost more than the budget, and so does any
        # assignment that takes them all: forbid that.
        cuts.append((taken & charged).astype(float))
    # Each cut forbids one near miss; with many positive costs below HiGHS's
    # tolerance (about 1e-7 of the budget) there are too many of them.
    raise ValueError(
        f"costs and budget: HiGHS kept returning assignments over the budget after "
        f"{_MAX_BUDGET_ROUNDS} exact re-checks. Its tolerance (about 1e-7 of the budget) "
        "cannot separate this instance: many positive costs are too small beside the "
        "budget. Rescale, or treat such costs as 0 if that is what they mean."
    )


# ============================================================== skills and real time (§3.2, §4.3)


def skill_scores(tasks: Any, workers: Any) -> np.ndarray:
    """Skill coverage: the share of a task's required skills a worker has.

    ``scores[i, j] = sum_k tasks[i, k] * workers[j, k] / sum_k tasks[i, k]``
    for 0/1 skill vectors (1 = required / held). A task that requires no
    skill gets coverage 1 with every worker.

    Parameters
    ----------
    tasks : array_like of 0/1, shape (n_tasks, n_skills)
        The skills each task requires.
    workers : array_like of 0/1, shape (n_workers, n_skills)
        The skills each worker holds.

    Returns
    -------
    numpy.ndarray, shape (n_tasks, n_workers)
        The coverage of each pair, in [0, 1].

    Examples
    --------
    >>> skill_scores([[1, 1, 0], [0, 0, 1]], [[1, 0, 1], [1, 1, 0]])
    array([[0.5, 1. ],
           [1. , 0. ]])
    """
    t = as_real_matrix(tasks, "tasks")
    w = as_real_matrix(workers, "workers")
    if t.shape[1] != w.shape[1]:
        raise ValueError(
            f"tasks and workers must list the same skills: tasks have {t.shape[1]} "
            f"columns, workers {w.shape[1]}."
        )
    for name, m in (("tasks", t), ("workers", w)):
        if not np.all(np.isin(m, (0.0, 1.0))):
            raise ValueError(f"{name} must hold 0/1 skill indicators.")
    required = t.sum(axis=1, keepdims=True)
    covered = t @ w.T
    return np.where(required > 0, covered / np.maximum(required, 1), 1.0)


def screen_scores(scores: Any, threshold: float) -> np.ndarray:
    """Screening: pairs scoring below ``threshold`` become ineligible.

    Ineligible pairs get score -1, which :func:`solve_matching` and
    :func:`online_greedy` never choose (a task may stay unassigned).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    threshold : float
        The lowest eligible score.

    Returns
    -------
    numpy.ndarray
        A copy of the scores with the ineligible ones set to -1.

    Examples
    --------
    >>> screen_scores([[0.9, 0.4]], 0.5)
    array([[ 0.9, -1. ]])
    """
    scores = as_real_matrix(scores, "scores")
    threshold = as_real(threshold, "threshold")
    return np.where(scores >= threshold, scores, -1.0)


def online_greedy(scores: Any, capacity: Any = None, order: Any = None) -> OnlineResult:
    """Assign tasks as they arrive, each to its best available worker.

    Tasks arrive in ``order`` (default 0, 1, 2, ...). Each goes, at once and
    for good, to the worker with the highest positive score among those with
    capacity left (ties to the lowest index), or stays unassigned. Nothing
    about later tasks is known.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
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
    >>> res = online_greedy([[1.0, 0.9], [1.0, 0.0]])
    >>> res.pairs, res.objective
    ([(0, 0)], 1.0)
    >>> online_greedy([[1.0, 0.9], [1.0, 0.0]], order=[1, 0]).objective
    1.9
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    left = as_capacity_vector(capacity, n_workers).copy()
    order = as_arrival_order(order, n_tasks)
    pairs: list[tuple[int, int]] = []
    for i in order:
        candidates = np.where(left > 0, scores[i], -np.inf)
        j = int(np.argmax(candidates))
        if candidates[j] > 0:
            pairs.append((i, j))
            left[j] -= 1
    pairs.sort()
    return OnlineResult(_checked_total(scores, pairs), pairs, list(order))


def matching_lagrangian(n_tasks: int = 2, n_workers: int = 2) -> dict:
    """The Lagrangian of the matching LP and its stationarity conditions, in sympy.

    Multipliers: ``u_i`` for "task i goes to at most one worker", ``v_j`` for
    "worker j takes at most c_j tasks", ``mu_ij`` for ``x_ij >= 0``.

    Parameters
    ----------
    n_tasks, n_workers : int, default 2
        Size of the instance.

    Returns
    -------
    dict
        The Lagrangian ``"L"``, the symbols ``"x"``, ``"s"``, ``"mu"``, ``"u"``,
        ``"v"`` and ``"c"``, and ``"stationarity"``: for each pair ``(i, j)``,
        the derivative of ``L`` in ``x_ij``.

    Examples
    --------
    >>> lag = matching_lagrangian(2, 2)
    >>> lag["stationarity"][(0, 0)]
    mu_00 + s_00 - u_0 - v_0
    """
    import sympy

    n_tasks = as_integer(n_tasks, "n_tasks", minimum=1, maximum=6)
    n_workers = as_integer(n_workers, "n_workers", minimum=1, maximum=6)
    x = {
        (i, j): sympy.Symbol(f"x_{i}{j}", nonnegative=True)
        for i in range(n_tasks)
        for j in range(n_workers)
    }
    s = {
        (i, j): sympy.Symbol(f"s_{i}{j}")
        for i in range(n_tasks)
        for j in range(n_workers)
    }
    mu = {
        (i, j): sympy.Symbol(f"mu_{i}{j}", nonnegative=True)
        for i in range(n_tasks)
        for j in range(n_workers)
    }
    u = [sympy.Symbol(f"u_{i}", nonnegative=True) for i in range(n_tasks)]
    v = [sympy.Symbol(f"v_{j}", nonnegative=True) for j in range(n_workers)]
    c = [sympy.Symbol(f"c_{j}", positive=True) for j in range(n_workers)]
    L = (
        sum(s[k] * x[k] for k in x)
        - sum(
            u[i] * (sum(x[i, j] for j in range(n_workers)) - 1) for i in range(n_tasks)
        )
        - sum(
            v[j] * (sum(x[i, j] for i in range(n_tasks)) - c[j])
            for j in range(n_workers)
        )
        + sum(mu[k] * x[k] for k in x)
    )
    stationarity = {k: sympy.diff(L, x[k]) for k in x}
    return {
        "L": L,
        "x": x,
        "s": s,
        "mu": mu,
        "u": u,
        "v": v,
        "c": c,
        "stationarity": stationarity,
    }


@dataclass(frozen=True)
class SkillInstance:
    """A generated platform: tasks' required skills, workers' skills, capacities.

    Attributes
    ----------
    tasks : numpy.ndarray of 0/1, shape (n_tasks, n_skills)
        The skills each task requires.
    workers : numpy.ndarray of 0/1, shape (n_workers, n_skills)
        The skills each worker holds.
    capacity : numpy.ndarray of int, shape (n_workers,)
        Tasks each worker may take.

    Examples
    --------
    >>> inst = make_skill_instance(5, 3, 4, seed=1)
    >>> skill_scores(inst.tasks, inst.workers).shape
    (5, 3)
    """

    tasks: np.ndarray
    workers: np.ndarray
    capacity: np.ndarray


def make_skill_instance(
    n_tasks: int = 30, n_workers: int = 8, n_skills: int = 6, seed: int | np.random.Generator = 0
) -> SkillInstance:
    """Generate tasks that each require 1-3 skills, workers who each hold 2-4,
    and capacities of 1-4 tasks per worker (seeded).

    Parameters
    ----------
    n_tasks, n_workers, n_skills : int
        Size of the instance (defaults 30, 8 and 6).
    seed : int or numpy.random.Generator, default 0
        Seed of the generator (an integer >= 0), or a generator to draw from.

    Returns
    -------
    SkillInstance
        The tasks' and workers' 0/1 skill vectors and the capacities.

    Examples
    --------
    >>> inst = make_skill_instance(5, 3, 4, seed=1)
    >>> inst.tasks.shape, inst.workers.shape, inst.capacity.shape
    ((5, 4), (3, 4), (3,))
    """
    n_tasks = as_integer(n_tasks, "n_tasks", minimum=1, maximum=10_000)
    n_workers = as_integer(n_workers, "n_workers", minimum=1, maximum=10_000)
    n_skills = as_integer(n_skills, "n_skills", minimum=4, maximum=10_000)
    rng = as_seed(seed)

    def draw(rows: int, low: int, high: int) -> np.ndarray:
        out = np.zeros((rows, n_skills), dtype=int)
        for r in range(rows):
            out[
                r, rng.choice(n_skills, size=rng.integers(low, high + 1), replace=False)
            ] = 1
        return out

    return SkillInstance(
        draw(n_tasks, 1, 3), draw(n_workers, 2, 4), rng.integers(1, 5, size=n_workers)
    )


def random_order_ratios(
    scores: Any, capacity: Any = None, n_orders: int = 200, seed: int | np.random.Generator = 0
) -> np.ndarray:
    """Online greedy's total over the offline optimum, for random arrival orders.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    n_orders : int, default 200
        Number of random arrival orders.
    seed : int or numpy.random.Generator, default 0
        Seed of the orders (an integer >= 0), or a generator to draw from.

    Returns
    -------
    numpy.ndarray, shape (n_orders,)
        Greedy's total over the optimum, one per order.

    Examples
    --------
    >>> r = random_order_ratios([[1.0, 1.0], [1.0, 0.0]], n_orders=50, seed=0)
    >>> bool(r.min() == 0.5 and r.max() == 1.0)
    True
    """
    scores = as_real_matrix(scores, "scores")
    n_orders = as_integer(n_orders, "n_orders", minimum=1, maximum=1_000_000)
    rng = as_seed(seed)
    best = solve_matching(scores, capacity).objective
    if best <= 0:
        raise ValueError(
            "the offline optimum is 0 (no positive score): the ratio is undefined."
        )
    n = scores.shape[0]
    ratios = np.array(
        [
            online_greedy(scores, capacity, rng.permutation(n).tolist()).objective
            / best
            for _ in range(n_orders)
        ]
    )
    # Greedy never beats the optimum; two optimal assignments' float sums can
    # still differ in the last bit, which must not show as a ratio above 1.
    return np.where(ratios - 1.0 <= 1e-12, np.minimum(ratios, 1.0), ratios)
