"""Reading a classification report (seed 002, §5.2 second part and §5.4).

* :func:`classification_report` -- per-label precision, recall, F1 and
  support, with micro, macro and weighted averages, shaped like
  scikit-learn's ``output_dict``; :func:`confusion_matrix`, the counts
  behind it;
* :func:`averages_from_rows` -- the three averages recomputed from a
  printed report's per-class rows, and :func:`micro_average_interval`, the
  range a micro average can take when those rows are rounded;
* :func:`entity_report` -- entity-level scores for BIO-tagged sequences
  (an entity counts only if its type and both ends are right), with the
  CoNLL evaluation script's lenient chunk rules or strict IOB2 ones.

Every function here takes time linear in its input (plus sorting the
distinct labels): labels are mapped once to integer codes and counted with
``numpy.bincount``; entities are counted by type in one pass.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from lib._validate import as_choice, as_integer, as_label_sequence, as_probability, as_real

__all__ = [
    "ARTICLE_NER_REPORT",
    "ARTICLE_NER_SUMMARY",
    "CONLL2003_TEST_ENTITIES",
    "Confusion",
    "averages_from_rows",
    "classification_report",
    "confusion_matrix",
    "entity_report",
    "extract_entities",
    "f1_from",
    "f1_interval",
    "implied_prediction_count",
    "micro_average_interval",
]

#: The names of the summary rows of a report: a class may not be called so.
SUMMARY_ROWS = ("micro avg", "macro avg", "weighted avg")

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
#: Named entities of each type in the English test set of CoNLL-2003, as
#: published by Tjong Kim Sang and De Meulder (2003), table 2.
CONLL2003_TEST_ENTITIES = {"LOC": 1668, "MISC": 702, "ORG": 1661, "PER": 1617}


def f1_from(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0).

    Parameters
    ----------
    precision, recall : float
        Numbers in [0, 1].

    Returns
    -------
    float
        ``2 p r / (p + r)``, or 0 when ``p = r = 0``.

    Raises
    ------
    TypeError
        If ``precision`` or ``recall`` is not a real number.
    ValueError
        If either is NaN or outside [0, 1].

    Examples
    --------
    >>> round(f1_from(0.9, 0.805), 4)
    0.8498
    """
    precision = as_probability(precision, "precision")
    recall = as_probability(recall, "recall")
    # 2 p (r / (p + r)), not 2 p r / (p + r): the product p r underflows to 0
    # for tiny valid scores (p = r = 1e-300 has F1 1e-300, not 0).
    return (
        0.0
        if precision + recall == 0
        else 2 * precision * (recall / (precision + recall))
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
    report: dict[str, dict[str, float]] = {
        str(label): {"precision": p, "recall": r, "f1-score": f, "support": s}
        for label, p, r, f, s in zip(
            labels, precision.tolist(), recall.tolist(), f1.tolist(), support.tolist()
        )
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


def _refuse_summary_names(labels: Sequence[Any], source: Any) -> None:
    """A class named like a summary row would be overwritten by that row;
    ``source(k)`` names the argument that holds ``labels[k]``."""
    clash = [k for k, label in enumerate(labels) if isinstance(label, str) and label in SUMMARY_ROWS]
    if not clash:
        return
    label, name = labels[clash[0]], source(clash[0])
    raise ValueError(
        f"{name} contains the label {label!r}, which is the name of a summary row of the "
        f"report ({', '.join(map(repr, SUMMARY_ROWS))}): its row would be overwritten by "
        "the average. Rename the class."
    )


def _as_label_list(values: Any, name: str) -> list:
    """A flat list of labels of one kind (all strings or all numbers)."""
    return as_label_sequence(values, name)


def _refuse_mixed_kinds(**sequences: list) -> None:
    """Strings in one argument and numbers in another are refused, as within one."""
    kinds = {
        name: isinstance(values[0], str) for name, values in sequences.items() if values
    }
    if len(set(kinds.values())) > 1:
        strings = [n for n, s in kinds.items() if s]
        numbers = [n for n, s in kinds.items() if not s]
        raise TypeError(
            f"{' and '.join(strings)} hold strings but {' and '.join(numbers)} hold "
            "numbers; use one kind of label."
        )


def _sorted_labels(values: set) -> list:
    """Distinct labels in their natural order (numbers by value, strings
    alphabetically), as scikit-learn lists them."""
    return sorted(values)


def _label_codes(values: list, index: dict) -> np.ndarray:
    """Position of each value in ``index`` (-1 for a value not listed): one
    dictionary look-up per value, so linear time whatever the number of labels."""
    get = index.get
    return np.fromiter((get(v, -1) for v in values), dtype=np.intp, count=len(values))


def _paired_labels(
    y_true: Any, y_pred: Any, labels: Sequence[Any] | None
) -> tuple[list, np.ndarray, np.ndarray]:
    """Validated labels and the integer codes of ``y_true`` and ``y_pred``."""
    y_true = _as_label_list(y_true, "y_true")
    y_pred = _as_label_list(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true and y_pred must have the same length; got {len(y_true)} and {len(y_pred)}."
        )
    if not y_true:
        raise ValueError("y_true is empty; there is nothing to score.")
    if labels is None:
        _refuse_mixed_kinds(y_true=y_true, y_pred=y_pred)
        labels = _sorted_labels(set(y_true) | set(y_pred))
    else:
        labels = _as_label_list(labels, "labels")
        if not labels:
            raise ValueError("labels is empty.")
        _refuse_mixed_kinds(y_true=y_true, y_pred=y_pred, labels=labels)
        if len(set(labels)) != len(labels):
            raise ValueError("labels contains duplicates.")
    index = {label: k for k, label in enumerate(labels)}
    return labels, _label_codes(y_true, index), _label_codes(y_pred, index)


def classification_report(
    y_true: Any, y_pred: Any, labels: Sequence[Any] | None = None
) -> dict:
    """Per-label and averaged precision, recall and F1 of a single-label classifier.

    Parameters
    ----------
    y_true, y_pred : sequence of labels (the same length)
        All strings or all numbers, never a mixture.
    labels : sequence, optional
        The labels to report, in order; default: every label seen, sorted.
        Items whose label is not listed count for no row: listing every tag
        but ``O`` gives the token-level scores without ``O``.

    Returns
    -------
    dict
        ``{label: {"precision", "recall", "f1-score", "support"}}`` for each
        label, plus ``"micro avg"``, ``"macro avg"`` and ``"weighted avg"``
        (always present, computed over ``labels``). A ratio with a zero
        denominator is 0, as scikit-learn's ``zero_division=0``.

    Raises
    ------
    ValueError
        If the lengths differ, ``y_true`` is empty, ``labels`` repeats a
        label, or a reported label is named like a summary row
        (:data:`SUMMARY_ROWS`: ``"micro avg"``, ``"macro avg"``,
        ``"weighted avg"``). scikit-learn lets such a class's row be
        overwritten silently by the average; here the name is refused, so
        that every row of the report is what its key says. (``"accuracy"``,
        a row of scikit-learn's report, is not one of this report's rows and
        is an ordinary label.)
    TypeError
        If the labels are not a flat sequence of strings or of numbers.

    Examples
    --------
    >>> rep = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> rep["a"]["recall"], rep["b"]["precision"], rep["micro avg"]["f1-score"]
    (0.5, 0.6666666666666666, 0.75)
    >>> classification_report(["macro avg", "b"], ["b", "b"])
    Traceback (most recent call last):
    ...
    ValueError: y_true contains the label 'macro avg', which is the name of a summary row of
    the report ('micro avg', 'macro avg', 'weighted avg'): its row would be overwritten by the
    average. Rename the class.
    """
    given = labels
    labels, t, p = _paired_labels(y_true, y_pred, labels)
    _refuse_summary_names(
        labels,
        lambda k: "labels" if given is not None else "y_true" if (t == k).any() else "y_pred",
    )
    n = len(labels)
    listed_true, listed_pred = t >= 0, p >= 0
    support = np.bincount(t[listed_true], minlength=n)
    predicted = np.bincount(p[listed_pred], minlength=n)
    tp = np.bincount(t[listed_true & (t == p)], minlength=n)
    return _report_from_counts(labels, tp, predicted, support)


@dataclass(frozen=True)
class Confusion:
    """Counts of (true label, predicted label) pairs: ``counts[i, j]`` items of
    true label ``labels[i]`` were predicted as ``labels[j]``.

    Attributes
    ----------
    labels : tuple
        The labels, in the order of the rows and columns.
    counts : numpy.ndarray of int, shape (n_labels, n_labels)
        ``counts[i, j]``: items of true label ``labels[i]`` predicted as ``labels[j]``.

    Examples
    --------
    >>> confusion_matrix(["a", "b", "a"], ["a", "a", "a"])
    Confusion(labels=('a', 'b'), counts=array([[2, 0],
           [1, 0]]))
    """

    labels: tuple
    counts: np.ndarray


#: Largest confusion matrix built (entries), so that a typo cannot fill memory.
MAX_CONFUSION_ENTRIES = 10**8


def confusion_matrix(
    y_true: Any, y_pred: Any, labels: Sequence[Any] | None = None
) -> Confusion:
    """The confusion matrix: rows are true labels, columns predicted labels.

    Parameters
    ----------
    y_true, y_pred : sequence of labels (the same length)
    labels : sequence, optional
        Rows and columns, in order; default: every label seen, sorted. Pairs
        involving an unlisted label are not counted.

    Returns
    -------
    Confusion
        The labels and an integer matrix of counts. Its diagonal holds each
        label's true positives, its column sums the predictions and its row
        sums the supports of :func:`classification_report`.

    Examples
    --------
    >>> cm = confusion_matrix(["ok", "ok", "bad"], ["ok", "bad", "bad"], labels=["ok", "bad"])
    >>> cm.counts.tolist()
    [[1, 1], [0, 1]]
    """
    labels, t, p = _paired_labels(y_true, y_pred, labels)
    n = len(labels)
    if n * n > MAX_CONFUSION_ENTRIES:
        raise ValueError(
            f"too large: {n} labels make a {n} x {n} confusion matrix (the limit is "
            f"{MAX_CONFUSION_ENTRIES:.0e} entries); pass the labels you need as labels."
        )
    both = (t >= 0) & (p >= 0)
    counts = np.bincount(t[both] * n + p[both], minlength=n * n).reshape(n, n)
    return Confusion(tuple(labels), counts.astype(np.int64))


def _score(value: Any, name: str) -> float:
    """A precision, recall or F1: a real number in [0, 1]."""
    value = as_real(value, name)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must lie in [0, 1]; got {value!r}.")
    return value


def _check_rows(rows: Any) -> dict:
    if not isinstance(rows, dict):
        raise TypeError(
            "rows must be a non-empty dict {label: (precision, recall, f1, support)}; got "
            f"{type(rows).__name__}."
        )
    if not rows:
        raise ValueError("rows is empty; expected at least one row (precision, recall, f1, support).")
    checked = {}
    for label, row in rows.items():
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__") or len(row) != 4:
            raise ValueError(
                f"rows[{label!r}] must be (precision, recall, f1, support); got {row!r}."
            )
        p, r, f = (_score(v, f"rows[{label!r}] {what}")
                   for v, what in zip(row[:3], ("precision", "recall", "f1")))  # fmt: skip
        support = as_real(row[3], f"rows[{label!r}] support", minimum=0.0)
        checked[label] = (p, r, f, support)
    total = sum(v[3] for v in checked.values())
    if not np.isfinite(total):
        raise ValueError(
            "rows: the supports sum beyond the float range (about 1.8e308); a support "
            "counts items."
        )
    return checked


def averages_from_rows(rows: dict) -> dict:
    """Micro, macro and weighted averages recomputed from per-class rows.

    Macro and weighted averages need only the rows. The micro average needs
    counts: true positives are ``recall * support`` and predictions
    ``true positives / precision``; with rounded rows these are estimates
    (see :func:`micro_average_interval` for the exact range).

    Parameters
    ----------
    rows : dict
        Per-class rows ``label -> (precision, recall, f1, support)``, as a
        classification report prints them.

    Returns
    -------
    dict
        ``"micro avg"``, ``"macro avg"`` and ``"weighted avg"``, each a dict of
        ``"precision"``, ``"recall"``, ``"f1-score"`` and ``"support"``.

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
    total = s.sum()
    found = tp.sum()
    # Micro precision sum(tp) / sum(tp / p). The predictions tp / p can
    # overflow (a huge support beside a tiny precision) when the ratio cannot:
    # the ratio is then computed exactly, in rationals.
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        predicted = np.where(p > 0, tp / np.where(p > 0, p, 1), 0.0)
    if not np.isfinite(predicted.sum()):
        made = sum((Fraction(t) / Fraction(q) for t, q in zip(tp.tolist(), p.tolist()) if q > 0), Fraction(0))
        micro_p = float(sum(map(Fraction, tp.tolist()), Fraction(0)) / made)
    else:
        micro_p = found / predicted.sum() if predicted.sum() > 0 else 0.0
    micro_r = found / total if total > 0 else 0.0
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
    """Half the last printed digit: a value printed to ``decimals`` places is
    within it. Widened by a relative 1e-9 so that the floating-point error of
    the printed value and of ``value +- h`` never leaves the truth outside."""
    decimals = as_integer(decimals, "decimals", minimum=0, maximum=15)
    return 0.5 * 10.0**-decimals * (1 + 1e-9)


def _row_columns(rows: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and support of validated rows, as arrays."""
    rows = _check_rows(rows)
    return tuple(
        np.array([v[k] for v in rows.values()], dtype=float) for k in (0, 1, 3)
    )  # type: ignore[return-value]


def f1_interval(
    precision: float, recall: float, decimals: int = 3
) -> tuple[float, float]:
    """Range of F1 consistent with a precision and recall rounded to ``decimals``.

    F1 increases in both arguments, so its extremes are at the corners.

    Parameters
    ----------
    precision, recall : float
        The rounded values, in [0, 1].
    decimals : int, default 3
        Decimal places they were rounded to.

    Returns
    -------
    tuple of float
        The lowest and the highest F1.

    Examples
    --------
    >>> lo, hi = f1_interval(0.983, 0.980)
    >>> bool(lo <= 0.9815 <= hi)
    True
    """
    precision, recall = _score(precision, "precision"), _score(recall, "recall")
    h = _half_width(decimals)
    lo = f1_from(max(precision - h, 0.0), max(recall - h, 0.0))
    hi = f1_from(min(precision + h, 1.0), min(recall + h, 1.0))
    return float(lo), float(hi)


def _extreme_harmonic_mean(
    values: np.ndarray, w_lo: np.ndarray, w_hi: np.ndarray, *, largest: bool
) -> float:
    """Extreme of sum(w) / sum(w / values) over weights w_lo <= w <= w_hi.

    The ratio is linear-fractional in w, so at the optimum every weight is at
    a bound: the upper one for the values on one side of a threshold, the
    lower one for the rest. Sorting the values once and taking running sums
    tries every threshold in O(L log L).
    """
    # The ratio does not change when every weight is scaled: scale them to at
    # most 1, so that no sum overflows whatever the supports.
    top = float(np.max(w_hi))
    if top > 0:
        w_lo, w_hi = w_lo / top, w_hi / top
    order = np.argsort(values, kind="stable")
    if largest:
        order = order[::-1]
    v, lo, hi = values[order], w_lo[order], w_hi[order]
    extra = hi - lo
    numerator = lo.sum() + np.concatenate([[0.0], np.cumsum(extra)])
    denominator = (lo / v).sum() + np.concatenate([[0.0], np.cumsum(extra / v)])
    defined = numerator > 0
    if not defined.any():
        return 0.0
    ratio = numerator[defined] / denominator[defined]
    return float(ratio.max() if largest else ratio.min())


def implied_prediction_count(rows: dict, decimals: int = 3) -> tuple[float, float]:
    """Range of the number of predictions, sum over classes of tp / precision,
    implied by rows rounded to ``decimals`` places.

    In a single-label task where every item receives one of the listed
    labels, this must contain the total support. A row whose precision may
    be 0 (printed as 0 to ``decimals`` places) bounds nothing from above: a
    class can be predicted any number of times, all wrongly. The upper end is
    then infinite.

    Parameters
    ----------
    rows : dict
        Per-class rows ``label -> (precision, recall, f1, support)``, as a
        classification report prints them.
    decimals : int, default 3
        Decimal places the rows were rounded to.

    Returns
    -------
    tuple of float
        The lowest and the highest number of predictions (the highest may be ``inf``).

    Examples
    --------
    >>> lo, hi = implied_prediction_count({"a": (0.5, 1.0, 2 / 3, 10)}, decimals=3)
    >>> bool(lo < 20 < hi)
    True
    >>> implied_prediction_count({"a": (0.5, 1.0, 2 / 3, 10), "b": (0.0, 0.0, 0.0, 0)})[1]
    inf
    """
    p, r, s = _row_columns(rows)
    h = _half_width(decimals)
    tp_lo, tp_hi = np.clip(r - h, 0, 1) * s, np.clip(r + h, 0, 1) * s
    with np.errstate(over="ignore"):
        lo = float(np.sum(tp_lo / np.minimum(p + h, 1)))
        hi = math.inf if np.any(p - h <= 0) else float(np.sum(tp_hi / (p - h)))
    if not math.isfinite(lo) or (not math.isfinite(hi) and np.all(p - h > 0)):
        raise ValueError(
            "rows imply a number of predictions beyond the float range (about 1.8e308): "
            "the supports are too large for the precisions."
        )
    return lo, hi


def micro_average_interval(
    rows: dict, decimals: int = 3
) -> dict[str, tuple[float, float]]:
    """Range of the micro-averaged precision, recall and F1 consistent with rows
    rounded to ``decimals`` places.

    Each printed value v stands for a true value in [v - h, v + h] with
    h = 0.5 * 10**-decimals. True positives ``recall * support`` and
    predictions ``tp / precision`` then lie in intervals, and so do their
    ratios; the F1 bounds combine the precision and recall bounds (F1 is
    increasing in both). A row whose precision may be 0 may hide any number
    of wrong predictions, so the micro precision can then be as low as 0.

    Parameters
    ----------
    rows : dict
        Per-class rows ``label -> (precision, recall, f1, support)``, as a
        classification report prints them.
    decimals : int, default 3
        Decimal places the rows were rounded to.

    Returns
    -------
    dict of str to tuple of float
        ``"precision"``, ``"recall"`` and ``"f1-score"``, each as (lowest, highest).

    Examples
    --------
    >>> lo, hi = micro_average_interval({"a": (0.5, 0.5, 0.5, 100)})["recall"]
    >>> round(lo, 4), round(hi, 4)
    (0.4995, 0.5005)
    """
    p, r, s = _row_columns(rows)
    h = _half_width(decimals)
    tp_lo, tp_hi = np.clip(r - h, 0, 1) * s, np.clip(r + h, 0, 1) * s
    p_hi = np.minimum(p + h, 1)
    total = s.sum()
    recall = (
        (float(min(tp_lo.sum() / total, 1.0)), float(min(tp_hi.sum() / total, 1.0)))
        if total > 0
        else (0.0, 0.0)
    )
    # Micro precision sum(tp) / sum(tp / p) is a tp-weighted harmonic mean of
    # the p's: increasing in each p, so its extremes take p at a bound; over
    # the box of tp's it is a linear-fractional function, extreme at a vertex.
    if np.any(p - h <= 0):
        low = 0.0
    else:
        low = _extreme_harmonic_mean(p - h, tp_lo, tp_hi, largest=False)
    precision = (low, min(_extreme_harmonic_mean(p_hi, tp_lo, tp_hi, largest=True), 1.0))
    f1 = (f1_from(precision[0], recall[0]), f1_from(precision[1], recall[1]))
    return {"precision": precision, "recall": recall, "f1-score": f1}


# ------------------------------------------------------------- entities


def _split_tag(tag: Any, name: str = "tags") -> tuple[str, str]:
    if not isinstance(tag, str):
        raise TypeError(f"{name} must hold tags (strings); got {tag!r}.")
    if tag == "O" or not tag:
        return "O", ""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BIES":
        return tag[0], tag[2:]
    raise ValueError(f"{name}: tag {tag!r} is not 'O' or of the form B-TYPE / I-TYPE.")


def _as_sentence_list(value: Any, name: str) -> list:
    """A list of sentences (anything iterable but a string or a 0-d array)."""
    if isinstance(value, (str, bytes)) or (isinstance(value, np.ndarray) and value.ndim == 0):
        raise TypeError(f"{name} must be a list of sentences, each a list of tags.")
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{name} must be a list of sentences, each a list of tags.") from None


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


def _lenient_chunks(parsed: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """Chunks by conlleval's rules: an I- tag that does not continue an
    entity of its type starts a new one."""
    entities = []
    prev_tag, prev_type, start = "O", "", None
    for i, (tag, type_) in enumerate([*parsed, ("O", "")]):
        if start is not None and _end_of_chunk(prev_tag, tag, prev_type, type_):
            entities.append((prev_type, start, i - 1))
            start = None
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            start = i
        prev_tag, prev_type = tag, type_
    return entities


def _strict_chunks(parsed: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """Chunks by strict IOB2 rules: a B-X followed by every I-X after it; an
    I- tag that does not continue such a run belongs to no entity."""
    entities = []
    i, n = 0, len(parsed)
    while i < n:
        tag, type_ = parsed[i]
        if tag in ("E", "S"):
            raise ValueError(
                "strict mode reads IOB2 tags (B-, I- and O only); got an "
                f"{tag}- tag. Use mode='lenient' for IOBES tags."
            )
        if tag != "B":
            i += 1
            continue
        j = i + 1
        while j < n and parsed[j] == ("I", type_):
            j += 1
        entities.append((type_, i, j - 1))
        i = j
    return entities


_CHUNKERS = {"lenient": _lenient_chunks, "strict": _strict_chunks}


def _parse_tags(tags: Any, name: str, cache: dict) -> list[tuple[str, str]]:
    """(prefix, type) of each tag; ``cache`` holds the split of each distinct tag."""
    if isinstance(tags, (str, bytes)) or not hasattr(tags, "__iter__"):
        raise TypeError(f"{name} must be a list of tags, not {type(tags).__name__}.")
    parsed = []
    for tag in as_label_sequence(tags, name):
        split = cache.get(tag) if isinstance(tag, str) else None
        if split is None:
            split = cache[tag] = _split_tag(tag, name)
        parsed.append(split)
    return parsed


def extract_entities(
    tags: Sequence[str], mode: str = "lenient"
) -> list[tuple[str, int, int]]:
    """Entities ``(type, first, last)`` of one BIO-tagged sentence.

    Parameters
    ----------
    tags : sequence of str
        ``"O"``, ``"B-TYPE"`` or ``"I-TYPE"`` for each token.
    mode : {"lenient", "strict"}
        ``"lenient"`` (the CoNLL script's rules, seqeval's default): an
        ``I-`` tag that does not continue an entity of its type starts a new
        one. ``"strict"`` (seqeval's ``mode="strict", scheme=IOB2``): an
        entity is a ``B-X`` and the ``I-X`` tags that follow it; a stray
        ``I-`` tag is no entity.

    Returns
    -------
    list of tuple of (str, int, int)
        Each entity's type and the indices of its first and last token
        (inclusive), in the order of the sentence.

    Examples
    --------
    >>> extract_entities(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
    [('PER', 0, 1), ('LOC', 3, 3), ('LOC', 4, 4), ('ORG', 5, 5)]
    >>> extract_entities(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"], mode="strict")
    [('PER', 0, 1), ('LOC', 4, 4)]
    """
    chunker = _CHUNKERS[as_choice(mode, "mode", tuple(_CHUNKERS))]
    return chunker(_parse_tags(tags, "tags", {}))


def entity_report(
    true_tags: Sequence[Sequence[str]],
    pred_tags: Sequence[Sequence[str]],
    mode: str = "lenient",
) -> dict:
    """Entity-level precision, recall and F1 per entity type, and their averages.

    An entity is counted as found only when a predicted entity has the same
    sentence, type, first and last token as a true one.

    Parameters
    ----------
    true_tags, pred_tags : sequence of sentences, each a sequence of BIO tags
        Sentences must have the same lengths in both.
    mode : {"lenient", "strict"}
        How entities are read from tags, in both sequences; see
        :func:`extract_entities`.

    Returns
    -------
    dict
        Shaped like :func:`classification_report`, keyed by entity type
        (``"PER"``, not ``"B-PER"``); supports count entities, not tokens.

    Raises
    ------
    ValueError
        If the sentences do not pair up, a tag is not BIO, or an entity type
        is named like a summary row (``"B-macro avg"``: see
        :func:`classification_report`).
    TypeError
        If the tags are not lists of strings.

    Examples
    --------
    >>> rep = entity_report([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]])
    >>> rep["PER"]["f1-score"], rep["micro avg"]["support"]
    (0.0, 1.0)
    """
    chunker = _CHUNKERS[as_choice(mode, "mode", tuple(_CHUNKERS))]
    cache: dict = {}
    # Every sentence is read (a wrong kind of value is a TypeError) before
    # the two lists are compared.
    true_tags, pred_tags = (
        [_parse_tags(t, f"{name}[{k}]", cache) for k, t in enumerate(_as_sentence_list(seqs, name))]
        for name, seqs in (("true_tags", true_tags), ("pred_tags", pred_tags))
    )
    if len(true_tags) != len(pred_tags):
        raise ValueError(
            f"true_tags has {len(true_tags)} sentences but pred_tags has {len(pred_tags)}."
        )
    if not true_tags:
        raise ValueError("true_tags is empty; there is nothing to score.")
    true_set, pred_set = set(), set()
    for k, (t, p) in enumerate(zip(true_tags, pred_tags)):
        if len(t) != len(p):
            raise ValueError(
                f"true_tags and pred_tags differ in sentence {k}: {len(t)} true tags but "
                f"{len(p)} predicted tags."
            )
        true_set.update((type_, k, a, b) for type_, a, b in chunker(t))
        pred_set.update((type_, k, a, b) for type_, a, b in chunker(p))
    # One pass over the entities for each count, whatever the number of types.
    support = Counter(e[0] for e in true_set)
    predicted = Counter(e[0] for e in pred_set)
    tp = Counter(e[0] for e in true_set & pred_set)
    types = sorted(support.keys() | predicted.keys())
    _refuse_summary_names(types, lambda k: "true_tags" if types[k] in support else "pred_tags")
    return _report_from_counts(
        types,
        [tp[ty] for ty in types],
        [predicted[ty] for ty in types],
        [support[ty] for ty in types],
    )
