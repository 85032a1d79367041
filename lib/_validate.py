"""Input validation shared by the modules of :mod:`lib`.

Every public function of the package passes its inputs through these helpers,
so that a wrong shape, a NaN, a negative capacity or a non-numeric value is
reported by a sentence naming the argument and what was expected, rather than
by an ``IndexError`` deep inside numpy or a solver status code.

The rule, written once:

* numbers of every Python and numpy type and width are accepted wherever a
  number is (``np.int64`` budgets, ``np.float32`` step sizes, ``Fraction``);
* the wrong *kind* of value (a string, ``None``, a bool where a number is
  meant) raises ``TypeError``; the right kind with a wrong *value* (NaN, out
  of range, wrong shape) raises ``ValueError``; both name the argument;
* integers that do not fit in 64 bits are refused, never wrapped;
* masked arrays are refused when an entry is masked (a mask must not be
  silently ignored);
* every returned array is a fresh copy, never a view of the caller's data.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = [
    "as_integer",
    "as_real",
    "as_probability",
    "as_bool",
    "as_choice",
    "as_real_matrix",
    "as_real_vector",
    "as_capacity_vector",
    "as_index_vector",
    "as_arrival_order",
    "as_pair_list",
    "as_label_sequence",
    "as_seed",
    "check_size",
]

INT64_MAX = int(np.iinfo(np.int64).max)
INT64_MIN = int(np.iinfo(np.int64).min)


# ---------------------------------------------------------------- scalars


def _scalar(value: Any) -> Any:
    """Unwrap a 0-d numpy array (``np.asarray(3)``) into its scalar."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_bounds(
    number: float,
    name: str,
    minimum: float | None,
    maximum: float | None,
    include_minimum: bool = True,
    include_maximum: bool = True,
) -> None:
    low_ok = (
        minimum is None
        or number > minimum
        or (include_minimum and number == minimum)
    )
    high_ok = (
        maximum is None
        or number < maximum
        or (include_maximum and number == maximum)
    )
    if low_ok and high_ok:
        return
    parts = []
    if minimum is not None:
        parts.append(f"{'at least' if include_minimum else 'greater than'} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'at most' if include_maximum else 'less than'} {maximum:g}")
    raise ValueError(f"{name} must be {' and '.join(parts)}; got {number!r}.")


def as_integer(
    value: Any,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_whole_float: bool = False,
) -> int:
    """Return ``value`` as a Python ``int`` that fits in 64 bits.

    Accepted: Python and numpy integers of every width (and 0-d integer
    arrays). Refused: bools, floats (even ``3.0``: a count or an index given
    as a float is usually a computation gone wrong), strings, ``None``
    (``TypeError``); out-of-range values and integers beyond int64
    (``ValueError``). Only where ``allow_whole_float`` is set (capacities,
    sizes read from data) is a whole float such as ``np.float32(3)`` taken.

    Parameters
    ----------
    value : int or numpy.integer
        The candidate.
    name : str
        The argument's name, used in error messages.
    minimum, maximum : int, optional
        Inclusive bounds.
    allow_whole_float : bool
        Also accept floats that are whole numbers (``4.0``).

    Returns
    -------
    int
        The value as a Python integer.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a bool, a float, a string...).
    ValueError
        If it is out of bounds or beyond int64 (or, with
        ``allow_whole_float``, a float that is not whole).

    Examples
    --------
    >>> as_integer(np.int8(3), "n_tasks", minimum=1)
    3
    >>> as_integer(4.0, "seed")
    Traceback (most recent call last):
    ...
    TypeError: seed must be an integer; got float (4.0).
    >>> as_integer(4.0, "size", allow_whole_float=True)
    4
    >>> as_integer(2.5, "size", allow_whole_float=True)
    Traceback (most recent call last):
    ...
    ValueError: size must be a whole number; got 2.5.
    >>> as_integer(True, "n_tasks")
    Traceback (most recent call last):
    ...
    TypeError: n_tasks must be an integer; got a bool (True).
    >>> as_integer(2**63, "seed")
    Traceback (most recent call last):
    ...
    ValueError: seed = 9223372036854775808 does not fit in a 64-bit integer (at most 9223372036854775807).
    """
    value = _scalar(value)
    if _is_bool(value):
        raise TypeError(f"{name} must be an integer; got a bool ({value!r}).")
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, numbers.Rational) and allow_whole_float:
        # Exactly: float() would turn Fraction(2**60 + 1) into 2**60.
        if value.denominator != 1:
            raise ValueError(f"{name} must be a whole number; got {value!r}.")
        number = int(value)
    elif isinstance(value, numbers.Real) and allow_whole_float:
        real = float(value)
        if not math.isfinite(real):
            raise ValueError(f"{name} must be a finite whole number; got {value!r}.")
        if not real.is_integer():
            raise ValueError(f"{name} must be a whole number; got {value!r}.")
        number = int(real)
    else:
        raise TypeError(
            f"{name} must be an integer; got {type(value).__name__} "
            f"({_describe(value)})."
        )
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValueError(
            f"{name} = {number} does not fit in a 64-bit integer "
            f"(at most {INT64_MAX})."
        )
    _check_bounds(number, name, minimum, maximum)
    return number


def as_real(
    value: Any,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    include_minimum: bool = True,
    include_maximum: bool = True,
    allow_infinity: bool = False,
) -> float:
    """Return ``value`` as a finite Python ``float``.

    Accepted: Python and numpy integers and floats of every width,
    ``fractions.Fraction`` and other :class:`numbers.Real`. Refused: bools,
    strings, complex numbers, ``None`` (``TypeError``); NaN, infinity (unless
    ``allow_infinity``) and values out of bounds (``ValueError``).

    Parameters
    ----------
    value : real number
        The candidate.
    name : str
        The argument's name, used in error messages.
    minimum, maximum : float, optional
        Bounds, inclusive unless ``include_minimum`` / ``include_maximum`` is
        False.
    include_minimum, include_maximum : bool
        Whether the bounds themselves are allowed.
    allow_infinity : bool
        Accept ``inf`` and ``-inf`` (still subject to the bounds).

    Returns
    -------
    float
        The value as a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number, or is a bool.
    ValueError
        If it is NaN, infinite (unless allowed) or out of bounds.

    Examples
    --------
    >>> as_real(np.float32(0.5), "step")
    0.5
    >>> as_real(np.int64(10), "budget", minimum=0)
    10.0
    >>> as_real(0.0, "step", minimum=0, include_minimum=False)
    Traceback (most recent call last):
    ...
    ValueError: step must be greater than 0; got 0.0.
    >>> as_real("1", "budget")
    Traceback (most recent call last):
    ...
    TypeError: budget must be a real number; got str ('1').
    """
    value = _scalar(value)
    if _is_bool(value):
        raise TypeError(f"{name} must be a real number; got a bool ({value!r}).")
    if not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number; got {type(value).__name__} "
            f"({_describe(value)})."
        )
    try:
        number = float(value)
    except OverflowError:  # a Python int or Fraction beyond 1.8e308
        raise ValueError(
            f"{name} is too large to be represented as a float; got {_describe(value)}."
        ) from None
    if math.isnan(number):
        raise ValueError(f"{name} must be a finite number; got NaN.")
    if math.isinf(number) and not allow_infinity:
        raise ValueError(f"{name} must be finite; got {number!r}.")
    _check_bounds(number, name, minimum, maximum, include_minimum, include_maximum)
    return number


def as_probability(
    value: Any,
    name: str,
    *,
    include_zero: bool = True,
    include_one: bool = True,
) -> float:
    """Return ``value`` as a float in ``[0, 1]`` (ends optionally excluded).

    Parameters
    ----------
    value : real number
        The candidate.
    name : str
        The argument's name, used in error messages.
    include_zero, include_one : bool
        Whether 0 and 1 themselves are allowed.

    Returns
    -------
    float
        The probability.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is NaN or outside the interval.

    Examples
    --------
    >>> as_probability(np.float16(0.25), "confidence")
    0.25
    >>> as_probability(1.0, "confidence", include_one=False)
    Traceback (most recent call last):
    ...
    ValueError: confidence must be at least 0 and less than 1; got 1.0.
    """
    return as_real(
        value, name, minimum=0.0, maximum=1.0,
        include_minimum=include_zero, include_maximum=include_one,
    )  # fmt: skip


def as_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a Python ``bool``; only ``bool`` and ``numpy.bool_``.

    ``0``, ``1``, ``"yes"`` or ``None`` are refused: a flag given as a number
    is usually an argument in the wrong position.

    Parameters
    ----------
    value : bool or numpy.bool_
        The candidate.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    bool
        The flag.

    Raises
    ------
    TypeError
        If ``value`` is not a bool.

    Examples
    --------
    >>> as_bool(np.bool_(True), "normalize")
    True
    >>> as_bool(1, "normalize")
    Traceback (most recent call last):
    ...
    TypeError: normalize must be True or False; got int (1).
    """
    value = _scalar(value)
    if not _is_bool(value):
        raise TypeError(
            f"{name} must be True or False; got {type(value).__name__} "
            f"({_describe(value)})."
        )
    return bool(value)


def as_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``.

    Parameters
    ----------
    value : object
        The candidate (usually a string such as a method name).
    name : str
        The argument's name, used in error messages.
    choices : sequence
        The allowed values.

    Returns
    -------
    object
        ``value`` itself (a numpy string is returned as a Python ``str``).

    Raises
    ------
    TypeError
        If ``value`` is not of the choices' type (e.g. a number for a string
        option).
    ValueError
        If it is of the right type but not one of the choices.

    Examples
    --------
    >>> as_choice("lp", "method", ("auto", "lp", "assignment"))
    'lp'
    >>> as_choice("LP", "method", ("auto", "lp", "assignment"))
    Traceback (most recent call last):
    ...
    ValueError: method must be one of 'auto', 'lp', 'assignment'; got 'LP'.
    >>> as_choice(1, "method", ("auto", "lp"))
    Traceback (most recent call last):
    ...
    TypeError: method must be one of 'auto', 'lp'; got int (1).
    """
    value = _scalar(value)
    if isinstance(value, np.str_):
        value = str(value)
    listed = ", ".join(repr(c) for c in choices)
    kinds = {type(c) for c in choices}
    if not any(isinstance(value, k) for k in kinds) or _is_bool(value) and not any(
        _is_bool(c) for c in choices
    ):
        raise TypeError(
            f"{name} must be one of {listed}; got {type(value).__name__} "
            f"({_describe(value)})."
        )
    for choice in choices:
        if value == choice:
            return choice
    raise ValueError(f"{name} must be one of {listed}; got {value!r}.")


def as_seed(value: Any, name: str = "seed") -> np.random.Generator:
    """Return the random generator that ``value`` names: the one rule for seeds.

    Randomness in lib enters only through an explicit seed, so that every
    figure and every number of the book can be reproduced. Accepted: an
    integer ``>= 0`` of any Python or numpy width (a fresh
    ``numpy.random.default_rng(value)``), or a ``numpy.random.Generator``
    (returned as it is, so that successive calls continue its stream).
    Refused: ``None`` (it would mean "seed from the operating system", which
    cannot be reproduced), bools, floats, strings and legacy
    ``RandomState`` objects (``TypeError``); negative integers and integers
    beyond int64 (``ValueError``).

    Parameters
    ----------
    value : int or numpy.random.Generator
        The seed.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.random.Generator
        The generator to draw from.

    Raises
    ------
    TypeError
        If ``value`` is ``None`` or not an integer or a ``Generator``.
    ValueError
        If it is a negative integer or does not fit in 64 bits.

    Examples
    --------
    >>> int(as_seed(np.int32(3)).integers(10)) == int(np.random.default_rng(3).integers(10))
    True
    >>> as_seed(None)
    Traceback (most recent call last):
    ...
    TypeError: seed must be an integer >= 0 or a numpy.random.Generator; got None
    (lib draws random numbers only from an explicit seed, so that results can be
    reproduced).
    >>> as_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be at least 0; got -1.
    """
    value = _scalar(value)
    if isinstance(value, np.random.Generator):
        return value
    if value is None:
        raise TypeError(
            f"{name} must be an integer >= 0 or a numpy.random.Generator; got None "
            "(lib draws random numbers only from an explicit seed, so that results "
            "can be reproduced)."
        )
    if _is_bool(value) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= 0 or a numpy.random.Generator; got "
            f"{type(value).__name__} ({_describe(value)})."
        )
    return np.random.default_rng(as_integer(value, name, minimum=0))


def check_size(count: float, limit: float, what: str, instead: str) -> None:
    """Refuse work that would grow beyond ``limit``, with a sentence.

    Parameters
    ----------
    count : float
        The size the call would reach (e.g. the number of assignments to
        enumerate), computed before the work starts.
    limit : float
        The largest size allowed.
    what : str
        What is counted, e.g. ``"assignments to enumerate"``.
    instead : str
        What to use instead, e.g. ``"use solve_matching"``.

    Returns
    -------
    None
        Returns only when ``count <= limit``.

    Raises
    ------
    ValueError
        If ``count > limit``.

    Examples
    --------
    >>> check_size(10, 100, "assignments to enumerate", "use solve_matching")
    >>> check_size(1e6, 100, "assignments to enumerate", "use solve_matching")
    Traceback (most recent call last):
    ...
    ValueError: too large: 1e+06 assignments to enumerate (the limit is 100); use solve_matching.
    """
    if count > limit:
        raise ValueError(
            f"too large: {count:g} {what} (the limit is {limit:g}); {instead}."
        )


# ---------------------------------------------------------------- arrays


def _as_raw_numeric_array(value: Any, name: str) -> np.ndarray:
    """The candidate as a numeric array of its own dtype (bool, int or float)."""
    if value is None:
        raise TypeError(f"{name} is None; expected an array of real numbers.")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} is a string; expected an array of real numbers.")
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.is_masked(value):
            raise ValueError(
                f"{name} is a masked array with masked entries; lib does not "
                f"guess what a masked entry means: pass {name}.filled(value) or "
                "drop the masked rows."
            )
        value = np.ma.getdata(value)
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ValueError(
            f"{name} could not be read as a rectangular array of numbers ({exc})."
        ) from None
    if array.dtype == object:
        # Lists that mix numbers and other objects, ragged lists, or Python
        # integers beyond int64.
        flat = array.ravel()
        if any(_is_bool(v) or not isinstance(v, numbers.Real) for v in flat):
            raise TypeError(
                f"{name} contains values that are not real numbers; "
                "expected an array of real numbers."
            )
        try:
            array = array.astype(float)
        except OverflowError:
            raise ValueError(
                f"{name} contains a number too large to be represented as a float."
            ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} has dtype {array.dtype}; expected real numbers "
            "(bool, integer or float)."
        )
    return array


def _as_numeric_array(value: Any, name: str) -> np.ndarray:
    """The candidate as a float array (not necessarily a copy)."""
    return _as_raw_numeric_array(value, name).astype(float, copy=False)


def _all_finite(array: np.ndarray) -> bool:
    if array.dtype.kind in "biu":
        return True
    # One pass without a temporary: the sum is finite unless an entry is NaN
    # or infinite (or the sum overflows, which the full check then clears).
    with np.errstate(over="ignore", invalid="ignore"):
        total = array.sum()
    return bool(np.isfinite(total)) or bool(np.all(np.isfinite(array)))


def _as_float_copy(array: np.ndarray) -> np.ndarray:
    # Always a new array: a result must never alias the caller's input.
    return np.array(array, dtype=float, copy=True)


def as_real_matrix(
    value: Any, name: str = "scores", *, meaning: str = "tasks x workers"
) -> np.ndarray:
    """Return ``value`` as a non-empty, finite 2-D float array (a fresh copy).

    Parameters
    ----------
    value : array_like
        The candidate matrix.
    name : str
        The argument's name, used in error messages.
    meaning : str
        What the rows and columns are, for error messages, e.g.
        ``"tasks x skills"``.

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
    >>> as_real_matrix([1, 2], "X", meaning="rows x features")
    Traceback (most recent call last):
    ...
    ValueError: X must be a 2-D array (rows x features); got 1 dimension(s) with shape (2,).
    """
    array = _as_raw_numeric_array(value, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array ({meaning}); got "
            f"{array.ndim} dimension(s) with shape {array.shape}."
        )
    if array.size == 0:
        raise ValueError(
            f"{name} is empty (shape {array.shape}); expected at least one row "
            f"and one column ({meaning})."
        )
    array = _as_float_copy(array)
    if not _all_finite(array):
        raise ValueError(
            f"{name} contains NaN or infinity; every entry must be finite."
        )
    return array


def as_real_vector(
    value: Any,
    name: str,
    length: int | None = None,
    *,
    allow_empty: bool = False,
    meaning: str | None = None,
) -> np.ndarray:
    """Return ``value`` as a finite 1-D float array (a fresh copy).

    Parameters
    ----------
    value : array_like
        The candidate vector.
    name : str
        The argument's name, used in error messages.
    length : int, optional
        The required length.
    allow_empty : bool
        Accept a vector of length 0.
    meaning : str, optional
        What the entries are (e.g. ``"one per worker"``), for error messages.

    Returns
    -------
    numpy.ndarray
        A float64 copy of shape ``(n,)``.

    Raises
    ------
    TypeError
        If ``value`` is not numeric.
    ValueError
        If it is not 1-D, has the wrong length, is empty, or holds NaN or
        infinity.

    Examples
    --------
    >>> as_real_vector([1, 2.5], "weights")
    array([1. , 2.5])
    >>> as_real_vector([1, 2], "weights", length=3)
    Traceback (most recent call last):
    ...
    ValueError: weights must have length 3; got length 2.
    >>> as_real_vector([1, 2], "capacity", length=3, meaning="one per worker")
    Traceback (most recent call last):
    ...
    ValueError: capacity must have length 3 (one per worker); got length 2.
    """
    array = _as_raw_numeric_array(value, name)
    what = f" ({meaning})" if meaning else ""
    if array.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array{what}; got a scalar.")
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array{what}; got shape {array.shape}."
        )
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty; expected at least one value.")
    if length is not None and array.size != length:
        raise ValueError(
            f"{name} must have length {length}{what}; got length {array.size}."
        )
    array = _as_float_copy(array)
    if not _all_finite(array):
        raise ValueError(
            f"{name} contains NaN or infinity; every entry must be finite."
        )
    return array


def as_capacity_vector(
    value: Any, n_workers: int, name: str = "capacity"
) -> np.ndarray:
    """Return worker capacities as a 1-D array of non-negative int64 (a copy).

    ``None`` means one task per worker. A scalar is broadcast to every worker.
    Floats are accepted only when they are whole numbers (``2.0`` but not
    ``1.5``): a capacity counts tasks. Integer inputs keep their exact value
    (``np.iinfo(np.int64).max`` is a valid capacity); a capacity that does not
    fit in 64 bits (``1e19``, ``10**20``) is refused rather than wrapped.

    Parameters
    ----------
    value : None, int or array_like of int
        The capacities.
    n_workers : int
        The number of workers (the required length).
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        An int64 array of shape ``(n_workers,)``.

    Raises
    ------
    TypeError
        If a capacity is not a number.
    ValueError
        If a capacity is negative, fractional, not finite, beyond int64, or
        the length is not ``n_workers``.

    Examples
    --------
    >>> as_capacity_vector(None, 3)
    array([1, 1, 1])
    >>> as_capacity_vector(np.int32(2), 2)
    array([2, 2])
    >>> as_capacity_vector([1, -1], 2)
    Traceback (most recent call last):
    ...
    ValueError: capacity must be non-negative; worker 1 has capacity -1.
    >>> as_capacity_vector([1e19, 1], 2)
    Traceback (most recent call last):
    ...
    ValueError: capacity of worker 0 is 1e+19, which does not fit in a 64-bit integer;
    a capacity at least the number of tasks already means 'no limit'.
    """
    if value is None:
        return np.ones(n_workers, dtype=np.int64)
    value = _scalar(value)
    if isinstance(value, numbers.Number) and not _is_bool(value):
        value = [value] * n_workers
    array = _as_raw_numeric_array(value, name)
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must count tasks (integers); got booleans.")
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be a number or a 1-D array (one per worker); got shape "
            f"{array.shape}."
        )
    if array.size != n_workers:
        raise ValueError(
            f"{name} must have length {n_workers} (one per worker); got length "
            f"{array.size}."
        )
    if array.dtype.kind == "f" and not _all_finite(array):
        raise ValueError(f"{name} contains NaN or infinity; every entry must be finite.")
    negative = np.flatnonzero(array < 0)
    if negative.size:
        j = int(negative[0])
        raise ValueError(
            f"{name} must be non-negative; worker {j} has capacity {array[j]:g}."
        )
    if array.dtype.kind == "f":
        fractional = np.flatnonzero(array != np.floor(array))
        if fractional.size:
            j = int(fractional[0])
            raise ValueError(
                f"{name} must hold whole numbers of tasks; worker {j} has "
                f"capacity {array[j]:g}."
            )
        # 2**63 is the first float beyond int64 (float(INT64_MAX) == 2**63).
        huge = np.flatnonzero(array >= 2.0**63)
        if huge.size:
            j = int(huge[0])
            raise ValueError(
                f"{name} of worker {j} is {array[j]:g}, which does not fit in a "
                "64-bit integer; a capacity at least the number of tasks already "
                "means 'no limit'."
            )
    elif array.dtype.kind == "u" and array.size and int(array.max()) > INT64_MAX:
        j = int(np.argmax(array))
        raise ValueError(
            f"{name} of worker {j} is {int(array[j])}, which does not fit in a "
            "64-bit integer; a capacity at least the number of tasks already "
            "means 'no limit'."
        )
    return np.array(array, dtype=np.int64, copy=True)


def as_index_vector(
    value: Any, name: str, size: int, *, meaning: str = "indices"
) -> np.ndarray:
    """Return ``value`` as a 1-D int64 array of indices in ``range(size)``.

    Integers of every width are accepted; bools (a bool array is a mask, not
    indices) and floats (``[0.0, 1.0]``, usually a computation gone wrong)
    are refused.

    Parameters
    ----------
    value : array_like of int
        The candidate indices.
    name : str
        The argument's name, used in error messages.
    size : int
        Indices must lie in ``0 .. size - 1``.
    meaning : str
        What the indices point at, e.g. ``"task indices"``.

    Returns
    -------
    numpy.ndarray
        An int64 copy.

    Raises
    ------
    TypeError
        If the entries are bools, floats or not numbers.
    ValueError
        If an index is out of range, or the array is not 1-D.

    Examples
    --------
    >>> as_index_vector([2, 0, 1], "order", 3)
    array([2, 0, 1])
    >>> as_index_vector([0, 3], "order", 3, meaning="task indices")
    Traceback (most recent call last):
    ...
    ValueError: order must hold task indices in 0..2; got 3.
    """
    array = _as_raw_numeric_array(value, name)
    if array.dtype.kind in "bf" and array.size:  # [] reads as float: no index
        kind = "booleans" if array.dtype.kind == "b" else "floats"
        raise TypeError(f"{name} must hold {meaning} (integers); got {kind}.")
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of {meaning}; got shape {array.shape}.")
    if array.size:
        low, high = array.min(), array.max()
        if low < 0 or high >= size:
            bad = low if low < 0 else high
            raise ValueError(
                f"{name} must hold {meaning} in 0..{size - 1}; got {bad:g}."
            )
    return np.array(array, dtype=np.int64, copy=True)


def as_arrival_order(value: Any, n_tasks: int, name: str = "order") -> list[int]:
    """Return an arrival order of ``n_tasks`` tasks: every task index exactly once.

    ``None`` means the tasks arrive in index order; a generator of indices is
    read once. The indices go through :func:`as_index_vector`.

    Parameters
    ----------
    value : sequence of int, iterator of int, or None
        The candidate order.
    n_tasks : int
        The number of tasks.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    list of int
        The order, as Python integers.

    Raises
    ------
    TypeError
        If the entries are not integers.
    ValueError
        If an index is out of range, repeated or missing.

    Examples
    --------
    >>> as_arrival_order(None, 3)
    [0, 1, 2]
    >>> as_arrival_order(iter([2, 0, 1]), 3)
    [2, 0, 1]
    >>> as_arrival_order([0, 0, 1], 3)
    Traceback (most recent call last):
    ...
    ValueError: order must list every task 0..2 exactly once.
    """
    if value is None:
        return list(range(n_tasks))
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of task indices; got a string.")
    if isinstance(value, Iterator):  # a generator of indices, read once
        value = list(value)
    order = as_index_vector(value, name, n_tasks, meaning="task indices").tolist()
    if sorted(order) != list(range(n_tasks)):
        raise ValueError(f"{name} must list every task 0..{n_tasks - 1} exactly once.")
    return order


def as_pair_list(
    pairs: Any, n_tasks: int, n_workers: int, name: str = "pairs"
) -> list[tuple[int, int]]:
    """Return ``(task, worker)`` pairs as a list of Python int tuples, checked.

    Parameters
    ----------
    pairs : iterable of (int, int)
        The candidate pairs.
    n_tasks, n_workers : int
        Tasks are ``0 .. n_tasks - 1`` and workers ``0 .. n_workers - 1``;
        a negative index is refused (it would silently mean "from the end").
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    list of tuple of int
        A new list, in the given order.

    Raises
    ------
    TypeError
        If ``pairs`` is not an iterable of pairs of integers.
    ValueError
        If an index does not exist.

    Examples
    --------
    >>> as_pair_list([(0, np.int64(1))], 2, 2)
    [(0, 1)]
    >>> as_pair_list([(-1, 0)], 2, 2)
    Traceback (most recent call last):
    ...
    ValueError: pairs: task -1 does not exist; tasks are numbered 0 to 1.
    """
    if isinstance(pairs, np.ndarray) and pairs.ndim == 0:
        raise TypeError(f"{name} must be a list of (task, worker) pairs; got a 0-d array.")
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise TypeError(f"{name} must be a list of (task, worker) pairs.")
    out = []
    for pair in pairs:
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise TypeError(f"each of {name} must be (task, worker); got {pair!r}.")
        checked = []
        for what, value, size in (("task", pair[0], n_tasks), ("worker", pair[1], n_workers)):
            index = as_integer(value, f"{name}: {what} index")
            if not 0 <= index < size:
                raise ValueError(
                    f"{name}: {what} {index} does not exist; {what}s are numbered "
                    f"0 to {size - 1}."
                )
            checked.append(index)
        out.append((checked[0], checked[1]))
    return out


def as_label_sequence(values: Any, name: str) -> list:
    """Return ``values`` as a flat list of labels of one kind.

    The rule for every metrics function: labels are either all strings or all
    numbers (as in scikit-learn, ``1`` and ``"1"`` are different kinds, and a
    list mixing them is refused); NaN is not a label; ``None``, bools mixed
    with strings, nested sequences and other objects are refused. numpy
    scalars are returned as Python scalars, so ``np.int64(1)`` and ``1`` are
    the same label.

    Parameters
    ----------
    values : sequence or 1-D array
        The labels.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    list
        The labels, a new list of Python ``str`` or numbers.

    Raises
    ------
    TypeError
        If ``values`` is not a sequence, is nested, or mixes strings and
        numbers, or holds a label that is neither.
    ValueError
        If a label is NaN.

    Examples
    --------
    >>> as_label_sequence(np.array(["a", "b"]), "y_true")
    ['a', 'b']
    >>> as_label_sequence([1, "1"], "y_true")
    Traceback (most recent call last):
    ...
    TypeError: y_true mixes strings and numbers (e.g. 1 and '1'); use one kind of label.
    >>> as_label_sequence([0.0, float("nan")], "y_pred")
    Traceback (most recent call last):
    ...
    ValueError: y_pred contains NaN at position 1; NaN is not a label.
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{name} must be a sequence of labels; got {type(values).__name__}."
        )
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise TypeError(
                f"{name} must be a flat sequence of labels; got an array of shape "
                f"{values.shape}."
            )
        if values.dtype.kind in "US":
            return values.astype(str).tolist()
        if values.dtype.kind in "biu":
            return values.tolist()
        if values.dtype.kind == "f":
            nan = np.flatnonzero(np.isnan(values))
            if nan.size:
                raise ValueError(
                    f"{name} contains NaN at position {int(nan[0])}; NaN is not a label."
                )
            return values.tolist()
    labels = []
    first_string = first_number = None
    for i, v in enumerate(values):
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, str):
            if first_string is None:
                first_string = v
        elif isinstance(v, numbers.Real):
            if isinstance(v, float) and math.isnan(v):
                raise ValueError(
                    f"{name} contains NaN at position {i}; NaN is not a label."
                )
            if first_number is None:
                first_number = v
        elif isinstance(v, (list, tuple, np.ndarray)):
            raise TypeError(
                f"{name} must be a flat sequence of labels; got a nested sequence "
                "(flatten the sentences first, or use entity_report)."
            )
        else:
            raise TypeError(
                f"{name} must hold strings or numbers; position {i} is "
                f"{type(v).__name__} ({_describe(v)})."
            )
        labels.append(v)
    if first_string is not None and first_number is not None:
        raise TypeError(
            f"{name} mixes strings and numbers (e.g. {first_number!r} and "
            f"{first_string!r}); use one kind of label."
        )
    return labels
