"""Exercises of the chapter "Relaxation, duality and integrality"."""

from __future__ import annotations

from typing import Any

import numpy as np

from lib.checks._core import Implementation, Precision, register_boolean, register_function, register_number

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
    reread="the section 'A price, confirmed by perturbing a capacity'",
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
    reread="the section 'Why the relaxation is already integral'",
    wrong_hint="Try is_totally_unimodular on the stacked matrix, and ask whether the rows "
               "still split into two groups that satisfy the sufficient condition.",
)  # fmt: skip


# ------------------------------------------------------------ wages: derive, implement, model

#: The new 2 x 2 instance of the exercise "a dual by hand".
HAND_DUAL_SCORES = [[5.0, 4.0], [4.0, 1.0]]


def _hand_intervals():
    from lib.wages import wage_intervals

    return wage_intervals(HAND_DUAL_SCORES)


register_number(
    "ex-dual-by-hand", CHAPTER, kind="derive",
    expected=lambda: float(_hand_intervals().low[0]),
    precision=Precision.sig(3),
    misconceptions={
        "the highest wage": (lambda: float(_hand_intervals().high[0]),
                             "That is worker 0's highest wage among the optimal duals; the "
                             "question asks for the lowest."),
        "no competition": (lambda: 0.0,
                           "A wage of 0 would let task 0 and worker 0 both do better together: "
                           "check the constraint of the pair (0, 0)."),
    },
    reread="the section 'The dual: a value per task, a price per worker'",
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
    reread="the section 'The dual: a value per task, a price per worker'",
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
    reread="the section 'The dual: a value per task, a price per worker'",
)  # fmt: skip
