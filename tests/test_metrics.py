"""lib.metrics against scikit-learn (token level) and seqeval (entity level),
both test-only references, on random inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report as seqeval_report
from seqeval.scheme import IOB2
from sklearn.metrics import classification_report as sklearn_report
from sklearn.metrics import confusion_matrix as sklearn_confusion
from sklearn.metrics import precision_recall_fscore_support

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


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=300, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=6))
def test_strict_entity_report_equals_seqeval_strict_iob2(batch):
    true_tags = [t for t, _ in batch]
    pred_tags = [p for _, p in batch]
    ours = met.entity_report(true_tags, pred_tags, mode="strict")
    ref = seqeval_report(true_tags, pred_tags, output_dict=True, zero_division=0, mode="strict", scheme=IOB2)
    types = [k for k in ref if k not in ("micro avg", "macro avg", "weighted avg")]
    assert sorted(types) == sorted(k for k in ours if k not in ("micro avg", "macro avg", "weighted avg"))
    if types:
        _close(ours, ref, types + ["micro avg", "macro avg", "weighted avg"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=60))
def test_integer_labels_sorted_and_counted_like_sklearn(pairs):
    y_true, y_pred = [p[0] for p in pairs], [p[1] for p in pairs]
    ours = met.classification_report(y_true, y_pred)
    ref = sklearn_report(y_true, y_pred, output_dict=True, zero_division=0)
    labels = sorted(set(y_true) | set(y_pred))
    assert [k for k in ours if k not in ("micro avg", "macro avg", "weighted avg")] == [str(v) for v in labels]
    _close(ours, ref, [str(v) for v in labels] + ["macro avg", "weighted avg"])
    cm = met.confusion_matrix(y_true, y_pred)
    assert cm.labels == tuple(labels)
    assert np.array_equal(cm.counts, sklearn_confusion(y_true, y_pred, labels=labels))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(LABELS)), min_size=1, max_size=40),
       st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))  # fmt: skip
def test_confusion_matrix_equals_sklearn_on_listed_labels(pairs, labels):
    y_true, y_pred = [p[0] for p in pairs], [p[1] for p in pairs]
    brute = [[sum(t == a and p == b for t, p in pairs) for b in labels] for a in labels]
    assert met.confusion_matrix(y_true, y_pred, labels=labels).counts.tolist() == brute


def test_counts_scale_linearly_with_many_classes():
    """10,000 items over 3,000 classes: the same report as scikit-learn's (the speed is in benchmarks/)."""
    rng = np.random.default_rng(0)
    y_true = [f"c{k}" for k in rng.integers(3000, size=10_000)]
    y_pred = [t if rng.random() < 0.7 else f"c{rng.integers(3000)}" for t in y_true]
    ours = met.classification_report(y_true, y_pred)
    ref = sklearn_report(y_true, y_pred, output_dict=True, zero_division=0)
    keys = [k for k in ref if k not in ("accuracy", "micro avg")]
    _close(ours, ref, keys)
    assert ours["micro avg"]["f1-score"] == pytest.approx(ref["accuracy"], abs=1e-12)


# Reports whose rows are consistent: computed from real labels by scikit-learn,
# over a chosen subset of labels, with classes that are predicted but absent
# from the truth (precision 0 with predictions > 0) and classes never predicted.
labelled = st.integers(2, 7).flatmap(
    lambda k: st.tuples(
        st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), min_size=1, max_size=300),
        st.lists(st.integers(0, k - 1), min_size=1, max_size=k, unique=True),
        st.integers(0, 40),
        st.sampled_from([1, 2, 3]),
    )
)


@settings(max_examples=400, deadline=None)
@given(labelled)
def test_interval_helpers_contain_the_truth(case):
    pairs, labels, stray, decimals = case
    y_true = [t for t, _ in pairs] + [0] * stray
    y_pred = [p for _, p in pairs] + [max(labels) + 1] * stray  # a label absent from the truth
    if stray:
        labels = [*labels, max(labels) + 1]
    ref = sklearn_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    rows = {lab: tuple(round(ref[str(lab)][f], decimals) for f in ("precision", "recall", "f1-score"))
            + (ref[str(lab)]["support"],) for lab in labels}  # fmt: skip
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="micro", zero_division=0)
    interval = met.micro_average_interval(rows, decimals=decimals)
    for field, truth in (("precision", p), ("recall", r), ("f1-score", f)):
        lo, hi = interval[field]
        assert lo <= truth <= hi, (field, truth, interval[field], rows)
    predictions = int(np.isin(y_pred, labels).sum())  # counted directly
    lo, hi = met.implied_prediction_count(rows, decimals=decimals)
    assert lo <= predictions <= hi, (predictions, lo, hi, rows)


def test_precision_zero_with_predictions_is_unbounded():
    # Class "c" is predicted 5 times and never right: precision 0, recall 0, support 0.
    y_true = ["a"] * 10 + ["b"] * 10 + ["a"] * 5
    y_pred = ["a"] * 10 + ["b"] * 10 + ["c"] * 5
    rep = met.classification_report(y_true, y_pred)
    rows = {k: tuple(round(rep[k][f], 3) for f in ("precision", "recall", "f1-score")) + (rep[k]["support"],)
            for k in "abc"}  # fmt: skip
    lo, hi = met.implied_prediction_count(rows)
    assert lo <= 25 <= hi == np.inf
    lo, hi = met.micro_average_interval(rows)["precision"]
    assert lo == 0.0 and lo <= 20 / 25 <= hi


TYPES3 = ["PER", "LOC", "ORG"]
iob2_sentence = st.lists(st.tuples(st.sampled_from(TYPES3), st.integers(1, 3), st.integers(0, 2)), max_size=5).map(
    lambda spans: [t for ty, n, gap in spans for t in ["O"] * gap + [f"B-{ty}"] + [f"I-{ty}"] * (n - 1)]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(iob2_sentence.flatmap(
    lambda s: st.tuples(st.just(s), st.lists(st.sampled_from(TAG_SET), min_size=len(s), max_size=len(s)))),
    min_size=1, max_size=5))  # fmt: skip
def test_b_rows_bound_strict_entity_recall(batch):
    """With valid IOB2 truth, each B-X support is the number of X entities, and
    strict entity recall of X is at most the token recall of B-X."""
    true_tags = [t for t, _ in batch]
    pred_tags = [p for _, p in batch]
    flat_true = [t for s in true_tags for t in s]
    flat_pred = [t for s in pred_tags for t in s]
    if not flat_true:
        return
    strict = met.entity_report(true_tags, pred_tags, mode="strict")
    for ty in TYPES3:
        b = f"B-{ty}"
        support_b = flat_true.count(b)
        entities = sum(1 for s in true_tags for e in met.extract_entities(s) if e[0] == ty)
        assert support_b == entities
        if support_b:
            recall_b = sum(t == p == b for t, p in zip(flat_true, flat_pred)) / support_b
            assert strict[ty]["recall"] <= recall_b + 1e-12


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
        (lambda: met.classification_report([1, 2], ["1", "2"]), TypeError, "one kind"),
        (lambda: met.classification_report(["a", "b"], ["a", "b"], labels=[1]), TypeError, "one kind"),
        (lambda: met.classification_report([1, "1"], [1, 1]), TypeError, "mixes"),
        (lambda: met.classification_report([1.0, float("nan")], [1.0, 1.0]), ValueError, "NaN"),
        (lambda: met.confusion_matrix(["a"], ["a", "b"]), ValueError, "same length"),
        (lambda: met.entity_report([["B-PER"]], [["B-PER"]], mode="loose"), ValueError, "mode"),
        (lambda: met.extract_entities(["S-PER"], mode="strict"), ValueError, "IOB2"),
        (lambda: met.extract_entities(["B-PER", 3]), TypeError, "strings"),
    ],
)
def test_metrics_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
