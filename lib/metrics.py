"""Reading a classification report (seed 002, §5.2 second part and §5.4).

* :func:`classification_report` -- per-label precision, recall, F1 and
  support, with micro, macro and weighted averages, shaped like
  scikit-learn's ``output_dict``;
* :func:`averages_from_rows` -- the three averages recomputed from a
  printed report's per-class rows, and :func:`micro_average_interval`, the
  range a micro average can take when those rows are rounded;
* :func:`entity_report` -- entity-level scores for BIO-tagged sequences
  (an entity counts only if its type and both ends are right), following
  the CoNLL evaluation script's chunk rules.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = [
    "classification_report",
    "averages_from_rows",
    "micro_average_interval",
    "implied_prediction_count",
    "f1_from",
    "f1_interval",
    "extract_entities",
    "entity_report",
    "ARTICLE_NER_REPORT",
    "ARTICLE_NER_SUMMARY",
]

#: Per-class rows of the report printed in seed 002 §5.4: (precision, recall, f1, support).
ARTICLE_NER_REPORT = {
    "B-LOC": (0.926, 0.906, 0.916, 1668),
    "I-LOC": (0.900, 0.805, 0.850, 257),
    "B-MISC": (0.875, 0.856, 0.865, 702),
    "I-MISC": (0.838, 0.782, 0.809, 216),
    "B-ORG": (0.914, 0.898, 0.906, 1661),
    "I-ORG": (0.911, 0.894, 0.902, 835),
    "B-PER": (0.964, 0.957, 0.960, 1617),
    "I-PER": (0.983, 0.980, 0.982, 1156),
    "O": (0.993, 0.995, 0.994, 38323),
}
#: Summary lines of the same report: (precision, recall, f1, support).
ARTICLE_NER_SUMMARY = {
    "micro avg": (0.973, 0.973, 0.973, 46435),
    "macro avg": (0.923, 0.897, 0.909, 46435),
    "weighted avg": (0.973, 0.973, 0.973, 46435),
}


def f1_from(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0).

    Examples
    --------
    >>> round(f1_from(0.9, 0.805), 4)
    0.8498
    """
    return (
        0.0
        if precision + recall == 0
        else 2 * precision * recall / (precision + recall)
    )


def _scores(tp: np.ndarray, predicted: np.ndarray, support: np.ndarray) -> tuple:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / np.maximum(predicted, 1), 0.0)
        recall = np.where(support > 0, tp / np.maximum(support, 1), 0.0)
        denom = precision + recall
        f1 = np.where(
            denom > 0, 2 * precision * recall / np.where(denom > 0, denom, 1), 0.0
        )
    return precision, recall, f1


def _report_from_counts(labels: Sequence[Any], tp, predicted, support) -> dict:
    tp, predicted, support = (
        np.asarray(a, dtype=float) for a in (tp, predicted, support)
    )
    precision, recall, f1 = _scores(tp, predicted, support)
    report: dict[str, dict[str, float]] = {}
    for k, label in enumerate(labels):
        report[str(label)] = {
            "precision": float(precision[k]),
            "recall": float(recall[k]),
            "f1-score": float(f1[k]),
            "support": float(support[k]),
        }
    total = float(support.sum())
    mp, mr, mf = _scores(
        np.array([tp.sum()]), np.array([predicted.sum()]), np.array([total])
    )
    report["micro avg"] = {"precision": float(mp[0]), "recall": float(mr[0]),
                           "f1-score": float(mf[0]), "support": total}  # fmt: skip

    def mean(a: np.ndarray) -> float:
        return float(a.mean()) if a.size else 0.0

    report["macro avg"] = {"precision": mean(precision), "recall": mean(recall),
                           "f1-score": mean(f1), "support": total}  # fmt: skip
    weights = support / total if total > 0 else np.zeros_like(support)
    report["weighted avg"] = {
        "precision": float(weights @ precision),
        "recall": float(weights @ recall),
        "f1-score": float(weights @ f1),
        "support": total,
    }
    return report


def _as_label_list(values: Any, name: str) -> list:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(
            f"{name} must be a sequence of labels; got {type(values).__name__}."
        )
    values = list(values)
    for v in values:
        if isinstance(v, (list, tuple, np.ndarray)):
            raise TypeError(
                f"{name} must be a flat sequence of labels; got a nested sequence "
                "(flatten the sentences first, or use entity_report)."
            )
    return values


def classification_report(
    y_true: Any, y_pred: Any, labels: Sequence[Any] | None = None
) -> dict:
    """Per-label and averaged precision, recall and F1 of a single-label classifier.

    Parameters
    ----------
    y_true, y_pred : sequence of labels (the same length)
    labels : sequence, optional
        The labels to report, in order; default: every label seen, sorted.

    Returns
    -------
    dict
        ``{label: {"precision", "recall", "f1-score", "support"}}`` for each
        label, plus ``"micro avg"``, ``"macro avg"`` and ``"weighted avg"``
        (always present, computed over ``labels``). A ratio with a zero
        denominator is 0, as scikit-learn's ``zero_division=0``.

    Examples
    --------
    >>> rep = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> rep["a"]["recall"], rep["b"]["precision"], rep["micro avg"]["f1-score"]
    (0.5, 0.6666666666666666, 0.75)
    """
    y_true = _as_label_list(y_true, "y_true")
    y_pred = _as_label_list(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true and y_pred must have the same length; got {len(y_true)} and {len(y_pred)}."
        )
    if not y_true:
        raise ValueError("y_true is empty; there is nothing to score.")
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred), key=str)
    else:
        labels = _as_label_list(labels, "labels")
        if not labels:
            raise ValueError("labels is empty.")
        if len(set(labels)) != len(labels):
            raise ValueError("labels contains duplicates.")
    t, p = np.array(y_true, dtype=object), np.array(y_pred, dtype=object)
    tp = [np.sum((t == lab) & (p == lab)) for lab in labels]
    predicted = [np.sum(p == lab) for lab in labels]
    support = [np.sum(t == lab) for lab in labels]
    return _report_from_counts(labels, tp, predicted, support)


def _check_rows(rows: Any) -> dict:
    if not isinstance(rows, dict) or not rows:
        raise TypeError(
            "rows must be a non-empty dict {label: (precision, recall, f1, support)}."
        )
    for label, row in rows.items():
        if not hasattr(row, "__len__") or len(row) != 4:
            raise ValueError(
                f"row {label!r} must be (precision, recall, f1, support); got {row!r}."
            )
        p, r, f, s = row
        if not all(isinstance(v, (int, float, np.integer, np.floating)) for v in row):
            raise TypeError(f"row {label!r} must hold numbers; got {row!r}.")
        if not (0 <= p <= 1 and 0 <= r <= 1 and 0 <= f <= 1) or s < 0:
            raise ValueError(
                f"row {label!r}: scores must lie in [0, 1] and support be >= 0; got {row!r}."
            )
    return rows


def averages_from_rows(rows: dict) -> dict:
    """Micro, macro and weighted averages recomputed from per-class rows.

    Macro and weighted averages need only the rows. The micro average needs
    counts: true positives are ``recall * support`` and predictions
    ``true positives / precision``; with rounded rows these are estimates
    (see :func:`micro_average_interval` for the exact range).

    Examples
    --------
    >>> avg = averages_from_rows({"a": (0.5, 1.0, 2 / 3, 1), "b": (1.0, 0.5, 2 / 3, 2)})
    >>> avg["macro avg"]["recall"], avg["weighted avg"]["recall"]
    (0.75, 0.6666666666666666)
    """
    rows = _check_rows(rows)
    labels = list(rows)
    p = np.array([rows[k][0] for k in labels], dtype=float)
    r = np.array([rows[k][1] for k in labels], dtype=float)
    f = np.array([rows[k][2] for k in labels], dtype=float)
    s = np.array([rows[k][3] for k in labels], dtype=float)
    tp = r * s
    with np.errstate(divide="ignore", invalid="ignore"):
        predicted = np.where(p > 0, tp / np.where(p > 0, p, 1), 0.0)
    total = s.sum()
    micro_p = tp.sum() / predicted.sum() if predicted.sum() > 0 else 0.0
    micro_r = tp.sum() / total if total > 0 else 0.0
    w = s / total if total > 0 else np.zeros_like(s)
    return {
        "micro avg": {"precision": float(micro_p), "recall": float(micro_r),
                      "f1-score": float(f1_from(micro_p, micro_r)), "support": float(total)},
        "macro avg": {"precision": float(p.mean()), "recall": float(r.mean()),
                      "f1-score": float(f.mean()), "support": float(total)},
        "weighted avg": {"precision": float(w @ p), "recall": float(w @ r),
                         "f1-score": float(w @ f), "support": float(total)},
    }  # fmt: skip


def _half_width(decimals: int) -> float:
    """Half the last printed digit: a value printed to ``decimals`` places is within it."""
    if (
        isinstance(decimals, bool)
        or not isinstance(decimals, int)
        or not 0 <= decimals <= 15
    ):
        raise ValueError(f"decimals must be an integer from 0 to 15; got {decimals!r}.")
    return 0.5 * 10.0**-decimals


def _row_columns(rows: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and support of validated rows, as arrays."""
    rows = _check_rows(rows)
    return tuple(
        np.array([v[k] for v in rows.values()], dtype=float) for k in (0, 1, 3)
    )


def f1_interval(
    precision: float, recall: float, decimals: int = 3
) -> tuple[float, float]:
    """Range of F1 consistent with a precision and recall rounded to ``decimals``.

    F1 increases in both arguments, so its extremes are at the corners.

    Examples
    --------
    >>> lo, hi = f1_interval(0.983, 0.980)
    >>> bool(lo <= 0.9815 <= hi)
    True
    """
    for name, value in (("precision", precision), ("recall", recall)):
        if isinstance(value, bool) or not isinstance(
            value, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"{name} must be a number; got {value!r}.")
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must lie in [0, 1]; got {value}.")
    h = _half_width(decimals)
    lo = f1_from(max(precision - h, 0.0), max(recall - h, 0.0))
    hi = f1_from(min(precision + h, 1.0), min(recall + h, 1.0))
    return float(lo), float(hi)


def _extreme_harmonic_mean(
    values: np.ndarray, w_lo: np.ndarray, w_hi: np.ndarray, *, largest: bool
) -> float:
    """Extreme of sum(w) / sum(w / values) over weights w_lo <= w <= w_hi.

    The optimum gives the upper weight to the values on one side of a
    threshold and the lower weight to the rest; every threshold is tried.
    """
    order = np.argsort(values)
    if largest:
        order = order[::-1]
    best = None
    for k in range(len(values) + 1):
        w = w_lo.copy()
        w[order[:k]] = w_hi[order[:k]]
        if w.sum() <= 0:
            continue
        value = float(w.sum() / (w / values).sum())
        if best is None or (value > best if largest else value < best):
            best = value
    return 0.0 if best is None else best


def implied_prediction_count(rows: dict, decimals: int = 3) -> tuple[float, float]:
    """Range of the number of predictions, sum over classes of tp / precision,
    implied by rows rounded to ``decimals`` places.

    In a single-label task where every item receives one of the listed
    labels, this must contain the total support.

    Examples
    --------
    >>> lo, hi = implied_prediction_count({"a": (0.5, 1.0, 2 / 3, 10)}, decimals=3)
    >>> bool(lo < 20 < hi)
    True
    """
    p, r, s = _row_columns(rows)
    h = _half_width(decimals)
    positive = p > 0
    lo = np.sum(
        np.clip(r - h, 0, 1)[positive] * s[positive] / np.minimum(p[positive] + h, 1)
    )
    hi = np.sum(
        np.clip(r + h, 0, 1)[positive]
        * s[positive]
        / np.maximum(p[positive] - h, 1e-12)
    )
    return float(lo), float(hi)


def micro_average_interval(
    rows: dict, decimals: int = 3
) -> dict[str, tuple[float, float]]:
    """Range of the micro-averaged precision, recall and F1 consistent with rows
    rounded to ``decimals`` places.

    Each printed value v stands for a true value in [v - h, v + h] with
    h = 0.5 * 10**-decimals. True positives ``recall * support`` and
    predictions ``tp / precision`` then lie in intervals, and so do their
    ratios; the F1 bounds combine the precision and recall bounds (F1 is
    increasing in both).

    Examples
    --------
    >>> lo, hi = micro_average_interval({"a": (0.5, 0.5, 0.5, 100)})["recall"]
    >>> round(lo, 4), round(hi, 4)
    (0.4995, 0.5005)
    """
    p, r, s = _row_columns(rows)
    h = _half_width(decimals)
    r_lo, r_hi = np.clip(r - h, 0, 1), np.clip(r + h, 0, 1)
    p_lo, p_hi = np.clip(p - h, 1e-12, 1), np.clip(p + h, 1e-12, 1)
    tp_lo, tp_hi = r_lo * s, r_hi * s
    total = s.sum()
    recall = (float(tp_lo.sum() / total), float(tp_hi.sum() / total))
    # Micro precision sum(tp) / sum(tp / p) is a tp-weighted harmonic mean of
    # the p's: increasing in each p, so its extremes take p at a bound; over
    # the box of tp's it is a linear-fractional function, extreme at a vertex.
    precision = (
        _extreme_harmonic_mean(p_lo, tp_lo, tp_hi, largest=False),
        _extreme_harmonic_mean(p_hi, tp_lo, tp_hi, largest=True),
    )
    f1 = (f1_from(precision[0], recall[0]), f1_from(precision[1], recall[1]))
    return {"precision": precision, "recall": recall, "f1-score": f1}


# ------------------------------------------------------------- entities


def _split_tag(tag: str) -> tuple[str, str]:
    if tag == "O" or not tag:
        return "O", ""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BIES":
        return tag[0], tag[2:]
    raise ValueError(f"tag {tag!r} is not 'O' or of the form B-TYPE / I-TYPE.")


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    # The rules of the CoNLL evaluation script (conlleval), as seqeval applies them.
    if prev_tag in ("E", "S"):
        return True
    if prev_tag == "B" and tag in ("B", "S", "O"):
        return True
    if prev_tag == "I" and tag in ("B", "S", "O"):
        return True
    return prev_tag != "O" and prev_type != type_


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag != "O" and prev_type != type_


def extract_entities(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities ``(type, first, last)`` of one BIO-tagged sentence.

    An ``I-`` tag that does not continue an entity of its type starts a new
    one (the CoNLL script's lenient rule).

    Examples
    --------
    >>> extract_entities(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
    [('PER', 0, 1), ('LOC', 3, 3), ('LOC', 4, 4), ('ORG', 5, 5)]
    """
    tags = _as_label_list(tags, "tags")
    entities = []
    prev_tag, prev_type, start = "O", "", None
    for i, raw in enumerate([*tags, "O"]):
        if not isinstance(raw, str):
            raise TypeError(f"tags must be strings; got {raw!r}.")
        tag, type_ = _split_tag(raw)
        if start is not None and _end_of_chunk(prev_tag, tag, prev_type, type_):
            entities.append((prev_type, start, i - 1))
            start = None
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            start = i
        prev_tag, prev_type = tag, type_
    return entities


def entity_report(
    true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]
) -> dict:
    """Entity-level precision, recall and F1 per entity type, and their averages.

    Parameters
    ----------
    true_tags, pred_tags : sequence of sentences, each a sequence of BIO tags
        Sentences must have the same lengths in both.

    Returns
    -------
    dict
        Shaped like :func:`classification_report`, keyed by entity type
        (``"PER"``, not ``"B-PER"``); supports count entities, not tokens.

    Examples
    --------
    >>> rep = entity_report([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]])
    >>> rep["PER"]["f1-score"], rep["micro avg"]["support"]
    (0.0, 1.0)
    """
    for name, seqs in (("true_tags", true_tags), ("pred_tags", pred_tags)):
        if isinstance(seqs, (str, bytes)) or not hasattr(seqs, "__iter__"):
            raise TypeError(f"{name} must be a list of sentences, each a list of tags.")
    true_tags, pred_tags = list(true_tags), list(pred_tags)
    if len(true_tags) != len(pred_tags):
        raise ValueError(
            f"true_tags has {len(true_tags)} sentences but pred_tags has {len(pred_tags)}."
        )
    if not true_tags:
        raise ValueError("true_tags is empty; there is nothing to score.")
    true_set, pred_set = set(), set()
    for k, (t, p) in enumerate(zip(true_tags, pred_tags)):
        if isinstance(t, str) or isinstance(p, str):
            raise TypeError("each sentence must be a list of tags, not a string.")
        if len(t) != len(p):
            raise ValueError(
                f"sentence {k} has {len(t)} true tags but {len(p)} predicted tags."
            )
        true_set |= {(k, *e) for e in extract_entities(t)}
        pred_set |= {(k, *e) for e in extract_entities(p)}
    types = sorted({e[1] for e in true_set | pred_set})
    tp = [sum(1 for e in true_set & pred_set if e[1] == ty) for ty in types]
    predicted = [sum(1 for e in pred_set if e[1] == ty) for ty in types]
    support = [sum(1 for e in true_set if e[1] == ty) for ty in types]
    if not types:
        return _report_from_counts([], np.zeros(0), np.zeros(0), np.zeros(0))
    return _report_from_counts(types, tp, predicted, support)
