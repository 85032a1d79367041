"""lib.ridge against scikit-learn's Ridge on standardised features, an
augmented least-squares solve, and cross-validation recomputed fold by fold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from lib import regression as reg
from lib import ridge as rdg


def _data(seed: int, n: int, p: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 30, size=p) + rng.normal(size=p) * 10
    X[:, -1] = X[:, 0] * 0.5 + rng.normal(size=n) * 0.1  # a nearly collinear column
    return X, X @ rng.normal(size=p) + rng.normal(size=n)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(10, 150),
    st.integers(2, 5),
    st.floats(1e-3, 1e3),
)
def test_fit_ridge_matches_sklearn_on_standardised_features(seed, n, p, penalty):
    X, y = _data(seed, n, p)
    fit = rdg.fit_ridge(X, y, penalty)
    model = make_pipeline(StandardScaler(), Ridge(alpha=penalty)).fit(X, y)
    assert np.allclose(
        fit.coef, model[-1].coef_ / model[0].scale_, rtol=1e-6, atol=1e-8
    )
    assert np.allclose(reg.predict(fit, X), model.predict(X), rtol=1e-8, atol=1e-6)


def test_path_matches_augmented_least_squares():
    X, y = _data(1, 80, 4)
    penalties = np.array([0.0, 0.1, 10.0, 1e4])
    path = rdg.ridge_path(X, y, penalties)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    for k, lam in enumerate(penalties):
        # min ||y_c - Z w||^2 + lam ||w||^2 as one least-squares problem on [Z; sqrt(lam) I].
        aug = np.vstack([Z, np.sqrt(lam) * np.eye(4)])
        w = np.linalg.lstsq(aug, np.r_[y - y.mean(), np.zeros(4)], rcond=None)[0]
        assert np.allclose(path.standardised_coef[k], w, rtol=1e-8, atol=1e-10)
    ls = reg.fit_least_squares(X, y)
    assert np.allclose(path.coef[0], ls.coef) and np.isclose(
        path.intercept[0], ls.intercept
    )
    norms = np.linalg.norm(path.standardised_coef, axis=1)
    assert np.all(
        np.diff(norms) < 0
    )  # a larger penalty always shrinks the coefficient vector


def test_cross_validation_recomputed_with_sklearn():
    data = reg.make_quality_data(120, seed=3, second_sensor_sd=0.3)
    penalties = np.logspace(-2, 3, 6)
    cv = rdg.ridge_cv(data.X, data.y, penalties, n_folds=4, seed=7)
    assert np.bincount(cv.fold).tolist() == [30, 30, 30, 30]
    ref = np.zeros((4, penalties.size))
    for k in range(4):
        tr, va = cv.fold != k, cv.fold == k
        for j, lam in enumerate(penalties):
            model = make_pipeline(StandardScaler(), Ridge(alpha=lam)).fit(
                data.X[tr], data.y[tr]
            )
            ref[k, j] = np.mean((model.predict(data.X[va]) - data.y[va]) ** 2)
    assert np.allclose(cv.cv_mse, ref.mean(axis=0))
    assert np.allclose(cv.cv_se, ref.std(axis=0, ddof=1) / 2)
    assert cv.best_penalty == penalties[np.argmin(ref.mean(axis=0))]


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: rdg.fit_ridge(np.eye(3, 2) + 1, np.ones(3), -1.0),
            ValueError,
            "penalty",
        ),
        (
            lambda: rdg.fit_ridge(np.eye(3, 2) + 1, np.ones(3), None),
            TypeError,
            "penalty",
        ),
        (
            lambda: rdg.ridge_path(
                [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], np.ones(3), [0.0]
            ),
            ValueError,
            "full rank",
        ),
        (
            lambda: rdg.ridge_path([[1.0], [1.0]], np.ones(2), [1.0]),
            ValueError,
            "constant",
        ),
        (lambda: rdg.ridge_path([[1.0], [2.0]], np.ones(2), []), ValueError, "empty"),
        (
            lambda: rdg.ridge_cv(np.eye(4, 2) + 1, np.ones(4), [1.0], n_folds=5),
            ValueError,
            "n_folds",
        ),
        (
            lambda: rdg.ridge_cv(
                np.eye(4, 2) + 1, np.ones(4), [1.0], n_folds=2, seed=0.5
            ),
            TypeError,
            "seed",
        ),
    ],
)
def test_ridge_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
