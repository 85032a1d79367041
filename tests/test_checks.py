"""lib.checks: a checker a student can trust.

Generic over the registry (every exercise of the book):

(a) the right answer passes (the solutions in the executed book, and
    ``expected()``), whatever numeric type it arrives in;
(b) the expected value agrees with one computed independently here (by hand,
    brute force, another library or method), never with the function the
    check calls;
(c) the answer rounded to the stated precision passes as float, sympy
    Rational/Float, Fraction, Decimal, 0-d and size-1 array; a copy rounded to
    fewer digits is "close";
(d) each misconception's value gets its own hint, a random wrong value none,
    and the precision keeps the right value apart from every misconception;
(e) implement exercises: a correct function passes, a wrapper of lib's
    version and three plausible wrong ones fail with a useful instance;

plus the Monte-Carlo band over 1,000 seeds, the kinds every chapter must have,
the precision the exercise text must state, and the machinery itself on a
private registry.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import time
import zlib
from decimal import Decimal
from fractions import Fraction

import nbformat
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy.optimize import linprog

import part1_references
import part2a_references
import part2b_references
import part3a_references
import part3b_references
from conftest import BUILD, ROOT
from lib.checks import CheckResult, check, exercise_labels, exercises, expected
from lib.checks._core import (
    REGISTRY,
    Implementation,
    Precision,
    Registry,
    as_real_number,
    same_expression,
)

sys.path.insert(0, str(ROOT / "scripts"))
from setup_cell import chapter_notebooks

EXERCISES = {e.label: e for e in exercises()}
NUMERIC = sorted(label for label, e in EXERCISES.items() if e.answer_type == "number")
CHECKED = sorted(label for label, e in EXERCISES.items() if e.kind != "written")
EXERCISE_RE = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)\s*\n(.*?)\n```", re.DOTALL)
CHECK_RE = re.compile(r"""check\(\s*["']([\w-]+)["']""")

# =====================================================================
# Independent references: the expected value of every exercise, computed
# another way than the check does (by hand, brute force, scipy, sklearn, seqeval).


def _article_scores() -> np.ndarray:
    from lib.matching import ARTICLE_SCORES  # the data only

    return np.array(ARTICLE_SCORES, dtype=float)


def _brute_force_matching(scores: np.ndarray, capacity) -> float:
    """Best total over every assignment of each task to a worker or to nobody."""
    n_tasks, n_workers = scores.shape
    best = 0.0
    for choice in itertools.product(range(-1, n_workers), repeat=n_tasks):
        used = np.bincount([j for j in choice if j >= 0], minlength=n_workers)
        if np.all(used <= np.asarray(capacity)):
            best = max(best, sum(scores[i, j] for i, j in enumerate(choice) if j >= 0))
    return best


def _lp_matching(scores: np.ndarray, capacity) -> float:
    """The matching LP, built here with dense matrices, solved by linprog."""
    n_tasks, n_workers = scores.shape
    rows = np.kron(np.eye(n_tasks), np.ones(n_workers))  # each task at most once
    cols = np.kron(np.ones(n_tasks), np.eye(n_workers))  # each worker within capacity
    res = linprog(-scores.ravel(), A_ub=np.vstack([rows, cols]),
                  b_ub=np.concatenate([np.ones(n_tasks), np.asarray(capacity, float)]),
                  bounds=(0, 1), method="highs")  # fmt: skip
    assert res.status == 0
    return -res.fun


def _example_arrays(reading: str) -> dict[str, np.ndarray]:
    """The §4.3 lists under a reading, written out here with arange/linspace."""
    if reading == "progression":
        d = {"S": np.arange(20, 101, 10.0), "E": np.arange(10, 51, 5.0),
             "I": np.arange(5, 41, 5.0), "Ps": np.array([1.0, 1.2, 1.4, 1.6])}  # fmt: skip
        n = min(len(v) for v in d.values())
        return {k: v[:n] for k, v in d.items()}
    return {"S": np.linspace(20, 100, 100), "E": np.linspace(10, 50, 100),
            "I": np.linspace(5, 40, 100), "Ps": np.linspace(1, 1.6, 100)}  # fmt: skip


def _J_by_hand(reading: str, p: float) -> float:
    d = _example_arrays(reading)
    return float(np.mean(p * d["E"] + d["Ps"] * d["I"]))


def _quality_split():
    from lib.regression import make_quality_data, train_test_split  # the data only

    data = make_quality_data(200, seed=0)
    return data, train_test_split(data.X, data.y, test_fraction=0.2, seed=42)


def _sklearn_test_mse() -> float:
    from sklearn.linear_model import LinearRegression

    _, (X_train, X_test, y_train, y_test) = _quality_split()
    model = LinearRegression().fit(X_train, y_train)
    return float(np.mean((model.predict(X_test) - y_test) ** 2))


def _stable_lr_by_svd() -> float:
    X = _quality_split()[0].X
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    sigma = np.linalg.svd(Z, compute_uv=False).max()
    return len(Z) / sigma**2  # 2 / (2 sigma^2 / n)


def _condition_by_svd() -> float:
    X = _quality_split()[0].X
    sigma = np.linalg.svd(np.column_stack([np.ones(len(X)), X]), compute_uv=False)
    return float(sigma.max() / sigma.min())


def _report_rows():
    from lib.metrics import ARTICLE_NER_REPORT  # the printed rows only

    return ARTICLE_NER_REPORT


def _seqeval_micro_f1() -> float:
    """The chapter's tags and predictions (the data), scored by seqeval."""
    from seqeval.metrics import f1_score

    from lib.checks.p3_report import chapter_predictions

    truth, pred = chapter_predictions()
    return float(f1_score(truth, pred, average="micro"))


def _left_slope_by_linprog() -> float:
    A, h = _article_scores(), 1e-4
    return (_lp_matching(A, [1, 1, 1, 1]) - _lp_matching(A, [1, 1, 1, 1 - h])) / h


def _budget_gap_by_enumeration() -> float:
    scores, costs, budget = np.array([[4.0, 3.0], [2.0, 5.0]]), np.array([[3.0, 1.0], [1.0, 3.0]]), 4.0
    best_integer = 0.0
    for x in itertools.product((0, 1), repeat=4):
        x = np.reshape(x, (2, 2))
        if np.all(x.sum(1) <= 1) and np.all(x.sum(0) <= 1) and (costs * x).sum() <= budget:
            best_integer = max(best_integer, (scores * x).sum())
    rows, cols = np.kron(np.eye(2), np.ones(2)), np.kron(np.ones(2), np.eye(2))
    res = linprog(-scores.ravel(), A_ub=np.vstack([rows, cols, costs.ravel()]),
                  b_ub=[1, 1, 1, 1, budget], bounds=(0, 1), method="highs")  # fmt: skip
    return -res.fun - best_integer


def _tu_by_enumeration() -> bool:
    rows = [np.kron(np.eye(3)[i], np.ones(2)) for i in range(3)]
    rows += [np.kron(np.ones(3), np.eye(2)[j]) for j in range(2)]
    rows += [np.kron([1, 1, 0], np.eye(2)[j]) for j in range(2)]
    M = np.array(rows)
    for k in range(1, 7):
        for r in itertools.combinations(range(M.shape[0]), k):
            for c in itertools.combinations(range(M.shape[1]), k):
                if round(abs(np.linalg.det(M[np.ix_(r, c)]))) > 1:
                    return False
    return True


def _platform():
    from lib.matching import make_skill_instance

    inst = make_skill_instance(30, 8, 6, seed=0)
    t, w = np.asarray(inst.tasks, float), np.asarray(inst.workers, float)
    coverage = (t @ w.T) / np.maximum(t.sum(1, keepdims=True), 1)  # share of required skills held
    coverage[t.sum(1) == 0] = 1.0
    return coverage, np.asarray(inst.capacity)


def _greedy_totals(scores: np.ndarray, capacity: np.ndarray, orders: np.ndarray) -> np.ndarray:
    """Online greedy for many arrival orders at once (one row per order)."""
    left = np.tile(capacity, (len(orders), 1)).astype(float)
    total = np.zeros(len(orders))
    rows = np.arange(len(orders))
    for step in range(orders.shape[1]):
        s = scores[orders[:, step]]
        candidates = np.where(left > 0, s, -np.inf)
        j = candidates.argmax(axis=1)
        take = candidates[rows, j] > 0
        total += np.where(take, s[rows, j], 0.0)
        left[rows[take], j[take]] -= 1
    return total


def _mean_ratio_reference(n_orders: int = 20000, seed: int = 77) -> float:
    scores, capacity = _platform()
    rng = np.random.default_rng(seed)
    orders = rng.permuted(np.tile(np.arange(scores.shape[0]), (n_orders, 1)), axis=1)
    return float(_greedy_totals(scores, capacity, orders).mean() / _lp_matching(scores, capacity))


def _screened_by_linprog() -> float:
    scores, capacity = _platform()
    return _lp_matching(np.where(scores >= 1.0, scores, 0.0), capacity)


INDEPENDENT = {
    # Part I references: the model typed out by hand and solved by SLSQP (tests/part1_references.py).
    "ex-coord-cheaper-support": lambda: part1_references.cross_effect_part_by_slsqp(1.0),
    # The envelope theorem: dW*/dB by a central difference of SLSQP optima.
    "ex-coord-multiplier": lambda: part1_references.multiplier_by_slsqp(55.0),
    # 2 / L from a finite-difference Hessian of the hand-coded gradient.
    "ex-coord-step-limit": part1_references.step_limit_by_finite_differences,
    "ex-dual-by-hand": part2a_references.hand_dual_optimum_by_enumeration,
    "ex-dual-integrality-gap": _budget_gap_by_enumeration,
    "ex-dual-left-slope": _left_slope_by_linprog,
    "ex-dual-tu-pairs": _tu_by_enumeration,
    "ex-example-J-no-support": lambda: _J_by_hand("stretched", 0.0),
    "ex-example-J-progression": lambda: _J_by_hand("progression", 1.0),
    "ex-example-support-progression": part1_references.progression_support_by_hand,
    # J is linear in p: interpolate J(0), J(1) to 5.6.
    "ex-example-support-needed": lambda: (5.6 - _J_by_hand("stretched", 0.0))
    / (_J_by_hand("stretched", 1.0) - _J_by_hand("stretched", 0.0)),
    "ex-ls-condition-raw": _condition_by_svd,
    "ex-ls-derive-se": part3a_references.temperature_se_by_explicit_inverse,
    "ex-ls-omitted-model": part3a_references.omitted_limit_by_hand,
    "ex-ls-stable-lr": _stable_lr_by_svd,
    "ex-ls-test-mse": _sklearn_test_mse,
    "ex-match-double-capacity": lambda: _brute_force_matching(_article_scores(), [2, 1, 1, 1]),
    "ex-match-without-worker": lambda: _brute_force_matching(_article_scores(), [1, 1, 1, 0]),
    "ex-online-adversarial-order": part2b_references.worst_order_ratio,  # plain-Python greedy, every order
    "ex-online-eps-ratio": lambda: 0.05 / 1.0,  # greedy takes the cheap task; the optimum the other
    "ex-online-floor-total": part2b_references.floor_total_by_dense_milp,
    "ex-online-mean-ratio": _mean_ratio_reference,
    "ex-online-screened-total": _screened_by_linprog,
    # By hand: the article's -2(S - E) over the true -2(S - E) / N, at N = 100.
    "ex-policy-article-factor": lambda: 100.0,
    # By hand: -(2 / N)(P_1 - I_1) = -(2 / 3) * 3.
    "ex-policy-grad-industry": lambda: -2 / 3 * (4.0 - 1.0),
    # Finite differences of the loss, then numpy's eigenvalues.
    "ex-policy-hessian-eig": lambda: _finite_difference_hessian_max(),
    "ex-policy-weighted-loss": part1_references.weighted_gradient_by_finite_difference,
    "ex-report-all-o": part3b_references.all_o_micro_f1_by_hand,
    "ex-report-entity-f1": part3b_references.chapter_entity_f1_by_seqeval,
    "ex-report-macro-no-o": lambda: float(np.mean([v[2] for k, v in _report_rows().items() if k != "O"])),
    "ex-report-micro-from-counts": part3b_references.micro_precision_of_b_rows_by_hand,
    "ex-report-weighted-recall": lambda: sum(v[1] * v[3] for v in _report_rows().values())
    / sum(v[3] for v in _report_rows().values()),
    "ex-source-lp-value": lambda: float((_article_scores() * np.array([2, 1, 1, 1])).sum()),
    "ex-wage-floor": part2a_references.wage_floor_total_by_enumeration,
}  # fmt: skip

#: How close an independent reference must come (Monte-Carlo references carry
#: their own sampling error; finite differences their step).
REFERENCE_TOLERANCE = {"ex-online-mean-ratio": 0.003, "ex-coord-multiplier": 1e-4,
                       "ex-coord-cheaper-support": 1e-4, "ex-dual-left-slope": 1e-6}  # fmt: skip


def _finite_difference_hessian_max() -> float:
    rng = np.random.default_rng(0)
    S, E0, h = rng.normal(size=4), rng.normal(size=4), 1e-3

    def loss(E):
        return np.mean((S - E) ** 2)

    H = np.empty((4, 4))
    for i, j in itertools.product(range(4), repeat=2):
        ei, ej = np.eye(4)[i] * h, np.eye(4)[j] * h
        H[i, j] = (loss(E0 + ei + ej) - loss(E0 + ei - ej) - loss(E0 - ei + ej) + loss(E0 - ei - ej)) / (4 * h * h)
    return float(np.linalg.eigvalsh(H).max())


#: Implement exercises: a correct function and three plausible wrong ones.
#: (A wrapper of lib's own version is built generically below.)
IMPLEMENT_CASES: dict[str, dict] = {
    "ex-auction-bid": part2a_references.AUCTION_BID_CASES,
    "ex-coord-projected-step": part1_references.PROJECTED_STEP_CASES,
    "ex-core-blocking-pairs": part2a_references.BLOCKING_CASES,
    "ex-example-implement-progression": part1_references.PROGRESSION_CASES,
    "ex-ls-normal-equations": part3a_references.NORMAL_EQUATIONS_CASES,
    "ex-online-greedy-code": part2b_references.GREEDY_CASES,
    "ex-policy-implement-gradient": part1_references.GRADIENT_CASES,
    "ex-report-token-f1-code": part3b_references.TOKEN_F1_CASES,
}

#: Expression exercises: three equivalent forms of the right answer (callables).
EQUIVALENT_FORMS: dict[str, list] = {}

#: Chapters without all of derive, implement and model. May only shrink: the
#: test fails for a short chapter not listed, and for a listed chapter that
#: is no longer short (remove it then).
SHORT_CHAPTERS: set[str] = set()

#: Numeric exercises whose text does not yet state the precision the check
#: uses. May only shrink, like SHORT_CHAPTERS.
PRECISION_NOT_STATED_YET: set[str] = set()


# =====================================================================
# The registry and the book agree.


def _chapter_sources() -> dict[str, str]:
    out = {}
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        out[path.relative_to(ROOT).as_posix()] = "\n".join(c.source for c in nb.cells)
    return out


SOURCES = _chapter_sources()


def test_every_exercise_of_the_book_is_registered_in_its_chapter():
    in_book = {label: chapter for chapter, text in SOURCES.items() for label, _ in EXERCISE_RE.findall(text)}
    assert set(in_book) == set(EXERCISES), (
        f"exercises without a registration: {sorted(set(in_book) - set(EXERCISES))}; "
        f"registrations without an exercise: {sorted(set(EXERCISES) - set(in_book))}"
    )
    for label, chapter in in_book.items():
        assert EXERCISES[label].chapter == chapter, f"{label} is registered for {EXERCISES[label].chapter}"


def test_exercise_labels_lists_every_registration():
    assert exercise_labels() == sorted(EXERCISES)


def test_written_exercises_have_no_check_and_checked_ones_a_check_call():
    called = {label for text in SOURCES.values() for label in CHECK_RE.findall(text)}
    for label, e in EXERCISES.items():
        if e.kind == "written":
            assert label not in called and e.rubric, label
        else:
            assert label in called, f"{label} has no check() call in its chapter"


def test_every_chapter_has_derive_implement_model():
    short = set()
    for path in chapter_notebooks():
        chapter = path.relative_to(ROOT).as_posix()
        kinds = {e.kind for e in EXERCISES.values() if e.chapter == chapter}
        if not {"derive", "implement", "model"} <= kinds:
            short.add(chapter)
    assert not short - SHORT_CHAPTERS, f"chapters short of derive/implement/model: {sorted(short - SHORT_CHAPTERS)}"
    assert not SHORT_CHAPTERS - short, f"no longer short, remove from SHORT_CHAPTERS: {sorted(SHORT_CHAPTERS - short)}"


def _exercise_text(label: str) -> str:
    for text in SOURCES.values():
        for found, body in EXERCISE_RE.findall(text):
            if found == label:
                return " ".join(body.split())
    return ""  # not in the book: test_every_exercise_of_the_book_is_registered_in_its_chapter says so


def test_exercise_text_states_the_precision():
    missing = {label for label in NUMERIC
               if EXERCISES[label].stated_precision not in _exercise_text(label)}  # fmt: skip
    assert not missing - PRECISION_NOT_STATED_YET, (
        f"state the precision in the exercise text ({', '.join(sorted(missing - PRECISION_NOT_STATED_YET))}): "
        + "; ".join(f"{k}: '{EXERCISES[k].stated_precision}'" for k in sorted(missing - PRECISION_NOT_STATED_YET))
    )
    assert not PRECISION_NOT_STATED_YET - missing, (
        f"now stated, remove from PRECISION_NOT_STATED_YET: {sorted(PRECISION_NOT_STATED_YET - missing)}"
    )


def test_every_exercise_has_its_test_material():
    for label, e in EXERCISES.items():
        if e.kind == "written":
            continue
        if e.answer_type == "function":
            assert label in IMPLEMENT_CASES, f"{label}: add a correct and three wrong functions to IMPLEMENT_CASES"
        else:
            assert label in INDEPENDENT, f"{label}: add an independent reference to INDEPENDENT"
        if e.answer_type == "expression":
            assert len(EQUIVALENT_FORMS.get(label, [])) >= 3, f"{label}: add three forms to EQUIVALENT_FORMS"
    assert set(INDEPENDENT) <= set(EXERCISES)


# =====================================================================
# (a) right answers pass; (b) independent references.


# (Custom exercises take another shape of answer: see their own tests below.)
@pytest.mark.parametrize("label", sorted(l for l, e in EXERCISES.items() if e.answer_type in ("number", "boolean", "expression")))
def test_expected_value_passes(label):
    assert check(label, expected(label)).correct


@pytest.mark.parametrize("label", sorted(INDEPENDENT))
def test_expected_value_agrees_with_an_independent_reference(label):
    reference = INDEPENDENT[label]()
    value = expected(label)
    if isinstance(reference, bool):
        assert bool(value) is reference
        return
    value = float(value)
    tolerance = REFERENCE_TOLERANCE.get(label, 1e-7 * max(1.0, abs(reference)))
    assert abs(value - reference) <= tolerance, (value, reference)
    if EXERCISES[label].answer_type == "number":  # and the check accepts the independent value
        assert check(label, reference).correct


def solution_statuses(executed: nbformat.NotebookNode) -> dict[str, str]:
    """Label -> status printed by each solution's check() in an executed chapter."""
    statuses = {}
    for cell in executed.cells:
        if cell.cell_type != "code" or "check(" not in cell.source or "answer = ..." in cell.source:
            continue
        for output in cell.get("outputs", []):
            match = re.search(r"status='([a-z ]+)'", output.get("data", {}).get("text/plain", ""))
            if match:
                statuses[CHECK_RE.findall(cell.source)[-1]] = match.group(1)
    return statuses


def test_every_solution_check_says_correct(built_book):
    """In the executed book, every check() a solution calls says correct."""
    from jupyter_cache import get_cache

    cache = get_cache(BUILD / ".jupyter_cache")
    seen = {}
    for path in chapter_notebooks():
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
        seen.update(solution_statuses(cache.get_cache_bundle(record.pk).nb))
    assert set(CHECKED) <= set(seen), f"solutions whose check output was not found: {sorted(set(CHECKED) - set(seen))}"
    wrong = {label: status for label, status in seen.items() if status != "correct"}
    assert not wrong, f"solutions whose check does not say correct: {wrong}"


# =====================================================================
# (c) every numeric type, rounded to the stated precision.


def _rounded(value: float, precision: Precision, fewer: int = 0) -> float:
    if precision.mode == "sig":
        return float(f"{value:.{precision.digits - fewer}g}")
    if precision.mode == "decimals":
        return round(value, precision.digits - fewer)
    if precision.mode == "within":
        return round(value, max(0, math.ceil(-math.log10(precision.width))) + 1 - fewer)
    return value


def _forms(value: float) -> list:
    fraction = Fraction(repr(value))
    return [value, np.float64(value), np.float32(value), sp.Float(value),
            sp.Rational(fraction.numerator, fraction.denominator), fraction, Decimal(repr(value)),
            np.array(value), np.array([value]), np.array([[value]])]  # fmt: skip


@pytest.mark.parametrize("label", NUMERIC)
def test_rounded_answer_passes_in_every_numeric_type(label):
    value = float(expected(label))
    precision = REGISTRY.precision(label)
    rounded = _rounded(value, precision)
    for form in _forms(rounded) + _forms(value):
        result = check(label, form)
        assert result.correct, (type(form).__name__, form, result)
    if float(rounded).is_integer() and abs(rounded) < 2**53:
        for form in (int(rounded), np.int64(rounded), sp.Integer(int(rounded))):
            assert check(label, form).correct


@pytest.mark.parametrize("label", NUMERIC)
def test_copy_rounded_to_fewer_digits_is_close(label):
    value = float(expected(label))
    precision = REGISTRY.precision(label)
    if precision.mode == "within":
        return  # a Monte-Carlo band has no digits to lose
    for fewer in (1, 2):
        short = _rounded(value, precision, fewer)
        if precision.accepts(short, value) or short == 0:
            continue
        result = check(label, short)
        hints = {m.hint for m in EXERCISES[label].misconceptions.values()}
        assert result.status == "close" or result.message in hints, (short, result)
        if result.status == "close":
            assert "looks rounded" in result.message


# =====================================================================
# (d) misconceptions: their own hint, separated by the precision.


@pytest.mark.parametrize("label", NUMERIC)
def test_precision_separates_the_right_value_from_every_misconception(label):
    precision = REGISTRY.precision(label)
    right = float(expected(label))
    for name in EXERCISES[label].misconceptions:
        wrong = float(REGISTRY.misconception_value(label, name))
        assert abs(right - wrong) > precision.tolerance(right) + precision.tolerance(wrong), name


@pytest.mark.parametrize("label", NUMERIC)
def test_each_misconception_gets_its_own_hint(label):
    precision = REGISTRY.precision(label)
    for name, mis in EXERCISES[label].misconceptions.items():
        wrong = float(REGISTRY.misconception_value(label, name))
        for form in (wrong, _rounded(wrong, precision) if precision.mode != "within" else wrong):
            result = check(label, form)
            assert result.status == "incorrect" and result.message == mis.hint, (name, form, result)


@pytest.mark.parametrize("label", NUMERIC)
def test_a_random_wrong_value_gets_no_misconception_hint(label):
    rng = np.random.default_rng(zlib.crc32(label.encode()))  # the same draws on every run
    right = float(expected(label))
    precision = REGISTRY.precision(label)
    hints = {m.hint for m in EXERCISES[label].misconceptions.values()}
    wrong_values = [float(REGISTRY.misconception_value(label, n)) for n in EXERCISES[label].misconceptions]
    tried = 0
    while tried < 5:
        # 30% to 90% away from the right value (or from 0): never within its precision
        scale = right if right != 0 else 1.0
        candidate = right + scale * rng.choice([-1, 1]) * rng.uniform(0.3, 0.9)
        candidate = float(f"{candidate:.9g}")  # not a "rounded copy"
        if any(precision.accepts(candidate, w) for w in wrong_values):
            continue
        tried += 1
        result = check(label, candidate)
        assert result.status == "incorrect" and result.message not in hints, (candidate, result)
        direction = "Too high" if candidate > right else "Too low"
        assert result.message.startswith(direction) and EXERCISES[label].reread in result.message


@pytest.mark.parametrize("label", NUMERIC)
def test_messages_do_not_reveal_the_answer(label):
    right = float(expected(label))
    digits = {f"{right:.3g}", f"{right:.4g}", repr(right)} - {"0", "1", "2"}
    for name, mis in EXERCISES[label].misconceptions.items():
        for d in digits:
            assert d not in mis.hint, (name, d)
    for wrong in (right * 3 + 7, -right - 11):
        for d in digits:
            assert d not in check(label, wrong).message


BAD_SHAPES = ["2.8", b"2.8", [1, 2], (1.0,), {"a": 1}, float("nan"), float("inf"), -float("inf"),
              object(), 3 + 1j, np.array([1.0, 2.0]), np.array([]), sp.Symbol("x"), sp.nan, sp.zoo,
              sp.oo, Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1e999999999"),
              10**400, -(10**400), 10**5000, Fraction(10**5000, 3),
              sp.Integer(10) ** 400, sp.I, np.complex128(1 + 2j), np.datetime64("2020-01-01"),
              sp.Matrix([1, 2]), print]  # fmt: skip


@pytest.mark.parametrize("label", CHECKED)
def test_wrongly_shaped_answers_get_a_sentence_never_an_exception(label):
    for bad in BAD_SHAPES + [True, False, np.True_]:
        if isinstance(bad, (bool, np.bool_)) and EXERCISES[label].answer_type == "boolean":
            continue
        result = check(label, bad)
        assert isinstance(result, CheckResult)
        assert result.status == "incorrect", (bad, result)
        assert len(result.message) > 20


@pytest.mark.parametrize("label", CHECKED)
def test_placeholder_is_not_answered(label):
    for placeholder in (..., None):
        result = check(label, placeholder)
        assert result.status == "not answered" and "not answered yet" in result.message.lower()


def test_a_cached_check_is_fast():
    for label in CHECKED:
        if EXERCISES[label].answer_type != "function":
            check(label, 0.5)  # first call: computes and caches
    slowest = 0.0
    for label in CHECKED:
        if EXERCISES[label].answer_type == "function":
            continue
        start = time.perf_counter()
        check(label, 0.5)
        slowest = max(slowest, time.perf_counter() - start)
    assert slowest < 0.2, slowest


# =====================================================================
# Custom and boolean exercises.


def test_double_capacity_accepts_every_optimal_assignment_in_any_form():
    A = _article_scores()
    best = _brute_force_matching(A, [2, 1, 1, 1])
    optimal = []
    for choice in itertools.product(range(-1, 4), repeat=4):
        pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
        used = np.bincount([j for _, j in pairs], minlength=4)
        if np.all(used <= [2, 1, 1, 1]) and math.isclose(sum(A[i, j] for i, j in pairs), best):
            optimal.append(pairs)
    assert optimal
    for pairs in optimal:
        for form in (pairs, np.array(pairs), [list(p) for p in pairs], tuple(pairs),
                     [(np.int64(i), np.int64(j)) for i, j in pairs]):  # fmt: skip
            assert check("ex-match-double-capacity", form).correct, form
    wrong = [(0, 3), (1, 0), (2, 2), (3, 1)]
    result = check("ex-match-double-capacity", wrong)
    assert result.status == "incorrect" and "Feasible" in result.message
    infeasible = check("ex-match-double-capacity", [(0, 0), (1, 0), (2, 0)])
    assert infeasible.status == "incorrect" and "not a feasible" in infeasible.message


def test_boolean_exercise_takes_only_booleans():
    assert check("ex-dual-tu-pairs", True).correct and check("ex-dual-tu-pairs", np.True_).correct
    assert check("ex-dual-tu-pairs", False).status == "incorrect"
    assert check("ex-dual-tu-pairs", 1).status == "incorrect"
    assert check("ex-dual-tu-pairs", "True").status == "incorrect"


# =====================================================================
# (e) implement exercises (generic over the registry).


IMPLEMENT = sorted(label for label, e in EXERCISES.items() if e.answer_type == "function")
EXPRESSION = sorted(label for label, e in EXERCISES.items() if e.answer_type == "expression")


def _implement_targets() -> list[tuple[Registry, str, dict]]:
    """Every implement exercise of the book, and the demo one (so the generic
    tests run on a known exercise even in a book that has none)."""
    demo = _demo_implement_registry()
    # (an exercise without cases is reported by test_every_exercise_has_its_test_material)
    return [(REGISTRY, label, IMPLEMENT_CASES[label]) for label in IMPLEMENT if label in IMPLEMENT_CASES] + [
        (demo, "ex-demo-greedy", DEMO_GREEDY_CASES)
    ]


def test_implement_exercises_correct_passes_wrong_fail_with_an_instance():
    for registry, label, cases in _implement_targets():
        for seed in range(3):
            assert registry.check(label, cases["correct"], seed=seed).correct, label
        assert len(cases["wrong"]) >= 3, label
        for wrong in cases["wrong"]:
            result = registry.check(label, wrong, seed=0)
            assert result.status == "incorrect", (label, wrong, result)
            assert "Differs on the instance" in result.message or "raised" in result.message, result


def test_implement_exercises_reject_a_wrapper_of_lib_and_a_number():
    for registry, label, _ in _implement_targets():
        reference = registry.get(label).implementation.reference

        def wrapper(reference=reference, **kwargs):
            return reference(**kwargs)

        result = registry.check(label, wrapper, seed=0)
        assert result.status == "incorrect" and "unavailable" in result.message, (label, result)
        assert registry.check(label, 3.0).status == "incorrect"


def test_a_cached_implement_check_is_fast():
    for registry, label, cases in _implement_targets():
        registry.check(label, cases["correct"], seed=0)
        start = time.perf_counter()
        registry.check(label, cases["correct"], seed=1)
        assert time.perf_counter() - start < 0.2, label


def test_expression_exercises_accept_three_equivalent_forms():
    demo = Registry()
    demo.expression("ex-demo-gradient", "chapters/demo.ipynb", expected=_derived_gradient,
                    reread="the section 'Demo'",
                    misconceptions={"sum": (lambda: _derived_gradient() * sp.Symbol("N"), "A sum.")})  # fmt: skip
    N, k = sp.symbols("N k")
    S, E = sp.IndexedBase("S"), sp.IndexedBase("E")
    demo_forms = [lambda: -2 * (S[k] - E[k]) / N, lambda: 2 * E[k] / N - 2 * S[k] / N,
                  lambda: (2 * E[k] - 2 * S[k]) / N]  # fmt: skip
    targets = [(REGISTRY, label, EQUIVALENT_FORMS[label]) for label in EXPRESSION]
    for registry, label, forms in targets + [(demo, "ex-demo-gradient", demo_forms)]:
        assert len(forms) >= 3, label
        for form in forms:
            assert registry.check(label, form()).correct, (label, form())
        for name, mis in registry.get(label).misconceptions.items():
            assert registry.check(label, registry.misconception_value(label, name)).message == mis.hint
    assert demo.check("ex-demo-gradient", -2 * (S[k] - E[k])).message == "A sum."
    assert demo.check("ex-demo-gradient", S[k] / N).message.startswith("Not the same expression")
    assert demo.check("ex-demo-gradient", "2*(E[k]-S[k])/N").status == "incorrect"


def _derived_gradient():
    N = sp.Symbol("N", integer=True, positive=True)
    n, k = sp.Idx("n"), sp.Symbol("k")
    S, E = sp.IndexedBase("S"), sp.IndexedBase("E")
    return sp.diff(sp.Sum((S[n] - E[n]) ** 2, (n, 1, N)) / N, E[k])  # a KroneckerDelta sum


def test_same_expression_matches_symbols_by_name_and_sums_by_value():
    N, k = sp.symbols("N k")
    S, E = sp.IndexedBase("S"), sp.IndexedBase("E")
    derived = _derived_gradient()
    for form in (-2 * (S[k] - E[k]) / N, 2 * E[k] / N - 2 * S[k] / N, (2 * E[k] - 2 * S[k]) / N):
        assert same_expression(form, derived)
    for wrong in (-2 * (S[k] - E[k]), -(S[k] - E[k]) / N, -2 * (S[k] - E[k]) / (N + 1), S[k] / N):
        assert not same_expression(wrong, derived)
    x = sp.Symbol("x", positive=True)
    assert same_expression(sp.sqrt(sp.Symbol("x") ** 2), x)  # the student's plain x is lib's x
    assert same_expression(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1))


# =====================================================================
# The Monte-Carlo band: a correct simulation with any seed passes.


def test_monte_carlo_band_over_1000_seeds():
    label = "ex-online-mean-ratio"
    simulation = EXERCISES[label].monte_carlo
    scores, capacity = _platform()
    best = _lp_matching(scores, capacity)
    n_seeds, draws = 1000, simulation.draws
    means = []
    for seed in range(n_seeds):  # an independent simulation per seed, as a student would run it
        rng = np.random.default_rng(seed)
        orders = rng.permuted(np.tile(np.arange(scores.shape[0]), (draws, 1)), axis=1)
        means.append(_greedy_totals(scores, capacity, orders).mean() / best)
    failures = sum(not check(label, m).correct for m in means)
    assert failures <= n_seeds // 1000, failures  # under 0.1%
    # the band is not so wide that it accepts a wrong simulation (a quarter fewer orders
    # would not matter; the ratio of the first arrival order alone does not either) ...
    width = REGISTRY.precision(label).width
    sd = float(np.std(means)) * math.sqrt(draws)
    assert width < 6 * sd / math.sqrt(draws)
    # ... and the "loss instead of ratio" answer of any seed is rejected with its hint
    hint = EXERCISES[label].misconceptions["loss instead of ratio"].hint
    assert all(check(label, 1 - m).message == hint for m in means[:50])


# =====================================================================
# The machinery, on a private registry (independent of the book's exercises).


def _demo_registry() -> Registry:
    registry = Registry()
    registry.number("ex-demo-third", "chapters/demo.ipynb", expected=lambda: Fraction(1, 3),
                    precision=Precision.sig(3), reread="the section 'Demo'",
                    misconceptions={"a half": (lambda: 0.5, "That is one half.")})  # fmt: skip
    registry.number("ex-demo-decimals", "chapters/demo.ipynb", expected=lambda: 12.3456,
                    precision=Precision.decimals(2), reread="the section 'Demo'")  # fmt: skip
    return registry


def test_precision_semantics():
    r = _demo_registry()
    for ok in (1 / 3, 0.333, 0.3334, 0.3329, sp.Rational(1, 3), Fraction(333, 1000), np.array(1 / 3)):
        assert r.check("ex-demo-third", ok).correct, ok
    assert r.check("ex-demo-third", 0.33).status == "close"
    assert r.check("ex-demo-third", 0.3).status == "close"
    assert r.check("ex-demo-third", 0.5).message == "That is one half."
    assert r.check("ex-demo-third", 0.34).message.startswith("Too high")
    assert r.check("ex-demo-third", 0.3312).message.startswith("Too low")
    assert r.check("ex-demo-decimals", 12.35).correct and r.check("ex-demo-decimals", 12.3).status == "close"
    assert r.check("ex-demo-decimals", 12.36).status == "incorrect"
    assert Precision.sig(3).describe() == "to 3 significant digits"
    with pytest.raises(ValueError):
        Precision.sig(0)
    with pytest.raises(ValueError):
        Precision.within(-1.0)


def test_as_real_number_reads_every_real_scalar():
    half = [0.5, np.float16(0.5), np.float32(0.5), np.longdouble(0.5), Fraction(1, 2), Decimal("0.5"),
            sp.Rational(1, 2), sp.Float(0.5), sp.Integer(1) / 2, sp.sqrt(2) / sp.sqrt(8),
            sp.Max(sp.Rational(1, 2), sp.Rational(1, 3)), np.array(0.5), np.array([[0.5]]),
            np.complex128(0.5 + 0j), complex(0.5, 0)]  # fmt: skip
    for value in half:
        assert float(as_real_number(value)) == 0.5, repr(value)
    for value in (2, np.int8(2), np.uint64(2), sp.Integer(2), 10**20):
        assert as_real_number(value) == Fraction(value if not isinstance(value, sp.Integer) else 2)
    assert as_real_number(True, allow_bool=True) is True
    for bad in (True, "0.5", None, [0.5, 1.0], 10**400, float("nan"), sp.Symbol("x"), 1j):
        with pytest.raises(ValueError):
            as_real_number(bad)


def _demo_greedy_instance(rng, size):
    return {"scores": rng.integers(0, 5, size=(size, max(1, size // 2))) / 4,
            "order": rng.permutation(size).tolist(),
            "capacity": rng.integers(0, 3, size=max(1, size // 2)).tolist()}  # fmt: skip


def _demo_greedy_reference(scores, order, capacity):
    from lib.matching import online_greedy

    return online_greedy(scores, capacity, order).pairs


def _greedy(scores, order, capacity, *, has_room=lambda c: c > 0, strict=True):
    left, pairs = list(capacity), []
    for i in order:
        best, chosen = 0.0, None
        for j in range(len(left)):
            better = scores[i][j] > best if strict else scores[i][j] >= best
            if has_room(left[j]) and better and scores[i][j] > 0:
                best, chosen = scores[i][j], j
        if chosen is not None:
            pairs.append((i, chosen))
            left[chosen] -= 1
    return sorted(pairs)


def _demo_implement_registry() -> Registry:
    registry = Registry()
    registry.function("ex-demo-greedy", "chapters/demo.ipynb", reread="the section 'Demo'",
                      implementation=Implementation(
                          _demo_greedy_reference, _demo_greedy_instance,
                          compare=lambda a, b: sorted(map(tuple, a)) == sorted(b),
                          hide=("lib.matching.online_greedy",), returns="the pairs"))  # fmt: skip
    return registry


#: Plausible wrong greedy matchers.
DEMO_WRONG = {
    "off by one in the capacity": lambda scores, order, capacity: _greedy(scores, order, capacity, has_room=lambda c: c >= 0),
    "ignores capacity": lambda scores, order, capacity: _greedy(scores, order, [10**6] * len(capacity)),
    "ties to the last worker": lambda scores, order, capacity: _greedy(scores, order, capacity, strict=False),
    "arrival order ignored": lambda scores, order, capacity: _greedy(scores, sorted(order), capacity),
}  # fmt: skip
DEMO_GREEDY_CASES = {"correct": _greedy, "wrong": list(DEMO_WRONG.values())}


def test_implement_machinery_on_a_demo_exercise():
    from lib.matching import online_greedy

    registry = _demo_implement_registry()
    for seed in range(5):
        assert registry.check("ex-demo-greedy", _greedy, seed=seed).correct
    wrong = DEMO_WRONG
    for name, func in wrong.items():
        result = registry.check("ex-demo-greedy", func, seed=0)
        assert result.status == "incorrect" and "Differs on the instance" in result.message, name
        assert "size" in result.message
    # the smallest differing size is reported: no smaller size differs
    result = registry.check("ex-demo-greedy", wrong["ignores capacity"], seed=0)
    size = int(re.search(r"size (\d+)", result.message).group(1))
    assert size <= 2

    def wrapper(scores, order, capacity):
        return online_greedy(scores, capacity, order).pairs

    import lib.matching as mt

    aliased = online_greedy
    for func in (wrapper, lambda scores, order, capacity: mt.online_greedy(scores, capacity, order).pairs,
                 lambda scores, order, capacity: aliased(scores, capacity, order).pairs):  # fmt: skip
        result = registry.check("ex-demo-greedy", func, seed=0)
        assert result.status == "incorrect" and "unavailable" in result.message
    assert mt.online_greedy is online_greedy, "lib's function is restored after the check"
    assert online_greedy([[1.0]]).objective == 1.0
    assert registry.check("ex-demo-greedy", 3).status == "incorrect"
    assert registry.check("ex-demo-greedy", lambda **kw: None).status == "incorrect"
    crash = registry.check("ex-demo-greedy", lambda scores, order, capacity: 1 / 0)
    assert "ZeroDivisionError" in crash.message


def test_registration_is_validated():
    registry = Registry()
    registry.written("ex-demo-essay", "chapters/demo.ipynb", rubric=["Says why."])
    with pytest.raises(ValueError, match="two exercises"):
        registry.written("ex-demo-essay", "chapters/demo.ipynb", rubric=["Says why."])
    with pytest.raises(ValueError, match="kind"):
        registry.number("ex-demo-x", "chapters/demo.ipynb", expected=lambda: 1.0,
                        precision=Precision.sig(2), reread="r", kind="guess")  # fmt: skip
    with pytest.raises(ValueError, match="rubric"):
        registry.written("ex-demo-y", "chapters/demo.ipynb", rubric=[])
    with pytest.raises(ValueError, match="single expected"):
        registry.expected("ex-demo-essay")


def test_unknown_label_lists_the_known_ones():
    with pytest.raises(ValueError, match=re.escape("ex-match-without-worker")):
        check("ex-nope", 1)
    with pytest.raises(TypeError):
        check(3, 1)


def test_html_rendering_escapes_text():
    html = CheckResult("incorrect", "a < b & c")._repr_html_()
    assert "a &lt; b &amp; c" in html


def test_instructors_page_has_every_rubric():
    page = (ROOT / "chapters" / "instructors.md").read_text(encoding="utf-8")
    for label, e in EXERCISES.items():
        if e.kind == "written":
            assert f"`{label}`" in page
            for item in e.rubric:
                assert " ".join(item.split()) in " ".join(page.split()), (label, item)


# =====================================================================
# Never an exception, whatever the answer (hypothesis).

_junk_answers = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.fractions(), st.decimals(allow_nan=True, allow_infinity=True), st.complex_numbers(),
    st.text(max_size=6), st.binary(max_size=4),
    arrays(np.float64, array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)),
    arrays(np.int64, array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3)),
    arrays(np.complex128, array_shapes(min_dims=0, max_dims=1, min_side=0, max_side=2)),
    st.lists(st.tuples(st.integers(-2, 5), st.integers(-2, 5)), max_size=5),
    st.lists(st.floats(), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sampled_from([sp.Symbol("x"), sp.nan, sp.zoo, sp.oo, sp.I, sp.pi, sp.Rational(1, 3), sp.Matrix([1]),
                     sp.Integer(10) ** 500, sp.sqrt(-2), sp.Eq(sp.Symbol("x"), 1)]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(label=st.sampled_from(CHECKED), answer=_junk_answers)
def test_no_answer_raises(label, answer):
    result = check(label, answer, seed=0)
    assert isinstance(result, CheckResult)
    assert result.status in {"correct", "close", "incorrect", "not answered"}
    assert result.message


def test_student_edition_gives_every_written_exercise_an_answer_cell():
    from student_edition import student_notebook

    for label, e in EXERCISES.items():
        if e.kind != "written":
            continue
        cells = student_notebook(ROOT / e.chapter).cells
        where = [i for i, c in enumerate(cells) if f"**Exercise `{label}`.**" in c.source]
        assert len(where) == 1, label
        after = cells[where[0] + 1]
        assert after.cell_type == "markdown" and f"**Your answer to `{label}`**" in after.source
        assert cells[where[0]].source.rstrip().endswith(_exercise_text(label).split()[-1])


def test_the_checks_package_is_installed_with_lib():
    """Colab installs lib from the repository (not editable): every package
    folder of lib, lib/checks included, must be listed for setuptools."""
    import tomllib

    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    folders = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in (ROOT / "lib").rglob("__init__.py")}
    assert folders <= set(packages), f"add to [tool.setuptools] packages: {sorted(folders - set(packages))}"
