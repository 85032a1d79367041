"""Exercises of the chapter "Relaxation, duality and integrality"."""

from __future__ import annotations

from typing import Any

import numpy as np

from lib.checks._core import (
    CheckResult,
    Implementation,
    Precision,
    register_boolean,
    register_custom,
    register_function,
    register_number,
)

CHAPTER = "chapters/part2_matching/02_duality_integrality.ipynb"

#: The budget instance of the chapter: scores, costs (wages) and the budget.
BUDGET_INSTANCE = {
    "scores": [[4.0, 3.0], [2.0, 5.0]],
    "costs": [[3.0, 1.0], [1.0, 3.0]],
    "budget": 4.0,
}


def _slopes() -> tuple[float, float]:
    from lib.matching import ARTICLE_SCORES, capacity_slopes

    return capacity_slopes(ARTICLE_SCORES, [1, 1, 1, 1], worker=3)


def _budget_value(integral: bool) -> float:
    from lib.matching import solve_matching_with_budget

    return solve_matching_with_budget(**BUDGET_INSTANCE, integral=integral).objective


register_number(
    "ex-dual-left-slope", CHAPTER,
    expected=lambda: _slopes()[0],
    precision=Precision.sig(3),
    misconceptions={
        "right slope": (lambda: _slopes()[1],
                        "That is the slope for adding capacity to worker 3; remove a little "
                        "instead."),
    },
    reread="the section 'A price, placed between two slopes'",
)  # fmt: skip

register_number(
    "ex-dual-integrality-gap", CHAPTER,
    expected=lambda: _budget_value(False) - _budget_value(True),
    precision=Precision.sig(3),
    misconceptions={
        "relaxation only": (lambda: _budget_value(False),
                            "That is the relaxation's value alone; the gap subtracts the "
                            "integer optimum."),
        "integer optimum only": (lambda: _budget_value(True),
                                 "That is the integer optimum alone; the gap is the "
                                 "relaxation's value minus it."),
        "subtracted the other way": (lambda: _budget_value(True) - _budget_value(False),
                                     "The gap is the relaxation's value minus the integer "
                                     "optimum: it cannot be negative for a maximisation."),
    },
    reread="the section '`milp`, and a constraint that breaks integrality'",
)  # fmt: skip


def stacked_pair_matrix() -> np.ndarray:
    """The 3-task, 2-worker matching matrix with the rows x_0j + x_1j <= 1."""
    from lib.matching import matching_constraint_matrix

    base = matching_constraint_matrix(3, 2).toarray()
    extra = np.zeros((2, 6))
    for j in range(2):
        extra[j, [0 * 2 + j, 1 * 2 + j]] = 1
    return np.vstack([base, extra])


def _pairs_tu() -> bool:
    from lib.matching import is_totally_unimodular

    return bool(is_totally_unimodular(stacked_pair_matrix()))


register_boolean(
    "ex-dual-tu-pairs", CHAPTER,
    expected=_pairs_tu,
    reread="the section 'Why the relaxation's vertices are integral'",
    wrong_hint="Try is_totally_unimodular on the stacked matrix, or look for a signing of any "
               "set of rows whose column sums stay in {-1, 0, 1} (Ghouila-Houri).",
)  # fmt: skip


# ------------------------------------------------------------ wages: derive, implement, model

#: The new 2 x 3 instance of the exercise "a dual by hand" (tasks are rows).
HAND_DUAL_SCORES = [[6.0, 4.0, 1.0], [4.0, 1.0, 3.0]]


def _hand_optimum() -> float:
    from lib.matching import solve_matching

    return solve_matching(HAND_DUAL_SCORES).objective


def _as_dual(answer: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Read ``(u, v)``: one real number per task and one per worker, or None."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    try:
        if len(answer) != 2:
            return None
        parts = [np.asarray(part) for part in answer]
        if any(part.dtype.kind == "c" for part in parts):  # complex: not a price
            return None
        u, v = (part.astype(float) for part in parts)
    except (TypeError, ValueError, OverflowError):  # no len(), or entries that are not numbers
        return None
    n, m = np.shape(HAND_DUAL_SCORES)
    if u.shape != (n,) or v.shape != (m,) or not (np.all(np.isfinite(u)) and np.all(np.isfinite(v))):
        return None
    return u, v


def _is_optimal_dual(u: np.ndarray, v: np.ndarray, best: float, tol: float = 1e-9) -> bool:
    s = np.asarray(HAND_DUAL_SCORES)
    return bool(np.all(u >= -tol) and np.all(v >= -tol)
                and np.all(u[:, None] + v[None, :] >= s - tol)
                and abs(u.sum() + v.sum() - best) <= tol)  # fmt: skip


def grade_hand_dual(answer: Any, best: float) -> CheckResult:
    """Accept any optimal dual ``(u, v)``: feasible, with no duality gap.

    The dual's optimal set is a polytope, so the check does not compare
    with one vertex: it checks ``u, v >= 0``, ``u_i + v_j >= s_ij`` for
    every pair and ``sum(u) + sum(v)`` equal to the optimal total.
    """
    read = _as_dual(answer)
    if read is None:
        return CheckResult("incorrect", "Expected (u, v): the task values u = [u_0, u_1] (one per "
                                        "row) and the worker prices v = [v_0, v_1, v_2] (one per "
                                        "column).")  # fmt: skip
    u, v = read
    s = np.asarray(HAND_DUAL_SCORES)
    if _is_optimal_dual(u, v, best):
        total = u.sum() + v.sum()
        return CheckResult("correct", f"Feasible, and its total {total:.4g} equals the optimal score: "
                                      "an optimal dual (one of many).")  # fmt: skip
    if _is_optimal_dual(-u, -v, best):  # HiGHS's marginals, not negated
        return CheckResult("incorrect", "These are the minimisation's marginals: the values and "
                                        "prices of the maximisation are their negatives (see the "
                                        "sign convention).")  # fmt: skip
    if np.any(u < -1e-9) or np.any(v < -1e-9):
        return CheckResult("incorrect", "Values and prices are at least 0: anyone may stay unmatched.")
    short = [(int(i), int(j)) for i, j in zip(*np.nonzero(u[:, None] + v[None, :] < s - 1e-9))]
    if short:
        i, j = short[0]
        return CheckResult("incorrect", f"Not feasible: u_{i} + v_{j} = {u[i] + v[j]:.4g} is below "
                                        f"s_{i}{j} = {s[i, j]:.4g}, so task {i} and worker {j} would both "
                                        "do better together.")  # fmt: skip
    return CheckResult("incorrect", f"Feasible, but the total {u.sum() + v.sum():.4g} exceeds the "
                                    "optimal score: by complementary slackness the pairs of an optimal "
                                    "assignment are tight (u_i + v_j = s_ij) and an idle worker's price "
                                    "is 0.")  # fmt: skip


register_custom(
    "ex-dual-by-hand", CHAPTER, kind="derive",
    grade=grade_hand_dual,
    expected=_hand_optimum,
    reread="the section 'Prices as wages: the core of the assignment game'",
)  # fmt: skip


def _core_instance(rng: np.random.Generator, size: int) -> dict:
    """Random integer scores and a random split (u, v) >= 0, some pairs tight."""
    n_workers = size + 1
    scores = rng.integers(0, 6, size=(size, n_workers)).astype(float)
    u = rng.integers(0, 4, size=size).astype(float)
    v = rng.integers(0, 4, size=n_workers).astype(float)
    return {"scores": scores, "task_values": u, "wages": v}


def _core_reference(scores, task_values, wages):
    from lib.wages import blocking_pairs

    return blocking_pairs(scores, task_values, wages)


def _same_pairs(student: Any, reference: list[tuple[int, int]]) -> bool:
    try:
        return sorted(tuple(int(x) for x in p) for p in student) == sorted(reference)
    except (TypeError, ValueError):
        return False


register_function(
    "ex-core-blocking-pairs", CHAPTER,
    implementation=Implementation(
        reference=_core_reference,
        instances=_core_instance,
        sizes=(1, 2, 3, 4),
        per_size=4,
        compare=_same_pairs,
        hide=("lib.wages.blocking_pairs",),
        returns="the sorted list of blocking (task, worker) pairs",
    ),
    reread="the section 'Prices as wages: the core of the assignment game'",
)  # fmt: skip

#: The wage floor of the exercise "a wage floor".
WAGE_FLOOR = 0.45


def _floor_matching(floor: float):
    from lib.matching import ARTICLE_SCORES, solve_matching

    return solve_matching(ARTICLE_SCORES - floor)


def _floor_total_score() -> float:
    from lib.matching import ARTICLE_SCORES

    return float(sum(ARTICLE_SCORES[i, j] for i, j in _floor_matching(WAGE_FLOOR).pairs))


def _pairs_above_floor_only() -> float:
    from lib.matching import ARTICLE_SCORES, screen_scores, solve_matching

    return solve_matching(screen_scores(ARTICLE_SCORES, WAGE_FLOOR)).objective


register_number(
    "ex-wage-floor", CHAPTER, kind="model",
    expected=_floor_total_score,
    precision=Precision.sig(3),
    misconceptions={
        "floor as a screen": (_pairs_above_floor_only,
                              "That drops the pairs worth less than the floor but forgets that "
                              "the floor is paid on every pair formed: maximise s_ij - f."),
        "net of the floor": (lambda: _floor_matching(WAGE_FLOOR).objective,
                             "That is the surplus above the floor; the question asks for the "
                             "total score of the pairs formed."),
    },
    reread="the section 'Prices as wages: the core of the assignment game'",
)  # fmt: skip
