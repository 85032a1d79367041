"""The exercises of Part I: right answers in every numeric type, each misconception's
own hint, independent references, and the implement exercises against correct,
wrong and wrapping functions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import part1_references as ref
from lib.checks import check, exercises, expected

PART1 = "chapters/part1_policy/"
NEW_NUMERIC = {
    "ex-coord-multiplier": lambda: ref.multiplier_by_slsqp(55.0),
    "ex-coord-step-limit": ref.step_limit_by_finite_differences,
    "ex-coord-cheaper-support": lambda: ref.cross_effect_part_by_slsqp(1.0),
    "ex-policy-weighted-loss": ref.weighted_gradient_by_finite_difference,
    "ex-example-support-progression": ref.progression_support_by_hand,
}
IMPLEMENT = {
    "ex-coord-projected-step": ref.PROJECTED_STEP_CASES,
    "ex-policy-implement-gradient": ref.GRADIENT_CASES,
    "ex-example-implement-progression": ref.PROGRESSION_CASES,
}


def _part1():
    return {e.label: e for e in exercises() if e.chapter.startswith(PART1)}


def test_every_part1_chapter_has_derive_implement_and_model():
    kinds: dict[str, set] = {}
    for e in _part1().values():
        kinds.setdefault(e.chapter, set()).add(e.kind)
    assert len(kinds) == 3
    for chapter, found in kinds.items():
        assert {"derive", "implement", "model"} <= found, chapter


@pytest.mark.parametrize("label", sorted(NEW_NUMERIC))
def test_expected_agrees_with_an_independent_reference(label):
    assert np.isclose(float(expected(label)), NEW_NUMERIC[label](), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("label", sorted(NEW_NUMERIC))
def test_a_right_answer_passes_in_every_numeric_type(label):
    value = float(expected(label))
    for answer in (value, np.float32(value), np.array([value]), Fraction(value).limit_denominator(10**9),
                   sp.Float(value), round(value, 6)):  # fmt: skip
        assert check(label, answer).correct, (label, type(answer))


@pytest.mark.parametrize("label", sorted(NEW_NUMERIC))
def test_each_misconception_gets_its_own_hint(label):
    e = _part1()[label]
    assert e.misconceptions, label
    for name, misconception in e.misconceptions.items():
        result = check(label, float(misconception.value()))
        assert result.status == "incorrect" and misconception.hint in result.message, (label, name, result)


def test_step_limit_hint_names_the_missing_one_over_n():
    wrong = ref.step_limit_by_finite_differences() / 100  # the limit for the gradient of the sum
    result = check("ex-coord-step-limit", wrong)
    assert result.status == "incorrect" and "1/N" in result.message


def test_a_wrongly_shaped_answer_is_incorrect_not_a_crash():
    for label in NEW_NUMERIC:
        assert check(label, "twelve").status == "incorrect"
        assert check(label, [1.0, 2.0]).status == "incorrect"


@pytest.mark.parametrize("label", sorted(IMPLEMENT))
def test_implement_exercises(label):
    cases = IMPLEMENT[label]
    for seed in range(3):
        assert check(label, cases["correct"], seed=seed).correct
    for wrong in cases["wrong"]:
        result = check(label, wrong, seed=0)
        assert result.status == "incorrect" and "Differs on the instance" in result.message, result
    assert check(label, 3.0).status == "incorrect"
