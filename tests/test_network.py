"""lib.network and solve_matching's fast path: the cloned assignment against
brute force and networkx's min-cost flow; the duals computed without an LP
against HiGHS's dual objective, complementary slackness, and the prices'
meaning (value lost when a worker takes one task fewer, by brute force)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings

from lib import matching as mt
from lib import network as nw
from test_matching import instances


@settings(max_examples=200, deadline=None)
@given(instances(max_tasks=5, max_workers=4))
def test_fast_path_equals_brute_force_and_min_cost_flow(instance):
    scores, capacity = instance
    res = mt.solve_matching(scores, capacity, method="assignment")
    brute = mt.brute_force_matching(scores, capacity)
    tol = 1e-9 * max(1.0, np.abs(scores).sum())
    assert abs(res.objective - brute.objective) <= tol
    assert np.isclose(mt.assignment_total(scores, res.pairs, capacity), res.objective)
    g = nw.flow_network(scores, capacity)
    flow = nx.max_flow_min_cost(g, "source", "sink")
    # networkx works in integer micro-units: agree to that rounding.
    assert abs(-nx.cost_of_flow(g, flow) / 1e6 - brute.objective) <= 1e-6 * scores.size


@settings(max_examples=200, deadline=None)
@given(instances(max_tasks=6, max_workers=5))
def test_max_price_duals_are_optimal_and_complementary(instance):
    scores, capacity = instance
    cap = np.asarray(capacity)
    res = mt.solve_matching(scores, capacity)
    u, v, x = res.task_values, res.worker_prices, res.x
    tol = 1e-9 * max(1.0, np.abs(scores).max())
    reduced = u[:, None] + v[None, :] - scores
    assert np.all(u >= 0) and np.all(v >= 0)
    assert np.all(reduced >= -tol)  # dual feasibility
    assert np.all(np.abs(reduced[x > 0]) <= tol)  # x_ij = 1 => u_i + v_j = s_ij
    assert np.all(u[x.sum(axis=1) < 1] <= tol)  # an unassigned task is worth 0
    assert np.all(v[(x.sum(axis=0) < cap)] <= tol)  # spare capacity => price 0
    # The dual objective equals the LP optimum that HiGHS finds independently.
    lp = mt.solve_matching(scores, capacity, method="lp")
    assert abs(u.sum() + cap @ v - lp.objective) <= tol * scores.size
    # Highest prices: at least HiGHS's (any optimal dual) for every open worker.
    open_ = cap > 0
    assert np.all(v[open_] >= lp.worker_prices[open_] - 1e-7 * max(1.0, np.abs(scores).max()))


@settings(max_examples=150, deadline=None)
@given(instances(max_tasks=5, max_workers=4))
def test_max_price_is_the_value_of_one_unit_of_capacity(instance):
    scores, capacity = instance
    res = mt.solve_matching(scores, capacity)
    for j, c in enumerate(capacity):
        if c == 0:
            continue
        fewer = list(capacity)
        fewer[j] -= 1
        loss = res.objective - mt.brute_force_matching(scores, fewer).objective
        assert abs(res.worker_prices[j] - loss) <= 1e-9 * max(1.0, np.abs(scores).sum())


def test_article_duals_equal_highs_vertex():
    # On the article's instance HiGHS's dual vertex is the highest-price one.
    fast = mt.solve_matching(mt.ARTICLE_SCORES)
    lp = mt.solve_matching(mt.ARTICLE_SCORES, method="lp")
    assert fast.method == "assignment"
    assert np.allclose(fast.worker_prices, lp.worker_prices)
    assert np.allclose(fast.task_values, lp.task_values)


def test_non_optimal_assignment_has_no_dual():
    scores = [[3.0, 1.0], [2.0, 1.0]]
    with pytest.raises(ValueError, match="not an optimal assignment"):
        nw.max_price_duals(scores, 1, [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="not an optimal assignment"):
        nw.max_price_duals(scores, 1, [[1, 0], [0, 0]])  # task 1 left out


@pytest.mark.parametrize(
    "x, match",
    [([[1, 1], [0, 0]], "more than one worker"), ([[1, 0], [1, 0]], "capacity"),
     ([[0.5, 0], [0, 1]], "0 and 1"), ([[1, 0]], "shape")],
)  # fmt: skip
def test_max_price_duals_validation(x, match):
    with pytest.raises(ValueError, match=match):
        nw.max_price_duals([[3.0, 1.0], [2.0, 1.0]], 1, x)


def test_clone_workers_clips_useless_copies():
    cloned, owner = nw.clone_workers([[1.0, 0.0], [1.0, 0.0], [-1.0, 2.0]], capacity=[5, 5])
    assert owner.tolist() == [0, 0, 1]  # worker 0 scores > 0 on two tasks, worker 1 on one
    assert cloned.shape == (3, 3)


def test_cloned_matrix_limit(monkeypatch):
    monkeypatch.setattr(mt, "MAX_CLONED_ENTRIES", 1)
    with pytest.raises(ValueError, match="too large"):
        mt.solve_matching([[1.0], [1.0]], capacity=[2], method="assignment")
    res = mt.solve_matching([[1.0], [1.0]], capacity=[2])  # auto falls back to the LP
    assert res.method == "lp" and res.objective == 2.0


def test_large_random_instance_duals_match_lp():
    rng = np.random.default_rng(3)
    scores = rng.random((120, 40))
    capacity = rng.integers(1, 5, size=40)
    fast = mt.solve_matching(scores, capacity)
    lp = mt.solve_matching(scores, capacity, method="lp")
    assert np.isclose(fast.objective, lp.objective)
    dual = fast.task_values.sum() + capacity @ fast.worker_prices
    assert np.isclose(dual, lp.task_values.sum() + capacity @ lp.worker_prices)
