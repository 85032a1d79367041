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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from lib._validate import as_integer, as_real, as_real_matrix, as_real_vector, as_seed
from lib.regression import (
    LinearFit,
    _centre,
    _check_x,
    _check_xy,
    _Design,
    _mean_square,
    _numerical_rank,
    _pow2,
    fit_least_squares,
    predict,
)

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


def ols_inference(X: Any, y: Any, level: float = 0.95) -> OLSInference:
    """Standard errors and t confidence intervals of the least-squares coefficients.

    Under the model ``y = A beta + noise`` with independent noise of equal
    variance, ``Var(beta_hat) = sigma^2 (A^T A)^{-1}``; with normal noise
    ``(beta_hat_j - beta_j) / se_j`` has a t distribution with
    ``n - p - 1`` degrees of freedom.

    ``(A^T A)^{-1}`` is never formed. With ``A = [1, X]`` and the standardised
    features ``Z = (X - mean) / sd = U S V^T`` (centred, so ``[1, Z]`` has
    orthogonal blocks), ``Var(coef_j) = sigma^2 [V S^-2 V^T]_jj / sd_j^2`` and
    ``Var(intercept) = sigma^2 (1 / n + ||S^-1 V^T m||^2)`` with ``m = mean /
    sd``: the same numbers, computed from an SVD whose accuracy does not
    depend on the features' units.

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
        left to estimate the noise), or the design is rank-deficient (the
        rank decided on standardised columns, as in
        :func:`lib.regression.fit_least_squares`).

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
    design = _Design.of(X)
    design.require_full_rank()
    coef, intercept, residual, e = design.least_squares(y)
    estimate = np.r_[intercept, coef]
    # Everything in units of 2**e (y's scale): no square overflows or underflows.
    rss = float(residual @ residual)
    root = np.sqrt(rss / df)  # sigma in units of 2**e
    inv_s = design.vt / design.s[:, None]  # S^-1 V^T
    f, ex = np.frexp(design.sd)
    ratio = np.ldexp(design.mean, -ex) / f  # mean / sd
    with np.errstate(over="ignore"):
        se = np.r_[
            np.ldexp(root * np.sqrt(1.0 / n + np.sum((inv_s @ ratio) ** 2)), e),
            np.ldexp(root * np.sqrt(np.sum(inv_s**2, axis=0)) / f, e - ex),
        ]
        sigma2 = float(np.ldexp(rss / df, 2 * e))
    if not (np.all(np.isfinite(se)) and np.isfinite(sigma2)):
        raise ValueError("the residual variance of y exceeds the float range; rescale y.")
    t = float(stats.t.ppf(0.5 + level / 2, df))
    if np.ptp(y) == 0:
        r2 = float("nan")  # a constant y is a valid fit (every slope 0) whose R^2 is undefined
    else:
        # 1 - RSS / SST in units of 2**e, SST from y centred in two passes.
        sst = float(np.sum(_centre(np.ldexp(y, -e))[0] ** 2))
        r2 = 1.0 - rss / sst
    return OLSInference(estimate, se, estimate - t * se, estimate + t * se, level, sigma2, df, r2)


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
    all are fitted from one SVD of the standardised features (one
    right-hand side per column), as :func:`lib.regression.fit_least_squares`
    fits one.

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
    seed : int or numpy.random.Generator, default 0
        Seed of the noise (an integer >= 0), or a generator to draw from.

    Returns
    -------
    numpy.ndarray, shape (n_sims, p + 1)
        The fitted coefficients, intercept first, one row per simulation.

    Raises
    ------
    ValueError
        If ``[1, X]`` is rank-deficient (decided on standardised columns, as
        in :func:`lib.regression.fit_least_squares`), or a simulated target
        exceeds the float range.

    Examples
    --------
    >>> X = np.arange(10.0)[:, None]
    >>> sims = simulate_coefficients(X, [2.0], 1.0, noise_sd=0.0, n_sims=3)
    >>> np.round(sims, 10).tolist()
    [[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]
    """
    X = _check_x(X)
    coef = as_real_vector(coef, "coef", length=X.shape[1])
    intercept = as_real(intercept, "intercept")
    noise_sd = as_real(noise_sd, "noise_sd", minimum=0)
    n_sims = as_integer(n_sims, "n_sims", minimum=1, maximum=100_000)
    rng = as_seed(seed)
    design = _Design.of(X)
    design.require_full_rank()
    mean = predict(LinearFit(coef, intercept), X)
    with np.errstate(over="ignore", invalid="ignore"):
        targets = mean[:, None] + noise_sd * rng.standard_normal((X.shape[0], n_sims))
    if not np.all(np.isfinite(targets)):
        raise ValueError("noise_sd too large: a simulated target exceeds the float range.")
    slopes, intercepts, _, _ = design.least_squares(targets)
    return np.column_stack([intercepts, slopes.T])


def r_squared(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination, ``1 - SSE / SST`` (SST about the mean of y_true).

    1 is a perfect fit; 0 is no better than predicting the mean; negative is
    worse than that (possible on records the model was not fitted on).

    Both sums are taken in powers of two of their own size, so that neither
    squares of tiny (1e-300) deviations underflow to a false "constant" nor
    squares of large errors overflow.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        Observed and predicted values.

    Returns
    -------
    float
        ``1 - SSE / SST``.

    Raises
    ------
    ValueError
        If ``y_true`` is constant (R^2 is undefined), or ``SSE / SST`` exceeds
        the float range (``y_pred`` is off by more than about 1e154 times the
        spread of ``y_true``: R^2 would be below -1.8e308).

    Examples
    --------
    >>> r_squared([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]), r_squared([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    (1.0, 0.0)
    """
    y_true = as_real_vector(y_true, "y_true")
    y_pred = as_real_vector(y_pred, "y_pred", length=y_true.size)
    if np.ptp(y_true) == 0:
        raise ValueError(
            "y_true is constant; R^2 is undefined when there is no variance to explain."
        )
    e = _pow2(y_true)
    deviation = _centre(np.ldexp(y_true, -e))[0]
    with np.errstate(over="ignore", invalid="ignore"):
        error = np.ldexp(y_true, -e) - np.ldexp(y_pred, -e)
    if not np.all(np.isfinite(error)):
        raise ValueError(
            "y_pred is off by more than 1e308 times the size of y_true: R^2 is below the float range."
        )
    sst, e_t = _mean_square(deviation)
    sse, e_e = _mean_square(error)
    with np.errstate(over="ignore"):
        ratio = float(np.ldexp(np.sum(sse) / np.sum(sst), e_e - e_t))
    if not np.isfinite(ratio):
        raise ValueError(
            "y_pred is off by more than about 1e154 times the spread of y_true: R^2 is below "
            "the float range."
        )
    return 1.0 - ratio


def mse_interval(y_true: Any, y_pred: Any, level: float = 0.95) -> MSEInterval:
    """Mean squared error with a t interval from the spread of the squared errors.

    The test MSE is a mean of ``m`` squared errors; by the central limit
    theorem its standard error is ``sd(e^2) / sqrt(m)``. No normality of the
    errors is assumed, only independent records and enough of them; with
    few records the approximation is rough (the lower end can even fall
    below 0, as in the example). The squares are taken in units of the
    largest error, so that neither they nor their spread (fourth powers)
    overflow or underflow in between.

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

    Raises
    ------
    ValueError
        If there are fewer than 2 records, or the MSE or an end of its
        interval exceeds the float range (1.8e308).

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
    with np.errstate(over="ignore", invalid="ignore"):
        d = y_true - y_pred
    if not np.all(np.isfinite(d)):
        raise ValueError(
            "the mean squared error of y_true and y_pred exceeds the float range (an error beyond 1.8e308)."
        )
    squared, e = _mean_square(d)
    mean = float(squared.mean())
    half = float(stats.t.ppf(0.5 + level / 2, m - 1)) * float(squared.std(ddof=1)) / np.sqrt(m)
    with np.errstate(over="ignore"):
        estimate, lower, upper = (float(np.ldexp(v, e)) for v in (mean, mean - half, mean + half))
    if not all(np.isfinite([estimate, lower, upper])):
        raise ValueError(
            "the mean squared error of y_true and y_pred, or its interval, exceeds the float range."
        )
    return MSEInterval(estimate, lower, upper, level, m)


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

    Features may come in very different units (variances of 1e16 beside
    1e-16), so every test is made on the correlation scale: entry ``(i, j)``
    is compared with ``d_i d_j``, ``d = sqrt(diag(cov))``. The bias is
    computed as ``D^-1 R_kk^-1 R_ko D beta_o`` with ``R = D^-1 cov D^-1`` the
    correlation matrix, which neither overflows nor depends on the units.

    Parameters
    ----------
    cov : array_like, shape (p, p)
        Covariance matrix of the features: symmetric and positive
        semi-definite.
    coef : array_like, shape (p,)
        True coefficients.
    omit : int or sequence of int
        The omitted columns.

    Returns
    -------
    numpy.ndarray
        The bias of each kept coefficient, in the order of the kept columns.

    Raises
    ------
    ValueError
        If ``cov`` is not a covariance matrix: a negative variance; an
        asymmetry ``|cov[i, j] - cov[j, i]|`` above ``1e-10`` times
        ``max(|cov[i, j]|, |cov[j, i]|, d_i d_j)``; a non-zero covariance of a
        feature of variance 0; or a correlation matrix ``R`` with an
        eigenvalue below ``-1e-10`` times its largest (not positive
        semi-definite). Also if the kept features' correlation matrix is
        singular: an eigenvalue of ``R_kk`` at most ``len(kept) * 2.2e-16``
        times the largest (numpy's rank rule, on the standardised matrix), or
        a kept feature of variance 0.

    Examples
    --------
    >>> from lib.regression import TRUE_COEF, feature_covariance
    >>> bias = population_omitted_bias(feature_covariance(), TRUE_COEF, omit=1)
    >>> round(float(bias[0]), 6)  # 0.6 * 8 / 6 * (-0.12)
    -0.096
    >>> population_omitted_bias([[1.0, 2.0], [2.0, 1.0]], [1.0, 1.0], omit=1)
    Traceback (most recent call last):
    ...
    ValueError: cov is not positive semi-definite: its correlation matrix has the eigenvalue -1 (largest 3).
    """
    cov = as_real_matrix(cov, "cov", meaning="features x features")
    if cov.shape[0] != cov.shape[1]:
        raise ValueError(f"cov must be a square matrix (features x features); got shape {cov.shape}.")
    p = cov.shape[0]
    coef = as_real_vector(coef, "coef", length=p)
    omitted, kept = _check_omit(omit, p)
    variance = np.diag(cov).copy()
    if np.any(variance < 0):
        j = int(np.flatnonzero(variance < 0)[0])
        raise ValueError(
            f"cov is not a covariance matrix: the variance cov[{j}, {j}] = {variance[j]:g} is negative."
        )
    d = np.sqrt(variance)
    scale = np.maximum(np.maximum(np.abs(cov), np.abs(cov.T)), d[:, None] * d[None, :])
    asym = np.abs(cov - cov.T) > 1e-10 * scale
    if asym.any():
        i, j = (int(v) for v in np.argwhere(asym)[0])
        raise ValueError(
            f"cov must be symmetric: cov[{i}, {j}] = {cov[i, j]:g} but cov[{j}, {i}] = {cov[j, i]:g} "
            "(tolerance 1e-10 relative to max(|cov[i, j]|, sqrt(cov[i, i] cov[j, j])))."
        )
    live = d > 0
    dead = np.flatnonzero(~live)
    for j in dead:
        if np.any(cov[j] != 0) or np.any(cov[:, j] != 0):
            i = int(np.flatnonzero((cov[j] != 0) | (cov[:, j] != 0))[0])
            raise ValueError(
                f"cov is not positive semi-definite: feature {int(j)} has variance 0 but covariance "
                f"cov[{int(j)}, {i}] = {cov[j, i]:g} with feature {i}."
            )
    # The correlation matrix, symmetrised (its asymmetry is below 1e-10).
    corr = np.eye(p)
    safe = np.where(live, d, 1.0)
    inner = cov / safe[:, None] / safe[None, :]
    corr[np.ix_(live, live)] = ((inner + inner.T) / 2)[np.ix_(live, live)]
    eig = np.linalg.eigvalsh(corr[np.ix_(live, live)]) if live.any() else np.zeros(0)
    if eig.size and eig[0] < -1e-10 * eig[-1]:
        raise ValueError(
            f"cov is not positive semi-definite: its correlation matrix has the eigenvalue {eig[0]:.3g} "
            f"(largest {eig[-1]:.3g})."
        )
    k = list(kept)
    flat = [j for j in k if not live[j]]
    r_kk = corr[np.ix_(k, k)]
    if flat or _numerical_rank(np.linalg.eigvalsh(r_kk), len(k)) < len(k):
        why = (
            f"kept feature {flat[0]} has variance 0"
            if flat
            else "a kept feature is (nearly) a linear combination of the others"
        )
        raise ValueError(
            "the covariance of the kept columns is singular; the bias is not defined "
            f"({why}; rank decided on the correlation matrix, an eigenvalue counting as 0 "
            f"below {len(k)} * 2.2e-16 times the largest)."
        )
    o = list(omitted)
    # R_ko D_o beta_o is unit-free; beta_o is divided by a power of two
    # first (exactly), so that d * beta cannot overflow on the way to a bias
    # that is itself a float.
    unit = 2.0 ** math.frexp(float(np.max(np.abs(coef[o]), initial=0.0)) or 1.0)[1]
    with np.errstate(over="ignore", invalid="ignore"):
        moved = corr[np.ix_(k, o)] @ (d[o] * (coef[o] / unit))
        bias = np.linalg.solve(r_kk, moved) / d[k] * unit
    if not np.all(np.isfinite(bias)):
        raise ValueError(
            "the bias exceeds the float range: coef and cov give kept coefficients beyond 1.8e308."
        )
    return bias
