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

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, linprog

from lib._exact import fraction_sum
from lib._highs import quiet_milp
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
    "RELAXED_FLOOR_TOL",
    "UNRESOLVED_SHARE",
    "FloorCurve",
    "FloorResult",
    "floor_cost_curve",
    "solve_matching_with_floor",
]

#: Largest integer program (tasks x workers) the floor functions accept:
#: branch and bound can take exponential time.
MAX_FLOOR_INTEGER_VARIABLES = 10_000

_INTEGRAL_TOL = 1e-7
#: The relaxation meets each floor to this relative tolerance (HiGHS's
#: feasibility tolerance is about 1e-10 of the floor's row).
RELAXED_FLOOR_TOL = 1e-9
#: In the relaxation a task counts towards a floor at most this many times
#: the floor: HiGHS refuses coefficients beyond 1e15 and resolves about 1e-10
#: of a row, so a pair paying more is read as paying 1e9 floors.
_MAX_FLOOR_RATIO = 1e9
#: Exact re-checks (and cuts) of the integer program before giving up.
_MAX_ROUNDS = 50


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


def _meets(pay: np.ndarray, floor: float) -> bool:
    """Whether the exact (rational) sum of ``pay`` is at least ``floor``:
    the check in the original units, free of any tolerance or rounding."""
    return sum((Fraction(float(v)) for v in pay), Fraction(0)) >= Fraction(float(floor))


_HIGHS_OPTIONS = {
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}
#: milp's tolerances are absolute and cannot be set through scipy (1e-7 on
#: reduced costs, a gap of 1e-6): the integer program's objective is scaled to
#: a largest coefficient of 1e4, which makes them 1e-11 and 1e-10 of the
#: largest score. Its presolve is off: on a row whose coefficients span
#: 1e6 it cut off the optimal 0/1 point (a pair costing the whole budget
#: beside one costing 1e-6 of it came out as not taken), as if the small
#: coefficient's variable were fixed at 1.
_MIP_OBJECTIVE_SCALE = 1e4


def _floor_program(
    scores: np.ndarray, capacity: np.ndarray, floor: np.ndarray, integral: bool
) -> np.ndarray | None:
    """The optimal ``x`` of max s.x s.t. matching rows, earnings >= floor,
    0 <= x <= 1 (0/1 with ``integral``); None when no ``x`` meets the floors."""
    from lib.matching import matching_constraint_matrix

    n_tasks, n_workers = scores.shape
    # A pair scoring <= 0 is never worth taking: it lowers both the total and
    # its worker's earnings. Only the other pairs are variables.
    keep = (scores > 0) & (capacity > 0)[None, :]
    if not integral:
        try:
            return _floor_relaxation(scores, capacity, floor, keep)
        except OverflowError:  # math.fsum of earnings or totals beyond 1.8e308
            raise ValueError(
                "the total of scores overflows a float (the scores sum beyond 1.8e308); "
                "rescale scores."
            ) from None
    need = np.flatnonzero(floor > 0)
    row_of = np.full(n_workers, -1)
    row_of[need] = np.arange(need.size)
    upper = np.concatenate([np.ones(n_tasks), np.minimum(capacity, n_tasks)])
    # Found by the exact re-check below: worker j must take a task outside S.
    cuts: list[tuple[int, np.ndarray]] = []
    for _ in range(_MAX_ROUNDS):
        tasks, workers = np.nonzero(keep)
        pay = scores[tasks, workers]
        if pay.size == 0:
            return None if need.size else np.zeros(scores.shape)
        var = np.arange(pay.size)
        matching = matching_constraint_matrix(n_tasks, n_workers)[:, tasks * n_workers + workers]
        constraints = [LinearConstraint(matching, ub=upper)]
        if need.size:
            # Each earnings row divided by its own floor (right-hand side 1),
            # never by the largest score, so that a floor far below the
            # scores is enforced too. A pair paying more than the floor meets
            # it alone: its coefficient is capped at 1 (the same 0/1
            # solutions, and no coefficient HiGHS refuses).
            mine = row_of[workers] >= 0
            with np.errstate(over="ignore"):
                ratio = np.minimum(pay[mine] / floor[workers[mine]], 1.0)
            earnings = sp.csr_matrix((ratio, (row_of[workers[mine]], var[mine])), shape=(need.size, pay.size))
            constraints.append(LinearConstraint(earnings, lb=np.ones(need.size)))
        if cuts:
            others = [((workers == j) & ~np.isin(tasks, s)).astype(float) for j, s in cuts]
            constraints.append(LinearConstraint(np.array(others), lb=np.ones(len(cuts))))
        res = quiet_milp(
            -pay / pay.max() * _MIP_OBJECTIVE_SCALE,
            constraints=constraints,
            integrality=np.ones(pay.size),
            bounds=(0, 1),
            options={"mip_rel_gap": 1e-12, "presolve": False},
        )
        if res.status == 2 or res.x is None:
            _refuse_if_unresolvable(pay, workers, floor, need, capacity)
            return None
        if res.status != 0:  # pragma: no cover - bounded, and the size is capped
            raise RuntimeError(f"HiGHS could not solve the floor problem: {res.message}")
        taken = np.round(res.x) > 0.5
        # HiGHS meets each row only to its tolerance (and drops coefficients
        # below 1e-9): re-check every floor exactly. A worker left short falls
        # short with any subset of its tasks too: it must take another one.
        short = [j for j in need if not _meets(pay[taken & (workers == j)], floor[j])]
        if short:
            cuts += [(j, tasks[taken & (workers == j)]) for j in short]
            continue
        # HiGHS resolves the objective to about 1e-11 of the largest score,
        # which the floors may keep far above the optimum. No optimal
        # assignment takes a pair paying more than the optimum (every score
        # left is positive): drop those and solve again at the new scale.
        with np.errstate(over="ignore"):
            total = float(pay[taken].sum())
        drop = keep & (scores > total + 1e-8 * pay.max())
        if drop.any():
            keep = keep & ~drop
            continue
        x = np.zeros(scores.shape)
        x[tasks[taken], workers[taken]] = 1.0
        return x
    # Each cut forbids one near miss; a floor reachable only through many
    # tasks paying below HiGHS's tolerance (about 1e-7 of it) has too many.
    raise _Unresolvable(
        f"floor: HiGHS kept returning assignments that miss a floor after {_MAX_ROUNDS} exact "
        "re-checks. Its tolerance (about 1e-7 of a floor) cannot separate this instance: the "
        "floor is reachable, if at all, only through tasks paying too little beside it. Rescale."
    )


class _Unresolvable(ValueError):
    """The documented refusal: HiGHS's tolerance cannot separate the instance
    (a ValueError to the caller; :func:`floor_cost_curve` passes it on rather
    than call the level infeasible)."""


def _floor_relaxation(
    scores: np.ndarray, capacity: np.ndarray, floor: np.ndarray, keep: np.ndarray
) -> np.ndarray | None:
    """The LP relaxation of :func:`_floor_program`, to the documented
    tolerances of :func:`solve_matching_with_floor`; None if infeasible.

    HiGHS's tolerances are absolute, on the primal rows and on the duals
    alike: an earnings row divided by its floor (right-hand side 1) is met
    to 1e-10 of the floor, but a pair paying 1e3 floors gives the row a dual
    1e3 times smaller than the pair's score, which can fall below the dual
    tolerance; divided by its largest coefficient (coefficients <= 1) the
    row has the opposite weakness. Both are solved, each re-checked in the
    original units, and the better solution kept."""
    solutions = [x for x in (_relaxation_at(scores, capacity, floor, keep, by_largest)
                             for by_largest in (False, True)) if x is not None]  # fmt: skip
    if not solutions:
        tasks, workers = np.nonzero(keep)
        _refuse_if_unresolvable(scores[tasks, workers], workers, floor, np.flatnonzero(floor > 0),
                                capacity)  # fmt: skip
        return None
    return max(solutions, key=lambda x: math.fsum((scores * x)[keep]))


#: A pair paying less than this share of its worker's floor is below what
#: HiGHS resolves on a row whose right-hand side is the floor (it drops
#: coefficients below 1e-9 and meets rows to about 1e-7).
UNRESOLVED_SHARE = 1e-7


def _refuse_if_unresolvable(pay: np.ndarray, workers: np.ndarray, floor: np.ndarray,
                            need: np.ndarray, capacity: np.ndarray) -> None:  # fmt: skip
    """Before calling an instance infeasible on HiGHS's word: if a worker
    with a floor has a pair paying less than ``UNRESOLVED_SHARE`` of it,
    HiGHS may have dropped what would meet the floor, so refuse instead;
    unless the instance is infeasible for certain: some worker's best tasks
    within its capacity, added up exactly, fall short of its floor."""
    for j in need:
        best = np.sort(pay[workers == j])[::-1][: int(min(capacity[j], pay.size))]
        if fraction_sum(best) < Fraction(float(floor[j])):
            return  # infeasible whatever HiGHS resolves
    for j in need:
        share = pay[workers == j] / floor[j]
        if np.any((share > 0) & (share < UNRESOLVED_SHARE)):
            raise _Unresolvable(
                f"floor: worker {int(j)} has tasks paying less than {UNRESOLVED_SHARE:g} of its "
                "floor, which HiGHS cannot resolve; whether the floor can be met is not decided. "
                "Rescale, or drop those tasks if they cannot matter."
            )


def _relaxation_at(
    scores: np.ndarray, capacity: np.ndarray, floor: np.ndarray, keep: np.ndarray, by_largest: bool
) -> np.ndarray | None:
    """One solve of :func:`_floor_relaxation`, each earnings row divided by
    its floor, and (``by_largest``) then by its largest coefficient."""
    from lib.matching import matching_constraint_matrix

    n_tasks, n_workers = scores.shape
    tasks, workers = np.nonzero(keep)
    pay = scores[tasks, workers]
    need = np.flatnonzero(floor > 0)
    if pay.size == 0:
        return None if need.size else np.zeros(scores.shape)
    k = pay.size
    incidence = matching_constraint_matrix(n_tasks, n_workers)[:, tasks * n_workers + workers].tocoo()
    upper = np.concatenate([np.ones(n_tasks), np.minimum(capacity, n_tasks)])
    row_of = np.full(n_workers, -1)
    row_of[need] = np.arange(need.size)
    mine = row_of[workers] >= 0
    lower = np.ones(need.size)
    loosened = False
    # A bound on the optimum: no pair contributes more than it, so a pair
    # paying more than ``bound`` is taken at most bound / pay of.
    bound = np.inf
    for _ in range(_MAX_ROUNDS):
        # Each variable is y = x / w, w = min(1, bound / pay) the most of the
        # pair the optimum can take; the objective is divided by the largest
        # gain of a pair, pay * w, and each earnings row by its own floor
        # (right-hand side 1), never by the largest score; an earnings
        # coefficient is capped at _MAX_FLOOR_RATIO.
        with np.errstate(over="ignore"):
            w = np.minimum(1.0, bound / pay)
            ratio = np.minimum(pay[mine] * w[mine] / floor[workers[mine]], _MAX_FLOOR_RATIO)
        gain = pay * w
        matching = sp.csr_matrix((w[incidence.col], (incidence.row, incidence.col)), shape=incidence.shape)
        earnings = sp.csr_matrix((ratio, (row_of[workers[mine]], np.flatnonzero(mine))), shape=(need.size, k))
        divisor = np.ones(need.size)
        if by_largest:
            divisor = np.maximum(earnings.max(axis=1).toarray().ravel(), 1.0)
            earnings = sp.diags(1.0 / divisor) @ earnings
        res = linprog(
            -gain / gain.max(),
            A_ub=sp.vstack([matching, -earnings]),
            b_ub=np.concatenate([upper, -lower / divisor]),
            bounds=(0, 1),
            method="highs-ds",
            options=_HIGHS_OPTIONS,
        )
        if res.status == 2:
            if loosened:
                return None
            # HiGHS drops coefficients below 1e-9 (tasks paying less than
            # 1e-9 of the floor): a floor reachable only with them is decided
            # at the documented tolerance, on rows lowered by half of it.
            lower = np.full(need.size, 1.0 - RELAXED_FLOOR_TOL / 2)
            loosened = True
            continue
        if res.status != 0:  # pragma: no cover - bounded, feasible or infeasible
            raise RuntimeError(f"HiGHS could not solve the floor relaxation: {res.message}")
        x = np.zeros(scores.shape)
        x[tasks, workers] = np.clip(res.x, 0.0, 1.0) * w
        # HiGHS meets each row to its tolerance (and drops a share below
        # 1e-9): scale down whatever task or worker it overran.
        x /= np.maximum(x.sum(axis=1, keepdims=True), 1.0)
        load = x.sum(axis=0)
        over = load > capacity
        x[:, over] *= capacity[over] / load[over]
        share = x[tasks, workers]
        earned = np.array([math.fsum(pay[workers == j] * share[workers == j]) for j in need])
        shortfall = 1.0 - earned / floor[need]
        if np.any(shortfall > RELAXED_FLOOR_TOL):
            # Re-solve with the missed rows raised by twice their shortfall.
            lower = np.where(shortfall > RELAXED_FLOOR_TOL, lower + 2 * shortfall, lower)
            continue
        # HiGHS resolves the objective to about 1e-10 of the largest gain,
        # which the floors may keep far above the optimum: bound each pair
        # by the optimum (to HiGHS's accuracy) and solve again at that scale.
        new_bound = math.fsum(pay * share) + 1e-8 * gain.max()
        if gain.max() > 2 * new_bound:
            bound = new_bound
            continue
        return x
    raise _Unresolvable(
        "floor: HiGHS's relaxation kept missing a floor by more than RELAXED_FLOOR_TOL; its "
        "tolerance cannot separate this instance. Rescale."
    )


def solve_matching_with_floor(
    scores: Any, floor: Any, capacity: Any = None, *, integral: bool = True
) -> FloorResult:
    """Maximum-score matching in which every worker earns at least a floor.

    Each earnings row is divided by its own floor (never by the largest
    score), so a floor far below the scores is enforced like any other.

    * ``integral=True``: the floors are met **exactly**. HiGHS meets a row
      only to its tolerance (1e-6) and drops coefficients below 1e-9, so each
      worker's earnings are re-checked in rational arithmetic; a worker left
      short must take some other task (a cut), and the program is solved
      again. ``ValueError`` exactly when no 0/1 assignment meets every floor.
    * ``integral=False``: the relaxation is solved to HiGHS's tolerances,
      which this states. A task counts towards a floor at most ``1e9`` times
      that floor (HiGHS refuses coefficients beyond 1e15), so meeting a
      floor below 1e-9 of a score takes a share of at least 1e-9 of the task.
      Each floor is met to a relative :data:`RELAXED_FLOOR_TOL` (1e-9), and
      the task and worker rows to the rounding of a float. ``ValueError`` only when that model
      with the exact floors has no solution. The objective lies between the
      optimum of that model and the optimum of the exact relaxation with the
      floors lowered by 1e-9 (each within ``1e-9 * n_tasks``): the two are
      far apart when a task pays one worker 1e9 times what it pays another
      whose floor it meets, since a 1e-9 share of it then moves that much.

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
    TypeError
        If ``scores``, ``floor`` or ``capacity`` is not numeric, or
        ``integral`` not a bool.
    ValueError
        On bad input, an instance larger than
        :data:`MAX_FLOOR_INTEGER_VARIABLES` (integer program only), a
        floor that no assignment (no fractional one, for the relaxation)
        can meet, or a total that overflows a float. Also, by this rule, when
        HiGHS's tolerance (about 1e-7 of a floor) cannot separate the
        instance: the exact re-checks keep finding a floor missed, which
        happens when a floor is reachable only through many tasks paying far
        less than it (tasks of 1e-9 beside a floor of 1); or HiGHS finds no
        assignment while a worker with a floor has a task paying less than
        :data:`UNRESOLVED_SHARE` (1e-7) of it, which HiGHS may have dropped.
        Such an instance is refused, never called infeasible or answered
        wrongly.

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

    One task cannot pay two workers, however small the floor next to it:

    >>> solve_matching_with_floor([[1e6, 1e6]], [0.5, 0.5])
    Traceback (most recent call last):
    ...
    ValueError: no assignment gives every worker its floor within the capacities (the floor is too high).
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
    x = _floor_program(scores, capacity, floor, integral)
    if x is None:
        kind = "assignment" if integral else "fractional assignment"
        raise ValueError(
            f"no {kind} gives every worker its floor within the capacities "
            "(the floor is too high)."
        )
    is_integral = bool(np.all(np.abs(x - np.round(x)) < _INTEGRAL_TOL))
    with np.errstate(over="ignore", invalid="ignore"):
        earnings = (scores * x).sum(axis=0) + 0.0  # + 0.0 turns -0.0 into 0.0
        objective = float(earnings.sum())
    if not (np.isfinite(objective) and np.all(np.isfinite(earnings))):
        raise ValueError(
            "the total of scores overflows a float (beyond 1e308); rescale scores and floor."
        )
    return FloorResult(objective, x, earnings, is_integral)


def floor_cost_curve(scores: Any, floors: Any, capacity: Any = None) -> FloorCurve:
    """The cost of a common earnings floor, level by level.

    For each level ``f`` every worker must earn at least ``f``; the curve
    holds the integer optimum, the LP relaxation, and the total score given
    up against the same instance without a floor (level 0 is always
    solved, whether listed or not). Each level is solved by
    :func:`solve_matching_with_floor`: the integer optimum meets the level
    exactly, the relaxation to a relative :data:`RELAXED_FLOOR_TOL`.

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
        except _Unresolvable:
            raise
        except ValueError:
            lp = None  # no fractional assignment meets this floor, to HiGHS's tolerance
        if lp is not None:
            relaxed[k] = lp.objective
            fractional[k] = not lp.integral
        try:
            integer[k] = solve_matching_with_floor(scores, float(f), capacity).objective
            feasible[k] = True
        except _Unresolvable:
            raise
        except ValueError:
            pass
    return FloorCurve(levels, integer, relaxed, feasible, fractional, base - integer)
