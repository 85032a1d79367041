"""lib.matching: unit tests, input validation, and property tests against
independent references (brute force, scipy's milp)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, milp

from lib.matching import (
    ARTICLE_SCORES,
    MAX_BRUTE_FORCE_ASSIGNMENTS,
    assignment_total,
    brute_force_matching,
    matching_constraint_matrix,
    solve_matching,
    source_code_loss,
    source_lp,
)

# ---------------------------------------------------------------- instances


@st.composite
def instances(draw, max_tasks: int = 5, max_workers: int = 5):
    """Small instances with ties (few distinct values), negatives and zeros."""
    n = draw(st.integers(1, max_tasks))
    m = draw(st.integers(1, max_workers))
    kind = draw(st.sampled_from(["ties", "floats", "signed"]))
    if kind == "ties":
        values = st.sampled_from([0.0, 0.1, 0.2, 0.3, 1.0])
    elif kind == "floats":
        values = st.floats(0, 10, allow_nan=False, allow_infinity=False)
    else:
        values = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
    scores = np.array(draw(st.lists(st.lists(values, min_size=m, max_size=m), min_size=n, max_size=n)))
    capacity = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    return scores, capacity


def _check_feasible_integral(result, scores, capacity):
    x = result.x
    assert x.shape == scores.shape
    assert set(np.unique(x)) <= {0, 1}
    assert np.all(x.sum(axis=1) <= 1)
    assert np.all(x.sum(axis=0) <= np.asarray(capacity))
    assert result.pairs == [(int(i), int(j)) for i, j in zip(*np.nonzero(x))]
    assert np.isclose(result.objective, (scores * x).sum())


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(instances(), st.sampled_from(["auto", "lp"]))
# Found by hypothesis: scores below HiGHS's default tolerance (1e-7) were ignored.
@example((np.array([[0, 0, 0, 2.0, 1.1920929e-07], [0, 0, 0, 0, 0]]), [0, 0, 0, 0, 1]), "lp")
def test_solve_matching_equals_brute_force(instance, method):
    scores, capacity = instance
    result = solve_matching(scores, capacity, method=method)
    brute = brute_force_matching(scores, capacity)
    _check_feasible_integral(result, scores, capacity)
    tol = 1e-9 * max(1.0, np.abs(scores).sum())
    assert abs(result.objective - brute.objective) <= tol
    assert result.pairs in brute.optimal_pairs or np.isclose(
        assignment_total(scores, result.pairs, capacity), brute.objective, rtol=1e-9, atol=tol
    )


@settings(max_examples=200, deadline=None)
@given(instances())
@example((np.array([[0, 0, 0, 5.96046448e-08], [0, 0, 1.0, 0]]), [0, 0, 0, 1]))
def test_solution_is_in_the_optimal_set(instance):
    scores, capacity = instance
    result = solve_matching(scores, capacity, method="lp")
    brute = brute_force_matching(scores, capacity)
    # Every optimal assignment, as enumerated, has the optimal total.
    for pairs in brute.optimal_pairs:
        assert np.isclose(assignment_total(scores, pairs, capacity), brute.objective, atol=1e-9)
    # The LP's answer is one of them (equal up to the enumeration's tolerance).
    assert result.pairs in brute.optimal_pairs


@settings(max_examples=200, deadline=None)
@given(instances(max_tasks=6, max_workers=6))
@example((np.array([[0.0, 5.96046448e-08, 0.0], [0.0, 0.0, 0.0]]), [0, 1, 0]))
def test_duals_are_feasible_and_strongly_dual(instance):
    scores, capacity = instance
    result = solve_matching(scores, capacity)
    u, v = result.task_values, result.worker_prices
    cap = np.asarray(capacity)
    assert np.all(u >= 0) and np.all(v >= 0)
    tol = 1e-9 * max(1.0, np.abs(scores).max())
    assert np.all(u[:, None] + v[None, :] >= scores - tol)
    assert np.isclose(u.sum() + cap @ v, result.objective, rtol=1e-9, atol=tol)


@settings(max_examples=100, deadline=None)
@given(instances(max_tasks=6, max_workers=6))
def test_agrees_with_milp(instance):
    scores, capacity = instance
    n, m = scores.shape
    a = matching_constraint_matrix(n, m)
    b = np.concatenate([np.ones(n), capacity])
    ref = milp(-scores.ravel(), constraints=LinearConstraint(a, ub=b), integrality=np.ones(n * m), bounds=(0, 1))
    assert np.isclose(solve_matching(scores, capacity).objective, -ref.fun, atol=1e-8)


# ---------------------------------------------------------------- units


def test_article_instance_has_two_optimal_assignments():
    brute = brute_force_matching(ARTICLE_SCORES)
    assert len(brute.optimal_pairs) == 2
    assert solve_matching(ARTICLE_SCORES).pairs in brute.optimal_pairs


def test_assignment_and_lp_paths_agree_on_article_instance():
    fast = solve_matching(ARTICLE_SCORES, method="assignment")
    lp = solve_matching(ARTICLE_SCORES, method="lp")
    assert fast.method == "assignment" and lp.method == "lp"
    assert np.isclose(fast.objective, lp.objective)
    # Duals are computed on demand on the fast path and certify its optimum.
    assert np.isclose(fast.task_values.sum() + fast.worker_prices.sum(), fast.objective)


def test_negative_scores_leave_tasks_unassigned():
    result = solve_matching([[-1.0, -2.0], [3.0, -1.0]])
    assert result.pairs == [(1, 0)]
    assert result.objective == 3.0


def test_zero_capacity_workers_get_nothing():
    result = solve_matching([[5.0, 1.0], [4.0, 1.0]], capacity=[0, 2])
    assert result.x[:, 0].sum() == 0
    assert result.pairs == [(0, 1), (1, 1)]


def test_capacity_scalar_is_broadcast():
    assert solve_matching(np.ones((3, 2)), capacity=2).x.sum() == 3


def test_result_is_frozen():
    result = solve_matching([[1.0]])
    with pytest.raises(AttributeError):
        result.objective = 2.0  # type: ignore[misc]


def test_constraint_matrix_is_bipartite_incidence():
    a = matching_constraint_matrix(3, 4).toarray()
    assert a.shape == (7, 12)
    assert np.all(a.sum(axis=0) == 2)  # each variable in one task row and one worker row
    assert np.all(a[:3].sum(axis=0) == 1) and np.all(a[3:].sum(axis=0) == 1)


def test_source_lp_sets_every_entry_to_its_bound():
    res = source_lp(ARTICLE_SCORES, [2, 1, 0.5, 1])
    assert np.allclose(res.x, np.tile([2, 1, 0.5, 1], (4, 1)))
    assert np.isclose(res.objective, (ARTICLE_SCORES * [2, 1, 0.5, 1]).sum())


def test_source_lp_leaves_negative_scores_at_zero():
    res = source_lp([[1.0, -1.0]], [3, 3])
    assert np.allclose(res.x, [[3.0, 0.0]])


def test_source_code_loss_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    x, y, p = (rng.normal(size=(3, 2)) for _ in range(3))
    loss, grads = source_code_loss(x, y, p)
    h = 1e-6
    for k, arr in enumerate((x, y, p)):
        for idx in np.ndindex(arr.shape):
            bumped = [x.copy(), y.copy(), p.copy()]
            bumped[k][idx] += h
            fd = (source_code_loss(*bumped)[0] - loss) / h
            assert np.isclose(fd, grads[k][idx], atol=1e-4)


def test_assignment_total_rejects_bad_pairs():
    scores = [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(ValueError, match="task 0 is assigned twice"):
        assignment_total(scores, [(0, 0), (0, 1)])
    with pytest.raises(ValueError, match="worker 5 does not exist"):
        assignment_total(scores, [(0, 5)])
    with pytest.raises(TypeError, match="integer"):
        assignment_total(scores, [(0.5, 1)])
    with pytest.raises(TypeError, match="each of pairs"):
        assignment_total(scores, [(0, 1, 2)])
    with pytest.raises(TypeError, match="pairs"):
        assignment_total(scores, np.array(0.0))
    assert assignment_total(scores, []) == 0.0


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "scores, capacity, error, match",
    [
        ([1.0, 2.0], None, ValueError, "2-D"),
        ([[[1.0]]], None, ValueError, "2-D"),
        (np.zeros((0, 3)), None, ValueError, "empty"),
        (np.zeros((3, 0)), None, ValueError, "empty"),
        ([[1.0, np.nan]], None, ValueError, "NaN or infinity"),
        ([[1.0, np.inf]], None, ValueError, "NaN or infinity"),
        ([["a", "b"]], None, TypeError, "real numbers"),
        ([[1.0, "b"]], None, TypeError, "real numbers"),
        ("scores", None, TypeError, "string"),
        (None, None, TypeError, "None"),
        ([[1.0 + 2j]], None, TypeError, "complex"),
        ([[1.0], [2.0, 3.0]], None, ValueError, "rectangular"),
        ([[1.0, 2.0]], [1], ValueError, "length 2"),
        ([[1.0, 2.0]], [1, -1], ValueError, "non-negative"),
        ([[1.0, 2.0]], [1, 1.5], ValueError, "whole numbers"),
        ([[1.0, 2.0]], [1, np.nan], ValueError, "NaN"),
        ([[1.0, 2.0]], ["a", "b"], TypeError, "real numbers"),
        ([[1.0, 2.0]], [[1, 1]], ValueError, "1-D"),
    ],
)
def test_solve_matching_rejects_bad_input(scores, capacity, error, match):
    with pytest.raises(error, match=match):
        solve_matching(scores, capacity)


def test_bad_method_is_rejected():
    with pytest.raises(ValueError, match="method"):
        solve_matching([[1.0]], method="simplex")
    # Capacities above 1 are cloned for the assignment path, not refused.
    assert solve_matching([[1.0], [1.0]], capacity=[2], method="assignment").objective == 2.0


def test_brute_force_refuses_large_instances():
    n = 1
    while 3 ** n <= MAX_BRUTE_FORCE_ASSIGNMENTS:
        n += 1
    with pytest.raises(ValueError, match="too|at most"):
        brute_force_matching(np.ones((n, 2)))


def test_whole_float_capacities_are_accepted():
    assert solve_matching([[1.0, 1.0]], capacity=[2.0, 0.0]).pairs == [(0, 0)]


def test_source_lp_validation():
    with pytest.raises(ValueError, match="non-negative"):
        source_lp([[1.0]], [-1])
    with pytest.raises(ValueError, match="length 1"):
        source_lp([[1.0]], [1, 2])
    with pytest.raises(ValueError, match="same shape"):
        source_code_loss(np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 3)))


def test_constraint_matrix_validation():
    with pytest.raises(ValueError, match="at least 1"):
        matching_constraint_matrix(0, 2)
    with pytest.raises(TypeError, match="integer"):
        matching_constraint_matrix(2.0, 2)


def test_result_does_not_alias_the_input():
    scores = np.array([[3.0, 1.0], [2.0, 1.0]])
    result = solve_matching(scores)
    scores[:] = 0.0  # the caller reuses its array
    assert result.objective == 4.0 and result.scores[0, 0] == 3.0
    assert np.isclose(result.task_values.sum() + result.worker_prices.sum(), 4.0)


def test_integer_programs_print_nothing(capfd):
    # HiGHS's MIP solver with presolve off prints a debugging line to file
    # descriptor 1 on this instance; a notebook would show it under the cell.
    rng = np.random.default_rng(0)
    scores, costs, cap = rng.random((60, 20)), rng.random((60, 20)), np.full(20, 3)
    import lib.floors
    import lib.matching

    lib.matching.solve_matching_with_budget(scores, costs, 5.0, cap)
    lib.floors.solve_matching_with_floor(scores, 1.0, cap)
    out, err = capfd.readouterr()
    assert out == "" and "HighsMipSolverData" not in err
