"""lib.robust against scipy (the Huber objective minimised directly, scipy's
huber function) and scikit-learn's HuberRegressor at the same scale."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats
from sklearn.linear_model import HuberRegressor

from lib import regression as reg
from lib import robust as rob


def _contaminated(seed: int, n: int, p: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * 3 + 1
    y = 2.0 + X @ rng.normal(size=p) + rng.normal(size=n)
    wild = rng.choice(n, size=max(1, n // 20), replace=False)
    y[wild] += rng.choice([-1, 1], size=wild.size) * rng.uniform(10, 50, size=wild.size)
    return X, y


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(20, 120),
    st.integers(1, 3),
    st.floats(0.3, 3.0),
    st.floats(0.8, 3.0),
)
def test_fixed_scale_huber_is_the_minimum_of_the_huber_objective(
    seed, n, p, scale, epsilon
):
    X, y = _contaminated(seed, n, p)
    fit = rob.fit_huber(X, y, scale=scale, epsilon=epsilon)
    A = np.column_stack([np.ones(n), X])

    def objective(beta):
        return rob.huber_loss(y - A @ beta, scale, epsilon)

    def gradient(beta):
        r = y - A @ beta
        return -A.T @ np.clip(r, -epsilon * scale, epsilon * scale)

    ref = optimize.minimize(
        objective, np.zeros(p + 1), jac=gradient, method="BFGS", options={"gtol": 1e-10}
    )
    ours = np.r_[fit.intercept, fit.coef]
    assert objective(ours) <= ref.fun + 1e-7 * max(1.0, abs(ref.fun))
    assert np.allclose(ours, ref.x, rtol=1e-4, atol=1e-4)


def test_huber_loss_matches_scipy_special_huber():
    r = np.linspace(-5, 5, 101)
    for scale, eps in [(1.0, 1.345), (0.5, 2.0), (3.0, 0.5)]:
        ref = scale**2 * special.huber(eps, r / scale).sum()
        assert np.isclose(rob.huber_loss(r, scale, eps), ref)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_sklearn_huber_at_sklearns_scale(seed):
    """scikit-learn estimates its scale jointly with the coefficients (and adds
    an L2 penalty, set to 0 here); at its optimum, its coefficients minimise the
    Huber objective with that scale held fixed, which is what fit_huber(scale=s) does."""
    X, y = _contaminated(seed, 150, 3)
    sk = HuberRegressor(epsilon=1.345, alpha=0.0, max_iter=2000, tol=1e-12).fit(X, y)
    fit = rob.fit_huber(X, y, scale=float(sk.scale_))
    assert np.allclose(fit.coef, sk.coef_, rtol=1e-4, atol=1e-4)
    assert np.isclose(fit.intercept, sk.intercept_, rtol=1e-4, atol=1e-4)


def test_mad_scale_by_hand():
    rng = np.random.default_rng(0)
    r = rng.standard_t(3, size=101)
    assert np.isclose(
        rob.mad_scale(r), np.median(np.abs(r - np.median(r))) / stats.norm.ppf(0.75)
    )
    big = rng.normal(scale=2.0, size=200_000)
    assert abs(rob.mad_scale(big) - 2.0) < 0.02  # estimates the sd for normal data


def test_iterated_mad_is_a_fixed_point_and_resists_a_wild_record():
    data = reg.make_quality_data(200, seed=0)
    y = data.y.copy()
    row = int(np.argmax(data.X[:, 2]))
    y[row] = 50.0
    fit = rob.fit_huber(data.X, y)
    residual = y - reg.predict(reg.LinearFit(fit.coef, fit.intercept), data.X)
    assert np.isclose(fit.scale, rob.mad_scale(residual), rtol=1e-6)
    again = rob.fit_huber(data.X, y, scale=fit.scale)
    assert np.allclose(again.coef, fit.coef, rtol=1e-6)
    clean = reg.fit_least_squares(data.X, data.y)
    dirty = reg.fit_least_squares(data.X, y)
    assert abs(fit.coef[2] - clean.coef[2]) < 0.2 < abs(dirty.coef[2] - clean.coef[2])
    assert fit.weights[row] < 0.05 and np.median(fit.weights) == 1.0


def test_huge_epsilon_is_least_squares():
    X, y = _contaminated(3, 60, 2)
    fit = rob.fit_huber(X, y, epsilon=1e9)
    ls = reg.fit_least_squares(X, y)
    assert np.allclose(fit.coef, ls.coef) and np.isclose(fit.intercept, ls.intercept)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: rob.fit_huber([[1.0], [2.0], [3.0]], [1.0, 2.0, 3.0]),
            ValueError,
            "MAD",
        ),
        (
            lambda: rob.fit_huber([[1.0], [2.0], [4.0]], [1.0, 2.0, 5.0], scale="iqr"),
            ValueError,
            "scale",
        ),
        (
            lambda: rob.fit_huber([[1.0], [2.0], [4.0]], [1.0, 2.0, 5.0], scale=0.0),
            ValueError,
            "scale",
        ),
        (
            lambda: rob.fit_huber([[1.0], [2.0], [4.0]], [1.0, 2.0, 5.0], epsilon=-1.0),
            ValueError,
            "epsilon",
        ),
        (
            lambda: rob.fit_huber([[1.0], [2.0], [4.0]], [1.0, 2.0, 5.0], max_iter=0),
            ValueError,
            "max_iter",
        ),
        (lambda: rob.mad_scale([]), ValueError, "empty"),
        (lambda: rob.huber_loss([1.0], scale="1"), TypeError, "scale"),
    ],
)
def test_robust_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_collapsing_mad_scale_is_named():
    # Four of five records on y = x: the joint fit heads for that line, where the
    # MAD of the residuals is 0; the error says so instead of "raise max_iter".
    x, y = np.arange(5.0), np.array([0.0, 1.0, 2.0, 3.0, 40.0])
    assert np.sum(y == x) >= 3  # at least half the records on one line
    with pytest.raises(ValueError, match="MAD scale collapsed"):
        rob.fit_huber(x[:, None], y, max_iter=15_000)
    # With a fixed scale the same data converge, between that line's slope and
    # the least-squares slope the wild record pulls up.
    fit = rob.fit_huber(x[:, None], y, scale=0.5)
    assert 1.0 < fit.coef[0] < np.polyfit(x, y, 1)[0]
