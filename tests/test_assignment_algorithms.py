"""lib.assignment_algorithms: augmenting paths, the auction, the plane, the interior point.

References are independent of the functions tested: brute-force enumeration
of assignments (lib.matching.brute_force_matching), the vertices of a
polygon checked against HiGHS, and the auction's guarantees checked from
their definitions.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

import lib.assignment_algorithms as aa
from lib.matching import ARTICLE_SCORES, assignment_total, brute_force_matching

small_scores = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    elements=st.floats(-2, 5, allow_nan=False, allow_infinity=False, width=32),
)
integer_scores = arrays(
    np.int64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.integers(-2, 9)
)


# ------------------------------------------------------------ augmenting paths


@settings(max_examples=150, deadline=None)
@given(small_scores, st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_augmenting_path_matching_is_optimal(scores, caps):
    capacity = caps[: scores.shape[1]]
    res = aa.augmenting_path_matching(scores, capacity)
    brute = brute_force_matching(scores, capacity)
    assert res.objective == pytest.approx(brute.objective, abs=1e-9)
    # The pairs are a feasible assignment with the stated total.
    assert assignment_total(scores, res.pairs, capacity) == pytest.approx(res.objective)


@settings(max_examples=100, deadline=None)
@given(small_scores)
def test_each_step_is_a_best_matching_of_the_tasks_placed(scores):
    """The Hungarian invariant: after task k, a best matching of tasks 0..k."""
    res = aa.augmenting_path_matching(scores)
    for k, step in enumerate(res.steps):
        best = brute_force_matching(scores[: k + 1]).objective
        assert step.total == pytest.approx(best, abs=1e-9)
        assert all(i <= k for i, _ in step.pairs)
        previous = res.steps[k - 1].total if k else 0.0
        assert step.gain == pytest.approx(step.total - previous, abs=1e-9)


def test_augmenting_path_alternates_on_a_hand_instance():
    # Task 1 values worker 0 at 4; it takes worker 0 from task 0 (3), which
    # moves to worker 1 (1): gain 4 - 3 + 1 = 2, better than worker 1 alone (1).
    step = aa.best_augmenting_path([[3, 1], [4, 1]], [(0, 0)], task=1)
    assert step.path == [("task", 1), ("worker", 0), ("task", 0), ("worker", 1)]
    assert step.gain == 2.0 and step.pairs == [(0, 1), (1, 0)]
    # A negative score: the new task is better left unassigned.
    assert aa.best_augmenting_path([[3.0], [-1.0]], [(0, 0)], task=1).path == [("task", 1)]
    # Bumping: task 1 takes the only worker; task 0 ends unassigned.
    bump = aa.best_augmenting_path([[1.0], [5.0]], [(0, 0)], task=1)
    assert bump.path == [("task", 1), ("worker", 0), ("task", 0)] and bump.pairs == [(1, 0)]


def test_augmenting_path_on_the_tiny_instance_has_a_tie_at_task_3():
    res = aa.augmenting_path_matching(ARTICLE_SCORES)
    assert res.objective == pytest.approx(2.8)
    last = res.steps[-1]
    # The other path for task 3 (take worker 0, move task 1 to worker 1) gains the same.
    s = ARTICLE_SCORES
    assert last.gain == pytest.approx(s[3, 0] - s[1, 0] + s[1, 1])


def test_augmenting_path_validates():
    with pytest.raises(ValueError, match="already has worker"):
        aa.best_augmenting_path([[1.0, 2.0]], [(0, 0)], task=0)
    with pytest.raises(ValueError, match="matched twice"):
        aa.best_augmenting_path([[1.0, 2.0], [1.0, 1.0]], [(0, 0), (0, 1)], task=1)
    with pytest.raises(ValueError, match="capacity"):
        aa.best_augmenting_path([[1.0], [1.0], [1.0]], [(0, 0), (1, 0)], task=2)
    with pytest.raises(TypeError, match="pairs"):
        aa.best_augmenting_path([[1.0]], "00", task=0)


# ------------------------------------------------------------ the auction


def _profits(scores, prices):
    return np.maximum((np.asarray(scores, float) - prices).max(axis=1), 0.0)


@settings(max_examples=150, deadline=None)
@given(small_scores, st.sampled_from([0.5, 0.1, 0.01]))
def test_auction_guarantees(scores, eps):
    res = aa.auction_assignment(scores, eps)
    brute = brute_force_matching(scores).objective
    k = scores.shape[0]  # the number of bidders
    # epsilon-complementary slackness at termination
    assert aa.cs_violation(scores, res.pairs, res.prices) <= eps + 1e-9
    # within k * epsilon of the optimum, never above it
    assert brute - k * eps - 1e-9 <= res.objective <= brute + 1e-9
    # the prices and profits are dual feasible, with value within k * eps of the optimum
    u = _profits(scores, res.prices)
    assert np.allclose(u, res.profits)
    assert np.all(u[:, None] + res.prices[None, :] >= scores - 1e-9)
    assert np.all(res.prices >= 0)
    assert brute - 1e-9 <= u.sum() + res.prices.sum() <= brute + k * eps + 1e-9


@settings(max_examples=150, deadline=None)
@given(integer_scores)
def test_auction_is_optimal_for_integer_scores_when_eps_below_one_over_n(scores):
    k = scores.shape[0]
    res = aa.auction_assignment(scores, 0.99 / k)
    assert res.objective == pytest.approx(brute_force_matching(scores).objective, abs=1e-9)


def test_auction_can_miss_the_optimum_when_eps_is_large():
    """The nε bound is not vacuous: with a large ε the auction can stop short."""
    rng = np.random.default_rng(0)
    missed = 0
    for _ in range(200):
        s = rng.integers(0, 4, size=(3, 3)).astype(float)
        missed += aa.auction_assignment(s, 1.5).objective < brute_force_matching(s).objective - 1e-9
    assert missed > 0


def test_auction_bid_by_hand():
    # Task 0 at zero prices: best worker 3 (0.9), second best worker 0 (0.8).
    worker, price = aa.auction_bid(ARTICLE_SCORES, np.zeros(4), task=0, epsilon=0.01)
    assert worker == 3 and price == pytest.approx(0.9 - 0.8 + 0.01)
    assert aa.auction_bid([[2.0]], [0.5], 0, 0.25) == (0, 0.75)


def test_auction_bids_record_the_wages():
    res = aa.auction_assignment(ARTICLE_SCORES, 0.01)
    last_price = np.zeros(4)
    for bid in res.bids:
        assert bid.price_before == pytest.approx(last_price[bid.worker])
        assert bid.price_after > bid.price_before
        last_price[bid.worker] = bid.price_after
    assert np.allclose(last_price, res.prices)


def test_auction_validates():
    with pytest.raises(ValueError, match="epsilon"):
        aa.auction_assignment([[1.0]], 0.0)
    with pytest.raises(ValueError, match="larger epsilon"):
        aa.auction_assignment([[1e9, 0.0], [0.0, 1.0]], 1e-6)
    with pytest.raises(ValueError, match="prices"):
        aa.auction_bid([[1.0, 2.0]], [0.0], 0, 0.1)


def test_cs_violation_from_its_definition():
    s = np.array([[3.0, 1.0], [2.0, 1.0]])
    # At prices (1.5, 0.5): task 0 nets 1.5 from worker 0 (best), task 1 nets 0.5 either way.
    assert aa.cs_violation(s, [(0, 0), (1, 1)], [1.5, 0.5]) == 0.0
    # Leaving task 1 unassigned costs it its best net value 0.5.
    assert aa.cs_violation(s, [(0, 0)], [1.5, 0.5]) == pytest.approx(0.5)


# ------------------------------------------------------------ the plane and the interior point


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, (3, 2), elements=st.floats(0.125, 3, width=32)),
    arrays(np.float64, (3,), elements=st.floats(0.5, 5, width=32)),
    arrays(np.float64, (2,), elements=st.floats(-1, 3, width=32)),
)
def test_polygon_vertices_hold_the_lp_optimum(a, b, c):
    vertices = aa.polygon_vertices(a, b)
    assert np.all(vertices @ a.T <= b + 1e-7) and np.all(vertices >= -1e-9)
    res = linprog(-c, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    assert (vertices @ c).max() == pytest.approx(-res.fun, abs=1e-7)


def test_polygon_vertices_by_hand_and_refusals():
    v = aa.polygon_vertices([[1, 1], [1, 3], [1, 0]], [4, 9, 3])
    assert v.tolist() == [[0, 0], [3, 0], [3, 1], [1.5, 2.5], [0, 3]]
    with pytest.raises(ValueError, match="unbounded"):
        aa.polygon_vertices([[1, -1]], [1])
    with pytest.raises(ValueError, match="empty"):
        aa.polygon_vertices([[1, 1], [-1, -1]], [1, -2])


@settings(max_examples=40, deadline=None)
@given(small_scores)
def test_interior_point_optimum_is_optimal_and_feasible(scores):
    x = aa.interior_point_optimum(scores)
    assert np.all(x.sum(axis=1) <= 1 + 1e-6) and np.all(x.sum(axis=0) <= 1 + 1e-6)
    brute = brute_force_matching(scores).objective
    assert (scores * x).sum() == pytest.approx(brute, abs=1e-5 * max(1.0, np.abs(scores).max()))


def test_interior_point_is_fractional_on_the_tiny_instance():
    x = aa.interior_point_optimum(ARTICLE_SCORES)
    assert np.max(np.minimum(x, 1 - x)) > 0.4  # a point inside the optimal edge
