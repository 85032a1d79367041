"""The exercises of Part III, chapter 1 (least squares): the hints a student meets.

The generic guarantees (right answers in every numeric type, misconceptions,
independent references, implement cases) are in tests/test_checks.py; here,
what the hints of these exercises say, on the values a student would compute.
"""

from __future__ import annotations

import numpy as np

import part3a_references as ref
from lib.checks import check, expected
from lib.regression import make_quality_data


def _chapter():
    data = make_quality_data(200, seed=0)
    A = np.column_stack([np.ones(len(data.y)), data.X])
    beta = np.linalg.lstsq(A, data.y, rcond=None)[0]
    rss = float(np.sum((data.y - A @ beta) ** 2))
    return data, A, rss


def test_standard_error_hints_name_each_slip():
    data, A, rss = _chapter()
    inv_11 = np.linalg.inv(A.T @ A)[1, 1]
    assert check("ex-ls-derive-se", np.sqrt(rss / 194 * inv_11)).correct
    assert check("ex-ls-derive-se", round(float(np.sqrt(rss / 194 * inv_11)), 4)).correct  # 3 significant digits
    assert "n - p - 1" in check("ex-ls-derive-se", np.sqrt(rss / 200 * inv_11)).message
    assert "true noise" in check("ex-ls-derive-se", np.sqrt(1.0 * inv_11)).message
    assert "square root" in check("ex-ls-derive-se", rss / 194 * inv_11).message
    X = data.X
    b = np.linalg.lstsq(X, data.y, rcond=None)[0]
    no_ones = np.sqrt(np.sum((data.y - X @ b) ** 2) / 195 * np.linalg.inv(X.T @ X)[0, 0])
    assert "column of ones" in check("ex-ls-derive-se", no_ones).message


def test_normal_equations_exercise():
    assert check("ex-ls-normal-equations", ref.normal_equations_correct).correct
    # the formula read literally (no intercept) is caught on an instance
    result = check("ex-ls-normal-equations", ref.NORMAL_EQUATIONS_CASES["wrong"][0], seed=3)
    assert result.status == "incorrect" and "instance" in result.message
    # lstsq on [1, X] is as right as solving the normal equations
    assert check("ex-ls-normal-equations",
                 lambda X, y: np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0]).correct  # fmt: skip


def test_omitted_variable_model_hints():
    assert abs(expected("ex-ls-omitted-model") - 0.396) < 1e-12
    assert check("ex-ls-omitted-model", 0.396).correct
    assert "+0.6" in check("ex-ls-omitted-model", 0.204).message
    assert "true coefficient" in check("ex-ls-omitted-model", 0.30).message
    assert "covariance over" in check("ex-ls-omitted-model", 0.30 + 0.12 * 0.6).message
    assert "regressed on temperature" in check("ex-ls-omitted-model", 0.30 + 0.12 * 0.6 * 6 / 8).message
    # a large simulation under the changed assumption lands on the formula
    big = make_quality_data(200_000, seed=5, humidity_correlation=-0.6)
    A = np.column_stack([np.ones(len(big.y)), big.X[:, [0, 2, 3, 4]]])
    short = np.linalg.lstsq(A, big.y, rcond=None)[0]
    assert abs(short[1] - ref.omitted_limit_by_hand()) < 0.005
