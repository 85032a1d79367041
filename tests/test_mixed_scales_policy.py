"""Mixed-scale cases of the policy modules (policy, coordination,
policy_learning) and of the report modules (metrics, ner).

Each case gives every role of an instance its own magnitude from 1e-8 to 1e8
(requirements against costs against a budget, supports against scores, a
step against the point it moves, regressors in different units), lets the
entries of one role differ by many decades, and includes contested, tied and
degenerate instances (zeros, a budget exactly at the spending it would
allow, a budget of zero or of infinity). The result is compared with an
independent reference: exact rationals (``fractions.Fraction``), the exact
active-set solver and water-filling of ``test_differential_policy.py``,
brute-force enumeration of rounding boxes, or a KKT certificate checked in
rationals. Tolerances are relative to the quantities each comparison
involves (the terms of one position's equation, the entries of one sum),
never to the largest entry of the instance. Where lib refuses by a rule its
docstring states, the check asserts the refusal happens exactly when the
rule says.

The regression tests at the end pin each defect these cases found, with the
right answer computed by hand or in exact arithmetic.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from functools import cache

import mpmath
import numpy as np
import pytest
from hypothesis import strategies as st

import lib.coordination as co
import lib.metrics as met
import lib.ner as ner
import lib.policy as pol
import lib.policy_learning as pl
from mixed_scales import MixedCases, column_scaled_matrix, mixed_entries, role_scale
from test_differential import exact_article_data
from test_differential_policy import (
    exact_model,
    exact_planner,
    exact_projection,
    exact_water_fill,
    exact_welfare,
    marginal,
    rational_sqrt,
)

MIXED = MixedCases("policy")

TINY = Fraction(2) ** -1074  # the smallest subnormal: the float floor of any comparison


def Q(x) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x) if isinstance(x, int) else Fraction(float(x))


def near(got, ref, scale, rel: float) -> bool:
    """|got - ref| <= rel * scale (plus the float floor), in rationals."""
    return abs(Q(got) - Q(ref)) <= Fraction(rel) * abs(Q(scale)) + 4 * TINY


def exact_mean(values) -> Fraction:
    values = list(values)
    return sum(values, Fraction(0)) / len(values)


@st.composite
def role(draw, n: int, low: int = 0, high: int = 5, spread: int = 16) -> np.ndarray:
    """``n`` entries of one role: its own magnitude (1e-8 ... 1e8), each entry
    a small integer (ties, zeros) times a power of ten within ``spread``
    decades of it."""
    return draw(mixed_entries(n, low=low, high=high, scale=draw(role_scale), spread=spread))


@st.composite
def magnitude(draw, low: int = 1, high: int = 5) -> float:
    """One positive number of its own magnitude: k * 10^e, k in low..high."""
    return draw(st.integers(low, high)) * draw(role_scale)


# ============================================================ lib.policy: effects and losses


@st.composite
def four_roles(draw):
    n = draw(st.integers(1, 4))
    return tuple(draw(role(n, low=-3, high=5)) for _ in range(4))


@MIXED.case("lib.policy.employment_effect", four_roles(),
            roles="P; E; Ps; I (each its own magnitude, signed)",
            agrees="within 1e-13 * mean(|P E| + |Ps I|) of the exact rational mean of P E + Ps I")  # fmt: skip
def check_employment_effect(P, E, Ps, I):  # noqa: E741
    ref = exact_mean(Q(p) * Q(e) + Q(q) * Q(i) for p, e, q, i in zip(P, E, Ps, I))
    scale = exact_mean(abs(Q(p) * Q(e)) + abs(Q(q) * Q(i)) for p, e, q, i in zip(P, E, Ps, I))
    assert near(pol.employment_effect(P, E, Ps, I), ref, scale, 1e-13)


@st.composite
def two_roles(draw):
    n = draw(st.integers(1, 4))
    a = draw(role(n, low=-3, high=5))
    b = draw(role(n, low=-3, high=5))
    if draw(st.integers(0, 4)) == 0:  # a target met exactly at some positions
        b = np.where(np.arange(n) % 2 == 0, a, b)
    return a, b


def _square_loss_check(func):
    def check(a, b):
        ref = exact_mean((Q(x) - Q(y)) ** 2 for x, y in zip(a, b))
        # A sum of squares of once-rounded differences: relative to the loss itself.
        assert near(func(a, b), ref, ref, 1e-13)

    return check


def _square_gradient_check(func):
    def check(target, var):
        out = func(target, var)
        n = len(var)
        for k in range(n):
            ref = -2 * (Q(target[k]) - Q(var[k])) / n
            # One rounded difference, one division: relative to the entry itself.
            assert near(out[k], ref, ref, 1e-14), (k, out[k], float(ref))

    return check


for _loss, _roles in (("education_loss", "S; E"), ("industry_loss", "P; I"), ("social_loss", "Ps; A")):
    MIXED.case(f"lib.policy.{_loss}", two_roles(), roles=f"{_roles} (each its own magnitude, signed)",
               agrees="within 1e-13 relative of the exact rational mean of squared differences "
                      "(relative to the loss itself)")(_square_loss_check(getattr(pol, _loss)))  # fmt: skip
for _grad, _roles in (("education_gradient", "S; E"), ("industry_gradient", "P; I"), ("social_gradient", "Ps; A")):
    MIXED.case(f"lib.policy.{_grad}", two_roles(), roles=f"{_roles} (each its own magnitude, signed)",
               agrees="each entry within 1e-14 relative of its own exact -2 (a_k - b_k) / N")(
        _square_gradient_check(getattr(pol, _grad)))  # fmt: skip


@cache
def _elementwise(which: str):
    s = pol.policy_symbols()
    expr, var, arrays = {
        "education": (pol.education_loss_expr(), s.E, ("S", "E")),
        "industry": (pol.industry_loss_expr(), s.I, ("P", "I")),
        "social": (pol.social_loss_corrected_expr(), s.A, ("Ps", "A")),
    }[which]
    return pol.to_elementwise(pol.gradient_component(expr, var), arrays)


@MIXED.case("lib.policy.to_elementwise",
            st.tuples(st.sampled_from(["education", "industry", "social"]), two_roles()),
            roles="the target; the effort (each its own magnitude)",
            agrees="the vectorised gradient of each loss: each entry within 1e-14 relative of "
                   "its own exact -2 (target_k - effort_k) / N")  # fmt: skip
def check_to_elementwise(which, pair):
    target, var = pair
    out = _elementwise(which)(target, var)
    n = len(var)
    for k in range(n):
        ref = -2 * (Q(target[k]) - Q(var[k])) / n
        assert near(out[k], ref, ref, 1e-14)


@st.composite
def difference_cases(draw):
    n = draw(st.integers(1, 3))
    a = draw(role(n, low=-3, high=3))
    b = draw(role(n, low=-3, high=3))
    x = draw(role(n, low=-4, high=4))
    h = draw(magnitude())
    return a, b, x, h


@MIXED.case("lib.policy.finite_difference_gradient", difference_cases(),
            roles="the point x; the step h; the coefficients a and b of f = sum(a x^2 + b x)",
            agrees="refused (ValueError naming h) exactly when some x_i + h == x_i - h in floats; "
                   "otherwise each entry within the rounding of f over the step taken, "
                   "1e-14 * sum|terms of f| / ((x_i + h) - (x_i - h)), plus |a_i| times the "
                   "rounding of the two points, of the exact derivative 2 a_i x_i + b_i")  # fmt: skip
def check_finite_difference_gradient(a, b, x, h):
    def f(v):
        return float(np.sum(a * v**2 + b * v))

    up, down = x + h, x - h
    if np.any(up == down):
        with pytest.raises(ValueError, match=r"\bh\b"):
            pol.finite_difference_gradient(f, x, h)
        return
    out = pol.finite_difference_gradient(f, x, h)
    size = sum(abs(Q(ai)) * (abs(Q(xi)) + Q(h)) ** 2 + abs(Q(bi)) * (abs(Q(xi)) + Q(h))
               for ai, bi, xi in zip(a, b, x))  # fmt: skip
    for i in range(x.size):
        ref = 2 * Q(a[i]) * Q(x[i]) + Q(b[i])
        taken = Q(up[i]) - Q(down[i])
        points = abs(Q(a[i])) * (abs(Q(up[i]) + Q(down[i]) - 2 * Q(x[i])))
        tol = Fraction(1e-14) * size / taken + points
        assert abs(Q(out[i]) - ref) <= tol + 4 * TINY, (i, out[i], float(ref), float(tol))


# ============================================================ lib.policy: printed sequences


@st.composite
def printed_cases(draw):
    first = Fraction(draw(st.integers(-50, 50))) * Q(draw(role_scale))
    step = Fraction(draw(st.integers(1, 30)) * draw(st.sampled_from([1, -1]))) * Q(draw(role_scale))
    shown = draw(st.integers(2, 3))
    count = draw(st.integers(shown, 40))
    off_last = draw(st.sampled_from([Fraction(0), Fraction(0), Fraction(0), Fraction(1, 2), Fraction(1, 3)]))
    off_mid = draw(st.sampled_from([Fraction(0)] * 4 + [Fraction(1, 2)])) if shown == 3 else Fraction(0)
    head = [first + step * i for i in range(shown)]
    head[-1] += off_mid * step
    last = first + step * (count - 1 + off_last)
    printed = tuple(float(v) for v in head) + ("...", float(last))
    reading = draw(st.sampled_from(["progression", "progression", "progression", "stretched"]))
    N = draw(st.integers(2, 40))
    return printed, reading, N, (first, step, count, off_last, off_mid)


def printed_rule(printed, reading):
    """The documented rule, in rationals of the printed floats: None if the
    list is accepted, else the reason it is refused."""
    head = [Q(v) for v in printed[:-2]]
    last = Q(printed[-1])
    magnitude = max(abs(v) for v in (head + [last] if reading == "progression" else head))
    a, d = head[0], head[1] - head[0]
    checked = reading == "progression" or len(head) > 2
    if checked and d != 0 and abs(d) < Fraction(1e-6) * magnitude:
        return "below"
    tol = Fraction(1e-9) * magnitude
    if any(abs(v - a - i * d) > tol for i, v in enumerate(head)):
        return "arithmetic progression"
    if reading == "stretched":
        return None
    if d == 0 or (last - a) / d < len(head) - 1 - Fraction(1, 2):
        return "towards its last value"
    steps = round((last - a) / d)
    if abs(last - a - steps * d) > tol:
        return "not reached"
    return None


@MIXED.case("lib.policy.expand_printed_sequence", printed_cases(),
            roles="the first value; the step (each its own magnitude); the count",
            agrees="refused (ValueError naming printed) exactly when the documented rule says (in "
                   "rationals of the printed floats: a step below 1e-6 of the values, a value off "
                   "a + i d by more than 1e-9 of the values, a last value not reached); a list "
                   "printed from an exact progression with a resolvable step is accepted and one "
                   "printed half or a third of a step off is refused; the values within 1e-12 * "
                   "(|a| + i |d|) of the exact progression (stretched: of a + (z - a) i / (N - 1))")  # fmt: skip
def check_expand_printed_sequence(printed, reading, N, exact):
    first, step, count, off_last, off_mid = exact
    rule = printed_rule(printed, reading)
    values = [abs(Q(v)) for v in (printed[:-2] if reading == "stretched" else printed[:-2] + printed[-1:])]
    resolvable = abs(step) >= Fraction(2e-6) * max(values) or (reading == "stretched" and len(printed) == 4)
    if resolvable:  # what the printed list is, independently of the rule's arithmetic
        genuine = off_mid == 0 and (off_last == 0 or reading == "stretched")
        assert (rule is None) == genuine, (rule, printed, reading)
    if rule is not None:
        with pytest.raises(ValueError, match="printed") as info:
            pol.expand_printed_sequence(printed, reading, N)
        assert rule in str(info.value), (rule, str(info.value))
        return
    out = pol.expand_printed_sequence(printed, reading, N)
    a, z = Q(printed[0]), Q(printed[-1])
    if reading == "stretched":
        assert out.size == N
        for i in range(N):
            assert near(out[i], a + (z - a) * Fraction(i, N - 1), abs(a) + abs(z), 1e-12)
        return
    assert out.size == count
    for i in range(count):
        # The exact progression the list was printed from (not its float rounding).
        assert near(out[i], first + i * step, abs(first) + i * abs(step), 1e-12), (i, out[i])


@st.composite
def support_cases(draw):
    return draw(st.sampled_from(pol.READINGS)), draw(st.integers(-5, 5)) * draw(role_scale)


@MIXED.case("lib.policy.example_inputs", support_cases(),
            roles="the article's data (1 ... 100); the support P",
            agrees="every array within 1e-12 relative (entry by entry) of the exact rational "
                   "lists (decimal literals read exactly); P the support exactly")  # fmt: skip
def check_example_inputs(reading, support):
    out = pol.example_inputs(reading, support)
    for name, values in exact_article_data(reading).items():
        assert out[name].size == len(values)
        assert all(near(o, r, r, 1e-12) for o, r in zip(out[name], values))
    assert np.all(out["P"] == float(support))


@MIXED.case("lib.policy.example_J", support_cases(),
            roles="the article's data (1 ... 100); the support P",
            agrees="within 1e-12 * mean(|p E| + |Ps I|) of the exact rational J")  # fmt: skip
def check_example_J(reading, support):
    d = exact_article_data(reading)
    p = Q(support)
    ref = exact_mean(p * e + q * i for e, q, i in zip(d["E"], d["Ps"], d["I"]))
    scale = exact_mean(abs(p * e) + abs(q * i) for e, q, i in zip(d["E"], d["Ps"], d["I"]))
    assert near(pol.example_J(reading, support), ref, scale, 1e-12)


@MIXED.case("lib.policy.required_constant_support", support_cases(),
            roles="the article's data (1 ... 100); the target J",
            agrees="within 1e-12 * (|target| + mean(Ps I)) / mean(E) of (target - mean(Ps I)) / "
                   "mean(E) in exact rationals (the target read exactly)")  # fmt: skip
def check_required_constant_support(reading, target):
    out = pol.required_constant_support(reading, target)
    d = exact_article_data(reading)
    psi, e = exact_mean(q * i for q, i in zip(d["Ps"], d["I"])), exact_mean(d["E"])
    t = Q(target)
    assert near(float(out), (t - psi) / e, (abs(t) + psi) / e, 1e-12)


# ============================================================ lib.policy: the coordinated problem


@st.composite
def coordination_problems(draw, n=(1, 3), with_point: bool = False):
    N = draw(st.integers(*n))
    S, P, Ps = (draw(role(N, low=-2, high=5)) for _ in range(3))
    alpha, beta = draw(magnitude()), draw(magnitude())
    kind = draw(st.sampled_from(["inf", "scale", "scale", "zero", "at", "negative"]))
    if kind == "inf":
        budget = np.inf
    elif kind == "zero":
        budget = 0.0
    elif kind == "negative":
        budget = -draw(magnitude())
    elif kind == "scale":
        budget = draw(magnitude())
    else:  # exactly at the unconstrained optimum's mean effort (rounded once)
        a, b = Q(alpha), Q(beta)
        budget = float(exact_mean(Q(s) + Q(p) + Q(p) / (2 * a) + Q(p) + Q(q) / (2 * b)
                                  for s, p, q in zip(S, P, Ps)))  # fmt: skip
    problem = pol.CoordinationProblem.create(S, P, Ps, alpha, beta, budget)
    if not with_point:
        return (problem,)
    return problem, draw(role(N, low=-3, high=5)), draw(role(N, low=-3, high=5))


def exact_W(p, E, I) -> Fraction:  # noqa: E741
    a, b = Q(p.alpha), Q(p.beta)
    return exact_mean(Q(pn) * Q(e) + Q(q) * Q(i) - a * (Q(s) - Q(e)) ** 2 - b * (Q(pn) - Q(i)) ** 2
                      for s, pn, q, e, i in zip(p.S, p.P, p.Ps, E, I))  # fmt: skip


def W_terms(p, E, I) -> Fraction:  # noqa: E741
    """mean of the absolute values of W's terms: the scale of W's rounding."""
    a, b = Q(p.alpha), Q(p.beta)
    return exact_mean(abs(Q(pn) * Q(e)) + abs(Q(q) * Q(i)) + a * (Q(s) - Q(e)) ** 2 + b * (Q(pn) - Q(i)) ** 2
                      for s, pn, q, e, i in zip(p.S, p.P, p.Ps, E, I))  # fmt: skip


@MIXED.case("lib.policy.coordination_objective", coordination_problems(with_point=True),
            roles="S; P; Ps; the weights alpha, beta; E; I (each its own magnitude)",
            agrees="within 1e-12 * mean(|P E| + |Ps I| + alpha (S - E)^2 + beta (P - I)^2) of the "
                   "exact rational W(E, I)")  # fmt: skip
def check_coordination_objective(problem, E, I):  # noqa: E741
    assert near(pol.coordination_objective(problem, E, I), exact_W(problem, E, I), W_terms(problem, E, I), 1e-12)


@MIXED.case("lib.policy.coordination_gradient", coordination_problems(with_point=True),
            roles="S; P; Ps; the weights alpha, beta; E; I (each its own magnitude)",
            agrees="N times the gradient of W: each entry within 1e-14 * (its own terms |P_k| + "
                   "2 alpha |S_k - E_k|, resp. |Ps_k| + 2 beta |P_k - I_k|) of the exact central "
                   "difference of the exact W (step 1: exact for a quadratic)")  # fmt: skip
def check_coordination_gradient(problem, E, I):  # noqa: E741
    g_e, g_i = pol.coordination_gradient(problem, E, I)
    n = len(E)
    a, b = Q(problem.alpha), Q(problem.beta)
    for k in range(n):
        for g, which in ((g_e, 0), (g_i, 1)):
            up = [list(map(Q, E)), list(map(Q, I))]
            down = [list(map(Q, E)), list(map(Q, I))]
            up[which][k] += 1
            down[which][k] -= 1
            ref = n * (exact_W(problem, *up) - exact_W(problem, *down)) / 2
            if which == 0:
                terms = abs(Q(problem.P[k])) + 2 * a * abs(Q(problem.S[k]) - Q(E[k]))
            else:
                terms = abs(Q(problem.Ps[k])) + 2 * b * abs(Q(problem.P[k]) - Q(I[k]))
            assert near(g[k], ref, terms, 1e-14), (k, which, g[k], float(ref))


def kkt_certificate(p, E, I, lam, rel: float) -> None:  # noqa: E741
    """The KKT conditions of max W s.t. mean(E + I) <= B, in rationals, each
    within ``rel`` of the terms it compares."""
    a, b, lam = Q(p.alpha), Q(p.beta), Q(lam)
    assert lam >= 0
    for s, pn, q, e, i in zip(p.S, p.P, p.Ps, E, I):
        s, pn, q, e, i = map(Q, (s, pn, q, e, i))
        assert near(pn + 2 * a * (s - e), lam, abs(pn) + 2 * a * (abs(s) + abs(e)) + lam, rel)
        assert near(q + 2 * b * (pn - i), lam, abs(q) + 2 * b * (abs(pn) + abs(i)) + lam, rel)
    used = exact_mean(Q(e) + Q(i) for e, i in zip(E, I))
    # E_n = S_n + (P_n - lam) / (2 alpha), I_n = P_n + (Ps_n - lam) / (2 beta): the
    # budget's use is computed from these terms, whatever the size of E and I.
    size = exact_mean(abs(Q(s)) + (abs(Q(pn)) + lam) / (2 * a) + abs(Q(pn)) + (abs(Q(q)) + lam) / (2 * b)
                      for s, pn, q in zip(p.S, p.P, p.Ps))  # fmt: skip
    if math.isfinite(p.budget):
        B = Q(p.budget)
        assert used <= B + Fraction(rel) * (size + abs(B)) + 4 * TINY
        if lam > 0:
            assert near(used, B, size + abs(B), rel)
    else:
        assert lam == 0


@MIXED.case("lib.policy.coordinated_optimum", coordination_problems(),
            roles="S; P; Ps; the weights alpha, beta; the budget (each its own magnitude; budgets "
                  "of 0, inf, negative, and exactly at the unconstrained optimum)",
            agrees="the KKT conditions in rationals (lambda >= 0; each position's stationarity within "
                   "1e-12 of its own terms; feasibility and complementary slackness within 1e-12 of "
                   "the terms E and I are computed from, mean(|S| + (|P| + lambda) / (2 alpha) + |P| + "
                   "(|Ps| + lambda) / (2 beta)) + |B|); objective within 1e-12 of W's terms of the "
                   "exact W")  # fmt: skip
def check_coordinated_optimum(problem):
    opt = pol.coordinated_optimum(problem)
    kkt_certificate(problem, opt.E, opt.I, opt.multiplier, 1e-12)
    assert near(opt.objective, exact_W(problem, opt.E, opt.I), W_terms(problem, opt.E, opt.I), 1e-12)


@st.composite
def projections(draw):
    n = draw(st.integers(1, 4))
    E, I = draw(role(n, low=-3, high=5)), draw(role(n, low=-3, high=5))  # noqa: E741
    kind = draw(st.sampled_from(["inf", "-inf", "scale", "scale", "negative", "at", "zero"]))
    budget = {"inf": np.inf, "-inf": -np.inf, "zero": 0.0}.get(kind)
    if kind == "scale":
        budget = draw(magnitude())
    elif kind == "negative":
        budget = -draw(magnitude())
    elif kind == "at":
        budget = float(exact_mean(Q(e) + Q(i) for e, i in zip(E, I)))
    return E, I, budget


@MIXED.case("lib.policy.project_onto_budget", projections(),
            roles="E; I; the budget (each its own magnitude; 0, +-inf, exactly at mean(E + I))",
            agrees="-inf refused (ValueError naming budget); otherwise the projection certificate "
                   "in rationals: unchanged (exactly) when mean(E + I) <= budget, else mean(E' + I') = "
                   "budget and (E - E', I - I') = t (1, ..., 1) with t >= 0, within 1e-13 * "
                   "(mean(|E| + |I|) + |budget|)")  # fmt: skip
def check_project_onto_budget(E, I, budget):  # noqa: E741
    if budget == -np.inf:
        with pytest.raises(ValueError, match="budget"):
            pol.project_onto_budget(E, I, budget)
        return
    E2, I2 = pol.project_onto_budget(E, I, budget)
    used = exact_mean(Q(e) + Q(i) for e, i in zip(E, I))
    if budget == np.inf or used <= Q(budget):
        assert E2.tolist() == E.tolist() and I2.tolist() == I.tolist()
        return
    scale = exact_mean(abs(Q(e)) + abs(Q(i)) for e, i in zip(E, I)) + abs(Q(budget))
    shifts = [Q(e) - Q(e2) for e, e2 in zip(E, E2)] + [Q(i) - Q(i2) for i, i2 in zip(I, I2)]
    assert all(near(s, shifts[0], scale, 1e-13) for s in shifts) and shifts[0] >= 0
    assert near(exact_mean(Q(e) + Q(i) for e, i in zip(E2, I2)), Q(budget), scale, 1e-13)


@st.composite
def cycles(draw):
    (problem,) = draw(coordination_problems(n=(1, 2)))
    limit = 1 / max(problem.alpha, problem.beta)
    step = draw(st.sampled_from([0.1, 0.5, 0.9])) * limit
    return problem, step, draw(st.integers(1, 6))


def exact_cycle(p, step, rounds):
    """The cycle replayed in rationals: a step along N times the gradient, then
    the projection onto the half-space."""
    a, b, t = Q(p.alpha), Q(p.beta), Q(step)
    S, P, Ps = ([Q(v) for v in arr] for arr in (p.S, p.P, p.Ps))
    n = len(S)
    E, I = [Fraction(0)] * n, [Fraction(0)] * n  # noqa: E741
    for _ in range(rounds):
        E = [e + t * (pn - 2 * a * (e - s)) for e, s, pn in zip(E, S, P)]
        I = [i + t * (q - 2 * b * (i - pn)) for i, q, pn in zip(I, Ps, P)]  # noqa: E741
        if math.isfinite(p.budget):
            excess = exact_mean(e + i for e, i in zip(E, I)) - Q(p.budget)
            if excess > 0:
                E = [e - excess / 2 for e in E]
                I = [i - excess / 2 for i in I]  # noqa: E741
    return E, I


@MIXED.case("lib.policy.policy_cycle", cycles(),
            roles="S; P; Ps; alpha, beta; the budget; the step (relative to 1 / max(alpha, beta))",
            agrees="the final efforts within 1e-12 * (mean|E*| + mean|I*| + |data| + |B|) of the "
                   "cycle replayed in rationals; objective[-1] within 1e-12 of W's terms of the exact "
                   "W at the returned point; gap[-1] within 1e-12 of the scale of its exact distance "
                   "to the KKT-certified optimum; converged exactly when gap[-1] <= 1e-10 times the "
                   "optimum's size")  # fmt: skip
def check_policy_cycle(problem, step, rounds):
    res = pol.policy_cycle(problem, step, rounds)
    E, I = exact_cycle(problem, step, rounds)  # noqa: E741
    data = [Q(v) for v in [*problem.S, *problem.P, *problem.Ps]]
    scale = (sum(abs(v) for v in E + I + data) + (abs(Q(problem.budget)) if math.isfinite(problem.budget) else 0))
    scale *= 1 + Q(step) * (1 + 2 * Q(max(problem.alpha, problem.beta)))
    for got, want in zip([*res.E, *res.I], E + I):
        assert near(got, want, scale, 1e-12), (got, float(want))
    assert near(res.objective[-1], exact_W(problem, res.E, res.I), W_terms(problem, res.E, res.I), 1e-12)
    opt = pol.coordinated_optimum(problem)
    kkt_certificate(problem, opt.E, opt.I, opt.multiplier, 1e-12)
    dist2 = sum((Q(a) - Q(b)) ** 2 for a, b in zip([*res.E, *res.I], [*opt.E, *opt.I]))
    assert near(res.gap[-1] ** 2, dist2, dist2 + scale**2 * Fraction(1e-20), 1e-12)
    size = math.sqrt(float(sum(Q(v) ** 2 for v in [*opt.E, *opt.I])))
    if size == 0:
        size = math.sqrt(float(sum(v * v for v in data)))
    assert res.converged == bool(res.gap[-1] <= 1e-10 * size)


# ============================================================ lib.coordination


@st.composite
def policy_models(draw, n=(1, 2), budget_kinds=("scale", "scale", "zero", "at", "spread")):
    """A model whose requirements, needs, effect sizes, curvatures, costs and
    budget each have their own magnitude."""
    N = draw(st.integers(*n))
    S, P = draw(role(N, low=0, high=4)), draw(role(N, low=0, high=4))
    a = draw(st.integers(0, 3)) * draw(role_scale)
    b = draw(st.integers(0, 3)) * draw(role_scale)
    kE, kI = draw(magnitude(1, 4)), draw(magnitude(1, 4))
    gamma = draw(st.sampled_from([-0.9, -0.5, 0.0, 0.0, 0.5, 0.9])) * math.sqrt(kE * kI)
    cost_E, cost_I = draw(magnitude(1, 4)), draw(magnitude(1, 4))
    m = co.PolicyModel.create(S, P, a=a, b=b, gamma=gamma, kE=kE, kI=kI, cost_E=cost_E,
                              cost_I=cost_I, budget=1.0)  # fmt: skip
    kind = draw(st.sampled_from(budget_kinds))
    if kind == "zero":
        budget = 0.0
    elif kind == "at":  # exactly the spending of the unconstrained optimum (rounded once)
        d = exact_model(m)
        d["B"] = Fraction(10) ** 40
        x, y, _ = exact_planner(d)
        budget = float(sum(x + y) / N)
    elif kind == "spread":  # the budget a small share of the largest marginal spending
        budget = draw(magnitude()) * 1e-8
    else:
        budget = draw(magnitude())
    return m.with_(budget=budget)


@st.composite
def model_and_spending(draw):
    m = draw(policy_models())
    return m, draw(role(m.N, low=0, high=6)), draw(role(m.N, low=0, high=6))


@MIXED.case("lib.coordination.chapter_model",
            st.tuples(st.integers(-19, 19).map(lambda k: k / 10) | st.integers(-9, 9).map(lambda k: k * 1e-8),
                      st.integers(0, 5).map(float) | magnitude(), st.integers(2, 6)),
            roles="the budget (1e-8 ... 1e8); gamma; the chapter's fixed data (5 ... 100)",
            agrees="S_n = 20 + 80 (n-1)/(N-1) and P_n = 5 + 35 (n-1)/(N-1) within 1e-15 relative "
                   "of the exact rationals; the constants as documented; budget and gamma exactly")  # fmt: skip
def check_chapter_model(gamma, budget, N):
    m = co.chapter_model(gamma, budget, N)
    for got, lo, hi in ((m.S, 20, 100), (m.P, 5, 40)):
        assert all(near(v, lo + Fraction(hi - lo) * Fraction(k, N - 1), hi, 1e-15) for k, v in enumerate(got))
    assert (m.a, m.b, m.kE, m.kI, m.cost_E, m.cost_I) == (2.0, 2.0, 2.0, 2.0, 1.0, 2.0)
    assert m.gamma == gamma and m.budget == budget


@MIXED.case("lib.coordination.effects", model_and_spending(),
            roles="the costs; the spending (each its own magnitude)",
            agrees="identical to the exact quotients x / cost_E, y / cost_I rounded once")  # fmt: skip
def check_effects(m, x, y):
    E, I = co.effects(m, x, y)  # noqa: E741
    assert E.tolist() == [float(Q(v) / Q(m.cost_E)) for v in x]
    assert I.tolist() == [float(Q(v) / Q(m.cost_I)) for v in y]


def gain_terms(d, x, y) -> list[tuple[Fraction, Fraction]]:
    """(u_n, sum of |terms| of u_n) in rationals."""
    out = []
    for n in range(d["N"]):
        E, I = Q(x[n]) / d["cE"], Q(y[n]) / d["cI"]  # noqa: E741
        terms = [d["a"] * d["S"][n] * E, -d["kE"] / 2 * E * E, d["b"] * d["P"][n] * I,
                 -d["kI"] / 2 * I * I, d["g"] * E * I]  # fmt: skip
        out.append((sum(terms), sum(abs(t) for t in terms)))
    return out


@MIXED.case("lib.coordination.employment_gain", model_and_spending(),
            roles="S, P; a, b, gamma; kE, kI; the costs; the spending (each its own magnitude)",
            agrees="each u_n within 1e-13 * (its own |terms|) of the exact rational u_n")  # fmt: skip
def check_employment_gain(m, x, y):
    got = co.employment_gain(m, x, y)
    for g, (ref, terms) in zip(got.tolist(), gain_terms(exact_model(m), x, y)):
        assert near(g, ref, terms, 1e-13), (g, float(ref))


@MIXED.case("lib.coordination.welfare", model_and_spending(),
            roles="S, P; a, b, gamma; kE, kI; the costs; the spending (each its own magnitude)",
            agrees="within 1e-13 * mean(|terms| of u_n) of the exact rational mean of u_n")  # fmt: skip
def check_welfare(m, x, y):
    rows = gain_terms(exact_model(m), x, y)
    assert near(co.welfare(m, x, y), exact_mean(r for r, _ in rows), exact_mean(t for _, t in rows), 1e-13)


@MIXED.case("lib.coordination.welfare_gradient", model_and_spending(),
            roles="S, P; a, b, gamma; kE, kI; the costs; the spending (each its own magnitude)",
            agrees="each entry within 1e-13 * (its own |terms|) / N of the exact marginal value / N "
                   "(the derivative of the exact quadratic, by hand)")  # fmt: skip
def check_welfare_gradient(m, x, y):
    d = exact_model(m)
    N = m.N
    z = [Q(v) for v in [*x, *y]]
    gx, gy = co.welfare_gradient(m, x, y)
    for i, got in enumerate([*gx, *gy]):
        n = i % N
        if i < N:
            terms = [d["a"] * d["S"][n] / d["cE"], d["kE"] * z[i] / d["cE"] ** 2, d["g"] * z[N + n] / (d["cE"] * d["cI"])]
        else:
            terms = [d["b"] * d["P"][n] / d["cI"], d["kI"] * z[i] / d["cI"] ** 2, d["g"] * z[n] / (d["cE"] * d["cI"])]
        ref = marginal(d, z, i, d["g"]) / N
        assert near(got, ref, sum(abs(t) for t in terms) / N, 1e-13), (i, got, float(ref))


@MIXED.case("lib.coordination.gradient_lipschitz", st.tuples(policy_models()),
            roles="kE, kI; gamma; cost_E, cost_I (each its own magnitude)",
            agrees="within 1e-13 relative of the largest |eigenvalue| / N of the 2x2 block, from "
                   "(p + r)/2 +- sqrt(((p - r)/2)^2 + q^2) in rationals (sqrt to 2^-200)")  # fmt: skip
def check_gradient_lipschitz(m):
    cE, cI, g, kE, kI = (Q(v) for v in (m.cost_E, m.cost_I, m.gamma, m.kE, m.kI))
    p, q, r = -kE / cE**2, g / (cE * cI), -kI / cI**2
    root = rational_sqrt(((p - r) / 2) ** 2 + q * q)
    ref = max(abs((p + r) / 2 + root), abs((p + r) / 2 - root)) / m.N
    assert near(co.gradient_lipschitz(m), ref, ref, 1e-13)


@MIXED.case("lib.coordination.kkt_active_sets", st.tuples(policy_models(n=(1, 1))),
            roles="S, P; a, b, gamma; kE, kI; the costs; the budget (each its own magnitude)",
            agrees="exactly (rationals): every active set's point equals the solution of its own "
                   "stationarity-and-binding system by Gaussian elimination here, both singular "
                   "together; the flags are the exact sign checks; the KKT row's spending equals "
                   "the exact active-set planner's")  # fmt: skip
def check_kkt_active_sets(m):
    from test_differential_policy import check_kkt_active_sets as exact_check

    exact_check(m)


@st.composite
def bound_projections(draw):
    n = draw(st.integers(1, 3))
    x, y = draw(role(n, low=-3, high=6)), draw(role(n, low=-3, high=6))
    positive = sum(max(Fraction(0), Q(v)) for v in [*x, *y])
    kind = draw(st.sampled_from(["scale", "scale", "scale", "zero", "inf", "at", "one"]))
    if kind == "zero":
        budget = 0.0
    elif kind == "inf":
        budget = np.inf
    elif kind == "at":  # exactly the spending of max(0, v): the budget just binds
        budget = float(positive / n)
    elif kind == "one":  # just enough for the largest entry above the next one
        top = sorted([Q(v) for v in [*x, *y]], reverse=True)
        budget = float(max(Fraction(0), top[0] - top[1]) / n)
    else:
        budget = draw(magnitude())
    return x, y, budget


@MIXED.case("lib.coordination.project_onto_budget_and_bounds", bound_projections(),
            roles="x; y; the budget (each its own magnitude; 0, inf, exactly binding)",
            agrees="inf or a slack budget: exactly max(0, v); otherwise every entry within 1e-13 * "
                   "(|z_i| + N budget) of the exact projection by sorting (never relative to the "
                   "largest entry), the result >= 0 and its mean at most the budget (1 + 1e-13)")  # fmt: skip
def check_project_onto_budget_and_bounds(x, y, budget):
    n = x.size
    gx, gy = co.project_onto_budget_and_bounds(x, y, budget)
    got = [*gx, *gy]
    positive = [max(0.0, v) for v in [*x, *y]]
    if budget == np.inf or sum(Q(v) for v in positive) <= n * Q(budget):
        assert got == positive
        return
    ref = exact_projection([Q(v) for v in [*x, *y]], n, Q(budget))
    total = n * Q(budget)
    for g, r in zip(got, ref):
        assert near(g, r, abs(r) + total, 1e-13), (g, float(r))
    assert min(got) >= 0 and sum(Q(v) for v in got) <= total * (1 + Fraction(1e-13)) + 4 * TINY


@st.composite
def step_cases(draw):
    m, x, y = draw(model_and_spending())
    step = draw(st.sampled_from([0.25, 1.0, 1.9, 4.0])) / co.gradient_lipschitz(m)
    return m, x, y, step


@MIXED.case("lib.coordination.projected_gradient_step", step_cases(),
            roles="the model's data, effects, curvatures, costs and budget; the spending; the step",
            agrees="every entry within 1e-12 * (|v_i| + max |v_funded| + N budget) of the exact step "
                   "then exact projection (v the point after the step, whose rounding is "
                   "inherited)")  # fmt: skip
def check_projected_gradient_step(m, x, y, step):
    d = exact_model(m)
    z = [Q(v) for v in [*x, *y]]
    moved = [zi + Q(step) * marginal(d, z, i, d["g"]) / m.N for i, zi in enumerate(z)]
    # The terms of each moved entry: its own size and the step times its marginal terms.
    sizes = []
    for i, zi in enumerate(z):
        n, N = i % m.N, m.N
        if i < N:
            t = abs(d["a"] * d["S"][n] / d["cE"]) + d["kE"] * zi / d["cE"] ** 2 + abs(d["g"]) * z[N + n] / (d["cE"] * d["cI"])
        else:
            t = abs(d["b"] * d["P"][n] / d["cI"]) + d["kI"] * zi / d["cI"] ** 2 + abs(d["g"]) * z[n] / (d["cE"] * d["cI"])
        sizes.append(abs(zi) + Q(step) * t / N)
    ref = exact_projection(moved, m.N, d["B"])
    funded = max([s for s, r in zip(sizes, ref) if r > 0], default=Fraction(0))
    gx, gy = co.projected_gradient_step(m, x, y, step)
    for got, want, size in zip([*gx, *gy], ref, sizes):
        assert near(got, want, size + funded + m.N * d["B"], 1e-12), (got, float(want))


def plan_scale(d, lam, gamma=None) -> list[Fraction]:
    """Per position, the terms its optimal spending is computed from at price
    lam: |A| + lam c and |B| + lam c through the 2x2 solve (by Cramer's rule)."""
    g = d["g"] if gamma is None else gamma
    det = d["kE"] * d["kI"] - g * g
    out = []
    for n in range(d["N"]):
        A = abs(d["a"] * d["S"][n]) + lam * d["cE"]
        B = abs(d["b"] * d["P"][n]) + lam * d["cI"]
        E = (d["kI"] * A + abs(g) * B) / det + A / d["kE"]
        I = (abs(g) * A + d["kE"] * B) / det + B / d["kI"]  # noqa: E741
        out.append(d["cE"] * E + d["cI"] * I)
    return out


def check_plan(d, x, y, lam, sol, rel: float = 1e-10) -> None:
    scale = plan_scale(d, lam)
    for n in range(d["N"]):
        assert near(sol.x[n], x[n], scale[n], rel), (n, sol.x[n], float(x[n]), float(scale[n]))
        assert near(sol.y[n], y[n], scale[n], rel), (n, sol.y[n], float(y[n]), float(scale[n]))
    total = d["N"] * d["B"]
    assert sum(Q(v) for v in [*sol.x, *sol.y]) <= total * (1 + Fraction(1e-13)) + 4 * TINY


@MIXED.case("lib.coordination.solve_planner", st.tuples(policy_models(), st.booleans()),
            roles="S, P; a, b, gamma; kE, kI; the costs; the budget (each its own magnitude; 0, "
                  "exactly at the unconstrained spending, a tiny share of it)",
            agrees="each position's x, y within 1e-10 of the terms its spending is computed from "
                   "(|a S_n| + lambda c_E, |b P_n| + lambda c_I through the 2x2 solve) of the exact "
                   "active-set optimum; mean spending at most the budget (1 + 1e-13); price within "
                   "1e-10 relative of the exact lambda (plus 1e-13 of the choke price); welfare "
                   "within 1e-10 of the |terms| of the exact W")  # fmt: skip
def check_solve_planner(m, ignore):
    d = exact_model(m)
    g = Fraction(0) if ignore else None
    sol = co.solve_planner(m, gamma_assumed=0.0 if ignore else None)
    x, y, lam = exact_planner(d, g)
    check_plan(d, x, y, lam, sol)
    rows = gain_terms(d, sol.x, sol.y)
    assert near(sol.welfare, exact_welfare(d, x, y), exact_mean(t for _, t in rows) + exact_mean(
        t for _, t in gain_terms(d, x, y)), 1e-10)  # fmt: skip
    if not ignore:
        choke = max(max(d["a"] * s / d["cE"] for s in d["S"]), max(d["b"] * p / d["cI"] for p in d["P"]))
        assert near(sol.price, lam, lam * 1000 + choke, 1e-13), (sol.price, float(lam))


def exact_ministries(d, share):
    """Each ministry's exact water-filling, and its price."""
    N = d["N"]
    tE = [d["a"] * s / d["cE"] for s in d["S"]]
    tI = [d["b"] * p / d["cI"] for p in d["P"]]
    x, lam_E = exact_water_fill(tE, d["cE"] ** 2 / d["kE"], N * share * d["B"])
    y, lam_I = exact_water_fill(tI, d["cI"] ** 2 / d["kI"], N * (1 - share) * d["B"])
    return x, y, lam_E, lam_I


@MIXED.case("lib.coordination.solve_decentralised",
            st.tuples(policy_models(), st.sampled_from([0.0, 0.25, 0.5, 1.0, 1e-8, 1 - 1e-8])),
            roles="S, P; a, b; kE, kI; the costs; the budget and its share (each its own magnitude)",
            agrees="each position's x within 1e-10 * (|a S_n| + lambda_E c_E) c_E / kE (y likewise) "
                   "of each ministry's exact water-filling; each ministry's mean spending at most "
                   "its budget (1 + 1e-13); welfare within 1e-10 of the |terms| of the exact W")  # fmt: skip
def check_solve_decentralised(m, share):
    d = exact_model(m)
    x, y, lam_E, lam_I = exact_ministries(d, Q(share))
    sol = co.solve_decentralised(m, share)
    for n in range(m.N):
        sx = (abs(d["a"] * d["S"][n]) + lam_E * d["cE"]) * d["cE"] / d["kE"]
        sy = (abs(d["b"] * d["P"][n]) + lam_I * d["cI"]) * d["cI"] / d["kI"]
        assert near(sol.x[n], x[n], sx, 1e-10), (n, sol.x[n], float(x[n]))
        assert near(sol.y[n], y[n], sy, 1e-10), (n, sol.y[n], float(y[n]))
    # The ministries' budgets as lib forms them, in floats.
    for spent, budget in ((sol.x, float(share) * m.budget), (sol.y, (1 - float(share)) * m.budget)):
        assert sum(Q(v) for v in spent) <= m.N * Q(budget) * (1 + Fraction(1e-13)) + 4 * TINY
    assert near(sol.welfare, exact_welfare(d, x, y), exact_mean(t for _, t in gain_terms(d, x, y))
                + exact_mean(t for _, t in gain_terms(d, sol.x, sol.y)), 1e-10)  # fmt: skip


@MIXED.case("lib.coordination.value_of_coordination",
            st.tuples(policy_models(), st.sampled_from([0.0, 0.5, 0.75, 1.0])),
            roles="S, P; a, b, gamma; kE, kI; the costs; the budget (each its own magnitude)",
            agrees="each of the three welfares within 1e-10 of the |terms| of the exact W of the "
                   "exact plan (active-set planner, with gamma and with 0; water-filling)")  # fmt: skip
def check_value_of_coordination(m, share):
    d = exact_model(m)
    v = co.value_of_coordination(m, share)
    plans = [exact_planner(d)[:2], exact_planner(d, Fraction(0))[:2], exact_ministries(d, Q(share))[:2]]
    for got, (x, y) in zip((v.planner, v.reallocation_only, v.decentralised), plans):
        assert near(got, exact_welfare(d, x, y), 2 * exact_mean(t for _, t in gain_terms(d, x, y)), 1e-10)


@st.composite
def ascent_cases(draw):
    m = draw(policy_models())
    step = draw(st.sampled_from([0.5, 1.0, 1.5])) / co.gradient_lipschitz(m)
    return m, step, draw(st.integers(1, 3))


@MIXED.case("lib.coordination.projected_gradient_ascent", ascent_cases(),
            roles="the model's data, effects, curvatures, costs and budget; the step",
            agrees="the spending of every round within 1e-10 of the size of the iterates (their "
                   "entries, the steps' terms and N budget) of the iteration replayed in rationals "
                   "(exact steps, exact projections); each distance within the same of the exact "
                   "distance to the exact optimum")  # fmt: skip
def check_projected_gradient_ascent(m, step, rounds):
    d = exact_model(m)
    N = m.N
    xs, ys, _ = exact_planner(d)
    best = xs + ys
    run = co.projected_gradient_ascent(m, step, rounds)
    z = [Fraction(0)] * (2 * N)
    size = N * d["B"] + sum(plan_scale(d, Fraction(0))) + sum(abs(v) for v in best)
    for t in range(rounds):
        z = exact_projection([zi + Q(step) * marginal(d, z, i, d["g"]) / N for i, zi in enumerate(z)], N, d["B"])
        size += sum(abs(v) for v in z)
        dist2 = sum((a - b) ** 2 for a, b in zip(z, best)) / N
        assert near(run.distance[t] ** 2, dist2, size * size * Fraction(1e-20) + 2 * size * rational_sqrt(dist2, 80), 1e-10)
    for got, want in zip([*run.x, *run.y], z):
        assert near(got, want, size, 1e-10), (got, float(want))


# ============================================================ lib.policy_learning


@MIXED.case("lib.policy_learning.effect_regressors", model_and_spending(),
            roles="S; P; the costs; the spending on education and on support (each its own magnitude)",
            agrees="each regressor within 1e-15 relative (two roundings) of the exact S x / cE, "
                   "P y / cI, x y / (cE cI)")  # fmt: skip
def check_effect_regressors(m, x, y):
    d = exact_model(m)
    X = pl.effect_regressors(m, x, y)
    assert X.shape == (m.N, 3)
    for n in range(m.N):
        E, I = Q(x[n]) / d["cE"], Q(y[n]) / d["cI"]  # noqa: E741
        for got, want in zip(X[n].tolist(), (d["S"][n] * E, d["P"][n] * I, E * I)):
            assert near(got, want, want, 1e-15), (got, float(want))


def standardised_lstsq(X: np.ndarray, response: list) -> tuple[list, list, list]:
    """The least-squares solution of smallest norm in the standardised columns
    (each column over its norm), by mpmath's SVD at 80 digits (the floats of X
    are exact in it): theta, the column norms, and the singular values of the
    standardised nonzero columns. A zero column's effect is 0."""
    with mpmath.workdps(80):
        rows, p = X.shape
        norms = [mpmath.sqrt(mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in X[:, j])) for j in range(p)]
        used = [j for j in range(p) if norms[j] > 0]
        theta = [mpmath.mpf(0)] * p
        if not used:
            return theta, norms, []
        Z = mpmath.matrix([[mpmath.mpf(float(X[i, j])) / norms[j] for j in used] for i in range(rows)])
        U, S, V = mpmath.svd_r(Z)
        svals = [S[k] for k in range(min(rows, len(used)))]
        top = max(svals)
        r = mpmath.matrix(response)
        z = mpmath.matrix(len(used), 1)
        for k, sk in enumerate(svals):
            if sk > top * mpmath.mpf(10) ** -40:  # exactly nonzero, to 80 digits
                coef = sum(U[i, k] * r[i] for i in range(rows)) / sk
                for j in range(len(used)):
                    z[j] += V[k, j] * coef
        for c, j in enumerate(used):
            theta[j] = z[c] / norms[j]
        return theta, norms, svals


@st.composite
def estimation_cases(draw):
    m = draw(policy_models(n=(1, 1)))
    rows = draw(st.integers(1, 5))
    X = draw(column_scaled_matrix((rows, 3)))
    for j in range(3):  # a regressor never observed (support never funded), or in whole numbers
        kind = draw(st.sampled_from(["as drawn", "as drawn", "zero", "ties"]))
        if kind == "zero":
            X[:, j] = 0.0
        elif kind == "ties":
            X[:, j] = draw(role(rows, low=-2, high=2, spread=0))
    outcome = draw(role(rows, low=-5, high=5))
    E, I = draw(role(rows, low=0, high=4)), draw(role(rows, low=0, high=4))  # noqa: E741
    return m, X, outcome, E, I


def compare_standardised(got, X: np.ndarray, response: list, terms, name: str) -> bool:
    """Check lib's estimates against :func:`standardised_lstsq`: each
    standardised estimate theta_j |X_j| within 1e-9 * cond * (|z| + terms /
    s_min); False when the standardised columns are numerically rank-deficient
    beyond their exact rank (a singular value between 1e-40 and 1e-12 of the
    largest: lib's rank rule and the exact rank then legitimately differ)."""
    with mpmath.workdps(80):
        ref, norms, svals = standardised_lstsq(X, response)
        for j in range(3):
            if norms[j] == 0:
                assert got[j] == 0.0, (name, j, got)
        if not svals:
            return True
        top = max(svals)
        kept = [v for v in svals if v > top * mpmath.mpf(10) ** -40]
        if any(v < top * mpmath.mpf(10) ** -12 for v in kept):
            return False
        cond = top / min(kept)
        z = mpmath.sqrt(mpmath.fsum((ref[j] * norms[j]) ** 2 for j in range(3)))
        tol = mpmath.mpf(1e-9) * cond * (z + mpmath.mpf(terms) / min(kept))
        for j in range(3):
            err = abs((mpmath.mpf(float(got[j])) - ref[j]) * norms[j])
            assert err <= tol + mpmath.mpf(1e-300), (name, j, got[j], float(ref[j]), float(tol))
    return True


@MIXED.case("lib.policy_learning.estimate_effects", estimation_cases(),
            roles="the three regressors (each column its own unit, 1e-8 ... 1e8); the outcome; "
                  "the effects E and I; the curvatures kE, kI",
            agrees="refused (ValueError naming X) exactly when an exact estimate is beyond the float "
                   "range; otherwise each standardised estimate theta_j |X_j| within 1e-9 * cond * "
                   "(|z_ref| + |response terms| / s_min) of the least-squares solution of smallest "
                   "norm in standardised columns (mpmath SVD at 80 digits; cond and s_min of the "
                   "standardised columns), exactly 0 for a zero column")  # fmt: skip
def check_estimate_effects(m, X, outcome, E, I):  # noqa: E741
    with mpmath.workdps(80):
        kE, kI = mpmath.mpf(m.kE), mpmath.mpf(m.kI)
        parts = [(mpmath.mpf(float(o)), kE / 2 * mpmath.mpf(float(e)) ** 2, kI / 2 * mpmath.mpf(float(i)) ** 2)
                 for o, e, i in zip(outcome, E, I)]  # fmt: skip
        response = [sum(p) for p in parts]
        terms = mpmath.sqrt(mpmath.fsum((abs(p[0]) + p[1] + p[2]) ** 2 for p in parts))
        ref, _, _ = standardised_lstsq(X, response)
        if any(abs(v) > mpmath.mpf(1.7e308) for v in ref):
            with pytest.raises(ValueError, match=r"\bX\b"):
                pl.estimate_effects(m, X, outcome, E, I)
            return
    got = pl.estimate_effects(m, X, outcome, E, I)
    compare_standardised(got, X, response, terms, "estimate_effects")


@st.composite
def learning_cases(draw):
    m = draw(policy_models(n=(1, 2), budget_kinds=("scale",)))
    m = m.with_(gamma=draw(st.sampled_from([0.0, 0.3, -0.3])) * math.sqrt(m.kE * m.kI))
    return m, draw(st.integers(1, 2)), draw(st.integers(0, 2**32)), draw(st.sampled_from([0.0, 0.5]))


def plug_in_plan(d, theta, kE, kI):
    """The documented plug-in: estimates clipped to a, b >= 0 and |gamma| <=
    0.95 sqrt(kE kI), then the exact planner of that model."""
    limit = 0.95 * math.sqrt(kE * kI)
    est = dict(d, a=Q(max(0.0, float(theta[0]))), b=Q(max(0.0, float(theta[1]))),
               g=Q(float(np.clip(theta[2], -limit, limit))))  # fmt: skip
    return exact_planner(est)[:2]


@MIXED.case("lib.policy_learning.learning_cycle", learning_cases(),
            roles="S, P; a, b, gamma; kE, kI; the costs; the budget (each its own magnitude)",
            agrees="with noise 0 and the seeded draws replayed: the first estimates within 1e-6 of "
                   "the size of the standardised exact least-squares solution on the pilot's "
                   "regressors; each distance within 1e-9 of the plans' size of the exact distance "
                   "between the exact plug-in plan (lib's estimates, clipped as documented) and the "
                   "exact optimum; regret within 1e-9 of W's terms of the exact regret of the "
                   "implemented mix; support share within 1e-9")  # fmt: skip
def check_learning_cycle(m, cycles, seed, explore):
    d = exact_model(m)
    N = m.N
    run = pl.learning_cycle(m, cycles=cycles, noise=0.0, seed=seed, explore=explore)
    rng = np.random.default_rng(seed)

    def random_policy():
        share = rng.dirichlet(np.ones(2 * N)) * m.budget * N
        return share[:N], share[N:]

    x, y = random_policy()  # the "both" pilot
    rng.standard_normal(N)
    X = pl.effect_regressors(m, x, y)
    E, I = co.effects(m, x, y)  # noqa: E741
    with mpmath.workdps(80):
        # Noise 0: the response is X theta; lib forms it as the gain plus the
        # curvature terms, whose rounding the tolerance carries.
        theta = [mpmath.mpf(v) for v in (m.a, m.b, m.gamma)]
        response = [mpmath.fsum(mpmath.mpf(float(v)) * t for v, t in zip(row, theta)) for row in X]
        terms = mpmath.sqrt(mpmath.fsum((abs(r) + mpmath.mpf(m.kE) * mpmath.mpf(float(e)) ** 2
                                         + mpmath.mpf(m.kI) * mpmath.mpf(float(i)) ** 2) ** 2
                                        for r, e, i in zip(response, E, I)))  # fmt: skip
    compare_standardised(run.estimates[0], X, response, terms, "learning_cycle estimates[0]")
    bx, by, _ = exact_planner(d)
    best_rows = gain_terms(d, bx, by)
    W_best = exact_mean(r for r, _ in best_rows)
    for t in range(cycles):
        rec_x, rec_y = plug_in_plan(d, run.estimates[t], m.kE, m.kI)
        plans = sum(abs(v) for v in bx + by + rec_x + rec_y) + N * d["B"]
        dist2 = sum((a - b) ** 2 for a, b in zip(rec_x + rec_y, bx + by)) / N
        assert near(run.distance[t] ** 2, dist2, plans**2 * Fraction(1e-18) + 2 * plans * rational_sqrt(dist2, 80) / N, 1e-9)
        tx, ty = random_policy()
        rng.standard_normal(N)
        w = Q(explore / np.sqrt(t + 1))
        imp_x = [(1 - w) * a + w * Q(b) for a, b in zip(rec_x, tx)]
        imp_y = [(1 - w) * a + w * Q(b) for a, b in zip(rec_y, ty)]
        rows = gain_terms(d, imp_x, imp_y)
        # lib implements its float plug-in plan: W moves by its price times that plan's error.
        lam = exact_planner(d)[2]
        assert near(run.regret[t], W_best - exact_mean(r for r, _ in rows),
                    exact_mean(t_ for _, t_ in rows) + exact_mean(t_ for _, t_ in best_rows) + lam * plans, 1e-9)
        total = sum(imp_x + imp_y)
        share = sum(imp_y) / total if total > 0 else Fraction(0)
        assert near(run.support_share[t], share, 1, 1e-9)


# ============================================================ lib.metrics


@st.composite
def score(draw) -> float:
    """A precision or recall: 0, 1, or k * 10^-e for e in 0 ... 8 (at most 1)."""
    kind = draw(st.sampled_from(["zero", "one", "scaled", "scaled", "scaled"]))
    if kind == "zero":
        return 0.0
    if kind == "one":
        return 1.0
    return min(1.0, draw(st.integers(1, 9)) * 10.0 ** -draw(st.integers(0, 8)))


@MIXED.case("lib.metrics.f1_from", st.tuples(score(), score()),
            roles="precision; recall (each its own magnitude, 1e-8 ... 1)",
            agrees="within 1e-15 relative of the exact rational 2 p r / (p + r); 0 when p = r = 0")  # fmt: skip
def check_f1_from(p, r):
    ref = Fraction(0) if p + r == 0 else 2 * Q(p) * Q(r) / (Q(p) + Q(r))
    assert near(met.f1_from(p, r), ref, ref, 1e-15)


def _h(decimals: int) -> Fraction:
    return Fraction(1, 2) * Fraction(1, 10**decimals) * (1 + Q(1e-9))


def _f1(a: Fraction, b: Fraction) -> Fraction:
    return 2 * a * b / (a + b) if a + b > 0 else Fraction(0)


@MIXED.case("lib.metrics.f1_interval", st.tuples(score(), score(), st.integers(0, 15)),
            roles="precision; recall (each its own magnitude); the decimals they were rounded to",
            agrees="(lo, hi) each within 1e-14 relative of the least and the largest exact F1 over "
                   "the corners of [p -+ h, r -+ h] clipped to [0, 1], h = 0.5 10^-d (1 + 1e-9)")  # fmt: skip
def check_f1_interval(p, r, d):
    lo, hi = met.f1_interval(p, r, d)
    h = _h(d)
    corners = [_f1(min(max(Q(p) + sp * h, Fraction(0)), Fraction(1)), min(max(Q(r) + sr * h, Fraction(0)), Fraction(1)))
               for sp, sr in itertools.product((-1, 1), repeat=2)]  # fmt: skip
    assert near(lo, min(corners), min(corners), 1e-14) and near(hi, max(corners), max(corners), 1e-14)


@st.composite
def mixed_rows(draw, max_rows=3):
    """Report rows whose supports differ by many decades (0, 1, ... 1e15) and
    whose precisions and recalls are of their own magnitudes."""
    k = draw(st.integers(1, max_rows))
    rows = {}
    for i in range(k):
        p, r = draw(score()), draw(score())
        r = 0.0 if p == 0 else r  # precision 0 means no true positive
        f = draw(st.one_of(st.just(met.f1_from(p, r)), score()))
        if draw(st.booleans()):
            support = draw(st.sampled_from([0, 1, 3]))
        else:
            support = draw(st.integers(1, 9)) * 10 ** draw(st.integers(0, 15))
        rows[f"c{i}"] = (p, r, f, support)
    return rows


@MIXED.case("lib.metrics.averages_from_rows", st.tuples(mixed_rows(5)),
            roles="the supports (0 ... 1e15 side by side); the precisions and recalls (1e-8 ... 1)",
            agrees="every average within 1e-13 relative of its own exact value by the documented "
                   "formulas in rationals (tp = r s, predictions = tp / p, 0 where p = 0): relative, "
                   "not to 1, so a micro precision of 1e-8 is compared as closely as one of 0.9")  # fmt: skip
def check_averages_from_rows(rows):
    out = met.averages_from_rows(rows)
    p, r, f, s = ([Q(v[k]) for v in rows.values()] for k in range(4))
    tp = [a * b for a, b in zip(r, s)]
    pred = [t / q if q > 0 else Fraction(0) for t, q in zip(tp, p)]
    total = sum(s)
    mp = sum(tp) / sum(pred) if sum(pred) > 0 else Fraction(0)
    mr = sum(tp) / total if total > 0 else Fraction(0)
    n = len(p)
    w = [v / total if total > 0 else Fraction(0) for v in s]
    ref = {"micro avg": (mp, mr, _f1(mp, mr)), "macro avg": (sum(p) / n, sum(r) / n, sum(f) / n),
           "weighted avg": tuple(sum(a * b for a, b in zip(w, col)) for col in (p, r, f))}  # fmt: skip
    for avg, vals in ref.items():
        for k, v in zip(("precision", "recall", "f1-score"), vals):
            assert near(out[avg][k], v, v, 1e-13), (avg, k, out[avg][k], float(v))
        assert near(out[avg]["support"], total, total, 1e-15)


def _boxes(rows, decimals):
    h = _h(decimals)
    out = []
    for p, r, _, s in rows.values():
        tp = [min(max(Q(r) + d * h, Fraction(0)), Fraction(1)) * Q(s) for d in (-1, 1)]
        out.append((tp, [Q(p) - h, min(Q(p) + h, Fraction(1))], Q(s)))
    return out


@MIXED.case("lib.metrics.implied_prediction_count",
            st.tuples(mixed_rows(3), st.sampled_from([1, 2, 3, 4, 8, 15])),
            roles="the supports (0 ... 1e15 side by side); the precisions and recalls; the decimals",
            agrees="(lo, hi) each within 1e-13 relative of the least and the largest exact sum of "
                   "tp / p over every vertex of the rounding box (brute force); hi = inf exactly when "
                   "some p - h <= 0")  # fmt: skip
def check_implied_prediction_count(rows, d):
    lo, hi = met.implied_prediction_count(rows, d)
    boxes = _boxes(rows, d)
    if any(pr[0] <= 0 for _, pr, _ in boxes):
        assert hi == math.inf
        vals = [sum(tp[a] / pr[1] for (tp, pr, _), a in zip(boxes, c))
                for c in itertools.product((0, 1), repeat=len(boxes))]  # fmt: skip
        assert near(lo, min(vals), min(vals), 1e-13)
        return
    vals = [sum(tp[a] / pr[b] for (tp, pr, _), (a, b) in zip(boxes, c))
            for c in itertools.product(itertools.product((0, 1), repeat=2), repeat=len(boxes))]  # fmt: skip
    assert near(lo, min(vals), min(vals), 1e-13) and near(hi, max(vals), max(vals), 1e-13), (lo, hi)


@MIXED.case("lib.metrics.micro_average_interval",
            st.tuples(mixed_rows(3), st.sampled_from([1, 2, 3, 4, 8, 15])),
            roles="the supports (0 ... 1e15 side by side); the precisions and recalls; the decimals",
            agrees="each end of the precision and recall ranges within 1e-13 relative of the least "
                   "and largest exact micro value over every vertex of the rounding box (brute force; "
                   "precision's low end 0 when some p - h <= 0; recall capped at 1); F1's ends the "
                   "exact F1 of the two ends (1e-15 relative)")  # fmt: skip
def check_micro_average_interval(rows, d):
    out = met.micro_average_interval(rows, d)
    boxes = _boxes(rows, d)
    total = sum(s for *_, s in boxes)
    precisions, recalls = [], []
    for c in itertools.product(itertools.product((0, 1), repeat=2), repeat=len(boxes)):
        tps = [tp[a] for (tp, _, _), (a, _) in zip(boxes, c)]
        if total > 0:
            recalls.append(min(sum(tps) / total, Fraction(1)))
        if sum(tps) > 0 and all(pr[b] > 0 for (_, pr, _), (_, b) in zip(boxes, c)):
            precisions.append(sum(tps) / sum(t / pr[b] for t, (_, pr, _), (_, b) in zip(tps, boxes, c)))
    rlo, rhi = (min(recalls), max(recalls)) if recalls else (Fraction(0), Fraction(0))
    plo = Fraction(0) if any(pr[0] <= 0 for _, pr, _ in boxes) else (min(precisions) if precisions else Fraction(0))
    phi = min(max(precisions), Fraction(1)) if precisions else Fraction(0)
    for got, want in ((out["recall"][0], rlo), (out["recall"][1], rhi), (out["precision"][0], plo),
                      (out["precision"][1], phi)):  # fmt: skip
        assert near(got, want, want, 1e-13), (got, float(want), out)
    for k, (a, b) in enumerate(((out["precision"][0], out["recall"][0]), (out["precision"][1], out["recall"][1]))):
        ref = _f1(Q(a), Q(b))
        assert near(out["f1-score"][k], ref, ref, 1e-15)


# ============================================================ lib.ner


@st.composite
def tagger_cases(draw):
    corpus = ner.make_ner_corpus(1, draw(st.integers(0, 10**6)))
    cut = draw(st.integers(1, 5))
    sents, tags = [corpus.sentences[0][:cut]], [corpus.tags[0][:cut]]
    lr = draw(magnitude())
    l2 = 0.0 if draw(st.integers(0, 3)) == 0 else draw(magnitude())
    if draw(st.integers(0, 4)) == 0:  # the product exactly at the rule's bound, or just below
        l2 = draw(st.sampled_from([2.0, 1.999999])) / lr
    return sents, tags, draw(st.integers(1, 3)), lr, l2


def replay_tagger(sents, tags, epochs, lr, l2):
    """The documented training, in plain Python floats: features (the rule
    written again in test_differential_stats), zero start, and per epoch the
    log-sum-exp cross-entropy and the step W -= lr (gradient + l2 W)."""
    from test_differential_stats import _features

    index = {f: k for k, f in enumerate(sorted({f for s in sents for i in range(len(s)) for f in _features(s, i)}))}
    n_tags = len(ner.TAGS)
    W = [[0.0] * n_tags for _ in index]
    tokens = [([index[f] for f in _features(s, i)], ner.TAGS.index(t)) for s, ts in zip(sents, tags)
              for i, t in enumerate(ts)]  # fmt: skip
    history = []
    for _ in range(epochs):
        grad = [[0.0] * n_tags for _ in index]
        loss = 0.0
        for feats, y in tokens:
            logits = [math.fsum(W[k][c] for k in feats) for c in range(n_tags)]
            top = max(logits)
            exps = [math.exp(v - top) for v in logits]
            total = math.fsum(exps)
            loss += math.log(total) - (logits[y] - top)
            for c in range(n_tags):
                g = (exps[c] / total - (c == y)) / len(tokens)
                for k in feats:
                    grad[k][c] += g
        history.append(loss / len(tokens))
        W = [[w - lr * (g + l2 * w) for w, g in zip(Wk, gk)] for Wk, gk in zip(W, grad)]
    return index, W, history


@MIXED.case("lib.ner.train_token_tagger", tagger_cases(),
            roles="the learning rate lr; the penalty l2 (each its own magnitude, 1e-8 ... 1e8)",
            agrees="refused (ValueError naming lr and l2) exactly when lr * l2 >= 2, as documented; "
                   "otherwise the weights within 1e-9 * (max|W| + lr) of a plain-Python replay of "
                   "the documented steps, and each loss within 1e-9 * (1 + loss) of the replay's "
                   "log-sum-exp cross-entropy (no floor)")  # fmt: skip
def check_train_token_tagger(sents, tags, epochs, lr, l2):
    if lr * l2 >= 2:
        with pytest.raises(ValueError, match=r"\blr\b.*\bl2\b"):
            ner.train_token_tagger(sents, tags, epochs=epochs, lr=lr, l2=l2, min_count=0)
        return
    tg = ner.train_token_tagger(sents, tags, epochs=epochs, lr=lr, l2=l2, min_count=0)
    index, W, history = replay_tagger(sents, tags, epochs, lr, l2)
    assert tg.feature_index == index
    top = max(abs(w) for row in W for w in row)
    assert np.all(np.abs(tg.weights - np.array(W)) <= 1e-9 * (top + lr)), (lr, l2)
    for got, want in zip(tg.loss_history, history):
        assert abs(got - want) <= 1e-9 * (1 + abs(want)), (got, want)


test_mixed_scales = MIXED.test()


# ============================================================ regression tests of the defects found


def test_printed_sequence_off_its_progression_is_refused():
    # A middle value off the progression was accepted (only the first two and
    # the last were read): (1, 2, 5, ..., 10) expanded to 1, 2, 3, ..., 10.
    for printed in [(1, 2, 5, "...", 10), (20, 30, 45, "...", 100)]:
        with pytest.raises(ValueError, match="printed is not one arithmetic progression"):
            pol.expand_printed_sequence(printed)
    # The tolerance is relative to the values: at steps of 1e-8 and of 1e8 a
    # value half a step off is refused, and an exact progression is accepted.
    for unit in (1e-8, 1e8):
        with pytest.raises(ValueError, match=r"printed\[2\]"):
            pol.expand_printed_sequence((0.0, unit, 2.5 * unit, "...", 10 * unit))
        out = pol.expand_printed_sequence((0.0, unit, 2 * unit, "...", 10 * unit))
        assert out.size == 11
        assert all(abs(Q(v) - k * Q(unit)) <= Q(unit) * Fraction(1e-15) * k for k, v in enumerate(out))
    # A step that floats cannot resolve against the values: 1e12 + 10.5 was
    # "reached" from 1e12 by steps of 1 (the old tolerance, 1e-9 of the
    # values, was a thousand steps wide).
    with pytest.raises(ValueError, match="below 1e-06 of the values"):
        pol.expand_printed_sequence((1e12, 1e12 + 1, "...", 1e12 + 10.5))
    # The last value before the printed ones, and a misplaced '...'.
    with pytest.raises(ValueError, match="towards its last value"):
        pol.expand_printed_sequence((20, 30, 40, "...", 30))
    with pytest.raises(ValueError, match="just before its last value"):
        pol.expand_printed_sequence((1, "...", 2, 3))
    with pytest.raises(TypeError, match="printed"):
        pol.expand_printed_sequence(3.0)


def test_project_onto_budget_infinite_and_overflowing_budgets():
    E, I = np.array([1.0, -2.0]), np.array([3.0, 4.0])  # noqa: E741
    # No budget: the half-space is everything; copies come back unchanged.
    E2, I2 = pol.project_onto_budget(E, I, np.inf)
    assert E2.tolist() == [1.0, -2.0] and I2.tolist() == [3.0, 4.0] and E2 is not E
    # -inf was accepted and every entry came back as -inf.
    with pytest.raises(ValueError, match="budget = -inf"):
        pol.project_onto_budget(E, I, -np.inf)
    with pytest.raises(ValueError, match="budget = -inf"):
        pol.CoordinationProblem.create([1.0], [1.0], [1.0], budget=-np.inf)
    # mean(E + I) overflowed (2e308) and the projection came back as -inf; the
    # exact excess is 1e308, so every entry moves down by 5e307.
    big = np.array([1e308, 1e308])
    E2, I2 = pol.project_onto_budget(big, big, 1e308)
    assert E2.tolist() == I2.tolist() == [float(Q(1e308) - Q(1e308) / 2)] * 2


def test_projection_onto_budget_and_bounds_at_mixed_scales():
    # The threshold was found with a tolerance relative to the largest entry
    # (1e8): a budget of 1e-8 was lost in it and the projection was 0.
    x, y = co.project_onto_budget_and_bounds([1e8], [0.0], 1e-8)
    assert x.tolist() == [1e-8] and y.tolist() == [0.0]
    x, y = co.project_onto_budget_and_bounds([1e8, 1e-8], [0.0, 0.0], 1e-8)  # 2e-8 in all
    assert x.tolist() == [2e-8, 0.0] and y.tolist() == [0.0, 0.0]
    # An infinite budget was refused; it is the projection onto the bounds.
    x, y = co.project_onto_budget_and_bounds([3.0, -1.0], [-2.0, 1e-300], np.inf)
    assert x.tolist() == [3.0, 0.0] and y.tolist() == [0.0, 1e-300]


def test_planner_spends_a_small_budget_exactly():
    # One unit in the last place of the price moved spending from 0 to 3.5e-2,
    # so the price search returned the plan that spends nothing; the exact
    # optimum spends the whole budget, 1e-8 (one position on the edge I = 0).
    m = co.PolicyModel.create([1e-7], [0.0], a=2e8, b=0.0, kE=1e-8, kI=1e-8, cost_E=1e5,
                              cost_I=1e-8, budget=1e-8)  # fmt: skip
    sol = co.solve_planner(m)
    assert sol.x.tolist() == [1e-8] and sol.y.tolist() == [0.0]
    # The price: a S / cE - kE x / cE^2 = 2e-4 - 1e-8 * 1e-8 / 1e10, exactly rounded.
    assert sol.price == float(Q(2e8) * Q(1e-7) / Q(1e5) - Q(1e-8) * Q(1e-8) / Q(1e5) ** 2)
    # Two positions of very different needs: the budget (1e8 in all) funds the
    # large one and half of the small one's 1e-8 (price 5e-9); the price was 0
    # and the small position got all of 1e-8.
    m = co.PolicyModel.create([1e8, 1e-8], [0.0, 0.0], a=1.0, b=0.0, kE=1.0, kI=1.0, budget=5e7)
    sol = co.solve_planner(m)
    assert sol.x.tolist() == [1e8, 5e-9] and sol.price == 5e-9
    # The ministries likewise: support of 1e-8 at a price of 1e7 - 1.
    m = co.PolicyModel.create([0.0], [1e-8], a=0.0, b=1e7, kE=1e-8, kI=1e-8, cost_E=1e-8,
                              cost_I=1e-8, budget=1e-8)  # fmt: skip
    assert co.solve_decentralised(m, 0.0).y.tolist() == [1e-8]


def test_planner_never_overspends_the_budget():
    # The root of the price search was returned as found, on either side of
    # the budget: these plans spent 4.7e-8, 9.8e-4 and 2.8e-9 more than allowed.
    cases = [
        ([10.0, 4e6], [2e5, 3e-7], dict(a=0.2, b=0.1, kE=0.1, kI=1.0, cost_E=1e5, cost_I=1e6, budget=100.0)),
        ([1e-6, 2e-7], [3e4, 0.0], dict(a=1e3, b=1e7, kE=1e7, kI=10.0, cost_E=10.0, cost_I=1e4, budget=10.0)),
        ([4e7], [0.0], dict(a=3e-7, b=1.0, kE=1e-3, kI=1e3, cost_E=1e8, cost_I=0.01, budget=1e5)),
    ]
    for S, P, kw in cases:
        m = co.PolicyModel.create(S, P, **kw)
        sol = co.solve_planner(m)
        assert sum(Q(v) for v in [*sol.x, *sol.y]) <= len(S) * Q(kw["budget"])
        x, y, _ = exact_planner(exact_model(m))
        assert all(near(g, w, w, 1e-12) for g, w in zip([*sol.x, *sol.y], x + y))


def test_zero_budget_models_are_accepted():
    # A budget of 0 was refused; it allows no spending, at the price where
    # every marginal value at zero spending is reached: max(a S / cE, b P / cI).
    m = co.PolicyModel.create([1.0, 3.0], [2.0, 1.0], a=2.0, b=1.0, cost_E=2.0, cost_I=1.0, budget=0.0)
    sol = co.solve_planner(m)
    assert sol.x.tolist() == sol.y.tolist() == [0.0, 0.0] and sol.price == 3.0


def test_estimates_with_regressors_in_different_units():
    # lstsq decided the rank on the raw columns: beside a column of size 1e8,
    # one of size 1e-8 counted as zero and (a, b, gamma) = (1e-8, 1e8, 1) came
    # back as (2.1e-8, 9.5e-10, 1.09).
    m = co.PolicyModel.create([1.0], [1.0])
    X = np.array([[1e8, 1e-8, 1.0], [2e8, 3e-8, 0.0], [0.0, 1e-8, 5.0], [1e8, 0.0, 2.0]])
    theta = [Q(1e-8), Q(1e8), Q(1)]
    outcome = np.array([float(sum(Q(v) * t for v, t in zip(row, theta))) for row in X])
    zero = np.zeros(4)
    got = pl.estimate_effects(m, X, outcome, zero, zero)
    assert all(near(g, t, t, 1e-12) for g, t in zip(got, theta))
    # Changing units changes the estimates by the inverse factor, and nothing else.
    scaled = pl.estimate_effects(m, X * np.array([1e-16, 1e16, 1.0]), outcome, zero, zero)
    assert all(near(s_, g / u, g / u, 1e-12) for s_, g, u in zip(scaled, got, (1e-16, 1e16, 1.0)))


def test_policy_cycle_convergence_is_relative():
    base = ([3.0, 5.0, 1.0], [1.0, 2.0, 1.0], [0.5, 1.0, 2.0])
    for c in (1e8, 1.0):
        # At a scale of 1e8 the gap stops near 1e-8 (rounding): it never fell
        # below the absolute 1e-10, and a converged cycle was reported as not.
        problem = pol.CoordinationProblem.create(*(np.array(v) * c for v in base), 2.0, 1.0, budget=6.0 * c)
        run = pol.policy_cycle(problem, 0.25, rounds=400)
        opt = pol.coordinated_optimum(problem)
        assert run.converged and run.gap[-1] <= 1e-10 * math.hypot(*opt.E, *opt.I)
    # At a scale of 1e-12 every gap is below 1e-10: one round was "converged".
    problem = pol.CoordinationProblem.create(*(np.array(v) * 1e-12 for v in base), 2.0, 1.0, budget=6e-12)
    run = pol.policy_cycle(problem, 0.25, rounds=1)
    assert not run.converged and run.gap[-1] > 0.1 * math.hypot(*pol.coordinated_optimum(problem).E)


def test_finite_difference_step_is_the_step_taken():
    # h = 1e-8 does not move x = 1e9 (the floats there are 1.2e-7 apart): the
    # gradient came back as 0.
    with pytest.raises(ValueError, match=r"h = 1e-08 does not move x\[0\]"):
        pol.finite_difference_gradient(lambda v: float(3 * v[0]), [1e9], 1e-8)
    # At x = 1e8 the points x -+ 1e-8 are rounded 1.49e-8 away: dividing by
    # 2h gave 2.98 for the slope 2 of f = 2 x (exact in floats).
    assert pol.finite_difference_gradient(lambda v: float(2 * v[0]), [1e8], 1e-8).tolist() == [2.0]


def test_overflowing_sums_are_exact_or_refused():
    # The sum 2e308 overflowed: J was inf, not 1e308.
    assert pol.employment_effect([1e308, 1e308], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]) == 1e308
    # A square of 2.25e308 overflowed: the loss was inf, not 1.125e308.
    assert pol.education_loss([1.5e154, 0.0], [0.0, 0.0]) == float(Q(1.5e154) ** 2 / 2)
    # The difference 2e308 overflowed: the gradient entry -2 (2e308) / 4 was -inf.
    assert pol.education_gradient([1e308, 0.0, 0.0, 0.0], [-1e308, 0.0, 0.0, 0.0]).tolist()[0] == -1e308
    # Beyond the float range: refused, naming the arguments.
    with pytest.raises(ValueError, match=r"\bP, E, Ps and I\b"):
        pol.employment_effect([1e200], [1e200], [0.0], [0.0])
    with pytest.raises(ValueError, match=r"\bS and E\b"):
        pol.education_gradient([1e308, 0.0], [-1e308, 0.0])


def test_summary_row_names_are_refused():
    # A class named like a summary row had its row overwritten by the average
    # (as scikit-learn's output_dict does): "macro avg" reported the macro
    # average as that class's scores.
    with pytest.raises(ValueError, match="y_true contains the label 'macro avg'"):
        met.classification_report(["macro avg", "b"], ["b", "b"])
    with pytest.raises(ValueError, match="y_pred contains the label 'micro avg'"):
        met.classification_report(["a", "b"], ["micro avg", "b"])
    with pytest.raises(ValueError, match="labels contains the label 'weighted avg'"):
        met.classification_report(["a", "b"], ["a", "b"], labels=["a", "weighted avg"])
    with pytest.raises(ValueError, match="true_tags contains the label 'micro avg'"):
        met.entity_report([["B-micro avg", "O"]], [["O", "O"]])
    with pytest.raises(ValueError, match="pred_tags contains the label 'weighted avg'"):
        met.entity_report([["O", "O"]], [["B-weighted avg", "O"]])
    # Not listed, not reported: no row to overwrite. "accuracy" is no row of this report.
    rep = met.classification_report(["macro avg", "a", "a"], ["a", "a", "b"], labels=["a", "b"])
    assert rep["a"]["support"] == 2.0 and rep["macro avg"]["recall"] == (1 / 2 + 0) / 2
    rep = met.classification_report(["accuracy", "a"], ["accuracy", "b"])
    assert rep["accuracy"] == {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 1.0}


def test_averages_and_intervals_with_huge_supports():
    # Predictions tp / p overflowed (1e308 beside 1e-310) and the micro
    # precision came back as 0; it is (1e308 + 1) / (1e308 + 1e310).
    rows = {"a": (1.0, 1.0, 1.0, 1e308), "b": (1e-310, 1.0, 0.0, 1.0)}
    ref = (Q(1e308) + 1) / (Q(1e308) + 1 / Q(1e-310))
    assert near(met.averages_from_rows(rows)["micro avg"]["precision"], ref, ref, 1e-15)
    # Supports summing beyond the floats gave NaN intervals.
    with pytest.raises(ValueError, match="rows: the supports sum beyond the float range"):
        met.micro_average_interval({"a": (0.5, 1.0, 0.0, 1.5e308), "b": (0.5, 1.0, 0.0, 1e308)})
    # A finite count of predictions beyond the floats was returned as inf,
    # which is documented only for a precision that may be 0.
    with pytest.raises(ValueError, match="rows imply a number of predictions beyond the float range"):
        met.implied_prediction_count({"a": (1e-3, 1.0, 0.0, 1e306)}, decimals=4)
    assert met.implied_prediction_count({"a": (0.0, 0.0, 0.0, 1e306)}, decimals=4)[1] == math.inf


def test_seeds_and_sizes_follow_the_rules():
    # make_ner_split checked its seed by hand; make_ner_corpus and
    # learning_cycle passed it to as_integer. All go through as_seed now: a
    # Generator continues its stream, None and negative seeds are refused.
    assert ner.make_ner_corpus(4, seed=np.random.default_rng(5)) == ner.make_ner_corpus(4, seed=5)
    assert ner.make_ner_split(3, 2, seed=np.random.default_rng(7)) == ner.make_ner_split(3, 2, seed=7)
    for call in (lambda s: ner.make_ner_corpus(2, seed=s), lambda s: ner.make_ner_split(2, 2, seed=s),
                 lambda s: pl.learning_cycle(co.chapter_model(N=3), 1, seed=s)):  # fmt: skip
        with pytest.raises(TypeError, match="seed"):
            call(None)
        with pytest.raises(TypeError, match="seed"):
            call(True)
        with pytest.raises(ValueError, match="seed must be at least 0"):
            call(-1)
    run = pl.learning_cycle(co.chapter_model(N=3), 2, seed=np.random.default_rng(3))
    assert np.array_equal(run.distance, pl.learning_cycle(co.chapter_model(N=3), 2, seed=3).distance)
    with pytest.raises(TypeError, match="n_sentences"):
        ner.make_ner_corpus(2.0)
    with pytest.raises(ValueError, match="n_sentences"):
        ner.make_ner_corpus(0)


def test_tagger_refuses_diverging_steps_and_reports_its_true_loss():
    corpus = ner.make_ner_corpus(1, seed=0)
    sents, tags = corpus.sentences, corpus.tags
    # lr * l2 = 1e8: each step multiplied the weights by 1 - 1e8; 30 epochs
    # returned NaN weights and a NaN loss.
    with pytest.raises(ValueError, match=r"lr \* l2 must be below 2"):
        ner.train_token_tagger(sents, tags, epochs=30, lr=1.0, l2=1e8)
    with pytest.raises(ValueError, match="training diverged"):
        ner.train_token_tagger(sents, tags, epochs=20, lr=1.5e308, l2=0.0)
    # Confident enough that probabilities underflow to 0: the loss was capped
    # at -log(1e-300) = 690.8 per token; it is the log-sum-exp cross-entropy.
    tg = ner.train_token_tagger(sents, tags, epochs=2, lr=1e5, l2=0.0, min_count=0)
    _, _, history = replay_tagger(sents, tags, 2, 1e5, 0.0)
    assert history[1] > 1000 and abs(tg.loss_history[1] - history[1]) <= 1e-9 * history[1]


# ============================================================ functions of one role

#: The public functions of these modules not registered above, and why their
#: inputs play one role only (or are not numbers).
ONE_SCALE: dict[str, str] = {
    "lib.policy.education_loss_expr": "no input: a sympy expression",
    "lib.policy.industry_loss_expr": "no input: a sympy expression",
    "lib.policy.social_loss_as_written_expr": "no input: a sympy expression",
    "lib.policy.social_loss_corrected_expr": "no input: a sympy expression",
    "lib.policy.employment_effect_expr": "no input: a sympy expression",
    "lib.policy.article_education_gradient_expr": "no input: a sympy expression",
    "lib.policy.gradient_component": "a sympy expression and a symbol: exact, no numbers",
    "lib.policy.coordinated_optimum_symbolic": "no input: the KKT solution in sympy symbols",
    "lib.coordination.welfare_expr": "no input: a sympy expression",
    "lib.metrics.classification_report": "labels only: counts are integers and every ratio one "
                                         "correctly rounded division (no second quantity)",
    "lib.metrics.confusion_matrix": "labels only: integer counts",
    "lib.metrics.entity_report": "tags only: counts of entities, as classification_report",
    "lib.metrics.extract_entities": "tags only: no numbers",
    "lib.ner.flatten": "lists of tokens or tags: no numbers",
    "lib.ner.make_ner_corpus": "a size and a seed only",
    "lib.ner.make_ner_split": "two sizes and a seed only",
    "lib.ner.shared_sentences": "two corpora of tokens: no numbers",
    "lib.ner.predict_tags": "one weight matrix (one quantity) and sentences of tokens",
    "lib.ner.score_tags": "tags only: micro F1 of integer counts",
}


def test_every_public_function_is_mixed_or_one_scale():
    import importlib
    import inspect

    public = set()
    for module in ("lib.policy", "lib.coordination", "lib.policy_learning", "lib.metrics", "lib.ner"):
        mod = importlib.import_module(module)
        public |= {f"{module}.{n}" for n in mod.__all__
                   if inspect.isfunction(getattr(mod, n)) and getattr(mod, n).__module__ == module}  # fmt: skip
    registered = set(MIXED.cases)
    assert not registered & set(ONE_SCALE), sorted(registered & set(ONE_SCALE))
    assert registered | set(ONE_SCALE) == public, sorted(public ^ (registered | set(ONE_SCALE)))
