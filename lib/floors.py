"""Minimum-earnings floors: a policy constraint that breaks integrality.

A platform may promise every worker a floor on earnings: the tasks worker
``j`` receives must be worth at least ``f_j`` in total,

.. math::

    \\sum_i s_{ij} x_{ij} \\ge f_j \\quad\\text{for every worker } j,

on top of the matching constraints of :func:`lib.matching.solve_matching`.
The scores are read as what a task pays the worker who does it. The new rows
have the scores as coefficients, so the constraint matrix is no longer
totally unimodular: the LP relaxation can stop at a fractional vertex, and
the 0/1 optimum needs branch and bound (scipy's ``milp``). The *cost of the
floor* is the total score the platform gives up to meet it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp

from lib._validate import (
    as_bool,
    as_capacity_vector,
    as_real,
    as_real_matrix,
    as_real_vector,
    check_size,
)

__all__ = [
    "MAX_FLOOR_INTEGER_VARIABLES",
    "FloorCurve",
    "FloorResult",
    "floor_cost_curve",
    "solve_matching_with_floor",
]

#: Largest integer program (tasks x workers) the floor functions accept:
#: branch and bound can take exponential time.
MAX_FLOOR_INTEGER_VARIABLES = 10_000

_INTEGRAL_TOL = 1e-7


@dataclass(frozen=True)
class FloorResult:
    """The best assignment that gives every worker at least its floor.

    Attributes
    ----------
    objective : float
        The maximum total score under the floors.
    x : numpy.ndarray
        ``(n_tasks, n_workers)``: 0/1 with ``integral=True``; the LP
        relaxation's optimal vertex (possibly fractional) otherwise.
    earnings : numpy.ndarray
        What each worker earns, ``sum_i s_ij x_ij``.
    integral : bool
        Whether ``x`` is a 0/1 assignment (always for the integer program;
        for the relaxation, whether its vertex happened to be integral).

    Examples
    --------
    >>> res = solve_matching_with_floor([[4.0, 1.0], [3.0, 2.0]], 1.0, capacity=[2, 1])
    >>> res.objective, res.earnings.tolist(), res.integral  # worker 1 must get a task: task 1
    (6.0, [4.0, 2.0], True)
    """

    objective: float
    x: np.ndarray
    earnings: np.ndarray
    integral: bool


@dataclass(frozen=True)
class FloorCurve:
    """The total score against a common floor for every worker.

    Attributes
    ----------
    floors : numpy.ndarray
        The floor levels, in increasing order.
    integer, relaxed : numpy.ndarray
        The integer optimum and the LP relaxation's value at each level;
        NaN where no assignment meets the floor (see ``feasible``).
    feasible : numpy.ndarray of bool
        Whether some 0/1 assignment meets the floor.
    fractional : numpy.ndarray of bool
        Whether the relaxation's optimal vertex is fractional.
    cost : numpy.ndarray
        Total score given up, ``integer[floor] - integer`` at floor 0 (NaN
        where infeasible).

    Examples
    --------
    >>> curve = floor_cost_curve([[4.0, 1.0], [3.0, 2.0]], [0.0, 1.0], capacity=[2, 1])
    >>> curve.integer.tolist(), curve.relaxed.tolist(), curve.fractional.tolist()
    ([7.0, 6.0], [7.0, 6.5], [False, True])
    """

    floors: np.ndarray
    integer: np.ndarray
    relaxed: np.ndarray
    feasible: np.ndarray
    fractional: np.ndarray
    cost: np.ndarray


def _floor_vector(floor: Any, n_workers: int) -> np.ndarray:
    if np.ndim(floor) == 0:
        value = as_real(floor, "floor", minimum=0.0)
        return np.full(n_workers, value)
    vec = as_real_vector(floor, "floor", length=n_workers)
    if np.any(vec < 0):
        raise ValueError("floor must be non-negative for every worker.")
    return vec


def _floor_program(
    scores: np.ndarray, capacity: np.ndarray, floor: np.ndarray, integral: bool
) -> Any:
    """Solve max s.x s.t. matching rows, earnings rows >= floor, 0 <= x <= 1."""
    from lib.matching import matching_constraint_matrix

    n_tasks, n_workers = scores.shape
    # HiGHS's tolerances are absolute: scale scores and floors together to a
    # largest score of 1.
    scale = float(np.abs(scores).max()) or 1.0
    var = np.arange(scores.size)
    earnings_rows = sp.csr_matrix(
        (scores.ravel() / scale, (var % n_workers, var)), shape=(n_workers, scores.size)
    )
    constraints = [
        LinearConstraint(
            matching_constraint_matrix(n_tasks, n_workers),
            ub=np.concatenate([np.ones(n_tasks), capacity]),
        ),
        LinearConstraint(earnings_rows, lb=floor / scale),
    ]
    res = milp(
        -scores.ravel() / scale,
        constraints=constraints,
        integrality=np.full(scores.size, 1 if integral else 0),
        bounds=(0, 1),
        options={"mip_rel_gap": 1e-9},
    )
    return res, scale


def solve_matching_with_floor(
    scores: Any, floor: Any, capacity: Any = None, *, integral: bool = True
) -> FloorResult:
    """Maximum-score matching in which every worker earns at least a floor.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth, to the platform and as pay to its worker.
    floor : float or array_like, shape (n_workers,)
        Minimum earnings, one number for every worker or one per worker
        (non-negative).
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    integral : bool
        ``True``: the best 0/1 assignment (``milp``, branch and bound).
        ``False``: the LP relaxation, whose vertex may be fractional.

    Returns
    -------
    FloorResult

    Raises
    ------
    ValueError
        On bad input, an instance larger than
        :data:`MAX_FLOOR_INTEGER_VARIABLES` (integer program only), or a
        floor that no assignment (no fractional one, for the relaxation)
        can meet.

    Examples
    --------
    Two workers, two tasks; both tasks are worth more to worker 0, who can
    take two. A floor of 1 for worker 1 moves one task to it:

    >>> scores = [[4.0, 1.0], [3.0, 2.0]]
    >>> solve_matching_with_floor(scores, 0.0, capacity=[2, 1]).objective
    7.0
    >>> res = solve_matching_with_floor(scores, [0.0, 1.0], capacity=[2, 1])
    >>> res.objective, res.earnings.tolist()
    (6.0, [4.0, 2.0])

    With a floor of 1.5 the relaxation gives worker 1 three quarters of
    task 1, a fractional vertex worth more than any 0/1 assignment:

    >>> lp = solve_matching_with_floor(scores, [0.0, 1.5], capacity=[2, 1], integral=False)
    >>> lp.objective, lp.integral, lp.x.tolist()
    (6.25, False, [[1.0, 0.0], [0.25, 0.75]])
    >>> solve_matching_with_floor(scores, [0.0, 1.5], capacity=[2, 1]).objective
    6.0
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    floor = _floor_vector(floor, n_workers)
    integral = as_bool(integral, "integral")
    if integral:
        check_size(scores.size, MAX_FLOOR_INTEGER_VARIABLES,
                   "integer variables (tasks x workers)",
                   "use integral=False for the LP relaxation, or a smaller instance")  # fmt: skip
    res, _ = _floor_program(scores, capacity, floor, integral)
    if res.status == 2 or res.x is None:
        kind = "assignment" if integral else "fractional assignment"
        raise ValueError(
            f"no {kind} gives every worker its floor within the capacities "
            "(the floor is too high)."
        )
    if res.status != 0:  # pragma: no cover - bounded, and the size is capped
        raise RuntimeError(f"HiGHS could not solve the floor problem: {res.message}")
    x = res.x.reshape(n_tasks, n_workers)
    is_integral = bool(np.all(np.abs(x - np.round(x)) < _INTEGRAL_TOL))
    if integral:
        x = np.round(x) + 0.0  # + 0.0 turns -0.0 into 0.0
    earnings = (scores * x).sum(axis=0)
    return FloorResult(float((scores * x).sum()), x, earnings, is_integral)


def floor_cost_curve(scores: Any, floors: Any, capacity: Any = None) -> FloorCurve:
    """The cost of a common earnings floor, level by level.

    For each level ``f`` every worker must earn at least ``f``; the curve
    holds the integer optimum, the LP relaxation, and the total score given
    up against the same instance without a floor (level 0 is always
    solved, whether listed or not).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth, to the platform and as pay to its worker.
    floors : array_like
        The common floor levels (non-negative).
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).

    Returns
    -------
    FloorCurve
        Integer and relaxed optima, feasibility and cost at each level.

    Examples
    --------
    >>> curve = floor_cost_curve([[4.0, 1.0], [3.0, 2.0]], [0.0, 1.0, 3.0], capacity=[2, 1])
    >>> curve.integer.tolist(), curve.cost.tolist()
    ([7.0, 6.0, nan], [0.0, 1.0, nan])
    >>> curve.feasible.tolist()  # worker 1 can take one task, worth at most 2
    [True, True, False]
    """
    scores = as_real_matrix(scores, "scores")
    n_workers = scores.shape[1]
    capacity = as_capacity_vector(capacity, n_workers)
    levels = np.sort(as_real_vector(floors, "floors"))
    if np.any(levels < 0):
        raise ValueError("floors must be non-negative.")
    check_size(levels.size, 200, "floor levels", "use fewer levels")
    check_size(scores.size, MAX_FLOOR_INTEGER_VARIABLES,
               "integer variables (tasks x workers)", "use a smaller instance")  # fmt: skip
    base = solve_matching_with_floor(scores, 0.0, capacity).objective
    integer = np.full(levels.size, np.nan)
    relaxed = np.full(levels.size, np.nan)
    feasible = np.zeros(levels.size, dtype=bool)
    fractional = np.zeros(levels.size, dtype=bool)
    for k, f in enumerate(levels):
        try:
            lp = solve_matching_with_floor(scores, float(f), capacity, integral=False)
        except ValueError:
            continue  # not even a fractional assignment meets this floor
        relaxed[k] = lp.objective
        fractional[k] = not lp.integral
        try:
            integer[k] = solve_matching_with_floor(scores, float(f), capacity).objective
            feasible[k] = True
        except ValueError:
            pass
    return FloorCurve(levels, integer, relaxed, feasible, fractional, base - integer)
