"""Exact sums and comparisons of floats of any magnitudes, written once.

A float is an integer times a power of two, so Python's rationals
(``fractions.Fraction``) and integers hold sums and differences of floats
exactly. The modules use these helpers where a float sum would lose a small
term beside a large one (1e8 + 1e-8), or overflow on the way to a result
that is itself a float, and refuse a result beyond the float range with a
``ValueError`` naming what it is, never ``inf``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

import numpy as np

__all__: list[str] = []  # private to lib


def exact_integers(s: np.ndarray) -> tuple[list[list[int]], int]:
    """Scores as Python integers over one common denominator: ``s_ij = k_ij / den``
    exactly, so that sums and comparisons of scores of any magnitudes are exact."""
    fractions = [[Fraction(x) for x in row] for row in s.tolist()]
    den = max((f.denominator for row in fractions for f in row), default=1)
    return [[f.numerator * (den // f.denominator) for f in row] for row in fractions], den


def exact_float(value: Fraction | int, what: str) -> float:
    """An exact value, correctly rounded; ``ValueError`` naming ``what``
    when it is beyond the largest float (never ``inf``)."""
    try:
        return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0
    except OverflowError:
        raise ValueError(f"{what} is beyond the largest float (about 1.8e308).") from None


def fraction_sum(values: Iterable[float]) -> Fraction:
    """The exact sum of floats, as a rational."""
    return sum((Fraction(float(v)) for v in values), Fraction(0))


def exact_sum(terms: Iterable[float], what: str) -> float:
    """The exact sum of float terms, correctly rounded: ``math.fsum``, or
    rationals where an intermediate sum overflows; ``ValueError`` naming
    ``what`` when the sum itself is beyond the largest float."""
    terms = [float(t) for t in terms]
    try:
        return math.fsum(terms) + 0.0
    except OverflowError:
        return exact_float(fraction_sum(terms), what)
