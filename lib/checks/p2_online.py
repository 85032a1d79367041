"""Exercises of the chapter "Skills, capacities and matching in real time"."""

from __future__ import annotations

from typing import Any

import numpy as np

from lib.checks._core import (
    CheckResult,
    Implementation,
    MonteCarlo,
    Precision,
    register_custom,
    register_function,
    register_monte_carlo,
    register_number,
)

CHAPTER = "chapters/part2_matching/03_online_matching.ipynb"

#: The instance of ex-online-eps-ratio: one worker, a cheap task then a valuable one.
EPS_SCORES = [[0.05], [1.0]]
#: Arrival orders the Monte-Carlo reference averages over (far more than the
#: 200 a student draws), from a stream no exercise text names.
REFERENCE_ORDERS, REFERENCE_SEED = 2000, 20260


def chapter_platform():
    """The chapter's 30-task platform: (scores, capacity)."""
    from lib.matching import make_skill_instance, skill_scores

    inst = make_skill_instance(30, 8, 6, seed=0)
    return skill_scores(inst.tasks, inst.workers), inst.capacity


def _eps_ratio() -> float:
    from lib.matching import online_greedy, solve_matching

    return online_greedy(EPS_SCORES).objective / solve_matching(EPS_SCORES).objective


register_number(
    "ex-online-eps-ratio", CHAPTER,
    expected=_eps_ratio,
    precision=Precision.sig(3),
    misconceptions={
        "ratio inverted": (lambda: 1 / _eps_ratio(),
                           ("That is the optimum over greedy's total; the ratio asked is "
                           "greedy's total over the optimum.")),
        "loss instead of ratio": (lambda: 1 - _eps_ratio(),
                                  ("That is the fraction greedy loses; the ratio asked is the "
                                  "fraction it keeps.")),
    },
    reread="the section 'Tasks that arrive one at a time'",
)  # fmt: skip


def _reference_ratios():
    from lib.matching import random_order_ratios

    scores, capacity = chapter_platform()
    return random_order_ratios(scores, capacity, n_orders=REFERENCE_ORDERS, seed=REFERENCE_SEED)


_MEAN_RATIO = MonteCarlo(
    mean=lambda: float(_reference_ratios().mean()),
    sd=lambda: float(_reference_ratios().std(ddof=1)),
    draws=200,
    reference_draws=REFERENCE_ORDERS,
)

register_monte_carlo(
    "ex-online-mean-ratio", CHAPTER, kind="model",
    simulation=_MEAN_RATIO,
    misconceptions={
        "loss instead of ratio": (lambda: 1 - _MEAN_RATIO.mean(),
                                  ("That is the mean fraction greedy loses; the ratio asked "
                                  "is the fraction it keeps.")),
        "ratio inverted": (lambda: 1 / _MEAN_RATIO.mean(),
                           ("That is the optimum over greedy's total; the ratio asked is "
                           "greedy's total over the optimum.")),
    },
    reread="the section 'Tasks that arrive one at a time'",
)  # fmt: skip


def _screened_optimum(threshold: float | None) -> float:
    from lib.matching import screen_scores, solve_matching

    scores, capacity = chapter_platform()
    if threshold is not None:
        scores = screen_scores(scores, threshold)
    return solve_matching(scores, capacity).objective


def _screened_greedy() -> float:
    from lib.matching import online_greedy, screen_scores

    scores, capacity = chapter_platform()
    return online_greedy(screen_scores(scores, 1.0), capacity).objective


register_number(
    "ex-online-screened-total", CHAPTER, kind="model",
    expected=lambda: _screened_optimum(1.0),
    precision=Precision.sig(4),
    misconceptions={
        "not screened": (lambda: _screened_optimum(None),
                         ("That is the optimum without screening: drop the pairs below the "
                         "threshold 1.0 first.")),
        "greedy instead of optimum": (_screened_greedy,
                                      ("That is online greedy's total on the screened scores; "
                                      "the offline optimum is asked.")),
    },
    reread="the section 'Scores from skills'",
)  # fmt: skip


# ---------------------------------------------------------------- greedy with capacities (implement)


def _greedy_instance(rng: Any, size: int) -> dict:
    """A random platform from the chapter's generator, and an arrival order."""
    from lib.matching import make_skill_instance, skill_scores

    inst = make_skill_instance(size, max(1, size // 2), 4, seed=int(rng.integers(2**31)))
    return {"scores": skill_scores(inst.tasks, inst.workers),
            "order": rng.permutation(size).tolist(),
            "capacity": inst.capacity.tolist()}  # fmt: skip


def _greedy_reference(scores: Any, order: Any, capacity: Any) -> list:
    from lib.matching import online_greedy

    return online_greedy(scores, capacity, order).pairs


def _same_pairs(student: Any, reference: list) -> bool:
    try:
        return sorted(tuple(int(v) for v in p) for p in student) == sorted(reference)
    except (TypeError, ValueError):
        return False


register_function(
    "ex-online-greedy-code", CHAPTER,
    implementation=Implementation(
        reference=_greedy_reference,
        instances=_greedy_instance,
        sizes=(1, 2, 3, 4, 6, 8),
        per_size=4,
        compare=_same_pairs,
        hide=("lib.matching.online_greedy", "lib.online.run_online", "lib.online.greedy_choice"),
        returns="the sorted list of (task, worker) pairs",
    ),
    reread="the section 'Tasks that arrive one at a time'",
)  # fmt: skip


# ---------------------------------------------------------------- an adversarial order (derive)

#: The instance of ex-online-adversarial-order: 5 tasks, worker 0 takes one
#: task, worker 1 two.
ADVERSARIAL_SCORES = [[1.0, 1 / 3], [1.0, 1.0], [0.0, 1.0], [1.0, 1 / 3], [1 / 3, 1 / 3]]
ADVERSARIAL_CAPACITY = [1, 2]


def _greedy_ratio(order: list[int]) -> float:
    from lib.matching import online_greedy, solve_matching

    best = solve_matching(ADVERSARIAL_SCORES, ADVERSARIAL_CAPACITY).objective
    return online_greedy(ADVERSARIAL_SCORES, ADVERSARIAL_CAPACITY, order).objective / best


def _worst_ratio() -> float:
    import itertools

    return min(_greedy_ratio(list(o)) for o in itertools.permutations(range(len(ADVERSARIAL_SCORES))))


def _grade_order(answer: Any, worst: float) -> CheckResult:
    n = len(ADVERSARIAL_SCORES)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        return CheckResult("incorrect", f"Expected an arrival order: a list of the {n} task indices, "
                                        "for example [3, 1, 0, 2, 4].")  # fmt: skip
    try:
        values = [float(v) for v in answer]
    except (TypeError, ValueError, OverflowError):
        values = [0.5]  # not numbers: reported below
    if not all(np.isfinite(v) and v.is_integer() for v in values):
        return CheckResult("incorrect", "The order must hold task indices (whole numbers).")
    order = [int(v) for v in values]
    if sorted(order) != list(range(n)):
        return CheckResult("incorrect", f"The order must list every task 0..{n - 1} exactly once.")
    ratio = _greedy_ratio(order)
    if ratio <= worst + 1e-12:
        return CheckResult("correct", f"Right: in this order greedy keeps only {ratio:.4g} of the "
                                      "optimum, and no order makes it keep less.")  # fmt: skip
    return CheckResult("incorrect", f"In this order greedy keeps {ratio:.4g} of the optimum; another "
                                    "order makes it keep less. Which tasks could go to either worker, and "
                                    "what do they take away from the tasks that need one worker only, if "
                                    "they arrive first?")  # fmt: skip


register_custom(
    "ex-online-adversarial-order", CHAPTER, kind="derive",
    grade=_grade_order,
    expected=_worst_ratio,
    reread="the section 'What is known about the worst case'",
)  # fmt: skip


# ---------------------------------------------------------------- a floor on earnings (model)

#: The floor of ex-online-floor-total.
FLOOR = 1.75


def floor_market():
    """The chapter's market of the floor section: (pay, places)."""
    from lib.matching import make_skill_instance, skill_scores

    market = make_skill_instance(24, 10, 6, seed=1)
    return skill_scores(market.tasks, market.workers), np.full(10, 3)


def _floor_total(integral: bool) -> float:
    from lib.floors import solve_matching_with_floor

    pay, places = floor_market()
    return solve_matching_with_floor(pay, FLOOR, places, integral=integral).objective


def _no_floor_total() -> float:
    from lib.matching import solve_matching

    pay, places = floor_market()
    return solve_matching(pay, places).objective


register_number(
    "ex-online-floor-total", CHAPTER, kind="model",
    expected=lambda: _floor_total(True),
    precision=Precision.sig(4),
    misconceptions={
        "LP relaxation": (lambda: _floor_total(False),
                          ("That is the LP relaxation's value, reached only by splitting tasks: "
                          "ask for 0/1 decisions (integrality in milp).")),
        "no floor": (_no_floor_total,
                     ("That is the optimum without the floor: add one row per worker, "
                     "its earnings at least the floor.")),
    },
    reread="the section 'A floor on earnings: a policy constraint that breaks integrality'",
)  # fmt: skip
