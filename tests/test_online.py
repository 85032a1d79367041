"""lib.online: real-time policies against independent references (the offline
optimum, matching.online_greedy, the secretary formula), greedy's guarantee
checked over every arrival order, and the adversaries."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import matching as mt
from lib import online as ol
from test_matching import instances


def _orders(rnd, n, k=3):
    out = []
    for _ in range(k):
        order = list(range(n))
        rnd.shuffle(order)
        out.append(order)
    return out


@settings(max_examples=150, deadline=None)
@given(instances(max_tasks=6, max_workers=4), st.randoms(use_true_random=False))
def test_every_policy_is_feasible_and_never_beats_offline(instance, rnd):
    scores, capacity = instance
    best = mt.solve_matching(scores, capacity).objective
    prices = np.linspace(0, 1, len(capacity))
    for order in _orders(rnd, scores.shape[0]):
        for res in (ol.run_online(scores, capacity, order),
                    ol.bid_price_assignment(scores, prices, capacity, order),
                    ol.batched_assignment(scores, capacity, order, 2),
                    ol.sample_then_match(scores, capacity, order)):  # fmt: skip
            assert np.isclose(mt.assignment_total(scores, res.pairs, capacity), res.objective)
            assert res.objective <= best + 1e-9


@settings(max_examples=150, deadline=None)
@given(instances(max_tasks=6, max_workers=4), st.randoms(use_true_random=False))
def test_greedy_rules_agree_with_matching_online_greedy(instance, rnd):
    scores, capacity = instance
    zero = np.zeros(len(capacity))
    for order in _orders(rnd, scores.shape[0]):
        ref = mt.online_greedy(scores, capacity, order)
        assert ol.run_online(scores, capacity, order).pairs == ref.pairs
        assert ol.bid_price_assignment(scores, zero, capacity, order).pairs == ref.pairs


@settings(max_examples=100, deadline=None)
@given(instances(max_tasks=6, max_workers=4), st.randoms(use_true_random=False))
def test_one_batch_is_the_offline_optimum(instance, rnd):
    scores, capacity = instance
    order = _orders(rnd, scores.shape[0], 1)[0]
    res = ol.batched_assignment(scores, capacity, order, batch_size=scores.shape[0])
    assert np.isclose(res.objective, mt.brute_force_matching(scores, capacity).objective)


def test_batch_of_one_is_greedy_without_ties():
    rng = np.random.default_rng(0)
    for _ in range(20):
        scores = rng.random((8, 4))
        capacity = rng.integers(1, 3, size=4)
        order = rng.permutation(8).tolist()
        assert (ol.batched_assignment(scores, capacity, order, 1).pairs
                == mt.online_greedy(scores, capacity, order).pairs)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.floats(0.05, 1.0), st.floats(1.0, 5.0), st.data())
def test_greedy_guarantee_holds_in_every_order(n_tasks, n_workers, a, ratio, data):
    b = a * ratio
    values = st.one_of(st.just(0.0), st.floats(a, b))
    scores = np.array(data.draw(st.lists(st.lists(values, min_size=n_workers, max_size=n_workers),
                                         min_size=n_tasks, max_size=n_tasks)))  # fmt: skip
    capacity = data.draw(st.lists(st.integers(0, 2), min_size=n_workers, max_size=n_workers))
    best = mt.brute_force_matching(scores, capacity).objective
    if best == 0:
        return
    bound = a / (a + b)
    assert ol.greedy_guarantee(scores) >= bound - 1e-12  # the data's own [a, b] is narrower
    for order in itertools.permutations(range(n_tasks)):
        got = mt.online_greedy(scores, capacity, list(order)).objective
        assert got >= ol.greedy_guarantee(scores) * best - 1e-9


def test_coverage_bound_is_reached():
    scores = np.array([[1 / 3, 1 / 3], [1.0, 0.0]])
    assert ol.greedy_guarantee(scores) == 0.25
    assert np.isclose(mt.online_greedy(scores).objective / mt.solve_matching(scores).objective, 0.25)


def test_sample_then_match_is_the_secretary_rule_for_one_worker():
    # Distinct values, one worker: the rule picks the best task with the
    # classical probability (s/n) * sum_{l=s+1}^{n} 1/(l-1), s = floor(n/e).
    n = 6
    values = np.arange(1, n + 1, dtype=float)[:, None]
    s = int(n / math.e)
    expected = s / n * sum(1 / (l - 1) for l in range(s + 1, n + 1))
    hits = [ol.sample_then_match(values, order=list(o)).objective == n
            for o in itertools.permutations(range(n))]  # fmt: skip
    assert np.isclose(np.mean(hits), expected)


def test_adversaries_beat_every_immediate_rule():
    rules = {
        "greedy": ol.greedy_choice,
        "refuse everything": lambda row, left: None,
        "last worker": lambda row, left: int(np.flatnonzero(left > 0)[-1]) if np.any(left > 0) else None,
        "bid price 0.5": lambda row, left: ol.bid_price_choice(row, left, np.full(left.size, 0.5)),
        "bid price 2": lambda row, left: ol.bid_price_choice(row, left, np.full(left.size, 2.0)),
    }
    for rule in rules.values():
        assert ol.unweighted_adversary(rule).ratio <= 0.5
        assert ol.weighted_adversary(rule, big=40.0).ratio <= 1 / 40


def test_compare_policies_shares_orders_and_bounds():
    inst = mt.make_skill_instance(12, 4, 5, seed=2)
    scores = mt.skill_scores(inst.tasks, inst.workers)
    cmp = ol.compare_policies(scores, inst.capacity, np.zeros(4), batch_sizes=[12], n_orders=10, seed=3)
    assert np.allclose(cmp.ratios["batch 12"], 1.0)  # one batch: the offline optimum
    assert np.array_equal(cmp.ratios["bid price"], cmp.ratios["greedy"])  # zero prices: greedy
    assert cmp.orders.shape == (10, 12)
    assert all(r.max() <= 1.0 for r in cmp.ratios.values())


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: ol.batched_assignment([[1.0]], batch_size=0), ValueError, "batch_size"),
        (lambda: ol.run_online([[1.0]], order=[1]), ValueError, "order"),
        (lambda: ol.run_online([[1.0]], choose=3), TypeError, "choose"),
        (lambda: ol.run_online([[1.0]], choose=lambda r, c: 5), ValueError, "worker index"),
        (lambda: ol.bid_price_assignment([[1.0]], [1.0, 2.0]), ValueError, "length"),
        (lambda: ol.sample_then_match([[1.0]], sample_share=2.0), ValueError, "sample_share"),
        (lambda: ol.compare_policies([[0.0]]), ValueError, "undefined"),
        (lambda: ol.greedy_guarantee([[0.0, -1.0]]), ValueError, "positive"),
        (lambda: ol.weighted_adversary(ol.greedy_choice, big=0.5), ValueError, "big"),
        (lambda: ol.unweighted_adversary(lambda r, c: "a"), ValueError, "available worker"),
    ],
)
def test_online_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_task_days_keep_the_workers_and_redraw_the_tasks():
    inst = mt.make_skill_instance(10, 4, 6, seed=0)
    days = ol.task_days(inst.workers, 10, 3, seed=7)
    assert [d.shape for d in days] == [(10, 4)] * 3
    ref = mt.skill_scores(mt.make_skill_instance(10, 1, 6, seed=8).tasks, inst.workers)
    assert np.array_equal(days[1], ref)
    assert not np.array_equal(days[0], days[1])


def test_average_prices_is_the_mean_of_the_value_of_one_unit():
    rng = np.random.default_rng(1)
    days = [rng.random((5, 3)) for _ in range(3)]
    capacity = [2, 1, 1]
    by_removal = []
    for d in days:
        base = mt.brute_force_matching(d, capacity).objective
        by_removal.append([base - mt.brute_force_matching(d, np.subtract(capacity, np.eye(3, dtype=int)[j])).objective
                           for j in range(3)])  # fmt: skip
    assert np.allclose(ol.average_prices(days, capacity), np.mean(by_removal, axis=0))
    with pytest.raises(ValueError, match="empty"):
        ol.average_prices([], capacity)
    with pytest.raises(ValueError, match="same workers"):
        ol.average_prices([np.ones((2, 3)), np.ones((2, 2))], capacity)
