"""A model of employment-policy coordination in which coordination is worth something.

The course's model in place of seed 000 §4–§5. Assumptions, each named:

* **One unit for decisions.** For each of ``N`` positions (occupations or
  regions) the planner spends ``x_n >= 0`` on education and ``y_n >= 0`` on
  industrial support, both in money per position. Unit costs turn spending
  into effects: skills ``E_n = x_n / c_E`` and support ``I_n = y_n / c_I``.
* **A budget.** Average spending is limited: ``mean(x + y) <= B``.
* **Employment.** The employment gain at position ``n`` is the concave
  quadratic

  ``u_n = a S_n E_n - (kE/2) E_n^2 + b P_n I_n - (kI/2) I_n^2 + gamma E_n I_n``

  where ``S_n`` is the position's skill requirement and ``P_n`` its need for
  industrial support. With ``a = kE``, ``b = kI`` and ``gamma = 0`` this is,
  up to a constant, minus the article's two mean-squared losses (§4.1).
* **A cross-effect.** ``gamma > 0``: skills and support are complements
  (support raises employment more where skills are higher, the reading of
  automation and new tasks in Acemoglu and Restrepo); ``gamma < 0``:
  substitutes. Concavity needs ``gamma^2 < kE kI``.

The planner maximises ``W = mean(u_n)``. Its solution is found through the
budget's price ``lambda``: at a given price every position solves a small
bounded problem, and ``lambda`` is set so that spending meets the budget (the
price decentralises the plan). The decentralised benchmark gives each
ministry a fixed share of the budget and lets it pursue its own part of
``W``, ignoring the cross-effect.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp
from scipy.optimize import brentq

from lib._validate import as_integer, as_real, as_real_vector
from lib.policy import gradient_component, policy_symbols

__all__ = [
    "ActiveSet",
    "AscentResult",
    "CoordinationValue",
    "PlanSolution",
    "PolicyModel",
    "chapter_model",
    "effects",
    "employment_gain",
    "gradient_lipschitz",
    "kkt_active_sets",
    "project_onto_budget_and_bounds",
    "projected_gradient_ascent",
    "projected_gradient_step",
    "solve_decentralised",
    "solve_planner",
    "value_of_coordination",
    "welfare",
    "welfare_expr",
    "welfare_gradient",
]


def _positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    return as_real(value, name, minimum=0.0, include_minimum=allow_zero)


def _real(value: Any, name: str) -> float:
    return as_real(value, name)


@dataclass(frozen=True)
class PolicyModel:
    """The coordination model (see the module docstring for the assumptions).

    Attributes
    ----------
    S, P : numpy.ndarray
        Skill requirement and need for industrial support, one per position.
    a, b : float
        Effect sizes: employment per unit of skill times requirement, and per
        unit of support times need.
    gamma : float
        Cross-effect of skills and support (> 0 complements, < 0 substitutes).
    kE, kI : float
        Curvatures (diminishing returns) of skills and support.
    cost_E, cost_I : float
        Spending per unit of skill and per unit of support.
    budget : float
        Upper bound on mean spending per position, mean(x + y): finite and
        >= 0 (a budget of 0 allows no spending at all).

    Examples
    --------
    >>> m = PolicyModel.create([1.0, 1.0], [1.0, 1.0], budget=10.0)
    >>> m.N, m.a, m.gamma, m.budget
    (2, 2.0, 0.0, 10.0)
    """

    S: np.ndarray
    P: np.ndarray
    a: float
    b: float
    gamma: float
    kE: float
    kI: float
    cost_E: float
    cost_I: float
    budget: float

    @classmethod
    def create(cls, S: Any, P: Any, *, a: float = 2.0, b: float = 2.0, gamma: float = 0.0,
               kE: float = 2.0, kI: float = 2.0, cost_E: float = 1.0, cost_I: float = 1.0,
               budget: float = 1.0) -> PolicyModel:  # fmt: skip
        """Validate the data and build the model.

        Examples
        --------
        >>> PolicyModel.create([1.0, 2.0], [1.0, 1.0], gamma=0.5).N
        2
        """
        S = as_real_vector(S, "S")
        P = as_real_vector(P, "P", S.size)
        if np.any(S < 0) or np.any(P < 0):
            raise ValueError("S and P are requirements and needs: they must be non-negative.")
        kE, kI = _positive(kE, "kE"), _positive(kI, "kI")
        gamma = _real(gamma, "gamma")
        if gamma**2 >= kE * kI:
            raise ValueError(
                f"gamma^2 must be below kE*kI = {kE * kI:g} for employment to be concave; "
                f"got gamma = {gamma:g}."
            )
        return cls(S.copy(), P.copy(), _positive(a, "a", allow_zero=True), _positive(b, "b", allow_zero=True),
                   gamma, kE, kI, _positive(cost_E, "cost_E"), _positive(cost_I, "cost_I"),
                   _positive(budget, "budget", allow_zero=True))  # fmt: skip

    @property
    def N(self) -> int:
        return int(self.S.size)

    def with_(self, **changes: Any) -> PolicyModel:
        """A copy with some parameters changed, validated again.

        Examples
        --------
        >>> chapter_model().with_(gamma=0.0).gamma
        0.0
        """
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"PolicyModel has no parameter {sorted(unknown)}.")
        fields.update(changes)
        S, P = fields.pop("S"), fields.pop("P")
        return PolicyModel.create(S, P, **fields)


def _as_model(model: Any) -> PolicyModel:
    if not isinstance(model, PolicyModel):
        raise TypeError(
            "model must be a PolicyModel (PolicyModel.create or chapter_model); "
            f"got {type(model).__name__}."
        )
    return model


def chapter_model(gamma: float = 1.0, budget: float = 50.0, N: int = 100) -> PolicyModel:
    """The chapter's case: seed 000 §4.3's ranges stretched over ``N`` positions.

    Skill requirements ``S`` from 20 to 100 and support needs ``P`` from 5 to 40
    (the article's lists for ``S`` and ``I``, read as requirements), the
    article's losses with unit weights (``a = kE = b = kI = 2``), support
    twice as costly per unit as skills (``cost_I = 2``), a budget of 50 per
    position and complements (``gamma = 1``).

    Parameters
    ----------
    gamma : float, default 1.0
        Cross-effect of skills and support.
    budget : float, default 50.0
        Upper bound on mean spending per position.
    N : int, default 100
        Number of positions.

    Returns
    -------
    PolicyModel
        The chapter's model.

    Examples
    --------
    >>> m = chapter_model()
    >>> m.N, m.gamma, m.budget
    (100, 1.0, 50.0)
    """
    N = as_integer(N, "N", minimum=2, maximum=100_000)
    return PolicyModel.create(np.linspace(20.0, 100.0, int(N)), np.linspace(5.0, 40.0, int(N)),
                              a=2.0, b=2.0, gamma=gamma, kE=2.0, kI=2.0, cost_E=1.0, cost_I=2.0,
                              budget=budget)  # fmt: skip


def _spending(model: PolicyModel, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    model = _as_model(model)
    return as_real_vector(x, "x", model.N), as_real_vector(y, "y", model.N)


def effects(model: PolicyModel, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Skills and support bought by spending: E = x / cost_E, I = y / cost_I.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    x, y : array_like, shape (N,)
        Spending on skills (education) and on industrial support, per position.

    Returns
    -------
    E, I : numpy.ndarray, shape (N,)
        Skills and support bought.

    Examples
    --------
    >>> effects(chapter_model(N=2), [10.0, 0.0], [4.0, 2.0])
    (array([10.,  0.]), array([2., 1.]))
    """
    model = _as_model(model)
    x, y = _spending(model, x, y)
    return x / model.cost_E, y / model.cost_I


def _gain(m: PolicyModel, E: np.ndarray, I: np.ndarray) -> np.ndarray:
    return (m.a * m.S * E - m.kE / 2 * E**2 + m.b * m.P * I - m.kI / 2 * I**2 + m.gamma * E * I)


def employment_gain(model: PolicyModel, x: Any, y: Any) -> np.ndarray:
    """Employment gain u_n at each position for spending (x, y).

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    x, y : array_like, shape (N,)
        Spending on skills (education) and on industrial support, per position.

    Returns
    -------
    numpy.ndarray, shape (N,)
        The gain ``u_n`` at each position.

    Examples
    --------
    >>> m = PolicyModel.create([1.0], [1.0], gamma=1.0)
    >>> employment_gain(m, [1.0], [1.0])
    array([3.])
    """
    E, I = effects(model, x, y)
    return _gain(model, E, I)


def welfare(model: PolicyModel, x: Any, y: Any) -> float:
    """The planner's objective W = mean(u_n).

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    x, y : array_like, shape (N,)
        Spending on skills (education) and on industrial support, per position.

    Returns
    -------
    float
        ``W = mean(u_n)``.

    Examples
    --------
    >>> welfare(PolicyModel.create([1.0, 3.0], [1.0, 1.0]), [1.0, 3.0], [1.0, 1.0])
    6.0
    """
    return float(np.mean(employment_gain(model, x, y)))


# ------------------------------------------------------------------ symbolic


@lru_cache(maxsize=1)
def _parameter_symbols() -> dict[str, sp.Symbol]:
    names = ("a", "b", "gamma", "k_E", "k_I", "c_E", "c_I")
    return {name: sp.Symbol(name, real=True) for name in names}


def welfare_expr() -> sp.Expr:
    """W = (1/N) sum_n u_n in the spending x_n, y_n, for a general N.

    Returns
    -------
    sympy.Expr
        ``Sum(u_n, (n, 1, N)) / N`` in the indexed symbols ``S[n]``, ``P[n]``,
        ``x[n]``, ``y[n]`` and symbols for the model's parameters.

    Examples
    --------
    >>> W = welfare_expr()
    >>> sorted(str(a.base) for a in W.atoms(sp.Indexed))
    ['P', 'S', 'x', 'y']
    """
    s, p = policy_symbols(), _parameter_symbols()
    x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
    E, I = x[s.n] / p["c_E"], y[s.n] / p["c_I"]
    u = (p["a"] * s.S[s.n] * E - p["k_E"] / 2 * E**2 + p["b"] * s.P[s.n] * I
         - p["k_I"] / 2 * I**2 + p["gamma"] * E * I)  # fmt: skip
    return sp.Sum(u, (s.n, 1, s.N)) / s.N


@lru_cache(maxsize=1)
def _gradient_functions() -> tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]:
    s, p = policy_symbols(), _parameter_symbols()
    x, y = sp.IndexedBase("x"), sp.IndexedBase("y")
    W = welfare_expr()
    plain = {s.S[s.k]: sp.Symbol("S_k"), s.P[s.k]: sp.Symbol("P_k"),
             x[s.k]: sp.Symbol("x_k"), y[s.k]: sp.Symbol("y_k")}  # fmt: skip
    args = [*plain.values(), s.N, *p.values()]
    # Differentiate the Sum once, then lambdify the closed-form component with
    # plain symbols, so the numpy function works elementwise on whole arrays.
    return tuple(
        sp.lambdify(args, gradient_component(W, var).subs(plain), modules="numpy")
        for var in (x, y)
    )  # type: ignore[return-value]


def welfare_gradient(model: PolicyModel, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """The true gradient of W (a mean) with respect to (x, y), lambdified from sympy.

    Each component carries the 1/N of the mean: dW/dx_k = (1/N) du_k/dx_k.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    x, y : array_like, shape (N,)
        Spending on skills (education) and on industrial support, per position.

    Returns
    -------
    dW_dx, dW_dy : numpy.ndarray, shape (N,)
        The derivatives of W in each ``x_n`` and each ``y_n``.

    Examples
    --------
    >>> m = PolicyModel.create([1.0, 1.0], [1.0, 1.0])
    >>> welfare_gradient(m, [0.0, 0.0], [0.0, 0.0])
    (array([1., 1.]), array([1., 1.]))
    """
    model = _as_model(model)
    x, y = _spending(model, x, y)
    values = (model.S, model.P, x, y, model.N, model.a, model.b, model.gamma,
              model.kE, model.kI, model.cost_E, model.cost_I)  # fmt: skip
    gx, gy = (np.broadcast_to(np.asarray(f(*values), dtype=float), x.shape).copy()
              for f in _gradient_functions())  # fmt: skip
    return gx, gy


def gradient_lipschitz(model: PolicyModel) -> float:
    """Lipschitz constant L of the true gradient of W in spending.

    The Hessian of W is (1/N) times a block per position,
    [[-kE/cE^2, gamma/(cE cI)], [gamma/(cE cI), -kI/cI^2]]; L is its largest
    eigenvalue in absolute value divided by N. Gradient steps converge for
    every step below 2 / L.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.

    Returns
    -------
    float
        The Lipschitz constant L.

    Examples
    --------
    >>> gradient_lipschitz(PolicyModel.create([1.0, 1.0], [1.0, 1.0]))
    1.0
    """
    model = _as_model(model)
    cE, cI = model.cost_E, model.cost_I
    block = np.array([[-model.kE / cE**2, model.gamma / (cE * cI)],
                      [model.gamma / (cE * cI), -model.kI / cI**2]])  # fmt: skip
    return float(np.max(np.abs(np.linalg.eigvalsh(block))) / model.N)


# ------------------------------------------------------------------ solving by a price


#: Each position's regime at given prices: the optimum is at zero, inside the
#: quadrant, on the edge I = 0 (education only) or on the edge E = 0.
ZERO, INSIDE, EDGE_E, EDGE_I = 0, 1, 2, 3


def _effects_at_prices(m: PolicyModel, price_E: float, price_I: float, gamma: float,
                       regimes: bool = False) -> tuple[np.ndarray, ...]:  # fmt: skip
    """Each position maximises u_n - price_E x_n - price_I y_n over E, I >= 0.

    A concave quadratic on the quadrant: its maximum is the best of the
    maximum inside (if it is inside) and the maxima on the two edges. With
    ``regimes``, also each position's regime (ZERO, INSIDE, EDGE_E, EDGE_I),
    within which E and I are affine in the two prices.
    """
    A = m.a * m.S - price_E * m.cost_E
    B = m.b * m.P - price_I * m.cost_I
    det = m.kE * m.kI - gamma**2
    E_in, I_in = (m.kI * A + gamma * B) / det, (gamma * A + m.kE * B) / det
    E_edge = np.maximum(0.0, A / m.kE)  # on the edge I = 0
    I_edge = np.maximum(0.0, B / m.kI)  # on the edge E = 0

    def value(E: np.ndarray, I: np.ndarray) -> np.ndarray:
        return A * E + B * I + gamma * E * I - m.kE / 2 * E**2 - m.kI / 2 * I**2

    inside = (E_in >= 0) & (I_in >= 0)
    edge_E_better = value(E_edge, 0 * E_edge) >= value(0 * I_edge, I_edge)
    E = np.where(inside, E_in, np.where(edge_E_better, E_edge, 0.0))
    I = np.where(inside, I_in, np.where(edge_E_better, 0.0, I_edge))
    if not regimes:
        return E, I
    regime = np.where(inside, INSIDE, np.where(edge_E_better, np.where(E_edge > 0, EDGE_E, ZERO),
                                               np.where(I_edge > 0, EDGE_I, ZERO)))  # fmt: skip
    return E, I, regime


def _affine_effects(m: PolicyModel, gamma: Any, regime: int, A: tuple, B: tuple) -> tuple:
    """(E0, E1, I0, I1) with E = E0 - E1 lam and I = I0 - I1 lam at a position,
    in the regime's formula, given A = A0 - A1 lam and B = B0 - B1 lam (any
    number type: floats for slopes, Fractions for the exact step)."""
    (A0, A1), (B0, B1) = A, B
    kE, kI = type(A0)(m.kE), type(A0)(m.kI)
    if regime == INSIDE:
        det = kE * kI - gamma * gamma
        return ((kI * A0 + gamma * B0) / det, (kI * A1 + gamma * B1) / det,
                (gamma * A0 + kE * B0) / det, (gamma * A1 + kE * B1) / det)  # fmt: skip
    zero = type(A0)(0)
    if regime == EDGE_E:
        return A0 / kE, A1 / kE, zero, zero
    if regime == EDGE_I:
        return zero, zero, B0 / kI, B1 / kI
    return zero, zero, zero, zero


def _spend_exactly(model: PolicyModel, gamma: float, low: float, high: float, x: np.ndarray,
                   y: np.ndarray, target: float, prices: tuple[float | None, float | None],
                   ) -> tuple[np.ndarray, np.ndarray, float]:  # fmt: skip
    """The plan that spends a binding budget exactly, in the regime just below the root.

    Within a regime (each position at zero, inside the quadrant or on an
    edge) effects are affine in the price, so the price that meets the
    budget and the spending at it are solved for in exact rationals and
    rounded once. Spending computed through a rounded price misses the
    budget by the price's rounding times the slope: when one unit in the
    last place of the price moves spending from 0 to 1e4 times the budget,
    no float price gives the budget's spending. ``prices`` holds, for
    education and for support, None when it follows the price (its spending
    is then counted against ``target``) or the fixed price it is held at.
    Falls back to the plan at ``high`` (x, y) if the result would overspend.
    """
    fixed_E, fixed_I = prices
    use_E, use_I = fixed_E is None, fixed_I is None
    _, _, regime = _effects_at_prices(model, low if use_E else fixed_E, low if use_I else fixed_I,
                                      gamma, regimes=True)  # fmt: skip
    F = Fraction
    a, b, g, cE, cI = (F(v) for v in (model.a, model.b, gamma, model.cost_E, model.cost_I))
    rows, float_rows = [], []
    for n in range(model.N):
        # A = a S - p_E c_E and B = b P - p_I c_I, each either following lam or fixed.
        A = (a * F(model.S[n]), cE) if use_E else (a * F(model.S[n]) - F(fixed_E) * cE, F(0))
        B = (b * F(model.P[n]), cI) if use_I else (b * F(model.P[n]) - F(fixed_I) * cI, F(0))
        rows.append(_affine_effects(model, g, int(regime[n]), A, B))
        float_A, float_B = (float(A[0]), float(A[1])), (float(B[0]), float(B[1]))
        float_rows.append(_affine_effects(model, float(gamma), int(regime[n]), float_A, float_B))
    counted = sum(((cE * r[0] if use_E else 0) + (cI * r[2] if use_I else 0) for r in rows), F(0))
    slope = sum(((cE * r[1] if use_E else 0) + (cI * r[3] if use_I else 0) for r in rows), F(0))
    if slope <= 0:
        return x, y, high
    lam = (counted - model.N * F(target)) / slope
    new_x = np.array([max(0.0, float(cE * (r[0] - r[1] * lam))) for r in rows]) if use_E else np.zeros_like(x)
    new_y = np.array([max(0.0, float(cI * (r[2] - r[3] * lam))) for r in rows]) if use_I else np.zeros_like(y)
    # Rounding each entry may overspend by a few units in the last place: one
    # float Newton step of that size (exact enough: it is tiny) takes it back.
    dx = -model.cost_E * np.array([r[1] for r in float_rows]) if use_E else np.zeros_like(x)
    dy = -model.cost_I * np.array([r[3] for r in float_rows]) if use_I else np.zeros_like(y)
    if float(np.mean(new_x + new_y)) > target:
        new_x, new_y, _ = _meet_budget(new_x, new_y, dx, dy, target)
        if float(np.mean(new_x + new_y)) > target:
            return x, y, high
    return (new_x if use_E else x), (new_y if use_I else y), min(max(float(lam), low), high)


def _meet_budget(x: np.ndarray, y: np.ndarray, dx: np.ndarray, dy: np.ndarray,
                 target: float) -> tuple[np.ndarray, np.ndarray, float]:  # fmt: skip
    """One Newton step in spending towards mean(x + y) = target.

    ``dx``, ``dy``: the spending's derivatives in the price. Spending is
    linear in the price within a regime, so the step lands on the budget up
    to the rounding of each entry. Found through the price alone, spending
    would miss the budget by the price's rounding times the slope (when one
    unit in the last place of the price moves spending from 0 to 1e4 times
    the budget, no price gives the budget's spending). Returns the new
    spending and the price change; where rounding overspends, the step is
    corrected by the excess (doubled at each try), and it is abandoned
    (price change 0) if it still overspends or the slope is not negative.
    """
    slope = float(np.mean(dx + dy))
    if not slope < 0:
        return x, y, 0.0
    delta = (target - float(np.mean(x + y))) / slope
    for k in range(12):
        new_x, new_y = np.maximum(0.0, x + dx * delta), np.maximum(0.0, y + dy * delta)
        spent = float(np.mean(new_x + new_y))
        if spent <= target:
            return new_x, new_y, delta
        delta += (target - spent) * 2.0**k / slope
    return x, y, 0.0


def _feasible_from(spend: Callable[[float], float], target: float, lam: float) -> float:
    """The first price from ``lam`` upwards (in steps growing from one unit in
    the last place) at which spending, computed as returned, is within the
    target: the root a search returns may sit a rounding error on the wrong
    side, and a plan must not overspend its budget."""
    step = max(abs(lam), np.finfo(float).tiny) * 2.0**-52
    for _ in range(1100):
        if spend(lam) <= target:
            return lam
        lam += step
        step *= 2.0
    raise ValueError(
        f"model: no price brings spending down to the budget ({target!r}); the "
        "model's data are beyond the float range."
    )


def _price_for(spend: Callable[[float], float], target: float, choke: float) -> tuple[float, float]:
    """Prices bracketing the smallest price >= 0 at which spend(price) <= target.

    ``spend`` is continuous and non-increasing, and zero from ``choke`` on
    (the price at which no marginal value at zero spending is positive).
    Returns ``(low, high)``: ``spend(high) <= target``, and ``spend(low) >
    target`` unless ``low == high`` (the budget does not bind: both 0). The
    root is found to a relative 4 ulp (an absolute tolerance, or one relative
    to the bracket, would stop far from a price that is small beside the
    largest marginal value), ``high`` moved up until the spending computed is
    within the target and ``low`` down until it is not.
    """
    if spend(0.0) <= target:
        return 0.0, 0.0
    high = _feasible_from(spend, target, choke)
    if target > 0:
        root = brentq(lambda p: spend(p) - target, 0.0, high, xtol=np.finfo(float).tiny,
                      rtol=4 * np.finfo(float).eps, maxiter=2000)  # fmt: skip
        high = _feasible_from(spend, target, float(root))
    low, step = high, max(high, np.finfo(float).tiny) * 2.0**-52
    while low > 0 and spend(low) <= target:
        low = max(0.0, low - step)
        step *= 2.0
    return low, high


def _choke_prices(m: PolicyModel) -> tuple[float, float]:
    """The price above which education (first) or support (second) gets no
    spending: the largest marginal value of spending at zero."""
    return float(np.max(m.a * m.S) / m.cost_E), float(np.max(m.b * m.P) / m.cost_I)


def _price_ceiling(m: PolicyModel) -> float:
    # At this price every marginal value at zero spending is <= 0: nothing is
    # spent. Twice the largest marginal value keeps the bracket on the data's scale.
    top = max(*_choke_prices(m), 0.0)
    return 2.0 * top if top > 0 else 1.0


@dataclass(frozen=True)
class PlanSolution:
    """Spending chosen by a planner or by the ministries, and its true welfare.

    ``price`` is the budget's multiplier lambda (the planner), or the pair of
    the two ministries' multipliers (the decentralised benchmark).

    Attributes
    ----------
    x, y : numpy.ndarray, shape (N,)
        Spending on skills and on industrial support, per position.
    price : float or tuple of float
        The budget's multiplier, or the two ministries' multipliers.
    welfare : float
        The true W of the spending.

    Examples
    --------
    >>> solve_planner(PolicyModel.create([1.0, 1.0], [1.0, 1.0], budget=10.0))  # E = a S / kE = 1
    PlanSolution(x=array([1., 1.]), y=array([1., 1.]), price=0.0, welfare=2.0)
    """

    x: np.ndarray
    y: np.ndarray
    price: Any
    welfare: float


def solve_planner(model: PolicyModel, *, gamma_assumed: float | None = None) -> PlanSolution:
    """The planner's optimum: one budget price lambda clears the budget.

    With ``gamma_assumed`` the planner decides as if the cross-effect were
    that value (0 for a planner who ignores it); ``welfare`` is always the
    true W of the chosen spending.

    The price is searched for to a relative 4 units in the last place (not
    to a tolerance taken from the largest marginal value, which would
    misplace every position whose values are small beside it). When the
    budget binds, the spending is then solved for exactly (in rationals) in
    the regime of the positions just below that price and rounded once, so
    that it meets the budget to rounding whatever the scales: through a
    rounded price alone it can miss a budget of 1e-8 entirely. The plan
    never spends more than the budget (checked as computed); a budget of 0
    has the price at which no marginal value at zero spending is positive.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    gamma_assumed : float or None, default None
        The cross-effect the planner decides by; None means the true one.

    Returns
    -------
    PlanSolution
        The spending, its price (the budget's multiplier) and its true welfare.

    Examples
    --------
    >>> sol = solve_planner(PolicyModel.create([1.0, 1.0], [1.0, 1.0], budget=10.0))
    >>> sol.x, sol.y, sol.price
    (array([1., 1.]), array([1., 1.]), 0.0)
    """
    model = _as_model(model)
    gamma = model.gamma if gamma_assumed is None else _real(gamma_assumed, "gamma_assumed")
    if gamma**2 >= model.kE * model.kI:
        raise ValueError("gamma_assumed must keep employment concave: gamma^2 < kE*kI.")

    def spend(lam: float) -> float:
        E, I = _effects_at_prices(model, lam, lam, gamma)
        return float(np.mean(model.cost_E * E + model.cost_I * I))

    low, lam = _price_for(spend, model.budget, max(_choke_prices(model)))
    E, I = _effects_at_prices(model, lam, lam, gamma)
    x, y = model.cost_E * E, model.cost_I * I
    if low < lam and model.budget > 0:  # the budget binds: spend it exactly
        x, y, lam = _spend_exactly(model, gamma, low, lam, x, y, model.budget, (None, None))
    return PlanSolution(x, y, lam, welfare(model, x, y))


def solve_decentralised(model: PolicyModel, share: float = 0.5) -> PlanSolution:
    """The benchmark: each ministry with a fixed budget share pursues its own target.

    The education ministry spends at most ``share * budget`` (on average) to
    maximise its own part of W, ``mean(a S E - kE/2 E^2)``; the industry
    ministry spends the rest on ``mean(b P I - kI/2 I^2)``. Neither counts the
    cross-effect. Each ministry's problem is strictly concave, so the
    benchmark is unique. ``welfare`` is the true W. Each ministry's price and
    spending are found as in :func:`solve_planner` (a binding budget spent
    exactly, never overspent; a zero budget priced where that ministry's
    largest marginal value at zero spending is reached).

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    share : float, default 0.5
        The education ministry's share of the budget.

    Returns
    -------
    PlanSolution
        The ministries' spending, their two multipliers and the true welfare.

    Examples
    --------
    >>> m = PolicyModel.create([1.0, 1.0], [1.0, 1.0], budget=1.0)
    >>> solve_decentralised(m).x
    array([0.5, 0.5])
    """
    model = _as_model(model)
    share = as_real(share, "share", minimum=0.0, maximum=1.0)
    upper = _price_ceiling(model)

    def spend_E(lam: float) -> float:
        return float(np.mean(model.cost_E * _effects_at_prices(model, lam, upper, 0.0)[0]))

    def spend_I(lam: float) -> float:
        return float(np.mean(model.cost_I * _effects_at_prices(model, upper, lam, 0.0)[1]))

    budget_E, budget_I = share * model.budget, (1 - share) * model.budget
    choke_E, choke_I = _choke_prices(model)
    low_E, lam_E = _price_for(spend_E, budget_E, choke_E)
    low_I, lam_I = _price_for(spend_I, budget_I, choke_I)
    E, I = _effects_at_prices(model, lam_E, lam_I, 0.0)
    x, y = model.cost_E * E, model.cost_I * I
    if low_E < lam_E and budget_E > 0:  # each binding budget spent exactly
        x, _, lam_E = _spend_exactly(model, 0.0, low_E, lam_E, x, y, budget_E, (None, upper))
    if low_I < lam_I and budget_I > 0:
        _, y, lam_I = _spend_exactly(model, 0.0, low_I, lam_I, x, y, budget_I, (upper, None))
    return PlanSolution(x, y, (lam_E, lam_I), welfare(model, x, y))


@dataclass(frozen=True)
class CoordinationValue:
    """The planner's gain over the decentralised benchmark, in two parts.

    ``reallocation`` = W(planner ignoring the cross-effect) - W(benchmark):
    what moving money between the ministries' budgets is worth.
    ``cross_effect`` = W(planner) - W(planner ignoring the cross-effect):
    what taking the cross-effect into account adds. They sum to ``total``.

    Attributes
    ----------
    planner : float
        W of the planner's optimum.
    reallocation_only : float
        W of the planner who ignores the cross-effect.
    decentralised : float
        W of the fixed-share ministries.

    Examples
    --------
    >>> v = value_of_coordination(chapter_model())
    >>> bool(v.planner >= v.reallocation_only and v.planner >= v.decentralised)
    True
    """

    planner: float
    reallocation_only: float
    decentralised: float

    @property
    def total(self) -> float:
        return self.planner - self.decentralised

    @property
    def reallocation(self) -> float:
        return self.reallocation_only - self.decentralised

    @property
    def cross_effect(self) -> float:
        return self.planner - self.reallocation_only


def value_of_coordination(model: PolicyModel, share: float = 0.5) -> CoordinationValue:
    """Welfare of the planner, of a planner who ignores the cross-effect, and of the benchmark.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    share : float, default 0.5
        The education ministry's share of the budget in the benchmark.

    Returns
    -------
    CoordinationValue
        The three plans and the gain split into reallocation and cross-effect.

    Examples
    --------
    >>> v = value_of_coordination(chapter_model(gamma=0.0))
    >>> abs(v.cross_effect) < 1e-9 and v.reallocation > 0
    True
    """
    model = _as_model(model)
    return CoordinationValue(
        solve_planner(model).welfare,
        solve_planner(model, gamma_assumed=0.0).welfare,
        solve_decentralised(model, share).welfare,
    )


# ------------------------------------------------------------------ KKT by active sets


@dataclass(frozen=True)
class ActiveSet:
    """One guess of which constraints bind, solved exactly.

    ``active`` names the binding constraints (``"budget"``, ``"x1 >= 0"``...);
    ``point`` maps each variable and multiplier to its exact value (None if
    the guess gives no unique solution); ``primal_feasible`` and
    ``dual_feasible`` say whether all constraints hold and all multipliers
    are >= 0. The KKT point is the guess for which both hold.

    Attributes
    ----------
    active : tuple of str
        The constraints taken as binding.
    point : dict of str to sympy.Rational, or None
        The exact value of each variable and multiplier.
    primal_feasible, dual_feasible : bool
        Whether every constraint holds, and every multiplier is >= 0.

    Examples
    --------
    >>> rows = kkt_active_sets(PolicyModel.create([1.0], [1.0], budget=0.5))
    >>> kkt = next(r for r in rows if r.primal_feasible and r.dual_feasible)
    >>> kkt.active, kkt.point["x1"], kkt.point["lambda"]  # 2 - 2 x = lambda, x = y = 1/4
    (('budget',), 1/4, 3/2)
    """

    active: tuple[str, ...]
    point: dict | None
    primal_feasible: bool
    dual_feasible: bool


def kkt_active_sets(model: PolicyModel) -> list[ActiveSet]:
    """Enumerate every active set of the planner's problem for N <= 2, in exact arithmetic.

    The Lagrangian is W + lambda (B - mean(x + y)) + sum mu_i z_i over the
    spending variables z. For each subset of the 2N + 1 inequality
    constraints taken as binding (the others' multipliers set to 0),
    stationarity and the binding constraints form a linear system, solved in
    exact rationals (a guess whose system is singular has no unique point);
    complementary slackness holds by construction.

    Parameters
    ----------
    model : PolicyModel
        A model with N <= 2 positions.

    Returns
    -------
    list of ActiveSet
        One row per subset of the constraints taken as binding.

    Examples
    --------
    >>> rows = kkt_active_sets(PolicyModel.create([1.0], [1.0], budget=0.5))
    >>> [r.active for r in rows if r.primal_feasible and r.dual_feasible]
    [('budget',)]
    """
    model = _as_model(model)
    if model.N > 2:
        raise ValueError(f"kkt_active_sets enumerates 2^(2N+1) guesses; it takes N <= 2, got N = {model.N}.")
    exact = {f.name: sp.Rational(float(getattr(model, f.name)))
             for f in dataclasses.fields(model) if f.name not in ("S", "P")}  # fmt: skip
    S = [sp.Rational(float(v)) for v in model.S]
    P = [sp.Rational(float(v)) for v in model.P]
    N = model.N
    xs, ys = sp.symbols(f"x1:{N + 1}"), sp.symbols(f"y1:{N + 1}")
    z = [*xs, *ys]
    lam = sp.Symbol("lambda")
    mus = sp.symbols(f"mu_x1:{N + 1}") + sp.symbols(f"mu_y1:{N + 1}")
    E = [x / exact["cost_E"] for x in xs]
    I = [y / exact["cost_I"] for y in ys]
    W = sum(exact["a"] * S[n] * E[n] - exact["kE"] / 2 * E[n] ** 2 + exact["b"] * P[n] * I[n]
            - exact["kI"] / 2 * I[n] ** 2 + exact["gamma"] * E[n] * I[n] for n in range(N)) / N  # fmt: skip
    slack_budget = exact["budget"] - sum(z) / N
    names = ["budget", *(f"{v} >= 0" for v in z)]
    constraints = [slack_budget, *z]
    multipliers = [lam, *mus]
    L = W + sum(m * g for m, g in zip(multipliers, constraints))
    rows = []
    for size in range(len(names) + 1):
        for active in itertools.combinations(range(len(names)), size):
            zero = {multipliers[i]: 0 for i in range(len(names)) if i not in active}
            equations = [sp.diff(L, v).subs(zero) for v in z] + [constraints[i] for i in active]
            unknowns = z + [multipliers[i] for i in active]
            A, rhs = sp.linear_eq_to_matrix(equations, unknowns)
            if A.det() == 0:  # this guess does not pin down a unique point
                rows.append(ActiveSet(tuple(names[i] for i in active), None, False, False))
                continue
            point = {**dict(zip(unknowns, A.LUsolve(rhs))), **zero}
            primal = all(g.subs(point) >= 0 for g in constraints)
            dual = all(point[m] >= 0 for m in multipliers)
            values = {str(k): v for k, v in point.items()}
            rows.append(ActiveSet(tuple(names[i] for i in active), values, bool(primal), bool(dual)))
    return rows


# ------------------------------------------------------------------ projected gradient ascent


def project_onto_budget_and_bounds(x: Any, y: Any, budget: float) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean projection of (x, y) onto {x, y >= 0, mean(x + y) <= budget}.

    The projection is max(0, v - tau) entrywise, with the smallest tau >= 0
    that meets the budget (tau is the budget's multiplier in the projection
    problem). ``budget = np.inf`` means no budget: the projection onto the
    bounds alone, max(0, v).

    tau is found by sorting, exactly as in exact arithmetic, and each
    funded entry is computed as ``t - (v_max - v_i)``, from differences
    between funded entries (each at most the budget's total): never as
    ``v_i - tau``, which cancels to noise when the budget is small beside
    the entries (a budget of 1e-8 against spending of 1e8).

    Parameters
    ----------
    x, y : array_like, shape (N,)
        The point to project.
    budget : float
        Upper bound on ``mean(x + y)`` (>= 0); ``np.inf`` for none.

    Returns
    -------
    x, y : numpy.ndarray, shape (N,)
        The nearest feasible spending.

    Examples
    --------
    >>> project_onto_budget_and_bounds([3.0, -1.0], [1.0, 0.0], 1.0)
    (array([2., 0.]), array([0., 0.]))
    >>> project_onto_budget_and_bounds([3.0, -1.0], [1.0, 0.0], np.inf)  # the bounds only
    (array([3., 0.]), array([1., 0.]))
    """
    x = as_real_vector(x, "x")
    y = as_real_vector(y, "y", x.size)
    budget = as_real(budget, "budget (np.inf for none)", minimum=0.0, allow_infinity=True)
    z = _project_capped(np.concatenate([x, y]), x.size, budget)
    if not np.all(np.isfinite(z)):
        raise ValueError(
            "the projection is beyond the float range (about 1.8e308): x, y and budget "
            "are too large; rescale them."
        )
    return z[: x.size], z[x.size:]


def _within_budget(values: np.ndarray, n: int, budget: float) -> bool:
    """sum(values) <= n * budget for values >= 0, decided exactly near equality
    (a correctly rounded sum, then rationals when it is within 1e-12)."""
    try:
        total = math.fsum(values.tolist())
    except OverflowError:
        total = math.inf
    if math.isfinite(total):
        mean = total / n
        if mean < budget * (1 - 1e-12):
            return True
        if mean > budget * (1 + 1e-12):
            return False
    return sum(map(Fraction, values.tolist()), Fraction(0)) <= n * Fraction(budget)


def _project_capped(v: np.ndarray, n: int, budget: float) -> np.ndarray:
    """max(0, v - tau) with the smallest tau >= 0 such that sum <= n * budget."""
    positive = np.maximum(v, 0.0)
    if budget == np.inf or _within_budget(positive, n, budget):
        return positive
    top = float(positive.max())
    u = np.sort(v[v > 0])[::-1]
    gaps = top - u  # >= 0; among funded entries each is at most n * budget
    with np.errstate(over="ignore"):
        total = n * budget
        k = np.arange(1, u.size + 1)
        t = (total + np.cumsum(gaps)) / k  # t_k: top - tau if the k largest are funded
    funded = np.flatnonzero(t > gaps)  # the k-th largest is then above tau
    if funded.size == 0:  # a zero budget: nothing is funded
        return np.zeros_like(v)
    t_star = float(t[funded[-1]])
    with np.errstate(over="ignore", invalid="ignore"):
        return np.maximum(0.0, t_star - (top - v))


def projected_gradient_step(model: PolicyModel, x: Any, y: Any, step: float) -> tuple[np.ndarray, np.ndarray]:
    """One round of the policy cycle with known effects: a step up the true
    gradient of W, then the projection onto the feasible spending.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    x, y : array_like, shape (N,)
        Spending on skills (education) and on industrial support, per position.
    step : float
        The step size.

    Returns
    -------
    x, y : numpy.ndarray, shape (N,)
        The spending after the step and the projection.

    Examples
    --------
    >>> m = PolicyModel.create([1.0, 1.0], [1.0, 1.0], budget=10.0)
    >>> projected_gradient_step(m, [0.0, 0.0], [0.0, 0.0], 1.0)
    (array([1., 1.]), array([1., 1.]))
    """
    model = _as_model(model)
    step = _positive(step, "step")
    gx, gy = welfare_gradient(model, x, y)
    x, y = _spending(model, x, y)
    return project_onto_budget_and_bounds(x + step * gx, y + step * gy, model.budget)


@dataclass(frozen=True)
class AscentResult:
    """Projected gradient ascent: final spending and the distance to the optimum per round.

    ``distance[t]`` is the root-mean-square gap per position,
    sqrt(mean((x - x*)^2 + (y - y*)^2)), after round t.

    Attributes
    ----------
    x, y : numpy.ndarray, shape (N,)
        The spending after the last round.
    distance : numpy.ndarray, shape (rounds,)
        The distance to the optimum after each round.

    Examples
    --------
    >>> run = projected_gradient_ascent(chapter_model(N=4), 0.5, rounds=3)
    >>> run.x.shape, run.distance.shape
    ((4,), (3,))
    """

    x: np.ndarray
    y: np.ndarray
    distance: np.ndarray


def projected_gradient_ascent(model: PolicyModel, step: float, rounds: int = 200) -> AscentResult:
    """Run ``rounds`` projected gradient steps from zero spending.

    Convergence is guaranteed for 0 < step < 2 / L (:func:`gradient_lipschitz`);
    above it the unconstrained iteration diverges, and the projected one may
    or may not converge, depending on which constraints bind.

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    step : float
        The step size.
    rounds : int, default 200
        Number of steps.

    Returns
    -------
    AscentResult
        The final spending and the distance to the optimum after each round.

    Examples
    --------
    >>> m = chapter_model(N=4)
    >>> run = projected_gradient_ascent(m, 1.0 / gradient_lipschitz(m), 300)
    >>> bool(run.distance[-1] < 1e-8)
    True
    """
    model = _as_model(model)
    step = _positive(step, "step")
    rounds = as_integer(rounds, "rounds", minimum=1, maximum=100_000)
    best = solve_planner(model)
    x, y = np.zeros(model.N), np.zeros(model.N)
    distance = np.full(int(rounds), np.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(int(rounds)):
            try:
                x, y = projected_gradient_step(model, x, y, step)
            except ValueError:  # the iterates left the finite numbers: diverged
                break
            distance[t] = float(np.sqrt(np.mean((x - best.x) ** 2 + (y - best.y) ** 2)))
    return AscentResult(x, y, distance)
