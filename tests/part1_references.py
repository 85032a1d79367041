"""Independent references for the exercises of Part I (used by tests/test_checks.py
and tests/test_checks_part1.py): the coordination model coded by hand in numpy
and solved by SLSQP, a finite-difference Hessian, and an exact sort-based
projection with three plausible wrong ones."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, minimize

#: The chapter's model, typed out from the chapter's text (not read from lib).
N = 100
S, P = np.linspace(20.0, 100.0, N), np.linspace(5.0, 40.0, N)
A_EFFECT, B_EFFECT, GAMMA, K_E, K_I, C_E, C_I, BUDGET = 2.0, 2.0, 1.0, 2.0, 2.0, 1.0, 2.0, 50.0


def _welfare(z: np.ndarray, gamma: float, c_I: float) -> float:
    E, I = z[:N] / C_E, z[N:] / c_I
    return float(np.mean(A_EFFECT * S * E - K_E / 2 * E**2 + B_EFFECT * P * I - K_I / 2 * I**2 + gamma * E * I))


def _welfare_gradient(z: np.ndarray, gamma: float, c_I: float) -> np.ndarray:
    E, I = z[:N] / C_E, z[N:] / c_I
    dE = (A_EFFECT * S - K_E * E + gamma * I) / C_E
    dI = (B_EFFECT * P - K_I * I + gamma * E) / c_I
    return np.concatenate([dE, dI]) / N


def planner_by_slsqp(budget: float = BUDGET, gamma: float = GAMMA, c_I: float = C_I) -> np.ndarray:
    """Spending that maximises the hand-coded W, by SLSQP."""
    res = minimize(lambda z: -_welfare(z, gamma, c_I), np.zeros(2 * N), jac=lambda z: -_welfare_gradient(z, gamma, c_I),
                   method="SLSQP", bounds=Bounds(0, np.inf),
                   constraints=[LinearConstraint(np.ones((1, 2 * N)) / N, ub=budget)],
                   options={"ftol": 1e-15, "maxiter": 2000})  # fmt: skip
    return res.x


def multiplier_by_slsqp(budget: float = 55.0, h: float = 0.05) -> float:
    """dW*/dB by a central difference of SLSQP optima (the envelope theorem)."""
    up, down = planner_by_slsqp(budget + h), planner_by_slsqp(budget - h)
    return (_welfare(up, GAMMA, C_I) - _welfare(down, GAMMA, C_I)) / (2 * h)


def step_limit_by_finite_differences() -> float:
    """2 / L with L the largest |eigenvalue| of a finite-difference Hessian (3 positions, scaled to N)."""
    n, h = 3, 1e-4
    z0 = np.linspace(1.0, 5.0, 2 * n)

    def grad(z):
        E, I = z[:n] / C_E, z[n:] / C_I
        return np.concatenate([(A_EFFECT * 30 - K_E * E + GAMMA * I) / C_E, (B_EFFECT * 10 - K_I * I + GAMMA * E) / C_I]) / N

    H = np.column_stack([(grad(z0 + h * e) - grad(z0 - h * e)) / (2 * h) for e in np.eye(2 * n)])
    return 2 / float(np.max(np.abs(np.linalg.eigvalsh((H + H.T) / 2))))


def cross_effect_part_by_slsqp(c_I: float = 1.0) -> float:
    """W of the planner minus W of the planner that ignores gamma, both by SLSQP."""
    full = planner_by_slsqp(gamma=GAMMA, c_I=c_I)
    ignoring = planner_by_slsqp(gamma=0.0, c_I=c_I)
    return _welfare(full, GAMMA, c_I) - _welfare(ignoring, GAMMA, c_I)


# ------------------------------------------------------------------ the projected step


def _sorted_projection(v: np.ndarray, n: int, budget: float) -> np.ndarray:
    """Exact projection onto {z >= 0, sum(z) / n <= budget}: sort, then the threshold."""
    clipped = np.maximum(v, 0.0)
    if clipped.sum() / n <= budget:
        return clipped
    u = np.sort(v)[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    tau = (cumulative - n * budget) / k
    last = np.nonzero(u - tau > 0)[0][-1]
    return np.maximum(v - tau[last], 0.0)


def projected_step_correct(x, y, gx, gy, step, budget):
    v = np.concatenate([np.asarray(x, float) + step * np.asarray(gx, float), np.asarray(y, float) + step * np.asarray(gy, float)])
    n = len(v) // 2
    z = _sorted_projection(v, n, budget)
    return z[:n], z[n:]


def projected_step_clip_only(x, y, gx, gy, step, budget):
    """Forgets the budget."""
    return (np.maximum(0.0, np.asarray(x) + step * np.asarray(gx)), np.maximum(0.0, np.asarray(y) + step * np.asarray(gy)))


def projected_step_budget_only(x, y, gx, gy, step, budget):
    """Forgets the bounds: shifts everything down by the excess (no cut at zero)."""
    vx, vy = np.asarray(x) + step * np.asarray(gx), np.asarray(y) + step * np.asarray(gy)
    excess = max(0.0, float(np.mean(vx + vy) - budget))
    return vx - excess / 2, vy - excess / 2


def projected_step_rescaled(x, y, gx, gy, step, budget):
    """Cuts at zero, then scales down proportionally: feasible, but not the nearest point."""
    vx = np.maximum(0.0, np.asarray(x) + step * np.asarray(gx))
    vy = np.maximum(0.0, np.asarray(y) + step * np.asarray(gy))
    use = float(np.mean(vx + vy))
    factor = 1.0 if use <= budget else budget / use
    return vx * factor, vy * factor


PROJECTED_STEP_CASES = {
    "correct": projected_step_correct,
    "wrong": [projected_step_clip_only, projected_step_budget_only, projected_step_rescaled],
}


# ------------------------------------------------------------------ chapters 1 and 2


def weighted_gradient_by_finite_difference(h: float = 1e-5) -> float:
    """dL_w/dE_3 of L_w = sum w_n (S_n - E_n)^2 at E = 0, by a central difference."""
    S_w, w = np.array([10.0, 20.0, 30.0]), np.array([0.5, 0.3, 0.2])

    def loss(E3: float) -> float:
        E = np.array([0.0, 0.0, E3])
        return float(np.sum(w * (S_w - E) ** 2))

    return (loss(h) - loss(-h)) / (2 * h)


def progression_support_by_hand() -> float:
    """(5.6 - mean(Ps I)) / mean(E) over the four positions, typed out from the article."""
    E, I, Ps = np.array([10, 15, 20, 25.0]), np.array([5, 10, 15, 20.0]), np.array([1, 1.2, 1.4, 1.6])
    return float((5.6 - np.mean(Ps * I)) / np.mean(E))


GRADIENT_CASES = {
    "correct": lambda S, E: [-2 * (s - e) / len(S) for s, e in zip(S, E)],
    "wrong": [
        lambda S, E: -2 * (np.asarray(S) - np.asarray(E)),  # without the 1/N
        lambda S, E: 2 * (np.asarray(S) - np.asarray(E)) / len(S),  # sign flipped
        lambda S, E: -(np.asarray(S) - np.asarray(E)) / len(S),  # without the factor 2
    ],
}


def _progression_by_loop(printed):
    numbers = [v for v in printed if v != "..."]
    value, step, out = float(numbers[0]), float(numbers[1]) - float(numbers[0]), []
    while value <= float(numbers[-1]) + 1e-9:
        out.append(value)
        value += step
    return np.array(out)


PROGRESSION_CASES = {
    "correct": _progression_by_loop,
    "wrong": [
        lambda printed: _progression_by_loop(printed)[:-1],  # stops before the last value
        lambda printed: np.linspace(float(printed[0]), float(printed[-1]), 100),  # stretched to N = 100
        lambda printed: np.array([float(v) for v in printed if v != "..."]),  # only the printed values
    ],
}
