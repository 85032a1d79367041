"""References for the exercises of Part III, chapter 2 ("Reading a
classification report"): independent computations of their expected values,
and implementations, right and wrong, of the token-F1 exercise.

The references never call the function the registration calls: they count
by hand, or ask scikit-learn and seqeval.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

ARTICLE_ROWS = {  # the printed rows of seed 002 §5.4, typed from the article
    "B-LOC": (0.926, 0.906, 1668), "I-LOC": (0.900, 0.805, 257), "B-MISC": (0.875, 0.856, 702),
    "I-MISC": (0.838, 0.782, 216), "B-ORG": (0.914, 0.898, 1661), "I-ORG": (0.911, 0.894, 835),
    "B-PER": (0.964, 0.957, 1617), "I-PER": (0.983, 0.980, 1156), "O": (0.993, 0.995, 38323),
}  # fmt: skip


def micro_precision_of_b_rows_by_hand() -> float:
    """True positives recall x support, predictions tp / precision, pooled."""
    rows = [v for k, v in ARTICLE_ROWS.items() if k.startswith("B-")]
    tp = [r * n for _, r, n in rows]
    predictions = [t / p for t, (p, _, _) in zip(tp, rows)]
    return sum(tp) / sum(predictions)


def all_o_micro_f1_by_hand() -> float:
    """Every token predicted O: the O tokens are right, nothing else is."""
    return ARTICLE_ROWS["O"][2] / sum(n for _, _, n in ARTICLE_ROWS.values())


def chapter_entity_f1_by_seqeval() -> float:
    from seqeval.metrics import f1_score

    from lib.checks.p3_report import chapter_predictions

    true_tags, pred_tags = chapter_predictions()
    return float(f1_score(true_tags, pred_tags))


def _token_f1_correct(y_true, y_pred, labels):
    listed = set(labels)
    tp = sum(t == p and t in listed for t, p in zip(y_true, y_pred))
    predicted = sum(p in listed for p in y_pred)
    support = sum(t in listed for t in y_true)
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _token_f1_accuracy(y_true, y_pred, labels):  # ignores the labels: O always counted
    return sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true)


def _token_f1_macro(y_true, y_pred, labels):  # the mean of per-label F1s
    scores = []
    for label in labels:
        tp = sum(t == p == label for t, p in zip(y_true, y_pred))
        n_pred, n_true = Counter(y_pred)[label], Counter(y_true)[label]
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_true if n_true else 0.0
        scores.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    return float(np.mean(scores))


def _token_f1_all_predictions(y_true, y_pred, labels):  # divides by every prediction, listed or not
    listed = set(labels)
    tp = sum(t == p and t in listed for t, p in zip(y_true, y_pred))
    support = sum(t in listed for t in y_true)
    precision, recall = tp / len(y_pred), (tp / support if support else 0.0)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


TOKEN_F1_CASES = {
    "correct": _token_f1_correct,
    "wrong": [_token_f1_accuracy, _token_f1_macro, _token_f1_all_predictions],
}
