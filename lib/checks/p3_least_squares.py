"""Exercises of the chapter "Quality prediction by least squares"."""

from __future__ import annotations

import numpy as np

from lib.checks._core import (
    Implementation,
    Precision,
    register_function,
    register_number,
)

CHAPTER = "chapters/part3_quality/01_least_squares.ipynb"


def chapter_data():
    """The chapter's 200 records (seed 0)."""
    from lib.regression import make_quality_data

    return make_quality_data(200, seed=0)


def chapter_split():
    """The chapter's train/test split: X_train, X_test, y_train, y_test."""
    from lib.regression import train_test_split

    data = chapter_data()
    return train_test_split(data.X, data.y, test_fraction=0.2, seed=42)


def _mse(fit_on: str, score_on: str) -> float:
    from lib.regression import fit_least_squares, mean_squared_error, predict

    X_train, X_test, y_train, y_test = chapter_split()
    X_all, y_all = np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])
    fit = fit_least_squares(X_train, y_train) if fit_on == "train" else fit_least_squares(X_all, y_all)
    X, y = {"train": (X_train, y_train), "test": (X_test, y_test)}[score_on]
    return mean_squared_error(y, predict(fit, X))


register_number(
    "ex-ls-test-mse", CHAPTER,
    expected=lambda: _mse("train", "test"),
    precision=Precision.sig(3),
    misconceptions={
        "training error": (lambda: _mse("train", "train"),
                           "That is the training error: score the fit on the test records."),
        "fitted on every record": (lambda: _mse("all", "test"),
                                   ("That fit has seen the test records: fit on the training "
                                   "part only.")),
    },
    reread="the section 'Train and test error, residuals'",
)  # fmt: skip


def _hessian_eigenvalues(standardise: bool) -> np.ndarray:
    X = chapter_data().X
    Z = (X - X.mean(axis=0)) / X.std(axis=0) if standardise else X
    return np.linalg.eigvalsh(2.0 * Z.T @ Z / len(Z))


register_number(
    "ex-ls-stable-lr", CHAPTER, kind="derive",
    expected=lambda: float(2.0 / _hessian_eigenvalues(True).max()),
    precision=Precision.sig(3),
    misconceptions={
        "1 / L": (lambda: float(1.0 / _hessian_eigenvalues(True).max()),
                  ("A step of 1 / (largest eigenvalue) converges, but so does every step "
                  "up to the limit asked, which is larger.")),
        "smallest eigenvalue": (lambda: float(2.0 / _hessian_eigenvalues(True).min()),
                                ("The largest curvature, not the smallest, sets the limit: "
                                "beyond it that direction diverges.")),
        "raw features": (lambda: float(2.0 / _hessian_eigenvalues(False).max()),
                         ("That is the limit for the raw features; the exercise standardises "
                         "them first.")),
    },
    reread="the section 'For gradient descent, scaling decides it: the condition number'",
)  # fmt: skip


def _condition(with_ones: bool, normal: bool) -> float:
    X = chapter_data().X
    A = np.column_stack([np.ones(len(X)), X]) if with_ones else X
    return float(np.linalg.cond(A.T @ A if normal else A))


register_number(
    "ex-ls-condition-raw", CHAPTER,
    expected=lambda: _condition(True, False),
    precision=Precision.sig(3),
    misconceptions={
        "of A^T A": (lambda: _condition(True, True),
                     "That is the condition number of A^T A, the square of the one asked."),
        "without the ones": (lambda: _condition(False, False),
                             "Include the column of ones for the intercept."),
    },
    reread="the section 'For gradient descent, scaling decides it: the condition number'",
)  # fmt: skip


# ---------------------------------------------------------------- standard error (derive)


def _temperature_se(variance: str = "unbiased", with_ones: bool = True, squared: bool = False) -> float:
    """Standard error of the temperature coefficient, and its misconceptions."""
    from lib.inference import ols_inference

    data = chapter_data()
    if with_ones and variance == "unbiased" and not squared:
        return float(ols_inference(data.X, data.y).std_error[1])
    A = np.column_stack([np.ones(len(data.y)), data.X]) if with_ones else data.X
    beta = np.linalg.lstsq(A, data.y, rcond=None)[0]
    rss = float(np.sum((data.y - A @ beta) ** 2))
    sigma2 = {
        "unbiased": rss / (A.shape[0] - A.shape[1]),
        "mle": rss / A.shape[0],
        "true": data.noise_sd**2,
    }[variance]
    column = 1 if with_ones else 0
    var = sigma2 * np.linalg.solve(A.T @ A, np.eye(A.shape[1])[:, column])[column]
    return float(var if squared else np.sqrt(var))


register_number(
    "ex-ls-derive-se", CHAPTER, kind="derive",
    expected=_temperature_se,
    precision=Precision.sig(3),
    misconceptions={
        "RSS / n": (lambda: _temperature_se("mle"),
                    ("That divides the residual sum of squares by n; the unbiased estimate "
                    "divides by n - p - 1, the residual degrees of freedom.")),
        "the true sigma": (lambda: _temperature_se("true"),
                           ("That uses the true noise sd of the generator, which a real analysis "
                           "does not know: estimate sigma^2 from the residuals.")),
        "the variance": (lambda: _temperature_se(squared=True),
                         "That is the variance of the estimate; the standard error is its square root."),
        "without the ones": (lambda: _temperature_se(with_ones=False),
                             "That design has no column of ones: the model has an intercept."),
    },
    reread="the section 'Least squares as a statistical model'",
)  # fmt: skip


# ---------------------------------------------------------------- normal equations (implement)


def _regression_instance(rng: np.random.Generator, size: int) -> dict:
    from lib.regression import make_quality_data

    data = make_quality_data(size, seed=int(rng.integers(2**31)))
    return {"X": data.X, "y": data.y}


def _lib_coefficients(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    from lib.regression import fit_least_squares

    fit = fit_least_squares(X, y)
    return np.r_[fit.intercept, fit.coef]


def _same_coefficients(student, reference) -> bool:
    # The normal equations square the condition number (about 1e9 on raw
    # process variables): allow the error a correct solve can make.
    a, b = np.asarray(student, dtype=float), np.asarray(reference, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-5, atol=1e-6 * np.abs(b).max()))


register_function(
    "ex-ls-normal-equations", CHAPTER,
    implementation=Implementation(
        reference=_lib_coefficients,
        instances=_regression_instance,
        sizes=(8, 12, 30, 200),
        per_size=3,
        compare=_same_coefficients,
        hide=("lib.regression.fit_least_squares",),
        returns="the coefficients as one array, intercept first",
    ),
    reread="the section 'The normal equations, with the intercept, in sympy'",
)  # fmt: skip


# ---------------------------------------------------------------- omitted variable (model)


def _short_limit(rho: float, slope: str = "cov/var") -> float:
    """Limit of the temperature coefficient without humidity, for correlation rho."""
    from lib.inference import population_omitted_bias
    from lib.regression import FEATURES, TRUE_COEF, feature_covariance

    sd_t, sd_h = FEATURES[0][3], FEATURES[1][3]
    if slope == "cov/var":
        return TRUE_COEF[0] + float(population_omitted_bias(feature_covariance(rho), TRUE_COEF, 1)[0])
    factor = {"correlation": rho, "inverted": rho * sd_t / sd_h}[slope]
    return TRUE_COEF[0] + TRUE_COEF[1] * factor


register_number(
    "ex-ls-omitted-model", CHAPTER, kind="model",
    expected=lambda: _short_limit(-0.6),
    precision=Precision.decimals(3),
    misconceptions={
        "the chapter's correlation": (lambda: _short_limit(0.6),
                                      ("That is the limit for the chapter's line (correlation +0.6); "
                                      "the exercise reverses the sign.")),
        "no bias": (lambda: _short_limit(0.0),
                    "That is the true coefficient: leaving out a correlated variable moves it."),
        "the correlation as the slope": (lambda: _short_limit(-0.6, "correlation"),
                                         ("The slope of humidity on temperature is the covariance over "
                                         "the variance of temperature, not the correlation.")),
        "the slope the wrong way round": (lambda: _short_limit(-0.6, "inverted"),
                                          ("That is the slope of temperature on humidity; you need "
                                          "humidity regressed on temperature.")),
    },
    reread="the section 'Omitted variables: the article's four features'",
)  # fmt: skip
