"""Least-squares quality prediction (seed 002, §4 数学模型 and §5 项目实践).

* :func:`make_quality_data` generates the manufacturing data set the article
  describes but does not provide: 200 records of process variables and a
  quality index, from known true coefficients plus noise.
* :func:`fit_least_squares` is the closed form, computed with
  ``np.linalg.lstsq`` (an orthogonal factorisation), never an explicit inverse.
* :func:`fit_gradient_descent` is the article's own recipe (full-batch Adam,
  learning rate 0.01, 1000 epochs) or plain gradient descent, in numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lib._validate import as_real_vector, _as_numeric_array

__all__ = [
    "FEATURES",
    "QualityData",
    "LinearFit",
    "GradientFit",
    "make_quality_data",
    "train_test_split",
    "fit_least_squares",
    "fit_gradient_descent",
    "predict",
    "mean_squared_error",
    "design_condition_number",
    "MAX_ROWS",
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
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    true_coef: np.ndarray
    true_intercept: float
    noise_sd: float


@dataclass(frozen=True)
class LinearFit:
    """Coefficients of a fitted linear model ``y = intercept + X @ coef``."""

    coef: np.ndarray
    intercept: float


@dataclass(frozen=True)
class GradientFit:
    """A linear model fitted by an iterative method.

    ``loss_history[t]`` is the training mean squared error after epoch t, on
    the original scale of the data; ``coef`` and ``intercept`` are on the
    original feature scale even when the features were standardised.
    """

    coef: np.ndarray
    intercept: float
    loss_history: np.ndarray
    method: str


def make_quality_data(n: int = 200, seed: int = 0, noise_sd: float = 1.0) -> QualityData:
    """Generate ``n`` production records with a known linear quality model.

    Each process variable is normal with the mean and standard deviation of
    :data:`FEATURES`; humidity is correlated with temperature (correlation
    0.6), as it is on a real line where heating dries the air. The quality
    index is ``TRUE_INTERCEPT + X @ TRUE_COEF`` plus normal noise.

    Parameters
    ----------
    n : int
        Number of records (the article's example has 200).
    seed : int
        Seed of the random generator: the same seed gives the same data.
    noise_sd : float
        Standard deviation of the measurement noise of the quality index.

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
    if not (isinstance(noise_sd, (int, float)) and np.isfinite(noise_sd) and noise_sd >= 0):
        raise ValueError(f"noise_sd must be a finite number >= 0; got {noise_sd!r}.")
    rng = np.random.default_rng(seed)
    means = np.array([f[2] for f in FEATURES])
    sds = np.array([f[3] for f in FEATURES])
    z = rng.standard_normal((n, len(FEATURES)))
    z[:, 1] = 0.6 * z[:, 0] + np.sqrt(1 - 0.6**2) * z[:, 1]
    X = means + sds * z
    coef = np.array(TRUE_COEF)
    y = TRUE_INTERCEPT + X @ coef + noise_sd * rng.standard_normal(n)
    names = tuple(f[0] for f in FEATURES)
    return QualityData(X, y, names, coef, TRUE_INTERCEPT, float(noise_sd))


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

    Examples
    --------
    >>> X_tr, X_te, y_tr, y_te = train_test_split(np.ones((10, 2)), np.arange(10.0))
    >>> X_tr.shape, X_te.shape
    ((8, 2), (2, 2))
    """
    X, y = _check_xy(X, y)
    if not (isinstance(test_fraction, float) and 0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be a float between 0 and 1; got {test_fraction!r}.")
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
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> GradientFit:
    """Fit ``y = intercept + X @ coef`` by full-batch gradient methods on the MSE.

    ``method="adam"`` with ``lr=0.01`` and ``epochs=1000`` is the article's
    recipe (§5.2: ``optim.Adam(lr=0.01)``, 1000 epochs, MSE loss, every record
    in every step). ``method="gd"`` is plain gradient descent.

    With ``scale=True`` the features are standardised (mean 0, standard
    deviation 1) and the target centred before fitting; the coefficients are
    transformed back, so the result is on the original scale either way.
    Parameters start at zero, as PyTorch's would after ``zero_`` (its random
    start is replaced by zero for reproducibility).

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
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number; got {lr!r}.")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not 1 <= epochs <= 10_000_000:
        raise ValueError(f"epochs must be an integer from 1 to 10,000,000; got {epochs!r}.")
    if not isinstance(scale, bool):
        raise TypeError(f"scale must be True or False; got {scale!r}.")
    beta1, beta2 = betas
    n, p = X.shape
    if scale:
        x_mean, x_sd = X.mean(axis=0), X.std(axis=0)
        if np.any(x_sd == 0):
            raise ValueError("a feature is constant; it cannot be standardised.")
        y_mean = float(y.mean())
        Z, target = (X - x_mean) / x_sd, y - y_mean
    else:
        Z, target = X, y
    w, b = np.zeros(p), 0.0
    m_w, v_w, m_b, v_b = np.zeros(p), np.zeros(p), 0.0, 0.0
    history = np.empty(epochs)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, epochs + 1):
            residual = Z @ w + b - target
            history[t - 1] = np.mean(residual**2)  # the loss printed before the step
            g_w = (2.0 / n) * (Z.T @ residual)
            g_b = 2.0 * float(residual.mean())
            if method == "gd":
                w, b = w - lr * g_w, b - lr * g_b
            else:
                m_w = beta1 * m_w + (1 - beta1) * g_w
                v_w = beta2 * v_w + (1 - beta2) * g_w**2
                m_b = beta1 * m_b + (1 - beta1) * g_b
                v_b = beta2 * v_b + (1 - beta2) * g_b**2
                c1, c2 = 1 - beta1**t, 1 - beta2**t
                w = w - lr * (m_w / c1) / (np.sqrt(v_w / c2) + eps)
                b = b - lr * (m_b / c1) / (np.sqrt(v_b / c2) + eps)
    if scale:
        coef = w / x_sd
        intercept = y_mean + b - float(coef @ x_mean)
    else:
        coef, intercept = w, b
    return GradientFit(coef, float(intercept), history, method)
