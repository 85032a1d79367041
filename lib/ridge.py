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

A feature that is constant in the data cannot be standardised and is refused.
A feature that varies in the data but happens to be constant on the training
records of one fold carries no information there: that fold's model gives it
coefficient 0, which is what every positive penalty does to a column of
zeros (the standardised, centred column is 0, so any other coefficient only
adds penalty); penalty 0 (least squares) is refused for such a fold, naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lib._validate import as_integer, as_real, as_real_vector, as_seed
from lib.regression import (
    _RANK_RULE,
    LinearFit,
    _centre,
    _check_xy,
    _Design,
    _mean_squared,
    _pow2,
    predict,
)

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


def _require_ridge_design(design: _Design, shape: tuple[int, int], penalties: np.ndarray,
                          fold: int | None) -> None:  # fmt: skip
    """Refuse a constant feature in the data (it cannot be standardised) and
    penalty 0 on a rank-deficient design (least squares is not unique)."""
    constant = design.sd == 0
    if fold is None and constant.any():
        raise ValueError(
            f"feature {int(np.flatnonzero(constant)[0])} of X is constant; it cannot be standardised "
            "(ridge penalises the standardised coefficients): drop it."
        )
    where = "" if fold is None else f" on the training records of fold {fold} (the records outside it)"
    n, p = shape
    if np.any(penalties == 0) and design.rank < p + 1:
        why = (
            f"feature {int(np.flatnonzero(constant)[0])} is constant there"
            if constant.any()
            else f"{n} records cannot determine {p + 1} coefficients"
            if n < p + 1
            else "a feature is (nearly) a linear combination of the others"
        )
        raise ValueError(
            f"penalty 0 is least squares, which needs a design of full rank, but [1, X] has rank "
            f"{design.rank} of {p + 1}{where} ({why}; {_RANK_RULE}); use a positive penalty"
            + (" or fewer folds." if fold is not None else ".")
        )


def _ridge(X: np.ndarray, y: np.ndarray, penalties: np.ndarray, fold: int | None = None) -> RidgePath:
    """The ridge path of ``y`` on ``X``; ``fold`` names the cross-validation
    fold whose training records these are (None: the data themselves)."""
    design = _Design.of(X)  # Z = (X - mean) / sd = U S V^T
    constant = design.sd == 0
    _require_ridge_design(design, X.shape, penalties, fold)
    exponent = _pow2(y)
    centred, y_mean = _centre(np.ldexp(y, -exponent))
    uty = design.u.T @ centred
    s = design.s
    with np.errstate(divide="ignore", invalid="ignore"):
        # s / (s^2 + penalty): 0 for a zero singular value and a positive penalty.
        shrink = np.where(s[None, :] > 0, s[None, :] / (s[None, :] ** 2 + penalties[:, None]), 0.0)
    w = (shrink * uty[None, :]) @ design.vt
    w[:, constant] = 0.0  # a column of zeros: every positive penalty sets it to 0 exactly
    coef, intercept = design.original_units(w.T, y_mean, exponent)
    with np.errstate(over="ignore"):
        standardised = np.ldexp(w, exponent)
    if not np.all(np.isfinite(standardised)):
        raise ValueError("the ridge coefficients of y exceed the float range.")
    return RidgePath(penalties, standardised, coef.T, np.asarray(intercept, dtype=float))


def ridge_path(X: Any, y: Any, penalties: Any) -> RidgePath:
    """Ridge coefficients for every penalty, from one SVD of the standardised design.

    With ``Z = U S V^T`` (Z the standardised features) and ``y_c`` the centred
    target, the minimiser of ``||y_c - Z w||^2 + penalty * ||w||^2`` is
    ``w = V diag(s / (s^2 + penalty)) U^T y_c``: each singular direction is
    shrunk by ``s^2 / (s^2 + penalty)``, the weakest directions most. Since
    every column of ``Z`` has mean 0 and standard deviation 1 whatever the
    feature's unit, the penalty means the same for a feature in units of 1e8
    as for one in units of 1e-8 (and ``||Z_j||^2 = n`` sets its scale).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    penalties : array_like of float >= 0
        Penalty 0 is least squares (which needs a design of full rank, decided
        on the standardised columns as in
        :func:`lib.regression.fit_least_squares`).

    Returns
    -------
    RidgePath

    Raises
    ------
    ValueError
        If a feature is constant (it cannot be standardised), or a penalty is
        0 and ``[1, X]`` is rank-deficient.

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
    return _ridge(X, y, _check_penalties(penalties))


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

    A feature that varies in the data but is constant on the training
    records of a fold (a rare value that falls in one fold) gets coefficient
    0 in that fold's model: its standardised, centred column is 0 there, and
    every positive penalty then sets its coefficient to 0 (anything else
    only adds penalty). With penalty 0 such a fold has no unique least-squares
    fit, and the error names the fold.

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
    seed : int or numpy.random.Generator, default 0
        Seed of the shuffle into folds (an integer >= 0), or a generator to
        draw from.

    Returns
    -------
    RidgeCV
        The cross-validated MSE of each penalty, its standard error, the best
        penalty and each record's fold.

    Raises
    ------
    ValueError
        If a feature is constant in the data, or a penalty is 0 and the
        training records of a fold give a rank-deficient design (the error
        names the fold and, for a constant feature, the feature).

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
    rng = as_seed(seed)
    constant = np.flatnonzero(np.ptp(X, axis=0) == 0)
    if constant.size:
        raise ValueError(
            f"feature {int(constant[0])} of X is constant; it cannot be standardised "
            "(ridge penalises the standardised coefficients): drop it."
        )
    fold = np.empty(len(y), dtype=int)
    fold[rng.permutation(len(y))] = np.arange(len(y)) % n_folds
    errors = np.empty((n_folds, penalties.size))
    for k in range(n_folds):
        train, valid = fold != k, fold == k
        path = _ridge(X[train], y[train], penalties, fold=k)
        for j in range(penalties.size):
            fit = LinearFit(path.coef[j], float(path.intercept[j]))
            errors[k, j] = _mean_squared(y[valid], predict(fit, X[valid]), "a validation fold")
    with np.errstate(over="ignore", invalid="ignore"):
        cv_mse = errors.mean(axis=0)
        cv_se = errors.std(axis=0, ddof=1) / np.sqrt(n_folds)
        if not (np.all(np.isfinite(cv_mse)) and np.all(np.isfinite(cv_se))):
            # In units of the largest error, so that the sums cannot overflow.
            unit = float(np.max(errors))
            cv_mse = (errors / unit).mean(axis=0) * unit
            cv_se = (errors / unit).std(axis=0, ddof=1) / np.sqrt(n_folds) * unit
    if not (np.all(np.isfinite(cv_mse)) and np.all(np.isfinite(cv_se))):
        raise ValueError("the cross-validated mean squared error exceeds the float range.")
    return RidgeCV(penalties, cv_mse, cv_se, float(penalties[np.argmin(cv_mse)]), fold)
