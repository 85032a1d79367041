"""lib.policy: symbolic gradients against finite differences and plain numpy,
the index offset of lambdify, the worked example, and the coordinated optimum
against its KKT conditions and scipy."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import LinearConstraint, minimize

from lib import policy as pol

pytestmark = pytest.mark.filterwarnings("ignore:delta_grad == 0.0:UserWarning")

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


def vectors(n):
    return arrays(float, n, elements=finite)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(vectors(n), vectors(n))))
def test_gradients_equal_finite_differences(pair):
    target, x = pair
    cases = [
        (pol.education_loss, pol.education_gradient),
        (pol.industry_loss, pol.industry_gradient),
        (pol.social_loss, pol.social_gradient),
    ]
    for loss, grad in cases:
        # The lambda is called within this iteration, so binding `loss` late is safe.
        fd = pol.finite_difference_gradient(lambda v: loss(target, v), x, h=1e-4)  # noqa: B023
        assert np.allclose(grad(target, x), fd, rtol=1e-6, atol=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 50).flatmap(lambda n: st.tuples(vectors(n), vectors(n))))
def test_lambdified_gradient_equals_numpy_reference(pair):
    S, E = pair
    assert np.allclose(pol.education_gradient(S, E), -2 * (S - E) / S.size)


def test_gradient_is_article_gradient_over_N():
    s = pol.policy_symbols()
    ours = pol.gradient_component(pol.education_loss_expr(), s.E)
    assert sp.simplify(ours - pol.article_education_gradient_expr() / s.N) == 0


def test_lambdify_index_offset():
    """Lambdifying the Indexed expression and passing k = 1..N reads numpy's
    X[k] (0-based): shifted by one. to_elementwise has no such shift."""
    s = pol.policy_symbols()
    component = pol.gradient_component(pol.education_loss_expr(), s.E)
    naive = sp.lambdify((s.S, s.E, s.N, s.k), component)
    S = np.arange(1.0, 6.0)
    E = np.zeros(5)
    k = np.arange(1, 5)  # 1..N-1 (k = N would fall off the end)
    assert np.allclose(naive(S, E, 5, k), -2 * S[1:] / 5)  # shifted
    assert np.allclose(pol.education_gradient(S, E), -2 * S / 5)  # right


def test_social_loss_as_written_is_identically_zero():
    assert pol.social_loss_as_written_expr().doit() == 0
    s = pol.policy_symbols()
    assert pol.gradient_component(pol.social_loss_as_written_expr(), s.Ps) == 0


def test_concrete_N_cross_check():
    s = pol.policy_symbols()
    expr = pol.education_loss_expr().subs(s.N, 3).doit()
    values = {s.S[i]: v for i, v in zip(range(1, 4), (1, 2, 3))} | {s.E[i]: 0 for i in range(1, 4)}
    assert expr.subs(values) == sp.Rational(14, 3)


def test_employment_effect():
    assert pol.employment_effect([1, 2], [3, 4], [0, 1], [5, 6]) == 8.5


def test_worked_example_lengths_and_J():
    lengths = {k: pol.expand_printed_sequence(pol.ARTICLE_EXAMPLE[k]).size for k in ("S", "E", "I", "Ps")}
    assert lengths == {"S": 9, "E": 9, "I": 8, "Ps": 4}
    for reading in pol.READINGS:
        p = pol.required_constant_support(reading)
        assert p < 0
        assert np.isclose(pol.example_J(reading, float(p)), 5.6)
        # With no industry support at all, J already exceeds 5.6.
        assert pol.example_J(reading, 0.0) > 5.6


@st.composite
def problems(draw):
    n = draw(st.integers(1, 6))
    vec = lambda lo, hi: np.array(draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n)))  # noqa: E731
    alpha, beta = draw(st.floats(0.2, 5)), draw(st.floats(0.2, 5))
    budget = draw(st.one_of(st.just(np.inf), st.floats(-10, 60)))
    return pol.CoordinationProblem.create(vec(0, 20), vec(0, 5), vec(0, 3), alpha, beta, budget)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_coordinated_optimum_satisfies_kkt_and_matches_scipy(problem):
    opt = pol.coordinated_optimum(problem)
    g_e, g_i = pol.coordination_gradient(problem, opt.E, opt.I)
    lam = opt.multiplier
    assert lam >= 0
    assert np.allclose(g_e, lam, atol=1e-8) and np.allclose(g_i, lam, atol=1e-8)  # stationarity
    use = np.mean(opt.E + opt.I)
    assert use <= problem.budget + 1e-8  # primal feasibility
    assert lam * (use - problem.budget) == pytest.approx(0, abs=1e-6) if np.isfinite(problem.budget) else lam == 0
    n = problem.N
    cons = [] if not np.isfinite(problem.budget) else [LinearConstraint(np.ones((1, 2 * n)) / n, ub=problem.budget)]
    ref = minimize(lambda z: -pol.coordination_objective(problem, z[:n], z[n:]), np.zeros(2 * n),
                   jac=lambda z: -np.concatenate(pol.coordination_gradient(problem, z[:n], z[n:])) / n,
                   constraints=cons, method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000})  # fmt: skip
    assert -ref.fun <= opt.objective + 1e-6
    assert np.isclose(-ref.fun, opt.objective, rtol=1e-7, atol=1e-7)


def test_symbolic_optimum_matches_closed_form():
    sol = pol.coordinated_optimum_symbolic()
    s = pol.policy_symbols()
    problem = pol.CoordinationProblem.create([3.0, 5.0], [1.0, 2.0], [0.5, 1.0], 1.5, 0.5, budget=4.0)
    opt = pol.coordinated_optimum(problem)
    alpha, beta, B, lam = sp.symbols("alpha beta B lambda")
    subs = {sp.Symbol("alpha", positive=True): 1.5, sp.Symbol("beta", positive=True): 0.5,
            sp.Symbol("B", positive=True): 4.0, s.N: 2}  # fmt: skip
    lam_val = sol["lambda_binding"].subs(subs).doit()
    values = {s.S[1]: 3.0, s.S[2]: 5.0, s.P[1]: 1.0, s.P[2]: 2.0, s.Ps[1]: 0.5, s.Ps[2]: 1.0}
    assert float(lam_val.subs(values)) == pytest.approx(opt.multiplier)


def test_policy_cycle_step_size_threshold():
    problem = pol.CoordinationProblem.create([3.0, 5.0, 1.0], [1.0, 2.0, 1.0], [0.5, 1.0, 2.0], 2.0, 1.0, budget=6.0)
    limit = 1 / max(problem.alpha, problem.beta)
    assert pol.policy_cycle(problem, 0.5 * limit, rounds=400).converged
    assert not pol.policy_cycle(problem, 1.05 * limit, rounds=400).converged


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: pol.employment_effect([1, 2], [1], [1, 2], [1, 2]), ValueError, "same length"),
        (lambda: pol.employment_effect([1, np.nan], [1, 1], [1, 2], [1, 2]), ValueError, "NaN"),
        (lambda: pol.education_loss("ab", [1]), TypeError, "string"),
        (lambda: pol.education_gradient([[1.0]], [[1.0]]), ValueError, "1-D"),
        (lambda: pol.CoordinationProblem.create([1], [1], [1], alpha=0), ValueError, "positive"),
        (lambda: pol.CoordinationProblem.create([1], [1], [1], beta="x"), TypeError, "number"),
        (lambda: pol.CoordinationProblem.create([1], [1], [1], budget=None), TypeError, "budget"),
        (lambda: pol.policy_cycle(pol.CoordinationProblem.create([1], [1], [1]), step=-1), ValueError, "step"),
        (lambda: pol.policy_cycle(pol.CoordinationProblem.create([1], [1], [1]), 0.1, rounds=0), ValueError, "rounds"),
        (lambda: pol.expand_printed_sequence((1, 2, 3)), ValueError, "'...'"),
        (lambda: pol.expand_printed_sequence((1, 2, "...", 3), "sideways"), ValueError, "reading"),
        (lambda: pol.finite_difference_gradient(lambda v: 0.0, [1.0], h=0), ValueError, "h must be greater than 0"),
        (lambda: pol.gradient_component(pol.education_loss_expr(), "E"), TypeError, "IndexedBase"),
    ],
)
def test_policy_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
