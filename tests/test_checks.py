"""lib.checks: every exercise check says "not answered" on the placeholder,
accepts the right answer, explains a wrong one without revealing it, and
never crashes on a wrongly shaped answer."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lib.checks import CheckResult, check, exercise_labels
from lib import metrics as met
from lib import ner
from lib import matching as mt
from lib import policy as pol
from lib import regression as reg
from lib.checks import _chapter_problem
from lib.matching import ARTICLE_SCORES, solve_matching, source_lp

# The right answer of each exercise, computed from lib (as the solutions do).
RIGHT_ANSWERS = {
    "ex-match-without-worker": lambda: solve_matching(ARTICLE_SCORES, [1, 1, 1, 0]).objective,
    "ex-match-double-capacity": lambda: solve_matching(ARTICLE_SCORES, [2, 1, 1, 1]).pairs,
    "ex-source-lp-value": lambda: source_lp(ARTICLE_SCORES, [2, 1, 1, 1]).objective,
    "ex-policy-grad-industry": lambda: float(pol.industry_gradient([4.0, 2.0, 6.0], [1.0, 2.0, 3.0])[0]),
    "ex-policy-hessian-eig": lambda: 2 / 4,
    "ex-policy-article-factor": lambda: 100.0,
    "ex-example-J-progression": lambda: pol.example_J("progression", 1.0),
    "ex-example-support-needed": lambda: float(pol.required_constant_support("stretched")),
    "ex-example-J-no-support": lambda: pol.example_J("stretched", 0.0),
    "ex-coord-multiplier": lambda: pol.coordinated_optimum(_chapter_problem(55.0)).multiplier,
    "ex-coord-step-limit": lambda: 0.5,
    "ex-coord-mean-education": lambda: float(np.mean(pol.coordinated_optimum(_chapter_problem(50.0)).E)),
    "ex-ls-test-mse": lambda: _ls_test_mse(),
    "ex-ls-stable-lr": lambda: _stable_lr(),
    "ex-ls-condition-raw": lambda: reg.design_condition_number(reg.make_quality_data(200, seed=0).X),
    "ex-report-macro-no-o": lambda: float(np.mean([v[2] for k, v in met.ARTICLE_NER_REPORT.items() if k != "O"])),
    "ex-report-weighted-recall": lambda: met.averages_from_rows(met.ARTICLE_NER_REPORT)["weighted avg"]["recall"],
    "ex-report-entity-f1": lambda: _entity_f1(),
    "ex-dual-left-slope": lambda: 0.6,
    "ex-dual-integrality-gap": lambda: 2.0,
    "ex-dual-tu-pairs": lambda: True,
    "ex-online-eps-ratio": lambda: 0.05,
    "ex-online-mean-ratio": lambda: float(mt.random_order_ratios(*_skill(), n_orders=200, seed=1).mean()),
    "ex-online-screened-total": lambda: mt.solve_matching(mt.screen_scores(_skill()[0], 1.0), _skill()[1]).objective,
}
WRONG_ANSWERS = {
    "ex-match-without-worker": [0.0, 2.8, 100.0],
    "ex-match-double-capacity": [[(0, 3), (1, 0), (2, 2), (3, 1)], [(0, 0), (1, 0), (2, 0)], [(9, 0)]],
    "ex-source-lp-value": [9.1, 1000.0],
    "ex-policy-grad-industry": [2.0, -6.0],
    "ex-policy-hessian-eig": [2.0, 0.25],
    "ex-policy-article-factor": [0.01, 2.0],
    "ex-example-J-progression": [5.6, 100.0],
    "ex-example-support-needed": [0.0, -5.0],
    "ex-example-J-no-support": [5.6, 1000.0],
    "ex-coord-multiplier": [0.0, 100.0],
    "ex-coord-step-limit": [2.0, 0.1],
    "ex-coord-mean-education": [60.0, 10.0],
    "ex-ls-test-mse": [0.0, 50.0],
    "ex-ls-stable-lr": [10.0, 0.01],
    "ex-ls-condition-raw": [1.0, 1e9],
    "ex-report-macro-no-o": [0.909, 0.5],
    "ex-report-weighted-recall": [0.973, 0.999],
    "ex-report-entity-f1": [0.99, 0.1],
    "ex-dual-left-slope": [0.0, 0.9],
    "ex-dual-integrality-gap": [0.0, 7.0],
    "ex-dual-tu-pairs": [False],
    "ex-online-eps-ratio": [1.0, 0.5],
    "ex-online-mean-ratio": [1.0, 0.5],
    "ex-online-screened-total": [24.666666666666664, 30.0],
}


def _skill():
    inst = mt.make_skill_instance(30, 8, 6, seed=0)
    return mt.skill_scores(inst.tasks, inst.workers), inst.capacity


def _ls_test_mse():
    data = reg.make_quality_data(200, seed=0)
    X_tr, X_te, y_tr, y_te = reg.train_test_split(data.X, data.y, 0.2, seed=42)
    return reg.mean_squared_error(y_te, reg.predict(reg.fit_least_squares(X_tr, y_tr), X_te))


def _stable_lr():
    X = reg.make_quality_data(200, seed=0).X
    Z = (X - X.mean(0)) / X.std(0)
    return float(2 / np.linalg.eigvalsh(2 * Z.T @ Z / len(Z)).max())


def _entity_f1():
    train, test = ner.make_ner_corpus(300, seed=0), ner.make_ner_corpus(200, seed=1)
    pred = ner.predict_tags(ner.train_token_tagger(train.sentences, train.tags), test.sentences)
    return met.entity_report(test.tags, pred)["micro avg"]["f1-score"]
BAD_SHAPES = ["2.8", [1, 2], {"a": 1}, float("nan"), True, object(), 3 + 1j]


def test_every_registered_check_is_covered_here():
    assert set(exercise_labels()) == set(RIGHT_ANSWERS)


@pytest.mark.parametrize("label", sorted(RIGHT_ANSWERS))
def test_placeholder_is_not_answered(label):
    for placeholder in (..., None):
        result = check(label, placeholder)
        assert result.status == "not answered"
        assert "not answered yet" in result.message.lower()


@pytest.mark.parametrize("label", sorted(RIGHT_ANSWERS))
def test_right_answer_is_correct(label):
    assert check(label, RIGHT_ANSWERS[label]()).correct


@pytest.mark.parametrize("label", sorted(WRONG_ANSWERS))
def test_wrong_answers_are_explained_without_the_solution(label):
    right = RIGHT_ANSWERS[label]()
    for wrong in WRONG_ANSWERS[label]:
        result = check(label, wrong)
        assert result.status == "incorrect", wrong
        assert len(result.message) > 20
        if isinstance(right, float):
            for digits in (f"{right:.1f}", f"{right:.2f}", f"{right:g}", repr(right)):
                assert digits not in result.message
        else:
            assert str(right) not in result.message


@pytest.mark.parametrize("label", sorted(RIGHT_ANSWERS))
def test_wrongly_shaped_answers_do_not_crash(label):
    for bad in BAD_SHAPES:
        if isinstance(bad, bool) and bad == RIGHT_ANSWERS[label]():
            continue  # True is the right answer of a yes/no exercise
        result = check(label, bad)
        assert isinstance(result, CheckResult)
        assert result.status == "incorrect"


def test_numpy_answers_are_accepted():
    right = RIGHT_ANSWERS["ex-match-without-worker"]()
    assert check("ex-match-without-worker", np.float64(right)).correct
    pairs = np.array(RIGHT_ANSWERS["ex-match-double-capacity"]())
    assert check("ex-match-double-capacity", pairs).correct


def test_unknown_label_lists_the_known_ones():
    with pytest.raises(ValueError, match=re.escape("ex-match-without-worker")):
        check("ex-nope", 1)
    with pytest.raises(TypeError):
        check(3, 1)


def test_html_rendering_escapes_text():
    html = CheckResult("incorrect", "a < b & c")._repr_html_()
    assert "a &lt; b &amp; c" in html
