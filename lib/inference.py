"""Least squares as a statistical model (seed 002, §4): uncertainty and bias.

* :func:`ols_inference` gives the standard errors and confidence intervals of
  the coefficients, ``Var(beta_hat) = sigma^2 (A^T A)^{-1}`` with ``A = [1, X]``
  and ``sigma^2`` estimated by ``RSS / (n - p - 1)``, and the R^2.
* :func:`simulate_coefficients` refits on fresh noise, to check those
  standard errors by simulation.
* :func:`r_squared` and :func:`mse_interval` judge predictions: the share of
  variance explained, and a test error with a confidence interval.
* :func:`omitted_variable_bias` and :func:`population_omitted_bias` give what
  leaving a regressor out does to the others' coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from lib._validate import _as_numeric_array, as_integer, as_real, as_real_vector
from lib.regression import _check_xy, fit_least_squares

__all__ = [
    "MSEInterval",
    "OLSInference",
    "OmittedVariableBias",
    "mse_interval",
    "ols_inference",
    "omitted_variable_bias",
    "population_omitted_bias",
    "r_squared",
    "simulate_coefficients",
]


@dataclass(frozen=True)
class OLSInference:
    """Least-squares estimates with their uncertainty.

    Every array has the intercept first, then one entry per feature.

    Attributes
    ----------
    estimate, std_error, lower, upper : numpy.ndarray
        Coefficients, their standard errors and the confidence interval.
    level : float
        Confidence level of the interval.
    residual_variance : float
        ``RSS / df_resid``, the unbiased estimate of the noise variance.
    df_resid : int
        Records minus coefficients, ``n - p - 1``.
    r_squared : float
        Share of the variance of y explained on the fitted records; NaN when
        y is constant (R^2 is undefined there).

    Examples
    --------
    >>> res = ols_inference(np.arange(6.0)[:, None], [1.0, 3.1, 4.9, 7.0, 9.1, 10.9])
    >>> res.estimate.round(3), res.df_resid  # slope = Sxy / Sxx = 34.8 / 17.5
    (array([1.029, 1.989]), 4)
    """

    estimate: np.ndarray
    std_error: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    residual_variance: float
    df_resid: int
    r_squared: float


@dataclass(frozen=True)
class MSEInterval:
    """A mean squared error with a confidence interval (normal approximation).

    Attributes
    ----------
    estimate : float
        The mean squared error.
    lower, upper : float
        The ends of the interval.
    level : float
        Its confidence level.
    n : int
        The number of squared errors.

    Examples
    --------
    >>> iv = mse_interval([0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 2.0, 0.0])
    >>> iv.estimate, iv.n, iv.level  # (1 + 1 + 4 + 0) / 4
    (1.5, 4, 0.95)
    """

    estimate: float
    lower: float
    upper: float
    level: float
    n: int


@dataclass(frozen=True)
class OmittedVariableBias:
    """What dropping columns ``omit`` does to the coefficients of the others.

    ``short_coef == long_coef + auxiliary.T @ omitted_coef`` holds exactly on
    the sample (the omitted-variable identity); ``bias`` is the second term.

    Attributes
    ----------
    kept : tuple of int
        Columns left in the short model.
    long_coef : numpy.ndarray
        Coefficients of the kept columns in the full (long) model.
    omitted_coef : numpy.ndarray
        Coefficients of the omitted columns in the long model.
    auxiliary : numpy.ndarray, shape (len(omit), len(kept))
        Slopes of each omitted column regressed on the kept ones (with an intercept).
    short_coef : numpy.ndarray
        Coefficients of the kept columns when the omitted ones are left out.
    bias : numpy.ndarray
        ``short_coef - long_coef``.

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> ovb = omitted_variable_bias(data.X, data.y, omit=1)
    >>> ovb.kept, bool(np.allclose(ovb.short_coef, ovb.long_coef + ovb.bias))
    ((0, 2, 3, 4), True)
    """

    kept: tuple[int, ...]
    long_coef: np.ndarray
    omitted_coef: np.ndarray
    auxiliary: np.ndarray
    short_coef: np.ndarray
    bias: np.ndarray


def _check_level(level: Any) -> float:
    return as_real(
        level,
        "level",
        minimum=0,
        maximum=1,
        include_minimum=False,
        include_maximum=False,
    )


def _design(X: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(X.shape[0]), X])


def _inverse_gram_diagonal(design: np.ndarray) -> np.ndarray:
    # diag((A^T A)^{-1}) from the SVD A = U S V^T: (A^T A)^{-1} = V S^{-2} V^T,
    # without forming A^T A (whose condition number is the square of A's).
    _, s, vt = np.linalg.svd(design, full_matrices=False)
    return np.sum((vt / s[:, None]) ** 2, axis=0)


def ols_inference(X: Any, y: Any, level: float = 0.95) -> OLSInference:
    """Standard errors and t confidence intervals of the least-squares coefficients.

    Under the model ``y = A beta + noise`` with independent noise of equal
    variance, ``Var(beta_hat) = sigma^2 (A^T A)^{-1}``; with normal noise
    ``(beta_hat_j - beta_j) / se_j`` has a t distribution with
    ``n - p - 1`` degrees of freedom.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features (the intercept column is added here).
    y : array_like, shape (n,)
        Target.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    OLSInference

    Raises
    ------
    ValueError
        If there are no more records than coefficients (no degrees of freedom
        left to estimate the noise), or the design is rank-deficient.

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> inf = ols_inference(data.X, data.y)
    >>> round(float(inf.estimate[1]), 3), round(float(inf.std_error[1]), 3), inf.df_resid
    (0.324, 0.016, 194)
    """
    X, y = _check_xy(X, y)
    level = _check_level(level)
    n, p = X.shape
    df = n - p - 1
    if df < 1:
        raise ValueError(
            f"{n} records and {p + 1} coefficients leave no degree of freedom to estimate "
            "the noise variance; standard errors need more records than coefficients."
        )
    fit = fit_least_squares(X, y)
    estimate = np.r_[fit.intercept, fit.coef]
    design = _design(X)
    residual = y - design @ estimate
    sigma2 = float(residual @ residual) / df
    se = np.sqrt(sigma2 * _inverse_gram_diagonal(design))
    t = float(stats.t.ppf(0.5 + level / 2, df))
    return OLSInference(
        estimate, se, estimate - t * se, estimate + t * se, level, sigma2, df,
        # A constant y is a valid fit (every slope 0) whose R^2 is undefined: NaN.
        r_squared(y, design @ estimate) if np.ptp(y) > 0 else float("nan"),
    )  # fmt: skip


def simulate_coefficients(
    X: Any,
    coef: Any,
    intercept: float,
    noise_sd: float,
    n_sims: int = 2000,
    seed: int = 0,
) -> np.ndarray:
    """Refit least squares on ``n_sims`` fresh noise draws, with X held fixed.

    Each simulated target is ``intercept + X @ coef + noise_sd * N(0, 1)``;
    all are fitted in one ``lstsq`` call (one right-hand side per column).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, held fixed across simulations.
    coef : array_like, shape (p,)
        True coefficients.
    intercept : float
        True intercept.
    noise_sd : float
        Standard deviation of the noise (0 gives noiseless targets).
    n_sims : int, default 2000
        Number of simulated data sets.
    seed : int, default 0
        Seed of the noise.

    Returns
    -------
    numpy.ndarray, shape (n_sims, p + 1)
        The fitted coefficients, intercept first, one row per simulation.

    Examples
    --------
    >>> X = np.arange(10.0)[:, None]
    >>> sims = simulate_coefficients(X, [2.0], 1.0, noise_sd=0.0, n_sims=3)
    >>> np.round(sims, 10).tolist()
    [[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]
    """
    X, _ = _check_xy(X, np.zeros(np.shape(X)[0] if np.ndim(X) else 0))
    coef = as_real_vector(coef, "coef", length=X.shape[1])
    intercept = as_real(intercept, "intercept")
    noise_sd = as_real(noise_sd, "noise_sd", minimum=0)
    n_sims = as_integer(n_sims, "n_sims", minimum=1, maximum=100_000)
    seed = as_integer(seed, "seed")
    design = _design(X)
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError("[1, X] is rank-deficient: the coefficients are not unique.")
    noise = noise_sd * np.random.default_rng(seed).standard_normal((X.shape[0], n_sims))
    targets = (intercept + X @ coef)[:, None] + noise
    return np.linalg.lstsq(design, targets, rcond=None)[0].T


def r_squared(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination, ``1 - SSE / SST`` (SST about the mean of y_true).

    1 is a perfect fit; 0 is no better than predicting the mean; negative is
    worse than that (possible on records the model was not fitted on).

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        Observed and predicted values.

    Returns
    -------
    float
        ``1 - SSE / SST``.

    Examples
    --------
    >>> r_squared([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]), r_squared([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    (1.0, 0.0)
    """
    y_true = as_real_vector(y_true, "y_true")
    y_pred = as_real_vector(y_pred, "y_pred", length=y_true.size)
    deviation = y_true - y_true.mean()
    # R^2 is a ratio: both sums are taken in units of the largest deviation,
    # so that squares of tiny (1e-300) or huge values neither underflow to a
    # false "constant" nor overflow.
    unit = float(np.max(np.abs(deviation)))
    if unit == 0:
        raise ValueError(
            "y_true is constant; R^2 is undefined when there is no variance to explain."
        )
    sst = float(np.sum((deviation / unit) ** 2))
    with np.errstate(over="ignore"):
        sse = float(np.sum(((y_true - y_pred) / unit) ** 2))
    return 1.0 - sse / sst


def mse_interval(y_true: Any, y_pred: Any, level: float = 0.95) -> MSEInterval:
    """Mean squared error with a t interval from the spread of the squared errors.

    The test MSE is a mean of ``m`` squared errors; by the central limit
    theorem its standard error is ``sd(e^2) / sqrt(m)``. No normality of the
    errors is assumed, only independent records and enough of them; with
    few records the approximation is rough (the lower end can even fall
    below 0, as in the example).

    Parameters
    ----------
    y_true, y_pred : array_like, shape (m,)
        Observed and predicted values.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    MSEInterval
        The MSE, the ends of its interval, the level and ``m``.

    Examples
    --------
    >>> iv = mse_interval([0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 2.0, 0.0])
    >>> iv.estimate, round(iv.lower, 3), round(iv.upper, 3)
    (1.5, -1.256, 4.256)
    """
    y_true = as_real_vector(y_true, "y_true")
    y_pred = as_real_vector(y_pred, "y_pred", length=y_true.size)
    level = _check_level(level)
    m = y_true.size
    if m < 2:
        raise ValueError("an interval for the MSE needs at least 2 records.")
    squared = (y_true - y_pred) ** 2
    estimate = float(squared.mean())
    half = (
        float(stats.t.ppf(0.5 + level / 2, m - 1))
        * float(squared.std(ddof=1))
        / np.sqrt(m)
    )
    return MSEInterval(
        estimate, float(estimate - half), float(estimate + half), level, m
    )


def _check_omit(omit: Any, p: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(omit, (str, bytes)) or omit is None:
        raise TypeError(
            f"omit must be a column index or a list of column indices; got {omit!r}."
        )
    items = (
        list(np.ravel(omit))
        if np.ndim(omit) == 1
        else [omit]
        if np.ndim(omit) == 0
        else None
    )
    if not items:
        raise ValueError(
            f"omit must be a column index or a non-empty list of them; got {omit!r}."
        )
    omitted = tuple(
        sorted({as_integer(j, "omit", minimum=0, maximum=p - 1) for j in items})
    )
    kept = tuple(j for j in range(p) if j not in omitted)
    if not kept:
        raise ValueError("omit leaves no column in the short model; keep at least one.")
    return omitted, kept


def omitted_variable_bias(X: Any, y: Any, omit: Any) -> OmittedVariableBias:
    """Fit the long and the short model and split the difference.

    With ``delta`` the slopes of the omitted columns regressed on the kept
    ones, ``short = long_kept + delta^T beta_omitted`` holds exactly on the
    sample: the bias of a kept coefficient is the omitted effect times how
    strongly the omitted column moves with the kept one.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    omit : int or sequence of int
        Columns left out of the short model.

    Returns
    -------
    OmittedVariableBias

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> ovb = omitted_variable_bias(data.X, data.y, omit=1)  # leave humidity out
    >>> round(float(ovb.long_coef[0]), 3), round(float(ovb.short_coef[0]), 3)
    (0.324, 0.213)
    >>> bool(np.allclose(ovb.short_coef, ovb.long_coef + ovb.auxiliary.T @ ovb.omitted_coef))
    True
    """
    X, y = _check_xy(X, y)
    omitted, kept = _check_omit(omit, X.shape[1])
    long = fit_least_squares(X, y)
    short = fit_least_squares(X[:, kept], y)
    auxiliary = np.vstack(
        [fit_least_squares(X[:, kept], X[:, j]).coef for j in omitted]
    )
    return OmittedVariableBias(
        kept, long.coef[list(kept)], long.coef[list(omitted)], auxiliary,
        short.coef, short.coef - long.coef[list(kept)],
    )  # fmt: skip


def population_omitted_bias(cov: Any, coef: Any, omit: Any) -> np.ndarray:
    """Bias of the kept coefficients in the population: ``S_kk^{-1} S_ko beta_o``.

    ``cov`` is the covariance matrix of the features and ``coef`` the true
    coefficients; the short regression's coefficients converge to the true
    kept ones plus this bias as the number of records grows.

    Parameters
    ----------
    cov : array_like, shape (p, p)
        Covariance matrix of the features.
    coef : array_like, shape (p,)
        True coefficients.
    omit : int or sequence of int
        The omitted columns.

    Returns
    -------
    numpy.ndarray
        The bias of each kept coefficient, in the order of the kept columns.

    Examples
    --------
    >>> from lib.regression import TRUE_COEF, feature_covariance
    >>> bias = population_omitted_bias(feature_covariance(), TRUE_COEF, omit=1)
    >>> round(float(bias[0]), 6)  # 0.6 * 8 / 6 * (-0.12)
    -0.096
    """
    cov = _as_numeric_array(cov, "cov")
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1] or cov.size == 0:
        raise ValueError(
            f"cov must be a non-empty square matrix; got shape {cov.shape}."
        )
    if not np.all(np.isfinite(cov)) or not np.allclose(cov, cov.T):
        raise ValueError("cov must be finite and symmetric.")
    p = cov.shape[0]
    coef = as_real_vector(coef, "coef", length=p)
    omitted, kept = _check_omit(omit, p)
    s_kk = cov[np.ix_(kept, kept)]
    if np.linalg.matrix_rank(s_kk) < len(kept):
        raise ValueError(
            "the covariance of the kept columns is singular; the bias is not defined."
        )
    return np.linalg.solve(s_kk, cov[np.ix_(kept, omitted)] @ coef[list(omitted)])
