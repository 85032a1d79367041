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


def lowest_wage_by_grid() -> float:
    """Worker 0's lowest core wage on [[5, 4], [4, 1]]: scan v0 on a grid of 0.01
    and keep the values for which some (u0, u1, v1) on the same grid is an
    optimal dual (u + v >= s, all >= 0, total = the optimum)."""
    s = np.array([[5.0, 4.0], [4.0, 1.0]])
    opt, _ = _best_assignment(s)
    grid = np.round(np.arange(0, 5.001, 0.01), 2)
    feasible = []
    for v0 in grid:
        for u0 in grid:
            # With the optimal pairs (0, 1), (1, 0) tight: v1 = 4 - u0, u1 = 4 - v0.
            v1, u1 = 4 - u0, 4 - v0
            if min(v1, u1) < 0:
                continue
            if u0 + v0 >= 5 - 1e-9 and u1 + v1 >= 1 - 1e-9 and abs(u0 + u1 + v0 + v1 - opt) < 1e-9:
                feasible.append(v0)
                break
    return float(min(feasible))


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
