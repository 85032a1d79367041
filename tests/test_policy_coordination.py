"""lib.coordination, lib.policy_learning and lib.listing against independent
references: SLSQP for the planner, the ministries and the projection; an
exhaustive grid for a one-position planner; finite differences for the
gradient and the Hessian; plain regular expressions for the listing."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, minimize

from lib import coordination as co
from lib import policy_learning as pl
from lib.listing import analyse_listing, article_listing, section_code_blocks
from lib.policy import finite_difference_gradient

pytestmark = pytest.mark.filterwarnings("ignore:delta_grad == 0.0:UserWarning", "ignore:Values in x were outside bounds")


@st.composite
def models(draw, max_n=4):
    n = draw(st.integers(1, max_n))
    vec = st.lists(st.floats(0.0, 50.0), min_size=n, max_size=n)
    kE, kI = draw(st.floats(0.5, 3.0)), draw(st.floats(0.5, 3.0))
    gamma = draw(st.floats(-0.9, 0.9)) * np.sqrt(kE * kI)
    return co.PolicyModel.create(draw(vec), draw(vec), a=draw(st.floats(0.0, 3.0)), b=draw(st.floats(0.0, 3.0)),
                                 gamma=gamma, kE=kE, kI=kI, cost_E=draw(st.floats(0.5, 3.0)),
                                 cost_I=draw(st.floats(0.5, 3.0)), budget=draw(st.floats(0.5, 80.0)))  # fmt: skip


def _slsqp(model, objective, budget_rows):
    """The best feasible point SLSQP finds from two starts. A run that stops
    early ("Positive directional derivative for linesearch") may return a point
    outside the budget, whose objective would beat the optimum: such points
    are projected back onto the constraints (each budget row scaled down)
    before they count."""
    n = model.N
    best = None
    for start in (np.zeros(2 * n), np.full(2 * n, model.budget / 2)):
        res = minimize(lambda z: -objective(z[:n], z[n:]), start, method="SLSQP", bounds=Bounds(0, np.inf),
                       constraints=[LinearConstraint(A, ub=ub) for A, ub in budget_rows],
                       options={"ftol": 1e-13, "maxiter": 1000})  # fmt: skip
        z = np.maximum(res.x, 0.0)
        for A, ub in budget_rows:
            used = A[0] > 0
            spent = float((A @ z)[0])
            if spent > ub:
                z[used] *= ub / spent if spent > 0 else 0.0
        res.x, res.fun = z, -objective(z[:n], z[n:])
        if best is None or res.fun < best.fun:
            best = res
    return best


@settings(max_examples=40, deadline=None)
@given(models())
def test_planner_matches_slsqp(model):
    sol = co.solve_planner(model)
    n = model.N
    ref = _slsqp(model, lambda x, y: co.welfare(model, x, y), [(np.ones((1, 2 * n)) / n, model.budget)])
    assert sol.welfare >= -ref.fun - 1e-6 * max(1.0, abs(ref.fun))
    assert np.mean(sol.x + sol.y) <= model.budget + 1e-9 and sol.x.min() >= 0 and sol.y.min() >= 0


@settings(max_examples=40, deadline=None)
@given(models(), st.floats(0.0, 1.0))
def test_decentralised_matches_slsqp_of_each_ministry(model, share):
    sol = co.solve_decentralised(model, share)
    n = model.N
    own = model.with_(gamma=0.0, b=0.0)  # the education ministry's objective
    ref_x = _slsqp(own, lambda x, y: co.welfare(own, x, 0 * y),
                   [(np.hstack([np.ones((1, n)), np.zeros((1, n))]) / n, share * model.budget),
                    (np.hstack([np.zeros((1, n)), np.ones((1, n))]) / n, 0.0)])  # fmt: skip
    assert co.welfare(own, sol.x, 0 * sol.y) >= -ref_x.fun - 1e-6 * max(1.0, abs(ref_x.fun))
    other = model.with_(gamma=0.0, a=0.0)  # the industry ministry's objective
    ref_y = _slsqp(other, lambda x, y: co.welfare(other, 0 * x, y),
                   [(np.hstack([np.zeros((1, n)), np.ones((1, n))]) / n, (1 - share) * model.budget),
                    (np.hstack([np.ones((1, n)), np.zeros((1, n))]) / n, 0.0)])  # fmt: skip
    assert co.welfare(other, 0 * sol.x, sol.y) >= -ref_y.fun - 1e-6 * max(1.0, abs(ref_y.fun))
    assert np.mean(sol.x) <= share * model.budget + 1e-9
    assert np.mean(sol.y) <= (1 - share) * model.budget + 1e-9


def test_one_position_planner_against_a_grid():
    model = co.PolicyModel.create([30.0], [20.0], gamma=1.2, cost_I=2.0, budget=25.0)
    sol = co.solve_planner(model)
    x = np.linspace(0, 25, 2501)
    y = 25 - x  # the budget binds: spending on the grid's budget line
    values = [co.welfare(model, [a], [b]) for a, b in zip(x, y)]
    assert sol.welfare >= max(values) - 1e-9
    assert abs(sol.x[0] - x[int(np.argmax(values))]) <= 0.02


def test_value_of_coordination_parts():
    for gamma in (-1.5, -0.5, 0.0, 0.7, 1.5):
        v = co.value_of_coordination(co.chapter_model(gamma=gamma, N=30))
        assert np.isclose(v.reallocation + v.cross_effect, v.total)
        assert v.cross_effect >= -1e-9 and v.total >= -1e-9
    v0 = co.value_of_coordination(co.chapter_model(gamma=0.0, N=30))
    assert abs(v0.cross_effect) < 1e-9


def test_kkt_enumeration_has_one_kkt_point_equal_to_the_planner():
    for gamma, budget in [(1.0, 50.0), (-1.0, 50.0), (0.0, 500.0), (1.5, 5.0)]:
        model = co.chapter_model(gamma=gamma, budget=budget, N=2)
        rows = co.kkt_active_sets(model)
        assert len(rows) == 2 ** 5
        kkt = [r for r in rows if r.primal_feasible and r.dual_feasible]
        assert len(kkt) == 1
        sol = co.solve_planner(model)
        point = {k: float(v) for k, v in kkt[0].point.items()}
        assert np.allclose([point["x1"], point["x2"], point["y1"], point["y2"]], np.r_[sol.x, sol.y], atol=1e-8)
        assert np.isclose(point["lambda"], sol.price, atol=1e-8)
    with pytest.raises(ValueError, match="N <= 2"):
        co.kkt_active_sets(co.chapter_model(N=3))


@settings(max_examples=40, deadline=None)
@given(models(), st.data())
def test_gradient_is_the_gradient_of_the_mean(model, data):
    n = model.N
    z = np.array(data.draw(st.lists(st.floats(0, 40), min_size=2 * n, max_size=2 * n)))
    gx, gy = co.welfare_gradient(model, z[:n], z[n:])
    fd = finite_difference_gradient(lambda v: co.welfare(model, v[:n], v[n:]), z, h=1e-3)
    assert np.allclose(np.r_[gx, gy], fd, rtol=1e-6, atol=1e-6)


def test_lipschitz_constant_from_a_finite_difference_hessian():
    model = co.chapter_model(gamma=-1.3, N=3).with_(cost_E=1.5)
    n = model.N
    z0 = np.linspace(1, 10, 2 * n)
    H = np.column_stack([
        finite_difference_gradient(lambda v, i=i: float(np.r_[co.welfare_gradient(model, v[:n], v[n:])][i]), z0)
        for i in range(2 * n)
    ])  # fmt: skip
    assert np.isclose(co.gradient_lipschitz(model), np.max(np.abs(np.linalg.eigvalsh((H + H.T) / 2))), rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-20, 20), min_size=n, max_size=n), st.lists(st.floats(-20, 20), min_size=n, max_size=n))),
    st.floats(0.0, 15.0))  # fmt: skip
def test_projection_matches_slsqp(pair, budget):
    x, y = (np.array(v) for v in pair)
    n = x.size
    px, py = co.project_onto_budget_and_bounds(x, y, budget)
    v = np.r_[x, y]
    ref = minimize(lambda z: np.sum((z - v) ** 2), np.zeros(2 * n), jac=lambda z: 2 * (z - v), method="SLSQP",
                   bounds=Bounds(0, np.inf), constraints=[LinearConstraint(np.ones((1, 2 * n)) / n, ub=budget)],
                   options={"ftol": 1e-14, "maxiter": 500})  # fmt: skip
    assert np.sum((np.r_[px, py] - v) ** 2) <= ref.fun + 1e-7
    assert np.mean(px + py) <= budget + 1e-9 and min(px.min(), py.min()) >= 0


def test_ascent_converges_below_two_over_L_and_rescaling_is_a_step():
    model = co.chapter_model(N=10)
    L = co.gradient_lipschitz(model)
    assert co.projected_gradient_ascent(model, 1.0 / L, 400).distance[-1] < 1e-8
    slack = co.chapter_model(N=10, budget=1e4)  # nothing binds: the plain iteration diverges above 2/L
    assert not co.projected_gradient_ascent(slack, 2.2 / co.gradient_lipschitz(slack), 100).distance[-1] < 1.0
    # A step of size eta on N * gradient is a step of size N * eta on the gradient.
    x, y = np.ones(10), np.ones(10)
    gx, gy = co.welfare_gradient(model, x, y)
    scaled = co.project_onto_budget_and_bounds(x + 0.01 * 10 * gx, y + 0.01 * 10 * gy, model.budget)
    assert np.allclose(np.r_[scaled], np.r_[co.projected_gradient_step(model, x, y, 0.1)])


def test_least_squares_recovers_the_effects_without_noise():
    model = co.chapter_model(N=8)
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 40, 8), rng.uniform(0, 40, 8)
    E, I = co.effects(model, x, y)
    theta = pl.estimate_effects(model, pl.effect_regressors(model, x, y), co.employment_gain(model, x, y), E, I)
    assert np.allclose(theta, [model.a, model.b, model.gamma])
    # By hand: the regressors are S E, P I and E I.
    assert np.allclose(pl.effect_regressors(model, x, y), np.column_stack([model.S * E, model.P * I, E * I]))


def test_learning_cycle_stalls_without_experimentation_and_learns_with_it():
    model = co.chapter_model(N=20)
    stuck = pl.learning_cycle(model, 15, noise=10.0, seed=4, pilot="education only")
    assert np.all(stuck.support_share == 0) and np.ptp(stuck.distance) < 1e-3 * stuck.distance[-1] > 1e-3
    dithered = pl.learning_cycle(model, 15, noise=10.0, seed=4, explore=0.3, pilot="education only")
    assert dithered.distance[-1] < 0.1 * stuck.distance[-1]
    again = pl.learning_cycle(model, 15, noise=10.0, seed=4, explore=0.3, pilot="education only")
    assert np.array_equal(again.distance, dithered.distance)  # seeded


def test_listing_analysis_against_regular_expressions():
    code = article_listing(seed="000", section="5.2").code
    report = analyse_listing(code)
    assert report.definitions["objective_function"] == len(re.findall(r"^def objective_function\(", code, re.MULTILINE)) == 18
    assert ("sympy", "minimize") in report.imports
    assert {"S", "N", "Ei"} <= set(report.undefined["objective_function"])
    assert set(report.self_differences) == {"Pi - Pi", "Psi - Psi"}


def test_bad_input_is_refused_clearly():
    with pytest.raises(TypeError, match="PolicyModel"):
        co.solve_planner("model")
    with pytest.raises(ValueError, match="concave"):
        co.PolicyModel.create([1.0], [1.0], gamma=3.0)
    with pytest.raises(ValueError, match="share"):
        co.solve_decentralised(co.chapter_model(N=2), 1.5)
    with pytest.raises(ValueError, match="pilot"):
        pl.learning_cycle(co.chapter_model(N=2), 2, pilot="none")
    with pytest.raises(ValueError, match="5.2"):
        section_code_blocks("no headings", "5.2")
