"""Least-squares quality prediction (seed 002, §4 数学模型 and §5 项目实践).

* :func:`make_quality_data` generates the manufacturing data set the article
  describes but does not provide: 200 records of process variables and a
  quality index, from known true coefficients plus noise.
* :func:`fit_least_squares` is the closed form, computed with
  ``np.linalg.lstsq`` (an orthogonal factorisation), never an explicit inverse.
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

from lib._validate import _as_numeric_array, as_integer, as_probability, as_real, as_real_vector

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
        Number of records (the article's example has 200).
    seed : int
        Seed of the random generator: the same seed gives the same data.
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
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_ROWS:
        raise ValueError(f"n must be an integer from 1 to {MAX_ROWS}; got {n!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer; got {seed!r}.")
    noise_sd = as_real(noise_sd, "noise_sd", minimum=0.0)
    temperature_curvature = as_real(temperature_curvature, "temperature_curvature")
    if second_sensor_sd is not None:
        second_sensor_sd = as_real(second_sensor_sd, "second_sensor_sd", minimum=0, include_minimum=False)
    rho = as_real(humidity_correlation, "humidity_correlation", minimum=-1, maximum=1)
    rng = np.random.default_rng(seed)
    means = np.array([f[2] for f in FEATURES])
    sds = np.array([f[3] for f in FEATURES])
    z = rng.standard_normal((n, len(FEATURES)))
    z[:, 1] = rho * z[:, 0] + np.sqrt(1 - rho**2) * z[:, 1]
    X = means + sds * z
    coef = np.array(TRUE_COEF)
    y = TRUE_INTERCEPT + X @ coef + noise_sd * rng.standard_normal(n)
    y = y - temperature_curvature * (X[:, 0] - means[0]) ** 2
    names = tuple(f[0] for f in FEATURES)
    if second_sensor_sd is not None:
        # Drawn after the noise, so the first five columns and y do not change.
        X = np.column_stack([X, X[:, 0] + second_sensor_sd * rng.standard_normal(n)])
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


def _check_xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = _as_numeric_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (records x features); got shape {X.shape}.")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X is empty (shape {X.shape}).")
    if X.shape[0] > MAX_ROWS:
        raise ValueError(f"X has {X.shape[0]} rows; at most {MAX_ROWS} are accepted.")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinity; every entry must be finite.")
    y = as_real_vector(y, "y", length=X.shape[0])
    return X, y


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
    seed : int, default 42
        Seed of the shuffle.

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
    n_test = int(round(test_fraction * len(y)))
    if not 1 <= n_test < len(y):
        raise ValueError(f"a test fraction of {test_fraction} leaves an empty set for {len(y)} rows.")
    order = np.random.default_rng(seed).permutation(len(y))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def fit_least_squares(X: Any, y: Any) -> LinearFit:
    """Least squares with an intercept, by ``np.linalg.lstsq`` on ``[1, X]``.

    ``lstsq`` uses an orthogonal factorisation (an SVD), whose error grows
    with the condition number of ``[1, X]``, where forming ``X^T X`` (as the
    article's formula does) squares it.

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
        If the design ``[1, X]`` is rank-deficient (a constant or duplicated
        column, or fewer records than coefficients): the coefficients are then
        not unique.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> fit = fit_least_squares(X, 1.0 + 2.0 * X[:, 0])
    >>> np.round(fit.coef, 12), round(fit.intercept, 12)
    (array([2.]), 1.0)
    """
    X, y = _check_xy(X, y)
    design = np.hstack([np.ones((X.shape[0], 1)), X])
    solution, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    if rank < design.shape[1]:
        raise ValueError(
            f"[1, X] has rank {rank} but {design.shape[1]} columns: the least-squares "
            "coefficients are not unique (a constant or repeated feature, or too few records)."
        )
    return LinearFit(solution[1:], float(solution[0]))


def predict(fit: LinearFit | GradientFit, X: Any) -> np.ndarray:
    """Predictions ``intercept + X @ coef``.

    Parameters
    ----------
    fit : LinearFit or GradientFit
        A fitted linear model.
    X : array_like, shape (n, p)
        Features, one row per record.

    Returns
    -------
    numpy.ndarray, shape (n,)
        One prediction per record.

    Examples
    --------
    >>> predict(LinearFit(np.array([2.0]), 1.0), [[0.0], [1.0]])
    array([1., 3.])
    """
    X = _as_numeric_array(X, "X")
    if X.ndim != 2 or X.shape[1] != fit.coef.size:
        raise ValueError(f"X must have shape (n, {fit.coef.size}); got {X.shape}.")
    return fit.intercept + X @ fit.coef


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """Mean of the squared errors.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        Observed and predicted values.

    Returns
    -------
    float
        ``mean((y_true - y_pred) ** 2)``.

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y_true = as_real_vector(y_true, "y_true")
    y_pred = as_real_vector(y_pred, "y_pred", length=y_true.size)
    return float(np.mean((y_true - y_pred) ** 2))


def design_condition_number(X: Any, scale: bool = False) -> float:
    """2-norm condition number of the design ``[1, X]`` (standardised X if ``scale``).

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    scale : bool, default False
        Standardise the features first.

    Returns
    -------
    float
        Ratio of the largest to the smallest singular value of ``[1, X]``.

    Examples
    --------
    >>> data = make_quality_data(200, seed=0)
    >>> design_condition_number(data.X) > 100 * design_condition_number(data.X, scale=True)
    True
    """
    X, _ = _check_xy(X, np.zeros(np.shape(X)[0] if np.ndim(X) else 0))
    if scale:
        sd = X.std(axis=0)
        if np.any(sd == 0):
            raise ValueError("a feature is constant; it cannot be standardised.")
        X = (X - X.mean(axis=0)) / sd
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
    if method not in ("adam", "gd"):
        raise ValueError(f"method must be 'adam' or 'gd'; got {method!r}.")
    if as_real(lr, "lr") <= 0:
        raise ValueError(f"lr must be a positive number; got {lr!r}.")
    lr = float(lr)
    epochs = as_integer(epochs, "epochs", minimum=1, maximum=10_000_000)
    if not isinstance(scale, bool):
        raise TypeError(f"scale must be True or False; got {scale!r}.")
    if center_y is None:
        center_y = scale
    if not isinstance(center_y, bool):
        raise TypeError(f"center_y must be True, False or None; got {center_y!r}.")
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2); got {betas!r}.")
    # Adam's moment averages need 0 <= beta < 1 (PyTorch's rule); beta = 1
    # divides by 1 - beta**t = 0 and beta > 1 makes the averages blow up.
    beta1 = as_probability(betas[0], "betas[0]", include_one=False)
    beta2 = as_probability(betas[1], "betas[1]", include_one=False)
    eps = as_real(eps, "eps", minimum=0.0, include_minimum=False)
    n, p = X.shape
    x_mean, x_sd = np.zeros(p), np.ones(p)
    if scale:
        x_mean, x_sd = X.mean(axis=0), X.std(axis=0)
        if np.any(x_sd == 0):
            raise ValueError("a feature is constant; it cannot be standardised.")
    y_mean = float(y.mean()) if center_y else 0.0
    target = y - y_mean
    # One parameter vector (intercept first) on the design [1, Z], Z the
    # (possibly standardised) features: the same updates, coordinate by
    # coordinate, in fewer numpy calls per epoch, and no second copy of Z.
    design = np.empty((n, p + 1))
    design[:, 0] = 1.0
    np.divide(X - x_mean, x_sd, out=design[:, 1:])
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
