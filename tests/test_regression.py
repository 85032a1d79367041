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


def test_scaling_and_centring_are_separate_steps():
    """center_y defaults to scale; set apart, the three settings differ as the
    chapter says: Adam on standardised X but a raw target needs more than 1000
    steps (the intercept has far to travel), and gets there in 20,000."""
    data = reg.make_quality_data(200, seed=0)
    ls = reg.fit_least_squares(data.X, data.y)
    best = reg.mean_squared_error(data.y, reg.predict(ls, data.X))
    default = reg.fit_gradient_descent(data.X, data.y, method="adam", epochs=50)
    explicit = reg.fit_gradient_descent(data.X, data.y, method="adam", epochs=50, scale=True, center_y=True)
    assert np.array_equal(default.loss_history, explicit.loss_history)
    short = reg.fit_gradient_descent(data.X, data.y, method="adam", center_y=False)
    long = reg.fit_gradient_descent(data.X, data.y, method="adam", center_y=False, epochs=20_000)
    assert short.loss_history[-1] > best + 100 and np.isclose(long.loss_history[-1], best, rtol=1e-9)
    # Adam moves each parameter by about lr per step: 1000 steps of 0.01 cannot reach mean(y).
    assert data.y.mean() > 1000 * 0.01
    # Plain gradient descent on standardised X does not need the centred target.
    gd = reg.fit_gradient_descent(data.X, data.y, method="gd", lr=0.1, epochs=3000, center_y=False)
    assert np.allclose(gd.coef, ls.coef, rtol=1e-8)
    # The loss history is on the original scale whatever the preprocessing.
    # (the parameters start at 0: the first loss is that of predicting 0, or mean(y) once y is centred).
    for kwargs, start in (({"scale": False}, 0.0), ({"scale": False, "center_y": True}, data.y.mean()),
                          ({"center_y": False}, 0.0), ({}, data.y.mean())):  # fmt: skip
        fit = reg.fit_gradient_descent(data.X, data.y, method="adam", epochs=3, **kwargs)
        assert np.isclose(fit.loss_history[0], np.mean((data.y - start) ** 2))


def test_data_options_change_only_what_they_say():
    base = reg.make_quality_data(100, seed=5)
    curved = reg.make_quality_data(100, seed=5, temperature_curvature=0.05)
    assert np.array_equal(base.X, curved.X)
    assert np.allclose(base.y - curved.y, 0.05 * (base.X[:, 0] - 210.0) ** 2)
    twin = reg.make_quality_data(100, seed=5, second_sensor_sd=0.3)
    assert twin.X.shape == (100, 6) and twin.feature_names[-1] == "temperature_2"
    assert np.array_equal(twin.X[:, :5], base.X) and np.array_equal(twin.y, base.y)
    assert twin.true_coef[-1] == 0.0 and 0.2 < np.std(twin.X[:, 5] - twin.X[:, 0]) < 0.4
    big = reg.make_quality_data(100_000, seed=1)
    assert abs(np.corrcoef(big.X[:, 0], big.X[:, 1])[0, 1] - reg.HUMIDITY_CORRELATION) < 0.01
    assert reg.HUMIDITY_CORRELATION > 0
    flipped = reg.make_quality_data(100_000, seed=1, humidity_correlation=-0.6)
    assert abs(np.corrcoef(flipped.X[:, 0], flipped.X[:, 1])[0, 1] + 0.6) < 0.01
    assert np.allclose(np.cov(flipped.X.T), reg.feature_covariance(-0.6), rtol=0.03, atol=0.2)


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
        (lambda: reg.make_quality_data(10, second_sensor_sd=0.0), ValueError, "second_sensor_sd"),
        (lambda: reg.make_quality_data(10, temperature_curvature=np.nan), ValueError, "temperature_curvature"),
        (lambda: reg.fit_gradient_descent([[1.0], [2.0]], [1.0, 2.0], center_y=1), TypeError, "center_y"),
        (lambda: reg.make_quality_data(10, seed=1.5), TypeError, "seed"),
        (lambda: reg.make_quality_data(10, noise_sd=-1.0), ValueError, "noise_sd"),
        (lambda: reg.train_test_split(np.ones((3, 1)), np.ones(3), test_fraction=0.01), ValueError, "empty"),
        (lambda: reg.predict(reg.LinearFit(np.ones(2), 0.0), np.ones((3, 3))), ValueError, "shape"),
    ],
)
def test_regression_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
