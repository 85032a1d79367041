"""Automatic checks for the book's exercises.

A student calls ``check(label, answer)`` with the exercise's label (the one
the book shows) and their answer, and reads one of:

* ``"not answered"`` -- the answer is still the placeholder ``...`` (or None);
* ``"correct"`` -- within the precision the exercise states;
* ``"close"`` -- right to fewer digits than asked (a rounded copy);
* ``"incorrect"`` -- with a hint: a named misconception only when the answer
  is that misconception's value, otherwise too high / too low and the
  section to reread.

Any real scalar is a number (Python, numpy, ``Fraction``, ``Decimal``, sympy,
0-d and size-1 arrays); a wrongly shaped answer gets a sentence, never an
exception. The machinery is in :mod:`lib.checks._core`; each chapter
registers its exercises in its own module (``lib/checks/p1_losses_gradients.py``
and so on). Expected answers are computed once and cached.

Examples
--------
>>> check("ex-match-without-worker", ...)
CheckResult(status='not answered', message='Not answered yet: replace ... with your answer.')
>>> check("ex-policy-hessian-eig", Fraction(1, 2)).status
'correct'
>>> [e.kind for e in exercises() if e.label == "ex-match-why-integral"]
['written']
"""

from __future__ import annotations

from fractions import Fraction  # noqa: F401  (used by the doctest)
from typing import Any

# Each chapter's registrations (imported for their effect: they fill REGISTRY).
from lib.checks import (  # noqa: F401
    p1_coordination,
    p1_losses_gradients,
    p1_worked_example,
    p2_duality,
    p2_matching_lp,
    p2_online,
    p3_least_squares,
    p3_report,
)
from lib.checks._core import REGISTRY, CheckResult, Exercise, Precision, is_placeholder

# The budget instance of Part II's duality chapter, which its notebook imports from here.
from lib.checks.p2_duality import BUDGET_INSTANCE

__all__ = [
    "BUDGET_INSTANCE",
    "CheckResult",
    "Exercise",
    "Precision",
    "check",
    "exercise_labels",
    "exercises",
    "expected",
    "is_placeholder",
]


def check(label: str, answer: Any, *, seed: int | None = None) -> CheckResult:
    """Check a student's answer to the exercise ``label``.

    Parameters
    ----------
    label : str
        The exercise label shown in the book, such as ``"ex-match-without-worker"``.
    answer : object
        The student's answer; ``...`` means not answered yet. A number, a
        sympy expression, True/False, a list of pairs or a function, as the
        exercise asks.
    seed : int, optional
        Seed of the random instances an implement exercise runs (default:
        fresh ones on every call).

    Returns
    -------
    CheckResult

    Raises
    ------
    ValueError
        If no exercise has that label (the message lists the known labels).
    TypeError
        If ``label`` is not a string.

    Examples
    --------
    >>> check("ex-online-eps-ratio", 0.05).status
    'correct'
    """
    return REGISTRY.check(label, answer, seed=seed)


def exercises() -> list[Exercise]:
    """Every exercise of the book: label, chapter, kind, stated precision, ...

    Returns
    -------
    list of Exercise
        One entry per registered exercise.

    Examples
    --------
    >>> kinds = {e.kind for e in exercises()}
    >>> kinds <= {"derive", "implement", "model", "number", "written"}
    True
    """
    return REGISTRY.exercises()


def expected(label: str) -> Any:
    """The expected answer of a numeric (or boolean, expression) exercise.

    For instructors and tests; grading does not rely on it being secret.

    Parameters
    ----------
    label : str
        The exercise's label.

    Returns
    -------
    object
        The expected answer (a number, a bool or a sympy expression).

    Examples
    --------
    >>> float(expected("ex-online-eps-ratio"))
    0.05
    """
    return REGISTRY.expected(label)


def exercise_labels() -> list[str]:
    """Labels of every registered exercise.

    Returns
    -------
    list of str
        The labels, sorted.

    Examples
    --------
    >>> "ex-match-without-worker" in exercise_labels()
    True
    """
    return sorted(e.label for e in REGISTRY.exercises())
