"""Exercises of the chapter "Matching tasks to workers as a linear program"."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lib.checks._core import (
    CheckResult,
    Implementation,
    Precision,
    register_custom,
    register_function,
    register_number,
    register_written,
)

CHAPTER = "chapters/part2_matching/01_matching_lp.ipynb"


def _optimum(capacity: list[int]) -> float:
    from lib.matching import ARTICLE_SCORES, solve_matching

    return solve_matching(ARTICLE_SCORES, capacity).objective


register_number(
    "ex-match-without-worker", CHAPTER, kind="model",
    expected=lambda: _optimum([1, 1, 1, 0]),
    precision=Precision.sig(4),
    misconceptions={
        "worker 3 kept": (lambda: _optimum([1, 1, 1, 1]),
                          "That is the optimum with all four workers: set worker 3's capacity "
                          "to 0."),
    },
    reread="the section 'The constraints a matching needs'",
)  # fmt: skip


def grade_assignment(answer: Any, best: float, scores: Any, capacity: list[int]) -> CheckResult:
    """Grade a list of (task, worker) pairs: feasible, and optimal to 1e-9."""
    from lib.matching import assignment_total

    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        return CheckResult(
            "incorrect", "Expected a list of (task, worker) pairs, for example [(0, 1), (2, 0)]."
        )
    try:
        pairs = [tuple(int(v) if isinstance(v, np.integer) else v for v in p) for p in answer]
        total = assignment_total(scores, pairs, capacity)
    except (TypeError, ValueError) as exc:
        return CheckResult("incorrect", f"That is not a feasible assignment: {exc}")
    if math.isclose(total, best, rel_tol=1e-9, abs_tol=1e-12):
        return CheckResult("correct", f"Feasible and optimal (total {total:.4g}).")
    return CheckResult(
        "incorrect",
        f"Feasible, with total {total:.4g}, but another feasible assignment scores more. "
        "Look for a task whose worker could be swapped for a better one, or a capacity "
        "you have not used.",
    )


def _grade_double_capacity(answer: Any, best: float) -> CheckResult:
    from lib.matching import ARTICLE_SCORES

    return grade_assignment(answer, best, ARTICLE_SCORES, [2, 1, 1, 1])


register_custom(
    "ex-match-double-capacity", CHAPTER, kind="model",
    grade=_grade_double_capacity,
    expected=lambda: _optimum([2, 1, 1, 1]),
    reread="the section 'The constraints a matching needs'",
)  # fmt: skip


def _source_lp_value() -> float:
    from lib.matching import ARTICLE_SCORES, source_lp

    return source_lp(ARTICLE_SCORES, capacity=[2, 1, 1, 1]).objective


def _sum_of_scores() -> float:
    from lib.matching import ARTICLE_SCORES

    return float(ARTICLE_SCORES.sum())


register_number(
    "ex-source-lp-value", CHAPTER, kind="derive",
    expected=_source_lp_value,
    precision=Precision.sig(4),
    misconceptions={
        "bounds left out": (_sum_of_scores,
                            "That is the sum of the scores with every bound 1: in the "
                            "article's LP x_ij is bounded by X_j, and X_0 = 2."),
        "a matching's value": (lambda: _optimum([2, 1, 1, 1]),
                               "That is the value of a true matching; the article's LP as "
                               "written has no one-worker-per-task row."),
    },
    reread="the section 'What the LP as written actually computes'",
)  # fmt: skip

register_written(
    "ex-match-why-integral", CHAPTER,
    rubric=[
        "Names the constraints of the region (x_00 + x_01 <= 1 and the two bounds x >= 0) "
        "and says that a vertex in two dimensions needs two independent tight constraints.",
        "Shows that at (0.5, 0.5) only one constraint is tight, so the point is the midpoint "
        "of the segment from (1, 0) to (0, 1), not a vertex.",
        "With x_00 + x_01 >= 0.5 added, finds the new vertices (0.5, 0) and (0, 0.5), both "
        "fractional.",
        "Says what breaks integrality: the fractional right-hand side 0.5, not the matrix "
        "(which stays totally unimodular).",
    ],
)


# ------------------------------------------------------------ implement: one auction bid


def _bid_instance(rng: np.random.Generator, size: int) -> dict:
    """Random scores (``size`` tasks, ``size + 1`` workers) and prices, one task, an epsilon."""
    n_workers = size + 1
    # Unrounded draws: no two net values tie, so no tie-breaking rule matters.
    scores = rng.uniform(0, 1, size=(size, n_workers))
    prices = rng.uniform(0, 0.5, size=n_workers)
    return {
        "scores": scores,
        "prices": prices,
        "task": int(rng.integers(size)),
        "epsilon": float(rng.choice([0.01, 0.05, 0.1])),
    }


def _bid_reference(scores, prices, task, epsilon):
    from lib.assignment_algorithms import auction_bid

    return auction_bid(scores, prices, task, epsilon)


def _same_bid(student: Any, reference: tuple[int, float]) -> bool:
    try:
        worker, price = student
        return int(worker) == reference[0] and math.isclose(float(price), reference[1], abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


register_function(
    "ex-auction-bid", CHAPTER,
    implementation=Implementation(
        reference=_bid_reference,
        instances=_bid_instance,
        sizes=(1, 2, 3, 4, 6),
        per_size=4,
        compare=_same_bid,
        hide=("lib.assignment_algorithms.auction_bid", "lib.assignment_algorithms.auction_assignment"),
        returns="the pair (worker, new price)",
    ),
    reread="the section 'An auction: tasks bid for workers'",
)  # fmt: skip
