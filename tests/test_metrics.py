"""lib.metrics against scikit-learn (token level) and seqeval (entity level),
both test-only references, on random inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report as seqeval_report
from sklearn.metrics import classification_report as sklearn_report

from lib import metrics as met

LABELS = ["a", "b", "c", "d"]
TAG_SET = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


def _close(ours: dict, ref: dict, keys) -> None:
    for key in keys:
        for field in ("precision", "recall", "f1-score", "support"):
            assert ours[key][field] == pytest.approx(ref[key][field], abs=1e-12), (key, field)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(LABELS)), min_size=1, max_size=60),
       st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))  # fmt: skip
def test_classification_report_equals_sklearn(pairs, labels):
    y_true, y_pred = [p[0] for p in pairs], [p[1] for p in pairs]
    ours = met.classification_report(y_true, y_pred, labels=labels)
    ref = sklearn_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    keys = labels + [k for k in ("micro avg", "macro avg", "weighted avg") if k in ref]
    _close(ours, ref, keys)
    if "micro avg" not in ref:  # sklearn prints accuracy instead when all labels are listed
        assert ours["micro avg"]["f1-score"] == pytest.approx(ref["accuracy"], abs=1e-12)


sentences = st.integers(1, 12).flatmap(
    lambda n: st.tuples(st.lists(st.sampled_from(TAG_SET), min_size=n, max_size=n),
                        st.lists(st.sampled_from(TAG_SET), min_size=n, max_size=n)))  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # seqeval's NaN averages
@settings(max_examples=300, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=6))
def test_entity_report_equals_seqeval(batch):
    true_tags = [t for t, _ in batch]
    pred_tags = [p for _, p in batch]
    ours = met.entity_report(true_tags, pred_tags)
    ref = seqeval_report(true_tags, pred_tags, output_dict=True, zero_division=0)
    types = [k for k in ref if k not in ("micro avg", "macro avg", "weighted avg")]
    if not types:  # no entity anywhere: seqeval's averages are NaN, ours 0 with support 0
        assert all(ours[k]["support"] == 0 and ours[k]["f1-score"] == 0 for k in ("micro avg", "macro avg"))
        return
    assert sorted(types) == sorted(k for k in ours if k not in ("micro avg", "macro avg", "weighted avg"))
    _close(ours, ref, types + ["micro avg", "macro avg", "weighted avg"])


def test_article_rows_recomputed():
    avg = met.averages_from_rows(met.ARTICLE_NER_REPORT)
    macro = met.ARTICLE_NER_SUMMARY["macro avg"]
    for k, field in enumerate(("precision", "recall", "f1-score")):
        assert round(avg["macro avg"][field], 3) == macro[k]
    lo, hi = met.micro_average_interval(met.ARTICLE_NER_REPORT)["f1-score"]
    assert not lo <= met.ARTICLE_NER_SUMMARY["micro avg"][2] <= hi  # the printed 0.973 is impossible
    assert sum(row[3] for row in met.ARTICLE_NER_REPORT.values()) == met.ARTICLE_NER_SUMMARY["micro avg"][3]


def test_rounding_interval_contains_truth():
    rng = np.random.default_rng(3)
    for _ in range(200):
        y_true = rng.integers(0, 4, 300)
        y_pred = np.where(rng.random(300) < 0.8, y_true, rng.integers(0, 4, 300))
        rep = met.classification_report(y_true.tolist(), y_pred.tolist(), labels=[0, 1, 2, 3])
        rows = {k: tuple(round(rep[str(k)][f], 3) for f in ("precision", "recall", "f1-score")) + (rep[str(k)]["support"],)
                for k in range(4)}  # fmt: skip
        interval = met.micro_average_interval(rows)
        for field in ("precision", "recall", "f1-score"):
            lo, hi = interval[field]
            assert lo - 1e-12 <= rep["micro avg"][field] <= hi + 1e-12
        lo, hi = met.implied_prediction_count(rows)
        assert lo - 1e-9 <= 300 <= hi + 1e-9 or any(rows[k][0] == 0 for k in range(4))
        for k in range(4):
            lo, hi = met.f1_interval(rows[k][0], rows[k][1])
            assert lo - 1e-12 <= rep[str(k)]["f1-score"] <= hi + 1e-12


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: met.classification_report(["a"], ["a", "b"]), ValueError, "same length"),
        (lambda: met.classification_report([], []), ValueError, "empty"),
        (lambda: met.classification_report("ab", "ab"), TypeError, "sequence"),
        (lambda: met.classification_report([["a"]], [["a"]]), TypeError, "flat"),
        (lambda: met.classification_report(["a"], ["a"], labels=["a", "a"]), ValueError, "duplicates"),
        (lambda: met.entity_report([["O"]], [["O"], ["O"]]), ValueError, "sentences"),
        (lambda: met.entity_report([["O", "O"]], [["O"]]), ValueError, "sentence 0"),
        (lambda: met.entity_report([["X-PER"]], [["O"]]), ValueError, "B-TYPE"),
        (lambda: met.entity_report(["O"], ["O"]), TypeError, "list of tags"),
        (lambda: met.averages_from_rows({"a": (1.2, 0.5, 0.5, 3)}), ValueError, r"\[0, 1\]"),
        (lambda: met.averages_from_rows({"a": (0.5, 0.5)}), ValueError, "precision, recall"),
        (lambda: met.averages_from_rows([]), TypeError, "dict"),
        (lambda: met.micro_average_interval({"a": (0.5, 0.5, 0.5, 3)}, decimals=-1), ValueError, "decimals"),
    ],
)
def test_metrics_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
