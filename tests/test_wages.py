"""lib.wages: the core of the assignment game, and stable matching.

References: the vertices of the set of optimal duals enumerated without an
LP solver (lib.wages.optimal_dual_vertices, itself checked against its
definition), and every stable matching found by enumeration.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lib.wages as wg
from lib.matching import ARTICLE_SCORES, brute_force_matching

small_scores = arrays(
    np.float64,
    st.tuples(st.integers(1, 3), st.integers(1, 3)),
    elements=st.integers(-1, 6).map(float),
)


def _in_core(scores, u, v, tol=1e-7):
    opt = brute_force_matching(scores).objective
    return (
        np.all(u >= -tol) and np.all(v >= -tol)
        and np.all(u[:, None] + v[None, :] >= scores - tol)
        and abs(u.sum() + v.sum() - opt) <= tol
    )  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(small_scores)
def test_dual_vertices_are_core_points_and_are_vertices(scores):
    vertices = wg.optimal_dual_vertices(scores)
    assert len(vertices) >= 1
    n, m = scores.shape
    for y in vertices:
        u, v = y[:n], y[n:]
        assert _in_core(scores, u, v)
        # A vertex: the tight constraints have full rank n + m.
        tight = [np.eye(n + m)[k] for k in range(n + m) if abs(y[k]) < 1e-9]
        for i, j in itertools.product(range(n), range(m)):
            if abs(u[i] + v[j] - scores[i, j]) < 1e-9:
                row = np.zeros(n + m)
                row[i] = row[n + j] = 1
                tight.append(row)
        assert np.linalg.matrix_rank(np.array(tight)) == n + m


@settings(max_examples=120, deadline=None)
@given(small_scores)
def test_extreme_core_points_agree_with_the_vertex_enumeration(scores):
    """The LP with a secondary objective vs the componentwise max/min over vertices."""
    n = scores.shape[0]
    vertices = wg.optimal_dual_vertices(scores)
    high = wg.extreme_core_point(scores, "workers")
    low = wg.extreme_core_point(scores, "tasks")
    assert np.allclose(high.wages, vertices[:, n:].max(axis=0), atol=1e-7)
    assert np.allclose(low.wages, vertices[:, n:].min(axis=0), atol=1e-7)
    # The lattice: the worker-optimal point is the requester-worst, and vice versa.
    assert np.allclose(high.task_values, vertices[:, :n].min(axis=0), atol=1e-7)
    assert np.allclose(low.task_values, vertices[:, :n].max(axis=0), atol=1e-7)
    intervals = wg.wage_intervals(scores)
    assert np.all(intervals.low <= intervals.high + 1e-12)


def test_the_tiny_instance_wage_intervals_by_hand():
    w = wg.wage_intervals(ARTICLE_SCORES)
    assert np.allclose(w.low, [0.1, 0, 0, 0]) and np.allclose(w.high, [0.5, 0.4, 0.5, 0.6])
    # The task-heavy dual of the issue is a vertex of the core.
    vertices = wg.optimal_dual_vertices(ARTICLE_SCORES)
    assert any(np.allclose(y, [0.9, 0.3, 0.9, 0.4, 0.2, 0.1, 0, 0]) for y in vertices)


@settings(max_examples=60, deadline=None)
@given(small_scores, st.lists(st.floats(0, 6, width=32), min_size=3, max_size=3))
def test_nearest_core_point(scores, guess):
    wages = np.array(guess[: scores.shape[1]], dtype=float)
    n = scores.shape[0]
    distance, point = wg.nearest_core_point(scores, wages)
    assert _in_core(scores, point.task_values, point.wages, tol=1e-6)
    assert distance == pytest.approx(np.abs(point.wages - wages).max(), abs=1e-7)
    # No vertex is closer than the nearest point.
    vertices = wg.optimal_dual_vertices(scores)
    assert distance <= np.abs(vertices[:, n:] - wages).max(axis=1).min() + 1e-7
    # A vertex is at distance zero.
    assert wg.nearest_core_point(scores, vertices[0, n:])[0] == pytest.approx(0, abs=1e-7)


def test_blocking_pairs():
    s = ARTICLE_SCORES
    for y in wg.optimal_dual_vertices(s):
        assert wg.blocking_pairs(s, y[:4], y[4:]) == []
    # Cut worker 0's wage below the core: task 3 (0.6) and worker 0 block.
    u, v = np.array([0.3, 0.0, 0.4, 0.1]), np.array([0.4, 0.4, 0.5, 0.6])
    assert (3, 0) in wg.blocking_pairs(s, u, v)
    with pytest.raises(ValueError, match="non-negative"):
        wg.blocking_pairs(s, -u, v)


# ------------------------------------------------------------ Gale-Shapley


def _rank(prefs, a, b):
    return prefs[a].index(b)


@st.composite
def preference_profiles(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    prop = [draw(st.permutations(range(m))) for _ in range(n)]
    recv = [draw(st.permutations(range(n))) for _ in range(m)]
    # Drop a tail now and then: some partners unacceptable.
    prop = [p[: draw(st.integers(0, m))] for p in prop]
    return prop, recv


@settings(max_examples=200, deadline=None)
@given(preference_profiles())
def test_deferred_acceptance_is_stable_and_proposer_optimal(profile):
    prop, recv = profile
    result = wg.deferred_acceptance(prop, recv)
    all_stable = wg.stable_matchings(prop, recv)
    assert result.pairs in all_stable
    got = dict(result.pairs)
    for matching in all_stable:
        other = dict(matching)
        for a in range(len(prop)):
            if a in other:  # a is never better off in another stable matching
                assert a in got and _rank(prop, a, got[a]) <= _rank(prop, a, other[a])
        # and every receiver is at least as well off elsewhere (receiver-pessimal)
        for b, a in ((b, a) for a, b in matching):
            mine = {bb: aa for aa, bb in result.pairs}.get(b)
            assert mine is None or _rank(recv, b, a) <= _rank(recv, b, mine)


def test_stable_matchings_by_hand_and_who_proposes_matters():
    tasks = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
    workers = [[1, 2, 0], [2, 0, 1], [0, 1, 2]]
    assert len(wg.stable_matchings(tasks, workers)) == 3
    by_tasks = wg.deferred_acceptance(tasks, workers).pairs
    by_workers = sorted((t, w) for w, t in wg.deferred_acceptance(workers, tasks).pairs)
    assert by_tasks == [(0, 0), (1, 1), (2, 2)]
    assert by_workers == [(0, 2), (1, 0), (2, 1)]


def test_preferences_are_validated():
    with pytest.raises(ValueError, match="twice"):
        wg.deferred_acceptance([[0, 0]], [[0]])
    with pytest.raises(ValueError, match=r"proposer_prefs\[0\] must hold indices"):
        wg.deferred_acceptance([[3]], [[0]])
    with pytest.raises(TypeError, match=r"proposer_prefs\[0\]"):
        wg.deferred_acceptance([["a"]], [[0]])
    with pytest.raises(TypeError, match="receiver_prefs"):
        wg.stable_matchings([[0]], np.array(0.0))
    with pytest.raises(ValueError, match="empty"):
        wg.stable_matchings([], [[0]])
