"""lib.matching, duality and real time: dual feasibility, strong duality and
complementary slackness on random instances; prices between the one-sided
slopes; total unimodularity; online greedy against the offline optimum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import matching as mt
from test_matching import instances


@settings(max_examples=200, deadline=None)
@given(instances(max_tasks=6, max_workers=6))
def test_complementary_slackness(instance):
    scores, capacity = instance
    res = mt.solve_matching(scores, capacity, method="lp")
    u, v, x, cap = res.task_values, res.worker_prices, res.x, np.asarray(capacity)
    tol = 1e-7 * max(1.0, np.abs(scores).max())
    reduced = u[:, None] + v[None, :] - scores
    assert np.all(reduced >= -tol)  # dual feasibility
    assert np.all(np.abs(reduced[x > 0]) <= tol)  # x_ij > 0 => u_i + v_j = s_ij
    assert np.all(u[x.sum(axis=1) < 1] <= tol)  # an unassigned task has value 0
    assert np.all(v[x.sum(axis=0) < cap] <= tol)  # a worker with spare capacity has price 0
    assert np.isclose(u.sum() + cap @ v, res.objective, atol=tol * scores.size)  # strong duality


@settings(max_examples=60, deadline=None)
@given(instances(max_tasks=4, max_workers=4), st.data())
def test_price_lies_between_one_sided_slopes(instance, data):
    scores, capacity = instance
    j = data.draw(st.integers(0, len(capacity) - 1))
    res = mt.solve_matching(scores, capacity, method="lp")
    left, right = mt.capacity_slopes(scores, capacity, j)
    tol = 1e-6 * max(1.0, np.abs(scores).max())
    assert right - tol <= res.worker_prices[j] <= left + tol


@pytest.mark.parametrize("n, m", [(1, 1), (2, 3), (3, 3), (4, 4)])
def test_matching_matrix_is_totally_unimodular(n, m):
    assert mt.is_totally_unimodular(mt.matching_constraint_matrix(n, m))


def test_budget_row_breaks_integrality():
    a = mt.matching_constraint_matrix(2, 2).toarray()
    with_budget = np.vstack([a, [3, 1, 1, 3]])
    assert not mt.is_totally_unimodular(with_budget)
    lp = mt.solve_matching_with_budget([[4.0, 3.0], [2.0, 5.0]], [[3.0, 1.0], [1.0, 3.0]], 4.0, integral=False)
    ip = mt.solve_matching_with_budget([[4.0, 3.0], [2.0, 5.0]], [[3.0, 1.0], [1.0, 3.0]], 4.0)
    assert not lp.integral and ip.integral and ip.objective < lp.objective


@settings(max_examples=200, deadline=None)
@given(instances(max_tasks=6, max_workers=5), st.randoms(use_true_random=False))
def test_online_greedy_is_feasible_and_never_beats_offline(instance, rnd):
    scores, capacity = instance
    order = list(range(scores.shape[0]))
    rnd.shuffle(order)
    online = mt.online_greedy(scores, capacity, order)
    total = mt.assignment_total(scores, online.pairs, capacity)  # raises if infeasible
    assert np.isclose(total, online.objective)
    assert online.objective <= mt.solve_matching(scores, capacity).objective + 1e-9


def test_greedy_half_in_unweighted_worst_case():
    scores = np.array([[1.0, 1.0], [1.0, 0.0]])
    assert mt.online_greedy(scores).objective == 1.0
    assert mt.solve_matching(scores).objective == 2.0


def test_skill_scores_of_the_article():
    s = mt.skill_scores(mt.ARTICLE_TASK_SKILLS, mt.ARTICLE_WORKER_SKILLS)
    assert s.shape == (4, 2)
    assert np.array_equal(s, [[1, 0], [0, 1], [1, 0], [0, 1]])


def test_lagrangian_stationarity():
    lag = mt.matching_lagrangian(2, 3)
    for (i, j), expr in lag["stationarity"].items():
        assert expr == lag["s"][i, j] - lag["u"][i] - lag["v"][j] + lag["mu"][i, j]


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: mt.skill_scores([[1, 0]], [[1, 0, 1]]), ValueError, "same skills"),
        (lambda: mt.skill_scores([[2, 0]], [[1, 0]]), ValueError, "0/1"),
        (lambda: mt.screen_scores([[1.0]], float("nan")), ValueError, "finite"),
        (lambda: mt.online_greedy([[1.0], [2.0]], order=[0, 0]), ValueError, "exactly once"),
        (lambda: mt.online_greedy([[1.0]], order="0"), TypeError, "sequence"),
        (lambda: mt.online_greedy([[1.0]], capacity=[-1]), ValueError, "non-negative"),
        (lambda: mt.capacity_slopes([[1.0]], [1], worker=3), ValueError, "does not exist"),
        (lambda: mt.capacity_slopes([[1.0]], [1], worker=0, delta=2.0), ValueError, "delta"),
        (lambda: mt.lp_value([[1.0]], [-1.0]), ValueError, "non-negative"),
        (lambda: mt.solve_matching_with_budget([[1.0]], [[1.0, 2.0]], 1.0), ValueError, "shape"),
        (lambda: mt.solve_matching_with_budget([[1.0]], [[-1.0]], 1.0), ValueError, "non-negative"),
        (lambda: mt.solve_matching_with_budget([[1.0]], [[1.0]], -1.0), ValueError, "budget"),
        (lambda: mt.is_totally_unimodular(np.ones((12, 12))), ValueError, "submatrices"),
        (lambda: mt.matching_lagrangian(0, 2), ValueError, "n_tasks"),
    ],
)
def test_duality_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
