"""Differential test of the public functions of lib's policy modules
(coordination, policy, policy learning, floors, network, online, listing).

Same pattern as ``test_differential.py`` and ``test_differential_models.py``:
each case draws VALID inputs at the edges, compares with a reference computed
another way, states what "agrees" means, counts its inputs (at least
``MIN_INPUTS``) and writes the counts to
``_build/differential_counts_policy.txt`` (summed over all differential files
at the end of the run).

Most references work in exact rationals (``fractions.Fraction``): an exact
solver of the planner's problem that enumerates the active sets, exact
water-filling and projections by sorting, exact least squares, an exact
Big-M simplex method, and brute-force enumeration of assignments (never
``linear_sum_assignment`` or HiGHS, which lib's solvers use). Model data are
small integers times a power-of-two scale from 2^-500 to 2^500, so that the
exact reference has no rounding boundary to disagree on.

For the symbolic functions, the count is the number of random exact rational
points at which an expression is compared with one built here by hand from
the article's formulas (the expression itself is built once where sympy is
slow: ``gradient_component`` per (expression, variable) pair, and
``coordinated_optimum_symbolic``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lib.coordination as co
import lib.floors as fl
import lib.listing as li
import lib.network as net
import lib.online as onl
import lib.policy as pol
import lib.policy_learning as pl
from conftest import BUILD
from test_differential import EDGE_SCALES, MIN_INPUTS, enumerate_assignments, exact_total

# Drawn per function: a little above MIN_INPUTS (the file must run in under a
# minute), or the profile's own count when it asks for more (explore: 1000).
N_POLICY = max(205, settings.default.max_examples)

# Function -> its independent reference.
REFERENCES = {
    # lib.coordination
    "lib.coordination.chapter_model": "exact rationals: S_n = 20 + 80 (n-1)/(N-1), P_n = 5 + 35 (n-1)/(N-1) and the documented constants",
    "lib.coordination.effects": "exact rational quotients x / cost_E, y / cost_I (fractions.Fraction), rounded once",
    "lib.coordination.employment_gain": "the quadratic u_n evaluated in exact rationals from its formula",
    "lib.coordination.welfare": "mean of the exact rational u_n",
    "lib.coordination.welfare_expr": "(1/N) sum_n u_n written here in plain Python rationals, compared at random rational points for concrete N",
    "lib.coordination.welfare_gradient": "central finite differences of the exact rational W (exact for a quadratic, with step 1)",
    "lib.coordination.gradient_lipschitz": "sympy's exact eigenvalues of the 2x2 Hessian block, largest |.| over N",
    "lib.coordination.kkt_active_sets": "every subset of constraints solved here by exact Gaussian elimination over fractions.Fraction (own system, own flags)",
    "lib.coordination.project_onto_budget_and_bounds": "exact projection by sorting the breakpoints of tau (fractions.Fraction)",
    "lib.coordination.projected_gradient_step": "exact rational gradient step, then the exact sorting projection",
    "lib.coordination.projected_gradient_ascent": "the iteration of exact rational steps and projections, and the optimum of the exact active-set solver",
    "lib.coordination.solve_decentralised": "exact water-filling of each ministry's separable problem by sorting its breakpoints (fractions.Fraction)",
    "lib.coordination.solve_planner": "exact active-set enumeration of the KKT conditions in rationals (every zero set and budget binding or not), no price search",
    "lib.coordination.value_of_coordination": "the three welfares from the exact active-set solver and exact water-filling",
    # lib.policy
    "lib.policy.education_loss_expr": "(1/N) sum (S_n - E_n)^2 in plain Python rationals at random rational points, concrete N",
    "lib.policy.industry_loss_expr": "(1/N) sum (P_n - I_n)^2 in plain Python rationals at random rational points, concrete N",
    "lib.policy.social_loss_as_written_expr": "the literal (P_s,n - P_s,n)^2 is 0: the sum is 0 at every random point",
    "lib.policy.social_loss_corrected_expr": "(1/N) sum (P_s,n - A_n)^2 in plain Python rationals at random rational points, concrete N",
    "lib.policy.employment_effect_expr": "(1/N) sum (P_n E_n + P_s,n I_n) in plain Python rationals at random rational points, concrete N",
    "lib.policy.article_education_gradient_expr": "-2 (S_k - E_k) in plain Python rationals at random rational points",
    "lib.policy.gradient_component": "derivative written by hand per expression (d/dX_k of a mean is (1/N) f_X) evaluated in rationals at random points, concrete N and k",
    "lib.policy.to_elementwise": "the per-position expression evaluated exactly by sympy substitution, element by element",
    "lib.policy.coordinated_optimum_symbolic": "E_k, I_k and the binding lambda derived by hand from the Lagrangian, in rationals at random points",
    # lib.policy_learning
    "lib.policy_learning.effect_regressors": "S E, P I, E I in exact rationals",
    "lib.policy_learning.estimate_effects": "exact least squares of minimum norm in standardised columns, in rationals (normal equations plus orthogonality to the null space in the columns' norms)",
    "lib.policy_learning.learning_cycle": "the cycle replayed with noise 0 (same seeded draws, documented order), the exact active-set planner, and exact least squares",
    # lib.floors
    "lib.floors.solve_matching_with_floor": "brute-force enumeration of assignments (integer program); an exact Big-M simplex method in rationals (relaxation)",
    "lib.floors.floor_cost_curve": "brute-force enumeration per level and the exact Big-M simplex method for the relaxation",
    # lib.network
    "lib.network.flow_network": "the documented edge list built by plain loops; the min-cost flow's value against brute-force enumeration",
    "lib.network.max_price_duals": "brute force: v_j = OPT(c) - OPT(c - e_j) (the left slope), u_i = max(0, max_j s_ij - v_j), by enumeration",
    # lib.online
    "lib.online.run_online": "a plain Python arrival loop with the rule applied here",
    "lib.online.bid_price_assignment": "a plain Python arrival loop with exact rational surpluses",
    "lib.online.batched_assignment": "per batch, the committed pairs' exact total equals the brute-force optimum of that batch against the capacity left",
    "lib.online.sample_then_match": "the documented algorithm replayed with brute-force optima on instances with a unique optimum (distinct powers of two)",
    "lib.online.compare_policies": "the seeded orders regenerated, each policy replayed by the plain-loop/brute-force references, over the brute-force optimum",
    "lib.online.task_days": "the documented draws of make_skill_instance replayed with np.random.default_rng(seed + d), coverage by plain loops",
    "lib.online.average_prices": "mean over days of the brute-force left slopes OPT(c) - OPT(c - e_j)",
    "lib.online.unweighted_adversary": "the documented two-task construction built by hand, offline optimum by enumeration",
    "lib.online.weighted_adversary": "the documented one-worker construction built by hand",
    # lib.listing
    "lib.listing.section_code_blocks": "a line-by-line scan written here over synthetic articles",
    "lib.listing.analyse_listing": "the definitions, imports, names and a - a known from how the synthetic listing was generated",
}
# Function -> why it has no reference.
NO_REFERENCE: dict[str, str] = {
    "lib.listing.article_listing": (
        "a look-up of the one listing lib carries (seed 000 §5.2): a single valid input, so nothing "
        "to draw; tests/test_source_map.py compares it with its excerpt file and the section index, "
        "and tests/test_policy_coordination.py its analysis with regular expressions"
    ),
}

COUNTS: Counter = Counter()
CASES: dict[str, tuple[Any, Callable[..., None], str]] = {}


def case(name: str, strategy: Any, agrees: str) -> Callable:
    def register(check: Callable[..., None]) -> Callable[..., None]:
        CASES[name] = (strategy, check, agrees)
        return check

    return register


def Q(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x) if isinstance(x, int) else Fraction(float(x))


TINY = Fraction(2) ** -1060  # a few subnormal steps: the float floor below the data


def near(got: Any, ref: Any, scale: Any, rel: float) -> bool:
    return abs(Q(got) - Q(ref)) <= Fraction(rel) * abs(Q(scale)) + TINY


# ============================================================ exact helpers


def solve_exact(a: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """Gaussian elimination over fractions; None if the matrix is singular."""
    n = len(a)
    m = [list(row) + [rhs] for row, rhs in zip(a, b)]
    for col in range(n):
        piv = next((r for r in range(col, n) if m[r][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col] / m[col][col]
                m[r] = [v - f * w for v, w in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] for i in range(n)]


def exact_model(m: co.PolicyModel) -> dict:
    return {"S": [Q(v) for v in m.S], "P": [Q(v) for v in m.P], "a": Q(m.a), "b": Q(m.b),
            "g": Q(m.gamma), "kE": Q(m.kE), "kI": Q(m.kI), "cE": Q(m.cost_E),
            "cI": Q(m.cost_I), "B": Q(m.budget), "N": m.N}  # fmt: skip


def exact_gain(d: dict, x: list, y: list, gamma: Fraction | None = None) -> list[Fraction]:
    g = d["g"] if gamma is None else gamma
    out = []
    for n in range(d["N"]):
        E, I = Q(x[n]) / d["cE"], Q(y[n]) / d["cI"]
        out.append(d["a"] * d["S"][n] * E - d["kE"] / 2 * E * E + d["b"] * d["P"][n] * I
                   - d["kI"] / 2 * I * I + g * E * I)  # fmt: skip
    return out


def exact_welfare(d: dict, x: list, y: list) -> Fraction:
    return sum(exact_gain(d, x, y), Fraction(0)) / d["N"]


def marginal(d: dict, z: list[Fraction], i: int, gamma: Fraction) -> Fraction:
    """N dW/dz_i: the per-position marginal value of spending z_i (z = x then y)."""
    N = d["N"]
    cE, cI = d["cE"], d["cI"]
    if i < N:
        return d["a"] * d["S"][i] / cE - d["kE"] * z[i] / cE**2 + gamma * z[N + i] / (cE * cI)
    n = i - N
    return d["b"] * d["P"][n] / cI - d["kI"] * z[i] / cI**2 + gamma * z[n] / (cE * cI)


def exact_planner(d: dict, gamma: Fraction | None = None) -> tuple[list, list, Fraction]:
    """The planner's optimum by enumerating the active sets (every set of
    variables at zero, budget binding or not) and checking the KKT
    conditions exactly; strictly concave, so the point is unique."""
    g = d["g"] if gamma is None else gamma
    key = (tuple(d["S"]), tuple(d["P"]), d["a"], d["b"], g, d["kE"], d["kI"], d["cE"], d["cI"], d["B"])
    if key not in _PLANS:
        _PLANS[key] = _exact_planner(d, g)
    return _PLANS[key]


_PLANS: dict = {}


def _exact_planner(d: dict, g: Fraction) -> tuple[list, list, Fraction]:
    N = d["N"]
    V = 2 * N
    zero = [Fraction(0)] * V
    const = [marginal(d, zero, i, g) for i in range(V)]
    unit = [[Fraction(int(j == c)) for j in range(V)] for c in range(V)]
    H = [[marginal(d, unit[j], i, g) - const[i] for j in range(V)] for i in range(V)]
    for binding in (False, True):
        for free_mask in itertools.product((True, False), repeat=V):
            free = [i for i in range(V) if free_mask[i]]
            unknowns = len(free) + int(binding)
            rows, rhs = [], []
            for i in free:  # marginal_i(z) - lam = 0, linear in z_free and lam
                row = [H[i][j] for j in free] + ([Fraction(-1)] if binding else [])
                rows.append(row)
                rhs.append(-const[i])
            if binding:
                rows.append([Fraction(1)] * len(free) + [Fraction(0)])
                rhs.append(N * d["B"])
            sol = solve_exact(rows, rhs) if unknowns else []
            if sol is None:
                continue
            z = [Fraction(0)] * V
            for c, j in enumerate(free):
                z[j] = sol[c]
            lam = sol[-1] if binding else Fraction(0)
            if any(v < 0 for v in z) or lam < 0 or sum(z) > N * d["B"]:
                continue
            if any(const[i] + sum(H[i][j] * z[j] for j in free) > lam
                   for i in range(V) if not free_mask[i]):
                continue
            return z[:N], z[N:], lam
    raise AssertionError("no KKT point: impossible for a strictly concave problem")


def exact_water_fill(t: list[Fraction], slope: Fraction, total: Fraction) -> tuple[list, Fraction]:
    """max sum_n (t_n z_n - z_n^2 / (2 slope)) s.t. sum z <= total, z >= 0:
    z_n = slope * max(0, t_n - lam), lam found among the sorted breakpoints."""
    def spend(lam):
        return sum((slope * max(Fraction(0), v - lam) for v in t), Fraction(0))

    if spend(Fraction(0)) <= total:
        lam = Fraction(0)
    else:
        order = sorted(t, reverse=True)
        lam = None
        for k in range(1, len(order) + 1):  # the k largest t are funded
            cand = (sum(order[:k]) - total / slope) / k
            lower = order[k] if k < len(order) else None
            if cand <= order[k - 1] and (lower is None or cand >= lower) and cand >= 0:
                lam = cand
                break
        assert lam is not None
    return [slope * max(Fraction(0), v - lam) for v in t], lam


def exact_decentralised(d: dict, share: Fraction) -> tuple[list, list]:
    N = d["N"]
    tE = [d["a"] * s / d["cE"] for s in d["S"]]
    tI = [d["b"] * p / d["cI"] for p in d["P"]]
    x, _ = exact_water_fill(tE, d["cE"] ** 2 / d["kE"], N * share * d["B"])
    y, _ = exact_water_fill(tI, d["cI"] ** 2 / d["kI"], N * (1 - share) * d["B"])
    return x, y


def exact_projection(v: list[Fraction], n: int, budget: Fraction) -> list[Fraction]:
    """Projection onto {z >= 0, sum z <= n budget}: max(0, v - tau), tau by sorting."""
    total = n * budget
    pos = [max(Fraction(0), w) for w in v]
    if sum(pos) <= total:
        return pos
    order = sorted(v, reverse=True)
    for k in range(1, len(order) + 1):
        tau = (sum(order[:k]) - total) / k
        lower = order[k] if k < len(order) else None
        if tau <= order[k - 1] and (lower is None or tau >= lower):
            return [max(Fraction(0), w - tau) for w in v]
    raise AssertionError("no threshold")


# ============================================================ model strategies

# Power-of-two scales: every float operation on small integers times one of
# them is exact (W scales with its square, which stays inside the floats).
MODEL_SCALES = [2.0**-500, 2.0**-60, 1.0, 2.0**60, 2.0**500]


@st.composite
def models(draw, n=(1, 3)):
    N = draw(st.integers(*n))
    s = draw(st.sampled_from(MODEL_SCALES))
    S = [draw(st.integers(0, 4)) * s for _ in range(N)]
    P = [draw(st.integers(0, 4)) * s for _ in range(N)]
    kE, kI = draw(st.sampled_from([1.0, 2.0, 4.0])), draw(st.sampled_from([1.0, 2.0, 4.0]))
    gamma = draw(st.sampled_from([g for g in (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5) if g * g < kE * kI]))
    m = co.PolicyModel.create(
        S, P, a=draw(st.sampled_from([0.0, 1.0, 2.0, 3.0])), b=draw(st.sampled_from([0.0, 1.0, 2.0])),
        gamma=gamma, kE=kE, kI=kI, cost_E=draw(st.sampled_from([0.5, 1.0, 2.0])),
        cost_I=draw(st.sampled_from([0.5, 1.0, 2.0])),
        budget=draw(st.sampled_from([0.25, 0.5, 1.0, 4.0, 100.0])) * s)  # fmt: skip
    return m, s


@st.composite
def model_and_spending(draw):
    m, s = draw(models())
    x = np.array([draw(st.integers(0, 6)) * s for _ in range(m.N)])
    y = np.array([draw(st.integers(0, 6)) * s for _ in range(m.N)])
    return m, s, x, y


# ============================================================ lib.coordination


@st.composite
def chapter_args(draw):
    return (draw(st.sampled_from([-1.99, -1.0, 0.0, 0.5, 1.0, 1.999])),
            draw(st.sampled_from([1e-300, 2.0**-20, 1.0, 50.0, 1e300])), draw(st.integers(2, 40)))  # fmt: skip


@case("lib.coordination.chapter_model", chapter_args(),
      "S and P within 2 ulp (relative 4.5e-16) of the exact linspace; every constant identical")  # fmt: skip
def check_chapter_model(gamma, budget, N):
    m = co.chapter_model(gamma, budget, N)
    assert m.N == N
    for arr, lo, hi in ((m.S, 20, 100), (m.P, 5, 40)):
        for k, v in enumerate(arr.tolist()):
            ref = lo + Fraction(hi - lo) * k / (N - 1)
            assert near(v, ref, ref, 4.5e-16), (k, v)
    assert (m.a, m.b, m.kE, m.kI, m.cost_E, m.cost_I) == (2.0, 2.0, 2.0, 2.0, 1.0, 2.0)
    assert (m.gamma, m.budget) == (gamma, budget)


@case("lib.coordination.effects", model_and_spending(),
      "bitwise identical to the correctly rounded exact quotients")  # fmt: skip
def check_effects(m, s, x, y):
    E, I = co.effects(m, x, y)
    assert E.tolist() == [float(Q(v) / Q(m.cost_E)) for v in x.tolist()]
    assert I.tolist() == [float(Q(v) / Q(m.cost_I)) for v in y.tolist()]


@case("lib.coordination.employment_gain", model_and_spending(),
      "identical to the exact rational u_n (power-of-two data: every float step is exact)")  # fmt: skip
def check_employment_gain(m, s, x, y):
    ref = exact_gain(exact_model(m), x.tolist(), y.tolist())
    assert [Q(v) for v in co.employment_gain(m, x, y).tolist()] == ref


@case("lib.coordination.welfare", model_and_spending(),
      "within 1 ulp (relative 2.3e-16) of the exact mean (the one rounding is the division by N)")  # fmt: skip
def check_welfare(m, s, x, y):
    ref = exact_welfare(exact_model(m), x.tolist(), y.tolist())
    assert near(co.welfare(m, x, y), ref, ref, 2.3e-16)


# One module-level strategy (a fresh st.builds per draw defeats hypothesis's cache).
RATIONALS = st.builds(lambda p, q, e: Fraction(p, q) * Fraction(2) ** e,
                      st.integers(-9, 9), st.integers(1, 7), st.sampled_from([-300, -20, 0, 20, 300]))  # fmt: skip


def small_rationals():
    return RATIONALS


def rational_list(n: int):
    return st.lists(RATIONALS, min_size=n, max_size=n)


@st.composite
def welfare_points(draw):
    N = draw(st.integers(1, 4))
    vals = {k: draw(rational_list(N)) for k in ("S", "P", "x", "y")}
    par = {k: draw(small_rationals()) for k in ("a", "b", "gamma", "k_E", "k_I")}
    par["c_E"], par["c_I"] = draw(st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(3)])), Fraction(
        draw(st.integers(1, 5)))
    return N, vals, par


def expand_sum(expr: sp.Expr, N: int) -> sp.Expr:
    return expr.subs(pol.policy_symbols().N, N).doit()


@lru_cache(maxsize=4096)
def _expanded(expr: sp.Expr, N: int, k: int | None) -> sp.Expr:
    # The sum written out for a concrete N (and position k): sympy's doit is
    # slow, and every call of the lib function returns an equal expression.
    e = expand_sum(expr, N)
    return e if k is None else e.subs(pol.policy_symbols().k, k)


def evaluate(e: sp.Expr, env: dict) -> Fraction:
    """An expression of sums, products and integer powers evaluated in
    fractions.Fraction (sympy's own substitution is slow with big rationals)."""
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e in env:
        return env[e]
    if e.is_Add:
        return sum((evaluate(a, env) for a in e.args), Fraction(0))
    if e.is_Mul:
        out = Fraction(1)
        for a in e.args:
            out *= evaluate(a, env)
        return out
    if e.is_Pow and e.exp.is_Integer:
        return evaluate(e.base, env) ** int(e.exp)
    raise AssertionError(f"cannot evaluate {e!r}")


def at_point(expr: sp.Expr, N: int, vals: dict, par: dict | None = None, k: int | None = None) -> Fraction:
    e = _expanded(expr, N, k)
    env = {}
    for name, vs in vals.items():
        base = sp.IndexedBase(name)
        for i, v in enumerate(vs, start=1):
            env[base[i]] = v
    for name, v in (par or {}).items():
        for sym in (sp.Symbol(name, real=True), sp.Symbol(name), sp.Symbol(name, positive=True)):
            env[sym] = v
    return evaluate(e, env)


@case("lib.coordination.welfare_expr", welfare_points(),
      "the exact rational value at every random point equals the hand-built mean (inputs are points)")  # fmt: skip
def check_welfare_expr(N, vals, par):
    W = co.welfare_expr()
    ref = Fraction(0)
    for n in range(N):
        E, I = vals["x"][n] / par["c_E"], vals["y"][n] / par["c_I"]
        ref += (par["a"] * vals["S"][n] * E - par["k_E"] / 2 * E * E + par["b"] * vals["P"][n] * I
                - par["k_I"] / 2 * I * I + par["gamma"] * E * I)  # fmt: skip
    assert at_point(W, N, vals, par) == ref / N


@case("lib.coordination.welfare_gradient", model_and_spending(),
      "within 4 ulp of the sum of |terms| of the exact central difference of W (lambdified float arithmetic)")  # fmt: skip
def check_welfare_gradient(m, s, x, y):
    d = exact_model(m)
    gx, gy = co.welfare_gradient(m, x, y)
    xs, ys = [Q(v) for v in x.tolist()], [Q(v) for v in y.tolist()]
    h = Q(s)  # W is quadratic: the central difference is exact for any step
    for k in range(m.N):
        for arr, got in ((xs, gx), (ys, gy)):
            up, down = list(arr), list(arr)
            up[k] += h
            down[k] -= h
            if arr is xs:
                ref = (exact_welfare(d, up, ys) - exact_welfare(d, down, ys)) / (2 * h)
            else:
                ref = (exact_welfare(d, xs, up) - exact_welfare(d, xs, down)) / (2 * h)
            z = xs + ys
            i = k if arr is xs else m.N + k
            terms = abs(marginal(d, z, i, abs(d["g"]))) + d["kE"] * abs(z[i]) * 4 + 4 * abs(Q(s)) * 16
            assert near(got[k], ref, terms / m.N, 1e-15), (k, got[k], float(ref))


@st.composite
def lipschitz_models(draw):
    m, _ = draw(models())
    scale = draw(st.sampled_from([2.0**-40, 1.0, 3.0, 2.0**40]))
    return (m.with_(cost_E=m.cost_E * scale, cost_I=m.cost_I * draw(st.sampled_from([1.0, 3.0, 0.1]))),)


def rational_sqrt(q: Fraction, bits: int = 200) -> Fraction:
    """sqrt(q) to within 2^-bits relative, by integer square roots."""
    scale = 4**bits
    return Fraction(math.isqrt(q.numerator * scale // q.denominator), 2**bits)


@case("lib.coordination.gradient_lipschitz", lipschitz_models(),
      "within relative 1e-14 of the largest |eigenvalue| / N of the 2x2 block, from the "
      "closed form (p + r)/2 +- sqrt(((p - r)/2)^2 + q^2) in rationals (sqrt to 2^-200)")  # fmt: skip
def check_gradient_lipschitz(m):
    cE, cI, g, kE, kI = (Q(v) for v in (m.cost_E, m.cost_I, m.gamma, m.kE, m.kI))
    p, q, r = -kE / cE**2, g / (cE * cI), -kI / cI**2
    root = rational_sqrt(((p - r) / 2) ** 2 + q * q)
    ref = max(abs((p + r) / 2 + root), abs((p + r) / 2 - root)) / m.N
    got = co.gradient_lipschitz(m)
    assert abs(Q(got) - ref) <= Fraction(1, 10**14) * ref


@st.composite
def kkt_models(draw):
    # N = 2 runs 32 sympy solves (about 0.8 s): mostly N = 1, one in 50 N = 2.
    n = 2 if draw(st.integers(0, 49)) == 17 else 1  # not 0: hypothesis favours bounds
    return (draw(models(n=(n, n)))[0],)


@case("lib.coordination.kkt_active_sets", kkt_models(),
      "same active sets in the same order; each point identical (exact) to the one of the "
      "own elimination, or both singular; identical feasibility flags; the KKT rows' "
      "spending equals the exact active-set planner's")  # fmt: skip
def check_kkt_active_sets(m):
    d = exact_model(m)
    N = d["N"]
    V = 2 * N
    names = ["budget", *(f"x{n + 1} >= 0" for n in range(N)), *(f"y{n + 1} >= 0" for n in range(N))]
    rows = co.kkt_active_sets(m)
    subsets = [a for size in range(V + 2) for a in itertools.combinations(range(V + 1), size)]
    assert [r.active for r in rows] == [tuple(names[i] for i in a) for a in subsets]
    zero = [Fraction(0)] * V
    kkt_points = []
    for row, active in zip(rows, subsets):
        # Unknowns: z (2N), then the multipliers of the active constraints.
        # dL/dz_i = marginal_i / N - lam/N [budget active] + mu_i [z_i active] = 0.
        unknowns = V + len(active)
        A, b = [], []
        for i in range(V):
            r = [Fraction(0)] * unknowns
            const = marginal(d, zero, i, d["g"]) / N
            for j in range(V):
                e = list(zero)
                e[j] = Fraction(1)
                r[j] = marginal(d, e, i, d["g"]) / N - const
            for c, con in enumerate(active):
                if con == 0:
                    r[V + c] = Fraction(-1, N)
                elif con - 1 == i:
                    r[V + c] = Fraction(1)
            A.append(r)
            b.append(-const)
        for con in active:
            r = [Fraction(0)] * unknowns
            if con == 0:
                for j in range(V):
                    r[j] = Fraction(1, N)
                A.append(r)
                b.append(d["B"])
            else:
                r[con - 1] = Fraction(1)
                A.append(r)
                b.append(Fraction(0))
        sol = solve_exact(A, b)
        if sol is None:
            assert row.point is None and not row.primal_feasible and not row.dual_feasible
            continue
        assert row.point is not None
        z = sol[:V]
        mult = {names[con]: sol[V + c] for c, con in enumerate(active)}
        lam = mult.get("budget", Fraction(0))
        mus = [mult.get(names[1 + i], Fraction(0)) for i in range(V)]
        var_names = [f"x{n + 1}" for n in range(N)] + [f"y{n + 1}" for n in range(N)]
        mu_names = [f"mu_x{n + 1}" for n in range(N)] + [f"mu_y{n + 1}" for n in range(N)]
        got = {k: Fraction(int(sp.Rational(v).p), int(sp.Rational(v).q)) for k, v in row.point.items()}
        assert all(got[vn] == zi for vn, zi in zip(var_names, z))
        assert got["lambda"] == lam and all(got[mn] == mu for mn, mu in zip(mu_names, mus))
        primal = all(v >= 0 for v in z) and sum(z) / N <= d["B"]
        dual = lam >= 0 and all(mu >= 0 for mu in mus)
        assert (row.primal_feasible, row.dual_feasible) == (primal, dual)
        if primal and dual:
            kkt_points.append(z)
    x, y, _ = exact_planner(d)
    assert kkt_points and all(p == x + y for p in kkt_points)


@st.composite
def projection_cases(draw):
    n = draw(st.integers(1, 4))
    s = draw(st.sampled_from(MODEL_SCALES + [1e-300, 3.0, 1e300]))
    x = [draw(st.integers(-3, 6)) * s for _ in range(n)]
    y = [draw(st.integers(-3, 6)) * s for _ in range(n)]
    budget = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0, 100.0])) * s
    return np.array(x), np.array(y), budget, s


@case("lib.coordination.project_onto_budget_and_bounds", projection_cases(),
      "every entry within 1e-12 * max|v| of the exact projection (the threshold is a root found numerically)")  # fmt: skip
def check_project_onto_budget_and_bounds(x, y, budget, s):
    n = x.size
    ref = exact_projection([Q(v) for v in x.tolist() + y.tolist()], n, Q(budget))
    gx, gy = co.project_onto_budget_and_bounds(x, y, budget)
    scale = max(abs(Q(v)) for v in x.tolist() + y.tolist())
    for got, want in zip(gx.tolist() + gy.tolist(), ref):
        assert near(got, want, scale, 1e-12), (got, float(want))


@st.composite
def step_cases(draw):
    m, s, x, y = draw(model_and_spending())
    L = co.gradient_lipschitz(m)
    step = draw(st.sampled_from([0.25, 1.0, 1.9, 4.0])) / L
    return m, s, x, y, step


@case("lib.coordination.projected_gradient_step", step_cases(),
      "every entry within 1e-12 * (max|z| + step * max|gradient|) of the exact step then exact projection")  # fmt: skip
def check_projected_gradient_step(m, s, x, y, step):
    d = exact_model(m)
    z = [Q(v) for v in x.tolist() + y.tolist()]
    grad = [marginal(d, z, i, d["g"]) / m.N for i in range(2 * m.N)]
    moved = [zi + Q(step) * gi for zi, gi in zip(z, grad)]
    ref = exact_projection(moved, m.N, d["B"])
    gx, gy = co.projected_gradient_step(m, x, y, step)
    scale = max(abs(v) for v in moved) + max(abs(v) for v in z) + Q(s)
    for got, want in zip(gx.tolist() + gy.tolist(), ref):
        assert near(got, want, scale, 1e-12), (got, float(want))


@st.composite
def ascent_cases(draw):
    m, s = draw(models())
    step = draw(st.sampled_from([0.5, 1.0, 1.5])) / co.gradient_lipschitz(m)
    return m, s, step, draw(st.integers(1, 4))


@case("lib.coordination.projected_gradient_ascent", ascent_cases(),
      "final spending within 1e-10 * scale of the exact iteration; each distance within "
      "1e-9 * scale of the exact distance to the exact optimum")  # fmt: skip
def check_projected_gradient_ascent(m, s, step, rounds):
    d = exact_model(m)
    N = m.N
    xs, ys, _ = exact_planner(d)
    best = xs + ys
    z = [Fraction(0)] * (2 * N)
    run = co.projected_gradient_ascent(m, step, rounds)
    scale = Q(s) * 64 + d["B"] * N
    for t in range(rounds):
        grad = [marginal(d, z, i, d["g"]) / N for i in range(2 * N)]
        z = exact_projection([zi + Q(step) * gi for zi, gi in zip(z, grad)], N, d["B"])
        dist2 = sum((a - b) ** 2 for a, b in zip(z, best)) / N
        ref = math.sqrt(dist2) if dist2 > 0 else 0.0  # rounded once: within 1 ulp
        assert near(run.distance[t], ref, scale, 1e-9), (t, run.distance[t], ref)
    for got, want in zip(run.x.tolist() + run.y.tolist(), z):
        assert near(got, want, scale, 1e-10)


@case("lib.coordination.solve_planner", st.tuples(models(), st.booleans()),
      "x, y within 1e-9 * scale (largest data or budget entry) of the exact optimum; welfare "
      "within 1e-9 * scale^2 of the exact W of the exact optimum; price within 1e-9 * scale")  # fmt: skip
def check_solve_planner(ms, ignore):
    m, s = ms
    d = exact_model(m)
    g = Fraction(0) if ignore else None
    sol = co.solve_planner(m, gamma_assumed=0.0 if ignore else None)
    x, y, lam = exact_planner(d, g)
    scale = max([Q(s)] + d["S"] + d["P"] + [d["B"]])
    for got, want in zip(sol.x.tolist() + sol.y.tolist(), x + y):
        assert near(got, want, scale, 1e-9), (sol, [float(v) for v in x + y])
    assert near(sol.welfare, exact_welfare(d, x, y), scale * scale * 64, 1e-9)
    if not ignore:
        assert near(sol.price, lam, scale * 16, 1e-9), (sol.price, float(lam))


@case("lib.coordination.solve_decentralised",
      st.tuples(models(), st.sampled_from([0.0, 0.25, 0.5, 1.0])),
      "x, y within 1e-9 * scale of the exact water-filling; welfare within 1e-9 * scale^2 of its exact W")  # fmt: skip
def check_solve_decentralised(ms, share):
    m, s = ms
    d = exact_model(m)
    x, y = exact_decentralised(d, Q(share))
    sol = co.solve_decentralised(m, share)
    scale = max([Q(s)] + d["S"] + d["P"] + [d["B"]])
    for got, want in zip(sol.x.tolist() + sol.y.tolist(), x + y):
        assert near(got, want, scale, 1e-9), (sol, [float(v) for v in x + y])
    assert near(sol.welfare, exact_welfare(d, x, y), scale * scale * 64, 1e-9)


@case("lib.coordination.value_of_coordination",
      st.tuples(models(), st.sampled_from([0.0, 0.5, 0.75, 1.0])),
      "each of the three welfares within 1e-9 * scale^2 of the exact one")  # fmt: skip
def check_value_of_coordination(ms, share):
    m, s = ms
    d = exact_model(m)
    v = co.value_of_coordination(m, share)
    scale2 = max([Q(s)] + d["S"] + d["P"] + [d["B"]]) ** 2 * 64
    x, y, _ = exact_planner(d)
    assert near(v.planner, exact_welfare(d, x, y), scale2, 1e-9)
    x, y, _ = exact_planner(d, Fraction(0))
    assert near(v.reallocation_only, exact_welfare(d, x, y), scale2, 1e-9)
    x, y = exact_decentralised(d, Q(share))
    assert near(v.decentralised, exact_welfare(d, x, y), scale2, 1e-9)


# ============================================================ lib.policy (symbolic)


@st.composite
def policy_points(draw):
    N = draw(st.integers(1, 3))
    vals = {k: draw(rational_list(N)) for k in ("S", "E", "P", "I", "P_s", "A")}
    return N, vals, draw(st.integers(1, N))


def _mean(N, f):
    return sum((f(n) for n in range(N)), Fraction(0)) / N


@case("lib.policy.education_loss_expr", policy_points(), "exact equality at every random rational point")
def check_education_loss_expr(N, v, k):
    assert at_point(pol.education_loss_expr(), N, v) == _mean(N, lambda n: (v["S"][n] - v["E"][n]) ** 2)


@case("lib.policy.industry_loss_expr", policy_points(), "exact equality at every random rational point")
def check_industry_loss_expr(N, v, k):
    assert at_point(pol.industry_loss_expr(), N, v) == _mean(N, lambda n: (v["P"][n] - v["I"][n]) ** 2)


@case("lib.policy.social_loss_as_written_expr", policy_points(),
      "exactly 0 at every random rational point (the printed loss cancels)")  # fmt: skip
def check_social_loss_as_written_expr(N, v, k):
    assert at_point(pol.social_loss_as_written_expr(), N, v) == 0


@case("lib.policy.social_loss_corrected_expr", policy_points(), "exact equality at every random rational point")
def check_social_loss_corrected_expr(N, v, k):
    assert at_point(pol.social_loss_corrected_expr(), N, v) == _mean(N, lambda n: (v["P_s"][n] - v["A"][n]) ** 2)


@case("lib.policy.employment_effect_expr", policy_points(), "exact equality at every random rational point")
def check_employment_effect_expr(N, v, k):
    ref = _mean(N, lambda n: v["P"][n] * v["E"][n] + v["P_s"][n] * v["I"][n])
    assert at_point(pol.employment_effect_expr(), N, v) == ref


@case("lib.policy.article_education_gradient_expr", policy_points(),
      "exact equality with -2 (S_k - E_k) at every random rational point")  # fmt: skip
def check_article_education_gradient_expr(N, v, k):
    assert at_point(pol.article_education_gradient_expr(), N, v, k=k) == -2 * (v["S"][k - 1] - v["E"][k - 1])


X_, Y_ = sp.IndexedBase("X"), sp.IndexedBase("Y")


def _poly_expr(c1, p, q, c2):
    s = pol.policy_symbols()
    return sp.Sum(c1 * X_[s.n] ** p * Y_[s.n] ** q + c2 * X_[s.n], (s.n, 1, s.N)) / s.N


# (name, expression builder, variable name, hand-derived derivative at position k)
GRADIENT_TABLE = [
    ("education/E", pol.education_loss_expr, "E", lambda v, k, N: -2 * (v["S"][k] - v["E"][k]) / N),
    ("education/S", pol.education_loss_expr, "S", lambda v, k, N: 2 * (v["S"][k] - v["E"][k]) / N),
    ("industry/I", pol.industry_loss_expr, "I", lambda v, k, N: -2 * (v["P"][k] - v["I"][k]) / N),
    ("social/A", pol.social_loss_corrected_expr, "A", lambda v, k, N: -2 * (v["P_s"][k] - v["A"][k]) / N),
    ("as written/P_s", pol.social_loss_as_written_expr, "P_s", lambda v, k, N: Fraction(0)),
    ("effect/E", pol.employment_effect_expr, "E", lambda v, k, N: v["P"][k] / N),
    ("effect/I", pol.employment_effect_expr, "I", lambda v, k, N: v["P_s"][k] / N),
    ("effect/P", pol.employment_effect_expr, "P", lambda v, k, N: v["E"][k] / N),
    ("poly 3,2,1,-4/X", lambda: _poly_expr(3, 2, 1, -4), "X",
     lambda v, k, N: (6 * v["X"][k] * v["Y"][k] - 4) / N),
    ("poly 3,2,1,-4/Y", lambda: _poly_expr(3, 2, 1, -4), "Y", lambda v, k, N: 3 * v["X"][k] ** 2 / N),
    ("poly 1/2,3,0,1/X", lambda: _poly_expr(sp.Rational(1, 2), 3, 0, 1), "X",
     lambda v, k, N: (Fraction(3, 2) * v["X"][k] ** 2 + 1) / N),
]


@cache
def _gradient_of(index: int) -> sp.Expr:
    _, build, var, _ = GRADIENT_TABLE[index]
    return pol.gradient_component(build(), sp.IndexedBase(var))


@st.composite
def gradient_points(draw):
    N, vals, k = draw(policy_points())
    vals["X"] = draw(rational_list(N))
    vals["Y"] = draw(rational_list(N))
    return draw(st.integers(0, len(GRADIENT_TABLE) - 1)), N, vals, k


@case("lib.policy.gradient_component", gradient_points(),
      "exact equality with the hand-derived derivative at every random rational point, "
      "concrete N and 1 <= k <= N (each (expression, variable) derived once)")  # fmt: skip
def check_gradient_component(index, N, vals, k):
    got = _gradient_of(index)
    s = pol.policy_symbols()
    assert not got.atoms(sp.Sum) and s.n not in got.free_symbols
    assert at_point(got, N, vals, k=k) == GRADIENT_TABLE[index][3](vals, k - 1, N)


ELEMENTWISE = [  # (gradient table row, argument arrays, as policy_symbols names them)
    (0, ("S", "E")), (1, ("S", "E")), (2, ("P", "I")), (3, ("Ps", "A")), (4, ("Ps",)),
    (5, ("P",)), (6, ("Ps",)), (7, ("E",)),
]  # fmt: skip


@st.composite
def elementwise_cases(draw):
    which = draw(st.integers(0, len(ELEMENTWISE) - 1))
    n = draw(st.integers(1, 5))
    s = draw(st.sampled_from([2.0**-300, 2.0**-20, 1.0, 2.0**20, 2.0**100]))
    arrays = [np.array([draw(st.integers(-4, 4)) * s for _ in range(n)]) for _ in ELEMENTWISE[which][1]]
    return which, arrays


@case("lib.policy.to_elementwise", elementwise_cases(),
      "each element within 4 ulp of the sum of |terms| of the exact sympy value at that position")  # fmt: skip
def check_to_elementwise(which, arrays):
    index, names = ELEMENTWISE[which]
    expr = _gradient_of(index)
    f = pol.to_elementwise(expr, names)
    got = f(*arrays)
    n = arrays[0].size
    assert got.shape == (n,)
    s = pol.policy_symbols()
    for i in range(n):
        vals = {name: [Q(a[i])] for name, a in zip(names, arrays)}
        e = expr.subs(s.N, n)
        e = e.xreplace({getattr(s, nm)[s.k]: sp.Rational(vals[nm][0]) for nm in names})
        ref = Fraction(int(sp.Rational(e).p), int(sp.Rational(e).q))
        mag = sum((abs(v[0]) for v in vals.values()), Fraction(0))
        terms = 8 * (mag * mag + mag + 1) / n
        assert near(got[i], ref, terms, 1e-15), (got[i], float(ref))


@lru_cache(maxsize=1)
def _optimum():
    return pol.coordinated_optimum_symbolic()


@st.composite
def optimum_points(draw):
    N, vals, k = draw(policy_points())
    pos = st.builds(Fraction, st.integers(1, 9), st.integers(1, 5))
    return N, vals, k, draw(pos), draw(pos), draw(pos), draw(small_rationals())


@case("lib.policy.coordinated_optimum_symbolic", optimum_points(),
      "E_k, I_k, dL/dE_k, dL/dI_k, the Lagrangian and the binding lambda exactly equal to the "
      "hand derivation at every random rational point (derived once)")  # fmt: skip
def check_coordinated_optimum_symbolic(N, v, k, alpha, beta, B, lam):
    sol = _optimum()
    par = {"alpha": alpha, "beta": beta, "B": B, "lambda": lam}
    S, E, P, I, Ps = v["S"], v["E"], v["P"], v["I"], v["P_s"]
    kk = k - 1
    W = _mean(N, lambda n: P[n] * E[n] + Ps[n] * I[n]) - alpha * _mean(N, lambda n: (S[n] - E[n]) ** 2) \
        - beta * _mean(N, lambda n: (P[n] - I[n]) ** 2)  # fmt: skip
    L = W - lam * (_mean(N, lambda n: E[n] + I[n]) - B)
    assert at_point(sol["lagrangian"], N, v, par) == L
    assert at_point(sol["dL_dE"], N, v, par, k) == (P[kk] + 2 * alpha * (S[kk] - E[kk]) - lam) / N
    assert at_point(sol["dL_dI"], N, v, par, k) == (Ps[kk] + 2 * beta * (P[kk] - I[kk]) - lam) / N
    assert at_point(sol["E_k"], N, v, par, k) == S[kk] + (P[kk] - lam) / (2 * alpha)
    assert at_point(sol["I_k"], N, v, par, k) == P[kk] + (Ps[kk] - lam) / (2 * beta)
    # mean(E + I) = B with E_n, I_n above, solved for lambda by hand.
    lam_ref = (_mean(N, lambda n: S[n] + P[n] + P[n] / (2 * alpha) + Ps[n] / (2 * beta)) - B) \
        / (1 / (2 * alpha) + 1 / (2 * beta))  # fmt: skip
    no_lam = {kk_: vv for kk_, vv in par.items() if kk_ != "lambda"}
    assert at_point(sol["lambda_binding"], N, v, no_lam) == lam_ref


# ============================================================ lib.policy_learning


@case("lib.policy_learning.effect_regressors", model_and_spending(),
      "identical to the exact rational S E, P I, E I (power-of-two data)")  # fmt: skip
def check_effect_regressors(m, s, x, y):
    d = exact_model(m)
    X = pl.effect_regressors(m, x, y)
    assert X.shape == (m.N, 3)
    for n in range(m.N):
        E, I = Q(x[n]) / d["cE"], Q(y[n]) / d["cI"]
        assert [Q(v) for v in X[n].tolist()] == [d["S"][n] * E, d["P"][n] * I, E * I]


def exact_standardised_lstsq(X: list[list[Fraction]], r: list[Fraction]) -> list[Fraction]:
    """The least-squares solution of smallest norm in the standardised columns
    (each column over its norm), in rationals. A zero column's effect is 0;
    the others solve X^T X theta = X^T r together with v^T D^2 theta = 0 for
    every v of the null space of X, D^2 the columns' squared norms (rational):
    theta D is then orthogonal to the null space of the standardised X."""
    p = len(X[0])
    used = [j for j in range(p) if any(row[j] != 0 for row in X)]
    theta = [Fraction(0)] * p
    if not used:
        return theta
    Xu = [[row[j] for j in used] for row in X]
    q = len(used)
    G = [[sum((row[i] * row[j] for row in Xu), Fraction(0)) for j in range(q)] for i in range(q)]
    c = [sum((row[i] * ri for row, ri in zip(Xu, r)), Fraction(0)) for i in range(q)]
    m = [row[:] for row in G]  # the null space of G (that of X), by row reduction
    pivots, rank = [], 0
    for col in range(q):
        piv = next((i for i in range(rank, q) if m[i][col] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        m[rank] = [v / m[rank][col] for v in m[rank]]
        for i in range(q):
            if i != rank and m[i][col] != 0:
                f = m[i][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        pivots.append(col)
        rank += 1
    null = []
    for free in (j for j in range(q) if j not in pivots):
        v = [Fraction(0)] * q
        v[free] = Fraction(1)
        for i, col in enumerate(pivots):
            v[col] = -m[i][free]
        null.append(v)
    rows = G + [[vi * G[i][i] for i, vi in enumerate(v)] for v in null]
    rhs = c + [Fraction(0)] * len(null)
    # Consistent, with a unique solution: solve the normal equations of the stack.
    M = [[sum((row[i] * row[j] for row in rows), Fraction(0)) for j in range(q)] for i in range(q)]
    Mr = [sum((row[i] * b for row, b in zip(rows, rhs)), Fraction(0)) for i in range(q)]
    sol = solve_exact(M, Mr)
    assert sol is not None
    for j, v in zip(used, sol):
        theta[j] = v
    return theta


@st.composite
def estimation_cases(draw):
    m, s = draw(models(n=(2, 4)))
    m = m.with_(a=draw(st.sampled_from([0.5, 1.0, 2.0])), b=draw(st.sampled_from([0.0, 1.0])),
                gamma=draw(st.sampled_from([0.0, 0.5, -0.5])))  # fmt: skip
    rounds = draw(st.integers(1, 3))
    no_support = draw(st.booleans())
    xs, ys = [], []
    for _ in range(rounds):
        xs.append([draw(st.integers(0, 5)) * s for _ in range(m.N)])
        ys.append([0.0 if no_support else draw(st.integers(0, 5)) * s for _ in range(m.N)])
    noise = [draw(st.integers(-3, 3)) * s * s for _ in range(rounds * m.N)]
    return m, s, xs, ys, noise


@case("lib.policy_learning.estimate_effects", estimation_cases(),
      "within 1e-8 * (1 + max|theta_ref|) of the exact least-squares solution of minimum "
      "norm in the standardised columns (each over its norm, as documented; lstsq in floats; "
      "the small-integer regressors are well conditioned or rank-deficient)")  # fmt: skip
def check_estimate_effects(m, s, xs, ys, noise):
    d = exact_model(m)
    X = np.vstack([pl.effect_regressors(m, x, y) for x, y in zip(xs, ys)])
    out = np.concatenate([co.employment_gain(m, x, y) for x, y in zip(xs, ys)]) + np.array(noise)
    E = np.concatenate([co.effects(m, x, y)[0] for x, y in zip(xs, ys)])
    I = np.concatenate([co.effects(m, x, y)[1] for x, y in zip(xs, ys)])
    # Scale-free: divide regressors and response by s^2 (a power of two: exact).
    s2 = Q(s) ** 2
    Xq = [[Q(v) / s2 for v in row] for row in X.tolist()]
    rq = [(Q(o) + d["kE"] / 2 * Q(e) ** 2 + d["kI"] / 2 * Q(i) ** 2) / s2
          for o, e, i in zip(out.tolist(), E.tolist(), I.tolist())]  # fmt: skip
    got = pl.estimate_effects(m, X, out, E, I)
    ref = exact_standardised_lstsq(Xq, rq)
    big = 1 + max(abs(v) for v in ref)
    for g, r in zip(got.tolist(), ref):
        assert near(g, r, big, 1e-8), (got, [float(v) for v in ref])


@st.composite
def learning_cases(draw):
    m, s = draw(models(n=(3, 3)))
    m = m.with_(a=draw(st.sampled_from([1.0, 2.0])), b=draw(st.sampled_from([1.0, 2.0])),
                gamma=draw(st.sampled_from([0.0, 0.5, -0.5])))  # fmt: skip
    S = [draw(st.integers(1, 4)) * s for _ in range(3)]
    m = m.with_(S=np.array(S), P=np.array([draw(st.integers(1, 4)) * s for _ in range(3)]))
    return m, s, draw(st.integers(1, 2)), draw(st.integers(0, 2**32)), draw(st.sampled_from([0.0, 0.5, 1.0]))


@case("lib.policy_learning.learning_cycle", learning_cases(),
      "with noise 0: estimates within 1e-6 of the true (a, b, gamma) whenever the stacked "
      "regressors have rank 3 (exact check); distance and regret within 1e-7 * scale (^2) of "
      "the replayed cycle with the exact planner; support share within 1e-7")  # fmt: skip
def check_learning_cycle(m, s, cycles, seed, explore):
    d = exact_model(m)
    run = pl.learning_cycle(m, cycles=cycles, noise=0.0, seed=seed, explore=explore)
    rng = np.random.default_rng(seed)
    N = m.N

    def random_policy():
        share = rng.dirichlet(np.ones(2 * N)) * m.budget * N
        return share[:N], share[N:]

    x, y = random_policy()  # the "both" pilot
    rng.standard_normal(N)  # the pilot's noise draw (times 0)
    bx, by, _ = exact_planner(d)
    scale = max([Q(s)] + d["S"] + d["P"] + [d["B"]])
    Wbest = exact_welfare(d, bx, by)
    rows = [[Q(v) / Q(s) ** 2 for v in r] for r in pl.effect_regressors(m, x, y).tolist()]
    for t in range(cycles):
        rank = np.linalg.matrix_rank(np.array([[float(v) for v in r] for r in rows]))
        theta = (d["a"], d["b"], d["g"])
        if rank == 3:
            assert all(abs(Q(g) - th) <= Fraction(1, 10**6) for g, th in zip(run.estimates[t].tolist(), theta))
        # Plug-in: the estimates are the truth (rank 3 or not, the recommended plan is
        # compared through distance only when identified).
        tx, ty = random_policy()
        w = explore / np.sqrt(t + 1)
        rng.standard_normal(N)
        if rank == 3:
            rec_x, rec_y = bx, by  # estimates are the truth; |gamma| <= 0.5 < 0.95 sqrt(kE kI)
            assert near(run.distance[t], 0.0, scale, 1e-7)
            imp_x = [(1 - w) * float(a) + w * b_ for a, b_ in zip(rec_x, tx.tolist())]
            imp_y = [(1 - w) * float(a) + w * b_ for a, b_ in zip(rec_y, ty.tolist())]
            assert near(run.regret[t], Wbest - exact_welfare(d, imp_x, imp_y), scale * scale * 64, 1e-7)
            total = sum(Q(v) for v in imp_x + imp_y)
            share = sum(Q(v) for v in imp_y) / total if total > 0 else Fraction(0)
            assert near(run.support_share[t], share, 1, 1e-7)
            x, y = np.array(imp_x), np.array(imp_y)
        else:
            return  # not identified yet: the plug-in is lib's own minimum-norm choice
        rows += [[Q(v) / Q(s) ** 2 for v in r] for r in pl.effect_regressors(m, x, y).tolist()]


# ============================================================ lib.floors


def exact_lp(c: list[Fraction], A: list[list[Fraction]], b: list[Fraction]) -> Fraction | None:
    """max c x s.t. A x <= b, x >= 0 (b of any sign), in exact rationals:
    a Big-M tableau simplex method with Bland's rule; None if infeasible."""
    m, n = len(A), len(c)
    neg = [i for i in range(m) if b[i] < 0]
    k = len(neg)
    M = Fraction(2) ** 80 * (1 + sum(abs(v) for v in c))
    width = n + m + k
    tab, basis = [], []
    for i in range(m):
        sign = -1 if b[i] < 0 else 1
        row = [sign * A[i][j] for j in range(n)] + [Fraction(sign * int(i == r)) for r in range(m)]
        row += [Fraction(int(neg.index(i) == a)) if i in neg else Fraction(0) for a in range(k)]
        tab.append(row + [sign * b[i]])
        basis.append(n + m + neg.index(i) if i in neg else n + i)
    obj = list(c) + [Fraction(0)] * m + [-M] * k
    while True:
        z = [sum((obj[basis[i]] * tab[i][j] for i in range(m)), Fraction(0)) - obj[j] for j in range(width)]
        col = next((j for j in range(width) if z[j] < 0), None)
        if col is None:
            break
        cand = [(tab[i][-1] / tab[i][col], basis[i], i) for i in range(m) if tab[i][col] > 0]
        assert cand, "unbounded"
        _, _, r = min(cand)
        p = tab[r][col]
        tab[r] = [v / p for v in tab[r]]
        for i in range(m):
            if i != r and tab[i][col] != 0:
                f = tab[i][col]
                tab[i] = [v - f * w for v, w in zip(tab[i], tab[r])]
        basis[r] = col
    if any(basis[i] >= n + m and tab[i][-1] > 0 for i in range(m)):
        return None
    return sum((obj[basis[i]] * tab[i][-1] for i in range(m) if basis[i] < n + m), Fraction(0))


def floor_lp(scores: np.ndarray, capacity: list, floor: list) -> Fraction | None:
    n, w = scores.shape
    c = [Q(v) for v in scores.ravel().tolist()]
    A, b = [], []
    for i in range(n):
        A.append([Fraction(int(v // w == i)) for v in range(n * w)])
        b.append(Fraction(1))
    for j in range(w):
        A.append([Fraction(int(v % w == j)) for v in range(n * w)])
        b.append(Fraction(min(capacity[j], n)))
        A.append([-c[v] if v % w == j else Fraction(0) for v in range(n * w)])
        b.append(-Q(floor[j]))
    for v in range(n * w):  # x <= 1
        A.append([Fraction(int(u == v)) for u in range(n * w)])
        b.append(Fraction(1))
    return exact_lp(c, A, b)


def floor_brute(scores: np.ndarray, capacity: list, floor: list) -> Fraction | None:
    n, w = scores.shape
    best = None
    for choice in enumerate_assignments(n, w, capacity):
        earn = [Fraction(0)] * w
        for i, j in enumerate(choice):
            if j >= 0:
                earn[j] += Q(scores[i, j])
        if all(earn[j] >= Q(floor[j]) for j in range(w)):
            tot = exact_total(scores, choice)
            best = tot if best is None or tot > best else best
    return best


@st.composite
def floor_cases(draw):
    n, w = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    s = draw(st.sampled_from([2.0**-40, 1.0, 2.0**40]))
    scores = np.array([[draw(st.integers(0, 4)) * s for _ in range(w)] for _ in range(n)])
    cap = [draw(st.sampled_from([0, 1, 2, 2**62])) for _ in range(w)]
    floor = [draw(st.integers(0, 5)) * s for _ in range(w)]
    return scores, cap, floor, draw(st.booleans())


@case("lib.floors.solve_matching_with_floor", floor_cases(),
      "integral: objective equal to the brute-force optimum within 1e-9 relative, x a 0/1 assignment "
      "meeting every floor exactly, ValueError exactly when none exists; relaxed: objective within "
      "1e-7 * sum|scores| of the exact LP value (HiGHS tolerances), ValueError exactly when the LP is infeasible")  # fmt: skip
def check_solve_matching_with_floor(scores, cap, floor, integral):
    ref = floor_brute(scores, cap, floor) if integral else floor_lp(scores, cap, floor)
    if ref is None:
        with pytest.raises(ValueError):
            fl.solve_matching_with_floor(scores, floor, cap, integral=integral)
        return
    res = fl.solve_matching_with_floor(scores, floor, cap, integral=integral)
    total = float(np.abs(scores).sum()) or 1.0
    if integral:
        assert near(res.objective, ref, ref, 1e-9)
        assert set(np.unique(res.x)) <= {0.0, 1.0}
        assert np.all(res.x.sum(axis=1) <= 1) and np.all(res.x.sum(axis=0) <= np.array(cap))
        earn = [sum(Q(scores[i, j]) for i in range(scores.shape[0]) if res.x[i, j]) for j in range(len(cap))]
        assert all(e >= Q(f) for e, f in zip(earn, floor))
    else:
        assert near(res.objective, ref, total, 1e-7), (res.objective, float(ref))


@st.composite
def curve_cases(draw):
    scores, cap, _, _ = draw(floor_cases())
    s = float(np.max(scores)) or 1.0
    levels = [draw(st.integers(0, 6)) * s / 2 for _ in range(draw(st.integers(1, 2)))]
    return scores, cap, levels


@case("lib.floors.floor_cost_curve", curve_cases(),
      "levels sorted; integer optimum and cost equal to brute force (relative 1e-9), NaN exactly "
      "where brute force finds none; relaxed within 1e-7 * sum|scores| of the exact LP, NaN exactly "
      "where it is infeasible; fractional whenever the LP value exceeds the integer optimum")  # fmt: skip
def check_floor_cost_curve(scores, cap, levels):
    cur = fl.floor_cost_curve(scores, levels, cap)
    w = scores.shape[1]
    assert cur.floors.tolist() == sorted(levels)
    base = floor_brute(scores, cap, [0.0] * w)
    total = float(np.abs(scores).sum()) or 1.0
    for k, f in enumerate(cur.floors.tolist()):
        integer = floor_brute(scores, cap, [f] * w)
        relaxed = floor_lp(scores, cap, [f] * w)
        if relaxed is None:
            assert np.isnan(cur.relaxed[k]) and np.isnan(cur.integer[k]) and not cur.feasible[k]
            continue
        assert near(cur.relaxed[k], relaxed, total, 1e-7)
        assert cur.feasible[k] == (integer is not None)
        if integer is None:
            assert np.isnan(cur.integer[k]) and np.isnan(cur.cost[k]) and cur.fractional[k]
            continue
        assert near(cur.integer[k], integer, integer, 1e-9)
        assert near(cur.cost[k], base - integer, total, 1e-9)
        if relaxed - integer > Fraction(total) * Fraction(1, 10**6):
            assert cur.fractional[k]


# ============================================================ lib.network


def opt_value(scores: np.ndarray, cap: list) -> Fraction:
    n, m = scores.shape
    return max(exact_total(scores, c) for c in enumerate_assignments(n, m, cap))


@st.composite
def network_cases(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    scores = np.array([[float(draw(st.integers(-2, 5))) for _ in range(m)] for _ in range(n)])
    cap = [draw(st.sampled_from([0, 1, 2, 2**62])) for _ in range(m)]
    return scores * draw(st.sampled_from([1.0, 0.5, 2.0**-10])), cap


@case("lib.network.flow_network", network_cases(),
      "identical edge set with identical capacity and weight (score x 10^6 rounded half to even, "
      "from the exact product) attributes; -(min cost of the max flow) equal to the brute-force "
      "optimum of the rounded integer weights exactly")  # fmt: skip
def check_flow_network(scores, cap):
    g = net.flow_network(scores, cap)
    n, m = scores.shape
    want = {}
    for i in range(n):
        want[("source", ("task", i))] = {"capacity": 1, "weight": 0}
        want[(("task", i), "sink")] = {"capacity": 1, "weight": 0}
        for j in range(m):
            if scores[i, j] > 0:
                want[(("task", i), ("worker", j))] = {"capacity": 1,
                                                      "weight": -round(Q(scores[i, j]) * 10**6)}  # fmt: skip
    for j in range(m):
        want[(("worker", j), "sink")] = {"capacity": cap[j], "weight": 0}
    assert {e: dict(a) for e, a in ((e, g.edges[e]) for e in g.edges)} == want
    flow = nx.max_flow_min_cost(g, "source", "sink")
    rounded = np.array([[float(round(Q(v) * 10**6)) for v in row] for row in scores.tolist()])
    assert -nx.cost_of_flow(g, flow) == opt_value(rounded, cap)


def max_prices(scores: np.ndarray, cap: list) -> tuple[list, list]:
    n, m = scores.shape
    top = opt_value(scores, cap)
    v = []
    for j in range(m):
        if cap[j] > 0:
            lower = list(cap)
            lower[j] -= 1
            v.append(top - opt_value(scores, lower))
        else:
            v.append(None)
    u = [max([Fraction(0)] + [Q(scores[i, j]) - v[j] for j in range(m) if cap[j] > 0]) for i in range(n)]
    v = [vj if vj is not None else max([Fraction(0)] + [Q(scores[i, j]) - u[i] for i in range(n)])
         for j, vj in enumerate(v)]  # fmt: skip
    return u, v


@st.composite
def dual_cases(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    s = draw(st.sampled_from(EDGE_SCALES))
    scores = np.array([[draw(st.integers(-2, 5)) * s for _ in range(m)] for _ in range(n)])
    cap = [draw(st.sampled_from([0, 1, 2, 2**62])) for _ in range(m)]
    choices = enumerate_assignments(n, m, cap)
    best = max(exact_total(scores, c) for c in choices)
    optimal = [c for c in choices if exact_total(scores, c) == best]
    choice = optimal[draw(st.integers(0, len(optimal) - 1))]
    x = np.zeros((n, m))
    for i, j in enumerate(choice):
        if j >= 0:
            x[i, j] = 1.0
    return scores, cap, x


@case("lib.network.max_price_duals", dual_cases(),
      "u and v within 1e-12 * max|s| of the brute-force left slopes and the task values they imply, "
      "for any optimal x found by enumeration")  # fmt: skip
def check_max_price_duals(scores, cap, x):
    u, v = net.max_price_duals(scores, cap, x)
    ru, rv = max_prices(scores, cap)
    scale = float(np.abs(scores).max()) or 1.0
    for got, want in zip(u.tolist() + v.tolist(), ru + rv):
        assert near(got, want, scale, 1e-12), (u, v, [float(a) for a in ru + rv])


# ============================================================ lib.online


def rule_greedy(row, left):
    best, pick = 0.0, None
    for j in range(len(row)):
        if left[j] > 0 and row[j] > best:
            best, pick = row[j], j
    return pick


def rule_last_best(row, left):
    """A rule of the test's own: the highest-index worker of the best positive score."""
    best, pick = 0.0, None
    for j in range(len(row)):
        if left[j] > 0 and row[j] > 0 and row[j] >= best:
            best, pick = row[j], j
    return pick


def rule_first_free(row, left):
    return next((j for j in range(len(row)) if left[j] > 0), None)


def rule_refuse(row, left):
    return None


RULES = [rule_greedy, rule_last_best, rule_first_free, rule_refuse]


def replay(scores, cap, order, rule):
    left = list(cap)
    pairs = []
    for i in order:
        j = rule(scores[i].tolist(), left)
        if j is not None:
            pairs.append((i, j))
            left[j] -= 1
    return sorted(pairs)


@st.composite
def online_cases(draw, exact=False):
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    s = draw(st.sampled_from([2.0**-20, 1.0, 2.0**20] if exact else EDGE_SCALES))
    scores = np.array([[draw(st.integers(-1, 4)) * s for _ in range(m)] for _ in range(n)])
    cap = [draw(st.sampled_from([0, 1, 2, 2**62])) for _ in range(m)]
    order = draw(st.permutations(list(range(n))))
    return scores, cap, list(order)


@st.composite
def run_online_cases(draw):
    scores, cap, order = draw(online_cases())
    return scores, cap, order, draw(st.integers(0, len(RULES) - 1))


@case("lib.online.run_online", run_online_cases(),
      "identical sorted pairs and order; objective within 1e-15 * sum|s| of the exact total "
      "(lib's greedy_choice when the rule is greedy, the test's own rules otherwise)")  # fmt: skip
def check_run_online(scores, cap, order, which):
    rule = RULES[which]
    res = onl.run_online(scores, cap, order, onl.greedy_choice if which == 0 else rule)
    ref = replay(scores, cap, order, rule)
    assert res.pairs == ref and list(res.order) == order
    assert near(res.objective, sum((Q(scores[i, j]) for i, j in ref), Fraction(0)),
                float(np.abs(scores).sum()), 1e-15)  # fmt: skip


@st.composite
def bid_cases(draw):
    scores, cap, order = draw(online_cases())
    s = float(np.abs(scores).max()) or 1.0
    prices = np.array([draw(st.integers(0, 3)) * s for _ in range(scores.shape[1])])
    return scores, prices, cap, order


@case("lib.online.bid_price_assignment", bid_cases(),
      "identical sorted pairs (exact rational surpluses, ties to the lowest index); objective within "
      "1e-15 * sum|s| of the exact total")  # fmt: skip
def check_bid_price_assignment(scores, prices, cap, order):
    def rule(row, left):
        best, pick = None, None
        for j in range(len(row)):
            if left[j] > 0 and row[j] > 0:
                sur = Q(row[j]) - Q(prices[j])
                if sur >= 0 and (best is None or sur > best):
                    best, pick = sur, j
        return pick

    res = onl.bid_price_assignment(scores, prices, cap, order)
    ref = replay(scores, cap, order, rule)
    assert res.pairs == ref
    assert near(res.objective, sum((Q(scores[i, j]) for i, j in ref), Fraction(0)),
                float(np.abs(scores).sum()), 1e-15)  # fmt: skip


@st.composite
def batch_cases(draw):
    scores, cap, order = draw(online_cases())
    return scores, cap, order, draw(st.integers(1, 6))


@case("lib.online.batched_assignment", batch_cases(),
      "pairs are positive, within capacities; each batch's committed total equals (within 1e-9 * "
      "sum|s|) the brute-force optimum of the batch against the capacity left by earlier batches")  # fmt: skip
def check_batched_assignment(scores, cap, order, k):
    res = onl.batched_assignment(scores, cap, order, k)
    m = scores.shape[1]
    got = dict(res.pairs)
    assert len(got) == len(res.pairs)
    left = list(cap)
    total = float(np.abs(scores).sum())
    for start in range(0, len(order), k):
        batch = order[start:start + k]
        if not any(left):
            assert not any(i in got for i in order[start:])
            break
        sub = scores[batch]
        best = max(exact_total(sub, c) for c in enumerate_assignments(len(batch), m, left))
        mine = [(i, got[i]) for i in batch if i in got]
        assert all(scores[i, j] > 0 for i, j in mine)
        assert near(sum((Q(scores[i, j]) for i, j in mine), Fraction(0)), best, total, 1e-9)
        for _, j in mine:
            left[j] -= 1
        assert all(c >= 0 for c in left)


@st.composite
def unique_cases(draw):
    """Capacities 0/1 and distinct powers of two: the optimum of any subset of tasks is unique."""
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    exps = draw(st.permutations(list(range(n * m))))
    zero = [draw(st.booleans()) for _ in range(n * m)]
    s = draw(st.sampled_from([2.0**-900, 2.0**-30, 1.0, 2.0**30, 2.0**900]))
    vals = [0.0 if z else 2.0**e * s for e, z in zip(exps, zero)]
    scores = np.array(vals).reshape(n, m)
    cap = [draw(st.sampled_from([0, 1, 1])) for _ in range(m)]
    return scores, cap, list(draw(st.permutations(list(range(n)))))


def sample_reference(scores, cap, order, share):
    n, m = scores.shape
    free = [c > 0 for c in cap]
    pairs = []
    for position in range(int(share * n), n):
        seen = order[: position + 1]
        best = max(enumerate_assignments(len(seen), m, cap), key=lambda c: exact_total(scores[seen], c))
        j = best[position]
        if j >= 0 and scores[order[position], j] > 0 and free[j]:
            free[j] = False
            pairs.append((order[position], j))
    return sorted(pairs)


@case("lib.online.sample_then_match",
      st.tuples(unique_cases(), st.sampled_from([0.0, 1 / math.e, 0.5, 1.0])),
      "identical sorted pairs (instances with a unique optimum, where the algorithm is determined)")  # fmt: skip
def check_sample_then_match(inst, share):
    scores, cap, order = inst
    res = onl.sample_then_match(scores, cap, order, share)
    assert res.pairs == sample_reference(scores, cap, order, share)


def batch_reference(scores, cap, order, k):
    m = scores.shape[1]
    left = list(cap)
    pairs = []
    for start in range(0, len(order), k):
        batch = order[start:start + k]
        best = max(enumerate_assignments(len(batch), m, left), key=lambda c: exact_total(scores[batch], c))
        for t, j in enumerate(best):
            if j >= 0 and scores[batch[t], j] > 0:
                pairs.append((batch[t], j))
                left[j] -= 1
    return sorted(pairs)


@st.composite
def compare_cases(draw):
    scores, cap, _ = draw(unique_cases())
    if not any(scores[:, j].max() > 0 and cap[j] > 0 for j in range(scores.shape[1])):
        cap = [1] * scores.shape[1]
        scores[0, 0] = scores[0, 0] or 2.0**-30
    m = scores.shape[1]
    s = float(scores.max())
    prices = None if draw(st.booleans()) else [draw(st.integers(0, 2)) * s / 4 for _ in range(m)]
    sizes = draw(st.lists(st.integers(1, 4), min_size=0, max_size=2))
    return scores, cap, prices, sizes, draw(st.integers(1, 3)), draw(st.integers(0, 1000)), draw(st.booleans())


@case("lib.online.compare_policies", compare_cases(),
      "orders identical to default_rng(seed).permutation; offline equal to brute force; every ratio "
      "within 1e-12 of the replayed policy's exact total over the exact optimum")  # fmt: skip
def check_compare_policies(scores, cap, prices, sizes, n_orders, seed, sample):
    cmp = onl.compare_policies(scores, cap, prices, sizes, n_orders, seed, sample)
    n = scores.shape[0]
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(n).tolist() for _ in range(n_orders)]
    assert cmp.orders.tolist() == orders
    best = opt_value(scores, cap)
    assert Q(cmp.offline) == best

    def bid(row, left):
        best_, pick = None, None
        for j in range(len(row)):
            if left[j] > 0 and row[j] > 0:
                sur = Q(row[j]) - Q(prices[j])
                if sur >= 0 and (best_ is None or sur > best_):
                    best_, pick = sur, j
        return pick

    policies = {"greedy": lambda o: replay(scores, cap, o, rule_greedy)}
    if prices is not None:
        policies["bid price"] = lambda o: replay(scores, cap, o, bid)
    for k in sizes:
        policies[f"batch {k}"] = lambda o, k=k: batch_reference(scores, cap, o, k)
    if sample:
        policies["sample then match"] = lambda o: sample_reference(scores, cap, o, 1 / math.e)
    assert set(cmp.ratios) == set(policies)
    for name, run in policies.items():
        for o, got in zip(orders, cmp.ratios[name].tolist()):
            ref = sum((Q(scores[i, j]) for i, j in run(o)), Fraction(0)) / best
            assert near(got, ref, 1, 1e-12), (name, o, got, float(ref))


@st.composite
def day_cases(draw):
    m, k = draw(st.integers(1, 3)), draw(st.integers(4, 6))
    workers = [[draw(st.integers(0, 1)) for _ in range(k)] for _ in range(m)]
    return workers, draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(0, 2**40))


@case("lib.online.task_days", day_cases(),
      "every day identical to the replayed documented draws (rng seeded seed + d: per task "
      "integers(1, 4) skills, then choice without replacement) with coverage by plain loops; "
      "a second call identical (seeded)")  # fmt: skip
def check_task_days(workers, n_tasks, n_days, seed):
    days = onl.task_days(workers, n_tasks, n_days, seed)
    k = len(workers[0])
    assert len(days) == n_days
    for d, day in enumerate(days):
        rng = np.random.default_rng(seed + d)
        want = []
        for _ in range(n_tasks):
            skills = set(rng.choice(k, size=rng.integers(1, 4), replace=False).tolist())
            assert 1 <= len(skills) <= 3
            want.append([sum(workers[j][q] for q in skills) / len(skills) for j in range(len(workers))])
        assert day.tolist() == want
    again = onl.task_days(workers, n_tasks, n_days, seed)
    assert all(np.array_equal(a, b) for a, b in zip(days, again))


@st.composite
def price_days(draw):
    m = draw(st.integers(1, 3))
    s = draw(st.sampled_from(EDGE_SCALES))
    days = [np.array([[draw(st.integers(-1, 4)) * s for _ in range(m)] for _ in range(draw(st.integers(1, 3)))])
            for _ in range(draw(st.integers(1, 3)))]  # fmt: skip
    return days, [draw(st.sampled_from([0, 1, 2, 2**62])) for _ in range(m)]


@case("lib.online.average_prices", price_days(),
      "each worker's price within 1e-12 * max|s| of the mean over days of the brute-force left slopes")  # fmt: skip
def check_average_prices(days, cap):
    got = onl.average_prices(days, cap)
    ref = [sum((max_prices(d, cap)[1][j] for d in days), Fraction(0)) / len(days) for j in range(len(cap))]
    scale = max(float(np.abs(d).max()) for d in days) or 1.0
    for g, r in zip(got.tolist(), ref):
        assert near(g, r, scale, 1e-12), (got, [float(v) for v in ref])


def threshold_rule(threshold: float, prefer: list[int], second: bool):
    """A rule of the test's own: the first worker in ``prefer`` order who is free and
    whose score is at least ``threshold``; ``second=False`` refuses after a first take."""
    taken = []

    def rule(row, left):
        if taken and not second:
            return None
        for j in prefer:
            if j < left.size and left[j] > 0 and row[j] >= threshold:
                taken.append(j)
                return j
        return None

    return rule


@case("lib.online.unweighted_adversary",
      st.tuples(st.floats(-1.0, 2.0), st.permutations([0, 1]), st.booleans()),
      "identical instance, capacity, online total and brute-force offline optimum of the documented construction")  # fmt: skip
def check_unweighted_adversary(threshold, prefer, second):
    res = onl.unweighted_adversary(threshold_rule(threshold, list(prefer), second))
    mirror = threshold_rule(threshold, list(prefer), second)
    j = mirror(np.array([1.0, 1.0]), np.array([1, 1]))
    assert res.capacity.tolist() == [1, 1]
    if j is None:
        assert res.scores.tolist() == [[1.0, 1.0]] and (res.online, res.offline) == (0.0, 1.0)
        return
    second = [0.0, 0.0]
    second[j] = 1.0
    left = np.array([1, 1])
    left[j] = 0
    k = mirror(np.array(second), left)
    online = 1.0 + (second[k] if k is not None else 0.0)
    scores = np.array([[1.0, 1.0], second])
    assert res.scores.tolist() == scores.tolist()
    assert res.online == online and Q(res.offline) == opt_value(scores, [1, 1]) == 2
    assert res.ratio == online / 2


@case("lib.online.weighted_adversary",
      st.tuples(st.floats(0.0, 4.0), st.booleans(),
                st.one_of(st.sampled_from([1.0, 2.0**60, 1e300]), st.floats(1.0, 1e300))),  # fmt: skip
      "identical instance, totals and ratio of the documented one-worker construction")  # fmt: skip
def check_weighted_adversary(threshold, second, big):
    res = onl.weighted_adversary(threshold_rule(threshold, [0], second), big)
    if threshold > 1.0:  # the rule refuses the first task
        assert res.scores.tolist() == [[1.0]] and (res.online, res.offline) == (0.0, 1.0)
    else:
        assert res.scores.tolist() == [[1.0], [big]] and (res.online, res.offline) == (1.0, big)
        assert res.ratio == 1.0 / big
    assert res.capacity.tolist() == [1]


# ============================================================ lib.listing


@st.composite
def articles(draw):
    """A synthetic article: numbered headings (levels 1-4) in document order,
    each followed by prose and fenced blocks in python or another language."""
    numbers, lines, blocks = [], [], {}
    major = 0
    for _ in range(draw(st.integers(1, 6))):
        if not numbers or draw(st.booleans()):
            major += 1
            number = f"{major}."
            key = str(major)
        else:
            minor = sum(1 for k in blocks if k.startswith(f"{major}.")) + 1
            key = number = f"{major}.{minor}"
        level = draw(st.integers(1, 4)) if "." in key else draw(st.integers(1, 3))
        lines.append("#" * level + draw(st.sampled_from([" ", "  ", ""])) + f"{number} Title {key}")
        blocks[key] = (level, [])
        numbers.append(key)
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["prose", "python", "text", "python", "python3"]))
            if kind == "prose":
                lines.append(draw(st.sampled_from(["Some words.", "", "x = 1 in prose", "`code` inline"])))
            else:
                body = [draw(st.sampled_from(["a = 1", "print(a)", "", "    return b", "# comment"]))
                        for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
                lines.append("```" + kind + draw(st.sampled_from(["", " "])))
                lines.extend(body)
                lines.append("```")
    text = "\n".join(lines) + "\n"
    return text, draw(st.sampled_from(numbers + ["9", "1.9"])), draw(st.sampled_from(["python", "text"]))


def blocks_reference(text: str, section: str, language: str) -> list[str] | None:
    lines = text.split("\n")

    def heading(line):  # (level, number) of a numbered heading line, else None
        hashes = len(line) - len(line.lstrip("#"))
        if hashes == 0:
            return None
        token = line[hashes:].lstrip(" ").split(" ")[0]
        return (hashes, token.rstrip(".")) if token.rstrip(".").replace(".", "").isdigit() else None

    start = next((i for i, ln in enumerate(lines) if (h := heading(ln)) and h[1] == section), None)
    if start is None:
        return None
    out, i = [], start + 1
    while i < len(lines):
        h = heading(lines[i])
        if h and h[0] <= 3:
            break
        if lines[i].rstrip(" ") == "```" + language:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1:j]
            out.append("".join(ln + "\n" for ln in body))
            i = j + 1
            continue
        i += 1
    return out


@case("lib.listing.section_code_blocks", articles(),
      "identical list of block contents; ValueError exactly when no heading carries the number")  # fmt: skip
def check_section_code_blocks(text, section, language):
    ref = blocks_reference(text, section, language)
    if ref is None:
        with pytest.raises(ValueError):
            li.section_code_blocks(text, section, language)
        return
    assert li.section_code_blocks(text, section, language) == ref


POOL = ["alpha", "beta", "gamma", "delta", "eps"]


@st.composite
def listings(draw):
    """A synthetic listing whose definitions, imports, reads and a - a are known."""
    lines, defs, imports = [], Counter(), []
    top_bound, top_read = set(), set()
    func_reads: dict[str, set] = {}
    self_diffs = []

    def expr(names_ok):
        terms = []
        reads = set()
        for _ in range(draw(st.integers(1, 3))):
            a = draw(st.sampled_from(names_ok))
            if draw(st.booleans()):
                terms.append(f"({a} - {a})")
                self_diffs.append(f"{a} - {a}")
                reads.add(a)
            else:
                b = draw(st.sampled_from(names_ok))
                terms.append(a if a == b else f"({a} - {b})")
                reads |= {a, b}
        return " + ".join(terms), reads

    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["import", "def", "assign", "call"]))
        if kind == "import":
            mod, nm = draw(st.sampled_from(["math", "os.path", "pkg"])), draw(st.sampled_from(POOL))
            lines.append(f"from {mod} import {nm}")
            imports.append((mod, nm))
            top_bound.add(nm)
        elif kind == "def":
            fname = draw(st.sampled_from(["f", "g", "h"]))
            params = draw(st.lists(st.sampled_from(POOL), max_size=2, unique=True))
            local = draw(st.sampled_from([None, *POOL]))
            lines.append(f"def {fname}({', '.join(params)}):")
            body_reads = set()
            if local is not None:
                e, r = expr(POOL)
                lines.append(f"    {local} = {e}")
                body_reads |= r
            e, r = expr(POOL)
            lines.append(f"    return {e}")
            body_reads |= r
            defs[fname] += 1
            missing = body_reads - set(params) - ({local} if local else set())
            func_reads.setdefault(fname, set()).update(missing)
        elif kind == "assign":
            target = draw(st.sampled_from(POOL))
            e, r = expr(POOL)
            lines.append(f"{target} = {e}")
            top_bound.add(target)
            top_read |= r
        else:
            e, r = expr(POOL)
            lines.append(f"print({e})")
            top_read |= r
    module = top_bound | set(defs)
    undefined = {f: sorted(r - module) for f, r in func_reads.items()}
    undefined["top level"] = sorted(top_read - module)
    return "\n".join(lines) + "\n", defs, imports, undefined, Counter(self_diffs)


@case("lib.listing.analyse_listing", listings(),
      "identical definitions, imports (in order) and undefined names; self-differences equal as a "
      "multiset of source texts (lib lists them in ast.walk order)")  # fmt: skip
def check_analyse_listing(code, defs, imports, undefined, self_diffs):
    rep = li.analyse_listing(code)
    assert rep.definitions == defs
    assert rep.imports == imports
    assert rep.undefined == undefined
    assert Counter(rep.self_differences) == self_diffs


# ============================================================ regression tests


def test_tiny_scale_planner_and_projection():
    """At a scale of 2^-60 the price and the projection's threshold were found
    with an absolute tolerance (1e-13, 1e-14) far above the solution: the
    planner spent nothing and the projection returned zero."""
    s = 2.0**-60
    x, y = co.project_onto_budget_and_bounds([3 * s, 0.0], [s, s], s)
    assert x.tolist() == [2 * s, 0.0] and y.tolist() == [0.0, 0.0]
    m = co.PolicyModel.create([3 * s, s], [s, 2 * s], gamma=0.5, budget=s)
    sol = co.solve_planner(m)
    assert abs(np.mean(sol.x + sol.y) - s) <= 1e-12 * s


# ============================================================ runner


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    BUILD.mkdir(exist_ok=True)
    lines = [f"{name.removeprefix('lib.'):50s} {COUNTS[name]:6d}" for name in sorted(CASES)]
    lines.append(f"{'total':50s} {sum(COUNTS.values()):6d}")
    (BUILD / "differential_counts_policy.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\ndifferential test (policy): valid inputs compared per function\n" + "\n".join(lines))


def test_tables_match_cases():
    assert set(CASES) == set(REFERENCES)
    assert not set(REFERENCES) & set(NO_REFERENCE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_reference(name):
    strategy, check, agrees = CASES[name]
    assert agrees

    @settings(max_examples=N_POLICY, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def run(args):
        check(*args)
        COUNTS[name] += 1

    run()
    assert COUNTS[name] >= MIN_INPUTS, f"{name}: only {COUNTS[name]} inputs compared"
