"""Independent references for the exercises of Part II, chapter 3 (used by
tests/test_checks.py and tests/test_checks_part2b.py): greedy written out in
plain Python, the worst arrival order by enumeration with it, the
earnings-floor program typed out densely for scipy's milp, and a correct
greedy with three plausible wrong ones."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import LinearConstraint, milp

#: The exercise's instance, typed out from the chapter's text.
ADVERSARIAL_SCORES = [[1.0, 1 / 3], [1.0, 1.0], [0.0, 1.0], [1.0, 1 / 3], [1 / 3, 1 / 3]]
ADVERSARIAL_CAPACITY = [1, 2]


def greedy(scores, order, capacity, *, has_room=lambda c: c > 0, strict=True, positive=True):
    """Greedy in plain Python: the first best worker with room, if its score is positive."""
    left, pairs = list(capacity), []
    for i in order:
        best, chosen = (0.0 if positive else -np.inf), None
        for j in range(len(left)):
            better = scores[i][j] > best if strict else scores[i][j] >= best
            if has_room(left[j]) and better and (scores[i][j] > 0 or not positive):
                best, chosen = scores[i][j], j
        if chosen is not None:
            pairs.append((i, chosen))
            left[chosen] -= 1
    return sorted(pairs)


def _total(scores, pairs):
    return sum(scores[i][j] for i, j in pairs)


def _optimum_by_enumeration(scores, capacity):
    n, m = len(scores), len(capacity)
    best = 0.0
    for choice in itertools.product(range(m + 1), repeat=n):
        if all(sum(c == j for c in choice) <= capacity[j] for j in range(m)):
            best = max(best, sum(scores[i][c] for i, c in enumerate(choice) if c < m))
    return best


def worst_order_ratio() -> float:
    """The smallest greedy share over every arrival order (plain Python, enumeration)."""
    best = _optimum_by_enumeration(ADVERSARIAL_SCORES, ADVERSARIAL_CAPACITY)
    return min(_total(ADVERSARIAL_SCORES, greedy(ADVERSARIAL_SCORES, o, ADVERSARIAL_CAPACITY)) / best
               for o in itertools.permutations(range(len(ADVERSARIAL_SCORES))))  # fmt: skip


def floor_market():
    """The floor section's market, rebuilt from the chapter's generator call."""
    from lib.matching import make_skill_instance  # the data only

    market = make_skill_instance(24, 10, 6, seed=1)
    t, w = market.tasks.astype(float), market.workers.astype(float)
    pay = (t @ w.T) / t.sum(axis=1, keepdims=True)  # coverage, typed out
    return pay, np.full(10, 3)


def floor_total_by_dense_milp(floor: float = 1.75) -> float:
    """The floor program with dense rows built loop by loop, solved by milp."""
    pay, places = floor_market()
    n, m = pay.shape
    task_rows = np.zeros((n, n * m))
    load_rows = np.zeros((m, n * m))
    for i in range(n):
        for j in range(m):
            task_rows[i, i * m + j] = 1.0
            load_rows[j, i * m + j] = 1.0
    earn_rows = load_rows * pay.reshape(-1)
    res = milp(-pay.reshape(-1), integrality=np.ones(n * m), bounds=(0, 1),
               constraints=[LinearConstraint(task_rows, ub=1), LinearConstraint(load_rows, ub=places),
                            LinearConstraint(earn_rows, lb=floor)],
               options={"mip_rel_gap": 1e-9})  # fmt: skip
    return float(-res.fun)


GREEDY_WRONG = {
    "ignores capacity": lambda scores, order, capacity: greedy(scores, order, [10**6] * len(capacity)),
    "ties to the last worker": lambda scores, order, capacity: greedy(scores, order, capacity, strict=False),
    "arrival order ignored": lambda scores, order, capacity: greedy(scores, sorted(order), capacity),
    "takes zero scores": lambda scores, order, capacity: greedy(scores, order, capacity, positive=False),
}  # fmt: skip
GREEDY_CASES = {"correct": greedy, "wrong": list(GREEDY_WRONG.values())}
