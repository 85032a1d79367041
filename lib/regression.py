"""Least-squares quality prediction (seed 002, §4 数学模型 and §5 项目实践).

* :func:`make_quality_data` generates the manufacturing data set the article
  describes but does not provide: 200 records of process variables and a
  quality index, from known true coefficients plus noise.
* :func:`fit_least_squares` is the closed form, computed from the SVD of the
  standardised features (an orthogonal factorisation), never an explicit
  inverse; its rank is decided on those standardised columns, so that the
  units of the features do not matter.
* :func:`fit_gradient_descent` is the article's own recipe (full-batch Adam,
  learning rate 0.01, 1000 epochs) or plain gradient descent, in numpy, with
  feature scaling and target centring as two separate switches.
* :func:`feature_covariance` is the population covariance of the generated
  variables (for the omitted-variable bias in the population).

Inference, robust and ridge fits of the same model are in
:mod:`lib.inference`, :mod:`lib.robust` and :mod:`lib.ridge`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lib._validate import (
    _as_numeric_array,
    as_bool,
    as_choice,
    as_integer,
    as_probability,
    as_real,
    as_real_matrix,
    as_real_vector,
    as_seed,
)

__all__ = [
    "FEATURES",
    "HUMIDITY_CORRELATION",
    "MAX_ROWS",
    "GradientFit",
    "LinearFit",
    "QualityData",
    "design_condition_number",
    "feature_covariance",
    "fit_gradient_descent",
    "fit_least_squares",
    "make_quality_data",
    "mean_squared_error",
    "predict",
    "train_test_split",
]

#: Process variables of the generated data: (name, unit, mean, standard deviation).
#: The article names temperature, humidity and pressure "and so on" (§4.3) and
#: uses vibration in its code (§5.2); line speed is the fifth variable.
FEATURES = (
    ("temperature", "deg C", 210.0, 6.0),
    ("humidity", "%", 45.0, 8.0),
    ("pressure", "bar", 6.5, 0.4),
    ("vibration", "mm/s", 1.8, 0.5),
    ("line_speed", "m/min", 32.0, 3.0),
)
#: The true model behind the generated data: quality index = intercept + coef @ x + noise.
TRUE_INTERCEPT = 20.0
TRUE_COEF = (0.30, -0.12, 4.0, -3.5, 0.25)
#: Correlation of humidity with temperature in the generated data (positive).
HUMIDITY_CORRELATION = 0.6
#: Largest number of rows the fitting functions accept.
MAX_ROWS = 20_000_000


@dataclass(frozen=True)
class QualityData:
    """A generated manufacturing data set.

    Attributes
    ----------
    X : numpy.ndarray, shape (n, 5)
        Process variables, columns in the order of :data:`FEATURES`.
    y : numpy.ndarray, shape (n,)
        Quality index.
    feature_names : tuple of str
    true_coef : numpy.ndarray
    true_intercept : float
    noise_sd : float

    Examples
    --------
    >>> data = make_quality_data(200, seed=0)
    >>> data.X.shape, data.feature_names[:2], data.noise_sd
    ((200, 5), ('temperature', 'humidity'), 1.0)
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    true_coef: np.ndarray
    true_intercept: float
    noise_sd: float


@dataclass(frozen=True)
class LinearFit:
    """Coefficients of a fitted linear model ``y = intercept + X @ coef``.

    Attributes
    ----------
    coef : numpy.ndarray, shape (p,)
        One coefficient per feature.
    intercept : float
        The intercept.

    Examples
    --------
    >>> fit = fit_least_squares([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])  # y = 1 + 2 x exactly
    >>> fit.coef, round(fit.intercept, 12)
    (array([2.]), 1.0)
    """

    coef: np.ndarray
    intercept: float


@dataclass(frozen=True)
class GradientFit:
    """A linear model fitted by an iterative method.

    ``loss_history[t]`` is the training mean squared error after epoch t, on
    the original scale of the data; ``coef`` and ``intercept`` are on the
    original feature scale even when the features were standardised.

    Attributes
    ----------
    coef : numpy.ndarray, shape (p,)
        One coefficient per feature.
    intercept : float
        The intercept.
    loss_history : numpy.ndarray, shape (epochs,)
        The training MSE after each epoch.
    method : str
        ``"adam"`` or ``"gd"``.

    Examples
    --------
    >>> fit = fit_gradient_descent([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0], method="gd", lr=0.1, epochs=2000)
    >>> fit.coef.round(6), round(fit.intercept, 6), fit.method, fit.loss_history.shape
    (array([2.]), 1.0, 'gd', (2000,))
    """

    coef: np.ndarray
    intercept: float
    loss_history: np.ndarray
    method: str


def _generated(values: np.ndarray, name: str) -> np.ndarray:
    """``values`` when every entry is finite; otherwise a ValueError naming
    the argument that made the generated data leave the float range."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} too large: the generated data would exceed the float range.")
    return values


def make_quality_data(
    n: int = 200,
    seed: int = 0,
    noise_sd: float = 1.0,
    *,
    temperature_curvature: float = 0.0,
    second_sensor_sd: float | None = None,
    humidity_correlation: float = HUMIDITY_CORRELATION,
) -> QualityData:
    """Generate ``n`` production records with a known linear quality model.

    Each process variable is normal with the mean and standard deviation of
    :data:`FEATURES`; humidity is *positively* correlated with temperature
    (correlation +0.6 by default, see :func:`feature_covariance`), so that leaving
    humidity out of the model biases the temperature coefficient. The quality
    index is ``TRUE_INTERCEPT + X @ TRUE_COEF`` plus normal noise.

    ``humidity_correlation`` changes that correlation (an assumption a
    student can vary). Two departures from the linear model, both off by
    default, serve the chapter's diagnostics: ``temperature_curvature = c`` subtracts
    ``c * (temperature - 210)**2`` from the quality index (a nonlinear effect
    a linear model misses), and ``second_sensor_sd = s`` appends a sixth
    column, ``temperature_2``, a second temperature sensor reading the same
    temperature plus normal noise of standard deviation ``s`` (true
    coefficient 0: a nearly collinear design).

    Parameters
    ----------
    n : int
        Number of records (the article's example has 200), from 1 to
        :data:`MAX_ROWS`.
    seed : int or numpy.random.Generator
        Seed of the random generator (an integer >= 0: the same seed gives
        the same data), or a generator to draw from.
    noise_sd : float
        Standard deviation of the measurement noise of the quality index.
    temperature_curvature : float
        Curvature of a quadratic temperature effect (0: none).
    second_sensor_sd : float or None
        Noise of a redundant second temperature sensor (None: no such column).
    humidity_correlation : float
        Correlation of humidity with temperature, from -1 to 1.

    Returns
    -------
    QualityData

    Examples
    --------
    >>> data = make_quality_data(200, seed=1)
    >>> data.X.shape, data.y.shape, data.feature_names[0]
    ((200, 5), (200,), 'temperature')
    >>> bool(np.all(make_quality_data(5, seed=3).y == make_quality_data(5, seed=3).y))
    True
    """
    n = as_integer(n, "n", minimum=1, maximum=MAX_ROWS)
    rng = as_seed(seed)
    noise_sd = as_real(noise_sd, "noise_sd", minimum=0.0)
    temperature_curvature = as_real(temperature_curvature, "temperature_curvature")
    if second_sensor_sd is not None:
        second_sensor_sd = as_real(second_sensor_sd, "second_sensor_sd", minimum=0, include_minimum=False)
    rho = as_real(humidity_correlation, "humidity_correlation", minimum=-1, maximum=1)
    means = np.array([f[2] for f in FEATURES])
    sds = np.array([f[3] for f in FEATURES])
    z = rng.standard_normal((n, len(FEATURES)))
    z[:, 1] = rho * z[:, 0] + np.sqrt(1 - rho**2) * z[:, 1]
    X = means + sds * z
    coef = np.array(TRUE_COEF)
    with np.errstate(over="ignore", invalid="ignore"):  # beyond the float range: refused
        noise = _generated(noise_sd * rng.standard_normal(n), "noise_sd")
        curve = _generated(temperature_curvature * (X[:, 0] - means[0]) ** 2, "temperature_curvature")
        y = _generated(TRUE_INTERCEPT + X @ coef + noise - curve, "noise_sd and temperature_curvature")
    names = tuple(f[0] for f in FEATURES)
    if second_sensor_sd is not None:
        # Drawn after the noise, so the first five columns and y do not change.
        with np.errstate(over="ignore", invalid="ignore"):
            second = _generated(X[:, 0] + second_sensor_sd * rng.standard_normal(n), "second_sensor_sd")
        X = np.column_stack([X, second])
        names, coef = names + ("temperature_2",), np.append(coef, 0.0)
    return QualityData(X, y, names, coef, TRUE_INTERCEPT, float(noise_sd))


def feature_covariance(humidity_correlation: float = HUMIDITY_CORRELATION) -> np.ndarray:
    """Population covariance matrix of the five process variables of
    :func:`make_quality_data` (columns in the order of :data:`FEATURES`).

    Only temperature and humidity are correlated (correlation
    ``humidity_correlation``, by default :data:`HUMIDITY_CORRELATION`); the
    others are independent.

    Parameters
    ----------
    humidity_correlation : float, default HUMIDITY_CORRELATION
        Correlation of temperature and humidity.

    Returns
    -------
    numpy.ndarray, shape (5, 5)
        The covariance matrix.

    Examples
    --------
    >>> cov = feature_covariance()
    >>> round(float(cov[0, 1]), 12), float(cov[0, 0])  # 0.6 * 6 * 8, and 6 ** 2
    (28.8, 36.0)
    >>> bool(np.allclose(np.cov(make_quality_data(200_000, seed=1).X.T), cov, rtol=0.02, atol=0.2))
    True
    """
    sds = np.array([f[3] for f in FEATURES])
    corr = np.eye(len(FEATURES))
    corr[0, 1] = corr[1, 0] = as_real(humidity_correlation, "humidity_correlation", minimum=-1, maximum=1)
    return sds[:, None] * corr * sds[None, :]


def _check_x(X: Any) -> np.ndarray:
    X = as_real_matrix(X, "X", meaning="records x features")
    if X.shape[0] > MAX_ROWS:
        raise ValueError(f"X has {X.shape[0]} rows; at most {MAX_ROWS} are accepted.")
    return X


def _check_xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = _check_x(X)
    return X, as_real_vector(y, "y", length=X.shape[0])


# ------------------------------------------------ scales, standardisation, rank
#
# Features come in their own units (1e8 beside 1e-8), so nothing below compares
# a column with a tolerance taken from another column or from the whole
# matrix: each column is first divided by a power of two (exact), centred and
# divided by its standard deviation, and the rank is decided there.

_EPS = float(np.finfo(float).eps)

#: The one rule for the rank of a design, quoted in every error about it.
_RANK_RULE = (
    "rank decided on standardised columns, each feature centred and divided by its "
    "standard deviation so that its unit does not matter; a singular value counts as 0 "
    "below max(n, p + 1) * 2.2e-16 times the largest"
)


def _pow2(values: np.ndarray) -> int:
    """The exponent ``e`` with ``max|values| < 2**e`` (0 if all are 0):
    dividing by ``2**e`` is exact and brings every entry below 1 in size."""
    top = float(np.max(np.abs(values), initial=0.0))
    return int(np.frexp(top)[1]) if top > 0 else 0


def _centre(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values - mean`` along axis 0, and the mean, in two passes: the second
    removes the rounding of the first mean (of the order of the mean, which
    may dwarf the spread), so that the centred columns sum to 0 to rounding
    of their own size."""
    mean = values.mean(axis=0)
    centred = values - mean
    shift = centred.mean(axis=0)
    return centred - shift, mean + shift


def _standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Z, mean, sd`` with ``Z = (X - mean) / sd`` column by column (sd the
    population standard deviation). Each column is first divided by a power of
    two, so that nothing overflows and nothing is rounded by the scaling. A
    constant column has ``sd == 0`` and a zero column in ``Z``."""
    e = np.frexp(np.max(np.abs(X), axis=0))[1]
    centred, mean = _centre(np.ldexp(X, -e))
    centred[:, np.ptp(X, axis=0) == 0] = 0.0
    sd = np.sqrt(np.mean(centred * centred, axis=0))
    Z = np.divide(centred, sd, out=np.zeros_like(centred), where=sd > 0)
    return Z, np.ldexp(mean, e), np.ldexp(sd, e)


def _numerical_rank(values: np.ndarray, size: int) -> int:
    """How many singular values (or eigenvalues of a positive semi-definite
    matrix) exceed ``size * eps`` times the largest: numpy's ``matrix_rank``
    rule, which lib applies to standardised matrices only (:data:`_RANK_RULE`)."""
    values = np.asarray(values, dtype=float)
    top = float(np.max(values, initial=0.0))
    return int(np.sum(values > size * _EPS * top)) if top > 0 else 0


@dataclass(frozen=True)
class _Design:
    """The standardised features ``Z = (X - mean) / sd`` and the SVD
    ``Z = u diag(s) vt``. Since ``Z`` is centred, ``[1, X]`` has full rank
    exactly when ``Z`` does: ``rank([1, X]) = 1 + rank(Z)``."""

    Z: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    u: np.ndarray
    s: np.ndarray
    vt: np.ndarray

    @classmethod
    def of(cls, X: np.ndarray) -> _Design:
        Z, mean, sd = _standardise(X)
        u, s, vt = np.linalg.svd(Z, full_matrices=False)
        return cls(Z, mean, sd, u, s, vt)

    @property
    def rank(self) -> int:
        """The rank of ``[1, X]`` by :data:`_RANK_RULE`."""
        n, p = self.Z.shape
        return 1 + _numerical_rank(self.s, max(n, p + 1))

    def require_full_rank(self, name: str = "X") -> None:
        """Raise the rank error unless ``[1, X]`` has full column rank."""
        n, p = self.Z.shape
        rank = self.rank
        if rank == p + 1:
            return
        constant = np.flatnonzero(self.sd == 0)
        if constant.size:
            why = f"feature {int(constant[0])} of {name} is constant, so it repeats the intercept"
        elif n < p + 1:
            why = f"{n} records cannot determine {p + 1} coefficients"
        else:
            why = (
                "a feature is (nearly) a linear combination of the others: the standardised "
                f"condition number is {self.s[0] / self.s[-1] if self.s[-1] > 0 else np.inf:.3g}"
            )
        raise ValueError(
            f"[1, {name}] has rank {rank} but {p + 1} columns ({_RANK_RULE}): the "
            f"least-squares coefficients are not unique ({why})."
        )

    def original_units(
        self, w: np.ndarray, y_mean: Any, exponent: int
    ) -> tuple[np.ndarray, Any]:
        """Coefficients and intercept on the original scale of the model whose
        standardised coefficients are ``w * 2**exponent`` and whose target has
        mean ``y_mean * 2**exponent``: ``coef = w / sd`` and ``intercept =
        mean(y) - coef @ mean``, computed in powers of two so that only a
        result beyond the float range can overflow (and is refused)."""
        f, e = np.frexp(self.sd)
        f = np.where(self.sd > 0, f, 1.0)  # a constant column's coefficient is w = 0
        shape = (-1,) + (1,) * (np.ndim(w) - 1)
        ratio = w / f.reshape(shape)
        with np.errstate(over="ignore", invalid="ignore"):
            coef = np.ldexp(ratio, exponent - e.reshape(shape))
            intercept = np.ldexp(y_mean - np.ldexp(self.mean, -e) @ ratio, exponent)
        if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(intercept))):
            raise ValueError(
                "the coefficients of y on X exceed the float range (y is of the order of "
                f"1e{exponent * np.log10(2.0):.0f}, and a feature of X has a standard deviation "
                f"of {float(np.min(self.sd[self.sd > 0])):.3g})."
            )
        return coef, intercept

    def least_squares(self, y: np.ndarray) -> tuple[np.ndarray, Any, np.ndarray, int]:
        """``coef, intercept, residual_scaled, exponent`` of the least-squares
        fit of ``y`` (one target per column if 2-D); the residuals are
        ``residual_scaled * 2**exponent`` (so that they cannot overflow)."""
        exponent = _pow2(y)
        centred, y_mean = _centre(np.ldexp(y, -exponent))
        uty = self.u.T @ centred
        w = self.vt.T @ (uty / self.s.reshape((-1,) + (1,) * (y.ndim - 1)))
        residual = centred - self.Z @ w
        coef, intercept = self.original_units(w, y_mean, exponent)
        return coef, intercept, residual, exponent


def _scaled_dot(X: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    """``intercept + X @ coef`` row by row with every term written as a
    mantissa times a power of two and the sum taken in units of the row's
    largest term: an intermediate product beyond 1.8e308 does not overflow."""
    mx, ex = np.frexp(X)
    mc, ec = np.frexp(coef)
    mb, eb = np.frexp(intercept)
    exps = ex + ec[None, :]
    top = np.maximum(np.max(exps, axis=1, initial=int(eb)), eb)
    total = np.sum(np.ldexp(mx * mc[None, :], exps - top[:, None]), axis=1) + np.ldexp(mb, eb - top)
    with np.errstate(over="ignore"):
        return np.ldexp(total, top)


def _mean_square(d: np.ndarray) -> tuple[np.ndarray, int]:
    """``(q, 2 e)`` with ``d**2 = q * 2**(2 e)``: the squares in units of the
    largest, which neither overflow nor (but for entries below 1e-154 of
    the largest, whose squares do not count) underflow."""
    e = _pow2(d)
    q = np.ldexp(d, -e)
    return q * q, 2 * e


def train_test_split(
    X: Any, y: Any, test_fraction: float = 0.2, seed: int = 42
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random split into training and test sets (seeded).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.
    test_fraction : float, default 0.2
        Share of the records put in the test set.
    seed : int or numpy.random.Generator, default 42
        Seed of the shuffle (an integer >= 0), or a generator to draw from.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        The two sets, in the order of scikit-learn's ``train_test_split``.

    Examples
    --------
    >>> X_tr, X_te, y_tr, y_te = train_test_split(np.ones((10, 2)), np.arange(10.0))
    >>> X_tr.shape, X_te.shape
    ((8, 2), (2, 2))
    """
    X, y = _check_xy(X, y)
    test_fraction = as_probability(test_fraction, "test_fraction", include_zero=False, include_one=False)
    rng = as_seed(seed)
    n_test = int(round(test_fraction * len(y)))
    if not 1 <= n_test < len(y):
        raise ValueError(
            f"test_fraction = {test_fraction} leaves an empty set for {len(y)} rows "
            f"(round(test_fraction * {len(y)}) = {n_test} test records)."
        )
    order = rng.permutation(len(y))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def fit_least_squares(X: Any, y: Any) -> LinearFit:
    """Least squares with an intercept, from the SVD of the standardised features.

    With ``Z = (X - mean) / sd`` (each feature centred and divided by its
    standard deviation) and ``y_c`` the centred target, ``w`` minimises
    ``||y_c - Z w||``; then ``coef = w / sd`` and ``intercept = mean(y) -
    coef @ mean``. This is least squares on ``[1, X]`` (centring separates the
    intercept exactly), computed by an orthogonal factorisation (an SVD),
    whose error grows with the condition number of ``Z``, where forming
    ``X^T X`` (as the article's formula does) squares it. Standardising first
    makes the result independent of the features' units: a feature in units
    of 1e8 beside one in units of 1e-8 is as well determined as two in the
    same unit.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.

    Returns
    -------
    LinearFit
        The least-squares coefficients and intercept.

    Raises
    ------
    ValueError
        If the design ``[1, X]`` is rank-deficient (a constant or repeated
        feature, or fewer records than coefficients): the coefficients are then
        not unique. The rank is decided on the standardised columns: a
        singular value of ``Z`` counts as 0 when it is below
        ``max(n, p + 1) * 2.2e-16`` times the largest. Also if the
        coefficients exceed the float range.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> fit = fit_least_squares(X, 1.0 + 2.0 * X[:, 0])
    >>> np.round(fit.coef, 12), round(fit.intercept, 12)
    (array([2.]), 1.0)
    >>> X = np.array([[1e8, 3e-8], [2e8, 1e-8], [4e8, 2e-8], [3e8, 5e-8]])  # two units
    >>> fit = fit_least_squares(X, X @ [1e-8, 1e8] + 1.0)
    >>> np.round(fit.coef * [1e8, 1e-8], 9), round(fit.intercept, 9)
    (array([1., 1.]), 1.0)
    """
    X, y = _check_xy(X, y)
    design = _Design.of(X)  # Z = (X - mean) / sd and its SVD Z = U S V^T
    design.require_full_rank()  # the rank of [1, X] is 1 + the rank of Z
    coef, intercept, _, _ = design.least_squares(y)  # w = V S^-1 U^T y_c, coef = w / sd
    return LinearFit(coef, float(intercept))


def predict(fit: LinearFit | GradientFit, X: Any) -> np.ndarray:
    """Predictions ``intercept + X @ coef``.

    Parameters
    ----------
    fit : LinearFit or GradientFit
        A fitted linear model (any object with ``coef`` and ``intercept``,
        such as :class:`lib.robust.HuberFit`).
    X : array_like, shape (n, p)
        Features, one row per record.

    Returns
    -------
    numpy.ndarray, shape (n,)
        One prediction per record.

    Raises
    ------
    ValueError
        If a prediction exceeds the float range (an intermediate product
        that does, such as ``1e200 * 1e200 - 1e200 * 1e200``, is summed in
        scaled units and does not count), or the fit holds NaN or infinity
        (a diverged gradient fit).

    Examples
    --------
    >>> predict(LinearFit(np.array([2.0]), 1.0), [[0.0], [1.0]])
    array([1., 3.])
    """
    if not (hasattr(fit, "coef") and hasattr(fit, "intercept")):
        raise TypeError(
            "fit must be a fitted linear model with coef and intercept (a LinearFit, "
            f"GradientFit or HuberFit); got {type(fit).__name__}."
        )
    coef = as_real_vector(fit.coef, "fit.coef")
    intercept = as_real(fit.intercept, "fit.intercept")
    raw = _as_numeric_array(X, "X")
    if raw.ndim == 2 and raw.shape == (0, coef.size):
        return np.zeros(0)
    X = as_real_matrix(X, "X", meaning="records x features")
    if X.shape[1] != coef.size:
        raise ValueError(f"X must have shape (n, {coef.size}), one column per coefficient; got {X.shape}.")
    with np.errstate(over="ignore", invalid="ignore"):
        out = intercept + X @ coef
    bad = ~np.isfinite(out)
    if bad.any():
        out[bad] = _scaled_dot(X[bad], coef, intercept)
        if not np.all(np.isfinite(out)):
            row = int(np.flatnonzero(~np.isfinite(out))[0])
            raise ValueError(
                f"the prediction for record {row} of X exceeds the float range "
                "(intercept + X @ coef beyond 1.8e308)."
            )
    return out


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """Mean of the squared errors.

    The squares are taken in units of the largest error, so that errors of
    1e200 or 1e-200 neither overflow nor underflow in between.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        Observed and predicted values.

    Returns
    -------
    float
        ``mean((y_true - y_pred) ** 2)``.

    Raises
    ------
    ValueError
        If the mean squared error exceeds the float range (1.8e308).

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0], [1.0, 4.0])
    2.0
    >>> mean_squared_error([0.0, 0.0], [1e200, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: the mean squared error of y_true and y_pred exceeds the float range (about 1e400).
    """
    y_true = as_real_vector(y_true, "y_true")
    y_pred = as_real_vector(y_pred, "y_pred", length=y_true.size)
    return _mean_squared(y_true, y_pred, "y_true and y_pred")


def _mean_squared(y_true: np.ndarray, y_pred: np.ndarray, names: str) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        d = y_true - y_pred
    if not np.all(np.isfinite(d)):
        # |d| > 1.8e308 for one record: the mean of squares is beyond 1e600 / n.
        raise ValueError(
            f"the mean squared error of {names} exceeds the float range (an error beyond 1.8e308)."
        )
    q, e = _mean_square(d)
    with np.errstate(over="ignore"):
        out = float(np.ldexp(np.mean(q), e))
    if not np.isfinite(out):
        size = np.log10(np.mean(q)) + e * np.log10(2.0)
        raise ValueError(f"the mean squared error of {names} exceeds the float range (about 1e{size:.0f}).")
    return out


def design_condition_number(X: Any, scale: bool = False) -> float:
    """2-norm condition number of the design ``[1, X]`` (standardised X if ``scale``).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    scale : bool, default False
        Standardise the features first (centre each and divide it by its
        standard deviation): the condition number that decides the rank in
        :func:`fit_least_squares`, whatever the units.

    Returns
    -------
    float
        Ratio of the largest to the smallest singular value of ``[1, X]``;
        ``inf`` when there are fewer records than columns (``[1, X]`` then
        has a zero singular value: its ``p + 1`` columns are dependent).

    Raises
    ------
    ValueError
        If ``scale`` and a feature is constant (it has no standard deviation
        to divide by).

    Examples
    --------
    >>> data = make_quality_data(200, seed=0)
    >>> design_condition_number(data.X) > 100 * design_condition_number(data.X, scale=True)
    True
    """
    X = _check_x(X)
    if as_bool(scale, "scale"):
        X, _, sd = _standardise(X)
        if np.any(sd == 0):
            raise ValueError(
                f"feature {int(np.flatnonzero(sd == 0)[0])} of X is constant; it cannot be standardised."
            )
    if X.shape[0] < X.shape[1] + 1:
        return float("inf")
    return float(np.linalg.cond(np.hstack([np.ones((X.shape[0], 1)), X])))


def fit_gradient_descent(
    X: Any,
    y: Any,
    *,
    method: str = "adam",
    lr: float = 0.01,
    epochs: int = 1000,
    scale: bool = True,
    center_y: bool | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> GradientFit:
    """Fit ``y = intercept + X @ coef`` by full-batch gradient methods on the MSE.

    ``method="adam"`` with ``lr=0.01`` and ``epochs=1000`` is the article's
    recipe (§5.2: ``optim.Adam(lr=0.01)``, 1000 epochs, MSE loss, every record
    in every step). ``method="gd"`` is plain gradient descent.

    Two separate preprocessing steps: ``scale=True`` standardises the
    features (mean 0, standard deviation 1), ``center_y=True`` subtracts the
    mean of the target; ``center_y=None`` (the default) centres the target
    exactly when the features are standardised. The coefficients are
    transformed back, so the result is on the original scale either way.
    Parameters start at zero, as PyTorch's would after ``zero_`` (its random
    start is replaced by zero for reproducibility).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.
    method : {"adam", "gd"}, default "adam"
        Adam or plain gradient descent.
    lr : float, default 0.01
        Learning rate (step size).
    epochs : int, default 1000
        Number of full-batch steps.
    scale : bool, default True
        Standardise the features.
    center_y : bool or None, default None
        Subtract the mean of the target; None means "when ``scale``".
    betas : tuple of float, default (0.9, 0.999)
        Adam's decay rates of the first and second moment estimates.
    eps : float, default 1e-8
        Adam's term added to the denominator.

    Returns
    -------
    GradientFit
        With the training MSE after every epoch.

    Examples
    --------
    >>> data = make_quality_data(200, seed=0)
    >>> gd = fit_gradient_descent(data.X, data.y, method="gd", lr=0.1, epochs=3000)
    >>> ls = fit_least_squares(data.X, data.y)
    >>> bool(np.allclose(gd.coef, ls.coef, rtol=1e-8))
    True
    """
    X, y = _check_xy(X, y)
    method = as_choice(method, "method", ("adam", "gd"))
    lr = as_real(lr, "lr", minimum=0, include_minimum=False)
    epochs = as_integer(epochs, "epochs", minimum=1, maximum=10_000_000)
    scale = as_bool(scale, "scale")
    center_y = scale if center_y is None else as_bool(center_y, "center_y")
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2); got {betas!r}.")
    # Adam's moment averages need 0 <= beta < 1 (PyTorch's rule); beta = 1
    # divides by 1 - beta**t = 0 and beta > 1 makes the averages blow up.
    beta1 = as_probability(betas[0], "betas[0]", include_one=False)
    beta2 = as_probability(betas[1], "betas[1]", include_one=False)
    eps = as_real(eps, "eps", minimum=0.0, include_minimum=False)
    n, p = X.shape
    # One parameter vector (intercept first) on the design [1, Z], Z the
    # (possibly standardised) features: the same updates, coordinate by
    # coordinate, in fewer numpy calls per epoch.
    design = np.empty((n, p + 1))
    design[:, 0] = 1.0
    x_mean, x_sd = np.zeros(p), np.ones(p)
    if scale:
        _, x_mean, x_sd = _standardise(X)
        if np.any(x_sd == 0):
            raise ValueError(
                f"feature {int(np.flatnonzero(x_sd == 0)[0])} of X is constant; it cannot be standardised."
            )
        np.divide(X - x_mean, x_sd, out=design[:, 1:])
    else:
        design[:, 1:] = X
    target, y_mean = y, 0.0
    if center_y:
        # Centred in two passes (in units of a power of two): on a target far
        # above its spread (1e4 + 1e-8 k) the rounding of the mean would
        # otherwise dwarf the deviations, and the loss history with them.
        e = _pow2(y)
        centred, mean = _centre(np.ldexp(y, -e))
        target, y_mean = np.ldexp(centred, e), float(np.ldexp(mean, e))
    theta, m, v = np.zeros(p + 1), np.zeros(p + 1), np.zeros(p + 1)
    history = np.empty(epochs)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, epochs + 1):
            residual = design @ theta - target
            history[t - 1] = residual @ residual / n  # the loss printed before the step
            grad = (2.0 / n) * (residual @ design)
            if method == "gd":
                theta = theta - lr * grad
            else:
                m = beta1 * m + (1 - beta1) * grad
                v = beta2 * v + (1 - beta2) * grad**2
                theta = theta - (lr / (1 - beta1**t)) * m / (np.sqrt(v / (1 - beta2**t)) + eps)
    b, w = float(theta[0]), theta[1:]
    coef = w / x_sd
    intercept = y_mean + b - float(coef @ x_mean)
    return GradientFit(coef, float(intercept), history, method)
