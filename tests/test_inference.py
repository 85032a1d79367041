"""lib.inference against formulas computed another way (an explicit inverse,
scipy's linregress, scikit-learn's r2_score) and against simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import r2_score

from lib import inference as inf
from lib import regression as reg


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(10, 200),
    st.integers(1, 5),
    st.sampled_from([0.9, 0.95, 0.99]),
)
def test_standard_errors_match_the_textbook_formula(seed, n, p, level):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 20, size=p) + rng.normal(size=p) * 5
    y = X @ rng.normal(size=p) + rng.normal(size=n) * rng.uniform(0.1, 3)
    result = inf.ols_inference(X, y, level=level)
    A = np.column_stack([np.ones(n), X])
    beta = np.linalg.inv(A.T @ A) @ A.T @ y  # the textbook formula, as a reference only
    resid = y - A @ beta
    s2 = resid @ resid / (n - p - 1)
    se = np.sqrt(s2 * np.diag(np.linalg.inv(A.T @ A)))
    t = stats.t.ppf((1 + level) / 2, n - p - 1)
    assert np.allclose(result.estimate, beta, rtol=1e-6, atol=1e-8)
    assert np.allclose(result.std_error, se, rtol=1e-6)
    assert np.allclose(result.lower, beta - t * se, rtol=1e-6, atol=1e-8)
    assert np.allclose(result.upper, beta + t * se, rtol=1e-6, atol=1e-8)
    assert np.isclose(result.residual_variance, s2)
    assert np.isclose(result.r_squared, 1 - resid @ resid / np.sum((y - y.mean()) ** 2))


def test_one_feature_matches_scipy_linregress():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, 50)
    y = 1.5 - 0.7 * x + rng.normal(size=50)
    ref = stats.linregress(x, y)
    result = inf.ols_inference(x[:, None], y)
    assert np.allclose(result.estimate, [ref.intercept, ref.slope])
    assert np.allclose(result.std_error, [ref.intercept_stderr, ref.stderr])
    assert np.isclose(result.r_squared, ref.rvalue**2)


def test_standard_errors_and_coverage_by_simulation():
    """With X fixed and fresh noise, the spread of the fitted coefficients is
    the formula's standard error, and 95% intervals cover the truth 95% of the time."""
    data = reg.make_quality_data(200, seed=0)
    sims = inf.simulate_coefficients(
        data.X, data.true_coef, data.true_intercept, 1.0, n_sims=4000, seed=1
    )
    A = np.column_stack([np.ones(200), data.X])
    exact_sd = np.sqrt(np.diag(np.linalg.inv(A.T @ A)))  # sigma = 1 known
    assert np.allclose(sims.std(axis=0, ddof=1), exact_sd, rtol=0.05)
    assert np.allclose(
        sims.mean(axis=0),
        np.r_[data.true_intercept, data.true_coef],
        atol=4 * exact_sd / np.sqrt(4000),
    )
    truth = np.r_[data.true_intercept, data.true_coef]
    rng = np.random.default_rng(5)
    covered = np.zeros(6)
    runs = 1000
    for _ in range(runs):
        y = data.true_intercept + data.X @ data.true_coef + rng.standard_normal(200)
        result = inf.ols_inference(data.X, y)
        covered += (result.lower <= truth) & (truth <= result.upper)
    # Binomial(1000, 0.95): sd 0.007; allow 4 sd.
    assert np.all(np.abs(covered / runs - 0.95) < 0.028)


def test_simulated_rows_are_least_squares_fits():
    data = reg.make_quality_data(30, seed=2)
    sims = inf.simulate_coefficients(
        data.X, data.true_coef, data.true_intercept, 0.5, n_sims=3, seed=9
    )
    noise = 0.5 * np.random.default_rng(9).standard_normal((30, 3))
    for k in range(3):
        fit = reg.fit_least_squares(
            data.X, data.true_intercept + data.X @ data.true_coef + noise[:, k]
        )
        assert np.allclose(sims[k], np.r_[fit.intercept, fit.coef])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 50))
def test_r_squared_matches_sklearn(seed, n):
    rng = np.random.default_rng(seed)
    y, pred = rng.normal(size=n), rng.normal(size=n)
    assert np.isclose(inf.r_squared(y, pred), r2_score(y, pred))


def test_mse_interval_formula_and_coverage():
    rng = np.random.default_rng(0)
    e = rng.normal(size=40)
    result = inf.mse_interval(e, np.zeros(40))
    half = stats.t.ppf(0.975, 39) * np.std(e**2, ddof=1) / np.sqrt(40)
    assert np.isclose(result.estimate, np.mean(e**2))
    assert np.isclose(result.upper - result.estimate, half) and np.isclose(
        result.estimate - result.lower, half
    )
    # Coverage of the true MSE (1 for standard normal errors) with 200 records.
    hits = 0
    for _ in range(2000):
        iv = inf.mse_interval(rng.normal(size=200), np.zeros(200))
        hits += iv.lower <= 1.0 <= iv.upper
    assert 0.92 < hits / 2000 < 0.97


def test_omitted_variable_identity_against_direct_short_fit():
    data = reg.make_quality_data(200, seed=4)
    for omit in (1, [1, 4], (0,)):
        ovb = inf.omitted_variable_bias(data.X, data.y, omit)
        short = reg.fit_least_squares(data.X[:, list(ovb.kept)], data.y)
        assert np.allclose(ovb.short_coef, short.coef)
        assert np.allclose(ovb.bias, ovb.auxiliary.T @ ovb.omitted_coef)


def test_population_bias_by_hand_and_in_a_large_sample():
    cov = reg.feature_covariance()
    bias = inf.population_omitted_bias(cov, reg.TRUE_COEF, 1)
    # By hand: only temperature is correlated with humidity; slope 0.6 * 8 / 6.
    assert np.allclose(bias, [0.6 * 8 / 6 * -0.12, 0, 0, 0])
    big = reg.make_quality_data(200_000, seed=11)
    short = reg.fit_least_squares(big.X[:, [0, 2, 3, 4]], big.y)
    assert abs(short.coef[0] - (0.30 + bias[0])) < 0.005
    # Omitting temperature biases humidity by 0.6 * 6 / 8 * 0.30.
    assert np.isclose(
        inf.population_omitted_bias(cov, reg.TRUE_COEF, [0])[0], 0.6 * 6 / 8 * 0.30
    )


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: inf.ols_inference(np.ones((3, 2)) + np.eye(3, 2), [1.0, 2.0, 3.0]),
            ValueError,
            "degree of freedom",
        ),
        (
            lambda: inf.ols_inference(
                [[1.0], [2.0], [4.0]], [1.0, 2.0, 3.0], level=1.0
            ),
            ValueError,
            "level",
        ),
        (
            lambda: inf.ols_inference(
                [[1.0], [2.0], [4.0]], [1.0, 2.0, 3.0], level="0.9"
            ),
            TypeError,
            "level",
        ),
        (lambda: inf.r_squared([1.0, 1.0], [1.0, 2.0]), ValueError, "constant"),
        (lambda: inf.mse_interval([1.0], [1.0]), ValueError, "at least 2"),
        (
            lambda: inf.simulate_coefficients([[1.0], [2.0]], [1.0], 0.0, -1.0),
            ValueError,
            "noise_sd",
        ),
        (
            lambda: inf.simulate_coefficients([[1.0], [1.0]], [1.0], 0.0, 1.0),
            ValueError,
            "rank",
        ),
        (
            lambda: inf.simulate_coefficients([[1.0], [2.0]], [1.0, 2.0], 0.0, 1.0),
            ValueError,
            "length 1",
        ),
        (
            lambda: inf.omitted_variable_bias(np.eye(4, 2) + 1, np.ones(4), 2),
            ValueError,
            "omit",
        ),
        (
            lambda: inf.omitted_variable_bias(np.eye(4, 2) + 1, np.ones(4), [0, 1]),
            ValueError,
            "no column",
        ),
        (
            lambda: inf.omitted_variable_bias(np.eye(4, 2) + 1, np.ones(4), "a"),
            TypeError,
            "omit",
        ),
        (
            lambda: inf.population_omitted_bias(np.ones((2, 3)), [1.0, 1.0], 0),
            ValueError,
            "square",
        ),
        (
            lambda: inf.population_omitted_bias(
                [[1.0, 2.0], [0.0, 1.0]], [1.0, 1.0], 0
            ),
            ValueError,
            "symmetric",
        ),
    ],
)
def test_inference_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
