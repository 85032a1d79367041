"""Differential test of the public functions of lib's statistics modules
(regression, metrics, ner, inference, ridge, robust).

Same pattern as ``test_differential.py``: each case draws VALID inputs at the
edges (magnitudes from 1e-300 to 1e300 where they are meaningful, ties,
single-element cases), compares with a reference computed another way
(exact rational arithmetic, scikit-learn, seqeval, a different
factorisation or algorithm, brute force), states what "agrees" means,
counts its inputs (at least ``MIN_INPUTS``) and writes the counts to
``_build/differential_counts_stats.txt`` (summed over every differential
file at the end of the run). Last, every metrics function refuses labels of
mixed kinds (``1`` and ``"1"``) with a TypeError and NaN labels with a
ValueError naming the argument.
"""

from __future__ import annotations

import itertools
import math
import statistics
import warnings
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lib.inference as inf
import lib.metrics as met
import lib.ner as ner
import lib.regression as reg
import lib.ridge as rdg
import lib.robust as rob
from conftest import BUILD
from test_differential import MIN_INPUTS, N_INPUTS

# Function -> its independent reference (the case's ``agrees`` text says when
# the two agree).
REFERENCES = {
    "lib.metrics.classification_report": "sklearn.metrics.classification_report (output_dict, zero_division=0) and precision_recall_fscore_support(average='micro')",
    "lib.metrics.confusion_matrix": "sklearn.metrics.confusion_matrix with the same labels, and a plain Counter of the pairs",
    "lib.metrics.f1_from": "exact rational 2pr / (p + r) (fractions.Fraction)",
    "lib.metrics.averages_from_rows": "the documented formulas in exact rational arithmetic",
    "lib.metrics.f1_interval": "exact rational F1 at every corner of the rounding box (brute force)",
    "lib.metrics.implied_prediction_count": "exact rational sum of tp / p at every vertex of the rounding box (brute-force enumeration)",
    "lib.metrics.micro_average_interval": "exact rational micro precision and recall at every vertex of the rounding box (brute-force enumeration)",
    "lib.metrics.extract_entities": "seqeval: get_entities (lenient) and seqeval.scheme.Entities with IOB2 (strict)",
    "lib.metrics.entity_report": "seqeval.metrics.classification_report (output_dict, zero_division=0; strict: mode='strict', scheme=IOB2)",
    "lib.ner.flatten": "itertools.chain.from_iterable",
    "lib.ner.make_ner_corpus": "no reference for random draws: seeded determinism, prefix property, tags well-formed (seqeval strict and lenient agree)",
    "lib.ner.make_ner_split": "the distinct sentences of make_ner_corpus's stream with the same seed, deduplicated by a plain loop",
    "lib.ner.shared_sentences": "brute-force pairwise comparison of the sentences",
    "lib.ner.train_token_tagger": "central finite differences of a plain-Python cross-entropy (the last gradient step), and the plain-Python loss for the history",
    "lib.ner.predict_tags": "plain-Python argmax of the summed weights of each token's features",
    "lib.ner.score_tags": "sklearn.metrics.f1_score (micro, labels) and seqeval.metrics.f1_score (default and strict IOB2)",
    "lib.regression.make_quality_data": "no reference for random draws: the documented construction checked exactly (noise-free y is the linear model in rationals, curvature term, sensor column, correlation +-1)",
    "lib.regression.feature_covariance": "exact rational sd_i sd_j corr_ij",
    "lib.regression.train_test_split": "brute force: the two parts partition the records (row multiset), sizes round(f n)",
    "lib.regression.fit_least_squares": "exact rational normal equations solved by Gaussian elimination",
    "lib.regression.predict": "exact rational intercept + X @ coef",
    "lib.regression.mean_squared_error": "exact rational mean of squared errors",
    "lib.regression.design_condition_number": "scipy.linalg.svdvals with lapack_driver='gesvd' (numpy uses gesdd)",
    "lib.regression.fit_gradient_descent": "a plain-Python scalar loop of the same updates (GD and Adam)",
    "lib.inference.ols_inference": "exact rational estimates, sigma^2 and (A^T A)^-1 diagonal; the t multiplier checked by the t CDF (scipy.special.stdtr)",
    "lib.inference.simulate_coefficients": "the documented noise stream, each column solved by exact rational normal equations",
    "lib.inference.r_squared": "exact rational 1 - SSE / SST",
    "lib.inference.mse_interval": "exact rational mean and variance of squared errors; t multiplier by the t CDF",
    "lib.inference.omitted_variable_bias": "exact rational long, short and auxiliary regressions",
    "lib.inference.population_omitted_bias": "exact rational solve of S_kk b = S_ko beta_o",
    "lib.ridge.ridge_path": "normal equations (Z^T Z + lambda I) w = Z^T y_c solved by numpy.linalg.solve (LU), not an SVD",
    "lib.ridge.fit_ridge": "normal equations solved by LU (numpy.linalg.solve)",
    "lib.ridge.ridge_cv": "explicit fold loop with the LU normal-equation ridge",
    "lib.robust.mad_scale": "exact rational median of |r - median| times 1 / statistics.NormalDist().inv_cdf(0.75)",
    "lib.robust.huber_loss": "exact rational piecewise sum",
    "lib.robust.fit_huber": "optimality certificate in rationals: sum_i psi(r_i) [1, x_i] = 0 with psi the clipped residual at the returned scale",
}
# Function -> why it has no reference.
NO_REFERENCE: dict[str, str] = {}

COUNTS: Counter = Counter()
CASES: dict[str, tuple[Any, Callable[..., None], str, int]] = {}


def case(name: str, strategy: Any, agrees: str, *, n_inputs: int | None = None) -> Callable:
    """Register ``check(*args)`` for ``name``; ``n_inputs`` (at least
    MIN_INPUTS) draws fewer inputs for the slow cases."""

    def register(check: Callable[..., None]) -> Callable[..., None]:
        n = max(MIN_INPUTS, min(N_INPUTS, n_inputs or N_INPUTS), settings.default.max_examples)
        CASES[name] = (strategy, check, agrees, n)
        return check

    return register


# ============================================================ shared helpers

EDGE = [1e-300, 1e-150, 1e-12, 1.0, 3.0, 1e12, 1e150, 1e300]
FLOAT_MAX = float(np.finfo(float).max)


def F(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x) if isinstance(x, int) else Fraction(float(x))


def close(value: Any, ref: Any, scale: Any, rel: float = 1e-12) -> bool:
    return abs(F(value) - F(ref)) <= F(rel) * F(scale) + F(1e-300)


def solve_exact(a: list[list[Fraction]], b: list[list[Fraction]]) -> list[list[Fraction]] | None:
    """Solve a x = b (b has several columns) by Gaussian elimination in
    rationals; None when a is singular."""
    n = len(a)
    m = [list(a[i]) + list(b[i]) for i in range(n)]
    for k in range(n):
        piv = next((i for i in range(k, n) if m[i][k] != 0), None)
        if piv is None:
            return None
        m[k], m[piv] = m[piv], m[k]
        for i in range(n):
            if i != k and m[i][k] != 0:
                f = m[i][k] / m[k][k]
                m[i] = [v - f * w for v, w in zip(m[i], m[k])]
    return [[v / m[i][i] for v in m[i][n:]] for i in range(n)]


def exact_lstsq(X: np.ndarray, ys: list) -> list[list[Fraction]] | None:
    """Exact least-squares coefficients [intercept, coef...] for each target in ys."""
    A = [[Fraction(1)] + [F(v) for v in row] for row in X]
    p = len(A[0])
    ata = [[sum(A[k][i] * A[k][j] for k in range(len(A))) for j in range(p)] for i in range(p)]
    aty = [[sum(A[k][i] * F(y[k]) for k in range(len(A))) for y in ys] for i in range(p)]
    sol = solve_exact(ata, aty)
    return None if sol is None else [[sol[i][c] for i in range(p)] for c in range(len(ys))]


@st.composite
def designs(draw, n=(3, 7), p=(1, 3), xscales=(2.0**-20, 2.0**-10, 1.0, 2.0**10, 2.0**20), yscale=True, ymax=1e150):
    """Small designs: integer entries (ties, repeated rows) times a power-of-two
    scale per column (so that exact and float ranks agree); targets of any edge magnitude."""
    rows, cols = draw(st.integers(*n)), draw(st.integers(*p))
    X = np.array([[draw(st.integers(-3, 3)) for _ in range(cols)] for _ in range(rows)], dtype=float)
    X *= np.array([draw(st.sampled_from(xscales)) for _ in range(cols)])
    ys = draw(st.sampled_from([e for e in EDGE[1:-1] if e <= ymax])) if yscale else 1.0
    y = np.array([draw(st.integers(-5, 5)) for _ in range(rows)], dtype=float) * ys
    return X, y


def full_rank(X: np.ndarray) -> bool:
    return exact_lstsq(X, [np.zeros(len(X))]) is not None


# ============================================================ lib.metrics


@st.composite
def label_pairs(draw, with_labels=True):
    kind = draw(st.sampled_from(["int", "float", "str", "npint", "big"]))
    pool = {"int": [0, 1, 2, -1], "float": [1e-300, 1e300, -0.0, 2.5],
            "str": ["a", "b", "O", "B-X"], "npint": [np.int64(3), np.int8(1), np.int64(-2)],
            "big": [10**18, 2**62, 7]}[kind]  # fmt: skip
    n = draw(st.integers(1, 12))
    t = [draw(st.sampled_from(pool)) for _ in range(n)]
    p = [draw(st.sampled_from(pool)) for _ in range(n)]
    labels = None
    if with_labels and draw(st.booleans()):
        seen = sorted({v.item() if isinstance(v, np.generic) else v for v in pool})
        labels = draw(st.lists(st.sampled_from(seen), min_size=1, max_size=len(seen), unique=True))
    return t, p, labels


def _py(v):
    return v.item() if isinstance(v, np.generic) else v


@case("metrics.classification_report", label_pairs(),
      "every per-label precision, recall, F1 and support, and the macro and weighted "
      "averages, within 1e-12 of scikit-learn's (zero_division=0); the micro average "
      "within 1e-12 of precision_recall_fscore_support(average='micro') over the same "
      "labels", n_inputs=300)  # fmt: skip
def check_classification_report(t, p, labels):
    from sklearn.metrics import classification_report, precision_recall_fscore_support

    rep = met.classification_report(t, p, labels)
    tt, pp = [_py(v) for v in t], [_py(v) for v in p]
    lab = labels if labels is not None else sorted(set(tt) | set(pp))
    # scikit-learn refuses float labels that are not whole ("continuous"):
    # labels are identities, so it is given each label's rank instead.
    names = [str(v) for v in lab]
    code = {v: k for k, v in enumerate(sorted(set(tt) | set(pp) | set(lab)))}
    tt, pp, lab = [code[v] for v in tt], [code[v] for v in pp], [code[v] for v in lab]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = classification_report(tt, pp, labels=lab, output_dict=True, zero_division=0)
        micro = precision_recall_fscore_support(tt, pp, labels=lab, average="micro", zero_division=0)
    for name, label in zip(names, lab):
        for k in ("precision", "recall", "f1-score", "support"):
            assert close(rep[name][k], ref[str(label)][k], 1.0)
    for avg in ("macro avg", "weighted avg"):
        for k in ("precision", "recall", "f1-score"):
            assert close(rep[avg][k], ref[avg][k], 1.0)
    for k, v in zip(("precision", "recall", "f1-score"), micro[:3]):
        assert close(rep["micro avg"][k], v, 1.0)


@case("metrics.confusion_matrix", label_pairs(),
      "identical integer matrix to scikit-learn's confusion_matrix with the same "
      "labels, and to a Counter of the (true, predicted) pairs", n_inputs=300)  # fmt: skip
def check_confusion_matrix(t, p, labels):
    from sklearn.metrics import confusion_matrix

    cm = met.confusion_matrix(t, p, labels)
    tt, pp = [_py(v) for v in t], [_py(v) for v in p]
    lab = labels if labels is not None else sorted(set(tt) | set(pp))
    assert list(cm.labels) == lab
    code = {v: k for k, v in enumerate(sorted(set(tt) | set(pp) | set(lab)))}  # as sklearn accepts
    try:
        ref = confusion_matrix([code[v] for v in tt], [code[v] for v in pp], labels=[code[v] for v in lab])
        assert cm.counts.tolist() == ref.tolist()
    except ValueError:  # sklearn refuses labels none of which is in y_true; the Counter decides
        pass
    pairs = Counter(zip(tt, pp))
    assert cm.counts.tolist() == [[pairs[(a, b)] for b in lab] for a in lab]


unit = st.one_of(st.sampled_from([0.0, 1.0, 1e-300, 5e-324, 0.5, 1e-12, 1 - 2**-53]),
                 st.floats(0, 1, allow_nan=False))  # fmt: skip


@case("metrics.f1_from", st.tuples(unit, unit),
      "within 4 ulp (relative 1e-15) of the exact rational 2pr / (p + r); 0 when p = r = 0")
def check_f1_from(p, r):
    out = met.f1_from(p, r)
    ref = Fraction(0) if p + r == 0 else 2 * F(p) * F(r) / (F(p) + F(r))
    assert abs(F(out) - ref) <= F(1e-15) * ref + F(5e-324) * 4


@st.composite
def report_rows(draw, max_rows=3):
    k = draw(st.integers(1, max_rows))
    rows = {}
    for i in range(k):
        p, r = draw(unit), draw(unit)
        # A consistent row: precision 0 means no true positive, so recall 0.
        r = 0.0 if p == 0 else r
        f = draw(st.one_of(st.just(met.f1_from(p, r)), unit))
        s = draw(st.sampled_from([0, 1, 7, 1000, 10**9, 10**15, np.int64(46435)]))
        rows[f"c{i}"] = (p, r, f, s)
    return rows


@case("metrics.averages_from_rows", st.tuples(report_rows(5)),
      "every average within 1e-12 relative of the documented formulas evaluated in "
      "exact rationals (tp = r s, predictions = tp / p, 0 where p = 0)")  # fmt: skip
def check_averages_from_rows(rows):
    out = met.averages_from_rows(rows)
    p, r, f, s = ([F(v[k]) for v in rows.values()] for k in range(4))
    tp = [a * b for a, b in zip(r, s)]
    pred = [t / q if q > 0 else Fraction(0) for t, q in zip(tp, p)]
    total = sum(s)
    mp = sum(tp) / sum(pred) if sum(pred) > 0 else Fraction(0)
    mr = sum(tp) / total if total > 0 else Fraction(0)
    mf = 2 * mp * mr / (mp + mr) if mp + mr > 0 else Fraction(0)
    n = len(p)
    w = [v / total if total > 0 else Fraction(0) for v in s]
    ref = {"micro avg": (mp, mr, mf), "macro avg": (sum(p) / n, sum(r) / n, sum(f) / n),
           "weighted avg": tuple(sum(a * b for a, b in zip(w, col)) for col in (p, r, f))}  # fmt: skip
    for avg, vals in ref.items():
        for k, v in zip(("precision", "recall", "f1-score"), vals):
            assert close(out[avg][k], v, 1.0, 1e-12), (avg, k)
        assert close(out[avg]["support"], total, total, 1e-15)


def _h(decimals: int) -> Fraction:
    return Fraction(1, 2) * Fraction(1, 10**decimals) * (1 + F(1e-9))


@case("metrics.f1_interval",
      st.tuples(st.one_of(unit, st.integers(0, 1000).map(lambda k: k / 1000)),
                st.one_of(unit, st.integers(0, 1000).map(lambda k: k / 1000)),
                st.sampled_from([0, 1, 2, 3, 6, 15, np.int64(3)])),
      "(lo, hi) within 1e-12 of the least and largest exact F1 over the corners of "
      "[p -+ h, r -+ h] clipped to [0, 1], h = 0.5 10^-d (1 + 1e-9) as documented")  # fmt: skip
def check_f1_interval(p, r, d):
    lo, hi = met.f1_interval(p, r, d)
    h = _h(int(d))

    def f1(a, b):
        return 2 * a * b / (a + b) if a + b > 0 else Fraction(0)

    corners = [f1(min(max(F(p) + sp * h, Fraction(0)), Fraction(1)),
                  min(max(F(r) + sr * h, Fraction(0)), Fraction(1)))
               for sp, sr in itertools.product((-1, 1), repeat=2)]  # fmt: skip
    assert close(lo, min(corners), 1.0) and close(hi, max(corners), 1.0)


def _boxes(rows, decimals):
    h = _h(decimals)
    out = []
    for p, r, _, s in rows.values():
        tp = [min(max(F(r) + d * h, Fraction(0)), Fraction(1)) * F(s) for d in (-1, 1)]
        pr = [F(p) - h, min(F(p) + h, Fraction(1))]
        out.append((tp, pr, F(s)))
    return out


@case("metrics.implied_prediction_count",
      st.tuples(report_rows(3), st.sampled_from([1, 2, 3, 4, 15])),
      "(lo, hi) within 1e-12 relative of the least and largest exact sum of tp / p "
      "over every vertex of the box (tp and p at their bounds); hi = inf exactly "
      "when some p - h <= 0")  # fmt: skip
def check_implied_prediction_count(rows, d):
    lo, hi = met.implied_prediction_count(rows, d)
    boxes = _boxes(rows, d)
    if any(pr[0] <= 0 for _, pr, _ in boxes):
        assert hi == math.inf
        vals = [sum(tp[a] / pr[1] for (tp, pr, _), a in zip(boxes, c))
                for c in itertools.product((0, 1), repeat=len(boxes))]  # fmt: skip
        assert close(lo, min(vals), max(min(vals), 1))
        return
    vals = [sum(tp[a] / pr[b] for (tp, pr, _), (a, b) in zip(boxes, c))
            for c in itertools.product(itertools.product((0, 1), repeat=2), repeat=len(boxes))]  # fmt: skip
    assert close(lo, min(vals), max(vals)) and close(hi, max(vals), max(vals))


@case("metrics.micro_average_interval",
      st.tuples(report_rows(3), st.sampled_from([1, 2, 3, 4, 15])),
      "precision and recall ranges within 1e-12 of the least and largest exact "
      "micro values over every vertex of the box (vertices with no true positive "
      "skipped; precision low end 0 when some p - h <= 0; recall capped at 1); F1 "
      "range the exact F1 of the two ends")  # fmt: skip
def check_micro_average_interval(rows, d):
    out = met.micro_average_interval(rows, d)
    boxes = _boxes(rows, d)
    total = sum(s for *_, s in boxes)
    precisions, recalls = [], []
    for c in itertools.product(itertools.product((0, 1), repeat=2), repeat=len(boxes)):
        tps = [tp[a] for (tp, _, _), (a, _) in zip(boxes, c)]
        if total > 0:
            recalls.append(min(sum(tps) / total, Fraction(1)))
        if sum(tps) > 0 and all(pr[b] > 0 for (_, pr, _), (_, b) in zip(boxes, c)):
            precisions.append(sum(tps) / sum(t / pr[b] for t, (_, pr, _), (_, b) in zip(tps, boxes, c)))
    rlo, rhi = (min(recalls), max(recalls)) if recalls else (0, 0)
    plo = 0 if any(pr[0] <= 0 for _, pr, _ in boxes) else (min(precisions) if precisions else 0)
    phi = min(max(precisions), Fraction(1)) if precisions else 0
    assert close(out["recall"][0], rlo, 1.0) and close(out["recall"][1], rhi, 1.0)
    assert close(out["precision"][0], plo, 1.0) and close(out["precision"][1], phi, 1.0)
    for k, (a, b) in enumerate(((out["precision"][0], out["recall"][0]),
                                (out["precision"][1], out["recall"][1]))):  # fmt: skip
        ref = 2 * F(a) * F(b) / (F(a) + F(b)) if a + b > 0 else 0
        assert close(out["f1-score"][k], ref, 1.0, 1e-15)


TAG_POOL = ["O", "B-A", "I-A", "B-B", "I-B", "B-LONG_TYPE", "I-LONG_TYPE"]
IOBES_POOL = TAG_POOL + ["E-A", "S-A", "E-B", "S-B"]


@st.composite
def tag_sentences(draw, iobes=False, n=(0, 9)):
    pool = IOBES_POOL if iobes else TAG_POOL
    return [draw(st.sampled_from(pool)) for _ in range(draw(st.integers(*n)))]


@st.composite
def entity_cases(draw):
    mode = draw(st.sampled_from(["lenient", "strict"]))
    iobes = mode == "lenient" and draw(st.booleans())
    return draw(tag_sentences(iobes)), mode


def seqeval_entities(tags, mode):
    if mode == "lenient":
        from seqeval.metrics.sequence_labeling import get_entities

        return [tuple(e) for e in get_entities(list(tags))]
    from seqeval.scheme import IOB2, Entities

    # to_tuple() is (sentence, type, start, end) with an exclusive end.
    return sorted((t, a, b - 1) for _, t, a, b in (e.to_tuple() for e in Entities([list(tags)], IOB2).entities[0]))


@case("metrics.extract_entities", entity_cases(),
      "the same set of (type, first, last) as seqeval (get_entities; strict: "
      "Entities with IOB2)")  # fmt: skip
def check_extract_entities(tags, mode):
    out = met.extract_entities(tags, mode)
    assert sorted(out) == sorted(seqeval_entities(tags, mode))


@st.composite
def tagged_corpora(draw):
    mode = draw(st.sampled_from(["lenient", "strict"]))
    k = draw(st.integers(1, 4))
    true, pred = [], []
    for _ in range(k):
        t = draw(tag_sentences(n=(1, 8)))
        p = [draw(st.sampled_from([x, x, *TAG_POOL])) for x in t]
        true.append(t)
        pred.append(p)
    return true, pred, mode


def _seqeval_kwargs(mode):
    from seqeval.scheme import IOB2

    return {"mode": "strict", "scheme": IOB2} if mode == "strict" else {}


@case("metrics.entity_report", tagged_corpora(),
      "every entity type's precision, recall, F1 and support, and the micro, macro "
      "and weighted averages, within 1e-12 of seqeval's classification_report "
      "(zero_division=0); no entity at all: every type absent and averages 0",
      n_inputs=300)  # fmt: skip
def check_entity_report(true, pred, mode):
    from seqeval.metrics import classification_report

    rep = met.entity_report(true, pred, mode)
    types = {e[0] for s in true + pred for e in seqeval_entities(s, mode)}
    if not types:
        assert set(rep) == {"micro avg", "macro avg", "weighted avg"}
        assert all(v == 0 for avg in rep.values() for v in avg.values())
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = classification_report(true, pred, output_dict=True, zero_division=0, **_seqeval_kwargs(mode))
    assert set(rep) == set(ref) | {"micro avg"}
    for key, row in ref.items():
        for k in ("precision", "recall", "f1-score", "support"):
            assert close(rep[key][k], row[k], 1.0), (key, k)


# ============================================================ lib.ner

VOCAB = ["a", "b", "press", "Line", "7", "x-1"]


@case("ner.flatten",
      st.tuples(st.lists(st.lists(st.sampled_from([*VOCAB, 1, None]), max_size=4), max_size=5)),
      "identical list to itertools.chain.from_iterable")
def check_flatten(nested):
    assert ner.flatten(nested) == list(itertools.chain.from_iterable(nested))


@case("ner.make_ner_corpus", st.tuples(st.integers(1, 8), st.integers(0, 2**63 - 1)),
      "no reference for random draws: agrees = n sentences, one tag per token from "
      "TAGS, tags well formed (lenient and strict entities identical), the same seed "
      "gives the same corpus and the corpus of n is a prefix of the corpus of n + 3")  # fmt: skip
def check_make_ner_corpus(n, seed):
    a, b = ner.make_ner_corpus(n, seed), ner.make_ner_corpus(n + 3, np.uint64(seed))
    assert len(a.sentences) == len(a.tags) == n
    assert b.sentences[:n] == a.sentences and b.tags[:n] == a.tags
    for s, t in zip(a.sentences, a.tags):
        assert len(s) == len(t) and set(t) <= set(ner.TAGS) and all(s)
        assert sorted(seqeval_entities(t, "lenient")) == seqeval_entities(t, "strict")


@case("ner.make_ner_split", st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32)),
      "train then test identical to the first n_train + n_test distinct sentences "
      "(with their tags) of make_ner_corpus's stream for the same seed, deduplicated "
      "by a plain loop")  # fmt: skip
def check_make_ner_split(n_train, n_test, seed):
    train, test = ner.make_ner_split(n_train, n_test, seed)
    stream = ner.make_ner_corpus(20 * (n_train + n_test), seed)
    distinct_s, distinct_t = [], []
    for s, t in zip(stream.sentences, stream.tags):
        if s not in distinct_s:
            distinct_s.append(s)
            distinct_t.append(t)
    assert train.sentences + test.sentences == distinct_s[: n_train + n_test]
    assert train.tags + test.tags == distinct_t[: n_train + n_test]


@st.composite
def corpus_pairs(draw):
    sent = st.lists(st.sampled_from(VOCAB[:3]), min_size=1, max_size=3)
    a = draw(st.lists(sent, min_size=0, max_size=5))
    b = draw(st.lists(st.one_of(sent, st.sampled_from(a) if a else sent), min_size=0, max_size=5))
    tags = [["O"] * len(s) for s in a], [["O"] * len(s) for s in b]
    return ner.Corpus(a, tags[0]), ner.Corpus(b, tags[1])


@case("ner.shared_sentences", corpus_pairs(),
      "identical to the count of test sentences equal to some training sentence "
      "(pairwise list comparison)")  # fmt: skip
def check_shared_sentences(train, test):
    ref = sum(any(s == u for u in train.sentences) for s in test.sentences)
    assert ner.shared_sentences(train, test) == ref


def _features(sentence, i):
    # The feature rule as documented by the tagger's features, written again.
    w = sentence[i]
    low = w.lower()
    prev = sentence[i - 1].lower() if i else "<s>"
    nxt = sentence[i + 1].lower() if i + 1 < len(sentence) else "</s>"
    shape = "digit" if w.isdigit() else "upper" if w[0].isupper() else "lower"
    return [f"w={low}", f"p={prev}", f"n={nxt}", f"suf={low[-3:]}", f"shape={shape}", f"p+w={prev}|{low}", "bias"]


def _plain_loss(W, index, sentences, tags):
    """Mean cross-entropy in plain Python (log-sum-exp per token)."""
    total, count = 0.0, 0
    for s, ts in zip(sentences, tags):
        for i, t in enumerate(ts):
            feats = [index[f] for f in _features(s, i) if f in index]
            logits = [sum(W[k][c] for k in feats) for c in range(len(ner.TAGS))]
            top = max(logits)
            lse = top + math.log(sum(math.exp(v - top) for v in logits))
            total += lse - logits[ner.TAGS.index(t)]
            count += 1
    return total / count


@st.composite
def tagger_cases(draw):
    corpus = ner.make_ner_corpus(draw(st.integers(1, 2)), draw(st.integers(0, 10**6)))
    k = draw(st.integers(1, 2))
    sents = [s[:4] for s in corpus.sentences[:k]]
    tags = [t[:4] for t in corpus.tags[:k]]
    epochs = draw(st.integers(1, 3))
    lr = draw(st.sampled_from([1e-3, 0.5, 1.0, np.float32(2.0)]))
    l2 = draw(st.sampled_from([0.0, 1e-3, 0.1]))
    min_count = draw(st.sampled_from([0, 1, 2, np.int64(1)]))
    return sents, tags, epochs, lr, l2, min_count


@case("ner.train_token_tagger", tagger_cases(),
      "feature index = the features (written again) seen >= min_count times, sorted; "
      "the last step W_E - W_(E-1) within 1e-6 (1 + |step|) of -lr (g + l2 W_(E-1)), g the "
      "central finite difference (step 1e-5) of the plain-Python loss; each history "
      "entry within 1e-12 relative of the plain-Python loss at that epoch's weights",
      n_inputs=200)  # fmt: skip
def check_train_token_tagger(sents, tags, epochs, lr, l2, min_count):
    tg = ner.train_token_tagger(sents, tags, epochs=epochs, lr=lr, l2=l2, min_count=min_count)
    counts = Counter(f for s in sents for i in range(len(s)) for f in _features(s, i))
    assert list(tg.feature_index) == sorted(f for f, c in counts.items() if c >= min_count)
    before = (ner.train_token_tagger(sents, tags, epochs=epochs - 1, lr=lr, l2=l2, min_count=min_count).weights
              if epochs > 1 else np.zeros_like(tg.weights))  # fmt: skip
    assert close(tg.loss_history[-1], _plain_loss(before.tolist(), tg.feature_index, sents, tags), 1.0)
    eps = 1e-5
    for k, c in np.ndindex(before.shape):
        up, down = before.copy(), before.copy()
        up[k, c] += eps
        down[k, c] -= eps
        g = (_plain_loss(up.tolist(), tg.feature_index, sents, tags)
             - _plain_loss(down.tolist(), tg.feature_index, sents, tags)) / (2 * eps)  # fmt: skip
        step = -float(lr) * (g + l2 * before[k, c])
        assert abs((tg.weights[k, c] - before[k, c]) - step) <= 1e-6 * (1 + abs(step))


@st.composite
def prediction_cases(draw):
    sents = draw(st.lists(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=4), min_size=1, max_size=3))
    feats = sorted({f for s in sents for i in range(len(s)) for f in _features(s, i)})
    known = [f for f in feats if draw(st.booleans())] + ["w=unseen"]
    scale = draw(st.sampled_from([2.0**k for k in (-1000, -500, -40, 0, 40, 500, 1000)]))  # exact sums
    W = np.array([[draw(st.integers(-2, 2)) * scale for _ in ner.TAGS] for _ in known])
    tagger = ner.TokenTagger(W, {f: k for k, f in enumerate(known)}, ner.TAGS, np.zeros(1))
    return tagger, sents


@case("ner.predict_tags", prediction_cases(),
      "identical tags to a plain-Python argmax (first best on ties) of the summed "
      "weights of each token's known features (integer weights times one edge "
      "scale: the sums are exact, ties frequent)")  # fmt: skip
def check_predict_tags(tagger, sents):
    out = ner.predict_tags(tagger, sents)
    ref = []
    for s in sents:
        row = []
        for i in range(len(s)):
            ks = [tagger.feature_index[f] for f in _features(s, i) if f in tagger.feature_index]
            scores = [sum((F(tagger.weights[k, c]) for k in ks), Fraction(0)) for c in range(len(ner.TAGS))]
            row.append(ner.TAGS[scores.index(max(scores))])
        ref.append(row)
    assert out == ref


@st.composite
def score_cases(draw):
    true, pred, _ = draw(tagged_corpora())
    # score_tags reads the corpus's tag set: map the pool onto lib.ner.TAGS.
    m = dict(zip(TAG_POOL, ["O", "B-MACHINE", "I-MACHINE", "B-PART", "I-PART", "B-DEFECT", "I-DEFECT"]))
    return [[m[x] for x in s] for s in true], [[m[x] for x in s] for s in pred]


@case("ner.score_tags", score_cases(),
      "token F1 (with and without O) within 1e-12 of sklearn's micro f1_score over "
      "the same labels; entity F1 within 1e-12 of seqeval's f1_score (default, and "
      "strict IOB2), 0 when there is no entity", n_inputs=250)  # fmt: skip
def check_score_tags(true, pred):
    from seqeval.metrics import f1_score as entity_f1
    from sklearn.metrics import f1_score

    out = ner.score_tags(true, pred)
    ft, fp = ner.flatten(true), ner.flatten(pred)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert close(out.token_f1, f1_score(ft, fp, labels=list(ner.TAGS), average="micro", zero_division=0), 1)
        assert close(out.token_f1_without_o,
                     f1_score(ft, fp, labels=list(ner.TAGS[1:]), average="micro", zero_division=0), 1)  # fmt: skip
        for value, mode in ((out.entity_f1_lenient, "lenient"), (out.entity_f1_strict, "strict")):
            if not any(seqeval_entities(s, mode) for s in true + pred):
                assert value == 0.0
            else:
                assert close(value, entity_f1(true, pred, zero_division=0, **_seqeval_kwargs(mode)), 1)


# ============================================================ lib.regression

SDS = [Fraction(f[3]).limit_denominator() for f in reg.FEATURES]


@case("regression.feature_covariance",
      st.tuples(st.one_of(st.floats(-1, 1, allow_nan=False),
                          st.sampled_from([-1.0, 1.0, 0.0, 1e-300, -5e-324, np.float32(0.6), 1, np.int8(-1)]))),
      "every entry within 1e-15 relative of the exact sd_i sd_j corr_ij")  # fmt: skip
def check_feature_covariance(rho):
    out = reg.feature_covariance(rho)
    for i, j in np.ndindex(out.shape):
        c = F(rho) if {i, j} == {0, 1} else Fraction(int(i == j))
        ref = SDS[i] * SDS[j] * c
        assert close(out[i, j], ref, abs(ref), 1e-15)


@case("regression.make_quality_data",
      st.tuples(st.integers(1, 30), st.integers(0, 2**32), st.sampled_from([0.0, 1.0, 1e-300]),
                st.sampled_from([0.0, 0.5, 1e-12]), st.sampled_from([None, 0.1, 1e-300]),
                st.sampled_from([0.6, 1.0, -1.0, 0.0])),
      "no reference for random draws: agrees = shapes and names; with noise_sd = 0, y "
      "within 1e-12 (scale of the terms) of the exact rational intercept + X coef - c "
      "(T - 210)^2; the sensor column leaves X[:, :5] and y unchanged; correlation +-1 "
      "makes standardised humidity equal +- standardised temperature (1e-12)")  # fmt: skip
def check_make_quality_data(n, seed, noise, curv, sensor, rho):
    d = reg.make_quality_data(n, seed, noise, temperature_curvature=curv, second_sensor_sd=sensor,
                              humidity_correlation=rho)  # fmt: skip
    base = reg.make_quality_data(n, seed, noise, temperature_curvature=curv, humidity_correlation=rho)
    p = 5 + (sensor is not None)
    assert d.X.shape == (n, p) and d.y.shape == (n,) and len(d.feature_names) == p
    assert np.array_equal(d.X[:, :5], base.X) and np.array_equal(d.y, base.y)
    if noise == 0.0:
        for row, yv in zip(d.X, d.y):
            lin = F(reg.TRUE_INTERCEPT) + sum(F(c) * F(x) for c, x in zip(reg.TRUE_COEF, row[:5]))
            ref = lin - F(curv) * (F(row[0]) - 210) ** 2
            size = 20 + sum(abs(c * x) for c, x in zip(reg.TRUE_COEF, row[:5])) + curv * (row[0] - 210) ** 2
            assert close(yv, ref, size, 1e-12)
    if abs(rho) == 1:
        zt, zh = (d.X[:, 0] - 210) / 6, (d.X[:, 1] - 45) / 8
        assert np.all(np.abs(zh - rho * zt) <= 1e-12 * (1 + np.abs(zt)) * 60)


@case("regression.train_test_split",
      st.tuples(st.integers(2, 30), st.sampled_from([0.01, 0.2, 0.5, 0.99, np.float32(0.3)]),
                st.integers(0, 2**32)),
      "when round(f n) is in 1..n-1: the test part has round(f n) records and train "
      "and test together are exactly the records (each row kept with its target, as "
      "a multiset); otherwise ValueError")  # fmt: skip
def check_train_test_split(n, f, seed):
    X = np.column_stack([np.arange(n, dtype=float), np.full(n, 1e-300)])
    y = np.arange(n, dtype=float) * 1e300
    k = int(round(float(f) * n))
    if not 1 <= k < n:
        with pytest.raises(ValueError):
            reg.train_test_split(X, y, f, seed)
        return
    Xtr, Xte, ytr, yte = reg.train_test_split(X, y, f, seed)
    assert len(yte) == k and len(ytr) == n - k
    got = sorted(tuple(r) + (v,) for r, v in zip(np.vstack([Xtr, Xte]).tolist(), [*ytr, *yte]))
    assert got == sorted(tuple(r) + (v,) for r, v in zip(X.tolist(), y))


def _lstsq_tolerance(X, ref):
    A = np.column_stack([np.ones(len(X)), X])
    return 1e-9 * np.linalg.cond(A) * (1 + max(abs(float(v)) for v in ref))


@case("regression.fit_least_squares", designs(),
      "full exact rank: intercept and coefficients within 1e-9 cond([1, X]) (1 + "
      "max|beta|) of the exact rational solution of the normal equations; exact rank "
      "deficiency: ValueError")  # fmt: skip
def check_fit_least_squares(X, y):
    ref = exact_lstsq(X, [y])
    if ref is None:
        with pytest.raises(ValueError, match="rank"):
            reg.fit_least_squares(X, y)
        return
    ref = ref[0]
    fit = reg.fit_least_squares(X, y)
    tol = _lstsq_tolerance(X, ref)
    for v, r in zip([fit.intercept, *fit.coef], ref):
        assert abs(v - float(r)) <= tol


@st.composite
def prediction_inputs(draw):
    n, p = draw(st.integers(0, 5)), draw(st.integers(1, 4))
    s = draw(st.sampled_from(EDGE[:6] + [1e150]))
    X = np.array([[draw(st.integers(-3, 3)) * s for _ in range(p)] for _ in range(n)]).reshape(n, p)
    coef = np.array([draw(st.one_of(st.integers(-3, 3).map(float), st.floats(-1e6, 1e6))) for _ in range(p)])
    return reg.LinearFit(coef, draw(st.sampled_from([0.0, -1e-300, 2.5, 1e150]))), X


@case("regression.predict", prediction_inputs(),
      "each prediction within 1e-15 (|b| + sum |x_j c_j|) of the exact rational b + x @ c; "
      "no record gives an empty result")  # fmt: skip
def check_predict(fit, X):
    out = reg.predict(fit, X)
    assert out.shape == (X.shape[0],)
    for row, v in zip(X, out):
        ref = F(fit.intercept) + sum(F(a) * F(c) for a, c in zip(row, fit.coef))
        size = abs(fit.intercept) + sum(abs(a * c) for a, c in zip(row, fit.coef))
        assert close(v, ref, size, 4e-15)


@st.composite
def vector_pairs(draw, n=(1, 6), max_scale=1e150):
    k = draw(st.integers(*n))
    s = draw(st.sampled_from([e for e in EDGE if e <= max_scale]))
    a = np.array([draw(st.integers(-4, 4)) * s for _ in range(k)])
    b = np.array([draw(st.integers(-4, 4)) * draw(st.sampled_from([s, s, 1.0])) for _ in range(k)])
    return a, b


@case("regression.mean_squared_error", vector_pairs(),
      "within 1e-12 mean((|a| + |b|)^2) of the exact rational mean of (a - b)^2")
def check_mean_squared_error(a, b):
    ref = sum((F(x) - F(y)) ** 2 for x, y in zip(a, b)) / len(a)
    assert close(reg.mean_squared_error(a, b), ref, float(np.mean((np.abs(a) + np.abs(b)) ** 2)))


@case("regression.design_condition_number", st.tuples(designs(n=(2, 7)), st.booleans()),
      "within 1e-9 cond^2 relative of sigma_max / sigma_min of [1, X] (standardised X "
      "if scale) by scipy's gesvd; ValueError for a constant column when scale; inf when "
      "there are fewer records than columns of [1, X]")  # fmt: skip
def check_design_condition_number(Xy, scale):
    from scipy.linalg import svd

    X = Xy[0]
    if scale and np.any(np.ptp(X, axis=0) == 0):
        with pytest.raises(ValueError, match="constant"):
            reg.design_condition_number(X, scale=True)
        return
    out = reg.design_condition_number(X, scale=scale)
    if X.shape[0] < X.shape[1] + 1:
        assert out == math.inf  # p + 1 columns in fewer dimensions: a zero singular value
        return
    Z = (X - X.mean(axis=0)) / X.std(axis=0) if scale else X
    s = svd(np.column_stack([np.ones(len(Z)), Z]), compute_uv=False, lapack_driver="gesvd")
    if s[-1] <= s[0] * 1e-13:
        assert out > 1e10  # numerically singular: both say huge
        return
    ref = s[0] / s[-1]
    assert abs(out - ref) <= 1e-9 * ref * ref


def _adam_step_bound(t: int, b1: float = 0.9, b2: float = 0.999) -> float:
    """The largest |m_hat / sqrt(v_hat)| of Adam's step t, whatever the gradients.

    By Cauchy-Schwarz, |m_t| <= (1 - b1) sqrt(sum_k (b1^2 / b2)^k) sqrt(v_t / (1 - b2))
    (k < t), and the bias corrections divide m_t by 1 - b1^t and v_t by 1 - b2^t.
    """
    gamma = b1 * b1 / b2
    return (1 - b1) / (1 - b1**t) * math.sqrt(sum(gamma**k for k in range(t)) * (1 - b2**t) / (1 - b2))


def _plain_descent(X, y, method, lr, epochs, scale, center, b1=0.9, b2=0.999, eps=1e-8):
    n, p = len(X), len(X[0])
    cols = [[row[j] for row in X] for j in range(p)]
    mu = [sum(c) / n if scale else 0.0 for c in cols]
    sd = [math.sqrt(sum((v - m) ** 2 for v in c) / n) if scale else 1.0 for c, m in zip(cols, mu)]
    z = [[1.0] + [(row[j] - mu[j]) / sd[j] for j in range(p)] for row in X]
    ym = sum(y) / n if center else 0.0
    t_ = [v - ym for v in y]
    th, m, v = [0.0] * (p + 1), [0.0] * (p + 1), [0.0] * (p + 1)
    hist = []
    for t in range(1, epochs + 1):
        r = [sum(a * b for a, b in zip(zr, th)) - tv for zr, tv in zip(z, t_)]
        hist.append(sum(e * e for e in r) / n)
        g = [2.0 / n * sum(r[i] * z[i][k] for i in range(n)) for k in range(p + 1)]
        for k in range(p + 1):
            if method == "gd":
                th[k] -= lr * g[k]
            else:
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
                th[k] -= lr / (1 - b1**t) * m[k] / (math.sqrt(v[k] / (1 - b2**t)) + eps)
    coef = [th[k + 1] / sd[k] for k in range(p)]
    return coef, ym + th[0] - sum(c * mm for c, mm in zip(coef, mu)), hist


@st.composite
def descent_cases(draw):
    X, y = draw(designs(n=(2, 6), p=(1, 3), xscales=(2.0**-10, 1.0, 2.0**10), yscale=False))
    method = draw(st.sampled_from(["gd", "adam"]))
    # Adam's eps (1e-8) is not scale-free: tiny targets only for plain GD.
    y = y * draw(st.sampled_from([1e-100, 1e-12, 1.0, 1e12, 1e100] if method == "gd" else [1.0, 1e3, 1e12, 1e100]))
    scale = draw(st.booleans()) and bool(np.all(X.std(axis=0) > 0))
    if method == "gd":
        lr = draw(st.sampled_from([1e-3, 0.01, 0.1])) / (1 if scale else float(np.max(X**2) * X.shape[1] + 1))
    else:
        lr = draw(st.sampled_from([1e-3, 0.01, np.float32(0.1)]))
    return X, y, method, lr, draw(st.integers(1, 15)), scale, draw(st.sampled_from([None, True, False]))


@case("regression.fit_gradient_descent", descent_cases(),
      "coefficients, intercept and every loss-history entry within 1e-9 relative "
      "(of 1e-300 + the largest |value| of the run) of a plain-Python scalar loop of "
      "the documented updates (stable step sizes)")  # fmt: skip
def check_fit_gradient_descent(X, y, method, lr, epochs, scale, center):
    fit = reg.fit_gradient_descent(X, y, method=method, lr=lr, epochs=epochs, scale=scale, center_y=center)
    c = scale if center is None else center
    coef, b, hist = _plain_descent(X.tolist(), y.tolist(), method, float(lr), epochs, scale, c)
    size = max(abs(v) for v in [*coef, b, 1e-300]) + float(np.abs(coef) @ np.abs(X).max(axis=0) + np.abs(y).max())
    # Adam divides each gradient by its own size: a component that is 0 in exact
    # arithmetic (the intercept's, on centred features) turns rounding noise into
    # full-size steps, so its agreement is the most Adam can move a component
    # in ``epochs`` steps, in standardised units.
    sd = X.std(axis=0) if scale else np.ones(X.shape[1])
    mu = X.mean(axis=0) if scale else np.zeros(X.shape[1])
    noise = float(lr) * sum(map(_adam_step_bound, range(1, epochs + 1))) if method == "adam" else 0.0
    tols = [1e-9 * size + noise / v for v in sd] + [1e-9 * size + noise * (1 + float(np.sum(np.abs(mu) / sd)))]
    assert all(abs(u - w) <= t for u, w, t in zip([*fit.coef, fit.intercept], [*coef, b], tols))
    top = max(hist) + 1e-300
    # The same drift d of the intercept adds d^2 to the mean squared error (the
    # exact residuals have mean 0 there), so the losses may differ by noise^2.
    assert all(abs(u - w) <= 1e-9 * top + noise**2 for u, w in zip(fit.loss_history, hist))


# ============================================================ lib.inference


def _t_ok(t: float, df: int, level: float) -> bool:
    from scipy.special import stdtr

    return abs(stdtr(df, t) - (0.5 + level / 2)) <= 1e-12


def exact_ss(X, y, beta):
    A = [[Fraction(1)] + [F(v) for v in row] for row in X]
    return sum((F(yv) - sum(a * b for a, b in zip(r, beta))) ** 2 for r, yv in zip(A, y))


@case("inference.ols_inference",
      st.tuples(designs(n=(4, 8), p=(1, 2), ymax=1e12), st.sampled_from([0.5, 0.9, 0.95, 0.999, np.float32(0.8)])),
      "estimates within the least-squares tolerance of the exact rational solution; "
      "sigma^2 within 1e-9 cond^2 relative of exact SSE / df (+ the data's scale); se^2 "
      "within that of sigma^2 diag((A^T A)^-1) in rationals; the half-width over se is "
      "the t quantile: stdtr(df, t) = 0.5 + level/2 within 1e-12; R^2 as r_squared's "
      "reference")  # fmt: skip
def check_ols_inference(Xy, level):
    X, y = Xy
    n, p = X.shape
    ref = exact_lstsq(X, [y])
    if ref is None or n - p - 1 < 1:
        with pytest.raises(ValueError):
            inf.ols_inference(X, y, level)
        return
    ref = ref[0]
    out = inf.ols_inference(X, y, level)
    kappa = float(np.linalg.cond(np.column_stack([np.ones(n), X])))
    tol = _lstsq_tolerance(X, ref) * kappa + 1e-9 * kappa**2 * float(np.max(np.abs(y)))
    assert all(abs(v - float(r)) <= tol for v, r in zip(out.estimate, ref))
    kappa = float(np.linalg.cond(np.column_stack([np.ones(n), X])))
    s2 = exact_ss(X, y, ref) / (n - p - 1)
    yscale = float(np.max(np.abs(y))) ** 2 + 1e-300
    assert close(out.residual_variance, s2, float(s2) + 1e-9 * yscale, 1e-9 * kappa**2)
    A = [[Fraction(1)] + [F(v) for v in row] for row in X]
    ata = [[sum(r[i] * r[j] for r in A) for j in range(p + 1)] for i in range(p + 1)]
    inv = solve_exact(ata, [[Fraction(int(i == j)) for j in range(p + 1)] for i in range(p + 1)])
    for j in range(p + 1):
        ref_se2 = s2 * inv[j][j]
        size = float(ref_se2) + 1e-9 * yscale * float(inv[j][j])
        assert close(out.std_error[j] ** 2, ref_se2, size, 1e-8 * kappa**2)
        if out.std_error[j] > 1e-6 * abs(out.estimate[j]):
            t = (out.upper[j] - out.estimate[j]) / out.std_error[j]
            assert _t_ok(t, n - p - 1, float(level))
    assert out.df_resid == n - p - 1
    if np.ptp(y) == 0:
        assert math.isnan(out.r_squared)


@st.composite
def simulation_cases(draw):
    X, _ = draw(designs(n=(3, 6), p=(1, 2), yscale=False))
    coef = [draw(st.sampled_from([0.0, 1.0, -2.5, 1e-300, 1e6])) for _ in range(X.shape[1])]
    return X, coef, draw(st.sampled_from([0.0, 3.0])), draw(st.sampled_from([0.0, 1e-12, 1.0])), \
        draw(st.integers(1, 3)), draw(st.integers(0, 1000))  # fmt: skip


@case("inference.simulate_coefficients", simulation_cases(),
      "each row within the least-squares tolerance of the exact rational fit of "
      "intercept + X coef + noise_sd N(0, 1) with the documented noise stream "
      "(default_rng(seed).standard_normal((n, n_sims)), one column per simulation)")  # fmt: skip
def check_simulate_coefficients(X, coef, intercept, sd, n_sims, seed):
    if not full_rank(X):
        with pytest.raises(ValueError, match="rank"):
            inf.simulate_coefficients(X, coef, intercept, sd, n_sims, seed)
        return
    out = inf.simulate_coefficients(X, coef, intercept, sd, n_sims, seed)
    noise = sd * np.random.default_rng(seed).standard_normal((X.shape[0], n_sims))
    targets = [(intercept + X @ np.array(coef)) + noise[:, k] for k in range(n_sims)]
    refs = exact_lstsq(X, targets)
    assert out.shape == (n_sims, X.shape[1] + 1)
    for row, ref in zip(out, refs):
        tol = _lstsq_tolerance(X, ref) + 1e-9 * float(np.max(np.abs(targets)))
        assert all(abs(v - float(r)) <= tol for v, r in zip(row, ref))


@case("inference.r_squared", vector_pairs(n=(1, 6)),
      "within 1e-12 (SSE + SST of magnitudes) / SST of the exact rational 1 - SSE / SST; "
      "ValueError when y_true is constant, and when R^2 is below the float range")  # fmt: skip
def check_r_squared(a, b):
    mean = sum(map(F, a)) / len(a)
    sst = sum((F(v) - mean) ** 2 for v in a)
    if sst == 0:
        with pytest.raises(ValueError, match="constant"):
            inf.r_squared(a, b)
        return
    sse = sum((F(u) - F(v)) ** 2 for u, v in zip(a, b))
    mag = sum((abs(F(u)) + abs(F(v))) ** 2 for u, v in zip(a, b)) * 4
    ref = 1 - sse / sst
    if ref < -F(FLOAT_MAX):  # below the float range: refused, never -inf
        with pytest.raises(ValueError, match="float range"):
            inf.r_squared(a, b)
        return
    if ref < -F(1.7e308):
        return  # at the edge of the float range: either
    assert close(inf.r_squared(a, b), ref, 1 + mag / sst, 1e-12)


@case("inference.mse_interval",
      st.tuples(vector_pairs(n=(1, 6), max_scale=1e12), st.sampled_from([0.5, 0.95, 0.999])),
      "estimate within 1e-12 of the exact rational mean of squared errors; half-width "
      "/ (sd / sqrt(m)) is the t quantile (stdtr check) and sd^2 within 1e-9 of the "
      "exact sample variance; ValueError for one record")  # fmt: skip
def check_mse_interval(ab, level):
    a, b = ab
    if len(a) < 2:
        with pytest.raises(ValueError):
            inf.mse_interval(a, b, level)
        return
    out = inf.mse_interval(a, b, level)
    sq = [(F(u) - F(v)) ** 2 for u, v in zip(a, b)]
    m = len(sq)
    mean = sum(sq) / m
    mag = float(np.mean((np.abs(a) + np.abs(b)) ** 2))
    assert close(out.estimate, mean, mag)
    var = sum((s - mean) ** 2 for s in sq) / (m - 1)
    half = (out.upper - out.lower) / 2
    if var > 0 and half > 1e-6 * abs(out.estimate):
        top = max(sq)  # var in units of the largest square: float(var) may underflow
        sd = math.sqrt(float(var / top**2)) * float(top)
        assert _t_ok(half * math.sqrt(m) / sd, m - 1, level)
    elif var > 0:  # the half-width is lost in the estimate's rounding: symmetric
        assert abs((out.upper - out.estimate) - (out.estimate - out.lower)) <= 4 * np.spacing(out.estimate)
    else:
        assert half <= 1e-9 * mag


@case("inference.omitted_variable_bias",
      st.tuples(designs(n=(4, 8), p=(2, 3)), st.sampled_from([0, 1, [0], [1, 0], np.int64(1)])),
      "long, short and auxiliary coefficients within the least-squares tolerance of "
      "the exact rational regressions; bias = short - long kept within the sum of "
      "those tolerances")  # fmt: skip
def check_omitted_variable_bias(Xy, omit):
    X, y = Xy
    om = sorted(set(np.ravel(omit).tolist()))
    kept = [j for j in range(X.shape[1]) if j not in om]
    if not (full_rank(X) and kept):
        return check_fit_least_squares(X, y) if kept else None
    out = inf.omitted_variable_bias(X, y, omit)
    long = exact_lstsq(X, [y])[0]
    short = exact_lstsq(X[:, kept], [y])[0]
    tol = _lstsq_tolerance(X, long) + _lstsq_tolerance(X[:, kept], short)
    assert all(abs(v - float(r)) <= tol for v, r in zip(out.short_coef, short[1:]))
    assert all(abs(v - float(long[1 + j])) <= tol for v, j in zip(out.long_coef, kept))
    for row, j in zip(out.auxiliary, om):
        aux = exact_lstsq(X[:, kept], [X[:, j]])[0]
        t = _lstsq_tolerance(X[:, kept], aux)
        assert all(abs(v - float(r)) <= t for v, r in zip(row, aux[1:]))
    assert all(abs(v - float(short[1 + k] - long[1 + j])) <= 2 * tol for k, (v, j) in enumerate(zip(out.bias, kept)))


@st.composite
def covariances(draw):
    p = draw(st.integers(2, 4))
    L = np.array([[draw(st.integers(-2, 2)) if j < i else (draw(st.integers(1, 3)) if i == j else 0)
                   for j in range(p)] for i in range(p)], dtype=float)  # fmt: skip
    s = draw(st.sampled_from(EDGE[1:-1]))
    cov = (L @ L.T) * s
    coef = [draw(st.integers(-3, 3)) * draw(st.sampled_from([1e-100, 1.0, 1e100])) for _ in range(p)]
    k = draw(st.integers(1, p - 1))
    omit = draw(st.lists(st.integers(0, p - 1), min_size=k, max_size=k, unique=True))
    return cov, coef, omit


@case("inference.population_omitted_bias", covariances(),
      "within 1e-10 cond(S_kk) (1 + max|b|) relative of the exact rational solution of "
      "S_kk b = S_ko beta_o (S = L L^T s, L integer lower triangular: exactly SPD)")  # fmt: skip
def check_population_omitted_bias(cov, coef, omit):
    out = inf.population_omitted_bias(cov, coef, omit)
    om = sorted(set(omit))
    kept = [j for j in range(len(coef)) if j not in om]
    a = [[F(cov[i, j]) for j in kept] for i in kept]
    b = [[sum(F(cov[i, j]) * F(coef[j]) for j in om)] for i in kept]
    ref = [r[0] for r in solve_exact(a, b)]
    kappa = float(np.linalg.cond(cov[np.ix_(kept, kept)]))
    smin = float(np.linalg.svd(cov[np.ix_(kept, kept)], compute_uv=False)[-1])
    rhs = float(np.max(np.abs(cov[np.ix_(kept, om)]) @ np.abs(np.array(coef)[om])))
    size = max(abs(float(v)) for v in ref) + rhs / smin + 1e-300
    assert all(abs(v - float(r)) <= 1e-10 * kappa * size for v, r in zip(out, ref))


# ============================================================ lib.ridge

PENALTIES = [0.0, 1e-300, 1e-12, 0.5, 1.0, 1e3, 1e12, 1e300, np.float32(2.0), 7]


def _ridge_ref(X, y, lam):
    mu, sd = X.mean(axis=0), X.std(axis=0)
    Z = (X - mu) / sd
    yc = y - y.mean()
    w = np.linalg.solve(Z.T @ Z + float(lam) * np.eye(X.shape[1]), Z.T @ yc)
    coef = w / sd
    return w, coef, y.mean() - coef @ mu


@st.composite
def ridge_cases(draw, n=(3, 8)):
    X, y = draw(designs(n=n, p=(1, 3)))
    X = X + np.arange(len(X))[:, None] * (np.abs(X).max() or 1.0) * 0.125  # no constant column
    pens = draw(st.lists(st.sampled_from(PENALTIES), min_size=1, max_size=4))
    return X, y, pens


def _ridge_ok(got, ref, lam, Z, y, sd=None):
    """Within 1e-9 cond(Z^T Z + lambda I) of the size of the solution: its
    largest entry, or (for entries that are 0 in exact arithmetic) the size
    the centred target gives it, ||y_c|| max s / (s^2 + lambda)."""
    s = np.linalg.svd(Z, compute_uv=False)
    kappa = (s[0] ** 2 + float(lam)) / (s[-1] ** 2 + float(lam))
    gain = float(np.max(s / (s**2 + float(lam)))) if s[-1] ** 2 + float(lam) > 0 else 0.0
    reach = float(np.linalg.norm(y - y.mean())) * gain / (1.0 if sd is None else sd)
    size = np.max(np.abs(ref)) + reach + 1e-300
    return np.all(np.abs(got - ref) <= 1e-9 * kappa * size)


@case("ridge.ridge_path", ridge_cases(),
      "each penalty's standardised coefficients within 1e-9 cond(Z^T Z + lambda I) "
      "(max|w| + ||y_c|| max s / (s^2 + lambda)) of the normal-equation (LU) solution; "
      "original-scale coefficients and intercept likewise; penalty 0 with a rank-deficient "
      "standardised Z (s_min <= max(n, p + 1) eps s_max, lib's rank rule; either within a "
      "factor 4 of the threshold): ValueError")  # fmt: skip
def check_ridge_path(X, y, pens):
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    s = np.linalg.svd(Z, compute_uv=False)
    rule = max(X.shape[0], X.shape[1] + 1) * np.finfo(float).eps * s[0]
    if 0 in [float(v) for v in pens] and (s.size < X.shape[1] or s[-1] <= rule * 4):
        if s.size < X.shape[1] or s[-1] <= rule / 4:
            with pytest.raises(ValueError, match="full rank"):
                rdg.ridge_path(X, y, pens)
        return
    path = rdg.ridge_path(X, y, pens)
    for k, lam in enumerate(pens):
        if s.size < X.shape[1] or s[-1] ** 2 + float(lam) < s[0] ** 2 * 1e-12:
            continue  # LU on Z^T Z + lambda I would lose all accuracy: no fair reference
        w, coef, b = _ridge_ref(X, y, lam)
        assert _ridge_ok(path.standardised_coef[k], w, lam, Z, y)
        assert _ridge_ok(path.coef[k], coef, lam, Z, y, X.std(axis=0))
        scale = abs(b) + float(np.abs(coef) @ np.abs(X.mean(axis=0))) + float(np.abs(y).max()) + 1e-300
        assert abs(path.intercept[k] - b) <= 1e-9 * scale * (1 + min(s[0] / max(s[-1], 1e-300), 1e150) ** 2)


@case("ridge.fit_ridge", ridge_cases(),
      "coefficients within 1e-9 cond(Z^T Z + lambda I) max|coef| of the normal-equation "
      "(LU) ridge with the first penalty (positive penalties only)")  # fmt: skip
def check_fit_ridge(X, y, pens):
    lam = max(float(pens[0]), 1e-12)
    fit = rdg.fit_ridge(X, y, lam)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    _, coef, _ = _ridge_ref(X, y, lam)
    assert _ridge_ok(fit.coef, coef, lam, Z, y, X.std(axis=0))


@case("ridge.ridge_cv", ridge_cases(n=(6, 10)),
      "the folds are default_rng(seed).permutation dealt round-robin; each penalty's CV "
      "MSE within 1e-6 relative (+ the data's scale 1e-12) of an explicit fold loop with the LU "
      "ridge; best penalty the first minimiser of the reference when it is unique "
      "by more than that tolerance (positive penalties only)", n_inputs=250)  # fmt: skip
def check_ridge_cv(X, y, pens):
    pens = [max(float(v), 1e-12) for v in pens]
    out = rdg.ridge_cv(X, y, pens, n_folds=3, seed=5)
    fold = np.empty(len(y), dtype=int)
    fold[np.random.default_rng(5).permutation(len(y))] = np.arange(len(y)) % 3
    assert np.array_equal(out.fold, fold)
    ref = []
    for lam in pens:
        errs = []
        for k in range(3):
            tr = fold != k
            if np.any(X[tr].std(axis=0) == 0):
                return  # a training fold with a constant column: lib refuses, checked elsewhere
            _, coef, b = _ridge_ref(X[tr], y[tr], lam)
            errs.append(np.mean((b + X[~tr] @ coef - y[~tr]) ** 2))
        ref.append(np.mean(errs))
    tol = 1e-6 * np.max(ref) + 1e-12 * float(np.max(y**2))
    assert np.all(np.abs(out.cv_mse - ref) <= tol)
    best = int(np.argmin(ref))
    if all(abs(r - ref[best]) > 2 * tol for i, r in enumerate(ref) if i != best):
        assert out.best_penalty == pens[best]


# ============================================================ lib.robust

NORMAL_FACTOR = 1 / statistics.NormalDist().inv_cdf(0.75)


def exact_median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


@case("robust.mad_scale", st.tuples(vector_pairs(max_scale=1e300).map(lambda ab: ab[0])),
      "within 1e-15 relative of the exact rational median of |r - median(r)|, times "
      "1 / NormalDist().inv_cdf(0.75)")  # fmt: skip
def check_mad_scale(r):
    vals = [F(v) for v in r]
    med = exact_median(vals)
    mad = exact_median([abs(v - med) for v in vals])
    ref = mad * F(NORMAL_FACTOR)
    assert close(rob.mad_scale(r), ref, ref, 1e-14)


@case("robust.huber_loss",
      st.tuples(vector_pairs(max_scale=1e300).map(lambda ab: ab[0]), st.sampled_from(EDGE),
                st.sampled_from([1.345, 1e-12, 1.0, 1e6, np.float32(2.0), 3])),
      "within 1e-12 relative of the exact rational sum of 0.5 r^2 (|r| <= eps s) and "
      "eps s (|r| - eps s / 2) beyond (ValueError when that exceeds the float range)")  # fmt: skip
def check_huber_loss(r, scale, eps):
    if float(eps) * scale < 1e-290:
        scale *= 1e20  # eps * scale would be subnormal, with fewer significant digits
    k = F(eps) * F(scale)
    ref = sum((F(v) ** 2 / 2 if abs(F(v)) <= k else k * (abs(F(v)) - k / 2)) for v in r)
    if ref > F(FLOAT_MAX):  # beyond the float range: refused, never inf
        with pytest.raises(ValueError, match="float range"):
            rob.huber_loss(r, scale, eps)
        return
    out = rob.huber_loss(r, scale, eps)
    assert close(out, ref, ref, 1e-12)


@st.composite
def huber_cases(draw):
    X, y = draw(designs(n=(4, 9), p=(1, 2)))
    y = y + X[:, 0] * 0.5 + np.linspace(-1, 1, len(y)) * (np.abs(y).max() + 1e-300) * 0.1
    scale = draw(st.sampled_from(["mad", "mad", 0.1, 1.0, 10.0]))
    if scale != "mad":
        scale = scale * (float(np.abs(y).max()) + 1e-300)
    return X, y, draw(st.sampled_from([1.345, 0.5, 3.0])), scale


@case("robust.fit_huber", huber_cases(),
      "the optimality certificate in rationals at the returned coefficients and "
      "scale: |sum_i psi(r_i) a_ij| <= 1e-6 sum_i |psi(r_i)| |a_ij| + 1e-9 scale "
      "(psi = residual clipped to +-eps s); weights = min(1, eps s / |r|) within "
      "1e-12; ValueError only when the MAD is 0 or IRLS does not converge; a "
      "rank-deficient design refused", n_inputs=300)  # fmt: skip
def check_fit_huber(X, y, eps, scale):
    if not full_rank(X):
        with pytest.raises(ValueError):
            rob.fit_huber(X, y, epsilon=eps, scale=scale)
        return
    try:
        fit = rob.fit_huber(X, y, epsilon=eps, scale=scale)
    except ValueError as e:
        assert "MAD" in str(e) or "converge" in str(e)
        return
    A = np.column_stack([np.ones(len(X)), X])
    beta = [F(fit.intercept)] + [F(c) for c in fit.coef]
    k = F(eps) * F(fit.scale)
    res = [F(yv) - sum(F(a) * b for a, b in zip(row, beta)) for row, yv in zip(A, y)]
    psi = [max(-k, min(k, r)) for r in res]
    # A backward-stable weighted least-squares solve is exact for a design
    # perturbed by u ||A|| (u the unit roundoff), so its gradient is only zero up
    # to u ||A|| (||r|| + ||A|| ||beta||): on an ill-conditioned design that is
    # larger than any floor written in y's units.
    # (2-norms bounded by sqrt(size) * max |entry|, in rationals: no overflow.)
    norm_a = F(float(np.abs(A).max())) * (math.isqrt(A.size) + 1)
    norm_r = max(abs(r) for r in res) * (math.isqrt(len(res)) + 1)
    norm_b = max(abs(b) for b in beta) * (math.isqrt(len(beta)) + 1)
    backward = F(1e3 * np.finfo(float).eps) * norm_a * (norm_r + norm_a * norm_b)
    for j in range(A.shape[1]):
        g = sum(p * F(A[i, j]) for i, p in enumerate(psi))
        size = sum(abs(p) * abs(F(A[i, j])) for i, p in enumerate(psi))
        floor = F(1e-10) * (F(fit.scale) + F(float(np.abs(y).max()))) * sum(abs(F(A[i, j])) for i in range(len(A)))
        assert abs(g) <= F(1e-6) * size + floor + backward
    if fit.scale < 1e-10 * float(np.abs(y).max()):
        return  # the residuals are at y's rounding floor: the weights are rounding noise
    w = np.minimum(1.0, eps * fit.scale / np.maximum(np.abs([float(r) for r in res]), 1e-300))
    assert np.all(np.abs(fit.weights - w) <= 1e-6 * (1 + w) + 1e-6 * (w < 1))


# ============================================================ mixed and NaN labels

METRIC_CALLS = {
    "classification_report": lambda a, b: met.classification_report(a, b),
    "classification_report(labels)": lambda a, b: met.classification_report(b, b, labels=a),
    "confusion_matrix": lambda a, b: met.confusion_matrix(a, b),
    "confusion_matrix(labels)": lambda a, b: met.confusion_matrix(b, b, labels=a),
    "extract_entities": lambda a, b: met.extract_entities(a),
    "entity_report": lambda a, b: met.entity_report([a], [b]),
    "score_tags": lambda a, b: ner.score_tags([a], [b]),
}


@pytest.mark.parametrize("call", sorted(METRIC_CALLS))
@pytest.mark.parametrize("labels", [[1, "1"], ["B-A", 1], [np.int64(1), "1"], [1.0, "O"], ["O", True]])
def test_mixed_label_kinds_refused(call, labels):
    other = ["O"] * len(labels) if call in ("entity_report", "score_tags") else [labels[1]] * len(labels)
    with pytest.raises(TypeError, match="(mixes strings and numbers|strings|must be|number)"):
        METRIC_CALLS[call](labels, other)


@pytest.mark.parametrize("call", ["classification_report", "confusion_matrix"])
def test_kinds_mixed_across_arguments_refused(call):
    with pytest.raises(TypeError, match="strings"):
        getattr(met, call)([1, 2], ["1", "2"])


@pytest.mark.parametrize("call", sorted(METRIC_CALLS))
@pytest.mark.parametrize("labels", [[0.0, float("nan")], np.array([1.0, np.nan]), [np.float32("nan"), 1.0]])
def test_nan_labels_refused(call, labels):
    # NaN is a number of the right kind but not a label: a ValueError (wrong
    # value) naming the argument; for tag functions it is not a string (TypeError).
    other = ["O"] * len(labels) if call in ("entity_report", "score_tags") else [1.0] * len(labels)
    with pytest.raises((ValueError, TypeError), match="(NaN|strings|must be)"):
        METRIC_CALLS[call](labels, other)
    if call.startswith(("classification", "confusion")) and "labels" not in call:
        with pytest.raises(ValueError, match="y_true contains NaN"):
            METRIC_CALLS[call](labels, other)


# ============================================================ regression tests of defects found


def test_f1_from_tiny_scores_do_not_underflow():
    # 2 p r underflowed to 0 for p = r = 1e-300: F1 was 0 instead of 1e-300.
    assert met.f1_from(1e-300, 1e-300) == 1e-300
    assert math.isclose(met.f1_from(1e-300, 2e-300), float(Fraction(4, 3) * F(1e-300)), rel_tol=1e-15)


def test_huber_loss_tiny_scale_does_not_overflow():
    # |r| / scale overflowed: huber_loss([1e300], 1e-300) was NaN instead of
    # eps s (|r| - eps s / 2) = 1.345 (to 1e-15).
    assert math.isclose(rob.huber_loss([1e300], 1e-300), 1.345, rel_tol=1e-15)
    # scale**2 underflowed to 0: the loss of residuals of size 1e-200 is not 0.
    ref = F(0.5) * F(1e-200) ** 2 + F(1e-200) * (F(3e-200) - F(1e-200) / 2)
    assert rob.huber_loss([1e-200, 3e-200], 1e-200, 1.0) == 0.0 == float(ref)  # below the float range
    ref = F(0.5) * F(1e-150) ** 2 + F(1e-150) * (F(3e-150) - F(1e-150) / 2)
    assert math.isclose(rob.huber_loss([1e-150, 3e-150], 1e-150, 1.0), float(ref), rel_tol=1e-12)
    with pytest.raises(ValueError, match="float range"):  # beyond the float range: not NaN, not inf
        rob.huber_loss([1e201], 1e200)


def test_fit_huber_is_scale_free():
    # The step test had an absolute floor of 1: on y of size 1e-13 IRLS stopped
    # after one step (the least-squares start), far from the Huber fit.
    x = np.arange(10.0)
    y = 1.0 + 2.0 * x + np.array([0.1, -0.1] * 5)
    y[9] = 100.0
    ref = rob.fit_huber(x[:, None], y)
    tiny = rob.fit_huber(x[:, None], y * 1e-13)
    assert math.isclose(tiny.coef[0], ref.coef[0] * 1e-13, rel_tol=1e-8)
    assert math.isclose(tiny.intercept, ref.intercept * 1e-13, rel_tol=1e-8)


def test_r_squared_tiny_values_are_not_constant():
    # The squares of deviations of 1e-300 underflowed to 0: "y_true is constant".
    assert inf.r_squared([0.0, 1e-300, 2e-300], [0.0, 1e-300, 1e-300]) == 1 - 1 / 2


def test_ols_inference_constant_target():
    # A constant y (every slope 0) was refused with an error about "y_true".
    out = inf.ols_inference([[0.0], [1.0], [2.0], [4.0]], [3.0, 3.0, 3.0, 3.0])
    assert np.allclose(out.estimate, [3.0, 0.0]) and math.isnan(out.r_squared)


# ============================================================ the runner


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    BUILD.mkdir(exist_ok=True)
    lines = [f"{name:50s} {COUNTS[name]:6d}" for name in sorted(CASES)]
    lines.append(f"{'total':50s} {sum(COUNTS.values()):6d}")
    (BUILD / "differential_counts_stats.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\ndifferential test (statistics modules): valid inputs compared per function\n" + "\n".join(lines))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_reference(name):
    strategy, check, agrees, n_inputs = CASES[name]
    assert agrees  # every case states its definition of agreement

    @settings(max_examples=n_inputs, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def run(args):
        check(*args)
        COUNTS[name] += 1

    run()
    assert COUNTS[name] >= MIN_INPUTS, f"{name}: only {COUNTS[name]} inputs compared"


def test_tables_name_the_cases():
    assert {f"lib.{n}" for n in CASES} == set(REFERENCES)
    assert not set(REFERENCES) & set(NO_REFERENCE)
