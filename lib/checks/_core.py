"""The machinery behind :func:`lib.checks.check`: reading an answer, comparing
it with the right one, and choosing what to say.

A chapter registers its exercises in its own module (``lib/checks/p1_*.py``
and so on) with the ``register_*`` functions below; this module knows nothing
about any chapter. What the rules promise a student:

* any real scalar is a number: ``int``, ``float``, numpy scalars, 0-d and
  size-1 arrays, ``Fraction``, ``Decimal``, every sympy number and every
  sympy expression that evaluates to one;
* every answer within the exercise's stated :class:`Precision` is correct;
  an answer that agrees to fewer digits than asked is called *close*, with
  the advice to assign the computed value;
* a hint names a misconception only when the answer *is* that
  misconception's value, within the same precision; otherwise the message
  says too high or too low and which section to reread;
* huge integers, NaN, infinities, text and wrongly shaped answers get a
  sentence, never an exception.

Expected values are computed once, on the first check, and cached.
"""

from __future__ import annotations

import decimal
import functools
import importlib
import math
import numbers
import sys
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "KINDS",
    "REGISTRY",
    "CheckResult",
    "Exercise",
    "Implementation",
    "Misconception",
    "MonteCarlo",
    "Precision",
    "Registry",
    "as_real_number",
    "is_placeholder",
    "register_boolean",
    "register_custom",
    "register_expression",
    "register_function",
    "register_monte_carlo",
    "register_number",
    "register_written",
    "same_expression",
]

#: What an exercise asks a student to do.
KINDS = ("derive", "implement", "model", "number", "written")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an automatic check.

    Attributes
    ----------
    status : str
        ``"correct"``, ``"close"`` (right to fewer digits than asked),
        ``"incorrect"`` or ``"not answered"``.
    message : str
        What a student reads.

    Examples
    --------
    >>> CheckResult("correct", "Right.").correct
    True
    """

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _repr_html_(self) -> str:
        colour = {"correct": "#1a7f37", "close": "#9a6700", "incorrect": "#b42318"}.get(
            self.status, "#6e7781"
        )
        return (
            f'<div class="exercise-check" style="border-left: 4px solid {colour}; '
            f'padding: 0.3em 0.8em;"><strong>{self.status.capitalize()}.</strong> '
            f"{_escape(self.message)}</div>"
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _incorrect(message: str) -> CheckResult:
    return CheckResult("incorrect", message)


NOT_ANSWERED = CheckResult("not answered", "Not answered yet: replace ... with your answer.")
CORRECT = CheckResult("correct", "Right.")


def is_placeholder(answer: Any) -> bool:
    """True for the placeholders a student edition leaves: ``...`` and None.

    Parameters
    ----------
    answer : object
        A student's answer.

    Returns
    -------
    bool
        Whether it is ``...`` or None.

    Examples
    --------
    >>> is_placeholder(...), is_placeholder(None), is_placeholder(0)
    (True, True, False)
    """
    return answer is Ellipsis or answer is None


# ---------------------------------------------------------------- precision


def _magnitude(value: float) -> int:
    """The decimal exponent of the leading digit of ``value`` (0 for 0)."""
    return 0 if value == 0 else math.floor(math.log10(abs(value)))


def _round_sig(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


#: Room for floating-point noise between two correct computations.
_NOISE_REL, _NOISE_ABS = 1e-9, 1e-12


@dataclass(frozen=True)
class Precision:
    """How close an answer must be: the precision an exercise states.

    Build one with :meth:`sig` ("to 3 significant digits"), :meth:`decimals`
    ("to 2 decimal places"), :meth:`within` ("within 0.01") or :meth:`exact`.
    An answer rounded to the stated precision is always accepted.

    Attributes
    ----------
    mode : {"sig", "decimals", "within", "exact"}
        The kind of precision, set by the constructor methods.
    digits : int
        Significant digits (``"sig"``) or decimal places (``"decimals"``).
    width : float
        The tolerance of ``"within"``.

    Examples
    --------
    >>> p = Precision.sig(3)
    >>> p.describe()
    'to 3 significant digits'
    >>> p.accepts(1.04, 1.0428), p.accepts(1.06, 1.0428)
    (True, False)
    >>> Precision.decimals(2).accepts(0.13, 0.1349)
    True
    """

    mode: str
    digits: int = 0
    width: float = 0.0

    @classmethod
    def sig(cls, digits: int) -> Precision:
        """Correct to ``digits`` significant digits."""
        if not isinstance(digits, int) or not 1 <= digits <= 15:
            raise ValueError(f"digits must be an integer from 1 to 15; got {digits!r}.")
        return cls("sig", digits=digits)

    @classmethod
    def decimals(cls, places: int) -> Precision:
        """Correct to ``places`` decimal places."""
        if not isinstance(places, int) or not 0 <= places <= 15:
            raise ValueError(f"places must be an integer from 0 to 15; got {places!r}.")
        return cls("decimals", digits=places)

    @classmethod
    def within(cls, width: float) -> Precision:
        """Within ``width`` of the right value (a Monte-Carlo band, say)."""
        if not (isinstance(width, (int, float)) and math.isfinite(width) and width > 0):
            raise ValueError(f"width must be a positive finite number; got {width!r}.")
        return cls("within", width=float(width))

    @classmethod
    def exact(cls) -> Precision:
        """An exact value: an integer, a fraction, or a float to 9 digits."""
        return cls("exact")

    def describe(self) -> str:
        """The phrase the exercise's text states, e.g. 'to 3 significant digits'."""
        if self.mode == "sig":
            return f"to {self.digits} significant digit{'s' * (self.digits != 1)}"
        if self.mode == "decimals":
            return f"to {self.digits} decimal place{'s' * (self.digits != 1)}"
        if self.mode == "within":
            return f"within {self.width:.2g}"
        return "exactly (an integer, a fraction, or a float to 9 digits)"

    def tolerance(self, value: float) -> float:
        """Largest accepted distance from ``value`` (floating noise included)."""
        noise = _NOISE_REL * abs(value) + _NOISE_ABS
        if self.mode == "sig":
            return 0.5 * 10.0 ** (_magnitude(value) - self.digits + 1) + noise
        if self.mode == "decimals":
            return 0.5 * 10.0 ** (-self.digits) + noise
        if self.mode == "within":
            return self.width + noise
        return noise

    def accepts(self, answer: float, value: float) -> bool:
        """Whether ``answer`` is ``value`` at this precision."""
        return abs(answer - value) <= self.tolerance(value)

    def looks_rounded(self, answer: float, value: float) -> int | None:
        """Digits to which ``answer`` is a rounded (or cut) copy of ``value``.

        Returns the largest number of significant digits (or decimal places)
        ``k``, fewer than asked, such that ``answer`` is ``value`` rounded or
        truncated to ``k`` of them; None if there is none.
        """
        if self.mode == "within" or not math.isfinite(answer) or value == 0:
            return None
        top = {"sig": self.digits - 1, "decimals": self.digits - 1}.get(self.mode, 12)
        bottom = 0 if self.mode == "decimals" else 1
        for k in range(top, bottom - 1, -1):
            if self.mode == "decimals":
                unit = 10.0**-k
            else:
                unit = 10.0 ** (_magnitude(value) - k + 1)
            rounded = round(value / unit) * unit
            cut = math.trunc(value / unit) * unit
            if any(math.isclose(answer, c, rel_tol=1e-12, abs_tol=1e-12 * unit) for c in (rounded, cut)):
                return k
        return None


# ---------------------------------------------------------------- numbers


class _NotANumber(Exception):
    """An answer that is not a real number; the message is for the student."""


def _from_sympy(answer: Any) -> float | Fraction:
    import sympy as sp

    if answer.free_symbols:
        names = ", ".join(sorted(str(s) for s in answer.free_symbols))
        raise _NotANumber(
            f"Your answer still contains the symbol(s) {names}; this exercise asks for a "
            "number. Substitute values (expr.subs(...)) before assigning it."
        )
    if not isinstance(answer, sp.Expr):
        raise _NotANumber(
            f"Expected a number; got the sympy object {type(answer).__name__}."
        )
    if answer.is_Rational:
        return Fraction(int(answer.p), int(answer.q))
    if answer is sp.nan or answer.has(sp.nan):
        raise _NotANumber(_NAN_SENTENCE)
    if answer.is_infinite or answer.has(sp.zoo, sp.oo, -sp.oo):
        raise _NotANumber(_INF_SENTENCE)
    value = answer.evalf(30)
    real, imag = value.as_real_imag()
    if not (real.is_Number and imag.is_Number):
        raise _NotANumber(
            "Your sympy expression does not evaluate to a number; try simplify() "
            "or evalf() on it, and check that every symbol has a value."
        )
    if abs(float(imag)) > 1e-12 * max(1.0, abs(float(real))):
        raise _NotANumber(
            "Your answer is a complex number; this exercise asks for a real one."
        )
    return float(real)


_NAN_SENTENCE = (
    "Your answer is NaN (not a number): somewhere a 0/0, a missing value or a "
    "failed computation produced it. Rerun the cells above and look for it."
)
_INF_SENTENCE = (
    "Your answer is infinite: a division by zero or an overflow produced it. "
    "Rerun the cells above and look for it."
)


def _huge_integer(value: int) -> _NotANumber:
    # From the bit length: str() of a huge integer is refused by Python itself.
    digits = math.floor((abs(value).bit_length() - 1) * math.log10(2)) + 1
    return _NotANumber(
        f"Your answer is an integer with about {digits} digits, far beyond any answer of "
        "this exercise: check the cell that computes it."
    )


def as_real_number(answer: Any, *, allow_bool: bool = False) -> float | Fraction | bool:
    """Read ``answer`` as a real number, or raise with a sentence for a student.

    Parameters
    ----------
    answer : object
        Any real scalar: Python, numpy, ``Fraction``, ``Decimal``, sympy, a
        0-d or size-1 array.
    allow_bool : bool
        Whether True/False is an answer (only for True/False exercises).

    Returns
    -------
    float, Fraction or bool
        A ``Fraction`` for exact rationals (so 1/3 stays exact), a ``bool``
        only when ``allow_bool``, else a finite float.

    Raises
    ------
    ValueError
        With a sentence saying what the answer is and what was expected.

    Examples
    --------
    >>> import sympy as sp
    >>> as_real_number(sp.Rational(1, 2)), as_real_number(np.array([[0.25]]))
    (Fraction(1, 2), 0.25)
    >>> as_real_number(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: Your answer is NaN (not a number): somewhere a 0/0, a missing value or a
    failed computation produced it. Rerun the cells above and look for it.
    """
    try:
        value = _read_real(answer, allow_bool)
    except _NotANumber as exc:
        raise ValueError(str(exc)) from None
    if isinstance(value, Fraction) and abs(value) > 10**300:
        raise ValueError(str(_huge_integer(int(value))))
    if isinstance(value, float) and math.isnan(value):
        raise ValueError(_NAN_SENTENCE)
    if isinstance(value, float) and math.isinf(value):
        raise ValueError(_INF_SENTENCE)
    return value


def _read_real(answer: Any, allow_bool: bool) -> float | Fraction | bool:
    if isinstance(answer, (bool, np.bool_)):
        if allow_bool:
            return bool(answer)
        raise _NotANumber(
            "This exercise asks for a number, not True or False (a comparison such as "
            "a == b gives a bool): assign the number itself."
        )
    if isinstance(answer, (str, bytes)):
        raise _NotANumber(
            "Your answer is text (in quotes); assign the number itself, without quotes, "
            "or the variable that holds it."
        )
    if isinstance(answer, np.ndarray) or (
        hasattr(answer, "__array__") and not isinstance(answer, numbers.Number)
        and not _is_sympy(answer)
    ):
        array = np.asarray(answer)
        if array.size != 1:
            raise _NotANumber(
                f"Expected a single number; got an array of shape {array.shape}. "
                "Pick the entry the exercise asks for."
            )
        item = array.reshape(()).item()
        if item is answer:  # an object that wraps itself: no number inside
            raise _NotANumber(f"Expected a single number; got {type(answer).__name__}.")
        return _read_real(item, allow_bool)
    if isinstance(answer, (list, tuple)):
        raise _NotANumber(
            f"Expected a single number; got a {type(answer).__name__} of {len(answer)} "
            "item(s). Assign the number itself."
        )
    if _is_sympy(answer):
        return _from_sympy(answer)
    if isinstance(answer, Fraction):
        return answer
    if isinstance(answer, decimal.Decimal):
        if answer.is_nan():
            raise _NotANumber(_NAN_SENTENCE)
        if answer.is_infinite():
            raise _NotANumber(_INF_SENTENCE)
        if answer.adjusted() > 300:  # before Fraction builds a huge integer
            raise _NotANumber(
                "Your answer is a number with more than 300 digits, far beyond any "
                "answer of this exercise: check the cell that computes it."
            )
        return Fraction(answer)
    if isinstance(answer, (complex, np.complexfloating)):
        if answer.imag != 0:
            raise _NotANumber(
                "Your answer is a complex number; this exercise asks for a real one."
            )
        return _read_real(float(answer.real), allow_bool)
    if isinstance(answer, numbers.Integral):
        as_int = int(answer)
        if abs(as_int) > 10**300:
            raise _huge_integer(as_int)
        return Fraction(as_int)
    if isinstance(answer, numbers.Real) or hasattr(answer, "__float__"):
        try:
            return float(answer)
        except (TypeError, ValueError, OverflowError):
            pass
    raise _NotANumber(
        f"Expected a single number; got {type(answer).__name__}. Compute the value "
        "and assign it, for example answer = 1.25."
    )


def _is_sympy(value: Any) -> bool:
    module = type(value).__module__ or ""
    return module.startswith("sympy")


def _to_float(value: float | Fraction) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


# ---------------------------------------------------------------- sympy expressions


def _plain_symbols(expr: Any) -> Any:
    """``expr`` with every symbol replaced by a plain one of the same name, so
    that a student's ``Symbol("N")`` and lib's ``Symbol("N", integer=True)``
    (or an ``Idx``) are the same symbol."""
    import sympy as sp

    mapping = {s: sp.Symbol(s.name) for s in expr.atoms(sp.Symbol)}
    mapping.update({i: sp.Symbol(str(i.label)) for i in expr.atoms(sp.Idx)})
    return expr.xreplace(mapping)


def _numeric_points(expr: Any, rng: np.random.Generator, n_points: int) -> list[dict]:
    """Random integer values for the symbols that must be integers: the bounds
    of sums and products (3 to 5) and the free indices of indexed quantities
    and Kronecker deltas (1 or 2, so inside every sum's range)."""
    import sympy as sp

    bounds, indices = set(), set()
    for node in expr.atoms(sp.Sum, sp.Product):
        for limit in node.limits:
            for end in limit[1:]:
                bounds |= end.free_symbols
    for node in expr.atoms(sp.Indexed):
        for index in node.indices:
            indices |= index.free_symbols
    for node in expr.atoms(sp.KroneckerDelta):
        indices |= node.free_symbols
    free = {s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    bounds &= free  # a sum's own index variable is not free
    indices = (indices & free) - bounds
    points = []
    for _ in range(n_points):
        point = {s: sp.Integer(int(rng.integers(3, 6))) for s in bounds}
        point.update({s: sp.Integer(int(rng.integers(1, 3))) for s in indices})
        points.append(point)
    return points


def _entry_value(name: str, seed: int) -> float:
    """A random positive value for a symbol or indexed entry, fixed by its
    name, so both sides of a comparison (and the cache) see the same one."""
    return float(np.random.default_rng([seed, zlib.crc32(name.encode())]).uniform(0.5, 2.0))


@functools.lru_cache(maxsize=4096)
def _evaluate_at(expr: Any, point: tuple, seed: int) -> complex | None:
    """``expr`` at ``point`` (integer bounds and indices), sums expanded, every
    other symbol and indexed entry a random value fixed by its name; cached,
    so the expected side of a check is evaluated once."""
    import sympy as sp

    try:
        out = expr.xreplace(dict(point)).doit()
        out = out.xreplace({a: sp.Float(_entry_value(str(a), seed)) for a in out.atoms(sp.Indexed)})
        out = out.xreplace({s: sp.Float(_entry_value(str(s), seed)) for s in out.free_symbols})
        number = complex(out.evalf(30))
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    return number if math.isfinite(number.real) and math.isfinite(number.imag) else None


def _numerically_equal(a: Any, e: Any, seed: int, n_points: int) -> bool | None:
    """True/False when every point could be evaluated, None otherwise."""
    rng = np.random.default_rng(seed)
    for k, point in enumerate(_numeric_points(a - e, rng, n_points)):
        key = tuple(sorted(point.items(), key=lambda item: str(item[0])))
        left, right = _evaluate_at(a, key, seed + k), _evaluate_at(e, key, seed + k)
        if left is None or right is None:
            return None
        if abs(left - right) > 1e-8 * max(1.0, abs(right)):
            return False
    return True


def same_expression(answer: Any, expected: Any, *, seed: int = 0, n_points: int = 6) -> bool:
    """Whether two sympy expressions mean the same, symbols matched by name.

    Symbols are matched by name whatever their assumptions (a student's
    ``Symbol("N")`` is lib's positive-integer ``N``). The two sides are
    compared at random points (sums with a symbolic bound expanded at small
    integer bounds, free indices set inside the range, every other symbol
    and indexed entry a random positive real); where a side cannot be
    evaluated there, ``simplify`` of the difference decides.

    Parameters
    ----------
    answer, expected : sympy.Expr
        The two expressions.
    seed : int, default 0
        Seed of the random points.
    n_points : int, default 6
        Number of random points.

    Returns
    -------
    bool
        Whether the two are equal by that test.

    Examples
    --------
    >>> import sympy as sp
    >>> N = sp.Symbol("N", integer=True, positive=True)
    >>> same_expression(2 / sp.Symbol("N") * sp.Symbol("x"), 2 * sp.Symbol("x") / N)
    True
    >>> same_expression(sp.Symbol("x") ** 2, sp.Symbol("x"))
    False
    """
    import sympy as sp

    a, e = _plain_symbols(answer), _plain_symbols(expected)
    if a == e:
        return True
    numeric = _numerically_equal(a, e, seed, n_points)
    if numeric is not None:
        return numeric
    try:
        return bool(sp.simplify(a - e) == 0)
    except (TypeError, ValueError, NotImplementedError, RecursionError):
        return False


# ---------------------------------------------------------------- the parts of an exercise


@dataclass(frozen=True)
class Misconception:
    """A wrong answer a student is likely to give, with its own hint.

    Attributes
    ----------
    value : callable
        Computes the misconception's value (no arguments), e.g. the answer
        without the 1/N; a hint fires only for an answer equal to it.
    hint : str
        What the student reads (must not give the right answer away).

    Examples
    --------
    >>> m = Misconception(value=lambda: 2.0, hint="You kept the factor 2 of the sum.")
    >>> m.value()
    2.0
    """

    value: Callable[[], Any]
    hint: str


@dataclass(frozen=True)
class MonteCarlo:
    """A Monte-Carlo answer: the mean of ``draws`` random draws.

    Attributes
    ----------
    mean : callable
        The quantity's true value (exact, or estimated with many more draws
        than the student makes).
    sd : callable
        The standard deviation of one draw.
    draws : int
        The number of draws the exercise asks for.
    reference_draws : int or None
        Draws behind ``mean`` if it is itself an estimate (None if exact).
    z : float
        Width of the band in standard errors; 4 makes a correct simulation
        fail with probability below 1e-4.

    Examples
    --------
    >>> mc = MonteCarlo(mean=lambda: 0.5, sd=lambda: 1.0, draws=400)
    >>> mc.half_width(1.0)  # 4 * 1 / sqrt(400)
    0.2
    """

    mean: Callable[[], float]
    sd: Callable[[], float]
    draws: int
    reference_draws: int | None = None
    z: float = 4.0

    def half_width(self, sd: float) -> float:
        """The band's half-width for a per-draw standard deviation ``sd``."""
        width = self.z * sd / math.sqrt(self.draws)
        if self.reference_draws:
            width += self.z * sd / math.sqrt(self.reference_draws)
        return width


@dataclass(frozen=True)
class Implementation:
    """What an implement exercise runs: lib's reference and fresh instances.

    Attributes
    ----------
    reference : callable
        lib's implementation, called like the student's function.
    instances : callable
        ``instances(rng, size)`` returns a dict of keyword arguments: a
        random instance of the given size, from the chapter's public factory.
    sizes : tuple of int
        Instance sizes, tried smallest first (so the first difference found
        is on a smallest instance).
    per_size : int
        Random instances per size.
    compare : callable
        ``compare(student_output, reference_output)`` is True when they agree.
    hide : tuple of str
        Dotted names of lib functions made unavailable while the student's
        function runs ("lib.matching.online_greedy").
    returns : str
        What the function returns, for the messages ("the list of pairs").

    Examples
    --------
    >>> from lib.checks import exercises
    >>> spec = next(e for e in exercises() if e.label == "ex-policy-implement-gradient").implementation
    >>> spec.sizes, spec.per_size
    ((1, 2, 3, 5, 10), 3)
    """

    reference: Callable[..., Any]
    instances: Callable[[np.random.Generator, int], dict]
    sizes: tuple[int, ...] = (1, 2, 3, 4, 6, 8)
    per_size: int = 4
    compare: Callable[[Any, Any], bool] | None = None
    hide: tuple[str, ...] = ()
    returns: str = "the result"


@dataclass(frozen=True)
class Exercise:
    """One registered exercise.

    Attributes
    ----------
    label : str
        The label the book shows (``ex-<topic>-<what>``).
    chapter : str
        The chapter file, relative to the repository
        (``chapters/part1_policy/01_losses_gradients.ipynb``).
    kind : str
        What it asks: ``derive``, ``implement``, ``model``, ``number`` or
        ``written``.
    answer_type : str
        ``number``, ``boolean``, ``expression``, ``function``, ``custom`` or
        ``text``.
    precision : Precision or None
        The precision the exercise states (numeric answers).
    expected_fn : callable or None
        Computes the expected answer (no arguments); cached once called.
    misconceptions : mapping of str to Misconception
        The named wrong answers that get their own hint.
    reread : str
        The section to reread, named in a too-high / too-low message.
    monte_carlo : MonteCarlo or None
        For a Monte-Carlo answer, how far a correct estimate may fall.
    implementation : Implementation or None
        For an implement exercise, what the student's function is run against.
    grade : callable or None
        For a custom exercise, ``grade(answer, expected)`` returns the CheckResult.
    rubric : tuple of str
        For a written exercise, the points a good answer makes.
    wrong_hint : str
        A hint added to the message for a wrong True/False answer.

    Examples
    --------
    >>> from lib.checks import exercises
    >>> ex = next(e for e in exercises() if e.label == "ex-policy-hessian-eig")
    >>> ex.kind, ex.answer_type, ex.precision.describe()
    ('derive', 'number', 'to 3 significant digits')
    """

    label: str
    chapter: str
    kind: str
    answer_type: str
    precision: Precision | None = None
    expected_fn: Callable[[], Any] | None = None
    misconceptions: Mapping[str, Misconception] = field(default_factory=dict)
    reread: str = ""
    monte_carlo: MonteCarlo | None = None
    implementation: Implementation | None = None
    grade: Callable[[Any, Any], CheckResult] | None = None
    rubric: tuple[str, ...] = ()
    wrong_hint: str = ""

    @property
    def stated_precision(self) -> str:
        """The precision phrase the notebook's exercise text must state."""
        if self.monte_carlo is not None:
            return f"the mean of {self.monte_carlo.draws} draws (any seed)"
        return self.precision.describe() if self.precision else ""


# ---------------------------------------------------------------- the registry


class Registry:
    """The exercises of the book, each registered once, with cached answers.

    Examples
    --------
    >>> r = Registry()
    >>> r.number("ex-demo", "chapters/demo.ipynb", expected=lambda: 2 / 3,
    ...          precision=Precision.sig(3), reread="the section 'Demo'")
    >>> r.check("ex-demo", 0.667).status, r.check("ex-demo", 0.7).status
    ('correct', 'close')
    """

    def __init__(self) -> None:
        self._exercises: dict[str, Exercise] = {}
        self._cache: dict[tuple[str, str], Any] = {}

    # -- registration -------------------------------------------------------

    def add(self, exercise: Exercise) -> None:
        """Register ``exercise``; a label may be registered only once."""
        if not isinstance(exercise.label, str) or not exercise.label.startswith("ex-"):
            raise ValueError(f"label must be a string 'ex-<topic>-<what>'; got {exercise.label!r}.")
        if exercise.label in self._exercises:
            raise ValueError(f"two exercises registered as {exercise.label!r}.")
        if exercise.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}; got {exercise.kind!r}.")
        if not exercise.chapter.endswith(".ipynb"):
            raise ValueError(f"chapter must be a notebook path; got {exercise.chapter!r}.")
        self._exercises[exercise.label] = exercise

    def number(self, label: str, chapter: str, *, expected: Callable[[], Any],
               precision: Precision, reread: str, kind: str = "number",
               misconceptions: Mapping[str, tuple[Callable[[], Any], str]] | None = None) -> None:
        """Register an exercise whose answer is one real number."""
        self.add(Exercise(label, chapter, kind, "number", precision, expected,
                          _misconceptions(misconceptions), reread))

    def boolean(self, label: str, chapter: str, *, expected: Callable[[], bool],
                reread: str, kind: str = "number", wrong_hint: str = "") -> None:
        """Register a True/False exercise."""
        self.add(Exercise(label, chapter, kind, "boolean", None, expected, {}, reread,
                          wrong_hint=wrong_hint))

    def expression(self, label: str, chapter: str, *, expected: Callable[[], Any], reread: str,
                   kind: str = "derive",
                   misconceptions: Mapping[str, tuple[Callable[[], Any], str]] | None = None) -> None:
        """Register an exercise whose answer is a sympy expression."""
        self.add(Exercise(label, chapter, kind, "expression", None, expected,
                          _misconceptions(misconceptions), reread))

    def monte_carlo(self, label: str, chapter: str, *, simulation: MonteCarlo, reread: str,
                    kind: str = "model",
                    misconceptions: Mapping[str, tuple[Callable[[], Any], str]] | None = None) -> None:
        """Register an exercise answered by a simulation's mean."""
        self.add(Exercise(label, chapter, kind, "number", None, simulation.mean,
                          _misconceptions(misconceptions), reread, monte_carlo=simulation))

    def function(self, label: str, chapter: str, *, implementation: Implementation,
                 reread: str, kind: str = "implement") -> None:
        """Register an exercise whose answer is a function the student writes."""
        self.add(Exercise(label, chapter, kind, "function", reread=reread,
                          implementation=implementation))

    def custom(self, label: str, chapter: str, *, grade: Callable[[Any, Any], CheckResult],
               expected: Callable[[], Any], reread: str, kind: str = "number") -> None:
        """Register an exercise graded by ``grade(answer, expected_value)``."""
        self.add(Exercise(label, chapter, kind, "custom", None, expected, {}, reread, grade=grade))

    def written(self, label: str, chapter: str, *, rubric: Sequence[str]) -> None:
        """Register a written exercise (no automatic check) with its rubric."""
        if not rubric or not all(isinstance(r, str) and r for r in rubric):
            raise ValueError("rubric must be a non-empty list of sentences.")
        self.add(Exercise(label, chapter, "written", "text", rubric=tuple(rubric)))

    # -- queries -------------------------------------------------------------

    def exercises(self) -> list[Exercise]:
        """Every registered exercise, sorted by chapter and label."""
        return sorted(self._exercises.values(), key=lambda e: (e.chapter, e.label))

    def get(self, label: str) -> Exercise:
        if not isinstance(label, str):
            raise TypeError(f"label must be a string such as 'ex-match-without-worker'; got {label!r}.")
        if label not in self._exercises:
            raise ValueError(
                f"No exercise is labelled {label!r}. Known labels: {', '.join(sorted(self._exercises))}."
            )
        return self._exercises[label]

    def _cached(self, label: str, key: str, compute: Callable[[], Any]) -> Any:
        if (label, key) not in self._cache:
            self._cache[(label, key)] = compute()
        return self._cache[(label, key)]

    def expected(self, label: str) -> Any:
        """The right answer of a numeric, boolean, expression or custom exercise."""
        exercise = self.get(label)
        if exercise.expected_fn is None:
            raise ValueError(
                f"{label} is a {exercise.answer_type} exercise: it has no single expected value."
            )
        return self._cached(label, "expected", exercise.expected_fn)

    def misconception_value(self, label: str, name: str) -> Any:
        """The (cached) value of one misconception of an exercise."""
        exercise = self.get(label)
        return self._cached(label, f"mis:{name}", exercise.misconceptions[name].value)

    def precision(self, label: str) -> Precision | None:
        """The precision an answer is judged at (a Monte-Carlo band included)."""
        exercise = self.get(label)
        if exercise.monte_carlo is None:
            return exercise.precision
        sd = self._cached(label, "sd", exercise.monte_carlo.sd)
        return Precision.within(exercise.monte_carlo.half_width(sd))

    # -- checking ------------------------------------------------------------

    def check(self, label: str, answer: Any, *, seed: int | None = None) -> CheckResult:
        """Check ``answer`` to exercise ``label`` (see :func:`lib.checks.check`)."""
        exercise = self.get(label)
        if is_placeholder(answer):
            return NOT_ANSWERED
        if exercise.answer_type == "number":
            return self._check_number(exercise, answer)
        if exercise.answer_type == "boolean":
            return self._check_boolean(exercise, answer)
        if exercise.answer_type == "expression":
            return self._check_expression(exercise, answer)
        if exercise.answer_type == "function":
            return _check_function(exercise, answer, seed)
        if exercise.answer_type == "custom":
            return exercise.grade(answer, self.expected(label))
        return CheckResult(
            "not checked",
            "This is a written exercise: compare your answer with the solution.",
        )

    def _check_number(self, exercise: Exercise, answer: Any) -> CheckResult:
        try:
            value = _to_float(as_real_number(answer))
        except ValueError as exc:
            return _incorrect(str(exc))
        label = exercise.label
        expected = _to_float(as_real_number(self.expected(label)))
        precision = self.precision(label)
        if precision.accepts(value, expected):
            return CheckResult("correct", f"Right ({precision.describe()}).")
        for name, mis in exercise.misconceptions.items():
            wrong = _to_float(as_real_number(self.misconception_value(label, name)))
            if precision.accepts(value, wrong):
                return _incorrect(mis.hint)
        digits = precision.looks_rounded(value, expected)
        if digits is not None:
            unit = "decimal places" if precision.mode == "decimals" else "significant digits"
            return CheckResult(
                "close",
                f"Close: looks rounded (it agrees to {digits} {unit}; the exercise wants "
                f"it {precision.describe()}). Assign the computed value, not a rounded copy.",
            )
        direction = "Too high" if value > expected else "Too low"
        return _incorrect(f"{direction}. Reread {exercise.reread}.")

    def _check_boolean(self, exercise: Exercise, answer: Any) -> CheckResult:
        if not isinstance(answer, (bool, np.bool_)):
            return _incorrect("Expected True or False (without quotes).")
        if bool(answer) == bool(self.expected(exercise.label)):
            return CheckResult("correct", "Right.")
        extra = f" {exercise.wrong_hint}" if exercise.wrong_hint else ""
        return _incorrect(f"Not so. Reread {exercise.reread}.{extra}")

    def _check_expression(self, exercise: Exercise, answer: Any) -> CheckResult:
        if isinstance(answer, str):
            return _incorrect(
                "Your answer is text; build it from sympy symbols instead "
                "(N = sp.Symbol('N'), then an expression in N)."
            )
        if not _is_sympy(answer):
            try:
                value = as_real_number(answer)
            except ValueError:
                return _incorrect(
                    f"Expected a sympy expression; got {type(answer).__name__}."
                )
            import sympy as sp

            answer = sp.Rational(value.numerator, value.denominator) if isinstance(
                value, Fraction) else sp.Float(value)
        expected = self.expected(exercise.label)
        if same_expression(answer, expected):
            return CheckResult("correct", "Right: the same expression as the derivation's.")
        for name, mis in exercise.misconceptions.items():
            if same_expression(answer, self.misconception_value(exercise.label, name)):
                return _incorrect(mis.hint)
        extra = _names_not_in(answer, expected)
        return _incorrect(f"Not the same expression. Reread {exercise.reread}.{extra}")


def _names_not_in(answer: Any, expected: Any) -> str:
    """A sentence naming the answer's symbols that the derivation does not use."""
    import sympy as sp

    def names(expr: Any) -> set[str]:
        return {str(s) for s in expr.atoms(sp.Symbol, sp.Idx)} | {
            str(b.label) for b in expr.atoms(sp.IndexedBase)}

    extra = sorted(names(answer) - names(expected))
    if not extra:
        return ""
    return (f" Your expression uses {', '.join(extra)}, which the derivation does not: "
            "name symbols as the chapter does.")


def _misconceptions(
    spec: Mapping[str, tuple[Callable[[], Any], str]] | None,
) -> dict[str, Misconception]:
    out = {}
    for name, item in (spec or {}).items():
        out[name] = item if isinstance(item, Misconception) else Misconception(*item)
    return out


# ---------------------------------------------------------------- implement exercises


class LibFunctionHidden(RuntimeError):
    """Raised when a student's function calls the lib function it replaces."""


def _hidden_stub(dotted: str) -> Callable[..., Any]:
    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise LibFunctionHidden(dotted)

    return unavailable


class _Hidden:
    """Context manager: lib's versions unavailable while a student's runs.

    Replaces each hidden function in its module, in every loaded module that
    imported it under its name, and wherever the student's function can reach
    it directly: its globals (``from lib.x import f as g``) and its closure (a
    wrapper ``lambda *a: f(*a)`` fails too).
    """

    def __init__(self, dotted_names: Sequence[str], func: Callable[..., Any]) -> None:
        self.dotted, self.func = list(dotted_names), func
        self.undo: list[Callable[[], None]] = []

    def __enter__(self) -> None:
        originals = {}
        for dotted in self.dotted:
            module_name, _, attr = dotted.rpartition(".")
            module = importlib.import_module(module_name)
            original = getattr(module, attr)
            originals[id(original)] = _hidden_stub(dotted)
            self._swap(module.__dict__, attr, originals[id(original)])
        for namespace in self._namespaces():
            for key, value in list(namespace.items()):
                if id(value) in originals:
                    self._swap(namespace, key, originals[id(value)])
        # Any module that imported it under its own name (a chapter module, say).
        for module in list(sys.modules.values()):
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            for dotted in self.dotted:
                attr = dotted.rpartition(".")[2]
                value = namespace.get(attr)
                if value is not None and id(value) in originals:
                    self._swap(namespace, attr, originals[id(value)])
        for cell in self._closure_cells():
            if id(cell.cell_contents) in originals:
                old = cell.cell_contents
                cell.cell_contents = originals[id(old)]
                self.undo.append(lambda c=cell, v=old: setattr(c, "cell_contents", v))

    def _swap(self, namespace: dict, key: str, value: Any) -> None:
        old = namespace[key]
        namespace[key] = value
        self.undo.append(lambda: namespace.__setitem__(key, old))

    def _functions(self) -> list[Any]:
        seen, todo = [], [self.func]
        while todo:
            f = todo.pop()
            f = getattr(f, "__func__", f)  # bound methods
            if any(f is s for s in seen):
                continue
            seen.append(f)
            for cell in getattr(f, "__closure__", None) or ():
                try:
                    inner = cell.cell_contents
                except ValueError:
                    continue
                if callable(inner) and hasattr(inner, "__globals__"):
                    todo.append(inner)
            wrapped = getattr(f, "__wrapped__", None) or getattr(f, "func", None)
            if callable(wrapped):
                todo.append(wrapped)
        return seen

    def _namespaces(self) -> list[dict]:
        spaces: list[dict] = []
        for f in self._functions():
            g = getattr(f, "__globals__", None)
            if isinstance(g, dict) and not any(g is s for s in spaces):
                spaces.append(g)
        return spaces

    def _closure_cells(self) -> list[Any]:
        cells = []
        for f in self._functions():
            for cell in getattr(f, "__closure__", None) or ():
                try:
                    _ = cell.cell_contents  # an empty cell raises ValueError
                except ValueError:
                    continue
                cells.append(cell)
        return cells

    def __exit__(self, *exc: object) -> None:
        for undo in reversed(self.undo):
            undo()


def _default_compare(student: Any, reference: Any) -> bool:
    try:
        a = np.asarray(student, dtype=float)
        b = np.asarray(reference, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-9))


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, separator=", ", suppress_small=True,
                               max_line_width=10**6)
        return " ".join(text.split())
    if isinstance(value, dict):
        return ", ".join(f"{k} = {_show(v)}" for k, v in value.items())
    text = repr(value)
    return text if len(text) < 400 else text[:400] + " ..."


def _copy(instance: dict) -> dict:
    import copy

    return {k: copy.deepcopy(v) for k, v in instance.items()}


def _run_hidden(func: Callable[..., Any], cases: list[tuple[int, dict, Any]],
                hide: Sequence[str]) -> tuple[list[Any], CheckResult | None]:
    """The student's outputs, case by case, with lib's versions hidden; stops
    at the first exception, returned as the sentence a student reads."""
    outputs: list[Any] = []
    with _Hidden(hide, func):
        for _, instance, _ in cases:
            try:
                outputs.append(func(**_copy(instance)))
            except LibFunctionHidden as exc:
                name = str(exc).rpartition(".")[2]
                return outputs, _incorrect(
                    f"Your function calls lib's {name}, which is unavailable while your "
                    "own version is checked: write its steps yourself."
                )
            except Exception as exc:  # noqa: BLE001 - a student's bug: reported, never raised
                return outputs, _incorrect(
                    f"On the instance {_show(instance)}, your function raised "
                    f"{type(exc).__name__}: {exc}"
                )
    return outputs, None


def _check_function(exercise: Exercise, answer: Any, seed: int | None) -> CheckResult:
    spec = exercise.implementation
    if not callable(answer):
        return _incorrect(
            "Expected a function: write it with def, then assign the function itself "
            "(answer = my_function, without parentheses). A printed number cannot pass."
        )
    compare = spec.compare or _default_compare
    rng = np.random.default_rng(seed)
    # lib's results first, smallest instances first: the first difference is on
    # a smallest instance.
    cases = []
    for size in spec.sizes:
        for _ in range(spec.per_size):
            instance = spec.instances(rng, size)
            cases.append((size, instance, spec.reference(**_copy(instance))))
    outputs, failure = _run_hidden(answer, cases, spec.hide)
    # Compared with lib's versions available again (a comparison may use them).
    for (size, instance, reference), output in zip(cases, outputs):
        if output is None:
            return _incorrect(
                f"Your function returned None: finish it so that it returns {spec.returns}."
            )
        try:
            agrees = bool(compare(output, reference))
        except Exception:  # noqa: BLE001 - an output of the wrong shape cannot be compared
            agrees = False
        if not agrees:
            return _incorrect(
                f"Differs on the instance {_show(instance)} (size {size}, the smallest "
                f"size where it differs): your function returns {_show(output)}; "
                f"the right result is {_show(reference)}."
            )
    if failure is not None:
        return failure
    return CheckResult("correct", f"Right on {len(cases)} fresh random instances.")


# ---------------------------------------------------------------- the book's registry

#: The registry every chapter module registers into.
REGISTRY = Registry()

register_number = REGISTRY.number
register_boolean = REGISTRY.boolean
register_expression = REGISTRY.expression
register_monte_carlo = REGISTRY.monte_carlo
register_function = REGISTRY.function
register_custom = REGISTRY.custom
register_written = REGISTRY.written

