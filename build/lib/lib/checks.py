"""Automatic checks for the book's exercises.

A student calls ``check(label, answer)`` with the exercise's label (the one
the book shows) and their answer. The check computes the right answer from
:mod:`lib` (nothing is hard-coded), and replies with one of three outcomes:

* ``"not answered"`` -- the answer is still the placeholder ``...`` (or None);
* ``"correct"``;
* ``"incorrect"`` -- with a hint that says what is wrong without giving the
  solution away.

A wrongly *shaped* answer (a string where a number is expected, a pair that is
not a pair) is reported as incorrect with an explanation, never as a crash.

Examples
--------
>>> check("ex-match-without-worker", ...)
CheckResult(status='not answered', message='Not answered yet: replace ... with your answer.')
>>> check("ex-match-without-worker", 100.0).status
'incorrect'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

__all__ = ["CheckResult", "check", "exercise_labels", "is_placeholder"]

_CHECKERS: dict[str, Callable[[Any], "CheckResult"]] = {}


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an automatic check.

    Attributes
    ----------
    status : str
        ``"correct"``, ``"incorrect"`` or ``"not answered"``.
    message : str
        What a student reads.
    """

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _repr_html_(self) -> str:
        colour = {"correct": "#1a7f37", "incorrect": "#b42318"}.get(
            self.status, "#6e7781"
        )
        return (
            f'<div class="exercise-check" style="border-left: 4px solid {colour}; '
            f'padding: 0.3em 0.8em;"><strong>{self.status.capitalize()}.</strong> '
            f"{_escape(self.message)}</div>"
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_placeholder(answer: Any) -> bool:
    """True for the placeholders a student edition leaves: ``...`` and None.

    Examples
    --------
    >>> is_placeholder(...), is_placeholder(None), is_placeholder(0)
    (True, True, False)
    """
    return answer is Ellipsis or answer is None


def _register(
    label: str,
) -> Callable[[Callable[[Any], CheckResult]], Callable[[Any], CheckResult]]:
    def decorator(func: Callable[[Any], CheckResult]) -> Callable[[Any], CheckResult]:
        if label in _CHECKERS:  # pragma: no cover - guards against a copy-paste slip
            raise RuntimeError(f"two checks registered for {label!r}")
        _CHECKERS[label] = func
        return func

    return decorator


def exercise_labels() -> list[str]:
    """Labels of every exercise that has an automatic check.

    Examples
    --------
    >>> "ex-match-without-worker" in exercise_labels()
    True
    """
    return sorted(_CHECKERS)


def check(label: str, answer: Any) -> CheckResult:
    """Check a student's answer to the exercise ``label``.

    Parameters
    ----------
    label : str
        The exercise label shown in the book, such as ``"ex-match-without-worker"``.
    answer : object
        The student's answer; ``...`` means not answered yet.

    Returns
    -------
    CheckResult

    Raises
    ------
    ValueError
        If no exercise has that label (the message lists the known labels).
    """
    if not isinstance(label, str):
        raise TypeError(
            f"label must be a string such as 'ex-match-without-worker'; got {label!r}."
        )
    if label not in _CHECKERS:
        raise ValueError(
            f"No exercise is labelled {label!r}. Known labels: {', '.join(exercise_labels())}."
        )
    if is_placeholder(answer):
        return CheckResult(
            "not answered", "Not answered yet: replace ... with your answer."
        )
    return _CHECKERS[label](answer)


# --------------------------------------------------------------------------
# Helpers that turn a student's answer into a number or an assignment.


def _as_number(answer: Any) -> float | CheckResult:
    if isinstance(answer, bool) or not isinstance(
        answer, (int, float, np.integer, np.floating)
    ):
        return CheckResult(
            "incorrect",
            f"Expected a single number; got {type(answer).__name__}. "
            "Compute the value and assign it, for example answer = 1.25.",
        )
    value = float(answer)
    if not math.isfinite(value):
        return CheckResult(
            "incorrect", "Expected a finite number; got NaN or infinity."
        )
    return value


def _compare_total(
    answer: Any, expected: float, *, too_high: str, too_low: str
) -> CheckResult:
    value = _as_number(answer)
    if isinstance(value, CheckResult):
        return value
    if math.isclose(value, expected, rel_tol=1e-6, abs_tol=1e-9):
        return CheckResult("correct", "Right: that is the value lib computes.")
    return CheckResult("incorrect", too_high if value > expected else too_low)


def _check_assignment(
    answer: Any, scores: np.ndarray, capacity: list[int]
) -> CheckResult:
    from lib.matching import assignment_total, solve_matching

    try:
        pairs = [
            tuple(int(v) if isinstance(v, (np.integer,)) else v for v in p)
            for p in answer
        ]
        total = assignment_total(scores, pairs, capacity)
    except (TypeError, ValueError) as exc:
        return CheckResult("incorrect", f"That is not a feasible assignment: {exc}")
    best = solve_matching(scores, capacity).objective
    if math.isclose(total, best, rel_tol=1e-9, abs_tol=1e-12):
        return CheckResult("correct", f"Feasible and optimal (total {total:.4g}).")
    return CheckResult(
        "incorrect",
        f"Feasible, with total {total:.4g}, but another feasible assignment scores "
        "more. Look for a task whose worker could be swapped for a better one, "
        "or a capacity you have not used.",
    )


# --------------------------------------------------------------------------
# Part II, chapter "Matching tasks to workers as a linear program".


@_register("ex-match-without-worker")
def _ex_match_without_worker(answer: Any) -> CheckResult:
    from lib.matching import ARTICLE_SCORES, solve_matching

    expected = solve_matching(ARTICLE_SCORES, capacity=[1, 1, 1, 0]).objective
    return _compare_total(
        answer,
        expected,
        too_high="Too high: no assignment reaches that once worker 3 is unavailable. "
        "Did you set worker 3's capacity to 0?",
        too_low="Too low: a feasible assignment does better. Check that you "
        "maximise (not minimise) and that workers 0, 1 and 2 keep capacity 1.",
    )


@_register("ex-match-double-capacity")
def _ex_match_double_capacity(answer: Any) -> CheckResult:
    from lib.matching import ARTICLE_SCORES

    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        return CheckResult(
            "incorrect",
            "Expected a list of (task, worker) pairs, for example [(0, 1), (2, 0)].",
        )
    return _check_assignment(answer, ARTICLE_SCORES, [2, 1, 1, 1])


@_register("ex-source-lp-value")
def _ex_source_lp_value(answer: Any) -> CheckResult:
    from lib.matching import ARTICLE_SCORES, source_lp

    expected = source_lp(ARTICLE_SCORES, capacity=[2, 1, 1, 1]).objective
    return _compare_total(
        answer,
        expected,
        too_high="Too high: the article's LP bounds every entry x_ij by X_j, and "
        "nothing larger. Recheck which column gets X_j = 2.",
        too_low="Too low: in the article's LP nothing stops a task from taking "
        "every worker at once. Which value does each x_ij take at the optimum?",
    )


# --------------------------------------------------------------------------
# Part I, chapter "Losses and gradients, derived in sympy".


@_register("ex-policy-grad-industry")
def _ex_policy_grad_industry(answer: Any) -> CheckResult:
    from lib.policy import industry_gradient

    expected = float(industry_gradient([4.0, 2.0, 6.0], [1.0, 2.0, 3.0])[0])
    return _compare_total(
        answer, expected,
        too_high="Too high. Check the sign: the loss falls as I_1 moves towards P_1.",
        too_low="Too low. Did you divide by N, the number of positions?",
    )  # fmt: skip


@_register("ex-policy-hessian-eig")
def _ex_policy_hessian_eig(answer: Any) -> CheckResult:
    import sympy as sp

    E = sp.symbols("E1:5")
    S = sp.symbols("S1:5")
    loss = sum((s - e) ** 2 for s, e in zip(S, E)) / 4
    expected = float(max(sp.hessian(loss, E).eigenvals()))
    return _compare_total(
        answer, expected,
        too_high="Too high: remember the 1/N in front of the sum.",
        too_low="Too low: differentiate (S_n - E_n)^2 twice; the factor 2 stays.",
    )  # fmt: skip


@_register("ex-policy-article-factor")
def _ex_policy_article_factor(answer: Any) -> CheckResult:
    import sympy as sp

    from lib.policy import (
        article_education_gradient_expr,
        education_loss_expr,
        gradient_component,
        policy_symbols,
    )

    s = policy_symbols()
    ratio = sp.simplify(
        article_education_gradient_expr()
        / gradient_component(education_loss_expr(), s.E)
    )
    expected = float(ratio.subs(s.N, 100))
    return _compare_total(
        answer, expected,
        too_high="Too high: compare the two formulas factor by factor.",
        too_low="Too low: which of the two gradients keeps the 1/N of the mean?",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Part I, chapter "The smart-manufacturing worked example".


@_register("ex-example-J-progression")
def _ex_example_j_progression(answer: Any) -> CheckResult:
    from lib.policy import example_J

    return _compare_total(
        answer, example_J("progression", 1.0),
        too_high="Too high: under the 'progression' reading the lists are cut to their common length first.",
        too_low="Too low: J adds P*E and Ps*I at each position before averaging.",
    )  # fmt: skip


@_register("ex-example-support-needed")
def _ex_example_support_needed(answer: Any) -> CheckResult:
    from lib.policy import required_constant_support

    return _compare_total(
        answer, float(required_constant_support("stretched", 5.6)),
        too_high="Too high: J grows with the support p, and already exceeds 5.6 at p = 0.",
        too_low="Too low: solve J(p) = 5.6 for p with the 'stretched' reading (100 positions).",
    )  # fmt: skip


@_register("ex-example-J-no-support")
def _ex_example_j_no_support(answer: Any) -> CheckResult:
    from lib.policy import example_J

    return _compare_total(
        answer, example_J("stretched", 0.0),
        too_high="Too high: with p = 0 only the Ps*I term remains.",
        too_low="Too low: use the 'stretched' reading, 100 positions from the first to the last value.",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Part I, chapter "Coordinating the three policies".


def _chapter_problem(budget: float):
    from lib.policy import CoordinationProblem, example_inputs

    d = example_inputs("stretched", support=1.0)
    return CoordinationProblem.create(
        d["S"], d["P"], d["Ps"], alpha=1.0, beta=1.0, budget=budget
    )


@_register("ex-coord-multiplier")
def _ex_coord_multiplier(answer: Any) -> CheckResult:
    from lib.policy import coordinated_optimum

    return _compare_total(
        answer, coordinated_optimum(_chapter_problem(55.0)).multiplier,
        too_high="Too high: the multiplier is the marginal value of budget, which falls as the budget grows.",
        too_low="Too low: is the budget of 55 binding? Compare it with the unconstrained mean effort.",
    )  # fmt: skip


@_register("ex-coord-step-limit")
def _ex_coord_step_limit(answer: Any) -> CheckResult:
    from lib.policy import CoordinationProblem

    p = CoordinationProblem.create([1.0], [1.0], [1.0], alpha=2.0, beta=0.5)
    return _compare_total(
        answer, 1 / max(p.alpha, p.beta),
        too_high="Too high: at that step the larger curvature makes the iteration overshoot.",
        too_low="Too low: the limit is set by the larger of the two weights only.",
    )  # fmt: skip


@_register("ex-coord-mean-education")
def _ex_coord_mean_education(answer: Any) -> CheckResult:
    import numpy as np

    from lib.policy import coordinated_optimum

    return _compare_total(
        answer, float(np.mean(coordinated_optimum(_chapter_problem(50.0)).E)),
        too_high="Too high: with a binding budget, both efforts are pulled below their unconstrained values.",
        too_low="Too low: E_n = S_n + (P_n - lambda) / (2 alpha); average it over the positions.",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Part III, chapter "Quality prediction by least squares".


def _chapter_quality_split():
    from lib.regression import make_quality_data, train_test_split

    data = make_quality_data(200, seed=0)
    return train_test_split(data.X, data.y, test_fraction=0.2, seed=42)


@_register("ex-ls-test-mse")
def _ex_ls_test_mse(answer: Any) -> CheckResult:
    from lib.regression import fit_least_squares, mean_squared_error, predict

    X_train, X_test, y_train, y_test = _chapter_quality_split()
    expected = mean_squared_error(y_test, predict(fit_least_squares(X_train, y_train), X_test))
    return _compare_total(
        answer, expected,
        too_high="Too high: fit on the training part only, then score on the test part.",
        too_low="Too low: is that the training error? Score on the test records.",
    )  # fmt: skip


@_register("ex-ls-stable-lr")
def _ex_ls_stable_lr(answer: Any) -> CheckResult:
    import numpy as np

    from lib.regression import make_quality_data

    X = make_quality_data(200, seed=0).X
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    hessian = 2.0 * Z.T @ Z / len(Z)
    expected = float(2.0 / np.linalg.eigvalsh(hessian).max())
    return _compare_total(
        answer, expected,
        too_high="Too high: beyond 2 / (largest Hessian eigenvalue) gradient descent diverges.",
        too_low="Too low: that step converges, but a larger one still does. Use the largest eigenvalue.",
    )  # fmt: skip


@_register("ex-ls-condition-raw")
def _ex_ls_condition_raw(answer: Any) -> CheckResult:
    from lib.regression import design_condition_number, make_quality_data

    return _compare_total(
        answer, design_condition_number(make_quality_data(200, seed=0).X),
        too_high="Too high: is that the condition number of X^T X (its square)?",
        too_low="Too low: include the column of ones for the intercept, and do not scale.",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Part III, chapter "Reading a classification report".


@_register("ex-report-macro-no-o")
def _ex_report_macro_no_o(answer: Any) -> CheckResult:
    from lib.metrics import ARTICLE_NER_REPORT, averages_from_rows

    rows = {k: v for k, v in ARTICLE_NER_REPORT.items() if k != "O"}
    return _compare_total(
        answer, averages_from_rows(rows)["macro avg"]["f1-score"],
        too_high="Too high: did you leave the O row in?",
        too_low="Too low: the macro average is the plain mean of the per-class F1 values.",
    )  # fmt: skip


@_register("ex-report-weighted-recall")
def _ex_report_weighted_recall(answer: Any) -> CheckResult:
    from lib.metrics import ARTICLE_NER_REPORT, averages_from_rows

    return _compare_total(
        answer, averages_from_rows(ARTICLE_NER_REPORT)["weighted avg"]["recall"],
        too_high="Too high: weight each class's recall by its support, and divide by the total.",
        too_low="Too low: weight by support, not equally (that is the macro average).",
    )  # fmt: skip


@_register("ex-report-entity-f1")
def _ex_report_entity_f1(answer: Any) -> CheckResult:
    from lib.metrics import entity_report
    from lib.ner import make_ner_corpus, predict_tags, train_token_tagger

    train, test = make_ner_corpus(300, seed=0), make_ner_corpus(200, seed=1)
    tagger = train_token_tagger(train.sentences, train.tags)
    expected = entity_report(test.tags, predict_tags(tagger, test.sentences))["micro avg"]["f1-score"]
    return _compare_total(
        answer, expected,
        too_high="Too high: is that a token-level score? Score whole entities.",
        too_low="Too low: use the tagger trained on seed 0 and the test corpus of seed 1.",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Part II, chapter "Relaxation, duality and integrality".

#: The budget instance of the chapter: scores, costs (wages) and the budget.
BUDGET_INSTANCE = {
    "scores": [[4.0, 3.0], [2.0, 5.0]],
    "costs": [[3.0, 1.0], [1.0, 3.0]],
    "budget": 4.0,
}


@_register("ex-dual-left-slope")
def _ex_dual_left_slope(answer: Any) -> CheckResult:
    from lib.matching import ARTICLE_SCORES, capacity_slopes

    left, _ = capacity_slopes(ARTICLE_SCORES, [1, 1, 1, 1], worker=3)
    return _compare_total(
        answer, left,
        too_high="Too high: removing a little of worker 3's capacity cannot cost more than its best task's score.",
        too_low="Too low: that looks like the slope for adding capacity; remove a little instead.",
    )  # fmt: skip


@_register("ex-dual-integrality-gap")
def _ex_dual_integrality_gap(answer: Any) -> CheckResult:
    from lib.matching import solve_matching_with_budget

    lp = solve_matching_with_budget(**BUDGET_INSTANCE, integral=False).objective
    ip = solve_matching_with_budget(**BUDGET_INSTANCE, integral=True).objective
    return _compare_total(
        answer, lp - ip,
        too_high="Too high: the gap is the LP relaxation's value minus the best 0/1 value.",
        too_low="Too low: solve the relaxation (integral=False) and the integer program, and subtract.",
    )  # fmt: skip


@_register("ex-dual-tu-pairs")
def _ex_dual_tu_pairs(answer: Any) -> CheckResult:
    import numpy as np

    from lib.matching import is_totally_unimodular, matching_constraint_matrix

    if not isinstance(answer, (bool, np.bool_)):
        return CheckResult("incorrect", "Expected True or False.")
    a = matching_constraint_matrix(3, 2).toarray()
    extra = np.zeros((2, 6))
    for j in range(2):
        extra[j, [0 * 2 + j, 1 * 2 + j]] = 1  # x_0j + x_1j <= 1
    expected = is_totally_unimodular(np.vstack([a, extra]))
    if bool(answer) == expected:
        return CheckResult("correct", "Right: that is what the determinant check finds.")
    return CheckResult(
        "incorrect",
        "Check again with is_totally_unimodular on the stacked matrix; think of an odd cycle "
        "of rows and columns.",
    )


# --------------------------------------------------------------------------
# Part II, chapter "Skills, capacities and matching in real time".


@_register("ex-online-eps-ratio")
def _ex_online_eps_ratio(answer: Any) -> CheckResult:
    from lib.matching import online_greedy, solve_matching

    scores = [[0.05], [1.0]]
    expected = online_greedy(scores).objective / solve_matching(scores).objective
    return _compare_total(
        answer, expected,
        too_high="Too high: greedy commits the only worker to the first task.",
        too_low="Too low: the ratio is greedy's total over the offline optimum.",
    )  # fmt: skip


def _chapter_skill_scores():
    from lib.matching import make_skill_instance, skill_scores

    inst = make_skill_instance(30, 8, 6, seed=0)
    return skill_scores(inst.tasks, inst.workers), inst.capacity


@_register("ex-online-mean-ratio")
def _ex_online_mean_ratio(answer: Any) -> CheckResult:
    from lib.matching import random_order_ratios

    scores, capacity = _chapter_skill_scores()
    expected = float(random_order_ratios(scores, capacity, n_orders=200, seed=1).mean())
    return _compare_total(
        answer, expected,
        too_high="Too high: use 200 orders drawn with seed=1 and average the ratios.",
        too_low="Too low: use 200 orders drawn with seed=1 and average the ratios.",
    )  # fmt: skip


@_register("ex-online-screened-total")
def _ex_online_screened_total(answer: Any) -> CheckResult:
    from lib.matching import screen_scores, solve_matching

    scores, capacity = _chapter_skill_scores()
    expected = solve_matching(screen_scores(scores, 1.0), capacity).objective
    return _compare_total(
        answer, expected,
        too_high="Too high: screening removes the pairs below the threshold first.",
        too_low="Too low: keep the pairs with full coverage (threshold 1.0), and the capacities.",
    )  # fmt: skip
