"""Exercises of the chapter "Coordinating the policies: a model in which coordination is worth something"."""

from __future__ import annotations

from lib.checks._core import (
    Implementation,
    Precision,
    register_function,
    register_number,
)

CHAPTER = "chapters/part1_policy/03_coordination.ipynb"


def _model(**changes):
    from lib.coordination import chapter_model

    return chapter_model().with_(**changes)


def _price(budget: float) -> float:
    from lib.coordination import solve_planner

    return solve_planner(_model(budget=budget)).price


register_number(
    "ex-coord-multiplier", CHAPTER,
    expected=lambda: _price(55.0),
    precision=Precision.sig(3),
    misconceptions={
        "budget 50": (lambda: _price(50.0),
                      "That is the multiplier for the chapter's budget B = 50; this exercise has B = 55."),
        "per position": (lambda: _price(55.0) / 100,
                         ("That is lambda / N, the multiplier's share per position; lambda itself prices "
                         "one unit of the mean budget.")),
    },
    reread="the section 'The chapter's case, solved by a price'",
)  # fmt: skip


def _block_rho() -> float:
    import numpy as np

    m = _model()
    block = np.array([[-m.kE / m.cost_E**2, m.gamma / (m.cost_E * m.cost_I)],
                      [m.gamma / (m.cost_E * m.cost_I), -m.kI / m.cost_I**2]])  # fmt: skip
    return float(np.max(np.abs(np.linalg.eigvalsh(block))))


register_number(
    "ex-coord-step-limit", CHAPTER, kind="derive",
    expected=lambda: 2 * 100 / _block_rho(),
    precision=Precision.sig(3),
    misconceptions={
        "without the 1/N": (lambda: 2 / _block_rho(),
                            ("That is the limit for the gradient of the sum (N times the gradient of the "
                            "mean); W is a mean, so its curvature carries a 1/N.")),
        "1 / L": (lambda: 100 / _block_rho(),
                  "1 / L is a safe step, but the guarantee holds up to 2 / L."),
        "diagonal only": (lambda: 2 * 100 / 2.0,
                          ("The cross-effect puts gamma / (c_E c_I) off the diagonal: use the block's "
                          "eigenvalues, not its diagonal entries.")),
    },
    reread="the section 'The policy cycle with known effects: one gradient convention'",
)  # fmt: skip


def _step_instance(rng, size: int) -> dict:
    """Spending, a gradient, a step and a budget; half the instances bind the budget."""
    x, y = rng.uniform(-2, 10, size), rng.uniform(-2, 10, size)
    gx, gy = rng.normal(0, 3, size), rng.normal(0, 3, size)
    step = float(rng.uniform(0.1, 2.0))
    budget = float(rng.uniform(0.5, 6.0) if rng.random() < 0.5 else 100.0)
    return {"x": x, "y": y, "gx": gx, "gy": gy, "step": step, "budget": budget}


def _step_reference(x, y, gx, gy, step, budget):
    import numpy as np

    from lib.coordination import project_onto_budget_and_bounds

    return project_onto_budget_and_bounds(np.asarray(x) + step * np.asarray(gx),
                                          np.asarray(y) + step * np.asarray(gy), budget)  # fmt: skip


def _same_pair(student, reference) -> bool:
    import numpy as np

    try:
        sx, sy = (np.asarray(v, dtype=float) for v in student)
    except (TypeError, ValueError):
        return False
    rx, ry = reference
    return sx.shape == rx.shape and sy.shape == ry.shape and bool(
        np.allclose(sx, rx, atol=1e-6, rtol=0) and np.allclose(sy, ry, atol=1e-6, rtol=0))


register_function(
    "ex-coord-projected-step", CHAPTER,
    implementation=Implementation(
        reference=_step_reference,
        instances=_step_instance,
        sizes=(1, 2, 3, 5, 8),
        per_size=4,
        compare=_same_pair,
        hide=("lib.coordination.project_onto_budget_and_bounds", "lib.coordination.projected_gradient_step"),
        returns="the pair (x, y) of projected spending",
    ),
    reread="the section 'The policy cycle with known effects: one gradient convention'",
)  # fmt: skip


def _cross_effect_part(cost_I: float) -> float:
    from lib.coordination import value_of_coordination

    return value_of_coordination(_model(cost_I=cost_I)).cross_effect


def _total(cost_I: float) -> float:
    from lib.coordination import value_of_coordination

    return value_of_coordination(_model(cost_I=cost_I)).total


register_number(
    "ex-coord-cheaper-support", CHAPTER, kind="model",
    expected=lambda: _cross_effect_part(1.0),
    precision=Precision.sig(3),
    misconceptions={
        "chapter's costs": (lambda: _cross_effect_part(2.0),
                            ("That is the cross-effect part at the chapter's cost c_I = 2; this exercise "
                            "has c_I = 1.")),
        "total": (lambda: _total(1.0),
                  "That is the total value of coordination; the question asks for its cross-effect part."),
    },
    reread="the section 'The value of coordination, in two parts'",
)  # fmt: skip
