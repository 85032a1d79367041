"""Input validation shared by the modules of :mod:`lib`.

Every public function of the package passes its inputs through these helpers,
so that a wrong shape, a NaN, a negative capacity or a non-numeric value is
reported by a sentence naming the argument and what was expected, rather than
by an ``IndexError`` deep inside numpy or a solver status code.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["as_real_matrix", "as_real_vector", "as_capacity_vector"]


def _as_numeric_array(value: Any, name: str) -> np.ndarray:
    if value is None:
        raise TypeError(f"{name} is None; expected an array of real numbers.")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} is a string; expected an array of real numbers.")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ValueError(
            f"{name} could not be read as a rectangular array of numbers ({exc})."
        ) from None
    if array.dtype == object:
        # Lists that mix numbers and other objects, or ragged lists.
        try:
            array = array.astype(float)
        except (ValueError, TypeError):
            raise TypeError(
                f"{name} contains values that are not real numbers; "
                "expected an array of real numbers."
            ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} has dtype {array.dtype}; expected real numbers "
            "(bool, integer or float)."
        )
    return array.astype(float, copy=False)


def _all_finite(array: np.ndarray) -> bool:
    # One pass without a temporary: the sum is finite unless an entry is NaN
    # or infinite (or the sum overflows, which the full check then clears).
    with np.errstate(over="ignore", invalid="ignore"):
        total = array.sum()
    return bool(np.isfinite(total)) or bool(np.all(np.isfinite(array)))


def as_real_matrix(value: Any, name: str = "scores") -> np.ndarray:
    """Return ``value`` as a non-empty, finite 2-D float array.

    Parameters
    ----------
    value : array_like
        The candidate matrix.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        A float64 copy of shape ``(n_rows, n_cols)`` with both sizes positive.

    Raises
    ------
    TypeError
        If ``value`` is not numeric.
    ValueError
        If it is not 2-D, is empty, or holds NaN or infinity.

    Examples
    --------
    >>> as_real_matrix([[1, 2], [3, 4]]).shape
    (2, 2)
    >>> as_real_matrix([1, 2])
    Traceback (most recent call last):
    ...
    ValueError: scores must be a 2-D array (tasks x workers); got 1 dimension(s) with shape (2,).
    """
    array = _as_numeric_array(value, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (tasks x workers); got "
            f"{array.ndim} dimension(s) with shape {array.shape}."
        )
    if array.size == 0:
        raise ValueError(
            f"{name} is empty (shape {array.shape}); expected at least one row "
            "and one column."
        )
    if not _all_finite(array):
        raise ValueError(
            f"{name} contains NaN or infinity; every entry must be finite."
        )
    return array


def as_real_vector(
    value: Any, name: str, length: int | None = None, *, allow_empty: bool = False
) -> np.ndarray:
    """Return ``value`` as a finite 1-D float array, optionally of a given length.

    Examples
    --------
    >>> as_real_vector([1, 2.5], "weights")
    array([1. , 2.5])
    >>> as_real_vector([1, 2], "weights", length=3)
    Traceback (most recent call last):
    ...
    ValueError: weights must have length 3; got length 2.
    """
    array = _as_numeric_array(value, name)
    if array.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array; got a scalar.")
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got shape {array.shape}.")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty; expected at least one value.")
    if length is not None and array.size != length:
        raise ValueError(f"{name} must have length {length}; got length {array.size}.")
    if not _all_finite(array):
        raise ValueError(
            f"{name} contains NaN or infinity; every entry must be finite."
        )
    return array


def as_capacity_vector(
    value: Any, n_workers: int, name: str = "capacity"
) -> np.ndarray:
    """Return worker capacities as a 1-D array of non-negative integers.

    ``None`` means one task per worker. A scalar is broadcast to every worker.
    Floats are accepted only when they are whole numbers (``2.0`` but not
    ``1.5``): a capacity counts tasks.

    Examples
    --------
    >>> as_capacity_vector(None, 3)
    array([1, 1, 1])
    >>> as_capacity_vector(2, 2)
    array([2, 2])
    >>> as_capacity_vector([1, -1], 2)
    Traceback (most recent call last):
    ...
    ValueError: capacity must be non-negative; worker 1 has capacity -1.
    """
    if value is None:
        return np.ones(n_workers, dtype=np.int64)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        value = [value] * n_workers
    array = as_real_vector(value, name, length=n_workers)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        j = int(negative[0])
        raise ValueError(
            f"{name} must be non-negative; worker {j} has capacity {array[j]:g}."
        )
    fractional = np.flatnonzero(array != np.round(array))
    if fractional.size:
        j = int(fractional[0])
        raise ValueError(
            f"{name} must hold whole numbers of tasks; worker {j} has "
            f"capacity {array[j]:g}."
        )
    return array.astype(np.int64)
