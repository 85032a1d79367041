"""Robust regression: Huber's loss, fitted by iteratively reweighted least squares.

Least squares lets one wild record pull the fit as far as it likes: its
squared residual grows without bound. Huber's loss (Huber 1964) is quadratic
for residuals up to ``epsilon * scale`` and linear beyond, so a far record
pulls with a bounded force. The *scale* sets where "far" begins, and the
result depends on it: :func:`fit_huber` either takes a fixed scale or
re-estimates it from the residuals' median absolute deviation (MAD) at every
iteration (:func:`mad_scale`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from lib._validate import as_integer, as_real, as_real_vector
from lib.regression import _centre, _check_xy, _Design

__all__ = ["HuberFit", "fit_huber", "huber_loss", "mad_scale"]


@dataclass(frozen=True)
class HuberFit:
    """A Huber regression fit ``y = intercept + X @ coef``.

    Attributes
    ----------
    coef : numpy.ndarray
    intercept : float
    scale : float
        The scale used in the last iteration.
    weights : numpy.ndarray
        Final weight of each record, ``min(1, epsilon * scale / |residual|)``:
        1 inside the quadratic zone, smaller for far records.
    n_iter : int

    Examples
    --------
    >>> x = np.arange(10.0)
    >>> y = 1.0 + 2.0 * x + np.array([0.1, -0.1] * 5)
    >>> y[9] = 100.0  # one wild record
    >>> fit = fit_huber(x[:, None], y)
    >>> fit.weights.round(3)  # epsilon * scale / |residual| for the wild one
    array([1.   , 1.   , 1.   , 1.   , 1.   , 1.   , 1.   , 1.   , 1.   , 0.003])
    """

    coef: np.ndarray
    intercept: float
    scale: float
    weights: np.ndarray
    n_iter: int


def _median(values: np.ndarray) -> float:
    """The median, the two middle values averaged without overflow
    (``np.median`` adds them first: inf for two values near 1.8e308)."""
    v = np.sort(values)
    n = v.size
    a, b = float(v[(n - 1) // 2]), float(v[n // 2])
    return a + (b - a) / 2 if (a >= 0) == (b >= 0) else (a + b) / 2


def mad_scale(residuals: Any) -> float:
    """Robust scale: the median absolute deviation times 1.4826.

    The factor ``1 / Phi^{-1}(3/4)`` makes it estimate the standard deviation
    when the residuals are normal; unlike the standard deviation, a few wild
    values barely move it. The deviations are formed from the two middle
    values, ``|(r - a) + (r - b)| / 2``, without rounding the median ``(a + b)
    / 2`` first: on residuals far above their spread (1e8 plus a few units of
    1e-8) a rounded median would shift every deviation. No sum of two large
    values is formed where it could overflow.

    Parameters
    ----------
    residuals : array_like, shape (n,)
        Real numbers, usually the residuals of a fit.

    Returns
    -------
    float
        ``1.4826 * median(|r - median(r)|)``.

    Raises
    ------
    ValueError
        If the scale exceeds the float range (deviations beyond 1.8e308).

    Examples
    --------
    >>> round(mad_scale([1.0, -1.0, 2.0, -2.0, 1000.0]), 4)  # median 1, MAD 2
    2.9652
    >>> round(float(np.std([1.0, -1.0, 2.0, -2.0, 1000.0])), 1)  # the wild value dominates
    400.0
    """
    residuals = as_real_vector(residuals, "residuals")
    # |r - (a + b) / 2| as |(r - a) + (r - b)| / 2, a and b the middle values:
    # the rounded median (a + b) / 2 would shift every deviation by up to
    # eps |median|, the whole spread when the residuals sit on a large offset.
    v = np.sort(residuals)
    a, b = v[(v.size - 1) // 2], v[v.size // 2]
    with np.errstate(over="ignore", invalid="ignore"):
        deviation = np.abs((residuals - a) + (residuals - b)) / 2
        if not np.all(np.isfinite(deviation)):  # a difference beyond 1.8e308: in halves
            deviation = np.abs((residuals / 2 - a / 2) + (residuals / 2 - b / 2))
        out = _median(deviation) / _NORMAL_QUARTILE
    if not np.isfinite(out):
        raise ValueError("the MAD scale of residuals exceeds the float range (deviations beyond 1.8e308).")
    return float(out)


#: Phi^{-1}(3/4): the MAD of a standard normal variable.
_NORMAL_QUARTILE = float(stats.norm.ppf(0.75))


def huber_loss(residuals: Any, scale: float, epsilon: float = 1.345) -> float:
    """Huber's objective ``sum(scale**2 * rho(r / scale))`` with
    ``rho(u) = u**2 / 2`` for ``|u| <= epsilon`` and ``epsilon * |u| - epsilon**2 / 2`` beyond.

    Parameters
    ----------
    residuals : array_like, shape (n,)
        The residuals ``r``.
    scale : float
        The positive scale that divides the residuals.
    epsilon : float, default 1.345
        Where the loss turns from quadratic to linear, in units of ``scale``.

    Returns
    -------
    float
        The objective, summed over the residuals.

    Raises
    ------
    ValueError
        If the objective exceeds the float range (1.8e308).

    Examples
    --------
    >>> huber_loss([0.5, 3.0], scale=1.0, epsilon=1.0)  # 0.125 + (3 - 0.5)
    2.625
    """
    residuals = as_real_vector(residuals, "residuals")
    scale, epsilon = _positive(scale, "scale"), _positive(epsilon, "epsilon")
    # scale**2 * rho(|r| / scale) written in the residuals' own units: dividing
    # by a tiny scale first overflows (|r| = 1e300, scale = 1e-300 gave NaN),
    # and scale**2 underflows, although the loss itself is an ordinary number.
    # a * (a / 2) rather than a**2 / 2: the square of 1.5e154 overflows, its half does not.
    a = np.abs(residuals)
    with np.errstate(over="ignore", invalid="ignore"):
        k = epsilon * scale  # inf: every residual is in the quadratic zone
        terms = np.where(a <= k, a * (0.5 * a), k * (a - 0.5 * k))
        total = float(terms.sum())
    if not np.isfinite(total):
        raise ValueError(
            "the Huber loss of residuals exceeds the float range (1.8e308) at this scale and epsilon."
        )
    return total


def _weights(residual: np.ndarray, k: float) -> np.ndarray:
    """IRLS weights ``min(1, k / |r|)``: 1 in the quadratic zone ``|r| <= k``
    (without dividing there, so that nothing overflows), ``k / |r| < 1`` beyond."""
    a = np.abs(residual)
    far = a > k
    out = np.ones_like(a)
    out[far] = k / a[far]
    return out


def _positive(value: Any, name: str) -> float:
    return as_real(value, name, minimum=0, include_minimum=False)


def fit_huber(
    X: Any,
    y: Any,
    *,
    epsilon: float = 1.345,
    scale: float | str = "mad",
    max_iter: int = 200,
    tol: float = 1e-10,
) -> HuberFit:
    """Huber regression by iteratively reweighted least squares (IRLS).

    Each iteration gives record i the weight ``min(1, epsilon * s / |r_i|)``
    and solves the weighted least-squares problem; with a fixed scale ``s``
    this decreases the convex Huber objective (:func:`huber_loss`) at every
    step and converges to its minimum.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    epsilon : float
        Where the loss turns from quadratic to linear, in units of the scale;
        1.345 keeps 95% of least squares' efficiency for normal noise.
    scale : float or "mad"
        A positive number: that fixed scale. ``"mad"``: the MAD scale
        (:func:`mad_scale`) of the current residuals, re-estimated at every
        iteration, starting from the least-squares residuals.
    max_iter : int
    tol : float
        Stop when no coefficient moves by more than ``tol`` relative to its size
        (at least the size it needs to move y by max|y|: the test is scale-free).

    Returns
    -------
    HuberFit

    Raises
    ------
    ValueError
        If ``[1, X]`` is rank-deficient (the rule of
        :func:`lib.regression.fit_least_squares`, on standardised columns); if
        the MAD of the residuals is 0 (half the records fitted exactly), so
        that the scale rule is undefined; or if IRLS does not converge.

    Examples
    --------
    >>> x = np.arange(10.0)
    >>> y = 1.0 + 2.0 * x + np.array([0.1, -0.1] * 5)
    >>> y[9] = 100.0  # one wild record
    >>> fit = fit_huber(x[:, None], y)
    >>> from lib.regression import fit_least_squares
    >>> round(float(fit.coef[0]), 2), round(float(fit_least_squares(x[:, None], y).coef[0]), 2)
    (2.02, 6.42)
    """
    X, y = _check_xy(X, y)
    epsilon = _positive(epsilon, "epsilon")
    if isinstance(scale, str):
        if scale != "mad":
            raise ValueError(
                f"scale must be a positive number or 'mad'; got {scale!r}."
            )
        fixed = None
    else:
        fixed = _positive(scale, "scale")
    max_iter = as_integer(max_iter, "max_iter", minimum=1, maximum=100_000)
    tol = _positive(tol, "tol")
    # IRLS on the standardised design [1, Z], Z = (X - mean) / sd: the same
    # fitted values as on [1, X], but a weighted least-squares problem whose
    # accuracy does not depend on the features' units. The rank rule is the
    # least-squares one (a Huber fit is unique only where least squares is).
    design = _Design.of(X)
    design.require_full_rank()
    A = np.column_stack([np.ones(X.shape[0]), design.Z])
    centred, y_mean = _centre(y)  # the least-squares start: intercept mean(y) on [1, Z]
    beta = np.r_[y_mean, design.vt.T @ ((design.u.T @ centred) / design.s)]
    # The size a coefficient must have to move y: the floor of the relative
    # step test. A floor of 1 stopped fits of tiny data (y ~ 1e-13) at once.
    y_size = float(np.max(np.abs(y)))
    tiny = np.finfo(float).tiny
    unit = np.maximum(y_size / np.maximum(np.max(np.abs(A), axis=0), tiny), tiny)
    first_scale = None
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - the fit returns the count
        residual = y - A @ beta
        s = fixed if fixed is not None else mad_scale(residual)
        first_scale = s if first_scale is None else first_scale
        if s == 0:
            raise ValueError(
                "the MAD of the residuals is 0 (at least half the records are fitted exactly): "
                "the MAD scale rule is undefined; pass a positive scale."
            )
        weights = _weights(residual, epsilon * s)
        root = np.sqrt(weights)
        new = np.linalg.lstsq(A * root[:, None], y * root, rcond=None)[0]
        converged = np.max(np.abs(new - beta) / np.maximum(np.abs(beta), unit)) <= tol
        beta = new
        if converged:
            break
    else:
        if fixed is None and s < 1e-6 * first_scale:
            # The joint fit is heading for a hyperplane through half the
            # records, where the MAD is 0: more iterations only shrink it.
            raise ValueError(
                f"the MAD scale collapsed from {first_scale:.3g} to {s:.3g} in {max_iter} iterations: "
                "at least half the records lie (nearly) on one hyperplane, where the MAD scale "
                "rule is undefined; pass a positive scale."
            )
        raise ValueError(
            f"IRLS did not converge in {max_iter} iterations; raise max_iter or tol."
        )
    residual = y - A @ beta
    weights = _weights(residual, epsilon * s)
    coef, intercept = design.original_units(beta[1:], beta[0], 0)
    return HuberFit(coef, float(intercept), float(s), weights, n_iter)
