"""Independent references for the exercises of Part III, chapter 1 (least squares).

Each computes the expected value another way than the registration does (an
explicit inverse, arithmetic by hand); IMPLEMENT cases give a correct
`normal_equations` and three plausible wrong ones.
"""

from __future__ import annotations

import numpy as np


def _chapter_data():
    from lib.regression import make_quality_data  # the data only

    return make_quality_data(200, seed=0)


def temperature_se_by_explicit_inverse() -> float:
    """The textbook formula s^2 (A^T A)^{-1}, with an explicit inverse (a reference only)."""
    data = _chapter_data()
    A = np.column_stack([np.ones(len(data.y)), data.X])
    gram_inverse = np.linalg.inv(A.T @ A)
    residual = data.y - A @ (gram_inverse @ A.T @ data.y)
    return float(np.sqrt(residual @ residual / (len(data.y) - 6) * gram_inverse[1, 1]))


def omitted_limit_by_hand() -> float:
    """0.30 + beta_hum * Cov(temp, hum) / Var(temp) with correlation -0.6, sd 6 and 8."""
    return 0.30 - 0.12 * (-0.6 * 8 * 6) / 6**2


def normal_equations_correct(X, y):
    A = np.column_stack([np.ones(len(y)), X])
    return np.linalg.solve(A.T @ A, A.T @ y)


def _no_intercept(X, y):  # the formula read literally
    return np.linalg.solve(X.T @ X, X.T @ y)


def _intercept_last(X, y):
    return np.roll(normal_equations_correct(X, y), -1)


def _ridge_slipped_in(X, y):
    A = np.column_stack([np.ones(len(y)), X])
    return np.linalg.solve(A.T @ A + np.eye(A.shape[1]), A.T @ y)


NORMAL_EQUATIONS_CASES = {
    "correct": normal_equations_correct,
    "wrong": [_no_intercept, _intercept_last, _ridge_slipped_in],
}
