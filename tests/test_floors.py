"""lib.floors: the earnings-floor integer program against brute force, the
relaxation as an upper bound, infeasible floors, and the cost curve."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import floors as fl
from lib import matching as mt


def brute_force_with_floor(scores, floor, capacity):
    """Best total over every assignment meeting the capacities and floors; None if none does."""
    scores = np.asarray(scores, dtype=float)
    n, m = scores.shape
    floor = np.broadcast_to(np.asarray(floor, dtype=float), (m,))
    best = None
    for choice in itertools.product(range(m + 1), repeat=n):
        x = np.zeros((n, m))
        for i, j in enumerate(choice):
            if j < m:
                x[i, j] = 1
        if np.any(x.sum(axis=0) > capacity):
            continue
        if np.any((scores * x).sum(axis=0) < floor - 1e-9):
            continue
        total = float((scores * x).sum())
        best = total if best is None else max(best, total)
    return best


@st.composite
def floor_instances(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 3))
    # Multiples of 1/8: a floor either is met exactly or misses by at least
    # 1/8, so the solver's tolerance (relative to the largest score) and the
    # enumeration's cannot disagree on feasibility.
    values = st.integers(0, 40).map(lambda k: k / 8)
    scores = np.array(draw(st.lists(st.lists(values, min_size=m, max_size=m), min_size=n, max_size=n)))
    capacity = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    level = st.integers(0, 32).map(lambda k: k / 8)
    floor = draw(st.one_of(level, st.lists(level, min_size=m, max_size=m)))
    return scores, floor, capacity


@settings(max_examples=200, deadline=None)
@given(floor_instances())
def test_floor_optimum_equals_brute_force(instance):
    scores, floor, capacity = instance
    ref = brute_force_with_floor(scores, floor, capacity)
    if ref is None:
        with pytest.raises(ValueError, match="floor"):
            fl.solve_matching_with_floor(scores, floor, capacity)
        return
    res = fl.solve_matching_with_floor(scores, floor, capacity)
    assert abs(res.objective - ref) <= 1e-7 * max(1.0, scores.sum())
    assert np.isclose(mt.assignment_total(scores, list(zip(*np.nonzero(res.x))), capacity), res.objective)
    assert np.all(res.earnings >= np.broadcast_to(floor, (len(capacity),)) - 1e-7 * max(1.0, scores.max()))
    relaxed = fl.solve_matching_with_floor(scores, floor, capacity, integral=False)
    assert relaxed.objective >= res.objective - 1e-7 * max(1.0, scores.sum())  # an upper bound


@settings(max_examples=60, deadline=None)
@given(floor_instances())
def test_cost_curve_rises_with_the_floor(instance):
    scores, _, capacity = instance
    curve = fl.floor_cost_curve(scores, [0.0, 0.5, 1.0, 2.0], capacity)
    assert curve.cost[0] == 0.0  # level 0 is the plain matching
    assert np.isclose(curve.integer[0], mt.solve_matching(scores, capacity).objective)
    ok = curve.feasible
    assert np.all(np.diff(curve.cost[ok]) >= -1e-7)  # a higher floor never costs less
    assert np.all(~ok[:-1] <= ~ok[1:])  # once infeasible, infeasible for higher floors
    for f, value, feasible in zip(curve.floors, curve.integer, curve.feasible):
        ref = brute_force_with_floor(scores, f, capacity)
        assert feasible == (ref is not None)
        if feasible:
            assert abs(value - ref) <= 1e-7 * max(1.0, scores.sum())


def test_relaxation_is_fractional_with_a_floor():
    res = fl.solve_matching_with_floor([[4.0, 1.0], [3.0, 2.0]], [0.0, 1.5], capacity=[2, 1], integral=False)
    assert not res.integral and res.objective == pytest.approx(6.25)
    assert fl.solve_matching_with_floor([[4.0, 1.0], [3.0, 2.0]], [0.0, 1.5], capacity=[2, 1]).objective == 6.0


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: fl.solve_matching_with_floor([[1.0]], -1.0), ValueError, "floor"),
        (lambda: fl.solve_matching_with_floor([[1.0]], [1.0, 2.0]), ValueError, "length"),
        (lambda: fl.solve_matching_with_floor([[1.0]], "1"), TypeError, "floor"),
        (lambda: fl.solve_matching_with_floor([[1.0]], 2.0), ValueError, "too high"),
        (lambda: fl.solve_matching_with_floor([[1.0]], 0.0, integral=1), TypeError, "integral"),
        (lambda: fl.solve_matching_with_floor(np.ones((200, 200)), 0.0), ValueError, "too large"),
        (lambda: fl.floor_cost_curve([[1.0]], [-1.0]), ValueError, "floors"),
    ],
)
def test_floor_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
