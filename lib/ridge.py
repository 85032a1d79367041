"""Ridge regression (Hoerl and Kennard 1970): a penalty for nearly collinear designs.

When two features nearly repeat each other, least squares can trade a large
positive coefficient on one against a large negative one on the other at
almost no cost in fit: the coefficients become unstable (large standard
errors) although the predictions are fine. Ridge adds ``penalty * ||w||^2``
to the squared error, which shrinks the unstable direction first.

The penalty acts on the *standardised* features (mean 0, standard deviation
1; the intercept is not penalised), so that it treats every feature alike
whatever its unit; coefficients are reported on the original scale too.

* :func:`ridge_path` -- the coefficients for many penalties, from one SVD;
* :func:`fit_ridge` -- one penalty;
* :func:`ridge_cv` -- the penalty chosen by K-fold cross-validation, with the
  standardisation learnt on each training fold only (no leak from the
  validation fold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lib._validate import as_integer, as_real, as_real_vector
from lib.regression import LinearFit, _check_xy

__all__ = ["RidgeCV", "RidgePath", "fit_ridge", "ridge_cv", "ridge_path"]


@dataclass(frozen=True)
class RidgePath:
    """Ridge coefficients for a sequence of penalties.

    Attributes
    ----------
    penalties : numpy.ndarray, shape (k,)
    standardised_coef : numpy.ndarray, shape (k, p)
        Coefficients on the standardised features (what the penalty shrinks).
    coef : numpy.ndarray, shape (k, p)
        The same coefficients on the original feature scale.
    intercept : numpy.ndarray, shape (k,)

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> path = ridge_path(data.X, data.y, [0.0, 10.0])
    >>> path.coef.shape, path.intercept.shape
    ((2, 5), (2,))
    """

    penalties: np.ndarray
    standardised_coef: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray


@dataclass(frozen=True)
class RidgeCV:
    """Cross-validated ridge.

    Attributes
    ----------
    penalties : numpy.ndarray
    cv_mse : numpy.ndarray
        Mean over folds of the validation MSE, one per penalty.
    cv_se : numpy.ndarray
        Standard error of that mean (the spread over folds / sqrt(K)).
    best_penalty : float
        The penalty with the smallest ``cv_mse``.
    fold : numpy.ndarray of int
        The fold (0 to K-1) of each record.

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> cv = ridge_cv(data.X, data.y, [0.0, 1.0, 1e4])
    >>> cv.cv_mse.shape, sorted(set(cv.fold.tolist()))
    ((3,), [0, 1, 2, 3, 4])
    """

    penalties: np.ndarray
    cv_mse: np.ndarray
    cv_se: np.ndarray
    best_penalty: float
    fold: np.ndarray


def _check_penalties(penalties: Any) -> np.ndarray:
    penalties = as_real_vector(penalties, "penalties")
    if np.any(penalties < 0):
        raise ValueError("penalties must be >= 0.")
    return penalties


def _standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, sd = X.mean(axis=0), X.std(axis=0)
    if np.any(sd == 0):
        raise ValueError("a feature is constant; it cannot be standardised.")
    return (X - mean) / sd, mean, sd


def ridge_path(X: Any, y: Any, penalties: Any) -> RidgePath:
    """Ridge coefficients for every penalty, from one SVD of the standardised design.

    With ``Z = U S V^T`` (Z the standardised features) and ``y_c`` the centred
    target, the minimiser of ``||y_c - Z w||^2 + penalty * ||w||^2`` is
    ``w = V diag(s / (s^2 + penalty)) U^T y_c``: each singular direction is
    shrunk by ``s^2 / (s^2 + penalty)``, the weakest directions most.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    penalties : array_like of float >= 0
        Penalty 0 is least squares (which needs a design of full rank).

    Returns
    -------
    RidgePath

    Examples
    --------
    >>> from lib.regression import fit_least_squares, make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> path = ridge_path(data.X, data.y, [0.0, 1e6])
    >>> bool(np.allclose(path.coef[0], fit_least_squares(data.X, data.y).coef))
    True
    >>> bool(np.all(np.abs(path.standardised_coef[1]) < 0.01))  # a huge penalty shrinks all to 0
    True
    """
    X, y = _check_xy(X, y)
    penalties = _check_penalties(penalties)
    Z, mean, sd = _standardise(X)
    u, s, vt = np.linalg.svd(Z, full_matrices=False)
    if np.any(penalties == 0) and (s.size < X.shape[1] or s[-1] <= s[0] * 1e-12):
        raise ValueError(
            "penalty 0 is least squares, which needs a design of full rank; use a positive penalty."
        )
    uty = u.T @ (y - y.mean())
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = s[None, :] / (s[None, :] ** 2 + penalties[:, None])
    standardised = (shrink * uty[None, :]) @ vt
    coef = standardised / sd[None, :]
    return RidgePath(penalties, standardised, coef, y.mean() - coef @ mean)


def fit_ridge(X: Any, y: Any, penalty: float) -> LinearFit:
    """Ridge regression with one penalty, on standardised features (see :func:`ridge_path`).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.
    penalty : float
        The non-negative ridge penalty (on the standardised coefficients).

    Returns
    -------
    LinearFit
        Coefficients and intercept on the original feature scale.

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> fit = fit_ridge(data.X, data.y, 10.0)
    >>> fit.coef.shape
    (5,)
    """
    path = ridge_path(X, y, [as_real(penalty, "penalty", minimum=0)])
    return LinearFit(path.coef[0], float(path.intercept[0]))


def ridge_cv(
    X: Any, y: Any, penalties: Any, n_folds: int = 5, seed: int = 0
) -> RidgeCV:
    """Choose the ridge penalty by K-fold cross-validation.

    The records are shuffled (seeded) into ``n_folds`` folds of near-equal
    size. For each fold, the standardisation and the ridge fit are learnt on
    the other folds and the squared error is measured on this one.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.
    penalties : array_like
        The non-negative penalties to compare.
    n_folds : int, default 5
        Number of folds K.
    seed : int, default 0
        Seed of the shuffle into folds.

    Returns
    -------
    RidgeCV
        The cross-validated MSE of each penalty, its standard error, the best
        penalty and each record's fold.

    Examples
    --------
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(200, seed=0)
    >>> cv = ridge_cv(data.X, data.y, [0.0, 1.0, 1e4])
    >>> cv.best_penalty < 1e4, cv.cv_mse.shape
    (True, (3,))
    """
    X, y = _check_xy(X, y)
    penalties = _check_penalties(penalties)
    n_folds = as_integer(n_folds, "n_folds", minimum=2, maximum=len(y))
    seed = as_integer(seed, "seed")
    fold = np.empty(len(y), dtype=int)
    fold[np.random.default_rng(seed).permutation(len(y))] = np.arange(len(y)) % n_folds
    errors = np.empty((n_folds, penalties.size))
    for k in range(n_folds):
        train, valid = fold != k, fold == k
        path = ridge_path(X[train], y[train], penalties)
        pred = path.intercept[:, None] + path.coef @ X[valid].T
        errors[k] = np.mean((pred - y[valid][None, :]) ** 2, axis=1)
    cv_mse = errors.mean(axis=0)
    cv_se = errors.std(axis=0, ddof=1) / np.sqrt(n_folds)
    return RidgeCV(penalties, cv_mse, cv_se, float(penalties[np.argmin(cv_mse)]), fold)
