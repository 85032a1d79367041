"""lib.regression against numpy's lstsq, and the iterative fits against the
closed form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import regression as reg


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(8, 300), st.integers(1, 6))
def test_fit_least_squares_equals_lstsq(seed, n, p):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.1, 100, size=p) + rng.normal(size=p) * 10
    y = rng.normal(size=n) * 5 + X @ rng.normal(size=p)
    fit = reg.fit_least_squares(X, y)
    ref, *_ = np.linalg.lstsq(np.column_stack([np.ones(n), X]), y, rcond=None)
    assert np.allclose(fit.intercept, ref[0], rtol=1e-9, atol=1e-9)
    assert np.allclose(fit.coef, ref[1:], rtol=1e-9, atol=1e-9)


def test_data_is_seeded_and_documented():
    a, b = reg.make_quality_data(200, seed=7), reg.make_quality_data(200, seed=7)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.y, reg.make_quality_data(200, seed=8).y)
    assert a.feature_names == tuple(f[0] for f in reg.FEATURES)
    # Noise-free data is recovered exactly.
    exact = reg.make_quality_data(50, seed=1, noise_sd=0.0)
    fit = reg.fit_least_squares(exact.X, exact.y)
    assert np.allclose(fit.coef, exact.true_coef, rtol=1e-8)
    assert np.isclose(fit.intercept, exact.true_intercept, rtol=1e-8)


def test_gradient_descent_on_scaled_features_reaches_closed_form():
    data = reg.make_quality_data(200, seed=0)
    ls = reg.fit_least_squares(data.X, data.y)
    gd = reg.fit_gradient_descent(data.X, data.y, method="gd", lr=0.1, epochs=3000)
    assert np.allclose(gd.coef, ls.coef, rtol=1e-8, atol=0)
    assert np.isclose(gd.intercept, ls.intercept, rtol=1e-8)


def test_article_recipe_adam_on_scaled_features():
    """Adam, lr 0.01, 1000 epochs (the article's recipe) on standardised
    features: within 1e-6 (relative) of the closed form."""
    data = reg.make_quality_data(200, seed=0)
    ls = reg.fit_least_squares(data.X, data.y)
    adam = reg.fit_gradient_descent(data.X, data.y, method="adam", lr=0.01, epochs=1000)
    assert np.allclose(adam.coef, ls.coef, rtol=1e-6, atol=0)
    assert np.isclose(adam.intercept, ls.intercept, rtol=1e-6)
    assert adam.loss_history.shape == (1000,)
    assert np.all(np.diff(adam.loss_history[-100:]) <= 1e-12)


def test_article_recipe_fails_without_scaling():
    data = reg.make_quality_data(200, seed=0)
    ls = reg.fit_least_squares(data.X, data.y)
    raw = reg.fit_gradient_descent(data.X, data.y, method="adam", lr=0.01, epochs=1000, scale=False)
    best = reg.mean_squared_error(data.y, reg.predict(ls, data.X))
    assert raw.loss_history[-1] > 5 * best


def test_condition_number_falls_with_scaling():
    data = reg.make_quality_data(200, seed=0)
    assert reg.design_condition_number(data.X) > 1000 * reg.design_condition_number(data.X, scale=True)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: reg.fit_least_squares([1.0, 2.0], [1.0, 2.0]), ValueError, "2-D"),
        (lambda: reg.fit_least_squares([[1.0], [2.0]], [1.0]), ValueError, "length 2"),
        (lambda: reg.fit_least_squares([[1.0], [np.nan]], [1.0, 2.0]), ValueError, "NaN"),
        (lambda: reg.fit_least_squares([[1.0], [1.0], [1.0]], [1.0, 2.0, 3.0]), ValueError, "not unique"),
        (lambda: reg.fit_least_squares(np.zeros((0, 2)), []), ValueError, "empty"),
        (lambda: reg.fit_least_squares([["a"], ["b"]], [1.0, 2.0]), TypeError, "real numbers"),
        (lambda: reg.fit_gradient_descent([[1.0], [2.0]], [1.0, 2.0], method="sgd"), ValueError, "method"),
        (lambda: reg.fit_gradient_descent([[1.0], [2.0]], [1.0, 2.0], lr=0), ValueError, "lr"),
        (lambda: reg.fit_gradient_descent([[1.0], [2.0]], [1.0, 2.0], epochs=0), ValueError, "epochs"),
        (lambda: reg.fit_gradient_descent([[1.0], [1.0]], [1.0, 2.0]), ValueError, "constant"),
        (lambda: reg.fit_gradient_descent([[1.0], [2.0]], [1.0, 2.0], scale="yes"), TypeError, "scale"),
        (lambda: reg.make_quality_data(0), ValueError, "n must be"),
        (lambda: reg.make_quality_data(10, seed=1.5), TypeError, "seed"),
        (lambda: reg.make_quality_data(10, noise_sd=-1.0), ValueError, "noise_sd"),
        (lambda: reg.train_test_split(np.ones((3, 1)), np.ones(3), test_fraction=0.01), ValueError, "empty"),
        (lambda: reg.predict(reg.LinearFit(np.ones(2), 0.0), np.ones((3, 3))), ValueError, "shape"),
    ],
)
def test_regression_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
