"""The exercises of Part III, chapter 2, against independent references
(tests/part3b_references.py)."""

from __future__ import annotations

import pytest

from lib.checks import check, expected
from part3b_references import (
    TOKEN_F1_CASES,
    _token_f1_correct,
    all_o_micro_f1_by_hand,
    chapter_entity_f1_by_seqeval,
    micro_precision_of_b_rows_by_hand,
)


@pytest.mark.parametrize(
    "label, reference",
    [("ex-report-micro-from-counts", micro_precision_of_b_rows_by_hand),
     ("ex-report-all-o", all_o_micro_f1_by_hand),
     ("ex-report-entity-f1", chapter_entity_f1_by_seqeval)],
)  # fmt: skip
def test_expected_values_agree_with_references(label, reference):
    value = reference()
    assert float(expected(label)) == pytest.approx(value, rel=1e-12)
    assert check(label, value).correct
    assert check(label, float(f"{value:.6g}")).correct  # typed with more digits than asked


def test_token_f1_implementations_are_told_apart():
    assert check("ex-report-token-f1-code", _token_f1_correct).correct
    for wrong in TOKEN_F1_CASES["wrong"]:
        result = check("ex-report-token-f1-code", wrong)
        assert not result.correct, wrong.__name__
    assert not check("ex-report-token-f1-code", 0.93).correct  # a printed number cannot pass


def test_token_f1_wrapper_of_lib_fails():
    from lib.metrics import classification_report

    def wrapper(y_true, y_pred, labels):
        return classification_report(y_true, y_pred, labels=labels)["micro avg"]["f1-score"]

    assert not check("ex-report-token-f1-code", wrapper).correct


def test_misconception_hints_fire_on_their_values():
    from lib.checks.p3_report import _all_o_scores, _b_precision, _leaky_entity_f1

    assert "plain mean" in check("ex-report-micro-from-counts", _b_precision("macro")).message
    assert "support" in check("ex-report-micro-from-counts", _b_precision("weighted")).message
    assert "O row alone" in check("ex-report-all-o", _all_o_scores()["O row"]).message
    assert "share" in check("ex-report-entity-f1", _leaky_entity_f1()).message
    # A rounded right answer is "close", never a misconception.
    assert check("ex-report-macro-no-o", round(float(expected("ex-report-macro-no-o")), 2)).status == "close"
