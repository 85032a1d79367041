"""Employment-policy coordination (seed 000, §4 数学模型和公式 and §5 项目实践).

Symbolic side: the article's three policy losses and its overall effect ``J``
for a general number of positions ``N`` (sympy ``IndexedBase``/``Sum``, so a
derivation does not grow with ``N``), their per-component gradients, and a
well-posed coordinated problem solved by its KKT conditions.

Numeric side: the same quantities on numpy arrays (gradients *lambdified* from
the symbolic ones), the worked example of §4.3 under named assumptions, and
the four-step policy cycle of §3.2 run as projected gradient ascent.

Notation (one entry per new position ``n = 1..N``): ``S`` skill requirement,
``E`` education effect, ``P`` industry-policy support, ``I`` industry effect,
``Ps`` social-policy support, ``A`` public-acceptance effect (introduced by the
course: the article writes ``P_s`` for both the support and the effect).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

import numpy as np
import sympy as sp

from lib._validate import as_choice, as_integer, as_real, as_real_vector, check_size

__all__ = [
    "PolicySymbols",
    "policy_symbols",
    "education_loss_expr",
    "industry_loss_expr",
    "social_loss_as_written_expr",
    "social_loss_corrected_expr",
    "employment_effect_expr",
    "article_education_gradient_expr",
    "gradient_component",
    "to_elementwise",
    "employment_effect",
    "education_loss",
    "industry_loss",
    "social_loss",
    "education_gradient",
    "industry_gradient",
    "social_gradient",
    "finite_difference_gradient",
    "ARTICLE_EXAMPLE",
    "READINGS",
    "MAX_EXPANDED_LENGTH",
    "expand_printed_sequence",
    "example_inputs",
    "example_J",
    "required_constant_support",
    "CoordinationProblem",
    "CoordinatedOptimum",
    "coordination_objective",
    "coordination_gradient",
    "coordinated_optimum",
    "coordinated_optimum_symbolic",
    "project_onto_budget",
    "PolicyCycleResult",
    "policy_cycle",
]


# ============================================================== symbolic


@dataclass(frozen=True)
class PolicySymbols:
    """Symbols of the model: sizes, indices and one ``IndexedBase`` per quantity.

    Attributes
    ----------
    N, n, k : sympy.Symbol
        The number of positions, the summation index and a fixed position.
    S, E, P, I, Ps, A : sympy.IndexedBase
        Skill requirements, education effort, industry support, industry
        effort, social support and acceptance effect.

    Examples
    --------
    >>> s = policy_symbols()
    >>> s.N, s.S[s.n], s.Ps[s.k]
    (N, S[n], P_s[k])
    """

    N: sp.Symbol
    n: sp.Symbol
    k: sp.Symbol
    S: sp.IndexedBase
    E: sp.IndexedBase
    P: sp.IndexedBase
    I: sp.IndexedBase  # noqa: E741 - the article's name
    Ps: sp.IndexedBase
    A: sp.IndexedBase


@lru_cache(maxsize=1)
def policy_symbols() -> PolicySymbols:
    """The model's symbols (the same objects on every call).

    Examples
    --------
    >>> sym = policy_symbols()
    >>> sym.S[sym.n]
    S[n]
    """
    N = sp.Symbol("N", integer=True, positive=True)
    n, k = sp.symbols("n k", integer=True, positive=True)
    return PolicySymbols(
        N, n, k,
        sp.IndexedBase("S"), sp.IndexedBase("E"), sp.IndexedBase("P"),
        sp.IndexedBase("I"), sp.IndexedBase("P_s"), sp.IndexedBase("A"),
    )  # fmt: skip


def _mean_over_positions(term: sp.Expr) -> sp.Expr:
    sym = policy_symbols()
    return sp.Sum(term, (sym.n, 1, sym.N)) / sym.N


def education_loss_expr() -> sp.Expr:
    """The education loss of §4.1: (1/N) sum_n (S_n - E_n)^2.

    Returns
    -------
    sympy.Expr
        The loss in the symbols of :func:`policy_symbols`.

    Examples
    --------
    >>> education_loss_expr()
    Sum((-E[n] + S[n])**2, (n, 1, N))/N
    """
    s = policy_symbols()
    return _mean_over_positions((s.S[s.n] - s.E[s.n]) ** 2)


def industry_loss_expr() -> sp.Expr:
    """The industry loss of §4.1: (1/N) sum_n (P_n - I_n)^2.

    Returns
    -------
    sympy.Expr
        The loss in the symbols of :func:`policy_symbols`.

    Examples
    --------
    >>> industry_loss_expr()
    Sum((-I[n] + P[n])**2, (n, 1, N))/N
    """
    s = policy_symbols()
    return _mean_over_positions((s.P[s.n] - s.I[s.n]) ** 2)


def social_loss_as_written_expr() -> sp.Expr:
    """The social-policy loss exactly as §4.1 writes it: (1/N) sum (P_s,n - P_s,n)^2.

    Both terms are the same symbol, so sympy cancels them as soon as the
    expression is built: the loss is identically zero.

    Returns
    -------
    sympy.Expr
        The loss as printed, an unevaluated sum of zeros.

    Examples
    --------
    >>> social_loss_as_written_expr().doit()
    0
    """
    s = policy_symbols()
    return _mean_over_positions((s.Ps[s.n] - s.Ps[s.n]) ** 2)


def social_loss_corrected_expr() -> sp.Expr:
    """A well-posed social-policy loss: (1/N) sum_n (P_s,n - A_n)^2.

    Assumption (named in the book): the article's second ``P_s,n`` means the
    *acceptance effect* ``A_n`` of the social policy, a quantity distinct from
    the support ``P_s,n``; the loss measures how far the effect falls short
    of the support, and is minimised over ``A``.

    Returns
    -------
    sympy.Expr
        The loss in the symbols of :func:`policy_symbols`.

    Examples
    --------
    >>> social_loss_corrected_expr()
    Sum((-A[n] + P_s[n])**2, (n, 1, N))/N
    """
    s = policy_symbols()
    return _mean_over_positions((s.Ps[s.n] - s.A[s.n]) ** 2)


def employment_effect_expr() -> sp.Expr:
    """The overall effect of §4.1: J = (1/N) sum_n (P_n E_n + P_s,n I_n).

    Returns
    -------
    sympy.Expr
        J in the symbols of :func:`policy_symbols`.

    Examples
    --------
    >>> employment_effect_expr()
    Sum(E[n]*P[n] + I[n]*P_s[n], (n, 1, N))/N
    """
    s = policy_symbols()
    return _mean_over_positions(s.P[s.n] * s.E[s.n] + s.Ps[s.n] * s.I[s.n])


def article_education_gradient_expr() -> sp.Expr:
    """The gradient §4.2 states for the education loss: -2 (S_k - E_k).

    Returns
    -------
    sympy.Expr
        The stated component at position ``k``.

    Examples
    --------
    >>> article_education_gradient_expr()  # the true one has a factor 1/N
    2*E[k] - 2*S[k]
    """
    s = policy_symbols()
    return -2 * (s.S[s.k] - s.E[s.k])


def gradient_component(expr: sp.Expr, var: sp.IndexedBase) -> sp.Expr:
    """d expr / d var[k] for a position k in 1..N, as a closed form.

    Differentiating a ``Sum`` over ``n`` with respect to ``var[k]`` gives a
    sum of Kronecker deltas; ``doit`` collapses it to a ``Piecewise`` that is
    non-zero only for ``1 <= k <= N``. Here ``k`` is such a position, so the
    branch for it is returned.

    Parameters
    ----------
    expr : sympy.Expr
        An expression with a ``Sum`` over the positions ``n``.
    var : sympy.IndexedBase
        The quantity to differentiate by, at position ``k``.

    Returns
    -------
    sympy.Expr
        The derivative at an interior position ``k``.

    Examples
    --------
    >>> s = policy_symbols()
    >>> gradient_component(education_loss_expr(), s.E)
    2*(E[k] - S[k])/N
    """
    if not isinstance(var, sp.IndexedBase):
        raise TypeError(f"var must be a sympy IndexedBase such as E; got {var!r}.")
    s = policy_symbols()
    derivative = sp.diff(expr, var[s.k]).doit()
    # k is a positive integer; on 1 <= k <= N the Piecewise takes its first branch.
    derivative = derivative.replace(
        lambda e: isinstance(e, sp.Piecewise), lambda e: e.args[0].expr
    )
    return sp.simplify(derivative)


def to_elementwise(expr: sp.Expr, arrays: tuple[str, ...]) -> Callable[..., np.ndarray]:
    """Turn a per-component expression in ``X[k]`` into a vectorised numpy function.

    Each ``X[k]`` is replaced by a plain symbol before ``lambdify``, so the
    result works elementwise on whole arrays, with no index arithmetic. (Passing
    the ``Indexed`` objects and ``k = 1..N`` to ``lambdify`` instead reads
    ``X[k]`` with numpy's 0-based indexing: an off-by-one shift.)

    Parameters
    ----------
    expr : sympy expression in ``X[k]`` for the names in ``arrays``, and ``N``.
    arrays : names of the IndexedBases, in the order of the function's arguments.

    Returns
    -------
    callable
        ``f(*arrays)``; ``N`` is taken as the arrays' length.

    Examples
    --------
    >>> s = policy_symbols()
    >>> f = to_elementwise(gradient_component(education_loss_expr(), s.E), ("S", "E"))
    >>> f(np.array([1.0, 2.0]), np.array([0.0, 0.0]))
    array([-1., -2.])
    """
    s = policy_symbols()
    plain = [sp.Symbol(f"{name}_k") for name in arrays]
    bases = [getattr(s, name) for name in arrays]
    flat = expr.subs({base[s.k]: sym for base, sym in zip(bases, plain)})
    leftover = flat.free_symbols - set(plain) - {s.N}
    if leftover:
        raise ValueError(
            f"expr still depends on {sorted(map(str, leftover))}; name them in arrays."
        )
    func = sp.lambdify([*plain, s.N], flat, modules="numpy")

    def elementwise(*values: np.ndarray) -> np.ndarray:
        columns = [np.asarray(v, dtype=float) for v in values]
        result = func(*columns, columns[0].size)
        if np.ndim(result) == 0:  # a constant derivative: one value per position
            return np.full(columns[0].shape, float(result))
        return np.asarray(result, dtype=float)  # no copy: already float arrays

    return elementwise


# ============================================================== numeric


def _same_length(**named: Any) -> dict[str, np.ndarray]:
    arrays = {name: as_real_vector(value, name) for name, value in named.items()}
    sizes = {name: a.size for name, a in arrays.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(
            "all inputs need one value per position (the same length); got "
            + ", ".join(f"{name}: {size}" for name, size in sizes.items())
            + "."
        )
    return arrays


def _exact_mean(terms: Any) -> Fraction:
    terms = list(terms)
    return sum(terms, Fraction(0)) / len(terms)


def _finite(value: float, exact: Callable[[], Fraction], what: str, names: str) -> float:
    """``value`` when it is finite; otherwise the exact rational value rounded
    once (a product or a sum of finite inputs overflowed on the way to a
    representable result), or a ValueError when the result itself is beyond
    the float range."""
    if math.isfinite(value):
        return value
    try:
        return float(exact())
    except OverflowError:
        raise ValueError(
            f"{what} is beyond the float range (about 1.8e308): {names} are too large "
            "to be combined; rescale them."
        ) from None


def _finite_entries(values: np.ndarray, exact: Callable[[int], Fraction], what: str,
                    names: str) -> np.ndarray:  # fmt: skip
    """:func:`_finite` entry by entry, for the entries that overflowed."""
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        values = values.copy()
        for k in bad:
            values[k] = _finite(math.inf, lambda k=k: exact(int(k)), f"{what}[{k}]", names)
    return values


def employment_effect(P: Any, E: Any, Ps: Any, I: Any) -> float:  # noqa: E741
    """J = mean(P * E + Ps * I) over the N positions (seed 000 §4.1).

    Products or sums that overflow on the way to a representable J are
    recomputed exactly; a J beyond the float range is refused.

    Parameters
    ----------
    P, E, Ps, I : array_like, shape (N,)
        Industry support, education effort, social support and industry effort.

    Returns
    -------
    float
        J.

    Raises
    ------
    ValueError
        If an input is not finite, the lengths differ, or J is beyond the
        float range.

    Examples
    --------
    >>> employment_effect([1, 2], [3, 4], [0, 1], [5, 6])
    8.5
    """
    a = _same_length(P=P, E=E, Ps=Ps, I=I)
    with np.errstate(over="ignore", invalid="ignore"):
        J = float(np.mean(a["P"] * a["E"] + a["Ps"] * a["I"]))
    return _finite(
        J,
        lambda: _exact_mean(Fraction(p) * Fraction(e) + Fraction(q) * Fraction(i)
                            for p, e, q, i in zip(a["P"], a["E"], a["Ps"], a["I"])),
        "J", "P, E, Ps and I",
    )  # fmt: skip


def _square_loss(target: np.ndarray, value: np.ndarray, names: str) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        loss = float(np.mean((target - value) ** 2))
    return _finite(
        loss,
        lambda: _exact_mean((Fraction(t) - Fraction(v)) ** 2 for t, v in zip(target, value)),
        "the loss", names,
    )


def education_loss(S: Any, E: Any) -> float:
    """mean((S - E)^2).

    Parameters
    ----------
    S, E : array_like, shape (N,)
        Skill requirements and education effort.

    Returns
    -------
    float
        The loss.

    Examples
    --------
    >>> education_loss([1, 2], [1, 0])
    2.0
    """
    a = _same_length(S=S, E=E)
    return _square_loss(a["S"], a["E"], "S and E")


def industry_loss(P: Any, I: Any) -> float:  # noqa: E741
    """mean((P - I)^2).

    Parameters
    ----------
    P, I : array_like, shape (N,)
        Industry support and industry effort.

    Returns
    -------
    float
        The loss.

    Examples
    --------
    >>> industry_loss([1, 2], [1, 0])
    2.0
    """
    a = _same_length(P=P, I=I)
    return _square_loss(a["P"], a["I"], "P and I")


def social_loss(Ps: Any, A: Any) -> float:
    """The corrected social loss mean((Ps - A)^2) (see :func:`social_loss_corrected_expr`).

    Parameters
    ----------
    Ps, A : array_like, shape (N,)
        Social support and acceptance effect.

    Returns
    -------
    float
        The loss.

    Examples
    --------
    >>> social_loss([1.0, 3.0], [0.0, 1.0])
    2.5
    """
    a = _same_length(Ps=Ps, A=A)
    return _square_loss(a["Ps"], a["A"], "Ps and A")


@cache
def _lambdified_gradient(which: str) -> Callable[..., np.ndarray]:
    s = policy_symbols()
    table = {
        "education": (education_loss_expr(), s.E, ("S", "E")),
        "industry": (industry_loss_expr(), s.I, ("P", "I")),
        "social": (social_loss_corrected_expr(), s.A, ("Ps", "A")),
    }
    expr, var, arrays = table[which]
    return to_elementwise(gradient_component(expr, var), arrays)


def _square_gradient(which: str, target: np.ndarray, value: np.ndarray, names: str) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        grad = _lambdified_gradient(which)(target, value)
    n = target.size
    return _finite_entries(
        grad, lambda k: -2 * (Fraction(target[k]) - Fraction(value[k])) / n, "the gradient", names
    )


def education_gradient(S: Any, E: Any) -> np.ndarray:
    """Gradient of :func:`education_loss` with respect to E, lambdified from sympy.

    Parameters
    ----------
    S, E : array_like, shape (N,)
        Skill requirements and education effort.

    Returns
    -------
    numpy.ndarray, shape (N,)
        ``-2 (S - E) / N``.

    Examples
    --------
    >>> education_gradient([1.0, 2.0], [0.0, 0.0])
    array([-1., -2.])
    """
    a = _same_length(S=S, E=E)
    return _square_gradient("education", a["S"], a["E"], "S and E")


def industry_gradient(P: Any, I: Any) -> np.ndarray:  # noqa: E741
    """Gradient of :func:`industry_loss` with respect to I, lambdified from sympy.

    Parameters
    ----------
    P, I : array_like, shape (N,)
        Industry support and industry effort.

    Returns
    -------
    numpy.ndarray, shape (N,)
        ``-2 (P - I) / N``.

    Examples
    --------
    >>> industry_gradient([1.0, 2.0], [0.0, 0.0])
    array([-1., -2.])
    """
    a = _same_length(P=P, I=I)
    return _square_gradient("industry", a["P"], a["I"], "P and I")


def social_gradient(Ps: Any, A: Any) -> np.ndarray:
    """Gradient of :func:`social_loss` with respect to A, lambdified from sympy.

    Parameters
    ----------
    Ps, A : array_like, shape (N,)
        Social support and acceptance effect.

    Returns
    -------
    numpy.ndarray, shape (N,)
        ``-2 (Ps - A) / N``.

    Examples
    --------
    >>> social_gradient([1.0, 3.0], [0.0, 1.0])
    array([-1., -2.])
    """
    a = _same_length(Ps=Ps, A=A)
    return _square_gradient("social", a["Ps"], a["A"], "Ps and A")


def finite_difference_gradient(
    f: Callable[[np.ndarray], float], x: Any, h: float = 1e-6
) -> np.ndarray:
    """Central finite-difference gradient of a scalar function, an independent check.

    The difference is divided by the step actually taken, ``(x_i + h) -
    (x_i - h)`` in floating point, not by ``2 h``: where ``x_i`` is large,
    ``x_i + h`` is rounded, and dividing by ``2 h`` would mis-scale the
    difference. A step that does not move ``x_i`` at all (``h`` below half
    the spacing of the floats at ``x_i``, e.g. ``h = 1e-8`` at ``x_i = 1e9``)
    is refused: the difference would be 0 whatever the gradient.

    Parameters
    ----------
    f : callable
        A function of a vector returning a float.
    x : array_like, shape (n,)
        The point.
    h : float, default 1e-6
        The step of the central differences (positive).

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``(f(x + h e_i) - f(x - h e_i)) / ((x_i + h) - (x_i - h))`` for each
        coordinate ``i``.

    Raises
    ------
    ValueError
        If ``h`` is not positive, or too small to move some ``x_i``.

    Examples
    --------
    >>> finite_difference_gradient(lambda v: float(v @ v), [1.0, -2.0]).round(6)
    array([ 2., -4.])
    """
    x = as_real_vector(x, "x")
    h = as_real(h, "h", minimum=0.0, include_minimum=False)
    up, down = x + h, x - h
    stuck = np.flatnonzero(up == down)
    if stuck.size:
        i = int(stuck[0])
        raise ValueError(
            f"h = {h!r} does not move x[{i}] = {x[i]!r}: the floats there are spaced "
            f"{float(np.spacing(abs(x[i]))):.3g} apart; take h of at least that size."
        )
    grad = np.empty_like(x)
    for i in range(x.size):
        above, below = x.copy(), x.copy()
        above[i], below[i] = up[i], down[i]
        grad[i] = (f(above) - f(below)) / (up[i] - down[i])
    return grad


# ============================================================== worked example (§4.3)

#: The data of seed 000 §4.3 exactly as printed: first values, "...", last value.
ARTICLE_EXAMPLE = {
    "N": 100,
    "S": (20, 30, 40, "...", 100),
    "E": (10, 15, 20, "...", 50),
    "I": (5, 10, 15, "...", 40),
    "Ps": (1, 1.2, 1.4, "...", 1.6),
    "P": None,  # the industry support P_n is used in J but never given
    "J": 5.6,
}

#: The readings of "first, second, ..., last" the book compares.
READINGS = ("progression", "stretched")
#: Longest sequence :func:`expand_printed_sequence` builds (a step of 1e-9
#: from 0 to 1 would otherwise ask for 8 GB).
MAX_EXPANDED_LENGTH = 10_000_000


#: Relative tolerance of a printed value against its progression: a value is
#: on it when it is within this fraction of the largest printed magnitude.
PRINTED_RTOL = 1e-9
#: Smallest step a progression may take, relative to the largest printed
#: magnitude: below it the tolerance would exceed a thousandth of a step.
MIN_RELATIVE_STEP = 1e-6


def _printed_numbers(printed: Any) -> tuple[list[float], float]:
    """The numbers before ``'...'`` and the last one, checked."""
    if isinstance(printed, (str, bytes)) or not isinstance(printed, (tuple, list)):
        raise TypeError(
            "printed must be a tuple such as (20, 30, 40, '...', 100); got "
            f"{type(printed).__name__}."
        )
    marks = [i for i, v in enumerate(printed) if isinstance(v, str) and v == "..."]
    if not marks:
        raise ValueError(
            "printed must contain '...' between its first values and its last."
        )
    if marks != [len(printed) - 2]:
        raise ValueError(
            "printed must hold one '...', just before its last value, e.g. "
            f"(20, 30, '...', 100); got {printed!r}."
        )
    head = [as_real(v, f"printed[{i}]") for i, v in enumerate(printed[:-2])]
    if len(head) < 2:
        raise ValueError(
            "printed must give at least two first values and a last one, e.g. "
            "(20, 30, '...', 100)."
        )
    return head, as_real(printed[-1], f"printed[{len(printed) - 1}]")


def _check_on_progression(i: int, v: float, first: float, step: Fraction, magnitude: float) -> None:
    """printed[i] = v must be within PRINTED_RTOL * magnitude of first + i * step
    (the deviation computed exactly, in rationals of the floats)."""
    tol = Fraction(PRINTED_RTOL) * Fraction(magnitude)
    if abs(Fraction(v) - Fraction(first) - i * step) > tol:
        raise ValueError(
            f"printed is not one arithmetic progression: printed[{i}] is {v!r}, but the "
            f"step {float(step)!r} from {first!r} gives {float(Fraction(first) + i * step)!r} "
            f"(tolerance {float(tol):.3g}, {PRINTED_RTOL:g} of the largest value)."
        )


def expand_printed_sequence(
    printed: tuple, reading: str = "progression", N: int = 100
) -> np.ndarray:
    """Turn a printed ``(a, b, ..., z)`` list into numbers under a named reading.

    ``"progression"``: the arithmetic progression a, b, ... up to z with step
    ``d = b - a`` (its length follows from the numbers, not from N).
    ``"stretched"``: N evenly spaced values from a to z (the list is read as a
    description of N positions).

    The printed form claims one arithmetic progression, and it is checked:
    every value printed before ``"..."`` (and, under ``"progression"``, the
    last one) must lie on ``a + i d``, within a tolerance relative to the
    values' own magnitude, ``1e-9 * max|printed value|`` (decimals such as
    1.2 are not exact in floating point; an absolute tolerance would accept
    any list of tiny numbers and refuse every list of huge ones). So that
    this tolerance stays below a thousandth of a step, a step smaller than
    ``1e-6 * max|printed value|`` is refused (a list such as
    ``(1e12, 1e12 + 1, ..., 1e12 + 10)``: the floats cannot tell whether a
    value is on such a progression).

    Parameters
    ----------
    printed : tuple
        The printed list: at least two numbers, ``"..."``, and the last number.
    reading : {"progression", "stretched"}, default "progression"
        How to read it.
    N : int, default 100
        Number of positions under ``"stretched"``.

    Returns
    -------
    numpy.ndarray
        The numbers.

    Raises
    ------
    TypeError
        If ``printed`` is not a tuple or list, or holds something other than
        numbers and one ``"..."``.
    ValueError
        If ``"..."`` is missing or misplaced, the values are not on one
        arithmetic progression (within the tolerance), the step is below
        ``1e-6`` of the values, or (``"progression"``) the last value is not
        reached by whole steps after the printed ones.

    Examples
    --------
    >>> expand_printed_sequence((20, 30, 40, "...", 100))
    array([ 20.,  30.,  40.,  50.,  60.,  70.,  80.,  90., 100.])
    >>> expand_printed_sequence((1, 1.2, 1.4, "...", 1.6)).size
    4
    >>> expand_printed_sequence((1, 2, "...", 3), "stretched", N=5)
    array([1. , 1.5, 2. , 2.5, 3. ])
    >>> expand_printed_sequence((20, 30, 45, "...", 100))
    Traceback (most recent call last):
    ...
    ValueError: printed is not one arithmetic progression: printed[2] is 45.0, but the step
    10.0 from 20.0 gives 40.0 (tolerance 1e-07, 1e-09 of the largest value).
    """
    head, last = _printed_numbers(printed)
    reading = as_choice(reading, "reading", READINGS)
    first, second = head[0], head[1]
    step = Fraction(second) - Fraction(first)
    checked = reading == "progression" or len(head) > 2
    magnitude = max(abs(v) for v in (*head, last)) if reading == "progression" else max(
        abs(v) for v in head)  # fmt: skip
    if checked and step != 0 and abs(step) < Fraction(MIN_RELATIVE_STEP) * Fraction(magnitude):
        raise ValueError(
            f"printed: the step {float(step)!r} is below {MIN_RELATIVE_STEP:g} of the values' "
            f"magnitude ({magnitude:g}); at that ratio floating point cannot tell whether a "
            "value lies on the progression."
        )
    for i, v in enumerate(head[2:], start=2):
        _check_on_progression(i, v, first, step, magnitude)
    if reading == "stretched":
        N = as_integer(N, "N", minimum=2)
        check_size(N, MAX_EXPANDED_LENGTH, "positions", "use a smaller N")
        return np.linspace(first, last, N)
    ratio = (Fraction(last) - Fraction(first)) / step if step != 0 else None
    if ratio is None or ratio < len(head) - 1 - Fraction(1, 2):
        raise ValueError(
            f"printed does not form a progression towards its last value: the step "
            f"{float(step)!r} from {first!r} does not lead to {last!r} after the "
            "printed values."
        )
    check_size(float(ratio) + 1, MAX_EXPANDED_LENGTH, "values in the progression",
               "check the printed step, or use the 'stretched' reading")  # fmt: skip
    count = round(ratio) + 1
    tol = Fraction(PRINTED_RTOL) * Fraction(magnitude)
    if abs(Fraction(last) - Fraction(first) - (count - 1) * step) > tol:
        raise ValueError(
            f"printed: the last value {last!r} is not reached by steps of {float(step)!r} "
            f"from {first!r} ({float(ratio):.6g} steps; tolerance {float(tol):.3g})."
        )
    return first + float(step) * np.arange(count)


def example_inputs(
    reading: str = "stretched", support: float = 1.0
) -> dict[str, np.ndarray]:
    """The §4.3 data as arrays of one common length, under named assumptions.

    Assumptions: the printed lists are read by ``reading`` (see
    :func:`expand_printed_sequence`); under ``"progression"`` the lists have
    different lengths (9, 9, 8, 4), so each is cut to the shortest (4); the
    industry support, which the article never gives, is the constant
    ``support`` at every position.

    Parameters
    ----------
    reading : {"stretched", "progression"}, default "stretched"
        How the printed lists are read (:func:`expand_printed_sequence`).
    support : float, default 1.0
        The constant industry support ``P``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``"S"``, ``"E"``, ``"I"``, ``"Ps"`` and ``"P"``, of one length.

    Examples
    --------
    >>> {k: v.size for k, v in example_inputs("progression").items()}
    {'S': 4, 'E': 4, 'I': 4, 'Ps': 4, 'P': 4}
    """
    support = as_real(support, "support")
    data = {
        name: expand_printed_sequence(
            ARTICLE_EXAMPLE[name], reading, ARTICLE_EXAMPLE["N"]
        )
        for name in ("S", "E", "I", "Ps")
    }
    length = min(v.size for v in data.values())
    data = {name: v[:length] for name, v in data.items()}
    data["P"] = np.full(length, float(support))
    return data


def example_J(reading: str = "stretched", support: float = 1.0) -> float:
    """J of the §4.3 example under the named assumptions of :func:`example_inputs`.

    Parameters
    ----------
    reading : {"stretched", "progression"}, default "stretched"
        How the printed lists are read (:func:`expand_printed_sequence`).
    support : float, default 1.0
        The constant industry support ``P``.

    Returns
    -------
    float
        J of those inputs.

    Examples
    --------
    >>> example_J("progression")  # mean of 1 * [10, 15, 20, 25] + [1, 1.2, 1.4, 1.6] * [5, 10, 15, 20]
    35.0
    """
    d = example_inputs(reading, support)
    return employment_effect(d["P"], d["E"], d["Ps"], d["I"])


def required_constant_support(
    reading: str = "stretched", target: float = 5.6
) -> sp.Expr:
    """Solve J(p) = target symbolically for a constant industry support p.

    Returns the exact rational solution (negative if no non-negative support
    reproduces ``target``).

    Parameters
    ----------
    reading : {"stretched", "progression"}, default "stretched"
        How the printed lists are read (:func:`expand_printed_sequence`).
    target : float, default 5.6
        The J to reproduce.

    Returns
    -------
    sympy.Expr
        The exact rational support ``p``.

    Examples
    --------
    >>> float(required_constant_support("stretched")) < 0
    True
    """
    # A number only: nsimplify would otherwise parse a string as sympy code.
    target = as_real(target, "target")
    p = sp.Symbol("p")
    expand_printed_sequence(ARTICLE_EXAMPLE["S"], reading)  # validates the reading
    N = ARTICLE_EXAMPLE["N"]

    def exact(printed: tuple) -> list[sp.Rational]:
        # The same readings as expand_printed_sequence, in exact rationals.
        first, second, last = (
            sp.nsimplify(v, rational=True)
            for v in (printed[0], printed[1], printed[-1])
        )
        if reading == "progression":
            count = int((last - first) / (second - first)) + 1
            return [first + (second - first) * i for i in range(count)]
        return [first + (last - first) * sp.Rational(i, N - 1) for i in range(N)]

    E, Ps, I = (exact(ARTICLE_EXAMPLE[name]) for name in ("E", "Ps", "I"))  # noqa: E741
    length = min(len(E), len(Ps), len(I), len(exact(ARTICLE_EXAMPLE["S"])))
    E, Ps, I = E[:length], Ps[:length], I[:length]  # noqa: E741
    J = sum(p * e + ps * i for e, ps, i in zip(E, Ps, I)) / length
    (solution,) = sp.solve(sp.Eq(J, sp.nsimplify(target, rational=True)), p)
    return solution


# ============================================================== coordination (§3.3, §5)


def _as_budget(budget: Any) -> float:
    """A budget on mean(E + I): a real number, or np.inf for none; -inf is refused
    (no point would be feasible)."""
    budget = as_real(budget, "budget (np.inf for none)", allow_infinity=True)
    if budget == -math.inf:
        raise ValueError(
            "budget = -inf leaves no feasible point (mean(E + I) <= -inf); pass a real "
            "number, or np.inf for no budget."
        )
    return budget


@dataclass(frozen=True)
class CoordinationProblem:
    """maximise W(E, I) = J(E, I) - alpha * L_edu(E) - beta * L_ind(I)
    subject to mean(E + I) <= budget; P and Ps are given data.

    Attributes
    ----------
    S, P, Ps : numpy.ndarray
        Skill requirements, industry support, social support (length N).
    alpha, beta : float
        Positive weights of the education and industry losses.
    budget : float
        Upper bound on the average effort mean(E + I); ``np.inf`` for none
        (``-np.inf`` is refused: nothing would be feasible).

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 2.0], [1.0, 1.0], [1.0, 0.5], budget=3.0)
    >>> prob.S, prob.alpha, prob.budget
    (array([1., 2.]), 1.0, 3.0)
    """

    S: np.ndarray
    P: np.ndarray
    Ps: np.ndarray
    alpha: float
    beta: float
    budget: float

    @classmethod
    def create(cls, S: Any, P: Any, Ps: Any, alpha: float = 1.0, beta: float = 1.0,
               budget: float = np.inf) -> CoordinationProblem:  # fmt: skip
        """Validate the data and build the problem.

        Examples
        --------
        >>> CoordinationProblem.create([1, 2], [1, 1], [0, 1], budget=3.0).N
        2
        """
        a = _same_length(S=S, P=P, Ps=Ps)
        alpha = as_real(alpha, "alpha (a positive weight of a loss)", minimum=0.0, include_minimum=False)
        beta = as_real(beta, "beta (a positive weight of a loss)", minimum=0.0, include_minimum=False)
        budget = _as_budget(budget)
        return cls(a["S"].copy(), a["P"].copy(), a["Ps"].copy(), alpha, beta, budget)

    @property
    def N(self) -> int:
        return int(self.S.size)


@dataclass(frozen=True)
class CoordinatedOptimum:
    """The optimum of a :class:`CoordinationProblem` and its multiplier.

    ``multiplier`` is the price of the budget (lambda >= 0): the rise in the
    optimal W per unit of extra average budget.

    Attributes
    ----------
    E, I : numpy.ndarray, shape (N,)
        The optimal education and industry effort.
    multiplier : float
        The budget's price lambda.
    objective : float
        The optimal W.

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 2.0], [1.0, 1.0], [1.0, 0.5], budget=3.0)
    >>> opt = coordinated_optimum(prob)  # the slack optimum spends 3.375: lambda = 0.375
    >>> opt.E, opt.I, opt.multiplier
    (array([1.3125, 2.3125]), array([1.3125, 1.0625]), 0.375)
    """

    E: np.ndarray
    I: np.ndarray  # noqa: E741
    multiplier: float
    objective: float


def _as_problem(problem: Any) -> CoordinationProblem:
    if not isinstance(problem, CoordinationProblem):
        raise TypeError(
            "problem must be a CoordinationProblem (CoordinationProblem.create); got "
            f"{type(problem).__name__}."
        )
    return problem


def coordination_objective(problem: CoordinationProblem, E: Any, I: Any) -> float:  # noqa: E741
    """W(E, I) = mean(P E + Ps I) - alpha mean((S - E)^2) - beta mean((P - I)^2).

    Parameters
    ----------
    problem : CoordinationProblem
        The data, loss weights and budget.
    E, I : array_like, shape (N,)
        Education and industry effort, one per position.

    Returns
    -------
    float
        W.

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], budget=np.inf)
    >>> coordination_objective(prob, [1.0, 1.0], [1.0, 1.0])  # J = 2, both losses 0
    2.0
    """
    a = _same_length(S=_as_problem(problem).S, E=E, I=I)
    return (
        employment_effect(problem.P, a["E"], problem.Ps, a["I"])
        - problem.alpha * education_loss(problem.S, a["E"])
        - problem.beta * industry_loss(problem.P, a["I"])
    )


def coordination_gradient(
    problem: CoordinationProblem, E: Any, I: Any
) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    """N times the gradient of W, that is, per-position marginal effects.

    This is the article's scaling (the gradient of the sum, not of the mean),
    kept for :func:`policy_cycle`, whose step rule is stated for it. A step
    ``t`` along it is a step ``N t`` along the true gradient: rescaling the
    gradient is rescaling the step. The book's convention is the true
    gradient of the mean (:func:`lib.coordination.welfare_gradient`).

    Parameters
    ----------
    problem : CoordinationProblem
        The data, loss weights and budget.
    E, I : array_like, shape (N,)
        Education and industry effort, one per position.

    Returns
    -------
    dW_dE, dW_dI : numpy.ndarray, shape (N,)
        N times the derivatives of W in each ``E_n`` and each ``I_n``.

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], budget=np.inf)
    >>> coordination_gradient(prob, [1.0, 1.0], [1.0, 1.0])  # P + 2 alpha (S - E), Ps + 2 beta (P - I)
    (array([1., 1.]), array([1., 1.]))
    """
    a = _same_length(S=_as_problem(problem).S, E=E, I=I)
    g_e = problem.P - 2 * problem.alpha * (a["E"] - problem.S)
    g_i = problem.Ps - 2 * problem.beta * (a["I"] - problem.P)
    return g_e, g_i


def coordinated_optimum(problem: CoordinationProblem) -> CoordinatedOptimum:
    """Closed-form optimum from the KKT conditions (derived in
    :func:`coordinated_optimum_symbolic`).

    Stationarity gives E_n = S_n + (P_n - lam) / (2 alpha) and
    I_n = P_n + (Ps_n - lam) / (2 beta); lam = 0 if the budget is slack, else
    the value that makes mean(E + I) equal the budget.

    Parameters
    ----------
    problem : CoordinationProblem
        The data, loss weights and budget.

    Returns
    -------
    CoordinatedOptimum
        The optimal efforts, the budget's multiplier and the optimal W.

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], budget=np.inf)
    >>> opt = coordinated_optimum(prob)
    >>> opt.E, opt.I, opt.multiplier
    (array([1.5, 1.5]), array([1.5, 1.5]), 0.0)
    """
    p = _as_problem(problem)
    with np.errstate(over="ignore", invalid="ignore"):
        unconstrained_mean = (
            np.mean(p.S)
            + np.mean(p.P)
            + np.mean(p.P) / (2 * p.alpha)
            + np.mean(p.Ps) / (2 * p.beta)
        )
        excess = unconstrained_mean - p.budget
        lam = max(0.0, float(excess / (1 / (2 * p.alpha) + 1 / (2 * p.beta))))
        E = p.S + (p.P - lam) / (2 * p.alpha)
        I = p.P + (p.Ps - lam) / (2 * p.beta)  # noqa: E741
    if not (math.isfinite(lam) and np.all(np.isfinite(E)) and np.all(np.isfinite(I))):
        raise ValueError(
            "the coordinated optimum is beyond the float range (about 1.8e308): the data "
            "S, P, Ps over the weights alpha and beta are too large; rescale them."
        )
    return CoordinatedOptimum(E, I, lam, coordination_objective(p, E, I))


def coordinated_optimum_symbolic() -> dict[str, sp.Expr]:
    """Derive the coordinated optimum for general N from the Lagrangian.

    L = W - lam (mean(E + I) - B). Setting dL/dE_k = dL/dI_k = 0 gives E_k and
    I_k in terms of lam; a binding budget then fixes lam.

    Returns
    -------
    dict
        ``"lagrangian"``, ``"dL_dE"``, ``"dL_dI"``, ``"E_k"``, ``"I_k"``,
        ``"lambda_binding"`` (lam when the budget binds, in terms of sums).

    Examples
    --------
    >>> sol = coordinated_optimum_symbolic()
    >>> sol["E_k"]
    (2*alpha*S[k] - lambda + P[k])/(2*alpha)
    """
    s = policy_symbols()
    alpha, beta, B = sp.symbols("alpha beta B", positive=True)
    lam = sp.Symbol("lambda")  # its sign (>= 0) is a KKT condition, checked separately
    W = (
        employment_effect_expr()
        - alpha * education_loss_expr()
        - beta * industry_loss_expr()
    )
    budget_use = _mean_over_positions(s.E[s.n] + s.I[s.n])
    lagrangian = W - lam * (budget_use - B)
    dL_dE = gradient_component(lagrangian, s.E)
    dL_dI = gradient_component(lagrangian, s.I)
    (E_k,) = sp.solve(dL_dE, s.E[s.k])
    (I_k,) = sp.solve(dL_dI, s.I[s.k])
    # Binding budget: mean over n of (E_n + I_n) = B, with E_n, I_n from above.
    at_n = (E_k + I_k).subs(s.k, s.n)
    # expand splits the Sum term by term; doit then sums the terms free of n.
    mean_use = sp.expand(sp.Sum(sp.expand(at_n), (s.n, 1, s.N))).doit() / s.N
    (lam_binding,) = sp.solve(sp.Eq(mean_use, B), lam)
    return {
        "lagrangian": lagrangian,
        "dL_dE": dL_dE,
        "dL_dI": dL_dI,
        "E_k": sp.simplify(E_k),
        "I_k": sp.simplify(I_k),
        "lambda_binding": sp.simplify(lam_binding),
    }


def project_onto_budget(
    E: np.ndarray, I: np.ndarray, budget: float
) -> tuple[np.ndarray, np.ndarray]:  # noqa: E741
    """Euclidean projection of (E, I) onto {mean(E + I) <= budget}.

    The set is a half-space with normal (1, ..., 1)/N; projecting moves every
    entry down by half the excess of the mean. The efforts have no bounds of
    their own, so an infinite budget (``np.inf``, no budget) leaves the point
    where it is (copies are returned); ``-np.inf`` is refused (the set is
    empty). An excess that overflows on the way (efforts near 1e308) is
    recomputed exactly; a projection beyond the float range is refused.

    Parameters
    ----------
    E, I : numpy.ndarray, shape (N,)
        Education and industry effort, one per position.
    budget : float
        Upper bound on ``mean(E + I)``; ``np.inf`` for none.

    Returns
    -------
    E, I : numpy.ndarray, shape (N,)
        The nearest point of the half-space.

    Raises
    ------
    ValueError
        If ``budget`` is NaN or ``-inf``, an effort is not finite, or the
        projected point is beyond the float range.

    Examples
    --------
    >>> project_onto_budget(np.array([3.0]), np.array([3.0]), 4.0)
    (array([2.]), array([2.]))
    >>> project_onto_budget(np.array([3.0]), np.array([3.0]), np.inf)  # no budget
    (array([3.]), array([3.]))
    """
    a = _same_length(E=E, I=I)
    budget = _as_budget(budget)
    E, I = a["E"], a["I"]  # noqa: E741
    excess = _budget_excess(E, I, budget)
    if excess <= 0:
        return E.copy(), I.copy()
    with np.errstate(over="ignore"):
        E2, I2 = E - excess / 2, I - excess / 2
    if not (np.all(np.isfinite(E2)) and np.all(np.isfinite(I2))):
        raise ValueError(
            "the projection of E and I onto the budget is beyond the float range "
            "(about 1.8e308); rescale E, I and budget."
        )
    return E2, I2


def _budget_excess(E: np.ndarray, I: np.ndarray, budget: float) -> float:  # noqa: E741
    """mean(E + I) - budget, exactly rounded when the float sum overflows."""
    if budget == math.inf:
        return -math.inf
    with np.errstate(over="ignore", invalid="ignore"):
        excess = float(np.mean(E + I) - budget)
    return _finite(
        excess,
        lambda: _exact_mean(Fraction(e) + Fraction(i) for e, i in zip(E, I)) - Fraction(budget),
        "mean(E + I) - budget", "E, I and budget",
    )


def _project_onto_budget(
    E: np.ndarray, I: np.ndarray, budget: float  # noqa: E741
) -> tuple[np.ndarray, np.ndarray]:
    # Unvalidated, for the policy cycle, whose iterates may diverge (to inf:
    # the cycle then stops).
    excess = float(np.mean(E + I) - budget)
    if excess <= 0:
        return E.copy(), I.copy()
    return E - excess / 2, I - excess / 2


@dataclass(frozen=True)
class PolicyCycleResult:
    """History of the policy cycle: one row per round.

    ``objective[t]`` is W after round t; ``gap[t]`` the distance to the
    optimum; ``converged`` whether the last gap is within ``tol`` of the
    optimum's size (see :func:`policy_cycle`).

    Attributes
    ----------
    E, I : numpy.ndarray, shape (N,)
        The efforts after the last round.
    objective : numpy.ndarray, shape (rounds,)
        W after each round.
    gap : numpy.ndarray, shape (rounds,)
        The distance to the optimum after each round.
    converged : bool
        Whether the last gap is at most ``tol`` times the optimum's size.

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 2.0], [1.0, 1.0], [1.0, 0.5], budget=3.0)
    >>> run = policy_cycle(prob, step=0.5, rounds=50)
    >>> run.objective.shape, run.converged, bool(np.allclose(run.E, coordinated_optimum(prob).E))
    ((50,), True, True)
    """

    E: np.ndarray
    I: np.ndarray  # noqa: E741
    objective: np.ndarray
    gap: np.ndarray
    converged: bool


def policy_cycle(
    problem: CoordinationProblem,
    step: float,
    rounds: int = 200,
    E0: Any = None,
    I0: Any = None,  # noqa: E741
    tol: float = 1e-10,
) -> PolicyCycleResult:
    """The four-step policy cycle of §3.2 as projected gradient ascent.

    Each round: *analyse* (compute the marginal effects, the gradient),
    *set* policy (a step of size ``step`` along it), *implement* (project onto
    the budget), *evaluate* (record W and the distance to the optimum).
    Guaranteed to converge for ``0 < step < 1 / max(alpha, beta)`` (the
    gradient's Lipschitz constant is 2 max(alpha, beta), in the scaling of
    :func:`coordination_gradient`). Above it nothing is guaranteed: with a
    slack budget the iteration diverges, but a binding budget's projection
    removes the error along (1, ..., 1), so the cycle can still converge (it
    does when the error lies along that direction).

    Parameters
    ----------
    problem : CoordinationProblem
        The data, loss weights and budget.
    step : float
        The step size, in the scaling of :func:`coordination_gradient`.
    rounds : int, default 200
        Number of rounds.
    E0, I0 : array_like, shape (N,), optional
        The starting efforts (default 0).
    tol : float, default 1e-10
        Relative: the cycle counts as converged when the last gap is at most
        ``tol`` times the size of the optimum, ``sqrt(sum(E*^2 + I*^2))``
        (times the size of the data S, P, Ps when the optimum is 0). An
        absolute tolerance would call every cycle on data of size 1e-12
        converged at once, and none on data of size 1e8.

    Returns
    -------
    PolicyCycleResult
        W and the gap after each round, the final efforts and ``converged``.

    Examples
    --------
    >>> prob = CoordinationProblem.create([1.0, 2.0], [1.0, 1.0], [1.0, 0.5], budget=3.0)
    >>> policy_cycle(prob, step=0.5, rounds=50).converged
    True
    """
    problem = _as_problem(problem)
    step = as_real(step, "step", minimum=0.0, include_minimum=False)
    rounds = as_integer(rounds, "rounds", minimum=1, maximum=1_000_000)
    tol = as_real(tol, "tol", minimum=0.0)
    E = (
        np.zeros(problem.N)
        if E0 is None
        else as_real_vector(E0, "E0", problem.N).copy()
    )
    I = (
        np.zeros(problem.N)
        if I0 is None
        else as_real_vector(I0, "I0", problem.N).copy()
    )  # noqa: E741
    best = coordinated_optimum(problem)
    objective, gap = np.empty(rounds), np.empty(rounds)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(rounds):
            g_e, g_i = coordination_gradient(problem, E, I)  # analyse
            E, I = E + step * g_e, I + step * g_i  # set  # noqa: E741
            E, I = _project_onto_budget(E, I, problem.budget)  # implement  # noqa: E741
            if not (np.all(np.isfinite(E)) and np.all(np.isfinite(I))):
                objective[t:], gap[t:] = -np.inf, np.inf
                break
            objective[t] = coordination_objective(problem, E, I)  # evaluate
            gap[t] = float(np.sqrt(np.sum((E - best.E) ** 2 + (I - best.I) ** 2)))
    size = _norm(np.concatenate([best.E, best.I]))
    if size == 0:
        size = _norm(np.concatenate([problem.S, problem.P, problem.Ps]))
    return PolicyCycleResult(E, I, objective, gap, bool(gap[-1] <= tol * size))


def _norm(v: np.ndarray) -> float:
    """Euclidean norm, scaled by the largest entry so that squares cannot overflow."""
    top = float(np.max(np.abs(v)))
    return top * float(np.sqrt(np.sum((v / top) ** 2))) if top > 0 else 0.0
