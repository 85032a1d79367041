"""Independent references for the exercises of Part II, chapters 1 and 2.

Each is computed another way than the registration computes it: by
enumeration of assignments or of dual points on a grid, or by hand; and, for
implement exercises, a correct function and three plausible wrong ones.
"""

from __future__ import annotations

import itertools

import numpy as np

from lib.matching import ARTICLE_SCORES


def _best_assignment(scores: np.ndarray) -> tuple[float, list[tuple[int, int]]]:
    """Enumerate every one-to-one assignment (tasks may stay unassigned)."""
    n, m = scores.shape
    best, best_pairs = 0.0, []
    for choice in itertools.product(range(-1, m), repeat=n):
        used = [j for j in choice if j >= 0]
        if len(used) != len(set(used)):
            continue
        pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
        total = sum(scores[i, j] for i, j in pairs)
        if total > best + 1e-12:
            best, best_pairs = total, pairs
    return best, best_pairs


#: The instance of ex-dual-by-hand, typed again here (tasks are rows).
HAND_DUAL_SCORES = np.array([[6.0, 4.0, 1.0], [4.0, 1.0, 3.0]])


def hand_dual_optimum_by_enumeration() -> float:
    """The optimal total of ex-dual-by-hand's instance: every optimal dual sums to it."""
    best, _ = _best_assignment(HAND_DUAL_SCORES)
    return float(best)


def hand_dual_grid() -> list[tuple[tuple[float, ...], tuple[float, ...], bool]]:
    """Points (u, v) of a grid of 0.5 in [0, 6], with whether each is an optimal dual.

    The points kept are the optimal duals and their near misses: the
    pair (0, 0) held, the pair (1, 2) held or a half-step short, and totals
    up to 10 (below the optimum 9: infeasible; above it: not optimal).

    By hand: the optimal assignment (0, 0), (1, 2) totals 9, so an optimal
    dual has u_0 + v_0 = 6, u_1 + v_2 = 3 and v_1 = 0 (worker 1 is idle),
    and the remaining pairs give u_0 >= 4 (pair (0, 1)), u_1 >= 1 (pair
    (1, 1)), u_1 + v_0 >= 4 (pair (1, 0)) and u_0 + v_2 >= 1 (pair (0, 2)).
    """
    grid = np.arange(0.0, 6.01, 0.5)
    out = []
    for u0, u1, v0, v1, v2 in itertools.product(grid, repeat=5):
        optimal = bool(u0 + v0 == 6 and u1 + v2 == 3 and v1 == 0
                   and u0 >= 4 and u1 >= 1 and u1 + v0 >= 4 and u0 + v2 >= 1)  # fmt: skip
        if optimal or (u0 + u1 + v0 + v1 + v2 <= 10 and u0 + v0 >= 6 and u1 + v2 >= 2.5):
            out.append(((u0, u1), (v0, v1, v2), optimal))
    return out


def wage_floor_total_by_enumeration(floor: float = 0.45) -> float:
    _, pairs = _best_assignment(ARTICLE_SCORES - floor)
    return float(sum(ARTICLE_SCORES[i, j] for i, j in pairs))


# ------------------------------------------------------------ implement cases


def bid_correct(scores, prices, task, epsilon):
    value = np.asarray(scores, float)[task] - np.asarray(prices, float)
    order = np.argsort(-value, kind="stable")
    best = int(order[0])
    second = value[order[1]] if len(value) > 1 else value[best]
    return best, float(prices[best] + value[best] - second + epsilon)


def _bid_without_old_price(scores, prices, task, epsilon):
    best, price = bid_correct(scores, prices, task, epsilon)
    return best, price - float(prices[best])  # the increment alone, not the new price


def _bid_ignoring_prices(scores, prices, task, epsilon):
    return bid_correct(scores, np.zeros_like(np.asarray(prices, float)), task, epsilon)


def _bid_without_epsilon(scores, prices, task, epsilon):
    best, price = bid_correct(scores, prices, task, epsilon)
    return best, price - epsilon


AUCTION_BID_CASES = {
    "correct": bid_correct,
    "wrong": [_bid_without_old_price, _bid_ignoring_prices, _bid_without_epsilon],
}


def blocking_correct(scores, task_values, wages):
    s = np.asarray(scores, float)
    short = s - (np.asarray(task_values, float)[:, None] + np.asarray(wages, float)[None, :])
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(short > 1e-9))]


def _blocking_including_tight(scores, task_values, wages):
    s = np.asarray(scores, float)
    short = s - (np.asarray(task_values, float)[:, None] + np.asarray(wages, float)[None, :])
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(short >= -1e-9))]


def _blocking_reversed(scores, task_values, wages):
    s = np.asarray(scores, float)
    short = s - (np.asarray(task_values, float)[:, None] + np.asarray(wages, float)[None, :])
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(short < -1e-9))]


def _blocking_wage_only(scores, task_values, wages):
    s = np.asarray(scores, float)
    short = s - np.asarray(wages, float)[None, :]  # forgets the requester's surplus
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(short > 1e-9))]


BLOCKING_CASES = {
    "correct": blocking_correct,
    "wrong": [_blocking_including_tight, _blocking_reversed, _blocking_wage_only],
}
