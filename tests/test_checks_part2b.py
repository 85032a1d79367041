"""The exercises of Part II, chapter 3 (Skills, capacities and matching in real
time), checked against the references of tests/part2b_references.py: the
adversarial-order grader, the floor model, greedy with capacities, and the
Monte-Carlo mean for any seed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import part2b_references as ref
from lib.checks import check, expected
from lib.checks.p2_online import chapter_platform


def _share(order):
    best = ref._optimum_by_enumeration(ref.ADVERSARIAL_SCORES, ref.ADVERSARIAL_CAPACITY)
    return ref._total(ref.ADVERSARIAL_SCORES, ref.greedy(ref.ADVERSARIAL_SCORES, order, ref.ADVERSARIAL_CAPACITY)) / best


def test_every_worst_order_is_accepted_and_no_other():
    worst = ref.worst_order_ratio()
    assert np.isclose(expected("ex-online-adversarial-order"), worst)
    n_correct = 0
    for order in itertools.permutations(range(5)):
        result = check("ex-online-adversarial-order", list(order))
        assert result.correct == bool(np.isclose(_share(list(order)), worst)), (order, result)
        n_correct += result.correct
        if not result.correct:
            assert "another order" in result.message and f"{worst:.4g}" not in result.message
    assert 0 < n_correct < 24  # the worst is rare: guessing does not pass


@pytest.mark.parametrize("answer", ["4 0 3 1 2", [4, 0, 3], [4, 0, 3, 1, 1], [4.5, 0, 3, 1, 2], 3, None, ...])
def test_bad_orders_get_a_sentence(answer):
    result = check("ex-online-adversarial-order", answer)
    assert result.status in ("incorrect", "not answered") and result.message


def test_order_in_other_types_is_read():
    assert check("ex-online-adversarial-order", np.array([4, 0, 3, 1, 2])).correct
    assert check("ex-online-adversarial-order", (4.0, 3.0, 0.0, 2.0, 1.0)).correct


def test_floor_total_accepts_the_dense_model_and_names_the_relaxation():
    assert check("ex-online-floor-total", ref.floor_total_by_dense_milp()).correct
    from lib.floors import solve_matching_with_floor

    pay, places = ref.floor_market()
    relaxed = solve_matching_with_floor(pay, 1.75, places, integral=False).objective
    result = check("ex-online-floor-total", relaxed)
    assert result.status == "incorrect" and "relaxation" in result.message


def test_greedy_implementation_that_wraps_lib_is_refused():
    from lib.online import run_online

    def wrapper(scores, order, capacity):
        return run_online(scores, capacity, order).pairs

    result = check("ex-online-greedy-code", wrapper, seed=0)
    assert result.status == "incorrect" and "unavailable" in result.message
    assert check("ex-online-greedy-code", ref.greedy, seed=4).correct


def test_mean_ratio_accepts_a_student_simulation_with_any_seed():
    scores, capacity = chapter_platform()
    from scipy.optimize import linprog

    n, m = scores.shape
    a = np.zeros((n + m, n * m))
    for i in range(n):
        a[i, i * m:(i + 1) * m] = 1
        a[n:, i * m:(i + 1) * m] += np.eye(m)
    best = -linprog(-scores.ravel(), A_ub=a, b_ub=np.r_[np.ones(n), capacity], bounds=(0, 1)).fun
    for seed in range(15):
        rng = np.random.default_rng(seed)
        draws = [ref._total(scores, ref.greedy(scores, rng.permutation(n).tolist(), capacity)) / best
                 for _ in range(200)]  # fmt: skip
        assert check("ex-online-mean-ratio", float(np.mean(draws))).correct, seed
