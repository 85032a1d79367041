"""Exercises of the chapter "Losses and gradients, derived in sympy"."""

from __future__ import annotations

from lib.checks._core import (
    Implementation,
    Precision,
    register_function,
    register_number,
)

CHAPTER = "chapters/part1_policy/01_losses_gradients.ipynb"

#: The instance of ex-policy-grad-industry: industry supports P and efforts I.
GRAD_P, GRAD_I = (4.0, 2.0, 6.0), (1.0, 2.0, 3.0)


def _industry_gradient_first() -> float:
    from lib.policy import industry_gradient

    return float(industry_gradient(list(GRAD_P), list(GRAD_I))[0])


def _gap() -> float:
    """P_1 - I_1, the quantity the gradient's factors multiply."""
    return GRAD_P[0] - GRAD_I[0]


register_number(
    "ex-policy-grad-industry", CHAPTER, kind="derive",
    expected=_industry_gradient_first,
    precision=Precision.sig(3),
    misconceptions={
        "without the 1/N": (lambda: -2 * _gap(),
                            "That is the gradient without the 1/N of the mean over positions."),
        "sign flipped": (lambda: 2 * _gap() / len(GRAD_P),
                         ("Check the sign: the loss falls as I_1 moves towards P_1, so the "
                         "derivative is negative when I_1 < P_1.")),
        "without the factor 2": (lambda: -_gap() / len(GRAD_P),
                                 "Differentiating the square (P_1 - I_1)^2 brings down a factor 2."),
    },
    reread="the section 'Gradients, checked factor by factor'",
)  # fmt: skip


def _hessian_largest_eigenvalue():
    import sympy as sp

    E, S = sp.symbols("E1:5"), sp.symbols("S1:5")
    loss = sum((s - e) ** 2 for s, e in zip(S, E)) / 4
    return max(sp.hessian(loss, E).eigenvals())


register_number(
    "ex-policy-hessian-eig", CHAPTER, kind="derive",
    expected=_hessian_largest_eigenvalue,
    precision=Precision.sig(3),
    misconceptions={
        "without the 1/N": (lambda: 2.0, "Remember the 1/N in front of the sum: N = 4 here."),
        "without the factor 2": (lambda: 0.25,
                                 "Differentiate (S_n - E_n)^2 twice: the factor 2 stays."),
    },
    reread="the section 'Hessians, convexity, minimisers'",
)  # fmt: skip


def _article_factor():
    import sympy as sp

    from lib.policy import (
        article_education_gradient_expr,
        education_loss_expr,
        gradient_component,
        policy_symbols,
    )

    s = policy_symbols()
    ratio = sp.simplify(article_education_gradient_expr() / gradient_component(education_loss_expr(), s.E))
    return ratio.subs(s.N, 100)


register_number(
    "ex-policy-article-factor", CHAPTER, kind="derive",
    expected=_article_factor,
    precision=Precision.sig(3),
    misconceptions={
        "ratio inverted": (lambda: 1 / 100,
                           ("That is the ratio the other way round: the article's gradient over "
                           "the true one is asked.")),
    },
    reread="the section 'Gradients, checked factor by factor'",
)  # fmt: skip


# ------------------------------------------------------------------ implement and model


def _gradient_instance(rng, size: int) -> dict:
    """Requirements and efforts for `size` positions."""
    return {"S": rng.uniform(0, 100, size), "E": rng.uniform(0, 100, size)}


def _gradient_reference(S, E):
    from lib.policy import education_gradient

    return education_gradient(S, E)


register_function(
    "ex-policy-implement-gradient", CHAPTER,
    implementation=Implementation(
        reference=_gradient_reference,
        instances=_gradient_instance,
        sizes=(1, 2, 3, 5, 10),
        per_size=3,
        hide=("lib.policy.education_gradient",),
        returns="the array of the N components of the gradient",
    ),
    reread="the section 'Gradients, checked factor by factor'",
)  # fmt: skip

#: The instance of ex-policy-weighted-loss: requirements, efforts and weights.
WEIGHTED_S, WEIGHTED_E, WEIGHTS = (10.0, 20.0, 30.0), (0.0, 0.0, 0.0), (0.5, 0.3, 0.2)


def _weighted_gradient_last(weights=WEIGHTS) -> float:
    import sympy as sp

    E = sp.symbols("E1:4")
    loss = sum(w * (s - e) ** 2 for w, s, e in zip(weights, WEIGHTED_S, E))
    derivative = sp.diff(loss, E[2]).subs(dict(zip(E, WEIGHTED_E)))
    return float(derivative)


register_number(
    "ex-policy-weighted-loss", CHAPTER, kind="model",
    expected=_weighted_gradient_last,
    precision=Precision.sig(3),
    misconceptions={
        "equal weights": (lambda: _weighted_gradient_last((1 / 3, 1 / 3, 1 / 3)),
                          ("That is the gradient of the unweighted mean: with weights, position 3 "
                          "counts w_3, not 1/N.")),
        "without the factor 2": (lambda: _weighted_gradient_last() / 2,
                                 "Differentiating the square (S_3 - E_3)^2 brings down a factor 2."),
        "sign flipped": (lambda: -_weighted_gradient_last(),
                         "Check the sign: raising E_3 towards S_3 lowers the loss."),
    },
    reread="the section 'Gradients, checked factor by factor'",
)  # fmt: skip
